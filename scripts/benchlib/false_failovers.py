"""Scenario 4: false failovers under packet loss, per system and timing setting.

Owns the loss conditions and their runs. Condition "loss30-one-link": 30 % random loss on eth0
(nftables `numgen random mod 100 < 30 drop` on input in both node namespaces, so each packet on
that link is lost with 30 %). eth0 is the VIP link and keepalived's only VRRP link; hbd and
Heartbeat also have eth1. Condition "loss10-both-busy": 10 % on eth0 and eth1 and both cores kept
busy by two bounded busy-loop processes. For each condition, every (system, setting) cluster runs
side by side (own namespace prefix, one thread each) for the same window. Counted over the window:
VIP moves (VIP additions seen by `ip monitor address` in the node namespaces: event-driven, no
polling) and dead events in the daemons' logs (hbd/Heartbeat: node declared dead; keepalived:
VRRP state changes).
"""

import os
import subprocess
import threading
import time

from hbdtest.cluster import Cluster, run as run_cmd

from benchlib import systems
from benchlib.results import Result

CONDITIONS = {
    "loss30-one-link": {"loss": {"eth0": 30}, "busy": False,
                        "words": "30 % random loss on eth0 (one link: hbd and Heartbeat also "
                                 "have eth1, keepalived's only VRRP link is eth0)"},
    "loss10-both-busy": {"loss": {"eth0": 10, "eth1": 10}, "busy": True,
                         "words": "10 % random loss on both links, both cores busy"},
}

BUSY_LOOP = ("import sys, time\nd = time.monotonic() + float(sys.argv[1])\n"
             "while time.monotonic() < d: pass\n")


def loss_rules(loss):
    lines = [f' iifname "{dev}" numgen random mod 100 < {pct} drop' for dev, pct in loss.items()]
    return ("table inet bench {\n chain in {\n type filter hook input priority 0;\n"
            + "\n".join(lines) + "\n }\n}\n")


def vip_additions(node):
    """VIP additions logged so far by the node's `ip -o monitor address`."""
    try:
        with open(os.path.join(node.dir, "ipmon.log"), errors="replace") as f:
            text = f.read()
    except FileNotFoundError:
        return 0
    return sum(1 for line in text.splitlines()
               if f" {systems.VIP}/" in line and not line.startswith("Deleted"))


def _one(system_name, setting, condition, opts, prefix, out, log, ready, go):
    cond = CONDITIONS[condition]
    label = f"{setting.label}; {condition}"
    released = False
    try:
        with Cluster(nodes=2, networks=2, prefix=prefix, bin_dir=opts.bin_dir) as c:
            system = systems.make(system_name, c, setting, opts.scripts_dir)
            system.configure()
            for node in c.nodes:
                node.spawn(["ip", "-o", "monitor", "address"], name="ipmon")
            system.start_all()
            system.wait_stable(timeout=60 + 3 * setting.deadtime_s)
            ready.release()
            released = True
            go.wait(timeout=600)
            moves0 = sum(vip_additions(n) for n in c.nodes)
            dead0 = sum(system.dead_events(n) for n in c.nodes)
            for node in c.nodes:
                run_cmd(["ip", "netns", "exec", node.netns, "nft", "-f", "-"],
                        input=loss_rules(cond["loss"]))
            time.sleep(opts.duration)
            for node in c.nodes:
                run_cmd(["ip", "netns", "exec", node.netns, "nft", "delete", "table", "inet",
                         "bench"], check=False)
            moves = sum(vip_additions(n) for n in c.nodes) - moves0
            dead = sum(system.dead_events(n) for n in c.nodes) - dead0
            holders = [n.name for n in system.holders()]
            system.stop_all()
        note = (f"{opts.duration:g} s; vip_moves = VIP additions on any node; holders at the "
                f"end: {holders or 'none'}")
        out += [Result("false-failovers", system_name, label, "vip_moves", "count", [moves], note),
                Result("false-failovers", system_name, label, "dead_events", "count", [dead],
                       note)]
        log(f"  {system_name} [{label}]: {moves} VIP moves, {dead} dead events")
    except (AssertionError, RuntimeError, subprocess.TimeoutExpired) as e:
        log(f"  {system_name} [{label}]: aborted: {e}")
        out.append(Result("false-failovers", system_name, label, "vip_moves", "count", [],
                          f"aborted: {str(e)[:160]}"))
    finally:
        if not released:
            ready.release()  # the others need not wait for a cluster that never settled


def run(opts, next_prefix, log=print):
    """(results, notes) for every condition (quick: the first only) and every setting."""
    conditions = list(CONDITIONS)[:1] if opts.quick else list(CONDITIONS)
    results, notes = [], []
    for condition in conditions:
        jobs = [(system, s) for system in opts.system_list
                for s in systems.chosen(system, opts)]
        log(f"false failovers: {CONDITIONS[condition]['words']}, {opts.duration:g} s, "
            f"{len(jobs)} clusters side by side")
        outs = [[] for _ in jobs]
        ready = threading.Semaphore(0)
        go = threading.Event()
        threads = [threading.Thread(target=_one, args=(system, s, condition, opts, next_prefix(),
                                                       outs[i], log, ready, go))
                   for i, (system, s) in enumerate(jobs)]
        for t in threads:
            t.start()
        for _ in threads:
            ready.acquire(timeout=300)
        busy = []
        if CONDITIONS[condition]["busy"]:
            busy = [subprocess.Popen(["python3", "-c", BUSY_LOOP, str(opts.duration + 30)],
                                     start_new_session=True) for _ in range(os.cpu_count() or 2)]
        go.set()
        try:
            for t in threads:
                t.join()
        finally:
            for p in busy:
                p.kill()
                p.wait(timeout=10)
        for o in outs:
            results += o
        notes.append(f"false failovers [{condition}]: {CONDITIONS[condition]['words']}; "
                     f"{len(jobs)} clusters ran side by side for the same {opts.duration:g} s "
                     "(each its own namespaces), so they also competed with each other for CPU")
    return results, notes

