// ResourceManager: the shell around the group arbiter. It feeds the arbiter membership changes
// and peers' reports, runs the start and stop commands it returns (one GroupSequencer per run,
// each step an ActionRunner child), escalates stop failures (reboot command or fence hook),
// monitors held groups when configured, answers operator moves (hb_standby, hb_takeover) once
// they are done, keeps each group's last transition for status, and takes a reloaded
// configuration (see Reconfigure). Single-threaded (the io_context).
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "arbiter/group_arbiter.h"
#include "config/config_loader.h"
#include "resources/action_runner.h"
#include "resources/group_sequencer.h"
#include "resources/native_ipaddr.h"
#include "util/asio.h"

namespace hbd::daemon {

class ResourceManager {
 public:
  struct Hooks {
    std::function<void()> report_changed;                        // announce our report now
    std::function<void(const arbiter::MoveRequest&)> send_move;  // ask a holder to move a group
    std::function<void()> reload_done;  // a reload's new group set is in force
  };
  using MoveReply = std::function<void(bool ok, const std::string& message)>;

  ResourceManager(boost::asio::io_context& io, const config::LoadedConfig& loaded,
                  uint64_t first_report_version, Hooks hooks);
  ~ResourceManager();

  // Checks every group's resources before taking part (see GroupArbiter::BeginProbe): a group
  // found active here, hbd having been killed, is stopped first, so no copy runs twice.
  void Start();
  void OnCommUp();
  void OnNodeAlive(const std::string& node);
  void OnNodeDead(const std::string& node);
  void OnPeerReport(const std::string& node, const arbiter::NodeReport& report);
  void OnMoveRequest(const std::string& from, const std::string& key, const std::string& to);
  // ipfail: how many ping targets `node` (this node or a peer) reaches.
  // `count` may be arbiter::kConnectivityUnknown or kConnectivityNotReported.
  void SetConnectivity(const std::string& node, int count);
  // ipfail: when this node last had an answer from any ping target.
  void SetLastPingReply(std::optional<TimePoint> last_reply);

  // hb_standby / hb_takeover: `reply` is called once, when every moved group runs where it
  // should, or on failure or timeout.
  void Standby(arbiter::MoveSet set, MoveReply reply);
  void Takeover(arbiter::MoveSet set, MoveReply reply, const std::string& only_key = "");
  // Operator override of the outdated-data refusal: start `key` here once, promoting DRBD
  // with --force. Logged as CRIT.
  void ForcePromote(const std::string& key, MoveReply reply);
  // Releases every group (to a live peer if there is one); `done` when nothing runs here.
  void Shutdown(std::function<void()> done);

  // Reload with a validated configuration that has the same nodes. The resource policy, env
  // and auto_failback apply to every run that starts from now on. The group set changes once
  // no start, stop, DRBD check or monitor check runs here (never a half-started group):
  // * a group whose haresources line is unchanged (same key, same resources, same preferred
  //   node) is kept: its state, holder and last transition stay; it is not touched;
  // * a group removed from haresources is stopped here if held (its resources right to left,
  //   as every stop) and then forgotten;
  // * a group whose line changed counts as removed and added: the old definition is stopped
  //   here if held, then the new one is placed by the usual rules (it may start elsewhere);
  // * an added group is placed by the usual rules.
  // A removed group that will not stop (stop-failed) holds the new group set back (CRIT). A
  // second reload before the first is in force replaces it. Hooks::reload_done is called when
  // the new group set is in force.
  void Reconfigure(const config::ClusterConfig& next);
  bool ReloadPending() const { return pending_.has_value(); }

  arbiter::NodeReport Report() const { return arbiter_.Report(); }
  nlohmann::json StatusJson() const;
  // "none", "local", "foreign", "all" or "transition", as cl_status rscstatus says it.
  std::string HeldSummary() const;

 private:
  struct Step {
    std::string resource;
    std::string action;
    int64_t ms = 0;
    bool ok = false;
    std::string detail;
  };
  struct Run {
    resources::GroupOp op = resources::GroupOp::kStart;
    std::unique_ptr<resources::GroupSequencer> sequencer;
    std::unique_ptr<boost::asio::steady_timer> timer;
    TimePoint started;
    std::string reason;
    std::vector<Step> steps;
    bool force = false;  // drbddisk promotes with --force (operator override)
  };
  struct Transition {  // the last completed run of a group, for status
    std::string op, reason, outcome;
    int64_t started_unix_ms = 0;
    int64_t total_ms = 0;
    std::vector<Step> steps;
  };
  struct Waiter {
    std::vector<std::string> keys;
    bool to_here = false;  // takeover: wait until they run here; standby: elsewhere
    TimePoint deadline;
    MoveReply reply;
  };

  void Apply(arbiter::ArbiterOutput out);
  void AdvanceReload();
  bool KeptByReload(size_t g) const;
  void Probe(size_t g, size_t r, bool found_running);
  void ScheduleMonitor();
  void MonitorAll();
  void MonitorResource(size_t g, size_t r);
  void OnResourceDown(size_t g, size_t r, const std::string& detail);
  void StartRun(size_t g, resources::GroupOp op, std::string reason);
  void BeginRun(size_t g, resources::GroupOp op, std::string reason);
  void CheckDrbd(size_t g, size_t i, std::string reason);
  std::vector<std::string> DrbdResources(size_t g) const;
  void Drive(size_t g);
  void FinishRun(size_t g);
  void Escalate(size_t g, const std::string& resource);
  void RunHook(const std::string& what, std::vector<std::string> argv);
  void ArmTick();
  void AddWaiter(Waiter w, MoveReply reply);
  void CheckWaiters();
  resources::ActionRequest Request(size_t g, size_t r, resources::Action action) const;
  // Runs a resource action: hbd's own IPaddr natively (NativeIpaddr), everything else as a
  // script (ActionRunner). Same contract as ActionRunner::Run.
  void RunAction(const resources::ActionRequest& request, resources::ActionRunner::Done done);
  std::vector<std::string> ResourceNames(size_t g) const;

  boost::asio::io_context& io_;
  config::ClusterConfig config_;
  std::string local_node_;
  std::string config_dir_;
  config::ValidationContext lookup_;
  Hooks hooks_;
  arbiter::GroupArbiter arbiter_;
  resources::ActionRunner runner_;
  resources::NativeIpaddr native_ipaddr_;
  std::map<size_t, Run> runs_;
  std::map<size_t, Transition> last_;
  std::vector<Waiter> waiters_;
  boost::asio::steady_timer tick_timer_;
  boost::asio::steady_timer waiter_timer_;
  std::function<void()> shutdown_done_;
  std::set<size_t> checking_;              // DRBD disk state being checked before a start
  std::set<size_t> forced_;                // operator override for the next start
  std::map<size_t, std::string> refused_;  // why a start was refused (outdated data)
  boost::asio::steady_timer monitor_timer_;
  std::set<size_t> monitoring_;                                // groups being checked now
  std::map<size_t, std::vector<TimePoint>> monitor_restarts_;  // restarts within the window
  std::optional<config::ClusterConfig> pending_;  // a reload whose group set is not in force yet
  std::set<size_t> retired_;                      // groups the pending reload removes or changes
  bool advancing_ = false;
  bool reload_wait_logged_ = false;
  bool reload_stuck_logged_ = false;
  // For metrics: groups whose holder died (with the node), starts that took such a group over
  // (failovers) and resource actions that failed, per group since hbd started.
  std::map<size_t, std::string> orphaned_;
  std::map<size_t, uint64_t> failovers_;
  std::map<size_t, uint64_t> action_failures_;
};

}  // namespace hbd::daemon
