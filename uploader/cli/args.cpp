#include "uploader/cli/args.hpp"

#include "uploader/util/error.hpp"

#include <algorithm>

namespace uploader::cli {

bool ParsedArgs::has(std::string_view long_name) const {
  return m_values.find(long_name) != m_values.end();
}

std::optional<std::string> ParsedArgs::value(std::string_view long_name) const {
  auto it = m_values.find(long_name);
  if (it == m_values.end() || it->second.empty()) {
    return std::nullopt;
  }
  return it->second.back();
}

std::vector<std::string> ParsedArgs::values(std::string_view long_name) const {
  auto it = m_values.find(long_name);
  return it == m_values.end() ? std::vector<std::string>{} : it->second;
}

void ParsedArgs::add(std::string_view long_name, std::string value) {
  auto it = m_values.find(long_name);
  if (it == m_values.end()) {
    it = m_values.emplace(std::string(long_name), std::vector<std::string>{})
             .first;
  }
  it->second.push_back(std::move(value));
}

namespace {

std::string accepted_list(std::span<const OptionSpec> specs) {
  std::string list;
  for (const auto &spec : specs) {
    list += list.empty() ? "" : ", ";
    list += "--";
    list += spec.long_name;
  }
  return list;
}

[[noreturn]] void unknown_option(std::string_view option,
                                 std::span<const OptionSpec> specs,
                                 std::string_view command) {
  throw UsageError(
      "unknown option '" + std::string(option) + "' for '" +
      std::string(command) + "'; accepted: " + accepted_list(specs) +
      " (see 'sentry-sourcemaps " + std::string(command) + " --help')");
}

const OptionSpec *find_long(std::span<const OptionSpec> specs,
                            std::string_view name) {
  auto it = std::ranges::find(specs, name, &OptionSpec::long_name);
  return it == specs.end() ? nullptr : &*it;
}

const OptionSpec *find_short(std::span<const OptionSpec> specs, char name) {
  auto it = std::ranges::find(specs, name, &OptionSpec::short_name);
  return it == specs.end() || name == 0 ? nullptr : &*it;
}

} // namespace

ParsedArgs parse_args(std::span<const std::string> args,
                      std::span<const OptionSpec> specs,
                      std::string_view command) {
  ParsedArgs parsed;
  bool options_ended = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string &arg = args[i];
    if (options_ended || arg.size() < 2 || arg[0] != '-') {
      parsed.positionals.push_back(arg);
      continue;
    }
    if (arg == "--") {
      options_ended = true;
      continue;
    }
    const OptionSpec *spec = nullptr;
    std::optional<std::string> inline_value;
    if (arg[1] == '-') {
      std::string_view body = std::string_view(arg).substr(2);
      auto eq = body.find('=');
      spec = find_long(specs, body.substr(0, eq));
      if (eq != std::string_view::npos) {
        inline_value = std::string(body.substr(eq + 1));
      }
    } else {
      spec = find_short(specs, arg[1]);
      if (arg.size() > 2) {
        inline_value = arg.substr(arg[2] == '=' ? 3 : 2);
      }
    }
    if (spec == nullptr) {
      unknown_option(arg, specs, command);
    }
    if (spec->arity == Arity::flag) {
      if (inline_value) {
        throw UsageError("option '--" + std::string(spec->long_name) +
                         "' takes no value");
      }
      parsed.add(spec->long_name, "");
      continue;
    }
    if (!inline_value) {
      if (i + 1 >= args.size()) {
        throw UsageError("option '--" + std::string(spec->long_name) +
                         "' needs a value: --" + std::string(spec->long_name) +
                         " " + std::string(spec->value_name));
      }
      inline_value = args[++i];
    }
    parsed.add(spec->long_name, std::move(*inline_value));
  }
  return parsed;
}

std::string format_options(std::span<const OptionSpec> specs) {
  std::vector<std::string> heads;
  size_t width = 0;
  for (const auto &spec : specs) {
    std::string head = spec.short_name != 0
                           ? std::string("-") + spec.short_name + ", --"
                           : std::string("    --");
    head += spec.long_name;
    if (spec.arity != Arity::flag) {
      head += " ";
      head += spec.value_name;
    }
    width = std::max(width, head.size());
    heads.push_back(std::move(head));
  }
  std::string out;
  for (size_t i = 0; i < specs.size(); ++i) {
    out += "  " + heads[i] + std::string(width - heads[i].size() + 2, ' ');
    out += specs[i].help;
    if (specs[i].arity == Arity::repeated) {
      out += " (repeatable)";
    }
    out += "\n";
  }
  return out;
}

} // namespace uploader::cli
