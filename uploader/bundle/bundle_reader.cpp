#include "uploader/bundle/bundle_reader.hpp"

#include "uploader/bundle/zip_format.hpp"
#include "uploader/util/deflate.hpp"
#include "uploader/util/error.hpp"
#include "uploader/util/fs.hpp"
#include "uploader/util/strings.hpp"

#include <nlohmann/json.hpp>

#include <cctype>
#include <memory>

namespace uploader::bundle {

namespace {

using namespace zip_format;
constexpr std::size_t k_end_record_size = 22;

class Reader {
public:
  Reader(std::string_view data, std::string_view what)
      : m_data(data), m_what(what) {}

  std::uint32_t u16(std::size_t at) const {
    need(at, 2);
    return static_cast<std::uint8_t>(m_data[at]) |
           static_cast<std::uint32_t>(static_cast<std::uint8_t>(m_data[at + 1]))
               << 8;
  }
  std::uint32_t u32(std::size_t at) const {
    return u16(at) | u16(at + 2) << 16;
  }
  std::string_view bytes(std::size_t at, std::size_t size) const {
    need(at, size);
    return m_data.substr(at, size);
  }
  [[noreturn]] void fail(const std::string &problem) const {
    throw Error(std::string(m_what) +
                " is not a valid artifact bundle: " + problem);
  }

private:
  void need(std::size_t at, std::size_t size) const {
    if (at > m_data.size() || size > m_data.size() - at) {
      fail("truncated zip data");
    }
  }

  std::string_view m_data;
  std::string_view m_what;
};

std::string inflate(const Reader &reader, std::string_view payload,
                    std::size_t size, const std::string &name) {
  auto out = util::inflate_exact(payload, size);
  if (!out) {
    reader.fail("entry '" + name + "' does not decompress");
  }
  return std::move(*out);
}

std::optional<std::string> optional_string(const nlohmann::json &object,
                                           const char *key) {
  auto it = object.find(key);
  if (it == object.end() || !it->is_string()) {
    return std::nullopt;
  }
  return it->get<std::string>();
}

SourceFileType file_type(std::string_view name) {
  for (auto type :
       {SourceFileType::minified_source, SourceFileType::source_map,
        SourceFileType::source, SourceFileType::indexed_ram_bundle}) {
    if (manifest_name(type) == name) {
      return type;
    }
  }
  return SourceFileType::source;
}

} // namespace

std::map<std::string, std::string> read_zip(std::string_view data,
                                            std::string_view what) {
  Reader reader(data, what);
  if (data.size() < k_end_record_size) {
    reader.fail("too short for a zip archive");
  }
  // The end record is last, possibly followed by a comment of < 64 KiB.
  std::size_t end = std::string_view::npos;
  std::size_t lowest = data.size() > k_end_record_size + 0xffff
                           ? data.size() - k_end_record_size - 0xffff
                           : 0;
  for (std::size_t at = data.size() - k_end_record_size + 1; at-- > lowest;) {
    if (reader.u32(at) == k_end_of_central_directory_signature) {
      end = at;
      break;
    }
  }
  if (end == std::string_view::npos) {
    reader.fail("no zip end-of-central-directory record");
  }
  std::size_t count = reader.u16(end + 10);
  std::size_t directory_size = reader.u32(end + 12);
  // Offsets are relative to the zip's start, which a SYSB header shifts.
  std::size_t directory = end - directory_size;
  std::size_t base = directory - reader.u32(end + 16);
  std::map<std::string, std::string> entries;
  std::size_t at = directory;
  for (std::size_t i = 0; i < count; ++i) {
    if (reader.u32(at) != k_central_header_signature) {
      reader.fail("broken central directory");
    }
    std::uint32_t method = reader.u16(at + 10);
    std::uint32_t crc = reader.u32(at + 16);
    std::size_t compressed = reader.u32(at + 20);
    std::size_t size = reader.u32(at + 24);
    std::size_t name_length = reader.u16(at + 28);
    std::size_t extra_length = reader.u16(at + 30);
    std::size_t comment_length = reader.u16(at + 32);
    std::size_t local = base + reader.u32(at + 42);
    std::string name(reader.bytes(at + 46, name_length));
    at += 46 + name_length + extra_length + comment_length;
    if (reader.u32(local) != k_local_header_signature) {
      reader.fail("entry '" + name + "' has no local header");
    }
    std::size_t payload_at =
        local + 30 + reader.u16(local + 26) + reader.u16(local + 28);
    std::string_view payload = reader.bytes(payload_at, compressed);
    std::string contents;
    if (method == 0) {
      contents = std::string(payload);
    } else if (method == 8) {
      contents = inflate(reader, payload, size, name);
    } else {
      reader.fail("entry '" + name + "' uses unsupported compression method " +
                  std::to_string(method));
    }
    if (util::crc32(contents) != crc) {
      reader.fail("entry '" + name + "' fails its CRC check");
    }
    entries[std::move(name)] = std::move(contents);
  }
  return entries;
}

ReadBundle parse_artifact_bundle(std::string_view data, std::string_view what) {
  if (data.starts_with("SYSB")) {
    Reader reader(data, what);
    if (reader.u32(4) != 2) {
      reader.fail("unsupported SYSB version " + std::to_string(reader.u32(4)));
    }
  }
  auto entries = read_zip(data, what);
  auto manifest_entry = entries.find("manifest.json");
  if (manifest_entry == entries.end()) {
    throw Error(std::string(what) +
                " is not a valid artifact bundle: it has no manifest.json");
  }
  auto manifest = nlohmann::json::parse(manifest_entry->second, nullptr, false);
  if (!manifest.is_object()) {
    throw Error(std::string(what) +
                " is not a valid artifact bundle: manifest.json is not a JSON "
                "object");
  }
  ReadBundle bundle;
  bundle.attributes.debug_id =
      optional_string(manifest, "debug_id").value_or("");
  bundle.attributes.org = optional_string(manifest, "org");
  bundle.attributes.project = optional_string(manifest, "project");
  bundle.attributes.release = optional_string(manifest, "release");
  bundle.attributes.dist = optional_string(manifest, "dist");
  bundle.attributes.note = optional_string(manifest, "note");
  auto files = manifest.find("files");
  if (files == manifest.end() || !files->is_object()) {
    return bundle;
  }
  for (const auto &[path, info] : files->items()) {
    if (!info.is_object()) {
      continue;
    }
    BundleFile file;
    file.info.bundle_path = path;
    file.info.url = optional_string(info, "url").value_or("");
    file.info.type = file_type(optional_string(info, "type").value_or(""));
    if (auto headers = info.find("headers");
        headers != info.end() && headers->is_object()) {
      for (const auto &[key, value] : headers->items()) {
        if (value.is_string()) {
          file.info.headers[util::ascii_lower(key)] = value.get<std::string>();
        }
      }
    }
    if (auto found = entries.find(path); found != entries.end()) {
      file.contents = std::move(found->second);
    }
    bundle.files.push_back(std::move(file));
  }
  return bundle;
}

ReadBundle read_artifact_bundle(const std::filesystem::path &path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    throw Error("bundle file '" + path.string() +
                "' does not exist; write one with 'sentry-sourcemaps upload "
                "--dry-run --bundle-out FILE DIR'");
  }
  return parse_artifact_bundle(util::read_file(path), path.string());
}

} // namespace uploader::bundle
