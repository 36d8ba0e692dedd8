//! What a flush writes for columns the objects did not set on an UPDATE,
//! as SQLAlchemy does: `onupdate=` values for every row it updates (and
//! only those), SQL the statement carries for the database to evaluate
//! (`onupdate=func.now()`), and afterwards the values that are the
//! database's (that SQL, `server_onupdate=`) expired, read back on access.

use crate::error::{Error, Result};
use crate::orm::flush::UnitOfWork;
use crate::orm::mapping::column::{Column, DefaultFn};
use crate::orm::mapping::generated::{Generated, SqlValue};
use crate::orm::mapping::model::Mapper;
use crate::orm::state::instance::{Instance, InstanceData};
use crate::sql::Expr;

impl UnitOfWork<'_> {
    /// Give each row about to be updated its `onupdate` values, in the
    /// columns the row does not change itself.
    pub(super) fn apply_onupdates(&self, objs: &[Instance]) -> Result<()> {
        for obj in objs {
            let mapper = obj.mapper();
            for (i, column) in mapper.columns.iter().enumerate() {
                let Some(generated) = &column.onupdate else {
                    continue;
                };
                if changes(&obj.borrow(), i) {
                    continue;
                }
                if matches!(generated, Generated::Clock(DefaultFn::UtcNowAware))
                    && column.ty != crate::sql::ColumnType::DateTimeTz
                {
                    self.check_utc_wall_time(&mapper, &column.name)?;
                }
                let value = generated
                    .value(&column.ty)
                    .map_err(|e| failed(&mapper, column, "onupdate", e))?;
                if let Some(value) = value {
                    let mut data = obj.borrow_mut();
                    let old = std::mem::replace(&mut data.values[i], value);
                    data.loaded.put(i, true);
                    data.set.put(i, true);
                    data.changes.push((i, old));
                }
            }
        }
        Ok(())
    }
}

fn changes(data: &InstanceData, column: usize) -> bool {
    data.changes.iter().any(|&(c, _)| c == column)
}

/// The columns whose `onupdate` is SQL that the UPDATE of this row carries
/// (those the row does not change itself).
pub(super) fn sql_onupdates(data: &InstanceData) -> Vec<(usize, SqlValue)> {
    data.mapper
        .columns
        .iter()
        .enumerate()
        .filter_map(|(i, c)| match c.onupdate {
            Some(Generated::Sql(sql)) if !changes(data, i) => Some((i, sql)),
            _ => None,
        })
        .collect()
}

/// The expression for SQL an UPDATE carries.
pub(super) fn sql_expr(sql: SqlValue) -> Expr {
    match sql {
        SqlValue::Now => Expr::Func {
            name: "now".to_string(),
            args: Vec::new(),
        },
    }
}

/// After the UPDATE of `obj`: the columns whose new value the database
/// made (`sql`, and every `server_onupdate` column) are expired, so the
/// next read loads them; so are its `column_property` values, as
/// SQLAlchemy's `expire_on_flush`.
pub(super) fn expire_database_values(obj: &Instance, sql: &[(usize, SqlValue)]) {
    let mut data = obj.borrow_mut();
    for &(i, _) in sql {
        data.loaded.put(i, false);
    }
    for i in 0..data.mapper.columns.len() {
        let c = &data.mapper.columns[i];
        if c.server_onupdate || c.is_computed() {
            data.loaded.put(i, false);
        }
    }
}

/// A default or onupdate that failed, named by its model and column.
pub(crate) fn failed(mapper: &Mapper, column: &Column, what: &str, e: Error) -> Error {
    let code = match (what, &column.default_call, &column.onupdate) {
        ("default", Some(c), _) => c.source.as_deref(),
        ("onupdate", _, Some(Generated::Call(c))) => c.source.as_deref(),
        _ => None,
    };
    let code = code.map(|c| format!(" `{c}`")).unwrap_or_default();
    Error::invalid(format!(
        "{}.{}: its {what}{code} failed: {e}",
        mapper.name, column.name
    ))
}
