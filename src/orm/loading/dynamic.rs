//! `lazy: "dynamic"` relationships written to, as SQLAlchemy's
//! AppenderQuery: `append` and `remove` on the query. A many-to-many keeps
//! the changes in the relationship's slot (a collection of added and
//! removed objects only) until the flush writes their association rows;
//! reading it is a query, which the session flushes before. A one-to-many
//! sets, or clears, the child's side of its backref.

use crate::error::{Error, Result};
use crate::orm::loading::Loader;
use crate::orm::mapping::model::{Direction, Lazy};
use crate::orm::state::instance::{Collection, Instance, ObjectState, Related};
use crate::sql::Value;

/// How far a remove from a relationship got in memory.
#[must_use]
pub(crate) enum Removal {
    /// All of it: nothing is left to do.
    Done,
    /// `item`, of this primary key, is not among the changes of the owner's
    /// dynamic many-to-many: whether a row links them is the database's to
    /// say. The session runs the relationship's query for that key (which
    /// autoflushes first) and hands the answer to `dynamic_remove_found`.
    Ask(Vec<Value>),
}

impl Loader<'_> {
    /// `user.followed.append(other)` on a dynamic relationship.
    pub(crate) fn dynamic_append(
        &self,
        owner: &Instance,
        rel_index: usize,
        item: &Instance,
    ) -> Result<()> {
        let mapper = owner.mapper();
        let rel = &mapper.relationships[rel_index];
        self.check_dynamic(owner, rel_index)?;
        match rel.direction {
            Direction::ManyToMany => {
                let pending = self.pending_changes(owner, rel_index);
                {
                    let mut data = pending.data();
                    if data.removed.iter().any(|r| r.same(item)) {
                        data.removed.retain(|r| !r.same(item));
                    } else if !data.added.iter().any(|a| a.same(item)) {
                        data.added.push(item.clone());
                    }
                }
                self.mirror_append(owner, rel_index, item);
                self.after_relationship_change(owner, Some(item))
            }
            _ => {
                let reverse = self.scalar_reverse(owner, rel_index, "append to")?;
                self.set_scalar_relationship(item, reverse, Some(owner.clone()))?;
                // The append cascades the item into the owner's session.
                self.after_relationship_change(owner, Some(item))
            }
        }
    }

    /// `user.followed.remove(other)` on a dynamic relationship: `other`
    /// must be in it, as in a loaded collection. Done in memory, but for a
    /// many-to-many row that only the database knows of (`Removal::Ask`).
    pub(crate) fn dynamic_remove(
        &self,
        owner: &Instance,
        rel_index: usize,
        item: &Instance,
    ) -> Result<Removal> {
        let mapper = owner.mapper();
        let rel = &mapper.relationships[rel_index];
        self.check_dynamic(owner, rel_index)?;
        match rel.direction {
            Direction::ManyToMany => {
                let pending = self.pending_changes(owner, rel_index);
                let was_added = pending.data().added.iter().any(|a| a.same(item));
                if !was_added {
                    return match item.primary_key() {
                        Some(key) => Ok(Removal::Ask(key)),
                        None => Err(self.not_in(owner, rel_index, item)),
                    };
                }
                pending.data().added.retain(|a| !a.same(item));
                self.after_dynamic_remove(owner, rel_index, item, &pending);
                Ok(Removal::Done)
            }
            _ => {
                let reverse = self.scalar_reverse(owner, rel_index, "remove from")?;
                let linked = match item.related(reverse) {
                    Related::One(Some(o)) => o.same(owner),
                    _ => rel.pairs.iter().all(|&(l, r)| {
                        !owner.value(l).is_null() && owner.value(l) == item.value(r)
                    }),
                };
                if !linked {
                    return Err(self.not_in(owner, rel_index, item));
                }
                self.set_scalar_relationship(item, reverse, None)?;
                if rel.delete_orphan {
                    match item.state() {
                        ObjectState::Persistent => self.delete(item)?,
                        ObjectState::Pending => self.expunge(item),
                        _ => {}
                    }
                }
                Ok(Removal::Done)
            }
        }
    }

    /// The rest of a `Removal::Ask`: `found` says whether the relationship's
    /// query found `item`, whose row the next flush then deletes.
    pub(crate) fn dynamic_remove_found(
        &self,
        owner: &Instance,
        rel_index: usize,
        item: &Instance,
        found: bool,
    ) -> Result<()> {
        let pending = self.pending_changes(owner, rel_index);
        if !found || pending.data().removed.iter().any(|r| r.same(item)) {
            return Err(self.not_in(owner, rel_index, item));
        }
        pending.data().removed.push(item.clone());
        self.after_dynamic_remove(owner, rel_index, item, &pending);
        Ok(())
    }

    /// The other side follows a remove from a dynamic many-to-many, and a
    /// persistent owner is modified.
    fn after_dynamic_remove(
        &self,
        owner: &Instance,
        rel_index: usize,
        item: &Instance,
        pending: &Collection,
    ) {
        self.mirror_remove(owner, rel_index, item, pending);
        if owner.state() == ObjectState::Persistent {
            self.queue_modified(owner);
        }
    }

    /// `item` is not in relationship `rel_index` of `owner`.
    fn not_in(&self, owner: &Instance, rel_index: usize, item: &Instance) -> Error {
        Error::invalid(format!(
            "{} is not in {}.{}",
            self.describe(item),
            self.describe(owner),
            owner.mapper().relationships[rel_index].name
        ))
    }

    /// Refuse a write to a relationship that is not a dynamic collection.
    fn check_dynamic(&self, owner: &Instance, rel_index: usize) -> Result<()> {
        let mapper = owner.mapper();
        let rel = &mapper.relationships[rel_index];
        if rel.lazy != Lazy::Dynamic || rel.direction == Direction::ManyToOne {
            return Err(Error::invalid(format!(
                "{}.{} is not a collection",
                mapper.name, rel.name
            )));
        }
        Ok(())
    }

    /// The other side of a dynamic one-to-many: a child's many-to-one, set
    /// to write the change. Without one there is no column to set.
    fn scalar_reverse(&self, owner: &Instance, rel_index: usize, verb: &str) -> Result<usize> {
        let mapper = owner.mapper();
        let rel = &mapper.relationships[rel_index];
        let target = self.registry().mapper(rel.target).clone();
        rel.reverse
            .as_ref()
            .and_then(|r| target.relationship_index(r))
            .filter(|&r| !target.relationships[r].uselist)
            .ok_or_else(|| {
                Error::invalid(format!(
                    "{}.{} is lazy: \"dynamic\" with no relationship back from {}: ormsh cannot {verb} it; give it a backref (or set the child's foreign key)",
                    mapper.name, rel.name, target.name
                ))
            })
    }

    /// The added and removed objects of a dynamic relationship, kept in
    /// its slot for the flush.
    fn pending_changes(&self, owner: &Instance, rel_index: usize) -> Collection {
        match owner.related(rel_index) {
            Related::Many(c) => c,
            _ => {
                let c = Collection::default();
                owner.set_related(rel_index, Related::Many(c.clone()));
                c
            }
        }
    }
}
