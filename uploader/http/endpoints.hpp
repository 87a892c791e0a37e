#pragma once

#include <string>
#include <string_view>

// Every Sentry API path the uploader uses, relative to /api/0/ and ending
// with '/', so each one is spelled (and its segments encoded) once.
namespace uploader::http {

// Percent-encodes one path segment as sentry-cli does: controls, space,
// `"#<>+`?{}%/` are escaped; a `/` inside becomes U+FFFD first, and so do
// the segments "." and "..".
std::string encode_path_segment(std::string_view segment);

namespace endpoint {

// The API root, whose answer names the token's scopes.
std::string index();
std::string organizations();
std::string organization(std::string_view org);
std::string organization_projects(std::string_view org);
std::string project(std::string_view org, std::string_view project);
std::string chunk_upload(std::string_view org);
std::string artifact_bundle_assemble(std::string_view org);
std::string artifact_lookup(std::string_view org, std::string_view project);
std::string dif_assemble(std::string_view org, std::string_view project);
// The project's debug files: `?query=<debug id>` lists, `?id=` downloads.
std::string debug_files(std::string_view org, std::string_view project);
std::string releases(std::string_view org);
std::string release(std::string_view org, std::string_view version);
std::string release_assemble(std::string_view org, std::string_view version);
std::string release_deploys(std::string_view org, std::string_view version);
// A release's files: under the project when there is exactly one (as
// sentry-cli does), else under the organization.
std::string release_files(std::string_view org, std::string_view version,
                          const std::string *single_project);
std::string repositories(std::string_view org);
std::string project_issues(std::string_view org, std::string_view project);
std::string latest_event(std::string_view issue_id);

} // namespace endpoint

} // namespace uploader::http
