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
