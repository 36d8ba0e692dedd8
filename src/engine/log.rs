//! The query log: every statement the engine sends, with its parameters,
//! duration and row count, handed to whoever listens (the SQL echo,
//! `record_queries`, counters in tests).

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use crate::sql::Value;

/// One statement as it was sent.
#[derive(Debug, Clone)]
pub struct QueryEvent {
    pub sql: String,
    pub params: Vec<Value>,
    pub elapsed: Duration,
    /// When it was sent (wall clock), for recorded queries.
    pub started: std::time::SystemTime,
    /// Rows returned (SELECT) or affected (DML); `None` for transaction control.
    pub rows: Option<u64>,
}

pub type Listener = Box<dyn FnMut(&QueryEvent)>;

/// A cheap handle to the shared list of listeners.
#[derive(Clone, Default)]
pub struct QueryLog {
    listeners: Rc<RefCell<Vec<Listener>>>,
}

impl QueryLog {
    pub fn subscribe(&self, listener: Listener) {
        self.listeners.borrow_mut().push(listener);
    }

    /// Whether anybody listens; the engine skips building events otherwise.
    pub fn is_active(&self) -> bool {
        !self.listeners.borrow().is_empty()
    }

    pub fn emit(&self, event: &QueryEvent) {
        // A listener that itself runs a statement would re-enter: skip it then.
        if let Ok(mut listeners) = self.listeners.try_borrow_mut() {
            for listener in listeners.iter_mut() {
                listener(event);
            }
        }
    }
}

impl std::fmt::Debug for QueryLog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "QueryLog({} listeners)", self.listeners.borrow().len())
    }
}
