// .sentryclirc parser: whatever the file holds, it parses or throws
// uploader::Error, never crashes.
#include "uploader/config/ini.hpp"
#include "uploader/util/error.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data,
                                      std::size_t size) {
  try {
    uploader::config::parse_ini(
        std::string_view(reinterpret_cast<const char *>(data), size));
  } catch (const uploader::Error &) {
  }
  return 0;
}
