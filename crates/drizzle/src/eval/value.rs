//! What an expression evaluates to.

use std::borrow::Cow;
use std::cell::RefCell;
use std::rc::Rc;

use oxc_ast::ast::{Expression, FormalParameters, FunctionBody};
use oxc_span::Span;

use super::js;

/// Index into `Evaluator::modules`.
pub type ModuleId = usize;
/// Index into `Evaluator::tables`.
pub type TableId = usize;

/// A JavaScript value, as far as the reader needs one. Drizzle objects
/// (column builders, tables, `sql` templates, index builders) are values
/// too, so that they can flow through constants and imports.
#[derive(Debug, Clone)]
pub enum Value<'a> {
    Undefined,
    Null,
    Bool(bool),
    Number(f64),
    /// A BigInt literal, as written without the `n`.
    BigInt(String),
    String(String),
    Array(Vec<Value<'a>>),
    /// Properties in JS order (see [`Object::insert`]).
    Object(Object<'a>),
    /// `new Date(...)`: epoch milliseconds.
    Date(f64),
    /// An arrow function or function expression/declaration.
    Function(Rc<Closure<'a>>),
    /// Something built in: a drizzle export, `Object.values`, `process.env`…
    Builtin(Builtin),
    /// `import * as ns` of a package the reader understands, or of a local module.
    Namespace(Namespace),
    /// A value from a package the reader does not evaluate: imported as is
    /// (`derived == false`), or computed from one (a call, a property).
    /// Harmless until used in a schema position.
    External {
        name: String,
        package: String,
        derived: bool,
    },
    /// `process.env.NAME` of an unset variable (config files only).
    EnvMissing {
        var: String,
        module: ModuleId,
        span: Span,
    },
    Sql(SqlTemplate),
    /// A column builder. drizzle-orm's builders are mutable objects whose
    /// modifiers return `this`, so one builder reached through two names is
    /// one object: shared, not copied.
    Column(Rc<RefCell<super::drizzle::ColumnBuilder<'a>>>),
    Table(TableId),
    /// `mysqlTableCreator(fn)`: a `mysqlTable` whose names go through `fn`.
    TableCreator(Rc<Closure<'a>>),
    /// `table.key`: a column of a table.
    ColumnRef {
        table: TableId,
        column: usize,
    },
    /// `index()`, `primaryKey()`, `foreignKey()`, `unique()` in extra config.
    TableItem(Box<super::drizzle::TableItem<'a>>),
    /// A value drizzle-kit ignores (`relations(...)`, types, classes).
    Ignored,
    /// `mysqlView(name, columns?)` before `.as(...)`, or a view made by it.
    View(Rc<super::drizzle::ViewData<'a>>),
    /// `mysqlSchema('x')` / `mysqlDatabase('x')`.
    MysqlSchema(String),
    /// `customType({ dataType(config) { ... } })`: a column builder function.
    CustomType(Rc<Closure<'a>>),
}

impl<'a> Value<'a> {
    /// JS truthiness.
    pub fn truthy(&self) -> bool {
        match self {
            Value::Undefined | Value::Null | Value::EnvMissing { .. } => false,
            Value::Bool(b) => *b,
            Value::Number(n) => *n != 0.0 && !n.is_nan(),
            Value::BigInt(s) => !s.trim_start_matches('0').is_empty(),
            Value::String(s) => !s.is_empty(),
            _ => true,
        }
    }

    /// `undefined` or `null` (for `??`).
    pub fn is_nullish(&self) -> bool {
        matches!(
            self,
            Value::Undefined | Value::Null | Value::EnvMissing { .. }
        )
    }

    /// A short name of the value's kind, for messages (never the value itself).
    pub fn kind(&self) -> &'static str {
        match self {
            Value::Undefined => "undefined",
            Value::Null => "null",
            Value::Bool(_) => "a boolean",
            Value::Number(_) => "a number",
            Value::BigInt(_) => "a BigInt",
            Value::String(_) => "a string",
            Value::Array(_) => "an array",
            Value::Object(_) => "an object",
            Value::Date(_) => "a Date",
            Value::Function(_) => "a function",
            Value::Builtin(_) => "a built-in function",
            Value::Namespace(_) => "a module namespace",
            Value::External { .. } => "an imported value",
            Value::EnvMissing { .. } => "an unset environment variable",
            Value::Sql(_) => "an sql template",
            Value::Column(_) => "a column builder",
            Value::Table(_) => "a table",
            Value::TableCreator(_) => "a table creator",
            Value::ColumnRef { .. } => "a column",
            Value::TableItem(_) => "a table constraint",
            Value::Ignored => "an unsupported value",
            Value::View(_) => "a view",
            Value::MysqlSchema(_) => "a mysqlSchema",
            Value::CustomType(_) => "a custom type",
        }
    }

    /// `String(value)` for primitives; `None` for values that have no
    /// statically known string form.
    pub fn to_js_string(&self) -> Option<String> {
        Some(match self {
            Value::Undefined => "undefined".to_string(),
            Value::Null => "null".to_string(),
            Value::Bool(b) => b.to_string(),
            Value::Number(n) => js::number_to_string(*n),
            Value::BigInt(s) => s.clone(),
            Value::String(s) => s.clone(),
            _ => return None,
        })
    }

    /// `Number(value)` for primitives.
    pub fn to_js_number(&self) -> Option<f64> {
        Some(match self {
            Value::Undefined => f64::NAN,
            Value::Null => 0.0,
            Value::Bool(b) => f64::from(u8::from(*b)),
            Value::Number(n) => *n,
            Value::String(s) => js::string_to_number(s),
            Value::Date(ms) => *ms,
            _ => return None,
        })
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// `JSON.stringify(value)`; `None` when it would throw, or return
    /// `undefined`, or the value is not plain data.
    pub fn to_json(&self) -> Option<String> {
        match self {
            Value::Null => Some("null".to_string()),
            Value::Bool(b) => Some(b.to_string()),
            Value::Number(n) if n.is_finite() => Some(js::number_to_string(*n)),
            Value::Number(_) => Some("null".to_string()),
            Value::String(s) => Some(js::json_quote(s)),
            Value::Date(ms) => js::to_iso_string(*ms).map(|s| js::json_quote(&s)),
            Value::Array(items) => {
                let mut parts = Vec::with_capacity(items.len());
                for item in items {
                    parts.push(match item {
                        Value::Undefined | Value::Function(_) => "null".to_string(),
                        other => other.to_json()?,
                    });
                }
                Some(format!("[{}]", parts.join(",")))
            }
            Value::Object(object) => {
                let mut parts = Vec::new();
                for (key, value) in object.iter() {
                    if matches!(value, Value::Undefined | Value::Function(_)) {
                        continue;
                    }
                    parts.push(format!("{}:{}", js::json_quote(key), value.to_json()?));
                }
                Some(format!("{{{}}}", parts.join(",")))
            }
            _ => None,
        }
    }
}

/// A plain object: properties in JS order (integer-like keys first). Keys
/// written in the source are borrowed from it, not copied.
#[derive(Debug, Clone, Default)]
pub struct Object<'a> {
    entries: Vec<(Cow<'a, str>, Value<'a>)>,
}

impl<'a> Object<'a> {
    /// Sets a property; a repeated key keeps its first position, as in JS.
    pub fn insert(&mut self, key: impl Into<Cow<'a, str>>, value: Value<'a>) {
        let key = key.into();
        if let Some(slot) = self.entries.iter_mut().find(|(k, _)| *k == key) {
            slot.1 = value;
        } else {
            self.entries.push((key, value));
        }
    }

    pub fn get(&self, key: &str) -> Option<&Value<'a>> {
        self.entries.iter().find(|(k, _)| k == key).map(|(_, v)| v)
    }

    /// Entries in JS property order.
    pub fn iter(&self) -> impl Iterator<Item = (&Cow<'a, str>, &Value<'a>)> {
        let keys: Vec<&Cow<'a, str>> = self.entries.iter().map(|(k, _)| k).collect();
        js::js_key_order(&keys)
            .into_iter()
            .filter_map(|i| self.entries.get(i).map(|(k, v)| (k, v)))
    }

    pub fn values(&self) -> Vec<Value<'a>> {
        self.iter().map(|(_, v)| v.clone()).collect()
    }
}

/// A function value: its code, its module and the local bindings it closes over.
#[derive(Debug)]
pub struct Closure<'a> {
    pub module: ModuleId,
    pub span: Span,
    pub name: Option<String>,
    pub params: &'a FormalParameters<'a>,
    pub body: FuncBody<'a>,
    pub env: Env<'a>,
}

#[derive(Debug, Clone, Copy)]
pub enum FuncBody<'a> {
    Expr(&'a Expression<'a>),
    Block(&'a FunctionBody<'a>),
    /// `declare function` / overload signature: no body.
    None,
}

/// Local bindings (function parameters and `const`s in function bodies),
/// as a persistent linked list so closures can capture them cheaply.
pub type Env<'a> = Option<Rc<EnvNode<'a>>>;

#[derive(Debug)]
pub struct EnvNode<'a> {
    pub name: String,
    pub value: Value<'a>,
    pub parent: Env<'a>,
}

pub fn env_bind<'a>(parent: &Env<'a>, name: &str, value: Value<'a>) -> Env<'a> {
    Some(Rc::new(EnvNode {
        name: name.to_string(),
        value,
        parent: parent.clone(),
    }))
}

pub fn env_lookup<'a>(env: &Env<'a>, name: &str) -> Option<Value<'a>> {
    let mut node = env.as_ref();
    while let Some(n) = node {
        if n.name == name {
            return Some(n.value.clone());
        }
        node = n.parent.as_ref();
    }
    None
}

/// Packages whose exports the reader understands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Namespace {
    /// `drizzle-orm/mysql-core` (also the `t` of `mysqlTable('x', (t) => ...)`).
    MysqlCore,
    /// `drizzle-orm`.
    DrizzleOrm,
    /// `drizzle-kit`.
    DrizzleKit,
    /// A local module (`import * as schema from './schema'`).
    Module(ModuleId),
}

/// Built-in functions and objects.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Builtin {
    /// An export of `drizzle-orm/mysql-core`, by name (shared: every use of
    /// an imported builder clones the binding's value).
    MysqlCore(Rc<str>),
    /// `sql` from `drizzle-orm`.
    Sql,
    /// `sql.raw`.
    SqlRaw,
    /// `relations` from `drizzle-orm`: its result is ignored.
    Relations,
    /// Any other export of `drizzle-orm`, by name.
    DrizzleOrm(Rc<str>),
    /// `defineConfig` from `drizzle-kit`.
    DefineConfig,
    /// The global `Object`.
    ObjectCtor,
    ObjectValues,
    ObjectFreeze,
    ObjectKeys,
    ObjectEntries,
    ObjectFromEntries,
    ObjectAssign,
    NumberFn,
    StringFn,
    ParseInt,
    ParseFloat,
    DateCtor,
    Process,
    ProcessEnv,
    Require,
}

/// An `sql` tagged template: text and interpolated values, in order.
#[derive(Debug, Clone, Default)]
pub struct SqlTemplate {
    pub chunks: Vec<SqlChunk>,
}

#[derive(Debug, Clone)]
pub enum SqlChunk {
    Text(String),
    Column {
        table: TableId,
        column: usize,
    },
    Table(TableId),
    /// Any other interpolated value: a bound parameter.
    Param,
}

impl SqlTemplate {
    pub fn push_value(&mut self, value: Value<'_>) {
        match value {
            Value::Sql(inner) => self.chunks.extend(inner.chunks),
            Value::ColumnRef { table, column } => {
                self.chunks.push(SqlChunk::Column { table, column })
            }
            Value::Table(table) => self.chunks.push(SqlChunk::Table(table)),
            _ => self.chunks.push(SqlChunk::Param),
        }
    }

    /// The text when there is no interpolation other than nested `sql`
    /// (borrowed when there is one piece of text).
    pub fn plain_text(&self) -> Option<Cow<'_, str>> {
        if let [SqlChunk::Text(text)] = &self.chunks[..] {
            return Some(Cow::Borrowed(text));
        }
        let mut out = String::new();
        for chunk in &self.chunks {
            match chunk {
                SqlChunk::Text(t) => out.push_str(t),
                _ => return None,
            }
        }
        Some(Cow::Owned(out))
    }
}
