"""The built-in ipfail (issue 5): with a ping node configured, the node that can no longer reach
it hands its groups to the node that can; restoring the path moves nothing back with
auto_failback off; equal loss on both nodes moves nothing; a node that reaches no ping node
starts nothing."""

import os
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from hbdtest.cluster import Cluster, vip_holders, wait_for  # noqa: E402
from hbdtest.configs import ha_cf  # noqa: E402

VIP = "192.0.2.10"
ROUTER = "192.0.2.254"
GROUP = f"IPaddr::{VIP}/24/eth0"
IPFAIL = "respawn hacluster /usr/lib/heartbeat/ipfail\napiauth ipfail gid=haclient uid=hacluster\n"


def holders(cluster):
    return vip_holders(cluster, VIP)


def configure(cluster):
    for n in cluster.nodes:
        n.write_config(ha_cf(cluster.nodes, ping=[ROUTER], deadping="600ms", extra=IPFAIL),
                       haresources=f"node1 {GROUP}\n")


def start(cluster):
    configure(cluster)
    for n in cluster.nodes:
        n.start()
    n1, n2 = cluster.nodes
    wait_for(lambda: holders(cluster) == ["node1"], 20, what="VIP on node1")
    wait_for(lambda: n1.peer_status(ROUTER) == "ping" and n2.peer_status(ROUTER) == "ping", 10,
             what="both reach the ping node")


class IpfailTest(unittest.TestCase):
    def test_node_that_loses_its_router_hands_over_and_nothing_moves_back(self):
        with Cluster(nodes=2) as c:
            start(c)
            n1, n2 = c.nodes
            n1.drop_traffic_to(ROUTER)
            cut = time.monotonic()
            wait_for(lambda: holders(c) == ["node2"], 15, what="VIP moved to node2")
            print(f"ipfail move {time.monotonic() - cut:.3f}s after the cut "
                  "(deadping 0.6 s + hold-down)")
            self.assertIn("ipfail: node2 reaches 1 ping node(s), this node 0", n1.log())
            n1.allow_all_traffic()
            wait_for(lambda: n1.peer_status(ROUTER) == "ping", 10, what="router back")
            time.sleep(2)  # more than the hold-down: auto_failback off keeps it on node2
            self.assertEqual(holders(c), ["node2"])

    def test_equal_loss_moves_nothing(self):
        with Cluster(nodes=2) as c:
            start(c)
            n1, n2 = c.nodes
            n1.drop_traffic_to(ROUTER)
            n2.drop_traffic_to(ROUTER)
            wait_for(lambda: n1.peer_status(ROUTER) == "dead" and n2.peer_status(ROUTER) == "dead",
                     10, what="both lose the router")
            time.sleep(2)
            self.assertEqual(holders(c), ["node1"])
            self.assertNotIn("ipfail:", n1.log())

    def test_nobody_reaching_a_ping_node_starts_nothing_until_one_does(self):
        with Cluster(nodes=2) as c:
            configure(c)
            n1, n2 = c.nodes
            for n in c.nodes:
                n.drop_traffic_to(ROUTER)
                n.start()
            said = f"group {GROUP}: not starting it: this node reaches no ping node"
            try:
                wait_for(lambda: said in n1.log() and said in n2.log(), 20,
                         what="both nodes say they reach no ping node")
            except AssertionError as e:
                raise AssertionError(f"{e}\nnode1:\n{n1.log()[-3000:]}\nnode2:\n"
                                     f"{n2.log()[-3000:]}") from None
            self.assertEqual(n1.peer_status(ROUTER), "dead")
            self.assertEqual(holders(c), [])
            # hbctl status says why the group is not running.
            for n in c.nodes:
                group = n.status()["groups"][0]
                self.assertEqual(group["holder"], "", group)
                self.assertEqual(group["waiting"],
                                 "no node can run it: this node reaches no ping node (ipfail)",
                                 group)
            text = n1.hbctl("status").stdout
            self.assertIn("no node can run it: this node reaches no ping node (ipfail)", text)
            self.assertNotIn(f"group {GROUP}: starting", n1.log() + n2.log())
            # node2's router answers: node2 (not the preferred node1, which still reaches none)
            # starts the group.
            n2.allow_all_traffic()
            wait_for(lambda: holders(c) == ["node2"], 15, what="VIP on node2")
            time.sleep(1)
            self.assertEqual(holders(c), ["node2"])


if __name__ == "__main__":
    unittest.main()
