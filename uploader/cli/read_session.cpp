#include "uploader/cli/read_session.hpp"

#include "uploader/cli/options_common.hpp"
#include "uploader/config/dotenv.hpp"
#include "uploader/util/error.hpp"
#include "uploader/util/fs.hpp"
#include "uploader/util/log.hpp"
#include "uploader/util/redact.hpp"

namespace uploader::cli {

std::optional<config::Setting>
find_read_token(const config::ConfigInputs &inputs) {
  if (auto value = inputs.getenv("SENTRY_READ_TOKEN");
      value && !value->empty()) {
    return config::Setting{*value, "SENTRY_READ_TOKEN"};
  }
  std::filesystem::path path =
      inputs.flags.env_file.value_or(config::k_default_env_file);
  if (path.is_relative()) {
    path = inputs.cwd / path;
  }
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    return std::nullopt;
  }
  std::optional<config::Setting> found;
  for (auto &[key, value] : config::parse_dotenv(util::read_file(path))) {
    if (key == "SENTRY_READ_TOKEN" && !value.empty()) {
      found = config::Setting{value, "SENTRY_READ_TOKEN in " +
                                         path.filename().string()};
    }
  }
  return found;
}

ReadSession::ReadSession(const ParsedArgs &args, const config::Setting &token) {
  util::register_secret(token.value);
  config::ConfigInputs inputs = config_inputs(args);
  m_config = load_command_config(args, inputs);
  require_org(m_config);
  if (m_config.projects.size() != 1) {
    require_project(m_config);
    throw ConfigError("give one project, not " +
                      std::to_string(m_config.projects.size()));
  }
  NetworkSettings network = network_settings(args, inputs.getenv);
  network.client.auth_token = token.value;
  m_client.emplace(std::move(network.client));
  m_api.emplace(*m_client, m_config.url.value, network.retry,
                [](std::string_view line) { util::log_warn(line); });
}

} // namespace uploader::cli
