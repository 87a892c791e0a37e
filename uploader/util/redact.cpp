#include "uploader/util/redact.hpp"

#include "uploader/util/strings.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <mutex>
#include <vector>

namespace uploader::util {

namespace {

constexpr std::string_view k_mask = "[REDACTED]";

// Query parameters whose values are credentials.
constexpr std::array<std::string_view, 9> k_secret_params{
    "token",      "auth_token", "access_token", "api_key",  "apikey",
    "sentry_key", "password",   "secret",       "signature"};

std::mutex g_mutex;
std::vector<std::string> g_secrets;

bool is_token_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_' ||
         c == '-' || c == '+' || c == '/' || c == '=' || c == '.';
}

char lower(char c) {
  return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
}

// Case-insensitive find of a lowercase `needle`.
size_t find_nocase(std::string_view text, std::string_view needle,
                   size_t from) {
  auto it = std::search(
      text.begin() + static_cast<std::ptrdiff_t>(std::min(from, text.size())),
      text.end(), needle.begin(), needle.end(),
      [](char a, char b) { return lower(a) == b; });
  return it == text.end() ? std::string::npos
                          : static_cast<size_t>(it - text.begin());
}

// Replaces [start, end) with the mask and returns the position after it.
size_t mask(std::string &text, size_t start, size_t end) {
  text.replace(start, end - start, k_mask);
  return start + k_mask.size();
}

// Replaces every occurrence of `marker` and the token characters after it.
void mask_after(std::string &text, std::string_view marker, bool keep_marker) {
  size_t pos = 0;
  while ((pos = find_nocase(text, marker, pos)) != std::string::npos) {
    size_t start = keep_marker ? pos + marker.size() : pos;
    size_t end = pos + marker.size();
    while (end < text.size() && is_token_char(text[end])) {
      ++end;
    }
    if (end == pos + marker.size() && keep_marker) {
      pos = end;
      continue;
    }
    pos = mask(text, start, end);
  }
}

// `Authorization: <anything>` (and Proxy-Authorization) up to the line end,
// whatever the scheme (Bearer, Basic, DSN).
void mask_authorization_headers(std::string &text) {
  constexpr std::string_view k_name = "authorization:";
  size_t pos = 0;
  while ((pos = find_nocase(text, k_name, pos)) != std::string::npos) {
    size_t start = pos + k_name.size();
    while (start < text.size() && (text[start] == ' ' || text[start] == '\t')) {
      ++start;
    }
    size_t end = text.find_first_of("\r\n", start);
    end = end == std::string::npos ? text.size() : end;
    if (end == start ||
        std::string_view(text).substr(start, end - start) == k_mask) {
      pos = end;
      continue;
    }
    pos = mask(text, start, end);
  }
}

bool ends_authority(char c) {
  return c == '/' || c == '?' || c == '#' || c == '"' || c == '\'' ||
         std::isspace(static_cast<unsigned char>(c)) != 0;
}

// `scheme://user:password@host`: the user information goes.
void mask_url_userinfo(std::string &text) {
  size_t pos = 0;
  while ((pos = text.find("://", pos)) != std::string::npos) {
    size_t start = pos + 3;
    size_t end = start;
    while (end < text.size() && !ends_authority(text[end])) {
      ++end;
    }
    size_t at = std::string_view(text).substr(start, end - start).rfind('@');
    if (at == std::string::npos ||
        std::string_view(text).substr(start, at) == k_mask) {
      // Not `end`: another "://" may start inside this authority.
      pos = start;
      continue;
    }
    pos = mask(text, start, start + at);
  }
}

// `?token=...` / `&sentry_key=...` in URLs.
void mask_query_secrets(std::string &text) {
  for (auto name : k_secret_params) {
    size_t pos = 0;
    while ((pos = find_nocase(text, name, pos)) != std::string::npos) {
      size_t start = pos + name.size();
      bool is_param = pos > 0 &&
                      (text[pos - 1] == '?' || text[pos - 1] == '&') &&
                      start < text.size() && text[start] == '=';
      if (!is_param) {
        pos = start;
        continue;
      }
      ++start;
      size_t end = start;
      while (end < text.size() && text[end] != '&' &&
             !ends_authority(text[end])) {
        ++end;
      }
      if (end == start ||
          std::string_view(text).substr(start, end - start) == k_mask) {
        pos = end;
        continue;
      }
      pos = mask(text, start, end);
    }
  }
}

} // namespace

void register_secret(std::string_view secret) {
  // Very short values would mask ordinary words; real tokens are long.
  if (secret.size() < 8) {
    return;
  }
  std::lock_guard lock(g_mutex);
  for (std::string form :
       {std::string(secret), percent_encode(secret, "-_.~")}) {
    if (std::ranges::find(g_secrets, form) == g_secrets.end()) {
      g_secrets.push_back(std::move(form));
    }
  }
}

std::string redact(std::string_view input) {
  std::string text(input);
  {
    std::lock_guard lock(g_mutex);
    for (const auto &secret : g_secrets) {
      size_t pos = 0;
      while ((pos = text.find(secret, pos)) != std::string::npos) {
        pos = mask(text, pos, pos + secret.size());
      }
    }
  }
  mask_after(text, "sntrys_", false);
  mask_after(text, "sntryu_", false);
  mask_after(text, "bearer ", true);
  mask_authorization_headers(text);
  mask_url_userinfo(text);
  mask_query_secrets(text);
  return text;
}

} // namespace uploader::util
