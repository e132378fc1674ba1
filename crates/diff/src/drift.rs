//! One difference between the expected and the actual Model.

use driftwatch_model::{Check, Column, ForeignKey, Index, PrimaryKey, Source, Table, View};
use serde::Serialize;

use crate::kind::DriftKind;

/// A piece of a Model, as shown in `expected`/`actual`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum Fragment {
    Table(Table),
    Column(Column),
    PrimaryKey(PrimaryKey),
    Index(Index),
    ForeignKey(ForeignKey),
    Check(Check),
    View(View),
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Drift {
    pub kind: DriftKind,
    pub table: String,
    /// Column, index or constraint name; `None` for table-level drift.
    pub object: Option<String>,
    pub expected: Option<Fragment>,
    pub actual: Option<Fragment>,
    /// One human sentence: what differs.
    pub message: String,
    /// Where the expected object is declared, when it is.
    pub source: Option<Source>,
    /// The objects differ only in name (same definition).
    #[serde(skip)]
    pub name_only: bool,
}

impl Drift {
    /// A fingerprint that stays the same while the drift does: kind, table
    /// and object, hashed with FNV-1a (stable across runs and builds).
    pub fn id(&self) -> String {
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        let key = format!(
            "{}\u{1f}{}\u{1f}{}",
            self.kind.name(),
            self.table,
            self.object.as_deref().unwrap_or("")
        );
        for byte in key.bytes() {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
        format!("{hash:016x}")
    }

    pub fn expected_column(&self) -> Option<&Column> {
        match &self.expected {
            Some(Fragment::Column(c)) => Some(c),
            _ => None,
        }
    }

    pub fn actual_column(&self) -> Option<&Column> {
        match &self.actual {
            Some(Fragment::Column(c)) => Some(c),
            _ => None,
        }
    }
}
