#include "arbiter/group_state.h"

#include <array>
#include <utility>

namespace hbd::arbiter {
namespace {

constexpr std::array<std::pair<GroupState, const char*>, 7> kNames = {{
    {GroupState::kStopped, "stopped"},
    {GroupState::kStarting, "starting"},
    {GroupState::kRunning, "running"},
    {GroupState::kStopping, "stopping"},
    {GroupState::kFailed, "failed"},
    {GroupState::kReleased, "released"},
    {GroupState::kStopFailed, "stop-failed"},
}};

}  // namespace

const char* ToString(GroupState state) {
  for (const auto& [s, name] : kNames) {
    if (s == state)
      return name;
  }
  return "?";
}

std::optional<GroupState> ParseGroupState(std::string_view text) {
  for (const auto& [s, name] : kNames) {
    if (text == name)
      return s;
  }
  return std::nullopt;
}

std::string FormatReportEntry(const GroupReportEntry& entry) {
  std::string out = ToString(entry.state);
  if (!entry.target.empty())
    out += ">" + entry.target;
  return out;
}

std::optional<GroupReportEntry> ParseReportEntry(std::string_view text) {
  GroupReportEntry entry;
  size_t arrow = text.find('>');
  auto state = ParseGroupState(text.substr(0, arrow));
  if (!state)
    return std::nullopt;
  entry.state = *state;
  if (arrow != std::string_view::npos) {
    entry.target = std::string(text.substr(arrow + 1));
    if (entry.target.empty() || entry.target.size() > 100)
      return std::nullopt;
  }
  return entry;
}

}  // namespace hbd::arbiter
