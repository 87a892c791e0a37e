#include "uploader/util/url.hpp"

#include "uploader/util/strings.hpp"

namespace uploader::util {

std::string encode_query_value(std::string_view value) {
  return percent_encode(value, "-_.~:/");
}

} // namespace uploader::util
