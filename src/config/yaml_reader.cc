#include "config/yaml_reader.h"

#include <algorithm>
#include <charconv>

#include "config/config_text.h"
#include "config/suggest.h"

namespace hbd::config {

const YAML::Node* YamlMap::Find(const std::string& key) const {
  for (const auto& [name, value] : entries) {
    if (name == key)
      return &value;
  }
  return nullptr;
}

std::string DescribeNode(const YAML::Node& node) {
  switch (node.Type()) {
    case YAML::NodeType::Map:
      return "a mapping";
    case YAML::NodeType::Sequence:
      return "a list";
    case YAML::NodeType::Scalar:
      return "the value \"" + node.Scalar() + "\"";
    case YAML::NodeType::Null:
      return "nothing";
    case YAML::NodeType::Undefined:
      return "nothing";
  }
  return "something else";
}

int YamlReader::Line(const YAML::Node& node, int fallback) const {
  if (!node.IsDefined())
    return fallback;
  YAML::Mark mark = node.Mark();
  if (mark.is_null() || mark.line < 0)
    return fallback;
  return mark.line + 1;
}

SourceLocation YamlReader::Where(const YAML::Node& node, int fallback) const {
  return SourceLocation{file_, Line(node, fallback)};
}

std::optional<YamlMap> YamlReader::Map(const YAML::Node& node, const std::string& what,
                                       const std::vector<std::string>& known, int fallback_line) {
  YamlMap out;
  out.line = Line(node, fallback_line);
  if (!node.IsDefined() || node.IsNull())
    return out;
  if (!node.IsMap()) {
    Error(out.line, what + " must be a mapping (key: value lines), not " + DescribeNode(node));
    return std::nullopt;
  }
  for (const auto& entry : node) {
    const YAML::Node& key = entry.first;
    if (!key.IsScalar()) {
      Error(Line(key, out.line),
            "a key in " + what + " must be a plain name, not " + DescribeNode(key));
      continue;
    }
    std::string name = key.Scalar();
    int line = Line(key, out.line);
    if (std::find(known.begin(), known.end(), name) == known.end()) {
      std::string message = "unknown key \"" + name + "\" in " + what;
      std::string suggestion = ClosestMatch(ToLower(name), known);
      if (!suggestion.empty())
        message += "; did you mean \"" + suggestion + "\"?";
      Error(line, std::move(message));
      continue;
    }
    if (out.Find(name) != nullptr) {
      Error(line, "duplicate key \"" + name + "\" in " + what + "; only the first one is used");
      continue;
    }
    out.entries.emplace_back(name, entry.second);
  }
  return out;
}

std::optional<std::vector<YAML::Node>> YamlReader::List(const YAML::Node& node,
                                                        const std::string& what,
                                                        int fallback_line) {
  std::vector<YAML::Node> out;
  if (!node.IsDefined() || node.IsNull())
    return out;
  if (!node.IsSequence()) {
    Error(Line(node, fallback_line),
          what + " must be a list (\"- item\" lines or [a, b]), not " + DescribeNode(node));
    return std::nullopt;
  }
  for (const auto& item : node)
    out.push_back(item);
  return out;
}

std::optional<std::string> YamlReader::String(const YAML::Node& node, const std::string& key,
                                              int fallback_line) {
  int line = Line(node, fallback_line);
  if (node.IsScalar() && node.Tag() == "tag:yaml.org,2002:binary") {
    std::vector<unsigned char> bytes = YAML::DecodeBase64(node.Scalar());
    if (bytes.empty() && !node.Scalar().empty()) {
      Error(line, key + " is marked !!binary but is not base64");
      return std::nullopt;
    }
    return std::string(bytes.begin(), bytes.end());
  }
  if (node.IsScalar())
    return node.Scalar();
  if (!node.IsDefined() || node.IsNull()) {
    Error(line, key + " needs a value");
  } else {
    Error(line, key + " must be a single value, not " + DescribeNode(node));
  }
  return std::nullopt;
}

std::optional<long long> YamlReader::Integer(const YAML::Node& node, const std::string& key,
                                             long long min, long long max, int fallback_line) {
  auto text = String(node, key, fallback_line);
  if (!text)
    return std::nullopt;
  long long value = 0;
  const char* begin = text->data();
  const char* end = begin + text->size();
  if (begin != end && *begin == '+')
    ++begin;
  auto [ptr, ec] = std::from_chars(begin, end, value);
  if (ec != std::errc() || ptr != end || begin == end || value < min || value > max) {
    Error(Line(node, fallback_line), key + " must be a whole number from " + std::to_string(min) +
                                         " to " + std::to_string(max) + ", not \"" + *text + "\"");
    return std::nullopt;
  }
  return value;
}

std::optional<bool> YamlReader::Bool(const YAML::Node& node, const std::string& key,
                                     int fallback_line) {
  auto text = String(node, key, fallback_line);
  if (!text)
    return std::nullopt;
  auto value = ParseBool(*text);
  if (!value) {
    Error(Line(node, fallback_line),
          key + " must be true or false (or yes/no, on/off), not \"" + *text + "\"");
  }
  return value;
}

std::optional<Millis> YamlReader::Time(const YAML::Node& node, const std::string& key,
                                       int fallback_line) {
  auto text = String(node, key, fallback_line);
  if (!text)
    return std::nullopt;
  auto value = ParseTimeValue(*text);
  if (!value) {
    Error(Line(node, fallback_line),
          key + " must be a time such as 2s, 500ms or 10 (seconds), not \"" + *text + "\"");
  }
  return value;
}

std::optional<std::string> YamlReader::Choice(const YAML::Node& node, const std::string& key,
                                              const std::vector<std::string>& choices,
                                              int fallback_line) {
  auto text = String(node, key, fallback_line);
  if (!text)
    return std::nullopt;
  std::string lower = ToLower(*text);
  if (std::find(choices.begin(), choices.end(), lower) != choices.end())
    return lower;
  std::string list;
  for (const auto& choice : choices)
    list += (list.empty() ? "" : ", ") + choice;
  std::string message = key + " must be one of " + list + ", not \"" + *text + "\"";
  std::string suggestion = ClosestMatch(lower, choices);
  if (!suggestion.empty())
    message += "; did you mean \"" + suggestion + "\"?";
  Error(Line(node, fallback_line), std::move(message));
  return std::nullopt;
}

std::optional<std::vector<std::string>> YamlReader::StringList(const YAML::Node& node,
                                                               const std::string& key,
                                                               int fallback_line) {
  auto items = List(node, key, fallback_line);
  if (!items)
    return std::nullopt;
  std::vector<std::string> out;
  bool ok = true;
  int line = Line(node, fallback_line);
  for (const auto& item : *items) {
    auto text = String(item, "each entry of " + key, line);
    if (text) {
      out.push_back(*text);
    } else {
      ok = false;
    }
  }
  if (!ok)
    return std::nullopt;
  return out;
}

}  // namespace hbd::config
