#pragma once

#include "uploader/bundle/manifest.hpp"

#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace uploader::bundle {

// One file of a read artifact bundle: what the manifest says about it and
// its contents.
struct BundleFile {
  ManifestFile info;
  std::string contents;
};

// An artifact bundle read back from disk (what `upload --bundle-out` wrote,
// or what Sentry stored): its top-level manifest attributes and its files.
struct ReadBundle {
  ManifestAttributes attributes;
  std::vector<BundleFile> files;
};

// Reads the entries of a zip archive held in `data` (stored or DEFLATE
// entries, no zip64), keyed by name. Throws Error naming `what` when the
// archive is malformed or an entry fails its CRC.
std::map<std::string, std::string> read_zip(std::string_view data,
                                            std::string_view what);

// Parses an artifact bundle (`SYSB` + u32le version 2 + zip, or a bare zip
// with manifest.json, which the server accepts too). Throws Error naming
// `what` on anything else.
ReadBundle parse_artifact_bundle(std::string_view data, std::string_view what);

// Reads and parses the bundle file at `path`.
ReadBundle read_artifact_bundle(const std::filesystem::path &path);

} // namespace uploader::bundle
