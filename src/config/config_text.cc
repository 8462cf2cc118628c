#include "config/config_text.h"

#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <sstream>

namespace hbd::config {
namespace {

std::string_view Trim(std::string_view s) {
  const char* ws = " \t\r\n\f\v";
  size_t b = s.find_first_not_of(ws);
  if (b == std::string_view::npos)
    return {};
  size_t e = s.find_last_not_of(ws);
  return s.substr(b, e - b + 1);
}

std::string_view StripComment(std::string_view s) {
  size_t hash = s.find('#');
  return hash == std::string_view::npos ? s : s.substr(0, hash);
}

}  // namespace

std::string ToLower(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z')
      c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

std::vector<std::string> SplitTokens(std::string_view text, bool commas) {
  std::vector<std::string> out;
  std::string current;
  for (char c : text) {
    bool sep = c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v' ||
               (commas && c == ',');
    if (sep) {
      if (!current.empty())
        out.push_back(std::move(current));
      current.clear();
    } else {
      current.push_back(c);
    }
  }
  if (!current.empty())
    out.push_back(std::move(current));
  return out;
}

std::vector<ConfigLine> SplitConfigLines(std::string_view content, const std::string& file,
                                         const TextOptions& options, Diagnostics& diags) {
  std::vector<ConfigLine> lines;
  std::string pending;  // text of a logical line being continued
  int pending_start = 0;
  int number = 0;
  size_t pos = 0;
  while (pos < content.size()) {
    size_t end = content.find('\n', pos);
    if (end == std::string_view::npos)
      end = content.size();
    std::string_view physical = content.substr(pos, end - pos);
    pos = end + 1;
    ++number;
    if (physical.size() > options.max_line_length) {
      diags.Error(file, number,
                  "line is " + std::to_string(physical.size()) + " bytes long (limit " +
                      std::to_string(options.max_line_length) + "); line ignored");
      continue;
    }
    if (physical.find('\0') != std::string_view::npos) {
      diags.Error(file, number, "line contains a NUL byte (is this a binary file?); line ignored");
      continue;
    }
    std::string_view body =
        Trim(options.comments_only_at_line_start ? physical : StripComment(physical));
    if (options.comments_only_at_line_start && !body.empty() && body.front() == '#')
      body = {};
    bool continues = false;
    if (options.backslash_continuation && !body.empty() && body.back() == '\\') {
      continues = true;
      body = Trim(body.substr(0, body.size() - 1));
    }
    if (pending.empty() && pending_start == 0)
      pending_start = number;
    if (!body.empty()) {
      if (!pending.empty())
        pending.push_back(' ');
      pending.append(body);
    }
    if (continues)
      continue;
    if (!pending.empty()) {
      lines.push_back({pending_start, SplitTokens(pending), pending});
    }
    pending.clear();
    pending_start = 0;
  }
  if (pending_start != 0) {
    diags.Error(file, pending_start,
                "line ends with '\\' but the file ends before the continued line");
    if (!pending.empty())
      lines.push_back({pending_start, SplitTokens(pending), pending});
  }
  return lines;
}

std::optional<bool> ParseBool(std::string_view text) {
  std::string v = ToLower(text);
  if (v == "true" || v == "on" || v == "yes" || v == "y" || v == "1")
    return true;
  if (v == "false" || v == "off" || v == "no" || v == "n" || v == "0")
    return false;
  return std::nullopt;
}

std::optional<Millis> ParseTimeValue(std::string_view text) {
  std::string_view s = Trim(text);
  size_t i = 0;
  bool digits = false, dot = false;
  while (i < s.size() && ((s[i] >= '0' && s[i] <= '9') || (s[i] == '.' && !dot))) {
    if (s[i] == '.')
      dot = true;
    else
      digits = true;
    ++i;
  }
  if (!digits || i > 32)
    return std::nullopt;
  double number = std::strtod(std::string(s.substr(0, i)).c_str(), nullptr);
  std::string unit = ToLower(Trim(s.substr(i)));
  double ms;
  if (unit.empty() || unit == "s" || unit == "sec")
    ms = number * 1000.0;
  else if (unit == "ms" || unit == "msec")
    ms = number;
  else if (unit == "us" || unit == "usec")
    ms = number / 1000.0;
  else
    return std::nullopt;
  if (!std::isfinite(ms) || ms > 1e12)
    return std::nullopt;
  return Millis(static_cast<int64_t>(std::llround(ms)));
}

std::string FormatMillis(Millis value) {
  int64_t ms = value.count();
  if (ms % 1000 == 0)
    return std::to_string(ms / 1000) + "s";
  return std::to_string(ms) + "ms";
}

std::optional<std::string> ReadConfigFile(const std::string& path, Diagnostics& diags) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    diags.Error(path, 0, std::string("cannot open: ") + std::strerror(errno));
    return std::nullopt;
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) {
    diags.Error(path, 0, std::string("cannot read: ") + std::strerror(errno));
    return std::nullopt;
  }
  return buffer.str();
}

}  // namespace hbd::config
