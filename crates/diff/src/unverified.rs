//! Objects the database side could not read exactly ("unverified"), the way
//! Skeema refuses to diff what it cannot reproduce: an unknown column type,
//! an unparseable default, a foreign key whose rules the server hid.
//!
//! The Model keeps a placeholder for such an object (or leaves it out), so
//! the diff may see a difference that is only the placeholder. A finding
//! about an unverified object is therefore never reported as drift of a
//! specific kind: it is set aside here, and the object itself is listed in
//! the report as unverified, which keeps the verdict from being "clean".

use crate::classify::Finding;

/// Something the database side could not read exactly.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unverified {
    /// `None` when the server did not say which table (a CHECK missing from
    /// TABLE_CONSTRAINTS).
    pub table: Option<String>,
    /// Column, index or constraint; `None` for the whole table.
    pub object: Option<String>,
}

impl Unverified {
    /// Whether `finding` is about this object (or, for a whole table, about
    /// anything in it).
    pub fn covers(&self, finding: &Finding) -> bool {
        let same_table = self.table.as_deref().is_none_or(|t| t == finding.table);
        match &self.object {
            None => same_table,
            Some(object) => same_table && finding.object.as_deref() == Some(object.as_str()),
        }
    }
}

/// Splits `findings` into those that stand and those about an unverified
/// object (returned second, for `--verbose` and tests).
pub fn set_aside_unverified(
    findings: Vec<Finding>,
    unverified: &[Unverified],
) -> (Vec<Finding>, Vec<Finding>) {
    findings
        .into_iter()
        .partition(|finding| !unverified.iter().any(|u| u.covers(finding)))
}

#[cfg(test)]
mod tests {
    use driftwatch_model::{Column, ColumnType, Schema, Table};

    use super::*;
    use crate::{Policy, classify, diff};

    fn table(name: &str, columns: &[(&str, &str)]) -> Table {
        let mut table = Table::new(name);
        for (column, ty) in columns {
            let ty = ColumnType::parse(ty).unwrap_or_else(|e| panic!("{e}"));
            table.columns.push(Column::new(*column, ty));
        }
        table
    }

    fn findings(expected: Vec<Table>, actual: Vec<Table>) -> Vec<Finding> {
        let schema = |tables| Schema {
            tables,
            views: Vec::new(),
        };
        classify(diff(&schema(expected), &schema(actual)), &Policy::default())
    }

    fn unverified(table: Option<&str>, object: Option<&str>) -> Unverified {
        Unverified {
            table: table.map(str::to_string),
            object: object.map(str::to_string),
        }
    }

    #[test]
    fn a_difference_in_an_unverified_column_is_set_aside() {
        let found = findings(
            vec![table("t", &[("a", "int"), ("b", "int")])],
            vec![table("t", &[("a", "bigint"), ("b", "varchar(3)")])],
        );
        let (kept, set_aside) = set_aside_unverified(found, &[unverified(Some("t"), Some("a"))]);
        assert_eq!(kept.len(), 1);
        assert_eq!(kept[0].object.as_deref(), Some("b"));
        assert_eq!(set_aside.len(), 1);
    }

    #[test]
    fn a_table_the_database_side_could_not_read_has_no_drift_at_all() {
        let found = findings(vec![table("ghost", &[("a", "int")])], Vec::new());
        let (kept, set_aside) = set_aside_unverified(found, &[unverified(Some("ghost"), None)]);
        assert!(kept.is_empty(), "{kept:?}");
        assert_eq!(set_aside.len(), 1);
    }

    #[test]
    fn an_object_of_unknown_table_is_set_aside_in_every_table() {
        let found = findings(
            vec![table("t", &[("a", "int")]), table("u", &[("a", "int")])],
            vec![
                table("t", &[("a", "bigint")]),
                table("u", &[("a", "bigint")]),
            ],
        );
        let (kept, _) = set_aside_unverified(found, &[unverified(None, Some("a"))]);
        assert!(kept.is_empty(), "{kept:?}");
    }

    #[test]
    fn findings_about_other_objects_stand() {
        let found = findings(
            vec![table("t", &[("a", "int")])],
            vec![table("t", &[("a", "bigint")])],
        );
        let (kept, set_aside) = set_aside_unverified(found, &[unverified(Some("u"), Some("a"))]);
        assert_eq!(kept.len(), 1);
        assert!(set_aside.is_empty());
    }
}
