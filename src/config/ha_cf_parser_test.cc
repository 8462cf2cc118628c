// Tests of the ha.cf parser: every directive, every message with its line, the MySQL manual's
// and Debian's sample files, and hostile input. Media and ping lines: ha_cf_media_test.cc.
#include "config/ha_cf_parser.h"

#include <gtest/gtest.h>

#include <chrono>
#include <random>

#include "config/ha_cf_directives.h"
#include "config/ha_cf_test_util.h"

namespace hbd::config {
namespace {

using testing::Clean;
using testing::OnlyError;
using testing::OnlyWarning;
using testing::ParseText;

// --- Members and timing -------------------------------------------------------------------

TEST(HaCfParser, NodesOnePerTokenLowerCased) {
  auto p = ParseText("node Alpha beta,GAMMA\nnode\tdelta\n");
  ASSERT_TRUE(Clean(p));
  EXPECT_EQ(p.config.nodes, (std::vector<std::string>{"alpha", "beta", "gamma", "delta"}));
  ASSERT_EQ(p.config.node_at.size(), 4u);
  EXPECT_EQ(p.config.node_at[0].line, 1);
  EXPECT_EQ(p.config.node_at[3].line, 2);
  EXPECT_EQ(p.config.node_at[3].file, "ha.cf");
}

TEST(HaCfParser, DuplicateNodeWarned) {
  auto p = ParseText("node a b\nnode B\n");
  ASSERT_TRUE(OnlyWarning(p, 2, "node 'b' is listed twice (first on line 1)"));
  EXPECT_EQ(p.config.nodes, (std::vector<std::string>{"a", "b"}));
}

TEST(HaCfParser, NodeWithoutName) {
  EXPECT_TRUE(OnlyError(ParseText("node\n"), 1, "node needs at least one value"));
}

TEST(HaCfParser, TooManyNodes) {
  std::string text = "node";
  for (int i = 0; i < 101; ++i)
    text += " n" + std::to_string(i);
  auto p = ParseText(text);
  ASSERT_TRUE(OnlyError(p, 1, "node 'n100': too many nodes"));
  EXPECT_EQ(p.config.nodes.size(), 100u);
}

TEST(HaCfParser, Timings) {
  auto p = ParseText(
      "keepalive 500ms\ndeadtime 10\nwarntime 5.5\ninitdead 60 # comment\ndeadping 2000 msec\n");
  ASSERT_TRUE(Clean(p));
  const Timings& t = p.config.timings;
  EXPECT_EQ(t.keepalive, Millis(500));
  EXPECT_EQ(t.deadtime, Millis(10000));
  EXPECT_EQ(t.warntime, Millis(5500));
  EXPECT_EQ(t.initdead, Millis(60000));
  EXPECT_EQ(t.deadping, Millis(2000));
  EXPECT_EQ(t.keepalive_at.line, 1);
  EXPECT_EQ(t.deadtime_at.line, 2);
  EXPECT_EQ(t.warntime_at.line, 3);
  EXPECT_EQ(t.initdead_at.line, 4);
  EXPECT_EQ(t.deadping_at.line, 5);
}

TEST(HaCfParser, TimeMicroseconds) {
  auto p = ParseText("keepalive 250000us\n");
  ASSERT_TRUE(Clean(p));
  EXPECT_EQ(p.config.timings.keepalive, Millis(250));
}

TEST(HaCfParser, BadTimeNamesValueAndSyntax) {
  auto p = ParseText("\n\ndeadtime 10m\n");
  ASSERT_TRUE(OnlyError(p, 3, "deadtime: '10m' is not a time value"));
  EXPECT_TRUE(p.diags.Mentions("milliseconds (500ms)"));
  EXPECT_EQ(p.config.timings.deadtime, Millis(30000));  // unchanged
  EXPECT_TRUE(OnlyError(ParseText("warntime -1\n"), 1, "warntime: '-1' is not a time value"));
  EXPECT_TRUE(OnlyError(ParseText("initdead\n"), 1, "initdead needs a value"));
  EXPECT_TRUE(OnlyError(ParseText("deadping 1 2\n"), 1, "deadping takes one value; got 2"));
}

TEST(HaCfParser, KeepaliveMustBePositive) {
  auto p = ParseText("keepalive 0\n");
  ASSERT_TRUE(OnlyError(p, 1, "keepalive must be greater than 0"));
  EXPECT_EQ(p.config.timings.keepalive, Millis(1000));
  EXPECT_TRUE(OnlyError(ParseText("warntime 0ms\n"), 1, "warntime must be greater than 0"));
}

// Cross-directive rules belong to the validator: the parser accepts these.
TEST(HaCfParser, NoCrossDirectiveChecks) {
  auto p = ParseText("keepalive 10\ndeadtime 2\ninitdead 1\nwarntime 60\ndeadping 1\n");
  EXPECT_TRUE(Clean(p));
}

TEST(HaCfParser, SettingTwiceWarnsAndLastWins) {
  auto p = ParseText("keepalive 1\nkeepalive 2\n");
  ASSERT_TRUE(OnlyWarning(p, 2, "keepalive was already set on line 1"));
  EXPECT_EQ(p.config.timings.keepalive, Millis(2000));
}

TEST(HaCfParser, Udpport) {
  auto p = ParseText("udpport 5405\n");
  ASSERT_TRUE(Clean(p));
  EXPECT_EQ(p.config.udpport, 5405);
  EXPECT_TRUE(OnlyError(ParseText("udpport 0\n"), 1, "udpport: '0' is not a UDP port number"));
  EXPECT_TRUE(OnlyError(ParseText("udpport ha\n"), 1, "udpport: 'ha' is not a UDP port number"));
}

// --- Failback, cluster, crm ------------------------------------------------------------------

TEST(HaCfParser, AutoFailback) {
  auto p = ParseText("auto_failback off\n");
  ASSERT_TRUE(Clean(p));
  EXPECT_EQ(p.config.auto_failback, AutoFailback::kOff);
  EXPECT_TRUE(p.config.auto_failback_set);
  EXPECT_EQ(ParseText("auto_failback on").config.auto_failback, AutoFailback::kOn);
  EXPECT_EQ(ParseText("auto_failback yes").config.auto_failback, AutoFailback::kOn);
  auto legacy = ParseText("auto_failback Legacy");
  EXPECT_TRUE(Clean(legacy));
  EXPECT_EQ(legacy.config.auto_failback, AutoFailback::kLegacy);
  EXPECT_TRUE(legacy.config.auto_failback_set);
  EXPECT_FALSE(ParseText("node a").config.auto_failback_set);
  auto bad = ParseText("auto_failback sometimes");
  EXPECT_TRUE(OnlyError(bad, 1, "auto_failback: 'sometimes' must be on, off or legacy"));
  EXPECT_FALSE(bad.config.auto_failback_set);
}

TEST(HaCfParser, NiceFailbackIsAnObsoleteAlias) {
  auto on = ParseText("nice_failback on\n");
  ASSERT_TRUE(OnlyWarning(on, 1, "nice_failback is obsolete; write 'auto_failback off'"));
  EXPECT_EQ(on.config.auto_failback, AutoFailback::kOff);
  EXPECT_TRUE(on.config.auto_failback_set);
  auto off = ParseText("nice_failback off\n");
  ASSERT_TRUE(OnlyWarning(off, 1, "write 'auto_failback legacy'"));
  EXPECT_EQ(off.config.auto_failback, AutoFailback::kLegacy);
  EXPECT_TRUE(OnlyError(ParseText("nice_failback x\n"), 1, "must be on or off"));
}

TEST(HaCfParser, CrmAndPacemakerOnAreErrors) {
  for (const char* value : {"yes", "on", "respawn", "true", "minimal", "manual"}) {
    EXPECT_TRUE(
        OnlyError(ParseText(std::string("crm ") + value), 1, "hbd runs the haresources model only"))
        << value;
    EXPECT_TRUE(OnlyError(ParseText(std::string("pacemaker ") + value), 1,
                          "hbd runs the haresources model only"))
        << value;
  }
  EXPECT_TRUE(Clean(ParseText("crm no\n")));
  EXPECT_TRUE(Clean(ParseText("crm off\n")));
  EXPECT_TRUE(Clean(ParseText("pacemaker off\n")));
  EXPECT_TRUE(OnlyError(ParseText("crm perhaps\n"), 1, "crm: 'perhaps' is not a known value"));
}

TEST(HaCfParser, AutojoinAndCluster) {
  auto p = ParseText("autojoin other\ncluster prod-db\n");
  ASSERT_TRUE(Clean(p));
  EXPECT_EQ(p.config.autojoin, Autojoin::kOther);
  EXPECT_EQ(p.config.cluster_name, "prod-db");
  EXPECT_EQ(ParseText("autojoin any").config.autojoin, Autojoin::kAny);
  EXPECT_EQ(ParseText("autojoin any\nautojoin none").config.autojoin, Autojoin::kNone);
  EXPECT_TRUE(OnlyError(ParseText("autojoin all\n"), 1, "autojoin: 'all' must be none, other"));
  EXPECT_TRUE(OnlyError(ParseText("cluster\n"), 1, "cluster needs a value"));
}

// --- Logging ----------------------------------------------------------------------------------

TEST(HaCfParser, Logging) {
  auto p = ParseText(
      "logfacility LOCAL3\nlogfile /var/log/ha-log\ndebugfile /var/log/ha-debug\nuse_logd no\n"
      "debug 3\nlog_badpack off\n");
  ASSERT_TRUE(Clean(p));
  const Logging& l = p.config.logging;
  EXPECT_EQ(l.facility, "local3");
  EXPECT_EQ(l.logfile, "/var/log/ha-log");
  EXPECT_EQ(l.debugfile, "/var/log/ha-debug");
  EXPECT_EQ(l.use_logd, false);
  EXPECT_EQ(l.debug, 3);
  EXPECT_FALSE(l.log_badpack);
  EXPECT_EQ(ParseText("use_logd yes").config.logging.use_logd, true);
  EXPECT_EQ(ParseText("node a").config.logging.use_logd, std::nullopt);
}

TEST(HaCfParser, LogfacilityNames) {
  for (const char* f : {"kern", "user", "mail", "daemon", "auth", "syslog", "lpr", "news", "uucp",
                        "cron", "authpriv", "ftp", "local0", "local7", "none"}) {
    auto p = ParseText(std::string("logfacility ") + f);
    EXPECT_TRUE(Clean(p)) << f;
    EXPECT_EQ(p.config.logging.facility, f);
  }
  auto bad = ParseText("logfacility local8\n");
  ASSERT_TRUE(OnlyError(bad, 1, "logfacility: 'local8' is not a syslog facility"));
  EXPECT_EQ(bad.config.logging.facility, std::nullopt);
}

TEST(HaCfParser, LoggingErrors) {
  EXPECT_TRUE(OnlyError(ParseText("debug 256\n"), 1, "debug: '256' is not a debug level (0-255)"));
  EXPECT_TRUE(OnlyError(ParseText("debug high\n"), 1, "debug: 'high' is not a debug level"));
  EXPECT_TRUE(OnlyError(ParseText("use_logd maybe\n"), 1, "use_logd: 'maybe' is not a boolean"));
  EXPECT_TRUE(OnlyError(ParseText("log_badpack\n"), 1, "log_badpack needs a value"));
  EXPECT_TRUE(OnlyWarning(ParseText("logfile ha-log\n"), 1, "'ha-log' is not an absolute path"));
  EXPECT_TRUE(OnlyError(ParseText("logfile /a /b\n"), 1, "logfile takes one value; got 2"));
}

// --- Process ----------------------------------------------------------------------------------

TEST(HaCfParser, ProcessSettings) {
  auto p = ParseText(
      "realtime off\nrtprio 10\ncoredumps false\ncoreroot /var/lib/heartbeat/cores\n"
      "watchdog /dev/watchdog\n");
  ASSERT_TRUE(Clean(p));
  const ProcessSettings& s = p.config.process;
  EXPECT_FALSE(s.realtime);
  EXPECT_EQ(s.rtprio, 10);
  EXPECT_FALSE(s.coredumps);
  EXPECT_EQ(s.coreroot, "/var/lib/heartbeat/cores");
  EXPECT_EQ(s.watchdog_device, "/dev/watchdog");
}

TEST(HaCfParser, ProcessErrors) {
  EXPECT_TRUE(OnlyError(ParseText("rtprio 0\n"), 1, "rtprio: '0' is not a realtime priority"));
  EXPECT_TRUE(OnlyError(ParseText("rtprio 100\n"), 1, "(1-99)"));
  EXPECT_TRUE(OnlyError(ParseText("realtime fast\n"), 1, "realtime: 'fast' is not a boolean"));
  EXPECT_TRUE(OnlyError(ParseText("coredumps\n"), 1, "coredumps needs a value"));
  auto twice = ParseText("watchdog /dev/watchdog\nwatchdog /dev/watchdog1\n");
  ASSERT_TRUE(OnlyError(twice, 2, "watchdog may be given only once (first on line 1)"));
  EXPECT_EQ(twice.config.process.watchdog_device, "/dev/watchdog");
}

// --- Programs and clients --------------------------------------------------------------------

TEST(HaCfParser, RespawnOtherProgram) {
  auto p = ParseText("respawn hacluster /usr/lib/heartbeat/mon -c /etc/mon.cf\n");
  ASSERT_TRUE(Clean(p));
  ASSERT_EQ(p.config.respawn.size(), 1u);
  const RespawnClient& r = p.config.respawn[0];
  EXPECT_EQ(r.user, "hacluster");
  EXPECT_EQ(r.path, "/usr/lib/heartbeat/mon");
  EXPECT_EQ(r.args, (std::vector<std::string>{"-c", "/etc/mon.cf"}));
  EXPECT_EQ(r.where.line, 1);
  EXPECT_FALSE(p.config.builtins.ipfail);
}

TEST(HaCfParser, RespawnIpfailAndDopdUseTheBuiltIns) {
  auto p = ParseText(
      "respawn hacluster /usr/lib64/heartbeat/ipfail\nrespawn hacluster /usr/lib/heartbeat/dopd\n");
  EXPECT_TRUE(p.Errors().empty());
  EXPECT_TRUE(p.Warnings().empty());
  ASSERT_EQ(p.Notes().size(), 2u) << p.Dump();
  EXPECT_TRUE(p.Has(Severity::kNote, 1, "hbd has ipfail built in; no external program is needed"));
  EXPECT_TRUE(p.Has(Severity::kNote, 2, "dopd"));
  EXPECT_TRUE(p.config.builtins.ipfail);
  EXPECT_TRUE(p.config.builtins.dopd);
  EXPECT_TRUE(p.config.respawn.empty());
}

TEST(HaCfParser, RespawnErrors) {
  EXPECT_TRUE(OnlyError(ParseText("respawn hacluster\n"), 1,
                        "respawn needs a user and a program: respawn USER /path/to/program"));
  EXPECT_TRUE(OnlyError(ParseText("respawn hacluster ipfail\n"), 1,
                        "respawn: program 'ipfail' must be an absolute path"));
}

TEST(HaCfParser, Apiauth) {
  auto p = ParseText("apiauth ping gid=haclient uid=alanr,root\napiauth default gid=haclient\n");
  ASSERT_TRUE(Clean(p));
  ASSERT_EQ(p.config.apiauth.size(), 2u);
  EXPECT_EQ(p.config.apiauth[0].client, "ping");
  EXPECT_EQ(p.config.apiauth[0].gids, std::vector<std::string>{"haclient"});
  EXPECT_EQ(p.config.apiauth[0].uids, (std::vector<std::string>{"alanr", "root"}));
  EXPECT_EQ(p.config.apiauth[1].client, "default");
  EXPECT_TRUE(p.config.apiauth[1].uids.empty());
  EXPECT_EQ(p.config.apiauth[1].where.line, 2);
}

TEST(HaCfParser, ApiauthIpfailAndDopdUseTheBuiltIns) {
  auto p = ParseText("apiauth ipfail gid=haclient uid=hacluster\napiauth dopd uid=hacluster\n");
  EXPECT_TRUE(p.Has(Severity::kNote, 1, "hbd has ipfail built in"));
  EXPECT_TRUE(p.Has(Severity::kNote, 2, "hbd has dopd"));
  EXPECT_EQ(p.diags.items().size(), 2u) << p.Dump();
  EXPECT_TRUE(p.config.builtins.ipfail);
  EXPECT_TRUE(p.config.builtins.dopd);
  EXPECT_TRUE(p.config.apiauth.empty());
}

TEST(HaCfParser, ApiauthErrorsAndRepeats) {
  EXPECT_TRUE(OnlyError(ParseText("apiauth\n"), 1, "apiauth needs a client name"));
  EXPECT_TRUE(OnlyError(ParseText("apiauth mon\n"), 1, "apiauth mon needs uid=LIST and/or gid"));
  EXPECT_TRUE(OnlyError(ParseText("apiauth mon user=root\n"), 1,
                        "apiauth mon: 'user=root' is not uid=LIST or gid=LIST"));
  EXPECT_TRUE(OnlyError(ParseText("apiauth mon uid=\n"), 1, "'uid=' lists no users"));
  auto twice = ParseText("apiauth mon uid=a\napiauth mon uid=b\n");
  ASSERT_TRUE(OnlyWarning(twice, 2, "apiauth mon was already given on line 1"));
  ASSERT_EQ(twice.config.apiauth.size(), 1u);
  EXPECT_EQ(twice.config.apiauth[0].uids, std::vector<std::string>{"b"});
}

TEST(HaCfParser, Env) {
  auto p = ParseText("env DRBD_PEER=node2\nenv EMPTY=\nenv MSG=two words\n");
  ASSERT_TRUE(Clean(p));
  EXPECT_EQ(p.config.env.at("DRBD_PEER"), "node2");
  EXPECT_EQ(p.config.env.at("EMPTY"), "");
  EXPECT_EQ(p.config.env.at("MSG"), "two words");
  EXPECT_TRUE(OnlyError(ParseText("env FOO\n"), 1, "env needs NAME=VALUE (got 'FOO')"));
  EXPECT_TRUE(OnlyError(ParseText("env 1X=a\n"), 1, "env: '1X' is not a variable name"));
  EXPECT_TRUE(OnlyWarning(ParseText("env A=1\nenv A=2\n"), 2, "env A is set twice"));
}

// --- Directives with no effect in hbd ---------------------------------------------------------

TEST(HaCfParser, EveryNoEffectDirectiveWarnsOnly) {
  int count = 0;
  for (const auto& d : ha_cf::AllDirectives()) {
    if (d.no_effect == nullptr)
      continue;
    ++count;
    auto p = ParseText(std::string(d.name) + " some value\n");
    EXPECT_TRUE(OnlyWarning(p, 1, std::string(d.name) + " has no effect in hbd: ")) << d.name;
    EXPECT_EQ(p.config, ClusterConfig{}) << d.name;
  }
  EXPECT_GE(count, 25);
}

TEST(HaCfParser, NoEffectWarningsSayWhy) {
  EXPECT_TRUE(OnlyWarning(ParseText("serial /dev/ttyS0\n"), 1, "hbd has no serial medium"));
  EXPECT_TRUE(OnlyWarning(ParseText("stonith baytech /etc/ha.d/conf/stonith.baytech\n"), 1,
                          "no STONITH support"));
  EXPECT_TRUE(
      OnlyWarning(ParseText("failfast hacluster /usr/bin/x\n"), 1, "will not reboot this node"));
  EXPECT_TRUE(OnlyWarning(ParseText("compression bz2\n"), 1, "does not compress"));
}

TEST(HaCfParser, EveryHeartbeatDirectiveIsKnown) {
  for (const char* name : {"node",
                           "keepalive",
                           "deadtime",
                           "warntime",
                           "initdead",
                           "deadping",
                           "udpport",
                           "baud",
                           "serial",
                           "bcast",
                           "mcast",
                           "mcast6",
                           "ucast",
                           "ucast6",
                           "ping",
                           "ping6",
                           "ping_group",
                           "hbaping",
                           "auto_failback",
                           "nice_failback",
                           "logfacility",
                           "logfile",
                           "debugfile",
                           "use_logd",
                           "conn_logd_time",
                           "debug",
                           "log_badpack",
                           "syslogmsgfmt",
                           "coredumps",
                           "coreroot",
                           "realtime",
                           "rtprio",
                           "memreserve",
                           "hopfudge",
                           "hbgenmethod",
                           "msgfmt",
                           "compression",
                           "compression_threshold",
                           "traditional_compression",
                           "max_rexmit_delay",
                           "watchdog",
                           "stonith",
                           "stonith_host",
                           "respawn",
                           "failfast",
                           "apiauth",
                           "env",
                           "autojoin",
                           "uuidfrom",
                           "cluster",
                           "quorum_server",
                           "use_apphbd",
                           "pacemaker",
                           "crm",
                           "crm_daemon_dir",
                           "crmd_spawns_pengine",
                           "record_config_changes",
                           "record_pengine_inputs",
                           "enable_config_writes",
                           "udp"}) {
    EXPECT_NE(ha_cf::FindDirective(name), nullptr) << name;
  }
}

// --- Unknown directives -----------------------------------------------------------------------

TEST(HaCfParser, UnknownDirectiveSuggestsTheNearest) {
  auto p = ParseText("node a\n\nkeepalve 2\n");
  ASSERT_TRUE(OnlyError(p, 3, "unknown directive 'keepalve'; did you mean 'keepalive'?"));
  EXPECT_TRUE(OnlyError(ParseText("Deadtime 10\n"), 1, "did you mean 'deadtime'?"));
  EXPECT_TRUE(OnlyError(ParseText("autofailback on\n"), 1, "did you mean 'auto_failback'?"));
  EXPECT_TRUE(OnlyError(ParseText("ucats eth0 192.0.2.1\n"), 1, "did you mean 'ucast'?"));
}

TEST(HaCfParser, UnknownDirectiveFarFromAnyGetsNoSuggestion) {
  auto p = ParseText("frobnicate yes\n");
  ASSERT_TRUE(OnlyError(p, 1, "unknown directive 'frobnicate'"));
  EXPECT_FALSE(p.diags.Mentions("did you mean"));
}

// --- Whole files ------------------------------------------------------------------------------

// heartbeat.md §1: the MySQL manual's example, as printed: its mcast lines lost the group, which
// hbd accepts with a warning and Heartbeat's default group, as the issue asks.
TEST(HaCfParser, MySqlManualExample) {
  auto p = ParseText(
      "logfacility local0\n"
      "keepalive 500ms\n"
      "deadtime 10\n"
      "warntime 5\n"
      "initdead 30\n"
      "mcast bond0 694 2 0\n"
      "mcast bond1 694 1 0\n"
      "auto_failback off\n"
      "node drbd1\n"
      "node drbd2\n"
      "respawn hacluster /usr/lib64/heartbeat/ipfail\n"
      "apiauth ipfail gid=haclient uid=hacluster\n"
      "deadping 5\n"
      "respawn hacluster /usr/lib/heartbeat/dopd\n"
      "apiauth dopd gid=haclient uid=hacluster\n");
  EXPECT_TRUE(p.Errors().empty()) << p.Dump();
  auto warnings = p.Warnings();
  ASSERT_EQ(warnings.size(), 2u) << p.Dump();
  EXPECT_EQ(warnings[0].line, 6);
  EXPECT_EQ(warnings[1].line, 7);
  for (const auto& w : warnings) {
    EXPECT_NE(w.message.find("mcast has no group address"), std::string::npos) << w.message;
  }
  EXPECT_EQ(p.Notes().size(), 2u) << p.Dump();
  EXPECT_EQ(p.config.logging.facility, "local0");
  EXPECT_EQ(p.config.timings.keepalive, Millis(500));
  EXPECT_EQ(p.config.timings.deadtime, Millis(10000));
  EXPECT_EQ(p.config.timings.warntime, Millis(5000));
  EXPECT_EQ(p.config.timings.initdead, Millis(30000));
  EXPECT_EQ(p.config.timings.deadping, Millis(5000));
  EXPECT_EQ(p.config.auto_failback, AutoFailback::kOff);
  EXPECT_EQ(p.config.nodes, (std::vector<std::string>{"drbd1", "drbd2"}));
  EXPECT_TRUE(p.config.builtins.ipfail);
  EXPECT_TRUE(p.config.builtins.dopd);
  EXPECT_TRUE(p.config.respawn.empty());
  EXPECT_TRUE(p.config.apiauth.empty());
  ASSERT_EQ(p.config.media.size(), 2u);
  EXPECT_EQ(p.config.media[1].interface, "bond1");
  EXPECT_EQ(p.config.media[1].address, "225.0.0.1");
}

// Every `#directive ...` example line of Debian's /usr/share/doc/heartbeat/ha.cf, uncommented,
// in the file's order (plus its one active line, logfacility). Placeholders are kept as printed.
TEST(HaCfParser, DebianSampleUncommentedHasNoErrors) {
  auto p = ParseText(
      "debugfile /var/log/ha-debug\n"
      "logfile\t/var/log/ha-log\n"
      "logfacility\tlocal0\n"
      "keepalive 2\n"
      "deadtime 30\n"
      "warntime 10\n"
      "initdead 120\n"
      "udpport\t694\n"
      "baud\t19200\n"
      "serial\t/dev/ttyS0\t# Linux\n"
      "serial\t/dev/cuaa0\t# FreeBSD\n"
      "serial /dev/cuad0      # FreeBSD 6.x\n"
      "serial\t/dev/cua/a\t# Solaris\n"
      "bcast\teth0\t\t# Linux\n"
      "bcast\teth1 eth2\t# Linux\n"
      "bcast\tle0\t\t# Solaris\n"
      "bcast\tle1 le2\t\t# Solaris\n"
      "mcast eth0 225.0.0.1 694 1 0\n"
      "ucast eth0 192.168.1.2\n"
      "auto_failback on\n"
      "stonith baytech /etc/ha.d/conf/stonith.baytech\n"
      "stonith_host *     baytech 10.0.0.3 mylogin mysecretpassword\n"
      "stonith_host ken3  rps10 /dev/ttyS1 kathy 0 \n"
      "stonith_host kathy rps10 /dev/ttyS1 ken3 0 \n"
      "watchdog /dev/watchdog\n"
      "node\tken3\n"
      "node\tkathy\n"
      "ping 10.10.10.254\n"
      "ping_group group1 10.10.10.254 10.10.10.253\n"
      "hbaping fc-card-name\n"
      "respawn userid /path/name/to/run\n"
      "respawn hacluster /usr/lib/heartbeat/ipfail\n"
      "apiauth client-name gid=gidlist uid=uidlist\n"
      "apiauth ipfail gid=haclient uid=hacluster\n"
      "hopfudge 1\n"
      "deadping 30\n"
      "hbgenmethod time\n"
      "realtime off\n"
      "debug 1\n"
      "apiauth ipfail uid=hacluster\n"
      "apiauth ccm uid=hacluster\n"
      "apiauth cms uid=hacluster\n"
      "apiauth ping gid=haclient uid=alanr,root\n"
      "apiauth default gid=haclient\n"
      "msgfmt  classic/netstring\n"
      "conn_logd_time 60\n"
      "compression\tbz2\n"
      "compression_threshold 2\n");
  EXPECT_TRUE(p.Errors().empty()) << p.Dump();
  EXPECT_GT(p.Warnings().size(), 10u);
  for (const auto& w : p.Warnings()) {
    EXPECT_NE(w.message.find("has no effect in hbd"), std::string::npos) << w.Format();
  }
  EXPECT_EQ(p.config.nodes, (std::vector<std::string>{"ken3", "kathy"}));
  ASSERT_EQ(p.config.media.size(), 8u);
  EXPECT_EQ(p.config.media[6].type, MediumType::kMcast);
  EXPECT_EQ(p.config.media[7].type, MediumType::kUcast);
  EXPECT_EQ(p.config.timings.keepalive, Millis(2000));
  EXPECT_EQ(p.config.timings.initdead, Millis(120000));
  EXPECT_EQ(p.config.auto_failback, AutoFailback::kOn);
  EXPECT_EQ(p.config.process.watchdog_device, "/dev/watchdog");
  EXPECT_FALSE(p.config.process.realtime);
  EXPECT_EQ(p.config.logging.debug, 1);
  EXPECT_EQ(p.config.ping_targets.size(), 2u);
  EXPECT_TRUE(p.config.builtins.ipfail);
  ASSERT_EQ(p.config.respawn.size(), 1u);
  EXPECT_EQ(p.config.respawn[0].path, "/path/name/to/run");
  EXPECT_EQ(p.config.apiauth.size(), 5u);  // client-name, ccm, cms, ping, default
}

// --- Hostile input ----------------------------------------------------------------------------

TEST(HaCfParser, EmptyAndCommentOnlyFiles) {
  auto empty = ParseText("");
  EXPECT_TRUE(Clean(empty));
  EXPECT_EQ(empty.config, ClusterConfig{});
  EXPECT_TRUE(Clean(ParseText("\n\n   \n# only a comment\n\t#\n")));
}

TEST(HaCfParser, BinaryJunkNeverCrashes) {
  std::mt19937 random(12345);
  for (int round = 0; round < 200; ++round) {
    std::string junk(static_cast<size_t>(random() % 4096), '\0');
    for (char& c : junk)
      c = static_cast<char>(random() % 256);
    ClusterConfig config;
    Diagnostics diags;
    ParseHaCf(junk, "junk", config, diags);
    for (const auto& d : diags.items())
      EXPECT_EQ(d.file, "junk");
  }
  auto p = ParseText(std::string("node a\0b\n", 9) + "node c\n");
  EXPECT_TRUE(p.Has(Severity::kError, 1, "NUL"));
  EXPECT_EQ(p.config.nodes, std::vector<std::string>{"c"});
}

TEST(HaCfParser, JunkMadeOfDirectiveFragmentsNeverCrashes) {
  const std::vector<std::string> pieces = {
      "mcast", "ucast6", "node", "ping_group", "apiauth", "env", "respawn", "uid=", "gid=,",
      "=",     "%",      "::",   "239.0.0.1",  "ff02::1", "-1",  "694",     ",",    "\t",
      " ",     "\n",     "#",    "keepalive",  "ms",      "1.",  "udpport", "crm",  "yes"};
  std::mt19937 random(7);
  for (int round = 0; round < 300; ++round) {
    std::string text;
    for (int i = 0; i < 60; ++i)
      text += pieces[random() % pieces.size()] + " ";
    ClusterConfig config;
    Diagnostics diags;
    ParseHaCf(text, "ha.cf", config, diags);
    EXPECT_LE(config.nodes.size() + config.ping_targets.size(), 100u);
  }
}

// A 100,000-line file parses with every line accounted for. (How fast is for benchmarks to
// measure, not for a test to assert on a loaded machine.)
TEST(HaCfParser, HundredThousandLines) {
  std::string text;
  for (int i = 0; i < 100000; ++i) {
    switch (i % 8) {
      case 0:
        text += "keepalive 1\n";
        break;
      case 1:
        text += "bcast eth" + std::to_string(i % 4) + "\n";
        break;
      case 2:
        text += "# comment line\n";
        break;
      case 3:
        text += "apiauth client" + std::to_string(i) + " uid=root\n";
        break;
      case 4:
        text += "keepalve 2\n";
        break;
      case 5:
        text += "ping 192.0.2." + std::to_string(i / 8 % 40 + 1) + "\n";
        break;
      case 6:
        text += "env V" + std::to_string(i) + "=x\n";
        break;
      default:
        text += "node n" + std::to_string(i / 8 % 50) + "\n";
        break;
    }
  }
  auto p = ParseText(text);
  EXPECT_EQ(p.config.media.size(), 12500u);
  EXPECT_EQ(p.config.apiauth.size(), 12500u);
  EXPECT_EQ(p.config.env.size(), 12500u);
  EXPECT_EQ(p.config.nodes.size(), 50u);
  EXPECT_EQ(p.Errors().size(), 12500u);  // every keepalve
}

TEST(HaCfParser, VeryLongLines) {
  // A line over the length limit is reported and skipped.
  auto huge = ParseText("node a\nnode " + std::string(200000, 'x') + "\nnode b\n");
  EXPECT_TRUE(huge.Has(Severity::kError, 2, "bytes long"));
  EXPECT_EQ(huge.config.nodes, (std::vector<std::string>{"a", "b"}));

  // A long directive name: reported, shortened in the message, no suggestion.
  auto name = ParseText(std::string(60000, 'k') + " 1\n");
  ASSERT_TRUE(OnlyError(name, 1, "unknown directive 'kkkk"));
  EXPECT_LT(name.diags.items()[0].message.size(), 200u);

  // Many tokens on one line: every one handled, nothing lost or crashed.
  std::string many = "bcast";
  for (int i = 0; i < 5000; ++i)
    many += " e" + std::to_string(i);
  EXPECT_EQ(ParseText(many).config.media.size(), 5000u);

  // Long values in every position of a whole-line directive.
  std::string v(30000, '9');
  auto mcast = ParseText("mcast " + v + " " + v + " " + v + " " + v + " " + v + "\n");
  EXPECT_FALSE(mcast.Errors().empty());
  EXPECT_TRUE(mcast.config.media.empty());
  auto time = ParseText("keepalive " + v + "\n");
  EXPECT_TRUE(OnlyError(time, 1, "is not a time value"));
}

}  // namespace
}  // namespace hbd::config
