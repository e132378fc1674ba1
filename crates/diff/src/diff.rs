//! `diff(expected, actual) -> Vec<Drift>`: pure, deterministic.
//!
//! Walk order: tables by name; within a table: columns (schema order, then
//! columns only the database has, in its order), primary key, indexes, foreign
//! keys, checks; then views. Objects are matched by name first; an unmatched
//! pair with the same definition is one name-only difference.

use std::collections::BTreeMap;

use driftwatch_model::equivalence::{
    is_implicit_fk_index, is_optional_expected_index, same_column_type, same_default,
    same_view_definition,
};
use driftwatch_model::{Check, Column, ForeignKey, Index, Schema, Source, Table, View};

use crate::drift::{Drift, Fragment};
use crate::kind::DriftKind;
use crate::sql;

pub fn diff(expected: &Schema, actual: &Schema) -> Vec<Drift> {
    let mut drifts = Vec::new();
    let mut names: BTreeMap<&str, (Option<&Table>, Option<&Table>)> = BTreeMap::new();
    for table in &expected.tables {
        names.entry(&table.name).or_default().0 = Some(table);
    }
    for table in &actual.tables {
        names.entry(&table.name).or_default().1 = Some(table);
    }
    for (name, pair) in names {
        match pair {
            (Some(exp), Some(act)) => diff_table(exp, act, &mut drifts),
            (Some(exp), None) => drifts.push(Drift {
                kind: DriftKind::TableMissingInDb,
                table: name.to_string(),
                object: None,
                message: format!(
                    "table `{name}` is declared in the schema but does not exist in the database"
                ),
                source: exp.source.clone(),
                expected: Some(Fragment::Table(exp.clone())),
                actual: None,
                name_only: false,
            }),
            (None, Some(act)) => drifts.push(Drift {
                kind: DriftKind::TableExtraInDb,
                table: name.to_string(),
                object: None,
                message: format!("table `{name}` exists in the database but not in the schema"),
                source: None,
                expected: None,
                actual: Some(Fragment::Table(act.clone())),
                name_only: false,
            }),
            (None, None) => {}
        }
    }
    diff_views(&expected.views, &actual.views, &mut drifts);
    drifts
}

fn diff_table(exp: &Table, act: &Table, out: &mut Vec<Drift>) {
    diff_columns(exp, act, out);
    diff_primary_key(exp, act, out);
    diff_indexes(exp, act, out);
    diff_foreign_keys(exp, act, out);
    diff_checks(exp, act, out);
}

fn drift(
    kind: DriftKind,
    table: &Table,
    object: &str,
    expected: Option<Fragment>,
    actual: Option<Fragment>,
    message: String,
    source: Option<Source>,
) -> Drift {
    Drift {
        kind,
        table: table.name.clone(),
        object: Some(object.to_string()),
        expected,
        actual,
        message,
        source: source.or_else(|| table.source.clone()),
        name_only: false,
    }
}

fn diff_columns(exp: &Table, act: &Table, out: &mut Vec<Drift>) {
    let t = &exp.name;
    for column in &exp.columns {
        match act.column(&column.name) {
            None => out.push(drift(
                DriftKind::ColumnMissingInDb,
                exp,
                &column.name,
                Some(Fragment::Column(column.clone())),
                None,
                format!("column `{t}`.`{}` is missing in the database", column.name),
                column.source.clone(),
            )),
            Some(db) => diff_column(exp, column, db, out),
        }
    }
    for column in &act.columns {
        if exp.column(&column.name).is_none() {
            out.push(drift(
                DriftKind::ColumnExtraInDb,
                exp,
                &column.name,
                None,
                Some(Fragment::Column(column.clone())),
                format!(
                    "column `{t}`.`{}` ({}) exists in the database but not in the schema",
                    column.name, column.ty
                ),
                None,
            ));
        }
    }
}

/// One drift per aspect that differs; all of them share the column fragments.
fn diff_column(table: &Table, exp: &Column, act: &Column, out: &mut Vec<Drift>) {
    let name = format!("`{}`.`{}`", table.name, exp.name);
    let describe_default = |c: &Column| {
        c.default
            .as_ref()
            .map_or_else(|| "no default".to_string(), |d| format!("DEFAULT {d}"))
    };
    let null_word = |nullable: bool| if nullable { "NULL" } else { "NOT NULL" };
    // `act` differs from `exp` here, so the schema's side is the opposite.
    let has_or_not = |in_db: bool| {
        if in_db {
            ("has", "does not declare it")
        } else {
            ("has no", "declares it")
        }
    };
    let mut aspects: Vec<(DriftKind, String)> = Vec::new();
    if !same_column_type(&exp.ty, &act.ty) {
        aspects.push((
            DriftKind::ColumnTypeMismatch,
            format!(
                "column {name} is {} in the database, the schema says {}",
                act.ty, exp.ty
            ),
        ));
    }
    if exp.nullable != act.nullable {
        aspects.push((
            DriftKind::ColumnNullabilityMismatch,
            format!(
                "column {name} is {} in the database, the schema says {}",
                null_word(act.nullable),
                null_word(exp.nullable)
            ),
        ));
    }
    if !same_default(exp, act) {
        aspects.push((
            DriftKind::ColumnDefaultMismatch,
            format!(
                "column {name} has {} in the database, the schema says {}",
                describe_default(act),
                describe_default(exp)
            ),
        ));
    }
    if exp.auto_increment != act.auto_increment {
        aspects.push((DriftKind::ColumnAutoincrementMismatch, {
            let (db, schema) = has_or_not(act.auto_increment);
            format!("column {name} {db} AUTO_INCREMENT in the database; the schema {schema}")
        }));
    }
    if exp.on_update_now != act.on_update_now {
        aspects.push((
            DriftKind::ColumnOnUpdateMismatch,
            {
                let (db, schema) = has_or_not(act.on_update_now);
                format!(
                    "column {name} {db} ON UPDATE CURRENT_TIMESTAMP in the database; the schema {schema}"
                )
            },
        ));
    }
    if exp.generated != act.generated {
        let show = |c: &Column| match &c.generated {
            Some(g) => format!(
                "GENERATED ALWAYS AS ({}) {}",
                g.expression,
                if g.stored { "STORED" } else { "VIRTUAL" }
            ),
            None => "not generated".to_string(),
        };
        aspects.push((
            DriftKind::ColumnGeneratedMismatch,
            format!(
                "column {name} is {} in the database, the schema says {}",
                show(act),
                show(exp)
            ),
        ));
    }
    // Character set and collation are compared only where the schema declares them:
    // information_schema cannot tell an inherited collation from an explicit one.
    let charset_differs = exp
        .charset
        .as_ref()
        .is_some_and(|c| Some(c) != act.charset.as_ref())
        || exp
            .collation
            .as_ref()
            .is_some_and(|c| Some(c) != act.collation.as_ref());
    if charset_differs {
        aspects.push((
            DriftKind::ColumnCharsetMismatch,
            format!(
                "column {name} uses {} in the database, the schema says {}",
                act.collation
                    .as_deref()
                    .or(act.charset.as_deref())
                    .unwrap_or("the table default"),
                exp.collation
                    .as_deref()
                    .or(exp.charset.as_deref())
                    .unwrap_or("the table default")
            ),
        ));
    }
    for (kind, message) in aspects {
        out.push(drift(
            kind,
            table,
            &exp.name,
            Some(Fragment::Column(exp.clone())),
            Some(Fragment::Column(act.clone())),
            message,
            exp.source.clone(),
        ));
    }
}

fn diff_primary_key(exp: &Table, act: &Table, out: &mut Vec<Drift>) {
    let columns = |t: &Table| t.primary_key.as_ref().map(|pk| pk.columns.clone());
    if columns(exp) == columns(act) {
        return;
    }
    let show = |c: Option<Vec<String>>| match c {
        Some(cols) => format!("({})", cols.join(", ")),
        None => "no primary key".to_string(),
    };
    out.push(drift(
        DriftKind::PrimaryKeyMismatch,
        exp,
        "PRIMARY",
        exp.primary_key.clone().map(Fragment::PrimaryKey),
        act.primary_key.clone().map(Fragment::PrimaryKey),
        format!(
            "primary key of `{}` is {} in the database, the schema says {}",
            exp.name,
            show(columns(act)),
            show(columns(exp))
        ),
        exp.primary_key.as_ref().and_then(|pk| pk.source.clone()),
    ));
}

/// What the diff needs to know about indexes, foreign keys and checks: they
/// are matched by name, then unmatched pairs with the same definition are one
/// name-only difference.
trait NamedObject: Clone {
    fn name(&self) -> &str;
    fn same_definition(&self, other: &Self) -> bool;
    /// `index`, `unique index`, `foreign key`, `check`.
    fn noun(&self) -> &'static str;
    /// The definition in one line, for messages.
    fn describe(&self) -> String;
    fn source(&self) -> Option<Source>;
    fn fragment(&self) -> Fragment;
    /// (missing in DB, extra in DB, mismatch).
    fn kinds(&self) -> (DriftKind, DriftKind, DriftKind);
}

impl NamedObject for Index {
    fn name(&self) -> &str {
        &self.name
    }
    fn same_definition(&self, other: &Self) -> bool {
        Index::same_definition(self, other)
    }
    fn noun(&self) -> &'static str {
        if self.unique { "unique index" } else { "index" }
    }
    fn describe(&self) -> String {
        let kind = self
            .kind
            .as_deref()
            .map(|k| format!("{k} "))
            .unwrap_or_default();
        format!("{kind}({})", sql::index_parts(self))
    }
    fn source(&self) -> Option<Source> {
        self.source.clone()
    }
    fn fragment(&self) -> Fragment {
        Fragment::Index(self.clone())
    }
    fn kinds(&self) -> (DriftKind, DriftKind, DriftKind) {
        if self.unique {
            (
                DriftKind::UniqueMissingInDb,
                DriftKind::UniqueExtraInDb,
                DriftKind::IndexMismatch,
            )
        } else {
            (
                DriftKind::IndexMissingInDb,
                DriftKind::IndexExtraInDb,
                DriftKind::IndexMismatch,
            )
        }
    }
}

impl NamedObject for ForeignKey {
    fn name(&self) -> &str {
        &self.name
    }
    fn same_definition(&self, other: &Self) -> bool {
        ForeignKey::same_definition(self, other)
    }
    fn noun(&self) -> &'static str {
        "foreign key"
    }
    fn describe(&self) -> String {
        sql::foreign_key_definition(self)
    }
    fn source(&self) -> Option<Source> {
        self.source.clone()
    }
    fn fragment(&self) -> Fragment {
        Fragment::ForeignKey(self.clone())
    }
    fn kinds(&self) -> (DriftKind, DriftKind, DriftKind) {
        (
            DriftKind::ForeignKeyMissingInDb,
            DriftKind::ForeignKeyExtraInDb,
            DriftKind::ForeignKeyMismatch,
        )
    }
}

impl NamedObject for Check {
    fn name(&self) -> &str {
        &self.name
    }
    fn same_definition(&self, other: &Self) -> bool {
        self.expression == other.expression
    }
    fn noun(&self) -> &'static str {
        "check"
    }
    fn describe(&self) -> String {
        format!("({})", self.expression)
    }
    fn source(&self) -> Option<Source> {
        self.source.clone()
    }
    fn fragment(&self) -> Fragment {
        Fragment::Check(self.clone())
    }
    fn kinds(&self) -> (DriftKind, DriftKind, DriftKind) {
        (
            DriftKind::CheckMissingInDb,
            DriftKind::CheckExtraInDb,
            DriftKind::CheckMismatch,
        )
    }
}

/// Diffs one kind of named object of a table. `optional` expected objects may
/// be absent from the database; `implicit` database objects were created by
/// the server on its own (see `driftwatch_model::equivalence`).
fn diff_named<T: NamedObject>(
    table: &Table,
    expected: &[T],
    actual: &[T],
    optional: impl Fn(&T) -> bool,
    implicit: impl Fn(&T) -> bool,
    out: &mut Vec<Drift>,
) {
    let t = &table.name;
    let find = |list: &'_ [T], name: &str| list.iter().position(|o| o.name() == name);
    let mut extra: Vec<&T> = actual
        .iter()
        .filter(|db| find(expected, db.name()).is_none() && !implicit(db))
        .collect();
    for exp in expected {
        let (missing, _, mismatch) = exp.kinds();
        let named = find(actual, exp.name()).map(|i| &actual[i]);
        let drift_with = |kind, actual: Option<&T>, message, name_only| Drift {
            name_only,
            ..drift(
                kind,
                table,
                exp.name(),
                Some(exp.fragment()),
                actual.map(NamedObject::fragment),
                message,
                exp.source(),
            )
        };
        match named {
            Some(db) if db.same_definition(exp) => {}
            Some(db) => out.push(drift_with(
                mismatch,
                Some(db),
                format!(
                    "{} `{}` on `{t}` is {} in the database, the schema says {}",
                    exp.noun(),
                    exp.name(),
                    db.describe(),
                    exp.describe()
                ),
                false,
            )),
            None if optional(exp) => {}
            None => match extra.iter().position(|db| db.same_definition(exp)) {
                Some(pos) => {
                    let db = extra.remove(pos);
                    out.push(drift_with(
                        mismatch,
                        Some(db),
                        format!(
                            "{} `{}` on `{t}` is named `{}` in the database (same definition)",
                            exp.noun(),
                            exp.name(),
                            db.name()
                        ),
                        true,
                    ));
                }
                None => out.push(drift_with(
                    missing,
                    None,
                    format!(
                        "{} `{}` {} on `{t}` is missing in the database",
                        exp.noun(),
                        exp.name(),
                        exp.describe()
                    ),
                    false,
                )),
            },
        }
    }
    for db in extra {
        let (_, extra_kind, _) = db.kinds();
        out.push(drift(
            extra_kind,
            table,
            db.name(),
            None,
            Some(db.fragment()),
            format!(
                "{} `{}` {} on `{t}` exists in the database but not in the schema",
                db.noun(),
                db.name(),
                db.describe()
            ),
            None,
        ));
    }
}

fn diff_indexes(exp: &Table, act: &Table, out: &mut Vec<Drift>) {
    diff_named(
        exp,
        &exp.indexes,
        &act.indexes,
        is_optional_expected_index,
        |db| is_implicit_fk_index(db, act),
        out,
    );
}

fn diff_foreign_keys(exp: &Table, act: &Table, out: &mut Vec<Drift>) {
    diff_named(
        exp,
        &exp.foreign_keys,
        &act.foreign_keys,
        |_| false,
        |_| false,
        out,
    );
}

fn diff_checks(exp: &Table, act: &Table, out: &mut Vec<Drift>) {
    diff_named(exp, &exp.checks, &act.checks, |_| false, |_| false, out);
}

fn diff_views(expected: &[View], actual: &[View], out: &mut Vec<Drift>) {
    let mut names: BTreeMap<&str, (Option<&View>, Option<&View>)> = BTreeMap::new();
    for view in expected {
        names.entry(&view.name).or_default().0 = Some(view);
    }
    for view in actual {
        names.entry(&view.name).or_default().1 = Some(view);
    }
    for (name, pair) in names {
        let (kind, message) = match pair {
            (Some(exp), Some(act)) => {
                // Definitions are compared only when both sides know them.
                match (&exp.definition, &act.definition) {
                    (Some(a), Some(b)) if !same_view_definition(a, b) => (
                        DriftKind::ViewMismatch,
                        format!("view `{name}` has another definition in the database"),
                    ),
                    _ => continue,
                }
            }
            (Some(_), None) => (
                DriftKind::ViewMissingInDb,
                format!(
                    "view `{name}` is declared in the schema but does not exist in the database"
                ),
            ),
            (None, Some(_)) => (
                DriftKind::ViewExtraInDb,
                format!("view `{name}` exists in the database but not in the schema"),
            ),
            (None, None) => continue,
        };
        out.push(Drift {
            kind,
            table: name.to_string(),
            object: None,
            expected: pair.0.cloned().map(Fragment::View),
            actual: pair.1.cloned().map(Fragment::View),
            message,
            source: pair.0.and_then(|v| v.source.clone()),
            name_only: false,
        });
    }
}
