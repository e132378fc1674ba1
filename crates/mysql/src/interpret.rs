//! Catalog rows → Model. Pure: no I/O, the same code for live rows and for
//! recorded fixtures.
//!
//! Every server quirk is a named rule in [`driftwatch_model::quirks`]; this
//! module only joins the catalog tables (in Rust, never on the server) and
//! applies the rules. What it cannot read becomes an [`InspectDiagnostic`]
//! naming the table (and column, index, constraint), never a guess and never
//! a panic. Implicit objects (FK helper indexes, the `serial` unique index)
//! are kept: the diff knows the expected side and decides.

use std::collections::{BTreeMap, HashMap, HashSet};

use driftwatch_model::quirks::{self, GeneratedStorage};
use driftwatch_model::{
    Check, Column, ColumnType, FkAction, Flavor, ForeignKey, Generated, Index, IndexOrigin,
    IndexPart, PrimaryKey, Schema, Table, View,
};
use serde::{Deserialize, Serialize};

use crate::rows::{CatalogRows, ColumnsRow, KeyColumnUsageRow, StatisticsRow};

/// How to read a database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InspectOptions {
    /// drizzle-kit's bookkeeping table (`migrations.table` in
    /// drizzle.config); skipped and listed in `ignored_tables`.
    pub migrations_table: String,
}

impl Default for InspectOptions {
    fn default() -> Self {
        InspectOptions {
            migrations_table: "__drizzle_migrations".to_string(),
        }
    }
}

/// Something in the catalog that could not be read into the Model. The table
/// it names is incomplete: a run that has one can never be "clean".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InspectDiagnostic {
    pub table: String,
    /// Column, index or constraint name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub object: Option<String>,
    pub message: String,
}

impl std::fmt::Display for InspectDiagnostic {
    /// `table `users`, `email`: message` (the table alone when no object).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match (&self.object, self.table.is_empty()) {
            (Some(object), false) => {
                write!(f, "table `{}`, `{object}`: {}", self.table, self.message)
            }
            (Some(object), true) => write!(f, "`{object}`: {}", self.message),
            (None, _) => write!(f, "table `{}`: {}", self.table, self.message),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Interpreted {
    pub schema: Schema,
    pub diagnostics: Vec<InspectDiagnostic>,
    /// Tables present in the database but not modeled: the migrations table,
    /// sequences, unknown table types. Sorted.
    pub ignored_tables: Vec<String>,
}

/// Turns the catalog rows of one database into its Model.
pub fn interpret(rows: &CatalogRows, flavor: &Flavor, options: &InspectOptions) -> Interpreted {
    interpret_with_columns(rows, rows.columns.clone(), flavor, options)
}

/// [`interpret`], taking the COLUMNS rows out of `rows`: each row is freed
/// as soon as it is read, so that the Model's columns reuse its memory
/// instead of adding to it (at 2,000 tables the rows take ≈ 13 MB, the
/// columns as much; docs/BENCHMARKS.md, *Memory*).
pub fn interpret_taking_columns(
    rows: &mut CatalogRows,
    flavor: &Flavor,
    options: &InspectOptions,
) -> Interpreted {
    let columns = std::mem::take(&mut rows.columns);
    interpret_with_columns(rows, columns, flavor, options)
}

/// `columns` stands for `rows.columns` (boxed on purpose: see
/// `CatalogRows::columns`).
#[allow(clippy::vec_box)]
fn interpret_with_columns(
    rows: &CatalogRows,
    mut columns: Vec<Box<ColumnsRow>>,
    flavor: &Flavor,
    options: &InspectOptions,
) -> Interpreted {
    let mut reader = Reader {
        flavor,
        case_insensitive: quirks::table_names_case_insensitive(
            rows.server.lower_case_table_names.as_deref(),
        ),
        diagnostics: Vec::new(),
        row_end_columns: HashMap::new(),
        generated_primary_keys: HashSet::new(),
    };
    let mut tables: BTreeMap<String, Table> = BTreeMap::new();
    let mut views = Vec::new();
    let mut skipped: HashSet<String> = HashSet::new();
    let mut ignored_tables = Vec::new();

    // TABLES: what each name is.
    for row in &rows.tables {
        let name = row.table_name.to_string();
        if reader.same_name(&name, &options.migrations_table) {
            skipped.insert(name.clone());
            ignored_tables.push(name);
            continue;
        }
        match row.table_type.trim().to_ascii_uppercase().as_str() {
            // MariaDB: a table WITH SYSTEM VERSIONING is a base table.
            "BASE TABLE" | "SYSTEM VERSIONED" => {
                let mut table = Table::new(name.clone());
                table.collation = row
                    .table_collation
                    .as_deref()
                    .map(quirks::canonical_collation);
                tables.insert(name, table);
            }
            "VIEW" => {
                skipped.insert(name.clone());
                // An empty definition means the user may not see it (no SHOW VIEW).
                let definition = rows
                    .views
                    .iter()
                    .find(|v| reader.same_name(&v.table_name, &name))
                    .and_then(|v| v.view_definition.as_deref())
                    .filter(|d| !d.trim().is_empty())
                    .map(|d| quirks::normalize_server_expression(d, reader.flavor));
                views.push(View {
                    name,
                    definition,
                    source: None,
                });
            }
            // MariaDB / TiDB sequences: not modeled by Drizzle.
            "SEQUENCE" => {
                skipped.insert(name.clone());
                ignored_tables.push(name);
            }
            other => {
                reader.diag(
                    &name,
                    None,
                    format!("table type `{other}` is not modeled; the table is skipped"),
                );
                skipped.insert(name.clone());
                ignored_tables.push(name);
            }
        }
    }

    // COLUMNS, in ordinal order per table (table names as bytes: the
    // server orders TABLE_NAME by its own, case-insensitive, collation).
    fn key(row: &ColumnsRow) -> (&str, u64) {
        (row.table_name.as_str(), number(&row.ordinal_position))
    }
    if !columns.is_sorted_by(|a, b| key(a) <= key(b)) {
        columns.sort_by(|a, b| key(a).cmp(&key(b)));
    }
    let mut unlisted: HashSet<String> = HashSet::new();
    let mut rest = columns.into_iter().peekable();
    while let Some(first) = rest.peek() {
        let name = first.table_name.clone();
        // One table's rows; each is dropped once read.
        let group: Vec<Box<ColumnsRow>> =
            std::iter::from_fn(|| rest.next_if(|row| row.table_name == name)).collect();
        match tables.get_mut(name.as_str()) {
            Some(table) => {
                // Sized once: no growth slack in the Model.
                table.columns.reserve_exact(group.len());
                for row in group {
                    if reader.is_generated_primary_key(&row) {
                        reader.generated_primary_keys.insert(name.to_string());
                    } else {
                        table.columns.push(reader.column(&row));
                    }
                }
            }
            None if skipped.contains(name.as_str()) => {}
            None => {
                if unlisted.insert(name.to_string()) {
                    reader.diag(
                        &name,
                        None,
                        "columns of a table missing from information_schema.TABLES \
                         (created or dropped while reading?); the table is skipped"
                            .to_string(),
                    );
                }
            }
        }
    }

    reader.checks(rows, &mut tables);
    reader.indexes(rows, &mut tables);
    reader.drop_appended_row_end_key_parts(&mut tables);
    reader.drop_generated_primary_keys(&mut tables);
    reader.foreign_keys(rows, &mut tables);

    let mut schema = Schema {
        tables: tables
            .into_values()
            .map(|mut table| {
                table.columns = std::mem::take(&mut table.columns)
                    .into_iter()
                    .map(|c| {
                        let ty = c.ty.clone();
                        let mut c = c.canonicalize();
                        c.default = c
                            .default
                            .map(|d| quirks::trim_binary_default_padding(d, &ty));
                        c
                    })
                    .collect();
                table
            })
            .collect(),
        views,
    };
    schema.sort();
    ignored_tables.sort();
    Interpreted {
        schema,
        diagnostics: reader.diagnostics,
        ignored_tables,
    }
}

struct Reader<'a> {
    flavor: &'a Flavor,
    case_insensitive: bool,
    diagnostics: Vec<InspectDiagnostic>,
    /// Table → its explicit system-versioning ROW END column (MariaDB).
    row_end_columns: HashMap<String, String>,
    /// Tables whose `my_row_id` primary key the server generated (MySQL ≥ 8.0.30).
    generated_primary_keys: HashSet<String>,
}

impl Reader<'_> {
    fn diag(&mut self, table: &str, object: Option<&str>, message: String) {
        self.diagnostics.push(InspectDiagnostic {
            table: table.to_string(),
            object: object.map(str::to_string),
            message,
        });
    }

    /// Table names compare case-insensitively when `lower_case_table_names`
    /// is 1 or 2.
    fn same_name(&self, a: &str, b: &str) -> bool {
        if self.case_insensitive {
            a.eq_ignore_ascii_case(b)
        } else {
            a == b
        }
    }

    fn column(&mut self, row: &ColumnsRow) -> Column {
        let table = row.table_name.as_str();
        let name = row.column_name.as_str();
        let ty = match ColumnType::parse(&row.column_type) {
            Ok(ty) => ty,
            Err(error) => {
                self.diag(
                    table,
                    Some(name),
                    format!("{error}; the type is compared as unsupported text"),
                );
                ColumnType::Unsupported {
                    raw: row.column_type.to_string(),
                }
            }
        };
        let nullable = row.is_nullable.trim().eq_ignore_ascii_case("YES");
        let extra_text = row.extra.as_deref().unwrap_or("");
        let mut extra = quirks::parse_extra(extra_text);
        if quirks::tidb_on_update_default_generated(self.flavor, &extra) {
            extra.default_generated = false;
        }
        for token in &extra.unknown {
            self.diag(
                table,
                Some(name),
                format!("unknown EXTRA attribute `{token}` (EXTRA is `{extra_text}`); it is not compared"),
            );
        }

        let raw_default = row.column_default.as_deref();
        let default = if quirks::mariadb_quotes_literal_defaults(self.flavor) {
            quirks::decode_mariadb_column_default(raw_default)
        } else if quirks::expression_default_hidden(raw_default, &extra) {
            self.diag(
                table,
                Some(name),
                "the server flags an expression default (DEFAULT_GENERATED) but information_schema \
                 does not show it (MySQL 8.0.13–8.0.22 on TEXT/BLOB/JSON); the default is not compared"
                    .to_string(),
            );
            None
        } else {
            quirks::decode_mysql_column_default(raw_default, &extra, nullable, &ty, self.flavor)
        };

        let on_update_now = match &extra.on_update {
            Some(expression) if quirks::on_update_is_current_timestamp(expression) => true,
            Some(expression) => {
                self.diag(
                    table,
                    Some(name),
                    format!(
                        "ON UPDATE `{expression}` is not CURRENT_TIMESTAMP; it is not compared"
                    ),
                );
                false
            }
            None => false,
        };

        let expression = row
            .generation_expression
            .as_deref()
            .filter(|e| !e.trim().is_empty());
        let generated = match (extra.generated, expression) {
            (Some(_), Some(expression))
                if quirks::is_system_versioning_period_column(expression) =>
            {
                if quirks::is_system_versioning_row_end(expression) {
                    self.row_end_columns
                        .insert(table.to_string(), name.to_string());
                }
                self.diag(
                    table,
                    Some(name),
                    format!(
                        "system-versioning period column (GENERATED ALWAYS AS {expression}), \
                         which a Drizzle schema cannot declare; it is not compared"
                    ),
                );
                None
            }
            (Some(storage), Some(expression)) => Some(Generated {
                expression: quirks::normalize_server_expression(expression, self.flavor),
                stored: storage == GeneratedStorage::Stored,
            }),
            (Some(_), None) => {
                self.diag(
                    table,
                    Some(name),
                    "generated column without a GENERATION_EXPRESSION; the expression is not compared"
                        .to_string(),
                );
                None
            }
            (None, Some(expression)) => {
                self.diag(
                    table,
                    Some(name),
                    format!(
                        "GENERATION_EXPRESSION `{expression}` but EXTRA `{extra_text}` says neither \
                         VIRTUAL nor STORED; the column is read as not generated"
                    ),
                );
                None
            }
            (None, None) => None,
        };

        let mut column = Column::new(name, ty);
        column.nullable = nullable;
        column.default = default;
        column.auto_increment = extra.auto_increment;
        column.on_update_now = on_update_now;
        column.generated = generated;
        column.charset = row
            .character_set_name
            .as_deref()
            .map(quirks::canonical_charset);
        column.collation = row
            .collation_name
            .as_deref()
            .map(quirks::canonical_collation);
        column.comment = row
            .column_comment
            .as_deref()
            .filter(|c| !c.is_empty())
            .map(str::to_string);
        column
    }

    /// CHECK_CONSTRAINTS → `Table::checks`. MySQL rows carry no table name:
    /// names are unique per schema there, so TABLE_CONSTRAINTS maps them.
    /// MariaDB's automatic `json_valid` checks turn their column into JSON.
    fn checks(&mut self, rows: &CatalogRows, tables: &mut BTreeMap<String, Table>) {
        let mut check_tables: HashMap<&str, Vec<&str>> = HashMap::new();
        let mut enforced: HashMap<(&str, &str), &str> = HashMap::new();
        for tc in &rows.table_constraints {
            if tc.constraint_type.trim().eq_ignore_ascii_case("CHECK") {
                check_tables
                    .entry(tc.constraint_name.as_str())
                    .or_default()
                    .push(tc.table_name.as_str());
                if let Some(flag) = tc.enforced.as_deref() {
                    enforced.insert((tc.table_name.as_str(), tc.constraint_name.as_str()), flag);
                }
            }
        }
        for cc in &rows.check_constraints {
            let name = cc.constraint_name.as_str();
            let table_name = match cc.table_name.as_deref() {
                Some(table) => table,
                None => match check_tables.get(name).map(Vec::as_slice) {
                    Some([table]) => table,
                    Some(many) => {
                        for table in many {
                            self.diag(
                                table,
                                Some(name),
                                format!(
                                    "CHECK `{name}` exists on several tables and information_schema \
                                     does not say which clause belongs to which; it is not compared"
                                ),
                            );
                        }
                        continue;
                    }
                    None => {
                        self.diag(
                            "",
                            Some(name),
                            format!("CHECK `{name}` is not listed in TABLE_CONSTRAINTS; its table is unknown"),
                        );
                        continue;
                    }
                },
            };
            let Some(table) = tables.get_mut(table_name) else {
                continue;
            };
            if self.flavor.is_mariadb() {
                let json_column = table.columns.iter_mut().find(|c| {
                    quirks::is_mariadb_json_check(&c.name, &c.ty, name, &cc.check_clause)
                });
                if let Some(column) = json_column {
                    column.ty = ColumnType::Json;
                    // MariaDB's JSON alias implies utf8mb4_bin; MySQL's json has no collation.
                    column.charset = None;
                    column.collation = None;
                    continue;
                }
            }
            if enforced
                .get(&(table_name, name))
                .is_some_and(|f| f.eq_ignore_ascii_case("NO"))
            {
                self.diag(
                    table_name,
                    Some(name),
                    format!("CHECK `{name}` is NOT ENFORCED; enforcement is not compared"),
                );
            }
            table.checks.push(Check {
                name: quirks::vitess_original_constraint_name(table_name, name, self.flavor)
                    .into_owned(),
                expression: quirks::normalize_server_expression(&cc.check_clause, self.flavor),
                source: None,
            });
        }
    }

    /// STATISTICS → `Table::primary_key` and `Table::indexes`.
    fn indexes(&mut self, rows: &CatalogRows, tables: &mut BTreeMap<String, Table>) {
        let mut groups: BTreeMap<(&str, &str), Vec<&StatisticsRow>> = BTreeMap::new();
        for row in &rows.statistics {
            groups
                .entry((row.table_name.as_str(), row.index_name.as_str()))
                .or_default()
                .push(row);
        }
        for ((table_name, index_name), mut parts) in groups {
            let Some(table) = tables.get_mut(table_name) else {
                continue;
            };
            parts.sort_by_key(|p| number(&p.seq_in_index));
            if index_name == "PRIMARY" {
                let columns: Option<Vec<String>> = parts
                    .iter()
                    .map(|p| p.column_name.as_deref().map(str::to_string))
                    .collect();
                match columns {
                    Some(columns) => {
                        table.primary_key = Some(PrimaryKey {
                            columns,
                            source: None,
                        })
                    }
                    None => self.diag(
                        table_name,
                        Some(index_name),
                        "primary key part without a column; the primary key is not compared"
                            .to_string(),
                    ),
                }
                continue;
            }
            let Some(first) = parts.first() else {
                continue;
            };
            let index_type = first.index_type.as_deref();
            let mut index_parts = Vec::with_capacity(parts.len());
            let mut readable = true;
            for part in &parts {
                let descending = quirks::index_part_descending(part.collation.as_deref());
                match (&part.column_name, &part.expression) {
                    (Some(column), _) => index_parts.push(IndexPart {
                        column: column.to_string(),
                        is_expression: false,
                        prefix: quirks::index_prefix(part.sub_part.as_deref(), index_type),
                        descending,
                    }),
                    // MySQL >= 8.0.13 functional key part.
                    (None, Some(expression)) => index_parts.push(IndexPart {
                        column: quirks::normalize_server_expression(expression, self.flavor),
                        is_expression: true,
                        prefix: None,
                        descending,
                    }),
                    (None, None) => readable = false,
                }
            }
            if !readable {
                self.diag(
                    table_name,
                    Some(index_name),
                    "index part with neither a column nor an expression; the index is not compared"
                        .to_string(),
                );
                continue;
            }
            table.indexes.push(Index {
                name: index_name.to_string(),
                parts: index_parts,
                unique: first.non_unique.trim() == "0",
                kind: quirks::index_kind(index_type),
                origin: IndexOrigin::Declared,
                source: None,
            });
        }
    }

    /// `my_row_id` of a generated invisible primary key (MySQL ≥ 8.0.30).
    fn is_generated_primary_key(&self, row: &ColumnsRow) -> bool {
        let extra = quirks::parse_extra(row.extra.as_deref().unwrap_or(""));
        quirks::is_generated_invisible_primary_key(
            self.flavor,
            &row.column_name,
            &row.column_type,
            &extra,
        )
    }

    /// The server-made `PRIMARY KEY (my_row_id)` goes with its column.
    fn drop_generated_primary_keys(&self, tables: &mut BTreeMap<String, Table>) {
        for table_name in &self.generated_primary_keys {
            if let Some(table) = tables.get_mut(table_name)
                && table
                    .primary_key
                    .as_ref()
                    .is_some_and(|pk| pk.columns == ["my_row_id"])
            {
                table.primary_key = None;
            }
        }
    }

    /// MariaDB appends a system-versioned table's ROW END column to its
    /// primary key and unique keys; the declared key is the key without it.
    fn drop_appended_row_end_key_parts(&self, tables: &mut BTreeMap<String, Table>) {
        for (table_name, row_end) in &self.row_end_columns {
            let Some(table) = tables.get_mut(table_name) else {
                continue;
            };
            if let Some(key) = &mut table.primary_key
                && quirks::key_has_appended_row_end(key.columns.iter().map(String::as_str), row_end)
            {
                key.columns.pop();
            }
            for index in table.indexes.iter_mut().filter(|i| i.unique) {
                let columns = index.parts.iter().map(|p| {
                    if p.is_expression {
                        ""
                    } else {
                        p.column.as_str()
                    }
                });
                if quirks::key_has_appended_row_end(columns, row_end) {
                    index.parts.pop();
                }
            }
        }
    }

    /// KEY_COLUMN_USAGE joined with REFERENTIAL_CONSTRAINTS on
    /// (TABLE_NAME, CONSTRAINT_NAME) → `Table::foreign_keys`.
    fn foreign_keys(&mut self, rows: &CatalogRows, tables: &mut BTreeMap<String, Table>) {
        let mut rules: HashMap<(&str, &str), (FkAction, FkAction)> = HashMap::new();
        let mut unreadable: HashMap<(&str, &str), String> = HashMap::new();
        // SHOW CREATE TABLE fallback first, so that real rows win.
        let omitted = quirks::show_create_omitted_fk_action(self.flavor);
        for show in &rows.show_create_tables {
            for fk in quirks::parse_show_create_foreign_keys(&show.create_table, omitted) {
                let name = rows
                    .key_column_usage
                    .iter()
                    .find(|k| k.table_name == show.table_name && k.constraint_name == fk.name)
                    .map(|k| k.constraint_name.as_str());
                if let Some(name) = name {
                    rules.insert(
                        (show.table_name.as_str(), name),
                        (fk.on_delete, fk.on_update),
                    );
                }
            }
        }
        for r in &rows.referential_constraints {
            let key = (r.table_name.as_str(), r.constraint_name.as_str());
            match (
                FkAction::parse(&r.delete_rule),
                FkAction::parse(&r.update_rule),
            ) {
                (Some(on_delete), Some(on_update)) => {
                    rules.insert(key, (on_delete, on_update));
                }
                _ => {
                    unreadable.insert(
                        key,
                        format!(
                            "unknown foreign key rule (DELETE_RULE `{}`, UPDATE_RULE `{}`); it is not compared",
                            r.delete_rule, r.update_rule
                        ),
                    );
                }
            }
        }
        let mut groups: BTreeMap<(&str, &str), Vec<&KeyColumnUsageRow>> = BTreeMap::new();
        for row in &rows.key_column_usage {
            groups
                .entry((row.table_name.as_str(), row.constraint_name.as_str()))
                .or_default()
                .push(row);
        }
        for ((table_name, name), mut pairs) in groups {
            if !tables.contains_key(table_name) {
                continue;
            }
            pairs.sort_by_key(|p| number(&p.ordinal_position));
            if let Some(message) = unreadable.remove(&(table_name, name)) {
                self.diag(table_name, Some(name), message);
                continue;
            }
            let Some(&(on_delete, on_update)) = rules.get(&(table_name, name)) else {
                self.diag(
                    table_name,
                    Some(name),
                    "foreign key whose ON DELETE / ON UPDATE rules the server did not show \
                     (no REFERENTIAL_CONSTRAINTS row); it is not compared"
                        .to_string(),
                );
                continue;
            };
            let Some(first) = pairs.first() else {
                continue;
            };
            let referenced: Option<Vec<String>> = pairs
                .iter()
                .map(|p| p.referenced_column_name.as_deref().map(str::to_string))
                .collect();
            let (Some(referenced_table), Some(referenced_columns)) = (
                first.referenced_table_name.as_deref().map(str::to_string),
                referenced,
            ) else {
                self.diag(
                    table_name,
                    Some(name),
                    "foreign key without referenced table or columns; it is not compared"
                        .to_string(),
                );
                continue;
            };
            // A reference into another database keeps its schema in the name.
            let home = first
                .table_schema
                .as_deref()
                .unwrap_or(rows.database.as_str());
            let referenced_table = match first.referenced_table_schema.as_deref() {
                Some(schema) if !self.same_name(schema, home) => {
                    format!("{schema}.{referenced_table}")
                }
                _ => referenced_table,
            };
            let foreign_key = ForeignKey {
                name: quirks::vitess_original_constraint_name(table_name, name, self.flavor)
                    .into_owned(),
                columns: pairs.iter().map(|p| p.column_name.to_string()).collect(),
                referenced_table,
                referenced_columns,
                on_delete,
                on_update,
                source: None,
            };
            if let Some(table) = tables.get_mut(table_name) {
                table.foreign_keys.push(foreign_key);
            }
        }
    }
}

/// Numeric text (ORDINAL_POSITION, SEQ_IN_INDEX) for sorting; unparseable
/// text sorts last, in input order.
fn number(text: &str) -> u64 {
    text.trim().parse().unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rows::{
        CheckConstraintsRow, ReferentialConstraintsRow, ServerRow, TableConstraintsRow, TablesRow,
    };

    fn mysql() -> Flavor {
        Flavor::identify("8.0.36", "MySQL Community Server - GPL")
    }

    fn mariadb() -> Flavor {
        Flavor::identify("10.11.19-MariaDB", "")
    }

    fn base_table(name: &str) -> TablesRow {
        TablesRow {
            table_name: name.into(),
            table_type: "BASE TABLE".into(),
            ..TablesRow::default()
        }
    }

    fn column(table: &str, name: &str, ty: &str, extra: &str) -> ColumnsRow {
        ColumnsRow {
            table_name: table.into(),
            column_name: name.into(),
            ordinal_position: "1".into(),
            is_nullable: "YES".into(),
            column_type: ty.into(),
            extra: Some(extra.into()),
            ..ColumnsRow::default()
        }
    }

    fn rows(tables: Vec<TablesRow>, columns: Vec<ColumnsRow>) -> CatalogRows {
        CatalogRows {
            server: ServerRow {
                version: "8.0.36".into(),
                ..ServerRow::default()
            },
            database: "app".into(),
            tables,
            columns: columns.into_iter().map(Box::new).collect(),
            ..CatalogRows::default()
        }
    }

    fn run(rows: &CatalogRows, flavor: &Flavor) -> Interpreted {
        interpret(rows, flavor, &InspectOptions::default())
    }

    #[test]
    fn unparseable_column_type_is_unsupported_with_a_diagnostic() {
        let input = rows(vec![base_table("t")], vec![column("t", "c", "varchar", "")]);
        let out = run(&input, &mysql());
        let ty = out
            .schema
            .table("t")
            .and_then(|t| t.column("c"))
            .map(|c| c.ty.clone());
        assert_eq!(
            ty,
            Some(ColumnType::Unsupported {
                raw: "varchar".into()
            })
        );
        assert_eq!(out.diagnostics.len(), 1);
        assert_eq!(out.diagnostics[0].object.as_deref(), Some("c"));
    }

    /// Two tables, each with an unparseable type, listed out of order.
    fn two_tables_with_bad_types() -> CatalogRows {
        let mut b = column("b", "x", "varchar", "");
        b.ordinal_position = "1".into();
        let mut a2 = column("a", "y", "varchar", "");
        a2.ordinal_position = "2".into();
        let mut a1 = column("a", "x", "varchar", "");
        a1.ordinal_position = "1".into();
        rows(vec![base_table("a"), base_table("b")], vec![b, a2, a1])
    }

    #[test]
    fn taking_the_columns_reads_what_reading_them_in_place_reads() {
        let input = two_tables_with_bad_types();
        let in_place = run(&input, &mysql());
        let mut taken_from = input.clone();
        let taken = interpret_taking_columns(&mut taken_from, &mysql(), &InspectOptions::default());
        assert_eq!(taken, in_place);
        assert!(taken_from.columns.is_empty());
    }

    #[test]
    fn columns_are_read_in_table_and_ordinal_order_whatever_the_row_order() {
        let out = run(&two_tables_with_bad_types(), &mysql());
        let diagnostics: Vec<(&str, Option<&str>)> = out
            .diagnostics
            .iter()
            .map(|d| (d.table.as_str(), d.object.as_deref()))
            .collect();
        assert_eq!(
            diagnostics,
            [("a", Some("x")), ("a", Some("y")), ("b", Some("x"))]
        );
        let a: Vec<&str> = out.schema.tables[0]
            .columns
            .iter()
            .map(|c| c.name.as_str())
            .collect();
        assert_eq!(a, ["x", "y"]);
    }

    #[test]
    fn mysql_generated_invisible_primary_key_is_not_part_of_the_model() {
        let mut input = rows(
            vec![base_table("t")],
            vec![
                column(
                    "t",
                    "my_row_id",
                    "bigint unsigned",
                    "auto_increment INVISIBLE",
                ),
                column("t", "name", "varchar(20)", ""),
            ],
        );
        input.columns[0].is_nullable = "NO".into();
        input.statistics.push(StatisticsRow {
            table_name: "t".into(),
            index_name: "PRIMARY".into(),
            non_unique: "0".into(),
            seq_in_index: "1".into(),
            column_name: Some("my_row_id".into()),
            ..StatisticsRow::default()
        });
        let out = run(&input, &Flavor::identify("8.0.34", ""));
        let table = out.schema.table("t").expect("table t");
        assert_eq!(table.columns.len(), 1);
        assert_eq!(table.columns[0].name, "name");
        assert!(table.primary_key.is_none());
        assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
    }

    #[test]
    fn unknown_extra_token_is_a_diagnostic_naming_table_and_column() {
        let input = rows(
            vec![base_table("t")],
            vec![column("t", "id", "bigint", "auto_random(5)")],
        );
        let out = run(&input, &mysql());
        assert_eq!(out.diagnostics.len(), 1, "{:?}", out.diagnostics);
        assert_eq!(out.diagnostics[0].table, "t");
        assert!(out.diagnostics[0].message.contains("auto_random(5)"));
    }

    #[test]
    fn mysql_8_0_13_hidden_blob_expression_default_is_a_diagnostic() {
        let input = rows(
            vec![base_table("t")],
            vec![column("t", "j", "json", "DEFAULT_GENERATED")],
        );
        let out = run(&input, &mysql());
        assert_eq!(out.diagnostics.len(), 1, "{:?}", out.diagnostics);
        assert_eq!(
            out.schema
                .table("t")
                .and_then(|t| t.column("j"))
                .map(|c| c.default.clone()),
            Some(None)
        );
    }

    #[test]
    fn unknown_table_type_is_ignored_with_a_diagnostic() {
        let mut odd = base_table("odd");
        odd.table_type = "TEMPORARY".into();
        let out = run(
            &rows(vec![odd], vec![column("odd", "c", "int", "")]),
            &mysql(),
        );
        assert!(out.schema.tables.is_empty());
        assert_eq!(out.ignored_tables, ["odd"]);
        assert_eq!(out.diagnostics.len(), 1);
    }

    #[test]
    fn columns_of_an_unlisted_table_are_reported_once() {
        let input = rows(
            vec![],
            vec![
                column("ghost", "a", "int", ""),
                column("ghost", "b", "int", ""),
            ],
        );
        let out = run(&input, &mysql());
        assert_eq!(out.diagnostics.len(), 1);
        assert_eq!(out.diagnostics[0].table, "ghost");
    }

    #[test]
    fn foreign_key_without_rules_is_a_diagnostic_not_a_guess() {
        let mut input = rows(
            vec![base_table("c"), base_table("p")],
            vec![column("c", "pid", "int", ""), column("p", "id", "int", "")],
        );
        input.key_column_usage.push(KeyColumnUsageRow {
            table_name: "c".into(),
            constraint_name: "c_fk".into(),
            column_name: "pid".into(),
            ordinal_position: "1".into(),
            referenced_table_name: Some("p".into()),
            referenced_column_name: Some("id".into()),
            ..KeyColumnUsageRow::default()
        });
        let out = run(&input, &mysql());
        assert!(
            out.schema
                .table("c")
                .is_some_and(|t| t.foreign_keys.is_empty())
        );
        assert_eq!(out.diagnostics.len(), 1);
        assert_eq!(out.diagnostics[0].object.as_deref(), Some("c_fk"));

        input
            .referential_constraints
            .push(ReferentialConstraintsRow {
                table_name: "c".into(),
                constraint_name: "c_fk".into(),
                update_rule: "CASCADE".into(),
                delete_rule: "EXPLODE".into(),
                ..ReferentialConstraintsRow::default()
            });
        let out = run(&input, &mysql());
        assert!(
            out.diagnostics[0].message.contains("EXPLODE"),
            "{:?}",
            out.diagnostics
        );
    }

    #[test]
    fn foreign_key_into_another_database_keeps_the_schema_in_the_name() {
        let mut input = rows(vec![base_table("c")], vec![column("c", "pid", "int", "")]);
        input.key_column_usage.push(KeyColumnUsageRow {
            table_schema: Some("app".into()),
            table_name: "c".into(),
            constraint_name: "c_fk".into(),
            column_name: "pid".into(),
            ordinal_position: "1".into(),
            referenced_table_schema: Some("billing".into()),
            referenced_table_name: Some("p".into()),
            referenced_column_name: Some("id".into()),
            ..KeyColumnUsageRow::default()
        });
        input
            .referential_constraints
            .push(ReferentialConstraintsRow {
                table_name: "c".into(),
                constraint_name: "c_fk".into(),
                update_rule: "RESTRICT".into(),
                delete_rule: "CASCADE".into(),
                ..ReferentialConstraintsRow::default()
            });
        let out = run(&input, &mysql());
        let target = out
            .schema
            .table("c")
            .and_then(|t| t.foreign_keys.first())
            .map(|f| f.referenced_table.clone());
        assert_eq!(target.as_deref(), Some("billing.p"));
    }

    #[test]
    fn mysql_check_name_on_two_tables_is_ambiguous_not_guessed() {
        let mut input = rows(vec![base_table("a"), base_table("b")], vec![]);
        for table in ["a", "b"] {
            input.table_constraints.push(TableConstraintsRow {
                table_name: table.into(),
                constraint_name: "chk".into(),
                constraint_type: "CHECK".into(),
                enforced: Some("YES".into()),
            });
        }
        input.check_constraints.push(CheckConstraintsRow {
            constraint_name: "chk".into(),
            check_clause: "(1 = 1)".into(),
            ..CheckConstraintsRow::default()
        });
        let out = run(&input, &mysql());
        assert!(out.schema.tables.iter().all(|t| t.checks.is_empty()));
        assert_eq!(out.diagnostics.len(), 2);
    }

    #[test]
    fn not_enforced_check_is_read_with_a_diagnostic() {
        let mut input = rows(vec![base_table("a")], vec![]);
        input.table_constraints.push(TableConstraintsRow {
            table_name: "a".into(),
            constraint_name: "chk".into(),
            constraint_type: "CHECK".into(),
            enforced: Some("NO".into()),
        });
        input.check_constraints.push(CheckConstraintsRow {
            constraint_name: "chk".into(),
            check_clause: "(`x` > 0)".into(),
            ..CheckConstraintsRow::default()
        });
        let out = run(&input, &mysql());
        let checks = out
            .schema
            .table("a")
            .map(|t| t.checks.clone())
            .unwrap_or_default();
        assert_eq!(checks.first().map(|c| c.expression.as_str()), Some("x > 0"));
        assert_eq!(out.diagnostics.len(), 1);
    }

    #[test]
    fn json_valid_check_is_not_json_outside_mariadb() {
        let mut input = rows(
            vec![base_table("t")],
            vec![column("t", "j", "longtext", "")],
        );
        input.check_constraints.push(CheckConstraintsRow {
            table_name: Some("t".into()),
            constraint_name: "j".into(),
            check_clause: "json_valid(`j`)".into(),
            ..CheckConstraintsRow::default()
        });
        let my = run(&input, &mysql());
        assert_eq!(my.schema.table("t").map(|t| t.checks.len()), Some(1));
        let maria = run(&input, &mariadb());
        assert_eq!(maria.schema.table("t").map(|t| t.checks.len()), Some(0));
        let ty = maria
            .schema
            .table("t")
            .and_then(|t| t.column("j"))
            .map(|c| c.ty.clone());
        assert_eq!(ty, Some(ColumnType::Json));
    }

    #[test]
    fn migrations_table_name_follows_lower_case_table_names() {
        let mut input = rows(vec![base_table("__Drizzle_Migrations")], vec![]);
        input.server.lower_case_table_names = Some("1".into());
        assert_eq!(
            run(&input, &mysql()).ignored_tables,
            ["__Drizzle_Migrations"]
        );
        input.server.lower_case_table_names = Some("0".into());
        assert!(run(&input, &mysql()).ignored_tables.is_empty());
    }

    #[test]
    fn custom_migrations_table_is_skipped() {
        let input = rows(vec![base_table("my_migrations")], vec![]);
        let options = InspectOptions {
            migrations_table: "my_migrations".into(),
        };
        let out = interpret(&input, &mysql(), &options);
        assert!(out.schema.tables.is_empty());
        assert_eq!(out.ignored_tables, ["my_migrations"]);
    }

    #[test]
    fn vitess_fk_and_check_names_lose_their_deploy_suffix() {
        let vitess = Flavor::identify("8.0.34-Vitess", "PlanetScale");
        let suffixed = "c_fk_5vtaqz7kepok6wa91vryrkrje";
        let mut input = rows(vec![base_table("c")], vec![column("c", "pid", "int", "")]);
        input.key_column_usage.push(KeyColumnUsageRow {
            table_name: "c".into(),
            constraint_name: suffixed.into(),
            column_name: "pid".into(),
            ordinal_position: "1".into(),
            referenced_table_name: Some("c".into()),
            referenced_column_name: Some("pid".into()),
            ..KeyColumnUsageRow::default()
        });
        input
            .referential_constraints
            .push(ReferentialConstraintsRow {
                table_name: "c".into(),
                constraint_name: suffixed.into(),
                update_rule: "NO ACTION".into(),
                delete_rule: "CASCADE".into(),
                ..ReferentialConstraintsRow::default()
            });
        input.table_constraints.push(TableConstraintsRow {
            table_name: "c".into(),
            constraint_name: "c_chk_5vtaqz7kepok6wa91vryrkrje".into(),
            constraint_type: "CHECK".into(),
            enforced: Some("YES".into()),
        });
        input.check_constraints.push(CheckConstraintsRow {
            constraint_name: "c_chk_5vtaqz7kepok6wa91vryrkrje".into(),
            check_clause: "(`pid` > 0)".into(),
            ..CheckConstraintsRow::default()
        });
        let read = |flavor: &Flavor| {
            let out = run(&input, flavor);
            let t = out
                .schema
                .table("c")
                .cloned()
                .unwrap_or_else(|| Table::new("c"));
            (
                t.foreign_keys.first().map(|f| f.name.clone()),
                t.checks.first().map(|c| c.name.clone()),
            )
        };
        assert_eq!(
            read(&vitess),
            (Some("c_fk".to_string()), Some("c_chk".to_string()))
        );
        // On MySQL such a name is the user's own.
        assert_eq!(read(&mysql()).0.as_deref(), Some(suffixed));
    }

    #[test]
    fn tidb_on_update_without_default_is_not_a_hidden_expression_default() {
        let tidb = Flavor::identify("8.0.11-TiDB-v7.5.0", "");
        let input = rows(
            vec![base_table("t")],
            vec![column(
                "t",
                "ts",
                "timestamp",
                "DEFAULT_GENERATED on update CURRENT_TIMESTAMP",
            )],
        );
        let out = run(&input, &tidb);
        assert!(out.diagnostics.is_empty(), "{:?}", out.diagnostics);
        let ts = out.schema.table("t").and_then(|t| t.column("ts")).cloned();
        assert_eq!(ts.map(|c| c.on_update_now), Some(true));
        // The same EXTRA on MySQL 8 is the 8.0.13–8.0.22 hidden-default defect.
        assert_eq!(run(&input, &mysql()).diagnostics.len(), 1);
    }

    #[test]
    fn diagnostic_display_names_table_and_object() {
        let d = InspectDiagnostic {
            table: "users".into(),
            object: Some("email".into()),
            message: "odd".into(),
        };
        assert_eq!(d.to_string(), "table `users`, `email`: odd");
    }
}
