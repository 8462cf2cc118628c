#include "resources/ipaddr_spec.h"

#include <cctype>

namespace hbd::resources {
namespace {

bool IsDigit(char c) {
  return c >= '0' && c <= '9';
}

bool IsAlnumOrUnderscore(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || IsDigit(c) || c == '_';
}

// A decimal number without leading zeros ("0" alone is fine), at most `max_digits` long.
std::optional<int> SmallNumber(std::string_view text, size_t max_digits) {
  if (text.empty() || text.size() > max_digits)
    return std::nullopt;
  if (text.size() > 1 && text[0] == '0')
    return std::nullopt;
  int value = 0;
  for (char c : text) {
    if (!IsDigit(c))
      return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return value;
}

// The script's is_ifname: what the kernel accepts, minus what a shell or `ip` could misread.
bool IsInterfaceName(std::string_view name) {
  if (name.empty() || name.size() > 15 || !IsAlnumOrUnderscore(name[0]))
    return false;
  for (char c : name.substr(1)) {
    if (!IsAlnumOrUnderscore(c) && c != '.' && c != '@' && c != '-')
      return false;
  }
  return true;
}

bool IsLabel(std::string_view label) {
  if (label.empty() || label.size() > 14)
    return false;
  for (char c : label) {
    if (!IsAlnumOrUnderscore(c) && c != '.' && c != '-')
      return false;
  }
  return true;
}

std::string Quoted(std::string_view text) {
  return "'" + std::string(text) + "'";
}

IpaddrSpecResult Fail(std::string message) {
  return {std::nullopt, std::move(message)};
}

Ipv4 Mask(int prefix) {
  return prefix <= 0 ? 0 : static_cast<Ipv4>(0xFFFFFFFFull << (32 - prefix));
}

}  // namespace

std::optional<Ipv4> ParseIpv4(std::string_view text) {
  Ipv4 result = 0;
  for (int part = 0; part < 4; ++part) {
    size_t dot = text.find('.');
    std::string_view piece = part < 3 ? text.substr(0, dot) : text;
    if (part < 3 && dot == std::string_view::npos)
      return std::nullopt;
    std::optional<int> value = SmallNumber(piece, 3);
    if (!value || *value > 255)
      return std::nullopt;
    result = (result << 8) | static_cast<Ipv4>(*value);
    if (part < 3)
      text.remove_prefix(dot + 1);
  }
  return result;
}

std::string FormatIpv4(Ipv4 address) {
  return std::to_string(address >> 24) + "." + std::to_string((address >> 16) & 0xFF) + "." +
         std::to_string((address >> 8) & 0xFF) + "." + std::to_string(address & 0xFF);
}

IpaddrSpecResult ParseIpaddrSpec(std::string_view text) {
  // The script splits with `IFS=/ read ADDR CIDR IFACE BCAST EXTRA`: four fields, and anything
  // after them other than '/' characters is an error. A line break would end bash's read early;
  // here it is simply not an address.
  std::string_view fields[4];
  std::string_view rest = text;
  for (int i = 0; i < 4; ++i) {
    size_t slash = rest.find('/');
    fields[i] = rest.substr(0, slash);
    rest = slash == std::string_view::npos ? std::string_view() : rest.substr(slash + 1);
  }
  if (rest.find_first_not_of('/') != std::string_view::npos)
    return Fail("too many '/' fields in " + Quoted(text));

  IpaddrSpec spec;
  std::optional<Ipv4> address = ParseIpv4(fields[0]);
  if (!address)
    return Fail(Quoted(fields[0]) + " is not an IPv4 address");
  spec.address = *address;
  spec.address_text = std::string(fields[0]);

  if (!fields[1].empty()) {
    std::optional<int> prefix = SmallNumber(fields[1], 2);
    if (!prefix || *prefix < 1 || *prefix > 32)
      return Fail(Quoted(fields[1]) + " is not a prefix length (1..32)");
    spec.prefix = *prefix;
  }

  std::string_view iface = fields[2];
  if (!iface.empty()) {
    size_t colon = iface.find(':');
    if (colon != std::string_view::npos) {
      std::string_view label = iface.substr(colon + 1);
      iface = iface.substr(0, colon);
      if (!IsLabel(label))
        return Fail(Quoted(label) + " is not a valid label");
      spec.label = std::string(label);
    }
    if (!IsInterfaceName(iface))
      return Fail(Quoted(iface) + " is not a valid interface name");
    spec.interface = std::string(iface);
  }

  if (!fields[3].empty()) {
    std::optional<Ipv4> broadcast = ParseIpv4(fields[3]);
    if (!broadcast)
      return Fail(Quoted(fields[3]) + " is not an IPv4 broadcast address");
    spec.broadcast = *broadcast;
  }
  return {std::move(spec), ""};
}

std::optional<HostAddress> FindConfigured(const std::vector<HostAddress>& addresses, Ipv4 address) {
  for (const auto& a : addresses) {
    if (a.address == address)
      return a;
  }
  return std::nullopt;
}

bool SameSubnet(Ipv4 a, Ipv4 b, int prefix) {
  Ipv4 mask = Mask(prefix);
  return (a & mask) == (b & mask);
}

std::optional<InterfaceChoice> ChooseInterface(const IpaddrSpec& spec,
                                               const std::vector<HostAddress>& addresses) {
  for (const auto& a : addresses) {
    if (a.address == spec.address)
      continue;
    if (!spec.interface.empty() && a.interface != spec.interface)
      continue;
    int prefix = spec.prefix != 0 ? spec.prefix : a.prefix;
    if (SameSubnet(spec.address, a.address, prefix))
      return InterfaceChoice{a.interface, prefix};
  }
  return std::nullopt;
}

std::string NoInterfaceMessage(const IpaddrSpec& spec) {
  std::string message = "no interface";
  if (!spec.interface.empty())
    message += " " + spec.interface;
  message += " holds an address in the subnet of " + spec.address_text;
  if (spec.prefix != 0)
    message += "/" + std::to_string(spec.prefix);
  return message + "; give IFACE and CIDR";
}

std::optional<Ipv4> DefaultBroadcast(Ipv4 address, int prefix) {
  if (prefix < 0 || prefix > 30)
    return std::nullopt;
  return address | ~Mask(prefix);
}

}  // namespace hbd::resources
