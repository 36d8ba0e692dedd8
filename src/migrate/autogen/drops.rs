//! What the live table has beyond the models (the drift engine's
//! `Extra*`), as the operations that drop it, each reversed by the one
//! that makes it again: `drop_index` for an index (and, as Alembic
//! writes it, for MySQL's unique indexes), `drop_constraint(..,
//! type_='unique'|'foreignkey'|'check')` for constraints. Where the
//! database kept no name (SQLite's unnamed foreign keys and UNIQUE
//! constraints), the batch block reads the table with a naming convention
//! and drops the constraint by the name it gives, as Alembic's
//! documentation does it. Where adding a foreign key makes an index by
//! itself (MariaDB), the downgrade that drops the key drops that index too.

use super::defs::{refuse, usable_name};
use super::ops::{AutoOp, CONVENTION, FkDef, IndexDef};
use crate::engine::Engine;
use crate::error::Result;
use crate::orm::schema::drift_constraints::ConstraintDrift;
use crate::sql::Dialect;
use crate::sql::introspect::TableInfo;

/// The name the batch block's convention gives an unnamed constraint.
fn convention_name(
    table: &str,
    columns: &[String],
    referred: Option<(&str, &[String])>,
) -> Result<String> {
    let pairs: Vec<(String, String)> = CONVENTION
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    crate::migrate::batch::convention_name(&pairs, table, columns, referred)
        .map_err(|e| refuse(table, &e))?
        .ok_or_else(|| {
            refuse(
                table,
                "the batch naming convention names no such constraint",
            )
        })
}

/// The drops of `extras` on `table`; `dropped` are the columns the
/// revision drops (their own one-column indexes go with them; their
/// foreign keys are dropped here, by name, so that the downgrade makes
/// them again).
pub(super) fn extra_drops(
    engine: &Engine,
    table: &str,
    extras: &[&ConstraintDrift],
    dropped: &[&str],
) -> Result<Vec<AutoOp>> {
    let only = |cols: &[String]| cols.len() == 1 && dropped.contains(&cols[0].as_str());
    // SQLite keeps constraint names in the CREATE TABLE text only.
    let (sql_uniques, sql_keys) = if engine.dialect().rebuild_sql().is_some() {
        super::super::batch::constraint_names(engine, table).map_err(|e| refuse(table, &e))?
    } else {
        (Vec::new(), Vec::new())
    };
    let mut convention = false;
    let mut out = Vec::new();
    let t = table.to_string();
    // Foreign keys first: MariaDB keeps an index while a key needs it.
    let rank = |e: &&&ConstraintDrift| !matches!(e, ConstraintDrift::ExtraForeignKey(_));
    let mut extras: Vec<&&ConstraintDrift> = extras.iter().collect();
    extras.sort_by_key(rank);
    for e in extras {
        match e {
            ConstraintDrift::ExtraIndex(i) if only(&i.columns) => {}
            ConstraintDrift::ExtraIndex(i) if !i.constraint => {
                out.push(AutoOp::DropIndex(
                    t.clone(),
                    IndexDef {
                        name: i.name.clone(),
                        columns: i.columns.clone(),
                        unique: i.unique,
                    },
                ));
            }
            ConstraintDrift::ExtraIndex(i) => {
                let named = usable_name(&i.name).or_else(|| {
                    sql_uniques
                        .iter()
                        .find(|(cols, _)| *cols == i.columns)
                        .and_then(|(_, n)| n.clone())
                });
                let name = match named {
                    Some(n) => n,
                    None => {
                        convention = true;
                        convention_name(table, &i.columns, None)?
                    }
                };
                out.push(AutoOp::DropUnique(t.clone(), name, i.columns.clone()));
            }
            ConstraintDrift::ExtraForeignKey(f) => {
                let named = usable_name(&f.name).or_else(|| {
                    sql_keys
                        .iter()
                        .find(|(cols, to, _)| *cols == f.columns && *to == f.ref_table)
                        .and_then(|(_, _, n)| n.clone())
                });
                let name = match named {
                    Some(n) => n,
                    None => {
                        convention = true;
                        convention_name(table, &f.columns, Some((&f.ref_table, &f.ref_columns)))?
                    }
                };
                out.push(AutoOp::DropForeignKey(
                    t.clone(),
                    FkDef::live(f, Some(name)),
                ));
            }
            ConstraintDrift::ExtraCheck(c) => {
                let Some(name) = &c.name else { continue };
                out.push(AutoOp::DropCheck(t.clone(), name.clone(), c.sql.clone()));
            }
            _ => {}
        }
    }
    // Two unnamed constraints the convention would name alike cannot be
    // told apart by the batch block.
    let mut names: Vec<&str> = out
        .iter()
        .filter_map(|o| match o {
            AutoOp::DropUnique(_, n, _) => Some(n.as_str()),
            AutoOp::DropForeignKey(_, f) => f.name.as_deref(),
            _ => None,
        })
        .collect();
    names.sort();
    if let Some(w) = names.windows(2).find(|w| w[0] == w[1]) {
        return Err(refuse(
            table,
            &format!(
                "two constraints the models no longer declare would both be dropped as {}; write this change by hand (`ormsh db revision -m ..`)",
                w[0]
            ),
        ));
    }
    if convention {
        out.insert(0, AutoOp::Convention(t));
    }
    Ok(out)
}

/// `ops` with, before each foreign key it adds, the index the database
/// makes for it where no index leads with its columns (so that the
/// downgrade drops that index with the key).
pub(super) fn with_key_indexes(
    dialect: &dyn Dialect,
    live: &TableInfo,
    ops: Vec<AutoOp>,
) -> Vec<AutoOp> {
    if !dialect.foreign_key_makes_index() {
        return ops;
    }
    let leads =
        |cols: &[String], key: &[String]| cols.len() >= key.len() && cols[..key.len()] == *key;
    let indexed: Vec<Vec<String>> = live
        .indexes
        .iter()
        .map(|i| i.columns.clone())
        .chain(
            live.primary_key
                .iter()
                .map(|_| live.primary_key.clone())
                .take(1),
        )
        .chain(ops.iter().filter_map(|o| match o {
            AutoOp::CreateIndex(_, i) => Some(i.columns.clone()),
            AutoOp::CreateUnique(_, _, cols) => Some(cols.clone()),
            _ => None,
        }))
        .collect();
    let mut out = Vec::new();
    for op in ops {
        if let AutoOp::CreateForeignKey(t, f) = &op
            && let Some(name) = &f.name
            && !indexed.iter().any(|cols| leads(cols, &f.columns))
        {
            out.push(AutoOp::KeyIndex(
                t.clone(),
                IndexDef {
                    name: name.clone(),
                    columns: f.columns.clone(),
                    unique: false,
                },
                false,
            ));
        }
        out.push(op);
    }
    out
}

/// The SQL the drops of `extras` on `table` run on the database behind
/// `engine`, made as `db upgrade` makes it from the revision `db migrate`
/// writes: the operations rendered, read back and planned (on SQLite a
/// constraint's drop is the batch block's rebuild of the live table).
pub fn extra_drop_sql(
    engine: &Engine,
    table: &str,
    extras: &[&ConstraintDrift],
) -> Result<Vec<String>> {
    use crate::error::Error;
    let ops = extra_drops(engine, table, extras, &[])?;
    if ops.is_empty() {
        return Ok(Vec::new());
    }
    let body = super::render::body(&ops);
    let source = format!(
        "from alembic import op\nimport sqlalchemy as sa\n\n\ndef upgrade():\n    {body}\n"
    );
    let label = format!("<the drops on {table}>");
    let module = crate::python::parse(&label, &source).map_err(|e| Error::Config(e.to_string()))?;
    let read = crate::migrate::ops::read_function(&module, "upgrade")
        .map_err(|(line, m)| Error::Config(format!("{label}:{line}: {m}")))?;
    let ddl = crate::migrate::ddl::Ddl {
        d: engine.dialect(),
    };
    let mut out = Vec::new();
    for op in &read {
        for step in ddl.op(op).map_err(|m| refuse(table, &m))? {
            step_sql(engine, &ddl, &step, &mut out).map_err(|m| refuse(table, &m))?;
        }
    }
    Ok(out)
}

/// One planned step's statements as `--sql` prints them.
fn step_sql(
    engine: &Engine,
    ddl: &crate::migrate::ddl::Ddl,
    step: &crate::migrate::ddl::Step,
    out: &mut Vec<String>,
) -> std::result::Result<(), String> {
    use crate::migrate::ddl::Step;
    match step {
        Step::Sql(s) => out.push(s.offline.clone()),
        Step::Autocommit(steps) => {
            for s in steps {
                step_sql(engine, ddl, s, out)?;
            }
        }
        Step::Rebuild {
            table,
            ops,
            naming_convention,
        } => {
            for s in crate::migrate::batch::rebuild(engine, ddl, table, ops, naming_convention)? {
                out.push(s.offline);
            }
        }
    }
    Ok(())
}
