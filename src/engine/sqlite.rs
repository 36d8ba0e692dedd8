//! SQLite through rusqlite, on a connection ormsh opens and owns
//! (`sqlite_open`): statements run on the caller's own thread, with no
//! async runtime and no hand-over between threads, which on a two-core
//! machine would be most of what a short statement costs. The exception is
//! a deferred statement (a flush's INSERTs), which runs on a thread of
//! ormsh's own while this one makes the next (`sqlite_deferred`); the
//! connection moves there and back. Prepared statements are cached per
//! connection. Values bind by storage class and decode by storage class,
//! then read as the model's declared type (SQLite reports no type for
//! expressions).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use rusqlite::types::ValueRef;

use super::EngineOptions;
use super::ExecResult;
use super::RowView;
use super::connection::as_declared;
use super::sqlite_deferred::{DeferredRunner, Done};
use super::sqlite_open::{self, Settings};
use super::sqlite_statement::{run_statement, sqlite_error};
use crate::app::SqliteTarget;
use crate::error::{Error, Result};
use crate::sql::{ColumnType, Compiled, Value};

/// One SQLite connection, opened on the first statement.
pub(crate) struct SqliteConnection {
    settings: Settings,
    /// Statements running on a second thread, which holds the connection
    /// meanwhile.
    deferred: Option<DeferredRunner>,
    /// What that thread ran, not yet taken by the engine.
    finished: Vec<Done>,
    /// None before the first statement, and while the deferred thread has it.
    conn: Option<rusqlite::Connection>,
    in_transaction: bool,
    /// Raised by Ctrl-C: a running statement stops where it is.
    interrupt: Arc<AtomicBool>,
}

/// A connection to `target`, opened on its first statement; `read_only`:
/// the URL opens the file read-only.
pub(crate) fn connect(
    target: &SqliteTarget,
    options: &EngineOptions,
    read_only: bool,
) -> SqliteConnection {
    let settings = Settings {
        file: match target {
            SqliteTarget::Memory => None,
            SqliteTarget::File(path) => Some(path.clone()),
        },
        read_only_file: read_only,
        busy_timeout: options.busy_timeout,
        foreign_keys: options.sqlite_foreign_keys,
        query_only: options.read_only,
    };
    SqliteConnection {
        settings,
        deferred: None,
        finished: Vec::new(),
        conn: None,
        in_transaction: false,
        interrupt: Arc::new(AtomicBool::new(false)),
    }
}

/// SQLite counts every allocation it makes under a global mutex, for
/// `sqlite3_memory_used`, which nothing here reads: a lock and an unlock
/// per allocation, ~2% of a seed's instructions. Turned off for the whole
/// process, so only at its start, while one thread runs and SQLite is not
/// yet initialized (`sqlite3_config` is not thread-safe).
pub fn configure_process() {
    // SAFETY: SQLITE_CONFIG_MEMSTATUS takes one int, and the caller runs
    // this before any other SQLite call, on the only thread.
    unsafe {
        rusqlite::ffi::sqlite3_config(rusqlite::ffi::SQLITE_CONFIG_MEMSTATUS, 0);
    }
}

impl SqliteConnection {
    /// The connection, on this thread: opened on first use. One
    /// connection: an in-memory database exists per connection, and a file
    /// needs no more for one person at a prompt.
    fn direct(&mut self) -> Result<&rusqlite::Connection> {
        self.join_deferred();
        if self.conn.is_none() {
            self.conn = Some(sqlite_open::open(&self.settings, self.interrupt.clone())?);
        }
        Ok(self.conn.as_ref().expect("opened just above"))
    }

    pub fn set_interrupt(&mut self, flag: Arc<AtomicBool>) {
        self.join_deferred();
        if let Some(conn) = &self.conn {
            // Fails only on a connection rusqlite does not own; this one it does.
            let _ = sqlite_open::watch(conn, flag.clone());
        }
        self.interrupt = flag;
    }

    pub fn in_transaction(&self) -> bool {
        self.in_transaction
    }

    /// Whether this connection has written in its transaction, and so
    /// holds the lock that keeps every other connection from writing.
    pub fn holds_write_lock(&mut self) -> bool {
        self.join_deferred();
        self.conn.as_ref().is_some_and(|conn| {
            conn.transaction_state(None::<&str>) == Ok(rusqlite::TransactionState::Write)
        })
    }

    pub fn begin(&mut self) -> Result<()> {
        if !self.in_transaction {
            self.control("BEGIN")?;
            self.in_transaction = true;
        }
        Ok(())
    }

    /// A COMMIT that fails (another writer's lock) leaves the transaction
    /// rolled back.
    pub fn commit(&mut self) -> Result<()> {
        if !self.in_transaction {
            return Ok(());
        }
        let outcome = self.control("COMMIT");
        if outcome.is_err() {
            self.discard();
        }
        self.in_transaction = false;
        outcome
    }

    pub fn rollback(&mut self) -> Result<()> {
        self.join_deferred();
        if !self.in_transaction {
            return Ok(());
        }
        self.in_transaction = false;
        match self.control("ROLLBACK") {
            // SQLite itself ended it already (after SQLITE_FULL, say).
            Err(_) if self.conn.as_ref().is_some_and(|c| c.is_autocommit()) => Ok(()),
            outcome => outcome,
        }
    }

    /// Forget the transaction: rolled back, whatever that says.
    pub fn discard(&mut self) {
        self.join_deferred();
        self.in_transaction = false;
        if let Some(conn) = &self.conn
            && !conn.is_autocommit()
        {
            let _ = conn.execute_batch("ROLLBACK");
        }
    }

    /// Run `stmt` on a second thread (`sqlite_deferred`) and go on; it
    /// comes back with its outcome from `take_done`. Inside the open
    /// transaction only.
    pub fn defer(&mut self, stmt: Compiled) -> Result<()> {
        if self.deferred.is_none() {
            self.direct()?;
            // The thread takes the connection; without a thread it stays,
            // and the statement runs here.
            self.deferred = DeferredRunner::start(&mut self.conn);
        }
        match self.deferred.as_mut() {
            Some(runner) => runner.send(stmt),
            // No thread to be had: run it here.
            None => {
                let started = std::time::Instant::now();
                let outcome = self.execute(&stmt).map(|r| r.rows_affected);
                self.finished.push(Done {
                    stmt,
                    started,
                    elapsed: started.elapsed(),
                    outcome,
                });
            }
        }
        Ok(())
    }

    /// What deferred statements have finished, in order; with `wait`, all
    /// of them, and the connection is this thread's again.
    pub fn take_done(&mut self, wait: bool) -> Vec<Done> {
        if wait {
            self.join_deferred();
        } else if let Some(runner) = &mut self.deferred {
            self.finished.extend(runner.ready());
        }
        std::mem::take(&mut self.finished)
    }

    fn join_deferred(&mut self) {
        if let Some(runner) = self.deferred.take() {
            let (done, conn) = runner.finish();
            self.finished.extend(done);
            match conn {
                Some(conn) => self.conn = Some(conn),
                // The thread stopped and the connection (with its
                // transaction) went with it: the next statement opens
                // another.
                None => self.in_transaction = false,
            }
            if self
                .finished
                .iter()
                .any(|d| matches!(d.outcome, Err(Error::Interrupted)))
            {
                // As for a statement stopped on this thread (`for_each_row`).
                self.discard();
            }
        }
    }

    fn control(&mut self, sql: &str) -> Result<()> {
        self.direct()?
            .prepare_cached(sql)
            .and_then(|mut s| s.raw_execute())
            .map(|_| ())
            .map_err(sqlite_error)
    }

    pub fn execute(&mut self, stmt: &Compiled) -> Result<ExecResult> {
        self.for_each_row(stmt, |_| Ok(()))?;
        let direct = self.direct()?;
        Ok(ExecResult {
            rows_affected: direct.changes(),
            last_insert_id: Some(direct.last_insert_rowid()),
        })
    }

    /// Run a query and hand each row over as SQLite steps to it.
    pub fn fetch_rows(
        &mut self,
        stmt: &Compiled,
        types: &[Option<ColumnType>],
        mut each: impl FnMut(&dyn RowView) -> Result<()>,
    ) -> Result<()> {
        self.for_each_row(stmt, |row| each(&SqliteRow { row, types }))
    }

    /// Rows of a statement the user wrote, with the column names SQLite
    /// gives (none when there are no rows).
    pub fn fetch_named(&mut self, stmt: &Compiled) -> Result<(Vec<String>, Vec<Vec<Value>>)> {
        let mut names = Vec::new();
        let mut out = Vec::new();
        self.for_each_row(stmt, |row| {
            if out.is_empty() {
                names = row
                    .as_ref()
                    .column_names()
                    .iter()
                    .map(|n| n.to_string())
                    .collect();
            }
            out.push(SqliteRow { row, types: &[] }.all()?);
            Ok(())
        })?;
        Ok((names, out))
    }

    /// `run_statement` on this thread, which Ctrl-C stops.
    fn for_each_row(
        &mut self,
        stmt: &Compiled,
        mut each: impl FnMut(&rusqlite::Row<'_>) -> Result<()>,
    ) -> Result<()> {
        if self.interrupt.load(Ordering::Relaxed) {
            return Err(Error::Interrupted);
        }
        let direct = self.direct()?;
        let outcome = run_statement(direct, stmt, &mut each);
        if matches!(outcome, Err(Error::Interrupted)) {
            // The stopped statement may have ended the transaction or not:
            // either way it can no longer be trusted.
            self.discard();
        }
        outcome
    }
}

/// A row, each column decoded by what SQLite stored, then read as
/// `types[i]` where it is given.
struct SqliteRow<'a, 'r> {
    row: &'a rusqlite::Row<'r>,
    types: &'a [Option<ColumnType>],
}

impl RowView for SqliteRow<'_, '_> {
    fn width(&self) -> usize {
        self.row.as_ref().column_count()
    }
    fn value(&self, i: usize) -> Result<Value> {
        let raw = self.row.get_ref(i).map_err(sqlite_error)?;
        as_declared(stored(raw)?, self.types, i)
    }
}

#[inline(always)]
fn stored(raw: ValueRef<'_>) -> Result<Value> {
    Ok(match raw {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(i) => Value::Int(i),
        ValueRef::Real(f) => Value::Float(f),
        ValueRef::Text(t) => Value::Text(
            String::from_utf8(t.to_vec())
                .map_err(|e| Error::invalid(format!("cannot decode a stored value: {e}")))?,
        ),
        ValueRef::Blob(b) => Value::Bytes(b.to_vec()),
    })
}
