#pragma once

#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace uploader::cli {

enum class Arity { flag, value, repeated };

// One command-line option of a subcommand. `short_name` is 0 when there is
// none. `value_name` is shown in help, e.g. "DIR".
struct OptionSpec {
  std::string_view long_name;
  char short_name;
  Arity arity;
  std::string_view value_name;
  std::string_view help;
};

// The result of parsing: positional arguments in order, and every option
// seen, keyed by its long name, with its values in command-line order.
class ParsedArgs {
public:
  std::vector<std::string> positionals;

  bool has(std::string_view long_name) const;
  // Returns the last value given for `long_name`, if any.
  std::optional<std::string> value(std::string_view long_name) const;
  // Returns all values given for `long_name`, in order.
  std::vector<std::string> values(std::string_view long_name) const;

  void add(std::string_view long_name, std::string value);

private:
  std::map<std::string, std::vector<std::string>, std::less<>> m_values;
};

// Parses `args` (without the program and subcommand names) against `specs`.
// Accepts `--name value`, `--name=value`, `-x value`, `-xvalue` and `--` to
// end options. Throws UsageError naming the accepted options of `command`
// on anything unknown or a missing value.
ParsedArgs parse_args(std::span<const std::string> args,
                      std::span<const OptionSpec> specs,
                      std::string_view command);

// Returns the option table of `specs` as aligned help lines.
std::string format_options(std::span<const OptionSpec> specs);

} // namespace uploader::cli
