//! Statements whose outcome can wait (`Engine::execute_deferred`): on
//! SQLite they run on a second thread while the caller goes on; `settle`
//! waits for them, logs what ran and hands back the first that failed.

use super::{Driver, Engine, QueryEvent, sqlite_deferred};
use crate::error::{Error, Result};
use crate::sql::Compiled;

/// A statement run with `Engine::execute_deferred` that failed: its place
/// among those deferred since the last `settle` (from 0), and the error.
#[derive(Debug)]
pub struct DeferredFailure {
    pub index: usize,
    pub error: Error,
}

impl Engine {
    /// Run a statement that returns no rows and whose outcome can wait:
    /// on SQLite it runs on a second thread while the caller goes on, and
    /// its failure comes back from a later call here or from `settle`. The
    /// statement is logged once it has run. On a server it runs now.
    pub fn execute_deferred(&self, stmt: Compiled) -> std::result::Result<(), DeferredFailure> {
        let failed = |error| DeferredFailure {
            index: self.deferred_seen.get(),
            error,
        };
        if !self.in_transaction() {
            self.ensure_transaction().map_err(failed)?;
        }
        let mut driver = self.driver.borrow_mut();
        let Driver::Sqlite(c) = &mut *driver else {
            drop(driver);
            let outcome = self.execute(&stmt).map_err(failed);
            self.deferred_seen.set(self.deferred_seen.get() + 1);
            return outcome.map(|_| ());
        };
        let done = c.defer(stmt).map(|()| c.take_done(false));
        drop(driver);
        self.account(done.map_err(failed)?)
    }

    /// Wait for every deferred statement; the first that failed, if one did.
    pub fn settle(&self) -> std::result::Result<(), DeferredFailure> {
        let done = match &mut *self.driver.borrow_mut() {
            Driver::Sqlite(c) => c.take_done(true),
            Driver::Postgres(_) | Driver::MySql(_) => Vec::new(),
        };
        let outcome = self.account(done);
        self.deferred_seen.set(0);
        outcome
    }

    /// `settle` before any other use of the connection.
    pub(super) fn settle_any(&self) -> Result<()> {
        self.settle().map_err(|f| f.error)
    }

    /// Log what deferred statements ran; the first failure among them.
    fn account(
        &self,
        done: Vec<sqlite_deferred::Done>,
    ) -> std::result::Result<(), DeferredFailure> {
        let mut failure = None;
        for d in done {
            let index = self.deferred_seen.get();
            self.deferred_seen.set(index + 1);
            match d.outcome {
                Ok(rows) => {
                    if self.log.is_active() {
                        self.log.emit(&QueryEvent {
                            sql: &d.stmt.sql,
                            binds: &d.stmt.binds,
                            elapsed: d.elapsed,
                            started: d.started,
                            rows: Some(rows),
                        });
                    }
                }
                Err(error) if failure.is_none() => {
                    failure = Some(DeferredFailure {
                        index,
                        error: self.lost(self.explained(error)),
                    })
                }
                Err(_) => {}
            }
        }
        failure.map_or(Ok(()), Err)
    }
}
