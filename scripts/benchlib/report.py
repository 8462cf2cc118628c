"""The benchmark's report: a Markdown table per scenario (min / median / max with units, per
system and setting), a ratio table hbd / Heartbeat and hbd / keepalived on comparable rows
(systems.COMPARABLE), a CSV of every result with its raw values, and a PNG of the failover time
distributions per system (gnuplot's png terminal, Debian gnuplot-nox). Pure formatting apart from
write(), which writes bench.md, bench.csv and failover.png into the output directory.
"""

import csv
import io
import os
import shutil
import subprocess

from benchlib import systems

SCENARIO_ORDER = ["crash-failover", "manual-failover", "idle-footprint", "false-failovers",
                  "scale"]
SCENARIO_TITLES = {
    "crash-failover": "1. Crash failover (holder's links down + SIGKILL -> first answer from "
                      "the new holder)",
    "manual-failover": "2. Manual failover (hb_standby; keepalived: tracked file -> FAULT)",
    "idle-footprint": "3. Idle footprint per node (keepalive 100 ms; keepalived advert 100 ms)",
    "false-failovers": "4. False failovers under loss (setting; condition)",
    "scale": "5. Scale (hbd alone)",
}


def fmt(x):
    if x is None:
        return "-"
    if isinstance(x, float):
        if abs(x) >= 100:
            return f"{x:.0f}"
        if abs(x) >= 1:
            return f"{x:.1f}"
        return f"{x:.3f}"
    return str(x)


def _ordered_scenarios(results):
    seen = [s for s in SCENARIO_ORDER if any(r.scenario == s for r in results)]
    seen += sorted({r.scenario for r in results} - set(SCENARIO_ORDER))
    return seen


def scenario_table(results, scenario):
    rows = [r for r in results if r.scenario == scenario]
    out = [f"### {SCENARIO_TITLES.get(scenario, scenario)}", "",
           "| system | setting | metric | runs | min | median | max | unit | note |",
           "|---|---|---|---:|---:|---:|---:|---|---|"]
    for r in rows:
        out.append(f"| {r.system} | {r.setting} | {r.metric} | {len(r.values)} | "
                   f"{fmt(r.minimum())} | {fmt(r.median())} | {fmt(r.maximum())} | {r.unit} | "
                   f"{r.note.replace('|', '/')} |")
    return "\n".join(out) + "\n"


def _split(label):
    """("keepalive 100ms / deadtime 1s", "; loss30-one-link") from a scenario-4 label."""
    head, sep, tail = label.partition("; ")
    return head, (sep + tail) if sep else ""


def ratio_rows(results):
    """[(scenario, metric, hbd label, other system, other label, hbd median, other median)]."""
    by_key = {(r.scenario, r.system, r.setting, r.metric): r for r in results}
    rows = []
    for r in results:
        if r.system != "hbd" or r.median() is None:
            continue
        head, tail = _split(r.setting)
        for hbd_label, hb_label, ka_label in systems.COMPARABLE:
            if head != hbd_label:
                continue
            for other, label in (("heartbeat", hb_label), ("keepalived", ka_label)):
                if label is None:
                    continue
                o = by_key.get((r.scenario, other, label + tail, r.metric))
                if o is None or o.median() is None:
                    continue
                row = (r.scenario, r.metric, r.setting, other, o.setting, r.median(), o.median())
                if row not in rows:
                    rows.append(row)
    return rows


def ratio_table(results):
    rows = ratio_rows(results)
    out = ["### Ratios (medians, hbd / other; below 1: hbd smaller)", "",
           "Pairs: Heartbeat at the same keepalive / deadtime; keepalived at the same packet "
           "rate (advert = keepalive; VRRP declares its peer dead after 3 adverts + skew, "
           "Master_Down_Interval, not after a deadtime); the last rows pair each system's "
           "fastest setting. No ratio where the other median is not positive.", "",
           "| scenario | metric | hbd setting | other | other setting | hbd | other | ratio |",
           "|---|---|---|---|---|---:|---:|---:|"]
    for scenario, metric, hl, other, ol, hm, om in rows:
        # A ratio needs two positive medians (an overhead can be negative, a count zero).
        ratio = f"{hm / om:.2f}" if hm is not None and om and om > 0 and hm >= 0 else "-"
        out.append(f"| {scenario} | {metric} | {hl} | {other} | {ol} | {fmt(hm)} | {fmt(om)} | "
                   f"{ratio} |")
    if not rows:
        out.append("| (no comparable rows in this run) | | | | | | | |")
    return "\n".join(out) + "\n"


def markdown(results, notes):
    parts = ["## Benchmark results", ""]
    parts += [f"- {n}" for n in notes]
    parts.append("")
    for scenario in _ordered_scenarios(results):
        parts.append(scenario_table(results, scenario))
    parts.append(ratio_table(results))
    return "\n".join(parts)


def csv_text(results):
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(["scenario", "system", "setting", "metric", "unit", "runs", "min", "median",
                "max", "values", "note"])
    for r in results:
        w.writerow([r.scenario, r.system, r.setting, r.metric, r.unit, len(r.values),
                    r.minimum(), r.median(), r.maximum(), " ".join(str(v) for v in r.values),
                    r.note])
    return buf.getvalue()


def _column(r):
    """A plot column's label: "hbd\\n100ms / 1s" (gnuplot turns \\n into a line break)."""
    short = r.setting.replace("keepalive ", "").replace("deadtime ", "")
    return f"{r.system}\\n{short}"


def plot(results, path):
    """failover.png: every crash and manual failover time, one column per (system, setting),
    log scale. Returns None, or why there is no plot."""
    gnuplot = shutil.which("gnuplot")
    if gnuplot is None:
        return "no gnuplot (Debian gnuplot-nox): no PNG"
    columns = []
    for r in results:
        if r.metric == "failover_ms" and r.scenario in ("crash-failover", "manual-failover"):
            key = _column(r)
            if key not in columns:
                columns.append(key)
    if not columns:
        return "no failover times: no PNG"
    data = os.path.splitext(path)[0] + ".dat"
    series = []  # (index in the data file, title, point type)
    with open(data, "w") as f:
        for scenario, title, pt, shift in (("crash-failover", "crash failover", 7, -0.12),
                                           ("manual-failover", "manual failover", 9, 0.12)):
            points = []
            for r in results:
                if r.scenario == scenario and r.metric == "failover_ms":
                    x = columns.index(_column(r))
                    points += [f"{x + shift} {v}\n" for v in r.values if v > 0]
            if points:
                f.write(f"# {scenario}\n" + "".join(points) + "\n\n")
                series.append((len(series), title, pt))
    if not series:
        return "no failover times: no PNG"
    xtics = ", ".join(f'"{c}" {i}' for i, c in enumerate(columns))
    plots = ", ".join(f'"{data}" index {i} using 1:2 with points pt {pt} ps 1.2 title "{t}"'
                      for i, t, pt in series)
    script = f"""set terminal png size {max(800, 140 * len(columns))},600 font ",9"
set output "{path}"
set title "Failover time per system and setting (every run)"
set logscale y
set ylabel "ms (log scale)"
set bmargin 5
set xlabel "system, keepalive / deadtime (keepalived: VRRP advert interval)" offset 0,-1
set grid ytics
set xrange [-0.6:{len(columns) - 0.4}]
set xtics ({xtics}) font ",8"
set key top left
plot {plots}
"""
    result = subprocess.run([gnuplot], input=script, capture_output=True, text=True, timeout=60)
    if result.returncode != 0 or not os.path.exists(path):
        return f"gnuplot failed: {result.stderr.strip()[:200]}"
    return None


def write(results, out_dir, notes):
    """Writes bench.md, bench.csv, failover.png in out_dir; returns the Markdown."""
    notes = list(notes)
    why_not = plot(results, os.path.join(out_dir, "failover.png"))
    if why_not:
        notes.append(why_not)
    md = markdown(results, notes)
    with open(os.path.join(out_dir, "bench.md"), "w") as f:
        f.write(md)
    with open(os.path.join(out_dir, "bench.csv"), "w", newline="") as f:
        f.write(csv_text(results))
    return md
