"""Failover of a haresources group between two real hbd processes in namespaces (issue 4): a VIP
group comes up on its preferred node only and a client reaches it over TCP; a crashed holder's
group moves to the peer and the client follows the gratuitous ARP; a restarted node cleans up
its stale VIP and, with auto_failback off, leaves the group where it is (hb_standby and
hb_takeover move it), with auto_failback on gets it back (the peer stops before it starts); a
start failure in the middle of a group stops it right to left and the peer runs the group; a
stop that never succeeds is retried, escalated to the fence hook and keeps the group held.

Every case runs a VipSampler (hbdtest/vip_sampler.py) for its whole length and asserts at the
end that no two nodes held the VIP while a heartbeat link between them was up.
"""

import contextlib
import json
import os
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from hbdtest.cluster import Cluster, run, wait_for  # noqa: E402
from hbdtest.configs import ha_cf  # noqa: E402
from hbdtest.vip_sampler import VipSampler  # noqa: E402

VIP = "192.0.2.10"
VIP_GROUP = f"IPaddr::{VIP}/24/eth0"
PORT = 7070
SCRIPTS_DIR = os.path.join(
    os.environ.get("HBD_SOURCE_DIR",
                   os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))),
    "scripts")

# A tiny TCP service on every node: answers each connection with the node's name. Bounded: it
# gives up after 300 s even if nobody kills it (teardown does).
LISTENER = r"""
import socket, sys, time
name, port = sys.argv[1], int(sys.argv[2])
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("0.0.0.0", port))
s.listen(16)
s.settimeout(1.0)
deadline = time.monotonic() + 300
while time.monotonic() < deadline:
    try:
        conn, _ = s.accept()
    except socket.timeout:
        continue
    with conn:
        conn.sendall((name + "\n").encode())
"""

# The client side: one connection to the VIP, prints who answered (or nothing).
CLIENT = r"""
import socket, sys
try:
    with socket.create_connection((sys.argv[1], int(sys.argv[2])), timeout=0.5) as c:
        c.settimeout(0.5)
        print(c.recv(64).decode().strip())
except OSError as e:
    print("error: " + str(e), file=sys.stderr)
"""

# Test resource scripts (Heartbeat style: `NAME start|stop|status`), written into each node's
# /etc/ha.d/resource.d. Each logs "HOST ACTION TIME" to /etc/ha.d/NAME.calls (the node's own
# config dir) when called, and the marker also "HOST ACTION-done TIME" when it has finished; each
# keeps its state in /etc/ha.d/NAME.state, which survives hbd restarts.
RESOURCE_HEAD = """#!/bin/sh
name=$(basename "$0")
log="/etc/ha.d/$name.calls"
state="/etc/ha.d/$name.state"
echo "$(hostname) $1 $(date +%s.%N)" >>"$log"
"""
STATUS_BY_STATE = """  status|monitor) if [ -f "$state" ]; then echo running; else echo stopped; fi ;;
"""
MARKER = RESOURCE_HEAD + """case "$1" in
  start) touch "$state" ;;
  stop) rm -f "$state" ;;
""" + STATUS_BY_STATE + """esac
echo "$(hostname) $1-done $(date +%s.%N)" >>"$log"
exit 0
"""
FAILING_ON_NODE1 = RESOURCE_HEAD + """case "$1" in
  start) if [ "$(hostname)" = node1 ]; then echo "failing-rsc: refusing to start on node1" >&2;
         exit 1; fi; touch "$state" ;;
  stop) rm -f "$state" ;;
""" + STATUS_BY_STATE + """esac
exit 0
"""
STOP_NEVER_WORKS = RESOURCE_HEAD + """case "$1" in
  start) touch "$state" ;;
  stop) echo "stuck-rsc: cannot stop" >&2; exit 1 ;;
""" + STATUS_BY_STATE + """esac
exit 0
"""
FENCE_HOOK = """#!/bin/sh
echo "$* $(date +%s.%N)" >>/etc/ha.d/fence-hook.calls
exit 0
"""


def write_script(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)
    os.chmod(path, 0o755)


def calls(node, name, done=False):
    """[(host, action, time)] from a test script's call log on `node`: the calls, or with done
    the ends ("start-done", ...)."""
    try:
        with open(os.path.join(node.confdir, f"{name}.calls")) as f:
            entries = [(w[0], w[1], float(w[2])) for w in (l.split() for l in f) if len(w) == 3]
    except FileNotFoundError:
        return []
    return [e for e in entries if e[1].endswith("-done") == done]


def holder_sequence(sampler):
    """The VIP holders the sampler saw, without the empty moments between two holders (a
    handover gap can be shorter than a sample) and without repeats."""
    seq = []
    for holders in sampler.holders_without_moves_in_one_reading():
        if holders and (not seq or seq[-1] != holders):
            seq.append(holders)
    return seq


def group(node):
    """The node's view of the (only) group, or None while hbd does not answer."""
    status = node.status()
    if status is None or not status.get("groups"):
        return None
    return status["groups"][0]


def state_here(node):
    g = group(node)
    return g and g["state_here"]


def holds_vip(node):
    out = run(["ip", "-n", node.netns, "-4", "-o", "addr", "show", "dev", "eth0"]).stdout
    return f" {VIP}/" in out


def mac(netns, dev="eth0"):
    return json.loads(run(["ip", "-n", netns, "-j", "link", "show", "dev", dev]).stdout)[0][
        "address"]


def both_active(n1, n2):
    return n1.peer_status(n2.name) == "active" and n2.peer_status(n1.name) == "active"


class FailoverTest(unittest.TestCase):
    # Helpers ------------------------------------------------------------------------------------
    @contextlib.contextmanager
    def cluster(self, haresources=f"node1 {VIP_GROUP}\n", extra="", auto_failback="off",
                scripts=None):
        """A started two-node cluster with a listener on each node and the VIP sampler running;
        on a clean exit asserts the sampler saw no VIP on two nodes that could hear each other."""
        with Cluster(nodes=2, prefix=f"hbf{os.getpid() % 10000}") as c:
            for node in c.nodes:
                node.write_config(ha_cf(c.nodes, extra=extra, auto_failback=auto_failback),
                                  haresources)
                for name, text in (scripts or {}).items():
                    write_script(os.path.join(node.confdir, "resource.d", name), text)
                node.spawn(["python3", "-c", LISTENER, node.name, str(PORT)], name="listener")
            sampler = VipSampler(c, VIP).start()
            try:
                for node in c.nodes:
                    node.start()
                yield c, sampler
                # A case can now end within a few samples (the VIP moves in milliseconds): keep
                # watching a moment longer, so the no-two-holders check covers a real window.
                wait_for(lambda: sampler.samples > 20, 5, interval=0.01,
                         what="the VIP sampler's readings")
            finally:
                sampler.stop()
            if os.environ.get("HBD_TEST_VERBOSE"):
                print(sampler.report(), file=sys.stderr)
            self.assertGreater(sampler.samples, 10, sampler.report())
            self.assertEqual(sampler.errors, [], sampler.report())
            self.assertEqual(sampler.violations, [], sampler.report())

    def client_get(self, c):
        """Who answers a TCP connection to the VIP from the client namespace ("" if nobody)."""
        return c.in_client(["python3", "-c", CLIENT, VIP, str(PORT)], check=False,
                           timeout=10).stdout.strip()

    def wait_running_on(self, c, holder, timeout=15):
        """Waits until `holder` runs the group and every other node knows it."""
        other = [n for n in c.nodes if n is not holder]

        def settled():
            if state_here(holder) != "running" or not holds_vip(holder):
                return False
            for n in other:
                g = group(n)
                if not g or g["holder"] != holder.name or g["holder_state"] != "running" \
                        or g["state_here"] not in ("stopped", "released", "failed"):
                    return False
            return True
        wait_for(settled, timeout, what=f"group running on {holder.name}, known to all")

    def ha_script(self, node, name, *args):
        """Runs scripts/NAME (hb_standby, hb_takeover) on node; returns the CompletedProcess."""
        path = os.path.join(SCRIPTS_DIR, name)
        env_path = f"PATH={node.cluster.bin_dir}:/usr/sbin:/usr/bin:/sbin:/bin"
        return node.exec(["env", env_path, path] + list(args), check=False, timeout=60)

    def crash_node1_and_fail_over(self, c):
        """node1 crashes: its links go down and its hbd is SIGKILLed; node2 takes the group."""
        n1, n2 = c.nodes
        n1.link_down(0)
        n1.link_down(1)
        n1.kill()
        crashed = time.monotonic()
        wait_for(lambda: n2.peer_status("node1") == "dead", 10, what="node2 sees node1 dead")
        self.wait_running_on_alone(n2)
        self.assertLess(time.monotonic() - crashed, 5, "failover took too long")
        self.assertTrue(holds_vip(n1), "the crashed node1 still has its stale VIP (links down)")

    def wait_running_on_alone(self, node):
        wait_for(lambda: state_here(node) == "running" and holds_vip(node), 10,
                 what=f"group running on {node.name}")

    def restart_node1_cut_off(self, c):
        """Restarts node1's hbd while its links are still down and waits until its startup probe
        has removed the stale VIP; only then are the links restored.

        Why this order: the stale VIP is left behind by the SIGKILL. A real crash implies a
        reboot, which loses the address; here the restarted hbd must find and remove it (startup
        probe). While it does, node1 must not be reachable by the peer with the VIP still on it,
        so the links come back only once node1 reports the group not held and the address is
        gone from its namespace. That happens within initdead (3 s), before node1 could decide
        alone that node2 is dead, so node1 then joins and sees node2 holding the group. The
        sampler runs all along: if node1 started its own copy, it would see two holders as soon
        as the links are up."""
        n1, n2 = c.nodes
        n1.start()
        wait_for(lambda: (group(n1) or {}).get("last_transition", {}).get("reason")
                 == "active at startup" and state_here(n1) == "stopped", 5,
                 what="node1's startup probe stopped the stale VIP")
        t = group(n1)["last_transition"]
        self.assertEqual((t["op"], t["outcome"]), ("stop", "stopped"), t)
        self.assertFalse(holds_vip(n1), "stale VIP still on node1 after its startup probe")
        self.assertIn("active on this node at startup", n1.log())
        n1.link_up(0)
        n1.link_up(1)
        wait_for(lambda: both_active(n1, n2), 10, what="node1 and node2 see each other again")

    # Cases --------------------------------------------------------------------------------------
    def test_vip_comes_up_on_the_preferred_node_only(self):
        with self.cluster() as (c, sampler):
            n1, n2 = c.nodes
            self.wait_running_on(c, n1)
            self.assertEqual(self.client_get(c), "node1")
            self.assertFalse(holds_vip(n2))
            self.assertEqual(state_here(n2), "stopped")
            # Nobody else ever held it: from nothing straight to node1.
            self.assertEqual(sampler.holders_seen(), [(), ("node1",)], sampler.report())
            t = group(n1)["last_transition"]
            self.assertEqual((t["op"], t["outcome"]), ("start", "running"), t)
            self.assertEqual([(s["resource"], s["action"], s["ok"]) for s in t["steps"]],
                             [(VIP_GROUP, "start", True)])

    def test_crash_failover_restart_and_manual_moves(self):
        with self.cluster() as (c, sampler):
            n1, n2 = c.nodes
            self.wait_running_on(c, n1)
            self.assertEqual(self.client_get(c), "node1")

            self.crash_node1_and_fail_over(c)
            # The client's ARP cache still points at node1; node2's gratuitous ARP must move it
            # well before the kernel's own stale-entry probing would (5 s and more).
            moved = time.monotonic()
            wait_for(lambda: self.client_get(c) == "node2", 3, interval=0.1,
                     what="client reaches node2 at the VIP")
            self.assertLess(time.monotonic() - moved, 3)
            neigh = run(["ip", "-n", c.client, "-j", "neigh", "show", VIP]).stdout
            self.assertEqual(json.loads(neigh)[0]["lladdr"], mac(n2.netns), neigh)

            self.restart_node1_cut_off(c)
            # auto_failback off: the group stays on node2.
            time.sleep(1.5)
            self.wait_running_on(c, n2, timeout=1)
            self.assertEqual(self.client_get(c), "node2")

            r = self.ha_script(n2, "hb_standby")
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertIn(f"now running elsewhere: {VIP_GROUP} on node1", r.stdout)
            self.wait_running_on(c, n1, timeout=5)
            wait_for(lambda: self.client_get(c) == "node1", 3, interval=0.1,
                     what="client reaches node1 after hb_standby")

            r = self.ha_script(n2, "hb_takeover")
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertIn("now running here", r.stdout)
            self.wait_running_on(c, n2, timeout=5)
            wait_for(lambda: self.client_get(c) == "node2", 3, interval=0.1,
                     what="client reaches node2 after hb_takeover")

            r = self.ha_script(n1, "hb_standby")
            self.assertEqual(r.returncode, 1, r.stdout)
            self.assertIn("no group runs on this node", r.stderr)
            self.wait_running_on(c, n2, timeout=1)
            # node1 and node2 both held it only while node1's links were down (the sampler
            # asserts that); then node2, node1 (hb_standby), node2 (hb_takeover).
            self.assertEqual(holder_sequence(sampler),
                             [("node1",), ("node1", "node2"), ("node2",), ("node1",), ("node2",)],
                             sampler.report())

    def test_auto_failback_returns_the_group_stop_before_start(self):
        # marker first in the group: it is the last thing node2 stops and the first thing node1
        # starts, and it stamps its calls and ends in ns, so the order is measurable.
        with self.cluster(haresources=f"node1 marker {VIP_GROUP}\n", auto_failback="on",
                          scripts={"marker": MARKER}) as (c, sampler):
            n1, n2 = c.nodes
            self.wait_running_on(c, n1)
            self.crash_node1_and_fail_over(c)
            self.restart_node1_cut_off(c)
            self.wait_running_on(c, n1, timeout=10)
            stop = group(n2)["last_transition"]
            start = group(n1)["last_transition"]
            self.assertEqual((stop["op"], stop["outcome"]), ("stop", "stopped"), stop)
            self.assertEqual((start["op"], start["outcome"]), ("start", "running"), start)
            self.assertIn("auto_failback", stop["reason"])
            self.assertEqual([(s["resource"], s["action"]) for s in stop["steps"]],
                             [(VIP_GROUP, "stop"), ("marker", "stop")])
            self.assertEqual([(s["resource"], s["action"]) for s in start["steps"]],
                             [("marker", "start"), (VIP_GROUP, "start")])
            # node2's whole stop ended (its last action, marker stop, finished) before node1's
            # start began (its first action, marker start, was called): same host clock, ns.
            node2_stop_done = [t for _, a, t in calls(n2, "marker", done=True) if a == "stop-done"]
            node1_starts = [t for _, a, t in calls(n1, "marker") if a == "start"]
            self.assertEqual(len(node2_stop_done), 1, calls(n2, "marker", done=True))
            self.assertEqual(len(node1_starts), 2, calls(n1, "marker"))  # before the crash too
            self.assertLess(node2_stop_done[0], node1_starts[1])
            # The same from hbd's own records (ms stamps, so equal is possible).
            self.assertLessEqual(stop["started_unix_ms"] + stop["total_ms"],
                                 start["started_unix_ms"] + 1, (stop, start))
            self.assertEqual(self.client_get(c), "node1")
            self.assertEqual(holder_sequence(sampler),
                             [("node1",), ("node1", "node2"), ("node2",), ("node1",)],
                             sampler.report())

    def test_start_failure_in_the_middle_of_a_group(self):
        scripts = {"failing-rsc": FAILING_ON_NODE1, "marker": MARKER}
        with self.cluster(haresources=f"node1 {VIP_GROUP} failing-rsc marker\n",
                          extra="start_failure_backoff 60\n", scripts=scripts) as (c, sampler):
            n1, n2 = c.nodes
            self.wait_running_on(c, n2)
            g1 = group(n1)
            self.assertEqual(g1["state_here"], "failed", g1)
            self.assertEqual(g1["start_failures"], 1, g1)
            self.assertGreater(g1.get("backoff_remaining_ms", 0), 50000, g1)
            t = g1["last_transition"]
            self.assertEqual((t["op"], t["outcome"]), ("start", "start failed"), t)
            self.assertEqual([(s["resource"], s["action"], s["ok"]) for s in t["steps"]],
                             [(VIP_GROUP, "start", True), ("failing-rsc", "start", False),
                              ("failing-rsc", "stop", True), (VIP_GROUP, "stop", True)])
            # The scripts' own logs agree (status calls are the startup probe's).
            self.assertEqual([a for h, a, _ in calls(n1, "failing-rsc") if a != "status"],
                             ["start", "stop"])
            self.assertNotIn("start", [a for h, a, _ in calls(n1, "marker")])
            # node2 ran the whole group, left to right.
            self.assertEqual([a for h, a, _ in calls(n2, "failing-rsc") if a != "status"],
                             ["start"])
            self.assertEqual([a for h, a, _ in calls(n2, "marker") if a != "status"], ["start"])
            self.assertLess(calls(n2, "failing-rsc")[-1][2], calls(n2, "marker")[-1][2])
            self.assertEqual(self.client_get(c), "node2")
            # node1 held the VIP only while failing-rsc started and stopped (a few ms with the
            # native IPaddr): the sampler may or may not catch it; the steps above show it.
            self.assertIn(holder_sequence(sampler), ([("node1",), ("node2",)], [("node2",)]),
                          sampler.report())

    def check_stop_failure(self, trigger):
        """A group whose stuck-rsc never stops: `trigger` (hb_standby on node1, or hb_takeover
        on node2) makes node1 stop it; the stop is tried 3 times, the fence hook runs, the
        group stays stop-failed on node1 and node2 never starts it."""
        scripts = {"stuck-rsc": STOP_NEVER_WORKS, "marker": MARKER}
        extra = ("stop_retries 2\nstop_retry_delay 100ms\nstop_failure fence\n"
                 "fence_hook /etc/ha.d/fence-hook\n")
        with self.cluster(haresources=f"node1 {VIP_GROUP} marker stuck-rsc\n", extra=extra,
                          scripts=scripts) as (c, sampler):
            n1, n2 = c.nodes
            for node in c.nodes:
                write_script(os.path.join(node.confdir, "fence-hook"), FENCE_HOOK)
            self.wait_running_on(c, n1)

            asked = time.monotonic()
            if trigger == "hb_standby":
                r = self.ha_script(n1, "hb_standby")
                self.assertEqual(r.returncode, 1, r.stdout)
                self.assertIn(f"standby: {VIP_GROUP} could not be stopped", r.stderr)
            else:
                r = self.ha_script(n2, "hb_takeover")
                self.assertEqual(r.returncode, 1, r.stdout)
                self.assertIn(f"takeover: {VIP_GROUP} could not be stopped on node1 "
                              "(stop-failed)", r.stderr)
            # 3 stops 100 ms apart and a status, not a wait for some far deadline.
            self.assertLess(time.monotonic() - asked, 5)

            hook_file = os.path.join(n1.confdir, "fence-hook.calls")
            wait_for(lambda: os.path.exists(hook_file), 5, what="fence hook called")
            with open(hook_file) as f:
                hook_calls = f.read().splitlines()
            self.assertEqual(len(hook_calls), 1, hook_calls)
            words = hook_calls[0].split()
            self.assertEqual(words[:2], [VIP_GROUP, "node1"], hook_calls)
            stops = [t for h, a, t in calls(n1, "stuck-rsc") if a == "stop"]
            self.assertEqual(len(stops), 3, calls(n1, "stuck-rsc"))
            # Retries are 100 ms apart, and the hook comes after the last one.
            self.assertGreaterEqual(stops[1] - stops[0], 0.09)
            self.assertGreaterEqual(stops[2] - stops[1], 0.09)
            self.assertGreater(float(words[2]), stops[2])
            self.assertIn("fence hook", n1.log())

            # Still held here: resources left of the stuck one stay up, the VIP included.
            g1 = group(n1)
            self.assertEqual(g1["state_here"], "stop-failed", g1)
            self.assertEqual(g1["last_transition"]["outcome"], "stop failed", g1)
            self.assertEqual(n1.status()["resources_held"], "local")
            self.assertTrue(holds_vip(n1))
            # Moving it again is refused at once, saying why.
            r = self.ha_script(n1, "hb_standby")
            self.assertEqual(r.returncode, 1, r.stdout)
            self.assertIn(f"group {VIP_GROUP} could not be stopped here (stop-failed)", r.stderr)
            asked = time.monotonic()
            r = self.ha_script(n2, "hb_takeover")
            self.assertEqual(r.returncode, 1, r.stdout)
            self.assertIn(f"group {VIP_GROUP} could not be stopped on node1 (stop-failed)",
                          r.stderr)
            self.assertLess(time.monotonic() - asked, 2)
            # The peer never starts it: not at once, not after more than a deadtime.
            time.sleep(1.5)
            g2 = group(n2)
            self.assertEqual((g2["state_here"], g2["holder"], g2["holder_state"]),
                             ("stopped", "node1", "stop-failed"), g2)
            self.assertEqual([a for h, a, _ in calls(n2, "marker") if a == "start"], [])
            self.assertEqual([a for h, a, _ in calls(n2, "stuck-rsc") if a == "start"], [])
            self.assertFalse(holds_vip(n2))
            self.assertEqual(len([t for h, a, t in calls(n1, "stuck-rsc") if a == "stop"]), 3)
            self.assertTrue(n1.running() and n2.running())
            self.assertEqual(self.client_get(c), "node1")
            self.assertEqual(holder_sequence(sampler), [("node1",)], sampler.report())

    def test_stop_failure_on_hb_standby_fences_and_keeps_the_group_held(self):
        self.check_stop_failure("hb_standby")

    def test_stop_failure_on_hb_takeover_from_the_peer_fails_it_promptly(self):
        self.check_stop_failure("hb_takeover")


class VipSamplerTest(unittest.TestCase):
    """The sampler itself, without hbd: it must see a real overlap and only a real one."""

    def test_sampler_flags_two_holders_with_a_link_up_and_nothing_else(self):
        with Cluster(nodes=2, prefix=f"hbs{os.getpid() % 10000}") as c:
            n1, n2 = c.nodes
            add = ["addr", "add", f"{VIP}/24", "dev", "eth0"]
            delete = ["addr", "del", f"{VIP}/24", "dev", "eth0"]
            sampler = VipSampler(c, VIP).start()
            try:
                run(["ip", "-n", n1.netns] + add)
                wait_for(lambda: ("node1",) in sampler.holders_seen(), 5, what="node1 seen")
                # Both hold it, but node1 cannot hear node2 on any network: allowed.
                n1.link_down(0)
                n1.link_down(1)
                run(["ip", "-n", n2.netns] + add)
                wait_for(lambda: ("node1", "node2") in sampler.holders_seen(), 5,
                         what="both holders seen")
                time.sleep(0.2)
                self.assertEqual(sampler.violations, [], sampler.report())
                # eth1 up again, but node1 drops what it sends to node2 there: still cut.
                n1.link_up(1)
                n1.drop_traffic_to(n2.address(1))
                time.sleep(0.2)
                self.assertEqual(sampler.violations, [], sampler.report())
                n1.allow_all_traffic()
                wait_for(lambda: sampler.violations, 5, what="overlap with eth1 up flagged")
                run(["ip", "-n", n1.netns] + delete)
            finally:
                sampler.stop()
            self.assertEqual(sampler.violations[0][1], ("node1", "node2"), sampler.report())
            self.assertEqual(sampler.violations[0][2], [("node1", "node2", 1)], sampler.report())
            self.assertEqual(sampler.errors, [], sampler.report())


if __name__ == "__main__":
    unittest.main()
