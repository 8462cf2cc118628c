#include "wire/netstring_codec.h"

namespace hbd::wire {
namespace {

// Reads "LEN:PAYLOAD," at `pos`; on success sets `payload` and advances `pos` past the comma.
bool ReadNetstring(std::string_view data, size_t& pos, std::string_view& payload) {
  size_t len = 0;
  size_t digits = 0;
  while (pos + digits < data.size() && data[pos + digits] >= '0' && data[pos + digits] <= '9') {
    if (digits == 7)
      return false;  // far beyond any datagram
    len = len * 10 + static_cast<size_t>(data[pos + digits] - '0');
    ++digits;
  }
  if (digits == 0)
    return false;
  size_t colon = pos + digits;
  if (colon >= data.size() || data[colon] != ':')
    return false;
  size_t start = colon + 1;
  if (len > data.size() - start || data.size() - start - len < 1)
    return false;
  if (data[start + len] != ',')
    return false;
  payload = data.substr(start, len);
  pos = start + len + 1;
  return true;
}

// "(t)NAME=VALUE" -> field view.
std::optional<RejectReason> ParseFieldPayload(std::string_view payload, const Limits& limits,
                                              FieldView& out) {
  if (payload.size() < 4 || payload[0] != '(' || payload[2] != ')' || payload[1] < '0' ||
      payload[1] > '9') {
    return RejectReason::kMalformedField;
  }
  size_t eq = payload.find('=', 3);
  if (eq == std::string_view::npos)
    return RejectReason::kMalformedField;
  size_t name_len = eq - 3;
  if (name_len == 0)
    return RejectReason::kMalformedField;
  if (name_len > limits.max_name)
    return RejectReason::kFieldNameTooLong;
  out.type = static_cast<FieldType>(payload[1] - '0');
  out.name = payload.substr(3, name_len);
  out.value = payload.substr(eq + 1);
  out.line = {};
  return std::nullopt;
}

}  // namespace

std::optional<RejectReason> ParseNetstringFrame(std::string_view datagram, const Limits& limits,
                                                Frame& out) {
  out.format = WireFormat::kNetstring;
  size_t pos = kNetstringBegin.size();
  while (true) {
    if (pos >= datagram.size())
      return RejectReason::kMalformedNetstring;
    if (datagram.substr(pos, kNetstringEnd.size()) == kNetstringEnd)
      break;
    if (out.fields.size() >= limits.max_fields)
      return RejectReason::kTooManyFields;
    std::string_view payload;
    if (!ReadNetstring(datagram, pos, payload))
      return RejectReason::kMalformedNetstring;
    FieldView field;
    if (auto error = ParseFieldPayload(payload, limits, field))
      return error;
    out.fields.push_back(field);
  }
  pos += kNetstringEnd.size();
  out.signed_bytes = datagram.substr(0, pos);
  if (pos == datagram.size() || (pos + 1 == datagram.size() && datagram[pos] == '\0')) {
    return RejectReason::kNoDigest;
  }
  if (!ReadNetstring(datagram, pos, out.trailer))
    return RejectReason::kMalformedNetstring;
  if (pos == datagram.size())
    return std::nullopt;
  if (pos + 1 == datagram.size() && datagram[pos] == '\0')
    return std::nullopt;
  return RejectReason::kTrailingGarbage;
}

std::string EncodeNetstring(std::string_view payload) {
  std::string out = std::to_string(payload.size());
  out += ':';
  out += payload;
  out += ',';
  return out;
}

std::string EncodeNetstringBody(const Message& message) {
  std::string out(kNetstringBegin);
  for (const Field& f : message.fields()) {
    size_t len = 3 + f.name.size() + 1 + f.value.size();
    out += std::to_string(len);
    out += ":(";
    out += static_cast<char>('0' + static_cast<int>(f.type));
    out += ')';
    out += f.name;
    out += '=';
    out += f.value;
    out += ',';
  }
  out += kNetstringEnd;
  return out;
}

}  // namespace hbd::wire
