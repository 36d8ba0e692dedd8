//! Mapper events, as SQLAlchemy's `before_insert`, `after_insert`,
//! `before_update` and `after_update`: code of the models that a flush
//! calls with each object it writes (the object may change its own
//! attributes before its row is written).

use std::cell::RefCell;
use std::rc::Rc;

use crate::error::Result;
use crate::orm::state::instance::Instance;
use crate::orm::state::session_state::SessionState;

/// When a listener runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MapperEvent {
    /// Before the object's INSERT (before its defaults are filled in).
    BeforeInsert,
    /// After its INSERT, with its key.
    AfterInsert,
    /// Before the UPDATE of an object with changes.
    BeforeUpdate,
    /// After that UPDATE.
    AfterUpdate,
}

impl MapperEvent {
    /// SQLAlchemy's name for the event.
    pub fn parse(name: &str) -> Option<MapperEvent> {
        Some(match name {
            "before_insert" => MapperEvent::BeforeInsert,
            "after_insert" => MapperEvent::AfterInsert,
            "before_update" => MapperEvent::BeforeUpdate,
            "after_update" => MapperEvent::AfterUpdate,
            _ => return None,
        })
    }
}

/// Code called with the object the event is about.
pub type Listener = Rc<dyn Fn(&Instance) -> Result<()>>;

/// The listeners of one session, by model and event.
#[derive(Default)]
pub struct Listeners(RefCell<Vec<(String, MapperEvent, Listener)>>);

impl SessionState {
    /// Call `f` with each object of `model` the flush writes, at `event`.
    pub fn listen(&self, model: &str, event: MapperEvent, f: Listener) {
        self.listeners
            .0
            .borrow_mut()
            .push((model.to_string(), event, f));
    }

    /// Whether any listener is registered for `event`.
    pub(crate) fn listens(&self, event: MapperEvent) -> bool {
        self.listeners
            .0
            .borrow()
            .iter()
            .any(|(_, e, _)| *e == event)
    }

    /// Run the listeners of `event` for each of `objs`.
    pub(crate) fn dispatch(&self, event: MapperEvent, objs: &[Instance]) -> Result<()> {
        if !self.listens(event) {
            return Ok(());
        }
        for obj in objs {
            let model = obj.mapper().name.clone();
            let found: Vec<Listener> = self
                .listeners
                .0
                .borrow()
                .iter()
                .filter(|(m, e, _)| *e == event && *m == model)
                .map(|(_, _, f)| f.clone())
                .collect();
            for f in found {
                f(obj)?;
            }
        }
        Ok(())
    }
}
