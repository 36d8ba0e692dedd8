//! Rows and the identity map: the key an object is held under, and the
//! object a loaded row becomes (the one already held, filled in where it was
//! expired, or a new persistent one).

use std::rc::Rc;

use crate::engine::RowView;
use crate::error::{Error, Result};
use crate::orm::mapping::model::Mapper;
use crate::orm::state::identity::{IdentityKey, PrimaryKey};
use crate::orm::state::instance::Instance;
use crate::orm::state::session_state::SessionState;
use crate::sql::Value;

impl SessionState {
    /// The key the identity map holds the object under: its row's key.
    pub(crate) fn identity_key(&self, obj: &Instance) -> Option<IdentityKey> {
        let mapper_index = obj.borrow().mapper.identity_index();
        obj.original_key().map(|pk| (mapper_index, pk.into()))
    }

    /// The object for a loaded row: the one already in the identity map
    /// (filled in where it was expired), or a new persistent one.
    pub(crate) fn instance_for_row(
        &self,
        mapper: &Rc<Mapper>,
        values: Vec<Value>,
    ) -> Result<Instance> {
        let key = (mapper.identity_index(), primary_key_of(mapper, &values));
        let existing = self.identity.borrow().get(&key);
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
    ) -> Result<Instance> {
        if let Some(existing) = existing {
            if existing.is_expired() {
                existing.refill(values);
            }
            return Ok(existing);
        }
        let obj = self.polymorphic_instance(mapper, values, &[])?;
        self.identity.borrow_mut().insert(key, &obj);
        Ok(obj)
    }

    /// A new persistent object for a row of `mapper`'s columns: of the
    /// model its discriminator names (a model under `mapper` has columns
    /// of its own, not read yet: they load on access, as SQLAlchemy's
    /// do), with the `absent` columns unloaded.
    fn polymorphic_instance(
        &self,
        mapper: &Rc<Mapper>,
        mut values: Vec<Value>,
        absent: &[usize],
    ) -> Result<Instance> {
        let Some(actual) = mapper.polymorphic_target(&values)? else {
            let obj = Instance::from_row(mapper.clone(), values);
            obj.unload(absent);
            return Ok(obj);
        };
        let actual = self.registry().mapper(actual).clone();
        let read = values.len();
        values.resize(actual.columns.len(), Value::Null);
        let obj = Instance::from_row(actual.clone(), values);
        let unread: Vec<usize> = absent
            .iter()
            .copied()
            .chain(read..actual.columns.len())
            .collect();
        obj.unload(&unread);
        Ok(obj)
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
        let key = (mapper.identity_index(), pk);
        let existing = self.identity.borrow().get(&key);
        Ok(Some(match existing {
            Some(existing) if !existing.is_expired() => existing,
            // Not looked up again: a scan makes most of its objects here.
            existing => {
                let values = row.values(offset, offset + mapper.columns.len())?;
                self.adopt_row(mapper, key, existing, values)?
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
    ) -> Result<Instance> {
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
        let key = (mapper.identity_index(), pk);
        let existing = self.identity.borrow().get(&key);
        if let Some(existing) = existing {
            existing.refill_except(values, deferred);
            return Ok(existing);
        }
        let obj = self.polymorphic_instance(mapper, values, deferred)?;
        self.identity.borrow_mut().insert(key, &obj);
        Ok(obj)
    }

    /// The object of `mapper` (or a model under it) with this primary key
    /// if the identity map has it loaded; a row held as another model of
    /// the hierarchy is not one of `mapper`'s.
    pub(crate) fn identity_lookup(&self, mapper: &Mapper, pk: &[Value]) -> Option<Instance> {
        let found = self
            .identity
            .borrow()
            .get(&(mapper.identity_index(), PrimaryKey::from(pk)))?;
        let matches = mapper.includes(&found.borrow().mapper);
        matches.then_some(found)
    }

    pub(crate) fn register_persistent(&self, obj: &Instance) -> Result<()> {
        let key = self.identity_key(obj).ok_or_else(|| {
            Error::Session(format!(
                "{} was inserted but its primary key is unknown",
                self.describe(obj)
            ))
        })?;
        self.identity.borrow_mut().insert(key, obj);
        Ok(())
    }

    pub(crate) fn forget(&self, obj: &Instance) {
        if let Some(key) = self.identity_key(obj) {
            self.identity.borrow_mut().remove(&key);
        }
    }

    /// Room for `additional` more objects (a flush about to insert them).
    pub(crate) fn reserve_identity(&self, additional: usize) {
        self.identity.borrow_mut().reserve(additional);
    }

    /// Drop the entry under `key` (an object whose key changed).
    pub(crate) fn forget_key(&self, key: &IdentityKey) {
        self.identity.borrow_mut().remove(key);
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

/// The primary key values of a row of `mapper`'s columns.
fn primary_key_of(mapper: &Mapper, values: &[Value]) -> PrimaryKey {
    let mut pk = PrimaryKey::new();
    for &i in &mapper.primary_key {
        pk.push(values[i].clone());
    }
    pk
}
