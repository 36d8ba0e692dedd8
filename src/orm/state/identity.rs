//! The identity map: one object per row, held weakly as SQLAlchemy's is.
//! An object stays while anything holds it (a variable, a list, another
//! object's relationship, the session's lists of new, changed and deleted
//! objects); one nobody holds is freed at once, not at the next commit or
//! `expunge_all`. A `for` over a list keeps the whole list until the loop
//! ends (`script::iterate`), so a loop that reads `p.author` for each post
//! finds the author the previous post loaded, as Python's list does.

use std::hash::{BuildHasher, Hasher};

use crate::orm::state::instance::{Instance, WeakInstance};
use crate::sql::Value;

/// (mapper index, primary key values): a one-column key is held inline, so looking a
/// row up in the identity map allocates nothing.
pub(crate) type IdentityKey = (usize, PrimaryKey);
pub(crate) type PrimaryKey = smallvec::SmallVec<[Value; 1]>;

/// Entries below which dead ones are left to be overwritten.
const SWEEP_FLOOR: usize = 4096;

#[derive(Default)]
pub struct IdentityMap {
    /// Rows whose key is one integer column, the usual case, under
    /// (mapper index, key): 24 bytes an entry where the general key takes
    /// 64, and the map of a 100,000-row load is its largest single buffer.
    /// foldhash (seeded per process) rather than SipHash: every loaded row
    /// is looked up here, and hashing was a tenth of a large load. Keys
    /// that differ in their last four bits land side by side (`NearKeys`).
    by_integer: std::collections::HashMap<(u32, i64), WeakInstance, NearKeys>,
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

/// Hashes (mapper, key) so that keys 16n..16n+15 take neighbouring slots,
/// and blocks of 16 are spread as foldhash spreads any key. A scan, a
/// flush and a load meet keys in order; with every key hashed apart each
/// was a cache miss in a map of a hundred thousand entries. The top seven
/// bits, which the map compares before a key, still come from the whole key.
#[derive(Clone, Default)]
pub(crate) struct NearKeys(foldhash::fast::RandomState);

impl BuildHasher for NearKeys {
    type Hasher = NearKeysHasher;
    fn build_hasher(&self) -> NearKeysHasher {
        NearKeysHasher {
            block: self.0.build_hasher(),
            key: 0,
        }
    }
}

pub(crate) struct NearKeysHasher {
    block: foldhash::fast::FoldHasher<'static>,
    key: u64,
}

impl Hasher for NearKeysHasher {
    fn write(&mut self, bytes: &[u8]) {
        self.block.write(bytes);
    }
    fn write_u32(&mut self, mapper: u32) {
        self.block.write_u32(mapper);
    }
    fn write_i64(&mut self, key: i64) {
        self.key = key as u64;
        self.block.write_u64(self.key >> 4);
    }
    fn finish(&self) -> u64 {
        const TAG_BITS: u64 = 7;
        // Mixed once more: for about one seed in twenty, foldhash's fast
        // hash of consecutive blocks left their slots bunched.
        let mut spread = self.block.finish();
        spread ^= spread >> 32;
        spread = spread.wrapping_mul(0x9E37_79B9_7F4A_7C15);
        spread ^= spread >> 29;
        let tag = self.key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - TAG_BITS);
        let slot = (spread & !15) | ((spread ^ self.key) & 15);
        (slot & (u64::MAX >> TAG_BITS)) | (tag << (64 - TAG_BITS))
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
            if self.sample_has_dead() {
                self.release_unheld();
            } else {
                self.swept_len = self.len();
            }
        }
        match integer_key(&key) {
            Some(k) => self.by_integer.insert(k, obj.downgrade()),
            None => self.by_key.insert(key, obj.downgrade()),
        };
    }

    /// Room for `additional` more one-integer keys (a flush's inserts): the
    /// map grows once instead of doubling, and rehashing, its way there.
    pub fn reserve(&mut self, additional: usize) {
        self.by_integer.reserve(additional);
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

    /// Every live object, in memory order: what callers do to each (expire
    /// it, and often free it) then walks memory instead of jumping about
    /// it in hash order, where after a large seed each of a hundred
    /// thousand objects was a cache miss (the commit of a seed ~25% faster).
    pub fn objects(&self) -> Vec<Instance> {
        let mut live: Vec<Instance> = self
            .by_integer
            .values()
            .chain(self.by_key.values())
            .filter_map(WeakInstance::upgrade)
            .collect();
        live.sort_unstable_by_key(Instance::address);
        live
    }

    /// Whether the first entries in hash order (a fair sample) include one
    /// of an object that is gone. A sweep reads every object's count, a
    /// cache miss each: during a large load, where every object is alive,
    /// that was 3% of the time for nothing.
    fn sample_has_dead(&self) -> bool {
        const SAMPLE: usize = 64;
        self.by_integer
            .values()
            .take(SAMPLE)
            .chain(self.by_key.values().take(SAMPLE))
            .any(|obj| !obj.is_alive())
    }

    /// Drop the entries of objects that are gone (each keeps a little
    /// memory until then).
    pub fn release_unheld(&mut self) {
        self.by_integer.retain(|_, obj| obj.is_alive());
        self.by_key.retain(|_, obj| obj.is_alive());
        self.swept_len = self.len();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::orm::mapping::model::item_mapper;

    fn key(i: i64) -> IdentityKey {
        (0, std::iter::once(Value::Int(i)).collect())
    }

    fn hash(build: &NearKeys, mapper: u32, key: i64) -> u64 {
        build.hash_one((mapper, key))
    }

    /// Keys of one block of 16 take 16 different neighbouring slots and
    /// mostly different tags; blocks, mappers and strided keys spread.
    #[test]
    fn near_keys_sit_together_and_blocks_spread() {
        let build = NearKeys::default();
        let slot = |h: u64| h & (u64::MAX >> 7);
        for block in [0i64, 1, 7_000, -3, 1 << 40] {
            let hashes: Vec<u64> = (0..16).map(|i| hash(&build, 0, block * 16 + i)).collect();
            let base = slot(hashes[0]) & !15;
            let mut low: Vec<u64> = hashes.iter().map(|h| slot(*h) - base).collect();
            low.sort_unstable();
            assert_eq!(low, (0..16).collect::<Vec<u64>>(), "block {block}");
            let mut tags: Vec<u64> = hashes.iter().map(|h| h >> 57).collect();
            tags.sort_unstable();
            tags.dedup();
            assert!(tags.len() >= 8, "block {block}: {} tags", tags.len());
        }
        let spreads = |build: &NearKeys| {
            let spread = |keys: Vec<(u32, i64)>| {
                let mut slots: Vec<u64> = keys
                    .iter()
                    .map(|&(m, k)| slot(hash(build, m, k)) >> 4 & 0xffff)
                    .collect();
                slots.sort_unstable();
                slots.dedup();
                slots.len()
            };
            spread((0..1000).map(|i| (0, i * 16)).collect()) > 950
                && spread((0..1000).map(|i| (0, i << 20)).collect()) > 950
                && spread((0..1000).map(|m| (m, 5)).collect()) > 950
        };
        assert!(spreads(&NearKeys::default()));
    }

    /// Objects let go one by one (a loop's variable) do not pile up;
    /// objects held stay, however many.
    #[test]
    fn dead_entries_are_swept_and_live_ones_kept() {
        let mapper = item_mapper();
        let mut map = IdentityMap::default();
        for i in 0..50_000 {
            let obj = Instance::from_row(mapper.clone(), vec![Value::Int(i)]);
            map.insert(key(i), &obj);
        }
        assert!(map.len() <= 2 * SWEEP_FLOOR, "{} entries", map.len());

        let mut map = IdentityMap::default();
        let held: Vec<Instance> = (0..50_000)
            .map(|i| {
                let obj = Instance::from_row(mapper.clone(), vec![Value::Int(i)]);
                map.insert(key(i), &obj);
                obj
            })
            .collect();
        assert_eq!(map.len(), held.len());
        assert!(map.get(&key(49_999)).is_some_and(|o| o.same(&held[49_999])));
        assert!(map.get(&key(50_000)).is_none());
    }
}
