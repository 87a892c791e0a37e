#include "uploader/sourcemap/debug_id.hpp"

#include <gtest/gtest.h>

using uploader::sourcemap::debug_id_from_bytes;
using uploader::sourcemap::debug_id_from_js_and_map;
using uploader::sourcemap::DebugId;

TEST(SourcemapDebugId, HashOfJsAloneMatchesProtocolVectors) {
  EXPECT_EQ(debug_id_from_bytes("").to_string(),
            "da39a3ee-5e6b-5b0d-b255-bfef95601890");
  EXPECT_EQ(debug_id_from_bytes("console.log('hello');\n").to_string(),
            "ce0ad224-152a-59d0-9082-7209001ff0c9");
}

TEST(SourcemapDebugId, JsAndMapFormulaOfSentryCli38) {
  // Python: sha1(b"js" + u64le(len(js)) + js + b"sourcemap" +
  //              u64le(len(map)) + map), uuid version 5.
  EXPECT_EQ(
      debug_id_from_js_and_map("console.log('hello');\n", "{\"version\":3}")
          .to_string(),
      "bb5986c7-f70c-5e60-a307-84d449501160");
  // Byte-identical maps of different files no longer collide.
  EXPECT_NE(debug_id_from_js_and_map("a", "{}"),
            debug_id_from_js_and_map("b", "{}"));
}

TEST(SourcemapDebugId, ParsesAndFormatsTheAcceptedForms) {
  auto hyphenated = DebugId::parse("AAAAAAAA-BBBB-CCCC-DDDD-EEEEEEEEEEEE");
  ASSERT_TRUE(hyphenated);
  EXPECT_EQ(hyphenated->to_string(), "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee");
  auto simple = DebugId::parse("0000000000000000000000000000000a");
  ASSERT_TRUE(simple);
  EXPECT_EQ(simple->to_string(), "00000000-0000-0000-0000-00000000000a");
  auto with_appendix =
      DebugId::parse("aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee-1f");
  ASSERT_TRUE(with_appendix);
  EXPECT_EQ(with_appendix->to_string(),
            "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee-1f");
  EXPECT_FALSE(DebugId::parse("not-a-debug-id"));
  EXPECT_FALSE(DebugId::parse("aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeeZ"));
  EXPECT_FALSE(DebugId::parse("aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee1"));
}
