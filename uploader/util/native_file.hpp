#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <span>
#include <string_view>
#include <system_error>

// The operating system's files, the one place that knows descriptors
// (Linux, macOS) and HANDLEs (Windows). Everything above speaks
// std::filesystem::path and std::error_code, whose message() is strerror's
// text on POSIX and FormatMessage's on Windows.
namespace uploader::util {

// A descriptor or a HANDLE's value; k_no_file when none.
using NativeHandle = std::intptr_t;
inline constexpr NativeHandle k_no_file = -1;

// Closes a handle taken out of a NativeFile with release().
void close_native(NativeHandle handle) noexcept;

// An open file, closed by the destructor. On Windows every file is opened
// with FILE_SHARE_DELETE, so that (as on POSIX) a file may be renamed over
// or removed while someone holds it open.
class NativeFile {
public:
  enum class Mode {
    read,              // existing file, read only
    read_write,        // existing file, read and write
    read_write_create, // opened or created (mode 0600), read and write
    create_new,        // must not exist yet (mode 0600), write only
    create_new_rw,     // must not exist yet (mode 0600), read and write
  };
  enum class Lock { shared, exclusive };

  NativeFile() = default;
  // Opens `path`; on failure the result is not open and `error` says why.
  static NativeFile open(const std::filesystem::path &path, Mode mode,
                         std::error_code &error);
  ~NativeFile();
  NativeFile(const NativeFile &) = delete;
  NativeFile &operator=(const NativeFile &) = delete;
  NativeFile(NativeFile &&other) noexcept;
  NativeFile &operator=(NativeFile &&other) noexcept;

  bool is_open() const { return m_handle != k_no_file; }
  NativeHandle handle() const { return m_handle; }

  // Reads up to `size` bytes at the current position; 0 at the end.
  std::size_t read(void *buffer, std::size_t size, std::error_code &error);
  // Reads up to `size` bytes at `offset` without moving the position (a
  // pread), so threads may share the file.
  std::size_t read_at(void *buffer, std::size_t size, std::uint64_t offset,
                      std::error_code &error);
  // Writes all of `bytes` at the current position.
  void write_all(std::string_view bytes, std::error_code &error);
  std::optional<std::uint64_t> size() const;

  // Makes the data durable: fsync on Linux, F_FULLFSYNC on macOS (fsync
  // there leaves it in the drive's cache), FlushFileBuffers on Windows.
  void sync(std::error_code &error);
  // Starts writing the data out without waiting (Linux's sync_file_range),
  // so a later sync finds most of it done; nothing elsewhere.
  void start_writeback() noexcept;
  // Gives the file the permission bits of `model` if it exists (POSIX);
  // nothing on Windows, where a new file inherits its folder's ACL.
  void copy_permissions_from(const std::filesystem::path &model,
                             std::error_code &error);

  // Advisory whole-file locks that belong to this open file (flock on
  // POSIX, LockFileEx on Windows) and end when it is closed.
  bool try_lock(Lock kind) noexcept;
  void lock(Lock kind, std::error_code &error); // waits
  // Sets the modification time to now.
  void touch() noexcept;

  void close(std::error_code &error);
  // The handle leaves this object (to be closed with close_native).
  NativeHandle release() noexcept;

private:
  explicit NativeFile(NativeHandle handle) : m_handle(handle) {}
  NativeHandle m_handle = k_no_file;
};

// Renames `from` over `to` (replacing it) so that the rename is durable
// once this returns on Windows (MOVEFILE_WRITE_THROUGH); on POSIX,
// sync_folder() the folder afterwards.
std::error_code replace_file(const std::filesystem::path &from,
                             const std::filesystem::path &to);

// Whether replace_file may rename over a file someone holds open. POSIX
// unlinks the old inode and keeps it readable; Windows (before POSIX rename
// semantics, and Wine) refuses with "access denied".
#if defined(_WIN32)
inline constexpr bool k_can_replace_open_files = false;
#else
inline constexpr bool k_can_replace_open_files = true;
#endif

// Makes renames and creations in `folder` durable (fsync of the folder on
// POSIX); nothing on Windows, where replace_file wrote through.
void sync_folder(const std::filesystem::path &folder) noexcept;

// The facts about a file that change detection and write checks need.
struct FileFacts {
  std::uint64_t size = 0;
  std::int64_t modified_ns = 0; // since the epoch of the file system
  std::uint64_t identity = 0;   // inode, or Windows' file index
  std::uint64_t device = 0;     // file system (st_dev, volume serial)
  bool is_symlink = false;      // only when not following links
  bool read_only = false;       // no write bit / FILE_ATTRIBUTE_READONLY
};
// Facts about `path`, following symbolic links unless `follow_links` is
// false; nullopt (and `error`) when it cannot be examined.
std::optional<FileFacts> file_facts(const std::filesystem::path &path,
                                    bool follow_links, std::error_code &error);

// Whether this process may write `path` (access(W_OK); on Windows, that it
// is not read-only). On false, `error` says why.
bool may_write(const std::filesystem::path &path, std::error_code &error);

// Writes every file system holding one of `folders` to disk (Linux's
// syncfs, once per file system). Only where k_can_sync_file_systems;
// elsewhere it returns false and the caller syncs each file itself.
#if defined(__linux__)
inline constexpr bool k_can_sync_file_systems = true;
#else
inline constexpr bool k_can_sync_file_systems = false;
#endif
bool sync_file_systems(std::span<const std::filesystem::path> folders,
                       std::error_code &error);

std::uint32_t current_process_id() noexcept;

// std::fopen for a path (_wfopen on Windows, where fopen takes the ANSI
// code page); nullptr and errno as fopen.
std::FILE *open_stdio(const std::filesystem::path &path, const char *mode);

} // namespace uploader::util
