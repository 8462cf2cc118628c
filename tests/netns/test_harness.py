"""The harness itself: namespaces, two networks, per-node hostname and /etc/ha.d, link cuts,
traffic drops, and a teardown that leaves nothing behind."""

import os
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from hbdtest.cluster import Cluster, run, wait_for  # noqa: E402
from hbdtest.vip_sampler import VipSampler  # noqa: E402


def pings(node, address):
    return node.exec(["ping", "-c", "1", "-W", "1", address], check=False).returncode == 0


class HarnessTest(unittest.TestCase):
    def test_sampler_undoes_a_move_inside_one_reading_only(self):
        sampler = VipSampler(cluster=None, vip="192.0.2.10")

        def undone(history, readings):
            sampler.holder_history = [(i, h) for i, h in enumerate(history)]
            sampler.holder_readings = readings
            return sampler.holders_without_moves_in_one_reading()

        a, b, ab = ("node1",), ("node2",), ("node1", "node2")
        self.assertEqual(undone([(), ab, b], [5, 1, 5]), [(), a, b])  # a came and went
        self.assertEqual(undone([a, ab, b], [5, 1, 5]), [a, a, b])    # a handed over to b
        self.assertEqual(undone([b, ab, a], [5, 1, 5]), [b, b, a])
        # Two readings, or nobody after: not a move inside one reading; kept as seen.
        self.assertEqual(undone([a, ab, b], [5, 2, 5]), [a, ab, b])
        self.assertEqual(undone([a, ab, ()], [5, 1, 5]), [a, ab, ()])
        self.assertEqual(undone([a, ab], [5, 1]), [a, ab])

    def test_sampler_history_includes_a_change_the_test_just_made(self):
        vip = "192.0.2.10"
        with Cluster(nodes=1, prefix=f"hbv{os.getpid() % 10000}") as c:
            node = c.nodes[0]
            sampler = VipSampler(c, vip).start()
            try:
                wait_for(lambda: sampler.samples > 0, 10, what="a first reading")
                run(["ip", "-n", node.netns, "addr", "add", f"{vip}/24", "dev", "eth0"])
                # No sleep: the history read now must already show the address.
                self.assertEqual(sampler.holders_seen()[-1], ("node1",), sampler.report())
                run(["ip", "-n", node.netns, "addr", "del", f"{vip}/24", "dev", "eth0"])
                self.assertEqual(sampler.holders_without_moves_in_one_reading()[-1], (),
                                 sampler.report())
            finally:
                sampler.stop()
            self.assertEqual(sampler.errors, [], sampler.report())

    def test_a_crash_kills_the_node_not_the_observer_reading_it(self):
        with Cluster(nodes=1, prefix=f"hbk{os.getpid() % 10000}") as c:
            node = c.nodes[0]
            # A "daemon" with a child that left its process group (as a forking daemon's do).
            node.start(program=["sh", "-c", "setsid sleep 60 & exec sleep 60"])
            wait_for(lambda: len(node.namespace_pids()) >= 2, 10, what="daemon and its child")
            # An observer in the node's namespace, started by the test (like the VIP sampler's
            # `ip -n` while a crash happens).
            observer = subprocess.Popen(["ip", "netns", "exec", node.netns, "sleep", "60"])
            try:
                wait_for(lambda: str(observer.pid) in run(["ip", "netns", "pids", node.netns])
                         .stdout.split(), 10, what="observer in the namespace")
                self.assertNotIn(observer.pid, node.namespace_pids())
                node.kill_all()
                wait_for(lambda: node.namespace_pids() == [], 10, what="node's processes gone")
                self.assertIsNone(observer.poll(), "the crash killed the observer")
            finally:
                observer.kill()
                observer.wait(timeout=10)

    def test_topology_faults_and_teardown(self):
        with Cluster(nodes=3, prefix=f"hbh{os.getpid() % 10000}") as c:
            n1, n2, n3 = c.nodes
            for net in (0, 1):
                self.assertTrue(pings(n1, n2.address(net)), f"node1 -> node2 on net{net}")
                self.assertTrue(pings(n3, n1.address(net)), f"node3 -> node1 on net{net}")
            self.assertTrue(pings(n1, "192.0.2.254"), "router reachable")
            self.assertTrue(c.in_client(["ping", "-c", "1", "-W", "1", n2.address(0)],
                                        check=False).returncode == 0)

            n1.link_down(1)
            self.assertFalse(pings(n1, n2.address(1)), "net1 cut on node1")
            self.assertTrue(pings(n1, n2.address(0)), "net0 still works")
            n1.link_up(1)
            self.assertTrue(pings(n1, n2.address(1)), "net1 restored")

            n2.drop_traffic_to("192.0.2.254")
            self.assertFalse(pings(n2, "192.0.2.254"))
            self.assertTrue(pings(n2, n1.address(0)))
            n2.allow_all_traffic()
            self.assertTrue(pings(n2, "192.0.2.254"))

            # A process in a node gets the node's hostname, its own /run and its /etc/ha.d.
            with open(os.path.join(n2.confdir, "marker"), "w") as f:
                f.write("node2 config\n")
            n2.start(program=["/bin/sh", "-c",
                              "hostname; cat /etc/ha.d/marker; ls -A /run; exec sleep 30"])
            import time
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline and n2.log().count("\n") < 2:
                time.sleep(0.05)
            lines = n2.log().split("\n")
            self.assertEqual(lines[0], "node2")
            self.assertEqual(lines[1], "node2 config")
            self.assertEqual(n2.exec(["hostname"]).stdout.strip(), "node2")
            self.assertEqual(n1.exec(["hostname"]).stdout.strip() != "node2", True)
            prefix = c.prefix
        left = [ns for ns in run(["ip", "netns", "list"]).stdout.split("\n")
                if ns.startswith(prefix + "-")]
        self.assertEqual(left, [])


if __name__ == "__main__":
    unittest.main()
