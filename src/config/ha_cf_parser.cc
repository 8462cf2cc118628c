#include "config/ha_cf_parser.h"

#include <algorithm>

#include "config/config_text.h"
#include "config/ha_cf_context.h"
#include "config/ha_cf_directives.h"

namespace hbd::config {
namespace {

using ha_cf::Context;
using ha_cf::Directive;
using ha_cf::DirectiveKind;

constexpr size_t kMaxSuggestable = 64;

// Edit distance counting a swap of two neighbours as one edit (typos like "ucats"), over three
// rolling rows. Both strings are at most kMaxSuggestable long.
size_t EditDistance(std::string_view a, std::string_view b) {
  size_t rows[3][kMaxSuggestable + 1];
  size_t* two_up = rows[0];
  size_t* up = rows[1];
  size_t* row = rows[2];
  for (size_t j = 0; j <= b.size(); ++j)
    up[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t best = up[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      if (up[j] + 1 < best)
        best = up[j] + 1;
      if (row[j - 1] + 1 < best)
        best = row[j - 1] + 1;
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
          two_up[j - 2] + 1 < best)
        best = two_up[j - 2] + 1;
      row[j] = best;
    }
    size_t* recycled = two_up;
    two_up = up;
    up = row;
    row = recycled;
  }
  return up[b.size()];
}

void ReportUnknown(Context& ctx, const std::string& name) {
  std::string shown =
      name.size() > kMaxSuggestable ? name.substr(0, kMaxSuggestable) + "..." : name;
  std::string message = "unknown directive '" + shown + "'";
  std::string lower = ToLower(name);
  size_t allowed = std::clamp<size_t>(lower.size() / 3, 1, 3);
  const Directive* best = nullptr;
  size_t best_distance = allowed + 1;
  for (const Directive& d : ha_cf::AllDirectives()) {
    std::string_view candidate = d.name;
    size_t longer = std::max(candidate.size(), lower.size());
    size_t shorter = std::min(candidate.size(), lower.size());
    if (longer > kMaxSuggestable || longer - shorter > allowed)
      continue;  // cannot be within `allowed` edits
    size_t distance = EditDistance(lower, candidate);
    if (distance < best_distance) {
      best = &d;
      best_distance = distance;
    }
  }
  if (best != nullptr)
    message += std::string("; did you mean '") + best->name + "'?";
  ctx.Error(message);
}

void WarnIfSetBefore(Context& ctx, const std::string& name) {
  auto [it, inserted] = ctx.set_at.emplace(name, ctx.line());
  if (inserted)
    return;
  ctx.Warning(name + " was already set on line " + std::to_string(it->second) +
              "; the value on this line replaces it");
  it->second = ctx.line();
}

void ApplyLine(Context& ctx, const ConfigLine& line) {
  const std::string& name = line.tokens.front();
  const Directive* directive = ha_cf::FindDirective(name);
  if (directive == nullptr) {
    ReportUnknown(ctx, name);
    return;
  }
  // line.text starts with the directive token (it is trimmed and the token is its first word).
  std::string_view rest = std::string_view(line.text).substr(name.size());
  rest.remove_prefix(std::min(rest.find_first_not_of(" \t"), rest.size()));
  ctx.rest_of_line = std::string(rest);

  if (directive->no_effect != nullptr) {
    ctx.Warning(name + " has no effect in hbd: " + directive->no_effect);
    return;
  }
  if (name == "udp") {
    ctx.Warning("'udp' is an old alias of 'bcast'; write 'bcast' instead");
  }
  switch (directive->kind) {
    case DirectiveKind::kPerToken: {
      std::vector<std::string> values = SplitTokens(rest, true);
      if (values.empty()) {
        ctx.Error(name + " needs at least one value");
        return;
      }
      for (const std::string& value : values)
        directive->apply(ctx, {value});
      return;
    }
    case DirectiveKind::kSingle:
      if (name != "watchdog")
        WarnIfSetBefore(ctx, name);  // watchdog twice is an error
      directive->apply(ctx, SplitTokens(rest, true));
      return;
    case DirectiveKind::kWholeLine:
      directive->apply(ctx, std::vector<std::string>(line.tokens.begin() + 1, line.tokens.end()));
      return;
  }
}

}  // namespace

void ParseHaCf(std::string_view content, const std::string& file, ClusterConfig& config,
               Diagnostics& diags) {
  Context ctx(file, config, diags);
  for (const ConfigLine& line : SplitConfigLines(content, file, TextOptions{}, diags)) {
    if (line.tokens.empty())
      continue;
    ctx.set_line(line.line);
    ApplyLine(ctx, line);
  }
}

}  // namespace hbd::config
