//! Tables that online schema-change tools leave in a database: ghost copies,
//! changelogs, cut-over leftovers, lifecycle tables. They are not part of any
//! Drizzle schema, so a database that has one is not drifting — but their
//! presence usually means a schema change is in flight (or died half-way),
//! which the report says.
//!
//! The patterns come from `shared/reference/mysql-introspection.md` §6.4 and
//! the tools' sources. They can collide with a real table (`_audit_old`), so
//! callers only ignore a database table that the schema does not declare, and
//! list every name they ignored.

/// The online schema-change tool a leftover table belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tool {
    GhOst,
    PtOnlineSchemaChange,
    Vitess,
    LargeHadronMigrator,
    Spirit,
}

impl Tool {
    pub fn name(self) -> &'static str {
        match self {
            Tool::GhOst => "gh-ost",
            Tool::PtOnlineSchemaChange => "pt-online-schema-change",
            Tool::Vitess => "Vitess/PlanetScale online DDL",
            Tool::LargeHadronMigrator => "Large Hadron Migrator",
            Tool::Spirit => "Spirit",
        }
    }
}

/// One recognisable artifact name shape.
struct Artifact {
    tool: Tool,
    /// What the table is, for the report.
    role: &'static str,
    matches: fn(&str) -> bool,
}

/// Checked in order; the first match names the tool.
const ARTIFACTS: &[Artifact] = &[
    // gh-ost: `_<t>_gho` (ghost copy), `_<t>_ghc` (changelog), `_<t>_ghk`
    // (checkpoint), `_<t>_del` / `_<t>_<YYYYMMDDhhmmss>_del` (cut-over
    // leftover), `_<t>_rev_del` (revert).
    Artifact {
        tool: Tool::GhOst,
        role: "ghost, changelog or checkpoint table",
        matches: |n| underscored_with_suffix(n, &["_gho", "_ghc", "_ghk"]),
    },
    Artifact {
        tool: Tool::GhOst,
        role: "cut-over leftover",
        matches: |n| underscored_with_suffix(n, &["_del"]),
    },
    // pt-online-schema-change: `_<t>_new` while copying, `_<t>_old` after a
    // swap with --no-drop-old-table (more leading underscores when taken).
    Artifact {
        tool: Tool::PtOnlineSchemaChange,
        role: "new or old table copy",
        matches: |n| underscored_with_suffix(n, &["_new", "_old"]),
    },
    // Vitess / PlanetScale: `_vt_<op>_<uuid>_<timestamp>_` lifecycle tables
    // (hld, prg, evc, drp, vrp; older uppercase HOLD/PURGE/EVAC/DROP forms).
    Artifact {
        tool: Tool::Vitess,
        role: "table lifecycle or VReplication table",
        matches: |n| starts_with_ignore_case(n, "_vt_"),
    },
    // Vitess (before v14): shadow tables `_<uuid>_<YYYYMMDDhhmmss>_vrepl`.
    Artifact {
        tool: Tool::Vitess,
        role: "online DDL shadow table",
        matches: is_vitess_vrepl_shadow,
    },
    // LHM (Rails): `lhmn_<t>` (new copy), `lhma_<timestamp>_<t>` (archive).
    Artifact {
        tool: Tool::LargeHadronMigrator,
        role: "new or archived table copy",
        matches: |n| starts_with_ignore_case(n, "lhmn_") || starts_with_ignore_case(n, "lhma_"),
    },
    // Spirit (Block): `_<t>_chkpnt` checkpoint, `_<t>_new` handled above.
    Artifact {
        tool: Tool::Spirit,
        role: "checkpoint table",
        matches: |n| underscored_with_suffix(n, &["_chkpnt"]),
    },
];

/// The tool and role of `table` when its name is an online schema-change
/// artifact.
pub fn online_schema_change_artifact(table: &str) -> Option<(Tool, &'static str)> {
    ARTIFACTS
        .iter()
        .find(|a| (a.matches)(table))
        .map(|a| (a.tool, a.role))
}

/// `_<something>` + one of `suffixes`, with at least one character of base
/// name between (`_del` alone is not an artifact).
fn underscored_with_suffix(name: &str, suffixes: &[&str]) -> bool {
    let Some(rest) = name.strip_prefix('_') else {
        return false;
    };
    let lowered = rest.to_ascii_lowercase();
    suffixes
        .iter()
        .any(|suffix| lowered.len() > suffix.len() && lowered.ends_with(suffix))
}

fn starts_with_ignore_case(name: &str, prefix: &str) -> bool {
    name.len() >= prefix.len()
        && name.is_char_boundary(prefix.len())
        && name[..prefix.len()].eq_ignore_ascii_case(prefix)
}

/// `_<hex and underscores>_<14 digits>_vrepl`.
fn is_vitess_vrepl_shadow(name: &str) -> bool {
    let Some(body) = name
        .strip_prefix('_')
        .and_then(|n| n.strip_suffix("_vrepl"))
    else {
        return false;
    };
    let Some((uuid, timestamp)) = body.rsplit_once('_') else {
        return false;
    };
    timestamp.len() == 14
        && timestamp.bytes().all(|b| b.is_ascii_digit())
        && !uuid.is_empty()
        && uuid.bytes().all(|b| b.is_ascii_hexdigit() || b == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tool(name: &str) -> Option<Tool> {
        online_schema_change_artifact(name).map(|(tool, _)| tool)
    }

    #[test]
    fn gh_ost_ghost_changelog_and_checkpoint_tables_are_artifacts() {
        for name in ["_users_gho", "_users_ghc", "_users_ghk"] {
            assert_eq!(tool(name), Some(Tool::GhOst), "{name}");
        }
    }

    #[test]
    fn gh_ost_cut_over_leftovers_are_artifacts() {
        for name in ["_users_del", "_users_20240102030405_del", "_users_rev_del"] {
            assert_eq!(tool(name), Some(Tool::GhOst), "{name}");
        }
    }

    #[test]
    fn pt_online_schema_change_copies_are_artifacts() {
        for name in ["_users_new", "_users_old", "__users_old"] {
            assert_eq!(tool(name), Some(Tool::PtOnlineSchemaChange), "{name}");
        }
    }

    #[test]
    fn vitess_lifecycle_and_shadow_tables_are_artifacts() {
        for name in [
            "_vt_hld_6ace8bcef73211ea87e9f875a4d24e90_20200915120410_",
            "_vt_PURGE_6ace8bcef73211ea87e9f875a4d24e90_20200915120410",
            "_6ace8bce_f732_11ea_87e9_f875a4d24e90_20200915120410_vrepl",
        ] {
            assert_eq!(tool(name), Some(Tool::Vitess), "{name}");
        }
    }

    #[test]
    fn lhm_and_spirit_tables_are_artifacts() {
        assert_eq!(tool("lhmn_users"), Some(Tool::LargeHadronMigrator));
        assert_eq!(
            tool("lhma_2024_01_02_03_04_05_000_users"),
            Some(Tool::LargeHadronMigrator)
        );
        assert_eq!(tool("_users_chkpnt"), Some(Tool::Spirit));
    }

    #[test]
    fn ordinary_table_names_are_not_artifacts() {
        for name in [
            "users",
            "new",
            "_del",
            "_new",
            "user_old",
            "order_items",
            "vt_users",
            "_x_vrepl",
        ] {
            assert_eq!(tool(name), None, "{name}");
        }
    }
}
