// Throwaway interop check: sends hbd-built, hbd-signed status messages as node2 to a real
// Heartbeat at 192.0.2.1:694, once a second. Usage: hbd_sender METHOD SECONDS [corrupt]
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <string>

#include "wire/authenticator.h"
#include "wire/status_message.h"

int main(int argc, char** argv) {
  using namespace hbd;
  std::string method = argv[1];
  int seconds = std::stoi(argv[2]);
  bool corrupt = argc > 3;
  config::AuthConfig auth;
  auth.sign_index = 1;
  config::AuthKey key;
  key.index = 1;
  key.method = method == "md5"   ? config::AuthMethod::kMd5
               : method == "crc" ? config::AuthMethod::kCrc
                                 : config::AuthMethod::kSha1;
  key.secret = method == "crc" ? "" : "labsecret";
  auth.keys.push_back(key);
  wire::Authenticator signer(auth);
  int fd = socket(AF_INET, SOCK_DGRAM, 0);
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(694);
  inet_pton(AF_INET, "192.0.2.1", &to.sin_addr);
  wire::ControlFields control;
  control.node = "node2";
  control.uuid = "hbd-node2-uuid!!";
  control.generation = static_cast<uint64_t>(time(nullptr));
  control.ttl = wire::HeartbeatTtl(2);
  for (int i = 0; i < seconds; ++i) {
    control.seq = static_cast<uint64_t>(i + 1);
    control.wall_seconds = static_cast<uint64_t>(time(nullptr));
    control.load = "0.00 0.00 0.00 1/1 1";
    wire::Message m = wire::BuildStatusMessage(i < 2 ? "up" : "active",
                                               std::chrono::milliseconds(10000), control);
    std::string datagram = signer.SignAndEncode(m);
    if (corrupt)
      datagram[datagram.size() - 3] ^= 1;
    sendto(fd, datagram.data(), datagram.size(), 0, reinterpret_cast<sockaddr*>(&to), sizeof(to));
    sleep(1);
  }
  close(fd);
  return 0;
}
