//! Diff of two schema Models, and everything decided from the differences:
//! drift kinds, severity, probable cause and the fix.
//!
//! `diff` (pure, deterministic) → `Vec<Drift>` → `classify` → `Vec<Finding>`
//! (severity, cause, fix). Rendering is elsewhere (`driftwatch_report`).

pub mod classify;
pub mod corrective;
pub mod ddl;
pub mod diff;
pub mod docs;
pub mod drift;
pub mod drizzle_code;
pub mod kind;
pub mod plan;
pub mod sql;
pub mod unverified;

pub use classify::{Cause, Finding, Policy, Severity, classify};
pub use diff::diff;
pub use drift::{Drift, Fragment};
pub use kind::DriftKind;
pub use plan::Fix;
pub use unverified::{Unverified, set_aside_unverified};
