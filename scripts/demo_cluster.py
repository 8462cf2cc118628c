"""The demo scenario behind scripts/demo: a narrated two-node hbd cluster in namespaces."""

import argparse
import os
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests",
                                "netns"))
from hbdtest.cluster import Cluster, sweep, wait_for  # noqa: E402
from hbdtest.cluster import vip_holders as holders_of  # noqa: E402
from hbdtest.configs import ha_cf  # noqa: E402

PREFIX = "hbdemo"
START = time.monotonic()


def say(text):
    print(f"[{time.monotonic() - START:7.3f}s] {text}", flush=True)


def show(node):
    for line in node.hbctl("status").stdout.rstrip().split("\n"):
        print(f"           {node.name}| {line}")


VIP = "192.0.2.10"


def vip_holders(cluster):
    return holders_of(cluster, VIP)


def leftovers():
    out = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True).stdout
    return [l.split()[0] for l in out.splitlines() if l.startswith(PREFIX + "-")]


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--bin-dir", required=True)
    parser.add_argument("--keep", action="store_true", help="leave the cluster running")
    parser.add_argument("--cleanup", action="store_true", help="remove a previous run's leftovers")
    parser.add_argument("--keepalive", default="100ms")
    parser.add_argument("--warntime", default="500ms")
    parser.add_argument("--deadtime", default="1")
    parser.add_argument("--initdead", default="3")
    args = parser.parse_args()

    if args.cleanup:
        sweep(PREFIX)
        print("demo: removed leftovers of earlier runs")
        return 0
    if leftovers():
        print(f"demo: a previous run left {', '.join(leftovers())}; "
              "run `scripts/demo --cleanup` first", file=sys.stderr)
        return 1

    # Ctrl-C and SIGTERM end the scenario through the Cluster's teardown.
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    cluster = Cluster(nodes=2, prefix=PREFIX, bin_dir=args.bin_dir)
    try:
        cluster.__enter__()
        n1, n2 = cluster.nodes
        say("created node1 and node2 (namespaces hbdemo-n1, hbdemo-n2), a router 192.0.2.254 "
            "and a client; networks 192.0.2.0/24 (eth0) and 198.51.100.0/24 (eth1)")
        timings = dict(keepalive=args.keepalive, warntime=args.warntime,
                       deadtime=args.deadtime, initdead=args.initdead)
        for node in cluster.nodes:
            node.write_config(ha_cf(cluster.nodes, ping=["192.0.2.254"], **timings),
                              haresources=f"node1 IPaddr::{VIP}/24/eth0\n")
        say(f"ha.cf: keepalive {args.keepalive}, warntime {args.warntime}, deadtime "
            f"{args.deadtime}, mcast on eth0 and ucast on eth1, ping node 192.0.2.254")
        say(f"haresources: node1 IPaddr::{VIP}/24/eth0 (the service address, preferred on node1)")
        for node in cluster.nodes:
            node.start()
        say("started hbd on both nodes")
        wait_for(lambda: n1.peer_status("node2") == "active"
                 and n2.peer_status("node1") == "active"
                 and n1.link_status("node2", "eth1") == "up", 20, what="cluster formed")
        say("the cluster formed: each node sees the other active over both links")
        wait_for(lambda: vip_holders(cluster) == ["node1"], 20, what="VIP on node1")
        say(f"the group started on its preferred node: {VIP} is on {vip_holders(cluster)}")
        show(n1)

        say("cutting node2's eth1 (198.51.100.0/24) ...")
        n2.link_down(1)
        cut = time.monotonic()
        wait_for(lambda: n1.link_status("node2", "eth1") == "dead", 30, what="link dead")
        say(f"node1: link node2:eth1 dead after {time.monotonic() - cut:.3f}s; node2 is still "
            f"{n1.peer_status('node2')} over eth0 — a dead link, not a dead node")
        n2.link_up(1)
        wait_for(lambda: n1.link_status("node2", "eth1") == "up", 30, what="link back")
        say("eth1 restored: link up again")

        say("crashing node1, the holder (links cut, hbd SIGKILLed) ...")
        n1.link_down(0)
        n1.link_down(1)
        n1.kill()
        crash = time.monotonic()
        wait_for(lambda: n2.peer_status("node1") == "dead", 60, what="node1 dead")
        dead = time.monotonic()
        say(f"node2 declared node1 dead after {dead - crash:.3f}s (deadtime {args.deadtime}s)")
        wait_for(lambda: "node2" in vip_holders(cluster), 60, what="VIP on node2")
        say(f"node2 took the group: {VIP} up on node2 {time.monotonic() - dead:.3f}s after that")
        show(n2)

        say("node1 comes back (as after a reboot: its stale address removed, links up, hbd "
            "started) ...")
        subprocess.run(["ip", "-n", n1.netns, "addr", "flush", "dev", "eth0", "to", VIP],
                       capture_output=True)
        n1.link_up(0)
        n1.link_up(1)
        n1.start()
        back = time.monotonic()
        wait_for(lambda: n2.peer_status("node1") == "active", 60, what="node1 back")
        say(f"node1 is back and active after {time.monotonic() - back:.3f}s; with auto_failback "
            f"off the group stays on {vip_holders(cluster)}")

        say("hb_standby on node2: move the group back to node1 ...")
        t0 = time.monotonic()
        result = n2.exec([os.path.join(os.path.dirname(os.path.abspath(__file__)), "hb_standby")],
                         check=False)
        say(f"hb_standby returned after {time.monotonic() - t0:.3f}s: "
            f"{(result.stdout or result.stderr).strip()}; {VIP} is on {vip_holders(cluster)}")
        show(n1)
        if args.keep:
            say("--keep: the cluster stays up. Explore it with:")
            for node in cluster.nodes:
                print(f"    nsenter -t {node.proc.pid} -m -u -n {args.bin_dir}/hbctl status")
            print("    scripts/demo --cleanup    # when done")
            cluster.started = []  # leave them running
            return 0
        say("done; removing everything")
        return 0
    except KeyboardInterrupt:
        say("interrupted; removing everything")
        return 130
    finally:
        if not args.keep:
            cluster.teardown()


if __name__ == "__main__":
    sys.exit(main())
