// The cluster configuration model: everything hbd reads from ha.cf, haresources and authkeys (or
// from the equivalent hbd.yaml), as typed values. Parsers build it, the validator checks it, the
// rest of hbd only reads it. A reload builds a new one and swaps it. Plain values; not
// thread-safe.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace hbd::config {

using Millis = std::chrono::milliseconds;

// Where a setting was read. Used for diagnostics only: two models that say the same thing are
// equal even when they were read from different files (ha.cf versus hbd.yaml), so comparison
// ignores locations.
struct SourceLocation {
  std::string file;
  int line = 0;
  bool operator==(const SourceLocation&) const { return true; }
};

struct Timings {
  Millis keepalive{1000};
  Millis deadtime{30000};
  // Unset means "Heartbeat's default", which depends on other values; see the accessors.
  std::optional<Millis> warntime;
  std::optional<Millis> initdead;
  std::optional<Millis> deadping;
  SourceLocation keepalive_at, deadtime_at, warntime_at, initdead_at, deadping_at;

  Millis Warntime() const;  // deadtime / 2 unless set
  Millis Initdead() const;  // Heartbeat's rule: deadtime if > 10 s, 12 s if < 6 s, else 2 x
  Millis Deadping() const;  // deadtime unless set
  bool operator==(const Timings&) const = default;
};

enum class MediumType { kBcast, kMcast, kMcast6, kUcast, kUcast6 };

// One heartbeat medium. `bcast eth0 eth1` yields two media, as in Heartbeat.
struct Medium {
  MediumType type = MediumType::kBcast;
  std::string interface;
  std::string address;  // mcast group or ucast peer; empty for bcast
  uint16_t port = 694;  // udpport in force when the line was read, or the mcast line's port
  int ttl = 1;          // mcast TTL / mcast6 hops
  bool loop = false;    // mcast loopback
  SourceLocation where;
  bool operator==(const Medium&) const = default;
};

// A ping node (`ping ADDR`, `ping6 ADDR`: name == the address) or a ping group
// (`ping_group NAME ADDR...`: up while any address answers).
struct PingTarget {
  std::string name;
  std::vector<std::string> addresses;
  bool is_group = false;
  SourceLocation where;
  bool operator==(const PingTarget&) const = default;
};

enum class AutoFailback { kLegacy, kOn, kOff };
enum class Autojoin { kNone, kOther, kAny };

struct Logging {
  std::optional<std::string> facility;  // syslog facility name; "none" disables syslog
  std::string logfile;
  std::string debugfile;
  std::optional<bool> use_logd;
  int debug = 0;  // 0-255
  bool log_badpack = true;
  bool operator==(const Logging&) const = default;
};

// `respawn USER PATH [ARGS]` for programs other than ipfail and dopd, which hbd has built in.
struct RespawnClient {
  std::string user;
  std::string path;
  std::vector<std::string> args;
  SourceLocation where;
  bool operator==(const RespawnClient&) const = default;
};

// `apiauth CLIENT [uid=a,b] [gid=c,d]`.
struct ApiAuth {
  std::string client;
  std::vector<std::string> uids;
  std::vector<std::string> gids;
  SourceLocation where;
  bool operator==(const ApiAuth&) const = default;
};

// hbd's built-in equivalents of Heartbeat's companion daemons.
struct BuiltinHelpers {
  bool ipfail = false;  // compare ping connectivity, hand groups to the better-connected node
  bool dopd = false;    // DRBD outdate-peer over the cluster links
  bool operator==(const BuiltinHelpers&) const = default;
};

struct ProcessSettings {
  bool realtime = true;
  std::optional<int> rtprio;
  bool coredumps = true;
  std::string coreroot;
  std::string watchdog_device;
  bool operator==(const ProcessSettings&) const = default;
};

// One resource of a haresources line: `NAME[::ARG...]`; a bare IPv4 address becomes IPaddr.
struct Resource {
  std::string type;               // script name: "IPaddr", "Filesystem", "mysql", ...
  std::vector<std::string> args;  // the `::`-separated arguments, in order
  SourceLocation where;

  // The haresources token: "Filesystem::/dev/drbd0::/drbd::ext3", "IPaddr::10.0.0.1".
  std::string Spec() const;
  bool operator==(const Resource&) const = default;
};

// One haresources line: the preferred (home) node and its resources in start order.
struct ResourceGroup {
  std::string preferred_node;
  std::vector<Resource> resources;
  SourceLocation where;

  // The group's key, as in Heartbeat: its first resource.
  std::string Key() const { return resources.empty() ? std::string() : resources.front().Spec(); }
  bool operator==(const ResourceGroup&) const = default;
};

// What hbd does when a resource will not stop after its retries (hbd-only directives; Heartbeat
// always rebooted).
enum class StopFailure { kReboot, kFence, kNone };

// The failback hold-down when failback_holddown is not set, in deadtimes.
inline constexpr int kDefaultFailbackHoldDownDeadtimes = 5;

// How hbd runs resource scripts: hbd-only ha.cf directives (a Heartbeat node reading the same
// ha.cf would refuse them) and hbd.yaml's `policy` section. Defaults follow Heartbeat where it
// has an equivalent.
struct ResourcePolicy {
  Millis start_timeout{120000};
  Millis stop_timeout{120000};
  Millis status_timeout{30000};
  int stop_retries = 10;  // Heartbeat: 10, 1 s apart
  Millis stop_retry_delay{1000};
  StopFailure stop_failure = StopFailure::kReboot;
  std::string fence_hook;  // run with GROUP NODE when stop_failure is fence
  std::string reboot_command = "/sbin/reboot -nf";
  Millis start_failure_backoff{30000};  // doubles with every failure of the same group
  Millis monitor_interval{0};           // 0: no monitoring (Heartbeat has none)
  int monitor_restarts = 3;             // restarts in place within monitor_window, then failover
  Millis monitor_window{600000};
  // auto_failback waits until the preferred node has been back this long without a break.
  // Unset: 5 x deadtime (see ClusterConfig::FailbackHoldDown); 0: at once, as Heartbeat does.
  std::optional<Millis> failback_holddown;
  SourceLocation stop_failure_at;
  SourceLocation failback_holddown_at;
  bool operator==(const ResourcePolicy&) const = default;
};

// Prometheus metrics: hbd-only ha.cf directives and hbd.yaml's `metrics` section. Off unless a
// textfile or a listen address is set.
struct MetricsSettings {
  std::string textfile;    // metrics_textfile PATH: rewritten atomically every `interval`
  std::string listen;      // metrics_listen [ADDR:]PORT: HTTP GET /metrics (address 127.0.0.1)
  Millis interval{15000};  // metrics_interval: how often the textfile is written
  bool Enabled() const { return !textfile.empty() || !listen.empty(); }
  bool operator==(const MetricsSettings&) const = default;
};

// Splits a metrics_listen value: "PORT", "ADDR:PORT" or "[IPV6]:PORT" (address 127.0.0.1 when
// left out). False when the address is not a numeric IPv4/IPv6 address or the port not 1-65535.
bool ParseListenAddress(const std::string& text, std::string& address, uint16_t& port);

enum class AuthMethod { kCrc, kMd5, kSha1 };

struct AuthKey {
  int index = 0;  // 0-15
  AuthMethod method = AuthMethod::kSha1;
  std::string secret;  // empty for crc
  SourceLocation where;
  bool operator==(const AuthKey&) const = default;
};

// authkeys: every key verifies incoming packets; `sign_index` signs outgoing ones.
struct AuthConfig {
  int sign_index = -1;
  std::vector<AuthKey> keys;
  SourceLocation sign_at;

  const AuthKey* Find(int index) const;
  bool operator==(const AuthConfig&) const = default;
};

struct ClusterConfig {
  std::string cluster_name = "linux-ha";
  std::vector<std::string> nodes;  // lower-cased, in file order, no duplicates
  std::vector<SourceLocation> node_at;
  Timings timings;
  uint16_t udpport = 694;
  std::vector<Medium> media;
  std::vector<PingTarget> ping_targets;
  AutoFailback auto_failback = AutoFailback::kLegacy;
  bool auto_failback_set = false;  // Heartbeat warns when legacy is the implicit default
  Autojoin autojoin = Autojoin::kNone;
  Logging logging;
  ProcessSettings process;
  BuiltinHelpers builtins;
  std::vector<RespawnClient> respawn;
  std::vector<ApiAuth> apiauth;
  std::map<std::string, std::string> env;  // `env NAME=VALUE`, exported as HA_NAME
  std::vector<ResourceGroup> groups;
  ResourcePolicy policy;
  MetricsSettings metrics;
  AuthConfig auth;

  bool HasNode(const std::string& name) const;  // case-insensitive
  // The failback hold-down in force: policy.failback_holddown, or 5 x deadtime when unset.
  Millis FailbackHoldDown() const;
  bool operator==(const ClusterConfig&) const = default;
};

const char* ToString(MediumType type);
const char* ToString(AutoFailback mode);
const char* ToString(Autojoin mode);
const char* ToString(AuthMethod method);
const char* ToString(StopFailure mode);

}  // namespace hbd::config
