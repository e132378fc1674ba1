//! Model → drizzle-kit MySQL snapshot (version "5", drizzle-kit 0.31): the
//! `meta/NNNN_snapshot.json` that `driftwatch fix --write` adds next to its
//! migration, so that a following `drizzle-kit generate` compares the schema
//! files with it and finds nothing to do.
//!
//! drizzle-kit diffs snapshots by strict JSON equality (reference §7.1):
//! `default: 1` ≠ `"1"` ≠ `true`, `"decimal"` ≠ `"decimal(10,0)"`, and the
//! primary key's *name* counts. The canonical Model has forgotten some of
//! these spellings (a decimal default written as `'0.00'` or `0`, `now()` or
//! `CURRENT_TIMESTAMP`), so:
//!
//! 1. every object (column, index, unique constraint, primary key, foreign
//!    key, check, view) whose Model equals the one in the previous snapshot
//!    is copied from it verbatim — drizzle-kit wrote it, so it is exactly
//!    what drizzle-kit would write again;
//! 2. anything new is serialized as drizzle-kit's serializer does for the
//!    usual way of declaring it (reference §3, §4.1, §5): `boolean` for
//!    `boolean()`, bare `decimal` for `decimal(10,0)`, `(now())` for
//!    `timestamp().defaultNow()`, `('…')` for text and json defaults, strings
//!    for decimal defaults, `true`/`false` for boolean ones, the
//!    `<table>_<column>` name of a column-level primary key.
//!
//! Top-level and column key order follow drizzle-kit's own (§6), and the
//! text is `JSON.stringify(x, null, 2)`: two-space indent, no trailing newline.

use driftwatch_model::{
    Check, Column, ColumnType, DefaultValue, ForeignKey, Index, IndexOrigin, PrimaryKey, Schema,
    Table, View,
};
use serde_json::{Map, Value as Json, json};

use crate::snapshot::{SnapshotError, table_from_snapshot};

/// The id of the snapshot before the first one (drizzle-kit's convention).
pub const ORIGIN_ID: &str = "00000000-0000-0000-0000-000000000000";

/// `schema` as a drizzle-kit v5 snapshot with `id` and `prev_id`, reusing the
/// spelling of `previous` (the latest snapshot's JSON) where the Model agrees.
pub fn snapshot_json(
    schema: &Schema,
    previous: Option<&Json>,
    id: &str,
    prev_id: &str,
) -> Result<Json, SnapshotError> {
    let empty = json!({});
    let previous = previous.unwrap_or(&empty);
    let previous_tables = previous.get("tables").and_then(Json::as_object);
    let mut tables = Map::new();
    let mut expression_indexes = Map::new();
    for table in ordered_tables(schema, previous_tables) {
        let earlier = previous_tables.and_then(|t| t.get(&table.name));
        let earlier_model = match earlier {
            Some(json) => Some(table_from_snapshot(&table.name, json, previous)?),
            None => None,
        };
        let prior = Prior {
            json: earlier,
            model: earlier_model.as_ref(),
        };
        tables.insert(table.name.clone(), table_json(table, &prior));
        for index in &table.indexes {
            if let Some(columns) = expression_columns(index) {
                expression_indexes.insert(index.name.clone(), json!({ "columns": columns }));
            }
        }
    }
    let mut views = Map::new();
    for view in &schema.views {
        views.insert(view.name.clone(), view_json(view, previous));
    }
    // `.existing()` views are not in the Model; drizzle-kit keeps them.
    for (name, view) in previous
        .get("views")
        .and_then(Json::as_object)
        .into_iter()
        .flatten()
    {
        if view["isExisting"].as_bool() == Some(true) {
            views.insert(name.clone(), view.clone());
        }
    }
    Ok(json!({
        "version": "5",
        "dialect": "mysql",
        "id": id,
        "prevId": prev_id,
        "tables": tables,
        "views": views,
        "_meta": { "schemas": {}, "tables": {}, "columns": {} },
        "internal": { "tables": {}, "indexes": expression_indexes },
    }))
}

/// The snapshot text as drizzle-kit writes it (`JSON.stringify(x, null, 2)`).
pub fn to_snapshot_text(json: &Json) -> String {
    serde_json::to_string_pretty(json).unwrap_or_default()
}

/// The previous snapshot's table order first (drizzle-kit's export order),
/// then new tables by name.
fn ordered_tables<'s>(schema: &'s Schema, previous: Option<&Map<String, Json>>) -> Vec<&'s Table> {
    let mut tables: Vec<&Table> = Vec::with_capacity(schema.tables.len());
    for name in previous.into_iter().flat_map(|p| p.keys()) {
        if let Some(table) = schema.table(name) {
            tables.push(table);
        }
    }
    let mut rest: Vec<&Table> = schema
        .tables
        .iter()
        .filter(|t| !tables.iter().any(|o| o.name == t.name))
        .collect();
    rest.sort_by(|a, b| a.name.cmp(&b.name));
    tables.extend(rest);
    tables
}

/// The previous snapshot's version of one table, as JSON and as Model.
struct Prior<'p> {
    json: Option<&'p Json>,
    model: Option<&'p Table>,
}

impl Prior<'_> {
    /// The previous JSON of `section.name` when its Model equals `now`.
    fn reuse<T: PartialEq + Clone>(
        &self,
        section: &str,
        name: &str,
        now: &T,
        model_of: impl Fn(&Table) -> Option<T>,
        strip: impl Fn(T) -> T,
    ) -> Option<Json> {
        let earlier = strip(model_of(self.model?)?);
        if earlier != strip(now.clone()) {
            return None;
        }
        self.json?.get(section)?.get(name).cloned()
    }
}

fn table_json(table: &Table, prior: &Prior<'_>) -> Json {
    // Unchanged as a whole: drizzle-kit's JSON verbatim, key order included.
    if let (Some(json), Some(model)) = (prior.json, prior.model)
        && without_sources(model.clone()) == without_sources(table.clone())
    {
        return json.clone();
    }
    let serial = serial_columns(table);
    let mut columns = Map::new();
    for column in &table.columns {
        let reused = prior.reuse(
            "columns",
            &column.name,
            column,
            |t| t.column(&column.name).cloned(),
            without_column_source,
        );
        let json = reused
            .unwrap_or_else(|| column_json(column, serial.contains(&column.name.as_str()), table));
        columns.insert(column.name.clone(), json);
    }
    let (indexes, uniques) = indexes_json(table, prior);
    let mut foreign_keys = Map::new();
    for fk in &table.foreign_keys {
        let reused = prior.reuse(
            "foreignKeys",
            &fk.name,
            fk,
            |t| t.foreign_keys.iter().find(|f| f.name == fk.name).cloned(),
            |mut f| {
                f.source = None;
                f
            },
        );
        foreign_keys.insert(
            fk.name.clone(),
            reused.unwrap_or_else(|| foreign_key_json(&table.name, fk)),
        );
    }
    let mut checks = Map::new();
    for check in &table.checks {
        let reused = prior.reuse(
            "checkConstraint",
            &check.name,
            check,
            |t| t.checks.iter().find(|c| c.name == check.name).cloned(),
            |mut c| {
                c.source = None;
                c
            },
        );
        checks.insert(
            check.name.clone(),
            reused.unwrap_or_else(|| check_json(check)),
        );
    }
    json!({
        "name": table.name,
        "columns": columns,
        "indexes": indexes,
        "foreignKeys": foreign_keys,
        "compositePrimaryKeys": primary_key_json(table, prior),
        "uniqueConstraints": uniques,
        "checkConstraint": checks,
    })
}

/// The table without file positions (a snapshot has none).
fn without_sources(mut table: Table) -> Table {
    table.source = None;
    table.columns = table
        .columns
        .into_iter()
        .map(without_column_source)
        .collect();
    if let Some(pk) = &mut table.primary_key {
        pk.source = None;
    }
    for index in &mut table.indexes {
        index.source = None;
    }
    for fk in &mut table.foreign_keys {
        fk.source = None;
    }
    for check in &mut table.checks {
        check.source = None;
    }
    table
}

fn without_column_source(mut column: Column) -> Column {
    column.source = None;
    column
}

/// Columns declared with `serial()`: the server's unique key for them is in
/// the Model (origin `SerialUnique`), drizzle-kit writes type `serial`.
fn serial_columns(table: &Table) -> Vec<&str> {
    table
        .indexes
        .iter()
        .filter(|i| i.origin == IndexOrigin::SerialUnique)
        .flat_map(|i| i.column_names())
        .collect()
}

fn column_json(column: &Column, serial: bool, table: &Table) -> Json {
    let in_primary_key = table
        .primary_key
        .as_ref()
        .is_some_and(|pk| pk.columns.contains(&column.name));
    let mut json = Map::new();
    json.insert("name".into(), json!(column.name));
    json.insert(
        "type".into(),
        json!(if serial {
            "serial".to_string()
        } else {
            drizzle_type(&column.ty)
        }),
    );
    json.insert("primaryKey".into(), json!(false));
    // `serial()` leaves notNull false unless the column is a primary key.
    let not_null = if serial {
        in_primary_key
    } else {
        !column.nullable
    };
    json.insert("notNull".into(), json!(not_null));
    json.insert("autoincrement".into(), json!(column.auto_increment));
    if column.on_update_now {
        json.insert("onUpdate".into(), json!(true));
    }
    if let Some(generated) = &column.generated {
        json.insert(
            "generated".into(),
            json!({
                "as": generated.expression,
                "type": if generated.stored { "stored" } else { "virtual" },
            }),
        );
    }
    if let Some(default) = &column.default {
        json.insert("default".into(), default_json(default, &column.ty));
    }
    Json::Object(json)
}

/// `getSQLType()` of the builder that declares this type (reference §3).
pub fn drizzle_type(ty: &ColumnType) -> String {
    match ty {
        // `decimal(10,0)` and `decimal(10)` are rewritten to `decimal`.
        ColumnType::Decimal {
            precision: 10,
            scale: 0,
            unsigned,
        } => format!("decimal{}", if *unsigned { " unsigned" } else { "" }),
        // `decimal({ precision })` without a scale is written `decimal(p)`.
        ColumnType::Decimal {
            precision,
            scale: 0,
            unsigned,
        } => format!(
            "decimal({precision}){}",
            if *unsigned { " unsigned" } else { "" }
        ),
        other => other.to_string(),
    }
}

/// A default as drizzle-kit's serializer writes it (reference §4.1).
fn default_json(default: &DefaultValue, ty: &ColumnType) -> Json {
    let quoted = |text: &str| format!("'{}'", text.replace('\'', "''"));
    match default {
        DefaultValue::Null => Json::Null,
        // Non-`sql` defaults on exactly `text`, `blob` and `json` are wrapped.
        DefaultValue::Literal(text) if wrapped_in_parens(ty) => {
            json!(format!("({})", quoted(text)))
        }
        DefaultValue::Literal(text) => json!(quoted(text)),
        DefaultValue::Number(number) => match ty {
            ColumnType::Boolean => json!(number != "0"),
            // `decimal` columns are strings in Drizzle's default mode.
            ColumnType::Decimal { .. } => json!(quoted(number)),
            _ => number_json(number),
        },
        // `.defaultNow()` exists on timestamp only; elsewhere `sql\`…\``.
        DefaultValue::CurrentTimestamp { .. } if matches!(ty, ColumnType::Timestamp { .. }) => {
            json!("(now())")
        }
        DefaultValue::CurrentTimestamp { fsp: 0 } => json!("CURRENT_TIMESTAMP"),
        DefaultValue::CurrentTimestamp { fsp } => json!(format!("CURRENT_TIMESTAMP({fsp})")),
        DefaultValue::Expr(text) => json!(format!("({text})")),
    }
}

fn wrapped_in_parens(ty: &ColumnType) -> bool {
    matches!(
        ty,
        ColumnType::Json
            | ColumnType::Text {
                size: driftwatch_model::TextSize::Text
            }
            | ColumnType::Blob {
                size: driftwatch_model::BlobSize::Blob
            }
    )
}

/// A JS number as JSON: integers exactly, others through f64.
fn number_json(number: &str) -> Json {
    if let Ok(i) = number.parse::<i64>() {
        return json!(i);
    }
    if let Ok(u) = number.parse::<u64>() {
        return json!(u);
    }
    match number
        .parse::<f64>()
        .ok()
        .and_then(serde_json::Number::from_f64)
    {
        Some(n) => Json::Number(n),
        None => json!(number),
    }
}

/// (indexes, uniqueConstraints): each index copied from the previous
/// snapshot's section when unchanged; new unique ones become unique
/// constraints (drizzle-kit moves unique indexes there before diffing, so
/// either place compares equal).
fn indexes_json(table: &Table, prior: &Prior<'_>) -> (Map<String, Json>, Map<String, Json>) {
    let mut indexes = Map::new();
    let mut uniques = Map::new();
    for index in table
        .indexes
        .iter()
        .filter(|i| i.origin == IndexOrigin::Declared)
    {
        let strip = |mut i: Index| {
            i.source = None;
            i
        };
        let model_of = |t: &Table| t.index(&index.name).cloned();
        if let Some(json) = prior.reuse("indexes", &index.name, index, model_of, strip) {
            indexes.insert(index.name.clone(), json);
            continue;
        }
        if let Some(json) = prior.reuse("uniqueConstraints", &index.name, index, model_of, strip) {
            uniques.insert(index.name.clone(), json);
            continue;
        }
        let columns: Vec<&str> = index.parts.iter().map(|p| p.column.as_str()).collect();
        if index.unique && !index.parts.iter().any(|p| p.is_expression) {
            uniques.insert(
                index.name.clone(),
                json!({ "name": index.name, "columns": columns }),
            );
        } else {
            indexes.insert(
                index.name.clone(),
                json!({ "name": index.name, "columns": columns, "isUnique": index.unique }),
            );
        }
    }
    (indexes, uniques)
}

fn expression_columns(index: &Index) -> Option<Json> {
    let expressions: Map<String, Json> = index
        .parts
        .iter()
        .filter(|p| p.is_expression)
        .map(|p| (p.column.clone(), json!({ "isExpression": true })))
        .collect();
    (!expressions.is_empty()).then_some(Json::Object(expressions))
}

/// The previous entry when it has the same columns (so its name, which
/// drizzle-kit compares, is kept); else the name drizzle-kit gives a
/// column-level `.primaryKey()` (`<table>_<column>`) or a composite
/// `primaryKey()` (`<table>_<columns>_pk`).
fn primary_key_json(table: &Table, prior: &Prior<'_>) -> Map<String, Json> {
    let mut out = Map::new();
    let Some(PrimaryKey { columns, .. }) = &table.primary_key else {
        return out;
    };
    let earlier = prior
        .json
        .and_then(|t| t.get("compositePrimaryKeys"))
        .and_then(Json::as_object)
        .and_then(|pks| {
            pks.iter().find(|(_, pk)| {
                pk["columns"].as_array().is_some_and(|c| {
                    c.iter()
                        .filter_map(Json::as_str)
                        .eq(columns.iter().map(String::as_str))
                })
            })
        });
    match earlier {
        Some((name, json)) => {
            out.insert(name.clone(), json.clone());
        }
        None => {
            let name = match columns.as_slice() {
                [one] => format!("{}_{one}", table.name),
                many => format!("{}_{}_pk", table.name, many.join("_")),
            };
            out.insert(name.clone(), json!({ "name": name, "columns": columns }));
        }
    }
    out
}

fn foreign_key_json(table: &str, fk: &ForeignKey) -> Json {
    json!({
        "name": fk.name,
        "tableFrom": table,
        "tableTo": fk.referenced_table,
        "columnsFrom": fk.columns,
        "columnsTo": fk.referenced_columns,
        "onDelete": fk.on_delete.drizzle(),
        "onUpdate": fk.on_update.drizzle(),
    })
}

fn check_json(check: &Check) -> Json {
    json!({ "name": check.name, "value": check.expression })
}

fn view_json(view: &View, previous: &Json) -> Json {
    if let Some(earlier) = previous.get("views").and_then(|v| v.get(&view.name)) {
        let same = earlier
            .get("definition")
            .and_then(Json::as_str)
            .map(driftwatch_model::expr::normalize)
            == view.definition;
        if same {
            return earlier.clone();
        }
    }
    json!({
        "columns": {},
        "name": view.name,
        "isExisting": false,
        "definition": view.definition,
        "algorithm": "undefined",
        "sqlSecurity": "definer",
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::snapshot::model_from_snapshot;

    fn ty(text: &str) -> ColumnType {
        ColumnType::parse(text).unwrap_or_else(|e| panic!("{e}"))
    }

    fn one_table_schema(columns: Vec<Column>) -> Schema {
        let mut table = Table::new("t");
        table.columns = columns;
        table.primary_key = Some(PrimaryKey {
            columns: vec![table.columns[0].name.clone()],
            source: None,
        });
        Schema {
            tables: vec![table],
            views: vec![],
        }
    }

    fn column(name: &str, text: &str, default: Option<DefaultValue>) -> Column {
        let mut c = Column::new(name, ty(text));
        c.nullable = false;
        c.default = default;
        c
    }

    #[test]
    fn new_objects_are_spelled_as_drizzle_kit_spells_the_usual_builders() {
        let schema = one_table_schema(vec![
            column("id", "int", None),
            column("ok", "boolean", Some(DefaultValue::Number("1".into()))),
            column(
                "price",
                "decimal(12,2)",
                Some(DefaultValue::Number("0.00".into())),
            ),
            column("d", "decimal(10,0)", None),
            column(
                "at",
                "timestamp",
                Some(DefaultValue::CurrentTimestamp { fsp: 0 }),
            ),
            column("bio", "text", Some(DefaultValue::Literal("it's".into()))),
            column("n", "int", Some(DefaultValue::Number("5".into()))),
        ]);
        let json = snapshot_json(&schema, None, "new", ORIGIN_ID).unwrap_or_else(|e| panic!("{e}"));
        let columns = &json["tables"]["t"]["columns"];
        assert_eq!(columns["ok"]["default"], json!(true));
        assert_eq!(columns["price"]["default"], json!("'0.00'"));
        assert_eq!(columns["d"]["type"], json!("decimal"));
        assert_eq!(columns["at"]["default"], json!("(now())"));
        assert_eq!(columns["bio"]["default"], json!("('it''s')"));
        assert_eq!(columns["n"]["default"], json!(5));
        assert_eq!(
            json["tables"]["t"]["compositePrimaryKeys"]["t_id"]["columns"],
            json!(["id"])
        );
        let keys: Vec<&str> = json
            .as_object()
            .map(|o| o.keys().map(String::as_str).collect())
            .unwrap_or_default();
        assert_eq!(
            keys,
            vec![
                "version", "dialect", "id", "prevId", "tables", "views", "_meta", "internal"
            ]
        );
    }

    #[test]
    fn unchanged_objects_keep_the_previous_spelling() {
        let previous = json!({ "version": "5", "dialect": "mysql", "id": "old", "prevId": ORIGIN_ID,
            "tables": { "t": { "name": "t",
                "columns": {
                    "id": { "name": "id", "type": "int", "primaryKey": false, "notNull": true, "autoincrement": false },
                    "amount": { "name": "amount", "type": "decimal(12,2)", "primaryKey": false, "notNull": true, "autoincrement": false, "default": 0 }
                },
                "indexes": {}, "foreignKeys": {},
                "compositePrimaryKeys": { "t_custom_pk": { "name": "t_custom_pk", "columns": ["id"] } },
                "uniqueConstraints": {}, "checkConstraint": {} } },
            "views": {}, "_meta": {}, "internal": {} });
        let schema = model_from_snapshot(&previous).unwrap_or_else(|e| panic!("{e}"));
        let json =
            snapshot_json(&schema, Some(&previous), "new", "old").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(json["tables"], previous["tables"]);
        assert_eq!(json["prevId"], json!("old"));
    }

    #[test]
    fn serial_columns_are_serial_without_their_server_made_unique_key() {
        let snapshot = json!({ "version": "5", "dialect": "mysql", "tables": { "t": { "name": "t",
            "columns": { "id": { "name": "id", "type": "serial", "primaryKey": false, "notNull": true, "autoincrement": true } },
            "compositePrimaryKeys": { "t_id": { "name": "t_id", "columns": ["id"] } } } } });
        let schema = model_from_snapshot(&snapshot).unwrap_or_else(|e| panic!("{e}"));
        let json = snapshot_json(&schema, None, "new", ORIGIN_ID).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            json["tables"]["t"]["columns"]["id"]["type"],
            json!("serial")
        );
        assert_eq!(json["tables"]["t"]["uniqueConstraints"], json!({}));
        assert_eq!(json["tables"]["t"]["indexes"], json!({}));
    }
}
