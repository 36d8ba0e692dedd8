//! What a statement that did not finish leaves: an interrupted one is
//! stopped on the server too and its transaction dropped; a lost connection
//! drops the transaction with it; a lock wait that ran out, or a write the
//! read-only connection refused, is explained in one line.

use std::time::Duration;

use super::connection::{self, Connection};
use super::{Driver, Engine, read_only_refusal};
use crate::error::{Error, Result};

impl Engine {
    /// What an interrupted statement leaves: a transaction on this
    /// connection that cannot be trusted, so it is dropped (rolled back).
    pub(super) fn interrupted<T>(&self, outcome: Option<Result<T>>) -> Result<T> {
        match outcome {
            Some(Err(e)) => Err(self.lost(self.explained(e))),
            Some(result) => result,
            None => {
                match &mut *self.driver.borrow_mut() {
                    // Never reached: SQLite stops its own statement on Ctrl-C.
                    Driver::Sqlite(c) => c.discard(),
                    Driver::Postgres(c) => self.abandon(c),
                    Driver::MySql(c) => self.abandon(c),
                }
                Err(Error::Interrupted)
            }
        }
    }

    /// Stop an abandoned statement on the server too, so the connection is
    /// free again; the transaction on it is dropped.
    fn abandon<B: connection::Backend>(&self, c: &mut Connection<B>)
    where
        for<'c> &'c mut <B::Db as sqlx::Database>::Connection: sqlx::Executor<'c, Database = B::Db>,
        <B::Db as sqlx::Database>::Arguments: sqlx::IntoArguments<B::Db>,
    {
        let cancelled = self.runtime.block_on(async {
            tokio::time::timeout(Duration::from_secs(2), c.cancel(self.dialect))
                .await
                .unwrap_or(true)
        });
        // Dropping a transaction hands its connection back through the runtime.
        let _context = self.runtime.enter();
        if cancelled {
            c.replace_pool();
        } else {
            c.discard();
            self.runtime.block_on(c.settle());
        }
    }

    /// A statement that gave up waiting for another writer's lock says
    /// whose lock, how long it waited, and where that is set; a write that
    /// a read-only connection refused says that ormsh runs read-only.
    pub(super) fn explained(&self, err: Error) -> Error {
        match err {
            Error::Database {
                message,
                code: Some(code),
            } if self.read_only && self.dialect.read_only_violation(&code) => {
                Error::ReadOnly(read_only_refusal(&message))
            }
            Error::Database {
                message,
                code: Some(code),
            } if self.dialect.lock_wait_ended(&code) => Error::Database {
                message: format!(
                    "{message}: another connection holds the write lock on {}; ormsh waited {:.1} s for it (busy_timeout in ormsh.toml sets how long)",
                    self.url,
                    self.busy_timeout.as_secs_f64()
                ),
                code: Some(code),
            },
            other => other,
        }
    }

    /// A failure that means the connection is gone (the server closed it,
    /// or said so with its code) drops the transaction with it, so the next
    /// statement connects again; any other error passes through.
    pub(super) fn lost(&self, err: Error) -> Error {
        let detail = match &err {
            Error::ConnectionLost(detail) => detail.clone(),
            Error::Database {
                message,
                code: Some(code),
            } if self.dialect.connection_lost(code) => message.clone(),
            _ => return err,
        };
        let _context = self.runtime.enter();
        on_driver!(self, c => c.discard());
        Error::ConnectionLost(format!(
            "the connection to the database was lost ({detail})"
        ))
    }
}
