//! driftwatch.toml environments: the URL comes from `${VAR}`, `production`
//! raises data-at-risk drift to critical, `expect_database` refuses any other
//! database, and `[severity]` overrides a kind.

mod common;

use common::{TestDb, driftwatch, shop_dir, stderr, stdout};

/// Writes driftwatch.toml into `dir` and returns its path for `--config`.
fn settings(dir: &std::path::Path, text: &str) -> String {
    let path = dir.join("driftwatch.toml");
    std::fs::write(&path, text).expect("write driftwatch.toml");
    path.to_string_lossy().into_owned()
}

fn narrowed_shop(server: &str, label: &str) -> TestDb {
    let db = TestDb::create(server, label);
    db.apply_migrations(&shop_dir().join("drizzle/migrations"));
    db.exec_one("ALTER TABLE users MODIFY display_name varchar(80) NOT NULL");
    db.exec_one("CREATE INDEX products_name_hotfix_idx ON products (name)");
    db
}

fn severities(output: &std::process::Output) -> Vec<(String, String)> {
    let report: serde_json::Value = serde_json::from_str(&stdout(output))
        .unwrap_or_else(|e| panic!("{e}: {}{}", stdout(output), stderr(output)));
    report["drifts"]
        .as_array()
        .map(|d| {
            d.iter()
                .map(|f| {
                    (
                        f["kind"].as_str().unwrap_or_default().to_string(),
                        f["severity"].as_str().unwrap_or_default().to_string(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn production_environment_makes_a_narrowed_column_critical() {
    let Some(server) = common::server_url() else {
        return;
    };
    let db = narrowed_shop(&server, "env_prod");
    let dir = tempfile::tempdir().expect("tempdir");
    let config = settings(
        dir.path(),
        "[environments.production]\nurl = \"${SHOP_PROD_URL}\"\nproduction = true\n\n[environments.staging]\nurl = \"${SHOP_PROD_URL}\"\n",
    );
    let env = [("SHOP_PROD_URL", db.url())];
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let prod = driftwatch(
        &[
            "validate",
            "--config",
            &config,
            "--env",
            "production",
            "--format",
            "json",
        ],
        &shop_dir(),
        &env,
    );
    assert_eq!(prod.status.code(), Some(1));
    assert!(severities(&prod).contains(&("column_type_mismatch".into(), "critical".into())));
    let staging = driftwatch(
        &[
            "validate", "--config", &config, "--env", "staging", "--format", "json",
        ],
        &shop_dir(),
        &env,
    );
    assert!(severities(&staging).contains(&("column_type_mismatch".into(), "high".into())));
}

#[test]
fn severity_override_changes_a_kind() {
    let Some(server) = common::server_url() else {
        return;
    };
    let db = narrowed_shop(&server, "env_override");
    let dir = tempfile::tempdir().expect("tempdir");
    let config = settings(dir.path(), "[severity]\nindex_extra_in_db = \"low\"\n");
    let output = driftwatch(
        &[
            "validate",
            "--config",
            &config,
            "--url",
            &db.url(),
            "--format",
            "json",
        ],
        &shop_dir(),
        &[],
    );
    assert!(severities(&output).contains(&("index_extra_in_db".into(), "low".into())));
}

#[test]
fn expect_database_refuses_another_database() {
    let Some(server) = common::server_url() else {
        return;
    };
    let db = narrowed_shop(&server, "env_expect");
    let dir = tempfile::tempdir().expect("tempdir");
    let config = settings(
        dir.path(),
        &format!(
            "[environments.production]\nurl = \"{}\"\nexpect_database = \"app\"\n",
            db.url()
        ),
    );
    let output = driftwatch(
        &["validate", "--config", &config, "--env", "production"],
        &shop_dir(),
        &[],
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("expects `app`"),
        "{}",
        stderr(&output)
    );
    assert!(!stderr(&output).contains("driftwatch-dev-secret"));
}

#[test]
fn unknown_environment_exits_2_and_lists_the_defined_ones() {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = settings(
        dir.path(),
        "[environments.staging]\nurl = \"mysql://u:p@127.0.0.1:9/app\"\n",
    );
    let output = driftwatch(
        &["validate", "--config", &config, "--env", "prod"],
        &shop_dir(),
        &[],
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("staging"), "{}", stderr(&output));
}

#[test]
fn unset_variable_in_environment_url_exits_2_naming_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = settings(
        dir.path(),
        "[environments.prod]\nurl = \"${DW_SURELY_UNSET_VAR}\"\n",
    );
    let output = driftwatch(
        &["validate", "--config", &config, "--env", "prod"],
        &shop_dir(),
        &[],
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output).contains("DW_SURELY_UNSET_VAR"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn ignored_tables_are_not_compared() {
    let Some(server) = common::server_url() else {
        return;
    };
    let db = TestDb::create(&server, "env_ignore");
    db.apply_migrations(&shop_dir().join("drizzle/migrations"));
    db.exec_one("CREATE TABLE _orders_gho (id int PRIMARY KEY)");
    let dir = tempfile::tempdir().expect("tempdir");
    let config = settings(dir.path(), "[ignore]\ntables = [\"_*_gho\"]\n");
    let output = driftwatch(
        &["validate", "--config", &config, "--url", &db.url()],
        &shop_dir(),
        &[],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stdout(&output));
}

#[test]
fn an_environment_severity_section_overrides_the_global_one_for_that_environment() {
    let Some(server) = common::server_url() else {
        return;
    };
    let db = narrowed_shop(&server, "env_severity");
    let dir = tempfile::tempdir().expect("tempdir");
    let config = settings(
        dir.path(),
        "[severity]\ncolumn_type_mismatch = \"medium\"\n\n\
         [environments.staging]\nurl = \"${SHOP_URL}\"\n\n\
         [environments.staging.severity]\ncolumn_type_mismatch = \"low\"\n\n\
         [environments.qa]\nurl = \"${SHOP_URL}\"\n",
    );
    let env = [("SHOP_URL", db.url())];
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let run = |environment: &str| {
        driftwatch(
            &[
                "validate",
                "--config",
                &config,
                "--env",
                environment,
                "--format",
                "json",
            ],
            &shop_dir(),
            &env,
        )
    };
    assert!(severities(&run("staging")).contains(&("column_type_mismatch".into(), "low".into())));
    assert!(severities(&run("qa")).contains(&("column_type_mismatch".into(), "medium".into())));
}

#[test]
fn an_unknown_kind_in_an_environment_severity_section_is_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = settings(
        dir.path(),
        "[environments.staging]\nurl = \"mysql://u:p@127.0.0.1:1/x\"\n\n\
         [environments.staging.severity]\ncolumn_gone = \"low\"\n",
    );
    let output = driftwatch(
        &["validate", "--config", &config, "--env", "staging"],
        &shop_dir(),
        &[],
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(
        stderr(&output)
            .contains("[environments.staging.severity]: unknown drift kind `column_gone`"),
        "{}",
        stderr(&output)
    );
}
