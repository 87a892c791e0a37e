// NativeFile and the file-system calls on Linux and macOS.
#include "uploader/util/native_file.hpp"

#include <cerrno>
#include <fcntl.h>
#include <set>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

namespace uploader::util {

namespace fs = std::filesystem;

namespace {

std::error_code last_error() { return {errno, std::generic_category()}; }

int fd_of(NativeHandle handle) { return static_cast<int>(handle); }

std::int64_t modified_ns(const struct stat &info) {
#if defined(__APPLE__)
  const struct timespec &time = info.st_mtimespec;
#else
  const struct timespec &time = info.st_mtim;
#endif
  return std::int64_t{time.tv_sec} * 1'000'000'000 + time.tv_nsec;
}

} // namespace

void close_native(NativeHandle handle) noexcept {
  if (handle != k_no_file) {
    ::close(fd_of(handle));
  }
}

NativeFile NativeFile::open(const fs::path &path, Mode mode,
                            std::error_code &error) {
  int flags = O_CLOEXEC;
  switch (mode) {
  case Mode::read:
    flags |= O_RDONLY;
    break;
  case Mode::read_write:
    flags |= O_RDWR;
    break;
  case Mode::read_write_create:
    flags |= O_RDWR | O_CREAT;
    break;
  case Mode::create_new:
    flags |= O_WRONLY | O_CREAT | O_EXCL;
    break;
  case Mode::create_new_rw:
    flags |= O_RDWR | O_CREAT | O_EXCL;
    break;
  }
  int fd = -1;
  do {
    fd = ::open(path.c_str(), flags, 0600);
  } while (fd < 0 && errno == EINTR);
  if (fd < 0) {
    error = last_error();
    return {};
  }
  error.clear();
  return NativeFile(fd);
}

NativeFile::~NativeFile() { close_native(m_handle); }

NativeFile::NativeFile(NativeFile &&other) noexcept
    : m_handle(other.release()) {}

NativeFile &NativeFile::operator=(NativeFile &&other) noexcept {
  if (this != &other) {
    close_native(m_handle);
    m_handle = other.release();
  }
  return *this;
}

std::size_t NativeFile::read(void *buffer, std::size_t size,
                             std::error_code &error) {
  for (;;) {
    ssize_t got = ::read(fd_of(m_handle), buffer, size);
    if (got >= 0) {
      error.clear();
      return static_cast<std::size_t>(got);
    }
    if (errno != EINTR) {
      error = last_error();
      return 0;
    }
  }
}

std::size_t NativeFile::read_at(void *buffer, std::size_t size,
                                std::uint64_t offset, std::error_code &error) {
  for (;;) {
    ssize_t got =
        ::pread(fd_of(m_handle), buffer, size, static_cast<off_t>(offset));
    if (got >= 0) {
      error.clear();
      return static_cast<std::size_t>(got);
    }
    if (errno != EINTR) {
      error = last_error();
      return 0;
    }
  }
}

void NativeFile::write_all(std::string_view bytes, std::error_code &error) {
  std::size_t done = 0;
  while (done < bytes.size()) {
    ssize_t put =
        ::write(fd_of(m_handle), bytes.data() + done, bytes.size() - done);
    if (put < 0) {
      if (errno == EINTR) {
        continue;
      }
      error = last_error();
      return;
    }
    done += static_cast<std::size_t>(put);
  }
  error.clear();
}

std::optional<std::uint64_t> NativeFile::size() const {
  struct stat info {};
  if (::fstat(fd_of(m_handle), &info) != 0) {
    return std::nullopt;
  }
  return static_cast<std::uint64_t>(info.st_size);
}

void NativeFile::sync(std::error_code &error) {
#if defined(__APPLE__)
  // fsync hands the data to the drive, which may keep it in its cache;
  // F_FULLFSYNC asks it to write through. Some file systems refuse it.
  if (::fcntl(fd_of(m_handle), F_FULLFSYNC) == 0) {
    error.clear();
    return;
  }
#endif
  if (::fsync(fd_of(m_handle)) != 0) {
    error = last_error();
    return;
  }
  error.clear();
}

void NativeFile::start_writeback() noexcept {
#if defined(__linux__)
  ::sync_file_range(fd_of(m_handle), 0, 0, SYNC_FILE_RANGE_WRITE);
#endif
}

void NativeFile::copy_permissions_from(const fs::path &model,
                                       std::error_code &error) {
  error.clear();
  struct stat info {};
  if (::stat(model.c_str(), &info) != 0) {
    return; // a new file keeps 0600
  }
  if (::fchmod(fd_of(m_handle), info.st_mode & 07777) != 0) {
    error = last_error();
  }
}

bool NativeFile::try_lock(Lock kind) noexcept {
  int operation = (kind == Lock::shared ? LOCK_SH : LOCK_EX) | LOCK_NB;
  while (::flock(fd_of(m_handle), operation) != 0) {
    if (errno != EINTR) {
      return false;
    }
  }
  return true;
}

void NativeFile::lock(Lock kind, std::error_code &error) {
  int operation = kind == Lock::shared ? LOCK_SH : LOCK_EX;
  while (::flock(fd_of(m_handle), operation) != 0) {
    if (errno != EINTR) {
      error = last_error();
      return;
    }
  }
  error.clear();
}

void NativeFile::touch() noexcept { ::futimens(fd_of(m_handle), nullptr); }

void NativeFile::close(std::error_code &error) {
  int fd = fd_of(release());
  if (fd >= 0 && ::close(fd) != 0) {
    error = last_error();
    return;
  }
  error.clear();
}

NativeHandle NativeFile::release() noexcept {
  NativeHandle handle = m_handle;
  m_handle = k_no_file;
  return handle;
}

std::error_code replace_file(const fs::path &from, const fs::path &to) {
  if (::rename(from.c_str(), to.c_str()) != 0) {
    return last_error();
  }
  return {};
}

void sync_folder(const fs::path &folder) noexcept {
  int fd = ::open(folder.empty() ? "." : folder.c_str(),
                  O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
}

std::optional<FileFacts> file_facts(const fs::path &path, bool follow_links,
                                    std::error_code &error) {
  struct stat info {};
  int result =
      follow_links ? ::stat(path.c_str(), &info) : ::lstat(path.c_str(), &info);
  if (result != 0) {
    error = last_error();
    return std::nullopt;
  }
  error.clear();
  FileFacts facts;
  facts.size = static_cast<std::uint64_t>(info.st_size);
  facts.modified_ns = modified_ns(info);
  facts.identity = static_cast<std::uint64_t>(info.st_ino);
  facts.device = static_cast<std::uint64_t>(info.st_dev);
  facts.is_symlink = S_ISLNK(info.st_mode);
  facts.read_only = (info.st_mode & 0222) == 0;
  return facts;
}

bool may_write(const fs::path &path, std::error_code &error) {
  if (::access(path.c_str(), W_OK) != 0) {
    error = last_error();
    return false;
  }
  error.clear();
  return true;
}

bool sync_file_systems(std::span<const fs::path> folders,
                       std::error_code &error) {
  error.clear();
#if defined(__linux__)
  std::set<dev_t> devices;
  for (const auto &folder : folders) {
    int fd = ::open(folder.empty() ? "." : folder.c_str(),
                    O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
      continue;
    }
    struct stat info {};
    bool failed = false;
    if (::fstat(fd, &info) == 0 && devices.insert(info.st_dev).second) {
      failed = ::syncfs(fd) != 0;
      if (failed) {
        error = last_error();
      }
    }
    ::close(fd);
    if (failed) {
      return true;
    }
  }
  return true;
#else
  (void)folders;
  return false;
#endif
}

std::uint32_t current_process_id() noexcept {
  return static_cast<std::uint32_t>(::getpid());
}

std::FILE *open_stdio(const fs::path &path, const char *mode) {
  return std::fopen(path.c_str(), mode);
}

} // namespace uploader::util
