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
    #[command(after_help = VALIDATE_EXAMPLES)]
    Validate(ValidateArgs),
    /// Print the normalized Model of one side as JSON
    #[command(after_help = INSPECT_EXAMPLES)]
    Inspect(InspectArgs),
    /// Print (or write as a migration) the change that removes the drift
    #[command(long_about = FIX_LONG_ABOUT, after_help = FIX_EXAMPLES)]
    Fix(FixArgs),
    /// The migrations folder vs the database's migrations table
    #[command(after_help = MIGRATIONS_EXAMPLES)]
    Migrations(MigrationsArgs),
    /// Nightly monitoring: check every environment, keep incidents, apply SLA and escalation
    Monitor(crate::monitor::MonitorArgs),
    /// Scaffold driftwatch.toml, the GitHub workflows and the validate:schema script
    #[command(long_about = INIT_LONG_ABOUT, after_help = INIT_EXAMPLES)]
    Init(InitArgs),
    /// Why validation cannot run: config, schema, connection, privileges, migrations
    #[command(long_about = DOCTOR_LONG_ABOUT, after_help = DOCTOR_EXAMPLES)]
    Doctor(DoctorArgs),
    /// Print a shell completion script to stdout
    #[command(after_help = COMPLETIONS_EXAMPLES)]
    Completions(CompletionsArgs),
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
    /// Fleet mode: compare the schema with every database of the server
    /// that matches (a name, a glob `tenant_*`, a LIKE pattern `tenant_%`,
    /// or a comma-separated list of them); the URL's database is ignored.
    /// Text: one summary table; json: one report per line (docs/fleet.md)
    #[arg(long, value_name = "PATTERN")]
    pub databases: Option<String>,
    /// Fleet mode: databases compared at once
    #[arg(long, value_name = "N", default_value_t = 4, requires = "databases")]
    pub concurrency: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// The comparison and every drift, for a terminal
    Text,
    /// The stable JSON contract (docs/report-json.md, docs/report.schema.json)
    Json,
    /// GitHub-flavoured Markdown for a PR comment or an issue
    Markdown,
    /// GitHub Actions annotations on the schema lines, a summary line, and
    /// the markdown report appended to $GITHUB_STEP_SUMMARY when it is set
    Github,
    /// JUnit XML: one test case per table, one failure per drift
    Junit,
    /// SARIF 2.1.0 for GitHub code scanning and other SARIF viewers
    Sarif,
    /// One self-contained HTML page (no scripts, nothing fetched)
    Html,
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
    #[command(after_help = INSPECT_EXAMPLES)]
    Schema(SchemaArgs),
    /// The Model read from the live database
    #[command(after_help = INSPECT_EXAMPLES)]
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
    #[command(after_help = MIGRATIONS_EXAMPLES)]
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

/// `driftwatch init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// Overwrite files that exist (and replace a different `validate:schema` script)
    #[arg(long)]
    pub force: bool,
    /// The project folder (where package.json and drizzle.config are) [default: .]
    #[arg(long, value_name = "PATH")]
    pub dir: Option<PathBuf>,
}

/// `driftwatch doctor`.
#[derive(Debug, Args)]
pub struct DoctorArgs {
    #[command(flatten)]
    pub connection: ConnectionArgs,
    /// Schema file, folder or glob; repeatable; overrides drizzle.config `schema`
    #[arg(long = "schema", value_name = "PATH_OR_GLOB")]
    pub schema: Vec<String>,
    /// Migrations folder [default: drizzle.config `out`, else ./drizzle]
    #[arg(long, value_name = "PATH")]
    pub migrations: Option<PathBuf>,
}

/// `driftwatch completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete for
    #[arg(value_enum, value_name = "SHELL")]
    pub shell: clap_complete::Shell,
}

const INIT_LONG_ABOUT: &str = "Scaffolds driftwatch's files in a Drizzle project, from what it finds there: \
the drizzle.config (schema, `out`, the variable dbCredentials.url reads), the *DATABASE_URL variables named in \
.env, .env.example or the environment (names only, never values), and the package manager (lock file).\n\n\
Writes driftwatch.toml, .github/workflows/schema-validation.yml (pull requests: MySQL 8 service, migrations, \
`driftwatch validate --format github`), .github/workflows/nightly-schema-check.yml (`driftwatch monitor run` \
at 02:00 UTC) and the `validate:schema` script of package.json. An existing file is kept unless --force; \
running it again changes nothing.\n\n\
Exit codes: 0 done (or nothing to do); 2 could not (nothing written).";

const DOCTOR_LONG_ABOUT: &str = "Runs the checks a person runs when validation fails, each printed as pass, \
warn or FAIL with a hint: driftwatch.toml, drizzle.config, the schema files (diagnostics with \
file:line:column), the database URL (password hidden), the connection (`SELECT 1`), the server and database \
it is talking to, privileges (information_schema, the migrations table) and the migrations folder.\n\n\
Exit codes: 0 every check passed (warnings allowed); 2 a check failed.";

const VALIDATE_EXAMPLES: &str = "Examples:
  driftwatch validate                                     # URL from DATABASE_URL, .env or drizzle.config
  driftwatch validate --url mysql://user:pass@db:3306/app
  driftwatch validate --env production --fail-on high     # [environments.production] of driftwatch.toml
  driftwatch validate --format json --output drift.json
  driftwatch validate --schema 'src/db/*.ts'              # override drizzle.config `schema`
  driftwatch validate --schema-source snapshot            # expected side = latest drizzle-kit snapshot";

const INSPECT_EXAMPLES: &str = "Examples:
  driftwatch inspect schema                               # the Model read from the TypeScript files
  driftwatch inspect schema --schema-source snapshot
  driftwatch inspect db --url mysql://user:pass@db:3306/app
  driftwatch inspect db --env staging";

const FIX_EXAMPLES: &str = "Examples:
  driftwatch fix                                          # corrective SQL, destructive steps commented out
  driftwatch fix --allow-destructive | mysql app          # apply all of it (after approval)
  driftwatch fix --write --name restore_indexes           # as a drizzle-kit migration in `out`
  driftwatch fix --direction schema                       # Drizzle code for what only the database has";

const MIGRATIONS_EXAMPLES: &str = "Examples:
  driftwatch migrations status
  driftwatch migrations status --format json
  driftwatch migrations status --env staging --fail-on high
  driftwatch migrations status --migrations ./drizzle/migrations";

const INIT_EXAMPLES: &str = "Examples:
  driftwatch init                                         # in the project folder
  driftwatch init --dir apps/api                          # another folder
  driftwatch init --force                                 # overwrite what exists";

const DOCTOR_EXAMPLES: &str = "Examples:
  driftwatch doctor
  driftwatch doctor --env production
  driftwatch doctor --url mysql://user:pass@db.internal:3306/app";

const COMPLETIONS_EXAMPLES: &str = "Examples:
  driftwatch completions bash > ~/.local/share/bash-completion/completions/driftwatch
  driftwatch completions zsh > \"${fpath[1]}/_driftwatch\"
  driftwatch completions fish > ~/.config/fish/completions/driftwatch.fish";
