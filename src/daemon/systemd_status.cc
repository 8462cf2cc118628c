#include "daemon/systemd_status.h"

#include <vector>

namespace hbd::daemon {
namespace {

using nlohmann::json;

std::string Text(const json& object, const char* key) {
  if (!object.is_object())
    return {};
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

bool Flag(const json& object, const char* key) {
  if (!object.is_object())
    return false;
  auto it = object.find(key);
  return it != object.end() && it->is_boolean() && it->get<bool>();
}

const json& Array(const json& object, const char* key) {
  static const json kEmpty = json::array();
  if (!object.is_object())
    return kEmpty;
  auto it = object.find(key);
  return it != object.end() && it->is_array() ? *it : kEmpty;
}

std::string List(const std::vector<std::string>& keys) {
  std::string out;
  for (size_t i = 0; i < keys.size() && i < kStatusLineGroups; ++i)
    out += (i ? ", " : "") + keys[i];
  if (keys.size() > kStatusLineGroups)
    out += " and " + std::to_string(keys.size() - kStatusLineGroups) + " more";
  return out;
}

}  // namespace

std::string SystemdStatusLine(const json& status) {
  std::string role = Flag(status, "stopping") ? "stopping" : Text(status, "status");
  if (role.empty())
    role = "unknown";

  std::vector<std::string> held, starting, stopping_groups, failed;
  for (const auto& g : Array(status, "groups")) {
    std::string key = Text(g, "key");
    std::string state = Text(g, "state_here");
    if (key.empty())
      continue;
    if (state == "running")
      held.push_back(key);
    else if (state == "stop-failed")
      held.push_back(key + " (stop failed)");
    else if (state == "starting")
      starting.push_back(key);
    else if (state == "stopping")
      stopping_groups.push_back(key);
    else if (state == "failed")
      failed.push_back(key);
  }
  std::string line = role + "; " + (held.empty() ? "holds nothing" : "holds " + List(held));
  if (!starting.empty())
    line += "; starting " + List(starting);
  if (!stopping_groups.empty())
    line += "; stopping " + List(stopping_groups);
  if (!failed.empty())
    line += "; failed to start " + List(failed);

  int peers = 0, up = 0;
  for (const auto& n : Array(status, "nodes")) {
    if (Flag(n, "local") || Text(n, "type") == "ping")
      continue;
    ++peers;
    std::string s = Text(n, "status");
    if (s == "up" || s == "active")
      ++up;
  }
  if (peers == 0)
    line += "; no peers";
  else
    line += "; " + std::to_string(up) + " of " + std::to_string(peers) + " peers up";

  for (char& c : line) {
    if (c == '\n' || c == '\r' || c == '\0')
      c = ' ';
  }
  return line;
}

}  // namespace hbd::daemon
