//! The notifiers' I/O for `driftwatch monitor run` (docs/notifications.md):
//! the plan is made by `driftwatch_monitor::notify` (pure); this file lists
//! the GitHub issues (every page, following the `Link` header), sends the
//! planned requests with `octocrab`, and posts the webhook. With `--dry-run`
//! only the issue listing is read; every other request is printed to stderr
//! instead. The token is sent as a header and never printed.
//!
//! Rate limits: a request refused for a rate limit (HTTP 429, or 403 saying
//! so) is retried after the wait GitHub asks for: until the primary limit's
//! reset (read from `GET /rate_limit`), else a minute, doubling, for a
//! secondary limit. A wait that would pass `[notify.github] max_wait`
//! (default 10 minutes in all) fails the notification instead; the next run
//! converges because planning starts from what GitHub holds.

use std::future::Future;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use driftwatch_monitor::notify::{
    Action, EnvironmentState, ExistingIssue, GithubPlanner, IssueMode, WebhookEnvironment,
    WebhookFormat, webhook_payload,
};
use driftwatch_monitor::{EscalationPath, Update};
use octocrab::Octocrab;
use octocrab::models::IssueState;
use octocrab::models::issues::{Issue, IssueStateReason};
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
    /// The longest the notifier waits out rate limits, in all.
    pub max_wait: Duration,
}

/// `[notify.webhook]`, resolved.
#[derive(Debug, Clone)]
pub struct Webhook {
    pub url: String,
    pub format: WebhookFormat,
}

/// One environment's part of the run.
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
const PER_PAGE: u8 = 100;
/// GitHub's advice for a secondary rate limit without `Retry-After`.
const SECONDARY_WAIT: Duration = Duration::from_secs(60);
const MAX_ATTEMPTS: u32 = 5;

pub async fn notify(
    github: Option<&Github>,
    webhook: Option<&Webhook>,
    environments: &[EnvironmentNotice],
    path: &EscalationPath,
    run_id: Option<i64>,
    started_at: &str,
    dry_run: bool,
) -> Outcome {
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
        && let Err(e) = notify_github(github, environments, path, dry_run, &mut outcome).await
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
            } else if let Err(e) = post_webhook(&webhook.url, &payload).await {
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

/// The GitHub client of `[notify.github]`: its API root (GitHub Enterprise:
/// `https://HOST/api/v3`) and token.
fn client(github: &Github, token: Option<&str>) -> Result<Octocrab, String> {
    let mut builder = Octocrab::builder()
        .base_uri(github.api_url.as_str())
        .map_err(|e| format!("api_url `{}`: {e}", github.api_url))?
        .set_connect_timeout(Some(TIMEOUT))
        .set_read_timeout(Some(TIMEOUT))
        .set_write_timeout(Some(TIMEOUT));
    if let Some(token) = token {
        builder = builder.personal_token(token.to_string());
    }
    builder.build().map_err(|e| describe(&e))
}

async fn notify_github(
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
    let (owner, repo) = github
        .repo
        .split_once('/')
        .ok_or_else(|| format!("repo `{}`: expected owner/name", github.repo))?;
    let mut api = Api {
        octo: client(github, token)?,
        owner,
        repo,
        budget: WaitBudget {
            max_wait: github.max_wait,
            waited: Duration::ZERO,
        },
    };
    let existing = match token {
        Some(_) => api.list_issues(&github.label).await?,
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
    for env in environments {
        let failure =
            (env.status == "failed").then(|| env.error.as_deref().unwrap_or("unknown error"));
        let mut actions = planner.plan_check(&env.name, failure, &existing);
        if let Some(body) = &env.body {
            let state = EnvironmentState {
                environment: &env.name,
                updates: &env.updates,
                body: body.clone(),
                incident_bodies: env.incident_bodies.clone(),
            };
            actions.extend(planner.plan(&state, &existing));
        }
        for action in actions {
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
            if dry_run {
                if let Some((method, route, body)) = action.request(&github.repo) {
                    print_dry_run(method, &route, &body);
                }
                continue;
            }
            let link = api.execute(&action).await?;
            if let (Action::Create { incidents, .. }, Some(link)) = (&action, link) {
                outcome
                    .links
                    .extend(incidents.iter().map(|id| (*id, link.clone())));
            }
        }
    }
    Ok(())
}

/// The repository's issues API, with the rate-limit waits of this run.
struct Api<'a> {
    octo: Octocrab,
    owner: &'a str,
    repo: &'a str,
    budget: WaitBudget,
}

/// How long this run may still wait out rate limits.
struct WaitBudget {
    max_wait: Duration,
    waited: Duration,
}

impl Api<'_> {
    /// Every issue (open and closed) carrying the label, pull requests left
    /// out: every page, as the `Link` header chains them.
    async fn list_issues(&mut self, label: &str) -> Result<Vec<ExistingIssue>, String> {
        let (octo, owner, repo) = (&self.octo, self.owner, self.repo);
        let labels = vec![label.to_string()];
        let first = call(octo, &mut self.budget, "listing the issues", || {
            let labels = labels.clone();
            async move {
                octo.issues(owner, repo)
                    .list()
                    .labels(&labels)
                    .state(octocrab::params::State::All)
                    .per_page(PER_PAGE)
                    .send()
                    .await
            }
        })
        .await?;
        let mut issues: Vec<Issue> = first.items;
        let mut next = first.next;
        while let Some(url) = next {
            let page = call(octo, &mut self.budget, "listing the issues", || {
                let url = Some(url.clone());
                async move { octo.get_page::<Issue>(&url).await }
            })
            .await?;
            let Some(page) = page else { break };
            issues.extend(page.items);
            next = page.next;
        }
        Ok(issues
            .into_iter()
            .filter(|i| i.pull_request.is_none())
            .map(|i| ExistingIssue {
                number: i.number,
                open: i.state == IssueState::Open,
                title: i.title,
                body: i.body.unwrap_or_default(),
                labels: i.labels.into_iter().map(|l| l.name).collect(),
                assignees: i.assignees.into_iter().map(|a| a.login).collect(),
                html_url: i.html_url.to_string(),
            })
            .collect())
    }

    /// Sends one planned request; a created issue's link.
    async fn execute(&mut self, action: &Action) -> Result<Option<String>, String> {
        let (octo, owner, repo) = (&self.octo, self.owner, self.repo);
        let budget = &mut self.budget;
        match action {
            Action::Create {
                title,
                body,
                labels,
                assignees,
                ..
            } => {
                let issue = call(octo, budget, "creating an issue", || async move {
                    octo.issues(owner, repo)
                        .create(title)
                        .body(body)
                        .labels(labels.clone())
                        .assignees(assignees.clone())
                        .send()
                        .await
                })
                .await?;
                Ok(Some(issue.html_url.to_string()))
            }
            Action::Update {
                number,
                body,
                open,
                labels,
                assignees,
            } => {
                let what = format!("updating issue #{number}");
                call(octo, budget, &what, || async move {
                    let handler = octo.issues(owner, repo);
                    let mut update = handler.update(*number);
                    if let Some(body) = body {
                        update = update.body(body);
                    }
                    if let Some(open) = open {
                        update = if *open {
                            update.state(IssueState::Open)
                        } else {
                            update
                                .state(IssueState::Closed)
                                .state_reason(IssueStateReason::Completed)
                        };
                    }
                    if let Some(labels) = labels {
                        update = update.labels(labels);
                    }
                    if let Some(assignees) = assignees {
                        update = update.assignees(assignees);
                    }
                    update.send().await
                })
                .await?;
                Ok(None)
            }
            Action::Comment { number, body } => {
                let what = format!("commenting on issue #{number}");
                call(octo, budget, &what, || async move {
                    octo.issues(owner, repo).create_comment(*number, body).await
                })
                .await?;
                Ok(None)
            }
            Action::AddLabels { number, labels } => {
                let what = format!("labelling issue #{number}");
                call(octo, budget, &what, || async move {
                    octo.issues(owner, repo).add_labels(*number, labels).await
                })
                .await?;
                Ok(None)
            }
            Action::Link { .. } => Ok(None),
        }
    }
}

/// One request, retried after the waits GitHub's rate limits ask for.
async fn call<T, F, Fut>(
    octo: &Octocrab,
    budget: &mut WaitBudget,
    what: &str,
    mut request: F,
) -> Result<T, String>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = octocrab::Result<T>>,
{
    let mut attempt = 0;
    loop {
        let error = match request().await {
            Ok(value) => return Ok(value),
            Err(error) => error,
        };
        attempt += 1;
        if !is_rate_limited(&error) || attempt >= MAX_ATTEMPTS {
            return Err(format!("{what}: {}", describe(&error)));
        }
        let wait = rate_limit_wait(octo, attempt).await;
        if budget.waited + wait > budget.max_wait {
            return Err(format!(
                "{what}: {}; GitHub asks to wait {} s, past max_wait ({} s in all); the next run catches up",
                describe(&error),
                wait.as_secs(),
                budget.max_wait.as_secs()
            ));
        }
        eprintln!(
            "driftwatch monitor: GitHub rate limit while {what}; waiting {} s",
            wait.as_secs()
        );
        tokio::time::sleep(wait).await;
        budget.waited += wait;
    }
}

/// Until the primary limit resets when it is exhausted (`GET
/// /rate_limit`), else GitHub's advice for a secondary limit.
async fn rate_limit_wait(octo: &Octocrab, attempt: u32) -> Duration {
    if let Ok(limits) = octo.ratelimit().get().await {
        let core = &limits.resources.core;
        if core.remaining == 0 {
            let now = SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map_or(0, |d| d.as_secs());
            return Duration::from_secs(core.reset.saturating_sub(now).max(1));
        }
    }
    SECONDARY_WAIT * 2u32.saturating_pow(attempt - 1)
}

/// HTTP 429, or 403 with GitHub's rate-limit message (primary or secondary).
fn is_rate_limited(error: &octocrab::Error) -> bool {
    match error {
        octocrab::Error::GitHub { source, .. } => {
            let status = source.status_code.as_u16();
            status == 429
                || (status == 403 && source.message.to_ascii_lowercase().contains("rate limit"))
        }
        _ => false,
    }
}

/// GitHub's own message when there is one (octocrab's Display of an HTTP
/// error is only "GitHub"), else the error and its causes.
fn describe(error: &octocrab::Error) -> String {
    if let octocrab::Error::GitHub { source, .. } = error {
        return format!("HTTP {}: {}", source.status_code.as_u16(), source.message);
    }
    let mut text = error.to_string();
    let mut cause = std::error::Error::source(error);
    while let Some(inner) = cause {
        text.push_str(": ");
        text.push_str(&inner.to_string());
        cause = inner.source();
    }
    text
}

/// Posts the webhook payload. The URL is the secret of a webhook: errors
/// name the setting, never the URL.
async fn post_webhook(url: &str, payload: &Value) -> Result<(), String> {
    // An unauthenticated client: the same HTTP stack as the GitHub
    // notifier, never a GitHub token.
    let octo = Octocrab::builder()
        .set_connect_timeout(Some(TIMEOUT))
        .set_read_timeout(Some(TIMEOUT))
        .build()
        .map_err(|e| describe(&e))?;
    let response = octo
        ._post(url, Some(payload))
        .await
        .map_err(|e| describe(&e))?;
    let status = response.status();
    if !status.is_success() {
        return Err(format!("HTTP {}", status.as_u16()));
    }
    Ok(())
}
