//! The rows of association tables that a flush writes: inserted and
//! deleted as many-to-many collections change, and deleted before the
//! objects they link.

use std::collections::HashSet;

use crate::error::Result;
use crate::orm::flush::UnitOfWork;
use crate::orm::mapping::association::Secondary;
use crate::orm::mapping::model::Mapper;
use crate::orm::state::instance::{Instance, Related};
use crate::sql::{BinaryOp, ColumnType, Delete, Expr, Insert, Statement, Value, compile};

/// One association row: its table and (column, type, value) in a fixed order.
type AssocRow = (String, Vec<(String, ColumnType, Value)>);

fn assoc_row(sec: &Secondary, owner: &Instance, item: &Instance) -> AssocRow {
    let mut values: Vec<(String, ColumnType, Value)> = sec
        .local
        .iter()
        .map(|(s, a, ty)| (a.clone(), ty.clone(), owner.value(*s)))
        .chain(
            sec.remote
                .iter()
                .map(|(a, ty, t)| (a.clone(), ty.clone(), item.value(*t))),
        )
        .collect();
    // Both sides of a backref describe the same row: one order for both.
    values.sort_by(|a, b| a.0.cmp(&b.0));
    (sec.table.clone(), values)
}

impl UnitOfWork<'_> {
    /// Insert and delete the association rows that collection changes of
    /// `objs` call for (each row once, whichever side changed).
    pub(crate) fn flush_secondary(&self, objs: &[Instance]) -> Result<()> {
        let mut inserts: Vec<AssocRow> = Vec::new();
        let mut deletes: Vec<AssocRow> = Vec::new();
        let mut seen: HashSet<(String, Vec<Value>)> = HashSet::new();
        for obj in objs {
            let mapper = obj.mapper();
            for (r, rel) in mapper
                .relationships
                .iter()
                .enumerate()
                .filter(|(_, x)| !x.viewonly)
            {
                let (Some(sec), Related::Many(coll)) = (&rel.secondary, obj.related(r)) else {
                    continue;
                };
                let (added, removed) = {
                    let mut data = coll.data();
                    (
                        std::mem::take(&mut data.added),
                        std::mem::take(&mut data.removed),
                    )
                };
                for (items, out, insert) in
                    [(added, &mut inserts, true), (removed, &mut deletes, false)]
                {
                    for item in items {
                        let row = assoc_row(sec, obj, &item);
                        let key = (
                            format!("{}{}", if insert { "+" } else { "-" }, row.0),
                            row.1.iter().map(|v| v.2.clone()).collect(),
                        );
                        if seen.insert(key) {
                            out.push(row);
                        }
                    }
                }
            }
        }
        // Association tables live with the models they link.
        let registry = self.registry();
        let engine_of = |table: &str| -> Result<&crate::engine::Engine> {
            let bind = registry
                .tables
                .iter()
                .find(|t| t.name == table)
                .and_then(|t| registry.table_bind(t));
            self.engines().get(bind)
        };
        for (table, row) in deletes {
            let engine = engine_of(&table)?;
            let filter = Expr::and_all(
                row.iter()
                    .map(|(c, ty, v)| {
                        Expr::binary(
                            BinaryOp::Eq,
                            Expr::column(&table, c, ty.clone()),
                            Expr::Bind(v.clone(), Some(ty.clone())),
                        )
                    })
                    .collect(),
            );
            engine.execute(&compile(
                &Statement::Delete(Delete {
                    table,
                    filter: Some(filter),
                    returning: Vec::new(),
                }),
                engine.dialect(),
            ))?;
        }
        for (table, row) in inserts {
            let engine = engine_of(&table)?;
            let stmt = Statement::Insert(Insert {
                table,
                columns: row
                    .iter()
                    .map(|(c, ty, _)| (c.clone(), ty.clone()))
                    .collect(),
                rows: vec![row.into_iter().map(|(_, _, v)| v).collect()],
                returning: Vec::new(),
            });
            engine.execute(&compile(&stmt, engine.dialect()))?;
        }
        Ok(())
    }

    /// Before objects are deleted: their rows in association tables go first.
    pub(crate) fn delete_secondary_rows(&self, mapper: &Mapper, objs: &[Instance]) -> Result<()> {
        let engine = self.engine_for(mapper)?;
        let mut done: HashSet<(String, String)> = HashSet::new();
        for rel in &mapper.relationships {
            let Some(sec) = &rel.secondary else { continue };
            let columns: String = sec
                .local
                .iter()
                .map(|l| l.1.clone())
                .collect::<Vec<_>>()
                .join(",");
            if !done.insert((sec.table.clone(), columns)) {
                continue;
            }
            for obj in objs {
                let values: Vec<Value> = sec.local.iter().map(|(s, _, _)| obj.value(*s)).collect();
                let stmt = Statement::Delete(Delete {
                    table: sec.table.clone(),
                    filter: Some(sec.local_filter(&values)),
                    returning: Vec::new(),
                });
                engine.execute(&compile(&stmt, engine.dialect()))?;
            }
        }
        Ok(())
    }
}
