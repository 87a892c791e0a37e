#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace uploader::util {

using Sha1Digest = std::array<std::uint8_t, 20>;

// Incremental SHA-1: OpenSSL's libcrypto where the build found it, else a
// portable implementation (util/sha1_*.cpp; CMake picks one). Sentry names
// chunks and bundles by SHA-1, so this is a protocol requirement, not a
// security choice.
class Sha1 {
public:
  Sha1();
  ~Sha1();
  Sha1(Sha1 &&) noexcept;
  Sha1 &operator=(Sha1 &&) noexcept;

  void update(std::span<const std::uint8_t> bytes);
  void update(std::string_view bytes);
  // Returns the digest; the hasher must not be used afterwards.
  Sha1Digest finish();

private:
  struct State;
  std::unique_ptr<State> m_state;
};

Sha1Digest sha1(std::string_view bytes);

// The implementation this build uses ("OpenSSL", "built-in"), for the log.
std::string_view sha1_backend();

// Returns `bytes` as lowercase hexadecimal.
std::string to_hex(std::span<const std::uint8_t> bytes);

// Standard base64 with padding.
std::string base64_encode(std::string_view bytes);

// Decodes standard base64. With `require_padding`, the input length must be
// a multiple of 4 (sentry-cli's data-URL rule); without it, missing `=` are
// tolerated (the sntrys_ secret part). Returns nullopt on any invalid input.
std::optional<std::string> base64_decode(std::string_view text,
                                         bool require_padding);

} // namespace uploader::util
