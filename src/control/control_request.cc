#include "control/control_request.h"

#include <array>

namespace hbd::control {
namespace {

struct VerbRule {
  const char* verb;
  size_t min_args;
  size_t max_args;
};

constexpr std::array<VerbRule, 6> kVerbs = {{
    {"status", 0, 0},
    {"standby", 0, 1},        // all|local|foreign|failback
    {"takeover", 0, 1},       // all|local|foreign|failback
    {"ping", 0, 0},           // liveness of the daemon itself
    {"outdate", 3, 3},        // RESOURCE PEER TIMEOUT_MS: drbd-peer-outdater asks (dopd)
    {"force-promote", 1, 1},  // GROUP: start it here even with outdated DRBD data
}};

bool IsWordChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '_' || c == '.' || c == ':' || c == '/' || c == '=' || c == ',' || c == '@';
}

}  // namespace

ParsedRequest ParseControlRequest(std::string_view line) {
  ParsedRequest out;
  if (line.size() > kMaxRequestBytes) {
    out.error = "request longer than " + std::to_string(kMaxRequestBytes) + " bytes";
    return out;
  }
  if (!line.empty() && line.back() == '\n')
    line.remove_suffix(1);
  ControlRequest req;
  std::vector<std::string> words;
  std::string word;
  for (char c : line) {
    if (c == ' ') {
      if (!word.empty())
        words.push_back(std::move(word));
      word.clear();
      continue;
    }
    if (!IsWordChar(c)) {
      out.error = "request contains a character that is not allowed";
      return out;
    }
    word.push_back(c);
    if (words.size() > kMaxArguments) {
      out.error = "too many arguments";
      return out;
    }
  }
  if (!word.empty())
    words.push_back(std::move(word));
  if (words.empty()) {
    out.error = "empty request";
    return out;
  }
  req.verb = words.front();
  req.args.assign(words.begin() + 1, words.end());
  for (const auto& rule : kVerbs) {
    if (req.verb != rule.verb)
      continue;
    if (req.args.size() < rule.min_args || req.args.size() > rule.max_args) {
      out.error = "wrong number of arguments for '" + req.verb + "'";
      return out;
    }
    out.request = std::move(req);
    return out;
  }
  out.error = "unknown request '" + req.verb.substr(0, 32) + "'";
  return out;
}

std::string FormatControlRequest(const ControlRequest& request) {
  std::string line = request.verb;
  for (const auto& a : request.args)
    line += " " + a;
  return line + "\n";
}

}  // namespace hbd::control
