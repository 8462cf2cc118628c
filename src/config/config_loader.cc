#include "config/config_loader.h"

#include <net/if.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>

#include "config/authkeys_parser.h"
#include "config/config_text.h"
#include "config/config_yaml.h"
#include "config/ha_cf_parser.h"
#include "config/haresources_parser.h"

namespace hbd::config {
namespace {

bool IsExecutableFile(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(path.c_str(), X_OK) == 0;
}

bool InterfaceExists(const std::string& name) {
  return ::if_nametoindex(name.c_str()) != 0;
}

std::string OctalMode(mode_t mode) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "%04o", static_cast<unsigned>(mode & 07777));
  return buf;
}

// Configuration files other than secrets: anyone who can write them controls the cluster.
void WarnIfWritableByOthers(const std::string& path, Diagnostics& diags) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0)
    return;
  if (st.st_mode & (S_IWGRP | S_IWOTH)) {
    diags.Warning(path, 0,
                  "is writable by group or others (mode " + OctalMode(st.st_mode) +
                      "); anyone who can write it controls this cluster");
  }
}

ValidationContext MakeContext(const LoadOptions& options, const std::string& config_dir,
                              const std::string& local_node) {
  ValidationContext ctx;
  ctx.local_node = local_node;
  if (!config_dir.empty())
    ctx.resource_dirs.push_back(config_dir + "/resource.d");
  for (const auto& d : options.shipped_resource_dirs)
    ctx.resource_dirs.push_back(d);
  ctx.resource_dirs.push_back(options.init_dir);
  ctx.is_executable = IsExecutableFile;
  if (options.check_interfaces)
    ctx.interface_exists = InterfaceExists;
  return ctx;
}

}  // namespace

std::string LocalNodeName() {
  struct utsname u {};
  if (::uname(&u) != 0)
    return {};
  return ToLower(u.nodename);
}

std::vector<std::string> DefaultShippedResourceDirs() {
  std::vector<std::string> dirs;
  for (const char* d : {HBD_INSTALLED_RESOURCE_DIR, HBD_SOURCE_RESOURCE_DIR}) {
    std::error_code ec;
    if (std::filesystem::is_directory(d, ec)) {
      dirs.emplace_back(d);
      break;
    }
  }
  return dirs;
}

void CheckSecretFileSafety(const std::string& path, Diagnostics& diags) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0)
    return;  // a missing file is reported by the reader
  if ((st.st_mode & 07777) != 0600) {
    diags.Error(path, 0,
                "has mode " + OctalMode(st.st_mode) +
                    "; it holds the cluster's keys and must be mode 0600 (chmod 600 " + path + ")");
  }
  if (st.st_uid != 0) {
    diags.Error(path, 0,
                "is owned by uid " + std::to_string(st.st_uid) +
                    "; it must be owned by root (chown root " + path + ")");
  }
}

LoadedConfig LoadClassicDirectory(const std::string& dir, const LoadOptions& options) {
  LoadedConfig out;
  out.source = dir;
  out.local_node = options.local_node.empty() ? LocalNodeName() : ToLower(options.local_node);
  const std::string hacf = dir + "/ha.cf";
  const std::string haresources = dir + "/haresources";
  const std::string authkeys = dir + "/authkeys";

  if (auto text = ReadConfigFile(hacf, out.diags)) {
    WarnIfWritableByOthers(hacf, out.diags);
    ParseHaCf(*text, hacf, out.config, out.diags);
  }
  std::error_code ec;
  if (std::filesystem::exists(haresources, ec)) {
    if (auto text = ReadConfigFile(haresources, out.diags)) {
      WarnIfWritableByOthers(haresources, out.diags);
      ParseHaresources(*text, haresources, out.config.groups, out.diags);
    }
  } else {
    out.diags.Warning(haresources, 0, "does not exist; this cluster manages no resources");
  }
  CheckSecretFileSafety(authkeys, out.diags);
  if (auto text = ReadConfigFile(authkeys, out.diags)) {
    ParseAuthkeys(*text, authkeys, out.config.auth, out.diags);
  }

  ValidationContext ctx = MakeContext(options, dir, out.local_node);
  ctx.hacf_file = hacf;
  ctx.haresources_file = haresources;
  ValidateConfig(out.config, ctx, out.diags);
  return out;
}

LoadedConfig LoadYamlFile(const std::string& path, const LoadOptions& options) {
  LoadedConfig out;
  out.source = path;
  out.local_node = options.local_node.empty() ? LocalNodeName() : ToLower(options.local_node);
  if (auto text = ReadConfigFile(path, out.diags)) {
    ParseYamlConfig(*text, path, out.config, out.diags);
    if (!out.config.auth.keys.empty())
      CheckSecretFileSafety(path, out.diags);
  }
  std::string dir = std::filesystem::path(path).parent_path().string();
  ValidationContext ctx = MakeContext(options, dir.empty() ? "." : dir, out.local_node);
  ctx.hacf_file = path;
  ctx.haresources_file = path;
  ValidateConfig(out.config, ctx, out.diags);
  return out;
}

}  // namespace hbd::config
