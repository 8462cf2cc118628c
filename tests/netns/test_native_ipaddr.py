"""hbd's native IPaddr (issue 8): real hbd processes in namespaces run the shipped IPaddr
resource without forking the script. The VIP is added on the holder with the prefix, broadcast
and label the script would give it; a client sees the new holder's gratuitous ARPs (the frame
`arping -U` sends: ARP request, sender and target IP the VIP, sender MAC the holder's, broadcast
destination; three of them, 0.5 s apart), and its neighbour entry for the VIP moves to the new
holder's MAC; stop removes the VIP and cancels the announcements still pending. An operator's
own resource.d/IPaddr in /etc/ha.d still runs as a script, and an IPaddr2 linked to the shipped
script runs natively.
"""

import json
import os
import re
import subprocess
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from hbdtest.cluster import Cluster, run, wait_for  # noqa: E402
from hbdtest.configs import ha_cf  # noqa: E402

VIP = "192.0.2.50"
VIP_GROUP = f"IPaddr::{VIP}/24/eth0:svc"
SOURCE_DIR = os.environ.get(
    "HBD_SOURCE_DIR",
    os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
SCRIPTS_DIR = os.path.join(SOURCE_DIR, "scripts")
SHIPPED_IPADDR = os.path.join(SOURCE_DIR, "resource.d", "IPaddr")

# An operator's own IPaddr (e.g. Heartbeat's): logs its calls, keeps its state in a file and
# never touches the network, so running it instead of the native path is visible.
OPERATOR_IPADDR = """#!/bin/sh
echo "$(hostname) $1 $2" >>/etc/ha.d/operator-ipaddr.calls
state=/etc/ha.d/operator-ipaddr.state
case "$2" in
  start) touch "$state"; echo "operator-ipaddr: started $1" ;;
  stop) rm -f "$state"; echo "operator-ipaddr: stopped $1" ;;
  status) if [ -f "$state" ]; then echo running; else echo stopped; fi ;;
esac
exit 0
"""


def addresses(netns, dev="eth0"):
    """[addr_info dicts] of the IPv4 addresses on `dev` in `netns` (ip -j)."""
    out = run(["ip", "-n", netns, "-4", "-j", "addr", "show", "dev", dev]).stdout
    return json.loads(out)[0].get("addr_info", [])


def vip_info(netns, vip=VIP):
    return next((a for a in addresses(netns) if a.get("local") == vip), None)


def mac(netns, dev="eth0"):
    return json.loads(run(["ip", "-n", netns, "-j", "link", "show", "dev", dev]).stdout)[0][
        "address"]


def group(node, key):
    status = node.status()
    if status is None:
        return None
    return next((g for g in status.get("groups", []) if g["key"] == key), None)


def state_here(node, key=VIP_GROUP):
    g = group(node, key)
    return g and g["state_here"]


def garp_payload(sender_mac, vip=VIP):
    """The ARP packet `arping -U -I IFACE VIP` sends, as lowercase hex."""
    ip_hex = "".join(f"{int(p):02x}" for p in vip.split("."))
    return "0001080006040001" + sender_mac.replace(":", "") + ip_hex + "ff" * 6 + ip_hex


def parse_tcpdump(text):
    """[(time, source MAC, destination MAC, payload hex)] from `tcpdump -e -n -x -tt` lines."""
    frames = []
    current = None
    for line in text.splitlines():
        m = re.match(r"^(\d+\.\d+) ([0-9a-f:]{17}) > ([0-9a-f:]{17}), ethertype ARP", line)
        if m:
            current = [float(m.group(1)), m.group(2), m.group(3), ""]
            frames.append(current)
        elif current is not None and line.strip().startswith("0x"):
            current[3] += "".join(line.split(":", 1)[1].split())
    return [tuple(f) for f in frames]


class NativeIpaddrTest(unittest.TestCase):
    def ha_script(self, node, name):
        env_path = f"PATH={node.cluster.bin_dir}:/usr/sbin:/usr/bin:/sbin:/bin"
        return node.exec(["env", env_path, os.path.join(SCRIPTS_DIR, name)], check=False,
                         timeout=60)

    def start_cluster(self, c, haresources, scripts=None, links=None):
        for node in c.nodes:
            node.write_config(ha_cf(c.nodes), haresources)
            rdir = os.path.join(node.confdir, "resource.d")
            os.makedirs(rdir, exist_ok=True)
            for name, text in (scripts or {}).items():
                path = os.path.join(rdir, name)
                with open(path, "w") as f:
                    f.write(text)
                os.chmod(path, 0o755)
            for name, target in (links or {}).items():
                os.symlink(target, os.path.join(rdir, name))
        for node in c.nodes:
            node.start()

    def test_vip_added_announced_moved_and_removed_natively(self):
        with Cluster(nodes=2, prefix=f"nip{os.getpid() % 10000}") as c:
            n1, n2 = c.nodes
            capture = os.path.join(c.workdir, "client-arp.txt")
            with open(capture, "w") as out:
                tcpdump = subprocess.Popen(
                    ["ip", "netns", "exec", c.client, "timeout", "120", "tcpdump", "-i", "eth0",
                     "-e", "-n", "-x", "-tt", "-l", "-U", "arp"],
                    stdout=out, stderr=subprocess.DEVNULL, start_new_session=True)
            c.started.append(tcpdump)
            time.sleep(1)  # tcpdump is listening
            self.start_cluster(c, f"node1 {VIP_GROUP}\n")

            # Added on the holder with the script's prefix, broadcast and label.
            wait_for(lambda: state_here(n1) == "running", 15, what="group running on node1")
            info = vip_info(n1.netns)
            self.assertIsNotNone(info, addresses(n1.netns))
            self.assertEqual(info["prefixlen"], 24, info)
            self.assertEqual(info.get("broadcast"), "192.0.2.255", info)
            self.assertEqual(info.get("label"), "eth0:svc", info)
            self.assertIsNone(vip_info(n2.netns))
            self.assertIn(f"IPaddr: added {VIP}/24 on eth0", n1.log())
            # Native: the script's announcer (its pid file under /run/hbd) never ran.
            pidfile = f"/run/hbd/IPaddr-{VIP}.arping.pid"
            self.assertNotEqual(n1.exec(["test", "-e", pidfile], check=False).returncode, 0)

            # The client learns node1's MAC for the VIP (its first connection would do too).
            run(["ip", "netns", "exec", c.client, "ping", "-c", "1", "-W", "1", VIP])
            neigh = json.loads(run(["ip", "-n", c.client, "-j", "neigh", "show", VIP]).stdout)
            self.assertEqual(neigh[0]["lladdr"], mac(n1.netns), neigh)

            # Manual failover: node1 stops (removes the VIP, cancels its repeats), node2 starts.
            r = self.ha_script(n1, "hb_standby")
            self.assertEqual(r.returncode, 0, r.stderr)
            moved = time.time()
            wait_for(lambda: state_here(n2) == "running" and vip_info(n2.netns), 10,
                     what="group running on node2")
            self.assertIsNone(vip_info(n1.netns), "node1 kept the VIP after its stop")
            self.assertIn(f"IPaddr: removed {VIP}/24 from eth0", n1.log())
            self.assertIn(f"IPaddr: added {VIP}/24 on eth0", n2.log())
            info2 = vip_info(n2.netns)
            self.assertEqual((info2["prefixlen"], info2.get("broadcast"), info2.get("label")),
                             (24, "192.0.2.255", "eth0:svc"), info2)

            # The client's neighbour entry moves to node2's MAC from the gratuitous ARP alone
            # (no client traffic in between).
            wait_for(lambda: json.loads(run(["ip", "-n", c.client, "-j", "neigh", "show",
                                             VIP]).stdout)[0]["lladdr"] == mac(n2.netns),
                     1.0, interval=0.02, what="client's neighbour entry moves to node2's MAC")

            time.sleep(1.6)  # every repeat has gone out (0.5 s apart)
            with open(capture) as f:
                frames = parse_tcpdump(f.read())
            mac1, mac2 = mac(n1.netns), mac(n2.netns)
            from2 = [f for f in frames if f[1] == mac2 and f[3] == garp_payload(mac2)]
            self.assertEqual(len(from2), 3, frames)
            for f in from2:
                self.assertEqual(f[2], "ff:ff:ff:ff:ff:ff", f)
            gaps = [b[0] - a[0] for a, b in zip(from2, from2[1:])]
            for gap in gaps:
                self.assertGreater(gap, 0.4, gaps)
                self.assertLess(gap, 0.8, gaps)
            self.assertLess(from2[0][0] - moved, 1.0, "first gratuitous ARP came late")
            # node1 announced its start the same way; none of its frames came after node2's
            # first: its stop cancelled what was still pending.
            from1 = [f for f in frames if f[1] == mac1 and f[3] == garp_payload(mac1)]
            self.assertGreaterEqual(len(from1), 1, frames)
            self.assertTrue(all(f[0] < from2[0][0] for f in from1), frames)

            # Stop on the last holder (hbd exiting releases its groups) removes the VIP.
            n1.stop()
            n2.stop()
            self.assertIsNone(vip_info(n2.netns), "node2 kept the VIP after hbd stopped")
            self.assertIn(f"IPaddr: removed {VIP}/24 from eth0", n2.log())
            tcpdump.kill()

    def test_operator_ipaddr_runs_as_a_script_and_ipaddr2_link_natively(self):
        vip2 = "192.0.2.51"
        with Cluster(nodes=2, prefix=f"nip{os.getpid() % 10000}") as c:
            n1, n2 = c.nodes
            self.start_cluster(
                c, f"node1 IPaddr::{VIP}/24/eth0\nnode1 IPaddr2::{vip2}/25\n",
                scripts={"IPaddr": OPERATOR_IPADDR}, links={"IPaddr2": SHIPPED_IPADDR})
            key1, key2 = f"IPaddr::{VIP}/24/eth0", f"IPaddr2::{vip2}/25"
            wait_for(lambda: state_here(n1, key1) == "running"
                     and state_here(n1, key2) == "running", 15, what="both groups on node1")
            # The operator's script ran (its marker) and the native path did not add the VIP.
            with open(os.path.join(n1.confdir, "operator-ipaddr.calls")) as f:
                self.assertIn(f"node1 {VIP}/24/eth0 start", f.read())
            self.assertIn("operator-ipaddr: started", n1.log())
            self.assertIsNone(vip_info(n1.netns))
            self.assertNotIn(f"IPaddr: added {VIP}/", n1.log())
            # IPaddr2 is a link to the shipped IPaddr: native, with the given prefix.
            info = vip_info(n1.netns, vip2)
            self.assertIsNotNone(info, addresses(n1.netns))
            self.assertEqual(info["prefixlen"], 25, info)
            self.assertEqual(info.get("broadcast"), "192.0.2.127", info)
            self.assertIn(f"IPaddr: added {vip2}/25 on eth0", n1.log())

            r = self.ha_script(n1, "hb_standby")
            self.assertEqual(r.returncode, 0, r.stderr)
            wait_for(lambda: state_here(n2, key1) == "running"
                     and state_here(n2, key2) == "running", 10, what="both groups on node2")
            with open(os.path.join(n1.confdir, "operator-ipaddr.calls")) as f:
                self.assertIn(f"node1 {VIP}/24/eth0 stop", f.read())
            self.assertIsNone(vip_info(n1.netns, vip2))
            self.assertIsNotNone(vip_info(n2.netns, vip2))
            self.assertIn(f"IPaddr: removed {vip2}/25 from eth0", n1.log())

    def test_start_failure_is_the_scripts_failure(self):
        """A VIP in no subnet of the holder fails to start (exit 1 in the script) and the group
        start fails; the log says why, in the script's words."""
        with Cluster(nodes=2, prefix=f"nip{os.getpid() % 10000}") as c:
            n1, n2 = c.nodes
            key = "IPaddr::203.0.113.77"
            self.start_cluster(c, f"node1 {key}\n")
            want = ("IPaddr: ERROR: no interface holds an address in the subnet of "
                    "203.0.113.77; give IFACE and CIDR")
            wait_for(lambda: want in n1.log(), 15, what="node1's start failure")
            wait_for(lambda: (group(n1, key) or {}).get("last_transition", {}).get("outcome")
                     not in (None, "running"), 10, what="node1's failed start recorded")
            t = group(n1, key)["last_transition"]
            self.assertEqual(t["op"], "start", t)
            self.assertIn("start failed with exit code 1",
                          json.dumps(t["steps"]), t)
            self.assertIsNone(vip_info(n1.netns, "203.0.113.77"))


if __name__ == "__main__":
    unittest.main()
