use super::*;
use crate::escalation::Level;
use crate::incident::{Policy, reconcile};
use crate::{Changes, Observation};
use jiff::Timestamp;

fn t(text: &str) -> Timestamp {
    text.parse().expect("timestamp")
}

fn path() -> Path {
    let level = |name: &str, github: &[&str]| Level {
        name: name.to_string(),
        github: github.iter().map(|g| g.to_string()).collect(),
    };
    Path::new(vec![
        level("Development Team", &["org/dev-team"]),
        level("Database Team", &["dba-login", "org/database-team"]),
        level("Technical Lead", &["tech-lead-login"]),
        level("Management", &["manager-login"]),
    ])
}

fn finding(severity: Severity) -> Observation {
    Observation {
        drift_id: "d1".to_string(),
        kind: "column_extra_in_db".to_string(),
        table: "orders".to_string(),
        object: Some("hotfix_note".to_string()),
        severity,
    }
}

fn run(open: &[Incident], findings: &[Observation], now: &str) -> Changes {
    let policy = Policy {
        path: path(),
        ..Policy::default()
    };
    let mut changes = reconcile(open, findings, "staging", t(now), true, &policy);
    for (n, u) in changes.updates.iter_mut().enumerate() {
        if u.incident.id == 0 {
            u.incident.id = i64::try_from(n).unwrap_or(0) + 1;
        }
    }
    changes
}

fn plan(changes: &Changes, existing: &[ExistingIssue], mode: IssueMode) -> Vec<Action> {
    let p = path();
    let planner = GithubPlanner {
        label: "schema-drift",
        mode,
        path: &p,
    };
    let state = EnvironmentState {
        environment: "staging",
        updates: &changes.updates,
        body: "<!-- driftwatch:staging -->\n\n# report\n".to_string(),
        incident_bodies: vec![(
            "d1".to_string(),
            "<!-- driftwatch:staging:d1 -->\n\n# one\n".to_string(),
        )],
    };
    planner.plan(&state, existing)
}

/// The issue GitHub would hold after `action` (a Create) ran.
fn created(actions: &[Action], number: u64) -> ExistingIssue {
    match actions.first() {
        Some(Action::Create {
            title,
            body,
            labels,
            assignees,
            ..
        }) => ExistingIssue {
            number,
            open: true,
            title: title.clone(),
            body: body.clone(),
            labels: labels.clone(),
            assignees: assignees.clone(),
            html_url: format!("https://github.example/issues/{number}"),
        },
        other => panic!("expected a Create first, got {other:?}"),
    }
}

fn open_of(changes: &Changes) -> Vec<Incident> {
    changes
        .open()
        .cloned()
        .map(|mut i| {
            i.issue_ref = Some("https://github.example/issues/7".to_string());
            i
        })
        .collect()
}

#[test]
fn new_drift_creates_one_labelled_issue_assigned_to_the_levels_users() {
    let changes = run(&[], &[finding(Severity::Medium)], "2026-11-26T02:00:00Z");
    let actions = plan(&changes, &[], IssueMode::PerEnvironment);
    assert_eq!(actions.len(), 1, "{actions:?}");
    let Action::Create {
        labels,
        assignees,
        body,
        incidents,
        ..
    } = &actions[0]
    else {
        panic!("{actions:?}");
    };
    assert_eq!(labels, &["schema-drift", "severity:medium"]);
    assert_eq!(assignees, &["dba-login"], "teams are not assignable");
    assert!(
        body.contains("@org/database-team"),
        "teams mentioned: {body}"
    );
    assert!(has_marker(body, "staging"));
    assert_eq!(incidents, &[1]);
}

#[test]
fn an_unchanged_run_plans_nothing() {
    let first = run(&[], &[finding(Severity::Medium)], "2026-11-26T02:00:00Z");
    let issue = created(&plan(&first, &[], IssueMode::PerEnvironment), 7);
    let second = run(
        &open_of(&first),
        &[finding(Severity::Medium)],
        "2026-11-26T03:00:00Z",
    );
    assert_eq!(
        plan(&second, &[issue], IssueMode::PerEnvironment),
        Vec::new()
    );
}

#[test]
fn escalation_comments_mentioning_the_new_level_and_adds_its_label() {
    let first = run(&[], &[finding(Severity::Medium)], "2026-11-26T02:00:00Z");
    let issue = created(&plan(&first, &[], IssueMode::PerEnvironment), 7);
    let late = run(
        &open_of(&first),
        &[finding(Severity::Medium)],
        "2026-11-27T02:30:00Z",
    );
    let actions = plan(&late, &[issue], IssueMode::PerEnvironment);
    assert!(
        actions
            .iter()
            .any(|a| matches!(a, Action::Comment { body, .. }
            if body.contains("Escalated") && body.contains("@tech-lead-login"))),
        "{actions:?}"
    );
    assert!(actions.contains(&Action::AddLabels {
        number: 7,
        labels: vec!["escalated:technical-lead".to_string()]
    }));
    assert!(
        actions
            .iter()
            .any(|a| matches!(a, Action::Update { assignees: Some(a), .. }
            if a == &["tech-lead-login"])),
        "{actions:?}"
    );
}

#[test]
fn resolved_drift_closes_the_issue_with_a_summary() {
    let first = run(&[], &[finding(Severity::Medium)], "2026-11-26T02:00:00Z");
    let issue = created(&plan(&first, &[], IssueMode::PerEnvironment), 7);
    let fixed = run(&open_of(&first), &[], "2026-11-27T04:00:00Z");
    let actions = plan(&fixed, &[issue], IssueMode::PerEnvironment);
    assert_eq!(actions.len(), 2, "{actions:?}");
    assert!(matches!(&actions[0], Action::Comment { body, .. } if body.contains("Resolved")));
    assert!(matches!(
        &actions[1],
        Action::Update {
            number: 7,
            open: Some(false),
            ..
        }
    ));
}

#[test]
fn returning_drift_reopens_the_environment_issue() {
    let first = run(&[], &[finding(Severity::Medium)], "2026-11-26T02:00:00Z");
    let mut issue = created(&plan(&first, &[], IssueMode::PerEnvironment), 7);
    issue.open = false;
    let back = run(&[], &[finding(Severity::Medium)], "2026-11-28T02:00:00Z");
    let actions = plan(&back, &[issue], IssueMode::PerEnvironment);
    assert!(
        matches!(
            &actions[0],
            Action::Update {
                number: 7,
                open: Some(true),
                ..
            }
        ),
        "{actions:?}"
    );
    assert!(
        actions
            .iter()
            .any(|a| matches!(a, Action::Comment { body, .. } if body.contains("returned"))),
        "{actions:?}"
    );
}

#[test]
fn returning_drift_gets_a_new_issue_per_incident() {
    let first = run(&[], &[finding(Severity::Medium)], "2026-11-26T02:00:00Z");
    let mut issue = created(&plan(&first, &[], IssueMode::PerIncident), 7);
    assert!(has_marker(&issue.body, "staging:d1"));
    issue.open = false;
    let back = run(&[], &[finding(Severity::Medium)], "2026-11-28T02:00:00Z");
    let actions = plan(&back, &[issue], IssueMode::PerIncident);
    assert!(
        matches!(&actions[..], [Action::Create { .. }]),
        "{actions:?}"
    );
}

#[test]
fn a_severity_change_replaces_the_severity_label_and_comments() {
    let first = run(&[], &[finding(Severity::Medium)], "2026-11-26T02:00:00Z");
    let mut issue = created(&plan(&first, &[], IssueMode::PerEnvironment), 7);
    issue.labels.push("team-note".to_string());
    let worse = run(
        &open_of(&first),
        &[finding(Severity::High)],
        "2026-11-26T03:00:00Z",
    );
    let actions = plan(&worse, &[issue], IssueMode::PerEnvironment);
    assert!(
        actions
            .iter()
            .any(|a| matches!(a, Action::Update { labels: Some(l), .. }
            if l == &["schema-drift", "severity:high", "team-note"])),
        "{actions:?}"
    );
    assert!(
        actions.iter().any(
            |a| matches!(a, Action::Comment { body, .. } if body.contains("severity medium → high"))
        ),
        "{actions:?}"
    );
}

#[test]
fn requests_are_the_documented_endpoints() {
    let create = Action::Create {
        key: "staging".to_string(),
        title: "t".to_string(),
        body: "b".to_string(),
        labels: vec!["schema-drift".to_string()],
        assignees: Vec::new(),
        incidents: Vec::new(),
    };
    let (method, path, _) = create.request("org/app").expect("request");
    assert_eq!((method, path.as_str()), ("POST", "/repos/org/app/issues"));
    let close = Action::Update {
        number: 3,
        body: None,
        open: Some(false),
        labels: None,
        assignees: None,
    };
    let (method, path, body) = close.request("org/app").expect("request");
    assert_eq!(
        (method, path.as_str()),
        ("PATCH", "/repos/org/app/issues/3")
    );
    assert_eq!(body["state"], "closed");
    assert!(body.get("body").is_none(), "only changed fields");
}

#[test]
fn escalation_labels_are_slugs() {
    assert_eq!(
        escalation_label("Technical Lead"),
        "escalated:technical-lead"
    );
    assert_eq!(escalation_label(" DBA / on-call "), "escalated:dba-on-call");
}

#[test]
fn webhooks_are_sent_on_change_only() {
    let first = run(&[], &[finding(Severity::Medium)], "2026-11-26T02:00:00Z");
    fn env(changes: &Changes) -> Vec<WebhookEnvironment<'_>> {
        vec![WebhookEnvironment {
            name: "staging",
            status: "drift",
            error: None,
            updates: &changes.updates,
        }]
    }
    let payload = webhook_payload(WebhookFormat::Json, Some(1), "now", &env(&first), &path())
        .expect("opened is a change");
    assert_eq!(payload["events"][0]["event"], "opened");
    assert_eq!(payload["events"][0]["level"], "Database Team");
    let slack = webhook_payload(WebhookFormat::Slack, Some(1), "now", &env(&first), &path())
        .expect("slack");
    assert!(
        slack["text"].as_str().is_some_and(|t| t.contains("opened")),
        "{slack}"
    );
    let second = run(
        &open_of(&first),
        &[finding(Severity::Medium)],
        "2026-11-26T03:00:00Z",
    );
    assert_eq!(
        webhook_payload(WebhookFormat::Json, Some(2), "now", &env(&second), &path()),
        None
    );
}

#[test]
fn a_failed_check_is_a_webhook_change() {
    let envs = [WebhookEnvironment {
        name: "down",
        status: "failed",
        error: Some("connection refused"),
        updates: &[],
    }];
    let payload =
        webhook_payload(WebhookFormat::Slack, None, "now", &envs, &path()).expect("failed");
    assert!(
        payload["text"]
            .as_str()
            .is_some_and(|t| t.contains("check failed: connection refused"))
    );
}

fn check(failure: Option<&str>, existing: &[ExistingIssue]) -> Vec<Action> {
    let path = path();
    GithubPlanner {
        label: "schema-drift",
        mode: IssueMode::PerEnvironment,
        path: &path,
    }
    .plan_check("production", failure, existing)
}

#[test]
fn a_failed_check_opens_a_check_failed_issue_with_the_error() {
    let actions = check(Some("cannot connect to 10.0.0.5:3306"), &[]);
    let [
        Action::Create {
            title,
            body,
            labels,
            incidents,
            ..
        },
    ] = actions.as_slice()
    else {
        panic!("{actions:#?}");
    };
    assert_eq!(title, "Schema check failed in production");
    assert_eq!(labels, &["schema-drift", "check-failed"]);
    assert!(body.starts_with("<!-- driftwatch:production:check-failed -->"));
    assert!(body.contains("cannot connect to 10.0.0.5:3306"));
    assert!(incidents.is_empty());
}

#[test]
fn a_check_failing_the_same_way_again_plans_nothing() {
    let first = check(Some("access denied"), &[]);
    let issue = created(&first, 7);
    assert!(check(Some("access denied"), &[issue]).is_empty());
}

#[test]
fn a_different_error_updates_the_body_and_comments_once() {
    let issue = created(&check(Some("access denied"), &[]), 7);
    let actions = check(Some("unknown database"), &[issue]);
    assert!(matches!(
        actions.as_slice(),
        [
            Action::Update {
                number: 7,
                body: Some(_),
                open: None,
                ..
            },
            Action::Comment { number: 7, body }
        ] if body.contains("unknown database")
    ));
}

#[test]
fn a_successful_check_closes_the_check_failed_issue() {
    let issue = created(&check(Some("access denied"), &[]), 7);
    let actions = check(None, std::slice::from_ref(&issue));
    assert!(matches!(
        actions.as_slice(),
        [
            Action::Comment { number: 7, .. },
            Action::Update {
                number: 7,
                open: Some(false),
                ..
            }
        ]
    ));
    let closed = ExistingIssue {
        open: false,
        ..issue
    };
    assert!(
        check(None, std::slice::from_ref(&closed)).is_empty(),
        "stays closed"
    );
    let reopened = check(Some("access denied"), &[closed]);
    assert!(
        matches!(
            reopened.first(),
            Some(Action::Update {
                open: Some(true),
                ..
            })
        ),
        "{reopened:#?}"
    );
}

#[test]
fn the_check_failed_issue_is_not_the_drift_issue() {
    let drift = created(&check(Some("x"), &[]), 3);
    let mut other = drift.clone();
    other.body = other.body.replace(
        "driftwatch:production:check-failed",
        "driftwatch:production",
    );
    assert_eq!(check(None, &[other]), Vec::<Action>::new());
}
