#pragma once

#include <cstdint>

// The zip record signatures both the writer and the reader of artifact
// bundles use (APPNOTE 4.3.7, 4.3.12, 4.3.16).
namespace uploader::bundle::zip_format {

constexpr std::uint32_t k_local_header_signature = 0x04034b50;
constexpr std::uint32_t k_central_header_signature = 0x02014b50;
constexpr std::uint32_t k_end_of_central_directory_signature = 0x06054b50;

} // namespace uploader::bundle::zip_format
