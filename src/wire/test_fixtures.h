// Test-only helpers: the datagrams captured from Heartbeat 3.0.6 under tests/data/wire, and the
// authkeys they were signed with. Included by *_test.cc only. Not thread-safe.
#pragma once

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "config/cluster_config.h"

namespace hbd::wire::testing {

struct CapturedPacket {
  std::string file;  // e.g. "sha1-01-status.bin"
  config::AuthMethod method = config::AuthMethod::kSha1;
  std::string bytes;
};

inline config::AuthKey CaptureKey(config::AuthMethod method) {
  config::AuthKey key;
  key.index = 1;
  key.method = method;
  key.secret = method == config::AuthMethod::kCrc ? "" : "labsecret";
  return key;
}

inline config::AuthConfig CaptureAuth(config::AuthMethod method) {
  config::AuthConfig auth;
  auth.sign_index = 1;
  auth.keys.push_back(CaptureKey(method));
  return auth;
}

// Every captured datagram, sorted by file name.
inline std::vector<CapturedPacket> LoadCapturedPackets() {
  std::vector<CapturedPacket> out;
  std::filesystem::path dir = std::filesystem::path(HBD_TEST_DATA_DIR) / "wire";
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() != ".bin")
      continue;
    CapturedPacket p;
    p.file = entry.path().filename().string();
    if (p.file.starts_with("md5-")) {
      p.method = config::AuthMethod::kMd5;
    } else if (p.file.starts_with("crc-")) {
      p.method = config::AuthMethod::kCrc;
    }
    std::ifstream in(entry.path(), std::ios::binary);
    p.bytes.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    out.push_back(std::move(p));
  }
  std::sort(out.begin(), out.end(),
            [](const CapturedPacket& a, const CapturedPacket& b) { return a.file < b.file; });
  return out;
}

}  // namespace hbd::wire::testing
