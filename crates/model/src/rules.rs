//! The table of normalization rules: every server quirk and canonicalization
//! rule that makes "same schema" mean "equal Model", with the server families
//! it concerns, the function that implements it and the tests that prove it.
//!
//! The facts behind each rule sit in the doc comment of its function (server,
//! version, source) and in `shared/reference/mysql-introspection.md`; this
//! table only indexes them. `docs/normalization-rules.md` is generated from it
//! ([`normalization_rules_markdown`]), and `tests/normalization_rules.rs`
//! checks that every function and test named here exists and that the
//! document is up to date.
//!
//! **Adding a rule** is one entry in [`NORMALIZATION_RULES`] (next to the
//! rules of its topic), then
//! `DRIFTWATCH_UPDATE_DOCS=1 cargo test -p driftwatch_model --test normalization_rules`.
//!
//! A flavour listed on a rule is a server family whose rows show the
//! behaviour the rule handles; the text beside it narrows the versions
//! (`"≥ 10.2.7"`) or says how that family behaves (`"omits RESTRICT"`), and
//! `""` means every version. A family that is not listed does not show the
//! behaviour, or it is unverified there; canonicalization rules still run on
//! its rows, harmlessly.

use std::fmt::Write as _;

use crate::flavor::{Flavor, Vendor};

use self::ServerFamily::{Mariadb, Mysql57, Mysql80, Mysql84, Tidb, Vitess};

/// What a rule is about. The first fourteen are the topics every driftwatch
/// release must cover ([`Topic::REQUIRED`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Topic {
    DefaultLiteral,
    DefaultExpression,
    TimestampDefault,
    IntegerWidthAndBoolean,
    NumericDefault,
    FractionalSeconds,
    EnumAndSet,
    JsonOnMariadb,
    CharsetAndCollation,
    GeneratedColumn,
    CheckConstraint,
    Index,
    ForeignKey,
    AutoIncrement,
    ColumnType,
    ColumnExtra,
    Expression,
    ConstraintName,
    TableName,
    View,
}

impl Topic {
    /// Every topic, in document order.
    pub const ALL: [Topic; 20] = [
        Topic::DefaultLiteral,
        Topic::DefaultExpression,
        Topic::TimestampDefault,
        Topic::IntegerWidthAndBoolean,
        Topic::NumericDefault,
        Topic::FractionalSeconds,
        Topic::EnumAndSet,
        Topic::JsonOnMariadb,
        Topic::CharsetAndCollation,
        Topic::GeneratedColumn,
        Topic::CheckConstraint,
        Topic::Index,
        Topic::ForeignKey,
        Topic::AutoIncrement,
        Topic::ColumnType,
        Topic::ColumnExtra,
        Topic::Expression,
        Topic::ConstraintName,
        Topic::TableName,
        Topic::View,
    ];

    /// The topics issue #4 requires at least one rule for.
    pub const REQUIRED: [Topic; 14] = [
        Topic::DefaultLiteral,
        Topic::DefaultExpression,
        Topic::TimestampDefault,
        Topic::IntegerWidthAndBoolean,
        Topic::NumericDefault,
        Topic::FractionalSeconds,
        Topic::EnumAndSet,
        Topic::JsonOnMariadb,
        Topic::CharsetAndCollation,
        Topic::GeneratedColumn,
        Topic::CheckConstraint,
        Topic::Index,
        Topic::ForeignKey,
        Topic::AutoIncrement,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Topic::DefaultLiteral => "Default literals",
            Topic::DefaultExpression => "Default expressions",
            Topic::TimestampDefault => "Timestamp defaults and ON UPDATE",
            Topic::IntegerWidthAndBoolean => "Integer display width, tinyint(1) and boolean",
            Topic::NumericDefault => "Decimal, float and bit defaults",
            Topic::FractionalSeconds => "Fractional seconds",
            Topic::EnumAndSet => "ENUM and SET values",
            Topic::JsonOnMariadb => "JSON on MariaDB",
            Topic::CharsetAndCollation => "Character sets and collations",
            Topic::GeneratedColumn => "Generated columns",
            Topic::CheckConstraint => "CHECK constraints",
            Topic::Index => "Index types, prefix lengths and implicit indexes",
            Topic::ForeignKey => "Foreign keys: actions and targets",
            Topic::AutoIncrement => "AUTO_INCREMENT and serial",
            Topic::ColumnType => "Other column type spellings",
            Topic::ColumnExtra => "COLUMNS.EXTRA flags",
            Topic::Expression => "Expression text (defaults, generated columns, checks, key parts)",
            Topic::ConstraintName => "Constraint names",
            Topic::TableName => "Table names and table types",
            Topic::View => "Views",
        }
    }
}

/// The server families the table distinguishes. Kept small on purpose: a
/// distribution maps onto the family whose information_schema it has.
///
/// * Aurora MySQL v2 is [`ServerFamily::Mysql57`], v3 is [`ServerFamily::Mysql80`];
///   Percona Server is MySQL of its version.
/// * MySQL 8.1–8.3 (innovation releases) and 9.x read like 8.4 LTS:
///   [`ServerFamily::Mysql84`].
/// * PlanetScale is [`ServerFamily::Vitess`] (vtgate in front of MySQL 8.0).
/// * MariaDB 10.x and 11.x are one family; version qualifiers tell releases apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ServerFamily {
    Mysql57,
    Mysql80,
    Mysql84,
    Mariadb,
    Tidb,
    Vitess,
}

impl ServerFamily {
    /// Every family, in the column order of the document.
    pub const ALL: [ServerFamily; 6] = [Mysql57, Mysql80, Mysql84, Mariadb, Tidb, Vitess];

    /// Column heading in docs/normalization-rules.md (`8.0` under `MySQL 5.7`).
    pub fn heading(self) -> &'static str {
        match self {
            Mysql80 => "8.0",
            Mysql84 => "8.4+",
            other => other.name(),
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Mysql57 => "MySQL 5.7",
            Mysql80 => "MySQL 8.0",
            Mysql84 => "MySQL 8.4+",
            Mariadb => "MariaDB",
            Tidb => "TiDB",
            Vitess => "Vitess",
        }
    }

    /// The family of an identified server (Aurora by its community version).
    pub fn of(flavor: &Flavor) -> ServerFamily {
        match flavor.vendor {
            Vendor::Mysql if flavor.version < (8, 0, 0) => Mysql57,
            Vendor::Mysql if flavor.version < (8, 1, 0) => Mysql80,
            Vendor::Mysql => Mysql84,
            Vendor::Mariadb => Mariadb,
            Vendor::Tidb => Tidb,
            Vendor::Vitess => Vitess,
        }
    }
}

/// One normalization rule (see the module docs for how to read `flavours`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NormalizationRule {
    /// Stable kebab-case name.
    pub id: &'static str,
    pub topic: Topic,
    /// One sentence: what the server does and what driftwatch reads it as.
    pub rule: &'static str,
    /// Families concerned, each with a version qualifier (`""` = all versions).
    pub flavours: &'static [(ServerFamily, &'static str)],
    /// The implementing function: a path in this crate (`quirks::parse_extra`,
    /// `schema::Column::canonicalize`) or in another (`driftwatch_diff::diff::diff_column`).
    pub function: &'static str,
    /// Tests that prove it, as `<file from the workspace root>::<test fn>`.
    pub tests: &'static [&'static str],
}

impl NormalizationRule {
    /// The version qualifier for `family` (`Some("")` = every version), or
    /// `None` when the rule does not concern that family.
    pub fn qualifier(&self, family: ServerFamily) -> Option<&'static str> {
        self.flavours
            .iter()
            .find(|(f, _)| *f == family)
            .map(|(_, q)| *q)
    }

    pub fn applies_to(&self, family: ServerFamily) -> bool {
        self.qualifier(family).is_some()
    }
}

/// The normalization table of one server family.
pub fn rules_for(family: ServerFamily) -> impl Iterator<Item = &'static NormalizationRule> {
    NORMALIZATION_RULES
        .iter()
        .filter(move |rule| rule.applies_to(family))
}

const EVERY: &[(ServerFamily, &str)] = &[
    (Mysql57, ""),
    (Mysql80, ""),
    (Mysql84, ""),
    (Mariadb, ""),
    (Tidb, ""),
    (Vitess, ""),
];

/// The "raw value" COLUMN_DEFAULT encoding (reference §2.1).
const RAW_DEFAULTS: &[(ServerFamily, &str)] = &[
    (Mysql57, ""),
    (Mysql80, ""),
    (Mysql84, ""),
    (Mariadb, "≤ 10.2.6"),
    (Tidb, ""),
    (Vitess, ""),
];

/// Servers whose information_schema has MySQL 8's expression text and
/// utf8mb3 display (MySQL ≥ 8.0, Vitess on MySQL 8).
const MYSQL8: &[(ServerFamily, &str)] = &[(Mysql80, ""), (Mysql84, ""), (Vitess, "")];

const MARIADB_QUOTED: &[(ServerFamily, &str)] = &[(Mariadb, "≥ 10.2.7")];

/// Every rule, grouped by topic. `docs/normalization-rules.md` lists them in
/// [`Topic::ALL`] order, and in this order within a topic.
pub const NORMALIZATION_RULES: &[NormalizationRule] = &[
    // --- Default literals ---
    NormalizationRule {
        id: "mariadb-quotes-literal-defaults",
        topic: Topic::DefaultLiteral,
        rule: "MariaDB ≥ 10.2.7 quotes literal defaults in COLUMN_DEFAULT (MDEV-13132), so its defaults are decoded as SQL literals; MariaDB ≤ 10.2.6 sends raw values like MySQL.",
        flavours: MARIADB_QUOTED,
        function: "quirks::mariadb_quotes_literal_defaults",
        tests: &[
            "crates/model/src/quirks.rs::mariadb_10_2_7_quotes_literal_defaults_and_10_2_6_does_not",
        ],
    },
    NormalizationRule {
        id: "mariadb-quoted-default-is-unquoted",
        topic: Topic::DefaultLiteral,
        rule: "A quoted MariaDB default is the string inside, with `''` and backslash escapes undone (`'it''s'` is `it's`, `'NULL'` is the string NULL).",
        flavours: MARIADB_QUOTED,
        function: "quirks::decode_mariadb_column_default",
        tests: &[
            "crates/model/src/quirks.rs::mariadb_10_11_quotes_literal_defaults",
            "crates/mysql/tests/live_mariadb.rs::mariadb_10_11_doubled_quote_in_default_is_one_quote",
        ],
    },
    NormalizationRule {
        id: "mariadb-null-text-is-default-null",
        topic: Topic::DefaultLiteral,
        rule: "In MariaDB's quoted encoding the text `NULL` is DEFAULT NULL and SQL NULL is no default.",
        flavours: MARIADB_QUOTED,
        function: "quirks::decode_mariadb_column_default",
        tests: &[
            "crates/model/src/quirks.rs::mariadb_10_11_null_text_is_default_null_and_sql_null_is_no_default",
        ],
    },
    NormalizationRule {
        id: "raw-literal-default-is-verbatim",
        topic: Topic::DefaultLiteral,
        rule: "MySQL, TiDB, Vitess and MariaDB ≤ 10.2.6 send a literal default as the raw value, neither quoted nor escaped (`it's`, `a\\b`; `NULL` is the four-letter string).",
        flavours: RAW_DEFAULTS,
        function: "quirks::decode_mysql_column_default",
        tests: &[
            "crates/model/src/quirks.rs::mysql_raw_literal_defaults_are_not_unquoted",
            "crates/model/src/quirks.rs::mysql_null_text_is_the_string_null",
            "crates/mysql/tests/recorded_rows.rs::mysql8_raw_literal_defaults_are_taken_verbatim",
        ],
    },
    NormalizationRule {
        id: "raw-sql-null-default-follows-nullability",
        topic: Topic::DefaultLiteral,
        rule: "In the raw-value encoding SQL NULL is DEFAULT NULL on a nullable column and no default on a NOT NULL one.",
        flavours: RAW_DEFAULTS,
        function: "quirks::decode_mysql_column_default",
        tests: &["crates/model/src/quirks.rs::mysql_sql_null_default_depends_on_nullability"],
    },
    NormalizationRule {
        id: "nullable-default-null-is-no-default",
        topic: Topic::DefaultLiteral,
        rule: "DEFAULT NULL on a nullable column is the same as no DEFAULT clause (the implicit default).",
        flavours: EVERY,
        function: "schema::Column::canonicalize",
        tests: &[
            "crates/model/src/schema.rs::nullable_default_null_is_no_default",
            "crates/model/src/default.rs::null_keyword_is_null",
            "crates/mysql/tests/live_mariadb.rs::mariadb_10_11_null_text_on_a_nullable_column_is_no_default",
        ],
    },
    NormalizationRule {
        id: "string-literal-default-is-unescaped",
        topic: Topic::DefaultLiteral,
        rule: "A quoted default is unescaped as MySQL reads string literals: `''` is a quote, `\\n` a newline, `\\%` and `\\_` keep their backslash.",
        flavours: EVERY,
        function: "default::DefaultValue::parse_sql",
        tests: &[
            "crates/model/src/default.rs::quoted_literal_with_doubled_quote_is_unescaped",
            "crates/model/src/default.rs::backslash_percent_and_underscore_keep_their_backslash",
        ],
    },
    NormalizationRule {
        id: "parenthesized-literal-default-is-a-literal",
        topic: Topic::DefaultLiteral,
        rule: "A literal in parentheses (Drizzle's `DEFAULT ('hello')` on text and json) is that literal: MariaDB folds it to `'hello'`, MySQL 8 keeps the expression `_utf8mb4'hello'`.",
        flavours: &[
            (Mysql80, "≥ 8.0.13"),
            (Mysql84, ""),
            (Mariadb, ""),
            (Vitess, ""),
        ],
        function: "default::DefaultValue::parse_sql",
        tests: &[
            "crates/model/src/default.rs::drizzle_parenthesized_text_default_is_a_literal",
            "crates/mysql/tests/live_mariadb.rs::mariadb_10_11_folds_parenthesized_string_default_to_a_literal",
        ],
    },
    NormalizationRule {
        id: "introducer-literal-default-is-a-literal",
        topic: Topic::DefaultLiteral,
        rule: "A string literal with a charset introducer (`_utf8mb4'hello'`, as MySQL 8 prints expression defaults) is the plain literal.",
        flavours: &[(Mysql80, "≥ 8.0.13"), (Mysql84, ""), (Vitess, "")],
        function: "default::DefaultValue::parse_sql",
        tests: &[
            "crates/model/src/default.rs::mysql8_introducer_literal_is_a_literal",
            "crates/model/src/quirks.rs::mysql8_utf8mb4_introducer_text_default_is_a_literal",
            "crates/mysql/tests/recorded_rows.rs::mysql8_utf8mb4_introducer_text_default_is_literal_hello",
        ],
    },
    NormalizationRule {
        id: "mysql8-hex-binary-default",
        topic: Topic::DefaultLiteral,
        rule: "MySQL ≥ 8.0 prints BINARY, VARBINARY and BLOB literal defaults as upper-case hex (`0x6162`), cut at the first zero byte; they are decoded back to the bytes.",
        flavours: MYSQL8,
        function: "quirks::decode_mysql8_hex_default",
        tests: &[
            "crates/model/src/quirks.rs::mysql8_binary_default_is_hex",
            "crates/model/src/quirks.rs::hex_default_must_be_whole_bytes",
            "crates/mysql/tests/recorded_rows.rs::mysql8_hex_binary_default_is_the_padded_mariadb_literal",
        ],
    },
    NormalizationRule {
        id: "binary-default-padding-is-trimmed",
        topic: Topic::DefaultLiteral,
        rule: "The trailing zero bytes of a BINARY(n) default are padding, not value (MariaDB shows them as `\\0`, MySQL cuts at the first zero byte).",
        flavours: &[
            (Mysql57, "cut at 0x00"),
            (Mysql80, "cut at 0x00"),
            (Mysql84, "cut at 0x00"),
            (Mariadb, "padded"),
            (Vitess, "cut at 0x00"),
        ],
        function: "quirks::trim_binary_default_padding",
        tests: &[
            "crates/model/src/quirks.rs::binary_default_padding_is_not_part_of_the_value",
            "crates/mysql/tests/live_mariadb.rs::mariadb_10_11_binary_default_padding_is_trimmed",
        ],
    },
    NormalizationRule {
        id: "number-default-on-string-column-is-a-string",
        topic: Topic::DefaultLiteral,
        rule: "`DEFAULT 5` on a string column stores the string `'5'`, so a number default on a non-numeric column is a string literal.",
        flavours: EVERY,
        function: "default::DefaultValue::canonical_for",
        tests: &[
            "crates/model/src/default.rs::number_on_a_string_column_is_a_string",
            "crates/mysql/tests/live_mariadb.rs::mariadb_10_11_numeric_text_default_on_varchar_is_a_string",
        ],
    },
    NormalizationRule {
        id: "temporal-literal-default-is-canonical",
        topic: Topic::DefaultLiteral,
        rule: "Date and time literal defaults are spelled as the server stores them (`10:00` on a time is `10:00:00`, a date alone on a datetime gets midnight).",
        flavours: EVERY,
        function: "default::DefaultValue::canonical_for",
        tests: &[
            "crates/model/src/default.rs::temporal_literals_are_spelled_as_the_server_stores_them",
            "crates/mysql/tests/live_mariadb.rs::mariadb_10_11_temporal_literal_defaults_are_literals",
        ],
    },
    NormalizationRule {
        id: "two-digit-year-default",
        topic: Topic::DefaultLiteral,
        rule: "YEAR defaults expand two-digit years as the server does (1–69 are 20xx, 70–99 are 19xx, the string '0' is 2000, the number 0 stays 0).",
        flavours: EVERY,
        function: "default::DefaultValue::canonical_for",
        tests: &["crates/model/src/default.rs::two_digit_years_are_expanded_like_the_server_does"],
    },
    NormalizationRule {
        id: "four-byte-characters-in-defaults",
        topic: Topic::DefaultLiteral,
        rule: "information_schema text is utf8mb3, so a 4-byte character in a literal default shows as `?` (one per character, one per byte in an expression default); the schema's text is compared masked the same way.",
        flavours: &[
            (Mysql80, ""),
            (Mysql84, ""),
            (Mariadb, "10.11 verified"),
            (Vitess, ""),
        ],
        function: "equivalence::same_default",
        tests: &[
            "crates/model/src/equivalence.rs::four_byte_characters_match_the_question_marks_information_schema_shows",
        ],
    },
    // --- Default expressions ---
    NormalizationRule {
        id: "mysql8-default-generated-is-an-expression",
        topic: Topic::DefaultExpression,
        rule: "MySQL ≥ 8.0.13 flags expression defaults with DEFAULT_GENERATED in EXTRA and prints them without outer parentheses and with quotes mangled to `\\'`; they are read as expressions.",
        flavours: &[
            (Mysql80, "≥ 8.0.13"),
            (Mysql84, ""),
            (Tidb, "newer TiDB"),
            (Vitess, ""),
        ],
        function: "quirks::decode_mysql_column_default",
        tests: &["crates/model/src/quirks.rs::mysql8_expression_defaults_lose_their_mangling"],
    },
    NormalizationRule {
        id: "mariadb-unquoted-default-is-an-expression",
        topic: Topic::DefaultExpression,
        rule: "An unquoted MariaDB default is a number, `current_timestamp(n)` or an expression (MariaDB has no DEFAULT_GENERATED flag).",
        flavours: MARIADB_QUOTED,
        function: "quirks::decode_mariadb_column_default",
        tests: &[
            "crates/model/src/quirks.rs::mariadb_10_11_unquoted_defaults_are_numbers_now_or_expressions",
            "crates/mysql/tests/live_mariadb.rs::mariadb_10_11_expression_defaults_are_expressions",
        ],
    },
    NormalizationRule {
        id: "mysql-hidden-blob-expression-default",
        topic: Topic::DefaultExpression,
        rule: "MySQL 8.0.13–8.0.22 leave COLUMN_DEFAULT NULL for expression defaults on TEXT, BLOB and JSON although EXTRA says DEFAULT_GENERATED; the default is reported as unreadable, never read as missing.",
        flavours: &[(Mysql80, "8.0.13–8.0.22")],
        function: "quirks::expression_default_hidden",
        tests: &[
            "crates/model/src/quirks.rs::mysql_8_0_13_to_8_0_22_hide_blob_expression_defaults",
            "crates/mysql/src/interpret.rs::mysql_8_0_13_hidden_blob_expression_default_is_a_diagnostic",
        ],
    },
    NormalizationRule {
        id: "tidb-keyword-default-without-flag",
        topic: Topic::DefaultExpression,
        rule: "TiDB prints `DEFAULT (curdate())` as `CURRENT_DATE` with an empty EXTRA; a keyword default on a temporal column is an expression even without DEFAULT_GENERATED.",
        flavours: &[(Tidb, "")],
        function: "quirks::decode_mysql_column_default",
        tests: &["crates/model/src/quirks.rs::tidb_current_date_without_flag_is_an_expression"],
    },
    NormalizationRule {
        id: "expression-default-is-normalized",
        topic: Topic::DefaultExpression,
        rule: "Any other expression default is compared as normalized expression text (`(UUID())` is `uuid()`; see the expression rules).",
        flavours: &[
            (Mysql80, "≥ 8.0.13"),
            (Mysql84, ""),
            (Mariadb, "≥ 10.2.1"),
            (Tidb, ""),
            (Vitess, ""),
        ],
        function: "default::DefaultValue::parse_sql",
        tests: &["crates/model/src/default.rs::other_expressions_are_normalized"],
    },
    // --- Timestamp defaults and ON UPDATE ---
    NormalizationRule {
        id: "legacy-timestamp-promotion-is-explained",
        topic: Topic::TimestampDefault,
        rule: "Under explicit_defaults_for_timestamp=OFF a TIMESTAMP created without NULL becomes NOT NULL (the first one DEFAULT CURRENT_TIMESTAMP ON UPDATE CURRENT_TIMESTAMP, later ones the zero date): real drift, reported with the setting named.",
        flavours: &[(Mysql57, "default OFF"), (Mariadb, "default OFF ≤ 10.9")],
        function: "quirks::is_legacy_timestamp_promotion",
        tests: &[
            "crates/model/src/quirks.rs::first_nullable_timestamp_promoted_under_legacy_defaults_is_recognised",
            "crates/model/src/quirks.rs::later_nullable_timestamp_promoted_to_the_zero_date_is_recognised",
            "crates/model/src/quirks.rs::other_timestamp_changes_are_not_legacy_promotion",
            "crates/cli/tests/server_settings.rs::timestamps_promoted_by_legacy_explicit_defaults_are_drift_that_names_the_setting",
        ],
    },
    NormalizationRule {
        id: "now-family-default-is-current-timestamp",
        topic: Topic::TimestampDefault,
        rule: "`now()`, `CURRENT_TIMESTAMP[(n)]`, `current_timestamp()`, `localtime`, `localtimestamp` and their parenthesized forms are one default: CURRENT_TIMESTAMP with its fsp.",
        flavours: EVERY,
        function: "default::DefaultValue::parse_sql",
        tests: &[
            "crates/model/src/default.rs::now_family_is_current_timestamp_with_its_fsp",
            "crates/mysql/tests/live_mariadb.rs::mariadb_10_11_parenthesized_now_default_is_current_timestamp",
        ],
    },
    NormalizationRule {
        id: "default-generated-current-timestamp",
        topic: Topic::TimestampDefault,
        rule: "MySQL 8 flags a CURRENT_TIMESTAMP default with DEFAULT_GENERATED (and prints `DEFAULT (now())` as `now()`); it is the CURRENT_TIMESTAMP default, not an expression.",
        flavours: MYSQL8,
        function: "quirks::decode_mysql_column_default",
        tests: &[
            "crates/model/src/quirks.rs::mysql8_default_generated_current_timestamp_is_now",
            "crates/mysql/tests/recorded_rows.rs::mysql8_default_generated_current_timestamp_is_current_timestamp",
            "crates/mysql/tests/recorded_rows.rs::mysql8_now_expression_default_is_current_timestamp",
        ],
    },
    NormalizationRule {
        id: "current-timestamp-default-without-flag",
        topic: Topic::TimestampDefault,
        rule: "MySQL 5.7 and TiDB print a CURRENT_TIMESTAMP default with an empty EXTRA; on a temporal column it is still CURRENT_TIMESTAMP.",
        flavours: &[(Mysql57, ""), (Tidb, "")],
        function: "quirks::decode_mysql_column_default",
        tests: &[
            "crates/model/src/quirks.rs::mysql5_7_current_timestamp_without_flag_is_now",
            "crates/mysql/tests/recorded_rows.rs::mysql5_7_current_timestamp_without_default_generated_is_now",
        ],
    },
    NormalizationRule {
        id: "tidb-default-generated-before-on-update",
        topic: Topic::TimestampDefault,
        rule: "TiDB writes DEFAULT_GENERATED in front of every `on update CURRENT_TIMESTAMP`, also on a column without a default; there the flag is dropped and the default read as on MySQL 5.7.",
        flavours: &[(Tidb, "")],
        function: "quirks::tidb_on_update_default_generated",
        tests: &[
            "crates/model/src/quirks.rs::tidb_default_generated_before_on_update_is_not_an_expression_flag",
            "crates/mysql/src/interpret.rs::tidb_on_update_without_default_is_not_a_hidden_expression_default",
            "crates/mysql/tests/recorded_rows.rs::tidb_default_generated_on_update_without_default_is_no_default",
        ],
    },
    NormalizationRule {
        id: "on-update-now-in-every-spelling",
        topic: Topic::TimestampDefault,
        rule: "`on update <expr>` in EXTRA is ON UPDATE CURRENT_TIMESTAMP whatever its spelling and fsp (MySQL `CURRENT_TIMESTAMP(3)`, MariaDB `current_timestamp(3)`; servers force the column's fsp); any other expression is reported.",
        flavours: EVERY,
        function: "quirks::on_update_is_current_timestamp",
        tests: &[
            "crates/model/src/quirks.rs::on_update_now_family_in_every_spelling",
            "crates/mysql/tests/recorded_rows.rs::mysql8_on_update_without_default_is_read",
            "crates/mysql/tests/live_mariadb.rs::mariadb_10_11_on_update_current_timestamp_keeps_the_default_fsp",
        ],
    },
    NormalizationRule {
        id: "mariadb-zero-date-default-of-on-update-timestamp",
        topic: Topic::TimestampDefault,
        rule: "MariaDB gives a NOT NULL timestamp with ON UPDATE and no DEFAULT the zero date as its default; against a schema without a default that is not drift.",
        flavours: &[(Mariadb, "10.11 verified")],
        function: "equivalence::same_default",
        tests: &[
            "crates/model/src/equivalence.rs::mariadb_zero_default_of_a_not_null_on_update_timestamp_is_no_default",
        ],
    },
    // --- Integer display width, tinyint(1) and boolean ---
    NormalizationRule {
        id: "integer-display-width-is-dropped",
        topic: Topic::IntegerWidthAndBoolean,
        rule: "Integer display widths are dropped (`int(11)` is `int`): MySQL 5.7, MariaDB and TiDB print them, MySQL ≥ 8.0.19 only for tables upgraded in place.",
        flavours: &[
            (Mysql57, ""),
            (Mysql80, "< 8.0.19, upgraded tables"),
            (Mysql84, "upgraded tables"),
            (Mariadb, ""),
            (Tidb, ""),
        ],
        function: "column_type::ColumnType::parse",
        tests: &[
            "crates/model/src/column_type.rs::integer_display_width_is_dropped",
            "crates/mysql/tests/recorded_rows.rs::mysql8_int_without_display_width_is_int",
            "crates/mysql/tests/live_mariadb.rs::mariadb_10_11_int_display_widths_are_dropped",
            "crates/mysql/tests/recorded_rows.rs::mysql5_7_display_widths_are_not_part_of_the_type",
            "crates/mysql/tests/recorded_rows.rs::tidb_reads_integers_strings_and_enums_like_mysql8",
        ],
    },
    NormalizationRule {
        id: "signed-tinyint-1-is-boolean",
        topic: Topic::IntegerWidthAndBoolean,
        rule: "A signed `tinyint(1)` is BOOLEAN on every server (MySQL ≥ 8.0.19 keeps that one width); `tinyint(1) unsigned` is a plain unsigned tinyint.",
        flavours: EVERY,
        function: "column_type::ColumnType::parse",
        tests: &[
            "crates/model/src/column_type.rs::signed_tinyint_1_is_boolean_but_unsigned_is_not",
            "crates/mysql/tests/recorded_rows.rs::mysql8_signed_tinyint_1_is_boolean_and_unsigned_tinyint_is_not",
        ],
    },
    NormalizationRule {
        id: "tinyint-and-boolean-are-one-type",
        topic: Topic::IntegerWidthAndBoolean,
        rule: "A signed `tinyint` and `tinyint(1)` (boolean) hold the same values, since no server enforces display width, so they are not a type drift.",
        flavours: EVERY,
        function: "equivalence::same_column_type",
        tests: &["crates/model/src/equivalence.rs::tinyint_and_boolean_are_the_same_type"],
    },
    NormalizationRule {
        id: "zerofill-keeps-its-width",
        topic: Topic::IntegerWidthAndBoolean,
        rule: "ZEROFILL keeps its display width on every server (also MySQL ≥ 8.0.19) and implies UNSIGNED.",
        flavours: &[
            (Mysql57, ""),
            (Mysql80, ""),
            (Mysql84, ""),
            (Mariadb, ""),
            (Vitess, ""),
        ],
        function: "column_type::ColumnType::parse",
        tests: &[
            "crates/model/src/column_type.rs::zerofill_keeps_its_width_and_implies_unsigned",
            "crates/mysql/tests/live_mariadb.rs::mariadb_10_11_zerofill_keeps_its_width",
        ],
    },
    NormalizationRule {
        id: "boolean-default-true-is-1",
        topic: Topic::IntegerWidthAndBoolean,
        rule: "`true` and `false` defaults are `1` and `0`, as servers store BOOLEAN defaults.",
        flavours: EVERY,
        function: "default::DefaultValue::canonical_for",
        tests: &[
            "crates/model/src/default.rs::boolean_true_is_1",
            "crates/mysql/tests/live_mariadb.rs::mariadb_10_11_boolean_defaults_are_numbers",
        ],
    },
    // --- Decimal, float and bit defaults ---
    NormalizationRule {
        id: "raw-numeric-default-is-a-number",
        topic: Topic::NumericDefault,
        rule: "A raw default on a numeric column is a number (`1.50`), never a string.",
        flavours: RAW_DEFAULTS,
        function: "quirks::decode_mysql_column_default",
        tests: &["crates/model/src/quirks.rs::mysql_numeric_defaults_are_numbers"],
    },
    NormalizationRule {
        id: "decimal-default-at-column-scale",
        topic: Topic::NumericDefault,
        rule: "DECIMAL defaults compare by value at the column's scale, rounded half away from zero as stored (`'1.5'` is `1.50` on decimal(10,2)).",
        flavours: EVERY,
        function: "default::DefaultValue::canonical_for",
        tests: &[
            "crates/model/src/default.rs::decimal_defaults_compare_at_column_scale",
            "crates/mysql/tests/live_mariadb.rs::mariadb_10_11_decimal_defaults_are_numbers_at_the_column_scale",
        ],
    },
    NormalizationRule {
        id: "float-default-by-value",
        topic: Topic::NumericDefault,
        rule: "FLOAT and DOUBLE defaults compare by value (`1e3` is `1000`, `-0` is `0`).",
        flavours: EVERY,
        function: "default::DefaultValue::canonical_for",
        tests: &[
            "crates/model/src/default.rs::float_defaults_compare_by_value",
            "crates/mysql/tests/live_mariadb.rs::mariadb_10_11_float_defaults_compare_by_value",
        ],
    },
    NormalizationRule {
        id: "scaled-float-default-is-rounded",
        topic: Topic::NumericDefault,
        rule: "FLOAT(M,D) and DOUBLE(M,D) defaults are rounded to D decimals, as the server stores them.",
        flavours: EVERY,
        function: "default::DefaultValue::canonical_for",
        tests: &["crates/model/src/default.rs::scaled_float_defaults_are_rounded_to_their_scale"],
    },
    NormalizationRule {
        id: "single-precision-float-default-has-6-digits",
        topic: Topic::NumericDefault,
        rule: "A single-precision FLOAT default keeps 6 significant digits, as the server prints it (3.14159265 is 3.14159).",
        flavours: &[(Mariadb, "10.11 verified")],
        function: "default::DefaultValue::canonical_for",
        tests: &[
            "crates/model/src/default.rs::single_precision_float_defaults_keep_6_significant_digits",
        ],
    },
    NormalizationRule {
        id: "bit-default-is-a-number",
        topic: Topic::NumericDefault,
        rule: "A BIT default printed as `b'101'` is the number 5.",
        flavours: &[
            (Mysql57, ""),
            (Mysql80, ""),
            (Mysql84, ""),
            (Mariadb, ""),
            (Vitess, ""),
        ],
        function: "quirks::decode_bit_literal",
        tests: &[
            "crates/model/src/quirks.rs::mysql8_bit_default_is_a_number",
            "crates/model/src/quirks.rs::mariadb_10_11_bit_default_is_a_number",
            "crates/model/src/quirks.rs::bit_literal_needs_binary_digits",
        ],
    },
    // --- Fractional seconds ---
    NormalizationRule {
        id: "tidb-raw-byte-bit-default",
        topic: Topic::NumericDefault,
        rule: "TiDB shows a BIT default as the raw bytes of the value instead of `b'101'` (pingcap/tidb#32655); the bytes read big-endian are the number.",
        flavours: &[(Tidb, "")],
        function: "quirks::decode_tidb_raw_bit_default",
        tests: &[
            "crates/model/src/quirks.rs::tidb_raw_bit_default_bytes_are_a_big_endian_number",
            "crates/mysql/tests/recorded_rows.rs::tidb_raw_byte_bit_defaults_are_numbers",
        ],
    },
    NormalizationRule {
        id: "temporal-fsp-is-part-of-the-type",
        topic: Topic::FractionalSeconds,
        rule: "DATETIME, TIME and TIMESTAMP keep their fractional-seconds precision in the type; `(0)` is the default and 0–6 the range.",
        flavours: EVERY,
        function: "column_type::ColumnType::parse",
        tests: &[
            "crates/model/src/column_type.rs::temporal_fsp_is_kept_and_zero_is_the_default",
            "crates/mysql/tests/live_mariadb.rs::mariadb_10_11_fractional_seconds_are_part_of_the_type",
        ],
    },
    NormalizationRule {
        id: "temporal-literal-default-cut-to-fsp",
        topic: Topic::FractionalSeconds,
        rule: "Fractional digits of a datetime or time literal default are cut to the column's fsp and trailing zeros dropped (MariaDB truncates; MySQL rounds unless TIME_TRUNCATE_FRACTIONAL is set, so only zero digits are exact there).",
        flavours: &[
            (Mysql57, "zero digits only"),
            (Mysql80, "zero digits only"),
            (Mysql84, "zero digits only"),
            (Mariadb, ""),
            (Tidb, "zero digits only"),
            (Vitess, "zero digits only"),
        ],
        function: "default::DefaultValue::canonical_for",
        tests: &[
            "crates/model/src/default.rs::datetime_literal_drops_zero_fraction",
            "crates/model/src/default.rs::datetime_literal_is_cut_to_the_column_precision",
        ],
    },
    NormalizationRule {
        id: "current-timestamp-default-takes-column-fsp",
        topic: Topic::FractionalSeconds,
        rule: "A CURRENT_TIMESTAMP default has the column's fsp: MySQL rejects any other, and MariaDB stores `DEFAULT (now())` on a timestamp(3) as `current_timestamp(3)`.",
        flavours: EVERY,
        function: "default::DefaultValue::canonical_for",
        tests: &[
            "crates/model/src/default.rs::current_timestamp_default_takes_the_column_precision",
        ],
    },
    // --- ENUM and SET values ---
    NormalizationRule {
        id: "enum-members-are-quoted-tokens",
        topic: Topic::EnumAndSet,
        rule: "ENUM and SET members in COLUMN_TYPE are quoted tokens with `''` and backslash escapes; commas and parentheses may sit inside a member.",
        flavours: &[
            (Mysql57, ""),
            (Mysql80, ""),
            (Mysql84, ""),
            (Mariadb, "10.11 verified"),
            (Tidb, ""),
            (Vitess, ""),
        ],
        function: "column_type::ColumnType::parse",
        tests: &[
            "crates/model/src/column_type.rs::enum_values_keep_quotes_commas_and_backslashes",
            "crates/mysql/tests/live_mariadb.rs::mariadb_10_11_enum_values_keep_quotes_and_commas",
        ],
    },
    NormalizationRule {
        id: "enum-members-lose-trailing-spaces",
        topic: Topic::EnumAndSet,
        rule: "Servers remove trailing spaces from ENUM and SET members at CREATE time, so schema members lose them too (leading spaces stay).",
        flavours: EVERY,
        function: "column_type::ColumnType::parse",
        tests: &[
            "crates/model/src/column_type.rs::enum_members_lose_trailing_spaces_like_on_the_server",
        ],
    },
    NormalizationRule {
        id: "char-enum-set-default-loses-trailing-spaces",
        topic: Topic::EnumAndSet,
        rule: "A CHAR, ENUM or SET default loses its trailing spaces, like the value or member it names.",
        flavours: EVERY,
        function: "default::DefaultValue::canonical_for",
        tests: &[
            "crates/model/src/default.rs::char_and_enum_defaults_lose_trailing_spaces",
            "crates/mysql/tests/live_mariadb.rs::mariadb_10_11_enum_and_set_defaults_are_literals",
        ],
    },
    NormalizationRule {
        id: "four-byte-characters-in-enum-members",
        topic: Topic::EnumAndSet,
        rule: "A 4-byte character in an ENUM or SET member shows as `?` in COLUMN_TYPE (utf8mb3); members are compared masked the same way.",
        flavours: &[
            (Mysql80, ""),
            (Mysql84, ""),
            (Mariadb, "10.11 verified"),
            (Vitess, ""),
        ],
        function: "equivalence::same_column_type",
        tests: &[
            "crates/model/src/equivalence.rs::four_byte_characters_match_the_question_marks_information_schema_shows",
        ],
    },
    // --- JSON on MariaDB ---
    NormalizationRule {
        id: "mariadb-early-json-is-plain-longtext",
        topic: Topic::JsonOnMariadb,
        rule: "Before the json_valid check (10.4.3) MariaDB stores JSON as a plain LONGTEXT that information_schema cannot tell apart: the schema's json() is compared as longtext.",
        flavours: &[(Mariadb, "10.2.7–10.4.2")],
        function: "quirks::json_is_plain_longtext",
        tests: &[
            "crates/model/src/quirks.rs::mariadb_json_is_plain_longtext_before_10_4_3",
            "crates/cli/src/filters.rs::json_is_compared_as_longtext_on_mariadb_before_10_4_3",
        ],
    },
    NormalizationRule {
        id: "mariadb-json-valid-check-marks-json",
        topic: Topic::JsonOnMariadb,
        rule: "MariaDB stores JSON as LONGTEXT and, from 10.4.3, adds a ``CHECK (json_valid(`col`))`` named after the column; such a column is JSON and the check is not the user's.",
        flavours: &[(Mariadb, "≥ 10.4.3")],
        function: "quirks::is_mariadb_json_check",
        tests: &[
            "crates/model/src/quirks.rs::mariadb_10_4_3_json_valid_check_marks_a_json_column",
            "crates/mysql/src/interpret.rs::json_valid_check_is_not_json_outside_mariadb",
            "crates/mysql/tests/recorded_rows.rs::mysql8_and_mariadb_agree_on_f07_json",
        ],
    },
    NormalizationRule {
        id: "mariadb-json-has-no-collation",
        topic: Topic::JsonOnMariadb,
        rule: "MariaDB's JSON alias implies utf8mb4_bin; a JSON column has no character set or collation of its own, as on MySQL.",
        flavours: &[(Mariadb, "≥ 10.4.3")],
        function: "driftwatch_mysql::interpret::Reader::checks",
        tests: &[
            "crates/mysql/tests/live_mariadb.rs::mariadb_10_11_json_has_no_collation_of_its_own",
            "crates/mysql/tests/recorded_rows.rs::mysql8_json_type_is_json",
        ],
    },
    // --- Character sets and collations ---
    NormalizationRule {
        id: "utf8-is-utf8mb3",
        topic: Topic::CharsetAndCollation,
        rule: "The character set `utf8` is `utf8mb3`: MySQL < 8.0.28 and MariaDB < 10.6.1 report `utf8`, later releases `utf8mb3`.",
        flavours: &[(Mysql57, ""), (Mysql80, "< 8.0.28"), (Mariadb, "< 10.6.1")],
        function: "quirks::canonical_charset",
        tests: &[
            "crates/model/src/quirks.rs::utf8_is_utf8mb3_before_mysql_8_0_30_and_mariadb_10_6_1",
            "crates/mysql/tests/live_mariadb.rs::mariadb_10_11_utf8_reads_as_utf8mb3",
            "crates/mysql/tests/recorded_rows.rs::mysql5_7_utf8_charset_is_utf8mb3",
        ],
    },
    NormalizationRule {
        id: "utf8-collations-are-utf8mb3",
        topic: Topic::CharsetAndCollation,
        rule: "`utf8_…` collations are `utf8mb3_…`: MySQL < 8.0.30 (8.0.28–8.0.29 included) and MariaDB < 10.6.1 use the `utf8_` names.",
        flavours: &[(Mysql57, ""), (Mysql80, "< 8.0.30"), (Mariadb, "< 10.6.1")],
        function: "quirks::canonical_collation",
        tests: &[
            "crates/model/src/quirks.rs::utf8_is_utf8mb3_before_mysql_8_0_30_and_mariadb_10_6_1",
        ],
    },
    NormalizationRule {
        id: "collation-compared-only-when-declared",
        topic: Topic::CharsetAndCollation,
        rule: "A column's character set and collation are compared only where the schema declares them: information_schema cannot tell one inherited from the table default from an explicit one.",
        flavours: EVERY,
        function: "driftwatch_diff::diff::diff_column",
        tests: &[
            "crates/diff/tests/drift_kinds.rs::collation_the_schema_does_not_declare_is_not_compared",
            "crates/diff/tests/drift_kinds.rs::declared_collation_that_differs_is_column_charset_mismatch",
        ],
    },
    // --- Generated columns ---
    NormalizationRule {
        id: "generation-expression-column-exists",
        topic: Topic::GeneratedColumn,
        rule: "COLUMNS.GENERATION_EXPRESSION is selected only where it exists: MySQL ≥ 5.7.6, MariaDB ≥ 10.2.5, TiDB and Vitess.",
        flavours: &[
            (Mysql57, "≥ 5.7.6"),
            (Mysql80, ""),
            (Mysql84, ""),
            (Mariadb, "≥ 10.2.5"),
            (Tidb, ""),
            (Vitess, ""),
        ],
        function: "quirks::columns_have_generation_expression",
        tests: &[
            "crates/model/src/quirks.rs::generation_expression_exists_from_mysql_5_7_6_and_mariadb_10_2_5",
        ],
    },
    NormalizationRule {
        id: "mariadb-system-versioning-period-column-unverified",
        topic: Topic::GeneratedColumn,
        rule: "A GENERATION_EXPRESSION of ROW START / ROW END is a system-versioning period column, not an expression: the column is reported unverified, never as drift.",
        flavours: &[(Mariadb, "≥ 10.3.4")],
        function: "quirks::is_system_versioning_period_column",
        tests: &[
            "crates/model/src/quirks.rs::mariadb_system_versioning_row_start_and_end_are_period_columns",
            "crates/cli/tests/unverified.rs::a_system_versioning_period_column_is_unverified_not_drift",
        ],
    },
    NormalizationRule {
        id: "mariadb-versioned-keys-drop-appended-row-end",
        topic: Topic::Index,
        rule: "In a system-versioned table the server appends the explicit ROW END column to the primary key and every unique key; the declared key is read without it.",
        flavours: &[(Mariadb, "≥ 10.3.4")],
        function: "quirks::key_has_appended_row_end",
        tests: &[
            "crates/model/src/quirks.rs::mariadb_versioned_key_ends_with_the_appended_row_end_column",
            "crates/cli/tests/unverified.rs::drift_elsewhere_is_still_reported_next_to_an_unverified_object",
        ],
    },
    NormalizationRule {
        id: "generated-storage-from-extra",
        topic: Topic::GeneratedColumn,
        rule: "EXTRA `VIRTUAL GENERATED` or `STORED GENERATED` gives the storage; MariaDB's `PERSISTENT` is STORED.",
        flavours: &[
            (Mysql57, ""),
            (Mysql80, ""),
            (Mysql84, ""),
            (Mariadb, "PERSISTENT too"),
            (Tidb, ""),
            (Vitess, ""),
        ],
        function: "quirks::parse_extra",
        tests: &[
            "crates/model/src/quirks.rs::stored_and_persistent_generated_are_stored",
            "crates/mysql/tests/live_mariadb.rs::mariadb_10_11_stored_generated_columns_are_stored",
        ],
    },
    NormalizationRule {
        id: "generated-expression-text-agrees",
        topic: Topic::GeneratedColumn,
        rule: "A generation expression is compared as normalized text once MySQL 8's quote mangling is undone: MySQL 8's ``(`price` * `qty`)`` is MariaDB's `` `price` * `qty` ``.",
        flavours: EVERY,
        function: "quirks::normalize_server_expression",
        tests: &[
            "crates/model/src/quirks.rs::mysql8_and_mariadb_generated_expressions_agree",
            "crates/mysql/tests/recorded_rows.rs::mysql8_and_mariadb_agree_on_f09_generated",
        ],
    },
    NormalizationRule {
        id: "generated-column-has-no-default",
        topic: Topic::GeneratedColumn,
        rule: "A generated column has no default of its own (MariaDB reports `NULL` there, MySQL nothing).",
        flavours: EVERY,
        function: "schema::Column::canonicalize",
        tests: &[
            "crates/model/src/schema.rs::auto_increment_and_generated_columns_have_no_default",
        ],
    },
    // --- CHECK constraints ---
    NormalizationRule {
        id: "checks-a-server-drops-or-hides",
        topic: Topic::CheckConstraint,
        rule: "Where the server parses CHECK and drops it, the schema's checks are not compared (one warning); where it keeps checks that information_schema does not show, they are unverified, never drift.",
        flavours: &[
            (Mysql57, "dropped"),
            (Mysql80, "dropped < 8.0.16"),
            (
                Mariadb,
                "dropped < 10.2.1; hidden 10.2.1–10.2.21, 10.3.0–10.3.9",
            ),
            (Tidb, "hidden"),
        ],
        function: "quirks::check_support",
        tests: &[
            "crates/model/src/quirks.rs::mysql_5_7_ignores_check_and_mysql_8_0_16_keeps_it",
            "crates/model/src/quirks.rs::mariadb_enforced_check_before_information_schema_showed_it",
            "crates/model/src/quirks.rs::tidb_checks_are_unreadable",
            "crates/cli/src/filters.rs::checks_are_not_compared_on_a_server_that_drops_them",
            "crates/cli/src/filters.rs::checks_a_server_keeps_but_does_not_show_are_unverified",
        ],
    },
    NormalizationRule {
        id: "mysql-check-constraints-from-8-0-16",
        topic: Topic::CheckConstraint,
        rule: "MySQL ≥ 8.0.16 has CHECK_CONSTRAINTS without TABLE_NAME; check names are unique per schema there, so TABLE_CONSTRAINTS maps each to its table.",
        flavours: &[(Mysql80, "≥ 8.0.16"), (Mysql84, ""), (Vitess, "")],
        function: "quirks::check_constraints_shape",
        tests: &[
            "crates/model/src/quirks.rs::mysql_8_0_16_adds_enforced_and_check_constraints",
            "crates/mysql/tests/recorded_rows.rs::mysql8_checks_are_mapped_to_tables_via_table_constraints",
            "crates/mysql/src/interpret.rs::mysql_check_name_on_two_tables_is_ambiguous_not_guessed",
        ],
    },
    NormalizationRule {
        id: "mariadb-check-constraints-back-ported",
        topic: Topic::CheckConstraint,
        rule: "MariaDB has CHECK_CONSTRAINTS with TABLE_NAME from 10.2.22 and 10.3.10 (not 10.3.0–10.3.9), with LEVEL from 10.5.10.",
        flavours: &[(Mariadb, "≥ 10.2.22, not 10.3.0–10.3.9")],
        function: "quirks::check_constraints_shape",
        tests: &[
            "crates/model/src/quirks.rs::mariadb_check_constraints_table_is_back_ported_to_10_2_22",
            "crates/model/src/quirks.rs::mariadb_10_5_10_adds_check_constraints_level",
        ],
    },
    NormalizationRule {
        id: "checks-not-read-where-ignored",
        topic: Topic::CheckConstraint,
        rule: "Where CHECK clauses are parsed and ignored (MySQL < 8.0.16, TiDB unless tidb_enable_check_constraint is on) or CHECK_CONSTRAINTS does not exist (MariaDB < 10.2.22 and 10.3.0–10.3.9), checks are not read.",
        flavours: &[
            (Mysql57, ""),
            (Mysql80, "< 8.0.16"),
            (Mariadb, "< 10.2.22, 10.3.0–10.3.9"),
            (Tidb, ""),
        ],
        function: "quirks::check_constraints_shape",
        tests: &[
            "crates/model/src/quirks.rs::tidb_check_constraints_are_not_read",
            "crates/model/src/quirks.rs::mysql_8_0_16_adds_enforced_and_check_constraints",
            "crates/mysql/tests/recorded_rows.rs::mysql5_7_has_no_check_constraints_query",
            "crates/model/src/quirks.rs::mariadb_check_constraints_table_is_back_ported_to_10_2_22",
        ],
    },
    NormalizationRule {
        id: "not-enforced-check-is-reported",
        topic: Topic::CheckConstraint,
        rule: "TABLE_CONSTRAINTS.ENFORCED exists from MySQL 8.0.16; a NOT ENFORCED check is read with a diagnostic.",
        flavours: &[(Mysql80, "≥ 8.0.16"), (Mysql84, ""), (Vitess, "")],
        function: "quirks::table_constraints_have_enforced",
        tests: &[
            "crates/model/src/quirks.rs::mysql_8_0_16_adds_enforced_and_check_constraints",
            "crates/mysql/src/interpret.rs::not_enforced_check_is_read_with_a_diagnostic",
        ],
    },
    NormalizationRule {
        id: "check-clause-text-agrees",
        topic: Topic::CheckConstraint,
        rule: "CHECK clauses compare as normalized expressions: MySQL 8 parenthesizes every operand and mangles quotes, while MariaDB's `\\'` inside a string is real SQL.",
        flavours: &[
            (Mysql80, "≥ 8.0.16"),
            (Mysql84, ""),
            (Mariadb, ""),
            (Vitess, ""),
        ],
        function: "quirks::normalize_server_expression",
        tests: &[
            "crates/model/src/quirks.rs::mariadb_backslash_quote_in_check_clause_is_real_sql",
            "crates/mysql/tests/recorded_rows.rs::mysql8_and_mariadb_agree_on_single_comparison_check_clauses",
            "crates/mysql/tests/recorded_rows.rs::mysql8_parenthesized_boolean_operands_read_like_mariadb",
        ],
    },
    // --- Index types, prefix lengths and implicit indexes ---
    NormalizationRule {
        id: "btree-is-the-default-index-kind",
        topic: Topic::Index,
        rule: "INDEX_TYPE BTREE is the default kind; FULLTEXT, SPATIAL, HASH (MEMORY only; InnoDB turns USING HASH into BTREE) and newer kinds are kept, upper-cased.",
        flavours: EVERY,
        function: "quirks::index_kind",
        tests: &[
            "crates/model/src/quirks.rs::btree_is_the_default_index_kind",
            "crates/mysql/tests/live_mariadb.rs::mariadb_10_11_fulltext_index_has_its_kind",
        ],
    },
    NormalizationRule {
        id: "spatial-sub-part-is-not-a-prefix",
        topic: Topic::Index,
        rule: "SPATIAL indexes report SUB_PART 32 without a declared prefix, so it is ignored there; any other SUB_PART is the prefix length.",
        flavours: &[
            (Mysql80, ""),
            (Mysql84, ""),
            (Mariadb, "10.11 verified"),
            (Vitess, ""),
        ],
        function: "quirks::index_prefix",
        tests: &[
            "crates/model/src/quirks.rs::mariadb_10_11_spatial_sub_part_32_is_not_a_prefix",
            "crates/mysql/tests/live_mariadb.rs::mariadb_10_11_prefix_index_part_has_its_length",
        ],
    },
    NormalizationRule {
        id: "descending-key-part",
        topic: Topic::Index,
        rule: "STATISTICS.COLLATION 'D' is a descending key part; older servers and TiDB parse DESC and report 'A'.",
        flavours: &[
            (Mysql80, ""),
            (Mysql84, ""),
            (Mariadb, "≥ 10.8"),
            (Vitess, ""),
        ],
        function: "quirks::index_part_descending",
        tests: &[
            "crates/model/src/quirks.rs::collation_d_is_descending",
            "crates/mysql/tests/live_mariadb.rs::mariadb_10_11_descending_index_part_is_descending",
        ],
    },
    NormalizationRule {
        id: "functional-key-parts",
        topic: Topic::Index,
        rule: "STATISTICS.EXPRESSION (functional key parts) is read from MySQL 8.0.13; MariaDB has no functional indexes and no such column.",
        flavours: &[(Mysql80, "≥ 8.0.13"), (Mysql84, ""), (Vitess, "")],
        function: "quirks::statistics_has_expression",
        tests: &[
            "crates/model/src/quirks.rs::mysql_8_0_13_adds_statistics_expression",
            "crates/mysql/tests/recorded_rows.rs::mysql8_functional_index_part_is_an_expression",
        ],
    },
    NormalizationRule {
        id: "mysql-invisible-index-is-an-index",
        topic: Topic::Index,
        rule: "STATISTICS.IS_VISIBLE exists from MySQL 8.0.0; an invisible index is still an index.",
        flavours: MYSQL8,
        function: "quirks::statistics_has_is_visible",
        tests: &[
            "crates/model/src/quirks.rs::mysql_8_0_has_is_visible_and_mariadb_10_6_has_ignored",
            "crates/mysql/tests/recorded_rows.rs::mysql8_invisible_index_is_still_an_index",
        ],
    },
    NormalizationRule {
        id: "mariadb-ignored-index-is-an-index",
        topic: Topic::Index,
        rule: "STATISTICS.IGNORED (MariaDB's word for an invisible index) exists from MariaDB 10.6.0; an ignored index is still an index.",
        flavours: &[(Mariadb, "≥ 10.6.0")],
        function: "quirks::statistics_has_ignored",
        tests: &[
            "crates/model/src/quirks.rs::mysql_8_0_has_is_visible_and_mariadb_10_6_has_ignored",
            "crates/mysql/tests/live_mariadb.rs::mariadb_10_11_ignored_index_is_still_an_index",
        ],
    },
    NormalizationRule {
        id: "implicit-fk-index",
        topic: Topic::Index,
        rule: "InnoDB creates an index for a foreign key that has none, named after the constraint (or its first column); such an index the schema does not declare is not drift.",
        flavours: EVERY,
        function: "equivalence::is_implicit_fk_index",
        tests: &[
            "crates/model/src/equivalence.rs::index_named_after_the_fk_on_its_columns_is_implicit",
            "crates/model/src/equivalence.rs::index_named_after_the_first_column_of_an_unnamed_fk_is_implicit",
            "crates/model/src/equivalence.rs::a_differently_named_index_on_fk_columns_is_not_implicit",
            "crates/model/src/equivalence.rs::a_unique_index_is_never_an_implicit_fk_index",
            "crates/mysql/tests/recorded_rows.rs::mysql8_and_mariadb_keep_the_same_fk_helper_indexes",
            "crates/mysql/tests/recorded_rows.rs::tidb_unnamed_fk_is_fk_1_with_a_helper_index_of_the_same_name",
        ],
    },
    // --- Foreign keys: actions and targets ---
    NormalizationRule {
        id: "restrict-is-no-action",
        topic: Topic::ForeignKey,
        rule: "RESTRICT and NO ACTION are one behaviour (InnoDB implements NO ACTION as RESTRICT), and servers report an unspecified action differently.",
        flavours: &[
            (Mysql57, "unspecified = RESTRICT"),
            (Mysql80, "unspecified = NO ACTION"),
            (Mysql84, "unspecified = NO ACTION"),
            (Mariadb, "unspecified = RESTRICT"),
            (Tidb, "FKs from TiDB 6.6"),
            (Vitess, "unspecified = NO ACTION"),
        ],
        function: "schema::FkAction::effective",
        tests: &[
            "crates/model/src/schema.rs::no_action_and_restrict_are_one_behaviour",
            "crates/mysql/tests/recorded_rows.rs::mysql8_no_action_equals_mariadb_restrict_for_unspecified_fk_actions",
            "crates/mysql/tests/recorded_rows.rs::mysql8_4_unspecified_fk_action_is_no_action",
            "crates/diff/tests/drift_kinds.rs::restrict_and_no_action_are_the_same_foreign_key_action",
            "crates/mysql/tests/recorded_rows.rs::mysql5_7_unspecified_fk_action_is_restrict_like_mariadb",
        ],
    },
    NormalizationRule {
        id: "show-create-omitted-fk-action",
        topic: Topic::ForeignKey,
        rule: "SHOW CREATE TABLE leaves out the default action: RESTRICT on MariaDB and MySQL 5.7, NO ACTION on MySQL 8.",
        flavours: &[
            (Mysql57, "omits RESTRICT"),
            (Mysql80, "omits NO ACTION"),
            (Mysql84, "omits NO ACTION"),
            (Mariadb, "omits RESTRICT"),
            (Vitess, "omits NO ACTION"),
        ],
        function: "quirks::show_create_omitted_fk_action",
        tests: &[
            "crates/model/src/quirks.rs::mysql8_show_create_omits_no_action",
            "crates/model/src/quirks.rs::mariadb_10_11_show_create_omits_restrict_and_prints_no_action",
        ],
    },
    NormalizationRule {
        id: "mariadb-fk-rules-hidden-from-select-only-users",
        topic: Topic::ForeignKey,
        rule: "MariaDB shows no REFERENTIAL_CONSTRAINTS rows to a user with only SELECT; the rules of such a foreign key are read from SHOW CREATE TABLE instead.",
        flavours: &[(Mariadb, "10.11 verified")],
        function: "quirks::fk_rules_hidden_from_select_only_users",
        tests: &[
            "crates/model/src/quirks.rs::mariadb_10_11_hides_fk_rules_from_select_only_users_and_mysql_does_not",
        ],
    },
    NormalizationRule {
        id: "show-create-fk-clauses",
        topic: Topic::ForeignKey,
        rule: "The FOREIGN KEY clauses of SHOW CREATE TABLE are read with back-quoted names that may hold any character; a clause with an unknown action is left out and reported.",
        flavours: &[(Mariadb, "")],
        function: "quirks::parse_show_create_foreign_keys",
        tests: &[
            "crates/model/src/quirks.rs::show_create_fk_names_and_targets_may_hold_odd_characters",
            "crates/model/src/quirks.rs::show_create_fk_with_unknown_action_is_left_out",
        ],
    },
    // --- AUTO_INCREMENT and serial ---
    NormalizationRule {
        id: "mysql-generated-invisible-primary-key",
        topic: Topic::AutoIncrement,
        rule: "An invisible `my_row_id bigint unsigned AUTO_INCREMENT` column with `PRIMARY KEY (my_row_id)` is the server's generated invisible primary key (sql_generate_invisible_primary_key=ON): column and key are not part of the Model.",
        flavours: &[(Mysql80, "≥ 8.0.30"), (Mysql84, ""), (Vitess, "")],
        function: "quirks::is_generated_invisible_primary_key",
        tests: &[
            "crates/model/src/quirks.rs::mysql_8_0_30_generated_invisible_primary_key_is_recognised",
            "crates/mysql/src/interpret.rs::mysql_generated_invisible_primary_key_is_not_part_of_the_model",
        ],
    },
    NormalizationRule {
        id: "fk-target-schema-is-the-returned-table-schema",
        topic: Topic::ForeignKey,
        rule: "A foreign key whose REFERENCED_TABLE_SCHEMA differs from the TABLE_SCHEMA the server returned points into another database and keeps that schema in its target name (Vitess returns the physical `vt_<keyspace>` name in both).",
        flavours: &[
            (Mysql57, ""),
            (Mysql80, ""),
            (Mysql84, ""),
            (Mariadb, ""),
            (Tidb, ""),
            (Vitess, "physical schema name"),
        ],
        function: "driftwatch_mysql::interpret::Reader::foreign_keys",
        tests: &[
            "crates/mysql/src/interpret.rs::foreign_key_into_another_database_keeps_the_schema_in_the_name",
            "crates/mysql/tests/recorded_rows.rs::vitess_physical_schema_name_in_key_column_usage_is_not_a_cross_database_reference",
        ],
    },
    NormalizationRule {
        id: "auto-increment-from-extra",
        topic: Topic::AutoIncrement,
        rule: "AUTO_INCREMENT is the `auto_increment` flag of EXTRA, whatever the other flags and separators (MariaDB `auto_increment, INVISIBLE`).",
        flavours: EVERY,
        function: "quirks::parse_extra",
        tests: &[
            "crates/model/src/quirks.rs::mariadb_10_11_extra_joins_flags_with_comma",
            "crates/model/src/quirks.rs::unknown_extra_tokens_are_kept_not_ignored",
        ],
    },
    NormalizationRule {
        id: "auto-increment-column-is-not-null",
        topic: Topic::AutoIncrement,
        rule: "The server makes an AUTO_INCREMENT column NOT NULL even when the DDL does not say so.",
        flavours: &[(Mariadb, "10.11 verified")],
        function: "schema::Column::canonicalize",
        tests: &["crates/model/src/schema.rs::auto_increment_column_is_not_null"],
    },
    NormalizationRule {
        id: "auto-increment-column-has-no-default",
        topic: Topic::AutoIncrement,
        rule: "An AUTO_INCREMENT column has no default of its own (MariaDB reports `NULL` there, MySQL nothing).",
        flavours: EVERY,
        function: "schema::Column::canonicalize",
        tests: &[
            "crates/model/src/schema.rs::auto_increment_and_generated_columns_have_no_default",
        ],
    },
    NormalizationRule {
        id: "serial-is-bigint-unsigned",
        topic: Topic::AutoIncrement,
        rule: "`serial` is `bigint unsigned` NOT NULL AUTO_INCREMENT with a unique index named after the column.",
        flavours: EVERY,
        function: "column_type::ColumnType::parse",
        tests: &[
            "crates/model/src/column_type.rs::serial_is_bigint_unsigned",
            "crates/mysql/tests/recorded_rows.rs::mysql8_and_mariadb_agree_on_f01_serial",
            "crates/mysql/tests/live_mariadb.rs::mariadb_10_11_serial_is_bigint_unsigned_auto_increment",
        ],
    },
    NormalizationRule {
        id: "serial-unique-index-is-optional",
        topic: Topic::AutoIncrement,
        rule: "The unique index SERIAL implies may be absent from a database whose column was created as BIGINT UNSIGNED AUTO_INCREMENT PRIMARY KEY (drizzle-kit's `serial AUTO_INCREMENT` is a syntax error on MariaDB); that is not drift.",
        flavours: EVERY,
        function: "equivalence::is_optional_expected_index",
        tests: &[
            "crates/model/src/equivalence.rs::serial_unique_index_is_optional_but_declared_indexes_are_not",
            "crates/diff/tests/drift_kinds.rs::serial_unique_index_absent_from_db_is_not_drift",
        ],
    },
    // --- Other column type spellings ---
    NormalizationRule {
        id: "real-and-double-precision-are-double",
        topic: Topic::ColumnType,
        rule: "`real` and `double precision` are `double` (unless the REAL_AS_FLOAT sql_mode is set).",
        flavours: EVERY,
        function: "column_type::ColumnType::parse",
        tests: &["crates/model/src/column_type.rs::real_and_double_precision_are_double"],
    },
    NormalizationRule {
        id: "float-precision-picks-float-or-double",
        topic: Topic::ColumnType,
        rule: "`float(p)` is `float` for p ≤ 24 and `double` for 25–53.",
        flavours: EVERY,
        function: "column_type::ColumnType::parse",
        tests: &[
            "crates/model/src/column_type.rs::float_precision_picks_float_or_double",
            "crates/mysql/tests/live_mariadb.rs::mariadb_10_11_float_precision_picks_float_or_double",
        ],
    },
    NormalizationRule {
        id: "bare-decimal-is-decimal-10-0",
        topic: Topic::ColumnType,
        rule: "`decimal` and `numeric` are `decimal(10,0)`, `decimal(p)` is `decimal(p,0)`.",
        flavours: EVERY,
        function: "column_type::ColumnType::parse",
        tests: &[
            "crates/model/src/column_type.rs::decimal_defaults_to_10_0",
            "crates/mysql/tests/live_mariadb.rs::mariadb_10_11_bare_decimal_is_decimal_10_0",
        ],
    },
    NormalizationRule {
        id: "bare-char-and-binary-have-length-1",
        topic: Topic::ColumnType,
        rule: "Bare `char` and `binary` have length 1.",
        flavours: EVERY,
        function: "column_type::ColumnType::parse",
        tests: &[
            "crates/model/src/column_type.rs::bare_char_and_binary_have_length_1",
            "crates/mysql/tests/live_mariadb.rs::mariadb_10_11_bare_char_is_char_1",
        ],
    },
    NormalizationRule {
        id: "year-4-is-year",
        topic: Topic::ColumnType,
        rule: "`year(4)` is `year` (MySQL ≥ 8.0.19 no longer prints the width).",
        flavours: &[
            (Mysql57, ""),
            (Mysql80, "< 8.0.19"),
            (Mariadb, ""),
            (Tidb, ""),
        ],
        function: "column_type::ColumnType::parse",
        tests: &[
            "crates/model/src/column_type.rs::year_4_is_year",
            "crates/mysql/tests/live_mariadb.rs::mariadb_10_11_year_4_is_year",
        ],
    },
    NormalizationRule {
        id: "column-type-comments-are-ignored",
        topic: Topic::ColumnType,
        rule: "Comments inside COLUMN_TYPE are ignored (MariaDB `/* mariadb-5.3 */` old temporals and `/*M!100301 COMPRESSED*/`, MySQL `/* 5.5 binary format */`).",
        flavours: &[(Mysql57, "show_old_temporals"), (Mariadb, "")],
        function: "column_type::ColumnType::parse",
        tests: &["crates/model/src/column_type.rs::comments_in_column_type_are_ignored"],
    },
    NormalizationRule {
        id: "unknown-type-is-unsupported",
        topic: Topic::ColumnType,
        rule: "A type no rule knows (geometry, MariaDB `uuid` and `inet6`, `vector`) is kept as its text and compared as text, never guessed.",
        flavours: EVERY,
        function: "column_type::ColumnType::parse",
        tests: &[
            "crates/model/src/column_type.rs::unknown_types_are_unsupported_not_guessed",
            "crates/mysql/tests/live_mariadb.rs::mariadb_10_11_geometry_is_unsupported_text",
        ],
    },
    // --- COLUMNS.EXTRA flags ---
    NormalizationRule {
        id: "extra-is-a-flag-set",
        topic: Topic::ColumnExtra,
        rule: "EXTRA is read as a set of flags whatever the separator and case: MySQL 8 `DEFAULT_GENERATED on update CURRENT_TIMESTAMP(3)`, MariaDB `on update current_timestamp(), INVISIBLE`.",
        flavours: EVERY,
        function: "quirks::parse_extra",
        tests: &[
            "crates/model/src/quirks.rs::mysql8_extra_default_generated_on_update_is_two_flags",
            "crates/model/src/quirks.rs::mariadb_10_11_extra_joins_flags_with_comma",
            "crates/model/src/quirks.rs::empty_extra_has_no_flags",
        ],
    },
    NormalizationRule {
        id: "unknown-extra-token-is-reported",
        topic: Topic::ColumnExtra,
        rule: "An EXTRA token no rule knows (such as TiDB's AUTO_RANDOM) is kept and reported for its table and column, never dropped.",
        flavours: EVERY,
        function: "quirks::parse_extra",
        tests: &[
            "crates/model/src/quirks.rs::unknown_extra_tokens_are_kept_not_ignored",
            "crates/mysql/src/interpret.rs::unknown_extra_token_is_a_diagnostic_naming_table_and_column",
        ],
    },
    NormalizationRule {
        id: "invisible-column-is-a-column",
        topic: Topic::ColumnExtra,
        rule: "An INVISIBLE column (flag in EXTRA) is still a column.",
        flavours: &[
            (Mysql80, "≥ 8.0.23"),
            (Mysql84, ""),
            (Mariadb, "≥ 10.3.3"),
            (Vitess, ""),
        ],
        function: "quirks::parse_extra",
        tests: &[
            "crates/model/src/quirks.rs::mariadb_10_11_extra_joins_flags_with_comma",
            "crates/mysql/tests/live_mariadb.rs::mariadb_10_11_invisible_column_is_a_column",
        ],
    },
    // --- Expression text ---
    NormalizationRule {
        id: "mysql8-information-schema-quote-mangling",
        topic: Topic::Expression,
        rule: "MySQL 8 information_schema copies of expressions escape quotes as `\\'` and backslashes as `\\\\`; that is undone before normalizing, never on MariaDB (where `\\'` is real SQL).",
        flavours: &[(Mysql80, ""), (Mysql84, ""), (Tidb, ""), (Vitess, "")],
        function: "quirks::unescape_mysql_information_schema_quotes",
        tests: &["crates/model/src/quirks.rs::mysql8_information_schema_quote_mangling_is_undone"],
    },
    NormalizationRule {
        id: "expression-backquotes-and-spacing",
        topic: Topic::Expression,
        rule: "Back-quotes are dropped and spacing is canonical (MariaDB prints ``concat(`first`,' ',`last`)``).",
        flavours: EVERY,
        function: "expr::normalize",
        tests: &["crates/model/src/expr.rs::mariadb_and_drizzle_spellings_of_concat_agree"],
    },
    NormalizationRule {
        id: "expression-charset-introducers-are-dropped",
        topic: Topic::Expression,
        rule: "Charset introducers are dropped (MySQL 8 prints the client charset of CREATE time before every string literal, `_utf8mb4' '`).",
        flavours: MYSQL8,
        function: "expr::normalize",
        tests: &["crates/model/src/expr.rs::mysql8_charset_introducers_are_dropped"],
    },
    NormalizationRule {
        id: "expression-redundant-parentheses",
        topic: Topic::Expression,
        rule: "Parentheses that operator precedence makes redundant are removed (MySQL 8 parenthesizes every operand); the others are kept.",
        flavours: EVERY,
        function: "expr::normalize",
        tests: &[
            "crates/model/src/expr.rs::outer_parentheses_are_redundant",
            "crates/model/src/expr.rs::mysql8_parenthesized_operands_equal_mariadb_bare_ones",
            "crates/model/src/expr.rs::parentheses_that_change_meaning_are_kept",
        ],
    },
    NormalizationRule {
        id: "expression-case",
        topic: Topic::Expression,
        rule: "Keywords, function names and identifiers are lower-cased; the case of string literals is kept.",
        flavours: EVERY,
        function: "expr::normalize",
        tests: &[
            "crates/model/src/expr.rs::keywords_and_functions_are_lower_cased",
            "crates/model/src/expr.rs::string_literal_case_is_kept",
        ],
    },
    NormalizationRule {
        id: "expression-function-synonyms",
        topic: Topic::Expression,
        rule: "Function and operator synonyms have one spelling (MariaDB prints `curdate()`, `lcase`, `octet_length`, `MOD` and `<>`; MySQL 8 prints `now()`).",
        flavours: &[
            (Mysql57, ""),
            (Mysql80, ""),
            (Mysql84, ""),
            (Mariadb, "10.11 verified"),
            (Tidb, ""),
            (Vitess, ""),
        ],
        function: "expr::normalize",
        tests: &[
            "crates/model/src/expr.rs::function_synonyms_have_one_spelling",
            "crates/model/src/expr.rs::a_backquoted_column_named_like_a_function_is_not_renamed",
        ],
    },
    NormalizationRule {
        id: "expression-string-escapes",
        topic: Topic::Expression,
        rule: "`\\'` and `''` inside a string literal are the same quote (MariaDB writes `\\'` in CHECK_CLAUSE, `''` in COLUMN_DEFAULT).",
        flavours: &[(Mariadb, "")],
        function: "expr::normalize",
        tests: &["crates/model/src/expr.rs::escaped_quotes_in_strings_are_canonical"],
    },
    // --- Constraint names ---
    NormalizationRule {
        id: "vitess-constraint-suffix-is-stripped",
        topic: Topic::ConstraintName,
        rule: "Vitess online DDL and PlanetScale deploy requests rename FK and CHECK constraints to the original name + `_` + 25 characters of `[0-9a-z]` (MySQL-generated `<table>_chk_<n>` first losing its table prefix); the original name is restored.",
        flavours: &[(Vitess, "online DDL ≥ 15, PlanetScale")],
        function: "quirks::vitess_original_constraint_name",
        tests: &[
            "crates/model/src/quirks.rs::vitess_online_ddl_constraint_suffix_is_stripped",
            "crates/model/src/quirks.rs::vitess_names_without_a_25_character_suffix_are_kept",
            "crates/model/src/quirks.rs::mysql_8_0_constraint_names_are_never_stripped",
            "crates/model/src/quirks.rs::vitess_online_ddl_gives_mysql_generated_names_their_table_prefix_back",
            "crates/mysql/src/interpret.rs::vitess_fk_and_check_names_lose_their_deploy_suffix",
            "crates/mysql/tests/recorded_rows.rs::planetscale_constraint_suffixes_are_stripped_from_fk_and_check_names",
        ],
    },
    // --- Table names and table types ---
    NormalizationRule {
        id: "lower-case-table-names",
        topic: Topic::TableName,
        rule: "With lower_case_table_names 1 or 2 table names compare case-insensitively (TiDB is always 2).",
        flavours: &[
            (Mysql57, ""),
            (Mysql80, ""),
            (Mysql84, ""),
            (Mariadb, ""),
            (Tidb, "always"),
            (Vitess, ""),
        ],
        function: "quirks::table_names_case_insensitive",
        tests: &[
            "crates/model/src/quirks.rs::lower_case_table_names_1_and_2_compare_names_case_insensitively",
            "crates/mysql/src/interpret.rs::migrations_table_name_follows_lower_case_table_names",
        ],
    },
    NormalizationRule {
        id: "sequences-are-not-tables",
        topic: Topic::TableName,
        rule: "A SEQUENCE (MariaDB ≥ 10.3, TiDB) is not a table: it is left out of the Model and listed as ignored.",
        flavours: &[(Mariadb, "≥ 10.3"), (Tidb, "")],
        function: "driftwatch_mysql::interpret::interpret",
        tests: &[
            "crates/mysql/tests/live_mariadb.rs::mariadb_10_11_sequence_is_ignored_and_listed",
        ],
    },
    // --- Views ---
    NormalizationRule {
        id: "view-definition-qualifiers",
        topic: Topic::View,
        rule: "A stored view query is compared without the schema and table qualifiers and `x AS x` aliases servers add, and without MySQL's parentheses around WHERE conditions.",
        flavours: EVERY,
        function: "equivalence::same_view_definition",
        tests: &[
            "crates/model/src/expr.rs::stored_view_text_equals_the_written_query",
            "crates/mysql/tests/live_mariadb.rs::mariadb_10_11_view_definition_reads_like_the_written_query",
        ],
    },
];

/// `docs/normalization-rules.md`, generated from [`NORMALIZATION_RULES`].
pub fn normalization_rules_markdown() -> String {
    let mut out = String::from(
        "# Normalization rules\n\n\
         <!-- Generated from crates/model/src/rules.rs by \
         `DRIFTWATCH_UPDATE_DOCS=1 cargo test -p driftwatch_model --test normalization_rules`; \
         do not edit. -->\n\n\
         Both sides of a comparison, the Drizzle schema and the live database, are turned into one \
         canonical Model before anything is compared. Each row below is one rule that gets a \
         server's information_schema rows (or a schema's spelling) there: its stable name, what it \
         says, the server families whose rows show the behaviour, and the tests that prove it. \
         The function named under each rule implements it; its doc comment names the server, \
         the version and the source.\n\n\
         A cell reads: ✓ every version of that family; a version or a short note, only those \
         versions or that behaviour; — the family does not show the behaviour, or it is \
         unverified there (canonicalization still runs on its rows, harmlessly). Aurora MySQL v2 \
         is MySQL 5.7 and v3 is MySQL 8.0; MySQL 8.1–8.3 and 9.x read like 8.4; PlanetScale is \
         Vitess; MariaDB 10.x and 11.x are one family.\n\n",
    );
    let _ = writeln!(
        out,
        "Rules per family: {}.\n",
        ServerFamily::ALL
            .iter()
            .map(|f| format!("{} {}", f.name(), rules_for(*f).count()))
            .collect::<Vec<_>>()
            .join(", ")
    );
    out.push_str("| rule | what |");
    for family in ServerFamily::ALL {
        let _ = write!(out, " {} |", family.heading());
    }
    out.push_str(" test(s) |\n|---|---|");
    for _ in ServerFamily::ALL {
        out.push_str("---|");
    }
    out.push_str("---|\n");
    for topic in Topic::ALL {
        let mut rules = NORMALIZATION_RULES
            .iter()
            .filter(|r| r.topic == topic)
            .peekable();
        if rules.peek().is_none() {
            continue;
        }
        let _ = write!(out, "| **{}** | |", topic.title());
        for _ in ServerFamily::ALL {
            out.push_str(" |");
        }
        out.push_str(" |\n");
        for rule in rules {
            let _ = write!(
                out,
                "| `{}` | {}<br>`{}` |",
                rule.id, rule.rule, rule.function
            );
            for family in ServerFamily::ALL {
                let cell = match rule.qualifier(family) {
                    None => "—",
                    Some("") => "✓",
                    Some(text) => text,
                };
                let _ = write!(out, " {cell} |");
            }
            let tests: Vec<String> = rule
                .tests
                .iter()
                .map(|test| match test.rsplit_once("::") {
                    Some((file, name)) => format!("[`{name}`](../{file})"),
                    None => format!("`{test}`"),
                })
                .collect();
            let _ = writeln!(out, " {} |", tests.join("<br>"));
        }
    }
    out
}
