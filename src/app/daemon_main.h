// Runs the hbd daemon for a loaded configuration until it is told to stop; returns the exit code.
#pragma once

#include "app/command_line.h"
#include "config/config_loader.h"

namespace hbd::app {

int RunDaemon(const CommandLine& options, config::LoadedConfig loaded);

}  // namespace hbd::app
