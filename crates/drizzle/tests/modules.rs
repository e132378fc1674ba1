//! Imports, exports and multiple files: what drizzle-kit collects
//! (`Object.values(require(file))`, tables only, de-duplicated by identity).

mod common;
use common::*;

fn names(out: &driftwatch_drizzle::ReadOutput) -> Vec<&str> {
    out.schema.tables.iter().map(|t| t.name.as_str()).collect()
}

fn clean(out: &driftwatch_drizzle::ReadOutput) {
    assert!(out.diagnostics.is_empty(), "{}", describe(&out.diagnostics));
}

#[test]
fn aliased_imports_resolve_to_the_builders() {
    let p = Project::new();
    p.file(
        "schema.ts",
        "import { mysqlTable as table, int as integer, varchar as str } from 'drizzle-orm/mysql-core';\n\
         import { sql as raw } from 'drizzle-orm';\n\
         export const notes = table('notes', { id: integer().primaryKey(), title: str({ length: 9 }).default(raw`'x'`) });",
    );
    let out = p.read(&["schema.ts"], None);
    clean(&out);
    assert_eq!(column(&out, "notes", "title").ty.to_string(), "varchar(9)");
}

#[test]
fn namespace_imports_resolve_to_the_builders() {
    let p = Project::new();
    p.file(
        "schema.ts",
        "import * as m from 'drizzle-orm/mysql-core';\nimport * as orm from 'drizzle-orm';\n\
         export const c = m.mysqlTable('c', { id: m.int().primaryKey(), at: m.datetime({ fsp: 3 }).default(orm.sql`CURRENT_TIMESTAMP(3)`) }, (t) => [m.index('i').on(t.at)]);",
    );
    let out = p.read(&["schema.ts"], None);
    clean(&out);
    assert!(table(&out, "c").index("i").is_some());
}

#[test]
fn columns_callback_receives_every_builder() {
    let out = read_clean(
        "export const f = mysqlTable('f', (t) => ({ id: t.int().primaryKey(), name: t.varchar({ length: 5 }) }));",
    );
    assert_eq!(column(&out, "f", "name").ty.to_string(), "varchar(5)");
}

#[test]
fn non_exported_tables_are_ignored() {
    let out = read_clean(
        "const draft = mysqlTable('draft', { id: int() });\nexport const live = mysqlTable('live', { id: int() });\n\
         export const helpers = { draft };",
    );
    assert_eq!(names(&out), vec!["live"]);
}

#[test]
fn non_table_exports_are_ignored() {
    let out = read_clean(
        "export const PAGE_SIZE = 20;\nexport type Row = { id: number };\nexport function helper() { return 1; }\n\
         export const t = mysqlTable('t', { id: int() });\n\
         export const tRelations = relations(t, ({ many }) => ({ items: many(t) }));",
    );
    assert_eq!(names(&out), vec!["t"]);
}

#[test]
fn export_list_and_renamed_exports_count() {
    let out = read_clean(
        "const a = mysqlTable('a', { id: int() });\nconst b = mysqlTable('b', { id: int() });\nexport { a, b as bee };",
    );
    assert_eq!(names(&out), vec!["a", "b"]);
}

#[test]
fn default_exported_table_counts_like_drizzle_kit() {
    // drizzle-kit 0.31 requires the file through tsx: `default` is one of the
    // values of the module object (verified with `drizzle-kit generate`).
    let out = read_clean("export default mysqlTable('dflt', { id: int() });");
    assert_eq!(names(&out), vec!["dflt"]);
}

#[test]
fn a_table_exported_twice_counts_once() {
    let out =
        read_clean("export const a = mysqlTable('a', { id: int() });\nexport { a as alias };");
    assert_eq!(names(&out), vec!["a"]);
}

#[test]
fn two_tables_with_one_name_the_later_wins_with_a_warning() {
    let out = read_ts(
        "export const a = mysqlTable('same', { first: int() });\nexport const b = mysqlTable('same', { second: int() });",
    );
    assert!(errors(&out).is_empty());
    assert_eq!(out.diagnostics.len(), 1);
    assert!(table(&out, "same").column("second").is_some());
}

#[test]
fn references_across_files() {
    let p = Project::new();
    p.file(
        "users.ts",
        &format!(
            "{PRELUDE}export const users = mysqlTable('users', {{ id: int().primaryKey() }});"
        ),
    );
    p.file(
        "posts.ts",
        &format!(
            "{PRELUDE}import {{ users }} from './users';\n\
             export const posts = mysqlTable('posts', {{ userId: int().references(() => users.id) }});"
        ),
    );
    let out = p.read(&["posts.ts", "users.ts"], None);
    clean(&out);
    assert_eq!(names(&out), vec!["posts", "users"]);
    assert_eq!(
        table(&out, "posts").foreign_keys[0].referenced_table,
        "users"
    );
}

#[test]
fn imported_file_outside_the_schema_list_is_read_but_its_tables_are_not_collected() {
    let p = Project::new();
    p.file(
        "lib/users.ts",
        &format!(
            "{PRELUDE}export const users = mysqlTable('users', {{ id: int().primaryKey() }});"
        ),
    );
    p.file(
        "schema.ts",
        &format!(
            "{PRELUDE}import {{ users }} from './lib/users.js';\n\
             export const posts = mysqlTable('posts', {{ userId: int().references(() => users.id) }});"
        ),
    );
    let out = p.read(&["schema.ts"], None);
    clean(&out);
    assert_eq!(names(&out), vec!["posts"]);
    assert_eq!(
        table(&out, "posts").foreign_keys[0].referenced_table,
        "users"
    );
    assert_eq!(out.files.len(), 2);
}

#[test]
fn directory_import_resolves_to_index() {
    let p = Project::new();
    p.file(
        "db/index.ts",
        &format!("{PRELUDE}export const users = mysqlTable('users', {{ id: int() }});"),
    );
    p.file("schema.ts", "export * from './db';");
    let out = p.read(&["schema.ts"], None);
    clean(&out);
    assert_eq!(names(&out), vec!["users"]);
}

#[test]
fn star_re_exports_count() {
    let p = Project::new();
    p.file(
        "a.ts",
        &format!("{PRELUDE}export const a = mysqlTable('a', {{ id: int() }});"),
    );
    p.file(
        "b.ts",
        &format!("{PRELUDE}export const b = mysqlTable('b', {{ id: int() }});"),
    );
    p.file("index.ts", "export * from './a';\nexport * from './b';");
    let out = p.read(&["index.ts"], None);
    clean(&out);
    assert_eq!(names(&out), vec!["a", "b"]);
}

#[test]
fn named_re_exports_count() {
    let p = Project::new();
    p.file(
        "a.ts",
        &format!("{PRELUDE}export const a = mysqlTable('a', {{ id: int() }});\nexport const hidden = mysqlTable('h', {{ id: int() }});"),
    );
    p.file("index.ts", "export { a as renamed } from './a';");
    let out = p.read(&["index.ts"], None);
    clean(&out);
    assert_eq!(names(&out), vec!["a"]);
}

#[test]
fn same_table_through_two_schema_files_counts_once() {
    let p = Project::new();
    p.file(
        "users.ts",
        &format!("{PRELUDE}export const users = mysqlTable('users', {{ id: int() }});"),
    );
    p.file(
        "all.ts",
        "import { users } from './users';\nexport { users };",
    );
    let out = p.read(&["all.ts", "users.ts"], None);
    clean(&out);
    assert_eq!(names(&out), vec!["users"]);
}

#[test]
fn constants_imported_from_another_file_are_evaluated() {
    let p = Project::new();
    p.file(
        "consts.ts",
        "export const LEN = 64;\nexport const ROLES = ['a', 'b'] as const;",
    );
    p.file(
        "schema.ts",
        &format!(
            "{PRELUDE}import {{ LEN, ROLES }} from './consts';\n\
             export const t = mysqlTable('t', {{ name: varchar({{ length: LEN }}), role: mysqlEnum(ROLES) }});"
        ),
    );
    let out = p.read(&["schema.ts"], None);
    clean(&out);
    assert_eq!(column(&out, "t", "name").ty.to_string(), "varchar(64)");
}

#[test]
fn import_of_a_missing_file_is_an_error_for_the_table_using_it() {
    let out = read_ts(
        "import { users } from './nope';\nexport const posts = mysqlTable('posts', { userId: int().references(() => users.id) });",
    );
    assert_eq!(out.incomplete_tables, vec!["posts"]);
    assert!(errors(&out)[0].message.contains("./nope"));
}

#[test]
fn values_from_other_packages_are_ignored_outside_schema_positions() {
    let out = read_clean(
        "import { drizzle } from 'drizzle-orm/mysql2';\nimport mysql from 'mysql2/promise';\n\
         export const pool = mysql.createPool({ uri: 'x' });\nexport const db = drizzle(pool);\n\
         export const t = mysqlTable('t', { id: int() });",
    );
    assert_eq!(names(&out), vec!["t"]);
}

#[test]
fn values_from_other_packages_in_schema_positions_are_errors() {
    let out = read_ts(
        "import { LEN } from 'some-package';\nexport const t = mysqlTable('t', { c: varchar({ length: LEN }) });",
    );
    assert_eq!(out.incomplete_tables, vec!["t"]);
    assert!(errors(&out)[0].message.contains("some-package"));
}

#[test]
fn type_only_imports_are_ignored() {
    let out = read_clean(
        "import type { InferSelectModel } from 'drizzle-orm';\nimport { type AnyMySqlColumn } from 'drizzle-orm/mysql-core';\n\
         export const t = mysqlTable('t', { id: int().primaryKey(), p: int().references((): AnyMySqlColumn => t.id) });",
    );
    assert_eq!(table(&out, "t").foreign_keys.len(), 1);
}

#[test]
fn commonjs_module_exports_are_read() {
    let p = Project::new();
    p.file(
        "schema.js",
        "const { mysqlTable, int } = require('drizzle-orm/mysql-core');\n\
         const users = mysqlTable('users', { id: int() });\nmodule.exports = { users };",
    );
    let out = p.read(&["schema.js"], None);
    clean(&out);
    assert_eq!(names(&out), vec!["users"]);
}

#[test]
fn sources_point_at_the_table_call_and_column_property() {
    let out = read_clean("export const t = mysqlTable('t', {\n  id: int(),\n});");
    let t = table(&out, "t");
    let source = t.source.clone().unwrap_or_else(|| panic!("no source"));
    assert_eq!(
        (&*source.file, source.line, source.column),
        ("schema.ts", 3, 18)
    );
    let column_source = t.columns[0]
        .source
        .clone()
        .unwrap_or_else(|| panic!("no source"));
    assert_eq!((column_source.line, column_source.column), (4, 3));
}

#[test]
fn sources_of_nested_files_use_forward_slashes_relative_to_root() {
    let p = Project::new();
    p.file(
        "db/schema/users.ts",
        &format!("{PRELUDE}export const users = mysqlTable('users', {{ id: int() }});"),
    );
    let out = p.read(&["db/schema/users.ts"], None);
    assert_eq!(
        table(&out, "users").source.as_ref().map(|s| &*s.file),
        Some("db/schema/users.ts")
    );
}

#[test]
fn derived_values_from_other_packages_are_ignored_outside_schema_positions() {
    let out = read_clean(
        "import { createInsertSchema } from 'drizzle-zod';\nimport { getTableColumns } from 'drizzle-orm';\n\
         export const t = mysqlTable('t', { id: int() });\n\
         export const insertT = createInsertSchema(t).extend({ id: 1 }).omit({ id: true });\n\
         export const columns = getTableColumns(t);",
    );
    assert_eq!(names(&out), vec!["t"]);
}

#[test]
fn export_re_exported_from_a_package_is_an_error() {
    let out = read_ts(
        "export { users } from '@acme/db-schema';\nexport const t = mysqlTable('t', { id: int() });",
    );
    assert_eq!(errors(&out).len(), 1, "{}", describe(&out.diagnostics));
    assert!(errors(&out)[0].message.contains("@acme/db-schema"));
    assert_eq!(names(&out), vec!["t"]);
}

#[test]
fn star_export_from_a_package_is_an_error() {
    let out = read_ts("export * from '@acme/db-schema';");
    assert!(errors(&out)[0].message.contains("@acme/db-schema"));
}

#[test]
fn column_built_by_another_package_is_an_error() {
    let out = read_ts(
        "import { uuidColumn } from 'my-columns';\nexport const t = mysqlTable('t', { id: uuidColumn() });",
    );
    assert_eq!(out.incomplete_tables, vec!["t"]);
    assert!(
        errors(&out)[0].message.contains("my-columns"),
        "{}",
        describe(&out.diagnostics)
    );
}
