#include "uploader/discovery/walk.hpp"

#include "uploader/discovery/glob.hpp"
#include "uploader/util/error.hpp"
#include "uploader/util/platform.hpp"

#include <algorithm>
#include <iostream>
#include <set>

namespace uploader::discovery {

namespace fs = std::filesystem;

namespace {

std::string join_url(std::string_view root, std::string_view relative) {
  std::string url = util::path_as_url(std::string(root));
  if (!url.empty() && url.back() != '/') {
    url += '/';
  }
  url += relative;
  return url;
}

bool has_extension(std::string_view name,
                   const std::vector<std::string> &extensions) {
  if (extensions.empty()) {
    return true;
  }
  return std::ranges::any_of(extensions, [&](const std::string &ext) {
    return name.size() > ext.size() && name.ends_with(ext) &&
           name[name.size() - ext.size() - 1] == '.';
  });
}

class Walker {
public:
  Walker(const WalkOptions &options, std::vector<DiscoveredFile> &out)
      : m_options(options), m_out(out) {
    for (const auto &ignore : options.ignores) {
      m_ignores.emplace_back(ignore);
    }
    for (const auto &line : options.ignore_file_lines) {
      m_ignore_file.add_line(line);
    }
    if (!m_ignore_file.empty()) {
      m_cwd = fs::current_path().lexically_normal().generic_string();
    }
  }

  void walk_root(const std::string &root) {
    std::error_code error;
    fs::path root_path = util::path_from_utf8(root);
    fs::file_status status = fs::status(root_path, error);
    if (error || !fs::exists(status)) {
      throw Error("cannot search " + root + ": no such file or directory");
    }
    if (!fs::is_directory(status)) {
      std::string url = util::path_as_url(root);
      auto slash = url.rfind('/');
      add(root_path, url, root_path,
          slash == std::string::npos ? url : url.substr(slash + 1));
      return;
    }
    std::vector<fs::path> ancestors;
    walk_dir(root_path, root, "", root_path, ancestors);
  }

private:
  // As sentry-cli's walker decides: `--ignore` globs win; then the ignore
  // files, which see the path relative to the working directory; then a
  // hidden folder is skipped unless an ignore file's `!` line names it.
  // (Hidden files are not: the extension filter takes them, as sentry-cli's
  // does.)
  bool ignored(const fs::path &path, const std::string &name,
               const std::string &relative, bool is_dir) const {
    if (std::ranges::any_of(m_ignores, [&](const IgnorePattern &pattern) {
          return pattern.matches(relative, is_dir);
        })) {
      return true;
    }
    auto verdict = IgnoreFileRules::Verdict::none;
    if (!m_ignore_file.empty()) {
      verdict = m_ignore_file.match(relative_to_cwd(path), is_dir);
    }
    if (verdict != IgnoreFileRules::Verdict::none) {
      return verdict == IgnoreFileRules::Verdict::exclude;
    }
    return is_dir && name.starts_with(".");
  }

  std::string relative_to_cwd(const fs::path &path) const {
    std::string absolute =
        fs::absolute(path).lexically_normal().generic_string();
    std::string base = m_cwd.ends_with('/') ? m_cwd : m_cwd + "/";
    return absolute.starts_with(base) ? absolute.substr(base.size()) : absolute;
  }

  void add(const fs::path &path, const std::string &url, const fs::path &root,
           const std::string &relative) {
    if (m_seen.insert(url).second) {
      m_out.push_back(DiscoveredFile{path, url, root, relative});
    }
  }

  void walk_dir(const fs::path &dir, const std::string &root,
                const std::string &relative, const fs::path &root_path,
                std::vector<fs::path> &ancestors) {
    std::error_code error;
    fs::path real = fs::canonical(dir, error);
    bool pushed = false;
    if (!error) {
      if (std::ranges::find(ancestors, real) != ancestors.end()) {
        std::cerr << "warning: skipping " << dir.string() << ": symlink loop\n";
        return;
      }
      ancestors.push_back(real);
      pushed = true;
    }
    std::vector<std::string> names;
    fs::directory_iterator it(dir, error);
    if (error) {
      throw Error("cannot list " + dir.string() + ": " + error.message());
    }
    for (const auto &entry : it) {
      names.push_back(util::path_to_utf8(entry.path().filename()));
    }
    std::ranges::sort(names);
    for (const auto &name : names) {
      std::string child_relative =
          relative.empty() ? name : relative + "/" + name;
      fs::path child = dir / util::path_from_utf8(name);
      fs::file_status status = fs::status(child, error);
      if (error) {
        std::cerr << "warning: skipping " << child.string() << ": "
                  << error.message() << "\n";
        continue;
      }
      bool is_dir = fs::is_directory(status);
      if (ignored(child, name, child_relative, is_dir)) {
        continue;
      }
      if (is_dir) {
        walk_dir(child, root, child_relative, root_path, ancestors);
      } else if (fs::is_regular_file(status) &&
                 has_extension(name, m_options.extensions)) {
        add(child, join_url(root, child_relative), root_path, child_relative);
      }
    }
    if (pushed) {
      ancestors.pop_back();
    }
  }

  const WalkOptions &m_options;
  std::vector<DiscoveredFile> &m_out;
  std::vector<IgnorePattern> m_ignores;
  IgnoreFileRules m_ignore_file;
  std::string m_cwd;
  std::set<std::string> m_seen;
};

} // namespace

std::vector<DiscoveredFile> walk(const WalkOptions &options) {
  std::vector<DiscoveredFile> files;
  Walker walker(options, files);
  for (const auto &root : options.roots) {
    walker.walk_root(root);
  }
  return files;
}

std::vector<std::string>
normalize_extensions(const std::vector<std::string> &given) {
  std::vector<std::string> extensions;
  for (std::string ext : given) {
    ext.erase(0, ext.find_first_not_of('.'));
    if (ext.empty()) {
      throw UsageError("--ext needs a non-empty extension");
    }
    extensions.push_back(std::move(ext));
  }
  return extensions;
}

} // namespace uploader::discovery
