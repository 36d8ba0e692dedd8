//! Opening SQLite: one rusqlite connection that ormsh owns outright, set up
//! as every statement on it expects (busy timeout, foreign keys, page
//! cache, read-only, stable plans, a statement cache), and the progress
//! handler through which Ctrl-C stops a running statement.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use rusqlite::OpenFlags;

use super::sqlite_statement::sqlite_error;
use crate::error::{Error, Result};

/// How many virtual-machine steps SQLite runs between looks at Ctrl-C.
const PROGRESS_STEPS: i32 = 10_000;

/// Prepared statements kept per connection.
const STATEMENT_CACHE: usize = 512;

/// What a connection is opened with.
#[derive(Debug, Clone)]
pub(super) struct Settings {
    /// The file, or None for a database in memory (one per connection).
    pub file: Option<PathBuf>,
    /// The URL asked for the file read-only (`mode=ro`): it is neither
    /// created nor written.
    pub read_only_file: bool,
    /// How long a statement waits for another writer's lock.
    pub busy_timeout: Duration,
    /// `PRAGMA foreign_keys`: off unless the project asks, as SQLAlchemy
    /// leaves it, so ormsh agrees with the Flask app on the same file.
    pub foreign_keys: bool,
    /// `--read-only`: `PRAGMA query_only`, so SQLite itself refuses every
    /// write on this connection.
    pub query_only: bool,
}

/// Open a connection with `settings`; a running statement on it stops
/// (SQLITE_INTERRUPT) once `interrupt` is raised.
pub(super) fn open(
    settings: &Settings,
    interrupt: Arc<AtomicBool>,
) -> Result<rusqlite::Connection> {
    // One thread uses the connection at a time (the deferred thread only
    // while the caller's waits), so SQLite's own mutex is not needed.
    let flags = OpenFlags::SQLITE_OPEN_URI
        | OpenFlags::SQLITE_OPEN_NO_MUTEX
        | OpenFlags::SQLITE_OPEN_PRIVATE_CACHE;
    let conn = match &settings.file {
        None => rusqlite::Connection::open_in_memory_with_flags(
            flags | OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE,
        ),
        Some(path) if settings.read_only_file => {
            rusqlite::Connection::open_with_flags(path, flags | OpenFlags::SQLITE_OPEN_READ_ONLY)
        }
        Some(path) => rusqlite::Connection::open_with_flags(
            path,
            flags | OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE,
        ),
    }
    .map_err(sqlite_error)?;
    conn.busy_timeout(settings.busy_timeout)
        .map_err(sqlite_error)?;
    // A 64 MiB page cache: a console scans whole tables often, and the
    // default 2 MiB re-reads them from the OS on every scan.
    let mut pragmas = format!(
        "PRAGMA foreign_keys = {}; PRAGMA cache_size = -65536;",
        if settings.foreign_keys { "ON" } else { "OFF" }
    );
    if settings.query_only {
        pragmas.push_str(" PRAGMA query_only = ON;");
    }
    conn.execute_batch(&pragmas).map_err(sqlite_error)?;
    conn.set_prepared_statement_cache_capacity(STATEMENT_CACHE);
    // The query planner's stability guarantee: a plan does not depend on
    // the values bound. Without it SQLite reads a bound LIMIT while
    // planning, and so any new binding of it would expire the plan and
    // parse and plan every `first()` again.
    // Values stay bound parameters; the plans are the ones a server's
    // prepared statement would keep.
    conn.set_db_config(
        rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG,
        true,
    )
    .map_err(|e| Error::Connection(format!("could not configure SQLite: {e}")))?;
    watch(&conn, interrupt)?;
    Ok(conn)
}

/// A running statement on `conn` stops (SQLITE_INTERRUPT) once `flag` is raised.
pub(super) fn watch(conn: &rusqlite::Connection, flag: Arc<AtomicBool>) -> Result<()> {
    conn.progress_handler(PROGRESS_STEPS, Some(move || flag.load(Ordering::Relaxed)))
        .map_err(sqlite_error)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rusqlite::StatementStatus;

    fn in_memory() -> Settings {
        Settings {
            file: None,
            read_only_file: false,
            busy_timeout: Duration::from_secs(5),
            foreign_keys: false,
            query_only: false,
        }
    }

    /// A cached point lookup runs again with new values without being
    /// parsed and planned again (see `open`).
    #[test]
    fn a_new_binding_keeps_the_plan() {
        let direct = open(&in_memory(), Arc::new(AtomicBool::new(false))).unwrap();
        direct
            .execute_batch(
                "CREATE TABLE t (x INTEGER PRIMARY KEY, name TEXT UNIQUE);
                 INSERT INTO t (name) VALUES ('a'), ('b'), ('c');",
            )
            .unwrap();
        for (n, name) in ["a", "b", "c"].into_iter().enumerate() {
            let mut stmt = direct
                .prepare_cached("SELECT x FROM t WHERE name = ? LIMIT ?")
                .unwrap();
            let rows: Vec<i64> = stmt
                .query_map((name, n as i64 + 1), |r| r.get(0))
                .unwrap()
                .collect::<rusqlite::Result<_>>()
                .unwrap();
            assert_eq!(rows, [n as i64 + 1]);
            assert_eq!(stmt.get_status(StatementStatus::RePrepare), 0, "{name}");
        }
    }

    /// The settings reach SQLite: busy timeout, foreign keys, query_only.
    #[test]
    fn settings_are_applied() {
        let settings = Settings {
            busy_timeout: Duration::from_millis(1234),
            foreign_keys: true,
            query_only: true,
            ..in_memory()
        };
        let conn = open(&settings, Arc::new(AtomicBool::new(false))).unwrap();
        let pragma = |name: &str| -> i64 {
            conn.query_row(&format!("PRAGMA {name}"), [], |r| r.get(0))
                .unwrap()
        };
        assert_eq!(pragma("busy_timeout"), 1234);
        assert_eq!(pragma("foreign_keys"), 1);
        assert_eq!(pragma("query_only"), 1);
        assert_eq!(pragma("cache_size"), -65536);
        assert!(conn.execute_batch("CREATE TABLE t (x)").is_err());
    }

    /// A raised flag stops a long statement with SQLITE_INTERRUPT.
    #[test]
    fn a_raised_flag_interrupts() {
        let flag = Arc::new(AtomicBool::new(true));
        let conn = open(&in_memory(), flag).unwrap();
        let err = conn
            .query_row(
                "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 10000000) SELECT count(*) FROM n",
                [],
                |r| r.get::<_, i64>(0),
            )
            .map_err(sqlite_error)
            .unwrap_err();
        assert!(matches!(err, Error::Interrupted), "{err:?}");
    }
}
