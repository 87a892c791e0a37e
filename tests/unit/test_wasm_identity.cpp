#include "uploader/wasm/identity.hpp"

#include <gtest/gtest.h>

#include <string>

using namespace uploader::wasm;

TEST(WasmIdentity, IdsAreReadFromTheWholePayloadAsSymbolicDoes) {
  // symbolic's emscripten fixture (wasm-ld --build-id): 17 bytes, the
  // first one the length.
  const std::string payload(
      "\x10\xda\x03\xeb\x5d\x63\xd7\x50\xfa\xab\x0f\xb8\xe7\xcc\x12\xa1\xc3",
      17);
  EXPECT_EQ(code_id(payload), "10da03eb5d63d750faab0fb8e7cc12a1c3");
  EXPECT_EQ(debug_id(payload), "10da03eb-5d63-d750-faab-0fb8e7cc12a1");
  // A short payload is padded with zeros.
  EXPECT_EQ(debug_id("\x01\x02"), "01020000-0000-0000-0000-000000000000");
}

TEST(WasmIdentity, TheDerivedIdDependsOnlyOnTheModulesBytes) {
  std::string a = derive_build_id("module a");
  EXPECT_EQ(a.size(), 16u);
  EXPECT_EQ(derive_build_id("module a"), a);
  EXPECT_NE(derive_build_id("module b"), a);
  // A version-4, RFC 4122 UUID.
  EXPECT_EQ(static_cast<unsigned char>(a[6]) >> 4, 4u);
  EXPECT_EQ(static_cast<unsigned char>(a[8]) >> 6, 2u);
}

TEST(WasmIdentity, OneBuildIdOnTwoDifferentModulesIsAConflictNamingBoth) {
  BuildIdOwners owners;
  std::string message;
  const std::string id = "\x10" + std::string(16, 'a');
  EXPECT_EQ(owners.claim(id, "a.wasm", "sum1", message),
            BuildIdOwners::Claim::new_id);
  EXPECT_EQ(owners.claim(id, "copy/a.wasm", "sum1", message),
            BuildIdOwners::Claim::same_module);
  EXPECT_EQ(message, "");
  EXPECT_EQ(owners.claim(id, "b.wasm", "sum2", message),
            BuildIdOwners::Claim::conflict);
  EXPECT_EQ(message, "b.wasm and a.wasm have the same build ID " + code_id(id) +
                         " but different bytes; Sentry could not tell their "
                         "debug files apart: rebuild one of them or remove "
                         "the stale copy");
  EXPECT_EQ(
      owners.claim("\x10" + std::string(16, 'b'), "c.wasm", "sum3", message),
      BuildIdOwners::Claim::new_id);
}
