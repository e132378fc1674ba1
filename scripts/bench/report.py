#!/usr/bin/env python3
"""Render target/bench/results.json as docs/benchmarks/results.md and SVG charts.

    report.py RESULTS_JSON OUTDIR

Standard library only. Charts: time vs N, both axes logarithmic, one series per
tool (medians; whiskers min..max), one chart per added round-trip time:
time-vs-n.svg (loopback) and time-vs-n-rtt<X>ms.svg.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

COLORS = {"floor": "#6b7280", "floor_par": "#16a34a", "validate": "#2563eb", "dk_push": "#dc2626", "dk_pull": "#ea580c"}
SHORT = {"floor": "floor", "floor_par": "parallel floor", "validate": "driftwatch validate", "dk_push": "drizzle-kit push --strict",
         "dk_pull": "drizzle-kit pull"}


def fmt_ms(v) -> str:
    if v is None:
        return "–"
    if v >= 10000:
        return f"{v / 1000:.1f} s"
    if v >= 100:
        return f"{v:.0f}"
    return f"{v:.1f}"


def ratio(a, b) -> str:
    if a is None or b is None or b == 0:
        return "–"
    return f"{a / b:.2f}×" if a / b < 10 else f"{a / b:.0f}×"


def med(cell: dict, tool: str):
    t = cell["tools"].get(tool)
    if not t or t.get("skipped") or t.get("failed"):
        return None
    return t["median_ms"]


def rss(cell: dict, tool: str):
    t = cell["tools"].get(tool)
    if not t or t.get("skipped") or t.get("failed"):
        return None
    return t.get("peak_rss_mib")


def svg_chart(cells: list[dict], tools: list[str], title: str) -> str:
    W, H = 720, 440
    L, R, T, B = 70, 200, 40, 50
    pts = [(c["n"], c["tools"][t]) for c in cells for t in tools
           if t in c["tools"] and "median_ms" in c["tools"][t]]
    if not pts:
        return ""
    ns = sorted({c["n"] for c in cells})
    ys = [v["min_ms"] for _, v in pts] + [v["max_ms"] for _, v in pts]
    xmin, xmax = math.log10(min(ns)), math.log10(max(ns))
    if xmax - xmin < 0.3:
        xmin, xmax = xmin - 0.15, xmax + 0.15
    xmin -= 0.08
    xmax += 0.08
    ymin = math.floor(math.log10(max(min(ys), 0.1)))
    ymax = math.ceil(math.log10(max(ys)))
    if ymax == ymin:
        ymax += 1

    def X(n: float) -> float:
        return L + (math.log10(n) - xmin) / (xmax - xmin) * (W - L - R)

    def Y(ms: float) -> float:
        return T + (ymax - math.log10(max(ms, 0.1))) / (ymax - ymin) * (H - T - B)

    o = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" viewBox="0 0 {W} {H}" '
         'font-family="sans-serif" font-size="12">',
         f'<rect width="{W}" height="{H}" fill="white"/>',
         f'<text x="{L}" y="22" font-size="14" font-weight="bold">{title}</text>']
    for e in range(ymin, ymax + 1):
        y = Y(10 ** e)
        label = f"{10 ** e / 1000:g} s" if e >= 3 else f"{10 ** e:g} ms"
        o.append(f'<line x1="{L}" y1="{y:.1f}" x2="{W - R}" y2="{y:.1f}" stroke="#e5e7eb"/>')
        o.append(f'<text x="{L - 6}" y="{y + 4:.1f}" text-anchor="end">{label}</text>')
        if e < ymax:
            for k in range(2, 10):
                yk = Y(k * 10 ** e)
                o.append(f'<line x1="{L}" y1="{yk:.1f}" x2="{W - R}" y2="{yk:.1f}" stroke="#f3f4f6"/>')
    for n in ns:
        x = X(n)
        o.append(f'<line x1="{x:.1f}" y1="{T}" x2="{x:.1f}" y2="{H - B}" stroke="#e5e7eb"/>')
        o.append(f'<text x="{x:.1f}" y="{H - B + 18}" text-anchor="middle">{n:,}</text>')
    o.append(f'<text x="{(L + W - R) / 2:.0f}" y="{H - 10}" text-anchor="middle">tables (N, log scale)</text>')
    o.append(f'<text x="16" y="{(T + H - B) / 2:.0f}" transform="rotate(-90 16 {(T + H - B) / 2:.0f})" '
             'text-anchor="middle">wall time, median (log scale)</text>')
    o.append(f'<rect x="{L}" y="{T}" width="{W - L - R}" height="{H - T - B}" fill="none" stroke="#9ca3af"/>')
    ly = T + 10
    for t in tools:
        series = sorted(((c["n"], c["tools"][t]) for c in cells
                         if t in c["tools"] and "median_ms" in c["tools"][t]), key=lambda x: x[0])
        if not series:
            continue
        color = COLORS.get(t, "black")
        path = " ".join(f"{'M' if i == 0 else 'L'}{X(n):.1f},{Y(v['median_ms']):.1f}" for i, (n, v) in enumerate(series))
        o.append(f'<path d="{path}" fill="none" stroke="{color}" stroke-width="2"/>')
        for n, v in series:
            x = X(n)
            o.append(f'<line x1="{x:.1f}" y1="{Y(v["min_ms"]):.1f}" x2="{x:.1f}" y2="{Y(v["max_ms"]):.1f}" '
                     f'stroke="{color}"/>')
            o.append(f'<circle cx="{x:.1f}" cy="{Y(v["median_ms"]):.1f}" r="3.5" fill="{color}">'
                     f'<title>{SHORT.get(t, t)} N={n}: {v["median_ms"]} ms</title></circle>')
        o.append(f'<line x1="{W - R + 12}" y1="{ly}" x2="{W - R + 32}" y2="{ly}" stroke="{color}" stroke-width="2"/>')
        o.append(f'<text x="{W - R + 38}" y="{ly + 4}">{SHORT.get(t, t)}</text>')
        ly += 20
    o.append("</svg>")
    return "\n".join(o) + "\n"


def main() -> int:
    if len(sys.argv) != 3:
        print("usage: report.py RESULTS_JSON OUTDIR", file=sys.stderr)
        return 2
    res = json.loads(Path(sys.argv[1]).read_text())
    out = Path(sys.argv[2])
    out.mkdir(parents=True, exist_ok=True)
    m = res["machine"]
    tools = res["config"]["tools"]
    rtts = sorted({c["rtt_ms"] for c in res["cells"]})
    sizes = sorted(int(n) for n in res["sizes"])
    md = []
    md.append("# driftwatch benchmark results (issue 8)\n")
    md.append("Generated by `scripts/bench/report.py` from `target/bench/results.json`; do not edit by hand. "
              "Method, caveats and how to re-run: [docs/BENCHMARKS.md](../BENCHMARKS.md) and "
              "`scripts/bench/run.sh --help`.\n")
    md.append(f"Command: `{res['command']}` — started {res['started']}, finished {res.get('finished', '?')}.\n")
    md.append("## Machine\n")
    md.append(f"- {m['cores']} cores, {m['cpu']}, {m['memory']} RAM; kernel {m['kernel']} ({m['os']})")
    md.append(f"- load average at start {', '.join(f'{x:.2f}' for x in m['loadavg_start'])}, at end "
              f"{', '.join(f'{x:.2f}' for x in m.get('loadavg_end', []))} (shared machine: expect noise)")
    md.append(f"- server: MariaDB `{m['server_version']}` (scripts/dev-db.sh settings; "
              + ", ".join(f"{k}={v}" for k, v in sorted(m['server_settings'].items())) + ")")
    md.append(f"- driftwatch: release build, commit {m['driftwatch_commit']}, binary sha256 "
              f"{m['driftwatch_binary_sha256']}… (built {m['driftwatch_binary_mtime']})")
    md.append(f"- drizzle-kit {m['drizzle_kit']} (pinned in tests/parity), Node {m['node']}\n")

    md.append("## What is measured\n")
    md.append(
        "Each figure is the wall time of one process, from spawn to exit (monotonic clock, through "
        "`/usr/bin/time -f '%e %M'`, which also gives the peak RSS), run in the generated project "
        "folder with `DATABASE_URL=mysql://root:…@127.0.0.1:<port>/bench_n<N>`:\n\n"
        "- **floor**: `mariadb --no-defaults --protocol=TCP -h127.0.0.1 -P<port> -uroot --batch "
        "--skip-column-names bench_n<N> < floor.sql` — one client process, one connection, text "
        "protocol, running every statement driftwatch validate sent to the server (taken from the "
        "server's general log of a traced validate run; listed at the end of this page) one after "
        "the other. It is the cost of the server's answers plus one connection, without reading "
        "TypeScript or comparing.\n"
        "- **parallel floor**: the same statements split by the session driftwatch sent them on "
        "(`floor-session-<i>.sql`), one `mariadb` client per session, all started at once "
        "(`sh -c 'mariadb … < s0 & mariadb … < s1 & … wait'`; RSS is the largest client). Since "
        "driftwatch spreads its catalog queries over several sessions, this is the floor that "
        "matters once latency dominates.\n"
        "- **driftwatch validate**: `driftwatch validate --color never` (release build, a private "
        "copy of target/release/driftwatch). Every run must print `No schema drift detected`.\n"
        "- **drizzle-kit push --strict**: `node node_modules/drizzle-kit/bin.mariadb.cjs push "
        "--strict` with stdin not a terminal. It connects, introspects the database, serializes the "
        "TypeScript schema, diffs and plans; on an in-sync database it should print `No changes "
        "detected`, but on MariaDB it plans thousands of false-positive statements (see round "
        "trips below), runs its data-loss checks (`select count(*)` per table), then reaches its "
        "confirmation prompt, which fails without a TTY; the error is caught and **nothing is "
        "executed** (the harness re-validates every database at the end). So this is the full "
        "cost of push up to the point where it would ask.\n"
        "- **drizzle-kit pull**: `… bin.mariadb.cjs pull --config drizzle.pull.config.ts` "
        "(introspection, then schema.ts/relations.ts/snapshot written to ./pull-out, removed "
        "before each run). Must print `Your schema file is ready`.\n\n"
        "`bin.mariadb.cjs` is drizzle-kit 0.31.11's bundle with the MariaDB fix of "
        "scripts/bench/patch_drizzle_kit.py: upper-case aliases on the primary-key and CHECK "
        "introspection queries (MariaDB returns labels as typed, drizzle-kit reads `TABLE_NAME`), "
        "and the CHECK join also on schema and table. Unpatched, both commands exit 1 on MariaDB "
        "as soon as the database has a JSON column.\n\n"
        "Interleaving: per (latency, N), one warm-up run of each tool (not counted), then R rounds; "
        "each round runs every tool once, the order rotated by one each round. Medians are "
        "reported; min/max are in results.json and as whiskers in the charts.\n\n"
        "Latency: this kernel has no `netem` qdisc, so the added round-trip time comes from "
        "scripts/bench/delay_proxy.py, a TCP proxy on 127.0.0.1 that delays every chunk by "
        "RTT/2 in each direction (threads, `time.sleep`); it costs about 0.25 ms per round trip on "
        "top at 1 ms (measured in every cell, printed under each table). A tool whose "
        "traced round trips alone would exceed `--max-run-seconds` at that RTT is not run there "
        "(shown as skipped with the estimate).\n")

    md.append("## Schemas\n")
    md.append("| N | files | columns | indexes | foreign keys | checks | generate (TS + drizzle-kit) | create database | trace |")
    md.append("|---|---|---|---|---|---|---|---|---|")
    for n in sizes:
        s = res["sizes"][str(n)]
        o = s.get("objects", {})
        ph = s.get("phase_seconds", {})

        def sec(k):
            v = ph.get(k)
            cached = ph.get(k.replace("_s", "_cached"))
            if v is None:
                return "cached"
            return f"{v:.1f} s" + (" (earlier run, cached)" if cached else "")

        md.append(f"| {n:,} | {(n + 39) // 40} | {o.get('columns', '?'):,} | {o.get('indexes', '?'):,} | "
                  f"{o.get('foreign_keys', '?'):,} | {o.get('checks', '?'):,} | {sec('generate_s')} | "
                  f"{sec('database_s')} | {sec('trace_s')} |")
    md.append("")

    for rtt in rtts:
        cells = sorted((c for c in res["cells"] if c["rtt_ms"] == rtt), key=lambda c: c["n"])
        where = "loopback, no added latency" if rtt == 0 else f"{rtt:g} ms added round-trip time (delay proxy)"
        md.append(f"## Wall time, {where}\n")
        by_rounds: dict = {}
        for c in cells:
            key = (c["rounds"], c.get("drizzle_kit_warm_up", True))
            by_rounds.setdefault(key, []).append(f"{c['n']:,}")
        parts = []
        for (rounds, warm), ns in by_rounds.items():
            warm_up = "one warm-up run of each tool" if warm else \
                "one warm-up run of each driftwatch/floor tool; drizzle-kit's runs take minutes there, all counted"
            parts.append(f"medians of {rounds} interleaved rounds (after {warm_up}) at N = {', '.join(ns)}")
        md.append(("; ".join(parts) or "no cells").capitalize() + ". Times in ms; peak RSS in MiB.\n")
        if rtt > 0:
            eff = [f"{c['proxy_calibration']['effective_added_rtt_ms']:.2f} ms (N={c['n']:,} cell)"
                   for c in cells if c.get("proxy_calibration")]
            if eff:
                md.append("Round-trip time the proxy really added (`SELECT 1` × K through the proxy vs "
                          "direct, per round trip, best of 3): " + ", ".join(eff) + ".\n")
        head = "| N | " + " | ".join(SHORT[t] for t in tools)
        head += " | validate / floor | validate / parallel floor | push / validate | pull / validate | " + " | ".join(
            f"RSS {SHORT[t]}" for t in tools) + " |"
        md.append(head)
        md.append("|" + "---|" * (1 + len(tools) + 4 + len(tools)))
        for c in cells:
            row = [f"{c['n']:,}"]
            for t in tools:
                tt = c["tools"].get(t, {})
                if tt.get("skipped"):
                    row.append(f"skipped (≥ {tt['estimated_s']:.0f} s of round trips)")
                elif tt.get("failed"):
                    why = tt.get("why", "")
                    short = "Maximum call stack size exceeded" if "Maximum call stack" in why else \
                        ("out of memory" if "heap out of memory" in why else "see results.json")
                    row.append(f"failed ({short})")
                else:
                    row.append(fmt_ms(med(c, t)))
            row.append(ratio(med(c, "validate"), med(c, "floor")))
            row.append(ratio(med(c, "validate"), med(c, "floor_par")))
            row.append(ratio(med(c, "dk_push"), med(c, "validate")))
            row.append(ratio(med(c, "dk_pull"), med(c, "validate")))
            for t in tools:
                v = rss(c, t)
                row.append("–" if v is None else f"{v:.0f}")
            md.append("| " + " | ".join(row) + " |")
        md.append("")
        svg = svg_chart(cells, tools, f"Time vs N — {where}")
        name = "time-vs-n.svg" if rtt == 0 else f"time-vs-n-rtt{rtt:g}ms.svg"
        if svg:
            (out / name).write_text(svg)
            md.append(f"![time vs N, {where}]({name})\n")

    md.append("## Targets (issue 8)\n")
    md.append("| target | N | rtt | figure | met? |")
    md.append("|---|---|---|---|---|")
    for c in sorted(res["cells"], key=lambda c: (c["rtt_ms"], c["n"])):
        v, f = med(c, "validate"), med(c, "floor")
        if v and f:
            md.append(f"| validate ≤ 1.5 × floor | {c['n']:,} | {c['rtt_ms']:g} ms | {v / f:.2f}× | "
                      f"{'yes' if v / f <= 1.5 else '**no**'} |")
        fp = med(c, "floor_par")
        if v and fp:
            md.append(f"| validate ≤ 1.5 × parallel floor | {c['n']:,} | {c['rtt_ms']:g} ms | {v / fp:.2f}× | "
                      f"{'yes' if v / fp <= 1.5 else '**no**'} |")
    for c in sorted(res["cells"], key=lambda c: (c["rtt_ms"], c["n"])):
        v = med(c, "validate")
        for t in ("dk_push", "dk_pull"):
            d = med(c, t)
            if v and d:
                md.append(f"| ≥ 20 × faster than {SHORT[t]} | {c['n']:,} | {c['rtt_ms']:g} ms | {d / v:.1f}× | "
                          f"{'yes' if d / v >= 20 else '**no**'} |")
    for c in res["cells"]:
        if c["n"] == 2000 and c["rtt_ms"] == 0 and rss(c, "validate"):
            r = rss(c, "validate")
            md.append(f"| validate peak RSS < 64 MiB | 2,000 | 0 ms | {r:.0f} MiB | {'yes' if r < 64 else '**no**'} |")
    md.append("")

    md.append("## Round trips and connections (one traced run per tool, server general log + proxy)\n")
    md.append("Round trips are client→server turns counted by the delay proxy (a handshake is ~2); "
              "server commands come from MariaDB's general log.\n")
    md.append("| N | tool | connections | round trips (per connection) | server commands |")
    md.append("|---|---|---|---|---|")
    for n in sizes:
        tr = res["sizes"][str(n)].get("trace", {})
        for t in tools:
            if t not in tr:
                continue
            x = tr[t]
            if x.get("failed"):
                md.append(f"| {n:,} | {SHORT[t]} | failed | – | – |")
                continue
            cmds = ", ".join(f"{k} {v}" for k, v in sorted(x["server_commands"].items()))
            md.append(f"| {n:,} | {SHORT[t]} | {x['connections']} | {x['round_trips']} "
                      f"({', '.join(map(str, x['round_trips_per_connection']))}) | {cmds} |")
    md.append("")
    for n in sizes:
        p = res["sizes"][str(n)].get("trace", {}).get("dk_push", {})
        if "planned_statements" in p:
            md.append(f"- N={n:,}: `drizzle-kit push --strict` on the in-sync database plans "
                      f"**{p['planned_statements']:,} statements** (false positives on MariaDB); it stops at "
                      "its confirmation prompt, nothing is executed.")
    md.append("")
    n0 = sizes[0]
    stmts = res["sizes"][str(n0)].get("trace", {}).get("validate", {}).get("statements", [])
    if stmts:
        md.append(f"## The floor's statements (what driftwatch sent, N={n0:,}, from the general log)\n")
        md.append("```sql")
        md.extend(s + ";" for s in stmts)
        md.append("```\n")
    (out / "results.md").write_text("\n".join(md) + "\n")
    print(out / "results.md")
    return 0


if __name__ == "__main__":
    sys.exit(main())
