//! drizzle.config read without Node: every file form, the environment, and
//! credentials that never leak.

use std::path::{Path, PathBuf};

use driftwatch_drizzle::{
    Casing, ConfigError, DbCredentials, DrizzleConfig, EnvVars, find_config, load_config,
    resolve_schema_files,
};

const SECRET: &str = "s3cr3t-pa55";

fn project(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
    for (name, content) in files {
        let path = dir.path().join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).unwrap_or_else(|e| panic!("{e}"));
        }
        std::fs::write(path, content).unwrap_or_else(|e| panic!("{e}"));
    }
    dir
}

fn env(pairs: &[(&str, &str)]) -> EnvVars {
    EnvVars::from_pairs(pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())))
}

fn load_with(name: &str, content: &str, env: &EnvVars) -> Result<DrizzleConfig, ConfigError> {
    let dir = project(&[(name, content)]);
    load_config(&dir.path().join(name), env)
}

fn load(name: &str, content: &str) -> DrizzleConfig {
    load_with(
        name,
        content,
        &env(&[("DATABASE_URL", "mysql://app:pw@db:3306/shop")]),
    )
    .unwrap_or_else(|e| panic!("{e}"))
}

fn url_of(config: &DrizzleConfig) -> String {
    match &config.db_credentials {
        Some(Ok(DbCredentials::Url(url))) => url.clone(),
        other => panic!("expected a url, got {other:?}"),
    }
}

const DEFINE_CONFIG: &str = "import { defineConfig } from 'drizzle-kit';\n\
export default defineConfig({\n  dialect: 'mysql',\n  schema: './src/db/schema.ts',\n  out: './migrations',\n  \
dbCredentials: { url: process.env.DATABASE_URL! },\n});\n";

#[test]
fn define_config_form_is_read() {
    let config = load("drizzle.config.ts", DEFINE_CONFIG);
    assert_eq!(config.dialect, "mysql");
    assert_eq!(config.schema, vec!["./src/db/schema.ts"]);
    assert_eq!(config.out, "./migrations");
    assert_eq!(url_of(&config), "mysql://app:pw@db:3306/shop");
}

#[test]
fn export_default_object_with_satisfies_is_read() {
    let config = load(
        "drizzle.config.ts",
        "import type { Config } from 'drizzle-kit';\nexport default { dialect: 'mysql', schema: 's.ts' } satisfies Config;",
    );
    assert_eq!(config.schema, vec!["s.ts"]);
}

#[test]
fn export_default_object_with_as_is_read() {
    let config = load(
        "drizzle.config.ts",
        "export default { dialect: 'mysql', schema: ['a.ts', 'b.ts'] } as Config;",
    );
    assert_eq!(config.schema, vec!["a.ts", "b.ts"]);
}

#[test]
fn typed_const_exported_by_name_is_read() {
    let config = load(
        "drizzle.config.ts",
        "import type { Config } from 'drizzle-kit';\nconst config: Config = { dialect: 'mysql', schema: 's.ts' };\nexport default config;",
    );
    assert_eq!(config.schema, vec!["s.ts"]);
}

#[test]
fn module_exports_in_commonjs_is_read() {
    let config = load(
        "drizzle.config.cjs",
        "const { defineConfig } = require('drizzle-kit');\nrequire('dotenv').config();\n\
         module.exports = defineConfig({ dialect: 'mysql', schema: './schema.js' });",
    );
    assert_eq!(config.schema, vec!["./schema.js"]);
}

#[test]
fn mjs_config_is_read() {
    let config = load(
        "drizzle.config.mjs",
        "export default { dialect: 'mysql', schema: 'x.mjs' };",
    );
    assert_eq!(config.schema, vec!["x.mjs"]);
}

#[test]
fn json_config_is_read() {
    let config = load(
        "drizzle.config.json",
        r#"{ "dialect": "mysql", "schema": "./schema.ts", "dbCredentials": { "host": "db", "port": 3307, "user": "u", "password": "p", "database": "app" } }"#,
    );
    assert_eq!(
        config.db_credentials,
        Some(Ok(DbCredentials::Fields {
            host: "db".into(),
            port: Some(3307),
            user: Some("u".into()),
            password: Some("p".into()),
            database: "app".into()
        }))
    );
}

#[test]
fn invalid_json_config_is_an_error() {
    let result = load_with("drizzle.config.json", "{ dialect: mysql }", &env(&[]));
    assert!(
        matches!(result, Err(ConfigError::Json { .. })),
        "{result:?}"
    );
}

#[test]
fn root_is_the_config_folder() {
    let dir = project(&[("app/drizzle.config.ts", DEFINE_CONFIG)]);
    let config = load_config(
        &dir.path().join("app/drizzle.config.ts"),
        &env(&[("DATABASE_URL", "x")]),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(config.root, dir.path().join("app"));
}

#[test]
fn defaults_apply_when_fields_are_absent() {
    let config = load("drizzle.config.ts", "export default { dialect: 'mysql' };");
    assert_eq!(config.out, "./drizzle");
    assert_eq!(config.migrations_table, "__drizzle_migrations");
    assert!(config.schema.is_empty() && config.tables_filter.is_empty());
    assert_eq!(config.casing, None);
    assert_eq!(config.db_credentials, None);
}

#[test]
fn migrations_casing_and_tables_filter_are_read() {
    let config = load(
        "drizzle.config.ts",
        "export default { dialect: 'mysql', casing: 'snake_case', tablesFilter: 'app_*',\n  \
         migrations: { table: 'my_migrations', schema: 'ignored', prefix: 'timestamp' } };",
    );
    assert_eq!(config.casing, Some(Casing::SnakeCase));
    assert_eq!(config.tables_filter, vec!["app_*"]);
    assert_eq!(config.migrations_table, "my_migrations");
    assert_eq!(config.migrations_prefix.as_deref(), Some("timestamp"));
    assert_eq!(config.migrations_schema.as_deref(), Some("ignored"));
}

#[test]
fn fields_the_reader_does_not_need_are_not_evaluated() {
    let config = load(
        "drizzle.config.ts",
        "import fs from 'node:fs';\nexport default defineConfig({ dialect: 'mysql', verbose: computeVerbosity(),\n  \
         dbCredentials: { url: 'mysql://h/db', ssl: { ca: fs.readFileSync('ca.pem') } } });\n\
         import { defineConfig } from 'drizzle-kit';",
    );
    assert_eq!(url_of(&config), "mysql://h/db");
}

#[test]
fn postgresql_dialect_is_refused() {
    let result = load_with(
        "drizzle.config.ts",
        "export default { dialect: 'postgresql' };",
        &env(&[]),
    );
    let error = result.err().unwrap_or_else(|| panic!("accepted"));
    assert!(
        error.to_string().contains("only supports `mysql`"),
        "{error}"
    );
}

#[test]
fn singlestore_dialect_is_refused_as_not_mysql() {
    let result = load_with(
        "drizzle.config.ts",
        "export default { dialect: 'singlestore' };",
        &env(&[]),
    );
    let error = result.err().unwrap_or_else(|| panic!("accepted"));
    assert!(
        error
            .to_string()
            .contains("`singlestore` is a separate dialect, not mysql"),
        "{error}"
    );
}

#[test]
fn missing_dialect_is_an_error() {
    let result = load_with(
        "drizzle.config.ts",
        "export default { schema: 's.ts' };",
        &env(&[]),
    );
    assert!(
        matches!(result, Err(ConfigError::MissingDialect { .. })),
        "{result:?}"
    );
}

#[test]
fn file_without_a_config_object_is_an_error() {
    let result = load_with("drizzle.config.ts", "const x = 1;", &env(&[]));
    assert!(
        matches!(result, Err(ConfigError::NoConfig { .. })),
        "{result:?}"
    );
}

#[test]
fn syntax_error_in_config_has_a_location() {
    let result = load_with(
        "drizzle.config.ts",
        "export default {\n  dialect: 'mysql',,\n};",
        &env(&[]),
    );
    let Err(ConfigError::Syntax { line, .. }) = result else {
        panic!("{result:?}")
    };
    assert_eq!(line, 2);
}

#[test]
fn unevaluable_value_is_an_error_with_line_and_column() {
    let result = load_with(
        "drizzle.config.ts",
        "export default {\n  dialect: 'mysql',\n  schema: getSchemas(),\n};",
        &env(&[]),
    );
    let Err(ConfigError::Unevaluable { line, column, .. }) = result else {
        panic!("{result:?}")
    };
    assert_eq!((line, column), (3, 11));
}

#[test]
fn env_bracket_access_non_null_and_as_string_are_read() {
    let config = load_with(
        "drizzle.config.ts",
        "export default { dialect: 'mysql', dbCredentials: { url: (process.env['DB_URL']! as string) } };",
        &env(&[("DB_URL", "mysql://h/x")]),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(url_of(&config), "mysql://h/x");
}

#[test]
fn env_nullish_fallback_is_used_when_unset() {
    let config = load_with(
        "drizzle.config.ts",
        "export default { dialect: 'mysql', dbCredentials: { url: process.env.DB_URL ?? 'mysql://localhost/dev' } };",
        &env(&[]),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(url_of(&config), "mysql://localhost/dev");
}

#[test]
fn env_or_fallback_is_used_when_empty() {
    let config = load_with(
        "drizzle.config.ts",
        "export default { dialect: 'mysql', out: process.env.OUT || './drizzle-out' };",
        &env(&[("OUT", "")]),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(config.out, "./drizzle-out");
}

#[test]
fn template_literal_with_env_parts_and_constants() {
    let config = load_with(
        "drizzle.config.ts",
        "const DB = 'shop';\nexport default { dialect: 'mysql', dbCredentials: {\n  \
         url: `mysql://${process.env.DB_USER}:${process.env.DB_PASSWORD}@${process.env.DB_HOST}:3306/${DB}` } };",
        &env(&[("DB_USER", "app"), ("DB_PASSWORD", SECRET), ("DB_HOST", "db")]),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        url_of(&config),
        format!("mysql://app:{SECRET}@db:3306/shop")
    );
}

#[test]
fn credential_fields_with_number_of_env_port() {
    let config = load_with(
        "drizzle.config.ts",
        "export default { dialect: 'mysql', dbCredentials: { host: process.env.DB_HOST!, port: Number(process.env.DB_PORT),\n  \
         user: 'root', password: process.env.DB_PASSWORD, database: 'app' } };",
        &env(&[("DB_HOST", "db"), ("DB_PORT", "3307"), ("DB_PASSWORD", SECRET)]),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let Some(Ok(DbCredentials::Fields {
        host,
        port,
        password,
        ..
    })) = &config.db_credentials
    else {
        panic!("{:?}", config.db_credentials)
    };
    assert_eq!(
        (host.as_str(), *port, password.as_deref()),
        ("db", Some(3307), Some(SECRET))
    );
}

#[test]
fn parse_int_port_is_read() {
    let config = load_with(
        "drizzle.config.ts",
        "export default { dialect: 'mysql', dbCredentials: { host: 'h', port: parseInt(process.env.P ?? '3306', 10), database: 'd' } };",
        &env(&[]),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert!(matches!(
        config.db_credentials,
        Some(Ok(DbCredentials::Fields {
            port: Some(3306),
            ..
        }))
    ));
}

#[test]
fn missing_env_var_in_credentials_is_recorded_not_fatal() {
    let config =
        load_with("drizzle.config.ts", DEFINE_CONFIG, &env(&[])).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(config.db_credentials, Some(Err("DATABASE_URL".to_string())));
    assert_eq!(config.schema, vec!["./src/db/schema.ts"]);
}

#[test]
fn missing_env_var_in_a_needed_field_names_variable_file_and_line() {
    let result = load_with(
        "drizzle.config.ts",
        "export default {\n  dialect: 'mysql',\n  schema: process.env.SCHEMA_PATH!,\n};",
        &env(&[]),
    );
    let Err(error @ ConfigError::MissingEnv { .. }) = result else {
        panic!("{result:?}")
    };
    let text = error.to_string();
    assert!(
        text.contains("SCHEMA_PATH") && text.contains("drizzle.config.ts:3"),
        "{text}"
    );
}

#[test]
fn env_vars_read_dotenv_and_the_process_environment_wins() {
    let Ok(path_value) = std::env::var("PATH") else {
        return;
    };
    let dir = project(&[(
        ".env",
        "PATH=from-dotenv\nDRIFTWATCH_ONLY_IN_DOTENV=from-dotenv\n",
    )]);
    let vars = EnvVars::load(dir.path());
    assert_eq!(vars.get("PATH"), Some(path_value.as_str()));
    assert_eq!(vars.get("DRIFTWATCH_ONLY_IN_DOTENV"), Some("from-dotenv"));
}

#[test]
fn dotenv_value_reaches_the_config() {
    let dir = project(&[
        (
            ".env",
            "DRIFTWATCH_TEST_URL_FROM_DOTENV=mysql://dotenv/db\n",
        ),
        (
            "drizzle.config.ts",
            "export default { dialect: 'mysql', dbCredentials: { url: process.env.DRIFTWATCH_TEST_URL_FROM_DOTENV! } };",
        ),
    ]);
    let vars = EnvVars::load(dir.path());
    let config =
        load_config(&dir.path().join("drizzle.config.ts"), &vars).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(url_of(&config), "mysql://dotenv/db");
}

#[test]
fn malformed_dotenv_is_skipped_without_quoting_it() {
    let dir = project(&[(".env", &format!("GOOD=1\nthis is not {SECRET} valid\n"))]);
    let vars = EnvVars::load(dir.path());
    let problem = vars
        .dotenv_problem()
        .unwrap_or_else(|| panic!("not reported"));
    assert!(!problem.contains(SECRET), "{problem}");
}

#[test]
fn find_config_prefers_ts_then_mts_then_js_then_json() {
    let dir = project(&[
        ("drizzle.config.json", "{}"),
        ("drizzle.config.js", ""),
        ("drizzle.config.mts", ""),
    ]);
    assert_eq!(
        find_config(dir.path()),
        Some(dir.path().join("drizzle.config.mts"))
    );
    std::fs::write(dir.path().join("drizzle.config.ts"), "").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        find_config(dir.path()),
        Some(dir.path().join("drizzle.config.ts"))
    );
}

#[test]
fn find_config_finds_nothing_in_an_empty_folder() {
    let dir = project(&[]);
    assert_eq!(find_config(dir.path()), None);
}

// -- secrets ----------------------------------------------------------------

#[test]
fn url_credentials_debug_and_display_hide_the_password() {
    let credentials = DbCredentials::Url(format!("mysql://app:{SECRET}@db:3306/shop"));
    for text in [
        format!("{credentials:?}"),
        credentials.to_string(),
        credentials.redacted(),
    ] {
        assert!(!text.contains(SECRET), "{text}");
        assert!(text.contains("app:***@db:3306/shop"), "{text}");
    }
}

#[test]
fn field_credentials_debug_and_display_hide_the_password() {
    let credentials = DbCredentials::Fields {
        host: "db".into(),
        port: Some(3306),
        user: Some("app".into()),
        password: Some(SECRET.into()),
        database: "shop".into(),
    };
    for text in [format!("{credentials:?}"), credentials.to_string()] {
        assert!(!text.contains(SECRET), "{text}");
    }
}

#[test]
fn config_debug_hides_the_password() {
    let config = load_with(
        "drizzle.config.ts",
        &format!("export default {{ dialect: 'mysql', dbCredentials: {{ url: 'mysql://u:{SECRET}@h/d' }} }};"),
        &env(&[]),
    )
    .unwrap_or_else(|e| panic!("{e}"));
    assert!(!format!("{config:?}").contains(SECRET));
}

#[test]
fn url_password_in_query_string_is_hidden() {
    let credentials = DbCredentials::Url(format!("mysql://db/shop?user=a&password={SECRET}"));
    assert!(!credentials.to_string().contains(SECRET));
}

#[test]
fn env_vars_debug_hides_values() {
    assert!(!format!("{:?}", env(&[("DB_PASSWORD", SECRET)])).contains(SECRET));
}

#[test]
fn config_errors_never_contain_the_password() {
    let vars = env(&[("DB_PASSWORD", SECRET)]);
    let sources = [
        "export default { dialect: 'mysql', dbCredentials: { host: 'h', port: process.env.DB_PASSWORD, password: process.env.DB_PASSWORD, database: 'd' } };",
        "export default { dialect: process.env.DB_PASSWORD === 'x' ? 'mysql' : 'mysql', schema: 1 + {}, dbCredentials: { password: process.env.DB_PASSWORD } };",
        "export default { dialect: 'mysql', dbCredentials: { password: process.env.DB_PASSWORD, host: 'h' } };",
        "export default { dialect: 'mysql', casing: process.env.DB_PASSWORD };",
        "export default { dialect: 'mysql', dbCredentials: { url: process.env.DB_PASSWORD.normalize('NFC') } };",
    ];
    for source in sources {
        let error = load_with("drizzle.config.ts", source, &vars)
            .err()
            .unwrap_or_else(|| panic!("accepted: {source}"));
        let text = format!("{error} {error:?}");
        assert!(!text.contains(SECRET), "{text}");
    }
}

// -- schema globs -------------------------------------------------------------

fn names(root: &Path, files: &[PathBuf]) -> Vec<String> {
    files
        .iter()
        .map(|f| {
            f.strip_prefix(root)
                .unwrap_or(f)
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect()
}

#[test]
fn schema_glob_matches_files_sorted() {
    let dir = project(&[
        ("schema/b.ts", ""),
        ("schema/a.ts", ""),
        ("schema/notes.md", ""),
    ]);
    let files = resolve_schema_files(dir.path(), &["./schema/*.ts".to_string()])
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        names(dir.path(), &files),
        vec!["schema/a.ts", "schema/b.ts"]
    );
}

#[test]
fn schema_directory_contributes_its_direct_schema_files() {
    let dir = project(&[
        ("db/a.ts", ""),
        ("db/b.mjs", ""),
        ("db/types.d.ts", ""),
        ("db/readme.md", ""),
        ("db/sub/c.ts", ""),
    ]);
    let files =
        resolve_schema_files(dir.path(), &["./db".to_string()]).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(names(dir.path(), &files), vec!["db/a.ts", "db/b.mjs"]);
}

#[test]
fn schema_array_is_deduplicated() {
    let dir = project(&[("a.ts", ""), ("b.ts", "")]);
    let files = resolve_schema_files(dir.path(), &["./a.ts".to_string(), "*.ts".to_string()])
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(names(dir.path(), &files), vec!["a.ts", "b.ts"]);
}

#[test]
fn schema_recursive_glob_and_braces() {
    let dir = project(&[
        ("src/x/schema.ts", ""),
        ("src/y/z/schema.ts", ""),
        ("src/tables.js", ""),
    ]);
    let files = resolve_schema_files(dir.path(), &["src/**/schema.{ts,js}".to_string()])
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(
        names(dir.path(), &files),
        vec!["src/x/schema.ts", "src/y/z/schema.ts"]
    );
}

#[test]
fn schema_pattern_matching_nothing_is_an_error_naming_it() {
    let dir = project(&[("a.ts", "")]);
    let error = resolve_schema_files(dir.path(), &["./nope/*.ts".to_string()])
        .err()
        .unwrap_or_else(|| panic!("ok"));
    assert!(error.to_string().contains("./nope/*.ts"), "{error}");
}
