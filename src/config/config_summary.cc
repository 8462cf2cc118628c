#include "config/config_summary.h"

#include <sstream>

namespace hbd::config {
namespace {

std::string DescribeMedium(const Medium& m) {
  std::ostringstream out;
  out << ToString(m.type) << " " << m.interface;
  switch (m.type) {
    case MediumType::kBcast:
      out << " port " << m.port;
      break;
    case MediumType::kMcast:
    case MediumType::kMcast6:
      out << " group " << m.address << " port " << m.port << " ttl " << m.ttl << " loop "
          << (m.loop ? 1 : 0);
      break;
    case MediumType::kUcast:
    case MediumType::kUcast6:
      out << " peer " << m.address << " port " << m.port;
      break;
  }
  return out.str();
}

std::string Join(const std::vector<std::string>& items, const char* sep) {
  std::string out;
  for (const auto& item : items)
    out += (out.empty() ? "" : sep) + item;
  return out;
}

}  // namespace

std::string SummarizeConfig(const ClusterConfig& config, const std::string& local_node) {
  std::ostringstream out;
  const Timings& t = config.timings;
  out << "cluster: " << config.cluster_name << "\n";
  out << "nodes:";
  for (const auto& n : config.nodes)
    out << " " << n << (n == local_node ? " (this node)" : "");
  out << "\n";
  out << "timings: keepalive " << t.keepalive.count() << " ms, warntime " << t.Warntime().count()
      << " ms, deadtime " << t.deadtime.count() << " ms, initdead " << t.Initdead().count()
      << " ms, deadping " << t.Deadping().count() << " ms\n";
  for (const auto& m : config.media)
    out << "medium: " << DescribeMedium(m) << "\n";
  for (const auto& p : config.ping_targets) {
    out << (p.is_group ? "ping group: " + p.name + " = " + Join(p.addresses, ", ")
                       : "ping node: " + p.name)
        << "\n";
  }
  out << "auto_failback: " << ToString(config.auto_failback) << "\n";
  if (config.builtins.ipfail)
    out << "built in: ipfail (ping connectivity decides)\n";
  if (config.builtins.dopd)
    out << "built in: dopd (DRBD outdate-peer)\n";
  if (const AuthKey* key = config.auth.Find(config.auth.sign_index)) {
    out << "auth: signing with key " << key->index << " (" << ToString(key->method) << "), "
        << config.auth.keys.size() << " key(s) accepted\n";
  }
  if (config.groups.empty())
    out << "groups: none\n";
  for (const auto& g : config.groups) {
    std::vector<std::string> specs;
    for (const auto& r : g.resources)
      specs.push_back(r.Spec());
    out << "group " << g.Key() << " (preferred " << g.preferred_node
        << "), start order: " << Join(specs, " -> ") << "\n";
  }
  return out.str();
}

}  // namespace hbd::config
