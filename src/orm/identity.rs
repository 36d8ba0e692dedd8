//! The identity map: one object per row, held weakly as SQLAlchemy's is.
//! An object stays while anything holds it (a variable, a list, another
//! object's relationship, the session's lists of new, changed and deleted
//! objects); one nobody holds is freed at once, not at the next commit or
//! `expunge_all`. A `for` over a list keeps the whole list until the loop
//! ends (`script::iterate`), so a loop that reads `p.author` for each post
//! finds the author the previous post loaded, as Python's list does.

use super::instance::{Instance, WeakInstance};
use super::session::IdentityKey;
use crate::sql::Value;

/// Entries below which dead ones are left to be overwritten.
const SWEEP_FLOOR: usize = 4096;

#[derive(Default)]
pub struct IdentityMap {
    /// Rows whose key is one integer column, the usual case, under
    /// (mapper index, key): 24 bytes an entry where the general key takes
    /// 64, and the map of a 100,000-row load is its largest single buffer.
    /// foldhash (seeded per process) rather than SipHash: every loaded row
    /// is looked up here, and hashing was a tenth of a large load.
    by_integer: foldhash::HashMap<(u32, i64), WeakInstance>,
    /// Every other key (composite, text, UUID ..).
    by_key: foldhash::HashMap<IdentityKey, WeakInstance>,
    /// How many entries there were after the last sweep of dead ones: the
    /// next comes when the map has doubled, so sweeping stays amortized.
    swept_len: usize,
}

/// The compact form of a one-integer key.
fn integer_key(key: &IdentityKey) -> Option<(u32, i64)> {
    match key.1.as_slice() {
        [Value::Int(i)] => Some((u32::try_from(key.0).ok()?, *i)),
        _ => None,
    }
}

impl IdentityMap {
    pub fn get(&self, key: &IdentityKey) -> Option<Instance> {
        match integer_key(key) {
            Some(k) => self.by_integer.get(&k),
            None => self.by_key.get(key),
        }
        .and_then(WeakInstance::upgrade)
    }

    pub fn insert(&mut self, key: IdentityKey, obj: &Instance) {
        if self.len() >= SWEEP_FLOOR.max(2 * self.swept_len) {
            self.release_unheld();
        }
        match integer_key(&key) {
            Some(k) => self.by_integer.insert(k, obj.downgrade()),
            None => self.by_key.insert(key, obj.downgrade()),
        };
    }

    pub fn remove(&mut self, key: &IdentityKey) {
        match integer_key(key) {
            Some(k) => self.by_integer.remove(&k),
            None => self.by_key.remove(key),
        };
    }

    pub fn len(&self) -> usize {
        self.by_integer.len() + self.by_key.len()
    }

    /// Every live object, leaving the map empty.
    pub fn drain(&mut self) -> Vec<Instance> {
        self.swept_len = 0;
        let live = self.objects();
        self.by_integer = Default::default();
        self.by_key = Default::default();
        live
    }

    /// Every live object.
    pub fn objects(&self) -> Vec<Instance> {
        self.by_integer
            .values()
            .chain(self.by_key.values())
            .filter_map(WeakInstance::upgrade)
            .collect()
    }

    /// Drop the entries of objects that are gone (each keeps a little
    /// memory until then).
    pub fn release_unheld(&mut self) {
        self.by_integer.retain(|_, obj| obj.is_alive());
        self.by_key.retain(|_, obj| obj.is_alive());
        self.swept_len = self.len();
    }
}
