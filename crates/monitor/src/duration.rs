//! SLA durations as driftwatch.toml spells them: a whole number and one
//! unit, `s`, `m`, `h`, `d` or `w` (`"0m"`, `"2h"`, `"24h"`, `"7d"`).

use std::fmt;

/// A span of whole seconds, never negative.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Span(pub i64);

impl Span {
    pub const ZERO: Span = Span(0);

    pub fn seconds(self) -> i64 {
        self.0
    }

    /// `"24h"` → 86 400 s. The error says what is accepted.
    pub fn parse(text: &str) -> Result<Span, String> {
        let trimmed = text.trim();
        let invalid = || {
            format!(
                "`{text}` is not a duration (a whole number and a unit: s, m, h, d or w, e.g. \"0m\", \"2h\", \"7d\")"
            )
        };
        let unit_at = trimmed
            .find(|c: char| !c.is_ascii_digit())
            .ok_or_else(invalid)?;
        let (number, unit) = trimmed.split_at(unit_at);
        let number: i64 = number.parse().map_err(|_| invalid())?;
        let factor = match unit {
            "s" => 1,
            "m" => 60,
            "h" => 3_600,
            "d" => 86_400,
            "w" => 604_800,
            _ => return Err(invalid()),
        };
        number.checked_mul(factor).map(Span).ok_or_else(invalid)
    }
}

/// The largest exact unit: `2h`, `90m`, `7d`, `0m`.
impl fmt::Display for Span {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let s = self.0;
        if s == 0 {
            return f.write_str("0m");
        }
        for (unit, factor) in [("w", 604_800), ("d", 86_400), ("h", 3_600), ("m", 60)] {
            if s % factor == 0 {
                return write!(f, "{}{unit}", s / factor);
            }
        }
        write!(f, "{s}s")
    }
}

/// A human age or remaining time: `3d 4h`, `2h 5m`, `45m`, `30s`.
pub fn human(seconds: i64) -> String {
    let s = seconds.abs();
    let (d, h, m) = (s / 86_400, (s % 86_400) / 3_600, (s % 3_600) / 60);
    if d > 0 {
        format!("{d}d {h}h")
    } else if h > 0 {
        format!("{h}h {m}m")
    } else if m > 0 {
        format!("{m}m")
    } else {
        format!("{s}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_defaults_parse() {
        assert_eq!(Span::parse("0m"), Ok(Span(0)));
        assert_eq!(Span::parse("2h"), Ok(Span(7_200)));
        assert_eq!(Span::parse("24h"), Ok(Span(86_400)));
        assert_eq!(Span::parse("7d"), Ok(Span(604_800)));
    }

    #[test]
    fn seconds_minutes_and_weeks_parse() {
        assert_eq!(Span::parse("30s"), Ok(Span(30)));
        assert_eq!(Span::parse("90m"), Ok(Span(5_400)));
        assert_eq!(Span::parse("1w"), Ok(Span(604_800)));
    }

    #[test]
    fn a_duration_without_unit_or_number_is_refused() {
        for text in ["", "24", "h", "2 hours", "-2h", "1.5h", "2H"] {
            let err = Span::parse(text).expect_err(text);
            assert!(err.contains("not a duration"), "{err}");
        }
    }

    #[test]
    fn an_overflowing_duration_is_refused() {
        assert!(Span::parse("99999999999999999w").is_err());
    }

    #[test]
    fn display_uses_the_largest_exact_unit() {
        assert_eq!(Span(7_200).to_string(), "2h");
        assert_eq!(Span(5_400).to_string(), "90m");
        assert_eq!(Span(604_800).to_string(), "1w");
        assert_eq!(Span(0).to_string(), "0m");
    }

    #[test]
    fn human_ages_read_naturally() {
        assert_eq!(human(3 * 86_400 + 4 * 3_600 + 59), "3d 4h");
        assert_eq!(human(2 * 3_600 + 5 * 60), "2h 5m");
        assert_eq!(human(-45 * 60), "45m");
        assert_eq!(human(30), "30s");
    }
}
