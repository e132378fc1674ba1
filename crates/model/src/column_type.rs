//! Column types as a closed set, parsed once from MySQL type text.
//!
//! [`ColumnType::parse`] accepts both spellings that reach us: drizzle-kit's
//! `getSQLType()` strings (`int unsigned`, `real(10, 2)`, `decimal`, `serial`)
//! and information_schema `COLUMN_TYPE` (`int(11)`, `bigint(20) unsigned`,
//! `double(10,2)`, `enum('a','it''s')`). The result is canonical, so equal
//! types compare equal:
//!
//! * integer display widths are dropped (MySQL ≥ 8.0.19 no longer prints them;
//!   MariaDB and MySQL 5.7 do), except that a signed `tinyint(1)` is the
//!   boolean type, and zerofill columns are kept apart;
//! * `real` and `double precision` are `double`; `float(p)` is `float` for
//!   p ≤ 24 and `double` above;
//! * `decimal` is `decimal(10,0)`, `decimal(p)` is `decimal(p,0)`;
//! * bare `char`/`binary` are length 1; `year(4)` is `year`.

use std::cmp::Ordering;
use std::fmt;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IntSize {
    Tiny,
    Small,
    Medium,
    Int,
    Big,
}

impl IntSize {
    fn keyword(self) -> &'static str {
        match self {
            IntSize::Tiny => "tinyint",
            IntSize::Small => "smallint",
            IntSize::Medium => "mediumint",
            IntSize::Int => "int",
            IntSize::Big => "bigint",
        }
    }

    fn bits(self) -> u32 {
        match self {
            IntSize::Tiny => 8,
            IntSize::Small => 16,
            IntSize::Medium => 24,
            IntSize::Int => 32,
            IntSize::Big => 64,
        }
    }

    /// Inclusive value range.
    pub fn range(self, unsigned: bool) -> (i128, i128) {
        let bits = self.bits();
        if unsigned {
            (0, (1i128 << bits) - 1)
        } else {
            (-(1i128 << (bits - 1)), (1i128 << (bits - 1)) - 1)
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TextSize {
    Tiny,
    Text,
    Medium,
    Long,
}

impl TextSize {
    fn max_bytes(self) -> u64 {
        match self {
            TextSize::Tiny => 255,
            TextSize::Text => 65_535,
            TextSize::Medium => 16_777_215,
            TextSize::Long => 4_294_967_295,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BlobSize {
    Tiny,
    Blob,
    Medium,
    Long,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ColumnType {
    Integer {
        size: IntSize,
        unsigned: bool,
        /// `ZEROFILL` keeps a display width on every server.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        zerofill_width: Option<u32>,
    },
    /// `boolean` / signed `tinyint(1)`.
    Boolean,
    Decimal {
        precision: u32,
        scale: u32,
        unsigned: bool,
    },
    Float {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        precision_scale: Option<(u32, u32)>,
        unsigned: bool,
    },
    Double {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        precision_scale: Option<(u32, u32)>,
        unsigned: bool,
    },
    Bit {
        width: u32,
    },
    Char {
        length: u32,
    },
    Varchar {
        length: u32,
    },
    Text {
        size: TextSize,
    },
    Binary {
        length: u32,
    },
    Varbinary {
        length: u32,
    },
    Blob {
        size: BlobSize,
    },
    Json,
    Date,
    DateTime {
        fsp: u8,
    },
    Time {
        fsp: u8,
    },
    Timestamp {
        fsp: u8,
    },
    Year,
    Enum {
        values: Vec<String>,
    },
    Set {
        values: Vec<String>,
    },
    /// A type this crate does not model; compared by its text only.
    Unsupported {
        raw: String,
    },
}

/// How one type's capacity relates to another's (for "narrower in the DB"
/// severity decisions).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TypeCapacity {
    Same,
    /// Every value of the other type fits in this one.
    Wider,
    /// Some value of the other type does not fit in this one (truncation risk).
    Narrower,
    /// Different families (e.g. varchar vs int): neither holds the other.
    Incompatible,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot parse column type `{raw}`: {reason}")]
pub struct TypeParseError {
    pub raw: String,
    pub reason: String,
}

impl ColumnType {
    /// Parses a MySQL column type (see the module docs for what is accepted).
    /// Unknown type names become [`ColumnType::Unsupported`]; malformed
    /// arguments are an error.
    pub fn parse(raw: &str) -> Result<ColumnType, TypeParseError> {
        let fail = |reason: &str| TypeParseError {
            raw: raw.to_string(),
            reason: reason.to_string(),
        };
        let text = strip_comments(raw);
        let text = text.trim();
        let (name, args, rest) = split_type(text).map_err(|r| fail(&r))?;
        let name = name.to_ascii_lowercase();
        let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
        let mut unsigned = false;
        let mut zerofill = false;
        for word in rest.split_whitespace() {
            match word.to_ascii_lowercase().as_str() {
                "unsigned" => unsigned = true,
                "signed" => {}
                "zerofill" => {
                    zerofill = true;
                    unsigned = true;
                }
                other => return Err(fail(&format!("unexpected `{other}` after the type"))),
            }
        }
        let numbers = |max: usize| -> Result<Vec<u32>, TypeParseError> {
            let Some(args) = args else {
                return Ok(Vec::new());
            };
            let parsed: Result<Vec<u32>, _> =
                args.split(',').map(|a| a.trim().parse::<u32>()).collect();
            let parsed = parsed.map_err(|_| fail("expected numeric arguments"))?;
            if parsed.len() > max {
                return Err(fail("too many arguments"));
            }
            Ok(parsed)
        };
        let one = |default: u32| -> Result<u32, TypeParseError> {
            Ok(numbers(1)?.first().copied().unwrap_or(default))
        };
        let fsp = || -> Result<u8, TypeParseError> {
            let value = one(0)?;
            u8::try_from(value)
                .ok()
                .filter(|f| *f <= 6)
                .ok_or_else(|| fail("fractional seconds precision must be 0-6"))
        };

        let int_size = match name.as_str() {
            "tinyint" | "int1" => Some(IntSize::Tiny),
            "smallint" | "int2" => Some(IntSize::Small),
            "mediumint" | "int3" | "middleint" => Some(IntSize::Medium),
            "int" | "integer" | "int4" => Some(IntSize::Int),
            "bigint" | "int8" => Some(IntSize::Big),
            _ => None,
        };
        if let Some(size) = int_size {
            let width = numbers(1)?.first().copied();
            // A signed tinyint(1) is how every server stores BOOLEAN.
            if size == IntSize::Tiny && width == Some(1) && !unsigned {
                return Ok(ColumnType::Boolean);
            }
            return Ok(ColumnType::Integer {
                size,
                unsigned,
                zerofill_width: if zerofill {
                    Some(width.unwrap_or_else(|| default_zerofill_width(size)))
                } else {
                    None
                },
            });
        }
        let ty = match name.as_str() {
            "boolean" | "bool" => ColumnType::Boolean,
            "serial" => ColumnType::Integer {
                size: IntSize::Big,
                unsigned: true,
                zerofill_width: None,
            },
            "decimal" | "numeric" | "dec" | "fixed" => {
                let n = numbers(2)?;
                ColumnType::Decimal {
                    precision: n.first().copied().unwrap_or(10),
                    scale: n.get(1).copied().unwrap_or(0),
                    unsigned,
                }
            }
            "float" => {
                let n = numbers(2)?;
                match n.as_slice() {
                    [] => ColumnType::Float {
                        precision_scale: None,
                        unsigned,
                    },
                    // FLOAT(p): p ≤ 24 is a single-precision FLOAT, 25–53 a DOUBLE.
                    [p] if *p <= 24 => ColumnType::Float {
                        precision_scale: None,
                        unsigned,
                    },
                    [p] if *p <= 53 => ColumnType::Double {
                        precision_scale: None,
                        unsigned,
                    },
                    [_] => return Err(fail("float precision must be 0-53")),
                    [p, s] => ColumnType::Float {
                        precision_scale: Some((*p, *s)),
                        unsigned,
                    },
                    _ => return Err(fail("too many arguments")),
                }
            }
            // REAL is DOUBLE unless the REAL_AS_FLOAT sql_mode is set.
            "double" | "double precision" | "real" => {
                let n = numbers(2)?;
                match n.as_slice() {
                    [] => ColumnType::Double {
                        precision_scale: None,
                        unsigned,
                    },
                    [p, s] => ColumnType::Double {
                        precision_scale: Some((*p, *s)),
                        unsigned,
                    },
                    _ => return Err(fail("double takes (precision, scale) or nothing")),
                }
            }
            "bit" => ColumnType::Bit { width: one(1)? },
            "char" | "character" | "nchar" => ColumnType::Char { length: one(1)? },
            "varchar" | "character varying" | "nvarchar" => match numbers(1)?.first() {
                Some(length) => ColumnType::Varchar { length: *length },
                None => return Err(fail("varchar needs a length")),
            },
            "tinytext" => ColumnType::Text {
                size: TextSize::Tiny,
            },
            "text" => ColumnType::Text {
                size: text_size_for(numbers(1)?.first().copied()),
            },
            "mediumtext" | "long varchar" => ColumnType::Text {
                size: TextSize::Medium,
            },
            "longtext" => ColumnType::Text {
                size: TextSize::Long,
            },
            "binary" => ColumnType::Binary { length: one(1)? },
            "varbinary" => match numbers(1)?.first() {
                Some(length) => ColumnType::Varbinary { length: *length },
                None => return Err(fail("varbinary needs a length")),
            },
            "tinyblob" => ColumnType::Blob {
                size: BlobSize::Tiny,
            },
            "blob" => ColumnType::Blob {
                size: blob_size_for(numbers(1)?.first().copied()),
            },
            "mediumblob" => ColumnType::Blob {
                size: BlobSize::Medium,
            },
            "longblob" => ColumnType::Blob {
                size: BlobSize::Long,
            },
            "json" => ColumnType::Json,
            "date" => ColumnType::Date,
            "datetime" => ColumnType::DateTime { fsp: fsp()? },
            "time" => ColumnType::Time { fsp: fsp()? },
            "timestamp" => ColumnType::Timestamp { fsp: fsp()? },
            // YEAR(4) is the only width left (MySQL 8.0.19 drops it from output).
            "year" => {
                numbers(1)?;
                ColumnType::Year
            }
            "enum" | "set" => {
                // Servers remove trailing spaces from members at CREATE time
                // (MySQL manual, "The ENUM Type"; MariaDB 10.11 observed).
                let values = match args {
                    Some(args) => parse_quoted_list(args)
                        .map_err(|r| fail(&r))?
                        .into_iter()
                        .map(|v| v.trim_end_matches(' ').to_string())
                        .collect(),
                    None => return Err(fail("enum/set needs a value list")),
                };
                if name == "enum" {
                    ColumnType::Enum { values }
                } else {
                    ColumnType::Set { values }
                }
            }
            _ => ColumnType::Unsupported {
                raw: text.to_string(),
            },
        };
        Ok(ty)
    }

    pub fn is_integer_like(&self) -> bool {
        matches!(
            self,
            ColumnType::Integer { .. }
                | ColumnType::Boolean
                | ColumnType::Year
                | ColumnType::Bit { .. }
        )
    }

    pub fn is_numeric(&self) -> bool {
        self.is_integer_like()
            || matches!(
                self,
                ColumnType::Decimal { .. } | ColumnType::Float { .. } | ColumnType::Double { .. }
            )
    }

    pub fn is_temporal(&self) -> bool {
        matches!(
            self,
            ColumnType::Date
                | ColumnType::DateTime { .. }
                | ColumnType::Time { .. }
                | ColumnType::Timestamp { .. }
        )
    }

    /// Types whose literal defaults MySQL 8 only accepts as expressions.
    pub fn is_blob_like(&self) -> bool {
        matches!(
            self,
            ColumnType::Text { .. } | ColumnType::Blob { .. } | ColumnType::Json
        )
    }

    /// How `self` (say, the database's type) relates to `other` (the schema's).
    pub fn capacity_vs(&self, other: &ColumnType) -> TypeCapacity {
        use ColumnType as T;
        if self == other {
            return TypeCapacity::Same;
        }
        let by = |ord: Option<Ordering>| match ord {
            Some(Ordering::Equal) => TypeCapacity::Same,
            Some(Ordering::Greater) => TypeCapacity::Wider,
            Some(Ordering::Less) => TypeCapacity::Narrower,
            None => TypeCapacity::Incompatible,
        };
        match (self, other) {
            (T::Integer { .. } | T::Boolean, T::Integer { .. } | T::Boolean) => {
                let (lo_a, hi_a) = self.integer_range().unwrap_or((0, 0));
                let (lo_b, hi_b) = other.integer_range().unwrap_or((0, 0));
                if lo_a <= lo_b && hi_a >= hi_b {
                    TypeCapacity::Wider
                } else {
                    TypeCapacity::Narrower
                }
            }
            (
                T::Decimal {
                    precision: pa,
                    scale: sa,
                    ..
                },
                T::Decimal {
                    precision: pb,
                    scale: sb,
                    ..
                },
            ) => {
                let int_a = pa.saturating_sub(*sa);
                let int_b = pb.saturating_sub(*sb);
                if int_a >= int_b && sa >= sb {
                    TypeCapacity::Wider
                } else {
                    TypeCapacity::Narrower
                }
            }
            (T::Float { .. }, T::Double { .. }) => TypeCapacity::Narrower,
            (T::Double { .. }, T::Float { .. }) => TypeCapacity::Wider,
            (T::Enum { values: a }, T::Enum { values: b })
            | (T::Set { values: a }, T::Set { values: b }) => {
                if b.iter().all(|v| a.contains(v)) {
                    TypeCapacity::Wider
                } else {
                    TypeCapacity::Narrower
                }
            }
            (T::DateTime { fsp: a }, T::DateTime { fsp: b })
            | (T::Time { fsp: a }, T::Time { fsp: b })
            | (T::Timestamp { fsp: a }, T::Timestamp { fsp: b }) => by(a.partial_cmp(b)),
            _ => match (self.max_chars(), other.max_chars()) {
                (Some(a), Some(b)) if self.is_binary() == other.is_binary() => {
                    by(a.partial_cmp(&b))
                }
                _ => TypeCapacity::Incompatible,
            },
        }
    }

    fn integer_range(&self) -> Option<(i128, i128)> {
        match self {
            ColumnType::Integer { size, unsigned, .. } => Some(size.range(*unsigned)),
            ColumnType::Boolean => Some(IntSize::Tiny.range(false)),
            _ => None,
        }
    }

    fn is_binary(&self) -> bool {
        matches!(
            self,
            ColumnType::Binary { .. } | ColumnType::Varbinary { .. } | ColumnType::Blob { .. }
        )
    }

    /// Maximum length in characters (bytes for binary types) of string types.
    fn max_chars(&self) -> Option<u64> {
        match self {
            ColumnType::Char { length }
            | ColumnType::Varchar { length }
            | ColumnType::Binary { length }
            | ColumnType::Varbinary { length } => Some(u64::from(*length)),
            ColumnType::Text { size } => Some(size.max_bytes()),
            ColumnType::Blob { size } => Some(match size {
                BlobSize::Tiny => 255,
                BlobSize::Blob => 65_535,
                BlobSize::Medium => 16_777_215,
                BlobSize::Long => 4_294_967_295,
            }),
            _ => None,
        }
    }
}

impl fmt::Display for ColumnType {
    /// The canonical MySQL spelling, valid in DDL on MySQL and MariaDB.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = |unsigned: bool| if unsigned { " unsigned" } else { "" };
        match self {
            ColumnType::Integer {
                size,
                unsigned,
                zerofill_width,
            } => match zerofill_width {
                Some(width) => write!(f, "{}({width}) unsigned zerofill", size.keyword()),
                None => write!(f, "{}{}", size.keyword(), sign(*unsigned)),
            },
            ColumnType::Boolean => f.write_str("boolean"),
            ColumnType::Decimal {
                precision,
                scale,
                unsigned,
            } => write!(f, "decimal({precision},{scale}){}", sign(*unsigned)),
            ColumnType::Float {
                precision_scale,
                unsigned,
            } => match precision_scale {
                Some((p, s)) => write!(f, "float({p},{s}){}", sign(*unsigned)),
                None => write!(f, "float{}", sign(*unsigned)),
            },
            ColumnType::Double {
                precision_scale,
                unsigned,
            } => match precision_scale {
                Some((p, s)) => write!(f, "double({p},{s}){}", sign(*unsigned)),
                None => write!(f, "double{}", sign(*unsigned)),
            },
            ColumnType::Bit { width } => write!(f, "bit({width})"),
            ColumnType::Char { length } => write!(f, "char({length})"),
            ColumnType::Varchar { length } => write!(f, "varchar({length})"),
            ColumnType::Text { size } => f.write_str(match size {
                TextSize::Tiny => "tinytext",
                TextSize::Text => "text",
                TextSize::Medium => "mediumtext",
                TextSize::Long => "longtext",
            }),
            ColumnType::Binary { length } => write!(f, "binary({length})"),
            ColumnType::Varbinary { length } => write!(f, "varbinary({length})"),
            ColumnType::Blob { size } => f.write_str(match size {
                BlobSize::Tiny => "tinyblob",
                BlobSize::Blob => "blob",
                BlobSize::Medium => "mediumblob",
                BlobSize::Long => "longblob",
            }),
            ColumnType::Json => f.write_str("json"),
            ColumnType::Date => f.write_str("date"),
            ColumnType::DateTime { fsp } => with_fsp(f, "datetime", *fsp),
            ColumnType::Time { fsp } => with_fsp(f, "time", *fsp),
            ColumnType::Timestamp { fsp } => with_fsp(f, "timestamp", *fsp),
            ColumnType::Year => f.write_str("year"),
            ColumnType::Enum { values } => write_list(f, "enum", values),
            ColumnType::Set { values } => write_list(f, "set", values),
            ColumnType::Unsupported { raw } => f.write_str(raw),
        }
    }
}

fn with_fsp(f: &mut fmt::Formatter<'_>, name: &str, fsp: u8) -> fmt::Result {
    if fsp == 0 {
        f.write_str(name)
    } else {
        write!(f, "{name}({fsp})")
    }
}

fn write_list(f: &mut fmt::Formatter<'_>, name: &str, values: &[String]) -> fmt::Result {
    f.write_str(name)?;
    f.write_str("(")?;
    for (i, value) in values.iter().enumerate() {
        if i > 0 {
            f.write_str(",")?;
        }
        f.write_str(&quote_sql_string(value))?;
    }
    f.write_str(")")
}

/// `it's` → `'it''s'`; backslashes and control characters escaped, so the
/// literal is one line and reads back exactly (under the default sql_mode,
/// without `NO_BACKSLASH_ESCAPES`).
pub fn quote_sql_string(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('\'');
    for ch in value.chars() {
        match ch {
            '\'' => out.push_str("''"),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\0' => out.push_str("\\0"),
            '\u{1a}' => out.push_str("\\Z"),
            other => out.push(other),
        }
    }
    out.push('\'');
    out
}

fn default_zerofill_width(size: IntSize) -> u32 {
    match size {
        IntSize::Tiny => 3,
        IntSize::Small => 5,
        IntSize::Medium => 8,
        IntSize::Int => 10,
        IntSize::Big => 20,
    }
}

/// `TEXT(n)` picks the smallest text type that holds n characters.
fn text_size_for(length: Option<u32>) -> TextSize {
    match length {
        Some(n) if n <= 255 => TextSize::Tiny,
        Some(n) if n > 16_777_215 => TextSize::Long,
        Some(n) if n > 65_535 => TextSize::Medium,
        _ => TextSize::Text,
    }
}

fn blob_size_for(length: Option<u32>) -> BlobSize {
    match length {
        Some(n) if n <= 255 => BlobSize::Tiny,
        Some(n) if n > 16_777_215 => BlobSize::Long,
        Some(n) if n > 65_535 => BlobSize::Medium,
        _ => BlobSize::Blob,
    }
}

/// Removes `/* … */` comments (MariaDB `/*M!100301 COMPRESSED*/`, old
/// temporal format markers such as `/* mariadb-5.3 */`).
fn strip_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("/*") {
        out.push_str(&rest[..start]);
        match rest[start..].find("*/") {
            Some(end) => rest = &rest[start + end + 2..],
            None => {
                rest = "";
            }
        }
    }
    out.push_str(rest);
    out
}

/// Splits `name(args) rest`; quoted strings inside args may hold parentheses.
fn split_type(text: &str) -> Result<(&str, Option<&str>, &str), String> {
    let Some(open) = text.find('(') else {
        // `int unsigned`, `double precision`: the name is the leading words
        // that are not modifiers.
        let mut name_end = text.len();
        for (idx, word) in word_starts(text) {
            if matches!(
                word.to_ascii_lowercase().as_str(),
                "unsigned" | "signed" | "zerofill"
            ) {
                name_end = idx;
                break;
            }
        }
        return Ok((text[..name_end].trim(), None, &text[name_end..]));
    };
    let mut in_quote = false;
    let bytes = text.as_bytes();
    let mut i = open + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\'' if in_quote && bytes.get(i + 1) == Some(&b'\'') => i += 1,
            b'\\' if in_quote => i += 1,
            b'\'' => in_quote = !in_quote,
            b')' if !in_quote => {
                return Ok((
                    text[..open].trim(),
                    Some(&text[open + 1..i]),
                    &text[i + 1..],
                ));
            }
            _ => {}
        }
        i += 1;
    }
    Err("unbalanced parentheses".to_string())
}

fn word_starts(text: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut pos = 0;
    text.split(' ').filter_map(move |word| {
        let start = pos;
        pos += word.len() + 1;
        (!word.is_empty()).then_some((start, word))
    })
}

/// Parses `'a','it''s','c\\d'` into its values: quotes doubled or
/// backslash-escaped inside, commas allowed inside values.
fn parse_quoted_list(args: &str) -> Result<Vec<String>, String> {
    let mut values = Vec::new();
    let mut chars = args.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        match chars.next() {
            Some('\'') => {}
            Some(other) => return Err(format!("expected a quoted value, found `{other}`")),
            None => return Err("empty value list".to_string()),
        }
        let mut value = String::new();
        loop {
            match chars.next() {
                Some('\'') if chars.peek() == Some(&'\'') => {
                    chars.next();
                    value.push('\'');
                }
                Some('\'') => break,
                Some('\\') => match chars.next() {
                    Some(escaped) => push_unescaped(&mut value, escaped),
                    None => return Err("unterminated escape".to_string()),
                },
                Some(c) => value.push(c),
                None => return Err("unterminated quoted value".to_string()),
            }
        }
        values.push(value);
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        match chars.next() {
            Some(',') => continue,
            None => return Ok(values),
            Some(other) => return Err(format!("expected `,` between values, found `{other}`")),
        }
    }
}

/// Appends what a MySQL string literal means by `\<escaped>`. `\%` and `\_`
/// keep their backslash (MySQL manual, "String Literals": they exist for LIKE
/// patterns); any other unknown escape is the character itself.
pub fn push_unescaped(out: &mut String, escaped: char) {
    match escaped {
        '0' => out.push('\0'),
        'n' => out.push('\n'),
        'r' => out.push('\r'),
        't' => out.push('\t'),
        'Z' => out.push('\u{1a}'),
        'b' => out.push('\u{8}'),
        '%' | '_' => {
            out.push('\\');
            out.push(escaped);
        }
        other => out.push(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> ColumnType {
        ColumnType::parse(text).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn integer_display_width_is_dropped() {
        assert_eq!(parse("int(11)"), parse("int"));
        assert_eq!(parse("bigint(20) unsigned"), parse("bigint unsigned"));
        assert_eq!(parse("smallint(6)"), parse("smallint"));
        assert_eq!(parse("mediumint(8) unsigned"), parse("mediumint unsigned"));
        assert_eq!(parse("tinyint(4)"), parse("tinyint"));
    }

    #[test]
    fn signed_tinyint_1_is_boolean_but_unsigned_is_not() {
        assert_eq!(parse("tinyint(1)"), ColumnType::Boolean);
        assert_eq!(parse("boolean"), ColumnType::Boolean);
        assert_eq!(parse("tinyint(1) unsigned"), parse("tinyint unsigned"));
    }

    #[test]
    fn zerofill_keeps_its_width_and_implies_unsigned() {
        assert_eq!(
            parse("bigint(20) unsigned zerofill"),
            ColumnType::Integer {
                size: IntSize::Big,
                unsigned: true,
                zerofill_width: Some(20)
            }
        );
        assert_ne!(parse("int zerofill"), parse("int unsigned"));
    }

    #[test]
    fn serial_is_bigint_unsigned() {
        assert_eq!(parse("serial"), parse("bigint(20) unsigned"));
    }

    #[test]
    fn real_and_double_precision_are_double() {
        assert_eq!(parse("real"), parse("double"));
        assert_eq!(parse("real(10, 2)"), parse("double(10,2)"));
        assert_eq!(parse("double precision"), parse("double"));
    }

    #[test]
    fn float_precision_picks_float_or_double() {
        assert_eq!(parse("float(10)"), parse("float"));
        assert_eq!(parse("float(24)"), parse("float"));
        assert_eq!(parse("float(30)"), parse("double"));
        assert_eq!(parse("float(7,3)").to_string(), "float(7,3)");
    }

    #[test]
    fn decimal_defaults_to_10_0() {
        assert_eq!(parse("decimal"), parse("decimal(10,0)"));
        assert_eq!(parse("decimal(5)"), parse("decimal(5,0)"));
        assert_eq!(parse("numeric(8,3)"), parse("decimal(8,3)"));
        assert_eq!(
            parse("decimal(12, 4) unsigned").to_string(),
            "decimal(12,4) unsigned"
        );
    }

    #[test]
    fn bare_char_and_binary_have_length_1() {
        assert_eq!(parse("char"), parse("char(1)"));
        assert_eq!(parse("binary"), parse("binary(1)"));
    }

    #[test]
    fn year_4_is_year() {
        assert_eq!(parse("year(4)"), ColumnType::Year);
    }

    #[test]
    fn temporal_fsp_is_kept_and_zero_is_the_default() {
        assert_eq!(parse("datetime(0)"), parse("datetime"));
        assert_eq!(parse("timestamp(3)"), ColumnType::Timestamp { fsp: 3 });
        assert_eq!(parse("time(6)").to_string(), "time(6)");
        assert!(ColumnType::parse("datetime(7)").is_err());
    }

    #[test]
    fn enum_values_keep_quotes_commas_and_backslashes() {
        assert_eq!(
            parse("enum('a','b','it''s')"),
            ColumnType::Enum {
                values: vec!["a".into(), "b".into(), "it's".into()]
            }
        );
        assert_eq!(
            parse(r"enum('a,b','c\\d','(x)')"),
            ColumnType::Enum {
                values: vec!["a,b".into(), r"c\d".into(), "(x)".into()]
            }
        );
        assert_eq!(parse("enum('a','it''s')").to_string(), "enum('a','it''s')");
    }

    #[test]
    fn enum_members_lose_trailing_spaces_like_on_the_server() {
        assert_eq!(
            parse("enum('done','trailing ')"),
            parse("enum('done','trailing')")
        );
        assert_ne!(parse("enum(' lead')"), parse("enum('lead')"));
    }

    #[test]
    fn comments_in_column_type_are_ignored() {
        assert_eq!(parse("datetime /* mariadb-5.3 */"), parse("datetime"));
        assert_eq!(parse("text /*M!100301 COMPRESSED*/"), parse("text"));
    }

    #[test]
    fn unknown_types_are_unsupported_not_guessed() {
        assert_eq!(
            parse("geometry"),
            ColumnType::Unsupported {
                raw: "geometry".into()
            }
        );
    }

    #[test]
    fn varchar_without_length_is_an_error() {
        assert!(ColumnType::parse("varchar").is_err());
    }

    #[test]
    fn narrower_integer_in_db_is_detected() {
        assert_eq!(
            parse("int").capacity_vs(&parse("bigint")),
            TypeCapacity::Narrower
        );
        assert_eq!(
            parse("bigint").capacity_vs(&parse("int")),
            TypeCapacity::Wider
        );
        assert_eq!(
            parse("int unsigned").capacity_vs(&parse("int")),
            TypeCapacity::Narrower
        );
    }

    #[test]
    fn shorter_varchar_in_db_is_narrower() {
        assert_eq!(
            parse("varchar(100)").capacity_vs(&parse("varchar(255)")),
            TypeCapacity::Narrower
        );
        assert_eq!(
            parse("varchar(500)").capacity_vs(&parse("varchar(255)")),
            TypeCapacity::Wider
        );
        assert_eq!(
            parse("text").capacity_vs(&parse("varchar(255)")),
            TypeCapacity::Wider
        );
    }

    #[test]
    fn enum_missing_a_value_is_narrower() {
        assert_eq!(
            parse("enum('a')").capacity_vs(&parse("enum('a','b')")),
            TypeCapacity::Narrower
        );
        assert_eq!(
            parse("enum('a','b','c')").capacity_vs(&parse("enum('a','b')")),
            TypeCapacity::Wider
        );
    }

    #[test]
    fn different_families_are_incompatible() {
        assert_eq!(
            parse("varchar(10)").capacity_vs(&parse("int")),
            TypeCapacity::Incompatible
        );
    }
}
