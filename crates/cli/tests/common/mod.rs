//! Shared set-up for CLI tests against the private MariaDB that
//! `scripts/dev-db.sh` runs (URL in `DRIFTWATCH_TEST_MYSQL_URL`, set by
//! `scripts/test.sh`). Each test gets its own database, dropped afterwards.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

use mysql_async::prelude::Queryable;

pub fn server_url() -> Option<String> {
    match std::env::var("DRIFTWATCH_TEST_MYSQL_URL") {
        Ok(url) if !url.is_empty() => Some(url.trim_end_matches('/').to_string()),
        _ => {
            eprintln!(
                "skipped: DRIFTWATCH_TEST_MYSQL_URL is not set (scripts/test.sh starts a private MariaDB and sets it)"
            );
            None
        }
    }
}

/// Skips the test (returns early) when no test server is configured.
#[macro_export]
macro_rules! require_server {
    () => {
        match common::server_url() {
            Some(url) => url,
            None => return,
        }
    };
}

pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap_or_else(|_| PathBuf::from("../.."))
}

pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime")
}

/// A database created for one test and dropped when the value goes away.
pub struct TestDb {
    pub server: String,
    pub name: String,
}

static COUNTER: AtomicUsize = AtomicUsize::new(0);

impl TestDb {
    pub fn create(server: &str, label: &str) -> TestDb {
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let label: String = label
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    '_'
                }
            })
            .take(30)
            .collect();
        let name = format!("dwt_{}_{}_{n}", std::process::id(), label);
        let db = TestDb {
            server: server.to_string(),
            name,
        };
        db.admin(&[
            format!("DROP DATABASE IF EXISTS `{}`", db.name),
            format!(
                "CREATE DATABASE `{}` CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci",
                db.name
            ),
        ]);
        db
    }

    pub fn url(&self) -> String {
        format!("{}/{}", self.server, self.name)
    }

    /// Runs statements on the server (no default database).
    pub fn admin(&self, statements: &[String]) {
        run_statements(&self.server, statements);
    }

    /// Runs statements inside this database.
    pub fn exec(&self, statements: &[String]) {
        run_statements(&self.url(), statements);
    }

    pub fn exec_one(&self, statement: &str) {
        self.exec(&[statement.to_string()]);
    }

    /// Applies a drizzle-kit migrations folder the way drizzle-orm's migrator
    /// does: journal order, statements split on `--> statement-breakpoint`, one
    /// `__drizzle_migrations` row (sha256 of the file) per migration.
    pub fn apply_migrations(&self, folder: &Path) {
        let journal_path = folder.join("meta/_journal.json");
        let journal: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(&journal_path).expect("read _journal.json"),
        )
        .expect("parse _journal.json");
        let mut statements = vec![
            "CREATE TABLE IF NOT EXISTS `__drizzle_migrations` (id serial primary key, hash text not null, created_at bigint)".to_string(),
        ];
        for entry in journal["entries"].as_array().expect("journal entries") {
            let tag = entry["tag"].as_str().expect("tag");
            let when = entry["when"].as_i64().expect("when");
            let sql =
                std::fs::read_to_string(folder.join(format!("{tag}.sql"))).expect("read migration");
            statements.extend(split_statements(&sql));
            // The row drizzle-orm's migrator writes (its hash is checked against
            // the real migrator in migrations_status.rs).
            let hash = driftwatch_history::file_hash(&sql);
            statements.push(format!(
                "INSERT INTO `__drizzle_migrations` (`hash`, `created_at`) VALUES ('{hash}', {when})"
            ));
        }
        self.exec(&statements);
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let statement = format!("DROP DATABASE IF EXISTS `{}`", self.name);
        let server = self.server.clone();
        // Never panic in drop; a leftover dwt_* database is harmless.
        let _ = std::panic::catch_unwind(move || run_statements(&server, &[statement]));
    }
}

/// A user that may only SELECT (granted per database), dropped when the
/// value goes away: what a read-only CI credential looks like.
pub struct SelectOnlyUser {
    server: String,
    pub name: String,
    pub password: &'static str,
}

impl SelectOnlyUser {
    pub fn create(server: &str, label: &str) -> SelectOnlyUser {
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let user = SelectOnlyUser {
            server: server.to_string(),
            name: format!("dw_ro_{}_{label}_{n}", std::process::id()),
            password: "ro-secret-123",
        };
        run_statements(
            server,
            &[
                format!("DROP USER IF EXISTS '{}'@'%'", user.name),
                format!(
                    "CREATE USER '{}'@'%' IDENTIFIED BY '{}'",
                    user.name, user.password
                ),
            ],
        );
        user
    }

    /// Grants SELECT on `db` and returns this user's URL for it.
    pub fn url_for(&self, db: &TestDb) -> String {
        run_statements(
            &self.server,
            &[format!(
                "GRANT SELECT ON `{}`.* TO '{}'@'%'",
                db.name, self.name
            )],
        );
        let host = self.server.rsplit('@').next().unwrap_or(&self.server);
        format!("mysql://{}:{}@{host}/{}", self.name, self.password, db.name)
    }
}

impl Drop for SelectOnlyUser {
    fn drop(&mut self) {
        let statement = format!("DROP USER IF EXISTS '{}'@'%'", self.name);
        let server = self.server.clone();
        let _ = std::panic::catch_unwind(move || run_statements(&server, &[statement]));
    }
}

pub fn split_statements(sql: &str) -> Vec<String> {
    sql.split("--> statement-breakpoint")
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

pub fn run_statements(url: &str, statements: &[String]) {
    let url = url.to_string();
    let statements = statements.to_vec();
    runtime().block_on(async move {
        let opts = mysql_async::Opts::from_url(&url).expect("test server URL");
        let mut conn = mysql_async::Conn::new(opts)
            .await
            .expect("connect to test server");
        for statement in &statements {
            if let Err(e) = conn.query_drop(statement).await {
                panic!("statement failed: {e}\n{statement}");
            }
        }
        let _ = conn.disconnect().await;
    });
}

pub fn driftwatch(args: &[&str], cwd: &Path, env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_driftwatch"));
    command.args(args).current_dir(cwd);
    command.env_remove("DATABASE_URL").env("NO_COLOR", "1");
    for (key, value) in env {
        command.env(key, value);
    }
    command.output().expect("run driftwatch")
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

pub fn shop_dir() -> PathBuf {
    repo_root().join("examples/shop")
}

/// The parity fixtures `tests/parity/generate.sh` wrote into
/// `DRIFTWATCH_PARITY_DIR` (scripts/test.sh sets it), in name order; `None`
/// (with a notice) when the variable is unset.
pub fn generated_fixtures() -> Option<Vec<PathBuf>> {
    let dir = match std::env::var("DRIFTWATCH_PARITY_DIR") {
        Ok(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => {
            eprintln!(
                "skipped: DRIFTWATCH_PARITY_DIR is not set (scripts/test.sh generates the fixtures and sets it)"
            );
            return None;
        }
    };
    let mut fixtures: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("DRIFTWATCH_PARITY_DIR {}: {e}", dir.display()))
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| path.join("migrations/meta/_journal.json").is_file())
        .collect();
    fixtures.sort();
    Some(fixtures)
}

/// The run validated clean: exit 0 and the clean line (the output is shown
/// when it did not).
pub fn assert_clean(output: &Output) {
    assert!(
        stdout(output).contains("No schema drift detected"),
        "{}{}",
        stdout(output),
        stderr(output)
    );
    assert_eq!(output.status.code(), Some(0));
}

/// A manual modification a team makes to a database built by the example's
/// migrations, and the (kind, table) pairs validate must report for it.
/// Shared by detection.rs (reported right, per-finding fix repairs it) and
/// fix.rs (`driftwatch fix` repairs it, as SQL and as a drizzle-kit migration).
pub struct Modification {
    pub label: &'static str,
    pub changes: &'static [&'static str],
    pub expected: &'static [(&'static str, &'static str)],
}

pub const MODIFICATIONS: &[Modification] = &[
    Modification {
        label: "drop_column",
        changes: &["ALTER TABLE users DROP COLUMN password_hash"],
        expected: &[("column_missing_in_db", "users")],
    },
    Modification {
        label: "add_column",
        changes: &["ALTER TABLE orders ADD COLUMN hotfix_note varchar(20)"],
        expected: &[("column_extra_in_db", "orders")],
    },
    Modification {
        label: "widen",
        changes: &["ALTER TABLE products MODIFY name varchar(500) NOT NULL"],
        expected: &[("column_type_mismatch", "products")],
    },
    Modification {
        label: "narrow",
        changes: &["ALTER TABLE inventory_levels MODIFY on_hand smallint NOT NULL DEFAULT 0"],
        expected: &[("column_type_mismatch", "inventory_levels")],
    },
    Modification {
        label: "default",
        changes: &["ALTER TABLE orders ALTER COLUMN currency SET DEFAULT 'USD'"],
        expected: &[("column_default_mismatch", "orders")],
    },
    Modification {
        label: "nullability",
        changes: &["ALTER TABLE products MODIFY description text NOT NULL"],
        expected: &[("column_nullability_mismatch", "products")],
    },
    Modification {
        label: "drop_index",
        changes: &["DROP INDEX users_last_login_idx ON users"],
        expected: &[("index_missing_in_db", "users")],
    },
    Modification {
        label: "add_index",
        changes: &["CREATE INDEX products_name_hotfix_idx ON products (name)"],
        expected: &[("index_extra_in_db", "products")],
    },
    Modification {
        label: "drop_fk",
        changes: &["ALTER TABLE order_items DROP FOREIGN KEY order_items_order_fk"],
        expected: &[("foreign_key_missing_in_db", "order_items")],
    },
    Modification {
        label: "rename_column",
        changes: &["ALTER TABLE warehouses RENAME COLUMN country_code TO country"],
        expected: &[
            ("column_missing_in_db", "warehouses"),
            ("column_extra_in_db", "warehouses"),
        ],
    },
    Modification {
        label: "drop_table",
        changes: &["DROP TABLE audit_events"],
        expected: &[("table_missing_in_db", "audit_events")],
    },
    Modification {
        label: "add_table",
        changes: &["CREATE TABLE tmp_backup (id int PRIMARY KEY, payload text)"],
        expected: &[("table_extra_in_db", "tmp_backup")],
    },
    Modification {
        label: "enum",
        changes: &[
            "ALTER TABLE products MODIFY status enum('draft','active') NOT NULL DEFAULT 'draft'",
        ],
        expected: &[("column_type_mismatch", "products")],
    },
    Modification {
        label: "varchar_length",
        changes: &["ALTER TABLE users MODIFY display_name varchar(80) NOT NULL"],
        expected: &[("column_type_mismatch", "users")],
    },
    Modification {
        label: "on_update",
        changes: &[
            "ALTER TABLE orders MODIFY updated_at timestamp NOT NULL DEFAULT current_timestamp()",
        ],
        expected: &[("column_on_update_mismatch", "orders")],
    },
    Modification {
        label: "auto_increment",
        changes: &["ALTER TABLE order_items MODIFY id int NOT NULL"],
        expected: &[("column_autoincrement_mismatch", "order_items")],
    },
    Modification {
        label: "add_unique",
        changes: &["ALTER TABLE products ADD UNIQUE KEY products_name_uq (name)"],
        expected: &[("unique_extra_in_db", "products")],
    },
    Modification {
        label: "drop_unique",
        changes: &["ALTER TABLE users DROP INDEX users_email_unique"],
        expected: &[("unique_missing_in_db", "users")],
    },
    Modification {
        label: "fk_action",
        changes: &[
            "ALTER TABLE product_reviews DROP FOREIGN KEY product_reviews_user_id_users_id_fk",
            "ALTER TABLE product_reviews ADD CONSTRAINT product_reviews_user_id_users_id_fk \
             FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE",
        ],
        expected: &[("foreign_key_mismatch", "product_reviews")],
    },
    Modification {
        label: "add_check",
        changes: &["ALTER TABLE products ADD CONSTRAINT price_positive CHECK (price >= 0)"],
        expected: &[("check_extra_in_db", "products")],
    },
];

pub fn modification(label: &str) -> &'static Modification {
    MODIFICATIONS
        .iter()
        .find(|m| m.label == label)
        .unwrap_or_else(|| panic!("no modification `{label}` in common::MODIFICATIONS"))
}
