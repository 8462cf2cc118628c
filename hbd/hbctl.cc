// hbctl: the operator's client of a running hbd, over its control socket.
//   hbctl [--socket PATH] status [--json]
#include <iostream>
#include <string>
#include <vector>

#include "control/control_server.h"
#include "control/status_text.h"

namespace {

int Usage(std::ostream& out, int code) {
  out << "Usage: hbctl [--socket PATH] status [--json]\n"
         "  status         nodes, links, ping nodes, media and packet counters\n"
         "  status --json  the same as JSON (schema in README.md, \"Status JSON\")\n";
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
