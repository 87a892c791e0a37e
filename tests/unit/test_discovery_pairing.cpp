// pair_files and read_map_debug_id: which walked file is a map, which map
// each JS file refers to, and the debug ids they carry.
#include "uploader/discovery/pairing.hpp"
#include "uploader/util/error.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "test_helpers.hpp"

namespace uploader::discovery {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view k_id = "2297b93d-928d-421e-8910-127c786382da";

std::string map_text(std::string_view extra = "") {
  std::string text = R"({"version":3,"sources":["a.ts"],"names":[],)"
                     R"("mappings":"AAAA")";
  if (!extra.empty()) {
    text += ",";
    text += extra;
  }
  return text + "}";
}

class DiscoveryPairing : public ::testing::Test {
protected:
  void SetUp() override {
    const auto *info = ::testing::UnitTest::GetInstance()->current_test_info();
    std::string name =
        std::string(info->test_suite_name()) + "-" + info->name();
    std::ranges::replace(name, '/', '_');
    m_dir = fs::temp_directory_path() /
            ("ssm-pairing-" + test_helpers::process_id() + "-" + name);
    fs::remove_all(m_dir);
    fs::create_directories(m_dir);
  }
  void TearDown() override {
    if (!HasFailure()) {
      fs::remove_all(m_dir);
    }
  }

  fs::path write(const std::string &relative, std::string_view text) const {
    fs::path path = m_dir / relative;
    fs::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }

  Pairing pair() const {
    WalkOptions options;
    options.roots = {m_dir.string()};
    options.extensions = k_upload_extensions;
    return pair_files(options);
  }

  // The entry whose path relative to the root is `relative`.
  static const PairedFile *find(const Pairing &pairing,
                                std::string_view relative) {
    for (const auto &entry : pairing.files) {
      if (entry.file.relative == relative) {
        return &entry;
      }
    }
    ADD_FAILURE() << "no paired file " << relative;
    return nullptr;
  }

  static std::vector<std::string> relatives(const Pairing &pairing) {
    std::vector<std::string> out;
    for (const auto &entry : pairing.files) {
      out.push_back(entry.file.relative);
    }
    return out;
  }

  // The relative path of the map a JS entry was paired with, or "".
  static std::string map_of(const Pairing &pairing, const PairedFile &entry) {
    if (!entry.map) {
      return "";
    }
    EXPECT_LT(*entry.map, pairing.files.size());
    const PairedFile &map = pairing.files.at(*entry.map);
    EXPECT_TRUE(map.is_map) << map.file.relative;
    return map.file.relative;
  }

  fs::path m_dir;
};

TEST_F(DiscoveryPairing, PairsExplicitReferencesAndGuesses) {
  write("app.js", "a();\n//# sourceMappingURL=maps/app.js.map\n");
  write("maps/app.js.map", map_text());
  write("lib.js", "b();\n");
  write("lib.js.map", map_text());
  write("solo.js", "c();\n");
  Pairing pairing = pair();

  EXPECT_EQ(relatives(pairing),
            (std::vector<std::string>{"app.js", "lib.js", "lib.js.map",
                                      "maps/app.js.map", "solo.js"}));
  const PairedFile *app = find(pairing, "app.js");
  const PairedFile *lib = find(pairing, "lib.js");
  const PairedFile *solo = find(pairing, "solo.js");
  ASSERT_TRUE(app && lib && solo);

  EXPECT_FALSE(app->is_map);
  EXPECT_EQ(app->map_reference, "maps/app.js.map");
  EXPECT_TRUE(app->explicit_reference);
  EXPECT_EQ(map_of(pairing, *app), "maps/app.js.map");

  EXPECT_EQ(lib->map_reference, "lib.js.map");
  EXPECT_FALSE(lib->explicit_reference);
  EXPECT_EQ(map_of(pairing, *lib), "lib.js.map");

  EXPECT_EQ(solo->map_reference, std::nullopt);
  EXPECT_EQ(solo->map, std::nullopt);
  EXPECT_FALSE(solo->explicit_reference);
  ASSERT_EQ(pairing.warnings.size(), 1u);
  EXPECT_NE(pairing.warnings[0].find("solo.js"), std::string::npos)
      << pairing.warnings[0];

  for (const char *map : {"lib.js.map", "maps/app.js.map"}) {
    const PairedFile *entry = find(pairing, map);
    ASSERT_NE(entry, nullptr);
    EXPECT_TRUE(entry->is_map);
    EXPECT_EQ(entry->map, std::nullopt);
    EXPECT_EQ(entry->map_reference, std::nullopt);
  }
}

TEST_F(DiscoveryPairing, FilesKeepTheirWalkFacts) {
  fs::path path = write("sub/app.js", "a();\n");
  Pairing pairing = pair();
  ASSERT_EQ(pairing.files.size(), 1u);
  const DiscoveredFile &file = pairing.files[0].file;
  EXPECT_EQ(file.path, path);
  EXPECT_EQ(file.root, m_dir);
  EXPECT_EQ(file.relative, "sub/app.js");
  EXPECT_EQ(file.url, path.generic_string());
}

TEST_F(DiscoveryPairing, AtFormQueryAndFragmentAreUnderstood) {
  write("old.js", "a();\n//@ sourceMappingURL=old.js.map\n");
  write("old.js.map", map_text());
  write("q.js", "b();\n//# sourceMappingURL=q.js.map?v=3#top\n");
  write("q.js.map", map_text());
  Pairing pairing = pair();
  const PairedFile *old_js = find(pairing, "old.js");
  const PairedFile *q = find(pairing, "q.js");
  ASSERT_TRUE(old_js && q);
  EXPECT_TRUE(old_js->explicit_reference);
  EXPECT_EQ(map_of(pairing, *old_js), "old.js.map");
  EXPECT_EQ(q->map_reference, "q.js.map");
  EXPECT_TRUE(q->explicit_reference);
  EXPECT_EQ(map_of(pairing, *q), "q.js.map");
  EXPECT_TRUE(pairing.warnings.empty()) << pairing.warnings.front();
}

TEST_F(DiscoveryPairing, MapIndexSurvivesASkippedNonUtf8File) {
  // The skipped file sorts first, so every index after it would be off by
  // one if the index counted walked files instead of paired ones.
  write("a-binary.js", std::string("\xc3\x28 broken\n"));
  write("b.js", "b();\n//# sourceMappingURL=b.js.map\n");
  write("b.js.map", map_text());
  Pairing pairing = pair();
  EXPECT_EQ(relatives(pairing), (std::vector<std::string>{"b.js", "b.js.map"}));
  ASSERT_EQ(pairing.files[0].map, std::optional<std::size_t>(1));
  ASSERT_EQ(pairing.warnings.size(), 1u);
  EXPECT_NE(pairing.warnings[0].find("a-binary.js"), std::string::npos);
  EXPECT_NE(pairing.warnings[0].find("UTF-8"), std::string::npos);
}

TEST_F(DiscoveryPairing, DataUrlIsAReferenceWithoutAFileOrWarning) {
  std::string data_url =
      "data:application/json;base64,"
      "eyJ2ZXJzaW9uIjozLCJzb3VyY2VzIjpbXSwibWFwcGluZ3MiOiIifQ==";
  write("inline.js", "a();\n//# sourceMappingURL=" + data_url + "\n");
  Pairing pairing = pair();
  ASSERT_EQ(pairing.files.size(), 1u);
  const PairedFile &inline_js = pairing.files[0];
  EXPECT_FALSE(inline_js.is_map);
  EXPECT_EQ(inline_js.map_reference, data_url);
  EXPECT_TRUE(inline_js.explicit_reference);
  EXPECT_EQ(inline_js.map, std::nullopt);
  EXPECT_TRUE(pairing.warnings.empty()) << pairing.warnings.front();
}

struct RemoteCase {
  std::string name;
  std::string location;
};

class DiscoveryPairingRemote
    : public DiscoveryPairing,
      public ::testing::WithParamInterface<RemoteCase> {};

TEST_P(DiscoveryPairingRemote, RemoteLocationIsIgnoredInFavourOfAGuess) {
  write("app.js", "a();\n//# sourceMappingURL=" + GetParam().location + "\n");
  write("app.js.map", map_text());
  Pairing pairing = pair();
  const PairedFile *app = find(pairing, "app.js");
  ASSERT_NE(app, nullptr);
  EXPECT_EQ(app->map_reference, "app.js.map");
  EXPECT_FALSE(app->explicit_reference);
  EXPECT_EQ(map_of(pairing, *app), "app.js.map");
  EXPECT_TRUE(pairing.warnings.empty()) << pairing.warnings.front();
}

TEST_P(DiscoveryPairingRemote, RemoteLocationWithoutALocalMapIsNoReference) {
  write("app.js", "a();\n//# sourceMappingURL=" + GetParam().location + "\n");
  Pairing pairing = pair();
  ASSERT_EQ(pairing.files.size(), 1u);
  EXPECT_EQ(pairing.files[0].map_reference, std::nullopt);
  EXPECT_EQ(pairing.files[0].map, std::nullopt);
  // Not the "not among the uploaded files" warning: nothing was referenced.
  for (const auto &warning : pairing.warnings) {
    EXPECT_EQ(warning.find("not among the uploaded files"), std::string::npos)
        << warning;
  }
}

INSTANTIATE_TEST_SUITE_P(
    DiscoveryPairing, DiscoveryPairingRemote,
    ::testing::Values(
        RemoteCase{"https", "https://cdn.example.com/app.js.map"},
        RemoteCase{"http", "http://cdn.example.com/static/app.js.map"},
        RemoteCase{"custom_scheme", "app:///static/app.js.map"},
        RemoteCase{"missing_absolute", "/definitely/not/here/app.js.map"}),
    [](const auto &test) { return test.param.name; });

TEST_F(DiscoveryPairing, ClassifiesByContent) {
  write("map-named.js", map_text());
  write("code.bundle", "var x = 1;\n");
  Pairing pairing = pair();
  const PairedFile *map = find(pairing, "map-named.js");
  const PairedFile *code = find(pairing, "code.bundle");
  ASSERT_TRUE(map && code);
  EXPECT_TRUE(map->is_map);
  EXPECT_FALSE(code->is_map);
}

TEST_F(DiscoveryPairing, DebugIdsOfJsAndMaps) {
  write("app.js", "a();\n//# debugId=2297B93D-928D-421E-8910-127C786382DA\n"
                  "//# sourceMappingURL=app.js.map\n");
  write("app.js.map",
        map_text(R"("debugId":"0b8e3a8c5a4e4f7a9c1e3b2f5e6d7a8b")"));
  Pairing pairing = pair();
  const PairedFile *js = find(pairing, "app.js");
  const PairedFile *map = find(pairing, "app.js.map");
  ASSERT_TRUE(js && map);
  EXPECT_EQ(js->debug_id, std::string(k_id));
  EXPECT_EQ(map->debug_id, "0b8e3a8c-5a4e-4f7a-9c1e-3b2f5e6d7a8b");
}

// sentry-cli's own fixture (tests/integration/_fixtures/upload_debugid_alias):
// a map with both fields, `debug_id` the real one.
TEST_F(DiscoveryPairing, SentryCliDebugIdAliasFixture) {
  write("server/chunks/1.js",
        "//# debugId=2297b93d-928d-421e-8910-127c786382da\n"
        "//# sourceMappingURL=1.js.map\n");
  write("server/chunks/1.js.map",
        R"({"debug_id":"2297b93d-928d-421e-8910-127c786382da",)"
        R"("debugId":"00000000-0000-0000-0000-000000000000", "version":3,)"
        R"("file":"1.js","mappings":";;;;;;;","sources":[],)"
        R"("sourcesContent":[],"names":[],"sourceRoot":""})"
        "\n");
  Pairing pairing = pair();
  const PairedFile *js = find(pairing, "server/chunks/1.js");
  const PairedFile *map = find(pairing, "server/chunks/1.js.map");
  ASSERT_TRUE(js && map);
  EXPECT_TRUE(map->is_map);
  EXPECT_EQ(map->debug_id, std::string(k_id));
  EXPECT_EQ(js->debug_id, std::string(k_id));
  EXPECT_EQ(js->map_reference, "1.js.map");
  EXPECT_EQ(map_of(pairing, *js), "server/chunks/1.js.map");
}

TEST_F(DiscoveryPairing, MalformedMapThrowsNamingIt) {
  fs::path bad = write("bad.js.map", R"({"version":3,"sources":[)");
  try {
    pair();
    FAIL() << "malformed map accepted";
  } catch (const uploader::Error &error) {
    EXPECT_NE(std::string(error.what()).find(bad.string()), std::string::npos)
        << error.what();
  }
}

// ---------------------------------------------------------------------------
// read_map_debug_id

struct ReadIdCase {
  std::string name;
  std::string text;
  std::optional<std::string> expected;
};

class DiscoveryPairingReadMapDebugId
    : public ::testing::TestWithParam<ReadIdCase> {};

TEST_P(DiscoveryPairingReadMapDebugId, ReadsDebugIdThenDebugIdCamel) {
  EXPECT_EQ(read_map_debug_id(GetParam().text), GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(
    DiscoveryPairing, DiscoveryPairingReadMapDebugId,
    ::testing::Values(
        ReadIdCase{"snake",
                   R"({"debug_id":"2297b93d-928d-421e-8910-127c786382da"})",
                   std::string(k_id)},
        ReadIdCase{"camel",
                   R"({"debugId":"2297b93d-928d-421e-8910-127c786382da"})",
                   std::string(k_id)},
        ReadIdCase{"snake_before_camel",
                   R"({"debug_id":"2297b93d-928d-421e-8910-127c786382da",)"
                   R"("debugId":"00000000-0000-0000-0000-000000000000"})",
                   std::string(k_id)},
        ReadIdCase{"camel_before_snake",
                   R"({"debugId":"00000000-0000-0000-0000-000000000000",)"
                   R"("debug_id":"2297b93d-928d-421e-8910-127c786382da"})",
                   std::string(k_id)},
        ReadIdCase{"normalised",
                   R"({"debug_id":"2297B93D928D421E8910127C786382DA"})",
                   std::string(k_id)},
        ReadIdCase{"nested_is_not_top_level",
                   R"({"x_meta":{"debug_id":)"
                   R"("2297b93d-928d-421e-8910-127c786382da"},"version":3})",
                   std::nullopt},
        ReadIdCase{"junk_header",
                   ")]}'\n"
                   R"({"debugId":"2297b93d-928d-421e-8910-127c786382da"})",
                   std::string(k_id)},
        ReadIdCase{"not_a_string", R"({"debug_id":42})", std::nullopt},
        ReadIdCase{"not_an_id", R"({"debug_id":"hello"})", std::nullopt},
        ReadIdCase{"none", R"({"version":3,"mappings":""})", std::nullopt},
        ReadIdCase{"not_json", "var x = 1;", std::nullopt},
        ReadIdCase{"empty", "", std::nullopt}),
    [](const auto &test) { return test.param.name; });

} // namespace
} // namespace uploader::discovery
