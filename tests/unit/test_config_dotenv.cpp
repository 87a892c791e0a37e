#include "uploader/config/dotenv.hpp"
#include "uploader/config/ini.hpp"

#include <gtest/gtest.h>

using uploader::config::parse_dotenv;
using uploader::config::parse_ini;
using Entries = std::vector<std::pair<std::string, std::string>>;

TEST(ConfigDotenv, ReadsTheFormsTheViteExampleUses) {
  auto entries = parse_dotenv("# Sentry\n"
                              "SENTRY_AUTH_TOKEN=sntrys_abc\n"
                              "export SENTRY_ORG = acme \n"
                              "SENTRY_PROJECT=\"web\"\n"
                              "SENTRY_URL='https://s.example.com/'\r\n"
                              "SENTRY_RELEASE=1.0 # trailing comment\n"
                              "not an assignment\n"
                              "EMPTY=\n");
  EXPECT_EQ(entries, (Entries{{"SENTRY_AUTH_TOKEN", "sntrys_abc"},
                              {"SENTRY_ORG", "acme"},
                              {"SENTRY_PROJECT", "web"},
                              {"SENTRY_URL", "https://s.example.com/"},
                              {"SENTRY_RELEASE", "1.0"},
                              {"EMPTY", ""}}));
}

TEST(ConfigDotenv, QuotedValuesKeepHashesAndSpanLines) {
  auto entries =
      parse_dotenv("A=\"x # y\"\nB=\"line1\\nline2\"\nC='a\nb'\nD=1\n");
  EXPECT_EQ(
      entries,
      (Entries{
          {"A", "x # y"}, {"B", "line1\nline2"}, {"C", "a\nb"}, {"D", "1"}}));
}

TEST(ConfigIni, ReadsSectionsAndSkipsComments) {
  auto values = parse_ini("[defaults]\nurl = https://x/\n; c\n# c\norg=acme\n"
                          "[auth]\ntoken = t\n");
  EXPECT_EQ(values.at("defaults.url"), "https://x/");
  EXPECT_EQ(values.at("defaults.org"), "acme");
  EXPECT_EQ(values.at("auth.token"), "t");
  EXPECT_EQ(values.size(), 3u);
}
