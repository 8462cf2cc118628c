#include "config/config_yaml.h"

#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

namespace hbd::config {
namespace {

// Parses `text` into a fresh model; the test fails on any diagnostic.
ClusterConfig ParseClean(const std::string& text) {
  ClusterConfig out;
  Diagnostics diags;
  ParseYamlConfig(text, "hbd.yaml", out, diags);
  for (const auto& d : diags.items())
    ADD_FAILURE() << d.Format() << "\n--- text ---\n" << text;
  return out;
}

void ExpectRoundTrip(const ClusterConfig& model) {
  std::string text = ExportYaml(model);
  ClusterConfig back = ParseClean(text);
  EXPECT_TRUE(back == model) << "round trip changed the model; exported text:\n" << text;
  // Exporting the parsed model again gives the same text: the export is deterministic.
  EXPECT_EQ(ExportYaml(back), text);
}

void AddNode(ClusterConfig& c, const std::string& name) {
  c.nodes.push_back(name);
  c.node_at.push_back({});
}

Resource Res(std::string type, std::vector<std::string> args = {}) {
  Resource r;
  r.type = std::move(type);
  r.args = std::move(args);
  return r;
}

ClusterConfig FullModel() {
  ClusterConfig c;
  c.cluster_name = "prod-db";
  AddNode(c, "node1");
  AddNode(c, "node2");
  c.timings.keepalive = Millis(500);
  c.timings.deadtime = Millis(10000);
  c.timings.warntime = Millis(5000);
  c.timings.initdead = Millis(30000);
  c.timings.deadping = Millis(7500);
  c.udpport = 695;
  Medium bcast;
  bcast.type = MediumType::kBcast;
  bcast.interface = "eth2";
  bcast.port = 695;
  Medium mcast;
  mcast.type = MediumType::kMcast;
  mcast.interface = "eth0";
  mcast.address = "239.255.0.1";
  mcast.port = 694;
  mcast.ttl = 3;
  mcast.loop = true;
  Medium mcast6;
  mcast6.type = MediumType::kMcast6;
  mcast6.interface = "eth0";
  mcast6.address = "ff02::1:2";
  mcast6.port = 700;
  mcast6.ttl = 0;
  Medium ucast;
  ucast.type = MediumType::kUcast;
  ucast.interface = "eth1";
  ucast.address = "198.51.100.2";
  ucast.port = 695;
  Medium ucast6;
  ucast6.type = MediumType::kUcast6;
  ucast6.interface = "eth1";
  ucast6.address = "2001:db8::2";
  ucast6.port = 1694;
  c.media = {bcast, mcast, mcast6, ucast, ucast6};
  PingTarget ping;
  ping.name = "192.0.2.254";
  ping.addresses = {"192.0.2.254"};
  PingTarget ping6;
  ping6.name = "2001:db8::fe";
  ping6.addresses = {"2001:db8::fe"};
  PingTarget group;
  group.name = "routers";
  group.addresses = {"192.0.2.1", "192.0.2.2", "203.0.113.1"};
  group.is_group = true;
  c.ping_targets = {ping, ping6, group};
  c.auto_failback = AutoFailback::kOff;
  c.auto_failback_set = true;
  c.autojoin = Autojoin::kOther;
  c.logging.facility = "local0";
  c.logging.logfile = "/var/log/ha-log";
  c.logging.debugfile = "/var/log/ha-debug";
  c.logging.use_logd = false;
  c.logging.debug = 2;
  c.logging.log_badpack = false;
  c.process.realtime = false;
  c.process.rtprio = 5;
  c.process.coredumps = false;
  c.process.coreroot = "/var/lib/heartbeat/cores";
  c.process.watchdog_device = "/dev/watchdog";
  c.builtins.ipfail = true;
  c.builtins.dopd = true;
  RespawnClient r;
  r.user = "hacluster";
  r.path = "/usr/lib/heartbeat/monitor";
  r.args = {"-v", "--interval=5"};
  RespawnClient r2;
  r2.user = "root";
  r2.path = "/usr/sbin/pingd";
  c.respawn = {r, r2};
  ApiAuth a;
  a.client = "monitor";
  a.uids = {"hacluster", "root"};
  a.gids = {"haclient"};
  ApiAuth a2;
  a2.client = "cl_status";
  a2.gids = {"haclient"};
  c.apiauth = {a, a2};
  c.env = {{"MYSQL_USER", "ha"}, {"DEBUG", "1"}};
  ResourceGroup g;
  g.preferred_node = "node1";
  g.resources = {Res("drbddisk"),    Res("Filesystem", {"/dev/drbd0", "/drbd", "ext3"}),
                 Res("mysql"),       Res("memcached"),
                 Res("mysql-proxy"), Res("IPaddr", {"192.0.2.10/24/eth0"})};
  ResourceGroup g2;
  g2.preferred_node = "node2";
  g2.resources = {Res("IPaddr", {"192.0.2.20"}), Res("apache", {"/etc/apache2/apache2.conf"})};
  c.groups = {g, g2};
  c.auth.sign_index = 1;
  AuthKey crc;
  crc.index = 0;
  crc.method = AuthMethod::kCrc;
  AuthKey sha1;
  sha1.index = 1;
  sha1.method = AuthMethod::kSha1;
  sha1.secret = "s3cret-key";
  AuthKey md5;
  md5.index = 15;
  md5.method = AuthMethod::kMd5;
  md5.secret = "another one";
  c.auth.keys = {crc, sha1, md5};
  c.policy.failback_holddown = Millis(45000);
  return c;
}

TEST(ConfigYamlRoundTrip, FullModel) {
  ExpectRoundTrip(FullModel());
}

TEST(ConfigYamlRoundTrip, DefaultModel) {
  ExpectRoundTrip(ClusterConfig{});
}

TEST(ConfigYamlRoundTrip, MinimalModelIsShort) {
  ClusterConfig c;
  AddNode(c, "alpha");
  AddNode(c, "beta");
  ExpectRoundTrip(c);
  std::string text = ExportYaml(c);
  // Defaults are left out: no media, logging, process, auth... sections.
  for (const char* absent : {"media", "ping", "logging", "process", "builtins", "respawn",
                             "apiauth", "env", "resources", "auth", "warntime", "auto_failback"}) {
    EXPECT_EQ(text.find(absent), std::string::npos) << absent << " in\n" << text;
  }
}

TEST(ConfigYamlRoundTrip, OptionalsUnsetStayUnset) {
  ClusterConfig c = FullModel();
  c.timings.warntime.reset();
  c.timings.initdead.reset();
  c.timings.deadping.reset();
  c.logging.facility.reset();
  c.logging.use_logd.reset();
  c.process.rtprio.reset();
  c.auth.sign_index = -1;
  c.auto_failback = AutoFailback::kLegacy;
  c.auto_failback_set = false;
  c.policy.failback_holddown.reset();
  ExpectRoundTrip(c);
  ClusterConfig back = ParseClean(ExportYaml(c));
  EXPECT_FALSE(back.policy.failback_holddown.has_value());
  EXPECT_FALSE(back.timings.warntime.has_value());
  EXPECT_FALSE(back.logging.use_logd.has_value());
  EXPECT_FALSE(back.process.rtprio.has_value());
  EXPECT_FALSE(back.auto_failback_set);
  EXPECT_EQ(back.auth.sign_index, -1);
}

TEST(ConfigYamlRoundTrip, EveryEnumValue) {
  for (auto mode : {AutoFailback::kLegacy, AutoFailback::kOn, AutoFailback::kOff}) {
    ClusterConfig c;
    c.auto_failback = mode;
    c.auto_failback_set = true;
    ExpectRoundTrip(c);
  }
  for (auto mode : {Autojoin::kNone, Autojoin::kOther, Autojoin::kAny}) {
    ClusterConfig c;
    c.autojoin = mode;
    ExpectRoundTrip(c);
  }
  for (auto method : {AuthMethod::kCrc, AuthMethod::kMd5, AuthMethod::kSha1}) {
    ClusterConfig c;
    AuthKey key;
    key.index = 7;
    key.method = method;
    if (method != AuthMethod::kCrc)
      key.secret = "k";
    c.auth.keys = {key};
    c.auth.sign_index = 7;
    ExpectRoundTrip(c);
  }
  // Media with non-default ttl/loop on types that do not use them still survive.
  Medium odd;
  odd.type = MediumType::kUcast;
  odd.interface = "eth0";
  odd.address = "peer-host";
  odd.ttl = 9;
  odd.loop = true;
  ClusterConfig c;
  c.media = {odd};
  ExpectRoundTrip(c);
}

TEST(ConfigYamlRoundTrip, YamlKeywordsAndSpecialCharacters) {
  ClusterConfig c;
  for (const char* name : {"on", "no", "yes", "off", "y", "n", "true", "null", "~", "1", "0x1f",
                           "1e3", "node-a.example"}) {
    AddNode(c, name);
  }
  c.auto_failback = AutoFailback::kOff;
  c.auto_failback_set = true;
  c.cluster_name = "off";
  c.logging.facility = "none";
  c.logging.logfile = "/var/log/ha log #1: 'quoted' \"double\"";
  c.logging.debugfile = "  leading and trailing spaces  ";
  c.process.coreroot = "- not a list";
  c.process.watchdog_device = "[not, a, list]";
  c.env = {{"A", "value: with colon # and hash"},
           {"B", "'single'"},
           {"C", "\"double\""},
           {"D", " leading"},
           {"E", ""},
           {"F", "yes"},
           {"G", "tab\there\nnewline\\backslash"},
           {"H", "&anchor *alias !tag %percent @at `tick`"},
           {"I", "{a: b}"},
           {"J", "null"},
           {"K", "caf\xc3\xa9 \xe2\x82\xac"},
           {"L", "---"},
           {"M", "..."},
           {"N", "12"},
           {"O", "ctrl\x01\x1f"}};
  RespawnClient r;
  r.user = "no";
  r.path = "/opt/my app/run: now";
  r.args = {"--x=#1", "", " ", "-", "?", ":"};
  c.respawn = {r};
  ApiAuth a;
  a.client = "on";
  a.uids = {"off"};
  a.gids = {"~"};
  c.apiauth = {a};
  ResourceGroup g;
  g.preferred_node = "no";
  g.resources = {Res("Filesystem", {"/dev/disk/by-label/a#b", "/mnt/x:y", "ext4"}),
                 Res("script", {"[a]", "{b}", "c,d", "-"}), Res("on"), Res("IPaddr", {"1.2.3.4"})};
  c.groups = {g};
  AuthKey key;
  key.index = 2;
  key.method = AuthMethod::kSha1;
  key.secret = " a: b # c 'd' \"e\" \\f ";
  AuthKey key2;
  key2.index = 3;
  key2.method = AuthMethod::kMd5;
  key2.secret = "off";
  c.auth.keys = {key, key2};
  c.auth.sign_index = 2;
  PingTarget p;
  p.name = "yes";
  p.addresses = {"no", "on"};
  p.is_group = true;
  c.ping_targets = {p};
  ExpectRoundTrip(c);
  EXPECT_NE(ExportYaml(c).find("\"off\""), std::string::npos);
}

// Bytes that are not UTF-8 (a legacy authkeys secret, a Latin-1 path) are copied, not replaced.
TEST(ConfigYamlRoundTrip, BytesThatAreNotUtf8) {
  ClusterConfig c;
  AuthKey key;
  key.index = 1;
  key.method = AuthMethod::kSha1;
  key.secret = "s\x80\x81t: \xff";
  AuthKey plain;
  plain.index = 2;
  plain.method = AuthMethod::kMd5;
  plain.secret = "\xe9t\xe9";
  c.auth.keys = {key, plain};
  c.auth.sign_index = 1;
  c.env["X"] =
      "a\xff\xfe"
      "b";
  c.env["Y"] = "\xff: #";
  c.logging.logfile = "/var/log/caf\xe9";
  ExpectRoundTrip(c);
}

TEST(ConfigYamlRoundTrip, SinglePingWithOtherAddresses) {
  ClusterConfig c;
  PingTarget bare;  // a ping node whose address list the parser left empty
  bare.name = "192.0.2.254";
  PingTarget other;
  other.name = "gw";
  other.addresses = {"192.0.2.1"};
  c.ping_targets = {bare, other};
  ExpectRoundTrip(c);
}

TEST(ConfigYamlRoundTrip, TimeValuesKeepMilliseconds) {
  for (int ms : {0, 1, 999, 1000, 1500, 9999, 10001, 60000, 123456789}) {
    ClusterConfig c;
    c.timings.keepalive = Millis(ms);
    c.timings.deadping = Millis(ms);
    ExpectRoundTrip(c);
  }
}

TEST(ConfigYamlRead, OperatorFileWithLines) {
  const std::string text =
      "cluster:\n"                                                           // 1
      "  name: linux-ha\n"                                                   // 2
      "  nodes: [Node1, node2]\n"                                            // 3
      "  auto_failback: off\n"                                               // 4
      "timing: {keepalive: 500ms, deadtime: 10, warntime: 5s}\n"             // 5
      "udpport: 695\n"                                                       // 6
      "media:\n"                                                             // 7
      "  - {type: mcast, interface: eth0, group: 239.255.0.1, port: 694}\n"  // 8
      "  - type: ucast\n"                                                    // 9
      "    interface: eth1\n"                                                // 10
      "    peer: 198.51.100.2\n"                                             // 11
      "ping:\n"                                                              // 12
      "  - address: 192.0.2.254\n"                                           // 13
      "  - {group: routers, addresses: [192.0.2.1, 192.0.2.2]}\n"            // 14
      "resources:\n"                                                         // 15
      "  - node: node1\n"                                                    // 16
      "    group: [drbddisk, 'Filesystem::/dev/drbd0::/drbd::ext4',\n"       // 17
      "            mysql, 192.0.2.10/24/eth0]\n"                             // 18
      "auth:\n"                                                              // 19
      "  sign: 1\n"                                                          // 20
      "  keys:\n"                                                            // 21
      "    - {index: 1, method: SHA1, secret: 'abc def'}\n";                 // 22
  ClusterConfig c = ParseClean(text);
  EXPECT_EQ(c.nodes, (std::vector<std::string>{"node1", "node2"}));
  ASSERT_EQ(c.node_at.size(), 2u);
  EXPECT_EQ(c.node_at[0].line, 3);
  EXPECT_EQ(c.node_at[0].file, "hbd.yaml");
  EXPECT_EQ(c.auto_failback, AutoFailback::kOff);
  EXPECT_TRUE(c.auto_failback_set);
  EXPECT_EQ(c.timings.keepalive, Millis(500));
  EXPECT_EQ(c.timings.deadtime, Millis(10000));  // a bare number is seconds
  EXPECT_EQ(c.timings.warntime, Millis(5000));
  EXPECT_EQ(c.timings.deadtime_at.line, 5);
  EXPECT_FALSE(c.timings.initdead.has_value());
  EXPECT_EQ(c.udpport, 695);
  ASSERT_EQ(c.media.size(), 2u);
  EXPECT_EQ(c.media[0].type, MediumType::kMcast);
  EXPECT_EQ(c.media[0].port, 694);
  EXPECT_EQ(c.media[0].ttl, 1);
  EXPECT_EQ(c.media[0].where.line, 8);
  EXPECT_EQ(c.media[1].type, MediumType::kUcast);
  EXPECT_EQ(c.media[1].address, "198.51.100.2");
  EXPECT_EQ(c.media[1].port, 695);  // udpport, although it stands after... or before: any order
  EXPECT_EQ(c.media[1].where.line, 9);
  ASSERT_EQ(c.ping_targets.size(), 2u);
  EXPECT_EQ(c.ping_targets[0].addresses, std::vector<std::string>{"192.0.2.254"});
  EXPECT_FALSE(c.ping_targets[0].is_group);
  EXPECT_TRUE(c.ping_targets[1].is_group);
  EXPECT_EQ(c.ping_targets[1].where.line, 14);
  ASSERT_EQ(c.groups.size(), 1u);
  const ResourceGroup& g = c.groups[0];
  EXPECT_EQ(g.where.line, 16);
  ASSERT_EQ(g.resources.size(), 4u);
  EXPECT_EQ(g.resources[1].type, "Filesystem");
  EXPECT_EQ(g.resources[1].args, (std::vector<std::string>{"/dev/drbd0", "/drbd", "ext4"}));
  EXPECT_EQ(g.resources[3].type, "IPaddr");
  EXPECT_EQ(g.resources[3].args, std::vector<std::string>{"192.0.2.10/24/eth0"});
  EXPECT_EQ(g.resources[3].where.line, 18);
  EXPECT_EQ(g.Key(), "drbddisk");
  EXPECT_EQ(c.auth.sign_index, 1);
  EXPECT_EQ(c.auth.sign_at.line, 20);
  ASSERT_EQ(c.auth.keys.size(), 1u);
  EXPECT_EQ(c.auth.keys[0].method, AuthMethod::kSha1);
  EXPECT_EQ(c.auth.keys[0].secret, "abc def");
  EXPECT_EQ(c.auth.keys[0].where.line, 22);
}

TEST(ConfigYamlRead, AutoFailbackSpellings) {
  struct Case {
    const char* text;
    AutoFailback mode;
  } cases[] = {{"on", AutoFailback::kOn},        {"off", AutoFailback::kOff},
               {"\"off\"", AutoFailback::kOff},  {"true", AutoFailback::kOn},
               {"no", AutoFailback::kOff},       {"legacy", AutoFailback::kLegacy},
               {"Legacy", AutoFailback::kLegacy}};
  for (const auto& tc : cases) {
    ClusterConfig c = ParseClean(std::string("cluster: {auto_failback: ") + tc.text + "}\n");
    EXPECT_EQ(c.auto_failback, tc.mode) << tc.text;
    EXPECT_TRUE(c.auto_failback_set) << tc.text;
  }
}

TEST(ConfigYamlRead, FailbackHolddown) {
  ClusterConfig zero = ParseClean("cluster: {nodes: [a, b]}\npolicy:\n  failback_holddown: 0\n");
  EXPECT_EQ(zero.policy.failback_holddown, Millis(0));
  EXPECT_EQ(zero.policy.failback_holddown_at.line, 3);
  EXPECT_EQ(zero.FailbackHoldDown(), Millis(0));
  // 0 is not the same as unset (5 x deadtime), and the export keeps it.
  EXPECT_NE(ExportYaml(zero).find("failback_holddown"), std::string::npos) << ExportYaml(zero);
  ClusterConfig ms = ParseClean("policy: {failback_holddown: 2500ms}\n");
  EXPECT_EQ(ms.FailbackHoldDown(), Millis(2500));
  ClusterConfig unset = ParseClean("timing: {deadtime: 8}\npolicy: {start_timeout: 30}\n");
  EXPECT_FALSE(unset.policy.failback_holddown.has_value());
  EXPECT_EQ(unset.FailbackHoldDown(), Millis(40000));
  EXPECT_EQ(ExportYaml(unset).find("failback_holddown"), std::string::npos);
}

TEST(ConfigYamlRead, SampleFileParsesCleanly) {
  std::ifstream in(std::string(HBD_CONF_DIR) + "/hbd.yaml");
  ASSERT_TRUE(in) << "conf/hbd.yaml is missing";
  std::stringstream buffer;
  buffer << in.rdbuf();
  ClusterConfig c = ParseClean(buffer.str());
  EXPECT_EQ(c.nodes, (std::vector<std::string>{"node1", "node2"}));
  ASSERT_EQ(c.groups.size(), 1u);
  std::vector<std::string> types;
  for (const auto& r : c.groups[0].resources)
    types.push_back(r.type);
  EXPECT_EQ(types, (std::vector<std::string>{"drbddisk", "Filesystem", "mysql", "memcached",
                                             "mysql-proxy", "IPaddr"}));
  EXPECT_FALSE(c.media.empty());
  EXPECT_GE(c.auth.sign_index, 0);
  ExpectRoundTrip(c);
}

}  // namespace
}  // namespace hbd::config
