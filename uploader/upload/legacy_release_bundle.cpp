#include "uploader/upload/legacy_release_bundle.hpp"

#include "uploader/http/assemble.hpp"
#include "uploader/util/error.hpp"

namespace uploader::upload {

BundleTransfer release_bundle_transfer(http::Api &api,
                                       const http::ChunkUploadOptions &options,
                                       const BundleTarget &target,
                                       const TransferSettings &settings) {
  if (!target.release) {
    throw ConfigError("a release bundle needs a release");
  }
  return [&api, &options, &target, &settings](const bundle::BuiltBundle &bundle,
                                              const PhaseReporter &report,
                                              const ChunkProgress &progress) {
    std::vector<std::string> chunks;
    for (const auto &chunk : bundle.chunks) {
      chunks.push_back(chunk.sha1);
    }
    Assembler assemble = [&] {
      return http::assemble_release_bundle(api, target.org, *target.release,
                                           bundle.checksum, chunks);
    };
    return transfer_all_chunks(api, options, bundle, assemble, settings, report,
                               progress);
  };
}

} // namespace uploader::upload
