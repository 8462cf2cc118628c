#include "daemon/resource_manager.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <filesystem>

#include "config/config_text.h"
#include "resources/program_lookup.h"
#include "util/log.h"

namespace hbd::daemon {
namespace {

using arbiter::GroupState;
using resources::GroupOp;

int64_t Ms(Duration d) {
  return std::chrono::duration_cast<Millis>(d).count();
}

bool IsExecutable(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) && ::access(path.c_str(), X_OK) == 0;
}

arbiter::RunOutcome ToRunOutcome(resources::Outcome o) {
  switch (o) {
    case resources::Outcome::kRunning:
      return arbiter::RunOutcome::kRunning;
    case resources::Outcome::kStopped:
      return arbiter::RunOutcome::kStopped;
    case resources::Outcome::kStartFailed:
    case resources::Outcome::kAborted:
      return arbiter::RunOutcome::kStartFailed;
    case resources::Outcome::kStopFailed:
    case resources::Outcome::kStartFailedAndStopFailed:
      return arbiter::RunOutcome::kStopFailed;
  }
  return arbiter::RunOutcome::kStopFailed;
}

std::string ConfigDirOf(const config::LoadedConfig& loaded) {
  std::error_code ec;
  if (std::filesystem::is_directory(loaded.source, ec))
    return loaded.source;
  std::string parent = std::filesystem::path(loaded.source).parent_path().string();
  return parent.empty() ? "." : parent;
}

arbiter::ArbiterPolicy PolicyFor(const config::ClusterConfig& config) {
  arbiter::ArbiterPolicy p;
  p.auto_failback = config.auto_failback;
  p.start_failure_backoff = config.policy.start_failure_backoff;
  p.ipfail = config.builtins.ipfail && !config.ping_targets.empty();
  const auto& t = config.timings;
  p.ipfail_hold_down = std::max<Duration>(t.Deadping(), 2 * t.keepalive);
  p.peer_deadtime = t.deadtime;
  p.peer_keepalive = t.keepalive;
  // auto_failback waits until the preferred node has been up (and as well connected) this long
  // without a break, so a node whose links flap gets its groups back once it is stable rather
  // than at every return: failback_holddown, 5 x deadtime unless set (resolved here, so a reload
  // that changes deadtime changes it); 0 fails back at once, as Heartbeat does.
  p.failback_hold_down = config.FailbackHoldDown();
  return p;
}

}  // namespace

ResourceManager::ResourceManager(boost::asio::io_context& io, const config::LoadedConfig& loaded,
                                 uint64_t first_report_version, Hooks hooks)
    : io_(io),
      config_(loaded.config),
      local_node_(loaded.local_node),
      config_dir_(ConfigDirOf(loaded)),
      hooks_(std::move(hooks)),
      arbiter_(
          loaded.local_node, loaded.config.nodes,
          [&] {
            std::vector<arbiter::GroupSpec> specs;
            for (const auto& g : loaded.config.groups) {
              specs.push_back({g.Key(), g.preferred_node});
            }
            return specs;
          }(),
          PolicyFor(loaded.config), first_report_version),
      runner_(io),
      native_ipaddr_(io, config::DefaultShippedResourceDirs()),
      tick_timer_(io),
      waiter_timer_(io),
      monitor_timer_(io) {
  lookup_.local_node = local_node_;
  lookup_.resource_dirs.push_back(config_dir_ + "/resource.d");
  for (const auto& d : config::DefaultShippedResourceDirs())
    lookup_.resource_dirs.push_back(d);
  lookup_.resource_dirs.push_back("/etc/init.d");
  lookup_.is_executable = IsExecutable;
}

ResourceManager::~ResourceManager() = default;

std::vector<std::string> ResourceManager::ResourceNames(size_t g) const {
  std::vector<std::string> names;
  for (const auto& r : config_.groups[g].resources)
    names.push_back(r.Spec());
  return names;
}

resources::ActionRequest ResourceManager::Request(size_t g, size_t r,
                                                  resources::Action action) const {
  const config::ResourcePolicy& p = config_.policy;
  resources::ActionRequest req;
  req.resource = config_.groups[g].resources[r];
  req.script_path = config::ResolveResourceScript(req.resource, lookup_);
  req.action = action;
  req.timeout = action == resources::Action::kStart  ? p.start_timeout
                : action == resources::Action::kStop ? p.stop_timeout
                                                     : p.status_timeout;
  req.local_node = local_node_;
  req.config_dir = config_dir_;
  req.extra_env = resources::ScriptEnvironment(config_);
  return req;
}

void ResourceManager::RunAction(const resources::ActionRequest& request,
                                resources::ActionRunner::Done done) {
  if (native_ipaddr_.Handles(request)) {
    native_ipaddr_.Run(request, std::move(done));
    return;
  }
  runner_.Run(request, std::move(done));
}

void ResourceManager::Apply(arbiter::ArbiterOutput out) {
  for (const auto& line : out.log) {
    if (line.critical) {
      LogCrit(line.text);
    } else {
      LogNotice(line.text);
    }
  }
  for (const auto& c : out.commands) {
    StartRun(c.group, c.kind == arbiter::Command::Kind::kStart ? GroupOp::kStart : GroupOp::kStop,
             c.reason);
  }
  for (const auto& r : out.requests) {
    if (hooks_.send_move)
      hooks_.send_move(r);
  }
  if (out.report_changed && hooks_.report_changed)
    hooks_.report_changed();
  ArmTick();
  CheckWaiters();
  if (shutdown_done_ && runs_.empty() && arbiter_.ShutdownDone()) {
    auto done = std::move(shutdown_done_);
    shutdown_done_ = nullptr;
    done();
    return;
  }
  if (pending_)
    AdvanceReload();
}

void ResourceManager::Reconfigure(const config::ClusterConfig& next) {
  std::vector<config::ResourceGroup> groups = std::move(config_.groups);
  bool monitor_changed = next.policy.monitor_interval != config_.policy.monitor_interval;
  config_ = next;
  config_.groups = std::move(groups);  // until the new group set is in force
  if (monitor_changed) {
    monitor_timer_.cancel();
    ScheduleMonitor();
  }
  pending_ = next;
  reload_wait_logged_ = false;
  reload_stuck_logged_ = false;
  AdvanceReload();
}

bool ResourceManager::KeptByReload(size_t g) const {
  if (retired_.count(g))
    return false;
  return std::find(pending_->groups.begin(), pending_->groups.end(), config_.groups[g]) !=
         pending_->groups.end();
}

void ResourceManager::AdvanceReload() {
  if (!pending_ || advancing_ || shutdown_done_)
    return;
  if (!runs_.empty() || !checking_.empty() || !monitoring_.empty() || arbiter_.Busy()) {
    if (!reload_wait_logged_) {
      reload_wait_logged_ = true;
      LogNotice("reload: the group changes wait until the starts and stops under way finish");
    }
    return;
  }
  advancing_ = true;
  bool held = false;
  // Removed or changed groups (last first): stopped here if held, never started again.
  for (size_t g = config_.groups.size(); g-- > 0;) {
    if (KeptByReload(g))
      continue;
    const std::string key = config_.groups[g].Key();
    if (!retired_.count(g)) {
      bool changed = std::any_of(pending_->groups.begin(), pending_->groups.end(),
                                 [&](const config::ResourceGroup& n) { return n.Key() == key; });
      retired_.insert(g);
      Apply(arbiter_.Retire(Clock::now(), g,
                            changed ? "its haresources line changed (reload): the old "
                                      "definition stops, then the new one is placed"
                                    : "removed from haresources (reload)"));
    }
    GroupState s = arbiter_.Groups()[g].local_state;
    if (s == GroupState::kStopFailed && !reload_stuck_logged_) {
      reload_stuck_logged_ = true;
      LogCrit("reload: group " + key +
              " is removed or changed but could not be stopped here (stop-failed); the new "
              "group set waits until an operator stops its resources and restarts hbd");
    }
    held |= arbiter::Holds(s);
  }
  advancing_ = false;
  if (held)
    return;  // the stops report back through Apply
  std::vector<arbiter::GroupSpec> specs;
  std::map<std::string, size_t> index;
  for (size_t j = 0; j < pending_->groups.size(); ++j) {
    specs.push_back({pending_->groups[j].Key(), pending_->groups[j].preferred_node});
    index[pending_->groups[j].Key()] = j;
  }
  std::string error;
  auto out = arbiter_.Reconfigure(Clock::now(), specs, PolicyFor(*pending_), error);
  if (!error.empty()) {
    LogError("reload: internal: " + error);
    return;
  }
  size_t kept = 0;
  std::map<size_t, size_t> moved;  // old index -> new index, kept groups only
  for (size_t g = 0; g < config_.groups.size(); ++g) {
    if (KeptByReload(g)) {
      moved[g] = index.at(config_.groups[g].Key());
      ++kept;
    }
  }
  auto remap = [&moved](auto& by_group) {
    std::remove_reference_t<decltype(by_group)> next;
    for (auto& [g, value] : by_group) {
      if (auto it = moved.find(g); it != moved.end())
        next[it->second] = std::move(value);
    }
    by_group = std::move(next);
  };
  remap(last_);
  remap(monitor_restarts_);
  remap(refused_);
  std::set<size_t> forced;
  for (size_t g : forced_) {
    if (auto it = moved.find(g); it != moved.end())
      forced.insert(it->second);
  }
  forced_ = std::move(forced);
  const size_t removed = config_.groups.size() - kept;
  const size_t added = pending_->groups.size() - kept;
  config_.groups = std::move(pending_->groups);
  pending_.reset();
  retired_.clear();
  LogNotice("reload: group set in force (" + std::to_string(kept) + " kept, " +
            std::to_string(added) + " added, " + std::to_string(removed) + " removed or changed)");
  Apply(std::move(out));
  if (hooks_.reload_done)
    hooks_.reload_done();
}

std::vector<std::string> ResourceManager::DrbdResources(size_t g) const {
  std::vector<std::string> out;
  for (const auto& r : config_.groups[g].resources) {
    if (r.type == "drbddisk")
      out.push_back(r.args.empty() ? "all" : r.args.front());
  }
  return out;
}

void ResourceManager::StartRun(size_t g, GroupOp op, std::string reason) {
  if (g >= config_.groups.size() || runs_.count(g) || checking_.count(g)) {
    LogError("internal: a second run of group " + std::to_string(g) + " was refused");
    return;
  }
  // Never promote outdated data: before a start, every DRBD resource of the group must be
  // UpToDate here, unless an operator forced it (hbctl force-promote).
  if (op == GroupOp::kStart && !DrbdResources(g).empty() && !forced_.count(g)) {
    checking_.insert(g);
    CheckDrbd(g, 0, std::move(reason));
    return;
  }
  BeginRun(g, op, std::move(reason));
}

void ResourceManager::CheckDrbd(size_t g, size_t i, std::string reason) {
  auto drbd = DrbdResources(g);
  if (i == drbd.size()) {
    checking_.erase(g);
    BeginRun(g, GroupOp::kStart, std::move(reason));
    return;
  }
  // The drbdadm drbddisk will run: the first one on the scripts' PATH.
  const std::string path = resources::FindOnScriptPath("drbdadm");
  auto refuse = [this, g](const std::string& why) {
    checking_.erase(g);
    const std::string key = config_.groups[g].Key();
    LogCrit("group " + key + ": " + why +
            "; refusing to promote outdated data: the group stays down here (hbctl "
            "force-promote " +
            key + " overrides, at the risk of losing the newer writes)");
    Transition t;
    t.op = "start";
    t.reason = why;
    t.outcome = "refused-outdated-data";
    last_[g] = std::move(t);
    refused_[g] = why;
    Apply(arbiter_.OnRunDone(Clock::now(), g, arbiter::RunOutcome::kStartFailed));
  };
  if (path.empty())
    return refuse("drbdadm not found, so the data cannot be checked");
  resources::ChildCommand command;
  command.path = path;
  command.argv = {"drbdadm", "dstate", drbd[i]};
  command.env = {std::string("PATH=") + resources::kScriptPath, "LANG=C"};
  runner_.RunCommand("drbdadm dstate " + drbd[i], command, config_.policy.status_timeout,
                     [this, g, i, reason, refuse, res = drbd[i]](const resources::ActionResult& r) {
                       if (!r.ok)
                         return refuse("cannot read the disk state of DRBD " + res);
                       // "UpToDate/DUnknown": the local disk state comes first, one line per
                       // resource.
                       for (const auto& line : config::SplitTokens(r.output)) {
                         std::string local = line.substr(0, line.find('/'));
                         if (local != "UpToDate") {
                           return refuse("DRBD " + res + " is " + local + " here");
                         }
                       }
                       refused_.erase(g);
                       CheckDrbd(g, i + 1, reason);
                     });
}

void ResourceManager::BeginRun(size_t g, GroupOp op, std::string reason) {
  Run& run = runs_[g];
  run.force = op == GroupOp::kStart && forced_.erase(g) > 0;
  if (run.force)
    refused_.erase(g);  // the operator overrode the refusal
  run.op = op;
  run.reason = reason;
  run.started = Clock::now();
  if (op == GroupOp::kStart && orphaned_.erase(g) > 0)
    ++failovers_[g];
  resources::SequencerPolicy policy{config_.policy.stop_retries, config_.policy.stop_retry_delay};
  run.sequencer = std::make_unique<resources::GroupSequencer>(ResourceNames(g), op, policy);
  run.timer = std::make_unique<boost::asio::steady_timer>(io_);
  LogNotice("group " + config_.groups[g].Key() + ": " +
            (op == GroupOp::kStart ? "starting" : "stopping") + " (" + reason + ")");
  Drive(g);
}

void ResourceManager::Drive(size_t g) {
  auto it = runs_.find(g);
  if (it == runs_.end())
    return;
  Run& run = it->second;
  resources::Step step = run.sequencer->Next();
  switch (step.kind) {
    case resources::Step::kDone:
      FinishRun(g);
      return;
    case resources::Step::kWait:
      run.timer->expires_after(step.delay);
      run.timer->async_wait([this, g](const boost::system::error_code& ec) {
        auto r = runs_.find(g);
        if (ec || r == runs_.end())
          return;
        r->second.sequencer->Resume();
        Drive(g);
      });
      return;
    case resources::Step::kRunAction:
      break;
  }
  resources::ActionRequest request = Request(g, step.resource, step.action);
  if (run.force)
    request.extra_env["HBD_DRBD_FORCE"] = "1";
  const std::string name = request.resource.Spec();
  const TimePoint t0 = Clock::now();
  auto record = [this, g, name, action = step.action, t0](const resources::ActionResult& result) {
    auto r = runs_.find(g);
    if (r == runs_.end())
      return;
    std::string detail = result.timed_out        ? "timed out"
                         : !result.error.empty() ? result.error
                                                 : "exit " + std::to_string(result.exit_code);
    r->second.steps.push_back({name, resources::ToString(action), Ms(Clock::now() - t0),
                               action == resources::Action::kStatus ? result.ok : result.ok,
                               detail});
    if (result.spawn_failed)
      r->second.sequencer->OnActionNotRun(detail);
    else
      r->second.sequencer->OnActionResult(result.ok, result.running, detail);
    Drive(g);
  };
  if (request.script_path.empty()) {
    resources::ActionResult missing;
    missing.spawn_failed = true;
    missing.error = "no script for " + request.resource.type;
    boost::asio::post(io_, [record, missing] { record(missing); });
    return;
  }
  RunAction(request, record);
}

void ResourceManager::FinishRun(size_t g) {
  auto it = runs_.find(g);
  if (it == runs_.end())
    return;
  Run run = std::move(it->second);
  runs_.erase(it);
  const resources::GroupResult& result = run.sequencer->Result();
  const std::string key = config_.groups[g].Key();
  for (const auto& line : result.log)
    LogWarning("group " + key + ": " + line);
  Transition t;
  t.op = run.op == GroupOp::kStart ? "start" : "stop";
  t.reason = run.reason;
  t.outcome = resources::ToString(result.outcome);
  t.total_ms = Ms(Clock::now() - run.started);
  t.started_unix_ms =
      std::chrono::duration_cast<Millis>(std::chrono::system_clock::now().time_since_epoch())
          .count() -
      t.total_ms;  // for people reading status; never used for timing
  t.steps = run.steps;
  for (const auto& s : t.steps)
    action_failures_[g] += s.ok ? 0 : 1;
  std::string timeline;
  for (const auto& s : t.steps) {
    timeline += (timeline.empty() ? "" : ", ") + s.resource + " " + s.action + " " +
                std::to_string(s.ms) + " ms" + (s.ok ? "" : " (" + s.detail + ")");
  }
  LogNotice("group " + key + ": " + t.op + " " + t.outcome + " in " + std::to_string(t.total_ms) +
            " ms" + (timeline.empty() ? "" : ": " + timeline));
  last_[g] = std::move(t);
  arbiter::RunOutcome outcome = ToRunOutcome(result.outcome);
  if (outcome == arbiter::RunOutcome::kStopFailed) {
    std::string resource =
        result.failed_resource ? config_.groups[g].resources[*result.failed_resource].Spec() : key;
    Escalate(g, resource);
  }
  Apply(arbiter_.OnRunDone(Clock::now(), g, outcome));
}

void ResourceManager::Escalate(size_t g, const std::string& resource) {
  const config::ResourcePolicy& p = config_.policy;
  const std::string key = config_.groups[g].Key();
  switch (p.stop_failure) {
    case config::StopFailure::kReboot:
      LogCrit("group " + key + ": " + resource + " will not stop; rebooting this node (" +
              p.reboot_command + ") so the peer can take the group safely");
      RunHook("reboot", config::SplitTokens(p.reboot_command));
      break;
    case config::StopFailure::kFence: {
      LogCrit("group " + key + ": " + resource + " will not stop; running the fence hook " +
              p.fence_hook);
      auto argv = config::SplitTokens(p.fence_hook);
      argv.push_back(key);
      argv.push_back(local_node_);
      RunHook("fence_hook", std::move(argv));
      break;
    }
    case config::StopFailure::kNone:
      LogCrit("group " + key + ": " + resource +
              " will not stop; stop_failure none: the group stays held here and no other node "
              "will start it until an operator fixes it");
      break;
  }
}

void ResourceManager::RunHook(const std::string& what, std::vector<std::string> argv) {
  if (argv.empty())
    return;
  resources::ChildCommand command;
  command.path = argv.front();
  command.argv = std::move(argv);
  command.env = {std::string("PATH=") + resources::kScriptPath, "HA_CURHOST=" + local_node_};
  runner_.RunCommand(
      what, command, config_.policy.stop_timeout, [what](const resources::ActionResult& r) {
        if (r.ok) {
          LogNotice(what + " finished");
        } else {
          LogCrit(what + " failed: " +
                  (r.error.empty() ? "exit " + std::to_string(r.exit_code) : r.error));
        }
      });
}

void ResourceManager::ArmTick() {
  auto next = arbiter_.NextDeadline();
  if (!next) {
    tick_timer_.cancel();
    return;
  }
  tick_timer_.expires_at(*next);
  tick_timer_.async_wait([this](const boost::system::error_code& ec) {
    if (!ec)
      Apply(arbiter_.Tick(Clock::now()));
  });
}

void ResourceManager::Start() {
  for (size_t g = 0; g < config_.groups.size(); ++g) {
    Apply(arbiter_.BeginProbe(g));
    Probe(g, 0, false);
  }
  ScheduleMonitor();
}

void ResourceManager::ScheduleMonitor() {
  if (config_.policy.monitor_interval.count() <= 0)
    return;
  monitor_timer_.expires_after(config_.policy.monitor_interval);
  monitor_timer_.async_wait([this](const boost::system::error_code& ec) {
    if (ec)
      return;
    MonitorAll();
    ScheduleMonitor();
  });
}

void ResourceManager::MonitorAll() {
  auto views = arbiter_.Groups();
  for (size_t g = 0; g < views.size(); ++g) {
    if (views[g].local_state != GroupState::kRunning || runs_.count(g) || monitoring_.count(g))
      continue;
    monitoring_.insert(g);
    MonitorResource(g, 0);
  }
}

void ResourceManager::MonitorResource(size_t g, size_t r) {
  bool still_ours = arbiter_.Groups()[g].local_state == GroupState::kRunning && !runs_.count(g);
  if (r == config_.groups[g].resources.size() || !still_ours) {
    monitoring_.erase(g);
    if (pending_)
      boost::asio::post(io_, [this] { AdvanceReload(); });
    return;
  }
  resources::ActionRequest request = Request(g, r, resources::Action::kStatus);
  if (request.script_path.empty()) {
    OnResourceDown(g, r, "no script");
    return;
  }
  RunAction(request, [this, g, r](const resources::ActionResult& result) {
    if (result.ok && result.running) {
      MonitorResource(g, r + 1);
    } else {
      OnResourceDown(g, r, result.ok ? "status says not running" : result.error);
    }
  });
}

void ResourceManager::OnResourceDown(size_t g, size_t r, const std::string& detail) {
  const config::ResourcePolicy& p = config_.policy;
  const std::string key = config_.groups[g].Key();
  const std::string name = config_.groups[g].resources[r].Spec();
  if (arbiter_.Groups()[g].local_state != GroupState::kRunning || runs_.count(g)) {
    monitoring_.erase(g);
    if (pending_)
      boost::asio::post(io_, [this] { AdvanceReload(); });
    return;
  }
  const TimePoint now = Clock::now();
  auto& restarts = monitor_restarts_[g];
  std::erase_if(restarts, [&](TimePoint t) { return now - t > p.monitor_window; });
  if (static_cast<int>(restarts.size()) >= p.monitor_restarts) {
    monitoring_.erase(g);
    LogCrit("group " + key + ": " + name + " failed again (" + detail + ") after " +
            std::to_string(restarts.size()) + " restarts within " +
            std::to_string(p.monitor_window.count() / 1000) +
            " s; giving the group up so another node takes it");
    restarts.clear();
    Apply(arbiter_.GiveUp(now, g, "monitor: " + name + " keeps failing"));
    return;
  }
  restarts.push_back(now);
  LogWarning("group " + key + ": monitor found " + name + " not running (" + detail +
             "); restarting it in place (" + std::to_string(restarts.size()) + " of " +
             std::to_string(p.monitor_restarts) + ")");
  RunAction(Request(g, r, resources::Action::kStart),
            [this, g, r, key, name](const resources::ActionResult& result) {
              if (result.ok) {
                LogNotice("group " + key + ": " + name + " restarted in place");
                MonitorResource(g, r + 1);
                return;
              }
              monitoring_.erase(g);
              LogCrit("group " + key + ": restarting " + name + " failed; giving the group up");
              Apply(arbiter_.GiveUp(Clock::now(), g, "monitor: " + name + " cannot restart"));
            });
}

void ResourceManager::Probe(size_t g, size_t r, bool found_running) {
  const auto& resources = config_.groups[g].resources;
  if (r == resources.size()) {
    if (found_running) {
      LogCrit("group " + config_.groups[g].Key() +
              " has resources active on this node at startup (hbd was stopped without "
              "releasing them); stopping them before joining, so no copy runs twice");
      StartRun(g, GroupOp::kStop, "active at startup");
    } else {
      Apply(arbiter_.OnRunDone(Clock::now(), g, arbiter::RunOutcome::kStopped));
    }
    return;
  }
  resources::ActionRequest request = Request(g, r, resources::Action::kStatus);
  if (request.script_path.empty()) {
    boost::asio::post(io_, [this, g, r, found_running] { Probe(g, r + 1, found_running); });
    return;
  }
  RunAction(request, [this, g, r, found_running](const resources::ActionResult& result) {
    // A status that cannot be read counts as running: stopping is safe, a second copy is not.
    bool running = !result.ok || result.running;
    Probe(g, r + 1, found_running || running);
  });
}

void ResourceManager::SetConnectivity(const std::string& node, int count) {
  Apply(arbiter_.SetConnectivity(Clock::now(), node, count));
}

void ResourceManager::SetLastPingReply(std::optional<TimePoint> last_reply) {
  Apply(arbiter_.SetLastPingReply(Clock::now(), last_reply));
}

void ResourceManager::OnCommUp() {
  Apply(arbiter_.OnCommUp(Clock::now()));
}
void ResourceManager::OnNodeAlive(const std::string& node) {
  std::erase_if(orphaned_, [&](const auto& entry) { return entry.second == node; });
  Apply(arbiter_.OnNodeAlive(Clock::now(), node));
}
void ResourceManager::OnNodeDead(const std::string& node) {
  auto views = arbiter_.Groups();
  for (size_t g = 0; g < views.size(); ++g) {
    if (views[g].holder == node && node != local_node_)
      orphaned_[g] = node;
  }
  Apply(arbiter_.OnNodeDead(Clock::now(), node));
}
void ResourceManager::OnPeerReport(const std::string& node, const arbiter::NodeReport& report) {
  Apply(arbiter_.OnPeerReport(Clock::now(), node, report));
}
void ResourceManager::OnMoveRequest(const std::string& from, const std::string& key,
                                    const std::string& to) {
  Apply(arbiter_.OnMoveRequest(Clock::now(), from, key, to));
}

void ResourceManager::AddWaiter(Waiter w, MoveReply reply) {
  // Long enough for every stop retry and a start; a move never waits forever.
  const auto& p = config_.policy;
  w.deadline = Clock::now() + (p.stop_timeout + p.start_timeout) * (1 + p.stop_retries) +
               std::chrono::seconds(10);
  w.reply = std::move(reply);
  waiters_.push_back(std::move(w));
}

void ResourceManager::Standby(arbiter::MoveSet set, MoveReply reply) {
  std::string error;
  auto out = arbiter_.Standby(Clock::now(), set, error);
  if (!error.empty()) {
    reply(false, error);
    return;
  }
  Waiter w;
  for (const auto& c : out.commands) {
    if (c.kind == arbiter::Command::Kind::kStop)
      w.keys.push_back(config_.groups[c.group].Key());
  }
  AddWaiter(std::move(w), std::move(reply));
  Apply(std::move(out));
}

void ResourceManager::Takeover(arbiter::MoveSet set, MoveReply reply, const std::string& only_key) {
  std::string error;
  auto out = arbiter_.Takeover(Clock::now(), set, error, only_key);
  if (!error.empty()) {
    reply(false, error);
    return;
  }
  Waiter w;
  w.to_here = true;
  for (const auto& v : arbiter_.Groups()) {
    bool home = v.preferred_node == local_node_;
    bool in_set = set == arbiter::MoveSet::kAll || (set == arbiter::MoveSet::kLocal && home) ||
                  (set == arbiter::MoveSet::kForeign && !home);
    if (in_set && (only_key.empty() || v.key == only_key) && v.local_state != GroupState::kRunning)
      w.keys.push_back(v.key);
  }
  AddWaiter(std::move(w), std::move(reply));
  Apply(std::move(out));
}

void ResourceManager::CheckWaiters() {
  const TimePoint now = Clock::now();
  auto views = arbiter_.Groups();
  auto view = [&](const std::string& key) -> const arbiter::GroupView* {
    for (const auto& v : views) {
      if (v.key == key)
        return &v;
    }
    return nullptr;
  };
  std::vector<Waiter> still;
  std::optional<TimePoint> next;
  for (auto& w : waiters_) {
    bool done = true;
    std::string failure;
    std::string where;
    for (const auto& key : w.keys) {
      const arbiter::GroupView* v = view(key);
      if (!v)
        continue;
      if (w.to_here) {
        if (v->local_state == GroupState::kFailed)
          failure = key + " failed to start here";
        // The holder tried to release it to us and its stop failed: it stays there.
        if (!v->holder.empty() && v->holder != local_node_ &&
            v->holder_state == GroupState::kStopFailed)
          failure = key + " could not be stopped on " + v->holder + " (stop-failed)";
        if (v->local_state != GroupState::kRunning)
          done = false;
      } else {
        if (v->local_state == GroupState::kStopFailed)
          failure = key + " could not be stopped";
        bool elsewhere = !v->holder.empty() && v->holder != local_node_ &&
                         v->holder_state == GroupState::kRunning;
        if (!elsewhere)
          done = false;
        if (elsewhere)
          where += (where.empty() ? "" : ", ") + key + " on " + v->holder;
      }
    }
    if (failure.empty() && !done && now >= w.deadline)
      failure = "timed out";
    if (!failure.empty()) {
      w.reply(false, failure);
    } else if (done) {
      w.reply(true, w.to_here ? "now running here" : "now running elsewhere: " + where);
    } else {
      if (!next || w.deadline < *next)
        next = w.deadline;
      still.push_back(std::move(w));
    }
  }
  waiters_ = std::move(still);
  if (next) {
    waiter_timer_.expires_at(*next);
    waiter_timer_.async_wait([this](const boost::system::error_code& ec) {
      if (!ec)
        CheckWaiters();
    });
  }
}

void ResourceManager::ForcePromote(const std::string& key, MoveReply reply) {
  auto g = arbiter_.GroupIndex(key);
  if (!g) {
    reply(false, "no group " + key);
    return;
  }
  LogCrit("operator forces group " + key +
          " to start here even if its DRBD data is outdated (hbctl force-promote)");
  // Armed for this takeover only: the start it causes consumes it (BeginRun). Whatever the
  // answer (rejected at once, failed, timed out), nothing stays armed for a later, ordinary
  // start of the group, which must check the data again.
  forced_.insert(*g);
  Takeover(
      arbiter::MoveSet::kAll,
      [this, g = *g, key, reply = std::move(reply)](bool ok, const std::string& message) {
        if (forced_.erase(g) > 0) {
          LogWarning("force-promote of group " + key +
                     " withdrawn, the group did not start here: " + message);
        }
        reply(ok, message);
      },
      key);
}

void ResourceManager::Shutdown(std::function<void()> done) {
  shutdown_done_ = std::move(done);
  for (const auto& v : arbiter_.Groups()) {
    if (v.local_state == GroupState::kStopFailed) {
      LogCrit("group " + v.key +
              " could not be stopped here and may still run: hbd stays until an operator "
              "stops it by hand (leaving would let another node start a second copy)");
    }
  }
  Apply(arbiter_.Shutdown(Clock::now()));
}

std::string ResourceManager::HeldSummary() const {
  if (arbiter_.Busy())
    return "transition";
  bool local = false, foreign = false;
  for (const auto& v : arbiter_.Groups()) {
    // A stop-failed group is still held here: its resources (some of them) still run.
    if (v.local_state != GroupState::kRunning && v.local_state != GroupState::kStopFailed)
      continue;
    (v.preferred_node == local_node_ ? local : foreign) = true;
  }
  return local && foreign ? "all" : local ? "local" : foreign ? "foreign" : "none";
}

nlohmann::json ResourceManager::StatusJson() const {
  nlohmann::json groups = nlohmann::json::array();
  const TimePoint now = Clock::now();
  auto views = arbiter_.Groups();
  for (size_t g = 0; g < views.size(); ++g) {
    const auto& v = views[g];
    nlohmann::json j;
    j["key"] = v.key;
    j["preferred_node"] = v.preferred_node;
    j["state_here"] = arbiter::ToString(v.local_state);
    j["holder"] = v.holder;
    if (!v.holder.empty())
      j["holder_state"] = arbiter::ToString(v.holder_state);
    j["resources"] = ResourceNames(g);
    j["start_failures"] = v.start_failures;
    j["failovers"] = failovers_.count(g) ? failovers_.at(g) : 0;
    j["action_failures"] = action_failures_.count(g) ? action_failures_.at(g) : 0;
    if (auto it = refused_.find(g); it != refused_.end())
      j["refused"] = it->second;
    if (!v.waiting.empty())
      j["waiting"] = v.waiting;
    if (v.backoff_until && *v.backoff_until > now) {
      j["backoff_remaining_ms"] = Ms(*v.backoff_until - now);
    }
    if (auto it = last_.find(g); it != last_.end()) {
      const Transition& t = it->second;
      nlohmann::json steps = nlohmann::json::array();
      for (const auto& s : t.steps) {
        steps.push_back({{"resource", s.resource},
                         {"action", s.action},
                         {"ms", s.ms},
                         {"ok", s.ok},
                         {"detail", s.detail}});
      }
      j["last_transition"] = {{"op", t.op},
                              {"reason", t.reason},
                              {"outcome", t.outcome},
                              {"total_ms", t.total_ms},
                              {"started_unix_ms", t.started_unix_ms},
                              {"steps", steps}};
    }
    groups.push_back(std::move(j));
  }
  return groups;
}

}  // namespace hbd::daemon
