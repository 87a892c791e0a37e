// capture_output on Windows: CreateProcessW with a pipe for standard output
// and NUL for the rest.
#include "uploader/util/process.hpp"
#include "uploader/util/windows_text.hpp"

namespace uploader::util {

namespace {

// Quotes one argument the way CommandLineToArgvW (and the C runtime) read
// it back: backslashes are literal except before a quote.
void append_quoted(std::wstring &line, const std::wstring &arg) {
  if (!arg.empty() && arg.find_first_of(L" \t\n\v\"") == std::wstring::npos) {
    line += arg;
    return;
  }
  line += L'"';
  std::size_t backslashes = 0;
  for (wchar_t c : arg) {
    if (c == L'\\') {
      ++backslashes;
      continue;
    }
    if (c == L'"') {
      line.append(backslashes * 2 + 1, L'\\');
    } else {
      line.append(backslashes, L'\\');
    }
    backslashes = 0;
    line += c;
  }
  line.append(backslashes * 2, L'\\');
  line += L'"';
}

struct OwnedHandle {
  HANDLE value = nullptr;
  ~OwnedHandle() {
    if (value != nullptr && value != INVALID_HANDLE_VALUE) {
      ::CloseHandle(value);
    }
  }
};

} // namespace

std::optional<std::string>
capture_output(const std::vector<std::string> &argv) {
  if (argv.empty()) {
    return std::nullopt;
  }
  std::wstring line;
  for (const auto &arg : argv) {
    if (!line.empty()) {
      line += L' ';
    }
    append_quoted(line, widen(arg));
  }
  SECURITY_ATTRIBUTES inherit{sizeof(SECURITY_ATTRIBUTES), nullptr, TRUE};
  OwnedHandle read_end, write_end, null_in, null_err;
  if (!::CreatePipe(&read_end.value, &write_end.value, &inherit, 0)) {
    return std::nullopt;
  }
  // Only the child's ends are inherited.
  ::SetHandleInformation(read_end.value, HANDLE_FLAG_INHERIT, 0);
  null_in.value = ::CreateFileW(L"NUL", GENERIC_READ, FILE_SHARE_READ, &inherit,
                                OPEN_EXISTING, 0, nullptr);
  null_err.value = ::CreateFileW(L"NUL", GENERIC_WRITE, FILE_SHARE_WRITE,
                                 &inherit, OPEN_EXISTING, 0, nullptr);
  STARTUPINFOW startup{};
  startup.cb = sizeof startup;
  startup.dwFlags = STARTF_USESTDHANDLES;
  startup.hStdInput = null_in.value;
  startup.hStdOutput = write_end.value;
  startup.hStdError = null_err.value;
  PROCESS_INFORMATION process{};
  // A null application name makes CreateProcessW search PATH for
  // argv[0] (adding .exe), as posix_spawnp does.
  if (!::CreateProcessW(nullptr, line.data(), nullptr, nullptr, TRUE,
                        CREATE_NO_WINDOW, nullptr, nullptr, &startup,
                        &process)) {
    return std::nullopt;
  }
  OwnedHandle child{process.hProcess}, thread{process.hThread};
  ::CloseHandle(write_end.value); // so that reading ends with the child
  write_end.value = nullptr;
  std::string output;
  char buffer[4096];
  DWORD got = 0;
  while (::ReadFile(read_end.value, buffer, sizeof buffer, &got, nullptr) &&
         got > 0) {
    output.append(buffer, got);
  }
  ::WaitForSingleObject(child.value, INFINITE);
  DWORD status = 1;
  if (!::GetExitCodeProcess(child.value, &status) || status != 0) {
    return std::nullopt;
  }
  return output;
}

} // namespace uploader::util
