//! The dev database of `validate --dev-url` (a scratch database, like Atlas's
//! dev database or Skeema's workspace): driftwatch creates the expected
//! schema there, reads it back like any database, and drops what it created.
//!
//! **This is the only code in driftwatch that writes to a server**, and it
//! only ever targets the database named by `--dev-url`. Everything else
//! (`catalog`) runs read-only sessions with `SELECT`s only. The guards:
//!
//! * the session works only after [`DevDatabase::open`] took a named lock for
//!   the dev database (two runs never share it at the same time);
//! * [`DevDatabase::require_clean`] refuses a database that holds any table
//!   or view, so that cleanup can never remove something driftwatch did not
//!   create;
//! * [`DevDatabase::execute`] runs one statement at a time and records each
//!   table and view it created; [`DevDatabase::drop_created`] drops exactly
//!   those, then checks that the database is empty again.
//!
//! The caller refuses a dev URL that names the database being validated
//! before calling anything here ([`ServerIdentity`] helps it tell).

use std::time::Duration;

use driftwatch_model::Flavor;
use mysql_async::Conn;
use mysql_async::prelude::Queryable;

use crate::catalog;
use crate::error::InspectError;
use crate::rows::ServerRow;
use crate::url::DatabaseUrl;

/// How long [`DevDatabase::open`] waits for another run to release the
/// dev database.
const LOCK_WAIT: Duration = Duration::from_secs(10);

/// What kind of object a statement creates (what cleanup must drop).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ObjectKind {
    Table,
    View,
}

#[derive(Debug, thiserror::Error)]
pub enum DevDatabaseError {
    #[error("dev database: {0}")]
    Connect(#[from] InspectError),

    #[error(
        "dev database `{database}` on {addr} is not clean: it holds {}. driftwatch creates the \
         expected schema there and drops it afterwards, so it must start empty. Hint: point \
         --dev-url at an empty scratch database (e.g. `CREATE DATABASE driftwatch_dev`)",
        describe_objects(objects)
    )]
    NotClean {
        database: String,
        addr: String,
        objects: Vec<String>,
    },

    #[error(
        "dev database `{database}` on {addr} is in use by another driftwatch run (waited {} s for \
         its lock). Hint: give each concurrent run its own dev database",
        LOCK_WAIT.as_secs()
    )]
    Busy { database: String, addr: String },

    #[error(
        "creating the expected schema on the dev database `{database}` on {addr} failed at \
         `{object}`: {message}\n  statement: {statement}"
    )]
    Ddl {
        object: String,
        database: String,
        addr: String,
        message: String,
        statement: String,
    },

    #[error("dev database `{database}` on {addr}: {what} failed: {message}")]
    Query {
        what: &'static str,
        database: String,
        addr: String,
        message: String,
    },

    #[error(
        "could not clean up the dev database `{database}` on {addr}: {} remain ({message}). \
         Hint: drop them by hand; the next run refuses a dev database that is not empty",
        describe_objects(remaining)
    )]
    Cleanup {
        database: String,
        addr: String,
        remaining: Vec<String>,
        message: String,
    },
}

fn describe_objects(objects: &[String]) -> String {
    const SHOWN: usize = 5;
    let mut names: Vec<String> = objects
        .iter()
        .take(SHOWN)
        .map(|o| format!("`{o}`"))
        .collect();
    if objects.len() > SHOWN {
        names.push(format!("and {} more", objects.len() - SHOWN));
    }
    let noun = if objects.len() == 1 {
        "table or view"
    } else {
        "tables or views"
    };
    format!("{} {noun}: {}", objects.len(), names.join(", "))
}

/// Which server instance a connection reached: two URLs that reach the same
/// instance (`localhost` and `127.0.0.1`, a DNS alias) have the same identity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerIdentity {
    pub hostname: String,
    pub port: String,
    pub datadir: String,
}

/// Every system variable here is readable without any privilege.
const IDENTITY_QUERY: &str =
    "SELECT CAST(@@hostname AS CHAR), CAST(@@port AS CHAR), CAST(@@datadir AS CHAR)";

async fn read_identity(conn: &mut Conn) -> Option<ServerIdentity> {
    let row: Option<(Option<String>, Option<String>, Option<String>)> =
        conn.query_first(IDENTITY_QUERY).await.ok()?;
    let (hostname, port, datadir) = row?;
    Some(ServerIdentity {
        hostname: hostname?,
        port: port?,
        datadir: datadir.unwrap_or_default(),
    })
}

/// The identity of the server behind `url`, over a read-only session (used
/// for the database being validated). `None` when the server does not say
/// (a proxy without these variables).
pub async fn server_identity(url: &DatabaseUrl) -> Result<Option<ServerIdentity>, InspectError> {
    let mut timings = Vec::new();
    let mut conn = catalog::connect(url, &mut timings).await?;
    let identity = read_identity(&mut conn).await;
    let _ = conn.disconnect().await;
    Ok(identity)
}

/// An open, locked session on the dev database.
pub struct DevDatabase {
    conn: Conn,
    url: DatabaseUrl,
    database: String,
    pub flavor: Flavor,
    pub server: ServerRow,
    /// Set by [`DevDatabase::require_clean`]; nothing is executed before.
    verified_clean: bool,
    /// Created objects, in creation order.
    created: Vec<(ObjectKind, String)>,
}

impl DevDatabase {
    /// Connects to the dev database, identifies the server and takes the
    /// dev database's lock. Writes nothing.
    pub async fn open(url: &DatabaseUrl) -> Result<DevDatabase, DevDatabaseError> {
        let database = url
            .require_database()
            .map_err(InspectError::from)?
            .to_string();
        let mut timings = Vec::new();
        let mut conn = catalog::connect(url, &mut timings).await?;
        let target = catalog::Target::of(url);
        let server = catalog::fetch_server(&mut conn, &target, &mut timings).await?;
        let flavor = Flavor::identify(
            &server.version,
            server.version_comment.as_deref().unwrap_or(""),
        );
        let mut dev = DevDatabase {
            conn,
            url: url.clone(),
            database,
            flavor,
            server,
            verified_clean: false,
            created: Vec::new(),
        };
        dev.lock().await?;
        // `catalog::connect` made the session read-only; this session is the
        // one that may write, and only to this database. Foreign key checks
        // are off so that tables can be created and dropped in any order (a
        // foreign key may reference a table that is not compared, hence not
        // created).
        dev.run("prepare the session", "SET SESSION TRANSACTION READ WRITE")
            .await?;
        dev.run("prepare the session", "SET SESSION foreign_key_checks = 0")
            .await?;
        Ok(dev)
    }

    pub fn database(&self) -> &str {
        &self.database
    }

    /// `host:port`, for messages.
    pub fn addr(&self) -> String {
        self.url.host_port()
    }

    pub async fn identity(&mut self) -> Option<ServerIdentity> {
        read_identity(&mut self.conn).await
    }

    /// `GET_LOCK` names are server-wide and at most 64 characters.
    fn lock_name(&self) -> String {
        format!("driftwatch-dev:{}", self.database)
            .chars()
            .take(64)
            .collect()
    }

    async fn lock(&mut self) -> Result<(), DevDatabaseError> {
        let name = self.lock_name();
        let acquired: Option<Option<i64>> = self
            .conn
            .exec_first("SELECT GET_LOCK(?, ?)", (name, LOCK_WAIT.as_secs()))
            .await
            .map_err(|e| self.query_error("taking the dev database lock", &e))?;
        match acquired.flatten() {
            Some(1) => Ok(()),
            _ => Err(DevDatabaseError::Busy {
                database: self.database.clone(),
                addr: self.addr(),
            }),
        }
    }

    /// The tables and views in the dev database, by name.
    pub async fn objects(&mut self) -> Result<Vec<String>, DevDatabaseError> {
        let rows: Vec<Vec<u8>> = self
            .conn
            .exec(
                "SELECT TABLE_NAME AS table_name FROM information_schema.TABLES \
                 WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME",
                (self.database.as_str(),),
            )
            .await
            .map_err(|e| self.query_error("listing its tables", &e))?;
        Ok(rows
            .into_iter()
            .map(|name| String::from_utf8_lossy(&name).into_owned())
            .collect())
    }

    /// Refuses a dev database that holds any table or view.
    pub async fn require_clean(&mut self) -> Result<(), DevDatabaseError> {
        let objects = self.objects().await?;
        if objects.is_empty() {
            self.verified_clean = true;
            return Ok(());
        }
        Err(DevDatabaseError::NotClean {
            database: self.database.clone(),
            addr: self.addr(),
            objects,
        })
    }

    /// Interprets DDL under the target server's `sql_mode`, as the target's
    /// own migrations were. A mode this server does not know is skipped with
    /// a warning: the server default is the next best thing.
    pub async fn use_sql_mode(&mut self, sql_mode: &str) {
        // sql_mode is a list of upper-case words; anything else is not one.
        if !sql_mode
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ',')
        {
            return;
        }
        let statement = format!("SET SESSION sql_mode = '{sql_mode}'");
        if let Err(error) = self.run("set sql_mode", &statement).await {
            tracing::warn!(%error, "dev database keeps its own sql_mode");
        }
    }

    /// Runs one DDL statement about `object` and records what it created.
    /// Refuses to run before [`DevDatabase::require_clean`] succeeded.
    pub async fn execute(
        &mut self,
        object: &str,
        creates: Option<ObjectKind>,
        statement: &str,
    ) -> Result<(), DevDatabaseError> {
        if !self.verified_clean {
            self.require_clean().await?;
        }
        tracing::debug!(object, statement, "dev database DDL");
        if let Err(error) = self.conn.query_drop(statement).await {
            return Err(DevDatabaseError::Ddl {
                object: object.to_string(),
                database: self.database.clone(),
                addr: self.addr(),
                message: self.scrub(&server_message(&error)),
                statement: statement.to_string(),
            });
        }
        if let Some(kind) = creates {
            self.created.push((kind, object.to_string()));
        }
        Ok(())
    }

    /// Drops every table and view [`DevDatabase::execute`] created (views
    /// first, newest first), then checks that the database is empty again.
    /// When the session broke on the way, one fresh session retries. A
    /// database never found clean was never written to: nothing to do.
    pub async fn drop_created(&mut self) -> Result<(), DevDatabaseError> {
        if !self.verified_clean {
            return Ok(());
        }
        let first = self.drop_created_once().await;
        let outcome = match first {
            Ok(()) => Ok(()),
            Err(_) if self.reconnect().await.is_ok() => self.drop_created_once().await,
            Err(error) => Err(error),
        };
        match outcome {
            Ok(()) => {
                self.created.clear();
                Ok(())
            }
            Err(error) => {
                let remaining = match self.objects().await {
                    Ok(objects) => objects,
                    Err(_) => self.created.iter().map(|(_, name)| name.clone()).collect(),
                };
                Err(DevDatabaseError::Cleanup {
                    database: self.database.clone(),
                    addr: self.addr(),
                    remaining,
                    message: error.to_string(),
                })
            }
        }
    }

    async fn drop_created_once(&mut self) -> Result<(), DevDatabaseError> {
        let mut drops: Vec<String> = Vec::new();
        for kind in [ObjectKind::View, ObjectKind::Table] {
            for (_, name) in self.created.iter().rev().filter(|(k, _)| *k == kind) {
                let keyword = match kind {
                    ObjectKind::View => "VIEW",
                    ObjectKind::Table => "TABLE",
                };
                drops.push(format!(
                    "DROP {keyword} IF EXISTS `{}`",
                    name.replace('`', "``")
                ));
            }
        }
        for statement in &drops {
            self.run("dropping what it created", statement).await?;
        }
        let remaining = self.objects().await?;
        if remaining.is_empty() {
            Ok(())
        } else {
            Err(DevDatabaseError::NotClean {
                database: self.database.clone(),
                addr: self.addr(),
                objects: remaining,
            })
        }
    }

    async fn reconnect(&mut self) -> Result<(), DevDatabaseError> {
        let mut timings = Vec::new();
        self.conn = catalog::connect(&self.url, &mut timings).await?;
        self.run("prepare the session", "SET SESSION TRANSACTION READ WRITE")
            .await?;
        self.run("prepare the session", "SET SESSION foreign_key_checks = 0")
            .await
    }

    /// Releases the lock and disconnects.
    pub async fn close(mut self) {
        let name = self.lock_name();
        let _ = self.conn.exec_drop("DO RELEASE_LOCK(?)", (name,)).await;
        if let Err(error) = self.conn.disconnect().await {
            tracing::debug!(error = %error, "disconnect failed (ignored)");
        }
    }

    async fn run(&mut self, what: &'static str, statement: &str) -> Result<(), DevDatabaseError> {
        self.conn
            .query_drop(statement)
            .await
            .map_err(|e| self.query_error(what, &e))
    }

    fn query_error(&self, what: &'static str, error: &mysql_async::Error) -> DevDatabaseError {
        DevDatabaseError::Query {
            what,
            database: self.database.clone(),
            addr: self.addr(),
            message: self.scrub(&server_message(error)),
        }
    }

    /// Server and driver messages never carry the password, but make sure.
    fn scrub(&self, message: &str) -> String {
        match self.url.password() {
            Some(password) if password.len() >= 4 => message.replace(password, "***"),
            _ => message.to_string(),
        }
    }
}

/// `ERROR 1064: You have an error…` for server errors, the driver's text otherwise.
fn server_message(error: &mysql_async::Error) -> String {
    match error {
        mysql_async::Error::Server(server) => {
            format!("server error {}: {}", server.code, server.message)
        }
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_list_of_objects_is_cut_after_five() {
        let objects: Vec<String> = (1..=7).map(|i| format!("t{i}")).collect();
        assert_eq!(
            describe_objects(&objects),
            "7 tables or views: `t1`, `t2`, `t3`, `t4`, `t5`, and 2 more"
        );
    }
}
