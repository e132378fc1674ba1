//! Renderers for a drift [`Report`]. Each reads the same findings and never
//! decides anything: severity, cause and fix come from `driftwatch_diff`.

pub mod github;
pub mod html;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod report;
pub mod sarif;
pub mod text;

pub use markdown::MarkdownOptions;
pub use report::{
    DiagnosticEntry, Mode, Report, SchemaInfo, Status, Summary, TableNames, TableRow, TableStatus,
    Target,
};
pub use text::{CLEAN_LINE, TextOptions};
