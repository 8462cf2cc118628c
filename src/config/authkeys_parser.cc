#include "config/authkeys_parser.h"

#include <optional>

#include "config/config_text.h"

// Messages never quote a line's words other than `auth`, a parsed index or a known method name:
// any other word might be a secret (a key written where a method belongs, a line missing its
// index), and diagnostics end up in logs.

namespace hbd::config {
namespace {

constexpr int kMaxIndex = 15;  // Heartbeat's MAXAUTH is 16

std::optional<int> ParseIndex(const std::string& text) {
  if (text.empty() || text.size() > 3)
    return std::nullopt;
  int value = 0;
  for (char c : text) {
    if (c < '0' || c > '9')
      return std::nullopt;
    value = value * 10 + (c - '0');
  }
  if (value > kMaxIndex)
    return std::nullopt;
  return value;
}

std::optional<AuthMethod> ParseMethod(const std::string& text) {
  std::string lower = ToLower(text);
  if (lower == "crc")
    return AuthMethod::kCrc;
  if (lower == "md5")
    return AuthMethod::kMd5;
  if (lower == "sha1")
    return AuthMethod::kSha1;
  return std::nullopt;
}

// Text that follows a line's last meaningful word: a `#...` word is a comment to an operator.
bool IsTrailingText(const std::vector<std::string>& tokens, size_t from) {
  return tokens.size() > from && tokens[from].front() != '#';
}

struct AuthLine {
  int line = 0;  // 0 when the file has no `auth` line
  std::optional<int> index;
};

void ParseAuthLine(const ConfigLine& line, const std::string& file, AuthLine& seen,
                   AuthConfig& auth, Diagnostics& diags) {
  if (seen.line != 0) {
    diags.Error(file, line.line,
                "more than one 'auth' line (the first is line " + std::to_string(seen.line) +
                    "); exactly one key signs outgoing packets");
    return;
  }
  seen.line = line.line;
  if (line.tokens.size() < 2 || !IsTrailingText(line.tokens, 1)) {
    diags.Error(file, line.line,
                "'auth' needs the index of the key that signs outgoing packets: 'auth N', N "
                "from 0 to 15");
    return;
  }
  seen.index = ParseIndex(line.tokens[1]);
  if (!seen.index) {
    diags.Error(file, line.line, "'auth' must name a key index from 0 to 15");
    return;
  }
  if (IsTrailingText(line.tokens, 2)) {
    diags.Warning(file, line.line,
                  "text after 'auth " + std::to_string(*seen.index) + "' is ignored");
  }
  auth.sign_index = *seen.index;
  auth.sign_at = {file, line.line};
}

void ParseKeyLine(const ConfigLine& line, const std::string& file, AuthConfig& auth,
                  Diagnostics& diags) {
  const std::vector<std::string>& tokens = line.tokens;
  std::optional<int> index = ParseIndex(tokens[0]);
  if (!index) {
    diags.Error(file, line.line,
                "expected 'auth N' or 'N crc|md5|sha1 [KEY]' with N a key index from 0 to 15");
    return;
  }
  std::string name = "key " + std::to_string(*index);
  if (tokens.size() < 2) {
    diags.Error(file, line.line, name + " has no method: expected 'N crc|md5|sha1 [KEY]'");
    return;
  }
  std::optional<AuthMethod> method = ParseMethod(tokens[1]);
  if (!method) {
    diags.Error(file, line.line, name + " has an unknown method (expected crc, md5 or sha1)");
    return;
  }
  std::string method_name = ToString(*method);
  AuthKey key{*index, *method, {}, {file, line.line}};
  if (*method == AuthMethod::kCrc) {
    if (IsTrailingText(tokens, 2)) {
      diags.Error(file, line.line, name + ": crc takes no key; remove the key or use sha1");
      return;
    }
  } else {
    // As in Heartbeat, the key is the next word, whatever it starts with ('#' included).
    if (tokens.size() < 3) {
      diags.Error(file, line.line,
                  name + ": " + method_name + " needs a key: 'N " + method_name + " KEY'");
      return;
    }
    key.secret = tokens[2];
    if (key.secret.front() == '#') {
      diags.Warning(file, line.line,
                    name +
                        ": the key starts with '#', which in authkeys starts a comment only "
                        "at the start of a line; it is part of the key");
    }
    if (IsTrailingText(tokens, 3)) {
      diags.Warning(file, line.line,
                    name +
                        ": text after the key is ignored (a key is one word and cannot "
                        "contain spaces)");
    }
  }
  if (const AuthKey* first = auth.Find(*index)) {
    diags.Error(
        file, line.line,
        name + " is defined twice (first on line " + std::to_string(first->where.line) + ")");
    return;
  }
  auth.keys.push_back(std::move(key));
}

}  // namespace

void ParseAuthkeys(std::string_view content, const std::string& file, AuthConfig& auth,
                   Diagnostics& diags) {
  auth = AuthConfig{};
  TextOptions options;
  options.comments_only_at_line_start = true;
  AuthLine seen;
  for (const ConfigLine& line : SplitConfigLines(content, file, options, diags)) {
    if (ToLower(line.tokens.front()) == "auth") {
      ParseAuthLine(line, file, seen, auth, diags);
    } else {
      ParseKeyLine(line, file, auth, diags);
    }
  }
  if (seen.line == 0) {
    diags.Error(file, 0,
                "no 'auth N' line: it names the key that signs outgoing packets, and is "
                "required");
    return;
  }
  if (!seen.index)
    return;  // already reported
  int n = *seen.index;
  std::string auth_n = "auth " + std::to_string(n);
  const AuthKey* key = auth.Find(n);
  if (key == nullptr) {
    diags.Error(file, seen.line,
                auth_n + " names key " + std::to_string(n) + ", which is not defined");
    return;
  }
  if (key->where.line < seen.line) {
    diags.Warning(file, seen.line,
                  auth_n + " comes after key " + std::to_string(n) + " (line " +
                      std::to_string(key->where.line) +
                      "); Heartbeat would report that key as not found, so put 'auth' first if "
                      "Heartbeat nodes read this file too");
  }
  if (key->method == AuthMethod::kCrc) {
    diags.Warning(file, seen.line,
                  auth_n +
                      " signs with crc: crc gives no security against forged packets; use sha1 "
                      "unless every cluster link is physically secure");
  }
}

}  // namespace hbd::config
