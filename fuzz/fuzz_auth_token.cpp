// The sntrys_ org-token decoder (base64 + JSON from an untrusted string),
// and the redaction every token passes through before any output.
#include "uploader/config/auth_token.hpp"
#include "uploader/util/redact.hpp"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data,
                                      std::size_t size) {
  std::string_view text(reinterpret_cast<const char *>(data), size);
  uploader::config::decode_org_token(text);
  uploader::config::decode_org_token("sntrys_" + std::string(text));
  std::string redacted = uploader::util::redact(text);
  // A second pass finds nothing more to hide.
  if (uploader::util::redact(redacted) != redacted) {
    __builtin_trap();
  }
  return 0;
}
