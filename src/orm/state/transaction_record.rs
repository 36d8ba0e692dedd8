//! The record of the open transaction, kept across its databases: what it
//! inserted and deleted, the savepoints nested in it (each with the
//! snapshot a rollback to it restores), held commits' marks, and the rows
//! it wrote. What is done with it is `transaction.rs` and `writes.rs`.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;

use crate::orm::state::insert_log::InsertLog;
use crate::orm::state::instance::Instance;

/// The record of the open transaction, kept across its databases.
#[derive(Default)]
pub(super) struct TransactionRecord {
    /// Objects inserted in the open transaction (undone by a rollback),
    /// with their models: held weakly, so a long script's inserts can be
    /// let go once nothing else holds them (a rollback has nothing to undo
    /// on an object nobody can see), and still counted in what it loses.
    pub inserted: RefCell<InsertLog>,
    /// Objects whose rows were deleted in the open transaction (back on rollback).
    pub flushed_deletes: RefCell<Vec<Instance>>,
    /// The binds whose open transaction has a held commit's savepoint.
    pub commit_marks: RefCell<Vec<Option<String>>>,
    /// Savepoints made so far (their names are numbered).
    pub savepoints: Cell<u64>,
    /// The nested transactions open now, innermost last: each one's parent
    /// is the one before it, and the first one's is the transaction itself.
    pub nested: RefCell<Vec<Savepoint>>,
    /// Rows written in the open transaction and not yet committed: per
    /// mapper, [inserted, updated, deleted].
    pub writes: RefCell<HashMap<usize, [u64; 3]>>,
    /// Rows committed (or, with held commits, kept by a commit) since the
    /// last `reset_write_counts`, as `writes`.
    pub committed_writes: RefCell<HashMap<usize, [u64; 3]>>,
    /// Hand-written statements that wrote in the open transaction.
    pub raw_writes: Cell<u64>,
    /// With tracked modifications: each object the flushes wrote, and how.
    pub tracked: RefCell<Vec<(Instance, WriteKind)>>,
}

/// A savepoint made by `begin_nested`, with the snapshot a rollback to it
/// restores.
#[derive(Debug, Clone)]
pub struct Savepoint {
    pub name: String,
    pub(super) inserted_before: usize,
    /// The uncommitted write counts at the savepoint.
    pub(super) writes_before: HashMap<usize, [u64; 3]>,
    pub(super) raw_writes_before: u64,
}

/// Which kind of write a row was.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteKind {
    Insert = 0,
    Update = 1,
    Delete = 2,
}

impl WriteKind {
    /// Flask-SQLAlchemy's name for it in `models_committed`.
    pub fn name(self) -> &'static str {
        match self {
            WriteKind::Insert => "insert",
            WriteKind::Update => "update",
            WriteKind::Delete => "delete",
        }
    }
}
