//! `driftwatch monitor` against the private MariaDB: two environments of the
//! example shop (one drifted) and a state store in a temporary folder. A
//! nightly run opens an incident, an unchanged run changes nothing, a clock
//! past the SLA escalates it, the fix resolves it; a down environment is a
//! failed check that stops nothing; overlapping and killed runs never
//! duplicate or lose an incident.

mod common;

use std::process::Output;

use common::{TestDb, driftwatch, shop_dir, stderr, stdout};
use serde_json::Value;

/// Two shop databases (`clean`, `drifted`: a hotfix column), their
/// driftwatch.toml and the temporary folder holding it and the state store.
struct Setup {
    dir: tempfile::TempDir,
    config: String,
    clean: TestDb,
    drifted: TestDb,
}

const HOTFIX: &str = "ALTER TABLE orders ADD COLUMN hotfix_note varchar(20)";

fn shop(server: &str, label: &str) -> TestDb {
    let db = TestDb::create(server, label);
    db.apply_migrations(&shop_dir().join("drizzle/migrations"));
    db
}

impl Setup {
    fn new(server: &str, label: &str, extra: &str) -> Setup {
        let clean = shop(server, &format!("{label}_clean"));
        let drifted = shop(server, &format!("{label}_drifted"));
        drifted.exec_one(HOTFIX);
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("driftwatch.toml");
        let text = format!(
            "[environments.clean]\nurl = \"{}\"\n\n[environments.drifted]\nurl = \"{}\"\n{extra}",
            clean.url(),
            drifted.url()
        );
        std::fs::write(&path, text).expect("write driftwatch.toml");
        Setup {
            config: path.to_string_lossy().into_owned(),
            dir,
            clean,
            drifted,
        }
    }

    fn monitor(&self, args: &[&str]) -> Output {
        self.monitor_env(args, &[])
    }

    fn monitor_env(&self, args: &[&str], env: &[(&str, &str)]) -> Output {
        let mut all = vec!["monitor"];
        all.extend_from_slice(args);
        all.extend_from_slice(&["--config", &self.config]);
        driftwatch(&all, &shop_dir(), env)
    }

    /// `monitor run --now NOW --format json`.
    fn run(&self, now: &str) -> (i32, Value) {
        let output = self.monitor(&["run", "--now", now, "--format", "json"]);
        (output.status.code().unwrap_or(-1), json(&output))
    }

    fn status(&self, now: &str) -> Value {
        json(&self.monitor(&["status", "--now", now, "--format", "json"]))
    }
}

fn json(output: &Output) -> Value {
    serde_json::from_str(&stdout(output))
        .unwrap_or_else(|e| panic!("{e}: {}{}", stdout(output), stderr(output)))
}

fn environment<'a>(run: &'a Value, name: &str) -> &'a Value {
    run["environments"]
        .as_array()
        .and_then(|e| e.iter().find(|e| e["name"] == name))
        .unwrap_or_else(|| panic!("no environment {name} in {run:#}"))
}

/// opened, updated, escalated, resolved, open of one environment.
fn tally(run: &Value, name: &str) -> [u64; 5] {
    let e = environment(run, name);
    ["opened", "updated", "escalated", "resolved", "open"]
        .map(|k| e[k].as_u64().unwrap_or(u64::MAX))
}

const NIGHT1: &str = "2026-11-26T02:00:00Z";

/// A fresh database on the private PostgreSQL of `scripts/dev-pg.sh`
/// (`DRIFTWATCH_TEST_POSTGRES_URL`), for the state store; dropped at the end.
struct PostgresState {
    server: String,
    name: String,
}

impl PostgresState {
    fn create(label: &str) -> Option<PostgresState> {
        let Ok(server) = std::env::var("DRIFTWATCH_TEST_POSTGRES_URL") else {
            eprintln!("skipped: DRIFTWATCH_TEST_POSTGRES_URL is not set");
            return None;
        };
        let state = PostgresState {
            server,
            name: format!("dwt_{}_{label}", std::process::id()),
        };
        state.admin(&format!(
            "DROP DATABASE IF EXISTS {} WITH (FORCE)",
            state.name
        ));
        state.admin(&format!("CREATE DATABASE {}", state.name));
        Some(state)
    }

    fn url(&self) -> String {
        let base = self
            .server
            .rsplit_once('/')
            .map_or(self.server.as_str(), |(b, _)| b);
        format!("{base}/{}", self.name)
    }

    fn admin(&self, sql: &str) {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        runtime.block_on(async {
            let (client, connection) = tokio_postgres::connect(&self.server, tokio_postgres::NoTls)
                .await
                .expect("connect to the test PostgreSQL");
            let task = tokio::spawn(connection);
            client.batch_execute(sql).await.expect("statement");
            drop(client);
            let _ = task.await;
        });
    }

    fn section(&self) -> String {
        format!("\n[state]\nurl = \"{}\"\n", self.url())
    }
}

impl Drop for PostgresState {
    fn drop(&mut self) {
        let sql = format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name);
        let _ = std::panic::catch_unwind(|| self.admin(&sql));
    }
}

#[test]
fn a_nightly_drift_is_opened_kept_escalated_past_its_sla_and_resolved_by_the_fix() {
    let server = require_server!();
    timeline(&Setup::new(&server, "mon_timeline", ""));
}

#[test]
fn a_mysql_state_store_keeps_the_same_timeline() {
    let server = require_server!();
    let state = TestDb::create(&server, "mon_state");
    let setup = Setup::new(
        &server,
        "mon_mysql_state",
        &format!("\n[state]\nurl = \"{}\"\n", state.url()),
    );
    timeline(&setup);
    assert!(
        !setup.dir.path().join(".driftwatch").exists(),
        "no SQLite file with a mysql:// state"
    );
}

#[test]
fn a_postgres_state_store_keeps_the_same_timeline() {
    let server = require_server!();
    let Some(state) = PostgresState::create("mon_state") else {
        return;
    };
    let setup = Setup::new(&server, "mon_pg_state", &state.section());
    timeline(&setup);
    assert!(
        !setup.dir.path().join(".driftwatch").exists(),
        "no SQLite file with a postgres:// state"
    );
}

/// Opened, unchanged, escalated past 24 h, resolved by the fix.
fn timeline(setup: &Setup) {
    let (code, first) = setup.run(NIGHT1);
    assert_eq!(code, 1, "{first:#}");
    assert_eq!(environment(&first, "clean")["status"], "ok");
    assert_eq!(environment(&first, "drifted")["status"], "drift");
    assert_eq!(tally(&first, "drifted"), [1, 0, 0, 0, 1]);
    let incident = &first["incidents"][0];
    assert_eq!(incident["kind"], "column_extra_in_db");
    assert_eq!(incident["severity"], "medium");
    assert_eq!(incident["escalation"]["name"], "Database Team");

    let (code, second) = setup.run("2026-11-26T03:00:00Z");
    assert_eq!(code, 1);
    assert_eq!(
        tally(&second, "drifted"),
        [0, 0, 0, 0, 1],
        "unchanged: no change"
    );

    let (_, third) = setup.run("2026-11-27T02:30:00Z");
    assert_eq!(
        tally(&third, "drifted"),
        [0, 0, 1, 0, 1],
        "past 24h: one level up"
    );
    assert_eq!(
        third["incidents"][0]["escalation"]["name"],
        "Technical Lead"
    );
    let status = setup.status("2026-11-27T02:30:00Z");
    assert_eq!(status["incidents"].as_array().map(Vec::len), Some(1));
    assert_eq!(status["incidents"][0]["overdue"], true);
    assert_eq!(status["incidents"][0]["first_seen"], NIGHT1);

    setup
        .drifted
        .exec_one("ALTER TABLE orders DROP COLUMN hotfix_note");
    let (code, fixed) = setup.run("2026-11-27T04:00:00Z");
    assert_eq!(tally(&fixed, "drifted"), [0, 0, 0, 1, 0], "{fixed:#}");
    assert_eq!(code, 0);
    let status = setup.status("2026-11-27T04:00:00Z");
    assert_eq!(status["incidents"].as_array().map(Vec::len), Some(0));
    let _ = &setup.clean;
}

#[test]
fn text_output_has_a_line_per_environment_and_per_incident_change() {
    let server = require_server!();
    let setup = Setup::new(&server, "mon_text", "");
    let output = setup.monitor(&["run", "--now", NIGHT1]);
    let text = stdout(&output);
    assert!(
        text.contains("clean") && text.contains("No schema drift detected"),
        "{text}"
    );
    assert!(
        text.contains("drifted") && text.contains("1 medium"),
        "{text}"
    );
    assert!(
        text.contains("opened") && text.contains("orders.hotfix_note → Database Team"),
        "{text}"
    );
    let status = stdout(&setup.monitor(&["status", "--now", "2026-11-26T05:00:00Z"]));
    assert!(
        status.contains("SLA 21h 0m left") && status.contains("Database Team"),
        "{status}"
    );
}

#[test]
fn an_unreachable_environment_is_a_failed_check_and_the_others_are_processed() {
    let server = require_server!();
    let setup = Setup::new(
        &server,
        "mon_down",
        "\n[environments.down]\nurl = \"mysql://root:secret-pw@127.0.0.1:1/nothing\"\n",
    );
    let output = setup.monitor(&["run", "--now", NIGHT1, "--format", "json"]);
    let run = json(&output);
    assert_eq!(output.status.code(), Some(1));
    assert_eq!(environment(&run, "down")["status"], "failed");
    assert!(
        environment(&run, "down")["error"]
            .as_str()
            .is_some_and(|e| !e.is_empty())
    );
    assert_eq!(environment(&run, "drifted")["opened"], 1);
    assert_eq!(environment(&run, "clean")["status"], "ok");
    assert!(!stdout(&output).contains("secret-pw") && !stderr(&output).contains("secret-pw"));

    let text = stdout(&setup.monitor(&["run", "--now", "2026-11-26T03:00:00Z"]));
    assert!(text.contains("check failed"), "{text}");
    let status = setup.status("2026-11-26T03:00:00Z");
    let down = status["environments"]
        .as_array()
        .and_then(|e| e.iter().find(|e| e["name"] == "down"))
        .cloned()
        .unwrap_or_default();
    assert_eq!(down["last_check"]["status"], "failed", "{status:#}");
    let text = stdout(&setup.monitor(&["status", "--now", "2026-11-26T03:00:00Z"]));
    assert!(
        text.contains("down: 0 open · last check failed (run 2"),
        "{text}"
    );

    let only_down = setup.monitor(&["run", "--now", NIGHT1, "--env", "down"]);
    assert_eq!(only_down.status.code(), Some(2), "every environment failed");
}

#[test]
fn overlapping_runs_never_duplicate_an_incident() {
    let server = require_server!();
    overlapping(&Setup::new(&server, "mon_overlap", ""));
}

#[test]
fn overlapping_runs_never_duplicate_an_incident_in_a_mysql_state_store() {
    let server = require_server!();
    let state = TestDb::create(&server, "mon_overlap_state");
    overlapping(&Setup::new(
        &server,
        "mon_overlap_my",
        &format!("\n[state]\nurl = \"{}\"\n", state.url()),
    ));
}

#[test]
fn overlapping_runs_never_duplicate_an_incident_in_a_postgres_state_store() {
    let server = require_server!();
    let Some(state) = PostgresState::create("mon_overlap") else {
        return;
    };
    overlapping(&Setup::new(&server, "mon_overlap_pg", &state.section()));
}

fn overlapping(setup: &Setup) {
    let children: Vec<_> = (0..3)
        .map(|_| {
            std::process::Command::new(env!("CARGO_BIN_EXE_driftwatch"))
                .args([
                    "monitor",
                    "run",
                    "--now",
                    NIGHT1,
                    "--format",
                    "json",
                    "--config",
                    &setup.config,
                ])
                .current_dir(shop_dir())
                .env_remove("DATABASE_URL")
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .expect("spawn driftwatch")
        })
        .collect();
    let opened: u64 = children
        .into_iter()
        .map(|child| {
            let output = child.wait_with_output().expect("wait");
            assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
            environment(&json(&output), "drifted")["opened"]
                .as_u64()
                .unwrap_or(0)
        })
        .sum();
    assert_eq!(opened, 1, "exactly one of the runs opens it");
    let status = setup.status(NIGHT1);
    assert_eq!(
        status["incidents"].as_array().map(Vec::len),
        Some(1),
        "{status:#}"
    );
}

#[test]
fn a_run_killed_before_commit_loses_nothing_and_the_next_run_converges() {
    let server = require_server!();
    killed(&Setup::new(&server, "mon_killed", ""));
}

#[test]
fn a_run_killed_before_commit_loses_nothing_in_a_mysql_state_store() {
    let server = require_server!();
    let state = TestDb::create(&server, "mon_killed_state");
    killed(&Setup::new(
        &server,
        "mon_killed_my",
        &format!("\n[state]\nurl = \"{}\"\n", state.url()),
    ));
}

#[test]
fn a_run_killed_before_commit_loses_nothing_in_a_postgres_state_store() {
    let server = require_server!();
    let Some(state) = PostgresState::create("mon_killed") else {
        return;
    };
    killed(&Setup::new(&server, "mon_killed_pg", &state.section()));
}

fn killed(setup: &Setup) {
    let (_, first) = setup.run(NIGHT1);
    assert_eq!(tally(&first, "drifted"), [1, 0, 0, 0, 1]);
    setup
        .drifted
        .exec_one("CREATE TABLE tmp_backup (id int PRIMARY KEY, payload text)");

    let killed = setup.monitor_env(
        &["run", "--now", "2026-11-27T03:00:00Z"],
        &[("DRIFTWATCH_TEST_ABORT_BEFORE_COMMIT", "1")],
    );
    assert_ne!(killed.status.code(), Some(0), "the run was aborted");
    assert!(
        killed.status.code().is_none_or(|c| c > 2),
        "killed, not a normal exit: {killed:?}"
    );
    let status = setup.status("2026-11-27T03:00:00Z");
    let incidents = status["incidents"].as_array().cloned().unwrap_or_default();
    assert_eq!(
        incidents.len(),
        1,
        "the killed run wrote nothing: {status:#}"
    );
    assert_eq!(incidents[0]["last_seen"], NIGHT1);
    assert_eq!(incidents[0]["escalation"]["name"], "Database Team");

    let (_, next) = setup.run("2026-11-27T03:00:00Z");
    assert_eq!(tally(&next, "drifted"), [1, 0, 1, 0, 2], "{next:#}");
    let status = setup.status("2026-11-27T03:00:00Z");
    assert_eq!(status["incidents"].as_array().map(Vec::len), Some(2));
}

#[test]
fn ack_records_who_and_status_shows_it() {
    let server = require_server!();
    let setup = Setup::new(&server, "mon_ack", "");
    let (_, first) = setup.run(NIGHT1);
    let id = first["incidents"][0]["id"]
        .as_i64()
        .expect("incident id")
        .to_string();
    let ack = setup.monitor(&["ack", &id, "--by", "alice"]);
    assert_eq!(ack.status.code(), Some(0), "{}", stderr(&ack));
    let status = setup.status("2026-11-26T04:00:00Z");
    assert_eq!(status["incidents"][0]["acknowledged_by"], "alice");
    let missing = setup.monitor(&["ack", "999", "--by", "alice"]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(stderr(&missing).contains("999"), "{}", stderr(&missing));
}

#[test]
fn a_dry_run_prints_the_decisions_and_records_nothing() {
    let server = require_server!();
    let setup = Setup::new(&server, "mon_dry", "");
    let output = setup.monitor(&["run", "--now", NIGHT1, "--format", "json", "--dry-run"]);
    let run = json(&output);
    assert_eq!(run["run"]["id"], Value::Null);
    assert_eq!(environment(&run, "drifted")["opened"], 1);
    assert_eq!(
        setup.status(NIGHT1)["incidents"].as_array().map(Vec::len),
        Some(0)
    );
}

#[test]
fn the_state_store_is_a_sqlite_file_beside_driftwatch_toml() {
    let server = require_server!();
    let setup = Setup::new(&server, "mon_file", "");
    setup.run(NIGHT1);
    assert!(setup.dir.path().join(".driftwatch/state.db").is_file());
}

#[test]
fn an_unreachable_postgres_state_store_is_a_config_error_without_its_password() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("driftwatch.toml");
    std::fs::write(
        &path,
        "[environments.staging]\nurl = \"mysql://root@127.0.0.1:1/x\"\n\n[state]\nurl = \"postgres://root:hunter2-pw@127.0.0.1:1/state\"\n",
    )
    .expect("write");
    let output = driftwatch(
        &["monitor", "run", "--config", &path.to_string_lossy()],
        &shop_dir(),
        &[],
    );
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("postgres://root@127.0.0.1:1/state"),
        "{}",
        stderr(&output)
    );
    assert!(!stderr(&output).contains("hunter2"), "{}", stderr(&output));
}

#[test]
fn a_bad_sla_duration_is_a_config_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("driftwatch.toml");
    std::fs::write(&path, "[environments.staging]\nurl = \"mysql://root@127.0.0.1:1/x\"\n\n[sla]\nmedium = \"1 day\"\n")
        .expect("write");
    let output = driftwatch(
        &["monitor", "status", "--config", &path.to_string_lossy()],
        &shop_dir(),
        &[],
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("[sla] medium"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn sla_and_escalation_levels_come_from_driftwatch_toml() {
    let server = require_server!();
    let setup = Setup::new(
        &server,
        "mon_custom",
        "\n[sla]\nmedium = \"1h\"\n\n[[escalation]]\nname = \"Developers\"\ngithub = [\"org/devs\"]\n\
         [[escalation]]\nname = \"Database Team\"\ngithub = [\"org/dba\"]\n[[escalation]]\nname = \"CTO\"\ngithub = [\"cto\"]\n",
    );
    let (_, first) = setup.run(NIGHT1);
    assert_eq!(first["incidents"][0]["escalation"]["github"][0], "org/dba");
    assert_eq!(first["incidents"][0]["sla"], "1h");
    let (_, later) = setup.run("2026-11-26T03:00:00Z");
    assert_eq!(tally(&later, "drifted"), [0, 0, 1, 0, 1]);
    assert_eq!(later["incidents"][0]["escalation"]["name"], "CTO");
}

#[test]
fn env_limits_the_run_to_the_named_environments() {
    let server = require_server!();
    let setup = Setup::new(&server, "mon_only", "");
    let output = setup.monitor(&["run", "--now", NIGHT1, "--env", "clean", "--format", "json"]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let run = json(&output);
    assert_eq!(run["environments"].as_array().map(Vec::len), Some(1));
    let unknown = setup.monitor(&["run", "--env", "nope"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(stderr(&unknown).contains("nope"), "{}", stderr(&unknown));
}

#[test]
fn unknown_keys_and_bad_state_urls_are_config_errors() {
    for (text, expected) in [
        ("[sla]\nurgent = \"1h\"\n", "urgent"),
        ("[state]\nurl = \"redis://x\"\n", "[state] url"),
        ("[state]\npath = \"x.db\"\n", "path"),
        ("[[escalation]]\nname = \"\"\n", "[[escalation]] level 1"),
    ] {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("driftwatch.toml");
        std::fs::write(
            &path,
            format!("[environments.staging]\nurl = \"mysql://root@127.0.0.1:1/x\"\n\n{text}"),
        )
        .expect("write");
        let output = driftwatch(
            &["monitor", "status", "--config", &path.to_string_lossy()],
            &shop_dir(),
            &[],
        );
        assert_eq!(output.status.code(), Some(2), "{text}");
        assert!(
            stderr(&output).contains(expected),
            "{text}: {}",
            stderr(&output)
        );
    }
}

#[test]
fn a_fleet_environment_is_checked_database_by_database() {
    let server = require_server!();
    let label = "mon_fleet";
    let dbs: Vec<TestDb> = (0..2).map(|_| shop(&server, label)).collect();
    dbs[1].exec_one(HOTFIX);
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("driftwatch.toml");
    std::fs::write(
        &path,
        format!(
            "[environments.tenants]\nurl = \"{server}\"\ndatabases = \"dwt_{}_{label}_*\"\n",
            std::process::id()
        ),
    )
    .expect("write driftwatch.toml");
    let output = driftwatch(
        &[
            "monitor",
            "run",
            "--now",
            NIGHT1,
            "--format",
            "json",
            "--config",
            &path.to_string_lossy(),
        ],
        &shop_dir(),
        &[],
    );
    assert_eq!(output.status.code(), Some(1), "{}", stderr(&output));
    let run = json(&output);
    assert_eq!(
        environment(&run, &format!("tenants/{}", dbs[0].name))["status"],
        "ok"
    );
    let drifted = environment(&run, &format!("tenants/{}", dbs[1].name));
    assert_eq!(drifted["status"], "drift");
    assert_eq!(drifted["opened"], 1);
}
