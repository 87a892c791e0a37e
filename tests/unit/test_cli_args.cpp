#include "uploader/cli/args.hpp"
#include "uploader/util/error.hpp"

#include <gtest/gtest.h>

#include <array>

using uploader::UsageError;
using uploader::cli::Arity;
using uploader::cli::OptionSpec;
using uploader::cli::parse_args;

namespace {

constexpr std::array k_specs{
    OptionSpec{"release", 'r', Arity::value, "NAME", "Release"},
    OptionSpec{"ext", 'x', Arity::repeated, "EXT", "Extension"},
    OptionSpec{"dry-run", 0, Arity::flag, "", "Dry run"},
};

uploader::cli::ParsedArgs parse(std::vector<std::string> args) {
  return parse_args(args, k_specs, "test");
}

} // namespace

TEST(CliArgs, AcceptsLongShortAndInlineValues) {
  auto parsed = parse(
      {"--release", "a", "-x", "js", "--ext=map", "-xmjs", "dir", "--dry-run"});
  EXPECT_EQ(parsed.value("release"), "a");
  EXPECT_EQ(parsed.values("ext"),
            (std::vector<std::string>{"js", "map", "mjs"}));
  EXPECT_TRUE(parsed.has("dry-run"));
  EXPECT_EQ(parsed.positionals, std::vector<std::string>{"dir"});
}

TEST(CliArgs, LastValueWinsAndDoubleDashEndsOptions) {
  auto parsed = parse({"-r", "one", "-r=two", "--", "--dry-run", "-"});
  EXPECT_EQ(parsed.value("release"), "two");
  EXPECT_FALSE(parsed.has("dry-run"));
  EXPECT_EQ(parsed.positionals, (std::vector<std::string>{"--dry-run", "-"}));
}

TEST(CliArgs, UnknownOptionNamesWhatIsAccepted) {
  try {
    parse({"--relase", "x"});
    FAIL() << "expected UsageError";
  } catch (const UsageError &error) {
    std::string message = error.what();
    EXPECT_NE(message.find("unknown option '--relase' for 'test'"),
              std::string::npos)
        << message;
    EXPECT_NE(message.find("accepted: --release, --ext, --dry-run"),
              std::string::npos)
        << message;
  }
}

TEST(CliArgs, MissingValueSaysWhatToWrite) {
  try {
    parse({"--release"});
    FAIL() << "expected UsageError";
  } catch (const UsageError &error) {
    EXPECT_STREQ(error.what(),
                 "option '--release' needs a value: --release NAME");
  }
}

TEST(CliArgs, FlagRejectsInlineValue) {
  EXPECT_THROW(parse({"--dry-run=yes"}), UsageError);
}

TEST(CliArgs, FormatsAlignedHelp) {
  std::string help = uploader::cli::format_options(k_specs);
  EXPECT_EQ(help, "  -r, --release NAME  Release\n"
                  "  -x, --ext EXT       Extension (repeatable)\n"
                  "      --dry-run       Dry run\n");
}
