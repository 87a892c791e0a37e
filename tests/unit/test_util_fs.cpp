#include "uploader/util/error.hpp"
#include "uploader/util/fs.hpp"
#include "uploader/util/parallel_close.hpp"

#include <gtest/gtest.h>

#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <sys/stat.h>
#include <unistd.h>

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
  ::chmod(file.c_str(), 0640);
  write_file_atomic(file, "new contents");
  EXPECT_EQ(read_file(file), "new contents");
  struct stat info {};
  ASSERT_EQ(::stat(file.c_str(), &info), 0);
  EXPECT_EQ(info.st_mode & 07777, 0640u);
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
  fs::path outside = m_dir.string() + "-outside.js";
  std::ofstream(outside) << "x";
  fs::create_directories(m_dir / "root");
  fs::create_symlink(outside, m_dir / "root" / "link.js");
  EXPECT_THROW(resolve_for_write(m_dir / "root" / "link.js", m_dir / "root"),
               uploader::Error);
  WriteResolver resolver;
  EXPECT_THROW(resolver.resolve(m_dir / "root" / "link.js", m_dir / "root"),
               uploader::Error);
  fs::path readonly = m_dir / "root" / "ro.js";
  std::ofstream(readonly) << "x";
  ::chmod(readonly.c_str(), 0444);
  EXPECT_THROW(resolver.resolve(readonly, m_dir / "root"), uploader::Error);
  fs::path inside = m_dir / "root" / "ok.js";
  std::ofstream(inside) << "x";
  fs::create_symlink(inside, m_dir / "root" / "alias.js");
  EXPECT_EQ(resolver.resolve(m_dir / "root" / "alias.js", m_dir / "root"),
            fs::canonical(inside));
  fs::remove(outside);
}

TEST_F(UtilFs, StagingFailsCleanlyInReadOnlyFolder) {
  fs::path file = m_dir / "a.js";
  std::ofstream(file) << "old";
  fs::permissions(m_dir, fs::perms::owner_write, fs::perm_options::remove);
  if (::access(m_dir.c_str(), W_OK) == 0) {
    GTEST_SKIP() << "running as root: folder permissions are not enforced";
  }
  EXPECT_THROW(StagedFile staged(file), uploader::Error);
  EXPECT_EQ(read_file(file), "old");
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
  EXPECT_EQ(read_file(m_dir / "f17"), "new 17");
  EXPECT_EQ(entries(), 40u);
}

TEST(UtilParallelCloser, ClosesEveryQueuedDescriptor) {
  std::vector<int> fds;
  {
    ParallelCloser closer(3);
    for (int i = 0; i < 50; ++i) {
      int pipe_fds[2];
      ASSERT_EQ(::pipe(pipe_fds), 0);
      fds.insert(fds.end(), {pipe_fds[0], pipe_fds[1]});
      closer.close_later(pipe_fds[0]);
      closer.close_later(pipe_fds[1]);
    }
    closer.close_later(-1); // ignored
  }
  for (int fd : fds) {
    EXPECT_EQ(::fcntl(fd, F_GETFD), -1) << fd;
  }
}
