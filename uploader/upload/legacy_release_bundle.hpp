#pragma once

#include "uploader/http/api.hpp"
#include "uploader/upload/bundle_upload.hpp"
#include "uploader/upload/chunks.hpp"
#include "uploader/upload/transfer.hpp"

namespace uploader::upload {

// The transfer for Sentry before 23.6 (`accept` has `release_files` but no
// artifact bundles): every chunk is uploaded, then the bundle is assembled
// into the release with POST /organizations/{org}/releases/{version}/
// assemble/ ({checksum, chunks} only) and polled there until `ok`. The
// release must exist, and the bundle's manifest must name the organization
// slug and the release (bundle_upload writes both from `target`).
BundleTransfer release_bundle_transfer(http::Api &api,
                                       const http::ChunkUploadOptions &options,
                                       const BundleTarget &target,
                                       const TransferSettings &settings);

} // namespace uploader::upload
