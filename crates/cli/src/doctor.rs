//! `driftwatch doctor`: the checks a person runs when validation fails, in
//! the order validation needs them, each printed as pass, warn or FAIL with a
//! hint. A check that depends on a failed one is skipped. The same loaders as
//! `validate` are used (settings, drizzle.config, the static reader, the URL
//! resolution, the read-only session and its introspection, the migrations
//! table and folder readers), so what doctor says is what validate meets.
//! Passwords are never printed: URLs are shown redacted, and driver messages
//! come scrubbed from `driftwatch_mysql`.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::Duration;

use driftwatch_drizzle::{DbCredentials, EnvVars, Level, ReadOptions};
use driftwatch_mysql::{DatabaseUrl, InspectOptions};

use crate::args::{DoctorArgs, GlobalArgs, SchemaArgs, SchemaSource};
use crate::error::CliError;
use crate::frames;
use crate::project::Project;
use crate::settings::Settings;
use crate::validate::Outcome;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Status {
    Pass,
    Warn,
    Fail,
    Skip,
}

impl Status {
    fn word(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Warn => "warn",
            Status::Fail => "FAIL",
            Status::Skip => "skip",
        }
    }

    fn color(self) -> &'static str {
        match self {
            Status::Pass => "\x1b[32m",
            Status::Warn => "\x1b[33m",
            Status::Fail => "\x1b[31;1m",
            Status::Skip => "\x1b[2m",
        }
    }
}

/// The checks so far, printed as they finish (a slow connection shows
/// where it hangs).
struct Checks {
    color: bool,
    counts: [usize; 4],
}

impl Checks {
    fn report(&mut self, status: Status, name: &str, detail: &str, lines: &[String], hint: &str) {
        self.counts[status as usize] += 1;
        let word = if self.color {
            format!("{}{}\x1b[0m", status.color(), status.word())
        } else {
            status.word().to_string()
        };
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "{word}  {name}: {detail}");
        for line in lines {
            let _ = writeln!(out, "        {line}");
        }
        if !hint.is_empty() {
            let _ = writeln!(out, "        hint: {hint}");
        }
        let _ = out.flush();
    }

    fn pass(&mut self, name: &str, detail: &str) {
        self.report(Status::Pass, name, detail, &[], "");
    }

    fn warn(&mut self, name: &str, detail: &str, hint: &str) {
        self.report(Status::Warn, name, detail, &[], hint);
    }

    fn fail(&mut self, name: &str, detail: &str, hint: &str) {
        self.report(Status::Fail, name, detail, &[], hint);
    }

    fn skip(&mut self, name: &str, why: &str) {
        self.report(Status::Skip, name, why, &[], "");
    }

    /// A failure whose message carries its own ". Hint: …" (driftwatch_mysql's);
    /// advice to run doctor is dropped, this is doctor.
    fn fail_with_hint(&mut self, name: &str, message: &str, default_hint: &str) {
        let (what, hint) = match message.split_once(" Hint: ") {
            Some((what, hint)) => (what.trim_end_matches('.'), hint),
            None => (message, ""),
        };
        let hint = hint
            .replace(" (`driftwatch doctor` tests the connection)", "")
            .replace("; run `driftwatch doctor`", "");
        let hint = if hint.is_empty() || hint.starts_with("run `driftwatch doctor`") {
            default_hint.to_string()
        } else {
            hint
        };
        self.fail(name, what, &hint);
    }
}

const SETTINGS: &str = "driftwatch.toml";
const DRIZZLE: &str = "drizzle config";
const SCHEMA: &str = "schema files";
const URL: &str = "database URL";
const CONNECTION: &str = "connection";
const SERVER: &str = "server";
const PRIVILEGES: &str = "privileges";
const MIGRATIONS_TABLE: &str = "migrations table";
const MIGRATIONS_FOLDER: &str = "migrations folder";

pub async fn doctor(
    global: &GlobalArgs,
    args: &DoctorArgs,
    color: bool,
) -> Result<Outcome, CliError> {
    let mut checks = Checks {
        color,
        counts: [0; 4],
    };
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));

    // driftwatch.toml
    let settings_path = match &global.config {
        Some(path) => Some(path.clone()),
        None => Some(cwd.join("driftwatch.toml")).filter(|p| p.is_file()),
    };
    let settings = match settings_path {
        None => {
            match &args.connection.environment {
                Some(name) => checks.fail(
                    SETTINGS,
                    &format!("none found, but --env {name} needs one"),
                    "create one with `driftwatch init`, or pass --config PATH",
                ),
                None => checks.pass(SETTINGS, "none here (optional: the defaults apply)"),
            }
            None
        }
        Some(path) => match Settings::load(&path) {
            Ok(settings) => {
                let names: Vec<&str> = settings.environments.keys().map(String::as_str).collect();
                checks.pass(
                    SETTINGS,
                    &format!(
                        "{} is valid ({})",
                        path.strip_prefix(&cwd).unwrap_or(&path).display(),
                        if names.is_empty() {
                            "no environments".to_string()
                        } else {
                            format!("environments: {}", names.join(", "))
                        }
                    ),
                );
                Some((path, settings))
            }
            Err(e) => {
                checks.fail(
                    SETTINGS,
                    &e.to_string(),
                    "fix the entry named above (the keys are listed in the README and DESIGN.md §7), or pass --config PATH",
                );
                None
            }
        },
    };

    // drizzle.config
    let drizzle_path = match (&global.drizzle_config, &settings) {
        (Some(path), _) => Some(path.clone()),
        (None, Some((settings_path, s))) if s.drizzle_config.is_some() => {
            let base = settings_path.parent().unwrap_or(Path::new("."));
            s.drizzle_config.as_ref().map(|p| base.join(p))
        }
        _ => driftwatch_drizzle::find_config(&cwd),
    };
    let root = drizzle_path
        .as_ref()
        .and_then(|p| p.parent())
        .filter(|p| !p.as_os_str().is_empty())
        .map(Path::to_path_buf)
        .unwrap_or_else(|| cwd.clone());
    let env = EnvVars::load(&root);
    let drizzle = match &drizzle_path {
        None if args.schema.is_empty() => {
            checks.fail(
                DRIZZLE,
                &format!(
                    "no drizzle.config.{{ts,mts,js,mjs,cjs,json}} in {}",
                    cwd.display()
                ),
                "run driftwatch in the project folder, or pass --drizzle-config PATH (or --schema PATH and --url URL)",
            );
            None
        }
        None => {
            checks.warn(
                DRIZZLE,
                "none found; --schema names the schema files",
                "without it, `out` (migrations folder) and tablesFilter take their defaults",
            );
            None
        }
        Some(path) if !path.is_file() => {
            checks.fail(
                DRIZZLE,
                &format!("{}: not found", path.display()),
                "check --drizzle-config or `drizzle_config` in driftwatch.toml",
            );
            None
        }
        Some(path) => match driftwatch_drizzle::load_config(path, &env) {
            Ok(config) => {
                checks.pass(
                    DRIZZLE,
                    &format!(
                        "{}: dialect {}, schema {}, out {}",
                        path.strip_prefix(&cwd).unwrap_or(path).display(),
                        config.dialect,
                        if config.schema.is_empty() {
                            "(none)".to_string()
                        } else {
                            config.schema.join(", ")
                        },
                        config.out
                    ),
                );
                Some(config)
            }
            Err(e) => {
                checks.fail(
                    DRIZZLE,
                    &e.to_string(),
                    "driftwatch reads drizzle.config without Node: keep it a plain object (defineConfig({...})) and set the variables it reads (environment or .env)",
                );
                None
            }
        },
    };
    if let Some(problem) = env.dotenv_problem() {
        checks.warn(
            ".env",
            problem,
            "fix the line (KEY=value); until then only the process environment is used",
        );
    }
    let project = Project {
        root,
        settings,
        drizzle,
        env,
    };

    // Schema files, read as validate reads them.
    let schema_args = SchemaArgs {
        schema: args.schema.clone(),
        schema_source: SchemaSource::Static,
    };
    if project.drizzle.is_none() && args.schema.is_empty() {
        checks.skip(SCHEMA, "no drizzle config to name them");
    } else {
        check_schema(&mut checks, &project, &schema_args, color);
    }

    // Database URL, connection, server, privileges, migrations table.
    let url = match project.database_url(&args.connection) {
        Ok(url) => match url.database() {
            Some(_) => {
                checks.pass(
                    URL,
                    &format!(
                        "{} (from {})",
                        url.redacted(),
                        url_origin(&project, &args.connection)
                    ),
                );
                Some(url)
            }
            None => {
                checks.fail(
                    URL,
                    &format!("{} names no database", url.redacted()),
                    "add the database as the URL's path: mysql://user:pass@host:3306/<database>",
                );
                None
            }
        },
        Err(e) => {
            checks.fail(
                URL,
                &e.to_string(),
                "pass --url, or --env NAME, or set DATABASE_URL (environment or .env)",
            );
            None
        }
    };
    match &url {
        None => {
            for name in [CONNECTION, SERVER, PRIVILEGES, MIGRATIONS_TABLE] {
                checks.skip(name, "no database URL");
            }
        }
        Some(url) => check_database(&mut checks, &project, args, url).await,
    }

    // Migrations folder (journal parse).
    let dir = args
        .migrations
        .clone()
        .unwrap_or_else(|| project.migrations_dir());
    let shown = project.display_path(&dir);
    if !dir.exists() {
        checks.warn(
            MIGRATIONS_FOLDER,
            &format!("{shown}: not found"),
            "`drizzle-kit generate` creates it (drizzle.config `out`); validate works without it, but causes and `migrations status` need it",
        );
    } else {
        match driftwatch_history::read_folder(&dir) {
            Ok(folder) => checks.pass(
                MIGRATIONS_FOLDER,
                &format!(
                    "{shown}: {}, {} migration{}",
                    match folder.layout {
                        driftwatch_history::Layout::Journal => "drizzle-kit 0.x journal",
                        driftwatch_history::Layout::Folders => "drizzle-kit 1.x folders",
                    },
                    folder.migrations.len(),
                    if folder.migrations.len() == 1 {
                        ""
                    } else {
                        "s"
                    }
                ),
            ),
            Err(e) => checks.fail(
                MIGRATIONS_FOLDER,
                &e.to_string(),
                "restore the file from version control, or regenerate with drizzle-kit",
            ),
        }
    }

    let [pass, warn, fail, skip] = checks.counts;
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    println!(
        "\n{}, {}, {} failed, {} skipped",
        plural(pass, "check") + " passed",
        plural(warn, "warning"),
        fail,
        skip
    );
    Ok(Outcome {
        exit_code: if fail > 0 { 2 } else { 0 },
    })
}

fn check_schema(checks: &mut Checks, project: &Project, args: &SchemaArgs, color: bool) {
    let files = match project.schema_files(args) {
        Ok(files) => files,
        Err(e) => {
            checks.fail(
                SCHEMA,
                &e.to_string(),
                "check drizzle.config `schema` (paths and globs relative to the config's folder), or pass --schema",
            );
            return;
        }
    };
    let options = ReadOptions {
        casing: project.drizzle.as_ref().and_then(|c| c.casing),
        root: project.root.clone(),
    };
    let read = driftwatch_drizzle::read_schema(&files, &options);
    let lines: Vec<String> = read
        .diagnostics
        .iter()
        .map(|d| {
            format!(
                "{}:{}:{}: {}: {}",
                project.display_path(&d.file),
                d.line,
                d.column,
                match d.level {
                    Level::Error => "error",
                    Level::Warning => "warning",
                },
                d.message
            )
        })
        .collect();
    let errors = read
        .diagnostics
        .iter()
        .filter(|d| d.level == Level::Error)
        .count();
    let tables = read.schema.tables.len();
    let read_files = format!(
        "{} file{}",
        files.len(),
        if files.len() == 1 { "" } else { "s" }
    );
    if errors > 0 {
        checks.report(
            Status::Fail,
            SCHEMA,
            &format!(
                "{errors} error{} in {read_files}{}",
                if errors == 1 { "" } else { "s" },
                if read.incomplete_tables.is_empty() {
                    String::new()
                } else {
                    format!(
                        " (cannot compare: {})",
                        read.incomplete_tables.join(", ")
                    )
                }
            ),
            &lines,
            "fix the code at the places above (code frames on stderr); validate stops on them, or compares the other tables with --allow-incomplete when each error belongs to one table",
        );
    } else if !lines.is_empty() {
        checks.report(
            Status::Warn,
            SCHEMA,
            &format!("{read_files}, {tables} tables read, with warnings"),
            &lines,
            "",
        );
    } else {
        checks.pass(SCHEMA, &format!("{read_files}, {tables} tables read"));
    }
    // The code frames validate prints, on stderr.
    let mut stderr = std::io::stderr().lock();
    for diagnostic in &read.diagnostics {
        let _ = write!(
            stderr,
            "{}",
            frames::render(diagnostic, &project.display_path(&diagnostic.file), color)
        );
    }
}

/// Where the URL came from (the order of `Project::database_url`).
fn url_origin(project: &Project, args: &crate::args::ConnectionArgs) -> String {
    if args.url.is_some() {
        return "--url".to_string();
    }
    if let Some(name) = &args.environment {
        return format!("[environments.{name}] url");
    }
    if project.env.get("DATABASE_URL").is_some() {
        return "DATABASE_URL".to_string();
    }
    match project
        .drizzle
        .as_ref()
        .and_then(|c| c.db_credentials.as_ref())
    {
        Some(Ok(DbCredentials::Fields { .. })) => "drizzle.config dbCredentials fields".to_string(),
        _ => "drizzle.config dbCredentials.url".to_string(),
    }
}

fn millis(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

async fn check_database(
    checks: &mut Checks,
    project: &Project,
    args: &DoctorArgs,
    url: &DatabaseUrl,
) {
    let database = url.database().unwrap_or_default().to_string();
    let ping = match driftwatch_mysql::ping(url).await {
        Ok(ping) => {
            checks.pass(
                CONNECTION,
                &format!(
                    "SELECT 1 answered in {} (connect {})",
                    millis(ping.round_trip),
                    millis(ping.connect_time)
                ),
            );
            ping
        }
        Err(e) => {
            checks.fail_with_hint(
                CONNECTION,
                &e.to_string(),
                "check the host, port, user and password of the URL (the password is not shown)",
            );
            for name in [SERVER, PRIVILEGES, MIGRATIONS_TABLE] {
                checks.skip(name, "not connected");
            }
            return;
        }
    };
    let identity = format!(
        "{} ({}; VERSION() {}), database `{database}` on {} as `{}`",
        ping.flavor,
        ping.flavor.label(),
        ping.flavor.version_string,
        ping.host,
        url.user()
    );
    match project.expected_database(&args.connection) {
        Some((environment, expected)) if expected != database => checks.fail(
            SERVER,
            &format!("{identity}, but environment `{environment}` expects `{expected}`"),
            "the URL points at another database than expect_database says: check the variable the environment's url reads",
        ),
        _ => checks.pass(SERVER, &identity),
    }
    let options = InspectOptions {
        migrations_table: project.migrations_table(),
    };
    match driftwatch_mysql::inspect(url, &options).await {
        Ok(inspection) => {
            let tables = inspection
                .rows
                .tables
                .iter()
                .filter(|t| t.table_type.eq_ignore_ascii_case("BASE TABLE"))
                .count();
            let views = inspection.rows.views.len();
            if inspection.rows.schemata.is_none() {
                checks.warn(
                    PRIVILEGES,
                    &format!("information_schema shows no database `{database}` to this user"),
                    &format!(
                        "GRANT SELECT ON `{database}`.* TO '{}'@'%' (SELECT is all driftwatch needs)",
                        url.user()
                    ),
                );
            } else if tables == 0 {
                checks.warn(
                    PRIVILEGES,
                    &format!("information_schema is readable, but shows no table in `{database}`"),
                    &format!(
                        "either the database is empty (apply the migrations) or the user may not see its tables: GRANT SELECT ON `{database}`.* TO '{}'@'%'",
                        url.user()
                    ),
                );
            } else {
                checks.pass(
                    PRIVILEGES,
                    &format!(
                        "information_schema readable: {tables} table{}, {views} view{} in `{database}`",
                        if tables == 1 { "" } else { "s" },
                        if views == 1 { "" } else { "s" }
                    ),
                );
            }
        }
        Err(e) => checks.fail_with_hint(
            PRIVILEGES,
            &e.to_string(),
            &format!(
                "the user needs SELECT on the database: GRANT SELECT ON `{database}`.* TO '{}'@'%'",
                url.user()
            ),
        ),
    }
    let table = project.migrations_table();
    match driftwatch_mysql::read_migrations_table(url, &table).await {
        Ok(migrations) if migrations.exists => checks.pass(
            MIGRATIONS_TABLE,
            &format!(
                "`{table}` readable ({} row{})",
                migrations.rows.len(),
                if migrations.rows.len() == 1 { "" } else { "s" }
            ),
        ),
        Ok(_) => checks.warn(
            MIGRATIONS_TABLE,
            &format!("`{table}` not found in `{database}`"),
            "drizzle's migrator never ran here (`drizzle-kit migrate` creates it), or the user may not see it; validate works without it, but migration causes and `migrations status` need it",
        ),
        Err(e) => checks.fail_with_hint(
            MIGRATIONS_TABLE,
            &e.to_string(),
            &format!("the user needs SELECT on `{database}`.`{table}`"),
        ),
    }
}
