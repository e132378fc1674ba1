//! Shadow-database mode (`validate --dev-url`): the expected schema is
//! created on a scratch database, read back through the same introspection
//! as the target, compared reading with reading, and dropped again.
//!
//! Everything runs on the private MariaDB of `scripts/dev-db.sh`; the dev
//! database is a second `TestDb` on the same server.

mod common;

use std::path::Path;
use std::process::Output;
use std::time::Instant;

use common::{TestDb, driftwatch, generated_fixtures, shop_dir, stderr, stdout};

/// The tables and views in `db`, by name.
fn objects_in(db: &TestDb) -> Vec<String> {
    let url = db.server.clone();
    let name = db.name.clone();
    common::runtime().block_on(async move {
        use mysql_async::prelude::Queryable;
        let opts = mysql_async::Opts::from_url(&url).expect("test server URL");
        let mut conn = mysql_async::Conn::new(opts).await.expect("connect");
        let names: Vec<String> = conn
            .exec(
                "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME",
                (name,),
            )
            .await
            .expect("list tables");
        let _ = conn.disconnect().await;
        names
    })
}

fn json(output: &Output) -> serde_json::Value {
    serde_json::from_str(&stdout(output))
        .unwrap_or_else(|e| panic!("no JSON report ({e}); stderr:\n{}", stderr(output)))
}

/// Validates `dir` against `target`, with `--dev-url dev` when given.
fn validate(dir: &Path, target: &TestDb, dev: Option<&str>, extra: &[&str]) -> Output {
    let mut args = vec!["validate"];
    if let Some(dev) = dev {
        args.extend(["--dev-url", dev]);
    }
    args.extend(extra);
    driftwatch(&args, dir, &[("DATABASE_URL", &target.url())])
}

/// (kind, table, object, severity, source) of every drift: what must not
/// depend on the mode.
fn drift_summary(report: &serde_json::Value) -> Vec<String> {
    report["drifts"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|d| {
            format!(
                "{} {} {} {} {}",
                d["kind"], d["table"], d["object"], d["severity"], d["source"]
            )
        })
        .collect()
}

fn password_of(server: &str) -> String {
    let credentials = server
        .trim_start_matches("mysql://")
        .split('@')
        .next()
        .unwrap_or("");
    credentials.split(':').nth(1).unwrap_or("").to_string()
}

fn assert_password_hidden(server: &str, output: &Output) {
    let password = password_of(server);
    assert!(password.len() >= 4, "test server URL has no password");
    assert!(!stdout(output).contains(&password), "password in stdout");
    assert!(!stderr(output).contains(&password), "password in stderr");
}

#[test]
fn every_parity_fixture_validates_clean_in_both_modes_and_leaves_the_dev_database_empty() {
    let Some(server) = common::server_url() else {
        return;
    };
    let Some(fixtures) = generated_fixtures() else {
        return;
    };
    assert!(fixtures.len() >= 12, "found {} fixtures", fixtures.len());
    // One dev database for the whole corpus: each run must leave it empty.
    let dev = TestDb::create(&server, "corpus_dev");
    let started = Instant::now();
    let mut dev_runs = std::time::Duration::ZERO;
    let mut failures = Vec::new();
    for fixture in &fixtures {
        let name = fixture
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let target = TestDb::create(&server, &name);
        target.apply_migrations(&fixture.join("migrations"));
        let static_text = validate(fixture, &target, None, &[]);
        let dev_started = Instant::now();
        let dev_text = validate(fixture, &target, Some(&dev.url()), &[]);
        dev_runs += dev_started.elapsed();
        let dev_json = validate(fixture, &target, Some(&dev.url()), &["--format", "json"]);
        let report =
            serde_json::from_str::<serde_json::Value>(&stdout(&dev_json)).unwrap_or_default();
        let clean_line = |o: &Output| stdout(o).lines().any(|l| l == "No schema drift detected");
        let verdicts = (
            static_text.status.code(),
            clean_line(&static_text),
            dev_text.status.code(),
            clean_line(&dev_text),
            dev_json.status.code(),
            report["status"].as_str(),
            report["mode"].as_str(),
        );
        let expected = (
            Some(0),
            true,
            Some(0),
            true,
            Some(0),
            Some("clean"),
            Some("dev-database"),
        );
        if verdicts != expected {
            failures.push(format!(
                "── {name}: {verdicts:?}\n{}{}",
                stdout(&dev_text),
                stderr(&dev_text)
            ));
        }
        let left = objects_in(&dev);
        assert!(left.is_empty(), "{name} left {left:?} in the dev database");
    }
    eprintln!(
        "dev-database corpus: {} fixtures in {:.1} s (3 runs each; the dev-database text runs \
         took {:.1} s in all)",
        fixtures.len(),
        started.elapsed().as_secs_f64(),
        dev_runs.as_secs_f64()
    );
    assert!(
        failures.is_empty(),
        "{} of {} fixtures differ from static mode:\n{}",
        failures.len(),
        fixtures.len(),
        failures.join("\n")
    );
}

#[test]
fn manual_modifications_are_reported_alike_in_both_modes_with_sources() {
    let Some(server) = common::server_url() else {
        return;
    };
    let target = TestDb::create(&server, "shop_modified");
    target.apply_migrations(&shop_dir().join("drizzle/migrations"));
    target.exec(&[
        "ALTER TABLE users DROP COLUMN password_hash".to_string(),
        "ALTER TABLE orders ADD COLUMN hotfix_note varchar(20)".to_string(),
        "ALTER TABLE products MODIFY name varchar(500) NOT NULL".to_string(),
        "ALTER TABLE orders ALTER COLUMN currency SET DEFAULT 'USD'".to_string(),
        "DROP INDEX users_last_login_idx ON users".to_string(),
        "ALTER TABLE order_items DROP FOREIGN KEY order_items_order_fk".to_string(),
        "CREATE TABLE tmp_backup (id int PRIMARY KEY, payload text)".to_string(),
    ]);
    let dev = TestDb::create(&server, "shop_modified_dev");
    let json_args = ["--format", "json"];
    let static_run = validate(&shop_dir(), &target, None, &json_args);
    let dev_run = validate(&shop_dir(), &target, Some(&dev.url()), &json_args);
    let (static_report, dev_report) = (json(&static_run), json(&dev_run));
    assert_eq!(static_report["mode"], "static");
    assert_eq!(dev_report["mode"], "dev-database");
    assert_eq!(
        (static_run.status.code(), dev_run.status.code()),
        (Some(1), Some(1))
    );
    assert_eq!(
        drift_summary(&dev_report),
        drift_summary(&static_report),
        "dev-database report:\n{dev_report:#}"
    );
    let missing_column = dev_report["drifts"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|d| d["kind"] == "column_missing_in_db")
        .cloned()
        .unwrap_or_default();
    assert!(
        missing_column["source"]["line"]
            .as_u64()
            .is_some_and(|l| l > 0),
        "no file:line for the missing column:\n{missing_column:#}"
    );
    assert!(objects_in(&dev).is_empty(), "dev database not empty");
}

const BROKEN_SECOND_TABLE: &str = r#"import { check, int, mysqlTable } from 'drizzle-orm/mysql-core';
import { sql } from 'drizzle-orm';

export const aFine = mysqlTable('a_fine', {
  id: int('id').primaryKey(),
});

export const bBroken = mysqlTable(
  'b_broken',
  { id: int('id').primaryKey() },
  () => [check('b_broken_check', sql`no_such_column > 0`)],
);
"#;

const CONFIG: &str = r#"import { defineConfig } from 'drizzle-kit';
export default defineConfig({ dialect: 'mysql', schema: './schema.ts' });
"#;

#[test]
fn ddl_failure_on_the_dev_database_names_the_table_and_leaves_it_empty() {
    let Some(server) = common::server_url() else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("drizzle.config.ts"), CONFIG).expect("write config");
    std::fs::write(dir.path().join("schema.ts"), BROKEN_SECOND_TABLE).expect("write schema");
    let target = TestDb::create(&server, "broken_target");
    let dev = TestDb::create(&server, "broken_dev");
    let output = validate(dir.path(), &target, Some(&dev.url()), &[]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    let err = stderr(&output);
    assert!(err.contains("`b_broken`"), "{err}");
    assert!(
        err.contains("no_such_column"),
        "server message missing: {err}"
    );
    assert_password_hidden(&server, &output);
    // `a_fine` was created before `b_broken` failed, and dropped again.
    assert!(objects_in(&dev).is_empty(), "dev database not empty");
    assert!(objects_in(&target).is_empty(), "target was written to");
}

/// `notes` cannot be read exactly (an unknown modifier); `tags` can, and
/// references it.
const INCOMPLETE_SCHEMA: &str = r#"import { int, mysqlTable, varchar } from 'drizzle-orm/mysql-core';

export const notes = mysqlTable('notes', {
  id: int().primaryKey(),
  body: varchar({ length: 200 }).notNull().someFutureModifier(),
});

export const tags = mysqlTable('tags', {
  id: int().primaryKey(),
  label: varchar({ length: 50 }).notNull(),
  noteId: int('note_id').references(() => notes.id),
});
"#;

#[test]
fn tables_not_read_exactly_are_neither_created_nor_compared() {
    let Some(server) = common::server_url() else {
        return;
    };
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("drizzle.config.ts"), CONFIG).expect("write config");
    std::fs::write(dir.path().join("schema.ts"), INCOMPLETE_SCHEMA).expect("write schema");
    let target = TestDb::create(&server, "incomplete_target");
    target.exec(&[
        "CREATE TABLE notes (id int NOT NULL PRIMARY KEY, body varchar(200) NOT NULL)".to_string(),
        // `label` one size smaller: drift in the table that is compared.
        "CREATE TABLE tags (id int NOT NULL PRIMARY KEY, label varchar(40) NOT NULL, note_id int, \
         CONSTRAINT tags_note_id_notes_id_fk FOREIGN KEY (note_id) REFERENCES notes (id))"
            .to_string(),
    ]);
    let dev = TestDb::create(&server, "incomplete_dev");
    let args = ["--format", "json", "--allow-incomplete"];
    let static_run = validate(dir.path(), &target, None, &args);
    let dev_run = validate(dir.path(), &target, Some(&dev.url()), &args);
    let (static_report, dev_report) = (json(&static_run), json(&dev_run));
    assert_eq!(
        (static_run.status.code(), dev_run.status.code()),
        (Some(1), Some(1))
    );
    assert_eq!(dev_report["status"], "error");
    assert_eq!(dev_report["mode"], "dev-database");
    assert_eq!(drift_summary(&dev_report), drift_summary(&static_report));
    let kinds: Vec<&str> = dev_report["drifts"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|d| d["kind"].as_str())
        .collect();
    assert_eq!(kinds, vec!["column_type_mismatch"], "{dev_report:#}");
    assert!(objects_in(&dev).is_empty(), "dev database not empty");
}

#[test]
fn dev_url_naming_the_target_is_refused_and_nothing_is_written() {
    let Some(server) = common::server_url() else {
        return;
    };
    let target = TestDb::create(&server, "same_target");
    target.apply_migrations(&shop_dir().join("drizzle/migrations"));
    let before = objects_in(&target);
    let same = target.url();
    // The same server under another name for the loopback address.
    let alias = target.url().replacen("127.0.0.1", "localhost", 1);
    for dev_url in [same, alias] {
        let output = validate(&shop_dir(), &target, Some(&dev_url), &[]);
        assert_eq!(
            output.status.code(),
            Some(2),
            "{dev_url}: {}",
            stderr(&output)
        );
        assert!(
            stderr(&output).contains("the database being validated"),
            "{}",
            stderr(&output)
        );
        assert!(stdout(&output).is_empty(), "a report was printed");
        assert_password_hidden(&server, &output);
    }
    assert_eq!(objects_in(&target), before, "target changed");
}

/// True when the test server answers at `url` (IPv4-mapped IPv6 may be off).
fn reachable(url: &str) -> bool {
    let url = url.to_string();
    common::runtime().block_on(async move {
        let Ok(opts) = mysql_async::Opts::from_url(&url) else {
            return false;
        };
        match mysql_async::Conn::new(opts).await {
            Ok(conn) => {
                let _ = conn.disconnect().await;
                true
            }
            Err(_) => false,
        }
    })
}

#[test]
fn dev_url_reaching_the_target_server_under_another_address_is_refused() {
    let Some(server) = common::server_url() else {
        return;
    };
    let target = TestDb::create(&server, "alias_target");
    target.apply_migrations(&shop_dir().join("drizzle/migrations"));
    let before = objects_in(&target);
    // Not a loopback name as far as the URL says: only asking both servers
    // who they are (@@hostname, @@port, @@datadir) tells it is the same one.
    let mapped = target.url().replacen("127.0.0.1", "[::ffff:127.0.0.1]", 1);
    if mapped == target.url() || !reachable(&mapped) {
        eprintln!("skipped: the test server is not reachable at an IPv4-mapped IPv6 address");
        return;
    }
    let output = validate(&shop_dir(), &target, Some(&mapped), &[]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("--dev-url reaches the database being validated"),
        "{}",
        stderr(&output)
    );
    assert_password_hidden(&server, &output);
    assert_eq!(objects_in(&target), before, "target changed");
}

#[test]
fn dev_database_that_is_not_empty_is_refused_and_left_as_it_was() {
    let Some(server) = common::server_url() else {
        return;
    };
    let target = TestDb::create(&server, "dirty_target");
    target.apply_migrations(&shop_dir().join("drizzle/migrations"));
    let dev = TestDb::create(&server, "dirty_dev");
    dev.exec_one("CREATE TABLE someone_elses (id int PRIMARY KEY)");
    let output = validate(&shop_dir(), &target, Some(&dev.url()), &[]);
    assert_eq!(output.status.code(), Some(2), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("is not clean"),
        "{}",
        stderr(&output)
    );
    assert!(
        stderr(&output).contains("someone_elses"),
        "{}",
        stderr(&output)
    );
    assert_password_hidden(&server, &output);
    assert_eq!(objects_in(&dev), vec!["someone_elses".to_string()]);
}

#[test]
fn text_report_says_which_mode_was_used() {
    let Some(server) = common::server_url() else {
        return;
    };
    let target = TestDb::create(&server, "mode_line");
    target.apply_migrations(&shop_dir().join("drizzle/migrations"));
    let dev = TestDb::create(&server, "mode_line_dev");
    let static_run = validate(&shop_dir(), &target, None, &[]);
    let dev_run = validate(&shop_dir(), &target, Some(&dev.url()), &[]);
    common::assert_clean(&static_run);
    common::assert_clean(&dev_run);
    assert!(stdout(&static_run).contains("  mode      static"));
    let dev_line = format!(
        "  mode      dev-database (schema created in {} on ",
        dev.name
    );
    assert!(stdout(&dev_run).contains(&dev_line), "{}", stdout(&dev_run));
    assert_password_hidden(&server, &dev_run);
}

#[test]
fn an_environment_dev_url_from_driftwatch_toml_selects_dev_database_mode() {
    let Some(server) = common::server_url() else {
        return;
    };
    let target = TestDb::create(&server, "env_dev_url");
    target.apply_migrations(&shop_dir().join("drizzle/migrations"));
    let dev = TestDb::create(&server, "env_dev_url_dev");
    let dir = tempfile::tempdir().expect("tempdir");
    let config = dir.path().join("driftwatch.toml");
    std::fs::write(
        &config,
        "[environments.staging]\nurl = \"${STAGING_URL}\"\ndev_url = \"${STAGING_DEV_URL}\"\n",
    )
    .expect("write driftwatch.toml");
    let config = config.to_string_lossy().into_owned();
    let output = driftwatch(
        &[
            "validate", "--config", &config, "--env", "staging", "--format", "json",
        ],
        &shop_dir(),
        &[
            ("STAGING_URL", &target.url()),
            ("STAGING_DEV_URL", &dev.url()),
        ],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert_eq!(json(&output)["mode"], "dev-database");
    assert!(objects_in(&dev).is_empty());
}
