#include "arbiter/group_arbiter.h"

#include <gtest/gtest.h>

#include <deque>
#include <random>

namespace hbd::arbiter {
namespace {

// A cluster of arbiters joined by a perfect in-memory network: reports are delivered after every
// change; start and stop commands complete when the test says so (or at once with AutoRun).
class Sim {
 public:
  Sim(std::vector<std::string> nodes, std::vector<GroupSpec> groups, ArbiterPolicy policy = {})
      : nodes_(nodes) {
    for (const auto& n : nodes) {
      arbiters_.emplace(n, GroupArbiter(n, nodes, groups, policy));
      alive_[n] = false;
    }
  }

  GroupArbiter& at(const std::string& n) { return arbiters_.at(n); }

  // Brings nodes up together: they see each other, comm is up, reports flow.
  void Up(const std::vector<std::string>& nodes) {
    for (const auto& n : nodes)
      alive_[n] = true;
    for (const auto& n : nodes) {
      for (const auto& p : nodes_) {
        if (p != n && alive_[p])
          Take(n, at(n).OnNodeAlive(now_, p));
      }
      Take(n, at(n).OnCommUp(now_));
    }
    for (const auto& n : nodes) {
      for (const auto& p : nodes_) {
        if (p != n && alive_[p])
          Take(p, at(p).OnNodeAlive(now_, n));
      }
    }
    Flush();
  }

  // A node crashes: its groups vanish with it; the others see it dead.
  void Crash(const std::string& n) {
    history_.push_back(n + " crash");
    alive_[n] = false;
    pending_.erase(std::remove_if(pending_.begin(), pending_.end(),
                                  [&](const Pending& p) { return p.node == n; }),
                   pending_.end());
    arbiters_.erase(n);
    arbiters_.emplace(n, GroupArbiter(n, nodes_, groups(), policy_));
    for (const auto& p : nodes_) {
      if (p != n && alive_[p])
        Take(p, at(p).OnNodeDead(now_, n));
    }
    Flush();
  }

  // A crashed node starts again and joins.
  void Rejoin(const std::string& n) {
    history_.push_back(n + " rejoin");
    alive_[n] = true;
    for (const auto& p : nodes_) {
      if (p != n && alive_[p]) {
        Take(n, at(n).OnNodeAlive(now_, p));
        Take(p, at(p).OnNodeAlive(now_, n));
      }
    }
    Take(n, at(n).OnCommUp(now_));
    Flush();
  }

  // Runs every pending command to completion with `outcome_for`'s answer.
  void Complete(std::function<RunOutcome(const std::string&, const Command&)> outcome_for = {}) {
    for (int rounds = 0; rounds < 100 && !pending_.empty(); ++rounds) {
      Pending p = pending_.front();
      pending_.pop_front();
      if (!alive_[p.node])
        continue;
      RunOutcome outcome = outcome_for
                               ? outcome_for(p.node, p.command)
                               : (p.command.kind == Command::Kind::kStart ? RunOutcome::kRunning
                                                                          : RunOutcome::kStopped);
      const char* verb = p.command.kind == Command::Kind::kStart ? " start " : " stop ";
      Take(p.node, at(p.node).OnRunDone(now_, p.command.group, outcome));
      history_.push_back(p.node + verb + std::to_string(p.command.group) + "=" +
                         ToString(at(p.node).Groups()[p.command.group].local_state));
      CheckNoDoubleRun();
    }
  }

  void Advance(Duration d) {
    now_ += d;
    for (const auto& n : nodes_) {
      if (alive_[n])
        Take(n, at(n).Tick(now_));
    }
    Flush();
  }

  void Take(const std::string& n, ArbiterOutput out) {
    for (auto& c : out.commands)
      pending_.push_back({n, c});
    for (auto& l : out.log)
      log_.push_back(n + ": " + l.text);
    for (auto& r : out.requests)
      requests_.push_back(r);
    if (out.report_changed)
      dirty_.push_back(n);
  }

  // Delivers reports of every node whose report changed, and move requests, until quiet.
  void Flush() {
    for (int rounds = 0; rounds < 100; ++rounds) {
      if (dirty_.empty() && requests_.empty())
        break;
      auto dirty = std::move(dirty_);
      dirty_.clear();
      for (const auto& n : dirty) {
        if (!alive_[n])
          continue;
        auto report = at(n).Report();
        for (const auto& p : nodes_) {
          if (p != n && alive_[p])
            Take(p, at(p).OnPeerReport(now_, n, report));
        }
      }
      auto requests = std::move(requests_);
      requests_.clear();
      for (const auto& r : requests) {
        if (alive_[r.holder])
          Take(r.holder, at(r.holder).OnMoveRequest(now_, r.to, r.group_key, r.to));
      }
    }
    // Every live node also re-announces periodically; nothing must change then.
    for (const auto& n : nodes_) {
      if (!alive_[n])
        continue;
      auto report = at(n).Report();
      for (const auto& p : nodes_) {
        if (p != n && alive_[p])
          Take(p, at(p).OnPeerReport(now_, n, report));
      }
    }
  }

  // Runs everything until nothing is pending.
  void Settle(std::function<RunOutcome(const std::string&, const Command&)> outcome_for = {}) {
    for (int i = 0; i < 20; ++i) {
      Flush();
      if (pending_.empty())
        break;
      Complete(outcome_for);
    }
    Flush();
  }

  std::vector<std::string> Running(size_t g) {
    std::vector<std::string> out;
    for (const auto& n : nodes_) {
      if (alive_[n] && at(n).Groups()[g].local_state == GroupState::kRunning)
        out.push_back(n);
    }
    return out;
  }

  void CheckNoDoubleRun() {
    for (size_t g = 0; g < groups().size(); ++g) {
      int held = 0;
      for (const auto& n : nodes_) {
        if (alive_[n] && Holds(at(n).Groups()[g].local_state) &&
            at(n).Groups()[g].local_state != GroupState::kStopping) {
          ++held;
        }
      }
      std::string states;
      for (const auto& n : nodes_) {
        states +=
            n + (alive_[n] ? "" : "(down)") + "=" + ToString(at(n).Groups()[g].local_state) + " ";
      }
      EXPECT_LE(held, 1) << "group " << g << " held twice (" << states
                         << "); history: " << History();
    }
  }

  void Note(std::string what) { history_.push_back(std::move(what)); }

  std::string History() const {
    std::string out;
    for (const auto& h : history_)
      out += h + "; ";
    return out;
  }
  const std::vector<std::string>& history() const { return history_; }
  const std::vector<std::string>& log() const { return log_; }
  size_t pending() const { return pending_.size(); }
  TimePoint now() const { return now_; }

  std::vector<GroupSpec> groups() {
    return arbiters_.begin()->second.Groups().empty() ? std::vector<GroupSpec>{} : Specs();
  }

 private:
  struct Pending {
    std::string node;
    Command command;
  };
  std::vector<GroupSpec> Specs() {
    std::vector<GroupSpec> out;
    for (const auto& v : arbiters_.begin()->second.Groups())
      out.push_back({v.key, v.preferred_node});
    return out;
  }

  std::vector<std::string> nodes_;
  std::map<std::string, GroupArbiter> arbiters_;
  std::map<std::string, bool> alive_;
  std::deque<Pending> pending_;
  std::vector<std::string> dirty_;
  std::vector<MoveRequest> requests_;
  std::vector<std::string> history_;
  std::vector<std::string> log_;
  ArbiterPolicy policy_;
  TimePoint now_ = FakeTime(0);
};

const std::vector<GroupSpec> kOneGroup = {{"IPaddr::192.0.2.10", "node1"}};

ArbiterPolicy Failback(config::AutoFailback mode) {
  ArbiterPolicy p;
  p.auto_failback = mode;
  return p;
}

TEST(GroupArbiter, GroupStartsOnItsPreferredNodeOnly) {
  Sim sim({"node1", "node2"}, kOneGroup);
  sim.Up({"node1", "node2"});
  sim.Settle();
  EXPECT_EQ(sim.Running(0), std::vector<std::string>{"node1"});
  EXPECT_EQ(sim.history(), std::vector<std::string>{"node1 start 0=running"});
  EXPECT_EQ(sim.at("node2").Groups()[0].holder, "node1");
}

TEST(GroupArbiter, NothingStartsBeforeCommUp) {
  GroupArbiter a("node1", {"node1", "node2"}, kOneGroup, {});
  auto out = a.OnNodeAlive(FakeTime(0), "node2");
  EXPECT_TRUE(out.commands.empty());
}

TEST(GroupArbiter, NothingStartsUntilEveryLivePeerHasReported) {
  GroupArbiter a("node1", {"node1", "node2"}, kOneGroup, {});
  a.OnNodeAlive(FakeTime(0), "node2");
  EXPECT_TRUE(a.OnCommUp(FakeTime(0)).commands.empty());
  // The claim goes out first; the start runs once node2 has seen it.
  auto out = a.OnPeerReport(FakeTime(1), "node2", {});
  EXPECT_TRUE(out.commands.empty());
  EXPECT_EQ(a.Groups()[0].local_state, GroupState::kStarting);
  NodeReport ack;
  ack.version = 2;
  ack.seen["node1"] = a.Report().version;
  out = a.OnPeerReport(FakeTime(2), "node2", ack);
  ASSERT_EQ(out.commands.size(), 1u);
  EXPECT_EQ(out.commands[0].kind, Command::Kind::kStart);
  EXPECT_EQ(out.commands[0].reason, "this is its preferred node");
}

TEST(GroupArbiter, AFreeGroupSaysWhatItWaitsFor) {
  GroupArbiter a("node1", {"node1", "node2"}, kOneGroup, {});
  EXPECT_EQ(a.Groups()[0].waiting, "the cluster is forming (initdead)");
  a.OnNodeAlive(FakeTime(0), "node2");
  a.OnCommUp(FakeTime(0));
  EXPECT_EQ(a.Groups()[0].waiting, "waiting for the group reports of node2");
  a.OnPeerReport(FakeTime(1), "node2", {});
  EXPECT_EQ(a.Groups()[0].local_state, GroupState::kStarting);
  EXPECT_EQ(a.Groups()[0].holder, "node1");
  EXPECT_EQ(a.Groups()[0].waiting, "");  // held (being started) here: not waiting

  // On node2 the same group waits for node1, which is to start it.
  GroupArbiter b("node2", {"node1", "node2"}, kOneGroup, {});
  b.OnNodeAlive(FakeTime(0), "node1");
  b.OnCommUp(FakeTime(0));
  b.OnPeerReport(FakeTime(1), "node1", {});
  EXPECT_EQ(b.Groups()[0].waiting, "to be started by node1");
}

TEST(GroupArbiter, APeerThatHoldsTheGroupKeepsIt) {
  GroupArbiter a("node1", {"node1", "node2"}, kOneGroup, {});
  a.OnNodeAlive(FakeTime(0), "node2");
  a.OnCommUp(FakeTime(0));
  NodeReport report;
  report.groups[kOneGroup[0].key] = {GroupState::kRunning, ""};
  auto out = a.OnPeerReport(FakeTime(1), "node2", report);
  EXPECT_TRUE(out.commands.empty());
  EXPECT_EQ(a.Groups()[0].holder, "node2");
}

TEST(GroupArbiter, SurvivorTakesTheGroupWhenTheHolderDies) {
  Sim sim({"node1", "node2"}, kOneGroup);
  sim.Up({"node1", "node2"});
  sim.Settle();
  sim.Crash("node1");
  sim.Settle();
  EXPECT_EQ(sim.Running(0), std::vector<std::string>{"node2"});
}

TEST(GroupArbiter, AutoFailbackOffLeavesTheGroupWhereItRuns) {
  Sim sim({"node1", "node2"}, kOneGroup, Failback(config::AutoFailback::kOff));
  sim.Up({"node1", "node2"});
  sim.Settle();
  sim.Crash("node1");
  sim.Settle();
  sim.Rejoin("node1");
  sim.Settle();
  EXPECT_EQ(sim.Running(0), std::vector<std::string>{"node2"});
}

TEST(GroupArbiter, AutoFailbackOnReturnsItStopBeforeStart) {
  Sim sim({"node1", "node2"}, kOneGroup, Failback(config::AutoFailback::kOn));
  sim.Up({"node1", "node2"});
  sim.Settle();
  sim.Crash("node1");
  sim.Settle();
  sim.Rejoin("node1");
  sim.Settle();
  EXPECT_EQ(sim.Running(0), std::vector<std::string>{"node1"});
  // Ordered handover: node2's stop completed before node1's start.
  auto h = sim.history();
  ASSERT_GE(h.size(), 2u);
  EXPECT_EQ(h[h.size() - 2], "node2 stop 0=released");
  EXPECT_EQ(h[h.size() - 1], "node1 start 0=running");
}

TEST(GroupArbiter, AutoFailbackOnDoesNotUndoAnOperatorMove) {
  Sim sim({"node1", "node2"}, kOneGroup, Failback(config::AutoFailback::kOn));
  sim.Up({"node1", "node2"});
  sim.Settle();
  std::string error;
  sim.Take("node1", sim.at("node1").Standby(sim.now(), MoveSet::kAll, error));
  ASSERT_EQ(error, "");
  sim.Settle();
  EXPECT_EQ(sim.Running(0), std::vector<std::string>{"node2"});
  sim.Advance(std::chrono::minutes(5));
  EXPECT_EQ(sim.Running(0), std::vector<std::string>{"node2"});
}

TEST(GroupArbiter, StandbyMovesAndTakeoverBringsBack) {
  Sim sim({"node1", "node2"}, {{"IPaddr::192.0.2.10", "node1"}, {"mysql", "node2"}});
  sim.Up({"node1", "node2"});
  sim.Settle();
  EXPECT_EQ(sim.Running(0), std::vector<std::string>{"node1"});
  EXPECT_EQ(sim.Running(1), std::vector<std::string>{"node2"});

  std::string error;
  sim.Take("node1", sim.at("node1").Standby(sim.now(), MoveSet::kAll, error));
  ASSERT_EQ(error, "");
  sim.Settle();
  EXPECT_EQ(sim.Running(0), std::vector<std::string>{"node2"});
  EXPECT_EQ(sim.Running(1), std::vector<std::string>{"node2"});

  sim.Take("node1", sim.at("node1").Takeover(sim.now(), MoveSet::kAll, error));
  ASSERT_EQ(error, "");
  sim.Settle();
  EXPECT_EQ(sim.Running(0), std::vector<std::string>{"node1"});
  EXPECT_EQ(sim.Running(1), std::vector<std::string>{"node1"});

  // "foreign" from node1's point of view is mysql (preferred node2).
  sim.Take("node2", sim.at("node2").Takeover(sim.now(), MoveSet::kLocal, error));
  ASSERT_EQ(error, "");
  sim.Settle();
  EXPECT_EQ(sim.Running(0), std::vector<std::string>{"node1"});
  EXPECT_EQ(sim.Running(1), std::vector<std::string>{"node2"});
}

TEST(GroupArbiter, StandbyRefusesWhenNobodyCanTakeIt) {
  Sim sim({"node1", "node2"}, kOneGroup);
  sim.Up({"node1"});
  sim.Settle();
  std::string error;
  auto out = sim.at("node1").Standby(sim.now(), MoveSet::kAll, error);
  EXPECT_EQ(error, "no other live node can take group IPaddr::192.0.2.10");
  EXPECT_TRUE(out.commands.empty());
  EXPECT_EQ(sim.Running(0), std::vector<std::string>{"node1"});
  sim.at("node2");  // still there
  error.clear();
  sim.at("node2").Standby(sim.now(), MoveSet::kAll, error);
  EXPECT_EQ(error, "no group runs on this node");
}

TEST(GroupArbiter, StartFailureHandsTheGroupToTheNextNodeWithBackoff) {
  Sim sim({"node1", "node2"}, kOneGroup);
  sim.Up({"node1", "node2"});
  auto fail_on_node1 = [](const std::string& n, const Command& c) {
    if (c.kind == Command::Kind::kStart && n == "node1")
      return RunOutcome::kStartFailed;
    return c.kind == Command::Kind::kStart ? RunOutcome::kRunning : RunOutcome::kStopped;
  };
  sim.Settle(fail_on_node1);
  EXPECT_EQ(sim.Running(0), std::vector<std::string>{"node2"});
  EXPECT_EQ(sim.at("node1").Groups()[0].local_state, GroupState::kFailed);
  ASSERT_TRUE(sim.at("node1").NextDeadline());
  EXPECT_EQ(*sim.at("node1").NextDeadline(), FakeTime(30000));
  sim.Advance(std::chrono::seconds(31));
  EXPECT_EQ(sim.at("node1").Groups()[0].local_state, GroupState::kStopped);
  EXPECT_EQ(sim.Running(0), std::vector<std::string>{"node2"});  // off: stays
}

TEST(GroupArbiter, StartFailureEverywhereLeavesItDownAndRetriesAfterBackoff) {
  Sim sim({"node1", "node2"}, kOneGroup);
  sim.Up({"node1", "node2"});
  int starts = 0;
  auto always_fail = [&](const std::string&, const Command& c) {
    if (c.kind == Command::Kind::kStart) {
      ++starts;
      return RunOutcome::kStartFailed;
    }
    return RunOutcome::kStopped;
  };
  sim.Settle(always_fail);
  EXPECT_EQ(starts, 2);  // once on each node, no loop
  EXPECT_TRUE(sim.Running(0).empty());
  sim.Settle(always_fail);
  EXPECT_EQ(starts, 2);
  sim.Advance(std::chrono::seconds(30));
  sim.Settle(always_fail);
  EXPECT_EQ(starts, 4);  // retried after the back-off, which now doubles
  EXPECT_EQ(*sim.at("node1").NextDeadline(), sim.now() + std::chrono::seconds(60));
}

TEST(GroupArbiter, StopFailureKeepsTheGroupHeldSoNobodyStartsASecondCopy) {
  Sim sim({"node1", "node2"}, kOneGroup);
  sim.Up({"node1", "node2"});
  sim.Settle();
  std::string error;
  sim.Take("node1", sim.at("node1").Standby(sim.now(), MoveSet::kAll, error));
  sim.Settle([](const std::string&, const Command& c) {
    return c.kind == Command::Kind::kStop ? RunOutcome::kStopFailed : RunOutcome::kRunning;
  });
  EXPECT_EQ(sim.at("node1").Groups()[0].local_state, GroupState::kStopFailed);
  EXPECT_EQ(sim.at("node2").Groups()[0].holder, "node1");
  EXPECT_TRUE(sim.Running(0).empty());
  bool critical = false;
  for (const auto& l : sim.log())
    critical |= l.find("could not be stopped") != std::string::npos;
  EXPECT_TRUE(critical);
}

TEST(GroupArbiter, MovesOfAStopFailedGroupAreRefusedAtOnce) {
  Sim sim({"node1", "node2"}, kOneGroup);
  sim.Up({"node1", "node2"});
  sim.Settle();
  std::string error;
  sim.Take("node1", sim.at("node1").Standby(sim.now(), MoveSet::kAll, error));
  sim.Settle([](const std::string&, const Command& c) {
    return c.kind == Command::Kind::kStop ? RunOutcome::kStopFailed : RunOutcome::kRunning;
  });
  ASSERT_EQ(sim.at("node1").Groups()[0].local_state, GroupState::kStopFailed);

  // The holder says why it cannot move it, not that it holds nothing.
  error.clear();
  auto out = sim.at("node1").Standby(sim.now(), MoveSet::kAll, error);
  EXPECT_EQ(error,
            "group IPaddr::192.0.2.10 could not be stopped here (stop-failed); it stays here "
            "until an operator fixes it");
  EXPECT_TRUE(out.commands.empty());

  // The peer's hb_takeover would never be answered (a holder releases only a running group):
  // refused at once, nothing sent, nothing changed.
  error.clear();
  out = sim.at("node2").Takeover(sim.now(), MoveSet::kAll, error);
  EXPECT_EQ(error,
            "group IPaddr::192.0.2.10 could not be stopped on node1 (stop-failed); it stays "
            "there until an operator fixes it");
  EXPECT_TRUE(out.commands.empty());
  EXPECT_TRUE(out.requests.empty());
  EXPECT_EQ(sim.at("node2").Groups()[0].local_state, GroupState::kStopped);
}

TEST(GroupArbiter, TakeoverRefusesWhileTheHolderIsInTransition) {
  Sim sim({"node1", "node2"}, kOneGroup);
  sim.Up({"node1", "node2"});
  sim.Flush();  // node1 has claimed and started, the start has not finished
  ASSERT_EQ(sim.at("node2").Groups()[0].holder, "node1");
  ASSERT_EQ(sim.at("node2").Groups()[0].holder_state, GroupState::kStarting);
  std::string error;
  auto out = sim.at("node2").Takeover(sim.now(), MoveSet::kAll, error);
  EXPECT_EQ(error, "group IPaddr::192.0.2.10 is in transition on node1; try again when it settles");
  EXPECT_TRUE(out.requests.empty());
  sim.Settle();
  error.clear();
  sim.Take("node2", sim.at("node2").Takeover(sim.now(), MoveSet::kAll, error));
  EXPECT_EQ(error, "");
  sim.Settle();
  EXPECT_EQ(sim.Running(0), std::vector<std::string>{"node2"});
}

TEST(GroupArbiter, SplitBrainHealsToThePreferredNode) {
  GroupArbiter a("node1", {"node1", "node2"}, kOneGroup, {});
  GroupArbiter b("node2", {"node1", "node2"}, kOneGroup, {});
  // Partitioned: each thinks the other dead and runs the group.
  a.OnCommUp(FakeTime(0));
  b.OnCommUp(FakeTime(0));
  a.OnRunDone(FakeTime(1), 0, RunOutcome::kRunning);
  b.OnRunDone(FakeTime(1), 0, RunOutcome::kRunning);
  // The partition heals.
  a.OnNodeAlive(FakeTime(2), "node2");
  b.OnNodeAlive(FakeTime(2), "node1");
  auto out_a = a.OnPeerReport(FakeTime(2), "node2", b.Report());
  auto out_b = b.OnPeerReport(FakeTime(2), "node1", a.Report());
  EXPECT_TRUE(out_a.commands.empty());
  ASSERT_EQ(out_b.commands.size(), 1u);
  EXPECT_EQ(out_b.commands[0].kind, Command::Kind::kStop);
  ASSERT_FALSE(out_a.log.empty());
  EXPECT_TRUE(out_a.log[0].critical);
  EXPECT_NE(out_a.log[0].text.find("split brain"), std::string::npos);
  EXPECT_TRUE(out_b.log[0].critical);
}

TEST(GroupArbiter, ShutdownReleasesEverythingToAPeer) {
  Sim sim({"node1", "node2"}, kOneGroup);
  sim.Up({"node1", "node2"});
  sim.Settle();
  sim.Take("node1", sim.at("node1").Shutdown(sim.now()));
  sim.Settle();
  EXPECT_TRUE(sim.at("node1").ShutdownDone());
  EXPECT_EQ(sim.Running(0), std::vector<std::string>{"node2"});
}

TEST(GroupArbiter, ThreeNodesPreferredThenHaCfOrder) {
  Sim sim({"node1", "node2", "node3"}, {{"g", "node2"}});
  sim.Up({"node1", "node2", "node3"});
  sim.Settle();
  EXPECT_EQ(sim.Running(0), std::vector<std::string>{"node2"});
  sim.Crash("node2");
  sim.Settle();
  EXPECT_EQ(sim.Running(0), std::vector<std::string>{"node1"});
  sim.Crash("node1");
  sim.Settle();
  EXPECT_EQ(sim.Running(0), std::vector<std::string>{"node3"});
}

TEST(GroupArbiter, ReportEntriesRoundTrip) {
  for (auto s :
       {GroupState::kStopped, GroupState::kStarting, GroupState::kRunning, GroupState::kStopping,
        GroupState::kFailed, GroupState::kReleased, GroupState::kStopFailed}) {
    GroupReportEntry e{s, s == GroupState::kReleased ? "node2" : ""};
    EXPECT_EQ(ParseReportEntry(FormatReportEntry(e)), e);
  }
  EXPECT_FALSE(ParseReportEntry("bogus"));
  EXPECT_FALSE(ParseReportEntry("released>"));
  EXPECT_EQ(ParseMoveSet("failback"), MoveSet::kForeign);
  EXPECT_FALSE(ParseMoveSet("most"));
}

// Random crashes, rejoins, operator moves and failures on three nodes: a group is never held by
// two live nodes at once (checked after every completed action), and once things settle with a
// live eligible node, the group runs somewhere.
TEST(GroupArbiter, RandomHistoriesNeverRunAGroupTwice) {
  for (int seed = 0; seed < 40; ++seed) {
    std::mt19937 rng(seed);
    Sim sim({"node1", "node2", "node3"}, {{"a", "node1"}, {"b", "node2"}},
            Failback(seed % 2 ? config::AutoFailback::kOn : config::AutoFailback::kOff));
    sim.Up({"node1", "node2", "node3"});
    std::map<std::string, bool> up = {{"node1", true}, {"node2", true}, {"node3", true}};
    for (int step = 0; step < 60; ++step) {
      std::string n = "node" + std::to_string(1 + rng() % 3);
      switch (rng() % 5) {
        case 0:
          if (up[n] && std::count_if(up.begin(), up.end(), [](auto& p) { return p.second; }) > 1) {
            sim.Crash(n);
            up[n] = false;
          }
          break;
        case 1:
          if (!up[n]) {
            sim.Rejoin(n);
            up[n] = true;
          }
          break;
        case 2:
          if (up[n]) {
            std::string e;
            sim.Note(n + " standby");
            sim.Take(n, sim.at(n).Standby(sim.now(), MoveSet::kAll, e));
          }
          break;
        case 3:
          if (up[n]) {
            std::string e;
            sim.Note(n + " takeover");
            sim.Take(n, sim.at(n).Takeover(sim.now(), MoveSet::kAll, e));
          }
          break;
        case 4:
          sim.Advance(std::chrono::seconds(20));
          break;
      }
      sim.Settle([&](const std::string&, const Command& c) {
        if (c.kind == Command::Kind::kStart) {
          return rng() % 6 == 0 ? RunOutcome::kStartFailed : RunOutcome::kRunning;
        }
        return RunOutcome::kStopped;
      });
      sim.CheckNoDoubleRun();
    }
    sim.Advance(std::chrono::minutes(30));
    sim.Settle();
    for (size_t g = 0; g < 2; ++g) {
      EXPECT_EQ(sim.Running(g).size(), 1u)
          << "seed " << seed << " group " << g << ": " << sim.History();
    }
  }
}

}  // namespace
}  // namespace hbd::arbiter

namespace hbd::arbiter {
namespace {

// A node that restarts and cleans up a copy left from before (reporting `stopping`) must not
// make the node that took over stop its own copy.
TEST(GroupArbiter, APeerCleaningUpAfterARestartIsNotASplitBrain) {
  GroupArbiter b("node2", {"node1", "node2"}, kOneGroup, {});
  b.OnCommUp(FakeTime(0));
  b.OnRunDone(FakeTime(1), 0, RunOutcome::kRunning);
  b.OnNodeAlive(FakeTime(2), "node1");
  NodeReport cleaning;
  cleaning.version = 5;
  cleaning.groups[kOneGroup[0].key] = {GroupState::kStopping, ""};
  auto out = b.OnPeerReport(FakeTime(2), "node1", cleaning);
  EXPECT_TRUE(out.commands.empty());
  EXPECT_TRUE(out.log.empty());
  NodeReport clean = cleaning;
  clean.version = 6;
  clean.groups[kOneGroup[0].key] = {GroupState::kStopped, ""};
  out = b.OnPeerReport(FakeTime(3), "node1", clean);
  EXPECT_TRUE(out.commands.empty());  // auto_failback off: it stays on node2
  EXPECT_EQ(b.Groups()[0].local_state, GroupState::kRunning);
}

}  // namespace
}  // namespace hbd::arbiter

namespace hbd::arbiter {
namespace {

TEST(GroupArbiter, GivingUpAfterMonitoringFailuresMovesTheGroupWithBackoff) {
  Sim sim({"node1", "node2"}, kOneGroup);
  sim.Up({"node1", "node2"});
  sim.Settle();
  ASSERT_EQ(sim.Running(0), std::vector<std::string>{"node1"});
  sim.Take("node1", sim.at("node1").GiveUp(sim.now(), 0, "monitor: IPaddr keeps failing"));
  sim.Settle();
  EXPECT_EQ(sim.Running(0), std::vector<std::string>{"node2"});
  EXPECT_EQ(sim.at("node1").Groups()[0].local_state, GroupState::kFailed);
  EXPECT_EQ(sim.at("node1").Groups()[0].start_failures, 1);
  // Not running here: nothing to give up.
  EXPECT_TRUE(sim.at("node1").GiveUp(sim.now(), 0, "x").commands.empty());
}

}  // namespace
}  // namespace hbd::arbiter

namespace hbd::arbiter {
namespace {

ArbiterPolicy Ipfail(config::AutoFailback mode) {
  ArbiterPolicy p;
  p.auto_failback = mode;
  p.ipfail = true;
  p.ipfail_hold_down = std::chrono::seconds(2);
  return p;
}

void Connect(Sim& sim, int n1, int n2) {
  for (const auto& at : {"node1", "node2"}) {
    sim.Take(at, sim.at(at).SetConnectivity(sim.now(), "node1", n1));
    sim.Take(at, sim.at(at).SetConnectivity(sim.now(), "node2", n2));
  }
  sim.Settle();
}

TEST(GroupArbiterIpfail, WorseConnectedNodeHandsOverAfterTheHoldDown) {
  Sim sim({"node1", "node2"}, kOneGroup, Ipfail(config::AutoFailback::kOff));
  sim.Up({"node1", "node2"});
  Connect(sim, 1, 1);
  ASSERT_EQ(sim.Running(0), std::vector<std::string>{"node1"});
  Connect(sim, 0, 1);  // node1 loses its router
  sim.Advance(std::chrono::milliseconds(1999));
  sim.Settle();
  EXPECT_EQ(sim.Running(0), std::vector<std::string>{"node1"});  // hold-down not over
  sim.Advance(std::chrono::milliseconds(1));
  sim.Settle();
  EXPECT_EQ(sim.Running(0), std::vector<std::string>{"node2"});
  Connect(sim, 1, 1);  // restored: auto_failback off, it stays
  sim.Advance(std::chrono::seconds(10));
  EXPECT_EQ(sim.Running(0), std::vector<std::string>{"node2"});
}

TEST(GroupArbiterIpfail, AutoFailbackOnReturnsItOnceConnectivityIsEqual) {
  Sim sim({"node1", "node2"}, kOneGroup, Ipfail(config::AutoFailback::kOn));
  sim.Up({"node1", "node2"});
  Connect(sim, 1, 1);
  Connect(sim, 0, 1);
  sim.Advance(std::chrono::seconds(3));
  sim.Settle();
  ASSERT_EQ(sim.Running(0), std::vector<std::string>{"node2"});
  Connect(sim, 1, 1);
  sim.Advance(std::chrono::seconds(3));
  sim.Settle();
  EXPECT_EQ(sim.Running(0), std::vector<std::string>{"node1"});
}

TEST(GroupArbiterIpfail, EqualLossChangesNothingAndAFlapDoesNotMove) {
  Sim sim({"node1", "node2"}, kOneGroup, Ipfail(config::AutoFailback::kOff));
  sim.Up({"node1", "node2"});
  Connect(sim, 1, 1);
  Connect(sim, 0, 0);  // both lose the router: no move
  sim.Advance(std::chrono::seconds(10));
  EXPECT_EQ(sim.Running(0), std::vector<std::string>{"node1"});
  for (int i = 0; i < 5; ++i) {  // node1's ping node flaps faster than the hold-down
    Connect(sim, 0, 1);
    sim.Advance(std::chrono::seconds(1));
    Connect(sim, 1, 1);
    sim.Advance(std::chrono::seconds(1));
  }
  EXPECT_EQ(sim.Running(0), std::vector<std::string>{"node1"});
}

TEST(GroupArbiterIpfail, GroupsStartOnTheBestConnectedNode) {
  Sim sim({"node1", "node2"}, kOneGroup, Ipfail(config::AutoFailback::kOff));
  for (const auto& at : {"node1", "node2"}) {
    sim.Take(at, sim.at(at).SetConnectivity(sim.now(), "node1", 0));
    sim.Take(at, sim.at(at).SetConnectivity(sim.now(), "node2", 1));
  }
  sim.Up({"node1", "node2"});
  sim.Settle();
  EXPECT_EQ(sim.Running(0), std::vector<std::string>{"node2"});
}

void SetAt(Sim& sim, const std::string& at, int n1, int n2) {
  sim.Take(at, sim.at(at).SetConnectivity(sim.now(), "node1", n1));
  sim.Take(at, sim.at(at).SetConnectivity(sim.now(), "node2", n2));
}

size_t CountLines(const std::vector<std::string>& log, const std::string& text) {
  return static_cast<size_t>(std::count_if(log.begin(), log.end(), [&](const std::string& line) {
    return line.find(text) != std::string::npos;
  }));
}

TEST(GroupArbiterIpfail, PlacementWaitsUntilEveryNodesConnectivityIsKnown) {
  Sim sim({"node1", "node2"}, kOneGroup, Ipfail(config::AutoFailback::kOn));
  // node1's first ping answer is not in yet; node2's is. Comparing 0 with 1 now would put the
  // group on node2 and bring it home later: a needless move.
  for (const auto& at : {"node1", "node2"})
    SetAt(sim, at, kConnectivityUnknown, 1);
  sim.Up({"node1", "node2"});
  sim.Settle();
  EXPECT_TRUE(sim.Running(0).empty());
  EXPECT_EQ(sim.pending(), 0u);
  Connect(sim, 1, 1);
  EXPECT_EQ(sim.Running(0), std::vector<std::string>{"node1"});
  EXPECT_EQ(sim.history(), std::vector<std::string>{"node1 start 0=running"});
}

TEST(GroupArbiterIpfail, AWaitingGroupNamesTheNodesWhosePingResultsAreMissing) {
  Sim sim({"node1", "node2"}, kOneGroup, Ipfail(config::AutoFailback::kOn));
  for (const auto& at : {"node1", "node2"})
    SetAt(sim, at, kConnectivityUnknown, 0);  // node2's router is down
  sim.Up({"node1", "node2"});
  sim.Settle();
  EXPECT_EQ(sim.at("node1").Groups()[0].waiting, "waiting for the ping results (ipfail) of node1");
  EXPECT_EQ(sim.at("node2").Groups()[0].waiting, "waiting for the ping results (ipfail) of node1");
  Connect(sim, 0, 0);  // and node1's
  sim.Advance(std::chrono::seconds(10));
  sim.Settle();
  EXPECT_EQ(sim.at("node1").Groups()[0].waiting,
            "no node can run it: this node reaches no ping node (ipfail)");
  EXPECT_EQ(sim.at("node2").Groups()[0].waiting,
            "no node can run it: this node reaches no ping node (ipfail)");
}

TEST(GroupArbiterIpfail, ANodeThatNeverReportsConnectivityDoesNotHoldPlacementUp) {
  // node1 runs Heartbeat: it sends no count. node2 (preferred here) must not wait for one.
  const std::vector<GroupSpec> at_node2 = {{"IPaddr::192.0.2.10", "node2"}};
  Sim sim({"node1", "node2"}, at_node2, Ipfail(config::AutoFailback::kOff));
  SetAt(sim, "node1", 1, 1);
  SetAt(sim, "node2", kConnectivityUnknown, 1);
  sim.Up({"node1", "node2"});
  sim.Settle();
  EXPECT_TRUE(sim.Running(0).empty());  // unknown: waits
  SetAt(sim, "node2", kConnectivityNotReported, 1);
  sim.Settle();
  EXPECT_EQ(sim.Running(0), std::vector<std::string>{"node2"});
}

TEST(GroupArbiterIpfail, ANodeReachingNoPingNodeStartsNothingAndSaysSoOnce) {
  Sim sim({"node1", "node2"}, kOneGroup, Ipfail(config::AutoFailback::kOff));
  sim.Up({"node1", "node2"});
  Connect(sim, 0, 0);  // the router is down for everybody
  sim.Advance(std::chrono::seconds(10));
  sim.Settle();
  EXPECT_TRUE(sim.Running(0).empty());
  EXPECT_EQ(CountLines(sim.log(),
                       "node1: group IPaddr::192.0.2.10: not starting it: this node "
                       "reaches no ping node"),
            1u);
  Connect(sim, 0, 1);  // node2's router answers again
  EXPECT_EQ(sim.Running(0), std::vector<std::string>{"node2"});
}

TEST(GroupArbiterIpfail, StandbyToANodeReachingNoPingNodeIsRefused) {
  Sim sim({"node1", "node2"}, kOneGroup, Ipfail(config::AutoFailback::kOff));
  sim.Up({"node1", "node2"});
  Connect(sim, 1, 0);
  ASSERT_EQ(sim.Running(0), std::vector<std::string>{"node1"});
  std::string error;
  auto out = sim.at("node1").Standby(sim.now(), MoveSet::kAll, error);
  EXPECT_EQ(error, "no other live node can take group IPaddr::192.0.2.10");
  EXPECT_TRUE(out.commands.empty());
  EXPECT_EQ(sim.Running(0), std::vector<std::string>{"node1"});
}

ArbiterPolicy IpfailDeadtime() {
  ArbiterPolicy p = Ipfail(config::AutoFailback::kOff);
  p.peer_deadtime = std::chrono::seconds(1);
  p.peer_keepalive = std::chrono::milliseconds(100);
  return p;
}

// node1 runs the group; then node2 is cut off from everything: node1's last packet came 1 s
// (deadtime) before node2 declares it dead, and so did node2's last ping answer (its ping node
// has not timed out yet).
void CutOffNode2UntilNode1IsDead(Sim& sim) {
  sim.Up({"node1", "node2"});
  Connect(sim, 1, 1);
  ASSERT_EQ(sim.Running(0), std::vector<std::string>{"node1"});
  sim.Advance(std::chrono::seconds(10));
  sim.Take("node2", sim.at("node2").SetLastPingReply(sim.now(), sim.now()));
  sim.Advance(std::chrono::seconds(1));
  sim.Crash("node1");  // (from node2's view: node1 went silent)
  sim.Settle();
}

TEST(GroupArbiterIpfail, TakeoverWaitsForAPingAnswerNewerThanTheDeadPeersLastPacket) {
  Sim sim({"node1", "node2"}, kOneGroup, IpfailDeadtime());
  CutOffNode2UntilNode1IsDead(sim);
  EXPECT_TRUE(sim.Running(0).empty());
  // node1 was last heard 1 s ago; its next packet was due 100 ms later. An answer from before
  // that changes nothing; a newer one lets node2 take over.
  for (int ago_ms : {1500, 950, 900}) {
    sim.Take("node2", sim.at("node2").SetLastPingReply(
                          sim.now(), sim.now() - std::chrono::milliseconds(ago_ms)));
    sim.Settle();
    EXPECT_TRUE(sim.Running(0).empty()) << ago_ms;
  }
  sim.Take("node2",
           sim.at("node2").SetLastPingReply(sim.now(), sim.now() - std::chrono::milliseconds(850)));
  sim.Settle();
  EXPECT_EQ(sim.Running(0), std::vector<std::string>{"node2"});
}

TEST(GroupArbiterIpfail, IsolatedNodeNeverTakesOverOnceItsPingNodesTimeOut) {
  Sim sim({"node1", "node2"}, kOneGroup, IpfailDeadtime());
  CutOffNode2UntilNode1IsDead(sim);
  sim.Advance(std::chrono::seconds(1));
  sim.Take("node2", sim.at("node2").SetConnectivity(sim.now(), "node2", 0));  // deadping
  sim.Advance(std::chrono::seconds(30));
  sim.Settle();
  EXPECT_TRUE(sim.Running(0).empty());
  EXPECT_EQ(CountLines(sim.log(), "node2: group IPaddr::192.0.2.10: not starting it"), 1u);
  // A crash seen while the network works is taken over at once (pings keep coming in).
  Sim healthy({"node1", "node2"}, kOneGroup, IpfailDeadtime());
  healthy.Up({"node1", "node2"});
  Connect(healthy, 1, 1);
  for (int i = 0; i < 20; ++i) {  // answers every keepalive, up to the moment node1 is dead
    healthy.Advance(std::chrono::milliseconds(100));
    healthy.Take("node2", healthy.at("node2").SetLastPingReply(healthy.now(), healthy.now()));
  }
  healthy.Crash("node1");
  healthy.Settle();
  EXPECT_EQ(healthy.Running(0), std::vector<std::string>{"node2"});
}

TEST(GroupArbiterIpfail, ThreeNodesWithWorkingNetworksTakeOverAtOnceOnTheNextRankedNode) {
  const std::vector<std::string> nodes = {"node1", "node2", "node3"};
  Sim sim(nodes, kOneGroup, IpfailDeadtime());
  for (const auto& at : nodes) {
    for (const auto& n : nodes)
      sim.Take(at, sim.at(at).SetConnectivity(sim.now(), n, 1));
  }
  sim.Up(nodes);
  sim.Settle();
  ASSERT_EQ(sim.Running(0), std::vector<std::string>{"node1"});
  for (int i = 0; i < 20; ++i) {  // node2 and node3 hear their ping node every keepalive
    sim.Advance(std::chrono::milliseconds(100));
    for (const auto& at : {"node2", "node3"})
      sim.Take(at, sim.at(at).SetLastPingReply(sim.now(), sim.now()));
  }
  sim.Crash("node1");
  sim.Settle();
  EXPECT_EQ(sim.Running(0), std::vector<std::string>{"node2"});
}

TEST(GroupArbiterIpfail, ANodeWhoseNetworkReturnsGivesThePeerTwoKeepalivesToBeHeard) {
  for (bool peer_alive : {true, false}) {
    Sim sim({"node1", "node2"}, kOneGroup, IpfailDeadtime());
    CutOffNode2UntilNode1IsDead(sim);  // then its ping node times out
    sim.Take("node2", sim.at("node2").SetConnectivity(sim.now(), "node2", 0));
    sim.Advance(std::chrono::seconds(3));
    // The network returns; the first ping answer arrives before node1's next keepalive.
    sim.Take("node2", sim.at("node2").SetConnectivity(sim.now(), "node2", 1));
    sim.Take("node2", sim.at("node2").SetLastPingReply(sim.now(), sim.now()));
    sim.Settle();
    EXPECT_TRUE(sim.Running(0).empty()) << peer_alive;
    ASSERT_TRUE(sim.at("node2").NextDeadline().has_value());
    EXPECT_EQ(*sim.at("node2").NextDeadline(), sim.now() + std::chrono::milliseconds(200));
    sim.Advance(std::chrono::milliseconds(100));
    sim.Take("node2", sim.at("node2").SetLastPingReply(sim.now(), sim.now()));
    sim.Settle();
    EXPECT_TRUE(sim.Running(0).empty()) << peer_alive;
    if (peer_alive) {
      // node1 was only cut off: it is heard again (here: rejoins holding nothing, as the sim
      // models it) and, being preferred, runs the group; node2 never started it.
      sim.Rejoin("node1");
      sim.Settle();
      EXPECT_EQ(sim.Running(0), std::vector<std::string>{"node1"});
      for (const auto& h : sim.history())
        EXPECT_EQ(h.find("node2 start"), std::string::npos) << sim.History();
    } else {
      sim.Advance(std::chrono::milliseconds(100));
      sim.Settle();
      EXPECT_EQ(sim.Running(0), std::vector<std::string>{"node2"});
    }
  }
}

// Reload ----------------------------------------------------------------------------------------

const GroupSpec kGroupA = {"IPaddr::192.0.2.10", "node1"};
const GroupSpec kGroupB = {"IPaddr::192.0.2.11", "node2"};

// Applies a new group set on every live node of the sim (retiring `retire` first).
void ReloadAll(Sim& sim, const std::vector<std::string>& nodes, const std::vector<GroupSpec>& next,
               ArbiterPolicy policy = {}) {
  for (const auto& n : nodes) {
    std::string error;
    sim.Take(n, sim.at(n).Reconfigure(sim.now(), next, policy, error));
    EXPECT_EQ(error, "") << n;
  }
  sim.Settle();
}

TEST(GroupArbiterReload, KeptGroupKeepsItsStateAndAddedGroupIsPlaced) {
  Sim sim({"node1", "node2"}, {kGroupA});
  sim.Up({"node1", "node2"});
  sim.Settle();
  ASSERT_EQ(sim.Running(0), std::vector<std::string>{"node1"});
  sim.Note("reload");
  ReloadAll(sim, {"node1", "node2"}, {kGroupA, kGroupB});
  EXPECT_EQ(sim.Running(0), std::vector<std::string>{"node1"});
  EXPECT_EQ(sim.Running(1), std::vector<std::string>{"node2"});
  EXPECT_EQ(sim.at("node2").Groups()[0].holder, "node1");
  EXPECT_EQ(sim.at("node1").Groups()[1].holder, "node2");
  // Group A was never stopped: the only runs after the reload are B's start on node2.
  EXPECT_EQ(sim.history(),
            (std::vector<std::string>{"node1 start 0=running", "reload", "node2 start 1=running"}));
}

TEST(GroupArbiterReload, KeptGroupKeepsItsBackoff) {
  GroupArbiter a("node1", {"node1"}, {kGroupA}, {});
  a.OnCommUp(FakeTime(0));
  auto out = a.OnRunDone(FakeTime(1), 0, RunOutcome::kStartFailed);
  ASSERT_EQ(a.Groups()[0].local_state, GroupState::kFailed);
  std::string error;
  out = a.Reconfigure(FakeTime(2), {kGroupB, kGroupA}, {}, error);
  EXPECT_EQ(error, "");
  EXPECT_EQ(a.Groups()[1].key, kGroupA.key);
  EXPECT_EQ(a.Groups()[1].local_state, GroupState::kFailed);
  EXPECT_EQ(a.Groups()[1].start_failures, 1);
  EXPECT_TRUE(a.Groups()[1].backoff_until.has_value());
}

TEST(GroupArbiterReload, RemovedGroupIsStoppedThenForgotten) {
  Sim sim({"node1", "node2"}, {kGroupA, kGroupB});
  sim.Up({"node1", "node2"});
  sim.Settle();
  ASSERT_EQ(sim.Running(1), std::vector<std::string>{"node2"});
  // Forgetting B on node2 while it runs there is refused.
  std::string error;
  auto out = sim.at("node2").Reconfigure(sim.now(), {kGroupA}, {}, error);
  EXPECT_NE(error.find("still held here"), std::string::npos) << error;
  EXPECT_EQ(sim.at("node2").Groups().size(), 2u);
  EXPECT_EQ(sim.Running(1), std::vector<std::string>{"node2"});
  // Retired: stopped, never started again anywhere meanwhile.
  sim.Note("retire");
  out = sim.at("node2").Retire(sim.now(), 1, "removed from haresources");
  ASSERT_EQ(out.commands.size(), 1u);
  EXPECT_EQ(out.commands[0].kind, Command::Kind::kStop);
  EXPECT_TRUE(sim.at("node2").Retired(1));
  sim.Take("node2", std::move(out));
  sim.Settle();
  EXPECT_TRUE(sim.Running(1).empty());
  EXPECT_EQ(sim.at("node2").Groups()[1].local_state, GroupState::kStopped);
  // node1, still on the old set, does not take it: B's preferred node2 is eligible by its
  // report. Then both take the new set.
  ReloadAll(sim, {"node1", "node2"}, {kGroupA});
  EXPECT_EQ(sim.at("node2").Groups().size(), 1u);
  EXPECT_EQ(sim.Running(0), std::vector<std::string>{"node1"});
  EXPECT_EQ(sim.at("node2").Report().groups.count(kGroupB.key), 0u);
}

TEST(GroupArbiterReload, ChangedLineIsRemovedThenAddedAndPlacedByTheNewRules) {
  Sim sim({"node1", "node2"}, {kGroupA});
  sim.Up({"node1", "node2"});
  sim.Settle();
  // The same key now prefers node2: node1 stops the old definition, then node2 starts the new.
  GroupSpec moved = {kGroupA.key, "node2"};
  sim.Take("node1", sim.at("node1").Retire(sim.now(), 0, "its haresources line changed"));
  sim.Take("node2", sim.at("node2").Retire(sim.now(), 0, "its haresources line changed"));
  sim.Settle();
  EXPECT_TRUE(sim.Running(0).empty());
  ReloadAll(sim, {"node1", "node2"}, {moved});
  EXPECT_EQ(sim.Running(0), std::vector<std::string>{"node2"});
  EXPECT_EQ(sim.at("node1").Groups()[0].preferred_node, "node2");
}

TEST(GroupArbiterReload, APeerAnnouncingAnUnknownKeyIsIgnored) {
  GroupArbiter a("node1", {"node1", "node2"}, {kGroupB}, {});
  a.OnNodeAlive(FakeTime(0), "node2");
  a.OnCommUp(FakeTime(0));
  NodeReport report;
  report.version = 5;
  report.groups[kGroupA.key] = {GroupState::kRunning, ""};  // not ours any more
  report.groups[kGroupB.key] = {GroupState::kStopped, ""};
  a.OnPeerReport(FakeTime(1), "node2", report);
  ASSERT_EQ(a.Groups().size(), 1u);
  EXPECT_EQ(a.Groups()[0].key, kGroupB.key);
  EXPECT_EQ(a.Groups()[0].holder, "");
  EXPECT_EQ(a.Report().groups.count(kGroupA.key), 0u);
  // B prefers node2, which runs nothing of it: node1 does not take it.
  EXPECT_EQ(a.Groups()[0].local_state, GroupState::kStopped);
  // A group of ours the peer's report lacks counts as stopped there: ours starts here.
  std::string error;
  auto out = a.Reconfigure(FakeTime(2), {kGroupB, {"IPaddr::192.0.2.12", "node1"}}, {}, error);
  EXPECT_EQ(error, "");
  EXPECT_EQ(a.Groups()[1].local_state, GroupState::kStarting);
  EXPECT_TRUE(out.report_changed);
}

TEST(GroupArbiterReload, RetireWithdrawsAClaimAndNeverStartsItAgain) {
  GroupArbiter a("node1", {"node1", "node2"}, {kGroupA}, {});
  a.OnNodeAlive(FakeTime(0), "node2");
  a.OnCommUp(FakeTime(0));
  a.OnPeerReport(FakeTime(1), "node2", {});
  ASSERT_EQ(a.Groups()[0].local_state, GroupState::kStarting);
  auto out = a.Retire(FakeTime(2), 0, "removed from haresources");
  EXPECT_TRUE(out.commands.empty());
  EXPECT_EQ(a.Groups()[0].local_state, GroupState::kStopped);
  NodeReport ack;
  ack.version = 3;
  ack.seen["node1"] = a.Report().version;
  out = a.OnPeerReport(FakeTime(3), "node2", ack);
  EXPECT_TRUE(out.commands.empty());
  EXPECT_EQ(a.Groups()[0].local_state, GroupState::kStopped);
}

}  // namespace
}  // namespace hbd::arbiter

namespace hbd::arbiter {
namespace {

TEST(GroupArbiter, TakeoverOfOneGroupLeavesTheOthers) {
  Sim sim({"node1", "node2"}, {{"a", "node1"}, {"b", "node1"}});
  sim.Up({"node1", "node2"});
  sim.Settle();
  ASSERT_EQ(sim.Running(0), std::vector<std::string>{"node1"});
  ASSERT_EQ(sim.Running(1), std::vector<std::string>{"node1"});
  std::string error;
  sim.Take("node2", sim.at("node2").Takeover(sim.now(), MoveSet::kAll, error, "b"));
  ASSERT_EQ(error, "");
  sim.Settle();
  EXPECT_EQ(sim.Running(0), std::vector<std::string>{"node1"});
  EXPECT_EQ(sim.Running(1), std::vector<std::string>{"node2"});
}

}  // namespace
}  // namespace hbd::arbiter

namespace hbd::arbiter {
namespace {

ArbiterPolicy FailbackHeldDown(bool ipfail) {
  ArbiterPolicy p;
  p.auto_failback = config::AutoFailback::kOn;
  p.ipfail = ipfail;
  p.ipfail_hold_down = std::chrono::seconds(1);
  p.failback_hold_down = std::chrono::seconds(5);
  return p;
}

void SetLinks(Sim& sim, int n1, int n2) {
  for (const auto& at : {"node1", "node2"}) {
    sim.Take(at, sim.at(at).SetConnectivity(sim.now(), "node1", n1));
    sim.Take(at, sim.at(at).SetConnectivity(sim.now(), "node2", n2));
  }
  sim.Settle();
}

TEST(GroupArbiterFailbackHoldDown, FailbackWaitsUntilThePreferredNodeHasStayedUp) {
  Sim sim({"node1", "node2"}, kOneGroup, FailbackHeldDown(false));
  sim.Up({"node1", "node2"});
  sim.Settle();
  sim.Crash("node1");
  sim.Settle();
  ASSERT_EQ(sim.Running(0), std::vector<std::string>{"node2"});
  sim.Rejoin("node1");
  sim.Settle();
  EXPECT_EQ(sim.Running(0), std::vector<std::string>{"node2"});
  ASSERT_TRUE(sim.at("node2").NextDeadline().has_value());
  EXPECT_EQ(*sim.at("node2").NextDeadline(), sim.now() + std::chrono::seconds(5));
  // node1 flaps: gone again after 4 s, back at once; the hold-down starts over.
  sim.Advance(std::chrono::seconds(4));
  sim.Settle();
  EXPECT_EQ(sim.Running(0), std::vector<std::string>{"node2"});
  sim.Crash("node1");
  sim.Settle();
  sim.Rejoin("node1");
  sim.Settle();
  sim.Advance(std::chrono::seconds(4));
  sim.Settle();
  EXPECT_EQ(sim.Running(0), std::vector<std::string>{"node2"});
  sim.Advance(std::chrono::seconds(1));
  sim.Settle();
  EXPECT_EQ(sim.Running(0), std::vector<std::string>{"node1"});
  // One failover, one failback: node2 started once and stopped once.
  int node2_starts = 0, node2_stops = 0;
  for (const auto& h : sim.history()) {
    node2_starts += h.rfind("node2 start", 0) == 0;
    node2_stops += h.rfind("node2 stop", 0) == 0;
  }
  EXPECT_EQ(node2_starts, 1) << sim.History();
  EXPECT_EQ(node2_stops, 1) << sim.History();
  bool announced = false;
  for (const auto& line : sim.log())
    announced |= line.find("auto_failback once it has stayed so for 5000 ms") != std::string::npos;
  EXPECT_TRUE(announced);
}

TEST(GroupArbiterFailbackHoldDown, FlappingUplinkMovesTheGroupAwayOnceAndBackOnce) {
  Sim sim({"node1", "node2"}, kOneGroup, FailbackHeldDown(true));
  sim.Up({"node1", "node2"});
  SetLinks(sim, 1, 1);
  ASSERT_EQ(sim.Running(0), std::vector<std::string>{"node1"});
  for (int flap = 0; flap < 6; ++flap) {
    SetLinks(sim, 0, 1);  // node1 loses its router for 2.5 s ...
    sim.Advance(std::chrono::milliseconds(2500));
    sim.Settle();
    EXPECT_EQ(sim.Running(0), std::vector<std::string>{"node2"}) << "flap " << flap;
    SetLinks(sim, 1, 1);  // ... and has it back for 2.5 s
    sim.Advance(std::chrono::milliseconds(2500));
    sim.Settle();
    EXPECT_EQ(sim.Running(0), std::vector<std::string>{"node2"}) << "flap " << flap;
  }
  sim.Advance(std::chrono::milliseconds(2500));
  sim.Settle();
  EXPECT_EQ(sim.Running(0), std::vector<std::string>{"node1"});
  int starts = 0;
  for (const auto& h : sim.history())
    starts += h.find(" start ") != std::string::npos;
  EXPECT_EQ(starts, 3) << sim.History();  // node1, node2 (ipfail), node1 (failback)
}

TEST(GroupArbiterFailbackHoldDown, AReloadChangingOnlyTheHoldDownMovesNothing) {
  const std::vector<GroupSpec> groups = {kGroupA, kGroupB};
  Sim sim({"node1", "node2"}, groups, FailbackHeldDown(false));
  sim.Up({"node1", "node2"});
  sim.Settle();
  ASSERT_EQ(sim.Running(0), std::vector<std::string>{"node1"});
  ASSERT_EQ(sim.Running(1), std::vector<std::string>{"node2"});
  ArbiterPolicy longer = FailbackHeldDown(false);
  longer.failback_hold_down = std::chrono::seconds(60);
  sim.Note("reload");
  ReloadAll(sim, {"node1", "node2"}, groups, longer);
  EXPECT_EQ(sim.history().back(), "reload") << sim.History();
  EXPECT_EQ(sim.pending(), 0u);

  // A failback under way keeps its countdown and follows the new hold-down.
  sim.Crash("node1");
  sim.Settle();
  sim.Rejoin("node1");
  sim.Settle();
  ASSERT_EQ(sim.Running(0), std::vector<std::string>{"node2"});
  sim.Advance(std::chrono::seconds(2));
  sim.Settle();
  ArbiterPolicy shorter = FailbackHeldDown(false);
  shorter.failback_hold_down = std::chrono::seconds(10);
  ReloadAll(sim, {"node1", "node2"}, groups, shorter);
  EXPECT_EQ(sim.Running(0), std::vector<std::string>{"node2"});
  ASSERT_TRUE(sim.at("node2").NextDeadline().has_value());
  EXPECT_EQ(*sim.at("node2").NextDeadline(), sim.now() + std::chrono::seconds(8));
  sim.Advance(std::chrono::seconds(7));
  sim.Settle();
  EXPECT_EQ(sim.Running(0), std::vector<std::string>{"node2"});
  sim.Advance(std::chrono::seconds(1));
  sim.Settle();
  EXPECT_EQ(sim.Running(0), std::vector<std::string>{"node1"});
  EXPECT_EQ(sim.Running(1), std::vector<std::string>{"node2"});
}

TEST(GroupArbiterFailbackHoldDown, ZeroHoldDownFailsBackAtOnce) {
  ArbiterPolicy p = FailbackHeldDown(false);
  p.failback_hold_down = Duration::zero();
  Sim sim({"node1", "node2"}, kOneGroup, p);
  sim.Up({"node1", "node2"});
  sim.Settle();
  sim.Crash("node1");
  sim.Settle();
  sim.Rejoin("node1");
  sim.Settle();
  EXPECT_EQ(sim.Running(0), std::vector<std::string>{"node1"});
}

}  // namespace
}  // namespace hbd::arbiter
