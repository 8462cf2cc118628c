// libFuzzer target: config::ParseHaresources on arbitrary file contents. Not thread-safe.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

#include "config/cluster_config.h"
#include "config/diagnostics.h"
#include "config/haresources_parser.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  std::vector<hbd::config::ResourceGroup> groups;
  hbd::config::Diagnostics diags;
  hbd::config::ParseHaresources(text, "haresources", groups, diags);
  return 0;
}
