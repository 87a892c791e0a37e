#include "uploader/util/fs.hpp"

#include "uploader/util/error.hpp"
#include "uploader/util/log.hpp"
#include "uploader/util/parallel_close.hpp"
#include "uploader/util/platform.hpp"

#include <algorithm>
#include <cstdlib>
#include <mutex>
#include <random>
#include <set>
#include <vector>

namespace uploader::util {

namespace fs = std::filesystem;

namespace {

constexpr std::size_t k_buffer_limit = 256 << 10;

[[noreturn]] void fail(const fs::path &path, std::string_view what,
                       const std::error_code &error) {
  throw Error(std::string(what) + " " + path.string() + ": " + error.message());
}

// Why a file may not be written, in the words users know.
std::string write_refusal(const std::error_code &error) {
  return error == std::errc::permission_denied ||
                 error == std::errc::read_only_file_system
             ? "the file is read-only"
             : error.message();
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
  std::error_code error;
  NativeFile file = NativeFile::open(path, NativeFile::Mode::read, error);
  if (error) {
    fail(path, "cannot read", error);
  }
  // Read straight into a buffer of the file's size (one read for most
  // files); grow it if the file grew meanwhile.
  std::string contents;
  contents.resize(static_cast<std::size_t>(file.size().value_or(0)) + 1);
  std::size_t size = 0;
  for (;;) {
    if (size == contents.size()) {
      contents.resize(contents.size() * 2 + 4096);
    }
    std::size_t got =
        file.read(contents.data() + size, contents.size() - size, error);
    if (error) {
      fail(path, "cannot read", error);
    }
    if (got == 0) {
      break;
    }
    size += got;
  }
  contents.resize(size);
  return contents;
}

StagedFile::StagedFile(fs::path target) : m_target(std::move(target)) {
  fs::path folder = m_target.parent_path();
  fs::path base = m_target.filename();
  // Creating a file holds its folder's lock, and on ext4 without a journal
  // the inode search can take a millisecond (inodes freed in the last
  // minutes are skipped one by one). A second thread would spin on that
  // lock in the kernel; waiting here lets it sleep.
  static std::mutex create_mutex;
  std::lock_guard lock(create_mutex);
  std::error_code error;
  for (int attempt = 0; attempt < 16 && !m_file.is_open(); ++attempt) {
    fs::path name = ".";
    name += base;
    name += ".tmp-" + random_suffix();
    m_temp = folder / name;
    m_file = NativeFile::open(m_temp, NativeFile::Mode::create_new, error);
    if (error && error != std::errc::file_exists) {
      fail(m_target, "cannot create a temporary file next to", error);
    }
  }
  if (!m_file.is_open()) {
    fail(m_target, "cannot create a temporary file next to", error);
  }
}

StagedFile::~StagedFile() { discard(); }

StagedFile::StagedFile(StagedFile &&other) noexcept
    : m_target(std::move(other.m_target)), m_temp(std::move(other.m_temp)),
      m_buffer(std::move(other.m_buffer)), m_file(std::move(other.m_file)),
      m_finished(other.m_finished) {
  other.m_temp.clear();
}

StagedFile &StagedFile::operator=(StagedFile &&other) noexcept {
  if (this != &other) {
    discard();
    m_target = std::move(other.m_target);
    m_temp = std::move(other.m_temp);
    m_buffer = std::move(other.m_buffer);
    m_file = std::move(other.m_file);
    m_finished = other.m_finished;
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
  std::error_code error;
  m_file.write_all(bytes, error);
  if (error) {
    fail(m_target, "cannot write the replacement of", error);
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
  m_file.start_writeback();
  std::error_code error;
  m_file.copy_permissions_from(m_target, error);
  if (error) {
    fail(m_target, "cannot set the mode of the replacement of", error);
  }
  if (sync) {
    m_file.sync(error);
    if (error) {
      fail(m_target, "cannot fsync the replacement of", error);
    }
  }
  m_file.close(error);
  if (error) {
    fail(m_target, "cannot close the replacement of", error);
  }
  m_finished = true;
}

void StagedFile::commit() {
  finish();
  rename_over();
  sync_folder(m_target.parent_path()); // the rename durable too
}

void StagedFile::rename_over() {
  if (std::error_code error = replace_file(m_temp, m_target)) {
    fail(m_target, "cannot replace", error);
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
    fs::path temp = path_from_utf8(line.substr(0, tab));
    fs::path target = path_from_utf8(line.substr(tab + 1));
    if (fs::exists(temp, ec) && !replace_file(temp, target)) {
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
  std::set<fs::path> folders;
  for (StagedFile *file : files) {
    // Data first: one syncfs per file system holding the temporary files
    // where there is one, else each file's own sync.
    file->finish(!k_can_sync_file_systems);
    fs::path folder = file->target().parent_path();
    folders.insert(folder.empty() ? fs::path(".") : folder);
  }
  std::vector<fs::path> folder_list(folders.begin(), folders.end());
  std::error_code sync_error;
  sync_file_systems(folder_list, sync_error);
  if (sync_error) {
    fail(folder_list.front(), "cannot sync the file system of", sync_error);
  }
  timer.phase("synced " + std::to_string(files.size()) + " files");
  fs::path journal;
  if (!journal_folder.empty() && files.size() > 1) {
    std::string entries;
    for (StagedFile *file : files) {
      entries += path_to_utf8(fs::absolute(file->temp_path())) + "\t" +
                 path_to_utf8(fs::absolute(file->target())) + "\n";
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
  {
    for (StagedFile *file : files) {
      if (exit_after-- == 0) {
        std::_Exit(137);
      }
      // Hold the file being replaced open, so that freeing it happens on
      // the closer's threads, not inside rename (where the platform lets a
      // rename replace an open file).
      NativeFile old;
      if constexpr (k_can_replace_open_files) {
        std::error_code ignored;
        old = NativeFile::open(file->target(), NativeFile::Mode::read, ignored);
      }
      try {
        file->rename_over();
      } catch (...) {
        closer.close_later(old.release());
        throw;
      }
      closer.close_later(old.release());
    }
  }
  timer.phase("renamed them");
  // Then the renames.
  for (const auto &folder : folder_list) {
    sync_folder(folder);
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
  std::string key = folder.empty() ? "." : path_to_utf8(folder);
  auto it = m_folders.find(key);
  if (it != m_folders.end()) {
    return it->second;
  }
  std::error_code error;
  fs::path real = fs::canonical(path_from_utf8(key), error);
  if (error) {
    throw Error("cannot resolve " + key + ": " + error.message());
  }
  m_folders.emplace(key, real);
  return real;
}

fs::path WriteResolver::resolve(const fs::path &path, const fs::path &root) {
  std::error_code error;
  std::optional<FileFacts> facts = file_facts(path, false, error);
  if (!facts) {
    fail(path, "cannot access", error);
  }
  if (facts->is_symlink) {
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
  if (facts->read_only) {
    throw Error("cannot modify " + path.string() + ": the file is read-only");
  }
  if (!may_write(path, error)) {
    throw Error("cannot modify " + path.string() + ": " + write_refusal(error));
  }
  return real;
}

void StagedFile::discard() noexcept {
  close_native(m_file.release());
  if (!m_temp.empty()) {
    std::error_code ignored;
    fs::remove(m_temp, ignored);
    m_temp.clear();
  }
}

void write_file_atomic(const fs::path &path, std::string_view bytes) {
  StagedFile staged(path);
  staged.write(bytes);
  staged.commit();
}

std::vector<std::string> files_below(const fs::path &folder) {
  std::vector<std::string> files;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(folder, ec);
       !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
    std::error_code kind;
    if (it->is_regular_file(kind)) {
      std::string relative =
          path_to_utf8(it->path().lexically_relative(folder));
      std::ranges::replace(relative, '\\', '/');
      files.push_back(std::move(relative));
    }
  }
  std::ranges::sort(files);
  return files;
}

std::string file_identity(const fs::path &path) {
  std::error_code error;
  std::optional<FileFacts> facts = file_facts(path, true, error);
  if (!facts) {
    return "absent";
  }
  return std::to_string(facts->size) + ' ' +
         std::to_string(facts->modified_ns / 1'000'000'000) + '.' +
         std::to_string(facts->modified_ns % 1'000'000'000) + ' ' +
         std::to_string(facts->identity);
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
  std::optional<FileFacts> facts = file_facts(real, true, error);
  if (facts && facts->read_only) {
    throw Error("cannot modify " + path.string() + ": the file is read-only");
  }
  if (!may_write(real, error)) {
    throw Error("cannot modify " + path.string() + ": " + write_refusal(error));
  }
  return real;
}

} // namespace uploader::util
