//! Why the migrations folder could not be read (the CLI exits 2). Each message
//! names the file and what drizzle's own tools would do with it.

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HistoryError {
    #[error(
        "{dir}: not a migrations folder (no meta/_journal.json and no <timestamp>_<name>/migration.sql); check drizzle.config `out`"
    )]
    NotAFolder { dir: String },

    #[error("cannot read {path}: {reason}")]
    Io { path: String, reason: String },

    #[error("{path}: {reason}")]
    Journal { path: String, reason: String },

    #[error(
        "{path}: the journal names this migration but the file is absent (drizzle-orm's migrator stops here too: \"No file {path} found in {dir} folder\")"
    )]
    MissingSqlFile { path: String, dir: String },

    #[error(
        "{path}: the folder name does not start with a YYYYMMDDHHmmss timestamp (drizzle-orm 1.x expects <timestamp>_<name>)"
    )]
    FolderName { path: String },
}
