//! The notifiers' I/O for `driftwatch monitor run` (docs/notifications.md):
//! the plan is made by `driftwatch_monitor::notify` (pure); this file lists
//! the GitHub issues, sends the planned requests with `ureq` (blocking, run
//! on a blocking thread), and posts the webhook. With `--dry-run` only the
//! issue listing is read; every other request is printed to stderr instead.
//! The token is sent as a header and never printed.

use std::time::Duration;

use driftwatch_monitor::notify::{
    Action, EnvironmentState, ExistingIssue, GithubPlanner, IssueMode, WebhookEnvironment,
    WebhookFormat, webhook_payload,
};
use driftwatch_monitor::{EscalationPath, Update};
use serde_json::Value;

/// `[notify.github]`, resolved.
#[derive(Debug, Clone)]
pub struct Github {
    pub repo: String,
    pub api_url: String,
    pub label: String,
    pub mode: IssueMode,
    /// `None`: the variable is unset (an error unless `--dry-run`).
    pub token: Option<String>,
    pub token_env: String,
}

/// `[notify.webhook]`, resolved.
#[derive(Debug, Clone)]
pub struct Webhook {
    pub url: String,
    pub format: WebhookFormat,
}

/// One environment's part of the run, owned (it crosses to a blocking thread).
#[derive(Debug, Clone)]
pub struct EnvironmentNotice {
    pub name: String,
    pub status: String,
    pub error: Option<String>,
    pub updates: Vec<Update>,
    /// Markdown body with its marker (None: the check failed).
    pub body: Option<String>,
    pub incident_bodies: Vec<(String, String)>,
}

/// What notifying did: issue links to store, and errors to report.
#[derive(Debug, Default)]
pub struct Outcome {
    pub links: Vec<(i64, String)>,
    pub errors: Vec<String>,
}

const TIMEOUT: Duration = Duration::from_secs(30);
const PER_PAGE: usize = 100;
const MAX_PAGES: usize = 50;

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .timeout_global(Some(TIMEOUT))
        .http_status_as_error(false)
        .build()
        .into()
}

pub fn notify(
    github: Option<&Github>,
    webhook: Option<&Webhook>,
    environments: &[EnvironmentNotice],
    path: &EscalationPath,
    run_id: Option<i64>,
    started_at: &str,
    dry_run: bool,
) -> Outcome {
    let agent = agent();
    let mut outcome = Outcome::default();
    for env in environments {
        if env.status == "failed" {
            eprintln!(
                "driftwatch monitor: {}: check failed: {}",
                env.name,
                env.error.as_deref().unwrap_or("unknown error")
            );
        }
    }
    if let Some(github) = github
        && let Err(e) = notify_github(&agent, github, environments, path, dry_run, &mut outcome)
    {
        outcome.errors.push(format!("[notify.github] {e}"));
    }
    if let Some(webhook) = webhook {
        let envs: Vec<WebhookEnvironment<'_>> = environments
            .iter()
            .map(|e| WebhookEnvironment {
                name: &e.name,
                status: &e.status,
                error: e.error.as_deref(),
                updates: &e.updates,
            })
            .collect();
        if let Some(payload) = webhook_payload(webhook.format, run_id, started_at, &envs, path) {
            if dry_run {
                print_dry_run("POST", "[notify.webhook] url", &payload);
            } else if let Err(e) = send(&agent, "POST", &webhook.url, None, &payload) {
                outcome.errors.push(format!("[notify.webhook] {e}"));
            }
        }
    }
    outcome
}

fn print_dry_run(method: &str, path: &str, body: &Value) {
    eprintln!(
        "dry run, would send: {method} {path}\n{}",
        serde_json::to_string_pretty(body).unwrap_or_default()
    );
}

fn notify_github(
    agent: &ureq::Agent,
    github: &Github,
    environments: &[EnvironmentNotice],
    path: &EscalationPath,
    dry_run: bool,
    outcome: &mut Outcome,
) -> Result<(), String> {
    let token = match (&github.token, dry_run) {
        (Some(token), _) => Some(token.as_str()),
        (None, true) => None,
        (None, false) => {
            return Err(format!(
                "the token variable `{}` is not set (token_env)",
                github.token_env
            ));
        }
    };
    let existing = match token {
        Some(token) => list_issues(agent, github, token)?,
        None => {
            eprintln!(
                "dry run: `{}` is not set, planned as if no issue existed",
                github.token_env
            );
            Vec::new()
        }
    };
    let planner = GithubPlanner {
        label: &github.label,
        mode: github.mode,
        path,
    };
    let api = github.api_url.trim_end_matches('/');
    for env in environments {
        let Some(body) = &env.body else {
            continue;
        };
        let state = EnvironmentState {
            environment: &env.name,
            updates: &env.updates,
            body: body.clone(),
            incident_bodies: env.incident_bodies.clone(),
        };
        for action in planner.plan(&state, &existing) {
            if let Action::Link {
                html_url,
                incidents,
                ..
            } = &action
            {
                outcome
                    .links
                    .extend(incidents.iter().map(|id| (*id, html_url.clone())));
                continue;
            }
            let Some((method, route, body)) = action.request(&github.repo) else {
                continue;
            };
            if dry_run {
                print_dry_run(method, &route, &body);
                continue;
            }
            let url = format!("{api}{route}");
            let response = send(agent, method, &url, token, &body)
                .map_err(|e| format!("{method} {route}: {e}"))?;
            if let Action::Create { incidents, .. } = &action {
                let link = response["html_url"]
                    .as_str()
                    .map(str::to_string)
                    .or_else(|| response["number"].as_u64().map(|n| format!("#{n}")))
                    .unwrap_or_default();
                outcome
                    .links
                    .extend(incidents.iter().map(|id| (*id, link.clone())));
            }
        }
    }
    Ok(())
}

/// Every issue (open and closed) carrying the label, pull requests left out.
fn list_issues(
    agent: &ureq::Agent,
    github: &Github,
    token: &str,
) -> Result<Vec<ExistingIssue>, String> {
    let api = github.api_url.trim_end_matches('/');
    let mut issues = Vec::new();
    for page in 1..=MAX_PAGES {
        let route = format!(
            "/repos/{}/issues?labels={}&state=all&per_page={PER_PAGE}&page={page}",
            github.repo,
            encode(&github.label)
        );
        let value = send(
            agent,
            "GET",
            &format!("{api}{route}"),
            Some(token),
            &Value::Null,
        )
        .map_err(|e| format!("GET {route}: {e}"))?;
        let items = value.as_array().cloned().unwrap_or_default();
        let count = items.len();
        for item in items {
            if item.get("pull_request").is_some() {
                continue;
            }
            let names = |key: &str, field: &str| -> Vec<String> {
                item[key]
                    .as_array()
                    .map(|a| {
                        a.iter()
                            .filter_map(|v| v[field].as_str().map(str::to_string))
                            .collect()
                    })
                    .unwrap_or_default()
            };
            issues.push(ExistingIssue {
                number: item["number"].as_u64().unwrap_or(0),
                open: item["state"] == "open",
                title: item["title"].as_str().unwrap_or_default().to_string(),
                body: item["body"].as_str().unwrap_or_default().to_string(),
                labels: names("labels", "name"),
                assignees: names("assignees", "login"),
                html_url: item["html_url"].as_str().unwrap_or_default().to_string(),
            });
        }
        if count < PER_PAGE {
            break;
        }
    }
    Ok(issues)
}

/// One request; the JSON answer (Null when empty). Non-2xx is an error
/// with GitHub's message.
fn send(
    agent: &ureq::Agent,
    method: &str,
    url: &str,
    token: Option<&str>,
    body: &Value,
) -> Result<Value, String> {
    let auth = token.map(|t| format!("Bearer {t}"));
    let result = match method {
        "GET" => {
            let mut request = agent.get(url);
            request = request
                .header("Accept", "application/vnd.github+json")
                .header("User-Agent", "driftwatch")
                .header("X-GitHub-Api-Version", "2022-11-28");
            if let Some(auth) = &auth {
                request = request.header("Authorization", auth);
            }
            request.call()
        }
        _ => {
            let mut request = match method {
                "PATCH" => agent.patch(url),
                _ => agent.post(url),
            };
            request = request
                .header("Accept", "application/vnd.github+json")
                .header("User-Agent", "driftwatch")
                .header("X-GitHub-Api-Version", "2022-11-28");
            if let Some(auth) = &auth {
                request = request.header("Authorization", auth);
            }
            request.send_json(body)
        }
    };
    let mut response = result.map_err(|e| e.to_string())?;
    let status = response.status().as_u16();
    let text = response
        .body_mut()
        .read_to_string()
        .map_err(|e| e.to_string())?;
    if !(200..300).contains(&status) {
        let message = serde_json::from_str::<Value>(&text)
            .ok()
            .and_then(|v| v["message"].as_str().map(str::to_string))
            .unwrap_or_else(|| text.chars().take(200).collect());
        return Err(format!("HTTP {status}: {message}"));
    }
    if text.trim().is_empty() {
        return Ok(Value::Null);
    }
    serde_json::from_str(&text).map_err(|e| format!("unreadable JSON answer: {e}"))
}

/// Percent-encodes a query value.
fn encode(text: &str) -> String {
    let mut out = String::new();
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_percent_encoded_in_the_listing_query() {
        assert_eq!(encode("schema drift:ä"), "schema%20drift%3A%C3%A4");
    }
}
