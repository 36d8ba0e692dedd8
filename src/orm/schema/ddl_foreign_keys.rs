//! The FOREIGN KEY constraints of declared columns and constraints, as DDL:
//! the keys of a table (a models file's columns referring to one table
//! joined into a composite key), the name ormsh gives a key it adds, and
//! which keys get an index of their own.

use crate::orm::mapping::constraints::{Constraint, ConstraintKind, declared_foreign_keys};
use crate::orm::mapping::model::{Column, Mapper};
use crate::sql::ForeignKeyDdl;

/// The columns of each foreign key that gets an index of its own
/// (`Column::index_foreign_key`): not one the primary key or another index
/// already leads with.
pub(crate) fn foreign_key_indexes(mapper: &Mapper) -> Vec<Vec<String>> {
    let column = |name: &str| mapper.columns.iter().find(|c| c.db_name == name);
    let primary_key: Vec<&str> = mapper
        .primary_key
        .iter()
        .map(|&i| mapper.columns[i].db_name.as_str())
        .collect();
    all_foreign_keys(&mapper.columns, &mapper.constraints)
        .into_iter()
        .map(|k| k.columns)
        .filter(|cols| {
            let led = |lead: &[&str]| {
                lead.len() >= cols.len() && lead.iter().zip(cols).all(|(a, b)| a == b)
            };
            cols.iter()
                .all(|c| column(c).is_some_and(|c| c.index_foreign_key))
                && !led(&primary_key)
                && !column(&cols[0]).is_some_and(|c| cols.len() == 1 && (c.unique || c.index))
        })
        .collect()
}

/// The name ormsh gives a foreign key it adds by itself (`fk_post_user_id`).
pub(crate) fn foreign_key_name(table: &str, key: &ForeignKeyDdl) -> String {
    format!("fk_{table}_{}", key.columns.join("_"))
}

/// The FOREIGN KEY constraints of declared columns. In a models file,
/// columns that refer to different columns of the same table form one
/// composite key (`(order_id, line_no)` → `order_line (order_id, line_no)`),
/// its way to refer to a composite primary key; columns that refer to the
/// same column (`sender_id`, `recipient_id` → `author.id`), named keys and
/// models.py's keys (`ForeignKey::merges`) stay apart.
///
/// Columns in a declared `ForeignKeyConstraint` are left to it.
pub(crate) fn foreign_key_constraints(
    columns: &[Column],
    constraints: &[Constraint],
) -> Vec<ForeignKeyDdl> {
    let declared: Vec<&String> = declared_foreign_keys(constraints)
        .flat_map(|c| c.columns())
        .collect();
    let mut out: Vec<ForeignKeyDdl> = Vec::new();
    for c in columns {
        let Some(fk) = &c.foreign_key else { continue };
        if declared.contains(&&c.db_name) {
            continue;
        }
        match out.iter_mut().find(|k| {
            fk.merges
                && fk.name.is_none()
                && k.name.is_none()
                && k.ref_table == fk.table
                && !k.ref_columns.contains(&fk.column)
                && k.on_delete == fk.on_delete
                && k.on_update == fk.on_update
        }) {
            Some(k) => {
                k.columns.push(c.db_name.clone());
                k.ref_columns.push(fk.column.clone());
            }
            None => out.push(ForeignKeyDdl {
                name: fk.name.clone(),
                columns: vec![c.db_name.clone()],
                ref_table: fk.table.clone(),
                ref_columns: vec![fk.column.clone()],
                on_delete: fk.on_delete.clone(),
                on_update: fk.on_update.clone(),
            }),
        }
    }
    out
}

/// A declared `ForeignKeyConstraint` as DDL.
pub(crate) fn declared_foreign_key(c: &Constraint) -> Option<ForeignKeyDdl> {
    match &c.kind {
        ConstraintKind::ForeignKey {
            columns,
            ref_table,
            ref_columns,
            on_delete,
            on_update,
        } => Some(ForeignKeyDdl {
            name: c.name.clone(),
            columns: columns.clone(),
            ref_table: ref_table.clone(),
            ref_columns: ref_columns.clone(),
            on_delete: on_delete.clone(),
            on_update: on_update.clone(),
        }),
        _ => None,
    }
}

/// Every FOREIGN KEY of a table: the declared constraints, then the columns'.
pub(crate) fn all_foreign_keys(
    columns: &[Column],
    constraints: &[Constraint],
) -> Vec<ForeignKeyDdl> {
    constraints
        .iter()
        .filter_map(declared_foreign_key)
        .chain(foreign_key_constraints(columns, constraints))
        .collect()
}
