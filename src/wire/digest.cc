#include "wire/digest.h"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <array>

namespace hbd::wire {
namespace {

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

// Fetched once; EVP_MAC objects are reference counted and safe to share read-only.
EVP_MAC* HmacAlgorithm() {
  static EVP_MAC* mac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  return mac;
}

void AppendHex(const unsigned char* bytes, size_t n, DigestHex& out) {
  static constexpr char kDigits[] = "0123456789abcdef";
  for (size_t i = 0; i < n && out.size + 2 <= sizeof(out.text); ++i) {
    out.text[out.size++] = kDigits[bytes[i] >> 4];
    out.text[out.size++] = kDigits[bytes[i] & 15];
  }
}

}  // namespace

DigestStream::DigestStream(config::AuthMethod method, std::string_view secret) : method_(method) {
  if (method_ == config::AuthMethod::kCrc)
    return;
  EVP_MAC* algorithm = HmacAlgorithm();
  mac_ = algorithm ? EVP_MAC_CTX_new(algorithm) : nullptr;
  if (mac_ == nullptr) {
    failed_ = true;
    return;
  }
  char digest_name[8];
  std::string_view name = method_ == config::AuthMethod::kMd5 ? "MD5" : "SHA1";
  name.copy(digest_name, name.size());
  digest_name[name.size()] = '\0';
  OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest_name, 0),
                         OSSL_PARAM_construct_end()};
  // HMAC with an empty key is legal; OpenSSL wants a non-null pointer.
  static const unsigned char kEmpty = 0;
  const unsigned char* key =
      secret.empty() ? &kEmpty : reinterpret_cast<const unsigned char*>(secret.data());
  if (EVP_MAC_init(mac_, key, secret.size(), params) != 1)
    failed_ = true;
}

DigestStream::~DigestStream() {
  EVP_MAC_CTX_free(mac_);
}

void DigestStream::Reset() {
  crc_ = 0;
  if (method_ == config::AuthMethod::kCrc || mac_ == nullptr)
    return;
  // A null key re-initialises HMAC with the key already set (OpenSSL 3 EVP_MAC_init).
  failed_ = EVP_MAC_init(mac_, nullptr, 0, nullptr) != 1;
}

void DigestStream::Update(std::string_view bytes) {
  if (method_ == config::AuthMethod::kCrc) {
    for (char ch : bytes) {
      crc_ = (crc_ << 8) ^ kCrcTable[((crc_ >> 24) ^ static_cast<uint8_t>(ch)) & 0xff];
    }
    return;
  }
  if (failed_ || bytes.empty())
    return;
  if (EVP_MAC_update(mac_, reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size()) !=
      1) {
    failed_ = true;
  }
}

DigestHex DigestStream::Finish() {
  DigestHex out;
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
  if (failed_)
    return out;
  unsigned char md[EVP_MAX_MD_SIZE];
  size_t len = 0;
  if (EVP_MAC_final(mac_, md, &len, sizeof(md)) != 1)
    return out;
  AppendHex(md, len, out);
  failed_ = true;  // spent
  return out;
}

std::string ComputeDigest(config::AuthMethod method, std::string_view secret,
                          std::string_view bytes) {
  DigestStream stream(method, secret);
  stream.Update(bytes);
  return std::string(stream.Finish().view());
}

}  // namespace hbd::wire
