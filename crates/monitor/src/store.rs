//! The state store: incidents, their history and every run, in an embedded
//! SQLite file (WAL). The only I/O of this crate.
//!
//! Every run is ONE `BEGIN IMMEDIATE` transaction: the open incidents are
//! read, reconciled and written under the write lock, so two overlapping
//! runs take turns and the second sees what the first wrote. A partial
//! unique index allows one open incident per (environment, drift id), so
//! even a bug cannot duplicate one. A run that dies before `COMMIT` leaves
//! the store as it was.
//!
//! The store's own tables are migrated with `PRAGMA user_version` (see
//! `MIGRATIONS`).

use std::path::Path;
use std::time::Duration;

use driftwatch_diff::Severity;
use jiff::Timestamp;
use rusqlite::{Connection, OptionalExtension, Row, TransactionBehavior, params};
use serde::Serialize;

use crate::incident::{Changes, Event, Incident, SeverityChange};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("state store {path}: {message}")]
    Backend { path: String, message: String },
    #[error("state store: incident {0} does not exist")]
    NoSuchIncident(i64),
    #[error("state store: incident {0} is resolved; only open incidents are acknowledged")]
    Resolved(i64),
    #[error("state store: run interrupted before commit ({0}); nothing was written")]
    Interrupted(String),
    #[error("state store: unreadable row: {0}")]
    Corrupt(String),
}

/// The store's own schema, one entry per version (`PRAGMA user_version`).
/// Append only: a released entry never changes.
pub const MIGRATIONS: &[&str] = &[
    // 1: incidents, their severity history and events, runs.
    "CREATE TABLE incidents (
        id INTEGER PRIMARY KEY,
        environment TEXT NOT NULL,
        drift_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        table_name TEXT NOT NULL,
        object TEXT,
        severity TEXT NOT NULL,
        first_seen TEXT NOT NULL,
        last_seen TEXT NOT NULL,
        sla_since TEXT NOT NULL,
        escalation_level INTEGER NOT NULL,
        acknowledged_by TEXT,
        acknowledged_at TEXT,
        resolved_at TEXT,
        issue_ref TEXT
    );
    CREATE UNIQUE INDEX incidents_one_open_per_drift
        ON incidents (environment, drift_id) WHERE resolved_at IS NULL;
    CREATE TABLE severity_history (
        incident_id INTEGER NOT NULL REFERENCES incidents (id),
        at TEXT NOT NULL,
        severity TEXT NOT NULL
    );
    CREATE TABLE runs (
        id INTEGER PRIMARY KEY,
        started_at TEXT NOT NULL,
        finished_at TEXT NOT NULL,
        exit_code INTEGER NOT NULL
    );
    CREATE TABLE run_environments (
        run_id INTEGER NOT NULL REFERENCES runs (id),
        environment TEXT NOT NULL,
        status TEXT NOT NULL,
        error TEXT,
        critical INTEGER NOT NULL,
        high INTEGER NOT NULL,
        medium INTEGER NOT NULL,
        low INTEGER NOT NULL,
        opened INTEGER NOT NULL,
        updated INTEGER NOT NULL,
        escalated INTEGER NOT NULL,
        resolved INTEGER NOT NULL,
        PRIMARY KEY (run_id, environment)
    );
    CREATE TABLE incident_events (
        incident_id INTEGER NOT NULL REFERENCES incidents (id),
        run_id INTEGER REFERENCES runs (id),
        at TEXT NOT NULL,
        event TEXT NOT NULL,
        detail TEXT
    );",
];

/// How one environment's check went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CheckStatus {
    /// Compared completely, no drift.
    Ok,
    /// Compared completely, drift found.
    Drift,
    /// Compared, but some tables could not be read exactly: incidents are
    /// opened and updated, none resolved.
    Incomplete,
    /// Could not be checked (unreachable, bad URL, …): its incidents are
    /// left as they were.
    Failed,
}

impl CheckStatus {
    pub fn name(self) -> &'static str {
        match self {
            CheckStatus::Ok => "ok",
            CheckStatus::Drift => "drift",
            CheckStatus::Incomplete => "incomplete",
            CheckStatus::Failed => "failed",
        }
    }
}

/// Findings per severity of one check.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub critical: usize,
    pub high: usize,
    pub medium: usize,
    pub low: usize,
}

/// One environment of a run, as recorded.
#[derive(Debug, Clone)]
pub struct EnvironmentRun {
    pub environment: String,
    pub status: CheckStatus,
    /// Why the check failed (never credentials).
    pub error: Option<String>,
    pub counts: Counts,
    pub changes: Changes,
}

/// What a run decided, written in one transaction.
#[derive(Debug, Clone)]
pub struct RunRecord {
    /// Store id of the run (0 for a dry run, which writes nothing).
    pub id: i64,
    pub started_at: Timestamp,
    pub finished_at: Timestamp,
    pub exit_code: i32,
    pub environments: Vec<EnvironmentRun>,
}

/// The latest check of one environment, as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LastCheck {
    pub environment: String,
    pub run_id: i64,
    pub at: Timestamp,
    /// `ok`, `drift`, `incomplete` or `failed`.
    pub status: String,
    pub error: Option<String>,
}

/// How a run ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Finish {
    Commit,
    /// `--dry-run`: everything is decided and written, then rolled back.
    Rollback,
}

pub struct Store {
    conn: Connection,
    path: String,
}

/// What every store writes for one incident event: the severity-history
/// row it adds (opened: the first severity; changed: the new one), and the
/// event's detail (`from -> to`).
pub(crate) fn event_rows(
    incident: &Incident,
    event: &Event,
) -> (Option<(Timestamp, Severity)>, Option<String>) {
    let history = match event {
        Event::Opened => Some((incident.first_seen, incident.severity)),
        Event::SeverityChanged { to, .. } => Some((incident.last_seen, *to)),
        _ => None,
    };
    let detail = match event {
        Event::SeverityChanged { from, to } => Some(format!("{from} -> {to}")),
        Event::Escalated { from, to } => Some(format!("{from} -> {to}")),
        Event::Opened | Event::Resolved => None,
    };
    (history, detail)
}

/// The counts of an environment's run row, in column order: critical,
/// high, medium, low, opened, updated, escalated, resolved.
pub(crate) fn run_counts(env: &EnvironmentRun) -> [i64; 8] {
    [
        env.counts.critical,
        env.counts.high,
        env.counts.medium,
        env.counts.low,
        env.changes.count("opened"),
        env.changes.count("severity_changed"),
        env.changes.count("escalated"),
        env.changes.count("resolved"),
    ]
    .map(|n| i64::try_from(n).unwrap_or(i64::MAX))
}

/// `state.db` → `state.db.lock`, beside it.
fn lock_path(path: &Path) -> std::path::PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".lock");
    std::path::PathBuf::from(name)
}

impl Store {
    /// Opens (creating it and its folder if needed) and migrates the store.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        let shown = path.display().to_string();
        let err = |e: &dyn std::fmt::Display| StoreError::Backend {
            path: shown.clone(),
            message: e.to_string(),
        };
        if let Some(parent) = path.parent()
            && !parent.as_os_str().is_empty()
        {
            std::fs::create_dir_all(parent).map_err(|e| err(&e))?;
        }
        // Runs starting at once take turns to open: switching a new file to
        // WAL can fail with "database is locked" without waiting on SQLite's
        // busy handler, so opening and migrating happen under a file lock.
        let lock = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(lock_path(path))
            .map_err(|e| err(&e))?;
        lock.lock().map_err(|e| err(&e))?;
        let conn = Connection::open(path).map_err(|e| err(&e))?;
        conn.busy_timeout(Duration::from_secs(60))
            .map_err(|e| err(&e))?;
        let mut store = Store {
            conn,
            path: shown.clone(),
        };
        store
            .conn
            .query_row("PRAGMA journal_mode = WAL", [], |_| Ok(()))
            .map_err(|e| err(&e))?;
        store
            .conn
            .pragma_update(None, "foreign_keys", true)
            .map_err(|e| err(&e))?;
        store.migrate()?;
        drop(lock);
        Ok(store)
    }

    fn sqlite(&self, e: rusqlite::Error) -> StoreError {
        StoreError::Backend {
            path: self.path.clone(),
            message: e.to_string(),
        }
    }

    /// Applies the migrations this file has not had yet, under the write lock
    /// (two first runs at once migrate once).
    fn migrate(&mut self) -> Result<(), StoreError> {
        let path = self.path.clone();
        let err = |e: rusqlite::Error| StoreError::Backend {
            path: path.clone(),
            message: e.to_string(),
        };
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(err)?;
        let version: i64 = tx
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(err)?;
        let version = usize::try_from(version).unwrap_or(usize::MAX);
        if version > MIGRATIONS.len() {
            return Err(StoreError::Backend {
                path: self.path.clone(),
                message: format!(
                    "written by a newer driftwatch (store version {version}, this one knows {}); upgrade driftwatch",
                    MIGRATIONS.len()
                ),
            });
        }
        for sql in &MIGRATIONS[version..] {
            tx.execute_batch(sql).map_err(err)?;
        }
        tx.pragma_update(
            None,
            "user_version",
            i64::try_from(MIGRATIONS.len()).unwrap_or(0),
        )
        .map_err(err)?;
        tx.commit().map_err(err)
    }

    /// `PRAGMA journal_mode` (`wal` once opened).
    pub fn journal_mode(&self) -> Result<String, StoreError> {
        self.conn
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .map_err(|e| self.sqlite(e))
    }

    /// The store's schema version (`PRAGMA user_version`).
    pub fn version(&self) -> Result<i64, StoreError> {
        self.conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .map_err(|e| self.sqlite(e))
    }

    /// Open incidents (of one environment, or all), oldest first.
    pub fn open_incidents(&self, environment: Option<&str>) -> Result<Vec<Incident>, StoreError> {
        load_incidents(&self.conn, environment, true).map_err(|e| self.sqlite_or(e))
    }

    /// Every incident, open and resolved, oldest first.
    pub fn all_incidents(&self) -> Result<Vec<Incident>, StoreError> {
        load_incidents(&self.conn, None, false).map_err(|e| self.sqlite_or(e))
    }

    fn sqlite_or(&self, e: LoadError) -> StoreError {
        match e {
            LoadError::Sqlite(e) => self.sqlite(e),
            LoadError::Corrupt(m) => StoreError::Corrupt(m),
        }
    }

    /// One run: in one `BEGIN IMMEDIATE` transaction, reads the open
    /// incidents, lets `decide` reconcile them with the checks, writes the
    /// outcome and the run. `before_commit` runs after every write and
    /// before `COMMIT`; an error from it rolls everything back (tests use it
    /// to interrupt a run).
    pub fn record_run<E>(
        &mut self,
        decide: impl FnOnce(&[Incident]) -> Result<RunRecord, E>,
        finish: Finish,
        before_commit: impl FnOnce() -> Result<(), String>,
    ) -> Result<Result<RunRecord, E>, StoreError> {
        let path = self.path.clone();
        let err = |e: rusqlite::Error| StoreError::Backend {
            path: path.clone(),
            message: e.to_string(),
        };
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(err)?;
        let open = load_incidents(&tx, None, true).map_err(|e| match e {
            LoadError::Sqlite(e) => err(e),
            LoadError::Corrupt(m) => StoreError::Corrupt(m),
        })?;
        let mut record = match decide(&open) {
            Ok(record) => record,
            Err(e) => return Ok(Err(e)),
        };
        tx.execute(
            "INSERT INTO runs (started_at, finished_at, exit_code) VALUES (?1, ?2, ?3)",
            params![
                record.started_at.to_string(),
                record.finished_at.to_string(),
                record.exit_code
            ],
        )
        .map_err(err)?;
        let run_id = tx.last_insert_rowid();
        for env in &mut record.environments {
            for update in &mut env.changes.updates {
                write_incident(&tx, &mut update.incident).map_err(err)?;
                let incident = &update.incident;
                for event in &update.events {
                    let (history, detail) = event_rows(incident, event);
                    if let Some((at, severity)) = history {
                        tx.execute(
                            "INSERT INTO severity_history (incident_id, at, severity) VALUES (?1, ?2, ?3)",
                            params![incident.id, at.to_string(), severity.name()],
                        )
                        .map_err(err)?;
                    }
                    tx.execute(
                        "INSERT INTO incident_events (incident_id, run_id, at, event, detail) VALUES (?1, ?2, ?3, ?4, ?5)",
                        params![incident.id, run_id, record.started_at.to_string(), event.name(), detail],
                    )
                    .map_err(err)?;
                }
            }
            let counts = run_counts(env);
            let status = env.status.name();
            let mut values: Vec<&dyn rusqlite::ToSql> =
                vec![&run_id, &env.environment, &status, &env.error];
            values.extend(counts.iter().map(|n| n as &dyn rusqlite::ToSql));
            tx.execute(
                "INSERT INTO run_environments (run_id, environment, status, error, critical, high, medium, low, \
                 opened, updated, escalated, resolved) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
                values.as_slice(),
            )
            .map_err(err)?;
        }
        before_commit().map_err(StoreError::Interrupted)?;
        match finish {
            Finish::Commit => {
                tx.commit().map_err(err)?;
                record.id = run_id;
            }
            Finish::Rollback => {
                tx.rollback().map_err(err)?;
                record.id = 0;
                for env in &mut record.environments {
                    for update in &mut env.changes.updates {
                        if update.has("opened") {
                            update.incident.id = 0;
                        }
                    }
                }
            }
        }
        Ok(Ok(record))
    }

    /// Records who acknowledged an open incident (escalation goes on).
    pub fn acknowledge(
        &mut self,
        id: i64,
        by: &str,
        now: Timestamp,
    ) -> Result<Incident, StoreError> {
        let path = self.path.clone();
        let err = |e: rusqlite::Error| StoreError::Backend {
            path: path.clone(),
            message: e.to_string(),
        };
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(err)?;
        let resolved: Option<Option<String>> = tx
            .query_row(
                "SELECT resolved_at FROM incidents WHERE id = ?1",
                [id],
                |r| r.get(0),
            )
            .optional()
            .map_err(err)?;
        match resolved {
            None => return Err(StoreError::NoSuchIncident(id)),
            Some(Some(_)) => return Err(StoreError::Resolved(id)),
            Some(None) => {}
        }
        tx.execute(
            "UPDATE incidents SET acknowledged_by = ?1, acknowledged_at = ?2 WHERE id = ?3",
            params![by, now.to_string(), id],
        )
        .map_err(err)?;
        tx.execute(
            "INSERT INTO incident_events (incident_id, run_id, at, event, detail) VALUES (?1, NULL, ?2, 'acknowledged', ?3)",
            params![id, now.to_string(), by],
        )
        .map_err(err)?;
        tx.commit().map_err(err)?;
        self.incident(id)?.ok_or(StoreError::NoSuchIncident(id))
    }

    /// Links an incident to the issue that tracks it (for the notifiers).
    pub fn set_issue_ref(&mut self, id: i64, issue_ref: &str) -> Result<(), StoreError> {
        let changed = self
            .conn
            .execute(
                "UPDATE incidents SET issue_ref = ?1 WHERE id = ?2",
                params![issue_ref, id],
            )
            .map_err(|e| self.sqlite(e))?;
        if changed == 0 {
            return Err(StoreError::NoSuchIncident(id));
        }
        Ok(())
    }

    pub fn incident(&self, id: i64) -> Result<Option<Incident>, StoreError> {
        Ok(self.all_incidents()?.into_iter().find(|i| i.id == id))
    }

    /// The latest recorded check of every environment, by name.
    pub fn last_checks(&self) -> Result<Vec<LastCheck>, StoreError> {
        let mut statement = self
            .conn
            .prepare(
                "SELECT re.environment, re.run_id, r.started_at, re.status, re.error \
                 FROM run_environments re JOIN runs r ON r.id = re.run_id \
                 WHERE re.run_id = (SELECT MAX(x.run_id) FROM run_environments x WHERE x.environment = re.environment) \
                 ORDER BY re.environment",
            )
            .map_err(|e| self.sqlite(e))?;
        let rows = statement
            .query_map([], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, i64>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(3)?,
                    r.get::<_, Option<String>>(4)?,
                ))
            })
            .map_err(|e| self.sqlite(e))?
            .collect::<Result<Vec<_>, _>>()
            .map_err(|e| self.sqlite(e))?;
        rows.into_iter()
            .map(|(environment, run_id, at, status, error)| {
                Ok(LastCheck {
                    environment,
                    run_id,
                    at: timestamp(&at).map_err(|e| self.sqlite_or(e))?,
                    status,
                    error,
                })
            })
            .collect()
    }

    /// Runs recorded so far: (id, environment, status) per environment, oldest first.
    pub fn run_environments(&self) -> Result<Vec<(i64, String, String)>, StoreError> {
        let mut statement = self
            .conn
            .prepare("SELECT run_id, environment, status FROM run_environments ORDER BY run_id, environment")
            .map_err(|e| self.sqlite(e))?;
        let rows = statement
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .map_err(|e| self.sqlite(e))?;
        rows.collect::<Result<Vec<_>, _>>()
            .map_err(|e| self.sqlite(e))
    }
}

fn write_incident(
    tx: &rusqlite::Transaction<'_>,
    incident: &mut Incident,
) -> Result<(), rusqlite::Error> {
    let ts = |t: Option<Timestamp>| t.map(|t| t.to_string());
    if incident.id == 0 {
        tx.execute(
            "INSERT INTO incidents (environment, drift_id, kind, table_name, object, severity, first_seen, \
             last_seen, sla_since, escalation_level, acknowledged_by, acknowledged_at, resolved_at, issue_ref) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)",
            params![
                incident.environment,
                incident.drift_id,
                incident.kind,
                incident.table,
                incident.object,
                incident.severity.name(),
                incident.first_seen.to_string(),
                incident.last_seen.to_string(),
                incident.sla_since.to_string(),
                incident.escalation_level,
                incident.acknowledged_by,
                ts(incident.acknowledged_at),
                ts(incident.resolved_at),
                incident.issue_ref,
            ],
        )?;
        incident.id = tx.last_insert_rowid();
    } else {
        // acknowledged_by and issue_ref are written by `ack` and the
        // notifiers, never overwritten by a run.
        tx.execute(
            "UPDATE incidents SET kind = ?1, table_name = ?2, object = ?3, severity = ?4, last_seen = ?5, \
             sla_since = ?6, escalation_level = ?7, resolved_at = ?8 WHERE id = ?9",
            params![
                incident.kind,
                incident.table,
                incident.object,
                incident.severity.name(),
                incident.last_seen.to_string(),
                incident.sla_since.to_string(),
                incident.escalation_level,
                ts(incident.resolved_at),
                incident.id,
            ],
        )?;
    }
    Ok(())
}

enum LoadError {
    Sqlite(rusqlite::Error),
    Corrupt(String),
}

impl From<rusqlite::Error> for LoadError {
    fn from(e: rusqlite::Error) -> Self {
        LoadError::Sqlite(e)
    }
}

const INCIDENT_COLUMNS: &str = "id, environment, drift_id, kind, table_name, object, severity, first_seen, \
     last_seen, sla_since, escalation_level, acknowledged_by, acknowledged_at, resolved_at, issue_ref";

/// Raw row: the text exactly as stored, checked in `incident_from`.
type RawRow = (
    i64,
    String,
    String,
    String,
    String,
    Option<String>,
    String,
    [String; 3],
    u32,
    [Option<String>; 4],
);

fn raw(r: &Row<'_>) -> rusqlite::Result<RawRow> {
    Ok((
        r.get(0)?,
        r.get(1)?,
        r.get(2)?,
        r.get(3)?,
        r.get(4)?,
        r.get(5)?,
        r.get(6)?,
        [r.get(7)?, r.get(8)?, r.get(9)?],
        r.get(10)?,
        [r.get(11)?, r.get(12)?, r.get(13)?, r.get(14)?],
    ))
}

fn load_incidents(
    conn: &Connection,
    environment: Option<&str>,
    open_only: bool,
) -> Result<Vec<Incident>, LoadError> {
    let sql = format!(
        "SELECT {INCIDENT_COLUMNS} FROM incidents WHERE (?1 IS NULL OR environment = ?1) \
         AND (?2 = 0 OR resolved_at IS NULL) ORDER BY id"
    );
    let mut statement = conn.prepare(&sql)?;
    let rows = statement
        .query_map(params![environment, open_only], raw)?
        .collect::<Result<Vec<_>, _>>()?;
    let mut history = conn.prepare(
        "SELECT at, severity FROM severity_history WHERE incident_id = ?1 ORDER BY rowid",
    )?;
    rows.into_iter()
        .map(|row| {
            let (
                id,
                environment,
                drift_id,
                kind,
                table,
                object,
                severity,
                [first, last, since],
                level,
                [ack_by, ack_at, resolved, issue],
            ) = row;
            let changes = history
                .query_map([id], |r| {
                    Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?))
                })?
                .collect::<Result<Vec<_>, _>>()?;
            let severity_history = changes
                .iter()
                .map(|(at, s)| {
                    Ok(SeverityChange {
                        at: timestamp(at)?,
                        severity: severity_of(s)?,
                    })
                })
                .collect::<Result<Vec<_>, LoadError>>()?;
            Ok(Incident {
                id,
                environment,
                drift_id,
                kind,
                table,
                object,
                severity: severity_of(&severity)?,
                severity_history,
                first_seen: timestamp(&first)?,
                last_seen: timestamp(&last)?,
                sla_since: timestamp(&since)?,
                escalation_level: level,
                acknowledged_by: ack_by,
                acknowledged_at: ack_at.as_deref().map(timestamp).transpose()?,
                resolved_at: resolved.as_deref().map(timestamp).transpose()?,
                issue_ref: issue,
            })
        })
        .collect()
}

fn timestamp(text: &str) -> Result<Timestamp, LoadError> {
    text.parse()
        .map_err(|e| LoadError::Corrupt(format!("timestamp `{text}`: {e}")))
}

fn severity_of(text: &str) -> Result<Severity, LoadError> {
    text.parse::<Severity>().map_err(LoadError::Corrupt)
}
