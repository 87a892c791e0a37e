#include "uploader/upload/legacy_release_files.hpp"

#include "uploader/http/retry.hpp"
#include "uploader/upload/progress.hpp"
#include "uploader/util/error.hpp"
#include "uploader/util/fs.hpp"

#include <set>
#include <utility>

namespace uploader::upload {

namespace {

// sentry-cli 2.x refuses more; so do old servers' release limits.
constexpr size_t k_max_files = 20000;

http::MultipartPart field(std::string name, std::string value) {
  http::MultipartPart part;
  part.name = std::move(name);
  part.content_type.clear();
  part.data = std::move(value);
  return part;
}

std::string last_segment(const std::string &url) {
  size_t slash = url.find_last_of('/');
  return slash == std::string::npos ? url : url.substr(slash + 1);
}

http::Request file_request(const http::Api &api, const std::string &path,
                           const bundle::BundleInput &file,
                           const BundleTarget &target,
                           bundle::MapRewriter &rewriter) {
  http::Request request;
  request.method = "POST";
  request.url = api.url(path);
  http::MultipartPart content;
  content.name = "file";
  content.filename = last_segment(file.url);
  content.data = util::read_file(file.path);
  if (file.type == bundle::SourceFileType::source_map) {
    if (auto rewritten =
            rewriter.rewrite(file.path, content.data, file.built_in)) {
      content.data = std::move(*rewritten);
    }
  }
  request.parts.push_back(std::move(content));
  request.parts.push_back(field("name", file.url));
  if (target.dist) {
    request.parts.push_back(field("dist", *target.dist));
  }
  // The header names old servers read (ReleaseFile headers).
  if (auto it = file.headers.find("sourcemap"); it != file.headers.end()) {
    request.parts.push_back(field("header", "Sourcemap:" + it->second));
  }
  if (auto it = file.headers.find("debug-id"); it != file.headers.end()) {
    request.parts.push_back(field("header", "debug-id:" + it->second));
  }
  return request;
}

} // namespace

ReleaseFilesSummary
upload_release_files(http::Api &api, releases::ReleaseApi &releases,
                     const std::vector<bundle::BundleInput> &files,
                     const BundleTarget &target,
                     const bundle::MapRewriteSettings &map_rewrite,
                     size_t concurrency, const PhaseReporter &report) {
  if (!target.release) {
    throw ConfigError("uploading release files needs a release");
  }
  const std::string &version = *target.release;
  if (files.size() > k_max_files) {
    throw Error("this Sentry server takes files one by one, at most " +
                std::to_string(k_max_files) + " per upload; " +
                std::to_string(files.size()) +
                " were found: narrow the folder or use --ignore");
  }
  std::set<std::string> names;
  for (const auto &file : files) {
    names.insert(file.url);
  }
  ReleaseFilesSummary summary;
  for (const auto &existing : releases.files(target.projects, version)) {
    if (names.contains(existing.name) && existing.dist == target.dist) {
      releases.delete_file(target.projects, version, existing.id);
      ++summary.replaced;
    }
  }
  std::string path = releases.files_path(target.projects, version);
  std::vector<http::Request> requests;
  bundle::MapRewriter rewriter(map_rewrite);
  for (const auto &file : files) {
    requests.push_back(file_request(api, path, file, target, rewriter));
    summary.bytes_sent += requests.back().parts.front().data.size();
  }
  report("uploading " + std::to_string(files.size()) +
         " files one by one to release " + version + " (" +
         format_mib(summary.bytes_sent) + ")" +
         (summary.replaced > 0
              ? ", replacing " + std::to_string(summary.replaced)
              : ""));
  auto responses = http::send_with_retry(api.transport(), requests, concurrency,
                                         api.policy(), api.observer());
  for (size_t i = 0; i < responses.size(); ++i) {
    const http::Response &response = responses[i];
    bool answered = response.transport_error.empty();
    if (answered && response.status == 201) {
      ++summary.created;
    } else if (answered && response.status == 409) {
      ++summary.existed; // "A file matching this name already exists"
    } else {
      api.fail(requests[i], response, "release '" + version + "'");
    }
  }
  summary.sources_read = rewriter.sources_read();
  return summary;
}

} // namespace uploader::upload
