#include "uploader/upload/flow.hpp"
#include "uploader/util/error.hpp"

#include <gtest/gtest.h>

namespace uploader::upload {
namespace {

std::optional<http::ChunkUploadOptions>
accepting(std::vector<std::string> accept) {
  http::ChunkUploadOptions options;
  options.accept = std::move(accept);
  return options;
}

TEST(UploadFlow, ChoosesFromTheAcceptListAsSentryCli2Does) {
  EXPECT_EQ(choose_flow(accepting(
                {"release_files", "artifact_bundles", "artifact_bundles_v2"})),
            Flow::artifact_bundle);
  EXPECT_EQ(choose_flow(accepting({"release_files", "artifact_bundles"})),
            Flow::artifact_bundle_v1);
  EXPECT_EQ(choose_flow(accepting({"debug_files", "release_files"})),
            Flow::release_bundle);
  EXPECT_EQ(choose_flow(accepting({"debug_files"})), Flow::release_files);
  EXPECT_EQ(choose_flow(std::nullopt), Flow::release_files);
}

TEST(UploadFlow, OnlyLegacyFlowsAreAnnouncedAndNeedARelease) {
  EXPECT_EQ(announcement(Flow::artifact_bundle), "");
  EXPECT_FALSE(needs_release(Flow::artifact_bundle));
  EXPECT_FALSE(needs_release(Flow::artifact_bundle_v1));
  for (Flow flow : {Flow::release_bundle, Flow::release_files}) {
    EXPECT_NE(announcement(flow).find("older Sentry server"),
              std::string::npos);
    EXPECT_THROW(require_release(flow, std::nullopt), ConfigError);
    EXPECT_NO_THROW(require_release(flow, std::string("1.0")));
  }
  EXPECT_NO_THROW(require_release(Flow::artifact_bundle, std::nullopt));
}

} // namespace
} // namespace uploader::upload
