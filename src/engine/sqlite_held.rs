//! A sqlx SQLite connection whose handle is locked out of sqlx's worker
//! thread for as long as ormsh holds it, with a rusqlite connection over the
//! same handle. The one place that lends the handle out, and that lets go of
//! things in the order SQLite needs: statements, then the handle, then the
//! connection.

use std::mem::ManuallyDrop;
use std::ptr::NonNull;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use sqlx::sqlite::{LockedSqliteHandle, SqliteConnection};

use super::database_error;
use crate::error::{Error, Result};

/// How many virtual-machine steps SQLite runs between looks at Ctrl-C.
const PROGRESS_STEPS: i32 = 10_000;

pub(super) struct Held {
    direct: ManuallyDrop<rusqlite::Connection>,
    handle: ManuallyDrop<LockedSqliteHandle<'static>>,
    /// A leaked box: `handle` borrows it, so it is freed only after `handle`.
    owner: NonNull<SqliteConnection>,
}

impl Held {
    /// Take the handle from sqlx's worker thread, which then waits, idle,
    /// until the `Held` is dropped.
    pub async fn lock(conn: SqliteConnection) -> Result<Held> {
        let owner = NonNull::from(Box::leak(Box::new(conn)));
        // SAFETY: `owner` stays allocated, and untouched by anything else,
        // until `drop` has dropped the handle that borrows it.
        let locked = unsafe { &mut *owner.as_ptr() }.lock_handle().await;
        let mut handle = match locked {
            Ok(handle) => handle,
            Err(e) => {
                // SAFETY: nothing borrows `owner` once the lock failed.
                drop(unsafe { Box::from_raw(owner.as_ptr()) });
                return Err(database_error(e));
            }
        };
        // SAFETY: the rusqlite connection does not own the handle (it never
        // closes it) and is dropped before the lock is given back.
        let direct = unsafe { rusqlite::Connection::from_handle(handle.as_raw_handle().as_ptr()) }
            .map_err(|e| Error::Connection(format!("could not use the SQLite connection: {e}")))?;
        direct.set_prepared_statement_cache_capacity(512);
        // The query planner's stability guarantee: a plan does not depend on
        // the values bound. Without it SQLite reads a bound LIMIT while
        // planning, and so any new binding of it expires the plan: every
        // `first()` was parsed and planned again, ~40% of a point lookup.
        // Values stay bound parameters; the plans are the ones a server's
        // prepared statement would keep.
        direct
            .set_db_config(
                rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG,
                true,
            )
            .map_err(|e| Error::Connection(format!("could not configure SQLite: {e}")))?;
        Ok(Held {
            direct: ManuallyDrop::new(direct),
            handle: ManuallyDrop::new(handle),
            owner,
        })
    }

    pub fn direct(&self) -> &rusqlite::Connection {
        &self.direct
    }

    /// A running statement stops (SQLITE_INTERRUPT) once `flag` is raised.
    pub fn watch(&mut self, flag: Arc<AtomicBool>) {
        self.handle
            .set_progress_handler(PROGRESS_STEPS, move || !flag.load(Ordering::Relaxed));
    }
}

impl Drop for Held {
    fn drop(&mut self) {
        // SAFETY: each is dropped once, here, in the order SQLite needs:
        // cached statements are finalized before the handle goes back, and
        // the connection that the handle borrows outlives it.
        unsafe {
            ManuallyDrop::drop(&mut self.direct);
            ManuallyDrop::drop(&mut self.handle);
            drop(Box::from_raw(self.owner.as_ptr()));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rusqlite::StatementStatus;
    use sqlx::ConnectOptions;

    /// A cached point lookup runs again with new values without being
    /// parsed and planned again (see `lock`).
    #[test]
    fn a_new_binding_keeps_the_plan() {
        let runtime = super::super::Runtime::new().unwrap();
        let held = runtime
            .block_on(async {
                let conn = sqlx::sqlite::SqliteConnectOptions::new()
                    .in_memory(true)
                    .connect()
                    .await
                    .map_err(database_error)?;
                Held::lock(conn).await
            })
            .unwrap();
        let direct = held.direct();
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
}
