#include "config/config_digest.h"

#include <gtest/gtest.h>

#include "config/authkeys_parser.h"
#include "config/config_yaml.h"
#include "config/ha_cf_parser.h"
#include "config/haresources_parser.h"

namespace hbd::config {
namespace {

const char kHaCf[] =
    "keepalive 100ms\n"
    "deadtime 1\n"
    "warntime 400ms\n"
    "initdead 3\n"
    "udpport 694\n"
    "auto_failback off\n"
    "mcast eth0 239.255.0.1 694 1 0\n"
    "ucast eth1 192.0.2.2\n"
    "node node1\n"
    "node node2\n";
const char kHaresources[] =
    "node1 IPaddr::192.0.2.10/24/eth0\n"
    "node2 IPaddr::192.0.2.11/24/eth0 MailTo::root\n";

const char kYaml[] = R"(cluster:
  nodes: [node1, node2]
  auto_failback: off
timing:
  keepalive: 100ms
  deadtime: 1s
  warntime: 400ms
  initdead: 3
media:
  - {type: mcast, interface: eth0, group: 239.255.0.1, port: 694, ttl: 1, loop: false}
  - {type: ucast, interface: eth1, peer: 192.0.2.1}
resources:
  - {node: node1, group: ["IPaddr::192.0.2.10/24/eth0"]}
  - {node: node2, group: ["IPaddr::192.0.2.11/24/eth0", "MailTo::root"]}
auth:
  sign: 1
  keys: [{index: 1, method: sha1, secret: another-secret}]
)";

ClusterConfig Classic(const std::string& ha_cf, const std::string& haresources,
                      const std::string& authkeys = "auth 1\n1 sha1 test-secret\n") {
  ClusterConfig config;
  Diagnostics diags;
  ParseHaCf(ha_cf, "ha.cf", config, diags);
  ParseHaresources(haresources, "haresources", config.groups, diags);
  ParseAuthkeys(authkeys, "authkeys", config.auth, diags);
  EXPECT_FALSE(diags.HasErrors());
  return config;
}

TEST(ConfigDigest, HaCfAndYamlSayingTheSameGiveTheSameDigest) {
  ClusterConfig classic = Classic(kHaCf, kHaresources);
  ClusterConfig yaml;
  Diagnostics diags;
  ParseYamlConfig(kYaml, "hbd.yaml", yaml, diags);
  ASSERT_FALSE(diags.HasErrors());
  EXPECT_EQ(ConfigDigestText(classic), ConfigDigestText(yaml));
  EXPECT_EQ(ConfigDigest(classic), ConfigDigest(yaml));
  EXPECT_EQ(ConfigDigest(classic).size(), 12u);
}

TEST(ConfigDigest, AChangedHaresourcesLineChangesIt) {
  std::string base = ConfigDigest(Classic(kHaCf, kHaresources));
  EXPECT_NE(base, ConfigDigest(Classic(kHaCf,
                                       "node1 IPaddr::192.0.2.10/24/eth0\n"
                                       "node2 IPaddr::192.0.2.11/24/eth0\n")));
  EXPECT_NE(base, ConfigDigest(Classic(kHaCf,
                                       "node2 IPaddr::192.0.2.10/24/eth0\n"
                                       "node2 IPaddr::192.0.2.11/24/eth0 MailTo::root\n")));
  // Comments and spacing are not settings.
  EXPECT_EQ(base, ConfigDigest(Classic(kHaCf,
                                       "# the VIPs\nnode1   IPaddr::192.0.2.10/24/eth0\n"
                                       "node2 IPaddr::192.0.2.11/24/eth0 MailTo::root\n")));
}

TEST(ConfigDigest, TimingsAndFailbackEnterItSecretsAndUcastPeersDoNot) {
  std::string base = ConfigDigest(Classic(kHaCf, kHaresources));
  std::string slower = kHaCf;
  slower.replace(slower.find("deadtime 1"), 10, "deadtime 2");
  EXPECT_NE(base, ConfigDigest(Classic(slower, kHaresources)));
  std::string failback = kHaCf;
  failback.replace(failback.find("auto_failback off"), 17, "auto_failback on");
  EXPECT_NE(base, ConfigDigest(Classic(failback, kHaresources)));
  EXPECT_EQ(base,
            ConfigDigest(Classic(kHaCf, kHaresources, "auth 2\n2 md5 other-secret-entirely\n")));
  std::string other_peer = kHaCf;
  other_peer.replace(other_peer.find("192.0.2.2"), 9, "192.0.2.1");
  EXPECT_EQ(base, ConfigDigest(Classic(other_peer, kHaresources)));
  EXPECT_EQ(ConfigDigestText(Classic(kHaCf, kHaresources)).find("secret"), std::string::npos);
}

TEST(ConfigDigest, FailbackHolddownEntersItOnlyWhenNotTheDefault) {
  ClusterConfig base = Classic(kHaCf, kHaresources);
  // Unset is 5 x deadtime (deadtime 1 here): saying so explicitly changes nothing, and a
  // configuration that leaves it alone keeps the digest it had before the directive existed.
  EXPECT_EQ(ConfigDigestText(base).find("failback_holddown"), std::string::npos);
  EXPECT_EQ(ConfigDigest(base),
            ConfigDigest(Classic(std::string(kHaCf) + "failback_holddown 5\n", kHaresources)));
  ClusterConfig at_once = Classic(std::string(kHaCf) + "failback_holddown 0\n", kHaresources);
  EXPECT_NE(ConfigDigest(base), ConfigDigest(at_once));
  EXPECT_NE(ConfigDigestText(at_once).find("failback_holddown 0\n"), std::string::npos);
  EXPECT_NE(ConfigDigest(at_once),
            ConfigDigest(Classic(std::string(kHaCf) + "failback_holddown 20\n", kHaresources)));
  // ha.cf and hbd.yaml saying the same give the same digest.
  ClusterConfig yaml;
  Diagnostics diags;
  ParseYamlConfig(std::string(kYaml) + "policy: {failback_holddown: 0ms}\n", "hbd.yaml", yaml,
                  diags);
  ASSERT_FALSE(diags.HasErrors());
  EXPECT_EQ(ConfigDigest(at_once), ConfigDigest(yaml));
}

}  // namespace
}  // namespace hbd::config
