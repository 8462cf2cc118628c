// hbd's command line: `hbd [-c DIR | --config FILE.yaml] [--node NAME] [--check-config]
// [--export-yaml] [--daemon] [-l] [--socket PATH]`, parsed with Boost.Program_options into a plain
// struct. Usage errors are values, not exits, so tests can check them. Thread-safe.
#pragma once

#include <string>
#include <vector>

namespace hbd::app {

struct CommandLine {
  std::string config_dir = "/etc/ha.d";
  std::string config_yaml;  // set: read this hbd.yaml instead of the directory
  std::string node;         // overrides uname -n
  std::string socket_path = "/run/hbd/hbd.sock";
  bool check_config = false;
  bool export_yaml = false;
  bool daemon = false;
  bool no_realtime = false;  // -l, as Heartbeat's
  bool help = false;
  bool version = false;
};

struct CommandLineResult {
  CommandLine options;
  std::string error;  // non-empty: a usage error, exit 2
  std::string help_text;
};

CommandLineResult ParseCommandLine(const std::vector<std::string>& args);

}  // namespace hbd::app
