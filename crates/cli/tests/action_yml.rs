//! action.yml (the repository's composite GitHub Action): valid YAML with the
//! documented inputs and outputs, and its default `args` accepted by the CLI.

use std::path::{Path, PathBuf};
use std::process::Command;

use yaml_rust2::{Yaml, YamlLoader};

fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .expect("repository root")
}

fn action() -> Yaml {
    let path = repo_root().join("action.yml");
    let text = std::fs::read_to_string(&path).expect("read action.yml");
    let mut docs = YamlLoader::load_from_str(&text)
        .unwrap_or_else(|e| panic!("{}: invalid YAML: {e}", path.display()));
    assert_eq!(docs.len(), 1, "one YAML document");
    docs.remove(0)
}

#[test]
fn action_yml_is_a_composite_action_with_the_documented_inputs_and_outputs() {
    let action = action();
    assert!(action["name"].as_str().is_some_and(|s| !s.is_empty()));
    assert!(
        action["description"]
            .as_str()
            .is_some_and(|s| !s.is_empty())
    );
    assert_eq!(action["runs"]["using"].as_str(), Some("composite"));
    for input in [
        "version",
        "args",
        "working-directory",
        "database-url",
        "fail-on",
    ] {
        let spec = &action["inputs"][input];
        assert!(
            spec["description"].as_str().is_some_and(|s| !s.is_empty()),
            "input {input}: no description"
        );
        assert!(
            spec["default"].as_str().is_some(),
            "input {input}: no string default"
        );
    }
    assert_eq!(
        action["inputs"]["args"]["default"].as_str(),
        Some("validate --format github")
    );
    assert!(
        action["outputs"]["exit-code"]["value"]
            .as_str()
            .is_some_and(|v| v.contains("steps.run.outputs.exit-code"))
    );
    let steps = action["runs"]["steps"].as_vec().expect("runs.steps");
    for step in steps {
        if step["run"].as_str().is_some() {
            assert_eq!(
                step["shell"].as_str(),
                Some("bash"),
                "every run step needs shell: bash"
            );
        }
    }
    let ids: Vec<&str> = steps.iter().filter_map(|s| s["id"].as_str()).collect();
    assert_eq!(ids, ["install", "run"]);
}

#[test]
fn the_default_args_of_action_yml_are_accepted_by_the_cli() {
    let action = action();
    let args = action["inputs"]["args"]["default"]
        .as_str()
        .expect("args default");
    let words: Vec<&str> = args.split_whitespace().collect();
    // `--help` after the real arguments: clap parses them all first, so an
    // unknown subcommand, flag or value (e.g. --format github) fails here.
    let out = Command::new(env!("CARGO_BIN_EXE_driftwatch"))
        .args(&words)
        .arg("--help")
        .output()
        .expect("run driftwatch");
    assert!(
        out.status.success(),
        "driftwatch {args} --help: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}
