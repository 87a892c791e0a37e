// SHA-1 through OpenSSL's libcrypto (its assembly and SHA extensions make
// it the fastest choice where it is installed).
#include "uploader/util/hash.hpp"

#include <openssl/evp.h>

#include <stdexcept>

namespace uploader::util {

struct Sha1::State {
  EVP_MD_CTX *ctx = EVP_MD_CTX_new();
  ~State() { EVP_MD_CTX_free(ctx); }
};

Sha1::Sha1() : m_state(std::make_unique<State>()) {
  if (m_state->ctx == nullptr ||
      EVP_DigestInit_ex(m_state->ctx, EVP_sha1(), nullptr) != 1) {
    throw std::runtime_error("cannot initialise SHA-1 (libcrypto)");
  }
}

Sha1::~Sha1() = default;
Sha1::Sha1(Sha1 &&) noexcept = default;
Sha1 &Sha1::operator=(Sha1 &&) noexcept = default;

void Sha1::update(std::span<const std::uint8_t> bytes) {
  EVP_DigestUpdate(m_state->ctx, bytes.data(), bytes.size());
}

void Sha1::update(std::string_view bytes) {
  EVP_DigestUpdate(m_state->ctx, bytes.data(), bytes.size());
}

Sha1Digest Sha1::finish() {
  Sha1Digest digest{};
  unsigned int length = 0;
  EVP_DigestFinal_ex(m_state->ctx, digest.data(), &length);
  return digest;
}

std::string_view sha1_backend() { return "OpenSSL"; }

} // namespace uploader::util
