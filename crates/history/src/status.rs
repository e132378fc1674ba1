//! Folder vs database: which migrations are applied, pending, recorded
//! without a file, or edited after they were applied. Pure.
//!
//! Identity is the hash and the name, never a timestamp alone:
//!
//! 1. a row whose `name` (1.x) is a folder's name is that migration; one
//!    whose hash equals a file's hash is that file;
//! 2. a row left over is the same migration *edited* when it names the same
//!    migration (1.x `name`) or, for 0.x rows that have no name, when its
//!    `created_at` is the journal `when` of a file left over: the 0.x
//!    migrator writes exactly that `when`, so within one journal it plays the
//!    part of the name, and the hash has already said the text differs;
//! 3. files left over are pending; rows left over were applied from a file
//!    this folder does not have.
//!
//! The trap of drizzle-orm's 0.x migrator (reference §12): it applies a
//! migration only when its `when` is later than the newest applied
//! `created_at`. A pending migration at or below that mark is skipped on every
//! run, without an error; it is flagged [`StatusEntry::skipped_by_migrator`].

use driftwatch_diff::DriftKind;
use serde::Serialize;

use crate::migration::{Layout, LocalMigration};

/// One row of the migrations table (`__drizzle_migrations` or drizzle.config
/// `migrations.table`). 0.x tables have `id, hash, created_at`; 1.x adds
/// `name` and `applied_at`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AppliedRow {
    pub id: u64,
    pub hash: String,
    pub created_at: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub applied_at: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum MigrationStatus {
    /// A row records this exact file.
    Applied,
    /// No row records it.
    Pending,
    /// No row records it, and the database already has some but not all of
    /// its effects (a run that failed half-way; MySQL DDL is not transactional).
    Partial,
    /// A row records a migration whose file is not in the folder.
    AppliedFileMissing,
    /// A row records this migration, but the file's hash differs: it was
    /// edited after it was applied.
    ModifiedAfterApply,
}

impl MigrationStatus {
    pub fn name(self) -> &'static str {
        match self {
            MigrationStatus::Applied => "applied",
            MigrationStatus::Pending => "pending",
            MigrationStatus::Partial => "partial",
            MigrationStatus::AppliedFileMissing => "applied_file_missing",
            MigrationStatus::ModifiedAfterApply => "modified_after_apply",
        }
    }

    /// The drift kind it is reported as (DESIGN.md §4); `None` when in order.
    pub fn drift_kind(self) -> Option<DriftKind> {
        match self {
            MigrationStatus::Applied => None,
            MigrationStatus::Pending => Some(DriftKind::MigrationPending),
            MigrationStatus::Partial => Some(DriftKind::MigrationPartial),
            MigrationStatus::AppliedFileMissing => Some(DriftKind::MigrationFileMissing),
            MigrationStatus::ModifiedAfterApply => Some(DriftKind::MigrationModified),
        }
    }
}

/// One line of `migrations status`: a migration of the folder, or a row that
/// matches no file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StatusEntry {
    /// Position in the folder; `None` for a row without a file.
    pub idx: Option<usize>,
    /// Journal tag / folder name; for a row without a file, its `name` if any.
    pub tag: Option<String>,
    /// Journal `when` (or folder timestamp); a row's `created_at` when there is no file.
    pub when: Option<i64>,
    pub status: MigrationStatus,
    /// The file's hash (`None` without a file).
    pub file_hash: Option<String>,
    /// The row that records it, if any.
    pub row: Option<AppliedRow>,
    /// drizzle-orm 0.x's migrator will never apply it (see the module docs).
    pub skipped_by_migrator: bool,
    /// One sentence on what this means and what to do.
    pub note: String,
}

/// The status of every migration and every row.
pub fn classify(
    layout: Layout,
    migrations: &[LocalMigration],
    rows: &[AppliedRow],
) -> Vec<StatusEntry> {
    let mut rows: Vec<&AppliedRow> = rows.iter().collect();
    rows.sort_by_key(|r| r.id);
    let mut row_of: Vec<Option<(usize, bool)>> = vec![None; migrations.len()];
    let mut row_used = vec![false; rows.len()];

    // 1. Exact identity: same name, or same hash.
    for (r, row) in rows.iter().enumerate() {
        let by_name = row.name.as_deref().and_then(|name| {
            (0..migrations.len()).find(|&m| row_of[m].is_none() && migrations[m].tag == name)
        });
        let found = match by_name {
            Some(m) => Some((m, migrations[m].has_hash(&row.hash))),
            None => (0..migrations.len())
                .find(|&m| row_of[m].is_none() && migrations[m].has_hash(&row.hash))
                .map(|m| (m, true)),
        };
        if let Some((m, same_hash)) = found {
            row_of[m] = Some((r, same_hash));
            row_used[r] = true;
        }
    }
    // 2. Same migration, other text: a 0.x row (no name) whose created_at is
    //    the `when` of a file no row recorded.
    for (r, row) in rows.iter().enumerate() {
        if row_used[r] || row.name.is_some() {
            continue;
        }
        let same_entry = (0..migrations.len()).find(|&m| {
            row_of[m].is_none() && row.created_at.is_some() && migrations[m].when == row.created_at
        });
        if let Some(m) = same_entry {
            row_of[m] = Some((r, false));
            row_used[r] = true;
        }
    }

    let high_water = rows.iter().filter_map(|r| r.created_at).max();
    let mut entries: Vec<StatusEntry> = migrations
        .iter()
        .zip(&row_of)
        .map(|(migration, matched)| match matched {
            Some((r, true)) => file_entry(migration, MigrationStatus::Applied, Some(rows[*r]), false),
            Some((r, false)) => {
                file_entry(migration, MigrationStatus::ModifiedAfterApply, Some(rows[*r]), false)
            }
            None => {
                // Only the 0.x migrator uses a high-water mark; 1.x compares names.
                let skipped = layout == Layout::Journal
                    && matches!((migration.when, high_water), (Some(when), Some(mark)) if when <= mark);
                let mut entry = file_entry(migration, MigrationStatus::Pending, None, skipped);
                if skipped {
                    entry.note = skipped_note(migration.when.unwrap_or_default(), high_water.unwrap_or_default());
                }
                entry
            }
        })
        .collect();
    entries.extend(
        rows.iter()
            .zip(&row_used)
            .filter(|(_, used)| !**used)
            .map(|(row, _)| orphan_entry(row)),
    );
    entries
}

fn file_entry(
    migration: &LocalMigration,
    status: MigrationStatus,
    row: Option<&AppliedRow>,
    skipped_by_migrator: bool,
) -> StatusEntry {
    let note = match (status, row) {
        (MigrationStatus::Applied, _) => String::new(),
        (MigrationStatus::ModifiedAfterApply, Some(row)) => format!(
            "the file changed after it was applied: its hash is {} but row {} recorded {}; the database has what the old text did. Restore the applied text (git history) and put the change in a new migration",
            short(&migration.hash),
            row.id,
            short(&row.hash)
        ),
        _ => "not applied yet: `drizzle-kit migrate` (or the app's migrator) will apply it"
            .to_string(),
    };
    StatusEntry {
        idx: Some(migration.idx),
        tag: Some(migration.tag.clone()),
        when: migration.when,
        status,
        file_hash: Some(migration.hash.clone()),
        row: row.cloned(),
        skipped_by_migrator,
        note,
    }
}

fn orphan_entry(row: &AppliedRow) -> StatusEntry {
    let what = match &row.name {
        Some(name) => format!("migration `{name}`"),
        None => format!("a migration with hash {}", short(&row.hash)),
    };
    StatusEntry {
        idx: None,
        tag: row.name.clone(),
        when: row.created_at,
        status: MigrationStatus::AppliedFileMissing,
        file_hash: None,
        row: Some(row.clone()),
        skipped_by_migrator: false,
        note: format!(
            "row {} records {what} that no file of this folder has: applied from another branch (concurrent deployment), or its file was deleted or renamed",
            row.id
        ),
    }
}

/// The high-water-mark trap, in words.
pub fn skipped_note(when: i64, high_water: i64) -> String {
    format!(
        "not applied, and drizzle-orm's migrator will skip it forever: its journal `when` ({when}) is not later than the newest applied `created_at` ({high_water}), and the 0.x migrator only runs migrations newer than that (typical after merging a branch). Give it a `when` later than {high_water} in meta/_journal.json and move it to the end of the journal, or apply it by hand and record it"
    )
}

/// The first 12 hex digits, enough to tell hashes apart in a sentence.
pub fn short(hash: &str) -> &str {
    hash.get(..12).unwrap_or(hash)
}

/// The first migration (folder order) that is neither applied nor recorded:
/// the one a failed run would have left half-done.
pub fn first_unapplied(entries: &[StatusEntry]) -> Option<usize> {
    entries
        .iter()
        .position(|e| e.idx.is_some() && e.status == MigrationStatus::Pending)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(idx: usize, tag: &str, when: i64, text: &str) -> LocalMigration {
        LocalMigration::from_text(idx, tag, Some(when), text)
    }

    fn row0(id: u64, m: &LocalMigration) -> AppliedRow {
        AppliedRow {
            id,
            hash: m.hash.clone(),
            created_at: m.when,
            name: None,
            applied_at: None,
        }
    }

    fn statuses(entries: &[StatusEntry]) -> Vec<(Option<&str>, MigrationStatus)> {
        entries
            .iter()
            .map(|e| (e.tag.as_deref(), e.status))
            .collect()
    }

    fn folder() -> Vec<LocalMigration> {
        vec![
            file(0, "0000_init", 100, "CREATE TABLE a (x int);"),
            file(1, "0001_b", 200, "CREATE TABLE b (x int);"),
        ]
    }

    #[test]
    fn every_file_recorded_by_hash_is_applied() {
        let f = folder();
        let rows = [row0(1, &f[0]), row0(2, &f[1])];
        let entries = classify(Layout::Journal, &f, &rows);
        assert!(entries.iter().all(|e| e.status == MigrationStatus::Applied));
        assert_eq!(entries.len(), 2);
    }

    #[test]
    fn file_without_row_is_pending_and_not_skipped_when_newer() {
        let f = folder();
        let entries = classify(Layout::Journal, &f, &[row0(1, &f[0])]);
        assert_eq!(entries[1].status, MigrationStatus::Pending);
        assert!(!entries[1].skipped_by_migrator);
        assert_eq!(first_unapplied(&entries), Some(1));
    }

    #[test]
    fn row_without_file_is_applied_file_missing() {
        let f = folder();
        let gone = file(9, "0002_gone", 300, "DROP TABLE x;");
        let rows = [row0(1, &f[0]), row0(2, &f[1]), row0(3, &gone)];
        let entries = classify(Layout::Journal, &f, &rows);
        assert_eq!(entries.len(), 3);
        assert_eq!(entries[2].status, MigrationStatus::AppliedFileMissing);
        assert_eq!(entries[2].when, Some(300));
        assert_eq!(entries[2].idx, None);
    }

    #[test]
    fn edited_0x_file_is_modified_after_apply_matched_by_its_journal_entry() {
        let f = folder();
        let mut edited = f.clone();
        edited[1] = file(1, "0001_b", 200, "CREATE TABLE b (x bigint);");
        let rows = [row0(1, &f[0]), row0(2, &f[1])];
        let entries = classify(Layout::Journal, &edited, &rows);
        assert_eq!(
            statuses(&entries),
            vec![
                (Some("0000_init"), MigrationStatus::Applied),
                (Some("0001_b"), MigrationStatus::ModifiedAfterApply)
            ]
        );
        assert!(entries[1].note.contains("changed after it was applied"));
    }

    #[test]
    fn older_when_from_a_merged_branch_is_pending_and_skipped_by_the_migrator() {
        // main applied 0000 (when 100) and 0002 (when 300); the branch's 0001
        // (when 200) was merged into the journal afterwards.
        let merged = vec![
            file(0, "0000_init", 100, "CREATE TABLE a (x int);"),
            file(1, "0001_branch", 200, "CREATE TABLE b (x int);"),
            file(2, "0002_main", 300, "CREATE TABLE c (x int);"),
        ];
        let rows = [row0(1, &merged[0]), row0(2, &merged[2])];
        let entries = classify(Layout::Journal, &merged, &rows);
        assert_eq!(entries[1].status, MigrationStatus::Pending);
        assert!(entries[1].skipped_by_migrator);
        assert!(
            entries[1].note.contains("skip it forever"),
            "{}",
            entries[1].note
        );
        assert_eq!(entries[2].status, MigrationStatus::Applied);
    }

    #[test]
    fn equal_when_is_skipped_too() {
        let f = vec![
            file(0, "0000_a", 100, "SELECT 1;"),
            file(1, "0001_b", 100, "SELECT 2;"),
        ];
        let entries = classify(Layout::Journal, &f, &[row0(1, &f[0])]);
        assert!(entries[1].skipped_by_migrator);
    }

    #[test]
    fn folders_layout_has_no_high_water_trap() {
        let f = folder();
        let rows = [AppliedRow {
            name: Some("0001_b".into()),
            ..row0(1, &f[1])
        }];
        let entries = classify(Layout::Folders, &f, &rows);
        assert_eq!(entries[0].status, MigrationStatus::Pending);
        assert!(!entries[0].skipped_by_migrator);
    }

    #[test]
    fn named_row_with_other_hash_is_modified_after_apply() {
        let f = folder();
        let rows = [AppliedRow {
            name: Some("0000_init".into()),
            hash: "00".repeat(32),
            ..row0(1, &f[0])
        }];
        let entries = classify(Layout::Folders, &f, &rows);
        assert_eq!(entries[0].status, MigrationStatus::ModifiedAfterApply);
    }

    #[test]
    fn a_timestamp_alone_never_makes_a_migration_applied() {
        // Another file with the recorded `when` but a different name (1.x) is
        // not the recorded migration.
        let f = folder();
        let rows = [AppliedRow {
            name: Some("0000_other".into()),
            hash: "11".repeat(32),
            ..row0(1, &f[0])
        }];
        let entries = classify(Layout::Folders, &f, &rows);
        assert_eq!(entries[0].status, MigrationStatus::Pending);
        assert_eq!(entries[2].status, MigrationStatus::AppliedFileMissing);
    }

    #[test]
    fn renamed_0x_entry_with_the_same_text_is_still_applied_by_hash() {
        let f = folder();
        let mut renamed = f.clone();
        renamed[1] = file(1, "0001_renamed", 250, "CREATE TABLE b (x int);");
        let entries = classify(Layout::Journal, &renamed, &[row0(1, &f[0]), row0(2, &f[1])]);
        assert_eq!(entries[1].status, MigrationStatus::Applied);
    }

    #[test]
    fn statuses_map_to_the_migration_drift_kinds() {
        assert_eq!(MigrationStatus::Applied.drift_kind(), None);
        assert_eq!(
            MigrationStatus::Pending.drift_kind(),
            Some(DriftKind::MigrationPending)
        );
        assert_eq!(
            MigrationStatus::Partial.drift_kind(),
            Some(DriftKind::MigrationPartial)
        );
        assert_eq!(
            MigrationStatus::AppliedFileMissing.drift_kind(),
            Some(DriftKind::MigrationFileMissing)
        );
        assert_eq!(
            MigrationStatus::ModifiedAfterApply.drift_kind(),
            Some(DriftKind::MigrationModified)
        );
    }
}
