//! Recorded queries (`record_queries`, `.record on`): every statement with
//! its parameters, times, and where it came from (script file:line, or the
//! prompt's input number and line). Rhai's debugger hook tells which
//! statement runs; it is installed only once recording is asked for, so a
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
    /// `seed.rhai:12`, or `prompt 3:1` (the third input, its first line).
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
    }

    /// Keep `event` when recording, with the current location. BEGIN,
    /// COMMIT and ROLLBACK are not statements a cursor runs, and
    /// Flask-SQLAlchemy does not record them either.
    pub fn record(&self, event: &QueryEvent<'_>) {
        if !self.on.get() || event.rows.is_none() {
            return;
        }
        let origin = self.origin.borrow();
        let location = match self.line.get() {
            0 => origin.clone(),
            line => format!("{origin}:{line}"),
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
            move |_, _, _, _, pos| {
                if let Some(line) = pos.line() {
                    me.line.set(line);
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
                m.insert(
                    "parameters".into(),
                    q.params
                        .iter()
                        .cloned()
                        .map(from_value)
                        .collect::<Array>()
                        .into(),
                );
                m.insert(
                    "duration".into(),
                    (q.elapsed.as_secs_f64() as rhai::FLOAT).into(),
                );
                let start = q
                    .started
                    .duration_since(std::time::UNIX_EPOCH)
                    .map(|d| d.as_secs_f64())
                    .unwrap_or(0.0);
                m.insert("start_time".into(), (start as rhai::FLOAT).into());
                m.insert(
                    "end_time".into(),
                    ((start + q.elapsed.as_secs_f64()) as rhai::FLOAT).into(),
                );
                m.insert("location".into(), r.location.clone().into());
                Dynamic::from(m)
            })
            .collect()
    }
}
