//! `compilerOptions.paths` and `baseUrl` of the nearest `tsconfig.json`, as
//! TypeScript (and the loaders drizzle-kit runs the schema through) resolve
//! non-relative imports with them.
//!
//! * the nearest `tsconfig.json` upward from the importing file;
//! * `extends` of a relative file is followed (one level and more), the
//!   child's options overriding the parent's; each option keeps the folder
//!   of the file that set it (`paths` are relative to `baseUrl` when set,
//!   else to the folder of the config that declares them);
//! * a pattern matches exactly or with one `*`; the longest prefix wins;
//!   each substitution is tried in order;
//! * with `baseUrl`, a specifier that names an existing file under it
//!   resolves there.

use std::path::{Path, PathBuf};

use serde_json::Value as Json;

/// `paths` patterns with their substitutions, in declaration order.
type Paths = Vec<(String, Vec<String>)>;

#[derive(Debug, Clone, Default)]
pub struct TsConfig {
    /// Absolute folder of `baseUrl`.
    base_url: Option<PathBuf>,
    /// `paths` and the folder of the config that declared them.
    paths: Option<(Paths, PathBuf)>,
}

impl TsConfig {
    /// The nearest `tsconfig.json` in `dir` or above; `None` if there is none
    /// or it sets neither `paths` nor `baseUrl`.
    pub fn find(dir: &Path) -> Option<TsConfig> {
        let mut current = Some(dir);
        while let Some(folder) = current {
            let candidate = folder.join("tsconfig.json");
            if candidate.is_file() {
                let config = load(&candidate, 0)?;
                return (config.base_url.is_some() || config.paths.is_some()).then_some(config);
            }
            current = folder.parent();
        }
        None
    }

    /// Candidate targets (without extension resolution) for a non-relative
    /// specifier, in the order TypeScript tries them.
    pub fn candidates(&self, specifier: &str) -> Vec<PathBuf> {
        let mut out = Vec::new();
        if let Some((paths, declared_in)) = &self.paths {
            let root = self.base_url.clone().unwrap_or_else(|| declared_in.clone());
            let mut best: Option<(&Vec<String>, String, usize)> = None;
            for (pattern, targets) in paths {
                match pattern.split_once('*') {
                    None if pattern == specifier => {
                        best = Some((targets, String::new(), usize::MAX));
                        break;
                    }
                    Some((prefix, suffix))
                        if specifier.len() >= prefix.len() + suffix.len()
                            && specifier.starts_with(prefix)
                            && specifier.ends_with(suffix)
                            && best.as_ref().is_none_or(|(_, _, len)| prefix.len() > *len) =>
                    {
                        let matched =
                            specifier[prefix.len()..specifier.len() - suffix.len()].to_string();
                        best = Some((targets, matched, prefix.len()));
                    }
                    _ => {}
                }
            }
            if let Some((targets, matched, _)) = best {
                for target in targets {
                    out.push(root.join(target.replacen('*', &matched, 1)));
                }
            }
        }
        if let Some(base) = &self.base_url {
            out.push(base.join(specifier));
        }
        out
    }
}

fn load(path: &Path, depth: u32) -> Option<TsConfig> {
    if depth > 8 {
        return None;
    }
    let text = std::fs::read_to_string(path).ok()?;
    let json: Json = serde_json::from_str(&strip_jsonc(&text)).ok()?;
    let dir = path
        .parent()
        .unwrap_or_else(|| Path::new("."))
        .to_path_buf();
    let mut config = match json.get("extends").and_then(Json::as_str) {
        Some(parent) if parent.starts_with('.') => {
            let mut parent_path = dir.join(parent);
            if parent_path.extension().is_none_or(|e| e != "json") && !parent_path.is_file() {
                parent_path = dir.join(format!("{parent}.json"));
            }
            load(&parent_path, depth + 1).unwrap_or_default()
        }
        _ => TsConfig::default(),
    };
    let options = json.get("compilerOptions");
    if let Some(base) = options
        .and_then(|o| o.get("baseUrl"))
        .and_then(Json::as_str)
    {
        config.base_url = Some(dir.join(base));
    }
    if let Some(paths) = options
        .and_then(|o| o.get("paths"))
        .and_then(Json::as_object)
    {
        let list = paths
            .iter()
            .map(|(pattern, targets)| {
                let targets = targets
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|t| t.as_str().map(str::to_string))
                    .collect();
                (pattern.clone(), targets)
            })
            .collect();
        config.paths = Some((list, dir));
    }
    Some(config)
}

/// JSON with comments and trailing commas (tsconfig's dialect) → JSON.
fn strip_jsonc(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '"' {
            out.push(c);
            i += 1;
            while i < chars.len() {
                out.push(chars[i]);
                if chars[i] == '\\' && i + 1 < chars.len() {
                    out.push(chars[i + 1]);
                    i += 2;
                    continue;
                }
                if chars[i] == '"' {
                    break;
                }
                i += 1;
            }
            i += 1;
        } else if c == '/' && chars.get(i + 1) == Some(&'/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && chars.get(i + 1) == Some(&'*') {
            i += 2;
            while i + 1 < chars.len() && !(chars[i] == '*' && chars[i + 1] == '/') {
                i += 1;
            }
            i += 2;
        } else if c == ',' {
            let mut j = i + 1;
            loop {
                while j < chars.len() && chars[j].is_whitespace() {
                    j += 1;
                }
                if chars.get(j) == Some(&'/') && chars.get(j + 1) == Some(&'/') {
                    while j < chars.len() && chars[j] != '\n' {
                        j += 1;
                    }
                } else if chars.get(j) == Some(&'/') && chars.get(j + 1) == Some(&'*') {
                    j += 2;
                    while j + 1 < chars.len() && !(chars[j] == '*' && chars[j + 1] == '/') {
                        j += 1;
                    }
                    j += 2;
                } else {
                    break;
                }
            }
            // A trailing comma.
            if !matches!(chars.get(j), Some('}' | ']')) {
                out.push(c);
            }
            i += 1;
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::strip_jsonc;

    #[test]
    fn comments_and_trailing_commas_are_removed() {
        let text = "{\n  // c\n  \"a\": \"x//y\", /* b */\n  \"p\": [1, 2,], // t\n}";
        let json: serde_json::Value =
            serde_json::from_str(&strip_jsonc(text)).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(json["a"], "x//y");
        assert_eq!(json["p"][1], 2);
    }
}
