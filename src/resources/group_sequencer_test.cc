#include "resources/group_sequencer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <set>
#include <string>
#include <vector>

namespace hbd::resources {
namespace {

using std::chrono::milliseconds;
using Trace = std::vector<std::string>;

const std::vector<std::string> kGroup = {"IPaddr::192.0.2.10", "Filesystem::/dev/sdb1", "mysql",
                                         "apache"};

// Plays the scripts: every action succeeds unless told otherwise.
struct FakeScripts {
  std::set<std::string> failing_starts;
  std::map<std::string, int> stop_failures;  // failures before a stop succeeds
  std::map<std::string, bool> status_running;
  std::set<std::string> unreadable_status;
  std::set<std::string> unrunnable_starts;      // the script cannot be started at all
  std::map<std::string, int> unrunnable_stops;  // stops that cannot be run before one can
};

std::string Describe(const Step& step, const std::vector<std::string>& names) {
  switch (step.kind) {
    case Step::kDone:
      return "done";
    case Step::kWait:
      return "wait " + std::to_string(step.delay.count());
    case Step::kRunAction:
      break;
  }
  const char* word = step.action == Action::kStart  ? "start "
                     : step.action == Action::kStop ? "stop "
                                                    : "status ";
  return word + names.at(step.resource);
}

// Drives `seq` to its end (at most 1000 steps) and returns what it asked for.
Trace Drive(GroupSequencer& seq, const std::vector<std::string>& names, FakeScripts scripts) {
  Trace trace;
  for (int n = 0; n < 1000 && !seq.Done(); ++n) {
    const Step step = seq.Next();
    trace.push_back(Describe(step, names));
    if (step.kind == Step::kWait) {
      seq.Resume();
      continue;
    }
    const std::string& name = names.at(step.resource);
    switch (step.action) {
      case Action::kStart:
        if (scripts.unrunnable_starts.count(name)) {
          seq.OnActionNotRun("cannot create a pipe: Too many open files");
          break;
        }
        seq.OnActionResult(!scripts.failing_starts.count(name), false, "exit 1");
        break;
      case Action::kStop: {
        int& unrunnable = scripts.unrunnable_stops[name];
        if (unrunnable > 0) {
          --unrunnable;
          seq.OnActionNotRun("cannot fork: Resource temporarily unavailable");
          break;
        }
        int& failures = scripts.stop_failures[name];
        seq.OnActionResult(failures == 0, false, "exit 1");
        if (failures > 0) {
          --failures;
        }
        break;
      }
      case Action::kStatus:
        seq.OnActionResult(!scripts.unreadable_status.count(name), scripts.status_running[name],
                           "timed out");
        break;
    }
  }
  return trace;
}

TEST(GroupSequencerTest, StartsLeftToRight) {
  GroupSequencer seq(kGroup, GroupOp::kStart, {});
  EXPECT_FALSE(seq.Done());
  EXPECT_EQ(Drive(seq, kGroup, {}),
            (Trace{"start IPaddr::192.0.2.10", "start Filesystem::/dev/sdb1", "start mysql",
                   "start apache"}));
  ASSERT_TRUE(seq.Done());
  EXPECT_EQ(seq.Next().kind, Step::kDone);
  EXPECT_EQ(seq.Result().outcome, Outcome::kRunning);
  EXPECT_FALSE(seq.Result().failed_resource.has_value());
  EXPECT_TRUE(seq.Result().log.empty());
}

TEST(GroupSequencerTest, StartFailureAtFirstResourceStopsOnlyIt) {
  GroupSequencer seq(kGroup, GroupOp::kStart, {});
  FakeScripts scripts;
  scripts.failing_starts = {"IPaddr::192.0.2.10"};
  EXPECT_EQ(Drive(seq, kGroup, scripts),
            (Trace{"start IPaddr::192.0.2.10", "stop IPaddr::192.0.2.10"}));
  EXPECT_EQ(seq.Result().outcome, Outcome::kStartFailed);
  EXPECT_EQ(seq.Result().failed_resource, 0u);
  ASSERT_EQ(seq.Result().log.size(), 1u);
  EXPECT_EQ(seq.Result().log[0], "start of IPaddr::192.0.2.10 failed (exit 1); stopping it");
}

TEST(GroupSequencerTest, StartFailureInTheMiddleStopsItAndEverythingLeftRightToLeft) {
  GroupSequencer seq(kGroup, GroupOp::kStart, {});
  FakeScripts scripts;
  scripts.failing_starts = {"mysql"};
  EXPECT_EQ(Drive(seq, kGroup, scripts),
            (Trace{"start IPaddr::192.0.2.10", "start Filesystem::/dev/sdb1", "start mysql",
                   "stop mysql", "stop Filesystem::/dev/sdb1", "stop IPaddr::192.0.2.10"}));
  EXPECT_EQ(seq.Result().outcome, Outcome::kStartFailed);
  EXPECT_EQ(seq.Result().failed_resource, 2u);
  ASSERT_EQ(seq.Result().log.size(), 1u);
  EXPECT_EQ(seq.Result().log[0],
            "start of mysql failed (exit 1); stopping it and the 2 resources started before it");
}

TEST(GroupSequencerTest, StartFailureAtLastResourceStopsTheWholeGroup) {
  GroupSequencer seq(kGroup, GroupOp::kStart, {});
  FakeScripts scripts;
  scripts.failing_starts = {"apache"};
  EXPECT_EQ(Drive(seq, kGroup, scripts),
            (Trace{"start IPaddr::192.0.2.10", "start Filesystem::/dev/sdb1", "start mysql",
                   "start apache", "stop apache", "stop mysql", "stop Filesystem::/dev/sdb1",
                   "stop IPaddr::192.0.2.10"}));
  EXPECT_EQ(seq.Result().outcome, Outcome::kStartFailed);
  EXPECT_EQ(seq.Result().failed_resource, 3u);
}

TEST(GroupSequencerTest, StartThatCouldNotRunAtFirstResourceStopsNothing) {
  GroupSequencer seq(kGroup, GroupOp::kStart, {});
  FakeScripts scripts;
  scripts.unrunnable_starts = {"IPaddr::192.0.2.10"};
  EXPECT_EQ(Drive(seq, kGroup, scripts), (Trace{"start IPaddr::192.0.2.10"}));
  EXPECT_EQ(seq.Result().outcome, Outcome::kStartFailed);
  EXPECT_EQ(seq.Result().failed_resource, 0u);
  ASSERT_EQ(seq.Result().log.size(), 1u);
  EXPECT_EQ(seq.Result().log[0],
            "start of IPaddr::192.0.2.10 could not be run (cannot create a pipe: Too many open "
            "files); nothing was started");
}

TEST(GroupSequencerTest, StartThatCouldNotRunInTheMiddleStopsOnlyThoseStartedBeforeIt) {
  GroupSequencer seq(kGroup, GroupOp::kStart, {});
  FakeScripts scripts;
  scripts.unrunnable_starts = {"mysql"};
  EXPECT_EQ(Drive(seq, kGroup, scripts),
            (Trace{"start IPaddr::192.0.2.10", "start Filesystem::/dev/sdb1", "start mysql",
                   "stop Filesystem::/dev/sdb1", "stop IPaddr::192.0.2.10"}));
  EXPECT_EQ(seq.Result().outcome, Outcome::kStartFailed);
  EXPECT_EQ(seq.Result().failed_resource, 2u);
  ASSERT_EQ(seq.Result().log.size(), 1u);
  EXPECT_EQ(seq.Result().log[0],
            "start of mysql could not be run (cannot create a pipe: Too many open files); "
            "stopping the 2 resources started before it");
}

TEST(GroupSequencerTest, StopThatCouldNotRunIsRetriedLikeAFailedStop) {
  GroupSequencer seq(kGroup, GroupOp::kStop, {2, milliseconds(100)});
  FakeScripts scripts;
  scripts.unrunnable_stops["apache"] = 1;
  EXPECT_EQ(Drive(seq, kGroup, scripts),
            (Trace{"stop apache", "wait 100", "stop apache", "stop mysql",
                   "stop Filesystem::/dev/sdb1", "stop IPaddr::192.0.2.10"}));
  EXPECT_EQ(seq.Result().outcome, Outcome::kStopped);
}

TEST(GroupSequencerTest, NotRunIsIgnoredOutsideAnActionStep) {
  GroupSequencer seq({"a"}, GroupOp::kStop, {1, milliseconds(100)});
  seq.OnActionResult(false);
  ASSERT_EQ(seq.Next().kind, Step::kWait);
  seq.OnActionNotRun("x");
  EXPECT_EQ(seq.Next().kind, Step::kWait);
}

TEST(GroupSequencerTest, StopsRightToLeft) {
  GroupSequencer seq(kGroup, GroupOp::kStop, {});
  EXPECT_EQ(Drive(seq, kGroup, {}),
            (Trace{"stop apache", "stop mysql", "stop Filesystem::/dev/sdb1",
                   "stop IPaddr::192.0.2.10"}));
  EXPECT_EQ(seq.Result().outcome, Outcome::kStopped);
  EXPECT_FALSE(seq.Result().failed_resource.has_value());
  EXPECT_TRUE(seq.Result().log.empty());
}

TEST(GroupSequencerTest, FailedStopIsRetriedAfterTheDelayUntilItSucceeds) {
  GroupSequencer seq(kGroup, GroupOp::kStop, {});  // Heartbeat's 10 retries 1 s apart
  FakeScripts scripts;
  scripts.stop_failures["mysql"] = 3;
  EXPECT_EQ(
      Drive(seq, kGroup, scripts),
      (Trace{"stop apache", "stop mysql", "wait 1000", "stop mysql", "wait 1000", "stop mysql",
             "wait 1000", "stop mysql", "stop Filesystem::/dev/sdb1", "stop IPaddr::192.0.2.10"}));
  EXPECT_EQ(seq.Result().outcome, Outcome::kStopped);
  EXPECT_EQ(seq.Result().log, (Trace{"stop of mysql failed (exit 1), retry 1 of 10 in 1000 ms",
                                     "stop of mysql failed (exit 1), retry 2 of 10 in 1000 ms",
                                     "stop of mysql failed (exit 1), retry 3 of 10 in 1000 ms",
                                     "stop of mysql succeeded on retry 3"}));
}

TEST(GroupSequencerTest, WaitStepNamesTheResourceAndCarriesTheDelay) {
  GroupSequencer seq({"a", "b"}, GroupOp::kStop,
                     {.stop_retries = 2, .stop_retry_delay = milliseconds(250)});
  seq.OnActionResult(false);
  const Step step = seq.Next();
  EXPECT_EQ(step.kind, Step::kWait);
  EXPECT_EQ(step.resource, 1u);
  EXPECT_EQ(step.delay, milliseconds(250));
  seq.Resume();
  EXPECT_EQ(seq.Next().kind, Step::kRunAction);
  EXPECT_EQ(seq.Next().action, Action::kStop);
  EXPECT_EQ(seq.Next().resource, 1u);
}

TEST(GroupSequencerTest, ExhaustedStopWithStatusStoppedCarriesOnWithAWarning) {
  GroupSequencer seq(kGroup, GroupOp::kStop,
                     {.stop_retries = 2, .stop_retry_delay = milliseconds(500)});
  FakeScripts scripts;
  scripts.stop_failures["mysql"] = 1000;
  scripts.status_running["mysql"] = false;
  EXPECT_EQ(Drive(seq, kGroup, scripts),
            (Trace{"stop apache", "stop mysql", "wait 500", "stop mysql", "wait 500", "stop mysql",
                   "status mysql", "stop Filesystem::/dev/sdb1", "stop IPaddr::192.0.2.10"}));
  EXPECT_EQ(seq.Result().outcome, Outcome::kStopped);
  EXPECT_EQ(seq.Result().log,
            (Trace{"stop of mysql failed (exit 1), retry 1 of 2 in 500 ms",
                   "stop of mysql failed (exit 1), retry 2 of 2 in 500 ms",
                   "stop of mysql failed (exit 1) and all 2 retries are used up; asking its status",
                   "mysql: stop failed but status says stopped; carrying on (script not "
                   "LSB-compliant?)"}));
}

TEST(GroupSequencerTest, ExhaustedStopWithStatusRunningEscalatesAndLeavesTheLeftAlone) {
  GroupSequencer seq(kGroup, GroupOp::kStop, {});
  FakeScripts scripts;
  scripts.stop_failures["mysql"] = 1000;
  scripts.status_running["mysql"] = true;
  const Trace trace = Drive(seq, kGroup, scripts);
  ASSERT_EQ(trace.size(), 1u + 11u + 10u + 1u);  // apache, 11 stops of mysql, 10 waits, status
  EXPECT_EQ(trace.front(), "stop apache");
  EXPECT_EQ(trace.back(), "status mysql");
  EXPECT_EQ(std::count(trace.begin(), trace.end(), "stop mysql"), 11);
  EXPECT_EQ(std::count(trace.begin(), trace.end(), "wait 1000"), 10);
  EXPECT_EQ(std::count(trace.begin(), trace.end(), "stop Filesystem::/dev/sdb1"), 0);
  EXPECT_EQ(seq.Result().outcome, Outcome::kStopFailed);
  EXPECT_EQ(seq.Result().failed_resource, 2u);
  ASSERT_GE(seq.Result().log.size(), 2u);
  EXPECT_EQ(seq.Result().log[seq.Result().log.size() - 2],
            "mysql: stop failed and status says running");
  EXPECT_EQ(seq.Result().log.back(), "leaving the 2 resources to the left of mysql as they are");
}

TEST(GroupSequencerTest, UnreadableStatusCountsAsRunning) {
  GroupSequencer seq({"a", "b"}, GroupOp::kStop, {.stop_retries = 0});
  FakeScripts scripts;
  scripts.stop_failures["b"] = 1;
  scripts.unreadable_status = {"b"};
  EXPECT_EQ(Drive(seq, {"a", "b"}, scripts), (Trace{"stop b", "status b"}));
  EXPECT_EQ(seq.Result().outcome, Outcome::kStopFailed);
  EXPECT_EQ(seq.Result().failed_resource, 1u);
  EXPECT_EQ(seq.Result().log[1],
            "b: stop failed and its status could not be read (timed out); taking it as running");
}

TEST(GroupSequencerTest, ExhaustedStopAtTheLeftmostResourceHasNoOneToLeaveAlone) {
  GroupSequencer seq({"a"}, GroupOp::kStop, {.stop_retries = 0});
  FakeScripts scripts;
  scripts.stop_failures["a"] = 1;
  scripts.status_running["a"] = true;
  EXPECT_EQ(Drive(seq, {"a"}, scripts), (Trace{"stop a", "status a"}));
  EXPECT_EQ(seq.Result().outcome, Outcome::kStopFailed);
  EXPECT_EQ(seq.Result().failed_resource, 0u);
  EXPECT_EQ(seq.Result().log.back(), "a: stop failed and status says running");
}

TEST(GroupSequencerTest, NegativeRetriesAndDelayCountAsZero) {
  GroupSequencer seq({"a"}, GroupOp::kStop,
                     {.stop_retries = -1, .stop_retry_delay = milliseconds(-5)});
  FakeScripts scripts;
  scripts.stop_failures["a"] = 1;
  EXPECT_EQ(Drive(seq, {"a"}, scripts), (Trace{"stop a", "status a"}));
  EXPECT_EQ(seq.Result().outcome, Outcome::kStopped);

  GroupSequencer waits({"a"}, GroupOp::kStop,
                       {.stop_retries = 1, .stop_retry_delay = milliseconds(-5)});
  waits.OnActionResult(false);
  EXPECT_EQ(waits.Next().kind, Step::kWait);
  EXPECT_EQ(waits.Next().delay, milliseconds(0));
}

TEST(GroupSequencerTest, StartFailureWhoseCleanupStopFailsStopsThere) {
  GroupSequencer seq(kGroup, GroupOp::kStart,
                     {.stop_retries = 1, .stop_retry_delay = milliseconds(100)});
  FakeScripts scripts;
  scripts.failing_starts = {"apache"};
  scripts.stop_failures["mysql"] = 1000;
  scripts.status_running["mysql"] = true;
  EXPECT_EQ(Drive(seq, kGroup, scripts),
            (Trace{"start IPaddr::192.0.2.10", "start Filesystem::/dev/sdb1", "start mysql",
                   "start apache", "stop apache", "stop mysql", "wait 100", "stop mysql",
                   "status mysql"}));
  EXPECT_EQ(seq.Result().outcome, Outcome::kStartFailedAndStopFailed);
  EXPECT_EQ(seq.Result().failed_resource, 2u);
  EXPECT_EQ(seq.Result().log.front(),
            "start of apache failed (exit 1); stopping it and the 3 resources started before it");
}

TEST(GroupSequencerTest, StartFailureWhoseCleanupStopIsNotLsbCompliantStillEndsStartFailed) {
  GroupSequencer seq(kGroup, GroupOp::kStart, {.stop_retries = 0});
  FakeScripts scripts;
  scripts.failing_starts = {"mysql"};
  scripts.stop_failures["mysql"] = 1;  // a half-started mysql will not stop, but is not running
  EXPECT_EQ(
      Drive(seq, kGroup, scripts),
      (Trace{"start IPaddr::192.0.2.10", "start Filesystem::/dev/sdb1", "start mysql", "stop mysql",
             "status mysql", "stop Filesystem::/dev/sdb1", "stop IPaddr::192.0.2.10"}));
  EXPECT_EQ(seq.Result().outcome, Outcome::kStartFailed);
  EXPECT_EQ(seq.Result().failed_resource, 2u);
}

TEST(GroupSequencerTest, AbortDuringStartStopsWhatWasStartedIncludingTheOneInFlight) {
  GroupSequencer seq(kGroup, GroupOp::kStart, {});
  seq.OnActionResult(true);  // IPaddr started
  EXPECT_EQ(Describe(seq.Next(), kGroup), "start Filesystem::/dev/sdb1");
  seq.Abort();
  seq.Abort();  // twice is the same as once
  EXPECT_EQ(Describe(seq.Next(), kGroup), "start Filesystem::/dev/sdb1");  // still in flight
  seq.OnActionResult(true);
  EXPECT_EQ(Drive(seq, kGroup, {}),
            (Trace{"stop Filesystem::/dev/sdb1", "stop IPaddr::192.0.2.10"}));
  EXPECT_EQ(seq.Result().outcome, Outcome::kAborted);
  EXPECT_FALSE(seq.Result().failed_resource.has_value());
  EXPECT_EQ(seq.Result().log,
            (Trace{"start of the group abandoned after Filesystem::/dev/sdb1 started; stopping "
                   "the 2 resources started so far"}));
}

TEST(GroupSequencerTest, AbortWhileTheStartInFlightFailsIsAStartFailure) {
  GroupSequencer seq(kGroup, GroupOp::kStart, {});
  seq.OnActionResult(true);
  seq.Abort();
  seq.OnActionResult(false, false, "exit 1");
  EXPECT_EQ(Drive(seq, kGroup, {}),
            (Trace{"stop Filesystem::/dev/sdb1", "stop IPaddr::192.0.2.10"}));
  EXPECT_EQ(seq.Result().outcome, Outcome::kStartFailed);
  EXPECT_EQ(seq.Result().failed_resource, 1u);
}

TEST(GroupSequencerTest, AbortOfTheFirstStartStopsIt) {
  GroupSequencer seq(kGroup, GroupOp::kStart, {});
  seq.Abort();
  EXPECT_EQ(Drive(seq, kGroup, {}), (Trace{"start IPaddr::192.0.2.10", "stop IPaddr::192.0.2.10"}));
  EXPECT_EQ(seq.Result().outcome, Outcome::kAborted);
}

TEST(GroupSequencerTest, AbortIsIgnoredOutsideAStart) {
  GroupSequencer stop(kGroup, GroupOp::kStop, {});
  stop.Abort();
  EXPECT_EQ(Drive(stop, kGroup, {}).size(), 4u);
  EXPECT_EQ(stop.Result().outcome, Outcome::kStopped);

  GroupSequencer cleanup(kGroup, GroupOp::kStart, {});
  cleanup.OnActionResult(true);
  cleanup.OnActionResult(false);  // Filesystem fails: cleanup begins
  cleanup.Abort();
  EXPECT_EQ(Drive(cleanup, kGroup, {}),
            (Trace{"stop Filesystem::/dev/sdb1", "stop IPaddr::192.0.2.10"}));
  EXPECT_EQ(cleanup.Result().outcome, Outcome::kStartFailed);

  GroupSequencer done(kGroup, GroupOp::kStart, {});
  Drive(done, kGroup, {});
  done.Abort();
  EXPECT_TRUE(done.Done());
  EXPECT_EQ(done.Result().outcome, Outcome::kRunning);
}

TEST(GroupSequencerTest, AbortedCleanupStopThatFailsEscalates) {
  GroupSequencer seq({"a", "b"}, GroupOp::kStart, {.stop_retries = 0});
  seq.OnActionResult(true);
  seq.Abort();
  FakeScripts scripts;
  scripts.stop_failures["b"] = 1;
  scripts.status_running["b"] = true;
  EXPECT_EQ(Drive(seq, {"a", "b"}, scripts), (Trace{"start b", "stop b", "status b"}));
  EXPECT_EQ(seq.Result().outcome, Outcome::kStopFailed);
  EXPECT_EQ(seq.Result().failed_resource, 1u);
}

TEST(GroupSequencerTest, EmptyGroupIsDoneAtOnce) {
  GroupSequencer start({}, GroupOp::kStart, {});
  EXPECT_TRUE(start.Done());
  EXPECT_EQ(start.Next().kind, Step::kDone);
  EXPECT_EQ(start.Result().outcome, Outcome::kRunning);
  start.Abort();
  start.OnActionResult(false);
  EXPECT_EQ(start.Result().outcome, Outcome::kRunning);

  GroupSequencer stop({}, GroupOp::kStop, {});
  EXPECT_TRUE(stop.Done());
  EXPECT_EQ(stop.Result().outcome, Outcome::kStopped);
  EXPECT_TRUE(stop.Result().log.empty());
}

TEST(GroupSequencerTest, MisplacedCallsAreIgnored) {
  GroupSequencer seq({"a", "b"}, GroupOp::kStop, {.stop_retries = 1});
  seq.Resume();  // not waiting
  EXPECT_EQ(Describe(seq.Next(), {"a", "b"}), "stop b");
  seq.OnActionResult(false);
  EXPECT_EQ(seq.Next().kind, Step::kWait);
  seq.OnActionResult(true);  // nothing is running during a wait
  seq.OnActionResult(false);
  EXPECT_EQ(seq.Next().kind, Step::kWait);
  EXPECT_EQ(seq.Result().log.size(), 1u);
  seq.Resume();
  seq.Resume();  // the second one is not waiting any more
  EXPECT_EQ(Describe(seq.Next(), {"a", "b"}), "stop b");
  seq.OnActionResult(true);
  seq.OnActionResult(true);
  EXPECT_TRUE(seq.Done());
  const GroupResult before = seq.Result();
  seq.OnActionResult(false);
  seq.Resume();
  seq.Abort();
  EXPECT_TRUE(seq.Done());
  EXPECT_EQ(seq.Result().outcome, Outcome::kStopped);
  EXPECT_EQ(seq.Result().log, before.log);
}

TEST(GroupSequencerTest, OutcomesHaveOperatorNames) {
  EXPECT_STREQ(ToString(Outcome::kRunning), "running");
  EXPECT_STREQ(ToString(Outcome::kStopped), "stopped");
  EXPECT_STREQ(ToString(Outcome::kStartFailed), "start failed");
  EXPECT_STREQ(ToString(Outcome::kAborted), "start abandoned");
  EXPECT_STREQ(ToString(Outcome::kStopFailed), "stop failed");
  EXPECT_STREQ(ToString(Outcome::kStartFailedAndStopFailed), "start failed and stop failed");
}

// Random answers, random aborts, random misplaced calls: the sequencer always ends within a
// bound, starts nothing twice and in order, never starts during a stop, stops right to left, and
// leaves nothing it started running unless it reports a resource that would not stop.
TEST(GroupSequencerTest, PropertiesHoldForRandomAnswers) {
  std::mt19937 rng(20240611);
  auto chance = [&rng](int percent) {
    return std::uniform_int_distribution<int>(0, 99)(rng) < percent;
  };
  std::map<Outcome, int> seen;
  for (int round = 0; round < 3000; ++round) {
    const size_t n = std::uniform_int_distribution<size_t>(0, 6)(rng);
    const int retries = std::uniform_int_distribution<int>(-1, 4)(rng);
    const GroupOp op = chance(50) ? GroupOp::kStart : GroupOp::kStop;
    std::vector<std::string> names;
    for (size_t i = 0; i < n; ++i) {
      names.push_back("r" + std::to_string(i));
    }
    GroupSequencer seq(names, op, {.stop_retries = retries, .stop_retry_delay = milliseconds(7)});
    SCOPED_TRACE("round " + std::to_string(round));

    // Per resource: started (start answered ok or failed), stopped (stop ok or status "stopped").
    std::vector<bool> touched(n, false), stopped(n, false);
    std::vector<int> starts(n, 0);
    bool stopping = op == GroupOp::kStop;
    bool any_start_failed = false;
    std::optional<size_t> last_stopped;
    const size_t bound = n + n * (2 * static_cast<size_t>(std::max(retries, 0)) + 2) + 1;
    size_t steps = 0;
    while (!seq.Done()) {
      ASSERT_LE(++steps, bound);
      if (chance(5)) {
        seq.Abort();
      }
      if (chance(5)) {  // misplaced calls must not change anything
        const Step before = seq.Next();
        if (before.kind == Step::kRunAction) {
          seq.Resume();
        } else {
          seq.OnActionResult(chance(50), chance(50));
        }
        ASSERT_EQ(Describe(seq.Next(), names), Describe(before, names));
      }
      const Step step = seq.Next();
      ASSERT_LT(step.resource, n);
      if (step.kind == Step::kWait) {
        ASSERT_TRUE(stopping);
        ASSERT_EQ(step.delay, milliseconds(7));
        seq.Resume();
        continue;
      }
      const bool ok = chance(70);
      const bool running = chance(50);
      switch (step.action) {
        case Action::kStart:
          ASSERT_FALSE(stopping) << "start issued during a stop";
          ASSERT_EQ(starts[step.resource]++, 0) << "started twice";
          ASSERT_TRUE(step.resource == 0 || touched[step.resource - 1]);
          touched[step.resource] = true;
          if (!ok) {
            any_start_failed = true;
          }
          break;
        case Action::kStop:
          ASSERT_TRUE(last_stopped || op == GroupOp::kStart || step.resource + 1 == n);
          if (!stopping) {
            // The first stop of a start is of the last resource touched.
            ASSERT_TRUE(touched[step.resource]);
            ASSERT_TRUE(step.resource + 1 == n || !touched[step.resource + 1]);
            stopping = true;
          }
          ASSERT_FALSE(stopped[step.resource]);
          ASSERT_TRUE(!last_stopped || step.resource + 1 == *last_stopped) << "not right to left";
          if (ok) {
            stopped[step.resource] = true;
            last_stopped = step.resource;
          }
          break;
        case Action::kStatus:
          ASSERT_TRUE(stopping);
          if (ok && !running) {
            stopped[step.resource] = true;
            last_stopped = step.resource;
          }
          break;
      }
      seq.OnActionResult(ok, running);
    }
    const GroupResult& result = seq.Result();
    ++seen[result.outcome];
    switch (result.outcome) {
      case Outcome::kRunning:
        ASSERT_EQ(op, GroupOp::kStart);
        ASSERT_FALSE(any_start_failed);
        for (size_t i = 0; i < n; ++i) {
          ASSERT_EQ(starts[i], 1);
          ASSERT_FALSE(stopped[i]);
        }
        break;
      case Outcome::kStopped:
        ASSERT_EQ(op, GroupOp::kStop);
        for (size_t i = 0; i < n; ++i) {
          ASSERT_TRUE(stopped[i]);
        }
        break;
      case Outcome::kStartFailed:
      case Outcome::kAborted:
        ASSERT_EQ(op, GroupOp::kStart);
        ASSERT_EQ(any_start_failed, result.outcome == Outcome::kStartFailed);
        for (size_t i = 0; i < n; ++i) {
          ASSERT_EQ(touched[i], stopped[i]) << "resource " << i;
        }
        break;
      case Outcome::kStopFailed:
      case Outcome::kStartFailedAndStopFailed: {
        ASSERT_EQ(result.outcome == Outcome::kStartFailedAndStopFailed, any_start_failed);
        ASSERT_TRUE(result.failed_resource.has_value());
        const size_t stuck = *result.failed_resource;
        ASSERT_FALSE(stopped[stuck]);
        for (size_t i = 0; i < stuck; ++i) {
          ASSERT_FALSE(stopped[i]) << "stopped a resource left of one that would not stop";
        }
        break;
      }
    }
  }
  EXPECT_EQ(seen.size(), 6u) << "every outcome should come up in 3000 rounds";
}

}  // namespace
}  // namespace hbd::resources
