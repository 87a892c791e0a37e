#pragma once

#include <string>
#include <string_view>

namespace uploader::util {

// Registers a secret (the configured auth token) that must never be shown.
// Every log line, error message and trace passes through redact(), so
// registering it once covers all output.
void register_secret(std::string_view secret);

// Returns `text` with secrets replaced by "[REDACTED]": registered secrets
// (also percent-encoded), `sntrys_`/`sntryu_` tokens, the value after
// "Bearer ", the value of an Authorization or Proxy-Authorization header,
// the user information of URLs (`https://user:pass@host`) and credential
// query parameters (`?token=`, `&sentry_key=`, ...). Redacting twice changes
// nothing more.
std::string redact(std::string_view text);

} // namespace uploader::util
