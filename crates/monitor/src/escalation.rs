//! SLA and escalation (DESIGN.md §5): how long each severity may stay
//! unresolved, and who owns an incident as time passes.
//!
//! Rules (documented in README "Nightly monitoring"):
//! - An incident starts at the level of its severity's first owner (§5):
//!   low → the development team (level 1), medium → the database team,
//!   high and critical → the tech lead (critical: "on-call + tech lead").
//!   A level is found by name (`"database"`, `"lead"`, case-insensitive);
//!   without such a name, by position on the DESIGN.md path (2, 3).
//! - Every full SLA period it stays unresolved moves it one level up,
//!   capped at the last level. The SLA clock starts when the incident opens
//!   and restarts when its severity changes.
//! - An SLA of zero (critical, "immediate") makes the incident overdue at
//!   once; its start level already is the immediate escalation, so it does
//!   not climb further with time.
//! - Levels never go down while the incident is open.

use driftwatch_diff::Severity;
use jiff::Timestamp;

use crate::duration::Span;

/// `[sla]`: response time per severity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sla {
    pub critical: Span,
    pub high: Span,
    pub medium: Span,
    pub low: Span,
}

impl Default for Sla {
    /// DESIGN.md §5: immediate, 2 hours, 24 hours, 1 week.
    fn default() -> Self {
        Sla {
            critical: Span(0),
            high: Span(2 * 3_600),
            medium: Span(24 * 3_600),
            low: Span(7 * 86_400),
        }
    }
}

impl Sla {
    pub fn of(&self, severity: Severity) -> Span {
        match severity {
            Severity::Critical => self.critical,
            Severity::High => self.high,
            Severity::Medium => self.medium,
            Severity::Low => self.low,
        }
    }
}

/// One `[[escalation]]` level: a name and the GitHub users or teams it means.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Level {
    pub name: String,
    pub github: Vec<String>,
}

/// `[[escalation]]`, level 1 first. Never empty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Path {
    levels: Vec<Level>,
}

impl Default for Path {
    /// DESIGN.md §5: development team → database team → tech lead → management.
    fn default() -> Self {
        let level = |name: &str| Level {
            name: name.to_string(),
            github: Vec::new(),
        };
        Path {
            levels: vec![
                level("Development Team"),
                level("Database Team"),
                level("Technical Lead"),
                level("Management"),
            ],
        }
    }
}

impl Path {
    /// The configured levels; an empty list means the default path.
    pub fn new(levels: Vec<Level>) -> Path {
        if levels.is_empty() {
            Path::default()
        } else {
            Path { levels }
        }
    }

    pub fn len(&self) -> u32 {
        u32::try_from(self.levels.len()).unwrap_or(u32::MAX)
    }

    pub fn is_empty(&self) -> bool {
        self.levels.is_empty()
    }

    /// Level `n` (1-based), clamped to the path.
    pub fn level(&self, n: u32) -> &Level {
        let index = usize::try_from(n.clamp(1, self.len()) - 1).unwrap_or(0);
        &self.levels[index.min(self.levels.len() - 1)]
    }

    /// The level (1-based) named like `word`, else `fallback` clamped.
    fn find(&self, word: &str, fallback: u32) -> u32 {
        self.levels
            .iter()
            .position(|l| l.name.to_ascii_lowercase().contains(word))
            .and_then(|i| u32::try_from(i + 1).ok())
            .unwrap_or_else(|| fallback.clamp(1, self.len()))
    }

    /// Who else a critical incident notifies at once (§5: "on-call + tech
    /// lead"): the level whose name says on-call (`on-call`, `on call`,
    /// `oncall`), if the path has one and the incident is not already there.
    pub fn also_notified(&self, severity: Severity, level: u32) -> Option<&Level> {
        if severity != Severity::Critical {
            return None;
        }
        let index = self.levels.iter().position(|l| {
            let name = l.name.to_ascii_lowercase().replace(['-', ' '], "");
            name.contains("oncall")
        })?;
        let on_call = u32::try_from(index + 1).ok()?;
        (on_call != level).then(|| &self.levels[index])
    }

    /// Where an incident of this severity starts (its first owner, §5).
    pub fn start_level(&self, severity: Severity) -> u32 {
        match severity {
            Severity::Low => 1,
            Severity::Medium => self.find("database", 2),
            Severity::High | Severity::Critical => self.find("lead", 3),
        }
    }

    /// The level an incident should be at, `now`: its start level plus one
    /// per full SLA period since `sla_since`, capped at the last level.
    pub fn level_at(
        &self,
        severity: Severity,
        sla: &Sla,
        sla_since: Timestamp,
        now: Timestamp,
    ) -> u32 {
        let start = self.start_level(severity);
        let period = sla.of(severity).seconds();
        let elapsed = (now.as_second() - sla_since.as_second()).max(0);
        let steps = if period == 0 { 0 } else { elapsed / period };
        let level = i64::from(start).saturating_add(steps);
        u32::try_from(level.min(i64::from(self.len()))).unwrap_or(self.len())
    }
}

/// When the SLA of an incident ends (`sla_since` + SLA of its severity).
pub fn due_at(severity: Severity, sla: &Sla, sla_since: Timestamp) -> Timestamp {
    Timestamp::from_second(
        sla_since
            .as_second()
            .saturating_add(sla.of(severity).seconds()),
    )
    .unwrap_or(Timestamp::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(text: &str) -> Timestamp {
        text.parse().expect("timestamp")
    }

    const OPENED: &str = "2026-11-26T02:00:00Z";

    #[test]
    fn defaults_are_the_design_slas() {
        let sla = Sla::default();
        assert_eq!(sla.of(Severity::Critical), Span(0));
        assert_eq!(sla.of(Severity::High).to_string(), "2h");
        assert_eq!(sla.of(Severity::Medium).to_string(), "1d");
        assert_eq!(sla.of(Severity::Low).to_string(), "1w");
    }

    #[test]
    fn each_severity_starts_with_its_first_owner() {
        let path = Path::default();
        assert_eq!(
            path.level(path.start_level(Severity::Low)).name,
            "Development Team"
        );
        assert_eq!(
            path.level(path.start_level(Severity::Medium)).name,
            "Database Team"
        );
        assert_eq!(
            path.level(path.start_level(Severity::High)).name,
            "Technical Lead"
        );
        assert_eq!(
            path.level(path.start_level(Severity::Critical)).name,
            "Technical Lead"
        );
    }

    #[test]
    fn medium_drift_escalates_one_level_per_24_hours_and_stops_at_management() {
        let path = Path::default();
        let sla = Sla::default();
        let level = |now: &str| {
            path.level(path.level_at(Severity::Medium, &sla, t(OPENED), t(now)))
                .name
                .clone()
        };
        assert_eq!(level("2026-11-26T02:00:00Z"), "Database Team");
        assert_eq!(level("2026-11-27T01:59:59Z"), "Database Team");
        assert_eq!(level("2026-11-27T02:00:00Z"), "Technical Lead");
        assert_eq!(level("2026-11-28T02:00:00Z"), "Management");
        assert_eq!(level("2027-01-01T00:00:00Z"), "Management");
    }

    #[test]
    fn low_drift_climbs_from_the_development_team_weekly() {
        let path = Path::default();
        let sla = Sla::default();
        assert_eq!(
            path.level_at(Severity::Low, &sla, t(OPENED), t("2026-12-02T02:00:00Z")),
            1
        );
        assert_eq!(
            path.level_at(Severity::Low, &sla, t(OPENED), t("2026-12-03T02:00:00Z")),
            2
        );
    }

    #[test]
    fn high_drift_reaches_management_after_two_hours() {
        let path = Path::default();
        let sla = Sla::default();
        assert_eq!(
            path.level_at(Severity::High, &sla, t(OPENED), t("2026-11-26T03:59:00Z")),
            3
        );
        assert_eq!(
            path.level_at(Severity::High, &sla, t(OPENED), t("2026-11-26T04:00:00Z")),
            4
        );
    }

    #[test]
    fn critical_drift_is_overdue_at_once_and_stays_with_the_tech_lead() {
        let path = Path::default();
        let sla = Sla::default();
        assert_eq!(due_at(Severity::Critical, &sla, t(OPENED)), t(OPENED));
        assert_eq!(
            path.level_at(
                Severity::Critical,
                &sla,
                t(OPENED),
                t("2026-11-30T00:00:00Z")
            ),
            3
        );
    }

    #[test]
    fn levels_are_found_by_name_in_a_custom_path() {
        let level = |name: &str| Level {
            name: name.to_string(),
            github: Vec::new(),
        };
        let path = Path::new(vec![level("DBA on call"), level("Lead engineer")]);
        assert_eq!(path.start_level(Severity::Low), 1);
        assert_eq!(
            path.start_level(Severity::Medium),
            2,
            "no `database` level: position 2"
        );
        assert_eq!(path.start_level(Severity::Critical), 2);
        assert_eq!(
            path.level_at(
                Severity::Medium,
                &Sla::default(),
                t(OPENED),
                t("2027-01-01T00:00:00Z")
            ),
            2
        );
    }

    #[test]
    fn critical_drift_also_notifies_an_on_call_level() {
        let level = |name: &str| Level {
            name: name.to_string(),
            github: vec![format!("{name}-login")],
        };
        let path = Path::new(vec![
            level("On-call"),
            level("Database Team"),
            level("Tech Lead"),
        ]);
        let start = path.start_level(Severity::Critical);
        assert_eq!(path.level(start).name, "Tech Lead");
        assert_eq!(
            path.also_notified(Severity::Critical, start)
                .map(|l| l.name.as_str()),
            Some("On-call")
        );
        assert_eq!(path.also_notified(Severity::High, start), None);
        assert_eq!(
            Path::default().also_notified(Severity::Critical, 3),
            None,
            "no on-call level"
        );
    }

    #[test]
    fn an_empty_path_is_the_default_path() {
        assert_eq!(Path::new(Vec::new()), Path::default());
    }

    #[test]
    fn a_clock_before_the_opening_does_not_escalate() {
        let path = Path::default();
        assert_eq!(
            path.level_at(
                Severity::Medium,
                &Sla::default(),
                t(OPENED),
                t("2026-11-20T00:00:00Z")
            ),
            2
        );
    }
}
