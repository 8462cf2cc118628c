// hbd's native IPaddr: the shipped resource.d/IPaddr script's start, stop and status carried out
// inside hbd, without a fork: the address is added or removed over rtnetlink and announced with
// gratuitous ARP from an AF_PACKET socket (the first at once, the repeats on timers that stop
// cancels). It is used only for resources whose script resolves to hbd's own shipped IPaddr
// (IPaddr, or IPaddr2 linked to it); an operator's own script of that name still runs as a
// script. Results, exit codes and log lines are the script's. Not thread-safe: use from the
// io_context's thread only.
#pragma once

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "resources/action_runner.h"
#include "resources/gratuitous_arp.h"
#include "resources/ipaddr_spec.h"
#include "util/asio.h"

namespace hbd::resources {

// Announcements after the first, as the script's defaults (IPADDR_ARP_COUNT 3,
// IPADDR_ARP_INTERVAL 0.5 s; hbd's scripts never see the daemon's environment, so the script
// always runs with these too).
inline constexpr int kGratuitousArpCount = 3;
inline constexpr std::chrono::milliseconds kGratuitousArpInterval{500};

class NativeIpaddr {
 public:
  // `shipped_dirs`: hbd's own resource directories (config::DefaultShippedResourceDirs()).
  NativeIpaddr(boost::asio::io_context& io, const std::vector<std::string>& shipped_dirs);
  // Announcements still pending are cancelled; a `done` not yet called is not called.
  ~NativeIpaddr();
  NativeIpaddr(const NativeIpaddr&) = delete;
  NativeIpaddr& operator=(const NativeIpaddr&) = delete;

  // True when `request` is a Heartbeat-style IPaddr or IPaddr2 whose script is the shipped
  // IPaddr (same file after following links).
  bool Handles(const ActionRequest& request) const;

  // Runs the action as the script would. `done` is called once, from the io_context, never
  // from inside Run (ActionRunner's contract).
  void Run(const ActionRequest& request, ActionRunner::Done done);

  // Addresses whose repeat announcements are still pending (for tests).
  size_t Announcing() const { return announcements_.size(); }

 private:
  struct Line {
    bool is_error = false;  // the script's stderr (not read by the status text rule)
    std::string text;
  };
  struct Outcome {
    int exit_code = 0;
    std::vector<Line> lines;  // what the script would print, in order
  };
  struct Announcement {
    explicit Announcement(boost::asio::io_context& io) : timer(io) {}
    boost::asio::steady_timer timer;
    uint32_t ifindex = 0;
    MacAddress mac{};
    Ipv4 address = 0;
    int remaining = 0;
  };

  // The script's failure: exit 1 with `IPaddr: ERROR: MESSAGE`, after the kernel's words
  // (`RTNETLINK answers: REFUSED`) when a change was refused.
  static Outcome Failure(const std::string& message, const std::string& refused = "");
  Outcome Start(const IpaddrSpec& spec);
  Outcome Stop(const IpaddrSpec& spec);
  Outcome Status(const IpaddrSpec& spec);
  void Announce(uint32_t ifindex, const MacAddress& mac, Ipv4 address);
  void SendAnnouncement(uint32_t ifindex, const MacAddress& mac, Ipv4 address);
  void ScheduleRepeat(Ipv4 address);
  void StopAnnouncing(Ipv4 address);

  boost::asio::io_context& io_;
  std::set<std::string> shipped_;  // real paths of the shipped IPaddr
  std::map<Ipv4, std::unique_ptr<Announcement>> announcements_;
  std::shared_ptr<bool> alive_;
  // Kept open once opened: closing a packet socket waits for an RCU grace period (about 10 ms),
  // which would sit on the failover path.
  int packet_socket_ = -1;
};

// Sends one gratuitous ARP for `address` from `mac` out of interface `ifindex` on the packet
// socket `*fd` (opened when it is -1); "" or why not.
std::string SendGratuitousArp(int* fd, uint32_t ifindex, const MacAddress& mac, Ipv4 address);

}  // namespace hbd::resources
