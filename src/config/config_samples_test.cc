// The loader end to end on real files: conf/'s samples, the MySQL manual's example, Debian's
// samples, the YAML round trip on each, and the file rules (authkeys mode and owner).
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "config/config_loader.h"
#include "config/config_yaml.h"

namespace hbd::config {
namespace {

namespace fs = std::filesystem;

std::string Slurp(const fs::path& path) {
  std::ifstream in(path);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void Write(const fs::path& path, const std::string& text, fs::perms mode = fs::perms(0644)) {
  std::ofstream(path) << text;
  fs::permissions(path, mode);
}

// A private copy of a configuration directory (authkeys made 0600, as an install does).
class TempConfigDir {
 public:
  TempConfigDir() {
    char pattern[] = "/tmp/hbd-config-test-XXXXXX";
    dir_ = ::mkdtemp(pattern);
  }
  ~TempConfigDir() { fs::remove_all(dir_); }
  void CopyFrom(const fs::path& source) {
    for (const auto& entry : fs::directory_iterator(source)) {
      if (entry.is_regular_file())
        fs::copy_file(entry.path(), dir_ / entry.path().filename());
    }
    if (fs::exists(dir_ / "authkeys"))
      fs::permissions(dir_ / "authkeys", fs::perms(0600));
  }
  const fs::path& path() const { return dir_; }

 private:
  fs::path dir_;
};

LoadOptions Options(const std::string& node) {
  LoadOptions o;
  o.local_node = node;
  o.check_interfaces = false;
  o.shipped_resource_dirs = {HBD_SOURCE_RESOURCE_DIR};
  return o;
}

std::string Dump(const Diagnostics& d) {
  std::string out;
  for (const auto& item : d.items())
    out += item.Format() + "\n";
  return out;
}

void ExpectYamlRoundTrip(const ClusterConfig& model) {
  Diagnostics diags;
  ClusterConfig back;
  ParseYamlConfig(ExportYaml(model), "exported.yaml", back, diags);
  EXPECT_FALSE(diags.HasErrors()) << Dump(diags);
  EXPECT_TRUE(back == model) << ExportYaml(model);
}

TEST(ConfigSamples, ConfSamplesAreCleanOnBothNodes) {
  TempConfigDir dir;
  dir.CopyFrom(HBD_CONF_DIR);
  for (const char* node : {"node1", "node2"}) {
    auto loaded = LoadClassicDirectory(dir.path(), Options(node));
    EXPECT_EQ(loaded.diags.ErrorCount(), 0) << Dump(loaded.diags);
    EXPECT_EQ(loaded.diags.WarningCount(), 0) << Dump(loaded.diags);
    ASSERT_EQ(loaded.config.groups.size(), 1u);
    EXPECT_EQ(loaded.config.groups[0].resources.size(), 6u);
    EXPECT_EQ(loaded.config.groups[0].resources.back().Spec(), "IPaddr::192.0.2.10/24/eth0");
    EXPECT_TRUE(loaded.config.builtins.ipfail);
    EXPECT_TRUE(loaded.config.builtins.dopd);
    ExpectYamlRoundTrip(loaded.config);
  }
}

TEST(ConfSamples, YamlSampleSaysWhatTheClassicSamplesSay) {
  TempConfigDir dir;
  dir.CopyFrom(HBD_CONF_DIR);
  fs::permissions(dir.path() / "hbd.yaml", fs::perms(0600));
  auto yaml = LoadYamlFile(dir.path() / "hbd.yaml", Options("node1"));
  EXPECT_EQ(yaml.diags.ErrorCount(), 0) << Dump(yaml.diags);
  auto classic = LoadClassicDirectory(dir.path(), Options("node1"));
  EXPECT_TRUE(yaml.config == classic.config) << "conf/hbd.yaml and conf/ha.cf+haresources+"
                                                "authkeys describe different clusters:\n"
                                             << ExportYaml(yaml.config) << "---\n"
                                             << ExportYaml(classic.config);
}

TEST(ConfigSamples, MySqlManualExampleIsAccepted) {
  TempConfigDir dir;
  dir.CopyFrom(fs::path(HBD_TEST_DATA_DIR) / "config/mysql-manual");
  auto loaded = LoadClassicDirectory(dir.path(), Options("drbd1"));
  EXPECT_EQ(loaded.diags.ErrorCount(), 0) << Dump(loaded.diags);
  EXPECT_TRUE(loaded.diags.Mentions("mcast has no group address"));
  ASSERT_EQ(loaded.config.groups.size(), 1u);
  EXPECT_EQ(loaded.config.groups[0].Key(), "drbddisk");
  EXPECT_EQ(loaded.config.groups[0].resources.back().Spec(), "IPaddr::10.0.0.1");
  EXPECT_EQ(loaded.config.timings.keepalive, Millis(500));
  ExpectYamlRoundTrip(loaded.config);
}

TEST(ConfigSamples, DebianSampleHaCfIsAccepted) {
  TempConfigDir dir;
  fs::path data = fs::path(HBD_TEST_DATA_DIR) / "config/debian";
  fs::copy_file(data / "ha.cf", dir.path() / "ha.cf");
  Write(dir.path() / "authkeys", Slurp(data / "authkeys"), fs::perms(0600));
  auto loaded = LoadClassicDirectory(dir.path(), Options("ken3"));
  EXPECT_EQ(loaded.diags.ErrorCount(), 0) << Dump(loaded.diags);
  EXPECT_EQ(loaded.config.nodes, (std::vector<std::string>{"ken3", "kathy"}));
  EXPECT_TRUE(loaded.config.builtins.ipfail);
  ExpectYamlRoundTrip(loaded.config);
}

TEST(ConfigSamples, DebianSampleHaresourcesLinesAreAcceptedOneByOne) {
  fs::path data = fs::path(HBD_TEST_DATA_DIR) / "config/debian";
  std::istringstream lines(Slurp(data / "haresources.examples"));
  std::string line;
  int checked = 0;
  while (std::getline(lines, line)) {
    if (line.empty() || line[0] == '#')
      continue;
    TempConfigDir dir;
    Write(dir.path() / "ha.cf",
          "keepalive 2\ndeadtime 30\nbcast eth0\n"
          "node just.linux-ha.org node1\nauto_failback on\n");
    Write(dir.path() / "haresources", line + "\n");
    Write(dir.path() / "authkeys", Slurp(data / "authkeys"), fs::perms(0600));
    // The sample's services (http, httpd) exist on a machine that runs them.
    fs::create_directories(dir.path() / "resource.d");
    for (const char* service : {"http", "httpd"}) {
      Write(dir.path() / "resource.d" / service, "#!/bin/sh\n", fs::perms(0755));
    }
    auto loaded = LoadClassicDirectory(dir.path(), Options("node1"));
    EXPECT_EQ(loaded.diags.ErrorCount(), 0) << line << "\n" << Dump(loaded.diags);
    EXPECT_EQ(loaded.config.groups.size(), 1u) << line;
    ExpectYamlRoundTrip(loaded.config);
    ++checked;
  }
  EXPECT_EQ(checked, 5);
}

TEST(ConfigLoader, AuthkeysModeOtherThan0600IsRefusedNamingTheMode) {
  TempConfigDir dir;
  dir.CopyFrom(HBD_CONF_DIR);
  fs::permissions(dir.path() / "authkeys", fs::perms(0644));
  auto loaded = LoadClassicDirectory(dir.path(), Options("node1"));
  EXPECT_TRUE(loaded.diags.HasErrors());
  EXPECT_TRUE(loaded.diags.Mentions("has mode 0644"));
  EXPECT_TRUE(loaded.diags.Mentions("must be mode 0600"));
  fs::permissions(dir.path() / "authkeys", fs::perms(0400));
  EXPECT_TRUE(LoadClassicDirectory(dir.path(), Options("node1")).diags.Mentions("mode 0400"));
}

TEST(ConfigLoader, AuthkeysNotOwnedByRootIsRefused) {
  if (::geteuid() != 0)
    GTEST_SKIP() << "needs root to give the file away";
  TempConfigDir dir;
  dir.CopyFrom(HBD_CONF_DIR);
  ASSERT_EQ(::chown((dir.path() / "authkeys").c_str(), 65534, 65534), 0);
  auto loaded = LoadClassicDirectory(dir.path(), Options("node1"));
  EXPECT_TRUE(loaded.diags.Mentions("is owned by uid 65534; it must be owned by root"));
}

TEST(ConfigLoader, MissingFilesAreNamed) {
  TempConfigDir dir;
  auto loaded = LoadClassicDirectory(dir.path(), Options("node1"));
  EXPECT_TRUE(loaded.diags.HasErrors());
  bool hacf = false, authkeys = false;
  for (const auto& d : loaded.diags.items()) {
    hacf |= d.file == (dir.path() / "ha.cf").string() && d.message.find("cannot open") == 0;
    authkeys |= d.file == (dir.path() / "authkeys").string();
  }
  EXPECT_TRUE(hacf) << Dump(loaded.diags);
  EXPECT_TRUE(authkeys) << Dump(loaded.diags);
}

TEST(ConfigLoader, EveryProblemIsReportedWithFileAndLine) {
  TempConfigDir dir;
  dir.CopyFrom(HBD_CONF_DIR);
  std::string hacf = Slurp(dir.path() / "ha.cf");
  const int next = static_cast<int>(std::count(hacf.begin(), hacf.end(), '\n')) + 1;
  Write(dir.path() / "ha.cf", hacf + "keepalve 2\nwarntime 9\n");
  Write(dir.path() / "haresources", "node3 mysql Filesytem::/dev/sdb1::/x::ext4\n");
  auto loaded = LoadClassicDirectory(dir.path(), Options("node1"));
  std::string all = Dump(loaded.diags);
  EXPECT_NE(all.find("ha.cf:" + std::to_string(next) +
                     ": error: unknown directive 'keepalve'; did you mean 'keepalive'?"),
            std::string::npos)
      << all;
  EXPECT_NE(all.find("ha.cf:" + std::to_string(next + 1) +
                     ": error: warntime (9000 ms) must be less than deadtime"),
            std::string::npos)
      << all;
  EXPECT_NE(all.find("haresources:1: error: preferred node 'node3' is not a 'node'"),
            std::string::npos)
      << all;
  EXPECT_NE(all.find("haresources:1: error: no executable script for resource 'Filesytem'"),
            std::string::npos)
      << all;
}

TEST(ConfigLoader, WorldWritableConfigIsWarned) {
  TempConfigDir dir;
  dir.CopyFrom(HBD_CONF_DIR);
  fs::permissions(dir.path() / "haresources", fs::perms(0666));
  auto loaded = LoadClassicDirectory(dir.path(), Options("node1"));
  EXPECT_FALSE(loaded.diags.HasErrors()) << Dump(loaded.diags);
  EXPECT_TRUE(loaded.diags.Mentions("writable by group or others (mode 0666)"));
}

}  // namespace
}  // namespace hbd::config
