//! The evaluator on the shapes real projects use: spreads, helper functions,
//! template literals, `Object.values`, customType, check, views, mysqlSchema,
//! tsconfig path aliases; and what still cannot be evaluated.

mod common;
use common::*;

use driftwatch_drizzle::Level;
use driftwatch_model::ColumnType;

#[test]
fn object_spread_of_shared_columns() {
    let out = read_clean(
        "const timestamps = { createdAt: timestamp('created_at').defaultNow().notNull(), \
         updatedAt: timestamp('updated_at').onUpdateNow() };\n\
         export const t = mysqlTable('t', { id: int().primaryKey(), ...timestamps });",
    );
    let t = table(&out, "t");
    let names: Vec<&str> = t.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, vec!["id", "created_at", "updated_at"]);
    assert!(column(&out, "t", "updated_at").on_update_now);
}

#[test]
fn spread_of_a_helper_result_gives_each_table_its_own_builders() {
    let out = read_clean(
        "const audit = () => ({ createdAt: timestamp().defaultNow(), note: varchar({ length: 20 }).unique() });\n\
         export const a = mysqlTable('a', { id: int(), ...audit() });\n\
         export const b = mysqlTable('b', { id: int(), ...audit() });",
    );
    assert!(table(&out, "a").index("a_note_unique").is_some());
    assert!(table(&out, "b").index("b_note_unique").is_some());
}

#[test]
fn array_spread_in_extra_config_and_call_arguments() {
    let out = read_clean(
        "const cols = (t: any) => [t.a, t.b];\n\
         const common = (t: any) => [index('t_a_idx').on(t.a)];\n\
         export const t = mysqlTable('t', { a: int(), b: int() }, (t) => [...common(t), uniqueIndex('t_ab').on(...cols(t))]);",
    );
    let t = table(&out, "t");
    assert!(t.index("t_a_idx").is_some());
    assert_eq!(
        t.index("t_ab").map(|i| i.column_names()),
        Some(vec!["a", "b"])
    );
}

#[test]
fn helper_functions_with_defaults_destructuring_and_closures() {
    let out = read_clean(
        "const LEN = 191;\n\
         function str(name: string, { length = LEN, nullable = false } = {}) {\n\
           const col = varchar(name, { length });\n\
           if (!nullable) { return col.notNull(); }\n\
           return col;\n\
         }\n\
         const id = () => bigint('id', { mode: 'number', unsigned: true }).autoincrement().primaryKey();\n\
         export const t = mysqlTable('t', { id: id(), a: str('a'), b: str('b', { length: 10, nullable: true }) });",
    );
    assert_eq!(
        column(&out, "t", "a").ty,
        ColumnType::parse("varchar(191)").unwrap_or_else(|e| panic!("{e}"))
    );
    assert!(!column(&out, "t", "a").nullable);
    assert!(column(&out, "t", "b").nullable);
    assert!(column(&out, "t", "id").auto_increment);
}

#[test]
fn helper_that_builds_a_table() {
    let out = read_clean(
        "function makeTable(name: string) { return mysqlTable(`app_${name}`, { id: int().primaryKey() }); }\n\
         export const t = makeTable('t');",
    );
    assert!(table(&out, "app_t").primary_key.is_some());
}

#[test]
fn template_literal_names_and_object_values_enums() {
    let out = read_clean(
        "const PREFIX = 'crm';\nconst Status = { A: 'active', B: 'blocked' } as const;\n\
         const KINDS = ['x', 'y'] as const;\n\
         export const t = mysqlTable(`${PREFIX}_t`, { s: mysqlEnum(`${PREFIX}_status`, Object.values(Status)), k: mysqlEnum(KINDS) }, \
         (t) => [index(`${PREFIX}_t_s_idx`).on(t.s)]);",
    );
    let t = table(&out, "crm_t");
    assert!(t.column("crm_status").is_some());
    assert!(t.index("crm_t_s_idx").is_some());
}

#[test]
fn custom_type_uses_what_data_type_returns() {
    let out = read_clean(
        "const money = customType<{ data: number; config: { precision?: number } }>({\n\
           dataType(config) {\n\
             if (config?.precision) { return `decimal(${config.precision},2)`; }\n\
             return 'decimal(10,2)';\n\
           },\n\
         });\n\
         const bytes = customType<{ data: Buffer }>({ dataType: () => 'LONGBLOB' });\n\
         export const t = mysqlTable('t', { a: money('a').notNull().default('1.00'), b: money({ precision: 12 }), c: bytes() });",
    );
    assert_eq!(
        column(&out, "t", "a").ty,
        ColumnType::parse("decimal(10,2)").unwrap_or_else(|e| panic!("{e}"))
    );
    assert!(!column(&out, "t", "a").nullable);
    assert!(column(&out, "t", "a").default.is_some());
    assert_eq!(
        column(&out, "t", "b").ty,
        ColumnType::parse("decimal(12,2)").unwrap_or_else(|e| panic!("{e}"))
    );
    assert_eq!(
        column(&out, "t", "c").ty,
        ColumnType::parse("LONGBLOB").unwrap_or_else(|e| panic!("{e}"))
    );
}

#[test]
fn check_expression_is_unqualified_and_normalized() {
    let out = read_clean(
        "export const t = mysqlTable('t', { age: int() }, (t) => [check('age_positive', sql`${t.age} > 0`)]);",
    );
    let check = &table(&out, "t").checks[0];
    assert_eq!(check.name, "age_positive");
    assert_eq!(
        check.expression,
        driftwatch_model::expr::normalize("`age` > 0")
    );
}

#[test]
fn views_sql_query_builder_and_existing() {
    let out = read_clean(
        "export const users = mysqlTable('users', { id: int(), name: text() });\n\
         export const a = mysqlView('a', { id: int() }).as(sql`select ${users.id} from ${users}`);\n\
         export const b = mysqlView('b', { id: int() }).algorithm('merge').as(sql`select 1`);\n\
         export const c = mysqlView('c').as((qb) => qb.select().from(users));\n\
         export const d = mysqlView('d', { id: int() }).existing();\n\
         const hidden = mysqlView('hidden', {}).as(sql`select 2`);",
    );
    let names: Vec<&str> = out.schema.views.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(names, vec!["a", "b", "c"]);
    assert_eq!(
        out.schema.views[0].definition.as_deref(),
        Some(driftwatch_model::expr::normalize("select `users`.`id` from `users`").as_str())
    );
    assert_eq!(out.schema.views[2].definition, None);
}

#[test]
fn sql_view_without_columns_throws_in_drizzle() {
    let out = read_ts("export const v = mysqlView('v').as(sql`select 1`);");
    let error = errors(&out)[0];
    assert!(
        error.message.contains("getSelectedFields"),
        "{}",
        error.message
    );
    assert!(out.schema.views.is_empty());
}

#[test]
fn mysql_schema_tables_are_left_out_with_a_warning() {
    let out = read_ts(
        "import { mysqlSchema } from 'drizzle-orm/mysql-core';\nconst s = mysqlSchema('other');\n\
         export const t = s.table('t', { id: int() });\nexport const u = mysqlTable('u', { id: int() });",
    );
    assert!(errors(&out).is_empty(), "{}", describe(&out.diagnostics));
    assert!(out.schema.table("t").is_none());
    assert!(out.schema.table("u").is_some());
    let warning = &out.diagnostics[0];
    assert_eq!(warning.level, Level::Warning);
    assert!(warning.message.contains("mysqlSchema('other')"));
    assert_eq!(warning.line, 5);
}

#[test]
fn char_and_varchar_enum_option_is_type_only() {
    let out = read_clean(
        "export const t = mysqlTable('t', { a: char({ length: 2, enum: ['ab', 'cd'] }), b: varchar({ length: 5, enum: ['x'] }) });",
    );
    assert_eq!(
        column(&out, "t", "a").ty,
        ColumnType::parse("char(2)").unwrap_or_else(|e| panic!("{e}"))
    );
}

#[test]
fn tsconfig_paths_and_barrel_index() {
    let p = Project::new();
    p.file(
        "tsconfig.base.json",
        "{\n  // shared\n  \"compilerOptions\": { \"baseUrl\": \".\", \"paths\": { \"@db/*\": [\"src/db/*\"], },},\n}",
    );
    p.file("tsconfig.json", "{ \"extends\": \"./tsconfig.base.json\" }");
    p.file(
        "src/db/columns.ts",
        "import { timestamp } from 'drizzle-orm/mysql-core';\nexport const timestamps = { createdAt: timestamp().defaultNow() };",
    );
    p.file(
        "src/db/schema/users.ts",
        "import { int, mysqlTable } from 'drizzle-orm/mysql-core';\nimport { timestamps } from '@db/columns';\n\
         export const users = mysqlTable('users', { id: int().primaryKey(), ...timestamps });",
    );
    p.file("src/db/schema/index.ts", "export * from './users';\n");
    p.file(
        "src/db/main.ts",
        "export * from '@db/schema';\nimport { users } from '@db/schema';\nimport { int, mysqlTable } from 'drizzle-orm/mysql-core';\n\
         export const posts = mysqlTable('posts', { u: int().references(() => users.id) });",
    );
    let out = p.read(&["src/db/main.ts"], None);
    assert!(out.diagnostics.is_empty(), "{}", describe(&out.diagnostics));
    assert!(out.schema.table("users").is_some());
    assert!(column(&out, "users", "createdAt").default.is_some());
    assert_eq!(table(&out, "posts").foreign_keys.len(), 1);
}

#[test]
fn condition_on_a_runtime_value_is_an_error_at_the_condition() {
    let out = read_ts(
        "export const t = mysqlTable('t', {\n  id: int(),\n  ...(process.env.WITH_X ? { x: int() } : {}),\n});",
    );
    assert_eq!(out.incomplete_tables, vec!["t"]);
    let error = errors(&out)[0];
    assert_eq!((error.line, error.column), (5, 7));
    assert!(error.message.contains("runtime value"), "{}", error.message);
    assert!(table(&out, "t").column("id").is_some());
}

#[test]
fn module_level_loop_is_an_error() {
    let out = read_ts(
        "export const tables: any = {};\nfor (const n of ['a', 'b']) {\n  tables[n] = mysqlTable(n, { id: int() });\n}",
    );
    let error = errors(&out)[0];
    assert_eq!((error.line, error.column), (4, 1));
    assert!(error.message.contains("a loop"), "{}", error.message);
}

#[test]
fn array_and_object_helpers_build_columns() {
    let out = read_clean(
        "const NAMES = ['a', 'b'] as const;\n\
         const Status = { On: 'on', Off: 'off' } as const;\n\
         const cols = Object.fromEntries(NAMES.map((n) => [n, int(`${n}_id`)]));\n\
         export const t = mysqlTable(['x', 'y'].join('_'), {\n\
           ...cols,\n\
           s: mysqlEnum(Object.keys(Status).map((k) => k.toLowerCase())),\n\
           ...Object.assign({}, { z: int() }),\n\
         });",
    );
    let t = table(&out, "x_y");
    let names: Vec<&str> = t.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(names, vec!["a_id", "b_id", "s", "z"]);
}

#[test]
fn module_level_destructuring_of_a_helper_result() {
    let out = read_clean(
        "const make = () => ({ id: int('id').primaryKey(), parts: [varchar({ length: 5 }), text()] });\n\
         const { id, parts: [code] } = make();\n\
         export const t = mysqlTable('t', { id, code });",
    );
    assert!(table(&out, "t").primary_key.is_some());
    assert_eq!(
        column(&out, "t", "code").ty,
        ColumnType::parse("varchar(5)").unwrap_or_else(|e| panic!("{e}"))
    );
}

#[test]
fn custom_type_with_a_switch_on_its_config() {
    let out = read_clean(
        "const blob = customType<{ data: Buffer; config: { size?: 'tiny' | 'medium' | 'long' } }>({\n\
           dataType(config) {\n\
             switch (config?.size) {\n\
               case 'tiny': return 'tinyblob';\n\
               case 'medium':\n\
               case 'long': { const size = config?.size; return `${size}blob`; }\n\
               default: return 'blob';\n\
             }\n\
           },\n\
         });\n\
         export const t = mysqlTable('t', { a: blob({ size: 'medium' }), b: blob(), c: blob({ size: 'tiny' }) });",
    );
    let ty = |c: &str| column(&out, "t", c).ty.clone();
    let parse = |t: &str| ColumnType::parse(t).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(ty("a"), parse("mediumblob"));
    assert_eq!(ty("b"), parse("blob"));
    assert_eq!(ty("c"), parse("tinyblob"));
}

#[test]
fn a_loop_in_a_helper_is_an_error_in_the_helper() {
    let out = read_ts(
        "function cols(names: string[]) {\n  const out: any = {};\n  for (const n of names) out[n] = int();\n  return out;\n}\n\
         export const t = mysqlTable('t', { id: int(), ...cols(['a']) });",
    );
    let error = errors(&out)[0];
    assert_eq!((error.line, error.column), (5, 3));
    assert!(
        error.message.contains("a loop in a function body"),
        "{}",
        error.message
    );
    assert_eq!(out.incomplete_tables, vec!["t"]);
}

#[test]
fn a_view_reexported_by_a_barrel_counts_once() {
    let p = Project::new();
    p.file(
        "views.ts",
        &format!("{PRELUDE}export const v = mysqlView('v', {{ id: int() }}).as(sql`select 1`);"),
    );
    p.file("index.ts", "export * from './views';\n");
    let out = p.read(&["index.ts", "views.ts"], None);
    assert!(out.diagnostics.is_empty(), "{}", describe(&out.diagnostics));
    assert_eq!(out.schema.views.len(), 1);
}

#[test]
fn a_modifier_called_as_a_statement_in_a_helper_changes_the_builder() {
    let out = read_clean(
        "function str(name: string) {\n  const c = varchar(name, { length: 10 });\n  c.notNull();\n  console.log('made', name);\n  return c;\n}\n\
         export const t = mysqlTable('t', { a: str('a') });",
    );
    assert!(!column(&out, "t", "a").nullable);
}
