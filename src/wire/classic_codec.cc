#include "wire/classic_codec.h"

#include "wire/text_codec.h"

namespace hbd::wire {
namespace {

std::optional<RejectReason> ParseLine(std::string_view line, const Limits& limits, FieldView& out) {
  std::string_view text = line.substr(0, line.size() - 1);  // without '\n'
  size_t eq = text.find('=');
  if (eq == std::string_view::npos || eq == 0)
    return RejectReason::kMalformedField;
  std::string_view name = text.substr(0, eq);
  out.type = FieldType::kString;
  if (name[0] == '(') {
    // "(d)" with d a non-zero digit; a string field has no prefix.
    if (name.size() < 4 || name[2] != ')' || name[1] < '1' || name[1] > '9') {
      return RejectReason::kMalformedField;
    }
    out.type = static_cast<FieldType>(name[1] - '0');
    name.remove_prefix(3);
  }
  if (name.size() > limits.max_name)
    return RejectReason::kFieldNameTooLong;
  out.name = name;
  out.value = text.substr(eq + 1);
  out.line = line;
  return std::nullopt;
}

}  // namespace

std::optional<RejectReason> ParseClassicFrame(std::string_view datagram, const Limits& limits,
                                              Frame& out) {
  out.format = WireFormat::kClassic;
  size_t pos = kClassicBegin.size();
  while (true) {
    if (pos >= datagram.size())
      return RejectReason::kMalformedField;
    size_t nl = datagram.find('\n', pos);
    if (nl == std::string_view::npos)
      return RejectReason::kMalformedField;
    std::string_view line = datagram.substr(pos, nl + 1 - pos);
    pos = nl + 1;
    if (line == kClassicEnd)
      break;
    if (line.size() == 1)
      continue;  // empty line
    if (out.fields.size() >= limits.max_fields)
      return RejectReason::kTooManyFields;
    FieldView field;
    if (auto error = ParseLine(line, limits, field))
      return error;
    out.fields.push_back(field);
  }
  if (pos == datagram.size())
    return std::nullopt;
  if (pos + 1 == datagram.size() && datagram[pos] == '\0')
    return std::nullopt;
  return RejectReason::kTrailingGarbage;
}

void AppendClassicLine(const Field& field, std::string& out) {
  if (field.type != FieldType::kString) {
    out += '(';
    out += static_cast<char>('0' + static_cast<int>(field.type));
    out += ')';
  }
  out += field.name;
  out += '=';
  if (field.type == FieldType::kBinary) {
    out += Base64Encode(field.value);
  } else if (field.type == FieldType::kString) {
    for (char c : field.value)
      out += c == '\n' ? kClassicNewline : c;
  } else {
    out += field.value;
  }
  out += '\n';
}

std::string EncodeClassic(const Message& message, bool trailing_nul) {
  std::string out(kClassicBegin);
  for (const Field& f : message.fields())
    AppendClassicLine(f, out);
  out += kClassicEnd;
  if (trailing_nul)
    out += '\0';
  return out;
}

std::string ClassicSignedText(const Message& message) {
  std::string out;
  for (const Field& f : message.fields()) {
    if (f.name != field::kAuth)
      AppendClassicLine(f, out);
  }
  return out;
}

std::string UnescapeClassicString(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c == kClassicNewline)
      c = '\n';
  }
  return out;
}

}  // namespace hbd::wire
