#include "uploader/config/auth_token.hpp"

#include "uploader/util/hash.hpp"

#include <nlohmann/json.hpp>

namespace uploader::config {

std::optional<OrgTokenPayload> decode_org_token(std::string_view token) {
  constexpr std::string_view k_prefix = "sntrys_";
  if (!token.starts_with(k_prefix)) {
    return std::nullopt;
  }
  std::string_view rest = token.substr(k_prefix.size());
  size_t split = rest.find('_');
  if (split == std::string_view::npos ||
      rest.find('_', split + 1) != std::string_view::npos) {
    return std::nullopt;
  }
  std::string_view payload_text = rest.substr(0, split);
  std::string_view secret = rest.substr(split + 1);
  auto secret_bytes = util::base64_decode(secret, false);
  if (secret.size() != 43 || !secret_bytes || secret_bytes->size() != 32) {
    return std::nullopt;
  }
  auto payload_json = util::base64_decode(payload_text, true);
  if (!payload_json) {
    return std::nullopt;
  }
  auto payload = nlohmann::json::parse(*payload_json, nullptr, false);
  if (!payload.is_object() || !payload.contains("iat") ||
      payload["iat"].is_null() ||
      !payload.value("org", nlohmann::json()).is_string()) {
    return std::nullopt;
  }
  OrgTokenPayload result;
  result.org = payload["org"].get<std::string>();
  if (auto url = payload.find("url");
      url != payload.end() && url->is_string()) {
    result.url = url->get<std::string>();
  }
  return result;
}

} // namespace uploader::config
