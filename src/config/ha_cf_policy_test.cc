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
      "monitor_interval 2\nmonitor_restarts 5\nmonitor_window 60\n",
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
