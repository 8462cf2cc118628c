#include "resources/program_lookup.h"

#include <gtest/gtest.h>

#include <set>
#include <vector>

namespace hbd::resources {
namespace {

struct FakeFiles {
  std::set<std::string> executables;
  std::vector<std::string> asked;
  bool operator()(const std::string& path) {
    asked.push_back(path);
    return executables.count(path) > 0;
  }
};

std::string Find(FakeFiles& files, std::string_view name, std::string_view dirs) {
  return FindProgram(name, dirs, [&files](const std::string& p) { return files(p); });
}

TEST(ProgramLookupTest, FirstDirectoryInOrderWins) {
  FakeFiles files{{"/usr/sbin/drbdadm", "/usr/local/sbin/drbdadm"}, {}};
  EXPECT_EQ(Find(files, "drbdadm", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/sbin"),
            "/usr/local/sbin/drbdadm");
  FakeFiles system{{"/usr/sbin/drbdadm", "/sbin/drbdadm"}, {}};
  EXPECT_EQ(Find(system, "drbdadm", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/sbin"),
            "/usr/sbin/drbdadm");
  EXPECT_EQ(system.asked,
            (std::vector<std::string>{"/usr/local/sbin/drbdadm", "/usr/local/bin/drbdadm",
                                      "/usr/sbin/drbdadm"}));
}

TEST(ProgramLookupTest, LastDirectoryAndTrailingSlash) {
  FakeFiles files{{"/bin/drbdadm"}, {}};
  EXPECT_EQ(Find(files, "drbdadm", "/usr/sbin:/bin/"), "/bin/drbdadm");
  EXPECT_EQ(Find(files, "drbdadm", "/usr/sbin:/bin"), "/bin/drbdadm");
}

TEST(ProgramLookupTest, NothingFoundIsEmpty) {
  FakeFiles files{{}, {}};
  EXPECT_EQ(Find(files, "drbdadm", "/usr/sbin:/sbin"), "");
  EXPECT_EQ(Find(files, "drbdadm", ""), "");
}

TEST(ProgramLookupTest, EmptyEntriesAreSkippedNotTheCurrentDirectory) {
  FakeFiles files{{"drbdadm", "/drbdadm", "/sbin/drbdadm"}, {}};
  EXPECT_EQ(Find(files, "drbdadm", "::/sbin:"), "/sbin/drbdadm");
  EXPECT_EQ(files.asked, (std::vector<std::string>{"/sbin/drbdadm"}));
}

TEST(ProgramLookupTest, OnlyPlainNames) {
  FakeFiles files{{"/sbin/x/drbdadm", "/sbin/", "/sbin/.."}, {}};
  EXPECT_EQ(Find(files, "x/drbdadm", "/sbin"), "");
  EXPECT_EQ(Find(files, "", "/sbin"), "");
  EXPECT_EQ(Find(files, "..", "/sbin"), "");
  EXPECT_TRUE(files.asked.empty());
}

}  // namespace
}  // namespace hbd::resources
