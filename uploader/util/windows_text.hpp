#pragma once

// UTF-8 (everything inside the program) to and from UTF-16 (the Windows
// API), for the Windows-only sources of util/ and http/.
#if !defined(_WIN32)
#error "windows_text.hpp is for Windows builds only"
#endif

#include <string>
#include <string_view>
#include <windows.h>

namespace uploader::util {

inline std::wstring widen(std::string_view text) {
  if (text.empty()) {
    return {};
  }
  int size = ::MultiByteToWideChar(CP_UTF8, 0, text.data(),
                                   static_cast<int>(text.size()), nullptr, 0);
  std::wstring wide(static_cast<std::size_t>(size), L'\0');
  ::MultiByteToWideChar(CP_UTF8, 0, text.data(), static_cast<int>(text.size()),
                        wide.data(), size);
  return wide;
}

inline std::string narrow(std::wstring_view wide) {
  if (wide.empty()) {
    return {};
  }
  int size = ::WideCharToMultiByte(CP_UTF8, 0, wide.data(),
                                   static_cast<int>(wide.size()), nullptr, 0,
                                   nullptr, nullptr);
  std::string text(static_cast<std::size_t>(size), '\0');
  ::WideCharToMultiByte(CP_UTF8, 0, wide.data(), static_cast<int>(wide.size()),
                        text.data(), size, nullptr, nullptr);
  return text;
}

} // namespace uploader::util
