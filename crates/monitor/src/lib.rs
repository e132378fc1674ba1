//! Nightly monitoring (DESIGN.md §5): incidents keyed by environment and the
//! drift's stable id (`incident.rs`, pure), SLA and escalation
//! (`escalation.rs`, pure; durations in `duration.rs`), and the state store
//! that keeps them between runs (`store.rs`, SQLite by default; `store_mysql.rs` and `store_postgres.rs`, a
//! shared MySQL/MariaDB or PostgreSQL database): the only I/O. `notify.rs` plans the notifiers (GitHub issue
//! actions, webhook payloads) purely; the CLI sends them.

pub mod duration;
pub mod escalation;
pub mod incident;
pub mod notify;
pub mod store;
pub mod store_mysql;
pub mod store_postgres;

pub use duration::Span;
pub use escalation::{Level, Path as EscalationPath, Sla, due_at};
pub use incident::{
    Changes, Event, Incident, Observation, Policy, SeverityChange, Update, reconcile,
};
pub use jiff::Timestamp;
pub use store::{
    CheckStatus, Counts, EnvironmentRun, Finish, LastCheck, RunRecord, Store, StoreError,
};
pub use store_mysql::MysqlStore;
pub use store_postgres::{PostgresStore, PostgresUrl};
