"""Interoperability with Linux-HA Heartbeat 3.0.6 (issue 3): Debian's heartbeat runs as node1 and
hbd as node2, with the same timings, crm off, an empty haresources, mcast on eth0 and ucast on
eth1, the same sha1 authkeys. Heartbeat (asked with cl_status inside node1's namespaces, as an
operator would) and hbd must each see the other active with both links up; a SIGKILLed hbd is
dead for Heartbeat after its deadtime; a SIGKILLed Heartbeat is dead for hbd after deadtime; a
Heartbeat stopped with SIGTERM says `shutdone` and hbd marks it dead at once (and keeps it
dead while the leaving Heartbeat sends its last status messages); an hbd stopped with SIGTERM
says `shutdone` and Heartbeat takes it as a shutdown notice."""

import os
import signal
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from hbdtest.cluster import HEARTBEAT_PROGRAM, Cluster, wait_for  # noqa: E402
from hbdtest.configs import ha_cf  # noqa: E402

# Heartbeat accepts these (deadtime > 2 x keepalive); it only warns that initdead < 10 s.
KEEPALIVE = "250ms"
KEEPALIVE_S = 0.25  # a timeout counts from the last packet, up to one keepalive before a kill
WARNTIME = "1"
DEADTIME = 3.0  # seconds
INITDEAD = "6"


def heartbeat_installed():
    return os.access(HEARTBEAT_PROGRAM, os.X_OK) and os.access("/usr/bin/cl_status", os.X_OK)


def write_configs(cluster, heartbeat_node):
    """The same ha.cf for both nodes except the ucast peer; Heartbeat also logs to files in its
    node directory (read them when a check fails)."""
    for node in cluster.nodes:
        peer = next(n for n in cluster.nodes if n is not node)
        extra = "crm off\n"
        if node is heartbeat_node:
            extra += (f"use_logd no\nlogfile {node.dir}/ha-log\n"
                      f"debugfile {node.dir}/ha-debug\ndebug 1\n")
        media = ["mcast eth0 239.255.0.1 694 1 0", f"ucast eth1 {peer.address(1)}"]
        node.write_config(ha_cf(cluster.nodes, keepalive=KEEPALIVE, warntime=WARNTIME,
                                deadtime=f"{DEADTIME:g}", initdead=INITDEAD, media=media,
                                extra=extra))


def cl_status(node, *args):
    """cl_status run inside the Heartbeat node's namespaces; its output, or None when it fails
    to talk to Heartbeat (not running, API socket not open yet)."""
    if not node.running():
        return None
    result = node.exec(["cl_status"] + list(args), check=False, timeout=15)
    out = result.stdout.strip()
    return out if out else None


def heartbeat_log(hb):
    try:
        with open(os.path.join(hb.dir, "ha-log"), errors="replace") as f:
            return f.read()
    except FileNotFoundError:
        return ""


def heartbeat_sees_active(hb):
    return (cl_status(hb, "nodestatus", "node2") == "active"
            and cl_status(hb, "hblinkstatus", "node2", "eth0") == "up"
            and cl_status(hb, "hblinkstatus", "node2", "eth1") == "up")


def hbd_sees_active(hbd):
    return (hbd.peer_status("node1") == "active" and hbd.link_status("node1", "eth0") == "up"
            and hbd.link_status("node1", "eth1") == "up")


class HeartbeatInteropTest(unittest.TestCase):
    def setUp(self):
        if not heartbeat_installed():
            self.skipTest(f"Heartbeat 3 is not installed ({HEARTBEAT_PROGRAM} and cl_status; "
                          "Debian package `heartbeat`)")

    def diagnostics(self, cluster):
        hb, hbd = cluster.nodes
        texts = []
        for path in (os.path.join(hb.dir, "ha-log"), hbd.logpath):
            try:
                with open(path, errors="replace") as f:
                    texts.append(f"--- {path}\n" + "".join(f.readlines()[-60:]))
            except FileNotFoundError:
                pass
        return "\n".join(texts)

    def test_heartbeat_and_hbd_form_a_cluster_and_detect_death_and_shutdown(self):
        with Cluster(nodes=2) as c:
            try:
                self.run_checks(c)
            except AssertionError as e:
                raise AssertionError(f"{e}\n{self.diagnostics(c)}") from None
            finally:
                # Heartbeat forks children (media readers/writers, FIFO reader, resource
                # scripts): kill the group and whatever else runs in the node namespaces.
                for node in c.nodes:
                    node.kill_all()
            for node in c.nodes:
                self.assertEqual(node.namespace_pids(), [], f"{node.name} left processes")

    def run_checks(self, c):
        hb, hbd = c.nodes
        write_configs(c, hb)
        hb.start_heartbeat()
        hbd.start()

        # 1. Both see each other active, with both links up.
        wait_for(lambda: heartbeat_sees_active(hb), 30, interval=0.2,
                 what="Heartbeat: node2 active, links eth0 and eth1 up")
        wait_for(lambda: hbd_sees_active(hbd), 10, what="hbd: node1 active, both links up")
        self.assertEqual(cl_status(hb, "nodestatus", "node1"), "active")
        # Heartbeat (auto_failback off) waits at comm-up for its peer's resource report; hbd's
        # answer lets it settle (without it this stays "transition" and SIGTERM never ends it).
        wait_for(lambda: cl_status(hb, "rscstatus") not in (None, "transition"), 15,
                 interval=0.2, what="Heartbeat's resource state settled")
        time.sleep(2 * DEADTIME)  # stays formed: no flapping, no dead links
        self.assertTrue(heartbeat_sees_active(hb))
        self.assertTrue(hbd_sees_active(hbd))
        ha_log = heartbeat_log(hb)
        for bad in ("bad node", "failed authentication", "authentication failed",
                    "replay attack", "lost a lot of packets", "Late heartbeat", "is dead"):
            self.assertNotIn(bad, ha_log)

        # 2. SIGKILL hbd: Heartbeat declares node2 dead after its deadtime, not before.
        killed = time.monotonic()
        hbd.kill()
        while time.monotonic() - killed < DEADTIME - 1.0:
            self.assertEqual(cl_status(hb, "nodestatus", "node2"), "active",
                             "Heartbeat declared node2 dead before deadtime")
            time.sleep(0.1)
        wait_for(lambda: cl_status(hb, "nodestatus", "node2") == "dead", DEADTIME + 10,
                 interval=0.1, what="Heartbeat: node2 dead")
        noticed = time.monotonic() - killed
        self.assertGreaterEqual(noticed, DEADTIME - KEEPALIVE_S - 0.05)
        self.assertEqual(cl_status(hb, "hblinkstatus", "node2", "eth0"), "dead")

        # 3. Restart hbd: both active again. Then SIGKILL Heartbeat (its whole process group):
        #    hbd declares node1 dead after deadtime.
        hbd.start()
        wait_for(lambda: heartbeat_sees_active(hb), 30, interval=0.2,
                 what="Heartbeat: restarted node2 active again")
        wait_for(lambda: hbd_sees_active(hbd), 10, what="restarted hbd: node1 active")
        time.sleep(1)  # a few keepalives, so both ends are settled
        killed = time.monotonic()
        hb.kill_all()
        self.assertEqual(hb.namespace_pids(), [], "Heartbeat processes survived SIGKILL")
        while time.monotonic() - killed < DEADTIME - 0.5:
            self.assertEqual(hbd.peer_status("node1"), "active",
                             "hbd declared node1 dead before deadtime")
            time.sleep(0.05)
        wait_for(lambda: hbd.peer_status("node1") == "dead", DEADTIME + 10,
                 what="hbd: node1 dead")
        self.assertGreaterEqual(time.monotonic() - killed, DEADTIME - KEEPALIVE_S - 0.05)
        self.assertIn("node node1: active -> dead (timeout)", hbd.log())

        # 4. Start Heartbeat again, then stop it gracefully: it sends `shutdone` and hbd marks
        #    node1 dead at once, well before deadtime.
        hb.start_heartbeat()
        wait_for(lambda: heartbeat_sees_active(hb), 30, interval=0.2,
                 what="restarted Heartbeat: node2 active")
        wait_for(lambda: hbd_sees_active(hbd), 10, what="hbd: restarted node1 active")
        time.sleep(1)
        stopped = time.monotonic()
        hb.signal(signal.SIGTERM)
        wait_for(lambda: hbd.peer_status("node1") == "dead", DEADTIME + 10,
                 what="hbd: node1 dead after its shutdown")
        noticed = time.monotonic() - stopped
        self.assertLess(noticed, DEADTIME / 2, "hbd waited for the timeout despite shutdone")
        self.assertIn("node node1: active -> dead (shutdown)", hbd.log())
        hb.proc.wait(timeout=40)
        wait_for(lambda: hb.namespace_pids() == [], 10, what="Heartbeat's children gone")
        # hbd stays alive and alone; nothing revives node1.
        time.sleep(DEADTIME / 2)
        self.assertEqual(hbd.peer_status("node1"), "dead")
        self.assertEqual(hbd.peer_status("node2"), "active")

        # 5. The other way round: hbd stopped with SIGTERM says `shutdone`, which Heartbeat
        #    takes as a shutdown notice (it still waits for deadtime to call the node dead).
        hb.start_heartbeat()
        wait_for(lambda: heartbeat_sees_active(hb), 30, interval=0.2,
                 what="Heartbeat started again: node2 active")
        hbd.stop()
        self.assertEqual(hbd.proc.returncode, 0)
        wait_for(lambda: "Received shutdown notice from 'node2'" in heartbeat_log(hb), 5,
                 what="Heartbeat: shutdown notice from node2")
        wait_for(lambda: cl_status(hb, "nodestatus", "node2") == "dead", DEADTIME + 10,
                 interval=0.1, what="Heartbeat: node2 dead after its shutdown")


if __name__ == "__main__":
    unittest.main()
