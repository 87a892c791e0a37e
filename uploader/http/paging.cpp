#include "uploader/http/paging.hpp"

namespace uploader::http {

std::optional<std::string> next_cursor(const Response &response) {
  auto link = response.header("link");
  if (!link) {
    return std::nullopt;
  }
  std::string_view rest = *link;
  while (!rest.empty()) {
    // Sentry joins the links with ", " (sentry-cli splits on ',').
    size_t comma = rest.find(',');
    std::string_view item = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? "" : rest.substr(comma + 1);
    if (item.find("rel=\"next\"") == std::string_view::npos ||
        item.find("results=\"true\"") == std::string_view::npos) {
      continue;
    }
    size_t start = item.find("cursor=\"");
    if (start == std::string_view::npos) {
      continue;
    }
    start += 8;
    size_t end = item.find('"', start);
    if (end != std::string_view::npos && end > start) {
      return std::string(item.substr(start, end - start));
    }
  }
  return std::nullopt;
}

} // namespace uploader::http
