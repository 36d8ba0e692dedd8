//! Writing the rows of a model whose rows span tables (joined-table
//! inheritance, as SQLAlchemy writes them): an INSERT into the root's table
//! first (which numbers the key), then one into each table of its own with
//! that key; an UPDATE per table whose columns changed; DELETEs from its
//! own tables before the root's.

use std::rc::Rc;

use crate::error::Result;
use crate::orm::flush::{UnitOfWork, flush_error};
use crate::orm::mapping::model::{Direction, Mapper};
use crate::orm::state::instance::Instance;
use crate::sql::{BinaryOp, Expr, Insert, Statement, Value, compile, compile_insert};

impl UnitOfWork<'_> {
    /// Insert `objs`, all of `mapper`, whose rows span tables.
    pub(super) fn insert_joined(&self, mapper: Rc<Mapper>, objs: Vec<Instance>) -> Result<()> {
        let inh = mapper
            .inheritance
            .as_ref()
            .expect("a model whose rows span tables is in a hierarchy");
        // The model whose columns are the root table's: the deepest of this
        // model and its ancestors that maps that table.
        let registry = self.registry();
        let root_part = std::iter::once(mapper.index)
            .chain(inh.ancestors.iter().copied())
            .map(|i| registry.mapper(i).clone())
            .find(|m| m.table == inh.tables[0].name)
            .expect("the root maps the first table");
        self.insert_all(root_part.clone(), objs.clone())?;
        let engine = self.engine_for(&mapper)?;
        for (t, table) in inh.tables.iter().enumerate().skip(1) {
            let own: Vec<usize> = (0..mapper.columns.len())
                .filter(|&c| inh.column_tables[c] == t && !mapper.columns[c].is_computed())
                .collect();
            for obj in &objs {
                // A column left unset to its server default is not named,
                // and is read back on access.
                let named: Vec<usize> = own
                    .iter()
                    .copied()
                    .filter(|&c| {
                        !(obj.value(c).is_null() && mapper.columns[c].server_default.is_some())
                    })
                    .collect();
                let key = obj.primary_key().unwrap_or_default();
                let columns = table
                    .key
                    .iter()
                    .zip(&mapper.primary_key)
                    .map(|(k, &pk)| (k.clone(), mapper.columns[pk].ty.clone()))
                    .chain(named.iter().map(|&c| {
                        (
                            mapper.columns[c].db_name.clone(),
                            mapper.columns[c].ty.clone(),
                        )
                    }))
                    .collect();
                let row: Vec<Value> = key
                    .iter()
                    .cloned()
                    .chain(named.iter().map(|&c| obj.value(c)))
                    .collect();
                let stmt = Insert {
                    table: table.name.clone(),
                    columns,
                    rows: vec![row],
                    returning: Vec::new(),
                };
                engine
                    .execute(&compile_insert(stmt, engine.dialect()))
                    .map_err(|e| flush_error(e, "inserting", std::slice::from_ref(obj), &mapper))?;
                let mut data = obj.borrow_mut();
                for &c in &own {
                    data.set.put(c, true);
                    if !named.contains(&c) {
                        data.loaded.put(c, false);
                    }
                }
            }
        }
        // Children in the collections of its own relationships get its key.
        for obj in &objs {
            for (i, rel) in mapper
                .relationships
                .iter()
                .enumerate()
                .skip(root_part.relationships.len())
                .filter(|(_, r)| !r.viewonly)
            {
                if rel.direction == Direction::OneToMany {
                    self.sync_one_to_many(obj, i);
                }
            }
        }
        Ok(())
    }

    /// `key = ?` on the key columns of table `t` of `mapper`'s rows.
    pub(super) fn key_filter_in(mapper: &Mapper, t: usize, key: &[Value]) -> Expr {
        let inh = mapper.inheritance.as_ref().expect("in a hierarchy");
        let table = &inh.tables[t];
        Expr::and_all(
            table
                .key
                .iter()
                .zip(&mapper.primary_key)
                .zip(key)
                .map(|((k, &pk), v)| {
                    let ty = mapper.columns[pk].ty.clone();
                    Expr::binary(
                        BinaryOp::Eq,
                        Expr::column(&table.name, k, ty.clone()),
                        Expr::Bind(v.clone(), Some(ty)),
                    )
                })
                .collect(),
        )
    }

    /// Delete the rows of `batch` (all of `mapper`) from the tables of its
    /// own, the deepest first; the root's row goes after.
    pub(super) fn delete_joined_rows(&self, mapper: &Mapper, batch: &[Instance]) -> Result<()> {
        let Some(inh) = mapper.inheritance.as_ref().filter(|i| i.tables.len() > 1) else {
            return Ok(());
        };
        let engine = self.engine_for(mapper)?;
        for t in (1..inh.tables.len()).rev() {
            let filter = Expr::or_all(
                batch
                    .iter()
                    .map(|o| Self::key_filter_in(mapper, t, &o.original_key().unwrap_or_default()))
                    .collect(),
            );
            let stmt = Statement::Delete(crate::sql::Delete {
                table: inh.tables[t].name.clone(),
                filter: Some(filter),
                returning: Vec::new(),
            });
            engine
                .execute(&compile(&stmt, engine.dialect()))
                .map_err(|e| flush_error(e, "deleting", batch, mapper))?;
        }
        Ok(())
    }
}
