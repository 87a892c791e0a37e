#include "uploader/cli/cli.hpp"
#include "uploader/version.hpp"

#include <gtest/gtest.h>

using uploader::cli::run;

TEST(Cli, VersionPrintsProgramAndVersion) {
  testing::internal::CaptureStdout();
  EXPECT_EQ(run({"--version"}), 0);
  EXPECT_EQ(testing::internal::GetCapturedStdout(),
            std::string("sentry-sourcemaps ") + uploader::k_version + "\n");
}

TEST(Cli, UnknownCommandExitsTwoAndListsCommands) {
  testing::internal::CaptureStderr();
  EXPECT_EQ(run({"uplaod"}), 2);
  std::string err = testing::internal::GetCapturedStderr();
  EXPECT_NE(err.find("error: unknown command 'uplaod'; accepted: "),
            std::string::npos)
      << err;
}

TEST(Cli, NoArgumentsIsAUsageError) {
  testing::internal::CaptureStderr();
  EXPECT_EQ(run(std::vector<std::string>{}), 2);
  EXPECT_NE(testing::internal::GetCapturedStderr().find("Usage:"),
            std::string::npos);
}
