// upload_fingerprint and the stamp file: "nothing changed since the last
// upload" must notice every change that could alter what is sent.
#include "uploader/upload/stamp.hpp"
#include "uploader/util/fs.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>

#include "test_helpers.hpp"

namespace uploader::upload {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view k_target = "https://sentry.io\nacme\nweb\n1.0\n\n~";

class UploadStamp : public ::testing::Test {
protected:
  void SetUp() override {
    const auto *info = ::testing::UnitTest::GetInstance()->current_test_info();
    std::string name =
        std::string(info->test_suite_name()) + "-" + info->name();
    std::ranges::replace(name, '/', '_');
    m_base = fs::temp_directory_path() /
             ("ssm-stamp-" + test_helpers::process_id() + "-" + name);
    fs::remove_all(m_base);
    m_dir = m_base / "dist";
    fs::create_directories(m_dir);
    write("app.js", "a();\n//# sourceMappingURL=app.js.map\n");
    write("app.js.map", R"({"version":3,"sources":[],"mappings":""})");
    write("sub/chunk.js", "c();\n");
  }
  void TearDown() override {
    if (!HasFailure()) {
      fs::remove_all(m_base);
    }
  }

  // Writes the file in place (same inode when it exists) and gives it a
  // fixed modification time, so that the tests do not depend on how fine
  // the file system's clock is.
  void write(const std::string &relative, std::string_view text,
             int minutes_ago = 60) const {
    fs::path path = m_dir / relative;
    fs::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary | std::ios::trunc) << text;
    set_mtime(relative, minutes_ago);
  }
  void set_mtime(const std::string &relative, int minutes_ago) const {
    fs::last_write_time(m_dir / relative,
                        m_epoch - std::chrono::minutes(minutes_ago));
  }

  PlanOptions options() const {
    PlanOptions options;
    options.roots = {m_dir.string()};
    return options;
  }

  std::string fingerprint() const {
    return upload_fingerprint(options(), std::string(k_target));
  }

  fs::path m_base;
  fs::path m_dir;
  // A fixed point well in the past: every time set here differs from "now".
  fs::file_time_type m_epoch =
      fs::file_time_type::clock::now() - std::chrono::hours(24);
};

TEST_F(UploadStamp, UnchangedFolderGivesTheSameFingerprint) {
  std::string before = fingerprint();
  EXPECT_EQ(before.size(), 40u); // SHA-1, hex
  EXPECT_TRUE(std::ranges::all_of(before, [](char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
  })) << before;
  // Reading the files changes nothing that counts.
  (void)util::read_file(m_dir / "app.js");
  EXPECT_EQ(fingerprint(), before);
}

TEST_F(UploadStamp, ContentChangeIsNoticed) {
  std::string before = fingerprint();
  // Same size, same inode: only the modification time tells.
  std::ofstream(m_dir / "sub/chunk.js",
                std::ios::binary | std::ios::in | std::ios::out)
      << "d";
  EXPECT_EQ(fs::file_size(m_dir / "sub/chunk.js"), 5u);
  EXPECT_NE(fingerprint(), before);
}

TEST_F(UploadStamp, SizeChangeIsNoticedEvenWithTheSameTime) {
  std::string before = fingerprint();
  write("sub/chunk.js", "c();\nmore();\n"); // same fixed mtime as before
  EXPECT_NE(fingerprint(), before);
}

TEST_F(UploadStamp, ModificationTimeChangeIsNoticed) {
  std::string before = fingerprint();
  set_mtime("app.js.map", 30);
  std::string touched = fingerprint();
  EXPECT_NE(touched, before);
  set_mtime("app.js.map", 60);
  EXPECT_EQ(fingerprint(), before);
}

TEST_F(UploadStamp, ReplacedFileIsNoticed) {
  // Same name, size and time, but a new file (new inode), as an atomic
  // rewrite by a build tool leaves it.
  std::string before = fingerprint();
  fs::path path = m_dir / "app.js";
  std::string text = util::read_file(path);
  util::write_file_atomic(path, text);
  set_mtime("app.js", 60);
  EXPECT_NE(fingerprint(), before);
}

TEST_F(UploadStamp, AddedAndRemovedFilesAreNoticed) {
  std::string before = fingerprint();
  write("sub/new.js", "n();\n");
  std::string added = fingerprint();
  EXPECT_NE(added, before);
  ASSERT_TRUE(fs::remove(m_dir / "sub/new.js"));
  EXPECT_EQ(fingerprint(), before);
  ASSERT_TRUE(fs::remove(m_dir / "sub/chunk.js"));
  EXPECT_NE(fingerprint(), before);
}

TEST_F(UploadStamp, FilesTheWalkLeavesOutDoNotCount) {
  std::string before = fingerprint();
  write("notes.txt", "not uploaded\n");
  EXPECT_EQ(fingerprint(), before);

  PlanOptions ignoring = options();
  ignoring.ignores = {"vendor/"};
  std::string with_ignores =
      upload_fingerprint(ignoring, std::string(k_target));
  write("vendor/lib.js", "v();\n");
  EXPECT_EQ(upload_fingerprint(ignoring, std::string(k_target)), with_ignores);
  // ... but without the ignore the new file is part of the upload.
  EXPECT_NE(fingerprint(), before);
}

TEST_F(UploadStamp, ExtensionsChangeWhichFilesCount) {
  PlanOptions only_js = options();
  only_js.extensions = {"js"};
  std::string before = upload_fingerprint(only_js, std::string(k_target));
  EXPECT_NE(before, fingerprint()); // the map is left out
  set_mtime("app.js.map", 5);       // ... so changing it does not count
  EXPECT_EQ(upload_fingerprint(only_js, std::string(k_target)), before);
}

TEST_F(UploadStamp, TargetIsPartOfTheFingerprint) {
  std::string before = fingerprint();
  EXPECT_EQ(upload_fingerprint(options(), std::string(k_target)), before);
  for (std::string other :
       {std::string(k_target) + "x", std::string(""),
        std::string("https://sentry.io\nacme\nweb\n1.1\n\n~"),
        std::string("https://sentry.io\nacme\nweb\n1.0\n\n~/"
                    "static")}) {
    EXPECT_NE(upload_fingerprint(options(), other), before) << other;
  }
}

TEST_F(UploadStamp, ReferenceOptionsArePartOfTheFingerprint) {
  std::string before = fingerprint();
  PlanOptions no_refs = options();
  no_refs.sourcemap_headers = false;
  PlanOptions id_refs = options();
  id_refs.debug_id_reference = true;
  PlanOptions both = options();
  both.sourcemap_headers = false;
  both.debug_id_reference = true;
  std::string a = upload_fingerprint(no_refs, std::string(k_target));
  std::string b = upload_fingerprint(id_refs, std::string(k_target));
  std::string c = upload_fingerprint(both, std::string(k_target));
  EXPECT_NE(a, before);
  EXPECT_NE(b, before);
  EXPECT_NE(c, before);
  EXPECT_NE(a, b);
  EXPECT_NE(a, c);
  EXPECT_NE(b, c);
}

TEST_F(UploadStamp, StampRoundTrip) {
  fs::path stamp = m_base / "state/nested/upload.stamp";
  std::string current = fingerprint();
  EXPECT_FALSE(stamp_matches(stamp, current)); // no stamp yet
  write_stamp(stamp, current);                 // creates the folders
  EXPECT_TRUE(fs::is_regular_file(stamp));
  EXPECT_TRUE(stamp_matches(stamp, current));
  EXPECT_FALSE(stamp_matches(stamp, current + "0"));
  EXPECT_FALSE(stamp_matches(stamp, current.substr(1)));
  EXPECT_FALSE(stamp_matches(stamp, ""));

  // After a change the old stamp no longer matches; a new one does.
  write("sub/chunk.js", "changed();\n");
  std::string next = fingerprint();
  EXPECT_FALSE(stamp_matches(stamp, next));
  write_stamp(stamp, next);
  EXPECT_TRUE(stamp_matches(stamp, next));
  EXPECT_FALSE(stamp_matches(stamp, current));
}

TEST_F(UploadStamp, SourcesReadIntoTheMapsCountToo) {
  // Source files outside the folder whose texts the maps carry (or that
  // were looked for and missing): the folder alone does not show them.
  fs::path src = m_base / "src";
  fs::create_directories(src);
  std::ofstream(src / "a.js") << "a();\n";
  fs::last_write_time(src / "a.js", m_epoch);
  bundle::SourcesRead read = {
      {(src / "a.js").string(), util::file_identity(src / "a.js")},
      {(src / "gone.js").string(), util::file_identity(src / "gone.js")}};
  ASSERT_EQ(read[(src / "gone.js").string()], "absent");
  fs::path stamp = m_base / "upload.stamp";
  std::string current = fingerprint();
  write_stamp(stamp, current, read);
  EXPECT_TRUE(stamp_matches(stamp, current));
  EXPECT_FALSE(stamp_matches(stamp, current + "0"));

  // An edit that keeps the size (only the time tells)...
  std::ofstream(src / "a.js", std::ios::in | std::ios::out) << "b";
  EXPECT_FALSE(stamp_matches(stamp, current));
  fs::last_write_time(src / "a.js", m_epoch);
  EXPECT_TRUE(stamp_matches(stamp, current)); // same identity again
  // ...and a file that was missing when the maps were read.
  std::ofstream(src / "gone.js") << "g();\n";
  EXPECT_FALSE(stamp_matches(stamp, current));
  ASSERT_TRUE(fs::remove(src / "gone.js"));
  EXPECT_TRUE(stamp_matches(stamp, current));
  // A stamp written without sources matches on the fingerprint alone.
  write_stamp(stamp, current);
  EXPECT_EQ(util::read_file(stamp), current + "\n");
  EXPECT_TRUE(stamp_matches(stamp, current));
}

TEST_F(UploadStamp, MissingOrUnreadableStampNeverMatches) {
  std::string current = fingerprint();
  EXPECT_FALSE(stamp_matches(m_base / "nope.stamp", current));
  EXPECT_FALSE(stamp_matches(m_base / "no/such/folder/x.stamp", current));
  // A folder where the stamp should be is not a stamp.
  fs::create_directories(m_base / "folder.stamp");
  EXPECT_FALSE(stamp_matches(m_base / "folder.stamp", current));
  // Nor is a file with other contents.
  std::ofstream(m_base / "other.stamp") << "something else\n";
  EXPECT_FALSE(stamp_matches(m_base / "other.stamp", current));
}

} // namespace
TEST_F(UploadStamp, TheStampConfirmsTheFolderItWasWrittenFor) {
  fs::path stamp = m_base / "stamp";
  EXPECT_FALSE(stamp_confirms_folder(stamp, m_dir)); // no stamp yet
  write_stamp(stamp, fingerprint(), {}, {m_dir});
  EXPECT_TRUE(stamp_confirms_folder(stamp, m_dir));
  EXPECT_TRUE(stamp_matches(stamp, fingerprint())); // the upload's check
  // Every file counts, hidden ones and those the upload's walk leaves out.
  write(".vite/manifest.json", "{}");
  EXPECT_FALSE(stamp_confirms_folder(stamp, m_dir));
  write_stamp(stamp, fingerprint(), {}, {m_dir});
  EXPECT_TRUE(stamp_confirms_folder(stamp, m_dir));
  write("index.html", "<html>");
  EXPECT_FALSE(stamp_confirms_folder(stamp, m_dir));
  fs::remove(m_dir / "index.html");
  EXPECT_TRUE(stamp_confirms_folder(stamp, m_dir));
  write("app.js", "b();\n"); // rebuilt
  EXPECT_FALSE(stamp_confirms_folder(stamp, m_dir));
}

TEST_F(UploadStamp, AStampWithoutTheFolderConfirmsNothing) {
  fs::path stamp = m_base / "stamp";
  write_stamp(stamp, fingerprint()); // as before folders were recorded
  EXPECT_TRUE(stamp_matches(stamp, fingerprint()));
  EXPECT_FALSE(stamp_confirms_folder(stamp, m_dir));
  fs::create_directories(m_base / "other");
  write_stamp(stamp, fingerprint(), {}, {m_base / "other"});
  EXPECT_FALSE(stamp_confirms_folder(stamp, m_dir));
  EXPECT_FALSE(stamp_confirms_folder(stamp, m_base / "missing"));
}

} // namespace uploader::upload
