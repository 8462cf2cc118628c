// libFuzzer target: the group report codec. The input is decoded as a datagram and
// arbiter::GetReport reads the report from it; a report it accepts must survive PutReport and
// read back to itself. Not thread-safe.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "arbiter/report_codec.h"
#include "wire/frame.h"
#include "wire/message.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  hbd::wire::Message message;
  if (hbd::wire::DecodeMessage(bytes, message))
    return 0;
  auto report = hbd::arbiter::GetReport(message);
  if (!report)
    return 0;
  hbd::wire::Message out;
  hbd::arbiter::PutReport(*report, out);
  auto again = hbd::arbiter::GetReport(out);
  if (!again || !(*again == *report))
    __builtin_trap();
  return 0;
}
