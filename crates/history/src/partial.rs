//! Was a migration partly applied? Pure: Models in, verdict out.
//!
//! MySQL and MariaDB commit every DDL statement on its own, so a migration
//! whose second statement fails leaves the first one applied and writes no
//! row; the next run starts again from the first statement and fails on it
//! ("table already exists"). To see that state, the migration's effects are
//! taken from its snapshots: `diff(after, before)` lists every object it
//! creates, drops or alters. Each object is then looked up in the database
//! Model: as the *after* snapshot has it (the change ran), as the *before*
//! snapshot has it (it did not), or neither (something else changed it).
//! Some ran and some did not = partial.
//!
//! Statements are tied to those objects by the names they start with: drizzle-kit
//! writes `CREATE TABLE \`t\``, `ALTER TABLE \`t\` ADD \`c\``, `ALTER TABLE \`t\`
//! ADD CONSTRAINT \`fk\``, `CREATE INDEX \`i\` ON \`t\``, `DROP INDEX \`i\` ON \`t\``,
//! so the first two backquoted names are the table and the object.

use driftwatch_diff::{Drift, DriftKind, diff};
use driftwatch_model::Schema;
use serde::Serialize;

use crate::migration::is_blank_sql;

/// Where one effect of the migration stands in the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EffectState {
    /// The database has the object as the migration leaves it.
    Applied,
    /// The database has the object as it was before the migration.
    NotApplied,
    /// Neither: changed some other way (by hand, another migration).
    Other,
}

/// One object the migration creates, drops or alters.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Effect {
    /// What the migration does, e.g. "add column `users`.`nickname`".
    pub description: String,
    pub table: String,
    pub object: Option<String>,
    pub state: EffectState,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StatementState {
    /// Everything it does is in the database.
    Ran,
    /// Nothing it does is in the database.
    NotRun,
    /// Could not be told (no effect found for it, or mixed).
    Unknown,
}

/// One statement (breakpoint chunk) of the migration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatementEffect {
    /// 1-based position among the file's chunks.
    pub index: usize,
    /// The statement's first line, shortened.
    pub summary: String,
    pub state: StatementState,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    /// None of its effects is in the database.
    NotStarted,
    /// Some of its effects are, some are not.
    Partial,
    /// All of them are, yet no row records it (applied by hand?); the migrator
    /// would run it again and fail on its first statement.
    Complete,
    /// The snapshots show no effect, or the database matches neither side.
    Undetermined,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PartialAssessment {
    pub verdict: Verdict,
    pub effects: Vec<Effect>,
    pub statements: Vec<StatementEffect>,
}

impl PartialAssessment {
    pub fn statements_in(&self, state: StatementState) -> impl Iterator<Item = &StatementEffect> {
        self.statements.iter().filter(move |s| s.state == state)
    }
}

/// One object a migration creates, drops or alters, from its snapshots: what
/// validate needs to tie a drift to a pending or partial migration
/// ([`ObjectChange::concerns`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ObjectChange {
    /// What the migration does, e.g. "add column `users`.`nickname`".
    pub description: String,
    pub table: String,
    pub object: Option<String>,
    #[serde(skip)]
    change: Drift,
}

impl ObjectChange {
    /// Whether `drift` (from `diff(schema, database)` or any other diff) is
    /// about this object: same kind of object, table and name, or the whole
    /// table is missing or extra.
    pub fn concerns(&self, drift: &Drift) -> bool {
        same_object(&self.change, drift)
            || (is_table_level(drift) && drift.table == self.change.table)
    }
}

/// The objects a migration changes: `diff(after, before)`, one per object.
pub fn object_changes(before: &Schema, after: &Schema) -> Vec<ObjectChange> {
    dedup(diff(after, before))
        .into_iter()
        .map(|change| ObjectChange {
            description: describe(&change),
            table: change.table.clone(),
            object: change.object.clone(),
            change,
        })
        .collect()
}

/// Compares one migration's effects (`before` → `after`, its snapshots) with
/// the `database`; `statements` are the file's chunks.
pub fn assess(
    before: &Schema,
    after: &Schema,
    database: &Schema,
    statements: &[String],
) -> PartialAssessment {
    let changes = dedup(diff(after, before));
    let left_to_do = diff(after, database);
    let undone = diff(before, database);
    let effects: Vec<Effect> = changes
        .iter()
        .map(|change| Effect {
            description: describe(change),
            table: change.table.clone(),
            object: change.object.clone(),
            state: match (settled(change, &left_to_do), settled(change, &undone)) {
                (true, false) => EffectState::Applied,
                (false, true) => EffectState::NotApplied,
                _ => EffectState::Other,
            },
        })
        .collect();
    let statements = statements
        .iter()
        .enumerate()
        .filter(|(_, s)| !is_blank_sql(s))
        .map(|(i, text)| StatementEffect {
            index: i + 1,
            summary: summary(text),
            state: statement_state(text, &changes, &effects),
        })
        .collect();
    PartialAssessment {
        verdict: verdict(&effects),
        effects,
        statements,
    }
}

fn verdict(effects: &[Effect]) -> Verdict {
    let count = |state| effects.iter().filter(|e| e.state == state).count();
    let (applied, not_applied) = (count(EffectState::Applied), count(EffectState::NotApplied));
    match (applied, not_applied) {
        _ if effects.is_empty() => Verdict::Undetermined,
        (a, n) if a > 0 && n > 0 => Verdict::Partial,
        (a, _) if a == effects.len() => Verdict::Complete,
        (_, n) if n == effects.len() => Verdict::NotStarted,
        _ => Verdict::Undetermined,
    }
}

/// The kinds of object a drift is about: a change and a database difference
/// concern the same object when family, table and object name agree.
fn family(kind: DriftKind) -> &'static str {
    const FAMILIES: [&str; 7] = [
        "table_",
        "column_",
        "primary_key",
        "index_",
        "unique_",
        "foreign_key_",
        "check_",
    ];
    let name = kind.name();
    match FAMILIES.iter().find(|prefix| name.starts_with(*prefix)) {
        // Unique keys and indexes share one namespace (a rename can turn one
        // into the other's drift).
        Some(&"unique_") => "index_",
        Some(prefix) => prefix,
        None => "view_",
    }
}

fn same_object(a: &Drift, b: &Drift) -> bool {
    family(a.kind) == family(b.kind) && a.table == b.table && a.object == b.object
}

fn is_table_level(d: &Drift) -> bool {
    matches!(
        d.kind,
        DriftKind::TableMissingInDb | DriftKind::TableExtraInDb
    )
}

/// No difference left about `change`'s object in `differences` (nor about its
/// whole table, which would hide per-object differences).
fn settled(change: &Drift, differences: &[Drift]) -> bool {
    !differences.iter().any(|d| {
        same_object(d, change)
            || (change.object.is_some() && is_table_level(d) && d.table == change.table)
    })
}

/// One change per object (a column can differ in type and nullability at once).
fn dedup(changes: Vec<Drift>) -> Vec<Drift> {
    let mut out: Vec<Drift> = Vec::new();
    for change in changes {
        if !out.iter().any(|c| same_object(c, &change)) {
            out.push(change);
        }
    }
    out
}

/// `diff(after, before)` reads "missing in db" as "the migration creates it".
fn describe(change: &Drift) -> String {
    let name = change.kind.name();
    let what = family(change.kind).trim_end_matches('_').replace('_', " ");
    let whole = matches!(what.as_str(), "table" | "view");
    let verb = if name.ends_with("_missing_in_db") {
        if whole { "create" } else { "add" }
    } else if name.ends_with("_extra_in_db") {
        "drop"
    } else {
        "alter"
    };
    match &change.object {
        Some(object) => format!("{verb} {what} `{}`.`{object}`", change.table),
        None => format!("{verb} {what} `{}`", change.table),
    }
}

/// The backquoted names of a statement, in order (`` `a``b` `` is `` a`b ``).
fn quoted_names(statement: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut chars = statement.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '`' {
            continue;
        }
        let mut name = String::new();
        while let Some(c) = chars.next() {
            if c == '`' {
                if chars.peek() == Some(&'`') {
                    chars.next();
                    name.push('`');
                } else {
                    break;
                }
            } else {
                name.push(c);
            }
        }
        names.push(name);
    }
    names
}

/// The changes a statement makes: those whose table and object are among its
/// first two names; else the table-level change of a table it names first.
fn changes_of<'a>(statement: &str, changes: &'a [Drift]) -> Vec<usize> {
    let names = quoted_names(statement);
    let head: Vec<&str> = names.iter().take(2).map(String::as_str).collect();
    let by_object: Vec<usize> = (0..changes.len())
        .filter(|&i| {
            let c: &'a Drift = &changes[i];
            c.object.as_deref().is_some_and(|o| head.contains(&o))
                && head.contains(&c.table.as_str())
        })
        .collect();
    if !by_object.is_empty() {
        return by_object;
    }
    (0..changes.len())
        .filter(|&i| {
            changes[i].object.is_none() && head.first() == Some(&changes[i].table.as_str())
        })
        .collect()
}

fn statement_state(statement: &str, changes: &[Drift], effects: &[Effect]) -> StatementState {
    let states: Vec<EffectState> = changes_of(statement, changes)
        .into_iter()
        .map(|i| effects[i].state)
        .collect();
    if states.is_empty() {
        StatementState::Unknown
    } else if states.iter().all(|s| *s == EffectState::Applied) {
        StatementState::Ran
    } else if states.iter().all(|s| *s == EffectState::NotApplied) {
        StatementState::NotRun
    } else {
        StatementState::Unknown
    }
}

fn summary(statement: &str) -> String {
    let line = statement
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with("--"))
        .unwrap_or("");
    if line.chars().count() > 100 {
        let cut: String = line.chars().take(97).collect();
        format!("{cut}...")
    } else {
        line.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use driftwatch_model::{Column, ColumnType, Index, Table};

    fn ty(text: &str) -> ColumnType {
        ColumnType::parse(text).unwrap_or_else(|e| panic!("{e}"))
    }

    fn users(extra: &[&str]) -> Table {
        let mut table = Table::new("users");
        table.columns.push(Column::new("id", ty("int")));
        for name in extra {
            table.columns.push(Column::new(*name, ty("varchar(50)")));
        }
        table
    }

    fn schema(tables: Vec<Table>) -> Schema {
        let mut schema = Schema {
            tables,
            views: vec![],
        };
        schema.sort();
        schema
    }

    fn with_index(mut table: Table, name: &str, column: &str) -> Table {
        table
            .indexes
            .push(Index::on_columns(name, &[column], false));
        table
    }

    fn migration() -> (Schema, Schema, Vec<String>) {
        let before = schema(vec![users(&[])]);
        let after = schema(vec![
            with_index(users(&["nickname"]), "users_nickname_idx", "nickname"),
            Table::new("pets"),
        ]);
        let statements = vec![
            "ALTER TABLE `users` ADD `nickname` varchar(50);".to_string(),
            "\nCREATE INDEX `users_nickname_idx` ON `users` (`nickname`);".to_string(),
            "\nCREATE TABLE `pets` (\n\t`id` int\n);\n".to_string(),
        ];
        (before, after, statements)
    }

    #[test]
    fn first_statement_applied_only_is_partial_and_names_the_statements() {
        let (before, after, statements) = migration();
        let database = schema(vec![users(&["nickname"])]);
        let a = assess(&before, &after, &database, &statements);
        assert_eq!(a.verdict, Verdict::Partial, "{a:#?}");
        let states: Vec<_> = a.statements.iter().map(|s| (s.index, s.state)).collect();
        assert_eq!(
            states,
            vec![
                (1, StatementState::Ran),
                (2, StatementState::NotRun),
                (3, StatementState::NotRun)
            ]
        );
    }

    #[test]
    fn database_as_before_is_not_started() {
        let (before, after, statements) = migration();
        let a = assess(&before, &after, &before, &statements);
        assert_eq!(a.verdict, Verdict::NotStarted);
    }

    #[test]
    fn database_as_after_without_a_row_is_complete() {
        let (before, after, statements) = migration();
        let a = assess(&before, &after, &after, &statements);
        assert_eq!(a.verdict, Verdict::Complete);
        assert!(a.statements.iter().all(|s| s.state == StatementState::Ran));
    }

    #[test]
    fn no_change_between_snapshots_is_undetermined() {
        let (before, _, statements) = migration();
        let a = assess(&before, &before, &before, &statements);
        assert_eq!(a.verdict, Verdict::Undetermined);
    }

    #[test]
    fn effects_read_as_what_the_migration_does() {
        let (before, after, statements) = migration();
        let a = assess(&before, &after, &before, &statements);
        let descriptions: Vec<_> = a.effects.iter().map(|e| e.description.as_str()).collect();
        assert!(
            descriptions.contains(&"create table `pets`"),
            "{descriptions:?}"
        );
        assert!(
            descriptions.contains(&"add column `users`.`nickname`"),
            "{descriptions:?}"
        );
    }

    #[test]
    fn object_changes_concern_the_drifts_of_their_objects() {
        let (before, after, _) = migration();
        let changes = object_changes(&before, &after);
        // validate's view of a database still as before: every drift is one of
        // the migration's changes.
        for drift in diff(&after, &before) {
            assert!(changes.iter().any(|c| c.concerns(&drift)), "{drift:?}");
        }
        let unrelated = diff(&schema(vec![Table::new("other")]), &schema(vec![]));
        assert!(!changes.iter().any(|c| c.concerns(&unrelated[0])));
    }

    #[test]
    fn quoted_names_unescape_doubled_backquotes() {
        assert_eq!(quoted_names("DROP TABLE `a``b`, `c`"), vec!["a`b", "c"]);
    }

    #[test]
    fn comment_only_chunks_are_not_listed() {
        let (before, after, mut statements) = migration();
        statements.push("\n-- nothing\n".to_string());
        let a = assess(&before, &after, &before, &statements);
        assert_eq!(a.statements.len(), 3);
    }
}
