"""src/net in network namespaces: hbd_net_probe (tests/net/net_probe.cc) runs in two harness nodes
and reports every datagram it receives with its link, every ping reply and its media states.

Checks: mcast on eth0 and ucast on eth1 both deliver with the right link name; a datagram that
arrives on another interface is not reported for a link; a medium whose interface is down or
missing at start is picked up once the interface is back; bcast works; ping replies from the
router arrive, and stop when nftables drops the requests; the unprivileged ping-socket fallback
works. Addresses: TEST-NET only, multicast groups in 239.255.0.0/16, IPv6 link-local only.
"""

import os
import re
import subprocess
import sys
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "netns"))
from hbdtest.cluster import Cluster, run, wait_for  # noqa: E402

RECV = re.compile(r"^probe: recv link=(\S+) medium=(\d+) data=(.*)$")
STATE = re.compile(r"^probe: state medium=(\d+) link=(\S+) open=(\d) sent=(\d+) "
                   r"send_errors=(\d+) received=(\d+) error=(.*) desc=(.*)$")


def prefix(tag):
    return f"net{tag}{os.getpid() % 10000}"


def start_probe(node, ha_cf, seconds, extra=()):
    node.write_config(ha_cf)
    open(node.logpath, "w").close()  # each run's output on its own
    probe = os.path.join(node.cluster.bin_dir, "hbd_net_probe")
    node.start(program=[probe, "/etc/ha.d/ha.cf", node.name, str(seconds)] + list(extra))


def lines(node):
    return [l for l in node.log().split("\n") if l.startswith("probe: ")]


def received(node, link=None, sender=None):
    """(link, medium, data) of every datagram reported, filtered by link and sender name."""
    out = []
    for line in lines(node):
        m = RECV.match(line)
        if not m:
            continue
        got = (m.group(1), int(m.group(2)), m.group(3))
        if link is not None and got[0] != link:
            continue
        if sender is not None and not got[2].startswith(sender + " "):
            continue
        out.append(got)
    return out


def last_states(node):
    """The latest state line of every medium: {index: dict}."""
    states = {}
    for line in lines(node):
        m = STATE.match(line)
        if m:
            states[int(m.group(1))] = {
                "link": m.group(2), "open": m.group(3) == "1", "sent": int(m.group(4)),
                "send_errors": int(m.group(5)), "received": int(m.group(6)),
                "error": m.group(7), "desc": m.group(8)}
    return states


def ping_replies(node, address):
    return sum(1 for l in lines(node) if l == f"probe: ping-reply {address}")


def wait_done(test, *nodes):
    for node in nodes:
        try:
            node.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            test.fail(f"{node.name}: probe did not finish; log:\n{node.log()}")
        test.assertEqual(node.proc.returncode, 0, f"{node.name} probe failed:\n{node.log()}")
        test.assertIn("probe: done", lines(node))


def send_udp(node, address, port, payload):
    """One UDP datagram from `node`'s namespace (any interface the routing picks)."""
    code = ("import socket,sys; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); "
            "s.sendto(sys.argv[3].encode(), (sys.argv[1], int(sys.argv[2])))")
    node.exec(["python3", "-c", code, address, str(port), payload])


MCAST_UCAST = """udpport 6940
mcast eth0 239.255.42.1 6941 1 0
ucast eth1 198.51.100.1
ucast eth1 198.51.100.2
"""


class MediaTest(unittest.TestCase):
    def test_mcast_and_ucast_deliver_on_their_own_links(self):
        with Cluster(nodes=2, networks=2, prefix=prefix("a")) as c:
            n1, n2 = c.nodes
            start_probe(n1, MCAST_UCAST, 4)
            start_probe(n2, MCAST_UCAST, 4)
            wait_for(lambda: received(n1, "eth1", "node2") and received(n1, "eth0", "node2"),
                     10, what="node2's datagrams on node1's eth0 and eth1")
            # Stray datagrams: to node1's eth0 address on the eth1 media's port, and to its eth1
            # address on the eth0 medium's port. Each arrives on the other interface: no report.
            # The third one arrives where a medium listens: reported (the path works).
            send_udp(n2, "192.0.2.1", 6940, "stray-eth0-port6940")
            send_udp(n2, "198.51.100.1", 6941, "stray-eth1-port6941")
            send_udp(n2, "198.51.100.1", 6940, "welcome-eth1-port6940")
            wait_done(self, n1, n2)

            for node, peer in ((n1, "node2"), (n2, "node1")):
                eth0 = received(node, "eth0", peer)
                eth1 = received(node, "eth1", peer)
                self.assertGreaterEqual(len(eth0), 20, f"{node.name} mcast on eth0")
                self.assertGreaterEqual(len(eth1), 20, f"{node.name} ucast on eth1")
                # The medium index is the first medium of the link's receive socket.
                self.assertEqual({m for _, m, _ in eth0}, {0})
                self.assertEqual({m for _, m, _ in eth1}, {1})
                # Once per link: never the same datagram twice on one link.
                for datagrams in (eth0, eth1):
                    data = [d for _, _, d in datagrams]
                    self.assertEqual(len(data), len(set(data)), f"{node.name}: duplicates")
                # Loop 0 and the ucast line naming this node: nothing of our own comes back.
                self.assertEqual(received(node, sender=node.name), [])
                self.assertEqual({l for l, _, _ in received(node)} - {"eth0", "eth1"}, set())

            all_data = [d for _, _, d in received(n1)]
            self.assertNotIn("stray-eth0-port6940", all_data)
            self.assertNotIn("stray-eth1-port6941", all_data)
            self.assertIn(("eth1", 1, "welcome-eth1-port6940"), received(n1))

            s1 = last_states(n1)
            self.assertEqual(len(s1), 3)
            self.assertTrue(all(s["open"] for s in s1.values()), s1)
            self.assertIn("own address, not sent", s1[1]["desc"])
            self.assertEqual(s1[1]["sent"], 0)
            self.assertGreaterEqual(s1[2]["sent"], 30)
            self.assertEqual(s1[2]["send_errors"], 0)
            self.assertGreaterEqual(s1[0]["sent"], 30)
            self.assertEqual(s1[0]["desc"], "mcast eth0 239.255.42.1:6941")

    def test_a_link_down_or_missing_at_start_is_picked_up_later(self):
        with Cluster(nodes=2, networks=2, prefix=prefix("b")) as c:
            n1, n2 = c.nodes
            # Down at start: the sockets open, sends fail until the link is up.
            n1.link_down(1)
            start_probe(n1, MCAST_UCAST, 8)
            start_probe(n2, MCAST_UCAST, 8)
            wait_for(lambda: received(n1, "eth0", "node2"), 10, what="eth0 works")
            time.sleep(1.0)
            self.assertEqual(received(n1, "eth1"), [])
            n1.link_up(1)
            wait_for(lambda: received(n1, "eth1", "node2"), 6, what="node1 eth1 after link up")
            wait_for(lambda: received(n2, "eth1", "node1"), 6, what="node2 hears node1 on eth1")
            wait_done(self, n1, n2)
            self.assertGreater(last_states(n1)[2]["send_errors"], 0, "sends failed while down")

            # Missing at start (renamed away): the media on it are retried until it is back.
            n1.link_down(1)
            run(["ip", "-n", n1.netns, "link", "set", "eth1", "name", "eth1off"])
            start_probe(n1, MCAST_UCAST, 9)
            start_probe(n2, MCAST_UCAST, 9)
            wait_for(lambda: received(n1, "eth0", "node2"), 10, what="eth0 works")
            wait_for(lambda: 1 in last_states(n1), 5, what="a state report")
            s = last_states(n1)
            self.assertFalse(s[1]["open"])
            self.assertFalse(s[2]["open"])
            self.assertIn("no interface eth1", s[2]["error"])
            self.assertTrue(s[0]["open"])
            run(["ip", "-n", n1.netns, "link", "set", "eth1off", "name", "eth1"])
            n1.link_up(1)
            wait_for(lambda: received(n1, "eth1", "node2"), 6, what="node1 eth1 after re-creation")
            wait_for(lambda: received(n2, "eth1", "node1"), 6, what="node2 hears node1 on eth1")
            wait_done(self, n1, n2)
            s = last_states(n1)
            self.assertTrue(all(v["open"] for v in s.values()), s)
            self.assertEqual(received(n1, "eth1off"), [])
            log = n1.log()
            # Bounded noise: the open failure is logged once per medium, not every retry.
            self.assertLessEqual(log.count("cannot be opened"), 2, log)

    def test_bcast_and_ping_replies(self):
        ha_cf = "udpport 6950\nbcast eth0 eth1\nping 192.0.2.254\n"
        with Cluster(nodes=2, networks=2, prefix=prefix("c")) as c:
            n1, n2 = c.nodes
            start_probe(n1, ha_cf, 8)
            start_probe(n2, ha_cf, 8)
            wait_for(lambda: received(n1, "eth0", "node2") and received(n1, "eth1", "node2"),
                     10, what="node2's broadcasts on node1's eth0 and eth1")
            wait_for(lambda: ping_replies(n1, "192.0.2.254") >= 2, 5, what="ping replies")
            self.assertIn("probe: ping-mode v4=raw v6=closed", lines(n1))
            n1.drop_traffic_to("192.0.2.254")
            time.sleep(0.7)  # replies already on their way
            before1 = ping_replies(n1, "192.0.2.254")
            before2 = ping_replies(n2, "192.0.2.254")
            time.sleep(2.5)
            self.assertEqual(ping_replies(n1, "192.0.2.254"), before1, "no replies after drop")
            self.assertGreater(ping_replies(n2, "192.0.2.254"), before2, "node2 still answered")
            wait_done(self, n1, n2)
            self.assertEqual({m for _, m, _ in received(n1, "eth0", "node2")}, {0})
            self.assertEqual({m for _, m, _ in received(n1, "eth1", "node2")}, {1})
            s = last_states(n1)
            self.assertEqual(s[0]["desc"], "bcast eth0 :6950")
            self.assertTrue(s[0]["sent"] >= 60 and s[1]["sent"] >= 60, s)

    def test_ipv6_link_local_mcast6_and_ucast6(self):
        with Cluster(nodes=2, networks=2, prefix=prefix("e")) as c:
            n1, n2 = c.nodes

            def link_local(node, interface):
                out = node.exec(["ip", "-6", "-o", "addr", "show", "dev", interface,
                                 "scope", "link"]).stdout
                if "tentative" in out:
                    return None
                m = re.search(r"inet6 (fe80::[0-9a-f:]+)/64", out)
                return m.group(1) if m else None

            peers = {n: wait_for(lambda n=n: link_local(n, "eth1"), 10, what="link-local")
                     for n in (n1, n2)}
            for n in (n1, n2):
                wait_for(lambda n=n: link_local(n, "eth0"), 10, what="link-local on eth0")
            for node, other in ((n1, n2), (n2, n1)):
                start_probe(node, f"udpport 6970\nmcast6 eth0 ff02::4242 6971 1 0\n"
                                  f"ucast6 eth1 {peers[other]}\n", 3)
            wait_done(self, n1, n2)
            for node, peer in ((n1, "node2"), (n2, "node1")):
                self.assertGreaterEqual(len(received(node, "eth0", peer)), 15, node.log())
                self.assertGreaterEqual(len(received(node, "eth1", peer)), 15, node.log())
                self.assertEqual({m for _, m, _ in received(node, "eth0")}, {0})
                self.assertEqual({m for _, m, _ in received(node, "eth1")}, {1})
                s = last_states(node)
                self.assertTrue(s[0]["open"] and s[1]["open"], s)
                self.assertEqual(s[0]["send_errors"] + s[1]["send_errors"], 0, s)

    def test_ping_socket_fallback(self):
        with Cluster(nodes=1, networks=1, prefix=prefix("d")) as c:
            n1 = c.nodes[0]
            run(["ip", "netns", "exec", n1.netns, "sysctl", "-q", "-w",
                 "net.ipv4.ping_group_range=0 2147483647"])
            start_probe(n1, "udpport 6960\nbcast eth0\nping_group routers 192.0.2.254 "
                        "192.0.2.77\n", 3, ["--ping-sockets"])
            wait_done(self, n1)
            self.assertIn("probe: ping-mode v4=ping socket v6=closed", lines(n1))
            self.assertGreaterEqual(ping_replies(n1, "192.0.2.254"), 3)
            self.assertEqual(ping_replies(n1, "192.0.2.77"), 0)  # nobody there


if __name__ == "__main__":
    unittest.main()
