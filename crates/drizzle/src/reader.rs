//! The TypeScript schema reader: schema files → Model, as drizzle-kit sees
//! them (`Object.values(require(file))` of every schema file, tables only).

use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};

use driftwatch_model::Schema;
use oxc_allocator::Allocator;

use crate::config::Casing;
use crate::diagnostics::{self, Diagnostic, Site};
use crate::eval::{Evaluator, Value};

#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    /// `casing` of drizzle.config.
    pub casing: Option<Casing>,
    /// Project root: sources and diagnostics name files relative to it.
    pub root: PathBuf,
}

#[derive(Debug, Clone, Default)]
pub struct ReadOutput {
    /// Tables read (incomplete ones included, minus what could not be read).
    pub schema: Schema,
    pub diagnostics: Vec<Diagnostic>,
    /// Tables that could not be read exactly (sorted). Any error diagnostic
    /// also means the read is not exact, even when it names no table.
    pub incomplete_tables: Vec<String>,
    /// Every file read: the schema files and the files they import.
    pub files: Vec<PathBuf>,
}

impl ReadOutput {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(Diagnostic::is_error)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ResolveError {
    #[error("schema path `{pattern}` matches no schema file (relative to {root})")]
    NoMatch { pattern: String, root: String },
    #[error("schema path `{pattern}` is not a valid glob: {message}")]
    InvalidPattern { pattern: String, message: String },
    #[error("cannot read {path}: {reason}")]
    Io { path: String, reason: String },
}

/// Extensions of the files a schema directory contributes.
const SCHEMA_EXTENSIONS: [&str; 4] = ["ts", "mts", "js", "mjs"];

/// Expands the config's `schema` globs relative to `root` (the config's
/// folder). A directory contributes its direct `.ts/.mts/.js/.mjs` files.
/// Sorted and de-duplicated; a pattern that matches nothing is an error.
pub fn resolve_schema_files(
    root: &Path,
    patterns: &[String],
) -> Result<Vec<PathBuf>, ResolveError> {
    let mut files = Vec::new();
    let options = glob::MatchOptions {
        case_sensitive: true,
        require_literal_separator: true,
        require_literal_leading_dot: true,
    };
    let escaped_root = glob::Pattern::escape(&root.to_string_lossy());
    for pattern in patterns {
        let mut matched = false;
        for expanded in expand_braces(pattern) {
            let relative = expanded.strip_prefix("./").unwrap_or(&expanded);
            let full = if Path::new(relative).is_absolute() {
                relative.to_string()
            } else {
                format!("{}/{relative}", escaped_root.trim_end_matches('/'))
            };
            let paths =
                glob::glob_with(&full, options).map_err(|e| ResolveError::InvalidPattern {
                    pattern: pattern.clone(),
                    message: e.msg.to_string(),
                })?;
            for entry in paths {
                let path = entry.map_err(|e| ResolveError::Io {
                    path: e.path().display().to_string(),
                    reason: e.error().to_string(),
                })?;
                if path.is_dir() {
                    let read = std::fs::read_dir(&path).map_err(|e| ResolveError::Io {
                        path: path.display().to_string(),
                        reason: e.to_string(),
                    })?;
                    for item in read.flatten() {
                        let file = item.path();
                        let name = file
                            .file_name()
                            .map(|n| n.to_string_lossy().to_string())
                            .unwrap_or_default();
                        let is_schema = file.is_file()
                            && !name.ends_with(".d.ts")
                            && file.extension().is_some_and(|e| {
                                SCHEMA_EXTENSIONS.contains(&e.to_string_lossy().as_ref())
                            });
                        if is_schema {
                            files.push(file);
                            matched = true;
                        }
                    }
                } else if path.is_file() {
                    files.push(path);
                    matched = true;
                }
            }
        }
        if !matched {
            return Err(ResolveError::NoMatch {
                pattern: pattern.clone(),
                root: root.display().to_string(),
            });
        }
    }
    files.sort();
    files.dedup();
    Ok(files)
}

/// `a/{b,c}/*.ts` → `a/b/*.ts`, `a/c/*.ts` (as the `glob` package does).
fn expand_braces(pattern: &str) -> Vec<String> {
    let bytes = pattern.as_bytes();
    let Some(open) = pattern.find('{') else {
        return vec![pattern.to_string()];
    };
    let mut depth = 0;
    let mut commas = Vec::new();
    let mut close = None;
    for (i, b) in bytes.iter().enumerate().skip(open) {
        match b {
            b'{' => depth += 1,
            b'}' => {
                depth -= 1;
                if depth == 0 {
                    close = Some(i);
                    break;
                }
            }
            b',' if depth == 1 => commas.push(i),
            _ => {}
        }
    }
    let Some(close) = close else {
        return vec![pattern.to_string()];
    };
    let (head, tail) = (&pattern[..open], &pattern[close + 1..]);
    if commas.is_empty() {
        // `{a}` is literal; expand what follows.
        return expand_braces(tail)
            .into_iter()
            .map(|t| format!("{}{t}", &pattern[..=close]))
            .collect();
    }
    let mut bounds = vec![open];
    bounds.extend(commas);
    bounds.push(close);
    let mut out = Vec::new();
    for pair in bounds.windows(2) {
        let alternative = &pattern[pair[0] + 1..pair[1]];
        for expanded in expand_braces(&format!("{head}{alternative}{tail}")) {
            if !out.contains(&expanded) {
                out.push(expanded);
            }
        }
    }
    out
}

/// Reads the schema files. Never fails as a whole: what cannot be read is a
/// diagnostic, and the tables affected are listed in `incomplete_tables`.
pub fn read_schema(files: &[PathBuf], options: &ReadOptions) -> ReadOutput {
    let _span = tracing::debug_span!("read", files = files.len()).entered();
    let alloc = Allocator::default();
    let mut ev = Evaluator::new(&alloc, options.root.clone());
    ev.casing = options.casing;
    ev.report_module_statements = true;
    let mut collected = Vec::new();
    let mut views = Vec::new();
    let mut unreadable_tables = BTreeSet::new();
    let mut read = Vec::new();

    for file in files {
        let module = match ev.load(file) {
            Ok(module) => module,
            Err(reason) => {
                let site = Site {
                    file,
                    source: "",
                    start: 0,
                    end: 0,
                    table: None,
                };
                ev.diagnostics
                    .push(diagnostics::file_unreadable(&site, &reason));
                continue;
            }
        };
        if !ev.modules[module].syntax_ok {
            unreadable_tables.extend(scan_table_names(ev.modules[module].source));
            continue;
        }
        ev.evaluate_exports_in_source_order(module);
        for name in ev.export_names(module) {
            let span = ev.export_span(module, &name);
            match ev.export_value(module, &name, module, span) {
                Ok(Some(Value::Table(id))) => collected.push(id),
                Ok(Some(Value::View(view))) => views.push(view),
                // Re-exported from a package: it may be a table drizzle-kit sees.
                Ok(Some(Value::External {
                    package,
                    derived: false,
                    ..
                })) => {
                    let error = ev.error(module, span, |s| {
                        diagnostics::package_export(s, &name, &package)
                    });
                    ev.report(error);
                }
                // Anything else (constants, relations, `drizzle(pool)`…) is not a table.
                Ok(_) => {}
                Err(error) => ev.report(error),
            }
        }
        for (package, span) in ev.package_stars(module) {
            let error = ev.error(module, span, |s| {
                diagnostics::package_export(s, "*", package)
            });
            ev.report(error);
        }
        if let Some(exports) = ev.cjs_exports(module) {
            match exports {
                Ok(Value::Object(object)) => {
                    for value in object.values() {
                        match value {
                            Value::Table(id) => collected.push(id),
                            Value::View(view) => views.push(view),
                            _ => {}
                        }
                    }
                }
                Ok(_) => {}
                Err(error) => ev.report(error),
            }
        }
        // Its exports are evaluated and cached: the AST is not needed any
        // more (a later need parses the file again). At 2,000 tables the
        // ASTs of all files took 36 MB, more than anything else the read
        // holds (docs/BENCHMARKS.md, *Memory*).
        read.push(module);
        for &done in &read {
            ev.release_ast(done);
        }
    }

    let schema = ev.build_schema(&collected, &views);
    let mut seen = HashSet::new();
    let diagnostics: Vec<Diagnostic> = ev
        .diagnostics
        .into_iter()
        .filter(|d| seen.insert((d.file.clone(), d.offset, d.message.clone(), d.table.clone())))
        .collect();
    let mut incomplete = ev.incomplete;
    incomplete.extend(unreadable_tables);
    tracing::debug!(
        tables = schema.tables.len(),
        diagnostics = diagnostics.len(),
        "schema read"
    );
    ReadOutput {
        schema,
        diagnostics,
        incomplete_tables: incomplete.into_iter().collect(),
        files: ev.modules.iter().map(|m| m.path.clone()).collect(),
    }
}

/// Best effort for files that could not be parsed: the names in
/// `mysqlTable('name'` calls, to list those tables as incomplete.
fn scan_table_names(source: &str) -> Vec<String> {
    let mut names = Vec::new();
    let mut rest = source;
    while let Some(pos) = rest.find("mysqlTable(") {
        rest = &rest[pos + "mysqlTable(".len()..];
        let trimmed = rest.trim_start();
        let Some(quote) = trimmed
            .chars()
            .next()
            .filter(|c| matches!(c, '\'' | '"' | '`'))
        else {
            continue;
        };
        let body = &trimmed[1..];
        if let Some(end) = body.find(quote) {
            let name = &body[..end];
            if !name.contains(['\n', '$', '\\']) && !names.iter().any(|n| n == name) {
                names.push(name.to_string());
            }
        }
    }
    names
}

#[cfg(test)]
mod tests {
    use super::{expand_braces, scan_table_names};

    #[test]
    fn table_names_are_found_in_unparsable_text() {
        assert_eq!(
            scan_table_names(
                "const a = mysqlTable('users', { id: int( });\nm.mysqlTable(\n  \"posts\", {"
            ),
            vec!["users", "posts"]
        );
    }

    #[test]
    fn braces_expand_to_each_alternative() {
        assert_eq!(
            expand_braces("src/{a,b}/*.ts"),
            vec!["src/a/*.ts", "src/b/*.ts"]
        );
        assert_eq!(expand_braces("x.{ts,js}"), vec!["x.ts", "x.js"]);
        assert_eq!(expand_braces("plain/*.ts"), vec!["plain/*.ts"]);
    }
}
