#include "uploader/util/redact.hpp"

#include <cctype>
#include <mutex>
#include <vector>

namespace uploader::util {

namespace {

constexpr std::string_view k_mask = "[REDACTED]";

std::mutex g_mutex;
std::vector<std::string> g_secrets;

bool is_token_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' ||
         c == '-' || c == '+' || c == '/' || c == '=' || c == '.';
}

// Replaces every occurrence of `marker` and the token characters after it.
void mask_after(std::string &text, std::string_view marker, bool keep_marker) {
  size_t pos = 0;
  while ((pos = text.find(marker, pos)) != std::string::npos) {
    size_t start = keep_marker ? pos + marker.size() : pos;
    size_t end = pos + marker.size();
    while (end < text.size() && is_token_char(text[end])) {
      ++end;
    }
    if (end == pos + marker.size() && keep_marker) {
      pos = end;
      continue;
    }
    text.replace(start, end - start, k_mask);
    pos = start + k_mask.size();
  }
}

} // namespace

void register_secret(std::string_view secret) {
  // Very short values would mask ordinary words; real tokens are long.
  if (secret.size() < 8) {
    return;
  }
  std::lock_guard lock(g_mutex);
  g_secrets.emplace_back(secret);
}

std::string redact(std::string_view input) {
  std::string text(input);
  {
    std::lock_guard lock(g_mutex);
    for (const auto &secret : g_secrets) {
      size_t pos = 0;
      while ((pos = text.find(secret, pos)) != std::string::npos) {
        text.replace(pos, secret.size(), k_mask);
        pos += k_mask.size();
      }
    }
  }
  mask_after(text, "sntrys_", false);
  mask_after(text, "sntryu_", false);
  mask_after(text, "Bearer ", true);
  mask_after(text, "bearer ", true);
  return text;
}

} // namespace uploader::util
