#include "control/cl_status_format.h"

#include <algorithm>
#include <cctype>

namespace hbd::control {
namespace {

using nlohmann::json;

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

std::string Str(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

bool Bool(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_boolean() && it->get<bool>();
}

const json& Array(const json& status, const char* key) {
  static const json kEmpty = json::array();
  auto it = status.find(key);
  return it != status.end() && it->is_array() ? *it : kEmpty;
}

// A node as cl_status sees it: normal nodes and ping nodes in one list, ha.cf order.
struct NodeInfo {
  std::string name;
  std::string type;                                        // normal | ping
  std::string status;                                      // active | up | dead | init | ping
  std::vector<std::pair<std::string, std::string>> links;  // interface, up|dead
};

// The local node's own links are the interfaces hbd sends on: up while a medium on it is open.
std::vector<std::pair<std::string, std::string>> LocalLinks(const json& status) {
  std::vector<std::pair<std::string, std::string>> links;
  for (const auto& m : Array(status, "media")) {
    std::string name = Str(m, "link");
    if (name.empty())
      continue;
    bool open = Bool(m, "open");
    auto it =
        std::find_if(links.begin(), links.end(), [&](const auto& l) { return l.first == name; });
    if (it == links.end()) {
      links.emplace_back(name, open ? "up" : "dead");
    } else if (open) {
      it->second = "up";
    }
  }
  return links;
}

std::vector<NodeInfo> Nodes(const json& status) {
  std::vector<NodeInfo> nodes;
  for (const auto& n : Array(status, "nodes")) {
    NodeInfo info{Str(n, "name"), "normal", Str(n, "status"), {}};
    if (Bool(n, "local")) {
      info.links = LocalLinks(status);
    } else if (auto it = n.find("links"); it != n.end() && it->is_array()) {
      for (const auto& l : *it)
        info.links.emplace_back(Str(l, "name"), Str(l, "status"));
    }
    nodes.push_back(std::move(info));
  }
  // A ping node's one link is named after the node, as in Heartbeat.
  for (const auto& p : Array(status, "ping")) {
    NodeInfo info{Str(p, "name"), "ping", Str(p, "status"), {}};
    info.links.emplace_back(info.name, info.status == "ping" ? "up" : "dead");
    nodes.push_back(std::move(info));
  }
  return nodes;
}

const NodeInfo* FindNode(const std::vector<NodeInfo>& nodes, const std::string& name) {
  for (const auto& n : nodes) {
    if (Lower(n.name) == Lower(name))
      return &n;
  }
  return nullptr;
}

ClStatusResult Ok(std::string out, int code = 0) {
  return {std::move(out), "", code};
}

ClStatusResult Error(std::string message) {
  return {"", "cl_status: " + message + "\n", kClStatusParameterError};
}

ClStatusResult UnknownNode(const std::string& name) {
  return Error("unknown node '" + name + "'");
}

ClStatusResult HbStatus(const std::vector<std::string>& args, const json& status) {
  bool verbose = false;
  for (size_t i = 1; i < args.size(); ++i) {
    if (args[i] != "-v")
      return Error("hbstatus takes only -v");
    verbose = true;
  }
  std::string out = "Heartbeat is running on this machine.\n";
  if (!verbose)
    return Ok(out);
  out += "version:\t" + Str(status, "version") + " (hbd)\n";
  out += "managed by:\t\"haresources\"\n";
  for (const auto& n : Nodes(status)) {
    out += n.name + "\t" + n.status + "\t(nodetype: " + n.type + ")\n";
    if (n.type == "ping")
      continue;
    for (const auto& [link, state] : n.links)
      out += "\t" + link + "\t" + state + "\n";
  }
  return Ok(out);
}

ClStatusResult ListNodes(const std::vector<std::string>& args, const json& status) {
  bool ping_only = false;
  bool normal_only = false;
  for (size_t i = 1; i < args.size(); ++i) {
    if (args[i] == "-p") {
      ping_only = true;
    } else if (args[i] == "-n") {
      normal_only = true;
    } else {
      return Error("listnodes takes -p (ping nodes) or -n (normal nodes)");
    }
  }
  std::string out;
  for (const auto& n : Nodes(status)) {
    if ((ping_only && n.type != "ping") || (normal_only && n.type != "normal"))
      continue;
    out += n.name + "\n";
  }
  return Ok(out);
}

ClStatusResult ListLinks(const std::vector<std::string>& args, const json& status) {
  bool verbose = false;
  std::string node;
  for (size_t i = 1; i < args.size(); ++i) {
    if (args[i] == "-v") {
      verbose = true;
    } else if (node.empty()) {
      node = args[i];
    } else {
      return Error("usage: listhblinks [-v] NODE");
    }
  }
  if (node.empty())
    return Error("usage: listhblinks [-v] NODE");
  auto nodes = Nodes(status);
  const NodeInfo* n = FindNode(nodes, node);
  if (n == nullptr)
    return UnknownNode(node);
  std::string out;
  for (const auto& [link, state] : n->links)
    out += "\t" + link + (verbose ? "\t" + state : std::string()) + "\n";
  return Ok(out);
}

// hbd runs ipfail and dopd inside the daemon: on this node they are online when ha.cf enables
// them; on a peer, when the peer is alive and the same ha.cf (every node reads the same one)
// enables them. hbd has no other API clients.
ClStatusResult ClientStatus(const std::vector<std::string>& args, const json& status) {
  if (args.size() < 3 || args.size() > 4)
    return Error("usage: clientstatus NODE CLIENT [TIMEOUT_MS]");
  auto nodes = Nodes(status);
  const NodeInfo* n = FindNode(nodes, args[1]);
  if (n == nullptr)
    return UnknownNode(args[1]);
  bool online = false;
  auto builtins = status.find("builtins");
  if (n->type == "normal" && builtins != status.end()) {
    bool enabled = Bool(*builtins, args[2].c_str());
    online = enabled && (n->status == "active" || n->status == "up");
  }
  return online ? Ok("online\n", 0) : Ok("offline\n", 1);
}

}  // namespace

std::string ClStatusUsage() {
  return "Usage: cl_status [--socket PATH] SUBCOMMAND [ARGS]\n"
         "Heartbeat's cl_status, answered by hbd (socket: --socket, $HBD_SOCKET or "
         "/run/hbd/hbd.sock)\n"
         "  hbstatus [-v]               is hbd running here (exit 0) or not (exit 1)\n"
         "  listnodes [-p|-n]           every node, ping nodes included (-p ping, -n normal)\n"
         "  nodestatus NODE             active, up, init, dead (normal), ping or dead (ping)\n"
         "  nodetype NODE               normal or ping\n"
         "  listhblinks [-v] NODE       the node's links, tab-indented (-v: with status)\n"
         "  hblinkstatus NODE LINK      up or dead\n"
         "  rscstatus                   what this node holds: none, local, foreign, all, "
         "transition\n"
         "  clientstatus NODE CLIENT    online or offline (ipfail and dopd are built into hbd)\n"
         "Exit codes: 0 running/active/up/online, 1 otherwise or hbd unreachable, 11 bad "
         "argument or unknown node or link.\n";
}

bool ClStatusNeedsDaemon(const std::vector<std::string>& args) {
  static const std::vector<std::string> kCommands = {"hbstatus",  "listnodes",   "nodestatus",
                                                     "nodetype",  "listhblinks", "hblinkstatus",
                                                     "rscstatus", "clientstatus"};
  return !args.empty() && std::find(kCommands.begin(), kCommands.end(), args[0]) != kCommands.end();
}

ClStatusResult ClStatusUnreachable(const std::vector<std::string>& args, const std::string& why) {
  if (!args.empty() && args[0] == "hbstatus")
    return {"Heartbeat is stopped on this machine.\n", "", 1};
  return {"", "cl_status: cannot reach hbd: " + why + "\n", 1};
}

ClStatusResult RunClStatus(const std::vector<std::string>& args, const json& status) {
  if (args.empty())
    return {ClStatusUsage(), "", 0};  // as Heartbeat: help text, exit 0
  const std::string& cmd = args[0];
  if (cmd == "hbstatus")
    return HbStatus(args, status);
  if (cmd == "listnodes")
    return ListNodes(args, status);
  if (cmd == "listhblinks")
    return ListLinks(args, status);
  if (cmd == "clientstatus")
    return ClientStatus(args, status);
  if (cmd == "rscstatus") {
    if (args.size() != 1)
      return Error("rscstatus takes no arguments");
    std::string held = Str(status, "resources_held");
    return Ok((held.empty() ? "none" : held) + "\n");
  }
  auto nodes = Nodes(status);
  if (cmd == "nodestatus" || cmd == "nodetype") {
    if (args.size() != 2)
      return Error("usage: " + cmd + " NODE");
    const NodeInfo* n = FindNode(nodes, args[1]);
    if (n == nullptr)
      return UnknownNode(args[1]);
    if (cmd == "nodetype")
      return Ok(n->type + "\n");
    bool good = n->status == "active" || n->status == "up" || n->status == "ping";
    return Ok(n->status + "\n", good ? 0 : 1);
  }
  if (cmd == "hblinkstatus") {
    if (args.size() != 3)
      return Error("usage: hblinkstatus NODE LINK");
    const NodeInfo* n = FindNode(nodes, args[1]);
    if (n == nullptr)
      return UnknownNode(args[1]);
    for (const auto& [link, state] : n->links) {
      if (link == args[2])
        return Ok(state + "\n", state == "up" ? 0 : 1);
    }
    return Error("node '" + args[1] + "' has no link '" + args[2] + "'");
  }
  return {"", "cl_status: unknown subcommand '" + cmd + "'\n" + ClStatusUsage(),
          kClStatusParameterError};
}

}  // namespace hbd::control
