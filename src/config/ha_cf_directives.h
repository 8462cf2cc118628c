// Internal to the ha.cf parser: the table of every directive Heartbeat 3 knows, how its line is
// split (option directives once per token, single-valued options, whole-line directives), and
// either the handler that stores it in the model or the reason it has no effect in hbd.
// The table is constant; thread-safe to read.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "config/ha_cf_context.h"

namespace hbd::config::ha_cf {

enum class DirectiveKind {
  kPerToken,   // `node a b c`: the rest of the line split on space/tab/comma, one call per token
  kSingle,     // `keepalive 2`: the same split, but one value expected
  kWholeLine,  // `mcast eth0 ...`, `respawn ...`: all whitespace tokens in one call
};

using DirectiveHandler = void (*)(Context& ctx, const std::vector<std::string>& values);

struct Directive {
  const char* name;
  DirectiveKind kind;
  DirectiveHandler apply;  // null when the directive has no effect in hbd
  const char* no_effect;   // why it has no effect in hbd, or null when it is implemented
};

// Every directive, in the order of Heartbeat's documentation.
const std::vector<Directive>& AllDirectives();

// The directive named exactly `name` (names are case-sensitive, as in Heartbeat), or null.
const Directive* FindDirective(std::string_view name);

}  // namespace hbd::config::ha_cf
