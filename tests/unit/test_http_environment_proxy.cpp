#include "uploader/http/environment_proxy.hpp"

#include <gtest/gtest.h>

#include <map>

using uploader::http::environment_proxy;

namespace {

uploader::util::EnvGetter environment(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](
             const std::string &name) -> std::optional<std::string> {
    auto found = vars.find(name);
    return found == vars.end() ? std::nullopt
                               : std::optional<std::string>(found->second);
  };
}

} // namespace

TEST(HttpEnvironmentProxy, NoneWhenNothingIsSet) {
  EXPECT_FALSE(environment_proxy(environment({}), true));
  EXPECT_FALSE(environment_proxy(environment({{"https_proxy", ""}}), true));
}

TEST(HttpEnvironmentProxy, ChoosesTheVariableCurlWouldForTheScheme) {
  auto env = environment({{"https_proxy", "http://secure:3128"},
                          {"http_proxy", "http://plain:8080"},
                          {"all_proxy", "http://any:1"}});
  EXPECT_EQ(environment_proxy(env, true)->server, "secure:3128");
  EXPECT_EQ(environment_proxy(env, false)->server, "plain:8080");
  EXPECT_EQ(
      environment_proxy(environment({{"HTTPS_PROXY", "up:1"}}), true)->server,
      "up:1");
  // HTTP_PROXY is never read (a CGI server sets it from a request header).
  EXPECT_EQ(environment_proxy(
                environment({{"HTTP_PROXY", "evil:1"}, {"ALL_PROXY", "any:2"}}),
                false)
                ->server,
            "any:2");
}

TEST(HttpEnvironmentProxy, SplitsDecodedCredentialsFromTheServer) {
  auto proxy = environment_proxy(
      environment({{"https_proxy", "http://us%40r:p%3Ass@proxy.corp:3128/"}}),
      true);
  ASSERT_TRUE(proxy);
  EXPECT_EQ(proxy->server, "proxy.corp:3128");
  EXPECT_EQ(proxy->user, "us@r");
  EXPECT_EQ(proxy->password, "p:ss");
  auto user_only =
      environment_proxy(environment({{"https_proxy", "alice@proxy:1"}}), true);
  EXPECT_EQ(user_only->user, "alice");
  EXPECT_EQ(user_only->password, "");
}

TEST(HttpEnvironmentProxy, NoProxyHostsCoverTheirSubdomains) {
  auto proxy = environment_proxy(
      environment({{"https_proxy", "proxy:1"},
                   {"no_proxy", " localhost, .corp.example ,,"}}),
      true);
  EXPECT_EQ(proxy->bypass, "localhost;*.localhost;corp.example;*.corp.example");
  auto upper = environment_proxy(
      environment({{"https_proxy", "proxy:1"}, {"NO_PROXY", "a"}}), true);
  EXPECT_EQ(upper->bypass, "a;*.a");
}
