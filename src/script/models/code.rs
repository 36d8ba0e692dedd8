//! The models file's code that the ORM runs: closures given as a column's
//! `default` or `onupdate`, called once per row at a flush. The ORM knows
//! them as plain callables; each calls its closure on the shell's engine,
//! which exists only once the models are loaded, so the runner holds a weak
//! handle to it (the engine's functions hold the session, which holds the
//! models: a strong one would be a cycle).
//!
//! While the models file runs, its models do not exist yet, and a closure
//! captures the values of the names it uses when it is made: `db` and the
//! models' names are given to it as values (never as variables Rhai would
//! share between closures, which it then refuses to lend twice at once,
//! "Data race detected"), a model's name as a placeholder that is put right
//! once the registry is built.

use std::cell::{OnceCell, RefCell};
use std::rc::{Rc, Weak};

use rhai::{Dynamic, Engine, FnPtr};

use crate::error::{Error, Result};
use crate::orm::Registry;
use crate::orm::mapping::generated::Callable;
use crate::script::handles::ModelClass;

/// A model's name in a closure of the models file, before the model exists.
#[derive(Debug, Clone)]
pub struct LateModel(pub String);

/// Runs the models file's closures for the ORM.
#[derive(Default)]
pub struct CodeRunner {
    engine: RefCell<Weak<Engine>>,
    /// The models file's functions, where its closures' bodies live.
    functions: OnceCell<rhai::AST>,
    /// The models file's name, for errors.
    origin: OnceCell<String>,
    /// Every closure handed to the ORM, by the index its callable calls.
    closures: RefCell<Vec<FnPtr>>,
}

impl CodeRunner {
    /// A callable the ORM calls, running `f` with no arguments; `source` is
    /// its text in the models file, when found.
    pub fn callable(self: &Rc<Self>, f: FnPtr) -> Callable {
        let index = {
            let mut closures = self.closures.borrow_mut();
            closures.push(f);
            closures.len() - 1
        };
        let me = self.clone();
        Callable::new(move || me.call(index))
    }

    fn call(&self, index: usize) -> Result<crate::sql::Value> {
        let f = self.closures.borrow()[index].clone();
        let out = self.run(&f, None, Vec::new())?;
        crate::script::convert::to_value(&out)
    }

    /// Run `f` with `args` (and `this` bound, for a method), on the shell's engine.
    pub fn run(&self, f: &FnPtr, this: Option<Dynamic>, args: Vec<Dynamic>) -> Result<Dynamic> {
        let engine = self.engine.borrow().upgrade().ok_or_else(|| {
            Error::invalid("the models' closures run in the shell, once the models are loaded")
        })?;
        let empty = rhai::AST::empty();
        let ast = self.functions.get().unwrap_or(&empty);
        let args = rhai::Array::from(args);
        let out = match this {
            Some(mut this) => f.call_as_method::<Dynamic>(&engine, ast, &mut this, args),
            None => f.call::<Dynamic>(&engine, ast, args),
        };
        out.map_err(|e| {
            let origin = self.origin.get().map_or("models file", String::as_str);
            super::super::errors::script_error(origin, &e)
        })
    }

    /// The models file ran: its functions, and its name for errors.
    pub fn loaded(&self, functions: &rhai::AST, origin: &str) {
        let _ = self.functions.set(functions.clone());
        let _ = self.origin.set(origin.to_string());
    }

    /// The shell's engine, once it is set up (again, after it changed).
    pub fn attach(&self, engine: &Rc<Engine>) {
        *self.engine.borrow_mut() = Rc::downgrade(engine);
    }

    /// Let go of the engine (so the host can change it).
    pub fn detach(&self) {
        *self.engine.borrow_mut() = Weak::new();
    }

    /// Put the models in place of the placeholders the closures captured.
    pub fn resolve_models(&self, registry: &Registry) {
        for f in self.closures.borrow_mut().iter_mut() {
            resolve_curry(f, registry);
        }
    }
}

/// Give the session the models' mapper events (`before_insert: |obj| ..`).
pub fn listen(
    runner: &Rc<CodeRunner>,
    session: &crate::orm::Session,
    extras: &std::collections::HashMap<String, super::ModelExtras>,
) -> Result<()> {
    use crate::orm::state::listeners::MapperEvent;
    for (model, e) in extras {
        for (event, f) in &e.events {
            let Some(event) = MapperEvent::parse(event) else {
                continue;
            };
            let (runner, f) = (runner.clone(), f.clone());
            session.listen(
                model,
                event,
                Rc::new(move |obj| {
                    let arg = Dynamic::from(crate::script::handles::ObjectHandle(obj.clone()));
                    runner.run(&f, None, vec![arg]).map(|_| ())
                }),
            );
        }
    }
    Ok(())
}

/// Put the models in place of the placeholders `f` captured.
pub fn resolve_curry(f: &mut FnPtr, registry: &Registry) {
    for value in f.iter_curry_mut() {
        // A model resolved before is resolved again: the registry may have
        // been extended since (`column_property`).
        let name = match value.read_lock::<LateModel>() {
            Some(late) => Some(late.0.clone()),
            None => value.read_lock::<ModelClass>().map(|m| m.0.name.clone()),
        };
        let found = name.and_then(|n| registry.get(&n).cloned());
        if let Some(mapper) = found {
            *value = Dynamic::from(ModelClass(mapper));
        }
    }
}

/// `datetime`: Python's clocks, for defaults (`default: || datetime.utcnow()`).
#[derive(Debug, Clone, Copy)]
pub struct Datetime;

/// The value a name in the models file stands for while it runs: `db`
/// itself, `datetime`, and a placeholder for a model it declares.
pub fn models_file_variable(name: &str, db: &Dynamic, models: &[String]) -> Option<Dynamic> {
    match name {
        "db" => return Some(db.clone()),
        "datetime" => return Some(Dynamic::from(Datetime)),
        _ => {}
    }
    models
        .iter()
        .any(|m| m == name)
        .then(|| Dynamic::from(LateModel(name.to_string())))
}

pub fn register(engine: &mut Engine) {
    use crate::orm::mapping::column::DefaultFn;
    use crate::script::convert::SqlValue;
    use crate::sql::ColumnType;
    engine.register_type_with_name::<Datetime>("datetime");
    engine.register_fn("to_string", |_: &mut Datetime| {
        "<module 'datetime'>".to_string()
    });
    // As Python's `datetime.utcnow()` and `datetime.now()`: naive wall times.
    engine.register_fn("utcnow", |_: &mut Datetime| {
        SqlValue(DefaultFn::UtcNow.value(&ColumnType::DateTime))
    });
    engine.register_fn("now", |_: &mut Datetime| {
        SqlValue(DefaultFn::LocalNow.value(&ColumnType::DateTime))
    });
    engine.register_type_with_name::<LateModel>("Model");
    engine.register_fn("to_string", |m: &mut LateModel| {
        format!("<class '{}' (declared later)>", m.0)
    });
}
