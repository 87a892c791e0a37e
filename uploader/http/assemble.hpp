#pragma once

#include "uploader/http/api.hpp"

#include <optional>
#include <string>
#include <vector>

namespace uploader::http {

// The body of POST /organizations/{org}/artifactbundle/assemble/.
struct AssembleRequest {
  std::string checksum;
  std::vector<std::string> chunks;
  std::vector<std::string> projects; // non-empty, de-duplicated
  std::optional<std::string> version;
  std::optional<std::string> dist; // only with a version
};

// Serialises in sentry-cli's field order; empty optionals are left out.
std::string to_json_body(const AssembleRequest &request);

enum class AssembleState { ok, created, assembling, not_found, error };

struct AssembleResponse {
  AssembleState state = AssembleState::not_found;
  std::vector<std::string> missing_chunks;
  std::string detail;
};

std::string_view to_string(AssembleState state);

// Sends one assemble request (retried, as repeating it is safe); throws
// through Api::fail on HTTP errors and on an answer cut off or without JSON,
// and Error on an unknown state.
AssembleResponse assemble_artifact_bundle(Api &api, std::string_view org,
                                          const AssembleRequest &request);

// Asks the artifact-bundle assemble endpoint which of `chunks` the
// organization lacks, without assembling anything: the list also names one
// chunk nobody holds (a random SHA-1, sent as the checksum too), and Sentry
// reports missing chunks before it looks at anything else
// (organization_artifactbundle_assemble.py), so it can only answer
// `not_found`. `target` gives the projects, release and dist. Returns
// std::nullopt when the answer is anything else: this server cannot say.
std::optional<std::vector<std::string>>
query_missing_chunks(Api &api, std::string_view org,
                     const AssembleRequest &target,
                     const std::vector<std::string> &chunks);

// Sends one legacy release-bundle assemble request (Sentry before 23.6):
// POST /organizations/{org}/releases/{version}/assemble/ with only the
// checksum and chunks. A 404 means the release does not exist.
AssembleResponse
assemble_release_bundle(Api &api, std::string_view org,
                        std::string_view version, const std::string &checksum,
                        const std::vector<std::string> &chunks);

// One debug information file for POST
// /projects/{org}/{project}/files/difs/assemble/.
struct DifAssembleRequest {
  std::string checksum; // SHA-1 of the whole file
  std::string name;     // its file name
  std::string debug_id;
  std::vector<std::string> chunks;
};

// The body as sentry-cli sends it: {"<checksum>": {"name", "debug_id",
// "chunks"}}.
std::string to_json_body(const DifAssembleRequest &request);

// Sends one DIF assemble request (retried: repeating it is safe) and
// returns the state of the one file; throws as assemble_artifact_bundle.
AssembleResponse assemble_debug_file(Api &api, std::string_view org,
                                     std::string_view project,
                                     const DifAssembleRequest &request);

} // namespace uploader::http
