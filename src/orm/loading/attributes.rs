//! Attribute access on objects: reading a column (read again when it was
//! expired) or a relationship (loaded as its strategy says), setting either,
//! and making a new object with its attributes set.

use crate::error::{Error, Result};
use crate::orm::loading::Loader;
use crate::orm::state::attr::Attr;
use crate::orm::state::instance::{Instance, ObjectState};
use crate::sql::Value;

impl Loader<'_> {
    /// As `create`, with the attributes named by anything string-like: a
    /// script's constructor passes its map's own keys, not a copy of each.
    pub fn create_from<K: AsRef<str>>(
        &self,
        model: &str,
        attributes: impl IntoIterator<Item = (K, Attr)>,
    ) -> Result<Instance> {
        let mapper = self.registry().lookup(model)?.clone();
        // Defaults are the flush's to fill in (an unset attribute reads None
        // until then, as in SQLAlchemy).
        let obj = Instance::new(mapper.clone());
        for (name, value) in attributes {
            self.set_attribute(&obj, name.as_ref(), value)?;
        }
        Ok(obj)
    }

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
            if column.is_computed() {
                return Err(Error::invalid(format!(
                    "{}.{name} is a column_property, computed by the database from the row: it cannot be set",
                    mapper.name
                )));
            }
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
            _ if rel.viewonly => Self::check_writable(&mapper, rel_index),
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
                            self.remove_from(obj, rel_index, &old, &current)?;
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
