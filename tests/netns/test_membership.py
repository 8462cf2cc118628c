"""Membership between real hbd processes in namespaces (issue 3): nodes see each other with both
links up, a killed node is declared dead after deadtime, a cut network is a dead link and not a
dead node, a wrong key is never admitted, a ping node behind a drop goes dead."""

import os
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from hbdtest.cluster import Cluster, wait_for  # noqa: E402
from hbdtest.configs import ha_cf  # noqa: E402


def start_all(cluster, **kw):
    for node in cluster.nodes:
        node.write_config(ha_cf(cluster.nodes, **kw))
    for node in cluster.nodes:
        node.start()


def all_active(cluster):
    for node in cluster.nodes:
        for peer in cluster.nodes:
            if node.peer_status(peer.name) != "active":
                return False
            if peer is not node:
                for link in ("eth0", "eth1"):
                    if node.link_status(peer.name, link) != "up":
                        return False
    return True


class MembershipTest(unittest.TestCase):
    def check_forms(self, n):
        with Cluster(nodes=n) as c:
            start_all(c)
            wait_for(lambda: all_active(c), 20, what=f"{n} nodes active with both links up")
            text = c.nodes[0].hbctl("status").stdout
            self.assertIn("node2", text)
            self.assertIn("link eth1", text)

    def test_two_nodes_form(self):
        self.check_forms(2)

    def test_three_nodes_form(self):
        self.check_forms(3)

    def test_killed_node_is_dead_after_deadtime_not_before_warntime(self):
        with Cluster(nodes=3) as c:
            start_all(c, keepalive="100ms", warntime="500ms", deadtime="2")
            wait_for(lambda: all_active(c), 20, what="cluster active")
            n1, n2, n3 = c.nodes
            killed = time.monotonic()
            n3.kill()
            # Not dead before warntime (0.5 s): sample during the first 400 ms.
            while time.monotonic() - killed < 0.4:
                self.assertEqual(n1.peer_status("node3"), "active")
                time.sleep(0.05)
            wait_for(lambda: n1.peer_status("node3") == "dead"
                     and n2.peer_status("node3") == "dead", 10, what="node3 dead")
            noticed = time.monotonic() - killed
            # Deadtime counts from node3's last heartbeat, sent up to one keepalive (0.1 s)
            # before the kill.
            self.assertGreaterEqual(noticed, 2.0 - 0.1, "declared dead before deadtime")
            self.assertEqual(n1.peer_status("node2"), "active")
            self.assertIn("node3: active -> dead (timeout)", n1.log())
            self.assertIn("late heartbeat", n1.log())

    def test_cut_network_is_a_dead_link_not_a_dead_node(self):
        with Cluster(nodes=2) as c:
            start_all(c)
            wait_for(lambda: all_active(c), 20, what="cluster active")
            n1, n2 = c.nodes
            n2.link_down(1)
            wait_for(lambda: n1.link_status("node2", "eth1") == "dead", 10, what="eth1 dead")
            time.sleep(1.5)  # more than deadtime: the node must stay up over eth0
            self.assertEqual(n1.peer_status("node2"), "active")
            self.assertEqual(n1.link_status("node2", "eth0"), "up")
            self.assertIn("link node2:eth1 dead", n1.log())
            n2.link_up(1)
            wait_for(lambda: n1.link_status("node2", "eth1") == "up", 10, what="eth1 back")

    def test_wrong_key_is_never_admitted(self):
        with Cluster(nodes=2) as c:
            n1, n2 = c.nodes
            n1.write_config(ha_cf(c.nodes))
            n2.write_config(ha_cf(c.nodes), authkeys="auth 1\n1 sha1 another-secret\n")
            n1.start()
            n2.start()
            wait_for(lambda: (n1.status() or {}).get("packets", {}).get("rejected", {})
                     .get("bad-digest", 0) >= 10, 10, what="bad digests counted")
            time.sleep(1)
            self.assertIn(n1.peer_status("node2"), ("init", "dead"))
            self.assertIn(n2.peer_status("node1"), ("init", "dead"))
            self.assertEqual(n1.status()["packets"]["accepted"], 0)
            # Logged, but rate limited: not one line per packet.
            lines = [l for l in n1.log().splitlines() if "bad-digest" in l]
            self.assertGreater(len(lines), 0)
            self.assertLessEqual(len(lines), 6)

    def test_unreachable_ping_node_goes_dead_after_deadping(self):
        with Cluster(nodes=2) as c:
            start_all(c, ping=["192.0.2.254"], deadping="600ms")
            wait_for(lambda: all_active(c), 20, what="cluster active")
            n1, n2 = c.nodes
            wait_for(lambda: n1.peer_status("192.0.2.254") == "ping", 10, what="ping node up")
            n1.drop_traffic_to("192.0.2.254")
            dropped = time.monotonic()
            wait_for(lambda: n1.peer_status("192.0.2.254") == "dead", 10, what="ping node dead")
            self.assertGreaterEqual(time.monotonic() - dropped, 0.5)
            self.assertEqual(n2.peer_status("192.0.2.254"), "ping")
            # The peer learns our connectivity from our status messages.
            wait_for(lambda: next(n for n in n2.status()["nodes"] if n["name"] == "node1")
                     .get("ping_count") == 0, 10, what="node2 sees node1 reach no ping node")


if __name__ == "__main__":
    unittest.main()
