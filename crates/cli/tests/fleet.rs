//! `driftwatch validate --databases`: one schema against several real
//! databases of the private MariaDB (the example shop migrated into each;
//! one drifted by a manual ALTER, one not migrated at all).

mod common;

use common::{TestDb, driftwatch, shop_dir, stderr, stdout};
use serde_json::Value;

/// Three shop databases named `dwt_<pid>_fleet_<label>_<n>`: clean, drifted, clean.
struct Fleet {
    server: String,
    dbs: Vec<TestDb>,
}

impl Fleet {
    fn new(server: &str, label: &str) -> Fleet {
        let dbs: Vec<TestDb> = (0..3)
            .map(|_| {
                let db = TestDb::create(server, &format!("fleet_{label}"));
                db.apply_migrations(&shop_dir().join("drizzle/migrations"));
                db
            })
            .collect();
        dbs[1].exec_one("ALTER TABLE orders ADD COLUMN hotfix_note varchar(20)");
        Fleet {
            server: server.to_string(),
            dbs,
        }
    }

    /// The glob that selects exactly these databases.
    fn pattern(&self, label: &str) -> String {
        format!("dwt_{}_fleet_{label}_*", std::process::id())
    }

    fn validate(&self, extra: &[&str]) -> std::process::Output {
        let mut args = vec!["validate", "--url", &self.server];
        args.extend_from_slice(extra);
        driftwatch(&args, &shop_dir(), &[])
    }
}

#[test]
fn every_matching_database_is_compared_and_the_drifted_one_is_named() {
    let server = require_server!();
    let fleet = Fleet::new(&server, "text");
    let output = fleet.validate(&["--databases", &fleet.pattern("text")]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let text = stdout(&output);
    assert!(
        text.contains("3 database(s): 2 clean, 1 drift, 0 error"),
        "{text}"
    );
    let drifted = &fleet.dbs[1].name;
    let row = text
        .lines()
        .find(|l| l.starts_with(drifted.as_str()))
        .unwrap_or_else(|| panic!("no row for {drifted}:\n{text}"));
    assert!(row.contains("drift"), "{row}");
    assert!(
        text.contains(&format!(
            "  {drifted} (1):\n    column_extra_in_db orders.hotfix_note (medium)"
        )),
        "{text}"
    );
    assert!(!text.contains("No schema drift detected"));
}

#[test]
fn json_is_one_report_per_database_then_the_fleet_summary() {
    let server = require_server!();
    let fleet = Fleet::new(&server, "json");
    let output = fleet.validate(&["--databases", &fleet.pattern("json"), "--format", "json"]);
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let lines: Vec<Value> = stdout(&output)
        .lines()
        .map(|l| serde_json::from_str(l).expect("each line is JSON"))
        .collect();
    assert_eq!(lines.len(), 4, "three reports and the summary");
    let names: Vec<&str> = lines[..3]
        .iter()
        .map(|l| l["database"].as_str().unwrap_or_default())
        .collect();
    let mut expected: Vec<&str> = fleet.dbs.iter().map(|d| d.name.as_str()).collect();
    expected.sort_unstable();
    assert_eq!(names, expected, "in name order");
    let drifted = &fleet.dbs[1].name;
    for line in &lines[..3] {
        let report = &line["report"];
        if line["database"] == drifted.as_str() {
            assert_eq!(report["status"], "drift");
            assert_eq!(report["target"]["database"], drifted.as_str());
            assert_eq!(report["drifts"][0]["kind"], "column_extra_in_db");
        } else {
            assert_eq!(report["status"], "clean", "{line}");
        }
    }
    assert_eq!(lines[3]["fleet"]["databases"], 3);
    assert_eq!(lines[3]["fleet"]["drift"], 1);
}

#[test]
fn a_clean_fleet_exits_0_with_the_clean_line() {
    let server = require_server!();
    let fleet = Fleet::new(&server, "clean");
    fleet.dbs[1].exec_one("ALTER TABLE orders DROP COLUMN hotfix_note");
    let output = fleet.validate(&["--databases", &fleet.pattern("clean"), "--concurrency", "2"]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}{}",
        stdout(&output),
        stderr(&output)
    );
    assert!(
        stdout(&output)
            .lines()
            .any(|l| l == "No schema drift detected")
    );
}

#[test]
fn an_empty_database_among_the_tenants_is_drift() {
    let server = require_server!();
    let fleet = Fleet::new(&server, "broken");
    // Every table missing is drift (critical or high), not an error.
    let empty = TestDb::create(&server, "fleet_broken");
    let output = fleet.validate(&["--databases", &fleet.pattern("broken")]);
    let text = stdout(&output);
    assert_eq!(output.status.code(), Some(1), "{text}{}", stderr(&output));
    let row = text
        .lines()
        .find(|l| l.starts_with(empty.name.as_str()))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(row.contains("drift"), "{row}");
}

#[test]
fn no_matching_database_is_a_usage_error() {
    let server = require_server!();
    let output = driftwatch(
        &[
            "validate",
            "--url",
            &server,
            "--databases",
            "no_such_tenant_*",
        ],
        &shop_dir(),
        &[],
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("no database on"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn fleet_mode_refuses_formats_it_does_not_support() {
    let output = driftwatch(
        &[
            "validate",
            "--url",
            "mysql://u:p@127.0.0.1:1",
            "--databases",
            "t_*",
            "--format",
            "sarif",
        ],
        &shop_dir(),
        &[],
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("--format text and json"),
        "{}",
        stderr(&output)
    );
}
