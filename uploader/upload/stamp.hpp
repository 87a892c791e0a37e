#pragma once

#include "uploader/upload/plan.hpp"

#include <filesystem>
#include <string>

namespace uploader::upload {

// A fingerprint of what an upload would send and where: every file the
// walk finds (path, size, modification time, inode; the walk applies the
// extensions and ignores), the options that describe them (sourcemap and
// debug-id references) plus `target` (server, org, projects, release,
// dist, URL prefix). Files are only stat'ed, so
// checking an unchanged folder costs no reading and no network.
std::string upload_fingerprint(const PlanOptions &options,
                               const std::string &target);

// True when `stamp` exists and holds `fingerprint`.
bool stamp_matches(const std::filesystem::path &stamp,
                   const std::string &fingerprint);

// Records `fingerprint` after a confirmed upload (and after cleanup, so the
// folder's final state is what the next run compares against).
void write_stamp(const std::filesystem::path &stamp,
                 const std::string &fingerprint);

} // namespace uploader::upload
