#include "arbiter/report_codec.h"

#include <charconv>

namespace hbd::arbiter {
namespace {

constexpr std::string_view kVersion = "hbd_rv";
constexpr std::string_view kSeen = "hbd_seen";
constexpr std::string_view kGroupPrefix = "hbd_g";

std::optional<uint64_t> ParseNumber(std::string_view text) {
  uint64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty())
    return std::nullopt;
  return value;
}

}  // namespace

void PutReport(const NodeReport& report, wire::Message& message) {
  message.Set(kVersion, std::to_string(report.version));
  std::string seen;
  for (const auto& [node, version] : report.seen) {
    seen += (seen.empty() ? "" : " ") + node + ":" + std::to_string(version);
  }
  message.Set(kSeen, seen);
  size_t i = 0;
  for (const auto& [key, entry] : report.groups) {
    if (i == kMaxReportedGroups)
      break;
    message.Set(std::string(kGroupPrefix) + std::to_string(i++),
                FormatReportEntry(entry) + " " + key);
  }
}

std::optional<NodeReport> GetReport(const wire::Message& message) {
  auto version = message.Get(kVersion);
  if (!version)
    return std::nullopt;
  NodeReport report;
  auto v = ParseNumber(*version);
  if (!v)
    return std::nullopt;
  report.version = *v;
  std::string_view seen = message.Get(kSeen).value_or("");
  while (!seen.empty()) {
    size_t space = seen.find(' ');
    std::string_view item = seen.substr(0, space);
    seen = space == std::string_view::npos ? std::string_view() : seen.substr(space + 1);
    if (item.empty())
      continue;
    size_t colon = item.rfind(':');
    if (colon == std::string_view::npos || colon == 0)
      return std::nullopt;
    auto n = ParseNumber(item.substr(colon + 1));
    if (!n)
      return std::nullopt;
    report.seen[std::string(item.substr(0, colon))] = *n;
  }
  for (const auto& field : message.fields()) {
    std::string_view name = field.name;
    if (name.substr(0, kGroupPrefix.size()) != kGroupPrefix)
      continue;
    if (!ParseNumber(name.substr(kGroupPrefix.size())))
      continue;
    std::string_view value = field.value;
    size_t space = value.find(' ');
    if (space == std::string_view::npos || space + 1 == value.size())
      return std::nullopt;
    auto entry = ParseReportEntry(value.substr(0, space));
    if (!entry)
      return std::nullopt;
    if (report.groups.size() >= kMaxReportedGroups)
      return std::nullopt;
    report.groups[std::string(value.substr(space + 1))] = *entry;
  }
  return report;
}

}  // namespace hbd::arbiter
