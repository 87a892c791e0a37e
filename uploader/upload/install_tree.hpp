#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace uploader::upload {

// What install_tree did, by path relative to the folder ('/' separators).
struct InstallResult {
  std::vector<std::filesystem::path> installed; // every file now in place
  std::vector<std::string> written;             // changed or new ("Installing")
  std::vector<std::string> up_to_date;          // already there, byte for byte
  std::vector<std::string> maps_left_out;    // every `*.map`, and every file a
                                             // script's sourceMappingURL names
  std::vector<std::string> comments_removed; // JS/CSS without their comment
  std::vector<std::string> modules_stripped; // .wasm without DWARF or links
  std::vector<std::string> stale_maps_removed; // from an earlier install
  std::vector<std::string> removed; // mirror: files the folder no longer has
};

// Throws Error, saying to build the bundle first, when `folder` is not a
// folder.
void check_bundle_folder(const std::filesystem::path &folder);

// Copies every file under `folder` (hidden ones too, as install(DIRECTORY)
// does) into `destination`, as it should be deployed: no source map, no
// sourceMappingURL comment in a script or stylesheet (see
// without_map_comments; inline `data:` maps too, since they embed the
// sources), no DWARF and no
// sourceMappingURL/external_debug_info section in a WebAssembly module.
// Everything else is copied byte for byte with its permissions; a file that
// is already there unchanged is not rewritten, and a map an earlier install
// left at the place of a left-out one is removed. With `mirror`, every
// other file under `destination` that `folder` does not have is removed
// too, so that the destination is the folder's deployable copy. Throws
// Error when `folder` is not a folder.
InstallResult install_tree(const std::filesystem::path &folder,
                           const std::filesystem::path &destination,
                           bool mirror = false);

// `text` without the sourceMappingURL comment browsers would follow: a
// script's last `//# sourceMappingURL=` (or `//@`), a stylesheet's last
// `/*# sourceMappingURL=... */`. Earlier ones are left alone: browsers
// ignore them, and they may be text inside the code (bundler runtimes
// build such comments in strings).
std::string without_map_comments(std::string_view text, bool stylesheet);

} // namespace uploader::upload
