// The control-socket request language shared by hbd and its tools (hbctl, cl_status,
// hb_standby, hb_takeover): one line of at most kMaxRequestBytes, a verb and plain-word arguments.
// Parsing is pure and strict (length, characters, verbs, argument counts) because the socket is a
// local attack surface. Thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hbd::control {

inline constexpr size_t kMaxRequestBytes = 4096;
inline constexpr size_t kMaxArguments = 16;

struct ControlRequest {
  std::string verb;  // "status", "standby", "takeover", ...
  std::vector<std::string> args;
  bool operator==(const ControlRequest&) const = default;
};

struct ParsedRequest {
  std::optional<ControlRequest> request;
  std::string error;  // set when request is empty
};

// Parses one request line (without or with its trailing '\n').
ParsedRequest ParseControlRequest(std::string_view line);

// The line a client sends for a request.
std::string FormatControlRequest(const ControlRequest& request);

}  // namespace hbd::control
