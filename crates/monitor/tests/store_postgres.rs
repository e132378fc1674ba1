//! The PostgreSQL state store against the private PostgreSQL of
//! `scripts/dev-pg.sh` (`DRIFTWATCH_TEST_POSTGRES_URL`; skipped without it):
//! migrated once, one open incident per drift under concurrent runs and
//! even when a run wrongly tries to open a second one, nothing written by an
//! interrupted run, and never a password in an error.

use driftwatch_diff::Severity;
use driftwatch_monitor::{
    CheckStatus, Counts, EnvironmentRun, Finish, Observation, Policy, PostgresStore, PostgresUrl,
    RunRecord, StoreError, Timestamp, reconcile,
};

/// The server URL, naming its `postgres` maintenance database.
fn server() -> Option<String> {
    match std::env::var("DRIFTWATCH_TEST_POSTGRES_URL") {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            eprintln!("skipped: DRIFTWATCH_TEST_POSTGRES_URL is not set");
            None
        }
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
}

/// A fresh state database, dropped at the end.
struct StateDb {
    server: String,
    name: String,
}

impl StateDb {
    fn create(server: &str, label: &str) -> StateDb {
        let name = format!("dwt_{}_{label}", std::process::id());
        let db = StateDb {
            server: server.to_string(),
            name,
        };
        db.admin(&format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", db.name));
        db.admin(&format!("CREATE DATABASE {}", db.name));
        db
    }

    fn url_text(&self) -> String {
        let base = self
            .server
            .rsplit_once('/')
            .map_or(self.server.as_str(), |(b, _)| b);
        format!("{base}/{}", self.name)
    }

    fn url(&self) -> PostgresUrl {
        PostgresUrl::parse(&self.url_text()).expect("url")
    }

    fn admin(&self, sql: &str) {
        let server = self.server.clone();
        let sql = sql.to_string();
        runtime().block_on(async move {
            let (client, connection) = tokio_postgres::connect(&server, tokio_postgres::NoTls)
                .await
                .expect("connect");
            let task = tokio::spawn(connection);
            client.batch_execute(&sql).await.expect("statement");
            drop(client);
            let _ = task.await;
        });
    }
}

impl Drop for StateDb {
    fn drop(&mut self) {
        let sql = format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name);
        let _ = std::panic::catch_unwind(|| self.admin(&sql));
    }
}

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

fn record(
    open: &[driftwatch_monitor::Incident],
    findings: &[Observation],
    now: Timestamp,
) -> RunRecord {
    RunRecord {
        id: 0,
        started_at: now,
        finished_at: now,
        exit_code: 0,
        environments: vec![EnvironmentRun {
            environment: "staging".to_string(),
            status: CheckStatus::Drift,
            error: None,
            counts: Counts::default(),
            changes: reconcile(open, findings, "staging", now, true, &Policy::default()),
        }],
    }
}

async fn run(
    store: &mut PostgresStore,
    findings: &[Observation],
    now: &str,
) -> Result<RunRecord, StoreError> {
    let now = t(now);
    store
        .record_run(
            |open| Ok::<_, ()>(record(open, findings, now)),
            Finish::Commit,
            || Ok(()),
        )
        .await
        .map(|r| r.expect("decide"))
}

#[test]
fn the_store_is_migrated_once_and_keeps_incidents() {
    let Some(server) = server() else { return };
    let db = StateDb::create(&server, "state_migrate");
    runtime().block_on(async {
        let mut store = PostgresStore::open(&db.url()).await.expect("open");
        assert_eq!(store.version().await.expect("version"), 1);
        run(&mut store, &[finding("a")], "2026-11-26T02:00:00Z")
            .await
            .expect("run");
        store.close().await;
        let again = PostgresStore::open(&db.url()).await.expect("reopen");
        let open = again.open_incidents(None).await.expect("open incidents");
        assert_eq!(open.len(), 1);
        assert_eq!(open[0].severity_history.len(), 1);
        assert_eq!(again.last_checks().await.expect("checks").len(), 1);
        again.close().await;
    });
}

#[test]
fn concurrent_runs_never_duplicate_an_incident() {
    let Some(server) = server() else { return };
    let db = StateDb::create(&server, "state_concurrent");
    let url = db.url();
    let threads: Vec<_> = (0..4)
        .map(|n| {
            let url = url.clone();
            std::thread::spawn(move || {
                runtime().block_on(async move {
                    let mut store = PostgresStore::open(&url).await.expect("open in thread");
                    run(
                        &mut store,
                        &[finding("a"), finding("b")],
                        &format!("2026-11-26T02:00:0{n}Z"),
                    )
                    .await
                    .expect("run");
                    store.close().await;
                });
            })
        })
        .collect();
    for thread in threads {
        thread.join().expect("thread");
    }
    runtime().block_on(async {
        let store = PostgresStore::open(&url).await.expect("open");
        assert_eq!(store.all_incidents().await.expect("incidents").len(), 2);
        store.close().await;
    });
}

#[test]
fn the_unique_key_refuses_a_second_open_incident_and_an_interrupted_run_writes_nothing() {
    let Some(server) = server() else { return };
    let db = StateDb::create(&server, "state_unique");
    runtime().block_on(async {
        let mut store = PostgresStore::open(&db.url()).await.expect("open");
        run(&mut store, &[finding("a")], "2026-11-26T02:00:00Z")
            .await
            .expect("run");
        let now = t("2026-11-26T03:00:00Z");
        let duplicate = store
            .record_run(
                |_| Ok::<_, ()>(record(&[], &[finding("a")], now)),
                Finish::Commit,
                || Ok(()),
            )
            .await;
        assert!(
            duplicate.is_err(),
            "a second open incident for one drift is refused"
        );
        let interrupted = store
            .record_run(
                |open| Ok::<_, ()>(record(open, &[finding("b")], now)),
                Finish::Commit,
                || Err("killed".to_string()),
            )
            .await;
        assert!(matches!(interrupted, Err(StoreError::Interrupted(_))));
        let all = store.all_incidents().await.expect("incidents");
        assert_eq!(all.len(), 1, "{all:#?}");
        // The resolved incident frees its drift: a returning drift opens a new one.
        run(&mut store, &[], "2026-11-27T02:00:00Z")
            .await
            .expect("resolve");
        run(&mut store, &[finding("a")], "2026-11-28T02:00:00Z")
            .await
            .expect("reopen");
        assert_eq!(store.all_incidents().await.expect("incidents").len(), 2);
        store.close().await;
    });
}

#[test]
fn an_error_names_the_store_without_its_password() {
    let Some(server) = server() else { return };
    let db = StateDb::create(&server, "state_password");
    let wrong = db
        .url_text()
        .replacen("driftwatch-dev-secret", "not-the-Secret-pw", 1);
    assert!(
        wrong.contains("not-the-Secret-pw"),
        "the test URL has a password to hide"
    );
    let url = PostgresUrl::parse(&wrong).expect("url");
    let error = runtime()
        .block_on(PostgresStore::open(&url))
        .err()
        .expect("a wrong password is refused")
        .to_string();
    assert!(!error.contains("not-the-Secret-pw"), "{error}");
    assert!(
        error.contains(&db.name),
        "the error names the database: {error}"
    );
    assert!(error.contains("password authentication failed"), "{error}");
}

#[test]
fn a_url_without_a_database_is_refused() {
    let error = PostgresUrl::parse("postgres://user:pw@127.0.0.1:5432").expect_err("no database");
    assert!(error.contains("names no database"), "{error}");
    assert!(!error.contains("pw"), "{error}");
}
