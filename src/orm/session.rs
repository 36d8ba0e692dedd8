//! The session: the identity map (one object per row), the objects added,
//! changed and deleted since the last flush, attribute access with lazy
//! loading and expiry, and the transaction around it all. The unit of work
//! that writes the changes is in `flush`.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

use super::engines::Engines;
use super::instance::{Collection, Instance, ObjectState, Related};
use super::model::{Mapper, Registry};
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::sql::Value;

/// (mapper index, primary key values).
pub(crate) type IdentityKey = (usize, Vec<Value>);

/// What an attribute holds.
#[derive(Debug, Clone)]
pub enum Attr {
    Value(Value),
    Object(Option<Instance>),
    Collection(Collection),
    /// A `lazy: "dynamic"` relationship: a query of the related rows.
    Query(Box<super::query::Query>),
}

/// A cheap handle to one session.
#[derive(Clone)]
pub struct Session(pub(crate) Rc<SessionInner>);

pub(crate) struct SessionInner {
    pub registry: Rc<Registry>,
    pub engines: Engines,
    pub identity: RefCell<HashMap<IdentityKey, Instance>>,
    /// Pending objects, in the order they were added.
    pub new: RefCell<Vec<Instance>>,
    /// Persistent objects with changes (or changed collections) to look at in the next flush.
    pub modified: RefCell<Vec<Instance>>,
    pub deleted: RefCell<Vec<Instance>>,
    /// Objects inserted in the open transaction (undone by a rollback).
    pub inserted: RefCell<Vec<Instance>>,
    /// Objects whose rows were deleted in the open transaction (back on rollback).
    pub flushed_deletes: RefCell<Vec<Instance>>,
    pub autoflush: Cell<bool>,
    pub expire_on_commit: Cell<bool>,
    pub flushing: Cell<bool>,
    /// Scripts run in one transaction: `commit()` then only flushes.
    pub hold_commits: Cell<bool>,
    /// `track_modifications`: record each object the flushes write.
    pub track: Cell<bool>,
    pub tracked: RefCell<Vec<(Instance, WriteKind)>>,
    /// Savepoints made so far (their names are numbered).
    pub savepoints: Cell<u64>,
    /// Relationship loads that sent SQL (for the N+1 detector above).
    pub lazy_loads: Cell<u64>,
    /// Rows written since the last `reset_write_counts`: per mapper,
    /// [inserted, updated, deleted].
    pub writes: RefCell<HashMap<usize, [u64; 3]>>,
}

/// A savepoint made by `begin_nested`.
#[derive(Debug, Clone)]
pub struct Savepoint {
    pub name: String,
    inserted_before: usize,
}

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

impl Session {
    pub fn new(registry: Rc<Registry>, engines: Engines) -> Session {
        Session(Rc::new(SessionInner {
            registry,
            engines,
            identity: RefCell::new(HashMap::new()),
            new: RefCell::new(Vec::new()),
            modified: RefCell::new(Vec::new()),
            deleted: RefCell::new(Vec::new()),
            inserted: RefCell::new(Vec::new()),
            flushed_deletes: RefCell::new(Vec::new()),
            autoflush: Cell::new(true),
            expire_on_commit: Cell::new(true),
            flushing: Cell::new(false),
            hold_commits: Cell::new(false),
            lazy_loads: Cell::new(0),
            savepoints: Cell::new(0),
            track: Cell::new(false),
            tracked: RefCell::new(Vec::new()),
            writes: RefCell::new(HashMap::new()),
        }))
    }

    pub fn registry(&self) -> &Rc<Registry> {
        &self.0.registry
    }

    pub fn engines(&self) -> &Engines {
        &self.0.engines
    }

    pub fn engine_for(&self, mapper: &Mapper) -> Result<&Engine> {
        self.0.engines.for_mapper(mapper)
    }

    pub fn set_autoflush(&self, on: bool) -> bool {
        self.0.autoflush.replace(on)
    }

    pub fn set_expire_on_commit(&self, on: bool) {
        self.0.expire_on_commit.set(on);
    }

    /// A new transient object of `model` with the given attributes set.
    pub fn create(&self, model: &str, attributes: Vec<(String, Attr)>) -> Result<Instance> {
        let mapper = self.0.registry.lookup(model)?.clone();
        let obj = Instance::new(mapper.clone());
        for (i, column) in mapper.columns.iter().enumerate() {
            if let Some(default) = &column.default {
                obj.borrow_mut().values[i] = default.clone();
            }
        }
        for (name, value) in attributes {
            self.set_attribute(&obj, &name, value)?;
        }
        Ok(obj)
    }

    // ----- adding and removing -----

    /// `session.add(obj)`: a transient object becomes pending; objects it
    /// refers to through loaded relationships come along (save-update cascade).
    pub fn add(&self, obj: &Instance) -> Result<()> {
        match obj.state() {
            ObjectState::Transient => {
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
                self.0.identity.borrow_mut().insert(key, obj.clone());
                self.queue_modified(obj);
            }
        }
        Ok(())
    }

    fn cascade_add(&self, obj: &Instance) -> Result<()> {
        let related: Vec<Related> = obj.borrow().related.clone();
        for rel in related {
            match rel {
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

    pub fn expunge_all(&self) {
        // In bulk: expunging one by one would scan the lists once per object.
        for (_, obj) in self.0.identity.borrow_mut().drain() {
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

    // ----- transactions -----

    /// Make `commit()` flush without committing, until `commit_held()`: a
    /// script then commits all or nothing.
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

    /// Rows written since the last reset, per model: (model, inserted, updated, deleted).
    pub fn write_counts(&self) -> Vec<(String, u64, u64, u64)> {
        let writes = self.0.writes.borrow();
        let mut out: Vec<(String, u64, u64, u64)> = self
            .registry()
            .mappers
            .iter()
            .filter_map(|m| {
                writes
                    .get(&m.index)
                    .map(|c| (m.name.clone(), c[0], c[1], c[2]))
            })
            .collect();
        out.sort();
        out
    }

    pub fn reset_write_counts(&self) {
        self.0.writes.borrow_mut().clear();
    }

    /// How many lazy relationship loads have sent SQL so far.
    pub fn lazy_loads(&self) -> u64 {
        self.0.lazy_loads.get()
    }

    pub fn holds_commits(&self) -> bool {
        self.0.hold_commits.get()
    }

    /// The real commit at the end of a script run with held commits.
    pub fn commit_held(&self) -> Result<()> {
        let held = self.0.hold_commits.replace(false);
        let result = self.commit();
        self.0.hold_commits.set(held);
        result
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
        Ok(Savepoint {
            name,
            inserted_before: self.0.inserted.borrow().len(),
        })
    }

    /// Keep what was done since the savepoint (it commits with the transaction).
    pub fn commit_nested(&self, savepoint: &Savepoint) -> Result<()> {
        self.flush()?;
        for (_, engine) in self.0.engines.all() {
            engine.release_savepoint(&savepoint.name)?;
        }
        Ok(())
    }

    /// Undo what was done since the savepoint: objects inserted or added
    /// since leave the session, the rest is read again.
    pub fn rollback_nested(&self, savepoint: &Savepoint) -> Result<()> {
        for (_, engine) in self.0.engines.all() {
            engine.rollback_to_savepoint(&savepoint.name)?;
        }
        let inserted: Vec<Instance> = {
            let mut list = self.0.inserted.borrow_mut();
            let keep = savepoint.inserted_before.min(list.len());
            list.drain(keep..).collect()
        };
        self.uninsert(inserted);
        for obj in self.0.new.borrow_mut().drain(..) {
            obj.set_state(ObjectState::Transient);
        }
        for obj in self.0.deleted.borrow_mut().drain(..) {
            obj.set_state(ObjectState::Persistent);
        }
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
            data.loaded.iter_mut().for_each(|l| *l = true);
            data.changes.clear();
            data.queued = false;
        }
    }

    pub fn commit(&self) -> Result<()> {
        self.flush()?;
        if self.0.hold_commits.get() {
            // The signals of this commit were delivered; the rows commit later.
            self.0.tracked.borrow_mut().clear();
            if self.0.expire_on_commit.get() {
                self.expire_all();
            }
            return Ok(());
        }
        for (_, engine) in self.0.engines.all() {
            if let Err(e) = engine.commit() {
                self.rollback()?;
                return Err(e);
            }
        }
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

    /// Roll back every database; pending objects leave the session, deleted
    /// ones come back, and everything else is expired to be read again.
    pub fn rollback(&self) -> Result<()> {
        let mut first_error = None;
        for (_, engine) in self.0.engines.all() {
            if let Err(e) = engine.rollback() {
                first_error.get_or_insert(e);
            }
        }
        let pending: Vec<Instance> = self.0.new.borrow_mut().drain(..).collect();
        for obj in pending {
            obj.set_state(ObjectState::Transient);
        }
        let deleted: Vec<Instance> = self.0.deleted.borrow_mut().drain(..).collect();
        for obj in deleted {
            if obj.state() == ObjectState::Deleted
                && let Some(key) = self.identity_key(&obj)
            {
                self.0.identity.borrow_mut().insert(key, obj.clone());
            }
            obj.set_state(ObjectState::Persistent);
        }
        // Objects inserted in the rolled-back transaction have no row any more.
        let inserted: Vec<Instance> = self.0.inserted.borrow_mut().drain(..).collect();
        self.uninsert(inserted);
        self.0.tracked.borrow_mut().clear();
        // Rows deleted in the rolled-back transaction are there again.
        let flushed_deletes: Vec<Instance> =
            self.0.flushed_deletes.borrow_mut().drain(..).collect();
        for obj in flushed_deletes {
            obj.set_state(ObjectState::Persistent);
            if let Some(key) = self.identity_key(&obj) {
                self.0.identity.borrow_mut().insert(key, obj.clone());
            }
        }
        self.expire_all();
        match first_error {
            Some(e) => Err(e),
            None => Ok(()),
        }
    }

    /// Expire every object: the next access reads its row again. Objects
    /// nobody else holds leave the identity map, keeping memory flat.
    pub fn expire_all(&self) {
        let mut identity = self.0.identity.borrow_mut();
        identity.retain(|_, obj| obj.holders() > 1);
        for obj in identity.values() {
            obj.expire();
            obj.borrow_mut().queued = false;
        }
        self.0.modified.borrow_mut().clear();
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

    // ----- identity -----

    /// The key the identity map holds the object under: its row's key.
    pub(crate) fn identity_key(&self, obj: &Instance) -> Option<IdentityKey> {
        let mapper_index = obj.borrow().mapper.index;
        obj.original_key().map(|pk| (mapper_index, pk))
    }

    /// The object for a loaded row: the one already in the identity map
    /// (filled in where it was expired), or a new persistent one.
    pub(crate) fn instance_for_row(&self, mapper: &Rc<Mapper>, values: Vec<Value>) -> Instance {
        let pk: Vec<Value> = mapper
            .primary_key
            .iter()
            .map(|&i| values[i].clone())
            .collect();
        let key = (mapper.index, pk);
        if let Some(existing) = self.0.identity.borrow().get(&key) {
            if existing.is_expired() {
                existing.refill(values);
            }
            return existing.clone();
        }
        let obj = Instance::from_row(mapper.clone(), values);
        self.0.identity.borrow_mut().insert(key, obj.clone());
        obj
    }

    /// The object with this primary key if the identity map has it loaded.
    pub(crate) fn identity_lookup(&self, mapper: usize, pk: &[Value]) -> Option<Instance> {
        self.0
            .identity
            .borrow()
            .get(&(mapper, pk.to_vec()))
            .cloned()
    }

    pub(crate) fn register_persistent(&self, obj: &Instance) -> Result<()> {
        let key = self.identity_key(obj).ok_or_else(|| {
            Error::Session(format!(
                "{} was inserted but its primary key is unknown",
                self.describe(obj)
            ))
        })?;
        self.0.identity.borrow_mut().insert(key, obj.clone());
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
            if !obj.is_loaded(col) {
                self.load_expired(obj)?;
            }
            return Ok(Attr::Value(obj.value(col)));
        }
        if let Some(rel) = mapper.relationship_index(name) {
            return self.relationship(obj, rel);
        }
        Err(mapper.unknown_attribute(name))
    }

    /// `obj.name = value`.
    pub fn set_attribute(&self, obj: &Instance, name: &str, value: Attr) -> Result<()> {
        let mapper = obj.mapper();
        if let Some(col) = mapper.column_index(name) {
            let v = match value {
                Attr::Value(v) => v,
                // `[]` reads as an empty collection; for a column it is an empty JSON list.
                Attr::Collection(c) if c.is_empty() => {
                    Value::Json(serde_json::Value::Array(Vec::new()))
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

/// Flask-SQLAlchemy's default `__repr__`: `<User 1>`, `<User (transient 1403)>`.
pub fn default_repr(obj: &Instance) -> String {
    let data = obj.borrow();
    let mapper = &data.mapper;
    let pk: Vec<String> = mapper
        .primary_key
        .iter()
        .map(|&i| data.values[i].to_string())
        .collect();
    if data.state == ObjectState::Transient
        || data.state == ObjectState::Pending
        || mapper.primary_key.iter().any(|&i| data.values[i].is_null())
    {
        format!(
            "<{} ({} {})>",
            mapper.name,
            data.state.name(),
            obj.address() % 100_000
        )
    } else {
        format!("<{} {}>", mapper.name, pk.join(", "))
    }
}
