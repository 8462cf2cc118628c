#include "config/config_digest.h"

#include <set>

#include "util/sha1.h"

namespace hbd::config {

std::string ConfigDigestText(const ClusterConfig& config) {
  std::string out;
  auto line = [&out](const std::string& text) { out += text + "\n"; };
  for (const auto& n : config.nodes)
    line("node " + n);
  const Timings& t = config.timings;
  line("timings " + std::to_string(t.keepalive.count()) + " " + std::to_string(t.deadtime.count()) +
       " " + std::to_string(t.Warntime().count()) + " " + std::to_string(t.Initdead().count()) +
       " " + std::to_string(t.Deadping().count()));
  line(std::string("auto_failback ") + ToString(config.auto_failback));
  line(std::string("autojoin ") + ToString(config.autojoin));
  // Only when it is not the default, so that configurations leaving it alone keep their digest.
  const Millis hold_down = config.FailbackHoldDown();
  if (hold_down != kDefaultFailbackHoldDownDeadtimes * t.deadtime)
    line("failback_holddown " + std::to_string(hold_down.count()));
  std::set<std::string> media;
  for (const auto& m : config.media) {
    bool group = m.type == MediumType::kMcast || m.type == MediumType::kMcast6;
    media.insert(std::string(ToString(m.type)) + " " + (group ? m.address + " " : "") +
                 std::to_string(m.port));
  }
  for (const auto& m : media)
    line("medium " + m);
  line(std::string("builtins ipfail=") + (config.builtins.ipfail ? "on" : "off") +
       " dopd=" + (config.builtins.dopd ? "on" : "off"));
  for (const auto& g : config.groups) {
    std::string text = "group " + g.preferred_node;
    for (const auto& r : g.resources)
      text += " " + r.Spec();
    line(text);
  }
  return out;
}

std::string ConfigDigest(const ClusterConfig& config) {
  const std::string text = ConfigDigestText(config);
  const auto md = util::Sha1(text);
  static const char kHex[] = "0123456789abcdef";
  std::string hex;
  for (size_t i = 0; i < sizeof(md) && hex.size() < 12; ++i) {
    hex += kHex[md[i] >> 4];
    hex += kHex[md[i] & 0xf];
  }
  return hex;
}

}  // namespace hbd::config
