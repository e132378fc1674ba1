//! Severity policy (DESIGN.md §5), probable cause, and the finding that
//! reports render.

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;

use driftwatch_model::quirks::is_legacy_timestamp_promotion;
use driftwatch_model::{ColumnType, Source, TypeCapacity};
use serde::{Deserialize, Serialize};

use crate::drift::{Drift, Fragment};
use crate::kind::DriftKind;
use crate::plan::{Fix, plan_fix};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    pub const ALL_DESCENDING: [Severity; 4] = [
        Severity::Critical,
        Severity::High,
        Severity::Medium,
        Severity::Low,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Severity {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "low" => Ok(Severity::Low),
            "medium" => Ok(Severity::Medium),
            "high" => Ok(Severity::High),
            "critical" => Ok(Severity::Critical),
            other => Err(format!(
                "unknown severity `{other}` (expected critical, high, medium or low)"
            )),
        }
    }
}

/// Probable cause (DESIGN.md §4). Without the migration history every drift
/// is `Unknown`; the root-cause analysis refines it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Cause {
    MissingMigrationFile,
    PendingMigration,
    ManualModification,
    PartialMigration,
    ConcurrentDeployment,
    Unknown,
}

impl Cause {
    /// The stable name of the JSON contract.
    pub fn name(self) -> &'static str {
        match self {
            Cause::MissingMigrationFile => "missing_migration_file",
            Cause::PendingMigration => "pending_migration",
            Cause::ManualModification => "manual_modification",
            Cause::PartialMigration => "partial_migration",
            Cause::ConcurrentDeployment => "concurrent_deployment",
            Cause::Unknown => "unknown",
        }
    }
}

/// How severities are decided for one environment.
#[derive(Debug, Clone, Default)]
pub struct Policy {
    /// Production: the "data at risk" kinds are critical instead of high.
    pub production: bool,
    /// Per-kind overrides (`[severity]` in driftwatch.toml).
    pub overrides: HashMap<DriftKind, Severity>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    pub id: String,
    pub kind: DriftKind,
    pub table: String,
    pub object: Option<String>,
    pub severity: Severity,
    pub expected: Option<Fragment>,
    pub actual: Option<Fragment>,
    pub cause: Cause,
    /// What in the migration history shows the cause (which migration,
    /// which snapshot); `None` while the cause is `unknown`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub evidence: Option<String>,
    pub message: String,
    pub source: Option<Source>,
    pub fix: Fix,
}

pub fn classify(drifts: Vec<Drift>, policy: &Policy) -> Vec<Finding> {
    drifts
        .into_iter()
        .map(|drift| {
            let severity = policy
                .overrides
                .get(&drift.kind)
                .copied()
                .unwrap_or_else(|| default_severity(&drift, policy.production));
            let fix = plan_fix(&drift);
            let message = with_explanation(&drift);
            Finding {
                id: drift.id(),
                kind: drift.kind,
                table: drift.table,
                object: drift.object,
                severity,
                expected: drift.expected,
                actual: drift.actual,
                cause: Cause::Unknown,
                evidence: None,
                message,
                source: drift.source,
                fix,
            }
        })
        .collect()
}

/// Drift that a known server behaviour produces gets that behaviour named.
fn with_explanation(drift: &Drift) -> String {
    let legacy_timestamp = matches!(
        drift.kind,
        DriftKind::ColumnNullabilityMismatch
            | DriftKind::ColumnDefaultMismatch
            | DriftKind::ColumnOnUpdateMismatch
    ) && drift
        .expected_column()
        .zip(drift.actual_column())
        .is_some_and(|(e, a)| is_legacy_timestamp_promotion(e, a));
    if legacy_timestamp {
        format!(
            "{}. This is what explicit_defaults_for_timestamp=OFF (the default of MySQL 5.7 \
             and MariaDB ≤ 10.9) makes of a TIMESTAMP created without an explicit NULL, as \
             drizzle-kit writes it: set it ON on the server, then apply the fix",
            drift.message
        )
    } else {
        drift.message.clone()
    }
}

/// DESIGN.md §5. "Data at risk" drifts are critical in production and high
/// elsewhere; other real differences are medium; name-only differences low.
pub fn default_severity(drift: &Drift, production: bool) -> Severity {
    let at_risk = if production {
        Severity::Critical
    } else {
        Severity::High
    };
    match drift.kind {
        DriftKind::TableMissingInDb | DriftKind::ColumnMissingInDb => at_risk,
        DriftKind::ColumnTypeMismatch => match column_types(drift) {
            // Narrower in the database than in the schema: writes truncate or fail
            // (this includes an enum that lacks a value the schema allows).
            Some((exp, act)) => match act.capacity_vs(exp) {
                TypeCapacity::Wider | TypeCapacity::Same => Severity::Medium,
                TypeCapacity::Narrower | TypeCapacity::Incompatible => at_risk,
            },
            None => Severity::Medium,
        },
        DriftKind::ColumnNullabilityMismatch | DriftKind::ColumnAutoincrementMismatch => {
            if insert_may_fail(drift) {
                at_risk
            } else {
                Severity::Medium
            }
        }
        DriftKind::MigrationFileMissing
        | DriftKind::MigrationModified
        | DriftKind::MigrationPartial => Severity::High,
        DriftKind::IndexMismatch | DriftKind::ForeignKeyMismatch | DriftKind::CheckMismatch
            if drift.name_only =>
        {
            Severity::Low
        }
        DriftKind::ColumnCharsetMismatch => Severity::Low,
        _ => Severity::Medium,
    }
}

/// The default policy of [`default_severity`] for one kind, in words (for
/// the generated docs).
pub fn default_severity_rule(kind: DriftKind) -> &'static str {
    match kind {
        DriftKind::TableMissingInDb | DriftKind::ColumnMissingInDb => {
            "high; critical in production"
        }
        DriftKind::ColumnTypeMismatch => {
            "high (critical in production) when the database type is narrower or of another family; medium when wider"
        }
        DriftKind::ColumnNullabilityMismatch | DriftKind::ColumnAutoincrementMismatch => {
            "high (critical in production) when the database requires a value the schema lets the application omit; else medium"
        }
        DriftKind::MigrationFileMissing
        | DriftKind::MigrationModified
        | DriftKind::MigrationPartial => "high",
        DriftKind::IndexMismatch | DriftKind::ForeignKeyMismatch | DriftKind::CheckMismatch => {
            "low when only the name differs; else medium"
        }
        DriftKind::ColumnCharsetMismatch => "low",
        _ => "medium",
    }
}

fn column_types(drift: &Drift) -> Option<(&ColumnType, &ColumnType)> {
    Some((&drift.expected_column()?.ty, &drift.actual_column()?.ty))
}

/// The database column is NOT NULL without a default (and without
/// AUTO_INCREMENT) while the schema lets the application omit the value: every
/// such INSERT fails.
fn insert_may_fail(drift: &Drift) -> bool {
    let (Some(exp), Some(act)) = (drift.expected_column(), drift.actual_column()) else {
        return false;
    };
    let db_requires_value =
        !act.nullable && act.default.is_none() && !act.auto_increment && act.generated.is_none();
    let schema_may_omit = exp.nullable || exp.default.is_some() || exp.auto_increment;
    db_requires_value && schema_may_omit
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::diff;
    use driftwatch_model::{Column, Schema, Table};

    fn ty(text: &str) -> ColumnType {
        ColumnType::parse(text).unwrap_or_else(|e| panic!("{e}"))
    }

    fn schema_with(column: Column) -> Schema {
        let mut table = Table::new("t");
        table.columns.push(column);
        Schema {
            tables: vec![table],
            views: vec![],
        }
    }

    fn severity_of(exp: Column, act: Column, production: bool) -> Severity {
        let drifts = diff(&schema_with(exp), &schema_with(act));
        assert_eq!(drifts.len(), 1, "{drifts:#?}");
        default_severity(&drifts[0], production)
    }

    #[test]
    fn narrower_type_in_db_is_critical_in_production_and_high_elsewhere() {
        let exp = Column::new("c", ty("varchar(255)"));
        let act = Column::new("c", ty("varchar(50)"));
        assert_eq!(
            severity_of(exp.clone(), act.clone(), true),
            Severity::Critical
        );
        assert_eq!(severity_of(exp, act, false), Severity::High);
    }

    #[test]
    fn wider_type_in_db_is_medium() {
        let exp = Column::new("c", ty("varchar(50)"));
        let act = Column::new("c", ty("varchar(255)"));
        assert_eq!(severity_of(exp, act, true), Severity::Medium);
    }

    #[test]
    fn enum_value_missing_in_db_is_at_risk() {
        let exp = Column::new("c", ty("enum('a','b')"));
        let act = Column::new("c", ty("enum('a')"));
        assert_eq!(severity_of(exp, act, true), Severity::Critical);
    }

    #[test]
    fn db_not_null_without_default_where_schema_may_omit_is_at_risk() {
        let exp = Column::new("c", ty("int"));
        let mut act = Column::new("c", ty("int"));
        act.nullable = false;
        assert_eq!(severity_of(exp, act, false), Severity::High);
    }

    #[test]
    fn db_nullable_where_schema_says_not_null_is_medium() {
        let mut exp = Column::new("c", ty("int"));
        exp.nullable = false;
        let act = Column::new("c", ty("int"));
        assert_eq!(severity_of(exp, act, true), Severity::Medium);
    }

    #[test]
    fn override_wins_over_default() {
        let exp = schema_with(Column::new("c", ty("int")));
        let act = Schema {
            tables: vec![Table::new("t"), Table::new("extra")],
            views: vec![],
        };
        let mut policy = Policy::default();
        policy
            .overrides
            .insert(DriftKind::TableExtraInDb, Severity::Low);
        let findings = classify(diff(&exp, &act), &policy);
        let extra = findings
            .iter()
            .find(|f| f.kind == DriftKind::TableExtraInDb);
        assert_eq!(extra.map(|f| f.severity), Some(Severity::Low));
    }
}
