"""Resource monitoring (issue 4, optional and off by default): a resource found stopped is
restarted in place up to monitor_restarts times within monitor_window, then the group fails
over to the peer."""

import os
import subprocess
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from hbdtest.cluster import Cluster, wait_for  # noqa: E402
from hbdtest.configs import ha_cf  # noqa: E402

VIP = "192.0.2.10"


def has_vip(node):
    out = subprocess.run(["ip", "-n", node.netns, "-4", "-o", "addr", "show", "dev", "eth0"],
                         capture_output=True, text=True).stdout
    return f" {VIP}/" in out


def remove_vip(node):
    subprocess.run(["ip", "-n", node.netns, "addr", "del", f"{VIP}/24", "dev", "eth0"],
                   check=True, capture_output=True)


def group_state(node):
    status = node.status() or {}
    groups = status.get("groups", [])
    return groups[0]["state_here"] if groups else None


class MonitoringTest(unittest.TestCase):
    def test_restart_in_place_then_failover(self):
        with Cluster(nodes=2) as c:
            n1, n2 = c.nodes
            extra = ("monitor_interval 300ms\nmonitor_restarts 2\nmonitor_window 60\n"
                     "start_failure_backoff 60\n")
            for n in c.nodes:
                n.write_config(ha_cf(c.nodes, extra=extra),
                               haresources=f"node1 IPaddr::{VIP}/24/eth0\n")
            for n in c.nodes:
                n.start()
            wait_for(lambda: has_vip(n1), 20, what="VIP on node1")
            for attempt in (1, 2):
                remove_vip(n1)
                wait_for(lambda: has_vip(n1), 10, what=f"VIP restarted in place ({attempt})")
                self.assertFalse(has_vip(n2))
            self.assertEqual(n1.log().count("restarting it in place"), 2)
            # A third failure within the window: the group goes to node2.
            remove_vip(n1)
            wait_for(lambda: has_vip(n2), 10, what="VIP failed over to node2")
            self.assertFalse(has_vip(n1))
            wait_for(lambda: group_state(n1) == "failed", 10, what="node1 failed state")
            self.assertIn("giving the group up", n1.log())
            status = n1.status()
            self.assertGreater(status["groups"][0]["backoff_remaining_ms"], 0)

    def test_monitoring_is_off_by_default(self):
        with Cluster(nodes=2) as c:
            n1, n2 = c.nodes
            for n in c.nodes:
                n.write_config(ha_cf(c.nodes), haresources=f"node1 IPaddr::{VIP}/24/eth0\n")
            for n in c.nodes:
                n.start()
            wait_for(lambda: has_vip(n1), 20, what="VIP on node1")
            remove_vip(n1)
            time.sleep(1.5)  # several keepalives: nothing checks, as in Heartbeat
            self.assertFalse(has_vip(n1))
            self.assertFalse(has_vip(n2))
            self.assertNotIn("monitor found", n1.log())


if __name__ == "__main__":
    unittest.main()
