//! The Rhai engine as every host starts it: the language's types and the
//! functions that need no session, a models file run into declarations,
//! and the hooks that find models added while a script runs.

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use rhai::{Dynamic, Engine, Scope};

use super::db::Db;
use super::handles::ModelClass;
use super::models::DeclarationSource;
use super::models::{self, Declarations};
use super::{Shared, convert, db, expr, expr_constructs, position, rows, script_error};
use crate::error::{Error, Result};
use crate::orm::Registry;

/// The words Rhai reserves for a future use and gives no meaning now
/// (`this`, `Fn`, `call`, .. are reserved too, but are the language's).
pub(crate) const UNUSED_RESERVED_WORDS: &[&str] = &[
    "async",
    "await",
    "case",
    "default",
    "exit",
    "go",
    "goto",
    "is",
    "match",
    "module",
    "new",
    "nil",
    "null",
    "package",
    "protected",
    "public",
    "shared",
    "spawn",
    "static",
    "super",
    "sync",
    "thread",
    "use",
    "var",
    "void",
    "with",
    "yield",
];

/// The Rhai engine with the language's types and the functions that need
/// no session (values, expressions, `db`'s declarations).
pub(super) fn base_engine(interrupt: Arc<AtomicBool>) -> Engine {
    let mut engine = Engine::new();
    engine.set_max_expr_depths(256, 256);
    // Rhai interns short strings it makes at run time; a seed script makes
    // thousands of distinct ones (`user${i}`), and past the interner's
    // capacity every new one costs a scan of it (a tenth of a seed's time).
    engine.set_max_strings_interned(0);
    // An integer in an interpolation (`user${i}`) went through Rhai's generic
    // `to_string`, which formats it as any value and then looks the text up
    // as a type name: a twentieth of a seed's time. Written with `itoa`, it
    // needs no `format!` and no `String` either (a seed makes a dozen a row).
    engine.register_fn("to_string", |i: rhai::INT| -> rhai::ImmutableString {
        itoa::Buffer::new().format(i).into()
    });
    // No `import` of files: a script reaches no file but what `.run` names.
    engine.set_module_resolver(rhai::module_resolvers::DummyModuleResolver::new());
    // Words Rhai reserves but gives no meaning (`new`, `default`, `case`,
    // `static`, ..) are SQLAlchemy's names (`db.session.new`, a column's
    // `default:`, `case(..)`) and columns' names: plain identifiers here.
    #[allow(deprecated)] // a volatile API, not a deprecated one
    engine.on_parse_token(|token, _, _| match token {
        rhai::Token::Reserved(s) if UNUSED_RESERVED_WORDS.contains(&s.as_str()) => {
            rhai::Token::Identifier(s)
        }
        other => other,
    });
    engine.on_progress(move |_| {
        interrupt
            .load(Ordering::Relaxed)
            .then(|| Dynamic::from("interrupted"))
    });
    // Output that cannot be written (a closed pipe) is dropped, not a panic.
    engine.on_print(|text| {
        use std::io::Write;
        let _ = writeln!(std::io::stdout(), "{text}");
    });
    convert::register(&mut engine);
    super::interval::register(&mut engine);
    rows::register(&mut engine);
    engine.register_fn("env", |name: &str| {
        std::env::var(name).map_or(Dynamic::UNIT, Dynamic::from)
    });
    expr::register(&mut engine);
    expr_constructs::register(&mut engine);
    db::register(&mut engine);
    super::engine_info::register(&mut engine);
    engine
}

/// Run a models file: what it declares goes to `collector`; its functions
/// (closures of `repr` and `methods`) come back.
pub(super) fn run_models_file(
    engine: &mut Engine,
    db: &Db,
    collector: &models::Collector,
    source: &str,
    origin: &str,
) -> Result<rhai::AST> {
    // `db` and the models' names are values, never variables: see `models::code`.
    let db_value = Dynamic::from(db.clone());
    let declared = models::declared_models(source);
    #[allow(deprecated)] // a volatile API, not a deprecated one
    engine.on_var(move |name, index, _| {
        Ok(if index > 0 {
            None
        } else {
            models::code::models_file_variable(name, &db_value, &declared)
        })
    });
    let mut scope = Scope::new();
    let ast = engine.compile_with_scope(&scope, source).map_err(|e| {
        Error::Config(format!(
            "{origin}:{}: {}",
            position(e.position()),
            e.err_type()
        ))
    })?;
    engine
        .run_ast_with_scope(&mut scope, &ast)
        .map_err(|e| Error::Config(script_error(origin, &e).to_string()))?;
    models::attach_sources(&mut collector.borrow_mut(), source);
    let functions = ast.clone_functions_only();
    db.runner().loaded(&functions, origin);
    Ok(functions)
}

/// The registry a models file declares, checked on its own with no
/// database (for tests and fuzzing): every mistake is an error, never a
/// panic, and a file that runs past `max_operations` Rhai steps is stopped.
pub fn declare_models(source: &str, max_operations: u64) -> Result<Registry> {
    let mut engine = base_engine(Arc::new(AtomicBool::new(false)));
    engine.set_max_operations(max_operations);
    let collector = Rc::new(RefCell::new(Declarations::default()));
    let db = Db::new(collector.clone());
    run_models_file(&mut engine, &db, &collector, source, "<models>")?;
    let declarations = std::mem::take(&mut *collector.borrow_mut());
    Registry::build_with_convention(
        declarations.models,
        declarations.tables,
        declarations.naming_convention.unwrap_or_default(),
    )
    .map_err(|e| in_models_file("<models>", e))
}

/// A registry's error as an error of the models file `origin`: at the line
/// of the declaration it names, where it names one.
pub(super) fn in_models_file(origin: &str, e: Error) -> Error {
    match e {
        Error::Declaration { line, message } => {
            Error::Config(format!("{origin}:{line}: {message}"))
        }
        e => Error::Config(format!("{origin}: {e}")),
    }
}

/// Models that `db.reflect()` adds while a script runs have neither a scope
/// constant nor a registered constructor: these hooks find them in the
/// registry. Model names are resolved afresh, so a model that reflection
/// gave new relationships is seen with them.
pub(super) fn resolve_late_models(engine: &mut Engine, shared: &Rc<Shared>) {
    let s = shared.clone();
    #[allow(deprecated)] // a volatile API, not a deprecated one
    engine.on_missing_function(move |name, args, is_method_call, _| {
        if let Some(found) = expr::missing_sql_function(name, args, is_method_call)? {
            return Ok(Some(found));
        }
        if let Some(found) =
            super::python_refusals::missing_python_method(&s, name, args, is_method_call)?
        {
            return Ok(Some(found));
        }
        super::construct::missing_constructor(&s, name, args, is_method_call)
    });
    let s = shared.clone();
    #[allow(deprecated)]
    engine.on_var(move |name, index, _| {
        // A local is found at compile time (index > 0); model names are capitalised.
        if index > 0 || !name.starts_with(|c: char| c.is_ascii_uppercase()) {
            return Ok(None);
        }
        Ok(s.session
            .registry()
            .get(name)
            .map(|m| Dynamic::from(ModelClass(m.clone()))))
    });
}
