//! `driftwatch monitor run` notifiers end to end: the private MariaDB (the
//! example shop, one environment drifted by a manual ALTER) and a local HTTP
//! server written here that implements exactly the GitHub REST endpoints the
//! notifier uses (list issues by label, create, update, comment, add labels)
//! plus a webhook receiver, recording every request.
//!
//! Timeline (per environment): drift appears → issue opened with its labels
//! and assignee; unchanged → nothing sent but the listing; past the SLA →
//! escalation comment, label and assignee; fixed → summary comment and
//! closed; drift returns → the same issue reopened.

mod common;

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::Output;
use std::sync::{Arc, Mutex};

use common::{TestDb, driftwatch, shop_dir, stderr, stdout};
use serde_json::{Value, json};

const TOKEN: &str = "ghp_test-token-never-printed";
const HOTFIX: &str = "ALTER TABLE orders ADD COLUMN hotfix_note varchar(20)";
const NIGHT1: &str = "2026-11-26T02:00:00Z";

#[derive(Debug, Clone)]
struct Request {
    method: String,
    path: String,
    authorization: Option<String>,
    body: Value,
}

#[derive(Debug, Clone)]
struct Issue {
    number: u64,
    open: bool,
    title: String,
    body: String,
    labels: Vec<String>,
    assignees: Vec<String>,
    comments: Vec<String>,
}

/// A GitHub user object, every field the REST API (and octocrab's model) has.
fn user(base: &str, login: &str) -> Value {
    let url = format!("{base}/users/{login}");
    json!({
        "login": login, "id": 1, "node_id": "U_1", "avatar_url": format!("{base}/avatars/{login}"),
        "gravatar_id": "", "url": url, "html_url": format!("{base}/{login}"),
        "followers_url": format!("{url}/followers"), "following_url": format!("{url}/following"),
        "gists_url": format!("{url}/gists"), "starred_url": format!("{url}/starred"),
        "subscriptions_url": format!("{url}/subscriptions"), "organizations_url": format!("{url}/orgs"),
        "repos_url": format!("{url}/repos"), "events_url": format!("{url}/events"),
        "received_events_url": format!("{url}/received_events"), "type": "User", "site_admin": false
    })
}

fn label(base: &str, name: &str) -> Value {
    json!({ "id": 1, "node_id": "L_1", "url": format!("{base}/repos/org/app/labels/{name}"),
            "name": name, "color": "ededed", "default": false })
}

const CREATED: &str = "2026-11-26T02:00:00Z";

impl Issue {
    /// The issue as GitHub's REST API returns it.
    fn json(&self, base: &str) -> Value {
        let url = format!("{base}/repos/org/app/issues/{}", self.number);
        json!({
            "id": self.number, "node_id": format!("I_{}", self.number), "url": url,
            "repository_url": format!("{base}/repos/org/app"),
            "labels_url": format!("{url}/labels{{/name}}"), "comments_url": format!("{url}/comments"),
            "events_url": format!("{url}/events"),
            "html_url": format!("{base}/org/app/issues/{}", self.number),
            "number": self.number,
            "state": if self.open { "open" } else { "closed" },
            "title": self.title,
            "body": self.body,
            "user": user(base, "driftwatch-bot"),
            "labels": self.labels.iter().map(|l| label(base, l)).collect::<Vec<_>>(),
            "assignees": self.assignees.iter().map(|a| user(base, a)).collect::<Vec<_>>(),
            "locked": false,
            "comments": self.comments.len(),
            "created_at": CREATED,
            "updated_at": CREATED,
        })
    }
}

struct State {
    issues: BTreeMap<u64, Issue>,
    requests: Vec<Request>,
    webhooks: Vec<Value>,
    /// GitHub allows at most 100 per page; lower here to exercise paging.
    page_size: usize,
    /// The next requests matching `METHOD /path` are refused for the
    /// primary rate limit, which `GET /rate_limit` says resets in
    /// `reset_in` seconds.
    rate_limited: Vec<String>,
    reset_in: u64,
}

impl Default for State {
    fn default() -> State {
        State {
            issues: BTreeMap::new(),
            requests: Vec::new(),
            webhooks: Vec::new(),
            page_size: 100,
            rate_limited: Vec::new(),
            reset_in: 0,
        }
    }
}

/// The fake GitHub API (and webhook receiver) on 127.0.0.1.
struct FakeGithub {
    base: String,
    state: Arc<Mutex<State>>,
}

impl FakeGithub {
    fn start() -> FakeGithub {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let base = format!("http://{}", listener.local_addr().expect("addr"));
        let state = Arc::new(Mutex::new(State::default()));
        let shared = Arc::clone(&state);
        let html = base.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                serve(stream, &shared, &html);
            }
        });
        FakeGithub { base, state }
    }

    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Requests other than the issue listing, from index `from`.
    fn sent_since(&self, from: usize) -> Vec<Request> {
        self.state().requests[from..]
            .iter()
            .filter(|r| r.method != "GET")
            .cloned()
            .collect()
    }

    fn count(&self) -> usize {
        self.state().requests.len()
    }

    fn issues(&self) -> Vec<Issue> {
        self.state().issues.values().cloned().collect()
    }
}

fn serve(stream: TcpStream, state: &Mutex<State>, base: &str) {
    let mut reader = BufReader::new(match stream.try_clone() {
        Ok(s) => s,
        Err(_) => return,
    });
    let mut line = String::new();
    if reader.read_line(&mut line).is_err() {
        return;
    }
    let mut parts = line.split_whitespace();
    let method = parts.next().unwrap_or_default().to_string();
    let target = parts.next().unwrap_or_default().to_string();
    let mut length = 0usize;
    let mut authorization = None;
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header).is_err() || header.trim().is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':') {
            match name.trim().to_ascii_lowercase().as_str() {
                "content-length" => length = value.trim().parse().unwrap_or(0),
                "authorization" => authorization = Some(value.trim().to_string()),
                _ => {}
            }
        }
    }
    let mut body = vec![0; length];
    if reader.read_exact(&mut body).is_err() {
        return;
    }
    let body: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
    let (path, query) = target.split_once('?').unwrap_or((&target, ""));
    let (status, answer, link) = {
        let mut state = state.lock().unwrap_or_else(|e| e.into_inner());
        state.requests.push(Request {
            method: method.clone(),
            path: path.to_string(),
            authorization,
            body: body.clone(),
        });
        let route = format!("{method} {path}");
        if let Some(at) = state.rate_limited.iter().position(|r| *r == route) {
            state.rate_limited.remove(at);
            (
                403,
                json!({ "message": "API rate limit exceeded for user ID 1.",
                        "documentation_url": "https://docs.github.com/rest/overview/rate-limits-for-the-rest-api" }),
                None,
            )
        } else {
            handle(&mut state, &method, path, query, &body, base)
        }
    };
    let text = answer.to_string();
    let link = link.map(|l| format!("Link: {l}\r\n")).unwrap_or_default();
    let mut stream = stream;
    let _ = write!(
        stream,
        "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\n{link}Content-Length: {}\r\nConnection: close\r\n\r\n{text}",
        text.len()
    );
    let _ = stream.flush();
}

fn strings(value: &Value) -> Vec<String> {
    value
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// Exactly the endpoints the notifier uses.
fn handle(
    state: &mut State,
    method: &str,
    path: &str,
    query: &str,
    body: &Value,
    base: &str,
) -> (u16, Value, Option<String>) {
    let (status, answer) = match handle_listing(state, method, path, query, base) {
        Some((items, link)) => return (200, items, link),
        None => handle_change(state, method, path, body, base),
    };
    (status, answer, None)
}

/// `GET /repos/org/app/issues?labels=…&state=all&per_page=…&page=…`,
/// paged like GitHub: a `Link` header with `rel="next"` while more remain.
fn handle_listing(
    state: &State,
    method: &str,
    path: &str,
    query: &str,
    base: &str,
) -> Option<(Value, Option<String>)> {
    if method != "GET" || path != "/repos/org/app/issues" {
        return None;
    }
    let param = |name: &str| {
        query
            .split('&')
            .find_map(|kv| kv.strip_prefix(&format!("{name}=")))
            .unwrap_or_default()
            .to_string()
    };
    let label = param("labels");
    let per_page: usize = param("per_page")
        .parse::<usize>()
        .unwrap_or(30)
        .min(state.page_size);
    let page: usize = param("page").parse().unwrap_or(1);
    let all: Vec<Value> = state
        .issues
        .values()
        .filter(|i| i.labels.contains(&label))
        .map(|i| i.json(base))
        .collect();
    let more = all.len() > page * per_page;
    let items: Vec<Value> = all
        .into_iter()
        .skip((page - 1) * per_page)
        .take(per_page)
        .collect();
    let link = more.then(|| {
        format!(
            "<{base}/repos/org/app/issues?labels={label}&state=all&per_page={per_page}&page={}>; rel=\"next\"",
            page + 1
        )
    });
    Some((Value::Array(items), link))
}

/// Every other endpoint the notifier uses.
fn handle_change(
    state: &mut State,
    method: &str,
    path: &str,
    body: &Value,
    base: &str,
) -> (u16, Value) {
    if path == "/hook" && method == "POST" {
        state.webhooks.push(body.clone());
        return (200, json!({}));
    }
    if path == "/rate_limit" && method == "GET" {
        let reset = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs())
            + state.reset_in;
        let rate = json!({ "limit": 5000, "used": 5000, "remaining": 0, "reset": reset });
        return (
            200,
            json!({ "resources": { "core": rate, "search": rate }, "rate": rate }),
        );
    }
    let Some(rest) = path.strip_prefix("/repos/org/app/issues") else {
        return (404, json!({ "message": "Not Found" }));
    };
    let segments: Vec<&str> = rest.split('/').filter(|s| !s.is_empty()).collect();
    match (method, segments.as_slice()) {
        ("POST", []) => {
            let number = state.issues.len() as u64 + 1;
            let issue = Issue {
                number,
                open: true,
                title: body["title"].as_str().unwrap_or_default().to_string(),
                body: body["body"].as_str().unwrap_or_default().to_string(),
                labels: strings(&body["labels"]),
                assignees: strings(&body["assignees"]),
                comments: Vec::new(),
            };
            let answer = issue.json(base);
            state.issues.insert(number, issue);
            (201, answer)
        }
        (_, [number, tail @ ..]) => {
            let Some(issue) = number
                .parse::<u64>()
                .ok()
                .and_then(|n| state.issues.get_mut(&n))
            else {
                return (404, json!({ "message": "Not Found" }));
            };
            match (method, tail) {
                ("PATCH", []) => {
                    if let Some(text) = body["body"].as_str() {
                        issue.body = text.to_string();
                    }
                    if let Some(s) = body["state"].as_str() {
                        issue.open = s == "open";
                    }
                    if body.get("labels").is_some() {
                        issue.labels = strings(&body["labels"]);
                    }
                    if body.get("assignees").is_some() {
                        issue.assignees = strings(&body["assignees"]);
                    }
                    (200, issue.json(base))
                }
                ("POST", ["comments"]) => {
                    issue
                        .comments
                        .push(body["body"].as_str().unwrap_or_default().to_string());
                    let id = issue.comments.len();
                    let url = format!("{base}/repos/org/app/issues/comments/{id}");
                    (
                        201,
                        json!({ "id": id, "node_id": format!("C_{id}"), "url": url,
                                "html_url": format!("{base}/org/app/issues/{}#issuecomment-{id}", issue.number),
                                "body": issue.comments.last(), "user": user(base, "driftwatch-bot"),
                                "created_at": CREATED }),
                    )
                }
                ("POST", ["labels"]) => {
                    for label in strings(&body["labels"]) {
                        if !issue.labels.contains(&label) {
                            issue.labels.push(label);
                        }
                    }
                    let labels: Vec<Value> = issue.labels.iter().map(|l| label(base, l)).collect();
                    (200, Value::Array(labels))
                }
                _ => (404, json!({ "message": "Not Found" })),
            }
        }
        _ => (404, json!({ "message": "Not Found" })),
    }
}

struct Setup {
    _dir: tempfile::TempDir,
    config: String,
    _clean: TestDb,
    drifted: TestDb,
    github: FakeGithub,
}

fn shop(server: &str, label: &str) -> TestDb {
    let db = TestDb::create(server, label);
    db.apply_migrations(&shop_dir().join("drizzle/migrations"));
    db
}

impl Setup {
    fn new(server: &str, label: &str, notify: &str) -> Setup {
        let github = FakeGithub::start();
        let clean = shop(server, &format!("{label}_clean"));
        let drifted = shop(server, &format!("{label}_drifted"));
        drifted.exec_one(HOTFIX);
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("driftwatch.toml");
        let notify = notify.replace("BASE", &github.base);
        let text = format!(
            "[environments.clean]\nurl = \"{}\"\n\n[environments.drifted]\nurl = \"{}\"\n\n\
             [[escalation]]\nname = \"Development Team\"\ngithub = [\"org/dev-team\"]\n\
             [[escalation]]\nname = \"Database Team\"\ngithub = [\"dba-login\", \"org/database-team\"]\n\
             [[escalation]]\nname = \"Technical Lead\"\ngithub = [\"tech-lead-login\"]\n\
             [[escalation]]\nname = \"Management\"\ngithub = [\"manager-login\"]\n\n{notify}",
            clean.url(),
            drifted.url()
        );
        std::fs::write(&path, text).expect("write driftwatch.toml");
        Setup {
            config: path.to_string_lossy().into_owned(),
            _dir: dir,
            _clean: clean,
            drifted,
            github,
        }
    }

    fn monitor(&self, args: &[&str]) -> Output {
        let mut all = vec!["monitor"];
        all.extend_from_slice(args);
        all.extend_from_slice(&["--config", &self.config]);
        let output = driftwatch(&all, &shop_dir(), &[("DW_TEST_GITHUB_TOKEN", TOKEN)]);
        let printed = format!("{}{}", stdout(&output), stderr(&output));
        assert!(!printed.contains(TOKEN), "the token was printed: {printed}");
        output
    }

    fn run(&self, now: &str) -> Output {
        let output = self.monitor(&["run", "--now", now, "--format", "json"]);
        assert!(
            matches!(output.status.code(), Some(0 | 1)),
            "{}{}",
            stdout(&output),
            stderr(&output)
        );
        output
    }
}

const GITHUB: &str = "[notify.github]\nrepo = \"org/app\"\napi_url = \"BASE\"\ntoken_env = \"DW_TEST_GITHUB_TOKEN\"\n";
const WEBHOOK: &str = "\n[notify.webhook]\nurl = \"BASE/hook\"\nformat = \"json\"\n";

fn route(r: &Request) -> String {
    format!("{} {}", r.method, r.path)
}

#[test]
fn the_environment_issue_is_opened_kept_escalated_closed_and_reopened() {
    let server = require_server!();
    let setup = Setup::new(&server, "gh_timeline", GITHUB);
    let github = &setup.github;

    // Night 1: drift appears → one issue, labelled and assigned.
    setup.run(NIGHT1);
    let sent = github.sent_since(0);
    assert_eq!(
        sent.iter().map(route).collect::<Vec<_>>(),
        ["POST /repos/org/app/issues"],
        "only the drifted environment gets an issue"
    );
    assert_eq!(sent[0].body["title"], "Schema drift in drifted");
    assert!(
        github
            .state()
            .requests
            .iter()
            .all(|r| r.authorization.as_deref() == Some(&format!("Bearer {TOKEN}")))
    );
    let issue = &github.issues()[0];
    assert_eq!(issue.labels, ["schema-drift", "severity:medium"]);
    assert_eq!(issue.assignees, ["dba-login"]);
    assert!(
        issue.body.starts_with("<!-- driftwatch:drifted -->"),
        "{}",
        issue.body
    );
    assert!(issue.body.contains("hotfix_note") && issue.body.contains("@org/database-team"));
    let status: Value = serde_json::from_str(&stdout(
        &setup.monitor(&["status", "--now", NIGHT1, "--format", "json"]),
    ))
    .expect("status json");
    assert_eq!(
        status["incidents"][0]["issue"],
        format!("{}/org/app/issues/1", github.base),
        "the issue is linked to the incident"
    );

    // Unchanged: the listing only, no comment, no body update.
    let before = github.count();
    setup.run("2026-11-26T03:00:00Z");
    assert!(github.count() > before, "the listing is read");
    assert_eq!(
        github.sent_since(before).len(),
        0,
        "unchanged: nothing sent"
    );

    // Past the 24 h SLA: escalation comment, label and assignee.
    let before = github.count();
    setup.run("2026-11-27T02:30:00Z");
    let sent = github.sent_since(before);
    let routes: Vec<String> = sent.iter().map(route).collect();
    assert!(
        routes.contains(&"POST /repos/org/app/issues/1/comments".to_string())
            && routes.contains(&"POST /repos/org/app/issues/1/labels".to_string()),
        "{routes:?}"
    );
    let issue = &github.issues()[0];
    assert!(
        issue
            .comments
            .iter()
            .any(|c| c.contains("Escalated") && c.contains("@tech-lead-login")),
        "{:?}",
        issue.comments
    );
    assert!(
        issue
            .labels
            .contains(&"escalated:technical-lead".to_string())
    );
    assert_eq!(issue.assignees, ["tech-lead-login"]);

    // Fixed: a summary comment, then closed.
    setup
        .drifted
        .exec_one("ALTER TABLE orders DROP COLUMN hotfix_note");
    let before = github.count();
    setup.run("2026-11-27T04:00:00Z");
    let routes: Vec<String> = github.sent_since(before).iter().map(route).collect();
    assert_eq!(
        routes,
        [
            "POST /repos/org/app/issues/1/comments",
            "PATCH /repos/org/app/issues/1"
        ]
    );
    let issue = &github.issues()[0];
    assert!(!issue.open, "closed");
    assert!(
        issue
            .comments
            .last()
            .is_some_and(|c| c.contains("Resolved") && c.contains("hotfix_note"))
    );

    // Returns: the same issue reopened, with a comment.
    setup.drifted.exec_one(HOTFIX);
    setup.run("2026-11-28T02:00:00Z");
    let issues = github.issues();
    assert_eq!(issues.len(), 1, "per environment: no second issue");
    assert!(issues[0].open, "reopened");
    assert!(
        issues[0]
            .comments
            .last()
            .is_some_and(|c| c.contains("returned"))
    );
}

#[test]
fn per_incident_mode_opens_a_new_issue_when_a_drift_returns() {
    let server = require_server!();
    let setup = Setup::new(
        &server,
        "gh_incident",
        &format!("{GITHUB}mode = \"per-incident\"\n"),
    );
    setup.run(NIGHT1);
    setup
        .drifted
        .exec_one("ALTER TABLE orders DROP COLUMN hotfix_note");
    setup.run("2026-11-26T04:00:00Z");
    setup.drifted.exec_one(HOTFIX);
    setup.run("2026-11-27T02:00:00Z");
    let issues = setup.github.issues();
    assert_eq!(issues.len(), 2, "{issues:?}");
    assert!(!issues[0].open && issues[1].open);
    assert!(issues[1].body.contains("<!-- driftwatch:drifted:"));
}

#[test]
fn a_per_incident_issue_shows_only_its_own_table() {
    let server = require_server!();
    let setup = Setup::new(
        &server,
        "gh_incident_body",
        &format!("{GITHUB}mode = \"per-incident\"\n"),
    );
    setup
        .drifted
        .exec_one("ALTER TABLE audit_events ADD COLUMN legacy_flag int");
    setup.run(NIGHT1);
    let issues = setup.github.issues();
    assert_eq!(issues.len(), 2, "one issue per incident");
    for issue in &issues {
        let (own, other) = if issue.title.contains("orders") {
            ("hotfix_note", "audit_events")
        } else {
            ("legacy_flag", "orders")
        };
        assert!(issue.body.contains(own), "{}", issue.body);
        assert!(
            !issue.body.contains(other),
            "{} mentions {other}:\n{}",
            issue.title,
            issue.body
        );
    }
}

#[test]
fn the_json_webhook_receives_the_events_on_change_only() {
    let server = require_server!();
    let setup = Setup::new(&server, "gh_webhook", WEBHOOK);
    setup.run(NIGHT1);
    setup.run("2026-11-26T03:00:00Z");
    let hooks = setup.github.state().webhooks.clone();
    assert_eq!(hooks.len(), 1, "unchanged run: no webhook: {hooks:?}");
    let hook = &hooks[0];
    assert_eq!(hook["version"], 1);
    assert!(hook["run"]["id"].is_i64(), "{hook:#}");
    assert_eq!(hook["events"][0]["event"], "opened");
    assert_eq!(hook["events"][0]["environment"], "drifted");
    assert_eq!(hook["events"][0]["level"], "Database Team");
}

#[test]
fn dry_run_sends_nothing_and_prints_the_requests() {
    let server = require_server!();
    let setup = Setup::new(&server, "gh_dry", &format!("{GITHUB}{WEBHOOK}"));
    let output = setup.monitor(&["run", "--now", NIGHT1, "--dry-run"]);
    assert_eq!(setup.github.sent_since(0).len(), 0, "nothing sent");
    assert!(setup.github.state().webhooks.is_empty());
    let err = stderr(&output);
    assert!(
        err.contains("would send: POST /repos/org/app/issues") && err.contains("severity:medium"),
        "{err}"
    );
    assert!(
        err.contains("would send: POST [notify.webhook] url"),
        "{err}"
    );
}

#[test]
fn a_mysql_state_store_keeps_the_issue_link() {
    let server = require_server!();
    let state = TestDb::create(&server, "gh_state");
    let setup = Setup::new(
        &server,
        "gh_mysql_state",
        &format!("{GITHUB}\n[state]\nurl = \"{}\"\n", state.url()),
    );
    setup.run(NIGHT1);
    let status: Value = serde_json::from_str(&stdout(
        &setup.monitor(&["status", "--now", NIGHT1, "--format", "json"]),
    ))
    .expect("status json");
    assert_eq!(
        status["incidents"][0]["issue"],
        format!("{}/org/app/issues/1", setup.github.base)
    );
    setup.run("2026-11-26T03:00:00Z");
    assert_eq!(setup.github.issues().len(), 1);
}

#[test]
fn a_down_environment_is_a_check_failed_alert_and_the_others_are_notified() {
    let server = require_server!();
    let setup = Setup::new(
        &server,
        "gh_down",
        &format!(
            "{GITHUB}\n[notify.webhook]\nurl = \"BASE/hook\"\nformat = \"slack\"\n\n\
             [environments.down]\nurl = \"mysql://root:secret-pw@127.0.0.1:1/nothing\"\n"
        ),
    );
    let output = setup.run(NIGHT1);
    assert!(
        stderr(&output).contains("down: check failed"),
        "{}",
        stderr(&output)
    );
    let hooks = setup.github.state().webhooks.clone();
    let text = hooks[0]["text"].as_str().unwrap_or_default().to_string();
    assert!(
        text.contains("*down*: check failed") && text.contains("*drifted*: drift"),
        "{text}"
    );
    assert!(!text.contains("secret-pw"), "{text}");
    let issues = setup.github.issues();
    let titles: Vec<&str> = issues.iter().map(|i| i.title.as_str()).collect();
    assert_eq!(
        titles,
        ["Schema check failed in down", "Schema drift in drifted"],
        "a check-failed issue, and the drifted environment still gets its issue"
    );
    let failed = &issues[0];
    assert_eq!(failed.labels, ["schema-drift", "check-failed"]);
    assert!(failed.body.contains("127.0.0.1:1") && !failed.body.contains("secret-pw"));

    // Still down the same way: nothing new on GitHub (the chat webhook
    // repeats a failed check every run: monitoring is blind there).
    let before = setup.github.count();
    setup.run("2026-11-26T03:00:00Z");
    let sent: Vec<Request> = setup
        .github
        .sent_since(before)
        .into_iter()
        .filter(|r| r.path != "/hook")
        .collect();
    assert!(sent.is_empty(), "{sent:#?}");

    // Back up (and clean): the check-failed issue is closed with a comment.
    let text = std::fs::read_to_string(&setup.config).expect("read config");
    std::fs::write(
        &setup.config,
        text.replace(
            "mysql://root:secret-pw@127.0.0.1:1/nothing",
            &setup._clean.url(),
        ),
    )
    .expect("write config");
    setup.run("2026-11-26T04:00:00Z");
    let failed = &setup.github.issues()[0];
    assert!(!failed.open, "closed once the check succeeds");
    assert!(
        failed
            .comments
            .last()
            .is_some_and(|c| c.contains("checked successfully again")),
        "{:?}",
        failed.comments
    );
}

/// Closed issues of other environments, carrying the label, so that the
/// listing spans pages of two.
fn seed_other_issues(github: &FakeGithub, count: u64) {
    let mut state = github.state();
    state.page_size = 2;
    for number in 1..=count {
        state.issues.insert(
            number,
            Issue {
                number,
                open: false,
                title: format!("Schema drift in old-{number}"),
                body: format!("<!-- driftwatch:old-{number} -->\n\nold"),
                labels: vec!["schema-drift".to_string()],
                assignees: Vec::new(),
                comments: Vec::new(),
            },
        );
    }
}

#[test]
fn the_issue_is_found_again_on_a_later_page_of_the_listing() {
    let server = require_server!();
    let setup = Setup::new(&server, "gh_pages", GITHUB);
    seed_other_issues(&setup.github, 5);
    setup.run(NIGHT1);
    assert_eq!(setup.github.issues().len(), 6, "one new issue");
    let before = setup.github.count();
    setup.run("2026-11-26T03:00:00Z");
    let listings = setup.github.state().requests[before..]
        .iter()
        .filter(|r| r.method == "GET" && r.path == "/repos/org/app/issues")
        .count();
    assert_eq!(listings, 3, "six issues, two per page: three pages read");
    assert_eq!(
        setup.github.sent_since(before).len(),
        0,
        "the issue on page 3 is found: nothing duplicated"
    );
}

#[test]
fn a_rate_limited_request_is_retried_once_the_limit_resets() {
    let server = require_server!();
    let setup = Setup::new(&server, "gh_rate", GITHUB);
    {
        let mut state = setup.github.state();
        state.rate_limited = vec!["POST /repos/org/app/issues".to_string()];
        state.reset_in = 1;
    }
    let output = setup.run(NIGHT1);
    assert!(
        stderr(&output).contains("GitHub rate limit while creating an issue; waiting"),
        "{}",
        stderr(&output)
    );
    let creates = setup
        .github
        .state()
        .requests
        .iter()
        .filter(|r| route(r) == "POST /repos/org/app/issues")
        .count();
    assert_eq!(creates, 2, "refused once, then sent again");
    assert_eq!(setup.github.issues().len(), 1);
}

#[test]
fn a_rate_limit_longer_than_max_wait_fails_the_notification_and_the_next_run_catches_up() {
    let server = require_server!();
    let setup = Setup::new(
        &server,
        "gh_rate_wait",
        &format!("{GITHUB}max_wait = \"5s\"\n"),
    );
    {
        let mut state = setup.github.state();
        state.rate_limited = vec!["POST /repos/org/app/issues".to_string()];
        state.reset_in = 3600;
    }
    let output = setup.run(NIGHT1);
    let err = stderr(&output);
    assert!(
        err.contains("creating an issue: HTTP 403: API rate limit exceeded")
            && err.contains("past max_wait"),
        "{err}"
    );
    assert_eq!(
        output.status.code(),
        Some(1),
        "a notification failure fails the run"
    );
    assert!(setup.github.issues().is_empty());
    setup.run("2026-11-26T03:00:00Z");
    assert_eq!(setup.github.issues().len(), 1, "the next run opens it");
}
