// hbd.yaml's resources and auth sections: what haresources and authkeys say in the classic form,
// with the same per-value rules (haresources tokens, auth index 0-15, crc without a secret).
#include <arpa/inet.h>

#include "config/config_yaml_sections.h"
#include "config/haresources_parser.h"

namespace hbd::config::yaml_sections {
namespace {

std::optional<Resource> ReadResource(YamlReader& in, const YAML::Node& node, int line) {
  int at = in.Line(node, line);
  auto token = in.String(node, "each resource of group", at);
  if (!token)
    return std::nullopt;
  if (token->empty() || HasSpace(*token)) {
    in.Error(at, "resource \"" + *token +
                     "\" must be one haresources token such as Filesystem::/dev/sda1::/data");
    return std::nullopt;
  }
  Resource resource;
  Diagnostics token_diags;
  if (!ParseResourceToken(*token, in.Where(node, line), resource, token_diags)) {
    for (const auto& d : token_diags.items())
      in.Error(at, d.message);
    return std::nullopt;
  }
  return resource;
}

std::optional<AuthKey> ReadAuthKey(YamlReader& in, const YAML::Node& node, int line) {
  auto map = in.Map(node, "auth key", {"index", "method", "secret"}, line);
  if (!map)
    return std::nullopt;
  const YAML::Node* index = map->Find("index");
  const YAML::Node* method = map->Find("method");
  if (!index || !method) {
    in.Error(line, "auth key needs an index (0-15) and a method (crc, md5 or sha1)");
    return std::nullopt;
  }
  AuthKey key;
  key.where = in.Where(node, line);
  auto i = in.Integer(*index, "auth key index", 0, 15, line);
  auto m = in.Choice(*method, "auth method", {"crc", "md5", "sha1"}, line);
  if (!i || !m)
    return std::nullopt;
  key.index = static_cast<int>(*i);
  key.method = *m == "crc" ? AuthMethod::kCrc : *m == "md5" ? AuthMethod::kMd5 : AuthMethod::kSha1;
  const YAML::Node* secret = map->Find("secret");
  if (key.method == AuthMethod::kCrc) {
    if (secret) {
      in.Error(in.Line(*secret, line), "auth key " + std::to_string(key.index) +
                                           ": crc takes no secret (crc signs nothing)");
      return std::nullopt;
    }
    return key;
  }
  if (!secret) {
    in.Error(line, "auth key " + std::to_string(key.index) + ": " + *m + " needs a secret");
    return std::nullopt;
  }
  auto text = in.String(*secret, "secret", line);
  if (!text)
    return std::nullopt;
  if (text->empty()) {
    in.Error(in.Line(*secret, line),
             "auth key " + std::to_string(key.index) + ": the secret is empty");
    return std::nullopt;
  }
  key.secret = *text;
  return key;
}

}  // namespace

void ReadResources(YamlReader& in, ClusterConfig& config, const YAML::Node& node, int line) {
  auto items = in.List(node, "resources", line);
  if (!items)
    return;
  for (const auto& item : *items) {
    int at = in.Line(item, line);
    auto map = in.Map(item, "resources entry", {"node", "group"}, at);
    if (!map)
      continue;
    ResourceGroup g;
    g.where = in.Where(item, line);
    const YAML::Node* preferred = map->Find("node");
    const YAML::Node* group = map->Find("group");
    if (!preferred || !group) {
      in.Error(at, "resources entry needs a node (the preferred node) and a group (its resources)");
      continue;
    }
    auto name = in.String(*preferred, "node", at);
    if (name && (name->empty() || HasSpace(*name))) {
      in.Error(in.Line(*preferred, at), "node must be one word, not \"" + *name + "\"");
      name.reset();
    }
    auto list = in.List(*group, "group", at);
    if (!name || !list)
      continue;
    g.preferred_node = *name;
    bool ok = true;
    for (const auto& token : *list) {
      auto resource = ReadResource(in, token, at);
      if (resource) {
        g.resources.push_back(std::move(*resource));
      } else {
        ok = false;
      }
    }
    if (ok && g.resources.empty()) {
      in.Error(at, "resource group of " + g.preferred_node + " lists no resources");
      ok = false;
    }
    if (ok)
      config.groups.push_back(std::move(g));
  }
}

void ReadAuth(YamlReader& in, ClusterConfig& config, const YAML::Node& node, int line) {
  auto map = in.Map(node, "auth", {"sign", "keys"}, line);
  if (!map)
    return;
  AuthConfig& auth = config.auth;
  if (const YAML::Node* keys = map->Find("keys")) {
    auto items = in.List(*keys, "keys", line);
    for (const auto& item : items ? *items : std::vector<YAML::Node>{}) {
      auto key = ReadAuthKey(in, item, in.Line(item, line));
      if (!key)
        continue;
      if (auth.Find(key->index)) {
        in.Error(key->where.line, "auth key " + std::to_string(key->index) + " is listed twice");
        continue;
      }
      auth.keys.push_back(std::move(*key));
    }
  }
  if (const YAML::Node* sign = map->Find("sign")) {
    int at = in.Line(*sign, line);
    auto index = in.Integer(*sign, "sign", 0, 15, line);
    if (index && !auth.Find(static_cast<int>(*index))) {
      in.Error(at, "sign names key " + std::to_string(*index) + ", which keys does not list");
    } else if (index) {
      auth.sign_index = static_cast<int>(*index);
      auth.sign_at = in.Where(*sign, line);
    }
  }
}

}  // namespace hbd::config::yaml_sections
