#include "uploader/wasm/identity.hpp"

#include "uploader/util/hash.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <span>

namespace uploader::wasm {

namespace {

std::span<const std::uint8_t> as_bytes(std::string_view text) {
  return {reinterpret_cast<const std::uint8_t *>(text.data()), text.size()};
}

} // namespace

std::string derive_build_id(std::string_view module) {
  util::Sha1Digest digest = util::sha1(module);
  std::string id(reinterpret_cast<const char *>(digest.data()), 16);
  id[6] = static_cast<char>((id[6] & 0x0f) | 0x40);
  id[8] = static_cast<char>((id[8] & 0x3f) | 0x80);
  return id;
}

std::string code_id(std::string_view build_id) {
  return util::to_hex(as_bytes(build_id));
}

std::string debug_id(std::string_view build_id) {
  std::array<std::uint8_t, 16> bytes{};
  std::copy_n(as_bytes(build_id).begin(),
              std::min<std::size_t>(16, build_id.size()), bytes.begin());
  std::string hex = util::to_hex(bytes);
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) +
         "-" + hex.substr(16, 4) + "-" + hex.substr(20);
}

BuildIdOwners::Claim BuildIdOwners::claim(std::string_view build_id,
                                          const std::string &path,
                                          const std::string &checksum,
                                          std::string &message) {
  auto [owner, fresh] =
      m_owners.try_emplace(debug_id(build_id), Owner{path, checksum});
  if (fresh) {
    return Claim::new_id;
  }
  if (owner->second.checksum == checksum) {
    return Claim::same_module;
  }
  message = path + " and " + owner->second.path + " have the same build ID " +
            code_id(build_id) +
            " but different bytes; Sentry could not tell their debug files "
            "apart: rebuild one of them or remove the stale copy";
  return Claim::conflict;
}

} // namespace uploader::wasm
