"""Stopping hbd (issue 6, lifecycle): SIGTERM hands the groups to a live peer (stopped right to
left here before the peer starts them) and exits; with no peer it stops them and exits; a second
SIGTERM during the release does not leave a half-stopped group."""

import os
import signal
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from hbdtest.cluster import Cluster, vip_holders, wait_for  # noqa: E402
from hbdtest.configs import ha_cf  # noqa: E402
from hbdtest.vip_sampler import VipSampler  # noqa: E402

VIP = "192.0.2.10"

# A resource that records its calls (with a monotonic stamp) and takes STOP_SECONDS to stop.
RECORDER = """#!/bin/sh
state=/run/hbd/recorder.state
case "$1" in
  start) echo "start $(hostname) $(cat /proc/uptime | cut -d' ' -f1)" >> "$LOG"; touch "$state" ;;
  stop) sleep "${STOP_SECONDS:-0}"
        echo "stop $(hostname) $(cat /proc/uptime | cut -d' ' -f1)" >> "$LOG"; rm -f "$state" ;;
  status) if [ -e "$state" ]; then echo running; else echo "not running"; fi ;;
esac
exit 0
"""


def setup(cluster, stop_seconds=0):
    log = os.path.join(cluster.workdir, "recorder.log")
    for n in cluster.nodes:
        rd = os.path.join(n.confdir, "resource.d")
        os.makedirs(rd, exist_ok=True)
        path = os.path.join(rd, "recorder")
        with open(path, "w") as f:
            f.write(RECORDER.replace("$LOG", log).replace("${STOP_SECONDS:-0}", str(stop_seconds)))
        os.chmod(path, 0o755)
        n.write_config(ha_cf(cluster.nodes), haresources=f"node1 recorder IPaddr::{VIP}/24/eth0\n")
    return log


def lines(path):
    try:
        with open(path) as f:
            return [l.split() for l in f.read().splitlines()]
    except FileNotFoundError:
        return []


class ShutdownTest(unittest.TestCase):
    def test_sigterm_hands_groups_to_the_peer_in_order(self):
        with Cluster(nodes=2) as c:
            n1, n2 = c.nodes
            log = setup(c)
            for n in c.nodes:
                n.start()
            wait_for(lambda: vip_holders(c, VIP) == ["node1"], 20, what="group on node1")
            sampler = VipSampler(c, VIP)
            sampler.start()
            try:
                n1.signal(signal.SIGTERM)
                n1.proc.wait(timeout=30)
                self.assertEqual(n1.proc.returncode, 0)
                wait_for(lambda: vip_holders(c, VIP) == ["node2"], 10, what="group on node2")
            finally:
                sampler.stop()
            self.assertEqual(sampler.violations, [], sampler.report())
            self.assertEqual(sampler.errors, [], sampler.report())
            calls = lines(log)
            self.assertEqual([(l[0], l[1]) for l in calls],
                             [("start", "node1"), ("stop", "node1"), ("start", "node2")])
            self.assertLessEqual(float(calls[1][2]), float(calls[2][2]))  # stopped, then started
            self.assertIn("node1: active -> dead (shutdown)", n2.log())

    def test_sigterm_without_a_peer_stops_the_groups(self):
        with Cluster(nodes=2) as c:
            n1, n2 = c.nodes
            log = setup(c)
            n1.start()  # node2 never starts: after initdead node1 runs the group alone
            wait_for(lambda: vip_holders(c, VIP) == ["node1"], 20, what="group on node1")
            n1.signal(signal.SIGTERM)
            n1.proc.wait(timeout=30)
            self.assertEqual(n1.proc.returncode, 0)
            self.assertEqual(vip_holders(c, VIP), [])
            self.assertEqual([l[0] for l in lines(log)], ["start", "stop"])

    def test_second_sigterm_does_not_cut_the_release_short(self):
        with Cluster(nodes=2) as c:
            n1, n2 = c.nodes
            log = setup(c, stop_seconds=1)
            n1.start()
            wait_for(lambda: vip_holders(c, VIP) == ["node1"], 20, what="group on node1")
            n1.signal(signal.SIGTERM)
            time.sleep(0.3)  # the release is running: IPaddr stopped, recorder is stopping
            n1.signal(signal.SIGTERM)
            n1.proc.wait(timeout=30)
            self.assertEqual(n1.proc.returncode, 0)
            self.assertEqual(vip_holders(c, VIP), [])
            self.assertEqual([l[0] for l in lines(log)], ["start", "stop"])
            self.assertIn("still releasing groups", n1.log())


if __name__ == "__main__":
    unittest.main()
