#pragma once

#include <cstdint>
#include <string>

namespace uploader::bundle {

// A slice of the bundle file and its SHA-1 (lowercase hex): the unit in
// which Sentry stores bundles and reports what it lacks.
struct Chunk {
  std::string sha1;
  std::uint64_t offset = 0;
  std::uint64_t size = 0;
};

} // namespace uploader::bundle
