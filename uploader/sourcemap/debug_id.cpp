#include "uploader/sourcemap/debug_id.hpp"

#include "uploader/util/hash.hpp"
#include "uploader/util/strings.hpp"

namespace uploader::sourcemap {

namespace {

std::optional<std::uint32_t> parse_hex_u32(std::string_view text) {
  if (text.empty() || text.size() > 8) {
    return std::nullopt;
  }
  std::uint32_t value = 0;
  for (char c : text) {
    int digit = util::hex_digit(c);
    if (digit < 0) {
      return std::nullopt;
    }
    value = value * 16 + static_cast<std::uint32_t>(digit);
  }
  return value;
}

void update_u64le(util::Sha1 &hasher, std::uint64_t value) {
  std::array<std::uint8_t, 8> bytes{};
  for (std::size_t i = 0; i < bytes.size(); ++i) {
    bytes[i] = static_cast<std::uint8_t>(value >> (8 * i));
  }
  hasher.update(std::span<const std::uint8_t>(bytes));
}

} // namespace

std::optional<DebugId> DebugId::parse(std::string_view text) {
  for (char c : text) {
    if (static_cast<unsigned char>(c) >= 0x80) {
      return std::nullopt;
    }
  }
  bool hyphenated = text.size() > 8 && text[8] == '-';
  std::size_t uuid_len = hyphenated ? 36 : 32;
  if (text.size() < uuid_len) {
    return std::nullopt;
  }
  std::array<std::uint8_t, 16> uuid{};
  std::size_t nibble = 0;
  for (std::size_t i = 0; i < uuid_len; ++i) {
    char c = text[i];
    if (hyphenated && (i == 8 || i == 13 || i == 18 || i == 23)) {
      if (c != '-') {
        return std::nullopt;
      }
      continue;
    }
    int digit = util::hex_digit(c);
    if (digit < 0) {
      return std::nullopt;
    }
    uuid[nibble / 2] = static_cast<std::uint8_t>(
        uuid[nibble / 2] | (nibble % 2 == 0 ? digit << 4 : digit));
    ++nibble;
  }
  if (text.size() == uuid_len) {
    return DebugId(uuid);
  }
  std::string_view appendix = text.substr(uuid_len);
  if (hyphenated != (appendix.front() == '-')) {
    return std::nullopt;
  }
  if (hyphenated) {
    appendix.remove_prefix(1);
  }
  appendix = appendix.substr(0, 8);
  auto value = parse_hex_u32(appendix);
  if (!value) {
    return std::nullopt;
  }
  return DebugId(uuid, *value);
}

std::string DebugId::to_string() const {
  std::string text;
  text.reserve(45);
  static constexpr char k_digits[] = "0123456789abcdef";
  for (std::size_t i = 0; i < m_uuid.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) {
      text += '-';
    }
    text += k_digits[m_uuid[i] >> 4];
    text += k_digits[m_uuid[i] & 0x0f];
  }
  if (m_appendix != 0) {
    text += '-';
    std::string hex;
    for (std::uint32_t v = m_appendix; v != 0; v >>= 4) {
      hex.insert(hex.begin(), k_digits[v & 0x0f]);
    }
    text += hex;
  }
  return text;
}

DebugId debug_id_from_digest(const util::Sha1Digest &digest) {
  std::array<std::uint8_t, 16> uuid{};
  for (std::size_t i = 0; i < uuid.size(); ++i) {
    uuid[i] = digest[i];
  }
  uuid[6] = static_cast<std::uint8_t>((uuid[6] & 0x0f) | 0x50);
  uuid[8] = static_cast<std::uint8_t>((uuid[8] & 0x3f) | 0x80);
  return DebugId(uuid);
}

DebugId debug_id_from_bytes(std::string_view bytes) {
  return debug_id_from_digest(util::sha1(bytes));
}

DebugId debug_id_from_js_and_map(std::string_view js, std::string_view map) {
  util::Sha1 hasher;
  hasher.update(std::string_view("js"));
  update_u64le(hasher, js.size());
  hasher.update(js);
  hasher.update(std::string_view("sourcemap"));
  update_u64le(hasher, map.size());
  hasher.update(map);
  return debug_id_from_digest(hasher.finish());
}

} // namespace uploader::sourcemap
