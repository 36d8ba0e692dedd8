//! The identity map: one object per row. Objects are held strongly while
//! the session works with them (a loop that reads `p.author` for each post
//! of a temporary list must find the author it loaded for the previous
//! post: Rhai's `for` lets go of each item as it goes, where Python's list
//! keeps them); after a commit expires them, those nobody else holds are
//! let go, as SQLAlchemy's weak identity map would have by then.

use super::instance::Instance;
use super::session::IdentityKey;

#[derive(Default)]
pub struct IdentityMap {
    /// foldhash (seeded per process) rather than SipHash: every loaded row
    /// is looked up here, and hashing was a tenth of a large load.
    entries: foldhash::HashMap<IdentityKey, Instance>,
}

impl IdentityMap {
    pub fn get(&self, key: &IdentityKey) -> Option<Instance> {
        self.entries.get(key).cloned()
    }

    pub fn insert(&mut self, key: IdentityKey, obj: &Instance) {
        self.entries.insert(key, obj.clone());
    }

    pub fn remove(&mut self, key: &IdentityKey) {
        self.entries.remove(key);
    }

    /// Every object, leaving the map empty.
    pub fn drain(&mut self) -> Vec<Instance> {
        self.entries.drain().map(|(_, obj)| obj).collect()
    }

    pub fn objects(&self) -> Vec<Instance> {
        self.entries.values().cloned().collect()
    }

    /// Let go of the objects that nothing but the map holds.
    pub fn release_unheld(&mut self) {
        self.entries.retain(|_, obj| obj.holders() > 1);
    }
}
