//! What cannot be read is said, with file:line:column, and marks the table
//! incomplete; nothing is silently skipped.

mod common;
use common::*;

use driftwatch_drizzle::Level;

#[test]
fn syntax_error_is_reported_at_its_line_and_column() {
    let p = Project::new();
    p.file("schema.ts", "import { int } from 'drizzle-orm/mysql-core';\n\nexport const t = mysqlTable('t', {\n  id: int(,\n});\n");
    let out = p.read(&["schema.ts"], None);
    let error = errors(&out)[0];
    assert!(
        error.message.starts_with("syntax error"),
        "{}",
        error.message
    );
    assert_eq!((error.line, error.column), (4, 11));
    assert_eq!(error.file, p.root().join("schema.ts"));
    assert_eq!(error.offset, "import { int } from 'drizzle-orm/mysql-core';\n\nexport const t = mysqlTable('t', {\n  id: int(".len());
}

#[test]
fn tables_of_a_file_with_a_syntax_error_are_incomplete() {
    let out = read_ts(
        "export const users = mysqlTable('users', { id: int() });\nexport const posts = mysqlTable('posts', { id: int( });",
    );
    assert_eq!(out.incomplete_tables, vec!["posts", "users"]);
    assert!(out.schema.tables.is_empty());
}

#[test]
fn syntax_error_in_an_imported_file_is_reported_there_and_where_it_is_used() {
    let p = Project::new();
    p.file("users.ts", "export const users = {;\n");
    p.file(
        "schema.ts",
        &format!("{PRELUDE}import {{ users }} from './users';\nexport const posts = mysqlTable('posts', {{ u: int().references(() => users.id) }});"),
    );
    let out = p.read(&["schema.ts"], None);
    let files: Vec<std::path::PathBuf> = errors(&out).iter().map(|d| d.file.clone()).collect();
    assert!(files.contains(&p.root().join("users.ts")), "{files:?}");
    assert_eq!(out.incomplete_tables, vec!["posts"]);
}

#[test]
fn column_is_counted_in_characters_not_bytes() {
    let out = read_ts("export const t = mysqlTable('t', { /* äöü */ c: int().nope() });");
    let error = errors(&out)[0];
    assert_eq!(error.line, 3);
    assert_eq!(
        error.column,
        "export const t = mysqlTable('t', { /* äöü */ c: int()."
            .chars()
            .count() as u32
            + 1
    );
    assert_eq!(error.length, "nope".len());
}

#[test]
fn unknown_modifier_names_the_construct_and_the_table() {
    let out = read_ts("export const t = mysqlTable('t', { c: int().comment('x') });");
    let error = errors(&out)[0];
    assert!(
        error.message.contains("`.comment()`") && error.message.contains("`int()`"),
        "{}",
        error.message
    );
    assert_eq!(error.table.as_deref(), Some("t"));
    assert!(error.help.is_some());
}

#[test]
fn unknown_identifier_is_an_error() {
    let out = read_ts("export const t = mysqlTable('t', { c: varchar({ length: MAX_LEN }) });");
    assert_eq!(out.incomplete_tables, vec!["t"]);
    assert!(errors(&out)[0].message.contains("`MAX_LEN`"));
}

#[test]
fn reference_to_an_unknown_column_is_an_error() {
    let out = read_ts(
        "export const users = mysqlTable('users', { id: int() });\n\
         export const posts = mysqlTable('posts', { u: int().references(() => users.uuid) });",
    );
    assert_eq!(out.incomplete_tables, vec!["posts"]);
    assert!(errors(&out)[0].message.contains("no column `uuid`"));
}

#[test]
fn direct_circular_reference_is_an_error() {
    let out = read_ts("export const a = mysqlTable('a', { id: int().default(a.id as any) });");
    assert!(!errors(&out).is_empty());
    assert!(
        errors(&out)[0].message.contains("circular"),
        "{}",
        describe(&out.diagnostics)
    );
}

#[test]
fn warnings_do_not_make_a_table_incomplete() {
    let out = read_ts("export const t = mysqlTable('t', { c: mysqlEnum(['a(b)']) });");
    assert!(out.diagnostics.iter().all(|d| d.level == Level::Warning));
    assert!(out.incomplete_tables.is_empty());
}

#[test]
fn unreadable_schema_file_is_an_error() {
    let p = Project::new();
    let out = p.read(&["missing.ts"], None);
    assert_eq!(errors(&out).len(), 1);
    assert!(errors(&out)[0].message.contains("missing.ts"));
}

#[test]
fn deeply_nested_expression_is_an_error_not_a_crash() {
    let nested = format!("{}1{}", "(".repeat(5000), ")".repeat(5000));
    let out = read_ts(&format!(
        "export const t = mysqlTable('t', {{ c: int().default({nested}) }});"
    ));
    assert!(
        errors(&out)[0].message.contains("nested too deeply"),
        "{}",
        describe(&out.diagnostics)
    );
    assert_eq!(out.incomplete_tables, vec!["t"]);
}

#[test]
fn moderately_nested_expression_past_the_evaluator_limit_is_an_error() {
    let nested = format!("{}1{}", "(".repeat(300), ")".repeat(300));
    let out = read_ts(&format!(
        "export const t = mysqlTable('t', {{ c: int().default({nested}) }});"
    ));
    assert_eq!(out.incomplete_tables, vec!["t"]);
}

#[test]
fn self_recursive_table_creator_is_an_error_not_a_crash() {
    let out = read_ts(
        "import { mysqlTableCreator } from 'drizzle-orm/mysql-core';\n\
         const appTable = mysqlTableCreator((n) => appTable(n, {}));\nexport const t = appTable('x', { id: int() });",
    );
    assert!(
        errors(&out)[0].message.contains("too deeply"),
        "{}",
        describe(&out.diagnostics)
    );
}

#[test]
fn diagnostics_display_as_file_line_column() {
    let out = read_ts("export const t = mysqlTable('t', { c: int().nope() });");
    let text = errors(&out)[0].to_string();
    assert!(text.contains("schema.ts:3:"), "{text}");
    assert!(text.contains("error: unknown column modifier"), "{text}");
}
