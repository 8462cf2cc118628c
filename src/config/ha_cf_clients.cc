// Handlers for ha.cf's respawn, apiauth, env, crm and pacemaker directives. ipfail and dopd are
// built into hbd, so lines that start or authorise them switch the built-in on instead.
#include <algorithm>

#include "config/config_text.h"
#include "config/ha_cf_handlers.h"

namespace hbd::config::ha_cf {
namespace {

std::string Basename(const std::string& path) {
  size_t slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

// Turns on the built-in helper `name` ("ipfail" or "dopd"); true when `name` is one.
bool UseBuiltin(Context& ctx, const std::string& name) {
  BuiltinHelpers& builtins = ctx.config().builtins;
  if (name == "ipfail") {
    builtins.ipfail = true;
    if (!ctx.ipfail_noted) {
      ctx.ipfail_noted = true;
      ctx.Note("hbd has ipfail built in; no external program is needed");
    }
    return true;
  }
  if (name == "dopd") {
    builtins.dopd = true;
    if (!ctx.dopd_noted) {
      ctx.dopd_noted = true;
      ctx.Note("hbd has dopd (DRBD outdate-peer) built in; no external program is needed");
    }
    return true;
  }
  return false;
}

bool IsEnvName(const std::string& name) {
  if (name.empty() || (name[0] >= '0' && name[0] <= '9'))
    return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
  });
}

// crm and pacemaker share their values: anything that turns Pacemaker on is refused.
void ApplyPacemakerSwitch(Context& ctx, const char* directive, const Values& values) {
  const std::string* one = OneValue(ctx, directive, values);
  if (one == nullptr)
    return;
  std::string mode = ToLower(*one);
  auto b = ParseBool(mode);
  if (b == false)
    return;  // haresources mode, which is what hbd does
  if (b == true || mode == "respawn" || mode == "minimal" || mode == "manual" ||
      mode == "ccm-only" || mode == "valgrind") {
    ctx.Error(std::string(directive) + " " + *one +
              ": hbd runs the haresources model only; Pacemaker cannot be enabled (write '" +
              directive + " off' or remove the line)");
    return;
  }
  ctx.Error(std::string(directive) + ": '" + *one +
            "' is not a known value (off, on, respawn, minimal, manual, ccm-only, valgrind)");
}

}  // namespace

void ApplyRespawn(Context& ctx, const Values& values) {
  if (values.size() < 2) {
    ctx.Error("respawn needs a user and a program: respawn USER /path/to/program [ARGS...]");
    return;
  }
  const std::string& path = values[1];
  if (path.front() != '/') {
    ctx.Error("respawn: program '" + path + "' must be an absolute path");
    return;
  }
  if (UseBuiltin(ctx, Basename(path)))
    return;
  RespawnClient client;
  client.user = values[0];
  client.path = path;
  client.args.assign(values.begin() + 2, values.end());
  client.where = ctx.Here();
  ctx.config().respawn.push_back(std::move(client));
}

void ApplyApiauth(Context& ctx, const Values& values) {
  if (values.empty()) {
    ctx.Error("apiauth needs a client name: apiauth CLIENT [uid=USER,...] [gid=GROUP,...]");
    return;
  }
  ApiAuth auth;
  auth.client = values[0];
  auth.where = ctx.Here();
  bool ok = true;
  for (size_t i = 1; i < values.size(); ++i) {
    const std::string& item = values[i];
    bool uid = item.rfind("uid=", 0) == 0;
    bool gid = item.rfind("gid=", 0) == 0;
    if (!uid && !gid) {
      ctx.Error("apiauth " + auth.client + ": '" + item + "' is not uid=LIST or gid=LIST");
      ok = false;
      continue;
    }
    Values names = SplitTokens(item.substr(4), true);
    if (names.empty()) {
      ctx.Error("apiauth " + auth.client + ": '" + item + "' lists no " +
                (uid ? "users" : "groups"));
      ok = false;
      continue;
    }
    Values& list = uid ? auth.uids : auth.gids;
    list.insert(list.end(), names.begin(), names.end());
  }
  if (ok && auth.uids.empty() && auth.gids.empty()) {
    ctx.Error("apiauth " + auth.client + " needs uid=LIST and/or gid=LIST");
    ok = false;
  }
  if (UseBuiltin(ctx, auth.client) || !ok)
    return;
  auto& all = ctx.config().apiauth;
  auto [it, inserted] = ctx.apiauth_index.emplace(auth.client, all.size());
  if (!inserted) {
    ApiAuth& previous = all[it->second];
    ctx.Warning("apiauth " + auth.client + " was already given on line " +
                std::to_string(previous.where.line) + "; this line replaces it");
    previous = std::move(auth);
    return;
  }
  all.push_back(std::move(auth));
}

void ApplyEnv(Context& ctx, const Values& /*values*/) {
  const std::string& text = ctx.rest_of_line;
  size_t eq = text.find('=');
  if (eq == std::string::npos) {
    ctx.Error("env needs NAME=VALUE (got '" + text + "')");
    return;
  }
  std::string name = text.substr(0, eq);
  if (!IsEnvName(name)) {
    ctx.Error("env: '" + name +
              "' is not a variable name (letters, digits and '_', not starting with a digit)");
    return;
  }
  auto& env = ctx.config().env;
  if (env.count(name) != 0) {
    ctx.Warning("env " + name + " is set twice; the later value is used");
  }
  env[name] = text.substr(eq + 1);
}

void ApplyCrm(Context& ctx, const Values& values) {
  ApplyPacemakerSwitch(ctx, "crm", values);
}

void ApplyPacemaker(Context& ctx, const Values& values) {
  ApplyPacemakerSwitch(ctx, "pacemaker", values);
}

}  // namespace hbd::config::ha_cf
