//! Root cause of one drift, from the migration history (DESIGN.md §4): the
//! three-way comparison of the schema files, the snapshots in the migrations
//! folder, and the database.
//!
//! The causes are tried in a fixed order, most specific first; the first
//! whose evidence concerns the drifting object wins, and its evidence (which
//! migration, which snapshot, which rows) is kept for the report:
//!
//! | order | cause | evidence |
//! |---|---|---|
//! | 1 | `concurrent_deployment` | a schema change of this table is running in another session right now |
//! | 2 | `partial_migration` | the next migration stopped half-way and changes this object |
//! | 3 | `pending_migration` | a migration that is not applied changes this object |
//! | 4 | `missing_migration_file` | the schema differs from the latest snapshot here (`drizzle-kit generate` was not run), or an applied migration of this table was edited afterwards (the edit never ran) |
//! | 5 | `concurrent_deployment` | an online schema change of this table is in flight or died, or the database applied migrations this branch does not have |
//! | 6 | `manual_modification` | history is complete and consistent, yet the database differs: no migration made this |
//! | 7 | `unknown` | no migration history to judge from |

use driftwatch_diff::{Cause, Drift};
use driftwatch_model::Schema;

use crate::partial::{ObjectChange, object_changes};

/// A migration, by tag, and the objects it changes.
#[derive(Debug, Clone)]
pub struct MigrationChanges {
    pub tag: String,
    pub changes: Vec<ObjectChange>,
    /// drizzle-orm's migrator will skip it (its `when` is older than the
    /// newest applied one).
    pub skipped_by_migrator: bool,
}

/// Everything the history says, gathered once per run.
#[derive(Debug, Clone, Default)]
pub struct Evidence {
    /// `(file name, Model)` of the latest snapshot; `None` without one.
    pub latest_snapshot: Option<(String, Schema)>,
    /// Migrations not applied, in order.
    pub pending: Vec<MigrationChanges>,
    /// The migration that stopped half-way, and its statements that did not run.
    pub partial: Option<(MigrationChanges, Vec<String>)>,
    /// Applied migrations whose file was edited afterwards: `(tag, file text)`.
    pub modified: Vec<(String, String)>,
    /// Applied rows that match no file (a hash or name each).
    pub rows_without_file: Vec<String>,
    /// Schema changes other sessions are running right now (their SQL).
    pub running_ddl: Vec<String>,
    /// `(artifact table, tool)` of online schema changes seen in the database.
    pub in_flight: Vec<(String, String)>,
    /// Whether any migration history was found at all (folder or table).
    pub has_history: bool,
}

/// A cause and the sentence that shows why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RootCause {
    pub cause: Cause,
    pub evidence: Option<String>,
}

/// Ties every drift to a cause. `schema` is the expected side as read from
/// the schema files (for the comparison with the latest snapshot).
pub fn root_causes(drifts: &[Drift], schema: &Schema, evidence: &Evidence) -> Vec<RootCause> {
    let unsaved = evidence
        .latest_snapshot
        .as_ref()
        .map(|(name, snapshot)| (name.as_str(), object_changes(snapshot, schema)));
    drifts
        .iter()
        .map(|drift| root_cause(drift, unsaved.as_ref(), evidence))
        .collect()
}

fn root_cause(
    drift: &Drift,
    unsaved: Option<&(&str, Vec<ObjectChange>)>,
    evidence: &Evidence,
) -> RootCause {
    let found = |cause: Cause, text: String| RootCause {
        cause,
        evidence: Some(text),
    };
    if let Some(sql) = evidence
        .running_ddl
        .iter()
        .find(|sql| mentions_table(sql, &drift.table))
    {
        return found(
            Cause::ConcurrentDeployment,
            format!(
                "a schema change of `{}` is running right now in another session: {}",
                drift.table,
                shorten(sql)
            ),
        );
    }
    if let Some((migration, not_run)) = &evidence.partial
        && let Some(change) = concerning(&migration.changes, drift)
    {
        return found(
            Cause::PartialMigration,
            format!(
                "migration {} stopped half-way ({}); statements that did not run: {}",
                migration.tag,
                change.description,
                if not_run.is_empty() {
                    "unknown".to_string()
                } else {
                    not_run.join("; ")
                }
            ),
        );
    }
    for migration in &evidence.pending {
        if let Some(change) = concerning(&migration.changes, drift) {
            let skipped = if migration.skipped_by_migrator {
                "; drizzle-orm's migrator skips it because its `when` is older than the newest applied migration (merged branches): regenerate it"
            } else {
                "; run `drizzle-kit migrate`"
            };
            return found(
                Cause::PendingMigration,
                format!(
                    "migration {} is not applied ({}){skipped}",
                    migration.tag, change.description
                ),
            );
        }
    }
    if let Some((snapshot, changes)) = unsaved
        && let Some(change) = concerning(changes, drift)
    {
        return found(
            Cause::MissingMigrationFile,
            format!(
                "the schema differs from the latest snapshot {snapshot} here ({}): no migration was generated; run `drizzle-kit generate`",
                change.description
            ),
        );
    }
    if let Some((tag, _)) = evidence
        .modified
        .iter()
        .find(|(_, sql)| sql.contains(&format!("`{}`", drift.table)))
    {
        return found(
            Cause::MissingMigrationFile,
            format!(
                "migration {tag} was edited after it was applied (its hash differs from the applied row's): the edit never ran; generate a new migration instead"
            ),
        );
    }
    if let Some((artifact, tool)) = evidence
        .in_flight
        .iter()
        .find(|(artifact, _)| artifact_of(artifact, &drift.table))
    {
        return found(
            Cause::ConcurrentDeployment,
            format!(
                "an online schema change of `{}` is in flight or died ({tool} table `{artifact}`)",
                drift.table
            ),
        );
    }
    if !evidence.rows_without_file.is_empty() {
        return found(
            Cause::ConcurrentDeployment,
            format!(
                "the database applied migration(s) this branch does not have ({}): another branch was deployed",
                evidence.rows_without_file.join(", ")
            ),
        );
    }
    if evidence.has_history {
        let snapshot = evidence
            .latest_snapshot
            .as_ref()
            .map_or("the migrations", |(name, _)| name.as_str());
        return found(
            Cause::ManualModification,
            format!(
                "every migration is applied and {snapshot} agrees with the schema here: no migration made this change, it was made by hand"
            ),
        );
    }
    RootCause {
        cause: Cause::Unknown,
        evidence: None,
    }
}

fn concerning<'a>(changes: &'a [ObjectChange], drift: &Drift) -> Option<&'a ObjectChange> {
    changes.iter().find(|change| change.concerns(drift))
}

/// Whether `sql` names `table` (a whole identifier, quoted or not).
fn mentions_table(sql: &str, table: &str) -> bool {
    sql.split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '$'))
        .any(|word| word.eq_ignore_ascii_case(table))
}

/// The first 120 characters of a statement, on one line.
fn shorten(sql: &str) -> String {
    let line: String = sql.split_whitespace().collect::<Vec<_>>().join(" ");
    match line.char_indices().nth(120) {
        Some((cut, _)) => format!("{}…", &line[..cut]),
        None => line,
    }
}

/// `_orders_gho`, `_orders_new`, `_orders_20240102030405_del` … are artifacts
/// of table `orders`: the artifact name holds `_<table>_`.
fn artifact_of(artifact: &str, table: &str) -> bool {
    artifact
        .trim_start_matches('_')
        .starts_with(&format!("{table}_"))
}

#[cfg(test)]
mod tests {
    use driftwatch_diff::diff;
    use driftwatch_model::{Column, ColumnType, Table};

    use super::*;

    fn schema(columns: &[&str]) -> Schema {
        let mut users = Table::new("users");
        for name in columns {
            users.columns.push(Column::new(*name, ColumnType::Json));
        }
        Schema {
            tables: vec![users],
            views: Vec::new(),
        }
    }

    /// The schema declares `id, nickname`; the database has `id`.
    fn nickname_missing() -> (Schema, Vec<Drift>) {
        let expected = schema(&["id", "nickname"]);
        let drifts = diff(&expected, &schema(&["id"]));
        assert_eq!(drifts.len(), 1);
        (expected, drifts)
    }

    fn adds_nickname(tag: &str) -> MigrationChanges {
        MigrationChanges {
            tag: tag.into(),
            changes: object_changes(&schema(&["id"]), &schema(&["id", "nickname"])),
            skipped_by_migrator: false,
        }
    }

    fn history() -> Evidence {
        Evidence {
            has_history: true,
            ..Evidence::default()
        }
    }

    fn cause_of(evidence: &Evidence) -> RootCause {
        let (expected, drifts) = nickname_missing();
        root_causes(&drifts, &expected, evidence).remove(0)
    }

    #[test]
    fn a_migration_not_applied_that_adds_the_column_is_the_cause() {
        let mut evidence = history();
        evidence.pending.push(adds_nickname("0002_nickname"));
        let cause = cause_of(&evidence);
        assert_eq!(cause.cause, Cause::PendingMigration);
        assert!(cause.evidence.is_some_and(|e| e.contains("0002_nickname")));
    }

    #[test]
    fn a_migration_that_stopped_half_way_wins_over_pending() {
        let mut evidence = history();
        evidence.pending.push(adds_nickname("0002_nickname"));
        evidence.partial = Some((
            adds_nickname("0002_nickname"),
            vec!["ALTER TABLE `users` ADD `nickname` json".into()],
        ));
        let cause = cause_of(&evidence);
        assert_eq!(cause.cause, Cause::PartialMigration);
        assert!(cause.evidence.is_some_and(|e| e.contains("did not run")));
    }

    #[test]
    fn a_schema_ahead_of_the_latest_snapshot_is_a_missing_migration_file() {
        let mut evidence = history();
        evidence.latest_snapshot = Some(("0001_snapshot.json".into(), schema(&["id"])));
        let cause = cause_of(&evidence);
        assert_eq!(cause.cause, Cause::MissingMigrationFile);
        assert!(
            cause
                .evidence
                .is_some_and(|e| e.contains("0001_snapshot.json"))
        );
    }

    #[test]
    fn an_applied_migration_edited_afterwards_is_a_missing_migration_file() {
        let mut evidence = history();
        evidence.modified.push((
            "0001_users".into(),
            "ALTER TABLE `users` ADD `nickname` json;".into(),
        ));
        let cause = cause_of(&evidence);
        assert_eq!(cause.cause, Cause::MissingMigrationFile);
        assert!(
            cause
                .evidence
                .is_some_and(|e| e.contains("0001_users") && e.contains("edited"))
        );
    }

    #[test]
    fn rows_of_migrations_this_branch_lacks_are_a_concurrent_deployment() {
        let mut evidence = history();
        evidence.latest_snapshot = Some(("0002_snapshot.json".into(), schema(&["id", "nickname"])));
        evidence.rows_without_file.push("3f2a9c1e".into());
        assert_eq!(cause_of(&evidence).cause, Cause::ConcurrentDeployment);
    }

    #[test]
    fn an_online_schema_change_of_the_table_is_a_concurrent_deployment() {
        let mut evidence = history();
        evidence
            .in_flight
            .push(("_users_gho".into(), "gh-ost".into()));
        assert_eq!(cause_of(&evidence).cause, Cause::ConcurrentDeployment);
        let mut other_table = history();
        other_table
            .in_flight
            .push(("_power_users_gho".into(), "gh-ost".into()));
        assert_eq!(cause_of(&other_table).cause, Cause::ManualModification);
    }

    #[test]
    fn a_schema_change_of_the_table_running_now_is_a_concurrent_deployment() {
        let mut evidence = history();
        evidence
            .running_ddl
            .push("ALTER TABLE `users` ADD `nickname` json".into());
        let cause = cause_of(&evidence);
        assert_eq!(cause.cause, Cause::ConcurrentDeployment);
        assert!(
            cause
                .evidence
                .is_some_and(|e| e.contains("running right now"))
        );
        let mut other = history();
        other
            .running_ddl
            .push("ALTER TABLE power_users ADD x int".into());
        assert_eq!(cause_of(&other).cause, Cause::ManualModification);
    }

    #[test]
    fn drift_with_a_complete_consistent_history_is_a_manual_modification() {
        let mut evidence = history();
        evidence.latest_snapshot = Some(("0002_snapshot.json".into(), schema(&["id", "nickname"])));
        assert_eq!(cause_of(&evidence).cause, Cause::ManualModification);
    }

    #[test]
    fn without_any_history_the_cause_is_unknown() {
        let cause = cause_of(&Evidence::default());
        assert_eq!(cause.cause, Cause::Unknown);
        assert_eq!(cause.evidence, None);
    }
}
