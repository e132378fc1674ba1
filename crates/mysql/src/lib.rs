//! Live introspection of MySQL-compatible servers (MySQL 5.7/8.x, MariaDB,
//! TiDB, Vitess) through information_schema.
//!
//! ```text
//! DatabaseUrl ──3 sessions──► catalog::fetch_catalog ──────────────────► CatalogRows
//!              (login only)   (one query per I_S table, one batch per session:  │
//!                              read-only SET first; batch.rs)                   │
//!                                                               interpret::interpret (pure)
//!                                                                               ▼
//!                                                      Schema + diagnostics + ignored tables
//! ```
//!
//! * [`url`]: connection URLs (`mysql://`, `mariadb://`, drizzle `dbCredentials`),
//!   never printing the password;
//! * [`rows`]: raw information_schema rows, serializable (fixtures);
//! * [`catalog`]: the SQL and the only code that touches the connection;
//! * [`history`]: the migrations table drizzle's migrator writes (read-only);
//! * [`dev_database`]: `validate --dev-url` only: the one writer, which
//!   creates the expected schema on a scratch database and drops it again;
//! * [`interpret`]: rows → Model, the same code for live rows and fixtures;
//!   the server quirks it applies live in `driftwatch_model::quirks`.
//!
//! The async functions need a Tokio runtime with the time driver enabled
//! (connect timeout).

mod batch;
pub mod catalog;
pub mod dev_database;
pub mod error;
pub mod history;
pub mod interpret;
pub mod processlist;
pub mod rows;
pub mod url;

use std::time::Duration;

use driftwatch_model::{Flavor, Schema};
use tracing::Instrument;

pub use crate::catalog::Timings;
pub use crate::dev_database::{DevDatabase, DevDatabaseError};
pub use crate::error::InspectError;
pub use crate::history::{MigrationRow, MigrationsTable, read_migrations_table};
pub use crate::interpret::{
    InspectDiagnostic, InspectOptions, Interpreted, interpret, interpret_taking_columns,
};
pub use crate::processlist::{RunningStatement, running_schema_changes};
pub use crate::rows::{CatalogRows, ServerRow, Text};
pub use crate::url::{DatabaseUrl, SslMode, UrlError};

/// The Model of a live database, and how it was read.
#[derive(Debug, Clone)]
pub struct Inspection {
    pub flavor: Flavor,
    pub database: String,
    /// `host:port`; never credentials.
    pub host: String,
    pub server: ServerRow,
    pub schema: Schema,
    pub diagnostics: Vec<InspectDiagnostic>,
    pub ignored_tables: Vec<String>,
    /// `connect`, `server`, then each catalog query by what it reads.
    pub timings: Vec<(&'static str, Duration)>,
    /// The rows the Model was read from, except COLUMNS: interpret takes
    /// those and frees each once read (`interpret_taking_columns`);
    /// `fetch_rows` keeps them all.
    pub rows: CatalogRows,
}

/// Catalog rows of a live database, before interpretation.
#[derive(Debug, Clone)]
pub struct Fetched {
    pub flavor: Flavor,
    pub rows: CatalogRows,
    pub timings: Timings,
}

/// Reads the database named in `url` into the Model.
pub async fn inspect(
    url: &DatabaseUrl,
    options: &InspectOptions,
) -> Result<Inspection, InspectError> {
    let mut fetched = fetch_rows(url).await?;
    let interpreted = interpret_taking_columns(&mut fetched.rows, &fetched.flavor, options);
    tracing::debug!(
        tables = interpreted.schema.tables.len(),
        views = interpreted.schema.views.len(),
        diagnostics = interpreted.diagnostics.len(),
        "interpreted catalog"
    );
    Ok(Inspection {
        flavor: fetched.flavor,
        database: fetched.rows.database.clone(),
        host: url.host_port(),
        server: fetched.rows.server.clone(),
        schema: interpreted.schema,
        diagnostics: interpreted.diagnostics,
        ignored_tables: interpreted.ignored_tables,
        timings: fetched.timings,
        rows: fetched.rows,
    })
}

/// Connects read-only and fetches every catalog row of the database named in
/// `url` (which must name one).
pub async fn fetch_rows(url: &DatabaseUrl) -> Result<Fetched, InspectError> {
    fetch_rows_guessing(url, None).await
}

/// [`fetch_rows`] with the statements first chosen for `guess` instead of
/// the server version the handshake announced: for tests that a wrong guess
/// costs a round trip, never a wrong answer.
#[doc(hidden)]
pub async fn fetch_rows_guessing(
    url: &DatabaseUrl,
    guess: Option<Flavor>,
) -> Result<Fetched, InspectError> {
    let database = url.require_database()?.to_string();
    let span = tracing::debug_span!("inspect", host = %url.host_port(), database = %database);
    async move {
        let target = catalog::Target::of(url);
        let mut timings = Timings::new();
        // Every session connects at once; the first batch of the first one
        // also identifies the server.
        let opened = futures_util::future::join_all((0..catalog::SESSIONS).map(|_| async {
            let mut timings = Timings::new();
            catalog::open_session(url, &mut timings)
                .await
                .map(|conn| (conn, timings))
        }))
        .await;
        let mut conns = Vec::with_capacity(opened.len());
        let mut refused = None;
        for session in opened {
            match session {
                Ok((conn, session_timings)) => {
                    if conns.is_empty() {
                        timings.extend(session_timings);
                    }
                    conns.push(conn);
                }
                // A server at its connection limit still gets the inspection,
                // on the sessions it accepted (whichever won the race).
                Err(error) => {
                    tracing::debug!(%error, "session refused; continuing with fewer");
                    refused.get_or_insert(error);
                }
            }
        }
        if conns.is_empty()
            && let Some(error) = refused
        {
            return Err(error);
        }
        let fetched =
            catalog::fetch_catalog(&mut conns, &target, &database, guess, &mut timings).await;
        let conns_len = conns.len();
        for conn in conns {
            if let Err(error) = conn.disconnect().await {
                tracing::debug!(error = %error, "disconnect failed (ignored)");
            }
        }
        let (flavor, rows) = fetched?;
        tracing::debug!(%flavor, sessions = conns_len, "catalog read");
        Ok(Fetched {
            flavor,
            rows,
            timings,
        })
    }
    .instrument(span)
    .await
}

/// The databases on the server of `url` (which need not name one), system
/// schemas left out, in name order: the candidates of `validate --databases`.
pub async fn list_databases(url: &DatabaseUrl) -> Result<Vec<String>, InspectError> {
    use mysql_async::prelude::Queryable;
    let target = catalog::Target::of(url);
    let mut timings = Timings::new();
    let mut conn = catalog::connect(url, &mut timings).await?;
    let names: Result<Vec<String>, _> = conn
        .query(
            "SELECT SCHEMA_NAME AS schema_name FROM information_schema.SCHEMATA \
             WHERE SCHEMA_NAME NOT IN ('information_schema', 'mysql', 'performance_schema', 'sys') \
             ORDER BY SCHEMA_NAME",
        )
        .await;
    if let Err(error) = conn.disconnect().await {
        tracing::debug!(error = %error, "disconnect failed (ignored)");
    }
    names.map_err(|e| target.query_error("databases (SCHEMATA)", e))
}

/// What a successful [`ping`] learned.
#[derive(Debug, Clone)]
pub struct Ping {
    pub flavor: Flavor,
    pub server: ServerRow,
    /// `host:port`.
    pub host: String,
    pub connect_time: Duration,
    /// Time of one `SELECT 1` round trip.
    pub round_trip: Duration,
}

/// Connects (to the URL's database when it names one), runs `SELECT 1` and
/// identifies the server.
pub async fn ping(url: &DatabaseUrl) -> Result<Ping, InspectError> {
    let target = catalog::Target::of(url);
    let mut timings = Timings::new();
    let mut conn = catalog::connect(url, &mut timings).await?;
    let round_trip = catalog::select_one(&mut conn, &target).await?;
    let server = catalog::fetch_server(&mut conn, &target, &mut timings).await?;
    if let Err(error) = conn.disconnect().await {
        tracing::debug!(error = %error, "disconnect failed (ignored)");
    }
    Ok(Ping {
        flavor: server.flavor(),
        server,
        host: url.host_port(),
        connect_time: timings.first().map(|(_, d)| *d).unwrap_or_default(),
        round_trip,
    })
}
