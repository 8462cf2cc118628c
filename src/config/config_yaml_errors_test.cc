// hbd.yaml reading errors: every problem is a diagnostic with the file and line; nothing throws.
#include <gtest/gtest.h>

#include <random>

#include "config/config_yaml.h"
#include "config/yaml_reader.h"

namespace hbd::config {
namespace {

struct Result {
  ClusterConfig config;
  Diagnostics diags;
};

Result Parse(const std::string& text) {
  Result r;
  EXPECT_NO_THROW(ParseYamlConfig(text, "/etc/ha.d/hbd.yaml", r.config, r.diags));
  return r;
}

// The one error whose message contains `needle`; fails the test unless there is exactly one.
Diagnostic ErrorMentioning(const Result& r, const std::string& needle) {
  std::vector<Diagnostic> found;
  for (const auto& d : r.diags.items()) {
    if (d.message.find(needle) != std::string::npos)
      found.push_back(d);
  }
  std::string all;
  for (const auto& d : r.diags.items())
    all += d.Format() + "\n";
  EXPECT_EQ(found.size(), 1u) << "looking for \"" << needle << "\" in:\n" << all;
  if (found.empty())
    return {};
  EXPECT_EQ(found[0].severity, Severity::kError);
  EXPECT_EQ(found[0].file, "/etc/ha.d/hbd.yaml");
  return found[0];
}

TEST(ConfigYamlErrors, UnknownKeysWithSuggestion) {
  Result r = Parse(
      "cluster:\n"
      "  nodes: [node1]\n"
      "timng:\n"  // 3
      "  keepalive: 1s\n"
      "timing:\n"
      "  keepalve: 2s\n"  // 6
      "  deadtime: 20s\n"
      "frobnicate: 1\n"  // 8
      "media:\n"
      "  - {type: ucast, interface: eth0, peer: 198.51.100.2, prot: 694}\n");  // 10
  Diagnostic top = ErrorMentioning(r, "\"timng\"");
  EXPECT_EQ(top.line, 3);
  EXPECT_NE(top.message.find("did you mean \"timing\""), std::string::npos) << top.message;
  Diagnostic nested = ErrorMentioning(r, "\"keepalve\"");
  EXPECT_EQ(nested.line, 6);
  EXPECT_NE(nested.message.find("in timing; did you mean \"keepalive\""), std::string::npos)
      << nested.message;
  Diagnostic far = ErrorMentioning(r, "\"frobnicate\"");
  EXPECT_EQ(far.line, 8);
  EXPECT_EQ(far.message.find("did you mean"), std::string::npos) << far.message;
  Diagnostic medium = ErrorMentioning(r, "\"prot\"");
  EXPECT_EQ(medium.line, 10);
  EXPECT_NE(medium.message.find("did you mean \"port\""), std::string::npos);
  EXPECT_EQ(r.diags.ErrorCount(), 4);
  // The good parts are still read.
  EXPECT_EQ(r.config.timings.deadtime, Millis(20000));
  EXPECT_EQ(r.config.timings.keepalive, Millis(1000));
  EXPECT_EQ(r.config.nodes, std::vector<std::string>{"node1"});
  ASSERT_EQ(r.config.media.size(), 1u);  // an unknown key drops the key, not the entry
}

TEST(ConfigYamlErrors, WrongTypesNameTheKey) {
  Result r = Parse(
      "cluster:\n"
      "  nodes: node1\n"         // 2: scalar where a list belongs
      "  autojoin: sometimes\n"  // 3
      "timing:\n"
      "  keepalive: fast\n"  // 5
      "  deadtime: [10]\n"   // 6
      "media:\n"
      "  type: bcast\n"  // 8: a map where a list belongs
      "ping:\n"
      "  - {address: 192.0.2.1}\n"
      "  - {type: mcast}\n"  // 11: neither address nor group (and an unknown key)
      "udpport: http\n"      // 12
      "resources:\n"
      "  - {node: node1, group: drbddisk}\n"        // 14
      "logging: {debug: 300, use_logd: perhaps}\n"  // 15
      "process: {rtprio: 0.5}\n"                    // 16
      "builtins: [ipfail]\n");                      // 17
  EXPECT_EQ(ErrorMentioning(r, "nodes must be a list").line, 2);
  Diagnostic autojoin = ErrorMentioning(r, "autojoin must be one of none, other, any");
  EXPECT_EQ(autojoin.line, 3);
  EXPECT_NE(autojoin.message.find("\"sometimes\""), std::string::npos);
  EXPECT_EQ(ErrorMentioning(r, "keepalive must be a time").line, 5);
  EXPECT_EQ(ErrorMentioning(r, "deadtime must be a single value, not a list").line, 6);
  EXPECT_EQ(ErrorMentioning(r, "media must be a list").line, 8);
  EXPECT_EQ(ErrorMentioning(r, "ping entry needs either address").line, 11);
  EXPECT_EQ(ErrorMentioning(r, "udpport must be a whole number from 1 to 65535").line, 12);
  EXPECT_EQ(ErrorMentioning(r, "group must be a list").line, 14);
  EXPECT_EQ(ErrorMentioning(r, "debug must be a whole number from 0 to 255").line, 15);
  EXPECT_EQ(ErrorMentioning(r, "use_logd must be true or false").line, 15);
  EXPECT_EQ(ErrorMentioning(r, "rtprio must be a whole number").line, 16);
  EXPECT_EQ(ErrorMentioning(r, "builtins must be a mapping").line, 17);
  EXPECT_TRUE(r.config.nodes.empty());
  EXPECT_TRUE(r.config.media.empty());
  EXPECT_EQ(r.config.ping_targets.size(), 1u);
  EXPECT_EQ(r.config.udpport, 694);
  EXPECT_TRUE(r.config.groups.empty());
}

TEST(ConfigYamlErrors, BadFailbackHolddown) {
  Result r = Parse(
      "cluster:\n"
      "  nodes: [node1, node2]\n"
      "policy:\n"
      "  start_timeout: 30\n"
      "  failback_holddown: -1\n");  // 5
  Diagnostic d = ErrorMentioning(r, "failback_holddown must be a time");
  EXPECT_EQ(d.line, 5);
  EXPECT_NE(d.message.find("\"-1\""), std::string::npos) << d.message;
  EXPECT_FALSE(r.config.policy.failback_holddown.has_value());
  Result words = Parse("policy: {failback_holddown: [1, 2]}\n");
  EXPECT_EQ(ErrorMentioning(words, "failback_holddown must be a single value").line, 1);
  Result typo = Parse("policy:\n  failback_holddwn: 10\n");
  EXPECT_NE(ErrorMentioning(typo, "\"failback_holddwn\"").message.find("failback_holddown"),
            std::string::npos);
}

TEST(ConfigYamlErrors, MediaRules) {
  Result r = Parse(
      "media:\n"
      "  - {type: mcast, interface: eth0, group: 192.0.2.1}\n"     // 2: not multicast
      "  - {type: mcast6, interface: eth0, group: 2001:db8::1}\n"  // 3
      "  - {type: bcats, interface: eth0}\n"                       // 4
      "  - {type: ucast, interface: eth0}\n"                       // 5: no peer
      "  - {type: ucast, interface: eth0, peer: 198.51.100.3, group: 239.255.0.1}\n"  // 6: group on
                                                                                      // ucast
      "  - {interface: eth0}\n"                                                       // 7: no type
      "  - {type: bcast, interface: eth0, port: 70000}\n"                             // 8
      "  - {type: mcast, interface: eth0, group: 239.255.0.1, ttl: 256, loop: maybe}\n"  // 9
      "  - {type: bcast, interface: eth3}\n"                                             // 10: fine
      "  - [bcast, eth0]\n");                                                            // 11
  EXPECT_EQ(ErrorMentioning(r, "mcast group must be an IPv4 multicast address").line, 2);
  EXPECT_EQ(ErrorMentioning(r, "mcast6 group must be an IPv6 multicast").line, 3);
  Diagnostic type = ErrorMentioning(r, "media type must be one of");
  EXPECT_EQ(type.line, 4);
  EXPECT_NE(type.message.find("did you mean \"bcast\""), std::string::npos);
  EXPECT_EQ(ErrorMentioning(r, "ucast media entry needs a peer").line, 5);
  EXPECT_EQ(ErrorMentioning(r, "ucast media take peer, not group").line, 6);
  EXPECT_EQ(ErrorMentioning(r, "media entry needs a type").line, 7);
  EXPECT_EQ(ErrorMentioning(r, "port must be a whole number from 1 to 65535").line, 8);
  EXPECT_EQ(ErrorMentioning(r, "ttl must be a whole number from 0 to 255").line, 9);
  EXPECT_EQ(ErrorMentioning(r, "loop must be true or false").line, 9);
  EXPECT_EQ(ErrorMentioning(r, "media entry must be a mapping").line, 11);
  ASSERT_EQ(r.config.media.size(), 1u);
  EXPECT_EQ(r.config.media[0].interface, "eth3");
  EXPECT_EQ(r.config.media[0].where.line, 10);
}

TEST(ConfigYamlErrors, NodesAndAuthRules) {
  Result r = Parse(
      "cluster:\n"
      "  nodes:\n"
      "    - Node1\n"
      "    - NODE1\n"          // 4: duplicate once lower-cased
      "    - \"two words\"\n"  // 5
      "    - {name: x}\n"      // 6
      "auth:\n"
      "  sign: 9\n"  // 8: no such key
      "  keys:\n"
      "    - {index: 16, method: sha1, secret: a}\n"    // 10
      "    - {index: 1, method: crc, secret: a}\n"      // 11
      "    - {index: 2, method: md5}\n"                 // 12
      "    - {index: 3, method: sha256, secret: a}\n"   // 13
      "    - {index: 4, method: sha1, secret: a}\n"     // 14: fine
      "    - {index: 4, method: sha1, secret: b}\n"     // 15: duplicate
      "    - {index: 5, method: sha1, secret: ''}\n");  // 16
  EXPECT_EQ(r.config.nodes, std::vector<std::string>{"node1"});
  EXPECT_EQ(ErrorMentioning(r, "node \"node1\" is listed twice").line, 4);
  EXPECT_EQ(ErrorMentioning(r, "\"two words\" must be one word").line, 5);
  EXPECT_EQ(ErrorMentioning(r, "each entry of nodes must be a single value").line, 6);
  EXPECT_EQ(ErrorMentioning(r, "sign names key 9").line, 8);
  EXPECT_EQ(ErrorMentioning(r, "auth key index must be a whole number from 0 to 15").line, 10);
  EXPECT_EQ(ErrorMentioning(r, "crc takes no secret").line, 11);
  EXPECT_EQ(ErrorMentioning(r, "md5 needs a secret").line, 12);
  EXPECT_EQ(ErrorMentioning(r, "auth method must be one of crc, md5, sha1").line, 13);
  EXPECT_EQ(ErrorMentioning(r, "auth key 4 is listed twice").line, 15);
  EXPECT_EQ(ErrorMentioning(r, "the secret is empty").line, 16);
  ASSERT_EQ(r.config.auth.keys.size(), 1u);
  EXPECT_EQ(r.config.auth.keys[0].secret, "a");
  EXPECT_EQ(r.config.auth.sign_index, -1);
}

TEST(ConfigYamlErrors, ResourcesAndListsOfMaps) {
  Result r = Parse(
      "resources:\n"
      "  - {node: node1, group: [\"::/dev/sda1\", mysql]}\n"   // 2: no type
      "  - {node: node1, group: []}\n"                         // 3
      "  - {group: [mysql]}\n"                                 // 4
      "  - {node: node2, group: [\"two words\", [nested]]}\n"  // 5
      "respawn:\n"
      "  - {user: hacluster}\n"                         // 7
      "  - {user: root, path: /bin/x, args: {a: b}}\n"  // 8
      "apiauth:\n"
      "  - {uid: [root]}\n"  // 10
      "env:\n"
      "  GOOD: value\n"
      "  \"A=B\": x\n"      // 13
      "  LIST: [a, b]\n");  // 14
  EXPECT_EQ(ErrorMentioning(r, "has no name before '::'").line, 2);
  EXPECT_EQ(ErrorMentioning(r, "lists no resources").line, 3);
  EXPECT_EQ(ErrorMentioning(r, "resources entry needs a node").line, 4);
  EXPECT_EQ(ErrorMentioning(r, "resource \"two words\" must be one haresources token").line, 5);
  EXPECT_EQ(ErrorMentioning(r, "each resource of group must be a single value").line, 5);
  EXPECT_EQ(ErrorMentioning(r, "respawn entry needs a user and a path").line, 7);
  EXPECT_EQ(ErrorMentioning(r, "args must be a list").line, 8);
  EXPECT_EQ(ErrorMentioning(r, "apiauth entry needs a client").line, 10);
  EXPECT_EQ(ErrorMentioning(r, "env name \"A=B\"").line, 13);
  EXPECT_EQ(ErrorMentioning(r, "env LIST must be a single value").line, 14);
  EXPECT_TRUE(r.config.groups.empty());
  EXPECT_TRUE(r.config.respawn.empty());
  EXPECT_TRUE(r.config.apiauth.empty());
  EXPECT_EQ(r.config.env, (std::map<std::string, std::string>{{"GOOD", "value"}}));
}

TEST(ConfigYamlErrors, BinaryValuesMustBeBase64) {
  Result r = Parse("logging:\n  logfile: !!binary \"@@@\"\n  debugfile: !!binary L3Zhci9sb2c=\n");
  EXPECT_EQ(ErrorMentioning(r, "logfile is marked !!binary but is not base64").line, 2);
  EXPECT_EQ(r.config.logging.debugfile, "/var/log");
}

TEST(ConfigYamlErrors, DuplicateKeysAreReported) {
  Result r = Parse(
      "timing:\n"
      "  deadtime: 10s\n"
      "  deadtime: 20s\n");  // 3
  EXPECT_EQ(ErrorMentioning(r, "duplicate key \"deadtime\" in timing").line, 3);
  EXPECT_EQ(r.config.timings.deadtime, Millis(10000));
}

TEST(ConfigYamlErrors, SyntaxErrorGivesOneErrorWithItsLine) {
  Result r = Parse(
      "cluster:\n"
      "  name: linux-ha\n"
      "  nodes: [node1, node2\n"  // 3: unclosed
      "timing:\n"
      "  keepalive: 1s\n");
  ASSERT_EQ(r.diags.items().size(), 1u);
  const Diagnostic& d = r.diags.items()[0];
  EXPECT_EQ(d.severity, Severity::kError);
  EXPECT_NE(d.message.find("YAML syntax error"), std::string::npos) << d.message;
  EXPECT_GE(d.line, 3);
  EXPECT_LE(d.line, 5);
  EXPECT_TRUE(r.config == ClusterConfig{});

  Result tabs = Parse("cluster:\n  name: a\n bad indent: [\n");
  ASSERT_EQ(tabs.diags.ErrorCount(), 1);
  EXPECT_GT(tabs.diags.items()[0].line, 0);

  Result quote = Parse("auth:\n  keys:\n    - {index: 1, method: sha1, secret: \"abc}\n");
  ASSERT_EQ(quote.diags.ErrorCount(), 1);
  EXPECT_GE(quote.diags.items()[0].line, 3);
}

TEST(ConfigYamlErrors, EmptyAndOddDocuments) {
  for (const char* text : {"", "\n\n", "# only a comment\n", "---\n", "~\n"}) {
    Result r = Parse(text);
    ASSERT_EQ(r.diags.ErrorCount(), 1) << "[" << text << "]";
    EXPECT_TRUE(r.diags.Mentions("file is empty")) << text;
  }
  Result list = Parse("- node1\n- node2\n");
  EXPECT_TRUE(list.diags.Mentions("must be a mapping")) << list.diags.items().size();
  Result scalar = Parse("hello\n");
  EXPECT_TRUE(scalar.diags.Mentions("must be a mapping"));
  Result two = Parse("cluster: {name: a}\n---\ncluster: {name: b}\n");
  EXPECT_EQ(ErrorMentioning(two, "several YAML documents").line, 2);  // the "---" line
  // An empty section is simply empty.
  Result empty_section = Parse("timing:\nmedia:\nenv:\n");
  EXPECT_TRUE(empty_section.diags.empty());
}

// yaml-cpp 0.7 loops on a stray ',' outside any flow collection; it must be a plain error.
TEST(ConfigYamlErrors, StrayCommaIsASyntaxError) {
  for (const char* text : {",", ",a", "--- ,\n", "cluster: {name: a}\n---\n,\n"}) {
    Result r = Parse(text);
    EXPECT_EQ(r.diags.ErrorCount(), 1) << text;
    EXPECT_TRUE(r.diags.HasErrors()) << text;
  }
  Result r = Parse("\n\n, nodes: [a]\n");
  EXPECT_EQ(ErrorMentioning(r, "unexpected ','").line, 3);
}

TEST(ConfigYamlErrors, BinaryJunkNeverCrashes) {
  Result nul = Parse(std::string("cluster:\n  name: a\0b\n", 22));
  ASSERT_EQ(nul.diags.ErrorCount(), 1);
  EXPECT_TRUE(nul.diags.Mentions("NUL byte"));
  EXPECT_EQ(nul.diags.items()[0].line, 2);

  std::mt19937 rng(12345);
  for (int i = 0; i < 300; ++i) {
    std::string junk(static_cast<size_t>(rng() % 400), '\0');
    for (char& c : junk)
      c = static_cast<char>(rng() % 256);
    Result r = Parse(junk);
    for (const auto& d : r.diags.items())
      EXPECT_GE(d.line, 0);
  }
  // Junk without NUL bytes gets through to the YAML parser itself.
  for (int i = 0; i < 300; ++i) {
    std::string junk(static_cast<size_t>(rng() % 400), 'x');
    for (char& c : junk)
      c = static_cast<char>(1 + rng() % 255);
    Parse(junk);
  }
}

TEST(ConfigYamlErrors, DeepNestingIsAnErrorNotAStackOverflow) {
  Result r = Parse("cluster: " + std::string(100000, '[') + "\n");
  EXPECT_TRUE(r.diags.HasErrors());
  Result maps = Parse(std::string(50000, '{') + "\n");
  EXPECT_TRUE(maps.diags.HasErrors());
}

TEST(ConfigYamlErrors, MutatedValidFilesNeverThrow) {
  const std::string valid =
      "cluster: {name: linux-ha, nodes: [node1, node2], auto_failback: \"off\"}\n"
      "timing: {keepalive: 500ms, deadtime: 10s}\n"
      "media:\n  - {type: mcast, interface: eth0, group: 239.255.0.1, port: 694}\n"
      "ping:\n  - {group: routers, addresses: [192.0.2.1]}\n"
      "env: {A: b}\n"
      "resources:\n  - node: node1\n    group: [drbddisk, 'Filesystem::/dev/drbd0::/d::ext4']\n"
      "auth: {sign: 1, keys: [{index: 1, method: sha1, secret: x}]}\n";
  ASSERT_TRUE(Parse(valid).diags.empty());
  const std::string alphabet = "[]{}:,-#'\"&*!|>?%@` \n\t\\0aZ~";
  std::mt19937 rng(777);
  for (int i = 0; i < 2000; ++i) {
    std::string text = valid;
    int edits = 1 + static_cast<int>(rng() % 4);
    for (int e = 0; e < edits; ++e) {
      size_t pos = rng() % text.size();
      switch (rng() % 3) {
        case 0:
          text[pos] = alphabet[rng() % alphabet.size()];
          break;
        case 1:
          text.insert(pos, 1, alphabet[rng() % alphabet.size()]);
          break;
        default:
          text.erase(pos, 1);
          break;
      }
    }
    Result r = Parse(text);
    for (const auto& d : r.diags.items()) {
      EXPECT_FALSE(d.message.empty());
      EXPECT_GE(d.line, 0);
    }
  }
}

}  // namespace
}  // namespace hbd::config
