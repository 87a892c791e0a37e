#include "uploader/resolve/server_lookup.hpp"

#include "uploader/bundle/bundle_reader.hpp"
#include "uploader/util/error.hpp"
#include "uploader/util/url.hpp"

#include <set>

namespace uploader::resolve {

namespace {

// The body of a GET of `url` (absolute, or a path on the API's server),
// which must answer 200; `what` names it in the error.
std::string download(http::Api &api, std::string url, const std::string &what) {
  http::Request request;
  request.url = url.find("://") == std::string::npos ? api.url(url) : url;
  http::Response response = api.send(request);
  if (!response.transport_error.empty() || response.status != 200) {
    api.fail(request, response, what);
  }
  return std::move(response.body);
}

} // namespace

std::size_t add_server_bundles(http::Api &api, const std::string &org,
                               const std::string &project,
                               const EventNeeds &needs,
                               ArtifactSet &artifacts) {
  std::string base = http::endpoint::artifact_lookup(org, project);
  std::set<std::string> seen_queries;
  std::set<std::string> added;
  for (const auto &frame : needs.frames) {
    std::string query = "?url=" + util::encode_query_value(
                                      ArtifactSet::tilde_url(frame.abs_path));
    if (frame.debug_id) {
      query += "&debug_id=" + util::encode_query_value(*frame.debug_id);
    }
    if (needs.release) {
      query += "&release=" + util::encode_query_value(*needs.release);
    }
    if (needs.dist) {
      query += "&dist=" + util::encode_query_value(*needs.dist);
    }
    if (!seen_queries.insert(query).second) {
      continue;
    }
    nlohmann::json list =
        api.call("GET", base + query, nullptr, "project '" + project + "'");
    if (!list.is_array()) {
      throw Error("Sentry answered GET " + api.url(base + query) +
                  " with something that is not a list of artifacts");
    }
    for (const auto &item : list) {
      if (!item.is_object() || item.value("type", "") != "bundle" ||
          !item.contains("url") || !item["url"].is_string()) {
        continue;
      }
      std::string id = item.value("id", "");
      if (!added.insert(id).second) {
        continue;
      }
      std::string body = download(api, item["url"].get<std::string>(),
                                  "artifact bundle " + id);
      artifacts.add_bundle(
          bundle::parse_artifact_bundle(body, "artifact bundle " + id),
          "artifact bundle " + id + " from Sentry");
    }
  }
  return added.size();
}

std::size_t add_server_debug_files(http::Api &api, const std::string &org,
                                   const std::string &project,
                                   const EventNeeds &needs,
                                   WasmModules &modules) {
  std::string base = http::endpoint::debug_files(org, project);
  std::size_t added = 0;
  for (const auto &image : needs.wasm_images) {
    if (image.debug_id.empty() || modules.has_debug_file(image.code_id)) {
      continue;
    }
    std::string query = "?query=" + util::encode_query_value(image.debug_id);
    nlohmann::json list =
        api.call("GET", base + query, nullptr, "project '" + project + "'");
    if (!list.is_array()) {
      throw Error("Sentry answered GET " + api.url(base + query) +
                  " with something that is not a list of debug files");
    }
    for (const auto &item : list) {
      // The query also matches parts of names: take the exact IDs only.
      if (!item.is_object() || !item.contains("id") ||
          (item.value("codeId", "") != image.code_id &&
           item.value("debugId", "") != image.debug_id)) {
        continue;
      }
      std::string id = item["id"].is_string() ? item["id"].get<std::string>()
                                              : item["id"].dump();
      std::string body =
          download(api, base + "?id=" + util::encode_query_value(id),
                   "debug file " + id);
      if (modules.add_module(std::move(body),
                             "debug file " + id + " from Sentry")) {
        ++added;
      }
      if (modules.has_debug_file(image.code_id)) {
        break;
      }
    }
  }
  return added;
}

} // namespace uploader::resolve
