//! information_schema rows exactly as the server sent them.
//!
//! These structs are the boundary between the wire and the code (sqlx's
//! `FromRow` idea): every value is the raw text the server sent, converted
//! from bytes with `String::from_utf8_lossy` (a [`Text`] in the catalog rows),
//! and `Option<…>` keeps SQL NULL apart from the four-letter text `NULL`.
//! Nothing is interpreted here; see [`crate::interpret`].
//!
//! They derive `Serialize`/`Deserialize` so that rows recorded from a server
//! (or written from documentation, for servers we cannot run) are JSON
//! fixtures under `tests/fixtures/<server>/<scenario>/rows.json`. In JSON a
//! missing optional field is SQL NULL.

use std::collections::BTreeMap;

use driftwatch_model::Flavor;
use serde::{Deserialize, Serialize};

/// A catalog value. Nearly all are short (names, types, `YES`/`NO`): kept
/// inline (up to 24 bytes) instead of one heap allocation each. At 2,000
/// tables (57,000 rows) this took `driftwatch inspect db` from 89 to 71 MiB
/// peak RSS (docs/BENCHMARKS.md).
pub type Text = compact_str::CompactString;

/// Server identity and settings (`SELECT VERSION(), @@version_comment, …`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServerRow {
    pub version: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version_comment: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lower_case_table_names: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub character_set_server: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collation_server: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sql_mode: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub explicit_defaults_for_timestamp: Option<String>,
    /// `@@aurora_version` (Amazon Aurora MySQL only; read with `SHOW
    /// VARIABLES`, see `catalog::AURORA_VERSION_QUERY`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aurora_version: Option<String>,
}

impl ServerRow {
    /// The server these settings identify (`VERSION()`, `@@version_comment`,
    /// `@@aurora_version`).
    pub fn flavor(&self) -> Flavor {
        Flavor::identify_server(
            &self.version,
            self.version_comment.as_deref().unwrap_or(""),
            self.aurora_version.as_deref(),
        )
    }
}

/// `information_schema.SCHEMATA` row of the inspected database.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SchemataRow {
    pub schema_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_character_set_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_collation_name: Option<String>,
}

/// `information_schema.TABLES` (no dynamic statistics columns).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TablesRow {
    pub table_name: Text,
    /// `BASE TABLE`, `VIEW`, `SYSTEM VERSIONED`, `SEQUENCE`.
    pub table_type: Text,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub engine: Option<Text>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub table_collation: Option<Text>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub table_comment: Option<Text>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub create_options: Option<Text>,
}

/// `information_schema.COLUMNS`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ColumnsRow {
    pub table_name: Text,
    pub column_name: Text,
    pub ordinal_position: Text,
    /// SQL NULL and the text `NULL` mean different things (reference §2.1).
    #[serde(default)]
    pub column_default: Option<Text>,
    pub is_nullable: Text,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub data_type: Option<Text>,
    pub column_type: Text,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub character_set_name: Option<Text>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collation_name: Option<Text>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column_key: Option<Text>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra: Option<Text>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column_comment: Option<Text>,
    /// MySQL: `''` for ordinary columns; MariaDB: SQL NULL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generation_expression: Option<Text>,
    /// MariaDB only: `ALWAYS` / `NEVER`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_generated: Option<Text>,
}

/// `information_schema.STATISTICS` (one row per index part; no CARDINALITY).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatisticsRow {
    pub table_name: Text,
    pub index_name: Text,
    pub non_unique: Text,
    pub seq_in_index: Text,
    /// NULL for a functional key part (MySQL ≥ 8.0.13).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column_name: Option<Text>,
    /// `A`, `D` or NULL.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collation: Option<Text>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sub_part: Option<Text>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub index_type: Option<Text>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub index_comment: Option<Text>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nullable: Option<Text>,
    /// MySQL ≥ 8.0.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is_visible: Option<Text>,
    /// MySQL ≥ 8.0.13.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expression: Option<Text>,
    /// MariaDB ≥ 10.6.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ignored: Option<Text>,
}

/// `information_schema.TABLE_CONSTRAINTS`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableConstraintsRow {
    pub table_name: Text,
    pub constraint_name: Text,
    /// `PRIMARY KEY`, `UNIQUE`, `FOREIGN KEY`, `CHECK`.
    pub constraint_type: Text,
    /// MySQL ≥ 8.0.16: `YES` / `NO`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enforced: Option<Text>,
}

/// `information_schema.KEY_COLUMN_USAGE`, foreign-key rows only.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyColumnUsageRow {
    /// The physical schema the server reports (on Vitess it may differ from
    /// the name that was asked for).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub table_schema: Option<Text>,
    pub table_name: Text,
    pub constraint_name: Text,
    pub column_name: Text,
    pub ordinal_position: Text,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub position_in_unique_constraint: Option<Text>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub referenced_table_schema: Option<Text>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub referenced_table_name: Option<Text>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub referenced_column_name: Option<Text>,
}

/// `information_schema.REFERENTIAL_CONSTRAINTS`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReferentialConstraintsRow {
    pub table_name: Text,
    pub constraint_name: Text,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub referenced_table_name: Option<Text>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unique_constraint_name: Option<Text>,
    pub update_rule: Text,
    pub delete_rule: Text,
}

/// `information_schema.CHECK_CONSTRAINTS`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckConstraintsRow {
    /// MariaDB only; on MySQL the table comes from TABLE_CONSTRAINTS.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub table_name: Option<Text>,
    pub constraint_name: Text,
    /// MariaDB ≥ 10.5.10: `Column` / `Table`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<Text>,
    pub check_clause: Text,
}

/// `information_schema.VIEWS`. `VIEW_DEFINITION` is empty when the user lacks
/// `SHOW VIEW` on the view (MySQL 8 and MariaDB).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ViewsRow {
    pub table_name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub view_definition: Option<String>,
}

/// `SHOW CREATE TABLE` of one table, read only as the targeted fallback of
/// `driftwatch_model::quirks::fk_rules_hidden_from_select_only_users`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShowCreateTableRow {
    pub table_name: String,
    pub create_table: String,
}

/// Where a recorded set of rows comes from (fixtures only).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Provenance {
    /// `MariaDB 10.11.19`, `MySQL 8.0 (≥ 8.0.30)`.
    pub server: String,
    /// A recorded server (and how), or the document the rows were written from.
    pub source: String,
    /// The DDL the rows describe.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ddl: Option<String>,
    /// Source tags of individual rows (`"f02_ints.c": "[AM]"`), for rows
    /// written from documentation.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub tags: BTreeMap<String, String>,
}

/// Every catalog row of one database: the input of [`crate::interpret::interpret`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CatalogRows {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provenance: Option<Provenance>,
    pub server: ServerRow,
    /// The database that was asked for.
    pub database: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schemata: Option<SchemataRow>,
    #[serde(default)]
    pub tables: Vec<TablesRow>,
    /// Boxed: each row is its own small allocation, freed as soon as it is
    /// read into the Model (`interpret_taking_columns`), and it fits in the
    /// memory the schema reader freed. One vector of 37,000 inline rows at
    /// 2,000 tables needed ≈ 13 MB of fresh memory, held until the end
    /// (docs/BENCHMARKS.md, *Memory*).
    #[serde(default)]
    #[allow(clippy::vec_box)]
    pub columns: Vec<Box<ColumnsRow>>,
    #[serde(default)]
    pub statistics: Vec<StatisticsRow>,
    #[serde(default)]
    pub table_constraints: Vec<TableConstraintsRow>,
    #[serde(default)]
    pub key_column_usage: Vec<KeyColumnUsageRow>,
    #[serde(default)]
    pub referential_constraints: Vec<ReferentialConstraintsRow>,
    #[serde(default)]
    pub check_constraints: Vec<CheckConstraintsRow>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub views: Vec<ViewsRow>,
    /// Only for tables whose foreign-key rules information_schema hid.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub show_create_tables: Vec<ShowCreateTableRow>,
}

impl CatalogRows {
    /// Frees the per-table rows once the Model is built, keeping the server
    /// and database identity (a large schema's rows are megabytes).
    pub fn release(&mut self) {
        self.tables = Vec::new();
        self.columns = Vec::new();
        self.statistics = Vec::new();
        self.table_constraints = Vec::new();
        self.key_column_usage = Vec::new();
        self.referential_constraints = Vec::new();
        self.check_constraints = Vec::new();
        self.views = Vec::new();
        self.show_create_tables = Vec::new();
    }
}

impl CatalogRows {
    /// The same rows restricted to some tables (to cut one scenario out of a
    /// recorded database).
    pub fn only_tables(&self, keep: &dyn Fn(&str) -> bool) -> CatalogRows {
        let check_names: Vec<&str> = self
            .table_constraints
            .iter()
            .filter(|c| c.constraint_type.eq_ignore_ascii_case("CHECK") && keep(&c.table_name))
            .map(|c| c.constraint_name.as_str())
            .collect();
        CatalogRows {
            provenance: self.provenance.clone(),
            server: self.server.clone(),
            database: self.database.clone(),
            schemata: self.schemata.clone(),
            tables: self
                .tables
                .iter()
                .filter(|r| keep(&r.table_name))
                .cloned()
                .collect(),
            columns: self
                .columns
                .iter()
                .filter(|r| keep(&r.table_name))
                .cloned()
                .collect(),
            statistics: self
                .statistics
                .iter()
                .filter(|r| keep(&r.table_name))
                .cloned()
                .collect(),
            table_constraints: self
                .table_constraints
                .iter()
                .filter(|r| keep(&r.table_name))
                .cloned()
                .collect(),
            key_column_usage: self
                .key_column_usage
                .iter()
                .filter(|r| keep(&r.table_name))
                .cloned()
                .collect(),
            referential_constraints: self
                .referential_constraints
                .iter()
                .filter(|r| keep(&r.table_name))
                .cloned()
                .collect(),
            check_constraints: self
                .check_constraints
                .iter()
                .filter(|r| match &r.table_name {
                    Some(table) => keep(table),
                    None => check_names.contains(&r.constraint_name.as_str()),
                })
                .cloned()
                .collect(),
            views: self
                .views
                .iter()
                .filter(|r| keep(&r.table_name))
                .cloned()
                .collect(),
            show_create_tables: self
                .show_create_tables
                .iter()
                .filter(|r| keep(&r.table_name))
                .cloned()
                .collect(),
        }
    }
}
