#include "config/ha_cf_context.h"

#include <arpa/inet.h>

namespace hbd::config::ha_cf {

bool NodeTableFull(Context& ctx, const std::string& what) {
  const ClusterConfig& config = ctx.config();
  if (config.nodes.size() + config.ping_targets.size() < kMaxNodes)
    return false;
  ctx.Error(what + ": too many nodes; nodes and ping nodes together are limited to " +
            std::to_string(kMaxNodes));
  return true;
}

std::optional<long> ParseInteger(std::string_view text, long min, long max) {
  bool negative = false;
  if (!text.empty() && text.front() == '-' && min < 0) {
    negative = true;
    text.remove_prefix(1);
  }
  if (text.empty() || text.size() > 18)
    return std::nullopt;
  long value = 0;
  for (char c : text) {
    if (c < '0' || c > '9')
      return std::nullopt;
    value = value * 10 + (c - '0');
  }
  if (negative)
    value = -value;
  if (value < min || value > max)
    return std::nullopt;
  return value;
}

bool IsIPv4Literal(const std::string& text) {
  in_addr addr{};
  return inet_pton(AF_INET, text.c_str(), &addr) == 1;
}

bool IsIPv6Literal(const std::string& text) {
  in6_addr addr{};
  return inet_pton(AF_INET6, text.c_str(), &addr) == 1;
}

bool IsHostName(const std::string& text) {
  if (text.empty() || text.size() > 253)
    return false;
  bool all_numeric = true;
  size_t label_length = 0;
  char previous = '.';
  for (char c : text) {
    bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    bool digit = c >= '0' && c <= '9';
    if (c == '.') {
      if (label_length == 0 || previous == '-')
        return false;
      label_length = 0;
    } else if (letter || digit || c == '-') {
      if (c == '-' && label_length == 0)
        return false;
      if (++label_length > 63)
        return false;
      if (!digit)
        all_numeric = false;
    } else {
      return false;
    }
    previous = c;
  }
  if (previous == '-')
    return false;
  // "10.0.0.300" is a mistyped address, not a host name.
  return !all_numeric;
}

bool IsInterfaceName(const std::string& text) {
  if (text.empty() || text.size() > 15)
    return false;
  for (char c : text) {
    if (c == '/' || c == ' ' || c == '\t' || static_cast<unsigned char>(c) < 0x20)
      return false;
  }
  return text != "." && text != "..";
}

std::string JoinTokens(const std::vector<std::string>& tokens, size_t from) {
  std::string out;
  for (size_t i = from; i < tokens.size(); ++i) {
    if (!out.empty())
      out += ' ';
    out += tokens[i];
  }
  return out;
}

}  // namespace hbd::config::ha_cf
