//! The only code that talks to the server: connecting, and one
//! information_schema query per catalog table for the whole database.
//!
//! Rules (reference §1): every query filters on the schema with an
//! equality (`?` in the templates below, sent as an escaped literal over the
//! text protocol), aliases every column, orders explicitly, and selects only
//! the columns the server has (chosen per flavour by
//! [`driftwatch_model::quirks`]). No query joins information_schema tables
//! on the server (slow on MariaDB and MySQL 5.7: each is materialised on its
//! own); rows are joined in Rust by [`crate::interpret`]. No dynamic
//! statistics column (`TABLE_ROWS`, `CARDINALITY`, …) is ever selected.
//! Values are read as bytes and turned into text (`from_utf8_lossy` only
//! for the rare value that is not UTF-8: binary defaults).
//!
//! Round trips, not bytes, are what an inspection waits for on a remote
//! server, so their number is constant: the queries are independent and
//! spread over up to [`SESSIONS`] sessions opened at once, and each session
//! sends its share as one multi-statement batch ([`crate::batch`]) that also
//! makes it read-only (the first one also asks who the server is). An
//! inspection costs each session its login and one round trip, whatever the
//! table count. Rows are converted as they arrive, without an intermediate
//! copy.
//!
//! The session is read-only: every batch starts with
//! `SET SESSION TRANSACTION READ ONLY`, and only `SELECT`s (and `SHOW`s)
//! follow. A user with nothing but `SELECT` on the database is enough.

use std::time::{Duration, Instant};

use driftwatch_model::Flavor;
use driftwatch_model::quirks::{self, CheckConstraintsShape};
use mysql_async::prelude::Queryable;
use mysql_async::{Conn, OptsBuilder, Row, SslOpts, Value};
use tracing::debug;

use crate::batch::{self, Collector, RowSink, Step};
use crate::error::InspectError;
use crate::rows::{
    CatalogRows, CheckConstraintsRow, ColumnsRow, KeyColumnUsageRow, ReferentialConstraintsRow,
    SchemataRow, ServerRow, ShowCreateTableRow, StatisticsRow, TableConstraintsRow, TablesRow,
    ViewsRow,
};
use crate::url::{DatabaseUrl, SslMode};

/// Elapsed time per step (`connect`, then each query by name).
pub type Timings = Vec<(&'static str, Duration)>;

/// What error messages say about the connection: never the password.
#[derive(Debug, Clone)]
pub struct Target {
    pub addr: String,
    pub user: String,
    pub database: String,
    password: Option<String>,
}

impl Target {
    pub fn of(url: &DatabaseUrl) -> Target {
        Target {
            addr: url.host_port(),
            user: url.user().to_string(),
            database: url.database().unwrap_or("").to_string(),
            password: url.password().map(str::to_string),
        }
    }

    /// Server and driver messages never carry the password, but make sure.
    pub(crate) fn scrub(&self, message: &str) -> String {
        match &self.password {
            Some(password) if password.len() >= 4 => message.replace(password.as_str(), "***"),
            _ => message.to_string(),
        }
    }

    pub(crate) fn query_error(
        &self,
        what: &'static str,
        error: mysql_async::Error,
    ) -> InspectError {
        InspectError::Query {
            what,
            database: self.database.clone(),
            addr: self.addr.clone(),
            message: self.scrub(&error.to_string()),
        }
    }

    pub(crate) fn unexpected_row(&self, what: &'static str, message: String) -> InspectError {
        InspectError::UnexpectedRow {
            what,
            database: self.database.clone(),
            addr: self.addr.clone(),
            message,
        }
    }
}

// ---------------------------------------------------------------------------
// Connecting
// ---------------------------------------------------------------------------

/// Opens a read-only session to `url` (TLS per its `ssl-mode`; connect
/// timeout from the URL, 10 s by default) and records the time taken.
pub async fn connect(url: &DatabaseUrl, timings: &mut Timings) -> Result<Conn, InspectError> {
    let target = Target::of(url);
    let mut conn = open_session(url, timings).await?;
    let _ = batch::run(&mut conn, &target, &mut [batch::read_only_step()], timings).await;
    Ok(conn)
}

/// Opens a session without a statement: the caller makes it read-only in
/// its first batch ([`batch::read_only_step`]), saving a round trip.
pub async fn open_session(url: &DatabaseUrl, timings: &mut Timings) -> Result<Conn, InspectError> {
    let target = Target::of(url);
    let started = Instant::now();
    let mode = url.ssl_mode().unwrap_or(SslMode::Disabled);
    let conn = match mode {
        SslMode::Disabled => open(url, &target, None, mode).await?,
        SslMode::Preferred => {
            match open(url, &target, Some(ssl_opts(SslMode::Required, url)), mode).await {
                Err(InspectError::TlsUnsupported { .. }) => {
                    debug!(addr = %target.addr, "server offers no TLS; ssl-mode=PREFERRED falls back to plain TCP");
                    open(url, &target, None, mode).await?
                }
                other => other?,
            }
        }
        _ => open(url, &target, Some(ssl_opts(mode, url)), mode).await?,
    };
    let elapsed = started.elapsed();
    debug!(addr = %target.addr, elapsed_ms = elapsed.as_millis() as u64, tls = ?mode, "connected");
    timings.push(("connect", elapsed));
    Ok(conn)
}

fn ssl_opts(mode: SslMode, url: &DatabaseUrl) -> SslOpts {
    let mut opts = SslOpts::default();
    if let Some(ca) = url.ssl_ca() {
        opts = opts.with_root_certs(vec![ca.to_path_buf().into()]);
    }
    match mode {
        SslMode::Disabled | SslMode::Preferred | SslMode::Required => opts
            .with_danger_accept_invalid_certs(true)
            .with_danger_skip_domain_validation(true),
        SslMode::VerifyCa => opts.with_danger_skip_domain_validation(true),
        SslMode::VerifyIdentity => opts,
    }
}

/// The server's own maximum (1 GiB): no catalog row is refused.
const MAX_ALLOWED_PACKET: usize = 1 << 30;
/// The servers' default `wait_timeout`; the driver uses it only for pools.
const WAIT_TIMEOUT_SECONDS: usize = 28_800;

async fn open(
    url: &DatabaseUrl,
    target: &Target,
    ssl: Option<SslOpts>,
    mode: SslMode,
) -> Result<Conn, InspectError> {
    if ssl.is_some() {
        // rustls needs one process-wide crypto provider; another crate of the
        // binary may have enabled a second one, so pick ring explicitly.
        let _ = rustls::crypto::ring::default_provider().install_default();
    }
    let opts = OptsBuilder::default()
        .ip_or_hostname(url.host())
        .tcp_port(url.port())
        .user(Some(url.user()))
        .pass(url.password())
        .db_name(url.database())
        .prefer_socket(false)
        .connect_attribute("program_name", "driftwatch")
        // Given, so that the driver does not ask the server for them
        // (`SELECT @@max_allowed_packet, @@wait_timeout`: a round trip). The
        // packet limit only bounds what this side accepts: the largest.
        .max_allowed_packet(Some(MAX_ALLOWED_PACKET))
        .wait_timeout(Some(WAIT_TIMEOUT_SECONDS))
        .ssl_opts(ssl);
    let timeout = url.connect_timeout();
    match tokio::time::timeout(timeout, Conn::new(opts)).await {
        Err(_) => Err(InspectError::Timeout {
            addr: target.addr.clone(),
            seconds: timeout.as_secs().max(1),
        }),
        Ok(Ok(conn)) => Ok(conn),
        Ok(Err(error)) => Err(connect_error(error, target, mode)),
    }
}

/// Turns a driver error met while connecting into a message that says what
/// and where, without the password.
fn connect_error(error: mysql_async::Error, target: &Target, mode: SslMode) -> InspectError {
    use mysql_async::{DriverError, Error, IoError};
    let addr = target.addr.clone();
    let user = target.user.clone();
    match error {
        Error::Server(server) => match server.code {
            // ER_ACCESS_DENIED_ERROR; 1698 is MariaDB/MySQL's "access denied"
            // for accounts that use unix_socket/auth_socket authentication.
            1045 | 1698 => InspectError::AccessDenied { user, addr },
            // ER_DBACCESS_DENIED_ERROR
            1044 => InspectError::DatabaseAccessDenied {
                user,
                database: target.database.clone(),
                addr,
            },
            // ER_BAD_DB_ERROR
            1049 => InspectError::UnknownDatabase {
                database: target.database.clone(),
                addr,
            },
            // ER_HOST_NOT_PRIVILEGED
            1130 => InspectError::HostNotAllowed { user, addr },
            _ => InspectError::Connect {
                user,
                addr,
                message: target.scrub(&format!("server error {}: {}", server.code, server.message)),
            },
        },
        Error::Io(IoError::Io(io)) => {
            let text = target.scrub(&io.to_string());
            // tokio-rustls reports handshake and certificate failures as I/O errors.
            if io
                .get_ref()
                .is_some_and(|inner| inner.downcast_ref::<rustls::Error>().is_some())
            {
                return InspectError::Tls {
                    addr,
                    message: text,
                };
            }
            match io.kind() {
                std::io::ErrorKind::ConnectionRefused => InspectError::Unreachable {
                    addr,
                    reason: "connection refused (nothing listens on that port)".to_string(),
                },
                std::io::ErrorKind::TimedOut => InspectError::Unreachable {
                    addr,
                    reason: "the TCP connection timed out".to_string(),
                },
                std::io::ErrorKind::HostUnreachable
                | std::io::ErrorKind::NetworkUnreachable
                | std::io::ErrorKind::AddrNotAvailable => {
                    InspectError::Unreachable { addr, reason: text }
                }
                _ if text.contains("lookup")
                    || text.contains("resolve")
                    || text.contains("known") =>
                {
                    InspectError::Unreachable {
                        addr,
                        reason: format!("cannot resolve the host name ({text})"),
                    }
                }
                _ => InspectError::Connect {
                    user,
                    addr,
                    message: text,
                },
            }
        }
        Error::Io(other) => InspectError::Tls {
            addr,
            message: target.scrub(&other.to_string()),
        },
        Error::Driver(DriverError::NoClientSslFlagFromServer) => InspectError::TlsUnsupported {
            addr,
            mode: mode.as_str(),
        },
        other => InspectError::Connect {
            user,
            addr,
            message: target.scrub(&other.to_string()),
        },
    }
}

/// `SELECT 1`: is the session alive, and how long does a round trip take.
pub async fn select_one(conn: &mut Conn, target: &Target) -> Result<Duration, InspectError> {
    let started = Instant::now();
    let _: Option<Row> = conn
        .query_first("SELECT 1")
        .await
        .map_err(|e| target.query_error("SELECT 1", e))?;
    Ok(started.elapsed())
}

// ---------------------------------------------------------------------------
// Query text
// ---------------------------------------------------------------------------

/// One information_schema query: what it reads (for messages and timings)
/// and its SQL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CatalogQuery {
    pub what: &'static str,
    pub sql: String,
}

fn select(
    what: &'static str,
    columns: &[&str],
    from: &str,
    filter: &str,
    order: &str,
) -> CatalogQuery {
    let list = columns
        .iter()
        .map(|c| format!("{c} AS {}", c.to_ascii_lowercase()))
        .collect::<Vec<_>>()
        .join(", ");
    let order = if order.is_empty() {
        String::new()
    } else {
        format!(" ORDER BY {order}")
    };
    CatalogQuery {
        what,
        sql: format!("SELECT {list} FROM information_schema.{from} WHERE {filter}{order}"),
    }
}

/// Server identity and the settings that change how rows read (text
/// protocol, no parameter).
pub const SERVER_QUERY: &str = "SELECT VERSION() AS version, @@version_comment AS version_comment, \
     @@lower_case_table_names AS lower_case_table_names, \
     @@character_set_server AS character_set_server, @@collation_server AS collation_server, \
     @@sql_mode AS sql_mode, @@explicit_defaults_for_timestamp AS explicit_defaults_for_timestamp";

/// Amazon Aurora MySQL's release (`3.04.0`). `@@aurora_version` is an error
/// on every other server ("unknown system variable"), and `VERSION()` of
/// Aurora is the plain community version, so it is asked for with
/// `SHOW VARIABLES`, which answers no row where the variable does not exist.
/// It cannot be part of [`SERVER_QUERY`] (a `SHOW` is not a sub-query;
/// `performance_schema.global_variables` may be disabled or absent, and
/// vtgate rewrites `@@version` but passes `SHOW VARIABLES` to the tablet), so
/// it follows it in the first batch when the handshake announced MySQL (an
/// optional statement: a proxy that refuses it costs a round trip, not the
/// inspection), and is not sent to MariaDB.
pub const AURORA_VERSION_QUERY: &str = "SHOW VARIABLES WHERE Variable_name IN ('aurora_version')";

pub fn schemata_query() -> CatalogQuery {
    select(
        "database",
        &[
            "SCHEMA_NAME",
            "DEFAULT_CHARACTER_SET_NAME",
            "DEFAULT_COLLATION_NAME",
        ],
        "SCHEMATA",
        "SCHEMA_NAME = ?",
        "",
    )
}

pub fn tables_query(_flavor: &Flavor) -> CatalogQuery {
    select(
        "tables",
        &[
            "TABLE_NAME",
            "TABLE_TYPE",
            "ENGINE",
            "TABLE_COLLATION",
            "TABLE_COMMENT",
            "CREATE_OPTIONS",
        ],
        "TABLES",
        "TABLE_SCHEMA = ?",
        "TABLE_NAME",
    )
}

/// View definitions (both MySQL and MariaDB have these two columns).
pub fn views_query(_flavor: &Flavor) -> CatalogQuery {
    select(
        "views",
        &["TABLE_NAME", "VIEW_DEFINITION"],
        "VIEWS",
        "TABLE_SCHEMA = ?",
        "TABLE_NAME",
    )
}

pub fn columns_query(flavor: &Flavor) -> CatalogQuery {
    let mut columns = vec![
        "TABLE_NAME",
        "COLUMN_NAME",
        "ORDINAL_POSITION",
        "COLUMN_DEFAULT",
        "IS_NULLABLE",
        "DATA_TYPE",
        "COLUMN_TYPE",
        "CHARACTER_SET_NAME",
        "COLLATION_NAME",
        "COLUMN_KEY",
        "EXTRA",
        "COLUMN_COMMENT",
    ];
    if quirks::columns_have_generation_expression(flavor) {
        columns.push("GENERATION_EXPRESSION");
        if flavor.is_mariadb() {
            columns.push("IS_GENERATED");
        }
    }
    select(
        "columns",
        &columns,
        "COLUMNS",
        "TABLE_SCHEMA = ?",
        "TABLE_NAME, ORDINAL_POSITION",
    )
}

pub fn statistics_query(flavor: &Flavor) -> CatalogQuery {
    let mut columns = vec![
        "TABLE_NAME",
        "INDEX_NAME",
        "NON_UNIQUE",
        "SEQ_IN_INDEX",
        "COLUMN_NAME",
        "COLLATION",
        "SUB_PART",
        "INDEX_TYPE",
        "INDEX_COMMENT",
        "NULLABLE",
    ];
    if quirks::statistics_has_is_visible(flavor) {
        columns.push("IS_VISIBLE");
    }
    if quirks::statistics_has_expression(flavor) {
        columns.push("EXPRESSION");
    }
    if quirks::statistics_has_ignored(flavor) {
        columns.push("IGNORED");
    }
    select(
        "indexes",
        &columns,
        "STATISTICS",
        "TABLE_SCHEMA = ?",
        "TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX",
    )
}

pub fn table_constraints_query(flavor: &Flavor) -> CatalogQuery {
    let mut columns = vec!["TABLE_NAME", "CONSTRAINT_NAME", "CONSTRAINT_TYPE"];
    if quirks::table_constraints_have_enforced(flavor) {
        columns.push("ENFORCED");
    }
    select(
        "constraints",
        &columns,
        "TABLE_CONSTRAINTS",
        "TABLE_SCHEMA = ?",
        "TABLE_NAME, CONSTRAINT_NAME",
    )
}

pub fn key_column_usage_query(_flavor: &Flavor) -> CatalogQuery {
    select(
        "foreign key columns",
        &[
            "TABLE_SCHEMA",
            "TABLE_NAME",
            "CONSTRAINT_NAME",
            "COLUMN_NAME",
            "ORDINAL_POSITION",
            "POSITION_IN_UNIQUE_CONSTRAINT",
            "REFERENCED_TABLE_SCHEMA",
            "REFERENCED_TABLE_NAME",
            "REFERENCED_COLUMN_NAME",
        ],
        "KEY_COLUMN_USAGE",
        "TABLE_SCHEMA = ? AND REFERENCED_TABLE_NAME IS NOT NULL",
        "TABLE_NAME, CONSTRAINT_NAME, ORDINAL_POSITION",
    )
}

pub fn referential_constraints_query(_flavor: &Flavor) -> CatalogQuery {
    select(
        "foreign key rules",
        &[
            "TABLE_NAME",
            "CONSTRAINT_NAME",
            "REFERENCED_TABLE_NAME",
            "UNIQUE_CONSTRAINT_NAME",
            "UPDATE_RULE",
            "DELETE_RULE",
        ],
        "REFERENTIAL_CONSTRAINTS",
        "CONSTRAINT_SCHEMA = ?",
        "TABLE_NAME, CONSTRAINT_NAME",
    )
}

/// `None` where the server has no CHECK_CONSTRAINTS table (or ignores checks).
pub fn check_constraints_query(flavor: &Flavor) -> Option<CatalogQuery> {
    let columns: Vec<&str> = match quirks::check_constraints_shape(flavor) {
        CheckConstraintsShape::Absent => return None,
        CheckConstraintsShape::Mysql => vec!["CONSTRAINT_NAME", "CHECK_CLAUSE"],
        CheckConstraintsShape::Mariadb { has_level: true } => {
            vec!["TABLE_NAME", "CONSTRAINT_NAME", "LEVEL", "CHECK_CLAUSE"]
        }
        CheckConstraintsShape::Mariadb { has_level: false } => {
            vec!["TABLE_NAME", "CONSTRAINT_NAME", "CHECK_CLAUSE"]
        }
    };
    let order = if columns.contains(&"TABLE_NAME") {
        "TABLE_NAME, CONSTRAINT_NAME"
    } else {
        "CONSTRAINT_NAME"
    };
    Some(select(
        "checks",
        &columns,
        "CHECK_CONSTRAINTS",
        "CONSTRAINT_SCHEMA = ?",
        order,
    ))
}

/// Every query [`fetch_catalog`] runs for `flavor`, in order (for docs,
/// `doctor` and tests).
pub fn catalog_queries(flavor: &Flavor) -> Vec<CatalogQuery> {
    let mut queries = vec![
        schemata_query(),
        tables_query(flavor),
        columns_query(flavor),
        statistics_query(flavor),
        table_constraints_query(flavor),
        key_column_usage_query(flavor),
        referential_constraints_query(flavor),
    ];
    queries.extend(check_constraints_query(flavor));
    queries
}

// ---------------------------------------------------------------------------
// Running them
// ---------------------------------------------------------------------------

/// One result row as text, read by alias (case-insensitively: MySQL 8 may
/// upper-case information_schema labels). Values are moved out as they are
/// read: each is read once.
pub(crate) struct Record {
    names: std::sync::Arc<[String]>,
    values: Vec<Option<String>>,
    /// Where the next label is looked for first: the readers ask for the
    /// columns in the order the query selects them, so a lookup is one
    /// comparison instead of a scan (tens of thousands of rows).
    next: usize,
}

/// The lower-cased labels of a result's columns, computed once per result.
pub(crate) fn labels(row: &Row) -> std::sync::Arc<[String]> {
    row.columns_ref()
        .iter()
        .map(|c| c.name_str().to_ascii_lowercase())
        .collect()
}

impl Record {
    pub(crate) fn from_row(row: Row) -> Record {
        let names = labels(&row);
        Record::with_labels(names, row)
    }

    pub(crate) fn with_labels(names: std::sync::Arc<[String]>, row: Row) -> Record {
        let values = row
            .unwrap_raw()
            .into_iter()
            .map(|v| v.and_then(value_text))
            .collect();
        Record {
            names,
            values,
            next: 0,
        }
    }

    pub(crate) fn opt<T: From<String>>(&mut self, name: &str) -> Option<T> {
        let index = if self.names.get(self.next).is_some_and(|n| n == name) {
            self.next
        } else {
            self.names.iter().position(|n| n == name)?
        };
        self.next = index + 1;
        self.values
            .get_mut(index)
            .and_then(Option::take)
            .map(T::from)
    }

    pub(crate) fn req<T: From<String>>(&mut self, name: &str) -> Result<T, String> {
        self.opt(name)
            .ok_or_else(|| format!("`{name}` is NULL or missing"))
    }

    pub(crate) fn at(&mut self, index: usize) -> Option<String> {
        self.values.get_mut(index).and_then(Option::take)
    }
}

/// A value as the text the server sent; bytes through `from_utf8_lossy`.
fn value_text(value: Value) -> Option<String> {
    Some(match value {
        Value::NULL => return None,
        // Valid UTF-8 (nearly always) becomes the String without a copy.
        Value::Bytes(bytes) => String::from_utf8(bytes)
            .unwrap_or_else(|invalid| String::from_utf8_lossy(invalid.as_bytes()).into_owned()),
        Value::Int(v) => v.to_string(),
        Value::UInt(v) => v.to_string(),
        Value::Float(v) => v.to_string(),
        Value::Double(v) => v.to_string(),
        Value::Date(y, m, d, h, i, s, us) => {
            format!("{y:04}-{m:02}-{d:02} {h:02}:{i:02}:{s:02}.{us:06}")
        }
        Value::Time(negative, d, h, i, s, us) => {
            let sign = if negative { "-" } else { "" };
            let hours = u32::from(h) + d * 24;
            format!("{sign}{hours:02}:{i:02}:{s:02}.{us:06}")
        }
    })
}

/// What every catalog query of one inspection shares: the database name as
/// an SQL string literal, escaped for the session's `sql_mode`.
struct Scope {
    database: String,
}

impl Scope {
    /// The database name goes into the statement as a literal: the text
    /// protocol answers in one round trip, where a prepared statement takes
    /// two (prepare, execute). `EXPLAIN` shows the same "Scanned 1
    /// database" plan for both (reference §1.1). The literal is escaped as
    /// the server will read it: with `NO_BACKSLASH_ESCAPES` a backslash is
    /// an ordinary character.
    fn new(database: &str, server: &ServerRow) -> Scope {
        let no_backslash_escapes = server
            .sql_mode
            .as_deref()
            .is_some_and(|mode| mode.to_ascii_uppercase().contains("NO_BACKSLASH_ESCAPES"));
        Scope::with_escapes(database, no_backslash_escapes)
    }

    fn with_escapes(database: &str, no_backslash_escapes: bool) -> Scope {
        Scope {
            database: Value::from(database).as_sql(no_backslash_escapes),
        }
    }

    /// `query` with the database literal in place of its `?`.
    fn bind(&self, query: CatalogQuery) -> CatalogQuery {
        CatalogQuery {
            sql: self.sql(&query),
            ..query
        }
    }

    fn sql(&self, query: &CatalogQuery) -> String {
        query.sql.replacen('?', &self.database, 1)
    }
}

/// Server identity (`VERSION()`, `@@version_comment`, settings) on its own,
/// for `ping` and the dev database (an inspection asks in its first batch).
pub async fn fetch_server(
    conn: &mut Conn,
    target: &Target,
    timings: &mut Timings,
) -> Result<ServerRow, InspectError> {
    let mut servers = Vec::new();
    batch::run(conn, target, &mut [server_step(&mut servers)], timings).await?;
    let server = servers
        .pop()
        .ok_or_else(|| target.unexpected_row(SERVER_WHAT, "no row".to_string()))?;
    Ok(server.with_aurora_version(conn, target, timings).await)
}

const SERVER_WHAT: &str = "server";
/// The timing of a lane read again after a wrong guess of the server.
pub const REREAD_WHAT: &str = "lane read again (the handshake's version misled)";
const AURORA_WHAT: &str = "server (aurora_version)";

fn server_step(servers: &mut Vec<ServerRow>) -> Step<'_> {
    Step {
        what: SERVER_WHAT,
        sql: SERVER_QUERY,
        optional: false,
        sink: Box::new(Collector::new(servers, read_server)),
    }
}

/// Aurora's `SHOW VARIABLES` is refused by some proxies: optional.
fn aurora_step(values: &mut Vec<Option<String>>) -> Step<'_> {
    Step {
        what: AURORA_WHAT,
        sql: AURORA_VERSION_QUERY,
        optional: true,
        sink: Box::new(Collector::new(values, |r| Ok(r.at(1)))),
    }
}

fn read_server(r: &mut Record) -> Result<ServerRow, String> {
    Ok(ServerRow {
        version: r.req("version")?,
        version_comment: r.opt("version_comment"),
        lower_case_table_names: r.opt("lower_case_table_names"),
        character_set_server: r.opt("character_set_server"),
        collation_server: r.opt("collation_server"),
        sql_mode: r.opt("sql_mode"),
        explicit_defaults_for_timestamp: r.opt("explicit_defaults_for_timestamp"),
        aurora_version: None,
    })
}

impl ServerRow {
    /// Adds `@@aurora_version` when the server looks like plain MySQL
    /// ([`AURORA_VERSION_QUERY`]). A server or proxy that refuses the
    /// statement is simply not Aurora: the answer is only a label.
    async fn with_aurora_version(
        mut self,
        conn: &mut Conn,
        target: &Target,
        timings: &mut Timings,
    ) -> ServerRow {
        if self.flavor().vendor != driftwatch_model::Vendor::Mysql {
            return self;
        }
        let mut values = Vec::new();
        // Optional: a refusal is not an error.
        let _ = batch::run(conn, target, &mut [aurora_step(&mut values)], timings).await;
        self.aurora_version = values.into_iter().flatten().next();
        self
    }
}

/// How many sessions an inspection uses at most: the catalog queries are
/// independent, so on a remote server their round trips overlap.
pub const SESSIONS: usize = 3;

/// The catalog queries are dealt out in three lanes of about equal server
/// cost (COLUMNS is the largest result); each lane is one batch, so one
/// round trip.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lane {
    Columns,
    Indexes,
    Tables,
}

impl Lane {
    const ALL: [Lane; 3] = [Lane::Columns, Lane::Indexes, Lane::Tables];

    /// Names the lane in errors that cannot be pinned on one query.
    fn label(self) -> &'static str {
        match self {
            Lane::Columns => "columns",
            Lane::Indexes => "indexes and foreign key columns",
            Lane::Tables => "tables and constraints",
        }
    }
}

/// Every catalog statement of one inspection, as sent: for one flavor and
/// one spelling of the database literal.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Plan {
    schemata: CatalogQuery,
    tables: CatalogQuery,
    columns: CatalogQuery,
    statistics: CatalogQuery,
    table_constraints: CatalogQuery,
    key_column_usage: CatalogQuery,
    referential_constraints: CatalogQuery,
    check_constraints: Option<CatalogQuery>,
}

impl Plan {
    fn new(flavor: &Flavor, scope: &Scope) -> Plan {
        let bind = |query| scope.bind(query);
        Plan {
            schemata: bind(schemata_query()),
            tables: bind(tables_query(flavor)),
            columns: bind(columns_query(flavor)),
            statistics: bind(statistics_query(flavor)),
            table_constraints: bind(table_constraints_query(flavor)),
            key_column_usage: bind(key_column_usage_query(flavor)),
            referential_constraints: bind(referential_constraints_query(flavor)),
            check_constraints: check_constraints_query(flavor).map(bind),
        }
    }

    fn lane(&self, lane: Lane) -> Vec<&CatalogQuery> {
        match lane {
            Lane::Columns => vec![&self.columns],
            Lane::Indexes => vec![&self.statistics, &self.key_column_usage],
            Lane::Tables => [
                Some(&self.schemata),
                Some(&self.tables),
                Some(&self.table_constraints),
                Some(&self.referential_constraints),
                self.check_constraints.as_ref(),
            ]
            .into_iter()
            .flatten()
            .collect(),
        }
    }

    /// The lane's statements, each feeding its rows into `rows`.
    fn steps<'s>(&'s self, lane: Lane, rows: &'s mut LaneRows) -> Vec<Step<'s>> {
        let LaneRows {
            schemata,
            tables,
            columns,
            statistics,
            table_constraints,
            key_column_usage,
            referential_constraints,
            check_constraints,
        } = rows;
        match lane {
            Lane::Columns => vec![step(&self.columns, Collector::new(columns, read_column))],
            Lane::Indexes => vec![
                step(&self.statistics, Collector::new(statistics, read_statistic)),
                step(
                    &self.key_column_usage,
                    Collector::new(key_column_usage, read_key_column_usage),
                ),
            ],
            Lane::Tables => {
                let mut steps = vec![
                    step(&self.schemata, Collector::new(schemata, read_schemata)),
                    step(&self.tables, Collector::new(tables, read_table)),
                    step(
                        &self.table_constraints,
                        Collector::new(table_constraints, read_table_constraint),
                    ),
                    step(
                        &self.referential_constraints,
                        Collector::new(referential_constraints, read_referential_constraint),
                    ),
                ];
                if let Some(query) = &self.check_constraints {
                    steps.push(step(
                        query,
                        Collector::new(check_constraints, read_check_constraint),
                    ));
                }
                steps
            }
        }
    }
}

/// A catalog query as a batch step feeding `sink`.
fn step<'s>(query: &'s CatalogQuery, sink: impl RowSink + 's) -> Step<'s> {
    Step {
        what: query.what,
        sql: &query.sql,
        optional: false,
        sink: Box::new(sink),
    }
}

/// The rows the lanes read (each lane fills its own fields).
#[derive(Debug, Default)]
struct LaneRows {
    schemata: Vec<SchemataRow>,
    tables: Vec<TablesRow>,
    // Boxed on purpose (see `CatalogRows::columns`).
    #[allow(clippy::vec_box)]
    columns: Vec<Box<ColumnsRow>>,
    statistics: Vec<StatisticsRow>,
    table_constraints: Vec<TableConstraintsRow>,
    key_column_usage: Vec<KeyColumnUsageRow>,
    referential_constraints: Vec<ReferentialConstraintsRow>,
    check_constraints: Vec<CheckConstraintsRow>,
}

impl LaneRows {
    fn absorb(&mut self, other: LaneRows) {
        fn take<T>(into: &mut Vec<T>, from: Vec<T>) {
            if into.is_empty() {
                *into = from;
            } else {
                into.extend(from);
            }
        }
        take(&mut self.schemata, other.schemata);
        take(&mut self.tables, other.tables);
        take(&mut self.columns, other.columns);
        take(&mut self.statistics, other.statistics);
        take(&mut self.table_constraints, other.table_constraints);
        take(&mut self.key_column_usage, other.key_column_usage);
        take(
            &mut self.referential_constraints,
            other.referential_constraints,
        );
        take(&mut self.check_constraints, other.check_constraints);
    }
}

/// Who the server is, asked in the first lane's batch.
#[derive(Debug, Default)]
struct Identity {
    servers: Vec<ServerRow>,
    aurora: Vec<Option<String>>,
    ask_aurora: bool,
}

impl Identity {
    /// The server row, when its statement completed.
    fn server(&mut self) -> Option<ServerRow> {
        if self.servers.len() != 1 {
            return None;
        }
        let mut server = self.servers.pop()?;
        server.aurora_version = self.aurora.drain(..).flatten().next();
        Some(server)
    }
}

/// What the handshake tells about the server before any query: its version
/// (MariaDB's without the `5.5.5-` prefix). MySQL has no 10.x release and
/// MariaDB none below 10 that is still met, so the major version tells the
/// two apart. Only a guess, checked against `VERSION()` from the same
/// batch: a wrong guess costs a round trip more, never a wrong answer.
fn flavor_from_handshake((major, minor, patch): (u16, u16, u16)) -> Flavor {
    let version = if major >= 10 {
        format!("{major}.{minor}.{patch}-MariaDB")
    } else {
        format!("{major}.{minor}.{patch}")
    };
    Flavor::identify(&version, "")
}

/// One lane's batch on one session, and what came of it.
struct LaneRun {
    lane: Lane,
    session: usize,
    rows: LaneRows,
    result: Result<(), InspectError>,
    timings: Timings,
}

async fn run_lane(
    conn: &mut Conn,
    target: &Target,
    plan: &Plan,
    lane: Lane,
    identity: Option<&mut Identity>,
) -> (LaneRows, Result<(), InspectError>, Timings) {
    let mut rows = LaneRows::default();
    let mut timings = Timings::new();
    let result = {
        let mut steps = vec![batch::read_only_step()];
        if let Some(identity) = identity {
            let Identity {
                servers,
                aurora,
                ask_aurora,
            } = identity;
            steps.push(server_step(servers));
            if *ask_aurora {
                steps.push(aurora_step(aurora));
            }
        }
        steps.extend(plan.steps(lane, &mut rows));
        batch::run(conn, target, &mut steps, &mut timings).await
    };
    (rows, result, timings)
}

/// Runs `lanes` one after the other on one session; the first also asks
/// who the server is when `identity` is given.
async fn run_session(
    session: usize,
    conn: &mut Conn,
    target: &Target,
    plan: &Plan,
    lanes: Vec<Lane>,
    mut identity: Option<&mut Identity>,
) -> Vec<LaneRun> {
    let mut runs = Vec::new();
    for lane in lanes {
        let (rows, result, timings) = run_lane(conn, target, plan, lane, identity.take()).await;
        runs.push(LaneRun {
            lane,
            session,
            rows,
            result,
            timings,
        });
    }
    runs
}

/// Reads every catalog table of `database`: one query each, whole database
/// at once, in three lanes spread over the given sessions (one to
/// [`SESSIONS`]), each lane one multi-statement batch that also makes its
/// session read-only. The first batch also identifies the server; the
/// statements, which depend on the server, are chosen from the handshake's
/// version meanwhile and checked against the identity once it is known (a
/// lane guessed wrong is read again). So an inspection costs the
/// handshake plus one round trip, whatever the number of tables. `guess`
/// replaces the handshake's guess (tests of a wrong guess).
pub async fn fetch_catalog(
    conns: &mut [Conn],
    target: &Target,
    database: &str,
    guess: Option<Flavor>,
    timings: &mut Timings,
) -> Result<(Flavor, CatalogRows), InspectError> {
    let guessed_flavor = guess.unwrap_or_else(|| flavor_from_handshake(conns[0].server_version()));
    // Assumes the default sql_mode (backslash escapes on); checked below.
    let guessed = Plan::new(&guessed_flavor, &Scope::with_escapes(database, false));
    let mut identity = Identity {
        ask_aurora: guessed_flavor.vendor == driftwatch_model::Vendor::Mysql,
        ..Identity::default()
    };

    let sessions = conns.len();
    let mut dealt: Vec<Vec<Lane>> = vec![Vec::new(); sessions];
    for (i, lane) in Lane::ALL.into_iter().enumerate() {
        dealt[i % sessions].push(lane);
    }
    let mut dealt = dealt.into_iter();
    let (first, others) = conns
        .split_first_mut()
        .expect("an inspection has at least one session");
    let (first_runs, other_runs) = tokio::join!(
        run_session(
            0,
            first,
            target,
            &guessed,
            dealt.next().unwrap_or_default(),
            Some(&mut identity)
        ),
        futures_util::future::join_all(
            others
                .iter_mut()
                .zip(dealt)
                .enumerate()
                .map(|(i, (conn, lanes))| run_session(i + 1, conn, target, &guessed, lanes, None))
        )
    );
    let mut runs: Vec<LaneRun> = first_runs
        .into_iter()
        .chain(other_runs.into_iter().flatten())
        .collect();

    let Some(mut server) = identity.server() else {
        let error = runs
            .drain(..)
            .find_map(|run| run.result.err())
            .unwrap_or_else(|| target.unexpected_row(SERVER_WHAT, "no row".to_string()));
        return Err(error);
    };
    if !identity.ask_aurora {
        server = server
            .with_aurora_version(&mut conns[0], target, timings)
            .await;
    }
    let flavor = server.flavor();
    let scope = Scope::new(database, &server);
    let plan = Plan::new(&flavor, &scope);

    let mut rows = LaneRows::default();
    let mut lane_timings = Timings::new();
    for run in runs {
        if guessed.lane(run.lane) == plan.lane(run.lane) {
            run.result?;
            rows.absorb(run.rows);
            lane_timings.extend(run.timings);
        } else {
            debug!(lane = run.lane.label(), guessed = %guessed_flavor, server = %flavor,
                "the handshake's version chose other statements; reading the lane again");
            let started = Instant::now();
            let (again, result, again_timings) =
                run_lane(&mut conns[run.session], target, &plan, run.lane, None).await;
            result?;
            rows.absorb(again);
            lane_timings.extend(again_timings);
            timings.push((REREAD_WHAT, started.elapsed()));
        }
    }
    // Reported in the catalog's own order, whatever order the lanes ran in.
    let order: Vec<&str> = catalog_queries(&flavor).iter().map(|q| q.what).collect();
    lane_timings.sort_by_key(|(what, _)| order.iter().position(|o| o == what));
    timings.extend(lane_timings);
    let conn = &mut conns[0];

    // Only when the database has views: one round trip saved in the common case.
    let views = if rows
        .tables
        .iter()
        .any(|t| t.table_type.eq_ignore_ascii_case("VIEW"))
    {
        let query = scope.bind(views_query(&flavor));
        let mut views = Vec::new();
        batch::run(
            conn,
            target,
            &mut [step(&query, Collector::new(&mut views, read_view))],
            timings,
        )
        .await?;
        views
    } else {
        Vec::new()
    };

    let show_create_tables = fetch_hidden_fk_rules(
        conn,
        target,
        database,
        &flavor,
        &rows.key_column_usage,
        &rows.referential_constraints,
        timings,
    )
    .await?;

    Ok((
        flavor,
        CatalogRows {
            provenance: None,
            server,
            database: database.to_string(),
            schemata: rows.schemata.into_iter().next(),
            tables: rows.tables,
            columns: rows.columns,
            statistics: rows.statistics,
            table_constraints: rows.table_constraints,
            key_column_usage: rows.key_column_usage,
            referential_constraints: rows.referential_constraints,
            check_constraints: rows.check_constraints,
            views,
            show_create_tables,
        },
    ))
}

fn read_schemata(r: &mut Record) -> Result<SchemataRow, String> {
    Ok(SchemataRow {
        schema_name: r.req("schema_name")?,
        default_character_set_name: r.opt("default_character_set_name"),
        default_collation_name: r.opt("default_collation_name"),
    })
}

fn read_table(r: &mut Record) -> Result<TablesRow, String> {
    Ok(TablesRow {
        table_name: r.req("table_name")?,
        table_type: r.req("table_type")?,
        engine: r.opt("engine"),
        table_collation: r.opt("table_collation"),
        table_comment: r.opt("table_comment"),
        create_options: r.opt("create_options"),
    })
}

fn read_column(r: &mut Record) -> Result<Box<ColumnsRow>, String> {
    Ok(Box::new(ColumnsRow {
        table_name: r.req("table_name")?,
        column_name: r.req("column_name")?,
        ordinal_position: r.req("ordinal_position")?,
        column_default: r.opt("column_default"),
        is_nullable: r.req("is_nullable")?,
        data_type: r.opt("data_type"),
        column_type: r.req("column_type")?,
        character_set_name: r.opt("character_set_name"),
        collation_name: r.opt("collation_name"),
        column_key: r.opt("column_key"),
        extra: r.opt("extra"),
        column_comment: r.opt("column_comment"),
        generation_expression: r.opt("generation_expression"),
        is_generated: r.opt("is_generated"),
    }))
}

fn read_statistic(r: &mut Record) -> Result<StatisticsRow, String> {
    Ok(StatisticsRow {
        table_name: r.req("table_name")?,
        index_name: r.req("index_name")?,
        non_unique: r.req("non_unique")?,
        seq_in_index: r.req("seq_in_index")?,
        column_name: r.opt("column_name"),
        collation: r.opt("collation"),
        sub_part: r.opt("sub_part"),
        index_type: r.opt("index_type"),
        index_comment: r.opt("index_comment"),
        nullable: r.opt("nullable"),
        is_visible: r.opt("is_visible"),
        expression: r.opt("expression"),
        ignored: r.opt("ignored"),
    })
}

fn read_table_constraint(r: &mut Record) -> Result<TableConstraintsRow, String> {
    Ok(TableConstraintsRow {
        table_name: r.req("table_name")?,
        constraint_name: r.req("constraint_name")?,
        constraint_type: r.req("constraint_type")?,
        enforced: r.opt("enforced"),
    })
}

fn read_key_column_usage(r: &mut Record) -> Result<KeyColumnUsageRow, String> {
    Ok(KeyColumnUsageRow {
        table_schema: r.opt("table_schema"),
        table_name: r.req("table_name")?,
        constraint_name: r.req("constraint_name")?,
        column_name: r.req("column_name")?,
        ordinal_position: r.req("ordinal_position")?,
        position_in_unique_constraint: r.opt("position_in_unique_constraint"),
        referenced_table_schema: r.opt("referenced_table_schema"),
        referenced_table_name: r.opt("referenced_table_name"),
        referenced_column_name: r.opt("referenced_column_name"),
    })
}

fn read_referential_constraint(r: &mut Record) -> Result<ReferentialConstraintsRow, String> {
    Ok(ReferentialConstraintsRow {
        table_name: r.req("table_name")?,
        constraint_name: r.req("constraint_name")?,
        referenced_table_name: r.opt("referenced_table_name"),
        unique_constraint_name: r.opt("unique_constraint_name"),
        update_rule: r.req("update_rule")?,
        delete_rule: r.req("delete_rule")?,
    })
}

fn read_check_constraint(r: &mut Record) -> Result<CheckConstraintsRow, String> {
    Ok(CheckConstraintsRow {
        table_name: r.opt("table_name"),
        constraint_name: r.req("constraint_name")?,
        level: r.opt("level"),
        check_clause: r.req("check_clause")?,
    })
}

fn read_view(r: &mut Record) -> Result<ViewsRow, String> {
    Ok(ViewsRow {
        table_name: r.req("table_name")?,
        view_definition: r.opt("view_definition"),
    })
}

/// MariaDB hides REFERENTIAL_CONSTRAINTS from a user with only SELECT
/// (`quirks::fk_rules_hidden_from_select_only_users`): for the tables whose
/// foreign keys came without rules, and only for them, read
/// `SHOW CREATE TABLE` (read-only, allowed with SELECT).
async fn fetch_hidden_fk_rules(
    conn: &mut Conn,
    target: &Target,
    database: &str,
    flavor: &Flavor,
    key_column_usage: &[KeyColumnUsageRow],
    referential_constraints: &[ReferentialConstraintsRow],
    timings: &mut Timings,
) -> Result<Vec<ShowCreateTableRow>, InspectError> {
    if !quirks::fk_rules_hidden_from_select_only_users(flavor) {
        return Ok(Vec::new());
    }
    let mut tables: Vec<&str> = key_column_usage
        .iter()
        .filter(|k| {
            !referential_constraints
                .iter()
                .any(|r| r.table_name == k.table_name && r.constraint_name == k.constraint_name)
        })
        .map(|k| k.table_name.as_str())
        .collect();
    tables.sort_unstable();
    tables.dedup();
    if tables.is_empty() {
        return Ok(Vec::new());
    }
    let started = Instant::now();
    let mut rows = Vec::with_capacity(tables.len());
    for table in &tables {
        let sql = format!(
            "SHOW CREATE TABLE {}.{}",
            quote_identifier(database),
            quote_identifier(table)
        );
        let row: Option<Row> = conn
            .query_first(sql)
            .await
            .map_err(|e| target.query_error("foreign key rules (SHOW CREATE TABLE)", e))?;
        // Columns: `Table`, `Create Table`.
        let text = row
            .map(Record::from_row)
            .and_then(|mut r| r.at(1))
            .ok_or_else(|| {
                target.unexpected_row(
                    "foreign key rules (SHOW CREATE TABLE)",
                    format!("no CREATE TABLE text for `{table}`"),
                )
            })?;
        rows.push(ShowCreateTableRow {
            table_name: (*table).to_string(),
            create_table: text,
        });
    }
    let elapsed = started.elapsed();
    debug!(
        tables = rows.len(),
        elapsed_ms = elapsed.as_secs_f64() * 1000.0,
        "REFERENTIAL_CONSTRAINTS hidden (SELECT-only user on MariaDB); read SHOW CREATE TABLE"
    );
    timings.push(("foreign key rules (SHOW CREATE TABLE)", elapsed));
    Ok(rows)
}

/// `` a`b `` → `` `a``b` ``.
fn quote_identifier(name: &str) -> String {
    format!("`{}`", name.replace('`', "``"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mariadb() -> Flavor {
        Flavor::identify("10.11.19-MariaDB-0+deb12u1", "Debian 12")
    }

    fn mysql(version: &str) -> Flavor {
        Flavor::identify(version, "MySQL Community Server - GPL")
    }

    fn all_sql(flavor: &Flavor) -> Vec<String> {
        catalog_queries(flavor).into_iter().map(|q| q.sql).collect()
    }

    #[test]
    fn every_query_filters_on_the_schema_with_a_bound_parameter() {
        for flavor in [mariadb(), mysql("8.0.36"), mysql("5.7.44")] {
            for sql in all_sql(&flavor) {
                assert!(
                    sql.contains("SCHEMA = ?") || sql.contains("SCHEMA_NAME = ?"),
                    "{sql}"
                );
            }
        }
    }

    fn scope_sql(database: &str, sql_mode: &str) -> String {
        let server = ServerRow {
            sql_mode: Some(sql_mode.to_string()),
            ..ServerRow::default()
        };
        Scope::new(database, &server).sql(&schemata_query())
    }

    #[test]
    fn the_database_literal_escapes_quotes_and_backslashes_by_default() {
        let sql = scope_sql("o'brien\\x", "STRICT_TRANS_TABLES");
        assert!(sql.ends_with("SCHEMA_NAME = 'o\\'brien\\\\x'"), "{sql}");
    }

    #[test]
    fn with_no_backslash_escapes_only_the_quote_is_doubled() {
        let sql = scope_sql("o'brien\\x", "STRICT_TRANS_TABLES,NO_BACKSLASH_ESCAPES");
        assert!(sql.ends_with("SCHEMA_NAME = 'o''brien\\x'"), "{sql}");
    }

    #[test]
    fn no_query_joins_information_schema_tables() {
        for sql in all_sql(&mysql("8.0.36")) {
            assert_eq!(sql.matches("information_schema.").count(), 1, "{sql}");
            assert!(!sql.to_ascii_uppercase().contains(" JOIN "), "{sql}");
        }
    }

    #[test]
    fn every_query_orders_rows_explicitly() {
        for q in catalog_queries(&mariadb()) {
            if q.what != "database" {
                assert!(q.sql.contains(" ORDER BY "), "{}", q.sql);
            }
        }
    }

    #[test]
    fn every_column_is_aliased() {
        let sql = columns_query(&mariadb()).sql;
        assert!(sql.contains("COLUMN_DEFAULT AS column_default"), "{sql}");
        assert!(sql.contains("EXTRA AS extra"), "{sql}");
    }

    #[test]
    fn dynamic_statistics_columns_are_never_selected() {
        for flavor in [mariadb(), mysql("8.0.36")] {
            for sql in all_sql(&flavor) {
                for column in [
                    "TABLE_ROWS",
                    "CARDINALITY",
                    "DATA_LENGTH",
                    "AUTO_INCREMENT",
                    "UPDATE_TIME",
                ] {
                    assert!(!sql.contains(column), "{column} in {sql}");
                }
            }
        }
    }

    #[test]
    fn statistics_expression_only_on_mysql_8_0_13() {
        assert!(
            statistics_query(&mysql("8.0.13"))
                .sql
                .contains("EXPRESSION")
        );
        assert!(
            !statistics_query(&mysql("8.0.12"))
                .sql
                .contains("EXPRESSION")
        );
        assert!(!statistics_query(&mariadb()).sql.contains("EXPRESSION"));
        assert!(statistics_query(&mariadb()).sql.contains("IGNORED"));
    }

    #[test]
    fn check_constraints_table_name_only_on_mariadb() {
        let maria = check_constraints_query(&mariadb())
            .map(|q| q.sql)
            .unwrap_or_default();
        assert!(maria.contains("TABLE_NAME AS table_name"), "{maria}");
        assert!(maria.contains("LEVEL"), "{maria}");
        let my = check_constraints_query(&mysql("8.0.36"))
            .map(|q| q.sql)
            .unwrap_or_default();
        assert!(
            my.contains("CHECK_CLAUSE") && !my.contains("TABLE_NAME"),
            "{my}"
        );
    }

    #[test]
    fn check_constraints_are_skipped_where_the_table_does_not_exist() {
        assert!(check_constraints_query(&mysql("8.0.15")).is_none());
        assert!(check_constraints_query(&mysql("5.7.44")).is_none());
        assert_eq!(catalog_queries(&mysql("5.7.44")).len(), 7);
        assert_eq!(catalog_queries(&mysql("8.0.36")).len(), 8);
    }

    #[test]
    fn enforced_only_on_mysql_8_0_16() {
        assert!(
            table_constraints_query(&mysql("8.0.16"))
                .sql
                .contains("ENFORCED")
        );
        assert!(!table_constraints_query(&mariadb()).sql.contains("ENFORCED"));
    }

    #[test]
    fn aurora_version_is_asked_for_without_an_unknown_variable_error() {
        // `@@aurora_version` fails on every server but Aurora; SHOW VARIABLES
        // answers no row there instead.
        assert!(AURORA_VERSION_QUERY.starts_with("SHOW VARIABLES WHERE"));
        assert!(!AURORA_VERSION_QUERY.contains("@@"));
        assert!(!SERVER_QUERY.contains("aurora"));
    }

    #[test]
    fn identifiers_are_back_quoted_with_doubled_back_quotes() {
        assert_eq!(quote_identifier("a`b"), "`a``b`");
    }

    #[test]
    fn values_become_text_and_null_stays_none() {
        assert_eq!(value_text(Value::NULL), None);
        assert_eq!(
            value_text(Value::Bytes(b"NULL".to_vec())).as_deref(),
            Some("NULL")
        );
        assert_eq!(value_text(Value::UInt(3)).as_deref(), Some("3"));
        assert_eq!(
            value_text(Value::Bytes(vec![b'a', 0xff])).as_deref(),
            Some("a\u{fffd}")
        );
    }

    #[test]
    fn short_passwords_are_not_scrubbed_but_long_ones_are() {
        let url = DatabaseUrl::parse("mysql://u:hunter22@h/db").unwrap_or_else(|e| panic!("{e}"));
        let target = Target::of(&url);
        assert_eq!(target.scrub("x hunter22 y"), "x *** y");
    }
}
