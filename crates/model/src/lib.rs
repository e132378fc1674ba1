//! The canonical schema Model.
//!
//! Both sides of a comparison are turned into this Model before anything is
//! compared: the Drizzle TypeScript schema (crate `driftwatch_drizzle`) and the
//! live database (crate `driftwatch_mysql`). Every server quirk is resolved on
//! the way in (see [`flavor`] and [`quirks`]), so that "same schema" means
//! "equal Model" and the diff never sees TypeScript or SQL text.
//!
//! Nothing in this crate does I/O.

pub mod artifacts;
pub mod column_type;
pub mod default;
pub mod equivalence;
pub mod expr;
mod expr_tree;
pub mod flavor;
pub mod quirks;
pub mod rules;
pub mod schema;

pub use column_type::{BlobSize, ColumnType, IntSize, TextSize, TypeCapacity};
pub use default::DefaultValue;
pub use flavor::{Flavor, Vendor};
pub use schema::{
    Check, Column, FkAction, ForeignKey, Generated, Index, IndexOrigin, IndexPart, PrimaryKey,
    Schema, Source, Table, View,
};
