//! Per-flavour acceptance suite: for every server flavour driftwatch knows
//! and every scenario a Drizzle schema can express, the recorded
//! information_schema rows (`crates/mysql/tests/fixtures/<flavour>/<scenario>/rows.json`)
//! read through `driftwatch_mysql::interpret`, and the Drizzle equivalent of
//! the scenario's DDL read through `driftwatch_drizzle::read_schema`, give
//! **zero drift**. Then one-property changes to the recorded rows (a shorter
//! varchar, a flipped IS_NULLABLE, a dropped unique index, …) must each give
//! **exactly one drift of the right kind**, on every flavour where the object
//! exists.
//!
//! The Drizzle schema of a scenario is `fixtures/<flavour>/<scenario>/schema.ts`
//! when the flavour needs its own (server-generated names, DDL the server
//! rejects), else the shared `fixtures/drizzle/<scenario>.ts`.
//!
//! Nothing here weakens the diff: a scenario a flavour cannot have is listed
//! in [`SKIPPED`] with the reason, and an object no Drizzle schema can declare
//! is listed in [`NOT_DECLARABLE`] and taken out of the database side only.

use std::path::{Path, PathBuf};

use driftwatch_diff::{Drift, DriftKind, diff};
use driftwatch_drizzle::{ReadOptions, read_schema};
use driftwatch_model::{Flavor, Schema};
use driftwatch_mysql::rows::{CatalogRows, ColumnsRow, StatisticsRow, TablesRow, Text};
use driftwatch_mysql::{InspectOptions, interpret};

/// The flavours with recorded rows (directory names under `fixtures/`).
const FLAVOURS: &[&str] = &[
    "mariadb-10.11",
    "mysql-5.7",
    "mysql-8.0",
    "mysql-8.4",
    "tidb",
    "vitess",
];

/// The scenarios a Drizzle schema can express (reference §7 F01–F13; F14
/// comments/invisible columns and F15 views are outside mysql-core's column
/// model and MariaDB-only fixtures).
const SCENARIOS: &[&str] = &[
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
];

/// (flavour, scenario, why the flavour has no such scenario).
const SKIPPED: &[(&str, &str, &str)] = &[
    (
        "mysql-5.7",
        "f08_expression_defaults",
        "MySQL 5.7 rejects expression defaults (they arrive in 8.0.13)",
    ),
    (
        "mysql-5.7",
        "f13_checks",
        "MySQL 5.7 parses CHECK and drops it: there is nothing to read; validate leaves the schema's checks out with a warning (quirks::check_support, reference §5.2)",
    ),
    (
        "tidb",
        "f08_expression_defaults",
        "TiDB accepts only a short list of expression defaults (no `(1 + 1)`, no column references) [TD]",
    ),
    (
        "tidb",
        "f09_generated",
        "TiDB's GENERATION_EXPRESSION text is not documented; no rows can be written without guessing (reference §9)",
    ),
    (
        "tidb",
        "f13_checks",
        "TiDB ignores CHECK unless tidb_enable_check_constraint=ON (default OFF) and driftwatch does not read them: validate lists the schema's checks as unverified (quirks::check_support, reference §5.2)",
    ),
];

/// An object of the recorded rows that no Drizzle mysql-core schema can
/// declare: taken out of the database side before diffing.
#[derive(Debug, Clone, Copy)]
enum Object {
    Column(&'static str),
    Index(&'static str),
}

/// (scenario, table, object, why).
const NOT_DECLARABLE: &[(&str, &str, Object, &str)] = &[
    (
        "f06_enums",
        "f06_enums",
        Object::Column("e3"),
        "enum member with a comma (`a,b`): drizzle-kit mangles it when it writes the type",
    ),
    (
        "f05_temporal",
        "f05_temporal",
        Object::Column("dtnow"),
        "ON UPDATE on a datetime: onUpdateNow() exists on timestamp only",
    ),
    (
        "f11_indexes",
        "f11_indexes",
        Object::Index("idx_c_prefix"),
        "prefix index: mysql-core has no key-part length",
    ),
    (
        "f11_indexes",
        "f11_indexes",
        Object::Index("idx_b_desc"),
        "DESC key part: mysql-core has no key-part order",
    ),
    (
        "f11_indexes",
        "f11_indexes",
        Object::Index("ft_d"),
        "FULLTEXT index: no mysql-core builder",
    ),
    (
        "f11_indexes",
        "f11_indexes",
        Object::Index("sp_g"),
        "SPATIAL index: no mysql-core builder",
    ),
    (
        "f11_indexes",
        "f11_indexes",
        Object::Index("idx_lower"),
        "functional key part (MySQL 8 only): kept out so that one Drizzle schema serves every flavour",
    ),
];

/// (scenario, fragment of a reader warning the scenario is known to raise).
/// Any other diagnostic fails the scenario: the Drizzle side must be read
/// exactly.
const EXPECTED_WARNINGS: &[(&str, &str)] = &[(
    "f03_strings",
    // `s9`: the value `a\b` needs doubled backslashes in TypeScript; the
    // reader says so whenever a string default holds a backslash.
    "without escaping its backslashes",
)];

// ---------------------------------------------------------------------------
// Loading
// ---------------------------------------------------------------------------

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../mysql/tests/fixtures")
}

fn skip_reason(flavour: &str, scenario: &str) -> Option<&'static str> {
    SKIPPED
        .iter()
        .find(|(f, s, _)| *f == flavour && *s == scenario)
        .map(|(_, _, why)| *why)
}

/// The (flavour, scenario) pairs the suite runs.
fn cases() -> Vec<(&'static str, &'static str)> {
    FLAVOURS
        .iter()
        .flat_map(|f| SCENARIOS.iter().map(move |s| (*f, *s)))
        .filter(|(f, s)| skip_reason(f, s).is_none())
        .collect()
}

fn load_rows(flavour: &str, scenario: &str) -> Result<(CatalogRows, Flavor), String> {
    let path = fixtures_dir()
        .join(flavour)
        .join(scenario)
        .join("rows.json");
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let rows: CatalogRows =
        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    let flavor = rows.server.flavor();
    Ok((rows, flavor))
}

fn drizzle_schema_path(flavour: &str, scenario: &str) -> PathBuf {
    let own = fixtures_dir()
        .join(flavour)
        .join(scenario)
        .join("schema.ts");
    if own.is_file() {
        own
    } else {
        fixtures_dir()
            .join("drizzle")
            .join(format!("{scenario}.ts"))
    }
}

/// The expected Model: the scenario's Drizzle schema, read exactly.
fn expected(flavour: &str, scenario: &str) -> Result<Schema, String> {
    let path = drizzle_schema_path(flavour, scenario);
    let options = ReadOptions {
        casing: None,
        root: fixtures_dir(),
    };
    let read = read_schema(std::slice::from_ref(&path), &options);
    let unexpected: Vec<_> = read
        .diagnostics
        .iter()
        .filter(|d| {
            d.is_error()
                || !EXPECTED_WARNINGS
                    .iter()
                    .any(|(s, fragment)| *s == scenario && d.message.contains(fragment))
        })
        .collect();
    if !unexpected.is_empty() || !read.incomplete_tables.is_empty() {
        return Err(format!(
            "{} is not read exactly: {unexpected:#?}",
            path.display()
        ));
    }
    Ok(read.schema)
}

/// The actual Model: the rows through `interpret`, without diagnostics, minus
/// what no Drizzle schema can declare.
fn actual(scenario: &str, rows: &CatalogRows, flavor: &Flavor) -> Result<Schema, String> {
    let read = interpret(rows, flavor, &InspectOptions::default());
    if !read.diagnostics.is_empty() {
        return Err(format!("interpret diagnostics: {:#?}", read.diagnostics));
    }
    let mut schema = read.schema;
    for (_, table_name, object, _) in NOT_DECLARABLE.iter().filter(|n| n.0 == scenario) {
        if let Some(table) = schema.tables.iter_mut().find(|t| t.name == *table_name) {
            match object {
                Object::Column(name) => table.columns.retain(|c| c.name != *name),
                Object::Index(name) => table.indexes.retain(|i| i.name != *name),
            }
        }
    }
    Ok(schema)
}

fn drifts_of(flavour: &str, scenario: &str, rows: &CatalogRows) -> Result<Vec<Drift>, String> {
    let flavor = rows.server.flavor();
    let expected = expected(flavour, scenario)?;
    let actual = actual(scenario, rows, &flavor)?;
    Ok(diff(&expected, &actual))
}

fn describe(drifts: &[Drift]) -> String {
    drifts
        .iter()
        .map(|d| format!("    {} {}: {}", d.kind.name(), d.table, d.message))
        .collect::<Vec<_>>()
        .join("\n")
}

// ---------------------------------------------------------------------------
// Zero drift: recorded rows vs the scenario's Drizzle schema
// ---------------------------------------------------------------------------

/// Every scenario of `flavour` gives zero drift; a failure names each
/// scenario and its drifts.
fn assert_zero_drift(flavour: &str) {
    let mut failures = Vec::new();
    let mut ran = 0;
    for (_, scenario) in cases().into_iter().filter(|(f, _)| *f == flavour) {
        ran += 1;
        let outcome =
            load_rows(flavour, scenario).and_then(|(rows, _)| drifts_of(flavour, scenario, &rows));
        match outcome {
            Ok(drifts) if drifts.is_empty() => {}
            Ok(drifts) => failures.push(format!("  {flavour}/{scenario}:\n{}", describe(&drifts))),
            Err(error) => failures.push(format!("  {flavour}/{scenario}: {error}")),
        }
    }
    assert!(ran > 0, "{flavour}: no scenario ran");
    assert!(
        failures.is_empty(),
        "{} of {ran} {flavour} scenarios are not drift-free:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn mariadb_10_11_recorded_rows_match_their_drizzle_schemas() {
    assert_zero_drift("mariadb-10.11");
}

#[test]
fn mysql_5_7_documented_rows_match_their_drizzle_schemas() {
    assert_zero_drift("mysql-5.7");
}

#[test]
fn mysql_8_0_documented_rows_match_their_drizzle_schemas() {
    assert_zero_drift("mysql-8.0");
}

#[test]
fn mysql_8_4_documented_rows_match_their_drizzle_schemas() {
    assert_zero_drift("mysql-8.4");
}

#[test]
fn tidb_documented_rows_match_their_drizzle_schemas() {
    assert_zero_drift("tidb");
}

#[test]
fn vitess_planetscale_documented_rows_match_their_drizzle_schemas() {
    assert_zero_drift("vitess");
}

#[test]
fn every_flavour_has_rows_for_every_scenario_it_does_not_skip() {
    let missing: Vec<String> = cases()
        .into_iter()
        .filter(|(f, s)| !fixtures_dir().join(f).join(s).join("rows.json").is_file())
        .map(|(f, s)| format!("{f}/{s}"))
        .collect();
    assert!(missing.is_empty(), "no rows.json for {missing:?}");
}

#[test]
fn every_skip_and_exclusion_names_a_known_flavour_and_scenario() {
    for (flavour, scenario, why) in SKIPPED {
        assert!(FLAVOURS.contains(flavour), "{flavour}");
        assert!(SCENARIOS.contains(scenario), "{scenario}");
        assert!(!why.is_empty());
    }
    for (scenario, _, _, why) in NOT_DECLARABLE {
        assert!(SCENARIOS.contains(scenario), "{scenario}");
        assert!(!why.is_empty());
    }
}

#[test]
fn fixture_servers_identify_as_their_flavour_label() {
    let expected = [
        ("mariadb-10.11", "mariadb 10.11"),
        ("mysql-5.7", "mysql 5.7"),
        ("mysql-8.0", "mysql 8.0"),
        ("mysql-8.4", "mysql 8.4+"),
        ("tidb", "tidb 7.5"),
        ("vitess", "vitess (planetscale)"),
    ];
    for (flavour, label) in expected {
        let (_, flavor) = load_rows(flavour, "f01_serial").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(flavor.label(), label, "{flavour}");
    }
}

// ---------------------------------------------------------------------------
// One-property changes: exactly one drift of the right kind
// ---------------------------------------------------------------------------

/// One change to the recorded rows. `apply` returns `None` when the flavour's
/// rows do not have the object (the mutation does not apply there).
struct Mutation {
    name: &'static str,
    scenario: &'static str,
    kind: DriftKind,
    apply: fn(&mut CatalogRows, &Flavor) -> Option<()>,
}

fn column<'a>(rows: &'a mut CatalogRows, table: &str, name: &str) -> Option<&'a mut ColumnsRow> {
    rows.columns
        .iter_mut()
        .find(|c| c.table_name == table && c.column_name == name)
        .map(|c| &mut **c)
}

/// A string literal default as the flavour's COLUMN_DEFAULT spells it
/// (MariaDB ≥ 10.2.7 quotes literals; MySQL, TiDB and Vitess do not).
fn literal_default(flavor: &Flavor, text: &str) -> String {
    if flavor.is_mariadb() {
        format!("'{}'", text.replace('\'', "''"))
    } else {
        text.to_string()
    }
}

/// Constraint names on Vitess carry a deploy suffix: match on the prefix.
fn is_constraint(name: &str, wanted: &str) -> bool {
    name == wanted
        || name
            .strip_prefix(wanted)
            .is_some_and(|rest| rest.len() == 26 && rest.starts_with('_'))
}

fn remove_fk(rows: &mut CatalogRows, table: &str, name: &str) -> Option<()> {
    let before = rows.key_column_usage.len();
    rows.key_column_usage
        .retain(|k| !(k.table_name == table && is_constraint(&k.constraint_name, name)));
    rows.referential_constraints
        .retain(|r| !(r.table_name == table && is_constraint(&r.constraint_name, name)));
    rows.table_constraints
        .retain(|c| !(c.table_name == table && is_constraint(&c.constraint_name, name)));
    (rows.key_column_usage.len() < before).then_some(())
}

fn remove_index(rows: &mut CatalogRows, table: &str, name: &str) -> Option<()> {
    let before = rows.statistics.len();
    rows.statistics
        .retain(|s| !(s.table_name == table && s.index_name == name));
    rows.table_constraints
        .retain(|c| !(c.table_name == table && c.constraint_name == name));
    (rows.statistics.len() < before).then_some(())
}

fn remove_table(rows: &mut CatalogRows, table: &str) -> Option<()> {
    let before = rows.tables.len();
    *rows = rows.only_tables(&|t| t != table);
    (rows.tables.len() < before).then_some(())
}

fn check_clause<'a>(rows: &'a mut CatalogRows, name: &str) -> Option<&'a mut Text> {
    rows.check_constraints
        .iter_mut()
        .find(|c| is_constraint(&c.constraint_name, name))
        .map(|c| &mut c.check_clause)
}

fn replace_in(text: &mut Text, from: &str, to: &str) -> Option<()> {
    text.contains(from)
        .then(|| *text = text.replace(from, to).into())
}

const MUTATIONS: &[Mutation] = &[
    Mutation {
        name: "varchar(255) becomes varchar(100)",
        scenario: "f03_strings",
        kind: DriftKind::ColumnTypeMismatch,
        apply: |rows, _| {
            replace_in(
                &mut column(rows, "f03_strings", "s1")?.column_type,
                "varchar(255)",
                "varchar(100)",
            )
        },
    },
    Mutation {
        name: "int unsigned becomes signed",
        scenario: "f02_integers",
        kind: DriftKind::ColumnTypeMismatch,
        apply: |rows, _| {
            replace_in(
                &mut column(rows, "f02_ints", "c")?.column_type,
                " unsigned",
                "",
            )
        },
    },
    Mutation {
        name: "enum gains a member",
        scenario: "f06_enums",
        kind: DriftKind::ColumnTypeMismatch,
        apply: |rows, _| {
            replace_in(
                &mut column(rows, "f06_enums", "e2")?.column_type,
                "'Published')",
                "'Published','Archived')",
            )
        },
    },
    Mutation {
        name: "decimal scale 2 becomes 3",
        scenario: "f04_numeric",
        kind: DriftKind::ColumnTypeMismatch,
        apply: |rows, _| {
            replace_in(
                &mut column(rows, "f04_numeric", "n9")?.column_type,
                "double(8,2)",
                "double(8,3)",
            )
        },
    },
    Mutation {
        name: "datetime(3) becomes datetime(6)",
        scenario: "f05_temporal",
        kind: DriftKind::ColumnTypeMismatch,
        apply: |rows, _| {
            replace_in(
                &mut column(rows, "f05_temporal", "dt3")?.column_type,
                "datetime(3)",
                "datetime(6)",
            )
        },
    },
    Mutation {
        name: "NOT NULL column becomes nullable",
        scenario: "f03_strings",
        kind: DriftKind::ColumnNullabilityMismatch,
        apply: |rows, _| {
            replace_in(
                &mut column(rows, "f03_strings", "s2")?.is_nullable,
                "NO",
                "YES",
            )
        },
    },
    Mutation {
        name: "nullable column becomes NOT NULL",
        scenario: "f02_integers",
        kind: DriftKind::ColumnNullabilityMismatch,
        apply: |rows, _| replace_in(&mut column(rows, "f02_ints", "h")?.is_nullable, "YES", "NO"),
    },
    Mutation {
        name: "string default changes",
        scenario: "f03_strings",
        kind: DriftKind::ColumnDefaultMismatch,
        apply: |rows, flavor| {
            column(rows, "f03_strings", "s1")?.column_default =
                Some(literal_default(flavor, "world").into());
            Some(())
        },
    },
    Mutation {
        name: "numeric default changes",
        scenario: "f02_integers",
        kind: DriftKind::ColumnDefaultMismatch,
        apply: |rows, _| {
            let c = column(rows, "f02_ints", "c")?;
            replace_in(c.column_default.as_mut()?, "42", "43")
        },
    },
    Mutation {
        name: "auto_increment is dropped",
        scenario: "f02_integers",
        kind: DriftKind::ColumnAutoincrementMismatch,
        apply: |rows, _| {
            replace_in(
                column(rows, "f02_ints", "id")?.extra.as_mut()?,
                "auto_increment",
                "",
            )
        },
    },
    Mutation {
        name: "ON UPDATE CURRENT_TIMESTAMP is dropped",
        scenario: "f05_temporal",
        kind: DriftKind::ColumnOnUpdateMismatch,
        apply: |rows, _| {
            let extra = column(rows, "f05_temporal", "ts3")?.extra.as_mut()?;
            let at = extra.to_ascii_lowercase().find("on update")?;
            extra.truncate(at);
            *extra = extra.trim().into();
            Some(())
        },
    },
    Mutation {
        name: "generation expression changes",
        scenario: "f09_generated",
        kind: DriftKind::ColumnGeneratedMismatch,
        apply: |rows, _| {
            replace_in(
                column(rows, "f09_generated", "total")?
                    .generation_expression
                    .as_mut()?,
                "*",
                "+",
            )
        },
    },
    Mutation {
        name: "column is dropped",
        scenario: "f03_strings",
        kind: DriftKind::ColumnMissingInDb,
        apply: |rows, _| {
            let before = rows.columns.len();
            rows.columns
                .retain(|c| !(c.table_name == "f03_strings" && c.column_name == "s13"));
            (rows.columns.len() < before).then_some(())
        },
    },
    Mutation {
        name: "column is added",
        scenario: "f03_strings",
        kind: DriftKind::ColumnExtraInDb,
        apply: |rows, _| {
            let mut extra = column(rows, "f03_strings", "s12")?.clone();
            extra.column_name = "s99".into();
            extra.ordinal_position = "99".into();
            rows.columns.push(Box::new(extra));
            Some(())
        },
    },
    Mutation {
        name: "table is dropped",
        scenario: "f07_json",
        kind: DriftKind::TableMissingInDb,
        apply: |rows, _| remove_table(rows, "f07_json"),
    },
    Mutation {
        name: "table is added",
        scenario: "f07_json",
        kind: DriftKind::TableExtraInDb,
        apply: |rows, _| {
            let mut table: TablesRow = rows.tables.first()?.clone();
            table.table_name = "f07_extra".into();
            let mut id = column(rows, "f07_json", "id")?.clone();
            id.table_name = "f07_extra".into();
            rows.tables.push(table);
            rows.columns.push(Box::new(id));
            Some(())
        },
    },
    Mutation {
        name: "primary key gains a column",
        scenario: "f03_strings",
        kind: DriftKind::PrimaryKeyMismatch,
        apply: |rows, _| {
            let mut part: StatisticsRow = rows
                .statistics
                .iter()
                .find(|s| s.table_name == "f03_strings" && s.index_name == "PRIMARY")?
                .clone();
            part.seq_in_index = "2".into();
            part.column_name = Some("s5".into());
            rows.statistics.push(part);
            Some(())
        },
    },
    Mutation {
        name: "unique index is dropped",
        scenario: "f01_serial",
        kind: DriftKind::UniqueMissingInDb,
        apply: |rows, _| remove_index(rows, "f01_users", "f01_users_email_unique"),
    },
    Mutation {
        name: "index is dropped",
        scenario: "f11_indexes",
        kind: DriftKind::IndexMissingInDb,
        apply: |rows, _| remove_index(rows, "f11_indexes", "idx_ab"),
    },
    Mutation {
        name: "index is added",
        scenario: "f11_indexes",
        kind: DriftKind::IndexExtraInDb,
        apply: |rows, _| {
            let mut part: StatisticsRow = rows
                .statistics
                .iter()
                .find(|s| s.table_name == "f11_indexes" && s.index_name == "idx_e_ignored")?
                .clone();
            part.index_name = "idx_e_extra".into();
            rows.statistics.push(part);
            Some(())
        },
    },
    Mutation {
        name: "index covers another column",
        scenario: "f11_indexes",
        kind: DriftKind::IndexMismatch,
        apply: |rows, _| {
            let part = rows.statistics.iter_mut().find(|s| {
                s.table_name == "f11_indexes" && s.index_name == "idx_ab" && s.seq_in_index == "2"
            })?;
            part.column_name = Some("e".into());
            Some(())
        },
    },
    Mutation {
        name: "foreign key DELETE_RULE changes",
        scenario: "f12_foreign_keys",
        kind: DriftKind::ForeignKeyMismatch,
        apply: |rows, _| {
            let rule = rows.referential_constraints.iter_mut().find(|r| {
                is_constraint(&r.constraint_name, "f12_child_parent_id_f12_parent_id_fk")
            })?;
            replace_in(&mut rule.delete_rule, "CASCADE", "SET NULL")
        },
    },
    Mutation {
        name: "foreign key references another column",
        scenario: "f12_foreign_keys",
        kind: DriftKind::ForeignKeyMismatch,
        apply: |rows, _| {
            let pair = rows
                .key_column_usage
                .iter_mut()
                .find(|k| is_constraint(&k.constraint_name, "f12_child_pcode_fk"))?;
            pair.referenced_column_name = Some("id".into());
            Some(())
        },
    },
    Mutation {
        // The pcode foreign key uses the declared `idx_pcode`, so dropping it
        // leaves no helper index behind (unlike the others, see reference §4.1).
        name: "foreign key is dropped",
        scenario: "f12_foreign_keys",
        kind: DriftKind::ForeignKeyMissingInDb,
        apply: |rows, _| remove_fk(rows, "f12_child", "f12_child_pcode_fk"),
    },
    Mutation {
        name: "foreign key UPDATE_RULE changes",
        scenario: "f12_foreign_keys",
        kind: DriftKind::ForeignKeyMismatch,
        apply: |rows, _| {
            let rule = rows
                .referential_constraints
                .iter_mut()
                .find(|r| is_constraint(&r.constraint_name, "f12_child_pcode_fk"))?;
            rule.update_rule = "CASCADE".into();
            Some(())
        },
    },
    Mutation {
        name: "foreign key is added",
        scenario: "f12_foreign_keys",
        kind: DriftKind::ForeignKeyExtraInDb,
        apply: |rows, _| {
            // A second foreign key over `pcode`, served by the declared `idx_pcode`.
            let mut pair = rows
                .key_column_usage
                .iter()
                .find(|k| is_constraint(&k.constraint_name, "f12_child_pcode_fk"))?
                .clone();
            let mut rule = rows
                .referential_constraints
                .iter()
                .find(|r| is_constraint(&r.constraint_name, "f12_child_pcode_fk"))?
                .clone();
            pair.constraint_name = "f12_child_pcode_extra_fk".into();
            rule.constraint_name = "f12_child_pcode_extra_fk".into();
            rule.delete_rule = "CASCADE".into();
            rows.key_column_usage.push(pair);
            rows.referential_constraints.push(rule);
            Some(())
        },
    },
    Mutation {
        name: "unique index is added",
        scenario: "f03_strings",
        kind: DriftKind::UniqueExtraInDb,
        apply: |rows, _| {
            let mut part: StatisticsRow = rows
                .statistics
                .iter()
                .find(|s| s.table_name == "f03_strings" && s.index_name == "PRIMARY")?
                .clone();
            part.index_name = "f03_strings_s5_unique".into();
            part.column_name = Some("s5".into());
            rows.statistics.push(part);
            Some(())
        },
    },
    Mutation {
        name: "default is dropped",
        scenario: "f02_integers",
        kind: DriftKind::ColumnDefaultMismatch,
        apply: |rows, _| {
            // `b int NOT NULL DEFAULT 0` loses its default (SQL NULL on a NOT
            // NULL column is "no default" in both encodings).
            column(rows, "f02_ints", "b")?
                .column_default
                .take()
                .map(|_| ())
        },
    },
    Mutation {
        name: "virtual generated column becomes stored",
        scenario: "f09_generated",
        kind: DriftKind::ColumnGeneratedMismatch,
        apply: |rows, _| {
            replace_in(
                column(rows, "f09_generated", "full")?.extra.as_mut()?,
                "VIRTUAL",
                "STORED",
            )
        },
    },
    Mutation {
        name: "check is added",
        scenario: "f13_checks",
        kind: DriftKind::CheckExtraInDb,
        apply: |rows, _| {
            let mut check = rows
                .check_constraints
                .iter()
                .find(|c| is_constraint(&c.constraint_name, "age_check"))?
                .clone();
            let mut listed = rows
                .table_constraints
                .iter()
                .find(|c| is_constraint(&c.constraint_name, "age_check"))?
                .clone();
            check.constraint_name = "hi_check".into();
            check.check_clause = "`hi` > 0".into();
            listed.constraint_name = "hi_check".into();
            rows.check_constraints.push(check);
            rows.table_constraints.push(listed);
            Some(())
        },
    },
    Mutation {
        name: "check clause changes",
        scenario: "f13_checks",
        kind: DriftKind::CheckMismatch,
        apply: |rows, _| replace_in(check_clause(rows, "age_check")?, "150", "200"),
    },
    Mutation {
        name: "check is dropped",
        scenario: "f13_checks",
        kind: DriftKind::CheckMissingInDb,
        apply: |rows, _| {
            let before = rows.check_constraints.len();
            rows.check_constraints
                .retain(|c| !is_constraint(&c.constraint_name, "name_chk"));
            rows.table_constraints
                .retain(|c| !is_constraint(&c.constraint_name, "name_chk"));
            (rows.check_constraints.len() < before).then_some(())
        },
    },
];

/// Runs every mutation on every flavour that has its scenario and object;
/// each failure names flavour and mutation.
#[test]
fn every_one_property_change_is_exactly_one_drift_of_its_kind_on_every_flavour() {
    let mut failures = Vec::new();
    let mut ran = 0;
    for mutation in MUTATIONS {
        let mut flavours_run = Vec::new();
        for flavour in FLAVOURS {
            if skip_reason(flavour, mutation.scenario).is_some() {
                continue;
            }
            let (mut rows, flavor) =
                load_rows(flavour, mutation.scenario).unwrap_or_else(|e| panic!("{e}"));
            if (mutation.apply)(&mut rows, &flavor).is_none() {
                continue;
            }
            flavours_run.push(*flavour);
            ran += 1;
            match drifts_of(flavour, mutation.scenario, &rows) {
                Ok(drifts) if drifts.len() == 1 && drifts[0].kind == mutation.kind => {}
                Ok(drifts) => failures.push(format!(
                    "  {flavour}: {} (want one {}):\n{}",
                    mutation.name,
                    mutation.kind.name(),
                    describe(&drifts)
                )),
                Err(error) => failures.push(format!("  {flavour}: {}: {error}", mutation.name)),
            }
        }
        if flavours_run.is_empty() {
            failures.push(format!("  {}: applies to no flavour", mutation.name));
        }
        eprintln!("{:<45} {}", mutation.name, flavours_run.join(", "));
    }
    assert!(
        failures.is_empty(),
        "{} of {ran} mutation runs failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    eprintln!("{ran} mutation runs, each exactly one drift of its kind");
}

/// Drizzle mysql-core declares no character set or collation, and the diff
/// compares them only where the schema declares one (information_schema
/// cannot tell an inherited collation from an explicit one, DESIGN §3.6):
/// a changed collation in the database is, by design, not drift here.
#[test]
fn collation_change_is_not_drift_when_the_drizzle_schema_declares_none() {
    for flavour in FLAVOURS {
        let (mut rows, _) = load_rows(flavour, "f10_charsets").unwrap_or_else(|e| panic!("{e}"));
        let c3 = column(&mut rows, "f10_charsets", "c3").unwrap_or_else(|| panic!("{flavour}: c3"));
        c3.collation_name = Some("utf8mb4_unicode_ci".into());
        let drifts = drifts_of(flavour, "f10_charsets", &rows).unwrap_or_else(|e| panic!("{e}"));
        assert!(drifts.is_empty(), "{flavour}:\n{}", describe(&drifts));
    }
}
