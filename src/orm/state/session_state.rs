//! The state a session keeps, in its parts: the registry and the databases,
//! the identity map, the changes waiting for the next flush (`changes.rs`),
//! the open transaction's record (`transaction.rs`), and the session's
//! options and counters. The facade that scripts and Rust callers use is
//! `orm::session::Session`; the loaders (`orm::loading`) and the unit of
//! work (`orm::flush`) reach this state through the methods here, never
//! through its fields.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use crate::engine::Engine;
use crate::error::Result;
use crate::orm::mapping::model::{Mapper, Registry};
use crate::orm::state::change_sets::Changes;
use crate::orm::state::engines::Engines;
use crate::orm::state::identity::IdentityMap;
use crate::orm::state::instance::{Instance, default_repr};
use crate::orm::state::transaction_record::TransactionRecord;

/// The switches a session runs under.
pub(super) struct Options {
    pub autoflush: Cell<bool>,
    pub expire_on_commit: Cell<bool>,
    /// Held commits (the sandbox, `run --atomic`): `commit()` flushes and
    /// marks the point with a savepoint instead of committing.
    pub hold_commits: Cell<bool>,
    /// `track_modifications`: record each object the flushes write.
    pub track: Cell<bool>,
}

pub struct SessionState {
    /// Replaced as a whole (never changed in place) when models are added at run time.
    registry: RefCell<Rc<Registry>>,
    engines: Engines,
    pub(super) identity: RefCell<IdentityMap>,
    pub(super) changes: Changes,
    pub(super) tx: TransactionRecord,
    pub(super) options: Options,
    /// A flush is running (a flush inside it does nothing).
    flushing: Cell<bool>,
    /// Relationship loads that sent SQL (for the N+1 detector above).
    lazy_loads: Cell<u64>,
    /// Object queries run so far: each marks the objects it returns.
    queries_run: Cell<u32>,
    /// What the session has to say that is not an error (SQLAlchemy's
    /// warnings), until the caller takes it.
    warnings: RefCell<Vec<String>>,
    /// Mapper events' listeners.
    pub(super) listeners: crate::orm::state::listeners::Listeners,
}

impl SessionState {
    pub fn new(registry: Rc<Registry>, engines: Engines) -> SessionState {
        SessionState {
            registry: RefCell::new(registry),
            engines,
            identity: RefCell::new(IdentityMap::default()),
            changes: Changes::default(),
            tx: TransactionRecord::default(),
            options: Options {
                autoflush: Cell::new(true),
                expire_on_commit: Cell::new(true),
                hold_commits: Cell::new(false),
                track: Cell::new(false),
            },
            flushing: Cell::new(false),
            lazy_loads: Cell::new(0),
            queries_run: Cell::new(0),
            warnings: RefCell::new(Vec::new()),
            listeners: Default::default(),
        }
    }

    /// Say something that is not an error (a SQLAlchemy warning).
    pub(crate) fn warn(&self, text: String) {
        let mut warnings = self.warnings.borrow_mut();
        if !warnings.contains(&text) {
            warnings.push(text);
        }
    }

    /// The warnings not yet taken.
    pub fn take_warnings(&self) -> Vec<String> {
        std::mem::take(&mut *self.warnings.borrow_mut())
    }

    pub fn registry(&self) -> Rc<Registry> {
        self.registry.borrow().clone()
    }

    /// Swap in a registry that extends the current one (reflection at run
    /// time): the existing mappers keep their indices, so loaded objects stay valid.
    pub fn extend_registry(&self, registry: Rc<Registry>) {
        let known = self
            .identity
            .borrow()
            .objects()
            .into_iter()
            .chain(self.changes.new.borrow().iter().cloned())
            .collect::<Vec<_>>();
        for obj in known {
            obj.remap(&registry);
        }
        *self.registry.borrow_mut() = registry;
    }

    pub fn engines(&self) -> &Engines {
        &self.engines
    }

    pub fn engine_for(&self, mapper: &Mapper) -> Result<&Engine> {
        self.engines.for_mapper(mapper)
    }

    pub fn autoflush_enabled(&self) -> bool {
        self.options.autoflush.get()
    }

    /// Returns what it was.
    pub fn set_autoflush(&self, on: bool) -> bool {
        self.options.autoflush.replace(on)
    }

    /// Run `f` with autoflush off.
    pub fn without_autoflush<T>(&self, f: impl FnOnce() -> T) -> T {
        let before = self.set_autoflush(false);
        let out = f();
        self.set_autoflush(before);
        out
    }

    pub fn set_expire_on_commit(&self, on: bool) {
        self.options.expire_on_commit.set(on);
    }

    /// Whether a flush is running (a flush inside it does nothing).
    pub(crate) fn is_flushing(&self) -> bool {
        self.flushing.get()
    }

    pub(crate) fn set_flushing(&self, on: bool) {
        self.flushing.set(on);
    }

    /// How many lazy relationship loads have sent SQL so far.
    pub fn lazy_loads(&self) -> u64 {
        self.lazy_loads.get()
    }

    pub(crate) fn count_lazy_load(&self) {
        self.lazy_loads.set(self.lazy_loads.get() + 1);
    }

    /// A new mark for the objects the next object query returns (never 0).
    pub(crate) fn next_query_mark(&self) -> u32 {
        let mark = self.queries_run.get().wrapping_add(1).max(1);
        self.queries_run.set(mark);
        mark
    }

    /// Whether a transaction is open on any database (changes not yet committed).
    pub fn in_transaction(&self) -> bool {
        self.engines.all().any(|(_, e)| e.in_transaction())
    }

    /// `<User 1>`, Flask-SQLAlchemy's default repr (`transient` when there is no key yet).
    pub fn describe(&self, obj: &Instance) -> String {
        default_repr(obj)
    }
}
