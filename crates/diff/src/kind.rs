//! The table of drift kinds: stable name, what it means, why it matters, the
//! usual cause. Names are a contract (JSON reports, scripts, `[severity]`
//! overrides in driftwatch.toml); never rename one.

use serde::{Deserialize, Serialize};

macro_rules! drift_kinds {
    ($( $variant:ident = $name:literal, $meaning:literal, $why:literal; )*) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum DriftKind {
            $( #[doc = $meaning] $variant, )*
        }

        impl DriftKind {
            pub const ALL: &'static [DriftKind] = &[ $( DriftKind::$variant, )* ];

            /// The stable name used in reports and configuration.
            pub fn name(self) -> &'static str {
                match self { $( DriftKind::$variant => $name, )* }
            }

            /// What the drift means, in one sentence.
            pub fn meaning(self) -> &'static str {
                match self { $( DriftKind::$variant => $meaning, )* }
            }

            /// One sentence on why this usually happens, for the report's "why".
            pub fn usual_cause(self) -> &'static str {
                match self { $( DriftKind::$variant => $why, )* }
            }

            pub fn from_name(name: &str) -> Option<DriftKind> {
                match name { $( $name => Some(DriftKind::$variant), )* _ => None }
            }
        }
    };
}

drift_kinds! {
    TableMissingInDb = "table_missing_in_db",
        "The schema declares a table the database does not have.",
        "a migration that creates it was not generated or not applied, or the table was dropped by hand";
    TableExtraInDb = "table_extra_in_db",
        "The database has a table the schema does not declare.",
        "created by hand or by a migration from another branch, or removed from the schema without a migration";
    ColumnMissingInDb = "column_missing_in_db",
        "The schema declares a column the database table lacks.",
        "a migration that adds it was not generated or not applied, or the column was dropped or renamed by hand";
    ColumnExtraInDb = "column_extra_in_db",
        "The database table has a column the schema does not declare.",
        "added by hand (a hotfix) or by another branch's migration, or removed from the schema without a migration";
    ColumnTypeMismatch = "column_type_mismatch",
        "The column's type differs (length, precision, signedness, enum values, …).",
        "the column was altered by hand, or the schema changed without a migration";
    ColumnNullabilityMismatch = "column_nullability_mismatch",
        "NULL vs NOT NULL differs.",
        "the column's NULL/NOT NULL was altered by hand, or the schema changed without a migration";
    ColumnDefaultMismatch = "column_default_mismatch",
        "The DEFAULT differs (compared by value at the column's type).",
        "the default was altered by hand, or the schema changed without a migration";
    ColumnAutoincrementMismatch = "column_autoincrement_mismatch",
        "AUTO_INCREMENT is on one side only.",
        "AUTO_INCREMENT was added or removed by hand (often by a MODIFY COLUMN that did not restate it)";
    ColumnOnUpdateMismatch = "column_on_update_mismatch",
        "ON UPDATE CURRENT_TIMESTAMP is on one side only.",
        "ON UPDATE CURRENT_TIMESTAMP was added or removed by hand (often by a MODIFY COLUMN that did not restate it)";
    ColumnGeneratedMismatch = "column_generated_mismatch",
        "The generated-column expression or its storage (VIRTUAL/STORED) differs.",
        "the generated expression was changed by hand, or the schema changed without a migration";
    ColumnCharsetMismatch = "column_charset_mismatch",
        "A character set or collation the schema declares differs.",
        "the column was converted to another character set or collation by hand";
    PrimaryKeyMismatch = "primary_key_mismatch",
        "The primary key's columns differ (or one side has none).",
        "the primary key was altered by hand, or the schema changed without a migration";
    IndexMissingInDb = "index_missing_in_db",
        "A non-unique index of the schema is absent from the database.",
        "a migration that creates it was not applied, or the index was dropped by hand (often during an incident)";
    IndexExtraInDb = "index_extra_in_db",
        "The database has a non-unique index the schema does not declare.",
        "created by hand (often a performance hotfix) or by another branch's migration";
    IndexMismatch = "index_mismatch",
        "An index differs in columns, order, uniqueness or type — or only in name.",
        "the index was rebuilt or renamed by hand, or the schema changed without a migration";
    UniqueMissingInDb = "unique_missing_in_db",
        "A unique constraint or unique index of the schema is absent from the database.",
        "a migration that creates it was not applied (it fails while duplicates exist), or it was dropped by hand";
    UniqueExtraInDb = "unique_extra_in_db",
        "The database has a unique key the schema does not declare.",
        "created by hand or by another branch's migration";
    ForeignKeyMissingInDb = "foreign_key_missing_in_db",
        "A foreign key of the schema is absent from the database.",
        "a migration that adds it was not applied, or it was dropped by hand (often to load data)";
    ForeignKeyExtraInDb = "foreign_key_extra_in_db",
        "The database has a foreign key the schema does not declare.",
        "created by hand or by another branch's migration";
    ForeignKeyMismatch = "foreign_key_mismatch",
        "A foreign key differs in columns, target or actions — or only in name.",
        "the constraint was recreated by hand with other columns, target or actions";
    CheckMissingInDb = "check_missing_in_db",
        "A check constraint of the schema is absent from the database.",
        "a migration that adds it was not applied, or it was dropped by hand";
    CheckExtraInDb = "check_extra_in_db",
        "The database has a check constraint the schema does not declare.",
        "created by hand or by another branch's migration";
    CheckMismatch = "check_mismatch",
        "A check constraint's expression differs — or only its name.",
        "the check was recreated by hand with another expression";
    ViewMissingInDb = "view_missing_in_db",
        "The schema declares a view the database does not have.",
        "a migration that creates it was not applied, or it was dropped by hand";
    ViewExtraInDb = "view_extra_in_db",
        "The database has a view the schema does not declare.",
        "created by hand or by another branch's migration";
    ViewMismatch = "view_mismatch",
        "A view's definition differs.",
        "the view was redefined by hand";
    MigrationPending = "migration_pending",
        "A migration file has not been applied to the database.",
        "a migration file exists that the database has not applied";
    MigrationFileMissing = "migration_file_missing",
        "The database recorded a migration whose file is not in the repository.",
        "the database applied a migration whose file is not in this branch";
    MigrationModified = "migration_modified",
        "A migration file changed after it was applied (its hash differs).",
        "a migration file was edited after it was applied";
    MigrationPartial = "migration_partial",
        "Some but not all statements of a migration are in the database.",
        "a migration failed half-way (MySQL DDL is not transactional)";
    SchemaWithoutMigration = "schema_without_migration",
        "The schema differs from the latest migration snapshot.",
        "the schema changed and `drizzle-kit generate` was not run";
}

impl std::fmt::Display for DriftKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::DriftKind;

    #[test]
    fn every_kind_name_round_trips() {
        for kind in DriftKind::ALL {
            assert_eq!(DriftKind::from_name(kind.name()), Some(*kind));
        }
    }

    #[test]
    fn serde_name_is_the_stable_name() {
        for kind in DriftKind::ALL {
            let json = serde_json::to_string(kind).unwrap_or_default();
            assert_eq!(json, format!("\"{}\"", kind.name()));
        }
    }
}
