//! The DDL that creates a whole expected schema on an empty database (the
//! `--dev-url` shadow database), in an order that works whatever the
//! references between tables and views:
//!
//! 1. every `CREATE TABLE` (columns, primary key, indexes, checks), in name order;
//! 2. every foreign key (`ALTER TABLE … ADD CONSTRAINT`), once all tables exist,
//!    as drizzle-kit adds them (so InnoDB creates the same implicit indexes);
//! 3. every view whose query is known, each after the views it reads.
//!
//! Pure: the statements are executed by `driftwatch_mysql::dev_database`.

use driftwatch_model::{Schema, View};

use crate::sql;

/// What a statement creates, so that cleanup knows what to drop.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Creates {
    Table,
    View,
    /// A foreign key: dropped with its table.
    Nothing,
}

/// One statement of [`create_schema`], with the object it is about (for
/// error messages: "creating table `users` failed: …").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DdlStatement {
    /// The table or view name.
    pub object: String,
    pub creates: Creates,
    pub sql: String,
}

/// The statements that create `schema` on an empty database. Tables take
/// `default_collation` (the target database's default) unless they declare
/// their own. Views whose query is unknown are left out (see
/// [`sql::create_view`]).
pub fn create_schema(schema: &Schema, default_collation: Option<&str>) -> Vec<DdlStatement> {
    let mut tables: Vec<_> = schema.tables.iter().collect();
    tables.sort_by(|a, b| a.name.cmp(&b.name));
    let create_tables = tables.iter().map(|table| DdlStatement {
        object: table.name.clone(),
        creates: Creates::Table,
        sql: sql::create_table_without_foreign_keys(table, default_collation),
    });
    let add_foreign_keys = tables.iter().flat_map(|table| {
        table.foreign_keys.iter().map(|fk| DdlStatement {
            object: table.name.clone(),
            creates: Creates::Nothing,
            sql: sql::add_foreign_key(&table.name, fk),
        })
    });
    let create_views = views_in_dependency_order(&schema.views)
        .into_iter()
        .filter_map(|view| {
            Some(DdlStatement {
                object: view.name.clone(),
                creates: Creates::View,
                sql: sql::create_view(view)?,
            })
        });
    create_tables
        .chain(add_foreign_keys)
        .chain(create_views)
        .collect()
}

/// Views in an order where each comes after the views its query names.
/// "Names" is textual (a word equal to the view's name), which can only
/// over-approximate: an unneeded edge changes the order, never breaks it.
/// A cycle (impossible on a server) keeps name order for the rest.
fn views_in_dependency_order(views: &[View]) -> Vec<&View> {
    let mut pending: Vec<&View> = views.iter().collect();
    pending.sort_by(|a, b| a.name.cmp(&b.name));
    let mut ordered: Vec<&View> = Vec::with_capacity(pending.len());
    while !pending.is_empty() {
        let ready = pending.iter().position(|view| {
            pending
                .iter()
                .all(|other| other.name == view.name || !reads_view(view, &other.name))
        });
        ordered.push(pending.remove(ready.unwrap_or(0)));
    }
    ordered
}

/// True when the view's query mentions `name` as a whole word.
fn reads_view(view: &View, name: &str) -> bool {
    let Some(definition) = &view.definition else {
        return false;
    };
    definition
        .split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '$'))
        .any(|word| word.eq_ignore_ascii_case(name))
}

#[cfg(test)]
mod tests {
    use super::*;
    use driftwatch_model::{Column, ColumnType, FkAction, ForeignKey, Table};

    fn table(name: &str) -> Table {
        let mut table = Table::new(name);
        let mut id = Column::new(
            "id",
            ColumnType::parse("int").unwrap_or_else(|e| panic!("{e}")),
        );
        id.nullable = false;
        table.columns.push(id);
        table
    }

    fn view(name: &str, definition: Option<&str>) -> View {
        View {
            name: name.into(),
            definition: definition.map(str::to_string),
            source: None,
        }
    }

    #[test]
    fn foreign_keys_come_after_every_table_even_when_the_parent_sorts_later() {
        let mut child = table("a_child");
        child.foreign_keys.push(ForeignKey {
            name: "a_child_parent_fk".into(),
            columns: vec!["id".into()],
            referenced_table: "z_parent".into(),
            referenced_columns: vec!["id".into()],
            on_delete: FkAction::Cascade,
            on_update: FkAction::NoAction,
            source: None,
        });
        let schema = Schema {
            tables: vec![table("z_parent"), child],
            views: vec![],
        };
        let kinds: Vec<(String, Creates)> = create_schema(&schema, None)
            .into_iter()
            .map(|s| (s.object, s.creates))
            .collect();
        assert_eq!(
            kinds,
            vec![
                ("a_child".to_string(), Creates::Table),
                ("z_parent".to_string(), Creates::Table),
                ("a_child".to_string(), Creates::Nothing),
            ]
        );
    }

    #[test]
    fn a_view_comes_after_the_view_it_reads() {
        let schema = Schema {
            tables: vec![table("users")],
            views: vec![
                view("a_top", Some("select id from z_base")),
                view("z_base", Some("select id from users")),
                view("by_name_only", None),
            ],
        };
        let views: Vec<String> = create_schema(&schema, None)
            .into_iter()
            .filter(|s| s.creates == Creates::View)
            .map(|s| s.object)
            .collect();
        assert_eq!(views, vec!["z_base", "a_top"]);
    }
}
