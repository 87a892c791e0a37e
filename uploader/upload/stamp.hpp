#pragma once

#include "uploader/bundle/map_rewrite.hpp"
#include "uploader/upload/plan.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace uploader::upload {

// A fingerprint of what an upload would send and where: every file the
// walk finds (path, size, modification time, inode; the walk applies the
// extensions and ignores), the options that describe them (sourcemap and
// debug-id references) plus `target` (server, org, projects, release,
// dist, URL prefix). Files are only stat'ed, so
// checking an unchanged folder costs no reading and no network.
std::string upload_fingerprint(const PlanOptions &options,
                               const std::string &target);

// True when `stamp` exists, holds `fingerprint` and every source file it
// lists (the texts added to maps) is as it was when it was read.
bool stamp_matches(const std::filesystem::path &stamp,
                   const std::string &fingerprint);

// Records `fingerprint` and the source files read into the uploaded maps
// after a confirmed upload (and after cleanup, so the folder's final state
// is what the next run compares against), and the folder_fingerprint of
// each folder in `folders`, for stamp_confirms_folder.
void write_stamp(const std::filesystem::path &stamp,
                 const std::string &fingerprint,
                 const bundle::SourcesRead &sources_read = {},
                 const std::vector<std::filesystem::path> &folders = {});

// Every file under `folder`, hidden ones included, by relative path and
// identity (size, modification time, inode): what was deployed.
std::string folder_fingerprint(const std::filesystem::path &folder);

// True when `stamp` says that a confirmed upload left `folder` exactly as
// it is now (no file added, changed or removed since).
bool stamp_confirms_folder(const std::filesystem::path &stamp,
                           const std::filesystem::path &folder);

} // namespace uploader::upload
