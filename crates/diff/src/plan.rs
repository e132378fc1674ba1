//! The fix for each drift: corrective SQL that makes the database match the
//! schema, and — where the database has something the schema lacks — the
//! Drizzle code that would formalize it instead.
//!
//! Deciding the steps ([`plan_fix`]) is apart from rendering SQL text
//! ([`crate::sql`]) and Drizzle code ([`crate::drizzle_code`]).

use driftwatch_model::{Column, ColumnType, TypeCapacity};
use serde::Serialize;

use crate::drift::{Drift, Fragment};
use crate::drizzle_code;
use crate::kind::DriftKind;
use crate::sql;

/// A corrective change. `destructive` steps (DROP, type narrowing) are never
/// applied without explicit approval.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Fix {
    /// Statements that make the database match the schema.
    pub sql: Vec<String>,
    /// Drizzle code that makes the schema match the database instead.
    pub drizzle: Option<String>,
    pub destructive: bool,
}

pub fn plan_fix(drift: &Drift) -> Fix {
    let t = drift.table.as_str();
    let (exp, act) = (drift.expected.as_ref(), drift.actual.as_ref());
    match (drift.kind, exp, act) {
        (DriftKind::TableMissingInDb, Some(Fragment::Table(table)), _) => Fix {
            sql: sql::create_table(table),
            drizzle: None,
            destructive: false,
        },
        (DriftKind::TableExtraInDb, _, Some(Fragment::Table(table))) => Fix {
            sql: vec![format!("DROP TABLE {};", sql::ident(t))],
            drizzle: Some(drizzle_code::table(table)),
            destructive: true,
        },
        (DriftKind::ColumnMissingInDb, Some(Fragment::Column(column)), _) => Fix {
            sql: vec![format!(
                "ALTER TABLE {} ADD COLUMN {};",
                sql::ident(t),
                sql::column_definition(column)
            )],
            drizzle: None,
            destructive: false,
        },
        (DriftKind::ColumnExtraInDb, _, Some(Fragment::Column(column))) => Fix {
            sql: vec![format!(
                "ALTER TABLE {} DROP COLUMN {};",
                sql::ident(t),
                sql::ident(&column.name)
            )],
            drizzle: Some(drizzle_code::column_property(column)),
            destructive: true,
        },
        (_, Some(Fragment::Column(expected)), Some(Fragment::Column(actual))) => Fix {
            // One MODIFY restates the whole column, so every aspect of it is fixed at once.
            sql: vec![format!(
                "ALTER TABLE {} MODIFY COLUMN {};",
                sql::ident(t),
                sql::column_definition(&restated(expected, actual))
            )],
            drizzle: Some(drizzle_code::column_property(actual)),
            destructive: modify_loses_data(expected, actual),
        },
        (DriftKind::PrimaryKeyMismatch, exp, act) => {
            let mut steps = Vec::new();
            let mut parts = Vec::new();
            if act.is_some() {
                parts.push("DROP PRIMARY KEY".to_string());
            }
            if let Some(Fragment::PrimaryKey(pk)) = exp {
                parts.push(format!(
                    "ADD PRIMARY KEY ({})",
                    sql::ident_list(&pk.columns)
                ));
            }
            if !parts.is_empty() {
                steps.push(format!(
                    "ALTER TABLE {} {};",
                    sql::ident(t),
                    parts.join(", ")
                ));
            }
            Fix {
                sql: steps,
                drizzle: None,
                destructive: act.is_some(),
            }
        }
        (_, Some(Fragment::Index(expected)), actual) => {
            let mut steps = Vec::new();
            if let Some(Fragment::Index(db)) = actual {
                steps.push(sql::drop_index(t, &db.name));
            }
            steps.push(sql::create_index(t, expected));
            Fix {
                sql: steps,
                drizzle: None,
                destructive: actual.is_some(),
            }
        }
        (_, None, Some(Fragment::Index(db))) => Fix {
            sql: vec![sql::drop_index(t, &db.name)],
            drizzle: Some(drizzle_code::index(db)),
            destructive: true,
        },
        (_, Some(Fragment::ForeignKey(expected)), actual) => {
            let mut steps = Vec::new();
            if let Some(Fragment::ForeignKey(db)) = actual {
                steps.push(sql::drop_foreign_key(t, &db.name));
            }
            steps.push(sql::add_foreign_key(t, expected));
            Fix {
                sql: steps,
                drizzle: None,
                destructive: actual.is_some(),
            }
        }
        (_, None, Some(Fragment::ForeignKey(db))) => Fix {
            sql: vec![sql::drop_foreign_key(t, &db.name)],
            drizzle: Some(drizzle_code::foreign_key(db)),
            destructive: true,
        },
        (_, Some(Fragment::Check(expected)), actual) => {
            let mut steps = Vec::new();
            if let Some(Fragment::Check(db)) = actual {
                steps.push(sql::drop_check(t, &db.name));
            }
            steps.push(sql::add_check(t, expected));
            Fix {
                sql: steps,
                drizzle: None,
                destructive: actual.is_some(),
            }
        }
        (_, None, Some(Fragment::Check(db))) => Fix {
            sql: vec![sql::drop_check(t, &db.name)],
            drizzle: Some(drizzle_code::check(db)),
            destructive: true,
        },
        (DriftKind::ViewExtraInDb, _, _) => Fix {
            sql: vec![format!("DROP VIEW {};", sql::ident(t))],
            drizzle: None,
            destructive: true,
        },
        _ => Fix::default(),
    }
}

/// The column as a MODIFY must restate it: the schema's definition, keeping
/// what Drizzle cannot declare from the database. A MODIFY without them would
/// convert the column to the table's default character set and drop its comment.
pub(crate) fn restated(expected: &Column, actual: &Column) -> Column {
    let mut column = expected.clone();
    let textual = matches!(
        expected.ty,
        ColumnType::Char { .. }
            | ColumnType::Varchar { .. }
            | ColumnType::Text { .. }
            | ColumnType::Enum { .. }
            | ColumnType::Set { .. }
    );
    if textual && column.charset.is_none() && column.collation.is_none() {
        column.charset = actual.charset.clone();
        column.collation = actual.collation.clone();
    }
    if column.comment.is_none() {
        column.comment = actual.comment.clone();
    }
    column
}

/// A MODIFY that narrows the type (or changes its family) can truncate or
/// reject existing values.
fn modify_loses_data(expected: &Column, actual: &Column) -> bool {
    matches!(
        expected.ty.capacity_vs(&actual.ty),
        TypeCapacity::Narrower | TypeCapacity::Incompatible
    )
}
