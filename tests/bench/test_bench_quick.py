"""scripts/bench --quick runs to the end (issue 8: CI runs it so the benchmark never rots) and
writes bench.md, bench.csv and failover.png, with crash-failover results for hbd, Heartbeat and
keepalived that hold at least one measured run each. Its numbers are not checked: a benchmark
reports, it does not assert thresholds."""

import csv
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

SOURCE_DIR = os.environ.get("HBD_SOURCE_DIR", os.path.dirname(os.path.dirname(
    os.path.dirname(os.path.abspath(__file__)))))
BIN_DIR = os.environ.get("HBD_BIN_DIR", os.path.join(SOURCE_DIR, "build", "bin"))
SYSTEMS = ["hbd", "heartbeat", "keepalived"]
NEEDED = ["/usr/libexec/heartbeat/heartbeat", "/usr/sbin/keepalived"]


class BenchQuickTest(unittest.TestCase):
    def setUp(self):
        if os.geteuid() != 0:
            self.skipTest("the benchmark needs root (network namespaces)")
        missing = [p for p in NEEDED if not os.access(p, os.X_OK)]
        if missing:
            self.skipTest(f"competitors not installed: {missing} (scripts/install-deps)")
        self.out = tempfile.mkdtemp(prefix="bench-quick-")
        self.addCleanup(shutil.rmtree, self.out, True)

    def test_quick_run_writes_markdown_csv_and_png_for_every_system(self):
        cmd = [os.path.join(SOURCE_DIR, "scripts", "bench"), "--quick", "--out-dir", self.out,
               "--bin-dir", BIN_DIR, "--prefix", f"bnq{os.getpid() % 1000}"]
        result = subprocess.run(cmd, capture_output=True, text=True, timeout=400)
        detail = f"stderr:\n{result.stderr[-4000:]}\nstdout:\n{result.stdout[-2000:]}"
        self.assertEqual(result.returncode, 0, detail)

        with open(os.path.join(self.out, "bench.md")) as f:
            markdown = f.read()
        self.assertEqual(result.stdout.strip(), markdown.strip(), "stdout is the Markdown")
        self.assertIn("### 1. Crash failover", markdown)
        self.assertIn("### Ratios", markdown)
        for system in SYSTEMS:
            self.assertRegex(markdown, rf"\n\| {system} \| [^|]+ \| failover_ms \|", system)

        with open(os.path.join(self.out, "bench.csv"), newline="") as f:
            rows = list(csv.DictReader(f))
        for scenario in ("crash-failover", "manual-failover", "idle-footprint",
                         "false-failovers"):
            for system in SYSTEMS:
                mine = [r for r in rows if r["scenario"] == scenario and r["system"] == system]
                self.assertTrue(mine, f"no {scenario} row for {system}\n{detail}")
                self.assertTrue(all(int(r["runs"]) >= 1 for r in mine),
                                f"{scenario} {system}: a row without a measured run: {mine}")

        with open(os.path.join(self.out, "failover.png"), "rb") as f:
            self.assertEqual(f.read(8), b"\x89PNG\r\n\x1a\n", "failover.png is a PNG")


if __name__ == "__main__":
    unittest.main()
