//! drizzle-kit snapshots → Model: the schema as drizzle-kit itself serialized
//! it, either the latest snapshot of the migrations folder or the JSON that
//! `drizzle-kit/api`'s `generateMySQLDrizzleJson` produces (the same shape).
//!
//! The snapshot format is the MySQL snapshot version "5" of drizzle-kit 0.31
//! (reference §6). Every field goes through the same Model constructors and
//! canonicalization as the static reader, so that a schema read either way is
//! the same Model: defaults as drizzle-kit serializes them (§4.1), `serial`
//! as `bigint unsigned` auto-increment NOT NULL with the unique key the
//! server adds, the first primary key only, unique constraints and indexes in
//! one namespace, checks and generated expressions without the table
//! qualifier drizzle writes (the server stores them unqualified).

use std::path::{Path, PathBuf};

use driftwatch_model::{
    Check, Column, ColumnType, DefaultValue, FkAction, ForeignKey, Generated, Index, IndexOrigin,
    IndexPart, PrimaryKey, Schema, Table, View, expr,
};
use serde_json::{Map, Value as Json};

use crate::eval::js;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SnapshotError {
    #[error(
        "{dir}: no drizzle-kit snapshot (neither meta/NNNN_snapshot.json nor <migration>/snapshot.json); run `drizzle-kit generate` first"
    )]
    NotFound { dir: String },
    #[error("cannot read {path}: {reason}")]
    Io { path: String, reason: String },
    #[error("{path}: not JSON: {reason}")]
    Json { path: String, reason: String },
    #[error(
        "snapshot dialect is `{0}`, not mysql; this project's migrations are not for a MySQL schema"
    )]
    Dialect(String),
    #[error(
        "snapshot version `{0}` is not supported (driftwatch reads drizzle-kit 0.31 MySQL snapshots, version 5; run `drizzle-kit up`)"
    )]
    Version(String),
    #[error("snapshot table `{table}`: {message}")]
    Invalid { table: String, message: String },
}

/// The latest snapshot of a migrations folder (`out` of drizzle.config):
/// drizzle-kit 0.x keeps them in `meta/` and takes the lexicographically last
/// file whose name does not start with `_` (reference §6); drizzle-kit 1.x
/// writes one folder per migration with a `snapshot.json`, and the last
/// folder is the latest.
pub fn latest_snapshot(out_dir: &Path) -> Result<PathBuf, SnapshotError> {
    let io = |path: &Path, e: std::io::Error| SnapshotError::Io {
        path: path.display().to_string(),
        reason: e.to_string(),
    };
    let names = |dir: &Path, want_dirs: bool| -> Result<Vec<String>, SnapshotError> {
        let mut names: Vec<String> = std::fs::read_dir(dir)
            .map_err(|e| io(dir, e))?
            .flatten()
            .filter(|e| {
                e.file_type()
                    .is_ok_and(|t| if want_dirs { t.is_dir() } else { t.is_file() })
            })
            .map(|e| e.file_name().to_string_lossy().to_string())
            .collect();
        names.sort();
        Ok(names)
    };
    let not_found = || SnapshotError::NotFound {
        dir: out_dir.display().to_string(),
    };
    if !out_dir.is_dir() {
        return Err(not_found());
    }
    let meta = out_dir.join("meta");
    if meta.is_dir()
        && let Some(last) = names(&meta, false)?
            .into_iter()
            .rfind(|n| !n.starts_with('_'))
    {
        return Ok(meta.join(last));
    }
    names(out_dir, true)?
        .into_iter()
        .filter(|n| n != "meta")
        .map(|n| out_dir.join(n).join("snapshot.json"))
        .rfind(|p| p.is_file())
        .ok_or_else(not_found)
}

/// Reads and converts a snapshot file.
pub fn read_snapshot(path: &Path) -> Result<Schema, SnapshotError> {
    let json: Json = {
        // The text is freed before the Model is built (large schemas).
        let text = std::fs::read_to_string(path).map_err(|e| SnapshotError::Io {
            path: path.display().to_string(),
            reason: e.to_string(),
        })?;
        serde_json::from_str(&text).map_err(|e| SnapshotError::Json {
            path: path.display().to_string(),
            reason: e.to_string(),
        })?
    };
    model_from_snapshot(&json)
}

/// A drizzle-kit MySQL snapshot (version 5) as the Model. Sources are not
/// set: a snapshot has no file positions.
pub fn model_from_snapshot(json: &Json) -> Result<Schema, SnapshotError> {
    if let Some(dialect) = json.get("dialect").and_then(Json::as_str)
        && dialect != "mysql"
    {
        return Err(SnapshotError::Dialect(dialect.to_string()));
    }
    match json.get("version") {
        Some(Json::String(v)) if v == "5" => {}
        None => {}
        Some(other) => {
            let text = other
                .as_str()
                .map_or_else(|| other.to_string(), str::to_string);
            return Err(SnapshotError::Version(text));
        }
    }
    let mut schema = Schema::default();
    for (key, table) in entries(json, "tables") {
        schema.tables.push(table_from_snapshot(key, table, json)?);
    }
    // `.existing()` views are not managed by drizzle-kit (the static reader
    // skips them too).
    for (key, view) in entries(json, "views") {
        if view["isExisting"].as_bool().unwrap_or(false) {
            continue;
        }
        schema.views.push(View {
            name: str_field(view, "name").unwrap_or(key).to_string(),
            definition: str_field(view, "definition").map(expr::normalize),
            source: None,
        });
    }
    schema.sort();
    Ok(schema)
}

pub(crate) fn table_from_snapshot(
    key: &str,
    json: &Json,
    snapshot: &Json,
) -> Result<Table, SnapshotError> {
    let name = str_field(json, "name").unwrap_or(key).to_string();
    let invalid = |message: String| SnapshotError::Invalid {
        table: name.clone(),
        message,
    };
    let mut table = Table::new(&name);
    let mut serial_indexes = Vec::new();
    for (column_key, column_json) in entries(json, "columns") {
        let column_name = str_field(column_json, "name").unwrap_or(column_key);
        let type_text = str_field(column_json, "type")
            .ok_or_else(|| invalid(format!("column `{column_name}` has no type")))?;
        let ty = ColumnType::parse(type_text)
            .map_err(|e| invalid(format!("column `{column_name}`: {}", e.reason)))?;
        // `serial` is `BIGINT UNSIGNED NOT NULL AUTO_INCREMENT UNIQUE`: the
        // server adds a unique key named after the column.
        let serial = type_text.trim().eq_ignore_ascii_case("serial");
        let flag = |field: &str| column_json[field].as_bool().unwrap_or(false);
        let mut column = Column::new(column_name, ty);
        column.nullable = !(flag("notNull") || serial);
        column.auto_increment = flag("autoincrement") || serial;
        column.on_update_now = flag("onUpdate");
        column.default = column_json.get("default").map(default_value);
        if let Some(generated) = column_json.get("generated").filter(|g| !g.is_null()) {
            let text = str_field(generated, "as").ok_or_else(|| {
                invalid(format!(
                    "column `{column_name}`: generated column without `as`"
                ))
            })?;
            column.generated = Some(Generated {
                expression: expr::normalize(&unqualified(text, &name)),
                stored: str_field(generated, "type").is_some_and(|t| t == "stored"),
            });
        }
        if serial {
            let mut index = Index::on_columns(column_name, &[column_name], true);
            index.origin = IndexOrigin::SerialUnique;
            serial_indexes.push(index);
        }
        // drizzle-kit's `columnsObject[name] = column`: last one wins, in place.
        match table.columns.iter().position(|c| c.name == column.name) {
            Some(earlier) => table.columns[earlier] = column,
            None => table.columns.push(column),
        }
    }

    // drizzle-kit creates only the first primary key; all its columns are NOT NULL.
    let primary_keys: Vec<Vec<String>> = entries(json, "compositePrimaryKeys")
        .map(|(_, pk)| strings(&pk["columns"]))
        .collect();
    for pk in &primary_keys {
        for column in table.columns.iter_mut().filter(|c| pk.contains(&c.name)) {
            column.nullable = false;
        }
    }
    table.primary_key = primary_keys.into_iter().next().map(|columns| PrimaryKey {
        columns,
        source: None,
    });

    // Unique constraints and indexes share MySQL's one index namespace.
    for (key, unique) in entries(json, "uniqueConstraints") {
        let columns = strings(&unique["columns"]);
        let columns: Vec<&str> = columns.iter().map(String::as_str).collect();
        let index_name = str_field(unique, "name").unwrap_or(key);
        push_index(
            &mut table,
            Index::on_columns(index_name, &columns, true),
            &invalid,
        )?;
    }
    for (key, index) in entries(json, "indexes") {
        let index_name = str_field(index, "name").unwrap_or(key);
        let expressions = &snapshot["internal"]["indexes"][index_name]["columns"];
        let parts = strings(&index["columns"])
            .into_iter()
            .map(|column| {
                if expressions[&column]["isExpression"].as_bool() == Some(true) {
                    IndexPart {
                        column: expr::normalize(&column),
                        is_expression: true,
                        prefix: None,
                        descending: false,
                    }
                } else {
                    IndexPart::column(column)
                }
            })
            .collect();
        let index = Index {
            name: index_name.to_string(),
            parts,
            unique: index["isUnique"].as_bool().unwrap_or(false),
            kind: None,
            origin: IndexOrigin::Declared,
            source: None,
        };
        push_index(&mut table, index, &invalid)?;
    }
    table.indexes.extend(serial_indexes);

    for (key, fk) in entries(json, "foreignKeys") {
        let action = |field: &str| match str_field(fk, field) {
            None => Ok(FkAction::NoAction),
            Some(text) => FkAction::parse(text)
                .ok_or_else(|| invalid(format!("foreign key `{key}`: unknown action `{text}`"))),
        };
        let fk = ForeignKey {
            name: str_field(fk, "name").unwrap_or(key).to_string(),
            columns: strings(&fk["columnsFrom"]),
            referenced_table: str_field(fk, "tableTo").unwrap_or_default().to_string(),
            referenced_columns: strings(&fk["columnsTo"]),
            on_delete: action("onDelete")?,
            on_update: action("onUpdate")?,
            source: None,
        };
        table.foreign_keys.retain(|other| other.name != fk.name);
        table.foreign_keys.push(fk);
    }

    for (key, check) in entries(json, "checkConstraint") {
        table.checks.push(Check {
            name: str_field(check, "name").unwrap_or(key).to_string(),
            expression: expr::normalize(&unqualified(
                str_field(check, "value").unwrap_or_default(),
                &name,
            )),
            source: None,
        });
    }

    table.columns = std::mem::take(&mut table.columns)
        .into_iter()
        .map(Column::canonicalize)
        .collect();
    table.sort();
    Ok(table)
}

fn push_index(
    table: &mut Table,
    index: Index,
    invalid: &dyn Fn(String) -> SnapshotError,
) -> Result<(), SnapshotError> {
    if table.indexes.iter().any(|other| other.name == index.name) {
        return Err(invalid(format!(
            "index name `{}` is used twice (drizzle-kit refuses this schema)",
            index.name
        )));
    }
    table.indexes.push(index);
    Ok(())
}

/// A snapshot `default` as the Model value (reference §4.1): strings are the
/// SQL text drizzle-kit writes after `DEFAULT`; numbers and booleans are raw
/// JS values, written unquoted.
fn default_value(json: &Json) -> DefaultValue {
    match json {
        Json::Null => DefaultValue::Null,
        Json::String(text) => DefaultValue::parse_sql(text),
        Json::Bool(b) => DefaultValue::Number(if *b { "1" } else { "0" }.to_string()),
        Json::Number(n) => DefaultValue::Number(match (n.as_i64(), n.as_u64(), n.as_f64()) {
            (Some(i), _, _) => i.to_string(),
            (None, Some(u), _) => u.to_string(),
            (None, None, Some(f)) => js::number_to_string(f),
            _ => n.to_string(),
        }),
        // Objects and arrays: written as `String(value)` in DDL; kept as text.
        other => DefaultValue::parse_sql(&other.to_string()),
    }
}

/// Drizzle renders column references in checks and generated columns as
/// `` `table`.`column` ``; the server stores them as `` `column` ``.
fn unqualified(text: &str, table: &str) -> String {
    text.replace(&format!("`{}`.", table.replace('`', "``")), "")
}

fn entries<'j>(json: &'j Json, field: &str) -> impl Iterator<Item = (&'j str, &'j Json)> {
    json.get(field)
        .and_then(Json::as_object)
        .map(Map::iter)
        .into_iter()
        .flatten()
        .map(|(k, v)| (k.as_str(), v))
}

fn str_field<'j>(json: &'j Json, field: &str) -> Option<&'j str> {
    json.get(field).and_then(Json::as_str)
}

fn strings(json: &Json) -> Vec<String> {
    json.as_array()
        .into_iter()
        .flatten()
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn one_table(table: Json) -> Table {
        let schema = model_from_snapshot(&json!({
            "version": "5", "dialect": "mysql", "tables": { "t": table }
        }))
        .unwrap_or_else(|e| panic!("{e}"));
        schema
            .tables
            .into_iter()
            .next()
            .unwrap_or_else(|| panic!("no table"))
    }

    #[test]
    fn serial_is_bigint_unsigned_auto_increment_with_its_unique_key() {
        let t = one_table(json!({ "name": "t", "columns": {
            "id": { "name": "id", "type": "serial", "primaryKey": false, "notNull": false, "autoincrement": false }
        }}));
        let id = t.column("id").unwrap_or_else(|| panic!("no id"));
        assert!(!id.nullable && id.auto_increment);
        assert_eq!(t.indexes[0].origin, IndexOrigin::SerialUnique);
        assert_eq!(t.indexes[0].name, "id");
    }

    #[test]
    fn defaults_follow_drizzle_kit_serialization() {
        let t = one_table(json!({ "name": "t", "columns": {
            "a": { "name": "a", "type": "int", "notNull": true, "default": 5 },
            "b": { "name": "b", "type": "boolean", "notNull": true, "default": true },
            "c": { "name": "c", "type": "varchar(10)", "notNull": true, "default": "'it''s'" },
            "d": { "name": "d", "type": "text", "notNull": false, "default": "('hello')" },
            "e": { "name": "e", "type": "timestamp", "notNull": true, "default": "(now())" }
        }}));
        let default = |n: &str| t.column(n).and_then(|c| c.default.clone());
        assert_eq!(default("a"), Some(DefaultValue::Number("5".into())));
        assert_eq!(default("b"), Some(DefaultValue::Number("1".into())));
        assert_eq!(default("c"), Some(DefaultValue::Literal("it's".into())));
        assert_eq!(default("d"), Some(DefaultValue::Literal("hello".into())));
        assert_eq!(
            default("e"),
            Some(DefaultValue::CurrentTimestamp { fsp: 0 })
        );
    }

    #[test]
    fn checks_and_generated_columns_lose_the_table_qualifier() {
        let t = one_table(json!({ "name": "t",
            "columns": {
                "a": { "name": "a", "type": "int", "notNull": true },
                "b": { "name": "b", "type": "int", "notNull": false,
                       "generated": { "as": "`t`.`a` * 2", "type": "stored" } }
            },
            "checkConstraint": { "pos": { "name": "pos", "value": "`t`.`a` > 0" } }
        }));
        let generated = t.column("b").and_then(|c| c.generated.clone());
        assert_eq!(
            generated,
            Some(Generated {
                expression: expr::normalize("`a` * 2"),
                stored: true
            })
        );
        assert_eq!(t.checks[0].expression, expr::normalize("`a` > 0"));
    }

    #[test]
    fn keys_indexes_and_foreign_keys() {
        let t = one_table(json!({ "name": "t",
            "columns": {
                "a": { "name": "a", "type": "int", "notNull": false },
                "b": { "name": "b", "type": "int", "notNull": false }
            },
            "compositePrimaryKeys": { "t_a_b_pk": { "name": "t_a_b_pk", "columns": ["a", "b"] } },
            "uniqueConstraints": { "t_b_unique": { "name": "t_b_unique", "columns": ["b"] } },
            "indexes": { "ab": { "name": "ab", "columns": ["a", "b"], "isUnique": false } },
            "foreignKeys": { "fk": { "name": "fk", "tableFrom": "t", "tableTo": "u",
                "columnsFrom": ["a"], "columnsTo": ["id"], "onDelete": "cascade", "onUpdate": "no action" } }
        }));
        assert_eq!(
            t.primary_key.as_ref().map(|p| p.columns.clone()),
            Some(vec!["a".to_string(), "b".to_string()])
        );
        assert!(t.columns.iter().all(|c| !c.nullable));
        assert_eq!(
            t.indexes
                .iter()
                .map(|i| (i.name.as_str(), i.unique))
                .collect::<Vec<_>>(),
            vec![("ab", false), ("t_b_unique", true)]
        );
        assert_eq!(t.foreign_keys[0].on_delete, FkAction::Cascade);
        assert_eq!(t.foreign_keys[0].on_update, FkAction::NoAction);
    }

    #[test]
    fn other_dialects_and_versions_are_refused() {
        assert!(matches!(
            model_from_snapshot(&json!({ "version": "7", "dialect": "postgresql" })),
            Err(SnapshotError::Dialect(_))
        ));
        assert!(matches!(
            model_from_snapshot(&json!({ "version": "6", "dialect": "mysql" })),
            Err(SnapshotError::Version(_))
        ));
    }

    #[test]
    fn latest_snapshot_is_the_last_meta_file_or_the_last_migration_folder() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let old = dir.path().join("old");
        std::fs::create_dir_all(old.join("meta")).unwrap_or_else(|e| panic!("{e}"));
        for name in ["_journal.json", "0000_snapshot.json", "0001_snapshot.json"] {
            std::fs::write(old.join("meta").join(name), "{}").unwrap_or_else(|e| panic!("{e}"));
        }
        assert_eq!(
            latest_snapshot(&old).ok(),
            Some(old.join("meta/0001_snapshot.json"))
        );
        let new = dir.path().join("new");
        for name in ["20240101000000_init", "20240202000000_more"] {
            std::fs::create_dir_all(new.join(name)).unwrap_or_else(|e| panic!("{e}"));
            std::fs::write(new.join(name).join("snapshot.json"), "{}")
                .unwrap_or_else(|e| panic!("{e}"));
        }
        assert_eq!(
            latest_snapshot(&new).ok(),
            Some(new.join("20240202000000_more/snapshot.json"))
        );
        assert!(matches!(
            latest_snapshot(&dir.path().join("none")),
            Err(SnapshotError::NotFound { .. })
        ));
    }
}
