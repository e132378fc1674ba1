//! `driftwatch validate` and `driftwatch inspect`: read → inspect → diff →
//! classify → render. Every phase is timed for `--verbose`.

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::io::Write as _;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use driftwatch_diff::{Policy, Unverified, classify, diff, set_aside_unverified};
use driftwatch_drizzle::{Level, ReadOptions, ReadOutput};
use driftwatch_model::Schema;
use driftwatch_mysql::{DatabaseUrl, InspectDiagnostic, InspectOptions, Inspection};
use driftwatch_report::{DiagnosticEntry, Report, SchemaInfo, TableNames, Target, TextOptions};
use tracing::info_span;

use crate::args::{ConnectionArgs, Format, GlobalArgs, SchemaArgs, SchemaSource, ValidateArgs};
use crate::causes;
use crate::dev_database::{self, DevReading};
use crate::error::CliError;
use crate::filters;
use crate::frames;
use crate::progress::{self, Progress};
use crate::project::Project;

pub struct Outcome {
    pub exit_code: i32,
}

#[derive(Default)]
pub struct Phases(Vec<(&'static str, Duration)>);

impl Phases {
    fn time<T>(&mut self, name: &'static str, f: impl FnOnce() -> T) -> T {
        let _span = info_span!("phase", name).entered();
        let start = Instant::now();
        let value = f();
        self.0.push((name, start.elapsed()));
        value
    }
}

/// Reads the schema side from the chosen source (`--schema-source`).
/// The schema as drizzle-kit serialized it (`--schema-source drizzle-kit`),
/// kept for `fix --write`, whose snapshot is then drizzle-kit's own.
type DrizzleKitJson = Option<serde_json::Value>;

pub fn read_schema(
    project: &Project,
    args: &SchemaArgs,
    color: bool,
) -> Result<(Vec<PathBuf>, ReadOutput, DrizzleKitJson), CliError> {
    match args.schema_source {
        SchemaSource::Static => {
            let (files, output) = read_schema_statically(project, args, color)?;
            Ok((files, output, None))
        }
        SchemaSource::Snapshot => {
            if !args.schema.is_empty() {
                return Err(CliError::Schema(
                    "--schema does not apply to --schema-source snapshot, which reads the migrations folder (drizzle.config `out`)".to_string(),
                ));
            }
            let out = project.migrations_dir();
            let path = driftwatch_drizzle::latest_snapshot(&out)
                .map_err(|e| CliError::Schema(format!("--schema-source snapshot: {e}")))?;
            let schema = driftwatch_drizzle::read_snapshot(&path).map_err(|e| {
                CliError::Schema(format!(
                    "--schema-source snapshot: {}: {e}",
                    project.display_path(&path)
                ))
            })?;
            Ok((vec![path.clone()], read_output(schema, path), None))
        }
        SchemaSource::DrizzleKit => {
            let files = project.schema_files(args)?;
            let casing = project.drizzle.as_ref().and_then(|c| c.casing);
            let json = crate::drizzle_kit::snapshot_json(&project.root, &files, casing)?;
            let schema = driftwatch_drizzle::model_from_snapshot(&json)
                .map_err(|e| CliError::Schema(format!("--schema-source drizzle-kit: {e}")))?;
            let mut output = read_output(schema, PathBuf::new());
            output.files = files.clone();
            Ok((files, output, Some(json)))
        }
    }
}

/// A schema drizzle-kit serialized: exact by construction, no diagnostics.
fn read_output(schema: Schema, file: PathBuf) -> ReadOutput {
    ReadOutput {
        schema,
        diagnostics: Vec::new(),
        incomplete_tables: Vec::new(),
        files: vec![file],
    }
}

/// Reads the schema files statically; prints its diagnostics as code frames. An error
/// that is not tied to one table (a syntax error, an unreadable file) means the
/// set of tables itself is unknown: nothing can be compared.
fn read_schema_statically(
    project: &Project,
    args: &SchemaArgs,
    color: bool,
) -> Result<(Vec<PathBuf>, ReadOutput), CliError> {
    let files = project.schema_files(args)?;
    let options = ReadOptions {
        casing: project.drizzle.as_ref().and_then(|c| c.casing),
        root: project.root.clone(),
    };
    let output = driftwatch_drizzle::read_schema(&files, &options);
    let mut stderr = std::io::stderr().lock();
    for diagnostic in &output.diagnostics {
        let _ = write!(
            stderr,
            "{}",
            frames::render(diagnostic, &project.display_path(&diagnostic.file), color)
        );
    }
    // An error tied to no table (a syntax error, a table whose name cannot be
    // evaluated) leaves the set of tables itself unknown.
    let errors = |untied_only: bool| {
        output
            .diagnostics
            .iter()
            .filter(|d| d.level == Level::Error && (!untied_only || d.table.is_none()))
            .count()
    };
    if errors(true) > 0 {
        let all = errors(false);
        return Err(CliError::Schema(format!(
            "the schema could not be read ({all} error{} above, {} of them not tied to one table, so the set of tables is unknown); nothing was compared",
            if all == 1 { "" } else { "s" },
            errors(true)
        )));
    }
    Ok((files, output))
}

async fn inspect_database(
    project: &Project,
    args: &ConnectionArgs,
    url: &DatabaseUrl,
) -> Result<Inspection, CliError> {
    let options = InspectOptions {
        migrations_table: project.migrations_table(),
    };
    let inspection = driftwatch_mysql::inspect(url, &options)
        .await
        .map_err(|e| CliError::Database(e.to_string()))?;
    if let Some((environment, expected)) = project.expected_database(args)
        && inspection.database != expected
    {
        return Err(CliError::UnexpectedDatabase {
            environment,
            expected,
            actual: inspection.database.clone(),
        });
    }
    Ok(inspection)
}

/// The database objects that could not be read exactly.
fn unverified_objects(diagnostics: &[InspectDiagnostic]) -> Vec<Unverified> {
    diagnostics
        .iter()
        .map(|d| Unverified {
            table: Some(d.table.clone()).filter(|t| !t.is_empty()),
            object: d.object.clone(),
        })
        .collect()
}

/// `--dev-url`: the expected schema as a dev database reads it back (see
/// `crate::dev_database`); `None` in static mode.
async fn read_back_on_dev_database(
    project: &Project,
    dev_url: Option<&str>,
    connection: &ConnectionArgs,
    url: &DatabaseUrl,
    inspection: &Inspection,
    read: &ReadOutput,
    phases: &mut Phases,
) -> Result<Option<DevReading>, CliError> {
    let started = Instant::now();
    let options = InspectOptions {
        migrations_table: project.migrations_table(),
    };
    let context = dev_database::Context {
        target_url: url,
        target: inspection,
        read,
        options: &options,
    };
    let dev_url = project.dev_url(dev_url, connection)?;
    let dev = dev_database::read_back(dev_url.as_deref(), &context).await?;
    if dev.is_some() {
        phases.0.push(("dev database", started.elapsed()));
    }
    Ok(dev)
}

/// What `validate` and `fix` compare: the two sides and the connection
/// options, borrowed from either command's arguments.
#[derive(Clone, Copy)]
pub struct CompareArgs<'a> {
    pub connection: &'a ConnectionArgs,
    pub schema: &'a SchemaArgs,
    /// `--dev-url` (shadow-database mode); `fix` has none.
    pub dev_url: Option<&'a str>,
    /// Where the phases are shown to a person (a hidden one for machine formats).
    pub progress: &'a Progress,
    /// This database on the resolved server instead of the URL's own (a
    /// database of a fleet environment).
    pub database: Option<&'a str>,
}

/// One comparison of the schema with the database: everything read, and the
/// report (findings with severity and fix) built from it. Shared by
/// `validate` (which renders the report) and `fix` (which plans from it).
pub struct Comparison {
    pub project: Project,
    /// The schema as read (unfiltered), for `fix --write`'s snapshot and
    /// `fix --direction schema`'s file names.
    pub read: ReadOutput,
    /// `--schema-source drizzle-kit`: drizzle-kit's own serialization of it.
    pub drizzle_kit_json: DrizzleKitJson,
    pub inspection: Inspection,
    pub filtered: filters::Filtered,
    pub report: Report,
    phases: Phases,
}

/// read schema → inspect database → filters → diff → classify → report.
pub async fn compare(
    global: &GlobalArgs,
    args: CompareArgs<'_>,
    color: bool,
) -> Result<Comparison, CliError> {
    let mut phases = Phases(Vec::new());
    let project = phases.time("config", || Project::load(global))?;
    args.progress.message("reading the schema");
    let (files, read, drizzle_kit_json) =
        phases.time("read schema", || read_schema(&project, args.schema, color))?;
    let url = project.database_url(args.connection)?;
    let url = match args.database {
        Some(database) => url.with_database(database),
        None => url,
    };
    let (inspection, filtered, report) =
        compare_read(&project, &files, &read, url, args, &mut phases).await?;
    Ok(Comparison {
        project,
        read,
        drizzle_kit_json,
        inspection,
        filtered,
        report,
        phases,
    })
}

/// The comparison with one database, the schema already read: `compare`
/// for one database, `validate --databases` for each of a fleet (the schema
/// read once).
pub async fn compare_read(
    project: &Project,
    files: &[PathBuf],
    read: &ReadOutput,
    url: DatabaseUrl,
    args: CompareArgs<'_>,
    phases: &mut Phases,
) -> Result<(Inspection, filters::Filtered, Report), CliError> {
    args.progress
        .message("reading the database (information_schema)");
    let inspect_start = Instant::now();
    let mut inspection = inspect_database(project, args.connection, &url).await?;
    // The Model is built: the raw rows are not needed any more (large schemas).
    inspection.rows.release();
    phases.0.push(("inspect database", inspect_start.elapsed()));
    let dev = read_back_on_dev_database(
        project,
        args.dev_url,
        args.connection,
        &url,
        &inspection,
        read,
        phases,
    )
    .await?;
    // The schema's Model is compared as read, copied only if a filter
    // changes it (see `filters::Editable`).
    let mut expected: Cow<'_, Schema> =
        Cow::Borrowed(dev.as_ref().map_or(&read.schema, |d| &d.schema));
    // The database's Model is compared in place; what the filters take out
    // of it is put back after the diff.
    let mut aside = filters::SetAside::default();
    let mut actual = std::mem::take(&mut inspection.schema);
    let filtered = filters::apply(project, &mut expected, &mut actual, &mut aside)?;
    let mut ignored = filtered.ignored_tables.clone();
    ignored.extend(inspection.ignored_tables.iter().cloned());
    filters::as_the_server_stores_it(&inspection.flavor, &mut expected);
    let (check_warnings, unreadable_checks) =
        filters::limit_checks(&inspection.flavor, &mut expected);
    let database_diagnostics: Vec<InspectDiagnostic> = inspection
        .diagnostics
        .iter()
        .cloned()
        .chain(unreadable_checks)
        .collect();
    let unverified = unverified_objects(&database_diagnostics);
    // Tables either side could not read exactly are listed, never compared.
    let not_compared: BTreeSet<String> = read
        .incomplete_tables
        .iter()
        .cloned()
        .chain(
            unverified
                .iter()
                .filter(|u| u.object.is_none())
                .filter_map(|u| u.table.clone()),
        )
        .collect();
    filters::retain_tables(&mut expected, |t| !not_compared.contains(&t.name));
    aside.take_tables(&mut actual, |t| !not_compared.contains(&t.name));

    let mut policy = Policy {
        production: project.is_production(args.connection),
        ..Policy::default()
    };
    let mut ignored_kinds = Vec::new();
    if let Some((path, settings)) = &project.settings {
        policy
            .overrides
            .extend(settings.severity_overrides(path, args.connection.environment.as_deref())?);
        ignored_kinds = settings.ignored_kinds(path)?;
    }
    args.progress.message("comparing");
    let findings = phases.time("diff", || {
        let mut findings = classify(diff(&expected, &actual), &policy);
        findings.retain(|f| !ignored_kinds.contains(&f.kind));
        set_aside_unverified(findings, &unverified).0
    });
    let mut findings = findings;
    let actual_names: Vec<String> = actual.tables.iter().map(|t| t.name.clone()).collect();
    aside.put_back(&mut actual);
    inspection.schema = actual;
    // The migration history explains findings; with none there is nothing
    // to explain, and its reads (two sessions, the latest snapshot: megabytes
    // of JSON on a large schema) are skipped.
    let mut history_warnings = Vec::new();
    if !findings.is_empty() {
        args.progress.message("reading the migration history");
        let history_start = Instant::now();
        let database = causes::Database {
            url: &url,
            flavor: &inspection.flavor,
            schema: &inspection.schema,
        };
        let (evidence, warnings) = causes::gather(project, &database).await;
        history_warnings = warnings;
        // The schema as declared (not a dev-database reading), treated like the snapshots.
        let mut declared = Cow::Borrowed(&read.schema);
        filters::as_the_server_stores_it(&inspection.flavor, &mut declared);
        let _ = filters::limit_checks(&inspection.flavor, &mut declared);
        causes::assign(&mut findings, &declared, &evidence);
        phases
            .0
            .push(("migration history", history_start.elapsed()));
    }

    let entry = |d: &driftwatch_drizzle::Diagnostic| DiagnosticEntry {
        level: match d.level {
            Level::Error => "error",
            Level::Warning => "warning",
        }
        .to_string(),
        message: d.message.clone(),
        file: Some(project.display_path(&d.file)),
        line: Some(d.line),
        column: Some(d.column),
    };
    let incomplete: Vec<DiagnosticEntry> = read
        .diagnostics
        .iter()
        .filter(|d| d.level == Level::Error)
        .map(entry)
        .collect();
    let mut diagnostics: Vec<DiagnosticEntry> = read
        .diagnostics
        .iter()
        .filter(|d| d.level == Level::Warning)
        .map(entry)
        .collect();
    // Something in the database that could not be read exactly is
    // unverified: listed, never reported as drift, and the verdict cannot be
    // "clean".
    diagnostics.extend(database_diagnostics.iter().map(|d| DiagnosticEntry {
        level: "error".to_string(),
        message: format!("database: unverified: {d}"),
        file: None,
        line: None,
        column: None,
    }));
    diagnostics.extend(dev.iter().flat_map(DevReading::diagnostic_entries));
    diagnostics.extend(history_warnings.iter().map(|w| DiagnosticEntry {
        level: "warning".to_string(),
        message: format!("migration history: {w}"),
        file: None,
        line: None,
        column: None,
    }));
    diagnostics.extend(
        filtered
            .warnings
            .iter()
            .chain(&check_warnings)
            .map(|w| DiagnosticEntry {
                level: "warning".to_string(),
                message: format!("database: {w}"),
                file: None,
                line: None,
                column: None,
            }),
    );
    let target = Target {
        flavor: inspection.flavor.name().to_string(),
        flavor_label: inspection.flavor.label(),
        server_version: inspection.flavor.version_string.clone(),
        host: url.host_port(),
        database: inspection.database.clone(),
    };
    let schema_info = SchemaInfo {
        files: files.iter().map(|f| project.display_path(f)).collect(),
        tables: read
            .schema
            .tables
            .iter()
            .map(|t| t.name.as_str())
            .chain(read.incomplete_tables.iter().map(String::as_str))
            .collect::<BTreeSet<_>>()
            .len(),
        incomplete,
    };
    let names = TableNames {
        sources: read
            .schema
            .tables
            .iter()
            .filter_map(|t| Some((t.name.clone(), t.source.clone()?)))
            .collect(),
        expected: expected.tables.iter().map(|t| t.name.clone()).collect(),
        actual: actual_names,
        not_compared: not_compared.into_iter().collect(),
        ignored,
    };
    let report = Report::new(target, schema_info, findings, diagnostics, names);
    let report = match &dev {
        Some(dev) => dev.mark(report),
        None => report,
    };
    Ok((inspection, filtered, report))
}

pub async fn validate(
    global: &GlobalArgs,
    args: &ValidateArgs,
    color: bool,
) -> Result<Outcome, CliError> {
    if let Some(selection) = &args.databases {
        return crate::fleet::validate(global, args, selection, color).await;
    }
    let started = Instant::now();
    let progress = Progress::spinner(progress::wanted(args.format == Format::Text), "starting");
    let compare_args = CompareArgs {
        connection: &args.connection,
        schema: &args.schema,
        dev_url: args.dev_url.as_deref(),
        progress: &progress,
        database: None,
    };
    let Comparison {
        report,
        inspection,
        filtered,
        mut phases,
        ..
    } = compare(global, compare_args, color).await?;
    drop(progress);
    let rendered = phases.time("render", || match args.format {
        Format::Text => driftwatch_report::text::render(
            &report,
            TextOptions {
                color: color && args.output.is_none(),
                verbose: global.verbose > 0,
            },
        ),
        Format::Json => driftwatch_report::json::render(&report),
        Format::Markdown => driftwatch_report::markdown::render(&report),
        Format::Github => driftwatch_report::github::render(&report),
        Format::Junit => driftwatch_report::junit::render(&report),
        Format::Sarif => driftwatch_report::sarif::render(&report),
        Format::Html => driftwatch_report::html::render(&report),
    });
    write_output(args.output.as_ref(), &rendered)?;
    if args.format == Format::Github {
        append_step_summary(&driftwatch_report::github::step_summary(&report));
    }
    if global.verbose > 0 {
        print_verbose(&report, &inspection, &filtered, &phases, started.elapsed());
    }
    // `--allow-incomplete`: the status stays `error` (never "clean"), but the
    // drift among the tables that were compared decides the exit code.
    let exit_code = match report.status {
        driftwatch_report::Status::Error if !args.allow_incomplete => 2,
        _ if report.fails_at(args.fail_on.threshold()) => 1,
        _ => 0,
    };
    Ok(Outcome { exit_code })
}

/// `--format github`: the markdown report appended to the job summary file
/// GitHub Actions names in `GITHUB_STEP_SUMMARY`. A summary that cannot be
/// written is a warning, never a failure: the annotations are the report.
fn append_step_summary(markdown: &str) {
    let Some(path) = std::env::var_os("GITHUB_STEP_SUMMARY").filter(|p| !p.is_empty()) else {
        return;
    };
    let appended = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .and_then(|mut file| {
            // Separated from what earlier steps wrote.
            file.write_all(b"\n")?;
            file.write_all(markdown.as_bytes())
        });
    if let Err(e) = appended {
        eprintln!(
            "driftwatch: warning: could not append the report to GITHUB_STEP_SUMMARY ({}): {e}",
            std::path::Path::new(&path).display()
        );
    }
}

pub fn write_output(path: Option<&PathBuf>, text: &str) -> Result<(), CliError> {
    match path {
        Some(path) => std::fs::write(path, text).map_err(|e| CliError::Output {
            path: path.clone(),
            message: e.to_string(),
        }),
        None => {
            let mut stdout = std::io::stdout().lock();
            let _ = stdout.write_all(text.as_bytes());
            let _ = stdout.flush();
            Ok(())
        }
    }
}

fn print_verbose(
    report: &Report,
    inspection: &Inspection,
    filtered: &filters::Filtered,
    phases: &Phases,
    total: Duration,
) {
    let mut err = std::io::stderr().lock();
    let _ = writeln!(err, "\nverbose:");
    let _ = writeln!(
        err,
        "  server    {} ({})",
        inspection.flavor, inspection.flavor.version_string
    );
    let _ = writeln!(
        err,
        "  database  {} on {}",
        inspection.database, report.target.host
    );
    for file in &report.schema.files {
        let _ = writeln!(err, "  file      {file}");
    }
    let schema = &inspection.schema;
    let count =
        |f: fn(&driftwatch_model::Table) -> usize| schema.tables.iter().map(f).sum::<usize>();
    let _ = writeln!(
        err,
        "  compared  {} tables, {} columns, {} indexes, {} foreign keys, {} checks (database side)",
        report.summary.tables_compared,
        count(|t| t.columns.len()),
        count(|t| t.indexes.len()),
        count(|t| t.foreign_keys.len()),
        count(|t| t.checks.len()),
    );
    if !report.ignored_tables.is_empty() {
        let _ = writeln!(err, "  ignored   {}", report.ignored_tables.join(", "));
    }
    if !filtered.ignored_columns.is_empty() {
        let _ = writeln!(err, "  ignored   {}", filtered.ignored_columns.join(", "));
    }
    let ms = |d: &Duration| d.as_secs_f64() * 1000.0;
    for (name, elapsed) in &phases.0 {
        let _ = writeln!(err, "  {name:<22}{:>9.1} ms", ms(elapsed));
        if *name == "inspect database" {
            for (query, elapsed) in &inspection.timings {
                let _ = writeln!(err, "    {query:<20}{:>9.1} ms", ms(elapsed));
            }
        }
    }
    let _ = writeln!(err, "  {:<22}{:>9.1} ms", "total", ms(&total));
}

pub fn inspect_schema(
    global: &GlobalArgs,
    args: &SchemaArgs,
    color: bool,
) -> Result<Outcome, CliError> {
    let project = Project::load(global)?;
    let (_, read, _) = read_schema(&project, args, color)?;
    print_json(&read.schema);
    Ok(Outcome {
        exit_code: if read.incomplete_tables.is_empty() {
            0
        } else {
            2
        },
    })
}

pub async fn inspect_db(global: &GlobalArgs, args: &ConnectionArgs) -> Result<Outcome, CliError> {
    let project = Project::load(global)?;
    let url = project.database_url(args)?;
    let inspection = inspect_database(&project, args, &url).await?;
    print_json(&inspection.schema);
    Ok(Outcome { exit_code: 0 })
}

fn print_json(schema: &Schema) {
    let text = serde_json::to_string_pretty(schema).unwrap_or_default();
    let mut stdout = std::io::stdout().lock();
    let _ = writeln!(stdout, "{text}");
}
