//! `--help` of every command shows examples, and `driftwatch completions`
//! prints a completion script for each shell.

mod common;

fn help(args: &[&str]) -> String {
    let mut args = args.to_vec();
    args.push("--help");
    let output = common::driftwatch(&args, &common::repo_root(), &[]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{args:?}: {}",
        common::stderr(&output)
    );
    common::stdout(&output)
}

#[test]
fn every_command_help_has_examples() {
    for command in [
        &["validate"][..],
        &["inspect"],
        &["inspect", "schema"],
        &["inspect", "db"],
        &["fix"],
        &["migrations"],
        &["migrations", "status"],
        &["init"],
        &["doctor"],
        &["completions"],
    ] {
        let text = help(command);
        assert!(text.contains("Examples:"), "{command:?}:\n{text}");
        let first = format!("driftwatch {}", command[0]);
        let examples = text.split("Examples:").nth(1).unwrap_or_default();
        assert!(examples.contains(&first), "{command:?}:\n{examples}");
    }
}

#[test]
fn monitor_help_has_examples() {
    for command in [
        &["monitor"][..],
        &["monitor", "run"],
        &["monitor", "status"],
        &["monitor", "ack"],
    ] {
        let text = help(command);
        assert!(
            text.contains("Examples:\n  driftwatch monitor run"),
            "{command:?}:\n{text}"
        );
    }
}

#[test]
fn completions_for_each_shell_mention_validate() {
    for shell in ["bash", "zsh", "fish"] {
        let output = common::driftwatch(&["completions", shell], &common::repo_root(), &[]);
        assert_eq!(
            output.status.code(),
            Some(0),
            "{shell}: {}",
            common::stderr(&output)
        );
        let script = common::stdout(&output);
        assert!(!script.trim().is_empty(), "{shell}: empty");
        assert!(script.contains("validate"), "{shell}:\n{script}");
        assert!(
            script.contains("doctor") && script.contains("init"),
            "{shell}"
        );
    }
}

#[test]
fn an_unknown_shell_is_a_usage_error() {
    let output = common::driftwatch(&["completions", "tcsh"], &common::repo_root(), &[]);
    assert_eq!(output.status.code(), Some(2));
    assert!(common::stdout(&output).is_empty());
}
