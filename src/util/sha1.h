// A one-shot SHA-1 of a byte string, for identifiers and digests that are not authentication
// (node UUIDs, the configuration digest). It runs on OpenSSL's plain SHA1_* functions: OpenSSL
// 3's one-shot SHA1() goes through its provider machinery, which initialises (and, linked
// statically, links in) much of libcrypto for one hash at start-up.
#pragma once

#include <array>
#include <string_view>

namespace hbd::util {

inline constexpr size_t kSha1Size = 20;

std::array<unsigned char, kSha1Size> Sha1(std::string_view bytes);

}  // namespace hbd::util
