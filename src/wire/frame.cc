#include "wire/frame.h"

#include "wire/classic_codec.h"
#include "wire/netstring_codec.h"
#include "wire/text_codec.h"

namespace hbd::wire {

const FieldView* Frame::Find(std::string_view name) const {
  for (const FieldView& f : fields) {
    if (f.name == name)
      return &f;
  }
  return nullptr;
}

void Frame::Clear() {
  fields.clear();
  signed_bytes = {};
  trailer = {};
}

std::optional<RejectReason> ParseFrame(std::string_view datagram, const Limits& limits,
                                       Frame& out) {
  out.Clear();
  if (datagram.size() > limits.max_datagram)
    return RejectReason::kOversize;
  if (datagram.size() < 8)
    return RejectReason::kTooShort;
  std::string_view magic = datagram.substr(0, 4);
  if (magic == kNetstringBegin)
    return ParseNetstringFrame(datagram, limits, out);
  if (magic == kClassicBegin)
    return ParseClassicFrame(datagram, limits, out);
  return RejectReason::kBadMagic;
}

std::optional<RejectReason> FrameToMessage(const Frame& frame, Message& out) {
  std::vector<Field> fields;
  fields.reserve(frame.fields.size());
  for (const FieldView& v : frame.fields) {
    Field f{std::string(v.name), v.type, {}};
    if (frame.format == WireFormat::kNetstring) {
      f.value.assign(v.value);
    } else if (v.type == FieldType::kBinary) {
      std::optional<std::string> bytes = Base64Decode(v.value);
      if (!bytes)
        return RejectReason::kMalformedField;
      f.value = std::move(*bytes);
    } else if (v.type == FieldType::kString) {
      f.value = UnescapeClassicString(v.value);
    } else {
      f.value.assign(v.value);
    }
    fields.push_back(std::move(f));
  }
  out = Message(std::move(fields));
  return std::nullopt;
}

std::optional<RejectReason> DecodeMessage(std::string_view datagram, Message& out,
                                          const Limits& limits) {
  Frame frame;
  if (auto error = ParseFrame(datagram, limits, frame))
    return error;
  return FrameToMessage(frame, out);
}

}  // namespace hbd::wire
