#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace uploader::util {

// Raw DEFLATE (RFC 1951, as zip entries hold it) and the zip CRC-32:
// libdeflate where the build found it, else zlib (util/deflate_*.cpp; CMake
// picks one).

std::uint32_t crc32(std::string_view data);

// `data` compressed at `level` (1 fastest .. 12 smallest; zlib stops at 9);
// nullopt when that would not be smaller than `data`.
std::optional<std::string> deflate_smaller(std::string_view data, int level);

// Decompresses `payload` into exactly `size` bytes; nullopt when it is not
// valid DEFLATE or does not decompress to that size.
std::optional<std::string> inflate_exact(std::string_view payload,
                                         std::size_t size);

// "libdeflate" or "zlib", for the log.
std::string_view deflate_backend();

} // namespace uploader::util
