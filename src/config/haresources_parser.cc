#include "config/haresources_parser.h"

#include "config/config_text.h"

namespace hbd::config {
namespace {

constexpr size_t kMaxQuoted = 64;  // longer tokens are cut short in messages

bool IsDigit(char c) {
  return c >= '0' && c <= '9';
}

bool IsControl(char c) {
  auto u = static_cast<unsigned char>(c);
  return u < 0x20 || u == 0x7f;
}

// A token as it may appear in a message: quoted, control bytes as \xNN, long ones cut short.
std::string Quote(std::string_view text) {
  static const char* hex = "0123456789abcdef";
  std::string out = "'";
  size_t shown = text.size() > kMaxQuoted ? kMaxQuoted : text.size();
  for (size_t i = 0; i < shown; ++i) {
    char c = text[i];
    if (IsControl(c)) {
      auto u = static_cast<unsigned char>(c);
      out += "\\x";
      out += hex[u >> 4];
      out += hex[u & 0xf];
    } else {
      out += c;
    }
  }
  if (shown < text.size())
    out += "...";
  return out + "'";
}

std::vector<std::string_view> Split(std::string_view text, std::string_view separator) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (true) {
    size_t at = text.find(separator, start);
    if (at == std::string_view::npos) {
      parts.push_back(text.substr(start));
      return parts;
    }
    parts.push_back(text.substr(start, at - start));
    start = at + separator.size();
  }
}

// Empty when `text` is a dotted-quad IPv4 address, otherwise the reason it is not.
std::string CheckIpv4(std::string_view text) {
  std::vector<std::string_view> octets = Split(text, ".");
  if (octets.size() != 4)
    return "an IPv4 address has four dot-separated numbers";
  for (std::string_view octet : octets) {
    if (octet.empty() || octet.size() > 3)
      return "each part must be a number from 0 to 255";
    int value = 0;
    for (char c : octet) {
      if (!IsDigit(c))
        return "each part must be a number from 0 to 255";
      value = value * 10 + (c - '0');
    }
    if (value > 255)
      return "each part must be a number from 0 to 255";
    if (octet.size() > 1 && octet.front() == '0') {
      return "a part with a leading zero is ambiguous (some tools read it as octal)";
    }
  }
  return {};
}

// Empty when `text` is a network interface name, optionally with an IPaddr2 `:label`.
std::string CheckInterface(std::string_view text) {
  std::string_view device = text.substr(0, text.find(':'));
  if (device.empty() || device.size() > 15) {
    return "interface name " + Quote(text) + " must have 1 to 15 characters before any ':label'";
  }
  for (char c : text) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || IsDigit(c) || c == '_' ||
              c == '.' || c == '-' || c == ':' || c == '@';
    if (!ok)
      return "interface name " + Quote(text) + " contains " + Quote(std::string(1, c));
  }
  return {};
}

// Empty when `spec` is IPaddr's `ADDR[/CIDR[/IFACE[/BROADCAST]]]`, otherwise the reason. As in
// Heartbeat's IPaddr, a third part that starts with a digit is the broadcast (no interface given).
std::string CheckIpSpec(std::string_view spec) {
  std::vector<std::string_view> parts = Split(spec, "/");
  if (parts.size() > 4)
    return "it has more than the four parts ADDR/CIDR/IFACE/BROADCAST";
  for (size_t i = 0; i < parts.size(); ++i) {
    if (parts[i].empty())
      return "its part " + std::to_string(i + 1) + " is empty";
  }
  if (std::string why = CheckIpv4(parts[0]); !why.empty()) {
    return "address " + Quote(parts[0]) + " is not valid: " + why;
  }
  if (parts.size() >= 2) {
    std::string_view cidr = parts[1];
    int bits = 0;
    bool ok = cidr.size() <= 2;
    for (char c : cidr) {
      ok = ok && IsDigit(c);
      if (ok)
        bits = bits * 10 + (c - '0');
    }
    if (!ok || bits < 1 || bits > 32) {
      return "netmask bits " + Quote(cidr) + " must be a number from 1 to 32";
    }
  }
  std::string_view interface, broadcast;
  if (parts.size() == 3) {
    if (IsDigit(parts[2].front())) {
      broadcast = parts[2];
    } else {
      interface = parts[2];
    }
  } else if (parts.size() == 4) {
    interface = parts[2];
    broadcast = parts[3];
  }
  if (!interface.empty()) {
    if (std::string why = CheckInterface(interface); !why.empty())
      return why;
  }
  if (!broadcast.empty()) {
    if (std::string why = CheckIpv4(broadcast); !why.empty()) {
      return "broadcast " + Quote(broadcast) + " is not valid: " + why;
    }
  }
  return {};
}

// Empty when `name` is a plain script name: it is looked up as a file in resource.d and the init
// directory, so it must not climb out of them or be empty.
std::string CheckPlainName(std::string_view name) {
  if (name.empty())
    return "it is empty";
  if (name == "." || name.find("..") != std::string_view::npos) {
    return "'.' and '..' are not allowed (the name is looked up as a file)";
  }
  for (char c : name) {
    if (c == '/')
      return "'/' is not allowed (the name is looked up in the script directories)";
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || IsDigit(c) || c == '_' ||
              c == '.' || c == '+' || c == '-';
    if (!ok) {
      return Quote(std::string(1, c)) + " is not allowed (use letters, digits, '_', '.', '+', '-')";
    }
  }
  return {};
}

// Empty when `name` is a plain name or the OCF form `ocf:PROVIDER:TYPE`.
std::string CheckResourceName(std::string_view name) {
  if (name.find(':') == std::string_view::npos)
    return CheckPlainName(name);
  std::vector<std::string_view> parts = Split(name, ":");
  if (parts.size() != 3 || ToLower(parts[0]) != "ocf") {
    return "':' is allowed in a resource name only in the OCF form ocf:PROVIDER:TYPE";
  }
  if (std::string why = CheckPlainName(parts[1]); !why.empty())
    return "OCF provider: " + why;
  if (std::string why = CheckPlainName(parts[2]); !why.empty())
    return "OCF type: " + why;
  return {};
}

bool IsIpaddrScript(const std::string& name) {
  return name == "IPaddr" || name == "IPaddr2";
}

}  // namespace

bool ParseResourceToken(const std::string& token, const SourceLocation& where, Resource& out,
                        Diagnostics& diags) {
  auto fail = [&](const std::string& message) {
    diags.Error(where.file, where.line, message);
    return false;
  };
  if (token.empty())
    return fail("empty resource");
  for (char c : token) {
    if (IsControl(c)) {
      return fail("resource " + Quote(token) + " contains a control character");
    }
  }
  if (IsDigit(token.front())) {
    if (std::string why = CheckIpSpec(token); !why.empty()) {
      return fail("resource " + Quote(token) +
                  " starts with a digit, so it is read as an IPv4 address "
                  "ADDR[/CIDR[/IFACE[/BROADCAST]]], but " +
                  why);
    }
    out = Resource{"IPaddr", {token}, where};
    return true;
  }
  std::vector<std::string_view> parts = Split(token, "::");
  if (parts[0].empty())
    return fail("resource " + Quote(token) + " has no name before '::'");
  if (std::string why = CheckResourceName(parts[0]); !why.empty()) {
    return fail("resource name " + Quote(parts[0]) + " is not usable: " + why);
  }
  Resource resource{std::string(parts[0]), {}, where};
  for (size_t i = 1; i < parts.size(); ++i) {
    if (parts[i].empty()) {
      return fail("resource " + Quote(token) + " has an empty argument (argument " +
                  std::to_string(i) + "); '::' separates arguments, so none can be empty");
    }
    resource.args.emplace_back(parts[i]);
  }
  if (IsIpaddrScript(resource.type)) {
    if (resource.args.empty()) {
      return fail("resource " + Quote(token) + " needs an address: " + resource.type +
                  "::ADDR[/CIDR[/IFACE[/BROADCAST]]]");
    }
    if (std::string why = CheckIpSpec(resource.args[0]); !why.empty()) {
      return fail("resource " + Quote(token) + " has an unusable address argument: " + why);
    }
  }
  out = std::move(resource);
  return true;
}

void ParseHaresources(std::string_view content, const std::string& file,
                      std::vector<ResourceGroup>& groups, Diagnostics& diags) {
  TextOptions options;
  options.backslash_continuation = true;
  for (const ConfigLine& line : SplitConfigLines(content, file, options, diags)) {
    const std::string& node = line.tokens.front();
    SourceLocation where{file, line.line};
    bool node_ok = true;
    for (char c : node)
      node_ok = node_ok && !IsControl(c);
    if (!node_ok || node.find("::") != std::string::npos) {
      diags.Error(file, line.line,
                  "the line starts with " + Quote(node) +
                      ", which is not a node name; a haresources line is "
                      "'PREFERRED-NODE RESOURCE...'");
      continue;
    }
    if (line.tokens.size() < 2) {
      diags.Error(file, line.line,
                  "node " + Quote(node) +
                      " is followed by no resource; a haresources line is "
                      "'PREFERRED-NODE RESOURCE...'");
      continue;
    }
    ResourceGroup group{ToLower(node), {}, where};
    bool usable = true;
    for (size_t i = 1; i < line.tokens.size(); ++i) {
      Resource resource;
      if (ParseResourceToken(line.tokens[i], where, resource, diags)) {
        group.resources.push_back(std::move(resource));
      } else {
        usable = false;  // keep going: report every bad resource of the line
      }
    }
    // A group missing one of its resources would start a different service than the operator
    // wrote, so a group with a bad resource is left out (the errors stop the load anyway).
    if (usable)
      groups.push_back(std::move(group));
  }
}

}  // namespace hbd::config
