//! The PostgreSQL server, shared by the tests that run at once on the
//! harness's threads, or held alone by the one that restarts it
//! (server_restart.rs, with ORMSH_TEST_RESTART=1): that test waits until no
//! other test uses the server, and tests that start meanwhile wait until it
//! is done. In the old layout each test file was its own process, run one
//! after another, which kept the restart away from every other test.
//!
//! A use belongs to its thread: a test that already uses the server may
//! open another database without waiting (else it would wait for the
//! restart while the restart waits for it).

use std::cell::Cell;
use std::marker::PhantomData;
use std::sync::{Condvar, Mutex, MutexGuard};

struct Gate {
    /// Uses of the server alive now.
    uses: usize,
    /// A test holds the server alone.
    alone: bool,
}

static GATE: Mutex<Gate> = Mutex::new(Gate {
    uses: 0,
    alone: false,
});
static CHANGED: Condvar = Condvar::new();

thread_local! {
    /// The uses (and the hold alone) of the test on this thread.
    static HELD: Cell<usize> = const { Cell::new(0) };
}

fn gate() -> MutexGuard<'static, Gate> {
    // A test that panicked leaves the counts right (guards drop on unwind).
    GATE.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn wait(guard: MutexGuard<'static, Gate>) -> MutexGuard<'static, Gate> {
    CHANGED
        .wait(guard)
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// One use of the PostgreSQL server, until dropped (on the same thread).
pub struct ServerUse {
    _this_thread: PhantomData<*const ()>,
}

/// Use the PostgreSQL server: waits while a test holds it alone, unless
/// this thread already uses it.
pub fn use_server() -> ServerUse {
    let mut gate = gate();
    if HELD.get() == 0 {
        while gate.alone {
            gate = wait(gate);
        }
    }
    gate.uses += 1;
    HELD.set(HELD.get() + 1);
    ServerUse {
        _this_thread: PhantomData,
    }
}

impl Drop for ServerUse {
    fn drop(&mut self) {
        let mut gate = gate();
        gate.uses -= 1;
        HELD.set(HELD.get() - 1);
        CHANGED.notify_all();
    }
}

/// The PostgreSQL server for this test alone, until dropped (on the same
/// thread): the test's own databases are made after this.
pub struct ServerAlone {
    _this_thread: PhantomData<*const ()>,
}

/// Hold the server alone: waits for another holder, then for every other
/// test's use to end; new uses by other tests wait until this is dropped.
pub fn server_alone() -> ServerAlone {
    assert_eq!(
        HELD.get(),
        0,
        "server_alone() before this test's own databases"
    );
    let mut gate = gate();
    while gate.alone {
        gate = wait(gate);
    }
    gate.alone = true;
    while gate.uses > 0 {
        gate = wait(gate);
    }
    HELD.set(1);
    ServerAlone {
        _this_thread: PhantomData,
    }
}

impl Drop for ServerAlone {
    fn drop(&mut self) {
        let mut gate = gate();
        gate.alone = false;
        HELD.set(HELD.get() - 1);
        CHANGED.notify_all();
    }
}
