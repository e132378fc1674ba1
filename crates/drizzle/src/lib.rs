//! Static reader for Drizzle ORM MySQL schemas and `drizzle.config`, without
//! running Node.
//!
//! * [`read_schema`] turns schema files into the canonical
//!   [`driftwatch_model::Schema`], the way drizzle-kit 0.31 /
//!   drizzle-orm 0.45 would serialize them. It never fails as a whole: what it
//!   cannot evaluate becomes a [`Diagnostic`] with file:line:column, and the
//!   tables affected are listed in [`ReadOutput::incomplete_tables`].
//! * [`load_config`] reads `drizzle.config.*` (TS/JS through the same
//!   evaluator, or JSON), with `process.env` from the environment and `.env`.
//! * [`snapshot`] turns a drizzle-kit snapshot (the migrations folder's
//!   latest, or `generateMySQLDrizzleJson` output) into the same Model.
//!
//! The TypeScript semantics live in the private `eval` module (a small
//! evaluator over the oxc AST); the Model never sees the AST.

pub mod config;
pub mod diagnostics;
pub mod reader;
pub mod snapshot;
pub mod snapshot_writer;

mod casing;
mod eval;

pub use config::{
    Casing, ConfigError, DbCredentials, DrizzleConfig, EnvVars, find_config, load_config,
};
pub use diagnostics::{Diagnostic, Level};
pub use reader::{ReadOptions, ReadOutput, ResolveError, read_schema, resolve_schema_files};
pub use snapshot::{SnapshotError, latest_snapshot, model_from_snapshot, read_snapshot};
pub use snapshot_writer::{ORIGIN_ID, snapshot_json, to_snapshot_text};
