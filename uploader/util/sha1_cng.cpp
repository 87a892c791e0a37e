// SHA-1 through Windows' CNG (BCrypt), part of every Windows since Vista.
#include "uploader/util/hash.hpp"

// bcrypt.h needs the types windows.h defines.
// clang-format off
#include <windows.h>
#include <bcrypt.h>
// clang-format on

#include <algorithm>
#include <stdexcept>

namespace uploader::util {

namespace {

// One provider for the process: opening it is the expensive part.
BCRYPT_ALG_HANDLE sha1_provider() {
  static BCRYPT_ALG_HANDLE provider = [] {
    BCRYPT_ALG_HANDLE opened = nullptr;
    if (!BCRYPT_SUCCESS(::BCryptOpenAlgorithmProvider(
            &opened, BCRYPT_SHA1_ALGORITHM, nullptr, 0))) {
      throw std::runtime_error("cannot initialise SHA-1 (CNG)");
    }
    return opened;
  }();
  return provider;
}

} // namespace

struct Sha1::State {
  BCRYPT_HASH_HANDLE hash = nullptr;
  ~State() {
    if (hash != nullptr) {
      ::BCryptDestroyHash(hash);
    }
  }
};

Sha1::Sha1() : m_state(std::make_unique<State>()) {
  // A null object buffer lets CNG allocate the hash state itself.
  if (!BCRYPT_SUCCESS(::BCryptCreateHash(sha1_provider(), &m_state->hash,
                                         nullptr, 0, nullptr, 0, 0))) {
    throw std::runtime_error("cannot initialise SHA-1 (CNG)");
  }
}

Sha1::~Sha1() = default;
Sha1::Sha1(Sha1 &&) noexcept = default;
Sha1 &Sha1::operator=(Sha1 &&) noexcept = default;

void Sha1::update(std::span<const std::uint8_t> bytes) {
  // BCryptHashData takes a ULONG length: feed large inputs in pieces.
  constexpr std::size_t k_piece = 1u << 30;
  while (!bytes.empty()) {
    std::size_t size = std::min(bytes.size(), k_piece);
    ::BCryptHashData(m_state->hash, const_cast<PUCHAR>(bytes.data()),
                     static_cast<ULONG>(size), 0);
    bytes = bytes.subspan(size);
  }
}

void Sha1::update(std::string_view bytes) {
  update(std::span(reinterpret_cast<const std::uint8_t *>(bytes.data()),
                   bytes.size()));
}

Sha1Digest Sha1::finish() {
  Sha1Digest digest{};
  ::BCryptFinishHash(m_state->hash, digest.data(),
                     static_cast<ULONG>(digest.size()), 0);
  return digest;
}

std::string_view sha1_backend() { return "CNG"; }

} // namespace uploader::util
