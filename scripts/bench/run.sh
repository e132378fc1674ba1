#!/usr/bin/env bash
# run.sh — driftwatch benchmark (issue 8): driftwatch validate vs its floor vs drizzle-kit.
#
#   scripts/bench/run.sh [--sizes 100,500,2000,10000] [--rounds 5] [--latency 0,1,80]
#                        [--large-n 2000 --large-rounds 3]
#                        [--tools floor,floor_par,validate,dk_push,dk_pull] [--resume] [--no-build]
#                        [--max-run-seconds 60]
#
# From a fresh clone after the README set-up (Rust, Python 3, Node/npm, apt):
#   1. builds the release binary (`cargo build --release -p driftwatch`; --no-build skips it);
#   2. installs the pinned drizzle-kit of tests/parity (npm ci into target/bench/node)
#      and writes its MariaDB-fixed copy bin.mariadb.cjs (scripts/bench/patch_drizzle_kit.py);
#   3. starts a private MariaDB for the benchmark with scripts/dev-db.sh
#      (port DRIFTWATCH_BENCH_DB_PORT, default 33307; data in target/bench/db) — never the
#      test server on 33306, never a system server;
#   4. runs scripts/bench/bench.py (generate, database, trace, measure: see its header);
#   5. writes docs/benchmarks/results.md and the SVG charts (scripts/bench/report.py).
#
# Cached under target/bench/: generated projects (n<N>/), databases (bench_n<N> on the bench
# server, kept between runs), results.json. A second run re-uses them; --resume also keeps the
# measurements already in results.json. `scripts/bench/run.sh --stop-db` stops the bench server.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$HERE/../.." && pwd)"
BENCH="$REPO/target/bench"
PORT="${DRIFTWATCH_BENCH_DB_PORT:-33307}"

SIZES="100,500,2000,10000"
ROUNDS=5
LARGE_N=2000
LARGE_ROUNDS=3
LATENCY="0,1,80"
TOOLS="floor,floor_par,validate,dk_push,dk_pull"
RESUME=()
BUILD=1
MAXRUN=60
ORIG_ARGS="$*"

usage() { sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; }

while [[ $# -gt 0 ]]; do
    case "$1" in
        --sizes) SIZES="$2"; shift 2 ;;
        --rounds) ROUNDS="$2"; shift 2 ;;
        --large-n) LARGE_N="$2"; shift 2 ;;
        --large-rounds) LARGE_ROUNDS="$2"; shift 2 ;;
        --latency) LATENCY="$2"; shift 2 ;;
        --tools) TOOLS="$2"; shift 2 ;;
        --resume) RESUME=(--resume); shift ;;
        --max-run-seconds) MAXRUN="$2"; shift 2 ;;
        --no-build) BUILD=0; shift ;;
        --stop-db)
            DRIFTWATCH_DEV_DB_PORT="$PORT" DRIFTWATCH_DEV_DB_DIR="$BENCH/db" "$REPO/scripts/dev-db.sh" stop
            exit 0 ;;
        -h|--help) usage; exit 0 ;;
        *) echo "run.sh: unknown argument $1" >&2; usage >&2; exit 2 ;;
    esac
done

log() { echo "[run.sh $(date -u +%H:%M:%S)] $*" >&2; }
mkdir -p "$BENCH"
started=$SECONDS

# /usr/bin/time (GNU time) for peak RSS.
if [[ ! -x /usr/bin/time ]]; then
    log "installing GNU time (apt-get install time)"
    sudo_=(); [[ "$(id -u)" == 0 ]] || sudo_=(sudo)
    "${sudo_[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q time >&2
fi
for bin in node npm python3 cargo; do
    command -v "$bin" >/dev/null || { log "$bin is required (see README set-up)"; exit 1; }
done

# 1. driftwatch, release build.
if (( BUILD )); then
    log "cargo build --release -p driftwatch"
    (cd "$REPO" && cargo build --release -p driftwatch) >&2
fi
[[ -x "$REPO/target/release/driftwatch" ]] || { log "missing target/release/driftwatch (run without --no-build)"; exit 1; }
# A private copy: a concurrent `cargo build` must not swap the binary in the middle of a run.
mkdir -p "$BENCH/bin"
cp "$REPO/target/release/driftwatch" "$BENCH/bin/driftwatch.tmp" && mv "$BENCH/bin/driftwatch.tmp" "$BENCH/bin/driftwatch"
DRIFTWATCH="$BENCH/bin/driftwatch"

# 2. drizzle-kit, the versions pinned in tests/parity (own copy: tests/parity/node_modules
#    is left alone).
NODE_DIR="$BENCH/node"
mkdir -p "$NODE_DIR"
if ! cmp -s "$REPO/tests/parity/package-lock.json" "$NODE_DIR/package-lock.json" \
    || [[ ! -x "$NODE_DIR/node_modules/.bin/drizzle-kit" ]]; then
    log "npm ci (pinned drizzle-kit from tests/parity/package-lock.json) into $NODE_DIR"
    cp "$REPO/tests/parity/package.json" "$REPO/tests/parity/package-lock.json" "$NODE_DIR/"
    (cd "$NODE_DIR" && npm ci --no-audit --no-fund --loglevel=error) >&2
fi
python3 "$HERE/patch_drizzle_kit.py" "$NODE_DIR/node_modules/drizzle-kit/bin.cjs" >/dev/null

# 3. the benchmark's own MariaDB.
DRIFTWATCH_DEV_DB_PORT="$PORT" DRIFTWATCH_DEV_DB_DIR="$BENCH/db" "$REPO/scripts/dev-db.sh" start

# 4. measure.
CMD="scripts/bench/run.sh${ORIG_ARGS:+ $ORIG_ARGS}"
python3 "$HERE/bench.py" --sizes "$SIZES" --rounds "$ROUNDS" --large-n "$LARGE_N" \
    --large-rounds "$LARGE_ROUNDS" --latency "$LATENCY" --tools "$TOOLS" \
    --port "$PORT" --driftwatch "$DRIFTWATCH" --node-modules "$NODE_DIR/node_modules" \
    --max-run-seconds "$MAXRUN" --command "$CMD" "${RESUME[@]}"

# 5. report.
python3 "$HERE/report.py" "$BENCH/results.json" "$REPO/docs/benchmarks"
log "done in $((SECONDS - started)) s: $BENCH/results.json, docs/benchmarks/results.md"
