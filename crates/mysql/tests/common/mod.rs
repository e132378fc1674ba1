//! Shared helpers of the live tests: the server URL, throw-away databases,
//! scenario DDL and fixture loading.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use driftwatch_mysql::DatabaseUrl;
use mysql_async::prelude::Queryable;
use mysql_async::{Conn, OptsBuilder};

pub const URL_VAR: &str = "DRIFTWATCH_TEST_MYSQL_URL";

/// Every MariaDB scenario, in load order (f15's view reads f01's table).
pub const MARIADB_SCENARIOS: &[&str] = &[
    "f01_serial",
    "f02_integers",
    "f03_strings",
    "f04_numeric",
    "f05_temporal",
    "f06_enums",
    "f07_json",
    "f08_expression_defaults",
    "f09_generated",
    "f10_charsets",
    "f11_indexes",
    "f12_foreign_keys",
    "f13_checks",
    "f14_misc",
    "f15_view",
    "x01_mariadb_extras",
];

/// The server URL from `DRIFTWATCH_TEST_MYSQL_URL`, or `None` after printing
/// why the test is skipped.
pub fn server_url(test: &str) -> Option<DatabaseUrl> {
    match std::env::var(URL_VAR) {
        Ok(text) if !text.trim().is_empty() => match DatabaseUrl::parse(&text) {
            Ok(url) => Some(url),
            Err(e) => panic!("{URL_VAR} is not a usable URL: {e}"),
        },
        _ => {
            println!("skipped {test}: {URL_VAR} is not set (scripts/dev-db.sh url gives one)");
            None
        }
    }
}

pub fn unique_name(prefix: &str) -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    format!("{prefix}_{}_{nanos}", std::process::id())
}

pub fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

pub fn scenario_ddl(server: &str, scenario: &str) -> String {
    let path = fixtures_dir()
        .join(server)
        .join(scenario)
        .join("schema.sql");
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Splits a schema.sql into statements (each ends with `;` at a line end).
pub fn statements(ddl: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    for line in ddl.lines() {
        current.push_str(line);
        current.push('\n');
        if line.trim_end().ends_with(';') {
            out.push(current.trim().trim_end_matches(';').to_string());
            current.clear();
        }
    }
    if !current.trim().is_empty() {
        out.push(current.trim().to_string());
    }
    out
}

/// An administrative (read-write) connection, for setting up test data.
pub async fn admin(url: &DatabaseUrl, database: Option<&str>) -> Conn {
    let password = std::env::var(URL_VAR)
        .ok()
        .and_then(|text| ::url::Url::parse(&text).ok())
        .and_then(|u| u.password().map(percent_decode));
    let opts = OptsBuilder::default()
        .ip_or_hostname(url.host())
        .tcp_port(url.port())
        .user(Some(url.user()))
        .pass(password)
        .db_name(database)
        .prefer_socket(false);
    Conn::new(opts)
        .await
        .unwrap_or_else(|e| panic!("admin connection to {url}: {e}"))
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match (
            bytes[i],
            text.get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok()),
        ) {
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 3;
            }
            (byte, _) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

pub async fn exec(conn: &mut Conn, sql: &str) {
    conn.query_drop(sql)
        .await
        .unwrap_or_else(|e| panic!("{e}\nin: {sql}"));
}

/// Creates `name` (utf8mb4 / utf8mb4_general_ci, as the reference's
/// fixtures) and runs the scenarios' DDL in it.
pub async fn create_database(url: &DatabaseUrl, name: &str, server: &str, scenarios: &[&str]) {
    let mut conn = admin(url, None).await;
    exec(
        &mut conn,
        &format!("CREATE DATABASE `{name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci"),
    )
    .await;
    exec(&mut conn, &format!("USE `{name}`")).await;
    // The reference's rows were taken with explicit_defaults_for_timestamp=ON.
    exec(
        &mut conn,
        "SET SESSION explicit_defaults_for_timestamp = ON",
    )
    .await;
    for scenario in scenarios {
        for statement in statements(&scenario_ddl(server, scenario)) {
            exec(&mut conn, &statement).await;
        }
    }
    let _ = conn.disconnect().await;
}

pub async fn drop_database(url: &DatabaseUrl, name: &str) {
    let mut conn = admin(url, None).await;
    exec(&mut conn, &format!("DROP DATABASE IF EXISTS `{name}`")).await;
    let _ = conn.disconnect().await;
}
