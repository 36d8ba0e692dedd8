//! What the open transaction wrote and what was kept: rows written per
//! model (uncommitted, and committed since the last reset), hand-written
//! statements that wrote, the objects each flush wrote when modifications
//! are tracked (for the commit signals), and what a rollback would lose.

use std::collections::HashMap;

use crate::orm::mapping::model::Mapper;
use crate::orm::state::instance::Instance;
use crate::orm::state::session_state::SessionState;
use crate::orm::state::transaction_record::WriteKind;

impl SessionState {
    /// Record what the flushes write (Flask-SQLAlchemy's
    /// `SQLALCHEMY_TRACK_MODIFICATIONS`); off, nothing is kept.
    pub fn set_track_modifications(&self, on: bool) {
        self.options.track.set(on);
    }

    /// The objects written since the last commit or rollback, with how.
    pub fn tracked_changes(&self) -> Vec<(Instance, WriteKind)> {
        self.tx.tracked.borrow().clone()
    }

    pub fn tracks_modifications(&self) -> bool {
        self.options.track.get()
    }

    pub(crate) fn track(&self, obj: &Instance, kind: WriteKind) {
        if self.options.track.get() {
            self.tx.tracked.borrow_mut().push((obj.clone(), kind));
        }
    }

    pub(crate) fn count_write(&self, mapper: usize, kind: WriteKind, rows: u64) {
        self.tx.writes.borrow_mut().entry(mapper).or_default()[kind as usize] += rows;
    }

    /// Rows committed since the last reset (with held commits: kept by a
    /// commit), per model: (model, inserted, updated, deleted).
    pub fn write_counts(&self) -> Vec<(String, u64, u64, u64)> {
        self.counts_by_model(&self.tx.committed_writes.borrow(), None)
    }

    /// Rows written since the last reset, committed or not: what a run has
    /// done so far, as its progress line shows it.
    pub fn write_counts_so_far(&self) -> Vec<(String, u64, u64, u64)> {
        self.counts_by_model(
            &self.tx.committed_writes.borrow(),
            Some(&self.tx.writes.borrow()),
        )
    }

    fn counts_by_model(
        &self,
        counts: &HashMap<usize, [u64; 3]>,
        more: Option<&HashMap<usize, [u64; 3]>>,
    ) -> Vec<(String, u64, u64, u64)> {
        let mut out: Vec<(String, u64, u64, u64)> = self
            .registry()
            .mappers
            .iter()
            .filter_map(|m| {
                let a = counts.get(&m.index);
                let b = more.and_then(|more| more.get(&m.index));
                if a.is_none() && b.is_none() {
                    return None;
                }
                let c = |i: usize| a.map_or(0, |a| a[i]) + b.map_or(0, |b| b[i]);
                Some((m.name.clone(), c(0), c(1), c(2)))
            })
            .collect();
        out.sort();
        out
    }

    pub fn reset_write_counts(&self) {
        self.tx.committed_writes.borrow_mut().clear();
    }

    /// How many changes a rollback now would lose: objects not flushed yet
    /// (new, changed, deleted), rows flushed since the last commit, and
    /// hand-written statements that wrote since then.
    pub fn uncommitted_changes(&self) -> u64 {
        let unflushed = self.changes.new.borrow().len()
            + self.dirty_objects().len()
            + self.changes.deleted.borrow().len();
        let flushed: u64 = self
            .tx
            .writes
            .borrow()
            .values()
            .map(|c| c.iter().sum::<u64>())
            .sum();
        unflushed as u64 + flushed + self.tx.raw_writes.get()
    }

    /// Move the open transaction's write counts into the committed ones.
    pub(super) fn keep_writes(&self) {
        let mut committed = self.tx.committed_writes.borrow_mut();
        for (mapper, counts) in self.tx.writes.borrow_mut().drain() {
            let kept = committed.entry(mapper).or_default();
            for (k, n) in kept.iter_mut().zip(counts) {
                *k += n;
            }
        }
        self.tx.raw_writes.set(0);
    }

    /// What the open transaction wrote is gone (a rollback).
    pub(super) fn drop_writes(&self) {
        self.tx.writes.borrow_mut().clear();
        self.tx.raw_writes.set(0);
    }

    /// What a rollback now loses, per model: "2 new User, 1 changed Post,
    /// 1 deleted Post". New objects are the pending ones and those inserted
    /// in the transaction (from the `from`th insert on).
    pub(crate) fn lost_summary(&self, from: usize) -> String {
        let pending = self.new_objects();
        let pending_at: std::collections::HashSet<usize> =
            pending.iter().map(Instance::address).collect();
        let mut new: Vec<std::rc::Rc<Mapper>> = pending.iter().map(Instance::mapper).collect();
        for (mapper, obj) in self.tx.inserted.borrow().since(from) {
            // An object let go since its insert is still a row the rollback loses.
            if obj.is_none_or(|o| !pending_at.contains(&o.address())) {
                new.push(mapper.clone());
            }
        }
        let mut deleted = self.deleted_objects();
        deleted.extend(self.tx.flushed_deletes.borrow().iter().cloned());
        let mappers = |objs: Vec<Instance>| objs.iter().map(Instance::mapper).collect::<Vec<_>>();
        let mut parts = Vec::new();
        for (label, objs) in [
            ("new", new),
            ("changed", mappers(self.dirty_objects())),
            ("deleted", mappers(deleted)),
        ] {
            let mut by_model: Vec<(String, usize)> = Vec::new();
            for mapper in objs {
                let name = mapper.name.clone();
                match by_model.iter_mut().find(|(n, _)| *n == name) {
                    Some((_, c)) => *c += 1,
                    None => by_model.push((name, 1)),
                }
            }
            parts.extend(
                by_model
                    .into_iter()
                    .map(|(name, n)| format!("{n} {label} {name}")),
            );
        }
        parts.join(", ")
    }

    /// A hand-written statement wrote in the open transaction.
    pub(crate) fn count_raw_write(&self) {
        self.tx.raw_writes.set(self.tx.raw_writes.get() + 1);
    }
}
