//! Notifiers, planned purely (README "Nightly monitoring", docs/notifications.md):
//! one run's changes plus the GitHub issues that already exist become a list
//! of [`Action`]s (each one REST request); the CLI executes them (or prints
//! them with `--dry-run`). Webhook payloads are built here too.
//!
//! GitHub, one issue per environment (default) or per incident:
//! - found again by its hidden marker line (`driftwatch:<env>` or
//!   `driftwatch:<env>:<drift id>`) among the issues carrying `label`;
//! - opened when there is open drift and no issue (labels: `label`, the
//!   severity label; assignees: the users of the escalation level, teams
//!   `org/team` are mentioned in the body instead);
//! - body updated only when it changed; a comment only when something
//!   happened (opened, severity changed, resolved); an escalation adds a
//!   comment mentioning the new level and a label `escalated:<level slug>`;
//! - closed with a summary comment when its drift is gone; per environment,
//!   a closed issue is reopened when drift returns; per incident, a returning
//!   drift is a new incident and gets a new issue.
//!
//! An environment whose check failed (unreachable, bad credentials, schema
//! unreadable) has its own issue, `Schema check failed in <env>` (marker
//! `driftwatch:<env>:check-failed`, labels `label` and `check-failed`),
//! opened or reopened when the check fails, commented only when the error
//! changes, and closed when a check of that environment succeeds again. Its
//! drift issue is left as it was: nothing is known about the drift.

use std::collections::BTreeSet;

use driftwatch_diff::Severity;
use serde_json::{Value, json};

use crate::escalation::Path;
use crate::incident::{Event, Incident, Update};

/// `[notify.github] mode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum IssueMode {
    #[default]
    PerEnvironment,
    PerIncident,
}

impl IssueMode {
    pub fn parse(text: &str) -> Option<IssueMode> {
        match text {
            "per-environment" => Some(IssueMode::PerEnvironment),
            "per-incident" => Some(IssueMode::PerIncident),
            _ => None,
        }
    }
}

/// An issue as the GitHub listing returns it (only what planning reads).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExistingIssue {
    pub number: u64,
    pub open: bool,
    pub title: String,
    pub body: String,
    pub labels: Vec<String>,
    pub assignees: Vec<String>,
    pub html_url: String,
}

/// One environment's state after the run, as the notifier sees it.
#[derive(Debug, Clone)]
pub struct EnvironmentState<'a> {
    pub environment: &'a str,
    /// The incidents of this environment touched by the run (open ones and
    /// those resolved now), with their events.
    pub updates: &'a [Update],
    /// The issue body for the environment (markdown report with its marker),
    /// and per incident (drift id → body) for `per-incident`.
    pub body: String,
    pub incident_bodies: Vec<(String, String)>,
}

/// One GitHub REST request. `Create` carries the incidents whose
/// `issue_ref` becomes the new issue.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    Create {
        key: String,
        title: String,
        body: String,
        labels: Vec<String>,
        assignees: Vec<String>,
        incidents: Vec<i64>,
    },
    /// PATCH of an existing issue: only the fields that change.
    Update {
        number: u64,
        body: Option<String>,
        open: Option<bool>,
        labels: Option<Vec<String>>,
        assignees: Option<Vec<String>>,
    },
    Comment {
        number: u64,
        body: String,
    },
    AddLabels {
        number: u64,
        labels: Vec<String>,
    },
    /// Incidents now tracked by an existing issue (store only, no request).
    Link {
        number: u64,
        html_url: String,
        incidents: Vec<i64>,
    },
}

impl Action {
    /// Method, path (under the API root) and JSON body; `None` for `Link`.
    pub fn request(&self, repo: &str) -> Option<(&'static str, String, Value)> {
        Some(match self {
            Action::Create {
                title,
                body,
                labels,
                assignees,
                ..
            } => (
                "POST",
                format!("/repos/{repo}/issues"),
                json!({ "title": title, "body": body, "labels": labels, "assignees": assignees }),
            ),
            Action::Update {
                number,
                body,
                open,
                labels,
                assignees,
            } => {
                let mut value = json!({});
                if let Some(body) = body {
                    value["body"] = json!(body);
                }
                if let Some(open) = open {
                    value["state"] = json!(if *open { "open" } else { "closed" });
                    if !open {
                        value["state_reason"] = json!("completed");
                    }
                }
                if let Some(labels) = labels {
                    value["labels"] = json!(labels);
                }
                if let Some(assignees) = assignees {
                    value["assignees"] = json!(assignees);
                }
                ("PATCH", format!("/repos/{repo}/issues/{number}"), value)
            }
            Action::Comment { number, body } => (
                "POST",
                format!("/repos/{repo}/issues/{number}/comments"),
                json!({ "body": body }),
            ),
            Action::AddLabels { number, labels } => (
                "POST",
                format!("/repos/{repo}/issues/{number}/labels"),
                json!({ "labels": labels }),
            ),
            Action::Link { .. } => return None,
        })
    }
}

/// The marker id of an environment's issue, or of one incident's.
pub fn marker_id(environment: &str, drift_id: Option<&str>) -> String {
    match drift_id {
        None => environment.to_string(),
        Some(id) => format!("{environment}:{id}"),
    }
}

/// True when `body` starts with the marker line of `id` (as
/// `driftwatch_report::markdown::marker_line` writes it).
pub fn has_marker(body: &str, id: &str) -> bool {
    let id = id.replace("--", "-~").replace('>', "~");
    let line = format!("<!-- driftwatch:{id} -->");
    body.lines().any(|l| l.trim() == line)
}

/// `severity:high`.
pub fn severity_label(severity: Severity) -> String {
    format!("severity:{}", severity.name())
}

/// `escalated:technical-lead`.
pub fn escalation_label(level_name: &str) -> String {
    let mut slug = String::new();
    for c in level_name.trim().chars() {
        if c.is_ascii_alphanumeric() {
            slug.push(c.to_ascii_lowercase());
        } else if !slug.ends_with('-') {
            slug.push('-');
        }
    }
    format!("escalated:{}", slug.trim_matches('-'))
}

/// Users are assigned; `org/team` slugs cannot be and are mentioned.
fn split_contacts(contacts: &[String]) -> (Vec<String>, Vec<String>) {
    contacts
        .iter()
        .cloned()
        .partition(|c| !c.contains('/') && !c.is_empty())
}

fn mentions(contacts: &[String]) -> String {
    contacts
        .iter()
        .map(|c| format!("@{c}"))
        .collect::<Vec<_>>()
        .join(" ")
}

fn describe(incident: &Incident) -> String {
    format!(
        "`{}` on `{}{}` ({})",
        incident.kind,
        incident.table,
        incident
            .object
            .as_deref()
            .map(|o| format!(".{o}"))
            .unwrap_or_default(),
        incident.severity.name()
    )
}

/// The marker suffix of an environment's check-failed issue (drift ids are
/// hexadecimal, so it cannot collide with one).
pub const CHECK_FAILED: &str = "check-failed";

/// The hidden first line that lets an issue be found again (the same
/// escaping as `driftwatch_report::markdown::marker_line`).
fn marker_line(id: &str) -> String {
    format!(
        "<!-- driftwatch:{} -->",
        id.replace("--", "-~").replace('>', "~")
    )
}

/// Everything planning needs beyond the run itself.
#[derive(Debug, Clone)]
pub struct GithubPlanner<'a> {
    pub label: &'a str,
    pub mode: IssueMode,
    pub path: &'a Path,
}

/// One issue driftwatch wants to exist (or be closed): the incidents it tracks.
struct Thread<'a> {
    key: String,
    title: String,
    body: String,
    updates: Vec<&'a Update>,
}

impl GithubPlanner<'_> {
    /// Actions for one environment, given every issue with the label.
    pub fn plan(&self, state: &EnvironmentState<'_>, existing: &[ExistingIssue]) -> Vec<Action> {
        let threads: Vec<Thread<'_>> = match self.mode {
            IssueMode::PerEnvironment => vec![Thread {
                key: marker_id(state.environment, None),
                title: format!("Schema drift in {}", state.environment),
                body: state.body.clone(),
                updates: state.updates.iter().collect(),
            }],
            IssueMode::PerIncident => state
                .updates
                .iter()
                .map(|u| {
                    let i = &u.incident;
                    Thread {
                        key: marker_id(state.environment, Some(&i.drift_id)),
                        title: format!(
                            "Schema drift in {}: {} {}{}",
                            state.environment,
                            i.kind,
                            i.table,
                            i.object
                                .as_deref()
                                .map(|o| format!(".{o}"))
                                .unwrap_or_default()
                        ),
                        body: state
                            .incident_bodies
                            .iter()
                            .find(|(id, _)| id == &i.drift_id)
                            .map(|(_, b)| b.clone())
                            .unwrap_or_else(|| state.body.clone()),
                        updates: vec![u],
                    }
                })
                .collect(),
        };
        let mut actions = Vec::new();
        for thread in threads {
            self.plan_thread(&thread, existing, &mut actions);
        }
        actions
    }

    fn plan_thread(&self, thread: &Thread<'_>, existing: &[ExistingIssue], out: &mut Vec<Action>) {
        let open: Vec<&Incident> = thread
            .updates
            .iter()
            .map(|u| &u.incident)
            .filter(|i| i.is_open())
            .collect();
        // The open issue with the marker, else the newest closed one.
        let mut matching: Vec<&ExistingIssue> = existing
            .iter()
            .filter(|i| has_marker(&i.body, &thread.key))
            .collect();
        matching.sort_by_key(|i| (i.open, i.number));
        let issue = matching.last().copied();
        let ids = |incidents: &[&Incident]| -> Vec<i64> {
            incidents
                .iter()
                .map(|i| i.id)
                .filter(|id| *id > 0)
                .collect()
        };
        if open.is_empty() {
            // Drift gone (or nothing to say): close an open issue with a summary.
            if let Some(issue) = issue.filter(|i| i.open) {
                let resolved: Vec<&Incident> = thread
                    .updates
                    .iter()
                    .filter(|u| u.events.contains(&Event::Resolved))
                    .map(|u| &u.incident)
                    .collect();
                let mut body = String::from("**Resolved**: the drift is gone.\n");
                for incident in &resolved {
                    body.push_str(&format!(
                        "\n- {} first seen {}, resolved {}",
                        describe(incident),
                        incident.first_seen,
                        incident
                            .resolved_at
                            .map(|t| t.to_string())
                            .unwrap_or_default()
                    ));
                }
                out.push(Action::Comment {
                    number: issue.number,
                    body: body.trim_end().to_string(),
                });
                out.push(Action::Update {
                    number: issue.number,
                    body: None,
                    open: Some(false),
                    labels: None,
                    assignees: None,
                });
            }
            return;
        }
        let severity = open
            .iter()
            .map(|i| i.severity)
            .max()
            .unwrap_or(Severity::Low);
        let level = open.iter().map(|i| i.escalation_level).max().unwrap_or(1);
        let owner = self.path.level(level);
        let mut contacts = owner.github.clone();
        for incident in &open {
            if let Some(also) = self.path.also_notified(incident.severity, level) {
                contacts.extend(also.github.iter().cloned());
            }
        }
        let (mut users, _teams) = split_contacts(&contacts);
        users.sort();
        users.dedup();
        let body = with_owner(&thread.body, &owner.name, &contacts);
        let mut labels = vec![self.label.to_string(), severity_label(severity)];
        let new_incidents = |issue: Option<&ExistingIssue>| -> bool {
            // Per incident, a closed issue belongs to an earlier incident.
            self.mode == IssueMode::PerIncident && issue.is_some_and(|i| !i.open)
        };
        let Some(issue) = issue.filter(|i| !new_incidents(Some(i))) else {
            out.push(Action::Create {
                key: thread.key.clone(),
                title: thread.title.clone(),
                body,
                labels,
                assignees: users,
                incidents: ids(&open),
            });
            return;
        };
        let number = issue.number;
        // Keep the labels people added; replace the severity label.
        for label in &issue.labels {
            if !label.starts_with("severity:") && !labels.contains(label) {
                labels.push(label.clone());
            }
        }
        let labels_changed = {
            let have: BTreeSet<&String> = issue.labels.iter().collect();
            let want: BTreeSet<&String> = labels.iter().collect();
            have != want
        };
        let assignees_changed = {
            let have: BTreeSet<&String> = issue.assignees.iter().collect();
            let want: BTreeSet<&String> = users.iter().collect();
            have != want
        };
        let body_changed = issue.body != body;
        if !issue.open || body_changed || labels_changed || assignees_changed {
            out.push(Action::Update {
                number,
                body: body_changed.then(|| body.clone()),
                open: (!issue.open).then_some(true),
                labels: labels_changed.then(|| labels.clone()),
                assignees: assignees_changed.then(|| users.clone()),
            });
        }
        let unlinked: Vec<&Incident> = open
            .iter()
            .copied()
            .filter(|i| i.issue_ref.as_deref() != Some(issue.html_url.as_str()))
            .collect();
        if !ids(&unlinked).is_empty() {
            out.push(Action::Link {
                number,
                html_url: issue.html_url.clone(),
                incidents: ids(&unlinked),
            });
        }
        // What happened, one comment.
        let mut lines = Vec::new();
        if !issue.open {
            lines.push("**Drift returned**: this issue is reopened.".to_string());
        }
        let mut escalated_to: Option<u32> = None;
        for update in &thread.updates {
            let incident = &update.incident;
            for event in &update.events {
                match event {
                    Event::Opened => lines.push(format!("- new: {}", describe(incident))),
                    Event::SeverityChanged { from, to } => {
                        lines.push(format!("- severity {from} → {to}: {}", describe(incident)))
                    }
                    Event::Resolved => lines.push(format!("- resolved: {}", describe(incident))),
                    Event::Escalated { to, .. } => {
                        escalated_to = Some(escalated_to.map_or(*to, |l| l.max(*to)));
                    }
                }
            }
        }
        if let Some(to) = escalated_to {
            let level = self.path.level(to);
            let who = if level.github.is_empty() {
                String::new()
            } else {
                format!(" {}", mentions(&level.github))
            };
            lines.push(format!(
                "**Escalated** to {}{who}: unresolved past its SLA.",
                level.name
            ));
        }
        if !lines.is_empty() {
            out.push(Action::Comment {
                number,
                body: lines.join("\n"),
            });
        }
        if let Some(to) = escalated_to {
            let label = escalation_label(&self.path.level(to).name);
            if !issue.labels.contains(&label) {
                out.push(Action::AddLabels {
                    number,
                    labels: vec![label],
                });
            }
        }
    }
}

impl GithubPlanner<'_> {
    /// The check-failed issue of one environment: `failure` is the error of
    /// this run's check (`None`: the check succeeded). A failed check is
    /// owned like a `high` drift: it blocks knowing whether deployments are
    /// safe.
    pub fn plan_check(
        &self,
        environment: &str,
        failure: Option<&str>,
        existing: &[ExistingIssue],
    ) -> Vec<Action> {
        let key = marker_id(environment, Some(CHECK_FAILED));
        let issue = existing
            .iter()
            .filter(|i| has_marker(&i.body, &key))
            .max_by_key(|i| (i.open, i.number));
        let Some(error) = failure else {
            return match issue.filter(|i| i.open) {
                Some(issue) => vec![
                    Action::Comment {
                        number: issue.number,
                        body: format!(
                            "**Resolved**: `{environment}` was checked successfully again."
                        ),
                    },
                    Action::Update {
                        number: issue.number,
                        body: None,
                        open: Some(false),
                        labels: None,
                        assignees: None,
                    },
                ],
                None => Vec::new(),
            };
        };
        let owner = self.path.level(self.path.start_level(Severity::High));
        let (mut users, _teams) = split_contacts(&owner.github);
        users.sort();
        users.dedup();
        let report = format!(
            "{}\n\n## Schema check failed in `{environment}`\n\n\
             driftwatch could not check this environment, so its drift is unknown \
             (the drift issue, if any, is left as it was).\n\n\
             ```text\n{}\n```\n\n\
             Run `driftwatch doctor --env {environment}` to see which step fails.",
            marker_line(&key),
            error.replace("```", "`\u{200b}``")
        );
        let body = with_owner(&report, &owner.name, &owner.github);
        let labels = vec![self.label.to_string(), CHECK_FAILED.to_string()];
        let Some(issue) = issue else {
            return vec![Action::Create {
                key,
                title: format!("Schema check failed in {environment}"),
                body,
                labels,
                assignees: users,
                incidents: Vec::new(),
            }];
        };
        let mut actions = Vec::new();
        let changed = issue.body != body;
        if !issue.open || changed {
            actions.push(Action::Update {
                number: issue.number,
                body: changed.then(|| body.clone()),
                open: (!issue.open).then_some(true),
                labels: None,
                assignees: None,
            });
            let what = if issue.open {
                "The error changed"
            } else {
                "**Failing again**: this issue is reopened"
            };
            actions.push(Action::Comment {
                number: issue.number,
                body: format!("{what}:\n\n```text\n{error}\n```"),
            });
        }
        actions
    }
}

/// The issue body: the report, then who owns it (teams are mentioned here,
/// since GitHub cannot assign them).
fn with_owner(report: &str, owner: &str, contacts: &[String]) -> String {
    let mut body = report.trim_end().to_string();
    body.push_str(&format!("\n\n---\n**Owner:** {owner}"));
    if !contacts.is_empty() {
        body.push_str(&format!(" ({})", mentions(contacts)));
    }
    body.push('\n');
    body
}

/// `[notify.webhook] format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WebhookFormat {
    Slack,
    Json,
}

impl WebhookFormat {
    pub fn parse(text: &str) -> Option<WebhookFormat> {
        match text {
            "slack" => Some(WebhookFormat::Slack),
            "json" => Some(WebhookFormat::Json),
            _ => None,
        }
    }
}

/// One environment as the webhook reports it.
#[derive(Debug, Clone)]
pub struct WebhookEnvironment<'a> {
    pub name: &'a str,
    /// `ok`, `drift`, `incomplete`, `failed`.
    pub status: &'a str,
    pub error: Option<&'a str>,
    pub updates: &'a [Update],
}

/// The webhook payload, or `None` when nothing changed (no event, no
/// failed check): webhooks are sent on change only.
pub fn webhook_payload(
    format: WebhookFormat,
    run_id: Option<i64>,
    started_at: &str,
    environments: &[WebhookEnvironment<'_>],
    path: &Path,
) -> Option<Value> {
    let changed = environments
        .iter()
        .any(|e| e.status == "failed" || e.updates.iter().any(|u| !u.events.is_empty()));
    if !changed {
        return None;
    }
    match format {
        WebhookFormat::Json => {
            let events: Vec<Value> = environments
                .iter()
                .flat_map(|e| e.updates.iter())
                .flat_map(|u| {
                    u.events.iter().map(move |event| {
                        let mut value = json!({
                            "environment": u.incident.environment,
                            "incident": u.incident.id,
                            "drift_id": u.incident.drift_id,
                            "kind": u.incident.kind,
                            "table": u.incident.table,
                            "object": u.incident.object,
                            "severity": u.incident.severity,
                            "level": path.level(u.incident.escalation_level).name,
                        });
                        let detail = serde_json::to_value(event).unwrap_or(Value::Null);
                        if let (Some(target), Some(detail)) =
                            (value.as_object_mut(), detail.as_object())
                        {
                            for (k, v) in detail {
                                target.insert(k.clone(), v.clone());
                            }
                        }
                        value
                    })
                })
                .collect();
            let envs: Vec<Value> = environments
                .iter()
                .map(|e| {
                    json!({
                        "name": e.name,
                        "status": e.status,
                        "error": e.error,
                        "open": e.updates.iter().filter(|u| u.incident.is_open()).count(),
                    })
                })
                .collect();
            Some(json!({
                "version": 1,
                "source": "driftwatch",
                "run": { "id": run_id, "started_at": started_at },
                "environments": envs,
                "events": events,
            }))
        }
        WebhookFormat::Slack => {
            let mut lines = vec![format!("*driftwatch monitor* ({started_at})")];
            for e in environments {
                let open = e.updates.iter().filter(|u| u.incident.is_open()).count();
                match e.error {
                    Some(error) if e.status == "failed" => {
                        lines.push(format!("• *{}*: check failed: {error}", e.name));
                    }
                    _ => lines.push(format!("• *{}*: {} · {open} open", e.name, e.status)),
                }
                for u in e.updates {
                    for event in &u.events {
                        let what = match event {
                            Event::Opened => "opened".to_string(),
                            Event::Resolved => "resolved".to_string(),
                            Event::SeverityChanged { from, to } => {
                                format!("severity {from} → {to}")
                            }
                            Event::Escalated { to, .. } => {
                                format!("escalated to {}", path.level(*to).name)
                            }
                        };
                        lines.push(format!("    {what}: {}", describe(&u.incident)));
                    }
                }
            }
            Some(json!({ "text": lines.join("\n") }))
        }
    }
}

#[cfg(test)]
mod tests;
