// The HTTP backend for Windows builds without libcurl: WinHTTP, as
// sentry-native uses it. Same contract as client_curl.cpp: connect and
// stall timeouts, the request timeout cut to --deadline, no silent resend
// of a request that must not run twice, proxies (https_proxy and friends,
// else the system's), certificates checked against the system store or
// only against --ca-file, and the --verbose trace, redacted.
#include "uploader/http/client.hpp"
#include "uploader/http/client_common.hpp"
#include "uploader/http/environment_proxy.hpp"
#include "uploader/util/error.hpp"
#include "uploader/util/fs.hpp"
#include "uploader/util/native_file.hpp"
#include "uploader/util/platform.hpp"
#include "uploader/util/strings.hpp"
#include "uploader/util/windows_text.hpp"

// wincrypt.h and winhttp.h need windows.h first.
// clang-format off
#include <windows.h>
#include <wincrypt.h>
#include <winhttp.h>
// clang-format on

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <exception>
#include <list>
#include <mutex>
#include <random>
#include <thread>

namespace uploader::http {

// Named, not anonymous: Client::Impl (external linkage) holds these types,
// and GCC rejects internal-linkage members in a unity build's included file.
namespace winhttp_detail {

using client_common::OpenFiles;

struct InternetDeleter {
  void operator()(void *handle) const { ::WinHttpCloseHandle(handle); }
};
using Internet = std::unique_ptr<void, InternetDeleter>;

struct CertStoreDeleter {
  void operator()(void *store) const { ::CertCloseStore(store, 0); }
};
using CertStore = std::unique_ptr<void, CertStoreDeleter>;

// WinHTTP's own words for its error codes (they live in winhttp.dll, not
// in the system's message table).
std::string error_text(DWORD code) {
  wchar_t *buffer = nullptr;
  DWORD flags = FORMAT_MESSAGE_ALLOCATE_BUFFER | FORMAT_MESSAGE_IGNORE_INSERTS |
                FORMAT_MESSAGE_FROM_SYSTEM;
  HMODULE module = ::GetModuleHandleW(L"winhttp.dll");
  if (module != nullptr && code >= WINHTTP_ERROR_BASE &&
      code <= WINHTTP_ERROR_LAST) {
    flags |= FORMAT_MESSAGE_FROM_HMODULE;
  }
  DWORD size = ::FormatMessageW(
      flags, module, code, 0, reinterpret_cast<wchar_t *>(&buffer), 0, nullptr);
  std::string text = size > 0 ? util::narrow({buffer, size}) : "";
  ::LocalFree(buffer);
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' ||
                           text.back() == ' ' || text.back() == '.')) {
    text.pop_back();
  }
  return "WinHTTP error " + std::to_string(code) +
         (text.empty() ? "" : ": " + text);
}

TransportFailure classify(DWORD code) {
  switch (code) {
  case ERROR_WINHTTP_NAME_NOT_RESOLVED:
  case ERROR_WINHTTP_CANNOT_CONNECT:
    return TransportFailure::connect;
  case ERROR_WINHTTP_TIMEOUT:
    return TransportFailure::timeout;
  case ERROR_WINHTTP_SECURE_FAILURE:
  case ERROR_WINHTTP_SECURE_CERT_DATE_INVALID:
  case ERROR_WINHTTP_SECURE_CERT_CN_INVALID:
  case ERROR_WINHTTP_SECURE_INVALID_CA:
  case ERROR_WINHTTP_SECURE_CERT_REV_FAILED:
  case ERROR_WINHTTP_SECURE_CHANNEL_ERROR:
  case ERROR_WINHTTP_SECURE_INVALID_CERT:
  case ERROR_WINHTTP_SECURE_CERT_REVOKED:
  case ERROR_WINHTTP_SECURE_CERT_WRONG_USAGE:
  case ERROR_WINHTTP_CLIENT_AUTH_CERT_NEEDED:
    return TransportFailure::tls;
  default:
    return TransportFailure::broken;
  }
}

// --ca-file: the PEM certificates a server's chain must end in, instead of
// the system store (curl's CAINFO).
class CaFile {
public:
  explicit CaFile(const std::filesystem::path &path) {
    std::string pem;
    try {
      pem = util::read_file(path);
    } catch (const Error &error) {
      throw Error(std::string(error.what()) + "; check --ca-file");
    }
    m_store.reset(::CertOpenStore(CERT_STORE_PROV_MEMORY, 0, 0, 0, nullptr));
    size_t added = 0;
    constexpr std::string_view begin = "-----BEGIN CERTIFICATE-----";
    constexpr std::string_view end = "-----END CERTIFICATE-----";
    for (size_t at = pem.find(begin); at != std::string::npos;
         at = pem.find(begin, at + 1)) {
      size_t stop = pem.find(end, at);
      if (stop == std::string::npos) {
        break;
      }
      std::string_view base64(pem.data() + at, stop + end.size() - at);
      DWORD size = 0;
      if (!::CryptStringToBinaryA(
              base64.data(), static_cast<DWORD>(base64.size()),
              CRYPT_STRING_BASE64HEADER, nullptr, &size, nullptr, nullptr)) {
        continue;
      }
      std::string der(size, '\0');
      ::CryptStringToBinaryA(base64.data(), static_cast<DWORD>(base64.size()),
                             CRYPT_STRING_BASE64HEADER,
                             reinterpret_cast<BYTE *>(der.data()), &size,
                             nullptr, nullptr);
      if (::CertAddEncodedCertificateToStore(
              m_store.get(), X509_ASN_ENCODING,
              reinterpret_cast<const BYTE *>(der.data()), size,
              CERT_STORE_ADD_USE_EXISTING, nullptr)) {
        ++added;
      }
    }
    if (added == 0) {
      throw Error("the CA file '" + path.string() +
                  "' holds no PEM certificate (-----BEGIN CERTIFICATE-----); "
                  "check --ca-file");
    }
  }
  CaFile(const CaFile &) = delete;
  CaFile &operator=(const CaFile &) = delete;

  // Whether the server certificate `request` got chains up to one of the
  // file's certificates and names `host`; else why not.
  std::optional<std::string> reject(HINTERNET request,
                                    const std::wstring &host) const {
    PCCERT_CONTEXT certificate = nullptr;
    DWORD size = sizeof certificate;
    if (!::WinHttpQueryOption(request, WINHTTP_OPTION_SERVER_CERT_CONTEXT,
                              &certificate, &size) ||
        certificate == nullptr) {
      return "the server sent no certificate";
    }
    std::optional<std::string> why = check(certificate, host);
    ::CertFreeCertificateContext(certificate);
    return why;
  }

private:
  // The chain is built from the server's certificates and the file's, then
  // must end in one of the file's: any other root, even one the system
  // trusts, is rejected (the file replaces the store, as curl's CAINFO).
  std::optional<std::string> check(PCCERT_CONTEXT certificate,
                                   const std::wstring &host) const {
    CertStore stores(
        ::CertOpenStore(CERT_STORE_PROV_COLLECTION, 0, 0, 0, nullptr));
    ::CertAddStoreToCollection(stores.get(), m_store.get(), 0, 0);
    ::CertAddStoreToCollection(stores.get(), certificate->hCertStore, 0, 0);
    CERT_CHAIN_PARA para = {};
    para.cbSize = sizeof para;
    PCCERT_CHAIN_CONTEXT chain = nullptr;
    if (!::CertGetCertificateChain(nullptr, certificate, nullptr, stores.get(),
                                   &para, 0, nullptr, &chain)) {
      return error_text(::GetLastError());
    }
    std::optional<std::string> why;
    const CERT_SIMPLE_CHAIN *simple = chain->rgpChain[0];
    PCCERT_CONTEXT root =
        simple->rgpElement[simple->cElement - 1]->pCertContext;
    PCCERT_CONTEXT known = ::CertFindCertificateInStore(
        m_store.get(), X509_ASN_ENCODING, 0, CERT_FIND_EXISTING, root, nullptr);
    DWORD errors =
        chain->TrustStatus.dwErrorStatus & ~CERT_TRUST_IS_UNTRUSTED_ROOT;
    SSL_EXTRA_CERT_CHAIN_POLICY_PARA ssl = {};
    ssl.cbSize = sizeof ssl;
    ssl.dwAuthType = AUTHTYPE_SERVER;
    ssl.pwszServerName = const_cast<wchar_t *>(host.c_str());
    CERT_CHAIN_POLICY_PARA policy = {};
    policy.cbSize = sizeof policy;
    policy.dwFlags = CERT_CHAIN_POLICY_ALLOW_UNKNOWN_CA_FLAG;
    policy.pvExtraPolicyPara = &ssl;
    CERT_CHAIN_POLICY_STATUS status = {};
    status.cbSize = sizeof status;
    if (known == nullptr) {
      why = "the certificate does not chain up to a certificate of the CA "
            "file";
    } else if (errors != CERT_TRUST_NO_ERROR) {
      why = "the certificate chain is not valid (trust status " +
            std::to_string(errors) + ")";
    } else if (!::CertVerifyCertificateChainPolicy(CERT_CHAIN_POLICY_SSL, chain,
                                                   &policy, &status) ||
               status.dwError != 0) {
      why = "the certificate is not valid for this server (" +
            error_text(status.dwError) + ")";
    }
    if (known != nullptr) {
      ::CertFreeCertificateContext(known);
    }
    ::CertFreeCertificateChain(chain);
    return why;
  }

  CertStore m_store;
};

// A session: WinHTTP pools connections per session, so requests that must
// not run twice each get their own (a fresh connection, which WinHTTP will
// not silently re-send on).
Internet open_session(const ClientOptions &options,
                      const std::optional<EnvironmentProxy> &proxy,
                      std::vector<std::string> &notes) {
  std::wstring agent = util::widen(options.user_agent);
  if (proxy) {
    std::wstring server = util::widen(proxy->server);
    std::wstring bypass = util::widen(proxy->bypass);
    notes.push_back("Using proxy " + proxy->server + " (from the environment)");
    return Internet(::WinHttpOpen(
        agent.c_str(), WINHTTP_ACCESS_TYPE_NAMED_PROXY, server.c_str(),
        bypass.empty() ? WINHTTP_NO_PROXY_BYPASS : bypass.c_str(), 0));
  }
  // The system's proxy settings (Windows 8.1 and later), else the ones set
  // with netsh winhttp.
  if (HINTERNET session =
          ::WinHttpOpen(agent.c_str(), WINHTTP_ACCESS_TYPE_AUTOMATIC_PROXY,
                        WINHTTP_NO_PROXY_NAME, WINHTTP_NO_PROXY_BYPASS, 0)) {
    return Internet(session);
  }
  return Internet(
      ::WinHttpOpen(agent.c_str(), WINHTTP_ACCESS_TYPE_DEFAULT_PROXY,
                    WINHTTP_NO_PROXY_NAME, WINHTTP_NO_PROXY_BYPASS, 0));
}

std::string random_boundary() {
  static constexpr char digits[] = "0123456789abcdef";
  std::random_device device;
  std::string boundary(24, '-');
  for (int i = 0; i < 24; ++i) {
    boundary += digits[device() % 16];
  }
  return boundary;
}

// A multipart/form-data body as curl builds it: literal pieces (part
// headers, small values) and file ranges streamed from disk.
struct Body {
  struct Piece {
    std::string bytes;
    const FileRange *file = nullptr;
  };
  std::string content_type;
  std::vector<Piece> pieces;
  std::uint64_t length = 0;

  void add(std::string bytes) {
    length += bytes.size();
    pieces.push_back({std::move(bytes), nullptr});
  }
  void add(const FileRange &range) {
    length += range.length;
    pieces.push_back({{}, &range});
  }
};

Body multipart_body(const Request &request) {
  Body body;
  std::string boundary = random_boundary();
  body.content_type = "multipart/form-data; boundary=" + boundary;
  for (const auto &part : request.parts) {
    std::string head = "--" + boundary +
                       "\r\nContent-Disposition: form-data; name=\"" +
                       part.name + "\"";
    if (!part.filename.empty()) {
      head += "; filename=\"" + part.filename + "\"";
    }
    head += "\r\n";
    if (!part.content_type.empty()) {
      head += "Content-Type: " + part.content_type + "\r\n";
    }
    head += "\r\n";
    body.add(std::move(head));
    if (part.file) {
      body.add(*part.file);
    } else {
      body.add(part.data);
    }
    body.add("\r\n");
  }
  body.add("--" + boundary + "--\r\n");
  return body;
}

// Cancels requests whose time is up: WinHTTP's synchronous calls have
// per-operation timeouts only, so a watchdog closes the handle of a request
// that runs past its request timeout or the deadline, which makes the
// pending call fail.
class Watchdog {
public:
  struct Entry {
    HINTERNET request;
    std::chrono::steady_clock::time_point until;
    bool fired = false;
  };

  Watchdog() : m_thread([this] { run(); }) {}
  ~Watchdog() {
    {
      std::lock_guard lock(m_mutex);
      m_stop = true;
    }
    m_wake.notify_all();
    m_thread.join();
  }

  std::list<Entry>::iterator
  watch(HINTERNET request, std::chrono::steady_clock::time_point until) {
    std::lock_guard lock(m_mutex);
    auto entry = m_entries.insert(m_entries.end(), Entry{request, until});
    m_wake.notify_all();
    return entry;
  }

  // Stops watching; true if the watchdog fired (and closed the handle).
  bool release(std::list<Entry>::iterator entry) {
    std::lock_guard lock(m_mutex);
    bool fired = entry->fired;
    m_entries.erase(entry);
    return fired;
  }

private:
  void run() {
    std::unique_lock lock(m_mutex);
    while (!m_stop) {
      auto now = std::chrono::steady_clock::now();
      auto next = std::chrono::steady_clock::time_point::max();
      for (auto &entry : m_entries) {
        if (!entry.fired && entry.until <= now) {
          entry.fired = true;
          ::WinHttpCloseHandle(entry.request);
        } else if (!entry.fired) {
          next = std::min(next, entry.until);
        }
      }
      if (next == std::chrono::steady_clock::time_point::max()) {
        m_wake.wait(lock);
      } else {
        m_wake.wait_until(lock, next);
      }
    }
  }

  std::mutex m_mutex;
  std::condition_variable m_wake;
  std::list<Entry> m_entries;
  bool m_stop = false;
  std::thread m_thread;
};

// --ca-file: a server whose root only the file knows makes WinHTTP refuse
// the handshake, before any byte of the request: exchange() then checks
// the chain against the file. A certificate the system trusts is checked
// too, from WinHTTP's SENDING_REQUEST notification, which closes the
// request when it rejects (under Wine the request may still go out).
struct CertificateCheck {
  const CaFile *ca_file = nullptr;
  std::wstring host;
  std::optional<std::string> rejected;
  bool closed = false; // the notification closed the request handle
};

void CALLBACK on_status(HINTERNET request, DWORD_PTR context, DWORD status,
                        void * /*info*/, DWORD /*size*/) {
  auto *check = reinterpret_cast<CertificateCheck *>(context);
  if (status != WINHTTP_CALLBACK_STATUS_SENDING_REQUEST || check == nullptr ||
      check->ca_file == nullptr || check->rejected) {
    return;
  }
  if ((check->rejected = check->ca_file->reject(request, check->host))) {
    check->closed = true;
    ::WinHttpCloseHandle(request);
  }
}

} // namespace winhttp_detail

using namespace winhttp_detail;

struct Client::Impl {
  ClientOptions options;
  std::unique_ptr<CaFile> ca_file;
  std::mutex sessions_mutex;
  Internet sessions[2]; // http, https; opened on first use
  // The environment's proxy for http and for https, read once.
  std::optional<EnvironmentProxy> proxies[2];
  std::vector<std::string> session_notes[2];
  OpenFiles open_files;
  Watchdog watchdog;

  HINTERNET shared_session(bool https) {
    std::lock_guard lock(sessions_mutex);
    if (!sessions[https]) {
      sessions[https] = new_session(https, session_notes[https]);
    }
    return sessions[https].get();
  }

  Internet new_session(bool https, std::vector<std::string> &notes) const {
    Internet session = open_session(options, proxies[https], notes);
    if (!session) {
      throw Error("cannot start WinHTTP: " + error_text(::GetLastError()));
    }
    configure_session(session.get());
    return session;
  }

  void configure_session(HINTERNET session) const {
    // curl follows no redirects unless told to; neither do we.
    DWORD redirects = WINHTTP_OPTION_REDIRECT_POLICY_NEVER;
    ::WinHttpSetOption(session, WINHTTP_OPTION_REDIRECT_POLICY, &redirects,
                       sizeof redirects);
    // Accept-Encoding: gzip, deflate, decoded here (Windows 8.1 and later;
    // without it answers come uncompressed).
    DWORD decompression = WINHTTP_DECOMPRESSION_FLAG_ALL;
    ::WinHttpSetOption(session, WINHTTP_OPTION_DECOMPRESSION, &decompression,
                       sizeof decompression);
    if (ca_file) {
      ::WinHttpSetStatusCallback(session, on_status,
                                 WINHTTP_CALLBACK_FLAG_SEND_REQUEST, 0);
    }
  }

  void trace_notes(const std::vector<std::string> &notes) const {
    if (options.trace && options.trace_headers) {
      for (const auto &note : notes) {
        client_common::trace_lines(options, "* ", note);
      }
    }
  }

  static std::string query_raw_headers(HINTERNET request, DWORD which) {
    DWORD size = 0;
    ::WinHttpQueryHeaders(request, which, WINHTTP_HEADER_NAME_BY_INDEX, nullptr,
                          &size, WINHTTP_NO_HEADER_INDEX);
    if (::GetLastError() != ERROR_INSUFFICIENT_BUFFER || size == 0) {
      return {};
    }
    std::wstring wide(size / sizeof(wchar_t), L'\0');
    if (!::WinHttpQueryHeaders(request, which, WINHTTP_HEADER_NAME_BY_INDEX,
                               wide.data(), &size, WINHTTP_NO_HEADER_INDEX)) {
      return {};
    }
    wide.resize(size / sizeof(wchar_t));
    return util::narrow(wide);
  }

  // Writes the body: the plain one at once, a multipart one piece by piece
  // with file ranges read in blocks.
  bool write_body(HINTERNET request, const Request &source, const Body &body,
                  Response &response) {
    auto write = [&](const char *data, size_t size) {
      while (size > 0) {
        DWORD chunk = static_cast<DWORD>(std::min<size_t>(size, 1 << 20));
        DWORD written = 0;
        if (!::WinHttpWriteData(request, data, chunk, &written)) {
          return false;
        }
        data += written;
        size -= written;
      }
      return true;
    };
    if (source.parts.empty()) {
      return write(source.body.data(), source.body.size());
    }
    std::vector<char> block(1 << 16);
    for (const auto &piece : body.pieces) {
      if (piece.file == nullptr) {
        if (!write(piece.bytes.data(), piece.bytes.size())) {
          return false;
        }
        continue;
      }
      util::NativeFile &file = open_files.get(piece.file->path);
      for (std::uint64_t done = 0; done < piece.file->length;) {
        size_t want = static_cast<size_t>(
            std::min<std::uint64_t>(block.size(), piece.file->length - done));
        std::error_code error;
        size_t got =
            file.read_at(block.data(), want, piece.file->offset + done, error);
        if (error || got == 0) {
          response.failure = TransportFailure::broken;
          response.transport_error =
              "cannot read '" + piece.file->path.string() +
              "': " + (error ? error.message() : "it is shorter than expected");
          return false;
        }
        if (!write(block.data(), got)) {
          return false;
        }
        done += got;
      }
    }
    return true;
  }

  Response send_one(const Request &request) {
    Response response;
    auto started = std::chrono::steady_clock::now();
    std::wstring url = util::widen(request.url);
    URL_COMPONENTS parts = {};
    parts.dwStructSize = sizeof parts;
    parts.dwHostNameLength = static_cast<DWORD>(-1);
    parts.dwUrlPathLength = static_cast<DWORD>(-1);
    parts.dwExtraInfoLength = static_cast<DWORD>(-1);
    if (!::WinHttpCrackUrl(url.c_str(), 0, 0, &parts)) {
      throw Error("cannot use the URL '" + request.url +
                  "': " + error_text(::GetLastError()));
    }
    bool https = parts.nScheme == INTERNET_SCHEME_HTTPS;
    std::wstring host(parts.lpszHostName, parts.dwHostNameLength);
    std::wstring path(parts.lpszUrlPath, parts.dwUrlPathLength);
    path.append(parts.lpszExtraInfo, parts.dwExtraInfoLength);

    // A request that must not run twice gets a session of its own, so a
    // fresh connection.
    Internet own_session;
    std::vector<std::string> own_notes;
    HINTERNET session = nullptr;
    if (request.idempotent) {
      session = shared_session(https);
      trace_notes(session_notes[https]);
    } else {
      own_session = new_session(https, own_notes);
      session = own_session.get();
      trace_notes(own_notes);
    }
    Internet connection(
        ::WinHttpConnect(session, host.c_str(), parts.nPort, 0));
    if (!connection) {
      throw Error("cannot use the URL '" + request.url +
                  "': " + error_text(::GetLastError()));
    }
    std::wstring method = util::widen(request.method);
    HINTERNET handle = ::WinHttpOpenRequest(
        connection.get(), method.c_str(), path.c_str(), nullptr,
        WINHTTP_NO_REFERER, WINHTTP_DEFAULT_ACCEPT_TYPES,
        https ? WINHTTP_FLAG_SECURE : 0);
    if (handle == nullptr) {
      throw Error("cannot use the URL '" + request.url +
                  "': " + error_text(::GetLastError()));
    }
    // The handle is closed once: by the watchdog when it fires, else here.
    auto timeout = client_common::request_timeout_now(options);
    std::optional<std::list<Watchdog::Entry>::iterator> watched;
    if (timeout.value.count() > 0) {
      watched = watchdog.watch(handle, started + timeout.value);
    }
    bool watchdog_fired = false;
    CertificateCheck check{ca_file.get(), host, std::nullopt};
    // on_status closes the handle when it rejects a certificate.
    auto close_handle = [&] {
      if (watched) {
        watchdog_fired = watchdog.release(*watched);
      }
      if (!watchdog_fired && !check.closed) {
        ::WinHttpCloseHandle(handle);
      }
    };
    try {
      exchange(connection.get(), handle, request, https, check, response);
    } catch (...) {
      close_handle();
      throw;
    }
    close_handle();
    if (check.rejected) {
      response = {};
      response.failure = TransportFailure::tls;
      response.transport_error = "certificate rejected: " + *check.rejected;
    } else if (watchdog_fired && !response.transport_error.empty()) {
      response.status = 0;
      response.failure =
          client_common::timeout_failure(options, timeout.deadline_bound);
      response.transport_error =
          "the request took longer than " +
          std::to_string(timeout.value.count()) + " ms" +
          (timeout.deadline_bound ? " (the time left before --deadline)" : "");
    }
    client_common::trace_outcome(options, request, response, started);
    return response;
  }

  // The certificate of the server `connection` leads to, checked against
  // the CA file, from a HEAD request without headers or body; why it is
  // rejected, or nullopt.
  std::optional<std::string> probe_certificate(HINTERNET connection,
                                               const std::wstring &host) const {
    Internet probe(::WinHttpOpenRequest(
        connection, L"HEAD", L"/", nullptr, WINHTTP_NO_REFERER,
        WINHTTP_DEFAULT_ACCEPT_TYPES, WINHTTP_FLAG_SECURE));
    if (!probe) {
      return error_text(::GetLastError());
    }
    int connect_ms = static_cast<int>(options.connect_timeout.count());
    ::WinHttpSetTimeouts(probe.get(), connect_ms, connect_ms, connect_ms,
                         connect_ms);
    DWORD flags = SECURITY_FLAG_IGNORE_UNKNOWN_CA;
    ::WinHttpSetOption(probe.get(), WINHTTP_OPTION_SECURITY_FLAGS, &flags,
                       sizeof flags);
    if (!::WinHttpSendRequest(probe.get(), WINHTTP_NO_ADDITIONAL_HEADERS, 0,
                              WINHTTP_NO_REQUEST_DATA, 0, 0, 0)) {
      return error_text(::GetLastError());
    }
    return ca_file->reject(probe.get(), host);
  }

  void fail(Response &response, DWORD code, bool connected) const {
    response.status = 0;
    if (response.failure == TransportFailure::none) {
      response.failure = classify(code);
    }
    if (response.transport_error.empty()) {
      response.transport_error = error_text(code);
      if (code == ERROR_WINHTTP_TIMEOUT && connected) {
        response.transport_error = client_common::stall_message(options);
      }
    }
    if (response.failure == TransportFailure::timeout) {
      response.failure = client_common::timeout_failure(options, false);
    }
  }

  void exchange(HINTERNET connection, HINTERNET handle, const Request &request,
                bool https, CertificateCheck &check, Response &response) {
    if (!request.idempotent) {
      DWORD no_keep_alive = WINHTTP_DISABLE_KEEP_ALIVE;
      ::WinHttpSetOption(handle, WINHTTP_OPTION_DISABLE_FEATURE, &no_keep_alive,
                         sizeof no_keep_alive);
    }
    int connect_ms = static_cast<int>(options.connect_timeout.count());
    int stall_ms = options.stall_timeout.count() > 0
                       ? static_cast<int>(options.stall_timeout.count() * 1000)
                       : 0;
    ::WinHttpSetTimeouts(handle, connect_ms, connect_ms, stall_ms, stall_ms);
    if (https && options.insecure) {
      DWORD flags = SECURITY_FLAG_IGNORE_UNKNOWN_CA |
                    SECURITY_FLAG_IGNORE_CERT_DATE_INVALID |
                    SECURITY_FLAG_IGNORE_CERT_CN_INVALID |
                    SECURITY_FLAG_IGNORE_CERT_WRONG_USAGE;
      ::WinHttpSetOption(handle, WINHTTP_OPTION_SECURITY_FLAGS, &flags,
                         sizeof flags);
    } else if (https && ca_file) {
      // Checked again in on_status before each send, for a connection
      // whose certificate WinHTTP accepted by itself.
      DWORD_PTR context = reinterpret_cast<DWORD_PTR>(&check);
      ::WinHttpSetOption(handle, WINHTTP_OPTION_CONTEXT_VALUE, &context,
                         sizeof context);
    }
    if (const auto &proxy = proxies[https]; proxy && !proxy->user.empty()) {
      std::wstring user = util::widen(proxy->user);
      std::wstring password = util::widen(proxy->password);
      ::WinHttpSetCredentials(handle, WINHTTP_AUTH_TARGET_PROXY,
                              WINHTTP_AUTH_SCHEME_BASIC, user.c_str(),
                              password.c_str(), nullptr);
    }

    Body body;
    std::vector<std::string> header_lines =
        client_common::request_headers(options, request);
    std::uint64_t length = request.body.size();
    if (!request.parts.empty()) {
      body = multipart_body(request);
      header_lines.push_back("Content-Type: " + body.content_type);
      length = body.length;
    } else if (request.method != "GET" &&
               std::none_of(header_lines.begin(), header_lines.end(),
                            [](const std::string &line) {
                              return util::ascii_lower(line).starts_with(
                                  "content-type:");
                            })) {
      // curl's default for a posted body.
      header_lines.push_back("Content-Type: application/x-www-form-urlencoded");
    }
    std::wstring headers;
    for (const auto &line : header_lines) {
      headers += util::widen(line) + L"\r\n";
    }
    // Content-Length over 4 GiB needs the header; WinHTTP takes a DWORD.
    DWORD total = WINHTTP_IGNORE_REQUEST_TOTAL_LENGTH;
    if (length <= 0xFFFFFFFFull) {
      total = static_cast<DWORD>(length);
    } else {
      headers += L"Content-Length: " + std::to_wstring(length) + L"\r\n";
    }
    auto send = [&] {
      return ::WinHttpSendRequest(handle, headers.c_str(),
                                  static_cast<DWORD>(headers.size()),
                                  WINHTTP_NO_REQUEST_DATA, 0, total, 0);
    };
    bool sent = send();
    if (!sent && https && ca_file && !options.insecure &&
        classify(::GetLastError()) == TransportFailure::tls) {
      // The system store does not know the private CA, so WinHTTP refused
      // the handshake before sending a byte of the request. A probe that
      // carries nothing secret fetches the certificate (WinHTTP gives none
      // for a refused handshake under Wine); only when it chains up to the
      // file is the request sent, without the system's verdict on the root.
      if ((check.rejected = probe_certificate(connection, check.host))) {
        return;
      }
      DWORD flags = SECURITY_FLAG_IGNORE_UNKNOWN_CA;
      ::WinHttpSetOption(handle, WINHTTP_OPTION_SECURITY_FLAGS, &flags,
                         sizeof flags);
      sent = send();
    }
    if (!sent) {
      fail(response, ::GetLastError(), false);
      return;
    }
    if (options.trace && options.trace_headers) {
      client_common::trace_lines(
          options, "> ",
          query_raw_headers(handle, WINHTTP_QUERY_RAW_HEADERS_CRLF |
                                        WINHTTP_QUERY_FLAG_REQUEST_HEADERS));
    }
    if (!write_body(handle, request, body, response) ||
        !::WinHttpReceiveResponse(handle, nullptr)) {
      fail(response, ::GetLastError(), true);
      return;
    }
    std::string raw = query_raw_headers(handle, WINHTTP_QUERY_RAW_HEADERS_CRLF);
    if (options.trace && options.trace_headers) {
      client_common::trace_lines(options, "< ", raw);
    }
    DWORD status = 0;
    DWORD size = sizeof status;
    ::WinHttpQueryHeaders(
        handle, WINHTTP_QUERY_STATUS_CODE | WINHTTP_QUERY_FLAG_NUMBER,
        WINHTTP_HEADER_NAME_BY_INDEX, &status, &size, WINHTTP_NO_HEADER_INDEX);
    for (auto line : util::split(raw, '\n')) {
      if (auto header = client_common::parse_header_line(line)) {
        response.headers.push_back(std::move(*header));
      }
    }
    read_body(handle, response);
    if (response.transport_error.empty()) {
      response.status = static_cast<long>(status);
    }
  }

  void read_body(HINTERNET handle, Response &response) {
    // An answer whose body stops short is cut off, not broken: Sentry may
    // have acted on the request.
    std::optional<std::uint64_t> announced;
    if (auto length = response.header("content-length");
        length && !response.header("content-encoding")) {
      announced = std::strtoull(length->c_str(), nullptr, 10);
    }
    std::vector<char> block(1 << 16);
    for (;;) {
      DWORD got = 0;
      if (!::WinHttpReadData(handle, block.data(),
                             static_cast<DWORD>(block.size()), &got)) {
        DWORD code = ::GetLastError();
        if (code == ERROR_WINHTTP_CONNECTION_ERROR ||
            code == ERROR_WINHTTP_INVALID_SERVER_RESPONSE) {
          response.status = 0;
          response.failure = TransportFailure::cut_off;
          response.transport_error = client_common::cut_off_in_body(
              response.body.size(), announced,
              code == ERROR_WINHTTP_CONNECTION_ERROR);
          return;
        }
        fail(response, code, true);
        return;
      }
      if (got == 0) {
        // WinHTTP may end a body at the close without an error, even short
        // of its Content-Length.
        if (announced && response.body.size() < *announced) {
          response.status = 0;
          response.failure = TransportFailure::cut_off;
          response.transport_error = client_common::cut_off_in_body(
              response.body.size(), announced, false);
        }
        return;
      }
      response.body.append(block.data(), got);
    }
  }
};

Client::Client(ClientOptions options) : m_impl(std::make_unique<Impl>()) {
  m_impl->options = std::move(options);
  auto environment = util::process_environment();
  for (bool https : {false, true}) {
    m_impl->proxies[https] = environment_proxy(environment, https);
  }
  if (m_impl->options.ca_file && !m_impl->options.insecure) {
    m_impl->ca_file = std::make_unique<CaFile>(
        util::path_from_utf8(*m_impl->options.ca_file));
  }
}

Client::~Client() = default;

// WinHTTP's synchronous calls block, so concurrency is threads: at most
// `concurrency` requests in flight, each worker taking the next one.
std::vector<Response> Client::send_all(const std::vector<Request> &requests,
                                       size_t concurrency) {
  std::vector<Response> responses(requests.size());
  std::atomic<size_t> next{0};
  std::mutex failure_mutex;
  std::exception_ptr failure;
  auto work = [&] {
    for (size_t index = next++; index < requests.size(); index = next++) {
      try {
        responses[index] = m_impl->send_one(requests[index]);
      } catch (...) {
        std::lock_guard lock(failure_mutex);
        if (!failure) {
          failure = std::current_exception();
        }
        next = requests.size(); // start nothing more
      }
    }
  };
  size_t workers = std::min(std::max<size_t>(concurrency, 1), requests.size());
  if (workers <= 1) {
    work();
  } else {
    std::vector<std::thread> threads;
    for (size_t i = 0; i < workers; ++i) {
      threads.emplace_back(work);
    }
    for (auto &thread : threads) {
      thread.join();
    }
  }
  m_impl->open_files.close_all();
  if (failure) {
    std::rethrow_exception(failure);
  }
  return responses;
}

} // namespace uploader::http
