//! Column defaults: a typed value or an expression, never raw server text.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::column_type::{ColumnType, quote_sql_string};
use crate::expr;

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
pub enum DefaultValue {
    /// `DEFAULT NULL`.
    Null,
    /// A string literal, unescaped (`it's`, not `'it''s'`).
    Literal(String),
    /// A numeric literal in canonical text (see [`DefaultValue::canonical_for`]).
    Number(String),
    /// `CURRENT_TIMESTAMP(fsp)` and its synonyms (`now()`, `localtimestamp`…).
    CurrentTimestamp { fsp: u8 },
    /// Any other expression, normalized with [`expr::normalize`].
    Expr(String),
}

impl DefaultValue {
    /// Reads a default as written after `DEFAULT` in DDL (and as drizzle-kit
    /// stores it in snapshots): `'it''s'`, `5`, `-1.5`, `null`, `true`,
    /// `(now())`, `CURRENT_TIMESTAMP(3)`, `('hello')`, `(uuid())`.
    ///
    /// A literal wrapped in parentheses is still that literal: Drizzle writes
    /// `DEFAULT ('hello')` for text and json columns, and MariaDB stores it as
    /// the plain literal `'hello'`.
    pub fn parse_sql(text: &str) -> DefaultValue {
        let mut inner = text.trim();
        while expr::is_wrapped_in_parens(inner) {
            inner = expr::strip_one_paren_level(inner);
        }
        if let Some(literal) = parse_string_literal(inner) {
            return DefaultValue::Literal(literal);
        }
        if is_number(inner) {
            return DefaultValue::Number(inner.to_string());
        }
        match inner.to_ascii_lowercase().as_str() {
            "null" => return DefaultValue::Null,
            "true" => return DefaultValue::Number("1".into()),
            "false" => return DefaultValue::Number("0".into()),
            _ => {}
        }
        if let Some(fsp) = parse_now(inner) {
            return DefaultValue::CurrentTimestamp { fsp };
        }
        DefaultValue::Expr(expr::normalize(inner))
    }

    /// Canonical form for a column of type `ty`, so that equal defaults compare
    /// equal: numbers on numeric columns compare by value at the column's scale
    /// (`'1.5'` = `1.50` on `decimal(10,2)`), `true` is `1`, numbers on string
    /// columns are strings (`DEFAULT 5` on a varchar stores `'5'`), and
    /// datetime literals drop zero fractional digits.
    pub fn canonical_for(self, ty: &ColumnType) -> DefaultValue {
        match self {
            // YEAR: the string '0' is the year 2000, the number 0 is 0000.
            DefaultValue::Literal(text)
                if *ty == ColumnType::Year && matches!(text.trim(), "0" | "00") =>
            {
                DefaultValue::Number("2000".into())
            }
            DefaultValue::Literal(text) | DefaultValue::Number(text) if ty.is_numeric() => {
                match canonical_number(&text, ty) {
                    Some(number) => DefaultValue::Number(number),
                    None => DefaultValue::Literal(text),
                }
            }
            DefaultValue::Number(text) if !ty.is_numeric() => {
                DefaultValue::Literal(text).canonical_for(ty)
            }
            DefaultValue::Literal(text) if ty.is_temporal() => {
                DefaultValue::Literal(canonical_temporal(&text, ty))
            }
            // CHAR values lose trailing spaces when stored (and the default with
            // them); ENUM and SET members lose them at CREATE time (MySQL manual,
            // "The ENUM Type"; MariaDB 10.11 observed), so a default naming one does too.
            DefaultValue::Literal(text)
                if matches!(
                    ty,
                    ColumnType::Char { .. } | ColumnType::Enum { .. } | ColumnType::Set { .. }
                ) =>
            {
                DefaultValue::Literal(text.trim_end_matches(' ').to_string())
            }
            // A CURRENT_TIMESTAMP default always has the column's precision:
            // MySQL rejects any other, and MariaDB 10.11 stores `DEFAULT (now())`
            // on a timestamp(3) as `current_timestamp(3)`.
            DefaultValue::CurrentTimestamp { .. }
                if matches!(
                    ty,
                    ColumnType::DateTime { .. } | ColumnType::Timestamp { .. }
                ) =>
            {
                DefaultValue::CurrentTimestamp {
                    fsp: fsp_of(ty).unwrap_or(0),
                }
            }
            other => other,
        }
    }

    /// The text to write after `DEFAULT` in DDL for a column of type `ty`.
    pub fn to_sql(&self, ty: &ColumnType) -> String {
        match self {
            DefaultValue::Null => "NULL".to_string(),
            // MySQL 8 accepts TEXT/BLOB/JSON defaults only as expressions.
            DefaultValue::Literal(value) if ty.is_blob_like() => {
                format!("({})", quote_sql_string(value))
            }
            DefaultValue::Literal(value) => quote_sql_string(value),
            DefaultValue::Number(number) => number.clone(),
            DefaultValue::CurrentTimestamp { fsp: 0 } => "CURRENT_TIMESTAMP".to_string(),
            DefaultValue::CurrentTimestamp { fsp } => format!("CURRENT_TIMESTAMP({fsp})"),
            DefaultValue::Expr(text) => format!("({text})"),
        }
    }
}

impl fmt::Display for DefaultValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DefaultValue::Null => f.write_str("NULL"),
            DefaultValue::Literal(value) => f.write_str(&quote_sql_string(value)),
            DefaultValue::Number(number) => f.write_str(number),
            DefaultValue::CurrentTimestamp { fsp: 0 } => f.write_str("CURRENT_TIMESTAMP"),
            DefaultValue::CurrentTimestamp { fsp } => write!(f, "CURRENT_TIMESTAMP({fsp})"),
            DefaultValue::Expr(text) => write!(f, "({text})"),
        }
    }
}

/// `'it''s'` / `'a\nb'` / `"x"` / `_utf8mb4'x'` → the value, when the whole text is
/// one string literal.
fn parse_string_literal(text: &str) -> Option<String> {
    let text = strip_introducer(text);
    let quote = text.chars().next().filter(|c| *c == '\'' || *c == '"')?;
    let body = text.strip_prefix(quote)?.strip_suffix(quote)?;
    let mut value = String::with_capacity(body.len());
    let mut chars = body.chars().peekable();
    while let Some(c) = chars.next() {
        if c == quote {
            // A lone quote inside means this is not one literal (`'a' 'b'`).
            if chars.next() != Some(quote) {
                return None;
            }
            value.push(quote);
        } else if c == '\\' {
            crate::column_type::push_unescaped(&mut value, chars.next()?);
        } else {
            value.push(c);
        }
    }
    Some(value)
}

fn strip_introducer(text: &str) -> &str {
    if let Some(rest) = text.strip_prefix('_')
        && let Some(pos) = rest.find(['\'', '"'])
        && rest[..pos].chars().all(|c| c.is_ascii_alphanumeric())
    {
        return &rest[pos..];
    }
    text
}

fn is_number(text: &str) -> bool {
    let body = text.strip_prefix(['-', '+']).unwrap_or(text);
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(pos) => (&body[..pos], Some(&body[pos + 1..])),
        None => (body, None),
    };
    let mantissa_ok = !mantissa.is_empty()
        && mantissa.chars().filter(|c| *c == '.').count() <= 1
        && mantissa.chars().all(|c| c.is_ascii_digit() || c == '.')
        && mantissa.chars().any(|c| c.is_ascii_digit());
    let exponent_ok = exponent.is_none_or(|e| {
        let digits = e.strip_prefix(['-', '+']).unwrap_or(e);
        !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit())
    });
    mantissa_ok && exponent_ok
}

/// `now()`, `now(3)`, `current_timestamp`, `CURRENT_TIMESTAMP(6)`,
/// `localtime()`, `localtimestamp` → the fsp.
fn parse_now(text: &str) -> Option<u8> {
    let lowered: String = text
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_lowercase();
    let (name, args) = match lowered.find('(') {
        Some(open) => (
            &lowered[..open],
            Some(lowered[open + 1..].strip_suffix(')')?),
        ),
        None => (lowered.as_str(), None),
    };
    if !matches!(
        name,
        "now" | "current_timestamp" | "localtime" | "localtimestamp"
    ) {
        return None;
    }
    match args {
        None if name == "now" => None,
        None | Some("") => Some(0),
        Some(digits) => digits.parse::<u8>().ok().filter(|f| *f <= 6),
    }
}

fn canonical_number(text: &str, ty: &ColumnType) -> Option<String> {
    let text = text.trim();
    let text = match text.to_ascii_lowercase().as_str() {
        "true" => "1".to_string(),
        "false" => "0".to_string(),
        _ => text.to_string(),
    };
    if !is_number(&text) {
        return None;
    }
    match ty {
        ColumnType::Decimal { scale, .. } => decimal_at_scale(&text, *scale),
        ColumnType::Float {
            precision_scale: Some((_, scale)),
            ..
        }
        | ColumnType::Double {
            precision_scale: Some((_, scale)),
            ..
        } => {
            // FLOAT(M,D)/DOUBLE(M,D) store the value rounded to D decimals.
            let value: f64 = text.parse().ok()?;
            shortest(
                format!("{value:.prec$}", prec = *scale as usize)
                    .parse()
                    .ok()?,
            )
        }
        // A single-precision FLOAT default is printed with 6 significant
        // digits (MariaDB 10.11: 3.14159265 → 3.14159, 16777217 → 16777200).
        ColumnType::Float { .. } => {
            let value: f64 = text.parse().ok()?;
            shortest(format!("{value:.5e}").parse().ok()?)
        }
        ColumnType::Double { .. } => shortest(text.parse().ok()?),
        ColumnType::Year => {
            let year = match text.parse::<i128>() {
                Ok(v) => v,
                Err(_) => decimal_at_scale(&text, 0)?.parse().ok()?,
            };
            // Two-digit years: 1–69 are 2001–2069, 70–99 are 1970–1999.
            Some(
                match year {
                    1..=69 => year + 2000,
                    70..=99 => year + 1900,
                    other => other,
                }
                .to_string(),
            )
        }
        _ => match text.parse::<i128>() {
            Ok(v) => Some(v.to_string()),
            Err(_) => decimal_at_scale(&text, 0),
        },
    }
}

/// The shortest text that reads back as the same double; `-0` is `0`.
fn shortest(value: f64) -> Option<String> {
    value
        .is_finite()
        .then(|| format!("{}", if value == 0.0 { 0.0 } else { value }))
}

/// Exact decimal text with `scale` fractional digits, rounded half away from
/// zero as MySQL does when it stores a DECIMAL.
fn decimal_at_scale(text: &str, scale: u32) -> Option<String> {
    if text.contains(['e', 'E']) {
        let value: f64 = text.parse().ok()?;
        return Some(format!("{value:.prec$}", prec = scale as usize));
    }
    let (negative, body) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let (int_part, frac_part) = body.split_once('.').unwrap_or((body, ""));
    let scale = scale as usize;
    let mut digits: Vec<u8> = int_part
        .bytes()
        .chain(frac_part.bytes().chain(std::iter::repeat(b'0')).take(scale))
        .map(|b| b - b'0')
        .collect();
    let round_up = frac_part.as_bytes().get(scale).is_some_and(|d| *d >= b'5');
    if round_up {
        let mut i = digits.len();
        loop {
            if i == 0 {
                digits.insert(0, 1);
                break;
            }
            i -= 1;
            if digits[i] == 9 {
                digits[i] = 0;
            } else {
                digits[i] += 1;
                break;
            }
        }
    }
    let split = digits.len() - scale;
    let int_digits: String = digits[..split]
        .iter()
        .map(|d| char::from(b'0' + d))
        .collect();
    let int_digits = int_digits.trim_start_matches('0');
    let int_digits = if int_digits.is_empty() {
        "0"
    } else {
        int_digits
    };
    let frac_digits: String = digits[split..]
        .iter()
        .map(|d| char::from(b'0' + d))
        .collect();
    let is_zero = int_digits == "0" && frac_digits.bytes().all(|b| b == b'0');
    let sign = if negative && !is_zero { "-" } else { "" };
    Some(if scale == 0 {
        format!("{sign}{int_digits}")
    } else {
        format!("{sign}{int_digits}.{frac_digits}")
    })
}

fn fsp_of(ty: &ColumnType) -> Option<u8> {
    match ty {
        ColumnType::DateTime { fsp } | ColumnType::Timestamp { fsp } | ColumnType::Time { fsp } => {
            Some(*fsp)
        }
        _ => None,
    }
}

/// Canonical text of a date/time literal as the server stores it:
/// `2024-1-2T03:04` on a datetime is `2024-01-02 03:04:00`, a date alone on a
/// datetime gets midnight, `10:00` on a time is `10:00:00`, and fractional
/// digits are cut to the column's precision (MariaDB 10.11 truncates; MySQL
/// rounds unless `TIME_TRUNCATE_FRACTIONAL` is set) with trailing zeros
/// dropped. Text that is not a plain literal is kept as it is.
fn canonical_temporal(text: &str, ty: &ColumnType) -> String {
    let parsed = match ty {
        ColumnType::Date => parse_date(text.trim()).map(|(date, _)| date),
        ColumnType::Time { fsp } => parse_time(text.trim(), *fsp),
        ColumnType::DateTime { fsp } | ColumnType::Timestamp { fsp } => parse_date(text.trim())
            .and_then(|(date, rest)| {
                let rest = rest.strip_prefix([' ', 'T']).unwrap_or(rest);
                if rest.is_empty() {
                    Some(format!("{date} 00:00:00"))
                } else {
                    parse_time(rest, *fsp).map(|time| format!("{date} {time}"))
                }
            }),
        _ => None,
    };
    parsed.unwrap_or_else(|| text.to_string())
}

/// `Y-M-D` at the start of `text` → (`YYYY-MM-DD`, the rest).
fn parse_date(text: &str) -> Option<(String, &str)> {
    let mut parts = text.splitn(3, '-');
    let year = parts.next()?;
    let month = parts.next()?;
    let rest = parts.next()?;
    let day_len = rest
        .find(|c: char| !c.is_ascii_digit())
        .unwrap_or(rest.len());
    let (day, rest) = rest.split_at(day_len);
    let number = |s: &str, max_len: usize| -> Option<u32> {
        (!s.is_empty() && s.len() <= max_len && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    let (y, m, d) = (number(year, 4)?, number(month, 2)?, number(day, 2)?);
    Some((format!("{y:04}-{m:02}-{d:02}"), rest))
}

/// `H:M[:S[.frac]]` → `HH:MM:SS[.frac]` with the fraction cut to `fsp`.
fn parse_time(text: &str, fsp: u8) -> Option<String> {
    let (sign, body) = match text.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", text),
    };
    let (clock, fraction) = body.split_once('.').unwrap_or((body, ""));
    let fields: Vec<&str> = clock.split(':').collect();
    if !(2..=3).contains(&fields.len())
        || fields
            .iter()
            .any(|f| f.is_empty() || f.len() > 3 || !f.bytes().all(|b| b.is_ascii_digit()))
        || !fraction.bytes().all(|b| b.is_ascii_digit())
    {
        return None;
    }
    let field = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<u32>().ok())
            .unwrap_or(0)
    };
    let keep = usize::from(fsp).min(fraction.len());
    let fraction = fraction[..keep].trim_end_matches('0');
    let mut out = format!("{sign}{:02}:{:02}:{:02}", field(0), field(1), field(2));
    if !fraction.is_empty() {
        out.push('.');
        out.push_str(fraction);
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ty(text: &str) -> ColumnType {
        ColumnType::parse(text).unwrap_or_else(|e| panic!("{e}"))
    }

    fn canon(default: &str, column_type: &str) -> DefaultValue {
        DefaultValue::parse_sql(default).canonical_for(&ty(column_type))
    }

    #[test]
    fn quoted_literal_with_doubled_quote_is_unescaped() {
        assert_eq!(
            DefaultValue::parse_sql("'it''s'"),
            DefaultValue::Literal("it's".into())
        );
    }

    #[test]
    fn backslash_percent_and_underscore_keep_their_backslash() {
        assert_eq!(
            DefaultValue::parse_sql(r"'50\%'"),
            DefaultValue::Literal(r"50\%".into())
        );
        assert_eq!(
            DefaultValue::parse_sql(r"'a\nb'"),
            DefaultValue::Literal("a\nb".into())
        );
    }

    #[test]
    fn drizzle_parenthesized_text_default_is_a_literal() {
        assert_eq!(
            DefaultValue::parse_sql("('hello')"),
            DefaultValue::Literal("hello".into())
        );
        assert_eq!(
            DefaultValue::parse_sql("('{\"a\":1}')"),
            DefaultValue::Literal("{\"a\":1}".into())
        );
    }

    #[test]
    fn mysql8_introducer_literal_is_a_literal() {
        assert_eq!(
            DefaultValue::parse_sql("_utf8mb4'hello'"),
            DefaultValue::Literal("hello".into())
        );
    }

    #[test]
    fn now_family_is_current_timestamp_with_its_fsp() {
        for text in [
            "(now())",
            "now()",
            "CURRENT_TIMESTAMP",
            "current_timestamp()",
            "(CURRENT_TIMESTAMP)",
        ] {
            assert_eq!(
                DefaultValue::parse_sql(text),
                DefaultValue::CurrentTimestamp { fsp: 0 },
                "{text}"
            );
        }
        assert_eq!(
            DefaultValue::parse_sql("current_timestamp(3)"),
            DefaultValue::CurrentTimestamp { fsp: 3 }
        );
        assert_eq!(
            DefaultValue::parse_sql("now(6)"),
            DefaultValue::CurrentTimestamp { fsp: 6 }
        );
    }

    #[test]
    fn decimal_defaults_compare_at_column_scale() {
        assert_eq!(
            canon("'1.5'", "decimal(10,2)"),
            DefaultValue::Number("1.50".into())
        );
        assert_eq!(
            canon("1.50", "decimal(10,2)"),
            canon("'1.5'", "decimal(10,2)")
        );
        assert_eq!(
            canon("0", "decimal(8,3)"),
            DefaultValue::Number("0.000".into())
        );
        assert_eq!(
            canon("-1", "decimal(5,2)"),
            DefaultValue::Number("-1.00".into())
        );
        assert_eq!(
            canon("1.555", "decimal(10,2)"),
            DefaultValue::Number("1.56".into())
        );
        assert_eq!(
            canon("9.995", "decimal(10,2)"),
            DefaultValue::Number("10.00".into())
        );
    }

    #[test]
    fn boolean_true_is_1() {
        assert_eq!(canon("true", "boolean"), canon("1", "tinyint(1)"));
        assert_eq!(canon("false", "boolean"), DefaultValue::Number("0".into()));
    }

    #[test]
    fn float_defaults_compare_by_value() {
        assert_eq!(canon("1e3", "double"), canon("1000", "double"));
        assert_eq!(canon("1.50", "float"), canon("1.5", "float"));
    }

    #[test]
    fn number_on_a_string_column_is_a_string() {
        assert_eq!(canon("42", "varchar(20)"), canon("'42'", "varchar(20)"));
    }

    #[test]
    fn datetime_literal_drops_zero_fraction() {
        assert_eq!(
            canon("'2024-01-02 03:04:05.000'", "datetime"),
            canon("'2024-01-02 03:04:05'", "datetime")
        );
    }

    #[test]
    fn datetime_literal_is_cut_to_the_column_precision() {
        assert_eq!(
            canon("'2024-01-02 03:04:05.678'", "datetime"),
            DefaultValue::Literal("2024-01-02 03:04:05".into())
        );
        assert_eq!(
            canon("'2024-01-02 03:04:05.678'", "datetime(2)"),
            DefaultValue::Literal("2024-01-02 03:04:05.67".into())
        );
    }

    #[test]
    fn current_timestamp_default_takes_the_column_precision() {
        assert_eq!(
            canon("(now())", "timestamp(3)"),
            DefaultValue::CurrentTimestamp { fsp: 3 }
        );
        assert_eq!(
            canon("current_timestamp(3)", "timestamp(3)"),
            canon("now()", "timestamp(3)")
        );
    }

    #[test]
    fn scaled_float_defaults_are_rounded_to_their_scale() {
        assert_eq!(
            canon("1.23456", "float(7,3)"),
            DefaultValue::Number("1.235".into())
        );
        assert_eq!(
            canon("3.14159", "double(10,2)"),
            DefaultValue::Number("3.14".into())
        );
        assert_eq!(
            canon("3.14", "double(10,2)"),
            canon("3.140", "double(10,2)")
        );
    }

    #[test]
    fn single_precision_float_defaults_keep_6_significant_digits() {
        assert_eq!(
            canon("3.14159265358979", "float"),
            DefaultValue::Number("3.14159".into())
        );
        assert_eq!(
            canon("16777217", "float"),
            DefaultValue::Number("16777200".into())
        );
        assert_eq!(canon("-0", "double"), DefaultValue::Number("0".into()));
    }

    #[test]
    fn char_and_enum_defaults_lose_trailing_spaces() {
        assert_eq!(
            canon("'ab  '", "char(5)"),
            DefaultValue::Literal("ab".into())
        );
        assert_eq!(
            canon("'x '", "enum('x','y')"),
            DefaultValue::Literal("x".into())
        );
        assert_eq!(
            canon("'ab  '", "varchar(5)"),
            DefaultValue::Literal("ab  ".into())
        );
    }

    #[test]
    fn temporal_literals_are_spelled_as_the_server_stores_them() {
        assert_eq!(
            canon("'10:00'", "time"),
            DefaultValue::Literal("10:00:00".into())
        );
        assert_eq!(
            canon("'1:2:3'", "time"),
            DefaultValue::Literal("01:02:03".into())
        );
        assert_eq!(
            canon("'2024-01-02'", "datetime"),
            DefaultValue::Literal("2024-01-02 00:00:00".into())
        );
        assert_eq!(
            canon("'2024-1-2T03:04:05.678'", "datetime(3)"),
            DefaultValue::Literal("2024-01-02 03:04:05.678".into())
        );
        assert_eq!(
            canon("'2024-01-02 10:00:00'", "date"),
            DefaultValue::Literal("2024-01-02".into())
        );
    }

    #[test]
    fn two_digit_years_are_expanded_like_the_server_does() {
        assert_eq!(canon("24", "year"), DefaultValue::Number("2024".into()));
        assert_eq!(canon("70", "year"), DefaultValue::Number("1970".into()));
        assert_eq!(canon("'0'", "year"), DefaultValue::Number("2000".into()));
        assert_eq!(canon("0", "year"), DefaultValue::Number("0".into()));
    }

    #[test]
    fn null_keyword_is_null() {
        assert_eq!(DefaultValue::parse_sql("null"), DefaultValue::Null);
    }

    #[test]
    fn other_expressions_are_normalized() {
        assert_eq!(
            DefaultValue::parse_sql("(UUID())"),
            DefaultValue::Expr("uuid()".into())
        );
    }

    #[test]
    fn sql_of_text_literal_is_an_expression() {
        assert_eq!(
            DefaultValue::Literal("x".into()).to_sql(&ty("text")),
            "('x')"
        );
        assert_eq!(
            DefaultValue::Literal("it's".into()).to_sql(&ty("varchar(5)")),
            "'it''s'"
        );
    }
}
