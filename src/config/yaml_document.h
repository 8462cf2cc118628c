// Loading hbd.yaml's text into one yaml-cpp document, safely: size and NUL-byte limits, exactly
// one document, and every yaml-cpp exception turned into a diagnostic with its line. Also works
// around yaml-cpp 0.7 looping forever on a stray ',' at the top level. Pure; thread-safe.
#pragma once

#include <yaml-cpp/yaml.h>

#include <optional>
#include <string>
#include <string_view>

#include "config/diagnostics.h"

namespace hbd::config {

constexpr size_t kMaxYamlFileSize = 4 * 1024 * 1024;

// The document in `content` (the text of `file`), or nullopt after reporting why there is none
// (syntax error, empty file, several documents, binary data). Never throws.
std::optional<YAML::Node> LoadYamlDocument(std::string_view content, const std::string& file,
                                           Diagnostics& diags);

}  // namespace hbd::config
