// cl_status: Heartbeat's status tool for hbd, so scripts written for Heartbeat keep working.
//   cl_status [--socket PATH] SUBCOMMAND [ARGS]   (socket also from $HBD_SOCKET)
// It asks the daemon for its status JSON over the control socket; the output and exit codes are
// computed by control/cl_status_format.
#include <cstdlib>
#include <iostream>
#include <string>
#include <vector>

#include "control/cl_status_format.h"
#include "control/control_server.h"

int main(int argc, char** argv) {
  std::string socket_path = "/run/hbd/hbd.sock";
  if (const char* env = std::getenv("HBD_SOCKET"); env != nullptr && *env != '\0')
    socket_path = env;
  std::vector<std::string> args;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--socket") {
      if (i + 1 >= argc) {
        std::cerr << "cl_status: --socket needs a path\n";
        return hbd::control::kClStatusParameterError;
      }
      socket_path = argv[++i];
    } else if (args.empty() && (a == "-h" || a == "--help" || a == "help")) {
      std::cout << hbd::control::ClStatusUsage();
      return 0;
    } else {
      args.push_back(a);
    }
  }
  hbd::control::ClStatusResult result;
  if (!hbd::control::ClStatusNeedsDaemon(args)) {
    result = hbd::control::RunClStatus(args, nlohmann::json::object());
  } else {
    try {
      // Heartbeat's cl_status gives up after 5 s.
      auto reply = hbd::control::SendControlRequest(socket_path, {"status", {}}, 5000);
      if (!reply.value("ok", false)) {
        result = hbd::control::ClStatusUnreachable(
            args, reply.value("error", std::string("status request refused")));
      } else {
        result = hbd::control::RunClStatus(args, reply);
      }
    } catch (const std::exception& e) {
      result = hbd::control::ClStatusUnreachable(args, e.what());
    }
  }
  std::cout << result.out;
  std::cerr << result.err;
  return result.exit_code;
}
