//! The engine: one connection per database (PostgreSQL and MariaDB/MySQL
//! through sqlx, one pool type per server backend, never `Any`; SQLite
//! through rusqlite, on this thread or, deferred, on a second one), the
//! transaction on it, executing compiled statements, decoding rows into
//! `Value`s, and the query log. The only layer that touches the drivers,
//! async and threads: everything above calls it synchronously.

// The macros come before the submodules: those use them too.

/// Run `$body` on whichever backend's connection this engine holds.
macro_rules! on_driver {
    ($self:expr, $conn:ident => $body:expr) => {
        match &mut *$self.driver.borrow_mut() {
            Driver::Sqlite($conn) => $body,
            Driver::Postgres($conn) => $body,
            Driver::MySql($conn) => $body,
        }
    };
}

/// Await a driver call unless Ctrl-C comes first. SQLite runs on this
/// thread and watches Ctrl-C itself.
macro_rules! run_interruptible {
    ($self:expr, $conn:ident => $call:expr) => {{
        let outcome = {
            let mut driver = $self.driver.borrow_mut();
            match &mut *driver {
                Driver::Sqlite($conn) => Some($call),
                Driver::Postgres($conn) => $self
                    .runtime
                    .block_on_interruptible(async { $call.await }, &$self.interrupt),
                Driver::MySql($conn) => $self
                    .runtime
                    .block_on_interruptible(async { $call.await }, &$self.interrupt),
            }
        };
        $self.interrupted(outcome)
    }};
}

mod connection;
mod decode;
mod deferred;
mod errors;
mod introspect;
pub mod log;
mod mysql;
mod postgres;
mod row;
mod runtime;
mod sqlite;
mod sqlite_deferred;
mod sqlite_open;
mod sqlite_statement;
mod statement_failure;

use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::{Duration, Instant};

use crate::app::{Backend, DatabaseUrl, SqliteTarget};
use crate::error::{Error, Result};
use crate::sql::{ColumnType, Compiled, Dialect, Value, dialect};

use connection::Connection;
pub use deferred::DeferredFailure;
pub(crate) use errors::database_error;
pub use errors::read_only_refusal;
pub use log::{LoggedQuery, QueryEvent, QueryLog};
pub use row::RowView;
pub use runtime::Runtime;

/// Process-wide settings of the database libraries: call once, first
/// thing in `main`, while one thread runs.
pub fn configure_process() {
    sqlite::configure_process();
}

/// Connection settings beyond the URL.
#[derive(Debug, Clone)]
pub struct EngineOptions {
    /// How long SQLite waits for another writer's lock.
    pub busy_timeout: Duration,
    /// How long to wait for a server before giving up with one clear line.
    pub connect_timeout: Duration,
    /// Whether SQLite enforces foreign keys (`PRAGMA foreign_keys`); off by
    /// default, as in SQLAlchemy.
    pub sqlite_foreign_keys: bool,
    /// `--read-only`: the connection itself refuses writes (SQLite's
    /// `PRAGMA query_only`, a read-only session on the servers).
    pub read_only: bool,
    /// The schemas reflection reads besides the search path (PostgreSQL)
    /// or the current database (MySQL) (`--schema`, `schemas = [..]`); `*`
    /// for every schema but the system's. SQLite has one per file.
    pub schemas: Vec<String>,
}

impl Default for EngineOptions {
    fn default() -> Self {
        EngineOptions {
            busy_timeout: Duration::from_secs(5),
            connect_timeout: Duration::from_secs(5),
            sqlite_foreign_keys: false,
            read_only: false,
            schemas: Vec::new(),
        }
    }
}

/// What a statement that returns no rows did.
#[derive(Debug, Clone, Copy, Default)]
pub struct ExecResult {
    pub rows_affected: u64,
    /// The key the database generated, where it reports one (MySQL, SQLite).
    pub last_insert_id: Option<i64>,
}

/// The backend-specific connection, chosen once at connect time.
enum Driver {
    Sqlite(Box<sqlite::SqliteConnection>),
    Postgres(Connection<postgres::PostgresDriver>),
    MySql(Connection<mysql::MySqlDriver>),
}

/// One database: its dialect, its connection and open transaction, and the log.
pub struct Engine {
    driver: std::cell::RefCell<Driver>,
    dialect: &'static dyn Dialect,
    /// What the server said it is, on connecting (where the dialect asks).
    server_version: Arc<std::sync::OnceLock<String>>,
    /// The dialect as that version refines it, worked out once.
    refined: std::cell::Cell<Option<&'static dyn Dialect>>,
    runtime: Runtime,
    log: QueryLog,
    url: String,
    interrupt: Arc<AtomicBool>,
    /// How long a statement waits for another writer's lock (SQLite).
    busy_timeout: Duration,
    /// Deferred statements accounted for since the last `settle`.
    deferred_seen: std::cell::Cell<usize>,
    /// The connection refuses writes (`--read-only`).
    read_only: bool,
    /// Whether a read begins the transaction too (SQLAlchemy's autobegin,
    /// for scripts); at a prompt reads run on their own, so an idle prompt
    /// holds no lock and no snapshot.
    reads_begin: std::cell::Cell<bool>,
    /// The schemas introspection reads besides the default ones.
    schemas: std::cell::RefCell<Vec<String>>,
}

// The driver's RefCell borrow spans each `block_on`: nothing else runs on
// this thread meanwhile, so no other borrow can be attempted while it is held.
#[allow(clippy::await_holding_refcell_ref)]
impl Engine {
    /// Prepare a connection to `url`. Nothing is sent until the first
    /// statement, so start-up costs nothing on a slow server.
    pub fn connect(
        url: &DatabaseUrl,
        options: &EngineOptions,
        runtime: &Runtime,
        log: QueryLog,
    ) -> Result<Engine> {
        let _guard = runtime.enter();
        if !options.schemas.is_empty() && url.backend() == Backend::Sqlite {
            return Err(Error::Config(format!(
                "schemas {:?}: SQLite has one schema per database file; leave `schemas` and `--schema` out",
                options.schemas
            )));
        }
        if let Some(bad) = options
            .schemas
            .iter()
            .find(|s| s.is_empty() || s.contains(','))
        {
            return Err(Error::Config(format!(
                "schema {bad:?}: a schema's name, or `*` for every schema"
            )));
        }
        let mut server_version = Arc::new(std::sync::OnceLock::new());
        let (driver, dialect): (Driver, &'static dyn Dialect) = match url.backend() {
            Backend::Sqlite => {
                let target = url.sqlite_target().cloned().unwrap_or(SqliteTarget::Memory);
                let read_only = url.sqlite_read_only();
                (
                    Driver::Sqlite(Box::new(sqlite::connect(&target, options, read_only))),
                    &dialect::Sqlite,
                )
            }
            Backend::Postgres => {
                let (conn, version) = postgres::connect(&url.connect_url(), options)?;
                server_version = version;
                (Driver::Postgres(conn), &dialect::Postgres)
            }
            Backend::MySql => {
                let (conn, version) = mysql::connect(&url.connect_url(), options)?;
                server_version = version;
                let dialect: &'static dyn Dialect = if url.names_mariadb() {
                    &dialect::MySql::MARIADB_BEFORE_10_5
                } else {
                    &dialect::MySql::MYSQL
                };
                (Driver::MySql(conn), dialect)
            }
        };
        Ok(Engine {
            busy_timeout: options.busy_timeout,
            driver: std::cell::RefCell::new(driver),
            dialect,
            server_version,
            refined: std::cell::Cell::new(None),
            runtime: runtime.clone(),
            log,
            url: url.resolved_masked(),
            interrupt: Arc::new(AtomicBool::new(false)),
            deferred_seen: std::cell::Cell::new(0),
            read_only: options.read_only,
            reads_begin: std::cell::Cell::new(false),
            schemas: std::cell::RefCell::new(options.schemas.clone()),
        })
    }

    /// The dialect, as the server's version refines it once connected
    /// (MariaDB's INSERT .. RETURNING on a `mysql://` URL).
    pub fn dialect(&self) -> &'static dyn Dialect {
        if let Some(refined) = self.refined.get() {
            return refined;
        }
        let Some(version) = self.server_version.get() else {
            return self.dialect;
        };
        let refined = self
            .dialect
            .for_server_version(version)
            .unwrap_or(self.dialect);
        self.refined.set(Some(refined));
        refined
    }

    /// The URL with its password masked and a relative SQLite file shown
    /// where it is.
    pub fn url(&self) -> &str {
        &self.url
    }

    pub fn log(&self) -> &QueryLog {
        &self.log
    }

    /// The flag that Ctrl-C sets; a running statement is abandoned when it is.
    pub fn set_interrupt_flag(&mut self, flag: Arc<AtomicBool>) {
        if let Driver::Sqlite(c) = &mut *self.driver.borrow_mut() {
            c.set_interrupt(flag.clone());
        }
        self.interrupt = flag;
    }

    pub fn in_transaction(&self) -> bool {
        on_driver!(self, c => c.in_transaction())
    }

    /// Whether the connection refuses writes (`--read-only`).
    pub fn is_read_only(&self) -> bool {
        self.read_only
    }

    /// Make reads begin the transaction as writes do (a script's session:
    /// one transaction from its first statement to its commit, as
    /// SQLAlchemy's; on SQLite a statement outside one pays for its own).
    pub fn set_reads_begin(&self, on: bool) {
        self.reads_begin.set(on);
    }

    /// Whether no other connection can write until this transaction ends
    /// (SQLite, once it has written; a server locks rows, never the database).
    pub fn holds_write_lock(&self) -> bool {
        match &mut *self.driver.borrow_mut() {
            Driver::Sqlite(c) => c.holds_write_lock(),
            Driver::Postgres(_) | Driver::MySql(_) => false,
        }
    }

    /// Run a statement that returns no rows, inside the transaction (begun on demand).
    pub fn execute(&self, stmt: &Compiled) -> Result<ExecResult> {
        self.settle_any()?;
        self.ensure_transaction()?;
        let started = Instant::now();
        let result = run_interruptible!(self, c => c.execute(stmt));
        let result = result?;
        self.record(&stmt.sql, stmt, started, Some(result.rows_affected));
        Ok(result)
    }

    /// Run a statement on its own, outside any transaction (autocommit),
    /// as Alembic's `autocommit_block()` runs what a database will not run
    /// or use inside one (PostgreSQL's `ALTER TYPE .. ADD VALUE`); refused
    /// while a transaction is open (the caller commits it first).
    pub fn execute_autocommit(&self, stmt: &Compiled) -> Result<()> {
        self.settle_any()?;
        if self.in_transaction() {
            return Err(Error::Invalid(
                "a statement outside any transaction was asked for while one is open".into(),
            ));
        }
        let started = Instant::now();
        let (_, rows) = run_interruptible!(self, c => c.fetch_named(stmt))?;
        self.record(&stmt.sql, stmt, started, Some(rows.len() as u64));
        Ok(())
    }

    /// Run a query and decode every row, reading column `i` as `types[i]`
    /// where it is given (else by what the database reports).
    /// A write that returns rows (INSERT .. RETURNING): inside the
    /// transaction, begun on demand, like every write.
    pub fn execute_returning(
        &self,
        stmt: &Compiled,
        types: &[Option<ColumnType>],
    ) -> Result<Vec<Vec<Value>>> {
        self.ensure_transaction()?;
        self.fetch(stmt, types)
    }

    /// Reads join the open transaction, or run on their own when none is
    /// open: only writes begin one, unless `set_reads_begin`.
    pub fn fetch(&self, stmt: &Compiled, types: &[Option<ColumnType>]) -> Result<Vec<Vec<Value>>> {
        let mut rows = Vec::new();
        self.fetch_each(stmt, types, |row| {
            rows.push(row);
            Ok(())
        })?;
        Ok(rows)
    }

    /// A query whose rows are handed to `each` as they are decoded, none
    /// kept: a result of any size in bounded memory. Returns how many.
    pub fn fetch_each(
        &self,
        stmt: &Compiled,
        types: &[Option<ColumnType>],
        mut each: impl FnMut(Vec<Value>) -> Result<()>,
    ) -> Result<u64> {
        self.fetch_rows(stmt, types, |row| each(row.all()?))
    }

    /// As `fetch_each`, each row handed over undecoded: `each` decodes the
    /// columns it needs.
    pub fn fetch_rows(
        &self,
        stmt: &Compiled,
        types: &[Option<ColumnType>],
        mut each: impl FnMut(&dyn RowView) -> Result<()>,
    ) -> Result<u64> {
        self.settle_any()?;
        if self.reads_begin.get() {
            self.ensure_transaction()?;
        }
        let started = Instant::now();
        let mut count = 0u64;
        let mut counted = |row: &dyn RowView| {
            count += 1;
            each(row)
        };
        run_interruptible!(self, c => c.fetch_rows(stmt, types, &mut counted))?;
        self.record(&stmt.sql, stmt, started, Some(count));
        Ok(count)
    }

    /// A statement the user wrote that returns rows: the rows with the
    /// column names the database gives, each value as the database stored it.
    pub fn fetch_named(&self, stmt: &Compiled) -> Result<(Vec<String>, Vec<Vec<Value>>)> {
        self.settle_any()?;
        if self.reads_begin.get() {
            self.ensure_transaction()?;
        }
        let started = Instant::now();
        let (names, rows) = run_interruptible!(self, c => c.fetch_named(stmt))?;
        self.record(&stmt.sql, stmt, started, Some(rows.len() as u64));
        Ok((names, rows))
    }

    /// Keep an open transaction's connection alive while the prompt waits
    /// (servers and proxies close idle ones): a `SELECT 1` nobody sees.
    pub fn keep_alive(&self) -> Result<()> {
        self.settle_any()?;
        if !self.in_transaction() {
            return Ok(());
        }
        let ping = Compiled {
            sql: "SELECT 1".into(),
            binds: Vec::new(),
        };
        run_interruptible!(self, c => c.fetch_rows(&ping, &[], |_| Ok(())))
    }

    /// Begin the transaction if none is open (SQLAlchemy's autobegin).
    pub fn ensure_transaction(&self) -> Result<()> {
        if self.in_transaction() {
            return Ok(());
        }
        let started = Instant::now();
        run_interruptible!(self, c => c.begin())?;
        self.record_control("BEGIN (implicit)", started);
        Ok(())
    }

    pub fn commit(&self) -> Result<()> {
        // A deferred statement that failed keeps the transaction from committing.
        self.settle_any()?;
        if !self.in_transaction() {
            return Ok(());
        }
        let started = Instant::now();
        // Never abandoned half-way: a COMMIT the server may already have
        // applied must be seen through, whatever Ctrl-C says.
        let result = match &mut *self.driver.borrow_mut() {
            Driver::Sqlite(c) => c.commit(),
            Driver::Postgres(c) => self.runtime.block_on(c.commit()),
            Driver::MySql(c) => self.runtime.block_on(c.commit()),
        };
        self.record_control("COMMIT", started);
        result.map_err(|e| self.lost(self.explained(e)))
    }

    /// `SAVEPOINT name` inside the transaction (begun on demand). The name
    /// is ormsh's own (`sp_1`), never the user's, written as any name is.
    pub fn savepoint(&self, name: &str) -> Result<()> {
        self.execute(&self.savepoint_statement("SAVEPOINT", name))
            .map(|_| ())
    }

    pub fn release_savepoint(&self, name: &str) -> Result<()> {
        self.execute(&self.savepoint_statement("RELEASE SAVEPOINT", name))
            .map(|_| ())
    }

    pub fn rollback_to_savepoint(&self, name: &str) -> Result<()> {
        self.execute(&self.savepoint_statement("ROLLBACK TO SAVEPOINT", name))
            .map(|_| ())
    }

    fn savepoint_statement(&self, verb: &str, name: &str) -> Compiled {
        let mut sql = format!("{verb} ");
        self.dialect().push_identifier(&mut sql, name);
        Compiled {
            sql,
            binds: Vec::new(),
        }
    }

    pub fn rollback(&self) -> Result<()> {
        // What ran is logged; a failure among it is moot now.
        let _ = self.settle();
        if !self.in_transaction() {
            return Ok(());
        }
        let started = Instant::now();
        // A rollback must not be abandoned half-way by a stale Ctrl-C.
        let result = match &mut *self.driver.borrow_mut() {
            Driver::Sqlite(c) => c.rollback(),
            Driver::Postgres(c) => self.runtime.block_on(c.rollback()),
            Driver::MySql(c) => self.runtime.block_on(c.rollback()),
        };
        self.record_control("ROLLBACK", started);
        result
    }

    fn record(&self, sql: &str, stmt: &Compiled, started: Instant, rows: Option<u64>) {
        if self.log.is_active() {
            self.log.emit(&QueryEvent {
                sql,
                binds: &stmt.binds,
                elapsed: started.elapsed(),
                started,
                rows,
            });
        }
    }

    fn record_control(&self, sql: &str, started: Instant) {
        if self.log.is_active() {
            self.log.emit(&QueryEvent {
                sql,
                binds: &[],
                elapsed: started.elapsed(),
                started,
                rows: None,
            });
        }
    }
}

impl Drop for Engine {
    /// An open transaction ends with a rollback, inside the runtime that owns its connection.
    fn drop(&mut self) {
        let _ = self.rollback();
        let _context = self.runtime.enter();
        on_driver!(self, c => c.discard());
    }
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Engine({})", self.url)
    }
}
