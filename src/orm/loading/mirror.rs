//! Both sides of a backref kept in step in memory before any flush: a
//! change to one side shows on the other side's loaded (or, for a
//! persistent object, first loaded; for a new one, made) relationship, and
//! an object that became related to one in the session joins it.

use crate::error::Result;
use crate::orm::loading::Loader;
use crate::orm::mapping::model::{Lazy, Mapper};
use crate::orm::state::instance::{Collection, Instance, ObjectState, Related};

impl Loader<'_> {
    /// The other side of a backref follows a scalar change: `p.author = u`
    /// moves `p` from the old author's loaded `posts` to `u`'s.
    pub(crate) fn mirror_set(
        &self,
        obj: &Instance,
        rel_index: usize,
        previous: Option<&Instance>,
        new: Option<&Instance>,
    ) {
        let mapper = obj.mapper();
        let Some(reverse_name) = &mapper.relationships[rel_index].reverse else {
            return;
        };
        let target = self
            .registry()
            .mapper(mapper.relationships[rel_index].target)
            .clone();
        let Some(reverse) = target.relationship_index(reverse_name) else {
            return;
        };
        if let Some(old) = previous
            && new.is_none_or(|n| !n.same(old))
        {
            match self.loaded_for_mirror(old, &target, reverse) {
                Related::Many(coll) => coll.data().items.retain(|i| !i.same(obj)),
                Related::One(Some(o)) if o.same(obj) => {
                    old.set_related(reverse, Related::One(None))
                }
                _ => {}
            }
        }
        if let Some(new) = new {
            match self.loaded_for_mirror(new, &target, reverse) {
                Related::Many(coll) => {
                    if !coll.contains(obj) {
                        coll.data().items.push(obj.clone());
                    }
                }
                Related::Unloaded if new.state() != ObjectState::Persistent => {
                    let related = if target.relationships[reverse].uselist {
                        Related::Many(Collection::new(vec![obj.clone()]))
                    } else {
                        Related::One(Some(obj.clone()))
                    };
                    new.set_related(reverse, related);
                }
                Related::One(_) => new.set_related(reverse, Related::One(Some(obj.clone()))),
                Related::Unloaded => {}
            }
        }
    }

    /// The other side's relationship, loaded first when it is a persistent
    /// object's unloaded collection: a change mirrored into it now must not
    /// be lost to a load from the database later (SQLAlchemy keeps such
    /// changes pending; loading now gives the same collection).
    fn loaded_for_mirror(&self, other: &Instance, target: &Mapper, reverse: usize) -> Related {
        let related = other.related(reverse);
        let rel = &target.relationships[reverse];
        let loads = matches!(rel.lazy, Lazy::Select) || rel.lazy.is_eager();
        if matches!(related, Related::Unloaded)
            && rel.uselist
            && loads
            && other.state() == ObjectState::Persistent
            && self.relationship(other, reverse).is_ok()
        {
            return other.related(reverse);
        }
        related
    }

    /// An object put into a relationship of an object in the session joins
    /// it too (SQLAlchemy's save-update cascade). Only along the
    /// relationship written: `Post(#{ author: u })` leaves the new post
    /// transient though its backref puts it in `u.posts`, as SQLAlchemy 2.0
    /// (which has no cascade along backrefs) does.
    pub(crate) fn after_relationship_change(
        &self,
        obj: &Instance,
        other: Option<&Instance>,
    ) -> Result<()> {
        let in_session =
            |o: &Instance| matches!(o.state(), ObjectState::Pending | ObjectState::Persistent);
        if let Some(other) = other
            && in_session(obj)
            && other.state() == ObjectState::Transient
        {
            self.add(other)?;
        }
        if obj.state() == ObjectState::Persistent {
            self.queue_modified(obj);
        }
        Ok(())
    }

    /// The other side of a backref follows a remove from `coll` (a row that
    /// side added and no flush wrote is then neither written nor deleted).
    pub(crate) fn mirror_remove(
        &self,
        owner: &Instance,
        rel_index: usize,
        item: &Instance,
        coll: &Collection,
    ) {
        let mapper = owner.mapper();
        let rel = &mapper.relationships[rel_index];
        let Some(reverse_name) = &rel.reverse else {
            return;
        };
        let target = self.registry().mapper(rel.target).clone();
        let Some(reverse) = target.relationship_index(reverse_name) else {
            return;
        };
        match self.loaded_for_mirror(item, &target, reverse) {
            Related::One(Some(o)) if o.same(owner) => item.set_related(reverse, Related::One(None)),
            Related::Many(other) => {
                let mut other = other.data();
                other.items.retain(|i| !i.same(owner));
                if other.added.iter().any(|a| a.same(owner)) {
                    other.added.retain(|a| !a.same(owner));
                    coll.data().removed.retain(|r| !r.same(item));
                }
            }
            _ => {}
        }
    }

    /// The other side of a backref follows an append: `p.author` becomes
    /// `u`, or the other end of a many-to-many shows `owner` in `item`'s
    /// collection (a persistent object's loaded first, a new one's made).
    pub(crate) fn mirror_append(&self, owner: &Instance, rel_index: usize, item: &Instance) {
        let mapper = owner.mapper();
        let rel = &mapper.relationships[rel_index];
        let Some(reverse_name) = &rel.reverse else {
            return;
        };
        let target = self.registry().mapper(rel.target).clone();
        let Some(reverse) = target.relationship_index(reverse_name) else {
            return;
        };
        let back = &target.relationships[reverse];
        if back.uselist {
            // Many-to-many; a dynamic other side is a query, which flushes first.
            match self.loaded_for_mirror(item, &target, reverse) {
                _ if back.lazy == Lazy::Dynamic => {}
                Related::Many(other) => {
                    let mut other = other.data();
                    if !other.items.iter().any(|i| i.same(owner)) {
                        other.items.push(owner.clone());
                    }
                }
                Related::Unloaded if item.state() != ObjectState::Persistent => {
                    item.set_related(reverse, Related::Many(Collection::new(vec![owner.clone()])));
                }
                _ => {}
            }
            return;
        }
        let previous = match item.related(reverse) {
            Related::One(p) => p,
            _ => None,
        };
        if let Some(old) = &previous
            && !old.same(owner)
            && let Related::Many(coll) = old.related(rel_index)
        {
            coll.data().items.retain(|i| !i.same(item));
        }
        item.set_related(reverse, Related::One(Some(owner.clone())));
        self.sync_many_to_one(item, reverse);
    }
}
