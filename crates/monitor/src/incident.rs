//! Incidents: one per (environment, drift id) while the drift lasts, and
//! `reconcile`, which turns one check of an environment into changes.
//!
//! A drift that comes back after its incident was resolved opens a NEW
//! incident (the resolved one stays closed, as history): its SLA clock and
//! escalation start again, and the later notifier can link the two by
//! drift id.

use std::collections::BTreeMap;

use driftwatch_diff::Severity;
use jiff::Timestamp;
use serde::Serialize;

use crate::escalation::{Path, Sla};

/// What one finding of a check contributes: its stable id and what it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Observation {
    /// The finding's stable `id` (same drift ⇒ same id across runs).
    pub drift_id: String,
    pub kind: String,
    pub table: String,
    pub object: Option<String>,
    pub severity: Severity,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SeverityChange {
    pub at: Timestamp,
    pub severity: Severity,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Incident {
    /// Store id; 0 until stored.
    pub id: i64,
    pub environment: String,
    pub drift_id: String,
    pub kind: String,
    pub table: String,
    pub object: Option<String>,
    pub severity: Severity,
    /// Every severity it had, oldest first (the first is the opening one).
    pub severity_history: Vec<SeverityChange>,
    pub first_seen: Timestamp,
    pub last_seen: Timestamp,
    /// When the SLA clock started: the opening, or the last severity change.
    pub sla_since: Timestamp,
    /// 1-based level of the escalation path.
    pub escalation_level: u32,
    pub acknowledged_by: Option<String>,
    pub acknowledged_at: Option<Timestamp>,
    pub resolved_at: Option<Timestamp>,
    /// The GitHub issue (or other ticket) that tracks it, once a notifier made one.
    pub issue_ref: Option<String>,
}

impl Incident {
    pub fn is_open(&self) -> bool {
        self.resolved_at.is_none()
    }
}

/// What happened to an incident in one run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum Event {
    Opened,
    SeverityChanged { from: Severity, to: Severity },
    Escalated { from: u32, to: u32 },
    Resolved,
}

impl Event {
    pub fn name(&self) -> &'static str {
        match self {
            Event::Opened => "opened",
            Event::SeverityChanged { .. } => "severity_changed",
            Event::Escalated { .. } => "escalated",
            Event::Resolved => "resolved",
        }
    }
}

/// One incident after the run, with what happened to it (nothing: still
/// open, only `last_seen` moved).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Update {
    pub incident: Incident,
    pub events: Vec<Event>,
}

impl Update {
    pub fn has(&self, name: &str) -> bool {
        self.events.iter().any(|e| e.name() == name)
    }
}

/// What `reconcile` decides for one environment.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changes {
    pub updates: Vec<Update>,
}

impl Changes {
    pub fn count(&self, event: &str) -> usize {
        self.updates.iter().filter(|u| u.has(event)).count()
    }

    pub fn with(&self, event: &str) -> impl Iterator<Item = &Incident> {
        self.updates
            .iter()
            .filter(move |u| u.has(event))
            .map(|u| &u.incident)
    }

    pub fn open(&self) -> impl Iterator<Item = &Incident> {
        self.updates
            .iter()
            .map(|u| &u.incident)
            .filter(|i| i.is_open())
    }
}

/// SLA and escalation settings `reconcile` applies.
#[derive(Debug, Clone, Default)]
pub struct Policy {
    pub sla: Sla,
    pub path: Path,
}

/// One check of `environment` at `now` against its open incidents:
/// - a finding without an open incident opens one (at its severity's start level);
/// - a finding with one updates `last_seen`, and its severity if that changed
///   (the SLA clock restarts; the level never goes down);
/// - an open incident whose drift was not found is resolved, but only when
///   the check was `complete` (every table compared): an incomplete check
///   cannot tell "fixed" from "not looked at";
/// - every incident still open is escalated to the level its age calls for.
///
/// Incidents of other environments in `open` are ignored. Findings with the
/// same id count once, at their highest severity.
pub fn reconcile(
    open: &[Incident],
    findings: &[Observation],
    environment: &str,
    now: Timestamp,
    complete: bool,
    policy: &Policy,
) -> Changes {
    let mut seen: BTreeMap<&str, &Observation> = BTreeMap::new();
    for finding in findings {
        let entry = seen.entry(finding.drift_id.as_str()).or_insert(finding);
        if finding.severity > entry.severity {
            *entry = finding;
        }
    }
    let mut updates = Vec::new();
    let open: Vec<&Incident> = open
        .iter()
        .filter(|i| i.environment == environment && i.is_open())
        .collect();
    for incident in &open {
        let mut incident = (*incident).clone();
        let mut events = Vec::new();
        match seen.remove(incident.drift_id.as_str()) {
            Some(finding) => {
                incident.last_seen = now;
                if finding.severity != incident.severity {
                    events.push(Event::SeverityChanged {
                        from: incident.severity,
                        to: finding.severity,
                    });
                    incident.severity = finding.severity;
                    incident.severity_history.push(SeverityChange {
                        at: now,
                        severity: finding.severity,
                    });
                    incident.sla_since = now;
                }
                incident.kind = finding.kind.clone();
                incident.table = finding.table.clone();
                incident.object = finding.object.clone();
            }
            None if complete => {
                incident.resolved_at = Some(now);
                events.push(Event::Resolved);
            }
            None => {}
        }
        if incident.is_open() {
            escalate(&mut incident, &mut events, now, policy);
        }
        updates.push(Update { incident, events });
    }
    for finding in seen.into_values() {
        let mut incident = Incident {
            id: 0,
            environment: environment.to_string(),
            drift_id: finding.drift_id.clone(),
            kind: finding.kind.clone(),
            table: finding.table.clone(),
            object: finding.object.clone(),
            severity: finding.severity,
            severity_history: vec![SeverityChange {
                at: now,
                severity: finding.severity,
            }],
            first_seen: now,
            last_seen: now,
            sla_since: now,
            escalation_level: policy.path.start_level(finding.severity),
            acknowledged_by: None,
            acknowledged_at: None,
            resolved_at: None,
            issue_ref: None,
        };
        let mut events = vec![Event::Opened];
        escalate(&mut incident, &mut Vec::new(), now, policy);
        if incident.escalation_level != policy.path.start_level(finding.severity) {
            // Cannot happen at `now` = opening; kept for clocks set back.
            events.push(Event::Escalated {
                from: policy.path.start_level(finding.severity),
                to: incident.escalation_level,
            });
        }
        updates.push(Update { incident, events });
    }
    Changes { updates }
}

/// Raises the level to what the incident's age calls for (never lowers it).
fn escalate(incident: &mut Incident, events: &mut Vec<Event>, now: Timestamp, policy: &Policy) {
    let due = policy
        .path
        .level_at(incident.severity, &policy.sla, incident.sla_since, now);
    if due > incident.escalation_level {
        events.push(Event::Escalated {
            from: incident.escalation_level,
            to: due,
        });
        incident.escalation_level = due;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(text: &str) -> Timestamp {
        text.parse().expect("timestamp")
    }

    fn finding(id: &str, severity: Severity) -> Observation {
        Observation {
            drift_id: id.to_string(),
            kind: "column_extra_in_db".to_string(),
            table: "orders".to_string(),
            object: Some("hotfix_note".to_string()),
            severity,
        }
    }

    /// Runs `reconcile` and returns the incidents as the store would keep them.
    fn run(open: &[Incident], findings: &[Observation], now: &str) -> Changes {
        reconcile(open, findings, "staging", t(now), true, &Policy::default())
    }

    fn open_after(changes: &Changes) -> Vec<Incident> {
        changes.open().cloned().collect()
    }

    const NIGHT1: &str = "2026-11-26T02:00:00Z";
    const NIGHT2: &str = "2026-11-27T02:00:00Z";

    #[test]
    fn a_new_finding_opens_an_incident_at_its_first_owner() {
        let changes = run(&[], &[finding("a", Severity::Medium)], NIGHT1);
        assert_eq!(changes.count("opened"), 1);
        let incident = &changes.updates[0].incident;
        assert_eq!(
            incident.escalation_level, 2,
            "medium starts with the database team"
        );
        assert_eq!(incident.first_seen, t(NIGHT1));
        assert_eq!(incident.environment, "staging");
    }

    #[test]
    fn an_unchanged_finding_only_moves_last_seen() {
        let first = run(&[], &[finding("a", Severity::Medium)], NIGHT1);
        let second = run(
            &open_after(&first),
            &[finding("a", Severity::Medium)],
            "2026-11-26T03:00:00Z",
        );
        assert_eq!(second.updates.len(), 1);
        assert!(
            second.updates[0].events.is_empty(),
            "{:?}",
            second.updates[0].events
        );
        assert_eq!(
            second.updates[0].incident.last_seen,
            t("2026-11-26T03:00:00Z")
        );
        assert_eq!(second.updates[0].incident.first_seen, t(NIGHT1));
    }

    #[test]
    fn a_changed_severity_updates_the_incident_and_its_history() {
        let first = run(&[], &[finding("a", Severity::Medium)], NIGHT1);
        let second = run(
            &open_after(&first),
            &[finding("a", Severity::High)],
            "2026-11-26T03:00:00Z",
        );
        let update = &second.updates[0];
        assert_eq!(
            update.events,
            vec![
                Event::SeverityChanged {
                    from: Severity::Medium,
                    to: Severity::High
                },
                Event::Escalated { from: 2, to: 3 }
            ]
        );
        assert_eq!(update.incident.severity_history.len(), 2);
        assert_eq!(update.incident.sla_since, t("2026-11-26T03:00:00Z"));
    }

    #[test]
    fn a_finding_gone_from_a_complete_check_resolves_its_incident() {
        let first = run(&[], &[finding("a", Severity::Medium)], NIGHT1);
        let second = run(&open_after(&first), &[], NIGHT2);
        assert_eq!(second.count("resolved"), 1);
        assert_eq!(second.updates[0].incident.resolved_at, Some(t(NIGHT2)));
        assert_eq!(
            second.count("escalated"),
            0,
            "a resolved incident does not escalate"
        );
    }

    #[test]
    fn an_incomplete_check_resolves_nothing() {
        let first = run(&[], &[finding("a", Severity::Medium)], NIGHT1);
        let second = reconcile(
            &open_after(&first),
            &[],
            "staging",
            t("2026-11-26T03:00:00Z"),
            false,
            &Policy::default(),
        );
        assert_eq!(second.count("resolved"), 0);
        assert!(second.updates[0].incident.is_open());
    }

    #[test]
    fn a_returning_drift_opens_a_new_incident() {
        let first = run(&[], &[finding("a", Severity::Medium)], NIGHT1);
        let second = run(&open_after(&first), &[], NIGHT2);
        let third = run(
            &open_after(&second),
            &[finding("a", Severity::Medium)],
            "2026-11-28T02:00:00Z",
        );
        assert_eq!(third.count("opened"), 1);
        assert_eq!(
            third.updates[0].incident.first_seen,
            t("2026-11-28T02:00:00Z")
        );
    }

    #[test]
    fn an_overdue_incident_escalates_once_per_sla_period() {
        let first = run(&[], &[finding("a", Severity::Medium)], NIGHT1);
        let second = run(
            &open_after(&first),
            &[finding("a", Severity::Medium)],
            NIGHT2,
        );
        assert_eq!(
            second.updates[0].events,
            vec![Event::Escalated { from: 2, to: 3 }]
        );
        let third = run(
            &open_after(&second),
            &[finding("a", Severity::Medium)],
            "2026-11-27T12:00:00Z",
        );
        assert!(
            third.updates[0].events.is_empty(),
            "same period: no second escalation"
        );
        let fourth = run(
            &open_after(&third),
            &[finding("a", Severity::Medium)],
            "2026-11-30T02:00:00Z",
        );
        assert_eq!(
            fourth.updates[0].events,
            vec![Event::Escalated { from: 3, to: 4 }],
            "capped at the last level"
        );
    }

    #[test]
    fn a_lower_severity_never_lowers_the_level() {
        let first = run(&[], &[finding("a", Severity::High)], NIGHT1);
        let second = run(
            &open_after(&first),
            &[finding("a", Severity::Low)],
            "2026-11-26T03:00:00Z",
        );
        assert_eq!(second.updates[0].incident.escalation_level, 3);
    }

    #[test]
    fn other_environments_are_left_alone() {
        let first = reconcile(
            &[],
            &[finding("a", Severity::Medium)],
            "production",
            t(NIGHT1),
            true,
            &Policy::default(),
        );
        let second = run(&open_after(&first), &[], NIGHT2);
        assert!(second.updates.is_empty());
    }

    #[test]
    fn duplicate_findings_count_once_at_the_highest_severity() {
        let changes = run(
            &[],
            &[finding("a", Severity::Low), finding("a", Severity::High)],
            NIGHT1,
        );
        assert_eq!(changes.updates.len(), 1);
        assert_eq!(changes.updates[0].incident.severity, Severity::High);
    }
}
