#include "wire/digest.h"

// The keyed states are copied per packet, so they must be plain structs: OpenSSL's low-level
// SHA1_* / MD5_* interface gives exactly that (its EVP interface allocates a context per copy
// and dispatches through providers, which cost more than the hash of a 500-byte keepalive).
// That interface is deprecated in OpenSSL 3 but still the one these digests are built on.
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/md5.h>
#include <openssl/sha.h>

#include <array>
#include <cstring>

namespace hbd::wire {
namespace {

static_assert(sizeof(SHA_CTX) <= sizeof(HashState), "HashState too small for SHA_CTX");
static_assert(sizeof(MD5_CTX) <= sizeof(HashState), "HashState too small for MD5_CTX");
static_assert(SHA_CBLOCK == 64 && MD5_CBLOCK == 64, "HMAC pads assume 64-byte blocks");

constexpr size_t kBlock = 64;

constexpr std::array<uint32_t, 256> MakeCrcTable() {
  std::array<uint32_t, 256> table{};
  for (uint32_t i = 0; i < 256; ++i) {
    uint32_t c = i << 24;
    for (int bit = 0; bit < 8; ++bit)
      c = (c & 0x80000000u) ? (c << 1) ^ 0x04C11DB7u : c << 1;
    table[i] = c;
  }
  return table;
}

constexpr std::array<uint32_t, 256> kCrcTable = MakeCrcTable();

SHA_CTX* Sha(HashState& s) {
  return reinterpret_cast<SHA_CTX*>(s.bytes);
}
MD5_CTX* Md5(HashState& s) {
  return reinterpret_cast<MD5_CTX*>(s.bytes);
}

void Begin(config::AuthMethod method, HashState& s) {
  if (method == config::AuthMethod::kMd5)
    MD5_Init(Md5(s));
  else
    SHA1_Init(Sha(s));
}

void Feed(config::AuthMethod method, HashState& s, const void* data, size_t size) {
  if (method == config::AuthMethod::kMd5)
    MD5_Update(Md5(s), data, size);
  else
    SHA1_Update(Sha(s), data, size);
}

// Writes the digest into `out` (at least 20 bytes) and returns its length.
size_t End(config::AuthMethod method, HashState& s, unsigned char* out) {
  if (method == config::AuthMethod::kMd5) {
    MD5_Final(out, Md5(s));
    return MD5_DIGEST_LENGTH;
  }
  SHA1_Final(out, Sha(s));
  return SHA_DIGEST_LENGTH;
}

void AppendHex(const unsigned char* bytes, size_t n, DigestHex& out) {
  static constexpr char kDigits[] = "0123456789abcdef";
  for (size_t i = 0; i < n && out.size + 2 <= sizeof(out.text); ++i) {
    out.text[out.size++] = kDigits[bytes[i] >> 4];
    out.text[out.size++] = kDigits[bytes[i] & 15];
  }
}

}  // namespace

DigestKey::DigestKey(config::AuthMethod method, std::string_view secret) : method_(method) {
  if (method_ == config::AuthMethod::kCrc)
    return;
  // RFC 2104: a key longer than a block is hashed first; the key is zero-padded to a block.
  unsigned char key[kBlock] = {};
  if (secret.size() > kBlock) {
    HashState s;
    Begin(method_, s);
    Feed(method_, s, secret.data(), secret.size());
    End(method_, s, key);
  } else {
    std::memcpy(key, secret.data(), secret.size());
  }
  unsigned char pad[kBlock];
  for (size_t i = 0; i < kBlock; ++i)
    pad[i] = key[i] ^ 0x36;
  Begin(method_, inner_);
  Feed(method_, inner_, pad, kBlock);
  for (size_t i = 0; i < kBlock; ++i)
    pad[i] = key[i] ^ 0x5c;
  Begin(method_, outer_);
  Feed(method_, outer_, pad, kBlock);
}

DigestStream::DigestStream(const DigestKey& key)
    : method_(key.method_), state_(key.inner_), outer_(key.outer_) {}

DigestStream::DigestStream(config::AuthMethod method, std::string_view secret)
    : DigestStream(DigestKey(method, secret)) {}

void DigestStream::Update(std::string_view bytes) {
  if (spent_ || bytes.empty())
    return;
  if (method_ == config::AuthMethod::kCrc) {
    for (char ch : bytes)
      crc_ = (crc_ << 8) ^ kCrcTable[((crc_ >> 24) ^ static_cast<uint8_t>(ch)) & 0xff];
    return;
  }
  Feed(method_, state_, bytes.data(), bytes.size());
}

DigestHex DigestStream::Finish() {
  DigestHex out;
  if (spent_)
    return out;
  spent_ = true;
  if (method_ == config::AuthMethod::kCrc) {
    uint32_t value = ~crc_;
    static constexpr char kDigits[] = "0123456789abcdef";
    char reversed[8];
    size_t n = 0;
    do {
      reversed[n++] = kDigits[value & 15];
      value >>= 4;
    } while (value != 0);
    while (n > 0)
      out.text[out.size++] = reversed[--n];
    return out;
  }
  unsigned char inner[SHA_DIGEST_LENGTH];
  size_t inner_size = End(method_, state_, inner);
  Feed(method_, outer_, inner, inner_size);
  unsigned char md[SHA_DIGEST_LENGTH];
  size_t size = End(method_, outer_, md);
  AppendHex(md, size, out);
  return out;
}

std::string ComputeDigest(config::AuthMethod method, std::string_view secret,
                          std::string_view bytes) {
  DigestStream stream(method, secret);
  stream.Update(bytes);
  return std::string(stream.Finish().view());
}

}  // namespace hbd::wire
