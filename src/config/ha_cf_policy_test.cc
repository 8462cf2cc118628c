#include <gtest/gtest.h>

#include "config/config_validator.h"
#include "config/config_yaml.h"
#include "config/ha_cf_parser.h"

namespace hbd::config {
namespace {

TEST(HaCfPolicy, DefaultsFollowHeartbeat) {
  ResourcePolicy p;
  EXPECT_EQ(p.stop_retries, 10);
  EXPECT_EQ(p.stop_retry_delay, Millis(1000));
  EXPECT_EQ(p.stop_failure, StopFailure::kReboot);
  EXPECT_EQ(p.monitor_interval, Millis(0));
}

TEST(HaCfPolicy, EveryDirectiveIsStored) {
  ClusterConfig c;
  Diagnostics d;
  ParseHaCf(
      "start_timeout 20\nstop_timeout 15\nstatus_timeout 5\nstop_retries 3\n"
      "stop_retry_delay 200ms\nstop_failure fence\nfence_hook /usr/local/sbin/fence-me --hard\n"
      "reboot_command /bin/systemctl reboot --force\nstart_failure_backoff 10\n"
      "monitor_interval 2\nmonitor_restarts 5\nmonitor_window 60\nfailback_holddown 90\n",
      "ha.cf", c, d);
  for (const auto& item : d.items())
    ADD_FAILURE() << item.Format();
  const ResourcePolicy& p = c.policy;
  EXPECT_EQ(p.start_timeout, Millis(20000));
  EXPECT_EQ(p.stop_timeout, Millis(15000));
  EXPECT_EQ(p.status_timeout, Millis(5000));
  EXPECT_EQ(p.stop_retries, 3);
  EXPECT_EQ(p.stop_retry_delay, Millis(200));
  EXPECT_EQ(p.stop_failure, StopFailure::kFence);
  EXPECT_EQ(p.fence_hook, "/usr/local/sbin/fence-me --hard");
  EXPECT_EQ(p.reboot_command, "/bin/systemctl reboot --force");
  EXPECT_EQ(p.start_failure_backoff, Millis(10000));
  EXPECT_EQ(p.monitor_interval, Millis(2000));
  EXPECT_EQ(p.monitor_restarts, 5);
  EXPECT_EQ(p.monitor_window, Millis(60000));
  EXPECT_EQ(p.failback_holddown, Millis(90000));
  EXPECT_EQ(c.FailbackHoldDown(), Millis(90000));

  Diagnostics yd;
  ClusterConfig back;
  ParseYamlConfig(ExportYaml(c), "x.yaml", back, yd);
  EXPECT_FALSE(yd.HasErrors());
  EXPECT_TRUE(back.policy == c.policy) << ExportYaml(c);
}

TEST(HaCfPolicy, BadValuesNameTheDirectiveAndLine) {
  ClusterConfig c;
  Diagnostics d;
  ParseHaCf("stop_failure explode\nstop_retries -1\nstart_timeout 0\nfence_hook relative/path\n",
            "ha.cf", c, d);
  ASSERT_EQ(d.ErrorCount(), 4);
  EXPECT_EQ(d.items()[0].Format(),
            "ha.cf:1: error: stop_failure: 'explode' is not reboot, fence or none");
  EXPECT_EQ(d.items()[1].line, 2);
  EXPECT_TRUE(d.Mentions("start_timeout: '0' is not a positive time value"));
  EXPECT_TRUE(d.Mentions("fence_hook: 'relative/path' is not an absolute path"));
}

TEST(HaCfPolicy, FailbackHolddownIsFiveDeadtimesUnlessSet) {
  ClusterConfig c;
  Diagnostics d;
  ParseHaCf("deadtime 10\n", "ha.cf", c, d);
  EXPECT_FALSE(c.policy.failback_holddown.has_value());
  EXPECT_EQ(c.FailbackHoldDown(), Millis(50000));
  c.timings.deadtime = Millis(4000);  // a reload that changes deadtime changes it
  EXPECT_EQ(c.FailbackHoldDown(), Millis(20000));

  ClusterConfig at_once;
  ParseHaCf("deadtime 10\nfailback_holddown 0\n", "ha.cf", at_once, d);
  EXPECT_EQ(at_once.policy.failback_holddown, Millis(0));
  EXPECT_EQ(at_once.FailbackHoldDown(), Millis(0));

  ClusterConfig ms;
  ParseHaCf("failback_holddown 1500ms\n", "ha.cf", ms, d);
  EXPECT_EQ(ms.FailbackHoldDown(), Millis(1500));
  EXPECT_FALSE(d.HasErrors());

  // Unset and 0 both survive the trip through hbd.yaml.
  for (const ClusterConfig* model : {&c, &at_once, &ms}) {
    Diagnostics yd;
    ClusterConfig back;
    ParseYamlConfig(ExportYaml(*model), "x.yaml", back, yd);
    EXPECT_FALSE(yd.HasErrors());
    EXPECT_EQ(back.policy.failback_holddown, model->policy.failback_holddown) << ExportYaml(*model);
  }
}

TEST(HaCfPolicy, BadFailbackHolddownNamesFileAndLine) {
  struct Case {
    const char* text;
    const char* error;
  } cases[] = {
      {"deadtime 10\nfailback_holddown -5\n",
       "ha.cf:2: error: failback_holddown: '-5' is not a time value (e.g. 30, 500ms, 0)"},
      {"failback_holddown soon\n",
       "ha.cf:1: error: failback_holddown: 'soon' is not a time value (e.g. 30, 500ms, 0)"},
      {"failback_holddown 5 minutes\n", "ha.cf:1: error: failback_holddown"},
      {"\n\nfailback_holddown\n", "ha.cf:3: error: failback_holddown needs a value"},
  };
  for (const auto& test : cases) {
    ClusterConfig c;
    Diagnostics d;
    ParseHaCf(test.text, "ha.cf", c, d);
    ASSERT_EQ(d.ErrorCount(), 1) << test.text;
    EXPECT_EQ(d.items()[0].Format().rfind(test.error, 0), 0u) << d.items()[0].Format();
    EXPECT_FALSE(c.policy.failback_holddown.has_value()) << test.text;
  }
}

TEST(HaCfPolicy, FailbackHolddownWithoutAutoFailbackIsWarned) {
  for (const char* mode : {"off", "on"}) {
    ClusterConfig c;
    Diagnostics d;
    ParseHaCf(std::string("auto_failback ") + mode + "\nfailback_holddown 60\n", "ha.cf", c, d);
    ValidationContext ctx;
    ValidateConfig(c, ctx, d);
    bool warned = false;
    for (const auto& item : d.items()) {
      warned |= item.Format() ==
                "ha.cf:2: warning: failback_holddown has no effect with auto_failback off";
    }
    EXPECT_EQ(warned, std::string(mode) == "off") << mode;
  }
}

TEST(HaCfPolicy, FenceNeedsAHook) {
  ClusterConfig c;
  Diagnostics d;
  ParseHaCf("stop_failure fence\n", "ha.cf", c, d);
  ValidationContext ctx;
  ValidateConfig(c, ctx, d);
  EXPECT_TRUE(d.Mentions("stop_failure fence needs a fence_hook"));
}

}  // namespace
}  // namespace hbd::config
