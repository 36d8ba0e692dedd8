//! A table-level constraint or index the models declare and the live
//! table lacks (`__table_args__`), as the operation that adds it.

use super::defs::refuse;
use super::ops::{AutoOp, FkDef, IndexDef};
use crate::error::Result;
use crate::orm::mapping::constraints::{Constraint, ConstraintKind};
use crate::sql::introspect::unqualified;

/// The operation that adds `c` to `table`, named as declared (or as a
/// naming convention named it), else `<prefix>_<table>_<columns>`. A CHECK
/// needs a name (its downgrade drops it by name); a primary key is refused.
pub(super) fn missing_constraint(table: &str, c: &Constraint) -> Result<AutoOp> {
    let name = |prefix: &str| {
        c.name
            .clone()
            .unwrap_or_else(|| format!("{prefix}_{}_{}", unqualified(table), c.columns().join("_")))
    };
    let t = table.to_string();
    Ok(match &c.kind {
        ConstraintKind::Unique(cols) => AutoOp::CreateUnique(t, name("uq"), cols.clone()),
        ConstraintKind::Index { columns, unique } => AutoOp::CreateIndex(
            t,
            IndexDef {
                name: name("ix"),
                columns: columns.clone(),
                unique: *unique,
            },
        ),
        ConstraintKind::ForeignKey {
            columns,
            ref_table,
            ref_columns,
            on_delete,
            on_update,
        } => AutoOp::CreateForeignKey(
            t,
            FkDef {
                name: Some(name("fk")),
                columns: columns.clone(),
                ref_table: ref_table.clone(),
                ref_columns: ref_columns.clone(),
                on_delete: on_delete.clone(),
                on_update: on_update.clone(),
            },
        ),
        ConstraintKind::Check(sql) => {
            let Some(n) = c.name.clone() else {
                return Err(refuse(
                    table,
                    &format!(
                        "CheckConstraint({sql:?}) has no name, and a constraint added to an existing table needs one for its downgrade to drop it: give it name=.."
                    ),
                ));
            };
            AutoOp::CreateCheck(t, n, sql.clone())
        }
        ConstraintKind::PrimaryKey(_) => {
            return Err(refuse(
                table,
                "a primary key added to an existing table is not written by ormsh; write it by hand (`ormsh db revision -m ..`)",
            ));
        }
    })
}
