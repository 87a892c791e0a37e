#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace uploader::discovery {

// sentry-cli's default extensions: what `sourcemaps upload` takes from a
// folder, and the JavaScript that `sourcemaps inject` rewrites (it always
// reads the maps too).
inline const std::vector<std::string> k_upload_extensions = {
    "js", "cjs", "mjs", "map", "jsbundle", "bundle"};
inline const std::vector<std::string> k_inject_extensions = {"js", "cjs",
                                                             "mjs"};

// `--ext` values as the walk takes them: "js", ".js" and "..js" all mean
// "js". Throws UsageError for one that is empty once its dots are gone.
std::vector<std::string>
normalize_extensions(const std::vector<std::string> &given);

struct WalkOptions {
  // Files or folders, as given on the command line.
  std::vector<std::string> roots;
  // File-name suffixes without the leading dot ("js", "min.js"); a file in
  // a walked folder is taken if its name ends with ".<ext>" for one of them.
  // Empty: every file.
  std::vector<std::string> extensions;
  // gitignore-style globs (`--ignore`), relative to each walked folder.
  std::vector<std::string> ignores;
  // Lines of gitignore-syntax files (`--ignore-file`), relative to the
  // working directory (see IgnoreFileRules).
  std::vector<std::string> ignore_file_lines;
};

struct DiscoveredFile {
  // The path as walked: the root as given joined with the relative path
  // ("./dist/app.js"). This is also sentry-cli's file "URL" for inject.
  std::filesystem::path path;
  // `path` with '/' separators.
  std::string url;
  // The root argument this file was found under (the file itself for an
  // explicit file argument).
  std::filesystem::path root;
  // Relative to `root` ("app.js", "chunks/1.js").
  std::string relative;
};

// Walks the roots like sentry-cli's file search: folders recursively,
// symlinks followed (loops skipped), hidden folders ('.' names) under a root
// skipped unless an ignore file's `!` line names them (hidden files are
// taken like any other), extension and ignore filters applied to folder
// contents only;
// an explicit file root is always taken. Results are in root order, then
// sorted by path, without duplicates. Throws uploader::Error if a root does
// not exist.
std::vector<DiscoveredFile> walk(const WalkOptions &options);

} // namespace uploader::discovery
