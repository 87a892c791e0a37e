#pragma once

#include "uploader/util/native_file.hpp"

#include <filesystem>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace uploader::util {

// Reads the whole file. Throws uploader::Error naming the file on failure.
std::string read_file(const std::filesystem::path &path);

// A replacement for one file, written next to it and not yet visible.
//
// The constructor creates a temporary file in the target's folder. write()
// appends to it; commit() fsyncs it, gives it the target's mode and renames
// it over the target. If commit() is never called (an error elsewhere, an
// exception), the destructor removes the temporary file and the target is
// untouched. `target` must not be a symlink: resolve it first (see
// resolve_for_write).
class StagedFile {
public:
  explicit StagedFile(std::filesystem::path target);
  ~StagedFile();
  StagedFile(const StagedFile &) = delete;
  StagedFile &operator=(const StagedFile &) = delete;
  StagedFile(StagedFile &&other) noexcept;
  StagedFile &operator=(StagedFile &&other) noexcept;

  void write(std::string_view bytes);
  // Flushes the temporary file, gives it the target's mode and (with
  // `sync`) fsyncs it. After this only commit() or destruction remain.
  void finish(bool sync = true);
  // Renames the temporary file over the target (finish() first if needed).
  void commit();
  // Removes the temporary file; the target stays as it was.
  void discard() noexcept;
  // Renames without syncing anything (commit_all did that).
  void rename_over();

  const std::filesystem::path &target() const { return m_target; }
  const std::filesystem::path &temp_path() const { return m_temp; }

private:
  void flush_buffer();
  void write_all(std::string_view bytes);

  std::filesystem::path m_target;
  std::filesystem::path m_temp;
  std::string m_buffer;
  NativeFile m_file;
  bool m_finished = false;
};

// Commits many staged files with the same guarantee as commit() but far
// fewer syncs: every temporary file is written out first (one syncfs per
// file system), then all are renamed, then each distinct folder is fsynced
// once.
//
// With a `journal_folder`, the renames are recorded there first (in a hidden
// journal file, synced), so that a process killed half-way through them
// leaves a record: recover_interrupted_commit() then finishes the renames
// from the already synced temporary files, and the set of files is never
// left half old, half new (a JS file injected but its map not).
void commit_all(std::span<StagedFile *const> files,
                const std::filesystem::path &journal_folder = {});

// Finishes the renames of a commit_all() that was interrupted, if its
// journal is in `journal_folder`; returns how many files it replaced.
std::size_t
recover_interrupted_commit(const std::filesystem::path &journal_folder);

#ifdef SENTRY_SOURCEMAPS_TEST_HOOKS
// A test aid, only in builds with the tests: commit_all() ends the process
// (as kill -9 would) after this many renames; negative: never.
void set_exit_after_renames(long renames);
#endif

// Replaces `path` with `bytes` atomically (StagedFile + commit).
void write_file_atomic(const std::filesystem::path &path,
                       std::string_view bytes);

// Returns the real file to write for `path` found while walking `root`
// (see resolve_for_write); caches the real folders it resolves.
class WriteResolver {
public:
  std::filesystem::path resolve(const std::filesystem::path &path,
                                const std::filesystem::path &root);

private:
  std::filesystem::path real_folder(const std::filesystem::path &folder);

  std::map<std::string, std::filesystem::path> m_folders;
};

// What changes when a file is replaced or edited in place: size,
// modification time (ns) and inode, following symbolic links; "absent" when
// it cannot be examined. Cheap change detection for stamps and caches.
std::string file_identity(const std::filesystem::path &path);

// Every regular file below `folder`, hidden ones too, relative to it with
// '/' separators, sorted: what a folder deploys. Links to files count
// (their contents are what is copied); links to folders are not followed,
// so nothing outside is reached and no loop is walked. Empty when `folder`
// cannot be read.
std::vector<std::string> files_below(const std::filesystem::path &folder);

// True if `path` is `folder` or lies below it, comparing whole components
// (`/a/bc` is not inside `/a/b`). Both should be canonical: this does not
// look at the disk.
bool is_inside(const std::filesystem::path &path,
               const std::filesystem::path &folder);

// Returns the real file to write for `path` found while walking `root`:
// symlinks are resolved, and the result must stay inside the real `root`
// folder. Throws uploader::Error naming `path` if the link points outside,
// or if the file is not writable (read-only).
std::filesystem::path resolve_for_write(const std::filesystem::path &path,
                                        const std::filesystem::path &root);

} // namespace uploader::util
