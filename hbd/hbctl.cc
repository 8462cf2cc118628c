// hbctl: the operator's client of a running hbd, over its control socket.
//   hbctl [--socket PATH] status [--json]
//   hbctl [--socket PATH] standby|takeover [all|local|foreign|failback]
#include <iostream>
#include <string>
#include <vector>

#include "control/control_server.h"
#include "control/status_text.h"

namespace {

int Usage(std::ostream& out, int code) {
  out << "Usage: hbctl [--socket PATH] status [--json]\n"
         "       hbctl [--socket PATH] standby|takeover [all|local|foreign|failback]\n"
         "  status         nodes, links, ping nodes, groups, media and packet counters\n"
         "  status --json  the same as JSON (schema in README.md, \"Status JSON\")\n"
         "  standby SET    move this node's groups of SET to another node (hb_standby)\n"
         "  takeover SET   bring the groups of SET here (hb_takeover)\n"
         "  SET: all (default), local (preferred here), foreign, failback (= foreign)\n"
         "  force-promote GROUP  start GROUP here even though its DRBD data is outdated\n"
         "                       (hbd refused it; newer writes on the peer may be lost)\n";
  return code;
}

}  // namespace

int main(int argc, char** argv) {
  std::string socket_path = "/run/hbd/hbd.sock";
  std::vector<std::string> words;
  bool json = false;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--socket" && i + 1 < argc) {
      socket_path = argv[++i];
    } else if (a == "--json") {
      json = true;
    } else if (a == "-h" || a == "--help") {
      return Usage(std::cout, 0);
    } else {
      words.push_back(a);
    }
  }
  if (words.empty())
    return Usage(std::cerr, 2);
  if (words[0] == "force-promote" && words.size() == 2) {
    try {
      auto reply =
          hbd::control::SendControlRequest(socket_path, {"force-promote", {words[1]}}, 3600 * 1000);
      if (!reply.value("ok", false)) {
        std::cerr << "force-promote: " << reply.value("error", std::string("failed")) << "\n";
        return 1;
      }
      std::cout << "force-promote " << words[1] << ": "
                << reply.value("message", std::string("done")) << "\n";
      return 0;
    } catch (const std::exception& e) {
      std::cerr << "hbctl: " << e.what() << "\n";
      return 3;
    }
  }
  if (words[0] == "standby" || words[0] == "takeover") {
    if (words.size() > 2)
      return Usage(std::cerr, 2);
    std::string set = words.size() == 2 ? words[1] : "all";
    try {
      // A move waits for stops and starts: allow as long as the daemon's own deadline.
      auto reply = hbd::control::SendControlRequest(socket_path, {words[0], {set}}, 3600 * 1000);
      if (!reply.value("ok", false)) {
        std::cerr << words[0] << ": " << reply.value("error", std::string("failed")) << "\n";
        return 1;
      }
      std::cout << words[0] << " " << set << ": " << reply.value("message", std::string("done"))
                << "\n";
      return 0;
    } catch (const std::exception& e) {
      std::cerr << "hbctl: " << e.what() << "\n";
      return 3;
    }
  }
  if (words.size() != 1 || words[0] != "status")
    return Usage(std::cerr, 2);
  try {
    auto reply = hbd::control::SendControlRequest(socket_path, {"status", {}}, 5000);
    if (!reply.value("ok", false)) {
      std::cerr << "hbctl: " << reply.value("error", std::string("request failed")) << "\n";
      return 1;
    }
    reply.erase("ok");
    if (json) {
      std::cout << reply.dump(2) << "\n";
    } else {
      std::cout << hbd::control::FormatStatusText(reply);
    }
    return 0;
  } catch (const std::exception& e) {
    std::cerr << "hbctl: " << e.what() << "\n";
    return 3;
  }
}
