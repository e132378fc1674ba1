#!/usr/bin/env python3
"""Apply a drizzle-kit (0.x) MySQL migrations folder the way drizzle-orm's migrator does.

    apply-migrations.py --url mysql://user:pass@host:port/db --migrations drizzle/migrations
                        [--create-database] [--table __drizzle_migrations] [--dry-run] [-v]

Behaviour copied from drizzle-orm 0.45 (`readMigrationFiles` + `MySqlDialect.migrate`):

* read `<folder>/meta/_journal.json`; for each entry *in journal order* read `<folder>/<tag>.sql`;
  hash = sha256 hex of the whole file text; statements = file text split on
  `--> statement-breakpoint` (each chunk is sent as one query, surrounding newlines kept);
* `create table if not exists <table> (id serial primary key, hash text not null, created_at bigint)`;
* read the newest row (`order by created_at desc limit 1`) once; every migration whose journal
  `when` is <= that `created_at` is skipped (the hash is never compared);
* in one session and one transaction: for each pending migration run its statements, then
  `insert into <table> (hash, created_at) values (<hash>, <when>)`; commit at the end.
  MySQL DDL commits implicitly, so (as with drizzle) a failure leaves the statements already
  run in place; the failing migration gets no row.

Only the Python 3 standard library and the `mariadb` (or `mysql`) command-line client are used.
The client always gets `--no-defaults` (no ~/.my.cnf or /etc/mysql config) and receives the
password through the MYSQL_PWD environment variable, never on its command line. The password is
never printed.

Exit status: 0 success (also when nothing is pending), 1 a migration or the connection failed,
2 bad usage or an unreadable migrations folder.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import secrets
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

BREAKPOINT = "--> statement-breakpoint"
DEFAULT_TABLE = "__drizzle_migrations"


class UsageError(Exception):
    """Bad arguments or an unreadable migrations folder (exit 2)."""


class ApplyError(Exception):
    """The database refused something (exit 1)."""


@dataclass
class Target:
    user: str
    password: str
    host: str
    port: int
    database: str
    ssl_mode: str | None

    def redacted(self) -> str:
        return f"mysql://{self.user}:***@{self.host}:{self.port}/{self.database}"


@dataclass
class Migration:
    idx: int
    tag: str
    when: int
    path: Path
    hash: str
    statements: list[str]


def parse_url(url: str) -> Target:
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as e:  # e.g. a non-numeric port
        raise UsageError(f"invalid database URL: {e}") from None
    if parts.scheme not in ("mysql", "mariadb"):
        raise UsageError(f"unsupported URL scheme {parts.scheme!r} (expected mysql:// or mariadb://)")
    if not parts.hostname:
        raise UsageError("database URL has no host")
    database = unquote(parts.path.lstrip("/"))
    if "/" in database:
        raise UsageError("database URL path must be a single database name")
    query = {k.lower(): v[-1] for k, v in parse_qs(parts.query).items()}
    ssl_mode = query.get("ssl-mode") or query.get("sslmode")
    if "ssl" in query and not ssl_mode:
        ssl_mode = "required" if query["ssl"].lower() in ("true", "1", "required") else None
    return Target(
        user=unquote(parts.username or "root"),
        password=unquote(parts.password or ""),
        host=parts.hostname,
        port=port or 3306,
        database=database,
        ssl_mode=ssl_mode.lower() if ssl_mode else None,
    )


def read_migrations(folder: Path) -> list[Migration]:
    journal_path = folder / "meta" / "_journal.json"
    try:
        journal = json.loads(journal_path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise UsageError(f"Can't find meta/_journal.json file in {folder}") from None
    except (OSError, ValueError) as e:
        raise UsageError(f"cannot read {journal_path}: {e}") from None
    if journal.get("dialect") not in (None, "mysql"):
        print(f"warning: journal dialect is {journal.get('dialect')!r}, not 'mysql'", file=sys.stderr)
    entries = journal.get("entries")
    if not isinstance(entries, list):
        raise UsageError(f"{journal_path}: 'entries' is not a list")
    migrations = []
    for entry in entries:
        try:
            tag = str(entry["tag"])
            when = int(entry["when"])
        except (KeyError, TypeError, ValueError):
            raise UsageError(f"{journal_path}: malformed entry {entry!r}") from None
        sql_path = folder / f"{tag}.sql"
        try:
            raw = sql_path.read_bytes()
        except OSError:
            raise UsageError(f"No file {sql_path} found in {folder} folder") from None
        # Node reads the file as UTF-8 text and hashes that text re-encoded as UTF-8.
        text = raw.decode("utf-8", errors="replace")
        migrations.append(
            Migration(
                idx=int(entry.get("idx", len(migrations))),
                tag=tag,
                when=when,
                path=sql_path,
                hash=hashlib.sha256(text.encode("utf-8")).hexdigest(),
                statements=text.split(BREAKPOINT),
            )
        )
    return migrations


def quote_ident(name: str) -> str:
    return "`" + name.replace("`", "``") + "`"


def is_blank_sql(chunk: str) -> bool:
    """True if a chunk holds only whitespace and comments (the client would send nothing)."""
    s = re.sub(r"/\*(?!!).*?\*/", " ", chunk, flags=re.S)
    s = re.sub(r"(?m)(--(\s|$)|#).*$", " ", s)
    return not s.strip()


class Client:
    def __init__(self, target: Target, verbose: bool):
        binary = shutil.which("mariadb") or shutil.which("mysql")
        if not binary:
            raise UsageError("the mariadb (or mysql) command-line client is not installed")
        self.binary = binary
        self.target = target
        self.verbose = verbose

    def _argv(self, database: str | None) -> list[str]:
        t = self.target
        argv = [
            self.binary,
            "--no-defaults",  # must come first
            "--protocol=TCP",
            f"--host={t.host}",
            f"--port={t.port}",
            f"--user={t.user}",
            "--default-character-set=utf8mb4",
            "--batch",
            "--skip-column-names",
            "--raw",
            # Keep \r\n inside statements (string defaults) as the real migrator does.
            "--binary-mode",
            "--comments",
            "--connect-timeout=10",
        ]
        if t.ssl_mode in ("required", "require", "preferred"):
            argv.append("--ssl")
        elif t.ssl_mode in ("verify_ca", "verify_identity", "verify-ca", "verify-full"):
            argv += ["--ssl", "--ssl-verify-server-cert"]
        elif t.ssl_mode in ("disabled", "disable"):
            argv.append("--skip-ssl")
        if database:
            argv.append(f"--database={database}")
        return argv

    def run(self, script: str, database: str | None) -> subprocess.CompletedProcess:
        env = dict(os.environ)
        env["MYSQL_PWD"] = self.target.password
        # Client history/config from the environment must not leak in.
        env.pop("MYSQL_HOST", None)
        env.pop("MYSQL_TCP_PORT", None)
        return subprocess.run(
            self._argv(database),
            input=script.encode("utf-8"),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            env=env,
            check=False,
        )

    def query(self, sql: str, database: str | None, what: str) -> str:
        proc = self.run(sql, database)
        if proc.returncode != 0:
            err = self._err(proc)
            if "ERROR 1049" in err:
                err += "\n(hint: --create-database creates it)"
            raise ApplyError(f"{what} failed on {self.target.redacted()}:\n{err}")
        return proc.stdout.decode("utf-8", errors="replace")

    def _err(self, proc: subprocess.CompletedProcess) -> str:
        err = proc.stderr.decode("utf-8", errors="replace").strip()
        if self.target.password:
            err = err.replace(self.target.password, "***")
        return err or f"client exited with status {proc.returncode}"


def apply(args: argparse.Namespace) -> int:
    target = parse_url(args.url)
    if not target.database:
        raise UsageError("the database URL must name a database (mysql://user:pass@host:port/db)")
    folder = Path(args.migrations)
    migrations = read_migrations(folder)
    client = Client(target, args.verbose)
    table = quote_ident(args.table)

    if args.create_database:
        client.query(
            f"CREATE DATABASE IF NOT EXISTS {quote_ident(target.database)};\n",
            None,
            f"creating database {target.database!r}",
        )

    out = client.query(
        f"create table if not exists {table} (\n"
        "\t\t\tid serial primary key,\n"
        "\t\t\thash text not null,\n"
        "\t\t\tcreated_at bigint\n"
        "\t\t);\n"
        f"select id, hash, created_at from {table} order by created_at desc limit 1;\n",
        target.database,
        f"preparing {args.table}",
    )
    last_created_at: int | None = None
    rows = [line for line in out.splitlines() if line.strip()]
    if rows:
        cols = rows[0].split("\t")
        last_created_at = 0 if len(cols) < 3 or cols[2] == "NULL" else int(cols[2])

    pending = [m for m in migrations if last_created_at is None or last_created_at < m.when]
    skipped = len(migrations) - len(pending)
    print(
        f"{len(migrations)} migration(s) in {folder}, {skipped} already applied or skipped "
        f"(newest applied created_at: {last_created_at}), {len(pending)} to apply "
        f"on {target.redacted()}"
    )
    if not pending:
        return 0
    if args.dry_run:
        for m in pending:
            print(f"  would apply {m.tag} ({len(m.statements)} statement(s), when={m.when})")
        return 0

    # One session, one transaction, every chunk sent as a single query: a delimiter that
    # occurs in no chunk, so `;` inside a chunk (triggers, procedures) is never split.
    # (the client keeps at most 15 delimiter characters)
    delim = "$$bp" + secrets.token_hex(4) + "$$"
    lines: list[str] = [f"DELIMITER {delim}", "begin", delim]
    spans: list[tuple[int, int, Migration, int]] = []  # (first line, last line, migration, stmt#)

    def add(text: str, mig: Migration | None, n: int) -> None:
        start = len(lines) + 1
        body = text.split("\n")
        lines.extend(body)
        lines.append(delim)
        if mig is not None:
            spans.append((start, len(lines), mig, n))

    for m in pending:
        for n, chunk in enumerate(m.statements, 1):
            if delim in chunk:  # practically impossible (random), but be exact
                raise ApplyError("statement contains the internal delimiter; rerun")
            if is_blank_sql(chunk):
                print(f"warning: {m.tag}: statement {n} is empty, skipped", file=sys.stderr)
                continue
            if chunk.lstrip().upper().startswith("DELIMITER"):
                raise ApplyError(f"{m.tag}: statement {n} starts with DELIMITER (a client command, not SQL)")
            add(chunk, m, n)
            if args.verbose:
                print(f"--- {m.tag} [{n}]\n{chunk.strip()}")
        add(f"insert into {table} (`hash`, `created_at`) values('{m.hash}', {m.when})", m, 0)
    add("commit", None, 0)

    proc = client.run("\n".join(lines) + "\n", target.database)
    if proc.returncode != 0:
        err = client._err(proc)
        where = ""
        failed: Migration | None = None
        match = re.search(r"at line (\d+)", err)
        if match:
            line_no = int(match.group(1))
            for first, last, mig, n in spans:
                if first <= line_no <= last:
                    what = "recording it in " + args.table if n == 0 else f"statement {n}"
                    where = f"migration {mig.tag} ({mig.path}), {what}: "
                    failed = mig
                    break
        done = []
        if failed is not None:
            for m in pending:
                if m is failed:
                    break
                done.append(m.tag)
        msg = f"error: {where}{err}"
        if done:
            msg += "\n(applied before the failure: " + ", ".join(done) + ")"
        msg += (
            "\nnote: MySQL/MariaDB DDL is not transactional; statements already executed in the "
            "failing migration stay applied, and it has no row in " + args.table + "."
        )
        print(msg, file=sys.stderr)
        return 1
    for m in pending:
        print(f"applied {m.tag} ({sum(1 for s in m.statements if not is_blank_sql(s))} statement(s))")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Apply a drizzle-kit MySQL migrations folder like drizzle-orm's migrator.",
    )
    parser.add_argument(
        "--url",
        default=os.environ.get("DATABASE_URL"),
        help="mysql://user:pass@host:port/db (default: $DATABASE_URL)",
    )
    parser.add_argument("--migrations", required=True, help="folder with meta/_journal.json and NNNN_tag.sql")
    parser.add_argument("--create-database", action="store_true", help="CREATE DATABASE IF NOT EXISTS first")
    parser.add_argument(
        "--table", default=DEFAULT_TABLE, help=f"migrations table (drizzle config migrations.table; default {DEFAULT_TABLE})"
    )
    parser.add_argument("--dry-run", action="store_true", help="only list the migrations that would be applied")
    parser.add_argument("-v", "--verbose", action="store_true", help="print each statement")
    args = parser.parse_args(argv)
    if not args.url:
        parser.error("--url is required (or set DATABASE_URL)")
    try:
        return apply(args)
    except UsageError as e:
        print(f"error: {e}", file=sys.stderr)
        return 2
    except ApplyError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
