"""scripts/benchlib/report.py on made-up results (no root, no namespaces): min / median / max
per row with units, ratio rows paired as systems.COMPARABLE says (same setting for Heartbeat,
same packet rate or fastest for keepalived, scenario-4 conditions matched), no ratio against a
non-positive median, CSV with raw values, and bench.md / bench.csv written."""

import csv
import io
import os
import shutil
import sys
import tempfile
import unittest

SOURCE_DIR = os.environ.get("HBD_SOURCE_DIR", os.path.dirname(os.path.dirname(
    os.path.dirname(os.path.abspath(__file__)))))
sys.path.insert(0, os.path.join(SOURCE_DIR, "scripts"))
sys.path.insert(0, os.path.join(SOURCE_DIR, "tests", "netns"))
from benchlib import report  # noqa: E402
from benchlib.results import Result  # noqa: E402

SLOW = "keepalive 100ms / deadtime 1s"
FAST = "keepalive 10ms / deadtime 50ms"
HB_FAST = "keepalive 20ms / deadtime 100ms"


def results():
    return [
        Result("crash-failover", "hbd", SLOW, "failover_ms", "ms", [1010.0, 1030.0, 1020.0]),
        Result("crash-failover", "heartbeat", SLOW, "failover_ms", "ms", [1500.0, 1300.0]),
        Result("crash-failover", "keepalived", "advert 100ms", "failover_ms", "ms", [300.0]),
        Result("crash-failover", "hbd", FAST, "failover_ms", "ms", [80.0]),
        Result("crash-failover", "heartbeat", HB_FAST, "failover_ms", "ms", [400.0]),
        Result("crash-failover", "keepalived", "advert 30ms", "failover_ms", "ms", [100.0]),
        Result("crash-failover", "hbd", SLOW, "takeover_overhead_ms", "ms", [10.0]),
        Result("crash-failover", "keepalived", "advert 100ms", "takeover_overhead_ms", "ms",
               [-40.0]),
        Result("false-failovers", "hbd", SLOW + "; loss30-one-link", "vip_moves", "count", [0]),
        Result("false-failovers", "heartbeat", SLOW + "; loss30-one-link", "vip_moves", "count",
               [4]),
        Result("false-failovers", "heartbeat", SLOW + "; loss10-both-busy", "vip_moves",
               "count", [9]),
        Result("manual-failover", "keepalived", "advert 30ms", "failover_ms", "ms", [],
               "aborted: x | y"),
    ]


class ReportTest(unittest.TestCase):
    def test_rows_show_min_median_max_and_units(self):
        md = report.markdown(results(), ["a note"])
        self.assertIn("- a note", md)
        self.assertIn(f"| hbd | {SLOW} | failover_ms | 3 | 1010 | 1020 | 1030 | ms |  |", md)
        self.assertIn(f"| heartbeat | {SLOW} | failover_ms | 2 | 1300 | 1400 | 1500 | ms |", md)
        # A run without values shows dashes, and a '|' in a note cannot break the table.
        self.assertIn("| keepalived | advert 30ms | failover_ms | 0 | - | - | - | ms | "
                      "aborted: x / y |", md)
        self.assertLess(md.index("### 1. Crash"), md.index("### 2. Manual"))
        self.assertLess(md.index("### 2. Manual"), md.index("### 4. False"))

    def test_ratios_pair_comparable_rows_only(self):
        rows = report.ratio_rows(results())
        pairs = {(r[0], r[1], r[2], r[3], r[4]): (r[5], r[6]) for r in rows}
        self.assertEqual(pairs[("crash-failover", "failover_ms", SLOW, "heartbeat", SLOW)],
                         (1020.0, 1400.0))
        self.assertEqual(pairs[("crash-failover", "failover_ms", SLOW, "keepalived",
                                "advert 100ms")], (1020.0, 300.0))
        self.assertEqual(pairs[("crash-failover", "failover_ms", FAST, "heartbeat", HB_FAST)],
                         (80.0, 400.0))
        self.assertEqual(pairs[("crash-failover", "failover_ms", FAST, "keepalived",
                                "advert 30ms")], (80.0, 100.0))
        # Scenario 4: the same condition only.
        self.assertIn(("false-failovers", "vip_moves", SLOW + "; loss30-one-link", "heartbeat",
                       SLOW + "; loss30-one-link"), pairs)
        self.assertNotIn(("false-failovers", "vip_moves", SLOW + "; loss30-one-link",
                          "heartbeat", SLOW + "; loss10-both-busy"), pairs)
        table = report.ratio_table(results())
        self.assertIn(f"| crash-failover | failover_ms | {FAST} | keepalived | advert 30ms | "
                      "80.0 | 100 | 0.80 |", table)
        # No ratio against a negative overhead.
        self.assertIn(f"| crash-failover | takeover_overhead_ms | {SLOW} | keepalived | "
                      "advert 100ms | 10.0 | -40.0 | - |", table)

    def test_csv_has_every_result_with_raw_values(self):
        rows = list(csv.DictReader(io.StringIO(report.csv_text(results()))))
        self.assertEqual(len(rows), len(results()))
        first = rows[0]
        self.assertEqual((first["scenario"], first["system"], first["runs"], first["median"],
                          first["values"]), ("crash-failover", "hbd", "3", "1020.0",
                                             "1010.0 1030.0 1020.0"))

    def test_write_puts_markdown_and_csv_in_the_directory(self):
        out = tempfile.mkdtemp(prefix="bench-report-")
        self.addCleanup(shutil.rmtree, out, True)
        md = report.write(results(), out, [])
        with open(os.path.join(out, "bench.md")) as f:
            self.assertEqual(f.read(), md)
        self.assertTrue(os.path.getsize(os.path.join(out, "bench.csv")) > 0)
        if shutil.which("gnuplot"):
            with open(os.path.join(out, "failover.png"), "rb") as f:
                self.assertEqual(f.read(8), b"\x89PNG\r\n\x1a\n")


if __name__ == "__main__":
    unittest.main()
