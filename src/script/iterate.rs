//! `for x in list`: the list is held whole until the loop ends, as Python's
//! `for` holds its list. Rhai's own iterator hands each item over and lets
//! go of it, so with the weak identity map the author loaded for one post
//! of `for p in Post.query.all() { p.author }` would be freed before the
//! next post of the same author asked for it: a query per post, not per
//! author. When the loop ends and a large list goes, the session is told,
//! so the identity map lets go of its entries then, not at some later call.

use std::any::TypeId;
use std::rc::Rc;

use rhai::{Array, Dynamic, Engine, Module};

/// Told how many items a finished loop let go of.
pub(super) type OnRelease = Rc<dyn Fn(usize)>;

pub(super) fn register(engine: &mut Engine, on_release: OnRelease) {
    let mut module = Module::new();
    module.set_iter(TypeId::of::<Array>(), move |list: Dynamic| {
        Box::new(HeldList {
            items: list.cast::<Array>(),
            next: 0,
            on_release: on_release.clone(),
        })
    });
    // Registered modules come before Rhai's standard packages.
    engine.register_global_module(module.into());
}

struct HeldList {
    items: Array,
    next: usize,
    on_release: OnRelease,
}

impl Iterator for HeldList {
    type Item = Dynamic;

    fn next(&mut self) -> Option<Dynamic> {
        let item = self.items.get(self.next)?.clone();
        self.next += 1;
        Some(item)
    }
}

impl Drop for HeldList {
    fn drop(&mut self) {
        let released = std::mem::take(&mut self.items).len();
        (self.on_release)(released);
    }
}
