#!/usr/bin/env python3
"""driftwatch benchmark harness (issue 8): called by scripts/bench/run.sh, which
installs/starts everything first. Standard library only.

Phases, per N (all cached under target/bench/n<N>/ and the bench server):

1. generate  scripts/bench/gen_schema.py -> project/ (schema/*.ts, drizzle.config.ts),
             then `drizzle-kit generate` (pinned, tests/parity versions) -> project/migrations/,
             and the MariaDB `serial` edit of tests/parity/generate.sh.
2. database  `bench_n<N>` on the bench server, created from that SQL by
             scripts/apply-migrations.py (drizzle-orm's migrator, one session), with the
             server's GLOBAL foreign_key_checks=0 during the apply (the DDL is unchanged;
             MariaDB then adds each FK in place instead of copying the table: 5x faster).
             Reused when __drizzle_migrations holds the SQL file's hash and the table count
             is N. Then `driftwatch validate` must print "No schema drift detected", else
             the harness fails.
3. trace     each tool once with the server's general log on and through the delay proxy
             at 0 ms: the statements and the round trips each tool makes. The floor's SQL
             (floor.sql) is taken from this log: exactly what driftwatch sent.
4. measure   per latency, per N: one warm-up run of every tool, then R rounds; in each
             round every tool runs once (round-robin, the order rotated each round).
             Wall time (monotonic clock around the process), peak RSS (/usr/bin/time %M).

results: target/bench/results.json (rewritten after every (latency, N) cell; with
--resume, cells already measured with the same rounds and tools are kept).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import re
import shlex
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
BENCH = REPO / "target" / "bench"
PASSWORD = "driftwatch-dev-secret"  # scripts/dev-db.sh's public development password
CLEAN = "No schema drift detected"

TOOLS_ALL = ["floor", "floor_par", "validate", "dk_push", "dk_pull"]
TOOL_LABEL = {
    "floor": "floor (mariadb CLI, driftwatch's queries)",
    "floor_par": "parallel floor (one mariadb CLI per driftwatch session, concurrently)",
    "validate": "driftwatch validate",
    "dk_push": "drizzle-kit push --strict (to the prompt)",
    "dk_pull": "drizzle-kit pull",
}

PULL_CONFIG = """import { defineConfig } from 'drizzle-kit';

// Benchmark only: `drizzle-kit pull` into ./pull-out (never into ./migrations).
export default defineConfig({
  dialect: 'mysql',
  out: './pull-out',
  dbCredentials: {
    url: process.env.DATABASE_URL!,
  },
});
"""


def log(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


class Fail(Exception):
    pass


# ---------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------


def sha256_file(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run(cmd, **kw) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, text=True, capture_output=True, **kw)


class Server:
    def __init__(self, port: int) -> None:
        self.port = port
        self.client = shutil.which("mariadb") or shutil.which("mysql")
        if not self.client:
            raise Fail("no mariadb client on PATH")

    def url(self, db: str, port: int | None = None) -> str:
        return f"mysql://root:{PASSWORD}@127.0.0.1:{port or self.port}/{db}"

    def argv(self, db: str | None = None, port: int | None = None) -> list[str]:
        a = [self.client, "--no-defaults", "--protocol=TCP", "-h127.0.0.1", f"-P{port or self.port}",
             "-uroot", "--batch", "--skip-column-names"]
        if db:
            a.append(db)
        return a

    def env(self) -> dict:
        e = dict(os.environ)
        e["MYSQL_PWD"] = PASSWORD
        return e

    def sql(self, text: str, db: str | None = None) -> str:
        p = subprocess.run(self.argv(db), input=text, text=True, capture_output=True, env=self.env())
        if p.returncode != 0:
            raise Fail(f"mariadb: {p.stderr.strip()}\nSQL: {text[:300]}")
        return p.stdout


# ---------------------------------------------------------------------------
# Phase 1 and 2: generate, database
# ---------------------------------------------------------------------------


def generator_key(n: int) -> str:
    h = hashlib.sha256()
    h.update((HERE / "gen_schema.py").read_bytes())
    h.update(str(n).encode())
    h.update((BENCH / "node" / "package-lock.json").read_bytes())
    return h.hexdigest()[:16]


def prepare_project(n: int, node_modules: Path) -> tuple[Path, dict]:
    base = BENCH / f"n{n}"
    project = base / "project"
    stamp = base / "generated.stamp"
    key = generator_key(n)
    timing: dict = {}
    sql_files = sorted((project / "migrations").glob("*.sql")) if project.exists() else []
    if stamp.exists() and stamp.read_text().strip() == key and len(sql_files) == 1:
        log(f"N={n}: generated project reused ({project})")
        try:
            timing = json.loads((base / "generate-timing.json").read_text())
        except (OSError, ValueError):
            timing = {"generate_s": None}
        timing["generate_cached"] = True
        return project, timing
    t0 = time.monotonic()
    if project.exists():
        shutil.rmtree(project)
    project.mkdir(parents=True)
    p = run([sys.executable, str(HERE / "gen_schema.py"), str(n), str(project)])
    if p.returncode != 0:
        raise Fail(f"gen_schema.py failed: {p.stderr}")
    (project / "drizzle.pull.config.ts").write_text(PULL_CONFIG)
    (project / "node_modules").symlink_to(node_modules)
    t1 = time.monotonic()
    log(f"N={n}: schema generated ({len(list((project / 'schema').glob('*.ts')))} files, {t1 - t0:.1f} s); drizzle-kit generate")
    p = run(["node", str(node_modules / "drizzle-kit" / "bin.cjs"), "generate", "--name=init"], cwd=project)
    (base / "generate.log").write_text(p.stdout + p.stderr)
    sql_files = sorted((project / "migrations").glob("*.sql"))
    if p.returncode != 0 or len(sql_files) != 1:
        raise Fail(f"drizzle-kit generate failed for N={n}; see {base / 'generate.log'}")
    sql = sql_files[0].read_text()
    edits = sql.count(" serial AUTO_INCREMENT")
    sql_files[0].write_text(sql.replace(" serial AUTO_INCREMENT", " serial"))
    t2 = time.monotonic()
    timing["generate_s"] = round(t2 - t0, 2)
    timing["generate_ts_s"] = round(t1 - t0, 2)
    timing["drizzle_kit_generate_s"] = round(t2 - t1, 2)
    log(f"N={n}: drizzle-kit generate {t2 - t1:.1f} s; edited {edits} x 'serial AUTO_INCREMENT' -> 'serial'")
    stamp.write_text(key + "\n")
    (base / "generate-timing.json").write_text(json.dumps(timing) + "\n")
    return project, timing


def prepare_database(n: int, project: Path, server: Server) -> tuple[str, dict]:
    db = f"bench_n{n}"
    sql_file = sorted((project / "migrations").glob("*.sql"))[0]
    want_hash = sha256_file(sql_file)
    timing: dict = {}
    exists = server.sql(f"SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = '{db}'").strip() == "1"
    if exists:
        tables = int(server.sql(
            f"SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = '{db}' "
            "AND TABLE_NAME <> '__drizzle_migrations'").strip())
        try:
            hashes = server.sql("SELECT hash FROM __drizzle_migrations", db).split()
        except Fail:
            hashes = []
        if tables == n and hashes == [want_hash]:
            log(f"N={n}: database {db} reused")
            try:
                timing = json.loads((project.parent / "database-timing.json").read_text())
            except (OSError, ValueError):
                timing = {"database_s": None}
            timing["database_cached"] = True
            return db, timing
        log(f"N={n}: database {db} is stale (tables {tables}, hashes {len(hashes)}); re-creating")
    t0 = time.monotonic()
    server.sql(f"DROP DATABASE IF EXISTS `{db}`")
    server.sql("SET GLOBAL foreign_key_checks = 0")
    try:
        p = run([sys.executable, str(REPO / "scripts" / "apply-migrations.py"), "--create-database",
                 "--url", server.url(db), "--migrations", str(project / "migrations")])
    finally:
        server.sql("SET GLOBAL foreign_key_checks = 1")
    (project.parent / "apply.log").write_text(p.stdout + p.stderr)
    if p.returncode != 0:
        raise Fail(f"apply-migrations.py failed for N={n}: {p.stderr[-2000:]}")
    timing["database_s"] = round(time.monotonic() - t0, 2)
    (project.parent / "database-timing.json").write_text(json.dumps(timing) + "\n")
    log(f"N={n}: database {db} created in {timing['database_s']:.1f} s")
    return db, timing


def verify_clean(n: int, project: Path, db: str, server: Server, driftwatch: Path) -> dict:
    t0 = time.monotonic()
    env = dict(os.environ, DATABASE_URL=server.url(db))
    p = run([str(driftwatch), "validate", "-v", "--color", "never"], cwd=project, env=env)
    (project.parent / "validate.log").write_text(p.stdout + p.stderr)
    if p.returncode != 0 or CLEAN not in p.stdout:
        raise Fail(f"N={n}: driftwatch validate did not print '{CLEAN}' (exit {p.returncode}); "
                   f"see {project.parent / 'validate.log'}")
    m = re.search(r"compared\s+(\d+) tables, (\d+) columns, (\d+) indexes, (\d+) foreign keys, (\d+) checks",
                  p.stdout + p.stderr)
    counts = {}
    if m:
        counts = dict(zip(["tables", "columns", "indexes", "foreign_keys", "checks"], map(int, m.groups())))
        if counts["tables"] != n:
            raise Fail(f"N={n}: validate compared {counts['tables']} tables")
    log(f"N={n}: validate: {CLEAN} ({counts}) in {time.monotonic() - t0:.2f} s")
    return counts


# ---------------------------------------------------------------------------
# Tools
# ---------------------------------------------------------------------------


class Tools:
    def __init__(self, server: Server, driftwatch: Path, dk_bin: Path) -> None:
        self.server = server
        self.driftwatch = driftwatch
        self.dk_bin = dk_bin

    def command(self, tool: str, project: Path, db: str, port: int):
        """(argv, cwd, env, stdin path or None)."""
        env = dict(os.environ, DATABASE_URL=self.server.url(db, port), MYSQL_PWD=PASSWORD, NO_COLOR="1")
        if tool == "floor":
            return self.server.argv(db, port), project, env, project.parent / "floor.sql"
        if tool == "floor_par":
            # One client per session driftwatch opened, all at once (floor-session-*.sql).
            client = " ".join(shlex.quote(a) for a in self.server.argv(db, port))
            parts = sorted(project.parent.glob("floor-session-*.sql"))
            script = ("pids=; " + " ".join(f'{client} < {shlex.quote(str(f))} > /dev/null & pids="$pids $!";'
                                          for f in parts)
                      + ' rc=0; for p in $pids; do wait "$p" || rc=1; done; exit $rc')
            return ["sh", "-c", script], project, env, None
        if tool == "validate":
            return [str(self.driftwatch), "validate", "--color", "never"], project, env, None
        if tool == "dk_push":
            return ["node", str(self.dk_bin), "push", "--strict"], project, env, None
        if tool == "dk_push_verbose":
            return ["node", str(self.dk_bin), "push", "--strict", "--verbose"], project, env, None
        if tool == "dk_pull":
            return ["node", str(self.dk_bin), "pull", "--config", "drizzle.pull.config.ts"], project, env, None
        raise ValueError(tool)

    def before(self, tool: str, project: Path) -> None:
        if tool == "dk_pull":
            shutil.rmtree(project / "pull-out", ignore_errors=True)

    @staticmethod
    def check(tool: str, rc: int, out: str) -> str | None:
        """None if the run did what it should, else why not."""
        if tool in ("floor", "floor_par"):
            return None if rc == 0 else f"exit {rc}: {out[-500:]}"
        if tool == "validate":
            return None if rc == 0 and CLEAN in out else f"exit {rc}, no '{CLEAN}': {out[-500:]}"
        if tool in ("dk_push", "dk_push_verbose"):
            if rc == 0 and "No changes detected" in out:
                return None
            if "Interactive prompts require a TTY" in out and "Changes applied" not in out:
                return None  # the plan was computed; stopped (caught) at the confirmation prompt
            return f"exit {rc}: {out[-800:]}"
        if tool == "dk_pull":
            return None if rc == 0 and "Your schema file is ready" in out else f"exit {rc}: {out[-800:]}"
        return "unknown tool"

    def once(self, tool: str, project: Path, db: str, port: int, keep_output: bool = False) -> dict:
        argv, cwd, env, stdin_path = self.command(tool, project, db, port)
        self.before(tool, project)
        tfile = BENCH / ".time.out"
        full = ["/usr/bin/time", "-f", "%e %M", "-o", str(tfile)] + argv
        stdin = open(stdin_path) if stdin_path else subprocess.DEVNULL
        # Output to a file, not a pipe: drizzle-kit exits with writes to a pipe still pending
        # (its --verbose plan is cut at 64 KiB), while writes to a file are synchronous in Node.
        ofile = BENCH / ".run.out"
        try:
            with open(ofile, "w") as o:
                t0 = time.monotonic()
                p = subprocess.run(full, cwd=cwd, env=env, stdin=stdin, stdout=o, stderr=subprocess.STDOUT)
                wall = time.monotonic() - t0
        finally:
            if stdin_path:
                stdin.close()
        p.stdout = ofile.read_text(errors="replace")
        rss_kib = None
        for line in tfile.read_text().splitlines():
            parts = line.split()
            if len(parts) == 2 and parts[1].isdigit():
                rss_kib = int(parts[1])
        out = p.stdout.replace("\r", "\n")
        why = self.check(tool, p.returncode, out)
        if why:
            (BENCH / f"failed-{tool}.log").write_text(out)
            raise Fail(f"{tool} (N dir {project.parent.name}, port {port}) did not do its job: {why}")
        res = {"ms": round(wall * 1000, 2), "rss_kib": rss_kib}
        if keep_output:
            res["output"] = out
        return res


# ---------------------------------------------------------------------------
# Delay proxy
# ---------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Proxy:
    def __init__(self, target_port: int, rtt_ms: float, stats: Path) -> None:
        self.port = free_port()
        self.stats = stats
        stats.unlink(missing_ok=True)
        self.proc = subprocess.Popen(
            [sys.executable, str(HERE / "delay_proxy.py"), "--listen", f"127.0.0.1:{self.port}",
             "--target", f"127.0.0.1:{target_port}", "--one-way-ms", str(rtt_ms / 2), "--stats", str(stats)],
            stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    break
            except OSError:
                time.sleep(0.05)
        else:
            self.stop()
            raise Fail("delay proxy did not start")
        time.sleep(0.3)  # let the probe connection's record be written
        self.reset()

    def read_stats(self) -> list[dict]:
        time.sleep(0.2)
        if not self.stats.exists():
            return []
        return [json.loads(line) for line in self.stats.read_text().splitlines() if line.strip()]

    def reset(self) -> None:
        # Truncate (the proxy keeps the file open in append mode).
        with open(self.stats, "w"):
            pass

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()


# ---------------------------------------------------------------------------
# Phase 3: trace (general log + proxy turns); floor.sql
# ---------------------------------------------------------------------------

LOG_LINE = re.compile(r"^(?:\d{6}\s+\d{1,2}:\d{2}:\d{2})?\s+(\d+)\s+(Connect|Query|Prepare|Execute|Close stmt|Quit|"
                      r"Init DB|Field List|Reset stmt|Fetch|Ping|Change user|Set option|Statistics)\t(.*)$")


def general_log(server: Server, path: Path, on: bool) -> None:
    if on:
        # A new file name each time: the server reopens the log only when the name changes.
        path.unlink(missing_ok=True)
        server.sql(f"SET GLOBAL general_log = 0; SET GLOBAL log_output = 'FILE'; "
                   f"SET GLOBAL general_log_file = '{path}'; SET GLOBAL general_log = 1")
    else:
        server.sql("SET GLOBAL general_log = 0")


def parse_general_log(path: Path) -> dict[int, list[tuple[str, str]]]:
    conns: dict[int, list[tuple[str, str]]] = {}
    last = None
    for line in path.read_text(errors="replace").splitlines():
        m = LOG_LINE.match(line)
        if m:
            cid, cmd, arg = int(m.group(1)), m.group(2), m.group(3)
            conns.setdefault(cid, []).append((cmd, arg))
            last = cid
        elif last is not None and conns.get(last):
            cmd, arg = conns[last][-1]
            conns[last][-1] = (cmd, arg + "\n" + line)
    # Only connections opened while the log was on; not the harness's own (that switch the log).
    return {cid: cmds for cid, cmds in conns.items()
            if any(c == "Connect" for c, _ in cmds) and not any("general_log" in a for _, a in cmds)}


def trace(n: int, project: Path, db: str, server: Server, tools: Tools, tool_list: list[str]) -> dict:
    out: dict = {}
    proxy = Proxy(server.port, 0.0, BENCH / "proxy-trace.jsonl")
    try:
        order = ["validate"] + [t for t in tool_list if t != "validate"]
        if "dk_push" in order:
            order.append("dk_push_verbose")
        for tool in order:
            if tool == "dk_push_verbose" and out.get("dk_push", {}).get("failed"):
                continue
            logpath = BENCH / "db" / f"general-n{n}-{tool}.log"
            if tool == "floor" and not (project.parent / "floor.sql").exists():
                raise Fail("floor.sql missing")
            general_log(server, logpath, True)
            proxy.reset()
            try:
                run_out = tools.once(tool, project, db, proxy.port, keep_output=True)
            except Fail as e:
                if not tool.startswith("dk_"):
                    raise
                log(f"N={n}: trace {tool} FAILED: {str(e)[:300]}")
                out[tool if tool != "dk_push_verbose" else "dk_push_verbose"] = {"failed": True, "why": str(e)[:2000]}
                continue
            finally:
                general_log(server, logpath, False)
            if tool == "dk_push_verbose":
                if out.get("dk_push", {}).get("failed"):
                    continue
                stmts = [l for l in run_out["output"].splitlines()
                         if re.match(r"^(ALTER|CREATE|DROP|truncate|RENAME)\b", l.strip())]
                kinds: dict[str, int] = {}
                for l in stmts:
                    k = re.sub(r"`[^`]*`", "`x`", l.strip())
                    kinds[k] = kinds.get(k, 0) + 1
                out["dk_push"]["planned_statements"] = len(stmts)
                out["dk_push"]["planned_statement_kinds"] = dict(sorted(kinds.items(), key=lambda kv: -kv[1])[:25])
                log(f"N={n}: drizzle-kit push on the in-sync database plans {len(stmts)} statements")
                continue
            conns = parse_general_log(logpath)
            turns = proxy.read_stats()
            commands: dict[str, int] = {}
            for cmds in conns.values():
                for cmd, _ in cmds:
                    commands[cmd] = commands.get(cmd, 0) + 1
            out[tool] = {
                "connections": len(conns),
                "server_commands": commands,
                "round_trips": sum(t["turns"] for t in turns),
                "round_trips_per_connection": [t["turns"] for t in turns],
                "bytes_from_server": sum(t["s2c_bytes"] for t in turns),
            }
            if tool == "validate":
                stmts = []
                for cid in sorted(conns):
                    for cmd, arg in conns[cid]:
                        if cmd in ("Query", "Execute"):
                            stmts.append(arg.strip())
                for old_part in project.parent.glob("floor-session-*.sql"):
                    old_part.unlink()
                for i, cid in enumerate(sorted(conns)):
                    part = [arg.strip() for cmd, arg in conns[cid] if cmd in ("Query", "Execute")]
                    (project.parent / f"floor-session-{i}.sql").write_text(
                        "".join(x.rstrip(";") + ";\n" for x in part))
                (project.parent / "floor.sql").write_text(
                    "-- Every statement driftwatch validate sent (server general log; Execute lines carry\n"
                    f"-- the bound parameter), in order, for database {db}. Generated by scripts/bench/bench.py.\n"
                    + "".join(s.rstrip(";") + ";\n" for s in stmts))
                out[tool]["statements"] = stmts
            log(f"N={n}: trace {tool}: {out[tool]['connections']} connection(s), "
                f"{out[tool]['round_trips']} round trips {out[tool]['round_trips_per_connection']}, "
                f"server commands {commands}")
    finally:
        proxy.stop()
    return out


# ---------------------------------------------------------------------------
# Phase 4: measure
# ---------------------------------------------------------------------------


def calibrate(server: Server, proxy: Proxy, rtt: float) -> dict:
    """The round-trip time the proxy really adds: K x `SELECT 1` in one client session,
    through the proxy and directly; (difference) / (round trips the proxy counted)."""
    k = max(10, min(200, int(2000 / rtt)))
    script = "SELECT 1;\n" * k

    def timed(port: int) -> float:
        best = float("inf")
        for _ in range(3):
            t0 = time.monotonic()
            p = subprocess.run(server.argv(None, port), input=script, text=True, capture_output=True,
                               env=server.env())
            if p.returncode != 0:
                raise Fail(f"calibration failed: {p.stderr.strip()}")
            best = min(best, time.monotonic() - t0)
        return best

    direct = timed(server.port)
    proxy.reset()
    via = timed(proxy.port)
    stats = proxy.read_stats()
    trips = stats[-1]["turns"] if stats else k + 2
    eff = (via - direct) * 1000 / trips
    log(f"proxy calibration at {rtt:g} ms: {eff:.2f} ms added per round trip ({k} x SELECT 1, best of 3)")
    return {"queries": k, "round_trips": trips, "effective_added_rtt_ms": round(eff, 3)}


def measure_cell(n: int, rtt: float, project: Path, db: str, server: Server, tools: Tools,
                 tool_list: list[str], rounds: int, trace_info: dict, max_run_s: float,
                 warm_up_drizzle_kit: bool = True) -> dict:
    # A tool whose round trips alone would make one run longer than max_run_s at this RTT
    # (drizzle-kit push: several round trips per table) is not measured; its estimate is kept.
    skipped = {}
    for t in list(tool_list):
        if trace_info.get(t, {}).get("failed"):
            # Failed in the trace run (e.g. drizzle-kit push at 10,000 tables: "Maximum call
            # stack size exceeded"): not run again here.
            skipped[t] = {"failed": True, "why": "failed in the trace run: " + trace_info[t]["why"][-1500:]}
            log(f"N={n} rtt={rtt:g}ms: {t} not measured: it failed in the trace run")
            continue
        est = (trace_info.get(t, {}).get("round_trips") or 0) * rtt / 1000.0
        if rtt > 0 and est > max_run_s:
            skipped[t] = {"skipped": True, "estimated_s": round(est, 1),
                          "why": f"{trace_info[t]['round_trips']} round trips x {rtt:g} ms > --max-run-seconds {max_run_s:g}"}
            log(f"N={n} rtt={rtt:g}ms: {t} not measured: {skipped[t]['why']}")
    tool_list = [t for t in tool_list if t not in skipped]
    proxy = Proxy(server.port, rtt, BENCH / "proxy.jsonl") if rtt > 0 else None
    port = proxy.port if proxy else server.port
    calibration = calibrate(server, proxy, rtt) if proxy else None
    samples: dict[str, list[dict]] = {t: [] for t in tool_list}
    failed: dict[str, dict] = {}

    def attempt(t: str):
        # floor and validate must work; a drizzle-kit failure (e.g. out of memory at a large N)
        # is recorded, and that tool is dropped from the rest of the cell.
        try:
            return tools.once(t, project, db, port)
        except Fail as e:
            if not t.startswith("dk_"):
                raise
            failed[t] = {"failed": True, "why": str(e)[:2000]}
            log(f"N={n} rtt={rtt:g}ms: {t} FAILED, left out of this cell: {str(e)[:300]}")
            return None

    try:
        for t in tool_list:  # warm-up, not counted
            if t.startswith("dk_") and not warm_up_drizzle_kit:
                continue  # minutes per run at this size: a cold start is noise
            attempt(t)
        for r in range(rounds):
            k = r % len(tool_list)
            order = tool_list[k:] + tool_list[:k]
            for t in order:
                if t in failed:
                    continue
                x = attempt(t)
                if x is not None:
                    samples[t].append(x)
            log(f"N={n} rtt={rtt:g}ms round {r + 1}/{rounds}: "
                + ", ".join(f"{t} {samples[t][-1]['ms']:.0f} ms" for t in tool_list if t not in failed))
    finally:
        if proxy:
            proxy.stop()
    cell = {"n": n, "rtt_ms": rtt, "rounds": rounds, "drizzle_kit_warm_up": warm_up_drizzle_kit,
            "tools": {}}
    if calibration:
        cell["proxy_calibration"] = calibration
    for t, s in samples.items():
        if t in failed or not s:
            continue
        ms = [x["ms"] for x in s]
        rss = [x["rss_kib"] for x in s if x["rss_kib"] is not None]
        cell["tools"][t] = {
            "median_ms": round(statistics.median(ms), 2),
            "min_ms": round(min(ms), 2),
            "max_ms": round(max(ms), 2),
            "samples_ms": ms,
            "peak_rss_mib": round(max(rss) / 1024, 1) if rss else None,
        }
    cell["tools"].update(skipped)
    cell["tools"].update(failed)
    return cell


# ---------------------------------------------------------------------------
# Machine description
# ---------------------------------------------------------------------------


def machine(server: Server, driftwatch: Path, dk_pkg: Path) -> dict:
    cpu = "?"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = "?"
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem = f"{int(line.split()[1]) // 1024} MiB"
    except OSError:
        pass
    version = server.sql("SELECT VERSION()").strip()
    settings = {}
    for line in server.sql("SHOW GLOBAL VARIABLES WHERE Variable_name IN ('table_open_cache', "
                           "'table_definition_cache', 'innodb_buffer_pool_size', 'innodb_stats_on_metadata', "
                           "'open_files_limit')").splitlines():
        k, _, v = line.partition("\t")
        settings[k] = v
    git = run(["git", "-C", str(REPO), "rev-parse", "--short", "HEAD"]).stdout.strip()
    dirty = run(["git", "-C", str(REPO), "status", "--porcelain", "--untracked-files=no", "--", "crates"]).stdout.strip()
    dk_version = json.loads((dk_pkg / "package.json").read_text()).get("version")
    return {
        "cores": os.cpu_count(),
        "cpu": cpu,
        "memory": mem,
        "kernel": platform.release(),
        "os": platform.platform(),
        "server_version": version,
        "server_settings": settings,
        "driftwatch_commit": git + ("+uncommitted changes in crates/" if dirty else ""),
        "driftwatch_binary_sha256": sha256_file(driftwatch)[:16],
        "driftwatch_binary_mtime": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(driftwatch.stat().st_mtime)),
        "node": run(["node", "--version"]).stdout.strip(),
        "drizzle_kit": dk_version,
        "loadavg_start": os.getloadavg(),
    }


# ---------------------------------------------------------------------------


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="100,500,2000,10000")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--large-n", type=int, default=2000,
                    help="sizes above this use --large-rounds, and drizzle-kit gets no warm-up run there")
    ap.add_argument("--large-rounds", type=int, default=3)
    ap.add_argument("--latency", default="0,1,80", help="added round-trip times in ms (0 = direct)")
    ap.add_argument("--tools", default=",".join(TOOLS_ALL))
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--driftwatch", required=True)
    ap.add_argument("--node-modules", required=True)
    ap.add_argument("--resume", action="store_true")
    ap.add_argument("--max-run-seconds", type=float, default=60.0,
                    help="skip a tool at an RTT where its round trips alone exceed this per run")
    ap.add_argument("--command", default="")
    args = ap.parse_args()

    sizes = [int(x) for x in args.sizes.split(",") if x]
    rtts = [float(x) for x in args.latency.split(",") if x]
    tool_list = [t for t in args.tools.split(",") if t]
    for t in tool_list:
        if t not in TOOLS_ALL:
            raise Fail(f"unknown tool {t} (known: {', '.join(TOOLS_ALL)})")
    server = Server(args.port)
    driftwatch = Path(args.driftwatch).resolve()
    node_modules = Path(args.node_modules).resolve()
    dk_bin = node_modules / "drizzle-kit" / "bin.mariadb.cjs"
    tools = Tools(server, driftwatch, dk_bin)
    results_path = BENCH / "results.json"

    previous = {}
    if args.resume and results_path.exists():
        previous = json.loads(results_path.read_text())
    results = {
        "command": args.command,
        "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "machine": machine(server, driftwatch, node_modules / "drizzle-kit"),
        "config": {"sizes": sizes, "rounds": args.rounds, "large_n": args.large_n,
                   "large_rounds": args.large_rounds, "latency_rtt_ms": rtts, "tools": tool_list},
        "tool_labels": {t: TOOL_LABEL[t] for t in tool_list},
        "sizes": {},
        "cells": [],
    }

    def save() -> None:
        results["finished"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
        results["machine"]["loadavg_end"] = os.getloadavg()
        tmp = results_path.with_suffix(".tmp")
        tmp.write_text(json.dumps(results, indent=1) + "\n")
        tmp.replace(results_path)

    prepared = {}
    for n in sizes:
        project, t_gen = prepare_project(n, node_modules)
        db, t_db = prepare_database(n, project, server)
        counts = verify_clean(n, project, db, server, driftwatch)
        t0 = time.monotonic()
        tr = trace(n, project, db, server, tools, tool_list)
        info = {"database": db, "project": str(project.relative_to(REPO)), "objects": counts, "trace": tr,
                "phase_seconds": {**t_gen, **t_db, "trace_s": round(time.monotonic() - t0, 2)}}
        results["sizes"][str(n)] = info
        prepared[n] = (project, db)
        save()

    old_cells = {(c["n"], c["rtt_ms"]): c for c in previous.get("cells", [])}
    for rtt in rtts:
        for n in sizes:
            old = old_cells.get((n, rtt))
            rounds = args.large_rounds if n > args.large_n else args.rounds
            if old and old["rounds"] == rounds and set(old["tools"]) == set(tool_list) \
                    and old.get("driftwatch_binary") == results["machine"]["driftwatch_binary_sha256"]:
                log(f"N={n} rtt={rtt:g}ms: kept from the previous results.json (--resume)")
                results["cells"].append(old)
                continue
            project, db = prepared[n]
            t0 = time.monotonic()
            cell = measure_cell(n, rtt, project, db, server, tools, tool_list, rounds,
                                results["sizes"][str(n)]["trace"], args.max_run_seconds,
                                warm_up_drizzle_kit=n <= args.large_n)
            cell["seconds"] = round(time.monotonic() - t0, 1)
            cell["driftwatch_binary"] = results["machine"]["driftwatch_binary_sha256"]
            results["cells"].append(cell)
            save()
            log(f"N={n} rtt={rtt:g}ms: medians " + ", ".join(
                f"{t} {v['median_ms']:.0f} ms / {v['peak_rss_mib']} MiB" for t, v in cell["tools"].items()
                if "median_ms" in v)
                + f" ({cell['seconds']} s)")
    # Nothing the tools did changed the databases (drizzle-kit push stopped at its prompt).
    for n in sizes:
        project, db = prepared[n]
        verify_clean(n, project, db, server, driftwatch)
    save()
    log(f"results: {results_path}")
    return 0


if __name__ == "__main__":
    try:
        sys.exit(main())
    except Fail as e:
        log(f"FAILED: {e}")
        sys.exit(1)
