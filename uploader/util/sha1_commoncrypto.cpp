// SHA-1 through macOS's CommonCrypto (libSystem, no extra library).
#include "uploader/util/hash.hpp"

#include <CommonCrypto/CommonDigest.h>
#include <algorithm>

namespace uploader::util {

struct Sha1::State {
  CC_SHA1_CTX context;
};

Sha1::Sha1() : m_state(std::make_unique<State>()) {
  CC_SHA1_Init(&m_state->context);
}

Sha1::~Sha1() = default;
Sha1::Sha1(Sha1 &&) noexcept = default;
Sha1 &Sha1::operator=(Sha1 &&) noexcept = default;

void Sha1::update(std::span<const std::uint8_t> bytes) {
  // CC_SHA1_Update takes a CC_LONG (32 bits) length.
  constexpr std::size_t k_piece = 1u << 30;
  while (!bytes.empty()) {
    std::size_t size = std::min(bytes.size(), k_piece);
    CC_SHA1_Update(&m_state->context, bytes.data(), static_cast<CC_LONG>(size));
    bytes = bytes.subspan(size);
  }
}

void Sha1::update(std::string_view bytes) {
  update(std::span(reinterpret_cast<const std::uint8_t *>(bytes.data()),
                   bytes.size()));
}

Sha1Digest Sha1::finish() {
  Sha1Digest digest{};
  CC_SHA1_Final(digest.data(), &m_state->context);
  return digest;
}

std::string_view sha1_backend() { return "CommonCrypto"; }

} // namespace uploader::util
