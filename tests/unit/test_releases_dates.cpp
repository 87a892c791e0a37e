#include "uploader/releases/dates.hpp"

#include <gtest/gtest.h>

using namespace uploader::releases;
using namespace std::chrono;

namespace {

TimePoint at(int y, unsigned m, unsigned d, int h, int mi, int s,
             long long us = 0) {
  return TimePoint{sys_days{year{y} / month{m} / day{d}}} + hours{h} +
         minutes{mi} + seconds{s} + microseconds{us};
}

std::string parsed(std::string_view text) {
  auto when = parse_timestamp(text);
  return when ? format_rfc3339(*when) : "<invalid>";
}

} // namespace

TEST(ReleasesDates, FormatsLikeChronoAutoSi) {
  EXPECT_EQ(format_rfc3339(at(2026, 6, 29, 13, 28, 57, 123456)),
            "2026-06-29T13:28:57.123456Z");
  EXPECT_EQ(format_rfc3339(at(2026, 6, 29, 13, 28, 57, 120000)),
            "2026-06-29T13:28:57.120Z");
  EXPECT_EQ(format_rfc3339(at(2026, 6, 29, 13, 28, 57, 1)),
            "2026-06-29T13:28:57.000001Z");
  EXPECT_EQ(format_rfc3339(at(2023, 11, 14, 22, 13, 20)),
            "2023-11-14T22:13:20Z");
  EXPECT_EQ(format_rfc3339(TimePoint{}), "1970-01-01T00:00:00Z");
  EXPECT_EQ(format_rfc3339(at(1969, 12, 31, 23, 59, 59, 500000)),
            "1969-12-31T23:59:59.500Z");
}

TEST(ReleasesDates, NowHasMicrosecondsAndRoundTrips) {
  TimePoint when = now();
  EXPECT_EQ(parse_timestamp(format_rfc3339(when)), when);
}

TEST(ReleasesDates, ParsesUnixSeconds) {
  EXPECT_EQ(parsed("1700000000"), "2023-11-14T22:13:20Z");
  EXPECT_EQ(parsed("0"), "1970-01-01T00:00:00Z");
  EXPECT_EQ(parsed("-1"), "1969-12-31T23:59:59Z");
}

TEST(ReleasesDates, ParsesRfc3339WithOffsetsAndFractions) {
  EXPECT_EQ(parsed("2023-11-14T22:13:20Z"), "2023-11-14T22:13:20Z");
  EXPECT_EQ(parsed("2023-11-14t22:13:20z"), "2023-11-14T22:13:20Z");
  EXPECT_EQ(parsed("2023-11-14 22:13:20Z"), "2023-11-14T22:13:20Z");
  EXPECT_EQ(parsed("2023-11-14T23:13:20+01:00"), "2023-11-14T22:13:20Z");
  EXPECT_EQ(parsed("2023-11-14T20:43:20-01:30"), "2023-11-14T22:13:20Z");
  EXPECT_EQ(parsed("2023-11-14T22:13:20.5Z"), "2023-11-14T22:13:20.500Z");
  // chrono keeps nanoseconds; we keep microseconds, as the server stores.
  EXPECT_EQ(parsed("2026-11-28T23:27:50.197425031Z"),
            "2026-11-28T23:27:50.197425Z");
  EXPECT_EQ(parsed("2024-02-29T00:00:00Z"), "2024-02-29T00:00:00Z");
}

TEST(ReleasesDates, ParsesRfc2822) {
  EXPECT_EQ(parsed("Tue, 14 Nov 2023 22:13:20 +0000"), "2023-11-14T22:13:20Z");
  EXPECT_EQ(parsed("14 Nov 2023 23:13:20 +0100"), "2023-11-14T22:13:20Z");
  EXPECT_EQ(parsed("Tue, 14 Nov 2023 22:13:20 GMT"), "2023-11-14T22:13:20Z");
  EXPECT_EQ(parsed("Tue, 14 Nov 2023 17:13:20 EST"), "2023-11-14T22:13:20Z");
  EXPECT_EQ(parsed("Tue, 14 Nov 2023 22:13 UT"), "2023-11-14T22:13:00Z");
  EXPECT_EQ(parsed("Tue, 1 Nov 23 22:13:20 -0000"), "2023-11-01T22:13:20Z");
}

TEST(ReleasesDates, RejectsEverythingElse) {
  for (const char *text :
       {"", "now", "2023-11-14", "2023-11-14T22:13:20", "2023-02-30T00:00:00Z",
        "2023-11-14T24:00:00Z", "2023-11-14T22:13:20+0100",
        "2023-11-14T22:13:20.Z", "1.5", "12e3", "1700000000 ",
        "Tue, 14 Foo 2023 22:13:20 +0000", "Tue 14 Nov 2023 22:13:20 +0000",
        "14 Nov 2023 22:13:20 +01", "14 Nov 2023 22:13:20 Mars"}) {
    EXPECT_FALSE(parse_timestamp(text).has_value()) << text;
  }
}
