#include "uploader/util/deflate.hpp"

#include "uploader/util/error.hpp"

#include <libdeflate.h>

#include <memory>

namespace uploader::util {

namespace {

struct CompressorDeleter {
  void operator()(libdeflate_compressor *c) const {
    libdeflate_free_compressor(c);
  }
};

struct DecompressorDeleter {
  void operator()(libdeflate_decompressor *d) const {
    libdeflate_free_decompressor(d);
  }
};

} // namespace

std::uint32_t crc32(std::string_view data) {
  return libdeflate_crc32(0, data.data(), data.size());
}

std::optional<std::string> deflate_smaller(std::string_view data, int level) {
  std::unique_ptr<libdeflate_compressor, CompressorDeleter> compressor(
      libdeflate_alloc_compressor(level));
  if (!compressor) {
    throw Error("cannot allocate a DEFLATE compressor (level " +
                std::to_string(level) + ")");
  }
  std::string compressed(
      libdeflate_deflate_compress_bound(compressor.get(), data.size()), '\0');
  size_t size =
      libdeflate_deflate_compress(compressor.get(), data.data(), data.size(),
                                  compressed.data(), compressed.size());
  if (size == 0 || size >= data.size()) {
    return std::nullopt;
  }
  compressed.resize(size);
  return compressed;
}

std::optional<std::string> inflate_exact(std::string_view payload,
                                         std::size_t size) {
  std::unique_ptr<libdeflate_decompressor, DecompressorDeleter> decompressor(
      libdeflate_alloc_decompressor());
  if (!decompressor) {
    throw Error("cannot allocate a DEFLATE decompressor");
  }
  std::string out(size, '\0');
  size_t actual = 0;
  auto result = libdeflate_deflate_decompress(decompressor.get(),
                                              payload.data(), payload.size(),
                                              out.data(), out.size(), &actual);
  if (result != LIBDEFLATE_SUCCESS || actual != size) {
    return std::nullopt;
  }
  return out;
}

std::string_view deflate_backend() { return "libdeflate"; }

} // namespace uploader::util
