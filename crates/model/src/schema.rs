//! Schema → Table → Column / Index / ForeignKey / Check, as plain data.
//!
//! Values in a Model are always *canonical*: a reader builds them with the
//! constructors and canonicalization helpers of this crate, so two Models of
//! the same schema are equal field by field (sources aside).

use serde::{Deserialize, Serialize};

use crate::column_type::ColumnType;
use crate::default::DefaultValue;

/// Where an object was declared in the schema files (1-based line and column).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Source {
    /// Shared: every column, index and key of a file names the same file.
    pub file: std::sync::Arc<str>,
    pub line: u32,
    pub column: u32,
}

/// A whole schema: the tables and views of one database.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Schema {
    /// Sorted by name (see [`Schema::sort`]).
    pub tables: Vec<Table>,
    /// Sorted by name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub views: Vec<View>,
}

impl Schema {
    pub fn table(&self, name: &str) -> Option<&Table> {
        self.tables.iter().find(|t| t.name == name)
    }

    /// Puts tables, views and every table's named objects in name order, so
    /// that output derived from the Model is deterministic.
    pub fn sort(&mut self) {
        self.tables.sort_by(|a, b| a.name.cmp(&b.name));
        self.views.sort_by(|a, b| a.name.cmp(&b.name));
        for table in &mut self.tables {
            table.sort();
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Table {
    pub name: String,
    /// In declaration (ordinal) order. Order is never compared.
    pub columns: Vec<Column>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub primary_key: Option<PrimaryKey>,
    /// Secondary indexes, unique ones included (MySQL has no unique constraint
    /// apart from its unique index). Sorted by name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub indexes: Vec<Index>,
    /// Sorted by name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub foreign_keys: Vec<ForeignKey>,
    /// Sorted by name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub checks: Vec<Check>,
    /// Table default collation, when known (database side) or declared.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collation: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Source>,
}

impl Table {
    pub fn new(name: impl Into<String>) -> Self {
        Table {
            name: name.into(),
            columns: Vec::new(),
            primary_key: None,
            indexes: Vec::new(),
            foreign_keys: Vec::new(),
            checks: Vec::new(),
            collation: None,
            source: None,
        }
    }

    pub fn column(&self, name: &str) -> Option<&Column> {
        self.columns.iter().find(|c| c.name == name)
    }

    pub fn index(&self, name: &str) -> Option<&Index> {
        self.indexes.iter().find(|i| i.name == name)
    }

    pub fn sort(&mut self) {
        self.indexes.sort_by(|a, b| a.name.cmp(&b.name));
        self.foreign_keys.sort_by(|a, b| a.name.cmp(&b.name));
        self.checks.sort_by(|a, b| a.name.cmp(&b.name));
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Column {
    pub name: String,
    #[serde(rename = "type")]
    pub ty: ColumnType,
    pub nullable: bool,
    /// `None` means "no DEFAULT clause". A nullable column's implicit
    /// `DEFAULT NULL` is also `None` (see [`Column::canonicalize`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<DefaultValue>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub auto_increment: bool,
    /// `ON UPDATE CURRENT_TIMESTAMP[(fsp)]`. The fsp is not kept: servers
    /// force it to the column's own fsp, and some omit it in information_schema.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub on_update_now: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generated: Option<Generated>,
    /// Only set when declared (schema side) or when the database reports it
    /// (database side). Compared only when the schema side declares it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub charset: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collation: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Source>,
}

impl Column {
    pub fn new(name: impl Into<String>, ty: ColumnType) -> Self {
        Column {
            name: name.into(),
            ty,
            nullable: true,
            default: None,
            auto_increment: false,
            on_update_now: false,
            generated: None,
            charset: None,
            collation: None,
            comment: None,
            source: None,
        }
    }

    /// Brings the column into canonical form; readers call this last.
    ///
    /// * enum and set members lose trailing spaces;
    /// * the default is canonicalized for the column type ([`DefaultValue::canonical_for`]);
    /// * `DEFAULT NULL` on a nullable column is the same as no default;
    /// * auto-increment and generated columns have no default of their own
    ///   (MariaDB reports `NULL` there, MySQL nothing);
    /// * auto-increment columns are NOT NULL.
    pub fn canonicalize(mut self) -> Self {
        // Servers remove trailing spaces from ENUM and SET members at CREATE
        // time (MySQL manual, "The ENUM Type"; MariaDB 10.11 observed).
        if let ColumnType::Enum { values } | ColumnType::Set { values } = &mut self.ty {
            for value in values.iter_mut() {
                value.truncate(value.trim_end_matches(' ').len());
            }
        }
        self.default = self.default.take().map(|d| d.canonical_for(&self.ty));
        if self.nullable && self.default == Some(DefaultValue::Null) {
            self.default = None;
        }
        if self.auto_increment || self.generated.is_some() {
            self.default = None;
        }
        // The server makes an AUTO_INCREMENT column NOT NULL even when the DDL
        // does not say so (MariaDB 10.11 observed; drizzle-kit writes none for
        // `autoincrement().unique()`).
        if self.auto_increment {
            self.nullable = false;
        }
        self
    }
}

/// `GENERATED ALWAYS AS (expr) VIRTUAL|STORED`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Generated {
    /// Normalized with [`crate::expr::normalize`].
    pub expression: String,
    pub stored: bool,
}

/// The primary key. MySQL always names it `PRIMARY`, so it has no name here.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrimaryKey {
    pub columns: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Source>,
}

/// Why an index exists; lets the diff tell declared indexes from the ones a
/// server creates on its own.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IndexOrigin {
    /// Declared (schema side) or read from the database.
    #[default]
    Declared,
    /// The unique key MySQL adds for a `SERIAL` column, named after it
    /// (`SERIAL` = `BIGINT UNSIGNED NOT NULL AUTO_INCREMENT UNIQUE`). Drizzle's
    /// `serial()` does not declare it; the server creates it.
    SerialUnique,
}

impl IndexOrigin {
    fn is_declared(&self) -> bool {
        *self == IndexOrigin::Declared
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Index {
    pub name: String,
    pub parts: Vec<IndexPart>,
    pub unique: bool,
    /// `BTREE` (default, not stored), `FULLTEXT`, `SPATIAL`, `HASH`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(default, skip_serializing_if = "IndexOrigin::is_declared")]
    pub origin: IndexOrigin,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Source>,
}

impl Index {
    pub fn on_columns(name: impl Into<String>, columns: &[&str], unique: bool) -> Self {
        Index {
            name: name.into(),
            parts: columns.iter().map(|c| IndexPart::column(*c)).collect(),
            unique,
            kind: None,
            origin: IndexOrigin::Declared,
            source: None,
        }
    }

    /// Column names of the plain column parts, in key order.
    pub fn column_names(&self) -> Vec<&str> {
        self.parts
            .iter()
            .filter(|p| !p.is_expression)
            .map(|p| p.column.as_str())
            .collect()
    }

    /// Same definition, whatever the name and source.
    pub fn same_definition(&self, other: &Index) -> bool {
        self.parts == other.parts && self.unique == other.unique && self.kind == other.kind
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IndexPart {
    /// The column name, or for a functional key part the normalized expression.
    pub column: String,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub is_expression: bool,
    /// Prefix length (`col(20)`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prefix: Option<u32>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub descending: bool,
}

impl IndexPart {
    pub fn column(name: impl Into<String>) -> Self {
        IndexPart {
            column: name.into(),
            is_expression: false,
            prefix: None,
            descending: false,
        }
    }
}

/// Referential action. `RESTRICT` and `NO ACTION` are kept apart here (they
/// are different words in DDL) and compared as equal by [`FkAction::effective`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FkAction {
    NoAction,
    Restrict,
    Cascade,
    SetNull,
    SetDefault,
}

impl FkAction {
    /// Parses `CASCADE`, `set null`, `no action`, … (any case).
    pub fn parse(text: &str) -> Option<FkAction> {
        let lowered = text.trim().to_ascii_lowercase();
        Some(
            match lowered
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .as_str()
            {
                "no action" => FkAction::NoAction,
                "restrict" => FkAction::Restrict,
                "cascade" => FkAction::Cascade,
                "set null" => FkAction::SetNull,
                "set default" => FkAction::SetDefault,
                _ => return None,
            },
        )
    }

    /// InnoDB implements `NO ACTION` exactly as `RESTRICT` (MySQL 5.7, 8.x and
    /// MariaDB manuals), and servers disagree on which word an unspecified
    /// action is reported as (MySQL 5.7 and MariaDB: `RESTRICT`; MySQL 8:
    /// `NO ACTION`), so the two are one behaviour.
    pub fn effective(self) -> FkAction {
        match self {
            FkAction::NoAction => FkAction::Restrict,
            other => other,
        }
    }

    pub fn sql(self) -> &'static str {
        match self {
            FkAction::NoAction => "NO ACTION",
            FkAction::Restrict => "RESTRICT",
            FkAction::Cascade => "CASCADE",
            FkAction::SetNull => "SET NULL",
            FkAction::SetDefault => "SET DEFAULT",
        }
    }

    /// The spelling Drizzle's `onDelete`/`onUpdate` options use.
    pub fn drizzle(self) -> &'static str {
        match self {
            FkAction::NoAction => "no action",
            FkAction::Restrict => "restrict",
            FkAction::Cascade => "cascade",
            FkAction::SetNull => "set null",
            FkAction::SetDefault => "set default",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ForeignKey {
    pub name: String,
    pub columns: Vec<String>,
    pub referenced_table: String,
    pub referenced_columns: Vec<String>,
    pub on_delete: FkAction,
    pub on_update: FkAction,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Source>,
}

impl ForeignKey {
    /// Same columns, target and (effective) actions, whatever the name.
    pub fn same_definition(&self, other: &ForeignKey) -> bool {
        self.columns == other.columns
            && self.referenced_table == other.referenced_table
            && self.referenced_columns == other.referenced_columns
            && self.on_delete.effective() == other.on_delete.effective()
            && self.on_update.effective() == other.on_update.effective()
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Check {
    pub name: String,
    /// Normalized with [`crate::expr::normalize`].
    pub expression: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Source>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct View {
    pub name: String,
    /// Normalized definition, when statically known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub definition: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<Source>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn int_column() -> Column {
        Column::new(
            "c",
            ColumnType::parse("int").unwrap_or_else(|e| panic!("{e}")),
        )
    }

    #[test]
    fn nullable_default_null_is_no_default() {
        let mut column = int_column();
        column.default = Some(DefaultValue::Null);
        assert_eq!(column.clone().canonicalize().default, None);
        column.nullable = false;
        assert_eq!(
            column.canonicalize().default,
            Some(DefaultValue::Null),
            "only a nullable column's DEFAULT NULL is implicit"
        );
    }

    #[test]
    fn auto_increment_and_generated_columns_have_no_default() {
        let mut auto = int_column();
        auto.auto_increment = true;
        auto.default = Some(DefaultValue::Null);
        assert_eq!(auto.canonicalize().default, None);
        let mut generated = int_column();
        generated.generated = Some(Generated {
            expression: "a + 1".into(),
            stored: false,
        });
        generated.default = Some(DefaultValue::Null);
        generated.nullable = false;
        assert_eq!(generated.canonicalize().default, None);
    }

    #[test]
    fn auto_increment_column_is_not_null() {
        let mut column = int_column();
        column.auto_increment = true;
        assert!(!column.canonicalize().nullable);
        assert!(int_column().canonicalize().nullable);
    }

    #[test]
    fn no_action_and_restrict_are_one_behaviour() {
        assert_eq!(FkAction::NoAction.effective(), FkAction::Restrict);
        assert_eq!(FkAction::Restrict.effective(), FkAction::Restrict);
        assert_eq!(FkAction::Cascade.effective(), FkAction::Cascade);
        let fk = |action: FkAction| ForeignKey {
            name: "f".into(),
            columns: vec!["pid".into()],
            referenced_table: "p".into(),
            referenced_columns: vec!["id".into()],
            on_delete: action,
            on_update: action,
            source: None,
        };
        assert!(fk(FkAction::NoAction).same_definition(&fk(FkAction::Restrict)));
        assert!(!fk(FkAction::NoAction).same_definition(&fk(FkAction::Cascade)));
    }
}
