// libFuzzer target: config::ParseHaCf on arbitrary file contents. Not thread-safe.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "config/cluster_config.h"
#include "config/diagnostics.h"
#include "config/ha_cf_parser.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  hbd::config::ClusterConfig config;
  hbd::config::Diagnostics diags;
  hbd::config::ParseHaCf(text, "ha.cf", config, diags);
  return 0;
}
