//! The one module that reads files: a migrations folder in either layout,
//! into [`LocalMigration`]s in the order the migrator applies them.

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::error::HistoryError;
use crate::migration::{
    Layout, LocalMigration, decode_like_node, folder_millis, journal_snapshot_name,
    missing_sql_file, parse_journal,
};

/// A migrations folder (drizzle.config `out`).
#[derive(Debug, Clone, Serialize)]
pub struct MigrationsFolder {
    pub dir: PathBuf,
    pub layout: Layout,
    pub migrations: Vec<LocalMigration>,
}

/// Reads the folder: the 0.x layout when `meta/_journal.json` exists (as
/// both migrators decide), else the 1.x layout.
pub fn read_folder(dir: &Path) -> Result<MigrationsFolder, HistoryError> {
    if !dir.is_dir() {
        return Err(HistoryError::NotAFolder {
            dir: dir.display().to_string(),
        });
    }
    let journal = dir.join("meta").join("_journal.json");
    let (layout, migrations) = if journal.is_file() {
        (Layout::Journal, read_journal_layout(dir, &journal)?)
    } else {
        let migrations = read_folders_layout(dir)?;
        if migrations.is_empty() {
            return Err(HistoryError::NotAFolder {
                dir: dir.display().to_string(),
            });
        }
        (Layout::Folders, migrations)
    };
    Ok(MigrationsFolder {
        dir: dir.to_path_buf(),
        layout,
        migrations,
    })
}

fn read_text(path: &Path) -> Result<String, HistoryError> {
    std::fs::read(path)
        .map(|bytes| decode_like_node(&bytes))
        .map_err(|e| HistoryError::Io {
            path: path.display().to_string(),
            reason: e.to_string(),
        })
}

/// drizzle-kit 0.x: journal order; `<tag>.sql`; `meta/<prefix>_snapshot.json`.
fn read_journal_layout(dir: &Path, journal: &Path) -> Result<Vec<LocalMigration>, HistoryError> {
    let entries = parse_journal(&read_text(journal)?).map_err(|reason| HistoryError::Journal {
        path: journal.display().to_string(),
        reason,
    })?;
    entries
        .iter()
        .enumerate()
        .map(|(idx, entry)| {
            let sql_file = dir.join(format!("{}.sql", entry.tag));
            if !sql_file.is_file() {
                return Err(missing_sql_file(&sql_file, dir));
            }
            let text = read_text(&sql_file)?;
            let mut migration = LocalMigration::from_text(idx, &entry.tag, Some(entry.when), &text);
            migration.sql_file = sql_file;
            migration.snapshot = Some(dir.join("meta").join(journal_snapshot_name(&entry.tag)))
                .filter(|p| p.is_file());
            Ok(migration)
        })
        .collect()
}

/// drizzle-kit 1.x: every sub-folder with a `migration.sql`, in name order
/// (drizzle-orm sorts with `localeCompare`; names start with a fixed-width
/// timestamp, so byte order gives the same sequence).
fn read_folders_layout(dir: &Path) -> Result<Vec<LocalMigration>, HistoryError> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map_err(|e| HistoryError::Io {
            path: dir.display().to_string(),
            reason: e.to_string(),
        })?
        .flatten()
        .filter(|e| e.path().join("migration.sql").is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
        .iter()
        .enumerate()
        .map(|(idx, name)| {
            let folder = dir.join(name);
            let when = folder_millis(name).ok_or_else(|| HistoryError::FolderName {
                path: folder.display().to_string(),
            })?;
            let sql_file = folder.join("migration.sql");
            let text = read_text(&sql_file)?;
            let mut migration = LocalMigration::from_text(idx, name, Some(when), &text);
            migration.sql_file = sql_file;
            migration.snapshot = Some(folder.join("snapshot.json")).filter(|p| p.is_file());
            Ok(migration)
        })
        .collect()
}
