#include "uploader/http/assemble.hpp"

#include "uploader/util/error.hpp"
#include "uploader/util/hash.hpp"

#include <algorithm>
#include <random>

namespace uploader::http {

std::string to_json_body(const AssembleRequest &request) {
  nlohmann::ordered_json body;
  body["checksum"] = request.checksum;
  body["chunks"] = request.chunks;
  body["projects"] = request.projects;
  if (request.version && !request.version->empty()) {
    body["version"] = *request.version;
    if (request.dist && !request.dist->empty()) {
      body["dist"] = *request.dist;
    }
  }
  return body.dump();
}

std::string_view to_string(AssembleState state) {
  switch (state) {
  case AssembleState::ok:
    return "ok";
  case AssembleState::created:
    return "created";
  case AssembleState::assembling:
    return "assembling";
  case AssembleState::not_found:
    return "not_found";
  case AssembleState::error:
    return "error";
  }
  return "unknown";
}

namespace {

AssembleResponse parse_assemble_state(const nlohmann::json &json) {
  std::string state = json.is_object() ? json.value("state", "") : "";
  AssembleResponse result;
  if (state == "ok") {
    result.state = AssembleState::ok;
  } else if (state == "created") {
    result.state = AssembleState::created;
  } else if (state == "assembling") {
    result.state = AssembleState::assembling;
  } else if (state == "not_found") {
    result.state = AssembleState::not_found;
  } else if (state == "error") {
    result.state = AssembleState::error;
  } else {
    throw Error("Sentry answered the assemble request with an unknown state '" +
                state +
                "'; check the server's version and logs, or update "
                "sentry-sourcemaps");
  }
  if (auto it = json.find("missingChunks");
      it != json.end() && it->is_array()) {
    for (const auto &sha : *it) {
      if (sha.is_string()) {
        result.missing_chunks.push_back(sha.get<std::string>());
      }
    }
  }
  if (auto it = json.find("detail"); it != json.end() && it->is_string()) {
    result.detail = it->get<std::string>();
  }
  return result;
}

AssembleResponse parse_assemble_response(const std::string &body) {
  return parse_assemble_state(nlohmann::json::parse(body, nullptr, false));
}

} // namespace

AssembleResponse assemble_artifact_bundle(Api &api, std::string_view org,
                                          const AssembleRequest &request) {
  Request http_request;
  http_request.method = "POST";
  http_request.url = api.url(endpoint::artifact_bundle_assemble(org));
  http_request.expects_json = true;
  http_request.headers.emplace_back("Content-Type: application/json");
  http_request.body = to_json_body(request);
  Response response = api.send(http_request);
  std::string what = "organization '" + std::string(org) + "'";
  if (!response.transport_error.empty() || response.status != 200) {
    if (response.status == 400) {
      std::string detail = error_detail(response);
      if (detail == "One or more projects are invalid") {
        std::string names;
        for (const auto &project : request.projects) {
          names += (names.empty() ? "'" : ", '") + project + "'";
        }
        throw ConfigError("project " + names + " not found in organization '" +
                          std::string(org) + "' at " + api.base_url() +
                          " (Sentry: " + detail +
                          "); check the slug and that the token can see it");
      }
      throw Error("Sentry refused the bundle (400 on " + http_request.url +
                  ": " + detail + ")");
    }
    api.fail(http_request, response, what);
  }
  return parse_assemble_response(response.body);
}

namespace {

// 160 random bits: a chunk no one can have uploaded.
std::string unheld_chunk() {
  std::random_device random;
  std::string seed;
  for (int i = 0; i < 8; ++i) {
    seed += std::to_string(random()) + ".";
  }
  return util::to_hex(util::sha1(seed));
}

} // namespace

std::optional<std::vector<std::string>>
query_missing_chunks(Api &api, std::string_view org,
                     const AssembleRequest &target,
                     const std::vector<std::string> &chunks) {
  AssembleRequest probe = target;
  probe.checksum = unheld_chunk();
  probe.chunks = chunks;
  probe.chunks.push_back(probe.checksum);
  AssembleResponse response = assemble_artifact_bundle(api, org, probe);
  auto &missing = response.missing_chunks;
  auto sentinel = std::ranges::find(missing, probe.checksum);
  if (response.state != AssembleState::not_found || sentinel == missing.end()) {
    return std::nullopt;
  }
  missing.erase(sentinel);
  return std::move(missing);
}

AssembleResponse
assemble_release_bundle(Api &api, std::string_view org,
                        std::string_view version, const std::string &checksum,
                        const std::vector<std::string> &chunks) {
  Request http_request;
  http_request.method = "POST";
  http_request.url = api.url(endpoint::release_assemble(org, version));
  http_request.expects_json = true;
  http_request.headers.emplace_back("Content-Type: application/json");
  nlohmann::ordered_json body;
  body["checksum"] = checksum;
  body["chunks"] = chunks;
  http_request.body = body.dump();
  Response response = api.send(http_request);
  if (!response.transport_error.empty() || response.status != 200) {
    api.fail(http_request, response,
             "release '" + std::string(version) + "' of organization '" +
                 std::string(org) + "'");
  }
  return parse_assemble_response(response.body);
}

std::string to_json_body(const DifAssembleRequest &request) {
  nlohmann::ordered_json file;
  file["name"] = request.name;
  file["debug_id"] = request.debug_id;
  file["chunks"] = request.chunks;
  nlohmann::ordered_json body;
  body[request.checksum] = std::move(file);
  return body.dump();
}

AssembleResponse assemble_debug_file(Api &api, std::string_view org,
                                     std::string_view project,
                                     const DifAssembleRequest &request) {
  Request http_request;
  http_request.method = "POST";
  http_request.url = api.url(endpoint::dif_assemble(org, project));
  http_request.expects_json = true;
  http_request.headers.emplace_back("Content-Type: application/json");
  http_request.body = to_json_body(request);
  Response response = api.send(http_request);
  std::string what = "project '" + std::string(project) +
                     "' of organization '" + std::string(org) + "'";
  if (!response.transport_error.empty() || response.status != 200) {
    if (response.status == 400) {
      throw Error("Sentry refused the debug file " + request.name +
                  " (400 on " + http_request.url + ": " +
                  error_detail(response) + ")");
    }
    api.fail(http_request, response, what);
  }
  auto json = nlohmann::json::parse(response.body, nullptr, false);
  if (!json.is_object() || !json.contains(request.checksum) ||
      !json[request.checksum].is_object()) {
    throw Error("Sentry's answer to the debug-file assemble request for " +
                request.name + " has no entry for its checksum " +
                request.checksum + "; check the server's version and logs");
  }
  return parse_assemble_state(json[request.checksum]);
}

} // namespace uploader::http
