//! SQLAlchemy's `post_update`: when two tables refer to each other, the
//! flush cannot insert either row first with its key set. A relationship
//! marked `post_update` has its foreign key left out of the INSERT and set
//! by an UPDATE once both rows exist, and cleared by an UPDATE before the
//! rows are deleted. Without it, such a flush is refused before any SQL.

use crate::error::{Error, Result};
use crate::orm::flush::UnitOfWork;
use crate::orm::mapping::model::{Direction, Mapper};
use crate::orm::state::instance::{Instance, ObjectState, Related};
use crate::sql::{Expr, Statement, Update, Value, compile};

impl UnitOfWork<'_> {
    /// Refuse a flush where a pending object refers to another pending one
    /// that the foreign-key order inserts after it: its key would be written
    /// as NULL and lost (a cycle of foreign keys with no `post_update`).
    pub(crate) fn check_insert_order(&self, rank: &[usize]) -> Result<()> {
        for obj in self.new_objects() {
            let mapper = obj.mapper();
            for (i, rel) in mapper.relationships.iter().enumerate() {
                if rel.direction != Direction::ManyToOne
                    || rel.post_update
                    || rel.target == mapper.index
                {
                    continue;
                }
                let Related::One(Some(parent)) = obj.related(i) else {
                    continue;
                };
                let parent_mapper = parent.mapper();
                if parent.state() == ObjectState::Pending
                    && rank[parent_mapper.index] > rank[mapper.index]
                {
                    let columns: Vec<String> = rel
                        .pairs
                        .iter()
                        .map(|&(l, _)| format!("{}.{}", mapper.table, mapper.columns[l].db_name))
                        .collect();
                    return Err(Error::Session(format!(
                        "{} and {} refer to each other, so neither row can be inserted first with its key ({}); declare one side with #{{ post_update: true }}, e.g. db.relationship(\"{}\", \"{}\", #{{ .., post_update: true }}), and ormsh sets that key with an UPDATE after both INSERTs",
                        mapper.name,
                        parent_mapper.name,
                        columns.join(", "),
                        rel.name,
                        parent_mapper.name
                    )));
                }
            }
        }
        Ok(())
    }

    /// After an INSERT that left out post_update keys: the keys the object
    /// holds, or will hold once its parent is inserted, are written by the
    /// UPDATE of the flush's next step.
    pub(crate) fn after_insert_post_update(&self, mapper: &Mapper, obj: &Instance) {
        let columns: Vec<usize> = (0..mapper.columns.len())
            .filter(|&c| mapper.columns[c].post_update)
            .collect();
        if columns.is_empty() {
            return;
        }
        let mut pending = false;
        {
            let mut data = obj.borrow_mut();
            for &c in &columns {
                if !data.values[c].is_null() {
                    data.changes.push((c, Value::Null));
                    pending = true;
                }
            }
        }
        let waits_for_parent = mapper.relationships.iter().enumerate().any(|(i, r)| {
            r.post_update
                && r.direction == Direction::ManyToOne
                && matches!(obj.related(i), Related::One(Some(_)))
        });
        if pending || waits_for_parent {
            self.queue_modified(obj);
        }
    }

    /// Before deleting rows: clear the post_update keys they hold, so rows
    /// that refer to each other can go in any order.
    pub(crate) fn clear_post_update_keys(&self, objs: &[Instance]) -> Result<()> {
        for obj in objs {
            let mapper = obj.mapper();
            let set: Vec<(String, Expr)> = mapper
                .columns
                .iter()
                .enumerate()
                .filter(|(i, c)| c.post_update && !obj.value(*i).is_null())
                .map(|(_, c)| {
                    (
                        c.db_name.clone(),
                        Expr::Bind(Value::Null, Some(c.ty.clone())),
                    )
                })
                .collect();
            if set.is_empty() {
                continue;
            }
            let key = obj.original_key().unwrap_or_default();
            let filter = crate::orm::flush::unit_of_work::pk_filter(&mapper, &key);
            let engine = self.engine_for(&mapper)?;
            engine.execute(&compile(
                &Statement::Update(Update {
                    table: mapper.table.clone(),
                    assignments: set,
                    filter: Some(filter),
                    returning: Vec::new(),
                }),
                engine.dialect(),
            ))?;
        }
        Ok(())
    }
}
