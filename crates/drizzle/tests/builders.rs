//! Column builders: the type drizzle-kit writes (`getSQLType()`), read into
//! the Model, and the nullability each builder starts with.

mod common;
use common::*;

use driftwatch_model::{ColumnType, IntSize};

fn ty(builder: &str) -> String {
    one_column(builder).ty.to_string()
}

#[test]
fn int_is_int() {
    assert_eq!(ty("int()"), "int");
}

#[test]
fn int_unsigned_is_int_unsigned() {
    assert_eq!(ty("int({ unsigned: true })"), "int unsigned");
}

#[test]
fn int_with_name_and_unsigned_config() {
    assert_eq!(ty("int('c', { unsigned: true })"), "int unsigned");
}

#[test]
fn tinyint_smallint_mediumint_keep_their_size() {
    assert_eq!(ty("tinyint()"), "tinyint");
    assert_eq!(ty("smallint({ unsigned: true })"), "smallint unsigned");
    assert_eq!(ty("mediumint()"), "mediumint");
}

#[test]
fn bigint_number_mode_is_bigint() {
    assert_eq!(ty("bigint({ mode: 'number' })"), "bigint");
}

#[test]
fn bigint_bigint_mode_unsigned_is_bigint_unsigned() {
    assert_eq!(
        ty("bigint({ mode: 'bigint', unsigned: true })"),
        "bigint unsigned"
    );
}

#[test]
fn serial_is_bigint_unsigned() {
    assert_eq!(
        one_column("serial()").ty,
        ColumnType::Integer {
            size: IntSize::Big,
            unsigned: true,
            zerofill_width: None
        }
    );
}

#[test]
fn boolean_is_boolean() {
    assert_eq!(one_column("boolean()").ty, ColumnType::Boolean);
}

#[test]
fn float_without_precision_is_float() {
    assert_eq!(ty("float()"), "float");
}

#[test]
fn float_with_precision_above_24_is_double() {
    assert_eq!(ty("float({ precision: 30 })"), "double");
}

#[test]
fn float_with_precision_and_scale_keeps_both() {
    assert_eq!(
        ty("float({ precision: 7, scale: 3, unsigned: true })"),
        "float(7,3) unsigned"
    );
}

#[test]
fn double_with_precision_and_scale_keeps_both() {
    assert_eq!(ty("double({ precision: 10, scale: 2 })"), "double(10,2)");
}

#[test]
fn real_is_double() {
    assert_eq!(ty("real()"), "double");
    assert_eq!(ty("real({ precision: 10, scale: 2 })"), "double(10,2)");
}

#[test]
fn decimal_without_precision_is_decimal_10_0() {
    assert_eq!(ty("decimal()"), "decimal(10,0)");
}

#[test]
fn decimal_with_precision_only_has_scale_0() {
    assert_eq!(ty("decimal({ precision: 8 })"), "decimal(8,0)");
}

#[test]
fn decimal_with_precision_scale_and_unsigned() {
    assert_eq!(
        ty("decimal({ precision: 12, scale: 4, unsigned: true })"),
        "decimal(12,4) unsigned"
    );
}

#[test]
fn varchar_takes_its_length() {
    assert_eq!(ty("varchar({ length: 191 })"), "varchar(191)");
}

#[test]
fn varchar_enum_option_is_type_only() {
    assert_eq!(
        ty("varchar({ length: 10, enum: ['a', 'b'] })"),
        "varchar(10)"
    );
}

#[test]
fn char_without_length_is_char_1() {
    assert_eq!(ty("char()"), "char(1)");
    assert_eq!(ty("char({ length: 2 })"), "char(2)");
}

#[test]
fn text_family_keeps_its_size() {
    assert_eq!(ty("text()"), "text");
    assert_eq!(ty("tinytext()"), "tinytext");
    assert_eq!(ty("mediumtext()"), "mediumtext");
    assert_eq!(ty("longtext()"), "longtext");
}

#[test]
fn binary_without_length_is_binary_1() {
    assert_eq!(ty("binary()"), "binary(1)");
    assert_eq!(ty("binary({ length: 32 })"), "binary(32)");
}

#[test]
fn varbinary_takes_its_length() {
    assert_eq!(ty("varbinary({ length: 16 })"), "varbinary(16)");
}

#[test]
fn json_is_json() {
    assert_eq!(one_column("json()").ty, ColumnType::Json);
}

#[test]
fn date_mode_does_not_change_the_type() {
    assert_eq!(ty("date({ mode: 'string' })"), "date");
}

#[test]
fn datetime_keeps_its_fsp() {
    assert_eq!(ty("datetime()"), "datetime");
    assert_eq!(ty("datetime({ fsp: 3 })"), "datetime(3)");
}

#[test]
fn time_keeps_its_fsp() {
    assert_eq!(ty("time({ fsp: 6 })"), "time(6)");
}

#[test]
fn timestamp_keeps_its_fsp() {
    assert_eq!(ty("timestamp({ mode: 'string', fsp: 2 })"), "timestamp(2)");
}

#[test]
fn year_is_year() {
    assert_eq!(ty("year()"), "year");
}

#[test]
fn mysql_enum_from_array_literal() {
    assert_eq!(
        one_column("mysqlEnum(['a', \"it's\"])").ty,
        ColumnType::Enum {
            values: vec!["a".into(), "it's".into()]
        }
    );
}

#[test]
fn mysql_enum_with_name_and_array() {
    let out = read_clean("export const t = mysqlTable('t', { c: mysqlEnum('mood', ['x', 'y']) });");
    assert_eq!(
        column(&out, "t", "mood").ty,
        ColumnType::Enum {
            values: vec!["x".into(), "y".into()]
        }
    );
}

#[test]
fn mysql_enum_from_const_array() {
    let out = read_clean(
        "const STATUS = ['on', 'off'] as const;\nexport const t = mysqlTable('t', { c: mysqlEnum(STATUS) });",
    );
    assert_eq!(column(&out, "t", "c").ty.to_string(), "enum('on','off')");
}

#[test]
fn mysql_enum_from_typescript_string_enum() {
    let out = read_clean(
        "enum Colour { Red = 'red', Blue = 'blue' }\nexport const t = mysqlTable('t', { c: mysqlEnum('c', Colour) });",
    );
    assert_eq!(column(&out, "t", "c").ty.to_string(), "enum('red','blue')");
}

#[test]
fn mysql_enum_from_object_values_of_const_object() {
    let out = read_clean(
        "const Role = { Admin: 'admin', User: 'user' } as const;\n\
         export const t = mysqlTable('t', { c: mysqlEnum(Object.values(Role) as [string, ...string[]]) });",
    );
    assert_eq!(
        column(&out, "t", "c").ty.to_string(),
        "enum('admin','user')"
    );
}

#[test]
fn columns_are_nullable_by_default() {
    assert!(one_column("varchar({ length: 5 })").nullable);
}

#[test]
fn serial_is_not_null_auto_increment() {
    let c = one_column("serial()");
    assert!(!c.nullable);
    assert!(c.auto_increment);
}

#[test]
fn serial_adds_the_server_unique_index_named_after_the_column() {
    let out = read_clean("export const t = mysqlTable('t', { id: serial('order_no') });");
    let index = table(&out, "t")
        .index("order_no")
        .unwrap_or_else(|| panic!("no serial index"));
    assert!(index.unique);
    assert_eq!(index.origin, driftwatch_model::IndexOrigin::SerialUnique);
    assert_eq!(index.column_names(), vec!["order_no"]);
}

#[test]
fn real_with_precision_only_is_an_invalid_type() {
    let out = read_ts("export const t = mysqlTable('t', { c: real({ precision: 10 }) });");
    assert_eq!(errors(&out).len(), 1, "{}", describe(&out.diagnostics));
    assert!(errors(&out)[0].message.contains("real(10)"));
    assert_eq!(out.incomplete_tables, vec!["t"]);
}

#[test]
fn varchar_without_config_is_an_error() {
    let out = read_ts("export const t = mysqlTable('t', { c: varchar() });");
    assert_eq!(out.incomplete_tables, vec!["t"]);
    assert!(errors(&out)[0].message.contains("varchar()"));
}

#[test]
fn varchar_without_length_is_an_invalid_type() {
    let out = read_ts("export const t = mysqlTable('t', { c: varchar({}) });");
    assert_eq!(out.incomplete_tables, vec!["t"]);
    assert!(
        errors(&out)[0].message.contains("`varchar`"),
        "{}",
        describe(&out.diagnostics)
    );
}

#[test]
fn bigint_without_config_is_an_error() {
    let out = read_ts("export const t = mysqlTable('t', { c: bigint('c') });");
    assert_eq!(out.incomplete_tables, vec!["t"]);
}

#[test]
fn empty_enum_is_an_error() {
    let out = read_ts("export const t = mysqlTable('t', { c: mysqlEnum([]) });");
    assert_eq!(out.incomplete_tables, vec!["t"]);
}

#[test]
fn enum_value_with_a_comma_is_read_as_written_with_a_warning() {
    let out = read_ts("export const t = mysqlTable('t', { c: mysqlEnum(['a,b', 'c']) });");
    assert!(errors(&out).is_empty(), "{}", describe(&out.diagnostics));
    assert_eq!(out.diagnostics.len(), 1);
    assert_eq!(column(&out, "t", "c").ty.to_string(), "enum('a,b','c')");
}
