// libFuzzer target: config::ParseAuthkeys on arbitrary file contents. Not thread-safe.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "config/authkeys_parser.h"
#include "config/cluster_config.h"
#include "config/diagnostics.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  hbd::config::AuthConfig auth;
  hbd::config::Diagnostics diags;
  hbd::config::ParseAuthkeys(text, "authkeys", auth, diags);
  return 0;
}
