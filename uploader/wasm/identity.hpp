#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

// How Sentry names a WebAssembly module: everything comes from the payload
// of its build_id custom section, read the way symbolic (sentry-cli, the
// server) and @sentry/wasm (the browser SDK) read it.
namespace uploader::wasm {

// The build ID inject gives a module that has none: the first 16 bytes of
// the SHA-1 of the module's bytes, laid out as a version-4 UUID (wasm-split
// writes a random one), so that the same build always gets the same ID.
std::string derive_build_id(std::string_view module);

// The code ID: the section's whole payload in lowercase hexadecimal, its
// leading length byte included (symbolic's CodeId::from_binary, and
// @sentry/wasm's code_id).
std::string code_id(std::string_view build_id);

// The debug ID: the payload's first 16 bytes (zero-padded) as a UUID,
// "xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx" (symbolic's debug_id; the SDK
// sends the same hex with the age 0 appended).
std::string debug_id(std::string_view build_id);

// The modules seen so far by debug ID: one ID on two modules with
// different bytes would leave Sentry unable to tell their debug files apart.
class BuildIdOwners {
public:
  enum class Claim { new_id, same_module, conflict };
  // Records that the module at `path`, whose SHA-1 is `checksum`, has
  // `build_id`; on a conflict, `message` names both modules.
  Claim claim(std::string_view build_id, const std::string &path,
              const std::string &checksum, std::string &message);

private:
  struct Owner {
    std::string path;
    std::string checksum;
  };
  std::map<std::string, Owner> m_owners;
};

} // namespace uploader::wasm
