// Signs outgoing messages and checks incoming ones with the authkeys keys, as Heartbeat 3.0.6
// does (heartbeat.md §2, heartbeat-protocol.md §2.6):
//  - the classic `auth` field "<index> <hex>" signs the message's classic lines without `auth`;
//  - the netstring trailer "<index> <hex>" signs every byte from "###\n" through "%%%\n".
// Outgoing datagrams carry both, signed with the `auth` (sign_index) key. Incoming netstring
// datagrams are judged by their trailer (Heartbeat's receiver ignores the inner field there),
// classic ones by their `auth` field, against whichever listed key the index names. (Heartbeat
// itself checks a netstring trailer of another index with its own key; hbd uses the named key.)
// Holds a copy of the keys and, made on first use, one reusable digest stream per key, so a
// verification builds no HMAC state; a copy starts with no streams. Not thread-safe: use an
// Authenticator (even its const methods) from one thread at a time.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

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
  std::optional<RejectReason> LookUp(std::string_view token, const config::AuthKey*& key,
                                     std::string_view& hex) const;

  // The reset stream of `key`, made on first use; null when OpenSSL cannot make one.
  DigestStream* StreamFor(const config::AuthKey& key) const;

  // One stream per entry of auth_.keys (same order); copying an Authenticator copies no stream.
  struct Streams {
    Streams() = default;
    Streams(const Streams&) {}
    Streams& operator=(const Streams&) {
      by_key.clear();
      return *this;
    }
    Streams(Streams&&) = default;
    Streams& operator=(Streams&&) = default;
    std::vector<std::unique_ptr<DigestStream>> by_key;
  };

  config::AuthConfig auth_;
  mutable Streams streams_;
};

}  // namespace hbd::wire
