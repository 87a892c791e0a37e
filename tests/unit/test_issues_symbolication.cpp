#include "uploader/issues/symbolication.hpp"
#include "uploader/util/error.hpp"

#include <gtest/gtest.h>

using uploader::issues::is_minified_file_name;
using uploader::issues::judge_event;

TEST(IssuesSymbolication, MinifiedFileNames) {
  EXPECT_TRUE(is_minified_file_name("/assets/index-4f3a2b1c.js"));
  EXPECT_TRUE(
      is_minified_file_name("https://x.test/static/js/main.8a1b2c3d.js?v=1"));
  EXPECT_TRUE(is_minified_file_name("vendor.min.js"));
  EXPECT_TRUE(is_minified_file_name("index-rJfmT7nG.js"));
  EXPECT_FALSE(is_minified_file_name("src/checkout.js"));
  EXPECT_FALSE(is_minified_file_name("src/date-picker.tsx"));
  EXPECT_FALSE(is_minified_file_name("lib/app.module.js"));
}

TEST(IssuesSymbolication, SdkShapeFrames) {
  auto verdict = judge_event(R"J({"event_id":"e1","exception":{"values":[
    {"stacktrace":{"frames":[
      {"filename":"/assets/vendor-1a2b3c4d.js","lineno":1,"colno":5000,
       "in_app":false},
      {"filename":"src/checkout.js","lineno":8,"colno":5,"in_app":true,
       "data":{"sourcemap":"https://x.test/a.js.map"}},
      {"filename":"src/cart.js","lineno":3,"colno":1,"in_app":true,
       "context_line":"x()"}]}}]}})J",
                             "event");
  EXPECT_TRUE(verdict.symbolicated);
  EXPECT_EQ(verdict.event_id, "e1");
  ASSERT_EQ(verdict.frames.size(), 2u); // the vendor frame is not in app
  EXPECT_EQ(verdict.frames[0].reason, "resolved with https://x.test/a.js.map");
  EXPECT_EQ(verdict.frames[1].reason, "original source with context");
}

TEST(IssuesSymbolication, ApiShapeFramesAndMinifiedOnes) {
  auto verdict = judge_event(R"J({"eventID":"e2","entries":[{"type":"exception",
    "data":{"values":[{"stacktrace":{"frames":[
      {"filename":"/assets/app.js","absPath":"https://x.test/assets/app.js",
       "lineNo":1,"colNo":14231,"inApp":true,"context":[]},
      {"filename":"src/ok.js","lineNo":2,"colNo":3,"inApp":true,
       "context":[[2,"ok()"]],"mapUrl":"https://x.test/app.js.map"},
      {"filename":"src/bare.js","lineNo":2,"colNo":3,"inApp":true,
       "context":[]}]}}]}}]})J",
                             "event");
  EXPECT_FALSE(verdict.symbolicated);
  ASSERT_EQ(verdict.frames.size(), 3u);
  EXPECT_EQ(verdict.frames[0].location, "/assets/app.js:1:14231");
  EXPECT_EQ(verdict.frames[0].reason,
            "line 1, column 14231 is a position in minified code");
  EXPECT_TRUE(verdict.frames[1].symbolicated);
  EXPECT_EQ(verdict.frames[2].reason,
            "no source context and no data.sourcemap");
}

TEST(IssuesSymbolication, NoFramesIsNothingToJudge) {
  auto verdict = judge_event(R"J({"eventID":"e3","entries":[]})J", "event");
  EXPECT_TRUE(verdict.symbolicated);
  EXPECT_TRUE(verdict.frames.empty());
  EXPECT_THROW(judge_event("[]", "event"), uploader::Error);
}
