#include "resources/native_ipaddr.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>

#include <climits>

#include "resources/route_socket.h"
#include "util/log.h"
#include "util/time.h"

namespace hbd::resources {
namespace {

constexpr const char* kProg = "IPaddr";
constexpr const char* kUsage = "usage: IPaddr ADDR[/CIDR[/IFACE[/BROADCAST]]] start|stop|status";

std::string RealPath(const std::string& path) {
  char buffer[PATH_MAX];
  if (::realpath(path.c_str(), buffer) == nullptr)
    return "";
  return buffer;
}

// What start, stop and status read before they act: the host's links and IPv4 addresses.
struct HostListing {
  std::vector<LinkEntry> links;
  std::vector<AddressEntry> entries;
};

// Lists the host over `socket` (which stays open for the change that follows); "" or why not.
std::string ListHost(RouteSocket& socket, HostListing& out) {
  std::string error = socket.OpenError();
  if (error.empty())
    error = socket.Links(out.links);
  if (error.empty())
    error = socket.Addresses(out.entries);
  return error;
}

std::map<uint32_t, std::string> NamesByIndex(const std::vector<LinkEntry>& links) {
  std::map<uint32_t, std::string> names;
  for (const auto& l : links)
    names[l.ifindex] = l.name;
  return names;
}

// The host's IPv4 addresses with interface names, as `ip -o -4 addr show` lists them.
std::vector<HostAddress> Named(const std::vector<LinkEntry>& links,
                               const std::vector<AddressEntry>& entries) {
  const std::map<uint32_t, std::string> names = NamesByIndex(links);
  std::vector<HostAddress> out;
  for (const auto& e : entries) {
    auto it = names.find(e.ifindex);
    if (it != names.end())
      out.push_back({it->second, e.address, e.prefix});
  }
  return out;
}

const LinkEntry* LinkNamed(const std::vector<LinkEntry>& links, const std::string& name) {
  for (const auto& l : links) {
    if (l.name == name)
      return &l;
  }
  return nullptr;
}

}  // namespace

std::string SendGratuitousArp(int* fd, uint32_t ifindex, const MacAddress& mac, Ipv4 address) {
  if (*fd < 0) {
    // Protocol 0: this socket only sends, it never queues what arrives.
    *fd = ::socket(AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (*fd < 0)
      return std::string("cannot open a packet socket: ") + ErrorText(errno);
  }
  std::vector<uint8_t> packet = BuildGratuitousArp(mac, address);
  sockaddr_ll to{};
  to.sll_family = AF_PACKET;
  to.sll_protocol = htons(ETH_P_ARP);
  to.sll_ifindex = static_cast<int>(ifindex);
  to.sll_halen = 6;
  std::copy(kBroadcastMac.begin(), kBroadcastMac.end(), to.sll_addr);
  ssize_t n;
  do {
    n = ::sendto(*fd, packet.data(), packet.size(), 0, reinterpret_cast<sockaddr*>(&to), sizeof to);
  } while (n < 0 && errno == EINTR);
  if (n < 0)
    return std::string("cannot send gratuitous ARP: ") + ErrorText(errno);
  return "";
}

NativeIpaddr::NativeIpaddr(boost::asio::io_context& io,
                           const std::vector<std::string>& shipped_dirs)
    : io_(io), alive_(std::make_shared<bool>(true)) {
  for (const auto& dir : shipped_dirs) {
    std::string path = RealPath(dir + "/IPaddr");
    if (!path.empty())
      shipped_.insert(path);
  }
}

NativeIpaddr::~NativeIpaddr() {
  *alive_ = false;
  for (auto& [address, a] : announcements_)
    a->timer.cancel();
  if (packet_socket_ >= 0)
    ::close(packet_socket_);
}

bool NativeIpaddr::Handles(const ActionRequest& request) const {
  const std::string& type = request.resource.type;
  if (type != "IPaddr" && type != "IPaddr2")
    return false;
  if (StyleOf(request.resource) != ScriptStyle::kHeartbeat || request.script_path.empty())
    return false;
  return shipped_.count(RealPath(request.script_path)) > 0;
}

void NativeIpaddr::Run(const ActionRequest& request, ActionRunner::Done done) {
  const TimePoint started = Clock::now();
  const std::string name = request.resource.Spec();
  Outcome outcome;
  if (request.resource.args.size() != 1) {
    outcome = {2, {{true, kUsage}}};
  } else {
    IpaddrSpecResult parsed = ParseIpaddrSpec(request.resource.args.front());
    if (!parsed.spec) {
      outcome = {2, {{true, std::string(kProg) + ": ERROR: " + parsed.error}}};
    } else if (request.action == Action::kStart) {
      outcome = Start(*parsed.spec);
    } else if (request.action == Action::kStop) {
      outcome = Stop(*parsed.spec);
    } else {
      outcome = Status(*parsed.spec);
    }
  }

  ActionResult result;
  result.exit_code = outcome.exit_code;
  std::string stdout_text;
  const bool quiet = request.action == Action::kStatus;
  for (const auto& [is_error, line] : outcome.lines) {
    result.output += line + "\n";
    if (!is_error)
      stdout_text += line + "\n";
    std::string message = "resource " + name + ": " + line;
    if (quiet)
      LogDebug(message);
    else
      LogInfo(message);
  }
  JudgeFinishedAction(request.action, ScriptStyle::kHeartbeat, outcome.exit_code, stdout_text,
                      result);
  result.duration = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - started);
  boost::asio::post(io_, [alive = alive_, done = std::move(done), result] {
    if (*alive)
      done(result);
  });
}

NativeIpaddr::Outcome NativeIpaddr::Failure(const std::string& message,
                                            const std::string& refused) {
  Outcome out{1, {}};
  if (!refused.empty())
    out.lines.push_back({true, "RTNETLINK answers: " + refused});
  out.lines.push_back({true, std::string(kProg) + ": ERROR: " + message});
  return out;
}

NativeIpaddr::Outcome NativeIpaddr::Start(const IpaddrSpec& spec) {
  RouteSocket socket;
  HostListing listing;
  if (std::string error = ListHost(socket, listing); !error.empty())
    return Failure(error);
  const std::vector<LinkEntry>& links = listing.links;
  std::vector<HostAddress> host = Named(links, listing.entries);

  if (auto where = FindConfigured(host, spec.address)) {
    return {0,
            {{false, std::string(kProg) + ": " + spec.address_text + " already configured on " +
                         where->interface}}};
  }
  std::optional<InterfaceChoice> choice = ChooseInterface(spec, host);
  if (!choice)
    return Failure(NoInterfaceMessage(spec));
  const LinkEntry* link = LinkNamed(links, choice->interface);
  if (link == nullptr || !link->up)
    return Failure("interface " + choice->interface + " is down");

  AddressChange change;
  change.ifindex = link->ifindex;
  change.address = spec.address;
  change.prefix = choice->prefix;
  change.broadcast =
      spec.broadcast ? spec.broadcast : DefaultBroadcast(spec.address, choice->prefix);
  if (!spec.label.empty())
    change.label = choice->interface + ":" + spec.label;
  const std::string cidr = spec.address_text + "/" + std::to_string(choice->prefix);
  if (std::string refused = socket.AddAddress(change); !refused.empty())
    return Failure("could not add " + cidr + " to " + choice->interface, refused);

  Outcome outcome{0, {}};
  if (std::optional<MacAddress> mac = EthernetAddress(link->hardware_address)) {
    Announce(link->ifindex, *mac, spec.address);
  } else {
    outcome.lines.push_back({true, std::string(kProg) + ": WARNING: " + choice->interface +
                                       " has no Ethernet address; no gratuitous ARP sent"});
  }
  outcome.lines.push_back(
      {false, std::string(kProg) + ": added " + cidr + " on " + choice->interface});
  return outcome;
}

NativeIpaddr::Outcome NativeIpaddr::Stop(const IpaddrSpec& spec) {
  StopAnnouncing(spec.address);
  RouteSocket socket;
  HostListing listing;
  if (std::string error = ListHost(socket, listing); !error.empty())
    return Failure(error);

  std::map<uint32_t, std::string> names = NamesByIndex(listing.links);
  std::string removed;
  int prefix = 0;
  for (const auto& e : listing.entries) {
    if (e.address != spec.address)
      continue;
    const std::string dev =
        names.count(e.ifindex) ? names[e.ifindex] : "ifindex " + std::to_string(e.ifindex);
    AddressChange change;
    change.ifindex = e.ifindex;
    change.address = e.address;
    change.prefix = e.prefix;
    if (std::string refused = socket.DeleteAddress(change); !refused.empty())
      return Failure("could not remove " + spec.address_text + " from " + dev, refused);
    removed += " " + dev;
    prefix = e.prefix;
  }
  if (removed.empty()) {
    return {0,
            {{false, std::string(kProg) + ": " + spec.address_text +
                         " is not configured (already stopped)"}}};
  }
  return {0,
          {{false, std::string(kProg) + ": removed " + spec.address_text + "/" +
                       std::to_string(prefix) + " from" + removed}}};
}

NativeIpaddr::Outcome NativeIpaddr::Status(const IpaddrSpec& spec) {
  RouteSocket socket;
  HostListing listing;
  std::string error = ListHost(socket, listing);
  if (!error.empty())  // no answer counts as "not running", as the script's empty listing does
    return {3,
            {{true, std::string(kProg) + ": ERROR: " + error},
             {false, "not running: " + spec.address_text + " is not configured on this host"}}};
  if (auto where = FindConfigured(Named(listing.links, listing.entries), spec.address)) {
    return {0,
            {{false, "OK: " + spec.address_text + "/" + std::to_string(where->prefix) +
                         " is configured on " + where->interface + " (running)"}}};
  }
  return {3, {{false, "not running: " + spec.address_text + " is not configured on this host"}}};
}

void NativeIpaddr::Announce(uint32_t ifindex, const MacAddress& mac, Ipv4 address) {
  StopAnnouncing(address);
  // The first announcement goes out now: clients switch to this MAC when it arrives.
  SendAnnouncement(ifindex, mac, address);
  if (kGratuitousArpCount <= 1)
    return;
  auto a = std::make_unique<Announcement>(io_);
  a->ifindex = ifindex;
  a->mac = mac;
  a->address = address;
  a->remaining = kGratuitousArpCount - 1;
  announcements_[address] = std::move(a);
  ScheduleRepeat(address);
}

void NativeIpaddr::SendAnnouncement(uint32_t ifindex, const MacAddress& mac, Ipv4 address) {
  std::string error = SendGratuitousArp(&packet_socket_, ifindex, mac, address);
  if (!error.empty())
    LogWarning(std::string(kProg) + ": " + FormatIpv4(address) + ": " + error);
}

void NativeIpaddr::ScheduleRepeat(Ipv4 address) {
  Announcement* a = announcements_.at(address).get();
  a->timer.expires_after(kGratuitousArpInterval);
  a->timer.async_wait([this, alive = alive_, address, a](const boost::system::error_code& ec) {
    if (ec || !*alive)
      return;
    auto it = announcements_.find(address);
    if (it == announcements_.end() || it->second.get() != a)
      return;  // stopped, or replaced by a newer start
    SendAnnouncement(a->ifindex, a->mac, a->address);
    if (--a->remaining > 0)
      ScheduleRepeat(address);
    else
      announcements_.erase(it);
  });
}

void NativeIpaddr::StopAnnouncing(Ipv4 address) {
  auto it = announcements_.find(address);
  if (it == announcements_.end())
    return;
  it->second->timer.cancel();
  announcements_.erase(it);
}

}  // namespace hbd::resources
