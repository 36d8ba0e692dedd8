//! `for x in list`: the list is held whole until the loop ends, as Python's
//! `for` holds its list. Rhai's own iterator hands each item over and lets
//! go of it, so with the weak identity map the author loaded for one post
//! of `for p in Post.query.all() { p.author }` would be freed before the
//! next post of the same author asked for it: a query per post, not per
//! author. Objects are handed to the loop, not cloned, and held by their
//! instances instead. When the loop ends and a large list goes, the session
//! is told, so the identity map lets go of its entries then, not at some
//! later call.

use std::any::TypeId;
use std::rc::Rc;

use rhai::{Array, Dynamic, Engine, Module};

use super::handles::ObjectHandle;
use crate::orm::Instance;

/// Told how many items a finished loop let go of.
pub(super) type OnRelease = Rc<dyn Fn(usize)>;

pub(super) fn register(engine: &mut Engine, on_release: OnRelease) {
    let mut module = Module::new();
    module.set_iter(TypeId::of::<Array>(), move |list: Dynamic| {
        Box::new(HeldList {
            items: list.cast::<Array>(),
            next: 0,
            held: Vec::new(),
            on_release: on_release.clone(),
        })
    });
    // Registered modules come before Rhai's standard packages.
    engine.register_global_module(module.into());
}

struct HeldList {
    items: Array,
    next: usize,
    /// The objects handed over so far: the list's own hold on them.
    held: Vec<Instance>,
    on_release: OnRelease,
}

impl Iterator for HeldList {
    type Item = Dynamic;

    fn next(&mut self) -> Option<Dynamic> {
        let len = self.items.len();
        let slot = self.items.get_mut(self.next)?;
        self.next += 1;
        // An object is handed over, not cloned, and its list keeps it by
        // its instance: a clone of Rhai's value for it is two allocations,
        // once per item of a scan.
        let object = slot.read_lock::<ObjectHandle>().map(|o| o.0.clone());
        let Some(object) = object else {
            return Some(slot.clone());
        };
        if self.held.capacity() == 0 {
            self.held.reserve_exact(len);
        }
        self.held.push(object);
        Some(std::mem::take(slot))
    }
}

impl Drop for HeldList {
    fn drop(&mut self) {
        let released = std::mem::take(&mut self.items).len();
        drop(std::mem::take(&mut self.held));
        (self.on_release)(released);
    }
}
