#pragma once

#include "uploader/cli/args.hpp"
#include "uploader/config/config.hpp"
#include "uploader/http/api.hpp"
#include "uploader/http/client.hpp"

#include <optional>
#include <string>

namespace uploader::cli {

// The read token (`SENTRY_READ_TOKEN`): from the environment, else from the
// env file (--env-file, default .env.sentry-build-plugin). Never the upload
// token. Returns nullopt when neither has it.
std::optional<config::Setting> find_read_token(const config::ConfigInputs &in);

// What a read-only command (issues, resolve --from-server) needs: the
// configuration, one organization and project, and a client that sends
// `token`. Throws ConfigError when the organization or project is missing.
class ReadSession {
public:
  ReadSession(const ParsedArgs &args, const config::Setting &token);

  const config::Config &config() const { return m_config; }
  const std::string &org() const { return m_config.org->value; }
  const std::string &project() const { return m_config.projects.front().value; }
  http::Api &api() { return *m_api; }

private:
  config::Config m_config;
  std::optional<http::Client> m_client;
  std::optional<http::Api> m_api;
};

} // namespace uploader::cli
