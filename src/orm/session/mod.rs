//! The session: the identity map (one object per row), the objects added,
//! changed and deleted since the last flush, attribute access with lazy
//! loading and expiry, and the transaction around it all. The unit of work
//! that writes the changes is in `flush`.

pub mod engines;
pub(crate) mod transaction;

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

use crate::engine::Engine;
use crate::engine::RowView;
use crate::error::{Error, Result};
use crate::orm::flush::insert_log::InsertLog;
use crate::orm::mapping::model::{Mapper, Registry};
use crate::orm::session::engines::Engines;
use crate::orm::session::transaction::WriteKind;
pub(crate) use crate::orm::state::identity::{IdentityKey, IdentityMap, PrimaryKey};
pub use crate::orm::state::instance::default_repr;
use crate::orm::state::instance::{Collection, Instance, ObjectState, Related};
use crate::sql::Value;

/// What an attribute holds.
#[derive(Debug, Clone)]
pub enum Attr {
    Value(Value),
    Object(Option<Instance>),
    Collection(Collection),
    /// A `lazy: "dynamic"` relationship: a query of the related rows.
    Query(Box<crate::orm::query::model_query::Query>),
}

/// A cheap handle to one session.
#[derive(Clone)]
pub struct Session(pub(crate) Rc<SessionInner>);

pub(crate) struct SessionInner {
    /// Replaced as a whole (never changed in place) when models are added at run time.
    pub registry: RefCell<Rc<Registry>>,
    pub engines: Engines,
    pub identity: RefCell<IdentityMap>,
    /// Pending objects, in the order they were added.
    pub new: RefCell<Vec<Instance>>,
    /// Persistent objects with changes (or changed collections) to look at in the next flush.
    pub modified: RefCell<Vec<Instance>>,
    pub deleted: RefCell<Vec<Instance>>,
    /// Objects inserted in the open transaction (undone by a rollback),
    /// with their models: held weakly, so a long script's inserts can be
    /// let go once nothing else holds them (a rollback has nothing to undo
    /// on an object nobody can see), and still counted in what it loses.
    pub(crate) inserted: RefCell<InsertLog>,
    /// Objects whose rows were deleted in the open transaction (back on rollback).
    pub flushed_deletes: RefCell<Vec<Instance>>,
    pub autoflush: Cell<bool>,
    pub expire_on_commit: Cell<bool>,
    pub flushing: Cell<bool>,
    /// Held commits (the sandbox, `run --atomic`): `commit()` flushes and
    /// marks the point with a savepoint instead of committing.
    pub hold_commits: Cell<bool>,
    /// The binds whose open transaction has a held commit's savepoint.
    pub commit_marks: RefCell<Vec<Option<String>>>,
    /// `track_modifications`: record each object the flushes write.
    pub track: Cell<bool>,
    pub tracked: RefCell<Vec<(Instance, WriteKind)>>,
    /// Savepoints made so far (their names are numbered).
    pub savepoints: Cell<u64>,
    /// The savepoints open now, innermost last.
    pub open_savepoints: RefCell<Vec<crate::orm::session::transaction::Savepoint>>,
    /// Relationship loads that sent SQL (for the N+1 detector above).
    pub lazy_loads: Cell<u64>,
    /// Object queries run so far: each marks the objects it returns.
    pub queries_run: Cell<u32>,
    /// Rows written in the open transaction and not yet committed: per
    /// mapper, [inserted, updated, deleted].
    pub writes: RefCell<HashMap<usize, [u64; 3]>>,
    /// Rows committed (or, with held commits, kept by a commit) since the
    /// last `reset_write_counts`, as `writes`.
    pub committed_writes: RefCell<HashMap<usize, [u64; 3]>>,
    /// Hand-written statements that wrote in the open transaction.
    pub raw_writes: Cell<u64>,
}

impl Session {
    pub fn new(registry: Rc<Registry>, engines: Engines) -> Session {
        Session(Rc::new(SessionInner {
            registry: RefCell::new(registry),
            engines,
            identity: RefCell::new(IdentityMap::default()),
            queries_run: Cell::new(0),
            new: RefCell::new(Vec::new()),
            modified: RefCell::new(Vec::new()),
            deleted: RefCell::new(Vec::new()),
            inserted: RefCell::new(InsertLog::default()),
            flushed_deletes: RefCell::new(Vec::new()),
            autoflush: Cell::new(true),
            expire_on_commit: Cell::new(true),
            flushing: Cell::new(false),
            hold_commits: Cell::new(false),
            commit_marks: RefCell::new(Vec::new()),
            lazy_loads: Cell::new(0),
            savepoints: Cell::new(0),
            open_savepoints: RefCell::new(Vec::new()),
            track: Cell::new(false),
            tracked: RefCell::new(Vec::new()),
            writes: RefCell::new(HashMap::new()),
            committed_writes: RefCell::new(HashMap::new()),
            raw_writes: Cell::new(0),
        }))
    }

    pub fn registry(&self) -> Rc<Registry> {
        self.0.registry.borrow().clone()
    }

    /// Swap in a registry that extends the current one (reflection at run
    /// time): the existing mappers keep their indices, so loaded objects stay valid.
    pub fn extend_registry(&self, registry: Rc<Registry>) {
        let known = self
            .0
            .identity
            .borrow()
            .objects()
            .into_iter()
            .chain(self.0.new.borrow().iter().cloned())
            .collect::<Vec<_>>();
        for obj in known {
            obj.remap(&registry);
        }
        *self.0.registry.borrow_mut() = registry;
    }

    pub fn engines(&self) -> &Engines {
        &self.0.engines
    }

    pub fn engine_for(&self, mapper: &Mapper) -> Result<&Engine> {
        self.0.engines.for_mapper(mapper)
    }

    pub fn autoflush_enabled(&self) -> bool {
        self.0.autoflush.get()
    }

    pub fn set_autoflush(&self, on: bool) -> bool {
        self.0.autoflush.replace(on)
    }

    pub fn set_expire_on_commit(&self, on: bool) {
        self.0.expire_on_commit.set(on);
    }

    /// A new transient object of `model` with the given attributes set.
    pub fn create(&self, model: &str, attributes: Vec<(String, Attr)>) -> Result<Instance> {
        self.create_from(model, attributes)
    }

    /// As `create`, with the attributes named by anything string-like: a
    /// script's constructor passes its map's own keys, not a copy of each.
    pub fn create_from<K: AsRef<str>>(
        &self,
        model: &str,
        attributes: impl IntoIterator<Item = (K, Attr)>,
    ) -> Result<Instance> {
        let mapper = self.registry().lookup(model)?.clone();
        let obj = Instance::new(mapper.clone());
        for (i, column) in mapper.columns.iter().enumerate() {
            if let Some(default) = &column.default {
                obj.borrow_mut().values[i] = default.clone();
            }
        }
        for (name, value) in attributes {
            self.set_attribute(&obj, name.as_ref(), value)?;
        }
        Ok(obj)
    }

    // ----- adding and removing -----

    /// `session.add(obj)`: a transient object becomes pending; objects it
    /// refers to through loaded relationships come along (save-update cascade).
    pub fn add(&self, obj: &Instance) -> Result<()> {
        match obj.state() {
            ObjectState::Transient => {
                // Made before `db.reflect()` extended its model: take the new mapper.
                obj.remap(&self.registry());
                obj.set_state(ObjectState::Pending);
                self.0.new.borrow_mut().push(obj.clone());
                self.cascade_add(obj)?;
            }
            ObjectState::Pending => {}
            // Re-adding an object marked for deletion, before the flush, undoes the delete.
            ObjectState::Persistent => self.0.deleted.borrow_mut().retain(|o| !o.same(obj)),
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
                if let Some(existing) = self.0.identity.borrow().get(&key)
                    && !existing.same(obj)
                {
                    return Err(Error::Session(format!(
                        "another object with the identity {} is already in the session; use db.session.merge(obj)",
                        describe_key(&obj.mapper(), &key.1)
                    )));
                }
                obj.set_state(ObjectState::Persistent);
                self.0.identity.borrow_mut().insert(key, obj);
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
                if !self.0.deleted.borrow().iter().any(|o| o.same(obj)) {
                    self.0.deleted.borrow_mut().push(obj.clone());
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

    /// Take an object out of the session without touching its row.
    /// SQLAlchemy's `merge`: the session's own object for `obj`'s primary
    /// key (from the identity map, or loaded) takes `obj`'s column values;
    /// with no such row, a pending copy is added. `obj` itself is left as it
    /// is (detached objects come back this way). Returns the session's object.
    pub fn merge(&self, obj: &Instance) -> Result<Instance> {
        if matches!(obj.state(), ObjectState::Persistent | ObjectState::Pending)
            && self.is_in_session(obj)
        {
            return Ok(obj.clone());
        }
        let mapper = obj.mapper();
        let pk: Vec<Value> = mapper.primary_key.iter().map(|&i| obj.value(i)).collect();
        let existing = if pk.iter().any(Value::is_null) {
            None
        } else {
            self.get(&mapper, pk)?
        };
        let target = match existing {
            Some(found) => found,
            None => {
                let copy = Instance::new(self.registry().mapper(mapper.index).clone());
                self.add(&copy)?;
                copy
            }
        };
        let set: Vec<(usize, Value)> = {
            let data = obj.borrow();
            (0..mapper.columns.len())
                .filter(|&i| data.set.get(i) && data.loaded.get(i))
                .map(|i| (i, data.values[i].clone()))
                .collect()
        };
        let mut changed = false;
        for (i, v) in set {
            changed |= target.set_value(i, v);
        }
        if changed && target.state() == ObjectState::Persistent {
            self.queue_modified(&target);
        }
        Ok(target)
    }

    /// Whether this very object is the one the session holds for its key
    /// (or among its pending objects).
    fn is_in_session(&self, obj: &Instance) -> bool {
        self.0.new.borrow().iter().any(|o| o.same(obj))
            || self
                .identity_key(obj)
                .and_then(|k| self.0.identity.borrow().get(&k))
                .is_some_and(|o| o.same(obj))
    }

    pub fn expunge(&self, obj: &Instance) {
        self.0.new.borrow_mut().retain(|o| !o.same(obj));
        self.0.deleted.borrow_mut().retain(|o| !o.same(obj));
        self.0.modified.borrow_mut().retain(|o| !o.same(obj));
        if let Some(key) = self.identity_key(obj) {
            let mut identity = self.0.identity.borrow_mut();
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
        if let Ok(mut identity) = self.0.identity.try_borrow_mut()
            && count >= 1024
            && count * 4 >= identity.len()
        {
            identity.release_unheld();
        }
    }

    pub fn expunge_all(&self) {
        // In bulk: expunging one by one would scan the lists once per object.
        let held = self.0.identity.borrow_mut().drain();
        for obj in held {
            obj.set_state(ObjectState::Detached);
            obj.borrow_mut().queued = false;
        }
        for obj in self.0.new.borrow_mut().drain(..) {
            obj.set_state(ObjectState::Transient);
        }
        for obj in self.0.deleted.borrow_mut().drain(..) {
            obj.set_state(ObjectState::Detached);
        }
        self.0.modified.borrow_mut().clear();
    }

    // ----- what is pending -----

    pub fn new_objects(&self) -> Vec<Instance> {
        self.0.new.borrow().clone()
    }

    pub fn dirty_objects(&self) -> Vec<Instance> {
        self.0
            .modified
            .borrow()
            .iter()
            .filter(|o| o.has_changes() && o.state() == ObjectState::Persistent)
            .cloned()
            .collect()
    }

    pub fn deleted_objects(&self) -> Vec<Instance> {
        self.0.deleted.borrow().clone()
    }

    /// Whether anything awaits a flush or a commit.
    pub fn has_pending_changes(&self) -> bool {
        !self.0.new.borrow().is_empty()
            || !self.0.deleted.borrow().is_empty()
            || !self.dirty_objects().is_empty()
    }

    /// Whether a transaction is open on any database (changes not yet committed).
    pub fn in_transaction(&self) -> bool {
        self.0.engines.all().any(|(_, e)| e.in_transaction())
    }

    pub(crate) fn queue_modified(&self, obj: &Instance) {
        let mut data = obj.borrow_mut();
        if !data.queued {
            data.queued = true;
            drop(data);
            self.0.modified.borrow_mut().push(obj.clone());
        }
    }

    // ----- identity -----

    /// The key the identity map holds the object under: its row's key.
    pub(crate) fn identity_key(&self, obj: &Instance) -> Option<IdentityKey> {
        let mapper_index = obj.borrow().mapper.index;
        obj.original_key().map(|pk| (mapper_index, pk.into()))
    }

    /// The object for a loaded row: the one already in the identity map
    /// (filled in where it was expired), or a new persistent one.
    pub(crate) fn instance_for_row(&self, mapper: &Rc<Mapper>, values: Vec<Value>) -> Instance {
        let key = (mapper.index, primary_key_of(mapper, &values));
        let existing = self.0.identity.borrow().get(&key);
        self.adopt_row(mapper, key, existing, values)
    }

    /// The object under `key` for a row: `existing` (filled in where it was
    /// expired), or a new persistent one the identity map takes.
    fn adopt_row(
        &self,
        mapper: &Rc<Mapper>,
        key: IdentityKey,
        existing: Option<Instance>,
        values: Vec<Value>,
    ) -> Instance {
        if let Some(existing) = existing {
            if existing.is_expired() {
                existing.refill(values);
            }
            return existing;
        }
        let obj = Instance::from_row(mapper.clone(), values);
        self.0.identity.borrow_mut().insert(key, &obj);
        obj
    }

    /// As `instance_for_row`, for this mapper's columns of a joined row,
    /// from `offset` on: none when its key is NULL (an outer join found
    /// nothing); the key read first, the rest only for an object not loaded
    /// already (the author of every post of a user comes once per post).
    pub(crate) fn instance_for_joined_row(
        &self,
        mapper: &Rc<Mapper>,
        row: &dyn RowView,
        offset: usize,
    ) -> Result<Option<Instance>> {
        // Pushed one by one: collecting through `Result` cost more than
        // the lookup itself, once per row of a scan.
        let mut pk = PrimaryKey::new();
        for &i in &mapper.primary_key {
            pk.push(row.value(offset + i)?);
        }
        if pk.iter().all(Value::is_null) {
            return Ok(None);
        }
        let key = (mapper.index, pk);
        let existing = self.0.identity.borrow().get(&key);
        Ok(Some(match existing {
            Some(existing) if !existing.is_expired() => existing,
            // Not looked up again: a scan makes most of its objects here.
            existing => {
                let values = row.values(offset, offset + mapper.columns.len())?;
                self.adopt_row(mapper, key, existing, values)
            }
        }))
    }

    /// As `instance_for_row`, for a row without the `deferred` columns: they
    /// stay unloaded (read on access), and an object already in the identity
    /// map keeps what it has.
    pub(crate) fn instance_for_partial_row(
        &self,
        mapper: &Rc<Mapper>,
        row: Vec<Value>,
        deferred: &[usize],
    ) -> Instance {
        let mut present = row.into_iter();
        let mut values = Vec::with_capacity(mapper.columns.len());
        for i in 0..mapper.columns.len() {
            values.push(if deferred.contains(&i) {
                Value::Null
            } else {
                present.next().unwrap_or(Value::Null)
            });
        }
        let pk = primary_key_of(mapper, &values);
        let existing = self.0.identity.borrow().get(&(mapper.index, pk.clone()));
        if let Some(existing) = existing {
            existing.refill_except(values, deferred);
            return existing;
        }
        let obj = Instance::from_row(mapper.clone(), values);
        obj.unload(deferred);
        self.0
            .identity
            .borrow_mut()
            .insert((mapper.index, pk), &obj);
        obj
    }

    /// The object with this primary key if the identity map has it loaded.
    pub(crate) fn identity_lookup(&self, mapper: usize, pk: &[Value]) -> Option<Instance> {
        self.0
            .identity
            .borrow()
            .get(&(mapper, PrimaryKey::from(pk)))
    }

    pub(crate) fn register_persistent(&self, obj: &Instance) -> Result<()> {
        let key = self.identity_key(obj).ok_or_else(|| {
            Error::Session(format!(
                "{} was inserted but its primary key is unknown",
                self.describe(obj)
            ))
        })?;
        self.0.identity.borrow_mut().insert(key, obj);
        Ok(())
    }

    pub(crate) fn forget(&self, obj: &Instance) {
        if let Some(key) = self.identity_key(obj) {
            self.0.identity.borrow_mut().remove(&key);
        }
    }

    // ----- attributes -----

    /// `obj.name`: a column value (reloaded if expired) or a relationship
    /// (loaded as its strategy says).
    pub fn attribute(&self, obj: &Instance, name: &str) -> Result<Attr> {
        let mapper = obj.mapper();
        if let Some(col) = mapper.column_index(name) {
            return self.read_column(obj, col, Value::clone).map(Attr::Value);
        }
        if let Some(rel) = mapper.relationship_index(name) {
            return self.relationship(obj, rel);
        }
        Err(mapper.unknown_attribute(name))
    }

    /// Column `col` of `obj` (reloaded if expired), handed to `read` by
    /// reference: a caller that converts the value (to a script's string)
    /// saves copying it first, once per attribute a loop reads.
    pub fn read_column<R>(
        &self,
        obj: &Instance,
        col: usize,
        read: impl FnOnce(&Value) -> R,
    ) -> Result<R> {
        if !obj.is_loaded(col) {
            self.load_expired(obj)?;
        }
        Ok(read(&obj.borrow().values[col]))
    }

    /// `obj.name = value`.
    pub fn set_attribute(&self, obj: &Instance, name: &str, value: Attr) -> Result<()> {
        let mapper = obj.mapper();
        if let Some(col) = mapper.column_index(name) {
            let v = match value {
                Attr::Value(v) => v,
                // `[]` reads as an empty collection; for a column it is an empty JSON list.
                Attr::Collection(c) if c.is_empty() => {
                    Value::Json(Box::new(serde_json::Value::Array(Vec::new())))
                }
                _ => {
                    return Err(Error::invalid(format!(
                        "{}.{name} is a column: give it a value, not an object",
                        mapper.name
                    )));
                }
            };
            let column = &mapper.columns[col];
            let v = column
                .ty
                .coerce(v)
                .map_err(|e| Error::invalid(format!("{}.{name}: {e}", mapper.name)))?;
            if obj.state() == ObjectState::Persistent && !obj.is_loaded(col) {
                self.load_expired(obj)?;
            }
            if obj.set_value(col, v) && obj.state() == ObjectState::Persistent {
                self.queue_modified(obj);
            }
            return Ok(());
        }
        if let Some(rel) = mapper.relationship_index(name) {
            return self.set_relationship(obj, rel, value);
        }
        Err(mapper.unknown_attribute(name))
    }

    fn set_relationship(&self, obj: &Instance, rel_index: usize, value: Attr) -> Result<()> {
        let mapper = obj.mapper();
        let rel = &mapper.relationships[rel_index];
        match (rel.uselist, value) {
            // Rhai writes a dynamic relationship's query back after a method
            // call on it (`u.posts.count()`): there is nothing to store.
            (_, Attr::Query(_)) => Ok(()),
            (false, Attr::Object(other)) => self.set_scalar_relationship(obj, rel_index, other),
            (false, Attr::Value(Value::Null)) => self.set_scalar_relationship(obj, rel_index, None),
            (true, Attr::Collection(coll)) => {
                let items = coll.items();
                for item in &items {
                    self.check_target(&mapper, rel_index, item)?;
                }
                let current = self.relationship(obj, rel_index)?;
                if let Attr::Collection(current) = current {
                    for old in current.items() {
                        if !items.iter().any(|i| i.same(&old)) {
                            self.collection_remove(obj, rel_index, &old)?;
                        }
                    }
                    for item in items {
                        if !current.contains(&item) {
                            self.collection_append(obj, rel_index, &item)?;
                        }
                    }
                }
                Ok(())
            }
            (uselist, _) => Err(Error::invalid(format!(
                "{}.{} holds {}: assign {}",
                mapper.name,
                rel.name,
                if uselist {
                    "a list of objects"
                } else {
                    "one object"
                },
                if uselist {
                    "a list, e.g. [p1, p2]"
                } else {
                    "an object or ()"
                }
            ))),
        }
    }
}

/// `User(id=1)`-style text for a key in messages.
pub(crate) fn describe_key(mapper: &Mapper, pk: &[Value]) -> String {
    let parts: Vec<String> = mapper
        .primary_key
        .iter()
        .zip(pk)
        .map(|(&i, v)| format!("{}={}", mapper.columns[i].name, v.repr()))
        .collect();
    format!("{}({})", mapper.name, parts.join(", "))
}

impl Session {
    /// `<User 1>`, Flask-SQLAlchemy's default repr (`transient` when there is no key yet).
    pub fn describe(&self, obj: &Instance) -> String {
        default_repr(obj)
    }
}

/// The primary key values of a row of `mapper`'s columns.
fn primary_key_of(mapper: &Mapper, values: &[Value]) -> PrimaryKey {
    let mut pk = PrimaryKey::new();
    for &i in &mapper.primary_key {
        pk.push(values[i].clone());
    }
    pk
}
