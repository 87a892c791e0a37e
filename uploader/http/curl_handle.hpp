#pragma once

#include <curl/curl.h>

#include <memory>

namespace uploader::http {

// Owners for libcurl's C handles, so every exit path frees them.
struct CurlEasyDeleter {
  void operator()(CURL *handle) const { curl_easy_cleanup(handle); }
};
struct CurlMultiDeleter {
  void operator()(CURLM *handle) const { curl_multi_cleanup(handle); }
};
struct CurlSlistDeleter {
  void operator()(curl_slist *list) const { curl_slist_free_all(list); }
};
struct CurlMimeDeleter {
  void operator()(curl_mime *mime) const { curl_mime_free(mime); }
};

using CurlEasy = std::unique_ptr<CURL, CurlEasyDeleter>;
using CurlMulti = std::unique_ptr<CURLM, CurlMultiDeleter>;
using CurlSlist = std::unique_ptr<curl_slist, CurlSlistDeleter>;
using CurlMime = std::unique_ptr<curl_mime, CurlMimeDeleter>;

} // namespace uploader::http
