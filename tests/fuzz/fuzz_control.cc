// libFuzzer target: control::ParseControlRequest on arbitrary lines. A request it accepts must
// survive FormatControlRequest and parse back to itself. Not thread-safe.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "control/control_request.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view line(reinterpret_cast<const char*>(data), size);
  hbd::control::ParsedRequest parsed = hbd::control::ParseControlRequest(line);
  if (!parsed.request) {
    if (parsed.error.empty())
      __builtin_trap();  // a refusal always says why
    return 0;
  }
  hbd::control::ParsedRequest again =
      hbd::control::ParseControlRequest(hbd::control::FormatControlRequest(*parsed.request));
  if (!again.request || !(*again.request == *parsed.request))
    __builtin_trap();
  return 0;
}
