//! The open transaction's end and its savepoints: commit and rollback (with
//! what each does to the objects), savepoints opened, released and rolled
//! back to, held commits for the sandbox and `run --atomic`, and recovery
//! after a failed statement. The facade (`orm::session`) flushes before a
//! commit or a savepoint; the record itself is `transaction_record.rs`.

use crate::error::{Error, Result};
use crate::orm::state::instance::{Instance, ObjectState};
use crate::orm::state::session_state::SessionState;
use crate::orm::state::transaction_record::Savepoint;
use crate::sql::Value;

/// The savepoint a held commit leaves behind it: a later `rollback()` goes
/// back to it, so what a held commit kept is never taken back by a rollback.
const COMMIT_MARK: &str = "ormsh_commit";

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

impl SessionState {
    /// Make `commit()` flush and mark the point with a savepoint instead of
    /// committing, until `commit_held()` (or `discard_all()`): the whole run
    /// then commits (or is rolled back) as one transaction, while a
    /// `rollback()` inside it goes back to the last commit, never past it.
    pub fn set_hold_commits(&self, on: bool) {
        self.options.hold_commits.set(on);
    }

    pub fn holds_commits(&self) -> bool {
        self.options.hold_commits.get()
    }

    /// Roll everything back, held commits too (the sandbox's end, a failed
    /// `run --atomic`).
    pub fn discard_all(&self) -> Result<()> {
        self.tx.commit_marks.borrow_mut().clear();
        self.rollback()
    }

    /// A held commit: its savepoint moves here on every database with an
    /// open transaction (one with none has nothing to keep).
    fn mark_commit(&self) -> Result<()> {
        let mut marks = self.tx.commit_marks.borrow_mut();
        for (key, engine) in self.engines().all() {
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

    /// A savepoint on every database, nested in the open transaction (the
    /// facade's `begin_nested()` flushes first).
    pub fn open_savepoint(&self) -> Result<Savepoint> {
        let number = self.tx.savepoints.get() + 1;
        self.tx.savepoints.set(number);
        let name = format!("sp_{number}");
        for (_, engine) in self.engines().all() {
            engine.savepoint(&name)?;
        }
        let savepoint = Savepoint {
            name,
            inserted_before: self.tx.inserted.borrow().len(),
            writes_before: self.tx.writes.borrow().clone(),
            raw_writes_before: self.tx.raw_writes.get(),
        };
        self.tx.nested.borrow_mut().push(savepoint.clone());
        Ok(savepoint)
    }

    /// Whether `savepoint` is still open.
    pub fn savepoint_is_open(&self, savepoint: &Savepoint) -> Result<()> {
        if self
            .tx
            .nested
            .borrow()
            .iter()
            .any(|s| s.name == savepoint.name)
        {
            Ok(())
        } else {
            Err(Self::gone(savepoint))
        }
    }

    /// Keep what was done since the savepoint (it commits with the
    /// transaction); the facade's `commit_nested()` flushes first.
    pub fn release_savepoint(&self, savepoint: &Savepoint) -> Result<()> {
        self.savepoint_is_open(savepoint)?;
        self.close_savepoint(savepoint);
        for (_, engine) in self.engines().all() {
            engine.release_savepoint(&savepoint.name)?;
        }
        Ok(())
    }

    /// Take `savepoint` (and any opened inside it) off the open list;
    /// false when it is not open any more.
    fn close_savepoint(&self, savepoint: &Savepoint) -> bool {
        let mut open = self.tx.nested.borrow_mut();
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

    /// Undo what was done since the savepoint: objects inserted or added
    /// since leave the session, the rest is read again.
    pub fn rollback_nested(&self, savepoint: &Savepoint) -> Result<()> {
        if !self.close_savepoint(savepoint) {
            return Err(Self::gone(savepoint));
        }
        for (_, engine) in self.engines().all() {
            engine.rollback_to_savepoint(&savepoint.name)?;
        }
        let inserted = self
            .tx
            .inserted
            .borrow_mut()
            .take_from(savepoint.inserted_before);
        self.uninsert(inserted);
        for obj in self.changes.new.borrow_mut().drain(..) {
            obj.set_state(ObjectState::Transient);
        }
        for obj in self.changes.deleted.borrow_mut().drain(..) {
            obj.set_state(ObjectState::Persistent);
        }
        *self.tx.writes.borrow_mut() = savepoint.writes_before.clone();
        self.tx.raw_writes.set(savepoint.raw_writes_before);
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

    /// Commit what the flush before it wrote (the facade's `commit()`
    /// flushes first); with held commits, mark the point instead.
    pub fn commit_flushed(&self) -> Result<()> {
        if self.options.hold_commits.get() {
            // A savepoint keeps what this commit kept from a later rollback;
            // it ends the savepoints opened before it, as a commit does.
            self.tx.nested.borrow_mut().clear();
            if let Err(e) = self.mark_commit() {
                return Err(self.recover(e));
            }
            self.keep_writes();
            // The signals of this commit were delivered; the rows commit later.
            self.tx.tracked.borrow_mut().clear();
            self.tx.inserted.borrow_mut().clear();
            for obj in self.tx.flushed_deletes.borrow_mut().drain(..) {
                obj.set_state(ObjectState::Detached);
            }
            if self.options.expire_on_commit.get() {
                self.expire_all();
            }
            return Ok(());
        }
        self.tx.nested.borrow_mut().clear();
        self.tx.commit_marks.borrow_mut().clear();
        for (_, engine) in self.engines().all() {
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
        self.tx.inserted.borrow_mut().clear();
        self.tx.tracked.borrow_mut().clear();
        for obj in self.tx.flushed_deletes.borrow_mut().drain(..) {
            obj.set_state(ObjectState::Detached);
        }
        if self.options.expire_on_commit.get() {
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
        let innermost = self.tx.nested.borrow().last().cloned().filter(|_| !lost);
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
            None if !self.tx.commit_marks.borrow().is_empty() => (
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

    /// Keep each open transaction's connection alive (an idle prompt).
    pub fn keep_alive(&self) -> Result<()> {
        for (_, engine) in self.engines().all() {
            engine.keep_alive()?;
        }
        Ok(())
    }

    /// Roll back every database (with held commits, to the last of them);
    /// pending objects leave the session, deleted ones come back, and
    /// everything else is expired to be read again.
    pub fn rollback(&self) -> Result<()> {
        self.tx.nested.borrow_mut().clear();
        let mut first_error = None;
        let mut marks = self.tx.commit_marks.borrow_mut();
        for (key, engine) in self.engines().all() {
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
        let pending: Vec<Instance> = self.changes.new.borrow_mut().drain(..).collect();
        for obj in pending {
            obj.set_state(ObjectState::Transient);
        }
        let deleted: Vec<Instance> = self.changes.deleted.borrow_mut().drain(..).collect();
        for obj in deleted {
            if obj.state() == ObjectState::Deleted
                && let Some(key) = self.identity_key(&obj)
            {
                self.identity.borrow_mut().insert(key, &obj);
            }
            obj.set_state(ObjectState::Persistent);
        }
        // Objects inserted in the rolled-back transaction have no row any more.
        let inserted = self.tx.inserted.borrow_mut().take_from(0);
        self.uninsert(inserted);
        self.tx.tracked.borrow_mut().clear();
        // Rows deleted in the rolled-back transaction are there again.
        let flushed_deletes: Vec<Instance> =
            self.tx.flushed_deletes.borrow_mut().drain(..).collect();
        for obj in flushed_deletes {
            obj.set_state(ObjectState::Persistent);
            if let Some(key) = self.identity_key(&obj) {
                self.identity.borrow_mut().insert(key, &obj);
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
        let live = self.identity.borrow().objects();
        for obj in &live {
            obj.expire();
            obj.borrow_mut().queued = false;
        }
        self.changes.modified.borrow_mut().clear();
        drop(live);
        self.identity.borrow_mut().release_unheld();
        self.tx.inserted.borrow_mut().release_unheld();
    }

    pub fn expire(&self, obj: &Instance) {
        obj.expire();
    }

    /// An object the open transaction inserted (undone by a rollback).
    pub(crate) fn record_insert(&self, obj: &Instance) {
        self.tx.inserted.borrow_mut().push(obj);
    }

    /// Room for `additional` more inserts in the record.
    pub(crate) fn reserve_inserts(&self, additional: usize) {
        self.tx.inserted.borrow_mut().reserve(additional);
    }

    /// How many inserts the open transaction has made so far.
    pub(crate) fn inserts_so_far(&self) -> usize {
        self.tx.inserted.borrow().len()
    }

    /// An object whose row the open transaction deleted (back on rollback).
    pub(crate) fn record_delete(&self, obj: &Instance) {
        self.tx.flushed_deletes.borrow_mut().push(obj.clone());
    }
}
