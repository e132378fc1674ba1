//! The report every renderer reads: DESIGN.md §4 (JSON report, version 1).

use driftwatch_diff::{Finding, Severity};
use driftwatch_model::Source;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Clean,
    Drift,
    /// Could not validate (completely): the verdict is not "clean".
    Error,
}

/// How the expected side was obtained (JSON `mode`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Mode {
    /// The schema read statically and normalized by driftwatch (the default).
    #[default]
    Static,
    /// The schema created on a scratch database (`--dev-url`) and read back
    /// through the same introspection as the target.
    DevDatabase,
}

impl Mode {
    pub fn name(self) -> &'static str {
        match self {
            Mode::Static => "static",
            Mode::DevDatabase => "dev-database",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Target {
    /// The vendor word of the JSON contract: `mysql`, `mariadb`, `tidb`, `vitess`.
    pub flavor: String,
    /// Which normalization applies: `mysql 5.7`, `mysql 8.0`, `mysql 8.4+`,
    /// `mariadb 10.11`, `tidb 7.5`, `vitess (planetscale)`, `aurora mysql 3.04 (mysql 8.0)`…
    pub flavor_label: String,
    pub server_version: String,
    /// `host:port`, never credentials.
    pub host: String,
    pub database: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct SchemaInfo {
    pub files: Vec<String>,
    pub tables: usize,
    /// Diagnostics of the constructs that could not be read exactly.
    pub incomplete: Vec<DiagnosticEntry>,
}

#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    pub tables_compared: usize,
    pub critical: usize,
    pub high: usize,
    pub medium: usize,
    pub low: usize,
}

impl Summary {
    pub fn count(&self, severity: Severity) -> usize {
        match severity {
            Severity::Critical => self.critical,
            Severity::High => self.high,
            Severity::Medium => self.medium,
            Severity::Low => self.low,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct DiagnosticEntry {
    pub level: String,
    pub message: String,
    pub file: Option<String>,
    pub line: Option<u32>,
    pub column: Option<u32>,
}

/// How one table compared (the text report's comparison section).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TableStatus {
    InSync,
    Drifted,
    MissingInDb,
    ExtraInDb,
    /// Could not be read exactly, so it was not compared.
    NotCompared,
}

impl TableStatus {
    pub fn label(self) -> &'static str {
        match self {
            TableStatus::InSync => "in sync",
            TableStatus::Drifted => "drifted",
            TableStatus::MissingInDb => "missing in database",
            TableStatus::ExtraInDb => "extra in database",
            TableStatus::NotCompared => "not compared",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct TableRow {
    pub name: String,
    pub status: TableStatus,
    /// Where the schema declares the table.
    pub source: Option<Source>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub version: u32,
    pub status: Status,
    /// How the expected side was obtained; see [`Report::with_dev_database`].
    pub mode: Mode,
    pub target: Target,
    pub schema: SchemaInfo,
    pub summary: Summary,
    pub drifts: Vec<Finding>,
    pub diagnostics: Vec<DiagnosticEntry>,
    /// Per-table outcome, for the text comparison section (not part of the JSON contract).
    #[serde(skip)]
    pub tables: Vec<TableRow>,
    /// Tables skipped on purpose (migrations table, filters), for the verbose view.
    #[serde(skip)]
    pub ignored_tables: Vec<String>,
    /// In dev-database mode, `database on host:port` of the scratch database
    /// (no credentials), for the text header.
    #[serde(skip)]
    pub dev_database: Option<String>,
}

impl Report {
    /// Builds the summary and per-table statuses from the findings.
    /// `expected_tables` and `actual_tables` are the compared tables (after
    /// filters); `not_compared` are the tables that could not be read exactly.
    pub fn new(
        target: Target,
        schema: SchemaInfo,
        findings: Vec<Finding>,
        diagnostics: Vec<DiagnosticEntry>,
        table_names: TableNames,
    ) -> Report {
        let mut summary = Summary::default();
        for finding in &findings {
            match finding.severity {
                Severity::Critical => summary.critical += 1,
                Severity::High => summary.high += 1,
                Severity::Medium => summary.medium += 1,
                Severity::Low => summary.low += 1,
            }
        }
        let mut names: Vec<&String> = table_names
            .expected
            .iter()
            .chain(&table_names.actual)
            .chain(&table_names.not_compared)
            .collect();
        names.sort();
        names.dedup();
        let tables: Vec<TableRow> = names
            .into_iter()
            .map(|name| {
                let status = if table_names.not_compared.contains(name) {
                    TableStatus::NotCompared
                } else if !table_names.actual.contains(name) {
                    TableStatus::MissingInDb
                } else if !table_names.expected.contains(name) {
                    TableStatus::ExtraInDb
                } else if findings.iter().any(|f| &f.table == name) {
                    TableStatus::Drifted
                } else {
                    TableStatus::InSync
                };
                TableRow {
                    name: name.clone(),
                    status,
                    source: table_names.sources.get(name.as_str()).cloned(),
                }
            })
            .collect();
        summary.tables_compared = tables
            .iter()
            .filter(|t| t.status != TableStatus::NotCompared)
            .count();
        let status =
            if !schema.incomplete.is_empty() || diagnostics.iter().any(|d| d.level == "error") {
                Status::Error
            } else if findings.is_empty() {
                Status::Clean
            } else {
                Status::Drift
            };
        Report {
            version: 1,
            status,
            mode: Mode::Static,
            target,
            schema,
            summary,
            drifts: findings,
            diagnostics,
            tables,
            ignored_tables: table_names.ignored,
            dev_database: None,
        }
    }

    /// Marks the report as compared in dev-database mode: the expected side
    /// was created on `location` (`database on host:port`) and read back.
    pub fn with_dev_database(mut self, location: String) -> Report {
        self.mode = Mode::DevDatabase;
        self.dev_database = Some(location);
        self
    }

    /// Tables listed but not compared (could not be read exactly).
    pub fn tables_not_compared(&self) -> usize {
        self.tables
            .iter()
            .filter(|t| t.status == TableStatus::NotCompared)
            .count()
    }

    /// Schema constructs and database objects that could not be read exactly.
    pub fn not_read_exactly(&self) -> usize {
        self.schema.incomplete.len()
            + self
                .diagnostics
                .iter()
                .filter(|d| d.level == "error")
                .count()
    }

    /// True when some finding is at or above `threshold`.
    pub fn fails_at(&self, threshold: Option<Severity>) -> bool {
        threshold.is_some_and(|t| self.drifts.iter().any(|f| f.severity >= t))
    }
}

/// Table names known to the comparison.
#[derive(Debug, Clone, Default)]
pub struct TableNames {
    /// Where the schema declares each table.
    pub sources: std::collections::BTreeMap<String, Source>,
    pub expected: Vec<String>,
    pub actual: Vec<String>,
    pub not_compared: Vec<String>,
    pub ignored: Vec<String>,
}

/// `1 critical, 2 medium` (most severe first), or `—` for none: the
/// per-table drift counts of the markdown and HTML comparison tables.
pub(crate) fn count_by_severity(findings: &[&Finding]) -> String {
    let counts: Vec<String> = Severity::ALL_DESCENDING
        .iter()
        .filter_map(|s| {
            let n = findings.iter().filter(|f| f.severity == *s).count();
            (n > 0).then(|| format!("{n} {s}"))
        })
        .collect();
    if counts.is_empty() {
        "—".to_string()
    } else {
        counts.join(", ")
    }
}
