// The three Heartbeat authentication methods as a streaming digest rendered in Heartbeat's hex:
// sha1 = HMAC-SHA1 and md5 = HMAC-MD5 over the key's bytes (40 / 32 lower-case hex digits), crc
// = unkeyed CRC-32 (poly 0x04C11DB7, MSB first, init 0, final NOT, no length step) printed with
// "%lx" (no leading zeros). All three were checked against datagrams captured from Heartbeat
// 3.0.6 (tests/data/wire). crc gives no security. Not thread-safe; one stream per digest at a
// time (Reset() starts the next one).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "config/cluster_config.h"

typedef struct evp_mac_ctx_st EVP_MAC_CTX;

namespace hbd::wire {

// A digest's hex text, kept on the stack so verification needs no heap.
struct DigestHex {
  char text[64] = {};
  size_t size = 0;
  std::string_view view() const { return std::string_view(text, size); }
};

class DigestStream {
 public:
  DigestStream(config::AuthMethod method, std::string_view secret);
  ~DigestStream();
  DigestStream(const DigestStream&) = delete;
  DigestStream& operator=(const DigestStream&) = delete;

  void Update(std::string_view bytes);
  // The hex digest; the stream is spent afterwards. Empty if OpenSSL failed (never matches).
  DigestHex Finish();
  // Starts a new digest with the same method and key, without building the key's HMAC state
  // again (a verifier reuses one stream per key instead of one per packet).
  void Reset();

 private:
  config::AuthMethod method_;
  uint32_t crc_ = 0;
  EVP_MAC_CTX* mac_ = nullptr;
  bool failed_ = false;
};

// One-shot convenience.
std::string ComputeDigest(config::AuthMethod method, std::string_view secret,
                          std::string_view bytes);

}  // namespace hbd::wire
