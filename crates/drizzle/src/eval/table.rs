//! Turns the tables read by the evaluator into Model tables, the way
//! drizzle-kit's `generateMySqlSnapshot` does (drizzle-kit 0.31): column
//! names and casing, defaults (§4.1 of the reference), generated columns,
//! primary keys, unique constraints, indexes and foreign keys with their
//! default names. Callbacks (`references`, extra config, generated
//! expressions) are called here, once every table exists.

use driftwatch_model::expr;
use driftwatch_model::{
    Check, Column, ColumnType, DefaultValue, FkAction, ForeignKey, Generated, Index, IndexOrigin,
    IndexPart, PrimaryKey, Schema, Source, Table, View,
};
use std::borrow::Cow;
use std::rc::Rc;

use oxc_span::Span;
use rustc_hash::{FxHashMap, FxHashSet};

use super::drizzle::{ColumnBuilder, Located, TableItem, ViewData, ViewState};
use super::value::{SqlChunk, SqlTemplate, Value};
use super::{Entries, EvalError, Evaluator, ModuleId, TableId, js};
use crate::diagnostics;

/// A column of some table: (table, index in its columns).
type ColumnId = (TableId, usize);

struct Pending {
    module: ModuleId,
    span: Span,
}

impl<'a> Evaluator<'a> {
    /// Builds the Model of the collected tables (in processing order): the
    /// same table reached twice counts once; two tables with one name: the
    /// later wins, with a warning.
    pub fn build_schema(&mut self, collected: &[TableId], views: &[Rc<ViewData<'a>>]) -> Schema {
        let mut chosen: Vec<TableId> = Vec::new();
        let mut schema_tables: FxHashSet<TableId> = FxHashSet::default();
        // Indexes into `chosen` (by name → slot, and its ids): linear scans
        // were quadratic in the number of tables.
        let mut slot_by_name: FxHashMap<String, usize> = FxHashMap::default();
        let mut in_chosen: FxHashSet<TableId> = FxHashSet::default();
        for &id in collected {
            if in_chosen.contains(&id) || schema_tables.contains(&id) {
                continue;
            }
            // drizzle-kit's serializer keeps only tables without a schema.
            if let Some(db_schema) = self.tables[id].schema.clone() {
                schema_tables.insert(id);
                let (module, span, name) = (
                    self.tables[id].module,
                    self.tables[id].span,
                    self.tables[id].name.clone(),
                );
                self.warn(module, span, |s| {
                    diagnostics::schema_table_ignored(s, &name, &db_schema)
                });
                continue;
            }
            let name = self.tables[id].name.clone();
            if let Some(&slot) = slot_by_name.get(&name) {
                let (module, span) = (self.tables[id].module, self.tables[id].span);
                self.warn(module, span, |s| diagnostics::duplicate_table(s, &name));
                in_chosen.remove(&chosen[slot]);
                chosen[slot] = id;
            } else {
                slot_by_name.insert(name, chosen.len());
                chosen.push(id);
            }
            in_chosen.insert(id);
        }
        let mut schema = Schema::default();
        for id in chosen {
            let table = self.build_table(id);
            schema.tables.push(table);
        }
        schema.views = self.build_views(views);
        schema.sort();
        schema
    }

    /// Views as drizzle-kit's serializer sees them: `.existing()` views are
    /// not managed; `sql` definitions are known, query-builder ones are not
    /// (name-only comparison). Unlike tables, views of `mysqlSchema('x')`
    /// are kept (drizzle-kit creates them, unqualified, in the database it
    /// migrates).
    fn build_views(&mut self, views: &[Rc<ViewData<'a>>]) -> Vec<View> {
        let mut out: Vec<View> = Vec::new();
        for (i, view) in views.iter().enumerate() {
            // The same view reached twice (re-exported) counts once.
            if views[..i].iter().any(|other| Rc::ptr_eq(other, view)) {
                continue;
            }
            let definition = match &view.state {
                ViewState::Builder | ViewState::Existing => continue,
                ViewState::QueryBuilder => None,
                ViewState::Sql(sql) => self.render_sql_qualified(sql),
            };
            if out.iter().any(|v| v.name == view.name) {
                let error = self.error(view.module, view.span, |s| {
                    diagnostics::duplicate_view(s, &view.name)
                });
                self.report(error);
                continue;
            }
            out.push(View {
                name: view.name.clone(),
                definition,
                source: Some(self.source(view.module, view.span)),
            });
        }
        out
    }

    /// A view's `sql` as drizzle-kit writes it (`sqlToQuery`: columns
    /// table-qualified), normalized; `None` with bound parameters.
    fn render_sql_qualified(&self, sql: &SqlTemplate) -> Option<String> {
        let mut out = String::new();
        for chunk in &sql.chunks {
            match chunk {
                SqlChunk::Text(text) => out.push_str(text),
                SqlChunk::Column { table, column } => {
                    let name = self.column_sql_name((*table, *column));
                    out.push_str(&format!("`{}`.`{name}`", self.tables[*table].name));
                }
                SqlChunk::Table(table) => out.push_str(&format!("`{}`", self.tables[*table].name)),
                SqlChunk::Param => return None,
            }
        }
        Some(expr::normalize(&out))
    }

    pub fn source(&self, module: ModuleId, span: Span) -> Source {
        let m = &self.modules[module];
        let (line, column) = m.lines.line_column(m.source, span.start as usize);
        Source {
            file: m.source_file.clone(),
            line,
            column,
        }
    }

    /// (SQL name, drizzle name) of a column: the explicit name, or the
    /// key-derived name converted by `casing` (the drizzle name is the name
    /// before casing: drizzle-kit's `getColumnCasing`).
    pub fn column_names(&self, id: ColumnId) -> (String, String) {
        (
            self.column_sql_name(id),
            self.column_drizzle_name(id).to_string(),
        )
    }

    /// The SQL name of a column (the first of [`Self::column_names`]).
    pub fn column_sql_name(&self, id: ColumnId) -> String {
        let name = self.column_drizzle_name(id);
        let data = &self.tables[id.0].columns[id.1];
        match self.casing {
            Some(casing) if data.builder.key_as_name => casing.convert(name),
            _ => name.to_string(),
        }
    }

    fn column_drizzle_name(&self, (table, column): ColumnId) -> &str {
        let data = &self.tables[table].columns[column];
        data.builder.name.as_deref().unwrap_or(&data.key)
    }

    fn build_table(&mut self, id: TableId) -> Table {
        let (name, module, span) = {
            let t = &self.tables[id];
            (t.name.clone(), t.module, t.span)
        };
        self.push_table(&name);
        let mut table = Table::new(&name);
        table.source = Some(self.source(module, span));

        let mut columns: Vec<Column> = Vec::with_capacity(self.tables[id].columns.len());
        let mut primary_keys: Vec<(Vec<String>, Pending)> = Vec::new();
        let mut indexes: Vec<(Index, Pending)> = Vec::new();
        let mut foreign_keys: Vec<ForeignKey> = Vec::new();
        let mut checks: Vec<(Check, Pending)> = Vec::new();
        let mut serial_indexes: Vec<Index> = Vec::new();

        for i in 0..self.tables[id].columns.len() {
            let (builder, property_span) = {
                let data = &self.tables[id].columns[i];
                (data.builder.clone(), data.span)
            };
            // Borrowed from the builder unless `casing` converts it.
            let sql_name: Cow<'_, str> = match &builder.name {
                Some(name) if self.casing.is_none() || !builder.key_as_name => Cow::Borrowed(name),
                _ => Cow::Owned(self.column_sql_name((id, i))),
            };
            let mut source = Some(self.source(module, property_span));
            let Some(mut column) = self.model_column(id, &builder, &sql_name) else {
                continue;
            };
            // Copied only for the column's own unique and serial indexes.
            column.source = if builder.unique.is_some() || builder.serial {
                source.clone()
            } else {
                source.take()
            };
            // drizzle-kit's `columnsObject[name] = column`: a later column with
            // the same name replaces the earlier one, in its place.
            match columns.iter().position(|c| c.name == column.name) {
                Some(earlier) => {
                    self.warn(module, property_span, |s| {
                        diagnostics::duplicate_column(s, &sql_name)
                    });
                    columns[earlier] = column;
                }
                None => columns.push(column),
            }

            // Keyed `<table>_<column>` by drizzle-kit: one per column name.
            let same_pk = |(pk, _): &(Vec<String>, Pending)| *pk == [&*sql_name];
            if builder.primary_key && !primary_keys.iter().any(same_pk) {
                primary_keys.push((
                    vec![sql_name.to_string()],
                    Pending {
                        module,
                        span: property_span,
                    },
                ));
            }
            if let Some(unique) = &builder.unique {
                // Filled when the table took the builder (see `table_columns`).
                let index_name = builder.unique_name.clone().unwrap_or_else(|| {
                    format!("{name}_{}_unique", self.column_drizzle_name((id, i)))
                });
                let mut index = Index::on_columns(index_name, &[&*sql_name], true);
                index.source = source.clone();
                indexes.push((
                    index,
                    Pending {
                        module: unique.module,
                        span: unique.span,
                    },
                ));
            }
            if builder.serial {
                // MySQL's SERIAL is `BIGINT UNSIGNED NOT NULL AUTO_INCREMENT UNIQUE`:
                // the server adds a unique key named after the column.
                let mut index = Index::on_columns(sql_name.to_string(), &[&*sql_name], true);
                index.origin = IndexOrigin::SerialUnique;
                index.source = source.take();
                serial_indexes.push(index);
            }
            for reference in &builder.references {
                match self.resolve_reference(id, i, reference) {
                    Ok(fk) => foreign_keys.push(fk),
                    Err(error) => self.report(error),
                }
            }
        }

        if let Some(extra) = self.tables[id].extra.clone() {
            for item in self.extra_items(id, &extra) {
                match self.apply_item(id, &name, item) {
                    Ok(Applied::PrimaryKey(columns, pending)) => {
                        primary_keys.push((columns, pending))
                    }
                    Ok(Applied::Index(index, pending)) => indexes.push((index, pending)),
                    Ok(Applied::ForeignKey(fk)) => foreign_keys.push(fk),
                    Ok(Applied::Check(check, pending)) => checks.push((check, pending)),
                    Err(error) => self.report(error),
                }
            }
        }

        // Primary key: drizzle-kit creates only the first; every PK column is NOT NULL.
        for (pk_columns, _) in &primary_keys {
            for column in columns.iter_mut().filter(|c| pk_columns.contains(&c.name)) {
                column.nullable = false;
            }
        }
        let mut primary_keys = primary_keys.into_iter();
        if let Some((pk_columns, pending)) = primary_keys.next() {
            table.primary_key = Some(PrimaryKey {
                columns: pk_columns,
                source: Some(self.source(pending.module, pending.span)),
            });
        }
        for (_, pending) in primary_keys {
            self.warn(pending.module, pending.span, diagnostics::extra_primary_key);
        }

        for (index, pending) in indexes {
            if table.indexes.iter().any(|other| other.name == index.name) {
                let error = self.error(pending.module, pending.span, |s| {
                    diagnostics::duplicate_index(s, &index.name)
                });
                self.report(error);
                continue;
            }
            table.indexes.push(index);
        }
        table.indexes.extend(serial_indexes);

        for (check, pending) in checks {
            if table.checks.iter().any(|other| other.name == check.name) {
                let error = self.error(pending.module, pending.span, |s| {
                    diagnostics::duplicate_check(s, &check.name)
                });
                self.report(error);
                continue;
            }
            table.checks.push(check);
        }

        // drizzle-kit keys foreign keys by name: a later one replaces an earlier one.
        for fk in foreign_keys {
            table.foreign_keys.retain(|other| other.name != fk.name);
            table.foreign_keys.push(fk);
        }

        table.columns = columns.into_iter().map(Column::canonicalize).collect();
        table.sort();
        self.pop_table();
        table
    }

    /// `ColumnType::parse`, cached per type string (errors are not cached:
    /// they are reported per column).
    fn parse_column_type(
        &mut self,
        sql_type: &str,
    ) -> Result<ColumnType, driftwatch_model::column_type::TypeParseError> {
        if let Some(ty) = self.column_types.get(sql_type) {
            return Ok(ty.clone());
        }
        let ty = ColumnType::parse(sql_type)?;
        self.column_types.insert(sql_type.to_string(), ty.clone());
        Ok(ty)
    }

    /// `DefaultValue::parse_sql`, cached per text.
    fn parse_sql_default(&mut self, text: &str) -> DefaultValue {
        if let Some(value) = self.sql_defaults.get(text) {
            return value.clone();
        }
        let value = DefaultValue::parse_sql(text);
        self.sql_defaults.insert(text.to_string(), value.clone());
        value
    }

    fn model_column(
        &mut self,
        table: TableId,
        builder: &ColumnBuilder<'a>,
        sql_name: &str,
    ) -> Option<Column> {
        let ty = match &builder.enum_values {
            // drizzle-kit's `handleEnumType` writes `'${escapeSingleQuotes(v)}'`.
            Some(values) => ColumnType::Enum {
                values: values
                    .iter()
                    .map(|v| self.string_as_mysql_reads_it(v, true, builder.module, builder.span))
                    .collect(),
            },
            None => match self.parse_column_type(&builder.sql_type) {
                Ok(ty) => ty,
                Err(error) => {
                    let error = self.error(builder.module, builder.span, |s| {
                        diagnostics::invalid_column_type(s, &builder.sql_type, &error.reason)
                    });
                    self.report(error);
                    return None;
                }
            },
        };
        let mut column = Column::new(sql_name, ty);
        column.nullable = !(builder.not_null || builder.primary_key || builder.serial);
        column.auto_increment = builder.auto_increment || builder.serial;
        column.on_update_now = builder.on_update_now;
        if let Some(default) = &builder.default {
            match self.default_value(builder, default) {
                Ok(value) => column.default = value,
                Err(error) => self.report(error),
            }
        }
        if let Some(generated) = &builder.generated {
            match self.generated(&generated.expression) {
                Ok(expression) => {
                    column.generated = Some(Generated {
                        expression,
                        stored: generated.stored,
                    });
                }
                Err(error) => self.report(error),
            }
        }
        let _ = table;
        Some(column)
    }

    /// drizzle-kit's default serialization (reference §4.1), as a Model value.
    fn default_value(
        &mut self,
        builder: &ColumnBuilder<'a>,
        default: &Located<Value<'a>>,
    ) -> Result<Option<DefaultValue>, EvalError> {
        let (m, span) = (default.module, default.span);
        let value = &default.value;
        // 1. sql`...`
        if let Value::Sql(sql) = value {
            return match sql.plain_text() {
                Some(text) => Ok(Some(self.parse_sql_default(&text))),
                None => self.fail(m, span, |s| diagnostics::sql_interpolation(s, "a default")),
            };
        }
        match value {
            Value::Undefined => return Ok(None),
            // 2. strings, whatever the type: `'${escapeSingleQuotes(text)}'`
            Value::String(text) => {
                let stored = self.string_as_mysql_reads_it(text, true, m, span);
                return Ok(Some(DefaultValue::Literal(stored)));
            }
            Value::External { name, package, .. } => {
                return self.fail(m, span, |s| diagnostics::external_value(s, name, package));
            }
            Value::BigInt(_) => {
                return self.fail(m, span, |s| {
                    diagnostics::unevaluable_default(
                        s,
                        "is a BigInt, which makes drizzle-kit crash (`Do not know how to serialize a BigInt`)",
                    )
                });
            }
            _ => {}
        }
        let lowered = builder.sql_type.to_lowercase();
        // 3. json columns: JSON.stringify
        if lowered == "json" {
            return match value.to_json() {
                // `'${JSON.stringify(value)}'`: quotes are not doubled.
                Some(text) => Ok(Some(DefaultValue::Literal(
                    self.string_as_mysql_reads_it(&text, false, m, span),
                ))),
                None => {
                    let detail = format!("is {}, which JSON.stringify cannot write", value.kind());
                    self.fail(m, span, |s| diagnostics::unevaluable_default(s, &detail))
                }
            };
        }
        match value {
            // 4. Date: by column type
            Value::Date(ms) => {
                let Some(iso) = js::to_iso_string(*ms) else {
                    return self.fail(m, span, |s| {
                        diagnostics::unevaluable_default(s, "is an invalid Date")
                    });
                };
                if lowered == "date" {
                    Ok(Some(DefaultValue::Literal(iso.chars().take(10).collect())))
                } else if lowered.starts_with("datetime") || lowered.starts_with("timestamp") {
                    Ok(Some(DefaultValue::Literal(
                        iso.replace('T', " ").chars().take(23).collect(),
                    )))
                } else {
                    self.warn(m, span, |s| {
                        diagnostics::date_default_dropped(s, &builder.sql_type)
                    });
                    Ok(None)
                }
            }
            // 5. raw JS values, written unquoted
            Value::Number(n) if n.is_finite() => {
                Ok(Some(DefaultValue::Number(js::number_to_string(*n))))
            }
            Value::Number(_) => self.fail(m, span, |s| {
                diagnostics::unevaluable_default(s, "is NaN or Infinity, which is not valid SQL")
            }),
            Value::Bool(b) => Ok(Some(DefaultValue::Number(
                if *b { "1" } else { "0" }.to_string(),
            ))),
            Value::Null => Ok(Some(DefaultValue::Null)),
            other => {
                let detail = format!("is {}, which drizzle-kit cannot write as SQL", other.kind());
                self.fail(m, span, |s| diagnostics::unevaluable_default(s, &detail))
            }
        }
    }

    /// The value MySQL stores for the string literal drizzle-kit writes for
    /// `text`: `'${escapeSingleQuotes(text)}'` (drizzle-kit/src/utils.ts
    /// doubles `'` only) or, for JSON defaults, `'${text}'` as is. Backslashes
    /// are left alone, so MySQL reads them as escapes (`\n` is a newline,
    /// `\\` one backslash, `\"` a quote; `\%` and `\_` stay as written).
    /// When the literal is broken (a quote it does not escape), the text is
    /// kept as written, with a warning.
    pub(super) fn string_as_mysql_reads_it(
        &mut self,
        text: &str,
        quotes_doubled: bool,
        m: ModuleId,
        span: Span,
    ) -> String {
        if !quotes_doubled && text.contains('\'') {
            self.warn(m, span, |s| {
                diagnostics::literal_broken_in_ddl(s, "a single quote inside the JSON")
            });
            return text.to_string();
        }
        match mysql_string_value(text) {
            Some(stored) if stored == text => stored,
            Some(stored) => {
                self.warn(m, span, |s| {
                    diagnostics::backslash_escapes_read_by_mysql(s, &stored)
                });
                stored
            }
            None => {
                self.warn(m, span, |s| {
                    diagnostics::literal_broken_in_ddl(s, "a backslash right before a quote")
                });
                text.to_string()
            }
        }
    }

    fn generated(&mut self, expression: &Located<Value<'a>>) -> Result<String, EvalError> {
        let (m, span) = (expression.module, expression.span);
        let value = match &expression.value {
            Value::Function(closure) => self.call_closure(closure, Vec::new())?,
            other => other.clone(),
        };
        let text = match value {
            Value::String(text) => text,
            Value::Sql(sql) => self.render_sql(&sql, m, span, "a generated column expression")?,
            other => {
                let detail = format!("expected a string or sql`...`, got {}", other.kind());
                return Err(self.bad_argument(m, span, "generatedAlwaysAs", &other, &detail));
            }
        };
        Ok(expr::normalize(&text))
    }

    /// SQL text of a template whose interpolations are columns or tables.
    /// Column references are written unqualified: the server stores
    /// generated and index expressions without the table name.
    fn render_sql(
        &self,
        sql: &SqlTemplate,
        m: ModuleId,
        span: Span,
        position: &str,
    ) -> Result<String, EvalError> {
        let mut out = String::new();
        for chunk in &sql.chunks {
            match chunk {
                SqlChunk::Text(text) => out.push_str(text),
                SqlChunk::Column { table, column } => {
                    let name = self.column_sql_name((*table, *column));
                    out.push_str(&format!("`{name}`"));
                }
                SqlChunk::Table(table) => out.push_str(&format!("`{}`", self.tables[*table].name)),
                SqlChunk::Param => {
                    return self.fail(m, span, |s| diagnostics::sql_interpolation(s, position));
                }
            }
        }
        Ok(out)
    }

    fn resolve_reference(
        &mut self,
        table: TableId,
        column: usize,
        reference: &super::drizzle::Reference<'a>,
    ) -> Result<ForeignKey, EvalError> {
        let (m, span) = (reference.target.module, reference.target.span);
        let target = match &reference.target.value {
            Value::Function(closure) => self.call_closure(closure, Vec::new())?,
            other => other.clone(),
        };
        if let Value::External { name, package, .. } = &target {
            return self.fail(m, span, |s| diagnostics::external_value(s, name, package));
        }
        let Value::ColumnRef {
            table: ref_table,
            column: ref_column,
        } = target
        else {
            return self.fail(m, span, |s| {
                diagnostics::expected_column(s, "the result of the `references` callback")
            });
        };
        self.foreign_key(
            table,
            &[(table, column)],
            &[(ref_table, ref_column)],
            None,
            (
                reference.on_delete.as_deref(),
                reference.on_update.as_deref(),
            ),
            (m, span),
        )
    }

    /// A foreign key with drizzle's default name
    /// `<table>_<cols>_<refTable>_<refCols>_fk`, and drizzle-kit's naive
    /// casing fix-up of that name (first occurrence of each original column
    /// name replaced by its cased name).
    fn foreign_key(
        &self,
        table: TableId,
        from: &[ColumnId],
        to: &[ColumnId],
        name: Option<String>,
        (on_delete, on_update): (Option<&str>, Option<&str>),
        (m, span): (ModuleId, Span),
    ) -> Result<ForeignKey, EvalError> {
        let Some(&(ref_table, _)) = to.first() else {
            return self.fail(m, span, |s| {
                diagnostics::invalid_argument(
                    s,
                    "foreignKey",
                    "`foreignColumns` is empty (drizzle-orm throws)",
                )
            });
        };
        let ref_table_name = self.tables[ref_table].name.clone();
        let from_names: Vec<(String, String)> =
            from.iter().map(|c| self.column_names(*c)).collect();
        let to_names: Vec<(String, String)> = to.iter().map(|c| self.column_names(*c)).collect();
        let mut fk_name = name.unwrap_or_else(|| {
            // `<table>_<cols>_<refTable>_<refCols>_fk`, written into one string.
            let mut text = self.tables[table].name.clone();
            for (_, drizzle) in &from_names {
                text.push('_');
                text.push_str(drizzle);
            }
            text.push('_');
            text.push_str(&ref_table_name);
            for (_, drizzle) in &to_names {
                text.push('_');
                text.push_str(drizzle);
            }
            text.push_str("_fk");
            text
        });
        if self.casing.is_some() {
            for (cased, original) in from_names.iter().chain(to_names.iter()) {
                fk_name = fk_name.replacen(original.as_str(), cased, 1);
            }
        }
        let action = |text: Option<&str>| -> Result<FkAction, EvalError> {
            match text {
                None => Ok(FkAction::NoAction),
                Some(text) => FkAction::parse(text).ok_or_else(|| {
                    self.error(m, span, |s| {
                        diagnostics::invalid_argument(
                            s,
                            "references",
                            "unknown referential action (expected cascade, restrict, no action, set null or set default)",
                        )
                    })
                }),
            }
        };
        Ok(ForeignKey {
            name: fk_name,
            columns: from_names.into_iter().map(|(sql, _)| sql).collect(),
            referenced_table: ref_table_name,
            referenced_columns: to_names.into_iter().map(|(sql, _)| sql).collect(),
            on_delete: action(on_delete)?,
            on_update: action(on_update)?,
            source: Some(self.source(m, span)),
        })
    }

    /// Calls the extra-config callback with the table's columns; returns its
    /// entries as `getTableConfig` (drizzle-orm/src/mysql-core/utils.ts)
    /// reads them: an array flattened one level (`extraConfig.flat(1)`), or
    /// the object's values in key order, not flattened; values that are no
    /// builder are skipped there, so `false`, `null` and `undefined` (from
    /// `cond && index(...)`) are skipped here too.
    fn extra_items(&mut self, table: TableId, extra: &Located<Value<'a>>) -> Vec<TableItem<'a>> {
        let Value::Function(closure) = &extra.value else {
            return Vec::new();
        };
        let entries = self.closure_entries(closure, vec![Value::Table(table)]);
        let object_form = matches!(
            entries,
            Entries::Object(_) | Entries::Whole(_, Ok(Value::Object(_)))
        );
        let raw: Vec<(Span, Result<Value<'a>, EvalError>)> = match entries {
            Entries::Array(list) | Entries::Object(list) => {
                list.into_iter().map(|e| (e.span, e.value)).collect()
            }
            Entries::Whole(span, Ok(Value::Array(items))) => {
                items.into_iter().map(|v| (span, Ok(v))).collect()
            }
            Entries::Whole(span, Ok(Value::Object(object))) => {
                object.values().into_iter().map(|v| (span, Ok(v))).collect()
            }
            Entries::Whole(span, Ok(other)) => {
                let detail = format!(
                    "the extra config must return an array, not {}",
                    other.kind()
                );
                vec![(
                    span,
                    Err(self.error(extra.module, span, |s| {
                        diagnostics::invalid_argument(s, "mysqlTable", &detail)
                    })),
                )]
            }
            Entries::Whole(span, Err(error)) => vec![(span, Err(error))],
        };
        let mut items = Vec::new();
        let mut push = |this: &mut Self, span: Span, value: Value<'a>| match value {
            Value::TableItem(item) => items.push(*item),
            Value::Undefined | Value::Null | Value::Bool(false) => {}
            Value::External { name, package, .. } => {
                let error = this.error(closure.module, span, |s| {
                    diagnostics::external_value(s, &name, &package)
                });
                this.report(error);
            }
            _ => {
                let error =
                    this.error(closure.module, span, diagnostics::unrecognized_table_config);
                this.report(error);
            }
        };
        for (span, result) in raw {
            match result {
                Ok(Value::Array(_)) if object_form => {
                    self.warn(
                        closure.module,
                        span,
                        diagnostics::array_in_object_table_config,
                    );
                }
                Ok(Value::Array(inner)) => {
                    for value in inner {
                        push(self, span, value);
                    }
                }
                Ok(value) => push(self, span, value),
                Err(error) => self.report(error),
            }
        }
        items
    }

    fn column_ids(
        &self,
        values: &[Value<'a>],
        m: ModuleId,
        span: Span,
        position: &str,
    ) -> Result<Vec<ColumnId>, EvalError> {
        values
            .iter()
            .map(|value| match value {
                Value::ColumnRef { table, column } => Ok((*table, *column)),
                Value::External { name, package, .. } => {
                    self.fail(m, span, |s| diagnostics::external_value(s, name, package))
                }
                _ => self.fail(m, span, |s| diagnostics::expected_column(s, position)),
            })
            .collect()
    }

    fn apply_item(
        &mut self,
        table: TableId,
        table_name: &str,
        item: TableItem<'a>,
    ) -> Result<Applied, EvalError> {
        match item {
            TableItem::Index {
                name,
                unique,
                columns,
                module,
                span,
            } => {
                let function = if unique { "uniqueIndex" } else { "index" };
                let Some(name) = name else {
                    return self.fail(module, span, |s| {
                        diagnostics::invalid_argument(s, function, "a name is required")
                    });
                };
                let Some(columns) = columns else {
                    return self.fail(module, span, |s| {
                        diagnostics::invalid_argument(
                            s,
                            function,
                            "call `.on(...)` with the indexed columns",
                        )
                    });
                };
                let mut parts = Vec::with_capacity(columns.len());
                for value in &columns {
                    match value {
                        Value::ColumnRef { table, column } => {
                            parts.push(IndexPart::column(self.column_sql_name((*table, *column))));
                        }
                        Value::Sql(sql) => {
                            let text = self.render_sql(sql, module, span, "an index expression")?;
                            parts.push(IndexPart {
                                column: expr::normalize(&text),
                                is_expression: true,
                                prefix: None,
                                descending: false,
                            });
                        }
                        _ => {
                            return self.fail(module, span, |s| {
                                diagnostics::expected_column(s, "an index column")
                            });
                        }
                    }
                }
                let index = Index {
                    name,
                    parts,
                    unique,
                    kind: None,
                    origin: IndexOrigin::Declared,
                    source: Some(self.source(module, span)),
                };
                Ok(Applied::Index(index, Pending { module, span }))
            }
            TableItem::Unique {
                name,
                columns,
                module,
                span,
            } => {
                let Some(columns) = columns else {
                    return self.fail(module, span, |s| {
                        diagnostics::invalid_argument(
                            s,
                            "unique",
                            "call `.on(...)` with the columns",
                        )
                    });
                };
                let ids = self.column_ids(&columns, module, span, "a unique constraint column")?;
                let names: Vec<(String, String)> =
                    ids.iter().map(|c| self.column_names(*c)).collect();
                let name = name.unwrap_or_else(|| {
                    let drizzle: Vec<&str> = names.iter().map(|(_, d)| d.as_str()).collect();
                    format!("{table_name}_{}_unique", drizzle.join("_"))
                });
                let sql: Vec<&str> = names.iter().map(|(s, _)| s.as_str()).collect();
                let mut index = Index::on_columns(name, &sql, true);
                index.source = Some(self.source(module, span));
                Ok(Applied::Index(index, Pending { module, span }))
            }
            TableItem::PrimaryKey {
                columns,
                module,
                span,
            } => {
                let ids = self.column_ids(&columns, module, span, "a primary key column")?;
                if ids.is_empty() {
                    return self.fail(module, span, |s| {
                        diagnostics::invalid_argument(s, "primaryKey", "no columns")
                    });
                }
                let names = ids.iter().map(|c| self.column_sql_name(*c)).collect();
                Ok(Applied::PrimaryKey(names, Pending { module, span }))
            }
            TableItem::Check {
                name,
                value,
                module,
                span,
            } => {
                let text = match value {
                    Value::Sql(sql) => self.render_sql(&sql, module, span, "a check")?,
                    other => {
                        let detail = format!("expected sql`...`, got {}", other.kind());
                        return Err(self.bad_argument(module, span, "check", &other, &detail));
                    }
                };
                // drizzle-kit writes column references table-qualified; the
                // server stores them bare, which is what `render_sql` writes.
                let check = Check {
                    name,
                    expression: expr::normalize(&text),
                    source: Some(self.source(module, span)),
                };
                Ok(Applied::Check(check, Pending { module, span }))
            }
            TableItem::ForeignKey {
                name,
                columns,
                foreign_columns,
                on_delete,
                on_update,
                module,
                span,
            } => {
                let from = self.column_ids(&columns, module, span, "a foreign key column")?;
                let to = self.column_ids(&foreign_columns, module, span, "a referenced column")?;
                let fk = self.foreign_key(
                    table,
                    &from,
                    &to,
                    name,
                    (on_delete.as_deref(), on_update.as_deref()),
                    (module, span),
                )?;
                Ok(Applied::ForeignKey(fk))
            }
        }
    }
}

/// MySQL's reading of the body of a `'...'` literal whose quotes are doubled
/// but whose backslashes are not escaped (backslash escapes are on unless
/// `NO_BACKSLASH_ESCAPES`). `None` when a backslash escapes a quote, which
/// ends or breaks the literal.
fn mysql_string_value(text: &str) -> Option<String> {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            None | Some('\'') => return None,
            Some(escaped) => driftwatch_model::column_type::push_unescaped(&mut out, escaped),
        }
    }
    Some(out)
}

enum Applied {
    PrimaryKey(Vec<String>, Pending),
    Index(Index, Pending),
    ForeignKey(ForeignKey),
    Check(Check, Pending),
}
