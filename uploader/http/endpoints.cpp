#include "uploader/http/endpoints.hpp"

#include "uploader/util/strings.hpp"

namespace uploader::http {

std::string encode_path_segment(std::string_view segment) {
  constexpr std::string_view k_replacement = "\xEF\xBF\xBD"; // U+FFFD
  if (segment == "." || segment == "..") {
    return "%EF%BF%BD";
  }
  std::string text;
  for (char ch : segment) {
    text += ch == '/' ? k_replacement : std::string_view(&ch, 1);
  }
  return util::percent_encode_keeping(text, [](char ch) {
    auto c = static_cast<unsigned char>(ch);
    return c >= 0x20 && c < 0x7f &&
           std::string_view(" \"#<>+`?{}%").find(ch) == std::string_view::npos;
  });
}

namespace endpoint {

namespace {

std::string org_path(std::string_view org) {
  return "organizations/" + encode_path_segment(org) + "/";
}

} // namespace

std::string index() { return ""; }

std::string organizations() { return "organizations/"; }

std::string organization(std::string_view org) { return org_path(org); }

std::string organization_projects(std::string_view org) {
  return org_path(org) + "projects/";
}

std::string project(std::string_view org, std::string_view project) {
  return "projects/" + encode_path_segment(org) + "/" +
         encode_path_segment(project) + "/";
}

std::string chunk_upload(std::string_view org) {
  return org_path(org) + "chunk-upload/";
}

std::string artifact_bundle_assemble(std::string_view org) {
  return org_path(org) + "artifactbundle/assemble/";
}

std::string dif_assemble(std::string_view org, std::string_view project) {
  return endpoint::project(org, project) + "files/difs/assemble/";
}

std::string debug_files(std::string_view org, std::string_view project) {
  return endpoint::project(org, project) + "files/dsyms/";
}

std::string artifact_lookup(std::string_view org, std::string_view project) {
  return endpoint::project(org, project) + "artifact-lookup/";
}

std::string releases(std::string_view org) {
  return org_path(org) + "releases/";
}

std::string release(std::string_view org, std::string_view version) {
  return releases(org) + encode_path_segment(version) + "/";
}

std::string release_assemble(std::string_view org, std::string_view version) {
  return release(org, version) + "assemble/";
}

std::string release_deploys(std::string_view org, std::string_view version) {
  return release(org, version) + "deploys/";
}

std::string release_files(std::string_view org, std::string_view version,
                          const std::string *single_project) {
  std::string files = "releases/" + encode_path_segment(version) + "/files/";
  if (single_project != nullptr) {
    return project(org, *single_project) + files;
  }
  return org_path(org) + files;
}

std::string repositories(std::string_view org) {
  return org_path(org) + "repos/";
}

std::string project_issues(std::string_view org, std::string_view project) {
  return endpoint::project(org, project) + "issues/";
}

std::string latest_event(std::string_view issue_id) {
  return "issues/" + encode_path_segment(issue_id) + "/events/latest/";
}

} // namespace endpoint

} // namespace uploader::http
