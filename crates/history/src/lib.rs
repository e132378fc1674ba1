//! Drizzle migration history: the migrations folder (drizzle-kit 0.x journal
//! or 1.x folder-per-migration layout), the rows of the migrations table, the
//! status of each migration, and whether the next one was partly applied.
//!
//! ```text
//! folder::read_folder (the only I/O) ──► MigrationsFolder { layout, migrations }
//!                                               │
//! rows of __drizzle_migrations (driftwatch_mysql) ─┤
//!                                               ▼
//!                       status::classify ──► Vec<StatusEntry> (applied, pending, …)
//!                                               │ first pending migration
//!     snapshots before/after + database Model ──┤
//!                                               ▼
//!                       partial::assess ──► PartialAssessment (verdict, statements)
//! ```
//!
//! Every rule that mirrors drizzle-orm (hash, breakpoint split, journal order,
//! the 0.x migrator's high-water mark, 1.x folder timestamps) lives in
//! [`migration`] and [`status`] with the source it follows.

pub mod cause;
pub mod error;
pub mod folder;
pub mod migration;
pub mod partial;
pub mod status;

pub use cause::{Evidence, MigrationChanges, RootCause, root_causes};
pub use error::HistoryError;
pub use folder::{MigrationsFolder, read_folder};
pub use migration::{
    Layout, LocalMigration, STATEMENT_BREAKPOINT, file_hash, folder_millis, parse_journal,
    split_statements, utc_text,
};
pub use partial::{
    Effect, EffectState, ObjectChange, PartialAssessment, StatementEffect, StatementState, Verdict,
    assess, object_changes,
};
pub use status::{AppliedRow, MigrationStatus, StatusEntry, classify, first_unapplied};
