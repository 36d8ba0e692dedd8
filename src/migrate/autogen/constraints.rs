//! A table-level constraint or index the models declare (`__table_args__`)
//! that the live table lacks, as the operation that adds it, or has in
//! another form, as the drop and the add that make it the models'.

use super::defs::refuse;
use super::ops::{AutoOp, FkDef, IndexDef};
use crate::error::Result;
use crate::orm::mapping::constraints::{Constraint, ConstraintKind};
use crate::orm::schema::drift_constraints::ConstraintDrift;
use crate::sql::introspect::{TableInfo, unqualified};

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
        ConstraintKind::ForeignKey { .. } => match FkDef::declared(c, Some(name("fk"))) {
            Some(key) => AutoOp::CreateForeignKey(t, key),
            None => return Err(refuse(table, "not a foreign key")),
        },
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

/// A declared index or foreign key that the live table has in another
/// form (other columns or uniqueness; other ON DELETE/ON UPDATE): the op
/// that drops the live one and the op that adds the declared one, as
/// Alembic's autogenerate writes them; `None` for another drift.
pub(super) fn changed_constraint(
    table: &str,
    item: &ConstraintDrift,
    live: &TableInfo,
) -> Result<Option<(AutoOp, AutoOp)>> {
    let t = table.to_string();
    Ok(match item {
        ConstraintDrift::IndexDiffers {
            constraint,
            live: i,
        } => {
            let ConstraintKind::Index { columns, unique } = &constraint.kind else {
                return Err(refuse(table, "not an index"));
            };
            let drop = if i.constraint {
                AutoOp::DropUnique(t.clone(), i.name.clone(), i.columns.clone())
            } else {
                AutoOp::DropIndex(
                    t.clone(),
                    IndexDef {
                        name: i.name.clone(),
                        columns: i.columns.clone(),
                        unique: i.unique,
                    },
                )
            };
            let create = AutoOp::CreateIndex(
                t,
                IndexDef {
                    name: i.name.clone(),
                    columns: columns.clone(),
                    unique: *unique,
                },
            );
            Some((drop, create))
        }
        ConstraintDrift::ForeignKeyActionsDiffer {
            constraint,
            live_name,
            ..
        } => {
            let Some(name) = super::defs::usable_name(live_name) else {
                return Err(refuse(
                    table,
                    &format!(
                        "the foreign key on {} has other ON DELETE/ON UPDATE actions than the models', and the database gave it no name to drop it by; write this change by hand",
                        constraint.columns().join(", ")
                    ),
                ));
            };
            let Some(f) = live.foreign_keys.iter().find(|f| f.name == *live_name) else {
                return Err(refuse(table, &format!("no live foreign key {live_name}")));
            };
            let Some(key) = FkDef::declared(
                constraint,
                Some(constraint.name.clone().unwrap_or(name.clone())),
            ) else {
                return Err(refuse(table, "not a foreign key"));
            };
            Some((
                AutoOp::DropForeignKey(t.clone(), FkDef::live(f, Some(name))),
                AutoOp::CreateForeignKey(t, key),
            ))
        }
        _ => None,
    })
}
