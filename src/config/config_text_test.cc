#include "config/config_text.h"

#include <gtest/gtest.h>

namespace hbd::config {
namespace {

TEST(ParseTimeValue, BareNumberIsSeconds) {
  EXPECT_EQ(ParseTimeValue("10"), Millis(10000));
  EXPECT_EQ(ParseTimeValue("2.5"), Millis(2500));
}

TEST(ParseTimeValue, UnitsAndWhitespace) {
  EXPECT_EQ(ParseTimeValue("500ms"), Millis(500));
  EXPECT_EQ(ParseTimeValue("500 ms"), Millis(500));
  EXPECT_EQ(ParseTimeValue("250msec"), Millis(250));
  EXPECT_EQ(ParseTimeValue("1500us"), Millis(2));  // rounded to the nearest ms
  EXPECT_EQ(ParseTimeValue("3s"), Millis(3000));
  EXPECT_EQ(ParseTimeValue("3SEC"), Millis(3000));
}

TEST(ParseTimeValue, RejectsJunk) {
  EXPECT_EQ(ParseTimeValue(""), std::nullopt);
  EXPECT_EQ(ParseTimeValue("ms"), std::nullopt);
  EXPECT_EQ(ParseTimeValue("-5"), std::nullopt);
  EXPECT_EQ(ParseTimeValue("10m"), std::nullopt);
  EXPECT_EQ(ParseTimeValue("1.2.3"), std::nullopt);
  EXPECT_EQ(ParseTimeValue("99999999999999999999999"), std::nullopt);
}

TEST(ParseBool, HeartbeatSpellings) {
  for (const char* t : {"true", "On", "YES", "y", "1"})
    EXPECT_EQ(ParseBool(t), true) << t;
  for (const char* f : {"false", "off", "No", "n", "0"})
    EXPECT_EQ(ParseBool(f), false) << f;
  EXPECT_EQ(ParseBool("maybe"), std::nullopt);
}

TEST(SplitConfigLines, CommentsBlanksAndLineNumbers) {
  Diagnostics diags;
  auto lines =
      SplitConfigLines("# header\n\nkeepalive 2 # comment\n  node a b\n", "ha.cf", {}, diags);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0].line, 3);
  EXPECT_EQ(lines[0].tokens, (std::vector<std::string>{"keepalive", "2"}));
  EXPECT_EQ(lines[1].line, 4);
  EXPECT_EQ(lines[1].text, "node a b");
  EXPECT_TRUE(diags.empty());
}

TEST(SplitConfigLines, BackslashContinuationKeepsFirstLineNumber) {
  Diagnostics diags;
  TextOptions opts;
  opts.backslash_continuation = true;
  auto lines = SplitConfigLines("\nnode1 a \\\n   b \\\n c\nnode2 d\n", "haresources", opts, diags);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0].line, 2);
  EXPECT_EQ(lines[0].tokens, (std::vector<std::string>{"node1", "a", "b", "c"}));
  EXPECT_EQ(lines[1].line, 5);
  EXPECT_TRUE(diags.empty());
}

TEST(SplitConfigLines, UnterminatedContinuationIsAnError) {
  Diagnostics diags;
  TextOptions opts;
  opts.backslash_continuation = true;
  auto lines = SplitConfigLines("node1 a \\\n", "haresources", opts, diags);
  ASSERT_EQ(diags.items().size(), 1u);
  EXPECT_EQ(diags.items()[0].line, 1);
  EXPECT_TRUE(diags.Mentions("file ends"));
}

TEST(SplitConfigLines, BinaryAndOverlongLinesAreReportedNotFatal) {
  Diagnostics diags;
  TextOptions opts;
  opts.max_line_length = 10;
  std::string content = std::string("ok 1\nbad\0line\n", 14) + std::string(50, 'x') + "\nok 2\n";
  auto lines = SplitConfigLines(content, "f", opts, diags);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(diags.ErrorCount(), 2);
  EXPECT_EQ(diags.items()[0].line, 2);
  EXPECT_EQ(diags.items()[1].line, 3);
}

TEST(SplitConfigLines, CommentsOnlyAtLineStartKeepsHashInsideALine) {
  Diagnostics diags;
  TextOptions opts;
  opts.comments_only_at_line_start = true;
  auto lines =
      SplitConfigLines("# c\n   # indented comment\n1 sha1 ab#cd\n", "authkeys", opts, diags);
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0].line, 3);
  EXPECT_EQ(lines[0].tokens, (std::vector<std::string>{"1", "sha1", "ab#cd"}));
  EXPECT_TRUE(diags.empty());
}

TEST(SplitTokens, CommasOnlyWhenAsked) {
  EXPECT_EQ(SplitTokens("a,b c"), (std::vector<std::string>{"a,b", "c"}));
  EXPECT_EQ(SplitTokens("a,b c", true), (std::vector<std::string>{"a", "b", "c"}));
}

TEST(FormatMillis, SecondsWhenWhole) {
  EXPECT_EQ(FormatMillis(Millis(10000)), "10s");
  EXPECT_EQ(FormatMillis(Millis(500)), "500ms");
}

TEST(Diagnostic, FormatNamesFileAndLine) {
  Diagnostic d{Severity::kError, "/etc/ha.d/ha.cf", 7, "bad"};
  EXPECT_EQ(d.Format(), "/etc/ha.d/ha.cf:7: error: bad");
  Diagnostic w{Severity::kWarning, "authkeys", 0, "x"};
  EXPECT_EQ(w.Format(), "authkeys: warning: x");
}

}  // namespace
}  // namespace hbd::config
