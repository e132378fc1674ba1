//! One test per drift kind the schema-vs-database diff can produce: the
//! smallest pair of Models that shows it, and the fix it plans.

use driftwatch_diff::{DriftKind, Policy, Severity, classify, diff};
use driftwatch_model::{
    Check, Column, ColumnType, DefaultValue, FkAction, ForeignKey, Generated, Index, IndexOrigin,
    PrimaryKey, Schema, Table, View,
};

fn ty(text: &str) -> ColumnType {
    ColumnType::parse(text).unwrap_or_else(|e| panic!("{e}"))
}

fn col(name: &str, t: &str) -> Column {
    Column::new(name, ty(t))
}

/// `users(id int NOT NULL AUTO_INCREMENT PK, email varchar(255) NOT NULL UNIQUE)`
/// and `orders(id, user_id → users.id)`.
fn base() -> Schema {
    let mut users = Table::new("users");
    let mut id = col("id", "int");
    id.nullable = false;
    id.auto_increment = true;
    users.columns.push(id.clone());
    let mut email = col("email", "varchar(255)");
    email.nullable = false;
    users.columns.push(email);
    users.primary_key = Some(PrimaryKey {
        columns: vec!["id".into()],
        source: None,
    });
    users
        .indexes
        .push(Index::on_columns("users_email_unique", &["email"], true));

    let mut orders = Table::new("orders");
    orders.columns.push(id);
    let mut user_id = col("user_id", "int");
    user_id.nullable = false;
    orders.columns.push(user_id);
    orders.columns.push(col("note", "varchar(50)"));
    orders.primary_key = Some(PrimaryKey {
        columns: vec!["id".into()],
        source: None,
    });
    orders
        .indexes
        .push(Index::on_columns("orders_note_idx", &["note"], false));
    orders.foreign_keys.push(ForeignKey {
        name: "orders_user_id_users_id_fk".into(),
        columns: vec!["user_id".into()],
        referenced_table: "users".into(),
        referenced_columns: vec!["id".into()],
        on_delete: FkAction::Cascade,
        on_update: FkAction::NoAction,
        source: None,
    });
    orders.checks.push(Check {
        name: "note_not_empty".into(),
        expression: "note <> ''".into(),
        source: None,
    });
    let mut schema = Schema {
        tables: vec![users, orders],
        views: vec![View {
            name: "v_orders".into(),
            definition: None,
            source: None,
        }],
    };
    schema.sort();
    schema
}

fn table_mut<'a>(schema: &'a mut Schema, name: &str) -> &'a mut Table {
    schema
        .tables
        .iter_mut()
        .find(|t| t.name == name)
        .unwrap_or_else(|| panic!("no table {name}"))
}

fn column_mut<'a>(schema: &'a mut Schema, table: &str, column: &str) -> &'a mut Column {
    table_mut(schema, table)
        .columns
        .iter_mut()
        .find(|c| c.name == column)
        .unwrap_or_else(|| panic!("no column {column}"))
}

/// Diffs `base()` against `base()` changed by `change`, and returns the kinds found.
fn kinds_after(change: impl FnOnce(&mut Schema)) -> Vec<DriftKind> {
    let expected = base();
    let mut actual = base();
    change(&mut actual);
    diff(&expected, &actual)
        .into_iter()
        .map(|d| d.kind)
        .collect()
}

#[test]
fn identical_models_have_no_drift() {
    assert!(diff(&base(), &base()).is_empty());
}

#[test]
fn dropped_table_is_table_missing_in_db() {
    assert_eq!(
        kinds_after(|s| s.tables.retain(|t| t.name != "orders")),
        [DriftKind::TableMissingInDb]
    );
}

#[test]
fn added_table_is_table_extra_in_db() {
    assert_eq!(
        kinds_after(|s| s.tables.push(Table::new("audit"))),
        [DriftKind::TableExtraInDb]
    );
}

#[test]
fn dropped_column_is_column_missing_in_db() {
    assert_eq!(
        kinds_after(|s| table_mut(s, "orders").columns.retain(|c| c.name != "note")),
        [DriftKind::ColumnMissingInDb]
    );
}

#[test]
fn added_column_is_column_extra_in_db() {
    assert_eq!(
        kinds_after(|s| table_mut(s, "orders").columns.push(col("hotfix", "int"))),
        [DriftKind::ColumnExtraInDb]
    );
}

#[test]
fn renamed_column_is_one_missing_and_one_extra() {
    assert_eq!(
        kinds_after(|s| column_mut(s, "orders", "note").name = "comment".into()),
        [DriftKind::ColumnMissingInDb, DriftKind::ColumnExtraInDb]
    );
}

#[test]
fn changed_type_is_column_type_mismatch() {
    assert_eq!(
        kinds_after(|s| column_mut(s, "orders", "note").ty = ty("varchar(20)")),
        [DriftKind::ColumnTypeMismatch]
    );
}

#[test]
fn changed_nullability_is_column_nullability_mismatch() {
    assert_eq!(
        kinds_after(|s| column_mut(s, "orders", "note").nullable = false),
        [DriftKind::ColumnNullabilityMismatch]
    );
}

#[test]
fn changed_default_is_column_default_mismatch() {
    assert_eq!(
        kinds_after(
            |s| column_mut(s, "orders", "note").default = Some(DefaultValue::Literal("x".into()))
        ),
        [DriftKind::ColumnDefaultMismatch]
    );
}

#[test]
fn removed_auto_increment_is_column_autoincrement_mismatch() {
    assert_eq!(
        kinds_after(|s| column_mut(s, "users", "id").auto_increment = false),
        [DriftKind::ColumnAutoincrementMismatch]
    );
}

#[test]
fn added_on_update_is_column_on_update_mismatch() {
    assert_eq!(
        kinds_after(|s| column_mut(s, "orders", "note").on_update_now = true),
        [DriftKind::ColumnOnUpdateMismatch]
    );
}

#[test]
fn changed_generated_expression_is_column_generated_mismatch() {
    assert_eq!(
        kinds_after(|s| {
            column_mut(s, "orders", "note").generated = Some(Generated {
                expression: "concat(id,'x')".into(),
                stored: false,
            })
        }),
        [DriftKind::ColumnGeneratedMismatch]
    );
}

#[test]
fn declared_collation_that_differs_is_column_charset_mismatch() {
    let mut expected = base();
    column_mut(&mut expected, "orders", "note").collation = Some("utf8mb4_bin".into());
    let mut actual = base();
    column_mut(&mut actual, "orders", "note").collation = Some("utf8mb4_general_ci".into());
    let kinds: Vec<_> = diff(&expected, &actual)
        .into_iter()
        .map(|d| d.kind)
        .collect();
    assert_eq!(kinds, [DriftKind::ColumnCharsetMismatch]);
}

#[test]
fn collation_the_schema_does_not_declare_is_not_compared() {
    let mut actual = base();
    column_mut(&mut actual, "orders", "note").collation = Some("latin1_swedish_ci".into());
    assert!(diff(&base(), &actual).is_empty());
}

#[test]
fn changed_primary_key_is_primary_key_mismatch() {
    assert_eq!(
        kinds_after(|s| table_mut(s, "orders").primary_key = None),
        [DriftKind::PrimaryKeyMismatch]
    );
}

#[test]
fn dropped_index_is_index_missing_in_db() {
    assert_eq!(
        kinds_after(|s| table_mut(s, "orders").indexes.clear()),
        [DriftKind::IndexMissingInDb]
    );
}

#[test]
fn added_index_is_index_extra_in_db() {
    assert_eq!(
        kinds_after(|s| table_mut(s, "users").indexes.push(Index::on_columns(
            "hot_idx",
            &["id", "email"],
            false
        ))),
        [DriftKind::IndexExtraInDb]
    );
}

#[test]
fn index_on_other_columns_is_index_mismatch() {
    assert_eq!(
        kinds_after(|s| table_mut(s, "orders").indexes[0] =
            Index::on_columns("orders_note_idx", &["user_id"], false)),
        [DriftKind::IndexMismatch]
    );
}

#[test]
fn renamed_index_is_a_low_severity_index_mismatch() {
    let mut actual = base();
    table_mut(&mut actual, "orders").indexes[0].name = "note_idx".into();
    let findings = classify(diff(&base(), &actual), &Policy::default());
    assert_eq!(findings.len(), 1);
    assert_eq!(findings[0].kind, DriftKind::IndexMismatch);
    assert_eq!(findings[0].severity, Severity::Low);
}

#[test]
fn dropped_unique_is_unique_missing_in_db() {
    assert_eq!(
        kinds_after(|s| table_mut(s, "users").indexes.clear()),
        [DriftKind::UniqueMissingInDb]
    );
}

#[test]
fn added_unique_is_unique_extra_in_db() {
    assert_eq!(
        kinds_after(|s| table_mut(s, "orders").indexes.push(Index::on_columns(
            "uq_note",
            &["note"],
            true
        ))),
        [DriftKind::UniqueExtraInDb]
    );
}

#[test]
fn dropped_foreign_key_is_foreign_key_missing_in_db() {
    assert_eq!(
        kinds_after(|s| table_mut(s, "orders").foreign_keys.clear()),
        [DriftKind::ForeignKeyMissingInDb]
    );
}

#[test]
fn added_foreign_key_is_foreign_key_extra_in_db() {
    assert_eq!(
        kinds_after(|s| {
            let mut fk = table_mut(s, "orders").foreign_keys[0].clone();
            fk.name = "extra_fk".into();
            fk.columns = vec!["id".into()];
            table_mut(s, "orders").foreign_keys.push(fk);
        }),
        [DriftKind::ForeignKeyExtraInDb]
    );
}

#[test]
fn changed_foreign_key_action_is_foreign_key_mismatch() {
    assert_eq!(
        kinds_after(|s| table_mut(s, "orders").foreign_keys[0].on_delete = FkAction::SetNull),
        [DriftKind::ForeignKeyMismatch]
    );
}

#[test]
fn restrict_and_no_action_are_the_same_foreign_key_action() {
    assert!(
        kinds_after(|s| table_mut(s, "orders").foreign_keys[0].on_update = FkAction::Restrict)
            .is_empty()
    );
}

#[test]
fn implicit_fk_index_in_db_is_not_drift() {
    assert!(
        kinds_after(|s| {
            table_mut(s, "orders").indexes.push(Index::on_columns(
                "orders_user_id_users_id_fk",
                &["user_id"],
                false,
            ))
        })
        .is_empty()
    );
}

#[test]
fn serial_unique_index_absent_from_db_is_not_drift() {
    let mut expected = base();
    let mut serial_unique = Index::on_columns("id", &["id"], true);
    serial_unique.origin = IndexOrigin::SerialUnique;
    table_mut(&mut expected, "users")
        .indexes
        .push(serial_unique);
    expected.sort();
    assert!(diff(&expected, &base()).is_empty());
}

#[test]
fn dropped_check_is_check_missing_in_db() {
    assert_eq!(
        kinds_after(|s| table_mut(s, "orders").checks.clear()),
        [DriftKind::CheckMissingInDb]
    );
}

#[test]
fn added_check_is_check_extra_in_db() {
    assert_eq!(
        kinds_after(|s| table_mut(s, "users").checks.push(Check {
            name: "c".into(),
            expression: "id > 0".into(),
            source: None
        })),
        [DriftKind::CheckExtraInDb]
    );
}

#[test]
fn changed_check_is_check_mismatch() {
    assert_eq!(
        kinds_after(|s| table_mut(s, "orders").checks[0].expression = "note <> 'x'".into()),
        [DriftKind::CheckMismatch]
    );
}

#[test]
fn dropped_view_is_view_missing_in_db() {
    assert_eq!(
        kinds_after(|s| s.views.clear()),
        [DriftKind::ViewMissingInDb]
    );
}

#[test]
fn added_view_is_view_extra_in_db() {
    assert_eq!(
        kinds_after(|s| s.views.push(View {
            name: "v2".into(),
            definition: None,
            source: None
        })),
        [DriftKind::ViewExtraInDb]
    );
}

#[test]
fn changed_view_definition_is_view_mismatch() {
    let mut expected = base();
    expected.views[0].definition = Some("select 1".into());
    let mut actual = base();
    actual.views[0].definition = Some("select 2".into());
    let kinds: Vec<_> = diff(&expected, &actual)
        .into_iter()
        .map(|d| d.kind)
        .collect();
    assert_eq!(kinds, [DriftKind::ViewMismatch]);
}

#[test]
fn drift_order_is_deterministic_tables_then_columns_then_keys() {
    let mut actual = base();
    table_mut(&mut actual, "users")
        .columns
        .push(col("zz", "int"));
    table_mut(&mut actual, "orders").foreign_keys.clear();
    table_mut(&mut actual, "orders")
        .columns
        .retain(|c| c.name != "note");
    let tables: Vec<_> = diff(&base(), &actual)
        .into_iter()
        .map(|d| (d.table, d.kind))
        .collect();
    assert_eq!(
        tables,
        [
            ("orders".to_string(), DriftKind::ColumnMissingInDb),
            ("orders".to_string(), DriftKind::ForeignKeyMissingInDb),
            ("users".to_string(), DriftKind::ColumnExtraInDb),
        ]
    );
}

#[test]
fn drift_id_is_stable_and_distinct() {
    let mut actual = base();
    table_mut(&mut actual, "users")
        .columns
        .push(col("a", "int"));
    table_mut(&mut actual, "users")
        .columns
        .push(col("b", "int"));
    let first = diff(&base(), &actual);
    let second = diff(&base(), &actual);
    assert_eq!(first[0].id(), second[0].id());
    assert_ne!(first[0].id(), first[1].id());
}

#[test]
fn dropping_something_is_a_destructive_fix() {
    let mut actual = base();
    table_mut(&mut actual, "users")
        .columns
        .push(col("hotfix", "int"));
    let findings = classify(diff(&base(), &actual), &Policy::default());
    assert!(findings[0].fix.destructive);
    assert_eq!(
        findings[0].fix.sql,
        ["ALTER TABLE `users` DROP COLUMN `hotfix`;"]
    );
    assert_eq!(
        findings[0].fix.drizzle.as_deref(),
        Some("hotfix: int('hotfix'),")
    );
}

#[test]
fn adding_a_missing_column_is_a_safe_fix() {
    let mut actual = base();
    table_mut(&mut actual, "orders")
        .columns
        .retain(|c| c.name != "note");
    let findings = classify(diff(&base(), &actual), &Policy::default());
    assert!(!findings[0].fix.destructive);
    assert_eq!(
        findings[0].fix.sql,
        ["ALTER TABLE `orders` ADD COLUMN `note` varchar(50) NULL;"]
    );
}

#[test]
fn modify_keeps_the_database_charset_and_comment_the_schema_cannot_declare() {
    let mut actual = base();
    let note = column_mut(&mut actual, "orders", "note");
    note.ty = ty("varchar(20)");
    note.charset = Some("latin1".into());
    note.collation = Some("latin1_swedish_ci".into());
    note.comment = Some("free text".into());
    let findings = classify(diff(&base(), &actual), &Policy::default());
    assert_eq!(
        findings[0].fix.sql,
        [
            "ALTER TABLE `orders` MODIFY COLUMN `note` varchar(50) CHARACTER SET latin1 COLLATE latin1_swedish_ci NULL COMMENT 'free text';"
        ]
    );
}
