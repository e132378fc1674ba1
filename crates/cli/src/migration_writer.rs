//! `driftwatch fix --write`: the corrective statements as a migration that
//! drizzle-kit 0.x itself accepts (reference §8):
//!
//! * `<out>/NNNN_<name>.sql`: the statements joined by
//!   `--> statement-breakpoint` (drizzle's migrator runs each chunk alone);
//! * `<out>/meta/NNNN_snapshot.json`: the schema as drizzle-kit would
//!   serialize it ([`driftwatch_drizzle::snapshot_json`], or with
//!   `--schema-source drizzle-kit` drizzle-kit's own JSON), a new id, `prevId`
//!   = the latest snapshot's id — so `drizzle-kit generate` afterwards
//!   compares the schema with it and finds nothing to do;
//! * `<out>/meta/_journal.json`: a new entry `{idx, version "5", when,
//!   tag, breakpoints: true}`. `when` is strictly greater than the last
//!   entry's: drizzle's migrator skips a migration whose `when` is not newer
//!   than the last applied one.
//!
//! Files are written snapshot first, journal last, so that an interrupted
//! run never leaves a journal entry without its files.

use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use driftwatch_diff::corrective::Statement;
use driftwatch_model::Schema;
use serde_json::{Value as Json, json};

use crate::error::CliError;
use crate::project::Project;

pub struct Written {
    pub files: Vec<PathBuf>,
}

const BREAKPOINT: &str = "--> statement-breakpoint";

pub fn write(
    project: &Project,
    schema: &Schema,
    drizzle_kit_json: Option<&Json>,
    statements: &[Statement],
    name: &str,
) -> Result<Written, CliError> {
    let out = project.migrations_dir();
    let meta = out.join("meta");
    refuse_other_layouts(project, &out)?;
    let journal_path = meta.join("_journal.json");
    let mut journal = read_journal(&journal_path)?;
    let entries = journal["entries"].as_array().cloned().unwrap_or_default();
    let idx = entries
        .iter()
        .filter_map(|e| e["idx"].as_u64())
        .max()
        .map_or(0, |i| i + 1);
    let last_when = entries.iter().filter_map(|e| e["when"].as_u64()).max();
    let when = now_ms().max(last_when.map_or(0, |w| w + 1));
    let tag = format!("{idx:04}_{}", tag_words(name));

    let previous = latest_previous(&meta)?;
    let prev_id = previous
        .as_ref()
        .and_then(|p| p["id"].as_str())
        .unwrap_or(driftwatch_drizzle::ORIGIN_ID)
        .to_string();
    let id = new_uuid();
    let snapshot = match drizzle_kit_json {
        Some(json) => drizzle_kits_own(json, &id, &prev_id),
        None => driftwatch_drizzle::snapshot_json(schema, previous.as_ref(), &id, &prev_id)
            .map_err(|e| CliError::Schema(format!("--write: cannot build the snapshot: {e}")))?,
    };

    let sql_path = out.join(format!("{tag}.sql"));
    let snapshot_path = meta.join(format!("{idx:04}_snapshot.json"));
    for path in [&sql_path, &snapshot_path] {
        if path.exists() {
            return Err(CliError::Refused(format!(
                "--write: {} already exists; nothing was written",
                project.display_path(path)
            )));
        }
    }
    std::fs::create_dir_all(&meta).map_err(|e| io_error(&meta, e))?;
    write_file(&sql_path, &migration_sql(statements))?;
    write_file(
        &snapshot_path,
        &driftwatch_drizzle::to_snapshot_text(&snapshot),
    )?;
    let entry = json!({
        "idx": idx,
        "version": "5",
        "when": when,
        "tag": tag,
        "breakpoints": true,
    });
    if let Some(list) = journal["entries"].as_array_mut() {
        list.push(entry);
    }
    write_file(
        &journal_path,
        &serde_json::to_string_pretty(&journal).unwrap_or_default(),
    )?;
    Ok(Written {
        files: vec![sql_path, snapshot_path, journal_path],
    })
}

/// drizzle-kit 1.x (one folder per migration) and non-`index` prefixes are
/// not written yet: better refuse than write a migration drizzle-kit skips.
fn refuse_other_layouts(project: &Project, out: &Path) -> Result<(), CliError> {
    let prefix = project
        .drizzle
        .as_ref()
        .and_then(|c| c.migrations_prefix.clone());
    if let Some(prefix) = prefix.filter(|p| p != "index") {
        return Err(CliError::Refused(format!(
            "--write supports drizzle.config `migrations.prefix` \"index\" (the default) only, not \"{prefix}\"; nothing was written (print the SQL without --write and add it with `drizzle-kit generate --custom`)"
        )));
    }
    let has_journal = out.join("meta/_journal.json").is_file();
    let has_folders = std::fs::read_dir(out)
        .into_iter()
        .flatten()
        .flatten()
        .any(|e| e.path().is_dir() && e.path().join("snapshot.json").is_file());
    if has_folders && !has_journal {
        return Err(CliError::Refused(format!(
            "--write: {} has the drizzle-kit 1.x layout (one folder per migration), which --write does not write yet; nothing was written",
            project.display_path(out)
        )));
    }
    Ok(())
}

fn read_journal(path: &Path) -> Result<Json, CliError> {
    if !path.exists() {
        return Ok(json!({ "version": "7", "dialect": "mysql", "entries": [] }));
    }
    let text = std::fs::read_to_string(path).map_err(|e| io_error(path, e))?;
    let journal: Json = serde_json::from_str(&text).map_err(|e| {
        CliError::Refused(format!(
            "--write: {} is not JSON ({e}); nothing was written",
            path.display()
        ))
    })?;
    if !journal["entries"].is_array() {
        return Err(CliError::Refused(format!(
            "--write: {} has no `entries` list; nothing was written",
            path.display()
        )));
    }
    Ok(journal)
}

/// The latest snapshot's JSON (drizzle-kit's choice: the lexicographically
/// last file of meta/ not starting with `_`), if any.
fn latest_previous(meta: &Path) -> Result<Option<Json>, CliError> {
    if !meta.is_dir() {
        return Ok(None);
    }
    let Ok(path) = driftwatch_drizzle::latest_snapshot(meta.parent().unwrap_or(meta)) else {
        return Ok(None);
    };
    let text = std::fs::read_to_string(&path).map_err(|e| io_error(&path, e))?;
    serde_json::from_str(&text).map(Some).map_err(|e| {
        CliError::Refused(format!(
            "--write: {} is not JSON ({e}); nothing was written",
            path.display()
        ))
    })
}

/// `--schema-source drizzle-kit`: drizzle-kit serialized the schema itself
/// (`generateMySQLDrizzleJson`), so its JSON is the snapshot, exact by
/// construction; only the ids and the top-level key order of a snapshot
/// file are set here.
fn drizzle_kits_own(json: &Json, id: &str, prev_id: &str) -> Json {
    let field = |name: &str, default: Json| json.get(name).cloned().unwrap_or(default);
    json!({
        "version": field("version", json!("5")),
        "dialect": field("dialect", json!("mysql")),
        "id": id,
        "prevId": prev_id,
        "tables": field("tables", json!({})),
        "views": field("views", json!({})),
        "_meta": { "schemas": {}, "tables": {}, "columns": {} },
        "internal": field("internal", json!({ "tables": {}, "indexes": {} })),
    })
}

/// The migration file: each statement (with its `-- fixes:` comments, which
/// the server ignores) in its own chunk.
fn migration_sql(statements: &[Statement]) -> String {
    statements
        .iter()
        .map(|s| {
            let mut chunk = String::new();
            for fix in &s.fixes {
                chunk.push_str(&format!("-- fixes: {fix}\n"));
            }
            chunk.push_str(&s.sql);
            chunk
        })
        .collect::<Vec<_>>()
        .join(&format!("\n{BREAKPOINT}\n"))
}

/// `fix my drift!` → `fix_my_drift`.
fn tag_words(name: &str) -> String {
    let words: Vec<String> = name
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    if words.is_empty() {
        "driftwatch_fix".to_string()
    } else {
        words.join("_")
    }
}

fn now_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX))
}

/// A random (version 4) UUID. The randomness comes from the standard
/// library's per-process hash keys and the clock: the id only has to differ
/// from every other snapshot's.
fn new_uuid() -> String {
    use std::hash::{BuildHasher, Hasher};
    let random = |salt: u64| {
        let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
        hasher.write_u64(salt);
        hasher.write_u128(
            SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| d.as_nanos()),
        );
        hasher.finish()
    };
    let bytes: u128 = (u128::from(random(1)) << 64) | u128::from(random(2));
    // Version 4 and the RFC 4122 variant.
    let bytes = (bytes & !(0xf << 76) | (0x4 << 76)) & !(0x3 << 62) | (0x2 << 62);
    let hex = format!("{bytes:032x}");
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

fn write_file(path: &Path, text: &str) -> Result<(), CliError> {
    std::fs::write(path, text).map_err(|e| io_error(path, e))
}

fn io_error(path: &Path, e: std::io::Error) -> CliError {
    CliError::Output {
        path: path.to_path_buf(),
        message: e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuid_is_version_4() {
        let id = new_uuid();
        assert_eq!(id.len(), 36);
        assert_eq!(&id[14..15], "4");
        assert!(matches!(&id[19..20], "8" | "9" | "a" | "b"), "{id}");
        assert_ne!(new_uuid(), id);
    }

    #[test]
    fn statements_are_separated_by_breakpoints() {
        let statement = |sql: &str| Statement {
            sql: sql.into(),
            fixes: vec!["x".into()],
            destructive: None,
        };
        assert_eq!(
            migration_sql(&[statement("A;"), statement("B;")]),
            "-- fixes: x\nA;\n--> statement-breakpoint\n-- fixes: x\nB;"
        );
    }

    #[test]
    fn tag_words_are_snake_case() {
        assert_eq!(tag_words("Fix my drift!"), "fix_my_drift");
        assert_eq!(tag_words("--"), "driftwatch_fix");
    }
}
