// SHA-1 (FIPS 180-4) in portable C++, for builds without OpenSSL or an
// operating-system implementation. Sentry names chunks and bundles by it,
// so it must match the standard bit for bit (tests compare known digests).
#include "uploader/util/hash.hpp"

#include <algorithm>
#include <bit>
#include <cstring>

namespace uploader::util {

struct Sha1::State {
  std::array<std::uint32_t, 5> h{0x67452301u, 0xEFCDAB89u, 0x98BADCFEu,
                                 0x10325476u, 0xC3D2E1F0u};
  std::array<std::uint8_t, 64> block{};
  std::size_t block_used = 0;
  std::uint64_t total_bytes = 0;

  void compress(const std::uint8_t *data) {
    std::array<std::uint32_t, 80> w{};
    for (int i = 0; i < 16; ++i) {
      w[i] = (std::uint32_t{data[4 * i]} << 24) |
             (std::uint32_t{data[4 * i + 1]} << 16) |
             (std::uint32_t{data[4 * i + 2]} << 8) |
             std::uint32_t{data[4 * i + 3]};
    }
    for (int i = 16; i < 80; ++i) {
      w[i] = std::rotl(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);
    }
    std::uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4];
    for (int i = 0; i < 80; ++i) {
      std::uint32_t f = 0;
      std::uint32_t k = 0;
      if (i < 20) {
        f = (b & c) | (~b & d);
        k = 0x5A827999u;
      } else if (i < 40) {
        f = b ^ c ^ d;
        k = 0x6ED9EBA1u;
      } else if (i < 60) {
        f = (b & c) | (b & d) | (c & d);
        k = 0x8F1BBCDCu;
      } else {
        f = b ^ c ^ d;
        k = 0xCA62C1D6u;
      }
      std::uint32_t next = std::rotl(a, 5) + f + e + k + w[i];
      e = d;
      d = c;
      c = std::rotl(b, 30);
      b = a;
      a = next;
    }
    h[0] += a;
    h[1] += b;
    h[2] += c;
    h[3] += d;
    h[4] += e;
  }

  void update(const std::uint8_t *data, std::size_t size) {
    total_bytes += size;
    if (block_used > 0) {
      std::size_t take = std::min(size, block.size() - block_used);
      std::memcpy(block.data() + block_used, data, take);
      block_used += take;
      data += take;
      size -= take;
      if (block_used < block.size()) {
        return;
      }
      compress(block.data());
      block_used = 0;
    }
    for (; size >= block.size(); data += block.size(), size -= block.size()) {
      compress(data);
    }
    if (size > 0) {
      std::memcpy(block.data(), data, size);
      block_used = size;
    }
  }
};

Sha1::Sha1() : m_state(std::make_unique<State>()) {}
Sha1::~Sha1() = default;
Sha1::Sha1(Sha1 &&) noexcept = default;
Sha1 &Sha1::operator=(Sha1 &&) noexcept = default;

void Sha1::update(std::span<const std::uint8_t> bytes) {
  m_state->update(bytes.data(), bytes.size());
}

void Sha1::update(std::string_view bytes) {
  m_state->update(reinterpret_cast<const std::uint8_t *>(bytes.data()),
                  bytes.size());
}

Sha1Digest Sha1::finish() {
  State &s = *m_state;
  std::uint64_t bits = s.total_bytes * 8;
  // 0x80, zeros up to 56 bytes into a block, then the length in bits.
  std::array<std::uint8_t, 72> tail{};
  tail[0] = 0x80;
  std::size_t padding = (s.block_used < 56 ? 56 : 120) - s.block_used;
  for (int i = 0; i < 8; ++i) {
    tail[padding + i] = static_cast<std::uint8_t>(bits >> (56 - 8 * i));
  }
  s.update(tail.data(), padding + 8);
  Sha1Digest digest{};
  for (int i = 0; i < 5; ++i) {
    for (int j = 0; j < 4; ++j) {
      digest[4 * i + j] = static_cast<std::uint8_t>(s.h[i] >> (24 - 8 * j));
    }
  }
  return digest;
}

std::string_view sha1_backend() { return "built-in"; }

} // namespace uploader::util
