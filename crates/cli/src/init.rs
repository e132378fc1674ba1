//! `driftwatch init`: scaffolds driftwatch.toml, the two GitHub workflows
//! (pull-request check, nightly monitor) and the `validate:schema` script of
//! package.json from what the project already has.
//!
//! Everything is decided first (detection, every file's new text, what
//! would change); only then is anything written, so an error writes nothing.
//! An existing file is kept unless `--force`, and a second run writes the
//! same bytes, so it changes nothing. Secrets are never read into a file:
//! environment variables are found by *name* (drizzle.config, `.env`,
//! `.env.example`, the process environment) and referenced as `${NAME}` or
//! `${{ secrets.NAME }}`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use driftwatch_drizzle::{DbCredentials, EnvVars};

use crate::args::{GlobalArgs, InitArgs};
use crate::error::CliError;
use crate::validate::Outcome;

/// The script init adds to package.json.
pub const SCRIPT_NAME: &str = "validate:schema";
pub const SCRIPT_COMMAND: &str = "driftwatch validate";

const SCHEMA_WORKFLOW: &str = ".github/workflows/schema-validation.yml";
const NIGHTLY_WORKFLOW: &str = ".github/workflows/nightly-schema-check.yml";

/// The environment the drizzle.config's own variable becomes.
const BASE_ENVIRONMENT: &str = "development";

/// `.env` files whose variable *names* are read (never their values).
const ENV_FILES: [&str; 5] = [
    ".env",
    ".env.example",
    ".env.sample",
    ".env.local",
    ".env.template",
];

// ---------------------------------------------------------------------------
// Detection
// ---------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PackageManager {
    Npm,
    Pnpm,
    Yarn,
    /// Yarn 2+ (`.yarnrc.yml`): `--immutable`, corepack.
    YarnBerry,
    Bun,
}

impl PackageManager {
    fn name(self) -> &'static str {
        match self {
            PackageManager::Npm => "npm",
            PackageManager::Pnpm => "pnpm",
            PackageManager::Yarn | PackageManager::YarnBerry => "yarn",
            PackageManager::Bun => "bun",
        }
    }

    /// How the package manager runs a locally installed binary.
    fn exec(self) -> &'static str {
        match self {
            PackageManager::Npm => "npx",
            PackageManager::Pnpm => "pnpm exec",
            PackageManager::Yarn | PackageManager::YarnBerry => "yarn",
            PackageManager::Bun => "bunx",
        }
    }
}

/// One `[environments.NAME]` init writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvironmentEntry {
    pub name: String,
    /// The variable holding its URL.
    pub var: String,
    pub production: bool,
}

/// What init found in the project.
#[derive(Debug, Clone)]
pub struct Detected {
    /// The drizzle config, relative to the project folder (`/`-separated).
    pub drizzle_config: Option<String>,
    /// Whether `drizzle_config` is found without being named in driftwatch.toml.
    pub drizzle_config_discoverable: bool,
    pub schema: Vec<String>,
    pub out: String,
    /// The variable `dbCredentials.url` reads (default `DATABASE_URL`).
    pub url_var: String,
    pub environments: Vec<EnvironmentEntry>,
    pub package_manager: PackageManager,
    pub lock_file: Option<&'static str>,
    /// `packageManager` is set in package.json (pnpm/action-setup reads it).
    pub package_manager_field: bool,
    /// `owner/name` of the GitHub remote, when there is one.
    pub github_repo: Option<String>,
    pub warnings: Vec<String>,
}

fn display_rel(dir: &Path, path: &Path) -> String {
    path.strip_prefix(dir)
        .unwrap_or(path)
        .to_string_lossy()
        .replace('\\', "/")
}

fn detect(
    global: &GlobalArgs,
    dir: &Path,
    package_json: Option<&serde_json::Value>,
) -> Result<Detected, CliError> {
    let mut warnings = Vec::new();
    let config_path = match &global.drizzle_config {
        Some(path) if !path.is_file() => {
            return Err(CliError::DrizzleConfig(format!(
                "{}: drizzle config not found",
                path.display()
            )));
        }
        Some(path) => Some(path.clone()),
        None => driftwatch_drizzle::find_config(dir),
    };
    let mut schema = vec!["./drizzle/schema.ts".to_string()];
    let mut out = "./drizzle".to_string();
    let mut url_var = None;
    let mut drizzle_config = None;
    let mut discoverable = false;
    match &config_path {
        None => warnings.push(format!(
            "no drizzle.config.{{ts,mts,js,mjs,json}} in {}: using the defaults (schema ./drizzle/schema.ts, out ./drizzle, DATABASE_URL); pass --drizzle-config PATH if it lives elsewhere",
            dir.display()
        )),
        Some(path) => {
            let root = path
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .unwrap_or(Path::new("."));
            let env = EnvVars::load(root);
            let config = driftwatch_drizzle::load_config(path, &env).map_err(|e| {
                CliError::DrizzleConfig(format!(
                    "{e}\nhint: init reads the drizzle config to find the schema, `out` and the database variable; fix it (or pass --drizzle-config PATH) and run init again"
                ))
            })?;
            if !config.schema.is_empty() {
                schema = config.schema.clone();
            } else {
                warnings.push(format!(
                    "{}: no `schema`; driftwatch needs it (or --schema) to validate",
                    path.display()
                ));
            }
            out = config.out.clone();
            // Which variable dbCredentials reads: evaluate the config again
            // with an empty environment (the credentials then name the first
            // variable they miss), then with only that variable set to a
            // made-up URL (a `url` reads it; host/user/… fields do not).
            let probe = |env: EnvVars| {
                driftwatch_drizzle::load_config(path, &env)
                    .ok()
                    .and_then(|c| c.db_credentials)
            };
            let fields_warning = format!(
                "{}: dbCredentials uses host/user/password fields, not `url`; driftwatch.toml and the workflows use DATABASE_URL (mysql://user:pass@host:port/db): set it, or edit them",
                path.display()
            );
            match probe(EnvVars::default()) {
                Some(Err(var)) => {
                    let only = EnvVars::from_pairs([(var.clone(), "mysql://init@localhost/probe")]);
                    match probe(only) {
                        Some(Ok(DbCredentials::Url(_))) => url_var = Some(var),
                        _ => warnings.push(fields_warning),
                    }
                }
                Some(Ok(DbCredentials::Url(_))) => warnings.push(format!(
                    "{}: dbCredentials.url is written in the file, not read from the environment (is a password committed?); driftwatch.toml and the workflows use DATABASE_URL instead",
                    path.display()
                )),
                Some(Ok(DbCredentials::Fields { .. })) => warnings.push(fields_warning),
                None if config.db_credentials.is_none() => warnings.push(format!(
                    "{}: no dbCredentials; driftwatch.toml and the workflows use DATABASE_URL",
                    path.display()
                )),
                None => {}
            }
            let absolute_dir = std::path::absolute(dir).unwrap_or_else(|_| dir.to_path_buf());
            let absolute = std::path::absolute(path).unwrap_or_else(|_| path.clone());
            discoverable = absolute.parent() == Some(absolute_dir.as_path())
                && driftwatch_drizzle::find_config(dir).is_some_and(|found| {
                    std::path::absolute(&found).ok().as_deref() == Some(absolute.as_path())
                });
            drizzle_config = Some(display_rel(&absolute_dir, &absolute));
        }
    }
    let url_var = url_var.unwrap_or_else(|| "DATABASE_URL".to_string());
    let environments = environments(&url_var, &variable_names(dir));
    let (package_manager, lock_file) = package_manager(dir);
    let has = |section: &str, name: &str| {
        package_json
            .and_then(|p| p.get(section))
            .and_then(|s| s.get(name))
            .is_some()
    };
    let has_drizzle_kit =
        has("devDependencies", "drizzle-kit") || has("dependencies", "drizzle-kit");
    if package_json.is_some() && !has_drizzle_kit {
        warnings.push(
            "drizzle-kit is not in package.json; the pull-request workflow applies migrations with it (add it as a devDependency)"
                .to_string(),
        );
    }
    let github_repo = github_repo(dir);
    if let Some(git_root) = git_root(dir)
        && std::path::absolute(&git_root).ok() != std::path::absolute(dir).ok()
    {
        warnings.push(format!(
            "the git repository's root is {}; GitHub only runs workflows from its .github/workflows: move them there and add `defaults: run: working-directory:` for this folder",
            git_root.display()
        ));
    }
    Ok(Detected {
        drizzle_config,
        drizzle_config_discoverable: discoverable,
        schema,
        out,
        url_var,
        environments,
        package_manager,
        lock_file,
        package_manager_field: package_json.and_then(|p| p.get("packageManager")).is_some(),
        github_repo,
        warnings,
    })
}

/// Variable names (never values) from the `.env` files and the process.
fn variable_names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::env::vars_os()
        .filter_map(|(k, _)| k.into_string().ok())
        .collect();
    for file in ENV_FILES {
        if let Ok(text) = std::fs::read_to_string(dir.join(file)) {
            names.extend(dotenv_names(&text));
        }
    }
    names.sort();
    names.dedup();
    names
}

/// `NAME=…` and `export NAME=…` lines of a `.env` file: the names only.
pub fn dotenv_names(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|line| {
            let line = line.trim_start();
            let line = line.strip_prefix("export ").unwrap_or(line).trim_start();
            let (name, _) = line.split_once('=')?;
            let name = name.trim_end();
            let valid = !name.is_empty()
                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
                && !name.starts_with(|c: char| c.is_ascii_digit());
            valid.then(|| name.to_string())
        })
        .collect()
}

/// `url_var` → `development`; `STAGING_<url_var>` / `STAGING_DATABASE_URL`
/// → `staging`, and so on (`production`/`prod`/`live` marked production).
pub fn environments(url_var: &str, names: &[String]) -> Vec<EnvironmentEntry> {
    let mut entries = vec![EnvironmentEntry {
        name: BASE_ENVIRONMENT.to_string(),
        var: url_var.to_string(),
        production: false,
    }];
    let mut suffixes = vec![format!("_{url_var}")];
    if url_var != "DATABASE_URL" {
        suffixes.push("_DATABASE_URL".to_string());
    }
    for name in names {
        if name.contains("SHADOW") || name.starts_with("DRIFTWATCH_") {
            continue;
        }
        let Some(prefix) = suffixes.iter().find_map(|s| name.strip_suffix(s.as_str())) else {
            continue;
        };
        if prefix.is_empty()
            || !prefix
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_')
        {
            continue;
        }
        let env = prefix.to_ascii_lowercase();
        if entries.iter().any(|e| e.name == env || e.var == *name) {
            continue;
        }
        entries.push(EnvironmentEntry {
            production: matches!(env.as_str(), "production" | "prod" | "live"),
            name: env,
            var: name.clone(),
        });
    }
    entries[1..].sort_by(|a, b| a.name.cmp(&b.name));
    entries
}

fn package_manager(dir: &Path) -> (PackageManager, Option<&'static str>) {
    let candidates: [(&'static str, PackageManager); 6] = [
        ("pnpm-lock.yaml", PackageManager::Pnpm),
        ("bun.lock", PackageManager::Bun),
        ("bun.lockb", PackageManager::Bun),
        ("yarn.lock", PackageManager::Yarn),
        ("package-lock.json", PackageManager::Npm),
        ("npm-shrinkwrap.json", PackageManager::Npm),
    ];
    for (file, manager) in candidates {
        if dir.join(file).is_file() {
            let manager = if manager == PackageManager::Yarn && dir.join(".yarnrc.yml").is_file() {
                PackageManager::YarnBerry
            } else {
                manager
            };
            return (manager, Some(file));
        }
    }
    (PackageManager::Npm, None)
}

/// The folder holding `.git`, from `dir` upwards.
fn git_root(dir: &Path) -> Option<PathBuf> {
    let dir = std::path::absolute(dir).ok()?;
    dir.ancestors()
        .find(|d| d.join(".git").exists())
        .map(Path::to_path_buf)
}

/// `owner/name` of the `origin` remote (else the first) when it is on github.com.
fn github_repo(dir: &Path) -> Option<String> {
    let config = std::fs::read_to_string(git_root(dir)?.join(".git/config")).ok()?;
    let mut section = String::new();
    let mut urls: Vec<(bool, String)> = Vec::new();
    for line in config.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            section = line.to_string();
        } else if let Some((key, value)) = line.split_once('=')
            && key.trim() == "url"
            && section.starts_with("[remote ")
        {
            urls.push((section == "[remote \"origin\"]", value.trim().to_string()));
        }
    }
    urls.sort_by_key(|(origin, _)| !*origin);
    urls.iter().find_map(|(_, url)| github_slug(url))
}

pub fn github_slug(url: &str) -> Option<String> {
    let rest = [
        "git@github.com:",
        "https://github.com/",
        "ssh://git@github.com/",
        "git://github.com/",
    ]
    .iter()
    .find_map(|prefix| url.strip_prefix(prefix))?;
    let rest = rest.trim_end_matches('/');
    let rest = rest.strip_suffix(".git").unwrap_or(rest);
    let (owner, name) = rest.split_once('/')?;
    let ok = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    };
    (ok(owner) && ok(name)).then(|| format!("{owner}/{name}"))
}

// ---------------------------------------------------------------------------
// driftwatch.toml
// ---------------------------------------------------------------------------

pub fn render_settings(d: &Detected) -> String {
    let mut t = String::new();
    t.push_str(
        "# driftwatch.toml: written by `driftwatch init`; edit freely, every key is optional.\n\
         # `${NAME}` in any string expands from the environment (and .env), so no URL or\n\
         # password is written here: each environment names the variable holding its URL.\n\n",
    );
    match (&d.drizzle_config, d.drizzle_config_discoverable) {
        (Some(path), true) => {
            let _ = writeln!(
                t,
                "# The drizzle config; found without this key when it sits next to this file.\n# drizzle_config = \"{path}\"\n"
            );
        }
        (Some(path), false) => {
            let _ = writeln!(t, "# The drizzle config.\ndrizzle_config = \"{}\"\n", toml_escape(path));
        }
        (None, _) => t.push_str(
            "# The drizzle config (none was found when this file was written).\n# drizzle_config = \"drizzle.config.ts\"\n\n",
        ),
    }
    t.push_str(
        "# Environments: `driftwatch validate --env NAME` checks one, `driftwatch monitor run`\n\
         # checks them all (the nightly workflow passes their URLs from repository secrets).\n\
         # Without --env, validate reads DATABASE_URL, else drizzle.config dbCredentials.\n\
         # production = true makes drift there critical; expect_database refuses any other database.\n",
    );
    for env in &d.environments {
        let _ = write!(
            t,
            "\n[environments.{}]\nurl = \"${{{}}}\"\n",
            env.name, env.var
        );
        if env.name == BASE_ENVIRONMENT && d.drizzle_config.is_some() {
            t.push_str("# the database drizzle.config connects to\n");
        }
        if env.production {
            t.push_str("production = true\n# expect_database = \"app\"\n");
        }
    }
    if d.environments.len() == 1 {
        t.push_str(
            "\n# [environments.staging]\n# url = \"${STAGING_DATABASE_URL}\"\n\
             \n# [environments.production]\n# url = \"${PRODUCTION_DATABASE_URL}\"\n# production = true\n# expect_database = \"app\"\n",
        );
    }
    t.push_str(
        "\n# Severity per drift kind (critical, high, medium, low), over the default policy;\n\
         # [environments.NAME.severity] overrides it for one environment.\n\
         [severity]\n\
         # column_extra_in_db = \"low\"\n\
         \n# Response time per severity before an open incident escalates (units s m h d w).\n\
         [sla]\n\
         critical = \"0m\"\n\
         high = \"2h\"\n\
         medium = \"24h\"\n\
         low = \"7d\"\n\
         \n# Escalation path, level 1 first: an incident past its SLA moves one level up.\n\
         # Without [[escalation]]: Development Team, Database Team, Technical Lead, Management.\n\
         # `github` lists users or org/team slugs to assign or mention.\n\
         # [[escalation]]\n\
         # name = \"Development Team\"\n\
         # github = [\"org/dev-team\"]\n\
         # [[escalation]]\n\
         # name = \"Database Team\"\n\
         # github = [\"org/database-team\"]\n\
         # [[escalation]]\n\
         # name = \"Technical Lead\"\n\
         # github = [\"tech-lead-login\"]\n\
         # [[escalation]]\n\
         # name = \"Management\"\n\
         # github = [\"manager-login\"]\n\
         \n# Where `driftwatch monitor` keeps incidents (relative to this file); the nightly\n\
         # workflow keeps it between runs in the Actions cache (incidents only, no secret).\n\
         [state]\n\
         url = \"sqlite://.driftwatch/state.db\"\n\
         \n# One GitHub issue per environment with drift, assigned by escalation level;\n\
         # the token is read from the variable token_env names (never written here).\n",
    );
    match &d.github_repo {
        Some(repo) => {
            let _ = write!(
                t,
                "[notify.github]\nrepo = \"{}\"\ntoken_env = \"GITHUB_TOKEN\"\nlabel = \"schema-drift\"\nmode = \"per-environment\"          # or \"per-incident\"\n",
                toml_escape(repo)
            );
        }
        None => t.push_str(
            "# [notify.github]\n# repo = \"owner/name\"\n# token_env = \"GITHUB_TOKEN\"\n# label = \"schema-drift\"\n# mode = \"per-environment\"        # or \"per-incident\"\n",
        ),
    }
    t.push_str(
        "\n# Slack-compatible (or JSON) webhook, on change only.\n\
         # [notify.webhook]\n\
         # url = \"${SLACK_WEBHOOK_URL}\"\n\
         # format = \"slack\"\n\
         \n# Left out of the comparison on purpose (globs; both sides).\n\
         [ignore]\n\
         tables = []\n\
         # columns = [\"*.updated_by\"]\n\
         kinds = []\n",
    );
    t
}

fn toml_escape(text: &str) -> String {
    text.replace('\\', "\\\\").replace('"', "\\\"")
}

// ---------------------------------------------------------------------------
// Workflows
// ---------------------------------------------------------------------------

/// `drizzle/**`, `server/**`, and what else holds the schema, migrations and config.
fn trigger_paths(d: &Detected) -> Vec<String> {
    let mut paths = vec!["drizzle/**".to_string(), "server/**".to_string()];
    let covered = |paths: &[String], p: &str| {
        paths.iter().any(|have| {
            have == p
                || have
                    .strip_suffix("**")
                    .is_some_and(|prefix| p.starts_with(prefix))
        })
    };
    let mut add = |p: String| {
        if !p.is_empty() && !p.starts_with("..") && !p.starts_with('/') && !covered(&paths, &p) {
            paths.push(p);
        }
    };
    for pattern in d.schema.iter().chain(std::iter::once(&d.out)) {
        add(watch_pattern(pattern));
    }
    if let Some(config) = &d.drizzle_config {
        add(config.clone());
    }
    add("driftwatch.toml".to_string());
    add(SCHEMA_WORKFLOW.to_string());
    paths
}

/// A schema glob or folder as a workflow path filter: the part before the
/// first wildcard, then `**` (a single file stays itself).
fn watch_pattern(pattern: &str) -> String {
    let pattern = pattern.trim_start_matches("./");
    let mut fixed = Vec::new();
    let parts: Vec<&str> = pattern.split('/').filter(|p| !p.is_empty()).collect();
    for (i, part) in parts.iter().enumerate() {
        if part.contains(['*', '?', '[', '{']) {
            fixed.push("**");
            return fixed.join("/");
        }
        fixed.push(part);
        if i + 1 == parts.len() && part.contains('.') {
            return fixed.join("/");
        }
    }
    fixed.push("**");
    fixed.join("/")
}

fn yaml_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// The steps that set up Node and the project's dependencies.
fn node_setup_steps(d: &Detected, install: bool) -> String {
    let mut s = String::new();
    let pm = d.package_manager;
    if pm == PackageManager::Pnpm {
        s.push_str("      - uses: pnpm/action-setup@v4\n");
        if !d.package_manager_field {
            s.push_str("        with:\n          version: 10   # or set \"packageManager\" in package.json\n");
        }
    }
    if pm == PackageManager::Bun {
        s.push_str("      - uses: oven-sh/setup-bun@v2\n");
    }
    if pm == PackageManager::YarnBerry {
        s.push_str("      - run: corepack enable\n");
    }
    s.push_str("      - uses: actions/setup-node@v4\n        with:\n          node-version: 22\n");
    if install && d.lock_file.is_some() && pm != PackageManager::Bun {
        let _ = writeln!(s, "          cache: {}", pm.name());
    }
    if install {
        let command = match (pm, d.lock_file.is_some()) {
            (PackageManager::Npm, true) => "npm ci",
            (PackageManager::Npm, false) => "npm install",
            (PackageManager::Pnpm, _) => "pnpm install --frozen-lockfile",
            (PackageManager::Yarn, _) => "yarn install --frozen-lockfile",
            (PackageManager::YarnBerry, _) => "yarn install --immutable",
            (PackageManager::Bun, _) => "bun install --frozen-lockfile",
        };
        let _ = writeln!(
            s,
            "      - name: Install dependencies\n        run: {command}"
        );
    }
    s
}

pub fn render_schema_workflow(d: &Detected) -> String {
    let mut s = String::new();
    s.push_str(
        "# Written by `driftwatch init`. On every pull request that touches the schema or\n\
         # the migrations: apply the migrations to an empty MySQL 8, then compare the\n\
         # Drizzle schema with the result. Drift (exit 1) or a schema/connection error\n\
         # (exit 2) fails the check; findings are annotated on the pull request.\n\
         name: Schema validation\n\
         \n\
         on:\n  pull_request:\n    paths:\n",
    );
    for path in trigger_paths(d) {
        let _ = writeln!(s, "      - {}", yaml_quote(&path));
    }
    let _ = write!(
        s,
        "\npermissions:\n  contents: read\n\
         \nconcurrency:\n  group: schema-validation-${{{{ github.ref }}}}\n  cancel-in-progress: true\n\
         \njobs:\n  validate:\n    name: Drizzle schema vs migrated database\n    runs-on: ubuntu-latest\n    timeout-minutes: 15\n\
         \x20   services:\n      mysql:\n        image: mysql:8.0\n        env:\n          MYSQL_ALLOW_EMPTY_PASSWORD: 'yes'\n          MYSQL_DATABASE: app\n        ports:\n          - 3306:3306\n\
         \x20       options: >-\n          --health-cmd=\"mysqladmin ping -h 127.0.0.1 --silent\"\n          --health-interval=5s\n          --health-timeout=5s\n          --health-retries=30\n\
         \x20   env:\n      # A throwaway database of this job only (no password): not a secret.\n      {}: mysql://root@127.0.0.1:3306/app\n\
         \x20   steps:\n      - uses: actions/checkout@v4\n",
        d.url_var
    );
    s.push_str(&node_setup_steps(d, true));
    let _ = write!(
        s,
        "      - name: Apply migrations\n        run: {} drizzle-kit migrate\n\
         \x20     # npx runs the project's driftwatch when it is a devDependency, else the npm package.\n\
         \x20     - name: Validate schema (fails on drift)\n        run: npx --yes driftwatch validate --format github\n",
        d.package_manager.exec()
    );
    s
}

pub fn render_nightly_workflow(d: &Detected) -> String {
    let checked: Vec<&EnvironmentEntry> = if d.environments.len() > 1 {
        d.environments
            .iter()
            .filter(|e| e.name != BASE_ENVIRONMENT)
            .collect()
    } else {
        d.environments.iter().collect()
    };
    let mut s = String::new();
    s.push_str(
        "# Written by `driftwatch init`. Every night at 02:00 UTC (and on demand): check the\n\
         # deployed databases, keep incidents with their SLA and escalation, and open,\n\
         # update, escalate or close a GitHub issue per environment ([notify.github] of\n\
         # driftwatch.toml). Database URLs come from repository secrets of the same names.\n\
         name: Nightly schema check\n\
         \n\
         on:\n  schedule:\n    - cron: '0 2 * * *'\n  workflow_dispatch:\n\
         \n\
         permissions:\n  contents: read\n  issues: write\n\
         \n\
         concurrency:\n  group: nightly-schema-check\n  cancel-in-progress: false\n\
         \n\
         jobs:\n  monitor:\n    name: Schema drift in deployed databases\n    runs-on: ubuntu-latest\n    timeout-minutes: 30\n    steps:\n      - uses: actions/checkout@v4\n",
    );
    s.push_str(&node_setup_steps(d, false));
    s.push_str(
        "      # Incident state only (no URL, no token): restored from the last run, saved below.\n\
         \x20     - name: Restore incident state\n        uses: actions/cache/restore@v4\n        with:\n          path: .driftwatch\n          key: driftwatch-state-${{ github.run_id }}\n          restore-keys: driftwatch-state-\n\
         \x20     - name: Check every environment\n        env:\n",
    );
    for env in &checked {
        let _ = writeln!(s, "          {}: ${{{{ secrets.{} }}}}", env.var, env.var);
    }
    s.push_str("          GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}\n");
    let flags: String = if d.environments.len() > 1 {
        checked
            .iter()
            .map(|e| format!(" --env {}", e.name))
            .collect()
    } else {
        String::new()
    };
    let _ = write!(
        s,
        "        run: npx --yes driftwatch monitor run{flags}\n\
         \x20     - name: Save incident state\n        if: always()\n        uses: actions/cache/save@v4\n        with:\n          path: .driftwatch\n          key: driftwatch-state-${{{{ github.run_id }}}}\n"
    );
    s
}

// ---------------------------------------------------------------------------
// package.json: a textual insert that keeps everything else byte for byte
// ---------------------------------------------------------------------------

#[derive(Debug)]
struct Member {
    key: String,
    key_start: usize,
    key_end: usize,
    value_start: usize,
    value_end: usize,
}

#[derive(Debug)]
struct JsonObject {
    open: usize,
    close: usize,
    members: Vec<Member>,
}

fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while i < b.len() && matches!(b[i], b' ' | b'\t' | b'\n' | b'\r') {
        i += 1;
    }
    i
}

/// `i` at `"`: the index after the closing quote.
fn scan_string(b: &[u8], mut i: usize) -> Option<usize> {
    i += 1;
    while i < b.len() {
        match b[i] {
            b'\\' => i += 2,
            b'"' => return Some(i + 1),
            _ => i += 1,
        }
    }
    None
}

/// The end (exclusive) of the value starting at `i`.
fn scan_value(b: &[u8], i: usize) -> Option<usize> {
    match b.get(i)? {
        b'"' => scan_string(b, i),
        b'{' | b'[' => {
            let mut depth = 0usize;
            let mut j = i;
            while j < b.len() {
                match b[j] {
                    b'"' => {
                        j = scan_string(b, j)?;
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            return Some(j + 1);
                        }
                    }
                    _ => {}
                }
                j += 1;
            }
            None
        }
        _ => {
            let mut j = i;
            while j < b.len() && !matches!(b[j], b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r')
            {
                j += 1;
            }
            (j > i).then_some(j)
        }
    }
}

fn parse_object(text: &str, open: usize) -> Option<JsonObject> {
    let b = text.as_bytes();
    if b.get(open) != Some(&b'{') {
        return None;
    }
    let mut members = Vec::new();
    let mut i = skip_ws(b, open + 1);
    if b.get(i) == Some(&b'}') {
        return Some(JsonObject {
            open,
            close: i,
            members,
        });
    }
    loop {
        if b.get(i) != Some(&b'"') {
            return None;
        }
        let key_start = i;
        let key_end = scan_string(b, i)?;
        let key: String = serde_json::from_str(&text[key_start..key_end]).ok()?;
        i = skip_ws(b, key_end);
        if b.get(i) != Some(&b':') {
            return None;
        }
        let value_start = skip_ws(b, i + 1);
        let value_end = scan_value(b, value_start)?;
        members.push(Member {
            key,
            key_start,
            key_end,
            value_start,
            value_end,
        });
        i = skip_ws(b, value_end);
        match b.get(i)? {
            b',' => i = skip_ws(b, i + 1),
            b'}' => {
                return Some(JsonObject {
                    open,
                    close: i,
                    members,
                });
            }
            _ => return None,
        }
    }
}

/// The whitespace at the start of the line holding `pos`.
fn line_indent(text: &str, pos: usize) -> &str {
    let start = text[..pos].rfind('\n').map_or(0, |n| n + 1);
    let line = &text[start..];
    let len = line.len() - line.trim_start_matches([' ', '\t']).len();
    &line[..len.min(pos - start)]
}

/// What happens to package.json's script.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScriptChange {
    Added(String),
    Replaced {
        old: String,
        text: String,
    },
    Present,
    /// Another value, kept (no --force).
    Differs(String),
}

/// package.json with `"validate:schema": "driftwatch validate"` in `scripts`,
/// everything else unchanged (order, indentation, line endings, final newline).
pub fn add_script(text: &str, force: bool) -> Result<ScriptChange, String> {
    let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let body = &text[bom..];
    let value: serde_json::Value =
        serde_json::from_str(body).map_err(|e| format!("invalid JSON: {e}"))?;
    let serde_json::Value::Object(mut top_value) = value else {
        return Err("not a JSON object".to_string());
    };
    let existing = top_value
        .get("scripts")
        .map(|s| match s {
            serde_json::Value::Object(scripts) => Ok(scripts.get(SCRIPT_NAME).cloned()),
            _ => Err("`scripts` is not an object".to_string()),
        })
        .transpose()?
        .flatten();
    let wanted = serde_json::Value::String(SCRIPT_COMMAND.to_string());
    let old = match existing {
        Some(v) if v == wanted => return Ok(ScriptChange::Present),
        Some(v) if !force => {
            return Ok(ScriptChange::Differs(
                v.as_str().map_or_else(|| v.to_string(), str::to_string),
            ));
        }
        Some(v) => Some(v),
        None => None,
    };
    let start = bom + skip_ws(body.as_bytes(), 0);
    let top = parse_object(text, start).ok_or("cannot follow the JSON structure")?;
    let newline = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let unit = top
        .members
        .first()
        .map(|m| line_indent(text, m.key_start))
        .filter(|i| !i.is_empty())
        .unwrap_or("  ")
        .to_string();
    let member_text = format!("\"{SCRIPT_NAME}\": \"{SCRIPT_COMMAND}\"");
    let mut new_text = text.to_string();
    match top.members.iter().rev().find(|m| m.key == "scripts") {
        Some(scripts) => {
            let object = parse_object(text, scripts.value_start)
                .ok_or("cannot follow the `scripts` object")?;
            if let Some(member) = object.members.iter().rev().find(|m| m.key == SCRIPT_NAME) {
                new_text.replace_range(
                    member.value_start..member.value_end,
                    &format!("\"{SCRIPT_COMMAND}\""),
                );
            } else if let Some(last) = object.members.last() {
                let first = &object.members[0];
                let separator = &text[first.key_end..first.value_start];
                let before_first = &text[object.open + 1..first.key_start];
                let insert = match before_first.rfind('\n') {
                    Some(n) => format!(
                        ",{newline}{}\"{SCRIPT_NAME}\"{separator}\"{SCRIPT_COMMAND}\"",
                        &before_first[n + 1..]
                    ),
                    None => format!(", \"{SCRIPT_NAME}\"{separator}\"{SCRIPT_COMMAND}\""),
                };
                new_text.insert_str(last.value_end, &insert);
            } else {
                let multiline = text[top.open..top.close].contains('\n');
                let replacement = if multiline {
                    let outer = line_indent(text, scripts.key_start);
                    format!("{{{newline}{outer}{unit}{member_text}{newline}{outer}}}")
                } else {
                    format!("{{{member_text}}}")
                };
                new_text.replace_range(object.open..=object.close, &replacement);
            }
        }
        None => {
            let multiline = text[top.open..top.close].contains('\n') || top.members.is_empty();
            match top.members.last() {
                Some(last) => {
                    let first = &top.members[0];
                    let separator = &text[first.key_end..first.value_start];
                    let insert = if multiline {
                        format!(
                            ",{newline}{unit}\"scripts\"{separator}{{{newline}{unit}{unit}{member_text}{newline}{unit}}}"
                        )
                    } else {
                        format!(", \"scripts\"{separator}{{{member_text}}}")
                    };
                    new_text.insert_str(last.value_end, &insert);
                }
                None => {
                    let replacement = format!(
                        "{{{newline}{unit}\"scripts\": {{{newline}{unit}{unit}{member_text}{newline}{unit}}}{newline}}}"
                    );
                    new_text.replace_range(top.open..=top.close, &replacement);
                }
            }
        }
    }
    // The result must be the old document plus the script, in the same order.
    let scripts = top_value
        .entry("scripts")
        .or_insert_with(|| serde_json::Value::Object(serde_json::Map::new()));
    if let serde_json::Value::Object(scripts) = scripts {
        scripts.insert(SCRIPT_NAME.to_string(), wanted);
    }
    let expected = serde_json::Value::Object(top_value);
    let actual: serde_json::Value = serde_json::from_str(&new_text[bom..])
        .map_err(|e| format!("the edit would break the file ({e}); nothing written"))?;
    if serde_json::to_string(&actual).ok() != serde_json::to_string(&expected).ok() {
        return Err("the edit would change more than the script; nothing written".to_string());
    }
    Ok(match old {
        Some(old) => ScriptChange::Replaced {
            old: old.as_str().map_or_else(|| old.to_string(), str::to_string),
            text: new_text,
        },
        None => ScriptChange::Added(new_text),
    })
}

// ---------------------------------------------------------------------------
// The command
// ---------------------------------------------------------------------------

enum Action {
    Create,
    Overwrite,
    Unchanged,
    Kept,
}

struct Planned {
    path: PathBuf,
    shown: String,
    text: Option<String>,
    action: Action,
    note: String,
}

fn plan_file(dir: &Path, relative: &str, text: String, force: bool) -> Planned {
    let path = dir.join(relative);
    let (action, text) = match std::fs::read(&path) {
        Err(_) => (Action::Create, Some(text)),
        Ok(existing) if existing == text.as_bytes() => (Action::Unchanged, None),
        Ok(_) if force => (Action::Overwrite, Some(text)),
        Ok(_) => (Action::Kept, None),
    };
    Planned {
        path,
        shown: relative.to_string(),
        text,
        action,
        note: String::new(),
    }
}

pub fn init(global: &GlobalArgs, args: &InitArgs) -> Result<Outcome, CliError> {
    let dir = args.dir.clone().unwrap_or_else(|| PathBuf::from("."));
    if !dir.is_dir() {
        return Err(CliError::Refused(format!(
            "{}: not a folder (--dir names the project folder, where package.json and drizzle.config are)",
            dir.display()
        )));
    }
    let package_path = dir.join("package.json");
    let package_text = match std::fs::read_to_string(&package_path) {
        Ok(text) => Some(text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => {
            return Err(CliError::Refused(format!(
                "{}: cannot read it: {e}",
                package_path.display()
            )));
        }
    };
    let package_json = match &package_text {
        Some(text) => Some(
            serde_json::from_str::<serde_json::Value>(text.trim_start_matches('\u{feff}'))
                .map_err(|e| {
                    CliError::Refused(format!(
                        "{}: invalid JSON ({e}); fix it and run init again (nothing was written)",
                        package_path.display()
                    ))
                })?,
        ),
        None => None,
    };
    let detected = detect(global, &dir, package_json.as_ref())?;
    let mut warnings = detected.warnings.clone();

    let settings_path = match &global.config {
        Some(path) => path.clone(),
        None => dir.join("driftwatch.toml"),
    };
    let mut plan = vec![
        Planned {
            shown: match &global.config {
                Some(path) => path.display().to_string(),
                None => "driftwatch.toml".to_string(),
            },
            ..plan_file(
                settings_path.parent().unwrap_or(Path::new(".")),
                &settings_path
                    .file_name()
                    .map_or_else(|| "driftwatch.toml".into(), |n| n.to_string_lossy()),
                render_settings(&detected),
                args.force,
            )
        },
        plan_file(
            &dir,
            SCHEMA_WORKFLOW,
            render_schema_workflow(&detected),
            args.force,
        ),
        plan_file(
            &dir,
            NIGHTLY_WORKFLOW,
            render_nightly_workflow(&detected),
            args.force,
        ),
    ];
    match &package_text {
        None => warnings.push(format!(
            "no package.json in {}: add the script yourself: \"scripts\": {{ \"{SCRIPT_NAME}\": \"{SCRIPT_COMMAND}\" }}",
            dir.display()
        )),
        Some(text) => {
            let change = add_script(text, args.force).map_err(|e| {
                CliError::Refused(format!("{}: {e}", package_path.display()))
            })?;
            let (action, text, note) = match change {
                ScriptChange::Added(text) => (
                    Action::Overwrite,
                    Some(text),
                    format!("script {SCRIPT_NAME} added"),
                ),
                ScriptChange::Replaced { old, text } => (
                    Action::Overwrite,
                    Some(text),
                    format!("script {SCRIPT_NAME} replaced (was `{old}`)"),
                ),
                ScriptChange::Present => (
                    Action::Unchanged,
                    None,
                    format!("script {SCRIPT_NAME} already present"),
                ),
                ScriptChange::Differs(old) => (
                    Action::Kept,
                    None,
                    format!("script {SCRIPT_NAME} is `{old}`; --force replaces it with `{SCRIPT_COMMAND}`"),
                ),
            };
            plan.push(Planned {
                path: package_path.clone(),
                shown: "package.json".to_string(),
                text,
                action,
                note,
            });
        }
    }

    // Everything is decided; now write.
    for item in &plan {
        if let Some(text) = &item.text {
            if let Some(parent) = item.path.parent() {
                std::fs::create_dir_all(parent).map_err(|e| CliError::Output {
                    path: parent.to_path_buf(),
                    message: e.to_string(),
                })?;
            }
            std::fs::write(&item.path, text).map_err(|e| CliError::Output {
                path: item.path.clone(),
                message: e.to_string(),
            })?;
        }
    }
    print_summary(&dir, &detected, &plan, &warnings);
    Ok(Outcome { exit_code: 0 })
}

fn print_summary(dir: &Path, d: &Detected, plan: &[Planned], warnings: &[String]) {
    let mut out = String::new();
    let _ = writeln!(out, "driftwatch init in {}", dir.display());
    match &d.drizzle_config {
        Some(config) => {
            let _ = writeln!(
                out,
                "  found      {config}: schema {}, out {}, dbCredentials.url from {}",
                d.schema.join(", "),
                d.out,
                d.url_var
            );
        }
        None => {
            let _ = writeln!(out, "  found      no drizzle config (defaults used)");
        }
    }
    let environments: Vec<String> = d
        .environments
        .iter()
        .map(|e| format!("{} ({})", e.name, e.var))
        .collect();
    let _ = writeln!(
        out,
        "  found      environments: {}",
        environments.join(", ")
    );
    let _ = writeln!(
        out,
        "  found      package manager: {}{}",
        d.package_manager.name(),
        d.lock_file.map(|f| format!(" ({f})")).unwrap_or_default()
    );
    for item in plan {
        let (word, default_note) = match item.action {
            Action::Create => ("written", ""),
            Action::Overwrite => ("written", "overwritten (--force)"),
            Action::Unchanged => ("unchanged", "already as init writes it"),
            Action::Kept => ("kept", "exists and differs; --force overwrites it"),
        };
        let note = if item.note.is_empty() {
            default_note
        } else {
            item.note.as_str()
        };
        let note = if note.is_empty() {
            String::new()
        } else {
            format!(" ({note})")
        };
        let _ = writeln!(out, "  {word:<10} {}{note}", item.shown);
    }
    if plan.iter().all(|p| p.text.is_none()) {
        let _ = writeln!(out, "Nothing changed.");
    } else {
        let secrets: Vec<&str> = d
            .environments
            .iter()
            .filter(|e| d.environments.len() == 1 || e.name != BASE_ENVIRONMENT)
            .map(|e| e.var.as_str())
            .collect();
        let _ = writeln!(
            out,
            "Next: add the repository secret{} {} (Settings > Secrets and variables > Actions) for the nightly check, then commit the files.",
            if secrets.len() == 1 { "" } else { "s" },
            secrets.join(", ")
        );
    }
    print!("{out}");
    for warning in warnings {
        eprintln!("warning: {warning}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn detected(vars: &[&str]) -> Detected {
        let names: Vec<String> = vars.iter().map(|v| v.to_string()).collect();
        Detected {
            drizzle_config: Some("drizzle.config.ts".to_string()),
            drizzle_config_discoverable: true,
            schema: vec!["./src/db/schema/*.ts".to_string()],
            out: "./drizzle".to_string(),
            url_var: "DATABASE_URL".to_string(),
            environments: environments("DATABASE_URL", &names),
            package_manager: PackageManager::Pnpm,
            lock_file: Some("pnpm-lock.yaml"),
            package_manager_field: false,
            github_repo: Some("acme/shop".to_string()),
            warnings: Vec::new(),
        }
    }

    fn load(text: &str) -> crate::settings::Settings {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("driftwatch.toml");
        std::fs::write(&path, text).expect("write");
        match crate::settings::Settings::load(&path) {
            Ok(settings) => settings,
            Err(e) => panic!("{e}\n{text}"),
        }
    }

    #[test]
    fn written_settings_load_with_the_settings_loader() {
        let settings = load(&render_settings(&detected(&[
            "DATABASE_URL",
            "STAGING_DATABASE_URL",
            "PRODUCTION_DATABASE_URL",
        ])));
        let names: Vec<&String> = settings.environments.keys().collect();
        assert_eq!(names, ["development", "production", "staging"]);
        assert!(settings.environments["production"].production);
        assert_eq!(
            settings.environments["staging"].url.as_deref(),
            Some("${STAGING_DATABASE_URL}")
        );
        assert_eq!(settings.sla.high.as_deref(), Some("2h"));
        assert!(settings.notify.github.is_some());
    }

    #[test]
    fn settings_without_environments_or_repo_load_too() {
        let mut d = detected(&[]);
        d.github_repo = None;
        d.drizzle_config = None;
        let settings = load(&render_settings(&d));
        assert_eq!(settings.environments.len(), 1);
        assert!(settings.notify.github.is_none());
    }

    #[test]
    fn prefixed_database_urls_become_environments() {
        let names: Vec<String> = [
            "PROD_DATABASE_URL",
            "SHADOW_DATABASE_URL",
            "HOME",
            "QA_DATABASE_URL",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let envs = environments("DATABASE_URL", &names);
        let got: Vec<(&str, &str, bool)> = envs
            .iter()
            .map(|e| (e.name.as_str(), e.var.as_str(), e.production))
            .collect();
        assert_eq!(
            got,
            [
                ("development", "DATABASE_URL", false),
                ("prod", "PROD_DATABASE_URL", true),
                ("qa", "QA_DATABASE_URL", false)
            ]
        );
    }

    #[test]
    fn dotenv_names_never_include_values() {
        let names = dotenv_names("# c\nexport A_URL=mysql://u:secret@h/db\nB = 1\n=x\n1X=2\n");
        assert_eq!(names, ["A_URL", "B"]);
    }

    #[test]
    fn github_remotes_give_the_slug() {
        assert_eq!(
            github_slug("git@github.com:acme/shop.git").as_deref(),
            Some("acme/shop")
        );
        assert_eq!(
            github_slug("https://github.com/acme/shop").as_deref(),
            Some("acme/shop")
        );
        assert_eq!(github_slug("https://gitlab.com/acme/shop"), None);
    }

    #[test]
    fn schema_globs_become_path_filters() {
        assert_eq!(watch_pattern("./src/db/schema/*.ts"), "src/db/schema/**");
        assert_eq!(watch_pattern("./src/db/schema.ts"), "src/db/schema.ts");
        assert_eq!(watch_pattern("./src/db"), "src/db/**");
        let paths = trigger_paths(&detected(&[]));
        assert_eq!(
            paths,
            [
                "drizzle/**",
                "server/**",
                "src/db/schema/**",
                "drizzle.config.ts",
                "driftwatch.toml",
                SCHEMA_WORKFLOW
            ]
        );
    }

    fn added(text: &str) -> String {
        match add_script(text, false) {
            Ok(ScriptChange::Added(text)) => text,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn script_is_appended_to_scripts_with_the_files_indentation() {
        let text = "{\n    \"name\": \"x\",\n    \"scripts\": {\n        \"dev\": \"vite\"\n    },\n    \"private\": true\n}\n";
        assert_eq!(
            added(text),
            "{\n    \"name\": \"x\",\n    \"scripts\": {\n        \"dev\": \"vite\",\n        \"validate:schema\": \"driftwatch validate\"\n    },\n    \"private\": true\n}\n"
        );
    }

    #[test]
    fn scripts_is_added_at_the_end_with_tabs_and_crlf() {
        let text = "{\r\n\t\"name\": \"x\"\r\n}";
        assert_eq!(
            added(text),
            "{\r\n\t\"name\": \"x\",\r\n\t\"scripts\": {\r\n\t\t\"validate:schema\": \"driftwatch validate\"\r\n\t}\r\n}"
        );
    }

    #[test]
    fn empty_scripts_and_empty_documents_get_the_script() {
        assert_eq!(
            added("{\n  \"scripts\": {}\n}\n"),
            "{\n  \"scripts\": {\n    \"validate:schema\": \"driftwatch validate\"\n  }\n}\n"
        );
        assert_eq!(
            added("{}"),
            "{\n  \"scripts\": {\n    \"validate:schema\": \"driftwatch validate\"\n  }\n}"
        );
        assert_eq!(
            added("{\"name\":\"x\",\"scripts\":{\"a\":\"b\"}}"),
            "{\"name\":\"x\",\"scripts\":{\"a\":\"b\", \"validate:schema\":\"driftwatch validate\"}}"
        );
    }

    #[test]
    fn another_script_value_is_kept_unless_forced() {
        let text = "{\n  \"scripts\": {\n    \"validate:schema\": \"echo hi\",\n    \"x\": \"y\"\n  }\n}\n";
        assert_eq!(
            add_script(text, false),
            Ok(ScriptChange::Differs("echo hi".to_string()))
        );
        match add_script(text, true) {
            Ok(ScriptChange::Replaced { old, text }) => {
                assert_eq!(old, "echo hi");
                assert_eq!(
                    text,
                    "{\n  \"scripts\": {\n    \"validate:schema\": \"driftwatch validate\",\n    \"x\": \"y\"\n  }\n}\n"
                );
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn strings_with_braces_do_not_confuse_the_edit() {
        let text = "{\n  \"description\": \"a } { \\\" tricky\",\n  \"scripts\": {\n    \"a\": \"echo '{'\"\n  }\n}\n";
        let out = added(text);
        assert!(
            out.contains("\"a\": \"echo '{'\",\n    \"validate:schema\""),
            "{out}"
        );
    }
}
