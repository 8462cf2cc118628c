#include "util/sha1.h"

// The low-level interface is deprecated in OpenSSL 3 but is the one without provider set-up.
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/sha.h>

namespace hbd::util {

static_assert(kSha1Size == SHA_DIGEST_LENGTH);

std::array<unsigned char, kSha1Size> Sha1(std::string_view bytes) {
  std::array<unsigned char, kSha1Size> out{};
  SHA_CTX ctx;
  SHA1_Init(&ctx);
  SHA1_Update(&ctx, bytes.data(), bytes.size());
  SHA1_Final(out.data(), &ctx);
  return out;
}

}  // namespace hbd::util
