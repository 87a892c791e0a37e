#include "uploader/config/config.hpp"
#include "uploader/util/error.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <map>

#include "test_helpers.hpp"

namespace fs = std::filesystem;
using namespace uploader::config;
using uploader::ConfigError;

namespace {

class ConfigLoad : public testing::Test {
protected:
  void SetUp() override {
    m_root = fs::temp_directory_path() /
             ("ssm-config-" + test_helpers::process_id() + "-" +
              testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(m_root);
    fs::create_directories(m_root / "home");
    fs::create_directories(m_root / "repo/app/web");
  }
  void TearDown() override {
    if (!HasFailure()) {
      fs::remove_all(m_root);
    }
  }

  void write(const fs::path &relative, const std::string &text) {
    std::ofstream(m_root / relative) << text;
  }

  Config load(FlagValues flags = {}) {
    ConfigInputs inputs;
    inputs.flags = std::move(flags);
    inputs.getenv =
        [this](const std::string &key) -> std::optional<std::string> {
      auto it = m_env.find(key);
      return it == m_env.end() ? std::nullopt
                               : std::optional<std::string>(it->second);
    };
    inputs.cwd = m_root / "repo/app/web";
    inputs.home = m_root / "home";
    return load_config(inputs);
  }

  std::string error_of(FlagValues flags = {}) {
    try {
      load(std::move(flags));
    } catch (const ConfigError &error) {
      return error.what();
    }
    return "(no error)";
  }

  fs::path m_root;
  std::map<std::string, std::string> m_env;
};

} // namespace

TEST_F(ConfigLoad, DefaultsWhenNothingIsConfigured) {
  Config config = load();
  EXPECT_EQ(config.url.value, "https://sentry.io/");
  EXPECT_FALSE(config.auth_token);
  EXPECT_FALSE(config.org);
  EXPECT_TRUE(config.projects.empty());
}

TEST_F(ConfigLoad, FlagsBeatEnvBeatEnvFileBeatProjectIniBeatHomeIni) {
  write("home/.sentryclirc",
        "[defaults]\norg=home-org\nproject=home-proj\nurl=https://home/\n"
        "[auth]\ntoken=home-token\n");
  write("repo/.sentryclirc", "[defaults]\norg=repo-org\nproject=repo-proj\n");
  write("repo/app/web/.env.sentry-build-plugin",
        "SENTRY_ORG=file-org\nSENTRY_AUTH_TOKEN=file-token\n");
  m_env["SENTRY_ORG"] = "env-org";

  Config config = load();
  EXPECT_EQ(config.org->value, "env-org");
  EXPECT_EQ(config.org->source, "SENTRY_ORG");
  EXPECT_EQ(config.auth_token->value, "file-token");
  EXPECT_EQ(config.auth_token->source,
            "SENTRY_AUTH_TOKEN in .env.sentry-build-plugin");
  EXPECT_EQ(config.projects.at(0).value, "repo-proj");
  EXPECT_EQ(config.url.value, "https://home/");

  FlagValues flags;
  flags.org = "flag-org";
  EXPECT_EQ(load(flags).org->value, "flag-org");
}

TEST_F(ConfigLoad, ExplicitEnvFileMustExist) {
  FlagValues flags;
  flags.env_file = "missing.env";
  EXPECT_EQ(error_of(flags),
            "env file 'missing.env' (from --env-file) does not exist; create "
            "it or drop --env-file");
}

TEST_F(ConfigLoad, SlugWithStrayWhitespaceNamesItsSource) {
  write("repo/app/web/.env.sentry-build-plugin", "SENTRY_PROJECT=\"web \"\n");
  EXPECT_EQ(error_of(),
            "project 'web ' (from SENTRY_PROJECT in .env.sentry-build-plugin) "
            "has leading or trailing whitespace; remove it (did you mean "
            "'web'?)");
}

TEST_F(ConfigLoad, EmptyOrgIsAnError) {
  m_env["SENTRY_ORG"] = "";
  EXPECT_EQ(error_of(), "organization is empty (from SENTRY_ORG); set it to "
                        "the slug shown in Sentry's URL");
}

TEST_F(ConfigLoad, DistWithoutReleaseIsAUsageError) {
  m_env["SENTRY_DIST"] = "web";
  EXPECT_NE(error_of().find("dist 'web' (from SENTRY_DIST) needs a release"),
            std::string::npos);
}

TEST_F(ConfigLoad, ProjectsAreDeduplicatedInOrder) {
  FlagValues flags;
  flags.projects = {"web", "api", "web"};
  Config config = load(flags);
  ASSERT_EQ(config.projects.size(), 2u);
  EXPECT_EQ(config.projects[0].value, "web");
  EXPECT_EQ(config.projects[1].value, "api");
}

TEST_F(ConfigLoad, OrgTokenSuppliesOrgAndUrlAndWarnsOnConflict) {
  m_env["SENTRY_AUTH_TOKEN"] =
      "sntrys_eyJpYXQiOjE3MDQyMDU4MDIuMTk5NzQzLCJ1cmwiOiJodHRwOi8vbG9jYWxob3N0"
      "OjgwMDAiLCJyZWdpb25fdXJsIjoiaHR0cDovL2xvY2FsaG9zdDo4MDAwIiwib3JnIjoic2Vu"
      "dHJ5In0=_lQ5ETt61cHhvJa35fxvxARsDXeVrd0pu4/smF4sRieA";
  m_env["SENTRY_ORG"] = "other";
  Config config = load();
  EXPECT_EQ(config.org->value, "sentry");
  EXPECT_EQ(config.url.value, "http://localhost:8000/");
  ASSERT_EQ(config.warnings.size(), 1u);
  EXPECT_NE(config.warnings[0].find("belongs to organization 'sentry'"),
            std::string::npos);
  EXPECT_EQ(config.warnings[0].find("sntrys_"), std::string::npos);
}

TEST(ConfigValidate, UrlMustBeAtTheRoot) {
  EXPECT_EQ(normalize_base_url({"https://sentry.example.com", "--url"}),
            "https://sentry.example.com/");
  EXPECT_THROW(normalize_base_url({"https://host/sentry/", "--url"}),
               ConfigError);
  EXPECT_THROW(normalize_base_url({"sentry.io", "--url"}), ConfigError);
}

TEST(ConfigValidate, ReleaseRules) {
  EXPECT_NO_THROW(validate_release({"my-app@1.2.3+build", "--release"}));
  for (std::string bad : {"", " 1.0", "a/b", "latest", "..", "a\tb"}) {
    EXPECT_THROW(validate_release({bad, "--release"}), ConfigError) << bad;
  }
}
