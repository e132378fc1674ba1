//! A small JavaScript/TypeScript evaluator over the oxc AST.
//!
//! It evaluates module-level bindings lazily (on first use, then cached),
//! follows relative imports into other files, and knows the drizzle builders
//! as built-in functions (see [`drizzle`]). Function values are closures over
//! their parameters and module; user helpers and drizzle callbacks
//! (`(t) => ({...})`, `references(() => users.id)`) are called through
//! [`Evaluator::call_closure`], running declarations, `if`/`else` on known
//! conditions and `return`. Spreads, destructuring, template literals and the
//! common `Object`/array/string helpers are evaluated; imports resolve
//! relative paths and tsconfig `paths`/`baseUrl` aliases ([`tsconfig`]).
//! Whatever it cannot evaluate (a condition on a runtime value, a loop, a
//! call into another package) becomes an [`EvalError`] carrying a
//! [`Diagnostic`] with the exact location.
//!
//! Memory: each module owns its AST (`OwnedAst`: the parser's arena and
//! what the module declares). Values never point into it: the functions
//! that walk the AST take it with its own lifetime (`'s`), names are slices
//! of the source text (which lives as long as the evaluator, `'a`), and a
//! function value copies its code into the evaluator's arena. So a module
//! can let go of its AST once its exports are evaluated
//! ([`Evaluator::release_ast`]); a later need parses the file again.

pub mod drizzle;
pub mod js;
pub mod table;
pub mod tsconfig;
pub mod value;

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use oxc_allocator::{Allocator, CloneIn};
use oxc_ast::ast::*;
use oxc_parser::Parser;
use oxc_span::{GetSpan, SourceType, Span};
use rustc_hash::{FxHashMap, FxHashSet};

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

/// A module-level declaration in the AST, not yet evaluated.
#[derive(Debug, Clone, Copy)]
enum Decl<'s> {
    Var {
        init: Option<&'s Expression<'s>>,
    },
    Import {
        source: &'s str,
        imported: Imported<'s>,
        span: Span,
    },
    Function(&'s Function<'s>),
    Enum(&'s TSEnumDeclaration<'s>),
    /// Types, interfaces, classes: values drizzle-kit never looks at.
    Ignored,
    /// A binding the reader cannot evaluate.
    Unsupported {
        span: Span,
    },
    /// `const { a, b: [c] } = init`: one of the names of a destructuring
    /// declaration (the initializer is evaluated once for all of them).
    Pattern {
        init: &'s Expression<'s>,
        pattern: &'s BindingPattern<'s>,
    },
}

/// An export as the AST declares it.
#[derive(Debug, Clone, Copy)]
enum Export<'s> {
    /// `export const x`, `export { x as y }`, `export default x` (identifier).
    Local {
        exported: &'s str,
        local: &'s str,
        span: Span,
    },
    /// `export default <expr>`, `exports.x = <expr>`.
    Expr {
        exported: &'s str,
        expr: &'s Expression<'s>,
    },
    /// `export { a as b } from './x'`, `export * as ns from './x'`.
    From {
        exported: &'s str,
        source: &'s str,
        imported: Imported<'s>,
        span: Span,
    },
}

/// What the statements of a module declare, pointing into its AST.
#[derive(Debug, Default)]
struct Declarations<'s> {
    bindings: FxHashMap<&'s str, Decl<'s>>,
    exports: Vec<Export<'s>>,
    stars: Vec<(&'s str, Span)>,
    /// `module.exports = <expr>` / `export = <expr>`.
    cjs_exports: Option<&'s Expression<'s>>,
    runtime_statements: Vec<(Span, &'static str)>,
}

/// A module-level name as far as it is known without the AST: imports are
/// complete; declarations by code (`const`, `function`, `enum`…) are in
/// the AST ([`Decl`]).
#[derive(Debug, Clone, Copy)]
enum Binding<'a> {
    Import {
        source: &'a str,
        imported: Imported<'a>,
        span: Span,
    },
    Ignored,
    Unsupported {
        span: Span,
    },
    Code,
}

/// An export as far as it is known without the AST.
#[derive(Debug, Clone, Copy)]
enum ExportEntry<'a> {
    Local {
        exported: &'a str,
        local: &'a str,
        span: Span,
    },
    /// The expression (at `span`) is in the AST.
    Expr { exported: &'a str, span: Span },
    From {
        exported: &'a str,
        source: &'a str,
        imported: Imported<'a>,
        span: Span,
    },
}

/// A closure's parameters and body, in the evaluator's arena.
type Code<'a> = (&'a FormalParameters<'a>, FuncBody<'a>);

#[derive(Debug, Clone)]
enum Slot<'a> {
    InProgress,
    Done(Value<'a>),
    Failed(EvalError),
}

/// The parser's arena, and the source it parsed (which lives longer).
struct AstOwner<'a> {
    arena: Allocator,
    source: &'a str,
    source_type: SourceType,
}

/// A syntax error, as the parser reported it.
#[derive(Debug, Clone)]
struct SyntaxError {
    span: Span,
    message: String,
    help: Option<String>,
}

/// What a module's AST holds: its declarations, pointing into the arena.
struct Parsed<'s> {
    declarations: Declarations<'s>,
    errors: Vec<SyntaxError>,
    /// No error (and the parser did not give up): nothing in a file with
    /// syntax errors is evaluated.
    syntax_ok: bool,
}

/// Parses `source`: the declarations of a file without syntax errors, or
/// the errors.
fn parse<'s>(arena: &'s Allocator, source: &'s str, source_type: SourceType) -> Parsed<'s> {
    let parsed = Parser::new(arena, source, source_type).parse();
    let errors: Vec<SyntaxError> = parsed
        .diagnostics
        .iter()
        .map(|error| SyntaxError {
            span: error
                .labels
                .iter()
                .find(|l| l.primary())
                .or_else(|| error.labels.first())
                .map_or(Span::new(0, 0), oxc_span::LabeledSpan::span),
            message: error.message.to_string(),
            help: error.help.as_deref().map(str::to_string),
        })
        .collect();
    let syntax_ok = errors.is_empty() && !parsed.panicked;
    let mut declarations = Declarations::default();
    if syntax_ok {
        let program: &'s Program<'s> = arena.alloc(parsed.program);
        collect_declarations(&mut declarations, program);
    }
    Parsed {
        declarations,
        errors,
        syntax_ok,
    }
}

self_cell::self_cell!(
    /// A module's own AST: freed when the module lets go of it.
    struct OwnedAst<'a> {
        owner: AstOwner<'a>,
        #[not_covariant]
        dependent: Parsed,
    }
);

impl<'a> OwnedAst<'a> {
    fn parse(source: &'a str, source_type: SourceType) -> OwnedAst<'a> {
        let owner = AstOwner {
            arena: Allocator::default(),
            source,
            source_type,
        };
        OwnedAst::new(owner, |owner| {
            parse(&owner.arena, owner.source, owner.source_type)
        })
    }
}

/// Where a module's AST is.
#[derive(Clone)]
enum Ast<'a> {
    /// In the evaluator's arena, for as long as the evaluator (config files:
    /// their reader walks the AST itself).
    Arena(Rc<Declarations<'a>>),
    /// Owned by the module until it lets go ([`Evaluator::release_ast`]).
    Owned(Rc<OwnedAst<'a>>),
    /// Let go of: parsed again when needed.
    Released,
}

impl<'a> Ast<'a> {
    /// Calls `f` with the module's declarations.
    fn with<R>(&self, f: impl for<'s> FnOnce(&Declarations<'s>) -> R) -> Option<R> {
        match self {
            Ast::Arena(declarations) => Some(f(declarations)),
            Ast::Owned(ast) => Some(ast.with_dependent(|_, parsed| f(&parsed.declarations))),
            Ast::Released => None,
        }
    }
}

pub struct Module<'a> {
    pub path: PathBuf,
    /// Path shown in diagnostics and sources (relative to the root).
    pub display: PathBuf,
    /// `display` as a Model `Source` names it (forward slashes), made once.
    pub source_file: std::sync::Arc<str>,
    pub source: &'a str,
    pub lines: diagnostics::LineIndex,
    /// False when the file has syntax errors: nothing in it is trusted.
    pub syntax_ok: bool,
    source_type: SourceType,
    ast: Ast<'a>,
    bindings: FxHashMap<&'a str, Binding<'a>>,
    exports: Vec<ExportEntry<'a>>,
    stars: Vec<(&'a str, Span)>,
    /// `module.exports = <expr>` / `export = <expr>` (in the AST).
    has_cjs_exports: bool,
    cache: FxHashMap<&'a str, Slot<'a>>,
    export_cache: FxHashMap<&'a str, Slot<'a>>,
}

impl<'a> Module<'a> {
    /// What the declarations say that needs no AST: names, imports, exports.
    fn index(&mut self, alloc: &'a Allocator, declarations: &Declarations<'_>) {
        let module_source = self.source;
        let lift = |text: &str| lift(alloc, module_source, text);
        let lift_imported = |imported: Imported<'_>| match imported {
            Imported::Named(name) => Imported::Named(lift(name)),
            Imported::Default => Imported::Default,
            Imported::Namespace => Imported::Namespace,
        };
        self.bindings = declarations
            .bindings
            .iter()
            .map(|(&name, decl)| {
                let binding = match *decl {
                    Decl::Import {
                        source,
                        imported,
                        span,
                    } => Binding::Import {
                        source: lift(source),
                        imported: lift_imported(imported),
                        span,
                    },
                    Decl::Ignored => Binding::Ignored,
                    Decl::Unsupported { span } => Binding::Unsupported { span },
                    Decl::Var { .. } | Decl::Function(_) | Decl::Enum(_) | Decl::Pattern { .. } => {
                        Binding::Code
                    }
                };
                (lift(name), binding)
            })
            .collect();
        self.exports = declarations
            .exports
            .iter()
            .map(|export| match *export {
                Export::Local {
                    exported,
                    local,
                    span,
                } => ExportEntry::Local {
                    exported: lift(exported),
                    local: lift(local),
                    span,
                },
                Export::Expr { exported, expr } => ExportEntry::Expr {
                    exported: lift(exported),
                    span: expr.span(),
                },
                Export::From {
                    exported,
                    source,
                    imported,
                    span,
                } => ExportEntry::From {
                    exported: lift(exported),
                    source: lift(source),
                    imported: lift_imported(imported),
                    span,
                },
            })
            .collect();
        self.stars = declarations
            .stars
            .iter()
            .map(|&(source, span)| (lift(source), span))
            .collect();
        self.has_cjs_exports = declarations.cjs_exports.is_some();
    }
}

/// `text` as a slice of `source` when it is one, else copied into `alloc`.
fn lift<'a>(alloc: &'a Allocator, source: &'a str, text: &str) -> &'a str {
    let offset = (text.as_ptr() as usize).wrapping_sub(source.as_ptr() as usize);
    match offset
        .checked_add(text.len())
        .and_then(|end| source.get(offset..end))
    {
        Some(slice) => slice,
        None => alloc.alloc_str(text),
    }
}

pub struct Evaluator<'a> {
    alloc: &'a Allocator,
    pub root: PathBuf,
    pub modules: Vec<Module<'a>>,
    by_path: FxHashMap<PathBuf, ModuleId>,
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
    /// Schema files: module-level statements the reader cannot run are
    /// errors (a config file's `dotenv.config()` is not).
    pub report_module_statements: bool,
    /// The nearest tsconfig.json (with `paths` or `baseUrl`) of each folder.
    tsconfigs: FxHashMap<PathBuf, Option<Rc<tsconfig::TsConfig>>>,
    /// Values of module-level destructuring initializers, by (module, offset).
    pattern_inits: FxHashMap<(ModuleId, u32), Value<'a>>,
    /// Code of the functions made into closures, copied out of their
    /// module's AST (see [`Self::function_code`]), by module and span.
    code: FxHashMap<(ModuleId, u32, u32), Code<'a>>,
    /// Keep every module's AST for the evaluator's lifetime (in its arena),
    /// for callers that walk the AST themselves (the config reader).
    /// Otherwise a module owns its AST and may let go of it.
    pub keep_asts: bool,
    /// Parsed SQL types by type string: a schema repeats a few types many times.
    column_types: FxHashMap<String, driftwatch_model::ColumnType>,
    /// `DefaultValue::parse_sql` by text: a schema repeats a few `sql`
    /// defaults (`now()`, `(0)`) many times, and parsing one is costly.
    sql_defaults: FxHashMap<String, driftwatch_model::DefaultValue>,
}

const MAX_DEPTH: u32 = 256;
const MAX_CALLS: u32 = 32;

impl<'a> Evaluator<'a> {
    pub fn new(alloc: &'a Allocator, root: PathBuf) -> Evaluator<'a> {
        Evaluator {
            alloc,
            root,
            modules: Vec::new(),
            by_path: FxHashMap::default(),
            diagnostics: Vec::new(),
            incomplete: BTreeSet::new(),
            env: None,
            casing: None,
            tables: Vec::new(),
            table_stack: Vec::new(),
            depth: 0,
            calls: 0,
            report_module_statements: false,
            tsconfigs: FxHashMap::default(),
            pattern_inits: FxHashMap::default(),
            code: FxHashMap::default(),
            keep_asts: false,
            column_types: FxHashMap::default(),
            sql_defaults: FxHashMap::default(),
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
        let source_type = SourceType::from_path(path).unwrap_or_else(|_| SourceType::ts());
        let mut module = Module {
            path: path.to_path_buf(),
            source_file: display.to_string_lossy().replace('\\', "/").into(),
            display,
            source,
            lines: diagnostics::LineIndex::new(source),
            syntax_ok: false,
            source_type,
            ast: Ast::Arena(Rc::default()),
            bindings: FxHashMap::default(),
            exports: Vec::new(),
            stars: Vec::new(),
            has_cjs_exports: false,
            cache: FxHashMap::default(),
            export_cache: FxHashMap::default(),
        };
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
            self.modules.push(module);
            self.by_path.insert(key, id);
            return Ok(id);
        }
        let alloc = self.alloc;
        let mut errors = Vec::new();
        let mut runtime_statements = Vec::new();
        let mut index = |module: &mut Module<'a>, parsed: &Parsed<'_>| {
            module.syntax_ok = parsed.syntax_ok;
            errors.clone_from(&parsed.errors);
            runtime_statements.clone_from(&parsed.declarations.runtime_statements);
            module.index(alloc, &parsed.declarations);
        };
        if self.keep_asts {
            let parsed = parse(self.alloc, source, source_type);
            index(&mut module, &parsed);
            module.ast = Ast::Arena(Rc::new(parsed.declarations));
        } else {
            let ast = OwnedAst::parse(source, source_type);
            ast.with_dependent(|_, parsed| index(&mut module, parsed));
            module.ast = Ast::Owned(Rc::new(ast));
        }
        for error in &errors {
            let site = Site {
                file: path,
                source,
                start: error.span.start,
                end: error.span.end,
                table: None,
            };
            let diagnostic =
                diagnostics::syntax_error(&site, &error.message, error.help.as_deref());
            self.diagnostics.push(diagnostic);
        }
        if self.report_module_statements {
            for &(span, what) in &runtime_statements {
                let site = Site {
                    file: path,
                    source,
                    start: span.start,
                    end: span.end,
                    table: None,
                };
                self.diagnostics
                    .push(diagnostics::runtime_statement(&site, what));
            }
        }
        self.modules.push(module);
        self.by_path.insert(key, id);
        Ok(id)
    }

    /// The module's AST, parsed again if the module let go of it.
    fn ast(&mut self, module: ModuleId) -> Ast<'a> {
        let m = &mut self.modules[module];
        if let Ast::Released = m.ast {
            tracing::debug!(file = %m.display.display(), "parsing a released module again");
            m.ast = Ast::Owned(Rc::new(OwnedAst::parse(m.source, m.source_type)));
        }
        m.ast.clone()
    }

    /// Lets go of the module's AST (its exports evaluated, say): what was
    /// evaluated stays cached; a later need parses the file again.
    pub fn release_ast(&mut self, module: ModuleId) {
        let m = &mut self.modules[module];
        if let Ast::Owned(_) = m.ast {
            m.ast = Ast::Released;
        }
    }

    /// `text` (from the module's AST) as a string that lives as long as the
    /// evaluator: the same text in the module's source when it is a slice of
    /// it (names and plain strings are), else a copy in the arena.
    fn lift(&self, module: ModuleId, text: &str) -> &'a str {
        lift(self.alloc, self.modules[module].source, text)
    }

    /// A property name from the module's AST, as a key of an [`Object`].
    fn lift_key(&self, module: ModuleId, key: Cow<'_, str>) -> Cow<'a, str> {
        match key {
            Cow::Borrowed(text) => Cow::Borrowed(self.lift(module, text)),
            Cow::Owned(text) => Cow::Owned(text),
        }
    }

    /// A function's parameters and body, copied into the evaluator's arena
    /// once: a closure outlives the AST of its module.
    fn function_code<'s>(&mut self, module: ModuleId, function: &'s Function<'s>) -> Code<'a> {
        self.copied_code(module, function.span, |alloc| {
            let copy: &'a Function<'a> = alloc.alloc(function.clone_in(alloc));
            let body = copy.body.as_deref().map_or(FuncBody::None, FuncBody::Block);
            (&*copy.params, body)
        })
    }

    /// [`Self::function_code`] of an arrow function.
    fn arrow_code<'s>(
        &mut self,
        module: ModuleId,
        arrow: &'s ArrowFunctionExpression<'s>,
    ) -> Code<'a> {
        self.copied_code(module, arrow.span, |alloc| {
            let copy: &'a ArrowFunctionExpression<'a> = alloc.alloc(arrow.clone_in(alloc));
            let body = match (copy.get_expression(), copy.get_function_body()) {
                (Some(body), _) => FuncBody::Expr(body),
                (None, Some(block)) => FuncBody::Block(block),
                (None, None) => FuncBody::None,
            };
            (&*copy.params, body)
        })
    }

    /// The code of the function at `span`, copied by `copy` the first time.
    fn copied_code(
        &mut self,
        module: ModuleId,
        span: Span,
        copy: impl FnOnce(&'a Allocator) -> Code<'a>,
    ) -> Code<'a> {
        let alloc = self.alloc;
        *self
            .code
            .entry((module, span.start, span.end))
            .or_insert_with(|| copy(alloc))
    }

    /// The file a specifier of `module` names: relative paths, or a
    /// tsconfig `paths`/`baseUrl` alias that names an existing file.
    pub fn resolve_specifier(&mut self, module: ModuleId, specifier: &str) -> Option<PathBuf> {
        let importer = self.modules[module].path.clone();
        if is_relative(specifier) {
            return resolve_relative(&importer, specifier);
        }
        self.resolve_alias(&importer, specifier)
    }

    /// A non-relative specifier through the nearest tsconfig.json.
    pub fn resolve_alias(&mut self, importer: &Path, specifier: &str) -> Option<PathBuf> {
        if package_value(specifier, Imported::Namespace).is_some() {
            return None;
        }
        let dir = importer
            .parent()
            .unwrap_or_else(|| Path::new("."))
            .to_path_buf();
        let config = match self.tsconfigs.get(&dir) {
            Some(config) => config.clone(),
            None => {
                let absolute = std::fs::canonicalize(&dir).unwrap_or_else(|_| dir.clone());
                let config = tsconfig::TsConfig::find(&absolute).map(Rc::new);
                self.tsconfigs.insert(dir, config.clone());
                config
            }
        };
        config?
            .candidates(specifier)
            .into_iter()
            .find_map(|target| resolve_target(&normalize_path(&target)))
    }

    /// Names of the module's exports (own, re-exported and `export *`),
    /// sorted as a module namespace orders them.
    pub fn export_names(&mut self, module: ModuleId) -> Vec<String> {
        let mut names = BTreeSet::new();
        let mut seen = FxHashSet::default();
        self.collect_export_names(module, &mut names, &mut seen, true);
        names.into_iter().collect()
    }

    fn collect_export_names(
        &mut self,
        module: ModuleId,
        names: &mut BTreeSet<String>,
        seen: &mut FxHashSet<ModuleId>,
        top: bool,
    ) {
        if !seen.insert(module) {
            return;
        }
        for export in &self.modules[module].exports {
            let name = match *export {
                ExportEntry::Local { exported, .. }
                | ExportEntry::Expr { exported, .. }
                | ExportEntry::From { exported, .. } => exported,
            };
            if top || name != "default" {
                names.insert(name.to_string());
            }
        }
        for (source, _) in self.modules[module].stars.clone() {
            if let Some(path) = self.resolve_specifier(module, source)
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
        let exports = self.modules[module].exports.clone();
        let pending = self.ast(module).with(|declarations| {
            let mut pending: Vec<(u32, ExportEntry<'a>)> = Vec::new();
            let mut seen = FxHashSet::default();
            for export in exports {
                match export {
                    ExportEntry::Local { local, .. } => {
                        if let Some(Decl::Var { init: Some(init) }) =
                            declarations.bindings.get(local)
                            && seen.insert(local)
                        {
                            pending.push((init.span().start, export));
                        }
                    }
                    ExportEntry::Expr { span, .. } => pending.push((span.start, export)),
                    ExportEntry::From { .. } => {}
                }
            }
            pending
        });
        let mut pending = pending.unwrap_or_default();
        pending.sort_by_key(|(start, _)| *start);
        for (_, export) in pending {
            let _ = match export {
                ExportEntry::Local { local, span, .. } => self.binding_value(module, local, span),
                ExportEntry::Expr { exported, span } => {
                    self.export_expr_value(module, exported, span)
                }
                ExportEntry::From { .. } => Ok(Value::Undefined),
            };
        }
    }

    /// `module.exports = <expr>` / `export = <expr>` of a module, evaluated.
    pub fn cjs_exports(&mut self, module: ModuleId) -> Option<EvalResult<'a>> {
        if !self.modules[module].has_cjs_exports {
            return None;
        }
        self.ast(module)
            .with(|declarations| {
                declarations
                    .cjs_exports
                    .map(|expr| self.eval(&Cx::module(module), expr))
            })
            .flatten()
    }

    /// What `export default` (or `module.exports =` / `export =`) of a
    /// module is, without evaluating it. Only with [`Self::keep_asts`].
    pub fn default_export(&self, module: ModuleId) -> Option<ExportNode<'a>> {
        let Ast::Arena(declarations) = &self.modules[module].ast else {
            return None;
        };
        for export in &declarations.exports {
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
        declarations.cjs_exports.map(ExportNode::Expr)
    }

    /// Where the export `name` of a module is declared (the file start when
    /// it comes from an `export *`).
    pub fn export_span(&self, module: ModuleId, name: &str) -> Span {
        for export in &self.modules[module].exports {
            match *export {
                ExportEntry::Local { exported, span, .. }
                | ExportEntry::From { exported, span, .. }
                | ExportEntry::Expr { exported, span }
                    if exported == name =>
                {
                    return span;
                }
                _ => {}
            }
        }
        Span::new(0, 0)
    }

    /// `export * from 'pkg'` of packages (not relative files, not drizzle).
    pub fn package_stars(&mut self, module: ModuleId) -> Vec<(&'a str, Span)> {
        let stars = self.modules[module].stars.clone();
        stars
            .into_iter()
            .filter(|(source, _)| {
                !is_relative(source)
                    && !source.starts_with("drizzle-")
                    && self.resolve_specifier(module, source).is_none()
            })
            .collect()
    }

    /// The initializer of a module-level `const`/`let`, if that is what
    /// `name` is. Only with [`Self::keep_asts`].
    pub fn binding_init(&self, module: ModuleId, name: &str) -> Option<&'a Expression<'a>> {
        let Ast::Arena(declarations) = &self.modules[module].ast else {
            return None;
        };
        match declarations.bindings.get(name) {
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
        let export = self.modules[module]
            .exports
            .iter()
            .copied()
            .find(|export| match *export {
                ExportEntry::Local { exported, .. }
                | ExportEntry::Expr { exported, .. }
                | ExportEntry::From { exported, .. } => exported == name,
            });
        match export {
            Some(ExportEntry::Local {
                local,
                span: local_span,
                ..
            }) => return self.binding_value(module, local, local_span).map(Some),
            Some(ExportEntry::Expr {
                exported,
                span: expr_span,
            }) => {
                return self
                    .export_expr_value(module, exported, expr_span)
                    .map(Some);
            }
            Some(ExportEntry::From {
                source,
                imported,
                span: export_span,
                ..
            }) => {
                return self
                    .import_value(module, source, imported, export_span, hops + 1)
                    .map(Some);
            }
            None => {}
        }
        if name != "default" {
            for (source, star_span) in self.modules[module].stars.clone() {
                let Some(path) = self.resolve_specifier(module, source) else {
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

    /// An `export default <expr>` / `exports.x = <expr>` (the expression at
    /// `span`), evaluated once.
    fn export_expr_value(
        &mut self,
        module: ModuleId,
        exported: &'a str,
        span: Span,
    ) -> EvalResult<'a> {
        match self.modules[module].export_cache.get(exported) {
            Some(Slot::Done(value)) => return Ok(value.clone()),
            Some(Slot::Failed(error)) => return Err(error.clone()),
            Some(Slot::InProgress) => {
                return self.fail(module, span, |s| {
                    diagnostics::circular_reference(s, exported)
                });
            }
            None => {}
        }
        self.modules[module]
            .export_cache
            .insert(exported, Slot::InProgress);
        let result = self
            .ast(module)
            .with(|declarations| {
                declarations
                    .exports
                    .iter()
                    .find_map(|export| match *export {
                        Export::Expr { expr, .. } if expr.span() == span => {
                            Some(self.eval(&Cx::module(module), expr))
                        }
                        _ => None,
                    })
            })
            .flatten()
            .unwrap_or(Ok(Value::Undefined));
        let slot = match &result {
            Ok(value) => Slot::Done(value.clone()),
            Err(error) => Slot::Failed(error.clone()),
        };
        self.modules[module].export_cache.insert(exported, slot);
        result
    }

    /// A module-level binding, evaluated on first use.
    pub fn binding_value(&mut self, module: ModuleId, name: &str, span: Span) -> EvalResult<'a> {
        // The cache first: only declared names are in it.
        match self.modules[module].cache.get(name) {
            Some(Slot::Done(value)) => return Ok(value.clone()),
            Some(Slot::Failed(error)) => return Err(error.clone()),
            Some(Slot::InProgress) => {
                return self.fail(module, span, |s| diagnostics::circular_reference(s, name));
            }
            None => {}
        }
        let Some((&key, &binding)) = self.modules[module].bindings.get_key_value(name) else {
            return self.fail(module, span, |s| diagnostics::unknown_identifier(s, name));
        };
        self.modules[module].cache.insert(key, Slot::InProgress);
        let result = match binding {
            Binding::Import {
                source,
                imported,
                span,
            } => self.import_value(module, source, imported, span, 0),
            Binding::Ignored => Ok(Value::Ignored),
            Binding::Unsupported { span } => self.fail(module, span, |s| {
                diagnostics::unsupported_expression(s, "this destructuring declaration")
            }),
            Binding::Code => self
                .ast(module)
                .with(|declarations| {
                    let decl = declarations.bindings.get(name).copied();
                    decl.map(|decl| self.declared_value(module, name, decl))
                })
                .flatten()
                .unwrap_or_else(|| {
                    self.fail(module, span, |s| diagnostics::unknown_identifier(s, name))
                }),
        };
        let slot = match &result {
            Ok(value) => Slot::Done(value.clone()),
            Err(error) => Slot::Failed(error.clone()),
        };
        self.modules[module].cache.insert(key, slot);
        result
    }

    /// The value of a declaration by code (`const`, `function`, `enum`…).
    fn declared_value<'s>(
        &mut self,
        module: ModuleId,
        name: &str,
        decl: Decl<'s>,
    ) -> EvalResult<'a> {
        match decl {
            Decl::Var { init: Some(init) } => self.eval(&Cx::module(module), init),
            Decl::Var { init: None } => Ok(Value::Undefined),
            Decl::Import {
                source,
                imported,
                span,
            } => self.import_value(module, source, imported, span, 0),
            Decl::Function(function) => {
                let (params, body) = self.function_code(module, function);
                Ok(Value::Function(Rc::new(Closure {
                    module,
                    span: function.span,
                    name: Some(name.to_string()),
                    params,
                    body,
                    env: None,
                })))
            }
            Decl::Enum(declaration) => self.enum_value(module, declaration),
            Decl::Ignored => Ok(Value::Ignored),
            Decl::Pattern { init, pattern } => {
                let key = (module, init.span().start);
                let value = match self.pattern_inits.get(&key) {
                    Some(value) => value.clone(),
                    None => {
                        let value = self.eval(&Cx::module(module), init)?;
                        self.pattern_inits.insert(key, value.clone());
                        value
                    }
                };
                let mut cx = Cx::module(module);
                self.bind_pattern(&mut cx, pattern, value)
                    .map(|()| env_lookup(&cx.env, name).unwrap_or(Value::Undefined))
            }
            Decl::Unsupported { span } => self.fail(module, span, |s| {
                diagnostics::unsupported_expression(s, "this destructuring declaration")
            }),
        }
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
        if !is_relative(source) && self.resolve_specifier(module, source).is_none() {
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
        let Some(path) = self.resolve_specifier(module, source) else {
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
    fn enum_value<'s>(
        &mut self,
        module: ModuleId,
        declaration: &'s TSEnumDeclaration<'s>,
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

    pub fn eval<'s>(&mut self, cx: &Cx<'a>, expr: &'s Expression<'s>) -> EvalResult<'a> {
        if self.depth >= MAX_DEPTH {
            return self.fail(cx.module, expr.span(), diagnostics::too_deep);
        }
        self.depth += 1;
        let result = self.eval_inner(cx, expr);
        self.depth -= 1;
        result
    }

    fn eval_inner<'s>(&mut self, cx: &Cx<'a>, expr: &'s Expression<'s>) -> EvalResult<'a> {
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
            Expression::ArrowFunctionExpression(arrow) => {
                let (params, body) = self.arrow_code(m, arrow);
                Ok(Value::Function(Rc::new(Closure {
                    module: m,
                    span: arrow.span,
                    name: None,
                    params,
                    body,
                    env: cx.env.clone(),
                })))
            }
            Expression::FunctionExpression(function) => {
                let (params, body) = self.function_code(m, function);
                Ok(Value::Function(Rc::new(Closure {
                    module: m,
                    span: function.span,
                    name: function.id.as_ref().map(|id| id.name.as_str().to_string()),
                    params,
                    body,
                    env: cx.env.clone(),
                })))
            }
            Expression::CallExpression(call) => self.eval_call(cx, call),
            Expression::NewExpression(new) => self.eval_new(cx, new),
            Expression::TaggedTemplateExpression(tagged) => self.eval_tagged(cx, tagged),
            Expression::StaticMemberExpression(member) => self.eval_static_member(cx, member),
            Expression::ComputedMemberExpression(member) => self.eval_computed_member(cx, member),
            Expression::ChainExpression(chain) => match &chain.expression {
                ChainElement::CallExpression(call) => self.eval_call(cx, call),
                ChainElement::TSNonNullExpression(e) => self.eval(cx, &e.expression),
                ChainElement::StaticMemberExpression(member) => self.eval_static_member(cx, member),
                ChainElement::ComputedMemberExpression(member) => {
                    self.eval_computed_member(cx, member)
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
                if logical.operator != LogicalOperator::Coalesce {
                    self.known_condition(m, logical.left.span(), &left)?;
                }
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
                self.known_condition(m, conditional.test.span(), &test)?;
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

    /// A condition whose truth is not known statically (a value from
    /// another package or from `process.env` in a schema file) is an error.
    fn known_condition(&self, m: ModuleId, span: Span, test: &Value<'a>) -> Result<(), EvalError> {
        match test {
            Value::External { name, .. } => {
                let what = format!("`{name}`");
                self.fail(m, span, |s| diagnostics::runtime_condition(s, &what))
            }
            _ => Ok(()),
        }
    }

    fn lookup(&mut self, cx: &Cx<'a>, name: &str, span: Span) -> EvalResult<'a> {
        if let Some(value) = env_lookup(&cx.env, name) {
            return Ok(value);
        }
        // An evaluated module binding: one map lookup.
        if let Some(Slot::Done(value)) = self.modules[cx.module].cache.get(name) {
            return Ok(value.clone());
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

    fn property_key<'s>(
        &mut self,
        cx: &Cx<'a>,
        expr: &'s Expression<'s>,
    ) -> Result<String, EvalError> {
        let key = self.eval(cx, expr)?;
        match key {
            Value::String(s) => Ok(s),
            Value::Number(n) => Ok(js::number_to_string(n)),
            Value::External { name, .. } => {
                let what = format!("a computed key from `{name}` (a runtime value)");
                self.fail(cx.module, expr.span(), |s| {
                    diagnostics::unsupported_expression(s, &what)
                })
            }
            other => {
                let what = format!("a property key that is {}", other.kind());
                self.fail(cx.module, expr.span(), |s| {
                    diagnostics::unsupported_expression(s, &what)
                })
            }
        }
    }

    fn eval_template<'s>(
        &mut self,
        cx: &Cx<'a>,
        template: &'s TemplateLiteral<'s>,
    ) -> EvalResult<'a> {
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

    pub fn eval_array<'s>(
        &mut self,
        cx: &Cx<'a>,
        array: &'s ArrayExpression<'s>,
    ) -> EvalResult<'a> {
        let mut items = Vec::with_capacity(array.elements.len());
        for element in &array.elements {
            if let ArrayExpressionElement::SpreadElement(spread) = element {
                items.extend(self.spread_items(cx, spread)?);
            } else {
                items.push(self.eval_array_element(cx, element)?);
            }
        }
        Ok(Value::Array(items))
    }

    /// `...x` in an array or call: the items of an array or the characters
    /// of a string.
    pub fn spread_items<'s>(
        &mut self,
        cx: &Cx<'a>,
        spread: &'s SpreadElement<'s>,
    ) -> Result<Vec<Value<'a>>, EvalError> {
        match self.eval(cx, &spread.argument)? {
            Value::Array(items) => Ok(items),
            Value::String(text) => Ok(text.chars().map(|c| Value::String(c.to_string())).collect()),
            Value::External { name, package, .. } => self.fail(cx.module, spread.span, |s| {
                diagnostics::external_value(s, &name, &package)
            }),
            _ => self.fail(cx.module, spread.span, diagnostics::spread_not_supported),
        }
    }

    /// `...x` in an object literal: the own properties of an object (nothing
    /// for `null`, `undefined`, booleans and numbers, as in JS).
    pub fn spread_properties<'s>(
        &mut self,
        cx: &Cx<'a>,
        spread: &'s SpreadElement<'s>,
    ) -> Result<Vec<(Cow<'a, str>, Value<'a>)>, EvalError> {
        match self.eval(cx, &spread.argument)? {
            Value::Object(object) => {
                Ok(object.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
            }
            Value::Undefined | Value::Null | Value::Bool(_) | Value::Number(_) => Ok(Vec::new()),
            Value::Array(items) => Ok(items
                .into_iter()
                .enumerate()
                .map(|(i, v)| (Cow::Owned(i.to_string()), v))
                .collect()),
            Value::String(text) => Ok(text
                .chars()
                .enumerate()
                .map(|(i, c)| (Cow::Owned(i.to_string()), Value::String(c.to_string())))
                .collect()),
            Value::External { name, package, .. } => self.fail(cx.module, spread.span, |s| {
                diagnostics::external_value(s, &name, &package)
            }),
            _ => self.fail(cx.module, spread.span, diagnostics::spread_not_supported),
        }
    }

    pub fn eval_array_element<'s>(
        &mut self,
        cx: &Cx<'a>,
        element: &'s ArrayExpressionElement<'s>,
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

    pub fn eval_object<'s>(
        &mut self,
        cx: &Cx<'a>,
        object: &'s ObjectExpression<'s>,
    ) -> EvalResult<'a> {
        let mut out = Object::default();
        for property in &object.properties {
            if let ObjectPropertyKind::SpreadProperty(spread) = property {
                for (key, value) in self.spread_properties(cx, spread)? {
                    out.insert(key, value);
                }
                continue;
            }
            let (key, value) = self.eval_property(cx, property)?;
            out.insert(key, value);
        }
        Ok(Value::Object(out))
    }

    pub fn eval_property<'s>(
        &mut self,
        cx: &Cx<'a>,
        property: &'s ObjectPropertyKind<'s>,
    ) -> Result<(Cow<'a, str>, Value<'a>), EvalError> {
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

    pub fn object_key<'s>(
        &mut self,
        cx: &Cx<'a>,
        p: &'s ObjectProperty<'s>,
    ) -> Result<Cow<'a, str>, EvalError> {
        if p.computed {
            match p.key.as_expression() {
                Some(expr) => self.property_key(cx, expr).map(Cow::Owned),
                None => self.fail(cx.module, p.key.span(), |s| {
                    diagnostics::unsupported_expression(s, "this property key")
                }),
            }
        } else {
            match p.key.static_name() {
                Some(name) => Ok(self.lift_key(cx.module, name)),
                None => self.fail(cx.module, p.key.span(), |s| {
                    diagnostics::unsupported_expression(s, "this property key")
                }),
            }
        }
    }

    fn eval_unary<'s>(&mut self, cx: &Cx<'a>, unary: &'s UnaryExpression<'s>) -> EvalResult<'a> {
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

    fn eval_binary<'s>(&mut self, cx: &Cx<'a>, binary: &'s BinaryExpression<'s>) -> EvalResult<'a> {
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

    fn eval_new<'s>(&mut self, cx: &Cx<'a>, new: &'s NewExpression<'s>) -> EvalResult<'a> {
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

    fn eval_tagged<'s>(
        &mut self,
        cx: &Cx<'a>,
        tagged: &'s TaggedTemplateExpression<'s>,
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
    pub fn argument<'s>(
        &mut self,
        cx: &Cx<'a>,
        arguments: &'s [Argument<'s>],
        index: usize,
    ) -> EvalResult<'a> {
        let spread_before = arguments
            .iter()
            .take(index + 1)
            .any(|a| matches!(a, Argument::SpreadElement(_)));
        if spread_before {
            let mut values = self.arguments(cx, arguments)?;
            return Ok(if index < values.len() {
                values.swap_remove(index)
            } else {
                Value::Undefined
            });
        }
        match arguments.get(index) {
            None => Ok(Value::Undefined),
            Some(other) => match other.as_expression() {
                Some(expr) => self.eval(cx, expr),
                None => Ok(Value::Undefined),
            },
        }
    }

    pub fn arguments<'s>(
        &mut self,
        cx: &Cx<'a>,
        arguments: &'s [Argument<'s>],
    ) -> Result<Vec<Value<'a>>, EvalError> {
        let mut values = Vec::with_capacity(arguments.len());
        for argument in arguments {
            match argument {
                Argument::SpreadElement(spread) => values.extend(self.spread_items(cx, spread)?),
                other => values.push(match other.as_expression() {
                    Some(expr) => self.eval(cx, expr)?,
                    None => Value::Undefined,
                }),
            }
        }
        Ok(values)
    }

    /// `object.name` (and `object?.name`).
    fn eval_static_member<'s>(
        &mut self,
        cx: &Cx<'a>,
        member: &'s StaticMemberExpression<'s>,
    ) -> EvalResult<'a> {
        let object = self.eval(cx, &member.object)?;
        if member.optional && object.is_nullish() {
            return Ok(Value::Undefined);
        }
        self.member(
            cx.module,
            object,
            member.property.name.as_str(),
            member.property.span,
        )
    }

    /// `object[key]` (and `object?.[key]`).
    fn eval_computed_member<'s>(
        &mut self,
        cx: &Cx<'a>,
        member: &'s ComputedMemberExpression<'s>,
    ) -> EvalResult<'a> {
        let object = self.eval(cx, &member.object)?;
        if member.optional && object.is_nullish() {
            return Ok(Value::Undefined);
        }
        let key = self.property_key(cx, &member.expression)?;
        self.member(cx.module, object, &key, member.expression.span())
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
                Namespace::MysqlCore => Ok(Value::Builtin(Builtin::MysqlCore(name.into()))),
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
                "keys" => Ok(Value::Builtin(Builtin::ObjectKeys)),
                "entries" => Ok(Value::Builtin(Builtin::ObjectEntries)),
                "fromEntries" => Ok(Value::Builtin(Builtin::ObjectFromEntries)),
                "assign" => Ok(Value::Builtin(Builtin::ObjectAssign)),
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

    fn eval_call<'s>(&mut self, cx: &Cx<'a>, call: &'s CallExpression<'s>) -> EvalResult<'a> {
        let callee = call.callee.get_inner_expression();
        if let Some(member) = callee.as_member_expression() {
            let object = self.eval(cx, member.object())?;
            if member.optional() && object.is_nullish() {
                return Ok(Value::Undefined);
            }
            let (name, name_span) = match member {
                // Borrowed from the source: most calls are `.notNull()`-like.
                MemberExpression::StaticMemberExpression(m) => {
                    (Cow::Borrowed(m.property.name.as_str()), m.property.span)
                }
                MemberExpression::ComputedMemberExpression(m) => (
                    Cow::Owned(self.property_key(cx, &m.expression)?),
                    m.expression.span(),
                ),
                MemberExpression::PrivateFieldExpression(m) => {
                    return self.fail(cx.module, m.span, |s| {
                        diagnostics::unsupported_expression(s, "a private method")
                    });
                }
            };
            return match object {
                Value::Column(builder) => self.column_method(cx, builder, &name, name_span, call),
                Value::TableItem(item) => self.table_item_method(cx, item, &name, name_span, call),
                Value::View(view) => self.view_method(cx, &view, &name, name_span, call),
                Value::MysqlSchema(schema) => {
                    self.schema_method(cx, schema, &name, name_span, call)
                }
                Value::Array(_) | Value::String(_) | Value::Number(_) | Value::Sql(_) => {
                    self.value_method(cx, object, &name, name_span, call)
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

    pub fn call_value<'s>(
        &mut self,
        cx: &Cx<'a>,
        function: Value<'a>,
        call: &'s CallExpression<'s>,
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
                Builtin::ObjectKeys | Builtin::ObjectEntries => {
                    let entries: Vec<(String, Value<'a>)> =
                        match self.argument(cx, &call.arguments, 0)? {
                            Value::Object(object) => object
                                .iter()
                                .map(|(k, v)| (k.to_string(), v.clone()))
                                .collect(),
                            Value::Array(items) => items
                                .into_iter()
                                .enumerate()
                                .map(|(i, v)| (i.to_string(), v))
                                .collect(),
                            other => {
                                let what = format!("`Object.keys/entries()` of {}", other.kind());
                                return self.fail(m, call.span, |s| {
                                    diagnostics::unsupported_expression(s, &what)
                                });
                            }
                        };
                    Ok(Value::Array(
                        entries
                            .into_iter()
                            .map(|(k, v)| {
                                if builtin == Builtin::ObjectKeys {
                                    Value::String(k)
                                } else {
                                    Value::Array(vec![Value::String(k), v])
                                }
                            })
                            .collect(),
                    ))
                }
                Builtin::ObjectFromEntries => match self.argument(cx, &call.arguments, 0)? {
                    Value::Array(items) => {
                        let mut object = Object::default();
                        for item in items {
                            let Value::Array(pair) = item else {
                                return self.fail(m, call.span, |s| {
                                    diagnostics::type_error(
                                        s,
                                        "`Object.fromEntries()` needs [key, value] pairs",
                                    )
                                });
                            };
                            let key = match pair.first() {
                                Some(Value::String(k)) => k.clone(),
                                Some(Value::Number(n)) => js::number_to_string(*n),
                                _ => {
                                    return self.fail(m, call.span, |s| {
                                        diagnostics::unsupported_expression(
                                            s,
                                            "an `Object.fromEntries()` key that is not a string",
                                        )
                                    });
                                }
                            };
                            object.insert(key, pair.get(1).cloned().unwrap_or(Value::Undefined));
                        }
                        Ok(Value::Object(object))
                    }
                    other => {
                        let what = format!("`Object.fromEntries()` of {}", other.kind());
                        self.fail(m, call.span, |s| {
                            diagnostics::unsupported_expression(s, &what)
                        })
                    }
                },
                Builtin::ObjectAssign => {
                    let values = self.arguments(cx, &call.arguments)?;
                    let mut object = Object::default();
                    for value in values {
                        match value {
                            Value::Object(source) => {
                                for (k, v) in source.iter() {
                                    object.insert(k.clone(), v.clone());
                                }
                            }
                            Value::Undefined | Value::Null => {}
                            other => {
                                let what = format!("`Object.assign()` of {}", other.kind());
                                return self.fail(m, call.span, |s| {
                                    diagnostics::unsupported_expression(s, &what)
                                });
                            }
                        }
                    }
                    Ok(Value::Object(object))
                }
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
                        if is_relative(&source) || self.resolve_specifier(m, &source).is_some() {
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
            Value::TableCreator(creator) => self.mysql_table(cx, call, Some(&creator), None),
            Value::CustomType(data_type) => self.custom_column(cx, &data_type, call),
            // A user helper: evaluated with its arguments, like any call.
            Value::Function(closure) => {
                let args = self.arguments(cx, &call.arguments)?;
                self.call_closure(&closure, args)
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

    /// The array and string methods helpers use to build names and column
    /// lists (`map`, `filter`, `join`, `toLowerCase`, …).
    fn value_method<'s>(
        &mut self,
        cx: &Cx<'a>,
        object: Value<'a>,
        name: &str,
        name_span: Span,
        call: &'s CallExpression<'s>,
    ) -> EvalResult<'a> {
        let m = cx.module;
        let unsupported = |this: &Self, object: &Value<'a>| {
            let what = format!("method `.{name}()` of {}", object.kind());
            this.fail(m, name_span, |s| {
                diagnostics::unsupported_expression(s, &what)
            })
        };
        match (&object, name) {
            (Value::Array(items), "map" | "filter" | "flatMap") => {
                let Value::Function(callback) = self.argument(cx, &call.arguments, 0)? else {
                    return unsupported(self, &object);
                };
                let mut out = Vec::new();
                for (i, item) in items.iter().enumerate() {
                    let result = self.call_closure(
                        &callback,
                        vec![item.clone(), Value::Number(i as f64), object.clone()],
                    )?;
                    match name {
                        "map" => out.push(result),
                        "filter" => {
                            self.known_condition(m, call.span, &result)?;
                            if result.truthy() {
                                out.push(item.clone());
                            }
                        }
                        _ => match result {
                            Value::Array(inner) => out.extend(inner),
                            other => out.push(other),
                        },
                    }
                }
                Ok(Value::Array(out))
            }
            (Value::Array(items), "concat") => {
                let mut out = items.clone();
                for value in self.arguments(cx, &call.arguments)? {
                    match value {
                        Value::Array(inner) => out.extend(inner),
                        other => out.push(other),
                    }
                }
                Ok(Value::Array(out))
            }
            (Value::Array(items), "flat") => {
                let mut out = Vec::new();
                for item in items {
                    match item {
                        Value::Array(inner) => out.extend(inner.iter().cloned()),
                        other => out.push(other.clone()),
                    }
                }
                Ok(Value::Array(out))
            }
            (Value::Array(items), "slice") => {
                let len = items.len() as f64;
                let bound = |v: Value<'a>, default: f64| -> usize {
                    let n = match v {
                        Value::Undefined => default,
                        other => other.to_js_number().unwrap_or(0.0),
                    };
                    let n = if n < 0.0 {
                        (len + n).max(0.0)
                    } else {
                        n.min(len)
                    };
                    n as usize
                };
                let start = bound(self.argument(cx, &call.arguments, 0)?, 0.0);
                let end = bound(self.argument(cx, &call.arguments, 1)?, len);
                Ok(Value::Array(
                    items
                        .get(start..end.max(start))
                        .unwrap_or_default()
                        .to_vec(),
                ))
            }
            (Value::Array(items), "join") => {
                let separator = match self.argument(cx, &call.arguments, 0)? {
                    Value::Undefined => ",".to_string(),
                    Value::String(s) => s,
                    other => return unsupported(self, &other),
                };
                let mut parts = Vec::with_capacity(items.len());
                for item in items {
                    match item {
                        Value::Undefined | Value::Null => parts.push(String::new()),
                        other => match other.to_js_string() {
                            Some(text) => parts.push(text),
                            None => return unsupported(self, &object),
                        },
                    }
                }
                Ok(Value::String(parts.join(&separator)))
            }
            (Value::Array(items), "includes") => {
                let needle = self.argument(cx, &call.arguments, 0)?;
                Ok(Value::Bool(
                    items
                        .iter()
                        .any(|item| strict_equals(item, &needle) == Some(true)),
                ))
            }
            (Value::String(text), "toLowerCase" | "toUpperCase" | "trim") => {
                Ok(Value::String(match name {
                    "toLowerCase" => text.to_lowercase(),
                    "toUpperCase" => text.to_uppercase(),
                    _ => text.trim().to_string(),
                }))
            }
            (Value::String(text), "startsWith" | "endsWith" | "includes") => {
                let Value::String(needle) = self.argument(cx, &call.arguments, 0)? else {
                    return unsupported(self, &object);
                };
                Ok(Value::Bool(match name {
                    "startsWith" => text.starts_with(&needle),
                    "endsWith" => text.ends_with(&needle),
                    _ => text.contains(&needle),
                }))
            }
            (Value::String(text), "split") => match self.argument(cx, &call.arguments, 0)? {
                Value::String(separator) if !separator.is_empty() => Ok(Value::Array(
                    text.split(separator.as_str())
                        .map(|p| Value::String(p.to_string()))
                        .collect(),
                )),
                _ => unsupported(self, &object),
            },
            (Value::Number(_) | Value::String(_), "toString") => {
                Ok(Value::String(object.to_js_string().unwrap_or_default()))
            }
            _ => unsupported(self, &object),
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
        tracing::trace!(
            function = closure.name.as_deref().unwrap_or("(anonymous)"),
            "call"
        );
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
        let mut args = args.into_iter();
        for param in &closure.params.items {
            let mut value = args.next().unwrap_or(Value::Undefined);
            if matches!(value, Value::Undefined)
                && let Some(default) = &param.initializer
            {
                value = self.eval(&cx, default)?;
            }
            self.bind_pattern(&mut cx, &param.pattern, value)?;
        }
        if let Some(rest) = &closure.params.rest {
            let rest_values: Vec<Value<'a>> = args.collect();
            self.bind_pattern(&mut cx, &rest.rest.argument, Value::Array(rest_values))?;
        }
        match closure.body {
            FuncBody::Expr(expr) => Ok((cx, ClosureBody::Expr(expr))),
            FuncBody::None => Ok((cx, ClosureBody::Undefined)),
            FuncBody::Block(body) => match self.exec_statements(&mut cx, &body.statements)? {
                Some(body) => Ok((cx, body)),
                None => Ok((cx, ClosureBody::Undefined)),
            },
        }
    }

    /// Runs the statements of a function body; `Some` at a `return`.
    /// Declarations, `if`/`else` on known conditions and blocks are run;
    /// anything else (loops, assignments, `switch`, `try`) is an error.
    fn exec_statements<'s>(
        &mut self,
        cx: &mut Cx<'a>,
        statements: &'s [Statement<'s>],
    ) -> Result<Option<ClosureBody<'s>>, EvalError> {
        let m = cx.module;
        for statement in statements {
            match statement {
                Statement::VariableDeclaration(declaration) => {
                    for declarator in &declaration.declarations {
                        let value = match &declarator.init {
                            Some(init) => self.eval(cx, init)?,
                            None => Value::Undefined,
                        };
                        self.bind_pattern(cx, &declarator.id, value)?;
                    }
                }
                Statement::FunctionDeclaration(function) => {
                    if let Some(id) = &function.id {
                        let (params, body) = self.function_code(m, function);
                        let closure = Value::Function(Rc::new(Closure {
                            module: m,
                            span: function.span,
                            name: Some(id.name.as_str().to_string()),
                            params,
                            body,
                            env: cx.env.clone(),
                        }));
                        cx.env = env_bind(&cx.env, id.name.as_str(), closure);
                    }
                }
                Statement::ReturnStatement(ret) => {
                    return Ok(Some(match &ret.argument {
                        Some(expr) => ClosureBody::Expr(expr),
                        None => ClosureBody::Undefined,
                    }));
                }
                Statement::IfStatement(branch) => {
                    let test = self.eval(cx, &branch.test)?;
                    self.known_condition(m, branch.test.span(), &test)?;
                    let taken = if test.truthy() {
                        Some(&branch.consequent)
                    } else {
                        branch.alternate.as_ref()
                    };
                    if let Some(taken) = taken {
                        let result = match taken {
                            Statement::BlockStatement(block) => {
                                self.exec_statements(cx, &block.body)?
                            }
                            other => self.exec_statements(cx, std::slice::from_ref(other))?,
                        };
                        if result.is_some() {
                            return Ok(result);
                        }
                    }
                }
                Statement::BlockStatement(block) => {
                    if let Some(result) = self.exec_statements(cx, &block.body)? {
                        return Ok(Some(result));
                    }
                }
                Statement::SwitchStatement(switch) => {
                    let discriminant = self.eval(cx, &switch.discriminant)?;
                    self.known_condition(m, switch.discriminant.span(), &discriminant)?;
                    let mut start = None;
                    for (i, case) in switch.cases.iter().enumerate() {
                        if let Some(test) = &case.test {
                            let value = self.eval(cx, test)?;
                            if strict_equals(&discriminant, &value) == Some(true) {
                                start = Some(i);
                                break;
                            }
                        }
                    }
                    let start =
                        start.or_else(|| switch.cases.iter().position(|c| c.test.is_none()));
                    if let Some(start) = start {
                        // Fall through from the matching case to a `break`.
                        'cases: for case in &switch.cases[start..] {
                            for statement in &case.consequent {
                                if matches!(statement, Statement::BreakStatement(b) if b.label.is_none())
                                {
                                    break 'cases;
                                }
                                if let Some(result) =
                                    self.exec_statements(cx, std::slice::from_ref(statement))?
                                {
                                    return Ok(Some(result));
                                }
                            }
                        }
                    }
                }
                // A call for its effect: a drizzle modifier changes its
                // builder (`column.notNull();`); `console.*` is skipped.
                Statement::ExpressionStatement(statement)
                    if matches!(
                        statement.expression.get_inner_expression(),
                        Expression::CallExpression(_)
                    ) =>
                {
                    let is_console = matches!(
                        statement.expression.get_inner_expression(),
                        Expression::CallExpression(call)
                            if matches!(call.callee.get_inner_expression(),
                                Expression::StaticMemberExpression(member)
                                    if matches!(member.object.get_inner_expression(),
                                        Expression::Identifier(id) if id.name.as_str() == "console"))
                    );
                    if !is_console {
                        self.eval(cx, &statement.expression)?;
                    }
                }
                Statement::EmptyStatement(_)
                | Statement::TSTypeAliasDeclaration(_)
                | Statement::TSInterfaceDeclaration(_) => {}
                other => {
                    let what = describe_statement(other);
                    return self.fail(m, other.span(), |s| {
                        diagnostics::unsupported_expression(
                            s,
                            &format!("{what} in a function body"),
                        )
                    });
                }
            }
        }
        Ok(None)
    }

    /// Binds a parameter or declaration pattern: identifiers, object and
    /// array destructuring, defaults and rest elements.
    fn bind_pattern<'s>(
        &mut self,
        cx: &mut Cx<'a>,
        pattern: &'s BindingPattern<'s>,
        value: Value<'a>,
    ) -> Result<(), EvalError> {
        let m = cx.module;
        match pattern {
            BindingPattern::BindingIdentifier(id) => {
                cx.env = env_bind(&cx.env, id.name.as_str(), value);
                Ok(())
            }
            BindingPattern::AssignmentPattern(assignment) => {
                let value = if matches!(value, Value::Undefined) {
                    self.eval(cx, &assignment.right)?
                } else {
                    value
                };
                self.bind_pattern(cx, &assignment.left, value)
            }
            BindingPattern::ObjectPattern(object) => {
                if value.is_nullish() {
                    let what = format!("cannot destructure {}", value.kind());
                    return self.fail(m, object.span, |s| diagnostics::type_error(s, &what));
                }
                let mut used = Vec::new();
                for property in &object.properties {
                    let key = if property.computed {
                        match property.key.as_expression() {
                            Some(expr) => self.property_key(cx, expr)?,
                            None => {
                                return self.fail(m, property.span, |s| {
                                    diagnostics::unsupported_expression(s, "this property key")
                                });
                            }
                        }
                    } else {
                        match property.key.static_name() {
                            Some(name) => name.to_string(),
                            None => {
                                return self.fail(m, property.span, |s| {
                                    diagnostics::unsupported_expression(s, "this property key")
                                });
                            }
                        }
                    };
                    let item = self.member(m, value.clone(), &key, property.span)?;
                    used.push(key);
                    self.bind_pattern(cx, &property.value, item)?;
                }
                if let Some(rest) = &object.rest {
                    let Value::Object(source) = &value else {
                        return self.fail(m, rest.span, |s| {
                            diagnostics::unsupported_expression(s, "a rest element of this value")
                        });
                    };
                    let mut remaining = Object::default();
                    for (key, item) in source.iter() {
                        if !used.iter().any(|u| u == key) {
                            remaining.insert(key.clone(), item.clone());
                        }
                    }
                    self.bind_pattern(cx, &rest.argument, Value::Object(remaining))?;
                }
                Ok(())
            }
            BindingPattern::ArrayPattern(array) => {
                let Value::Array(items) = value else {
                    let what = format!("array destructuring of {}", value.kind());
                    return self.fail(m, array.span, |s| {
                        diagnostics::unsupported_expression(s, &what)
                    });
                };
                for (i, element) in array.elements.iter().enumerate() {
                    if let Some(element) = element {
                        let item = items.get(i).cloned().unwrap_or(Value::Undefined);
                        self.bind_pattern(cx, element, item)?;
                    }
                }
                if let Some(rest) = &array.rest {
                    let remaining = items.iter().skip(array.elements.len()).cloned().collect();
                    self.bind_pattern(cx, &rest.argument, Value::Array(remaining))?;
                }
                Ok(())
            }
        }
    }

    /// Evaluates an object or array literal entry by entry, so that one bad
    /// entry does not hide the others. Other expressions are evaluated whole.
    pub fn eval_entries<'s>(&mut self, cx: &Cx<'a>, expr: &'s Expression<'s>) -> Entries<'a> {
        match expr.get_inner_expression() {
            Expression::ObjectExpression(object) => {
                let mut entries: Vec<Entry<'a>> = Vec::with_capacity(object.properties.len());
                for property in &object.properties {
                    let span = property.span();
                    if let ObjectPropertyKind::SpreadProperty(spread) = property {
                        match self.spread_properties(cx, spread) {
                            Ok(list) => {
                                for (key, value) in list {
                                    // A later key replaces an earlier one in its place.
                                    entries.retain(|e| e.key.as_deref() != Some(&*key));
                                    entries.push(Entry {
                                        key: Some(key),
                                        span,
                                        value: Ok(value),
                                    });
                                }
                            }
                            Err(e) => entries.push(Entry {
                                key: None,
                                span,
                                value: Err(e),
                            }),
                        }
                        continue;
                    }
                    let entry = match self.eval_property(cx, property) {
                        Ok((key, value)) => Entry {
                            key: Some(key),
                            span,
                            value: Ok(value),
                        },
                        Err(e) => Entry {
                            key: property_static_key(property).map(|k| self.lift_key(cx.module, k)),
                            span,
                            value: Err(e),
                        },
                    };
                    if let Some(key) = &entry.key
                        && let Some(slot) = entries
                            .iter_mut()
                            .find(|e| e.key.as_deref() == Some(&**key))
                    {
                        // JS keeps the first position and the last value.
                        slot.value = entry.value;
                        slot.span = entry.span;
                        continue;
                    }
                    entries.push(entry);
                }
                Entries::Object(entries)
            }
            Expression::ArrayExpression(array) => {
                let mut entries = Vec::with_capacity(array.elements.len());
                for element in &array.elements {
                    let span = element.span();
                    if let ArrayExpressionElement::SpreadElement(spread) = element {
                        match self.spread_items(cx, spread) {
                            Ok(items) => entries.extend(items.into_iter().map(|value| Entry {
                                key: None,
                                span,
                                value: Ok(value),
                            })),
                            Err(e) => entries.push(Entry {
                                key: None,
                                span,
                                value: Err(e),
                            }),
                        }
                        continue;
                    }
                    entries.push(Entry {
                        key: None,
                        span,
                        value: self.eval_array_element(cx, element),
                    });
                }
                Entries::Array(entries)
            }
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
    pub key: Option<Cow<'a, str>>,
    pub span: Span,
    pub value: EvalResult<'a>,
}

pub enum Entries<'a> {
    Object(Vec<Entry<'a>>),
    Array(Vec<Entry<'a>>),
    Whole(Span, EvalResult<'a>),
}

fn property_static_key<'a>(property: &ObjectPropertyKind<'a>) -> Option<Cow<'a, str>> {
    match property {
        ObjectPropertyKind::ObjectProperty(p) if !p.computed => p.key.static_name(),
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

/// The bytes [`too_deep_at`] acts on.
static NESTING_BYTES: [bool; 256] = {
    let mut table = [false; 256];
    let bytes = b"/'\"([{)]}";
    let mut i = 0;
    while i < bytes.len() {
        table[bytes[i] as usize] = true;
        i += 1;
    }
    table
};

/// Offset where bracket nesting first exceeds [`MAX_NESTING`] (outside
/// strings and comments; template literals are over-counted, which is safe).
fn too_deep_at(source: &str) -> Option<u32> {
    let bytes = source.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    while i < bytes.len() {
        // Most bytes matter neither to nesting nor to strings and comments:
        // skip them in a tight loop.
        match bytes[i..]
            .iter()
            .position(|b| NESTING_BYTES[usize::from(*b)])
        {
            Some(skip) => i += skip,
            None => break,
        }
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
            Value::Builtin(Builtin::MysqlCore(name.into()))
        }
        ("drizzle-orm/mysql-core", Imported::Namespace) => Value::Namespace(Namespace::MysqlCore),
        ("drizzle-orm", Imported::Named("sql")) => Value::Builtin(Builtin::Sql),
        ("drizzle-orm", Imported::Named("relations")) => Value::Builtin(Builtin::Relations),
        ("drizzle-orm", Imported::Named(name)) => Value::Builtin(Builtin::DrizzleOrm(name.into())),
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
    resolve_target(&normalize_path(&base.join(specifier)))
}

/// A path as TypeScript's module resolution tries it: with its extension
/// (`.js` → `.ts` first), with each extension added, then as a folder index.
fn resolve_target(target: &Path) -> Option<PathBuf> {
    let target = target.to_path_buf();
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

fn describe_statement(statement: &Statement<'_>) -> &'static str {
    match statement {
        Statement::ForStatement(_)
        | Statement::ForInStatement(_)
        | Statement::ForOfStatement(_)
        | Statement::WhileStatement(_)
        | Statement::DoWhileStatement(_) => "a loop",
        Statement::IfStatement(_) => "an `if` statement",
        Statement::SwitchStatement(_) => "a `switch` statement",
        Statement::TryStatement(_) => "a `try` statement",
        Statement::ThrowStatement(_) => "a `throw` statement",
        Statement::ExpressionStatement(e) => match &e.expression {
            Expression::AssignmentExpression(_) => "an assignment",
            Expression::UpdateExpression(_) => "`++`/`--`",
            _ => "an expression statement",
        },
        _ => "this statement",
    }
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

fn collect_declarations<'a>(module: &mut Declarations<'a>, program: &'a Program<'a>) {
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
            Statement::ExpressionStatement(statement) => match &statement.expression {
                Expression::AssignmentExpression(assignment)
                    if !collect_cjs_assignment(module, assignment) =>
                {
                    module
                        .runtime_statements
                        .push((statement.span, "an assignment"));
                }
                Expression::AssignmentExpression(_) => {}
                _ => {
                    if let Some(what) = expression_effect(&statement.expression) {
                        module.runtime_statements.push((statement.span, what));
                    }
                }
            },
            Statement::ForStatement(_)
            | Statement::ForInStatement(_)
            | Statement::ForOfStatement(_)
            | Statement::WhileStatement(_)
            | Statement::DoWhileStatement(_)
            | Statement::IfStatement(_)
            | Statement::SwitchStatement(_)
            | Statement::TryStatement(_)
            | Statement::BlockStatement(_)
            | Statement::LabeledStatement(_) => {
                if schema_effect(statement).is_some() {
                    module
                        .runtime_statements
                        .push((statement.span(), describe_statement(statement)));
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

/// Whether a module-level statement may change what the schema's exports
/// are (`Some(what)`), as far as a syntactic look can tell: assignments,
/// `++`, method calls (a drizzle modifier mutates its builder) and loops or
/// branches containing them. `throw`, plain calls (`dotenv.config()`,
/// `config()`) and `console.*` do not.
fn schema_effect(statement: &Statement<'_>) -> Option<&'static str> {
    {
        match statement {
            Statement::ExpressionStatement(e) => expression_effect(&e.expression),
            Statement::ThrowStatement(_)
            | Statement::EmptyStatement(_)
            | Statement::BreakStatement(_)
            | Statement::ContinueStatement(_) => None,
            Statement::BlockStatement(block) => block.body.iter().find_map(schema_effect),
            Statement::IfStatement(branch) => schema_effect(&branch.consequent)
                .or_else(|| branch.alternate.as_ref().and_then(schema_effect)),
            Statement::TryStatement(t) => t
                .block
                .body
                .iter()
                .chain(t.handler.iter().flat_map(|h| h.body.body.iter()))
                .chain(t.finalizer.iter().flat_map(|f| f.body.iter()))
                .find_map(schema_effect),
            Statement::ForStatement(_)
            | Statement::ForInStatement(_)
            | Statement::ForOfStatement(_)
            | Statement::WhileStatement(_)
            | Statement::DoWhileStatement(_)
            | Statement::SwitchStatement(_)
            | Statement::LabeledStatement(_) => Some(describe_statement(statement)),
            _ => Some("this statement"),
        }
    }
}

fn expression_effect(expression: &Expression<'_>) -> Option<&'static str> {
    match expression.get_inner_expression() {
        Expression::AssignmentExpression(_) => Some("an assignment"),
        Expression::UpdateExpression(_) => Some("`++`/`--`"),
        Expression::CallExpression(call) => match call.callee.get_inner_expression() {
            Expression::StaticMemberExpression(member) => {
                match member.object.get_inner_expression() {
                    Expression::Identifier(id)
                        if matches!(id.name.as_str(), "console" | "dotenv" | "process") =>
                    {
                        None
                    }
                    _ => Some("a method call"),
                }
            }
            Expression::ComputedMemberExpression(_) => Some("a method call"),
            _ => None,
        },
        Expression::AwaitExpression(e) => expression_effect(&e.argument),
        Expression::SequenceExpression(sequence) => {
            sequence.expressions.iter().find_map(expression_effect)
        }
        _ => None,
    }
}

/// `module.exports = x`, `module.exports.a = x`, `exports.a = x`; false
/// for any other assignment.
fn collect_cjs_assignment<'a>(
    module: &mut Declarations<'a>,
    assignment: &'a AssignmentExpression<'a>,
) -> bool {
    let AssignmentTarget::StaticMemberExpression(target) = &assignment.left else {
        return false;
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
    } else {
        return false;
    }
    true
}

/// Registers the bindings of a declaration; returns the value names it binds.
fn declare<'a>(
    module: &mut Declarations<'a>,
    declaration: &'a Declaration<'a>,
) -> Vec<(&'a str, Span)> {
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
                    BindingPattern::ObjectPattern(pattern)
                        if declarator.init.as_ref().and_then(require_source).is_some() =>
                    {
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
                            let decl = match &declarator.init {
                                Some(init) => Decl::Pattern {
                                    init,
                                    pattern: other,
                                },
                                None => Decl::Unsupported { span: other.span() },
                            };
                            module.bindings.insert(id.name.as_str(), decl);
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
