// The three Heartbeat authentication methods as a streaming digest rendered in Heartbeat's hex:
// sha1 = HMAC-SHA1 and md5 = HMAC-MD5 over the key's bytes (40 / 32 lower-case hex digits), crc
// = unkeyed CRC-32 (poly 0x04C11DB7, MSB first, init 0, final NOT, no length step) printed with
// "%lx" (no leading zeros). All three were checked against datagrams captured from Heartbeat
// 3.0.6 (tests/data/wire). crc gives no security.
//
// A DigestKey absorbs the key's inner and outer HMAC pads once; every DigestStream started from
// it copies those states (plain structs), so signing or checking a packet costs two short hash
// runs and never allocates. DigestKey is immutable after construction (safe to share between
// threads); a DigestStream is one message's, not thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "config/cluster_config.h"

namespace hbd::wire {

// A digest's hex text, kept on the stack so verification needs no heap.
struct DigestHex {
  char text[64] = {};
  size_t size = 0;
  std::string_view view() const { return std::string_view(text, size); }
};

// A hash function's running state, large enough for SHA-1 and MD5 (checked in digest.cc).
struct HashState {
  alignas(8) unsigned char bytes[128] = {};
};

// One authkeys key made ready for HMAC: the states after the inner and outer pads.
class DigestKey {
 public:
  DigestKey(config::AuthMethod method, std::string_view secret);

  config::AuthMethod method() const { return method_; }

 private:
  friend class DigestStream;
  config::AuthMethod method_;
  HashState inner_;
  HashState outer_;
};

class DigestStream {
 public:
  explicit DigestStream(const DigestKey& key);
  // Prepares the key on the spot (for one-off digests; packet paths keep a DigestKey).
  DigestStream(config::AuthMethod method, std::string_view secret);

  void Update(std::string_view bytes);
  // The hex digest; the stream is spent afterwards (a second call returns an empty digest,
  // which never matches).
  DigestHex Finish();

 private:
  config::AuthMethod method_;
  uint32_t crc_ = 0;
  HashState state_;
  HashState outer_;
  bool spent_ = false;
};

// One-shot convenience.
std::string ComputeDigest(config::AuthMethod method, std::string_view secret,
                          std::string_view bytes);

}  // namespace hbd::wire
