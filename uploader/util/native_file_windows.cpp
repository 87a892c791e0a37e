// NativeFile and the file-system calls on Windows (paths are UTF-16 there:
// std::filesystem::path holds them natively, so c_str() is what the W
// functions take).
#include "uploader/util/native_file.hpp"

#include <algorithm>
#include <string>
#include <windows.h>

namespace uploader::util {

namespace fs = std::filesystem;

namespace {

std::error_code last_error() {
  return {static_cast<int>(::GetLastError()), std::system_category()};
}

HANDLE handle_of(NativeHandle handle) {
  return reinterpret_cast<HANDLE>(handle);
}

// FILETIME counts 100 ns since 1601.
std::int64_t to_ns(FILETIME time) {
  ULARGE_INTEGER value;
  value.LowPart = time.dwLowDateTime;
  value.HighPart = time.dwHighDateTime;
  return static_cast<std::int64_t>(value.QuadPart) * 100;
}

} // namespace

void close_native(NativeHandle handle) noexcept {
  if (handle != k_no_file) {
    ::CloseHandle(handle_of(handle));
  }
}

NativeFile NativeFile::open(const fs::path &path, Mode mode,
                            std::error_code &error) {
  DWORD access = GENERIC_READ;
  DWORD disposition = OPEN_EXISTING;
  switch (mode) {
  case Mode::read:
    break;
  case Mode::read_write:
    access = GENERIC_READ | GENERIC_WRITE;
    break;
  case Mode::read_write_create:
    access = GENERIC_READ | GENERIC_WRITE;
    disposition = OPEN_ALWAYS;
    break;
  case Mode::create_new:
    access = GENERIC_WRITE;
    disposition = CREATE_NEW;
    break;
  case Mode::create_new_rw:
    access = GENERIC_READ | GENERIC_WRITE;
    disposition = CREATE_NEW;
    break;
  }
  // FILE_WRITE_ATTRIBUTES for touch(); sharing everything keeps POSIX
  // semantics: others may read, replace or remove the file meanwhile.
  if (mode != Mode::read) {
    access |= FILE_WRITE_ATTRIBUTES;
  }
  HANDLE file =
      ::CreateFileW(path.c_str(), access,
                    FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                    nullptr, disposition, FILE_ATTRIBUTE_NORMAL, nullptr);
  if (file == INVALID_HANDLE_VALUE) {
    error = last_error();
    return {};
  }
  error.clear();
  return NativeFile(reinterpret_cast<NativeHandle>(file));
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
  DWORD got = 0;
  DWORD want = static_cast<DWORD>(std::min<std::size_t>(size, 1u << 30));
  if (!::ReadFile(handle_of(m_handle), buffer, want, &got, nullptr)) {
    error = last_error();
    return 0;
  }
  error.clear();
  return got;
}

std::size_t NativeFile::read_at(void *buffer, std::size_t size,
                                std::uint64_t offset, std::error_code &error) {
  // With an OVERLAPPED offset on a synchronous handle, ReadFile reads there
  // (it moves the file pointer, which no caller of read_at relies on).
  OVERLAPPED at{};
  at.Offset = static_cast<DWORD>(offset);
  at.OffsetHigh = static_cast<DWORD>(offset >> 32);
  DWORD got = 0;
  DWORD want = static_cast<DWORD>(std::min<std::size_t>(size, 1u << 30));
  if (!::ReadFile(handle_of(m_handle), buffer, want, &got, &at)) {
    if (::GetLastError() == ERROR_HANDLE_EOF) {
      error.clear();
      return 0;
    }
    error = last_error();
    return 0;
  }
  error.clear();
  return got;
}

void NativeFile::write_all(std::string_view bytes, std::error_code &error) {
  std::size_t done = 0;
  while (done < bytes.size()) {
    DWORD put = 0;
    DWORD want = static_cast<DWORD>(
        std::min<std::size_t>(bytes.size() - done, 1u << 30));
    if (!::WriteFile(handle_of(m_handle), bytes.data() + done, want, &put,
                     nullptr)) {
      error = last_error();
      return;
    }
    done += put;
  }
  error.clear();
}

std::optional<std::uint64_t> NativeFile::size() const {
  LARGE_INTEGER size;
  if (!::GetFileSizeEx(handle_of(m_handle), &size)) {
    return std::nullopt;
  }
  return static_cast<std::uint64_t>(size.QuadPart);
}

void NativeFile::sync(std::error_code &error) {
  if (!::FlushFileBuffers(handle_of(m_handle))) {
    error = last_error();
    return;
  }
  error.clear();
}

void NativeFile::start_writeback() noexcept {}

void NativeFile::copy_permissions_from(const fs::path &,
                                       std::error_code &error) {
  error.clear();
}

namespace {

bool lock_file(HANDLE file, NativeFile::Lock kind, bool wait) {
  DWORD flags =
      kind == NativeFile::Lock::exclusive ? LOCKFILE_EXCLUSIVE_LOCK : 0;
  if (!wait) {
    flags |= LOCKFILE_FAIL_IMMEDIATELY;
  }
  // Windows' locks are mandatory: a locked byte cannot be read or written
  // through another handle. Locking one byte far past any real end of file
  // makes them advisory, as flock is, so a held bundle stays readable and
  // its writer (another handle) can still write it.
  OVERLAPPED far_away{};
  far_away.Offset = MAXDWORD;
  far_away.OffsetHigh = 0x7fffffff;
  return ::LockFileEx(file, flags, 0, 1, 0, &far_away) != 0;
}

} // namespace

bool NativeFile::try_lock(Lock kind) noexcept {
  return lock_file(handle_of(m_handle), kind, false);
}

void NativeFile::lock(Lock kind, std::error_code &error) {
  if (!lock_file(handle_of(m_handle), kind, true)) {
    error = last_error();
    return;
  }
  error.clear();
}

void NativeFile::touch() noexcept {
  FILETIME now;
  ::GetSystemTimeAsFileTime(&now);
  ::SetFileTime(handle_of(m_handle), nullptr, nullptr, &now);
}

void NativeFile::close(std::error_code &error) {
  HANDLE file = handle_of(release());
  if (file != handle_of(k_no_file) && !::CloseHandle(file)) {
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
  // WRITE_THROUGH: MoveFileEx returns once the rename is on disk, which is
  // what a folder fsync gives on POSIX.
  if (!::MoveFileExW(from.c_str(), to.c_str(),
                     MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH)) {
    return last_error();
  }
  return {};
}

void sync_folder(const fs::path &) noexcept {}

std::optional<FileFacts> file_facts(const fs::path &path, bool follow_links,
                                    std::error_code &error) {
  DWORD flags = FILE_FLAG_BACKUP_SEMANTICS; // folders too
  if (!follow_links) {
    flags |= FILE_FLAG_OPEN_REPARSE_POINT;
  }
  HANDLE file =
      ::CreateFileW(path.c_str(), FILE_READ_ATTRIBUTES,
                    FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE,
                    nullptr, OPEN_EXISTING, flags, nullptr);
  if (file == INVALID_HANDLE_VALUE) {
    error = last_error();
    return std::nullopt;
  }
  BY_HANDLE_FILE_INFORMATION info{};
  bool ok = ::GetFileInformationByHandle(file, &info) != 0;
  if (!ok) {
    error = last_error();
  }
  ::CloseHandle(file);
  if (!ok) {
    return std::nullopt;
  }
  error.clear();
  FileFacts facts;
  facts.size = (std::uint64_t{info.nFileSizeHigh} << 32) | info.nFileSizeLow;
  facts.modified_ns = to_ns(info.ftLastWriteTime);
  facts.identity =
      (std::uint64_t{info.nFileIndexHigh} << 32) | info.nFileIndexLow;
  facts.device = info.dwVolumeSerialNumber;
  facts.is_symlink =
      !follow_links && (info.dwFileAttributes & FILE_ATTRIBUTE_REPARSE_POINT);
  facts.read_only = (info.dwFileAttributes & FILE_ATTRIBUTE_READONLY) != 0;
  return facts;
}

bool may_write(const fs::path &path, std::error_code &error) {
  DWORD attributes = ::GetFileAttributesW(path.c_str());
  if (attributes == INVALID_FILE_ATTRIBUTES) {
    error = last_error();
    return false;
  }
  if (attributes & FILE_ATTRIBUTE_READONLY) {
    error = std::make_error_code(std::errc::read_only_file_system);
    return false;
  }
  error.clear();
  return true;
}

bool sync_file_systems(std::span<const fs::path>, std::error_code &error) {
  error.clear();
  return false; // flushing a volume needs administrator rights
}

std::uint32_t current_process_id() noexcept {
  return static_cast<std::uint32_t>(::GetCurrentProcessId());
}

std::FILE *open_stdio(const fs::path &path, const char *mode) {
  std::wstring wide_mode(mode, mode + std::char_traits<char>::length(mode));
  return ::_wfopen(path.c_str(), wide_mode.c_str());
}

} // namespace uploader::util
