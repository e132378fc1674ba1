//! Parity with drizzle-kit: for every fixture schema under tests/parity/fixtures,
//! the real `drizzle-kit generate` (pinned in tests/parity/package.json) wrote
//! the SQL (`tests/parity/generate.sh`, run by scripts/test.sh into
//! `DRIFTWATCH_PARITY_DIR`); applied to a fresh MariaDB database, driftwatch
//! must find exactly no drift.

mod common;

use common::{TestDb, driftwatch, generated_fixtures, stderr, stdout};

#[test]
fn every_drizzle_kit_generated_fixture_validates_clean_on_mariadb_as_owner_and_as_select_only_user()
{
    let Some(server) = common::server_url() else {
        return;
    };
    let Some(fixtures) = generated_fixtures() else {
        return;
    };
    assert!(
        fixtures.len() >= 12,
        "expected at least 12 generated fixtures, found {}",
        fixtures.len()
    );
    let reader = common::SelectOnlyUser::create(&server, "parity");
    let mut failures = Vec::new();
    for fixture in &fixtures {
        let name = fixture
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let db = TestDb::create(&server, &name);
        db.apply_migrations(&fixture.join("migrations"));
        // As the owner, and as a user that may only SELECT (what MariaDB
        // hides from such a user must not turn into drift).
        for (who, url) in [("root", db.url()), ("select-only", reader.url_for(&db))] {
            let output = driftwatch(&["validate"], fixture, &[("DATABASE_URL", &url)]);
            let out = stdout(&output);
            let clean = out.lines().any(|l| l == "No schema drift detected");
            if output.status.code() != Some(0) || !clean {
                failures.push(format!(
                    "── {name} as {who}: exit {:?}\n{out}\n{}",
                    output.status.code(),
                    stderr(&output)
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} fixtures drifted:\n{}",
        failures.len(),
        fixtures.len(),
        failures.join("\n")
    );
    eprintln!(
        "parity: {} fixtures validated clean as owner and as select-only user",
        fixtures.len()
    );
}
