"""The demo scenario behind scripts/demo: the seed's MySQL group on a narrated two-node hbd
cluster in namespaces, with a client writing rows through the service address while the holder
crashes and the group is moved back with hb_standby."""

import argparse
import os
import shutil
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests",
                                "netns"))
from hbdtest.cluster import Cluster, sweep, wait_for  # noqa: E402
from hbdtest import mysql_cluster as my  # noqa: E402

PREFIX = "hbdemo"
START = time.monotonic()
HB_STANDBY = os.path.join(os.path.dirname(os.path.abspath(__file__)), "hb_standby")


def say(text):
    print(f"[{time.monotonic() - START:7.3f}s] {text}", flush=True)


def show(node):
    for line in node.hbctl("status").stdout.rstrip().split("\n"):
        print(f"           {node.name}| {line}")


def leftovers():
    out = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True).stdout
    found = [l.split()[0] for l in out.splitlines() if l.startswith(PREFIX + "-")]
    return found + my.loop_leftovers(PREFIX)


def cleanup():
    sweep(PREFIX)
    time.sleep(0.2)  # the killed processes' mount namespaces (and their mounts) go away
    my.remove_loop_leftovers(PREFIX)
    for entry in os.listdir("/tmp"):
        if entry.startswith(PREFIX + "-"):
            shutil.rmtree(os.path.join("/tmp", entry), ignore_errors=True)


def steps_lines(g):
    t = g["last_transition"]
    return (f"{t['op']} {t['outcome']} in {t['total_ms']} ms: " + my.steps_text(g))


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--bin-dir", required=True)
    parser.add_argument("--keep", action="store_true", help="leave the cluster running")
    parser.add_argument("--cleanup", action="store_true", help="remove a previous run's leftovers")
    parser.add_argument("--failovers", type=int, default=1,
                        help="crash failovers, each followed by hb_standby back (default 1)")
    parser.add_argument("--keepalive", default="100ms")
    parser.add_argument("--warntime", default="500ms")
    parser.add_argument("--deadtime", default="1")
    parser.add_argument("--initdead", default="3")
    args = parser.parse_args()
    if not 1 <= args.failovers <= 20:
        parser.error("--failovers: 1 to 20")

    if args.cleanup:
        cleanup()
        print("demo: removed leftovers of earlier runs")
        return 0
    if leftovers():
        print(f"demo: a previous run left {', '.join(leftovers())}; "
              "run `scripts/demo --cleanup` first", file=sys.stderr)
        return 1

    # Ctrl-C and SIGTERM end the scenario through the teardown below.
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    signal.signal(signal.SIGINT, signal.default_int_handler)  # also when started in background
    cluster = Cluster(nodes=2, prefix=PREFIX, bin_dir=args.bin_dir)
    timings = dict(keepalive=args.keepalive, warntime=args.warntime, deadtime=args.deadtime,
                   initdead=args.initdead)
    mc = my.MysqlCluster(cluster, timings)
    events = []
    try:
        cluster.__enter__()
        n1, n2 = cluster.nodes
        say("created node1 and node2 (namespaces hbdemo-n1, hbdemo-n2), a router 192.0.2.254 "
            "and a client 192.0.2.100; networks 192.0.2.0/24 (eth0) and 198.51.100.0/24 (eth1)")
        mc.setup()
        say(f"shared storage: one ext4 file system on {mc.disk.device} (a file in the "
            "cluster's directory); both nodes see the device, only the holder mounts it")
        say("DRBD r0 between node1 and node2 runs on hbd's DRBD SIMULATOR (tests/drbd/drbdadm, "
            "no kernel module): drbddisk makes it Primary on the holder")
        say(f"ha.cf: keepalive {args.keepalive}, warntime {args.warntime}, deadtime "
            f"{args.deadtime}, mcast on eth0 and ucast on eth1, ping node 192.0.2.254, dopd")
        say("haresources (started left to right, stopped right to left; the VIP last, so "
            "clients reach it only once everything behind it is ready):")
        print("           " + my.haresources(mc.disk.device).strip().replace(" ", "\n             "))
        for node in cluster.nodes:
            mc.start(node)
        say("started hbd on both nodes (each in its own mount namespace: own /run, own /srv)")
        wait_for(lambda: n1.peer_status("node2") == "active"
                 and n2.peer_status("node1") == "active", 30, what="cluster formed")
        say("the cluster formed: each node sees the other active")
        g = mc.wait_running(n1, timeout=90)
        say(f"the group runs on node1 (first start initialised MariaDB's datadir on the shared "
            f"disk): {steps_lines(g)}")
        mc.create_schema(n1)
        say("created database hbd, table ledger and user demo")
        mc.start_writer()
        say(f"the client writes numbered rows through haproxy on {my.VIP}:{my.PROXY_PORT} (one "
            f"commit every ~5 ms) and caches each in memcached on {my.VIP}:{my.MEMCACHED_PORT}")
        show(n1)

        holder = n1
        for i in range(args.failovers):
            time.sleep(1.5)
            other = mc.other(holder)
            say(f"CRASH {i + 1}: {holder.name} loses power (links cut, hbd and MariaDB, "
                f"memcached, haproxy SIGKILLed; its mount goes with them) ... "
                f"{len(mc.acked())} rows acknowledged so far")
            wall, mono = mc.crash(holder)
            g = mc.wait_running(other, timeout=60)
            det = g["last_transition"]["started_unix_ms"] / 1000 - wall
            say(f"{other.name} declared {holder.name} dead after {det:.3f}s and took the group: "
                f"{steps_lines(g)}")
            out = mc.wait_client_back(mono, time.monotonic())
            say(f"the client's commits resumed: outage {out:.3f}s as the client saw it; "
                f"memcached on the VIP answers: {mc.memcached_roundtrip('crash', other.name)} "
                "(its cache started empty: memcached is not replicated)")
            events.append(("crash", holder.name, other.name, det,
                           g["last_transition"]["total_ms"], out, my.steps_text(g)))
            say(f"{holder.name} reboots (stale VIP removed, DRBD Secondary, hbd started) ...")
            mc.reboot(holder)
            say(f"{holder.name} is back; with auto_failback off the group stays on {other.name}")
            time.sleep(1.5)
            say(f"hb_standby on {other.name}: move everything back to {holder.name} ...")
            mono = time.monotonic()
            r = mc.standby(other, HB_STANDBY)
            g = mc.wait_running(holder, timeout=60)
            out = mc.wait_client_back(mono, time.monotonic())
            say(f"hb_standby returned {r.returncode} ({(r.stdout or r.stderr).strip()}); "
                f"{holder.name}: {steps_lines(g)}; client outage {out:.3f}s")
            events.append(("standby", other.name, holder.name, None,
                           g["last_transition"]["total_ms"], out, my.steps_text(g)))
        show(holder)

        time.sleep(0.5)
        mc.stop_writer()
        acked = mc.acked()
        rows = mc.rows_in_table(holder)
        lost = sorted(set(acked) - set(rows))
        say("summary:")
        print(f"    {'event':8} {'move':14} {'detection':>9} {'takeover':>9} {'outage':>8}  "
              "per resource")
        for kind, src, dst, det, took, out, steps in events:
            print(f"    {kind:8} {src + '->' + dst:14} "
                  f"{'-' if det is None else f'{det:.3f}s':>9} {took / 1000:8.3f}s "
                  f"{out:7.3f}s  {steps}")
        print(f"    rows acknowledged to the client: {len(acked)} (highest id {max(acked)}); "
              f"rows in the table now: {len(rows)} (highest id {max(rows)}); "
              f"acknowledged but missing: {len(lost)}")
        if args.keep:
            say("--keep: the cluster stays up. Explore it with:")
            for node in cluster.nodes:
                print(f"    nsenter -t {node.proc.pid} -m -u -n {args.bin_dir}/hbctl status")
            print("    scripts/demo --cleanup    # when done")
            cluster.started = []  # leave them running
            return 0
        say("done; removing everything")
        return 0 if not lost else 1
    except KeyboardInterrupt:
        say("interrupted; removing everything")
        return 130
    finally:
        if not args.keep:
            mc.teardown()


if __name__ == "__main__":
    sys.exit(main())
