"""Configuration reload on SIGHUP and the configuration digest (issue 6), two real hbd processes in
namespaces with VIP groups (IPaddr on 192.0.2.x) and fast timings.

(a) an invalid edit is logged exactly as --check-config prints it and changes nothing; (b) new
timings apply at once and no group moves; (c) an added group starts on its preferred node while
the first never stops; (d) a removed group is stopped on its holder; (e) a held group whose
resource list changed restarts as the new definition; (f) a haresources difference between the
nodes shows in both logs and in status (config_mismatch) until it is fixed; (g) a reload during
a start waits for it (reload_pending) before the new group set takes over.

A VipSampler watches the first VIP in every case: it must never be on two nodes that hear each
other, and in the cases that must not move it, never leave node1 once it was there.
"""

import contextlib
import os
import signal
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from hbdtest.cluster import Cluster, run, wait_for  # noqa: E402
from hbdtest.configs import ha_cf  # noqa: E402
from hbdtest.vip_sampler import VipSampler  # noqa: E402

VIP = "192.0.2.10"
VIP2 = "192.0.2.11"
VIP3 = "192.0.2.12"
GROUP1 = f"node1 IPaddr::{VIP}/24/eth0\n"
GROUP2 = f"node2 IPaddr::{VIP2}/24/eth0\n"


# A resource whose start takes 1.5 s (state in /etc/ha.d/slow.state, the node's own config dir).
SLOW = """#!/bin/sh
state=/etc/ha.d/slow.state
case "$1" in
  start) sleep 1.5; touch "$state" ;;
  stop) rm -f "$state" ;;
  status|monitor) if [ -f "$state" ]; then echo running; else echo stopped; fi ;;
esac
exit 0
"""


def holds(node, vip):
    out = run(["ip", "-n", node.netns, "-4", "-o", "addr", "show", "dev", "eth0"]).stdout
    return f" {vip}/" in out


def groups(node):
    status = node.status()
    return None if status is None else {g["key"]: g for g in status.get("groups", [])}


def group_state(node, vip):
    g = (groups(node) or {}).get(f"IPaddr::{vip}/24/eth0")
    return g and g["state_here"]


def peer_entry(node, peer):
    status = node.status() or {"nodes": []}
    return next((n for n in status["nodes"] if n["name"] == peer), {})


class ReloadTest(unittest.TestCase):
    @contextlib.contextmanager
    def cluster(self, haresources=GROUP1):
        with Cluster(nodes=2, prefix=f"hbr{os.getpid() % 10000}") as c:
            for node in c.nodes:
                node.write_config(ha_cf(c.nodes), haresources)
            sampler = VipSampler(c, VIP).start()
            try:
                for node in c.nodes:
                    node.start()
                n1, n2 = c.nodes
                wait_for(lambda: group_state(n1, VIP) == "running" and holds(n1, VIP)
                         and (groups(n2) or {}).get(f"IPaddr::{VIP}/24/eth0", {}).get("holder")
                         == "node1", 10, what="group 1 running on node1, known to node2")
                yield c, sampler
            finally:
                sampler.stop()
            self.assertEqual(sampler.errors, [], sampler.report())
            self.assertEqual(sampler.violations, [], sampler.report())

    def edit(self, node, ha_cf_text=None, haresources=None):
        """Rewrites the node's ha.cf and/or haresources in place (authkeys untouched)."""
        for name, text in (("ha.cf", ha_cf_text), ("haresources", haresources)):
            if text is not None:
                with open(os.path.join(node.confdir, name), "w") as f:
                    f.write(text)

    def reload(self, node):
        """SIGHUP, then waits for the daemon's verdict in its log; returns the new log text."""
        before = len(node.log())
        node.signal(signal.SIGHUP)
        wait_for(lambda: "reload: configuration applied" in node.log()[before:]
                 or "old configuration keeps running" in node.log()[before:], 5,
                 what=f"{node.name} answers SIGHUP")
        return node.log()[before:]

    def assert_never_left_node1(self, sampler):
        seen = [h for h in sampler.holders_seen()]
        first = seen.index(("node1",))
        self.assertEqual(seen[first:], [("node1",)], sampler.report())

    # Cases ---------------------------------------------------------------------------------------
    def test_a_invalid_edit_is_logged_as_check_config_and_changes_nothing(self):
        with self.cluster() as (c, sampler):
            n1, n2 = c.nodes
            status_before = n1.status()
            bad = ha_cf(c.nodes, deadtime="banana") + "no_such_directive on\n"
            self.edit(n1, ha_cf_text=bad, haresources=GROUP1 + "node1 NoSuchScript::x\n")
            text = self.reload(n1)
            check = n1.exec([os.path.join(c.bin_dir, "hbd"), "--check-config", "-c",
                             "/etc/ha.d"], check=False)
            self.assertNotEqual(check.returncode, 0)
            errors = [l for l in check.stderr.splitlines() if ": error: " in l]
            self.assertGreaterEqual(len(errors), 2, check.stderr)
            for line in errors:
                self.assertIn(line, text)
            self.assertIn("the old configuration keeps running", text)
            status_after = n1.status()
            self.assertEqual(status_after["timings_ms"], status_before["timings_ms"])
            self.assertEqual(status_after["config_digest"], status_before["config_digest"])
            self.assertEqual(groups(n1)[f"IPaddr::{VIP}/24/eth0"]["last_transition"],
                             {g["key"]: g for g in status_before["groups"]}[
                                 f"IPaddr::{VIP}/24/eth0"]["last_transition"])
            self.assert_never_left_node1(sampler)
            # The old configuration still works: node1 crashes, node2 takes the group.
            n1.link_down(0)
            n1.link_down(1)
            n1.kill()
            wait_for(lambda: group_state(n2, VIP) == "running" and holds(n2, VIP), 10,
                     what="node2 takes the group after node1's crash")

    def test_b_timing_change_applies_at_once_and_moves_nothing(self):
        with self.cluster() as (c, sampler):
            n1, n2 = c.nodes
            t_before = groups(n1)[f"IPaddr::{VIP}/24/eth0"]["last_transition"]
            for node in c.nodes:
                self.edit(node, ha_cf_text=ha_cf(c.nodes, deadtime="2", warntime="1",
                                                 keepalive="200ms"))
            for node in c.nodes:
                self.assertIn("new timings in force", self.reload(node))
            for node in c.nodes:
                t = node.status()["timings_ms"]
                self.assertEqual((t["deadtime"], t["warntime"], t["keepalive"]),
                                 (2000, 1000, 200))
            # Peers hear the new keepalive: node2's last packet from node1 stays fresh.
            time.sleep(1.0)
            self.assertEqual(n2.peer_status("node1"), "active")
            self.assertEqual(groups(n1)[f"IPaddr::{VIP}/24/eth0"]["last_transition"], t_before)
            self.assert_never_left_node1(sampler)

    def test_c_added_group_starts_on_its_preferred_node_first_never_stops(self):
        with self.cluster() as (c, sampler):
            n1, n2 = c.nodes
            t_before = groups(n1)[f"IPaddr::{VIP}/24/eth0"]["last_transition"]
            for node in c.nodes:
                self.edit(node, haresources=GROUP1 + GROUP2)
            for node in c.nodes:
                self.reload(node)
            wait_for(lambda: group_state(n2, VIP2) == "running" and holds(n2, VIP2), 10,
                     what="the added group runs on node2")
            self.assertFalse(holds(n1, VIP2))
            self.assertEqual(group_state(n1, VIP2), "stopped")
            self.assertEqual(groups(n1)[f"IPaddr::{VIP}/24/eth0"]["last_transition"], t_before)
            self.assertEqual(group_state(n1, VIP), "running")
            self.assertNotIn(f"group IPaddr::{VIP}/24/eth0: stopping", n1.log())
            self.assert_never_left_node1(sampler)

    def test_d_removed_group_is_stopped_on_its_holder(self):
        with self.cluster(haresources=GROUP1 + GROUP2) as (c, sampler):
            n1, n2 = c.nodes
            wait_for(lambda: group_state(n2, VIP2) == "running", 10, what="group 2 on node2")
            for node in c.nodes:
                self.edit(node, haresources=GROUP2)
            for node in c.nodes:
                self.reload(node)
            wait_for(lambda: not holds(n1, VIP) and list(groups(n1) or {"x": 0})
                     == [f"IPaddr::{VIP2}/24/eth0"], 10, what="node1 stopped and forgot group 1")
            self.assertIn("removed from haresources (reload)", n1.log())
            self.assertEqual(list(groups(n2)), [f"IPaddr::{VIP2}/24/eth0"])
            time.sleep(1.0)  # nobody starts it again
            self.assertFalse(holds(n1, VIP) or holds(n2, VIP))
            self.assertEqual(group_state(n2, VIP2), "running")

    def test_e_changed_resource_list_restarts_as_the_new_definition(self):
        with self.cluster() as (c, sampler):
            n1, n2 = c.nodes
            changed = f"node1 IPaddr::{VIP}/24/eth0 IPaddr::{VIP3}/24/eth0\n"
            for node in c.nodes:
                self.edit(node, haresources=changed)
            for node in c.nodes:
                self.reload(node)
            key = f"IPaddr::{VIP}/24/eth0"

            def restarted():
                g = (groups(n1) or {}).get(key)
                return (g and g["state_here"] == "running" and len(g["resources"]) == 2
                        and g.get("last_transition", {}).get("op") == "start"
                        and holds(n1, VIP) and holds(n1, VIP3))
            wait_for(restarted, 10, what="group 1 restarted with two addresses on node1")
            self.assertIn("its haresources line changed (reload)", n1.log())
            self.assertFalse(holds(n2, VIP) or holds(n2, VIP3))
            self.assertEqual(groups(n2)[key]["holder"], "node1")

    def test_f_digest_mismatch_shows_until_fixed(self):
        with self.cluster() as (c, sampler):
            n1, n2 = c.nodes
            digest = n1.status()["config_digest"]
            self.assertEqual(n2.status()["config_digest"], digest)
            wait_for(lambda: peer_entry(n1, "node2").get("config_digest") == digest, 5,
                     what="node1 hears node2's digest")
            self.assertFalse(peer_entry(n1, "node2")["config_mismatch"])
            self.edit(n2, haresources=GROUP1 + GROUP2)
            self.reload(n2)
            wait_for(lambda: peer_entry(n1, "node2").get("config_mismatch") is True
                     and peer_entry(n2, "node1").get("config_mismatch") is True, 5,
                     what="both nodes show the mismatch")
            self.assertNotEqual(n2.status()["config_digest"], digest)
            for node, peer in ((n1, "node2"), (n2, "node1")):
                wait_for(lambda: f"configuration differs from {peer}'s" in node.log(), 5,
                         what=f"{node.name} warns")
            self.edit(n2, haresources=GROUP1)
            self.reload(n2)
            wait_for(lambda: peer_entry(n1, "node2").get("config_mismatch") is False
                     and peer_entry(n2, "node1").get("config_mismatch") is False, 5,
                     what="the flag clears on both nodes")
            self.assertIn("configuration agrees with node2's again", n1.log())
            self.assert_never_left_node1(sampler)

    def test_g_reload_during_a_start_waits_for_it(self):
        with self.cluster() as (c, sampler):
            n1, n2 = c.nodes
            for node in c.nodes:
                path = os.path.join(node.confdir, "resource.d", "slow")
                os.makedirs(os.path.dirname(path), exist_ok=True)
                with open(path, "w") as f:
                    f.write(SLOW)
                os.chmod(path, 0o755)
            slow_group = f"node1 IPaddr::{VIP}/24/eth0 slow\n"
            for node in c.nodes:
                self.edit(node, haresources=slow_group)
                self.reload(node)
            key = f"IPaddr::{VIP}/24/eth0"
            wait_for(lambda: group_state(n1, VIP) == "starting"
                     and "slow start" not in str(groups(n1)[key].get("last_transition")), 5,
                     what="the new definition is starting on node1")
            # A second reload while the slow start runs: the group set waits for it.
            for node in c.nodes:
                self.edit(node, haresources=slow_group + GROUP2)
            text = self.reload(n1)
            self.assertIn("group changes pending", text)
            self.assertTrue(n1.status()["reload_pending"])
            self.reload(n2)
            wait_for(lambda: not n1.status()["reload_pending"], 10,
                     what="node1's new group set in force once its start is over")
            wait_for(lambda: group_state(n2, VIP2) == "running", 10,
                     what="the added group runs on node2")
            g = groups(n1)[key]
            self.assertEqual((g["state_here"], g["last_transition"]["outcome"]),
                             ("running", "running"), g)
            self.assertEqual(len(g["resources"]), 2)
            self.assertEqual(groups(n1)[f"IPaddr::{VIP2}/24/eth0"]["holder"], "node2")
            log = n1.log()
            waited = log.index("the group changes wait until the starts and stops under way")
            self.assertLess(log.index("start running", waited),
                            log.index("group set in force (1 kept, 1 added", waited))


if __name__ == "__main__":
    unittest.main()
