"""Scenarios 1 and 2: crash failover and manual failover, timed by the client.

Owns one two-node cluster per (system, setting): the service listener on both nodes, then
`repeat` manual failovers (hb_standby or keepalived's tracked file, on the current holder), then
`repeat` crashes of the current holder (links down + SIGKILL), each followed by the node's
"reboot" (stale VIP gone, links up, daemon restarted) and a wait until the cluster has settled
(including a system's start-up grace, systems.System.startup_grace_s).
Each time is from the fault (or the command) to the first TCP answer from the new holder on the
VIP, seen by a prober in the client namespace. Single-threaded per cluster.
"""

import subprocess
import time

from hbdtest.cluster import Cluster

from benchlib import service, systems
from benchlib.results import Result

LISTENER_LIMIT_S = 6 * 3600  # bound of the listeners; the cluster's teardown kills them first


def run_one(system_name, setting, opts, prefix, crash=True, manual=True, log=print):
    """Results of scenarios 1 (crash) and/or 2 (manual) for one system at one setting."""
    crash_ms, manual_ms, notes_crash, notes_manual = [], [], [], []
    deadtime_ms = setting.deadtime_s * 1000
    with Cluster(nodes=2, networks=2, prefix=prefix, bin_dir=opts.bin_dir) as c:
        service.start_listeners(c, systems.PORT, LISTENER_LIMIT_S)
        system = systems.make(system_name, c, setting, opts.scripts_dir)
        system.configure()
        system.start_all()
        try:
            holder = system.wait_stable(timeout=60 + 3 * setting.deadtime_s)
            for rep in range(opts.repeat if manual else 0):
                prober = service.Prober(c, systems.VIP, systems.PORT, holder.name,
                                        max_s=15).start()
                t0 = time.monotonic()
                result = system.manual_failover(holder)
                answer = prober.result()
                if result.returncode != 0:
                    notes_manual.append(f"run {rep + 1}: standby command exit "
                                        f"{result.returncode}: {result.stderr.strip()[:80]}")
                if answer is None:
                    notes_manual.append(f"run {rep + 1}: no new holder answered in 15 s")
                else:
                    manual_ms.append(round((answer[1] - t0) * 1000, 1))
                if hasattr(system, "after_manual_failover"):
                    system.after_manual_failover(holder)
                holder = system.wait_stable(timeout=60)
                log(f"  {system_name} [{setting.label}] manual {rep + 1}: "
                    f"{manual_ms[-1] if answer else 'none'} ms")
            for rep in range(opts.repeat if crash else 0):
                limit = 15 + 2 * setting.deadtime_s
                prober = service.Prober(c, systems.VIP, systems.PORT, holder.name,
                                        max_s=limit).start()
                t0 = time.monotonic()
                system.crash(holder)
                answer = prober.result()
                if answer is None:
                    notes_crash.append(f"run {rep + 1}: no new holder answered in {limit:g} s")
                else:
                    crash_ms.append(round((answer[1] - t0) * 1000, 1))
                log(f"  {system_name} [{setting.label}] crash {rep + 1}: "
                    f"{crash_ms[-1] if answer else 'none'} ms")
                system.recover(holder)
                holder = system.wait_stable(timeout=60 + 3 * setting.deadtime_s)
        except (AssertionError, RuntimeError, subprocess.TimeoutExpired) as e:
            (notes_crash if crash else notes_manual).append(f"aborted: {str(e)[:160]}")
            log(f"  {system_name} [{setting.label}] aborted: {e}")
        finally:
            system.stop_all()
    out = []
    dead_word = "Master_Down_Interval" if system_name == "keepalived" else "deadtime"
    if manual:
        out.append(Result("manual-failover", system_name, setting.label, "failover_ms", "ms",
                          manual_ms, "; ".join(notes_manual)))
    if crash:
        note = "; ".join(notes_crash)
        out.append(Result("crash-failover", system_name, setting.label, "failover_ms", "ms",
                          crash_ms, note))
        overhead = [round(t - deadtime_ms, 1) for t in crash_ms]
        why = (f"failover minus {dead_word} {deadtime_ms:.0f} ms (the peer counts from the last "
               "packet it heard, up to a keepalive before the crash)")
        out.append(Result("crash-failover", system_name, setting.label, "takeover_overhead_ms",
                          "ms", overhead, why + (f"; {note}" if note else "")))
    return out
