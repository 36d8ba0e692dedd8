//! The one current-thread tokio runtime that every engine shares: the async
//! boundary. Above it everything is synchronous.

use std::future::Future;
use std::rc::Rc;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::Poll;
use std::time::{Duration, Instant};

/// How long a wait for the server is polled before the thread sleeps. A
/// round trip here is 20–120 µs, and most of the difference is a sleeping
/// CPU being woken: the client's when the answer comes, which polling for
/// a moment spares (a statement that takes longer sleeps after it).
const POLL_FIRST: Duration = Duration::from_micros(250);

#[derive(Clone)]
pub struct Runtime(Rc<tokio::runtime::Runtime>);

impl Runtime {
    pub fn new() -> std::io::Result<Runtime> {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        Ok(Runtime(Rc::new(rt)))
    }

    pub(crate) fn enter(&self) -> tokio::runtime::EnterGuard<'_> {
        self.0.enter()
    }

    pub(crate) fn block_on<F: Future>(&self, future: F) -> F::Output {
        self.0.block_on(future)
    }

    /// Run `future` unless `interrupt` is raised first; `None` if it was.
    pub(crate) fn block_on_interruptible<F: Future>(
        &self,
        future: F,
        interrupt: &Arc<AtomicBool>,
    ) -> Option<F::Output> {
        if interrupt.load(Ordering::Relaxed) {
            return None;
        }
        self.0.block_on(async {
            tokio::select! {
                out = polled_first(future) => Some(out),
                _ = watch(interrupt) => None,
            }
        })
    }
}

/// `future`, polled again at once while it waits for up to `POLL_FIRST`
/// (the runtime checks its sockets between polls without sleeping), then
/// waited for as usual.
async fn polled_first<F: Future>(future: F) -> F::Output {
    let mut future = std::pin::pin!(future);
    let until = Instant::now() + POLL_FIRST;
    std::future::poll_fn(|cx| {
        if let Poll::Ready(out) = future.as_mut().poll(cx) {
            return Poll::Ready(out);
        }
        if Instant::now() < until {
            cx.waker().wake_by_ref();
        }
        Poll::Pending
    })
    .await
}

async fn watch(flag: &AtomicBool) {
    loop {
        tokio::time::sleep(Duration::from_millis(25)).await;
        if flag.load(Ordering::Relaxed) {
            return;
        }
    }
}

impl std::fmt::Debug for Runtime {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Runtime")
    }
}
