// Signs outgoing messages and checks incoming ones with the authkeys keys, as Heartbeat 3.0.6
// does (heartbeat.md §2, heartbeat-protocol.md §2.6):
//  - the classic `auth` field "<index> <hex>" signs the message's classic lines without `auth`;
//  - the netstring trailer "<index> <hex>" signs every byte from "###\n" through "%%%\n".
// Outgoing datagrams carry both, signed with the `auth` (sign_index) key. Incoming netstring
// datagrams are judged by their trailer (Heartbeat's receiver ignores the inner field there),
// classic ones by their `auth` field, against whichever listed key the index names. (Heartbeat
// itself checks a netstring trailer of another index with its own key; hbd uses the named key.)
// Holds a copy of the keys, each prepared once for HMAC (wire/digest.h); const methods are safe
// to call from one thread at a time.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>

#include "config/cluster_config.h"
#include "wire/digest.h"
#include "wire/frame.h"
#include "wire/message.h"
#include "wire/reject_reason.h"

namespace hbd::wire {

class Authenticator {
 public:
  explicit Authenticator(config::AuthConfig auth);

  // Sets the message's `auth` field (replacing one in place, else appending) and returns the
  // signed netstring datagram. Without a signing key (sign_index unset or not listed) the
  // datagram carries no digest and every Heartbeat will refuse it; the validator prevents that.
  std::string SignAndEncode(Message& message) const;

  // The token "<index> <hex>" over `bytes` with the signing key.
  std::string SignBytes(std::string_view bytes) const;

  // Checks a parsed frame's digest (see the header comment for which one).
  std::optional<RejectReason> Verify(const Frame& frame) const;

  // Checks the classic `auth` field of a decoded message.
  std::optional<RejectReason> VerifyAuthField(const Message& message) const;

  // Checks a token "<index> <hex>" against the concatenation of `bytes`.
  std::optional<RejectReason> VerifyToken(std::string_view token, std::string_view bytes) const;

  const config::AuthConfig& config() const { return auth_; }

 private:
  // Splits "<index> <hex>" and finds the key; the hex lands in `hex`.
  std::optional<RejectReason> LookUp(std::string_view token, const DigestKey*& key,
                                     std::string_view& hex) const;
  const DigestKey* Prepared(int index) const;
  std::string Token(int index, std::string_view bytes) const;

  config::AuthConfig auth_;
  std::array<std::optional<DigestKey>, 16> prepared_;  // by key index, 0-15
};

}  // namespace hbd::wire
