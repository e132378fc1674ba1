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
                DefaultValue::Literal(canonical_temporal(&text, fsp_of(ty)))
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
            value.push(crate::column_type::unescape_char(chars.next()?));
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
        ColumnType::Float { .. } | ColumnType::Double { .. } => {
            text.parse::<f64>().ok().map(|v| format!("{v}"))
        }
        _ => match text.parse::<i128>() {
            Ok(v) => Some(v.to_string()),
            Err(_) => decimal_at_scale(&text, 0),
        },
    }
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

/// `2024-01-02 03:04:05.000` → `2024-01-02 03:04:05`; `10:00:00.500` → `10:00:00.5`.
///
/// Fractional digits beyond the column's precision are cut: MariaDB 10.11
/// truncates them when it stores the default (Drizzle writes `Date` defaults
/// with milliseconds even on a `datetime(0)`). MySQL rounds instead, unless
/// `TIME_TRUNCATE_FRACTIONAL` is set.
fn canonical_temporal(text: &str, fsp: Option<u8>) -> String {
    match text.rsplit_once('.') {
        Some((head, frac)) if frac.chars().all(|c| c.is_ascii_digit()) && head.contains(':') => {
            let keep = fsp.map_or(frac.len(), |f| usize::from(f).min(frac.len()));
            let frac = frac[..keep].trim_end_matches('0');
            if frac.is_empty() {
                head.to_string()
            } else {
                format!("{head}.{frac}")
            }
        }
        _ => text.to_string(),
    }
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
