//! The query log: every statement the engine sends, with its parameters,
//! duration and row count, handed to whoever listens (the SQL echo,
//! `record_queries`, counters in tests).

use std::cell::RefCell;
use std::rc::Rc;
use std::time::{Duration, Instant, SystemTime};

use crate::sql::{Bind, Value};

/// One statement as it was sent, lent to each listener: most only count it
/// or print it when asked, so nothing is copied unless one keeps it
/// (`to_logged`). A seed's batch of 500 rows has 1,500 parameters.
#[derive(Debug, Clone, Copy)]
pub struct QueryEvent<'a> {
    pub sql: &'a str,
    pub binds: &'a [Bind],
    pub elapsed: Duration,
    /// When it was sent.
    pub started: Instant,
    /// Rows returned (SELECT) or affected (DML); `None` for transaction control.
    pub rows: Option<u64>,
}

impl QueryEvent<'_> {
    pub fn params(&self) -> Vec<Value> {
        self.binds.iter().map(|b| b.value.clone()).collect()
    }

    /// The statement kept, with the wall-clock time it was sent.
    pub fn to_logged(&self) -> LoggedQuery {
        LoggedQuery {
            sql: self.sql.to_string(),
            params: self.params(),
            elapsed: self.elapsed,
            started: SystemTime::now() - self.started.elapsed(),
            rows: self.rows,
        }
    }
}

/// A statement kept after it ran (recorded queries).
#[derive(Debug, Clone)]
pub struct LoggedQuery {
    pub sql: String,
    pub params: Vec<Value>,
    pub elapsed: Duration,
    /// When it was sent (wall clock).
    pub started: SystemTime,
    pub rows: Option<u64>,
}

pub type Listener = Box<dyn FnMut(&QueryEvent<'_>)>;

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

    pub fn emit(&self, event: &QueryEvent<'_>) {
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
