//! The table of normalization rules (`driftwatch_model::rules`) stays true:
//! every function and test it names exists, every required topic has a rule,
//! and docs/normalization-rules.md is the table as generated.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use driftwatch_model::Flavor;
use driftwatch_model::rules::{
    NORMALIZATION_RULES, ServerFamily, Topic, normalization_rules_markdown, rules_for,
};

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// True when `text` defines `fn <name>` as a test: `fn name(` with a
/// `#[test]` (or `#[tokio::test]` …) attribute among the lines just above.
fn defines_test(text: &str, name: &str) -> bool {
    let lines: Vec<&str> = text.lines().collect();
    let needle = format!("fn {name}(");
    lines.iter().enumerate().any(|(i, line)| {
        line.trim_start().starts_with(&needle)
            && lines[i.saturating_sub(4)..i]
                .iter()
                .any(|l| l.trim_start().starts_with("#[") && l.contains("test"))
    })
}

/// True when `text` declares or implements the type `ty` (`struct Reader<'a>`,
/// `impl Reader<'_>`, `enum FkAction {`).
fn declares_type(text: &str, ty: &str) -> bool {
    ["struct", "enum", "impl"].iter().any(|kw| {
        let needle = format!("{kw} {ty}");
        text.match_indices(&needle).any(|(at, _)| {
            !text[at + needle.len()..].starts_with(|c: char| c.is_alphanumeric() || c == '_')
        })
    })
}

/// `quirks::parse_extra` → (crates/model/src/quirks.rs, [], parse_extra);
/// `schema::Column::canonicalize` → (…/schema.rs, [Column], canonicalize);
/// `driftwatch_diff::diff::diff_column` → (crates/diff/src/diff.rs, [], diff_column).
fn resolve(function: &str) -> Option<(String, Vec<&str>, &str)> {
    let mut parts: Vec<&str> = function.split("::").collect();
    let crate_dir = match parts.first().copied() {
        Some(krate) if krate.starts_with("driftwatch_") => {
            parts.remove(0);
            format!("crates/{}", krate.strip_prefix("driftwatch_")?)
        }
        _ => "crates/model".to_string(),
    };
    let name = parts.pop()?;
    if parts.is_empty() {
        return None;
    }
    let module = parts.remove(0);
    Some((format!("{crate_dir}/src/{module}.rs"), parts, name))
}

#[test]
fn every_listed_test_exists_in_its_file() {
    let mut missing = Vec::new();
    for rule in NORMALIZATION_RULES {
        assert!(!rule.tests.is_empty(), "rule `{}` names no test", rule.id);
        for test in rule.tests {
            let Some((file, name)) = test.rsplit_once("::") else {
                missing.push(format!("{}: `{test}` is not <file>::<test fn>", rule.id));
                continue;
            };
            let text = std::fs::read_to_string(workspace_root().join(file)).unwrap_or_default();
            if !defines_test(&text, name) {
                missing.push(format!("{}: no #[test] fn {name}( in {file}", rule.id));
            }
        }
    }
    assert!(missing.is_empty(), "missing tests:\n{}", missing.join("\n"));
}

#[test]
fn every_listed_function_exists() {
    let mut missing = Vec::new();
    for rule in NORMALIZATION_RULES {
        let Some((file, types, name)) = resolve(rule.function) else {
            missing.push(format!("{}: cannot resolve `{}`", rule.id, rule.function));
            continue;
        };
        let text = std::fs::read_to_string(workspace_root().join(&file)).unwrap_or_default();
        let has_fn = text.contains(&format!("fn {name}(")) || text.contains(&format!("fn {name}<"));
        let has_types = types.iter().all(|ty| declares_type(&text, ty));
        if !(has_fn && has_types) {
            missing.push(format!(
                "{}: `{}` not found in {file}",
                rule.id, rule.function
            ));
        }
    }
    assert!(
        missing.is_empty(),
        "missing functions:\n{}",
        missing.join("\n")
    );
}

#[test]
fn rule_ids_are_unique_kebab_case() {
    let mut seen = HashSet::new();
    for rule in NORMALIZATION_RULES {
        assert!(seen.insert(rule.id), "duplicate rule id `{}`", rule.id);
        let kebab = !rule.id.is_empty()
            && !rule.id.starts_with('-')
            && !rule.id.ends_with('-')
            && !rule.id.contains("--")
            && rule
                .id
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        assert!(kebab, "rule id `{}` is not kebab-case", rule.id);
    }
}

#[test]
fn every_required_topic_has_a_rule() {
    for topic in Topic::REQUIRED {
        assert!(
            NORMALIZATION_RULES.iter().any(|r| r.topic == topic),
            "no rule for required topic {topic:?} ({})",
            topic.title()
        );
    }
}

#[test]
fn rules_are_one_table_cell_each() {
    for rule in NORMALIZATION_RULES {
        assert!(
            rule.rule.ends_with('.') && !rule.rule.contains('\n'),
            "rule `{}`: one sentence ending with a full stop",
            rule.id
        );
        let texts = rule
            .flavours
            .iter()
            .map(|(_, q)| *q)
            .chain([rule.id, rule.rule, rule.function])
            .chain(rule.tests.iter().copied());
        for text in texts {
            assert!(
                !text.contains('|'),
                "rule `{}`: `|` breaks the table",
                rule.id
            );
        }
        assert!(
            !rule.flavours.is_empty(),
            "rule `{}` names no flavour",
            rule.id
        );
        let families: HashSet<ServerFamily> = rule.flavours.iter().map(|(f, _)| *f).collect();
        assert_eq!(
            families.len(),
            rule.flavours.len(),
            "rule `{}` lists a family twice",
            rule.id
        );
    }
}

#[test]
fn per_flavour_tables_hold_exactly_the_rules_that_name_the_flavour() {
    let mariadb: Vec<&str> = rules_for(ServerFamily::Mariadb).map(|r| r.id).collect();
    assert!(mariadb.contains(&"mariadb-quotes-literal-defaults"));
    assert!(!mariadb.contains(&"mysql8-hex-binary-default"));
    let vitess: Vec<&str> = rules_for(ServerFamily::Vitess).map(|r| r.id).collect();
    assert!(vitess.contains(&"vitess-constraint-suffix-is-stripped"));
    for family in ServerFamily::ALL {
        assert_eq!(
            rules_for(family).count(),
            NORMALIZATION_RULES
                .iter()
                .filter(|r| r.flavours.iter().any(|(f, _)| *f == family))
                .count()
        );
    }
}

#[test]
fn servers_map_onto_their_family() {
    let family = |version: &str, comment: &str, aurora: Option<&str>| {
        ServerFamily::of(&Flavor::identify_server(version, comment, aurora))
    };
    assert_eq!(family("5.7.44-log", "", None), ServerFamily::Mysql57);
    assert_eq!(
        family("5.7.12-log", "", Some("2.11.2")),
        ServerFamily::Mysql57
    );
    assert_eq!(family("8.0.36", "", None), ServerFamily::Mysql80);
    assert_eq!(family("8.0.28", "", Some("3.04.0")), ServerFamily::Mysql80);
    assert_eq!(family("8.3.0", "", None), ServerFamily::Mysql84);
    assert_eq!(family("8.4.3", "", None), ServerFamily::Mysql84);
    assert_eq!(family("9.1.0", "", None), ServerFamily::Mysql84);
    assert_eq!(family("10.11.6-MariaDB", "", None), ServerFamily::Mariadb);
    assert_eq!(
        family("11.4.3-MariaDB-ubu2404", "", None),
        ServerFamily::Mariadb
    );
    assert_eq!(family("8.0.11-TiDB-v7.5.0", "", None), ServerFamily::Tidb);
    assert_eq!(family("8.0.30-Vitess", "", None), ServerFamily::Vitess);
    assert_eq!(
        family("8.0.34-Vitess", "PlanetScale", None),
        ServerFamily::Vitess
    );
}

#[test]
fn docs_normalization_rules_md_is_up_to_date() {
    let path = workspace_root().join("docs/normalization-rules.md");
    let generated = normalization_rules_markdown();
    if std::env::var_os("DRIFTWATCH_UPDATE_DOCS").is_some() {
        std::fs::write(&path, &generated).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "docs/normalization-rules.md is stale: run \
         DRIFTWATCH_UPDATE_DOCS=1 cargo test -p driftwatch_model --test normalization_rules"
    );
}
