//! The transaction around a session: commit and rollback (with what each
//! does to the objects), savepoints, held commits for the sandbox and
//! `run --atomic`, and the record of what the flushes wrote (write counts
//! kept and not yet committed, tracked modifications for the commit signals).

use crate::error::{Error, Result};
use crate::orm::session::Session;
use crate::orm::state::instance::{Instance, ObjectState};
use crate::sql::Value;

/// A savepoint made by `begin_nested`.
#[derive(Debug, Clone)]
pub struct Savepoint {
    pub name: String,
    inserted_before: usize,
    /// The uncommitted write counts at the savepoint: a rollback to it
    /// restores them.
    writes_before: std::collections::HashMap<usize, [u64; 3]>,
    raw_writes_before: u64,
}

/// The savepoint a held commit leaves behind it: a later `rollback()` goes
/// back to it, so what a held commit kept is never taken back by a rollback.
const COMMIT_MARK: &str = "ormsh_commit";

/// Which kind of write a row was.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteKind {
    Insert = 0,
    Update = 1,
    Delete = 2,
}

impl WriteKind {
    /// Flask-SQLAlchemy's name for it in `models_committed`.
    pub fn name(self) -> &'static str {
        match self {
            WriteKind::Insert => "insert",
            WriteKind::Update => "update",
            WriteKind::Delete => "delete",
        }
    }
}

/// A rollback that failed only because the connection is already gone did
/// what was needed: the server dropped the transaction.
trait FilterLost {
    fn filter_lost(self) -> Result<()>;
}

impl FilterLost for Result<()> {
    fn filter_lost(self) -> Result<()> {
        match self {
            Err(Error::ConnectionLost(_)) => Ok(()),
            other => other,
        }
    }
}

impl Session {
    /// Make `commit()` flush and mark the point with a savepoint instead of
    /// committing, until `commit_held()` (or `discard_all()`): the whole run
    /// then commits (or is rolled back) as one transaction, while a
    /// `rollback()` inside it goes back to the last commit, never past it.
    pub fn set_hold_commits(&self, on: bool) {
        self.0.hold_commits.set(on);
    }

    /// Record what the flushes write (Flask-SQLAlchemy's
    /// `SQLALCHEMY_TRACK_MODIFICATIONS`); off, nothing is kept.
    pub fn set_track_modifications(&self, on: bool) {
        self.0.track.set(on);
    }

    /// The objects written since the last commit or rollback, with how.
    pub fn tracked_changes(&self) -> Vec<(Instance, WriteKind)> {
        self.0.tracked.borrow().clone()
    }

    pub fn tracks_modifications(&self) -> bool {
        self.0.track.get()
    }

    pub(crate) fn track(&self, obj: &Instance, kind: WriteKind) {
        if self.0.track.get() {
            self.0.tracked.borrow_mut().push((obj.clone(), kind));
        }
    }

    pub(crate) fn count_write(&self, mapper: usize, kind: WriteKind, rows: u64) {
        self.0.writes.borrow_mut().entry(mapper).or_default()[kind as usize] += rows;
    }

    /// Rows committed since the last reset (with held commits: kept by a
    /// commit), per model: (model, inserted, updated, deleted).
    pub fn write_counts(&self) -> Vec<(String, u64, u64, u64)> {
        self.counts_by_model(&self.0.committed_writes.borrow(), None)
    }

    /// Rows written since the last reset, committed or not: what a run has
    /// done so far, as its progress line shows it.
    pub fn write_counts_so_far(&self) -> Vec<(String, u64, u64, u64)> {
        self.counts_by_model(
            &self.0.committed_writes.borrow(),
            Some(&self.0.writes.borrow()),
        )
    }

    fn counts_by_model(
        &self,
        counts: &std::collections::HashMap<usize, [u64; 3]>,
        more: Option<&std::collections::HashMap<usize, [u64; 3]>>,
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
        self.0.committed_writes.borrow_mut().clear();
    }

    /// How many changes a rollback now would lose: objects not flushed yet
    /// (new, changed, deleted), rows flushed since the last commit, and
    /// hand-written statements that wrote since then.
    pub fn uncommitted_changes(&self) -> u64 {
        let unflushed =
            self.0.new.borrow().len() + self.dirty_objects().len() + self.0.deleted.borrow().len();
        let flushed: u64 = self
            .0
            .writes
            .borrow()
            .values()
            .map(|c| c.iter().sum::<u64>())
            .sum();
        unflushed as u64 + flushed + self.0.raw_writes.get()
    }

    /// Move the open transaction's write counts into the committed ones.
    fn keep_writes(&self) {
        let mut committed = self.0.committed_writes.borrow_mut();
        for (mapper, counts) in self.0.writes.borrow_mut().drain() {
            let kept = committed.entry(mapper).or_default();
            for (k, n) in kept.iter_mut().zip(counts) {
                *k += n;
            }
        }
        self.0.raw_writes.set(0);
    }

    /// What the open transaction wrote is gone (a rollback).
    fn drop_writes(&self) {
        self.0.writes.borrow_mut().clear();
        self.0.raw_writes.set(0);
    }

    /// How many lazy relationship loads have sent SQL so far.
    pub fn lazy_loads(&self) -> u64 {
        self.0.lazy_loads.get()
    }

    pub fn holds_commits(&self) -> bool {
        self.0.hold_commits.get()
    }

    /// The real commit at the end of a run with held commits: what the
    /// held commits kept. Work after the last of them is rolled back first.
    pub fn commit_held(&self) -> Result<()> {
        if self.uncommitted_changes() > 0 {
            self.rollback()?;
        }
        let held = self.0.hold_commits.replace(false);
        let result = self.commit();
        self.0.hold_commits.set(held);
        result
    }

    /// Roll everything back, held commits too (the sandbox's end, a failed
    /// `run --atomic`).
    pub fn discard_all(&self) -> Result<()> {
        self.0.commit_marks.borrow_mut().clear();
        self.rollback()
    }

    /// A held commit: its savepoint moves here on every database with an
    /// open transaction (one with none has nothing to keep).
    fn mark_commit(&self) -> Result<()> {
        let mut marks = self.0.commit_marks.borrow_mut();
        for (key, engine) in self.0.engines.all() {
            if !engine.in_transaction() {
                continue;
            }
            let key = key.map(str::to_string);
            let marked = marks.contains(&key);
            if marked && !engine.dialect().savepoint_replaces_same_name() {
                engine.release_savepoint(COMMIT_MARK)?;
            }
            engine.savepoint(COMMIT_MARK)?;
            if !marked {
                marks.push(key);
            }
        }
        Ok(())
    }

    /// `db.session.begin_nested()`: flush, then a savepoint on every database.
    pub fn begin_nested(&self) -> Result<Savepoint> {
        self.flush()?;
        let number = self.0.savepoints.get() + 1;
        self.0.savepoints.set(number);
        let name = format!("sp_{number}");
        for (_, engine) in self.0.engines.all() {
            engine.savepoint(&name)?;
        }
        let savepoint = Savepoint {
            name,
            inserted_before: self.0.inserted.borrow().len(),
            writes_before: self.0.writes.borrow().clone(),
            raw_writes_before: self.0.raw_writes.get(),
        };
        self.0.open_savepoints.borrow_mut().push(savepoint.clone());
        Ok(savepoint)
    }

    /// Take `savepoint` (and any opened inside it) off the open list;
    /// false when it is not open any more.
    fn close_savepoint(&self, savepoint: &Savepoint) -> bool {
        let mut open = self.0.open_savepoints.borrow_mut();
        match open.iter().position(|s| s.name == savepoint.name) {
            Some(at) => {
                open.truncate(at);
                true
            }
            None => false,
        }
    }

    fn gone(savepoint: &Savepoint) -> Error {
        Error::Session(format!(
            "the savepoint {} is no longer open (a failed flush or a rollback ended it): begin_nested() makes a new one",
            savepoint.name
        ))
    }

    /// Keep what was done since the savepoint (it commits with the transaction).
    pub fn commit_nested(&self, savepoint: &Savepoint) -> Result<()> {
        if !self
            .0
            .open_savepoints
            .borrow()
            .iter()
            .any(|s| s.name == savepoint.name)
        {
            return Err(Self::gone(savepoint));
        }
        self.flush()?;
        self.close_savepoint(savepoint);
        for (_, engine) in self.0.engines.all() {
            engine.release_savepoint(&savepoint.name)?;
        }
        Ok(())
    }

    /// Undo what was done since the savepoint: objects inserted or added
    /// since leave the session, the rest is read again.
    pub fn rollback_nested(&self, savepoint: &Savepoint) -> Result<()> {
        if !self.close_savepoint(savepoint) {
            return Err(Self::gone(savepoint));
        }
        for (_, engine) in self.0.engines.all() {
            engine.rollback_to_savepoint(&savepoint.name)?;
        }
        let inserted = self
            .0
            .inserted
            .borrow_mut()
            .take_from(savepoint.inserted_before);
        self.uninsert(inserted);
        for obj in self.0.new.borrow_mut().drain(..) {
            obj.set_state(ObjectState::Transient);
        }
        for obj in self.0.deleted.borrow_mut().drain(..) {
            obj.set_state(ObjectState::Persistent);
        }
        *self.0.writes.borrow_mut() = savepoint.writes_before.clone();
        self.0.raw_writes.set(savepoint.raw_writes_before);
        self.expire_all();
        Ok(())
    }

    /// Objects whose INSERT was rolled back: transient again, with no key,
    /// every value readable and nothing queued.
    fn uninsert(&self, objs: Vec<Instance>) {
        for obj in objs {
            self.forget(&obj);
            obj.set_state(ObjectState::Transient);
            let mut data = obj.borrow_mut();
            if let Some(col) = data.mapper.autoincrement_column() {
                data.values[col] = Value::Null;
            }
            data.loaded.fill(true);
            data.changes.clear();
            data.queued = false;
        }
    }

    pub fn commit(&self) -> Result<()> {
        self.flush()?;
        if self.0.hold_commits.get() {
            // A savepoint keeps what this commit kept from a later rollback;
            // it ends the savepoints opened before it, as a commit does.
            self.0.open_savepoints.borrow_mut().clear();
            if let Err(e) = self.mark_commit() {
                return Err(self.recover(e));
            }
            self.keep_writes();
            // The signals of this commit were delivered; the rows commit later.
            self.0.tracked.borrow_mut().clear();
            self.0.inserted.borrow_mut().clear();
            for obj in self.0.flushed_deletes.borrow_mut().drain(..) {
                obj.set_state(ObjectState::Detached);
            }
            if self.0.expire_on_commit.get() {
                self.expire_all();
            }
            return Ok(());
        }
        self.0.open_savepoints.borrow_mut().clear();
        self.0.commit_marks.borrow_mut().clear();
        for (_, engine) in self.0.engines.all() {
            match engine.commit() {
                Ok(()) => {}
                // The COMMIT was sent; whether it landed is not known.
                Err(Error::ConnectionLost(detail)) => {
                    let summary = self.lost_summary(0);
                    let _ = self.rollback();
                    return Err(Error::ConnectionLost(format!(
                        "{detail} during COMMIT: whether the database committed the transaction ({summary}) is not known, so check before running it again. The session was reset."
                    )));
                }
                Err(e) => {
                    self.rollback()?;
                    return Err(e);
                }
            }
        }
        self.keep_writes();
        self.0.inserted.borrow_mut().clear();
        self.0.tracked.borrow_mut().clear();
        for obj in self.0.flushed_deletes.borrow_mut().drain(..) {
            obj.set_state(ObjectState::Detached);
        }
        if self.0.expire_on_commit.get() {
            self.expire_all();
        }
        Ok(())
    }

    /// After a statement failed inside the transaction: undo what the
    /// failure took with it and say what was lost. A lost connection took
    /// the whole transaction; otherwise going back to the innermost open
    /// savepoint is enough (what was done before it stays), else the whole
    /// session goes back.
    pub(crate) fn recover(&self, err: Error) -> Error {
        if let Error::ReadOnly(_) = err {
            // Nothing can have been written: only the aborted transaction ends.
            let _ = self.rollback();
            return err;
        }
        let lost = matches!(err, Error::ConnectionLost(_));
        let innermost = self
            .0
            .open_savepoints
            .borrow()
            .last()
            .cloned()
            .filter(|_| !lost);
        let from = innermost.as_ref().map_or(0, |sp| sp.inserted_before);
        let summary = self.lost_summary(from);
        let discarded = if summary.is_empty() {
            String::new()
        } else {
            format!(" (discarded: {summary})")
        };
        let (outcome, rollback) = match &innermost {
            Some(sp) => (
                format!(
                    "The session was rolled back to the savepoint {}: nothing since it was written{discarded}, what was done before it is kept.",
                    sp.name
                ),
                self.rollback_nested(sp),
            ),
            None if lost => (
                format!(
                    "The database rolled the transaction back: nothing of it was written{discarded}. The next statement connects again."
                ),
                self.rollback(),
            ),
            None if !self.0.commit_marks.borrow().is_empty() => (
                format!(
                    "The session was rolled back to the last commit: nothing since it was written{discarded}, what was committed is kept."
                ),
                self.rollback(),
            ),
            None => (
                format!("The session was rolled back; nothing was written{discarded}."),
                self.rollback(),
            ),
        };
        let mut message = format!("{err}\n{outcome}");
        if let Err(e) = rollback.filter_lost() {
            message.push_str(&format!(" The rollback itself failed too: {e}"));
        }
        match err {
            Error::Database { code, .. } => Error::Database { message, code },
            Error::ConnectionLost(_) => Error::ConnectionLost(message),
            _ => Error::Session(message),
        }
    }

    /// What a rollback now loses, per model: "2 new User, 1 changed Post,
    /// 1 deleted Post". New objects are the pending ones and those inserted
    /// in the transaction (from the `from`th insert on).
    pub(crate) fn lost_summary(&self, from: usize) -> String {
        let pending = self.new_objects();
        let pending_at: std::collections::HashSet<usize> =
            pending.iter().map(Instance::address).collect();
        let mut new: Vec<std::rc::Rc<crate::orm::mapping::model::Mapper>> =
            pending.iter().map(Instance::mapper).collect();
        for (mapper, obj) in self.0.inserted.borrow().since(from) {
            // An object let go since its insert is still a row the rollback loses.
            if obj.is_none_or(|o| !pending_at.contains(&o.address())) {
                new.push(mapper.clone());
            }
        }
        let mut deleted = self.deleted_objects();
        deleted.extend(self.0.flushed_deletes.borrow().iter().cloned());
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

    /// Keep each open transaction's connection alive (an idle prompt).
    pub fn keep_alive(&self) -> Result<()> {
        for (_, engine) in self.0.engines.all() {
            engine.keep_alive()?;
        }
        Ok(())
    }

    /// Roll back every database (with held commits, to the last of them);
    /// pending objects leave the session, deleted ones come back, and
    /// everything else is expired to be read again.
    pub fn rollback(&self) -> Result<()> {
        self.0.open_savepoints.borrow_mut().clear();
        let mut first_error = None;
        let mut marks = self.0.commit_marks.borrow_mut();
        for (key, engine) in self.0.engines.all() {
            let key = key.map(str::to_string);
            if marks.contains(&key) && engine.in_transaction() {
                match engine.rollback_to_savepoint(COMMIT_MARK) {
                    Ok(()) => continue,
                    // The mark is gone with the transaction: what it kept too.
                    Err(e) => {
                        first_error.get_or_insert(e);
                    }
                }
            }
            marks.retain(|k| *k != key);
            if let Err(e) = engine.rollback() {
                first_error.get_or_insert(e);
            }
        }
        drop(marks);
        self.drop_writes();
        let pending: Vec<Instance> = self.0.new.borrow_mut().drain(..).collect();
        for obj in pending {
            obj.set_state(ObjectState::Transient);
        }
        let deleted: Vec<Instance> = self.0.deleted.borrow_mut().drain(..).collect();
        for obj in deleted {
            if obj.state() == ObjectState::Deleted
                && let Some(key) = self.identity_key(&obj)
            {
                self.0.identity.borrow_mut().insert(key, &obj);
            }
            obj.set_state(ObjectState::Persistent);
        }
        // Objects inserted in the rolled-back transaction have no row any more.
        let inserted = self.0.inserted.borrow_mut().take_from(0);
        self.uninsert(inserted);
        self.0.tracked.borrow_mut().clear();
        // Rows deleted in the rolled-back transaction are there again.
        let flushed_deletes: Vec<Instance> =
            self.0.flushed_deletes.borrow_mut().drain(..).collect();
        for obj in flushed_deletes {
            obj.set_state(ObjectState::Persistent);
            if let Some(key) = self.identity_key(&obj) {
                self.0.identity.borrow_mut().insert(key, &obj);
            }
        }
        self.expire_all();
        match first_error {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    /// Expire every object: the next access reads its row again. Expired
    /// objects no longer hold their relationships, so objects that only
    /// held each other (a user and its posts) are freed here too.
    pub fn expire_all(&self) {
        let live = self.0.identity.borrow().objects();
        for obj in &live {
            obj.expire();
            obj.borrow_mut().queued = false;
        }
        self.0.modified.borrow_mut().clear();
        drop(live);
        self.0.identity.borrow_mut().release_unheld();
        self.0.inserted.borrow_mut().release_unheld();
    }

    pub fn expire(&self, obj: &Instance) {
        obj.expire();
    }

    /// Read the object's row again now.
    pub fn refresh(&self, obj: &Instance) -> Result<()> {
        if obj.state() != ObjectState::Persistent {
            return Err(Error::Session(format!(
                "{} is {}: only a persistent object can be refreshed",
                self.describe(obj),
                obj.state().name()
            )));
        }
        obj.expire();
        self.load_expired(obj)
    }
}
