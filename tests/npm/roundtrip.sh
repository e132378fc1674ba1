#!/usr/bin/env bash
# roundtrip.sh — the npm packages end to end: pack, install, run.
#
#   tests/npm/roundtrip.sh [--binary PATH]
#
# 1. scripts/npm-package.sh --binary PATH (default target/debug/driftwatch, so
#    that CI needs no release build) into a scratch folder;
# 2. a scratch Node project (package.json "validate:schema": "driftwatch
#    validate", plus the example app's drizzle.config.ts and schema) installs
#    the platform tarball and the main tarball with one `npm install
#    --offline` (no registry: the main package's optional dependency on the
#    platform package resolves to the local tarball; checked);
# 3. checks `npx driftwatch --version`, exit 2 with a clear message when no
#    server listens, the launcher's message when the platform package is
#    missing, DRIFTWATCH_BINARY, exit code / argument / signal forwarding;
# 4. with DRIFTWATCH_TEST_MYSQL_URL set (scripts/test.sh sets it): a scratch
#    database migrated with examples/shop's migrations, then `npm run
#    validate:schema` exits 0 with "No schema drift detected", and 1 after a
#    manual change; the same through pnpm (an installed pnpm, else `npx --yes
#    pnpm@9`, which needs the npm registry: skipped when unreachable unless
#    DRIFTWATCH_NPM_PNPM=1; DRIFTWATCH_NPM_PNPM=0 skips it);
# 5. action.yml: parsed (PyYAML, when some python3 has it) and its two bash
#    steps run against the packed tarballs with a fake GITHUB_OUTPUT.
#
# The scratch database and folders are removed at exit. Every failed check is
# printed; the exit status is 1 when any failed (2 on bad usage).
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$REPO_ROOT"

BINARY="$REPO_ROOT/target/debug/driftwatch"
while (($#)); do
    case "$1" in
        --binary) [[ $# -ge 2 ]] || { echo "roundtrip: --binary needs a PATH" >&2; exit 2; }; BINARY="$2"; shift 2 ;;
        --binary=*) BINARY="${1#*=}"; shift ;;
        -h|--help) sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) echo "roundtrip: unknown argument: $1" >&2; exit 2 ;;
    esac
done
if [[ ! -x "$BINARY" ]]; then
    echo "roundtrip: $BINARY does not exist; build it first (cargo build -p driftwatch) or pass --binary" >&2
    exit 2
fi
BINARY="$(cd "$(dirname "$BINARY")" && pwd)/$(basename "$BINARY")"

START=$SECONDS
VERSION="$(awk '/^\[/ { ws = ($0 == "[workspace.package]") }
               ws && /^version[ \t]*=/ { gsub(/^[^"]*"|".*$/, ""); print; exit }' Cargo.toml)"
PLATFORM="$(node -p 'process.platform + "-" + process.arch')"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/driftwatch-npm.XXXXXX")"
SERVER_URL="${DRIFTWATCH_TEST_MYSQL_URL:-}"
SERVER_URL="${SERVER_URL%/}"
DB_NAME=""
FAILED=()
# npm's cache for this run only (the tarballs hold a 10-50 MB binary that
# changes with every build); `npx --yes pnpm@9` keeps the user's cache.
USER_NPM_CACHE="$(npm config get cache)"
export npm_config_cache="$WORK/npm-cache"

# --- helpers -----------------------------------------------------------------
say() { printf '==> %s\n' "$*"; }
ok() { printf '    ok: %s\n' "$*"; }
fail() { printf '    FAIL: %s\n' "$*" >&2; FAILED+=("$*"); }
abort() { fail "$*"; finish; }

# run_capture NAME CMD...: runs CMD with stdout+stderr into $WORK/NAME.out,
# sets $code; never fails the script.
run_capture() {
    local name="$1"; shift
    last="$name"
    set +e
    "$@" >"$WORK/$name.out" 2>&1
    code=$?
    set -e
}
show() { sed 's/^/      | /' "$WORK/$1.out" | tail -n "${2:-15}" >&2 || true; }

# expect LABEL WANT_CODE [GREP_PATTERN]: checks the last run_capture.
expect() {
    local label="$1" want="$2" pattern="${3:-}"
    if [[ "$code" != "$want" ]]; then
        fail "$label: exit code $code, expected $want"; show "$last"; return 0
    fi
    if [[ -n "$pattern" ]] && ! grep -qE -- "$pattern" "$WORK/$last.out"; then
        fail "$label: output lacks /$pattern/"; show "$last"; return 0
    fi
    ok "$label (exit $code)"
}

mysql_admin() { # SQL [DB]: runs SQL on the test server with the mariadb/mysql client
    python3 - "$SERVER_URL" "$1" "${2:-}" <<'PY'
import os, shutil, subprocess, sys
from urllib.parse import unquote, urlsplit
url, sql, db = sys.argv[1:4]
u = urlsplit(url)
client = shutil.which("mariadb") or shutil.which("mysql")
if not client:
    sys.exit("neither the mariadb nor the mysql client is on PATH")
cmd = [client, "--no-defaults", "-h", u.hostname or "127.0.0.1", "-P", str(u.port or 3306),
       "-u", unquote(u.username or "root"), "-e", sql] + ([db] if db else [])
env = dict(os.environ, MYSQL_PWD=unquote(u.password or ""))
sys.exit(subprocess.run(cmd, env=env).returncode)
PY
}

cleanup() {
    if [[ -n "$DB_NAME" ]]; then
        mysql_admin "DROP DATABASE IF EXISTS \`$DB_NAME\`" >/dev/null 2>&1 \
            || echo "roundtrip: could not drop the scratch database $DB_NAME" >&2
    fi
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'echo "roundtrip: unexpected failure at line $LINENO: $BASH_COMMAND" >&2' ERR

finish() {
    local elapsed=$((SECONDS - START))
    echo
    if ((${#FAILED[@]})); then
        echo "npm round trip: ${#FAILED[@]} check(s) FAILED (${elapsed}s):" >&2
        printf '  - %s\n' "${FAILED[@]}" >&2
        exit 1
    fi
    echo "npm round trip: all checks passed (${elapsed}s)"
    exit 0
}

# npm without registry access, quiet
npm_offline() { npm --offline --no-audit --no-fund --loglevel=error "$@"; }

# --- 1. pack -------------------------------------------------------------------
say "packing driftwatch $VERSION for $PLATFORM (binary: $BINARY)"
run_capture pack scripts/npm-package.sh --binary "$BINARY" --out "$WORK/dist"
[[ $code == 0 ]] || { show pack 30; abort "scripts/npm-package.sh failed (exit $code)"; }
mapfile -t TARBALLS < <(grep -E '\.tgz$' "$WORK/pack.out")
PLATFORM_TGZ="$WORK/dist/driftwatch-cli-$PLATFORM-$VERSION.tgz"
MAIN_TGZ="$WORK/dist/driftwatch-$VERSION.tgz"
[[ ${#TARBALLS[@]} == 2 && "${TARBALLS[0]}" == "$PLATFORM_TGZ" && "${TARBALLS[1]}" == "$MAIN_TGZ" ]] \
    || { show pack 30; abort "npm-package.sh printed '${TARBALLS[*]}', expected $PLATFORM_TGZ then $MAIN_TGZ"; }
ok "tarballs: $(basename "$PLATFORM_TGZ"), $(basename "$MAIN_TGZ")"
listing="$(tar -tvzf "$PLATFORM_TGZ")"
if grep -q '^-rwx.* package/driftwatch$' <<<"$listing"; then ok "the platform tarball holds package/driftwatch, executable"
else fail "the platform tarball has no executable package/driftwatch"; fi
main_json="$(tar -xzOf "$MAIN_TGZ" package/package.json)"
node -e '
  const p = JSON.parse(process.argv[1]), v = process.argv[2];
  const bad = [];
  if (p.version !== v) bad.push(`version ${p.version}`);
  if (!p.bin || p.bin.driftwatch !== "bin/driftwatch.js") bad.push("bin");
  for (const n of ["linux-x64","linux-arm64","darwin-x64","darwin-arm64","win32-x64"])
    if ((p.optionalDependencies || {})[`@driftwatch/cli-${n}`] !== v) bad.push(`optionalDependencies @driftwatch/cli-${n}`);
  if (bad.length) { console.error(bad.join(", ")); process.exit(1); }
' "$main_json" "$VERSION" && ok "main package.json: version, bin, optionalDependencies at $VERSION" \
    || fail "main package.json is wrong (see above)"
node --check "$REPO_ROOT/packaging/npm/driftwatch/bin/driftwatch.js" || fail "bin/driftwatch.js does not parse"

# --- 2. scratch project ---------------------------------------------------------
say "scratch project: npm install --offline <platform tarball> <main tarball>"
APP="$WORK/app"
mkdir -p "$APP"
cp examples/shop/drizzle.config.ts "$APP/"
cp -R examples/shop/drizzle "$APP/drizzle"
cat >"$APP/package.json" <<'EOF'
{
  "name": "driftwatch-npm-roundtrip",
  "version": "1.0.0",
  "private": true,
  "scripts": {
    "validate:schema": "driftwatch validate"
  }
}
EOF
cat >"$APP/tiny.ts" <<'EOF'
import { int, mysqlTable, varchar } from 'drizzle-orm/mysql-core';

export const users = mysqlTable('users', {
  id: int().autoincrement().primaryKey(),
  name: varchar({ length: 100 }).notNull(),
});
EOF
t0=$SECONDS
run_capture install bash -c 'cd "$1" && npm --offline --no-audit --no-fund install "$2" "$3"' _ "$APP" "$PLATFORM_TGZ" "$MAIN_TGZ"
[[ $code == 0 ]] || { show install 30; abort "npm install of the two tarballs failed (exit $code)"; }
ok "installed in $((SECONDS - t0))s"
installed_bin="$APP/node_modules/@driftwatch/cli-$PLATFORM/driftwatch"
if cmp -s "$installed_bin" "$BINARY"; then ok "node_modules/@driftwatch/cli-$PLATFORM/driftwatch is the packed binary"
else fail "node_modules/@driftwatch/cli-$PLATFORM/driftwatch is missing or not the packed binary"; fi
[[ -x "$installed_bin" ]] || fail "the installed binary is not executable"
node -e '
  const lock = require(process.argv[1] + "/package-lock.json");
  const e = lock.packages["node_modules/@driftwatch/cli-" + process.argv[2]];
  if (!e || !String(e.resolved).startsWith("file:")) { console.error(JSON.stringify(e)); process.exit(1); }
' "$APP" "$PLATFORM" && ok "the optional dependency resolved to the local tarball (package-lock: file:)" \
    || fail "package-lock.json: @driftwatch/cli-$PLATFORM is not the local tarball"

# --- 3. the launcher --------------------------------------------------------------
say "the launcher"
# (`npx --no -- driftwatch` never asks the registry; `npx driftwatch` is what
# users type: both must run the local one)
run_capture version bash -c 'cd "$1" && npx driftwatch --version' _ "$APP"
expect "npx driftwatch --version" 0 "^driftwatch $VERSION\$"
run_capture version_no bash -c 'cd "$1" && npx --no -- driftwatch --version' _ "$APP"
expect "npx --no -- driftwatch --version" 0 "^driftwatch $VERSION\$"

run_capture noserver bash -c 'cd "$1" && npx --no -- driftwatch validate --url "mysql://root:wrong@127.0.0.1:1/x" --schema tiny.ts' _ "$APP"
expect "npx driftwatch validate (no server on port 1)" 2 "cannot reach a MySQL server at 127\.0\.0\.1:1"
if grep -q wrong "$WORK/noserver.out"; then fail "the password of --url appears in the output"; fi

run_capture npmrun_noserver bash -c 'cd "$1" && DATABASE_URL="mysql://root:wrong@127.0.0.1:1/x" npm run --silent validate:schema' _ "$APP"
expect "npm run validate:schema (no server): exit code passed through npm" 2 "cannot reach a MySQL server"

# argument, exit code and signal forwarding, through DRIFTWATCH_BINARY
cat >"$WORK/fake-driftwatch" <<'EOF'
#!/bin/sh
case "$1" in
  args) for a in "$@"; do printf '<%s>\n' "$a"; done ;;
  exit) exit "$2" ;;
  signal) kill -TERM $$ ;;
esac
EOF
chmod +x "$WORK/fake-driftwatch"
run_capture fwd_args bash -c 'cd "$1" && DRIFTWATCH_BINARY="$2" npx --no -- driftwatch args "a b" "*" ""' _ "$APP" "$WORK/fake-driftwatch"
if [[ $code == 0 && "$(cat "$WORK/fwd_args.out")" == $'<args>\n<a b>\n<*>\n<>' ]]; then ok "DRIFTWATCH_BINARY is run, arguments passed unchanged"
else fail "argument forwarding / DRIFTWATCH_BINARY (exit $code)"; show fwd_args; fi
run_capture fwd_exit bash -c 'cd "$1" && DRIFTWATCH_BINARY="$2" node node_modules/driftwatch/bin/driftwatch.js exit 7' _ "$APP" "$WORK/fake-driftwatch"
expect "exit code 7 forwarded" 7
run_capture fwd_signal bash -c 'cd "$1" && DRIFTWATCH_BINARY="$2" node node_modules/driftwatch/bin/driftwatch.js signal; exit $?' _ "$APP" "$WORK/fake-driftwatch"
expect "death by SIGTERM forwarded (128+15)" 143
run_capture bad_override bash -c 'cd "$1" && DRIFTWATCH_BINARY=/nonexistent/driftwatch npx --no -- driftwatch --version' _ "$APP"
expect "DRIFTWATCH_BINARY pointing nowhere" 2 "DRIFTWATCH_BINARY is set to /nonexistent/driftwatch"

# musl and an unsupported CPU, simulated by preloading a module that changes
# what the launcher sees
cat >"$WORK/musl.js" <<'EOF'
const real = process.report.getReport.bind(process.report);
process.report.getReport = () => { const r = real(); delete r.header.glibcVersionRuntime; return r; };
EOF
cat >"$WORK/ia32.js" <<'EOF'
Object.defineProperty(process, "arch", { value: "ia32" });
EOF
if [[ "$PLATFORM" == linux-* ]]; then
    run_capture musl bash -c 'cd "$1" && node -r "$2" node_modules/driftwatch/bin/driftwatch.js --version' _ "$APP" "$WORK/musl.js"
    expect "musl libc: clear message" 2 "uses musl libc"
fi
run_capture ia32 bash -c 'cd "$1" && node -r "$2" node_modules/driftwatch/bin/driftwatch.js --version' _ "$APP" "$WORK/ia32.js"
expect "unsupported CPU: clear message" 2 "no prebuilt binary for [a-z0-9]+/ia32"

say "the main package without its platform package (--omit=optional)"
BARE="$WORK/bare"
mkdir -p "$BARE"
echo '{ "name": "bare", "version": "1.0.0", "private": true }' >"$BARE/package.json"
run_capture install_bare bash -c 'cd "$1" && npm --offline --no-audit --no-fund --omit=optional install "$2"' _ "$BARE" "$MAIN_TGZ"
if [[ $code != 0 ]]; then fail "npm install --omit=optional of the main tarball (exit $code)"; show install_bare
else
    run_capture missing bash -c 'cd "$1" && npx --no -- driftwatch --version' _ "$BARE"
    expect "no platform package: clear message" 2 "@driftwatch/cli-$PLATFORM@$VERSION .*is not installed"
    sed "s/^/      | /" "$WORK/missing.out"
    grep -q -- "--include=optional" "$WORK/missing.out" || fail "the missing-package message does not suggest --include=optional"
    run_capture bare_override bash -c 'cd "$1" && DRIFTWATCH_BINARY="$2" npx --no -- driftwatch --version' _ "$BARE" "$BINARY"
    expect "no platform package, DRIFTWATCH_BINARY set" 0 "^driftwatch $VERSION\$"
fi

# --- 4. a real database -------------------------------------------------------------
if [[ -z "$SERVER_URL" ]]; then
    say "skipped: the live database checks (DRIFTWATCH_TEST_MYSQL_URL is not set)"
else
    DB_NAME="dw_npm_roundtrip_$$"
    DB_URL="$SERVER_URL/$DB_NAME"
    say "scratch database $DB_NAME with examples/shop's migrations"
    mysql_admin "DROP DATABASE IF EXISTS \`$DB_NAME\`" >/dev/null \
        || abort "cannot run SQL on the test server (DRIFTWATCH_TEST_MYSQL_URL)"
    run_capture migrate python3 scripts/apply-migrations.py --url "$DB_URL" \
        --migrations examples/shop/drizzle/migrations --create-database
    if [[ $code != 0 ]]; then fail "applying the migrations (exit $code)"; show migrate
    else
        run_capture npmrun bash -c 'cd "$1" && DATABASE_URL="$2" npm run validate:schema' _ "$APP" "$DB_URL"
        expect "npm run validate:schema (migrated database)" 0 "No schema drift detected"

        PNPM=()
        if [[ "${DRIFTWATCH_NPM_PNPM:-}" != 0 ]]; then
            if command -v pnpm >/dev/null 2>&1; then PNPM=(pnpm)
            elif timeout 120 env npm_config_cache="$USER_NPM_CACHE" npx --yes pnpm@9 --version >/dev/null 2>&1; then
                PNPM=(env npm_config_cache="$USER_NPM_CACHE" npx --yes pnpm@9)
            fi
        fi
        if ((${#PNPM[@]})); then
            PAPP="$WORK/pnpm-app"
            mkdir -p "$PAPP"
            cp examples/shop/drizzle.config.ts "$PAPP/"
            cp -R examples/shop/drizzle "$PAPP/drizzle"
            printf '%s\n' '{ "name": "pnpm-app", "version": "1.0.0", "private": true,' \
                '  "scripts": { "validate:schema": "driftwatch validate" } }' >"$PAPP/package.json"
            run_capture pnpm_add bash -c 'cd "$1" && shift && "$@"' _ "$PAPP" "${PNPM[@]}" add --offline \
                --store-dir "$WORK/pnpm-store" "$PLATFORM_TGZ" "$MAIN_TGZ"
            if [[ $code != 0 ]]; then fail "pnpm add of the two tarballs (exit $code)"; show pnpm_add
            else
                run_capture pnpm_run bash -c 'cd "$1" && export DATABASE_URL="$2" && shift 2 && "$@"' _ "$PAPP" "$DB_URL" "${PNPM[@]}" run validate:schema
                expect "pnpm validate:schema (pnpm install, migrated database)" 0 "No schema drift detected"
            fi
        elif [[ "${DRIFTWATCH_NPM_PNPM:-}" == 1 ]]; then
            fail "pnpm is required (DRIFTWATCH_NPM_PNPM=1) but neither pnpm nor npx --yes pnpm@9 works"
        else
            say "skipped: pnpm (not installed and npx --yes pnpm@9 failed: no registry?)"
        fi

        say "a manual change in the database"
        mysql_admin "ALTER TABLE orders ADD COLUMN refund_reason varchar(255) NULL" "$DB_NAME" \
            || fail "could not alter the scratch database"
        run_capture npmrun_drift bash -c 'cd "$1" && DATABASE_URL="$2" npm run --silent validate:schema' _ "$APP" "$DB_URL"
        expect "npm run validate:schema (after the change): drift, exit 1 through npm" 1 "refund_reason"
    fi
fi

# --- 5. action.yml -----------------------------------------------------------------
say "action.yml"
YAML_PY=""
for py in python3 "${DRIFTWATCH_FORMATS_PYTHON:-}"; do
    if [[ -n "$py" ]] && "$py" -c 'import yaml' 2>/dev/null; then YAML_PY="$py"; break; fi
done
if [[ -z "$YAML_PY" ]]; then
    say "skipped: action.yml checks (no python3 with PyYAML; the Rust test in crates/cli checks it)"
else
    run_capture action_parse "$YAML_PY" - "$REPO_ROOT/action.yml" "$WORK/action" <<'PY'
import os, sys, yaml
path, out = sys.argv[1], sys.argv[2]
with open(path) as f:
    a = yaml.safe_load(f)
problems = []
for key in ("name", "description", "inputs", "outputs", "runs"):
    if key not in a:
        problems.append(f"no {key}")
if a.get("runs", {}).get("using") != "composite":
    problems.append("runs.using is not composite")
for name in ("version", "args", "working-directory", "database-url", "fail-on"):
    if name not in a.get("inputs", {}):
        problems.append(f"no input {name}")
if a["inputs"]["args"].get("default") != "validate --format github":
    problems.append("args default is not 'validate --format github'")
if "exit-code" not in a.get("outputs", {}):
    problems.append("no output exit-code")
steps = a["runs"]["steps"]
for s in steps:
    if "run" in s and s.get("shell") != "bash":
        problems.append(f"step {s.get('name')} has no shell: bash")
if problems:
    sys.exit("; ".join(problems))
os.makedirs(out, exist_ok=True)
for s in steps:
    if s.get("id") in ("install", "run"):
        with open(os.path.join(out, s["id"] + ".sh"), "w") as f:
            f.write(s["run"])
print("parsed:", len(a["inputs"]), "inputs,", len(steps), "steps")
PY
    expect "action.yml parses, inputs/outputs/steps as documented" 0 "parsed"
    if [[ -f "$WORK/action/install.sh" && -f "$WORK/action/run.sh" ]]; then
        # The install step, hermetic: the platform package is put into the
        # prefix first, then the step installs the main tarball ("version" as
        # an npm file: spec) with npm offline.
        PREFIX="$WORK/runner-temp/driftwatch-npm"
        GH="$WORK/gh"; mkdir -p "$GH"; : >"$GH/output"; : >"$GH/path"
        run_capture action_platform npm_offline install --global --prefix "$PREFIX" "$PLATFORM_TGZ"
        [[ $code == 0 ]] || { fail "global install of the platform tarball (exit $code)"; show action_platform; }
        run_capture action_install env npm_config_offline=true \
            DW_VERSION="file:$MAIN_TGZ" DW_PREFIX="$PREFIX" DW_RUNNER_OS=Linux \
            GITHUB_OUTPUT="$GH/output" GITHUB_PATH="$GH/path" GITHUB_ACTION_PATH="$REPO_ROOT" \
            bash "$WORK/action/install.sh"
        expect "action install step" 0 "^driftwatch $VERSION\$"
        grep -qx "version=$VERSION" "$GH/output" || fail "action install step: no version=$VERSION output"
        grep -qx "$PREFIX/bin" "$GH/path" || fail "action install step: $PREFIX/bin not added to GITHUB_PATH"

        # The default version (input empty): the action's own version from
        # Cargo.toml when npm has it, else latest. A fake npm answers `npm
        # view` and records the spec `npm install` is asked for.
        mkdir -p "$WORK/fakenpm"
        cat >"$WORK/fakenpm/npm" <<'EOF'
#!/usr/bin/env bash
if [[ "$1" == view ]]; then
    [[ "$2" == "driftwatch@$FAKE_PUBLISHED" ]] && echo "$FAKE_PUBLISHED"
    exit 0
fi
if [[ "$1" == install ]]; then
    args=("$@"); echo "fake-npm: install ${args[-1]}"; unset 'args[-1]'
    exec "$REAL_NPM" --offline "${args[@]}" "file:$MAIN_TGZ"
fi
exec "$REAL_NPM" "$@"
EOF
        chmod +x "$WORK/fakenpm/npm"
        for published in "$VERSION" none; do
            : >"$GH/output"
            run_capture action_default_version env PATH="$WORK/fakenpm:$PATH" REAL_NPM="$(command -v npm)" \
                FAKE_PUBLISHED="$published" MAIN_TGZ="$MAIN_TGZ" \
                DW_VERSION="" DW_PREFIX="$PREFIX" DW_RUNNER_OS=Linux \
                GITHUB_OUTPUT="$GH/output" GITHUB_PATH="$GH/path" GITHUB_ACTION_PATH="$REPO_ROOT" \
                bash "$WORK/action/install.sh"
            if [[ "$published" == none ]]; then
                expect "action install step, version input empty, $VERSION not on npm: latest" 0 \
                    "fake-npm: install driftwatch@latest"
                grep -q "::warning" "$WORK/action_default_version.out" || fail "no ::warning when falling back to latest"
            else
                expect "action install step, version input empty: the action's own version" 0 \
                    "fake-npm: install driftwatch@$VERSION\$"
            fi
        done

        # The run step, in the scratch app, with the PATH the install step set.
        action_run() { # NAME ARGS FAIL_ON DATABASE_URL
            : >"$GH/output"
            run_capture "$1" env PATH="$PREFIX/bin:$PATH" DW_ARGS="$2" DW_FAIL_ON="$3" \
                DW_DATABASE_URL="$4" GITHUB_OUTPUT="$GH/output" \
                bash -c 'cd "$1" && bash "$2"' _ "$APP" "$WORK/action/run.sh"
        }
        action_run action_noserver "validate --format github" "" "mysql://root:wrong@127.0.0.1:1/x"
        expect "action run step, no server" 2 "cannot reach a MySQL server"
        grep -qx "exit-code=2" "$GH/output" || fail "action run step: no exit-code=2 output"
        action_run action_conflict "validate --fail-on high" "low" ""
        expect "action run step, fail-on twice" 2 "already has --fail-on"
        action_run action_version "--version" "" ""
        expect "action run step, args --version" 0 "^driftwatch $VERSION\$"
        if [[ -n "$DB_NAME" ]]; then
            action_run action_drift "validate --format github" "" "$DB_URL"
            expect "action run step, drifted database" 1 "::(error|warning|notice)"
            grep -qx "exit-code=1" "$GH/output" || fail "action run step: no exit-code=1 output"
            action_run action_failon "validate --format github" "high" "$DB_URL"
            expect "action run step, fail-on high (a nullable extra column is below high)" 0
            grep -qx "exit-code=0" "$GH/output" || fail "action run step: no exit-code=0 output with fail-on high"
        fi
    fi
fi

finish
