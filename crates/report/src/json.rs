//! `--format json`: the contract of DESIGN.md §4 (version 1).

use crate::report::Report;

pub fn render(report: &Report) -> String {
    // Serializing plain data structs cannot fail; keep a valid document if it ever does.
    serde_json::to_string_pretty(report).unwrap_or_else(|e| {
        format!("{{\"version\":1,\"status\":\"error\",\"diagnostics\":[{{\"level\":\"error\",\"message\":\"{e}\"}}]}}")
    }) + "\n"
}
