//! The session, as Flask-SQLAlchemy's `db.session`: a facade over its
//! parts. The state it keeps (identity map, changes waiting for the flush,
//! the transaction and its savepoints) is `orm::state`, reached through
//! `Deref`; reading objects and attributes is `orm::loading`; a flush is
//! `orm::flush`; the schema work is `orm::schema`. What the facade adds is
//! the order in which they run: a query autoflushes before its loader runs,
//! a commit or a savepoint flushes first, and a failed flush recovers.

pub mod pagination;
mod queries;
mod schema;
mod statements;
mod transaction;

use std::ops::Deref;
use std::rc::Rc;

use crate::error::{Error, Result};
use crate::orm::flush::UnitOfWork;
use crate::orm::loading::Loader;
use crate::orm::loading::dynamic::Removal;
use crate::orm::mapping::model::Registry;
use crate::orm::query::model_query::Query;
use crate::orm::state::engines::Engines;
use crate::orm::state::instance::{Instance, ObjectState};
use crate::orm::state::session_state::SessionState;
use crate::sql::Value;

pub use crate::orm::state::attr::Attr;
pub use crate::orm::state::instance::default_repr;

/// A cheap handle to one session.
#[derive(Clone)]
pub struct Session(Rc<SessionState>);

impl Deref for Session {
    type Target = SessionState;

    fn deref(&self) -> &SessionState {
        &self.0
    }
}

impl Session {
    pub fn new(registry: Rc<Registry>, engines: Engines) -> Session {
        Session(Rc::new(SessionState::new(registry, engines)))
    }

    fn loader(&self) -> Loader<'_> {
        Loader(&self.0)
    }

    /// Flush when autoflush is on (before a query runs, as SQLAlchemy does).
    fn autoflush(&self) -> Result<()> {
        if self.autoflush_enabled() {
            self.flush()
        } else {
            Ok(())
        }
    }

    /// Write every pending change to the database, inside the transaction.
    /// A failed flush rolls back (to the innermost savepoint, or the whole
    /// transaction) so nothing is half-written, and says what was lost.
    pub fn flush(&self) -> Result<()> {
        if self.is_flushing() || self.nothing_to_flush() {
            return Ok(());
        }
        if self.engines().all().any(|(_, e)| e.is_read_only()) && self.has_pending_changes() {
            // The connection would refuse it anyway; nothing is sent, and the
            // changes, which can never be written, leave the session.
            let what = self.lost_summary(self.inserts_so_far());
            let _ = self.rollback();
            return Err(Error::ReadOnly(crate::engine::read_only_refusal(&format!(
                "writing {what} was refused and discarded"
            ))));
        }
        self.set_flushing(true);
        let result = UnitOfWork(self.loader()).run();
        self.set_flushing(false);
        match result {
            Err(Error::Interrupted) => {
                let _ = self.rollback();
                Err(Error::Interrupted)
            }
            Err(err) => Err(self.recover(err)),
            Ok(()) => Ok(()),
        }
    }

    /// A new transient object of `model` with the given attributes set.
    pub fn create(&self, model: &str, attributes: Vec<(String, Attr)>) -> Result<Instance> {
        self.loader().create_from(model, attributes)
    }

    /// As `create`, with the attributes named by anything string-like: a
    /// script's constructor passes its map's own keys, not a copy of each.
    pub fn create_from<K: AsRef<str>>(
        &self,
        model: &str,
        attributes: impl IntoIterator<Item = (K, Attr)>,
    ) -> Result<Instance> {
        self.loader().create_from(model, attributes)
    }

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

    /// `obj.name`: a column value (read again if expired) or a relationship
    /// (loaded as its strategy says).
    pub fn attribute(&self, obj: &Instance, name: &str) -> Result<Attr> {
        if self.new_owners_dynamic(obj, name).is_some() {
            self.flush()?;
        }
        self.loader().attribute(obj, name)
    }

    /// Column `col` of `obj` (read again if expired), handed to `read` by
    /// reference: a caller that converts the value saves copying it first.
    pub fn read_column<R>(
        &self,
        obj: &Instance,
        col: usize,
        read: impl FnOnce(&Value) -> R,
    ) -> Result<R> {
        self.loader().read_column(obj, col, read)
    }

    /// `obj.name = value`.
    pub fn set_attribute(&self, obj: &Instance, name: &str, value: Attr) -> Result<()> {
        // A list for a collection reads it first, once its objects are checked.
        if let Attr::Collection(items) = &value
            && let Some(rel) = self.new_owners_dynamic(obj, name)
            && obj.mapper().relationships[rel].uselist
        {
            let mapper = obj.mapper();
            for item in items.items() {
                self.loader().check_target(&mapper, rel, &item)?;
            }
            self.flush()?;
        }
        self.loader().set_attribute(obj, name, value)
    }

    /// Relationship `rel_index` of `obj`, loaded if it is not.
    pub fn relationship(&self, obj: &Instance, rel_index: usize) -> Result<Attr> {
        if self.reads_new_dynamic(obj, rel_index) {
            self.flush()?;
        }
        self.loader().relationship(obj, rel_index)
    }

    /// The query of a `lazy: "dynamic"` relationship of `obj` (a new
    /// object's flushes first: the query selects by its key).
    pub fn dynamic_query(&self, obj: &Instance, rel_index: usize) -> Result<Query> {
        if obj.state() == ObjectState::Pending {
            self.autoflush()?;
        }
        self.loader().dynamic_query(obj, rel_index)
    }

    /// `obj.rel.append(item)`, with the other side kept in step.
    pub fn collection_append(
        &self,
        obj: &Instance,
        rel_index: usize,
        item: &Instance,
    ) -> Result<()> {
        if self.reads_new_dynamic(obj, rel_index) {
            self.loader().check_target(&obj.mapper(), rel_index, item)?;
            self.flush()?;
        }
        self.loader().collection_append(obj, rel_index, item)
    }

    /// `obj.rel.remove(item)`, with the other side kept in step. From a
    /// dynamic many-to-many, whether `item` is in it may be the database's
    /// to say: its query runs, autoflushing first, as a query does.
    pub fn collection_remove(
        &self,
        obj: &Instance,
        rel_index: usize,
        item: &Instance,
    ) -> Result<()> {
        if self.reads_new_dynamic(obj, rel_index) {
            self.flush()?;
        }
        match self.loader().collection_remove(obj, rel_index, item)? {
            Removal::Done => Ok(()),
            Removal::Ask(key) => {
                let query = self.dynamic_query(obj, rel_index)?.filter_pk(&key);
                let found = !self.all(&query)?.is_empty();
                self.loader()
                    .dynamic_remove_found(obj, rel_index, item, found)
            }
        }
    }

    /// Whether a loader is about to read the query of a dynamic relationship
    /// of a new object with autoflush on: the query selects by the owner's
    /// key, which the flush gives, so the session flushes first (a loader
    /// never does).
    fn reads_new_dynamic(&self, obj: &Instance, rel_index: usize) -> bool {
        obj.state() == ObjectState::Pending
            && self.autoflush_enabled()
            && self.loader().reads_dynamic_query(obj, rel_index)
    }

    /// `reads_new_dynamic` for attribute `name` of `obj`, when it is a
    /// relationship: its index.
    fn new_owners_dynamic(&self, obj: &Instance, name: &str) -> Option<usize> {
        if obj.state() != ObjectState::Pending {
            return None;
        }
        let mapper = obj.mapper();
        if mapper.column_index(name).is_some() {
            return None;
        }
        mapper
            .relationship_index(name)
            .filter(|&rel| self.reads_new_dynamic(obj, rel))
    }
}
