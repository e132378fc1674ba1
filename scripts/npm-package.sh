#!/usr/bin/env bash
# npm-package.sh — the npm packages of driftwatch, from cargo-built binaries.
#
#   scripts/npm-package.sh [--binary PATH] [--target TRIPLE] [--out DIR]
#                          [--binary-for PLATFORM=PATH]...
#
# Writes, from the templates in packaging/npm/ (layout: docs/packaging.md):
#   DIR/packages/driftwatch/          the main package: the JS launcher, README, LICENSE
#   DIR/packages/cli-<platform>/      @driftwatch/cli-<platform>: one native binary
# with every version stamped from the workspace Cargo.toml, then `npm pack`s
# each into DIR and prints the tarball paths on stdout, platform packages
# first and the main package last (the order to publish them in).
#
#   --binary PATH        the binary for the primary platform: the host's, or
#                        --target's. Default target/release/driftwatch
#                        (target/TRIPLE/release/driftwatch with --target),
#                        built with `cargo build --release -p driftwatch` when
#                        missing. A given PATH that does not exist is exit 2.
#   --target TRIPLE      the Rust target triple the primary binary is built
#                        for (default: this machine). Supported:
#                        x86_64-unknown-linux-gnu, aarch64-unknown-linux-gnu,
#                        x86_64-apple-darwin, aarch64-apple-darwin,
#                        x86_64-pc-windows-msvc (or -gnu).
#   --binary-for P=PATH  also package PATH as platform P (linux-x64,
#                        linux-arm64, darwin-x64, darwin-arm64, win32-x64);
#                        repeatable. For a release: one per platform.
#   --out DIR            output folder (default target/npm). Only DIR/packages/
#                        and this script's own tarballs there are replaced.
#
# Idempotent: a second run with the same inputs gives the same tarballs.
# Exit status: 0 success; 2 bad usage, a missing or wrong binary; other
# non-zero when cargo or npm fails. Needs node and npm.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
TEMPLATES="$REPO_ROOT/packaging/npm"
readonly PLATFORMS=(linux-x64 linux-arm64 darwin-x64 darwin-arm64 win32-x64)

log() { echo "npm-package: $*" >&2; }
die() { echo "npm-package: error: $*" >&2; exit 2; }
usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//' >&2; }

BINARY=""
TARGET=""
OUT="$REPO_ROOT/target/npm"
declare -A EXTRA=()   # platform -> binary path

while (($#)); do
    case "$1" in
        --binary) [[ $# -ge 2 ]] || die "--binary needs a PATH"; BINARY="$2"; shift 2 ;;
        --binary=*) BINARY="${1#*=}"; shift ;;
        --target) [[ $# -ge 2 ]] || die "--target needs a TRIPLE"; TARGET="$2"; shift 2 ;;
        --target=*) TARGET="${1#*=}"; shift ;;
        --out) [[ $# -ge 2 ]] || die "--out needs a DIR"; OUT="$2"; shift 2 ;;
        --out=*) OUT="${1#*=}"; shift ;;
        --binary-for)
            [[ $# -ge 2 ]] || die "--binary-for needs PLATFORM=PATH"
            set -- "--binary-for=$2" "${@:3}" ;;
        --binary-for=*)
            spec="${1#*=}"; shift
            [[ "$spec" == *=* ]] || die "--binary-for expects PLATFORM=PATH, got '$spec'"
            EXTRA["${spec%%=*}"]="${spec#*=}" ;;
        -h|--help) usage; exit 0 ;;
        *) usage; die "unknown argument: $1" ;;
    esac
done

command -v node >/dev/null 2>&1 || die "node is not on PATH (needed to stamp package.json and by npm)"
command -v npm >/dev/null 2>&1 || die "npm is not on PATH"

is_platform() { local p; for p in "${PLATFORMS[@]}"; do [[ "$p" == "$1" ]] && return 0; done; return 1; }

triple_platform() {
    case "$1" in
        x86_64-unknown-linux-gnu) echo linux-x64 ;;
        aarch64-unknown-linux-gnu) echo linux-arm64 ;;
        x86_64-apple-darwin) echo darwin-x64 ;;
        aarch64-apple-darwin) echo darwin-arm64 ;;
        x86_64-pc-windows-msvc|x86_64-pc-windows-gnu) echo win32-x64 ;;
        *) return 1 ;;
    esac
}

exe_name() { [[ "$1" == win32-* ]] && echo driftwatch.exe || echo driftwatch; }

# --- version: [workspace.package] version of Cargo.toml ---------------------
VERSION="$(awk '
    /^\[/ { in_ws = ($0 == "[workspace.package]") }
    in_ws && /^version[ \t]*=/ { gsub(/^[^"]*"|".*$/, ""); print; exit }
' "$REPO_ROOT/Cargo.toml")"
[[ "$VERSION" =~ ^[0-9]+\.[0-9]+\.[0-9]+([-+].*)?$ ]] \
    || die "could not read [workspace.package] version from Cargo.toml (got '$VERSION')"

# --- the primary platform and its binary -------------------------------------
HOST_PLATFORM="$(node -p 'process.platform + "-" + process.arch')"
if [[ -n "$TARGET" ]]; then
    PRIMARY="$(triple_platform "$TARGET")" \
        || die "unsupported --target '$TARGET' (supported: x86_64/aarch64-unknown-linux-gnu, x86_64/aarch64-apple-darwin, x86_64-pc-windows-msvc)"
else
    PRIMARY="$HOST_PLATFORM"
    is_platform "$PRIMARY" || [[ -n "$BINARY" || ${#EXTRA[@]} -gt 0 ]] \
        || die "no npm package for this machine ($HOST_PLATFORM); pass --target and --binary, or --binary-for"
fi

for p in "${!EXTRA[@]}"; do
    is_platform "$p" || die "unknown platform '$p' in --binary-for (known: ${PLATFORMS[*]})"
done

# --- check every binary: exists, right executable format, right version ----
# magic_ok PLATFORM FILE: the executable format and CPU of FILE fit PLATFORM.
magic_ok() {
    local head cpu
    head="$(od -An -tx1 -N4 "$2" | tr -d ' \n')"
    case "$1" in
        linux-*)   # ELF; e_machine (offset 18, little endian): 3e00 x86-64, b700 aarch64
            [[ "$head" == 7f454c46 ]] || return 1
            cpu="$(od -An -tx1 -j18 -N2 "$2" | tr -d ' \n')"
            [[ "$1" == linux-x64 && "$cpu" == 3e00 || "$1" == linux-arm64 && "$cpu" == b700 ]] ;;
        darwin-*)  # Mach-O 64 (cputype at offset 4: 07000001 x86-64, 0c000001 arm64) or universal
            [[ "$head" == cafebabe ]] && return 0
            [[ "$head" == cffaedfe ]] || return 1
            cpu="$(od -An -tx1 -j4 -N4 "$2" | tr -d ' \n')"
            [[ "$1" == darwin-x64 && "$cpu" == 07000001 || "$1" == darwin-arm64 && "$cpu" == 0c000001 ]] ;;
        win32-*)   # MZ (PE)
            [[ "$head" == 4d5a* ]] ;;
    esac
}
check_binaries() {
    local p bin got
    for p in "${!EXTRA[@]}"; do
        bin="${EXTRA[$p]}"
        [[ -f "$bin" ]] || die "binary for $p not found: $bin"
        magic_ok "$p" "$bin" || die "$bin is not a $p executable (wrong platform or --target?)"
        if [[ "$p" == "$HOST_PLATFORM" ]]; then
            got="$("$bin" --version 2>/dev/null || true)"
            [[ "$got" == "driftwatch $VERSION" ]] \
                || die "$bin --version printed '$got', expected 'driftwatch $VERSION' (stale binary? rebuild it)"
        fi
    done
}
check_binaries   # the --binary-for ones, before any cargo build

if [[ -n "$BINARY" ]]; then
    [[ -f "$BINARY" ]] || die "binary not found: $BINARY (--binary)"
    is_platform "$PRIMARY" || die "no npm package for platform $PRIMARY"
    EXTRA["$PRIMARY"]="$BINARY"
elif [[ -z "${EXTRA[$PRIMARY]:-}" ]] && is_platform "$PRIMARY"; then
    if [[ -n "$TARGET" ]]; then
        default="$REPO_ROOT/target/$TARGET/release/$(exe_name "$PRIMARY")"
        build=(cargo build --release --locked -p driftwatch --target "$TARGET")
    else
        default="$REPO_ROOT/target/release/$(exe_name "$PRIMARY")"
        build=(cargo build --release --locked -p driftwatch)
    fi
    if [[ ! -f "$default" ]]; then
        log "$default is missing; running: ${build[*]}"
        (cd "$REPO_ROOT" && "${build[@]}") || { log "cargo build failed"; exit 1; }
        [[ -f "$default" ]] || die "cargo build finished but $default does not exist"
    fi
    EXTRA["$PRIMARY"]="$default"
fi
check_binaries

# --- stage and pack ----------------------------------------------------------
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"
STAGE="$OUT/packages"
rm -rf "$STAGE"
rm -f "$OUT"/driftwatch-[0-9]*.tgz "$OUT"/driftwatch-cli-*.tgz
mkdir -p "$STAGE"

LICENSE_FILE="$TEMPLATES/LICENSE"
for candidate in "$REPO_ROOT/LICENSE" "$REPO_ROOT/LICENSE-MIT" "$REPO_ROOT/LICENSE.md"; do
    if [[ -f "$candidate" ]]; then LICENSE_FILE="$candidate"; break; fi
done

# stamp TEMPLATE_JSON DEST_JSON: version, and every optionalDependency's version.
stamp() {
    node - "$1" "$2" "$VERSION" <<'JS'
const fs = require("fs");
const [src, dest, version] = process.argv.slice(2);
const pkg = JSON.parse(fs.readFileSync(src, "utf8"));
pkg.version = version;
for (const name of Object.keys(pkg.optionalDependencies || {})) {
  pkg.optionalDependencies[name] = version;
}
fs.writeFileSync(dest, JSON.stringify(pkg, null, 2) + "\n");
JS
}

pack() { # dir -> prints the tarball path
    local dir="$1" name
    name="$(cd "$dir" && npm pack --ignore-scripts --silent --pack-destination "$OUT" | tail -n 1)"
    [[ -n "$name" && -f "$OUT/$name" ]] || { log "npm pack of $dir produced no tarball"; exit 1; }
    echo "$OUT/$name"
}

# deterministic order: the PLATFORMS list
TARBALLS=()
for p in "${PLATFORMS[@]}"; do
    [[ -n "${EXTRA[$p]:-}" ]] || continue
    dir="$STAGE/cli-$p"
    mkdir -p "$dir"
    stamp "$TEMPLATES/cli-$p/package.json" "$dir/package.json"
    install -m 0755 "${EXTRA[$p]}" "$dir/$(exe_name "$p")"
    cp "$LICENSE_FILE" "$dir/LICENSE"
    cat >"$dir/README.md" <<EOF
# @driftwatch/cli-$p

The \`$p\` binary of [driftwatch](https://www.npmjs.com/package/driftwatch)
$VERSION, schema drift detection for Drizzle ORM + MySQL/MariaDB projects.

Do not install this package directly: install \`driftwatch\`, which depends
on it (as an optional dependency for this platform) and runs it.
EOF
    log "packing @driftwatch/cli-$p $VERSION (binary: ${EXTRA[$p]})"
    TARBALLS+=("$(pack "$dir")")
done

main="$STAGE/driftwatch"
mkdir -p "$main/bin"
stamp "$TEMPLATES/driftwatch/package.json" "$main/package.json"
install -m 0755 "$TEMPLATES/driftwatch/bin/driftwatch.js" "$main/bin/driftwatch.js"
cp "$REPO_ROOT/README.md" "$main/README.md"
cp "$LICENSE_FILE" "$main/LICENSE"
log "packing driftwatch $VERSION"
TARBALLS+=("$(pack "$main")")

if [[ -z "${EXTRA[$HOST_PLATFORM]:-}" ]] && is_platform "$HOST_PLATFORM"; then
    log "note: no binary for this machine ($HOST_PLATFORM) was packaged"
fi
printf '%s\n' "${TARBALLS[@]}"
