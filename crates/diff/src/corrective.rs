//! The corrective plan of `driftwatch fix --direction db`: every finding's
//! fix as an ordered list of statements that can be piped into the `mysql`
//! client, valid on MariaDB and MySQL 8.
//!
//! Deciding ([`plan`]) is apart from rendering ([`CorrectivePlan::statements`]):
//!
//! * each finding becomes one or more [`Step`]s (a clause of a table's ALTER,
//!   or a statement of its own), in a [`Phase`] whose place in [`PHASES`]
//!   says why it comes where it does (foreign keys are dropped first and
//!   added last; tables are created before anything references them);
//! * within the ALTER phase, the clauses of one table become ONE
//!   `ALTER TABLE`, in the order of [`CLAUSE_ORDER`];
//! * a finding whose fix can lose data or break code is destructive: all its
//!   steps are withheld together (a half-applied replacement — the drop of an
//!   index without its re-creation — would be worse than none) unless the
//!   caller allows destructive steps;
//! * a column missing in the database plus an extra column in the same table
//!   with the same definition is one rename, not a drop and an add;
//! * a foreign key of the database that would block a step (a type change of
//!   a column it uses, the drop of the only index serving it) is dropped
//!   first and re-added last, unchanged.

use driftwatch_model::{Column, ForeignKey, Index, PrimaryKey, Schema, Table, TypeCapacity, View};

use crate::classify::{Finding, Severity};
use crate::drift::Fragment;
use crate::kind::DriftKind;
use crate::sql;

/// When a statement runs. Phases run in the order of [`PHASES`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Phase {
    DropForeignKeys,
    DropViews,
    CreateTables,
    AlterTables,
    DropTables,
    AddForeignKeys,
    CreateViews,
}

/// The order of the phases, and why each comes where it does.
pub const PHASES: &[(Phase, &str)] = &[
    (
        Phase::DropForeignKeys,
        "first: a foreign key pins the columns and indexes it uses and the table it references",
    ),
    (
        Phase::DropViews,
        "before the tables and columns they read change",
    ),
    (
        Phase::CreateTables,
        "new tables exist before any foreign key references them (their own foreign keys come last)",
    ),
    (
        Phase::AlterTables,
        "one ALTER TABLE per table: columns, primary key, indexes and checks (clause order: CLAUSE_ORDER)",
    ),
    (
        Phase::DropTables,
        "after the foreign keys that referenced them are gone; a referencing table before the one it references",
    ),
    (
        Phase::AddForeignKeys,
        "last: every table, column and index a foreign key needs exists by now",
    ),
    (Phase::CreateViews, "after the tables and columns they read"),
];

/// One clause of a table's `ALTER TABLE`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ClauseKind {
    DropCheck,
    DropIndex,
    DropPrimaryKey,
    RenameColumn,
    DropColumn,
    AddColumn,
    ModifyColumn,
    AddPrimaryKey,
    AddIndex,
    AddCheck,
}

/// The order of the clauses inside one `ALTER TABLE`, and why.
pub const CLAUSE_ORDER: &[(ClauseKind, &str)] = &[
    (
        ClauseKind::DropCheck,
        "a check reads columns that may change below",
    ),
    (
        ClauseKind::DropIndex,
        "an index is re-created under the same name further down",
    ),
    (
        ClauseKind::DropPrimaryKey,
        "before the new primary key is added",
    ),
    (
        ClauseKind::RenameColumn,
        "before anything refers to the column by its new name",
    ),
    (ClauseKind::DropColumn, "frees the name for an added column"),
    (
        ClauseKind::AddColumn,
        "before the keys and indexes that use it",
    ),
    (
        ClauseKind::ModifyColumn,
        "before the keys and indexes that use it",
    ),
    (
        ClauseKind::AddPrimaryKey,
        "its columns exist and are NOT NULL by now",
    ),
    (ClauseKind::AddIndex, "its columns exist by now"),
    (ClauseKind::AddCheck, "last: it reads the final columns"),
];

fn clause_rank(kind: ClauseKind) -> usize {
    CLAUSE_ORDER
        .iter()
        .position(|(k, _)| *k == kind)
        .unwrap_or(CLAUSE_ORDER.len())
}

fn phase_rank(phase: Phase) -> usize {
    PHASES
        .iter()
        .position(|(p, _)| *p == phase)
        .unwrap_or(PHASES.len())
}

/// What a step does: a clause of the table's ALTER, or a whole statement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StepSql {
    Clause(ClauseKind, String),
    Statement(String),
}

/// One piece of the plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub phase: Phase,
    pub table: String,
    pub sql: StepSql,
    /// The findings this step fixes, as `kind table.object (severity)`.
    pub fixes: Vec<String>,
    /// Why the step can lose data or break code (`None`: safe).
    pub destructive: Option<String>,
    /// The highest severity among the findings it fixes.
    pub severity: Severity,
}

#[derive(Debug, Clone, Copy, Default)]
pub struct PlanOptions {
    /// The server understands `RENAME COLUMN` (MySQL ≥ 8.0, MariaDB ≥
    /// 10.5.2); otherwise a rename is written as `CHANGE COLUMN`.
    pub rename_column: bool,
}

/// The ordered plan; see the module comment.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CorrectivePlan {
    /// In execution order (phase, table, clause).
    pub steps: Vec<Step>,
}

/// A statement ready to print: the SQL, and what it fixes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Statement {
    pub sql: String,
    pub fixes: Vec<String>,
    pub destructive: Option<String>,
}

impl CorrectivePlan {
    pub fn is_empty(&self) -> bool {
        self.steps.is_empty()
    }

    pub fn has_destructive(&self) -> bool {
        self.steps.iter().any(|s| s.destructive.is_some())
    }

    /// The statements, in order: the clauses of one table are combined into
    /// one `ALTER TABLE`; destructive steps in an ALTER of their own unless
    /// `destructive_allowed` (so that the safe part can run while the rest
    /// waits for approval).
    pub fn statements(&self, destructive_allowed: bool) -> Vec<Statement> {
        let mut steps = self.steps.clone();
        sort_steps(&mut steps, !destructive_allowed);
        let mut out: Vec<Statement> = Vec::new();
        let mut alter: Option<(String, bool, Vec<String>, Statement)> = None;
        let flush = |alter: &mut Option<(String, bool, Vec<String>, Statement)>,
                     out: &mut Vec<Statement>| {
            if let Some((table, _, clauses, mut statement)) = alter.take() {
                statement.sql = format!(
                    "ALTER TABLE {}\n  {};",
                    sql::ident(&table),
                    clauses.join(",\n  ")
                );
                out.push(statement);
            }
        };
        for step in &steps {
            match &step.sql {
                StepSql::Clause(_, clause) => {
                    let destructive = !destructive_allowed && step.destructive.is_some();
                    let same = alter
                        .as_ref()
                        .is_some_and(|(t, d, _, _)| *t == step.table && *d == destructive);
                    if !same {
                        flush(&mut alter, &mut out);
                        alter = Some((
                            step.table.clone(),
                            destructive,
                            Vec::new(),
                            Statement {
                                sql: String::new(),
                                fixes: Vec::new(),
                                destructive: None,
                            },
                        ));
                    }
                    if let Some((_, _, clauses, statement)) = alter.as_mut() {
                        clauses.push(clause.clone());
                        merge_notes(statement, step);
                    }
                }
                StepSql::Statement(text) => {
                    flush(&mut alter, &mut out);
                    let mut statement = Statement {
                        sql: text.clone(),
                        fixes: Vec::new(),
                        destructive: None,
                    };
                    merge_notes(&mut statement, step);
                    out.push(statement);
                }
            }
        }
        flush(&mut alter, &mut out);
        out
    }
}

fn merge_notes(statement: &mut Statement, step: &Step) {
    for fix in &step.fixes {
        if !statement.fixes.contains(fix) {
            statement.fixes.push(fix.clone());
        }
    }
    if let Some(why) = &step.destructive {
        match &mut statement.destructive {
            Some(existing) if !existing.contains(why.as_str()) => {
                existing.push_str("; ");
                existing.push_str(why);
            }
            Some(_) => {}
            None => statement.destructive = Some(why.clone()),
        }
    }
}

/// Plans the fix of every finding (see the module comment). `actual` is the
/// database's Model: its foreign keys on a column whose type changes must be
/// dropped around the change (see [`foreign_keys_around_type_changes`]).
pub fn plan(findings: &[Finding], options: PlanOptions, actual: &Schema) -> CorrectivePlan {
    let renames = find_renames(findings);
    let mut steps: Vec<Step> = Vec::new();
    for (missing, extra) in &renames {
        steps.push(rename_step(&findings[*missing], &findings[*extra], options));
    }
    let renamed: Vec<usize> = renames.iter().flat_map(|(m, e)| [*m, *e]).collect();
    for (i, finding) in findings.iter().enumerate() {
        if renamed.contains(&i) {
            continue;
        }
        steps.extend(steps_for(finding));
    }
    steps.extend(foreign_keys_around_type_changes(findings, actual));
    steps.extend(foreign_keys_around_index_drops(findings, actual));
    let mut steps = merge_column_modifications(steps);
    order_table_drops(&mut steps, findings);
    sort_steps(&mut steps, true);
    CorrectivePlan { steps }
}

/// Execution order: phase, then table, then (when `split_destructive`)
/// safe steps before destructive ones, then clause order. Stable, so the
/// order of dropped tables (see `order_table_drops`) is kept.
fn sort_steps(steps: &mut [Step], split_destructive: bool) {
    steps.sort_by_key(|s| {
        (
            phase_rank(s.phase),
            if s.phase == Phase::DropTables {
                String::new()
            } else {
                s.table.clone()
            },
            split_destructive && s.destructive.is_some(),
            match &s.sql {
                StepSql::Clause(kind, _) => clause_rank(*kind),
                StepSql::Statement(_) => 0,
            },
        )
    });
}

fn label(finding: &Finding) -> String {
    match &finding.object {
        Some(object) => format!(
            "{} `{}`.`{object}` ({})",
            finding.kind.name(),
            finding.table,
            finding.severity
        ),
        None => format!(
            "{} `{}` ({})",
            finding.kind.name(),
            finding.table,
            finding.severity
        ),
    }
}

/// The pairs (column missing in DB, column extra in DB) of one table with
/// the same definition, each column in at most one pair and only when the
/// match is unambiguous.
fn find_renames(findings: &[Finding]) -> Vec<(usize, usize)> {
    let column = |f: &Finding, kind: DriftKind| -> Option<Column> {
        if f.kind != kind {
            return None;
        }
        match (kind, &f.expected, &f.actual) {
            (DriftKind::ColumnMissingInDb, Some(Fragment::Column(c)), _)
            | (DriftKind::ColumnExtraInDb, _, Some(Fragment::Column(c))) => Some(c.clone()),
            _ => None,
        }
    };
    let mut pairs = Vec::new();
    for (m, missing) in findings.iter().enumerate() {
        let Some(expected) = column(missing, DriftKind::ColumnMissingInDb) else {
            continue;
        };
        let candidates: Vec<usize> = findings
            .iter()
            .enumerate()
            .filter(|(_, f)| f.table == missing.table)
            .filter(|(_, f)| {
                column(f, DriftKind::ColumnExtraInDb)
                    .is_some_and(|a| same_definition(&expected, &a))
            })
            .map(|(i, _)| i)
            .collect();
        let rivals = findings
            .iter()
            .filter(|f| f.table == missing.table)
            .filter_map(|f| column(f, DriftKind::ColumnMissingInDb))
            .filter(|other| {
                candidates.iter().any(|c| {
                    column(&findings[*c], DriftKind::ColumnExtraInDb)
                        .is_some_and(|a| same_definition(other, &a))
                })
            })
            .count();
        if let ([extra], 1) = (candidates.as_slice(), rivals) {
            pairs.push((m, *extra));
        }
    }
    pairs
}

/// Same column apart from its name (and what Drizzle cannot declare:
/// character set, collation and comment are compared only when declared).
fn same_definition(expected: &Column, actual: &Column) -> bool {
    let declared_equal = |e: &Option<String>, a: &Option<String>| e.is_none() || e == a;
    expected.ty == actual.ty
        && expected.nullable == actual.nullable
        && expected.default == actual.default
        && expected.auto_increment == actual.auto_increment
        && expected.on_update_now == actual.on_update_now
        && expected.generated == actual.generated
        && declared_equal(&expected.charset, &actual.charset)
        && declared_equal(&expected.collation, &actual.collation)
}

fn rename_step(missing: &Finding, extra: &Finding, options: PlanOptions) -> Step {
    let to = missing.object.clone().unwrap_or_default();
    let from = extra.object.clone().unwrap_or_default();
    let clause = match (&missing.expected, options.rename_column) {
        (_, true) | (None, false) => {
            format!("RENAME COLUMN {} TO {}", sql::ident(&from), sql::ident(&to))
        }
        // MariaDB < 10.5.2 and MySQL 5.7 have no RENAME COLUMN.
        (Some(Fragment::Column(column)), false) => {
            let mut column = column.clone();
            if let Some(Fragment::Column(actual)) = &extra.actual {
                column = restated(&column, actual);
            }
            format!(
                "CHANGE COLUMN {} {}",
                sql::ident(&from),
                sql::column_definition(&column)
            )
        }
        (Some(_), false) => format!("RENAME COLUMN {} TO {}", sql::ident(&from), sql::ident(&to)),
    };
    Step {
        phase: Phase::AlterTables,
        table: missing.table.clone(),
        sql: StepSql::Clause(ClauseKind::RenameColumn, clause),
        fixes: vec![label(missing), label(extra)],
        destructive: Some(format!(
            "renames column `{}`.`{from}` to `{to}` (same definition): anything still using `{from}` breaks",
            missing.table
        )),
        severity: missing.severity.max(extra.severity),
    }
}

/// The steps of one finding, all marked destructive when any part is.
fn steps_for(finding: &Finding) -> Vec<Step> {
    let t = finding.table.as_str();
    let (exp, act) = (finding.expected.as_ref(), finding.actual.as_ref());
    let step = |phase: Phase, sql: StepSql| Step {
        phase,
        table: t.to_string(),
        sql,
        fixes: vec![label(finding)],
        destructive: None,
        severity: finding.severity,
    };
    let clause =
        |kind: ClauseKind, text: String| step(Phase::AlterTables, StepSql::Clause(kind, text));
    let statement = |phase: Phase, text: String| step(phase, StepSql::Statement(text));
    let mut steps: Vec<Step> = match (finding.kind, exp, act) {
        (DriftKind::TableMissingInDb, Some(Fragment::Table(table)), _) => {
            create_table_steps(table, &statement)
        }
        (DriftKind::TableExtraInDb, _, Some(Fragment::Table(_))) => {
            vec![statement(
                Phase::DropTables,
                format!("DROP TABLE {};", sql::ident(t)),
            )]
        }
        (DriftKind::ColumnMissingInDb, Some(Fragment::Column(column)), _) => vec![clause(
            ClauseKind::AddColumn,
            format!("ADD COLUMN {}", sql::column_definition(column)),
        )],
        (DriftKind::ColumnExtraInDb, _, Some(Fragment::Column(column))) => vec![clause(
            ClauseKind::DropColumn,
            format!("DROP COLUMN {}", sql::ident(&column.name)),
        )],
        (_, Some(Fragment::Column(expected)), Some(Fragment::Column(actual))) => vec![clause(
            ClauseKind::ModifyColumn,
            format!(
                "MODIFY COLUMN {}",
                sql::column_definition(&restated(expected, actual))
            ),
        )],
        (DriftKind::PrimaryKeyMismatch, exp, act) => primary_key_steps(exp, act, &clause),
        (_, Some(Fragment::Index(_)), _) | (_, None, Some(Fragment::Index(_))) => {
            index_steps(exp, act, &clause)
        }
        (_, Some(Fragment::ForeignKey(_)), _) | (_, None, Some(Fragment::ForeignKey(_))) => {
            foreign_key_steps(t, exp, act, &statement)
        }
        (_, Some(Fragment::Check(_)), _) | (_, None, Some(Fragment::Check(_))) => {
            check_steps(exp, act, &clause)
        }
        (_, Some(Fragment::View(_)), _) | (_, None, Some(Fragment::View(_))) => {
            view_steps(t, exp, act, &statement)
        }
        _ => Vec::new(),
    };
    if let Some(why) = destructive_reason(finding) {
        for step in &mut steps {
            step.destructive = Some(why.clone());
        }
    }
    steps
}

fn create_table_steps(table: &Table, statement: &dyn Fn(Phase, String) -> Step) -> Vec<Step> {
    let mut steps = vec![statement(
        Phase::CreateTables,
        sql::create_table_without_foreign_keys(table, None),
    )];
    steps.extend(
        table
            .foreign_keys
            .iter()
            .map(|fk| statement(Phase::AddForeignKeys, sql::add_foreign_key(&table.name, fk))),
    );
    steps
}

fn primary_key_steps(
    exp: Option<&Fragment>,
    act: Option<&Fragment>,
    clause: &dyn Fn(ClauseKind, String) -> Step,
) -> Vec<Step> {
    let mut steps = Vec::new();
    if let Some(Fragment::PrimaryKey(_)) = act {
        steps.push(clause(
            ClauseKind::DropPrimaryKey,
            "DROP PRIMARY KEY".into(),
        ));
    }
    if let Some(Fragment::PrimaryKey(PrimaryKey { columns, .. })) = exp {
        steps.push(clause(
            ClauseKind::AddPrimaryKey,
            format!("ADD PRIMARY KEY ({})", sql::ident_list(columns)),
        ));
    }
    steps
}

fn index_clause(index: &Index) -> String {
    let keyword = match (index.unique, index.kind.as_deref()) {
        (true, _) => "UNIQUE INDEX",
        (false, Some("FULLTEXT")) => "FULLTEXT INDEX",
        (false, Some("SPATIAL")) => "SPATIAL INDEX",
        _ => "INDEX",
    };
    format!(
        "ADD {keyword} {} ({})",
        sql::ident(&index.name),
        sql::index_parts(index)
    )
}

fn index_steps(
    exp: Option<&Fragment>,
    act: Option<&Fragment>,
    clause: &dyn Fn(ClauseKind, String) -> Step,
) -> Vec<Step> {
    let mut steps = Vec::new();
    if let Some(Fragment::Index(db)) = act {
        steps.push(clause(
            ClauseKind::DropIndex,
            format!("DROP INDEX {}", sql::ident(&db.name)),
        ));
    }
    if let Some(Fragment::Index(index)) = exp {
        steps.push(clause(ClauseKind::AddIndex, index_clause(index)));
    }
    steps
}

fn foreign_key_steps(
    table: &str,
    exp: Option<&Fragment>,
    act: Option<&Fragment>,
    statement: &dyn Fn(Phase, String) -> Step,
) -> Vec<Step> {
    let mut steps = Vec::new();
    if let Some(Fragment::ForeignKey(db)) = act {
        steps.push(statement(
            Phase::DropForeignKeys,
            sql::drop_foreign_key(table, &db.name),
        ));
    }
    if let Some(Fragment::ForeignKey(fk)) = exp {
        steps.push(statement(
            Phase::AddForeignKeys,
            sql::add_foreign_key(table, fk),
        ));
    }
    steps
}

fn check_steps(
    exp: Option<&Fragment>,
    act: Option<&Fragment>,
    clause: &dyn Fn(ClauseKind, String) -> Step,
) -> Vec<Step> {
    let mut steps = Vec::new();
    if let Some(Fragment::Check(db)) = act {
        // DROP CONSTRAINT: MariaDB ≥ 10.2 and MySQL ≥ 8.0.19.
        steps.push(clause(
            ClauseKind::DropCheck,
            format!("DROP CONSTRAINT {}", sql::ident(&db.name)),
        ));
    }
    if let Some(Fragment::Check(check)) = exp {
        steps.push(clause(
            ClauseKind::AddCheck,
            format!(
                "ADD CONSTRAINT {} CHECK ({})",
                sql::ident(&check.name),
                check.expression
            ),
        ));
    }
    steps
}

fn view_steps(
    name: &str,
    exp: Option<&Fragment>,
    act: Option<&Fragment>,
    statement: &dyn Fn(Phase, String) -> Step,
) -> Vec<Step> {
    let create = |view: &View| sql::create_view(view);
    match (exp, act) {
        (Some(Fragment::View(view)), Some(_)) => create(view)
            .map(|text| {
                vec![statement(
                    Phase::CreateViews,
                    text.replacen("CREATE VIEW", "CREATE OR REPLACE VIEW", 1),
                )]
            })
            .unwrap_or_default(),
        (Some(Fragment::View(view)), None) => create(view)
            .map(|text| vec![statement(Phase::CreateViews, text)])
            .unwrap_or_default(),
        (None, Some(_)) => vec![statement(
            Phase::DropViews,
            format!("DROP VIEW {};", sql::ident(name)),
        )],
        _ => Vec::new(),
    }
}

/// The column as a MODIFY must restate it (see `plan::restated`).
fn restated(expected: &Column, actual: &Column) -> Column {
    crate::plan::restated(expected, actual)
}

/// Why a finding's fix can lose data or break code, or `None`. Drops of what
/// the database has and the schema does not, and the replacements
/// `plan_fix` marks destructive, follow the report's `fix.destructive`;
/// a MODIFY that adds NOT NULL to a column that may hold NULLs is
/// destructive too (it fails in strict mode, or turns NULLs into 0/'').
fn destructive_reason(finding: &Finding) -> Option<String> {
    let t = &finding.table;
    let object = finding.object.as_deref().unwrap_or_default();
    let (exp, act) = (finding.expected.as_ref(), finding.actual.as_ref());
    if let (Some(Fragment::Column(e)), Some(Fragment::Column(a))) = (exp, act) {
        if matches!(
            e.ty.capacity_vs(&a.ty),
            TypeCapacity::Narrower | TypeCapacity::Incompatible
        ) {
            return Some(format!(
                "changes `{t}`.`{object}` from {} to {}: values that do not fit are truncated or rejected",
                a.ty, e.ty
            ));
        }
        if !e.nullable && a.nullable {
            return Some(format!(
                "makes `{t}`.`{object}` NOT NULL: rows holding NULL make it fail (strict mode) or become 0/''"
            ));
        }
        return None;
    }
    if !finding.fix.destructive {
        return None;
    }
    Some(match finding.kind {
        DriftKind::TableExtraInDb => format!("drops table `{t}` and every row in it"),
        DriftKind::ColumnExtraInDb => format!("drops column `{t}`.`{object}` and its data"),
        DriftKind::ViewExtraInDb => format!("drops view `{t}`"),
        DriftKind::PrimaryKeyMismatch => format!("drops the primary key of `{t}`"),
        _ if exp.is_some() => {
            format!("drops and re-creates `{object}` on `{t}` (unenforced or slower in between)")
        }
        _ => format!("drops `{object}` from `{t}`, which the schema does not declare"),
    })
}

/// MySQL and MariaDB refuse to change the type of a column a foreign key
/// uses, on either side ("Cannot change column …: used in a foreign key
/// constraint", error 1832/1833). Such a foreign key of the database is
/// dropped first and re-added last, unchanged, with the finding that changes
/// the type (so it is withheld with it). Foreign keys a finding already drops
/// or replaces are left to it.
fn foreign_keys_around_type_changes(findings: &[Finding], actual: &Schema) -> Vec<Step> {
    let handled = |table: &str, name: &str| fk_handled(findings, table, name);
    let mut steps: Vec<Step> = Vec::new();
    let mut seen: Vec<(String, String)> = Vec::new();
    for finding in findings {
        let (Some(Fragment::Column(e)), Some(Fragment::Column(a))) =
            (&finding.expected, &finding.actual)
        else {
            continue;
        };
        if e.ty == a.ty {
            continue;
        }
        let column = a.name.as_str();
        for table in &actual.tables {
            for fk in &table.foreign_keys {
                let uses = (table.name == finding.table && fk.columns.iter().any(|c| c == column))
                    || (fk.referenced_table == finding.table
                        && fk.referenced_columns.iter().any(|c| c == column));
                let key = (table.name.clone(), fk.name.clone());
                if !uses || handled(&table.name, &fk.name) || seen.contains(&key) {
                    continue;
                }
                seen.push(key);
                let why = format!(
                    "uses `{}`.`{column}`: dropped around the type change",
                    finding.table
                );
                steps.extend(bracket(&table.name, fk, finding, &why));
            }
        }
    }
    steps
}

/// A foreign key of the database dropped first and re-added last,
/// unchanged, on behalf of `finding` (withheld with it).
fn bracket(table: &str, fk: &ForeignKey, finding: &Finding, why: &str) -> [Step; 2] {
    let note = format!(
        "{} (foreign key `{}` on `{table}` {why})",
        label(finding),
        fk.name
    );
    let step = |phase: Phase, sql: String| Step {
        phase,
        table: table.to_string(),
        sql: StepSql::Statement(sql),
        fixes: vec![note.clone()],
        destructive: destructive_reason(finding),
        severity: finding.severity,
    };
    [
        step(
            Phase::DropForeignKeys,
            sql::drop_foreign_key(table, &fk.name),
        ),
        step(Phase::AddForeignKeys, sql::add_foreign_key(table, fk)),
    ]
}

/// Whether an index on `columns` (in key order) can serve a foreign key on
/// `fk_columns`: InnoDB needs the key's columns leftmost.
fn serves(columns: &[&str], fk_columns: &[String]) -> bool {
    columns.len() >= fk_columns.len() && columns.iter().zip(fk_columns).all(|(a, b)| *a == b)
}

/// An index (or the primary key) a foreign key needs cannot be dropped
/// while no other index serves the key ("Cannot drop index …: needed in a
/// foreign key constraint", error 1553; MariaDB 10.11 observed after InnoDB
/// dropped its own index for the key in favour of a hand-made one). Such a
/// foreign key is dropped first and re-added last, unchanged; InnoDB then
/// creates its own index for it again, as drizzle-kit's DDL would have.
fn foreign_keys_around_index_drops(findings: &[Finding], actual: &Schema) -> Vec<Step> {
    let mut steps = Vec::new();
    for table in &actual.tables {
        // (name, finding) of every index this plan drops on the table;
        // `PRIMARY` for the primary key.
        let dropped: Vec<(&str, &Finding)> = findings
            .iter()
            .filter(|f| f.table == table.name)
            .filter_map(|f| match &f.actual {
                Some(Fragment::Index(index)) => Some((index.name.as_str(), f)),
                Some(Fragment::PrimaryKey(_)) if f.kind == DriftKind::PrimaryKeyMismatch => {
                    Some(("PRIMARY", f))
                }
                _ => None,
            })
            .collect();
        if dropped.is_empty() {
            continue;
        }
        let is_dropped = |name: &str| dropped.iter().any(|(n, _)| *n == name);
        let mut keys: Vec<(String, Vec<&str>)> = table
            .indexes
            .iter()
            .map(|i| (i.name.clone(), i.column_names()))
            .collect();
        if let Some(pk) = &table.primary_key {
            keys.push((
                "PRIMARY".to_string(),
                pk.columns.iter().map(String::as_str).collect(),
            ));
        }
        for fk in &table.foreign_keys {
            if fk_handled(findings, &table.name, &fk.name) {
                continue;
            }
            let remaining = keys
                .iter()
                .any(|(name, columns)| !is_dropped(name) && serves(columns, &fk.columns));
            let needed = keys
                .iter()
                .find(|(name, columns)| is_dropped(name) && serves(columns, &fk.columns));
            if let (false, Some((name, _))) = (remaining, needed) {
                let finding = dropped
                    .iter()
                    .find(|(n, _)| *n == name.as_str())
                    .map(|(_, f)| *f);
                if let Some(finding) = finding {
                    let why = format!("needs index `{name}`: dropped around its removal");
                    steps.extend(bracket(&table.name, fk, finding, &why));
                }
            }
        }
    }
    steps
}

/// A finding already drops, replaces or adds this foreign key.
fn fk_handled(findings: &[Finding], table: &str, name: &str) -> bool {
    findings.iter().any(|f| {
        f.table == table
            && f.object.as_deref() == Some(name)
            && matches!(
                f.kind,
                DriftKind::ForeignKeyExtraInDb
                    | DriftKind::ForeignKeyMismatch
                    | DriftKind::ForeignKeyMissingInDb
            )
    })
}

/// Several aspects of one column (type, default, …) are one MODIFY; a
/// foreign key bracketed for two reasons is dropped and re-added once.
fn merge_column_modifications(steps: Vec<Step>) -> Vec<Step> {
    let mut out: Vec<Step> = Vec::with_capacity(steps.len());
    for step in steps {
        let existing = out.iter_mut().find(|s| {
            s.table == step.table
                && s.phase == step.phase
                && matches!(
                    &s.sql,
                    StepSql::Clause(ClauseKind::ModifyColumn, _) | StepSql::Statement(_)
                )
                && s.sql == step.sql
        });
        match existing {
            Some(existing) => {
                for fix in step.fixes {
                    if !existing.fixes.contains(&fix) {
                        existing.fixes.push(fix);
                    }
                }
                if existing.destructive.is_none() {
                    existing.destructive = step.destructive;
                }
                existing.severity = existing.severity.max(step.severity);
            }
            None => out.push(step),
        }
    }
    out
}

/// Dropped tables that reference other dropped tables go first (children
/// before parents), so that no DROP TABLE hits a foreign key.
fn order_table_drops(steps: &mut [Step], findings: &[Finding]) {
    let references = |table: &str| -> Vec<String> {
        findings
            .iter()
            .filter(|f| f.kind == DriftKind::TableExtraInDb && f.table == table)
            .filter_map(|f| match &f.actual {
                Some(Fragment::Table(t)) => Some(
                    t.foreign_keys
                        .iter()
                        .map(|fk| fk.referenced_table.clone())
                        .filter(|r| r != table)
                        .collect::<Vec<_>>(),
                ),
                _ => None,
            })
            .flatten()
            .collect()
    };
    let mut drops: Vec<String> = steps
        .iter()
        .filter(|s| s.phase == Phase::DropTables)
        .map(|s| s.table.clone())
        .collect();
    drops.sort();
    // Depth = how many dropped tables reference this one, transitively: a
    // table nobody references goes first.
    let depth = |table: &str| -> usize {
        let mut depth = 0;
        let mut frontier = vec![table.to_string()];
        let mut seen = vec![table.to_string()];
        while !frontier.is_empty() && depth < drops.len() {
            let next: Vec<String> = drops
                .iter()
                .filter(|d| !seen.contains(d))
                .filter(|d| references(d).iter().any(|r| frontier.contains(r)))
                .cloned()
                .collect();
            if next.is_empty() {
                break;
            }
            depth += 1;
            seen.extend(next.iter().cloned());
            frontier = next;
        }
        depth
    };
    let order: Vec<(usize, String)> = drops.iter().map(|d| (depth(d), d.clone())).collect();
    let mut drop_steps: Vec<Step> = steps
        .iter()
        .filter(|s| s.phase == Phase::DropTables)
        .cloned()
        .collect();
    drop_steps.sort_by_key(|s| {
        order
            .iter()
            .find(|(_, name)| *name == s.table)
            .map(|(d, name)| (*d, name.clone()))
    });
    let mut replacement = drop_steps.into_iter();
    for step in steps.iter_mut().filter(|s| s.phase == Phase::DropTables) {
        if let Some(next) = replacement.next() {
            *step = next;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Policy, classify, diff};
    use driftwatch_model::{ColumnType, FkAction};

    fn ty(text: &str) -> ColumnType {
        ColumnType::parse(text).unwrap_or_else(|e| panic!("{e}"))
    }

    fn column(name: &str, text: &str, nullable: bool) -> Column {
        let mut c = Column::new(name, ty(text));
        c.nullable = nullable;
        c
    }

    fn table(name: &str, columns: Vec<Column>) -> Table {
        let mut t = Table::new(name);
        t.columns = columns;
        t
    }

    fn schema(tables: Vec<Table>) -> Schema {
        let mut s = Schema {
            tables,
            views: vec![],
        };
        s.sort();
        s
    }

    fn plan_of(expected: &Schema, actual: &Schema) -> CorrectivePlan {
        let findings = classify(diff(expected, actual), &Policy::default());
        plan(
            &findings,
            PlanOptions {
                rename_column: true,
            },
            actual,
        )
    }

    fn sql_of(plan: &CorrectivePlan) -> Vec<String> {
        plan.statements(false).into_iter().map(|s| s.sql).collect()
    }

    fn fk(name: &str, column: &str, to: &str) -> ForeignKey {
        ForeignKey {
            name: name.into(),
            columns: vec![column.into()],
            referenced_table: to.into(),
            referenced_columns: vec!["id".into()],
            on_delete: FkAction::Cascade,
            on_update: FkAction::NoAction,
            source: None,
        }
    }

    #[test]
    fn clauses_of_one_table_are_one_alter_table() {
        let expected = schema(vec![table(
            "t",
            vec![column("a", "int", true), column("b", "varchar(20)", true)],
        )]);
        let actual = schema(vec![table(
            "t",
            vec![column("a", "bigint", true), column("c", "int", true)],
        )]);
        let plan = plan_of(&expected, &actual);
        let safe: Vec<String> = plan
            .statements(false)
            .into_iter()
            .filter(|s| s.destructive.is_none())
            .map(|s| s.sql)
            .collect();
        assert_eq!(
            safe,
            vec!["ALTER TABLE `t`\n  ADD COLUMN `b` varchar(20) NULL;".to_string()]
        );
        // bigint → int narrows: destructive, apart from the safe ALTER…
        assert!(plan.has_destructive());
        // …unless destructive steps are allowed: then one ALTER for the table.
        let all: Vec<String> = plan.statements(true).into_iter().map(|s| s.sql).collect();
        assert_eq!(
            all,
            vec![
                "ALTER TABLE `t`\n  DROP COLUMN `c`,\n  ADD COLUMN `b` varchar(20) NULL,\n  MODIFY COLUMN `a` int NULL;"
                    .to_string()
            ]
        );
    }

    #[test]
    fn foreign_keys_are_dropped_first_and_added_last() {
        let mut child = table(
            "child",
            vec![column("id", "int", false), column("p", "int", true)],
        );
        child.foreign_keys.push(fk("child_p_fk", "p", "parent"));
        let parent = table("parent", vec![column("id", "int", false)]);
        let expected = schema(vec![child.clone(), parent]);
        let mut db_child = child.clone();
        db_child.foreign_keys[0].on_delete = FkAction::SetNull;
        db_child.columns.push(column("x", "int", true));
        let actual = schema(vec![db_child]);
        let sql = sql_of(&plan_of(&expected, &actual));
        let position = |needle: &str| {
            sql.iter()
                .position(|s| s.contains(needle))
                .unwrap_or_else(|| panic!("no `{needle}` in {sql:#?}"))
        };
        assert!(position("DROP FOREIGN KEY") < position("CREATE TABLE `parent`"));
        assert!(position("CREATE TABLE `parent`") < position("DROP COLUMN `x`"));
        assert!(position("DROP COLUMN `x`") < position("ADD CONSTRAINT `child_p_fk`"));
        assert_eq!(position("ADD CONSTRAINT `child_p_fk`"), sql.len() - 1);
    }

    #[test]
    fn missing_plus_extra_column_with_same_definition_is_a_destructive_rename() {
        let expected = schema(vec![table(
            "w",
            vec![column("country_code", "char(2)", false)],
        )]);
        let actual = schema(vec![table("w", vec![column("country", "char(2)", false)])]);
        let statements = plan_of(&expected, &actual).statements(false);
        assert_eq!(statements.len(), 1, "{statements:#?}");
        assert_eq!(
            statements[0].sql,
            "ALTER TABLE `w`\n  RENAME COLUMN `country` TO `country_code`;"
        );
        assert!(statements[0].destructive.is_some());
        let old = plan(
            &classify(diff(&expected, &actual), &Policy::default()),
            PlanOptions {
                rename_column: false,
            },
            &actual,
        );
        assert_eq!(
            sql_of(&old),
            vec!["ALTER TABLE `w`\n  CHANGE COLUMN `country` `country_code` char(2) NOT NULL;"]
        );
    }

    #[test]
    fn not_null_on_a_nullable_column_is_destructive_and_widening_is_not() {
        let expected = schema(vec![table(
            "t",
            vec![column("a", "int", false), column("b", "varchar(50)", true)],
        )]);
        let actual = schema(vec![table(
            "t",
            vec![column("a", "int", true), column("b", "varchar(20)", true)],
        )]);
        let statements = plan_of(&expected, &actual).statements(false);
        let destructive: Vec<bool> = statements.iter().map(|s| s.destructive.is_some()).collect();
        assert_eq!(destructive, vec![false, true], "{statements:#?}");
        assert!(statements[0].sql.contains("`b` varchar(50)"));
        assert!(statements[1].sql.contains("`a` int NOT NULL"));
    }

    #[test]
    fn dropped_tables_go_children_first() {
        let mut child = table(
            "a_child",
            vec![column("id", "int", false), column("p", "int", true)],
        );
        child.foreign_keys.push(fk("fk", "p", "z_parent"));
        let parent = table("z_parent", vec![column("id", "int", false)]);
        let actual = schema(vec![parent, child]);
        let plan = plan_of(&Schema::default(), &actual);
        assert_eq!(
            sql_of(&plan),
            vec!["DROP TABLE `a_child`;", "DROP TABLE `z_parent`;"]
        );
        let mut reversed_child = table(
            "z_child",
            vec![column("id", "int", false), column("p", "int", true)],
        );
        reversed_child.foreign_keys.push(fk("fk", "p", "a_parent"));
        let actual = schema(vec![
            table("a_parent", vec![column("id", "int", false)]),
            reversed_child,
        ]);
        assert_eq!(
            sql_of(&plan_of(&Schema::default(), &actual)),
            vec!["DROP TABLE `z_child`;", "DROP TABLE `a_parent`;"]
        );
    }

    #[test]
    fn several_aspects_of_one_column_are_one_modify() {
        let mut e = column("a", "int", false);
        e.default = Some(driftwatch_model::DefaultValue::Number("1".into()));
        let expected = schema(vec![table("t", vec![e])]);
        let actual = schema(vec![table("t", vec![column("a", "smallint", false)])]);
        let statements = plan_of(&expected, &actual).statements(false);
        assert_eq!(statements.len(), 1, "{statements:#?}");
        assert_eq!(statements[0].fixes.len(), 2);
    }

    #[test]
    fn a_foreign_key_on_a_retyped_column_is_dropped_and_re_added_around_it() {
        let mut child = table(
            "child",
            vec![column("id", "int", false), column("p", "int", true)],
        );
        child.foreign_keys.push(fk("child_p_fk", "p", "parent"));
        let parent = table("parent", vec![column("id", "int", false)]);
        let expected = schema(vec![child.clone(), parent.clone()]);
        let mut db_child = child;
        db_child.columns[1] = column("p", "bigint", true);
        let actual = schema(vec![db_child, parent]);
        let statements = plan_of(&expected, &actual).statements(false);
        let sql: Vec<&str> = statements.iter().map(|s| s.sql.as_str()).collect();
        assert_eq!(sql.len(), 3, "{sql:#?}");
        assert!(sql[0].starts_with("ALTER TABLE `child` DROP FOREIGN KEY `child_p_fk`"));
        assert!(sql[1].contains("MODIFY COLUMN `p` int NULL"));
        assert!(sql[2].contains("ADD CONSTRAINT `child_p_fk` FOREIGN KEY"));
        // bigint → int narrows: the bracket is withheld with the MODIFY.
        assert!(statements.iter().all(|s| s.destructive.is_some()));
    }

    #[test]
    fn an_index_a_foreign_key_needs_is_dropped_with_the_key_around_it() {
        let mut child = table(
            "child",
            vec![column("id", "int", false), column("p", "int", true)],
        );
        child.foreign_keys.push(fk("child_p_fk", "p", "parent"));
        let parent = table("parent", vec![column("id", "int", false)]);
        let expected = schema(vec![child.clone(), parent.clone()]);
        let mut db_child = child;
        db_child
            .indexes
            .push(Index::on_columns("hotfix_p_idx", &["p"], false));
        let actual = schema(vec![db_child, parent]);
        let sql = sql_of(&plan_of(&expected, &actual));
        assert_eq!(sql.len(), 3, "{sql:#?}");
        assert!(sql[0].contains("DROP FOREIGN KEY `child_p_fk`"));
        assert!(sql[1].contains("DROP INDEX `hotfix_p_idx`"));
        assert!(sql[2].contains("ADD CONSTRAINT `child_p_fk`"));
    }

    #[test]
    fn phases_and_clauses_tables_cover_every_value() {
        assert_eq!(PHASES.len(), 7);
        assert_eq!(CLAUSE_ORDER.len(), 10);
    }
}
