#include "uploader/config/auth_token.hpp"

#include <gtest/gtest.h>

using uploader::config::decode_org_token;

// The example from sentry-cli's tests (protocol doc §3.3).
constexpr const char *k_token =
    "sntrys_eyJpYXQiOjE3MDQyMDU4MDIuMTk5NzQzLCJ1cmwiOiJodHRwOi8vbG9jYWxob3N0Oj"
    "gwMDAiLCJyZWdpb25fdXJsIjoiaHR0cDovL2xvY2FsaG9zdDo4MDAwIiwib3JnIjoic2VudHJ5"
    "In0=_lQ5ETt61cHhvJa35fxvxARsDXeVrd0pu4/smF4sRieA";

TEST(ConfigAuthToken, DecodesOrgAndUrl) {
  auto payload = decode_org_token(k_token);
  ASSERT_TRUE(payload);
  EXPECT_EQ(payload->org, "sentry");
  EXPECT_EQ(payload->url, "http://localhost:8000");
}

TEST(ConfigAuthToken, OtherTokensAreNotOrgTokens) {
  EXPECT_FALSE(decode_org_token("sntryu_" + std::string(64, 'a')));
  EXPECT_FALSE(decode_org_token("plain"));
  std::string extra_part = std::string(k_token) + "_x";
  EXPECT_FALSE(decode_org_token(extra_part));
  std::string short_secret(k_token);
  short_secret.pop_back();
  EXPECT_FALSE(decode_org_token(short_secret));
}

TEST(ConfigAuthToken, NullUrlIsEmpty) {
  // {"iat":1,"url":null,"org":"acme"}
  std::string token = "sntrys_eyJpYXQiOjEsInVybCI6bnVsbCwib3JnIjoiYWNtZSJ9_"
                      "lQ5ETt61cHhvJa35fxvxARsDXeVrd0pu4/smF4sRieA";
  auto payload = decode_org_token(token);
  ASSERT_TRUE(payload);
  EXPECT_EQ(payload->org, "acme");
  EXPECT_EQ(payload->url, "");
}
