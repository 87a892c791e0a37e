// zlib in raw-DEFLATE mode (negative window bits), for builds without
// libdeflate. zlib's streams take 32-bit lengths, so large inputs go through
// in slices.
#include "uploader/util/deflate.hpp"
#include "uploader/util/error.hpp"

#include <zlib.h>

#include <algorithm>

namespace uploader::util {

namespace {

constexpr std::size_t k_slice = 1u << 30;

} // namespace

std::uint32_t crc32(std::string_view data) {
  uLong crc = ::crc32(0L, Z_NULL, 0);
  while (!data.empty()) {
    auto take = static_cast<uInt>(std::min(data.size(), k_slice));
    crc = ::crc32(crc, reinterpret_cast<const Bytef *>(data.data()), take);
    data.remove_prefix(take);
  }
  return static_cast<std::uint32_t>(crc);
}

std::optional<std::string> deflate_smaller(std::string_view data, int level) {
  z_stream stream{};
  if (deflateInit2(&stream, std::clamp(level, 1, 9), Z_DEFLATED, -15, 8,
                   Z_DEFAULT_STRATEGY) != Z_OK) {
    throw Error("cannot allocate a DEFLATE compressor (level " +
                std::to_string(level) + ")");
  }
  // Anything not smaller than the input is not worth keeping.
  std::string out(data.size(), '\0');
  stream.next_in = reinterpret_cast<Bytef *>(const_cast<char *>(data.data()));
  stream.next_out = reinterpret_cast<Bytef *>(out.data());
  std::size_t in_left = data.size();
  std::size_t out_left = out.size();
  int result = Z_OK;
  while (result == Z_OK) {
    stream.avail_in = static_cast<uInt>(std::min(in_left, k_slice));
    stream.avail_out = static_cast<uInt>(std::min(out_left, k_slice));
    uInt in_before = stream.avail_in;
    uInt out_before = stream.avail_out;
    bool last = stream.avail_in == in_left;
    result = deflate(&stream, last ? Z_FINISH : Z_NO_FLUSH);
    in_left -= in_before - stream.avail_in;
    out_left -= out_before - stream.avail_out;
    if (out_left == 0 && result != Z_STREAM_END) {
      break; // no smaller than the input
    }
  }
  std::size_t size = out.size() - out_left;
  deflateEnd(&stream);
  if (result != Z_STREAM_END || size >= data.size()) {
    return std::nullopt;
  }
  out.resize(size);
  return out;
}

std::optional<std::string> inflate_exact(std::string_view payload,
                                         std::size_t size) {
  z_stream stream{};
  if (inflateInit2(&stream, -15) != Z_OK) {
    throw Error("cannot allocate a DEFLATE decompressor");
  }
  std::string out(size, '\0');
  stream.next_in =
      reinterpret_cast<Bytef *>(const_cast<char *>(payload.data()));
  stream.next_out = reinterpret_cast<Bytef *>(out.data());
  std::size_t in_left = payload.size();
  std::size_t out_left = out.size();
  int result = Z_OK;
  while (result == Z_OK) {
    stream.avail_in = static_cast<uInt>(std::min(in_left, k_slice));
    stream.avail_out = static_cast<uInt>(std::min(out_left, k_slice));
    uInt in_before = stream.avail_in;
    uInt out_before = stream.avail_out;
    result = inflate(&stream, Z_NO_FLUSH);
    in_left -= in_before - stream.avail_in;
    out_left -= out_before - stream.avail_out;
  }
  inflateEnd(&stream);
  // Bytes after the end of the stream are ignored, as libdeflate does.
  if (result != Z_STREAM_END || out_left != 0) {
    return std::nullopt;
  }
  return out;
}

std::string_view deflate_backend() { return "zlib"; }

} // namespace uploader::util
