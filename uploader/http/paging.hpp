#pragma once

#include "uploader/http/transport.hpp"

#include <optional>
#include <string>

namespace uploader::http {

// The cursor of the next page from a Link header, when there is one with
// results (sentry-cli's pagination.rs).
std::optional<std::string> next_cursor(const Response &response);

} // namespace uploader::http
