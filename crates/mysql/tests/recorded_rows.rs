//! Servers we cannot run here, pinned by their information_schema rows.
//!
//! `tests/fixtures/<server>/<scenario>/rows.json` holds the catalog rows of
//! one scenario (`schema.sql` beside it) with a `provenance` naming server,
//! version and source: MariaDB 10.11 rows are recorded live
//! (`tests/record_fixtures.rs`); MySQL 8.0 rows are the documented rows of
//! shared/reference/mysql-introspection.md §7, with their source tags; MySQL
//! 5.7 / 8.4, TiDB and Vitess (PlanetScale) rows are derived from them by
//! `tests/fixtures/derive.py`, changing only what the reference documents.
//! Every fixture goes through the same `interpret` as live rows.

use driftwatch_model::{
    ColumnType, DefaultValue, FkAction, Flavor, ForeignKey, Index, IntSize, Table, Vendor,
};
use driftwatch_mysql::rows::CatalogRows;
use driftwatch_mysql::{InspectOptions, Interpreted, interpret};

mod common;

fn load(server: &str, scenario: &str) -> (CatalogRows, Flavor) {
    let path = common::fixtures_dir()
        .join(server)
        .join(scenario)
        .join("rows.json");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let rows: CatalogRows =
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    assert!(
        rows.provenance.is_some(),
        "{} has no provenance",
        path.display()
    );
    let flavor = Flavor::identify(
        &rows.server.version,
        rows.server.version_comment.as_deref().unwrap_or(""),
    );
    (rows, flavor)
}

fn read(server: &str, scenario: &str) -> Interpreted {
    let (rows, flavor) = load(server, scenario);
    interpret(&rows, &flavor, &InspectOptions::default())
}

fn mysql8(scenario: &str) -> Interpreted {
    read("mysql-8.0", scenario)
}

fn mariadb(scenario: &str) -> Interpreted {
    read("mariadb-10.11", scenario)
}

fn table<'a>(model: &'a Interpreted, name: &str) -> &'a Table {
    model
        .schema
        .table(name)
        .unwrap_or_else(|| panic!("no table `{name}` in {:#?}", model.schema))
}

fn default_of(model: &Interpreted, table_name: &str, column: &str) -> Option<DefaultValue> {
    table(model, table_name)
        .column(column)
        .unwrap_or_else(|| panic!("no column {table_name}.{column}"))
        .default
        .clone()
}

fn fk<'a>(model: &'a Interpreted, table_name: &str, name: &str) -> &'a ForeignKey {
    table(model, table_name)
        .foreign_keys
        .iter()
        .find(|f| f.name == name)
        .unwrap_or_else(|| panic!("no foreign key {name}"))
}

/// Both flavours read the same DDL into the same Model; on failure, says
/// which column (or object) differs.
fn assert_agree(scenario: &str) {
    let my = mysql8(scenario);
    let maria = mariadb(scenario);
    assert!(
        my.diagnostics.is_empty(),
        "MySQL 8 diagnostics: {:#?}",
        my.diagnostics
    );
    assert!(
        maria.diagnostics.is_empty(),
        "MariaDB diagnostics: {:#?}",
        maria.diagnostics
    );
    for (a, b) in my.schema.tables.iter().zip(&maria.schema.tables) {
        assert_eq!(a.name, b.name, "{scenario}: table names differ");
        for (ca, cb) in a.columns.iter().zip(&b.columns) {
            assert_eq!(
                ca, cb,
                "{scenario}: column {}.{} (MySQL 8 left, MariaDB right)",
                a.name, ca.name
            );
        }
        assert_eq!(
            a, b,
            "{scenario}: table {} (MySQL 8 left, MariaDB right)",
            a.name
        );
    }
    assert_eq!(my.schema, maria.schema, "{scenario}: schemas differ");
}

#[test]
fn every_fixture_has_provenance_and_interprets_without_diagnostics() {
    let dir = common::fixtures_dir();
    let mut count = 0;
    for server in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{e}")) {
        let server = server.unwrap_or_else(|e| panic!("{e}"));
        // `drizzle/` holds the Drizzle schemas of the flavour suites, not rows.
        if !server.path().is_dir() || server.file_name() == "drizzle" {
            continue;
        }
        let server = server.file_name();
        let server = server.to_string_lossy();
        for scenario in std::fs::read_dir(dir.join(&*server)).unwrap_or_else(|e| panic!("{e}")) {
            let scenario = scenario.unwrap_or_else(|e| panic!("{e}")).file_name();
            let model = read(&server, &scenario.to_string_lossy());
            assert!(
                model.diagnostics.is_empty(),
                "{server}/{}: {:#?}",
                scenario.to_string_lossy(),
                model.diagnostics
            );
            count += 1;
        }
    }
    assert!(count >= 70, "only {count} fixtures found");
}

#[test]
fn fixture_servers_are_identified_as_their_flavour() {
    assert_eq!(load("mysql-8.0", "f02_integers").1.vendor, Vendor::Mysql);
    assert_eq!(load("mysql-8.4", "f02_integers").1.version.0, 8);
    assert_eq!(
        load("mariadb-10.11", "f02_integers").1.vendor,
        Vendor::Mariadb
    );
}

// --- Same DDL, same Model (reference §7 F01–F10) ---

#[test]
fn mysql8_and_mariadb_agree_on_f01_serial() {
    assert_agree("f01_serial");
}

#[test]
fn mysql8_and_mariadb_agree_on_f02_integers() {
    assert_agree("f02_integers");
}

#[test]
fn mysql8_and_mariadb_agree_on_f03_strings() {
    assert_agree("f03_strings");
}

#[test]
fn mysql8_and_mariadb_agree_on_f04_numeric() {
    assert_agree("f04_numeric");
}

#[test]
fn mysql8_and_mariadb_agree_on_f05_temporal() {
    assert_agree("f05_temporal");
}

#[test]
fn mysql8_and_mariadb_agree_on_f06_enums() {
    assert_agree("f06_enums");
}

#[test]
fn mysql8_and_mariadb_agree_on_f07_json() {
    assert_agree("f07_json");
}

#[test]
fn mysql8_and_mariadb_agree_on_f08_expression_defaults() {
    assert_agree("f08_expression_defaults");
}

#[test]
fn mysql8_and_mariadb_agree_on_f09_generated() {
    assert_agree("f09_generated");
}

#[test]
fn mysql8_and_mariadb_agree_on_f10_charsets() {
    assert_agree("f10_charsets");
}

// --- MySQL 8 facts ---

#[test]
fn mysql8_int_without_display_width_is_int() {
    let model = mysql8("f02_integers");
    let column = table(&model, "f02_ints").column("a").map(|c| c.ty.clone());
    assert_eq!(
        column,
        Some(ColumnType::Integer {
            size: IntSize::Int,
            unsigned: false,
            zerofill_width: None
        })
    );
}

#[test]
fn mysql8_signed_tinyint_1_is_boolean_and_unsigned_tinyint_is_not() {
    let model = mysql8("f02_integers");
    let t = table(&model, "f02_ints");
    assert_eq!(t.column("d").map(|c| &c.ty), Some(&ColumnType::Boolean));
    assert!(matches!(
        t.column("f").map(|c| &c.ty),
        Some(ColumnType::Integer {
            size: IntSize::Tiny,
            unsigned: true,
            ..
        })
    ));
}

#[test]
fn mysql8_default_generated_current_timestamp_is_current_timestamp() {
    let model = mysql8("f05_temporal");
    assert_eq!(
        default_of(&model, "f05_temporal", "ts"),
        Some(DefaultValue::CurrentTimestamp { fsp: 0 })
    );
    let ts3 = table(&model, "f05_temporal").column("ts3");
    assert_eq!(ts3.map(|c| c.on_update_now), Some(true));
    assert_eq!(
        ts3.and_then(|c| c.default.clone()),
        Some(DefaultValue::CurrentTimestamp { fsp: 3 })
    );
}

#[test]
fn mysql8_now_expression_default_is_current_timestamp() {
    assert_eq!(
        default_of(&mysql8("f05_temporal"), "f05_temporal", "dz"),
        Some(DefaultValue::CurrentTimestamp { fsp: 0 })
    );
}

#[test]
fn mysql8_on_update_without_default_is_read() {
    let model = mysql8("f05_temporal");
    let column = table(&model, "f05_temporal").column("ts_onupd_only");
    assert_eq!(
        column.map(|c| (c.on_update_now, c.default.clone())),
        Some((true, None))
    );
}

#[test]
fn mysql8_utf8mb4_introducer_text_default_is_literal_hello() {
    assert_eq!(
        default_of(&mysql8("f08_expression_defaults"), "f08_exprdefaults", "e4"),
        Some(DefaultValue::Literal("hello".into()))
    );
}

#[test]
fn mysql8_raw_literal_defaults_are_taken_verbatim() {
    let model = mysql8("f03_strings");
    assert_eq!(
        default_of(&model, "f03_strings", "s3"),
        Some(DefaultValue::Literal("it's".into()))
    );
    assert_eq!(
        default_of(&model, "f03_strings", "s9"),
        Some(DefaultValue::Literal(r"a\b".into()))
    );
    assert_eq!(
        default_of(&model, "f03_strings", "s8"),
        Some(DefaultValue::Literal("NULL".into()))
    );
}

#[test]
fn mysql8_hex_binary_default_is_the_padded_mariadb_literal() {
    assert_eq!(
        default_of(&mysql8("f03_strings"), "f03_strings", "s11"),
        default_of(&mariadb("f03_strings"), "f03_strings", "s11")
    );
    assert_eq!(
        default_of(&mysql8("f03_strings"), "f03_strings", "s11"),
        Some(DefaultValue::Literal("ab".into()))
    );
}

#[test]
fn mysql8_json_type_is_json() {
    let model = mysql8("f07_json");
    let t = table(&model, "f07_json");
    assert_eq!(t.column("j1").map(|c| &c.ty), Some(&ColumnType::Json));
    assert_eq!(
        t.column("j3").and_then(|c| c.default.clone()),
        Some(DefaultValue::Literal("[]".into()))
    );
}

#[test]
fn mysql8_unspecified_fk_action_is_no_action() {
    let model = mysql8("f12_foreign_keys");
    let other = fk(&model, "f12_child", "f12_child_other_id_fk");
    assert_eq!(
        (other.on_delete, other.on_update),
        (FkAction::NoAction, FkAction::NoAction)
    );
}

#[test]
fn mysql8_no_action_equals_mariadb_restrict_for_unspecified_fk_actions() {
    let my = mysql8("f12_foreign_keys");
    let maria = mariadb("f12_foreign_keys");
    for (table_name, name) in [
        ("f12_child", "f12_child_other_id_fk"),
        ("f12_child", "f12_child_parent_id_f12_parent_id_fk"),
        ("f12_child", "f12_child_pcode_fk"),
        ("f12_unnamed_fk", "f12_unnamed_fk_ibfk_1"),
    ] {
        let a = fk(&my, table_name, name);
        let b = fk(&maria, table_name, name);
        assert!(a.same_definition(b), "{name}: {a:?} vs {b:?}");
    }
    assert_eq!(
        fk(&maria, "f12_child", "f12_child_other_id_fk").on_delete,
        FkAction::Restrict
    );
}

#[test]
fn mysql8_and_mariadb_keep_the_same_fk_helper_indexes() {
    let names = |model: &Interpreted| -> Vec<String> {
        model
            .schema
            .tables
            .iter()
            .flat_map(|t| {
                t.indexes
                    .iter()
                    .map(move |i| format!("{}.{}", t.name, i.name))
            })
            .collect()
    };
    let my = names(&mysql8("f12_foreign_keys"));
    assert_eq!(my, names(&mariadb("f12_foreign_keys")));
    assert!(
        my.contains(&"f12_unnamed_fk.parent_id".to_string()),
        "{my:?}"
    );
}

#[test]
fn mysql8_checks_are_mapped_to_tables_via_table_constraints() {
    let model = mysql8("f13_checks");
    let names: Vec<&str> = table(&model, "f13_checks")
        .checks
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    assert_eq!(
        names,
        [
            "age_check",
            "f13_checks_chk_1",
            "f13_checks_chk_2",
            "name_chk"
        ]
    );
}

#[test]
fn mysql8_and_mariadb_agree_on_single_comparison_check_clauses() {
    let expression = |model: &Interpreted, name: &str| {
        table(model, "f13_checks")
            .checks
            .iter()
            .find(|c| c.name == name)
            .map(|c| c.expression.clone())
            .unwrap_or_else(|| panic!("no check {name}"))
    };
    let (my, maria) = (mysql8("f13_checks"), mariadb("f13_checks"));
    assert_eq!(
        expression(&my, "f13_checks_chk_2"),
        expression(&maria, "CONSTRAINT_1")
    );
    assert_eq!(
        expression(&my, "f13_checks_chk_1"),
        expression(&maria, "status")
    );
    assert_eq!(expression(&my, "name_chk"), expression(&maria, "name_chk"));
    assert_eq!(expression(&my, "name_chk"), "status <> 'it''s'");
}

#[test]
fn mysql8_parenthesized_boolean_operands_read_like_mariadb() {
    let find = |model: &Interpreted| {
        table(model, "f13_checks")
            .checks
            .iter()
            .find(|c| c.name == "age_check")
            .map(|c| c.expression.clone())
    };
    assert_eq!(find(&mysql8("f13_checks")), find(&mariadb("f13_checks")));
}

#[test]
fn mysql8_functional_index_part_is_an_expression() {
    let model = mysql8("f11_indexes");
    let index = table(&model, "f11_indexes").index("idx_lower").cloned();
    let part = index.as_ref().and_then(|i| i.parts.first());
    assert_eq!(
        part.map(|p| (p.column.as_str(), p.is_expression)),
        Some(("lower(e)", true))
    );
}

#[test]
fn mysql8_invisible_index_is_still_an_index() {
    let model = mysql8("f11_indexes");
    let index: Option<&Index> = table(&model, "f11_indexes").index("idx_e_ignored");
    assert_eq!(index.map(Index::column_names), Some(vec!["e"]));
}

#[test]
fn mysql8_and_mariadb_agree_on_f11_indexes_they_both_have() {
    let (my, maria) = (mysql8("f11_indexes"), mariadb("f11_indexes"));
    let maria_table = table(&maria, "f11_indexes");
    for index in &table(&my, "f11_indexes").indexes {
        if index.name == "idx_lower" {
            continue;
        }
        assert_eq!(
            Some(index),
            maria_table.index(&index.name),
            "index {}",
            index.name
        );
    }
}

// --- MySQL 8.4 ---

#[test]
fn mysql8_4_reads_integers_like_mysql8_0() {
    assert_eq!(
        read("mysql-8.4", "f02_integers").schema,
        mysql8("f02_integers").schema
    );
}

#[test]
fn mysql8_4_unspecified_fk_action_is_no_action() {
    let model = read("mysql-8.4", "f12_foreign_keys");
    assert_eq!(
        fk(&model, "f12_unnamed_fk", "f12_unnamed_fk_ibfk_1").on_update,
        FkAction::NoAction
    );
}

// --- Server identity ---

#[test]
fn fixture_servers_have_their_flavour_labels() {
    for (server, label) in [
        ("mariadb-10.11", "mariadb 10.11"),
        ("mysql-5.7", "mysql 5.7"),
        ("mysql-8.0", "mysql 8.0"),
        ("mysql-8.4", "mysql 8.4+"),
        ("tidb", "tidb 7.5"),
        ("vitess", "vitess (planetscale)"),
    ] {
        assert_eq!(load(server, "f01_serial").1.label(), label, "{server}");
    }
}

#[test]
fn server_row_with_aurora_version_is_aurora_mysql() {
    let (rows, _) = load("mysql-8.0", "f01_serial");
    let mut server = rows.server.clone();
    server.version = "8.0.28".into();
    server.aurora_version = Some("3.04.0".into());
    let flavor = server.flavor();
    assert_eq!(
        (flavor.name(), flavor.label().as_str()),
        ("mysql", "aurora mysql 3.04 (mysql 8.0)")
    );
}

// --- MySQL 5.7 ---

fn mysql57(scenario: &str) -> Interpreted {
    read("mysql-5.7", scenario)
}

#[test]
fn mysql5_7_and_mysql8_agree_on_what_both_can_declare() {
    for scenario in [
        "f01_serial",
        "f02_integers",
        "f03_strings",
        "f04_numeric",
        "f06_enums",
        "f10_charsets",
    ] {
        assert_eq!(
            mysql57(scenario).schema,
            mysql8(scenario).schema,
            "{scenario}"
        );
    }
}

#[test]
fn mysql5_7_display_widths_are_not_part_of_the_type() {
    let column = |model: &Interpreted, name: &str| {
        table(model, "f02_ints")
            .column(name)
            .map(|c| c.ty.clone())
            .unwrap_or_else(|| panic!("{name}"))
    };
    let (old, new) = (mysql57("f02_integers"), mysql8("f02_integers"));
    for name in ["id", "a", "c", "h", "i", "j", "l"] {
        assert_eq!(column(&old, name), column(&new, name), "{name}");
    }
    assert_eq!(column(&old, "d"), ColumnType::Boolean);
}

#[test]
fn mysql5_7_utf8_charset_is_utf8mb3() {
    let model = mysql57("f10_charsets");
    let c4 = table(&model, "f10_charsets").column("c4");
    assert_eq!(
        c4.map(|c| (c.charset.as_deref(), c.collation.as_deref())),
        Some((Some("utf8mb3"), Some("utf8mb3_general_ci")))
    );
}

#[test]
fn mysql5_7_current_timestamp_without_default_generated_is_now() {
    let model = mysql57("f05_temporal");
    for name in ["ts", "dz"] {
        assert_eq!(
            default_of(&model, "f05_temporal", name),
            Some(DefaultValue::CurrentTimestamp { fsp: 0 }),
            "{name}"
        );
    }
    let ts3 = table(&model, "f05_temporal").column("ts3");
    assert_eq!(ts3.map(|c| c.on_update_now), Some(true));
}

#[test]
fn mysql5_7_unspecified_fk_action_is_restrict_like_mariadb() {
    let model = mysql57("f12_foreign_keys");
    let other = fk(&model, "f12_child", "f12_child_other_id_fk");
    assert_eq!(
        (other.on_delete, other.on_update),
        (FkAction::Restrict, FkAction::Restrict)
    );
    assert!(other.same_definition(fk(
        &mysql8("f12_foreign_keys"),
        "f12_child",
        "f12_child_other_id_fk"
    )));
}

#[test]
fn mysql5_7_has_no_check_constraints_query() {
    let (_, flavor) = load("mysql-5.7", "f01_serial");
    assert!(driftwatch_mysql::catalog::check_constraints_query(&flavor).is_none());
}

// --- TiDB ---

fn tidb(scenario: &str) -> Interpreted {
    read("tidb", scenario)
}

#[test]
fn tidb_reads_integers_strings_and_enums_like_mysql8() {
    for scenario in ["f01_serial", "f02_integers", "f06_enums"] {
        assert_eq!(tidb(scenario).schema, mysql8(scenario).schema, "{scenario}");
    }
}

#[test]
fn tidb_default_generated_on_update_without_default_is_no_default() {
    let model = tidb("f05_temporal");
    let mysql = mysql8("f05_temporal");
    let column = table(&model, "f05_temporal").column("ts_onupd_only");
    assert_eq!(
        column.map(|c| (c.on_update_now, c.default.clone())),
        Some((true, None))
    );
    assert_eq!(
        column,
        table(&mysql, "f05_temporal").column("ts_onupd_only")
    );
}

#[test]
fn tidb_raw_byte_bit_defaults_are_numbers() {
    let model = tidb("f04_numeric");
    assert_eq!(
        default_of(&model, "f04_numeric", "n15"),
        Some(DefaultValue::Number("5".into()))
    );
    assert_eq!(
        default_of(&model, "f04_numeric", "n15"),
        default_of(&mysql8("f04_numeric"), "f04_numeric", "n15")
    );
}

#[test]
fn tidb_unnamed_fk_is_fk_1_with_a_helper_index_of_the_same_name() {
    let model = tidb("f12_foreign_keys");
    let unnamed = fk(&model, "f12_unnamed_fk", "fk_1");
    assert_eq!(unnamed.columns, ["parent_id"]);
    assert!(table(&model, "f12_unnamed_fk").index("fk_1").is_some());
}

// --- Vitess / PlanetScale ---

fn vitess(scenario: &str) -> Interpreted {
    read("vitess", scenario)
}

#[test]
fn planetscale_constraint_suffixes_are_stripped_from_fk_and_check_names() {
    assert_eq!(
        vitess("f12_foreign_keys").schema,
        mysql8("f12_foreign_keys").schema
    );
    assert_eq!(vitess("f13_checks").schema, mysql8("f13_checks").schema);
}

#[test]
fn planetscale_rows_carry_the_suffixed_names() {
    let (rows, _) = load("vitess", "f13_checks");
    assert!(
        rows.check_constraints
            .iter()
            .all(|c| c.constraint_name.len() > 26),
        "{:?}",
        rows.check_constraints
    );
}

#[test]
fn vitess_physical_schema_name_in_key_column_usage_is_not_a_cross_database_reference() {
    let model = vitess("f12_foreign_keys");
    assert_eq!(
        fk(&model, "f12_child", "f12_child_pcode_fk").referenced_table,
        "f12_parent"
    );
}

#[test]
fn vitess_reads_every_mysql8_scenario_like_mysql8() {
    for scenario in [
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
    ] {
        assert_eq!(
            vitess(scenario).schema,
            mysql8(scenario).schema,
            "{scenario}"
        );
    }
}
