#include "config/ha_cf_parser.h"

#include <algorithm>

#include "config/config_text.h"
#include "config/ha_cf_context.h"
#include "config/ha_cf_directives.h"
#include "config/suggest.h"

namespace hbd::config {
namespace {

using ha_cf::Context;
using ha_cf::Directive;
using ha_cf::DirectiveKind;

constexpr size_t kMaxSuggestable = 64;

void ReportUnknown(Context& ctx, const std::string& name) {
  std::string shown =
      name.size() > kMaxSuggestable ? name.substr(0, kMaxSuggestable) + "..." : name;
  std::string message = "unknown directive '" + shown + "'";
  static const std::vector<std::string> names = [] {
    std::vector<std::string> out;
    for (const Directive& d : ha_cf::AllDirectives())
      out.emplace_back(d.name);
    return out;
  }();
  std::string best = ClosestMatch(ToLower(name), names);
  if (!best.empty())
    message += "; did you mean '" + best + "'?";
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
