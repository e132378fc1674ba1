//! Column names (explicit vs key-derived), `casing`, and the default names
//! of constraints (reference §2.1, §4, §5).

mod common;
use common::*;

use driftwatch_drizzle::Casing;

fn column_names(out: &driftwatch_drizzle::ReadOutput, t: &str) -> Vec<String> {
    table(out, t)
        .columns
        .iter()
        .map(|c| c.name.clone())
        .collect()
}

#[test]
fn explicit_name_is_used_verbatim() {
    let out = read_clean(
        "export const t = mysqlTable('t', { fullName: varchar('full_name', { length: 9 }) });",
    );
    assert_eq!(column_names(&out, "t"), vec!["full_name"]);
}

#[test]
fn missing_name_uses_the_object_key() {
    let out = read_clean("export const t = mysqlTable('t', { bioText: text() });");
    assert_eq!(column_names(&out, "t"), vec!["bioText"]);
}

#[test]
fn empty_name_uses_the_object_key() {
    let out = read_clean("export const t = mysqlTable('t', { score: int('') });");
    assert_eq!(column_names(&out, "t"), vec!["score"]);
}

#[test]
fn quoted_and_numeric_keys_are_names_too() {
    let out =
        read_clean("export const t = mysqlTable('t', { 'my-col': int(), 2: int(), 1: int() });");
    assert_eq!(column_names(&out, "t"), vec!["1", "2", "my-col"]);
}

#[test]
fn snake_case_converts_key_derived_names() {
    let out = read_ts_with(
        "export const t = mysqlTable('t', { firstName: int(), userID: int(), HTMLParser: int(), address2Line: int() });",
        Some(Casing::SnakeCase),
    );
    assert_eq!(
        column_names(&out, "t"),
        vec!["first_name", "user_id", "html_parser", "address2_line"]
    );
}

#[test]
fn camel_case_converts_key_derived_names() {
    let out = read_ts_with(
        "export const t = mysqlTable('t', { first_name: int(), UserName: int() });",
        Some(Casing::CamelCase),
    );
    assert_eq!(column_names(&out, "t"), vec!["firstName", "userName"]);
}

#[test]
fn casing_never_changes_explicit_names() {
    let out = read_ts_with(
        "export const t = mysqlTable('t', { keptAsIs: int('keptAsIs') });",
        Some(Casing::SnakeCase),
    );
    assert_eq!(column_names(&out, "t"), vec!["keptAsIs"]);
}

#[test]
fn casing_never_changes_table_names() {
    let out = read_ts_with(
        "export const t = mysqlTable('userAccounts', { id: int() });",
        Some(Casing::SnakeCase),
    );
    assert!(out.schema.table("userAccounts").is_some());
}

#[test]
fn column_unique_default_name_uses_the_uncased_key() {
    let out = read_ts_with(
        "export const t = mysqlTable('user_accounts', { emailAddress: varchar({ length: 9 }).unique() });",
        Some(Casing::SnakeCase),
    );
    let index = table(&out, "user_accounts")
        .index("user_accounts_emailAddress_unique")
        .unwrap_or_else(|| panic!("{:?}", table(&out, "user_accounts").indexes));
    assert_eq!(index.column_names(), vec!["email_address"]);
}

#[test]
fn unique_constraint_default_name_uses_the_uncased_keys() {
    let out = read_ts_with(
        "export const t = mysqlTable('t', { firstName: int(), lastName: int() }, (t) => [unique().on(t.firstName, t.lastName)]);",
        Some(Casing::SnakeCase),
    );
    let index = table(&out, "t")
        .index("t_firstName_lastName_unique")
        .unwrap_or_else(|| panic!("no unique"));
    assert_eq!(index.column_names(), vec!["first_name", "last_name"]);
}

#[test]
fn foreign_key_default_name_uses_cased_column_names() {
    let out = read_ts_with(
        "export const users = mysqlTable('user_accounts', { userID: int().primaryKey() });\n\
         export const members = mysqlTable('group_members', { memberUserId: int().references(() => users.userID) });",
        Some(Casing::SnakeCase),
    );
    let fk = &table(&out, "group_members").foreign_keys[0];
    assert_eq!(
        fk.name,
        "group_members_member_user_id_user_accounts_user_id_fk"
    );
    assert_eq!(fk.columns, vec!["member_user_id"]);
    assert_eq!(fk.referenced_columns, vec!["user_id"]);
}

#[test]
fn foreign_key_default_name_without_casing_uses_keys() {
    let out = read_clean(
        "export const users = mysqlTable('users', { id: int().primaryKey() });\n\
         export const posts = mysqlTable('posts', { authorId: int().references(() => users.id) });",
    );
    assert_eq!(
        table(&out, "posts").foreign_keys[0].name,
        "posts_authorId_users_id_fk"
    );
}

#[test]
fn composite_foreign_key_default_name_lists_every_column() {
    let out = read_clean(
        "export const a = mysqlTable('a', { x: int(), y: int() }, (t) => [primaryKey({ columns: [t.x, t.y] })]);\n\
         export const b = mysqlTable('b', { ax: int(), ay: int() }, (t) => [foreignKey({ columns: [t.ax, t.ay], foreignColumns: [a.x, a.y] })]);",
    );
    assert_eq!(table(&out, "b").foreign_keys[0].name, "b_ax_ay_a_x_y_fk");
}

#[test]
fn explicit_foreign_key_name_is_used() {
    let out = read_clean(
        "export const a = mysqlTable('a', { id: int().primaryKey() });\n\
         export const b = mysqlTable('b', { aId: int() }, (t) => [foreignKey({ columns: [t.aId], foreignColumns: [a.id], name: 'b_a_fk' })]);",
    );
    assert_eq!(table(&out, "b").foreign_keys[0].name, "b_a_fk");
}

#[test]
fn composite_primary_key_columns_use_cased_names() {
    let out = read_ts_with(
        "export const t = mysqlTable('t', { groupId: int(), memberId: int() }, (t) => [primaryKey({ columns: [t.groupId, t.memberId] })]);",
        Some(Casing::SnakeCase),
    );
    assert_eq!(
        table(&out, "t")
            .primary_key
            .as_ref()
            .map(|pk| pk.columns.clone()),
        Some(vec!["group_id".to_string(), "member_id".to_string()])
    );
}

#[test]
fn table_creator_maps_the_table_name_everywhere() {
    let out = read_clean(
        "import { mysqlTableCreator } from 'drizzle-orm/mysql-core';\n\
         const appTable = mysqlTableCreator((name) => `app_${name}`);\n\
         export const widgets = appTable('widgets', { id: int().primaryKey(), name: varchar({ length: 9 }).unique() });",
    );
    assert!(
        table(&out, "app_widgets")
            .index("app_widgets_name_unique")
            .is_some()
    );
}

// drizzle-orm's column builders are mutable objects: modifiers change the
// builder and return it, `mysqlTable` names a builder that has no name after
// its key (`setName`, drizzle-orm/src/column-builder.ts) and each table copies
// the config as it is when the table is made (drizzle-orm/src/column.ts).

#[test]
fn a_builder_shared_by_two_tables_keeps_the_name_of_its_first_key() {
    let out = read_clean(
        "const shared = varchar({ length: 10 });\n\
         export const a = mysqlTable('a', { firstKey: shared });\n\
         export const b = mysqlTable('b', { secondKey: shared });",
    );
    assert_eq!(column_names(&out, "b"), vec!["firstKey"]);
}

#[test]
fn a_shared_builder_name_from_a_key_is_still_cased() {
    let out = read_ts_with(
        "const shared = varchar({ length: 10 });\n\
         export const a = mysqlTable('a', { firstKey: shared });\n\
         export const b = mysqlTable('b', { secondKey: shared });",
        Some(Casing::SnakeCase),
    );
    assert_eq!(column_names(&out, "b"), vec!["first_key"]);
}

#[test]
fn a_modifier_on_a_shared_builder_changes_the_tables_made_after_it_only() {
    let out = read_clean(
        "const shared = varchar({ length: 10 });\n\
         export const first = mysqlTable('first', { c: shared });\n\
         export const second = mysqlTable('second', { c: shared.notNull() });\n\
         export const third = mysqlTable('third', { c: shared });",
    );
    let nullable = |t: &str| column(&out, t, "c").nullable;
    assert!(nullable("first"));
    assert!(!nullable("second"));
    assert!(!nullable("third"));
}

#[test]
fn tables_sharing_a_builder_see_each_modifier_made_before_them() {
    // Tables that take an unchanged shared builder share one copy of it; a
    // modifier makes the next table take a new copy.
    let out = read_clean(
        "const shared = int();\n\
         export const a = mysqlTable('a', { c: shared });\n\
         export const b = mysqlTable('b', { c: shared });\n\
         export const c = mysqlTable('c', { c: shared.notNull() });\n\
         export const d = mysqlTable('d', { c: shared.default(5) });\n\
         export const e = mysqlTable('e', { c: shared });",
    );
    let nullable = |t: &str| column(&out, t, "c").nullable;
    let has_default = |t: &str| column(&out, t, "c").default.is_some();
    assert!(nullable("a") && nullable("b"));
    assert!(!nullable("c") && !nullable("d") && !nullable("e"));
    assert!(!has_default("a") && !has_default("b") && !has_default("c"));
    assert!(has_default("d") && has_default("e"));
}

#[test]
fn exported_tables_are_made_in_source_order_not_export_name_order() {
    // `zeta` runs first in the file, so `alpha`'s `.notNull()` comes too late for it.
    let out = read_clean(
        "const shared = int();\n\
         export const zeta = mysqlTable('zeta', { c: shared });\n\
         export const alpha = mysqlTable('alpha', { c: shared.notNull() });",
    );
    assert!(column(&out, "zeta", "c").nullable);
    assert!(!column(&out, "alpha", "c").nullable);
}

#[test]
fn a_shared_unique_builder_keeps_the_unique_name_of_its_first_table() {
    let out = read_clean(
        "const code = int().unique();\n\
         export const a = mysqlTable('a', { code });\n\
         export const b = mysqlTable('b', { code });",
    );
    assert!(table(&out, "b").index("a_code_unique").is_some());
}

#[test]
fn two_columns_with_one_name_keep_the_later_in_the_place_of_the_first() {
    // drizzle-kit's serializer writes `columnsObject[name] = column`
    // (drizzle-kit/src/serializer/mysqlSerializer.ts).
    let out = read_ts(
        "export const t = mysqlTable('t', { x1: int('x'), mid: int(), x2: varchar('x', { length: 5 }) });",
    );
    assert!(errors(&out).is_empty(), "{}", describe(&out.diagnostics));
    assert_eq!(column_names(&out, "t"), vec!["x", "mid"]);
    assert_eq!(
        column(&out, "t", "x").ty,
        driftwatch_model::ColumnType::Varchar { length: 5 }
    );
    assert_eq!(out.diagnostics.len(), 1);
}

#[test]
fn keys_that_case_to_one_name_are_one_column() {
    let out = read_ts_with(
        "export const t = mysqlTable('t', { userId: int(), user_id: text() });",
        Some(Casing::SnakeCase),
    );
    assert_eq!(column_names(&out, "t"), vec!["user_id"]);
    assert_eq!(
        column(&out, "t", "user_id").ty,
        driftwatch_model::ColumnType::parse("text").unwrap_or_else(|e| panic!("{e}"))
    );
}
