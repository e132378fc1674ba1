//! Errors that stop a command before it can validate (exit code 2). Each
//! message says what and where, and what to try; none holds a password.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum CliError {
    #[error("{path}: {message}")]
    Config { path: PathBuf, message: String },

    #[error("{0}")]
    DrizzleConfig(String),

    #[error(
        "no database to validate against: pass --url mysql://user:pass@host:port/db, or --env NAME with \
[environments.NAME] in driftwatch.toml, or set DATABASE_URL (environment or .env), or set dbCredentials in drizzle.config"
    )]
    NoDatabaseUrl,

    #[error(
        "no schema files: pass --schema PATH (repeatable), or run inside a Drizzle project with a drizzle.config.ts whose `schema` names them"
    )]
    NoSchema,

    #[error("{0}")]
    Schema(String),

    #[error("{0}")]
    Database(String),

    #[error("environment `{name}` is not defined in {path} (defined: {defined})")]
    UnknownEnvironment {
        name: String,
        path: PathBuf,
        defined: String,
    },

    #[error("--env {0} needs a driftwatch.toml (none found; pass --config PATH)")]
    NoSettings(String),

    #[error(
        "connected to database `{actual}`, but environment `{environment}` expects `{expected}` (expect_database); refusing to validate another database"
    )]
    UnexpectedDatabase {
        environment: String,
        expected: String,
        actual: String,
    },

    /// `fix --write` would write something unsafe or unreadable by drizzle-kit.
    #[error("{0}")]
    Refused(String),

    #[error("cannot write {path}: {message}")]
    Output { path: PathBuf, message: String },

    /// Flags that cannot work together or do not apply.
    #[error("{0}")]
    Usage(String),
}
