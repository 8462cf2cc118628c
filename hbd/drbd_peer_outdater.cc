// drbd-peer-outdater: DRBD's fence-peer (outdate-peer) handler, for hbd's built-in dopd.
// Accepts what Heartbeat's drbd-peer-outdater accepts: [-p PEER] [-r RESOURCE] [-t SECONDS],
// with DRBD_PEER / DRBD_RESOURCE from the environment as defaults (DRBD sets them). Asks the
// local hbd, which asks the peer's hbd to run `drbdadm outdate RESOURCE`, and exits with DRBD's
// code: 3 peer inconsistent, 4 peer outdated, 5 peer unreachable or down (also when hbd cannot
// be reached), 6 peer is primary (refused), 20 the outdate failed.
#include <unistd.h>

#include <cstdlib>
#include <iostream>
#include <string>

#include "control/control_server.h"

namespace {

constexpr int kUnreachable = 5;

int Usage() {
  std::cerr << "Usage: drbd-peer-outdater [-p PEER] [-r RESOURCE] [-t SECONDS] [--socket PATH]\n";
  return kUnreachable;
}

}  // namespace

int main(int argc, char** argv) {
  const char* env_peer = std::getenv("DRBD_PEER");
  const char* env_res = std::getenv("DRBD_RESOURCE");
  const char* env_socket = std::getenv("HBD_SOCKET");
  std::string peer = env_peer ? env_peer : "";
  std::string resource = env_res ? env_res : "";
  std::string socket_path = env_socket ? env_socket : "/run/hbd/hbd.sock";
  int seconds = 60;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> std::string { return i + 1 < argc ? argv[++i] : std::string(); };
    if (a == "-p") {
      peer = next();
    } else if (a == "-r") {
      resource = next();
    } else if (a == "-t") {
      try {
        seconds = std::stoi(next());
      } catch (const std::exception&) {
        return Usage();
      }
    } else if (a == "--socket") {
      socket_path = next();
    } else if (a == "-h" || a == "--help") {
      std::cout
          << "Usage: drbd-peer-outdater [-p PEER] [-r RESOURCE] [-t SECONDS] [--socket PATH]\n"
             "DRBD's fence-peer handler for hbd: asks PEER's hbd to outdate RESOURCE\n"
             "(defaults: $DRBD_PEER, $DRBD_RESOURCE, 60 s, $HBD_SOCKET or "
             "/run/hbd/hbd.sock).\n"
             "Exit: 4 peer outdated, 3 peer inconsistent, 5 peer unreachable, 6 peer is "
             "primary, 20 failed.\n";
      return 0;
    } else {
      return Usage();
    }
  }
  // DRBD 8.4+ lists several peers in DRBD_PEERS; DRBD_PEER is the one of a two-node resource.
  if (peer.empty() || resource.empty() || seconds <= 0)
    return Usage();
  try {
    auto reply = hbd::control::SendControlRequest(
        socket_path, {"outdate", {resource, peer, std::to_string(seconds * 1000)}},
        seconds * 1000 + 5000);
    if (!reply.value("ok", false) || !reply.contains("rc")) {
      std::cerr << "drbd-peer-outdater: " << reply.value("error", std::string("no answer")) << "\n";
      return kUnreachable;
    }
    int rc = reply["rc"].get<int>();
    std::cerr << "drbd-peer-outdater: " << resource << " on " << peer << ": "
              << reply.value("message", std::string()) << " (exit " << rc << ")\n";
    return rc;
  } catch (const std::exception& e) {
    std::cerr << "drbd-peer-outdater: " << e.what() << "\n";
    return kUnreachable;
  }
}
