//! What autogenerate's operations are made of, read from either side:
//! a model's columns, keys and indexes, or a live table's (for what a
//! downgrade makes again), with the names Alembic and SQLAlchemy give
//! (`ix_<table>_<column>`), and the rows a change would touch.

use super::ops::{AutoOp, ColDef, FkDef, IndexDef, TableDef};
use super::render::{live_default, live_type, model_default, model_type};
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::orm::mapping::constraints::{Constraint, ConstraintKind};
use crate::orm::mapping::model::Column;
use crate::orm::schema::ddl::{foreign_key_constraints, foreign_key_name};
use crate::sql::dialect::reflected_type;
use crate::sql::introspect::{ColumnInfo, TableInfo, unqualified};
use crate::sql::{Compiled, Dialect, ForeignKeyDdl, Value};

pub(super) fn refuse(table: &str, what: &str) -> Error {
    Error::Invalid(format!("table {table}: {what}"))
}

pub(super) fn count(engine: &Engine, table: &str, column: Option<&str>) -> Result<i64> {
    let d = crate::migrate::ddl::Ddl {
        d: engine.dialect(),
    };
    let what = column.map_or("*".to_string(), |c| d.q(c));
    let stmt = Compiled {
        sql: format!("SELECT count({what}) FROM {}", d.q(table)),
        binds: Vec::new(),
    };
    let (_, rows) = engine.fetch_named(&stmt)?;
    Ok(match rows.first().and_then(|r| r.first()) {
        Some(Value::Int(n)) => *n,
        Some(Value::Text(t)) => t.parse().unwrap_or(0),
        _ => 0,
    })
}

/// A model column as `sa.Column(..)`.
pub(super) fn model_col(table: &str, c: &Column, dialect: &dyn Dialect) -> Result<ColDef> {
    Ok(ColDef {
        name: c.db_name.clone(),
        ty: model_type(&c.ty).ok_or_else(|| {
            refuse(
                table,
                &format!(
                    "column {} is of type {}, which ormsh cannot write in a revision; write this change by hand (`ormsh db revision -m ..`)",
                    c.db_name, c.ty
                ),
            )
        })?,
        nullable: c.nullable && !c.primary_key,
        server_default: c
            .server_default
            .as_ref()
            .map(|d| model_default(d, dialect)),
        autoincrement: None,
    })
}

/// A live column as autogenerate writes a reflected one.
pub(super) fn live_col(table: &str, c: &ColumnInfo, dialect: &dyn Dialect) -> Result<ColDef> {
    Ok(ColDef {
        name: c.name.clone(),
        ty: live_type(&reflected_type(&c.type_name, dialect)).ok_or_else(|| {
            refuse(
                table,
                &format!(
                    "column {} is of type {}, which ormsh cannot write in a revision; write this change by hand (`ormsh db revision -m ..`)",
                    c.name, c.type_name
                ),
            )
        })?,
        nullable: c.nullable,
        server_default: live_default(c.default.as_deref(), dialect),
        autoincrement: None,
    })
}

/// A name the database gave and that can be used again (SQLite numbers
/// its foreign keys and names the indexes of UNIQUE constraints itself).
pub(super) fn usable_name(name: &str) -> Option<String> {
    (!name.is_empty()
        && !name.chars().all(|c| c.is_ascii_digit())
        && !name.starts_with("sqlite_autoindex_"))
    .then(|| name.to_string())
}

pub(super) fn model_fk(table: &str, key: &ForeignKeyDdl, name: Option<String>) -> FkDef {
    let name = name
        .or_else(|| key.name.clone())
        .unwrap_or_else(|| foreign_key_name(table, key));
    FkDef::of_key(key, Some(name))
}

pub(super) fn index_name(table: &str, column: &str) -> String {
    format!("ix_{}_{column}", unqualified(table))
}

pub(super) fn unique_name(table: &str, column: &str) -> String {
    format!("uq_{}_{column}", unqualified(table))
}

/// `create_table` for a model: columns, its foreign keys, primary key and
/// UNIQUE constraints (a unique column with `index=True` gets a unique
/// index instead, as SQLAlchemy makes it), then its indexes; with the
/// table-level constraints and indexes (`__table_args__`) among them.
pub(super) fn create_model_table(
    table: &str,
    columns: &[Column],
    constraints: &[Constraint],
    dialect: &dyn Dialect,
) -> Result<AutoOp> {
    // A column's own index or unique constraint, named by a naming convention.
    let named = |column: &str, index: bool| {
        constraints.iter().find_map(|c| match &c.kind {
            ConstraintKind::Index { columns, .. } if index && columns == &[column.to_string()] => {
                c.name.clone()
            }
            ConstraintKind::Unique(columns) if !index && columns == &[column.to_string()] => {
                c.name.clone()
            }
            _ => None,
        })
    };
    let mut def = TableDef {
        name: table.to_string(),
        columns: columns
            .iter()
            .map(|c| model_col(table, c, dialect))
            .collect::<Result<_>>()?,
        primary_key: columns
            .iter()
            .filter(|c| c.primary_key)
            .map(|c| c.db_name.clone())
            .collect(),
        foreign_keys: foreign_key_constraints(columns, constraints)
            .iter()
            .map(|k| FkDef {
                name: k.name.clone(),
                ..model_fk(table, k, None)
            })
            .collect(),
        uniques: Vec::new(),
        checks: Vec::new(),
        drop_types: Vec::new(),
    };
    let mut indexes = Vec::new();
    for c in constraints.iter().filter(|c| !c.from_column) {
        match &c.kind {
            ConstraintKind::PrimaryKey(cols) => def.primary_key.clone_from(cols),
            ConstraintKind::Unique(cols) => def.uniques.push((c.name.clone(), cols.clone())),
            ConstraintKind::Check(sql) => def.checks.push((c.name.clone(), sql.clone())),
            ConstraintKind::ForeignKey { .. } => {
                def.foreign_keys.extend(FkDef::declared(c, c.name.clone()));
            }
            ConstraintKind::Index { columns, unique } => indexes.push(IndexDef {
                name: c
                    .name
                    .clone()
                    .unwrap_or_else(|| format!("ix_{}_{}", unqualified(table), columns.join("_"))),
                columns: columns.clone(),
                unique: *unique,
            }),
        }
    }
    for c in columns {
        if c.index {
            indexes.push(IndexDef {
                name: named(&c.db_name, true).unwrap_or_else(|| index_name(table, &c.db_name)),
                columns: vec![c.db_name.clone()],
                unique: c.unique,
            });
        } else if c.unique && !c.primary_key {
            def.uniques
                .push((named(&c.db_name, false), vec![c.db_name.clone()]));
        }
    }
    Ok(AutoOp::CreateTable(def, indexes))
}

/// `drop_table` for a live table, with what its downgrade makes again.
pub(super) fn drop_live_table(live: &TableInfo, dialect: &dyn Dialect) -> Result<AutoOp> {
    let mut def = TableDef {
        name: live.name.clone(),
        columns: live
            .columns
            .iter()
            .map(|c| live_col(&live.name, c, dialect))
            .collect::<Result<_>>()?,
        primary_key: live.primary_key.clone(),
        foreign_keys: live
            .foreign_keys
            .iter()
            .map(|f| FkDef::live(f, usable_name(&f.name)))
            .collect(),
        uniques: Vec::new(),
        checks: Vec::new(),
        drop_types: Vec::new(),
    };
    let mut indexes = Vec::new();
    for i in &live.indexes {
        match usable_name(&i.name) {
            Some(name) => indexes.push(IndexDef {
                name,
                columns: i.columns.clone(),
                unique: i.unique,
            }),
            None if i.unique => def.uniques.push((None, i.columns.clone())),
            None => {}
        }
    }
    Ok(AutoOp::DropTable(def, indexes))
}

/// `DROP TYPE` for the named enum types that the table's columns make on a
/// database with enum types of their own, and that no other table uses.
pub(super) fn own_enum_types(
    registry: &crate::orm::mapping::model::Registry,
    table: &str,
    columns: &[Column],
    dialect: &dyn Dialect,
) -> Vec<String> {
    if !dialect.makes_enum_types() {
        return Vec::new();
    }
    let ddl = crate::migrate::ddl::Ddl { d: dialect };
    let name_of = |c: &Column| match &c.ty {
        crate::sql::ColumnType::Enum(e) => e.name.clone(),
        _ => None,
    };
    let elsewhere: Vec<String> = registry
        .mappers
        .iter()
        .filter(|m| m.table != table)
        .flat_map(|m| m.columns.iter().filter_map(name_of).collect::<Vec<_>>())
        .chain(
            registry
                .tables
                .iter()
                .filter(|t| t.name != table)
                .flat_map(|t| t.columns.iter().filter_map(name_of).collect::<Vec<_>>()),
        )
        .collect();
    let mut out = Vec::new();
    for name in columns.iter().filter_map(name_of) {
        let sql = format!("DROP TYPE {}", ddl.q(&name));
        if !elsewhere.contains(&name) && !out.contains(&sql) {
            out.push(sql);
        }
    }
    out
}
