//! `for x in list`: the list is held whole until the loop ends, as Python's
//! `for` holds its list. Rhai's own iterator hands each item over and lets
//! go of it, so with the weak identity map the author loaded for one post
//! of `for p in Post.query.all() { p.author }` would be freed before the
//! next post of the same author asked for it: a query per post, not per
//! author.

use std::any::TypeId;

use rhai::{Array, Dynamic, Engine, Module};

pub(super) fn register(engine: &mut Engine) {
    let mut module = Module::new();
    module.set_iter(TypeId::of::<Array>(), |list: Dynamic| {
        let items = list.cast::<Array>();
        Box::new((0..items.len()).map(move |i| items[i].clone()))
    });
    // Registered modules come before Rhai's standard packages.
    engine.register_global_module(module.into());
}
