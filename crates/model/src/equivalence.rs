//! Questions the diff cannot answer alone: "is this the same thing?" and "did
//! the server create this object on its own?". Each answer names the server
//! behaviour behind it, so the diff loop has no inline server checks.

use crate::column_type::{ColumnType, IntSize};
use crate::schema::{Index, IndexOrigin, Table};

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
    expected == actual
        || matches!(
            (expected, actual),
            (ColumnType::Boolean, t) | (t, ColumnType::Boolean) if *t == SIGNED_TINYINT
        )
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
    fn a_unique_index_is_never_an_implicit_fk_index() {
        let table = table_with_fk("user_id", "user_id");
        let index = Index::on_columns("user_id", &["user_id"], true);
        assert!(!is_implicit_fk_index(&index, &table));
    }
}
