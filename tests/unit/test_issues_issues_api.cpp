#include "uploader/http/paging.hpp"
#include "uploader/issues/issues_api.hpp"

#include <gtest/gtest.h>

using uploader::http::next_cursor;

namespace {

uploader::http::Response with_link(std::string link) {
  uploader::http::Response response;
  response.status = 200;
  response.headers.emplace_back("link", std::move(link));
  return response;
}

} // namespace

// Issue lists page with Sentry's Link header, links joined by ", ".
TEST(IssuesIssuesApi, NextCursorReadsSentrysLinkHeader) {
  auto response = with_link(
      R"(<https://s.test/api/0/projects/a/w/issues/?cursor=0:0:1>; )"
      R"(rel="previous"; results="false"; cursor="0:0:1", )"
      R"(<https://s.test/api/0/projects/a/w/issues/?cursor=0:100:0>; )"
      R"(rel="next"; results="true"; cursor="0:100:0")");
  EXPECT_EQ(next_cursor(response), "0:100:0");
}

TEST(IssuesIssuesApi, NoNextPageWithoutResults) {
  auto response =
      with_link(R"(<u>; rel="previous"; results="true"; cursor="0:0:1", )"
                R"(<u>; rel="next"; results="false"; cursor="0:200:0")");
  EXPECT_EQ(next_cursor(response), std::nullopt);
  EXPECT_EQ(next_cursor(uploader::http::Response{}), std::nullopt);
}
