"""Scenario 3: idle footprint at keepalive 100 ms (keepalived: advert 100 ms).

Owns one settled two-node cluster per system, all running side by side (each its own namespace
prefix, one thread each), and reads /proc for every process of each node's daemon: CPU time
(schedstat, else utime + stime) over the window as % of one core, and at the window's end the RSS sum (VmRSS)
and the PSS sum (/proc/PID/smaps_rollup: shared library pages split between their users, which
RSS counts in full in every process). Values are per node.
"""

import os
import subprocess
import threading
import time

from hbdtest.cluster import Cluster

from benchlib import systems
from benchlib.results import Result

CLK_TCK = os.sysconf("SC_CLK_TCK")


def _cpu_seconds(pid):
    """CPU time the process has used: /proc/PID/schedstat's first field (ns, exact), else
    utime + stime from /proc/PID/stat (clock ticks, 10 ms steps); None once it is gone."""
    try:
        with open(f"/proc/{pid}/schedstat") as f:
            return int(f.read().split()[0]) / 1e9
    except (FileNotFoundError, ProcessLookupError, IndexError, ValueError):
        pass
    try:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / CLK_TCK  # utime, stime (fields 14, 15)
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return None


def _kb(path, key):
    try:
        with open(path) as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except (FileNotFoundError, ProcessLookupError):
        pass
    return None


def measure(system, node, seconds):
    """(cpu %, rss kB, pss kB, process count) of the node's daemon over `seconds`."""
    pids = system.daemon_pids(node)
    start = {pid: _cpu_seconds(pid) for pid in pids}
    t0 = time.monotonic()
    time.sleep(seconds)
    elapsed = time.monotonic() - t0
    used = 0.0
    rss = pss = 0
    alive = 0
    for pid, before in start.items():
        after = _cpu_seconds(pid)
        if before is None or after is None:
            continue
        alive += 1
        used += after - before
        rss += _kb(f"/proc/{pid}/status", "VmRSS") or 0
        pss += _kb(f"/proc/{pid}/smaps_rollup", "Pss") or 0
    cpu = 100.0 * used / elapsed
    return round(cpu, 3), rss, pss, alive


def _one(system_name, opts, prefix, out, log):
    setting = systems.setting(system_name, systems.FOOTPRINT_SETTING[system_name])
    try:
        with Cluster(nodes=2, networks=2, prefix=prefix, bin_dir=opts.bin_dir) as c:
            system = systems.make(system_name, c, setting, opts.scripts_dir)
            system.configure()
            system.start_all()
            try:
                system.wait_stable(timeout=60)
                time.sleep(2)  # past start-up work
                per_node = [None] * len(c.nodes)

                def probe(i, node):
                    per_node[i] = measure(system, node, opts.footprint_seconds)
                threads = [threading.Thread(target=probe, args=(i, n))
                           for i, n in enumerate(c.nodes)]
                for t in threads:
                    t.start()
                for t in threads:
                    t.join()
            finally:
                system.stop_all()
        procs = ", ".join(str(m[3]) for m in per_node)
        note = f"per node, {opts.footprint_seconds:g} s window; daemon processes: {procs}"
        out += [
            Result("idle-footprint", system_name, setting.label, "cpu_percent", "% of a core",
                   [m[0] for m in per_node], note),
            Result("idle-footprint", system_name, setting.label, "rss_kb", "kB",
                   [m[1] for m in per_node], note),
            Result("idle-footprint", system_name, setting.label, "pss_kb", "kB",
                   [m[2] for m in per_node], note),
        ]
        log(f"  {system_name}: {per_node} (cpu %, rss kB, pss kB, processes)")
    except (AssertionError, RuntimeError, subprocess.TimeoutExpired) as e:
        log(f"  {system_name}: footprint aborted: {e}")
        out.append(Result("idle-footprint", system_name, setting.label, "cpu_percent",
                          "% of a core", [], f"aborted: {str(e)[:160]}"))


def run(opts, prefixes, log=print):
    """Results for every system in opts.system_list, run side by side; (results, notes)."""
    results = {s: [] for s in opts.system_list}
    threads = [threading.Thread(target=_one, args=(s, opts, p, results[s], log))
               for s, p in zip(opts.system_list, prefixes)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    out = [r for s in opts.system_list for r in results[s]]
    note = ("idle footprint: the systems' clusters ran side by side (one namespace prefix each); "
            "CPU is each daemon's own processes' time")
    return out, [note]
