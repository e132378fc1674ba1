//! `driftwatch monitor run|status|ack` (DESIGN.md §3, §5): every environment
//! of driftwatch.toml checked with the comparison behind `validate`, its
//! findings turned into incidents (crates/monitor), SLA and escalation
//! applied, everything kept in the state store. JSON: docs/monitor-json.md.
//!
//! State: `[state] url`, SQLite (default), MySQL/MariaDB or PostgreSQL.
//!
//! Exit codes of `monitor run`: 0 every selected environment was checked and
//! no open incident is at or above `--fail-on`; 1 an open incident at or
//! above it, or some (not all) environments failed or were incomplete;
//! 2 bad usage or config, an unusable state store, or every environment failed.

use std::path::{Path, PathBuf};

use clap::{Args, Subcommand};
use driftwatch_diff::Severity;
use driftwatch_monitor::notify::{IssueMode, WebhookFormat, marker_id};
use driftwatch_monitor::{
    CheckStatus, Counts, EnvironmentRun, Event, Finish, Incident, LastCheck, MysqlStore,
    Observation, Policy, PostgresStore, PostgresUrl, RunRecord, Store, StoreError, Timestamp,
    due_at, duration::human, reconcile,
};
use driftwatch_report::MarkdownOptions;
use driftwatch_report::markdown::render_with;
use futures_util::StreamExt as _;
use serde_json::{Value, json};

use crate::args::{ConnectionArgs, FailOn, GlobalArgs, SchemaArgs, StatusFormat};
use crate::error::CliError;
use crate::project::Project;
use crate::settings::{DEFAULT_STATE_URL, Settings, expand_vars};
use crate::validate::{CompareArgs, Outcome, compare, write_output};

/// Environments checked at once.
const CONCURRENCY: usize = 4;

/// Test hook: when set, `monitor run` aborts the process after writing and
/// before `COMMIT` (a run killed mid-way; crates/cli/tests/monitor.rs).
const ABORT_BEFORE_COMMIT: &str = "DRIFTWATCH_TEST_ABORT_BEFORE_COMMIT";

#[derive(Debug, Args)]
#[command(after_help = MONITOR_EXAMPLES)]
pub struct MonitorArgs {
    #[command(subcommand)]
    pub command: MonitorCommand,
}

const MONITOR_EXAMPLES: &str = "Examples:
  driftwatch monitor run                                  # every [environments.NAME], nightly (cron 0 2 * * *)
  driftwatch monitor run --env production --fail-on high
  driftwatch monitor run --dry-run                        # decide and print the GitHub/webhook requests, record nothing
  driftwatch monitor run --now 2026-11-27T02:00:00Z       # replay with a fixed clock
  driftwatch monitor status                               # open incidents: age, SLA left or overdue, level, issue
  driftwatch monitor status --format json
  driftwatch monitor ack 12 --by alice";

#[derive(Debug, Subcommand)]
pub enum MonitorCommand {
    /// Check every environment of driftwatch.toml, open, update, escalate and
    /// resolve incidents, and record the run in the state store ([state] url).
    ///
    /// Exit codes: 0 no open incident at or above --fail-on; 1 one at or above
    /// it, or some environments could not be checked (or only incompletely);
    /// 2 bad usage or config, state store unusable, or no environment could be checked.
    #[command(after_help = MONITOR_EXAMPLES)]
    Run(MonitorRunArgs),
    /// Open incidents per environment: severity, age, SLA remaining or
    /// overdue, escalation level and issue link.
    #[command(after_help = MONITOR_EXAMPLES)]
    Status(MonitorStatusArgs),
    /// Record who acknowledged an open incident (escalation continues until it is resolved).
    #[command(after_help = MONITOR_EXAMPLES)]
    Ack(MonitorAckArgs),
}

#[derive(Debug, Args)]
pub struct MonitorRunArgs {
    /// The clock of this run (RFC 3339, e.g. 2026-11-26T02:00:00Z) [default: now]
    #[arg(long, value_name = "RFC3339")]
    pub now: Option<String>,
    /// Check only this environment ([environments.NAME]); repeatable [default: all]
    #[arg(long = "env", value_name = "NAME")]
    pub environments: Vec<String>,
    #[command(flatten)]
    pub schema: SchemaArgs,
    /// Output format (the JSON is documented in docs/monitor-json.md)
    #[arg(long, value_enum, default_value_t = StatusFormat::Text)]
    pub format: StatusFormat,
    /// Lowest severity of an open incident that makes the run fail (exit 1)
    #[arg(long, value_enum, default_value_t = FailOn::Low)]
    pub fail_on: FailOn,
    /// Check and decide everything, print it, record nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Write the output to this file instead of stdout
    #[arg(long, value_name = "PATH")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct MonitorStatusArgs {
    /// The clock ages and SLAs are measured against (RFC 3339) [default: now]
    #[arg(long, value_name = "RFC3339")]
    pub now: Option<String>,
    /// Only this environment; repeatable [default: all]
    #[arg(long = "env", value_name = "NAME")]
    pub environments: Vec<String>,
    /// Output format (the JSON is documented in docs/monitor-json.md)
    #[arg(long, value_enum, default_value_t = StatusFormat::Text)]
    pub format: StatusFormat,
}

#[derive(Debug, Args)]
pub struct MonitorAckArgs {
    /// Incident id (`#N` in `monitor status`)
    #[arg(value_name = "INCIDENT")]
    pub incident: String,
    /// Who takes it
    #[arg(long, value_name = "NAME")]
    pub by: String,
    /// The clock of the acknowledgement (RFC 3339) [default: now]
    #[arg(long, value_name = "RFC3339")]
    pub now: Option<String>,
}

pub async fn monitor(
    global: &GlobalArgs,
    args: &MonitorArgs,
    color: bool,
) -> Result<Outcome, CliError> {
    match &args.command {
        MonitorCommand::Run(run_args) => run(global, run_args, color).await,
        MonitorCommand::Status(status_args) => status(global, status_args).await,
        MonitorCommand::Ack(ack_args) => ack(global, ack_args).await,
    }
}

/// What every monitor command needs: driftwatch.toml, policy, store path.
struct Context {
    settings_path: PathBuf,
    settings: Settings,
    policy: Policy,
    store: StoreLocation,
    /// `[notify.*]` resolved (`${VAR}` expanded, token read): an error only
    /// `monitor run` reports.
    notifiers: Result<Notifiers, CliError>,
}

/// `[notify.github]` and `[notify.webhook]`, resolved.
#[derive(Default)]
struct Notifiers {
    github: Option<crate::notify::Github>,
    webhook: Option<crate::notify::Webhook>,
}

fn notifiers(
    project: &Project,
    settings_path: &Path,
    settings: &Settings,
) -> Result<Notifiers, CliError> {
    let lookup = |var: &str| project.env.get(var).map(str::to_string);
    let github = match &settings.notify.github {
        None => None,
        Some(g) => {
            let token_env = g
                .token_env
                .clone()
                .unwrap_or_else(|| "GITHUB_TOKEN".to_string());
            let api_url = expand_vars(
                g.api_url.as_deref().unwrap_or("https://api.github.com"),
                lookup,
                settings_path,
            )?;
            Some(crate::notify::Github {
                repo: expand_vars(&g.repo, lookup, settings_path)?,
                api_url,
                label: g
                    .label
                    .clone()
                    .unwrap_or_else(|| "schema-drift".to_string()),
                mode: g
                    .mode
                    .as_deref()
                    .and_then(IssueMode::parse)
                    .unwrap_or_default(),
                token: lookup(&token_env).filter(|t| !t.is_empty()),
                token_env,
                max_wait: std::time::Duration::from_secs(
                    g.max_wait
                        .as_deref()
                        .and_then(|w| driftwatch_monitor::Span::parse(w).ok())
                        .map_or(600, |span| span.seconds().unsigned_abs()),
                ),
            })
        }
    };
    let webhook = match &settings.notify.webhook {
        None => None,
        Some(w) => Some(crate::notify::Webhook {
            url: expand_vars(&w.url, lookup, settings_path)?,
            format: w
                .format
                .as_deref()
                .and_then(WebhookFormat::parse)
                .unwrap_or(WebhookFormat::Slack),
        }),
    };
    Ok(Notifiers { github, webhook })
}

/// Where `[state] url` keeps the incidents.
enum StoreLocation {
    Sqlite(PathBuf),
    Mysql(driftwatch_mysql::DatabaseUrl),
    Postgres(PostgresUrl),
}

/// The open state store, SQLite, MySQL or PostgreSQL (same contract).
enum StateStore {
    Sqlite(Store),
    Mysql(Box<MysqlStore>),
    Postgres(Box<PostgresStore>),
}

impl StateStore {
    async fn open(location: &StoreLocation) -> Result<StateStore, StoreError> {
        Ok(match location {
            StoreLocation::Sqlite(path) => StateStore::Sqlite(Store::open(path)?),
            StoreLocation::Mysql(url) => StateStore::Mysql(Box::new(MysqlStore::open(url).await?)),
            StoreLocation::Postgres(url) => {
                StateStore::Postgres(Box::new(PostgresStore::open(url).await?))
            }
        })
    }

    async fn record_run<E>(
        &mut self,
        decide: impl FnOnce(&[Incident]) -> Result<RunRecord, E>,
        finish: Finish,
        before_commit: impl FnOnce() -> Result<(), String>,
    ) -> Result<Result<RunRecord, E>, StoreError> {
        match self {
            StateStore::Sqlite(store) => store.record_run(decide, finish, before_commit),
            StateStore::Mysql(store) => store.record_run(decide, finish, before_commit).await,
            StateStore::Postgres(store) => store.record_run(decide, finish, before_commit).await,
        }
    }

    async fn open_incidents(&mut self) -> Result<Vec<Incident>, StoreError> {
        match self {
            StateStore::Sqlite(store) => store.open_incidents(None),
            StateStore::Mysql(store) => store.open_incidents(None).await,
            StateStore::Postgres(store) => store.open_incidents(None).await,
        }
    }

    async fn last_checks(&mut self) -> Result<Vec<LastCheck>, StoreError> {
        match self {
            StateStore::Sqlite(store) => store.last_checks(),
            StateStore::Mysql(store) => store.last_checks().await,
            StateStore::Postgres(store) => store.last_checks().await,
        }
    }

    async fn acknowledge(
        &mut self,
        id: i64,
        by: &str,
        now: Timestamp,
    ) -> Result<Incident, StoreError> {
        match self {
            StateStore::Sqlite(store) => store.acknowledge(id, by, now),
            StateStore::Mysql(store) => store.acknowledge(id, by, now).await,
            StateStore::Postgres(store) => store.acknowledge(id, by, now).await,
        }
    }

    async fn set_issue_ref(&mut self, id: i64, issue_ref: &str) -> Result<(), StoreError> {
        match self {
            StateStore::Sqlite(store) => store.set_issue_ref(id, issue_ref),
            StateStore::Mysql(store) => store.set_issue_ref(id, issue_ref).await,
            StateStore::Postgres(store) => store.set_issue_ref(id, issue_ref).await,
        }
    }

    async fn close(self) {
        match self {
            StateStore::Sqlite(_) => {}
            StateStore::Mysql(store) => store.close().await,
            StateStore::Postgres(store) => store.close().await,
        }
    }
}

impl Context {
    fn load(global: &GlobalArgs) -> Result<Context, CliError> {
        let mut project = Project::load(global)?;
        let Some((settings_path, settings)) = project.settings.take() else {
            return Err(CliError::Config {
                path: global
                    .config
                    .clone()
                    .unwrap_or_else(|| PathBuf::from("driftwatch.toml")),
                message: "driftwatch monitor needs a driftwatch.toml with [environments.NAME] (none found; pass --config PATH)"
                    .to_string(),
            });
        };
        let policy = Policy {
            sla: settings.sla(&settings_path)?,
            path: settings.escalation_path(),
        };
        let store = store_location(&project, &settings_path, &settings)?;
        let notifiers = notifiers(&project, &settings_path, &settings);
        Ok(Context {
            settings_path,
            settings,
            policy,
            store,
            notifiers,
        })
    }

    /// The selected environments (all when none is named), checked.
    fn environments(&self, selected: &[String]) -> Result<Vec<String>, CliError> {
        let defined: Vec<String> = self.settings.environments.keys().cloned().collect();
        if defined.is_empty() {
            return Err(CliError::Config {
                path: self.settings_path.clone(),
                message: "no [environments.NAME] to monitor".to_string(),
            });
        }
        if selected.is_empty() {
            return Ok(defined);
        }
        for name in selected {
            if !defined.contains(name) {
                return Err(CliError::UnknownEnvironment {
                    name: name.clone(),
                    path: self.settings_path.clone(),
                    defined: defined.join(", "),
                });
            }
        }
        let mut names = selected.to_vec();
        names.sort();
        names.dedup();
        Ok(names)
    }

    async fn open_store(&self) -> Result<StateStore, CliError> {
        StateStore::open(&self.store)
            .await
            .map_err(|e| self.store_error(e))
    }

    fn store_error(&self, e: StoreError) -> CliError {
        CliError::Config {
            path: self.settings_path.clone(),
            message: format!("[state] {e}"),
        }
    }
}

/// `[state] url` → a SQLite file (relative to driftwatch.toml's folder) or
/// a MySQL/MariaDB or PostgreSQL database.
fn store_location(
    project: &Project,
    settings_path: &Path,
    settings: &Settings,
) -> Result<StoreLocation, CliError> {
    let raw = settings.state.url.as_deref().unwrap_or(DEFAULT_STATE_URL);
    let url = expand_vars(
        raw,
        |var| project.env.get(var).map(str::to_string),
        settings_path,
    )?;
    let config_error = |message: String| CliError::Config {
        path: settings_path.to_path_buf(),
        message,
    };
    if url.starts_with("mysql://") || url.starts_with("mariadb://") {
        return driftwatch_mysql::DatabaseUrl::parse(&url)
            .map(StoreLocation::Mysql)
            .map_err(|e| config_error(format!("[state] url: {e}")));
    }
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        return PostgresUrl::parse(&url)
            .map(StoreLocation::Postgres)
            .map_err(|e| config_error(format!("[state] url: {e}")));
    }
    let Some(file) = url.strip_prefix("sqlite://") else {
        let scheme = url.split("://").next().unwrap_or_default();
        return Err(config_error(format!(
            "[state] url: a {scheme}:// state store is not supported; use sqlite://PATH (default {DEFAULT_STATE_URL}), \
             mysql://user:pass@host:port/db or postgres://user:pass@host:port/db"
        )));
    };
    if file.is_empty() {
        return Err(config_error(
            "[state] url: sqlite:// needs a file path".to_string(),
        ));
    }
    let file = Path::new(file);
    if file.is_absolute() {
        return Ok(StoreLocation::Sqlite(file.to_path_buf()));
    }
    let base = settings_path.parent().unwrap_or(Path::new("."));
    Ok(StoreLocation::Sqlite(base.join(file)))
}

fn clock(now: Option<&str>) -> Result<Timestamp, CliError> {
    match now {
        // Whole seconds: what the store and the JSON show.
        None => Ok(Timestamp::from_second(Timestamp::now().as_second())
            .unwrap_or_else(|_| Timestamp::now())),
        Some(text) => text.parse::<Timestamp>().map_err(|e| {
            CliError::Schema(format!(
                "--now `{text}`: not an RFC 3339 time with offset (e.g. 2026-11-26T02:00:00Z): {e}"
            ))
        }),
    }
}

/// One environment's check, before it meets the store.
struct Check {
    environment: String,
    status: CheckStatus,
    error: Option<String>,
    counts: Counts,
    findings: Vec<Observation>,
    /// The comparison's report (issue bodies); None when the check failed.
    report: Option<driftwatch_report::Report>,
}

/// What one check compares: an environment, or one database of a fleet
/// environment (`databases = "tenant_*"`), checked as `NAME/database`.
struct Target {
    /// The name incidents and issues are kept under.
    name: String,
    environment: String,
    database: Option<String>,
    /// Listing the fleet's databases failed: the check fails with this.
    failed: Option<String>,
}

/// The selected environments, fleets expanded into their databases.
async fn targets(global: &GlobalArgs, context: &Context, environments: Vec<String>) -> Vec<Target> {
    let mut targets = Vec::new();
    for environment in environments {
        let fleet = context
            .settings
            .environments
            .get(&environment)
            .and_then(|e| e.databases.clone());
        let Some(fleet) = fleet else {
            targets.push(Target {
                name: environment.clone(),
                environment,
                database: None,
                failed: None,
            });
            continue;
        };
        match fleet_databases(global, &environment, &fleet).await {
            Ok(databases) => targets.extend(databases.into_iter().map(|database| Target {
                name: format!("{environment}/{database}"),
                environment: environment.clone(),
                database: Some(database),
                failed: None,
            })),
            Err(e) => targets.push(Target {
                name: environment.clone(),
                environment,
                database: None,
                failed: Some(format!("listing the databases `{fleet}`: {e}")),
            }),
        }
    }
    targets
}

async fn fleet_databases(
    global: &GlobalArgs,
    environment: &str,
    fleet: &str,
) -> Result<Vec<String>, CliError> {
    let selection = crate::fleet::Selection::parse(fleet)?;
    let project = Project::load(global)?;
    let url = project.database_url(&ConnectionArgs {
        url: None,
        environment: Some(environment.to_string()),
    })?;
    let all = driftwatch_mysql::list_databases(&url)
        .await
        .map_err(|e| CliError::Database(e.to_string()))?;
    let databases: Vec<String> = all.into_iter().filter(|d| selection.matches(d)).collect();
    if databases.is_empty() {
        return Err(CliError::Usage(format!(
            "no database on {} matches",
            url.host_port()
        )));
    }
    Ok(databases)
}

async fn check(global: &GlobalArgs, schema: &SchemaArgs, target: Target, color: bool) -> Check {
    let environment = target.name;
    if let Some(error) = target.failed {
        return Check {
            environment,
            status: CheckStatus::Failed,
            error: Some(error),
            counts: Counts::default(),
            findings: Vec::new(),
            report: None,
        };
    }
    let connection = ConnectionArgs {
        url: None,
        environment: Some(target.environment),
    };
    let args = CompareArgs {
        connection: &connection,
        schema,
        dev_url: None,
        progress: &crate::progress::Progress::hidden(),
        database: target.database.as_deref(),
    };
    match compare(global, args, color).await {
        Err(e) => Check {
            environment,
            status: CheckStatus::Failed,
            error: Some(e.to_string()),
            counts: Counts::default(),
            findings: Vec::new(),
            report: None,
        },
        Ok(comparison) => {
            let report = comparison.report;
            let status = match report.status {
                driftwatch_report::Status::Clean => CheckStatus::Ok,
                driftwatch_report::Status::Drift => CheckStatus::Drift,
                driftwatch_report::Status::Error => CheckStatus::Incomplete,
            };
            let counts = Counts {
                critical: report.summary.critical,
                high: report.summary.high,
                medium: report.summary.medium,
                low: report.summary.low,
            };
            let findings = report
                .drifts
                .iter()
                .map(|f| Observation {
                    drift_id: f.id.clone(),
                    kind: f.kind.name().to_string(),
                    table: f.table.clone(),
                    object: f.object.clone(),
                    severity: f.severity,
                })
                .collect();
            Check {
                environment,
                status,
                error: None,
                counts,
                findings,
                report: Some(report),
            }
        }
    }
}

pub async fn run(
    global: &GlobalArgs,
    args: &MonitorRunArgs,
    color: bool,
) -> Result<Outcome, CliError> {
    let mut context = Context::load(global)?;
    let environments = context.environments(&args.environments)?;
    let now = clock(args.now.as_deref())?;
    let notifiers = std::mem::replace(&mut context.notifiers, Ok(Notifiers::default()))?;
    // Open (and migrate) the store first: a broken [state] fails before any connection.
    let mut store = context.open_store().await?;
    let targets = targets(global, &context, environments).await;
    let progress = crate::progress::Progress::steps(
        crate::progress::wanted(args.format == StatusFormat::Text),
        targets.len() as u64,
        "checking environments",
    );
    let mut checks: Vec<Check> = futures_util::stream::iter(targets)
        .map(|target| check(global, &args.schema, target, color))
        .buffer_unordered(CONCURRENCY)
        .inspect(|check| {
            progress.message(&format!("checked {}", check.environment));
            progress.step();
        })
        .collect()
        .await;
    drop(progress);
    checks.sort_by(|a, b| a.environment.cmp(&b.environment));
    let finished = if args.now.is_some() {
        now
    } else {
        Timestamp::now()
    };
    let threshold = args.fail_on.threshold();
    let policy = &context.policy;
    let decide = |open: &[Incident]| -> Result<RunRecord, CliError> {
        let environments: Vec<EnvironmentRun> = checks
            .iter()
            .map(|check| {
                let changes = match check.status {
                    CheckStatus::Failed => Default::default(),
                    status => reconcile(
                        open,
                        &check.findings,
                        &check.environment,
                        now,
                        status != CheckStatus::Incomplete,
                        policy,
                    ),
                };
                EnvironmentRun {
                    environment: check.environment.clone(),
                    status: check.status,
                    error: check.error.clone(),
                    counts: check.counts,
                    changes,
                }
            })
            .collect();
        let exit_code = exit_code(&environments, threshold);
        Ok(RunRecord {
            id: 0,
            started_at: now,
            finished_at: finished,
            exit_code,
            environments,
        })
    };
    let finish = if args.dry_run {
        Finish::Rollback
    } else {
        Finish::Commit
    };
    let before_commit = || {
        if std::env::var_os(ABORT_BEFORE_COMMIT).is_some() {
            std::process::abort();
        }
        Ok(())
    };
    let record = store.record_run(decide, finish, before_commit).await;
    let record = match record {
        Ok(Ok(record)) => record,
        Ok(Err(e)) => {
            store.close().await;
            return Err(e);
        }
        Err(e) => {
            store.close().await;
            return Err(context.store_error(e));
        }
    };
    let notify_failed = notify(
        &notifiers,
        &checks,
        &record,
        policy,
        args.dry_run,
        &mut store,
    )
    .await;
    store.close().await;
    let mut record = record;
    if notify_failed {
        record.exit_code = record.exit_code.max(1);
    }
    let text = match args.format {
        StatusFormat::Text => run_text(&record, policy, args.dry_run),
        StatusFormat::Json => {
            let mut text = serde_json::to_string_pretty(&run_json(&record, policy, args.dry_run))
                .unwrap_or_default();
            text.push('\n');
            text
        }
    };
    write_output(args.output.as_ref(), &text)?;
    Ok(Outcome {
        exit_code: record.exit_code,
    })
}

/// Runs the notifiers (docs/notifications.md) on a blocking thread, then
/// links the incidents to their issues in the store (not with `--dry-run`).
/// True when a notifier failed (its error is printed; the state is kept).
async fn notify(
    notifiers: &Notifiers,
    checks: &[Check],
    record: &RunRecord,
    policy: &Policy,
    dry_run: bool,
    store: &mut StateStore,
) -> bool {
    if notifiers.github.is_none() && notifiers.webhook.is_none() {
        return false;
    }
    let mode = notifiers
        .github
        .as_ref()
        .map(|g| g.mode)
        .unwrap_or_default();
    let notices: Vec<crate::notify::EnvironmentNotice> = record
        .environments
        .iter()
        .map(|env| {
            let report = checks
                .iter()
                .find(|c| c.environment == env.environment)
                .and_then(|c| c.report.as_ref());
            let options = |marker: String| MarkdownOptions {
                marker: Some(marker),
                ..MarkdownOptions::default()
            };
            let body = report.map(|r| render_with(r, &options(marker_id(&env.environment, None))));
            let incident_bodies = match (report, mode) {
                (Some(report), IssueMode::PerIncident) => env
                    .changes
                    .updates
                    .iter()
                    .map(|u| {
                        let id = &u.incident.drift_id;
                        let one = only_drift(report, id);
                        (
                            id.clone(),
                            render_with(&one, &options(marker_id(&env.environment, Some(id)))),
                        )
                    })
                    .collect(),
                _ => Vec::new(),
            };
            crate::notify::EnvironmentNotice {
                name: env.environment.clone(),
                status: env.status.name().to_string(),
                error: env.error.clone(),
                updates: env.changes.updates.clone(),
                body,
                incident_bodies,
            }
        })
        .collect();
    let run_id = (!dry_run).then_some(record.id);
    let started_at = record.started_at.to_string();
    let outcome = crate::notify::notify(
        notifiers.github.as_ref(),
        notifiers.webhook.as_ref(),
        &notices,
        &policy.path,
        run_id,
        &started_at,
        dry_run,
    )
    .await;
    let mut failed = false;
    for error in &outcome.errors {
        eprintln!("driftwatch monitor: notify: {error}");
        failed = true;
    }
    if !dry_run {
        for (id, link) in &outcome.links {
            if let Err(e) = store.set_issue_ref(*id, link).await {
                eprintln!("driftwatch monitor: notify: linking incident #{id} to {link}: {e}");
                failed = true;
            }
        }
    }
    failed
}

/// The report narrowed to one drift (a per-incident issue body).
fn only_drift(report: &driftwatch_report::Report, drift_id: &str) -> driftwatch_report::Report {
    let mut one = report.clone();
    one.drifts.retain(|f| f.id == drift_id);
    // The comparison section lists only that drift's table (the environment's
    // other drifted tables have their own issues).
    let drifts = &one.drifts;
    one.tables
        .retain(|t| drifts.iter().any(|f| f.table == t.name));
    let mut summary = one.summary.clone();
    summary.critical = 0;
    summary.high = 0;
    summary.medium = 0;
    summary.low = 0;
    for f in &one.drifts {
        match f.severity {
            Severity::Critical => summary.critical += 1,
            Severity::High => summary.high += 1,
            Severity::Medium => summary.medium += 1,
            Severity::Low => summary.low += 1,
        }
    }
    one.summary = summary;
    one
}

/// 2 when no environment could be checked; 1 when an open incident is at or
/// above the threshold, or some environment failed or was incomplete; else 0.
fn exit_code(environments: &[EnvironmentRun], threshold: Option<Severity>) -> i32 {
    if environments.iter().all(|e| e.status == CheckStatus::Failed) {
        return 2;
    }
    let failing = |s: Severity| threshold.is_some_and(|t| s >= t);
    let drift = environments
        .iter()
        .any(|e| e.changes.open().any(|i| failing(i.severity)));
    let partial = environments
        .iter()
        .any(|e| matches!(e.status, CheckStatus::Failed | CheckStatus::Incomplete));
    if drift || partial { 1 } else { 0 }
}

fn run_text(record: &RunRecord, policy: &Policy, dry_run: bool) -> String {
    let mut out = String::new();
    let run = if dry_run {
        "dry run: nothing recorded".to_string()
    } else {
        format!("run {}", record.id)
    };
    out.push_str(&format!(
        "driftwatch monitor, {} ({run})\n\n",
        record.started_at
    ));
    let width = record
        .environments
        .iter()
        .map(|e| e.environment.len())
        .max()
        .unwrap_or(0);
    for env in &record.environments {
        let detail = match env.status {
            CheckStatus::Failed => format!(
                "check failed: {}",
                env.error.as_deref().unwrap_or("unknown error")
            ),
            CheckStatus::Ok => "No schema drift detected".to_string(),
            status => {
                let c = env.counts;
                let mut parts = Vec::new();
                for (n, name) in [
                    (c.critical, "critical"),
                    (c.high, "high"),
                    (c.medium, "medium"),
                    (c.low, "low"),
                ] {
                    if n > 0 {
                        parts.push(format!("{n} {name}"));
                    }
                }
                let prefix = if status == CheckStatus::Incomplete {
                    "incomplete (some tables not compared; nothing resolved), "
                } else {
                    ""
                };
                format!(
                    "{prefix}{}",
                    if parts.is_empty() {
                        "no drift among compared tables".to_string()
                    } else {
                        parts.join(", ")
                    }
                )
            }
        };
        let changes = &env.changes;
        let tally = if env.status == CheckStatus::Failed {
            String::new()
        } else {
            format!(
                " · opened {}, updated {}, escalated {}, resolved {} · {} open",
                changes.count("opened"),
                changes.count("severity_changed"),
                changes.count("escalated"),
                changes.count("resolved"),
                changes.open().count()
            )
        };
        out.push_str(&format!(
            "  {:<width$}  {:<10}  {detail}{tally}\n",
            env.environment,
            env.status.name()
        ));
    }
    let mut lines = Vec::new();
    for env in &record.environments {
        for update in &env.changes.updates {
            let i = &update.incident;
            let what = format!(
                "{} {} {}{}",
                i.environment,
                i.kind,
                i.table,
                i.object
                    .as_deref()
                    .map(|o| format!(".{o}"))
                    .unwrap_or_default()
            );
            let id = if i.id == 0 {
                "new".to_string()
            } else {
                format!("#{}", i.id)
            };
            for event in &update.events {
                let line = match event {
                    Event::Opened => format!(
                        "  opened     {id:<5} {:<8} {what} → {}",
                        i.severity.name(),
                        policy.path.level(i.escalation_level).name
                    ),
                    Event::SeverityChanged { from, to } => {
                        format!(
                            "  updated    {id:<5} {:<8} {what}: severity {from} → {to}",
                            i.severity.name()
                        )
                    }
                    Event::Escalated { from, to } => format!(
                        "  escalated  {id:<5} {:<8} {what}: {} → {} (unresolved past its {} SLA)",
                        i.severity.name(),
                        policy.path.level(*from).name,
                        policy.path.level(*to).name,
                        policy.sla.of(i.severity)
                    ),
                    Event::Resolved => {
                        format!("  resolved   {id:<5} {:<8} {what}", i.severity.name())
                    }
                };
                lines.push(line);
            }
        }
    }
    if !lines.is_empty() {
        out.push_str("\nincidents:\n");
        for line in lines {
            out.push_str(&line);
            out.push('\n');
        }
    }
    out
}

/// One incident as the JSON of `monitor run` and `monitor status` shows it.
fn incident_json(incident: &Incident, now: Timestamp, policy: &Policy) -> Value {
    let due = due_at(incident.severity, &policy.sla, incident.sla_since);
    let level = policy.path.level(incident.escalation_level);
    json!({
        "id": incident.id,
        "environment": incident.environment,
        "drift_id": incident.drift_id,
        "kind": incident.kind,
        "table": incident.table,
        "object": incident.object,
        "severity": incident.severity,
        "severity_history": incident.severity_history,
        "first_seen": incident.first_seen,
        "last_seen": incident.last_seen,
        "age_seconds": now.as_second() - incident.first_seen.as_second(),
        "sla": policy.sla.of(incident.severity).to_string(),
        "sla_due_at": due,
        "sla_remaining_seconds": due.as_second() - now.as_second(),
        "overdue": incident.is_open() && now >= due,
        "escalation": {
            "level": incident.escalation_level,
            "name": level.name,
            "github": level.github,
            // Critical: the on-call level notified too (null when none).
            "also_notified": policy.path.also_notified(incident.severity, incident.escalation_level)
                .map(|l| json!({ "name": l.name, "github": l.github })),
        },
        "acknowledged_by": incident.acknowledged_by,
        "acknowledged_at": incident.acknowledged_at,
        "resolved_at": incident.resolved_at,
        "issue": incident.issue_ref,
    })
}

fn run_json(record: &RunRecord, policy: &Policy, dry_run: bool) -> Value {
    let environments: Vec<Value> = record
        .environments
        .iter()
        .map(|e| {
            json!({
                "name": e.environment,
                "status": e.status,
                "error": e.error,
                "summary": e.counts,
                "opened": e.changes.count("opened"),
                "updated": e.changes.count("severity_changed"),
                "escalated": e.changes.count("escalated"),
                "resolved": e.changes.count("resolved"),
                "open": e.changes.open().count(),
            })
        })
        .collect();
    let incidents: Vec<Value> = record
        .environments
        .iter()
        .flat_map(|e| &e.changes.updates)
        .map(|u| {
            let mut value = incident_json(&u.incident, record.started_at, policy);
            value["events"] = json!(u.events);
            value
        })
        .collect();
    json!({
        "version": 1,
        "run": {
            "id": if dry_run { Value::Null } else { json!(record.id) },
            "started_at": record.started_at,
            "finished_at": record.finished_at,
            "dry_run": dry_run,
        },
        "exit_code": record.exit_code,
        "environments": environments,
        "incidents": incidents,
    })
}

async fn status(global: &GlobalArgs, args: &MonitorStatusArgs) -> Result<Outcome, CliError> {
    let context = Context::load(global)?;
    let environments = context.environments(&args.environments)?;
    let now = clock(args.now.as_deref())?;
    let mut store = context.open_store().await?;
    let incidents = store.open_incidents().await;
    let checks = store.last_checks().await;
    store.close().await;
    let incidents: Vec<Incident> = incidents
        .map_err(|e| context.store_error(e))?
        .into_iter()
        .filter(|i| environments.contains(&i.environment))
        .collect();
    let checks: Vec<LastCheck> = checks
        .map_err(|e| context.store_error(e))?
        .into_iter()
        .filter(|c| environments.contains(&c.environment))
        .collect();
    let policy = &context.policy;
    let text = match args.format {
        StatusFormat::Json => {
            let value = json!({
                "version": 1,
                "now": now,
                "environments": environments.iter().map(|name| {
                    let last = checks.iter().find(|c| &c.environment == name);
                    json!({
                        "name": name,
                        "open": incidents.iter().filter(|i| &i.environment == name).count(),
                        "last_check": last.map(|c| json!({
                            "run_id": c.run_id, "at": c.at, "status": c.status, "error": c.error,
                        })),
                    })
                }).collect::<Vec<_>>(),
                "incidents": incidents.iter().map(|i| incident_json(i, now, policy)).collect::<Vec<_>>(),
            });
            format!(
                "{}\n",
                serde_json::to_string_pretty(&value).unwrap_or_default()
            )
        }
        StatusFormat::Text => status_text(&incidents, &checks, &environments, now, policy),
    };
    write_output(None, &text)?;
    Ok(Outcome { exit_code: 0 })
}

fn status_text(
    incidents: &[Incident],
    checks: &[LastCheck],
    environments: &[String],
    now: Timestamp,
    policy: &Policy,
) -> String {
    let mut out = if incidents.is_empty() {
        format!("No open incidents ({now})\n")
    } else {
        format!("Open incidents ({now})\n")
    };
    for env in environments {
        let mine: Vec<&Incident> = incidents.iter().filter(|i| &i.environment == env).collect();
        let last = match checks.iter().find(|c| &c.environment == env) {
            None => "never checked".to_string(),
            Some(c) => format!(
                "last check {} (run {}, {}){}",
                c.status,
                c.run_id,
                c.at,
                c.error
                    .as_deref()
                    .map(|e| format!(": {e}"))
                    .unwrap_or_default()
            ),
        };
        out.push_str(&format!("\n{env}: {} open · {last}\n", mine.len()));
        for i in mine {
            let due = due_at(i.severity, &policy.sla, i.sla_since);
            let remaining = due.as_second() - now.as_second();
            let sla = if remaining > 0 {
                format!("SLA {} left", human(remaining))
            } else {
                format!("overdue by {}", human(remaining))
            };
            let mut line = format!(
                "  #{:<4} {:<8} {} {}{}  age {}  {sla}  level {} {}",
                i.id,
                i.severity.name(),
                i.kind,
                i.table,
                i.object
                    .as_deref()
                    .map(|o| format!(".{o}"))
                    .unwrap_or_default(),
                human(now.as_second() - i.first_seen.as_second()),
                i.escalation_level,
                policy.path.level(i.escalation_level).name,
            );
            if let Some(also) = policy.path.also_notified(i.severity, i.escalation_level) {
                line.push_str(&format!(" + {}", also.name));
            }
            if let Some(by) = &i.acknowledged_by {
                line.push_str(&format!("  acked by {by}"));
            }
            if let Some(issue) = &i.issue_ref {
                line.push_str(&format!("  {issue}"));
            }
            out.push_str(&line);
            out.push('\n');
        }
    }
    out
}

async fn ack(global: &GlobalArgs, args: &MonitorAckArgs) -> Result<Outcome, CliError> {
    let context = Context::load(global)?;
    let now = clock(args.now.as_deref())?;
    let id: i64 = args.incident.trim_start_matches('#').parse().map_err(|_| {
        CliError::Schema(format!(
            "incident `{}`: expected its number (`#N` in monitor status)",
            args.incident
        ))
    })?;
    if args.by.trim().is_empty() {
        return Err(CliError::Schema(
            "--by: say who acknowledges the incident".to_string(),
        ));
    }
    let mut store = context.open_store().await?;
    let incident = store.acknowledge(id, args.by.trim(), now).await;
    store.close().await;
    let incident = incident.map_err(|e| CliError::Refused(e.to_string()))?;
    write_output(
        None,
        &format!(
            "Incident #{} ({} {} {}) acknowledged by {}; it keeps escalating until the drift is resolved\n",
            incident.id,
            incident.environment,
            incident.severity,
            incident.kind,
            args.by.trim()
        ),
    )?;
    Ok(Outcome { exit_code: 0 })
}
