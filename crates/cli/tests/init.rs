//! `driftwatch init`: what it writes into a scratch Drizzle project, that a
//! second run changes nothing, that the workflows are valid YAML calling only
//! driftwatch commands and flags that exist, and that package.json and
//! existing files are respected.
//!
//! YAML is parsed with `yaml-rust2` (dev-dependency only): a pure-Rust YAML
//! 1.2 parser that is maintained (the successor of the unmaintained
//! `yaml-rust`), small, and needs no serde layer — unlike `serde_yaml`
//! (deprecated) or `serde_yml` (unsound, archived) — and unlike python3's
//! `yaml` it does not depend on what a machine happens to have installed.

mod common;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use yaml_rust2::{Yaml, YamlLoader};

const FILES: [&str; 4] = [
    "driftwatch.toml",
    ".github/workflows/schema-validation.yml",
    ".github/workflows/nightly-schema-check.yml",
    "package.json",
];

const PACKAGE_JSON: &str = r#"{
    "name": "shop",
    "version": "0.1.0",
    "private": true,
    "scripts": {
        "db:generate": "drizzle-kit generate",
        "db:migrate": "drizzle-kit migrate"
    },
    "dependencies": {
        "drizzle-orm": "0.45.4",
        "mysql2": "3.24.6"
    },
    "devDependencies": {
        "drizzle-kit": "0.31.11"
    }
}
"#;

/// A copy of examples/shop with a package.json that has no
/// `validate:schema` yet, a pnpm lock file and `.env` files naming staging
/// and production URLs (with values that must never be copied anywhere).
fn scratch_project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    copy_dir(&common::shop_dir(), dir.path());
    let _ = std::fs::remove_file(dir.path().join(".env"));
    std::fs::write(dir.path().join("package.json"), PACKAGE_JSON).expect("package.json");
    std::fs::write(
        dir.path().join("pnpm-lock.yaml"),
        "lockfileVersion: '9.0'\n",
    )
    .expect("lock");
    std::fs::write(
        dir.path().join(".env.example"),
        "DATABASE_URL=mysql://root:example-secret-1@127.0.0.1:3306/shop\n\
         STAGING_DATABASE_URL=mysql://app:example-secret-2@staging/shop\n\
         export PRODUCTION_DATABASE_URL=mysql://app:example-secret-3@prod/shop\n",
    )
    .expect(".env.example");
    dir
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).expect("mkdir");
    for entry in std::fs::read_dir(from).expect("read_dir") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).expect("copy");
        }
    }
}

fn init(dir: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["init"];
    args.extend_from_slice(extra);
    common::driftwatch(&args, dir, &[])
}

fn read_all(dir: &Path) -> BTreeMap<&'static str, Vec<u8>> {
    FILES
        .iter()
        .map(|f| {
            (
                *f,
                std::fs::read(dir.join(f)).unwrap_or_else(|e| panic!("{f}: {e}")),
            )
        })
        .collect()
}

fn assert_exit(output: &std::process::Output, code: i32) {
    assert_eq!(
        output.status.code(),
        Some(code),
        "stdout:\n{}\nstderr:\n{}",
        common::stdout(output),
        common::stderr(output)
    );
}

#[test]
fn a_second_init_writes_the_same_bytes_and_reports_nothing_changed() {
    let project = scratch_project();
    let first = init(project.path(), &[]);
    assert_exit(&first, 0);
    let out = common::stdout(&first);
    for file in FILES {
        assert!(out.contains(file), "{file} not in the summary:\n{out}");
    }
    let written = read_all(project.path());

    let second = init(project.path(), &[]);
    assert_exit(&second, 0);
    let out = common::stdout(&second);
    assert!(out.contains("Nothing changed"), "{out}");
    assert!(!out.contains("written"), "{out}");
    assert_eq!(read_all(project.path()), written);

    // Environments come from the variable names; their values never leave .env*.
    let settings = String::from_utf8_lossy(&written["driftwatch.toml"]).into_owned();
    assert!(settings.contains("[environments.staging]\nurl = \"${STAGING_DATABASE_URL}\""));
    assert!(settings.contains(
        "[environments.production]\nurl = \"${PRODUCTION_DATABASE_URL}\"\nproduction = true"
    ));
    for (file, bytes) in &written {
        let text = String::from_utf8_lossy(bytes);
        assert!(
            !text.contains("example-secret"),
            "{file} holds a secret:\n{text}"
        );
    }
    assert!(!common::stdout(&first).contains("example-secret"));
    assert!(!common::stderr(&first).contains("example-secret"));
}

#[test]
fn written_settings_load_with_the_settings_loader() {
    let project = scratch_project();
    assert_exit(&init(project.path(), &[]), 0);
    // doctor loads driftwatch.toml with the loader every command uses.
    let doctor = common::driftwatch(
        &["doctor", "--url", "mysql://root@127.0.0.1:1/shop"],
        project.path(),
        &[],
    );
    let out = common::stdout(&doctor);
    assert!(
        out.contains("pass  driftwatch.toml:")
            && out.contains("environments: development, production, staging"),
        "{out}"
    );
}

fn yaml(path: &Path) -> Yaml {
    let text = std::fs::read_to_string(path).expect("read workflow");
    let mut docs = YamlLoader::load_from_str(&text)
        .unwrap_or_else(|e| panic!("{}: invalid YAML: {e}\n{text}", path.display()));
    assert_eq!(docs.len(), 1, "{}", path.display());
    docs.remove(0)
}

fn strings(yaml: &Yaml) -> Vec<String> {
    yaml.as_vec()
        .map(|v| {
            v.iter()
                .filter_map(|y| y.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// Every `run:` of every step of every job.
fn run_lines(workflow: &Yaml) -> Vec<String> {
    let mut lines = Vec::new();
    if let Some(jobs) = workflow["jobs"].as_hash() {
        for job in jobs.values() {
            for step in job["steps"].as_vec().into_iter().flatten() {
                if let Some(run) = step["run"].as_str() {
                    lines.extend(run.lines().map(str::to_string));
                }
            }
        }
    }
    lines
}

/// The command words and the flags (each with its value, if any) of a call.
type Invocation = (Vec<String>, Vec<(String, Option<String>)>);

/// `driftwatch <subcommand…> [--flag [value]]…` of a `run:` line: the command
/// words and each flag with its value (if the next word is not a flag).
fn driftwatch_invocation(line: &str) -> Option<Invocation> {
    let words: Vec<&str> = line.split_whitespace().collect();
    let start = words.iter().position(|w| *w == "driftwatch")? + 1;
    let mut command = Vec::new();
    let mut flags = Vec::new();
    let mut i = start;
    while i < words.len() && !words[i].starts_with('-') {
        command.push(words[i].to_string());
        i += 1;
    }
    while i < words.len() {
        let flag = words[i].to_string();
        assert!(
            flag.starts_with("--"),
            "unexpected word `{flag}` in `{line}`"
        );
        let value = words
            .get(i + 1)
            .filter(|w| !w.starts_with('-'))
            .map(|w| w.to_string());
        i += if value.is_some() { 2 } else { 1 };
        flags.push((flag, value));
    }
    Some((command, flags))
}

/// Each driftwatch call must name an existing command, flags it has, and
/// values those flags accept: clap checks all of that before `--help`.
fn assert_driftwatch_calls_exist(workflow: &Yaml, dir: &Path) -> usize {
    let mut calls = 0;
    for line in run_lines(workflow) {
        let Some((command, flags)) = driftwatch_invocation(&line) else {
            continue;
        };
        calls += 1;
        let mut args: Vec<String> = command.clone();
        for (flag, value) in &flags {
            args.push(flag.clone());
            args.extend(value.clone());
        }
        args.push("--help".to_string());
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let output = common::driftwatch(&args, dir, &[]);
        assert!(
            output.status.success(),
            "`driftwatch {}` from `{line}` is not accepted:\n{}",
            args.join(" "),
            common::stderr(&output)
        );
        let help = common::stdout(&output);
        for (flag, _) in &flags {
            assert!(
                help.contains(flag.as_str()),
                "{flag} not in the help of {command:?}"
            );
        }
    }
    calls
}

#[test]
fn workflows_are_valid_yaml_and_call_only_existing_driftwatch_commands() {
    let project = scratch_project();
    assert_exit(&init(project.path(), &[]), 0);
    let workflows = project.path().join(".github/workflows");

    let pr = yaml(&workflows.join("schema-validation.yml"));
    let paths = strings(&pr["on"]["pull_request"]["paths"]);
    assert!(paths.contains(&"drizzle/**".to_string()), "{paths:?}");
    assert!(paths.contains(&"server/**".to_string()), "{paths:?}");
    let job = &pr["jobs"]["validate"];
    let image = job["services"]["mysql"]["image"]
        .as_str()
        .unwrap_or_default();
    assert!(image.starts_with("mysql:8"), "{image}");
    let runs = run_lines(&pr);
    assert!(
        runs.iter().any(|r| r == "pnpm install --frozen-lockfile"),
        "{runs:?}"
    );
    assert!(
        runs.iter().any(|r| r == "pnpm exec drizzle-kit migrate"),
        "{runs:?}"
    );
    assert!(
        runs.iter()
            .any(|r| r == "npx --yes driftwatch validate --format github"),
        "{runs:?}"
    );
    // The URL the migrations and validate use names the job's own database.
    assert_eq!(
        job["env"]["DATABASE_URL"].as_str(),
        Some("mysql://root@127.0.0.1:3306/app")
    );
    assert_eq!(assert_driftwatch_calls_exist(&pr, project.path()), 1);

    let nightly = yaml(&workflows.join("nightly-schema-check.yml"));
    let schedule = nightly["on"]["schedule"].as_vec().expect("schedule");
    assert_eq!(schedule[0]["cron"].as_str(), Some("0 2 * * *"));
    assert!(
        nightly["on"]
            .as_hash()
            .is_some_and(|h| h.contains_key(&Yaml::String("workflow_dispatch".into()))),
        "no workflow_dispatch"
    );
    assert_eq!(nightly["permissions"]["issues"].as_str(), Some("write"));
    let env = &nightly["jobs"]["monitor"]["steps"]
        .as_vec()
        .expect("steps")
        .iter()
        .find(|s| s["run"].as_str().is_some_and(|r| r.contains("monitor run")))
        .expect("monitor step")["env"];
    assert_eq!(
        env["STAGING_DATABASE_URL"].as_str(),
        Some("${{ secrets.STAGING_DATABASE_URL }}")
    );
    assert_eq!(
        env["GITHUB_TOKEN"].as_str(),
        Some("${{ secrets.GITHUB_TOKEN }}")
    );
    assert!(
        run_lines(&nightly)
            .iter()
            .any(|r| r == "npx --yes driftwatch monitor run --env production --env staging")
    );
    assert_eq!(assert_driftwatch_calls_exist(&nightly, project.path()), 1);
}

#[test]
fn package_json_gains_the_script_and_keeps_everything_else() {
    let project = scratch_project();
    assert_exit(&init(project.path(), &[]), 0);
    let text = std::fs::read_to_string(project.path().join("package.json")).expect("read");
    let expected = PACKAGE_JSON.replace(
        "        \"db:migrate\": \"drizzle-kit migrate\"\n",
        "        \"db:migrate\": \"drizzle-kit migrate\",\n        \"validate:schema\": \"driftwatch validate\"\n",
    );
    assert_eq!(text, expected);
    let json: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
    let keys: Vec<&String> = json.as_object().expect("object").keys().collect();
    assert_eq!(
        keys,
        [
            "name",
            "version",
            "private",
            "scripts",
            "dependencies",
            "devDependencies"
        ]
    );
}

#[test]
fn existing_files_are_kept_without_force_and_overwritten_with_it() {
    let project = scratch_project();
    let dir = project.path();
    std::fs::write(dir.join("driftwatch.toml"), "# mine\n").expect("write");
    let package = PACKAGE_JSON.replace(
        "\"db:migrate\": \"drizzle-kit migrate\"",
        "\"db:migrate\": \"drizzle-kit migrate\",\n        \"validate:schema\": \"echo custom\"",
    );
    std::fs::write(dir.join("package.json"), &package).expect("write");

    let output = init(dir, &[]);
    assert_exit(&output, 0);
    let out = common::stdout(&output);
    assert!(out.contains("kept       driftwatch.toml"), "{out}");
    assert!(out.contains("kept       package.json"), "{out}");
    assert!(out.contains("echo custom"), "{out}");
    assert_eq!(
        std::fs::read_to_string(dir.join("driftwatch.toml")).expect("read"),
        "# mine\n"
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("package.json")).expect("read"),
        package
    );

    let output = init(dir, &["--force"]);
    assert_exit(&output, 0);
    let settings = std::fs::read_to_string(dir.join("driftwatch.toml")).expect("read");
    assert!(settings.contains("[sla]"), "{settings}");
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("package.json")).expect("read"))
            .expect("json");
    assert_eq!(json["scripts"]["validate:schema"], "driftwatch validate");
    assert_eq!(json["scripts"]["db:generate"], "drizzle-kit generate");

    // --force writes what a fresh init writes: a further run changes nothing.
    let again = init(dir, &[]);
    assert!(common::stdout(&again).contains("Nothing changed"));
}

#[test]
fn dir_option_and_a_project_without_drizzle_config_or_lock_file() {
    let project = tempfile::tempdir().expect("tempdir");
    let app = project.path().join("app");
    std::fs::create_dir_all(&app).expect("mkdir");
    std::fs::write(app.join("package.json"), "{\n  \"name\": \"bare\"\n}\n").expect("write");
    let output = common::driftwatch(&["init", "--dir", "app"], project.path(), &[]);
    assert_exit(&output, 0);
    assert!(
        common::stderr(&output).contains("no drizzle.config"),
        "{}",
        common::stderr(&output)
    );
    assert_eq!(
        std::fs::read_to_string(app.join("package.json")).expect("read"),
        "{\n  \"name\": \"bare\",\n  \"scripts\": {\n    \"validate:schema\": \"driftwatch validate\"\n  }\n}\n"
    );
    let pr = yaml(&app.join(".github/workflows/schema-validation.yml"));
    let runs = run_lines(&pr);
    assert!(runs.iter().any(|r| r == "npm install"), "{runs:?}");
    assert!(
        runs.iter().any(|r| r == "npx drizzle-kit migrate"),
        "{runs:?}"
    );
    // Only development exists: the nightly checks every environment.
    let nightly = yaml(&app.join(".github/workflows/nightly-schema-check.yml"));
    assert!(
        run_lines(&nightly)
            .iter()
            .any(|r| r == "npx --yes driftwatch monitor run"),
        "{:?}",
        run_lines(&nightly)
    );
    assert!(!project.path().join("driftwatch.toml").exists());
}

#[test]
fn invalid_package_json_is_exit_2_and_writes_nothing() {
    let project = tempfile::tempdir().expect("tempdir");
    std::fs::write(project.path().join("package.json"), "{ \"name\": ").expect("write");
    let output = init(project.path(), &[]);
    assert_exit(&output, 2);
    assert!(common::stderr(&output).contains("package.json"));
    let left: Vec<PathBuf> = std::fs::read_dir(project.path())
        .expect("read_dir")
        .map(|e| e.expect("entry").path())
        .collect();
    assert_eq!(left, [project.path().join("package.json")]);
}

#[test]
fn unreadable_drizzle_config_is_exit_2_and_writes_nothing() {
    let project = tempfile::tempdir().expect("tempdir");
    std::fs::write(project.path().join("package.json"), "{}\n").expect("write");
    std::fs::write(
        project.path().join("drizzle.config.ts"),
        "import { defineConfig } from 'drizzle-kit';\nexport default defineConfig({ dialect: 'postgresql', schema: './s.ts' });\n",
    )
    .expect("write");
    let output = init(project.path(), &[]);
    assert_exit(&output, 2);
    assert!(
        common::stderr(&output).contains("postgresql"),
        "{}",
        common::stderr(&output)
    );
    assert!(!project.path().join("driftwatch.toml").exists());
    assert!(!project.path().join(".github").exists());
    assert_eq!(
        std::fs::read_to_string(project.path().join("package.json")).expect("read"),
        "{}\n"
    );
}

#[test]
fn a_github_remote_configures_the_issue_notifier() {
    let root = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir_all(root.path().join(".git")).expect("mkdir");
    std::fs::write(
        root.path().join(".git/config"),
        "[core]\n\tbare = false\n[remote \"upstream\"]\n\turl = https://github.com/other/fork.git\n\
         [remote \"origin\"]\n\turl = git@github.com:acme/shop.git\n\tfetch = +refs/heads/*:refs/remotes/origin/*\n",
    )
    .expect("git config");
    std::fs::write(root.path().join("package.json"), "{}\n").expect("package.json");
    let output = init(root.path(), &[]);
    assert_exit(&output, 0);
    let settings = std::fs::read_to_string(root.path().join("driftwatch.toml")).expect("read");
    assert!(
        settings.contains("[notify.github]\nrepo = \"acme/shop\"\ntoken_env = \"GITHUB_TOKEN\""),
        "{settings}"
    );
    let doctor = common::driftwatch(
        &["doctor", "--url", "mysql://root@127.0.0.1:1/shop"],
        root.path(),
        &[],
    );
    assert!(common::stdout(&doctor).contains("pass  driftwatch.toml:"));

    // A project in a sub-folder of the repository: GitHub would not see its
    // workflows there, and init says so.
    let app = root.path().join("apps/api");
    std::fs::create_dir_all(&app).expect("mkdir");
    std::fs::write(app.join("package.json"), "{}\n").expect("package.json");
    let output = common::driftwatch(&["init", "--dir", "apps/api"], root.path(), &[]);
    assert_exit(&output, 0);
    assert!(
        common::stderr(&output).contains("GitHub only runs workflows from its .github/workflows"),
        "{}",
        common::stderr(&output)
    );
}

#[test]
fn no_package_json_writes_the_rest_and_says_how_to_add_the_script() {
    let project = tempfile::tempdir().expect("tempdir");
    let output = init(project.path(), &[]);
    assert_exit(&output, 0);
    let stderr = common::stderr(&output);
    assert!(stderr.contains("no package.json"), "{stderr}");
    assert!(
        stderr.contains("\"validate:schema\": \"driftwatch validate\""),
        "{stderr}"
    );
    for file in &FILES[..3] {
        assert!(project.path().join(file).is_file(), "{file}");
    }
    assert!(!project.path().join("package.json").exists());
}
