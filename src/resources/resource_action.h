// What running one resource script action means, as values: the request (resource, script,
// action, timeout), the result, the child's argv and environment (Heartbeat's resource.d/init.d
// style or OCF style) and how a script's answer is read (Heartbeat's status text rule, OCF exit
// codes). Pure: no processes, files or clocks; ActionRunner carries these out. Thread-safe (no
// shared state).
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "config/cluster_config.h"

namespace hbd::resources {

enum class Action { kStart, kStop, kStatus };

// How a script is called. Heartbeat: `SCRIPT ARG... start|stop|status`, status read from stdout
// text. OCF (`ocf:PROVIDER:TYPE::k=v...` or Heartbeat's `OCF::TYPE[::INSTANCE]::k=v...`): the
// action is the only argument (`monitor` for status), parameters arrive as OCF_RESKEY_*, and the
// exit code is the answer.
enum class ScriptStyle { kHeartbeat, kOcf };

struct ActionRequest {
  config::Resource resource;
  std::string script_path;  // resolved by config::ResolveResourceScript
  Action action = Action::kStatus;
  std::chrono::milliseconds timeout{20000};
  // After the timeout the process group gets SIGTERM, and SIGKILL this much later.
  std::chrono::milliseconds kill_grace{2000};
  std::string local_node;                // HA_CURHOST
  std::string config_dir = "/etc/ha.d";  // HA_DIR
  std::string ocf_root = "/usr/lib/ocf";
  // More variables for the child, e.g. ScriptEnvironment(config). hbd's own variables (PATH,
  // HA_DIR, OCF_*, ...) win over these.
  std::map<std::string, std::string> extra_env;
};

struct ActionResult {
  // start/stop: the script exited 0. status: the status is known (the script ran to its end and,
  // for OCF, answered 0, 7 or 8); `running` then says what it is.
  bool ok = false;
  bool running = false;       // status only: Heartbeat's text rule or OCF's exit code (0/8 running)
  int exit_code = -1;         // -1 when killed by a signal or never started
  int signal = 0;             // the signal that ended the script, if one did
  bool timed_out = false;     // killed at its timeout (whole process group, TERM then KILL)
  bool spawn_failed = false;  // never ran: bad request, no fds, fork or exec failed
  std::string error;          // why, when !ok for a reason other than the script's own answer
  std::chrono::milliseconds duration{0};
  std::string output;  // stdout and stderr as they arrived, capped at kMaxOutput
};

inline constexpr size_t kMaxOutput = 64 * 1024;

// The environment every script gets, whatever the daemon's own environment holds.
// Debian's root PATH: /usr/local first, so a site's own tools (and the tests' DRBD simulator,
// bound there in each node's mount namespace) come before the packaged ones.
inline constexpr const char* kScriptPath =
    "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
inline constexpr const char* kResourceTmpDir = "/run/resource-agents";  // HA_RSCTMP

// argv and envp ("NAME=value") of the child; `error` set (and the rest empty) when the request
// cannot be run as written, e.g. an OCF argument that is not key=value.
struct ChildCommand {
  std::string path;
  std::vector<std::string> argv;
  std::vector<std::string> env;
  std::string error;
};

const char* ToString(Action action);
ScriptStyle StyleOf(const config::Resource& resource);
// The word passed to the script: start, stop, status (Heartbeat) or monitor (OCF).
const char* ActionWord(Action action, ScriptStyle style);

ChildCommand BuildChildCommand(const ActionRequest& request);

// Variables from the cluster configuration that Heartbeat exported to scripts: HA_LOGFACILITY,
// HA_LOGFILE, HA_DEBUGLOG, HA_debug and HA_NAME for every `env NAME=value`.
std::map<std::string, std::string> ScriptEnvironment(const config::ClusterConfig& config);

// Heartbeat's reading of `status` stdout (its globs, exactly): "*[Nn][Oo][Tt]\ *[Rr]unning*"
// means stopped; otherwise "*[Rr]unning*" or "*OK*" means running; anything else, stopped.
bool HeartbeatStatusSaysRunning(std::string_view stdout_text);

// What an OCF exit code means for a monitor.
enum class OcfStatus { kRunning, kNotRunning, kFailed };
OcfStatus OcfMonitorStatus(int exit_code);
// The OCF name of an exit code ("OCF_NOT_RUNNING"), or "unknown".
const char* OcfExitCodeName(int exit_code);

// Fills ok/running (and error) of a result whose script ran to its end with `exit_code`.
void JudgeFinishedAction(Action action, ScriptStyle style, int exit_code,
                         std::string_view stdout_text, ActionResult& result);

}  // namespace hbd::resources
