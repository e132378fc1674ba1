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
