//! The changes a session holds for its next flush: objects added (pending),
//! persistent objects changed, and objects marked for deletion; and how
//! `add`, `delete` and `expunge` move objects between them.

use crate::error::{Error, Result};
use crate::orm::state::instance::{Instance, ObjectState, Related};
use crate::orm::state::rows::describe_key;
use crate::orm::state::session_state::SessionState;

impl SessionState {
    /// `session.add(obj)`: a transient object becomes pending; objects it
    /// refers to through loaded relationships come along (save-update cascade).
    pub fn add(&self, obj: &Instance) -> Result<()> {
        match obj.state() {
            ObjectState::Transient => {
                // Made before `db.reflect()` extended its model: take the new mapper.
                obj.remap(&self.registry());
                obj.set_state(ObjectState::Pending);
                self.changes.new.borrow_mut().push(obj.clone());
                self.cascade_add(obj)?;
            }
            ObjectState::Pending => {}
            // Re-adding an object marked for deletion, before the flush, undoes the delete.
            ObjectState::Persistent => self.changes.deleted.borrow_mut().retain(|o| !o.same(obj)),
            ObjectState::Deleted => {
                return Err(Error::Session(format!(
                    "{} was deleted in this transaction; roll back to have it again",
                    self.describe(obj)
                )));
            }
            ObjectState::Detached => {
                let key = self.identity_key(obj).ok_or_else(|| {
                    Error::Session("a detached object without a primary key cannot be added".into())
                })?;
                if let Some(existing) = self.identity.borrow().get(&key)
                    && !existing.same(obj)
                {
                    return Err(Error::Session(format!(
                        "another object with the identity {} is already in the session; use db.session.merge(obj)",
                        describe_key(&obj.mapper(), &key.1)
                    )));
                }
                obj.set_state(ObjectState::Persistent);
                self.identity.borrow_mut().insert(key, obj);
                self.queue_modified(obj);
            }
        }
        Ok(())
    }

    fn cascade_add(&self, obj: &Instance) -> Result<()> {
        // Slot by slot, not a copy of the list: every add of a seed comes here.
        for slot in 0..obj.borrow().related.len() {
            match obj.related(slot) {
                Related::One(Some(other)) if other.state() == ObjectState::Transient => {
                    self.add(&other)?
                }
                Related::Many(coll) => {
                    for item in coll.items() {
                        if item.state() == ObjectState::Transient {
                            self.add(&item)?;
                        }
                    }
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// `session.delete(obj)`.
    pub fn delete(&self, obj: &Instance) -> Result<()> {
        match obj.state() {
            ObjectState::Persistent => {
                if !self.changes.deleted.borrow().iter().any(|o| o.same(obj)) {
                    self.changes.deleted.borrow_mut().push(obj.clone());
                }
                Ok(())
            }
            ObjectState::Pending => {
                self.expunge(obj);
                Ok(())
            }
            ObjectState::Deleted => Ok(()),
            state => Err(Error::Session(format!(
                "{} is {} (not in the session): there is no row to delete",
                self.describe(obj),
                state.name()
            ))),
        }
    }

    /// Whether this very object is the one the session holds for its key
    /// (or among its pending objects).
    pub fn is_in_session(&self, obj: &Instance) -> bool {
        self.changes.new.borrow().iter().any(|o| o.same(obj))
            || self
                .identity_key(obj)
                .and_then(|k| self.identity.borrow().get(&k))
                .is_some_and(|o| o.same(obj))
    }

    /// Take an object out of the session without touching its row.
    pub fn expunge(&self, obj: &Instance) {
        self.changes.new.borrow_mut().retain(|o| !o.same(obj));
        self.changes.deleted.borrow_mut().retain(|o| !o.same(obj));
        self.changes.modified.borrow_mut().retain(|o| !o.same(obj));
        if let Some(key) = self.identity_key(obj) {
            let mut identity = self.identity.borrow_mut();
            if identity.get(&key).is_some_and(|o| o.same(obj)) {
                identity.remove(&key);
            }
        }
        let state = match obj.state() {
            ObjectState::Pending | ObjectState::Transient => ObjectState::Transient,
            _ => ObjectState::Detached,
        };
        obj.set_state(state);
        obj.borrow_mut().queued = false;
    }

    /// A list of `count` objects was let go of (a loop over it ended): when
    /// it was a good part of the identity map, the map drops the entries of
    /// the objects that went with it now. Sweeping only then keeps the cost
    /// proportional to what was let go.
    pub fn released(&self, count: usize) {
        if let Ok(mut identity) = self.identity.try_borrow_mut()
            && count >= 1024
            && count * 4 >= identity.len()
        {
            identity.release_unheld();
        }
    }

    pub fn expunge_all(&self) {
        // In bulk: expunging one by one would scan the lists once per object.
        let held = self.identity.borrow_mut().drain();
        for obj in held {
            obj.set_state(ObjectState::Detached);
            obj.borrow_mut().queued = false;
        }
        for obj in self.changes.new.borrow_mut().drain(..) {
            obj.set_state(ObjectState::Transient);
        }
        for obj in self.changes.deleted.borrow_mut().drain(..) {
            obj.set_state(ObjectState::Detached);
        }
        self.changes.modified.borrow_mut().clear();
    }

    pub fn new_objects(&self) -> Vec<Instance> {
        self.changes.new.borrow().clone()
    }

    pub fn dirty_objects(&self) -> Vec<Instance> {
        self.changes
            .modified
            .borrow()
            .iter()
            .filter(|o| o.has_changes() && o.state() == ObjectState::Persistent)
            .cloned()
            .collect()
    }

    /// The persistent objects queued as changed (a collection's change
    /// too, which changes no column).
    pub(crate) fn queued_persistent(&self) -> Vec<Instance> {
        self.changes
            .modified
            .borrow()
            .iter()
            .filter(|o| o.state() == ObjectState::Persistent)
            .cloned()
            .collect()
    }

    pub fn deleted_objects(&self) -> Vec<Instance> {
        self.changes.deleted.borrow().clone()
    }

    /// Whether anything awaits a flush or a commit.
    pub fn has_pending_changes(&self) -> bool {
        !self.changes.new.borrow().is_empty()
            || !self.changes.deleted.borrow().is_empty()
            || !self.dirty_objects().is_empty()
    }

    /// Whether the next flush has nothing at all to look at.
    pub(crate) fn nothing_to_flush(&self) -> bool {
        self.changes.new.borrow().is_empty()
            && self.changes.deleted.borrow().is_empty()
            && self.changes.modified.borrow().is_empty()
    }

    pub(crate) fn queue_modified(&self, obj: &Instance) {
        let mut data = obj.borrow_mut();
        if !data.queued {
            data.queued = true;
            drop(data);
            self.changes.modified.borrow_mut().push(obj.clone());
        }
    }

    /// The changed objects queued so far, taken off the queue (a flush
    /// writes them).
    pub(crate) fn take_modified(&self) -> Vec<Instance> {
        self.changes.modified.borrow_mut().drain(..).collect()
    }

    /// After the inserts: only objects still pending stay on the new list
    /// (one pass: the list can be long).
    pub(crate) fn keep_unflushed_new(&self) {
        self.changes
            .new
            .borrow_mut()
            .retain(|o| o.state() == ObjectState::Pending);
    }

    /// After the deletes: nothing is marked for deletion any more.
    pub(crate) fn clear_deleted(&self) {
        self.changes.deleted.borrow_mut().clear();
    }
}
