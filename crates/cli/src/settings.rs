//! driftwatch.toml (DESIGN.md §7). Optional: a project with only a
//! drizzle.config works without it. `[sla]`, `[[escalation]]` and `[state]`
//! serve `driftwatch monitor`; `[notify.*]` is accepted for the notifiers.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use driftwatch_diff::{DriftKind, Severity};
use serde::Deserialize;

use crate::error::CliError;

#[derive(Debug, Default, Deserialize)]
pub struct Settings {
    pub drizzle_config: Option<PathBuf>,
    #[serde(default)]
    pub environments: BTreeMap<String, Environment>,
    #[serde(default)]
    pub severity: BTreeMap<String, String>,
    #[serde(default)]
    pub ignore: Ignore,
    /// `[[escalation]]`: the levels an overdue incident moves up, level 1
    /// first (DESIGN.md §7).
    #[serde(default)]
    pub escalation: Vec<EscalationLevel>,
    /// `[sla]`: response time per severity (`driftwatch monitor`).
    #[serde(default)]
    pub sla: SlaSettings,
    /// `[state]`: where `driftwatch monitor` keeps incidents.
    #[serde(default)]
    pub state: StateSettings,
    /// `[notify.github]`, `[notify.webhook]`: where `driftwatch monitor run`
    /// reports (docs/notifications.md).
    #[serde(default)]
    pub notify: NotifySettings,
}

/// `[notify]`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NotifySettings {
    pub github: Option<GithubSettings>,
    pub webhook: Option<WebhookSettings>,
}

/// `[notify.github]` (DESIGN.md §7).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GithubSettings {
    /// `owner/name`.
    pub repo: String,
    /// The variable holding the token [default: GITHUB_TOKEN].
    pub token_env: Option<String>,
    /// The API root [default: https://api.github.com].
    pub api_url: Option<String>,
    /// [default: schema-drift]
    pub label: Option<String>,
    /// `per-environment` (default) or `per-incident`.
    pub mode: Option<String>,
    /// The longest a run waits out GitHub rate limits, in all [default: 10m].
    pub max_wait: Option<String>,
}

/// `[notify.webhook]` (DESIGN.md §7).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WebhookSettings {
    pub url: String,
    /// `slack` (default) or `json`.
    pub format: Option<String>,
}

/// `[sla]`: durations such as `"0m"`, `"2h"`, `"24h"`, `"7d"`; a missing
/// level keeps its default (DESIGN.md §5).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SlaSettings {
    pub critical: Option<String>,
    pub high: Option<String>,
    pub medium: Option<String>,
    pub low: Option<String>,
}

/// `[state]`: `url = "sqlite://.driftwatch/state.db"` (the default; a
/// relative path is relative to driftwatch.toml's folder).
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StateSettings {
    pub url: Option<String>,
}

/// The default `[state] url`.
pub const DEFAULT_STATE_URL: &str = "sqlite://.driftwatch/state.db";

/// One `[[escalation]]` level: a name and who to assign or mention.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EscalationLevel {
    pub name: String,
    #[serde(default)]
    pub github: Vec<String>,
}

/// DESIGN.md §5: high drift (what a destructive fix touches) is the tech
/// lead's, the third level of the default escalation path.
pub const DEFAULT_APPROVER: &str = "Technical Lead";

#[derive(Debug, Default, Deserialize)]
pub struct Environment {
    pub url: Option<String>,
    #[serde(default)]
    pub production: bool,
    pub expect_database: Option<String>,
    /// A scratch database on a server of the same flavour: `--dev-url` for
    /// this environment (shadow-database mode).
    pub dev_url: Option<String>,
    /// Per-kind severity overrides for this environment (over `[severity]`).
    #[serde(default)]
    pub severity: BTreeMap<String, String>,
    /// A fleet: every database of `url`'s server matching this (as
    /// `validate --databases`); `monitor run` checks each as `NAME/database`.
    pub databases: Option<String>,
}

/// `[ignore]`: what is left out of the comparison on purpose.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ignore {
    /// Table globs, both sides (`"legacy_*"`).
    #[serde(default)]
    pub tables: Vec<String>,
    /// `table.column` globs, both sides (`"users.legacy_*"`, `"*.updated_by"`).
    #[serde(default)]
    pub columns: Vec<String>,
    /// Drift kinds never reported.
    #[serde(default)]
    pub kinds: Vec<String>,
    /// Database tables left by online schema-change tools (gh-ost,
    /// pt-online-schema-change, Vitess/PlanetScale, LHM, Spirit) that the
    /// schema does not declare: ignored with a warning unless set to false.
    #[serde(default = "yes")]
    pub online_schema_change_tables: bool,
}

impl Default for Ignore {
    fn default() -> Self {
        Ignore {
            tables: Vec::new(),
            columns: Vec::new(),
            kinds: Vec::new(),
            online_schema_change_tables: true,
        }
    }
}

fn yes() -> bool {
    true
}

impl Settings {
    /// Who must approve a destructive fix: the `[[escalation]]` level of the
    /// tech lead (by name; else the third level, as in DESIGN.md §5's path
    /// development team → database team → tech lead → management; else the
    /// last one), with its GitHub handles.
    pub fn destructive_approver(&self) -> String {
        let levels = &self.escalation;
        let level = levels
            .iter()
            .find(|l| l.name.to_ascii_lowercase().contains("lead"))
            .or_else(|| levels.get(2))
            .or_else(|| levels.last());
        match level {
            None => DEFAULT_APPROVER.to_string(),
            Some(level) if level.github.is_empty() => level.name.clone(),
            Some(level) => format!(
                "{} ({})",
                level.name,
                level
                    .github
                    .iter()
                    .map(|g| format!("@{g}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }

    pub fn load(path: &Path) -> Result<Settings, CliError> {
        let text = std::fs::read_to_string(path).map_err(|e| CliError::Config {
            path: path.to_path_buf(),
            message: format!("cannot read it: {e}"),
        })?;
        let settings: Settings = toml::from_str(&text).map_err(|e| CliError::Config {
            path: path.to_path_buf(),
            message: e.to_string(),
        })?;
        // Every entry is checked before anything connects or reads.
        settings.check_environment_severities(path)?;
        settings.ignored_kinds(path)?;
        settings.ignored_columns(path)?;
        settings.sla(path)?;
        settings.check_escalation(path)?;
        settings.check_state_url(path)?;
        settings.check_notify(path)?;
        Ok(settings)
    }

    /// `[sla]` over the defaults, checked.
    pub fn sla(&self, path: &Path) -> Result<driftwatch_monitor::Sla, CliError> {
        let mut sla = driftwatch_monitor::Sla::default();
        let entries = [
            ("critical", &self.sla.critical, &mut sla.critical),
            ("high", &self.sla.high, &mut sla.high),
            ("medium", &self.sla.medium, &mut sla.medium),
            ("low", &self.sla.low, &mut sla.low),
        ];
        for (level, text, slot) in entries {
            if let Some(text) = text {
                *slot =
                    driftwatch_monitor::Span::parse(text).map_err(|message| CliError::Config {
                        path: path.to_path_buf(),
                        message: format!("[sla] {level}: {message}"),
                    })?;
            }
        }
        Ok(sla)
    }

    /// `[[escalation]]`: every level has a name.
    fn check_escalation(&self, path: &Path) -> Result<(), CliError> {
        match self
            .escalation
            .iter()
            .position(|l| l.name.trim().is_empty())
        {
            Some(i) => Err(CliError::Config {
                path: path.to_path_buf(),
                message: format!("[[escalation]] level {}: `name` is empty", i + 1),
            }),
            None => Ok(()),
        }
    }

    /// The escalation path (`[[escalation]]`, else DESIGN.md §5's).
    pub fn escalation_path(&self) -> driftwatch_monitor::EscalationPath {
        driftwatch_monitor::EscalationPath::new(
            self.escalation
                .iter()
                .map(|l| driftwatch_monitor::Level {
                    name: l.name.clone(),
                    github: l.github.clone(),
                })
                .collect(),
        )
    }

    /// `[notify.*]`: a repo `owner/name`, a known mode and format.
    fn check_notify(&self, path: &Path) -> Result<(), CliError> {
        let invalid = |message: String| CliError::Config {
            path: path.to_path_buf(),
            message,
        };
        if let Some(github) = &self.notify.github {
            let parts: Vec<&str> = github.repo.split('/').collect();
            if parts.len() != 2 || parts.iter().any(|p| p.trim().is_empty()) {
                return Err(invalid(format!(
                    "[notify.github] repo `{}`: expected `owner/name`",
                    github.repo
                )));
            }
            if let Some(mode) = &github.mode
                && driftwatch_monitor::notify::IssueMode::parse(mode).is_none()
            {
                return Err(invalid(format!(
                    "[notify.github] mode `{mode}`: expected `per-environment` or `per-incident`"
                )));
            }
            if let Some(wait) = &github.max_wait
                && let Err(e) = driftwatch_monitor::Span::parse(wait)
            {
                return Err(invalid(format!("[notify.github] max_wait `{wait}`: {e}")));
            }
        }
        if let Some(webhook) = &self.notify.webhook
            && let Some(format) = &webhook.format
            && driftwatch_monitor::notify::WebhookFormat::parse(format).is_none()
        {
            return Err(invalid(format!(
                "[notify.webhook] format `{format}`: expected `slack` or `json`"
            )));
        }
        Ok(())
    }

    /// `[state] url`: a known scheme (sqlite://, mysql://, mariadb://,
    /// postgres://, postgresql://).
    fn check_state_url(&self, path: &Path) -> Result<(), CliError> {
        let Some(url) = &self.state.url else {
            return Ok(());
        };
        let known = [
            "sqlite://",
            "mysql://",
            "mariadb://",
            "postgres://",
            "postgresql://",
        ];
        if url.contains("${") || known.iter().any(|k| url.starts_with(k)) {
            return Ok(());
        }
        Err(CliError::Config {
            path: path.to_path_buf(),
            message: format!(
                "[state] url `{}`: expected sqlite://PATH (default {DEFAULT_STATE_URL}), mysql://… or postgres://…",
                redact_for_message(url)
            ),
        })
    }

    /// `[severity]` overrides, then those of `[environments.<environment>.severity]`
    /// (later ones win), checked: an unknown kind or level is an error.
    pub fn severity_overrides(
        &self,
        path: &Path,
        environment: Option<&str>,
    ) -> Result<Vec<(DriftKind, Severity)>, CliError> {
        let mut overrides = parse_severity(&self.severity, "[severity]", path)?;
        if let Some(name) = environment
            && let Some(env) = self.environments.get(name)
        {
            let section = format!("[environments.{name}.severity]");
            overrides.extend(parse_severity(&env.severity, &section, path)?);
        }
        Ok(overrides)
    }

    /// Every `[environments.X.severity]` section, checked.
    fn check_environment_severities(&self, path: &Path) -> Result<(), CliError> {
        for name in self.environments.keys() {
            self.severity_overrides(path, Some(name))?;
        }
        Ok(())
    }

    /// `[ignore] columns`, checked: every entry is `table.column` (globs).
    pub fn ignored_columns(&self, path: &Path) -> Result<Vec<(String, String)>, CliError> {
        self.ignore
            .columns
            .iter()
            .map(|entry| match entry.split_once('.') {
                Some((table, column)) if !table.is_empty() && !column.is_empty() => {
                    Ok((table.to_string(), column.to_string()))
                }
                _ => Err(CliError::Config {
                    path: path.to_path_buf(),
                    message: format!(
                        "[ignore] columns: `{entry}` is not `table.column` (globs allowed: `*.updated_by`)"
                    ),
                }),
            })
            .collect()
    }

    pub fn ignored_kinds(&self, path: &Path) -> Result<Vec<DriftKind>, CliError> {
        self.ignore
            .kinds
            .iter()
            .map(|kind| {
                DriftKind::from_name(kind).ok_or_else(|| CliError::Config {
                    path: path.to_path_buf(),
                    message: format!("[ignore] kinds: unknown drift kind `{kind}`"),
                })
            })
            .collect()
    }
}

/// `kind = "level"` entries of one severity section.
fn parse_severity(
    entries: &BTreeMap<String, String>,
    section: &str,
    path: &Path,
) -> Result<Vec<(DriftKind, Severity)>, CliError> {
    let invalid = |message: String| CliError::Config {
        path: path.to_path_buf(),
        message: format!("{section}: {message}"),
    };
    entries
        .iter()
        .map(|(kind, level)| {
            let kind = DriftKind::from_name(kind)
                .ok_or_else(|| invalid(format!("unknown drift kind `{kind}`")))?;
            let level = level.parse::<Severity>().map_err(invalid)?;
            Ok((kind, level))
        })
        .collect()
}

/// Expands `${NAME}` from the environment (and `.env`). A missing variable is
/// an error naming it (never the value of anything).
pub fn expand_vars(
    text: &str,
    lookup: impl Fn(&str) -> Option<String>,
    path: &Path,
) -> Result<String, CliError> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("${") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let Some(end) = after.find('}') else {
            return Err(CliError::Config {
                path: path.to_path_buf(),
                message: format!("unterminated `${{` in `{}`", redact_for_message(text)),
            });
        };
        let name = &after[..end];
        let value = lookup(name).ok_or_else(|| CliError::Config {
            path: path.to_path_buf(),
            message: format!("environment variable `{name}` is not set"),
        })?;
        out.push_str(&value);
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

/// Settings strings may hold credentials; error messages show only the
/// `${…}` references.
fn redact_for_message(text: &str) -> String {
    if text.contains('@') {
        "<value with credentials>".to_string()
    } else {
        text.to_string()
    }
}

/// `tablesFilter`/`[ignore] tables` glob semantics (drizzle-kit's, minimatch
/// style): a table is kept when at least one pattern decides and every
/// decision keeps it; `!pattern` excludes.
pub fn table_filter_keeps(patterns: &[String], table: &str) -> bool {
    if patterns.is_empty() {
        return true;
    }
    let mut decisions = Vec::new();
    for pattern in patterns {
        let (negated, glob) = match pattern.strip_prefix('!') {
            Some(rest) => (true, rest),
            None => (false, pattern.as_str()),
        };
        let matched = glob_matches(glob, table);
        if negated {
            decisions.push(!matched);
        } else if matched {
            decisions.push(true);
        }
    }
    !decisions.is_empty() && decisions.iter().all(|d| *d)
}

pub fn glob_matches(pattern: &str, name: &str) -> bool {
    glob::Pattern::new(pattern).is_ok_and(|p| p.matches(name))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_filter_keeps_matching_tables() {
        let patterns = vec!["app_*".to_string()];
        assert!(table_filter_keeps(&patterns, "app_users"));
        assert!(!table_filter_keeps(&patterns, "legacy"));
    }

    #[test]
    fn negated_tables_filter_keeps_everything_else() {
        let patterns = vec!["!tmp_*".to_string()];
        assert!(table_filter_keeps(&patterns, "users"));
        assert!(!table_filter_keeps(&patterns, "tmp_import"));
    }

    #[test]
    fn missing_variable_is_named_in_the_error() {
        let err = expand_vars("${NOPE}", |_| None, Path::new("driftwatch.toml"))
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains("NOPE"), "{err}");
    }
}
