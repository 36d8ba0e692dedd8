//! SQLAlchemy 2.0's eager defaults ("auto"): on a database with INSERT ..
//! RETURNING, the values the database fills in (server defaults) come back
//! in the INSERT itself, so the objects hold them after the flush without
//! a SELECT; elsewhere they are read on first access.

use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::orm::flush::{UnitOfWork, flush_error};
use crate::orm::mapping::model::Mapper;
use crate::orm::state::instance::Instance;
use crate::sql::{ColumnType, Compiled, Insert, Value};

/// The columns of an INSERT writing `columns` that the database fills in
/// and RETURNING can bring back: none without RETURNING.
pub(super) fn server_filled(
    engine: &Engine,
    mapper: &Mapper,
    columns: &[usize],
    auto: Option<usize>,
) -> Vec<usize> {
    if !engine.dialect().supports_returning() {
        return Vec::new();
    }
    (0..mapper.columns.len())
        .filter(|i| {
            let c = &mapper.columns[*i];
            !columns.contains(i) && Some(*i) != auto && !c.post_update && c.server_default.is_some()
        })
        .collect()
}

/// The INSERT of `batch` writing `columns`, returning `returning` then `fetch`.
pub(super) fn insert_statement(
    mapper: &Mapper,
    columns: &[usize],
    batch: &[Instance],
    returning: &[usize],
    fetch: &[usize],
) -> Insert {
    Insert {
        table: mapper.table.clone(),
        columns: columns
            .iter()
            .map(|&c| {
                (
                    mapper.columns[c].db_name.clone(),
                    mapper.columns[c].ty.clone(),
                )
            })
            .collect(),
        rows: batch
            .iter()
            .map(|o| {
                let data = o.borrow();
                columns.iter().map(|&c| data.values[c].clone()).collect()
            })
            .collect(),
        returning: returning
            .iter()
            .chain(fetch)
            .map(|&c| mapper.columns[c].db_name.clone())
            .collect(),
    }
}

impl UnitOfWork<'_> {
    /// Run an INSERT with RETURNING `returning` (the generated key, or the
    /// primary key the objects hold) then `fetch`, and give each object its
    /// row's values.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn insert_returning(
        &self,
        engine: &Engine,
        mapper: &Mapper,
        batch: &[Instance],
        compiled: &Compiled,
        returning: &[usize],
        fetch: &[usize],
        generated_key: Option<usize>,
    ) -> Result<()> {
        let types: Vec<Option<ColumnType>> = returning
            .iter()
            .chain(fetch)
            .map(|&c| Some(mapper.columns[c].ty.clone()))
            .collect();
        let mut rows = engine
            .execute_returning(compiled, &types)
            .map_err(|e| flush_error(e, "inserting", batch, mapper))?;
        if rows.len() != batch.len() {
            return Err(Error::Session(format!(
                "the database returned {} rows for {} inserted",
                rows.len(),
                batch.len()
            )));
        }
        let order: Vec<usize> = match generated_key {
            // Generated keys ascend in VALUES order; RETURNING's own order is not promised.
            Some(_) => {
                rows.sort_by_key(|r| r.first().and_then(Value::as_i64).unwrap_or(i64::MAX));
                (0..batch.len()).collect()
            }
            // Each row to the object with its key (in VALUES order where none matches).
            None => rows
                .iter()
                .enumerate()
                .map(|(n, row)| {
                    batch
                        .iter()
                        .position(|o| {
                            let data = o.borrow();
                            returning
                                .iter()
                                .zip(row)
                                .all(|(&c, v)| data.values[c] == *v)
                        })
                        .unwrap_or(n)
                })
                .collect(),
        };
        for (row, n) in rows.into_iter().zip(order) {
            let mut data = batch[n].borrow_mut();
            let mut values = row.into_iter();
            for &c in returning {
                let v = values.next().unwrap_or(Value::Null);
                if generated_key.is_some() {
                    data.values[c] = v;
                }
            }
            for &c in fetch {
                data.values[c] = values.next().unwrap_or(Value::Null);
                data.loaded.put(c, true);
            }
        }
        Ok(())
    }
}
