#include "uploader/sourcemap/injection.hpp"

#include <gtest/gtest.h>

using namespace uploader::sourcemap;

namespace {

const DebugId k_id = *DebugId::parse("00000000-0000-0000-0000-000000000000");

} // namespace

TEST(SourcemapInjection, PreludeDetection) {
  EXPECT_EQ(find_prelude_end("var a;"), 0u);
  EXPECT_EQ(find_prelude_end("#!/usr/bin/env node\nvar a;"), 20u);
  EXPECT_EQ(find_prelude_end("// c\n/* d\n */ \"use strict\";x"), 27u);
  EXPECT_EQ(find_prelude_end("'use strict';\nx"), 14u);
  EXPECT_EQ(find_prelude_end("\"use strict\"\nx"), 0u); // no semicolon
  EXPECT_EQ(find_prelude_end("/* unterminated"), 0u);
  // A prelude that is the whole file puts the snippet first.
  EXPECT_EQ(find_prelude_end("// only a comment\n"), 0u);
  EXPECT_EQ(find_prelude_end("\n"), 0u);
  // Unicode whitespace counts as \s.
  EXPECT_EQ(find_prelude_end("\xc2\xa0x"), 2u);
}

TEST(SourcemapInjection, FixupMatchesSentryCliUnitTest) {
  std::string source = "//# sourceMappingURL=fake1\nsome line\n"
                       "//# sourceMappingURL=real\nsomething else";
  std::string out =
      inject_after_prelude(source, k_id, find_prelude_end(source));
  std::string expected = "//# sourceMappingURL=fake1\n\n" +
                         debug_id_snippet(k_id) +
                         "\nsome line\n//# sourceMappingURL=real\nsomething "
                         "else\n//# debugId=00000000-0000-0000-0000-"
                         "000000000000\n";
  EXPECT_EQ(out, expected);
}

TEST(SourcemapInjection, UseDirectiveSearch) {
  EXPECT_EQ(find_use_directive("\"use strict\";x"), "\"use strict\"");
  EXPECT_EQ(find_use_directive("// a\n'use client'\nx"), "'use client'");
  EXPECT_FALSE(find_use_directive("var x; \"use strict\";"));
  // Backtracking: a block comment may extend to a later "*/".
  EXPECT_EQ(find_use_directive("/* a */ x /* b */\"use strict\";"),
            "\"use strict\"");
}

TEST(SourcemapInjection, InjectAtStartRepeatsDirective) {
  std::string out =
      inject_at_start("#!/bin/node\n// c\n\"use strict\";\nx;\n", k_id);
  EXPECT_EQ(out, "#!/bin/node\n\"use strict\";" + debug_id_snippet(k_id) +
                     "\n// c\n\"use strict\";\nx;\n\n//# debugId=" +
                     k_id.to_string() + "\n");
}

TEST(SourcemapInjection, InjectAtEndMovesSourceMappingUrl) {
  std::string out = inject_at_end(
      "a\r\n//# sourceMappingURL=a.js.map\r\nb\n//@ sourceMappingURL=x\nc",
      k_id);
  EXPECT_EQ(
      out, "a\n//# sourceMappingURL=a.js.map\nb\nc\n" + debug_id_snippet(k_id) +
               "\n//@ sourceMappingURL=x\n//# debugId=" + k_id.to_string() +
               "\n");
  EXPECT_EQ(inject_at_end("", k_id), debug_id_snippet(k_id) + "\n//# debugId=" +
                                         k_id.to_string() + "\n");
}

TEST(SourcemapInjection, ReplaceSourcemapUrl) {
  EXPECT_EQ(
      replace_sourcemap_url(
          "x\n//@ sourceMappingURL=old\n//# sourceMappingURL=old2\ny", "new"),
      "x\n//@ sourceMappingURL=old\n//# sourceMappingURL=new\ny\n");
  EXPECT_EQ(replace_sourcemap_url("x; //# sourceMappingURL=a", "new"),
            "x; //# sourceMappingURL=a");
}
