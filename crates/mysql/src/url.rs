//! Connection URLs: `mysql://user:pass@host:port/db?ssl-mode=REQUIRED`
//! (also `mariadb://`), and the same target built from drizzle's
//! `dbCredentials` parts.
//!
//! The password is kept private: [`DatabaseUrl`]'s `Display` and `Debug`
//! print `***` in its place, and no error of this module repeats the URL.

use std::fmt;
use std::path::PathBuf;
use std::time::Duration;

/// How to use TLS, as MySQL's `--ssl-mode` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SslMode {
    /// Plain TCP.
    Disabled,
    /// TLS when the server offers it (certificate not verified), plain TCP
    /// otherwise. The default of MySQL's own clients; here only when asked for.
    Preferred,
    /// TLS or fail; the certificate is not verified (MySQL semantics).
    Required,
    /// TLS, certificate chain verified, host name not.
    VerifyCa,
    /// TLS, certificate chain and host name verified.
    VerifyIdentity,
}

impl SslMode {
    /// Accepts MySQL's spellings (`REQUIRED`, `verify_ca`, `VERIFY-IDENTITY`)
    /// and the boolean `ssl=true|false`.
    pub fn parse(text: &str) -> Option<SslMode> {
        let key = text.trim().to_ascii_lowercase().replace('-', "_");
        Some(match key.as_str() {
            "disabled" | "disable" | "false" | "0" | "off" => SslMode::Disabled,
            "preferred" | "prefer" => SslMode::Preferred,
            "required" | "require" | "true" | "1" | "on" => SslMode::Required,
            "verify_ca" => SslMode::VerifyCa,
            "verify_identity" | "verify_full" => SslMode::VerifyIdentity,
            _ => return None,
        })
    }

    pub fn as_str(self) -> &'static str {
        match self {
            SslMode::Disabled => "DISABLED",
            SslMode::Preferred => "PREFERRED",
            SslMode::Required => "REQUIRED",
            SslMode::VerifyCa => "VERIFY_CA",
            SslMode::VerifyIdentity => "VERIFY_IDENTITY",
        }
    }
}

/// Why a connection URL was refused. Messages never repeat the URL (it may
/// hold a password).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UrlError {
    #[error(
        "the database URL is not a valid URL ({reason}); expected mysql://user:password@host:3306/database"
    )]
    Invalid { reason: String },
    #[error("unsupported URL scheme `{scheme}://`; use mysql:// or mariadb://")]
    UnsupportedScheme { scheme: String },
    #[error("the database URL has no host; expected mysql://user:password@host:3306/database")]
    MissingHost,
    #[error("the database URL names no user; expected mysql://user:password@host:3306/database")]
    MissingUser,
    #[error(
        "the database URL names no database; add it as the path: mysql://user:password@{host_port}/<database>"
    )]
    MissingDatabase { host_port: String },
    #[error("invalid value `{value}` for URL parameter `{param}`: {hint}")]
    InvalidParam {
        param: String,
        value: String,
        hint: &'static str,
    },
    #[error("invalid percent-encoding in the {part} of the database URL")]
    BadEncoding { part: &'static str },
}

/// A parsed connection target.
#[derive(Clone, PartialEq, Eq)]
pub struct DatabaseUrl {
    scheme: String,
    host: String,
    port: u16,
    user: String,
    password: Option<String>,
    database: Option<String>,
    ssl_mode: Option<SslMode>,
    ssl_ca: Option<PathBuf>,
    connect_timeout: Option<Duration>,
    /// Query parameters this crate does not use, kept for the log.
    ignored_params: Vec<String>,
}

pub const DEFAULT_PORT: u16 = 3306;

impl DatabaseUrl {
    /// Parses `mysql://user:pass@host:port/db?ssl-mode=...` or `mariadb://…`.
    /// User, password and database are percent-decoded; the port defaults to
    /// 3306; the database is the first path segment and may be absent (see
    /// [`DatabaseUrl::require_database`]).
    ///
    /// Query parameters: `ssl-mode` (also `sslmode`, `ssl_mode`;
    /// DISABLED/PREFERRED/REQUIRED/VERIFY_CA/VERIFY_IDENTITY), `ssl=true|false`,
    /// `sslaccept=strict|accept_invalid_certs` (Prisma), `ssl-ca` / `sslca` /
    /// `sslrootcert` (a PEM file), `connect-timeout` / `connect_timeout`
    /// (seconds). Others are ignored.
    pub fn parse(text: &str) -> Result<DatabaseUrl, UrlError> {
        let parsed = ::url::Url::parse(text.trim()).map_err(|e| UrlError::Invalid {
            reason: e.to_string(),
        })?;
        let scheme = parsed.scheme().to_ascii_lowercase();
        if scheme != "mysql" && scheme != "mariadb" {
            return Err(UrlError::UnsupportedScheme { scheme });
        }
        let host = match parsed.host() {
            Some(::url::Host::Domain(d)) if !d.is_empty() => percent_decode(d, "host")?,
            Some(::url::Host::Ipv4(ip)) => ip.to_string(),
            Some(::url::Host::Ipv6(ip)) => ip.to_string(),
            _ => return Err(UrlError::MissingHost),
        };
        let user = percent_decode(parsed.username(), "user name")?;
        let password = match parsed.password() {
            Some(p) => Some(percent_decode(p, "password")?),
            None => None,
        };
        let database = match parsed.path_segments().and_then(|mut s| s.next()) {
            Some(segment) if !segment.is_empty() => Some(percent_decode(segment, "database name")?),
            _ => None,
        };
        let mut url = DatabaseUrl {
            scheme,
            host,
            port: parsed.port().unwrap_or(DEFAULT_PORT),
            user,
            password,
            database,
            ssl_mode: None,
            ssl_ca: None,
            connect_timeout: None,
            ignored_params: Vec::new(),
        };
        for (key, value) in parsed.query_pairs() {
            url.apply_param(&key, &value)?;
        }
        if url.user.is_empty() {
            return Err(UrlError::MissingUser);
        }
        Ok(url)
    }

    /// The target of a drizzle `dbCredentials: { host, port, user, password,
    /// database }` object (port 3306 and user `root` are drizzle-kit's
    /// defaults, for the caller to apply). Empty password and database mean
    /// none; a bracketed IPv6 host is unbracketed.
    pub fn from_parts(
        host: &str,
        port: u16,
        user: &str,
        password: Option<&str>,
        database: Option<&str>,
    ) -> DatabaseUrl {
        DatabaseUrl {
            scheme: "mysql".to_string(),
            host: host
                .trim()
                .trim_start_matches('[')
                .trim_end_matches(']')
                .to_string(),
            port,
            user: user.to_string(),
            password: password.filter(|p| !p.is_empty()).map(str::to_string),
            database: database.filter(|d| !d.is_empty()).map(str::to_string),
            ssl_mode: None,
            ssl_ca: None,
            connect_timeout: None,
            ignored_params: Vec::new(),
        }
    }

    fn apply_param(&mut self, key: &str, value: &str) -> Result<(), UrlError> {
        let invalid = |hint: &'static str| UrlError::InvalidParam {
            param: key.to_string(),
            value: value.to_string(),
            hint,
        };
        match key.to_ascii_lowercase().replace('_', "-").as_str() {
            "ssl-mode" | "sslmode" => {
                self.ssl_mode = Some(SslMode::parse(value).ok_or_else(|| {
                    invalid("use DISABLED, PREFERRED, REQUIRED, VERIFY_CA or VERIFY_IDENTITY")
                })?);
            }
            "ssl" | "tls" | "use-ssl" | "usessl" => {
                // PlanetScale's drizzle examples pass `ssl={"rejectUnauthorized":true}`.
                let trimmed = value.trim();
                self.ssl_mode = Some(if trimmed.starts_with('{') {
                    if trimmed
                        .replace(' ', "")
                        .contains("\"rejectUnauthorized\":false")
                    {
                        SslMode::Required
                    } else {
                        SslMode::VerifyIdentity
                    }
                } else {
                    match SslMode::parse(trimmed) {
                        Some(SslMode::Disabled) => SslMode::Disabled,
                        Some(_) => SslMode::Required,
                        None => return Err(invalid("use true or false")),
                    }
                });
            }
            "sslaccept" => {
                self.ssl_mode = Some(match value.trim().to_ascii_lowercase().as_str() {
                    "strict" => SslMode::VerifyIdentity,
                    "accept-invalid-certs" | "accept_invalid_certs" => SslMode::Required,
                    _ => return Err(invalid("use strict or accept_invalid_certs")),
                });
            }
            "ssl-ca" | "sslca" | "sslrootcert" => {
                if value.trim().is_empty() {
                    return Err(invalid("give the path of a PEM file"));
                }
                self.ssl_ca = Some(PathBuf::from(value));
                if self.ssl_mode.is_none() {
                    self.ssl_mode = Some(SslMode::VerifyCa);
                }
            }
            "connect-timeout" | "connecttimeout" => {
                let seconds: f64 = value
                    .trim()
                    .parse()
                    .ok()
                    .filter(|s: &f64| s.is_finite() && *s > 0.0 && *s <= 3600.0)
                    .ok_or_else(|| invalid("give a number of seconds between 0 and 3600"))?;
                self.connect_timeout = Some(Duration::from_secs_f64(seconds));
            }
            _ => self.ignored_params.push(key.to_string()),
        }
        Ok(())
    }

    pub fn host(&self) -> &str {
        &self.host
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// `host:port` (`[::1]:3306` for IPv6): where we connect, for messages.
    pub fn host_port(&self) -> String {
        if self.host.contains(':') {
            format!("[{}]:{}", self.host, self.port)
        } else {
            format!("{}:{}", self.host, self.port)
        }
    }

    pub fn user(&self) -> &str {
        &self.user
    }

    pub fn database(&self) -> Option<&str> {
        self.database.as_deref()
    }

    /// The database, or the error that says how to name one.
    pub fn require_database(&self) -> Result<&str, UrlError> {
        self.database().ok_or_else(|| UrlError::MissingDatabase {
            host_port: self.host_port(),
        })
    }

    /// The same target, another database.
    pub fn with_database(&self, name: impl Into<String>) -> DatabaseUrl {
        let mut url = self.clone();
        url.database = Some(name.into());
        url
    }

    /// The same target, another user and password (tests, `doctor`).
    pub fn with_credentials(
        &self,
        user: impl Into<String>,
        password: Option<String>,
    ) -> DatabaseUrl {
        let mut url = self.clone();
        url.user = user.into();
        url.password = password;
        url
    }

    pub fn with_ssl_mode(&self, mode: SslMode) -> DatabaseUrl {
        let mut url = self.clone();
        url.ssl_mode = Some(mode);
        url
    }

    pub fn ssl_mode(&self) -> Option<SslMode> {
        self.ssl_mode
    }

    pub fn ssl_ca(&self) -> Option<&std::path::Path> {
        self.ssl_ca.as_deref()
    }

    /// The connect timeout (10 s unless the URL sets `connect-timeout`).
    pub fn connect_timeout(&self) -> Duration {
        self.connect_timeout.unwrap_or(Duration::from_secs(10))
    }

    pub fn has_password(&self) -> bool {
        self.password.is_some()
    }

    /// The password, for the connection only. Never print it.
    pub(crate) fn password(&self) -> Option<&str> {
        self.password.as_deref()
    }

    pub fn ignored_params(&self) -> &[String] {
        &self.ignored_params
    }

    /// `mysql://user:***@host:3306/db`: safe for logs, reports and errors.
    pub fn redacted(&self) -> String {
        let credentials = match &self.password {
            Some(_) => format!("{}:***@", encode_userinfo(&self.user)),
            None => format!("{}@", encode_userinfo(&self.user)),
        };
        let database = self.database.as_deref().unwrap_or("");
        let mut text = format!(
            "{}://{}{}/{}",
            self.scheme,
            credentials,
            self.host_port(),
            database
        );
        if let Some(mode) = self.ssl_mode {
            text.push_str("?ssl-mode=");
            text.push_str(mode.as_str());
        }
        text
    }
}

impl fmt::Display for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.redacted())
    }
}

impl fmt::Debug for DatabaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DatabaseUrl")
            .field("scheme", &self.scheme)
            .field("host", &self.host)
            .field("port", &self.port)
            .field("user", &self.user)
            .field("password", &self.password.as_ref().map(|_| "***"))
            .field("database", &self.database)
            .field("ssl_mode", &self.ssl_mode)
            .field("ssl_ca", &self.ssl_ca)
            .field("connect_timeout", &self.connect_timeout)
            .finish()
    }
}

fn percent_decode(text: &str, part: &'static str) -> Result<String, UrlError> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text
                .get(i + 1..i + 3)
                .ok_or(UrlError::BadEncoding { part })?;
            let byte = u8::from_str_radix(hex, 16).map_err(|_| UrlError::BadEncoding { part })?;
            out.push(byte);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| UrlError::BadEncoding { part })
}

fn encode_userinfo(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> DatabaseUrl {
        DatabaseUrl::parse(text).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn full_url_is_split_into_parts() {
        let url = parse("mysql://app:s3cret@db.example.com:3307/shop?ssl-mode=REQUIRED");
        assert_eq!(url.host(), "db.example.com");
        assert_eq!(url.port(), 3307);
        assert_eq!(url.user(), "app");
        assert_eq!(url.password(), Some("s3cret"));
        assert_eq!(url.database(), Some("shop"));
        assert_eq!(url.ssl_mode(), Some(SslMode::Required));
        assert_eq!(url.host_port(), "db.example.com:3307");
    }

    #[test]
    fn mariadb_scheme_is_accepted_and_port_defaults_to_3306() {
        let url = parse("mariadb://root@localhost/app");
        assert_eq!(url.port(), 3306);
        assert_eq!(url.password(), None);
    }

    #[test]
    fn user_and_password_are_percent_decoded() {
        let url = parse("mysql://us%40er:p%40ss%2Fw%3Ard@127.0.0.1/db%2D1");
        assert_eq!(url.user(), "us@er");
        assert_eq!(url.password(), Some("p@ss/w:rd"));
        assert_eq!(url.database(), Some("db-1"));
    }

    #[test]
    fn unencoded_at_sign_in_password_still_parses() {
        let url = parse("mysql://root:p@ss@127.0.0.1:33306/db");
        assert_eq!(url.password(), Some("p@ss"));
        assert_eq!(url.host(), "127.0.0.1");
    }

    #[test]
    fn ipv6_host_is_unbracketed_for_connecting_and_bracketed_for_display() {
        let url = parse("mysql://root:pw@[::1]:3306/db");
        assert_eq!(url.host(), "::1");
        assert_eq!(url.host_port(), "[::1]:3306");
    }

    #[test]
    fn missing_database_is_allowed_at_parse_and_refused_on_require() {
        let url = parse("mysql://root:pw@127.0.0.1:3306");
        assert_eq!(url.database(), None);
        let err = url
            .require_database()
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains("names no database"), "{err}");
        assert!(!err.contains("pw"), "{err}");
    }

    #[test]
    fn other_schemes_are_refused() {
        assert!(matches!(
            DatabaseUrl::parse("postgres://u:p@h/db"),
            Err(UrlError::UnsupportedScheme { .. })
        ));
    }

    #[test]
    fn missing_host_or_user_is_refused() {
        assert!(DatabaseUrl::parse("mysql:///db").is_err());
        assert!(matches!(
            DatabaseUrl::parse("mysql://h/db"),
            Err(UrlError::MissingUser)
        ));
    }

    #[test]
    fn invalid_ssl_mode_names_the_parameter() {
        let err = DatabaseUrl::parse("mysql://u:p@h/db?ssl-mode=sometimes").err();
        assert!(
            matches!(err, Some(UrlError::InvalidParam { ref param, .. }) if param == "ssl-mode")
        );
    }

    #[test]
    fn ssl_spellings_map_to_modes() {
        assert_eq!(
            parse("mysql://u@h/d?sslmode=verify_ca").ssl_mode(),
            Some(SslMode::VerifyCa)
        );
        assert_eq!(
            parse("mysql://u@h/d?ssl=true").ssl_mode(),
            Some(SslMode::Required)
        );
        assert_eq!(
            parse("mysql://u@h/d?ssl=false").ssl_mode(),
            Some(SslMode::Disabled)
        );
        assert_eq!(
            parse("mysql://u@h/d?ssl=%7B%22rejectUnauthorized%22%3Atrue%7D").ssl_mode(),
            Some(SslMode::VerifyIdentity)
        );
        assert_eq!(
            parse("mysql://u@h/d?sslaccept=strict").ssl_mode(),
            Some(SslMode::VerifyIdentity)
        );
        assert_eq!(parse("mysql://u@h/d").ssl_mode(), None);
    }

    #[test]
    fn connect_timeout_defaults_to_10_seconds() {
        assert_eq!(
            parse("mysql://u@h/d").connect_timeout(),
            Duration::from_secs(10)
        );
        assert_eq!(
            parse("mysql://u@h/d?connect_timeout=3").connect_timeout(),
            Duration::from_secs(3)
        );
    }

    #[test]
    fn redacted_hides_the_password() {
        let url = parse("mysql://app:s3cret@db:3306/shop");
        assert_eq!(url.redacted(), "mysql://app:***@db:3306/shop");
        assert_eq!(url.to_string(), "mysql://app:***@db:3306/shop");
        assert!(!format!("{url:?}").contains("s3cret"));
    }

    #[test]
    fn redacted_without_password_has_no_stars() {
        assert_eq!(
            parse("mysql://app@db/shop").redacted(),
            "mysql://app@db:3306/shop"
        );
    }

    #[test]
    fn with_database_keeps_everything_else() {
        let url = parse("mysql://app:pw@db:3307/shop?ssl-mode=REQUIRED").with_database("other");
        assert_eq!(url.database(), Some("other"));
        assert_eq!(url.port(), 3307);
        assert_eq!(url.password(), Some("pw"));
        assert_eq!(url.ssl_mode(), Some(SslMode::Required));
    }

    #[test]
    fn drizzle_credentials_parts_build_a_url() {
        let url = DatabaseUrl::from_parts("127.0.0.1", 3306, "root", Some("pw"), Some("app"));
        assert_eq!(url.redacted(), "mysql://root:***@127.0.0.1:3306/app");
        assert_eq!(url.password(), Some("pw"));
    }

    #[test]
    fn parse_errors_never_repeat_the_url() {
        for text in [
            "mysql://u:topsecret@h:99999/db",
            "mysql://u:topsecret@h/db?ssl-mode=x",
            "http://u:topsecret@h/db",
        ] {
            let err = DatabaseUrl::parse(text)
                .err()
                .map(|e| format!("{e} {e:?}"))
                .unwrap_or_default();
            assert!(!err.is_empty(), "{text} should fail");
            assert!(!err.contains("topsecret"), "{err}");
        }
    }
}
