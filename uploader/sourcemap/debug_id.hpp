#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace uploader::sourcemap {

// A Sentry debug id: a UUID plus an optional appendix (as in the `debugid`
// crate). Rendered as lowercase hyphenated UUID, then `-<appendix hex>` when
// the appendix is not zero.
class DebugId {
public:
  DebugId() = default;
  DebugId(std::array<std::uint8_t, 16> uuid, std::uint32_t appendix = 0)
      : m_uuid(uuid), m_appendix(appendix) {}

  // Parses the forms sentry-cli accepts: 32 hex digits or the hyphenated
  // 8-4-4-4-12 form, optionally followed by an appendix (hex, up to 8 digits
  // are used; a hyphen before it iff the UUID is hyphenated). Returns
  // nullopt for anything else.
  static std::optional<DebugId> parse(std::string_view text);

  std::string to_string() const;
  const std::array<std::uint8_t, 16> &uuid() const { return m_uuid; }
  std::uint32_t appendix() const { return m_appendix; }

  friend bool operator==(const DebugId &, const DebugId &) = default;

private:
  std::array<std::uint8_t, 16> m_uuid{};
  std::uint32_t m_appendix = 0;
};

// The first 16 bytes of a SHA-1 digest as a UUID with version 5 and the
// RFC 4122 variant, the way sentry-cli derives every id it makes.
DebugId debug_id_from_digest(const std::array<std::uint8_t, 20> &digest);

// Debug id of a JS file for which no source map was found: the first 16
// bytes of SHA-1(js) with version 5 and the RFC 4122 variant.
DebugId debug_id_from_bytes(std::string_view bytes);

// Debug id of a JS file with a map that has no debug id (sentry-cli 3.8):
// SHA-1 over "js", u64le(js.size()), js, "sourcemap", u64le(map.size()), map.
DebugId debug_id_from_js_and_map(std::string_view js, std::string_view map);

} // namespace uploader::sourcemap
