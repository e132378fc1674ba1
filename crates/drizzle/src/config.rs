//! `drizzle.config.{ts,mts,js,mjs,cjs,json}`, read without running Node.
//!
//! The config object is found statically (`defineConfig({...})`,
//! `export default {...} satisfies Config`, `const config: Config = {...};
//! export default config`, `module.exports = {...}`), and each field is
//! evaluated on its own with the same evaluator as schema files, plus
//! `process.env` (the process environment and the project's `.env`).
//!
//! Nothing here ever formats a credential: [`DbCredentials`] redacts the
//! password in `Debug`/`Display`, and [`ConfigError`] messages name fields
//! and variables, never their values.

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

use oxc_allocator::Allocator;
use oxc_ast::ast::{Expression, ObjectExpression, ObjectPropertyKind};
use oxc_span::{GetSpan, Span};
use serde::Serialize;

use crate::casing::{to_camel_case, to_snake_case};
use crate::diagnostics::{self, Diagnostic};
use crate::eval::{Cx, EvalError, Evaluator, ExportNode, ModuleId, Object, Value};

/// Config file names, in the order they are looked for.
pub const CONFIG_FILE_NAMES: [&str; 6] = [
    "drizzle.config.ts",
    "drizzle.config.mts",
    "drizzle.config.js",
    "drizzle.config.mjs",
    "drizzle.config.cjs",
    "drizzle.config.json",
];

/// `casing` of drizzle.config: how columns named after their key are named.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Casing {
    #[serde(rename = "snake_case")]
    SnakeCase,
    #[serde(rename = "camelCase")]
    CamelCase,
}

impl Casing {
    pub fn parse(text: &str) -> Option<Casing> {
        match text {
            "snake_case" => Some(Casing::SnakeCase),
            "camelCase" => Some(Casing::CamelCase),
            _ => None,
        }
    }

    /// drizzle-orm's `toSnakeCase` / `toCamelCase`.
    pub fn convert(self, key: &str) -> String {
        match self {
            Casing::SnakeCase => to_snake_case(key),
            Casing::CamelCase => to_camel_case(key),
        }
    }
}

// ---------------------------------------------------------------------------
// Environment
// ---------------------------------------------------------------------------

/// The environment a config is evaluated in: the process environment plus
/// the project's `.env` (the process wins, as with `dotenv`). Never mutates
/// the process environment. `Debug` shows only the number of variables.
#[derive(Clone, Default)]
pub struct EnvVars {
    vars: HashMap<String, String>,
    /// Why `.env` could not be read, if it could not (never its content).
    dotenv_problem: Option<String>,
}

impl fmt::Debug for EnvVars {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "EnvVars({} variables)", self.vars.len())
    }
}

impl EnvVars {
    /// The process environment (variables that are not UTF-8 are skipped).
    pub fn from_process() -> EnvVars {
        EnvVars {
            vars: std::env::vars_os()
                .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)))
                .collect(),
            dotenv_problem: None,
        }
    }

    /// The process environment plus `<root>/.env` when it exists. A `.env`
    /// that cannot be parsed is skipped and remembered
    /// ([`EnvVars::dotenv_problem`]); errors about unset variables mention it.
    pub fn load(root: &Path) -> EnvVars {
        let path = root.join(".env");
        let process = EnvVars::from_process();
        match process.clone().with_dotenv(&path) {
            Ok(env) => env,
            Err(error) => {
                tracing::warn!("{error}");
                EnvVars {
                    dotenv_problem: Some(error.to_string()),
                    ..process
                }
            }
        }
    }

    /// Why the `.env` file was skipped, if it was.
    pub fn dotenv_problem(&self) -> Option<&str> {
        self.dotenv_problem.as_deref()
    }

    pub fn from_pairs<K: Into<String>, V: Into<String>>(
        pairs: impl IntoIterator<Item = (K, V)>,
    ) -> EnvVars {
        EnvVars {
            vars: pairs
                .into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
            dotenv_problem: None,
        }
    }

    /// Adds the variables of a `.env` file that are not already set. A
    /// missing file is not an error.
    pub fn with_dotenv(mut self, path: &Path) -> Result<EnvVars, ConfigError> {
        if !path.is_file() {
            return Ok(self);
        }
        let iter = dotenvy::from_path_iter(path).map_err(|e| ConfigError::DotEnv {
            path: path.display().to_string(),
            detail: dotenv_error_kind(&e),
        })?;
        for item in iter {
            let (key, value) = item.map_err(|e| ConfigError::DotEnv {
                path: path.display().to_string(),
                detail: dotenv_error_kind(&e),
            })?;
            self.vars.entry(key).or_insert(value);
        }
        Ok(self)
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.vars.get(name).map(String::as_str)
    }

    pub fn len(&self) -> usize {
        self.vars.len()
    }

    pub fn is_empty(&self) -> bool {
        self.vars.is_empty()
    }
}

/// dotenvy's errors quote the offending line, which may hold a secret.
fn dotenv_error_kind(error: &dotenvy::Error) -> String {
    match error {
        dotenvy::Error::LineParse(_, index) => format!(": malformed line (at character {index})"),
        dotenvy::Error::Io(e) => format!(": {}", e.kind()),
        dotenvy::Error::EnvVar(_) => ": invalid variable".to_string(),
        _ => String::new(),
    }
}

// ---------------------------------------------------------------------------
// Config
// ---------------------------------------------------------------------------

/// `dbCredentials`. `Debug` and `Display` never show the password.
#[derive(Clone, PartialEq, Eq)]
pub enum DbCredentials {
    Url(String),
    Fields {
        host: String,
        port: Option<u16>,
        user: Option<String>,
        password: Option<String>,
        database: String,
    },
}

impl DbCredentials {
    /// A form safe to print: the URL with its password replaced by `***`.
    pub fn redacted(&self) -> String {
        match self {
            DbCredentials::Url(url) => redact_url(url),
            DbCredentials::Fields {
                host,
                port,
                user,
                password,
                database,
            } => {
                let user = user.as_deref().unwrap_or("");
                let password = if password.is_some() { ":***" } else { "" };
                let at = if user.is_empty() && password.is_empty() {
                    ""
                } else {
                    "@"
                };
                let port = port.map(|p| format!(":{p}")).unwrap_or_default();
                format!("mysql://{user}{password}{at}{host}{port}/{database}")
            }
        }
    }
}

impl fmt::Debug for DbCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DbCredentials::Url(url) => f.debug_tuple("Url").field(&redact_url(url)).finish(),
            DbCredentials::Fields {
                host,
                port,
                user,
                password,
                database,
            } => f
                .debug_struct("Fields")
                .field("host", host)
                .field("port", port)
                .field("user", user)
                .field("password", &password.as_ref().map(|_| "***"))
                .field("database", database)
                .finish(),
        }
    }
}

impl fmt::Display for DbCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.redacted())
    }
}

/// `scheme://user:secret@host/db` → `scheme://user:***@host/db`. Text that
/// is not a URL is hidden entirely; a query string naming a password too.
pub fn redact_url(url: &str) -> String {
    let Some(scheme_end) = url.find("://") else {
        return "***".to_string();
    };
    let (head, rest) = url.split_at(scheme_end + 3);
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let (authority, tail) = rest.split_at(authority_end);
    let authority = match authority.rfind('@') {
        Some(at) => {
            let (userinfo, host) = authority.split_at(at);
            match userinfo.find(':') {
                Some(colon) => format!("{}:***{host}", &userinfo[..colon]),
                None => authority.to_string(),
            }
        }
        None => authority.to_string(),
    };
    let tail = match tail.find('?') {
        Some(q) if tail[q..].to_ascii_lowercase().contains("pass") => format!("{}?***", &tail[..q]),
        _ => tail.to_string(),
    };
    format!("{head}{authority}{tail}")
}

#[derive(Debug, Clone)]
pub struct DrizzleConfig {
    /// The config file.
    pub path: PathBuf,
    /// Its folder: schema globs, `out` and `.env` are relative to it.
    pub root: PathBuf,
    /// Always `mysql`.
    pub dialect: String,
    /// Globs as written (relative to `root`).
    pub schema: Vec<String>,
    /// Default `./drizzle`.
    pub out: String,
    /// `Err(variable)` when a referenced environment variable is unset; the
    /// credentials are only needed to connect, so that is not an error yet.
    pub db_credentials: Option<Result<DbCredentials, String>>,
    pub tables_filter: Vec<String>,
    pub casing: Option<Casing>,
    /// `migrations.table`, default `__drizzle_migrations`.
    pub migrations_table: String,
    /// `migrations.prefix` (`index`, `timestamp`, `supabase`, `unix`, `none`).
    pub migrations_prefix: Option<String>,
    /// `migrations.schema`: drizzle-orm's MySQL migrator ignores it (the table
    /// lives in the connection's database); kept so that tools can say so.
    pub migrations_schema: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read {path}: {reason}")]
    Io { path: String, reason: String },
    #[error("{file}:{line}:{column}: syntax error in the drizzle config: {message}")]
    Syntax {
        file: String,
        line: u32,
        column: u32,
        message: String,
    },
    #[error("{file}:{line}:{column}: {message}")]
    Unevaluable {
        file: String,
        line: u32,
        column: u32,
        message: String,
    },
    #[error(
        "{file}: no config object found; expected `export default defineConfig({{ ... }})`, \
         `export default {{ ... }}` or `module.exports = {{ ... }}`"
    )]
    NoConfig { file: String },
    #[error("{file}: `dialect` is missing; driftwatch needs `dialect: 'mysql'`")]
    MissingDialect { file: String },
    #[error("{file}: dialect `{dialect}` is not supported: driftwatch only supports `mysql`{note}")]
    Dialect {
        file: String,
        dialect: String,
        note: String,
    },
    #[error("{file}: `{field}` {problem}")]
    InvalidField {
        file: String,
        field: String,
        problem: String,
    },
    #[error("{file}:{line}: environment variable `{var}` is not set (needed for `{field}`){note}")]
    MissingEnv {
        var: String,
        file: String,
        line: u32,
        field: String,
        /// Why `.env` was skipped, when it was.
        note: String,
    },
    #[error("{file}: invalid JSON: {message}")]
    Json { file: String, message: String },
    #[error("{path}: cannot parse the .env file{detail}")]
    DotEnv { path: String, detail: String },
}

/// The first `drizzle.config.*` in `dir` (see [`CONFIG_FILE_NAMES`]).
pub fn find_config(dir: &Path) -> Option<PathBuf> {
    CONFIG_FILE_NAMES
        .iter()
        .map(|name| dir.join(name))
        .find(|p| p.is_file())
}

/// Reads a drizzle config file (see the module docs).
pub fn load_config(path: &Path, env: &EnvVars) -> Result<DrizzleConfig, ConfigError> {
    let _span = tracing::debug_span!("config", path = %path.display()).entered();
    let root = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let file = path.display().to_string();
    let alloc = Allocator::default();
    let mut ev = Evaluator::new(&alloc, root.clone());
    ev.env = Some(env.clone());
    // The config reader walks the default export's AST itself.
    ev.keep_asts = true;
    let is_json = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    let top = if is_json {
        let text = std::fs::read_to_string(path).map_err(|e| ConfigError::Io {
            path: file.clone(),
            reason: e.to_string(),
        })?;
        let json: serde_json::Value =
            serde_json::from_str(&text).map_err(|e| ConfigError::Json {
                file: file.clone(),
                message: format!(
                    "line {} column {}: {:?}",
                    e.line(),
                    e.column(),
                    e.classify()
                ),
            })?;
        Node::Value(json_to_value(json))
    } else {
        let module = ev.load(path).map_err(|reason| ConfigError::Io {
            path: file.clone(),
            reason,
        })?;
        if let Some(d) = ev.diagnostics.iter().find(|d| d.is_error()) {
            return Err(ConfigError::Syntax {
                file: file.clone(),
                line: d.line,
                column: d.column,
                message: d.message.trim_start_matches("syntax error: ").to_string(),
            });
        }
        match ev.default_export(module) {
            Some(ExportNode::Expr(expr)) => Node::Expr(module, expr),
            Some(ExportNode::Binding(name)) => match ev.binding_init(module, name) {
                Some(init) => Node::Expr(module, init),
                None => {
                    let value = ev
                        .binding_value(module, name, Span::new(0, 0))
                        .map_err(|e| unevaluable(&file, &e))?;
                    Node::Value(value)
                }
            },
            None => return Err(ConfigError::NoConfig { file }),
        }
    };
    let mut reader = Reader { ev: &mut ev, file };
    reader.read(top, path, root)
}

/// Where a field's value comes from: an expression not evaluated yet, or a
/// value (JSON configs, spreads).
enum Node<'a> {
    Expr(ModuleId, &'a Expression<'a>),
    Value(Value<'a>),
}

enum ObjectNode<'a> {
    Literal(ModuleId, &'a ObjectExpression<'a>),
    Value(Object<'a>),
}

/// A field read as text: the value, or the unset variable it needs.
enum Text {
    Value(String),
    MissingEnv { var: String, line: u32 },
}

struct Reader<'e, 'a> {
    ev: &'e mut Evaluator<'a>,
    file: String,
}

fn unevaluable(file: &str, error: &EvalError) -> ConfigError {
    let d: &Diagnostic = &error.diagnostic;
    ConfigError::Unevaluable {
        file: file.to_string(),
        line: d.line,
        column: d.column,
        message: d.message.clone(),
    }
}

impl<'a> Reader<'_, 'a> {
    fn read(
        &mut self,
        top: Node<'a>,
        path: &Path,
        root: PathBuf,
    ) -> Result<DrizzleConfig, ConfigError> {
        let Some(config) = self.object(top, "the config")? else {
            return Err(ConfigError::NoConfig {
                file: self.file.clone(),
            });
        };
        let dialect = match self.text(&config, "dialect", "dialect")? {
            None => {
                return Err(ConfigError::MissingDialect {
                    file: self.file.clone(),
                });
            }
            Some(text) => self.required(text, "dialect")?,
        };
        if dialect != "mysql" {
            let note = match dialect.as_str() {
                "singlestore" => "; `singlestore` is a separate dialect, not mysql",
                "postgresql" | "sqlite" | "turso" | "gel" => {
                    "; this project's schema is not a MySQL schema"
                }
                _ => "",
            };
            return Err(ConfigError::Dialect {
                file: self.file.clone(),
                dialect,
                note: note.to_string(),
            });
        }
        let schema = self.list(&config, "schema")?;
        let out = match self.text(&config, "out", "out")? {
            Some(text) => self.required(text, "out")?,
            None => "./drizzle".to_string(),
        };
        let tables_filter = self.list(&config, "tablesFilter")?;
        let casing =
            match self.text(&config, "casing", "casing")? {
                None => None,
                Some(text) => {
                    let text = self.required(text, "casing")?;
                    Some(Casing::parse(&text).ok_or_else(|| {
                        self.invalid("casing", "must be 'snake_case' or 'camelCase'")
                    })?)
                }
            };
        let mut migrations_table = "__drizzle_migrations".to_string();
        let mut migrations_prefix = None;
        let mut migrations_schema = None;
        if let Some(node) = self.field(&config, "migrations")?
            && let Some(migrations) = self.object(node, "migrations")?
        {
            if let Some(text) = self.text(&migrations, "table", "migrations.table")? {
                migrations_table = self.required(text, "migrations.table")?;
            }
            if let Some(text) = self.text(&migrations, "prefix", "migrations.prefix")? {
                migrations_prefix = Some(self.required(text, "migrations.prefix")?);
            }
            if let Some(text) = self.text(&migrations, "schema", "migrations.schema")? {
                migrations_schema = Some(self.required(text, "migrations.schema")?);
            }
        }
        let db_credentials = match self.field(&config, "dbCredentials")? {
            None => None,
            Some(node) => match self.object(node, "dbCredentials")? {
                None => None,
                Some(credentials) => Some(self.credentials(&credentials)?),
            },
        };
        Ok(DrizzleConfig {
            path: path.to_path_buf(),
            root,
            dialect,
            schema,
            out,
            db_credentials,
            tables_filter,
            casing,
            migrations_table,
            migrations_prefix,
            migrations_schema,
        })
    }

    fn credentials(
        &mut self,
        object: &ObjectNode<'a>,
    ) -> Result<Result<DbCredentials, String>, ConfigError> {
        if let Some(url) = self.text(object, "url", "dbCredentials.url")? {
            return Ok(match url {
                Text::Value(url) => Ok(DbCredentials::Url(url)),
                Text::MissingEnv { var, .. } => Err(var),
            });
        }
        let host = self.text(object, "host", "dbCredentials.host")?;
        let port = self.port(object)?;
        let user = self.text(object, "user", "dbCredentials.user")?;
        let password = self.text(object, "password", "dbCredentials.password")?;
        let database = self.text(object, "database", "dbCredentials.database")?;
        let mut missing: Option<String> = None;
        let host = take_text(host, &mut missing);
        let port = match port {
            Some(Ok(port)) => Some(port),
            Some(Err(var)) => {
                missing.get_or_insert(var);
                None
            }
            None => None,
        };
        let user = take_text(user, &mut missing);
        let password = take_text(password, &mut missing);
        let database = take_text(database, &mut missing);
        if let Some(var) = missing {
            return Ok(Err(var));
        }
        let host = host.ok_or_else(|| {
            self.invalid("dbCredentials", "needs `url`, or `host` and `database`")
        })?;
        let database = database
            .ok_or_else(|| self.invalid("dbCredentials.database", "is required with `host`"))?;
        Ok(Ok(DbCredentials::Fields {
            host,
            port,
            user,
            password,
            database,
        }))
    }

    /// `port`: a number or numeric string; `Err(var)` when it needs an unset variable.
    fn port(
        &mut self,
        object: &ObjectNode<'a>,
    ) -> Result<Option<Result<u16, String>>, ConfigError> {
        let Some(node) = self.field(object, "port")? else {
            return Ok(None);
        };
        let value = self.value(node)?;
        let number = match &value {
            Value::Undefined => return Ok(None),
            Value::EnvMissing { var, .. } => return Ok(Some(Err(var.clone()))),
            Value::Number(n) => *n,
            Value::String(s) => crate::eval::js::string_to_number(s),
            _ => f64::NAN,
        };
        if number.fract() != 0.0 || !(0.0..=65535.0).contains(&number) {
            return Err(self.invalid("dbCredentials.port", "must be a port number (0-65535)"));
        }
        Ok(Some(Ok(number as u16)))
    }

    fn invalid(&self, field: &str, problem: &str) -> ConfigError {
        ConfigError::InvalidField {
            file: self.file.clone(),
            field: field.to_string(),
            problem: problem.to_string(),
        }
    }

    fn required(&self, text: Text, field: &str) -> Result<String, ConfigError> {
        match text {
            Text::Value(value) => Ok(value),
            Text::MissingEnv { var, line } => Err(ConfigError::MissingEnv {
                var,
                file: self.file.clone(),
                line,
                field: field.to_string(),
                note: match self.ev.env.as_ref().and_then(EnvVars::dotenv_problem) {
                    Some(problem) => format!("; note: {problem}"),
                    None => String::new(),
                },
            }),
        }
    }

    fn value(&mut self, node: Node<'a>) -> Result<Value<'a>, ConfigError> {
        match node {
            Node::Value(value) => Ok(value),
            Node::Expr(module, expr) => self
                .ev
                .eval(&Cx::module(module), expr)
                .map_err(|e| unevaluable(&self.file, &e)),
        }
    }

    /// A string field (numbers are accepted and printed as JS does).
    fn text(
        &mut self,
        object: &ObjectNode<'a>,
        key: &str,
        field: &str,
    ) -> Result<Option<Text>, ConfigError> {
        let Some(node) = self.field(object, key)? else {
            return Ok(None);
        };
        let value = self.value(node)?;
        self.to_text(value, field)
    }

    fn to_text(&self, value: Value<'a>, field: &str) -> Result<Option<Text>, ConfigError> {
        match value {
            Value::Undefined => Ok(None),
            Value::String(s) => Ok(Some(Text::Value(s))),
            Value::Number(n) => Ok(Some(Text::Value(crate::eval::js::number_to_string(n)))),
            Value::EnvMissing { var, module, span } => {
                let (line, _) =
                    diagnostics::line_column(self.ev.modules[module].source, span.start as usize);
                Ok(Some(Text::MissingEnv { var, line }))
            }
            other => Err(self.invalid(field, &format!("must be a string, not {}", other.kind()))),
        }
    }

    /// A string or an array of strings.
    fn list(&mut self, object: &ObjectNode<'a>, key: &str) -> Result<Vec<String>, ConfigError> {
        let Some(node) = self.field(object, key)? else {
            return Ok(Vec::new());
        };
        let items = match self.value(node)? {
            Value::Array(items) => items,
            Value::Undefined => return Ok(Vec::new()),
            other => vec![other],
        };
        let mut out = Vec::with_capacity(items.len());
        for item in items {
            match self.to_text(item, key)? {
                Some(text) => out.push(self.required(text, key)?),
                None => return Err(self.invalid(key, "must be a string or an array of strings")),
            }
        }
        Ok(out)
    }

    /// Finds the object a node stands for, looking through `defineConfig(...)`,
    /// `satisfies`/`as`, parentheses and `const` bindings, so that fields are
    /// evaluated one at a time. `None` for `undefined`.
    fn object(
        &mut self,
        node: Node<'a>,
        what: &str,
    ) -> Result<Option<ObjectNode<'a>>, ConfigError> {
        let mut node = node;
        for _ in 0..32 {
            match node {
                Node::Value(Value::Object(object)) => return Ok(Some(ObjectNode::Value(object))),
                Node::Value(Value::Undefined) => return Ok(None),
                Node::Value(other) => {
                    return Err(
                        self.invalid(what, &format!("must be an object, not {}", other.kind()))
                    );
                }
                Node::Expr(module, expr) => {
                    let inner = expr.get_inner_expression();
                    node = match inner {
                        Expression::ObjectExpression(object) => {
                            return Ok(Some(ObjectNode::Literal(module, object)));
                        }
                        Expression::Identifier(id)
                            if self.ev.binding_init(module, id.name.as_str()).is_some() =>
                        {
                            match self.ev.binding_init(module, id.name.as_str()) {
                                Some(init) => Node::Expr(module, init),
                                None => return Ok(None),
                            }
                        }
                        Expression::CallExpression(call) if call.arguments.len() == 1 => {
                            let callee = self
                                .ev
                                .eval(&Cx::module(module), &call.callee)
                                .map_err(|e| unevaluable(&self.file, &e))?;
                            match (
                                callee,
                                call.arguments.first().and_then(|a| a.as_expression()),
                            ) {
                                (Value::Builtin(crate::eval::Builtin::DefineConfig), Some(arg)) => {
                                    Node::Expr(module, arg)
                                }
                                _ => Node::Value(self.value(Node::Expr(module, inner))?),
                            }
                        }
                        _ => Node::Value(self.value(Node::Expr(module, inner))?),
                    };
                }
            }
        }
        Err(self.invalid(what, "is defined through too many indirections"))
    }

    /// The node of `object[key]`, `None` when absent. In a literal, the
    /// last property with that key wins; spreads are evaluated.
    fn field(
        &mut self,
        object: &ObjectNode<'a>,
        key: &str,
    ) -> Result<Option<Node<'a>>, ConfigError> {
        match object {
            ObjectNode::Value(object) => Ok(object.get(key).cloned().map(Node::Value)),
            ObjectNode::Literal(module, literal) => {
                let module = *module;
                for property in literal.properties.iter().rev() {
                    match property {
                        ObjectPropertyKind::ObjectProperty(p) => {
                            let name = self
                                .ev
                                .object_key(&Cx::module(module), p)
                                .map_err(|e| unevaluable(&self.file, &e))?;
                            if name == key {
                                return Ok(Some(Node::Expr(module, &p.value)));
                            }
                        }
                        ObjectPropertyKind::SpreadProperty(spread) => {
                            let value = self.value(Node::Expr(module, &spread.argument))?;
                            match value {
                                Value::Object(object) => {
                                    if let Some(found) = object.get(key) {
                                        return Ok(Some(Node::Value(found.clone())));
                                    }
                                }
                                Value::Undefined | Value::Null => {}
                                other => {
                                    let (line, column) = diagnostics::line_column(
                                        self.ev.modules[module].source,
                                        spread.span().start as usize,
                                    );
                                    return Err(ConfigError::Unevaluable {
                                        file: self.file.clone(),
                                        line,
                                        column,
                                        message: format!(
                                            "cannot spread {} into the config",
                                            other.kind()
                                        ),
                                    });
                                }
                            }
                        }
                    }
                }
                Ok(None)
            }
        }
    }
}

/// The value of a text field, recording the first unset variable.
fn take_text(text: Option<Text>, missing: &mut Option<String>) -> Option<String> {
    match text {
        Some(Text::Value(value)) => Some(value),
        Some(Text::MissingEnv { var, .. }) => {
            missing.get_or_insert(var);
            None
        }
        None => None,
    }
}

fn json_to_value<'a>(json: serde_json::Value) -> Value<'a> {
    match json {
        serde_json::Value::Null => Value::Null,
        serde_json::Value::Bool(b) => Value::Bool(b),
        serde_json::Value::Number(n) => Value::Number(n.as_f64().unwrap_or(f64::NAN)),
        serde_json::Value::String(s) => Value::String(s),
        serde_json::Value::Array(items) => {
            Value::Array(items.into_iter().map(json_to_value).collect())
        }
        serde_json::Value::Object(map) => {
            let mut object = Object::default();
            for (k, v) in map {
                object.insert(k, json_to_value(v));
            }
            Value::Object(object)
        }
    }
}
