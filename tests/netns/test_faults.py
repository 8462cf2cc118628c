"""Faults a running cluster must ride out (issue 9, "Faults"), with real hbd processes in
namespaces:

* the machine's clock stepped forward and back by minutes: no false dead, no duplicate takeover
  (hbd times liveness and timers on CLOCK_MONOTONIC only);
* file descriptors exhausted in a running daemon (soft RLIMIT_NOFILE lowered with prlimit):
  with none left, a control connection or metrics scrape waits (no busy loop on accept) and
  membership holds (a failed if_nametoindex is not a vanished interface); with two left, a group
  start fails cleanly saying why (EMFILE), nothing of it is stopped or left half-started, the
  group goes back to the peer, and once the limit is raised again the group starts here;
* the logfile's disk full: hbd keeps running, keeps its membership and still fails over; when
  space comes back logging resumes and says how many lines were lost;
* a peer flapping its links every few seconds: (a) one link at a time: no dead events, the group
  never moves; (b) the standby's links all flapping (each outage longer than deadtime) with a ping
  node: the holder keeps the group throughout and never stops it; the cut-off node, which sees
  the holder dead each time, may try to take it (no quorum, as in Heartbeat), but its VIP start
  fails on its downed interface and the start-failure back-off bounds the tries to two a minute:
  it never holds the VIP; (c) auto_failback on and the preferred holder's uplink
  (the ping node's network) flapping: ipfail moves the group away once, and the failback
  hold-down keeps it from coming back on every return (no ping-pong).

Every case runs a VipSampler (hbdtest/vip_sampler.py) and asserts that no two nodes held the VIP
while a heartbeat link between them was up. Namespace prefix: flt.
"""

import contextlib
import os
import re
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from hbdtest.cluster import Cluster, ROUTER_HOST, NETWORKS, run, wait_for  # noqa: E402
from hbdtest.configs import ha_cf  # noqa: E402
from hbdtest.vip_sampler import VipSampler  # noqa: E402

VIP = "192.0.2.10"
VIP_GROUP = f"IPaddr::{VIP}/24/eth0"
ROUTER = f"{NETWORKS[0]}.{ROUTER_HOST}"
SCRIPTS_DIR = os.path.join(
    os.environ.get("HBD_SOURCE_DIR",
                   os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))),
    "scripts")
IPFAIL = "respawn hacluster /usr/lib/heartbeat/ipfail\napiauth ipfail gid=haclient uid=hacluster\n"
# One metrics scrape of the node's hbd (loopback, in its namespace), bounded by its timeout.
METRICS_CLIENT = r"""
import socket
with socket.create_connection(("127.0.0.1", 9464), timeout=8) as s:
    s.sendall(b"GET /metrics HTTP/1.0\r\n\r\n")
    data = b""
    while True:
        chunk = s.recv(65536)
        if not chunk:
            break
        data += chunk
print(data.decode(errors="replace"))
"""
DEAD_EVENT = re.compile(r"node (node\d+): \S+ -> dead")


def dead_events(node):
    """The peers `node` declared dead, in order (from its log)."""
    return DEAD_EVENT.findall(node.log())


def group(node):
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


def both_active(n1, n2):
    return n1.peer_status(n2.name) == "active" and n2.peer_status(n1.name) == "active"


def holder_sequence(sampler):
    """The VIP holders seen, without empty moments between holders, without repeats and without
    a move that fell inside one reading (A removes, B adds between the sampler's per-node reads;
    a real overlap lasts two readings and is a sampler violation)."""
    return holder_sequence_of(sampler.holders_without_moves_in_one_reading())


def holder_sequence_of(seen):
    seq = []
    for holders in seen:
        if holders and (not seq or seq[-1] != holders):
            seq.append(holders)
    return seq


def ha_script(node, name, *args):
    path = os.path.join(SCRIPTS_DIR, name)
    env_path = f"PATH={node.cluster.bin_dir}:/usr/sbin:/usr/bin:/sbin:/bin"
    return node.exec(["env", env_path, path] + list(args), check=False, timeout=60)


def clock_can_be_stepped():
    """Whether this process may set CLOCK_REALTIME (tried as a no-op step)."""
    try:
        time.clock_settime(time.CLOCK_REALTIME, time.time())
        return True
    except (PermissionError, OSError):
        return False


@contextlib.contextmanager
def realtime_offset_kept():
    """Remembers CLOCK_REALTIME against CLOCK_MONOTONIC and sets it back exactly on exit, however
    the block ends; yields step(seconds), which steps the wall clock by `seconds`."""
    offset = time.clock_gettime(time.CLOCK_REALTIME) - time.clock_gettime(time.CLOCK_MONOTONIC)

    def step(seconds):
        time.clock_settime(time.CLOCK_REALTIME, time.clock_gettime(time.CLOCK_REALTIME) + seconds)

    try:
        yield step
    finally:
        time.clock_settime(time.CLOCK_REALTIME,
                           time.clock_gettime(time.CLOCK_MONOTONIC) + offset)


def open_fds(pid):
    """The descriptor numbers process `pid` has open."""
    return sorted(int(fd) for fd in os.listdir(f"/proc/{pid}/fd"))


def limit_leaving(pid, free):
    """The RLIMIT_NOFILE value that leaves process `pid` exactly `free` descriptor numbers."""
    used = set(open_fds(pid))
    limit = 0
    while free > 0 or limit in used:
        if limit not in used:
            free -= 1
        limit += 1
    return limit


def nofile_limit(pid):
    with open(f"/proc/{pid}/limits") as f:
        for line in f:
            if line.startswith("Max open files"):
                words = line.split()
                return int(words[3]), int(words[4])
    raise AssertionError(f"no open-files limit for {pid}")


class FaultsTest(unittest.TestCase):
    @contextlib.contextmanager
    def cluster(self, haresources=f"node1 {VIP_GROUP}\n", auto_failback="off", ping=None,
                deadping=None, extra="", programs=None, script_ipaddr=False):
        """A started two-node cluster with the VIP sampler running; on a clean exit asserts that
        no two nodes held the VIP while they could hear each other. `programs`: per node index,
        a program list for Node.start (default hbd). `script_ipaddr`: each node gets an operator's
        own /etc/ha.d/resource.d/IPaddr (running the shipped script), which hbd runs as a child
        process instead of its native IPaddr."""
        with Cluster(nodes=2, prefix=f"flt{os.getpid() % 10000}") as c:
            for node in c.nodes:
                node.write_config(ha_cf(c.nodes, auto_failback=auto_failback, ping=ping,
                                        deadping=deadping, extra=extra), haresources)
                if script_ipaddr:
                    rdir = os.path.join(node.confdir, "resource.d")
                    os.makedirs(rdir, exist_ok=True)
                    wrapper = os.path.join(rdir, "IPaddr")
                    shipped = os.path.join(os.path.dirname(SCRIPTS_DIR), "resource.d", "IPaddr")
                    with open(wrapper, "w") as f:
                        f.write(f'#!/bin/sh\nexec "{shipped}" "$@"\n')
                    os.chmod(wrapper, 0o755)
            sampler = VipSampler(c, VIP).start()
            try:
                for node in c.nodes:
                    node.start(program=(programs or {}).get(node.index))
                yield c, sampler
            finally:
                sampler.stop()
            if os.environ.get("HBD_TEST_VERBOSE"):
                print(sampler.report(), file=sys.stderr)
            self.assertGreater(sampler.samples, 10, sampler.report())
            self.assertEqual(sampler.errors, [], sampler.report())
            self.assertEqual(sampler.violations, [], sampler.report())
            for node in c.nodes:
                self.assertTrue(node.running(), f"{node.name} exited:\n{node.log()[-3000:]}")

    def wait_running_on(self, c, holder, timeout=15):
        other = [n for n in c.nodes if n is not holder]

        def settled():
            if state_here(holder) != "running" or not holds_vip(holder):
                return False
            for n in other:
                g = group(n)
                if not g or g["holder"] != holder.name or g["holder_state"] != "running":
                    return False
            return True
        wait_for(settled, timeout, what=f"group running on {holder.name}, known to all")

    # Clock steps --------------------------------------------------------------------------------
    def test_clock_stepped_forward_and_back_by_minutes(self):
        if not clock_can_be_stepped():
            self.skipTest("this sandbox does not let root set CLOCK_REALTIME")
        with self.cluster() as (c, sampler):
            n1, n2 = c.nodes
            self.wait_running_on(c, n1)
            wait_for(lambda: both_active(n1, n2), 10, what="both active")
            before = {n.name: group(n).get("last_transition") for n in c.nodes}
            with realtime_offset_kept() as step:
                # +5 min, 3 deadtimes there; back; -5 min, 3 deadtimes there; back (finally).
                for seconds in (300, -300, -300):
                    step(seconds)
                    time.sleep(3)
                    self.assertTrue(both_active(n1, n2), f"after a {seconds:+d} s step")
                    self.assertEqual(state_here(n1), "running")
            time.sleep(2)
            self.assertEqual(dead_events(n1) + dead_events(n2), [])
            self.assertTrue(both_active(n1, n2))
            self.wait_running_on(c, n1, timeout=1)
            # Nothing started or stopped anywhere since before the steps.
            self.assertEqual({n.name: group(n).get("last_transition") for n in c.nodes}, before)
            self.assertEqual(holder_sequence(sampler), [("node1",)], sampler.report())

    # File descriptors ---------------------------------------------------------------------------
    def test_descriptors_exhausted_for_a_group_start(self):
        # hbd's native IPaddr starts without a child process; an operator's IPaddr script makes
        # the group start need one (pipes, /dev/null), which is what runs out here.
        with self.cluster(extra="metrics_listen 127.0.0.1:9464\n",
                          script_ipaddr=True) as (c, sampler):
            n1, n2 = c.nodes
            self.wait_running_on(c, n1)
            wait_for(lambda: both_active(n1, n2), 10, what="both active")
            pid = n2.proc.pid
            original = nofile_limit(pid)
            # No room at all: a control connection cannot even be accepted. hbctl gets no
            # answer, hbd neither spins on the pending connection nor loses its peer.
            full = limit_leaving(pid, 0)
            run(["prlimit", "--pid", str(pid), f"--nofile={full}:{original[1]}"])
            try:
                cpu = self.cpu_seconds(pid)
                # A metrics scrape waits on the metrics socket meanwhile (same accept rule).
                scraper = n2.spawn(["python3", "-c", METRICS_CLIENT], name="scraper")
                self.assertNotEqual(n2.hbctl("status", check=False).returncode, 0)
                time.sleep(2)
                self.assertLess(self.cpu_seconds(pid) - cpu, 1.0, "hbd busy-loops on accept")
                self.assertIn("Too many open files", n2.log())
                self.assertIsNone(scraper.poll(), "the scrape was answered without descriptors")
            finally:
                run(["prlimit", "--pid", str(pid), f"--nofile={original[0]}:{original[1]}"])
            wait_for(lambda: n2.status() is not None, 5, what="node2 answers again")
            scraper.wait(timeout=10)
            with open(os.path.join(n2.dir, "scraper.log")) as f:
                self.assertIn("hbd_", f.read())  # answered once descriptors were back
            self.assertTrue(both_active(n1, n2))
            # A failed interface lookup (if_nametoindex needs a socket) is not a vanished NIC.
            self.assertNotIn("is gone", n2.log())
            # Room for hbctl's connection and /dev/null, not for the child's pipes.
            tight = limit_leaving(pid, 2)
            # Only the soft limit: raising a hard limit again needs CAP_SYS_RESOURCE.
            run(["prlimit", "--pid", str(pid), f"--nofile={tight}:{original[1]}"])
            try:
                r = ha_script(n2, "hb_takeover")
                self.assertEqual(r.returncode, 1, r.stdout + r.stderr)
                # The start failed and said why; the group went back to node1.
                self.assertIn("Too many open files", n2.log())
                self.wait_running_on(c, n1, timeout=15)
                g2 = group(n2)
                self.assertEqual(g2["state_here"], "failed", g2)
                t = g2["last_transition"]
                self.assertEqual((t["op"], t["outcome"]), ("start", "start failed"), t)
                # The VIP's start never ran, so there is nothing of it to stop: one step only.
                self.assertEqual([(s["resource"], s["action"], s["ok"]) for s in t["steps"]],
                                 [(VIP_GROUP, "start", False)], t)
                self.assertIn("Too many open files", t["steps"][0]["detail"])
                self.assertFalse(holds_vip(n2))
                self.assertEqual(n2.status()["resources_held"], "none")
                # Membership held through it, and the daemon is not spinning on EMFILE.
                time.sleep(1.5)
                self.assertTrue(both_active(n1, n2))
                cpu = self.cpu_seconds(pid)
                time.sleep(2)
                self.assertLess(self.cpu_seconds(pid) - cpu, 1.0, "hbd busy-loops on EMFILE")
            finally:
                run(["prlimit", "--pid", str(pid), f"--nofile={original[0]}:{original[1]}"])
            r = ha_script(n2, "hb_takeover")
            self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
            self.wait_running_on(c, n2, timeout=10)
            self.assertEqual(dead_events(n1) + dead_events(n2), [])
            self.assertEqual(holder_sequence(sampler), [("node1",), ("node2",)],
                             sampler.report())

    @staticmethod
    def cpu_seconds(pid):
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    # Disk full ----------------------------------------------------------------------------------
    def test_logfile_disk_full(self):
        # node1's logfile lives on a 64 KiB tmpfs mounted in its own mount namespace (gone with
        # it); node2 runs the group and crashes while node1's disk is full.
        hbd = os.path.join(os.environ.get("HBD_BIN_DIR", "build/bin"), "hbd")
        small_disk = ["/bin/sh", "-c", "mkdir -p /run/hbdlog && "
                      "mount -t tmpfs -o size=64k tmpfs /run/hbdlog && "
                      f'exec "{os.path.abspath(hbd)}" -c /etc/ha.d']
        logfile = "/run/hbdlog/hbd.log"
        with self.cluster(haresources=f"node2 {VIP_GROUP}\n", extra=f"logfile {logfile}\n",
                          programs={1: small_disk}) as (c, sampler):
            n1, n2 = c.nodes
            self.wait_running_on(c, n2)
            wait_for(lambda: both_active(n1, n2), 10, what="both active")

            def logfile_text():
                return n1.exec(["cat", logfile]).stdout

            self.assertIn("comm up", logfile_text())
            fill = n1.exec(["dd", "if=/dev/zero", "of=/run/hbdlog/filler", "bs=4k"], check=False)
            self.assertIn("No space left", fill.stderr)
            # The logfile's last page still has room: fill it with a line of our own (as if
            # another writer, a script, had written it), so the next line of hbd's fails.
            host_path = f"/proc/{n1.proc.pid}/root{logfile}"
            try:
                with open(host_path, "a") as f:
                    room = 4096 - os.path.getsize(host_path) % 4096
                    f.write("#" * (room - 1) + "\n")
            except OSError:
                pass  # full already
            full_size = len(logfile_text())
            # Something to log while the disk is full: node2's eth1 goes away and comes back,
            # node2 crashes, node1 takes the group.
            n2.link_down(1)
            wait_for(lambda: n1.link_status("node2", "eth1") == "dead", 10, what="eth1 dead")
            n2.link_up(1)
            wait_for(lambda: n1.link_status("node2", "eth1") == "up", 10, what="eth1 up")
            self.assertTrue(both_active(n1, n2))
            n2.link_down(0)
            n2.link_down(1)
            n2.kill()
            wait_for(lambda: n1.peer_status("node2") == "dead", 10, what="node1 sees node2 dead")
            wait_for(lambda: state_here(n1) == "running" and holds_vip(n1), 10,
                     what="node1 took the group with its log disk full")
            self.assertEqual(len(logfile_text()), full_size, "the logfile grew on a full disk")
            self.assertEqual(dead_events(n1), ["node2"])  # from stderr, which still works
            # Space comes back: the next line says how many were lost, and logging goes on.
            n1.exec(["rm", "/run/hbdlog/filler"])
            # node2 restarts cut off until its startup probe has removed the VIP the SIGKILL left
            # behind (as test_failover does), then joins.
            n2.start()
            wait_for(lambda: state_here(n2) == "stopped" and not holds_vip(n2), 10,
                     what="node2's startup probe removed its stale VIP")
            n2.link_up(0)
            n2.link_up(1)
            wait_for(lambda: both_active(n1, n2), 15, what="node2 back")
            text = logfile_text()[full_size:]
            self.assertRegex(text, r"\d+ log lines? lost \(No space left on device\)")
            self.assertIn("node node2: dead -> ", text)
            self.assertLess(text.find("lost"), text.find("node node2: dead -> "), text)
            self.wait_running_on(c, n1, timeout=5)

    # Flapping links -----------------------------------------------------------------------------
    def flap(self, node, networks, down, up, seconds, check=None):
        """Takes `node`'s links on `networks` down for `down` s and up for `up` s, repeatedly,
        for about `seconds`; calls check() once per cycle. Returns the number of cycles."""
        cycles = 0
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            for k in networks:
                node.link_down(k)
            time.sleep(down)
            for k in networks:
                node.link_up(k)
            time.sleep(up)
            cycles += 1
            if check:
                check()
        return cycles

    def test_flapping_one_link_at_a_time(self):
        with self.cluster() as (c, sampler):
            n1, n2 = c.nodes
            self.wait_running_on(c, n1)
            wait_for(lambda: both_active(n1, n2), 10, what="both active")
            # eth0 and eth1 of node2 in turn, each down 2 s (twice deadtime), up 1 s.
            for k in (0, 1, 0, 1, 0, 1):
                self.flap(n2, [k], down=2, up=1, seconds=0.1)
            time.sleep(1)
            self.assertEqual(dead_events(n1) + dead_events(n2), [])
            self.assertIn("link node2:eth0 dead", n1.log())
            self.assertIn("link node2:eth1 dead", n1.log())
            self.assertTrue(both_active(n1, n2))
            self.wait_running_on(c, n1, timeout=1)
            self.assertEqual(holder_sequence(sampler), [("node1",)], sampler.report())

    def test_standby_flapping_all_links_with_a_ping_node(self):
        with self.cluster(ping=[ROUTER], deadping="1", extra=IPFAIL) as (c, sampler):
            n1, n2 = c.nodes
            self.wait_running_on(c, n1)
            wait_for(lambda: both_active(n1, n2) and n1.peer_status(ROUTER) == "ping"
                     and n2.peer_status(ROUTER) == "ping", 10, what="both active, ping up")
            # node2 loses everything (the ping node included) for 2.5 s, then has 2.5 s of calm.
            cycles = self.flap(n2, [0, 1], down=2.5, up=2.5, seconds=60,
                               check=lambda: self.assertTrue(holds_vip(n1)))
            wait_for(lambda: both_active(n1, n2), 10, what="both active after the flapping")
            time.sleep(1)
            self.wait_running_on(c, n1, timeout=5)
            # node1 held the VIP in every sample after it first got it.
            seen = sampler.holders_seen()
            first = seen.index(("node1",))
            self.assertTrue(all("node1" in h for h in seen[first:]), sampler.report())
            # Every outage was a real one (node1 declared node2 dead each time) ...
            self.assertGreaterEqual(dead_events(n1).count("node2"), cycles - 1)
            # node1 never let go of it.
            self.assertNotIn(f"group {VIP_GROUP}: stopping", n1.log())
            # node2, cut off from node1 and the ping node alike, sees node1 dead at every outage
            # but never tries to take the group: no ping answer came after node1 fell silent,
            # and once its ping node times out it reaches none (ipfail). It says so.
            log2 = n2.log()
            self.assertNotIn(f"group {VIP_GROUP}: starting", log2)
            self.assertGreaterEqual(dead_events(n2).count("node1"), cycles - 1, log2[-3000:])
            self.assertIn(f"group {VIP_GROUP}: not starting it: this node reaches no ping node",
                          log2)
            self.assertEqual(holder_sequence(sampler), [("node1",)], sampler.report())

    def test_auto_failback_preferred_uplink_flapping_does_not_ping_pong(self):
        with self.cluster(auto_failback="on", ping=[ROUTER], deadping="600ms",
                          extra=IPFAIL) as (c, sampler):
            n1, n2 = c.nodes
            self.wait_running_on(c, n1)
            wait_for(lambda: both_active(n1, n2) and n1.peer_status(ROUTER) == "ping"
                     and n2.peer_status(ROUTER) == "ping", 10, what="both active, ping up")
            # node1's eth0 (its path to the ping node) down 2.5 s, up 2.5 s; eth1 stays up, so
            # membership holds and ipfail moves the group to node2.
            # Placement waited for both nodes' first ping answers, so the group started on node1
            # directly; every move is counted from the start.
            cycles = self.flap(n1, [0], down=2.5, up=2.5, seconds=25)
            self.assertGreaterEqual(cycles, 4)
            # Once node1 stays well connected, the group comes home once.
            self.wait_running_on(c, n1, timeout=20)
            self.assertEqual(dead_events(n1) + dead_events(n2), [])
            self.assertEqual(holder_sequence(sampler), [("node1",), ("node2",), ("node1",)],
                             f"{sampler.report()}\nnode1 log:\n{n1.log()[:4000]}\n"
                             f"node2 log:\n{n2.log()[:4000]}")
            self.assertIn("auto_failback", group(n2)["last_transition"]["reason"])


if __name__ == "__main__":
    unittest.main()
