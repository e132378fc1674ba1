//! Column modifiers and default values (reference §4, §4.1).

mod common;
use common::*;

use driftwatch_model::{DefaultValue, FkAction};

fn default_of(builder: &str) -> Option<DefaultValue> {
    one_column(builder).default
}

fn literal(text: &str) -> Option<DefaultValue> {
    Some(DefaultValue::Literal(text.into()))
}

fn number(text: &str) -> Option<DefaultValue> {
    Some(DefaultValue::Number(text.into()))
}

#[test]
fn not_null_makes_the_column_not_nullable() {
    assert!(!one_column("int().notNull()").nullable);
}

#[test]
fn primary_key_makes_the_column_the_table_primary_key_and_not_null() {
    let out = read_clean("export const t = mysqlTable('t', { id: int().primaryKey() });");
    assert_eq!(
        table(&out, "t")
            .primary_key
            .as_ref()
            .map(|pk| pk.columns.clone()),
        Some(vec!["id".to_string()])
    );
    assert!(!column(&out, "t", "id").nullable);
}

#[test]
fn autoincrement_sets_auto_increment() {
    assert!(one_column("int().autoincrement()").auto_increment);
}

#[test]
fn string_default_is_a_literal() {
    assert_eq!(
        default_of("varchar({ length: 9 }).default(\"it's\")"),
        literal("it's")
    );
}

#[test]
fn string_default_on_decimal_is_compared_as_a_number() {
    assert_eq!(
        default_of("decimal({ precision: 12, scale: 4 }).default('1.50')"),
        number("1.5000")
    );
}

#[test]
fn number_default_is_a_number() {
    assert_eq!(default_of("int().default(42)"), number("42"));
}

#[test]
fn negative_number_default_is_a_number() {
    assert_eq!(default_of("int().default(-7)"), number("-7"));
}

#[test]
fn float_default_prints_as_javascript_does() {
    assert_eq!(default_of("double().default(3.25)"), number("3.25"));
}

#[test]
fn boolean_default_true_is_1_and_false_is_0() {
    assert_eq!(default_of("boolean().default(true)"), number("1"));
    assert_eq!(default_of("boolean().default(false)"), number("0"));
}

#[test]
fn null_default_on_not_null_column_is_null() {
    assert_eq!(
        default_of("varchar({ length: 5 }).notNull().default(null)"),
        Some(DefaultValue::Null)
    );
}

#[test]
fn null_default_on_nullable_column_is_no_default() {
    assert_eq!(default_of("varchar({ length: 5 }).default(null)"), None);
}

#[test]
fn json_object_default_is_json_stringify_text() {
    assert_eq!(
        default_of("json().default({ theme: 'dark', size: 20, beta: false, tags: ['a'] })"),
        literal(r#"{"theme":"dark","size":20,"beta":false,"tags":["a"]}"#)
    );
}

#[test]
fn json_array_default_is_json_stringify_text() {
    assert_eq!(default_of("json().default([])"), literal("[]"));
    assert_eq!(
        default_of("json().default([[1, 2], [3.5]])"),
        literal("[[1,2],[3.5]]")
    );
}

#[test]
fn json_string_default_is_the_string_itself() {
    assert_eq!(default_of("json().default('x')"), literal("x"));
}

#[test]
fn json_null_default_is_the_text_null() {
    assert_eq!(default_of("json().default(null)"), literal("null"));
}

#[test]
fn date_default_on_date_column_is_the_utc_day() {
    assert_eq!(
        default_of("date().default(new Date('2024-01-02T23:04:05Z'))"),
        literal("2024-01-02")
    );
}

#[test]
fn date_default_on_datetime_column_is_utc_with_milliseconds() {
    assert_eq!(
        default_of("datetime({ fsp: 3 }).default(new Date('2024-01-02T03:04:05.678Z'))"),
        literal("2024-01-02 03:04:05.678")
    );
}

#[test]
fn date_default_on_a_time_column_is_dropped_with_a_warning() {
    let out =
        read_ts("export const t = mysqlTable('t', { c: time().default(new Date('2024-01-02')) });");
    assert!(errors(&out).is_empty());
    assert_eq!(out.diagnostics.len(), 1);
    assert_eq!(column(&out, "t", "c").default, None);
}

#[test]
fn date_time_without_zone_is_assumed_utc_with_a_warning() {
    let out = read_ts(
        "export const t = mysqlTable('t', { c: datetime().default(new Date('2024-01-02T03:04:05')) });",
    );
    assert!(errors(&out).is_empty());
    assert_eq!(out.diagnostics.len(), 1);
    assert_eq!(
        column(&out, "t", "c").default,
        literal("2024-01-02 03:04:05")
    );
}

#[test]
fn sql_default_is_parsed_as_sql() {
    assert_eq!(
        default_of("char({ length: 36 }).default(sql`(uuid())`)"),
        Some(DefaultValue::Expr("uuid()".into()))
    );
}

#[test]
fn sql_current_timestamp_default_keeps_its_fsp() {
    assert_eq!(
        default_of("datetime({ fsp: 3 }).default(sql`CURRENT_TIMESTAMP(3)`)"),
        Some(DefaultValue::CurrentTimestamp { fsp: 3 })
    );
}

#[test]
fn sql_raw_default_is_parsed_as_sql() {
    assert_eq!(
        default_of("int().notNull().default(sql.raw('5'))"),
        number("5")
    );
}

#[test]
fn default_now_is_current_timestamp() {
    assert_eq!(
        default_of("timestamp().defaultNow()"),
        Some(DefaultValue::CurrentTimestamp { fsp: 0 })
    );
}

#[test]
fn on_update_now_sets_on_update() {
    assert!(one_column("timestamp().onUpdateNow()").on_update_now);
}

#[test]
fn default_now_on_datetime_is_an_unknown_modifier() {
    let out = read_ts("export const t = mysqlTable('t', { c: datetime().defaultNow() });");
    assert_eq!(out.incomplete_tables, vec!["t"]);
    assert!(errors(&out)[0].message.contains("defaultNow"));
}

#[test]
fn autoincrement_on_varchar_is_an_unknown_modifier() {
    let out =
        read_ts("export const t = mysqlTable('t', { c: varchar({ length: 3 }).autoincrement() });");
    assert_eq!(out.incomplete_tables, vec!["t"]);
}

#[test]
fn unique_without_name_is_named_after_table_and_key() {
    let out = read_clean(
        "export const t = mysqlTable('users', { email: varchar({ length: 9 }).unique() });",
    );
    let index = table(&out, "users")
        .index("users_email_unique")
        .unwrap_or_else(|| panic!("no unique"));
    assert!(index.unique);
    assert_eq!(index.column_names(), vec!["email"]);
}

#[test]
fn unique_with_name_uses_it() {
    let out = read_clean("export const t = mysqlTable('t', { c: int().unique('my_uq') });");
    assert!(table(&out, "t").index("my_uq").is_some_and(|i| i.unique));
}

#[test]
fn unique_with_explicit_column_name_uses_the_column_name() {
    let out =
        read_clean("export const t = mysqlTable('t', { someKey: int('real_name').unique() });");
    assert!(table(&out, "t").index("t_real_name_unique").is_some());
}

#[test]
fn references_creates_a_foreign_key_with_the_default_name() {
    let out = read_clean(
        "export const users = mysqlTable('users', { id: int().primaryKey() });\n\
         export const posts = mysqlTable('posts', { authorId: int('author_id').references(() => users.id) });",
    );
    let fk = &table(&out, "posts").foreign_keys[0];
    assert_eq!(fk.name, "posts_author_id_users_id_fk");
    assert_eq!(fk.columns, vec!["author_id"]);
    assert_eq!(fk.referenced_table, "users");
    assert_eq!(fk.referenced_columns, vec!["id"]);
}

#[test]
fn references_actions_default_to_no_action() {
    let out = read_clean(
        "export const users = mysqlTable('users', { id: int().primaryKey() });\n\
         export const posts = mysqlTable('posts', { userId: int().references(() => users.id) });",
    );
    let fk = &table(&out, "posts").foreign_keys[0];
    assert_eq!(
        (fk.on_delete, fk.on_update),
        (FkAction::NoAction, FkAction::NoAction)
    );
}

#[test]
fn references_actions_are_read() {
    let out = read_clean(
        "export const users = mysqlTable('users', { id: int().primaryKey() });\n\
         export const posts = mysqlTable('posts', { userId: int().references(() => users.id, { onDelete: 'set null', onUpdate: 'cascade' }) });",
    );
    let fk = &table(&out, "posts").foreign_keys[0];
    assert_eq!(
        (fk.on_delete, fk.on_update),
        (FkAction::SetNull, FkAction::Cascade)
    );
}

#[test]
fn references_to_a_table_declared_later_is_resolved_lazily() {
    let out = read_clean(
        "export const posts = mysqlTable('posts', { userId: int().references(() => users.id) });\n\
         export const users = mysqlTable('users', { id: int().primaryKey() });",
    );
    assert_eq!(
        table(&out, "posts").foreign_keys[0].referenced_table,
        "users"
    );
}

#[test]
fn references_to_its_own_table_works() {
    let out = read_clean(
        "export const folders = mysqlTable('folders', { id: int().primaryKey(), parentId: int().references((): any => folders.id) });",
    );
    assert_eq!(
        table(&out, "folders").foreign_keys[0].name,
        "folders_parentId_folders_id_fk"
    );
}

#[test]
fn references_with_an_unknown_action_is_an_error() {
    let out = read_ts(
        "export const users = mysqlTable('users', { id: int().primaryKey() });\n\
         export const posts = mysqlTable('posts', { userId: int().references(() => users.id, { onDelete: 'explode' }) });",
    );
    assert_eq!(out.incomplete_tables, vec!["posts"]);
}

#[test]
fn generated_from_a_string_is_normalized() {
    let c = one_column("int().generatedAlwaysAs('A * 2')");
    let generated = c.generated.unwrap_or_else(|| panic!("not generated"));
    assert_eq!(generated.expression, "a * 2");
    assert!(!generated.stored);
}

#[test]
fn generated_stored_mode_is_stored() {
    let c = one_column("int().generatedAlwaysAs(sql`1 + 1`, { mode: 'stored' })");
    assert!(
        c.generated
            .is_some_and(|g| g.stored && g.expression == "1 + 1")
    );
}

#[test]
fn generated_callback_with_column_references_renders_column_names() {
    let out = read_clean(
        "export const t = mysqlTable('t', {\n  first: varchar({ length: 9 }),\n  last: varchar('last_name', { length: 9 }),\n  \
         full: varchar({ length: 20 }).generatedAlwaysAs((): SQL => sql`concat(${t.first}, ' ', ${t.last})`),\n});",
    );
    let generated = column(&out, "t", "full")
        .generated
        .clone()
        .unwrap_or_else(|| panic!("not generated"));
    assert_eq!(generated.expression, "concat(first,' ',last_name)");
}

#[test]
fn default_fn_is_runtime_only_and_ignored() {
    let out = read_clean(
        "import { randomUUID } from 'node:crypto';\n\
         export const t = mysqlTable('t', { c: char({ length: 36 }).notNull().$defaultFn(() => randomUUID()) });",
    );
    assert_eq!(column(&out, "t", "c").default, None);
}

#[test]
fn runtime_only_modifiers_are_ignored() {
    let c = one_column(
        "int().$default(() => 1).$onUpdate(() => 2).$onUpdateFn(() => Math.random()).$type<number>().notNull()",
    );
    assert_eq!(c.default, None);
    assert!(!c.on_update_now);
    assert!(!c.nullable);
}

#[test]
fn unknown_modifier_is_an_error_and_the_column_is_skipped() {
    let out = read_ts("export const t = mysqlTable('t', { a: int(), b: int().frobnicate() });");
    assert_eq!(out.incomplete_tables, vec!["t"]);
    let error = errors(&out)[0];
    assert!(error.message.contains(".frobnicate()"), "{}", error.message);
    assert_eq!(error.table.as_deref(), Some("t"));
    assert!(table(&out, "t").column("a").is_some());
    assert!(table(&out, "t").column("b").is_none());
}

#[test]
fn sql_default_with_interpolation_is_an_error() {
    let out = read_ts(
        "const x = 5;\nexport const t = mysqlTable('t', { c: int().default(sql`${x} + 1`) });",
    );
    assert_eq!(out.incomplete_tables, vec!["t"]);
    assert!(errors(&out)[0].message.contains("interpolation"));
}

#[test]
fn bigint_literal_default_is_an_error() {
    let out = read_ts(
        "export const t = mysqlTable('t', { c: bigint({ mode: 'bigint' }).default(10n) });",
    );
    assert_eq!(out.incomplete_tables, vec!["t"]);
}

#[test]
fn object_default_on_a_non_json_column_is_an_error() {
    let out = read_ts(
        "export const t = mysqlTable('t', { c: varchar({ length: 9 }).default({ a: 1 } as any) });",
    );
    assert_eq!(out.incomplete_tables, vec!["t"]);
}

#[test]
fn defaults_from_module_constants_are_evaluated() {
    let out = read_clean(
        "const DEFAULT_ROLE = 'member';\nconst LIMIT = 10 * 2;\n\
         export const t = mysqlTable('t', { role: varchar({ length: 9 }).default(DEFAULT_ROLE), n: int().default(LIMIT) });",
    );
    assert_eq!(column(&out, "t", "role").default, literal("member"));
    assert_eq!(column(&out, "t", "n").default, number("20"));
}

#[test]
fn default_from_a_typescript_enum_member_is_its_value() {
    let out = read_clean(
        "enum Status { On = 'on', Off = 'off' }\n\
         export const t = mysqlTable('t', { c: mysqlEnum(Status).default(Status.Off) });",
    );
    assert_eq!(column(&out, "t", "c").default, literal("off"));
}

#[test]
fn unique_with_an_empty_name_gets_the_default_name() {
    // The `MySqlColumn` constructor (drizzle-orm/src/mysql-core/columns/common.ts)
    // names the column's unique key when `!config.uniqueName`: '' counts as none.
    let out = read_clean("export const t = mysqlTable('t', { c: int().unique('') });");
    assert!(
        table(&out, "t")
            .index("t_c_unique")
            .is_some_and(|i| i.unique)
    );
}

/// Reads one column `c` and returns it with the warnings reported.
fn column_with_warnings(builder: &str) -> (driftwatch_model::Column, Vec<String>) {
    let out = read_ts(&format!(
        "export const t = mysqlTable('t', {{ c: {builder} }});"
    ));
    assert!(errors(&out).is_empty(), "{}", describe(&out.diagnostics));
    let warnings = out.diagnostics.iter().map(|d| d.message.clone()).collect();
    (column(&out, "t", "c").clone(), warnings)
}

#[test]
fn string_default_backslashes_are_read_as_mysql_escapes_with_a_warning() {
    // drizzle-kit writes `'${escapeSingleQuotes(value)}'` (drizzle-kit/src/utils.ts
    // doubles quotes only), so MySQL reads `\p` as `p` and `\n` as a newline.
    let (c, warnings) = column_with_warnings(r"varchar({ length: 20 }).default('C:\\path\\n')");
    assert_eq!(c.default, literal("C:path\n"));
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0].contains("backslashes"), "{warnings:?}");
}

#[test]
fn string_default_with_like_escapes_keeps_their_backslash() {
    let (c, _) = column_with_warnings(r"varchar({ length: 20 }).default('100\\%')");
    assert_eq!(c.default, literal(r"100\%"));
}

#[test]
fn json_default_escapes_are_read_as_mysql_escapes() {
    // `'${JSON.stringify(value)}'`: the `\"` JSON writes is a `"` for MySQL.
    let (c, warnings) = column_with_warnings(r#"json().default({ a: 'say "hi"' })"#);
    assert_eq!(c.default, literal(r#"{"a":"say "hi""}"#));
    assert_eq!(warnings.len(), 1, "{warnings:?}");
}

#[test]
fn json_default_with_a_single_quote_is_read_as_written_with_a_warning() {
    // drizzle-kit does not double the quote: its `DEFAULT ('{"s":"it's"}')` is invalid.
    let (c, warnings) = column_with_warnings(r#"json().default({ s: "it's" })"#);
    assert_eq!(c.default, literal(r#"{"s":"it's"}"#));
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(warnings[0].contains("single quote"), "{warnings:?}");
}

#[test]
fn string_default_with_a_backslash_before_its_end_is_read_as_written_with_a_warning() {
    let (c, warnings) = column_with_warnings(r"varchar({ length: 20 }).default('dir\\')");
    assert_eq!(c.default, literal(r"dir\"));
    assert_eq!(warnings.len(), 1, "{warnings:?}");
}

#[test]
fn enum_value_backslashes_are_read_as_mysql_escapes() {
    // `handleEnumType` (drizzle-kit/src/serializer/mysqlSerializer.ts) writes
    // `'${escapeSingleQuotes(v)}'`: `\b` is a backspace for MySQL.
    let (c, warnings) = column_with_warnings(r"mysqlEnum(['a\\b', 'c'])");
    assert_eq!(
        c.ty,
        driftwatch_model::ColumnType::Enum {
            values: vec!["a\u{8}".to_string(), "c".to_string()]
        }
    );
    assert_eq!(warnings.len(), 1, "{warnings:?}");
}
