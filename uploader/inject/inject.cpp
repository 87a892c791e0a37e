#include "uploader/inject/inject.hpp"

#include "uploader/discovery/references.hpp"
#include "uploader/discovery/walk.hpp"
#include "uploader/inject/file_analysis.hpp"
#include "uploader/inject/parallel.hpp"
#include "uploader/sourcemap/debug_id.hpp"
#include "uploader/sourcemap/injection.hpp"
#include "uploader/sourcemap/source_map.hpp"
#include "uploader/util/error.hpp"
#include "uploader/util/fs.hpp"
#include "uploader/util/hash.hpp"
#include "uploader/util/log.hpp"
#include "uploader/util/platform.hpp"
#include "uploader/util/utf8.hpp"

#include <algorithm>
#include <atomic>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>

namespace uploader::inject {

namespace {

namespace fs = std::filesystem;
using sourcemap::DebugId;
using sourcemap::ParsedMap;

// A file taken for a source map by its name is not one: the run starts over
// and sniffs every file first.
class PresumptionRefuted : public Error {
public:
  explicit PresumptionRefuted(const std::string &url)
      : Error(url + " is not a source map after all") {}
};

bool url_matches_extension(std::string_view url,
                           const std::vector<std::string> &extensions) {
  if (extensions.empty()) {
    return true;
  }
  auto slash = url.rfind('/');
  std::string_view name =
      slash == std::string_view::npos ? url : url.substr(slash + 1);
  return std::ranges::any_of(extensions, [&](const std::string &ext) {
    return name.ends_with("." + ext);
  });
}

// A file to replace, prepared (or, in a dry run, only computed).
struct PendingWrite {
  std::unique_ptr<util::StagedFile> staged;
};

class Injector {
public:
  Injector(std::vector<FileInfo> files, bool dry_run, bool skip_invalid,
           std::vector<std::string> extensions, Report &report)
      : m_files(std::move(files)), m_dry_run(dry_run),
        m_skip_invalid(skip_invalid), m_extensions(std::move(extensions)),
        m_report(report), m_confirmed(m_files.size(), 0) {
    for (std::size_t i = 0; i < m_files.size(); ++i) {
      m_by_url.emplace(m_files[i].file.url, i);
      if (m_files[i].kind == discovery::FileKind::sourcemap) {
        m_sourcemap_urls.push_back(m_files[i].file.url);
      }
    }
    std::ranges::sort(m_sourcemap_urls);
  }

  // Prepares every change; returns the errors (empty = all good).
  std::vector<std::string>
  prepare(const std::map<std::string, discovery::SourceReference> &refs) {
    std::vector<Task> tasks;
    for (const auto &[url, ref] : refs) {
      if (!url_matches_extension(url, m_extensions)) {
        continue;
      }
      if (!ref.warnings.empty()) {
        auto &warnings = m_report.warnings[url];
        warnings.insert(warnings.end(), ref.warnings.begin(),
                        ref.warnings.end());
      }
      const FileInfo &info = m_files[m_by_url.at(url)];
      if (info.debug_id) {
        m_report.previously_injected.push_back(Item{url, *info.debug_id});
        continue;
      }
      tasks.push_back(Task{&info, &ref.reference});
    }
    std::vector<std::string> errors;
    std::vector<Outcome> outcomes(tasks.size());
    if (independent(tasks)) {
      // No file is read or written by two tasks: they can run in parallel,
      // and are merged in order so that the report stays the same.
      for_each_index(tasks.size(),
                     [&](std::size_t i) { run(tasks[i], outcomes[i]); });
      for (std::size_t i = 0; i < tasks.size(); ++i) {
        merge(tasks[i], outcomes[i], errors);
      }
    } else {
      // A later task may read what an earlier one staged: one at a time.
      for (std::size_t i = 0; i < tasks.size(); ++i) {
        run(tasks[i], outcomes[i]);
        merge(tasks[i], outcomes[i], errors);
      }
    }
    return errors;
  }

  // Sniffs the files presumed to be maps that no task parsed. True if every
  // presumption held; false means nothing may be committed.
  bool confirm_presumed_maps() {
    for (std::size_t i = 0; i < m_files.size() && !m_refuted; ++i) {
      if (m_files[i].presumed_map && m_confirmed[i] == 0) {
        confirm(m_files[i],
                sourcemap::is_sourcemap(util::read_file(m_files[i].file.path)));
      }
    }
    return !m_refuted;
  }

  void commit() {
    std::vector<util::StagedFile *> staged;
    for (auto &[target, write] : m_pending) {
      if (write.staged) {
        staged.push_back(write.staged.get());
      }
    }
    util::commit_all(staged, m_journal_folder);
    m_pending.clear();
  }

  void discard() { m_pending.clear(); }

private:
  // One JS file to inject, and what came out of it.
  struct Task {
    const FileInfo *info;
    const std::optional<discovery::SourcemapReference> *reference;
  };
  struct Outcome {
    // Changes of this file are kept apart until it fully succeeded.
    std::map<std::string, PendingWrite> local;
    std::vector<Item> maps;
    std::vector<Item> skipped_maps;
    std::vector<std::string> warnings;
    std::optional<DebugId> id;
    std::exception_ptr error;
  };

  // The map file `info`'s reference points to, if it is one we found.
  const FileInfo *
  referenced_map(const FileInfo &info,
                 const std::optional<discovery::SourcemapReference> &reference,
                 std::vector<std::string> *warnings) const {
    if (!reference ||
        reference->url.starts_with(discovery::k_data_url_prefix)) {
      return nullptr;
    }
    const std::string &url = info.file.url;
    auto resolved = discovery::resolve_external_reference(url, reference->url,
                                                          m_sourcemap_urls);
    if (warnings != nullptr && !resolved.ambiguous.empty()) {
      std::string text =
          "Ambiguous matches for sourcemap path " + resolved.url + ":";
      for (const auto &candidate : resolved.ambiguous) {
        text += " " + candidate;
      }
      warnings->push_back(text);
    }
    auto found = m_by_url.find(resolved.url);
    return found == m_by_url.end() ? nullptr : &m_files[found->second];
  }

  // True if no file is touched (read or written) by two of `tasks`.
  bool independent(const std::vector<Task> &tasks) const {
    std::set<std::string> touched;
    for (const Task &task : tasks) {
      if (!touched.insert(task.info->file.path.string()).second) {
        return false;
      }
      const FileInfo *map =
          referenced_map(*task.info, *task.reference, nullptr);
      if (map != nullptr && !touched.insert(map->file.path.string()).second) {
        return false;
      }
    }
    return true;
  }

  void run(const Task &task, Outcome &outcome) {
    try {
      outcome.id =
          inject_one(*task.info, *task.reference, outcome.local, outcome.maps,
                     outcome.skipped_maps, outcome.warnings);
    } catch (...) {
      outcome.error = std::current_exception();
    }
  }

  void merge(const Task &task, Outcome &outcome,
             std::vector<std::string> &errors) {
    const std::string &url = task.info->file.url;
    if (!outcome.warnings.empty()) {
      auto &warnings = m_report.warnings[url];
      warnings.insert(warnings.end(), outcome.warnings.begin(),
                      outcome.warnings.end());
    }
    try {
      if (outcome.error) {
        std::rethrow_exception(outcome.error);
      }
    } catch (const std::exception &error) {
      if (m_skip_invalid) {
        m_report.skipped.emplace_back(url, error.what());
      } else {
        errors.push_back(error.what());
      }
      outcome.local.clear();
      return;
    }
    if (!outcome.id) {
      return;
    }
    for (auto &[target, write] : outcome.local) {
      m_pending[target] = std::move(write);
    }
    m_report.injected.push_back(Item{url, *outcome.id});
    m_report.sourcemaps.insert(m_report.sourcemaps.end(), outcome.maps.begin(),
                               outcome.maps.end());
    m_report.skipped_sourcemaps.insert(m_report.skipped_sourcemaps.end(),
                                       outcome.skipped_maps.begin(),
                                       outcome.skipped_maps.end());
  }

  // The current contents of `url`: a staged rewrite if there is one.
  std::string
  current_contents(const FileInfo &info,
                   const std::map<std::string, PendingWrite> &local) const {
    for (const auto *pending : {&local, &m_pending}) {
      auto it = pending->find(info.file.path.string());
      if (it != pending->end() && it->second.staged) {
        return util::read_file(it->second.staged->temp_path());
      }
    }
    return util::read_file(info.file.path);
  }

  // Opens the replacement of `info`'s file (checks symlinks and modes).
  std::unique_ptr<util::StagedFile> stage(const FileInfo &info) {
    fs::path real;
    {
      std::lock_guard lock(m_resolver_mutex); // tasks may run in parallel
      real = m_resolver.resolve(info.file.path, info.file.root);
    }
    if (m_dry_run) {
      return nullptr;
    }
    return std::make_unique<util::StagedFile>(real);
  }

  std::optional<DebugId>
  inject_one(const FileInfo &info,
             const std::optional<discovery::SourcemapReference> &reference,
             std::map<std::string, PendingWrite> &local,
             std::vector<Item> &maps, std::vector<Item> &skipped_maps,
             std::vector<std::string> &warnings) {
    const std::string &url = info.file.url;
    std::string js = current_contents(info, local);
    std::size_t bad = util::first_invalid_utf8(js);
    if (bad != js.size()) {
      throw Error(url + " is not valid UTF-8 (byte " + std::to_string(bad) +
                  "); JavaScript files must be UTF-8");
    }
    std::string output;
    DebugId id;
    if (!reference) {
      id = sourcemap::debug_id_from_bytes(js);
      output = sourcemap::inject_at_end(js, id);
    } else if (reference->url.starts_with(discovery::k_data_url_prefix)) {
      auto encoded = std::string_view(reference->url)
                         .substr(discovery::k_data_url_prefix.size());
      auto decoded = util::base64_decode(encoded, true);
      if (!decoded) {
        warnings.push_back("Skipping " + url +
                           ": embedded sourcemap is not valid base64");
        return std::nullopt;
      }
      ParsedMap map = parse_map(*decoded, url + " (embedded sourcemap)");
      id = map.debug_id ? *map.debug_id
                        : sourcemap::debug_id_from_js_and_map(js, *decoded);
      sourcemap::MapWriteOptions options;
      options.debug_id = id;
      sourcemap::LineEdit edit;
      output = apply_strategy(js, id, map, options, edit);
      std::string encoded_map;
      write_map(map, options, encoded_map, nullptr,
                url + " (embedded sourcemap)");
      output = sourcemap::replace_sourcemap_url(
          output, std::string(discovery::k_data_url_prefix) +
                      util::base64_encode(encoded_map));
    } else {
      const FileInfo *found = referenced_map(info, reference, &warnings);
      if (found == nullptr) {
        id = sourcemap::debug_id_from_bytes(js);
        output = sourcemap::inject_at_end(js, id);
      } else {
        const FileInfo &map_info = *found;
        std::string map_text = current_contents(map_info, local);
        ParsedMap map = parse_found_map(map_info, map_text);
        bool fresh = !map.debug_id.has_value();
        id = map.debug_id ? *map.debug_id
                          : sourcemap::debug_id_from_js_and_map(js, map_text);
        sourcemap::MapWriteOptions options;
        options.debug_id = id;
        sourcemap::LineEdit edit;
        output = apply_strategy(js, id, map, options, edit);
        std::unique_ptr<util::StagedFile> staged = stage(map_info);
        std::string unused;
        write_map(map, options, unused, staged.get(), map_info.file.url);
        if (staged) {
          staged->finish(false);
        }
        local[map_info.file.path.string()] = PendingWrite{std::move(staged)};
        (fresh ? maps : skipped_maps)
            .push_back(Item{map_info.file.path.string(), id});
      }
    }
    std::unique_ptr<util::StagedFile> staged = stage(info);
    if (staged) {
      staged->write(output);
      staged->finish(false);
    }
    local[info.file.path.string()] = PendingWrite{std::move(staged)};
    return id;
  }

  // Records what sniffing the presumed map `info` says; false if it is not
  // a map after all.
  bool confirm(const FileInfo &info, bool is_sourcemap) {
    m_confirmed[static_cast<std::size_t>(&info - m_files.data())] = 1;
    if (!is_sourcemap) {
      m_refuted = true;
    }
    return is_sourcemap;
  }

  // parse_map, confirming (or refuting) a map presumed by its name.
  ParsedMap parse_found_map(const FileInfo &info, std::string_view text) {
    if (!info.presumed_map) {
      return parse_map(text, info.file.url);
    }
    try {
      ParsedMap map = sourcemap::parse_source_map(text);
      if (!confirm(info, map.passes_is_sourcemap)) {
        throw PresumptionRefuted(info.file.url);
      }
      return map;
    } catch (const sourcemap::JsonError &error) {
      if (!confirm(info, sourcemap::is_sourcemap(text))) {
        throw PresumptionRefuted(info.file.url);
      }
      throw Error("invalid sourcemap " + info.file.url + ": " + error.what());
    }
  }

  static ParsedMap parse_map(std::string_view text, const std::string &name) {
    try {
      return sourcemap::parse_source_map(text);
    } catch (const sourcemap::JsonError &error) {
      throw Error("invalid sourcemap " + name + ": " + error.what());
    }
  }

  // Serialises `map` into `staged` (streaming) or into `buffer`.
  static void write_map(const ParsedMap &map,
                        const sourcemap::MapWriteOptions &options,
                        std::string &buffer, util::StagedFile *staged,
                        const std::string &name) {
    std::string out;
    std::function<void(std::string &)> flush;
    if (staged != nullptr) {
      flush = [staged](std::string &chunk) {
        staged->write(chunk);
        chunk.clear();
      };
    } else {
      flush = [](std::string &) {};
    }
    try {
      sourcemap::write_source_map(map, options, out, flush);
    } catch (const sourcemap::MappingsError &error) {
      throw Error("invalid sourcemap " + name + ": " + error.what());
    } catch (const Error &error) {
      throw Error("cannot rewrite sourcemap " + name + ": " + error.what());
    }
    if (staged != nullptr) {
      staged->write(out);
    } else {
      buffer = std::move(out);
    }
  }

  // Picks strategy A, B or C for `map` and returns the new JS; fills
  // `options` so that the map is rewritten to match.
  static std::string apply_strategy(std::string_view js, const DebugId &id,
                                    const ParsedMap &map,
                                    sourcemap::MapWriteOptions &options,
                                    sourcemap::LineEdit &edit) {
    if (map.kind == ParsedMap::Kind::index) {
      if (sourcemap::can_shift_sections(map, 1)) {
        options.section_line_shift = 1;
        return sourcemap::inject_at_start(js, id);
      }
      return sourcemap::inject_at_end(js, id);
    }
    std::size_t prelude = sourcemap::find_prelude_end(js);
    edit = sourcemap::line_edit_for_insert(js, prelude);
    options.edit = &edit;
    return sourcemap::inject_after_prelude(js, id, prelude);
  }

  std::vector<FileInfo> m_files;
  bool m_dry_run;
  bool m_skip_invalid;
  std::vector<std::string> m_extensions;
  Report &m_report;
  std::map<std::string, std::size_t> m_by_url;
  std::vector<std::string> m_sourcemap_urls;
  std::map<std::string, PendingWrite> m_pending;
  util::WriteResolver m_resolver;
  std::mutex m_resolver_mutex;
  // Per file: a presumed map's sniff verdict is known (tasks that run in
  // parallel never share a file, so they write distinct elements).
  std::vector<std::uint8_t> m_confirmed;
  std::atomic<bool> m_refuted{false};

public:
  // Where commit() keeps its journal of renames (see util::commit_all).
  std::filesystem::path m_journal_folder;
};

// One attempt at the whole injection (see analyse for `presume_maps`).
// Returns false, having changed nothing, if a presumed map was not one.
bool attempt(const InjectOptions &options,
             std::vector<discovery::DiscoveredFile> walked, bool presume_maps,
             InjectResult &result, util::PhaseTimer &timer) {
  // Analyse every file once: kind, written map location, debug id.
  std::vector<FileInfo> files(walked.size());
  std::vector<discovery::FileFacts> all_facts(walked.size());
  for_each_index(walked.size(), [&](std::size_t i) {
    analyse(walked[i], files[i], all_facts[i], presume_maps);
  });
  std::vector<discovery::FileFacts> facts;
  for (std::size_t i = 0; i < files.size(); ++i) {
    if (!files[i].skipped_type) {
      facts.push_back(std::move(all_facts[i]));
    }
  }
  timer.phase("read and classified them");

  result.files_found = files.size();
  auto references = discovery::collect_sourcemap_references(facts);
  Injector injector(std::move(files), options.dry_run, options.skip_invalid,
                    options.extensions, result.report);
  if (!options.roots.empty()) {
    injector.m_journal_folder = util::path_from_utf8(options.roots.front());
  }
  result.errors = injector.prepare(references);
  if (!injector.confirm_presumed_maps()) {
    return false; // the injector's staged files are removed with it
  }
  timer.phase("prepared the changes");
  if (!result.errors.empty()) {
    injector.discard();
    return true;
  }
  if (!options.dry_run) {
    injector.commit();
    timer.phase("committed them");
  }
  return true;
}

} // namespace

InjectResult inject_debug_ids(const InjectOptions &options) {
  InjectResult result;
  util::PhaseTimer timer("inject");
  if (!options.dry_run) {
    // A run killed half-way through its renames left a journal: finish it
    // first, so that no JS file stays injected with its map untouched.
    for (const auto &root : options.roots) {
      result.recovered +=
          util::recover_interrupted_commit(util::path_from_utf8(root));
    }
  }
  discovery::WalkOptions walk_options;
  walk_options.roots = options.roots;
  walk_options.extensions = options.extensions;
  walk_options.extensions.push_back("map");
  walk_options.extensions.push_back("wasm");
  walk_options.ignores = options.ignores;
  walk_options.ignore_file_lines = options.ignore_file_lines;
  std::vector<discovery::DiscoveredFile> walked = discovery::walk(walk_options);
  timer.phase("found " + std::to_string(walked.size()) + " files");

  // WebAssembly modules first: a bad one stops the run before any change.
  std::vector<discovery::DiscoveredFile> modules;
  std::erase_if(walked, [&](const discovery::DiscoveredFile &file) {
    bool module = util::path_to_utf8(file.path).ends_with(".wasm");
    if (module) {
      modules.push_back(file);
    }
    return module;
  });
  WasmBuildIds build_ids =
      prepare_build_ids(modules, options.dry_run, options.skip_invalid);
  if (!build_ids.errors.empty()) {
    result.errors = std::move(build_ids.errors);
    result.errors_skippable = !build_ids.conflict;
    return result;
  }

  if (!attempt(options, walked, true, result, timer)) {
    util::log_debug("a .map file is not a source map: sniffing every file");
    InjectResult exact;
    exact.recovered = result.recovered;
    attempt(options, std::move(walked), false, exact, timer);
    result = std::move(exact);
  }
  if (!result.errors.empty()) {
    return result; // the staged modules are removed with build_ids
  }
  if (!options.dry_run && !options.roots.empty()) {
    commit_build_ids(build_ids, util::path_from_utf8(options.roots.front()));
  }
  result.report.skipped.insert(result.report.skipped.end(),
                               build_ids.skipped.begin(),
                               build_ids.skipped.end());
  result.report.build_ids_given = std::move(build_ids.given);
  result.report.build_ids_kept = std::move(build_ids.kept);
  return result;
}

} // namespace uploader::inject
