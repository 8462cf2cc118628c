// The readers of hbd.yaml's sections, shared by the files that make up ParseYamlConfig:
// config_yaml.cc (cluster, timing, logging, process and the other ha.cf settings),
// config_yaml_media.cc (media, ping) and config_yaml_resources.cc (resources, auth). Internal to
// the YAML form. Each reads one top-level key into the model; not thread-safe.
#pragma once

#include <yaml-cpp/yaml.h>

#include <string>

#include "config/cluster_config.h"
#include "config/yaml_reader.h"

namespace hbd::config::yaml_sections {

// True when `text` holds whitespace: values that were one token in the classic files must stay so.
bool HasSpace(const std::string& text);

void ReadMedia(YamlReader& in, ClusterConfig& config, const YAML::Node& node, int line);
void ReadPing(YamlReader& in, ClusterConfig& config, const YAML::Node& node, int line);
void ReadResources(YamlReader& in, ClusterConfig& config, const YAML::Node& node, int line);
void ReadAuth(YamlReader& in, ClusterConfig& config, const YAML::Node& node, int line);

}  // namespace hbd::config::yaml_sections
