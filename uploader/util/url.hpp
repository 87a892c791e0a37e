#pragma once

#include <string>
#include <string_view>

namespace uploader::util {

// Percent-encodes a URL query value: everything but letters, digits and
// `-_.~:/` (which Sentry's queries such as `is:unresolved` keep readable).
std::string encode_query_value(std::string_view value);

} // namespace uploader::util
