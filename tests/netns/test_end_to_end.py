"""End to end (issue 7): the seed's MySQL group (drbddisk over the DRBD simulator, ext4 on a
shared loop device, MariaDB, memcached, haproxy as mysql-proxy, the VIP) on two hbd nodes, with a
client in the client namespace committing a numbered row every few ms through VIP:4040.

Alternates crash failovers (holder's links cut, hbd and everything it started SIGKILLed, then
the node reboots) and hb_standby moves back, CYCLES times each. Asserts: every failover
completes (the new holder runs the whole group, the other node does not); memcached answers on
the VIP after each; every row whose commit was acknowledged is in the table at the end (the
acknowledged ids are a subset of the table's ids); the file system is clean (e2fsck -fn on the
unmounted loop device); the VIP was never on both nodes while a link between them was up
(VipSampler). Each outage (client-visible, from the writer's timeline) is printed.
"""

import os
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from hbdtest.cluster import Cluster  # noqa: E402
from hbdtest.mysql_cluster import VIP, MysqlCluster, group, runs_group, steps_text  # noqa: E402
from hbdtest.vip_sampler import VipSampler  # noqa: E402

CYCLES = int(os.environ.get("HBD_E2E_CYCLES", "5"))


class EndToEndTest(unittest.TestCase):
    def test_mysql_group_survives_crashes_and_moves(self):
        cluster = Cluster(nodes=2, prefix=f"hbe{os.getpid() % 10000}")
        mc = MysqlCluster(cluster, timings=dict(keepalive="100ms", warntime="500ms",
                                                deadtime="1", initdead="3"))
        sampler = None
        try:
            cluster.__enter__()
            mc.setup()
            sampler = VipSampler(cluster, VIP, max_seconds=400).start()
            n1, n2 = cluster.nodes
            for node in cluster.nodes:
                mc.start(node)
            mc.wait_running(n1, timeout=90)
            mc.create_schema(n1)
            mc.start_writer()
            self.assertTrue(mc.memcached_roundtrip("hello", "node1"))
            events = []

            holder = n1
            for cycle in range(CYCLES):
                time.sleep(0.5)  # some rows between events
                # Crash of the holder: the other node takes over.
                other = mc.other(holder)
                wall, mono = mc.crash(holder)
                g = mc.wait_running(other, timeout=60)
                outage = mc.wait_client_back(mono, time.monotonic())
                detection = g["last_transition"]["started_unix_ms"] / 1000 - wall
                events.append(("crash", holder.name, other.name, detection,
                               g["last_transition"]["total_ms"], outage, steps_text(g)))
                self.assertEqual(g["last_transition"]["outcome"], "running", g)
                self.assertTrue(mc.memcached_roundtrip(f"crash{cycle}", other.name))
                mc.reboot(holder)
                self.assertFalse(runs_group(holder))
                self.assertTrue(runs_group(other))

                time.sleep(0.5)
                # hb_standby on the new holder: the group moves back.
                mono = time.monotonic()
                r = mc.standby(other)
                self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
                g = mc.wait_running(holder, timeout=60)
                self.assertEqual(g["last_transition"]["outcome"], "running", g)
                outage = mc.wait_client_back(mono, time.monotonic())
                events.append(("standby", other.name, holder.name, None,
                               g["last_transition"]["total_ms"], outage, steps_text(g)))
                self.assertTrue(mc.memcached_roundtrip(f"standby{cycle}", holder.name))
                self.assertFalse(runs_group(other))
                self.assertNotEqual((group(other) or {}).get("state_here"), "running")

            time.sleep(0.3)
            mc.stop_writer()
            acked = mc.acked()
            rows = mc.rows_in_table(holder)
            for kind, src, dst, det, took, out, steps in events:
                print(f"{kind:8s} {src}->{dst}: detection "
                      f"{'-' if det is None else f'{det:.3f}s'}, takeover {took}ms, "
                      f"client outage {out:.3f}s [{steps}]", flush=True)
            print(f"rows acknowledged {len(acked)} (max {max(acked)}), in table {len(rows)} "
                  f"(max {max(rows)})", flush=True)
            missing = sorted(set(acked) - set(rows))
            self.assertEqual(missing, [], "acknowledged rows lost")
            self.assertEqual(rows, sorted(set(rows)))
            self.assertGreater(len(acked), 100)
            self.assertEqual(len([e for e in events if e[0] == "crash"]), CYCLES)

            # Stop the group cleanly, then check the file system unmounted everywhere.
            holder.stop(timeout=60)
            mc.other(holder).stop(timeout=30)
            sampler.stop()
            cluster.teardown()
            self.assertEqual(mc.disk.mounted_anywhere(), [])
            rc, text = mc.disk.fsck()
            self.assertEqual(rc, 0, text)
            self.assertGreater(sampler.samples, 10, sampler.report())
            self.assertEqual(sampler.errors, [], sampler.report())
            self.assertEqual(sampler.violations, [], sampler.report())
        finally:
            if sampler:
                sampler.stop()
            mc.teardown()


if __name__ == "__main__":
    unittest.main()
