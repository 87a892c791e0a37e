#include "uploader/util/error.hpp"
#include "uploader/util/fs.hpp"
#include "uploader/util/parallel_close.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#if defined(_WIN32)
#include <windows.h>
#else
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#endif

#include "test_helpers.hpp"

using namespace uploader::util;
namespace fs = std::filesystem;

namespace {

class UtilFs : public ::testing::Test {
protected:
  void SetUp() override {
    m_dir = fs::temp_directory_path() /
            (std::string("fs-test-") +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(m_dir);
    fs::create_directories(m_dir);
  }
  void TearDown() override {
    fs::permissions(m_dir, fs::perms::owner_all, fs::perm_options::add);
    fs::remove_all(m_dir);
  }
  std::size_t entries() const {
    return static_cast<std::size_t>(
        std::distance(fs::directory_iterator(m_dir), fs::directory_iterator{}));
  }
  fs::path m_dir;
};

} // namespace

TEST_F(UtilFs, AtomicWriteKeepsMode) {
  fs::path file = m_dir / "a.js";
  std::ofstream(file) << "old";
#if !defined(_WIN32) // Windows has no permission bits to keep
  ::chmod(file.c_str(), 0640);
#endif
  write_file_atomic(file, "new contents");
  EXPECT_EQ(read_file(file), "new contents");
#if !defined(_WIN32)
  struct stat info {};
  ASSERT_EQ(::stat(file.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 07777, 0640u);
#endif
  EXPECT_EQ(entries(), 1u);
}

TEST_F(UtilFs, DiscardLeavesOriginalAndNoTempFile) {
  fs::path file = m_dir / "a.js";
  std::ofstream(file) << "old";
  {
    StagedFile staged(file);
    staged.write("partial");
    EXPECT_EQ(entries(), 2u);
    // Destroyed without commit, as after an error.
  }
  EXPECT_EQ(read_file(file), "old");
  EXPECT_EQ(entries(), 1u);
}

TEST_F(UtilFs, CommitAllReplacesEveryFile) {
  std::vector<std::unique_ptr<StagedFile>> staged;
  std::vector<StagedFile *> pointers;
  for (const char *name : {"a", "b", "c"}) {
    std::ofstream(m_dir / name) << "old";
    staged.push_back(std::make_unique<StagedFile>(m_dir / name));
    staged.back()->write(std::string("new ") + name);
    pointers.push_back(staged.back().get());
  }
  commit_all(pointers);
  EXPECT_EQ(read_file(m_dir / "b"), "new b");
  EXPECT_EQ(entries(), 3u);
}

TEST_F(UtilFs, RefusesSymlinksOutsideAndReadOnlyFiles) {
  fs::create_directories(m_dir / "root");
  WriteResolver resolver;
#if !defined(_WIN32) // the read-only half runs on Windows too
  fs::path outside = m_dir.string() + "-outside.js";
  std::ofstream(outside) << "x";
  fs::create_symlink(outside, m_dir / "root" / "link.js");
  EXPECT_THROW(resolve_for_write(m_dir / "root" / "link.js", m_dir / "root"),
               uploader::Error);
  EXPECT_THROW(resolver.resolve(m_dir / "root" / "link.js", m_dir / "root"),
               uploader::Error);
#endif
  fs::path readonly = m_dir / "root" / "ro.js";
  std::ofstream(readonly) << "x";
  // Mode 0444; on Windows, FILE_ATTRIBUTE_READONLY.
  fs::permissions(readonly, fs::perms::owner_read | fs::perms::group_read |
                                fs::perms::others_read);
  EXPECT_THROW(resolver.resolve(readonly, m_dir / "root"), uploader::Error);
  // Windows cannot remove a read-only file (TearDown would fail).
  fs::permissions(readonly, fs::perms::owner_write, fs::perm_options::add);
#if !defined(_WIN32)
  fs::path inside = m_dir / "root" / "ok.js";
  std::ofstream(inside) << "x";
  fs::create_symlink(inside, m_dir / "root" / "alias.js");
  EXPECT_EQ(resolver.resolve(m_dir / "root" / "alias.js", m_dir / "root"),
            fs::canonical(inside));
  fs::remove(outside);
#endif
}

TEST_F(UtilFs, StagingFailsCleanlyInReadOnlyFolder) {
#if defined(_WIN32)
  GTEST_SKIP() << "a folder's read-only attribute does not stop creating "
                  "files in it on Windows; only an ACL would";
#else
  fs::path file = m_dir / "a.js";
  std::ofstream(file) << "old";
  fs::permissions(m_dir, fs::perms::owner_write, fs::perm_options::remove);
  if (::access(m_dir.c_str(), W_OK) == 0) {
    GTEST_SKIP() << "running as root: folder permissions are not enforced";
  }
  EXPECT_THROW(StagedFile staged(file), uploader::Error);
  EXPECT_EQ(read_file(file), "old");
#endif
}

TEST_F(UtilFs, CommitAllFreesTheReplacedFiles) {
  // The replaced files are held open across the renames and closed on other
  // threads; once commit_all returns, none may still be open.
  std::vector<std::unique_ptr<StagedFile>> staged;
  std::vector<StagedFile *> pointers;
  for (int i = 0; i < 40; ++i) {
    fs::path path = m_dir / ("f" + std::to_string(i));
    std::ofstream(path) << "old " << i;
    staged.push_back(std::make_unique<StagedFile>(path));
    staged.back()->write("new " + std::to_string(i));
    pointers.push_back(staged.back().get());
  }
#if defined(_WIN32)
  // Windows has no /proc/self/fd to count the deleted files still open:
  // there the case checks only that the renames over open files succeed.
  commit_all(pointers);
#else
  auto open_deleted = [] {
    int count = 0;
    for (const auto &entry : fs::directory_iterator("/proc/self/fd")) {
      std::error_code error;
      count += fs::read_symlink(entry.path(), error)
                   .string()
                   .ends_with(" (deleted)");
    }
    return count;
  };
  int before = open_deleted();
  commit_all(pointers);
  EXPECT_EQ(open_deleted(), before);
#endif
  EXPECT_EQ(read_file(m_dir / "f17"), "new 17");
  EXPECT_EQ(entries(), 40u);
}

namespace {

// The two ends of a new pipe: descriptors, or HANDLEs on Windows.
bool make_pipe(NativeHandle (&ends)[2]) {
#if defined(_WIN32)
  HANDLE read_end = nullptr;
  HANDLE write_end = nullptr;
  if (!::CreatePipe(&read_end, &write_end, nullptr, 0)) {
    return false;
  }
  ends[0] = reinterpret_cast<NativeHandle>(read_end);
  ends[1] = reinterpret_cast<NativeHandle>(write_end);
#else
  int pipe_fds[2];
  if (::pipe(pipe_fds) != 0) {
    return false;
  }
  ends[0] = pipe_fds[0];
  ends[1] = pipe_fds[1];
#endif
  return true;
}

bool is_open(NativeHandle handle) {
#if defined(_WIN32)
  DWORD flags = 0;
  return ::GetHandleInformation(reinterpret_cast<HANDLE>(handle), &flags) != 0;
#else
  return ::fcntl(static_cast<int>(handle), F_GETFD) != -1;
#endif
}

} // namespace

TEST(UtilParallelCloser, ClosesEveryQueuedDescriptor) {
  std::vector<NativeHandle> fds;
  {
    ParallelCloser closer(3);
    for (int i = 0; i < 50; ++i) {
      NativeHandle pipe_fds[2];
      ASSERT_TRUE(make_pipe(pipe_fds));
      fds.insert(fds.end(), {pipe_fds[0], pipe_fds[1]});
      closer.close_later(pipe_fds[0]);
      closer.close_later(pipe_fds[1]);
    }
    closer.close_later(k_no_file); // ignored
  }
  for (NativeHandle fd : fds) {
    EXPECT_FALSE(is_open(fd)) << fd;
  }
}
