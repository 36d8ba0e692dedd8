//! The identity map: one object per row, held weakly as SQLAlchemy's is.
//! An object stays while anything holds it (a variable, a list, another
//! object's relationship, the session's lists of new, changed and deleted
//! objects); one nobody holds is freed at once, not at the next commit or
//! `expunge_all`. A `for` over a list keeps the whole list until the loop
//! ends (`script::iterate`), so a loop that reads `p.author` for each post
//! finds the author the previous post loaded, as Python's list does.

use super::instance::{Instance, WeakInstance};
use super::session::IdentityKey;

/// Entries below which dead ones are left to be overwritten.
const SWEEP_FLOOR: usize = 4096;

#[derive(Default)]
pub struct IdentityMap {
    /// foldhash (seeded per process) rather than SipHash: every loaded row
    /// is looked up here, and hashing was a tenth of a large load.
    entries: foldhash::HashMap<IdentityKey, WeakInstance>,
    /// How many entries there were after the last sweep of dead ones: the
    /// next comes when the map has doubled, so sweeping stays amortized.
    swept_len: usize,
}

impl IdentityMap {
    pub fn get(&self, key: &IdentityKey) -> Option<Instance> {
        self.entries.get(key).and_then(WeakInstance::upgrade)
    }

    pub fn insert(&mut self, key: IdentityKey, obj: &Instance) {
        if self.entries.len() >= SWEEP_FLOOR.max(2 * self.swept_len) {
            self.release_unheld();
        }
        self.entries.insert(key, obj.downgrade());
    }

    pub fn remove(&mut self, key: &IdentityKey) {
        self.entries.remove(key);
    }

    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Every live object, leaving the map empty.
    pub fn drain(&mut self) -> Vec<Instance> {
        self.swept_len = 0;
        self.entries
            .drain()
            .filter_map(|(_, w)| w.upgrade())
            .collect()
    }

    /// Every live object.
    pub fn objects(&self) -> Vec<Instance> {
        self.entries
            .values()
            .filter_map(WeakInstance::upgrade)
            .collect()
    }

    /// Drop the entries of objects that are gone (each keeps a little
    /// memory until then).
    pub fn release_unheld(&mut self) {
        self.entries.retain(|_, obj| obj.is_alive());
        self.swept_len = self.entries.len();
    }
}
