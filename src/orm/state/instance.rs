//! Instances of models: a shared handle to one object's column values, what
//! changed since it was loaded, its loaded relationships and its state.
//! Handles are cheap clones of one `Rc`, so every holder sees one object.

use std::cell::{Ref, RefCell, RefMut};
use std::rc::Rc;

use crate::orm::mapping::column_flags::ColumnFlags;
use crate::orm::mapping::model::Mapper;
use crate::sql::Value;
use thin_vec::ThinVec;

/// SQLAlchemy's object states.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ObjectState {
    /// Made, not added to a session.
    Transient,
    /// Added, not yet flushed.
    Pending,
    /// Has a row, and is in the session.
    Persistent,
    /// Deleted in this transaction, flushed.
    Deleted,
    /// Had a row, not in a session any more.
    Detached,
}

impl ObjectState {
    pub fn name(self) -> &'static str {
        match self {
            ObjectState::Transient => "transient",
            ObjectState::Pending => "pending",
            ObjectState::Persistent => "persistent",
            ObjectState::Deleted => "deleted",
            ObjectState::Detached => "detached",
        }
    }
}

/// A loaded relationship.
#[derive(Debug, Clone)]
pub enum Related {
    Unloaded,
    One(Option<Instance>),
    Many(Collection),
}

/// The live list behind `user.posts`.
#[derive(Debug, Clone, Default)]
pub struct Collection(Rc<RefCell<CollectionData>>);

#[derive(Debug, Default)]
pub struct CollectionData {
    pub items: Vec<Instance>,
    /// Members taken out since the last flush: their foreign keys are cleared then.
    pub removed: Vec<Instance>,
    /// Members put in since the last flush (many-to-many: rows to insert).
    pub added: Vec<Instance>,
}

impl Collection {
    pub fn new(items: Vec<Instance>) -> Self {
        Collection(Rc::new(RefCell::new(CollectionData {
            items,
            removed: Vec::new(),
            added: Vec::new(),
        })))
    }
    pub fn items(&self) -> Vec<Instance> {
        self.0.borrow().items.clone()
    }
    pub fn len(&self) -> usize {
        self.0.borrow().items.len()
    }
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    pub fn get(&self, index: usize) -> Option<Instance> {
        self.0.borrow().items.get(index).cloned()
    }
    pub fn contains(&self, item: &Instance) -> bool {
        self.0.borrow().items.iter().any(|i| i.same(item))
    }
    pub(crate) fn data(&self) -> RefMut<'_, CollectionData> {
        self.0.borrow_mut()
    }
    pub fn same(&self, other: &Collection) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

#[derive(Debug)]
pub struct InstanceData {
    pub mapper: Rc<Mapper>,
    // Boxed slices and thin vectors, not `Vec`s: a large load makes objects
    // by the hundred thousand, and these made each 168 bytes (a 192-byte
    // allocation) where it is now 120 (128).
    pub values: Box<[Value]>,
    /// Which column values are present; an expired column is reloaded on access.
    pub loaded: ColumnFlags,
    /// Which columns the user set on a transient object (the rest take defaults).
    pub set: ColumnFlags,
    /// (column, value before the change) for each column changed since load.
    pub changes: ThinVec<(usize, Value)>,
    pub related: Box<[Related]>,
    pub state: ObjectState,
    /// Already queued in the session's list of objects to check at flush.
    pub queued: bool,
    /// The number of the last object query whose result took this object:
    /// rows that repeat it (a join) add it to that result once.
    pub query_mark: u32,
    /// How a query's options said to load this object's lazy relationships
    /// (`raiseload`, `lazyload`, or options for under a lazy load).
    pub strategies: ThinVec<LazyOption>,
}

/// A query's say on how one relationship of its objects loads when read:
/// the strategy over the relationship's own `lazy`, and the options for
/// the load (`defaultload(User.posts).joinedload(Post.tags)`).
#[derive(Debug, Clone)]
pub struct LazyOption {
    pub rel: usize,
    pub strategy: crate::orm::mapping::model::Lazy,
    pub nested: Vec<crate::orm::mapping::loading::LoadOption>,
}

/// A handle to one object.
#[derive(Debug, Clone)]
pub struct Instance(Rc<RefCell<InstanceData>>);

/// An object as the identity map holds it: there while anything else holds it.
#[derive(Debug, Clone)]
pub(crate) struct WeakInstance(std::rc::Weak<RefCell<InstanceData>>);

impl WeakInstance {
    pub fn upgrade(&self) -> Option<Instance> {
        self.0.upgrade().map(Instance)
    }

    pub fn is_alive(&self) -> bool {
        self.0.strong_count() > 0
    }
}

impl Instance {
    /// A transient object with every column NULL and unset.
    pub fn new(mapper: Rc<Mapper>) -> Instance {
        let width = mapper.columns.len();
        let rels = mapper.relationships.len();
        // The discriminator says which model the row is from the start,
        // as SQLAlchemy sets it when the object is made.
        let identity = mapper
            .inheritance
            .as_ref()
            .and_then(|i| Some((i.polymorphic_on?, i.identity.clone()?)));
        let obj = Instance(Rc::new(RefCell::new(InstanceData {
            mapper,
            values: vec![Value::Null; width].into_boxed_slice(),
            loaded: ColumnFlags::new(width, true),
            set: ColumnFlags::new(width, false),
            changes: ThinVec::new(),
            related: vec![Related::Unloaded; rels].into_boxed_slice(),
            state: ObjectState::Transient,
            queued: false,
            query_mark: 0,
            strategies: ThinVec::new(),
        })));
        if let Some((col, value)) = identity {
            let mut data = obj.0.borrow_mut();
            data.values[col] = value;
            data.set.put(col, true);
        }
        obj
    }

    /// A persistent object from a row (values in column order).
    pub(crate) fn from_row(mapper: Rc<Mapper>, values: Vec<Value>) -> Instance {
        let width = values.len();
        let rels = mapper.relationships.len();
        Instance(Rc::new(RefCell::new(InstanceData {
            mapper,
            values: values.into_boxed_slice(),
            loaded: ColumnFlags::new(width, true),
            set: ColumnFlags::new(width, true),
            changes: ThinVec::new(),
            related: vec![Related::Unloaded; rels].into_boxed_slice(),
            state: ObjectState::Persistent,
            queued: false,
            query_mark: 0,
            strategies: ThinVec::new(),
        })))
    }

    pub fn borrow(&self) -> Ref<'_, InstanceData> {
        self.0.borrow()
    }

    pub(crate) fn borrow_mut(&self) -> RefMut<'_, InstanceData> {
        self.0.borrow_mut()
    }

    pub fn mapper(&self) -> Rc<Mapper> {
        self.0.borrow().mapper.clone()
    }

    pub fn state(&self) -> ObjectState {
        self.0.borrow().state
    }

    /// The same object (not merely equal values).
    pub fn same(&self, other: &Instance) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }

    /// A number that identifies this object while it lives.
    pub fn address(&self) -> usize {
        Rc::as_ptr(&self.0) as usize
    }

    /// A reference that does not keep the object alive.
    pub(crate) fn downgrade(&self) -> WeakInstance {
        WeakInstance(Rc::downgrade(&self.0))
    }

    /// The primary key values, if every one is known.
    pub fn primary_key(&self) -> Option<Vec<Value>> {
        let data = self.0.borrow();
        let key: Vec<Value> = data
            .mapper
            .primary_key
            .iter()
            .map(|&i| data.values[i].clone())
            .collect();
        (!key.iter().any(Value::is_null)).then_some(key)
    }

    /// The primary key of the row this object has in the database: the old
    /// values of key columns changed since it was loaded.
    pub fn original_key(&self) -> Option<Vec<Value>> {
        let data = self.0.borrow();
        let key: Vec<Value> = data
            .mapper
            .primary_key
            .iter()
            .map(|&p| {
                data.changes
                    .iter()
                    .find(|(c, _)| *c == p)
                    .map_or_else(|| data.values[p].clone(), |(_, old)| old.clone())
            })
            .collect();
        (!key.iter().any(Value::is_null)).then_some(key)
    }

    /// A column's value as it is in memory (no loading).
    pub fn value(&self, column: usize) -> Value {
        self.0.borrow().values[column].clone()
    }

    pub fn is_loaded(&self, column: usize) -> bool {
        self.0.borrow().loaded.get(column)
    }

    pub fn is_expired(&self) -> bool {
        let data = self.0.borrow();
        !data.loaded.all(data.values.len())
    }

    /// Set a column, remembering the old value when the object has a row.
    /// Returns whether the value changed.
    pub(crate) fn set_value(&self, column: usize, value: Value) -> bool {
        let mut data = self.0.borrow_mut();
        data.set.put(column, true);
        if data.loaded.get(column) && data.values[column] == value {
            return false;
        }
        let tracked = matches!(data.state, ObjectState::Persistent | ObjectState::Deleted);
        let old = std::mem::replace(&mut data.values[column], value);
        data.loaded.put(column, true);
        if tracked && !data.changes.iter().any(|(c, _)| *c == column) {
            data.changes.push((column, old));
        }
        true
    }

    pub fn has_changes(&self) -> bool {
        !self.0.borrow().changes.is_empty()
    }

    /// Forget every loaded value; they are read again on next access.
    pub(crate) fn expire(&self) {
        let mut data = self.0.borrow_mut();
        // A changed key goes back to the row's own, or the reload would fetch another row.
        let restore: Vec<(usize, Value)> = data
            .changes
            .iter()
            .filter(|(c, _)| data.mapper.primary_key.contains(c))
            .cloned()
            .collect();
        for (c, old) in restore {
            data.values[c] = old;
        }
        data.loaded.fill(false);
        data.changes.clear();
        data.related.iter_mut().for_each(|r| *r = Related::Unloaded);
    }

    /// Take in a fresh row, keeping the object's identity.
    pub(crate) fn refill(&self, values: Vec<Value>) {
        self.refill_except(values, &[]);
    }

    /// Fill the unloaded columns from a row that lacks the `absent` ones.
    pub(crate) fn refill_except(&self, values: Vec<Value>, absent: &[usize]) {
        let mut data = self.0.borrow_mut();
        for (i, v) in values.into_iter().enumerate() {
            if !data.loaded.get(i) && !absent.contains(&i) {
                data.values[i] = v;
                data.loaded.put(i, true);
            }
        }
    }

    /// Mark columns as not loaded (deferred): reading one loads it.
    pub(crate) fn unload(&self, columns: &[usize]) {
        let mut data = self.0.borrow_mut();
        for &i in columns {
            data.loaded.put(i, false);
        }
    }

    /// Take the mapper of this object's model from `registry`, which extends
    /// the one it was made with (reflection at run time adds relationships).
    pub(crate) fn remap(&self, registry: &crate::orm::mapping::model::Registry) {
        let mut data = self.0.borrow_mut();
        let current = registry.mapper(data.mapper.index);
        if !Rc::ptr_eq(current, &data.mapper) {
            let width = current.relationships.len();
            widen(&mut data.related, width);
            data.mapper = current.clone();
        }
    }

    /// An object loaded before reflection added relationships to its model
    /// has fewer slots: the new ones read as unloaded.
    pub fn related(&self, rel: usize) -> Related {
        self.0
            .borrow()
            .related
            .get(rel)
            .cloned()
            .unwrap_or(Related::Unloaded)
    }

    pub(crate) fn set_related(&self, rel: usize, related: Related) {
        let mut data = self.0.borrow_mut();
        widen(&mut data.related, rel + 1);
        data.related[rel] = related;
    }

    /// Mark the object as taken by query `mark`; false when it already was.
    pub(crate) fn take_for_query(&self, mark: u32) -> bool {
        let mut data = self.0.borrow_mut();
        std::mem::replace(&mut data.query_mark, mark) != mark
    }

    pub(crate) fn set_state(&self, state: ObjectState) {
        self.0.borrow_mut().state = state;
    }
}

/// Give an object made before reflection added relationships to its model
/// the slots of the new ones (unloaded).
fn widen(related: &mut Box<[Related]>, width: usize) {
    if related.len() < width {
        let mut slots = std::mem::take(related).into_vec();
        slots.resize(width, Related::Unloaded);
        *related = slots.into_boxed_slice();
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

#[cfg(test)]
mod tests {
    use super::*;

    /// An object with its reference counts fits the allocator's 128-byte
    /// size class: a load makes them by the hundred thousand.
    #[test]
    fn an_object_is_small() {
        let boxed = 2 * size_of::<usize>() + size_of::<RefCell<InstanceData>>();
        assert!(boxed <= 128, "{boxed} bytes");
    }
}
