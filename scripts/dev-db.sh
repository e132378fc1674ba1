#!/usr/bin/env bash
# dev-db.sh — a private MariaDB for driftwatch's tests and demo.
#
#   scripts/dev-db.sh start    start it (installs MariaDB with apt-get if missing;
#                              initialises the data directory on first use);
#                              idempotent: already running -> success
#   scripts/dev-db.sh stop     shut it down cleanly (SIGTERM, wait)
#   scripts/dev-db.sh status   exit 0 if it is running and answering
#   scripts/dev-db.sh url      print mysql://root:<password>@127.0.0.1:<port>
#
# Environment:
#   DRIFTWATCH_DEV_DB_PORT   TCP port on 127.0.0.1 (default 33306)
#   DRIFTWATCH_DEV_DB_DIR    state directory (default <repo>/.dev-db): data/,
#                            socket, pid file and the error log live there
#
# It never touches a system MariaDB/MySQL (which may listen on 3306): every
# server/installer invocation gets --no-defaults (no /etc/mysql config), its own
# socket, pid file, port and data directory.
#
# The password is a fixed, public, development-only secret: this server only
# listens on 127.0.0.1 and holds throw-away test data.
set -euo pipefail

readonly DEV_DB_PASSWORD='driftwatch-dev-secret'
readonly START_TIMEOUT=60
readonly STOP_TIMEOUT=60

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/.." && pwd)"

PORT="${DRIFTWATCH_DEV_DB_PORT:-33306}"
DIR="${DRIFTWATCH_DEV_DB_DIR:-$REPO_ROOT/.dev-db}"
case "$DIR" in /*) ;; *) DIR="$PWD/$DIR" ;; esac
DATA="$DIR/data"
SOCK="$DIR/mariadb.sock"
PIDFILE="$DIR/mariadb.pid"
ERRLOG="$DIR/mariadb.err"
INIT_MARKER="$DIR/.initialized"
LOCKFILE="$DIR/.lock"

if ! [[ "$PORT" =~ ^[0-9]+$ ]] || (( PORT < 1 || PORT > 65535 )); then
    echo "dev-db: invalid DRIFTWATCH_DEV_DB_PORT: $PORT" >&2
    exit 2
fi
if (( ${#SOCK} > 100 )); then
    # sun_path is 108 bytes; keep a margin.
    echo "dev-db: socket path too long (${#SOCK} chars): $SOCK" >&2
    echo "dev-db: set DRIFTWATCH_DEV_DB_DIR to a shorter directory" >&2
    exit 2
fi

log() { echo "dev-db: $*" >&2; }

find_bin() {
    # find_bin NAME... -> first one found in PATH or /usr/sbin, /usr/bin
    local n
    for n in "$@"; do
        if command -v "$n" >/dev/null 2>&1; then command -v "$n"; return 0; fi
        for d in /usr/sbin /usr/bin /usr/local/sbin /usr/local/bin; do
            if [[ -x "$d/$n" ]]; then echo "$d/$n"; return 0; fi
        done
    done
    return 1
}

ensure_installed() {
    if find_bin mariadbd >/dev/null && find_bin mariadb-install-db >/dev/null \
        && find_bin mariadb >/dev/null && find_bin mariadb-admin >/dev/null; then
        return 0
    fi
    if ! command -v apt-get >/dev/null 2>&1; then
        log "MariaDB is not installed and apt-get is not available; install mariadb-server and mariadb-client"
        exit 1
    fi
    local sudo=()
    if [[ "$(id -u)" != 0 ]]; then
        if command -v sudo >/dev/null 2>&1; then sudo=(sudo); else
            log "MariaDB is not installed and we are not root; install mariadb-server and mariadb-client"
            exit 1
        fi
    fi
    log "installing mariadb-server and mariadb-client with apt-get"
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q >&2
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends \
        -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
        mariadb-server mariadb-client >&2
    find_bin mariadbd >/dev/null || { log "mariadbd still missing after apt-get install"; exit 1; }
}

run_as_args() {
    # mariadbd refuses to run as root unless told to.
    if [[ "$(id -u)" == 0 ]]; then echo "--user=root"; fi
}

# Small footprint options shared by the installer and the server.
common_opts() {
    local u
    u="$(run_as_args)"
    printf '%s\n' \
        --no-defaults \
        ${u:+"$u"} \
        "--datadir=$DATA" \
        "--socket=$SOCK" \
        "--pid-file=$PIDFILE" \
        --innodb-buffer-pool-size=32M \
        --innodb-log-file-size=16M \
        --innodb-log-buffer-size=4M \
        --innodb-use-native-aio=0 \
        --innodb-flush-log-at-trx-commit=2 \
        --innodb-doublewrite=0 \
        --key-buffer-size=1M \
        --performance-schema=OFF
}

server_opts() {
    common_opts
    printf '%s\n' \
        "--port=$PORT" \
        --bind-address=127.0.0.1 \
        --skip-name-resolve \
        --character-set-server=utf8mb4 \
        --collation-server=utf8mb4_general_ci \
        --explicit-defaults-for-timestamp=ON \
        "--log-error=$ERRLOG" \
        --max-connections=300 \
        --table-open-cache=400 \
        --tmp-table-size=16M \
        --max-heap-table-size=16M \
        --sort-buffer-size=256K \
        --thread-cache-size=8 \
        --skip-log-bin
}

server_pid() {
    # Prints the pid of *our* server (pid file + process whose command line
    # names our data directory); fails otherwise.
    [[ -f "$PIDFILE" ]] || return 1
    local pid
    pid="$(tr -dc '0-9' <"$PIDFILE" 2>/dev/null || true)"
    [[ -n "$pid" ]] || return 1
    kill -0 "$pid" 2>/dev/null || return 1
    if [[ -r "/proc/$pid/cmdline" ]]; then
        tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline" | grep -qF -- "--datadir=$DATA" || return 1
    fi
    echo "$pid"
}

ping_server() {
    # mariadb-admin ping exits 0 when the server answers, even with "access denied".
    MYSQL_PWD="$DEV_DB_PASSWORD" "$(find_bin mariadb-admin mysqladmin)" --no-defaults --socket="$SOCK" --user=root \
        --connect-timeout=2 ping >/dev/null 2>&1
}

is_running() { server_pid >/dev/null && ping_server; }

datadir_proc_alive() {
    # Is any process running with our --datadir (without relying on pgrep)?
    local f
    for f in /proc/[0-9]*/cmdline; do
        if tr '\0' '\n' 2>/dev/null <"$f" | grep -qxF -- "--datadir=$DATA"; then
            return 0
        fi
    done
    return 1
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null; }

LAUNCH_LOG_OFFSET=0

launch_server() {
    local opts=()
    mapfile -t opts < <(server_opts)
    LAUNCH_LOG_OFFSET=$(stat -c %s "$ERRLOG" 2>/dev/null || echo 0)
    log "starting mariadbd on 127.0.0.1:$PORT (data $DATA)"
    # setsid: detach from our process group so the server outlives the
    # shell/job that started it.
    # 9>&-: the server must not inherit (and hold) our lock.
    setsid "$(find_bin mariadbd mysqld)" "${opts[@]}" </dev/null >>"$ERRLOG" 2>&1 9>&- &
}

# Did the server launched last fail to bind its port ("Can't start server:
# Bind on TCP/IP port ... Address already in use")?
bind_failed_since_launch() {
    tail -c +"$((LAUNCH_LOG_OFFSET + 1))" "$ERRLOG" 2>/dev/null | grep -q "Bind on TCP/IP port"
}

tail_log() {
    if [[ -f "$ERRLOG" ]]; then
        log "last lines of $ERRLOG:"
        tail -n 40 "$ERRLOG" >&2
    else
        log "no error log at $ERRLOG"
    fi
}

# mariadb client over our socket. Password (if any) goes through MYSQL_PWD,
# never argv.
client_socket() {
    local pw="$1"; shift
    MYSQL_PWD="$pw" "$(find_bin mariadb mysql)" --no-defaults --socket="$SOCK" --user=root \
        --batch --skip-column-names "$@"
}

init_datadir() {
    log "initialising $DATA"
    rm -rf "$DATA" "$INIT_MARKER"
    mkdir -p "$DATA"
    local opts=()
    mapfile -t opts < <(common_opts)
    if ! "$(find_bin mariadb-install-db mysql_install_db)" "${opts[@]}" \
        --auth-root-authentication-method=normal \
        --skip-test-db \
        --skip-name-resolve \
        >"$DIR/install-db.log" 2>&1; then
        log "mariadb-install-db failed; see $DIR/install-db.log:"
        tail -n 40 "$DIR/install-db.log" >&2
        exit 1
    fi
}

secure_accounts() {
    # First start after init: root@localhost has an empty password. Set the dev
    # password on root@localhost and root@127.0.0.1, drop every other root host
    # and every anonymous account so that a wrong password can never get in.
    local pw_sql="'$DEV_DB_PASSWORD'"
    local sql
    sql="$(cat <<SQL
SET SESSION sql_log_bin = 0;
CREATE USER IF NOT EXISTS 'root'@'127.0.0.1';
GRANT ALL PRIVILEGES ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION;
ALTER USER 'root'@'127.0.0.1' IDENTIFIED BY $pw_sql;
SQL
)"
    local empty_pw_ok=1
    if ! client_socket "" -e 'select 1' >/dev/null 2>&1; then
        empty_pw_ok=0
        if ! client_socket "$DEV_DB_PASSWORD" -e 'select 1' >/dev/null 2>&1; then
            log "cannot log in as root over $SOCK (neither empty nor dev password)"
            exit 1
        fi
    fi
    local cur_pw=""
    (( empty_pw_ok )) || cur_pw="$DEV_DB_PASSWORD"
    # Drop every account except root@localhost, root@127.0.0.1 and the
    # mariadb.sys definer account.
    local drops
    drops="$(client_socket "$cur_pw" -e "select concat('DROP USER ', quote(user), '@', quote(host), ';') from mysql.user where not ((user='root' and host in ('localhost','127.0.0.1')) or user='mariadb.sys')")"
    client_socket "$cur_pw" -e "$sql
$drops
ALTER USER 'root'@'localhost' IDENTIFIED BY $pw_sql;
FLUSH PRIVILEGES;"
    # Verify: TCP with the password works, a wrong password does not.
    if ! MYSQL_PWD="$DEV_DB_PASSWORD" "$(find_bin mariadb mysql)" --no-defaults --protocol=TCP \
        --host=127.0.0.1 --port="$PORT" --user=root -e 'select 1' >/dev/null 2>&1; then
        log "TCP login with the dev password failed after setup"
        exit 1
    fi
    if MYSQL_PWD="not-the-$DEV_DB_PASSWORD" "$(find_bin mariadb mysql)" --no-defaults --protocol=TCP \
        --host=127.0.0.1 --port="$PORT" --user=root -e 'select 1' >/dev/null 2>&1; then
        log "a wrong password was accepted after setup; refusing to continue"
        exit 1
    fi
    : >"$INIT_MARKER"
}

cmd_start() {
    mkdir -p "$DIR"
    exec 9>"$LOCKFILE"
    if ! flock -w 120 9; then log "could not lock $LOCKFILE"; exit 1; fi

    if is_running; then
        [[ -f "$INIT_MARKER" ]] || secure_accounts
        log "already running (pid $(server_pid), port $PORT)"
        return 0
    fi
    ensure_installed
    if server_pid >/dev/null; then
        log "server process $(server_pid) exists but does not answer; waiting for it"
    else
        if port_in_use; then
            log "port 127.0.0.1:$PORT is already in use by another process (not our server in $DIR)"
            log "set DRIFTWATCH_DEV_DB_PORT to a free port"
            exit 1
        fi
        rm -f "$PIDFILE" "$SOCK" "$SOCK.lock"
        if [[ ! -f "$INIT_MARKER" ]] && [[ ! -d "$DATA/mysql" ]]; then
            init_datadir
        fi
        launch_server
    fi

    local launched_at=$SECONDS
    local deadline=$((SECONDS + START_TIMEOUT))
    local bind_retries=5
    while :; do
        if server_pid >/dev/null && ping_server; then break; fi
        if (( SECONDS >= deadline )); then
            log "server did not answer within ${START_TIMEOUT}s"
            tail_log
            exit 1
        fi
        # A server that died on start-up: fail fast.
        if (( SECONDS > launched_at + 1 )) && ! datadir_proc_alive; then
            sleep 0.5
            if ! datadir_proc_alive; then
                # The port is in Linux's ephemeral range (32768-60999): right
                # after many client connections, an outgoing connection may
                # hold it for a moment. Seen once after the fleet benchmark.
                if (( bind_retries > 0 )) && bind_failed_since_launch; then
                    bind_retries=$((bind_retries - 1))
                    log "port $PORT was busy at start-up; retrying in 2 s"
                    sleep 2
                    launch_server
                    launched_at=$SECONDS
                    continue
                fi
                log "mariadbd exited during start-up"
                tail_log
                exit 1
            fi
        fi
        sleep 0.3
    done
    [[ -f "$INIT_MARKER" ]] || secure_accounts
    log "running (pid $(server_pid)) — $(cmd_url)"
}

cmd_stop() {
    mkdir -p "$DIR"
    exec 9>"$LOCKFILE"
    flock -w 120 9 || { log "could not lock $LOCKFILE"; exit 1; }
    local pid
    if ! pid="$(server_pid)"; then
        log "not running"
        rm -f "$PIDFILE"
        return 0
    fi
    log "stopping pid $pid"
    kill -TERM "$pid"
    local deadline=$((SECONDS + STOP_TIMEOUT))
    while kill -0 "$pid" 2>/dev/null; do
        if (( SECONDS >= deadline )); then
            log "server did not stop within ${STOP_TIMEOUT}s; sending SIGKILL"
            kill -KILL "$pid" 2>/dev/null || true
            break
        fi
        sleep 0.2
    done
    rm -f "$PIDFILE"
    log "stopped"
}

cmd_status() {
    if is_running; then
        echo "running (pid $(server_pid), 127.0.0.1:$PORT, dir $DIR)"
        return 0
    fi
    echo "not running (127.0.0.1:$PORT, dir $DIR)"
    return 1
}

cmd_url() { echo "mysql://root:${DEV_DB_PASSWORD}@127.0.0.1:${PORT}"; }

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
