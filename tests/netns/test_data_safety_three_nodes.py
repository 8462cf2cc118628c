"""Three nodes and DRBD data of different ages (issue 5): when the holder dies, the group goes to
a node whose data is UpToDate, never to one whose data is Outdated, even if that node comes first
in ha.cf order. Each node has its own (unpaired) simulated DRBD resource, set up from the host:
node1 and node3 UpToDate, node2 Outdated."""

import os
import shutil
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from hbdtest.cluster import Cluster, vip_holders, wait_for  # noqa: E402
from hbdtest.configs import ha_cf  # noqa: E402
from hbdtest.vip_sampler import VipSampler  # noqa: E402

SOURCE_DIR = os.environ.get(
    "HBD_SOURCE_DIR",
    os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
SIMULATOR = os.path.join(SOURCE_DIR, "tests", "drbd", "drbdadm")
VIP = "192.0.2.10"


class ThreeNodeDataSafetyTest(unittest.TestCase):
    def test_group_goes_to_the_node_with_uptodate_data(self):
        with Cluster(nodes=3) as c:
            self.cluster = c
            n1, n2, n3 = c.nodes
            for node, disk in ((n1, "UpToDate"), (n2, "Outdated"), (n3, "UpToDate")):
                sim = os.path.join(node.dir, "drbd-sim")
                tools = os.path.join(node.dir, "sbin")
                os.makedirs(sim, exist_ok=True)
                os.makedirs(tools, exist_ok=True)
                shutil.copy2(SIMULATOR, os.path.join(tools, "drbdadm"))
                env = dict(os.environ, DRBD_SIM_DIR=sim)
                subprocess.run([SIMULATOR, "sim-create", "r0", "role=Secondary", f"disk={disk}",
                                "cstate=StandAlone", "peer_role=Unknown", "peer_disk=DUnknown"],
                               env=env, check=True, capture_output=True, timeout=30)
                node.write_config(ha_cf(c.nodes, extra="start_failure_backoff 60\n"),
                                  haresources=f"node1 drbddisk::r0 IPaddr::{VIP}/24/eth0\n")
                node._binds = [(sim, "/var/lib/drbd-sim"), (tools, "/usr/local/sbin")]
            for node in c.nodes:
                node.start(binds=node._binds)
            wait_for(lambda: vip_holders(c, VIP) == ["node1"], 20, what="group on node1")
            sampler = VipSampler(c, VIP).start()
            try:
                n1.link_down(0)
                n1.link_down(1)
                n1.kill()
                # node1's stale address stays in its (cut off) namespace: look at the others.
                wait_for(lambda: [h for h in vip_holders(c, VIP) if h != "node1"] == ["node3"], 20,
                         what="group on node3")
            finally:
                sampler.stop()
            self.assertEqual(sampler.errors, [], sampler.report())
            self.assertNotIn(("node2",), sampler.holders_seen())
            self.assertIn("DRBD r0 is Outdated here", n2.log())
            status = n2.status()
            self.assertEqual(status["groups"][0]["state_here"], "failed")
            self.assertIn("Outdated", status["groups"][0]["refused"])
            self.assertEqual(n3.exec(["drbdadm", "role", "r0"]).stdout.split("/")[0].strip(),
                             "Primary")


if __name__ == "__main__":
    unittest.main()
