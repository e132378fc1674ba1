//! `diff(expected, actual) -> Vec<Drift>`: pure, deterministic.
//!
//! Walk order: tables by name; within a table: columns (schema order, then
//! columns only the database has, in its order), primary key, indexes, foreign
//! keys, checks; then views. Objects are matched by name first; an unmatched
//! pair with the same definition is one name-only difference.

use std::collections::BTreeMap;

use driftwatch_model::equivalence::{
    is_implicit_fk_index, is_optional_expected_index, same_column_type,
};
use driftwatch_model::{Check, Column, ForeignKey, Index, Schema, Table, View};

use crate::drift::{Drift, Fragment};
use crate::kind::DriftKind;

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
            }),
            (None, Some(act)) => drifts.push(Drift {
                kind: DriftKind::TableExtraInDb,
                table: name.to_string(),
                object: None,
                message: format!("table `{name}` exists in the database but not in the schema"),
                source: None,
                expected: None,
                actual: Some(Fragment::Table(act.clone())),
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
    source: Option<driftwatch_model::Source>,
) -> Drift {
    Drift {
        kind,
        table: table.name.clone(),
        object: Some(object.to_string()),
        expected,
        actual,
        message,
        source: source.or_else(|| table.source.clone()),
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
    let yes_no = |flag: bool| if flag { "has" } else { "has no" };
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
    if exp.default != act.default {
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
        aspects.push((
            DriftKind::ColumnAutoincrementMismatch,
            format!(
                "column {name} {} AUTO_INCREMENT in the database, the schema says it {}",
                yes_no(act.auto_increment),
                yes_no(exp.auto_increment)
            ),
        ));
    }
    if exp.on_update_now != act.on_update_now {
        aspects.push((
            DriftKind::ColumnOnUpdateMismatch,
            format!(
                "column {name} {} ON UPDATE CURRENT_TIMESTAMP in the database, the schema says it {}",
                yes_no(act.on_update_now),
                yes_no(exp.on_update_now)
            ),
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

fn index_kinds(unique: bool) -> (DriftKind, DriftKind) {
    if unique {
        (DriftKind::UniqueMissingInDb, DriftKind::UniqueExtraInDb)
    } else {
        (DriftKind::IndexMissingInDb, DriftKind::IndexExtraInDb)
    }
}

fn describe_index(index: &Index) -> String {
    let parts: Vec<String> = index
        .parts
        .iter()
        .map(|p| {
            let mut s = if p.is_expression {
                format!("({})", p.column)
            } else {
                p.column.clone()
            };
            if let Some(len) = p.prefix {
                s.push_str(&format!("({len})"));
            }
            if p.descending {
                s.push_str(" DESC");
            }
            s
        })
        .collect();
    let kind = index
        .kind
        .as_deref()
        .map(|k| format!("{k} "))
        .unwrap_or_default();
    let unique = if index.unique { "UNIQUE " } else { "" };
    format!("{unique}{kind}({})", parts.join(", "))
}

fn diff_indexes(exp: &Table, act: &Table, out: &mut Vec<Drift>) {
    let t = &exp.name;
    let mut missing: Vec<&Index> = Vec::new();
    for index in &exp.indexes {
        match act.index(&index.name) {
            Some(db) if db.same_definition(index) => {}
            Some(db) => out.push(drift(
                DriftKind::IndexMismatch,
                exp,
                &index.name,
                Some(Fragment::Index(index.clone())),
                Some(Fragment::Index(db.clone())),
                format!(
                    "index `{}` on `{t}` is {} in the database, the schema says {}",
                    index.name,
                    describe_index(db),
                    describe_index(index)
                ),
                index.source.clone(),
            )),
            None if is_optional_expected_index(index) => {}
            None => missing.push(index),
        }
    }
    let mut extra: Vec<&Index> = act
        .indexes
        .iter()
        .filter(|db| exp.index(&db.name).is_none() && !is_implicit_fk_index(db, act))
        .collect();
    for index in missing {
        if let Some(pos) = extra.iter().position(|db| db.same_definition(index)) {
            let db = extra.remove(pos);
            out.push(drift(
                DriftKind::IndexMismatch,
                exp,
                &index.name,
                Some(Fragment::Index(index.clone())),
                Some(Fragment::Index(db.clone())),
                format!(
                    "index `{}` on `{t}` is named `{}` in the database (same definition)",
                    index.name, db.name
                ),
                index.source.clone(),
            ));
            continue;
        }
        let (kind, _) = index_kinds(index.unique);
        out.push(drift(
            kind,
            exp,
            &index.name,
            Some(Fragment::Index(index.clone())),
            None,
            format!(
                "{} `{}` {} on `{t}` is missing in the database",
                if index.unique {
                    "unique index"
                } else {
                    "index"
                },
                index.name,
                describe_index(index)
            ),
            index.source.clone(),
        ));
    }
    for db in extra {
        let (_, kind) = index_kinds(db.unique);
        out.push(drift(
            kind,
            exp,
            &db.name,
            None,
            Some(Fragment::Index(db.clone())),
            format!(
                "{} `{}` {} on `{t}` exists in the database but not in the schema",
                if db.unique { "unique index" } else { "index" },
                db.name,
                describe_index(db)
            ),
            None,
        ));
    }
}

fn describe_fk(fk: &ForeignKey) -> String {
    format!(
        "({}) → {}({}) ON DELETE {} ON UPDATE {}",
        fk.columns.join(", "),
        fk.referenced_table,
        fk.referenced_columns.join(", "),
        fk.on_delete.sql(),
        fk.on_update.sql()
    )
}

fn diff_foreign_keys(exp: &Table, act: &Table, out: &mut Vec<Drift>) {
    let t = &exp.name;
    let by_name = |fks: &[ForeignKey], name: &str| fks.iter().position(|f| f.name == name);
    let mut extra: Vec<&ForeignKey> = act
        .foreign_keys
        .iter()
        .filter(|db| by_name(&exp.foreign_keys, &db.name).is_none())
        .collect();
    for fk in &exp.foreign_keys {
        let matched = by_name(&act.foreign_keys, &fk.name).map(|i| &act.foreign_keys[i]);
        let (db, renamed) = match matched {
            Some(db) => (Some(db), false),
            None => match extra.iter().position(|db| db.same_definition(fk)) {
                Some(pos) => (Some(extra.remove(pos)), true),
                None => (None, false),
            },
        };
        match db {
            Some(db) if !renamed && db.same_definition(fk) => {}
            Some(db) => out.push(drift(
                DriftKind::ForeignKeyMismatch,
                exp,
                &fk.name,
                Some(Fragment::ForeignKey(fk.clone())),
                Some(Fragment::ForeignKey(db.clone())),
                if renamed {
                    format!(
                        "foreign key `{}` on `{t}` is named `{}` in the database (same definition)",
                        fk.name, db.name
                    )
                } else {
                    format!(
                        "foreign key `{}` on `{t}` is {} in the database, the schema says {}",
                        fk.name,
                        describe_fk(db),
                        describe_fk(fk)
                    )
                },
                fk.source.clone(),
            )),
            None => out.push(drift(
                DriftKind::ForeignKeyMissingInDb,
                exp,
                &fk.name,
                Some(Fragment::ForeignKey(fk.clone())),
                None,
                format!(
                    "foreign key `{}` {} on `{t}` is missing in the database",
                    fk.name,
                    describe_fk(fk)
                ),
                fk.source.clone(),
            )),
        }
    }
    for db in extra {
        out.push(drift(
            DriftKind::ForeignKeyExtraInDb,
            exp,
            &db.name,
            None,
            Some(Fragment::ForeignKey(db.clone())),
            format!(
                "foreign key `{}` {} on `{t}` exists in the database but not in the schema",
                db.name,
                describe_fk(db)
            ),
            None,
        ));
    }
}

fn diff_checks(exp: &Table, act: &Table, out: &mut Vec<Drift>) {
    let t = &exp.name;
    let find = |checks: &[Check], name: &str| checks.iter().find(|c| c.name == name).cloned();
    for check in &exp.checks {
        match find(&act.checks, &check.name) {
            Some(db) if db.expression == check.expression => {}
            Some(db) => out.push(drift(
                DriftKind::CheckMismatch,
                exp,
                &check.name,
                Some(Fragment::Check(check.clone())),
                Some(Fragment::Check(db.clone())),
                format!(
                    "check `{}` on `{t}` is ({}) in the database, the schema says ({})",
                    check.name, db.expression, check.expression
                ),
                check.source.clone(),
            )),
            None => out.push(drift(
                DriftKind::CheckMissingInDb,
                exp,
                &check.name,
                Some(Fragment::Check(check.clone())),
                None,
                format!("check `{}` on `{t}` is missing in the database", check.name),
                check.source.clone(),
            )),
        }
    }
    for db in &act.checks {
        if find(&exp.checks, &db.name).is_none() {
            out.push(drift(
                DriftKind::CheckExtraInDb,
                exp,
                &db.name,
                None,
                Some(Fragment::Check(db.clone())),
                format!(
                    "check `{}` ({}) on `{t}` exists in the database but not in the schema",
                    db.name, db.expression
                ),
                None,
            ));
        }
    }
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
                    (Some(a), Some(b)) if a != b => (
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
        });
    }
}
