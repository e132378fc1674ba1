#!/usr/bin/env bash
# The demo: a real Drizzle schema (examples/shop) against a real database.
#
# 1. starts the private MariaDB (scripts/dev-db.sh; installs it when missing),
# 2. builds driftwatch,
# 3. creates the `shop_demo` database and applies the example's drizzle-kit
#    migrations exactly as drizzle-orm's migrator does,
# 4. validates: in sync,
# 5. makes a "manual hotfix" in the database, the way it happens in production,
# 6. validates again and shows the drift report (with each drift's cause),
# 7. shows the migration history and the corrective SQL `driftwatch fix`
#    writes, applies it, and validates clean again.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO_ROOT"

say() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }

say "starting the private MariaDB"
scripts/dev-db.sh start
SERVER_URL="$(scripts/dev-db.sh url)"
DB_URL="$SERVER_URL/shop_demo"

say "building driftwatch"
cargo build --quiet --locked --bin driftwatch
DRIFTWATCH="$REPO_ROOT/target/debug/driftwatch"

say "creating shop_demo and applying examples/shop/drizzle/migrations"
mariadb_exec() {
    MYSQL_PWD=driftwatch-dev-secret mariadb --no-defaults -h127.0.0.1 \
        -P"${DRIFTWATCH_DEV_DB_PORT:-33306}" -uroot "$@"
}
mariadb_exec -e 'DROP DATABASE IF EXISTS shop_demo'
python3 scripts/apply-migrations.py --url "$DB_URL" \
    --migrations examples/shop/drizzle/migrations --create-database

say "driftwatch validate (database freshly migrated)"
(cd examples/shop && DATABASE_URL="$DB_URL" "$DRIFTWATCH" validate)

say "a manual hotfix at 2 a.m.: widen a column, add a column and an index, drop a foreign key"
cat <<'SQL' | tee /dev/stderr | mariadb_exec shop_demo
ALTER TABLE orders ADD COLUMN refund_reason varchar(255) NULL;
CREATE INDEX orders_status_hotfix_idx ON orders (status);
ALTER TABLE products MODIFY name varchar(100) NOT NULL;
ALTER TABLE order_items DROP FOREIGN KEY order_items_order_fk;
ALTER TABLE orders ALTER COLUMN currency SET DEFAULT 'USD';
SQL

say "driftwatch validate (after the hotfix)"
set +e
(cd examples/shop && DATABASE_URL="$DB_URL" "$DRIFTWATCH" validate)
code=$?
set -e
echo
if [[ $code -eq 1 ]]; then
    echo "driftwatch exited with 1: drift found, as expected (a CI check would fail here)."
else
    echo "unexpected exit code $code" >&2
    exit 1
fi

say "driftwatch migrations status (every migration applied: the drift is a manual change)"
(cd examples/shop && DATABASE_URL="$DB_URL" "$DRIFTWATCH" migrations status)

say "driftwatch fix (corrective SQL; destructive steps stay commented out until approved)"
set +e
(cd examples/shop && DATABASE_URL="$DB_URL" "$DRIFTWATCH" fix --allow-destructive) | tee /tmp/driftwatch-demo-fix.sql
set -e

say "applying the fix, then validating again"
mariadb_exec shop_demo < /tmp/driftwatch-demo-fix.sql
(cd examples/shop && DATABASE_URL="$DB_URL" "$DRIFTWATCH" validate) | tail -n 3
