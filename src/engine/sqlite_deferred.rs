//! Statements whose results nobody waits for (a flush's INSERTs that need
//! no keys back) run on a second thread while the caller's thread prepares
//! the next one: on a large flush SQLite's work and the ORM's overlap
//! instead of taking turns. The connection moves to that thread with the
//! first statement and comes back from `finish`, which every other use of
//! the connection calls first.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::mpsc::{Receiver, SyncSender, channel, sync_channel};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::error::{Error, Result};
use crate::sql::Compiled;

/// Statements handed over but not yet started: enough to keep the thread
/// busy, few enough that a batch's values are not all held twice.
const QUEUE_DEPTH: usize = 2;

/// One statement the thread ran.
pub(super) struct Done {
    /// Back to be logged, and freed where it was made: a batch's values
    /// freed on this thread cost it more than they cost the caller's, and
    /// this thread is the one the caller waits for.
    pub stmt: Compiled,
    pub started: Instant,
    pub elapsed: Duration,
    /// Rows changed, or why it failed.
    pub outcome: Result<u64>,
}

pub(super) struct DeferredRunner {
    to_worker: Option<SyncSender<Compiled>>,
    from_worker: Receiver<Done>,
    /// The thread hands the connection back when it ends.
    thread: Option<JoinHandle<Option<rusqlite::Connection>>>,
    /// Statements handed over, and reported back, so far.
    sent: usize,
    reported: usize,
    /// Whether one reported back failed (the thread skips the rest).
    failed: bool,
}

impl DeferredRunner {
    /// A thread that takes the connection from `conn` and runs what `send`
    /// hands it, in order, and hands each back; after a statement fails it
    /// runs no more. None, and the connection left where it is, if no
    /// thread can be started.
    pub fn start(conn: &mut Option<rusqlite::Connection>) -> Option<DeferredRunner> {
        let (to_worker, jobs) = sync_channel::<Compiled>(QUEUE_DEPTH);
        let (report, from_worker) = channel();
        // The connection follows once the thread exists, so that a thread
        // that cannot be started does not take it down with it.
        let (lend, lent) = sync_channel::<rusqlite::Connection>(1);
        let spawned = std::thread::Builder::new()
            .name("ormsh-sqlite".into())
            .spawn(move || {
                let conn = lent.recv().ok()?;
                let mut failed = false;
                for stmt in jobs {
                    if failed {
                        continue;
                    }
                    let started = Instant::now();
                    // A panic fails the statement, and the connection
                    // still comes back.
                    let outcome = catch_unwind(AssertUnwindSafe(|| {
                        super::sqlite_statement::run_statement(
                            &conn,
                            &stmt,
                            &mut |_: &rusqlite::Row<'_>| Ok(()),
                        )
                        .map(|()| conn.changes())
                    }))
                    .unwrap_or_else(|_| {
                        Err(Error::Session(
                            "ormsh's SQLite thread failed on this statement".into(),
                        ))
                    });
                    failed = outcome.is_err();
                    let done = Done {
                        stmt,
                        started,
                        elapsed: started.elapsed(),
                        outcome,
                    };
                    if report.send(done).is_err() {
                        break;
                    }
                }
                Some(conn)
            });
        let thread = spawned.ok()?;
        // The thread waits for it: the one way this fails is a thread
        // already gone, which `finish` reports.
        if let Some(conn) = conn.take() {
            let _ = lend.send(conn);
        }
        Some(DeferredRunner {
            to_worker: Some(to_worker),
            from_worker,
            thread: Some(thread),
            sent: 0,
            reported: 0,
            failed: false,
        })
    }

    /// Hand `stmt` over; waits while the queue is full.
    pub fn send(&mut self, stmt: Compiled) {
        if let Some(to_worker) = &self.to_worker {
            // Refused only if the thread is gone, which `finish` reports.
            let _ = to_worker.send(stmt);
            self.sent += 1;
        }
    }

    /// What has finished so far, without waiting.
    pub fn ready(&mut self) -> Vec<Done> {
        let done: Vec<Done> = self.from_worker.try_iter().collect();
        self.reported += done.len();
        self.failed |= done.iter().any(|d| d.outcome.is_err());
        done
    }

    /// Wait for everything handed over, and take the connection back (None
    /// only if the thread itself stopped).
    pub fn finish(mut self) -> (Vec<Done>, Option<rusqlite::Connection>) {
        let conn = self.join();
        let mut done = self.ready();
        // After a failure the rest are skipped on purpose; short of one,
        // the thread stopped (a panic) and what it did not run is lost.
        if self.reported < self.sent && !self.failed {
            done.push(Done {
                stmt: Compiled {
                    sql: String::new(),
                    binds: Vec::new(),
                },
                started: Instant::now(),
                elapsed: Duration::ZERO,
                outcome: Err(Error::Session(format!(
                    "ormsh's SQLite thread stopped with {} statements not run",
                    self.sent - self.reported
                ))),
            });
        }
        (done, conn)
    }

    /// End the thread once it has run everything handed to it, and take the
    /// connection back.
    fn join(&mut self) -> Option<rusqlite::Connection> {
        drop(self.to_worker.take());
        // A panic on the thread is already reported; what it ran is in
        // the channel.
        self.thread.take()?.join().ok().flatten()
    }
}

impl Drop for DeferredRunner {
    fn drop(&mut self) {
        self.join();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sql::{Bind, Value};

    fn insert(name: &str) -> Compiled {
        Compiled {
            sql: "INSERT INTO t (name) VALUES (?)".into(),
            binds: vec![Bind {
                value: Value::Text(name.into()),
                ty: None,
            }],
        }
    }

    /// Statements run in order, each comes back with its outcome, and
    /// after one fails the rest are not run.
    #[test]
    fn stops_at_the_first_failure() {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        conn.execute_batch("CREATE TABLE t (name TEXT UNIQUE)")
            .unwrap();
        let mut conn = Some(conn);
        let mut runner = DeferredRunner::start(&mut conn).expect("a thread");
        assert!(conn.is_none(), "the thread has the connection");
        for name in ["a", "b", "a", "c"] {
            runner.send(insert(name));
        }
        let (done, conn) = runner.finish();
        let conn = conn.expect("the connection comes back");
        let outcomes: Vec<bool> = done.iter().map(|d| d.outcome.is_ok()).collect();
        assert_eq!(outcomes, [true, true, false]);
        assert_eq!(done[2].stmt, insert("a"));
        let names: Vec<String> = conn
            .prepare("SELECT name FROM t ORDER BY rowid")
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert_eq!(names, ["a", "b"]);
    }
}
