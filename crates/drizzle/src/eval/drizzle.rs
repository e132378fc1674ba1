//! `drizzle-orm/mysql-core` as built-in functions of the evaluator: column
//! builders and their modifiers, `mysqlTable`, and the extra-config builders
//! (`index`, `uniqueIndex`, `primaryKey`, `foreignKey`, `unique`).
//!
//! Type text is built exactly as each builder's `getSQLType()` does
//! (drizzle-orm 0.45, `mysql-core/columns/*.ts`).

use std::borrow::Cow;
use std::cell::RefCell;
use std::rc::Rc;

use oxc_ast::ast::{Argument, CallExpression};
use oxc_span::{GetSpan, Span};

use super::value::{Closure, Object, Value};
use super::{Cx, Entries, EvalError, EvalResult, Evaluator, ModuleId, Namespace, TableId, js};
use crate::diagnostics;

/// A value with the place it was written.
#[derive(Debug, Clone)]
pub struct Located<T> {
    pub value: T,
    pub module: ModuleId,
    pub span: Span,
}

/// A column builder after its modifiers, before the table gives it a name.
#[derive(Debug, Clone)]
pub struct ColumnBuilder<'a> {
    /// The builder function (`int`, `varchar`, …), for messages.
    pub builder: Cow<'static, str>,
    pub module: ModuleId,
    /// The builder call.
    pub span: Span,
    /// The name: the explicit first argument, or (`key_as_name`) the key of
    /// the first table entry that held this builder (drizzle's `setName`,
    /// which only fills an empty name).
    pub name: Option<String>,
    /// No explicit name was given: `casing` converts the name.
    pub key_as_name: bool,
    /// `getSQLType()`.
    pub sql_type: String,
    /// `mysqlEnum` values.
    pub enum_values: Option<Vec<String>>,
    pub serial: bool,
    pub can_autoincrement: bool,
    /// `timestamp()`: the only builder with `defaultNow` / `onUpdateNow`.
    pub is_timestamp: bool,
    pub not_null: bool,
    pub primary_key: bool,
    pub auto_increment: bool,
    pub on_update_now: bool,
    /// `.unique(name?)`: where, and the name given. Boxed, like
    /// `generated`: rare, and every column of a large schema carries the field.
    pub unique: Option<Box<Located<Option<String>>>>,
    /// `config.uniqueName`: the name given to `.unique()`, else (when a table
    /// takes the builder) `<table>_<name>_unique`.
    pub unique_name: Option<String>,
    pub default: Option<Located<Value<'a>>>,
    pub generated: Option<Box<Generated<'a>>>,
    pub references: Vec<Reference<'a>>,
    /// The copy the last table took (see `table_columns`), until a modifier
    /// runs: the tables that share a builder (a spread columns helper) share
    /// one copy of it.
    pub taken: Option<Rc<ColumnBuilder<'a>>>,
}

#[derive(Debug, Clone)]
pub struct Generated<'a> {
    pub expression: Located<Value<'a>>,
    pub stored: bool,
}

#[derive(Debug, Clone)]
pub struct Reference<'a> {
    /// `() => table.column`, called when the schema is complete.
    pub target: Located<Value<'a>>,
    pub on_delete: Option<String>,
    pub on_update: Option<String>,
}

/// A builder from a table's extra config.
#[derive(Debug, Clone)]
pub enum TableItem<'a> {
    Index {
        name: Option<String>,
        unique: bool,
        /// `None` until `.on(...)`.
        columns: Option<Vec<Value<'a>>>,
        module: ModuleId,
        span: Span,
    },
    PrimaryKey {
        columns: Vec<Value<'a>>,
        module: ModuleId,
        span: Span,
    },
    ForeignKey {
        name: Option<String>,
        columns: Vec<Value<'a>>,
        foreign_columns: Vec<Value<'a>>,
        on_delete: Option<String>,
        on_update: Option<String>,
        module: ModuleId,
        span: Span,
    },
    Unique {
        name: Option<String>,
        columns: Option<Vec<Value<'a>>>,
        module: ModuleId,
        span: Span,
    },
    /// `check(name, sql`...`)`.
    Check {
        name: String,
        value: Value<'a>,
        module: ModuleId,
        span: Span,
    },
}

/// `mysqlView(name, columns?)` and what `.as(...)` / `.existing()` made of it.
#[derive(Debug, Clone)]
pub struct ViewData<'a> {
    pub name: String,
    pub module: ModuleId,
    /// The `mysqlView(` call.
    pub span: Span,
    pub state: ViewState,
    /// `mysqlView(name, columns)` (drizzle's `ManualViewBuilder`: `.as(sql)`
    /// and `.existing()`) rather than `mysqlView(name)` (`ViewBuilder`:
    /// `.as(queryBuilder)` only).
    pub manual: bool,
    _marker: std::marker::PhantomData<&'a ()>,
}

#[derive(Debug, Clone)]
pub enum ViewState {
    /// Before `.as(...)`: not a view for drizzle-kit.
    Builder,
    /// `.as(sql`...`)`.
    Sql(super::value::SqlTemplate),
    /// `.as((qb) => ...)`: the definition is not evaluated.
    QueryBuilder,
    /// `.existing()`: not managed by drizzle-kit.
    Existing,
}

impl TableItem<'_> {
    fn function(&self) -> &'static str {
        match self {
            TableItem::Index { unique: false, .. } => "index",
            TableItem::Index { unique: true, .. } => "uniqueIndex",
            TableItem::PrimaryKey { .. } => "primaryKey",
            TableItem::ForeignKey { .. } => "foreignKey",
            TableItem::Unique { .. } => "unique",
            TableItem::Check { .. } => "check",
        }
    }
}

/// A `mysqlTable(...)` call, read.
#[derive(Debug)]
pub struct TableData<'a> {
    pub name: String,
    pub module: ModuleId,
    /// The `mysqlTable(` call.
    pub span: Span,
    /// In JS key order; columns that could not be read are left out.
    pub columns: Vec<ColumnData<'a>>,
    /// The third argument, called when the schema is complete.
    pub extra: Option<Located<Value<'a>>>,
    /// `mysqlSchema('x').table(...)`: drizzle-kit leaves these out.
    pub schema: Option<String>,
}

#[derive(Debug)]
pub struct ColumnData<'a> {
    pub key: Cow<'a, str>,
    /// The property in the columns object.
    pub span: Span,
    /// Shared so that building the Model can hold it while `self` is borrowed
    /// mutably, without copying the builder per column.
    pub builder: Rc<ColumnBuilder<'a>>,
}

/// Builders that take `(name?, config?)` and support `.autoincrement()`.
const INTEGER_BUILDERS: [&str; 4] = ["int", "tinyint", "smallint", "mediumint"];

/// Names of the column builders, so that a builder's name is not copied
/// per column.
const BUILDER_NAMES: [&str; 27] = [
    "serial",
    "boolean",
    "json",
    "year",
    "mysqlEnum",
    "int",
    "tinyint",
    "smallint",
    "mediumint",
    "bigint",
    "float",
    "double",
    "real",
    "decimal",
    "varchar",
    "char",
    "binary",
    "varbinary",
    "text",
    "tinytext",
    "mediumtext",
    "longtext",
    "date",
    "datetime",
    "time",
    "timestamp",
    "customType",
];

impl<'a> ColumnBuilder<'a> {
    fn new(builder: &str, module: ModuleId, span: Span) -> ColumnBuilder<'a> {
        let builder = match BUILDER_NAMES.iter().find(|known| **known == builder) {
            Some(known) => Cow::Borrowed(*known),
            None => Cow::Owned(builder.to_string()),
        };
        ColumnBuilder {
            builder,
            module,
            span,
            name: None,
            key_as_name: true,
            sql_type: String::new(),
            enum_values: None,
            serial: false,
            can_autoincrement: false,
            is_timestamp: false,
            not_null: false,
            primary_key: false,
            auto_increment: false,
            on_update_now: false,
            unique: None,
            unique_name: None,
            default: None,
            generated: None,
            references: Vec::new(),
            taken: None,
        }
    }
}

impl<'a> Evaluator<'a> {
    /// A call of a `drizzle-orm/mysql-core` export.
    pub fn drizzle_call<'s>(
        &mut self,
        cx: &Cx<'a>,
        name: &str,
        call: &'s CallExpression<'s>,
    ) -> EvalResult<'a> {
        let m = cx.module;
        match name {
            "mysqlTable" => self.mysql_table(cx, call, None, None),
            "mysqlSchema" | "mysqlDatabase" => match self.argument(cx, &call.arguments, 0)? {
                Value::String(schema) => Ok(Value::MysqlSchema(schema)),
                other => {
                    let detail = format!("the schema name must be a string, not {}", other.kind());
                    Err(self.bad_argument(m, call.span, name, &other, &detail))
                }
            },
            "mysqlView" => self.mysql_view(cx, call),
            "customType" => {
                let params = self.argument(cx, &call.arguments, 0)?;
                let data_type = match &params {
                    Value::Object(object) => object.get("dataType").cloned(),
                    _ => None,
                };
                match data_type {
                    Some(Value::Function(closure)) => Ok(Value::CustomType(closure)),
                    _ => Err(self.bad_argument(
                        m,
                        call.span,
                        "customType",
                        &params,
                        "expected `{ dataType(config) { ... } }`",
                    )),
                }
            }
            "check" => {
                let check_name = match self.argument(cx, &call.arguments, 0)? {
                    Value::String(check_name) => check_name,
                    other => {
                        let detail =
                            format!("the check name must be a string, not {}", other.kind());
                        return Err(self.bad_argument(m, call.span, "check", &other, &detail));
                    }
                };
                let value = self.argument(cx, &call.arguments, 1)?;
                Ok(Value::TableItem(Box::new(TableItem::Check {
                    name: check_name,
                    value,
                    module: m,
                    span: call.span,
                })))
            }
            "mysqlTableCreator" => match self.argument(cx, &call.arguments, 0)? {
                Value::Function(closure) => Ok(Value::TableCreator(closure)),
                other => {
                    let detail =
                        format!("expected a function `(name) => ...`, not {}", other.kind());
                    self.fail(m, call.span, |s| {
                        diagnostics::invalid_argument(s, "mysqlTableCreator", &detail)
                    })
                }
            },
            "index" | "uniqueIndex" => {
                let index_name = self.argument(cx, &call.arguments, 0)?;
                Ok(Value::TableItem(Box::new(TableItem::Index {
                    name: index_name.as_str().map(str::to_string),
                    unique: name == "uniqueIndex",
                    columns: None,
                    module: m,
                    span: call.span,
                })))
            }
            "unique" => {
                let name = self.argument(cx, &call.arguments, 0)?;
                let name = self.optional_name(m, call.span, "unique", name)?;
                Ok(Value::TableItem(Box::new(TableItem::Unique {
                    name,
                    columns: None,
                    module: m,
                    span: call.span,
                })))
            }
            "primaryKey" => {
                let args = self.arguments(cx, &call.arguments)?;
                let columns = match args.first() {
                    Some(Value::Object(config)) => {
                        let columns = config.get("columns").cloned().unwrap_or(Value::Undefined);
                        self.array_of(m, call.span, "primaryKey", "columns", columns)?
                    }
                    _ => args,
                };
                Ok(Value::TableItem(Box::new(TableItem::PrimaryKey {
                    columns,
                    module: m,
                    span: call.span,
                })))
            }
            "foreignKey" => {
                let Value::Object(config) = self.argument(cx, &call.arguments, 0)? else {
                    return self.fail(m, call.span, |s| {
                        diagnostics::invalid_argument(
                            s,
                            "foreignKey",
                            "expected `{ columns, foreignColumns }`",
                        )
                    });
                };
                let get = |key: &str| config.get(key).cloned().unwrap_or(Value::Undefined);
                let columns =
                    self.array_of(m, call.span, "foreignKey", "columns", get("columns"))?;
                let foreign_columns = self.array_of(
                    m,
                    call.span,
                    "foreignKey",
                    "foreignColumns",
                    get("foreignColumns"),
                )?;
                let name = self.optional_name(m, call.span, "foreignKey", get("name"))?;
                Ok(Value::TableItem(Box::new(TableItem::ForeignKey {
                    name,
                    columns,
                    foreign_columns,
                    on_delete: None,
                    on_update: None,
                    module: m,
                    span: call.span,
                })))
            }
            builder => self.column_builder(cx, builder, call),
        }
    }

    /// An argument of the wrong kind; a value from another package says so.
    pub fn bad_argument(
        &self,
        m: ModuleId,
        span: Span,
        function: &str,
        value: &Value<'a>,
        detail: &str,
    ) -> EvalError {
        match value {
            Value::External { name, package, .. } => {
                self.error(m, span, |s| diagnostics::external_value(s, name, package))
            }
            _ => self.error(m, span, |s| {
                diagnostics::invalid_argument(s, function, detail)
            }),
        }
    }

    fn optional_name(
        &self,
        m: ModuleId,
        span: Span,
        function: &str,
        value: Value<'a>,
    ) -> Result<Option<String>, EvalError> {
        match value {
            Value::Undefined => Ok(None),
            Value::String(name) => Ok(Some(name)),
            other => {
                let detail = format!("the name must be a string, not {}", other.kind());
                Err(self.bad_argument(m, span, function, &other, &detail))
            }
        }
    }

    fn array_of(
        &self,
        m: ModuleId,
        span: Span,
        function: &str,
        field: &str,
        value: Value<'a>,
    ) -> Result<Vec<Value<'a>>, EvalError> {
        match value {
            Value::Array(items) => Ok(items),
            other => {
                let detail = format!("`{field}` must be an array, not {}", other.kind());
                self.fail(m, span, |s| {
                    diagnostics::invalid_argument(s, function, &detail)
                })
            }
        }
    }

    // -----------------------------------------------------------------------
    // Column builders
    // -----------------------------------------------------------------------

    fn column_builder<'s>(
        &mut self,
        cx: &Cx<'a>,
        builder: &str,
        call: &'s CallExpression<'s>,
    ) -> EvalResult<'a> {
        let m = cx.module;
        let span = call.span;
        let a = self.argument(cx, &call.arguments, 0)?;
        let b = self.argument(cx, &call.arguments, 1)?;
        let mut column = ColumnBuilder::new(builder, m, span);
        let sign = |unsigned: bool| if unsigned { " unsigned" } else { "" };
        match builder {
            "serial" | "boolean" | "json" | "year" => {
                // `builder(name?)`: no config.
                column.name = match a {
                    Value::String(name) if !name.is_empty() => Some(name),
                    Value::String(_) | Value::Undefined => None,
                    other => {
                        let detail =
                            format!("the column name must be a string, not {}", other.kind());
                        return self.fail(m, span, |s| {
                            diagnostics::invalid_argument(s, builder, &detail)
                        });
                    }
                };
                column.sql_type = builder.to_string();
                column.serial = builder == "serial";
                column.can_autoincrement = builder == "serial";
            }
            "mysqlEnum" => {
                let values = match (a, b) {
                    (Value::String(name), Value::Array(values)) => {
                        column.name = (!name.is_empty()).then_some(name);
                        values
                    }
                    (Value::Array(values), _) => values,
                    (Value::String(name), Value::Object(object)) => {
                        column.name = (!name.is_empty()).then_some(name);
                        object.values()
                    }
                    (Value::Object(object), _) => object.values(),
                    (other, _) => {
                        return Err(self.bad_argument(
                            m,
                            span,
                            builder,
                            &other,
                            "expected an array of values or an enum object",
                        ));
                    }
                };
                if values.is_empty() {
                    return self.fail(m, span, |s| {
                        diagnostics::type_error(
                            s,
                            "`mysqlEnum` needs at least one value (drizzle-orm throws)",
                        )
                    });
                }
                let mut strings = Vec::with_capacity(values.len());
                for value in values {
                    match value {
                        Value::String(s) => strings.push(s),
                        other => {
                            let detail =
                                format!("enum values must be strings, not {}", other.kind());
                            return Err(self.bad_argument(m, span, builder, &other, &detail));
                        }
                    }
                }
                for value in &strings {
                    if value.contains('(') || value.contains(',') {
                        self.warn(m, span, |s| diagnostics::enum_value_mangled(s, value));
                    }
                }
                column.sql_type = format!(
                    "enum({})",
                    strings
                        .iter()
                        .map(|v| format!("'{v}'"))
                        .collect::<Vec<_>>()
                        .join(",")
                );
                column.enum_values = Some(strings);
            }
            _ => {
                let (name, config) = self.name_and_config(m, span, builder, a, b)?;
                column.name = name;
                let has_config = config.is_some();
                let config = config.unwrap_or_default();
                let opt = Options {
                    ev: self,
                    module: m,
                    span,
                    builder,
                    config: &config,
                };
                column.sql_type = match builder {
                    b if INTEGER_BUILDERS.contains(&b) => {
                        column.can_autoincrement = true;
                        [b, sign(opt.flag("unsigned")?)].concat()
                    }
                    "bigint" => {
                        if !has_config {
                            return self.fail(m, span, |s| {
                                diagnostics::type_error(
                                    s,
                                    "`bigint()` needs a config with `mode: 'number' | 'bigint'` (drizzle-orm throws without one)",
                                )
                            });
                        }
                        column.can_autoincrement = true;
                        ["bigint", sign(opt.flag("unsigned")?)].concat()
                    }
                    "float" | "double" | "real" | "decimal" => {
                        column.can_autoincrement = true;
                        let precision = opt.number("precision")?;
                        let scale = opt.number("scale")?;
                        let mut text = match (precision, scale) {
                            (Some(p), Some(s)) if builder == "real" => format!("real({p}, {s})"),
                            (Some(p), Some(s)) => [builder, "(", &p, ",", &s, ")"].concat(),
                            (None, _) => builder.to_string(),
                            (Some(p), None) => [builder, "(", &p, ")"].concat(),
                        };
                        if builder == "decimal"
                            && (text == "decimal(10,0)" || text == "decimal(10)")
                        {
                            text = "decimal".to_string();
                        }
                        if builder != "real" && opt.flag("unsigned")? {
                            text.push_str(" unsigned");
                        }
                        text
                    }
                    "varchar" | "char" | "binary" | "varbinary" => {
                        if builder == "varchar" && !has_config {
                            return self.fail(m, span, |s| {
                                diagnostics::type_error(
                                    s,
                                    "`varchar()` needs a config with `length` (drizzle-orm throws without one)",
                                )
                            });
                        }
                        match opt.number("length")? {
                            Some(length) => [builder, "(", &length, ")"].concat(),
                            None => builder.to_string(),
                        }
                    }
                    "text" | "tinytext" | "mediumtext" | "longtext" | "date" => builder.to_string(),
                    "datetime" | "time" | "timestamp" => {
                        column.is_timestamp = builder == "timestamp";
                        match opt.number("fsp")? {
                            Some(fsp) => [builder, "(", &fsp, ")"].concat(),
                            None => builder.to_string(),
                        }
                    }
                    other => {
                        return self.fail(m, call.callee.span(), |s| {
                            diagnostics::unsupported_builder(s, other)
                        });
                    }
                };
            }
        }
        column.key_as_name = column.name.is_none();
        Ok(Value::Column(Rc::new(RefCell::new(column))))
    }

    /// A column of a `customType`: its type is what `dataType(config)`
    /// returns, verbatim (drizzle-orm's `MySqlCustomColumn.getSQLType`).
    pub fn custom_column<'s>(
        &mut self,
        cx: &Cx<'a>,
        data_type: &Closure<'a>,
        call: &'s CallExpression<'s>,
    ) -> EvalResult<'a> {
        let m = cx.module;
        let span = call.span;
        let a = self.argument(cx, &call.arguments, 0)?;
        let b = self.argument(cx, &call.arguments, 1)?;
        let (name, config) = self.name_and_config(m, span, "customType", a, b)?;
        let config = config.map_or(Value::Undefined, Value::Object);
        let sql_type = match self.call_closure(data_type, vec![config])? {
            Value::String(text) => text,
            other => {
                let detail = format!("`dataType()` must return a string, not {}", other.kind());
                return Err(self.bad_argument(m, span, "customType", &other, &detail));
            }
        };
        let mut column = ColumnBuilder::new("customType", m, span);
        column.key_as_name = name.is_none();
        column.name = name;
        column.sql_type = sql_type;
        Ok(Value::Column(Rc::new(RefCell::new(column))))
    }

    /// `mysqlView(name, columns?)` (the columns are not needed: the Model
    /// compares views by name and definition).
    pub fn mysql_view<'s>(&mut self, cx: &Cx<'a>, call: &'s CallExpression<'s>) -> EvalResult<'a> {
        let m = cx.module;
        match self.argument(cx, &call.arguments, 0)? {
            Value::String(name) => Ok(Value::View(Rc::new(ViewData {
                name,
                module: m,
                span: call.span,
                state: ViewState::Builder,
                manual: call.arguments.len() > 1,
                _marker: std::marker::PhantomData,
            }))),
            other => {
                let detail = format!("the view name must be a string, not {}", other.kind());
                Err(self.bad_argument(m, call.span, "mysqlView", &other, &detail))
            }
        }
    }

    /// `.as(...)`, `.existing()`, `.algorithm(...)`, … of `mysqlView(...)`.
    pub fn view_method<'s>(
        &mut self,
        cx: &Cx<'a>,
        view: &ViewData<'a>,
        method: &str,
        method_span: Span,
        call: &'s CallExpression<'s>,
    ) -> EvalResult<'a> {
        let m = cx.module;
        if !matches!(view.state, ViewState::Builder) {
            return self.fail(m, method_span, |s| {
                diagnostics::unknown_table_method(s, "mysqlView", method)
            });
        }
        let mut next = view.clone();
        match method {
            // Options the Model does not compare.
            "algorithm" | "sqlSecurity" | "withCheckOption" => {}
            "existing" if view.manual => next.state = ViewState::Existing,
            "existing" => {
                return self.fail(m, method_span, |s| {
                    diagnostics::type_error(
                        s,
                        "`mysqlView(name)` has no `.existing()`; declare the columns: `mysqlView(name, { ... }).existing()`",
                    )
                });
            }
            "as" => {
                next.state = match (self.argument(cx, &call.arguments, 0)?, view.manual) {
                    (Value::Sql(sql), true) => ViewState::Sql(sql),
                    (Value::Function(_), false) => ViewState::QueryBuilder,
                    (Value::Sql(_), false) => {
                        return self.fail(m, call.span, |s| {
                            diagnostics::type_error(
                                s,
                                "`mysqlView(name).as(sql`...`)` throws in drizzle-orm (`qb.getSelectedFields is not a function`); \
                                 an sql view needs its columns: `mysqlView(name, { ... }).as(sql`...`)`",
                            )
                        });
                    }
                    (other, manual) => {
                        let detail = if manual {
                            format!("expected sql`...`, not {}", other.kind())
                        } else {
                            format!("expected a query builder callback, not {}", other.kind())
                        };
                        return Err(self.bad_argument(m, call.span, "as", &other, &detail));
                    }
                };
            }
            _ => {
                return self.fail(m, method_span, |s| {
                    diagnostics::unknown_table_method(s, "mysqlView", method)
                });
            }
        }
        Ok(Value::View(Rc::new(next)))
    }

    /// `mysqlSchema('x').table(...)` / `.view(...)`.
    pub fn schema_method<'s>(
        &mut self,
        cx: &Cx<'a>,
        schema: String,
        method: &str,
        method_span: Span,
        call: &'s CallExpression<'s>,
    ) -> EvalResult<'a> {
        match method {
            "table" => self.mysql_table(cx, call, None, Some(schema)),
            "view" => self.mysql_view(cx, call),
            _ => self.fail(cx.module, method_span, |s| {
                diagnostics::unknown_table_method(s, "mysqlSchema", method)
            }),
        }
    }

    /// drizzle's `getColumnNameAndConfig(a, b)`.
    fn name_and_config(
        &self,
        m: ModuleId,
        span: Span,
        builder: &str,
        a: Value<'a>,
        b: Value<'a>,
    ) -> Result<(Option<String>, Option<Object<'a>>), EvalError> {
        let wrong = |other: Value<'a>| {
            let detail = format!(
                "expected a name and/or a config object, got {}",
                other.kind()
            );
            Err(self.bad_argument(m, span, builder, &other, &detail))
        };
        // The name is moved out of the argument, not copied.
        let (name, config) = match (a, b) {
            (Value::Object(config), _) => (None, Some(config)),
            (a @ (Value::String(_) | Value::Undefined), b) => {
                let name = match a {
                    Value::String(name) if !name.is_empty() => Some(name),
                    _ => None,
                };
                match b {
                    Value::Object(config) => (name, Some(config)),
                    Value::Undefined => (name, None),
                    other => return wrong(other),
                }
            }
            (other, _) => return wrong(other),
        };
        Ok((name, config))
    }

    /// `.notNull()`, `.default(...)`, … on a column builder: like drizzle's
    /// modifiers, they change the builder itself and return it, so every
    /// other name for the same builder sees the change.
    pub fn column_method<'s>(
        &mut self,
        cx: &Cx<'a>,
        builder: Rc<RefCell<ColumnBuilder<'a>>>,
        method: &str,
        method_span: Span,
        call: &'s CallExpression<'s>,
    ) -> EvalResult<'a> {
        self.modify_column(cx, &builder, method, method_span, call)?;
        Ok(Value::Column(builder))
    }

    /// Applies one modifier in place. Arguments are evaluated before the
    /// builder is borrowed mutably (they may read the builder), and every
    /// error returns before any change, so a failed modifier leaves the
    /// builder as it was without cloning it up front.
    fn modify_column<'s>(
        &mut self,
        cx: &Cx<'a>,
        builder: &Rc<RefCell<ColumnBuilder<'a>>>,
        method: &str,
        method_span: Span,
        call: &'s CallExpression<'s>,
    ) -> Result<(), EvalError> {
        let m = cx.module;
        let unknown = |this: &Self| {
            this.fail(m, method_span, |s| {
                diagnostics::unknown_modifier(s, &builder.borrow().builder, method)
            })
        };
        let (can_autoincrement, is_timestamp) = {
            let column = builder.borrow();
            (column.can_autoincrement, column.is_timestamp)
        };
        match method {
            "notNull" => builder.borrow_mut().not_null = true,
            "primaryKey" => {
                let mut column = builder.borrow_mut();
                column.primary_key = true;
                column.not_null = true;
            }
            "autoincrement" if can_autoincrement => builder.borrow_mut().auto_increment = true,
            "defaultNow" if is_timestamp => {
                builder.borrow_mut().default = Some(Located {
                    value: Value::Sql(super::value::SqlTemplate {
                        chunks: vec![super::value::SqlChunk::Text("(now())".to_string())],
                    }),
                    module: m,
                    span: call.span,
                });
            }
            "onUpdateNow" if is_timestamp => builder.borrow_mut().on_update_now = true,
            "autoincrement" | "defaultNow" | "onUpdateNow" => return unknown(self),
            "default" => {
                let value = self.argument(cx, &call.arguments, 0)?;
                builder.borrow_mut().default = Some(Located {
                    value,
                    module: m,
                    span: argument_span(&call.arguments, call.span),
                });
            }
            "unique" => {
                let name = self.argument(cx, &call.arguments, 0)?;
                let name = self.optional_name(m, call.span, "unique", name)?;
                let mut column = builder.borrow_mut();
                column.unique_name = name.clone();
                column.unique = Some(Box::new(Located {
                    value: name,
                    module: m,
                    span: method_span,
                }));
            }
            "references" => {
                let target = self.argument(cx, &call.arguments, 0)?;
                if !matches!(target, Value::Function(_)) {
                    return self.fail(m, call.span, |s| {
                        diagnostics::invalid_argument(
                            s,
                            "references",
                            "expected a callback such as `() => users.id`",
                        )
                    });
                }
                let (on_delete, on_update) = match self.argument(cx, &call.arguments, 1)? {
                    Value::Undefined => (None, None),
                    Value::Object(actions) => (
                        self.action(m, call.span, actions.get("onDelete"))?,
                        self.action(m, call.span, actions.get("onUpdate"))?,
                    ),
                    other => {
                        let detail = format!("the actions must be an object, not {}", other.kind());
                        return self.fail(m, call.span, |s| {
                            diagnostics::invalid_argument(s, "references", &detail)
                        });
                    }
                };
                builder.borrow_mut().references.push(Reference {
                    target: Located {
                        value: target,
                        module: m,
                        span: method_span,
                    },
                    on_delete,
                    on_update,
                });
            }
            "generatedAlwaysAs" => {
                let expression = self.argument(cx, &call.arguments, 0)?;
                let stored = match self.argument(cx, &call.arguments, 1)? {
                    Value::Undefined => false,
                    Value::Object(config) => match config.get("mode") {
                        None | Some(Value::Undefined) => false,
                        Some(Value::String(mode)) => mode == "stored",
                        Some(other) => {
                            let detail = format!(
                                "`mode` must be 'virtual' or 'stored', not {}",
                                other.kind()
                            );
                            return self.fail(m, call.span, |s| {
                                diagnostics::invalid_argument(s, "generatedAlwaysAs", &detail)
                            });
                        }
                    },
                    other => {
                        let detail = format!("the config must be an object, not {}", other.kind());
                        return self.fail(m, call.span, |s| {
                            diagnostics::invalid_argument(s, "generatedAlwaysAs", &detail)
                        });
                    }
                };
                builder.borrow_mut().generated = Some(Box::new(Generated {
                    expression: Located {
                        value: expression,
                        module: m,
                        span: argument_span(&call.arguments, call.span),
                    },
                    stored,
                }));
            }
            // Runtime-only: drizzle-kit never sees them. Their arguments are
            // not evaluated (they are usually calls into other packages).
            "$defaultFn" | "$default" | "$onUpdate" | "$onUpdateFn" | "$type" => {}
            _ => return unknown(self),
        }
        // Tables made from now on take a new copy.
        builder.borrow_mut().taken = None;
        Ok(())
    }

    fn action(
        &self,
        m: ModuleId,
        span: Span,
        value: Option<&Value<'a>>,
    ) -> Result<Option<String>, EvalError> {
        match value {
            None | Some(Value::Undefined) => Ok(None),
            Some(Value::String(action)) => Ok(Some(action.clone())),
            Some(other) => {
                let detail = format!(
                    "a referential action must be a string, not {}",
                    other.kind()
                );
                self.fail(m, span, |s| {
                    diagnostics::invalid_argument(s, "references", &detail)
                })
            }
        }
    }

    /// `.on(...)`, `.onDelete(...)`, `.using(...)`, … on an extra-config builder.
    pub fn table_item_method<'s>(
        &mut self,
        cx: &Cx<'a>,
        // Boxed as in `Value::TableItem`: changed in place, not moved out and back.
        mut item: Box<TableItem<'a>>,
        method: &str,
        method_span: Span,
        call: &'s CallExpression<'s>,
    ) -> EvalResult<'a> {
        let m = cx.module;
        let function = item.function();
        match (&mut *item, method) {
            (TableItem::Index { columns, .. } | TableItem::Unique { columns, .. }, "on") => {
                *columns = Some(self.arguments(cx, &call.arguments)?);
            }
            // Stored by drizzle-kit but never emitted in SQL.
            (TableItem::Index { .. }, "using" | "algorithm" | "lock") => {}
            (TableItem::ForeignKey { on_delete, .. }, "onDelete") => {
                let value = self.argument(cx, &call.arguments, 0)?;
                *on_delete = self.action(m, call.span, Some(&value))?;
            }
            (TableItem::ForeignKey { on_update, .. }, "onUpdate") => {
                let value = self.argument(cx, &call.arguments, 0)?;
                *on_update = self.action(m, call.span, Some(&value))?;
            }
            _ => {
                return self.fail(m, method_span, |s| {
                    diagnostics::unknown_table_method(s, function, method)
                });
            }
        }
        Ok(Value::TableItem(item))
    }

    // -----------------------------------------------------------------------
    // mysqlTable
    // -----------------------------------------------------------------------

    /// `mysqlTable(name, columns, extra?)`, or a table creator's function
    /// (`creator` maps the name).
    pub fn mysql_table<'s>(
        &mut self,
        cx: &Cx<'a>,
        call: &'s CallExpression<'s>,
        creator: Option<&Closure<'a>>,
        schema: Option<String>,
    ) -> EvalResult<'a> {
        let m = cx.module;
        let mut name = self.argument(cx, &call.arguments, 0)?;
        if let Some(creator) = creator {
            name = self.call_closure(creator, vec![name])?;
        }
        let name = match name {
            Value::String(name) => name,
            other => {
                let detail = format!("the table name must be a string, not {}", other.kind());
                return Err(self.bad_argument(m, call.span, "mysqlTable", &other, &detail));
            }
        };
        self.push_table(&name);
        let columns = self.table_columns(cx, call, &name);
        let extra = match call.arguments.get(2) {
            None => None,
            Some(_) => match self.argument(cx, &call.arguments, 2) {
                Ok(Value::Undefined) => None,
                Ok(value @ Value::Function(_)) => Some(Located {
                    value,
                    module: m,
                    span: argument_span(&call.arguments[2..], call.span),
                }),
                Ok(_) => {
                    let error =
                        self.error(m, argument_span(&call.arguments[2..], call.span), |s| {
                            diagnostics::invalid_argument(
                                s,
                                "mysqlTable",
                                "the third argument must be a callback `(t) => [...]`",
                            )
                        });
                    self.report(error);
                    None
                }
                Err(error) => {
                    self.report(error);
                    None
                }
            },
        };
        self.pop_table();
        let id: TableId = self.tables.len();
        self.tables.push(TableData {
            name,
            module: m,
            span: call.span,
            columns,
            extra,
            schema,
        });
        Ok(Value::Table(id))
    }

    /// The columns object (or callback), entry by entry; bad entries are
    /// reported and left out.
    fn table_columns<'s>(
        &mut self,
        cx: &Cx<'a>,
        call: &'s CallExpression<'s>,
        table_name: &str,
    ) -> Vec<ColumnData<'a>> {
        let m = cx.module;
        let entries = match call.arguments.get(1) {
            Some(Argument::SpreadElement(spread)) => Entries::Whole(
                spread.span,
                self.fail(m, spread.span, diagnostics::spread_not_supported),
            ),
            Some(argument) => match argument.as_expression() {
                Some(expr) => self.eval_entries(cx, expr),
                None => Entries::Whole(call.span, Ok(Value::Undefined)),
            },
            None => Entries::Whole(call.span, Ok(Value::Undefined)),
        };
        let entries = match entries {
            Entries::Whole(_, Ok(Value::Function(closure))) => {
                self.closure_entries(&closure, vec![Value::Namespace(Namespace::MysqlCore)])
            }
            other => other,
        };
        let list = match entries {
            Entries::Object(list) => list,
            Entries::Whole(span, Ok(Value::Object(object))) => object
                .iter()
                .map(|(key, value)| super::Entry {
                    key: Some(key.clone()),
                    span,
                    value: Ok(value.clone()),
                })
                .collect(),
            Entries::Whole(_, Err(error)) => {
                self.report(error);
                return Vec::new();
            }
            Entries::Whole(span, Ok(other)) => {
                let detail = format!("the columns must be an object, not {}", other.kind());
                let error = self.error(m, span, |s| {
                    diagnostics::invalid_argument(s, "mysqlTable", &detail)
                });
                self.report(error);
                return Vec::new();
            }
            Entries::Array(list) => {
                let span = list.first().map_or(call.span, |e| e.span);
                let error = self.error(m, span, |s| {
                    diagnostics::invalid_argument(
                        s,
                        "mysqlTable",
                        "the columns must be an object, not an array",
                    )
                });
                self.report(error);
                return Vec::new();
            }
        };
        let mut columns = Vec::with_capacity(list.len());
        for entry in list {
            match (entry.key, entry.value) {
                (_, Err(error)) => self.report(error),
                (Some(key), Ok(Value::Column(builder))) => {
                    // What `mysqlTableWithSchema` and the `MySqlColumn`
                    // constructor (drizzle-orm/src/mysql-core/table.ts,
                    // columns/common.ts) write into the builder's config when
                    // the table is made: the key as name if it has none, and
                    // the default unique name if it has none (or '').
                    {
                        // A builder nothing else holds and without `.unique()`
                        // never reads its unique name: it is not made.
                        let only_here = Rc::strong_count(&builder) == 1;
                        let mut shared = builder.borrow_mut();
                        if shared.name.is_none() {
                            shared.name = Some(key.to_string());
                            shared.taken = None;
                        }
                        if (shared.unique.is_some() || !only_here)
                            && shared.unique_name.as_deref().is_none_or(str::is_empty)
                        {
                            let column_name = shared.name.as_deref().unwrap_or_default();
                            shared.unique_name =
                                Some([table_name, "_", column_name, "_unique"].concat());
                            shared.taken = None;
                        }
                    }
                    // The column copies the config as it is now; later
                    // modifiers change only tables made after them. A builder
                    // nothing else holds cannot change later: it is taken,
                    // not copied. A shared one is copied once per change.
                    let builder = match Rc::try_unwrap(builder) {
                        Ok(only) => {
                            let mut only = only.into_inner();
                            only.taken = None;
                            Rc::new(only)
                        }
                        Err(builder) => {
                            let mut shared = builder.borrow_mut();
                            match &shared.taken {
                                Some(copy) => Rc::clone(copy),
                                None => {
                                    let copy = Rc::new(shared.clone());
                                    shared.taken = Some(Rc::clone(&copy));
                                    copy
                                }
                            }
                        }
                    };
                    columns.push(ColumnData {
                        key,
                        span: entry.span,
                        builder,
                    });
                }
                (key, Ok(other)) => {
                    let key = key.unwrap_or_default();
                    let error = match other {
                        Value::External { name, package, .. } => self.error(m, entry.span, |s| {
                            diagnostics::external_value(s, &name, &package)
                        }),
                        _ => self.error(m, entry.span, |s| diagnostics::not_a_column(s, &key)),
                    };
                    self.report(error);
                }
            }
        }
        // JS object key order (integer-like keys first).
        let order = js::js_key_order(&columns.iter().map(|c| c.key.clone()).collect::<Vec<_>>());
        let mut slots: Vec<Option<ColumnData<'a>>> = columns.into_iter().map(Some).collect();
        order
            .into_iter()
            .filter_map(|i| slots.get_mut(i).and_then(Option::take))
            .collect()
    }

    /// `table.key` → the column.
    pub fn table_member(
        &mut self,
        module: ModuleId,
        table: TableId,
        name: &str,
        span: Span,
    ) -> EvalResult<'a> {
        let data = &self.tables[table];
        match data.columns.iter().position(|c| c.key == name) {
            Some(column) => Ok(Value::ColumnRef { table, column }),
            None => {
                let table_name = data.name.clone();
                self.fail(module, span, |s| {
                    diagnostics::unknown_column(s, &table_name, name)
                })
            }
        }
    }
}

/// Reads the options of a builder config object.
struct Options<'e, 'a> {
    ev: &'e Evaluator<'a>,
    module: ModuleId,
    span: Span,
    builder: &'e str,
    config: &'e Object<'a>,
}

impl<'a> Options<'_, 'a> {
    fn flag(&self, key: &str) -> Result<bool, EvalError> {
        match self.config.get(key) {
            None | Some(Value::Undefined) => Ok(false),
            Some(value @ (Value::Bool(_) | Value::Null | Value::Number(_) | Value::String(_))) => {
                Ok(value.truthy())
            }
            Some(other) => {
                let detail = format!("`{key}` must be a boolean, not {}", other.kind());
                Err(self
                    .ev
                    .bad_argument(self.module, self.span, self.builder, other, &detail))
            }
        }
    }

    /// A numeric option, as the text JS would interpolate into the type.
    fn number(&self, key: &str) -> Result<Option<String>, EvalError> {
        match self.config.get(key) {
            None | Some(Value::Undefined) => Ok(None),
            Some(Value::Number(n)) => Ok(Some(js::number_to_string(*n))),
            Some(other) => {
                let detail = format!("`{key}` must be a number, not {}", other.kind());
                Err(self
                    .ev
                    .bad_argument(self.module, self.span, self.builder, other, &detail))
            }
        }
    }
}

/// Span of the first argument, or of the call when there is none.
fn argument_span(arguments: &[Argument<'_>], fallback: Span) -> Span {
    arguments.first().map_or(fallback, GetSpan::span)
}
