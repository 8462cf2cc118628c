#include <gtest/gtest.h>

#include "config/config_yaml.h"
#include "config/ha_cf_parser.h"

namespace hbd::config {
namespace {

TEST(HaCfMetrics, OffByDefault) {
  ClusterConfig c;
  EXPECT_FALSE(c.metrics.Enabled());
  EXPECT_EQ(c.metrics.interval, Millis(15000));
  EXPECT_EQ(ExportYaml(c).find("metrics"), std::string::npos);
}

TEST(HaCfMetrics, DirectivesAreStoredAndRoundTripThroughYaml) {
  ClusterConfig c;
  Diagnostics d;
  ParseHaCf(
      "metrics_textfile /var/lib/prometheus/node-exporter/hbd.prom\n"
      "metrics_listen 127.0.0.1:9817\nmetrics_interval 5\n",
      "ha.cf", c, d);
  for (const auto& item : d.items())
    ADD_FAILURE() << item.Format();
  EXPECT_TRUE(c.metrics.Enabled());
  EXPECT_EQ(c.metrics.textfile, "/var/lib/prometheus/node-exporter/hbd.prom");
  EXPECT_EQ(c.metrics.listen, "127.0.0.1:9817");
  EXPECT_EQ(c.metrics.interval, Millis(5000));
  Diagnostics yd;
  ClusterConfig back;
  ParseYamlConfig(ExportYaml(c), "x.yaml", back, yd);
  EXPECT_FALSE(yd.HasErrors());
  EXPECT_TRUE(back.metrics == c.metrics) << ExportYaml(c);
}

TEST(HaCfMetrics, BadValuesNameTheDirectiveAndLine) {
  ClusterConfig c;
  Diagnostics d;
  ParseHaCf(
      "metrics_textfile hbd.prom\nmetrics_listen localhost:9817\nmetrics_listen 70000\n"
      "metrics_interval 10ms\n",
      "ha.cf", c, d);
  ASSERT_EQ(d.ErrorCount(), 4);
  EXPECT_EQ(d.items()[0].Format(),
            "ha.cf:1: error: metrics_textfile: 'hbd.prom' is not an absolute path");
  EXPECT_EQ(d.items()[1].line, 2);
  EXPECT_TRUE(d.Mentions("metrics_listen: 'localhost:9817' is not PORT, ADDRESS:PORT"));
  EXPECT_TRUE(d.Mentions("metrics_listen: '70000'"));
  EXPECT_TRUE(d.Mentions("metrics_interval: '10ms' is not a time value of at least 100ms"));
  EXPECT_FALSE(c.metrics.Enabled());
}

TEST(HaCfMetrics, YamlRejectsBadValues) {
  ClusterConfig c;
  Diagnostics d;
  ParseYamlConfig("metrics:\n  textfile: rel.prom\n  listen: 'x:1'\n  bogus: 1\n", "hbd.yaml", c,
                  d);
  EXPECT_TRUE(d.Mentions("metrics textfile: 'rel.prom' is not an absolute path"));
  EXPECT_TRUE(d.Mentions("metrics listen: 'x:1'"));
  EXPECT_TRUE(d.Mentions("bogus"));
}

TEST(ListenAddress, Forms) {
  std::string a;
  uint16_t p = 0;
  ASSERT_TRUE(ParseListenAddress("9817", a, p));
  EXPECT_EQ(a, "127.0.0.1");
  EXPECT_EQ(p, 9817);
  ASSERT_TRUE(ParseListenAddress("0.0.0.0:80", a, p));
  EXPECT_EQ(a, "0.0.0.0");
  EXPECT_EQ(p, 80);
  ASSERT_TRUE(ParseListenAddress("[::1]:9817", a, p));
  EXPECT_EQ(a, "::1");
  for (const char* bad : {"", "0", "65536", "::1:80", "[::1]", "[::1]x80", "host:80", "1.2.3:80",
                          "127.0.0.1:", ":80"}) {
    EXPECT_FALSE(ParseListenAddress(bad, a, p)) << bad;
  }
}

}  // namespace
}  // namespace hbd::config
