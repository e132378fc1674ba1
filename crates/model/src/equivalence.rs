//! Questions the diff cannot answer alone: "is this the same thing?" and "did
//! the server create this object on its own?". Each answer names the server
//! behaviour behind it, so the diff loop has no inline server checks.

use crate::column_type::{ColumnType, IntSize};
use crate::default::DefaultValue;
use crate::schema::{Column, Index, IndexOrigin, Table};

/// information_schema text columns are utf8mb3 on MySQL 8 and MariaDB, so a
/// 4-byte character (emoji, most CJK extensions) in a default or an enum
/// member cannot be shown: MariaDB 10.11 shows one `?` for it in a literal
/// default and in COLUMN_TYPE (`'🎉🚀'` → `'??'`), and one `?` per byte in an
/// expression default (Drizzle's `DEFAULT ('ünï 🎈')` on text → `'ünï ????'`).
/// A schema string is compared with each such character masked either way;
/// the schema's own text is kept for fixes.
fn as_information_schema_shows(text: &str, per_byte: bool) -> String {
    text.chars()
        .flat_map(|c| {
            let masked = if u32::from(c) > 0xFFFF {
                if per_byte { c.len_utf8() } else { 1 }
            } else {
                0
            };
            let kept = (masked == 0).then_some(c);
            kept.into_iter().chain(std::iter::repeat_n('?', masked))
        })
        .collect()
}

fn same_text(expected: &str, actual: &str) -> bool {
    expected == actual
        || (actual.contains('?')
            && (as_information_schema_shows(expected, false) == actual
                || as_information_schema_shows(expected, true) == actual))
}

fn same_members(expected: &[String], actual: &[String]) -> bool {
    expected.len() == actual.len() && expected.iter().zip(actual).all(|(e, a)| same_text(e, a))
}

/// View queries that are the same although the server re-printed them
/// (qualified names, redundant aliases and parentheses; see
/// [`crate::expr::normalize_query`]).
pub fn same_view_definition(expected: &str, actual: &str) -> bool {
    crate::expr::normalize_query(expected) == crate::expr::normalize_query(actual)
}

/// Defaults that are the same on the server although they read differently.
pub fn same_default(expected: &Column, actual: &Column) -> bool {
    match (&expected.default, &actual.default) {
        (e, a) if e == a => true,
        (Some(DefaultValue::Literal(e)), Some(DefaultValue::Literal(a))) => same_text(e, a),
        // MariaDB 10.11 gives a NOT NULL timestamp with ON UPDATE and no
        // DEFAULT the zero date as its default, whatever
        // explicit_defaults_for_timestamp says; drizzle-kit writes exactly such
        // a column for `timestamp().notNull().onUpdateNow()`.
        (None, Some(DefaultValue::Literal(a))) => {
            matches!(expected.ty, ColumnType::Timestamp { .. })
                && !expected.nullable
                && expected.on_update_now
                && a.trim_end_matches(['0', '.']) == "0000-00-00 00:00:"
        }
        _ => false,
    }
}

/// Column types that hold the same values and differ only in how a server
/// prints them.
///
/// A signed `tinyint` and `tinyint(1)` (= BOOLEAN) differ only in display
/// width, which no server enforces; MySQL ≥ 8.0.19 keeps the width only for
/// `tinyint(1)`, so a Drizzle `tinyint()` created through `BOOLEAN` (or the
/// reverse) is not drift.
pub fn same_column_type(expected: &ColumnType, actual: &ColumnType) -> bool {
    const SIGNED_TINYINT: ColumnType = ColumnType::Integer {
        size: IntSize::Tiny,
        unsigned: false,
        zerofill_width: None,
    };
    match (expected, actual) {
        _ if expected == actual => true,
        (ColumnType::Boolean, t) | (t, ColumnType::Boolean) => *t == SIGNED_TINYINT,
        (ColumnType::Enum { values: e }, ColumnType::Enum { values: a })
        | (ColumnType::Set { values: e }, ColumnType::Set { values: a }) => same_members(e, a),
        _ => false,
    }
}

/// An index InnoDB created for a foreign key that had none.
///
/// InnoDB (MySQL 5.7/8.x, MariaDB) needs an index whose leftmost columns are
/// the referencing columns; when the DDL has none it creates one, named after
/// the constraint (or after the first column when the constraint is unnamed),
/// and drops it silently once another index can serve. drizzle-kit adds FKs
/// after the table's own indexes, so such an index exists exactly when the
/// schema declares no index on those columns: it is the server's, not drift.
pub fn is_implicit_fk_index(index: &Index, db_table: &Table) -> bool {
    if index.unique
        || index
            .parts
            .iter()
            .any(|p| p.is_expression || p.prefix.is_some())
    {
        return false;
    }
    let columns = index.column_names();
    db_table.foreign_keys.iter().any(|fk| {
        let named_after_fk = index.name == fk.name;
        let named_after_column = fk.columns.first().is_some_and(|c| *c == index.name);
        (named_after_fk || named_after_column)
            && columns.len() == fk.columns.len()
            && columns
                .iter()
                .zip(&fk.columns)
                .all(|(a, b)| *a == b.as_str())
    })
}

/// An index the schema implies but the database may legitimately lack.
///
/// MySQL's `SERIAL` adds a unique key named after the column; a database
/// whose column was created as `BIGINT UNSIGNED NOT NULL AUTO_INCREMENT` with
/// a primary key (what MariaDB users write, since drizzle-kit's
/// `serial AUTO_INCREMENT` is a syntax error there) is just as unique.
pub fn is_optional_expected_index(index: &Index) -> bool {
    index.origin == IndexOrigin::SerialUnique
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{FkAction, ForeignKey};

    fn ty(text: &str) -> ColumnType {
        ColumnType::parse(text).unwrap_or_else(|e| panic!("{e}"))
    }

    fn table_with_fk(fk_name: &str, column: &str) -> Table {
        let mut table = Table::new("orders");
        table.foreign_keys.push(ForeignKey {
            name: fk_name.into(),
            columns: vec![column.into()],
            referenced_table: "users".into(),
            referenced_columns: vec!["id".into()],
            on_delete: FkAction::Restrict,
            on_update: FkAction::Restrict,
            source: None,
        });
        table
    }

    #[test]
    fn tinyint_and_boolean_are_the_same_type() {
        assert!(same_column_type(&ty("tinyint"), &ty("tinyint(1)")));
        assert!(!same_column_type(
            &ty("tinyint unsigned"),
            &ty("tinyint(1)")
        ));
        assert!(!same_column_type(&ty("int"), &ty("bigint")));
    }

    #[test]
    fn four_byte_characters_match_the_question_marks_information_schema_shows() {
        let e = ColumnType::Enum {
            values: vec!["🙂".into(), "plain".into()],
        };
        let a = ColumnType::Enum {
            values: vec!["?".into(), "plain".into()],
        };
        assert!(same_column_type(&e, &a));
        let b = ColumnType::Enum {
            values: vec!["x".into(), "plain".into()],
        };
        assert!(!same_column_type(&e, &b));
        let mut exp = Column::new("c", ty("varchar(9)"));
        exp.default = Some(DefaultValue::Literal("🎉🚀".into()));
        let mut act = exp.clone();
        act.default = Some(DefaultValue::Literal("??".into()));
        assert!(same_default(&exp, &act));
        act.default = Some(DefaultValue::Literal("????????".into()));
        assert!(
            same_default(&exp, &act),
            "one ? per byte in an expression default"
        );
        act.default = Some(DefaultValue::Literal("?!".into()));
        assert!(!same_default(&exp, &act));
    }

    #[test]
    fn mariadb_zero_default_of_a_not_null_on_update_timestamp_is_no_default() {
        let mut exp = Column::new("t", ty("timestamp"));
        exp.nullable = false;
        exp.on_update_now = true;
        let mut act = exp.clone();
        act.default = Some(DefaultValue::Literal("0000-00-00 00:00:00".into()));
        assert!(same_default(&exp, &act));
        exp.on_update_now = false;
        act.on_update_now = false;
        assert!(!same_default(&exp, &act));
    }

    #[test]
    fn index_named_after_the_fk_on_its_columns_is_implicit() {
        let table = table_with_fk("orders_user_id_users_id_fk", "user_id");
        let index = Index::on_columns("orders_user_id_users_id_fk", &["user_id"], false);
        assert!(is_implicit_fk_index(&index, &table));
    }

    #[test]
    fn index_named_after_the_first_column_of_an_unnamed_fk_is_implicit() {
        let table = table_with_fk("orders_ibfk_1", "user_id");
        let index = Index::on_columns("user_id", &["user_id"], false);
        assert!(is_implicit_fk_index(&index, &table));
    }

    #[test]
    fn a_differently_named_index_on_fk_columns_is_not_implicit() {
        let table = table_with_fk("orders_user_id_users_id_fk", "user_id");
        let index = Index::on_columns("hotfix_idx", &["user_id"], false);
        assert!(!is_implicit_fk_index(&index, &table));
    }

    #[test]
    fn serial_unique_index_is_optional_but_declared_indexes_are_not() {
        let mut serial = Index::on_columns("id", &["id"], true);
        serial.origin = IndexOrigin::SerialUnique;
        assert!(is_optional_expected_index(&serial));
        assert!(!is_optional_expected_index(&Index::on_columns(
            "id",
            &["id"],
            true
        )));
    }

    #[test]
    fn a_unique_index_is_never_an_implicit_fk_index() {
        let table = table_with_fk("user_id", "user_id");
        let index = Index::on_columns("user_id", &["user_id"], true);
        assert!(!is_implicit_fk_index(&index, &table));
    }
}
