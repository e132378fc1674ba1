//! `--format sarif`: SARIF 2.1.0 (OASIS), for GitHub code scanning and other
//! SARIF viewers. One run; one rule per drift kind present (id = the kind's
//! stable name); one result per drift with its level (`error` for critical and
//! high, `warning` for medium, `note` for low), the schema location of the
//! drifted table or column, the drift id as partial fingerprint (so that a
//! viewer tracks the same drift across runs), and severity, cause and fix in
//! `properties`. Diagnostics are tool execution notifications; the invocation
//! is unsuccessful when the report status is `error`.
//!
//! Deterministic: no clock, no absolute paths.

use driftwatch_diff::{DriftKind, Finding, Severity};
use serde_json::{Map, Value, json};

use crate::report::{DiagnosticEntry, Report, Status};

pub const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";
pub const INFORMATION_URI: &str = "https://github.com/driftwatch/driftwatch";
/// Where each rule is explained (anchor = the kind's name).
pub const HELP_URI: &str = "https://github.com/driftwatch/driftwatch/blob/main/docs/drift-kinds.md";
/// The key of the drift id in `partialFingerprints`.
pub const FINGERPRINT_KEY: &str = "driftwatchDriftId/v1";

/// The SARIF level of a severity.
pub fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low => "note",
    }
}

pub fn render(report: &Report) -> String {
    let log = log(report);
    serde_json::to_string_pretty(&log).unwrap_or_else(|_| "{}".to_string()) + "\n"
}

/// The SARIF log as a JSON value.
pub fn log(report: &Report) -> Value {
    // Rules in the order of the table of drift kinds, only those used.
    let kinds: Vec<DriftKind> = DriftKind::ALL
        .iter()
        .copied()
        .filter(|k| report.drifts.iter().any(|f| f.kind == *k))
        .collect();
    let rules: Vec<Value> = kinds.iter().map(|k| rule(report, *k)).collect();
    let results: Vec<Value> = report
        .drifts
        .iter()
        .map(|f| {
            let index = kinds.iter().position(|k| *k == f.kind).unwrap_or(0);
            result(f, index)
        })
        .collect();
    let notifications: Vec<Value> = report
        .schema
        .incomplete
        .iter()
        .chain(&report.diagnostics)
        .map(notification)
        .collect();
    let t = &report.target;
    json!({
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "driftwatch",
                    "version": env!("CARGO_PKG_VERSION"),
                    "semanticVersion": env!("CARGO_PKG_VERSION"),
                    "informationUri": INFORMATION_URI,
                    "rules": rules,
                }
            },
            "invocations": [{
                "executionSuccessful": report.status != Status::Error,
                "toolExecutionNotifications": notifications,
            }],
            "columnKind": "unicodeCodePoints",
            "results": results,
            "properties": {
                "status": match report.status {
                    Status::Clean => "clean",
                    Status::Drift => "drift",
                    Status::Error => "error",
                },
                "mode": report.mode.name(),
                "target": {
                    "flavor": t.flavor,
                    "server_version": t.server_version,
                    "host": t.host,
                    "database": t.database,
                },
                "summary": report.summary,
            },
        }],
    })
}

fn rule(report: &Report, kind: DriftKind) -> Value {
    // The level of this kind's drifts in this report (the severity policy
    // decided it; a `[severity]` override applies to every drift of a kind).
    let severity = report
        .drifts
        .iter()
        .filter(|f| f.kind == kind)
        .map(|f| f.severity)
        .max()
        .unwrap_or(Severity::Medium);
    let help = format!(
        "{} Usually: {}. Fix the database with the corrective SQL of the result \
         (`driftwatch fix`), or the schema with the Drizzle code it gives.",
        kind.meaning(),
        kind.usual_cause()
    );
    json!({
        "id": kind.name(),
        "name": kind.name(),
        "shortDescription": { "text": kind.meaning() },
        "fullDescription": { "text": format!("{} Usually: {}.", kind.meaning(), kind.usual_cause()) },
        "helpUri": format!("{HELP_URI}#{}", kind.name()),
        "help": { "text": help },
        "defaultConfiguration": { "level": level(severity) },
        "properties": { "tags": ["schema-drift", "drizzle", "mysql"] },
    })
}

fn result(f: &Finding, rule_index: usize) -> Value {
    let mut logical = Map::new();
    let (name, kind) = match &f.object {
        Some(object) => (format!("{}.{object}", f.table), "member"),
        None => (f.table.clone(), "type"),
    };
    logical.insert("name".into(), json!(name));
    logical.insert("fullyQualifiedName".into(), json!(name));
    logical.insert("kind".into(), json!(kind));
    let mut location = Map::new();
    if let Some(source) = &f.source {
        location.insert(
            "physicalLocation".into(),
            json!({
                "artifactLocation": { "uri": uri(&source.file) },
                "region": { "startLine": source.line.max(1), "startColumn": source.column.max(1) },
            }),
        );
    }
    location.insert("logicalLocations".into(), json!([Value::Object(logical)]));

    let mut properties = Map::new();
    properties.insert("severity".into(), json!(f.severity.name()));
    properties.insert("cause".into(), json!(f.cause.name()));
    if let Some(evidence) = &f.evidence {
        properties.insert("evidence".into(), json!(evidence));
    }
    properties.insert("table".into(), json!(f.table));
    properties.insert("object".into(), json!(f.object));
    properties.insert("expected".into(), json!(f.expected));
    properties.insert("actual".into(), json!(f.actual));
    properties.insert("fix".into(), json!(f.fix));

    json!({
        "ruleId": f.kind.name(),
        "ruleIndex": rule_index,
        "level": level(f.severity),
        "message": { "text": f.message },
        "locations": [Value::Object(location)],
        "partialFingerprints": { FINGERPRINT_KEY: f.id },
        "properties": Value::Object(properties),
    })
}

fn notification(d: &DiagnosticEntry) -> Value {
    let mut n = Map::new();
    n.insert(
        "level".into(),
        json!(if d.level == "error" {
            "error"
        } else {
            "warning"
        }),
    );
    n.insert("message".into(), json!({ "text": d.message }));
    if let Some(file) = &d.file {
        let mut physical = Map::new();
        physical.insert("artifactLocation".into(), json!({ "uri": uri(file) }));
        if let Some(line) = d.line {
            let mut region = Map::new();
            region.insert("startLine".into(), json!(line.max(1)));
            if let Some(column) = d.column {
                region.insert("startColumn".into(), json!(column.max(1)));
            }
            physical.insert("region".into(), Value::Object(region));
        }
        n.insert(
            "locations".into(),
            json!([{ "physicalLocation": Value::Object(physical) }]),
        );
    }
    Value::Object(n)
}

/// A relative path as a URI reference: `/`-separated, with the characters
/// that are not allowed in a URI path percent-encoded.
pub fn uri(path: &str) -> String {
    let path = path.replace('\\', "/");
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        let keep = byte.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=:@".contains(&byte);
        if keep {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    // A first segment with `:` would read as a scheme.
    if out.split('/').next().is_some_and(|s| s.contains(':')) {
        out = format!("./{out}");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uri_keeps_relative_paths_and_encodes_spaces_and_percent() {
        assert_eq!(uri("drizzle/schema.ts"), "drizzle/schema.ts");
        assert_eq!(uri("my db/100%.ts"), "my%20db/100%25.ts");
        assert_eq!(uri("src\\db.ts"), "src/db.ts");
        assert_eq!(uri("a:b/c.ts"), "./a:b/c.ts");
    }

    #[test]
    fn levels_follow_severity() {
        assert_eq!(level(Severity::Critical), "error");
        assert_eq!(level(Severity::High), "error");
        assert_eq!(level(Severity::Medium), "warning");
        assert_eq!(level(Severity::Low), "note");
    }
}
