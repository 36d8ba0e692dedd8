//! Relationship attributes on a session: loading them lazily as their
//! strategy says, setting them, and live collections (both sides of a
//! backref kept in step: `mirror.rs`; a dynamic one written to: `dynamic.rs`).

use crate::orm::state::instance::{Collection, Instance, ObjectState, Related};
use std::rc::Rc;

use crate::error::{Error, Result};
use crate::orm::loading::Loader;
use crate::orm::loading::dynamic::Removal;
use crate::orm::mapping::model::{Direction, Lazy, Mapper, Relationship};
use crate::orm::query::model_query::{LoadOption, Query};
use crate::orm::state::attr::Attr;
use crate::sql::{Expr, Value};

impl Loader<'_> {
    /// The value of relationship `rel` of `obj`, loading it if it is not loaded.
    pub(crate) fn relationship(&self, obj: &Instance, rel_index: usize) -> Result<Attr> {
        let mapper = obj.mapper();
        let rel = &mapper.relationships[rel_index];
        // A query, whatever the slot holds (the changes to flush: `dynamic.rs`).
        if rel.lazy == Lazy::Dynamic && !obj.borrow().strategies.iter().any(|s| s.rel == rel_index)
        {
            return Ok(Attr::Query(Box::new(self.dynamic_query(obj, rel_index)?)));
        }
        if let Some(loaded) = loaded_attr(obj.related(rel_index)) {
            return Ok(loaded);
        }
        let (strategy, options) = obj
            .borrow()
            .strategies
            .iter()
            .find(|s| s.rel == rel_index)
            .map_or((rel.lazy, Vec::new()), |s| (s.strategy, s.nested.clone()));
        let related = match strategy {
            Lazy::Raise => {
                return Err(Error::invalid(format!(
                    "{}.{} is not loaded and its strategy is lazy: \"raise\"; load it with options(joinedload({}.{}))",
                    mapper.name, rel.name, mapper.name, rel.name
                )));
            }
            Lazy::NoLoad => empty(rel.uselist),
            Lazy::Dynamic => return Ok(Attr::Query(Box::new(self.dynamic_query(obj, rel_index)?))),
            _ => self.load_relationship(obj, &mapper, rel_index, options)?,
        };
        obj.set_related(rel_index, related.clone());
        Ok(loaded_attr(related).expect("just loaded"))
    }

    /// Run the lazy load for one relationship of one object, with the
    /// loader options its query gave for under it.
    fn load_relationship(
        &self,
        obj: &Instance,
        mapper: &Mapper,
        rel_index: usize,
        options: Vec<LoadOption>,
    ) -> Result<Related> {
        let rel = &mapper.relationships[rel_index];
        let target = self.registry().mapper(rel.target).clone();
        if rel.secondary.is_some() {
            return self.load_through(obj, rel, &target, options);
        }
        // Values of this side's join columns; an object without them has no related rows yet.
        let mut local = Vec::with_capacity(rel.pairs.len());
        for &(l, _) in &rel.pairs {
            if !obj.is_loaded(l) && obj.state() == ObjectState::Persistent {
                self.load_expired(obj)?;
            }
            let v = obj.value(l);
            if v.is_null()
                || obj.state() != ObjectState::Persistent && rel.direction == Direction::OneToMany
            {
                return Ok(empty(rel.uselist));
            }
            local.push(v);
        }
        // Many-to-one by primary key: the identity map answers without SQL.
        let remote: Vec<usize> = rel.pairs.iter().map(|&(_, r)| r).collect();
        if rel.direction == Direction::ManyToOne
            && remote == target.primary_key
            && let Some(found) = self.identity_lookup(&target, &local)
            && !found.is_expired()
        {
            return Ok(Related::One(Some(found)));
        }
        let mut query = related_query(rel, &target, &local);
        query.options = options;
        // A lazy load never flushes, as SQLAlchemy's: only the session's query
        // entry points autoflush, before they call a loader.
        self.count_lazy_load();
        let items = self.all(&query)?;
        Ok(if rel.uselist {
            Related::Many(Collection::new(items))
        } else {
            Related::One(items.into_iter().next())
        })
    }

    /// A many-to-many collection: the targets joined through the association table.
    fn load_through(
        &self,
        obj: &Instance,
        rel: &Relationship,
        target: &std::rc::Rc<Mapper>,
        options: Vec<LoadOption>,
    ) -> Result<Related> {
        if obj.state() != ObjectState::Persistent {
            return Ok(Related::Many(Collection::default()));
        }
        if obj.is_expired() {
            self.load_expired(obj)?;
        }
        let mut query = related_query(rel, target, &link_values(obj, rel));
        query.options = options;
        self.count_lazy_load();
        let items = self.all(&query)?;
        Ok(Related::Many(Collection::new(items)))
    }

    /// Whether reading relationship `rel_index` of `obj` gives its dynamic
    /// query (as `relationship` decides): a new object's is a query by the
    /// key its flush gives, so the session flushes first.
    pub(crate) fn reads_dynamic_query(&self, obj: &Instance, rel_index: usize) -> bool {
        let given = obj
            .borrow()
            .strategies
            .iter()
            .find(|s| s.rel == rel_index)
            .map(|s| s.strategy);
        match given {
            None => obj.mapper().relationships[rel_index].lazy == Lazy::Dynamic,
            Some(strategy) => {
                strategy == Lazy::Dynamic && matches!(obj.related(rel_index), Related::Unloaded)
            }
        }
    }

    /// `lazy: "dynamic"`: the related rows as a query to refine (filter,
    /// count, paginate) instead of a loaded collection.
    pub fn dynamic_query(&self, obj: &Instance, rel_index: usize) -> Result<Query> {
        let mapper = obj.mapper();
        let rel = &mapper.relationships[rel_index];
        let target = self.registry().mapper(rel.target).clone();
        if obj.is_expired() && obj.state() == ObjectState::Persistent {
            self.load_expired(obj)?;
        }
        // A new object's key comes from the flush its query would autoflush:
        // the session flushes before it calls this (`reads_dynamic_query`).
        Ok(related_query(rel, &target, &link_values(obj, rel)))
    }

    /// What a relationship holds, loaded whatever its strategy (`dynamic`,
    /// `noload`, `raise`): the unit of work must see every child.
    pub(crate) fn related_for_unit_of_work(
        &self,
        obj: &Instance,
        rel_index: usize,
    ) -> Result<Vec<Instance>> {
        let related = match obj.related(rel_index) {
            Related::Unloaded => {
                let mapper = obj.mapper();
                let loaded = self.load_relationship(obj, &mapper, rel_index, Vec::new())?;
                if mapper.relationships[rel_index].lazy != Lazy::Dynamic {
                    obj.set_related(rel_index, loaded.clone());
                }
                loaded
            }
            loaded => loaded,
        };
        Ok(match related {
            Related::Many(c) => c.items(),
            Related::One(Some(o)) => vec![o],
            _ => Vec::new(),
        })
    }

    /// A viewonly relationship is read, never written through: changing it
    /// is refused rather than left unwritten.
    pub(crate) fn check_writable(mapper: &Mapper, rel_index: usize) -> Result<()> {
        let rel = &mapper.relationships[rel_index];
        if rel.viewonly {
            return Err(Error::invalid(format!(
                "{}.{} is viewonly: nothing is written through it; change the relationship (or the column) that holds the link",
                mapper.name, rel.name
            )));
        }
        Ok(())
    }

    pub(crate) fn check_target(
        &self,
        mapper: &Mapper,
        rel_index: usize,
        item: &Instance,
    ) -> Result<()> {
        let rel = &mapper.relationships[rel_index];
        let target = self.registry().mapper(rel.target).clone();
        if !target.includes(&item.borrow().mapper) {
            return Err(Error::invalid(format!(
                "{}.{} holds {} objects, not {}",
                mapper.name,
                rel.name,
                target.name,
                item.mapper().name
            )));
        }
        Ok(())
    }

    /// `post.author = user` (or `= ()`).
    pub(crate) fn set_scalar_relationship(
        &self,
        obj: &Instance,
        rel_index: usize,
        other: Option<Instance>,
    ) -> Result<()> {
        let mapper = obj.mapper();
        if let Some(o) = &other {
            self.check_target(&mapper, rel_index, o)?;
        }
        let previous = match obj.related(rel_index) {
            Related::One(p) => p,
            _ => None,
        };
        obj.set_related(rel_index, Related::One(other.clone()));
        if mapper.relationships[rel_index].direction == Direction::ManyToOne {
            self.sync_many_to_one(obj, rel_index);
        }
        self.mirror_set(obj, rel_index, previous.as_ref(), other.as_ref());
        self.after_relationship_change(obj, other.as_ref())
    }

    /// Copy the parent's key into this object's foreign key columns, where
    /// the parent's key is known (else the flush does it).
    pub(crate) fn sync_many_to_one(&self, obj: &Instance, rel_index: usize) {
        let mapper = obj.mapper();
        let rel = &mapper.relationships[rel_index];
        let Related::One(parent) = obj.related(rel_index) else {
            return;
        };
        let mut changed = false;
        for &(local, remote) in &rel.pairs {
            let value = match &parent {
                Some(p) => p.value(remote),
                None => Value::Null,
            };
            if parent.is_some() && value.is_null() {
                continue;
            }
            changed |= obj.set_value(local, value);
        }
        if changed && obj.state() == ObjectState::Persistent {
            self.queue_modified(obj);
        }
    }

    /// Copy this object's key into the foreign keys of the members of its
    /// one-to-many collection, and clear them on members taken out.
    pub(crate) fn sync_one_to_many(&self, owner: &Instance, rel_index: usize) {
        let mapper = owner.mapper();
        let rel = &mapper.relationships[rel_index];
        if rel.direction != Direction::OneToMany {
            return;
        }
        let (items, removed) = match owner.related(rel_index) {
            Related::Many(coll) => {
                let mut data = coll.data();
                (data.items.clone(), std::mem::take(&mut data.removed))
            }
            Related::One(Some(child)) => (vec![child], Vec::new()),
            _ => return,
        };
        for child in items {
            let mut changed = false;
            for &(local, remote) in &rel.pairs {
                changed |= child.set_value(remote, owner.value(local));
            }
            if changed && child.state() == ObjectState::Persistent {
                self.queue_modified(&child);
            }
        }
        for child in removed {
            if child.state() != ObjectState::Persistent {
                continue;
            }
            let mut changed = false;
            for &(_, remote) in &rel.pairs {
                changed |= child.set_value(remote, Value::Null);
            }
            if changed {
                self.queue_modified(&child);
            }
        }
    }

    /// The loaded collection of relationship `rel_index` of `owner`; `None`
    /// where reading it gives a query or one object (`dynamic.rs` writes to
    /// the first and refuses the second).
    fn collection(&self, owner: &Instance, rel_index: usize) -> Result<Option<Collection>> {
        Ok(match self.relationship(owner, rel_index)? {
            Attr::Collection(coll) => Some(coll),
            _ => None,
        })
    }

    /// `user.posts.append(post)`.
    pub fn collection_append(
        &self,
        owner: &Instance,
        rel_index: usize,
        item: &Instance,
    ) -> Result<()> {
        let mapper = owner.mapper();
        Self::check_writable(&mapper, rel_index)?;
        self.check_target(&mapper, rel_index, item)?;
        let Some(coll) = self.collection(owner, rel_index)? else {
            return self.dynamic_append(owner, rel_index, item);
        };
        if !coll.contains(item) {
            let many_to_many = mapper.relationships[rel_index].secondary.is_some();
            let mut data = coll.data();
            data.items.push(item.clone());
            let was_removed = data.removed.iter().any(|r| r.same(item));
            data.removed.retain(|r| !r.same(item));
            if many_to_many && !was_removed {
                data.added.push(item.clone());
            }
        }
        self.mirror_append(owner, rel_index, item);
        self.after_relationship_change(owner, Some(item))?;
        if item.state() == ObjectState::Persistent {
            self.queue_modified(item);
        }
        Ok(())
    }

    /// `user.posts.remove(post)`: done in memory, or for a dynamic
    /// relationship perhaps a question for the database (`Removal`).
    pub(crate) fn collection_remove(
        &self,
        owner: &Instance,
        rel_index: usize,
        item: &Instance,
    ) -> Result<Removal> {
        Self::check_writable(&owner.mapper(), rel_index)?;
        match self.collection(owner, rel_index)? {
            Some(coll) => self
                .remove_from(owner, rel_index, item, &coll)
                .map(|()| Removal::Done),
            None => self.dynamic_remove(owner, rel_index, item),
        }
    }

    /// `item` out of `coll`, the loaded collection `rel_index` of `owner`.
    pub(crate) fn remove_from(
        &self,
        owner: &Instance,
        rel_index: usize,
        item: &Instance,
        coll: &Collection,
    ) -> Result<()> {
        let mapper = owner.mapper();
        if !coll.contains(item) {
            return Err(Error::invalid(format!(
                "{} is not in {}.{}",
                self.describe(item),
                self.describe(owner),
                mapper.relationships[rel_index].name
            )));
        }
        {
            let mut data = coll.data();
            data.items.retain(|i| !i.same(item));
            let was_added = data.added.iter().any(|a| a.same(item));
            data.added.retain(|a| !a.same(item));
            if !was_added {
                data.removed.push(item.clone());
            }
        }
        let rel = &mapper.relationships[rel_index];
        self.mirror_remove(owner, rel_index, item, coll);
        self.queue_modified(owner);
        // delete-orphan: a child out of its parent's collection goes.
        if rel.delete_orphan {
            match item.state() {
                ObjectState::Persistent => self.delete(item)?,
                ObjectState::Pending => self.expunge(item),
                _ => {}
            }
        }
        Ok(())
    }

    /// Read an expired object's row again.
    pub(crate) fn load_expired(&self, obj: &Instance) -> Result<()> {
        let mapper = obj.mapper();
        let pk = obj.original_key().ok_or_else(|| {
            Error::Session(format!(
                "{} has no primary key to load by",
                self.describe(obj)
            ))
        })?;
        let query = Query::new(mapper.clone()).filter_pk(&pk);
        let stmt = query.to_select();
        let engine = self.engine_for(&mapper)?;
        let compiled = crate::sql::compile(&crate::sql::Statement::Select(stmt), engine.dialect());
        let types = query.column_types();
        let mut rows = engine.fetch(&compiled, &types)?;
        match rows.pop() {
            Some(row) => {
                obj.refill(row);
                Ok(())
            }
            None => {
                self.forget(obj);
                obj.set_state(ObjectState::Detached);
                Err(Error::NoResult(format!(
                    "the row for {} is gone (deleted, perhaps by another connection)",
                    self.describe(obj)
                )))
            }
        }
    }
}

fn empty(uselist: bool) -> Related {
    if uselist {
        Related::Many(Collection::default())
    } else {
        Related::One(None)
    }
}

fn loaded_attr(related: Related) -> Option<Attr> {
    match related {
        Related::Unloaded => None,
        Related::One(o) => Some(Attr::Object(o)),
        Related::Many(c) => Some(Attr::Collection(c)),
    }
}

/// The values of `obj` that link it to the relationship's rows: its join
/// columns, or for a many-to-many the columns the association table refers to.
fn link_values(obj: &Instance, rel: &Relationship) -> Vec<Value> {
    match &rel.secondary {
        Some(sec) => sec.local.iter().map(|(s, _, _)| obj.value(*s)).collect(),
        None => rel.pairs.iter().map(|&(l, _)| obj.value(l)).collect(),
    }
}

/// The query for the rows related to one object whose link values are
/// `values`, in the relationship's order.
fn related_query(rel: &Relationship, target: &Rc<Mapper>, values: &[Value]) -> Query {
    let mut query = Query::new(target.clone());
    match &rel.secondary {
        Some(sec) => {
            query = query
                .join_table(sec.join_to_target(target))
                .filter(sec.local_filter(values));
        }
        None => {
            for (&(_, r), v) in rel.pairs.iter().zip(values) {
                let ty = target.columns[r].ty.clone();
                let column = query.column_expr(r);
                query = query.filter(Expr::binary(
                    crate::sql::BinaryOp::Eq,
                    column,
                    Expr::Bind(v.clone(), Some(ty)),
                ));
            }
        }
    }
    for &(c, descending) in &rel.order_by {
        let column = query.column_expr(c);
        query = query.order_by(Expr::Ordering {
            expr: Box::new(column),
            descending,
        });
    }
    query
}
