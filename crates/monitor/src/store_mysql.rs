//! The state store on a shared MySQL or MariaDB database (`[state] url =
//! "mysql://…"`), for teams whose nightly runners share no disk. Same
//! contract as the SQLite store (`store.rs`): one transaction per run, one
//! open incident per (environment, drift id), nothing written by a run that
//! dies before `COMMIT`.
//!
//! Runs take turns through a named lock (`GET_LOCK`, per database; the
//! server releases it when a killed run's connection closes), and a UNIQUE
//! key over a generated column that is 1 while an incident is open and NULL
//! once resolved allows one open incident per drift even without the lock.
//! Tables are prefixed `driftwatch_`; their schema version is the one row of
//! `driftwatch_store`.

use driftwatch_diff::Severity;
use driftwatch_mysql::DatabaseUrl;
use jiff::Timestamp;
use mysql_async::prelude::Queryable;
use mysql_async::{Conn, Params, Row, TxOpts, Value};

use crate::incident::{Incident, SeverityChange};
use crate::store::{Finish, LastCheck, RunRecord, StoreError, event_rows, run_counts};

/// The store's own schema, one entry (of statements) per version. Append only.
pub const MYSQL_MIGRATIONS: &[&[&str]] = &[&[
    "CREATE TABLE driftwatch_incidents (
        id BIGINT AUTO_INCREMENT PRIMARY KEY,
        environment VARCHAR(191) NOT NULL,
        drift_id VARCHAR(191) NOT NULL,
        kind VARCHAR(64) NOT NULL,
        table_name VARCHAR(191) NOT NULL,
        object VARCHAR(191) NULL,
        severity VARCHAR(16) NOT NULL,
        first_seen VARCHAR(40) NOT NULL,
        last_seen VARCHAR(40) NOT NULL,
        sla_since VARCHAR(40) NOT NULL,
        escalation_level INT NOT NULL,
        acknowledged_by VARCHAR(191) NULL,
        acknowledged_at VARCHAR(40) NULL,
        resolved_at VARCHAR(40) NULL,
        issue_ref VARCHAR(512) NULL,
        open_marker TINYINT AS (IF(resolved_at IS NULL, 1, NULL)) STORED,
        UNIQUE KEY driftwatch_incidents_one_open_per_drift (environment, drift_id, open_marker)
    ) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4",
    "CREATE TABLE driftwatch_severity_history (
        id BIGINT AUTO_INCREMENT PRIMARY KEY,
        incident_id BIGINT NOT NULL,
        at VARCHAR(40) NOT NULL,
        severity VARCHAR(16) NOT NULL,
        KEY (incident_id)
    ) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4",
    "CREATE TABLE driftwatch_runs (
        id BIGINT AUTO_INCREMENT PRIMARY KEY,
        started_at VARCHAR(40) NOT NULL,
        finished_at VARCHAR(40) NOT NULL,
        exit_code INT NOT NULL
    ) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4",
    "CREATE TABLE driftwatch_run_environments (
        run_id BIGINT NOT NULL,
        environment VARCHAR(191) NOT NULL,
        status VARCHAR(16) NOT NULL,
        error TEXT NULL,
        critical INT NOT NULL,
        high INT NOT NULL,
        medium INT NOT NULL,
        low INT NOT NULL,
        opened INT NOT NULL,
        updated INT NOT NULL,
        escalated INT NOT NULL,
        resolved INT NOT NULL,
        PRIMARY KEY (run_id, environment)
    ) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4",
    "CREATE TABLE driftwatch_incident_events (
        id BIGINT AUTO_INCREMENT PRIMARY KEY,
        incident_id BIGINT NOT NULL,
        run_id BIGINT NULL,
        at VARCHAR(40) NOT NULL,
        event VARCHAR(32) NOT NULL,
        detail TEXT NULL,
        KEY (incident_id)
    ) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4",
]];

const LOCK: &str = "SELECT GET_LOCK(CONCAT('driftwatch_monitor:', DATABASE()), 120)";
const UNLOCK: &str = "SELECT RELEASE_LOCK(CONCAT('driftwatch_monitor:', DATABASE()))";

pub struct MysqlStore {
    conn: Conn,
    shown: String,
}

impl MysqlStore {
    /// Connects, takes the run lock and migrates the store's tables.
    pub async fn open(url: &DatabaseUrl) -> Result<MysqlStore, StoreError> {
        let shown = url.redacted();
        let err = |message: String| StoreError::Backend {
            path: shown.clone(),
            message,
        };
        url.require_database().map_err(|e| err(e.to_string()))?;
        let mut timings = Vec::new();
        let conn = driftwatch_mysql::catalog::connect(url, &mut timings)
            .await
            .map_err(|e| err(e.to_string()))?;
        let mut store = MysqlStore { conn, shown };
        // `catalog::connect` makes sessions read-only; this one keeps state.
        store.run("SET SESSION TRANSACTION READ WRITE").await?;
        store.lock().await?;
        let migrated = store.migrate().await;
        store.unlock().await;
        migrated?;
        Ok(store)
    }

    fn err(&self, e: impl std::fmt::Display) -> StoreError {
        StoreError::Backend {
            path: self.shown.clone(),
            message: e.to_string(),
        }
    }

    async fn run(&mut self, sql: &str) -> Result<(), StoreError> {
        let result = self.conn.query_drop(sql).await;
        result.map_err(|e| self.err(e))
    }

    async fn lock(&mut self) -> Result<(), StoreError> {
        let got: Option<Option<i64>> =
            self.conn.query_first(LOCK).await.map_err(|e| self.err(e))?;
        match got.flatten() {
            Some(1) => Ok(()),
            _ => Err(self.err("another driftwatch monitor run held the state lock for 120 s")),
        }
    }

    async fn unlock(&mut self) {
        let _ = self.conn.query_drop(UNLOCK).await;
    }

    async fn migrate(&mut self) -> Result<(), StoreError> {
        self.run("CREATE TABLE IF NOT EXISTS driftwatch_store (id INT PRIMARY KEY, version INT NOT NULL) ENGINE = InnoDB")
            .await?;
        self.run("INSERT IGNORE INTO driftwatch_store (id, version) VALUES (1, 0)")
            .await?;
        let version = self.version().await?;
        let known = i64::try_from(MYSQL_MIGRATIONS.len()).unwrap_or(i64::MAX);
        if version > known {
            return Err(self.err(format!(
                "written by a newer driftwatch (store version {version}, this one knows {known}); upgrade driftwatch"
            )));
        }
        for (index, statements) in MYSQL_MIGRATIONS.iter().enumerate() {
            let target = i64::try_from(index + 1).unwrap_or(i64::MAX);
            if target <= version {
                continue;
            }
            // DDL commits on its own in MySQL: each version is recorded after its statements.
            for sql in *statements {
                self.run(sql).await?;
            }
            let result = self
                .conn
                .exec_drop(
                    "UPDATE driftwatch_store SET version = ? WHERE id = 1",
                    (target,),
                )
                .await;
            result.map_err(|e| self.err(e))?;
        }
        Ok(())
    }

    pub async fn version(&mut self) -> Result<i64, StoreError> {
        let version: Option<i64> = self
            .conn
            .query_first("SELECT version FROM driftwatch_store WHERE id = 1")
            .await
            .map_err(|e| self.err(e))?;
        Ok(version.unwrap_or(0))
    }

    pub async fn open_incidents(
        &mut self,
        environment: Option<&str>,
    ) -> Result<Vec<Incident>, StoreError> {
        load(&mut self.conn, environment, true)
            .await
            .map_err(|e| self.err(e))
    }

    pub async fn all_incidents(&mut self) -> Result<Vec<Incident>, StoreError> {
        load(&mut self.conn, None, false)
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
        self.lock().await?;
        let result = self.record_run_locked(decide, finish, before_commit).await;
        self.unlock().await;
        result
    }

    async fn record_run_locked<E>(
        &mut self,
        decide: impl FnOnce(&[Incident]) -> Result<RunRecord, E>,
        finish: Finish,
        before_commit: impl FnOnce() -> Result<(), String>,
    ) -> Result<Result<RunRecord, E>, StoreError> {
        let shown = self.shown.clone();
        let err = |e: &dyn std::fmt::Display| StoreError::Backend {
            path: shown.clone(),
            message: e.to_string(),
        };
        let mut tx = self
            .conn
            .start_transaction(TxOpts::default())
            .await
            .map_err(|e| err(&e))?;
        let open = load(&mut tx, None, true).await.map_err(|e| err(&e))?;
        let mut record = match decide(&open) {
            Ok(record) => record,
            Err(e) => return Ok(Err(e)),
        };
        tx.exec_drop(
            "INSERT INTO driftwatch_runs (started_at, finished_at, exit_code) VALUES (?, ?, ?)",
            (
                record.started_at.to_string(),
                record.finished_at.to_string(),
                record.exit_code,
            ),
        )
        .await
        .map_err(|e| err(&e))?;
        let run_id = i64::try_from(tx.last_insert_id().unwrap_or(0)).unwrap_or(0);
        for env in &mut record.environments {
            for update in &mut env.changes.updates {
                write_incident(&mut tx, &mut update.incident)
                    .await
                    .map_err(|e| err(&e))?;
                let incident = &update.incident;
                for event in &update.events {
                    let (history, detail) = event_rows(incident, event);
                    if let Some((at, severity)) = history {
                        tx.exec_drop(
                            "INSERT INTO driftwatch_severity_history (incident_id, at, severity) VALUES (?, ?, ?)",
                            (incident.id, at.to_string(), severity.name()),
                        )
                        .await
                        .map_err(|e| err(&e))?;
                    }
                    tx.exec_drop(
                        "INSERT INTO driftwatch_incident_events (incident_id, run_id, at, event, detail) VALUES (?, ?, ?, ?, ?)",
                        (incident.id, run_id, record.started_at.to_string(), event.name(), detail),
                    )
                    .await
                    .map_err(|e| err(&e))?;
                }
            }
            let mut params: Vec<Value> = vec![
                run_id.into(),
                env.environment.clone().into(),
                env.status.name().into(),
                env.error.clone().into(),
            ];
            params.extend(run_counts(env).map(Value::from));
            tx.exec_drop(
                "INSERT INTO driftwatch_run_environments (run_id, environment, status, error, critical, high, medium, low, \
                 opened, updated, escalated, resolved) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                Params::Positional(params),
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
        let resolved: Option<Option<String>> = self
            .conn
            .exec_first(
                "SELECT resolved_at FROM driftwatch_incidents WHERE id = ?",
                (id,),
            )
            .await
            .map_err(|e| self.err(e))?;
        match resolved {
            None => return Err(StoreError::NoSuchIncident(id)),
            Some(Some(_)) => return Err(StoreError::Resolved(id)),
            Some(None) => {}
        }
        let result = self
            .conn
            .exec_drop(
                "UPDATE driftwatch_incidents SET acknowledged_by = ?, acknowledged_at = ? WHERE id = ?",
                (by, now.to_string(), id),
            )
            .await;
        result.map_err(|e| self.err(e))?;
        let result = self
            .conn
            .exec_drop(
                "INSERT INTO driftwatch_incident_events (incident_id, run_id, at, event, detail) VALUES (?, NULL, ?, 'acknowledged', ?)",
                (id, now.to_string(), by),
            )
            .await;
        result.map_err(|e| self.err(e))?;
        self.all_incidents()
            .await?
            .into_iter()
            .find(|i| i.id == id)
            .ok_or(StoreError::NoSuchIncident(id))
    }

    /// Links an incident to the issue that tracks it (for the notifiers).
    pub async fn set_issue_ref(&mut self, id: i64, issue_ref: &str) -> Result<(), StoreError> {
        let result = self
            .conn
            .exec_drop(
                "UPDATE driftwatch_incidents SET issue_ref = ? WHERE id = ?",
                (issue_ref, id),
            )
            .await;
        result.map_err(|e| self.err(e))?;
        Ok(())
    }

    pub async fn last_checks(&mut self) -> Result<Vec<LastCheck>, StoreError> {
        let rows: Vec<(String, i64, String, String, Option<String>)> = self
            .conn
            .query(
                "SELECT re.environment, re.run_id, r.started_at, re.status, re.error \
                 FROM driftwatch_run_environments re JOIN driftwatch_runs r ON r.id = re.run_id \
                 WHERE re.run_id = (SELECT MAX(x.run_id) FROM driftwatch_run_environments x WHERE x.environment = re.environment) \
                 ORDER BY re.environment",
            )
            .await
            .map_err(|e| self.err(e))?;
        rows.into_iter()
            .map(|(environment, run_id, at, status, error)| {
                Ok(LastCheck {
                    environment,
                    run_id,
                    at: timestamp(&at).map_err(StoreError::Corrupt)?,
                    status,
                    error,
                })
            })
            .collect()
    }

    pub async fn close(mut self) {
        self.unlock().await;
        let _ = self.conn.disconnect().await;
    }
}

async fn write_incident(
    conn: &mut impl Queryable,
    incident: &mut Incident,
) -> Result<(), mysql_async::Error> {
    let ts = |t: Option<Timestamp>| Value::from(t.map(|t| t.to_string()));
    if incident.id == 0 {
        let params: Vec<Value> = vec![
            incident.environment.clone().into(),
            incident.drift_id.clone().into(),
            incident.kind.clone().into(),
            incident.table.clone().into(),
            incident.object.clone().into(),
            incident.severity.name().into(),
            incident.first_seen.to_string().into(),
            incident.last_seen.to_string().into(),
            incident.sla_since.to_string().into(),
            incident.escalation_level.into(),
            incident.acknowledged_by.clone().into(),
            ts(incident.acknowledged_at),
            ts(incident.resolved_at),
            incident.issue_ref.clone().into(),
        ];
        conn.exec_drop(
            "INSERT INTO driftwatch_incidents (environment, drift_id, kind, table_name, object, severity, first_seen, \
             last_seen, sla_since, escalation_level, acknowledged_by, acknowledged_at, resolved_at, issue_ref) \
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            Params::Positional(params),
        )
        .await?;
        let id: Option<i64> = conn.query_first("SELECT LAST_INSERT_ID()").await?;
        incident.id = id.unwrap_or(0);
    } else {
        let params: Vec<Value> = vec![
            incident.kind.clone().into(),
            incident.table.clone().into(),
            incident.object.clone().into(),
            incident.severity.name().into(),
            incident.last_seen.to_string().into(),
            incident.sla_since.to_string().into(),
            incident.escalation_level.into(),
            ts(incident.resolved_at),
            incident.id.into(),
        ];
        conn.exec_drop(
            "UPDATE driftwatch_incidents SET kind = ?, table_name = ?, object = ?, severity = ?, last_seen = ?, \
             sla_since = ?, escalation_level = ?, resolved_at = ? WHERE id = ?",
            Params::Positional(params),
        )
        .await?;
    }
    Ok(())
}

async fn load(
    conn: &mut impl Queryable,
    environment: Option<&str>,
    open_only: bool,
) -> Result<Vec<Incident>, String> {
    let rows: Vec<Row> = conn
        .exec(
            "SELECT id, environment, drift_id, kind, table_name, object, severity, first_seen, last_seen, sla_since, \
             escalation_level, acknowledged_by, acknowledged_at, resolved_at, issue_ref FROM driftwatch_incidents \
             WHERE (? IS NULL OR environment = ?) AND (? = 0 OR resolved_at IS NULL) ORDER BY id",
            (environment, environment, i32::from(open_only)),
        )
        .await
        .map_err(|e| e.to_string())?;
    let mut incidents = Vec::with_capacity(rows.len());
    for row in rows {
        let id: i64 = get(&row, 0)?;
        let history: Vec<(String, String)> = conn
            .exec(
                "SELECT at, severity FROM driftwatch_severity_history WHERE incident_id = ? ORDER BY id",
                (id,),
            )
            .await
            .map_err(|e| e.to_string())?;
        let severity_history = history
            .iter()
            .map(|(at, s)| {
                Ok(SeverityChange {
                    at: timestamp(at)?,
                    severity: severity(s)?,
                })
            })
            .collect::<Result<Vec<_>, String>>()?;
        let opt_ts = |text: Option<String>| text.as_deref().map(timestamp).transpose();
        incidents.push(Incident {
            id,
            environment: get(&row, 1)?,
            drift_id: get(&row, 2)?,
            kind: get(&row, 3)?,
            table: get(&row, 4)?,
            object: get(&row, 5)?,
            severity: severity(&get::<String>(&row, 6)?)?,
            severity_history,
            first_seen: timestamp(&get::<String>(&row, 7)?)?,
            last_seen: timestamp(&get::<String>(&row, 8)?)?,
            sla_since: timestamp(&get::<String>(&row, 9)?)?,
            escalation_level: get(&row, 10)?,
            acknowledged_by: get(&row, 11)?,
            acknowledged_at: opt_ts(get(&row, 12)?)?,
            resolved_at: opt_ts(get(&row, 13)?)?,
            issue_ref: get(&row, 14)?,
        });
    }
    Ok(incidents)
}

fn get<T: mysql_async::prelude::FromValue>(row: &Row, index: usize) -> Result<T, String> {
    match row.get_opt::<T, usize>(index) {
        Some(Ok(value)) => Ok(value),
        Some(Err(e)) => Err(format!("column {index}: {e}")),
        None => Err(format!("column {index} missing")),
    }
}

fn timestamp(text: &str) -> Result<Timestamp, String> {
    text.parse().map_err(|e| format!("timestamp `{text}`: {e}"))
}

fn severity(text: &str) -> Result<Severity, String> {
    text.parse()
}
