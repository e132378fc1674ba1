//! Root causes for `validate`: gathers the migration history once (folder,
//! snapshots, the migrations table) and lets `driftwatch_history::cause`
//! decide each drift's cause. A history that cannot be read leaves causes
//! `unknown` with a warning; it never stops validation.

use std::collections::BTreeMap;
use std::path::Path;

use driftwatch_diff::{Drift, Finding};
use driftwatch_history::{
    AppliedRow, Evidence, MigrationChanges, MigrationStatus, MigrationsFolder, StatementState,
    StatusEntry, Verdict, assess, classify, object_changes, root_causes,
};
use driftwatch_model::artifacts::online_schema_change_artifact;
use driftwatch_model::{Flavor, Schema};
use driftwatch_mysql::DatabaseUrl;

use crate::filters;
use crate::project::Project;

/// What the database side looks like, for the history checks.
pub struct Database<'a> {
    pub url: &'a DatabaseUrl,
    pub flavor: &'a Flavor,
    /// The database as read, before any filter (artifact tables included).
    pub schema: &'a Schema,
}

/// Reads the history; the second value holds warnings for the report.
pub async fn gather(project: &Project, database: &Database<'_>) -> (Evidence, Vec<String>) {
    let mut warnings = Vec::new();
    let mut evidence = Evidence {
        in_flight: in_flight(database.schema),
        ..Evidence::default()
    };
    // Both reads at once: on a remote server their round trips overlap.
    let migrations_table = project.migrations_table();
    let (running, table) = tokio::join!(
        driftwatch_mysql::running_schema_changes(database.url),
        driftwatch_mysql::read_migrations_table(database.url, &migrations_table)
    );
    match running {
        Ok(running) => evidence.running_ddl = running.into_iter().map(|r| r.sql).collect(),
        Err(e) => warnings.push(format!("process list: {e}")),
    }
    let dir = project.migrations_dir();
    let folder = if dir.is_dir() {
        match driftwatch_history::read_folder(&dir) {
            Ok(folder) => Some(folder),
            Err(e) => {
                warnings.push(format!("migrations folder: {e}; causes are not determined"));
                return (evidence, warnings);
            }
        }
    } else {
        None
    };
    let table = match table {
        Ok(table) => table,
        Err(e) => {
            warnings.push(format!("migrations table: {e}; causes are not determined"));
            return (evidence, warnings);
        }
    };
    let Some(folder) = folder else {
        evidence.has_history = table.exists;
        return (evidence, warnings);
    };
    evidence.has_history = table.exists || !folder.migrations.is_empty();
    let rows: Vec<AppliedRow> = table
        .rows
        .iter()
        .map(|row| AppliedRow {
            id: row.id,
            hash: row.hash.clone(),
            created_at: row.created_at,
            name: row.name.clone(),
            applied_at: row.applied_at.clone(),
        })
        .collect();
    let entries = classify(folder.layout, &folder.migrations, &rows);
    let mut snapshots = Snapshots::new(project, &folder, database.flavor);
    evidence.latest_snapshot = snapshots.latest();
    evidence.modified = entries
        .iter()
        .filter(|e| e.status == MigrationStatus::ModifiedAfterApply)
        .filter_map(|e| e.idx)
        .map(|idx| {
            let migration = &folder.migrations[idx];
            (migration.tag.clone(), migration.statements.concat())
        })
        .collect();
    evidence.rows_without_file = entries
        .iter()
        .filter(|e| e.status == MigrationStatus::AppliedFileMissing)
        .map(row_label)
        .collect();
    for entry in entries
        .iter()
        .filter(|e| e.status == MigrationStatus::Pending)
    {
        let Some(mut changes) = entry.idx.and_then(|idx| snapshots.changes_of(idx)) else {
            continue;
        };
        changes.skipped_by_migrator = entry.skipped_by_migrator;
        let is_first = evidence.pending.is_empty() && evidence.partial.is_none();
        if is_first
            && let Some(not_run) = not_run_statements(&folder, &mut snapshots, entry, database)
        {
            evidence.partial = Some((changes, not_run));
            continue;
        }
        evidence.pending.push(changes);
    }
    warnings.append(&mut snapshots.warnings);
    (evidence, warnings)
}

/// Sets the cause and evidence of every finding.
pub fn assign(findings: &mut [Finding], schema: &Schema, evidence: &Evidence) {
    let drifts: Vec<Drift> = findings.iter().map(as_drift).collect();
    for (finding, cause) in findings
        .iter_mut()
        .zip(root_causes(&drifts, schema, evidence))
    {
        finding.cause = cause.cause;
        finding.evidence = cause.evidence;
    }
}

fn as_drift(finding: &Finding) -> Drift {
    Drift {
        kind: finding.kind,
        table: finding.table.clone(),
        object: finding.object.clone(),
        expected: finding.expected.clone(),
        actual: finding.actual.clone(),
        message: finding.message.clone(),
        source: finding.source.clone(),
        name_only: false,
    }
}

/// Online schema-change artifacts in the database, with their tool.
fn in_flight(schema: &Schema) -> Vec<(String, String)> {
    schema
        .tables
        .iter()
        .filter_map(|t| {
            online_schema_change_artifact(&t.name)
                .map(|(tool, _)| (t.name.clone(), tool.name().to_string()))
        })
        .collect()
}

fn row_label(entry: &StatusEntry) -> String {
    match (&entry.tag, &entry.row) {
        (Some(name), _) => name.clone(),
        (None, Some(row)) => format!("hash {}", driftwatch_history::status::short(&row.hash)),
        (None, None) => "a row".to_string(),
    }
}

/// The snapshots of the migrations (as the server stores declarations),
/// read when first needed: a large schema's snapshot is megabytes of JSON,
/// and usually only the latest one is (every migration applied).
struct Snapshots<'a> {
    project: &'a Project,
    folder: &'a MigrationsFolder,
    flavor: &'a Flavor,
    loaded: BTreeMap<usize, Option<(String, Schema)>>,
    warnings: Vec<String>,
}

impl<'a> Snapshots<'a> {
    fn new(
        project: &'a Project,
        folder: &'a MigrationsFolder,
        flavor: &'a Flavor,
    ) -> Snapshots<'a> {
        Snapshots {
            project,
            folder,
            flavor,
            loaded: BTreeMap::new(),
            warnings: Vec::new(),
        }
    }

    fn load(&mut self, idx: usize) {
        if self.loaded.contains_key(&idx) {
            return;
        }
        let snapshot = self
            .folder
            .migrations
            .get(idx)
            .and_then(|m| m.snapshot.as_deref())
            .and_then(|path| match driftwatch_drizzle::read_snapshot(path) {
                Ok(mut schema) => {
                    filters::as_the_server_stores_it(self.flavor, &mut schema);
                    let _ = filters::limit_checks(self.flavor, &mut schema);
                    Some((file_name(path), schema))
                }
                Err(e) => {
                    self.warnings.push(format!(
                        "{}: {e}; not used for causes",
                        self.project.display_path(path)
                    ));
                    None
                }
            });
        self.loaded.insert(idx, snapshot);
    }

    fn get(&self, idx: usize) -> Option<&(String, Schema)> {
        self.loaded.get(&idx)?.as_ref()
    }

    /// The newest migration's snapshot that can be read.
    fn latest(&mut self) -> Option<(String, Schema)> {
        for idx in (0..self.folder.migrations.len()).rev() {
            if self.folder.migrations[idx].snapshot.is_none() {
                continue;
            }
            self.load(idx);
            if let Some(found) = self.get(idx) {
                return Some(found.clone());
            }
        }
        None
    }

    /// Migration `idx`'s snapshot and the one before it (empty for the first).
    fn pair(&mut self, idx: usize) -> Option<(&Schema, Schema)> {
        self.load(idx);
        let before = match idx.checked_sub(1) {
            None => Schema::default(),
            Some(prev) => {
                self.load(prev);
                self.get(prev)?.1.clone()
            }
        };
        Some((&self.get(idx)?.1, before))
    }

    /// What migration `idx` changes: its snapshot against the one before.
    fn changes_of(&mut self, idx: usize) -> Option<MigrationChanges> {
        let tag = self.folder.migrations.get(idx)?.tag.clone();
        let (after, before) = self.pair(idx)?;
        Some(MigrationChanges {
            tag,
            changes: object_changes(&before, after),
            skipped_by_migrator: false,
        })
    }
}

/// The statements of `entry` that did not run, when it stopped half-way.
fn not_run_statements(
    folder: &MigrationsFolder,
    snapshots: &mut Snapshots<'_>,
    entry: &StatusEntry,
    database: &Database<'_>,
) -> Option<Vec<String>> {
    let idx = entry.idx?;
    let (after, before) = snapshots.pair(idx)?;
    let assessment = assess(
        &before,
        after,
        database.schema,
        &folder.migrations[idx].statements,
    );
    (assessment.verdict == Verdict::Partial).then(|| {
        assessment
            .statements_in(StatementState::NotRun)
            .map(|s| format!("#{} {}", s.index, s.summary))
            .collect()
    })
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}
