//! `--schema-source drizzle-kit`: the schema files serialized by the
//! project's own drizzle-kit through Node (`drizzle-kit/api`'s
//! `generateMySQLDrizzleJson`, with the tsx loader drizzle-kit ships), then
//! turned into the Model by the same snapshot conversion as
//! `--schema-source snapshot`.

use std::path::{Path, PathBuf};
use std::process::Command;

use driftwatch_drizzle::Casing;

use crate::error::CliError;

const SCRIPT: &str = include_str!("drizzle_kit.js");

/// `node_modules/drizzle-kit/api.js`, looked for from `root` upwards.
fn find_api(root: &Path) -> Option<PathBuf> {
    let start = std::path::absolute(root).unwrap_or_else(|_| root.to_path_buf());
    start
        .ancestors()
        .map(|dir| dir.join("node_modules/drizzle-kit/api.js"))
        .find(|p| p.is_file())
}

/// The snapshot JSON drizzle-kit makes of `files` (absolute paths), run from
/// `root` (the drizzle.config folder).
pub fn snapshot_json(
    root: &Path,
    files: &[PathBuf],
    casing: Option<Casing>,
) -> Result<serde_json::Value, CliError> {
    let api = find_api(root).ok_or_else(|| {
        CliError::Schema(format!(
            "--schema-source drizzle-kit: drizzle-kit is not installed (no node_modules/drizzle-kit in {} or above); install it (npm i -D drizzle-kit) or use --schema-source static",
            root.display()
        ))
    })?;
    let files: Vec<String> = files
        .iter()
        .map(|f| {
            std::path::absolute(f)
                .unwrap_or_else(|_| f.clone())
                .to_string_lossy()
                .to_string()
        })
        .collect();
    let input = serde_json::json!({
        "api": api.to_string_lossy(),
        "files": files,
        "casing": casing.map(|c| match c {
            Casing::SnakeCase => "snake_case",
            Casing::CamelCase => "camelCase",
        }),
    });
    let output = Command::new("node")
        .arg("-e")
        .arg(SCRIPT)
        .current_dir(root)
        .env("DRIFTWATCH_DRIZZLE_KIT", input.to_string())
        .output()
        .map_err(|e| {
            CliError::Schema(if e.kind() == std::io::ErrorKind::NotFound {
                "--schema-source drizzle-kit needs Node.js: `node` is not on PATH (or use --schema-source static, which needs no Node)".to_string()
            } else {
                format!("--schema-source drizzle-kit: cannot run node: {e}")
            })
        })?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let tail: Vec<&str> = stderr.lines().rev().take(20).collect();
        let tail: Vec<&str> = tail.into_iter().rev().collect();
        return Err(CliError::Schema(format!(
            "--schema-source drizzle-kit: drizzle-kit ({}) failed to serialize the schema:\n{}",
            api.display(),
            tail.join("\n")
        )));
    }
    serde_json::from_slice(&output.stdout).map_err(|e| {
        CliError::Schema(format!(
            "--schema-source drizzle-kit: drizzle-kit printed no snapshot JSON: {e}"
        ))
    })
}
