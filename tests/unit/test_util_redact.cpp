#include "uploader/util/redact.hpp"

#include <gtest/gtest.h>

#include <string>

using uploader::util::redact;
using uploader::util::register_secret;

TEST(UtilRedact, MasksSentryTokensAndBearerValues) {
  EXPECT_EQ(redact("token sntrys_eyJ0=_abc/def+g end"), "token [REDACTED] end");
  EXPECT_EQ(redact("sntryu_0123abcd"), "[REDACTED]");
  EXPECT_EQ(redact("used bearer abc.def-1 here"),
            "used bearer [REDACTED] here");
}

TEST(UtilRedact, MasksAuthorizationHeadersOfAnyScheme) {
  EXPECT_EQ(redact("> Authorization: Bearer abc"),
            "> Authorization: [REDACTED]");
  EXPECT_EQ(redact("> authorization: Basic dXNlcjpwYXNz\r\n> Host: x"),
            "> authorization: [REDACTED]\r\n> Host: x");
  EXPECT_EQ(redact("Proxy-Authorization: Basic abc"),
            "Proxy-Authorization: [REDACTED]");
  EXPECT_EQ(redact("Authorization:"), "Authorization:");
}

TEST(UtilRedact, MasksCredentialsInUrls) {
  EXPECT_EQ(redact("via http://user:pass@proxy:3128/ now"),
            "via http://[REDACTED]@proxy:3128/ now");
  EXPECT_EQ(redact("GET https://s.example/api/0/?token=abc&x=1#f"),
            "GET https://s.example/api/0/?token=[REDACTED]&x=1#f");
  EXPECT_EQ(redact("https://h/p?a=1&sentry_key=k1&auth_token=t2"),
            "https://h/p?a=1&sentry_key=[REDACTED]&auth_token=[REDACTED]");
  // Not a parameter: ordinary words stay.
  EXPECT_EQ(redact("the token=value in prose"), "the token=value in prose");
  EXPECT_EQ(redact("mail me at a@b.example"), "mail me at a@b.example");
}

TEST(UtilRedact, MasksRegisteredSecretsAlsoPercentEncoded) {
  register_secret("plain-secret+/=value");
  EXPECT_EQ(redact("x plain-secret+/=value y"), "x [REDACTED] y");
  EXPECT_EQ(redact("q=plain-secret%2B%2F%3Dvalue"), "q=[REDACTED]");
  register_secret("short"); // too short to be a token: ignored
  EXPECT_EQ(redact("short"), "short");
}

TEST(UtilRedact, IsIdempotent) {
  for (std::string text :
       {"Authorization: Bearer sntrys_abc", "http://u:p@h/?token=t&key=v",
        "bearer [REDACTED]", "Authorization: [REDACTED]"}) {
    std::string once = redact(text);
    EXPECT_EQ(redact(once), once) << text;
  }
}

TEST(UtilRedact, FindsUrlsStartingInsideAnotherAuthority) {
  // Found by fuzz_auth_token: redacting twice used to mask more.
  std::string text = "https://u:ttps://u:p@host.example/";
  EXPECT_EQ(redact(text), "https://u:ttps://[REDACTED]@host.example/");
  EXPECT_EQ(redact(redact(text)), redact(text));
}
