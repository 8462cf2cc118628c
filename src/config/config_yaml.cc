// ParseYamlConfig: hbd.yaml read into the ClusterConfig model (see config_yaml.h for the schema).
// Only the per-value rules of the classic files are checked here (node names, auth indexes and
// methods, multicast groups); rules that relate several settings belong to the validator.
#include "config/config_yaml.h"

#include <arpa/inet.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <exception>
#include <sstream>

#include "config/config_text.h"
#include "config/yaml_reader.h"

namespace hbd::config {
namespace {

constexpr size_t kMaxFileSize = 4 * 1024 * 1024;
constexpr size_t kMaxNodeName = 100;  // Heartbeat's HOSTLENG

bool IsIPv4(const std::string& text) {
  in_addr addr{};
  return inet_pton(AF_INET, text.c_str(), &addr) == 1;
}

bool IsMulticastV4(const std::string& text) {
  in_addr addr{};
  if (inet_pton(AF_INET, text.c_str(), &addr) != 1)
    return false;
  auto first = static_cast<unsigned>(ntohl(addr.s_addr) >> 24);
  return first >= 224 && first <= 239;
}

bool IsMulticastV6(const std::string& text) {
  in6_addr addr{};
  return inet_pton(AF_INET6, text.c_str(), &addr) == 1 && addr.s6_addr[0] == 0xff;
}

bool HasSpace(const std::string& text) {
  return text.find_first_of(" \t\r\n\f\v") != std::string::npos;
}

std::vector<std::string> SplitSpec(const std::string& token) {
  std::vector<std::string> parts;
  size_t start = 0;
  while (true) {
    size_t sep = token.find("::", start);
    if (sep == std::string::npos) {
      parts.push_back(token.substr(start));
      return parts;
    }
    parts.push_back(token.substr(start, sep - start));
    start = sep + 2;
  }
}

// Counts the events of one document; only their positions matter here.
class DocumentCounter : public YAML::EventHandler {
 public:
  void OnDocumentStart(const YAML::Mark& mark) override { start = mark; }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t,
                const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}
  YAML::Mark start;
};

// True when `content` is one YAML document. yaml-cpp 0.7 never gets past a stray flow token
// (',' at the top level): it returns the same empty document again and again, and LoadAll
// allocates until memory runs out. So the documents are counted here, and a document that starts
// where the previous one started is reported as the syntax error it is.
bool CheckDocuments(std::string_view content, const std::string& file, Diagnostics& diags) {
  std::istringstream in{std::string(content)};
  YAML::Parser parser(in);
  DocumentCounter counter;
  int documents = 0;
  int previous_start = -1;
  YAML::Mark second;
  while (documents < 3 && parser.HandleNextDocument(counter)) {
    if (counter.start.pos == previous_start) {
      auto pos = static_cast<size_t>(counter.start.pos);
      std::string what = pos < content.size() ? std::string(1, content[pos]) : "end of file";
      diags.Error(file, counter.start.line + 1,
                  "YAML syntax error: unexpected '" + what + "' outside a [list] or {mapping}");
      return false;
    }
    previous_start = counter.start.pos;
    if (++documents == 2)
      second = counter.start;
  }
  if (documents >= 2) {
    diags.Error(file, second.line + 1, "file holds several YAML documents ('---'); hbd reads one");
    return false;
  }
  return true;
}

class YamlConfigParser {
 public:
  YamlConfigParser(const std::string& file, ClusterConfig& config, Diagnostics& diags)
      : r_(file, diags), c_(config) {}

  void Parse(const YAML::Node& root);

 private:
  void ReadCluster(const YAML::Node& node, int line);
  void ReadNodes(const YAML::Node& node, int line);
  void ReadTiming(const YAML::Node& node, int line);
  void ReadMedia(const YAML::Node& node, int line);
  void ReadMedium(const YAML::Node& node, int line);
  void ReadPing(const YAML::Node& node, int line);
  void ReadLogging(const YAML::Node& node, int line);
  void ReadProcess(const YAML::Node& node, int line);
  void ReadBuiltins(const YAML::Node& node, int line);
  void ReadRespawn(const YAML::Node& node, int line);
  void ReadApiAuth(const YAML::Node& node, int line);
  void ReadEnv(const YAML::Node& node, int line);
  void ReadResources(const YAML::Node& node, int line);
  std::optional<Resource> ReadResource(const YAML::Node& node, int line);
  void ReadAuth(const YAML::Node& node, int line);
  std::optional<AuthKey> ReadAuthKey(const YAML::Node& node, int line);

  YamlReader r_;
  ClusterConfig& c_;
};

void YamlConfigParser::Parse(const YAML::Node& root) {
  static const std::vector<std::string> kKeys = {
      "cluster",  "timing",  "udpport", "media", "ping",      "logging", "process",
      "builtins", "respawn", "apiauth", "env",   "resources", "auth"};
  auto top = r_.Map(root, "hbd.yaml (the top level)", kKeys, 1);
  if (!top)
    return;
  // udpport first: it is the default port of every media entry, wherever it stands in the file.
  if (const auto* port = top->Find("udpport")) {
    if (auto v = r_.Integer(*port, "udpport", 1, 65535, top->line)) {
      c_.udpport = static_cast<uint16_t>(*v);
    }
  }
  for (const auto& [key, value] : top->entries) {
    int line = r_.Line(value, top->line);
    if (key == "cluster")
      ReadCluster(value, line);
    else if (key == "timing")
      ReadTiming(value, line);
    else if (key == "media")
      ReadMedia(value, line);
    else if (key == "ping")
      ReadPing(value, line);
    else if (key == "logging")
      ReadLogging(value, line);
    else if (key == "process")
      ReadProcess(value, line);
    else if (key == "builtins")
      ReadBuiltins(value, line);
    else if (key == "respawn")
      ReadRespawn(value, line);
    else if (key == "apiauth")
      ReadApiAuth(value, line);
    else if (key == "env")
      ReadEnv(value, line);
    else if (key == "resources")
      ReadResources(value, line);
    else if (key == "auth")
      ReadAuth(value, line);
  }
}

void YamlConfigParser::ReadCluster(const YAML::Node& node, int line) {
  auto map = r_.Map(node, "cluster", {"name", "nodes", "auto_failback", "autojoin"}, line);
  if (!map)
    return;
  for (const auto& [key, value] : map->entries) {
    if (key == "name") {
      if (auto v = r_.String(value, "cluster name", line)) {
        if (v->empty() || HasSpace(*v)) {
          r_.Error(r_.Line(value, line), "cluster name must be one word, not \"" + *v + "\"");
        } else {
          c_.cluster_name = *v;
        }
      }
    } else if (key == "nodes") {
      ReadNodes(value, line);
    } else if (key == "auto_failback") {
      // "on"/"off" arrive as text; true/false and yes/no mean the same.
      auto text = r_.String(value, "auto_failback", line);
      if (!text)
        continue;
      auto as_bool = ParseBool(*text);
      if (as_bool) {
        c_.auto_failback = *as_bool ? AutoFailback::kOn : AutoFailback::kOff;
        c_.auto_failback_set = true;
      } else if (auto v = r_.Choice(value, "auto_failback", {"on", "off", "legacy"}, line)) {
        c_.auto_failback = AutoFailback::kLegacy;
        c_.auto_failback_set = true;
      }
    } else if (key == "autojoin") {
      if (auto v = r_.Choice(value, "autojoin", {"none", "other", "any"}, line)) {
        c_.autojoin = *v == "none"    ? Autojoin::kNone
                      : *v == "other" ? Autojoin::kOther
                                      : Autojoin::kAny;
      }
    }
  }
}

void YamlConfigParser::ReadNodes(const YAML::Node& node, int line) {
  auto items = r_.List(node, "nodes", line);
  if (!items)
    return;
  for (const auto& item : *items) {
    int at = r_.Line(item, line);
    auto name = r_.String(item, "each entry of nodes", at);
    if (!name)
      continue;
    std::string lower = ToLower(*name);
    if (lower.empty() || HasSpace(lower) || lower.size() > kMaxNodeName) {
      r_.Error(at, "node name \"" + *name + "\" must be one word of 1 to " +
                       std::to_string(kMaxNodeName) + " characters");
      continue;
    }
    if (c_.HasNode(lower)) {
      r_.Error(at, "node \"" + lower + "\" is listed twice");
      continue;
    }
    c_.nodes.push_back(lower);
    c_.node_at.push_back(r_.Where(item, line));
  }
}

void YamlConfigParser::ReadTiming(const YAML::Node& node, int line) {
  auto map =
      r_.Map(node, "timing", {"keepalive", "deadtime", "warntime", "initdead", "deadping"}, line);
  if (!map)
    return;
  Timings& t = c_.timings;
  for (const auto& [key, value] : map->entries) {
    auto v = r_.Time(value, key, line);
    if (!v)
      continue;
    SourceLocation at = r_.Where(value, line);
    if (key == "keepalive") {
      t.keepalive = *v;
      t.keepalive_at = at;
    } else if (key == "deadtime") {
      t.deadtime = *v;
      t.deadtime_at = at;
    } else if (key == "warntime") {
      t.warntime = *v;
      t.warntime_at = at;
    } else if (key == "initdead") {
      t.initdead = *v;
      t.initdead_at = at;
    } else if (key == "deadping") {
      t.deadping = *v;
      t.deadping_at = at;
    }
  }
}

void YamlConfigParser::ReadMedia(const YAML::Node& node, int line) {
  auto items = r_.List(node, "media", line);
  if (!items)
    return;
  for (const auto& item : *items)
    ReadMedium(item, r_.Line(item, line));
}

void YamlConfigParser::ReadMedium(const YAML::Node& node, int line) {
  auto map = r_.Map(node, "media entry",
                    {"type", "interface", "group", "peer", "port", "ttl", "loop"}, line);
  if (!map)
    return;
  Medium m;
  m.port = c_.udpport;
  m.where = r_.Where(node, line);
  bool ok = true;
  const YAML::Node* type = map->Find("type");
  if (!type) {
    r_.Error(line, "media entry needs a type (bcast, mcast, mcast6, ucast or ucast6)");
    return;
  }
  auto kind = r_.Choice(*type, "media type", {"bcast", "mcast", "mcast6", "ucast", "ucast6"}, line);
  if (!kind)
    return;
  for (auto t : {MediumType::kBcast, MediumType::kMcast, MediumType::kMcast6, MediumType::kUcast,
                 MediumType::kUcast6}) {
    if (*kind == ToString(t))
      m.type = t;
  }
  bool mcast = m.type == MediumType::kMcast || m.type == MediumType::kMcast6;
  bool ucast = m.type == MediumType::kUcast || m.type == MediumType::kUcast6;
  const char* address_key = mcast ? "group" : ucast ? "peer" : nullptr;
  for (const auto& [key, value] : map->entries) {
    int at = r_.Line(value, line);
    if (key == "interface") {
      auto v = r_.String(value, "interface", line);
      if (v && (v->empty() || HasSpace(*v))) {
        r_.Error(at, "interface must be one word, not \"" + *v + "\"");
        v.reset();
      }
      if (v)
        m.interface = *v;
      ok = ok && v.has_value();
    } else if (key == "group" || key == "peer") {
      if (address_key == nullptr || key != address_key) {
        r_.Error(at, *kind + " media take " +
                         (address_key ? std::string(address_key) : std::string("no address")) +
                         ", not " + key);
        ok = false;
        continue;
      }
      auto v = r_.String(value, key, line);
      if (v && m.type == MediumType::kMcast && !IsMulticastV4(*v)) {
        r_.Error(at,
                 "mcast group must be an IPv4 multicast address (224.0.0.0 to "
                 "239.255.255.255), not \"" +
                     *v + "\"");
        v.reset();
      } else if (v && m.type == MediumType::kMcast6 && !IsMulticastV6(*v)) {
        r_.Error(at,
                 "mcast6 group must be an IPv6 multicast address (ff00::/8), not \"" + *v + "\"");
        v.reset();
      } else if (v && (v->empty() || HasSpace(*v))) {
        r_.Error(at, "peer must be an address or host name, not \"" + *v + "\"");
        v.reset();
      }
      if (v)
        m.address = *v;
      ok = ok && v.has_value();
    } else if (key == "port") {
      auto v = r_.Integer(value, "port", 1, 65535, line);
      if (v)
        m.port = static_cast<uint16_t>(*v);
      ok = ok && v.has_value();
    } else if (key == "ttl") {
      auto v = r_.Integer(value, "ttl", 0, 255, line);
      if (v)
        m.ttl = static_cast<int>(*v);
      ok = ok && v.has_value();
    } else if (key == "loop") {
      auto v = r_.Bool(value, "loop", line);
      if (v)
        m.loop = *v;
      ok = ok && v.has_value();
    }
  }
  if (!map->Find("interface")) {
    r_.Error(line, *kind + " media entry needs an interface");
    ok = false;
  }
  if (address_key && !map->Find(address_key)) {
    r_.Error(line, *kind + " media entry needs a " + address_key);
    ok = false;
  }
  if (ok)
    c_.media.push_back(std::move(m));
}

void YamlConfigParser::ReadPing(const YAML::Node& node, int line) {
  auto items = r_.List(node, "ping", line);
  if (!items)
    return;
  for (const auto& item : *items) {
    int at = r_.Line(item, line);
    auto map = r_.Map(item, "ping entry", {"address", "group", "addresses"}, at);
    if (!map)
      continue;
    PingTarget p;
    p.where = r_.Where(item, line);
    const YAML::Node* address = map->Find("address");
    const YAML::Node* group = map->Find("group");
    const YAML::Node* addresses = map->Find("addresses");
    if ((address != nullptr) == (group != nullptr)) {
      r_.Error(at, "ping entry needs either address (one ping node) or group (a ping group)");
      continue;
    }
    auto name = r_.String(address ? *address : *group, address ? "address" : "group", at);
    if (!name)
      continue;
    if (name->empty() || HasSpace(*name)) {
      r_.Error(at, "ping " + std::string(address ? "address" : "group") +
                       " must be one word, not \"" + *name + "\"");
      continue;
    }
    p.name = *name;
    p.is_group = group != nullptr;
    if (addresses) {
      auto list = r_.StringList(*addresses, "addresses", at);
      if (!list)
        continue;
      p.addresses = *list;
    } else if (address) {
      p.addresses = {*name};
    }
    if (p.is_group && p.addresses.empty()) {
      r_.Error(at, "ping group \"" + p.name + "\" needs at least one address");
      continue;
    }
    c_.ping_targets.push_back(std::move(p));
  }
}

void YamlConfigParser::ReadLogging(const YAML::Node& node, int line) {
  auto map = r_.Map(node, "logging",
                    {"facility", "logfile", "debugfile", "use_logd", "debug", "log_badpack"}, line);
  if (!map)
    return;
  Logging& l = c_.logging;
  for (const auto& [key, value] : map->entries) {
    if (key == "facility") {
      if (auto v = r_.String(value, key, line))
        l.facility = *v;
    } else if (key == "logfile") {
      if (auto v = r_.String(value, key, line))
        l.logfile = *v;
    } else if (key == "debugfile") {
      if (auto v = r_.String(value, key, line))
        l.debugfile = *v;
    } else if (key == "use_logd") {
      if (auto v = r_.Bool(value, key, line))
        l.use_logd = *v;
    } else if (key == "debug") {
      if (auto v = r_.Integer(value, key, 0, 255, line))
        l.debug = static_cast<int>(*v);
    } else if (key == "log_badpack") {
      if (auto v = r_.Bool(value, key, line))
        l.log_badpack = *v;
    }
  }
}

void YamlConfigParser::ReadProcess(const YAML::Node& node, int line) {
  auto map =
      r_.Map(node, "process", {"realtime", "rtprio", "coredumps", "coreroot", "watchdog"}, line);
  if (!map)
    return;
  ProcessSettings& p = c_.process;
  for (const auto& [key, value] : map->entries) {
    if (key == "realtime") {
      if (auto v = r_.Bool(value, key, line))
        p.realtime = *v;
    } else if (key == "rtprio") {
      if (auto v = r_.Integer(value, key, 1, 99, line))
        p.rtprio = static_cast<int>(*v);
    } else if (key == "coredumps") {
      if (auto v = r_.Bool(value, key, line))
        p.coredumps = *v;
    } else if (key == "coreroot") {
      if (auto v = r_.String(value, key, line))
        p.coreroot = *v;
    } else if (key == "watchdog") {
      if (auto v = r_.String(value, key, line))
        p.watchdog_device = *v;
    }
  }
}

void YamlConfigParser::ReadBuiltins(const YAML::Node& node, int line) {
  auto map = r_.Map(node, "builtins", {"ipfail", "dopd"}, line);
  if (!map)
    return;
  for (const auto& [key, value] : map->entries) {
    auto v = r_.Bool(value, key, line);
    if (!v)
      continue;
    (key == "ipfail" ? c_.builtins.ipfail : c_.builtins.dopd) = *v;
  }
}

void YamlConfigParser::ReadRespawn(const YAML::Node& node, int line) {
  auto items = r_.List(node, "respawn", line);
  if (!items)
    return;
  for (const auto& item : *items) {
    int at = r_.Line(item, line);
    auto map = r_.Map(item, "respawn entry", {"user", "path", "args"}, at);
    if (!map)
      continue;
    RespawnClient client;
    client.where = r_.Where(item, line);
    const YAML::Node* user = map->Find("user");
    const YAML::Node* path = map->Find("path");
    if (!user || !path) {
      r_.Error(at, "respawn entry needs a user and a path");
      continue;
    }
    auto u = r_.String(*user, "user", at);
    auto p = r_.String(*path, "path", at);
    std::optional<std::vector<std::string>> args = std::vector<std::string>{};
    if (const YAML::Node* a = map->Find("args"))
      args = r_.StringList(*a, "args", at);
    if (!u || !p || !args)
      continue;
    client.user = *u;
    client.path = *p;
    client.args = *args;
    c_.respawn.push_back(std::move(client));
  }
}

void YamlConfigParser::ReadApiAuth(const YAML::Node& node, int line) {
  auto items = r_.List(node, "apiauth", line);
  if (!items)
    return;
  for (const auto& item : *items) {
    int at = r_.Line(item, line);
    auto map = r_.Map(item, "apiauth entry", {"client", "uid", "gid"}, at);
    if (!map)
      continue;
    ApiAuth auth;
    auth.where = r_.Where(item, line);
    const YAML::Node* client = map->Find("client");
    if (!client) {
      r_.Error(at, "apiauth entry needs a client");
      continue;
    }
    auto name = r_.String(*client, "client", at);
    std::optional<std::vector<std::string>> uids = std::vector<std::string>{};
    std::optional<std::vector<std::string>> gids = std::vector<std::string>{};
    if (const YAML::Node* u = map->Find("uid"))
      uids = r_.StringList(*u, "uid", at);
    if (const YAML::Node* g = map->Find("gid"))
      gids = r_.StringList(*g, "gid", at);
    if (!name || !uids || !gids)
      continue;
    auth.client = *name;
    auth.uids = *uids;
    auth.gids = *gids;
    c_.apiauth.push_back(std::move(auth));
  }
}

void YamlConfigParser::ReadEnv(const YAML::Node& node, int line) {
  if (!node.IsNull() && !node.IsMap()) {
    r_.Error(line, "env must be a mapping (NAME: value lines), not " + DescribeNode(node));
    return;
  }
  if (node.IsNull())
    return;
  for (const auto& entry : node) {
    int at = r_.Line(entry.first, line);
    auto name = r_.String(entry.first, "an env name", at);
    if (!name)
      continue;
    if (name->empty() || HasSpace(*name) || name->find('=') != std::string::npos) {
      r_.Error(at, "env name \"" + *name + "\" must be one word without '='");
      continue;
    }
    std::optional<std::string> value = std::string();
    if (!entry.second.IsNull())
      value = r_.String(entry.second, "env " + *name, at);
    if (!value)
      continue;
    if (!c_.env.emplace(*name, *value).second) {
      r_.Error(at, "env " + *name + " is set twice");
    }
  }
}

void YamlConfigParser::ReadResources(const YAML::Node& node, int line) {
  auto items = r_.List(node, "resources", line);
  if (!items)
    return;
  for (const auto& item : *items) {
    int at = r_.Line(item, line);
    auto map = r_.Map(item, "resources entry", {"node", "group"}, at);
    if (!map)
      continue;
    ResourceGroup g;
    g.where = r_.Where(item, line);
    const YAML::Node* preferred = map->Find("node");
    const YAML::Node* group = map->Find("group");
    if (!preferred || !group) {
      r_.Error(at, "resources entry needs a node (the preferred node) and a group (its resources)");
      continue;
    }
    auto name = r_.String(*preferred, "node", at);
    if (name && (name->empty() || HasSpace(*name))) {
      r_.Error(r_.Line(*preferred, at), "node must be one word, not \"" + *name + "\"");
      name.reset();
    }
    auto list = r_.List(*group, "group", at);
    if (!name || !list)
      continue;
    g.preferred_node = *name;
    bool ok = true;
    for (const auto& token : *list) {
      auto resource = ReadResource(token, at);
      if (resource) {
        g.resources.push_back(std::move(*resource));
      } else {
        ok = false;
      }
    }
    if (ok && g.resources.empty()) {
      r_.Error(at, "resource group of " + g.preferred_node + " lists no resources");
      ok = false;
    }
    if (ok)
      c_.groups.push_back(std::move(g));
  }
}

std::optional<Resource> YamlConfigParser::ReadResource(const YAML::Node& node, int line) {
  int at = r_.Line(node, line);
  auto token = r_.String(node, "each resource of group", at);
  if (!token)
    return std::nullopt;
  if (token->empty() || HasSpace(*token)) {
    r_.Error(at, "resource \"" + *token +
                     "\" must be one haresources token such as Filesystem::/dev/sda1::/data");
    return std::nullopt;
  }
  Resource r;
  r.where = r_.Where(node, line);
  std::vector<std::string> parts = SplitSpec(*token);
  // A bare IPv4 address (with optional /bits/interface/broadcast) is IPaddr, as in haresources.
  if (parts.size() == 1 && IsIPv4(token->substr(0, token->find('/')))) {
    r.type = "IPaddr";
    r.args = {*token};
    return r;
  }
  if (parts.front().empty()) {
    r_.Error(at, "resource \"" + *token + "\" has no type before '::'");
    return std::nullopt;
  }
  r.type = parts.front();
  r.args.assign(parts.begin() + 1, parts.end());
  return r;
}

void YamlConfigParser::ReadAuth(const YAML::Node& node, int line) {
  auto map = r_.Map(node, "auth", {"sign", "keys"}, line);
  if (!map)
    return;
  AuthConfig& auth = c_.auth;
  if (const YAML::Node* keys = map->Find("keys")) {
    auto items = r_.List(*keys, "keys", line);
    for (const auto& item : items ? *items : std::vector<YAML::Node>{}) {
      auto key = ReadAuthKey(item, r_.Line(item, line));
      if (!key)
        continue;
      if (auth.Find(key->index)) {
        r_.Error(key->where.line, "auth key " + std::to_string(key->index) + " is listed twice");
        continue;
      }
      auth.keys.push_back(std::move(*key));
    }
  }
  if (const YAML::Node* sign = map->Find("sign")) {
    int at = r_.Line(*sign, line);
    auto index = r_.Integer(*sign, "sign", 0, 15, line);
    if (index && !auth.Find(static_cast<int>(*index))) {
      r_.Error(at, "sign names key " + std::to_string(*index) + ", which keys does not list");
    } else if (index) {
      auth.sign_index = static_cast<int>(*index);
      auth.sign_at = r_.Where(*sign, line);
    }
  }
}

std::optional<AuthKey> YamlConfigParser::ReadAuthKey(const YAML::Node& node, int line) {
  auto map = r_.Map(node, "auth key", {"index", "method", "secret"}, line);
  if (!map)
    return std::nullopt;
  const YAML::Node* index = map->Find("index");
  const YAML::Node* method = map->Find("method");
  if (!index || !method) {
    r_.Error(line, "auth key needs an index (0-15) and a method (crc, md5 or sha1)");
    return std::nullopt;
  }
  AuthKey key;
  key.where = r_.Where(node, line);
  auto i = r_.Integer(*index, "auth key index", 0, 15, line);
  auto m = r_.Choice(*method, "auth method", {"crc", "md5", "sha1"}, line);
  if (!i || !m)
    return std::nullopt;
  key.index = static_cast<int>(*i);
  key.method = *m == "crc" ? AuthMethod::kCrc : *m == "md5" ? AuthMethod::kMd5 : AuthMethod::kSha1;
  const YAML::Node* secret = map->Find("secret");
  if (key.method == AuthMethod::kCrc) {
    if (secret) {
      r_.Error(r_.Line(*secret, line), "auth key " + std::to_string(key.index) +
                                           ": crc takes no secret (crc signs nothing)");
      return std::nullopt;
    }
    return key;
  }
  if (!secret) {
    r_.Error(line, "auth key " + std::to_string(key.index) + ": " + *m + " needs a secret");
    return std::nullopt;
  }
  auto text = r_.String(*secret, "secret", line);
  if (!text)
    return std::nullopt;
  if (text->empty()) {
    r_.Error(r_.Line(*secret, line),
             "auth key " + std::to_string(key.index) + ": the secret is empty");
    return std::nullopt;
  }
  key.secret = *text;
  return key;
}

}  // namespace

void ParseYamlConfig(std::string_view content, const std::string& file, ClusterConfig& config,
                     Diagnostics& diags) {
  if (content.size() > kMaxFileSize) {
    diags.Error(file, 0,
                "file is " + std::to_string(content.size()) + " bytes long (limit " +
                    std::to_string(kMaxFileSize) + "); is this the right file?");
    return;
  }
  if (content.find('\0') != std::string_view::npos) {
    int line = 1 + static_cast<int>(
                       std::count(content.begin(), content.begin() + content.find('\0'), '\n'));
    diags.Error(file, line, "file contains a NUL byte (is this a binary file?)");
    return;
  }
  try {
    if (!CheckDocuments(content, file, diags))
      return;
    YAML::Node root = YAML::Load(std::string(content));
    if (root.IsNull()) {
      diags.Error(file, 0, "file is empty: it must hold the cluster configuration");
      return;
    }
    YamlConfigParser(file, config, diags).Parse(root);
  } catch (const YAML::Exception& e) {
    int line = e.mark.is_null() || e.mark.line < 0 ? 0 : e.mark.line + 1;
    diags.Error(file, line, "YAML syntax error: " + e.msg);
  } catch (const std::exception& e) {
    diags.Error(file, 0, std::string("cannot read the file as YAML: ") + e.what());
  }
}

}  // namespace hbd::config
