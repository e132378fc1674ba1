//! `driftwatch validate --databases PATTERN`: one schema against every
//! matching database of one server (a database per tenant or per shard).
//! The schema is read once; the databases are compared `--concurrency` at a
//! time, in name order, each with the same comparison as `validate`
//! (`validate::compare_read`). Memory is bounded by the concurrency: each
//! database's report is rendered (JSON) or reduced to a summary row (text)
//! as soon as it is done, then dropped. Output: docs/fleet.md.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io::Write as _;

use driftwatch_diff::Severity;
use driftwatch_mysql::DatabaseUrl;
use driftwatch_report::{Report, Status};
use futures_util::StreamExt as _;
use serde_json::json;

use crate::args::{Format, GlobalArgs, ValidateArgs};
use crate::error::CliError;
use crate::progress::{self, Progress};
use crate::project::Project;
use crate::validate::{CompareArgs, Outcome, Phases, compare_read, read_schema};

/// Schemas that are never part of a fleet.
const SYSTEM_SCHEMAS: [&str; 4] = ["information_schema", "mysql", "performance_schema", "sys"];

/// Which databases `--databases` selects: comma-separated names or
/// patterns. A pattern with `%` is SQL `LIKE` (`%` any run, `_` one
/// character); otherwise `*` and `?` are glob wildcards and `_` is literal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selection {
    patterns: Vec<String>,
}

impl Selection {
    pub fn parse(text: &str) -> Result<Selection, CliError> {
        let patterns: Vec<String> = text
            .split(',')
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(str::to_string)
            .collect();
        if patterns.is_empty() {
            return Err(CliError::Usage(
                "--databases: expected a name, a pattern (`tenant_*`, `tenant_%`) or a comma-separated list".to_string(),
            ));
        }
        Ok(Selection { patterns })
    }

    pub fn matches(&self, name: &str) -> bool {
        !SYSTEM_SCHEMAS.contains(&name) && self.patterns.iter().any(|p| matches(p, name))
    }
}

fn matches(pattern: &str, name: &str) -> bool {
    let like = pattern.contains('%');
    let pattern: Vec<char> = pattern.chars().collect();
    let name: Vec<char> = name.chars().collect();
    let (any, one) = if like { ('%', '_') } else { ('*', '?') };
    wildcard(&pattern, &name, any, one)
}

/// Iterative wildcard match (backtracking to the last `any`).
fn wildcard(pattern: &[char], name: &[char], any: char, one: char) -> bool {
    let (mut p, mut n) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while n < name.len() {
        if p < pattern.len() && (pattern[p] == one || pattern[p] == name[n]) {
            p += 1;
            n += 1;
        } else if p < pattern.len() && pattern[p] == any {
            star = Some((p, n));
            p += 1;
        } else if let Some((sp, sn)) = star {
            p = sp + 1;
            n = sn + 1;
            star = Some((sp, sn + 1));
        } else {
            return false;
        }
    }
    pattern[p..].iter().all(|c| *c == any)
}

/// One database's outcome, reduced to what the summary shows.
#[derive(Debug, Clone)]
struct Row {
    database: String,
    status: &'static str,
    counts: [usize; 4],
    /// `kind table.object (severity)`, one per drift: how it drifts.
    drifts: Vec<String>,
    error: Option<String>,
    fails: bool,
}

impl Row {
    fn of(database: String, outcome: &Result<Report, CliError>, args: &ValidateArgs) -> Row {
        match outcome {
            Err(e) => Row {
                database,
                status: "error",
                counts: [0; 4],
                drifts: Vec::new(),
                error: Some(e.to_string()),
                fails: false,
            },
            Ok(report) => Row {
                database,
                status: match report.status {
                    Status::Clean => "clean",
                    Status::Drift => "drift",
                    Status::Error => "error",
                },
                counts: [
                    Severity::Critical,
                    Severity::High,
                    Severity::Medium,
                    Severity::Low,
                ]
                .map(|s| report.summary.count(s)),
                drifts: report
                    .drifts
                    .iter()
                    .map(|f| {
                        let object = f
                            .object
                            .as_deref()
                            .map(|o| format!(".{o}"))
                            .unwrap_or_default();
                        format!(
                            "{} {}{object} ({})",
                            f.kind.name(),
                            f.table,
                            f.severity.name()
                        )
                    })
                    .collect(),
                error: (report.status == Status::Error).then(|| {
                    "not every object could be read exactly (run validate on it)".to_string()
                }),
                fails: report.fails_at(args.fail_on.threshold()),
            },
        }
    }
}

pub async fn validate(
    global: &GlobalArgs,
    args: &ValidateArgs,
    selection: &str,
    color: bool,
) -> Result<Outcome, CliError> {
    if !matches!(args.format, Format::Text | Format::Json) {
        return Err(CliError::Usage(
            "--databases supports --format text and json (JSON Lines, one report per database)"
                .to_string(),
        ));
    }
    if args.dev_url.is_some() {
        return Err(CliError::Usage(
            "--databases and --dev-url cannot be combined".to_string(),
        ));
    }
    let selection = Selection::parse(selection)?;
    let project = Project::load(global)?;
    let base = project.database_url(&args.connection)?;
    let all = driftwatch_mysql::list_databases(&base)
        .await
        .map_err(|e| CliError::Database(e.to_string()))?;
    let databases: Vec<String> = all.into_iter().filter(|d| selection.matches(d)).collect();
    if databases.is_empty() {
        return Err(CliError::Usage(format!(
            "--databases: no database on {} matches `{}`",
            base.host_port(),
            selection.patterns.join(",")
        )));
    }
    let (files, read, _) = read_schema(&project, &args.schema, color)?;
    let progress = Progress::steps(
        progress::wanted(args.format == Format::Text),
        databases.len() as u64,
        "validating databases",
    );
    let hidden = Progress::hidden();
    let compare_args = CompareArgs {
        connection: &args.connection,
        schema: &args.schema,
        dev_url: None,
        progress: &hidden,
        database: None,
    };
    let concurrency = args.concurrency.max(1);
    let mut output = Output::open(args)?;
    let mut rows = Vec::with_capacity(databases.len());
    let mut results = futures_util::stream::iter(databases)
        .map(|database| {
            let url = base.with_database(database.clone());
            let (project, files, read) = (&project, &files, &read);
            async move {
                let mut phases = Phases::default();
                let outcome = compare_read(project, files, read, url, compare_args, &mut phases)
                    .await
                    .map(|(_, _, report)| report);
                (database, outcome)
            }
        })
        // In name order, at most `concurrency` at once.
        .buffered(concurrency);
    while let Some((database, outcome)) = results.next().await {
        progress.message(&database);
        progress.step();
        if args.format == Format::Json {
            let line = match &outcome {
                Ok(report) => json!({ "database": database, "report": report }),
                Err(e) => json!({ "database": database, "error": e.to_string() }),
            };
            output.line(&line.to_string())?;
        }
        rows.push(Row::of(database, &outcome, args));
    }
    drop(progress);
    let schema_files: Vec<String> = files.iter().map(|f| project.display_path(f)).collect();
    match args.format {
        Format::Json => output.line(&summary_json(&rows, &base).to_string())?,
        _ => output.text(&summary_text(
            &rows,
            &base,
            &schema_files,
            color && args.output.is_none(),
        ))?,
    }
    output.finish()?;
    let exit_code = if rows.iter().any(|r| r.status == "error") && !args.allow_incomplete {
        2
    } else if rows.iter().any(|r| r.fails) {
        1
    } else {
        0
    };
    Ok(Outcome { exit_code })
}

fn summary_json(rows: &[Row], base: &DatabaseUrl) -> serde_json::Value {
    let count = |status: &str| rows.iter().filter(|r| r.status == status).count();
    json!({
        "fleet": {
            "version": 1,
            "host": base.host_port(),
            "databases": rows.len(),
            "clean": count("clean"),
            "drift": count("drift"),
            "error": count("error"),
        }
    })
}

/// The summary table, then the databases grouped by how they drift.
fn summary_text(rows: &[Row], base: &DatabaseUrl, files: &[String], _color: bool) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} database(s) on {} compared with {}\n",
        rows.len(),
        base.host_port(),
        files.join(", ")
    );
    let width = rows
        .iter()
        .map(|r| r.database.len())
        .max()
        .unwrap_or(8)
        .max(8);
    let _ = writeln!(
        out,
        "{:<width$}  {:<6}  {:>8}  {:>4}  {:>6}  {:>3}",
        "database", "status", "critical", "high", "medium", "low"
    );
    for row in rows {
        let [critical, high, medium, low] = row.counts;
        let _ = write!(
            out,
            "{:<width$}  {:<6}  {critical:>8}  {high:>4}  {medium:>6}  {low:>3}",
            row.database, row.status
        );
        if let Some(error) = &row.error {
            let _ = write!(out, "  {error}");
        }
        out.push('\n');
    }
    // Databases that drift the same way, together.
    let mut groups: BTreeMap<&[String], Vec<&str>> = BTreeMap::new();
    for row in rows.iter().filter(|r| !r.drifts.is_empty()) {
        groups.entry(&row.drifts).or_default().push(&row.database);
    }
    if !groups.is_empty() {
        out.push_str("\nHow they drift:\n");
        for (drifts, databases) in &groups {
            let _ = writeln!(out, "\n  {} ({}):", abbreviate(databases), databases.len());
            for drift in *drifts {
                let _ = writeln!(out, "    {drift}");
            }
        }
    }
    let count = |status: &str| rows.iter().filter(|r| r.status == status).count();
    let _ = writeln!(
        out,
        "\n{} database(s): {} clean, {} drift, {} error",
        rows.len(),
        count("clean"),
        count("drift"),
        count("error")
    );
    if count("clean") == rows.len() {
        out.push_str("No schema drift detected\n");
    } else {
        out.push_str(
            "Details of one database: driftwatch validate --url <same server>/<database>\n",
        );
    }
    out
}

/// `a, b, c, … and 7 more`.
fn abbreviate(names: &[&str]) -> String {
    const SHOWN: usize = 5;
    if names.len() <= SHOWN {
        return names.join(", ");
    }
    format!(
        "{}, … and {} more",
        names[..SHOWN].join(", "),
        names.len() - SHOWN
    )
}

/// stdout, or `--output`: written as results arrive.
struct Output {
    file: Option<(std::path::PathBuf, std::io::BufWriter<std::fs::File>)>,
}

impl Output {
    fn open(args: &ValidateArgs) -> Result<Output, CliError> {
        let file = match &args.output {
            None => None,
            Some(path) => {
                let file = std::fs::File::create(path).map_err(|e| CliError::Output {
                    path: path.clone(),
                    message: e.to_string(),
                })?;
                Some((path.clone(), std::io::BufWriter::new(file)))
            }
        };
        Ok(Output { file })
    }

    fn line(&mut self, line: &str) -> Result<(), CliError> {
        self.text(&format!("{line}\n"))
    }

    fn text(&mut self, text: &str) -> Result<(), CliError> {
        match &mut self.file {
            Some((path, file)) => file
                .write_all(text.as_bytes())
                .map_err(|e| CliError::Output {
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

    fn finish(self) -> Result<(), CliError> {
        if let Some((path, mut file)) = self.file {
            file.flush().map_err(|e| CliError::Output {
                path,
                message: e.to_string(),
            })?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn selects(pattern: &str, name: &str) -> bool {
        Selection::parse(pattern).expect("pattern").matches(name)
    }

    #[test]
    fn a_glob_star_matches_any_run_and_underscore_is_literal() {
        assert!(selects("tenant_*", "tenant_001"));
        assert!(selects("tenant_*", "tenant_"));
        assert!(!selects("tenant_*", "tenantX001"));
        assert!(!selects("tenant_*", "other_tenant_1"));
    }

    #[test]
    fn a_glob_question_mark_matches_one_character() {
        assert!(selects("shard_?", "shard_1"));
        assert!(!selects("shard_?", "shard_10"));
    }

    #[test]
    fn a_pattern_with_percent_is_sql_like() {
        assert!(selects("tenant\u{5f}%", "tenant_001"));
        assert!(
            selects("tenant_%", "tenantX001"),
            "LIKE: `_` is any one character"
        );
    }

    #[test]
    fn a_list_selects_each_name_or_pattern() {
        assert!(selects("a, b,shard_*", "b"));
        assert!(selects("a, b,shard_*", "shard_9"));
        assert!(!selects("a, b,shard_*", "c"));
    }

    #[test]
    fn system_schemas_are_never_selected() {
        assert!(!selects("*", "mysql"));
        assert!(!selects("*", "information_schema"));
        assert!(selects("*", "app"));
    }

    #[test]
    fn an_empty_selection_is_a_usage_error() {
        assert!(Selection::parse(" , ").is_err());
    }

    #[test]
    fn long_lists_of_names_are_abbreviated() {
        let names = ["a", "b", "c", "d", "e", "f", "g"];
        assert_eq!(abbreviate(&names), "a, b, c, d, e, … and 2 more");
    }
}
