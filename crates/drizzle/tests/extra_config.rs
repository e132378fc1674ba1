//! The third argument of `mysqlTable` (reference §5), in both forms.

mod common;
use common::*;

use driftwatch_model::FkAction;

const PEOPLE: &str = "export const people = mysqlTable('people', {\n  \
    id: int().primaryKey(),\n  email: varchar({ length: 99 }).notNull(),\n  \
    first: varchar({ length: 99 }),\n  last: varchar({ length: 99 }),\n}";

fn with_extra(extra: &str) -> driftwatch_drizzle::ReadOutput {
    read_clean(&format!("{PEOPLE}, {extra});"))
}

#[test]
fn array_form_declares_indexes() {
    let out = with_extra("(t) => [index('people_name_idx').on(t.last, t.first)]");
    let index = table(&out, "people")
        .index("people_name_idx")
        .unwrap_or_else(|| panic!("no index"));
    assert!(!index.unique);
    assert_eq!(index.column_names(), vec!["last", "first"]);
}

#[test]
fn object_form_declares_indexes_and_ignores_keys() {
    let out = with_extra("(t) => ({ byEmail: uniqueIndex('people_email_idx').on(t.email) })");
    assert!(
        table(&out, "people")
            .index("people_email_idx")
            .is_some_and(|i| i.unique)
    );
}

#[test]
fn any_parameter_name_works() {
    let out = with_extra("(table) => [index('i').on(table.email)]");
    assert!(table(&out, "people").index("i").is_some());
}

#[test]
fn block_body_with_return_works() {
    let out = with_extra("(t) => { const first = t.first; return [index('i').on(first)]; }");
    assert!(table(&out, "people").index("i").is_some());
}

#[test]
fn nested_arrays_are_flattened_one_level() {
    let out = with_extra(
        "(t) => [[index('a').on(t.first), index('b').on(t.last)], index('c').on(t.email)]",
    );
    let names: Vec<&str> = table(&out, "people")
        .indexes
        .iter()
        .map(|i| i.name.as_str())
        .collect();
    assert_eq!(names, vec!["a", "b", "c"]);
}

#[test]
fn index_using_algorithm_and_lock_are_accepted_and_ignored() {
    let out = with_extra(
        "(t) => [index('i').on(t.email).using('btree').algorithm('inplace').lock('none')]",
    );
    assert!(
        table(&out, "people")
            .index("i")
            .is_some_and(|i| i.kind.is_none())
    );
}

#[test]
fn unique_constraint_with_name() {
    let out = with_extra("(t) => [unique('people_email_uq').on(t.email)]");
    assert!(
        table(&out, "people")
            .index("people_email_uq")
            .is_some_and(|i| i.unique)
    );
}

#[test]
fn unique_constraint_without_name_gets_the_default_name() {
    let out = with_extra("(t) => [unique().on(t.first, t.last)]");
    assert!(
        table(&out, "people")
            .index("people_first_last_unique")
            .is_some()
    );
}

#[test]
fn composite_primary_key_makes_columns_not_null() {
    let out = read_clean(
        "export const m = mysqlTable('m', { a: int(), b: int() }, (t) => [primaryKey({ columns: [t.a, t.b], name: 'x' })]);",
    );
    assert_eq!(
        table(&out, "m")
            .primary_key
            .as_ref()
            .map(|p| p.columns.len()),
        Some(2)
    );
    assert!(table(&out, "m").columns.iter().all(|c| !c.nullable));
}

#[test]
fn legacy_primary_key_arguments_are_columns() {
    let out = read_clean(
        "export const m = mysqlTable('m', { a: int(), b: int() }, (t) => ({ pk: primaryKey(t.a, t.b) }));",
    );
    assert_eq!(
        table(&out, "m")
            .primary_key
            .as_ref()
            .map(|p| p.columns.clone()),
        Some(vec!["a".to_string(), "b".to_string()])
    );
}

#[test]
fn second_primary_key_is_dropped_with_a_warning() {
    let out = read_ts(
        "export const m = mysqlTable('m', { a: int().primaryKey(), b: int() }, (t) => [primaryKey({ columns: [t.b] })]);",
    );
    assert!(errors(&out).is_empty());
    assert_eq!(out.diagnostics.len(), 1);
    assert_eq!(
        table(&out, "m")
            .primary_key
            .as_ref()
            .map(|p| p.columns.clone()),
        Some(vec!["a".to_string()])
    );
}

#[test]
fn foreign_key_with_actions_chained() {
    let out = read_clean(
        "export const teams = mysqlTable('teams', { id: int().primaryKey() });\n\
         export const members = mysqlTable('members', { teamId: int() }, (t) => [\n  \
         foreignKey({ columns: [t.teamId], foreignColumns: [teams.id] }).onDelete('cascade').onUpdate('restrict'),\n]);",
    );
    let fk = &table(&out, "members").foreign_keys[0];
    assert_eq!(fk.name, "members_teamId_teams_id_fk");
    assert_eq!(
        (fk.on_delete, fk.on_update),
        (FkAction::Cascade, FkAction::Restrict)
    );
}

#[test]
fn self_referencing_composite_foreign_key() {
    let out = read_clean(
        "export const v = mysqlTable('v', { id: int(), ver: int(), prevId: int(), prevVer: int() }, (t) => [\n  \
         primaryKey({ columns: [t.id, t.ver] }),\n  \
         foreignKey({ columns: [t.prevId, t.prevVer], foreignColumns: [t.id, t.ver] }),\n]);",
    );
    let fk = &table(&out, "v").foreign_keys[0];
    assert_eq!(fk.referenced_table, "v");
    assert_eq!(fk.referenced_columns, vec!["id", "ver"]);
}

#[test]
fn index_on_an_sql_expression_is_an_expression_part() {
    let out = with_extra("(t) => [index('lower_email').on(sql`(lower(${t.email}))`)]");
    let index = table(&out, "people")
        .index("lower_email")
        .unwrap_or_else(|| panic!("no index"));
    assert!(index.parts[0].is_expression);
    assert_eq!(index.parts[0].column, "lower(email)");
}

#[test]
fn index_without_on_is_an_error() {
    let out = read_ts(&format!("{PEOPLE}, (t) => [index('i')]);"));
    assert_eq!(out.incomplete_tables, vec!["people"]);
}

#[test]
fn duplicate_index_names_are_an_error() {
    let out = read_ts(&format!(
        "{PEOPLE}, (t) => [index('i').on(t.first), uniqueIndex('i').on(t.last)]);"
    ));
    assert_eq!(out.incomplete_tables, vec!["people"]);
    assert!(errors(&out)[0].message.contains("`i`"));
}

#[test]
fn unknown_column_in_extra_config_is_an_error() {
    let out = read_ts(&format!("{PEOPLE}, (t) => [index('i').on(t.nope)]);"));
    assert_eq!(out.incomplete_tables, vec!["people"]);
    assert!(errors(&out)[0].message.contains("no column `nope`"));
}

#[test]
fn extra_config_entries_that_are_not_constraints_are_errors() {
    let out = read_ts(&format!("{PEOPLE}, (t) => [42]);"));
    assert_eq!(out.incomplete_tables, vec!["people"]);
}

#[test]
fn false_null_and_undefined_entries_are_skipped_like_drizzle_orm() {
    // `getTableConfig` (drizzle-orm/src/mysql-core/utils.ts) keeps only builders.
    let out = read_clean(&format!(
        "{PEOPLE}, (t) => [false && index('never').on(t.id), undefined, null, index('i').on(t.id)]);"
    ));
    let names: Vec<&str> = table(&out, "people")
        .indexes
        .iter()
        .map(|i| i.name.as_str())
        .collect();
    assert_eq!(names, vec!["i"]);
}

#[test]
fn arrays_inside_the_object_form_are_ignored_with_a_warning() {
    // The object form is read with `Object.values(extraConfig)`, not flattened.
    let out = read_ts(&format!(
        "{PEOPLE}, (t) => ({{ both: [index('a').on(t.id)], one: index('b').on(t.id) }}));"
    ));
    assert!(errors(&out).is_empty(), "{}", describe(&out.diagnostics));
    assert_eq!(out.diagnostics.len(), 1);
    assert!(table(&out, "people").index("a").is_none());
    assert!(table(&out, "people").index("b").is_some());
}
