#include "uploader/bundle/bundle_reader.hpp"
#include "uploader/bundle/zip_writer.hpp"
#include "uploader/util/error.hpp"

#include <gtest/gtest.h>

using uploader::Error;
using uploader::bundle::make_zip_entry;
using uploader::bundle::parse_artifact_bundle;
using uploader::bundle::read_zip;
using uploader::bundle::SourceFileType;
using uploader::bundle::ZipWriter;

namespace {

std::string zip(const std::vector<std::pair<std::string, std::string>> &files,
                int level = 6) {
  std::string out;
  ZipWriter writer([&](std::string_view bytes) { out += bytes; });
  for (const auto &[name, data] : files) {
    writer.add(make_zip_entry(name, data, level));
  }
  writer.finish();
  return out;
}

const std::string k_manifest =
    R"({"debug_id":"5e4b1a0c-0000-5000-8000-000000000001","org":"acme",)"
    R"("release":"web@1","files":{)"
    R"("files/_/_/a.js":{"url":"~/a.js","type":"minified_source",)"
    R"("headers":{"Debug-Id":"5e4b1a0c-0000-5000-8000-000000000002",)"
    R"("sourcemap":"a.js.map"}},)"
    R"("files/_/_/a.js.map":{"url":"~/a.js.map","type":"source_map"}}})";

} // namespace

TEST(BundleBundleReader, ReadsStoredAndDeflatedEntries) {
  std::string big(5000, 'x');
  auto entries = read_zip(zip({{"a", "short"}, {"b", big}}), "test.zip");
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries["a"], "short");
  EXPECT_EQ(entries["b"], big);
}

TEST(BundleBundleReader, ParsesManifestAndFilesBehindTheSysbHeader) {
  std::string data = std::string("SYSB\x02\x00\x00\x00", 8) +
                     zip({{"files/_/_/a.js", "code"},
                          {"files/_/_/a.js.map", "{}"},
                          {"manifest.json", k_manifest}});
  auto bundle = parse_artifact_bundle(data, "b.bundle");
  EXPECT_EQ(bundle.attributes.release, "web@1");
  EXPECT_EQ(bundle.attributes.org, "acme");
  ASSERT_EQ(bundle.files.size(), 2u);
  const auto &js = bundle.files[0];
  EXPECT_EQ(js.info.url, "~/a.js");
  EXPECT_EQ(js.info.type, SourceFileType::minified_source);
  EXPECT_EQ(js.contents, "code");
  // Header names are lowercased, as the server reads them.
  EXPECT_EQ(js.info.headers.at("debug-id"),
            "5e4b1a0c-0000-5000-8000-000000000002");
  EXPECT_EQ(bundle.files[1].info.type, SourceFileType::source_map);
}

TEST(BundleBundleReader, RejectsWhatIsNotABundle) {
  auto message = [](const std::string &data) {
    try {
      parse_artifact_bundle(data, "x.bundle");
    } catch (const Error &error) {
      return std::string(error.what());
    }
    return std::string("no error");
  };
  EXPECT_EQ(message(std::string(100, 'z')),
            "x.bundle is not a valid artifact bundle: no zip "
            "end-of-central-directory record");
  EXPECT_EQ(message(zip({{"a.js", "x"}})),
            "x.bundle is not a valid artifact bundle: it has no manifest.json");
  EXPECT_EQ(message(std::string("SYSB\x03\x00\x00\x00", 8) +
                    zip({{"manifest.json", "{}"}})),
            "x.bundle is not a valid artifact bundle: unsupported SYSB "
            "version 3");
  std::string corrupt = zip({{"manifest.json", "{}"}}, 0);
  corrupt[30 + 13] = '['; // the stored payload, after the 30+13 byte header
  EXPECT_EQ(message(corrupt), "x.bundle is not a valid artifact bundle: entry "
                              "'manifest.json' fails its CRC check");
}
