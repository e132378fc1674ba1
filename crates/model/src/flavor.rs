//! Which server we are talking to, identified once from `VERSION()`,
//! `@@version_comment` and (MySQL only) `@@aurora_version`. Capabilities read
//! like prose (`flavor.is_mariadb()`, `flavor.min_mysql(8, 0, 19)`); every
//! quirk that depends on them lives in [`crate::quirks`].
//!
//! Two names per server:
//!
//! * [`Flavor::name`] is the vendor word of the JSON contract (`target.flavor`):
//!   `mysql`, `mariadb`, `tidb`, `vitess`. Aurora is `mysql`, PlanetScale is
//!   `vitess`.
//! * [`Flavor::label`] is the generation a person cares about (`target.flavor_label`):
//!
//! | server | `VERSION()` (+ other input) | label |
//! |---|---|---|
//! | MySQL 5.7.x | `5.7.44` | `mysql 5.7` |
//! | MySQL 8.0.x | `8.0.36` | `mysql 8.0` |
//! | MySQL 8.1–8.3 (innovation) | `8.3.0` | `mysql 8.3` |
//! | MySQL 8.4 LTS and later (9.x) | `8.4.3`, `9.1.0` | `mysql 8.4+` |
//! | MariaDB | `10.11.6-MariaDB`, `5.5.5-10.11.6-MariaDB` | `mariadb 10.11` |
//! | TiDB | `8.0.11-TiDB-v7.5.0` | `tidb 7.5` |
//! | Vitess | `8.0.30-Vitess` + comment `Version: 18.0.0 (…)` | `vitess 18` |
//! | PlanetScale | `8.0.30-Vitess` + comment naming PlanetScale | `vitess (planetscale)` |
//! | Aurora MySQL | `8.0.28` + `@@aurora_version` `3.04.0` | `aurora mysql 3.04 (mysql 8.0)` |
//!
//! A part that cannot be read is left out (`tidb`, `vitess`), never guessed.

use std::fmt;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Vendor {
    Mysql,
    Mariadb,
    Tidb,
    /// Vitess / PlanetScale (vtgate in front of MySQL 8).
    Vitess,
}

/// A distribution on top of a vendor whose information_schema behaves like
/// that vendor's, but which people name on its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Variant {
    /// Amazon Aurora MySQL: `VERSION()` is the community version it is
    /// compatible with; `@@aurora_version` is the Aurora release (v2 = 5.7,
    /// v3 = 8.0).
    Aurora,
    /// PlanetScale (Vitess), told apart by `PlanetScale` in `VERSION()` or
    /// `@@version_comment`. Its rows read like any Vitess (deploy-suffixed
    /// constraint names: `quirks::vitess_original_constraint_name`); only the
    /// label differs.
    Planetscale,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Flavor {
    pub vendor: Vendor,
    /// (major, minor, patch) of the server itself (for TiDB and Vitess: of the
    /// MySQL version they emulate; for Aurora: of the community MySQL).
    pub version: (u32, u32, u32),
    /// `VERSION()` as the server returned it.
    pub version_string: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub variant: Option<Variant>,
    /// The product's own release where it differs from `version`: TiDB
    /// `v7.5.0`, Vitess `18.0.0`, Aurora `3.04.0`. `None` when the server did
    /// not say.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product_version: Option<(u32, u32, u32)>,
}

impl Flavor {
    /// `10.11.19-MariaDB-0+deb12u1` → MariaDB 10.11.19; `8.0.36` → MySQL;
    /// `8.0.11-TiDB-v7.5.0` → TiDB 7.5.0; `8.0.30-Vitess` → Vitess.
    /// Aurora is only told apart by `@@aurora_version`: see
    /// [`Flavor::identify_server`].
    pub fn identify(version: &str, version_comment: &str) -> Flavor {
        Flavor::identify_server(version, version_comment, None)
    }

    /// [`Flavor::identify`] with `@@aurora_version` (`None` or empty on every
    /// server but Aurora MySQL).
    pub fn identify_server(
        version: &str,
        version_comment: &str,
        aurora_version: Option<&str>,
    ) -> Flavor {
        let lowered = version.to_ascii_lowercase();
        let comment = version_comment.to_ascii_lowercase();
        let vendor = if lowered.contains("mariadb") || comment.contains("mariadb") {
            Vendor::Mariadb
        } else if lowered.contains("tidb") {
            Vendor::Tidb
        } else if lowered.contains("vitess") || comment.contains("planetscale") {
            Vendor::Vitess
        } else {
            Vendor::Mysql
        };
        // MariaDB 10.x behind a MySQL 5.5 replication prefix: "5.5.5-10.11.6-MariaDB".
        let numeric = version
            .strip_prefix("5.5.5-")
            .filter(|_| vendor == Vendor::Mariadb)
            .unwrap_or(version);
        let aurora = aurora_version
            .map(str::trim)
            .filter(|v| vendor == Vendor::Mysql && !v.is_empty());
        let variant = match vendor {
            Vendor::Mysql if aurora.is_some() => Some(Variant::Aurora),
            Vendor::Vitess
                if lowered.contains("planetscale") || comment.contains("planetscale") =>
            {
                Some(Variant::Planetscale)
            }
            _ => None,
        };
        let product_version = match vendor {
            Vendor::Tidb => release_after(version, "-tidb-v"),
            // vtgate ≥ 10: comment "Version: 18.0.0 (Git revision …)"; older
            // vtgate: "5.7.9-vitess-10.0.0-SNAPSHOT".
            Vendor::Vitess => release_after(version_comment, "version: ")
                .or_else(|| release_after(version, "-vitess-")),
            Vendor::Mysql => aurora.map(parse_version),
            Vendor::Mariadb => None,
        };
        Flavor {
            vendor,
            version: parse_version(numeric),
            version_string: version.to_string(),
            variant,
            product_version,
        }
    }

    pub fn is_mariadb(&self) -> bool {
        self.vendor == Vendor::Mariadb
    }

    pub fn is_aurora(&self) -> bool {
        self.variant == Some(Variant::Aurora)
    }

    pub fn is_planetscale(&self) -> bool {
        self.variant == Some(Variant::Planetscale)
    }

    /// MySQL proper (or a MySQL-8 based Vitess) at or above this version.
    pub fn min_mysql(&self, major: u32, minor: u32, patch: u32) -> bool {
        matches!(self.vendor, Vendor::Mysql | Vendor::Vitess)
            && self.version >= (major, minor, patch)
    }

    pub fn min_mariadb(&self, major: u32, minor: u32, patch: u32) -> bool {
        self.is_mariadb() && self.version >= (major, minor, patch)
    }

    /// The name used in reports and JSON `target.flavor` (the vendor words of
    /// the JSON contract; Aurora is `mysql`, PlanetScale `vitess`).
    pub fn name(&self) -> &'static str {
        match self.vendor {
            Vendor::Mysql => "mysql",
            Vendor::Mariadb => "mariadb",
            Vendor::Tidb => "tidb",
            Vendor::Vitess => "vitess",
        }
    }

    /// The server generation for people (JSON `target.flavor_label`); the
    /// scheme is the table at the top of this module.
    pub fn label(&self) -> String {
        let (major, minor, _) = self.version;
        match (self.vendor, self.variant) {
            (Vendor::Mysql, Some(Variant::Aurora)) => match self.product_version {
                Some((a_major, a_minor, _)) => format!(
                    "aurora mysql {a_major}.{a_minor:02} ({})",
                    self.mysql_generation()
                ),
                None => format!("aurora mysql ({})", self.mysql_generation()),
            },
            (Vendor::Mysql, _) => self.mysql_generation(),
            (Vendor::Mariadb, _) => format!("mariadb {major}.{minor}"),
            (Vendor::Tidb, _) => match self.product_version {
                Some((t_major, t_minor, _)) => format!("tidb {t_major}.{t_minor}"),
                None => "tidb".to_string(),
            },
            (Vendor::Vitess, Some(Variant::Planetscale)) => "vitess (planetscale)".to_string(),
            (Vendor::Vitess, _) => match self.product_version {
                Some((v_major, _, _)) => format!("vitess {v_major}"),
                None => "vitess".to_string(),
            },
        }
    }

    /// `mysql 5.7`, `mysql 8.0`, `mysql 8.3`; 8.4 LTS and every later release
    /// (9.x) share `mysql 8.4+`: their information_schema rows are those of
    /// 8.4 as far as drift detection goes.
    fn mysql_generation(&self) -> String {
        let (major, minor, _) = self.version;
        if (major, minor) >= (8, 4) {
            "mysql 8.4+".to_string()
        } else {
            format!("mysql {major}.{minor}")
        }
    }
}

impl fmt::Display for Flavor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (major, minor, patch) = self.version;
        let vendor = match (self.vendor, self.variant) {
            (Vendor::Mysql, Some(Variant::Aurora)) => "Aurora MySQL",
            (Vendor::Mysql, _) => "MySQL",
            (Vendor::Mariadb, _) => "MariaDB",
            (Vendor::Tidb, _) => "TiDB",
            (Vendor::Vitess, Some(Variant::Planetscale)) => "PlanetScale (Vitess)",
            (Vendor::Vitess, _) => "Vitess",
        };
        write!(f, "{vendor} {major}.{minor}.{patch}")
    }
}

/// The `x.y.z` release that follows `marker` (case-insensitive) in `text`.
fn release_after(text: &str, marker: &str) -> Option<(u32, u32, u32)> {
    let at = text.to_ascii_lowercase().find(marker)? + marker.len();
    let rest = text.get(at..)?;
    rest.starts_with(|c: char| c.is_ascii_digit())
        .then(|| parse_version(rest))
}

fn parse_version(text: &str) -> (u32, u32, u32) {
    let mut parts = text
        .split(|c: char| !c.is_ascii_digit())
        .take(3)
        .map(|p| p.parse::<u32>().unwrap_or(0));
    (
        parts.next().unwrap_or(0),
        parts.next().unwrap_or(0),
        parts.next().unwrap_or(0),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn label(version: &str, comment: &str) -> String {
        Flavor::identify(version, comment).label()
    }

    #[test]
    fn mariadb_debian_version_string() {
        let f = Flavor::identify("10.11.19-MariaDB-0+deb12u1", "Debian 12");
        assert_eq!(f.vendor, Vendor::Mariadb);
        assert_eq!(f.version, (10, 11, 19));
        assert_eq!(f.label(), "mariadb 10.11");
    }

    #[test]
    fn mariadb_behind_replication_prefix() {
        let f = Flavor::identify("5.5.5-10.11.6-MariaDB", "mariadb.org binary distribution");
        assert_eq!(f.version, (10, 11, 6));
        assert_eq!((f.name(), f.label().as_str()), ("mariadb", "mariadb 10.11"));
    }

    #[test]
    fn mariadb_11_docker_image() {
        let f = Flavor::identify("11.4.3-MariaDB-ubu2404", "mariadb.org binary distribution");
        assert_eq!(f.label(), "mariadb 11.4");
    }

    #[test]
    fn plain_mysql_8() {
        let f = Flavor::identify("8.0.36", "MySQL Community Server - GPL");
        assert_eq!(f.vendor, Vendor::Mysql);
        assert!(f.min_mysql(8, 0, 19));
        assert!(!f.min_mysql(8, 0, 37));
    }

    #[test]
    fn mysql_5_7_is_labelled_5_7() {
        assert_eq!(
            label("5.7.44-log", "MySQL Community Server (GPL)"),
            "mysql 5.7"
        );
        assert_eq!(Flavor::identify("5.7.44-log", "").name(), "mysql");
    }

    #[test]
    fn mysql_8_0_is_labelled_8_0() {
        assert_eq!(label("8.0.36", "MySQL Community Server - GPL"), "mysql 8.0");
        assert_eq!(label("8.0.40-0ubuntu0.22.04.1", "(Ubuntu)"), "mysql 8.0");
    }

    #[test]
    fn mysql_8_4_lts_and_9_x_are_labelled_8_4_plus() {
        assert_eq!(label("8.4.3", "MySQL Community Server - GPL"), "mysql 8.4+");
        assert_eq!(label("9.1.0", "MySQL Community Server - GPL"), "mysql 8.4+");
        assert_eq!(label("8.3.0", "MySQL Community Server - GPL"), "mysql 8.3");
    }

    #[test]
    fn percona_server_is_mysql() {
        let f = Flavor::identify(
            "8.0.35-27",
            "Percona Server (GPL), Release 27, Revision 2f8eeab2",
        );
        assert_eq!((f.name(), f.label().as_str()), ("mysql", "mysql 8.0"));
    }

    #[test]
    fn tidb_7_reports_a_mysql_8_0_11_prefix() {
        let f = Flavor::identify("8.0.11-TiDB-v7.5.0", "");
        assert_eq!(f.vendor, Vendor::Tidb);
        assert_eq!(f.version, (8, 0, 11));
        assert_eq!(f.product_version, Some((7, 5, 0)));
        assert_eq!((f.name(), f.label().as_str()), ("tidb", "tidb 7.5"));
    }

    #[test]
    fn tidb_6_reports_a_mysql_5_7_25_prefix() {
        let f = Flavor::identify("5.7.25-TiDB-v6.5.0", "");
        assert_eq!(f.vendor, Vendor::Tidb);
        assert_eq!(f.label(), "tidb 6.5");
    }

    #[test]
    fn tidb_cloud_serverless_suffix() {
        assert_eq!(label("8.0.11-TiDB-v7.1.3-serverless", ""), "tidb 7.1");
    }

    #[test]
    fn tidb_without_release_is_just_tidb() {
        assert_eq!(label("8.0.11-TiDB-", ""), "tidb");
    }

    #[test]
    fn vitess_vtgate_reports_its_release_in_version_comment() {
        let f = Flavor::identify(
            "8.0.30-Vitess",
            "Version: 18.0.0 (Git revision 9a6f5262f7 branch 'HEAD') built on Mon Nov 6 08:47:45 UTC 2023 by vitess@buildkitsandbox using go1.21.3 linux/amd64",
        );
        assert_eq!(f.vendor, Vendor::Vitess);
        assert_eq!(f.version, (8, 0, 30));
        assert_eq!((f.name(), f.label().as_str()), ("vitess", "vitess 18"));
        assert!(f.min_mysql(8, 0, 16));
    }

    #[test]
    fn vitess_10_puts_its_release_in_version() {
        assert_eq!(label("5.7.9-vitess-10.0.0-SNAPSHOT", ""), "vitess 10");
    }

    #[test]
    fn vitess_without_release_is_just_vitess() {
        assert_eq!(label("8.0.31-Vitess", ""), "vitess");
    }

    #[test]
    fn planetscale_is_vitess_with_a_variant() {
        let f = Flavor::identify("8.0.34-Vitess", "PlanetScale");
        assert_eq!(f.vendor, Vendor::Vitess);
        assert!(f.is_planetscale());
        assert_eq!(
            (f.name(), f.label().as_str()),
            ("vitess", "vitess (planetscale)")
        );
        assert_eq!(f.to_string(), "PlanetScale (Vitess) 8.0.34");
    }

    #[test]
    fn aurora_v3_is_mysql_8_0_with_an_aurora_release() {
        let f = Flavor::identify_server("8.0.28", "Source distribution", Some("3.04.0"));
        assert_eq!(f.vendor, Vendor::Mysql);
        assert!(f.is_aurora());
        assert_eq!(f.product_version, Some((3, 4, 0)));
        assert_eq!(
            (f.name(), f.label().as_str()),
            ("mysql", "aurora mysql 3.04 (mysql 8.0)")
        );
        assert!(f.min_mysql(8, 0, 16));
    }

    #[test]
    fn aurora_v2_is_mysql_5_7() {
        let f =
            Flavor::identify_server("5.7.12-log", "MySQL Community Server (GPL)", Some("2.11.2"));
        assert_eq!(f.label(), "aurora mysql 2.11 (mysql 5.7)");
    }

    #[test]
    fn empty_aurora_version_is_plain_mysql() {
        let f = Flavor::identify_server("8.0.28", "", Some(""));
        assert!(!f.is_aurora());
        assert_eq!(f.label(), "mysql 8.0");
    }

    #[test]
    fn aurora_version_on_a_non_mysql_server_is_ignored() {
        let f = Flavor::identify_server("10.11.6-MariaDB", "", Some("3.04.0"));
        assert!(!f.is_aurora());
        assert_eq!(f.label(), "mariadb 10.11");
    }
}
