//! UPDATEs of many rows of one table that changed the same columns, sent as
//! one statement (`SET c = CASE id WHEN ? THEN ? .. END WHERE id IN (..)`),
//! as SQLAlchemy sends them with executemany: one round trip per batch
//! instead of one per row.

use crate::error::{Error, Result};
use crate::orm::flush::UnitOfWork;
use crate::orm::mapping::model::Mapper;
use crate::orm::mapping::model::column_of;
use crate::orm::state::instance::Instance;
use crate::orm::state::transaction_record::WriteKind;
use crate::sql::{Expr, Statement, Update, compile};

/// Most rows in one batched UPDATE, whatever the bind limit allows.
const MAX_BATCH_ROWS: usize = 500;

/// What makes rows share one statement: the table and the changed columns.
/// None for a row that goes alone (a changed or composite primary key).
pub(super) fn batch_key(obj: &Instance) -> Option<(usize, Vec<usize>)> {
    let data = obj.borrow();
    let mapper = &data.mapper;
    // SQL in the SET clause (`onupdate=func.now()`) goes row by row.
    if mapper.primary_key.len() != 1
        || mapper.is_joined()
        || !crate::orm::flush::generated_values::sql_onupdates(&data).is_empty()
    {
        return None;
    }
    let mut columns: Vec<usize> = data.changes.iter().map(|&(c, _)| c).collect();
    if columns.iter().any(|c| mapper.primary_key.contains(c)) {
        return None;
    }
    columns.sort_unstable();
    Some((mapper.index, columns))
}

impl UnitOfWork<'_> {
    /// Write the changes of `objs` (same table, same changed columns, more
    /// than one) in as few statements as the bind limit allows.
    pub(super) fn update_batch(&self, objs: &[Instance], columns: &[usize]) -> Result<()> {
        let mapper = objs[0].mapper();
        let engine = self.engine_for(&mapper)?;
        if !engine.dialect().batches_updates() {
            return objs.iter().try_for_each(|obj| self.update_one(obj));
        }
        let per_row = 2 * columns.len() + 1;
        let rows = (engine.dialect().max_bind_params() / per_row).clamp(1, MAX_BATCH_ROWS);
        for chunk in objs.chunks(rows) {
            let stmt = statement(&mapper, chunk, columns);
            let result = engine
                .execute(&compile(&stmt, engine.dialect()))
                .map_err(|e| crate::orm::flush::flush_error(e, "updating", chunk, &mapper))?;
            if engine.dialect().update_counts_matched_rows()
                && result.rows_affected != chunk.len() as u64
            {
                return Err(Error::Session(format!(
                    "an UPDATE of {} {} rows matched {}: some were deleted by another connection",
                    chunk.len(),
                    mapper.name,
                    result.rows_affected
                )));
            }
            self.count_write(mapper.index, WriteKind::Update, chunk.len() as u64);
            for obj in chunk {
                self.track(obj, WriteKind::Update);
                obj.borrow_mut().changes.clear();
                crate::orm::flush::generated_values::expire_database_values(obj, &[]);
            }
        }
        Ok(())
    }
}

fn statement(mapper: &Mapper, rows: &[Instance], columns: &[usize]) -> Statement {
    let pk = mapper.primary_key[0];
    let pk_ty = mapper.columns[pk].ty.clone();
    let key = |o: &Instance| Expr::Bind(o.value(pk), Some(pk_ty.clone()));
    let assignments = columns
        .iter()
        .map(|&c| {
            let col = &mapper.columns[c];
            let whens = rows
                .iter()
                .map(|o| (key(o), Expr::Bind(o.value(c), Some(col.ty.clone()))))
                .collect();
            (
                col.db_name.clone(),
                Expr::Case {
                    operand: Some(Box::new(column_of(mapper, pk))),
                    whens,
                    else_: None,
                },
            )
        })
        .collect();
    Statement::Update(Update {
        table: mapper.table.clone(),
        assignments,
        filter: Some(Expr::InList {
            expr: Box::new(column_of(mapper, pk)),
            list: rows.iter().map(key).collect(),
            negated: false,
        }),
        returning: Vec::new(),
    })
}
