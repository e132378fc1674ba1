//! The SQLite state store: one transaction per run, one open incident per
//! drift even when runs overlap, nothing lost when a run dies before commit.

use std::path::Path;

use driftwatch_diff::Severity;
use driftwatch_monitor::{
    CheckStatus, Counts, EnvironmentRun, Finish, Observation, Policy, RunRecord, Store, Timestamp,
    reconcile,
};

fn t(text: &str) -> Timestamp {
    text.parse().expect("timestamp")
}

fn finding(id: &str) -> Observation {
    Observation {
        drift_id: id.to_string(),
        kind: "column_extra_in_db".to_string(),
        table: "orders".to_string(),
        object: Some("hotfix_note".to_string()),
        severity: Severity::Medium,
    }
}

/// One monitor run of the `staging` environment with these findings.
fn run_with(
    store: &mut Store,
    findings: &[Observation],
    now: &str,
    finish: Finish,
    before_commit: impl FnOnce() -> Result<(), String>,
) -> Result<RunRecord, driftwatch_monitor::StoreError> {
    let now = t(now);
    store
        .record_run(
            |open| {
                let changes = reconcile(open, findings, "staging", now, true, &Policy::default());
                Ok::<_, ()>(RunRecord {
                    id: 0,
                    started_at: now,
                    finished_at: now,
                    exit_code: 0,
                    environments: vec![EnvironmentRun {
                        environment: "staging".to_string(),
                        status: CheckStatus::Drift,
                        error: None,
                        counts: Counts::default(),
                        changes,
                    }],
                })
            },
            finish,
            before_commit,
        )
        .map(|r| r.expect("decide"))
}

fn run(store: &mut Store, findings: &[Observation], now: &str) -> RunRecord {
    run_with(store, findings, now, Finish::Commit, || Ok(())).expect("run")
}

fn open_store(dir: &Path) -> Store {
    Store::open(&dir.join(".driftwatch/state.db")).expect("open store")
}

#[test]
fn a_new_store_is_created_with_its_folder_and_migrated_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = open_store(dir.path());
    assert_eq!(store.version().expect("version"), 1);
    drop(store);
    let again = open_store(dir.path());
    assert_eq!(again.version().expect("version"), 1);
    assert!(dir.path().join(".driftwatch/state.db").is_file());
}

#[test]
fn the_store_runs_in_wal_mode() {
    let dir = tempfile::tempdir().expect("tempdir");
    let store = open_store(dir.path());
    assert_eq!(store.journal_mode().expect("journal mode"), "wal");
}

#[test]
fn a_run_is_recorded_with_its_incidents_and_kept_across_opens() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut store = open_store(dir.path());
    let record = run(&mut store, &[finding("a")], "2026-11-26T02:00:00Z");
    assert!(record.id > 0);
    drop(store);
    let store = open_store(dir.path());
    let open = store
        .open_incidents(Some("staging"))
        .expect("open incidents");
    assert_eq!(open.len(), 1);
    assert_eq!(open[0].severity_history.len(), 1);
    assert_eq!(open[0].escalation_level, 2);
    assert_eq!(store.run_environments().expect("runs").len(), 1);
}

#[test]
fn an_unchanged_second_run_changes_nothing_but_last_seen() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut store = open_store(dir.path());
    run(&mut store, &[finding("a")], "2026-11-26T02:00:00Z");
    let second = run(&mut store, &[finding("a")], "2026-11-26T03:00:00Z");
    assert!(
        second.environments[0]
            .changes
            .updates
            .iter()
            .all(|u| u.events.is_empty())
    );
    let open = store.open_incidents(None).expect("open");
    assert_eq!(open.len(), 1);
    assert_eq!(open[0].last_seen, t("2026-11-26T03:00:00Z"));
}

#[test]
fn concurrent_runs_never_duplicate_an_incident() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join(".driftwatch/state.db");
    let threads: Vec<_> = (0..6)
        .map(|n| {
            let path = path.clone();
            std::thread::spawn(move || {
                let mut store = Store::open(&path).expect("open in thread");
                let findings = [finding("a"), finding("b")];
                let now = format!("2026-11-26T02:00:0{n}Z");
                run(&mut store, &findings, &now);
            })
        })
        .collect();
    for thread in threads {
        thread.join().expect("thread");
    }
    let store = Store::open(&path).expect("open");
    let all = store.all_incidents().expect("incidents");
    assert_eq!(all.len(), 2, "{all:#?}");
    assert!(all.iter().all(|i| i.is_open()));
    assert_eq!(store.run_environments().expect("runs").len(), 6);
}

#[test]
fn a_run_interrupted_before_commit_writes_nothing_and_the_next_converges() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut store = open_store(dir.path());
    let err = run_with(
        &mut store,
        &[finding("a")],
        "2026-11-26T02:00:00Z",
        Finish::Commit,
        || Err("killed".to_string()),
    )
    .expect_err("interrupted");
    assert!(err.to_string().contains("nothing was written"), "{err}");
    assert!(store.all_incidents().expect("incidents").is_empty());
    assert!(store.run_environments().expect("runs").is_empty());
    let next = run(&mut store, &[finding("a")], "2026-11-26T02:05:00Z");
    assert_eq!(next.environments[0].changes.count("opened"), 1);
    assert_eq!(store.open_incidents(None).expect("open").len(), 1);
}

#[test]
fn a_dry_run_decides_everything_and_writes_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut store = open_store(dir.path());
    let record = run_with(
        &mut store,
        &[finding("a")],
        "2026-11-26T02:00:00Z",
        Finish::Rollback,
        || Ok(()),
    )
    .expect("dry run");
    assert_eq!(record.environments[0].changes.count("opened"), 1);
    assert_eq!(record.id, 0);
    assert!(store.all_incidents().expect("incidents").is_empty());
}

#[test]
fn a_resolved_incident_is_not_reopened_a_returning_drift_opens_a_new_one() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut store = open_store(dir.path());
    run(&mut store, &[finding("a")], "2026-11-26T02:00:00Z");
    run(&mut store, &[], "2026-11-27T02:00:00Z");
    run(&mut store, &[finding("a")], "2026-11-28T02:00:00Z");
    let all = store.all_incidents().expect("incidents");
    assert_eq!(all.len(), 2);
    assert_eq!(all[0].resolved_at, Some(t("2026-11-27T02:00:00Z")));
    assert!(all[1].is_open());
}

#[test]
fn ack_records_who_and_keeps_the_incident_open() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut store = open_store(dir.path());
    let record = run(&mut store, &[finding("a")], "2026-11-26T02:00:00Z");
    let id = record.environments[0].changes.updates[0].incident.id;
    let incident = store
        .acknowledge(id, "alice", t("2026-11-26T03:00:00Z"))
        .expect("ack");
    assert_eq!(incident.acknowledged_by.as_deref(), Some("alice"));
    assert!(incident.is_open());
    // A later run keeps the acknowledgement.
    run(&mut store, &[finding("a")], "2026-11-27T02:00:00Z");
    let open = store.open_incidents(None).expect("open");
    assert_eq!(open[0].acknowledged_by.as_deref(), Some("alice"));
    assert_eq!(
        open[0].escalation_level, 3,
        "acknowledged incidents still escalate"
    );
}

#[test]
fn ack_of_an_unknown_or_resolved_incident_is_an_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut store = open_store(dir.path());
    assert!(
        store
            .acknowledge(42, "alice", t("2026-11-26T03:00:00Z"))
            .is_err()
    );
    let record = run(&mut store, &[finding("a")], "2026-11-26T02:00:00Z");
    let id = record.environments[0].changes.updates[0].incident.id;
    run(&mut store, &[], "2026-11-26T04:00:00Z");
    let err = store
        .acknowledge(id, "alice", t("2026-11-26T05:00:00Z"))
        .expect_err("resolved");
    assert!(err.to_string().contains("resolved"), "{err}");
}

#[test]
fn the_unique_index_refuses_a_second_open_incident_for_one_drift() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut store = open_store(dir.path());
    run(&mut store, &[finding("a")], "2026-11-26T02:00:00Z");
    // A run that wrongly decides to open the same drift again fails and writes nothing.
    let now = t("2026-11-26T03:00:00Z");
    let result = store.record_run(
        |_| {
            Ok::<_, ()>(RunRecord {
                id: 0,
                started_at: now,
                finished_at: now,
                exit_code: 0,
                environments: vec![EnvironmentRun {
                    environment: "staging".to_string(),
                    status: CheckStatus::Drift,
                    error: None,
                    counts: Counts::default(),
                    changes: reconcile(
                        &[],
                        &[finding("a")],
                        "staging",
                        now,
                        true,
                        &Policy::default(),
                    ),
                }],
            })
        },
        Finish::Commit,
        || Ok(()),
    );
    assert!(result.is_err());
    assert_eq!(store.all_incidents().expect("incidents").len(), 1);
    assert_eq!(store.run_environments().expect("runs").len(), 1);
}

#[test]
fn the_last_check_of_each_environment_is_kept() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut store = open_store(dir.path());
    run(&mut store, &[finding("a")], "2026-11-26T02:00:00Z");
    let second = run(&mut store, &[], "2026-11-27T02:00:00Z");
    let checks = store.last_checks().expect("last checks");
    assert_eq!(checks.len(), 1);
    assert_eq!(checks[0].run_id, second.id);
    assert_eq!(checks[0].at, t("2026-11-27T02:00:00Z"));
    assert_eq!(checks[0].status, "drift");
}
