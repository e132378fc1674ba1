//! Server quirks met while turning information_schema rows into the Model.
//!
//! One rule = one function + one test + a comment naming the server and
//! version. Grep a version number and you find the rule. The facts behind
//! every rule are in `shared/reference/mysql-introspection.md` (section
//! numbers in the comments below refer to it).
//!
//! Two groups live here:
//!
//! * **catalog shape** (`*_has_*`, [`check_constraints_shape`]): which
//!   information_schema columns and tables a server has, so that the catalog
//!   queries never select a column that does not exist;
//! * **row interpretation**: how a raw value a server sent (a
//!   `COLUMN_DEFAULT`, an `EXTRA`, a `CHECK_CLAUSE`…) becomes a Model value.
//!
//! Nothing here guesses: text a rule does not recognise is reported back to
//! the caller (an unknown `EXTRA` token, an unparseable default), which turns
//! it into a diagnostic naming the table and column.

use std::borrow::Cow;

use crate::column_type::{ColumnType, TextSize};
use crate::default::DefaultValue;
use crate::expr;
use crate::flavor::{Flavor, Vendor};
use crate::schema::{Column, FkAction};

// ---------------------------------------------------------------------------
// Catalog shape: which columns and tables a server's information_schema has.
// ---------------------------------------------------------------------------

/// `COLUMNS.GENERATION_EXPRESSION` exists from MySQL 5.7.6 and MariaDB 10.2.5
/// (MariaDB adds `IS_GENERATED` in the same release); TiDB and Vitess have it.
pub fn columns_have_generation_expression(flavor: &Flavor) -> bool {
    match flavor.vendor {
        Vendor::Mysql => flavor.version >= (5, 7, 6),
        Vendor::Mariadb => flavor.version >= (10, 2, 5),
        Vendor::Tidb | Vendor::Vitess => true,
    }
}

/// `STATISTICS.EXPRESSION` (functional key parts) exists from MySQL 8.0.13;
/// MariaDB has no functional indexes and no such column (selecting it is an
/// error, reference §1.1).
pub fn statistics_has_expression(flavor: &Flavor) -> bool {
    flavor.min_mysql(8, 0, 13)
}

/// `STATISTICS.IS_VISIBLE` exists from MySQL 8.0.0 (invisible indexes).
pub fn statistics_has_is_visible(flavor: &Flavor) -> bool {
    flavor.min_mysql(8, 0, 0)
}

/// `STATISTICS.IGNORED` exists from MariaDB 10.6.0 (MariaDB's word for an
/// invisible index; its `INVISIBLE` keyword is a syntax error, reference §4).
pub fn statistics_has_ignored(flavor: &Flavor) -> bool {
    flavor.min_mariadb(10, 6, 0)
}

/// `TABLE_CONSTRAINTS.ENFORCED` exists from MySQL 8.0.16 (with CHECK support).
pub fn table_constraints_have_enforced(flavor: &Flavor) -> bool {
    flavor.min_mysql(8, 0, 16)
}

/// Which `information_schema.CHECK_CONSTRAINTS` a server has (reference §1.2 Q7, §5.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckConstraintsShape {
    /// No such table, or CHECK clauses are parsed and ignored: MySQL < 8.0.16,
    /// MariaDB < 10.2.22 and 10.3.0–10.3.9, TiDB (checks are off unless
    /// `tidb_enable_check_constraint` is set, and TiDB's version string does
    /// not tell which TiDB release added the table).
    Absent,
    /// MySQL ≥ 8.0.16: `CONSTRAINT_NAME, CHECK_CLAUSE`, no `TABLE_NAME`;
    /// names are unique per schema, so `TABLE_CONSTRAINTS` maps them to tables.
    Mysql,
    /// MariaDB ≥ 10.2.22 / 10.3.10: with `TABLE_NAME`; `LEVEL` from 10.5.10.
    Mariadb { has_level: bool },
}

/// The CHECK_CONSTRAINTS shape of `flavor` (MariaDB back-ported the table to
/// 10.2.22 after adding it in 10.3.10, so it is a table of point releases).
pub fn check_constraints_shape(flavor: &Flavor) -> CheckConstraintsShape {
    let v = flavor.version;
    match flavor.vendor {
        Vendor::Mysql | Vendor::Vitess if v >= (8, 0, 16) => CheckConstraintsShape::Mysql,
        Vendor::Mariadb if v >= (10, 3, 10) || ((10, 2, 22)..(10, 3, 0)).contains(&v) => {
            CheckConstraintsShape::Mariadb {
                has_level: v >= (10, 5, 10),
            }
        }
        _ => CheckConstraintsShape::Absent,
    }
}

/// Whether a server keeps CHECK constraints, and whether driftwatch can read them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckSupport {
    /// Checks are stored and readable from CHECK_CONSTRAINTS.
    Readable,
    /// The server parses CHECK and drops it, so a database can never have
    /// one: MySQL < 8.0.16 (5.7 included), MariaDB < 10.2.1.
    Ignored,
    /// The server may keep checks, but information_schema does not show
    /// them: MariaDB 10.2.1–10.2.21 and 10.3.0–10.3.9 (enforced before
    /// CHECK_CONSTRAINTS existed), TiDB (checks only with
    /// `tidb_enable_check_constraint=ON`; not read, see [`check_constraints_shape`]).
    Unreadable,
}

/// What [`CheckSupport`] `flavor` has (MySQL 8.0.16 and MariaDB 10.2.1
/// release notes; reference §5.2).
pub fn check_support(flavor: &Flavor) -> CheckSupport {
    if check_constraints_shape(flavor) != CheckConstraintsShape::Absent {
        return CheckSupport::Readable;
    }
    match flavor.vendor {
        Vendor::Mysql | Vendor::Vitess => CheckSupport::Ignored,
        Vendor::Mariadb if flavor.version < (10, 2, 1) => CheckSupport::Ignored,
        Vendor::Mariadb | Vendor::Tidb => CheckSupport::Unreadable,
    }
}

/// `@@lower_case_table_names` 1 or 2: table names compare case-insensitively
/// (MySQL manual; TiDB is always 2).
pub fn table_names_case_insensitive(lower_case_table_names: Option<&str>) -> bool {
    matches!(lower_case_table_names.map(str::trim), Some("1" | "2"))
}

// ---------------------------------------------------------------------------
// COLUMNS.EXTRA
// ---------------------------------------------------------------------------

/// Storage of a generated column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GeneratedStorage {
    Virtual,
    Stored,
}

/// `COLUMNS.EXTRA` as a set of flags.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExtraFlags {
    pub auto_increment: bool,
    /// MySQL ≥ 8.0.13: the default is an expression (also set for
    /// `CURRENT_TIMESTAMP` defaults on MySQL 8).
    pub default_generated: bool,
    /// The expression after `on update`, as the server printed it.
    pub on_update: Option<String>,
    pub generated: Option<GeneratedStorage>,
    /// MySQL ≥ 8.0.23 / MariaDB ≥ 10.3.3 invisible column (not modeled).
    pub invisible: bool,
    /// Tokens no rule knows, in order. Callers turn each into a diagnostic.
    pub unknown: Vec<String>,
}

/// Parses `COLUMNS.EXTRA` into flags, whatever the separator: MySQL 8 writes
/// `DEFAULT_GENERATED on update CURRENT_TIMESTAMP(3)` (space), MariaDB 10.x
/// joins flags with `", "` (`auto_increment, INVISIBLE`), case varies by
/// server. Tokens it does not know are kept in [`ExtraFlags::unknown`], never
/// dropped.
pub fn parse_extra(extra: &str) -> ExtraFlags {
    let words = split_extra_words(extra);
    let mut flags = ExtraFlags::default();
    let mut i = 0;
    while i < words.len() {
        let word = words[i];
        let lower = word.to_ascii_lowercase();
        let next = words.get(i + 1).map(|w| w.to_ascii_lowercase());
        match lower.as_str() {
            "auto_increment" => flags.auto_increment = true,
            "default_generated" => flags.default_generated = true,
            "invisible" => flags.invisible = true,
            "virtual" | "stored" | "persistent" if next.as_deref() == Some("generated") => {
                flags.generated = Some(if lower == "virtual" {
                    GeneratedStorage::Virtual
                } else {
                    GeneratedStorage::Stored
                });
                i += 1;
            }
            "on" if next.as_deref() == Some("update") => match words.get(i + 2) {
                Some(expression) => {
                    flags.on_update = Some((*expression).to_string());
                    i += 2;
                }
                None => {
                    flags.unknown.push("on update".to_string());
                    i += 1;
                }
            },
            _ => flags.unknown.push(word.to_string()),
        }
        i += 1;
    }
    flags
}

/// Words of EXTRA, split at spaces and commas outside parentheses (an
/// `on update` expression keeps its parentheses: `current_timestamp(3)`).
fn split_extra_words(extra: &str) -> Vec<&str> {
    let mut words = Vec::new();
    let mut depth = 0i32;
    let mut start: Option<usize> = None;
    for (i, c) in extra.char_indices() {
        let separator = depth == 0 && (c.is_whitespace() || c == ',');
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            _ => {}
        }
        if separator {
            if let Some(s) = start.take() {
                words.push(&extra[s..i]);
            }
        } else if start.is_none() {
            start = Some(i);
        }
    }
    if let Some(s) = start {
        words.push(&extra[s..]);
    }
    words
}

/// MariaDB ≥ 10.3.4 system versioning: an explicit `GENERATED ALWAYS AS ROW
/// START` / `ROW END` period column shows `ROW START` / `ROW END` as its
/// `GENERATION_EXPRESSION` (with EXTRA `STORED GENERATED`). It is not an
/// expression, and Drizzle cannot declare such a column: the caller reports
/// it as unverified instead of reading a generated column `row start`.
pub fn is_system_versioning_period_column(generation_expression: &str) -> bool {
    let words: Vec<&str> = generation_expression.split_whitespace().collect();
    matches!(words.as_slice(), [row, edge] if row.eq_ignore_ascii_case("ROW")
        && (edge.eq_ignore_ascii_case("START") || edge.eq_ignore_ascii_case("END")))
}

/// MySQL ≥ 8.0.30 with `sql_generate_invisible_primary_key=ON` (the default
/// on some managed services) gives a table created without a primary key an
/// invisible `my_row_id bigint unsigned NOT NULL AUTO_INCREMENT` column and
/// `PRIMARY KEY (my_row_id)`. The server made it, no Drizzle schema can
/// declare it (mysql-core has no invisible columns), and it is not drift.
pub fn is_generated_invisible_primary_key(
    flavor: &Flavor,
    column_name: &str,
    column_type: &str,
    extra: &ExtraFlags,
) -> bool {
    flavor.min_mysql(8, 0, 30)
        && column_name == "my_row_id"
        && column_type.trim().eq_ignore_ascii_case("bigint unsigned")
        && extra.auto_increment
        && extra.invisible
}

/// MySQL 5.7 and MariaDB ≤ 10.9 default to `explicit_defaults_for_timestamp
/// = OFF`, under which a TIMESTAMP column declared without `NULL` (drizzle-kit
/// never writes it) is created NOT NULL; the table's first such column
/// without DEFAULT / ON UPDATE also gets `DEFAULT CURRENT_TIMESTAMP ON UPDATE
/// CURRENT_TIMESTAMP`, later ones the zero date (reference §2.4). True when
/// `actual` is what that promotion makes of `expected`: a real difference,
/// reported, but with this explanation.
pub fn is_legacy_timestamp_promotion(expected: &Column, actual: &Column) -> bool {
    let ColumnType::Timestamp { fsp } = expected.ty else {
        return false;
    };
    if actual.ty != expected.ty || actual.nullable || actual.generated.is_some() {
        return false;
    }
    let promoted_default = match (&expected.default, expected.on_update_now) {
        (Some(DefaultValue::Null), _) => return false,
        (Some(default), _) => Some(default.clone()),
        (None, true) => actual.default.clone(),
        (None, false) => match &actual.default {
            Some(DefaultValue::CurrentTimestamp { .. }) if actual.on_update_now => {
                Some(DefaultValue::CurrentTimestamp { fsp })
            }
            Some(DefaultValue::Literal(zero))
                if zero.trim_end_matches(['0', '.']) == "0000-00-00 00:00:" =>
            {
                actual.default.clone()
            }
            _ => return false,
        },
    };
    let promoted_on_update = expected.on_update_now
        || (matches!(
            promoted_default,
            Some(DefaultValue::CurrentTimestamp { .. })
        ) && expected.default.is_none());
    actual.default == promoted_default && actual.on_update_now == promoted_on_update
}

/// The ROW END half of [`is_system_versioning_period_column`].
pub fn is_system_versioning_row_end(generation_expression: &str) -> bool {
    is_system_versioning_period_column(generation_expression)
        && generation_expression
            .trim()
            .to_ascii_uppercase()
            .ends_with("END")
}

/// MariaDB ≥ 10.3.4 appends a system-versioned table's explicit ROW END
/// column to its PRIMARY KEY and to every UNIQUE key (so that history rows
/// never collide with current ones), and STATISTICS shows it as the last key
/// part. True when `key_columns` is such a key: more than one part, the last
/// being `row_end`.
pub fn key_has_appended_row_end<'a>(
    key_columns: impl ExactSizeIterator<Item = &'a str>,
    row_end: &str,
) -> bool {
    let parts = key_columns.len();
    parts > 1 && key_columns.last() == Some(row_end)
}

/// `on update <expr>` means `ON UPDATE CURRENT_TIMESTAMP` when the expression
/// is of the now family, whatever its spelling: MySQL 5.7/8 print
/// `CURRENT_TIMESTAMP(3)`, MariaDB 10.x `current_timestamp(3)`. Servers only
/// accept the now family here, so `false` means text to report, not to drop.
pub fn on_update_is_current_timestamp(expression: &str) -> bool {
    matches!(
        DefaultValue::parse_sql(expression),
        DefaultValue::CurrentTimestamp { .. }
    )
}

// ---------------------------------------------------------------------------
// COLUMNS.COLUMN_DEFAULT
// ---------------------------------------------------------------------------

/// MariaDB ≥ 10.2.7 quotes literal defaults in `COLUMN_DEFAULT` so they can be
/// told from expressions (MDEV-13132); MariaDB ≤ 10.2.6, MySQL and TiDB send
/// the raw value (reference §2.1).
pub fn mariadb_quotes_literal_defaults(flavor: &Flavor) -> bool {
    flavor.min_mariadb(10, 2, 7)
}

/// MariaDB ≥ 10.2.7 `COLUMN_DEFAULT` ("SQL literal" encoding, MDEV-13132):
/// SQL NULL = no default; the text `NULL` = `DEFAULT NULL`; `'…'` = a string
/// literal (`''` and backslash escapes inside); `b'101'` = a bit value;
/// anything else is a number, `current_timestamp(n)` or an expression.
pub fn decode_mariadb_column_default(raw: Option<&str>) -> Option<DefaultValue> {
    let raw = raw?;
    if raw == "NULL" {
        return Some(DefaultValue::Null);
    }
    if let Some(number) = decode_bit_literal(raw) {
        return Some(DefaultValue::Number(number));
    }
    Some(DefaultValue::parse_sql(raw))
}

/// MySQL 5.7 / 8.x, TiDB, Vitess and MariaDB ≤ 10.2.6 `COLUMN_DEFAULT`
/// ("raw value" encoding, reference §2.1):
///
/// * SQL NULL means `DEFAULT NULL` on a nullable column and "no default" on a
///   NOT NULL one (MySQL manual);
/// * with `DEFAULT_GENERATED` in EXTRA (MySQL ≥ 8.0.13) the text is an
///   expression without its outer parentheses, its quotes mangled to `\'`
///   ([`unescape_mysql_information_schema_quotes`]), string literals carrying
///   a charset introducer (`_utf8mb4\'hello\'` = the literal `hello`);
/// * otherwise the text is the value itself, unquoted and unescaped: `it's`,
///   `a\b`, `NULL` (a four-letter string), `1.50`; bit columns print
///   `b'101'`; MySQL ≥ 8.0 prints binary defaults as hex (`0x6162`);
///   temporal columns may print `CURRENT_TIMESTAMP` without the flag (MySQL
///   5.7, TiDB).
pub fn decode_mysql_column_default(
    raw: Option<&str>,
    extra: &ExtraFlags,
    nullable: bool,
    ty: &ColumnType,
    flavor: &Flavor,
) -> Option<DefaultValue> {
    let Some(raw) = raw else {
        return nullable.then_some(DefaultValue::Null);
    };
    if extra.default_generated {
        return Some(DefaultValue::parse_sql(
            &unescape_mysql_information_schema_quotes(raw),
        ));
    }
    let value = match ty {
        ColumnType::Bit { .. } => match decode_bit_literal(raw) {
            Some(number) => DefaultValue::Number(number),
            None if flavor.vendor == Vendor::Tidb => match decode_tidb_raw_bit_default(raw) {
                Some(number) => DefaultValue::Number(number),
                None => DefaultValue::Number(raw.to_string()),
            },
            None => DefaultValue::Number(raw.to_string()),
        },
        ColumnType::Binary { .. } | ColumnType::Varbinary { .. } | ColumnType::Blob { .. }
            if flavor.min_mysql(8, 0, 0) =>
        {
            match decode_mysql8_hex_default(raw) {
                Some(bytes) => DefaultValue::Literal(String::from_utf8_lossy(&bytes).into_owned()),
                None => DefaultValue::Literal(raw.to_string()),
            }
        }
        ty if ty.is_numeric() => DefaultValue::Number(raw.trim().to_string()),
        ty if ty.is_temporal() && raw.starts_with(|c: char| c.is_ascii_alphabetic()) => {
            DefaultValue::parse_sql(raw)
        }
        _ => DefaultValue::Literal(raw.to_string()),
    };
    Some(value)
}

/// TiDB (all releases with `on update` in EXTRA, TiDB's `SHOW COLUMNS`
/// builder and its tests; reference §2.3) writes `DEFAULT_GENERATED` in front
/// of every `on update CURRENT_TIMESTAMP`, also on a column that has no
/// default at all (`timestamp NULL ON UPDATE CURRENT_TIMESTAMP`). There the
/// flag says nothing about the default: it is dropped before the default is
/// read, so that the raw `COLUMN_DEFAULT` (`CURRENT_TIMESTAMP(3)` or SQL
/// NULL) is read as MySQL 5.7 would. MySQL 8 sets the flag only for a real
/// expression default, and keeps it.
pub fn tidb_on_update_default_generated(flavor: &Flavor, extra: &ExtraFlags) -> bool {
    flavor.vendor == Vendor::Tidb && extra.default_generated && extra.on_update.is_some()
}

/// MySQL 8.0.13–8.0.22 leave `COLUMN_DEFAULT` NULL for expression defaults on
/// TEXT/BLOB/JSON/GEOMETRY columns although EXTRA says `DEFAULT_GENERATED`
/// (fixed in 8.0.23, Skeema). The default exists but information_schema does
/// not show it: the caller reports it instead of reading "no default".
pub fn expression_default_hidden(raw: Option<&str>, extra: &ExtraFlags) -> bool {
    raw.is_none() && extra.default_generated
}

/// TiDB shows the default of a `bit(n)` column as the raw bytes of the value
/// (`bit(8) DEFAULT 5` → the one byte `0x05`) instead of `b'101'`
/// (pingcap/tidb#32655; Atlas converts it back the same way). The bytes read
/// big-endian are the number. `None` for text that is a `b'…'` literal, empty,
/// longer than 8 bytes, or holds a character above U+00FF (not a byte the
/// server sent: the caller reports it).
pub fn decode_tidb_raw_bit_default(raw: &str) -> Option<String> {
    if raw.is_empty() || decode_bit_literal(raw).is_some() {
        return None;
    }
    let bytes: Option<Vec<u8>> = raw
        .chars()
        .map(|c| u8::try_from(u32::from(c)).ok())
        .collect();
    let bytes = bytes.filter(|b| b.len() <= 8)?;
    Some(
        bytes
            .iter()
            .fold(0u64, |n, b| (n << 8) | u64::from(*b))
            .to_string(),
    )
}

/// `b'101'` → `5`: bit defaults as MySQL 5.7/8 and MariaDB 10.x print them
/// (`bit(8) DEFAULT 5` shows `b'101'`).
pub fn decode_bit_literal(text: &str) -> Option<String> {
    let digits = text
        .strip_prefix(['b', 'B'])?
        .strip_prefix('\'')?
        .strip_suffix('\'')?;
    if digits.is_empty() || digits.len() > 64 || !digits.bytes().all(|b| b == b'0' || b == b'1') {
        return None;
    }
    u64::from_str_radix(digits, 2).ok().map(|v| v.to_string())
}

/// MySQL ≥ 8.0 prints BINARY/VARBINARY literal defaults as hex with upper-case
/// digits, `0x6162` (rails/rails#45832); the value is cut at its first zero
/// byte, so a padded `binary(4)` default `'ab'` also reads `0x6162`.
pub fn decode_mysql8_hex_default(text: &str) -> Option<Vec<u8>> {
    let hex = text
        .strip_prefix("0x")
        .or_else(|| text.strip_prefix("0X"))?;
    if hex.is_empty() || hex.len() % 2 != 0 {
        return None;
    }
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok())
        .collect()
}

/// BINARY(n) values are right-padded with 0x00 bytes to n: MariaDB 10.x shows
/// `binary(4) DEFAULT 'ab'` as `'ab\0\0'`, MySQL 8 cuts at the first zero
/// byte (`0x6162`), and the schema says `'ab'`. The trailing zero bytes are
/// padding, not part of the declared default.
pub fn trim_binary_default_padding(default: DefaultValue, ty: &ColumnType) -> DefaultValue {
    match (default, ty) {
        (DefaultValue::Literal(text), ColumnType::Binary { .. }) => {
            DefaultValue::Literal(text.trim_end_matches('\0').to_string())
        }
        (other, _) => other,
    }
}

// ---------------------------------------------------------------------------
// Expressions (generated columns, CHECK clauses, functional key parts)
// ---------------------------------------------------------------------------

/// MySQL 8 information_schema copies of expressions (`COLUMN_DEFAULT` with
/// `DEFAULT_GENERATED`, `GENERATION_EXPRESSION`, `CHECK_CLAUSE`,
/// `STATISTICS.EXPRESSION`) escape every quote as `\'` and every backslash as
/// `\\` ("mangled escaping", Skeema; `_utf8mb4\'it\\\'s\'` is
/// `_utf8mb4'it\'s'`). Text without `\'` is returned unchanged. Never apply
/// to MariaDB, whose `\'` inside a string literal is real SQL.
pub fn unescape_mysql_information_schema_quotes(text: &str) -> Cow<'_, str> {
    if !text.contains("\\'") {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.peek() {
                Some('\'') => {
                    out.push('\'');
                    chars.next();
                }
                Some('\\') => {
                    out.push('\\');
                    chars.next();
                }
                _ => out.push('\\'),
            }
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Canonical text of an expression a server printed (generated column,
/// CHECK clause, functional key part): MySQL-family servers (MySQL 8, TiDB,
/// Vitess) first lose their information_schema quote mangling, then every
/// flavour goes through [`expr::normalize`] (introducers, back-quotes,
/// redundant outer parentheses, case).
pub fn normalize_server_expression(raw: &str, flavor: &Flavor) -> String {
    if flavor.is_mariadb() {
        expr::normalize(raw)
    } else {
        expr::normalize(&unescape_mysql_information_schema_quotes(raw))
    }
}

// ---------------------------------------------------------------------------
// Foreign-key rules when REFERENTIAL_CONSTRAINTS is hidden
// ---------------------------------------------------------------------------

/// MariaDB 10.11 (verified; also dbeaver/dbeaver#41909): a user whose only
/// privilege on the database is `SELECT` sees no rows in `TABLE_CONSTRAINTS`
/// and `REFERENTIAL_CONSTRAINTS` (MariaDB asks for a privilege other than
/// SELECT, as the SQL standard does; `REFERENCES`, `SHOW VIEW` or `INDEX` is
/// enough), while `KEY_COLUMN_USAGE`, `STATISTICS` and `CHECK_CONSTRAINTS`
/// still list everything. MySQL's views ask only for some privilege on the
/// table. Where this holds, a foreign key without a rules row is read from
/// `SHOW CREATE TABLE` instead (a targeted fallback, one statement per
/// affected table).
pub fn fk_rules_hidden_from_select_only_users(flavor: &Flavor) -> bool {
    flavor.is_mariadb()
}

/// The action `SHOW CREATE TABLE` leaves out: MariaDB and MySQL 5.7 omit
/// `RESTRICT` (their default), MySQL 8 omits `NO ACTION` (reference §5.1).
pub fn show_create_omitted_fk_action(flavor: &Flavor) -> FkAction {
    if flavor.min_mysql(8, 0, 0) {
        FkAction::NoAction
    } else {
        FkAction::Restrict
    }
}

/// One foreign key's rules as `SHOW CREATE TABLE` prints them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ShowCreateForeignKey {
    pub name: String,
    pub on_delete: FkAction,
    pub on_update: FkAction,
}

/// The `CONSTRAINT `name` FOREIGN KEY (…) REFERENCES `t` (…) [ON DELETE a]
/// [ON UPDATE b]` lines of a `SHOW CREATE TABLE` text; an action the server
/// left out is `omitted` ([`show_create_omitted_fk_action`]). A line whose
/// actions cannot be read is left out (the caller reports the foreign key).
pub fn parse_show_create_foreign_keys(
    create_table: &str,
    omitted: FkAction,
) -> Vec<ShowCreateForeignKey> {
    create_table
        .lines()
        .filter_map(|line| parse_show_create_fk_line(line.trim(), omitted))
        .collect()
}

fn parse_show_create_fk_line(line: &str, omitted: FkAction) -> Option<ShowCreateForeignKey> {
    let rest = line.strip_prefix("CONSTRAINT ")?;
    let (name, rest) = read_backquoted(rest.trim_start())?;
    let rest = rest.trim_start().strip_prefix("FOREIGN KEY")?.trim_start();
    let rest = skip_parenthesized(rest)?.trim_start();
    let rest = rest.strip_prefix("REFERENCES")?.trim_start();
    // `db`.`table` or `table`
    let (_, mut rest) = read_backquoted(rest)?;
    if let Some(after_dot) = rest.strip_prefix('.') {
        rest = read_backquoted(after_dot)?.1;
    }
    let actions = skip_parenthesized(rest.trim_start())?;
    let words: Vec<String> = actions
        .trim()
        .trim_end_matches(',')
        .split_whitespace()
        .map(|w| w.to_ascii_uppercase())
        .collect();
    let mut on_delete = omitted;
    let mut on_update = omitted;
    let mut i = 0;
    while i < words.len() {
        let target = match (
            words.get(i).map(String::as_str),
            words.get(i + 1).map(String::as_str),
        ) {
            (Some("ON"), Some("DELETE")) => &mut on_delete,
            (Some("ON"), Some("UPDATE")) => &mut on_update,
            _ => return None,
        };
        let one = words.get(i + 2)?;
        let (action, used) = match words.get(i + 3) {
            Some(two) if matches!(one.as_str(), "SET" | "NO") => {
                (FkAction::parse(&format!("{one} {two}"))?, 2)
            }
            _ => (FkAction::parse(one)?, 1),
        };
        *target = action;
        i += 2 + used;
    }
    Some(ShowCreateForeignKey {
        name,
        on_delete,
        on_update,
    })
}

/// `` `a``b` rest`` → (`a`b`, ` rest`).
fn read_backquoted(text: &str) -> Option<(String, &str)> {
    let body = text.strip_prefix('`')?;
    let mut name = String::new();
    let mut chars = body.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c == '`' {
            if chars.peek().is_some_and(|(_, n)| *n == '`') {
                chars.next();
                name.push('`');
            } else {
                return Some((name, &body[i + 1..]));
            }
        } else {
            name.push(c);
        }
    }
    None
}

/// `(`a`, `b`) rest` → ` rest` (back-quoted names may hold parentheses).
fn skip_parenthesized(text: &str) -> Option<&str> {
    let mut rest = text.strip_prefix('(')?;
    loop {
        rest = rest.trim_start();
        if let Some(after) = rest.strip_prefix(')') {
            return Some(after);
        }
        if rest.starts_with('`') {
            rest = read_backquoted(rest)?.1;
        } else {
            let next = rest.find(['`', ')'])?;
            rest = &rest[next..];
        }
    }
}

// ---------------------------------------------------------------------------
// Constraint names on Vitess / PlanetScale
// ---------------------------------------------------------------------------

/// Vitess online DDL (`ddl_strategy=vitess`, Vitess ≥ 15) and every
/// PlanetScale deploy request copy the table under new constraint names,
/// because MySQL wants FK and CHECK names unique per schema: the original
/// name + `_` + 25 characters of `[0-9a-z]` (a base-36 128-bit sum, different
/// on every deploy), e.g. `orders_amount_chk_5vtaqz7kepok6wa91vryrkrje`. A
/// name MySQL generated (`<table>_chk_<n>`, `<table>_ibfk_<n>`) first loses
/// its `<table>_` prefix (`chk_1_<sum>`), so that a later RENAME TABLE cannot
/// push it past 64 characters (vitessio/vitess `go/vt/schemadiff`,
/// `newConstraintName` / `ExtractConstraintOriginalName`).
///
/// This undoes both, on FK and CHECK names of Vitess servers only (on MySQL
/// such a name is the user's): the suffix goes, and a suffixed `chk_<n>` /
/// `ibfk_<n>` gets its table prefix back, so the rows read like MySQL 8's.
/// Known limits: a constraint the user named `chk_<n>` itself reads as
/// `<table>_chk_<n>` once a deploy has renamed it, and an original name
/// longer than 38 characters was cut by Vitess; both surface as a name-only
/// difference, never as a different definition.
pub fn vitess_original_constraint_name<'a>(
    table: &str,
    name: &'a str,
    flavor: &Flavor,
) -> Cow<'a, str> {
    const SUFFIX: usize = 25;
    if flavor.vendor != Vendor::Vitess || name.len() <= SUFFIX + 1 {
        return Cow::Borrowed(name);
    }
    let (base, suffix) = name.split_at(name.len() - SUFFIX - 1);
    let generated = suffix.strip_prefix('_').is_some_and(|s| {
        s.bytes()
            .all(|b| b.is_ascii_digit() || b.is_ascii_lowercase())
    });
    if !generated {
        return Cow::Borrowed(name);
    }
    let mysql_generated = ["chk_", "ibfk_"].iter().any(|kind| {
        base.strip_prefix(kind)
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
    });
    if mysql_generated {
        Cow::Owned(format!("{table}_{base}"))
    } else {
        Cow::Borrowed(base)
    }
}

// ---------------------------------------------------------------------------
// JSON on MariaDB
// ---------------------------------------------------------------------------

/// MariaDB 10.2.7–10.4.2 store `JSON` as a plain `LONGTEXT`, without the
/// `json_valid` check that later marks it (MDEV-13916 added the check in
/// 10.4.3): information_schema cannot tell the two apart, so on those
/// servers the schema's `json()` is compared as the `longtext` the server
/// made of it.
pub fn json_is_plain_longtext(flavor: &Flavor) -> bool {
    flavor.min_mariadb(10, 2, 7) && !flavor.min_mariadb(10, 4, 3)
}

/// MariaDB ≥ 10.2.7: `JSON` is an alias of `LONGTEXT` (I_S shows `longtext`,
/// `utf8mb4_bin`), and since 10.4.3 the server adds a column-level
/// ``CHECK (json_valid(`col`))`` named after the column. A `longtext` column
/// with such a check is a JSON column, and the check is not the user's
/// (Atlas does the same). Names compare case-insensitively, as column names do.
pub fn is_mariadb_json_check(
    column_name: &str,
    column_type: &ColumnType,
    check_name: &str,
    check_clause: &str,
) -> bool {
    if *column_type
        != (ColumnType::Text {
            size: TextSize::Long,
        })
        || !check_name.eq_ignore_ascii_case(column_name)
    {
        return false;
    }
    let expected = format!("json_valid(`{}`)", column_name.replace('`', "``"));
    expr::normalize(check_clause) == expr::normalize(&expected)
}

// ---------------------------------------------------------------------------
// Character sets and collations
// ---------------------------------------------------------------------------

/// `utf8` is `utf8mb3`: MySQL < 8.0.28 and MariaDB < 10.6.1 report `utf8`,
/// later releases `utf8mb3` (reference §3.6).
pub fn canonical_charset(name: &str) -> String {
    let lower = name.to_ascii_lowercase();
    if lower == "utf8" {
        "utf8mb3".to_string()
    } else {
        lower
    }
}

/// `utf8_general_ci` is `utf8mb3_general_ci`: MySQL < 8.0.30 (8.0.28–8.0.29
/// already say `utf8mb3` for the charset but keep `utf8_` collations) and
/// MariaDB < 10.6.1 use the `utf8_` names.
pub fn canonical_collation(name: &str) -> String {
    let lower = name.to_ascii_lowercase();
    match lower.strip_prefix("utf8_") {
        Some(rest) => format!("utf8mb3_{rest}"),
        None => lower,
    }
}

// ---------------------------------------------------------------------------
// Indexes
// ---------------------------------------------------------------------------

/// `STATISTICS.INDEX_TYPE` → `Index::kind`: `BTREE` is the default (`None`);
/// `FULLTEXT`, `SPATIAL`, `HASH` (MEMORY engine; InnoDB turns `USING HASH`
/// into BTREE, MariaDB 10.11 verified) and anything newer (MariaDB 11.7
/// `VECTOR`) are kept as the server spelled them, upper-cased.
pub fn index_kind(index_type: Option<&str>) -> Option<String> {
    let text = index_type?.trim().to_ascii_uppercase();
    if text.is_empty() || text == "BTREE" {
        None
    } else {
        Some(text)
    }
}

/// `STATISTICS.SUB_PART` → prefix length. SPATIAL indexes report
/// `SUB_PART = 32` on MariaDB 10.11 (verified) and MySQL 8 without any prefix
/// being declared: ignored there (Skeema and Atlas do the same).
pub fn index_prefix(sub_part: Option<&str>, index_type: Option<&str>) -> Option<u32> {
    if index_type.is_some_and(|t| t.trim().eq_ignore_ascii_case("SPATIAL")) {
        return None;
    }
    sub_part?.trim().parse().ok()
}

/// `STATISTICS.COLLATION = 'D'` is a descending key part (MySQL ≥ 8.0,
/// MariaDB ≥ 10.8; older servers and TiDB parse `DESC` and report `A`).
pub fn index_part_descending(collation: Option<&str>) -> bool {
    collation.is_some_and(|c| c.trim().eq_ignore_ascii_case("D"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mysql(version: &str) -> Flavor {
        Flavor::identify(version, "MySQL Community Server - GPL")
    }

    fn mariadb(version: &str) -> Flavor {
        Flavor::identify(
            &format!("{version}-MariaDB"),
            "mariadb.org binary distribution",
        )
    }

    fn ty(text: &str) -> ColumnType {
        ColumnType::parse(text).unwrap_or_else(|e| panic!("{e}"))
    }

    fn lit(text: &str) -> Option<DefaultValue> {
        Some(DefaultValue::Literal(text.into()))
    }

    fn mysql_default(
        raw: Option<&str>,
        extra: &str,
        nullable: bool,
        column_type: &str,
    ) -> Option<DefaultValue> {
        decode_mysql_column_default(
            raw,
            &parse_extra(extra),
            nullable,
            &ty(column_type),
            &mysql("8.0.36"),
        )
    }

    // --- catalog shape ---

    #[test]
    fn mysql_8_0_13_adds_statistics_expression() {
        assert!(!statistics_has_expression(&mysql("8.0.12")));
        assert!(statistics_has_expression(&mysql("8.0.13")));
        assert!(!statistics_has_expression(&mariadb("10.11.19")));
    }

    #[test]
    fn mysql_8_0_has_is_visible_and_mariadb_10_6_has_ignored() {
        assert!(!statistics_has_is_visible(&mysql("5.7.44")));
        assert!(statistics_has_is_visible(&mysql("8.0.0")));
        assert!(!statistics_has_ignored(&mariadb("10.5.20")));
        assert!(statistics_has_ignored(&mariadb("10.6.0")));
        assert!(!statistics_has_ignored(&mysql("8.0.36")));
    }

    #[test]
    fn mysql_8_0_16_adds_enforced_and_check_constraints() {
        assert!(!table_constraints_have_enforced(&mysql("8.0.15")));
        assert!(table_constraints_have_enforced(&mysql("8.0.16")));
        assert_eq!(
            check_constraints_shape(&mysql("8.0.15")),
            CheckConstraintsShape::Absent
        );
        assert_eq!(
            check_constraints_shape(&mysql("8.0.16")),
            CheckConstraintsShape::Mysql
        );
        assert_eq!(
            check_constraints_shape(&mysql("8.4.3")),
            CheckConstraintsShape::Mysql
        );
        assert_eq!(
            check_constraints_shape(&mysql("5.7.44")),
            CheckConstraintsShape::Absent
        );
    }

    #[test]
    fn mariadb_check_constraints_table_is_back_ported_to_10_2_22() {
        assert_eq!(
            check_constraints_shape(&mariadb("10.2.21")),
            CheckConstraintsShape::Absent
        );
        assert_eq!(
            check_constraints_shape(&mariadb("10.2.22")),
            CheckConstraintsShape::Mariadb { has_level: false }
        );
        assert_eq!(
            check_constraints_shape(&mariadb("10.3.9")),
            CheckConstraintsShape::Absent
        );
        assert_eq!(
            check_constraints_shape(&mariadb("10.3.10")),
            CheckConstraintsShape::Mariadb { has_level: false }
        );
    }

    #[test]
    fn mariadb_10_5_10_adds_check_constraints_level() {
        assert_eq!(
            check_constraints_shape(&mariadb("10.5.9")),
            CheckConstraintsShape::Mariadb { has_level: false }
        );
        assert_eq!(
            check_constraints_shape(&mariadb("10.5.10")),
            CheckConstraintsShape::Mariadb { has_level: true }
        );
    }

    #[test]
    fn tidb_check_constraints_are_not_read() {
        let tidb = Flavor::identify("8.0.11-TiDB-v7.5.0", "");
        assert_eq!(
            check_constraints_shape(&tidb),
            CheckConstraintsShape::Absent
        );
    }

    #[test]
    fn generation_expression_exists_from_mysql_5_7_6_and_mariadb_10_2_5() {
        assert!(!columns_have_generation_expression(&mysql("5.7.5")));
        assert!(columns_have_generation_expression(&mysql("5.7.6")));
        assert!(!columns_have_generation_expression(&mariadb("10.2.4")));
        assert!(columns_have_generation_expression(&mariadb("10.2.5")));
    }

    #[test]
    fn lower_case_table_names_1_and_2_compare_names_case_insensitively() {
        assert!(!table_names_case_insensitive(Some("0")));
        assert!(table_names_case_insensitive(Some("1")));
        assert!(table_names_case_insensitive(Some("2")));
        assert!(!table_names_case_insensitive(None));
    }

    // --- EXTRA ---

    #[test]
    fn mysql8_extra_default_generated_on_update_is_two_flags() {
        let flags = parse_extra("DEFAULT_GENERATED on update CURRENT_TIMESTAMP(3)");
        assert!(flags.default_generated);
        assert_eq!(flags.on_update.as_deref(), Some("CURRENT_TIMESTAMP(3)"));
        assert!(flags.unknown.is_empty());
    }

    #[test]
    fn mariadb_10_11_extra_joins_flags_with_comma() {
        let flags = parse_extra("auto_increment, INVISIBLE");
        assert!(flags.auto_increment && flags.invisible);
        let flags = parse_extra("on update current_timestamp(), INVISIBLE");
        assert_eq!(flags.on_update.as_deref(), Some("current_timestamp()"));
        assert!(flags.invisible);
        let flags = parse_extra("VIRTUAL GENERATED, INVISIBLE");
        assert_eq!(flags.generated, Some(GeneratedStorage::Virtual));
        assert!(flags.unknown.is_empty());
    }

    #[test]
    fn stored_and_persistent_generated_are_stored() {
        assert_eq!(
            parse_extra("STORED GENERATED").generated,
            Some(GeneratedStorage::Stored)
        );
        assert_eq!(
            parse_extra("PERSISTENT GENERATED").generated,
            Some(GeneratedStorage::Stored)
        );
    }

    #[test]
    fn mariadb_system_versioning_row_start_and_end_are_period_columns() {
        assert!(is_system_versioning_period_column("ROW START"));
        assert!(is_system_versioning_period_column("row  end"));
        assert!(!is_system_versioning_period_column("row_start + 1"));
        assert!(!is_system_versioning_period_column("`row` + `start`"));
    }

    #[test]
    fn mariadb_versioned_key_ends_with_the_appended_row_end_column() {
        assert!(is_system_versioning_row_end("ROW END"));
        assert!(!is_system_versioning_row_end("ROW START"));
        assert!(key_has_appended_row_end(["id", "e"].into_iter(), "e"));
        assert!(!key_has_appended_row_end(["e"].into_iter(), "e"));
        assert!(!key_has_appended_row_end(["e", "id"].into_iter(), "e"));
    }

    #[test]
    fn mysql_5_7_ignores_check_and_mysql_8_0_16_keeps_it() {
        assert_eq!(check_support(&mysql("5.7.44")), CheckSupport::Ignored);
        assert_eq!(check_support(&mysql("8.0.15")), CheckSupport::Ignored);
        assert_eq!(check_support(&mysql("8.0.16")), CheckSupport::Readable);
    }

    #[test]
    fn mariadb_enforced_check_before_information_schema_showed_it() {
        assert_eq!(check_support(&mariadb("10.1.48")), CheckSupport::Ignored);
        assert_eq!(check_support(&mariadb("10.2.21")), CheckSupport::Unreadable);
        assert_eq!(check_support(&mariadb("10.3.9")), CheckSupport::Unreadable);
        assert_eq!(check_support(&mariadb("10.11.19")), CheckSupport::Readable);
    }

    #[test]
    fn tidb_checks_are_unreadable() {
        let tidb = Flavor::identify("8.0.11-TiDB-v7.5.0", "");
        assert_eq!(check_support(&tidb), CheckSupport::Unreadable);
    }

    #[test]
    fn mysql_8_0_30_generated_invisible_primary_key_is_recognised() {
        let gipk = parse_extra("auto_increment INVISIBLE");
        assert!(is_generated_invisible_primary_key(
            &mysql("8.0.30"),
            "my_row_id",
            "bigint unsigned",
            &gipk
        ));
        assert!(!is_generated_invisible_primary_key(
            &mysql("8.0.29"),
            "my_row_id",
            "bigint unsigned",
            &gipk
        ));
        let visible = parse_extra("auto_increment");
        assert!(!is_generated_invisible_primary_key(
            &mysql("8.4.3"),
            "my_row_id",
            "bigint unsigned",
            &visible
        ));
        assert!(!is_generated_invisible_primary_key(
            &mariadb("10.11.19"),
            "my_row_id",
            "bigint unsigned",
            &gipk
        ));
    }

    fn timestamp(nullable: bool) -> Column {
        let mut column = Column::new("ts", ColumnType::Timestamp { fsp: 0 });
        column.nullable = nullable;
        column
    }

    #[test]
    fn first_nullable_timestamp_promoted_under_legacy_defaults_is_recognised() {
        let mut promoted = timestamp(false);
        promoted.default = Some(DefaultValue::CurrentTimestamp { fsp: 0 });
        promoted.on_update_now = true;
        assert!(is_legacy_timestamp_promotion(&timestamp(true), &promoted));
        assert!(is_legacy_timestamp_promotion(&timestamp(false), &promoted));
    }

    #[test]
    fn later_nullable_timestamp_promoted_to_the_zero_date_is_recognised() {
        let mut promoted = timestamp(false);
        promoted.default = Some(DefaultValue::Literal("0000-00-00 00:00:00".into()));
        assert!(is_legacy_timestamp_promotion(&timestamp(true), &promoted));
    }

    #[test]
    fn other_timestamp_changes_are_not_legacy_promotion() {
        let mut changed = timestamp(false);
        changed.default = Some(DefaultValue::Literal("2020-01-01 00:00:00".into()));
        assert!(!is_legacy_timestamp_promotion(&timestamp(true), &changed));
        assert!(!is_legacy_timestamp_promotion(
            &timestamp(true),
            &timestamp(true)
        ));
        let mut datetime = Column::new("ts", ColumnType::DateTime { fsp: 0 });
        datetime.nullable = true;
        assert!(!is_legacy_timestamp_promotion(&datetime, &timestamp(false)));
    }

    #[test]
    fn mariadb_json_is_plain_longtext_before_10_4_3() {
        assert!(json_is_plain_longtext(&mariadb("10.3.39")));
        assert!(json_is_plain_longtext(&mariadb("10.4.2")));
        assert!(!json_is_plain_longtext(&mariadb("10.4.3")));
        assert!(!json_is_plain_longtext(&mariadb("10.2.6")));
        assert!(!json_is_plain_longtext(&mysql("8.0.36")));
    }

    #[test]
    fn empty_extra_has_no_flags() {
        assert_eq!(parse_extra(""), ExtraFlags::default());
    }

    #[test]
    fn unknown_extra_tokens_are_kept_not_ignored() {
        let flags = parse_extra("auto_increment AUTO_RANDOM(5)");
        assert!(flags.auto_increment);
        assert_eq!(flags.unknown, vec!["AUTO_RANDOM(5)".to_string()]);
        assert_eq!(
            parse_extra("on update").unknown,
            vec!["on update".to_string()]
        );
    }

    #[test]
    fn on_update_now_family_in_every_spelling() {
        assert!(on_update_is_current_timestamp("CURRENT_TIMESTAMP"));
        assert!(on_update_is_current_timestamp("current_timestamp(3)"));
        assert!(on_update_is_current_timestamp("now()"));
        assert!(!on_update_is_current_timestamp("uuid()"));
    }

    // --- COLUMN_DEFAULT, MariaDB ---

    #[test]
    fn mariadb_10_2_7_quotes_literal_defaults_and_10_2_6_does_not() {
        assert!(!mariadb_quotes_literal_defaults(&mariadb("10.2.6")));
        assert!(mariadb_quotes_literal_defaults(&mariadb("10.2.7")));
        assert!(mariadb_quotes_literal_defaults(&mariadb("10.11.19")));
        assert!(!mariadb_quotes_literal_defaults(&mysql("8.0.36")));
    }

    #[test]
    fn mariadb_10_11_quotes_literal_defaults() {
        assert_eq!(decode_mariadb_column_default(Some("'hello'")), lit("hello"));
        assert_eq!(decode_mariadb_column_default(Some("''")), lit(""));
        assert_eq!(decode_mariadb_column_default(Some("'it''s'")), lit("it's"));
        assert_eq!(decode_mariadb_column_default(Some(r"'a\\b'")), lit(r"a\b"));
        assert_eq!(decode_mariadb_column_default(Some(r"'a\nb'")), lit("a\nb"));
        assert_eq!(decode_mariadb_column_default(Some("'NULL'")), lit("NULL"));
    }

    #[test]
    fn mariadb_10_11_null_text_is_default_null_and_sql_null_is_no_default() {
        assert_eq!(
            decode_mariadb_column_default(Some("NULL")),
            Some(DefaultValue::Null)
        );
        assert_eq!(decode_mariadb_column_default(None), None);
    }

    #[test]
    fn mariadb_10_11_unquoted_defaults_are_numbers_now_or_expressions() {
        assert_eq!(
            decode_mariadb_column_default(Some("-5")),
            Some(DefaultValue::Number("-5".into()))
        );
        assert_eq!(
            decode_mariadb_column_default(Some("current_timestamp(3)")),
            Some(DefaultValue::CurrentTimestamp { fsp: 3 })
        );
        assert_eq!(
            decode_mariadb_column_default(Some("uuid()")),
            Some(DefaultValue::Expr("uuid()".into()))
        );
        assert_eq!(
            decode_mariadb_column_default(Some("(`id` * 2)")),
            Some(DefaultValue::Expr("id * 2".into()))
        );
    }

    #[test]
    fn mariadb_10_11_bit_default_is_a_number() {
        assert_eq!(
            decode_mariadb_column_default(Some("b'101'")),
            Some(DefaultValue::Number("5".into()))
        );
    }

    // --- COLUMN_DEFAULT, MySQL ---

    #[test]
    fn mysql_raw_literal_defaults_are_not_unquoted() {
        assert_eq!(
            mysql_default(Some("hello"), "", true, "varchar(20)"),
            lit("hello")
        );
        assert_eq!(
            mysql_default(Some("it's"), "", true, "varchar(20)"),
            lit("it's")
        );
        assert_eq!(
            mysql_default(Some(r"a\b"), "", true, "varchar(20)"),
            lit(r"a\b")
        );
        assert_eq!(
            mysql_default(Some("'q'"), "", true, "varchar(20)"),
            lit("'q'")
        );
    }

    #[test]
    fn mysql_null_text_is_the_string_null() {
        assert_eq!(
            mysql_default(Some("NULL"), "", true, "varchar(20)"),
            lit("NULL")
        );
    }

    #[test]
    fn mysql_sql_null_default_depends_on_nullability() {
        assert_eq!(
            mysql_default(None, "", true, "int"),
            Some(DefaultValue::Null)
        );
        assert_eq!(mysql_default(None, "", false, "int"), None);
    }

    #[test]
    fn mysql8_default_generated_current_timestamp_is_now() {
        assert_eq!(
            mysql_default(
                Some("CURRENT_TIMESTAMP"),
                "DEFAULT_GENERATED",
                true,
                "timestamp"
            ),
            Some(DefaultValue::CurrentTimestamp { fsp: 0 })
        );
        assert_eq!(
            mysql_default(Some("now()"), "DEFAULT_GENERATED", true, "timestamp"),
            Some(DefaultValue::CurrentTimestamp { fsp: 0 })
        );
    }

    #[test]
    fn mysql5_7_current_timestamp_without_flag_is_now() {
        let flavor = mysql("5.7.44");
        assert_eq!(
            decode_mysql_column_default(
                Some("CURRENT_TIMESTAMP"),
                &parse_extra(""),
                true,
                &ty("timestamp"),
                &flavor
            ),
            Some(DefaultValue::CurrentTimestamp { fsp: 0 })
        );
    }

    #[test]
    fn mysql8_utf8mb4_introducer_text_default_is_a_literal() {
        assert_eq!(
            mysql_default(
                Some(r"_utf8mb4\'hello\'"),
                "DEFAULT_GENERATED",
                true,
                "text"
            ),
            lit("hello")
        );
        assert_eq!(
            mysql_default(
                Some(r"_utf8mb4\'it\\\'s\'"),
                "DEFAULT_GENERATED",
                true,
                "text"
            ),
            lit("it's")
        );
    }

    #[test]
    fn mysql8_expression_defaults_lose_their_mangling() {
        assert_eq!(
            mysql_default(
                Some(r"concat(_utf8mb4\'a\',_utf8mb4\'b\')"),
                "DEFAULT_GENERATED",
                true,
                "varchar(9)"
            ),
            Some(DefaultValue::Expr("concat('a','b')".into()))
        );
        assert_eq!(
            mysql_default(Some("(1 + 1)"), "DEFAULT_GENERATED", true, "int"),
            Some(DefaultValue::Expr("1 + 1".into()))
        );
    }

    #[test]
    fn mysql_numeric_defaults_are_numbers() {
        assert_eq!(
            mysql_default(Some("1.50"), "", true, "decimal(10,2)"),
            Some(DefaultValue::Number("1.50".into()))
        );
    }

    #[test]
    fn mysql8_bit_default_is_a_number() {
        assert_eq!(
            mysql_default(Some("b'101'"), "", true, "bit(8)"),
            Some(DefaultValue::Number("5".into()))
        );
    }

    #[test]
    fn mysql8_binary_default_is_hex() {
        assert_eq!(
            mysql_default(Some("0x6162"), "", true, "varbinary(8)"),
            lit("ab")
        );
        let flavor = mysql("5.7.44");
        assert_eq!(
            decode_mysql_column_default(
                Some("0x6162"),
                &parse_extra(""),
                true,
                &ty("varbinary(8)"),
                &flavor
            ),
            lit("0x6162")
        );
    }

    #[test]
    fn tidb_current_date_without_flag_is_an_expression() {
        let tidb = Flavor::identify("8.0.11-TiDB-v7.5.0", "");
        assert_eq!(
            decode_mysql_column_default(
                Some("CURRENT_DATE"),
                &parse_extra(""),
                true,
                &ty("date"),
                &tidb
            ),
            // One spelling for CURRENT_DATE / curdate() (see expr::normalize).
            Some(DefaultValue::Expr("current_date()".into()))
        );
    }

    #[test]
    fn tidb_default_generated_before_on_update_is_not_an_expression_flag() {
        let tidb = Flavor::identify("8.0.11-TiDB-v7.5.0", "");
        let on_update = parse_extra("DEFAULT_GENERATED on update CURRENT_TIMESTAMP");
        assert!(tidb_on_update_default_generated(&tidb, &on_update));
        // Without `on update` the flag is an expression default on TiDB too.
        assert!(!tidb_on_update_default_generated(
            &tidb,
            &parse_extra("DEFAULT_GENERATED")
        ));
        // MySQL 8.0 keeps the flag: it means an expression default there.
        assert!(!tidb_on_update_default_generated(
            &mysql("8.0.36"),
            &on_update
        ));
    }

    #[test]
    fn tidb_raw_bit_default_bytes_are_a_big_endian_number() {
        assert_eq!(decode_tidb_raw_bit_default("\u{5}").as_deref(), Some("5"));
        assert_eq!(
            decode_tidb_raw_bit_default("\u{1}\u{0}").as_deref(),
            Some("256")
        );
        assert_eq!(decode_tidb_raw_bit_default("b'101'"), None);
        assert_eq!(decode_tidb_raw_bit_default(""), None);
        assert_eq!(decode_tidb_raw_bit_default("\u{2603}"), None);
        let tidb = Flavor::identify("8.0.11-TiDB-v7.5.0", "");
        assert_eq!(
            decode_mysql_column_default(
                Some("\u{5}"),
                &parse_extra(""),
                true,
                &ty("bit(8)"),
                &tidb
            ),
            Some(DefaultValue::Number("5".into()))
        );
        // MySQL 8 prints b'101'; raw bytes there are not decoded.
        assert_eq!(
            decode_mysql_column_default(
                Some("\u{5}"),
                &parse_extra(""),
                true,
                &ty("bit(8)"),
                &mysql("8.0.36")
            ),
            Some(DefaultValue::Number("\u{5}".into()))
        );
    }

    #[test]
    fn mysql_8_0_13_to_8_0_22_hide_blob_expression_defaults() {
        assert!(expression_default_hidden(
            None,
            &parse_extra("DEFAULT_GENERATED")
        ));
        assert!(!expression_default_hidden(
            Some("x"),
            &parse_extra("DEFAULT_GENERATED")
        ));
        assert!(!expression_default_hidden(None, &parse_extra("")));
    }

    #[test]
    fn hex_default_must_be_whole_bytes() {
        assert_eq!(decode_mysql8_hex_default("0x61"), Some(vec![0x61]));
        assert_eq!(decode_mysql8_hex_default("0x6"), None);
        assert_eq!(decode_mysql8_hex_default("0xzz"), None);
        assert_eq!(decode_mysql8_hex_default("ab"), None);
    }

    #[test]
    fn bit_literal_needs_binary_digits() {
        assert_eq!(decode_bit_literal("b'1'").as_deref(), Some("1"));
        assert_eq!(decode_bit_literal("b'12'"), None);
        assert_eq!(decode_bit_literal("'1'"), None);
    }

    #[test]
    fn binary_default_padding_is_not_part_of_the_value() {
        assert_eq!(
            trim_binary_default_padding(DefaultValue::Literal("ab\0\0".into()), &ty("binary(4)")),
            DefaultValue::Literal("ab".into())
        );
        assert_eq!(
            trim_binary_default_padding(DefaultValue::Literal("ab\0".into()), &ty("varbinary(4)")),
            DefaultValue::Literal("ab\0".into())
        );
    }

    // --- expressions ---

    #[test]
    fn mysql8_information_schema_quote_mangling_is_undone() {
        assert_eq!(
            unescape_mysql_information_schema_quotes(r"_utf8mb4\'it\\\'s\'"),
            r"_utf8mb4'it\'s'"
        );
        assert_eq!(
            unescape_mysql_information_schema_quotes(r"`a` + 1"),
            "`a` + 1"
        );
        // Without any `\'` the text is not mangled: backslashes stay.
        assert_eq!(unescape_mysql_information_schema_quotes(r"x\\y"), r"x\\y");
    }

    #[test]
    fn mysql8_and_mariadb_generated_expressions_agree() {
        assert_eq!(
            normalize_server_expression(r"concat(`first`,_utf8mb4\' \',`last`)", &mysql("8.0.36")),
            normalize_server_expression("concat(`first`,' ',`last`)", &mariadb("10.11.19"))
        );
        assert_eq!(
            normalize_server_expression("(`price` * `qty`)", &mysql("8.0.36")),
            normalize_server_expression("`price` * `qty`", &mariadb("10.11.19"))
        );
    }

    #[test]
    fn mariadb_backslash_quote_in_check_clause_is_real_sql() {
        assert_eq!(
            normalize_server_expression(r"`status` <> 'it\'s'", &mariadb("10.11.19")),
            "status <> 'it''s'"
        );
        assert_eq!(
            normalize_server_expression(r"(`status` <> _utf8mb4\'it\\\'s\')", &mysql("8.0.36")),
            "status <> 'it''s'"
        );
    }

    // --- SHOW CREATE TABLE foreign keys ---

    #[test]
    fn mariadb_10_11_hides_fk_rules_from_select_only_users_and_mysql_does_not() {
        assert!(fk_rules_hidden_from_select_only_users(&mariadb("10.11.19")));
        assert!(!fk_rules_hidden_from_select_only_users(&mysql("8.0.36")));
    }

    #[test]
    fn mariadb_10_11_show_create_omits_restrict_and_prints_no_action() {
        let text = "CREATE TABLE `f12_child` (\n  `id` int(11) NOT NULL,\n  KEY `idx_pcode` (`pcode`),\n  CONSTRAINT `f12_child_other_id_fk` FOREIGN KEY (`other_id`) REFERENCES `f12_parent` (`id`),\n  CONSTRAINT `f12_child_parent_id_f12_parent_id_fk` FOREIGN KEY (`parent_id`) REFERENCES `f12_parent` (`id`) ON DELETE CASCADE ON UPDATE NO ACTION,\n  CONSTRAINT `f12_child_pcode_fk` FOREIGN KEY (`pcode`) REFERENCES `f12_parent` (`code`) ON DELETE SET NULL\n) ENGINE=InnoDB";
        let omitted = show_create_omitted_fk_action(&mariadb("10.11.19"));
        assert_eq!(omitted, FkAction::Restrict);
        let fks = parse_show_create_foreign_keys(text, omitted);
        let rules: Vec<(&str, FkAction, FkAction)> = fks
            .iter()
            .map(|f| (f.name.as_str(), f.on_delete, f.on_update))
            .collect();
        assert_eq!(
            rules,
            [
                (
                    "f12_child_other_id_fk",
                    FkAction::Restrict,
                    FkAction::Restrict
                ),
                (
                    "f12_child_parent_id_f12_parent_id_fk",
                    FkAction::Cascade,
                    FkAction::NoAction
                ),
                ("f12_child_pcode_fk", FkAction::SetNull, FkAction::Restrict),
            ]
        );
    }

    #[test]
    fn mysql8_show_create_omits_no_action() {
        assert_eq!(
            show_create_omitted_fk_action(&mysql("8.0.36")),
            FkAction::NoAction
        );
        assert_eq!(
            show_create_omitted_fk_action(&mysql("5.7.44")),
            FkAction::Restrict
        );
    }

    #[test]
    fn show_create_fk_names_and_targets_may_hold_odd_characters() {
        let line = "  CONSTRAINT `a``b (c)` FOREIGN KEY (`x)`, `y`) REFERENCES `other`.`p q` (`i`, `j`) ON UPDATE SET DEFAULT";
        let fks = parse_show_create_foreign_keys(line, FkAction::Restrict);
        assert_eq!(
            fks,
            [ShowCreateForeignKey {
                name: "a`b (c)".into(),
                on_delete: FkAction::Restrict,
                on_update: FkAction::SetDefault
            }]
        );
    }

    #[test]
    fn show_create_fk_with_unknown_action_is_left_out() {
        let line = "CONSTRAINT `f` FOREIGN KEY (`x`) REFERENCES `p` (`i`) ON DELETE EXPLODE";
        assert!(parse_show_create_foreign_keys(line, FkAction::Restrict).is_empty());
    }

    // --- Vitess / PlanetScale constraint names ---

    fn vitess_name(table: &str, name: &str) -> String {
        let vitess = Flavor::identify("8.0.30-Vitess", "PlanetScale");
        vitess_original_constraint_name(table, name, &vitess).into_owned()
    }

    #[test]
    fn vitess_online_ddl_constraint_suffix_is_stripped() {
        assert_eq!(
            vitess_name("orders", "orders_amount_chk_5vtaqz7kepok6wa91vryrkrje"),
            "orders_amount_chk"
        );
        assert_eq!(
            vitess_name("t", "check1_db9d15e218979970c23bfc13a"),
            "check1"
        );
    }

    #[test]
    fn vitess_online_ddl_gives_mysql_generated_names_their_table_prefix_back() {
        assert_eq!(
            vitess_name("f13_checks", "chk_1_cps1okb4uafunfqusi2lp22u3"),
            "f13_checks_chk_1"
        );
        assert_eq!(
            vitess_name("f12_unnamed_fk", "ibfk_1_cps1okb4uafunfqusi2lp22u3"),
            "f12_unnamed_fk_ibfk_1"
        );
        // Without a deploy suffix the name is what the user wrote.
        assert_eq!(vitess_name("t", "chk_1"), "chk_1");
        assert_eq!(vitess_name("t", "chk_x_cps1okb4uafunfqusi2lp22u3"), "chk_x");
    }

    #[test]
    fn vitess_names_without_a_25_character_suffix_are_kept() {
        for name in [
            "f12_child_pcode_fk",
            // 24 characters, an upper-case letter, no underscore: not generated.
            "fk_5vtaqz7kepok6wa91vryrkrj",
            "fk_5VTAQZ7KEPOK6WA91VRYRKRJE",
            "x5vtaqz7kepok6wa91vryrkrje",
            "_5vtaqz7kepok6wa91vryrkrje",
        ] {
            assert_eq!(vitess_name("t", name), name);
        }
    }

    #[test]
    fn mysql_8_0_constraint_names_are_never_stripped() {
        let name = "orders_amount_chk_5vtaqz7kepok6wa91vryrkrje";
        assert_eq!(
            vitess_original_constraint_name("orders", name, &mysql("8.0.30")),
            name
        );
    }

    // --- JSON ---

    #[test]
    fn mariadb_10_4_3_json_valid_check_marks_a_json_column() {
        let longtext = ty("longtext");
        assert!(is_mariadb_json_check(
            "j1",
            &longtext,
            "j1",
            "json_valid(`j1`)"
        ));
        assert!(!is_mariadb_json_check(
            "j1",
            &longtext,
            "j1_chk",
            "json_valid(`j1`)"
        ));
        assert!(!is_mariadb_json_check(
            "j1",
            &longtext,
            "j1",
            "json_valid(`j2`)"
        ));
        assert!(!is_mariadb_json_check(
            "j1",
            &ty("text"),
            "j1",
            "json_valid(`j1`)"
        ));
        assert!(!is_mariadb_json_check(
            "j1",
            &longtext,
            "j1",
            "json_valid(`j1`) and 1"
        ));
    }

    // --- charsets ---

    #[test]
    fn utf8_is_utf8mb3_before_mysql_8_0_30_and_mariadb_10_6_1() {
        assert_eq!(canonical_charset("utf8"), "utf8mb3");
        assert_eq!(canonical_charset("utf8mb4"), "utf8mb4");
        assert_eq!(canonical_collation("utf8_general_ci"), "utf8mb3_general_ci");
        assert_eq!(
            canonical_collation("utf8mb3_general_ci"),
            "utf8mb3_general_ci"
        );
        assert_eq!(canonical_collation("utf8mb4_bin"), "utf8mb4_bin");
    }

    // --- indexes ---

    #[test]
    fn btree_is_the_default_index_kind() {
        assert_eq!(index_kind(Some("BTREE")), None);
        assert_eq!(index_kind(Some("FULLTEXT")).as_deref(), Some("FULLTEXT"));
        assert_eq!(index_kind(Some("spatial")).as_deref(), Some("SPATIAL"));
        assert_eq!(index_kind(Some("HASH")).as_deref(), Some("HASH"));
    }

    #[test]
    fn mariadb_10_11_spatial_sub_part_32_is_not_a_prefix() {
        assert_eq!(index_prefix(Some("32"), Some("SPATIAL")), None);
        assert_eq!(index_prefix(Some("20"), Some("BTREE")), Some(20));
        assert_eq!(index_prefix(None, Some("BTREE")), None);
    }

    #[test]
    fn collation_d_is_descending() {
        assert!(index_part_descending(Some("D")));
        assert!(!index_part_descending(Some("A")));
        assert!(!index_part_descending(None));
    }
}
