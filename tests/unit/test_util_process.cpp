#include "uploader/util/process.hpp"

#include <gtest/gtest.h>

using uploader::util::capture_output;

// The commands differ: Windows has no printf or sh, but cmd.exe, whose echo
// shows the quotes CreateProcessW's command line put around "a b".
#if defined(_WIN32)
TEST(UtilProcess, ReturnsStandardOutputOnSuccess) {
  EXPECT_EQ(capture_output({"cmd", "/c", "echo", "a b", "c"}), "\"a b\" c\r\n");
}

TEST(UtilProcess, NulloptOnFailureOrMissingProgram) {
  EXPECT_FALSE(capture_output({"cmd", "/c", "echo partial& exit 3"}));
  EXPECT_FALSE(capture_output({"no-such-program-for-sentry-sourcemaps"}));
  EXPECT_FALSE(capture_output({}));
}

TEST(UtilProcess, StderrIsDiscarded) {
  EXPECT_EQ(capture_output({"cmd", "/c", "echo out& echo err 1>&2"}),
            "out\r\n");
}
#else
TEST(UtilProcess, ReturnsStandardOutputOnSuccess) {
  EXPECT_EQ(capture_output({"printf", "%s|%s", "a b", "c"}), "a b|c");
}

TEST(UtilProcess, NulloptOnFailureOrMissingProgram) {
  EXPECT_FALSE(capture_output({"false"}));
  EXPECT_FALSE(capture_output({"sh", "-c", "echo partial; exit 3"}));
  EXPECT_FALSE(capture_output({"no-such-program-for-sentry-sourcemaps"}));
  EXPECT_FALSE(capture_output({}));
}

TEST(UtilProcess, StderrIsDiscarded) {
  EXPECT_EQ(capture_output({"sh", "-c", "echo out; echo err >&2"}), "out\n");
}
#endif
