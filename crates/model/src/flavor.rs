//! Which server we are talking to, identified once from `VERSION()` and
//! `@@version_comment`. Capabilities read like prose (`flavor.is_mariadb()`,
//! `flavor.min_mysql(8, 0, 19)`); every quirk that depends on them lives in
//! [`crate::quirks`].

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

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Flavor {
    pub vendor: Vendor,
    /// (major, minor, patch) of the server itself (for TiDB and Vitess: of the
    /// MySQL version they emulate).
    pub version: (u32, u32, u32),
    /// `VERSION()` as the server returned it.
    pub version_string: String,
}

impl Flavor {
    /// `10.11.19-MariaDB-0+deb12u1` → MariaDB 10.11.19; `8.0.36` → MySQL;
    /// `5.7.25-TiDB-v6.5.0` → TiDB; `8.0.31-Vitess` → Vitess.
    pub fn identify(version: &str, version_comment: &str) -> Flavor {
        let lowered = version.to_ascii_lowercase();
        let vendor = if lowered.contains("mariadb")
            || version_comment.to_ascii_lowercase().contains("mariadb")
        {
            Vendor::Mariadb
        } else if lowered.contains("tidb") {
            Vendor::Tidb
        } else if lowered.ends_with("-vitess") || lowered.contains("vitess") {
            Vendor::Vitess
        } else {
            Vendor::Mysql
        };
        // MariaDB 10.x behind a MySQL 5.5 replication prefix: "5.5.5-10.11.6-MariaDB".
        let numeric = version
            .strip_prefix("5.5.5-")
            .filter(|_| vendor == Vendor::Mariadb)
            .unwrap_or(version);
        Flavor {
            vendor,
            version: parse_version(numeric),
            version_string: version.to_string(),
        }
    }

    pub fn is_mariadb(&self) -> bool {
        self.vendor == Vendor::Mariadb
    }

    /// MySQL proper (or a MySQL-8 based Vitess) at or above this version.
    pub fn min_mysql(&self, major: u32, minor: u32, patch: u32) -> bool {
        matches!(self.vendor, Vendor::Mysql | Vendor::Vitess)
            && self.version >= (major, minor, patch)
    }

    pub fn min_mariadb(&self, major: u32, minor: u32, patch: u32) -> bool {
        self.is_mariadb() && self.version >= (major, minor, patch)
    }

    /// The name used in reports and JSON `target.flavor`.
    pub fn name(&self) -> &'static str {
        match self.vendor {
            Vendor::Mysql => "mysql",
            Vendor::Mariadb => "mariadb",
            Vendor::Tidb => "tidb",
            Vendor::Vitess => "vitess",
        }
    }
}

impl fmt::Display for Flavor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (major, minor, patch) = self.version;
        let vendor = match self.vendor {
            Vendor::Mysql => "MySQL",
            Vendor::Mariadb => "MariaDB",
            Vendor::Tidb => "TiDB",
            Vendor::Vitess => "Vitess",
        };
        write!(f, "{vendor} {major}.{minor}.{patch}")
    }
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

    #[test]
    fn mariadb_debian_version_string() {
        let f = Flavor::identify("10.11.19-MariaDB-0+deb12u1", "Debian 12");
        assert_eq!(f.vendor, Vendor::Mariadb);
        assert_eq!(f.version, (10, 11, 19));
    }

    #[test]
    fn mariadb_behind_replication_prefix() {
        let f = Flavor::identify("5.5.5-10.6.12-MariaDB", "mariadb.org binary distribution");
        assert_eq!(f.version, (10, 6, 12));
    }

    #[test]
    fn plain_mysql_8() {
        let f = Flavor::identify("8.0.36", "MySQL Community Server - GPL");
        assert_eq!(f.vendor, Vendor::Mysql);
        assert!(f.min_mysql(8, 0, 19));
        assert!(!f.min_mysql(8, 0, 37));
    }

    #[test]
    fn tidb_and_vitess() {
        assert_eq!(
            Flavor::identify("5.7.25-TiDB-v6.5.0", "").vendor,
            Vendor::Tidb
        );
        assert_eq!(Flavor::identify("8.0.31-Vitess", "").vendor, Vendor::Vitess);
    }
}
