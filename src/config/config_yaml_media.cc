// hbd.yaml's media and ping sections: ha.cf's bcast/mcast/ucast(6) and ping/ping6/ping_group.
#include <arpa/inet.h>

#include "config/config_yaml_sections.h"

namespace hbd::config::yaml_sections {
namespace {

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

void ReadMedium(YamlReader& in, ClusterConfig& config, const YAML::Node& node, int line) {
  auto map = in.Map(node, "media entry",
                    {"type", "interface", "group", "peer", "port", "ttl", "loop"}, line);
  if (!map)
    return;
  Medium m;
  m.port = config.udpport;
  m.where = in.Where(node, line);
  bool ok = true;
  const YAML::Node* type = map->Find("type");
  if (!type) {
    in.Error(line, "media entry needs a type (bcast, mcast, mcast6, ucast or ucast6)");
    return;
  }
  auto kind = in.Choice(*type, "media type", {"bcast", "mcast", "mcast6", "ucast", "ucast6"}, line);
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
    int at = in.Line(value, line);
    if (key == "interface") {
      auto v = in.String(value, "interface", line);
      if (v && (v->empty() || HasSpace(*v))) {
        in.Error(at, "interface must be one word, not \"" + *v + "\"");
        v.reset();
      }
      if (v)
        m.interface = *v;
      ok = ok && v.has_value();
    } else if (key == "group" || key == "peer") {
      if (address_key == nullptr || key != address_key) {
        in.Error(at, *kind + " media take " +
                         (address_key ? std::string(address_key) : std::string("no address")) +
                         ", not " + key);
        ok = false;
        continue;
      }
      auto v = in.String(value, key, line);
      if (v && m.type == MediumType::kMcast && !IsMulticastV4(*v)) {
        in.Error(at,
                 "mcast group must be an IPv4 multicast address (224.0.0.0 to "
                 "239.255.255.255), not \"" +
                     *v + "\"");
        v.reset();
      } else if (v && m.type == MediumType::kMcast6 && !IsMulticastV6(*v)) {
        in.Error(at,
                 "mcast6 group must be an IPv6 multicast address (ff00::/8), not \"" + *v + "\"");
        v.reset();
      } else if (v && (v->empty() || HasSpace(*v))) {
        in.Error(at, "peer must be an address or host name, not \"" + *v + "\"");
        v.reset();
      }
      if (v)
        m.address = *v;
      ok = ok && v.has_value();
    } else if (key == "port") {
      auto v = in.Integer(value, "port", 1, 65535, line);
      if (v)
        m.port = static_cast<uint16_t>(*v);
      ok = ok && v.has_value();
    } else if (key == "ttl") {
      auto v = in.Integer(value, "ttl", 0, 255, line);
      if (v)
        m.ttl = static_cast<int>(*v);
      ok = ok && v.has_value();
    } else if (key == "loop") {
      auto v = in.Bool(value, "loop", line);
      if (v)
        m.loop = *v;
      ok = ok && v.has_value();
    }
  }
  if (!map->Find("interface")) {
    in.Error(line, *kind + " media entry needs an interface");
    ok = false;
  }
  if (address_key && !map->Find(address_key)) {
    in.Error(line, *kind + " media entry needs a " + address_key);
    ok = false;
  }
  if (ok)
    config.media.push_back(std::move(m));
}

}  // namespace

void ReadMedia(YamlReader& in, ClusterConfig& config, const YAML::Node& node, int line) {
  auto items = in.List(node, "media", line);
  if (!items)
    return;
  for (const auto& item : *items)
    ReadMedium(in, config, item, in.Line(item, line));
}

void ReadPing(YamlReader& in, ClusterConfig& config, const YAML::Node& node, int line) {
  auto items = in.List(node, "ping", line);
  if (!items)
    return;
  for (const auto& item : *items) {
    int at = in.Line(item, line);
    auto map = in.Map(item, "ping entry", {"address", "group", "addresses"}, at);
    if (!map)
      continue;
    PingTarget p;
    p.where = in.Where(item, line);
    const YAML::Node* address = map->Find("address");
    const YAML::Node* group = map->Find("group");
    const YAML::Node* addresses = map->Find("addresses");
    if ((address != nullptr) == (group != nullptr)) {
      in.Error(at, "ping entry needs either address (one ping node) or group (a ping group)");
      continue;
    }
    auto name = in.String(address ? *address : *group, address ? "address" : "group", at);
    if (!name)
      continue;
    if (name->empty() || HasSpace(*name)) {
      in.Error(at, "ping " + std::string(address ? "address" : "group") +
                       " must be one word, not \"" + *name + "\"");
      continue;
    }
    p.name = *name;
    p.is_group = group != nullptr;
    if (addresses) {
      auto list = in.StringList(*addresses, "addresses", at);
      if (!list)
        continue;
      p.addresses = *list;
    } else if (address) {
      p.addresses = {*name};
    }
    if (p.is_group && p.addresses.empty()) {
      in.Error(at, "ping group \"" + p.name + "\" needs at least one address");
      continue;
    }
    config.ping_targets.push_back(std::move(p));
  }
}

}  // namespace hbd::config::yaml_sections
