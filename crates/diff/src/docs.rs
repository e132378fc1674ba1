//! `docs/drift-kinds.md`, generated from the table of kinds so the published
//! list cannot fall behind the code (a test compares them).

use std::fmt::Write as _;

use crate::classify::default_severity_rule;
use crate::kind::DriftKind;

pub fn drift_kinds_markdown() -> String {
    let mut out = String::from(
        "# Drift kinds\n\n\
         <!-- Generated from crates/diff/src/kind.rs by \
         `DRIFTWATCH_UPDATE_DOCS=1 cargo test -p driftwatch_diff docs`; do not edit. -->\n\n\
         Stable names: they appear in JSON reports and in `[severity]` / `[ignore] kinds` of driftwatch.toml.\n\
         Severity is the default policy (DESIGN.md §5); driftwatch.toml overrides it per kind.\n\n\
         | kind | means | usually because | default severity |\n|---|---|---|---|\n",
    );
    for kind in DriftKind::ALL {
        let _ = writeln!(
            out,
            "| `{}` | {} | {} | {} |",
            kind.name(),
            kind.meaning(),
            kind.usual_cause(),
            default_severity_rule(*kind)
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::drift_kinds_markdown;

    #[test]
    fn docs_drift_kinds_md_is_up_to_date() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/drift-kinds.md");
        let generated = drift_kinds_markdown();
        if std::env::var_os("DRIFTWATCH_UPDATE_DOCS").is_some() {
            std::fs::write(path, &generated).unwrap_or_else(|e| panic!("{path}: {e}"));
        }
        let committed = std::fs::read_to_string(path).unwrap_or_default();
        assert!(
            committed == generated,
            "docs/drift-kinds.md is stale: run DRIFTWATCH_UPDATE_DOCS=1 cargo test -p driftwatch_diff docs"
        );
    }
}
