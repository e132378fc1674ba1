#!/usr/bin/env bash
# dev-pg.sh — a private PostgreSQL for the tests of driftwatch's PostgreSQL
# state store (`[state] url = "postgres://…"`).
#
#   scripts/dev-pg.sh start    start it (installs PostgreSQL with apt-get if
#                              missing; initialises the cluster on first use);
#                              idempotent: already running -> success
#   scripts/dev-pg.sh stop     shut it down (pg_ctl stop -m fast)
#   scripts/dev-pg.sh status   exit 0 if it is running and answering
#   scripts/dev-pg.sh url      print postgres://driftwatch:<password>@127.0.0.1:<port>/postgres
#
# Environment:
#   DRIFTWATCH_DEV_PG_PORT   TCP port on 127.0.0.1 (default 35432)
#   DRIFTWATCH_DEV_PG_DIR    cluster directory (default /tmp/driftwatch-dev-pg-<port>;
#                            outside the repository because the server runs as
#                            the unprivileged `postgres` user when we are root)
#
# It never touches a system PostgreSQL (which may listen on 5432): its own
# cluster, port, socket directory and no system configuration. The password is
# a fixed, public, development-only secret; the server listens on 127.0.0.1 only.
set -euo pipefail

readonly DEV_PG_USER='driftwatch'
readonly DEV_PG_PASSWORD='driftwatch-dev-secret'

PORT="${DRIFTWATCH_DEV_PG_PORT:-35432}"
DIR="${DRIFTWATCH_DEV_PG_DIR:-/tmp/driftwatch-dev-pg-$PORT}"
DATA="$DIR/data"
LOG="$DIR/postgres.log"

if ! [[ "$PORT" =~ ^[0-9]+$ ]] || (( PORT < 1 || PORT > 65535 )); then
    echo "dev-pg: invalid DRIFTWATCH_DEV_PG_PORT: $PORT" >&2
    exit 2
fi

log() { echo "dev-pg: $*" >&2; }

pg_bindir() {
    local d
    for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
        if [[ -x "$d/initdb" && -x "$d/pg_ctl" ]]; then echo "$d"; return 0; fi
    done
    if command -v pg_ctl >/dev/null 2>&1 && command -v initdb >/dev/null 2>&1; then
        dirname "$(command -v pg_ctl)"
        return 0
    fi
    return 1
}

ensure_installed() {
    pg_bindir >/dev/null && return 0
    command -v apt-get >/dev/null 2>&1 || { log "PostgreSQL is not installed and apt-get is not available"; exit 1; }
    local sudo=()
    if [[ "$(id -u)" != 0 ]]; then
        command -v sudo >/dev/null 2>&1 || { log "PostgreSQL is not installed and we are not root"; exit 1; }
        sudo=(sudo)
    fi
    log "installing postgresql with apt-get"
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q >&2
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends postgresql >&2
    pg_bindir >/dev/null || { log "initdb still missing after apt-get install"; exit 1; }
}

# PostgreSQL refuses to run as root: as root, run its programs as `postgres`.
as_owner() {
    if [[ "$(id -u)" == 0 ]]; then
        id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

is_running() {
    local bin
    bin="$(pg_bindir)" || return 1
    [[ -f "$DATA/postmaster.pid" ]] || return 1
    "$bin/pg_isready" -q -h 127.0.0.1 -p "$PORT" >/dev/null 2>&1
}

init_cluster() {
    local bin="$1"
    log "initialising $DATA"
    rm -rf "$DATA"
    mkdir -p "$DIR"
    local pwfile="$DIR/.pw"
    printf '%s\n' "$DEV_PG_PASSWORD" >"$pwfile"
    if [[ "$(id -u)" == 0 ]]; then chown -R postgres "$DIR"; fi
    as_owner "$bin/initdb" --pgdata="$DATA" --username="$DEV_PG_USER" --pwfile="$pwfile" \
        --auth=scram-sha-256 --encoding=UTF8 --no-locale >"$DIR/initdb.log" 2>&1 || {
        log "initdb failed; see $DIR/initdb.log:"
        tail -n 30 "$DIR/initdb.log" >&2
        exit 1
    }
    rm -f "$pwfile"
}

cmd_start() {
    ensure_installed
    local bin
    bin="$(pg_bindir)"
    if is_running; then
        log "already running (port $PORT)"
        return 0
    fi
    mkdir -p "$DIR"
    if [[ "$(id -u)" == 0 ]]; then chown postgres "$DIR"; fi
    [[ -f "$DATA/PG_VERSION" ]] || init_cluster "$bin"
    # The port is in Linux's ephemeral range (32768-60999): right after many
    # client connections an outgoing connection may hold it for a moment, so
    # a failed bind is retried.
    local attempt offset
    for attempt in 1 2 3 4 5 6; do
        offset=$(stat -c %s "$LOG" 2>/dev/null || echo 0)
        log "starting postgres on 127.0.0.1:$PORT (data $DATA)"
        if as_owner "$bin/pg_ctl" --pgdata="$DATA" --log="$LOG" --wait --timeout=60 \
            -o "-c listen_addresses=127.0.0.1 -p $PORT -c unix_socket_directories=$DIR -c shared_buffers=16MB -c max_connections=100 -c fsync=off" \
            start >&2; then
            break
        fi
        if (( attempt < 6 )) && tail -c +"$((offset + 1))" "$LOG" 2>/dev/null | grep -q "could not bind"; then
            log "port $PORT was busy at start-up; retrying in 2 s"
            sleep 2
            continue
        fi
        log "postgres did not start; last lines of $LOG:"
        tail -n 30 "$LOG" >&2 || true
        exit 1
    done
    log "running — $(cmd_url)"
}

cmd_stop() {
    local bin
    bin="$(pg_bindir)" || { log "not installed"; return 0; }
    if [[ ! -f "$DATA/postmaster.pid" ]]; then
        log "not running"
        return 0
    fi
    as_owner "$bin/pg_ctl" --pgdata="$DATA" --mode=fast --wait stop >&2 || true
    log "stopped"
}

cmd_status() {
    if is_running; then
        echo "running (127.0.0.1:$PORT, dir $DIR)"
        return 0
    fi
    echo "not running (127.0.0.1:$PORT, dir $DIR)"
    return 1
}

cmd_url() { echo "postgres://${DEV_PG_USER}:${DEV_PG_PASSWORD}@127.0.0.1:${PORT}/postgres"; }

case "${1:-}" in
    start) cmd_start ;;
    stop) cmd_stop ;;
    status) cmd_status ;;
    url) cmd_url ;;
    *)
        echo "usage: $0 start|stop|status|url" >&2
        exit 2
        ;;
esac
