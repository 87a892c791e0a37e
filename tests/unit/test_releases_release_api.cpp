#include "uploader/releases/release_api.hpp"

#include <gtest/gtest.h>

using namespace uploader::releases;
using nlohmann::json;

namespace {

TimePoint at_seconds(long long seconds) {
  return TimePoint{std::chrono::seconds{seconds}};
}

} // namespace

TEST(ReleasesReleaseApi, NumericProjectsAreSentAsNumbers) {
  EXPECT_EQ(projects_json({"web", "1002", "0", "9223372036854775807"}),
            json::parse(R"(["web", 1002, 0, 9223372036854775807])"));
  // Not digits only, or beyond i64: stays a string, as in sentry-cli.
  EXPECT_EQ(projects_json(
                {"-1", "+1", "1e3", " 1", "12a", "", "9223372036854775808"}),
            json::parse(R"(["-1", "+1", "1e3", " 1", "12a", "",
                            "9223372036854775808"])"));
  EXPECT_EQ(projects_json({}), json::array());
}

TEST(ReleasesReleaseApi, NewReleaseBody) {
  NewRelease release;
  release.version = "app@1.0";
  release.projects = {"web", "1002"};
  EXPECT_EQ(new_release_json(release),
            json::parse(R"({"version":"app@1.0","projects":["web",1002]})"));
  release.url = "https://example.invalid/r";
  release.date_started = at_seconds(1700000000);
  release.date_released = at_seconds(1700000001);
  EXPECT_EQ(new_release_json(release), json::parse(R"({
    "version":"app@1.0","projects":["web",1002],
    "url":"https://example.invalid/r",
    "dateStarted":"2023-11-14T22:13:20Z","dateReleased":"2023-11-14T22:13:21Z"
  })"));
}

TEST(ReleasesReleaseApi, FinalizeBody) {
  EXPECT_EQ(finalize_json({}, std::nullopt, at_seconds(1700000000)),
            json::parse(R"({"dateReleased":"2023-11-14T22:13:20Z"})"));
  EXPECT_EQ(finalize_json({"web", "1002"}, "https://u.invalid", at_seconds(0)),
            json::parse(R"({"projects":["web","1002"],"url":"https://u.invalid",
                            "dateReleased":"1970-01-01T00:00:00Z"})"));
}

TEST(ReleasesReleaseApi, RefsBody) {
  EXPECT_EQ(refs_json({}), json::parse(R"({"refs":[]})"));
  EXPECT_EQ(refs_json({{"acme/web", "def", "abc"},
                       {"acme/web", "fff", std::nullopt}}),
            json::parse(R"({"refs":[
              {"repository":"acme/web","commit":"def","previousCommit":"abc"},
              {"repository":"acme/web","commit":"fff","previousCommit":null}
            ]})"));
}

TEST(ReleasesReleaseApi, DeployBodySendsUnsetValuesAsNull) {
  NewDeploy deploy;
  deploy.environment = "production";
  EXPECT_EQ(deploy_json(deploy), json::parse(R"({"environment":"production",
    "name":null,"url":null,"dateStarted":null,"dateFinished":null})"));
  deploy.name = "d1";
  deploy.url = "https://d.invalid";
  deploy.date_started = at_seconds(1700000000);
  deploy.date_finished = at_seconds(1700000060);
  deploy.projects = {"web", "1002"};
  EXPECT_EQ(deploy_json(deploy), json::parse(R"({"environment":"production",
    "name":"d1","url":"https://d.invalid",
    "dateStarted":"2023-11-14T22:13:20Z","dateFinished":"2023-11-14T22:14:20Z",
    "projects":["web",1002]})"));
}
