#include "app/daemon_main.h"

#include <unistd.h>

#include <filesystem>
#include <iostream>

#include "daemon/node_daemon.h"
#include "daemon/realtime.h"
#include "daemon/systemd_notify.h"
#include "util/log.h"

namespace hbd::app {

int RunDaemon(const CommandLine& options, config::LoadedConfig loaded) {
  LogSettings log;
  log.syslog_facility = loaded.config.logging.facility.value_or("");
  log.logfile = loaded.config.logging.logfile;
  log.debugfile = loaded.config.logging.debugfile;
  log.debug = loaded.config.logging.debug;
  log.journald = RunningUnderJournald();
  ConfigureLogging(log);
  for (const auto& d : loaded.diags.items()) {
    if (d.severity == config::Severity::kError)
      LogError(d.Format());
    else if (d.severity == config::Severity::kWarning)
      LogWarning(d.Format());
    else
      LogInfo(d.Format());
  }
  if (!loaded.ok()) {
    LogCrit("configuration has errors; not starting (hbd --check-config shows them)");
    daemon::NotifyStatus("not started: the configuration has errors (hbd --check-config)");
    return 1;
  }
  if (options.daemon && ::daemon(0, 0) != 0) {
    LogCrit("cannot detach (--daemon)");
    return 1;
  }
  // Before the event loop and any socket: the pages touched from here on are locked as used.
  if (loaded.config.process.realtime && !options.no_realtime) {
    daemon::RealtimeOutcome realtime = daemon::MakeRealtime(loaded.config.process.rtprio);
    for (const std::string& note : realtime.notes) {
      if (realtime.scheduled && realtime.locked)
        LogInfo(note);
      else
        LogWarning(note);
    }
  } else {
    LogInfo("realtime: off (normal scheduling, memory not locked)");
  }
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(options.socket_path).parent_path(), ec);

  boost::asio::io_context io;
  daemon::DaemonOptions daemon_options;
  daemon_options.socket_path = options.socket_path;
  // SIGHUP reads the same source with the same options as at start (and as --check-config).
  daemon_options.reload = [options] {
    config::LoadOptions load;
    load.local_node = options.node;
    load.shipped_resource_dirs = config::DefaultShippedResourceDirs();
    return options.config_yaml.empty() ? config::LoadClassicDirectory(options.config_dir, load)
                                       : config::LoadYamlFile(options.config_yaml, load);
  };
  daemon::NodeDaemon node(io, std::move(loaded), daemon_options);
  if (std::string error = node.Start(); !error.empty()) {
    LogCrit(error);
    daemon::NotifyStatus("not started: " + error);
    return 1;
  }
  io.run();
  LogNotice("stopped");
  return 0;
}

}  // namespace hbd::app
