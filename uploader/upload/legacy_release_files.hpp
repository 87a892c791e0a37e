#pragma once

#include "uploader/bundle/artifact_bundle.hpp"
#include "uploader/http/api.hpp"
#include "uploader/releases/release_api.hpp"
#include "uploader/upload/bundle_upload.hpp"
#include "uploader/upload/transfer.hpp"

#include <cstdint>
#include <string>
#include <vector>

namespace uploader::upload {

// What the per-file upload did.
struct ReleaseFilesSummary {
  size_t created = 0;  // 201
  size_t existed = 0;  // 409: the same name was there already
  size_t replaced = 0; // deleted first because the name was taken
  std::uint64_t bytes_sent = 0;
  bundle::SourcesRead sources_read; // the texts added to the maps
};

// The oldest flow (servers without chunk upload): every file is POSTed on
// its own to the release's files endpoint as sentry-cli 2.x does, with its
// URL as `name`, the dist and `header` fields (`Sourcemap:…`,
// `debug-id:…`). Files of the release with the same name and dist are
// deleted first, so a re-upload replaces them. Up to `concurrency`
// requests in flight. A 201 or 409 counts as stored; anything else throws.
// The release must exist.
ReleaseFilesSummary
upload_release_files(http::Api &api, releases::ReleaseApi &releases,
                     const std::vector<bundle::BundleInput> &files,
                     const BundleTarget &target,
                     const bundle::MapRewriteSettings &map_rewrite,
                     size_t concurrency, const PhaseReporter &report);

} // namespace uploader::upload
