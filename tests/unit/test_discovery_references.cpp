#include "uploader/discovery/references.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <random>
#include <string>

using namespace uploader::discovery;

TEST(DiscoveryReferences, FindsLastSourceMappingUrl) {
  EXPECT_EQ(find_sourcemap_location("x\n//# sourceMappingURL=a.js.map\n"),
            "a.js.map");
  EXPECT_EQ(find_sourcemap_location("//# sourceMappingURL=first\n"
                                    "//@ sourceMappingURL=  second?v=1 x\n"),
            "second");
  EXPECT_EQ(find_sourcemap_location("f(); //# sourceMappingURL=a.map#frag"),
            "a.map");
  EXPECT_EQ(find_sourcemap_location("//#  sourceMappingURL=a.map"),
            std::nullopt);
  EXPECT_EQ(find_sourcemap_location("x //# sourceMappingURL=good\n"
                                    "y // sourceMappingURL=bad\n"),
            "good");
  EXPECT_EQ(find_sourcemap_location("no reference"), std::nullopt);
}

TEST(DiscoveryReferences, ReadsJsDebugIds) {
  auto id =
      find_js_debug_id("x\n//# debugId=AAAAAAAA-BBBB-CCCC-DDDD-EEEEEEEEEEEE\n");
  ASSERT_TRUE(id);
  EXPECT_EQ(id->to_string(), "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee");
  EXPECT_FALSE(find_js_debug_id("//@ debugId=aaaaaaaa-bbbb-cccc-dddd-"
                                "eeeeeeeeeeee"));
  EXPECT_FALSE(find_js_debug_id("//# debugId=garbage"));
}

TEST(DiscoveryReferences, RemoteLocations) {
  EXPECT_TRUE(is_remote_sourcemap("https://cdn.example.com/a.js.map"));
  EXPECT_TRUE(is_remote_sourcemap("/surely/not/existing/a.js.map"));
  EXPECT_FALSE(is_remote_sourcemap("data:application/json;base64,e30="));
  EXPECT_FALSE(is_remote_sourcemap("a.js.map"));
  EXPECT_FALSE(is_remote_sourcemap("../maps/a.js.map"));
}

TEST(DiscoveryReferences, NormalizesLikeSentryCli) {
  EXPECT_EQ(normalize_sourcemap_url("./code/index.js", "index.js.map"),
            "./code/index.js.map");
  EXPECT_EQ(normalize_sourcemap_url("./code/foo/index.js", "../m/i.map"),
            "./code/m/i.map");
  EXPECT_EQ(normalize_sourcemap_url("a/b.js", "./c/./d.map"), "a/c/d.map");
  EXPECT_EQ(normalize_sourcemap_url("a/b.js", "/abs/x.map"), "/abs/x.map");
  EXPECT_EQ(normalize_sourcemap_url("b.js", "x.map"), "x.map");
}

TEST(DiscoveryReferences, MatchesOneDifferingSegment) {
  std::vector<std::string> maps{"./maps/foo/index.js.map",
                                "./maps/index.js.map"};
  EXPECT_EQ(find_matching_paths(maps, "./code/foo/index.js.map"),
            std::vector<std::string>{"./maps/foo/index.js.map"});
  EXPECT_EQ(find_matching_paths(maps, "./maps/index.js.map"),
            std::vector<std::string>{"./maps/index.js.map"});
  // The file name itself may not differ.
  EXPECT_TRUE(find_matching_paths(maps, "./maps/other.js.map").empty());
  std::vector<std::string> twice{"./maps/foo/index.js.map",
                                 "./maps2/foo/index.js.map"};
  auto resolved =
      resolve_external_reference("./code/foo/index.js", "index.js.map", twice);
  EXPECT_EQ(resolved.url, "./code/foo/index.js.map");
  EXPECT_EQ(resolved.ambiguous.size(), 2u);
}

TEST(DiscoveryReferences, GuessesAndAmbiguity) {
  std::vector<FileFacts> files{
      {"./a/app.min.js", FileKind::source, std::nullopt},
      {"./a/app.js.map", FileKind::sourcemap, std::nullopt},
      {"./b/x.js", FileKind::source, std::nullopt},
      {"./b/x.min.js", FileKind::source, std::nullopt},
      {"./b/x.map", FileKind::sourcemap, std::nullopt},
      {"./c/main.js", FileKind::source, std::string("../c/main.js.map")},
      {"./c/y.js", FileKind::source, std::string("z.map")},
      {"./c/z.js", FileKind::source, std::nullopt},
      {"./c/z.map", FileKind::sourcemap, std::nullopt},
      {"./d/none.js", FileKind::source, std::nullopt},
  };
  auto refs = collect_sourcemap_references(files);
  ASSERT_TRUE(refs["./a/app.min.js"].reference);
  EXPECT_EQ(refs["./a/app.min.js"].reference->url, "app.js.map");
  // Guessed by two files: given to none.
  EXPECT_FALSE(refs["./b/x.js"].reference);
  EXPECT_FALSE(refs["./b/x.min.js"].reference);
  EXPECT_EQ(refs["./b/x.js"].warnings.size(), 1u);
  // Explicit references are kept as written.
  EXPECT_EQ(refs["./c/main.js"].reference->url, "../c/main.js.map");
  // A guess that another file references explicitly is not used.
  EXPECT_FALSE(refs["./c/z.js"].reference);
  EXPECT_EQ(refs["./c/z.js"].warnings.size(), 1u);
  EXPECT_FALSE(refs["./d/none.js"].reference);
  EXPECT_EQ(refs["./d/none.js"].warnings.size(), 1u);
}

TEST(DiscoveryReferences, MagicCommentIsTheLastFullMatch) {
  // A plain reference: the last `//# x=` or `//@ x=`, value up to whitespace.
  auto reference = [](std::string_view text,
                      bool allow_at) -> std::optional<std::string_view> {
    for (std::size_t i = text.size(); i-- > 0;) {
      std::string_view rest = text.substr(i);
      if (rest.starts_with("//# x=") ||
          (allow_at && rest.starts_with("//@ x="))) {
        std::string_view value = rest.substr(6);
        std::size_t start = value.find_first_not_of(" \t\n\r\f");
        if (start == std::string_view::npos) {
          return value.substr(value.size());
        }
        value = value.substr(start);
        return value.substr(0, value.find_first_of(" \t\n\r\f"));
      }
    }
    return std::nullopt;
  };
  std::mt19937 rng(7);
  constexpr std::string_view k_alphabet = "/#@ x=a\n";
  for (int round = 0; round < 50000; ++round) {
    std::string text;
    for (std::size_t n = rng() % 24; n > 0; --n) {
      text += k_alphabet[rng() % k_alphabet.size()];
    }
    for (bool allow_at : {false, true}) {
      EXPECT_EQ(find_magic_comment(text, "x", allow_at),
                reference(text, allow_at))
          << "text \"" << text << "\" allow_at " << allow_at;
    }
  }
}
