//! The open transaction's inserts, in order: what a rollback (whole or to a
//! savepoint) makes transient again, and counts in what it loses. Objects
//! are held weakly, and one nobody holds any more is kept only as its model:
//! a weak reference keeps the object's memory allocated, so a long script's
//! hundred thousand inserts would otherwise hold ~170 bytes each until the
//! transaction ends.

use std::rc::Rc;

use crate::orm::mapping::model::Mapper;
use crate::orm::state::instance::{Instance, WeakInstance};

#[derive(Default)]
pub(crate) struct InsertLog {
    entries: Vec<(Rc<Mapper>, Option<WeakInstance>)>,
    /// Entries before this one were looked at by `release_unheld`.
    swept: usize,
}

impl InsertLog {
    pub fn push(&mut self, obj: &Instance) {
        self.entries.push((obj.mapper(), Some(obj.downgrade())));
    }

    pub fn reserve(&mut self, additional: usize) {
        self.entries.reserve(additional);
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn clear(&mut self) {
        self.entries = Vec::new();
        self.swept = 0;
    }

    /// Take out the entries from the `from`th on: the objects still there.
    pub fn take_from(&mut self, from: usize) -> Vec<Instance> {
        let from = from.min(self.entries.len());
        self.swept = self.swept.min(from);
        self.entries
            .drain(from..)
            .filter_map(|(_, obj)| obj.and_then(|w| w.upgrade()))
            .collect()
    }

    /// From the `from`th entry on: each insert's model, and its object if
    /// something still holds it.
    pub fn since(&self, from: usize) -> impl Iterator<Item = (&Rc<Mapper>, Option<Instance>)> {
        self.entries
            .iter()
            .skip(from)
            .map(|(mapper, obj)| (mapper, obj.as_ref().and_then(WeakInstance::upgrade)))
    }

    /// Let go of the memory of objects inserted since the last call that
    /// nobody holds now (called after a commit's expiry freed them).
    pub fn release_unheld(&mut self) {
        for (_, obj) in &mut self.entries[self.swept..] {
            if obj.as_ref().is_some_and(|w| !w.is_alive()) {
                *obj = None;
            }
        }
        self.swept = self.entries.len();
    }
}
