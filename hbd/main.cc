// hbd's entry point: parses the command line, loads the configuration, and runs the
// configuration check, the YAML export or the daemon.
#include <iostream>

#include "app/command_line.h"
#include "app/daemon_main.h"
#include "config/config_loader.h"
#include "config/config_summary.h"
#include "config/config_yaml.h"

namespace {

void PrintDiagnostics(const hbd::config::Diagnostics& diags) {
  for (const auto& d : diags.items())
    std::cerr << d.Format() << "\n";
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  auto parsed = hbd::app::ParseCommandLine(args);
  if (!parsed.error.empty()) {
    std::cerr << "hbd: " << parsed.error << "\n" << parsed.help_text;
    return 2;
  }
  const auto& opt = parsed.options;
  if (opt.help) {
    std::cout << parsed.help_text;
    return 0;
  }
  if (opt.version) {
    std::cout << "hbd " << HBD_VERSION << "\n";
    return 0;
  }

  hbd::config::LoadOptions load;
  load.local_node = opt.node;
  load.shipped_resource_dirs = hbd::config::DefaultShippedResourceDirs();
  auto loaded = opt.config_yaml.empty() ? hbd::config::LoadClassicDirectory(opt.config_dir, load)
                                        : hbd::config::LoadYamlFile(opt.config_yaml, load);
  if (opt.check_config) {
    PrintDiagnostics(loaded.diags);
    std::cout << hbd::config::SummarizeConfig(loaded.config, loaded.local_node);
    std::cout << loaded.source << ": " << loaded.diags.ErrorCount() << " error(s), "
              << loaded.diags.WarningCount() << " warning(s)\n";
    return loaded.ok() ? 0 : 1;
  }
  if (opt.export_yaml) {
    if (!loaded.ok()) {
      PrintDiagnostics(loaded.diags);
      return 1;
    }
    std::cout << hbd::config::ExportYaml(loaded.config);
    return 0;
  }
  return hbd::app::RunDaemon(opt, std::move(loaded));
}
