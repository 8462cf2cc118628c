#include "config/cluster_config.h"

#include <algorithm>
#include <cctype>

namespace hbd::config {

Millis Timings::Warntime() const {
  return warntime ? *warntime : deadtime / 2;
}

Millis Timings::Initdead() const {
  if (initdead)
    return *initdead;
  if (deadtime > Millis(10000))
    return deadtime;
  if (deadtime < Millis(6000))
    return Millis(12000);
  return 2 * deadtime;
}

Millis Timings::Deadping() const {
  return deadping ? *deadping : deadtime;
}

std::string Resource::Spec() const {
  std::string out = type;
  for (const auto& arg : args)
    out += "::" + arg;
  return out;
}

const AuthKey* AuthConfig::Find(int index) const {
  for (const auto& key : keys) {
    if (key.index == index)
      return &key;
  }
  return nullptr;
}

bool ClusterConfig::HasNode(const std::string& name) const {
  std::string lower(name);
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return std::find(nodes.begin(), nodes.end(), lower) != nodes.end();
}

Millis ClusterConfig::FailbackHoldDown() const {
  return policy.failback_holddown ? *policy.failback_holddown
                                  : kDefaultFailbackHoldDownDeadtimes * timings.deadtime;
}

const char* ToString(MediumType type) {
  switch (type) {
    case MediumType::kBcast:
      return "bcast";
    case MediumType::kMcast:
      return "mcast";
    case MediumType::kMcast6:
      return "mcast6";
    case MediumType::kUcast:
      return "ucast";
    case MediumType::kUcast6:
      return "ucast6";
  }
  return "?";
}

const char* ToString(AutoFailback mode) {
  switch (mode) {
    case AutoFailback::kLegacy:
      return "legacy";
    case AutoFailback::kOn:
      return "on";
    case AutoFailback::kOff:
      return "off";
  }
  return "?";
}

const char* ToString(Autojoin mode) {
  switch (mode) {
    case Autojoin::kNone:
      return "none";
    case Autojoin::kOther:
      return "other";
    case Autojoin::kAny:
      return "any";
  }
  return "?";
}

const char* ToString(StopFailure mode) {
  switch (mode) {
    case StopFailure::kReboot:
      return "reboot";
    case StopFailure::kFence:
      return "fence";
    case StopFailure::kNone:
      return "none";
  }
  return "?";
}

const char* ToString(AuthMethod method) {
  switch (method) {
    case AuthMethod::kCrc:
      return "crc";
    case AuthMethod::kMd5:
      return "md5";
    case AuthMethod::kSha1:
      return "sha1";
  }
  return "?";
}

}  // namespace hbd::config
