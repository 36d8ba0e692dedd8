//! Recorded queries (`record_queries`, `.record on`): every statement with
//! its parameters, times, and where it came from as Flask-SQLAlchemy says
//! it: `seed.rhai:12 (load_users)`, the script file and line (or the
//! prompt's input number and line) and the function running, `<module>` at
//! the top level. Rhai's debugger hook tells which statement runs and in
//! which function; it is installed only once recording is asked for, so a
//! session that never records pays nothing for it.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use rhai::{Array, Dynamic, Engine, Map};

use super::convert::from_value;
use crate::engine::{LoggedQuery, QueryEvent};

/// One recorded statement.
#[derive(Debug, Clone)]
pub struct RecordedQuery {
    pub event: LoggedQuery,
    /// `seed.rhai:12 (load_users)`, or `prompt 3:1 (<module>)` (the third
    /// input, its first line, outside any function).
    pub location: String,
}

/// The statements recorded so far, and where evaluation is now.
#[derive(Default)]
pub struct Recorder {
    on: Cell<bool>,
    queries: RefCell<Vec<RecordedQuery>>,
    /// The file, or `prompt N`, being evaluated.
    origin: RefCell<String>,
    /// The line of the statement running now (0 until the hook is in).
    line: Cell<usize>,
    /// The script function running now (empty at the top level).
    function: RefCell<rhai::ImmutableString>,
    hooked: Cell<bool>,
}

impl Recorder {
    pub fn is_on(&self) -> bool {
        self.on.get()
    }

    pub fn set_on(&self, on: bool) {
        self.on.set(on);
    }

    /// Name what is about to be evaluated.
    pub fn set_origin(&self, origin: String) {
        *self.origin.borrow_mut() = origin;
        self.line.set(0);
        *self.function.borrow_mut() = rhai::ImmutableString::new();
    }

    /// Keep `event` when recording, with the current location. BEGIN,
    /// COMMIT and ROLLBACK are not statements a cursor runs, and
    /// Flask-SQLAlchemy does not record them either.
    pub fn record(&self, event: &QueryEvent<'_>) {
        if !self.on.get() || event.rows.is_none() {
            return;
        }
        let origin = self.origin.borrow();
        let function = self.function.borrow();
        let function = if function.is_empty() {
            "<module>"
        } else {
            function.as_str()
        };
        let location = match self.line.get() {
            0 => format!("{origin} ({function})"),
            line => format!("{origin}:{line} ({function})"),
        };
        self.queries.borrow_mut().push(RecordedQuery {
            event: event.to_logged(),
            location,
        });
    }

    pub fn queries(&self) -> Vec<RecordedQuery> {
        self.queries.borrow().clone()
    }

    /// Have `engine` report each statement's line from now on (once).
    pub fn hook(self: &Rc<Self>, engine: &mut Engine) {
        if self.hooked.replace(true) {
            return;
        }
        let me = self.clone();
        #[allow(deprecated)] // a volatile API, not a deprecated one
        engine.register_debugger(
            |_, debugger| debugger,
            move |context, _, _, _, pos| {
                if let Some(line) = pos.line() {
                    me.line.set(line);
                }
                let stack = context.global_runtime_state().debugger().call_stack();
                let function = stack.last().map(|f| &f.fn_name);
                let mut current = me.function.borrow_mut();
                match function {
                    Some(name) if *name != *current => *current = name.clone(),
                    None if !current.is_empty() => *current = rhai::ImmutableString::new(),
                    _ => {}
                }
                Ok(rhai::debugger::DebuggerCommand::StepInto)
            },
        );
    }

    /// `db.get_recorded_queries()`: Flask-SQLAlchemy's fields, as maps.
    pub fn to_array(&self) -> Array {
        self.queries
            .borrow()
            .iter()
            .map(|r| {
                let q = &r.event;
                let mut m = Map::new();
                m.insert("statement".into(), q.sql.clone().into());
                // As SQLAlchemy's `context.parameters`: a list of parameter
                // sets, one per execution (`parameters[0][0]` is the first value).
                let set: Array = q.params.iter().cloned().map(from_value).collect();
                m.insert("parameters".into(), vec![Dynamic::from(set)].into());
                let start = q
                    .started
                    .duration_since(std::time::UNIX_EPOCH)
                    .map(|d| d.as_secs_f64())
                    .unwrap_or(0.0) as rhai::FLOAT;
                let end = start + q.elapsed.as_secs_f64() as rhai::FLOAT;
                // As Flask-SQLAlchemy's property: exactly `end_time - start_time`.
                m.insert("duration".into(), (end - start).into());
                m.insert("start_time".into(), start.into());
                m.insert("end_time".into(), end.into());
                m.insert("location".into(), r.location.clone().into());
                Dynamic::from(m)
            })
            .collect()
    }
}
