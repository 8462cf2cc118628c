"""Data safety with DRBD (issue 5): hbd's built-in dopd and its refusal to promote outdated data,
between two real hbd processes in namespaces, over the DRBD simulator (tests/drbd/drbdadm).

Each node gets, in its own mount namespace, its simulated DRBD state bound on /var/lib/drbd-sim
and a directory holding the simulator (as `drbdadm`) and the build's drbd-peer-outdater bound on
/usr/local/sbin: hbd's children (drbddisk, `drbdadm outdate`, `drbdadm dstate`) and the test's
node.exec(["drbdadm", ...]) find them as they would find the real ones. The replication link is
a directory of the cluster's workdir that both nodes share. The pair starts Secondary/UpToDate
on both sides with `fencing resource-only` and the fence-peer handler
/usr/local/sbin/drbd-peer-outdater; hbd's drbddisk promotes node1.

Cases: a replication-link cut makes node1's handler outdate node2 through hbd (exit 4); node1
then crashes and node2 refuses to start the group on its outdated data (the VIP never appears
there); node1 comes back ("rebooted": Secondary, UpToDate, resynced) and takes the group again.
The handler answers 5 when the peer is dead, 6 when the peer is Primary, 5 when no hbd runs
here. hbctl force-promote overrides a refusal (drbdadm primary --force).
"""

import contextlib
import os
import shutil
import subprocess
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from hbdtest.cluster import Cluster, run, wait_for  # noqa: E402
from hbdtest.configs import ha_cf  # noqa: E402
from hbdtest.vip_sampler import VipSampler  # noqa: E402

SOURCE_DIR = os.environ.get(
    "HBD_SOURCE_DIR",
    os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
SIMULATOR = os.path.join(SOURCE_DIR, "tests", "drbd", "drbdadm")

VIP = "192.0.2.10"
RES = "r0"
HARESOURCES = f"node1 drbddisk::{RES} IPaddr::{VIP}/24/eth0\n"
EXTRA = ("respawn hacluster /usr/lib/heartbeat/dopd\n"
         "apiauth dopd gid=haclient uid=hacluster\n"
         "start_failure_backoff 60\n")
HANDLER = "/usr/local/sbin/drbd-peer-outdater"
HANDLER_CMD = f"{HANDLER} -t 5"  # as in a drbd.conf: handlers { fence-peer "..."; }


# Per-node DRBD plumbing ----------------------------------------------------------------------
def sim_dir(node):
    return os.path.join(node.dir, "drbd-sim")


def tools_dir(node):
    return os.path.join(node.dir, "sbin")


def binds(node):
    return [(sim_dir(node), "/var/lib/drbd-sim"), (tools_dir(node), "/usr/local/sbin")]


def prepare_drbd(cluster, primary=None):
    """Tools dirs for every node and a fresh linked pair r0 between node1 and node2 (both
    Secondary/UpToDate unless `primary`), made from the host before any hbd starts."""
    for node in cluster.nodes:
        os.makedirs(sim_dir(node), exist_ok=True)
        os.makedirs(tools_dir(node), exist_ok=True)
        shutil.copy2(SIMULATOR, os.path.join(tools_dir(node), "drbdadm"))
        shutil.copy2(os.path.join(cluster.bin_dir, "drbd-peer-outdater"),
                     os.path.join(tools_dir(node), "drbd-peer-outdater"))
    n1, n2 = cluster.node(1), cluster.node(2)
    link = os.path.join(cluster.workdir, "drbd-link", RES)
    cmd = [SIMULATOR, "sim-pair", RES, link, f"node1:{sim_dir(n1)}", f"node2:{sim_dir(n2)}"]
    if primary:
        cmd.append(f"primary={primary}")
    run(cmd + ["fencing=resource-only", f"fence_peer_handler={HANDLER_CMD}"])


def drbd(node, *args, check=False):
    """drbdadm ARGS on the node (inside its mount namespace: the simulator and its state)."""
    return node.exec(["drbdadm"] + list(args), check=check)


def drbd_offline(node, *args):
    """The simulator on a node's state dir from the host (while the node's hbd is down)."""
    env = dict(os.environ, DRBD_SIM_DIR=sim_dir(node))
    result = subprocess.run([SIMULATOR] + list(args), env=env, capture_output=True, text=True,
                            timeout=30)
    if result.returncode != 0:
        raise RuntimeError(f"drbdadm {' '.join(args)} on {node.name}'s state: exit "
                           f"{result.returncode}: {result.stderr.strip()}")
    return result


def out(node, *args):
    return drbd(node, *args).stdout.strip()


def fence_log(node):
    try:
        with open(os.path.join(sim_dir(node), "fence-peer.log")) as f:
            return f.read().splitlines()
    except FileNotFoundError:
        return []


def events_log(node):
    try:
        with open(os.path.join(sim_dir(node), "events.log")) as f:
            return f.read()
    except FileNotFoundError:
        return ""


# Cluster views -------------------------------------------------------------------------------
def group(node):
    status = node.status()
    if status is None or not status.get("groups"):
        return None
    return status["groups"][0]


def holds_vip(node):
    text = run(["ip", "-n", node.netns, "-4", "-o", "addr", "show", "dev", "eth0"]).stdout
    return f" {VIP}/" in text


def runs_group(node):
    g = group(node)
    return bool(g) and g["state_here"] == "running" and holds_vip(node) \
        and out(node, "role", RES).startswith("Primary/")


def refused(node):
    """The group view when the node has refused to start it (reason and outcome shown)."""
    g = group(node)
    if not g or "refused" not in g:
        return None
    if g.get("last_transition", {}).get("outcome") != "refused-outdated-data":
        return None
    return g


def handler(node, *args):
    """drbd-peer-outdater ARGS on the node: (exit code, stderr, seconds it took)."""
    t0 = time.monotonic()
    r = node.exec([HANDLER] + list(args), check=False, timeout=60)
    return r.returncode, r.stderr, time.monotonic() - t0


def crash(node):
    """Both heartbeat links down, then SIGKILL to hbd (its VIP and DRBD role stay behind)."""
    node.link_down(0)
    node.link_down(1)
    node.kill()


class DataSafetyTest(unittest.TestCase):
    @contextlib.contextmanager
    def cluster(self):
        """Two nodes, pair r0 Secondary/UpToDate on both, hbd started on both with the VIP
        sampler running; waits until node1 runs the group (drbddisk made it Primary). On a clean
        exit asserts the sampler saw no VIP on two nodes that could hear each other."""
        with Cluster(nodes=2, prefix=f"hbds{os.getpid() % 10000}") as c:
            prepare_drbd(c)
            for node in c.nodes:
                node.write_config(ha_cf(c.nodes, extra=EXTRA), HARESOURCES)
            sampler = VipSampler(c, VIP).start()
            try:
                for node in c.nodes:
                    node.start(binds=binds(node))
                n1, n2 = c.nodes
                wait_for(lambda: runs_group(n1), 20, what="node1 runs the group")
                wait_for(lambda: (group(n2) or {}).get("holder") == "node1", 10,
                         what="node2 knows node1 holds the group")
                self.assertEqual(out(n1, "role", RES), "Primary/Secondary")
                self.assertEqual(out(n2, "dstate", RES), "UpToDate/UpToDate")
                yield c, sampler
            finally:
                sampler.stop()
            self.assertGreater(sampler.samples, 10, sampler.report())
            self.assertEqual(sampler.errors, [], sampler.report())
            self.assertEqual(sampler.violations, [], sampler.report())

    def outdate_node2_then_crash_node1(self, c, sampler):
        """Replication link cut, node1's fence-peer handler outdates node2 through hbd (exit 4),
        node1 crashes; returns node2's refused group view."""
        n1, n2 = c.nodes
        drbd(n1, "sim-link", RES, "cut", check=True)
        self.assertEqual(out(n2, "dstate", RES), "UpToDate/DUnknown")
        r = drbd(n1, "sim-lost-peer", RES, check=True)
        log = fence_log(n1)
        self.assertEqual(len(log), 1, (log, r.stderr))
        for word in ("reason=lost-peer", f"DRBD_RESOURCE={RES}", "DRBD_PEER=node2", "exit=4",
                     "pdsk=Outdated"):
            self.assertIn(word, log[0])
        self.assertEqual(out(n2, "dstate", RES), "Outdated/DUnknown")
        self.assertEqual(out(n1, "dstate", RES), "UpToDate/Outdated")
        self.assertIn(f"node1 asks this node to outdate its DRBD resource {RES}", n2.log())
        self.assertIn(f"drbdadm outdate {RES} exited 0; answering 4", n2.log())
        self.assertIn(f"outdate-peer {RES} on node2: 4", n1.log())

        crash(n1)
        wait_for(lambda: n2.peer_status("node1") == "dead", 10, what="node2 sees node1 dead")
        g = wait_for(lambda: refused(n2), 10, what="node2 refuses the group")
        self.assertIn(f"DRBD {RES} is Outdated here", g["refused"])
        self.assertNotEqual(g["state_here"], "running")
        crit = [line for line in n2.log().splitlines()
                if "CRIT" in line and "refusing to promote outdated data" in line]
        self.assertTrue(crit, n2.log()[-3000:])
        self.assertIn(f"DRBD {RES} is Outdated here", crit[0])
        return g

    def assert_node2_never_held_vip(self, sampler):
        seen = sampler.holders_seen()
        self.assertFalse([h for h in seen if "node2" in h], sampler.report())

    # Cases ---------------------------------------------------------------------------------------
    def test_outdated_peer_refuses_then_primary_comes_back(self):
        with self.cluster() as (c, sampler):
            n1, n2 = c.nodes
            self.outdate_node2_then_crash_node1(c, sampler)
            # Give it time to do the wrong thing: still refused, no VIP, DRBD still Secondary.
            time.sleep(2)
            self.assertIsNotNone(refused(n2))
            self.assertFalse(holds_vip(n2))
            self.assertEqual(out(n2, "role", RES), "Secondary/Unknown")
            self.assert_node2_never_held_vip(sampler)
            self.assertNotIn("operator forces", n2.log())

            # node1 reboots: no VIP, DRBD comes back Secondary with its UpToDate (newer) data;
            # the links come back and DRBD resyncs node2 from node1.
            run(["ip", "-n", n1.netns, "addr", "del", f"{VIP}/24", "dev", "eth0"])
            drbd_offline(n1, "sim-set", RES, "role=Secondary")
            n1.link_up(0)
            n1.link_up(1)
            drbd(n2, "sim-link", RES, "up", check=True)
            self.assertEqual(out(n2, "dstate", RES), "UpToDate/UpToDate")
            self.assertIn("event=resync-target from=node1", events_log(n2))
            n1.start(binds=binds(n1))
            wait_for(lambda: runs_group(n1), 20, what="node1 runs the group again")
            self.assertEqual(out(n1, "role", RES), "Primary/Secondary")
            self.assertFalse(holds_vip(n2))
            self.assert_node2_never_held_vip(sampler)

    def test_handler_peer_dead_then_peer_primary(self):
        with self.cluster() as (c, sampler):
            n1, n2 = c.nodes
            crash(n2)
            wait_for(lambda: n1.peer_status("node2") == "dead", 10, what="node1 sees node2 dead")
            rc, err, took = handler(n1, "-p", "node2", "-r", RES)
            self.assertEqual(rc, 5, err)
            self.assertLess(took, 2.0, err)
            self.assertIn("is not a live cluster node", n1.log())

            # node2 back; replication cut and node2 made Primary behind the cluster's back:
            # node2's hbd runs `drbdadm outdate`, which a Primary refuses (17): exit 6.
            n2.link_up(0)
            n2.link_up(1)
            n2.start(binds=binds(n2))
            wait_for(lambda: n1.peer_status("node2") == "active"
                     and n2.peer_status("node1") == "active", 15, what="both active")
            wait_for(lambda: (group(n2) or {}).get("holder") == "node1", 10,
                     what="node2 knows node1 holds the group")
            drbd(n2, "sim-link", RES, "cut", check=True)
            drbd(n2, "sim-set", RES, "role=Primary", check=True)
            rc, err, took = handler(n1, "-p", "node2", "-r", RES)
            self.assertEqual(rc, 6, err)
            self.assertLess(took, 5.0, err)
            self.assertIn(f"drbdadm outdate {RES} exited 17; answering 6", n2.log())
            self.assertEqual(out(n2, "dstate", RES), "UpToDate/DUnknown")
            self.assertTrue(runs_group(n1))

    def test_force_promote_overrides_refusal(self):
        with self.cluster() as (c, sampler):
            n1, n2 = c.nodes
            g = self.outdate_node2_then_crash_node1(c, sampler)
            self.assertFalse(holds_vip(n2))
            result = n2.hbctl("force-promote", g["key"], check=False)
            self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
            wait_for(lambda: runs_group(n2), 15, what="node2 runs the group (forced)")
            self.assertEqual(out(n2, "dstate", RES), "UpToDate/Outdated")
            self.assertIn("event=forced-uptodate old_disk=Outdated", events_log(n2))
            crit = [line for line in n2.log().splitlines()
                    if "CRIT" in line and "operator forces group" in line]
            self.assertTrue(crit, n2.log()[-3000:])
            self.assertIn(g["key"], crit[0])
            self.assertNotIn("refused", group(n2))

    def test_rejected_force_promote_leaves_no_override_behind(self):
        # force-promote typed on the node that already runs the group is rejected; it must not
        # stay armed for a later start of the group there on outdated data.
        with self.cluster() as (c, sampler):
            n1, n2 = c.nodes
            key = group(n1)["key"]
            result = n1.hbctl("force-promote", key, check=False)
            self.assertNotEqual(result.returncode, 0, result.stdout)
            self.assertIn("already runs here", result.stdout + result.stderr)
            self.assertIn(f"force-promote of group {key} withdrawn", n1.log())
            # The group moves to node2 (hb_standby); node2's handler outdates node1; node2 dies.
            n1.hbctl("standby")
            wait_for(lambda: runs_group(n2), 15, what="node2 runs the group after standby")
            self.assertEqual(out(n1, "role", RES), "Secondary/Primary")
            drbd(n2, "sim-link", RES, "cut", check=True)
            drbd(n2, "sim-lost-peer", RES, check=True)
            log = fence_log(n2)
            self.assertTrue(log and "exit=4" in log[-1], log)
            self.assertEqual(out(n1, "dstate", RES), "Outdated/DUnknown")
            crash(n2)
            wait_for(lambda: n1.peer_status("node2") == "dead", 10, what="node1 sees node2 dead")
            g = wait_for(lambda: refused(n1), 10, what="node1 refuses the group")
            self.assertIn(f"DRBD {RES} is Outdated here", g["refused"])
            time.sleep(1)
            self.assertFalse(holds_vip(n1))
            self.assertEqual(out(n1, "dstate", RES), "Outdated/DUnknown")
            self.assertNotIn("event=forced", events_log(n1))

    def test_handler_without_local_hbd(self):
        with Cluster(nodes=2, networks=1, prefix=f"hbds{os.getpid() % 10000}") as c:
            prepare_drbd(c, primary="node1")
            n1 = c.node(1)
            # The node's namespaces (private /run, DRBD binds) with no hbd in them.
            n1.start(program=["sleep", "120"], binds=binds(n1))
            wait_for(lambda: n1.exec(["test", "-d", "/run/hbd"], check=False).returncode == 0,
                     5, what="node1's namespaces set up")
            self.assertNotEqual(n1.exec(["test", "-e", "/run/hbd/hbd.sock"],
                                        check=False).returncode, 0)
            rc, err, took = handler(n1, "-p", "node2", "-r", RES)
            self.assertEqual(rc, 5, err)
            self.assertLess(took, 2.0, err)
            self.assertIn("hbd.sock", err)

            # As DRBD calls it after losing the peer: exit 5, the peer assumed dead.
            drbd(n1, "sim-link", RES, "cut", check=True)
            drbd(n1, "sim-lost-peer", RES, check=True)
            log = fence_log(n1)
            self.assertEqual(len(log), 1, log)
            self.assertIn("exit=5", log[0])
            self.assertIn("DRBD_PEER=node2", log[0])
            self.assertEqual(out(n1, "dstate", RES), "UpToDate/Outdated")


if __name__ == "__main__":
    unittest.main()
