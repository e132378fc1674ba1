//! A small JavaScript/TypeScript evaluator over the oxc AST.
//!
//! It evaluates module-level bindings lazily (on first use, then cached),
//! follows relative imports into other files, and knows the drizzle builders
//! as built-in functions (see [`drizzle`]). Function values are closures over
//! their parameters; the drizzle callbacks (`(t) => ({...})`,
//! `references(() => users.id)`) are called through [`Evaluator::call_closure`].
//! Whatever it cannot evaluate becomes an [`EvalError`] carrying a
//! [`Diagnostic`] with the exact location.
//!
//! Extension points for later work: user helper calls ([`Evaluator::call_value`]
//! refuses `Value::Function` today), spreads (`eval_object` / `eval_array`),
//! and import resolution ([`resolve_relative`]).

pub mod drizzle;
pub mod js;
pub mod table;
pub mod value;

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::rc::Rc;

use oxc_allocator::Allocator;
use oxc_ast::ast::*;
use oxc_parser::Parser;
use oxc_span::{GetSpan, SourceType, Span};

use crate::config::{Casing, EnvVars};
use crate::diagnostics::{self, Diagnostic, Site};
pub use value::{Builtin, Closure, Env, FuncBody, ModuleId, Namespace, Object, TableId, Value};
use value::{SqlTemplate, env_bind, env_lookup};

/// An expression that could not be evaluated, with its diagnostic.
#[derive(Debug, Clone)]
pub struct EvalError {
    pub diagnostic: Box<Diagnostic>,
}

pub type EvalResult<'a> = Result<Value<'a>, EvalError>;

/// Evaluation context: the module the code is in and the local bindings.
#[derive(Debug, Clone)]
pub struct Cx<'a> {
    pub module: ModuleId,
    pub env: Env<'a>,
}

impl<'a> Cx<'a> {
    pub fn module(module: ModuleId) -> Cx<'a> {
        Cx { module, env: None }
    }
}

#[derive(Debug, Clone, Copy)]
enum Imported<'a> {
    Named(&'a str),
    Default,
    Namespace,
}

/// A module-level declaration, not yet evaluated.
#[derive(Debug, Clone, Copy)]
enum Decl<'a> {
    Var {
        init: Option<&'a Expression<'a>>,
    },
    Import {
        source: &'a str,
        imported: Imported<'a>,
        span: Span,
    },
    Function(&'a Function<'a>),
    Enum(&'a TSEnumDeclaration<'a>),
    /// Types, interfaces, classes: values drizzle-kit never looks at.
    Ignored,
    /// A binding the reader cannot evaluate (destructuring other than
    /// `const { x } = require('pkg')`).
    Unsupported {
        span: Span,
    },
}

#[derive(Debug, Clone, Copy)]
enum Export<'a> {
    /// `export const x`, `export { x as y }`, `export default x` (identifier).
    Local {
        exported: &'a str,
        local: &'a str,
        span: Span,
    },
    /// `export default <expr>`, `exports.x = <expr>`.
    Expr {
        exported: &'a str,
        expr: &'a Expression<'a>,
    },
    /// `export { a as b } from './x'`, `export * as ns from './x'`.
    From {
        exported: &'a str,
        source: &'a str,
        imported: Imported<'a>,
        span: Span,
    },
}

#[derive(Debug, Clone)]
enum Slot<'a> {
    InProgress,
    Done(Value<'a>),
    Failed(EvalError),
}

pub struct Module<'a> {
    pub path: PathBuf,
    /// Path shown in diagnostics and sources (relative to the root).
    pub display: PathBuf,
    pub source: &'a str,
    pub lines: diagnostics::LineIndex,
    /// False when the file has syntax errors: nothing in it is trusted.
    pub syntax_ok: bool,
    bindings: HashMap<&'a str, Decl<'a>>,
    exports: Vec<Export<'a>>,
    stars: Vec<(&'a str, Span)>,
    /// `module.exports = <expr>` / `export = <expr>`.
    pub cjs_exports: Option<&'a Expression<'a>>,
    cache: HashMap<&'a str, Slot<'a>>,
    export_cache: HashMap<&'a str, Slot<'a>>,
}

pub struct Evaluator<'a> {
    alloc: &'a Allocator,
    pub root: PathBuf,
    pub modules: Vec<Module<'a>>,
    by_path: HashMap<PathBuf, ModuleId>,
    pub diagnostics: Vec<Diagnostic>,
    /// Tables with an error while they were read.
    pub incomplete: BTreeSet<String>,
    /// `Some` for config files: `process.env` is readable.
    pub env: Option<EnvVars>,
    pub casing: Option<Casing>,
    pub tables: Vec<drizzle::TableData<'a>>,
    table_stack: Vec<String>,
    depth: u32,
    /// Nested callback calls (a table creator calling itself…).
    calls: u32,
}

const MAX_DEPTH: u32 = 256;
const MAX_CALLS: u32 = 32;

impl<'a> Evaluator<'a> {
    pub fn new(alloc: &'a Allocator, root: PathBuf) -> Evaluator<'a> {
        Evaluator {
            alloc,
            root,
            modules: Vec::new(),
            by_path: HashMap::new(),
            diagnostics: Vec::new(),
            incomplete: BTreeSet::new(),
            env: None,
            casing: None,
            tables: Vec::new(),
            table_stack: Vec::new(),
            depth: 0,
            calls: 0,
        }
    }

    // -----------------------------------------------------------------------
    // Diagnostics
    // -----------------------------------------------------------------------

    pub fn site(&self, module: ModuleId, span: Span) -> Site<'_> {
        let m = &self.modules[module];
        Site {
            file: &m.path,
            source: m.source,
            start: span.start,
            end: span.end,
            table: self.table_stack.last().map(String::as_str),
        }
    }

    pub fn error(
        &self,
        module: ModuleId,
        span: Span,
        make: impl FnOnce(&Site<'_>) -> Diagnostic,
    ) -> EvalError {
        EvalError {
            diagnostic: Box::new(make(&self.site(module, span))),
        }
    }

    pub fn fail<T>(
        &self,
        module: ModuleId,
        span: Span,
        make: impl FnOnce(&Site<'_>) -> Diagnostic,
    ) -> Result<T, EvalError> {
        Err(self.error(module, span, make))
    }

    /// Records an error at a recovery point; the current table (and the
    /// table named in the diagnostic) become incomplete.
    pub fn report(&mut self, error: EvalError) {
        let mut diagnostic = *error.diagnostic;
        if diagnostic.table.is_none() {
            diagnostic.table = self.table_stack.last().cloned();
        }
        if diagnostic.is_error() {
            if let Some(table) = &diagnostic.table {
                self.incomplete.insert(table.clone());
            }
            if let Some(current) = self.table_stack.last() {
                self.incomplete.insert(current.clone());
            }
        }
        self.diagnostics.push(diagnostic);
    }

    pub fn warn(
        &mut self,
        module: ModuleId,
        span: Span,
        make: impl FnOnce(&Site<'_>) -> Diagnostic,
    ) {
        let diagnostic = make(&self.site(module, span));
        self.diagnostics.push(diagnostic);
    }

    pub fn push_table(&mut self, name: &str) {
        self.table_stack.push(name.to_string());
    }

    pub fn pop_table(&mut self) {
        self.table_stack.pop();
    }

    // -----------------------------------------------------------------------
    // Modules
    // -----------------------------------------------------------------------

    pub fn display_path(&self, path: &Path) -> PathBuf {
        let shown = path.strip_prefix(&self.root).unwrap_or(path);
        PathBuf::from(shown.to_string_lossy().replace('\\', "/"))
    }

    /// Reads and parses a file once; syntax errors become diagnostics and
    /// leave the module with `syntax_ok == false`. `Err` is an I/O reason.
    pub fn load(&mut self, path: &Path) -> Result<ModuleId, String> {
        let key = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        if let Some(id) = self.by_path.get(&key) {
            return Ok(*id);
        }
        let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
        let source: &'a str = self.alloc.alloc_str(&text);
        let id = self.modules.len();
        let display = self.display_path(path);
        if let Some(offset) = too_deep_at(source) {
            // The parser recurses per nesting level: refuse before it overflows the stack.
            let site = Site {
                file: path,
                source,
                start: offset,
                end: offset,
                table: None,
            };
            self.diagnostics.push(diagnostics::too_deep(&site));
            self.modules.push(Module {
                path: path.to_path_buf(),
                display,
                source,
                lines: diagnostics::LineIndex::new(source),
                syntax_ok: false,
                bindings: HashMap::new(),
                exports: Vec::new(),
                stars: Vec::new(),
                cjs_exports: None,
                cache: HashMap::new(),
                export_cache: HashMap::new(),
            });
            self.by_path.insert(key, id);
            return Ok(id);
        }
        let source_type = SourceType::from_path(path).unwrap_or_else(|_| SourceType::ts());
        let parsed = Parser::new(self.alloc, source, source_type).parse();
        let syntax_ok = parsed.diagnostics.is_empty() && !parsed.panicked;
        for error in parsed.diagnostics.iter() {
            let span = error
                .labels
                .iter()
                .find(|l| l.primary())
                .or_else(|| error.labels.first())
                .map_or(Span::new(0, 0), oxc_span::LabeledSpan::span);
            let site = Site {
                file: path,
                source,
                start: span.start,
                end: span.end,
                table: None,
            };
            let diagnostic =
                diagnostics::syntax_error(&site, &error.message, error.help.as_deref());
            self.diagnostics.push(diagnostic);
        }
        let program: &'a Program<'a> = self.alloc.alloc(parsed.program);
        let mut module = Module {
            path: path.to_path_buf(),
            display,
            source,
            lines: diagnostics::LineIndex::new(source),
            syntax_ok,
            bindings: HashMap::new(),
            exports: Vec::new(),
            stars: Vec::new(),
            cjs_exports: None,
            cache: HashMap::new(),
            export_cache: HashMap::new(),
        };
        if syntax_ok {
            collect_declarations(&mut module, program);
        }
        self.modules.push(module);
        self.by_path.insert(key, id);
        Ok(id)
    }

    /// Names of the module's exports (own, re-exported and `export *`),
    /// sorted as a module namespace orders them.
    pub fn export_names(&mut self, module: ModuleId) -> Vec<String> {
        let mut names = BTreeSet::new();
        let mut seen = HashSet::new();
        self.collect_export_names(module, &mut names, &mut seen, true);
        names.into_iter().collect()
    }

    fn collect_export_names(
        &mut self,
        module: ModuleId,
        names: &mut BTreeSet<String>,
        seen: &mut HashSet<ModuleId>,
        top: bool,
    ) {
        if !seen.insert(module) {
            return;
        }
        for export in self.modules[module].exports.clone() {
            let name = match export {
                Export::Local { exported, .. }
                | Export::Expr { exported, .. }
                | Export::From { exported, .. } => exported,
            };
            if top || name != "default" {
                names.insert(name.to_string());
            }
        }
        for (source, _) in self.modules[module].stars.clone() {
            if let Some(path) = resolve_relative(&self.modules[module].path, source)
                && let Ok(target) = self.load(&path)
            {
                self.collect_export_names(target, names, seen, false);
            }
        }
    }

    /// Evaluates the module's exported `const`/`let` bindings and `export
    /// default` expressions in source order, as running the module would.
    /// Column builders are mutable and shared (`Value::Column`), so which
    /// table is made first decides what each table sees; without this, the
    /// order would be that of the first use. Results and errors are cached
    /// for the later lookups by export name.
    pub fn evaluate_exports_in_source_order(&mut self, module: ModuleId) {
        let mut pending: Vec<(u32, Export<'a>)> = Vec::new();
        let mut seen = HashSet::new();
        for export in self.modules[module].exports.clone() {
            match export {
                Export::Local { local, .. } => {
                    if let Some(Decl::Var { init: Some(init) }) =
                        self.modules[module].bindings.get(local)
                        && seen.insert(local)
                    {
                        pending.push((init.span().start, export));
                    }
                }
                Export::Expr { expr, .. } => pending.push((expr.span().start, export)),
                Export::From { .. } => {}
            }
        }
        pending.sort_by_key(|(start, _)| *start);
        for (_, export) in pending {
            let _ = match export {
                Export::Local { local, span, .. } => self.binding_value(module, local, span),
                Export::Expr { exported, expr } => self.export_expr_value(module, exported, expr),
                Export::From { .. } => Ok(Value::Undefined),
            };
        }
    }

    /// What `export default` (or `module.exports =` / `export =`) of a
    /// module is, without evaluating it.
    pub fn default_export(&self, module: ModuleId) -> Option<ExportNode<'a>> {
        let m = &self.modules[module];
        for export in &m.exports {
            match *export {
                Export::Local {
                    exported: "default",
                    local,
                    ..
                } => return Some(ExportNode::Binding(local)),
                Export::Expr {
                    exported: "default",
                    expr,
                } => return Some(ExportNode::Expr(expr)),
                _ => {}
            }
        }
        m.cjs_exports.map(ExportNode::Expr)
    }

    /// Where the export `name` of a module is declared (the file start when
    /// it comes from an `export *`).
    pub fn export_span(&self, module: ModuleId, name: &str) -> Span {
        for export in &self.modules[module].exports {
            match *export {
                Export::Local { exported, span, .. } | Export::From { exported, span, .. }
                    if exported == name =>
                {
                    return span;
                }
                Export::Expr { exported, expr } if exported == name => return expr.span(),
                _ => {}
            }
        }
        Span::new(0, 0)
    }

    /// `export * from 'pkg'` of packages (not relative files, not drizzle).
    pub fn package_stars(&self, module: ModuleId) -> Vec<(&'a str, Span)> {
        self.modules[module]
            .stars
            .iter()
            .filter(|(source, _)| !is_relative(source) && !source.starts_with("drizzle-"))
            .copied()
            .collect()
    }

    /// The initializer of a module-level `const`/`let`, if that is what
    /// `name` is.
    pub fn binding_init(&self, module: ModuleId, name: &str) -> Option<&'a Expression<'a>> {
        match self.modules[module].bindings.get(name) {
            Some(Decl::Var { init }) => *init,
            _ => None,
        }
    }

    /// The value a module exports under `name`; `None` if it has no such
    /// export. `from`/`span` locate the request for diagnostics.
    pub fn export_value(
        &mut self,
        module: ModuleId,
        name: &str,
        from: ModuleId,
        span: Span,
    ) -> Result<Option<Value<'a>>, EvalError> {
        self.export_value_inner(module, name, from, span, 0)
    }

    fn export_value_inner(
        &mut self,
        module: ModuleId,
        name: &str,
        from: ModuleId,
        span: Span,
        hops: u32,
    ) -> Result<Option<Value<'a>>, EvalError> {
        if hops > 64 {
            return self.fail(from, span, |s| {
                diagnostics::unsupported_expression(s, "a re-export chain this long")
            });
        }
        if !self.modules[module].syntax_ok {
            let spec = self.modules[module].display.to_string_lossy().to_string();
            return self.fail(from, span, |s| diagnostics::imported_file_broken(s, &spec));
        }
        for export in self.modules[module].exports.clone() {
            match export {
                Export::Local {
                    exported,
                    local,
                    span: local_span,
                } if exported == name => {
                    return self.binding_value(module, local, local_span).map(Some);
                }
                Export::Expr { exported, expr } if exported == name => {
                    return self.export_expr_value(module, exported, expr).map(Some);
                }
                Export::From {
                    exported,
                    source,
                    imported,
                    span: export_span,
                } if exported == name => {
                    return self
                        .import_value(module, source, imported, export_span, hops + 1)
                        .map(Some);
                }
                _ => {}
            }
        }
        if name != "default" {
            for (source, star_span) in self.modules[module].stars.clone() {
                let Some(path) = resolve_relative(&self.modules[module].path, source) else {
                    continue;
                };
                let target = match self.load(&path) {
                    Ok(target) => target,
                    Err(_) => {
                        return self.fail(module, star_span, |s| {
                            diagnostics::import_unresolved(s, source)
                        });
                    }
                };
                if let Some(value) =
                    self.export_value_inner(target, name, module, star_span, hops + 1)?
                {
                    return Ok(Some(value));
                }
            }
        }
        Ok(None)
    }

    fn export_expr_value(
        &mut self,
        module: ModuleId,
        exported: &'a str,
        expr: &'a Expression<'a>,
    ) -> EvalResult<'a> {
        match self.modules[module].export_cache.get(exported) {
            Some(Slot::Done(value)) => return Ok(value.clone()),
            Some(Slot::Failed(error)) => return Err(error.clone()),
            Some(Slot::InProgress) => {
                return self.fail(module, expr.span(), |s| {
                    diagnostics::circular_reference(s, exported)
                });
            }
            None => {}
        }
        self.modules[module]
            .export_cache
            .insert(exported, Slot::InProgress);
        let result = self.eval(&Cx::module(module), expr);
        let slot = match &result {
            Ok(value) => Slot::Done(value.clone()),
            Err(error) => Slot::Failed(error.clone()),
        };
        self.modules[module].export_cache.insert(exported, slot);
        result
    }

    /// A module-level binding, evaluated on first use.
    pub fn binding_value(&mut self, module: ModuleId, name: &str, span: Span) -> EvalResult<'a> {
        let Some((&key, &decl)) = self.modules[module].bindings.get_key_value(name) else {
            return self.fail(module, span, |s| diagnostics::unknown_identifier(s, name));
        };
        match self.modules[module].cache.get(key) {
            Some(Slot::Done(value)) => return Ok(value.clone()),
            Some(Slot::Failed(error)) => return Err(error.clone()),
            Some(Slot::InProgress) => {
                return self.fail(module, span, |s| diagnostics::circular_reference(s, name));
            }
            None => {}
        }
        self.modules[module].cache.insert(key, Slot::InProgress);
        let result = match decl {
            Decl::Var { init: Some(init) } => self.eval(&Cx::module(module), init),
            Decl::Var { init: None } => Ok(Value::Undefined),
            Decl::Import {
                source,
                imported,
                span,
            } => self.import_value(module, source, imported, span, 0),
            Decl::Function(function) => Ok(Value::Function(Rc::new(Closure {
                module,
                span: function.span,
                name: Some(name.to_string()),
                params: &function.params,
                body: function
                    .body
                    .as_deref()
                    .map_or(FuncBody::None, FuncBody::Block),
                env: None,
            }))),
            Decl::Enum(declaration) => self.enum_value(module, declaration),
            Decl::Ignored => Ok(Value::Ignored),
            Decl::Unsupported { span } => self.fail(module, span, |s| {
                diagnostics::unsupported_expression(s, "this destructuring declaration")
            }),
        };
        let slot = match &result {
            Ok(value) => Slot::Done(value.clone()),
            Err(error) => Slot::Failed(error.clone()),
        };
        self.modules[module].cache.insert(key, slot);
        result
    }

    fn import_value(
        &mut self,
        module: ModuleId,
        source: &str,
        imported: Imported<'_>,
        span: Span,
        hops: u32,
    ) -> EvalResult<'a> {
        if let Some(value) = package_value(source, imported) {
            return Ok(value);
        }
        if !is_relative(source) {
            let name = match imported {
                Imported::Named(name) => name.to_string(),
                Imported::Default => "default".to_string(),
                Imported::Namespace => "*".to_string(),
            };
            return Ok(Value::External {
                name,
                package: source.to_string(),
                derived: false,
            });
        }
        let target = self.load_relative(module, source, span)?;
        match imported {
            Imported::Namespace => Ok(Value::Namespace(Namespace::Module(target))),
            Imported::Named(name) => self.required_export(target, name, source, module, span, hops),
            Imported::Default => {
                self.required_export(target, "default", source, module, span, hops)
            }
        }
    }

    fn required_export(
        &mut self,
        target: ModuleId,
        name: &str,
        source: &str,
        from: ModuleId,
        span: Span,
        hops: u32,
    ) -> EvalResult<'a> {
        match self.export_value_inner(target, name, from, span, hops)? {
            Some(value) => Ok(value),
            None => self.fail(from, span, |s| diagnostics::export_missing(s, name, source)),
        }
    }

    fn load_relative(
        &mut self,
        module: ModuleId,
        source: &str,
        span: Span,
    ) -> Result<ModuleId, EvalError> {
        let Some(path) = resolve_relative(&self.modules[module].path, source) else {
            return self.fail(module, span, |s| diagnostics::import_unresolved(s, source));
        };
        let target = match self.load(&path) {
            Ok(target) => target,
            Err(_) => {
                return self.fail(module, span, |s| diagnostics::import_unresolved(s, source));
            }
        };
        if !self.modules[target].syntax_ok {
            return self.fail(module, span, |s| {
                diagnostics::imported_file_broken(s, source)
            });
        }
        Ok(target)
    }

    /// A TypeScript `enum` as the object it compiles to.
    fn enum_value(
        &mut self,
        module: ModuleId,
        declaration: &'a TSEnumDeclaration<'a>,
    ) -> EvalResult<'a> {
        let mut object = Object::default();
        let mut next = Some(0f64);
        for member in &declaration.body.members {
            let key = match &member.id {
                TSEnumMemberName::Identifier(id) => id.name.as_str().to_string(),
                TSEnumMemberName::String(s) | TSEnumMemberName::ComputedString(s) => {
                    s.value.as_str().to_string()
                }
                TSEnumMemberName::ComputedTemplateString(_) => {
                    return self.fail(module, member.span, |s| {
                        diagnostics::unsupported_expression(s, "a computed enum member name")
                    });
                }
            };
            let value = match &member.initializer {
                Some(init) => self.eval(&Cx::module(module), init)?,
                None => match next {
                    Some(n) => Value::Number(n),
                    None => {
                        return self.fail(module, member.span, |s| {
                            diagnostics::type_error(s, "enum member must have an initializer")
                        });
                    }
                },
            };
            match &value {
                Value::Number(n) => {
                    next = Some(n + 1.0);
                    object.insert(js::number_to_string(*n), Value::String(key.clone()));
                }
                Value::String(_) => next = None,
                other => {
                    let kind = other.kind();
                    return self.fail(module, member.span, |s| {
                        diagnostics::unsupported_expression(
                            s,
                            &format!("an enum member that is {kind}"),
                        )
                    });
                }
            }
            object.insert(key, value);
        }
        Ok(Value::Object(object))
    }

    // -----------------------------------------------------------------------
    // Expressions
    // -----------------------------------------------------------------------

    pub fn eval(&mut self, cx: &Cx<'a>, expr: &'a Expression<'a>) -> EvalResult<'a> {
        if self.depth >= MAX_DEPTH {
            return self.fail(cx.module, expr.span(), diagnostics::too_deep);
        }
        self.depth += 1;
        let result = self.eval_inner(cx, expr);
        self.depth -= 1;
        result
    }

    fn eval_inner(&mut self, cx: &Cx<'a>, expr: &'a Expression<'a>) -> EvalResult<'a> {
        let m = cx.module;
        match expr {
            Expression::BooleanLiteral(b) => Ok(Value::Bool(b.value)),
            Expression::NullLiteral(_) => Ok(Value::Null),
            Expression::NumericLiteral(n) => Ok(Value::Number(n.value)),
            Expression::BigIntLiteral(b) => Ok(Value::BigInt(b.value.as_str().to_string())),
            Expression::StringLiteral(s) => Ok(Value::String(s.value.as_str().to_string())),
            Expression::TemplateLiteral(t) => self.eval_template(cx, t),
            Expression::Identifier(id) => self.lookup(cx, id.name.as_str(), id.span),
            Expression::ArrayExpression(array) => self.eval_array(cx, array),
            Expression::ObjectExpression(object) => self.eval_object(cx, object),
            Expression::ArrowFunctionExpression(arrow) => Ok(Value::Function(Rc::new(Closure {
                module: m,
                span: arrow.span,
                name: None,
                params: &arrow.params,
                body: match (arrow.get_expression(), arrow.get_function_body()) {
                    (Some(body), _) => FuncBody::Expr(body),
                    (None, Some(block)) => FuncBody::Block(block),
                    (None, None) => FuncBody::None,
                },
                env: cx.env.clone(),
            }))),
            Expression::FunctionExpression(function) => Ok(Value::Function(Rc::new(Closure {
                module: m,
                span: function.span,
                name: function.id.as_ref().map(|id| id.name.as_str().to_string()),
                params: &function.params,
                body: function
                    .body
                    .as_deref()
                    .map_or(FuncBody::None, FuncBody::Block),
                env: cx.env.clone(),
            }))),
            Expression::CallExpression(call) => self.eval_call(cx, call),
            Expression::NewExpression(new) => self.eval_new(cx, new),
            Expression::TaggedTemplateExpression(tagged) => self.eval_tagged(cx, tagged),
            Expression::StaticMemberExpression(member) => {
                let object = self.eval(cx, &member.object)?;
                if member.optional && object.is_nullish() {
                    return Ok(Value::Undefined);
                }
                self.member(
                    m,
                    object,
                    member.property.name.as_str(),
                    member.property.span,
                )
            }
            Expression::ComputedMemberExpression(member) => {
                let object = self.eval(cx, &member.object)?;
                if member.optional && object.is_nullish() {
                    return Ok(Value::Undefined);
                }
                let key = self.property_key(cx, &member.expression)?;
                self.member(m, object, &key, member.expression.span())
            }
            Expression::ChainExpression(chain) => match &chain.expression {
                ChainElement::CallExpression(call) => self.eval_call(cx, call),
                ChainElement::TSNonNullExpression(e) => self.eval(cx, &e.expression),
                ChainElement::StaticMemberExpression(member) => {
                    let object = self.eval(cx, &member.object)?;
                    if member.optional && object.is_nullish() {
                        return Ok(Value::Undefined);
                    }
                    self.member(
                        m,
                        object,
                        member.property.name.as_str(),
                        member.property.span,
                    )
                }
                ChainElement::ComputedMemberExpression(member) => {
                    let object = self.eval(cx, &member.object)?;
                    if member.optional && object.is_nullish() {
                        return Ok(Value::Undefined);
                    }
                    let key = self.property_key(cx, &member.expression)?;
                    self.member(m, object, &key, member.expression.span())
                }
                ChainElement::PrivateFieldExpression(e) => self.fail(m, e.span, |s| {
                    diagnostics::unsupported_expression(s, "a private field")
                }),
            },
            Expression::ParenthesizedExpression(e) => self.eval(cx, &e.expression),
            Expression::TSAsExpression(e) => self.eval(cx, &e.expression),
            Expression::TSSatisfiesExpression(e) => self.eval(cx, &e.expression),
            Expression::TSNonNullExpression(e) => self.eval(cx, &e.expression),
            Expression::TSTypeAssertion(e) => self.eval(cx, &e.expression),
            Expression::TSInstantiationExpression(e) => self.eval(cx, &e.expression),
            Expression::UnaryExpression(unary) => self.eval_unary(cx, unary),
            Expression::BinaryExpression(binary) => self.eval_binary(cx, binary),
            Expression::LogicalExpression(logical) => {
                let left = self.eval(cx, &logical.left)?;
                let take_left = match logical.operator {
                    LogicalOperator::Coalesce => !left.is_nullish(),
                    LogicalOperator::Or => left.truthy(),
                    LogicalOperator::And => !left.truthy(),
                };
                if take_left {
                    Ok(left)
                } else {
                    self.eval(cx, &logical.right)
                }
            }
            Expression::ConditionalExpression(conditional) => {
                let test = self.eval(cx, &conditional.test)?;
                if let Value::EnvMissing { .. } = test {
                    return Ok(test);
                }
                if test.truthy() {
                    self.eval(cx, &conditional.consequent)
                } else {
                    self.eval(cx, &conditional.alternate)
                }
            }
            other => {
                let what = describe_expression(other);
                self.fail(m, other.span(), |s| {
                    diagnostics::unsupported_expression(s, what)
                })
            }
        }
    }

    fn lookup(&mut self, cx: &Cx<'a>, name: &str, span: Span) -> EvalResult<'a> {
        if let Some(value) = env_lookup(&cx.env, name) {
            return Ok(value);
        }
        if self.modules[cx.module].bindings.contains_key(name) {
            return self.binding_value(cx.module, name, span);
        }
        Ok(match name {
            "undefined" => Value::Undefined,
            "NaN" => Value::Number(f64::NAN),
            "Infinity" => Value::Number(f64::INFINITY),
            "Object" => Value::Builtin(Builtin::ObjectCtor),
            "Number" => Value::Builtin(Builtin::NumberFn),
            "String" => Value::Builtin(Builtin::StringFn),
            "parseInt" => Value::Builtin(Builtin::ParseInt),
            "parseFloat" => Value::Builtin(Builtin::ParseFloat),
            "Date" => Value::Builtin(Builtin::DateCtor),
            "process" => Value::Builtin(Builtin::Process),
            "require" => Value::Builtin(Builtin::Require),
            _ => {
                return self.fail(cx.module, span, |s| {
                    diagnostics::unknown_identifier(s, name)
                });
            }
        })
    }

    fn property_key(&mut self, cx: &Cx<'a>, expr: &'a Expression<'a>) -> Result<String, EvalError> {
        let key = self.eval(cx, expr)?;
        match key {
            Value::String(s) => Ok(s),
            Value::Number(n) => Ok(js::number_to_string(n)),
            other => {
                let what = format!("a property key that is {}", other.kind());
                self.fail(cx.module, expr.span(), |s| {
                    diagnostics::unsupported_expression(s, &what)
                })
            }
        }
    }

    fn eval_template(&mut self, cx: &Cx<'a>, template: &'a TemplateLiteral<'a>) -> EvalResult<'a> {
        let mut out = String::new();
        for (i, quasi) in template.quasis.iter().enumerate() {
            let Some(cooked) = &quasi.value.cooked else {
                return self.fail(cx.module, quasi.span, |s| {
                    diagnostics::unsupported_expression(s, "a template with an invalid escape")
                });
            };
            out.push_str(cooked.as_str());
            if let Some(expr) = template.expressions.get(i) {
                let value = self.eval(cx, expr)?;
                if let Value::EnvMissing { .. } = value {
                    return Ok(value);
                }
                match value.to_js_string() {
                    Some(text) => out.push_str(&text),
                    None => {
                        let what = format!("a template literal interpolating {}", value.kind());
                        return self.fail(cx.module, expr.span(), |s| {
                            diagnostics::unsupported_expression(s, &what)
                        });
                    }
                }
            }
        }
        Ok(Value::String(out))
    }

    pub fn eval_array(&mut self, cx: &Cx<'a>, array: &'a ArrayExpression<'a>) -> EvalResult<'a> {
        let mut items = Vec::with_capacity(array.elements.len());
        for element in &array.elements {
            items.push(self.eval_array_element(cx, element)?);
        }
        Ok(Value::Array(items))
    }

    pub fn eval_array_element(
        &mut self,
        cx: &Cx<'a>,
        element: &'a ArrayExpressionElement<'a>,
    ) -> EvalResult<'a> {
        match element {
            ArrayExpressionElement::SpreadElement(spread) => {
                self.fail(cx.module, spread.span, diagnostics::spread_not_supported)
            }
            ArrayExpressionElement::Elision(_) => Ok(Value::Undefined),
            other => match other.as_expression() {
                Some(expr) => self.eval(cx, expr),
                None => Ok(Value::Undefined),
            },
        }
    }

    pub fn eval_object(&mut self, cx: &Cx<'a>, object: &'a ObjectExpression<'a>) -> EvalResult<'a> {
        let mut out = Object::default();
        for property in &object.properties {
            let (key, value) = self.eval_property(cx, property)?;
            out.insert(key, value);
        }
        Ok(Value::Object(out))
    }

    pub fn eval_property(
        &mut self,
        cx: &Cx<'a>,
        property: &'a ObjectPropertyKind<'a>,
    ) -> Result<(String, Value<'a>), EvalError> {
        match property {
            ObjectPropertyKind::SpreadProperty(spread) => {
                self.fail(cx.module, spread.span, diagnostics::spread_not_supported)
            }
            ObjectPropertyKind::ObjectProperty(p) => {
                let key = self.object_key(cx, p)?;
                if p.kind != PropertyKind::Init {
                    return self.fail(cx.module, p.span, |s| {
                        diagnostics::unsupported_expression(s, "a getter or setter")
                    });
                }
                let value = self.eval(cx, &p.value)?;
                Ok((key, value))
            }
        }
    }

    pub fn object_key(
        &mut self,
        cx: &Cx<'a>,
        p: &'a ObjectProperty<'a>,
    ) -> Result<String, EvalError> {
        if p.computed {
            match p.key.as_expression() {
                Some(expr) => self.property_key(cx, expr),
                None => self.fail(cx.module, p.key.span(), |s| {
                    diagnostics::unsupported_expression(s, "this property key")
                }),
            }
        } else {
            match p.key.static_name() {
                Some(name) => Ok(name.to_string()),
                None => self.fail(cx.module, p.key.span(), |s| {
                    diagnostics::unsupported_expression(s, "this property key")
                }),
            }
        }
    }

    fn eval_unary(&mut self, cx: &Cx<'a>, unary: &'a UnaryExpression<'a>) -> EvalResult<'a> {
        let value = self.eval(cx, &unary.argument)?;
        if let Value::EnvMissing { .. } = value {
            return Ok(value);
        }
        match unary.operator {
            UnaryOperator::LogicalNot => Ok(Value::Bool(!value.truthy())),
            UnaryOperator::Void => Ok(Value::Undefined),
            UnaryOperator::UnaryNegation if matches!(value, Value::BigInt(_)) => match value {
                Value::BigInt(digits) => Ok(Value::BigInt(format!("-{digits}"))),
                _ => Ok(Value::Undefined),
            },
            UnaryOperator::UnaryNegation | UnaryOperator::UnaryPlus => match value.to_js_number() {
                Some(n) if unary.operator == UnaryOperator::UnaryNegation => Ok(Value::Number(-n)),
                Some(n) => Ok(Value::Number(n)),
                None => {
                    let what = format!("a sign applied to {}", value.kind());
                    self.fail(cx.module, unary.span, |s| {
                        diagnostics::unsupported_expression(s, &what)
                    })
                }
            },
            _ => self.fail(cx.module, unary.span, |s| {
                diagnostics::unsupported_expression(s, "this unary operator")
            }),
        }
    }

    fn eval_binary(&mut self, cx: &Cx<'a>, binary: &'a BinaryExpression<'a>) -> EvalResult<'a> {
        let left = self.eval(cx, &binary.left)?;
        let right = self.eval(cx, &binary.right)?;
        for side in [&left, &right] {
            if let Value::EnvMissing { .. } = side
                && !matches!(
                    binary.operator,
                    BinaryOperator::StrictEquality
                        | BinaryOperator::StrictInequality
                        | BinaryOperator::Equality
                        | BinaryOperator::Inequality
                )
            {
                return Ok(side.clone());
            }
        }
        let unsupported = |this: &Self| {
            this.fail(cx.module, binary.span, |s| {
                diagnostics::unsupported_expression(s, "this binary expression")
            })
        };
        match binary.operator {
            BinaryOperator::Addition => {
                if matches!(left, Value::String(_)) || matches!(right, Value::String(_)) {
                    match (left.to_js_string(), right.to_js_string()) {
                        (Some(a), Some(b)) => Ok(Value::String(a + &b)),
                        _ => unsupported(self),
                    }
                } else {
                    match (number_operand(&left), number_operand(&right)) {
                        (Some(a), Some(b)) => Ok(Value::Number(a + b)),
                        _ => unsupported(self),
                    }
                }
            }
            BinaryOperator::Subtraction
            | BinaryOperator::Multiplication
            | BinaryOperator::Division
            | BinaryOperator::Remainder
            | BinaryOperator::Exponential => {
                match (number_operand(&left), number_operand(&right)) {
                    (Some(a), Some(b)) => Ok(Value::Number(match binary.operator {
                        BinaryOperator::Subtraction => a - b,
                        BinaryOperator::Multiplication => a * b,
                        BinaryOperator::Division => a / b,
                        BinaryOperator::Remainder => a % b,
                        _ => a.powf(b),
                    })),
                    _ => unsupported(self),
                }
            }
            BinaryOperator::StrictEquality | BinaryOperator::StrictInequality => {
                let Some(equal) = strict_equals(&left, &right) else {
                    return unsupported(self);
                };
                Ok(Value::Bool(
                    equal == (binary.operator == BinaryOperator::StrictEquality),
                ))
            }
            BinaryOperator::Equality | BinaryOperator::Inequality => {
                let equal = if left.is_nullish() || right.is_nullish() {
                    Some(left.is_nullish() && right.is_nullish())
                } else {
                    strict_equals(&left, &right)
                };
                let Some(equal) = equal else {
                    return unsupported(self);
                };
                Ok(Value::Bool(
                    equal == (binary.operator == BinaryOperator::Equality),
                ))
            }
            _ => unsupported(self),
        }
    }

    fn eval_new(&mut self, cx: &Cx<'a>, new: &'a NewExpression<'a>) -> EvalResult<'a> {
        let callee = self.eval(cx, &new.callee)?;
        if let Value::External { name, package, .. } = callee {
            return Ok(Value::External {
                name: format!("new {name}()"),
                package,
                derived: true,
            });
        }
        if !matches!(callee, Value::Builtin(Builtin::DateCtor)) {
            return self.fail(cx.module, new.span, |s| {
                diagnostics::unsupported_expression(s, "`new` of anything but `Date`")
            });
        }
        if new.arguments.len() != 1 {
            return self.fail(cx.module, new.span, |s| {
                diagnostics::unsupported_expression(
                    s,
                    "`new Date(...)` without exactly one argument (its value depends on when drizzle-kit runs)",
                )
            });
        }
        let argument = self.argument(cx, &new.arguments, 0)?;
        match argument {
            Value::String(text) => match js::parse_date(&text) {
                Some(parsed) => {
                    if parsed.local_time {
                        self.warn(cx.module, new.span, diagnostics::local_time_date);
                    }
                    Ok(Value::Date(parsed.epoch_ms))
                }
                None => self.fail(cx.module, new.span, |s| {
                    diagnostics::unsupported_expression(s, "this date string (not ISO 8601)")
                }),
            },
            Value::Number(ms) => Ok(Value::Date(ms)),
            Value::Date(ms) => Ok(Value::Date(ms)),
            other => {
                let what = format!("`new Date(...)` of {}", other.kind());
                self.fail(cx.module, new.span, |s| {
                    diagnostics::unsupported_expression(s, &what)
                })
            }
        }
    }

    fn eval_tagged(
        &mut self,
        cx: &Cx<'a>,
        tagged: &'a TaggedTemplateExpression<'a>,
    ) -> EvalResult<'a> {
        let tag = self.eval(cx, &tagged.tag)?;
        if !matches!(tag, Value::Builtin(Builtin::Sql)) {
            if let Value::External { name, package, .. } = tag {
                return Ok(Value::External {
                    name: format!("{name}`...`"),
                    package,
                    derived: true,
                });
            }
            return self.fail(cx.module, tagged.span, |s| {
                diagnostics::unsupported_expression(s, "a tagged template other than `sql`")
            });
        }
        let mut template = SqlTemplate::default();
        for (i, quasi) in tagged.quasi.quasis.iter().enumerate() {
            let Some(cooked) = &quasi.value.cooked else {
                return self.fail(cx.module, quasi.span, |s| {
                    diagnostics::unsupported_expression(s, "a template with an invalid escape")
                });
            };
            if !cooked.is_empty() {
                template
                    .chunks
                    .push(value::SqlChunk::Text(cooked.as_str().to_string()));
            }
            if let Some(expr) = tagged.quasi.expressions.get(i) {
                let value = self.eval(cx, expr)?;
                template.push_value(value);
            }
        }
        Ok(Value::Sql(template))
    }

    /// The `index`-th call argument (`undefined` when absent).
    pub fn argument(
        &mut self,
        cx: &Cx<'a>,
        arguments: &'a [Argument<'a>],
        index: usize,
    ) -> EvalResult<'a> {
        match arguments.get(index) {
            None => Ok(Value::Undefined),
            Some(Argument::SpreadElement(spread)) => {
                self.fail(cx.module, spread.span, diagnostics::spread_not_supported)
            }
            Some(other) => match other.as_expression() {
                Some(expr) => self.eval(cx, expr),
                None => Ok(Value::Undefined),
            },
        }
    }

    pub fn arguments(
        &mut self,
        cx: &Cx<'a>,
        arguments: &'a [Argument<'a>],
    ) -> Result<Vec<Value<'a>>, EvalError> {
        let mut values = Vec::with_capacity(arguments.len());
        for i in 0..arguments.len() {
            values.push(self.argument(cx, arguments, i)?);
        }
        Ok(values)
    }

    fn member(
        &mut self,
        module: ModuleId,
        object: Value<'a>,
        name: &str,
        span: Span,
    ) -> EvalResult<'a> {
        match object {
            Value::Object(object) => Ok(object.get(name).cloned().unwrap_or(Value::Undefined)),
            Value::Array(items) => {
                if name == "length" {
                    return Ok(Value::Number(items.len() as f64));
                }
                match name.parse::<usize>() {
                    Ok(i) => Ok(items.get(i).cloned().unwrap_or(Value::Undefined)),
                    Err(_) => self.fail(module, span, |s| {
                        diagnostics::unsupported_expression(s, &format!("array property `{name}`"))
                    }),
                }
            }
            Value::String(text) if name == "length" => {
                Ok(Value::Number(text.encode_utf16().count() as f64))
            }
            Value::Table(table) => self.table_member(module, table, name, span),
            Value::Namespace(namespace) => match namespace {
                Namespace::MysqlCore => Ok(Value::Builtin(Builtin::MysqlCore(name.to_string()))),
                Namespace::DrizzleOrm | Namespace::DrizzleKit => {
                    let package = if namespace == Namespace::DrizzleOrm {
                        "drizzle-orm"
                    } else {
                        "drizzle-kit"
                    };
                    Ok(
                        package_value(package, Imported::Named(name)).unwrap_or(Value::External {
                            name: name.to_string(),
                            package: package.to_string(),
                            derived: false,
                        }),
                    )
                }
                Namespace::Module(target) => match self.export_value(target, name, module, span)? {
                    Some(value) => Ok(value),
                    None => {
                        let spec = self.modules[target].display.to_string_lossy().to_string();
                        self.fail(module, span, |s| {
                            diagnostics::export_missing(s, name, &spec)
                        })
                    }
                },
            },
            Value::Builtin(Builtin::ObjectCtor) => match name {
                "values" => Ok(Value::Builtin(Builtin::ObjectValues)),
                "freeze" => Ok(Value::Builtin(Builtin::ObjectFreeze)),
                _ => self.fail(module, span, |s| {
                    diagnostics::unsupported_expression(s, &format!("`Object.{name}`"))
                }),
            },
            Value::Builtin(Builtin::Sql) => match name {
                "raw" => Ok(Value::Builtin(Builtin::SqlRaw)),
                _ => self.fail(module, span, |s| {
                    diagnostics::not_supported_yet(s, &format!("sql.{name}"))
                }),
            },
            Value::Builtin(Builtin::Process) if name == "env" => {
                Ok(Value::Builtin(Builtin::ProcessEnv))
            }
            Value::Builtin(Builtin::ProcessEnv) => match &self.env {
                Some(env) => Ok(match env.get(name) {
                    Some(value) => Value::String(value.to_string()),
                    None => Value::EnvMissing {
                        var: name.to_string(),
                        module,
                        span,
                    },
                }),
                None => Ok(Value::External {
                    name: format!("process.env.{name}"),
                    package: "the environment".to_string(),
                    derived: true,
                }),
            },
            Value::External {
                name: base,
                package,
                ..
            } => Ok(Value::External {
                name: format!("{base}.{name}"),
                package,
                derived: true,
            }),
            Value::Undefined | Value::Null => {
                let what = format!("cannot read property `{name}` of {}", object.kind());
                self.fail(module, span, |s| diagnostics::type_error(s, &what))
            }
            other => {
                let what = format!("property `{name}` of {}", other.kind());
                self.fail(module, span, |s| {
                    diagnostics::unsupported_expression(s, &what)
                })
            }
        }
    }

    // -----------------------------------------------------------------------
    // Calls
    // -----------------------------------------------------------------------

    fn eval_call(&mut self, cx: &Cx<'a>, call: &'a CallExpression<'a>) -> EvalResult<'a> {
        let callee = call.callee.get_inner_expression();
        if let Some(member) = callee.as_member_expression() {
            let object = self.eval(cx, member.object())?;
            if member.optional() && object.is_nullish() {
                return Ok(Value::Undefined);
            }
            let (name, name_span) = match member {
                MemberExpression::StaticMemberExpression(m) => {
                    (m.property.name.as_str().to_string(), m.property.span)
                }
                MemberExpression::ComputedMemberExpression(m) => {
                    (self.property_key(cx, &m.expression)?, m.expression.span())
                }
                MemberExpression::PrivateFieldExpression(m) => {
                    return self.fail(cx.module, m.span, |s| {
                        diagnostics::unsupported_expression(s, "a private method")
                    });
                }
            };
            return match object {
                Value::Column(builder) => self.column_method(cx, builder, &name, name_span, call),
                Value::TableItem(item) => self.table_item_method(cx, *item, &name, name_span, call),
                Value::Array(_) | Value::String(_) | Value::Number(_) | Value::Sql(_) => {
                    let what = format!("method `.{name}()` of {}", object.kind());
                    self.fail(cx.module, name_span, |s| {
                        diagnostics::unsupported_expression(s, &what)
                    })
                }
                other => {
                    let function = self.member(cx.module, other, &name, name_span)?;
                    self.call_value(cx, function, call)
                }
            };
        }
        let function = self.eval(cx, callee)?;
        self.call_value(cx, function, call)
    }

    pub fn call_value(
        &mut self,
        cx: &Cx<'a>,
        function: Value<'a>,
        call: &'a CallExpression<'a>,
    ) -> EvalResult<'a> {
        let m = cx.module;
        match function {
            Value::Builtin(builtin) => match builtin {
                Builtin::MysqlCore(name) => self.drizzle_call(cx, &name, call),
                Builtin::Relations => Ok(Value::Ignored),
                Builtin::DefineConfig | Builtin::ObjectFreeze => {
                    self.argument(cx, &call.arguments, 0)
                }
                Builtin::SqlRaw => match self.argument(cx, &call.arguments, 0)? {
                    Value::String(text) => Ok(Value::Sql(SqlTemplate {
                        chunks: vec![value::SqlChunk::Text(text)],
                    })),
                    other => {
                        let what = format!("`sql.raw()` of {}", other.kind());
                        self.fail(m, call.span, |s| {
                            diagnostics::unsupported_expression(s, &what)
                        })
                    }
                },
                Builtin::ObjectValues => match self.argument(cx, &call.arguments, 0)? {
                    Value::Object(object) => Ok(Value::Array(object.values())),
                    Value::Array(items) => Ok(Value::Array(items)),
                    other => {
                        let what = format!("`Object.values()` of {}", other.kind());
                        self.fail(m, call.span, |s| {
                            diagnostics::unsupported_expression(s, &what)
                        })
                    }
                },
                Builtin::NumberFn | Builtin::StringFn | Builtin::ParseInt | Builtin::ParseFloat => {
                    let values = self.arguments(cx, &call.arguments)?;
                    self.convert(m, call.span, &builtin, &values)
                }
                Builtin::Require => match self.argument(cx, &call.arguments, 0)? {
                    Value::String(source) => {
                        if let Some(value) = package_value(&source, Imported::Namespace) {
                            return Ok(value);
                        }
                        if is_relative(&source) {
                            let target = self.load_relative(m, &source, call.span)?;
                            return Ok(Value::Namespace(Namespace::Module(target)));
                        }
                        Ok(Value::External {
                            name: "require".to_string(),
                            package: source,
                            derived: false,
                        })
                    }
                    _ => self.fail(m, call.span, |s| {
                        diagnostics::unsupported_expression(s, "`require` of a computed path")
                    }),
                },
                Builtin::Sql => self.fail(m, call.span, |s| {
                    diagnostics::unsupported_expression(s, "`sql` called as a function")
                }),
                // drizzle-orm's runtime helpers (`getTableColumns`, `eq`, …)
                // never make tables: opaque until used in a schema position.
                Builtin::DrizzleOrm(name) => Ok(Value::External {
                    name: format!("{name}()"),
                    package: "drizzle-orm".to_string(),
                    derived: true,
                }),
                Builtin::DateCtor => self.fail(m, call.span, |s| {
                    diagnostics::unsupported_expression(
                        s,
                        "`Date()` (its value depends on when drizzle-kit runs)",
                    )
                }),
                Builtin::ObjectCtor | Builtin::Process | Builtin::ProcessEnv => {
                    self.fail(m, call.span, |s| {
                        diagnostics::type_error(s, "this value is not a function")
                    })
                }
            },
            Value::TableCreator(creator) => self.mysql_table(cx, call, Some(&creator)),
            Value::Function(closure) => {
                let name = closure.name.clone().unwrap_or_else(|| {
                    match call.callee.get_inner_expression() {
                        Expression::Identifier(id) => id.name.as_str().to_string(),
                        Expression::StaticMemberExpression(m) => {
                            m.property.name.as_str().to_string()
                        }
                        _ => "(anonymous)".to_string(),
                    }
                });
                self.fail(m, call.span, |s| diagnostics::helper_call(s, &name))
            }
            Value::External { name, package, .. } => Ok(Value::External {
                name: format!("{name}()"),
                package,
                derived: true,
            }),
            other => {
                let what = format!("this value is {}, not a function", other.kind());
                self.fail(m, call.span, |s| diagnostics::type_error(s, &what))
            }
        }
    }

    fn convert(
        &mut self,
        module: ModuleId,
        span: Span,
        builtin: &Builtin,
        values: &[Value<'a>],
    ) -> EvalResult<'a> {
        let first = values.first().cloned().unwrap_or(Value::Undefined);
        if let Value::EnvMissing { .. } = first {
            return Ok(first);
        }
        let text = || first.to_js_string();
        let result = match builtin {
            Builtin::NumberFn if values.is_empty() => Some(Value::Number(0.0)),
            Builtin::NumberFn => first.to_js_number().map(Value::Number),
            Builtin::StringFn if values.is_empty() => Some(Value::String(String::new())),
            Builtin::StringFn => text().map(Value::String),
            Builtin::ParseInt => {
                let radix = match values.get(1).and_then(Value::to_js_number) {
                    Some(r) if r.is_finite() && r != 0.0 => Some(r as u32),
                    _ => None,
                };
                text().map(|t| Value::Number(js::parse_int(&t, radix)))
            }
            Builtin::ParseFloat => text().map(|t| Value::Number(js::parse_float(&t))),
            _ => None,
        };
        match result {
            Some(value) => Ok(value),
            None => {
                let what = format!("a conversion of {}", first.kind());
                self.fail(module, span, |s| {
                    diagnostics::unsupported_expression(s, &what)
                })
            }
        }
    }

    /// Calls a function value with the given arguments (used for drizzle's
    /// callbacks, never for user helpers).
    pub fn call_closure(&mut self, closure: &Closure<'a>, args: Vec<Value<'a>>) -> EvalResult<'a> {
        if self.calls >= MAX_CALLS {
            return self.fail(closure.module, closure.span, diagnostics::too_deep);
        }
        self.calls += 1;
        let result = self
            .enter_closure(closure, args)
            .and_then(|(cx, body)| match body {
                ClosureBody::Expr(expr) => self.eval(&cx, expr),
                ClosureBody::Undefined => Ok(Value::Undefined),
            });
        self.calls -= 1;
        result
    }

    /// Binds the parameters and runs the statements of a block body up to
    /// its `return`; returns the context and the returned expression.
    pub fn enter_closure(
        &mut self,
        closure: &Closure<'a>,
        args: Vec<Value<'a>>,
    ) -> Result<(Cx<'a>, ClosureBody<'a>), EvalError> {
        let m = closure.module;
        let mut cx = Cx {
            module: m,
            env: closure.env.clone(),
        };
        if let Some(rest) = &closure.params.rest {
            return self.fail(m, rest.span, |s| {
                diagnostics::unsupported_expression(s, "a rest parameter")
            });
        }
        let mut args = args.into_iter();
        for param in &closure.params.items {
            let mut value = args.next().unwrap_or(Value::Undefined);
            if matches!(value, Value::Undefined)
                && let Some(default) = &param.initializer
            {
                value = self.eval(&cx, default)?;
            }
            match &param.pattern {
                BindingPattern::BindingIdentifier(id) => {
                    cx.env = env_bind(&cx.env, id.name.as_str(), value);
                }
                other => {
                    return self.fail(m, other.span(), |s| {
                        diagnostics::unsupported_expression(s, "a destructuring parameter")
                    });
                }
            }
        }
        match closure.body {
            FuncBody::Expr(expr) => Ok((cx, ClosureBody::Expr(expr))),
            FuncBody::None => Ok((cx, ClosureBody::Undefined)),
            FuncBody::Block(body) => {
                for statement in &body.statements {
                    match statement {
                        Statement::VariableDeclaration(declaration) => {
                            for declarator in &declaration.declarations {
                                let BindingPattern::BindingIdentifier(id) = &declarator.id else {
                                    return self.fail(m, declarator.span, |s| {
                                        diagnostics::unsupported_expression(
                                            s,
                                            "a destructuring declaration",
                                        )
                                    });
                                };
                                let value = match &declarator.init {
                                    Some(init) => self.eval(&cx, init)?,
                                    None => Value::Undefined,
                                };
                                cx.env = env_bind(&cx.env, id.name.as_str(), value);
                            }
                        }
                        Statement::ReturnStatement(ret) => {
                            return Ok((
                                cx,
                                match &ret.argument {
                                    Some(expr) => ClosureBody::Expr(expr),
                                    None => ClosureBody::Undefined,
                                },
                            ));
                        }
                        Statement::EmptyStatement(_)
                        | Statement::TSTypeAliasDeclaration(_)
                        | Statement::TSInterfaceDeclaration(_) => {}
                        other => {
                            return self.fail(m, other.span(), |s| {
                                diagnostics::unsupported_expression(
                                    s,
                                    "this statement in a function body",
                                )
                            });
                        }
                    }
                }
                Ok((cx, ClosureBody::Undefined))
            }
        }
    }

    /// Evaluates an object or array literal entry by entry, so that one bad
    /// entry does not hide the others. Other expressions are evaluated whole.
    pub fn eval_entries(&mut self, cx: &Cx<'a>, expr: &'a Expression<'a>) -> Entries<'a> {
        match expr.get_inner_expression() {
            Expression::ObjectExpression(object) => Entries::Object(
                object
                    .properties
                    .iter()
                    .map(|property| {
                        let span = property.span();
                        let result = self.eval_property(cx, property);
                        match result {
                            Ok((key, value)) => Entry {
                                key: Some(key),
                                span,
                                value: Ok(value),
                            },
                            Err(e) => Entry {
                                key: property_static_key(property),
                                span,
                                value: Err(e),
                            },
                        }
                    })
                    .collect(),
            ),
            Expression::ArrayExpression(array) => Entries::Array(
                array
                    .elements
                    .iter()
                    .map(|element| Entry {
                        key: None,
                        span: element.span(),
                        value: self.eval_array_element(cx, element),
                    })
                    .collect(),
            ),
            other => Entries::Whole(other.span(), self.eval(cx, other)),
        }
    }

    /// Calls a closure and evaluates its result entry by entry.
    pub fn closure_entries(&mut self, closure: &Closure<'a>, args: Vec<Value<'a>>) -> Entries<'a> {
        match self.enter_closure(closure, args) {
            Ok((cx, ClosureBody::Expr(expr))) => self.eval_entries(&cx, expr),
            Ok((_, ClosureBody::Undefined)) => Entries::Whole(closure.span, Ok(Value::Undefined)),
            Err(e) => Entries::Whole(closure.span, Err(e)),
        }
    }
}

pub enum ExportNode<'a> {
    Expr(&'a Expression<'a>),
    Binding(&'a str),
}

pub enum ClosureBody<'a> {
    Expr(&'a Expression<'a>),
    Undefined,
}

pub struct Entry<'a> {
    pub key: Option<String>,
    pub span: Span,
    pub value: EvalResult<'a>,
}

pub enum Entries<'a> {
    Object(Vec<Entry<'a>>),
    Array(Vec<Entry<'a>>),
    Whole(Span, EvalResult<'a>),
}

fn property_static_key(property: &ObjectPropertyKind<'_>) -> Option<String> {
    match property {
        ObjectPropertyKind::ObjectProperty(p) if !p.computed => {
            p.key.static_name().map(|n| n.to_string())
        }
        _ => None,
    }
}

fn number_operand(value: &Value<'_>) -> Option<f64> {
    match value {
        Value::Number(n) => Some(*n),
        Value::Bool(_) | Value::Null | Value::Undefined => value.to_js_number(),
        _ => None,
    }
}

fn strict_equals(left: &Value<'_>, right: &Value<'_>) -> Option<bool> {
    Some(match (left, right) {
        (Value::String(a), Value::String(b)) => a == b,
        (Value::Number(a), Value::Number(b)) => a == b,
        (Value::Bool(a), Value::Bool(b)) => a == b,
        (
            Value::Undefined | Value::EnvMissing { .. },
            Value::Undefined | Value::EnvMissing { .. },
        )
        | (Value::Null, Value::Null) => true,
        (
            Value::String(_)
            | Value::Number(_)
            | Value::Bool(_)
            | Value::Null
            | Value::Undefined
            | Value::EnvMissing { .. },
            Value::String(_)
            | Value::Number(_)
            | Value::Bool(_)
            | Value::Null
            | Value::Undefined
            | Value::EnvMissing { .. },
        ) => false,
        _ => return None,
    })
}

/// Brackets nested deeper than this are refused before parsing.
const MAX_NESTING: usize = 400;

/// Offset where bracket nesting first exceeds [`MAX_NESTING`] (outside
/// strings and comments; template literals are over-counted, which is safe).
fn too_deep_at(source: &str) -> Option<u32> {
    let bytes = source.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                while i < bytes.len() && bytes[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i += 2;
                while i + 1 < bytes.len() && !(bytes[i] == b'*' && bytes[i + 1] == b'/') {
                    i += 1;
                }
                i += 1;
            }
            quote @ (b'\'' | b'"') => {
                i += 1;
                while i < bytes.len() && bytes[i] != quote && bytes[i] != b'\n' {
                    if bytes[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
            }
            b'(' | b'[' | b'{' => {
                depth += 1;
                if depth > MAX_NESTING {
                    return u32::try_from(i).ok();
                }
            }
            b')' | b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    None
}

fn is_relative(source: &str) -> bool {
    source.starts_with("./") || source.starts_with("../") || source == "." || source == ".."
}

/// Values of the packages the reader understands; `None` for any other
/// package (and for relative paths).
fn package_value<'a>(source: &str, imported: Imported<'_>) -> Option<Value<'a>> {
    let value = match (source, imported) {
        ("drizzle-orm/mysql-core", Imported::Named(name)) => {
            Value::Builtin(Builtin::MysqlCore(name.to_string()))
        }
        ("drizzle-orm/mysql-core", Imported::Namespace) => Value::Namespace(Namespace::MysqlCore),
        ("drizzle-orm", Imported::Named("sql")) => Value::Builtin(Builtin::Sql),
        ("drizzle-orm", Imported::Named("relations")) => Value::Builtin(Builtin::Relations),
        ("drizzle-orm", Imported::Named(name)) => {
            Value::Builtin(Builtin::DrizzleOrm(name.to_string()))
        }
        ("drizzle-orm", Imported::Namespace) => Value::Namespace(Namespace::DrizzleOrm),
        ("drizzle-kit", Imported::Named("defineConfig")) => Value::Builtin(Builtin::DefineConfig),
        ("drizzle-kit", Imported::Namespace) => Value::Namespace(Namespace::DrizzleKit),
        _ => return None,
    };
    Some(value)
}

/// Resolves a relative import like TypeScript does: `./x` → `./x.ts`,
/// `./x.tsx`, …, `./x/index.ts`; `./x.js` → `./x.ts` before `./x.js`.
pub fn resolve_relative(importer: &Path, specifier: &str) -> Option<PathBuf> {
    let base = importer.parent().unwrap_or_else(|| Path::new("."));
    let target = normalize_path(&base.join(specifier));
    let target_str = target.to_string_lossy().to_string();
    let mut candidates: Vec<PathBuf> = Vec::new();
    let swaps: [(&str, &[&str]); 4] = [
        (".js", &[".ts", ".tsx", ".js"]),
        (".jsx", &[".tsx", ".jsx"]),
        (".mjs", &[".mts", ".mjs"]),
        (".cjs", &[".cts", ".cjs"]),
    ];
    let mut swapped = false;
    for (ext, replacements) in swaps {
        if let Some(stem) = target_str.strip_suffix(ext) {
            for replacement in replacements {
                candidates.push(PathBuf::from(format!("{stem}{replacement}")));
            }
            swapped = true;
            break;
        }
    }
    if !swapped {
        let has_ts_ext = [".ts", ".tsx", ".mts", ".cts"]
            .iter()
            .any(|e| target_str.ends_with(e))
            && !target_str.ends_with(".d.ts");
        if has_ts_ext {
            candidates.push(target.clone());
        }
        for ext in [".ts", ".tsx", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs"] {
            candidates.push(PathBuf::from(format!("{target_str}{ext}")));
        }
        for ext in ["ts", "tsx", "mts", "cts", "js", "jsx", "mjs", "cjs"] {
            candidates.push(target.join(format!("index.{ext}")));
        }
    }
    candidates.into_iter().find(|p| p.is_file())
}

/// `a/./b/../c` → `a/c`, without touching the file system.
fn normalize_path(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

fn describe_expression(expr: &Expression<'_>) -> &'static str {
    match expr {
        Expression::AssignmentExpression(_) => "an assignment",
        Expression::AwaitExpression(_) => "`await`",
        Expression::ClassExpression(_) => "a class expression",
        Expression::ImportExpression(_) => "a dynamic `import()`",
        Expression::SequenceExpression(_) => "a comma expression",
        Expression::ThisExpression(_) => "`this`",
        Expression::UpdateExpression(_) => "`++`/`--`",
        Expression::YieldExpression(_) => "`yield`",
        Expression::RegExpLiteral(_) => "a regular expression",
        Expression::JSXElement(_) | Expression::JSXFragment(_) => "JSX",
        _ => "this expression",
    }
}

// ---------------------------------------------------------------------------
// Declarations
// ---------------------------------------------------------------------------

fn collect_declarations<'a>(module: &mut Module<'a>, program: &'a Program<'a>) {
    for statement in &program.body {
        match statement {
            Statement::ImportDeclaration(import) => {
                if import.import_kind.is_type() {
                    continue;
                }
                let source = import.source.value.as_str();
                for specifier in import.specifiers.iter().flatten() {
                    let (local, imported) = match specifier {
                        ImportDeclarationSpecifier::ImportSpecifier(s) => {
                            if s.import_kind.is_type() {
                                continue;
                            }
                            (
                                s.local.name.as_str(),
                                Imported::Named(s.imported.name().as_str()),
                            )
                        }
                        ImportDeclarationSpecifier::ImportDefaultSpecifier(s) => {
                            (s.local.name.as_str(), Imported::Default)
                        }
                        ImportDeclarationSpecifier::ImportNamespaceSpecifier(s) => {
                            (s.local.name.as_str(), Imported::Namespace)
                        }
                    };
                    module.bindings.insert(
                        local,
                        Decl::Import {
                            source,
                            imported,
                            span: specifier.span(),
                        },
                    );
                }
            }
            Statement::ExportNamedDeclaration(export) => {
                if export.export_kind.is_type() {
                    continue;
                }
                for specifier in &export.specifiers {
                    if specifier.export_kind.is_type() {
                        continue;
                    }
                    module.exports.push(Export::Local {
                        exported: specifier.exported.name().as_str(),
                        local: specifier.local.name().as_str(),
                        span: specifier.span,
                    });
                }
            }
            Statement::ExportFromDeclaration(export) => {
                if export.export_kind.is_type() {
                    continue;
                }
                for specifier in &export.specifiers {
                    if specifier.export_kind.is_type() {
                        continue;
                    }
                    let local = specifier.local.name().as_str();
                    module.exports.push(Export::From {
                        exported: specifier.exported.name().as_str(),
                        source: export.source.value.as_str(),
                        imported: if local == "default" {
                            Imported::Default
                        } else {
                            Imported::Named(local)
                        },
                        span: specifier.span,
                    });
                }
            }
            Statement::ExportAllDeclaration(export) => {
                if export.export_kind.is_type() {
                    continue;
                }
                match &export.exported {
                    Some(name) => module.exports.push(Export::From {
                        exported: name.name().as_str(),
                        source: export.source.value.as_str(),
                        imported: Imported::Namespace,
                        span: export.span,
                    }),
                    None => module
                        .stars
                        .push((export.source.value.as_str(), export.span)),
                }
            }
            Statement::ExportDefaultDeclaration(export) => match &export.declaration {
                ExportDefaultDeclarationKind::FunctionDeclaration(function) => {
                    if let Some(id) = &function.id {
                        module
                            .bindings
                            .insert(id.name.as_str(), Decl::Function(function));
                        module.exports.push(Export::Local {
                            exported: "default",
                            local: id.name.as_str(),
                            span: id.span,
                        });
                    }
                }
                ExportDefaultDeclarationKind::ClassDeclaration(_)
                | ExportDefaultDeclarationKind::TSInterfaceDeclaration(_) => {}
                other => {
                    if let Some(expr) = other.as_expression() {
                        module.exports.push(Export::Expr {
                            exported: "default",
                            expr,
                        });
                    }
                }
            },
            Statement::ExportDeclaration(export) => {
                for (name, span) in declare(module, &export.declaration) {
                    module.exports.push(Export::Local {
                        exported: name,
                        local: name,
                        span,
                    });
                }
            }
            Statement::TSExportAssignment(assignment) => {
                module.cjs_exports = Some(&assignment.expression);
            }
            Statement::ExpressionStatement(statement) => {
                if let Expression::AssignmentExpression(assignment) = &statement.expression {
                    collect_cjs_assignment(module, assignment);
                }
            }
            other => {
                if let Some(declaration) = other.as_declaration() {
                    declare(module, declaration);
                }
            }
        }
    }
}

/// `module.exports = x`, `module.exports.a = x`, `exports.a = x`.
fn collect_cjs_assignment<'a>(module: &mut Module<'a>, assignment: &'a AssignmentExpression<'a>) {
    let AssignmentTarget::StaticMemberExpression(target) = &assignment.left else {
        return;
    };
    let property = target.property.name.as_str();
    let object = target.object.get_inner_expression();
    let is_module = matches!(object, Expression::Identifier(id) if id.name.as_str() == "module");
    let is_exports = matches!(object, Expression::Identifier(id) if id.name.as_str() == "exports")
        || matches!(object, Expression::StaticMemberExpression(m)
            if m.property.name.as_str() == "exports"
                && matches!(&m.object, Expression::Identifier(id) if id.name.as_str() == "module"));
    if is_module && property == "exports" {
        module.cjs_exports = Some(&assignment.right);
    } else if is_exports {
        module.exports.push(Export::Expr {
            exported: property,
            expr: &assignment.right,
        });
    }
}

/// Registers the bindings of a declaration; returns the value names it binds.
fn declare<'a>(module: &mut Module<'a>, declaration: &'a Declaration<'a>) -> Vec<(&'a str, Span)> {
    let mut names = Vec::new();
    match declaration {
        Declaration::VariableDeclaration(variables) => {
            for declarator in &variables.declarations {
                match &declarator.id {
                    BindingPattern::BindingIdentifier(id) => {
                        module.bindings.insert(
                            id.name.as_str(),
                            Decl::Var {
                                init: declarator.init.as_ref(),
                            },
                        );
                        names.push((id.name.as_str(), id.span));
                    }
                    BindingPattern::ObjectPattern(pattern) => {
                        let required = declarator.init.as_ref().and_then(require_source);
                        for property in &pattern.properties {
                            let BindingPattern::BindingIdentifier(local) = &property.value else {
                                continue;
                            };
                            let decl =
                                match (required, property.key.static_name(), property.computed) {
                                    (
                                        Some(source),
                                        Some(std::borrow::Cow::Borrowed(key)),
                                        false,
                                    ) => Decl::Import {
                                        source,
                                        imported: Imported::Named(key),
                                        span: property.span,
                                    },
                                    _ => Decl::Unsupported {
                                        span: property.span,
                                    },
                                };
                            module.bindings.insert(local.name.as_str(), decl);
                            names.push((local.name.as_str(), local.span));
                        }
                    }
                    other => {
                        for id in other.get_binding_identifiers() {
                            module
                                .bindings
                                .insert(id.name.as_str(), Decl::Unsupported { span: other.span() });
                            names.push((id.name.as_str(), id.span));
                        }
                    }
                }
            }
        }
        Declaration::FunctionDeclaration(function) => {
            if let Some(id) = &function.id {
                module
                    .bindings
                    .insert(id.name.as_str(), Decl::Function(function));
                names.push((id.name.as_str(), id.span));
            }
        }
        Declaration::ClassDeclaration(class) => {
            if let Some(id) = &class.id {
                module.bindings.insert(id.name.as_str(), Decl::Ignored);
                names.push((id.name.as_str(), id.span));
            }
        }
        Declaration::TSEnumDeclaration(declaration) => {
            module
                .bindings
                .insert(declaration.id.name.as_str(), Decl::Enum(declaration));
            names.push((declaration.id.name.as_str(), declaration.id.span));
        }
        // Types and ambient declarations bind no runtime value.
        _ => {}
    }
    names
}

/// `require('pkg')` → `pkg`.
fn require_source<'a>(init: &'a Expression<'a>) -> Option<&'a str> {
    let Expression::CallExpression(call) = init.get_inner_expression() else {
        return None;
    };
    let Expression::Identifier(callee) = &call.callee else {
        return None;
    };
    if callee.name.as_str() != "require" || call.arguments.len() != 1 {
        return None;
    }
    match call.arguments.first() {
        Some(Argument::StringLiteral(s)) => Some(s.value.as_str()),
        _ => None,
    }
}
