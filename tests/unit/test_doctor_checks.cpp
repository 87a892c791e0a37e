#include "uploader/doctor/checks.hpp"

#include <gtest/gtest.h>

using namespace uploader::doctor;

using Strings = std::vector<std::string>;

TEST(DoctorChecks, ClosestSlugForgivesWhitespaceCaseAndTypos) {
  Strings known{"web", "api", "web-admin"};
  EXPECT_EQ(closest_slug("web ", known), "web");
  EXPECT_EQ(closest_slug(" Web", known), "web");
  EXPECT_EQ(closest_slug("wbe", known), "web");
  EXPECT_EQ(closest_slug("web-admn", known), "web-admin");
  EXPECT_EQ(closest_slug("web", known), std::nullopt); // known: nothing to say
  EXPECT_EQ(closest_slug("mobile", known), std::nullopt);
  EXPECT_EQ(closest_slug("ap", Strings{"api", "app"}), std::nullopt); // two
}

TEST(DoctorChecks, UploadScopes) {
  EXPECT_EQ(missing_upload_scopes({"project:releases", "org:read"}), Strings{});
  EXPECT_EQ(missing_upload_scopes({"org:ci"}), Strings{});
  EXPECT_EQ(missing_upload_scopes({"project:read"}),
            (Strings{"project:releases", "org:read"}));
  EXPECT_EQ(
      excess_upload_scopes({"project:releases", "org:read", "org:admin",
                            "project:write", "event:admin", "member:read"}),
      (Strings{"org:admin", "project:write", "event:admin"}));
}

TEST(DoctorChecks, ReadScopes) {
  EXPECT_EQ(missing_read_scopes({"event:read", "project:read"}), Strings{});
  EXPECT_EQ(missing_read_scopes({"org:read"}),
            (Strings{"event:read", "project:read"}));
  EXPECT_EQ(read_token_write_scopes(
                {"event:read", "project:releases", "org:ci", "event:write"}),
            (Strings{"project:releases", "org:ci", "event:write"}));
}

TEST(DoctorChecks, StatusNames) {
  EXPECT_EQ(to_string(Status::pass), "ok");
  EXPECT_EQ(to_string(Status::warn), "warn");
  EXPECT_EQ(to_string(Status::fail), "fail");
  EXPECT_EQ(to_string(Status::skip), "skip");
}
