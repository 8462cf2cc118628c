#include "wire/status_message.h"

#include "wire/text_codec.h"

namespace hbd::wire {

bool IsNoSeqType(std::string_view type) {
  return type.starts_with("NS_");
}

void AddControlFields(Message& message, const ControlFields& control) {
  std::optional<std::string_view> type = message.Get(field::kType);
  bool no_seq = type && IsNoSeqType(*type);
  message.Set(field::kSource, control.node);
  message.Set(field::kSourceUuid, control.uuid, FieldType::kBinary);
  if (!no_seq)
    message.Set(field::kSeq, FormatHex(control.seq));
  message.Set(field::kGeneration, FormatHex(control.generation));
  message.Set(field::kTimestamp, FormatHex(control.wall_seconds));
  if (!no_seq)
    message.Set(field::kLoad, control.load);
  message.Set(field::kTtl, std::to_string(control.ttl));
}

Message BuildStatusMessage(std::string_view status, std::chrono::milliseconds deadtime,
                           const ControlFields& control) {
  Message message;
  message.Add(field::kType, "status");
  message.Add(field::kStatus, status);
  message.Add(field::kDeadtime, FormatHex(static_cast<uint64_t>(deadtime.count())));
  message.Add(field::kProtocol, "1");
  AddControlFields(message, control);
  return message;
}

}  // namespace hbd::wire
