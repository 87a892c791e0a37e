#include "uploader/util/fs.hpp"

#include "uploader/util/error.hpp"
#include "uploader/util/log.hpp"
#include "uploader/util/parallel_close.hpp"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <mutex>
#include <random>
#include <set>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace uploader::util {

namespace fs = std::filesystem;

namespace {

constexpr std::size_t k_buffer_limit = 256 << 10;

std::string errno_text(int error) { return std::strerror(error); }

[[noreturn]] void fail(const fs::path &path, std::string_view what, int error) {
  throw Error(std::string(what) + " " + path.string() + ": " +
              errno_text(error));
}

std::string random_suffix() {
  static thread_local std::mt19937_64 engine{std::random_device{}()};
  static constexpr char k_chars[] = "abcdefghijklmnopqrstuvwxyz0123456789";
  std::string suffix;
  for (int i = 0; i < 8; ++i) {
    suffix += k_chars[engine() % (sizeof(k_chars) - 1)];
  }
  return suffix;
}

} // namespace

std::string read_file(const fs::path &path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    fail(path, "cannot read", errno);
  }
  // Read straight into a buffer of the file's size (one read for most
  // files); grow it if the file grew meanwhile.
  std::string contents;
  struct stat info {};
  std::size_t expected = ::fstat(fd, &info) == 0 && info.st_size > 0
                             ? static_cast<std::size_t>(info.st_size)
                             : 0;
  contents.resize(expected + 1);
  std::size_t size = 0;
  for (;;) {
    if (size == contents.size()) {
      contents.resize(contents.size() * 2 + 4096);
    }
    ssize_t got = ::read(fd, contents.data() + size, contents.size() - size);
    if (got < 0) {
      if (errno == EINTR) {
        continue;
      }
      int error = errno;
      ::close(fd);
      fail(path, "cannot read", error);
    }
    if (got == 0) {
      break;
    }
    size += static_cast<std::size_t>(got);
  }
  ::close(fd);
  contents.resize(size);
  return contents;
}

StagedFile::StagedFile(fs::path target) : m_target(std::move(target)) {
  fs::path folder = m_target.parent_path();
  std::string base = m_target.filename().string();
  // Creating a file holds its folder's lock, and on ext4 without a journal
  // the inode search can take a millisecond (inodes freed in the last
  // minutes are skipped one by one). A second thread would spin on that
  // lock in the kernel; waiting here lets it sleep.
  static std::mutex create_mutex;
  std::lock_guard lock(create_mutex);
  for (int attempt = 0; attempt < 16 && m_fd < 0; ++attempt) {
    m_temp = folder / ("." + base + ".tmp-" + random_suffix());
    m_fd =
        ::open(m_temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (m_fd < 0 && errno != EEXIST) {
      fail(m_target, "cannot create a temporary file next to", errno);
    }
  }
  if (m_fd < 0) {
    fail(m_target, "cannot create a temporary file next to", EEXIST);
  }
}

StagedFile::~StagedFile() { discard(); }

StagedFile::StagedFile(StagedFile &&other) noexcept
    : m_target(std::move(other.m_target)), m_temp(std::move(other.m_temp)),
      m_buffer(std::move(other.m_buffer)), m_fd(other.m_fd),
      m_finished(other.m_finished) {
  other.m_fd = -1;
  other.m_temp.clear();
}

StagedFile &StagedFile::operator=(StagedFile &&other) noexcept {
  if (this != &other) {
    discard();
    m_target = std::move(other.m_target);
    m_temp = std::move(other.m_temp);
    m_buffer = std::move(other.m_buffer);
    m_fd = other.m_fd;
    m_finished = other.m_finished;
    other.m_fd = -1;
    other.m_temp.clear();
  }
  return *this;
}

void StagedFile::write(std::string_view bytes) {
  if (bytes.size() >= k_buffer_limit) {
    flush_buffer();
    write_all(bytes);
    return;
  }
  m_buffer.append(bytes);
  if (m_buffer.size() >= k_buffer_limit) {
    flush_buffer();
  }
}

void StagedFile::flush_buffer() {
  write_all(m_buffer);
  m_buffer.clear();
}

void StagedFile::write_all(std::string_view bytes) {
  std::size_t done = 0;
  while (done < bytes.size()) {
    ssize_t put = ::write(m_fd, bytes.data() + done, bytes.size() - done);
    if (put < 0) {
      if (errno == EINTR) {
        continue;
      }
      fail(m_target, "cannot write the replacement of", errno);
    }
    done += static_cast<std::size_t>(put);
  }
}

void StagedFile::finish(bool sync) {
  if (m_finished) {
    return;
  }
  flush_buffer();
  std::string().swap(m_buffer);
  // Start writing the data out now, without waiting: the later sync then
  // finds most of it on disk already, and disk and CPU work overlap.
  ::sync_file_range(m_fd, 0, 0, SYNC_FILE_RANGE_WRITE);
  struct stat info {};
  if (::stat(m_target.c_str(), &info) == 0) {
    if (::fchmod(m_fd, info.st_mode & 07777) != 0) {
      fail(m_target, "cannot set the mode of the replacement of", errno);
    }
  }
  if (sync && ::fsync(m_fd) != 0) {
    fail(m_target, "cannot fsync the replacement of", errno);
  }
  if (::close(m_fd) != 0) {
    m_fd = -1;
    fail(m_target, "cannot close the replacement of", errno);
  }
  m_fd = -1;
  m_finished = true;
}

void StagedFile::commit() {
  finish();
  if (::rename(m_temp.c_str(), m_target.c_str()) != 0) {
    fail(m_target, "cannot replace", errno);
  }
  m_temp.clear();
  // Make the rename durable too.
  int dir = ::open(
      m_target.parent_path().empty() ? "." : m_target.parent_path().c_str(),
      O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir >= 0) {
    ::fsync(dir);
    ::close(dir);
  }
}

void StagedFile::rename_over() {
  if (::rename(m_temp.c_str(), m_target.c_str()) != 0) {
    fail(m_target, "cannot replace", errno);
  }
  m_temp.clear();
}

namespace {

constexpr const char *k_journal_name = ".sentry-sourcemaps-commit.journal";

fs::path journal_path(const fs::path &folder) {
  std::error_code ec;
  fs::path dir = fs::is_directory(folder, ec) ? folder : folder.parent_path();
  return (dir.empty() ? fs::path(".") : dir) / k_journal_name;
}

void sync_folder(const fs::path &folder) {
  int fd = ::open(folder.empty() ? "." : folder.c_str(),
                  O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
}

} // namespace

#ifdef SENTRY_SOURCEMAPS_TEST_HOOKS
namespace {
long g_exit_after_renames = -1;
} // namespace

void set_exit_after_renames(long renames) { g_exit_after_renames = renames; }
#endif

std::size_t recover_interrupted_commit(const fs::path &journal_folder) {
  fs::path journal = journal_path(journal_folder);
  std::error_code ec;
  if (!fs::is_regular_file(journal, ec)) {
    return 0;
  }
  std::string text = read_file(journal);
  std::size_t replaced = 0;
  std::set<fs::path> folders;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string::npos) {
      break; // a torn last line: the journal was not complete, renames
             // had not started
    }
    std::string line = text.substr(pos, end - pos);
    pos = end + 1;
    std::size_t tab = line.find('\t');
    if (tab == std::string::npos) {
      continue;
    }
    fs::path temp = line.substr(0, tab);
    fs::path target = line.substr(tab + 1);
    if (fs::exists(temp, ec) && ::rename(temp.c_str(), target.c_str()) == 0) {
      ++replaced;
      folders.insert(target.parent_path());
    }
  }
  for (const auto &folder : folders) {
    sync_folder(folder);
  }
  fs::remove(journal, ec);
  sync_folder(journal.parent_path());
  return replaced;
}

void commit_all(std::span<StagedFile *const> files,
                const fs::path &journal_folder) {
  PhaseTimer timer("commit");
  std::set<std::string> folders;
  for (StagedFile *file : files) {
    file->finish(false);
    fs::path folder = file->target().parent_path();
    folders.insert(folder.empty() ? "." : folder.string());
  }
  // Data first: one syncfs per file system holding the temporary files.
  std::set<dev_t> devices;
  std::vector<int> folder_fds;
  for (const auto &folder : folders) {
    int fd = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
      continue;
    }
    folder_fds.push_back(fd);
    struct stat info {};
    if (::fstat(fd, &info) == 0 && devices.insert(info.st_dev).second) {
      if (::syncfs(fd) != 0) {
        int error = errno;
        for (int open_fd : folder_fds) {
          ::close(open_fd);
        }
        fail(folder, "cannot sync the file system of", error);
      }
    }
  }
  timer.phase("synced " + std::to_string(files.size()) + " files");
  fs::path journal;
  if (!journal_folder.empty() && files.size() > 1) {
    std::string entries;
    for (StagedFile *file : files) {
      entries += fs::absolute(file->temp_path()).string() + "\t" +
                 fs::absolute(file->target()).string() + "\n";
    }
    journal = journal_path(journal_folder);
    write_file_atomic(journal, entries);
  }
#ifdef SENTRY_SOURCEMAPS_TEST_HOOKS
  long exit_after = g_exit_after_renames;
#else
  long exit_after = -1;
#endif
  ParallelCloser closer;
  try {
    for (StagedFile *file : files) {
      if (exit_after-- == 0) {
        std::_Exit(137);
      }
      // Hold the file being replaced open, so that freeing it happens on
      // the closer's threads, not inside rename.
      int old_fd = ::open(file->target().c_str(), O_RDONLY | O_CLOEXEC);
      try {
        file->rename_over();
      } catch (...) {
        closer.close_later(old_fd);
        throw;
      }
      closer.close_later(old_fd);
    }
  } catch (...) {
    for (int fd : folder_fds) {
      ::close(fd);
    }
    throw;
  }
  timer.phase("renamed them");
  // Then the renames.
  for (int fd : folder_fds) {
    ::fsync(fd);
    ::close(fd);
  }
  timer.phase("synced the folders");
  if (!journal.empty()) {
    // Not synced: a journal that comes back after a crash names temporary
    // files that no longer exist, and recovery then just removes it.
    std::error_code ec;
    fs::remove(journal, ec);
  }
}

fs::path WriteResolver::real_folder(const fs::path &folder) {
  std::string key = folder.empty() ? "." : folder.string();
  auto it = m_folders.find(key);
  if (it != m_folders.end()) {
    return it->second;
  }
  std::error_code error;
  fs::path real = fs::canonical(key, error);
  if (error) {
    throw Error("cannot resolve " + key + ": " + error.message());
  }
  m_folders.emplace(key, real);
  return real;
}

fs::path WriteResolver::resolve(const fs::path &path, const fs::path &root) {
  struct stat info {};
  if (::lstat(path.c_str(), &info) != 0) {
    fail(path, "cannot access", errno);
  }
  if (S_ISLNK(info.st_mode)) {
    return resolve_for_write(path, root);
  }
  fs::path real = real_folder(path.parent_path()) / path.filename();
  fs::path real_root =
      real_folder(fs::is_directory(root) ? root : root.parent_path());
  if (!is_inside(real, real_root)) {
    throw Error("refusing to write " + path.string() + ": it resolves to " +
                real.string() + ", outside of the searched folder " +
                root.string());
  }
  if ((info.st_mode & 0222) == 0) {
    throw Error("cannot modify " + path.string() + ": the file is read-only");
  }
  if (::access(path.c_str(), W_OK) != 0) {
    throw Error("cannot modify " + path.string() + ": " +
                (errno == EACCES || errno == EROFS ? "the file is read-only"
                                                   : errno_text(errno)));
  }
  return real;
}

void StagedFile::discard() noexcept {
  if (m_fd >= 0) {
    ::close(m_fd);
    m_fd = -1;
  }
  if (!m_temp.empty()) {
    ::unlink(m_temp.c_str());
    m_temp.clear();
  }
}

void write_file_atomic(const fs::path &path, std::string_view bytes) {
  StagedFile staged(path);
  staged.write(bytes);
  staged.commit();
}

std::string file_identity(const fs::path &path) {
  struct stat info {};
  if (::stat(path.c_str(), &info) != 0) {
    return "absent";
  }
  return std::to_string(info.st_size) + ' ' +
         std::to_string(info.st_mtim.tv_sec) + '.' +
         std::to_string(info.st_mtim.tv_nsec) + ' ' +
         std::to_string(info.st_ino);
}

bool is_inside(const fs::path &path, const fs::path &folder) {
  fs::path base = folder;
  if (base.has_relative_path() && base.filename().empty()) {
    base = base.parent_path(); // "/a/b/" ends in an empty component
  }
  auto [folder_end, path_it] =
      std::mismatch(base.begin(), base.end(), path.begin(), path.end());
  return folder_end == base.end();
}

fs::path resolve_for_write(const fs::path &path, const fs::path &root) {
  std::error_code error;
  fs::path real = fs::canonical(path, error);
  if (error) {
    throw Error("cannot resolve " + path.string() + ": " + error.message());
  }
  fs::path real_root = fs::canonical(root, error);
  if (error) {
    throw Error("cannot resolve " + root.string() + ": " + error.message());
  }
  if (!fs::is_directory(real_root)) {
    real_root = real_root.parent_path();
  }
  if (!is_inside(real, real_root)) {
    throw Error("refusing to write " + path.string() + ": it is a symlink to " +
                real.string() + ", outside of the searched folder " +
                root.string());
  }
  // A file without any write bit is read-only on purpose, even for root
  // (for whom access() always succeeds).
  struct stat info {};
  if (::stat(real.c_str(), &info) == 0 && (info.st_mode & 0222) == 0) {
    throw Error("cannot modify " + path.string() + ": the file is read-only");
  }
  if (::access(real.c_str(), W_OK) != 0) {
    throw Error("cannot modify " + path.string() + ": " +
                (errno == EACCES || errno == EROFS ? "the file is read-only"
                                                   : errno_text(errno)));
  }
  return real;
}

} // namespace uploader::util
