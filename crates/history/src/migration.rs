//! One migration of the folder, as drizzle-orm's migrator sees it, and the
//! pure rules it reads files with: the statement breakpoint, the hash, the
//! 0.x journal and the 1.x folder-name timestamp. No I/O here
//! (`crate::folder` reads the files).

use std::path::PathBuf;

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::error::HistoryError;

/// The separator drizzle-kit writes between statements; drizzle-orm splits the
/// file text on it and sends every chunk as one query.
pub const STATEMENT_BREAKPOINT: &str = "--> statement-breakpoint";

/// Which drizzle-kit wrote the folder; it also tells which migrator applies it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Layout {
    /// drizzle-kit 0.x: `meta/_journal.json`, `<tag>.sql`,
    /// `meta/<prefix>_snapshot.json`. drizzle-orm 0.x applies a migration
    /// only when its journal `when` is later than the newest applied
    /// `created_at` (a high-water mark).
    Journal,
    /// drizzle-kit 1.x: one folder per migration, `<YYYYMMDDHHmmss>_<name>/`
    /// with `migration.sql` and `snapshot.json`. drizzle-orm 1.x applies every
    /// migration whose folder name is not among the recorded `name`s.
    Folders,
}

/// A migration of the folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LocalMigration {
    /// Position in the migrator's order (journal order, or folder-name order).
    pub idx: usize,
    /// Journal `tag` (0.x) or folder name (1.x): what the 1.x table records as `name`.
    pub tag: String,
    /// Journal `when` (0.x) or the folder name's timestamp as UTC milliseconds
    /// (1.x): what the migrator records as `created_at`.
    pub when: Option<i64>,
    /// sha256 hex of the file text, exactly as drizzle-orm 0.45 computes it.
    pub hash: String,
    /// The hash of the text with CRLF line ends turned into LF, when that
    /// differs: later drizzle-orm releases normalize line ends before hashing,
    /// so a row written by either release matches.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hash_lf: Option<String>,
    /// The chunks the migrator sends, in order (breakpoint split, untrimmed).
    #[serde(skip)]
    pub statements: Vec<String>,
    /// The SQL file.
    pub sql_file: PathBuf,
    /// The snapshot drizzle-kit wrote with it (the schema after it), if present.
    pub snapshot: Option<PathBuf>,
}

impl LocalMigration {
    /// Builds a migration from its file text; `text` is the file decoded as
    /// Node's `Buffer.toString()` does (UTF-8, invalid bytes replaced), see
    /// [`decode_like_node`].
    pub fn from_text(idx: usize, tag: &str, when: Option<i64>, text: &str) -> LocalMigration {
        let normalized = text.replace("\r\n", "\n");
        LocalMigration {
            idx,
            tag: tag.to_string(),
            when,
            hash: file_hash(text),
            hash_lf: (normalized != text).then(|| file_hash(&normalized)),
            statements: split_statements(text),
            sql_file: PathBuf::new(),
            snapshot: None,
        }
    }

    /// Whether `hash` (a row's) is this file's hash under either rule.
    pub fn has_hash(&self, hash: &str) -> bool {
        self.hash == hash || self.hash_lf.as_deref() == Some(hash)
    }

    /// Statements that hold SQL (not only whitespace and comments), with
    /// their 1-based position among all chunks.
    pub fn sql_statements(&self) -> impl Iterator<Item = (usize, &str)> {
        self.statements
            .iter()
            .enumerate()
            .filter(|(_, s)| !is_blank_sql(s))
            .map(|(i, s)| (i + 1, s.as_str()))
    }
}

/// `fs.readFileSync(path).toString()`: UTF-8 with every invalid sequence
/// replaced by U+FFFD (the WHATWG rule, which `from_utf8_lossy` follows too).
/// A BOM is kept, as Node keeps it.
pub fn decode_like_node(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// `crypto.createHash('sha256').update(text).digest('hex')`: the UTF-8 bytes
/// of the whole file text.
pub fn file_hash(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// `text.split('--> statement-breakpoint')`: every chunk kept as it is,
/// surrounding newlines and empty chunks included (the migrator sends them all).
pub fn split_statements(text: &str) -> Vec<String> {
    text.split(STATEMENT_BREAKPOINT)
        .map(str::to_string)
        .collect()
}

/// True when a chunk holds only whitespace and SQL comments.
pub fn is_blank_sql(chunk: &str) -> bool {
    let mut rest = chunk;
    loop {
        rest = rest.trim_start();
        if let Some(after) = rest.strip_prefix("--") {
            rest = after.split_once('\n').map_or("", |(_, tail)| tail);
        } else if let Some(after) = rest.strip_prefix("/*") {
            rest = after.split_once("*/").map_or("", |(_, tail)| tail);
        } else {
            return rest.is_empty();
        }
    }
}

/// One entry of `meta/_journal.json` (the fields the migrator reads).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JournalEntry {
    pub idx: Option<u64>,
    pub when: i64,
    pub tag: String,
    pub breakpoints: bool,
}

/// Parses `meta/_journal.json`. Like the migrator, only `entries[].tag`,
/// `when` and `breakpoints` matter; a journal of another dialect is refused.
pub fn parse_journal(text: &str) -> Result<Vec<JournalEntry>, String> {
    let json: serde_json::Value = serde_json::from_str(text).map_err(|e| e.to_string())?;
    if let Some(dialect) = json.get("dialect").and_then(|d| d.as_str())
        && dialect != "mysql"
    {
        return Err(format!("the journal's dialect is `{dialect}`, not mysql"));
    }
    let entries = json
        .get("entries")
        .and_then(|e| e.as_array())
        .ok_or_else(|| "no `entries` list".to_string())?;
    entries
        .iter()
        .enumerate()
        .map(|(i, entry)| {
            let tag = entry.get("tag").and_then(|t| t.as_str());
            // drizzle-kit writes an integer; `Number(...)` semantics would accept a float.
            let when = entry.get("when").and_then(|w| {
                w.as_i64()
                    .or_else(|| w.as_f64().filter(|f| f.fract() == 0.0).map(|f| f as i64))
            });
            match (tag, when) {
                (Some(tag), Some(when)) => Ok(JournalEntry {
                    idx: entry.get("idx").and_then(|i| i.as_u64()),
                    when,
                    tag: tag.to_string(),
                    breakpoints: entry
                        .get("breakpoints")
                        .and_then(|b| b.as_bool())
                        .unwrap_or(true),
                }),
                _ => Err(format!(
                    "entry {i} has no `tag` string or no integer `when`: {entry}"
                )),
            }
        })
        .collect()
}

/// drizzle-orm 1.x `formatToMillis(name.slice(0, 14))`: the folder name's
/// `YYYYMMDDHHmmss` prefix read as UTC, in milliseconds. `None` when the
/// prefix is not 14 digits (the 1.x migrator refuses such a folder).
pub fn folder_millis(name: &str) -> Option<i64> {
    let digits = name.get(..14)?;
    if !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let field = |from: usize, to: usize| digits[from..to].parse::<i64>().ok();
    let (year, month, day) = (field(0, 4)?, field(4, 6)?, field(6, 8)?);
    let (hour, minute, second) = (field(8, 10)?, field(10, 12)?, field(12, 14)?);
    // Date.UTC rolls over out-of-range fields (month 13 = January next year);
    // only the month needs it for the day count, the rest is linear.
    let (year, month) = (
        year + (month - 1).div_euclid(12),
        (month - 1).rem_euclid(12) + 1,
    );
    let days = days_from_civil(year, month, 1) + day - 1;
    Some((((days * 24 + hour) * 60 + minute) * 60 + second) * 1000)
}

/// `new Date(millis).toISOString()`: how a `when` or `created_at` is shown.
pub fn utc_text(millis: i64) -> String {
    let (days, ms) = (millis.div_euclid(86_400_000), millis.rem_euclid(86_400_000));
    let (year, month, day) = civil_from_days(days);
    let seconds = ms / 1000;
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}Z",
        seconds / 3600,
        seconds / 60 % 60,
        seconds % 60,
        ms % 1000
    )
}

/// The date of a day count since 1970-01-01 (H. Hinnant's algorithm).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(month <= 2), month, day)
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (month + 9) % 12;
    let doy = (153 * mp + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Where drizzle-kit 0.x puts the snapshot of a tag: `meta/<prefix>_snapshot.json`
/// with the tag's prefix (the part before the first `_`: `0000` for
/// `0000_init`, the timestamp with `migrations.prefix: 'timestamp'`).
pub fn journal_snapshot_name(tag: &str) -> String {
    let prefix = tag.split_once('_').map_or(tag, |(prefix, _)| prefix);
    format!("{prefix}_snapshot.json")
}

/// The error for a migration whose SQL file the journal names but that is
/// absent; drizzle-orm's migrator stops on it too.
pub(crate) fn missing_sql_file(path: &std::path::Path, dir: &std::path::Path) -> HistoryError {
    HistoryError::MissingSqlFile {
        path: path.display().to_string(),
        dir: dir.display().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_is_sha256_hex_of_the_file_text() {
        // sha256("abc"), FIPS 180-2 test vector.
        assert_eq!(
            file_hash("abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn split_keeps_newlines_and_empty_chunks_like_string_split() {
        let text = "CREATE TABLE `a` (x int);\n--> statement-breakpoint\nCREATE INDEX `i` ON `a` (`x`);--> statement-breakpoint";
        assert_eq!(
            split_statements(text),
            vec![
                "CREATE TABLE `a` (x int);\n".to_string(),
                "\nCREATE INDEX `i` ON `a` (`x`);".to_string(),
                String::new(),
            ]
        );
    }

    #[test]
    fn a_file_without_breakpoint_is_one_statement() {
        assert_eq!(split_statements("SELECT 1;\n"), vec!["SELECT 1;\n"]);
    }

    #[test]
    fn comment_only_chunks_are_blank() {
        assert!(is_blank_sql("\n-- custom migration\n/* nothing */\n"));
        assert!(!is_blank_sql("-- c\nSELECT 1"));
    }

    #[test]
    fn crlf_file_also_matches_the_lf_normalized_hash() {
        let m = LocalMigration::from_text(0, "0000_a", Some(1), "SELECT 1;\r\n");
        assert!(m.has_hash(&file_hash("SELECT 1;\r\n")));
        assert!(m.has_hash(&file_hash("SELECT 1;\n")));
        let lf = LocalMigration::from_text(0, "0000_a", Some(1), "SELECT 1;\n");
        assert_eq!(lf.hash_lf, None);
    }

    #[test]
    fn invalid_utf8_is_replaced_before_hashing_like_node() {
        assert_eq!(decode_like_node(b"a\xffb"), "a\u{fffd}b");
    }

    #[test]
    fn journal_entries_are_read_in_journal_order() {
        let text = r#"{"version":"7","dialect":"mysql","entries":[
            {"idx":1,"version":"5","when":20,"tag":"0001_b","breakpoints":true},
            {"idx":0,"version":"5","when":10,"tag":"0000_a","breakpoints":false}]}"#;
        let entries = parse_journal(text).unwrap_or_default();
        let tags: Vec<_> = entries.iter().map(|e| (e.tag.as_str(), e.when)).collect();
        assert_eq!(tags, vec![("0001_b", 20), ("0000_a", 10)]);
        assert!(!entries[1].breakpoints);
    }

    #[test]
    fn journal_of_another_dialect_is_refused() {
        let err = parse_journal(r#"{"dialect":"postgresql","entries":[]}"#);
        assert!(err.is_err_and(|e| e.contains("postgresql")));
    }

    #[test]
    fn journal_entry_without_when_is_an_error() {
        assert!(parse_journal(r#"{"entries":[{"tag":"0000_a"}]}"#).is_err());
    }

    #[test]
    fn folder_name_timestamp_is_utc_millis() {
        // Date.UTC(2025, 0, 15, 12, 30, 45) = 1736944245000
        assert_eq!(
            folder_millis("20250115123045_init"),
            Some(1_736_944_245_000)
        );
        assert_eq!(folder_millis("19700101000000_x"), Some(0));
        assert_eq!(folder_millis("2025011512_x"), None);
        assert_eq!(folder_millis("meta"), None);
    }

    #[test]
    fn utc_text_is_the_iso_string_node_prints() {
        // new Date(1795634223954).toISOString()
        assert_eq!(utc_text(1_795_634_223_954), "2026-11-25T19:17:03.954Z");
        assert_eq!(utc_text(0), "1970-01-01T00:00:00.000Z");
    }

    #[test]
    fn snapshot_name_follows_the_tag_prefix() {
        assert_eq!(
            journal_snapshot_name("0001_product_reviews"),
            "0001_snapshot.json"
        );
        assert_eq!(
            journal_snapshot_name("20250115123045_init"),
            "20250115123045_snapshot.json"
        );
    }
}
