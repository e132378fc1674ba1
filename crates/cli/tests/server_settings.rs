//! Server settings that change what drizzle-kit's DDL creates: the drift is
//! real and reported, and the report says which setting made it.

mod common;

use common::{TestDb, driftwatch, stderr, stdout};

const SCHEMA: &str = "import { mysqlTable, int, timestamp } from 'drizzle-orm/mysql-core';\n\
export const events = mysqlTable('events', {\n\
  id: int('id').primaryKey(),\n\
  happenedAt: timestamp('happened_at'),\n\
  seenAt: timestamp('seen_at'),\n\
});\n";

/// drizzle-kit's DDL for SCHEMA (no NULL keyword on nullable columns).
const DRIZZLE_KIT_DDL: &str = "CREATE TABLE `events` (`id` int NOT NULL, \
`happened_at` timestamp, `seen_at` timestamp, CONSTRAINT `events_id` PRIMARY KEY(`id`))";

#[test]
fn timestamps_promoted_by_legacy_explicit_defaults_are_drift_that_names_the_setting() {
    let server = require_server!();
    let db = TestDb::create(&server, "legacy_timestamps");
    db.exec(&[
        "SET SESSION explicit_defaults_for_timestamp = OFF".to_string(),
        DRIZZLE_KIT_DDL.to_string(),
    ]);
    let project = tempfile::tempdir().expect("tempdir");
    std::fs::write(project.path().join("schema.ts"), SCHEMA).expect("write schema.ts");
    let output = driftwatch(
        &[
            "validate",
            "--format",
            "json",
            "--schema",
            "schema.ts",
            "--url",
            &db.url(),
        ],
        project.path(),
        &[],
    );
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let report: serde_json::Value = serde_json::from_str(&stdout(&output)).expect("json report");
    let drifts = report["drifts"].as_array().cloned().unwrap_or_default();
    let columns: std::collections::BTreeSet<&str> =
        drifts.iter().filter_map(|d| d["object"].as_str()).collect();
    assert_eq!(
        columns,
        ["happened_at", "seen_at"].into_iter().collect(),
        "{report:#}"
    );
    for drift in &drifts {
        let message = drift["message"].as_str().unwrap_or_default();
        assert!(
            message.contains("explicit_defaults_for_timestamp=OFF"),
            "{message}"
        );
    }
}
