#include "uploader/util/url.hpp"

#include <gtest/gtest.h>

using uploader::util::encode_query_value;

TEST(UtilUrl, EncodesQueryValuesKeepingSentrySearchReadable) {
  EXPECT_EQ(encode_query_value("is:unresolved"), "is:unresolved");
  EXPECT_EQ(encode_query_value("is:unresolved level:error"),
            "is:unresolved%20level:error");
  EXPECT_EQ(encode_query_value("~/assets/a.js"), "~/assets/a.js");
  EXPECT_EQ(encode_query_value("a&b=c#d+e"), "a%26b%3Dc%23d%2Be");
  EXPECT_EQ(encode_query_value("\xc3\xa9"), "%C3%A9");
}
