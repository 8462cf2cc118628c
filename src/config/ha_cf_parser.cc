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

// Edit distance counting a swap of two neighbours as one edit (typos like "ucats"). Names
// longer than 64 characters are never suggestions.
size_t EditDistance(std::string_view a, std::string_view b) {
  if (a.size() > 64 || b.size() > 64)
    return 1000;
  std::vector<std::vector<size_t>> d(a.size() + 1, std::vector<size_t>(b.size() + 1));
  for (size_t i = 0; i <= a.size(); ++i)
    d[i][0] = i;
  for (size_t j = 0; j <= b.size(); ++j)
    d[0][j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.size()][b.size()];
}

void ReportUnknown(Context& ctx, const std::string& name) {
  std::string lower = ToLower(name);
  const Directive* best = nullptr;
  size_t best_distance = 0;
  for (const Directive& d : ha_cf::AllDirectives()) {
    size_t distance = EditDistance(lower, d.name);
    if (best == nullptr || distance < best_distance) {
      best = &d;
      best_distance = distance;
    }
  }
  size_t allowed = std::clamp<size_t>(lower.size() / 3, 1, 3);
  std::string shown = name.size() > 64 ? name.substr(0, 64) + "..." : name;
  std::string message = "unknown directive '" + shown + "'";
  if (best != nullptr && best_distance <= allowed) {
    message += std::string("; did you mean '") + best->name + "'?";
  }
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
