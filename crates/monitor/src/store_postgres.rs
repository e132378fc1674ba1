//! The state store on a shared PostgreSQL database (`[state] url =
//! "postgres://…"`), for teams whose nightly runners share no disk. Same
//! contract as the SQLite store (`store.rs`) and the MySQL one
//! (`store_mysql.rs`): one transaction per run, one open incident per
//! (environment, drift id), nothing written by a run that dies before
//! `COMMIT`.
//!
//! Runs take turns through a session advisory lock (the server releases it
//! when a killed run's connection closes), and a partial UNIQUE index
//! (`WHERE resolved_at IS NULL`) allows one open incident per drift even
//! without the lock. Tables are prefixed `driftwatch_` and live in the
//! connection's default schema; their schema version is the one row of
//! `driftwatch_store`. PostgreSQL DDL is transactional: each store version is
//! applied with its version number in one transaction.
//!
//! TLS follows the URL's `sslmode`: `disable` is plain TCP, `prefer` (the
//! default, as libpq) uses TLS when the server offers it, `require` insists
//! on it. Unlike libpq's `require`, the certificate is always verified
//! (against the Mozilla roots): an unverified channel would carry the state
//! of production incidents.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use driftwatch_diff::Severity;
use jiff::Timestamp;
use tokio_postgres::types::ToSql;
use tokio_postgres::{Client, GenericClient, Row};

use crate::incident::{Incident, SeverityChange};
use crate::store::{Finish, LastCheck, RunRecord, StoreError, event_rows, run_counts};

/// The store's own schema, one entry (of statements) per version. Append only.
pub const POSTGRES_MIGRATIONS: &[&[&str]] = &[&[
    "CREATE TABLE driftwatch_incidents (
        id BIGSERIAL PRIMARY KEY,
        environment TEXT NOT NULL,
        drift_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        table_name TEXT NOT NULL,
        object TEXT NULL,
        severity TEXT NOT NULL,
        first_seen TEXT NOT NULL,
        last_seen TEXT NOT NULL,
        sla_since TEXT NOT NULL,
        escalation_level INTEGER NOT NULL,
        acknowledged_by TEXT NULL,
        acknowledged_at TEXT NULL,
        resolved_at TEXT NULL,
        issue_ref TEXT NULL
    )",
    "CREATE UNIQUE INDEX driftwatch_incidents_one_open_per_drift
        ON driftwatch_incidents (environment, drift_id) WHERE resolved_at IS NULL",
    "CREATE TABLE driftwatch_severity_history (
        id BIGSERIAL PRIMARY KEY,
        incident_id BIGINT NOT NULL REFERENCES driftwatch_incidents (id),
        at TEXT NOT NULL,
        severity TEXT NOT NULL
    )",
    "CREATE INDEX driftwatch_severity_history_incident ON driftwatch_severity_history (incident_id)",
    "CREATE TABLE driftwatch_runs (
        id BIGSERIAL PRIMARY KEY,
        started_at TEXT NOT NULL,
        finished_at TEXT NOT NULL,
        exit_code INTEGER NOT NULL
    )",
    "CREATE TABLE driftwatch_run_environments (
        run_id BIGINT NOT NULL REFERENCES driftwatch_runs (id),
        environment TEXT NOT NULL,
        status TEXT NOT NULL,
        error TEXT NULL,
        critical BIGINT NOT NULL,
        high BIGINT NOT NULL,
        medium BIGINT NOT NULL,
        low BIGINT NOT NULL,
        opened BIGINT NOT NULL,
        updated BIGINT NOT NULL,
        escalated BIGINT NOT NULL,
        resolved BIGINT NOT NULL,
        PRIMARY KEY (run_id, environment)
    )",
    "CREATE TABLE driftwatch_incident_events (
        id BIGSERIAL PRIMARY KEY,
        incident_id BIGINT NOT NULL REFERENCES driftwatch_incidents (id),
        run_id BIGINT NULL REFERENCES driftwatch_runs (id),
        at TEXT NOT NULL,
        event TEXT NOT NULL,
        detail TEXT NULL
    )",
    "CREATE INDEX driftwatch_incident_events_incident ON driftwatch_incident_events (incident_id)",
]];

/// The advisory lock key of the run lock: one per database (advisory locks
/// are per database), any constant the application owns.
const LOCK_KEY: i64 = 0x6472_6966_7477_6368; // "driftwch"
const LOCK_WAIT: Duration = Duration::from_secs(120);
/// Serializes the creation of `driftwatch_store` by two first runs: `CREATE
/// TABLE IF NOT EXISTS` is not safe under concurrency in PostgreSQL.
const MIGRATION_LOCK_KEY: i64 = LOCK_KEY + 1;

/// A `postgres://` or `postgresql://` state store URL, parsed; shown without
/// its password.
#[derive(Clone)]
pub struct PostgresUrl {
    config: tokio_postgres::Config,
    shown: String,
}

impl PostgresUrl {
    /// Parses the URL (libpq's URI syntax). Errors never repeat it: it may
    /// hold a password.
    pub fn parse(url: &str) -> Result<PostgresUrl, String> {
        let config: tokio_postgres::Config = url.parse().map_err(|e: tokio_postgres::Error| {
            format!("not a valid postgres:// URL ({e}); expected postgres://user:password@host:5432/database")
        })?;
        if config.get_dbname().is_none() {
            return Err("the postgres:// URL names no database; expected postgres://user:password@host:5432/database".to_string());
        }
        let shown = redacted(&config);
        Ok(PostgresUrl { config, shown })
    }

    /// `postgres://user@host:port/database`, never the password.
    pub fn redacted(&self) -> &str {
        &self.shown
    }
}

impl std::fmt::Debug for PostgresUrl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.shown)
    }
}

fn redacted(config: &tokio_postgres::Config) -> String {
    let user = config
        .get_user()
        .map(|u| format!("{u}@"))
        .unwrap_or_default();
    let host = match config.get_hosts().first() {
        Some(tokio_postgres::config::Host::Tcp(host)) => host.clone(),
        Some(tokio_postgres::config::Host::Unix(path)) => path.display().to_string(),
        None => "localhost".to_string(),
    };
    let port = config.get_ports().first().copied().unwrap_or(5432);
    let db = config.get_dbname().unwrap_or_default();
    format!("postgres://{user}{host}:{port}/{db}")
}

pub struct PostgresStore {
    client: Client,
    shown: String,
    connection: tokio::task::JoinHandle<()>,
}

impl PostgresStore {
    /// Connects, migrates the store's tables (under the migration lock).
    pub async fn open(url: &PostgresUrl) -> Result<PostgresStore, StoreError> {
        let shown = url.shown.clone();
        let err = |message: String| StoreError::Backend {
            path: shown.clone(),
            message,
        };
        let mut config = url.config.clone();
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(Duration::from_secs(10));
        }
        config.application_name("driftwatch monitor");
        let (client, connection) = config
            .connect(tls_connector())
            .await
            .map_err(|e| err(describe(&e)))?;
        let connection = tokio::spawn(async move {
            let _ = connection.await;
        });
        let mut store = PostgresStore {
            client,
            shown,
            connection,
        };
        store.migrate().await?;
        Ok(store)
    }

    fn err(&self, e: impl std::fmt::Display) -> StoreError {
        StoreError::Backend {
            path: self.shown.clone(),
            message: e.to_string(),
        }
    }

    fn pg_err(&self, e: &tokio_postgres::Error) -> StoreError {
        self.err(describe(e))
    }

    /// Takes an advisory lock, waiting at most `LOCK_WAIT`.
    async fn lock(&self, key: i64) -> Result<(), StoreError> {
        let deadline = Instant::now() + LOCK_WAIT;
        loop {
            let row = self
                .client
                .query_one("SELECT pg_try_advisory_lock($1)", &[&key])
                .await
                .map_err(|e| self.pg_err(&e))?;
            if row.get::<_, bool>(0) {
                return Ok(());
            }
            if Instant::now() >= deadline {
                return Err(self.err(format!(
                    "another driftwatch monitor run held the state lock for {} s",
                    LOCK_WAIT.as_secs()
                )));
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }

    async fn unlock(&self, key: i64) {
        let _ = self
            .client
            .execute("SELECT pg_advisory_unlock($1)", &[&key])
            .await;
    }

    async fn migrate(&mut self) -> Result<(), StoreError> {
        self.lock(MIGRATION_LOCK_KEY).await?;
        let result = self.migrate_locked().await;
        self.unlock(MIGRATION_LOCK_KEY).await;
        result
    }

    async fn migrate_locked(&mut self) -> Result<(), StoreError> {
        self.client
            .batch_execute(
                "CREATE TABLE IF NOT EXISTS driftwatch_store (id INTEGER PRIMARY KEY, version INTEGER NOT NULL);
                 INSERT INTO driftwatch_store (id, version) VALUES (1, 0) ON CONFLICT (id) DO NOTHING;",
            )
            .await
            .map_err(|e| self.pg_err(&e))?;
        let version = self.version().await?;
        let known = i64::try_from(POSTGRES_MIGRATIONS.len()).unwrap_or(i64::MAX);
        if version > known {
            return Err(self.err(format!(
                "written by a newer driftwatch (store version {version}, this one knows {known}); upgrade driftwatch"
            )));
        }
        let shown = self.shown.clone();
        for (index, statements) in POSTGRES_MIGRATIONS.iter().enumerate() {
            let target = i32::try_from(index + 1).unwrap_or(i32::MAX);
            if i64::from(target) <= version {
                continue;
            }
            let tx = self
                .client
                .transaction()
                .await
                .map_err(|e| backend(&shown, &e))?;
            for sql in *statements {
                tx.batch_execute(sql)
                    .await
                    .map_err(|e| backend(&shown, &e))?;
            }
            tx.execute(
                "UPDATE driftwatch_store SET version = $1 WHERE id = 1",
                &[&target],
            )
            .await
            .map_err(|e| backend(&shown, &e))?;
            tx.commit().await.map_err(|e| backend(&shown, &e))?;
        }
        Ok(())
    }

    pub async fn version(&self) -> Result<i64, StoreError> {
        let row = self
            .client
            .query_opt("SELECT version FROM driftwatch_store WHERE id = 1", &[])
            .await
            .map_err(|e| self.pg_err(&e))?;
        Ok(row.map_or(0, |r| i64::from(r.get::<_, i32>(0))))
    }

    pub async fn open_incidents(
        &self,
        environment: Option<&str>,
    ) -> Result<Vec<Incident>, StoreError> {
        load(&self.client, environment, true)
            .await
            .map_err(|e| self.err(e))
    }

    pub async fn all_incidents(&self) -> Result<Vec<Incident>, StoreError> {
        load(&self.client, None, false)
            .await
            .map_err(|e| self.err(e))
    }

    /// One run, as `Store::record_run`: under the run lock, in one transaction.
    pub async fn record_run<E>(
        &mut self,
        decide: impl FnOnce(&[Incident]) -> Result<RunRecord, E>,
        finish: Finish,
        before_commit: impl FnOnce() -> Result<(), String>,
    ) -> Result<Result<RunRecord, E>, StoreError> {
        self.lock(LOCK_KEY).await?;
        let result = self.record_run_locked(decide, finish, before_commit).await;
        self.unlock(LOCK_KEY).await;
        result
    }

    async fn record_run_locked<E>(
        &mut self,
        decide: impl FnOnce(&[Incident]) -> Result<RunRecord, E>,
        finish: Finish,
        before_commit: impl FnOnce() -> Result<(), String>,
    ) -> Result<Result<RunRecord, E>, StoreError> {
        let shown = self.shown.clone();
        let err = |e: &tokio_postgres::Error| backend(&shown, e);
        let tx = self.client.transaction().await.map_err(|e| err(&e))?;
        let open = load(&tx, None, true)
            .await
            .map_err(|message| StoreError::Backend {
                path: shown.clone(),
                message,
            })?;
        let mut record = match decide(&open) {
            Ok(record) => record,
            Err(e) => return Ok(Err(e)),
        };
        let run_id: i64 = tx
            .query_one(
                "INSERT INTO driftwatch_runs (started_at, finished_at, exit_code) VALUES ($1, $2, $3) RETURNING id",
                &[
                    &record.started_at.to_string(),
                    &record.finished_at.to_string(),
                    &record.exit_code,
                ],
            )
            .await
            .map_err(|e| err(&e))?
            .get(0);
        for env in &mut record.environments {
            for update in &mut env.changes.updates {
                write_incident(&tx, &mut update.incident)
                    .await
                    .map_err(|e| err(&e))?;
                let incident = &update.incident;
                for event in &update.events {
                    let (history, detail) = event_rows(incident, event);
                    if let Some((at, severity)) = history {
                        tx.execute(
                            "INSERT INTO driftwatch_severity_history (incident_id, at, severity) VALUES ($1, $2, $3)",
                            &[&incident.id, &at.to_string(), &severity.name()],
                        )
                        .await
                        .map_err(|e| err(&e))?;
                    }
                    tx.execute(
                        "INSERT INTO driftwatch_incident_events (incident_id, run_id, at, event, detail) VALUES ($1, $2, $3, $4, $5)",
                        &[&incident.id, &run_id, &record.started_at.to_string(), &event.name(), &detail],
                    )
                    .await
                    .map_err(|e| err(&e))?;
                }
            }
            let counts = run_counts(env);
            let status = env.status.name();
            let mut params: Vec<&(dyn ToSql + Sync)> =
                vec![&run_id, &env.environment, &status, &env.error];
            params.extend(counts.iter().map(|n| n as &(dyn ToSql + Sync)));
            tx.execute(
                "INSERT INTO driftwatch_run_environments (run_id, environment, status, error, critical, high, medium, low, \
                 opened, updated, escalated, resolved) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
                &params,
            )
            .await
            .map_err(|e| err(&e))?;
        }
        if let Err(reason) = before_commit() {
            let _ = tx.rollback().await;
            return Err(StoreError::Interrupted(reason));
        }
        match finish {
            Finish::Commit => {
                tx.commit().await.map_err(|e| err(&e))?;
                record.id = run_id;
            }
            Finish::Rollback => {
                tx.rollback().await.map_err(|e| err(&e))?;
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

    pub async fn acknowledge(
        &mut self,
        id: i64,
        by: &str,
        now: Timestamp,
    ) -> Result<Incident, StoreError> {
        let row = self
            .client
            .query_opt(
                "SELECT resolved_at FROM driftwatch_incidents WHERE id = $1",
                &[&id],
            )
            .await
            .map_err(|e| self.pg_err(&e))?;
        match row.map(|r| r.get::<_, Option<String>>(0)) {
            None => return Err(StoreError::NoSuchIncident(id)),
            Some(Some(_)) => return Err(StoreError::Resolved(id)),
            Some(None) => {}
        }
        let shown = self.shown.clone();
        let tx = self
            .client
            .transaction()
            .await
            .map_err(|e| backend(&shown, &e))?;
        tx.execute(
            "UPDATE driftwatch_incidents SET acknowledged_by = $1, acknowledged_at = $2 WHERE id = $3",
            &[&by, &now.to_string(), &id],
        )
        .await
        .map_err(|e| backend(&shown, &e))?;
        tx.execute(
            "INSERT INTO driftwatch_incident_events (incident_id, run_id, at, event, detail) VALUES ($1, NULL, $2, 'acknowledged', $3)",
            &[&id, &now.to_string(), &by],
        )
        .await
        .map_err(|e| backend(&shown, &e))?;
        tx.commit().await.map_err(|e| backend(&shown, &e))?;
        self.all_incidents()
            .await?
            .into_iter()
            .find(|i| i.id == id)
            .ok_or(StoreError::NoSuchIncident(id))
    }

    /// Links an incident to the issue that tracks it (for the notifiers).
    pub async fn set_issue_ref(&mut self, id: i64, issue_ref: &str) -> Result<(), StoreError> {
        self.client
            .execute(
                "UPDATE driftwatch_incidents SET issue_ref = $1 WHERE id = $2",
                &[&issue_ref, &id],
            )
            .await
            .map_err(|e| self.pg_err(&e))?;
        Ok(())
    }

    pub async fn last_checks(&self) -> Result<Vec<LastCheck>, StoreError> {
        let rows = self
            .client
            .query(
                "SELECT re.environment, re.run_id, r.started_at, re.status, re.error \
                 FROM driftwatch_run_environments re JOIN driftwatch_runs r ON r.id = re.run_id \
                 WHERE re.run_id = (SELECT MAX(x.run_id) FROM driftwatch_run_environments x WHERE x.environment = re.environment) \
                 ORDER BY re.environment",
                &[],
            )
            .await
            .map_err(|e| self.pg_err(&e))?;
        rows.iter()
            .map(|row| {
                let check = || {
                    Ok(LastCheck {
                        environment: col(row, 0)?,
                        run_id: col(row, 1)?,
                        at: timestamp(col(row, 2)?)?,
                        status: col(row, 3)?,
                        error: col(row, 4)?,
                    })
                };
                check().map_err(StoreError::Corrupt)
            })
            .collect()
    }

    pub async fn close(self) {
        // Dropping the client ends the session, which releases any advisory lock.
        drop(self.client);
        let _ = self.connection.await;
    }
}

/// Verified TLS with the Mozilla roots, used when `sslmode` asks for it (or
/// the server offers it under the default `prefer`).
fn tls_connector() -> tokio_postgres_rustls::MakeRustlsConnect {
    let roots = rustls::RootCertStore::from_iter(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("the ring provider supports the default TLS versions")
        .with_root_certificates(roots)
        .with_no_client_auth();
    tokio_postgres_rustls::MakeRustlsConnect::new(config)
}

/// The server's message when there is one (`tokio_postgres::Error`'s
/// Display is only "db error"), else the client-side error.
fn describe(e: &tokio_postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => format!("{}: {}", db.severity(), db.message()),
        None => {
            let mut text = e.to_string();
            let mut source = std::error::Error::source(e);
            while let Some(inner) = source {
                text.push_str(": ");
                text.push_str(&inner.to_string());
                source = inner.source();
            }
            text
        }
    }
}

fn backend(shown: &str, e: &tokio_postgres::Error) -> StoreError {
    StoreError::Backend {
        path: shown.to_string(),
        message: describe(e),
    }
}

async fn write_incident(
    client: &impl GenericClient,
    incident: &mut Incident,
) -> Result<(), tokio_postgres::Error> {
    let ts = |t: Option<Timestamp>| t.map(|t| t.to_string());
    let level = i32::try_from(incident.escalation_level).unwrap_or(i32::MAX);
    if incident.id == 0 {
        let row = client
            .query_one(
                "INSERT INTO driftwatch_incidents (environment, drift_id, kind, table_name, object, severity, first_seen, \
                 last_seen, sla_since, escalation_level, acknowledged_by, acknowledged_at, resolved_at, issue_ref) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14) RETURNING id",
                &[
                    &incident.environment,
                    &incident.drift_id,
                    &incident.kind,
                    &incident.table,
                    &incident.object,
                    &incident.severity.name(),
                    &incident.first_seen.to_string(),
                    &incident.last_seen.to_string(),
                    &incident.sla_since.to_string(),
                    &level,
                    &incident.acknowledged_by,
                    &ts(incident.acknowledged_at),
                    &ts(incident.resolved_at),
                    &incident.issue_ref,
                ],
            )
            .await?;
        incident.id = row.get(0);
    } else {
        client
            .execute(
                "UPDATE driftwatch_incidents SET kind = $1, table_name = $2, object = $3, severity = $4, last_seen = $5, \
                 sla_since = $6, escalation_level = $7, resolved_at = $8 WHERE id = $9",
                &[
                    &incident.kind,
                    &incident.table,
                    &incident.object,
                    &incident.severity.name(),
                    &incident.last_seen.to_string(),
                    &incident.sla_since.to_string(),
                    &level,
                    &ts(incident.resolved_at),
                    &incident.id,
                ],
            )
            .await?;
    }
    Ok(())
}

/// The incidents with their severity history: two queries, whatever their
/// number.
async fn load(
    client: &impl GenericClient,
    environment: Option<&str>,
    open_only: bool,
) -> Result<Vec<Incident>, String> {
    let rows = client
        .query(
            "SELECT id, environment, drift_id, kind, table_name, object, severity, first_seen, last_seen, sla_since, \
             escalation_level, acknowledged_by, acknowledged_at, resolved_at, issue_ref FROM driftwatch_incidents \
             WHERE ($1::text IS NULL OR environment = $1) AND (NOT $2 OR resolved_at IS NULL) ORDER BY id",
            &[&environment, &open_only],
        )
        .await
        .map_err(|e| describe(&e))?;
    let ids: Vec<i64> = rows.iter().map(|r| r.get(0)).collect();
    let history = client
        .query(
            "SELECT incident_id, at, severity FROM driftwatch_severity_history \
             WHERE incident_id = ANY($1) ORDER BY id",
            &[&ids],
        )
        .await
        .map_err(|e| describe(&e))?;
    let mut histories: BTreeMap<i64, Vec<SeverityChange>> = BTreeMap::new();
    for h in &history {
        histories
            .entry(col(h, 0)?)
            .or_default()
            .push(SeverityChange {
                at: timestamp(col(h, 1)?)?,
                severity: col::<&str>(h, 2)?.parse()?,
            });
    }
    rows.iter()
        .map(|row| incident(row, &mut histories))
        .collect::<Result<Vec<_>, String>>()
}

fn incident(
    row: &Row,
    histories: &mut BTreeMap<i64, Vec<SeverityChange>>,
) -> Result<Incident, String> {
    let id: i64 = col(row, 0)?;
    let opt_ts = |text: Option<&str>| text.map(timestamp).transpose();
    Ok(Incident {
        id,
        environment: col(row, 1)?,
        drift_id: col(row, 2)?,
        kind: col(row, 3)?,
        table: col(row, 4)?,
        object: col(row, 5)?,
        severity: col::<&str>(row, 6)?.parse::<Severity>()?,
        severity_history: histories.remove(&id).unwrap_or_default(),
        first_seen: timestamp(col(row, 7)?)?,
        last_seen: timestamp(col(row, 8)?)?,
        sla_since: timestamp(col(row, 9)?)?,
        escalation_level: u32::try_from(col::<i32>(row, 10)?)
            .map_err(|_| format!("incident {id}: negative escalation level"))?,
        acknowledged_by: col(row, 11)?,
        acknowledged_at: opt_ts(col(row, 12)?)?,
        resolved_at: opt_ts(col(row, 13)?)?,
        issue_ref: col(row, 14)?,
    })
}

/// One column, or why it could not be read (a store table altered by hand).
fn col<'a, T: tokio_postgres::types::FromSql<'a>>(row: &'a Row, index: usize) -> Result<T, String> {
    row.try_get(index)
        .map_err(|e| format!("column {index}: {e}"))
}

fn timestamp(text: &str) -> Result<Timestamp, String> {
    text.parse().map_err(|e| format!("timestamp `{text}`: {e}"))
}
