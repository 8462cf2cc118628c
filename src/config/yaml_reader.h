// Reading typed values out of a parsed YAML tree with diagnostics: every problem (unknown key, a
// list where a map belongs, a port that is not a number) becomes an error naming the key, with the
// file and the 1-based line of the offending node. Used by the hbd.yaml parser; knows nothing of
// the cluster model beyond time values. Not thread-safe (writes to one Diagnostics).
#pragma once

#include <yaml-cpp/yaml.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "config/cluster_config.h"
#include "config/diagnostics.h"

namespace hbd::config {

// The entries of one YAML mapping, in file order, with their keys as text.
struct YamlMap {
  std::vector<std::pair<std::string, YAML::Node>> entries;
  int line = 0;  // where the mapping starts (or the line of its parent key when it is empty)

  // The value of `key`, or nullptr when the key is absent.
  const YAML::Node* Find(const std::string& key) const;
};

class YamlReader {
 public:
  YamlReader(const std::string& file, Diagnostics& diags) : file_(file), diags_(diags) {}

  // The 1-based line of `node`, or `fallback` when yaml-cpp has no position for it.
  int Line(const YAML::Node& node, int fallback = 0) const;
  SourceLocation Where(const YAML::Node& node, int fallback = 0) const;
  void Error(int line, std::string message) { diags_.Error(file_, line, std::move(message)); }
  const std::string& file() const { return file_; }

  // Reads a mapping called `what` (e.g. "timing", "media entry"). A null node is an empty map.
  // Unknown keys (with a suggestion from `known`), duplicate keys and non-scalar keys are
  // reported and left out. nullopt when `node` is not a mapping (reported).
  std::optional<YamlMap> Map(const YAML::Node& node, const std::string& what,
                             const std::vector<std::string>& known, int fallback_line = 0);

  // Reads a sequence called `what`; a null node is an empty list. nullopt when not a sequence.
  std::optional<std::vector<YAML::Node>> List(const YAML::Node& node, const std::string& what,
                                              int fallback_line = 0);

  // Scalars. `key` names the value in messages. String() also reads `!!binary` (base64) values,
  // which the export uses for bytes that are not UTF-8. Each reports and returns nullopt when the
  // node is not a scalar of the right form.
  std::optional<std::string> String(const YAML::Node& node, const std::string& key,
                                    int fallback_line = 0);
  std::optional<long long> Integer(const YAML::Node& node, const std::string& key, long long min,
                                   long long max, int fallback_line = 0);
  std::optional<bool> Bool(const YAML::Node& node, const std::string& key, int fallback_line = 0);
  std::optional<Millis> Time(const YAML::Node& node, const std::string& key, int fallback_line = 0);
  // One of `choices` (case-insensitive); an unknown value lists the choices.
  std::optional<std::string> Choice(const YAML::Node& node, const std::string& key,
                                    const std::vector<std::string>& choices, int fallback_line = 0);
  // A list of scalars (e.g. node names, script arguments).
  std::optional<std::vector<std::string>> StringList(const YAML::Node& node, const std::string& key,
                                                     int fallback_line = 0);

 private:
  std::string file_;
  Diagnostics& diags_;
};

// "a mapping", "a list", "a value", "nothing": what a node is, for messages.
std::string DescribeNode(const YAML::Node& node);

}  // namespace hbd::config
