//! Why an inspection could not run. Each message says what failed and where,
//! then a hint; none contains a password (server messages are scrubbed too).

use crate::url::UrlError;

#[derive(Debug, thiserror::Error)]
pub enum InspectError {
    #[error(transparent)]
    Url(#[from] UrlError),

    #[error(
        "cannot reach a MySQL server at {addr}: {reason}. Hint: check that the server is running \
         and that the host and port in the database URL are right (`driftwatch doctor` tests the connection)."
    )]
    Unreachable { addr: String, reason: String },

    #[error(
        "timed out after {seconds} s connecting to {addr}. Hint: check the host and port, a firewall \
         or VPN in between, or allow more time with `?connect-timeout=30` in the URL."
    )]
    Timeout { addr: String, seconds: u64 },

    #[error(
        "access denied for user `{user}` on {addr} (wrong password, or the user may not connect from \
         this host). Hint: check the user and password in the database URL (the password is not shown \
         here); an account that requires TLS also needs `?ssl-mode=REQUIRED`."
    )]
    AccessDenied { user: String, addr: String },

    #[error(
        "user `{user}` may not use database `{database}` on {addr}. Hint: the user needs at least \
         `GRANT SELECT ON `{database}`.* TO ...`; check the database name in the URL."
    )]
    DatabaseAccessDenied {
        user: String,
        database: String,
        addr: String,
    },

    #[error(
        "unknown database `{database}` on {addr}. Hint: check the database name in the URL path \
         (names are case-sensitive on most Linux servers)."
    )]
    UnknownDatabase { database: String, addr: String },

    #[error(
        "host not allowed: the server at {addr} refuses connections for user `{user}` from this host. \
         Hint: the user needs an account for this client host (`'{user}'@'%'` or the host's address)."
    )]
    HostNotAllowed { user: String, addr: String },

    #[error(
        "the server at {addr} does not offer TLS, but the URL asks for ssl-mode={mode}. Hint: enable \
         TLS on the server, or use `?ssl-mode=DISABLED` on a trusted network."
    )]
    TlsUnsupported { addr: String, mode: &'static str },

    #[error(
        "TLS handshake with {addr} failed: {message}. Hint: `?ssl-mode=REQUIRED` encrypts without \
         verifying the certificate; `?ssl-ca=/path/ca.pem` adds a private CA."
    )]
    Tls { addr: String, message: String },

    #[error(
        "connecting to {addr} as `{user}` failed: {message}. Hint: run `driftwatch doctor` to check \
         the URL, the server and the privileges."
    )]
    Connect {
        user: String,
        addr: String,
        message: String,
    },

    #[error(
        "reading {what} of database `{database}` on {addr} failed: {message}. Hint: the user needs \
         SELECT on the database; run `driftwatch doctor`."
    )]
    Query {
        what: &'static str,
        database: String,
        addr: String,
        message: String,
    },

    #[error(
        "reading {what} of database `{database}` on {addr}: the server sent a row this tool does \
         not understand ({message}). Hint: please report it with the server version."
    )]
    UnexpectedRow {
        what: &'static str,
        database: String,
        addr: String,
        message: String,
    },
}

impl InspectError {
    /// True when the problem is the connection itself (as opposed to reading
    /// the catalog once connected).
    pub fn is_connection_error(&self) -> bool {
        !matches!(
            self,
            InspectError::Url(_) | InspectError::Query { .. } | InspectError::UnexpectedRow { .. }
        )
    }
}
