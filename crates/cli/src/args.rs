//! The command line (DESIGN.md §3). Every flag here is a contract.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "driftwatch",
    version,
    about = "Schema drift detection for Drizzle ORM MySQL projects",
    long_about = "Compares the schema a Drizzle project declares (mysqlTable(...) in TypeScript, read without Node) \
with a live MySQL or MariaDB database, and reports every discrepancy with its severity, likely cause and fix.\n\n\
Exit codes: 0 no drift at or above --fail-on; 1 drift at or above it; 2 could not validate."
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// driftwatch.toml to use [default: ./driftwatch.toml if present]
    #[arg(long, global = true, value_name = "PATH")]
    pub config: Option<PathBuf>,
    /// drizzle.config file [default: ./drizzle.config.{ts,mts,js,mjs,json} if present]
    #[arg(long, global = true, value_name = "PATH")]
    pub drizzle_config: Option<PathBuf>,
    /// Print server, files, counts and time per phase (and debug logs with -vv)
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
    /// When to use colours
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Compare the Drizzle schema with a live database
    Validate(ValidateArgs),
    /// Print the normalized Model of one side as JSON
    Inspect(InspectArgs),
    /// Print (or write as a migration) the change that removes the drift
    #[command(long_about = FIX_LONG_ABOUT)]
    Fix(FixArgs),
    /// The migrations folder vs the database's migrations table
    Migrations(MigrationsArgs),
    /// Nightly monitoring: check every environment, keep incidents, apply SLA and escalation
    Monitor(crate::monitor::MonitorArgs),
}

#[derive(Debug, Clone, Args)]
pub struct ConnectionArgs {
    /// Database URL: mysql://user:pass@host:port/db (also mariadb://)
    /// [default: --env, else DATABASE_URL, else dbCredentials of drizzle.config]
    #[arg(long, value_name = "URL")]
    pub url: Option<String>,
    /// Environment from driftwatch.toml ([environments.NAME])
    #[arg(long = "env", value_name = "NAME")]
    pub environment: Option<String>,
}

#[derive(Debug, Clone, Args)]
pub struct SchemaArgs {
    /// Schema file, folder or glob; repeatable; overrides drizzle.config `schema`
    #[arg(long = "schema", value_name = "PATH_OR_GLOB")]
    pub schema: Vec<String>,
    /// Where the expected schema comes from: the TypeScript files read
    /// statically (no Node), the latest drizzle-kit snapshot of the
    /// migrations folder (drizzle.config `out`), or the project's own
    /// drizzle-kit run through Node
    #[arg(long, value_enum, default_value_t = SchemaSource::Static)]
    pub schema_source: SchemaSource,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SchemaSource {
    /// The schema files, read by driftwatch's static TypeScript reader
    Static,
    /// The latest snapshot in the migrations folder (what drizzle-kit generated last)
    Snapshot,
    /// The schema files, serialized by the project's installed drizzle-kit (needs Node)
    #[value(name = "drizzle-kit")]
    DrizzleKit,
}

#[derive(Debug, Args)]
pub struct ValidateArgs {
    #[command(flatten)]
    pub connection: ConnectionArgs,
    #[command(flatten)]
    pub schema: SchemaArgs,
    /// Report format
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Write the report to this file instead of stdout
    #[arg(long, value_name = "PATH")]
    pub output: Option<PathBuf>,
    /// Lowest severity that makes the run fail (exit 1)
    #[arg(long, value_enum, default_value_t = FailOn::Low)]
    pub fail_on: FailOn,
    /// Compare what could be read even when some tables could not be read
    /// exactly: they are listed as not compared, the report status stays
    /// `error`, and the exit code follows the drift among the other tables
    /// (0 or 1) instead of 2
    #[arg(long)]
    pub allow_incomplete: bool,
    /// Shadow-database mode: an EMPTY scratch database on a server of the
    /// same flavour and major version as the target (mysql://user:pass@host:port/db).
    /// driftwatch creates the expected schema there, reads it back through
    /// the same introspection as the target, compares the two readings and
    /// drops what it created. Never the database being validated
    #[arg(long, value_name = "URL")]
    pub dev_url: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
    Markdown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FailOn {
    Critical,
    High,
    Medium,
    Low,
    Never,
}

impl FailOn {
    pub fn threshold(self) -> Option<driftwatch_diff::Severity> {
        use driftwatch_diff::Severity;
        match self {
            FailOn::Critical => Some(Severity::Critical),
            FailOn::High => Some(Severity::High),
            FailOn::Medium => Some(Severity::Medium),
            FailOn::Low => Some(Severity::Low),
            FailOn::Never => None,
        }
    }
}

#[derive(Debug, Args)]
pub struct InspectArgs {
    #[command(subcommand)]
    pub side: InspectSide,
}

#[derive(Debug, Subcommand)]
pub enum InspectSide {
    /// The Model read from the Drizzle schema files
    Schema(SchemaArgs),
    /// The Model read from the live database
    Db(ConnectionArgs),
}

#[derive(Debug, Args)]
pub struct MigrationsArgs {
    #[command(subcommand)]
    pub command: MigrationsCommand,
}

#[derive(Debug, Subcommand)]
pub enum MigrationsCommand {
    /// Each migration of the folder (journal, SQL files, snapshots) against the
    /// migrations table (`__drizzle_migrations` or drizzle.config
    /// `migrations.table`): applied, pending (and whether drizzle's migrator
    /// will skip it), applied but file missing, modified after apply, and a
    /// partially applied next migration.
    ///
    /// Exit codes: 0 every migration applied and unchanged; 1 any finding at or
    /// above --fail-on; 2 could not read the folder or the database.
    Status(MigrationsStatusArgs),
}

#[derive(Debug, Args)]
pub struct MigrationsStatusArgs {
    #[command(flatten)]
    pub connection: ConnectionArgs,
    /// Migrations folder [default: drizzle.config `out`, else ./drizzle]
    #[arg(long, value_name = "PATH")]
    pub migrations: Option<PathBuf>,
    /// Output format (the JSON is documented in docs/migrations-json.md)
    #[arg(long, value_enum, default_value_t = StatusFormat::Text)]
    pub format: StatusFormat,
    /// Lowest severity that makes the run fail (exit 1)
    #[arg(long, value_enum, default_value_t = FailOn::Low)]
    pub fail_on: FailOn,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StatusFormat {
    Text,
    Json,
}

const FIX_LONG_ABOUT: &str = "Prints the corrective change for every drift validate reports.\n\n\
--direction db (default): SQL that makes the database match the schema, ordered so that it runs \
(foreign keys dropped first and added last, one ALTER TABLE per table); only SQL on stdout, \
explanations as `-- ` comments, so it can be piped into the mysql client. --write adds it to the \
migrations folder as a drizzle-kit migration (journal entry, SQL file, snapshot) instead.\n\n\
--direction schema: Drizzle code for what exists only in the database, with the file and table it belongs in.\n\n\
Destructive steps (drops, type narrowing, NOT NULL on a nullable column, renames) are listed as \
comments and withheld unless --allow-destructive.\n\n\
Exit codes: 0 nothing to fix; 1 a fix was printed or written; 2 could not compare, or --write refused (nothing written).";

/// `driftwatch fix` (DESIGN.md §3).
#[derive(Debug, Args)]
pub struct FixArgs {
    #[command(flatten)]
    pub connection: ConnectionArgs,
    #[command(flatten)]
    pub schema: SchemaArgs,
    /// Which side changes: the database (SQL) or the schema (Drizzle code)
    #[arg(long, value_enum, default_value_t = FixDirection::Db)]
    pub direction: FixDirection,
    /// Include destructive steps (drops, type narrowing, NOT NULL on a
    /// nullable column, renames) instead of listing them as comments
    #[arg(long)]
    pub allow_destructive: bool,
    /// Add the SQL as a drizzle-kit migration to the migrations folder
    /// (drizzle.config `out`): journal entry, NNNN_tag.sql, meta/NNNN_snapshot.json
    #[arg(long, conflicts_with = "output")]
    pub write: bool,
    /// The words of the migration tag (`NNNN_<name>`) written by --write
    #[arg(
        long,
        value_name = "WORDS",
        default_value = "driftwatch_fix",
        requires = "write"
    )]
    pub name: String,
    /// Write the fix to this file instead of stdout
    #[arg(long, value_name = "PATH")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FixDirection {
    /// SQL that makes the database match the schema
    Db,
    /// Drizzle code that makes the schema match the database
    Schema,
}
