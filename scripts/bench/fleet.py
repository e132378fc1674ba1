#!/usr/bin/env python3
"""Fleet benchmark (issue 8, part 4): `driftwatch validate --databases` over
D databases of N tables each on one server (defaults: 1,000 x 20).

    scripts/bench/fleet.py [--databases 1000] [--tables 20] [--concurrency 4,8]
                           [--rounds 3] [--port 33307]

Run after scripts/bench/run.sh has set up target/bench (pinned drizzle-kit in
target/bench/node, the bench MariaDB on port 33307, the release binary in
target/bench/bin or target/release). Steps:

1. the N-table project (bench.py's generator and drizzle-kit generate, cached
   under target/bench/n<N>/);
2. D databases `fleet_t0001`... created from that SQL by one `mariadb` client
   (global foreign_key_checks=0 during the load, as bench.py), reused when
   they already exist with N tables each;
3. `driftwatch validate --databases 'fleet_t*' --concurrency C` for each C,
   R rounds, wall time and peak RSS (/usr/bin/time), and the same with the
   first tenth of the fleet, to show memory bounded by the concurrency and
   not by the fleet size. Every run must report every database clean.

Writes target/bench/fleet.json and docs/benchmarks/fleet.md.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import bench  # noqa: E402  (the harness's generator, server and helpers)

BENCH = bench.BENCH
REPO = bench.REPO


def create_fleet(server: bench.Server, project: Path, databases: int, tables: int) -> float | None:
    """Creates the missing fleet databases; the seconds it took (None: all reused)."""
    existing = server.sql(
        "SELECT TABLE_SCHEMA, COUNT(*) FROM information_schema.TABLES "
        "WHERE TABLE_SCHEMA LIKE 'fleet\\_t%' GROUP BY TABLE_SCHEMA"
    )
    ready = {line.split("\t")[0] for line in existing.splitlines() if line.split("\t")[1:] == [str(tables)]}
    names = [f"fleet_t{i:04d}" for i in range(1, databases + 1)]
    missing = [n for n in names if n not in ready]
    if not missing:
        bench.log(f"fleet: {databases} databases of {tables} tables reused")
        return None
    sql_file = sorted((project / "migrations").glob("*.sql"))[0]
    ddl = sql_file.read_text().replace("--> statement-breakpoint", "")
    script = []
    for name in missing:
        script.append(f"DROP DATABASE IF EXISTS `{name}`;\nCREATE DATABASE `{name}`;\nUSE `{name}`;\n")
        script.append(ddl if ddl.rstrip().endswith(";") else ddl + ";")
        script.append("\n")
    bench.log(f"fleet: creating {len(missing)} databases of {tables} tables")
    started = time.monotonic()
    server.sql("SET GLOBAL foreign_key_checks = 0")
    try:
        p = subprocess.run(server.argv(), input="".join(script), text=True, capture_output=True, env=server.env())
    finally:
        server.sql("SET GLOBAL foreign_key_checks = 1")
    if p.returncode != 0:
        raise bench.Fail(f"creating the fleet failed: {p.stderr[-2000:]}")
    elapsed = time.monotonic() - started
    bench.log(f"fleet: created in {elapsed:.1f} s")
    return elapsed


def run_once(driftwatch: Path, project: Path, url: str, pattern: str, concurrency: int, expect: int) -> dict:
    cmd = ["/usr/bin/time", "-f", "%e %M", str(driftwatch), "validate", "--color", "never", "--url", url,
           "--databases", pattern, "--concurrency", str(concurrency)]
    started = time.monotonic()
    p = subprocess.run(cmd, cwd=project, capture_output=True, text=True)
    wall = time.monotonic() - started
    rss_kb = int(p.stderr.strip().splitlines()[-1].split()[1])
    summary = f"{expect} database(s): {expect} clean, 0 drift, 0 error"
    if p.returncode != 0 or summary not in p.stdout or bench.CLEAN not in p.stdout:
        raise bench.Fail(f"fleet validate did not report {summary!r} (exit {p.returncode}):\n"
                         f"{p.stdout[-1500:]}\n{p.stderr[-1500:]}")
    return {"wall_s": round(wall, 3), "rss_mib": round(rss_kb / 1024, 1)}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--databases", type=int, default=1000)
    ap.add_argument("--tables", type=int, default=20)
    ap.add_argument("--concurrency", default="4,8")
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--port", type=int, default=33307)
    args = ap.parse_args()

    server = bench.Server(args.port)
    node_modules = BENCH / "node" / "node_modules"
    driftwatch = next((p for p in [BENCH / "bin" / "driftwatch", REPO / "target" / "release" / "driftwatch"]
                       if p.exists()), None)
    if driftwatch is None:
        raise bench.Fail("no driftwatch binary: run scripts/bench/run.sh first (or cargo build --release)")
    project, _ = bench.prepare_project(args.tables, node_modules)
    created_s = create_fleet(server, project, args.databases, args.tables)
    url = server.url("").rstrip("/")
    tenth = max(1, args.databases // 10)
    cells = []
    for concurrency in [int(c) for c in args.concurrency.split(",")]:
        for label, pattern, count in [
            ("whole fleet", "fleet_t*", args.databases),
            ("first tenth", ",".join(f"fleet_t{i:04d}" for i in range(1, tenth + 1)), tenth),
        ]:
            runs = []
            for r in range(args.rounds):
                one = run_once(driftwatch, project, url, pattern, concurrency, count)
                bench.log(f"fleet: {label} ({count} databases), concurrency {concurrency}, round {r + 1}: "
                          f"{one['wall_s']:.2f} s, {one['rss_mib']} MiB")
                runs.append(one)
            cells.append({
                "databases": count, "label": label, "concurrency": concurrency,
                "median_s": round(statistics.median(r["wall_s"] for r in runs), 2),
                "max_rss_mib": max(r["rss_mib"] for r in runs),
                "runs": runs,
            })
    machine = {
        "cores": __import__("os").cpu_count(),
        "cpu": next((l.split(":", 1)[1].strip() for l in Path("/proc/cpuinfo").read_text().splitlines()
                     if l.startswith("model name")), "?"),
        "load": Path("/proc/loadavg").read_text().split()[:3],
        "server": server.sql("SELECT VERSION()").strip(),
    }
    result = {"databases": args.databases, "tables": args.tables, "created_s": created_s,
               "machine": machine, "cells": cells,
               "finished": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())}
    (BENCH / "fleet.json").write_text(json.dumps(result, indent=2) + "\n")
    lines = [
        "# Fleet benchmark (issue 8)",
        "",
        "Generated by `scripts/bench/fleet.py` (do not edit by hand). "
        f"Command: `scripts/bench/fleet.py --databases {args.databases} --tables {args.tables} "
        f"--concurrency {args.concurrency} --rounds {args.rounds}`, finished {result['finished']}.",
        "",
        f"Machine: {machine['cores']} cores ({machine['cpu']}), load average {' '.join(machine['load'])} "
        f"at the end (shared machine), MariaDB `{machine['server']}` on loopback, release build.",
        "",
        f"{args.databases} databases (`fleet_t0001`…) of the {args.tables}-table generated schema "
        "(scripts/bench/gen_schema.py), each created from drizzle-kit's SQL; every run must report every "
        "database clean. Wall time is the whole `driftwatch validate --databases … --concurrency C` "
        f"process (list the databases, read the schema once, compare each); medians of {args.rounds} runs; "
        "peak RSS from `/usr/bin/time`.",
        "",
        "| databases | concurrency | median wall | per database | peak RSS |",
        "|---|---|---|---|---|",
    ]
    for c in cells:
        lines.append(f"| {c['databases']:,} ({c['label']}) | {c['concurrency']} | {c['median_s']:.2f} s | "
                     f"{1000 * c['median_s'] / c['databases']:.1f} ms | {c['max_rss_mib']} MiB |")
    lines += [
        "",
        "Target: the 1,000-database fleet under 60 s end to end, memory bounded by the concurrency "
        "(compare the peak RSS of the whole fleet with its first tenth at the same concurrency).",
        "",
    ]
    (REPO / "docs" / "benchmarks" / "fleet.md").write_text("\n".join(lines))
    bench.log("fleet: wrote docs/benchmarks/fleet.md")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except bench.Fail as e:
        print(f"fleet.py: {e}", file=sys.stderr)
        sys.exit(1)
