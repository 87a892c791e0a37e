// write_artifact_bundle: the bundle id (sentry-cli's recipe), the checksum
// and the chunks of the written file.
#include "uploader/bundle/artifact_bundle.hpp"
#include "uploader/bundle/bundle_reader.hpp"
#include "uploader/bundle/chunk_layout.hpp"
#include "uploader/util/fs.hpp"
#include "uploader/util/hash.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "test_helpers.hpp"

namespace uploader::bundle {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view k_id_a = "2297b93d-928d-421e-8910-127c786382da";
constexpr std::string_view k_id_b = "0b8e3a8c-5a4e-4f7a-9c1e-3b2f5e6d7a8b";

// sentry-cli's `format!("{:?}", SourceFileType)`, spelled out here rather
// than taken from the production code.
std::string rust_debug_name(SourceFileType type) {
  switch (type) {
  case SourceFileType::minified_source:
    return "MinifiedSource";
  case SourceFileType::source_map:
    return "SourceMap";
  case SourceFileType::source:
    return "Source";
  case SourceFileType::indexed_ram_bundle:
    return "IndexedRamBundle";
  }
  return "?";
}

// sentry-cli's build_debug_id (src/utils/file_upload.rs), reimplemented:
// files in URL order; for each, SHA-1 over the URL, the contents, the type's
// Debug name, then every header key and value in key order, the keys spelled
// as sentry-cli spells them ("Sourcemap", "debug-id"); the first 16 bytes
// of the digest as a UUID with version 5 and the RFC 4122 variant.
std::string expected_bundle_id(const std::vector<BundleInput> &inputs) {
  std::vector<const BundleInput *> sorted;
  for (const auto &input : inputs) {
    sorted.push_back(&input);
  }
  std::ranges::sort(sorted, {}, [](const BundleInput *i) { return i->url; });
  util::Sha1 hasher;
  for (const BundleInput *input : sorted) {
    hasher.update(input->url);
    hasher.update(util::read_file(input->path));
    hasher.update(rust_debug_name(input->type));
    std::vector<std::pair<std::string, std::string>> headers;
    for (const auto &[key, value] : input->headers) {
      headers.emplace_back(key == "sourcemap" ? "Sourcemap" : key, value);
    }
    std::ranges::sort(headers);
    for (const auto &[key, value] : headers) {
      hasher.update(key);
      hasher.update(value);
    }
  }
  util::Sha1Digest digest = hasher.finish();
  digest[6] = static_cast<std::uint8_t>((digest[6] & 0x0f) | 0x50);
  digest[8] = static_cast<std::uint8_t>((digest[8] & 0x3f) | 0x80);
  std::string hex = util::to_hex(std::span(digest).first(16));
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) +
         "-" + hex.substr(16, 4) + "-" + hex.substr(20, 12);
}

bool is_v5_uuid(const std::string &id) {
  if (id.size() != 36) {
    return false;
  }
  for (std::size_t i = 0; i < id.size(); ++i) {
    bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    char c = id[i];
    if (dash ? c != '-' : !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      return false;
    }
  }
  // Version nibble 5; variant bits 10xx (8, 9, a or b).
  return id[14] == '5' &&
         std::string_view("89ab").find(id[19]) != std::string_view::npos;
}

class BundleArtifact : public ::testing::Test {
protected:
  void SetUp() override {
    const auto *info = ::testing::UnitTest::GetInstance()->current_test_info();
    std::string name =
        std::string(info->test_suite_name()) + "-" + info->name();
    std::ranges::replace(name, '/', '_');
    m_dir = fs::temp_directory_path() /
            ("ssm-bundle-" + test_helpers::process_id() + "-" + name);
    fs::remove_all(m_dir);
    fs::create_directories(m_dir / "in");
  }
  void TearDown() override {
    if (!HasFailure()) {
      fs::remove_all(m_dir);
    }
  }

  fs::path write(const std::string &relative, std::string_view text) const {
    fs::path path = m_dir / "in" / relative;
    fs::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }

  // A JS file, its map and a second script, with every kind of header.
  std::vector<BundleInput> sample() const {
    std::string js =
        "function a(){return 1}\n//# debugId=" + std::string(k_id_a) +
        "\n//# sourceMappingURL=app.js.map\n";
    std::string map = R"({"version":3,"sources":["a.ts"],"names":[],)"
                      R"("mappings":"AAAA","debug_id":")" +
                      std::string(k_id_a) + R"("})";
    return {
        {write("app.js", js),
         "~/app.js",
         SourceFileType::minified_source,
         {{"sourcemap", "app.js.map"}, {"debug-id", std::string(k_id_a)}}},
        {write("app.js.map", map),
         "~/app.js.map",
         SourceFileType::source_map,
         {{"debug-id", std::string(k_id_a)}}},
        {write("vendor/lib.js", "var lib = {};\n"),
         "~/vendor/lib.js",
         SourceFileType::minified_source,
         {}},
    };
  }

  BuiltBundle build(std::vector<BundleInput> inputs,
                    std::uint64_t chunk_size = 8 * 1024 * 1024,
                    const std::string &name = "out.bundle") const {
    BundleSettings settings;
    settings.chunk_size = chunk_size;
    settings.attributes.org = "acme";
    // The ids here are over the files' own bytes; the upload rewrite of
    // maps has its own tests.
    settings.map_rewrite.enabled = false;
    return write_artifact_bundle(std::move(inputs), settings, m_dir / name);
  }

  fs::path m_dir;
};

// The bundle id sentry-cli printed for its fixture upload_debugid_alias
// (tests/integration/_cases/sourcemaps/sourcemaps-upload-debugid-alias.trycmd
// at getsentry/sentry-cli 22203f01, "Bundle ID: eaf41dca-..."). sentry-cli
// hashes the map as rust-sourcemap re-serialised it in its "Rewriting
// sources" step, so the map here is that re-serialised text; the JS file is
// the fixture as is.
TEST_F(BundleArtifact, KnownAnswerFromSentryCli) {
  std::string id(k_id_a);
  std::vector<BundleInput> inputs = {
      {write("server/chunks/1.js",
             "//# debugId=" + id + "\n//# sourceMappingURL=1.js.map\n"),
       "~/server/chunks/1.js",
       SourceFileType::minified_source,
       {{"sourcemap", "1.js.map"}, {"debug-id", id}}},
      {write("server/chunks/1.js.map",
             R"({"version":3,"file":"1.js","sources":[],"names":[],)"
             R"("mappings":"","debugId":")" +
                 id + R"("})"),
       "~/server/chunks/1.js.map",
       SourceFileType::source_map,
       {{"debug-id", id}}},
  };
  EXPECT_EQ(expected_bundle_id(inputs), "eaf41dca-ae81-5c90-843e-2886ad1eecd8");
  EXPECT_EQ(build(inputs).debug_id, "eaf41dca-ae81-5c90-843e-2886ad1eecd8");
}

TEST_F(BundleArtifact, IdIsAVersion5UuidInTheManifest) {
  BundleSettings settings;
  settings.map_rewrite.enabled = false;
  settings.attributes.debug_id = "not-read"; // computed, never taken from here
  settings.attributes.release = "1.0";
  BuiltBundle built =
      write_artifact_bundle(sample(), settings, m_dir / "out.bundle");
  EXPECT_TRUE(is_v5_uuid(built.debug_id)) << built.debug_id;
  ReadBundle read = read_artifact_bundle(built.path);
  EXPECT_EQ(read.attributes.debug_id, built.debug_id);
  EXPECT_EQ(read.attributes.release, "1.0");
  EXPECT_EQ(read.files.size(), 3u);
}

TEST_F(BundleArtifact, IdMatchesAnIndependentComputation) {
  std::vector<BundleInput> inputs = sample();
  inputs.push_back({write("src/a.ts", "export const a = 1;\n"),
                    "~/src/a.ts",
                    SourceFileType::source,
                    {}});
  inputs.push_back({write("main.jsbundle", "RAM"),
                    "app:///main.jsbundle",
                    SourceFileType::indexed_ram_bundle,
                    {{"sourcemap", "main.jsbundle.map"}}});
  std::string expected = expected_bundle_id(inputs);
  EXPECT_TRUE(is_v5_uuid(expected)) << expected;
  EXPECT_EQ(build(inputs).debug_id, expected);
}

TEST_F(BundleArtifact, SingleEmptyFile) {
  std::vector<BundleInput> inputs = {{write("empty.js", ""),
                                      "~/empty.js",
                                      SourceFileType::minified_source,
                                      {}}};
  EXPECT_EQ(build(inputs).debug_id, expected_bundle_id(inputs));
}

TEST_F(BundleArtifact, SameInputsInAnyOrderGiveTheSameBundle) {
  std::vector<BundleInput> inputs = sample();
  BuiltBundle first = build(inputs, 8 * 1024 * 1024, "first.bundle");
  std::string first_bytes = util::read_file(first.path);
  std::vector<std::vector<std::size_t>> orders = {
      {2, 1, 0}, {1, 0, 2}, {1, 2, 0}, {0, 2, 1}, {2, 0, 1}};
  for (const auto &order : orders) {
    std::vector<BundleInput> shuffled;
    for (std::size_t i : order) {
      shuffled.push_back(inputs[i]);
    }
    BuiltBundle other = build(shuffled, 8 * 1024 * 1024, "other.bundle");
    EXPECT_EQ(other.debug_id, first.debug_id);
    EXPECT_EQ(other.checksum, first.checksum);
    EXPECT_EQ(util::read_file(other.path), first_bytes);
  }
  // And the same inputs again: the same id (deterministic, not random).
  EXPECT_EQ(build(inputs).debug_id, first.debug_id);
}

struct Mutation {
  std::string name;
  std::function<void(std::vector<BundleInput> &, const fs::path &)> apply;
};

class BundleArtifactChange : public BundleArtifact,
                             public ::testing::WithParamInterface<Mutation> {};

TEST_P(BundleArtifactChange, ChangesTheId) {
  std::vector<BundleInput> inputs = sample();
  std::string before = build(inputs, 8 * 1024 * 1024, "before.bundle").debug_id;
  GetParam().apply(inputs, m_dir / "in");
  BuiltBundle after = build(inputs, 8 * 1024 * 1024, "after.bundle");
  EXPECT_NE(after.debug_id, before);
  EXPECT_TRUE(is_v5_uuid(after.debug_id)) << after.debug_id;
  EXPECT_EQ(after.debug_id, expected_bundle_id(inputs));
}

void rewrite(const fs::path &path, std::string_view text) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
}

INSTANTIATE_TEST_SUITE_P(
    BundleArtifact, BundleArtifactChange,
    ::testing::Values(
        Mutation{"url", [](auto &in,
                           const auto &) { in[2].url = "~/vendor/lib2.js"; }},
        Mutation{"url_prefix",
                 [](auto &in, const auto &) { in[0].url = "~/static/app.js"; }},
        Mutation{"content",
                 [](auto &in, const auto &) {
                   // Same size, one byte different.
                   rewrite(in[2].path, "var lib = [];\n");
                 }},
        Mutation{"content_of_the_map",
                 [](auto &in, const auto &) {
                   std::string text = util::read_file(in[1].path);
                   rewrite(in[1].path, text + "\n");
                 }},
        Mutation{"type",
                 [](auto &in, const auto &) {
                   in[2].type = SourceFileType::source;
                 }},
        Mutation{"sourcemap_header_value",
                 [](auto &in, const auto &) {
                   in[0].headers["sourcemap"] = "other.js.map";
                 }},
        Mutation{
            "sourcemap_header_removed",
            [](auto &in, const auto &) { in[0].headers.erase("sourcemap"); }},
        Mutation{"sourcemap_header_added",
                 [](auto &in, const auto &) {
                   in[2].headers["sourcemap"] = "lib.js.map";
                 }},
        Mutation{"debug_id_header_value",
                 [](auto &in, const auto &) {
                   in[1].headers["debug-id"] = std::string(k_id_b);
                 }},
        Mutation{"debug_id_header_removed",
                 [](auto &in, const auto &) { in[1].headers.clear(); }},
        Mutation{
            "file_added",
            [](auto &in, const fs::path &dir) {
              fs::path extra = dir / "extra.js";
              rewrite(extra, "x();\n");
              in.push_back(
                  {extra, "~/extra.js", SourceFileType::minified_source, {}});
            }},
        Mutation{"file_removed",
                 [](auto &in, const auto &) { in.pop_back(); }}),
    [](const auto &test) { return test.param.name; });

// ---------------------------------------------------------------------------
// Checksum and chunks

class BundleArtifactChunks
    : public BundleArtifact,
      public ::testing::WithParamInterface<std::uint64_t> {};

// Where each zip entry starts (the manifest is the last one) and where the
// central directory starts, read from the local headers.
struct EntrySpans {
  std::vector<std::pair<std::string, std::uint64_t>> starts;
  std::uint64_t directory = 0;
};

EntrySpans entry_spans(const std::string &bytes) {
  auto le = [&](std::size_t at, int width) {
    std::uint64_t value = 0;
    for (int i = width - 1; i >= 0; --i) {
      value = value << 8 | static_cast<unsigned char>(bytes.at(at + i));
    }
    return value;
  };
  EntrySpans spans;
  std::size_t at = 8; // after SYSB + version
  while (le(at, 4) == 0x04034b50) {
    std::size_t name_size = le(at + 26, 2);
    spans.starts.emplace_back(bytes.substr(at + 30, name_size), at);
    at += 30 + name_size + le(at + 28, 2) + le(at + 18, 4);
  }
  spans.directory = at;
  return spans;
}

bool is_entry_start(const EntrySpans &spans, std::uint64_t offset) {
  return std::ranges::any_of(
      spans.starts, [&](const auto &start) { return start.second == offset; });
}

TEST_P(BundleArtifactChunks, CoverTheFileAndEndOnlyBetweenEntriesOrWhenFull) {
  std::uint64_t chunk_size = GetParam();
  BuiltBundle built = build(sample(), chunk_size);
  std::string bytes = util::read_file(built.path);
  ASSERT_EQ(built.path, m_dir / "out.bundle");
  EXPECT_EQ(bytes.substr(0, 8), std::string("SYSB\x02\0\0\0", 8));
  EXPECT_EQ(built.size, bytes.size());
  EXPECT_EQ(built.size, fs::file_size(built.path));
  EXPECT_EQ(built.checksum, util::to_hex(util::sha1(bytes)));

  EntrySpans spans = entry_spans(bytes);
  ASSERT_EQ(spans.starts.size(), 4u);
  EXPECT_EQ(spans.starts.back().first, "manifest.json");
  std::uint64_t offset = 0;
  for (std::size_t i = 0; i < built.chunks.size(); ++i) {
    const Chunk &chunk = built.chunks[i];
    EXPECT_EQ(chunk.offset, offset) << "chunk " << i;
    EXPECT_GT(chunk.size, 0u);
    EXPECT_LE(chunk.size, chunk_size);
    ASSERT_LE(chunk.offset + chunk.size, bytes.size());
    std::string_view slice =
        std::string_view(bytes).substr(static_cast<std::size_t>(chunk.offset),
                                       static_cast<std::size_t>(chunk.size));
    EXPECT_EQ(chunk.sha1, util::to_hex(util::sha1(slice))) << "chunk " << i;
    offset += chunk.size;
    if (offset < bytes.size()) {
      EXPECT_TRUE(chunk.size == chunk_size || is_entry_start(spans, offset))
          << "chunk " << i << " ends at " << offset
          << ", inside an entry, before it is full";
    }
  }
  EXPECT_EQ(offset, bytes.size());
  // The manifest and the central directory never share a chunk with files.
  EXPECT_TRUE(std::ranges::any_of(built.chunks, [&](const Chunk &chunk) {
    return chunk.offset == spans.starts.back().second;
  }));
}

INSTANTIATE_TEST_SUITE_P(BundleArtifact, BundleArtifactChunks,
                         ::testing::Values(1u, 7u, 64u, 100u, 1024u,
                                           8u * 1024u * 1024u));

TEST_F(BundleArtifact, TheChunkSizeDoesNotChangeTheBundle) {
  BuiltBundle reference = build(sample(), 8 * 1024 * 1024, "reference.bundle");
  for (std::uint64_t chunk_size : {1u, 100u, 1024u}) {
    BuiltBundle other =
        build(sample(), chunk_size, std::to_string(chunk_size) + ".bundle");
    EXPECT_EQ(other.checksum, reference.checksum) << chunk_size;
    EXPECT_EQ(other.debug_id, reference.debug_id) << chunk_size;
  }
}

// Bytes that do not compress, so an entry's size is its file's size.
std::string noise(std::uint64_t seed, std::size_t size) {
  std::string out(size, '\0');
  std::uint64_t x = seed * 0x9e3779b97f4a7c15ull + 1;
  for (char &c : out) {
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    c = static_cast<char>(x >> 24);
  }
  return out;
}

// A bundler's next build: a few files change and get new hashed names, so
// they also move in the bundle's URL order; every other file keeps its
// bytes. What Sentry lacks afterwards is the changed files, the groups of
// small files they left or joined, and the manifest with the directory.
TEST_F(BundleArtifact, ANextBuildSharesTheChunksOfItsUnchangedFiles) {
  constexpr std::uint64_t k_chunk_size = 128 * 1024;
  constexpr std::size_t k_files = 120;
  const std::set<std::size_t> changed = {3, 17, 40, 41, 77, 118};
  auto size_of = [](std::size_t i) -> std::size_t {
    // Small files, files of a few chunks' groups and files over a chunk.
    return i % 10 == 0 ? 150 * 1024 + i : 100 + (i * 7919) % (40 * 1024);
  };
  auto inputs_for = [&](bool next_build) {
    std::vector<BundleInput> inputs;
    for (std::size_t i = 0; i < k_files; ++i) {
      bool renamed = next_build && changed.contains(i);
      std::string name = "assets/file" + std::to_string(i) + "-" +
                         (renamed ? "v2" : "v1") + ".js";
      std::string dir = next_build ? "next/" : "first/";
      inputs.push_back(
          {write(dir + name, noise(renamed ? i + 1000 : i, size_of(i))),
           "~/" + name,
           SourceFileType::minified_source,
           {}});
    }
    return inputs;
  };
  BuiltBundle first = build(inputs_for(false), k_chunk_size, "first.bundle");
  BuiltBundle again = build(inputs_for(false), k_chunk_size, "again.bundle");
  BuiltBundle next = build(inputs_for(true), k_chunk_size, "next.bundle");
  ASSERT_EQ(again.checksum, first.checksum);
  ASSERT_EQ(again.chunks.size(), first.chunks.size());

  std::set<std::string> held;
  for (const Chunk &chunk : first.chunks) {
    held.insert(chunk.sha1);
  }
  std::string bytes = util::read_file(next.path);
  EntrySpans spans = entry_spans(bytes);
  ASSERT_EQ(spans.starts.size(), k_files + 1);
  std::map<std::string, std::pair<std::uint64_t, std::uint64_t>> extent;
  for (std::size_t i = 0; i < spans.starts.size(); ++i) {
    std::uint64_t end = i + 1 < spans.starts.size() ? spans.starts[i + 1].second
                                                    : spans.directory;
    extent[spans.starts[i].first] = {spans.starts[i].second, end};
  }

  std::uint64_t changed_bytes = bytes.size() - extent["manifest.json"].first;
  for (std::size_t i : changed) {
    auto [begin, end] =
        extent["files/_/_/assets/file" + std::to_string(i) + "-v2.js"];
    ASSERT_GT(end, begin) << i;
    changed_bytes += end - begin;
  }
  std::uint64_t new_bytes = 0;
  for (const Chunk &chunk : next.chunks) {
    EXPECT_LE(chunk.size, k_chunk_size);
    if (!held.contains(chunk.sha1)) {
      new_bytes += chunk.size;
    }
  }
  // Every chunk of an unchanged large file is one Sentry already holds.
  for (std::size_t i = 0; i < k_files; i += 10) {
    if (changed.contains(i)) {
      continue;
    }
    auto [begin, end] =
        extent["files/_/_/assets/file" + std::to_string(i) + "-v1.js"];
    for (const Chunk &chunk : next.chunks) {
      if (chunk.offset >= begin && chunk.offset + chunk.size <= end) {
        EXPECT_TRUE(held.contains(chunk.sha1))
            << "file " << i << " chunk at " << chunk.offset;
      }
      // (The 8-byte SYSB header goes with the first entry.)
      EXPECT_FALSE(chunk.offset > 0 && chunk.offset < begin &&
                   chunk.offset + chunk.size > begin)
          << "a chunk runs into large file " << i;
    }
  }
  // Each change re-sends at most the two groups of small files around it.
  ChunkLayoutRule rule;
  EXPECT_GE(new_bytes, changed_bytes);
  EXPECT_LE(new_bytes, changed_bytes + changed.size() * 2 * rule.group_max);
  EXPECT_LT(new_bytes, next.size / 3);
}

} // namespace
} // namespace uploader::bundle
