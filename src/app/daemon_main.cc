#include "app/daemon_main.h"

#include <iostream>

namespace hbd::app {

int RunDaemon(const CommandLine& /*options*/, config::LoadedConfig loaded) {
  for (const auto& d : loaded.diags.items())
    std::cerr << d.Format() << "\n";
  if (!loaded.ok())
    return 1;
  std::cerr << "hbd: the daemon's membership layer is not built yet; only --check-config and "
               "--export-yaml work in this version\n";
  return 1;
}

}  // namespace hbd::app
