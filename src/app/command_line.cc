#include "app/command_line.h"

#include <boost/program_options.hpp>
#include <sstream>

namespace hbd::app {

namespace po = boost::program_options;

CommandLineResult ParseCommandLine(const std::vector<std::string>& args) {
  CommandLineResult result;
  CommandLine& o = result.options;
  po::options_description desc(
      "Usage: hbd [-c DIR | --config FILE.yaml] [--node NAME] [--check-config] [--daemon] "
      "[-l] [--socket PATH]\n\nOptions");
  desc.add_options()("help,h", "show this help and exit")("version,V", "print the version")(
      "config-dir,c", po::value<std::string>(&o.config_dir),
      "directory with ha.cf, haresources and authkeys (default /etc/ha.d)")(
      "config", po::value<std::string>(&o.config_yaml),
      "read one hbd.yaml instead of the classic directory")("node", po::value<std::string>(&o.node),
                                                            "this node's name (default: uname -n)")(
      "check-config", po::bool_switch(&o.check_config),
      "check the configuration, print every problem and a summary, then exit "
      "(0 usable, 1 errors, 2 usage)")("export-yaml", po::bool_switch(&o.export_yaml),
                                       "print the configuration as hbd.yaml and exit")(
      "daemon", po::bool_switch(&o.daemon),
      "detach from the terminal (systemd runs hbd in the foreground)")(
      "no-realtime,l", po::bool_switch(&o.no_realtime),
      "run at normal priority without locked memory, whatever ha.cf's realtime says")(
      "socket", po::value<std::string>(&o.socket_path),
      "control socket path (default /run/hbd/hbd.sock)");
  std::ostringstream help;
  help << desc;
  result.help_text = help.str();
  try {
    po::variables_map vm;
    po::positional_options_description no_positionals;  // stray words are usage errors
    po::store(po::command_line_parser(args).options(desc).positional(no_positionals).run(), vm);
    po::notify(vm);
    o.help = vm.count("help") > 0;
    o.version = vm.count("version") > 0;
    if (vm.count("config-dir") && vm.count("config")) {
      result.error = "-c DIR and --config FILE.yaml cannot be used together";
    } else if (o.check_config && o.export_yaml) {
      result.error = "--check-config and --export-yaml cannot be used together";
    } else if (o.config_dir.empty() || (vm.count("config") && o.config_yaml.empty())) {
      result.error = "empty configuration path";
    }
  } catch (const po::error& e) {
    result.error = e.what();
  }
  return result;
}

}  // namespace hbd::app
