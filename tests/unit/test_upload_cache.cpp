#include "uploader/upload/upload_cache.hpp"
#include "uploader/util/fs.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <fstream>

#include "test_helpers.hpp"

namespace uploader::upload {
namespace {

namespace fs = std::filesystem;

// The cache does not look inside a bundle: any bytes and a record that
// matches their size stand in for a built one.
bundle::BuiltBundle write_fake_bundle(const fs::path &path,
                                      const std::string &bytes,
                                      const std::string &id) {
  // Truncates the draft in place, as write_artifact_bundle does, so the
  // draft's lock stays on the file.
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
  bundle::BuiltBundle built;
  built.path = path;
  built.size = bytes.size();
  built.checksum = "checksum-" + id;
  built.debug_id = "debug-" + id;
  built.chunks = {{"chunk-a-" + id, 0, 3}, {"chunk-b-" + id, 3, 4}};
  built.files = {{"files/_/_/a.js",
                  "~/a.js",
                  bundle::SourceFileType::minified_source,
                  {{"sourcemap", "a.js.map"}}},
                 {"files/_/_/a.js.map",
                  "~/a.js.map",
                  bundle::SourceFileType::source_map,
                  {}}};
  return built;
}

class UploadCacheTest : public ::testing::Test {
protected:
  void SetUp() override {
    m_dir = fs::temp_directory_path() /
            ("upload-cache-test-" + test_helpers::process_id() + "-" +
             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(m_dir);
  }
  void TearDown() override { fs::remove_all(m_dir); }

  // Builds (fakes) and keeps the bundle for `key`; returns it still held.
  static CachedBundle save(const UploadCache &cache, const std::string &key,
                           const std::string &bytes) {
    auto draft = cache.draft_bundle(key);
    EXPECT_TRUE(draft);
    if (!draft) {
      return {};
    }
    auto built = write_fake_bundle(draft->path(), bytes, key);
    return cache.save_bundle(key, std::move(*draft), std::move(built));
  }

  // Gives the entry for `key` a last use `minutes_ago`, so eviction order
  // does not depend on how fine the file system's clock is.
  void age(const std::string &key, int minutes_ago) const {
    fs::last_write_time(m_dir / (key + ".bundle"),
                        fs::file_time_type::clock::now() -
                            std::chrono::minutes(minutes_ago));
  }

  size_t count(std::string_view suffix) const {
    size_t n = 0;
    for (const auto &entry : fs::directory_iterator(m_dir)) {
      n += entry.path().filename().string().ends_with(suffix) ? 1 : 0;
    }
    return n;
  }

  fs::path m_dir;
};

TEST_F(UploadCacheTest, BundleRoundTripsThroughAnotherCacheObject) {
  UploadCache writer(m_dir);
  {
    CachedBundle saved = save(writer, "k", "bundle bytes");
    EXPECT_EQ(saved.bundle.path, m_dir / "k.bundle");
    EXPECT_EQ(saved.lease.path(), m_dir / "k.bundle");
  }
  // What another process would see in a later run.
  UploadCache reader(m_dir);
  auto taken = reader.take_bundle("k");
  ASSERT_TRUE(taken);
  const auto &b = taken->bundle;
  EXPECT_EQ(b.path, m_dir / "k.bundle");
  EXPECT_EQ(util::read_file(b.path), "bundle bytes");
  EXPECT_EQ(b.size, 12u);
  EXPECT_EQ(b.checksum, "checksum-k");
  EXPECT_EQ(b.debug_id, "debug-k");
  ASSERT_EQ(b.chunks.size(), 2u);
  EXPECT_EQ(b.chunks[1].sha1, "chunk-b-k");
  EXPECT_EQ(b.chunks[1].offset, 3u);
  EXPECT_EQ(b.chunks[1].size, 4u);
  ASSERT_EQ(b.files.size(), 2u);
  EXPECT_EQ(b.files[0].bundle_path, "files/_/_/a.js");
  EXPECT_EQ(b.files[0].url, "~/a.js");
  EXPECT_EQ(b.files[0].headers.at("sourcemap"), "a.js.map");
  EXPECT_EQ(b.files[1].type, bundle::SourceFileType::source_map);
  // No draft is left behind: only the entry, its record and the lock.
  EXPECT_EQ(count(".part"), 0u);
  EXPECT_EQ(count(".bundle"), 1u);
  EXPECT_EQ(count(".bundle.json"), 1u);
}

TEST_F(UploadCacheTest, BundleWhoseSourceTextsChangedIsAMiss) {
  fs::create_directories(m_dir / "src");
  fs::path source = m_dir / "src" / "a.js";
  std::ofstream(source) << "a();\n";
  UploadCache cache(m_dir);
  {
    auto draft = cache.draft_bundle("k");
    ASSERT_TRUE(draft);
    auto built = write_fake_bundle(draft->path(), "bundle bytes", "k");
    built.sources_read = {{source.string(), util::file_identity(source)},
                          {(m_dir / "src" / "b.js").string(), "absent"}};
    cache.save_bundle("k", std::move(*draft), std::move(built));
  }
  auto taken = UploadCache(m_dir).take_bundle("k");
  ASSERT_TRUE(taken);
  EXPECT_EQ(taken->bundle.sources_read.size(), 2u);
  EXPECT_EQ(taken->bundle.sources_read.at(source.string()),
            util::file_identity(source));
  taken.reset();

  // The map is the same, but the text its bundle carries is not.
  std::ofstream(m_dir / "src" / "b.js") << "b();\n";
  EXPECT_FALSE(UploadCache(m_dir).take_bundle("k"));
  fs::remove(m_dir / "src" / "b.js");
  EXPECT_TRUE(UploadCache(m_dir).take_bundle("k"));
  fs::last_write_time(source,
                      fs::last_write_time(source) - std::chrono::minutes(5));
  EXPECT_FALSE(UploadCache(m_dir).take_bundle("k"));
}

TEST_F(UploadCacheTest, PlanRoundTrips) {
  UploadPlan plan;
  plan.files = {{"/w/dist/a.js",
                 "~/a.js",
                 bundle::SourceFileType::minified_source,
                 {{"debug-id", "0123"}}},
                {"/w/dist/a.js.map",
                 "~/a.js.map",
                 bundle::SourceFileType::source_map,
                 {}}};
  plan.maps = {{"/w/dist/a.js.map", "/w/dist"}};
  plan.links = {{"/w/dist/a.js", "/w/dist/a.js.map", true}};
  plan.warnings = {"skipped b.js"};
  plan.source_count = 1;
  plan.referencing_sources = 1;
  plan.referencing_sources_with_debug_id = 1;
  UploadCache(m_dir).save_plan("p", plan);

  auto loaded = UploadCache(m_dir).load_plan("p");
  ASSERT_TRUE(loaded);
  ASSERT_EQ(loaded->files.size(), 2u);
  EXPECT_EQ(loaded->files[0].path, "/w/dist/a.js");
  EXPECT_EQ(loaded->files[0].headers.at("debug-id"), "0123");
  EXPECT_EQ(loaded->files[1].type, bundle::SourceFileType::source_map);
  ASSERT_EQ(loaded->maps.size(), 1u);
  EXPECT_EQ(loaded->maps[0].root, "/w/dist");
  ASSERT_EQ(loaded->links.size(), 1u);
  EXPECT_TRUE(loaded->links[0].explicit_reference);
  EXPECT_EQ(loaded->warnings, plan.warnings);
  EXPECT_EQ(loaded->referencing_sources_with_debug_id, 1u);
  EXPECT_FALSE(UploadCache(m_dir).load_plan("other"));
}

TEST_F(UploadCacheTest, DisabledOrEmptyCacheMissesAndWritesNothing) {
  UploadCache disabled{fs::path()};
  EXPECT_FALSE(disabled.enabled());
  EXPECT_FALSE(disabled.take_bundle("k"));
  EXPECT_FALSE(disabled.draft_bundle("k"));
  EXPECT_FALSE(disabled.load_plan("k"));
  // A cache whose folder does not exist yet misses without creating it.
  EXPECT_FALSE(UploadCache(m_dir).take_bundle("k"));
  EXPECT_FALSE(fs::exists(m_dir));
}

TEST_F(UploadCacheTest, EvictionKeepsTheNewestWithinTheCount) {
  UploadCache cache(m_dir);
  for (int i = 0; i < 6; ++i) {
    std::string key = "k" + std::to_string(i);
    save(cache, key, "bytes of " + key);
    // Older keys were used longer ago.
    age(key, 60 - i);
  }
  EXPECT_EQ(count(".bundle"), 4u);
  EXPECT_EQ(count(".bundle.json"), 4u); // no record outlives its bundle
  EXPECT_FALSE(cache.take_bundle("k0"));
  EXPECT_FALSE(cache.take_bundle("k1"));
  for (const char *key : {"k2", "k3", "k4", "k5"}) {
    EXPECT_TRUE(cache.take_bundle(key)) << key;
  }
}

TEST_F(UploadCacheTest, EvictionKeepsTheByteBoundButAlwaysTheNewest) {
  UploadCache cache(m_dir, {.bundles = 4, .bundle_bytes = 100, .plans = 16});
  save(cache, "small-old", std::string(60, 'a'));
  age("small-old", 10);
  save(cache, "small-new", std::string(60, 'b'));
  // 60 + 60 bytes are over the limit: only the newer one stays.
  EXPECT_FALSE(cache.take_bundle("small-old"));
  EXPECT_TRUE(cache.take_bundle("small-new"));
  age("small-new", 10);
  // A bundle larger than the limit on its own is still kept, so that
  // running the same upload again is fast.
  save(cache, "big", std::string(500, 'c'));
  EXPECT_TRUE(cache.take_bundle("big"));
  EXPECT_FALSE(cache.take_bundle("small-new"));
  EXPECT_EQ(count(".bundle"), 1u);
}

TEST_F(UploadCacheTest, PlansAreBoundedToo) {
  UploadCache cache(m_dir, {.bundles = 4, .bundle_bytes = 1 << 20, .plans = 2});
  for (int i = 0; i < 4; ++i) {
    std::string key = "p" + std::to_string(i);
    cache.save_plan(key, UploadPlan{});
    fs::last_write_time(m_dir / (key + ".plan.json"),
                        fs::file_time_type::clock::now() -
                            std::chrono::minutes(60 - i));
  }
  cache.save_plan("p4", UploadPlan{});
  EXPECT_EQ(count(".plan.json"), 2u);
  EXPECT_TRUE(cache.load_plan("p4"));
  EXPECT_TRUE(cache.load_plan("p3"));
  EXPECT_FALSE(cache.load_plan("p0"));
}

TEST_F(UploadCacheTest, TakenBundleSurvivesEvictionByAnotherCache) {
  UploadCache sender(m_dir);
  save(sender, "sent", "the bundle being sent");
  auto taken = sender.take_bundle("sent");
  ASSERT_TRUE(taken);
  // The oldest entry, so eviction would pick it first.
  age("sent", 60);

  // Another upload (another object, as in another process) keeps four
  // newer bundles: "sent" is over the bound but held.
  UploadCache other(m_dir);
  for (int i = 0; i < 4; ++i) {
    save(other, "new" + std::to_string(i), "other bytes");
  }
  EXPECT_EQ(util::read_file(taken->bundle.path), "the bundle being sent");
  EXPECT_EQ(count(".bundle"), 5u);

  // Once sent, it goes: the cache is back within its bound.
  taken->lease.release();
  EXPECT_FALSE(fs::exists(m_dir / "sent.bundle"));
  EXPECT_EQ(count(".bundle"), 4u);
  EXPECT_EQ(count(".bundle.json"), 4u);
}

TEST_F(UploadCacheTest, EntryInUseIsNotReplacedByANewBuildOfIt) {
  UploadCache first(m_dir);
  save(first, "k", "first build");
  auto taken = first.take_bundle("k");
  ASSERT_TRUE(taken);

  UploadCache second(m_dir);
  fs::path draft_path;
  {
    CachedBundle rebuilt = save(second, "k", "second build!");
    // The second upload sends its own draft, the first keeps its file.
    draft_path = rebuilt.bundle.path;
    EXPECT_NE(draft_path, m_dir / "k.bundle");
    EXPECT_EQ(util::read_file(draft_path), "second build!");
    EXPECT_EQ(util::read_file(taken->bundle.path), "first build");
  }
  EXPECT_FALSE(fs::exists(draft_path)); // the draft went with its lease
  taken->lease.release();

  // Not in use any more: a new build replaces it.
  save(second, "k", "third build");
  auto again = first.take_bundle("k");
  ASSERT_TRUE(again);
  EXPECT_EQ(util::read_file(again->bundle.path), "third build");
  EXPECT_EQ(again->bundle.size, 11u);
}

TEST_F(UploadCacheTest, DraftOfALiveUploadStaysLeftoversOfADeadOneGo) {
  UploadCache cache(m_dir);
  auto live = cache.draft_bundle("live");
  ASSERT_TRUE(live);
  std::ofstream(live->path()) << "half written";
  // What a killed upload leaves: a draft nobody holds and a half-written
  // record (util::StagedFile's temporary name).
  fs::path dead_draft = m_dir / ".dead.4242-1.part";
  fs::path dead_temp = m_dir / ".k.bundle.json.tmp-abcd1234";
  std::ofstream(dead_draft) << "partial bundle";
  std::ofstream(dead_temp) << "{\"size\":";

  save(cache, "k", "bytes"); // saving evicts
  EXPECT_TRUE(fs::exists(live->path()));
  EXPECT_EQ(util::read_file(live->path()), "half written");
  EXPECT_FALSE(fs::exists(dead_draft));
  EXPECT_FALSE(fs::exists(dead_temp));

  fs::path live_path = live->path();
  live->release(); // never saved: the draft is removed
  EXPECT_FALSE(fs::exists(live_path));
}

TEST_F(UploadCacheTest, CorruptEntryIsAMiss) {
  UploadCache cache(m_dir);
  save(cache, "k", "bundle bytes");
  ASSERT_TRUE(cache.take_bundle("k"));
  fs::path record = m_dir / "k.bundle.json";
  std::string good = util::read_file(record);

  std::ofstream(record, std::ios::trunc) << good.substr(0, good.size() / 2);
  EXPECT_FALSE(cache.take_bundle("k")) << "truncated record";
  std::ofstream(record, std::ios::trunc) << R"({"size": 12})";
  EXPECT_FALSE(cache.take_bundle("k")) << "record without chunks";
  std::ofstream(record, std::ios::trunc) << good;
  std::ofstream(m_dir / "k.bundle", std::ios::trunc) << "bundle";
  EXPECT_FALSE(cache.take_bundle("k")) << "bundle shorter than its record";
  fs::remove(m_dir / "k.bundle");
  EXPECT_FALSE(cache.take_bundle("k")) << "record without bundle";

  // A miss is not sticky: the next build replaces the broken entry.
  save(cache, "k", "bundle bytes");
  EXPECT_TRUE(cache.take_bundle("k"));

  UploadPlan plan;
  plan.source_count = 3;
  cache.save_plan("p", plan);
  std::ofstream(m_dir / "p.plan.json", std::ios::trunc) << R"({"files": [)";
  EXPECT_FALSE(cache.load_plan("p"));
}

} // namespace
} // namespace uploader::upload
