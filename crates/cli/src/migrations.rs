//! `driftwatch migrations status`: the migrations folder against the
//! database's migrations table, and whether the next migration was partly
//! applied. Reading and deciding live in `driftwatch_history` (folder, status,
//! partial) and `driftwatch_mysql::history` (the table); this module only
//! wires them and renders text or the JSON of docs/migrations-json.md.

use std::path::Path;

use driftwatch_diff::classify::default_severity;
use driftwatch_diff::{Drift, DriftKind, Severity};
use driftwatch_history::{
    AppliedRow, MigrationStatus, MigrationsFolder, PartialAssessment, StatementState, StatusEntry,
    Verdict, assess, classify, first_unapplied, utc_text,
};
use driftwatch_model::Schema;
use driftwatch_mysql::{DatabaseUrl, InspectOptions, MigrationRow, MigrationsTable};
use serde::Serialize;

use crate::args::{GlobalArgs, MigrationsStatusArgs, StatusFormat};
use crate::error::CliError;
use crate::filters;
use crate::project::Project;
use crate::validate::Outcome;

/// Version of the JSON document (docs/migrations-json.md).
const JSON_VERSION: u32 = 1;

pub async fn status(global: &GlobalArgs, args: &MigrationsStatusArgs) -> Result<Outcome, CliError> {
    let project = Project::load(global)?;
    let dir = args
        .migrations
        .clone()
        .unwrap_or_else(|| project.migrations_dir());
    let folder = driftwatch_history::read_folder(&dir)
        .map_err(|e| CliError::Schema(format!("migrations folder: {e}")))?;
    let url = project.database_url(&args.connection)?;
    let table = driftwatch_mysql::read_migrations_table(&url, &project.migrations_table())
        .await
        .map_err(|e| CliError::Database(e.to_string()))?;
    if let Some((environment, expected)) = project.expected_database(&args.connection)
        && table.database != expected
    {
        return Err(CliError::UnexpectedDatabase {
            environment,
            expected,
            actual: table.database.clone(),
        });
    }
    let mut diagnostics = config_diagnostics(&project);
    let rows: Vec<AppliedRow> = table.rows.iter().map(applied_row).collect();
    let entries = classify(folder.layout, &folder.migrations, &rows);
    let next = first_unapplied(&entries);
    let mut lines: Vec<Line> = entries
        .into_iter()
        .map(|entry| Line {
            entry,
            severity: None,
            partial: None,
        })
        .collect();
    if let Some(i) = next {
        let assessment =
            check_partial(&project, &url, &folder, &lines[i].entry, &mut diagnostics).await?;
        if let Some(assessment) = assessment {
            explain_partial(&mut lines[i], &assessment, &table);
            lines[i].partial = Some(assessment);
        }
    }
    let policy = severity_policy(&project, args)?;
    for line in &mut lines {
        line.severity = line
            .entry
            .status
            .drift_kind()
            .map(|kind| policy(kind, &line.entry));
    }
    let threshold = args.fail_on.threshold();
    let failing = lines
        .iter()
        .any(|l| matches!((l.severity, threshold), (Some(s), Some(t)) if s >= t));
    let view = View {
        project: &project,
        folder: &folder,
        table: &table,
        host: url.host_port(),
        lines: &lines,
        diagnostics: &diagnostics,
    };
    let rendered = match args.format {
        StatusFormat::Text => render_text(&view),
        StatusFormat::Json => render_json(&view),
    };
    print!("{rendered}");
    Ok(Outcome {
        exit_code: i32::from(failing),
    })
}

/// One migration (or orphan row) with what was decided about it.
struct Line {
    entry: StatusEntry,
    severity: Option<Severity>,
    partial: Option<PartialAssessment>,
}

struct View<'a> {
    project: &'a Project,
    folder: &'a MigrationsFolder,
    table: &'a MigrationsTable,
    host: String,
    lines: &'a [Line],
    diagnostics: &'a [String],
}

fn applied_row(row: &MigrationRow) -> AppliedRow {
    AppliedRow {
        id: row.id,
        hash: row.hash.clone(),
        created_at: row.created_at,
        name: row.name.clone(),
        applied_at: row.applied_at.clone(),
    }
}

fn config_diagnostics(project: &Project) -> Vec<String> {
    let schema = project
        .drizzle
        .as_ref()
        .and_then(|c| c.migrations_schema.clone());
    schema
        .map(|schema| {
            format!(
                "drizzle.config `migrations.schema` ({schema}) is ignored for MySQL by drizzle-orm's migrator, which keeps the table in the connection's database; so does driftwatch"
            )
        })
        .into_iter()
        .collect()
}

/// Severity per DESIGN.md §5 and driftwatch.toml `[severity]`, through the
/// same `default_severity` as validate.
fn severity_policy(
    project: &Project,
    args: &MigrationsStatusArgs,
) -> Result<impl Fn(DriftKind, &StatusEntry) -> Severity, CliError> {
    let production = project.is_production(&args.connection);
    let overrides = match &project.settings {
        Some((path, settings)) => {
            settings.severity_overrides(path, args.connection.environment.as_deref())?
        }
        None => Vec::new(),
    };
    Ok(move |kind: DriftKind, entry: &StatusEntry| {
        if let Some((_, severity)) = overrides.iter().find(|(k, _)| *k == kind) {
            return *severity;
        }
        let drift = Drift {
            kind,
            table: entry.tag.clone().unwrap_or_default(),
            object: None,
            expected: None,
            actual: None,
            message: entry.note.clone(),
            source: None,
            name_only: false,
        };
        default_severity(&drift, production)
    })
}

/// Partial application of the first unapplied migration: its snapshot and
/// the one before (the schema it was generated against) against the live
/// database. `None`, with a diagnostic, when the snapshots are missing or
/// unreadable.
async fn check_partial(
    project: &Project,
    url: &DatabaseUrl,
    folder: &MigrationsFolder,
    entry: &StatusEntry,
    diagnostics: &mut Vec<String>,
) -> Result<Option<PartialAssessment>, CliError> {
    let Some(idx) = entry.idx else {
        return Ok(None);
    };
    let migration = &folder.migrations[idx];
    let not_checked =
        |why: String| format!("{}: partial application not checked: {why}", migration.tag);
    let read = |path: Option<&Path>, which: &str| -> Result<Schema, String> {
        let path = path.ok_or_else(|| format!("no {which} snapshot"))?;
        driftwatch_drizzle::read_snapshot(path)
            .map_err(|e| format!("{}: {e}", project.display_path(path)))
    };
    let after = read(migration.snapshot.as_deref(), "snapshot of this migration");
    let before = match idx.checked_sub(1) {
        None => Ok(Schema::default()),
        Some(prev) => read(folder.migrations[prev].snapshot.as_deref(), "previous"),
    };
    let (mut before, mut after) = match (before, after) {
        (Ok(before), Ok(after)) => (before, after),
        (Err(why), _) | (_, Err(why)) => {
            diagnostics.push(not_checked(why));
            return Ok(None);
        }
    };
    let options = InspectOptions {
        migrations_table: project.migrations_table(),
    };
    let inspection = driftwatch_mysql::inspect(url, &options)
        .await
        .map_err(|e| CliError::Database(e.to_string()))?;
    // The snapshots are declarations; compare them as the server stores them.
    for side in [&mut before, &mut after] {
        filters::as_the_server_stores_it(&inspection.flavor, side);
        let _ = filters::limit_checks(&inspection.flavor, side);
    }
    Ok(Some(assess(
        &before,
        &after,
        &inspection.schema,
        &migration.statements,
    )))
}

/// "statement 1", "statements 2, 3", "no statement".
fn statements(assessment: &PartialAssessment, state: StatementState) -> String {
    let list: Vec<String> = assessment
        .statements_in(state)
        .map(|s| s.index.to_string())
        .collect();
    match list.len() {
        0 => "no statement".to_string(),
        1 => format!("statement {}", list[0]),
        _ => format!("statements {}", list.join(", ")),
    }
}

/// The statement that records a migration the way drizzle-orm 0.x does.
fn record_sql(entry: &StatusEntry, table: &MigrationsTable) -> String {
    format!(
        "INSERT INTO `{}` (`hash`, `created_at`) VALUES ('{}', {})",
        table.table.replace('`', "``"),
        entry.file_hash.as_deref().unwrap_or_default(),
        entry.when.unwrap_or_default()
    )
}

fn explain_partial(line: &mut Line, assessment: &PartialAssessment, table: &MigrationsTable) {
    match assessment.verdict {
        Verdict::Partial => {
            line.entry.status = MigrationStatus::Partial;
            line.entry.note = format!(
                "partly applied: {} ran, {} did not, and no row records it (a run failed half-way; MySQL DDL is not transactional). The migrator would start again at statement 1 and fail on it: run what is missing by hand, then record it with {}; or undo what ran and migrate again",
                statements(assessment, StatementState::Ran),
                statements(assessment, StatementState::NotRun),
                record_sql(&line.entry, table)
            );
        }
        Verdict::Complete => {
            line.entry.note = format!(
                "everything it does is already in the database, but no row records it (applied by hand?): the migrator would run it again and fail. Record it instead: {}",
                record_sql(&line.entry, table)
            );
        }
        Verdict::NotStarted | Verdict::Undetermined => {}
    }
}

// ---------------------------------------------------------------------------
// Text

fn count(lines: &[Line], status: MigrationStatus) -> usize {
    lines.iter().filter(|l| l.entry.status == status).count()
}

fn render_text(view: &View) -> String {
    let mut out = String::new();
    let layout = match view.folder.layout {
        driftwatch_history::Layout::Journal => "drizzle-kit 0.x journal",
        driftwatch_history::Layout::Folders => "drizzle-kit 1.x folders",
    };
    out.push_str(&format!(
        "Migrations in {} ({layout}) vs `{}` in database `{}` on {}{}\n\n",
        view.project.display_path(&view.folder.dir),
        view.table.table,
        view.table.database,
        view.host,
        if view.table.exists {
            String::new()
        } else {
            " (table absent: nothing applied)".to_string()
        }
    ));
    let width = view
        .lines
        .iter()
        .filter_map(|l| l.entry.tag.as_ref().map(String::len))
        .chain([9])
        .max()
        .unwrap_or(9);
    out.push_str(&format!(
        "  {:>4}  {:<width$}  {:<24}  {}\n",
        "idx", "migration", "when (UTC)", "status"
    ));
    for line in view.lines {
        let entry = &line.entry;
        let idx = entry.idx.map_or("-".to_string(), |i| i.to_string());
        let tag = entry.tag.clone().unwrap_or_else(|| "(no file)".to_string());
        let when = entry.when.map_or("-".to_string(), utc_text);
        let mut status = entry.status.name().to_string();
        if entry.skipped_by_migrator {
            status.push_str(" (skipped by migrator)");
        }
        if let Some(severity) = line.severity {
            status.push_str(&format!(" [{severity}]"));
        }
        out.push_str(&format!(
            "  {idx:>4}  {tag:<width$}  {when:<24}  {status}\n"
        ));
        if !entry.note.is_empty() {
            out.push_str(&format!("  {:>4}  {}\n", "", entry.note));
        }
        if let Some(partial) = line
            .partial
            .as_ref()
            .filter(|p| matches!(p.verdict, Verdict::Partial | Verdict::Complete))
        {
            for statement in &partial.statements {
                let state = match statement.state {
                    StatementState::Ran => "ran",
                    StatementState::NotRun => "not run",
                    StatementState::Unknown => "unknown",
                };
                out.push_str(&format!(
                    "  {:>4}    {state:<7}  #{}  {}\n",
                    "", statement.index, statement.summary
                ));
            }
        }
    }
    for diagnostic in view.diagnostics {
        out.push_str(&format!("\nwarning: {diagnostic}\n"));
    }
    let applied = count(view.lines, MigrationStatus::Applied);
    let problems = view.lines.len() - applied;
    out.push('\n');
    if problems == 0 {
        // Not validate's clean line: this command never compares the schema
        // with the database, so it must not claim there is no schema drift.
        out.push_str(&format!(
            "All {applied} migration(s) applied, none pending, missing or modified.\nNo migration history drift detected\n"
        ));
    } else {
        let parts: Vec<String> = [
            MigrationStatus::Pending,
            MigrationStatus::Partial,
            MigrationStatus::AppliedFileMissing,
            MigrationStatus::ModifiedAfterApply,
        ]
        .iter()
        .map(|s| (s, count(view.lines, *s)))
        .filter(|(_, n)| *n > 0)
        .map(|(s, n)| format!("{n} {}", s.name()))
        .collect();
        out.push_str(&format!(
            "{} migration(s) in the folder, {applied} applied; {}.\n",
            view.folder.migrations.len(),
            parts.join(", ")
        ));
    }
    out
}

// ---------------------------------------------------------------------------
// JSON (docs/migrations-json.md)

#[derive(Serialize)]
struct JsonReport<'a> {
    version: u32,
    status: &'static str,
    folder: JsonFolder,
    target: JsonTarget<'a>,
    summary: JsonSummary,
    migrations: Vec<JsonMigration<'a>>,
    diagnostics: Vec<JsonDiagnostic<'a>>,
}

#[derive(Serialize)]
struct JsonFolder {
    path: String,
    layout: driftwatch_history::Layout,
    migrations: usize,
}

#[derive(Serialize)]
struct JsonTarget<'a> {
    host: &'a str,
    database: &'a str,
    table: &'a str,
    table_exists: bool,
    rows: usize,
}

#[derive(Serialize)]
struct JsonSummary {
    applied: usize,
    pending: usize,
    partial: usize,
    applied_file_missing: usize,
    modified_after_apply: usize,
    skipped_by_migrator: usize,
}

#[derive(Serialize)]
struct JsonMigration<'a> {
    idx: Option<usize>,
    tag: Option<&'a str>,
    when: Option<i64>,
    when_utc: Option<String>,
    status: MigrationStatus,
    kind: Option<DriftKind>,
    severity: Option<Severity>,
    file: Option<String>,
    hash: Option<&'a str>,
    row: Option<&'a AppliedRow>,
    skipped_by_migrator: bool,
    note: &'a str,
    partial: Option<&'a PartialAssessment>,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    level: &'static str,
    message: &'a str,
}

fn render_json(view: &View) -> String {
    let lines = view.lines;
    let report = JsonReport {
        version: JSON_VERSION,
        status: if count(lines, MigrationStatus::Applied) == lines.len() {
            "clean"
        } else {
            "drift"
        },
        folder: JsonFolder {
            path: view.project.display_path(&view.folder.dir),
            layout: view.folder.layout,
            migrations: view.folder.migrations.len(),
        },
        target: JsonTarget {
            host: &view.host,
            database: &view.table.database,
            table: &view.table.table,
            table_exists: view.table.exists,
            rows: view.table.rows.len(),
        },
        summary: JsonSummary {
            applied: count(lines, MigrationStatus::Applied),
            pending: count(lines, MigrationStatus::Pending),
            partial: count(lines, MigrationStatus::Partial),
            applied_file_missing: count(lines, MigrationStatus::AppliedFileMissing),
            modified_after_apply: count(lines, MigrationStatus::ModifiedAfterApply),
            skipped_by_migrator: lines.iter().filter(|l| l.entry.skipped_by_migrator).count(),
        },
        migrations: lines
            .iter()
            .map(|line| {
                let entry = &line.entry;
                JsonMigration {
                    idx: entry.idx,
                    tag: entry.tag.as_deref(),
                    when: entry.when,
                    when_utc: entry.when.map(utc_text),
                    status: entry.status,
                    kind: entry.status.drift_kind(),
                    severity: line.severity,
                    file: entry.idx.map(|i| {
                        view.project
                            .display_path(&view.folder.migrations[i].sql_file)
                    }),
                    hash: entry.file_hash.as_deref(),
                    row: entry.row.as_ref(),
                    skipped_by_migrator: entry.skipped_by_migrator,
                    note: &entry.note,
                    partial: line.partial.as_ref(),
                }
            })
            .collect(),
        diagnostics: view
            .diagnostics
            .iter()
            .map(|message| JsonDiagnostic {
                level: "warning",
                message,
            })
            .collect(),
    };
    let mut text = serde_json::to_string_pretty(&report).unwrap_or_else(|e| {
        format!("{{\"version\":{JSON_VERSION},\"status\":\"error\",\"message\":\"{e}\"}}")
    });
    text.push('\n');
    text
}
