// libFuzzer target: config::ParseYamlConfig on arbitrary file contents (it must never throw).
// Not thread-safe.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "config/cluster_config.h"
#include "config/config_yaml.h"
#include "config/diagnostics.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  hbd::config::ClusterConfig config;
  hbd::config::Diagnostics diags;
  hbd::config::ParseYamlConfig(text, "hbd.yaml", config, diags);
  return 0;
}
