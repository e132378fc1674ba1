//! Facts about MariaDB, checked against a live server.
//!
//! The server URL comes from `DRIFTWATCH_TEST_MYSQL_URL` (scripts/test.sh
//! sets it from `scripts/dev-db.sh url`); without it every test prints a
//! notice and passes. Each test database has a unique name and is dropped
//! before the assertions run.
//!
//! The shared database holds every scenario of
//! `tests/fixtures/mariadb-10.11/*/schema.sql` (the reference's F01–F15 plus
//! MariaDB extras); it is inspected once and each test checks one fact of
//! the resulting Model.

mod common;

use std::sync::OnceLock;

use driftwatch_model::expr::normalize;
use driftwatch_model::{
    Column, ColumnType, DefaultValue, FkAction, ForeignKey, Index, IntSize, Table,
};
use driftwatch_mysql::rows::CatalogRows;
use driftwatch_mysql::{InspectError, InspectOptions, Inspection, interpret};
use mysql_async::prelude::Queryable;

const SERVER_DIR: &str = "mariadb-10.11";

static LIVE: OnceLock<Option<Inspection>> = OnceLock::new();

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap_or_else(|e| panic!("tokio runtime: {e}"))
}

/// The inspected scenario database, or `None` (after a notice) without a server.
fn live(test: &str) -> Option<&'static Inspection> {
    let url = common::server_url(test)?;
    LIVE.get_or_init(|| {
        runtime().block_on(async {
            let name = common::unique_name("dw_live");
            common::create_database(&url, &name, SERVER_DIR, common::MARIADB_SCENARIOS).await;
            let result = driftwatch_mysql::inspect(
                &url.with_database(name.clone()),
                &InspectOptions::default(),
            )
            .await;
            common::drop_database(&url, &name).await;
            Some(result.unwrap_or_else(|e| panic!("inspect: {e}")))
        })
    })
    .as_ref()
}

fn table<'a>(inspection: &'a Inspection, name: &str) -> &'a Table {
    inspection
        .schema
        .table(name)
        .unwrap_or_else(|| panic!("no table `{name}`; tables: {:?}", table_names(inspection)))
}

fn table_names(inspection: &Inspection) -> Vec<&str> {
    inspection
        .schema
        .tables
        .iter()
        .map(|t| t.name.as_str())
        .collect()
}

fn column<'a>(inspection: &'a Inspection, table_name: &str, name: &str) -> &'a Column {
    table(inspection, table_name)
        .column(name)
        .unwrap_or_else(|| panic!("no column {table_name}.{name}"))
}

fn default(inspection: &Inspection, table_name: &str, name: &str) -> Option<DefaultValue> {
    column(inspection, table_name, name).default.clone()
}

fn index<'a>(inspection: &'a Inspection, table_name: &str, name: &str) -> &'a Index {
    table(inspection, table_name)
        .index(name)
        .unwrap_or_else(|| panic!("no index {table_name}.{name}"))
}

fn foreign_key<'a>(inspection: &'a Inspection, table_name: &str, name: &str) -> &'a ForeignKey {
    table(inspection, table_name)
        .foreign_keys
        .iter()
        .find(|f| f.name == name)
        .unwrap_or_else(|| panic!("no foreign key {table_name}.{name}"))
}

fn lit(text: &str) -> Option<DefaultValue> {
    Some(DefaultValue::Literal(text.to_string()))
}

fn number(text: &str) -> Option<DefaultValue> {
    Some(DefaultValue::Number(text.to_string()))
}

fn expr(text: &str) -> Option<DefaultValue> {
    Some(DefaultValue::Expr(text.to_string()))
}

macro_rules! live_or_skip {
    ($name:literal) => {
        match live($name) {
            Some(inspection) => inspection,
            None => return,
        }
    };
}

// --- the inspection as a whole ---

#[test]
fn live_scenarios_read_without_diagnostics() {
    let db = live_or_skip!("live_scenarios_read_without_diagnostics");
    assert!(db.diagnostics.is_empty(), "{:#?}", db.diagnostics);
}

#[test]
fn live_server_is_identified_as_mariadb() {
    let db = live_or_skip!("live_server_is_identified_as_mariadb");
    assert!(db.flavor.is_mariadb(), "{}", db.flavor);
}

#[test]
fn inspection_times_connect_and_each_query() {
    let db = live_or_skip!("inspection_times_connect_and_each_query");
    let steps: Vec<&str> = db.timings.iter().map(|(step, _)| *step).collect();
    assert_eq!(
        steps,
        [
            "connect",
            "server",
            "database",
            "tables",
            "columns",
            "indexes",
            "constraints",
            "foreign key columns",
            "foreign key rules",
            "checks",
            "views"
        ]
    );
}

#[test]
fn recorded_mariadb_fixtures_match_the_live_server() {
    let db = live_or_skip!("recorded_mariadb_fixtures_match_the_live_server");
    for scenario in common::MARIADB_SCENARIOS {
        let path = common::fixtures_dir()
            .join(SERVER_DIR)
            .join(scenario)
            .join("rows.json");
        let text =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let rows: CatalogRows = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}"));
        let recorded = interpret(&rows, &db.flavor, &InspectOptions::default());
        for recorded_table in &recorded.schema.tables {
            assert_eq!(
                Some(recorded_table),
                db.schema.table(&recorded_table.name),
                "{scenario}: table {} differs between the fixture and the live server \
                 (re-record with tests/record_fixtures.rs?)",
                recorded_table.name
            );
        }
    }
}

// --- F01 serial ---

#[test]
fn mariadb_10_11_serial_is_bigint_unsigned_auto_increment() {
    let db = live_or_skip!("mariadb_10_11_serial_is_bigint_unsigned_auto_increment");
    let id = column(db, "f01_users", "id");
    assert_eq!(
        (&id.ty, id.nullable, id.auto_increment, &id.default),
        (
            &ColumnType::Integer {
                size: IntSize::Big,
                unsigned: true,
                zerofill_width: None
            },
            false,
            true,
            &None
        )
    );
}

#[test]
fn mariadb_10_11_serial_unique_index_is_kept_for_the_diff() {
    let db = live_or_skip!("mariadb_10_11_serial_unique_index_is_kept_for_the_diff");
    let serial = index(db, "f01_users", "id");
    assert!(serial.unique);
    assert_eq!(serial.column_names(), ["id"]);
}

#[test]
fn mariadb_10_11_named_primary_key_reads_as_primary() {
    let db = live_or_skip!("mariadb_10_11_named_primary_key_reads_as_primary");
    let pk = table(db, "f01_users")
        .primary_key
        .as_ref()
        .map(|p| p.columns.clone());
    assert_eq!(pk, Some(vec!["id".to_string()]));
}

#[test]
fn mariadb_10_11_unique_constraint_is_a_unique_index() {
    let db = live_or_skip!("mariadb_10_11_unique_constraint_is_a_unique_index");
    let unique = index(db, "f01_users", "f01_users_email_unique");
    assert!(unique.unique && unique.kind.is_none());
    assert_eq!(unique.column_names(), ["email"]);
}

// --- F02 integers ---

#[test]
fn mariadb_10_11_int_display_widths_are_dropped() {
    let db = live_or_skip!("mariadb_10_11_int_display_widths_are_dropped");
    let int = ColumnType::Integer {
        size: IntSize::Int,
        unsigned: false,
        zerofill_width: None,
    };
    assert_eq!(column(db, "f02_ints", "a").ty, int);
    assert_eq!(column(db, "f02_ints", "b").ty, int);
}

#[test]
fn mariadb_10_11_tinyint_1_is_boolean_but_unsigned_is_not() {
    let db = live_or_skip!("mariadb_10_11_tinyint_1_is_boolean_but_unsigned_is_not");
    assert_eq!(column(db, "f02_ints", "d").ty, ColumnType::Boolean);
    assert_eq!(column(db, "f02_ints", "e").ty, ColumnType::Boolean);
    assert_eq!(
        column(db, "f02_ints", "f").ty,
        ColumnType::Integer {
            size: IntSize::Tiny,
            unsigned: true,
            zerofill_width: None
        }
    );
}

#[test]
fn mariadb_10_11_zerofill_keeps_its_width() {
    let db = live_or_skip!("mariadb_10_11_zerofill_keeps_its_width");
    assert_eq!(
        column(db, "f02_ints", "g").ty,
        ColumnType::Integer {
            size: IntSize::Big,
            unsigned: true,
            zerofill_width: Some(20)
        }
    );
}

#[test]
fn mariadb_10_11_year_4_is_year() {
    let db = live_or_skip!("mariadb_10_11_year_4_is_year");
    assert_eq!(column(db, "f02_ints", "j").ty, ColumnType::Year);
}

#[test]
fn mariadb_10_11_boolean_defaults_are_numbers() {
    let db = live_or_skip!("mariadb_10_11_boolean_defaults_are_numbers");
    assert_eq!(default(db, "f02_ints", "d"), number("1"));
    assert_eq!(default(db, "f02_ints", "e"), number("0"));
}

#[test]
fn mariadb_10_11_integer_defaults_are_numbers() {
    let db = live_or_skip!("mariadb_10_11_integer_defaults_are_numbers");
    assert_eq!(default(db, "f02_ints", "h"), number("-5"));
    assert_eq!(default(db, "f02_ints", "k"), number("18446744073709551615"));
}

#[test]
fn mariadb_10_11_null_text_on_a_nullable_column_is_no_default() {
    let db = live_or_skip!("mariadb_10_11_null_text_on_a_nullable_column_is_no_default");
    assert_eq!(default(db, "f02_ints", "a"), None);
}

// --- F03 strings ---

#[test]
fn mariadb_10_11_quotes_literal_defaults() {
    let db = live_or_skip!("mariadb_10_11_quotes_literal_defaults");
    assert_eq!(default(db, "f03_strings", "s1"), lit("hello"));
    assert_eq!(default(db, "f03_strings", "s6"), lit("ab"));
}

#[test]
fn mariadb_10_11_doubled_quote_in_default_is_one_quote() {
    let db = live_or_skip!("mariadb_10_11_doubled_quote_in_default_is_one_quote");
    assert_eq!(default(db, "f03_strings", "s3"), lit("it's"));
}

#[test]
fn mariadb_10_11_escaped_backslash_in_default_is_one_backslash() {
    let db = live_or_skip!("mariadb_10_11_escaped_backslash_in_default_is_one_backslash");
    assert_eq!(default(db, "f03_strings", "s9"), lit(r"a\b"));
}

#[test]
fn mariadb_10_11_quoted_null_is_the_string_null() {
    let db = live_or_skip!("mariadb_10_11_quoted_null_is_the_string_null");
    assert_eq!(default(db, "f03_strings", "s8"), lit("NULL"));
}

#[test]
fn mariadb_10_11_empty_string_default_is_kept() {
    let db = live_or_skip!("mariadb_10_11_empty_string_default_is_kept");
    assert_eq!(default(db, "f03_strings", "s2"), lit(""));
}

#[test]
fn mariadb_10_11_numeric_text_default_on_varchar_is_a_string() {
    let db = live_or_skip!("mariadb_10_11_numeric_text_default_on_varchar_is_a_string");
    assert_eq!(default(db, "f03_strings", "s13"), lit("42"));
}

#[test]
fn mariadb_10_11_not_null_without_default_has_no_default() {
    let db = live_or_skip!("mariadb_10_11_not_null_without_default_has_no_default");
    let s5 = column(db, "f03_strings", "s5");
    assert_eq!((s5.nullable, &s5.default), (false, &None));
}

#[test]
fn mariadb_10_11_binary_default_padding_is_trimmed() {
    let db = live_or_skip!("mariadb_10_11_binary_default_padding_is_trimmed");
    assert_eq!(default(db, "f03_strings", "s11"), lit("ab"));
}

#[test]
fn mariadb_10_11_bare_char_is_char_1() {
    let db = live_or_skip!("mariadb_10_11_bare_char_is_char_1");
    assert_eq!(
        column(db, "f03_strings", "s10").ty,
        ColumnType::Char { length: 1 }
    );
}

#[test]
fn mariadb_10_11_column_comment_is_read_verbatim() {
    let db = live_or_skip!("mariadb_10_11_column_comment_is_read_verbatim");
    assert_eq!(
        column(db, "f03_strings", "s14").comment.as_deref(),
        Some("a 'quoted' comment")
    );
}

// --- F04 numeric ---

#[test]
fn mariadb_10_11_decimal_defaults_are_numbers_at_the_column_scale() {
    let db = live_or_skip!("mariadb_10_11_decimal_defaults_are_numbers_at_the_column_scale");
    assert_eq!(default(db, "f04_numeric", "n1"), number("1.50"));
    assert_eq!(default(db, "f04_numeric", "n4"), number("0.000"));
}

#[test]
fn mariadb_10_11_bare_decimal_is_decimal_10_0() {
    let db = live_or_skip!("mariadb_10_11_bare_decimal_is_decimal_10_0");
    assert_eq!(
        column(db, "f04_numeric", "n2").ty,
        ColumnType::Decimal {
            precision: 10,
            scale: 0,
            unsigned: false
        }
    );
}

#[test]
fn mariadb_10_11_float_precision_picks_float_or_double() {
    let db = live_or_skip!("mariadb_10_11_float_precision_picks_float_or_double");
    let double = ColumnType::Double {
        precision_scale: None,
        unsigned: false,
    };
    let float = ColumnType::Float {
        precision_scale: None,
        unsigned: false,
    };
    assert_eq!(column(db, "f04_numeric", "n7").ty, double);
    assert_eq!(column(db, "f04_numeric", "n10").ty, double);
    assert_eq!(column(db, "f04_numeric", "n16").ty, float);
}

#[test]
fn mariadb_10_11_bit_defaults_are_numbers() {
    let db = live_or_skip!("mariadb_10_11_bit_defaults_are_numbers");
    assert_eq!(default(db, "f04_numeric", "n14"), number("1"));
    assert_eq!(default(db, "f04_numeric", "n15"), number("5"));
}

#[test]
fn mariadb_10_11_float_defaults_compare_by_value() {
    let db = live_or_skip!("mariadb_10_11_float_defaults_compare_by_value");
    assert_eq!(default(db, "f04_numeric", "n12"), number("1.5"));
    assert_eq!(default(db, "f04_numeric", "n17"), number("1000"));
}

// --- F05 temporal ---

#[test]
fn mariadb_10_11_current_timestamp_default_is_current_timestamp() {
    let db = live_or_skip!("mariadb_10_11_current_timestamp_default_is_current_timestamp");
    assert_eq!(
        default(db, "f05_temporal", "ts"),
        Some(DefaultValue::CurrentTimestamp { fsp: 0 })
    );
}

#[test]
fn mariadb_10_11_on_update_current_timestamp_keeps_the_default_fsp() {
    let db = live_or_skip!("mariadb_10_11_on_update_current_timestamp_keeps_the_default_fsp");
    let ts3 = column(db, "f05_temporal", "ts3");
    assert_eq!(
        (ts3.on_update_now, &ts3.default, ts3.nullable),
        (
            true,
            &Some(DefaultValue::CurrentTimestamp { fsp: 3 }),
            false
        )
    );
}

#[test]
fn mariadb_10_11_on_update_on_datetime_is_read() {
    let db = live_or_skip!("mariadb_10_11_on_update_on_datetime_is_read");
    assert!(column(db, "f05_temporal", "dtnow").on_update_now);
}

#[test]
fn mariadb_10_11_on_update_without_default_has_no_default() {
    let db = live_or_skip!("mariadb_10_11_on_update_without_default_has_no_default");
    let column = column(db, "f05_temporal", "ts_onupd_only");
    assert_eq!((column.on_update_now, &column.default), (true, &None));
}

#[test]
fn mariadb_10_11_parenthesized_now_default_is_current_timestamp() {
    let db = live_or_skip!("mariadb_10_11_parenthesized_now_default_is_current_timestamp");
    assert_eq!(
        default(db, "f05_temporal", "dz"),
        Some(DefaultValue::CurrentTimestamp { fsp: 0 })
    );
}

#[test]
fn mariadb_10_11_temporal_literal_defaults_are_literals() {
    let db = live_or_skip!("mariadb_10_11_temporal_literal_defaults_are_literals");
    assert_eq!(default(db, "f05_temporal", "d"), lit("2020-01-01"));
    assert_eq!(
        default(db, "f05_temporal", "dtlit"),
        lit("2020-01-01 00:00:00")
    );
    assert_eq!(default(db, "f05_temporal", "yr"), number("2024"));
}

#[test]
fn mariadb_10_11_fractional_seconds_are_part_of_the_type() {
    let db = live_or_skip!("mariadb_10_11_fractional_seconds_are_part_of_the_type");
    assert_eq!(
        column(db, "f05_temporal", "t6").ty,
        ColumnType::Time { fsp: 6 }
    );
    assert_eq!(
        column(db, "f05_temporal", "dt3").ty,
        ColumnType::DateTime { fsp: 3 }
    );
}

// --- F06 enum / set ---

#[test]
fn mariadb_10_11_enum_values_keep_quotes_and_commas() {
    let db = live_or_skip!("mariadb_10_11_enum_values_keep_quotes_and_commas");
    assert_eq!(
        column(db, "f06_enums", "e1").ty,
        ColumnType::Enum {
            values: vec!["a".into(), "b".into(), "it's".into()]
        }
    );
    assert_eq!(
        column(db, "f06_enums", "e3").ty,
        ColumnType::Enum {
            values: vec!["a,b".into(), r"c\d".into()]
        }
    );
}

#[test]
fn mariadb_10_11_enum_and_set_defaults_are_literals() {
    let db = live_or_skip!("mariadb_10_11_enum_and_set_defaults_are_literals");
    assert_eq!(default(db, "f06_enums", "e1"), lit("a"));
    assert_eq!(default(db, "f06_enums", "s1"), lit("x,y"));
}

// --- F07 JSON ---

#[test]
fn mariadb_10_11_json_longtext_with_json_valid_check_is_json() {
    let db = live_or_skip!("mariadb_10_11_json_longtext_with_json_valid_check_is_json");
    for name in ["j1", "j2", "j3"] {
        assert_eq!(column(db, "f07_json", name).ty, ColumnType::Json, "{name}");
    }
}

#[test]
fn mariadb_10_11_json_valid_checks_are_suppressed() {
    let db = live_or_skip!("mariadb_10_11_json_valid_checks_are_suppressed");
    assert!(
        table(db, "f07_json").checks.is_empty(),
        "{:?}",
        table(db, "f07_json").checks
    );
}

#[test]
fn mariadb_10_11_json_has_no_collation_of_its_own() {
    let db = live_or_skip!("mariadb_10_11_json_has_no_collation_of_its_own");
    let j1 = column(db, "f07_json", "j1");
    assert_eq!((&j1.charset, &j1.collation), (&None, &None));
}

#[test]
fn mariadb_10_11_parenthesized_json_default_is_a_literal() {
    let db = live_or_skip!("mariadb_10_11_parenthesized_json_default_is_a_literal");
    assert_eq!(default(db, "f07_json", "j3"), lit("[]"));
}

// --- F08 expression defaults ---

#[test]
fn mariadb_10_11_expression_defaults_are_expressions() {
    let db = live_or_skip!("mariadb_10_11_expression_defaults_are_expressions");
    assert_eq!(default(db, "f08_exprdefaults", "e1"), expr("1 + 1"));
    assert_eq!(default(db, "f08_exprdefaults", "e2"), expr("uuid()"));
    assert_eq!(
        default(db, "f08_exprdefaults", "e3"),
        expr("current_date()")
    );
    assert_eq!(default(db, "f08_exprdefaults", "e5"), expr("rand()"));
    assert_eq!(default(db, "f08_exprdefaults", "e7"), expr("id * 2"));
}

#[test]
fn mariadb_10_11_folds_parenthesized_string_default_to_a_literal() {
    let db = live_or_skip!("mariadb_10_11_folds_parenthesized_string_default_to_a_literal");
    assert_eq!(default(db, "f08_exprdefaults", "e4"), lit("hello"));
    assert_eq!(default(db, "f08_exprdefaults", "e6"), lit("lit"));
}

// --- F09 generated columns ---

#[test]
fn mariadb_10_11_virtual_generated_column_is_normalized() {
    let db = live_or_skip!("mariadb_10_11_virtual_generated_column_is_normalized");
    let full = column(db, "f09_generated", "full");
    let generated = full
        .generated
        .as_ref()
        .map(|g| (g.expression.as_str(), g.stored));
    assert_eq!(generated, Some(("concat(first,' ',last)", false)));
    assert_eq!(full.default, None);
}

#[test]
fn mariadb_10_11_stored_generated_columns_are_stored() {
    let db = live_or_skip!("mariadb_10_11_stored_generated_columns_are_stored");
    let total = column(db, "f09_generated", "total").generated.clone();
    assert_eq!(
        total.map(|g| (g.expression, g.stored)),
        Some(("price * qty".to_string(), true))
    );
    assert!(
        column(db, "f09_generated", "flen")
            .generated
            .as_ref()
            .is_some_and(|g| g.stored)
    );
}

#[test]
fn mariadb_10_11_ordinary_columns_are_not_generated() {
    let db = live_or_skip!("mariadb_10_11_ordinary_columns_are_not_generated");
    assert_eq!(column(db, "f09_generated", "first").generated, None);
}

// --- F10 charsets ---

#[test]
fn mariadb_10_11_utf8_reads_as_utf8mb3() {
    let db = live_or_skip!("mariadb_10_11_utf8_reads_as_utf8mb3");
    let c4 = column(db, "f10_charsets", "c4");
    assert_eq!(
        (c4.charset.as_deref(), c4.collation.as_deref()),
        (Some("utf8mb3"), Some("utf8mb3_general_ci"))
    );
}

#[test]
fn mariadb_10_11_column_collations_are_read() {
    let db = live_or_skip!("mariadb_10_11_column_collations_are_read");
    assert_eq!(
        column(db, "f10_charsets", "c3").collation.as_deref(),
        Some("utf8mb4_bin")
    );
    assert_eq!(
        column(db, "f10_charsets", "c2").charset.as_deref(),
        Some("latin1")
    );
}

#[test]
fn mariadb_10_11_table_collation_is_read() {
    let db = live_or_skip!("mariadb_10_11_table_collation_is_read");
    assert_eq!(
        table(db, "f10_charsets").collation.as_deref(),
        Some("utf8mb4_general_ci")
    );
}

// --- F11 indexes ---

#[test]
fn mariadb_10_11_composite_index_keeps_column_order() {
    let db = live_or_skip!("mariadb_10_11_composite_index_keeps_column_order");
    assert_eq!(
        index(db, "f11_indexes", "idx_ab").column_names(),
        ["a", "b"]
    );
    let uq_ab = index(db, "f11_indexes", "uq_ab");
    assert!(uq_ab.unique);
    assert_eq!(uq_ab.column_names(), ["a", "b"]);
}

#[test]
fn mariadb_10_11_prefix_index_part_has_its_length() {
    let db = live_or_skip!("mariadb_10_11_prefix_index_part_has_its_length");
    let part = index(db, "f11_indexes", "idx_c_prefix")
        .parts
        .first()
        .cloned();
    assert_eq!(part.and_then(|p| p.prefix), Some(20));
}

#[test]
fn mariadb_10_11_descending_index_part_is_descending() {
    let db = live_or_skip!("mariadb_10_11_descending_index_part_is_descending");
    let part = index(db, "f11_indexes", "idx_b_desc")
        .parts
        .first()
        .cloned();
    assert_eq!(part.map(|p| p.descending), Some(true));
    let ab = index(db, "f11_indexes", "idx_ab");
    assert!(ab.parts.iter().all(|p| !p.descending));
}

#[test]
fn mariadb_10_11_fulltext_index_has_its_kind() {
    let db = live_or_skip!("mariadb_10_11_fulltext_index_has_its_kind");
    assert_eq!(
        index(db, "f11_indexes", "ft_d").kind.as_deref(),
        Some("FULLTEXT")
    );
    assert_eq!(index(db, "f11_indexes", "idx_ab").kind, None);
}

#[test]
fn mariadb_10_11_spatial_sub_part_32_is_not_a_prefix() {
    let db = live_or_skip!("mariadb_10_11_spatial_sub_part_32_is_not_a_prefix");
    let sp = index(db, "f11_indexes", "sp_g");
    assert_eq!(sp.kind.as_deref(), Some("SPATIAL"));
    assert_eq!(sp.parts.first().and_then(|p| p.prefix), None);
}

#[test]
fn mariadb_10_11_ignored_index_is_still_an_index() {
    let db = live_or_skip!("mariadb_10_11_ignored_index_is_still_an_index");
    assert_eq!(
        index(db, "f11_indexes", "idx_e_ignored").column_names(),
        ["e"]
    );
}

#[test]
fn mariadb_10_11_geometry_is_unsupported_text() {
    let db = live_or_skip!("mariadb_10_11_geometry_is_unsupported_text");
    assert_eq!(
        column(db, "f11_indexes", "g").ty,
        ColumnType::Unsupported {
            raw: "geometry".into()
        }
    );
}

// --- F12 foreign keys ---

#[test]
fn mariadb_10_11_foreign_key_actions_are_read() {
    let db = live_or_skip!("mariadb_10_11_foreign_key_actions_are_read");
    let parent = foreign_key(db, "f12_child", "f12_child_parent_id_f12_parent_id_fk");
    assert_eq!(
        (parent.on_delete, parent.on_update),
        (FkAction::Cascade, FkAction::NoAction)
    );
    let pcode = foreign_key(db, "f12_child", "f12_child_pcode_fk");
    assert_eq!(
        (pcode.on_delete, pcode.on_update),
        (FkAction::SetNull, FkAction::Restrict)
    );
}

#[test]
fn mariadb_10_11_unspecified_foreign_key_action_is_restrict() {
    let db = live_or_skip!("mariadb_10_11_unspecified_foreign_key_action_is_restrict");
    let other = foreign_key(db, "f12_child", "f12_child_other_id_fk");
    assert_eq!(
        (other.on_delete, other.on_update),
        (FkAction::Restrict, FkAction::Restrict)
    );
}

#[test]
fn mariadb_10_11_foreign_key_columns_and_target_are_read() {
    let db = live_or_skip!("mariadb_10_11_foreign_key_columns_and_target_are_read");
    let pcode = foreign_key(db, "f12_child", "f12_child_pcode_fk");
    assert_eq!(
        (
            pcode.columns.clone(),
            pcode.referenced_table.as_str(),
            pcode.referenced_columns.clone()
        ),
        (
            vec!["pcode".to_string()],
            "f12_parent",
            vec!["code".to_string()]
        )
    );
}

#[test]
fn mariadb_10_11_unnamed_foreign_key_is_named_ibfk() {
    let db = live_or_skip!("mariadb_10_11_unnamed_foreign_key_is_named_ibfk");
    let names: Vec<&str> = table(db, "f12_unnamed_fk")
        .foreign_keys
        .iter()
        .map(|f| f.name.as_str())
        .collect();
    assert_eq!(names, ["f12_unnamed_fk_ibfk_1"]);
}

#[test]
fn mariadb_10_11_foreign_key_helper_indexes_are_kept_for_the_diff() {
    let db = live_or_skip!("mariadb_10_11_foreign_key_helper_indexes_are_kept_for_the_diff");
    let child: Vec<&str> = table(db, "f12_child")
        .indexes
        .iter()
        .map(|i| i.name.as_str())
        .collect();
    assert_eq!(
        child,
        [
            "f12_child_other_id_fk",
            "f12_child_parent_id_f12_parent_id_fk",
            "idx_pcode"
        ]
    );
    assert_eq!(
        index(db, "f12_unnamed_fk", "parent_id").column_names(),
        ["parent_id"]
    );
}

// --- F13 checks ---

#[test]
fn mariadb_10_11_check_constraints_are_read_with_their_names() {
    let db = live_or_skip!("mariadb_10_11_check_constraints_are_read_with_their_names");
    let checks: Vec<(&str, &str)> = table(db, "f13_checks")
        .checks
        .iter()
        .map(|c| (c.name.as_str(), c.expression.as_str()))
        .collect();
    let status = normalize("`status` in ('a','b')");
    assert_eq!(
        checks,
        [
            ("CONSTRAINT_1", "lo <= hi"),
            ("age_check", "age >= 0 and age < 150"),
            ("name_chk", "status <> 'it''s'"),
            ("status", status.as_str()),
        ]
    );
}

// --- F14, F15 ---

#[test]
fn mariadb_10_11_invisible_column_is_a_column() {
    let db = live_or_skip!("mariadb_10_11_invisible_column_is_a_column");
    assert_eq!(default(db, "f14_misc", "secret"), number("7"));
}

#[test]
fn mariadb_10_11_views_are_listed_as_views_not_tables() {
    let db = live_or_skip!("mariadb_10_11_views_are_listed_as_views_not_tables");
    assert!(db.schema.views.iter().any(|v| v.name == "f15_view"));
    assert!(db.schema.table("f15_view").is_none());
}

#[test]
fn mariadb_10_11_view_definition_reads_like_the_written_query() {
    let db = live_or_skip!("mariadb_10_11_view_definition_reads_like_the_written_query");
    let definition = db
        .schema
        .views
        .iter()
        .find(|v| v.name == "f15_view")
        .and_then(|v| v.definition.clone())
        .unwrap_or_default();
    assert!(driftwatch_model::equivalence::same_view_definition(
        "SELECT id, email AS mail FROM f01_users WHERE id > 10",
        &definition
    ));
    assert!(!driftwatch_model::equivalence::same_view_definition(
        "SELECT id, email AS mail FROM f01_users WHERE id > 11",
        &definition
    ));
}

// --- MariaDB extras ---

#[test]
fn drizzle_migrations_table_is_skipped_and_listed() {
    let db = live_or_skip!("drizzle_migrations_table_is_skipped_and_listed");
    assert!(db.schema.table("__drizzle_migrations").is_none());
    assert!(
        db.ignored_tables
            .contains(&"__drizzle_migrations".to_string())
    );
}

#[test]
fn mariadb_10_11_sequence_is_ignored_and_listed() {
    let db = live_or_skip!("mariadb_10_11_sequence_is_ignored_and_listed");
    assert!(db.schema.table("x01_seq").is_none());
    assert_eq!(db.ignored_tables, ["__drizzle_migrations", "x01_seq"]);
}

#[test]
fn mariadb_10_11_system_versioned_table_is_a_table() {
    let db = live_or_skip!("mariadb_10_11_system_versioned_table_is_a_table");
    let columns: Vec<&str> = table(db, "x01_versioned")
        .columns
        .iter()
        .map(|c| c.name.as_str())
        .collect();
    assert_eq!(columns, ["id", "v"]);
}

#[test]
fn mariadb_10_11_accepts_a_literal_text_default() {
    let db = live_or_skip!("mariadb_10_11_accepts_a_literal_text_default");
    assert_eq!(default(db, "x01_extras", "e8"), lit("plain"));
}

#[test]
fn mariadb_10_11_json_literal_default_without_parentheses() {
    let db = live_or_skip!("mariadb_10_11_json_literal_default_without_parentheses");
    let jd = column(db, "x01_extras", "jd");
    assert_eq!((&jd.ty, &jd.default), (&ColumnType::Json, &lit("{}")));
}

#[test]
fn mariadb_10_11_escaped_newline_in_default_is_a_newline() {
    let db = live_or_skip!("mariadb_10_11_escaped_newline_in_default_is_a_newline");
    assert_eq!(default(db, "x01_extras", "nl"), lit("a\nb"));
}

#[test]
fn mariadb_10_11_negative_decimal_default_is_at_scale() {
    let db = live_or_skip!("mariadb_10_11_negative_decimal_default_is_at_scale");
    assert_eq!(default(db, "x01_extras", "dneg"), number("-1.00"));
}

#[test]
fn mariadb_10_11_unparenthesized_expression_default_is_an_expression() {
    let db = live_or_skip!("mariadb_10_11_unparenthesized_expression_default_is_an_expression");
    assert_eq!(default(db, "x01_extras", "cc"), expr("concat('a','b')"));
}

#[test]
fn mariadb_10_11_hex_varbinary_default_is_its_bytes() {
    let db = live_or_skip!("mariadb_10_11_hex_varbinary_default_is_its_bytes");
    assert_eq!(default(db, "x01_extras", "vb"), lit("ab"));
}

#[test]
fn mariadb_10_11_auto_increment_column_has_no_default() {
    let db = live_or_skip!("mariadb_10_11_auto_increment_column_has_no_default");
    let ai = column(db, "x01_extras", "ai");
    assert_eq!((ai.auto_increment, &ai.default), (true, &None));
}

#[test]
fn mariadb_10_11_invisible_flag_beside_default_reads_cleanly() {
    let db = live_or_skip!("mariadb_10_11_invisible_flag_beside_default_reads_cleanly");
    assert_eq!(default(db, "x01_extras", "inv"), number("1"));
}

// --- connections, privileges, errors (own databases) ---

const READER_PASSWORD: &str = "Dw-reader-Pa55word";
const WRONG_PASSWORD: &str = "Dw-wrong-Pa55word-7c1f";

#[tokio::test]
async fn select_only_user_reads_the_same_model() {
    let Some(url) = common::server_url("select_only_user_reads_the_same_model") else {
        return;
    };
    let database = common::unique_name("dw_priv");
    let user = common::unique_name("dw_ro")
        .chars()
        .take(60)
        .collect::<String>();
    common::create_database(
        &url,
        &database,
        SERVER_DIR,
        &[
            "f01_serial",
            "f07_json",
            "f11_indexes",
            "f12_foreign_keys",
            "f13_checks",
            "f15_view",
        ],
    )
    .await;
    let mut admin = common::admin(&url, None).await;
    common::exec(
        &mut admin,
        &format!("CREATE USER '{user}'@'%' IDENTIFIED BY '{READER_PASSWORD}'"),
    )
    .await;
    common::exec(
        &mut admin,
        &format!("GRANT SELECT ON `{database}`.* TO '{user}'@'%'"),
    )
    .await;

    let as_root = driftwatch_mysql::inspect(
        &url.with_database(database.clone()),
        &InspectOptions::default(),
    )
    .await;
    let reader_url = url
        .with_database(database.clone())
        .with_credentials(user.clone(), Some(READER_PASSWORD.to_string()));
    let as_reader = driftwatch_mysql::inspect(&reader_url, &InspectOptions::default()).await;

    common::exec(&mut admin, &format!("DROP USER '{user}'@'%'")).await;
    common::exec(&mut admin, &format!("DROP DATABASE `{database}`")).await;
    let _ = admin.disconnect().await;

    let as_root = as_root.unwrap_or_else(|e| panic!("as root: {e}"));
    let as_reader = as_reader.unwrap_or_else(|e| panic!("as a SELECT-only user: {e}"));
    assert!(!as_root.schema.tables.is_empty());
    assert!(
        as_root.rows.show_create_tables.is_empty(),
        "root sees REFERENTIAL_CONSTRAINTS"
    );
    // MariaDB hides REFERENTIAL_CONSTRAINTS from SELECT-only users; the rules
    // come from SHOW CREATE TABLE of the two tables with foreign keys.
    let fallback: Vec<&str> = as_reader
        .rows
        .show_create_tables
        .iter()
        .map(|r| r.table_name.as_str())
        .collect();
    assert_eq!(fallback, ["f12_child", "f12_unnamed_fk"]);
    assert!(as_reader.rows.referential_constraints.is_empty());
    // Without SHOW VIEW the view's text is hidden: the view is still listed,
    // compared by name only.
    let without_view_text = |schema: &driftwatch_model::Schema| {
        let mut schema = schema.clone();
        for view in &mut schema.views {
            view.definition = None;
        }
        schema
    };
    assert!(
        as_reader
            .schema
            .views
            .iter()
            .all(|v| v.definition.is_none())
    );
    assert_eq!(
        without_view_text(&as_reader.schema),
        without_view_text(&as_root.schema)
    );
    assert_eq!(as_reader.diagnostics, as_root.diagnostics);
}

#[tokio::test]
async fn wrong_password_is_access_denied_and_never_shown() {
    let Some(url) = common::server_url("wrong_password_is_access_denied_and_never_shown") else {
        return;
    };
    let bad = url
        .with_database("mysql")
        .with_credentials(url.user(), Some(WRONG_PASSWORD.to_string()));
    let error = driftwatch_mysql::inspect(&bad, &InspectOptions::default())
        .await
        .err()
        .unwrap_or_else(|| panic!("a wrong password must fail"));
    assert!(
        matches!(error, InspectError::AccessDenied { .. }),
        "{error:?}"
    );
    let shown = format!("{error} {error:?} {bad} {bad:?}");
    assert!(!shown.contains(WRONG_PASSWORD), "password leaked: {shown}");
    assert!(error.to_string().contains(url.user()), "{error}");
}

#[tokio::test]
async fn unknown_database_is_named_in_the_error() {
    let Some(url) = common::server_url("unknown_database_is_named_in_the_error") else {
        return;
    };
    let missing = common::unique_name("dw_missing");
    let error = driftwatch_mysql::inspect(
        &url.with_database(missing.clone()),
        &InspectOptions::default(),
    )
    .await
    .err()
    .unwrap_or_else(|| panic!("an unknown database must fail"));
    assert!(
        matches!(error, InspectError::UnknownDatabase { .. }),
        "{error:?}"
    );
    assert!(error.to_string().contains(&missing), "{error}");
}

#[tokio::test]
async fn inspection_session_is_read_only() {
    let Some(url) = common::server_url("inspection_session_is_read_only") else {
        return;
    };
    let database = common::unique_name("dw_ro_session");
    common::create_database(&url, &database, SERVER_DIR, &["f02_integers"]).await;
    let mut timings = Vec::new();
    let conn =
        driftwatch_mysql::catalog::connect(&url.with_database(database.clone()), &mut timings)
            .await;
    let write = match conn {
        Ok(mut conn) => {
            let result = conn.query_drop("INSERT INTO f02_ints (k) VALUES (1)").await;
            let _ = conn.disconnect().await;
            result
        }
        Err(e) => {
            common::drop_database(&url, &database).await;
            panic!("connect: {e}");
        }
    };
    common::drop_database(&url, &database).await;
    match write {
        Err(mysql_async::Error::Server(e)) => assert_eq!(e.code, 1792, "{e}"),
        other => panic!("a write in the inspection session must fail with 1792, got {other:?}"),
    }
}

#[tokio::test]
async fn ping_identifies_the_server() {
    let Some(url) = common::server_url("ping_identifies_the_server") else {
        return;
    };
    let ping = driftwatch_mysql::ping(&url)
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert!(ping.flavor.is_mariadb(), "{}", ping.flavor);
    assert_eq!(ping.host, url.host_port());
}

#[tokio::test]
async fn ssl_mode_required_encrypts_or_says_the_server_has_no_tls() {
    let Some(url) = common::server_url("ssl_mode_required_encrypts_or_says_the_server_has_no_tls")
    else {
        return;
    };
    let mut admin = common::admin(&url, None).await;
    let have_ssl: Option<(String, String)> = admin
        .query_first("SHOW VARIABLES LIKE 'have_ssl'")
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let _ = admin.disconnect().await;
    let server_has_tls = have_ssl.is_some_and(|(_, v)| v.eq_ignore_ascii_case("YES"));
    let result =
        driftwatch_mysql::ping(&url.with_ssl_mode(driftwatch_mysql::SslMode::Required)).await;
    match (server_has_tls, result) {
        (true, Ok(_)) => {}
        (false, Err(InspectError::TlsUnsupported { .. })) => {}
        (tls, other) => panic!("have_ssl={tls}: {other:?}"),
    }
}

#[tokio::test]
async fn ssl_mode_preferred_falls_back_to_plain_tcp() {
    let Some(url) = common::server_url("ssl_mode_preferred_falls_back_to_plain_tcp") else {
        return;
    };
    let ping =
        driftwatch_mysql::ping(&url.with_ssl_mode(driftwatch_mysql::SslMode::Preferred)).await;
    assert!(ping.is_ok(), "{ping:?}");
}

/// The database name travels as an escaped SQL literal (one round trip per
/// query): a name with a quote and a backslash is read exactly. (Both
/// escaping modes are unit-tested in `catalog.rs`: changing the global
/// `sql_mode` here would disturb the tests running beside this one.)
#[test]
fn a_database_name_with_a_quote_and_a_backslash_is_inspected_exactly() {
    let Some(url) = common::server_url("a_database_name_with_a_quote_and_a_backslash") else {
        return;
    };
    let name = format!("{}_o'brien\\x", common::unique_name("dwq"));
    runtime().block_on(async {
        let mut conn = common::admin(&url, None).await;
        let quoted = name.replace('`', "``");
        common::exec(&mut conn, &format!("CREATE DATABASE `{quoted}`")).await;
        common::exec(
            &mut conn,
            &format!("CREATE TABLE `{quoted}`.`t` (id int PRIMARY KEY, note varchar(10))"),
        )
        .await;
        let _ = conn.disconnect().await;
        let inspection =
            driftwatch_mysql::inspect(&url.with_database(&name), &Default::default()).await;
        common::drop_database(&url, &name).await;
        let inspection = inspection.unwrap_or_else(|e| panic!("{e}"));
        let tables: Vec<&str> = inspection
            .schema
            .tables
            .iter()
            .map(|t| t.name.as_str())
            .collect();
        assert_eq!(tables, ["t"]);
        assert_eq!(inspection.schema.tables[0].columns.len(), 2);
    });
}
