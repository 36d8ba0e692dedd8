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
}

/// The connection, lent to the thread.
struct Lent(*const rusqlite::Connection);

// SAFETY: a rusqlite connection may move between threads; the caller's
// thread does not touch it while it is lent (`DeferredRunner::start`).
unsafe impl Send for Lent {}

impl DeferredRunner {
    /// A thread that runs what `send` hands it, in order, on `conn`, and
    /// hands each back; after a statement fails it runs no more. None if no thread can be started.
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
        })
    }

    /// Hand `stmt` over; waits while the queue is full.
    pub fn send(&mut self, stmt: Compiled) {
        if let Some(to_worker) = &self.to_worker {
            // The thread stops only when the channel closes: it is there.
            let _ = to_worker.send(stmt);
        }
    }

    /// What has finished so far, without waiting.
    pub fn ready(&self) -> Vec<Done> {
        self.from_worker.try_iter().collect()
    }

    /// Wait for everything handed over; the connection is the caller's again.
    pub fn finish(mut self) -> Vec<Done> {
        self.join();
        self.from_worker.try_iter().collect()
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
