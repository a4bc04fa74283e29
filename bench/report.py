"""Turns the runs into runs.tsv (every run), summary.md (medians per scenario and peer) and
chart.png (server-core µs per request, grouped by scenario). Reads nothing but its arguments."""

import math
import statistics
import subprocess
from pathlib import Path

# runs.tsv columns, in order. Units are in the names; ticks are USER_HZ (1/100 s).
COLUMNS = [
    "rep", "scenario", "peer", "connections", "seconds", "requests", "req_per_s",
    "p50_ms", "p99_ms", "non_2xx", "socket_errors",
    "core0_busy_ticks", "core0_total_ticks", "core0_steal_ticks", "core0_us_per_req",
    "process_us_per_req", "client_cpu_pct", "background_core0_pct", "origin_requests",
    "rss_kib", "pss_kib", "wrk_status",
]


def write_tsv(path: Path, runs: list[dict], columns: list[str] = COLUMNS) -> None:
    """One line per run; a family with figures of its own (the TLS family's handshakes)
    passes COLUMNS plus those."""
    lines = ["\t".join(columns)]
    for run in runs:
        lines.append("\t".join(_tsv_value(run.get(c, "")) for c in columns))
    path.write_text("\n".join(lines) + "\n")


def _tsv_value(value) -> str:
    if not isinstance(value, float):
        return str(value)
    if math.isnan(value):
        return "nan"
    return f"{value:.4g}" if abs(value) < 1e4 else f"{value:.0f}"


def _median(values: list[float]) -> float:
    values = [v for v in values if not (isinstance(v, float) and math.isnan(v))]
    return statistics.median(values) if values else float("nan")


def _fmt(value: float, digits: int = 1, suffix: str = "") -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    return f"{value:,.{digits}f}{suffix}"


def _per_run_ratios(runs: list[dict], mine: list[dict], reference: str) -> list[float]:
    """Each of `mine`'s core-0 µs/req ÷ the `reference` peer's in the same repetition and
    scenario (pairs from one repetition share the machine's state)."""
    base = {(r["rep"], r["scenario"]): r["core0_us_per_req"]
            for r in runs if r["peer"] == reference}
    return [r["core0_us_per_req"] / base[(r["rep"], r["scenario"])]
            for r in mine if base.get((r["rep"], r["scenario"]))]


def aggregate(runs: list[dict], scenarios, peers: list[str],
              reference: str | None = None) -> list[dict]:
    """One row per (scenario, peer) that ran, medians over repetitions. `ratio` is to the limit
    server; with `reference`, `ratio_ref` is to that peer too (the replay family's proxy hit)."""
    rows = []
    for scenario in scenarios:
        for peer in peers:
            mine = [r for r in runs if r["scenario"] == scenario.name and r["peer"] == peer]
            if not mine:
                rows.append({"scenario": scenario.name, "peer": peer, "na": True})
                continue
            ratios = _per_run_ratios(runs, mine, "limit")
            ref_ratios = _per_run_ratios(runs, mine, reference) if reference else []
            rps = [r["req_per_s"] for r in mine]
            rows.append({
                "scenario": scenario.name, "peer": peer, "na": False, "reps": len(mine),
                "rps": _median(rps), "rps_min": min(rps), "rps_max": max(rps),
                "p50_ms": _median([r["p50_ms"] for r in mine]),
                "p99_ms": _median([r["p99_ms"] for r in mine]),
                "us": _median([r["core0_us_per_req"] for r in mine]),
                "ratio": _median(ratios) if ratios and peer != "limit" else float("nan"),
                "ratio_ref": _median(ref_ratios) if ref_ratios else float("nan"),
                "process_us": _median([r["process_us_per_req"] for r in mine]),
                "client_cpu": _median([r["client_cpu_pct"] for r in mine]),
                "errors": sum(r["non_2xx"] + r["socket_errors"] for r in mine),
                "origin": sum(r["origin_requests"] for r in mine),
                "background": _median([r["background_core0_pct"] for r in mine]),
                "failed": sum(1 for r in mine if r["wrk_status"] != "ok"),
            })
    return rows


def summary_markdown(meta: dict, scenarios, peers: list[str], rows: list[dict],
                     warm: dict, memory: dict, problems: list[str],
                     reference: str | None = None, extra: list[str] = ()) -> str:
    """summary.md. With `reference` the table has a `× reference` column (see aggregate);
    `extra` lines (a family's own sections) go after the table."""
    out = [f"# {meta.get('title', 'cachet benchmark')}, {meta['started']}", ""]
    out += [f"- {k}: {v}" for k, v in meta["facts"].items()]
    out += ["", "Scenarios:", ""]
    out += [f"- **{s.name}**: {s.title}" for s in scenarios]

    if problems:
        out += ["", "## Problems", ""] + [f"- {p}" for p in problems]

    if warm:
        out += ["", "## Warm-up (origin requests counted by the origin itself)", "",
                "| peer | keys | pass 1 origin requests | pass 2 origin requests (must be 0) "
                "| time s | verdict |", "|---|---:|---:|---:|---:|---|"]
        for peer, w in warm.items():
            out.append(f"| {peer} | {w.keys:,} | {w.pass1_origin_requests:,} | "
                       f"{w.pass2_origin_requests:,} | {w.seconds:.1f} | {w.verdict()} |")

    out += ["", f"## Results: medians over {meta['reps']} repetition(s) of {meta['duration']} s",
            "",
            "core-0 µs/req = server core busy time (user+nice+system+irq+softirq from "
            "/proc/stat) ÷ responses; × limit = that ÷ the limit server's, same repetition. "
            "process µs/req = the peer's own processes' CPU time ÷ responses (blind to other "
            "load on core 0). Errors and origin requests are totals over all repetitions. "
            "idle core-0 % = the server core's load just before the run (should be near 0)."
            + (f" × {reference} = core-0 µs/req ÷ {reference}'s, same repetition."
               if reference else ""), "",
            "| scenario | peer | req/s | req/s min–max | p50 ms | p99 ms | core-0 µs/req "
            "| × limit |" + (f" × {reference} |" if reference else "")
            + " process µs/req | client CPU % | errors | origin requests | idle core-0 % |",
            "|---|---|---:|---:|---:|---:|---:|---:|" + ("---:|" if reference else "")
            + "---:|---:|---:|---:|---:|"]
    for row in rows:
        if row["na"]:
            out.append(f"| {row['scenario']} | {row['peer']} | n/a |"
                       + " |" * (11 if reference else 10))
            continue
        flag = f" ({row['failed']} run(s) failed)" if row["failed"] else ""
        ref = f" {_fmt(row['ratio_ref'], 2, '×')} |" if reference else ""
        out.append(
            f"| {row['scenario']} | {row['peer']}{flag} | {_fmt(row['rps'], 0)} | "
            f"{_fmt(row['rps_min'], 0)}–{_fmt(row['rps_max'], 0)} | {_fmt(row['p50_ms'], 2)} | "
            f"{_fmt(row['p99_ms'], 2)} | {_fmt(row['us'], 2)} | {_fmt(row['ratio'], 2, '×')} |"
            f"{ref} {_fmt(row['process_us'], 2)} | {_fmt(row['client_cpu'], 0)} | "
            f"{row['errors']:,} | {row['origin']:,} | {_fmt(row['background'], 0)} |")
    out += list(extra)

    if memory:
        out += ["", "## Memory after scenario d (medians; all of a peer's processes)", "",
                "| peer | processes | RSS MiB | PSS MiB | note |", "|---|---:|---:|---:|---|"]
        for peer, m in memory.items():
            out.append(f"| {peer} | {m['processes']} | {_fmt(m['rss_kib'] / 1024)} | "
                       f"{_fmt(m['pss_kib'] / 1024)} | {m['note']} |")
    return "\n".join(out) + "\n"


def write_chart(directory: Path, scenarios, peers: list[str], rows: list[dict]) -> str | None:
    """Writes chart.dat, chart.gp and chart.png; returns a problem, or None."""
    by_key = {(r["scenario"], r["peer"]): r for r in rows}
    lines = ["scenario " + " ".join(peers)]
    for s in scenarios:
        values = []
        for peer in peers:
            row = by_key.get((s.name, peer))
            ok = row and not row["na"] and not math.isnan(row["us"])
            values.append(f"{row['us']:.3f}" if ok else "?")
        lines.append(f"{s.name} " + " ".join(values))
    (directory / "chart.dat").write_text("\n".join(lines) + "\n")
    (directory / "chart.gp").write_text(f"""\
set terminal pngcairo size 1200,650 noenhanced font "sans,10"
set output 'chart.png'
set title "Server-core CPU per response (lower is better), median of runs"
set ylabel "µs per response on the server core"
set xlabel "scenario (see summary.md)"
set datafile missing "?"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set key top left
set grid ytics
set yrange [0:*]
plot for [i=2:{len(peers) + 1}] 'chart.dat' using i:xtic(1) title columnheader(i)
""")
    try:
        done = subprocess.run(["gnuplot", "chart.gp"], cwd=directory, capture_output=True,
                              text=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired) as error:
        return f"chart.png not drawn: {error}"
    if done.returncode != 0:
        return f"chart.png not drawn: gnuplot: {done.stderr.strip()[:300]}"
    return None
