//! The Rhai language of the shell: one engine with every type, function and
//! operator users touch, and the scope that keeps variables from line to
//! line. Adapts the ORM; adds nothing of its own. The models file's reader
//! and writer are `models/`.

mod aliases;
mod completion;
mod compound;
mod construct;
pub mod convert;
mod db;
mod diagnostics;
mod dynamic_relationship;
mod engine_info;
mod entity_query;
mod errors;
mod expr;
mod expr_constructs;
mod guard;
mod handles;
mod help;
mod hybrids;
mod input;
mod interval;
mod iterate;
mod loader;
pub mod models;
pub mod names;
pub mod nplusone;
mod objects;
pub mod output;
mod pagination;
mod python_refusals;
mod query;
mod raw;
pub mod recording;
mod relationship_ops;
mod reload;
mod result;
mod rows;
mod setup;
mod statements;
mod write_models;

pub use input::{is_incomplete, is_incomplete_input};
pub use reload::Stale;
pub use setup::declare_models;

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::Path;
use std::rc::Rc;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use rhai::{Dynamic, Engine, EvalAltResult, Map, Scope};

use crate::engine::QueryEvent;
use crate::error::{Error, Result};
use crate::orm::{Engines, Registry, Session};
pub use db::Confirm;
use db::Db;
use errors::{locate, script_error_in};
use errors::{position, script_error};
use handles::ModelClass;
use models::{Declarations, ModelExtras};
pub use output::Output;

/// State every registered function shares.
pub(crate) struct Shared {
    pub session: Session,
    /// Its closures name the models: put right when the registry is
    /// extended (`column_property`), so a RefCell.
    pub extras: RefCell<HashMap<String, ModelExtras>>,
    /// Methods and properties the models define in Python (a Flask
    /// project's models.py), by model: named when used, never run.
    pub python_members: HashMap<String, Vec<crate::flask_models::PythonMember>>,
    /// The Python file each model of a Flask project was read from.
    pub model_files: HashMap<String, String>,
    /// Models whose objects must not be written here (Python runs when
    /// Flask writes them), with why.
    pub write_refusals: HashMap<String, String>,
    /// Columns that must not be set here (a `@validates` hook would run in
    /// Flask): by model, (attribute, why).
    pub attribute_refusals: HashMap<String, Vec<(String, String)>>,
    /// A Flask model's `__repr__`, where it is a template of its columns.
    pub python_reprs: HashMap<String, crate::flask_models::repr::ReprTemplate>,
    /// A Flask model's `@hybrid_property`s, by model.
    pub python_hybrids: HashMap<String, Vec<crate::flask_models::hybrid::Hybrid>>,
    /// Recorded queries (`record_queries`, `.record on`).
    pub recorded: Rc<recording::Recorder>,
    pub confirm: Confirm,
    /// `db.on_before_models_committed(..)` and `db.on_models_committed(..)` closures.
    pub signals: db::Signals,
    /// Lazy loads counted per relationship while one line or script runs.
    pub nplusone: nplusone::Detector,
    /// Models made by reflection rather than declared.
    pub reflected: RefCell<Vec<String>>,
    /// Notes from reflection on names chosen around a taken one, to show next.
    pub notes: RefCell<Vec<String>>,
    /// The Flask project's models that could not be loaded, each with its
    /// file:line and why.
    pub not_loaded: Vec<String>,
    /// The models file's functions (its closures live there), linked into every evaluation.
    pub functions: rhai::AST,
    /// The models whose constructors were registered at start-up; the
    /// missing-function hook (which Rhai also calls when a registered
    /// function fails) makes objects only of models added later.
    pub constructed_at_start: std::collections::HashSet<String>,
    /// Runs the models' closures outside a script's own calls (`models::code`).
    pub runner: Rc<models::code::CodeRunner>,
}

/// How the host is set up.
pub struct HostOptions {
    pub record_queries: bool,
    /// Asked before destructive calls (`drop_all`); answers yes outside a prompt.
    pub confirm: Confirm,
    /// Values for `app.config`.
    pub config: Vec<(String, Dynamic)>,
    /// `app.args`: what follows the script's name on the command line.
    pub args: Vec<String>,
    /// SQLALCHEMY_TRACK_MODIFICATIONS: the commit signals work.
    pub track_modifications: bool,
    /// Add a model for every table no model declares (always so without a models file).
    pub reflect: bool,
    pub interrupt: Arc<AtomicBool>,
    /// The models a Flask project's Python files declare (instead of a
    /// models file).
    pub python_models: Option<crate::flask_models::PythonModels>,
}

/// The engine, the scope and the session behind every line and script.
pub struct ScriptHost {
    /// Shared, weakly, with the models' closures the ORM calls (`models::code`).
    engine: Rc<Engine>,
    scope: Scope<'static>,
    shared: Rc<Shared>,
    interrupt: Arc<AtomicBool>,
    /// Inputs evaluated at the prompt so far (for recorded queries' location).
    prompt_inputs: usize,
    /// Whether the last input ended by reading a value, whose `()` is `None`.
    read_value: bool,
    /// The functions (`fn name() {..}`) earlier inputs defined: a later
    /// line, or the code after a script's dot-command, can call them.
    defined: rhai::AST,
}

impl ScriptHost {
    /// Load the models file (if any) and open the shell's scope over `engines`.
    pub fn open(
        models_file: Option<&Path>,
        engines: Engines,
        options: HostOptions,
    ) -> Result<ScriptHost> {
        let mut engine = setup::base_engine(options.interrupt.clone());
        let collector = Rc::new(RefCell::new(Declarations::default()));
        let mut functions = rhai::AST::empty();
        let db = Db::new(collector.clone());
        if let Some(path) = models_file {
            let source = std::fs::read_to_string(path).map_err(|e| Error::Io {
                path: path.to_path_buf(),
                source: e,
            })?;
            let origin = path.display().to_string();
            functions = setup::run_models_file(&mut engine, &db, &collector, &source, &origin)?;
        }
        let mut declarations = std::mem::take(&mut *collector.borrow_mut());
        // The models the closures name exist now (`models::code`).
        let resolve_models = |registry: &Registry, extras: &mut HashMap<String, ModelExtras>| {
            use models::DeclarationSource;
            db.runner().resolve_models(registry);
            for e in extras.values_mut() {
                let named = e
                    .methods
                    .iter_mut()
                    .chain(e.validators.iter_mut())
                    .chain(e.events.iter_mut());
                for f in e.repr.iter_mut().chain(named.map(|(_, f)| f)) {
                    models::code::resolve_curry(f, registry);
                }
            }
        };
        let mut reflected = Vec::new();
        let mut notes = Vec::new();
        let mut python_members = HashMap::new();
        let mut write_refusals = HashMap::new();
        let mut attribute_refusals = HashMap::new();
        let mut python_reprs = HashMap::new();
        let mut python_hybrids = HashMap::new();
        let mut session_options = crate::flask_models::extension::SessionOptions::default();
        let mut model_files = HashMap::new();
        let mut not_loaded = Vec::new();
        let from_python = options.python_models.is_some();
        if options.reflect || (models_file.is_none() && !from_python) {
            let found = crate::orm::schema::reflect_binds::reflect_binds(
                &engines,
                &declarations.models,
                &declarations.tables,
            )?;
            reflected = found.models.iter().map(|m| m.name.clone()).collect();
            notes.extend(found.notes);
            declarations.models.extend(found.models);
            declarations.tables.extend(found.tables);
        }
        // The models file's `column_property` closures, run once the shell
        // is set up (`models::column_property`).
        let mut pending_properties = None;
        let registry = match options.python_models {
            // A Flask project's models: one the registry refuses is left
            // out, named with its file and line, and the others load.
            Some(python) => {
                let (registry, python) =
                    python.build_registry((declarations.models, declarations.tables));
                python_members = python.members;
                write_refusals = python.write_refusals;
                attribute_refusals = python.attribute_refusals;
                if let Some(why) = python.fatal {
                    return Err(Error::Config(why));
                }
                session_options = python.session;
                python_reprs = python.reprs;
                python_hybrids = python.hybrids;
                model_files = python.files;
                not_loaded.clone_from(&python.refused);
                notes.extend(
                    python
                        .refused
                        .into_iter()
                        .map(|r| format!("not loaded: {r}")),
                );
                registry?
            }
            None => {
                let in_file = |e| match models_file {
                    Some(p) => setup::in_models_file(&p.display().to_string(), e),
                    None => e,
                };
                let convention = declarations.naming_convention.unwrap_or_default();
                let properties: Vec<_> = declarations
                    .extras
                    .iter()
                    .filter(|(_, e)| !e.column_properties.is_empty())
                    .map(|(m, e)| (m.clone(), e.column_properties.clone()))
                    .collect();
                // Built twice when there are any: the closures need the models.
                let models = match properties.is_empty() {
                    true => Vec::new(),
                    false => declarations.models.clone(),
                };
                let registry = Registry::build_with_convention(
                    declarations.models,
                    declarations.tables.clone(),
                    convention.clone(),
                )
                .map_err(in_file)?;
                if !properties.is_empty() {
                    pending_properties =
                        Some((models, declarations.tables, convention, properties));
                }
                registry
            }
        };
        refuse_types_the_database_lacks(&registry, &engines).map_err(|e| match models_file {
            Some(p) => Error::Config(format!("{}: {e}", p.display())),
            None => e,
        })?;
        // A model's table in another schema: that schema is read too.
        // (A model with no bind key and no default database is refused
        // when used, as Flask-SQLAlchemy refuses it, not at load.)
        for mapper in &registry.mappers {
            if let Some((schema, _)) = mapper.table.split_once('.')
                && (mapper.bind_key.is_some() || engines.has_default())
            {
                engines.for_mapper(mapper)?.include_schema(schema);
            }
        }
        for table in &registry.tables {
            if let Some((schema, _)) = table.name.split_once('.')
                && let Ok(engine) = engines.default_engine()
            {
                engine.include_schema(schema);
            }
        }
        resolve_models(&registry, &mut declarations.extras);
        let constructed_at_start = registry.mappers.iter().map(|m| m.name.clone()).collect();
        let session = Session::new(Rc::new(registry), engines);
        // The app's own `SQLAlchemy(session_options=..)`.
        if let Some(on) = session_options.autoflush {
            session.set_autoflush(on);
        }
        if let Some(on) = session_options.expire_on_commit {
            session.set_expire_on_commit(on);
        }
        let shared = Rc::new(Shared {
            session,
            extras: RefCell::new(declarations.extras),
            python_members,
            write_refusals,
            attribute_refusals,
            python_reprs,
            python_hybrids,
            model_files,
            recorded: Rc::new(recording::Recorder::default()),
            confirm: options.confirm,
            nplusone: nplusone::Detector::default(),
            signals: db::Signals::default(),
            reflected: RefCell::new(reflected),
            notes: RefCell::new(notes),
            not_loaded,
            functions,
            constructed_at_start,
            runner: {
                use models::DeclarationSource;
                db.runner().clone()
            },
        });
        db.attach(&shared);
        shared
            .session
            .set_track_modifications(options.track_modifications);
        shared.recorded.set_on(options.record_queries);
        if options.record_queries {
            shared.recorded.hook(&mut engine);
        }
        {
            let recorded = shared.recorded.clone();
            // Every engine shares one log; nothing is kept while recording is off.
            shared
                .session
                .engines()
                .first()
                .log()
                .subscribe(Box::new(move |q: &QueryEvent<'_>| recorded.record(q)));
        }
        {
            let session = shared.session.clone();
            iterate::register(&mut engine, Rc::new(move |n| session.released(n)));
        }
        objects::register(&mut engine, &shared);
        query::register(&mut engine, &shared);
        relationship_ops::register(&mut engine, &shared);
        pagination::register(&mut engine, &shared);
        statements::register(&mut engine, &shared);
        aliases::register(&mut engine, &shared);
        compound::register(&mut engine, &shared);
        entity_query::register(&mut engine, &shared);
        result::register(&mut engine, &shared);
        objects::register_models(&mut engine, &shared);
        setup::resolve_late_models(&mut engine, &shared);
        help::register(&mut engine, &shared);
        if let Some((mut models, tables, convention, properties)) = pending_properties {
            let origin = models_file.map_or("<models>".to_string(), |p| p.display().to_string());
            let registry = shared.session.registry();
            if models::column_property::add_to(
                &engine,
                &shared.functions,
                &registry,
                &mut models,
                &properties,
                &origin,
            )? {
                let extended = Registry::build_with_convention(models, tables, convention)
                    .map_err(|e| setup::in_models_file(&origin, e))?;
                shared.session.extend_registry(Rc::new(extended));
                let registry = shared.session.registry();
                resolve_models(&registry, &mut shared.extras.borrow_mut());
            }
        }
        reload::register(&mut engine);
        let engine = Rc::new(engine);
        {
            use models::DeclarationSource;
            db.runner().attach(&engine);
            models::code::listen(db.runner(), &shared.session, &shared.extras.borrow())?;
        }

        let mut scope = Scope::new();
        scope.push_constant("db", db);
        scope.push_constant("func", expr::FuncNamespace);
        scope.push_constant("datetime", models::code::Datetime);
        let mut config = Map::new();
        for (k, v) in options.config {
            config.insert(k.into(), v);
        }
        let mut app = Map::new();
        app.insert("config".into(), config.into());
        let args: rhai::Array = options.args.into_iter().map(Dynamic::from).collect();
        app.insert("args".into(), args.into());
        scope.push_constant("app", app);
        for mapper in &shared.session.registry().mappers {
            scope.push_constant(mapper.name.clone(), ModelClass(mapper.clone()));
        }
        Ok(ScriptHost {
            engine,
            scope,
            shared,
            interrupt: options.interrupt,
            prompt_inputs: 0,
            read_value: false,
            defined: rhai::AST::empty(),
        })
    }

    pub fn session(&self) -> &Session {
        &self.shared.session
    }

    /// The Flask project's models that could not be loaded (file:line and why).
    pub fn not_loaded(&self) -> &[String] {
        &self.shared.not_loaded
    }

    /// Whether a model was reflected from the database rather than declared.
    pub fn is_reflected(&self, model: &str) -> bool {
        self.shared.reflected.borrow().iter().any(|m| m == model)
    }

    /// The Python file a model was read from, in a Flask project.
    pub fn python_file(&self, model: &str) -> Option<&str> {
        self.shared.model_files.get(model).map(String::as_str)
    }

    pub fn registry(&self) -> Rc<Registry> {
        self.shared.session.registry()
    }

    /// Evaluate source text. `origin` names it in errors (a file, or `<stdin>`);
    /// `None` is the prompt, whose errors show line:column alone.
    pub fn eval(&mut self, source: &str, origin: Option<&str>) -> Result<Dynamic> {
        self.interrupt.store(false, Ordering::Relaxed);
        self.shared.nplusone.reset();
        let place = match origin {
            Some(file) => file.to_string(),
            None => {
                self.prompt_inputs += 1;
                format!("prompt {}", self.prompt_inputs)
            }
        };
        self.shared.recorded.set_origin(place);
        self.declare_assigned(source);
        let ast = self
            .engine
            .compile_with_scope(&self.scope, source)
            .map_err(|e| {
                let pos = e.position();
                let message = e.err_type().to_string();
                Error::Script(locate(origin, pos, &message, source))
            })?;
        self.read_value = output::reads_value(&ast);
        self.defined = self.defined.merge(&ast.clone_functions_only());
        let ast = self.shared.functions.merge(&self.defined).merge(&ast);
        let result = self
            .engine
            .eval_ast_with_scope::<Dynamic>(&mut self.scope, &ast);
        self.interrupt.store(false, Ordering::Relaxed);
        result.map_err(|e| match *e {
            EvalAltResult::ErrorTerminated(..) => Error::Interrupted,
            _ => script_error_in(origin, &e, source),
        })
    }

    /// Change the engine, which the models' closures hold weakly meanwhile.
    fn change_engine(&mut self, change: impl FnOnce(&mut Engine)) {
        let runner = self.db_runner();
        if let Some(r) = &runner {
            r.detach();
        }
        if let Some(engine) = Rc::get_mut(&mut self.engine) {
            change(engine);
        }
        if let Some(r) = &runner {
            r.attach(&self.engine);
        }
    }

    /// The runner of the models' closures, through `db`.
    fn db_runner(&self) -> Option<Rc<models::code::CodeRunner>> {
        use models::DeclarationSource;
        self.scope
            .get_value::<Db>("db")
            .map(|db| db.runner().clone())
    }

    /// `.sql STATEMENT` at the prompt: as `db.execute(STATEMENT)`.
    pub fn execute_sql(&self, sql: &str) -> Result<Dynamic> {
        raw::execute(&self.shared, sql, None, None).map_err(|e| script_error_in(None, &e, sql))
    }
    /// How a result should be shown.
    pub fn output(&self, value: &Dynamic) -> Result<Output> {
        if value.is_unit() && self.read_value {
            return Ok(Output::Scalar(crate::sql::Value::Null));
        }
        output::classify(&self.shared, &self.engine, value)
    }
}

/// A model column of a type its database does not have (an `ARRAY` on
/// MySQL, a `YEAR` on PostgreSQL) is refused before any SQL.
fn refuse_types_the_database_lacks(registry: &Registry, engines: &Engines) -> Result<()> {
    for mapper in &registry.mappers {
        // Refused when used, as Flask-SQLAlchemy refuses it.
        if mapper.bind_key.is_none() && !engines.has_default() {
            continue;
        }
        let dialect = engines.for_mapper(mapper)?.dialect();
        for c in &mapper.columns {
            if let Some(why) = dialect.lacks(&c.ty) {
                return Err(Error::Config(format!(
                    "{}.{} is {}, and {why}",
                    mapper.name, c.name, c.ty
                )));
            }
        }
    }
    Ok(())
}
