#!/usr/bin/env bash
# The whole test suite, from a fresh machine: starts the private MariaDB
# and the private PostgreSQL of the state-store tests (installing them with
# apt-get when missing), installs the pinned drizzle-kit
# from the npm registry, lets it generate the parity fixtures' SQL, and runs
# every Rust test (unit, fixture, live MariaDB, parity, CLI).
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO_ROOT"

echo "==> private MariaDB"
scripts/dev-db.sh start
DRIFTWATCH_TEST_MYSQL_URL="$(scripts/dev-db.sh url)"
export DRIFTWATCH_TEST_MYSQL_URL

echo "==> private PostgreSQL (monitor state store)"
scripts/dev-pg.sh start
DRIFTWATCH_TEST_POSTGRES_URL="$(scripts/dev-pg.sh url)"
export DRIFTWATCH_TEST_POSTGRES_URL

echo "==> drizzle-kit parity fixtures (real drizzle-kit generate)"
export DRIFTWATCH_PARITY_DIR="$REPO_ROOT/target/parity"
rm -rf "$DRIFTWATCH_PARITY_DIR"
mkdir -p "$DRIFTWATCH_PARITY_DIR"
tests/parity/generate.sh "$DRIFTWATCH_PARITY_DIR"

echo "==> jsonschema for the report format checks (tests/formats/validate.py)"
# The JSON report is checked against docs/report.schema.json and the SARIF
# output against the official SARIF 2.1.0 schema by tests that run
# tests/formats/validate.py with this Python (they fail, not skip, when it is set).
FORMATS_VENV="$REPO_ROOT/target/formats-venv"
if ! "$FORMATS_VENV/bin/python" -c "import jsonschema" 2>/dev/null; then
  rm -rf "$FORMATS_VENV"
  python3 -m venv "$FORMATS_VENV"
  "$FORMATS_VENV/bin/python" -m pip install --quiet jsonschema
fi
export DRIFTWATCH_FORMATS_PYTHON="$FORMATS_VENV/bin/python"

echo "==> cargo test"
cargo test --workspace --locked "$@"

echo "==> npm packages: pack, install, run (tests/npm/roundtrip.sh, debug binary)"
tests/npm/roundtrip.sh --binary "$REPO_ROOT/target/debug/driftwatch"

echo "==> HTML report screenshot (headless Chromium)"
tests/formats/screenshot.sh
