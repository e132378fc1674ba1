#!/usr/bin/env bash
# generate.sh <outdir> [fixture...]
#
# Runs the real, pinned drizzle-kit (package.json / package-lock.json next to
# this script) on every fixture under fixtures/ (or only the named ones):
#
#   <outdir>/<fixture>/                 copy of fixtures/<fixture>/
#   <outdir>/<fixture>/migrations/      drizzle-kit generate output:
#       0000_init.sql                   DDL (statements split by --> statement-breakpoint)
#       meta/_journal.json              journal
#       meta/0000_snapshot.json         drizzle-kit's snapshot: the oracle for the reader
#   <outdir>/<fixture>/generate.log     drizzle-kit's output
#
# No database is needed. Exits non-zero if any generate fails.
#
# MariaDB edit: drizzle-kit 0.31 renders serial() as `serial AUTO_INCREMENT`.
# MySQL accepts that, MariaDB rejects it as a syntax error (SERIAL already means
# BIGINT UNSIGNED NOT NULL AUTO_INCREMENT UNIQUE). MariaDB users of Drizzle fix
# the generated file by hand, so we do the same: every `serial AUTO_INCREMENT` in
# the generated SQL becomes `serial`. The snapshot is left untouched.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

if [[ $# -lt 1 ]]; then
    echo "usage: $0 <outdir> [fixture...]" >&2
    exit 2
fi
OUT="$1"
shift
mkdir -p "$OUT"
OUT="$(cd "$OUT" && pwd)"

if [[ ! -x "$HERE/node_modules/.bin/drizzle-kit" ]]; then
    echo "generate.sh: installing pinned drizzle-kit (npm ci)" >&2
    (cd "$HERE" && npm ci --no-audit --no-fund --loglevel=error) >&2
fi

if [[ $# -gt 0 ]]; then
    fixtures=("$@")
else
    fixtures=()
    for d in "$HERE"/fixtures/*/; do
        fixtures+=("$(basename "$d")")
    done
fi

failed=()
for name in "${fixtures[@]}"; do
    src="$HERE/fixtures/$name"
    dest="$OUT/$name"
    if [[ ! -f "$src/drizzle.config.ts" ]]; then
        echo "generate.sh: $name: no fixtures/$name/drizzle.config.ts" >&2
        failed+=("$name")
        continue
    fi
    rm -rf "$dest"
    mkdir -p "$dest"
    cp -R "$src/." "$dest/"
    rm -rf "$dest/migrations"
    # drizzle-kit, the config and the schema files resolve drizzle-kit/drizzle-orm
    # from here.
    ln -s "$HERE/node_modules" "$dest/node_modules"

    if (cd "$dest" && npx --no-install drizzle-kit generate --name=init) >"$dest/generate.log" 2>&1 \
        && [[ -f "$dest/migrations/meta/_journal.json" ]] \
        && compgen -G "$dest/migrations/*.sql" >/dev/null; then
        n_serial="$(cat "$dest"/migrations/*.sql | grep -o 'serial AUTO_INCREMENT' | wc -l || true)"
        sed -i -E 's/ serial AUTO_INCREMENT/ serial/g' "$dest"/migrations/*.sql
        if [[ "$n_serial" -gt 0 ]]; then
            echo "generate.sh: edited $n_serial x 'serial AUTO_INCREMENT' -> 'serial'" >>"$dest/generate.log"
        fi
        echo "ok    $name"
    else
        echo "FAIL  $name (see $dest/generate.log)" >&2
        tail -n 30 "$dest/generate.log" >&2 || true
        failed+=("$name")
    fi
    rm -f "$dest/node_modules" # the symlink only
done

echo "${#fixtures[@]} fixture(s), ${#failed[@]} failed -> $OUT"
if [[ ${#failed[@]} -gt 0 ]]; then
    echo "failed: ${failed[*]}" >&2
    exit 1
fi
