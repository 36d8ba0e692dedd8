//! The one current-thread tokio runtime that every engine shares: the async
//! boundary. Above it everything is synchronous.

use std::future::Future;
use std::rc::Rc;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

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
                out = future => Some(out),
                _ = watch(interrupt) => None,
            }
        })
    }
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
