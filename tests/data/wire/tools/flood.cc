#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <new>
#include <string>

#include "wire/packet_verifier.h"
#include "wire/status_message.h"

static std::atomic<long> g_allocs{0};
void* operator new(size_t n) {
  ++g_allocs;
  if (void* p = std::malloc(n ? n : 1))
    return p;
  throw std::bad_alloc();
}
void operator delete(void* p) noexcept {
  std::free(p);
}
void operator delete(void* p, size_t) noexcept {
  std::free(p);
}

int main() {
  using namespace hbd;
  config::ClusterConfig c;
  c.nodes = {"node1", "node2"};
  c.auth.sign_index = 1;
  c.auth.keys.push_back({1, config::AuthMethod::kSha1, "labsecret", {}});
  wire::PacketVerifier v(c);
  wire::ControlFields control{"node2", std::string(16, 'u'), 1, 5, 0, "n/a", 3};
  wire::Message m = wire::BuildStatusMessage("active", std::chrono::milliseconds(10000), control);
  std::string good = wire::Authenticator(c.auth).SignAndEncode(m);
  control.node = "node3";
  wire::Message m3 = wire::BuildStatusMessage("active", std::chrono::milliseconds(10000), control);
  std::string stranger = wire::Authenticator(c.auth).SignAndEncode(m3);
  std::string forged = good;
  forged[forged.size() - 3] ^= 1;
  std::string junk(300, 'x');
  std::string badframe = "###\n" + std::string(296, '7');
  v.Verify(good, 0);
  struct Case {
    const char* name;
    const std::string* bytes;
  } cases[] = {{"junk (bad magic)", &junk},
               {"bad framing", &badframe},
               {"unknown src", &stranger},
               {"duplicate", &good},
               {"forged digest", &forged}};
  for (auto& k : cases) {
    long before = g_allocs;
    auto t0 = std::chrono::steady_clock::now();
    for (int i = 0; i < 200000; ++i)
      v.Verify(*k.bytes, 0);
    auto us =
        std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - t0)
            .count();
    std::printf("%-18s 200k: %6ld ms, %.2f allocs/packet\n", k.name, us / 1000,
                (g_allocs - before) / 200000.0);
  }
}
