// cl_status: Heartbeat's status tool answered from hbd's status JSON (README.md "Status JSON").
// Each subcommand prints what Heartbeat 3's cl_status prints and exits with its codes (0, 1, and
// 11 for a bad argument or an unknown node or link). Pure: no socket, no clock. Thread-safe.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace hbd::control {

struct ClStatusResult {
  std::string out;  // standard output
  std::string err;  // standard error
  int exit_code = 0;
};

// Exit codes shared with Heartbeat's cl_status.
inline constexpr int kClStatusParameterError = 11;

// `args` is the command line after the program name and its --socket option, e.g.
// {"nodestatus", "node2"}. `status` is the daemon's reply to the `status` request.
ClStatusResult RunClStatus(const std::vector<std::string>& args, const nlohmann::json& status);

// What cl_status says when the daemon cannot be reached: `hbstatus` says Heartbeat's "stopped"
// line (exit 1); other subcommands print `why` on standard error (exit 1, Heartbeat's "cannot
// sign on").
ClStatusResult ClStatusUnreachable(const std::vector<std::string>& args, const std::string& why);

// True when `args` only asks for help or is not a known subcommand: no daemon is needed.
bool ClStatusNeedsDaemon(const std::vector<std::string>& args);

std::string ClStatusUsage();

}  // namespace hbd::control
