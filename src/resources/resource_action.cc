#include "resources/resource_action.h"

#include <set>

namespace hbd::resources {

namespace {

bool IsParameterName(std::string_view name) {
  if (name.empty())
    return false;
  for (char c : name) {
    bool ok =
        (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    if (!ok)
      return false;
  }
  return true;
}

// An instance name made of the parameter value, as Heartbeat's OCF wrappers did
// (IPaddr2_10.0.0.1), with anything but [A-Za-z0-9_.-] turned into '_' so agents can use it in
// file names.
std::string InstanceSuffix(std::string_view value) {
  std::string out;
  for (char c : value) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '.' || c == '-';
    out += ok ? c : '_';
  }
  return out;
}

bool HasNul(std::string_view s) {
  return s.find('\0') != std::string_view::npos;
}

// Adds `name=value` unless `name` is already set; returns false (and sets `error`) for a name
// or value the environment cannot carry.
bool AddVariable(std::vector<std::string>& env, std::set<std::string>& names,
                 const std::string& name, const std::string& value, std::string& error) {
  if (name.empty() || name.find('=') != std::string::npos || HasNul(name) || HasNul(value)) {
    error = "environment variable '" + name + "' cannot be passed to a script";
    return false;
  }
  if (names.insert(name).second)
    env.push_back(name + "=" + value);
  return true;
}

bool StartsWithNoCase(std::string_view text, size_t at, std::string_view word) {
  if (text.size() - at < word.size())
    return false;
  for (size_t i = 0; i < word.size(); ++i) {
    char c = text[at + i];
    if (c >= 'A' && c <= 'Z')
      c = static_cast<char>(c - 'A' + 'a');
    if (c != word[i])
      return false;
  }
  return true;
}

// "[Rr]unning" at or after `from`.
bool HasRunningFrom(std::string_view text, size_t from) {
  for (size_t i = from; i < text.size(); ++i) {
    if ((text[i] == 'R' || text[i] == 'r') && text.substr(i + 1, 6) == "unning")
      return true;
  }
  return false;
}

ChildCommand Fail(const std::string& why) {
  ChildCommand command;
  command.error = why;
  return command;
}

}  // namespace

const char* ToString(Action action) {
  switch (action) {
    case Action::kStart:
      return "start";
    case Action::kStop:
      return "stop";
    case Action::kStatus:
      return "status";
  }
  return "?";
}

ScriptStyle StyleOf(const config::Resource& resource) {
  if (resource.type.rfind("ocf:", 0) == 0 || resource.type == "OCF")
    return ScriptStyle::kOcf;
  return ScriptStyle::kHeartbeat;
}

const char* ActionWord(Action action, ScriptStyle style) {
  if (action == Action::kStatus && style == ScriptStyle::kOcf)
    return "monitor";
  return ToString(action);
}

ChildCommand BuildChildCommand(const ActionRequest& request) {
  const config::Resource& resource = request.resource;
  if (request.script_path.empty() || request.script_path.front() != '/')
    return Fail("no script path (must be absolute)");
  if (HasNul(request.script_path))
    return Fail("script path holds a NUL byte");
  ScriptStyle style = StyleOf(resource);

  ChildCommand command;
  command.path = request.script_path;
  command.argv.push_back(request.script_path);
  std::set<std::string> names;
  std::string error;
  auto add = [&](const std::string& n, const std::string& v) {
    return AddVariable(command.env, names, n, v, error);
  };
  bool good = add("PATH", kScriptPath) && add("LANG", "C") && add("HA_DIR", request.config_dir) &&
              add("HA_CURHOST", request.local_node) && add("HA_RSCTMP", kResourceTmpDir) &&
              add("OCF_ROOT", request.ocf_root);
  if (!good)
    return Fail(error);

  if (style == ScriptStyle::kHeartbeat) {
    for (const auto& arg : resource.args) {
      if (HasNul(arg))
        return Fail("an argument holds a NUL byte");
      command.argv.push_back(arg);
    }
  } else {
    std::string provider = "heartbeat";
    std::string type;
    std::string instance;
    size_t first_param = 0;
    if (resource.type == "OCF") {
      if (resource.args.empty())
        return Fail("OCF:: needs an agent type (OCF::TYPE[::INSTANCE])");
      type = resource.args[0];
      first_param = 1;
      if (resource.args.size() > 1 && resource.args[1].find('=') == std::string::npos) {
        instance = resource.args[1];
        first_param = 2;
      }
    } else {
      size_t colon = resource.type.find(':', 4);
      if (colon == std::string::npos)
        return Fail("OCF resources are named ocf:PROVIDER:TYPE");
      provider = resource.type.substr(4, colon - 4);
      type = resource.type.substr(colon + 1);
    }
    std::vector<std::pair<std::string, std::string>> params;
    std::set<std::string> keys;
    for (size_t i = first_param; i < resource.args.size(); ++i) {
      const std::string& arg = resource.args[i];
      size_t eq = arg.find('=');
      if (eq == std::string::npos || !IsParameterName(std::string_view(arg).substr(0, eq))) {
        return Fail("OCF argument '" + arg +
                    "' is not a parameter; write NAME=VALUE (NAME of letters, digits and _)");
      }
      std::string key = arg.substr(0, eq);
      if (!keys.insert(key).second)
        return Fail("OCF parameter '" + key + "' given twice");
      params.emplace_back(key, arg.substr(eq + 1));
    }
    if (instance.empty())
      instance = params.empty() ? type : type + "_" + InstanceSuffix(params.front().second);
    good = add("OCF_RA_VERSION_MAJOR", "1") && add("OCF_RA_VERSION_MINOR", "0") &&
           add("OCF_RESOURCE_INSTANCE", instance) && add("OCF_RESOURCE_TYPE", type) &&
           add("OCF_RESOURCE_PROVIDER", provider) &&
           add("OCF_RESKEY_CRM_meta_timeout", std::to_string(request.timeout.count()));
    for (const auto& [key, value] : params)
      good = good && add("OCF_RESKEY_" + key, value);
    if (!good)
      return Fail(error);
  }
  command.argv.push_back(ActionWord(request.action, style));

  for (const auto& [n, v] : request.extra_env) {
    if (!add(n, v))
      return Fail(error);
  }
  return command;
}

std::map<std::string, std::string> ScriptEnvironment(const config::ClusterConfig& config) {
  std::map<std::string, std::string> env;
  const config::Logging& log = config.logging;
  if (log.facility)
    env["HA_LOGFACILITY"] = *log.facility;
  if (!log.logfile.empty())
    env["HA_LOGFILE"] = log.logfile;
  if (!log.debugfile.empty())
    env["HA_DEBUGLOG"] = log.debugfile;
  env["HA_debug"] = std::to_string(log.debug);
  for (const auto& [n, v] : config.env)
    env["HA_" + n] = v;
  return env;
}

bool HeartbeatStatusSaysRunning(std::string_view text) {
  // *[Nn][Oo][Tt]\ *[Rr]unning*: "not" in any case, one space, then anything, then [Rr]unning.
  // The earliest "not " leaves the most room for "running" after it.
  for (size_t i = 0; i + 4 <= text.size(); ++i) {
    if (StartsWithNoCase(text, i, "not") && text[i + 3] == ' ') {
      if (HasRunningFrom(text, i + 4))
        return false;
      break;
    }
  }
  return HasRunningFrom(text, 0) || text.find("OK") != std::string_view::npos;
}

OcfStatus OcfMonitorStatus(int exit_code) {
  switch (exit_code) {
    case 0:
    case 8:  // running as master (promoted)
      return OcfStatus::kRunning;
    case 7:
      return OcfStatus::kNotRunning;
    default:
      return OcfStatus::kFailed;
  }
}

const char* OcfExitCodeName(int exit_code) {
  static const char* const kNames[] = {
      "OCF_SUCCESS",        "OCF_ERR_GENERIC",   "OCF_ERR_ARGS",       "OCF_ERR_UNIMPLEMENTED",
      "OCF_ERR_PERM",       "OCF_ERR_INSTALLED", "OCF_ERR_CONFIGURED", "OCF_NOT_RUNNING",
      "OCF_RUNNING_MASTER", "OCF_FAILED_MASTER"};
  if (exit_code >= 0 && exit_code <= 9)
    return kNames[exit_code];
  return "unknown";
}

void JudgeFinishedAction(Action action, ScriptStyle style, int exit_code,
                         std::string_view stdout_text, ActionResult& result) {
  result.running = false;
  if (action != Action::kStatus) {
    result.ok = exit_code == 0;
    if (!result.ok) {
      result.error =
          std::string(ToString(action)) + " failed with exit code " + std::to_string(exit_code);
      if (style == ScriptStyle::kOcf)
        result.error += std::string(" (") + OcfExitCodeName(exit_code) + ")";
    }
    return;
  }
  if (style == ScriptStyle::kHeartbeat) {
    // Heartbeat ignores the exit code of status; the text decides.
    result.ok = true;
    result.running = HeartbeatStatusSaysRunning(stdout_text);
    return;
  }
  switch (OcfMonitorStatus(exit_code)) {
    case OcfStatus::kRunning:
      result.ok = true;
      result.running = true;
      break;
    case OcfStatus::kNotRunning:
      result.ok = true;
      break;
    case OcfStatus::kFailed:
      result.ok = false;
      result.error = "monitor failed with exit code " + std::to_string(exit_code) + " (" +
                     OcfExitCodeName(exit_code) + ")";
      break;
  }
}

}  // namespace hbd::resources
