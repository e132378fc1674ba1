#!/usr/bin/env bash
# The whole test suite, from a fresh machine: starts the private MariaDB
# (installing it with apt-get when missing), installs the pinned drizzle-kit
# from the npm registry, lets it generate the parity fixtures' SQL, and runs
# every Rust test (unit, fixture, live MariaDB, parity, CLI).
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO_ROOT"

echo "==> private MariaDB"
scripts/dev-db.sh start
DRIFTWATCH_TEST_MYSQL_URL="$(scripts/dev-db.sh url)"
export DRIFTWATCH_TEST_MYSQL_URL

echo "==> drizzle-kit parity fixtures (real drizzle-kit generate)"
export DRIFTWATCH_PARITY_DIR="$REPO_ROOT/target/parity"
rm -rf "$DRIFTWATCH_PARITY_DIR"
mkdir -p "$DRIFTWATCH_PARITY_DIR"
tests/parity/generate.sh "$DRIFTWATCH_PARITY_DIR"

echo "==> cargo test"
cargo test --workspace --locked "$@"
