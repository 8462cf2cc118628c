// Internal to the ha.cf parser: the state one parse carries from line to line (the model being
// filled, where diagnostics go, the line being read, what earlier lines set), and the small value
// checks its directive handlers share (integers, addresses, interface names). Not thread-safe;
// one context per parse.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "config/cluster_config.h"
#include "config/diagnostics.h"

namespace hbd::config::ha_cf {

class Context {
 public:
  Context(const std::string& file, ClusterConfig& config, Diagnostics& diags)
      : file_(file), config_(config), diags_(diags) {}

  ClusterConfig& config() { return config_; }
  const std::string& file() const { return file_; }
  int line() const { return line_; }
  void set_line(int line) { line_ = line; }
  SourceLocation Here() const { return {file_, line_}; }

  // Diagnostics about the current line.
  void Error(std::string message) { diags_.Error(file_, line_, std::move(message)); }
  void Warning(std::string message) { diags_.Warning(file_, line_, std::move(message)); }
  void Note(std::string message) { diags_.Note(file_, line_, std::move(message)); }

  // The current line's text after the directive, for directives that take it whole (env).
  std::string rest_of_line;

  // The first media line that used udpport (bcast, ucast, ucast6): a later udpport is an error.
  struct UdpMediumSeen {
    std::string directive;
    int line = 0;
  };
  std::optional<UdpMediumSeen> first_udp_medium;

  // Lines where single-valued directives were last set, to warn when one is set twice.
  std::map<std::string, int> set_at;
  int watchdog_line = 0;

  // apiauth client name -> its index in config.apiauth (keeps long files linear).
  std::map<std::string, size_t> apiauth_index;

  // Built-in helpers already announced with a note (one note per helper per file).
  bool ipfail_noted = false;
  bool dopd_noted = false;

 private:
  const std::string& file_;
  ClusterConfig& config_;
  Diagnostics& diags_;
  int line_ = 0;
};

// Heartbeat's node table holds at most 100 entries, cluster nodes and ping nodes together.
constexpr size_t kMaxNodes = 100;
// True (after reporting an error naming `what`) when the node table is full.
bool NodeTableFull(Context& ctx, const std::string& what);

// A decimal integer in [min, max] (digits only, optional leading '-' when min < 0); nullopt
// otherwise, including on overflow.
std::optional<long> ParseInteger(std::string_view text, long min, long max);

bool IsIPv4Literal(const std::string& text);
bool IsIPv6Literal(const std::string& text);
// An RFC 1123 host name: dot-separated labels of letters, digits and '-', not all-numeric.
bool IsHostName(const std::string& text);
// A Linux interface name: 1-15 characters, no '/', no whitespace.
bool IsInterfaceName(const std::string& text);

// "a b c" from tokens, for quoting what the operator wrote.
std::string JoinTokens(const std::vector<std::string>& tokens, size_t from = 0);

}  // namespace hbd::config::ha_cf
