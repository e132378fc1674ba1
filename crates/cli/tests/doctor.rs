//! `driftwatch doctor` against the private MariaDB: every check passes on a
//! migrated database; an unreachable server is a FAIL with a hint, exit 2 and
//! no password anywhere; a broken schema file is listed with file:line:column.

mod common;

use std::path::Path;

/// The password of the test server's URL (`mysql://user:password@…`).
fn password_of(url: &str) -> String {
    let userinfo = url
        .split("://")
        .nth(1)
        .and_then(|rest| rest.rsplit_once('@'))
        .map(|(userinfo, _)| userinfo)
        .unwrap_or("");
    userinfo
        .split_once(':')
        .map(|(_, p)| p.to_string())
        .unwrap_or_default()
}

fn assert_no_password(output: &std::process::Output, password: &str) {
    if password.is_empty() {
        return;
    }
    assert!(
        !common::stdout(output).contains(password) && !common::stderr(output).contains(password),
        "the password appears in the output:\n{}{}",
        common::stdout(output),
        common::stderr(output)
    );
}

#[test]
fn every_check_passes_on_a_migrated_database() {
    let server = require_server!();
    let db = common::TestDb::create(&server, "doctor_ok");
    db.apply_migrations(&common::shop_dir().join("drizzle/migrations"));
    let output = common::driftwatch(&["doctor", "--url", &db.url()], &common::shop_dir(), &[]);
    let out = common::stdout(&output);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{out}{}",
        common::stderr(&output)
    );
    for check in [
        "pass  driftwatch.toml:",
        "pass  drizzle config:",
        "pass  schema files:",
        "pass  database URL:",
        "pass  connection: SELECT 1 answered",
        "pass  server: MariaDB",
        "pass  privileges: information_schema readable",
        "pass  migrations table: `__drizzle_migrations` readable (2 rows)",
        "pass  migrations folder: drizzle/migrations: drizzle-kit 0.x journal, 2 migrations",
    ] {
        assert!(out.contains(check), "missing `{check}`:\n{out}");
    }
    assert!(
        out.contains(&format!("database `{}` on 127.0.0.1:", db.name)),
        "{out}"
    );
    assert!(!out.contains("FAIL") && !out.contains("warn "), "{out}");
    assert!(out.contains("0 failed"), "{out}");
    let password = password_of(&server);
    if !password.is_empty() {
        assert!(out.contains(":***@"), "the URL is shown redacted:\n{out}");
    }
    assert_no_password(&output, &password);
}

#[test]
fn a_select_only_user_has_enough_privileges() {
    let server = require_server!();
    let db = common::TestDb::create(&server, "doctor_ro");
    db.apply_migrations(&common::shop_dir().join("drizzle/migrations"));
    let user = common::SelectOnlyUser::create(&server, "doctor");
    let url = user.url_for(&db);
    let output = common::driftwatch(&["doctor", "--url", &url], &common::shop_dir(), &[]);
    let out = common::stdout(&output);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{out}{}",
        common::stderr(&output)
    );
    assert!(out.contains("pass  privileges:"), "{out}");
    assert!(out.contains("pass  migrations table:"), "{out}");
    assert!(out.contains(&format!("as `{}`", user.name)), "{out}");
    assert_no_password(&output, user.password);
}

#[test]
fn an_empty_database_warns_but_passes() {
    let server = require_server!();
    let db = common::TestDb::create(&server, "doctor_empty");
    let output = common::driftwatch(&["doctor", "--url", &db.url()], &common::shop_dir(), &[]);
    let out = common::stdout(&output);
    assert_eq!(output.status.code(), Some(0), "{out}");
    assert!(out.contains("warn  privileges:"), "{out}");
    assert!(
        out.contains("warn  migrations table: `__drizzle_migrations` not found"),
        "{out}"
    );
}

#[test]
fn an_unreachable_server_fails_with_a_hint_and_no_password() {
    let secret = "doctor-unreachable-secret";
    let url = format!("mysql://app:{secret}@127.0.0.1:1/shop");
    let output = common::driftwatch(&["doctor", "--url", &url], &common::shop_dir(), &[]);
    let out = common::stdout(&output);
    assert_eq!(output.status.code(), Some(2), "{out}");
    assert!(
        out.contains("FAIL  connection: cannot reach a MySQL server at 127.0.0.1:1"),
        "{out}"
    );
    let hint = out
        .lines()
        .skip_while(|l| !l.starts_with("FAIL  connection"))
        .nth(1)
        .unwrap_or_default();
    assert!(hint.trim_start().starts_with("hint: "), "{out}");
    assert!(
        out.contains("pass  database URL: mysql://app:***@127.0.0.1:1/shop"),
        "{out}"
    );
    assert!(out.contains("skip  server: not connected"), "{out}");
    assert_no_password(&output, secret);
}

#[test]
fn no_database_url_fails_and_skips_the_database_checks() {
    let output = common::driftwatch(&["doctor"], &common::shop_dir(), &[]);
    let out = common::stdout(&output);
    // examples/shop has no .env: DATABASE_URL is unset (the harness removes it).
    if Path::new(&common::shop_dir().join(".env")).exists() {
        return;
    }
    assert_eq!(output.status.code(), Some(2), "{out}");
    assert!(out.contains("FAIL  database URL:"), "{out}");
    assert!(out.contains("skip  connection: no database URL"), "{out}");
}

#[test]
fn a_broken_schema_file_is_listed_with_file_line_column() {
    let project = tempfile::tempdir().expect("tempdir");
    let dir = project.path();
    std::fs::create_dir_all(dir.join("db")).expect("mkdir");
    std::fs::write(
        dir.join("drizzle.config.ts"),
        "import { defineConfig } from 'drizzle-kit';\n\
         export default defineConfig({ dialect: 'mysql', schema: './db/schema.ts', out: './db/migrations' });\n",
    )
    .expect("config");
    std::fs::write(
        dir.join("db/schema.ts"),
        "import { mysqlTable, int } from 'drizzle-orm/mysql-core';\n\
         \n\
         export const users = mysqlTable('users', {\n\
         \x20 id: int('id').primaryKey(),\n\
         \x20 name: int('name') +* ,\n\
         });\n",
    )
    .expect("schema");
    let output = common::driftwatch(
        &["doctor", "--url", "mysql://root@127.0.0.1:1/app"],
        dir,
        &[],
    );
    let out = common::stdout(&output);
    assert_eq!(output.status.code(), Some(2), "{out}");
    assert!(out.contains("FAIL  schema files:"), "{out}");
    let located = out.lines().any(|line| {
        let line = line.trim_start();
        line.strip_prefix("db/schema.ts:").is_some_and(|rest| {
            let mut parts = rest.splitn(3, ':');
            let line_no = parts.next().unwrap_or_default();
            let column = parts.next().unwrap_or_default();
            line_no == "5"
                && !column.is_empty()
                && column.chars().all(|c| c.is_ascii_digit())
                && parts.next().is_some_and(|m| m.starts_with(" error: "))
        })
    });
    assert!(located, "no db/schema.ts:5:<column>: error: line:\n{out}");
    assert!(
        out.contains("warn  migrations folder: db/migrations: not found"),
        "{out}"
    );
}

#[test]
fn env_reads_the_url_from_driftwatch_toml_and_checks_expect_database() {
    let server = require_server!();
    let db = common::TestDb::create(&server, "doctor_env");
    db.apply_migrations(&common::shop_dir().join("drizzle/migrations"));
    let project = tempfile::tempdir().expect("tempdir");
    let dir = project.path();
    for file in ["drizzle.config.ts", "drizzle/schema.ts"] {
        let target = dir.join(file);
        std::fs::create_dir_all(target.parent().expect("parent")).expect("mkdir");
        std::fs::copy(common::shop_dir().join(file), target).expect("copy");
    }
    std::fs::write(
        dir.join("driftwatch.toml"),
        "[environments.ci]\nurl = \"${DOCTOR_TEST_URL}\"\n\n\
         [environments.wrong]\nurl = \"${DOCTOR_TEST_URL}\"\nexpect_database = \"somewhere_else\"\n",
    )
    .expect("settings");
    let env = [("DOCTOR_TEST_URL", db.url())];
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();

    let output = common::driftwatch(&["doctor", "--env", "ci"], dir, &env);
    let out = common::stdout(&output);
    assert!(
        out.contains("pass  database URL:") && out.contains("(from [environments.ci] url)"),
        "{out}"
    );
    assert!(out.contains("pass  server:"), "{out}");
    // No migrations folder in this copy: a warning, not a failure.
    assert!(out.contains("warn  migrations folder:"), "{out}");
    assert_eq!(output.status.code(), Some(0), "{out}");

    let output = common::driftwatch(&["doctor", "--env", "wrong"], dir, &env);
    let out = common::stdout(&output);
    assert!(
        out.contains("FAIL  server:") && out.contains("expects `somewhere_else`"),
        "{out}"
    );
    assert_eq!(output.status.code(), Some(2), "{out}");
    assert_no_password(&output, &password_of(&server));

    let output = common::driftwatch(&["doctor", "--env", "nope"], dir, &env);
    let out = common::stdout(&output);
    assert!(
        out.contains("FAIL  database URL: environment `nope` is not defined"),
        "{out}"
    );
    assert_eq!(output.status.code(), Some(2), "{out}");
}
