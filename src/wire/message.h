// A Heartbeat cluster message: an ordered list of typed fields (name, type, value). Order is
// significant (it is what Heartbeat signs), unknown fields and unknown types are carried
// unchanged, and a name may appear more than once (lookups find the first). Plain value; not
// thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hbd::wire {

// The type digit written in front of a field: `(0)` string, `(1)` binary, ... Types other than
// string and binary (2 struct, 3 list, 4 compressed, ...) are not interpreted: their value is
// kept as the raw bytes received, so they survive a netstring decode/encode round trip.
enum class FieldType : uint8_t {
  kString = 0,
  kBinary = 1,
  kStruct = 2,
  kList = 3,
  kCompressed = 4,
  kUncompress = 5,
  // 6..9 are legal digits too; carried as raw like the above.
};

struct Field {
  std::string name;
  FieldType type = FieldType::kString;
  std::string value;  // raw bytes: string text unescaped, binary decoded
  bool operator==(const Field&) const = default;
};

// Well-known field names (heartbeat-protocol.md §2.3).
namespace field {
inline constexpr std::string_view kType = "t";
inline constexpr std::string_view kStatus = "st";
inline constexpr std::string_view kDeadtime = "dt";
inline constexpr std::string_view kProtocol = "protocol";
inline constexpr std::string_view kSource = "src";
inline constexpr std::string_view kSourceUuid = "srcuuid";
inline constexpr std::string_view kDest = "dest";
inline constexpr std::string_view kDestUuid = "destuuid";
inline constexpr std::string_view kSeq = "seq";
inline constexpr std::string_view kGeneration = "hg";
inline constexpr std::string_view kTimestamp = "ts";
inline constexpr std::string_view kLoad = "ld";
inline constexpr std::string_view kTtl = "ttl";
inline constexpr std::string_view kAuth = "auth";
inline constexpr std::string_view kAckSeq = "ackseq";
inline constexpr std::string_view kInfo = "info";
inline constexpr std::string_view kResources = "rsc_hold";        // none|local|foreign|all
inline constexpr std::string_view kResourceReportType = "rtype";  // "full": absolute report
inline constexpr std::string_view kIsStable = "isstable";         // "1" or "0"
}  // namespace field

class Message {
 public:
  Message() = default;
  explicit Message(std::vector<Field> fields) : fields_(std::move(fields)) {}

  const std::vector<Field>& fields() const { return fields_; }
  size_t size() const { return fields_.size(); }
  bool empty() const { return fields_.empty(); }

  // The first field with this name, or null.
  const Field* Find(std::string_view name) const;
  // The value of the first field with this name, if any (any type).
  std::optional<std::string_view> Get(std::string_view name) const;
  bool Has(std::string_view name) const { return Find(name) != nullptr; }

  // Replaces the first field with this name in place (keeping its position), or appends one.
  void Set(std::string_view name, std::string_view value, FieldType type = FieldType::kString);
  // Appends a field even if one with this name exists.
  void Add(std::string_view name, std::string_view value, FieldType type = FieldType::kString);
  // Removes every field with this name; returns how many were removed.
  size_t Remove(std::string_view name);

  bool operator==(const Message&) const = default;

 private:
  std::vector<Field> fields_;
};

}  // namespace hbd::wire
