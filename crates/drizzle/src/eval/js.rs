//! The bits of JavaScript runtime behaviour the reader must reproduce
//! exactly: `Number#toString`, `Number(...)`, `parseInt`, `JSON.stringify`,
//! `Date` parsing and `toISOString`, and object key order.

/// `String(n)` / `n.toString()` for a JS number (ECMA-262 Number::toString).
pub fn number_to_string(n: f64) -> String {
    if n.is_nan() {
        return "NaN".to_string();
    }
    if n.is_infinite() {
        return if n > 0.0 { "Infinity" } else { "-Infinity" }.to_string();
    }
    if n == 0.0 {
        return "0".to_string();
    }
    // Fast path: integers below 2^53 print as themselves (lengths, precisions).
    if n.fract() == 0.0 && n.abs() < 9_007_199_254_740_992.0 && n.abs() < 1e21 {
        #[allow(clippy::cast_possible_truncation)]
        return (n as i64).to_string();
    }
    let sign = if n < 0.0 { "-" } else { "" };
    let (digits, point) = shortest_digits(n.abs());
    let k = digits.len() as i64;
    let body = if k <= point && point <= 21 {
        format!("{digits}{}", "0".repeat((point - k) as usize))
    } else if 0 < point && point <= 21 {
        let (int, frac) = digits.split_at(point as usize);
        format!("{int}.{frac}")
    } else if -6 < point && point <= 0 {
        format!("0.{}{digits}", "0".repeat((-point) as usize))
    } else {
        let e = point - 1;
        let e_sign = if e >= 0 { "+" } else { "-" };
        let (first, rest) = digits.split_at(1);
        if rest.is_empty() {
            format!("{first}e{e_sign}{}", e.abs())
        } else {
            format!("{first}.{rest}e{e_sign}{}", e.abs())
        }
    };
    format!("{sign}{body}")
}

/// The digits `s` and the exponent `n` of ECMA-262 Number::toString (the
/// step that picks `n`, `k` and `s`): `x = 0.s × 10^n` with as few digits as possible; of
/// two equally short candidates, the one closest to `x`; of two equally close
/// ones, the even one.
///
/// Rust's shortest formatting gives the digits but, when `x` lies exactly
/// halfway between two shortest candidates, it may round up where JS takes
/// the even one: `String(25884448728885.3125)` is `25884448728885.312`,
/// Rust prints `…313`.
fn shortest_digits(x: f64) -> (String, i64) {
    let split = |sci: &str| -> (String, i64) {
        let (mantissa, exponent) = sci.split_once('e').unwrap_or((sci, "0"));
        let exponent: i64 = exponent.parse().unwrap_or(0);
        let digits: String = mantissa.chars().filter(|c| *c != '.').collect();
        (digits, exponent + 1)
    };
    let (digits, point) = split(&format!("{x:e}"));
    // The exact decimal value of x (a double has at most 767 significant digits).
    let (exact, exact_point) = split(&format!("{x:.800e}"));
    let exact = exact.trim_end_matches('0');
    let k = digits.len();
    if exact.len() != k + 1 || exact_point != point || !exact.ends_with('5') {
        return (digits, point);
    }
    // A tie: x is exactly halfway between `down` and `up` (k digits each).
    let down = exact[..k].to_string();
    let (up, up_point) = increment_digits(&down, point);
    let round_trips = |d: &str, p: i64| format!("0.{d}e{p}").parse::<f64>().ok() == Some(x);
    let is_even = |d: &str| {
        d.bytes()
            .last()
            .is_some_and(|b| (b - b'0').is_multiple_of(2))
    };
    let candidates = [(down, point), (up, up_point)];
    let valid: Vec<&(String, i64)> = candidates
        .iter()
        .filter(|(d, p)| round_trips(d, *p))
        .collect();
    match valid.as_slice() {
        [only] => (only.0.clone(), only.1),
        [a, b] => {
            let chosen = if is_even(&a.0) || !is_even(&b.0) {
                a
            } else {
                b
            };
            (chosen.0.clone(), chosen.1)
        }
        _ => (digits, point),
    }
}

/// `digits + 1` in the last place; a carry out of the first digit (`99` →
/// `10`, one place up) keeps the digit count.
fn increment_digits(digits: &str, point: i64) -> (String, i64) {
    let mut bytes = digits.as_bytes().to_vec();
    for i in (0..bytes.len()).rev() {
        if bytes[i] == b'9' {
            bytes[i] = b'0';
        } else {
            bytes[i] += 1;
            return (String::from_utf8_lossy(&bytes).into_owned(), point);
        }
    }
    let mut carried = vec![b'1'];
    carried.extend(std::iter::repeat_n(b'0', bytes.len().saturating_sub(1)));
    (String::from_utf8_lossy(&carried).into_owned(), point + 1)
}

/// `Number(text)` (ECMA-262 StringToNumber).
pub fn string_to_number(text: &str) -> f64 {
    let t = text.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    if t.is_empty() {
        return 0.0;
    }
    for (prefix, radix) in [
        ("0x", 16),
        ("0X", 16),
        ("0o", 8),
        ("0O", 8),
        ("0b", 2),
        ("0B", 2),
    ] {
        if let Some(digits) = t.strip_prefix(prefix) {
            return parse_radix_all(digits, radix).unwrap_or(f64::NAN);
        }
    }
    match t {
        "Infinity" | "+Infinity" => return f64::INFINITY,
        "-Infinity" => return f64::NEG_INFINITY,
        _ => {}
    }
    if decimal_literal_len(t) == t.len() {
        t.parse().unwrap_or(f64::NAN)
    } else {
        f64::NAN
    }
}

fn parse_radix_all(digits: &str, radix: u32) -> Option<f64> {
    if digits.is_empty() {
        return None;
    }
    let mut value = 0f64;
    for c in digits.chars() {
        value = value * f64::from(radix) + f64::from(c.to_digit(radix)?);
    }
    Some(value)
}

/// Length of the longest prefix of `t` that is a StrDecimalLiteral
/// (`[+-]? (digits [. digits?] | . digits) ([eE] [+-]? digits)?`), 0 if none.
fn decimal_literal_len(t: &str) -> usize {
    let b = t.as_bytes();
    let mut i = 0;
    if matches!(b.first(), Some(b'+' | b'-')) {
        i += 1;
    }
    let int_start = i;
    while b.get(i).is_some_and(u8::is_ascii_digit) {
        i += 1;
    }
    let mut has_digits = i > int_start;
    if b.get(i) == Some(&b'.') {
        let frac_start = i + 1;
        let mut j = frac_start;
        while b.get(j).is_some_and(u8::is_ascii_digit) {
            j += 1;
        }
        if has_digits || j > frac_start {
            has_digits = true;
            i = j;
        }
    }
    if !has_digits {
        return 0;
    }
    if matches!(b.get(i), Some(b'e' | b'E')) {
        let mut j = i + 1;
        if matches!(b.get(j), Some(b'+' | b'-')) {
            j += 1;
        }
        let exp_start = j;
        while b.get(j).is_some_and(u8::is_ascii_digit) {
            j += 1;
        }
        if j > exp_start {
            i = j;
        }
    }
    i
}

/// `parseInt(text, radix)`.
pub fn parse_int(text: &str, radix: Option<u32>) -> f64 {
    let t = text.trim_start();
    let (negative, t) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let (radix, t) = match radix {
        None | Some(16) if t.starts_with("0x") || t.starts_with("0X") => (16, &t[2..]),
        None | Some(0) => (10, t),
        Some(r) if (2..=36).contains(&r) => (r, t),
        Some(_) => return f64::NAN,
    };
    let digits: String = t.chars().take_while(|c| c.is_digit(radix)).collect();
    match parse_radix_all(&digits, radix) {
        Some(v) if negative => -v,
        Some(v) => v,
        None => f64::NAN,
    }
}

/// `parseFloat(text)`.
pub fn parse_float(text: &str) -> f64 {
    let t = text.trim_start();
    for (word, value) in [
        ("Infinity", f64::INFINITY),
        ("+Infinity", f64::INFINITY),
        ("-Infinity", f64::NEG_INFINITY),
    ] {
        if t.starts_with(word) {
            return value;
        }
    }
    let len = decimal_literal_len(t);
    if len == 0 {
        return f64::NAN;
    }
    t[..len].parse().unwrap_or(f64::NAN)
}

/// A JSON string literal exactly as `JSON.stringify` writes it.
pub fn json_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// True for keys JS orders first in objects: canonical array indices.
fn is_array_index(key: &str) -> Option<u64> {
    if key == "0" {
        return Some(0);
    }
    if key.is_empty() || key.starts_with('0') || !key.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    key.parse::<u64>().ok().filter(|n| *n < u64::from(u32::MAX))
}

/// Positions of `keys` in JS property order: integer-like keys ascending,
/// then the others in insertion order.
pub fn js_key_order<S: AsRef<str>>(keys: &[S]) -> Vec<usize> {
    let mut indices: Vec<(u64, usize)> = Vec::new();
    let mut others = Vec::new();
    for (i, key) in keys.iter().enumerate() {
        match is_array_index(key.as_ref()) {
            Some(n) => indices.push((n, i)),
            None => others.push(i),
        }
    }
    indices.sort_unstable();
    indices.into_iter().map(|(_, i)| i).chain(others).collect()
}

// ---------------------------------------------------------------------------
// Dates
// ---------------------------------------------------------------------------

const MS_PER_DAY: i64 = 86_400_000;

fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = if y >= 0 { y } else { y - 399 } / 400;
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = if z >= 0 { z } else { z - 146_096 } / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// A parsed `new Date(string)`: epoch milliseconds, and whether JavaScript
/// would have read it in the machine's local time zone (driftwatch assumes UTC).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ParsedDate {
    pub epoch_ms: f64,
    pub local_time: bool,
}

/// ISO 8601 as `Date.parse` reads it: `YYYY[-MM[-DD]]` (UTC) optionally
/// followed by `THH:mm[:ss[.sss]]` and `Z` / `±HH:mm` (no zone: local time).
/// V8 also takes a space instead of `T` (local time).
pub fn parse_date(text: &str) -> Option<ParsedDate> {
    let t = text.trim();
    let b = t.as_bytes();
    let num = |from: usize, len: usize| -> Option<i64> {
        let s = t.get(from..from + len)?;
        if !s.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        s.parse().ok()
    };
    let year = num(0, 4)?;
    let mut i = 4;
    let mut month = 1;
    let mut day = 1;
    if b.get(i) == Some(&b'-') {
        month = num(i + 1, 2)?;
        i += 3;
        if b.get(i) == Some(&b'-') {
            day = num(i + 1, 2)?;
            i += 3;
        }
    }
    if !(1..=12).contains(&month) || day < 1 || day > days_in_month(year, month) {
        return None;
    }
    let mut ms_of_day = 0i64;
    let mut local_time = false;
    if i < b.len() {
        if b[i] != b'T' && b[i] != b't' && b[i] != b' ' {
            return None;
        }
        let hour = num(i + 1, 2)?;
        if b.get(i + 3) != Some(&b':') {
            return None;
        }
        let minute = num(i + 4, 2)?;
        i += 6;
        let mut second = 0;
        let mut millis = 0;
        if b.get(i) == Some(&b':') {
            second = num(i + 1, 2)?;
            i += 3;
            if b.get(i) == Some(&b'.') {
                let start = i + 1;
                let mut end = start;
                while b.get(end).is_some_and(u8::is_ascii_digit) {
                    end += 1;
                }
                if end == start {
                    return None;
                }
                let frac = &t[start..end];
                let first3: String = frac.chars().chain("000".chars()).take(3).collect();
                millis = first3.parse().ok()?;
                i = end;
            }
        }
        if hour > 24
            || minute > 59
            || second > 59
            || (hour == 24 && (minute, second, millis) != (0, 0, 0))
        {
            return None;
        }
        ms_of_day = ((hour * 60 + minute) * 60 + second) * 1000 + millis;
        match b.get(i) {
            None => local_time = true,
            Some(b'Z' | b'z') if i + 1 == b.len() => {}
            Some(sign @ (b'+' | b'-')) => {
                let oh = num(i + 1, 2)?;
                let om = match b.get(i + 3) {
                    Some(b':') if i + 6 == b.len() => num(i + 4, 2)?,
                    Some(_) if i + 5 == b.len() => num(i + 3, 2)?,
                    _ => return None,
                };
                if oh > 23 || om > 59 {
                    return None;
                }
                let offset = (oh * 60 + om) * 60_000;
                ms_of_day -= if *sign == b'+' { offset } else { -offset };
            }
            _ => return None,
        }
    }
    let epoch = days_from_civil(year, month, day) * MS_PER_DAY + ms_of_day;
    Some(ParsedDate {
        epoch_ms: epoch as f64,
        local_time,
    })
}

/// `Date#toISOString()` for years 0–9999; `None` outside (or for NaN).
pub fn to_iso_string(epoch_ms: f64) -> Option<String> {
    if !epoch_ms.is_finite() {
        return None;
    }
    let ms = epoch_ms.trunc() as i64;
    let days = ms.div_euclid(MS_PER_DAY);
    let rem = ms.rem_euclid(MS_PER_DAY);
    let (y, m, d) = civil_from_days(days);
    if !(0..=9999).contains(&y) {
        return None;
    }
    let (h, rem) = (rem / 3_600_000, rem % 3_600_000);
    let (min, rem) = (rem / 60_000, rem % 60_000);
    let (s, millis) = (rem / 1000, rem % 1000);
    Some(format!(
        "{y:04}-{m:02}-{d:02}T{h:02}:{min:02}:{s:02}.{millis:03}Z"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_print_like_javascript() {
        assert_eq!(number_to_string(5.0), "5");
        assert_eq!(number_to_string(-1.5), "-1.5");
        assert_eq!(number_to_string(0.1), "0.1");
        assert_eq!(number_to_string(1e21), "1e+21");
        assert_eq!(
            number_to_string(123456789012345680000.0),
            "123456789012345680000"
        );
        assert_eq!(number_to_string(1e-7), "1e-7");
        assert_eq!(number_to_string(0.000001), "0.000001");
        assert_eq!(number_to_string(1.5e-10), "1.5e-10");
        assert_eq!(number_to_string(-0.0), "0");
    }

    #[test]
    fn numbers_halfway_between_two_shortest_forms_print_the_even_one() {
        // ECMA-262 Number::toString picks the even candidate on a tie; node
        // prints these exactly halfway values as shown (Rust rounds them up).
        assert_eq!(
            number_to_string(25_884_448_728_885.0 + 0.3125),
            "25884448728885.312"
        );
        assert_eq!(
            number_to_string(-(1_776_052_024_664_838.0 + 0.25)),
            "-1776052024664838.2"
        );
        assert_eq!(
            number_to_string(169_093_833_287_755.0 + 0.625),
            "169093833287755.62"
        );
    }

    #[test]
    fn number_of_string_follows_string_to_number() {
        assert_eq!(string_to_number(" 3306 "), 3306.0);
        assert_eq!(string_to_number(""), 0.0);
        assert!(string_to_number("33x").is_nan());
        assert!(string_to_number("inf").is_nan());
        assert_eq!(string_to_number("0x10"), 16.0);
    }

    #[test]
    fn parse_int_stops_at_the_first_non_digit() {
        assert_eq!(parse_int("3306abc", None), 3306.0);
        assert!(parse_int("abc", None).is_nan());
        assert_eq!(parse_int("-12", Some(10)), -12.0);
    }

    #[test]
    fn json_quote_escapes_like_json_stringify() {
        assert_eq!(json_quote("a\"b\\c\n\u{1}"), "\"a\\\"b\\\\c\\n\\u0001\"");
    }

    #[test]
    fn integer_keys_come_first_in_js_key_order() {
        assert_eq!(
            js_key_order(&["b", "2", "a", "1", "01"]),
            vec![3, 1, 0, 2, 4]
        );
    }

    #[test]
    fn date_only_strings_are_utc_and_date_times_without_zone_are_local() {
        let d = parse_date("2024-01-02").unwrap_or_else(|| panic!("parse"));
        assert_eq!(
            to_iso_string(d.epoch_ms).as_deref(),
            Some("2024-01-02T00:00:00.000Z")
        );
        assert!(!d.local_time);
        let dt = parse_date("2024-01-02T03:04:05.678Z").unwrap_or_else(|| panic!("parse"));
        assert_eq!(
            to_iso_string(dt.epoch_ms).as_deref(),
            Some("2024-01-02T03:04:05.678Z")
        );
        assert!(parse_date("2024-01-02T03:04:05").is_some_and(|d| d.local_time));
    }

    #[test]
    fn date_offsets_are_applied() {
        let d = parse_date("2024-01-02T03:04:05+02:00").unwrap_or_else(|| panic!("parse"));
        assert_eq!(
            to_iso_string(d.epoch_ms).as_deref(),
            Some("2024-01-02T01:04:05.000Z")
        );
    }

    #[test]
    fn invalid_dates_are_rejected() {
        assert!(parse_date("2024-02-30").is_none());
        assert!(parse_date("yesterday").is_none());
    }
}
