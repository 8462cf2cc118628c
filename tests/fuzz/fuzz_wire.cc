// libFuzzer target: the receive pipeline on arbitrary datagrams. Every input goes through
// wire::DecodeMessage and through a PacketVerifier set up like the captures in tests/data/wire
// (nodes node1 and node2, `auth 1` / `1 sha1 labsecret`), on both media. Not thread-safe.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "config/cluster_config.h"
#include "wire/frame.h"
#include "wire/message.h"
#include "wire/packet_verifier.h"

namespace {

hbd::config::ClusterConfig CaptureConfig() {
  hbd::config::ClusterConfig config;
  config.nodes = {"node1", "node2"};
  hbd::config::AuthKey key;
  key.index = 1;
  key.method = hbd::config::AuthMethod::kSha1;
  key.secret = "labsecret";
  config.auth.sign_index = 1;
  config.auth.keys.push_back(key);
  return config;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view bytes(reinterpret_cast<const char*>(data), size);

  hbd::wire::Message message;
  hbd::wire::DecodeMessage(bytes, message);

  // One verifier for the whole run: replay windows carry state from input to input, as they do
  // in the daemon.
  static hbd::wire::PacketVerifier verifier(CaptureConfig());
  hbd::wire::Verdict verdict = verifier.Verify(bytes, size % 2);
  if (verdict.accepted() && !verdict.authenticated)
    __builtin_trap();  // an accepted packet must have passed the digest
  return 0;
}
