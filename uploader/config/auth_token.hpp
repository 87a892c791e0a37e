#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace uploader::config {

// What an organization auth token (`sntrys_<base64 json>_<secret>`) carries.
struct OrgTokenPayload {
  std::string org;
  std::string url; // empty when the token has none (or null)
};

// Decodes an org token as sentry-cli does: exactly three `_`-separated
// parts, a padded standard-base64 JSON payload with a non-empty `iat`, and a
// 43-character unpadded base64 secret of 32 bytes. Returns nullopt for any
// other token; such tokens are still sent unchanged.
std::optional<OrgTokenPayload> decode_org_token(std::string_view token);

} // namespace uploader::config
