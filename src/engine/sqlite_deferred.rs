//! Statements whose results nobody waits for (a flush's INSERTs that need
//! no keys back) run on a second thread over the same SQLite connection,
//! while the caller's thread prepares the next one: on a large flush
//! SQLite's work and the ORM's overlap instead of taking turns. The
//! caller's thread uses the connection again only after `finish` has
//! joined the thread, which every other use of the connection does first.

use std::sync::mpsc::{Receiver, SyncSender, channel, sync_channel};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::error::Result;
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
    thread: Option<JoinHandle<()>>,
    /// Statements handed over, and reported back, so far.
    sent: usize,
    reported: usize,
    /// Whether one reported back failed (the thread skips the rest).
    failed: bool,
}

/// The connection, lent to the thread.
struct Lent(*const rusqlite::Connection);

// SAFETY: a rusqlite connection may move between threads; the caller's
// thread does not touch it while it is lent (`DeferredRunner::start`).
unsafe impl Send for Lent {}

impl DeferredRunner {
    /// A thread that runs what `send` hands it, in order, on `conn`, and
    /// hands each back; after a statement fails it runs no more. None if no
    /// thread can be started.
    ///
    /// # Safety
    /// `conn` must stay where it is, and nothing else may use it, until
    /// `finish` has returned (or the runner is dropped).
    pub unsafe fn start(conn: &rusqlite::Connection) -> Option<DeferredRunner> {
        let (to_worker, jobs) = sync_channel::<Compiled>(QUEUE_DEPTH);
        let (report, from_worker) = channel();
        let lent = Lent(conn);
        let thread = std::thread::Builder::new()
            .name("ormsh-sqlite".into())
            .spawn(move || {
                let lent = lent;
                // SAFETY: the caller keeps the connection alive and unused
                // until this thread has been joined.
                let conn = unsafe { &*lent.0 };
                let mut failed = false;
                for stmt in jobs {
                    if failed {
                        continue;
                    }
                    let started = Instant::now();
                    let outcome =
                        super::sqlite::run_statement(conn, &stmt, &mut |_: &rusqlite::Row<'_>| {
                            Ok(())
                        })
                        .map(|()| conn.changes());
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
            })
            .ok()?;
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

    /// Wait for everything handed over; the connection is the caller's again.
    pub fn finish(mut self) -> Vec<Done> {
        self.join();
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
                outcome: Err(crate::error::Error::Session(format!(
                    "ormsh's SQLite thread stopped with {} statements not run",
                    self.sent - self.reported
                ))),
            });
        }
        done
    }

    fn join(&mut self) {
        drop(self.to_worker.take());
        if let Some(thread) = self.thread.take() {
            // A panic on the thread is already reported; what it ran is in
            // the channel, and the connection is no longer lent.
            let _ = thread.join();
        }
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
        // SAFETY: `conn` outlives the runner, unused until `finish`.
        let mut runner = unsafe { DeferredRunner::start(&conn) }.unwrap();
        for name in ["a", "b", "a", "c"] {
            runner.send(insert(name));
        }
        let done = runner.finish();
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
