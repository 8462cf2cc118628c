#!/usr/bin/env python3
"""Scenario 5, scale (hbd alone): N nodes at keepalive 200 ms / deadtime 2 s on two multicast
links; per N: CPU and RSS per node, heartbeat packets per second per node, convergence time after
start, false dead events over the observation window.

Owns: one namespace cluster per N (prefix "scl", torn down by the harness's context manager) and
the hbd processes in it. How a size is measured:
  1. `repeat` cold starts (all daemons killed between them): each start's convergence time, from
     just before the first daemon is started until every node has logged every peer up/active
     (times from hbd's own log lines, ms resolution), confirmed by polling `hbctl status --json`
     on every node (bounded);
  2. after the last start has converged, an observation window of `duration` seconds: CPU time of
     everything in each node's namespace (/proc/PID/task/*/schedstat, ns resolution) over the
     window, media counters of hbd's status (datagrams received / sent) over the window, RSS at
     the end, and every "node X: ... -> dead" line each node logged since the start.
All peers stay alive throughout, so every dead event is a false one.

Runnable alone: python3 scripts/benchlib/scale.py [--quick] [--sizes 2,4,8] [--duration S]
[--repeat R] [--bin-dir build/bin]; prints a Markdown table. scripts/bench calls run(opts).
"""

import argparse
import datetime
import os
import re
import statistics
import sys
import time

_HERE = os.path.dirname(os.path.abspath(__file__))
_ROOT = os.path.dirname(os.path.dirname(_HERE))
sys.path.insert(0, os.path.join(_ROOT, "tests", "netns"))
try:
    from .results import Result
except ImportError:  # run as a script
    sys.path.insert(0, os.path.dirname(_HERE))
    from benchlib.results import Result

from hbdtest.cluster import Cluster, wait_for  # noqa: E402
from hbdtest.configs import ha_cf  # noqa: E402

SIZES = [2, 4, 8, 16, 32]
QUICK_SIZES = [2, 4]
DURATION_S = 300
QUICK_DURATION_S = 20
KEEPALIVE = "200ms"
WARNTIME = "1"
DEADTIME = "2"
INITDEAD = "4"
SETTING = "keepalive 200ms / deadtime 2s"
MEDIA = ["mcast eth0 239.255.0.1 694 1 0", "mcast eth1 239.255.1.1 694 1 0"]
PREFIX = "scl"
ALIVE = ("up", "active")
CONVERGE_TIMEOUT_S = 60  # per start, bounded; a start that does not converge is reported

_LOG_TIME = re.compile(r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3})")
_NODE_ALIVE = re.compile(r"node (\S+): \S+ -> (up|active)\b")
_NODE_DEAD = re.compile(r"node (\S+): \S+ -> dead\b")
_LINK_DEAD = re.compile(r"link (\S+):(\S+) dead\b")
_LATE = re.compile(r"late heartbeat: node (\S+)")


def _progress(text):
    print(f"[scale] {text}", file=sys.stderr, flush=True)


# Measurements of one node --------------------------------------------------------------------
def _log_since(node, offset):
    try:
        with open(node.logpath, "rb") as f:
            f.seek(offset)
            return f.read().decode(errors="replace")
    except FileNotFoundError:
        return ""


def _log_size(node):
    try:
        return os.path.getsize(node.logpath)
    except FileNotFoundError:
        return 0


def _line_time(line):
    """A log line's wall-clock time stamp (hbd writes local time with ms) as epoch seconds."""
    m = _LOG_TIME.match(line)
    if not m:
        return None
    return datetime.datetime.strptime(m.group(1), "%Y-%m-%d %H:%M:%S.%f").timestamp()


def _first_alive_times(text, local):
    """{peer: epoch seconds of the first line saying the peer went up/active}."""
    out = {}
    for line in text.splitlines():
        m = _NODE_ALIVE.search(line)
        if not m or m.group(1) == local or m.group(1) in out:
            continue
        t = _line_time(line)
        if t is not None:
            out[m.group(1)] = t
    return out


def _cpu_ns(node):
    """CPU time (ns) of every task of every process in the node's network namespace now."""
    total = 0
    for pid in node.namespace_pids():
        task_dir = f"/proc/{pid}/task"
        try:
            tids = os.listdir(task_dir)
        except FileNotFoundError:
            continue
        for tid in tids:
            try:
                with open(f"{task_dir}/{tid}/schedstat") as f:
                    total += int(f.read().split()[0])
            except (FileNotFoundError, ProcessLookupError, ValueError, IndexError):
                pass
    return total


def _rss_kb(node):
    total = 0
    for pid in node.namespace_pids():
        try:
            with open(f"/proc/{pid}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
        except (FileNotFoundError, ProcessLookupError):
            pass
    return total


def _media_counters(status):
    """(datagrams received, datagrams sent) summed over hbd's media, from its status JSON."""
    if not status:
        return None
    media = status.get("media", [])
    return (sum(m.get("received", 0) for m in media), sum(m.get("sent", 0) for m in media))


def _alive_peers(status, local):
    if not status:
        return set()
    return {n["name"] for n in status.get("nodes", [])
            if n.get("name") != local and n.get("status") in ALIVE}


# One size ----------------------------------------------------------------------------------
def _start_all(cluster):
    """Starts hbd on every node; returns (epoch seconds before the first start, log offsets)."""
    offsets = {n.name: _log_size(n) for n in cluster.nodes}
    t0 = time.time()
    for node in cluster.nodes:
        node.start()
    return t0, offsets


def _wait_converged(cluster, offsets, timeout):
    """Polls every node's status (bounded) until each sees every peer up/active; a node that
    did is not polled again. Returns the set of nodes that never converged."""
    names = {n.name for n in cluster.nodes}
    pending = {n.name: n for n in cluster.nodes}
    deadline = time.monotonic() + timeout
    while pending and time.monotonic() < deadline:
        for name, node in list(pending.items()):
            if not node.running():
                raise RuntimeError(f"hbd on {name} exited: {_log_since(node, offsets[name])[-2000:]}")
            if _alive_peers(node.status(), name) == names - {name}:
                del pending[name]
        if pending:
            time.sleep(0.1)
    return set(pending)


def _convergence_ms(cluster, t0, offsets):
    """From t0 to the last first-alive log line over all (node, peer) pairs, or None when some
    node has not logged some peer."""
    latest = t0
    for node in cluster.nodes:
        seen = _first_alive_times(_log_since(node, offsets[node.name]), node.name)
        for peer in cluster.nodes:
            if peer.name == node.name:
                continue
            if peer.name not in seen:
                return None
            latest = max(latest, seen[peer.name])
    return (latest - t0) * 1000.0


def _measure_size(n, repeat, duration, bin_dir):
    out = {"n": n, "convergence_ms": [], "unconverged_starts": 0}
    with Cluster(nodes=n, networks=2, prefix=PREFIX, bin_dir=bin_dir, batch=True) as cluster:
        setup_start = time.monotonic()
        text = ha_cf(cluster.nodes, keepalive=KEEPALIVE, warntime=WARNTIME, deadtime=DEADTIME,
                     initdead=INITDEAD, media=MEDIA)
        for node in cluster.nodes:
            node.write_config(text)
        out["setup_s"] = time.monotonic() - setup_start  # config only; namespaces made on enter
        for rep in range(repeat):
            if rep:
                for node in cluster.nodes:
                    node.kill_all()
            t0, offsets = _start_all(cluster)
            out["start_spread_ms"] = (time.time() - t0) * 1000.0
            missing = _wait_converged(cluster, offsets, CONVERGE_TIMEOUT_S)
            conv = _convergence_ms(cluster, t0, offsets)
            if missing or conv is None:
                out["unconverged_starts"] += 1
                _progress(f"N={n} start {rep + 1}: not converged (nodes {sorted(missing)})")
            else:
                out["convergence_ms"].append(conv)
                _progress(f"N={n} start {rep + 1}: converged in {conv:.0f} ms")
        # Observation window after the last start.
        before_cpu = {nd.name: _cpu_ns(nd) for nd in cluster.nodes}
        before_media = {nd.name: _media_counters(nd.status()) for nd in cluster.nodes}
        window_start = time.monotonic()
        _progress(f"N={n}: observing for {duration} s")
        end = window_start + duration
        not_alive_seen = 0  # polls where some node missed some peer (sampled every ~5 s)
        while time.monotonic() < end:
            time.sleep(min(5.0, max(0.0, end - time.monotonic())))
            if time.monotonic() >= end:
                break
            for nd in cluster.nodes:
                if len(_alive_peers(nd.status(), nd.name)) != n - 1:
                    not_alive_seen += 1
        after_cpu = {nd.name: _cpu_ns(nd) for nd in cluster.nodes}
        window = time.monotonic() - window_start
        after_media = {nd.name: _media_counters(nd.status()) for nd in cluster.nodes}
        out["window_s"] = window
        out["cpu_percent"] = [(after_cpu[k] - before_cpu[k]) / 1e9 / window * 100.0
                              for k in before_cpu]
        rx, tx = [], []
        for k, before in before_media.items():
            after = after_media.get(k)
            if before and after:
                rx.append((after[0] - before[0]) / window)
                tx.append((after[1] - before[1]) / window)
        out["rx_pps"], out["tx_pps"] = rx, tx
        out["rss_kb"] = [_rss_kb(nd) for nd in cluster.nodes]
        dead = link_dead = late = 0
        for nd in cluster.nodes:
            log = _log_since(nd, offsets[nd.name])
            dead += len(_NODE_DEAD.findall(log))
            link_dead += len(_LINK_DEAD.findall(log))
            late += len(_LATE.findall(log))
        not_alive_end = sum(n - 1 - len(_alive_peers(nd.status(), nd.name))
                            for nd in cluster.nodes)
        out.update(false_dead=dead, link_dead=link_dead, late=late,
                   not_alive_polls=not_alive_seen, not_alive_end=not_alive_end)
    return out


def _results(m):
    setting = f"N={m['n']}, {SETTING}"
    note_conv = (f"{len(m['convergence_ms'])} cold starts; start of the first daemon -> every "
                 f"node logged every peer up; starting all {m['n']} took "
                 f"{m['start_spread_ms']:.0f} ms")
    if m["unconverged_starts"]:
        note_conv += f"; {m['unconverged_starts']} starts did not converge in {CONVERGE_TIMEOUT_S} s"
    window = f"over {m['window_s']:.0f} s"
    dead_note = (f"{window}, all nodes alive: node-dead log lines summed over nodes; "
                 f"link-dead lines {m['link_dead']}, late-heartbeat warnings {m['late']}, "
                 f"status polls missing a peer {m['not_alive_polls']}, "
                 f"peers not up at the end {m['not_alive_end']}")
    return [
        Result("scale", "hbd", setting, "convergence_ms", "ms", m["convergence_ms"], note_conv),
        Result("scale", "hbd", setting, "cpu_percent", "%", m["cpu_percent"],
               f"per node, one core = 100 %, {window}"),
        Result("scale", "hbd", setting, "packets_per_second", "packets/s", m["rx_pps"],
               f"datagrams received per node (hbd's media counters, both links) {window}"),
        Result("scale", "hbd", setting, "sent_packets_per_second", "packets/s", m["tx_pps"],
               f"datagrams sent per node {window}"),
        Result("scale", "hbd", setting, "rss_kb", "kB", m["rss_kb"], "per node, end of window"),
        Result("scale", "hbd", setting, "false_dead_events", "count", [m["false_dead"]],
               dead_note),
    ]


def run(opts):
    """Scenario 5 for every size; returns a list of Result (scenario "scale", system "hbd")."""
    quick = bool(getattr(opts, "quick", False))
    sizes = getattr(opts, "sizes", None) or (QUICK_SIZES if quick else SIZES)
    if isinstance(sizes, str):
        sizes = [int(x) for x in sizes.split(",") if x.strip()]
    duration = getattr(opts, "duration", None) or (QUICK_DURATION_S if quick else DURATION_S)
    repeat = max(1, int(getattr(opts, "repeat", None) or (2 if quick else 10)))
    if quick:
        repeat = min(repeat, 2)
    bin_dir = getattr(opts, "bin_dir", None) or os.path.join(_ROOT, "build", "bin")
    results = []
    for n in sizes:
        start = time.monotonic()
        try:
            m = _measure_size(int(n), repeat, float(duration), bin_dir)
        except Exception as e:  # one failed size must not lose the others
            _progress(f"N={n}: failed: {e}")
            results.append(Result("scale", "hbd", f"N={n}, {SETTING}", "convergence_ms", "ms",
                                  [], f"run failed: {e}"))
            continue
        _progress(f"N={n}: done in {time.monotonic() - start:.0f} s")
        results += _results(m)
    out_dir = getattr(opts, "out_dir", None)
    if out_dir:
        os.makedirs(out_dir, exist_ok=True)
        with open(os.path.join(out_dir, "scale.md"), "w") as f:
            f.write(markdown(results))
    return results


def markdown(results):
    """One row per size: medians (and max) of the per-node / per-start values."""
    def fmt(v, digits=1):
        return "-" if v is None else f"{v:.{digits}f}"

    rows = {}
    for r in results:
        rows.setdefault(r.setting, {})[r.metric] = r
    lines = [f"Scale, hbd alone, {SETTING}, mcast on two links",
             "",
             "| N | convergence ms (median / max) | CPU % per node (median / max) | "
             "packets/s received per node | RSS kB per node | false dead events |",
             "|---|---|---|---|---|---|"]
    for setting, metrics in rows.items():
        def get(name):
            return metrics.get(name)
        conv, cpu, pps, rss, dead = (get("convergence_ms"), get("cpu_percent"),
                                     get("packets_per_second"), get("rss_kb"),
                                     get("false_dead_events"))
        n = setting.split(",")[0].split("=")[1]
        lines.append(
            f"| {n} | {fmt(conv and conv.median(), 0)} / {fmt(conv and conv.maximum(), 0)} | "
            f"{fmt(cpu and cpu.median(), 3)} / {fmt(cpu and cpu.maximum(), 3)} | "
            f"{fmt(pps and pps.median())} | {fmt(rss and rss.median(), 0)} | "
            f"{fmt(dead and dead.maximum(), 0)} |")
    notes = [f"- N={r.setting.split(',')[0].split('=')[1]} {r.metric}: {r.note}"
             for r in results if r.metric in ("false_dead_events", "convergence_ms") and r.note]
    return "\n".join(lines + [""] + notes) + "\n"


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--quick", action="store_true", help="N=2,4, 20 s windows, 2 starts")
    p.add_argument("--sizes", type=lambda s: [int(x) for x in s.split(",") if x],
                   help="comma-separated node counts (2..99), e.g. 2,4,8")
    p.add_argument("--duration", type=float, help=f"observation seconds (default {DURATION_S})")
    p.add_argument("--repeat", type=int, help="cold starts per size (default 10, quick 2)")
    p.add_argument("--bin-dir", default=None, help="where hbd and hbctl are (build/bin)")
    p.add_argument("--out-dir", default=None, help="also write scale.md there")
    opts = p.parse_args(argv)
    for n in opts.sizes or []:
        if not 2 <= n <= 99:
            p.error(f"size {n}: the harness supports 2..99 nodes")
    results = run(opts)
    print(markdown(results), end="")
    return 0 if all(r.values for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
