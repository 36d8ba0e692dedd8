//! The drift engine's findings as autogenerate operations: the one place
//! where each kind of drift (`DriftItem`) becomes `op.*` calls, with what
//! Alembic's autogenerate would not do: a column that disappears while one
//! of its type appears is renamed when the user says so, a column or table
//! dropped with values in it is named with their count, and a NOT NULL
//! column added to a table with rows takes a one-off default or is refused.

use std::collections::BTreeMap;

use super::constraints::{changed_constraint, missing_constraint};
use super::defs::{
    count, create_model_table, drop_live_table, index_name, live_col, model_col, model_fk,
    own_enum_types, refuse, unique_name, usable_name,
};
use super::ops::{AlterDef, AutoOp, FkDef, IndexDef};
use super::render::{live_default, model_default, model_type};
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::orm::mapping::column::Column;
use crate::orm::mapping::constraints::Constraint;
use crate::orm::schema::ddl::foreign_key_constraints;
use crate::orm::schema::drift::{Drift, DriftItem};
use crate::orm::schema::drift_constraints::ConstraintDrift;
use crate::orm::session::Session;
use crate::sql::dialect::reflected_type;
use crate::sql::introspect::TableInfo;
use crate::sql::{Dialect, Value};

/// `--rename [TABLE.]OLD=NEW`.
#[derive(Debug, Clone, PartialEq)]
pub struct Rename {
    pub table: Option<String>,
    pub old: String,
    pub new: String,
}

/// `--default [TABLE.]COLUMN=VALUE`.
#[derive(Debug, Clone, PartialEq)]
pub struct OneOff {
    pub table: Option<String>,
    pub column: String,
    pub value: String,
}

/// `[TABLE.]NAME=VALUE` as (table, name, value).
pub fn parse_assignment(text: &str, flag: &str) -> Result<(Option<String>, String, String)> {
    let Some((left, value)) = text.split_once('=') else {
        return Err(Error::Config(format!(
            "--{flag} {text}: write it as NAME=VALUE or TABLE.NAME=VALUE"
        )));
    };
    let (table, name) = match left.split_once('.') {
        Some((t, n)) => (Some(t.trim().to_string()), n.trim().to_string()),
        None => (None, left.trim().to_string()),
    };
    if name.is_empty() {
        return Err(Error::Config(format!(
            "--{flag} {text}: the name before = is empty"
        )));
    }
    Ok((table, name, value.to_string()))
}

/// What the user answered before (flags) or answers now (a prompt).
pub struct Answers<'a> {
    pub renames: Vec<Rename>,
    pub defaults: Vec<OneOff>,
    /// A yes/no question at a terminal; none in scripts.
    pub ask: Option<&'a dyn Fn(&str) -> bool>,
}

/// The operations and what the user must hear before the file is written.
#[derive(Debug, Default)]
pub struct Plan {
    pub ops: Vec<AutoOp>,
    /// Data the upgrade loses (a dropped column or table with values).
    pub losses: Vec<String>,
    /// Other things to know (a possible rename not taken).
    pub notes: Vec<String>,
    /// Named enum types whose values change: (name, live values, models').
    enums: Vec<(String, Vec<String>, Vec<String>)>,
}

/// Every operation the drift of the database behind `bind` (none for the
/// default one) asks for, creates first and drops last; the drift of other
/// databases is left out.
pub fn plan(
    session: &Session,
    drift: &[Drift],
    answers: &Answers,
    bind: Option<&str>,
) -> Result<Plan> {
    let registry = session.registry();
    let mut plan = Plan::default();
    let mut creates = Vec::new();
    let mut changes = Vec::new();
    let mut drops = Vec::new();
    let engine = session.engines().get(bind)?;
    let dialect = engine.dialect();
    for d in drift {
        if d.table == crate::migrate::version::TABLE || d.bind.as_deref() != bind {
            continue;
        }
        // The table as declared: a model's, or an association table's.
        let declared = match &d.model {
            Some(m) => registry
                .table_shape(registry.lookup(m)?.index)
                .map(|m| (m.columns.clone(), m.constraints.clone())),
            None => registry
                .tables
                .iter()
                .find(|t| t.name == d.table && registry.table_bind(t) == bind)
                .map(|t| (t.columns.clone(), t.constraints.clone())),
        };

        for item in &d.items {
            match item {
                DriftItem::MissingTable => {
                    let Some((columns, constraints)) = &declared else {
                        continue;
                    };
                    let mut op = create_model_table(&d.table, columns, constraints, dialect)?;
                    if let AutoOp::CreateTable(def, _) = &mut op {
                        def.drop_types = own_enum_types(&registry, &d.table, columns, dialect);
                    }
                    creates.push(op);
                }
                DriftItem::ExtraTable => {
                    let Some(live) = engine.describe_table(&d.table)? else {
                        continue;
                    };
                    let rows = count(engine, &d.table, None)?;
                    if rows > 0 {
                        plan.losses.push(format!(
                            "table {} is dropped with its {rows} row{}",
                            d.table,
                            if rows == 1 { "" } else { "s" }
                        ));
                    }
                    drops.push(drop_live_table(&live, dialect)?);
                }
                _ => {}
            }
        }
        if let Some((columns, constraints)) = &declared
            && d.items
                .iter()
                .any(|i| !matches!(i, DriftItem::MissingTable | DriftItem::ExtraTable))
        {
            let Some(live) = engine.describe_table(&d.table)? else {
                continue;
            };
            let table = Table {
                name: &d.table,
                columns,
                constraints,
            };
            changes.extend(table_changes(
                engine, &table, &live, &d.items, answers, &mut plan,
            )?);
        }
    }
    // A table that refers to another dropped one goes first.
    let refers = |a: &AutoOp, b: &AutoOp| match a {
        AutoOp::DropTable(t, _) => t.foreign_keys.iter().any(|f| f.ref_table == b.table()),
        _ => false,
    };
    let mut ordered: Vec<AutoOp> = Vec::new();
    while !drops.is_empty() {
        let pick = (0..drops.len())
            .find(|&i| {
                !drops
                    .iter()
                    .enumerate()
                    .any(|(j, other)| j != i && refers(other, &drops[i]))
            })
            .unwrap_or(0);
        ordered.push(drops.remove(pick));
    }
    let mut enums = Vec::new();
    for (name, old, new) in std::mem::take(&mut plan.enums) {
        enums.push(super::enums::enum_change(engine, &name, old, new)?);
    }
    plan.ops = creates
        .into_iter()
        .chain(enums)
        .chain(changes)
        .chain(ordered)
        .collect();
    Ok(plan)
}

/// The one `alter_column` of a live column, made on first use.
fn alter_entry<'m>(
    alters: &'m mut BTreeMap<usize, AlterDef>,
    live: &TableInfo,
    table: &str,
    name: &str,
    dialect: &dyn Dialect,
) -> Result<&'m mut AlterDef> {
    let at = live
        .columns
        .iter()
        .position(|c| c.name == name)
        .ok_or_else(|| refuse(table, &format!("no live column {name}")))?;
    Ok(match alters.entry(at) {
        std::collections::btree_map::Entry::Occupied(e) => e.into_mut(),
        std::collections::btree_map::Entry::Vacant(e) => {
            let l = &live.columns[at];
            let lc = live_col(table, l, dialect)?;
            e.insert(AlterDef {
                column: l.name.clone(),
                existing_type: lc.ty,
                existing_nullable: l.nullable,
                existing_server_default: lc.server_default,
                ..AlterDef::default()
            })
        }
    })
}

/// A table as the models declare it (a model's or an association table's).
struct Table<'a> {
    name: &'a str,
    columns: &'a [Column],
    constraints: &'a [Constraint],
}

/// The changes to one existing table.
fn table_changes(
    engine: &Engine,
    declared: &Table,
    live: &TableInfo,
    items: &[DriftItem],
    answers: &Answers,
    plan: &mut Plan,
) -> Result<Vec<AutoOp>> {
    let dialect = engine.dialect();
    let table = declared.name;
    let model = |name: &str| declared.columns.iter().find(|c| c.db_name == name);
    let live_of = |name: &str| live.columns.iter().find(|c| c.name == name);
    let missing: Vec<&str> = items
        .iter()
        .filter_map(|i| match i {
            DriftItem::MissingColumn(c) => Some(c.as_str()),
            _ => None,
        })
        .collect();
    let extra: Vec<&str> = items
        .iter()
        .filter_map(|i| match i {
            DriftItem::ExtraColumn(c) => Some(c.as_str()),
            _ => None,
        })
        .collect();
    let same_type = |old: &str, new: &str| match (live_of(old), model(new)) {
        (Some(l), Some(m)) => {
            let lt = reflected_type(&l.type_name, dialect);
            lt == m.ty || lt == reflected_type(&dialect.type_name(&m.ty), dialect)
        }
        _ => false,
    };

    // Renames: asked for by flag, or confirmed at the prompt.
    let mut renames: Vec<(String, String)> = Vec::new();
    for r in &answers.renames {
        if r.table.as_deref().is_some_and(|t| t != table) {
            continue;
        }
        if extra.contains(&r.old.as_str()) && missing.contains(&r.new.as_str()) {
            renames.push((r.old.clone(), r.new.clone()));
        } else if r.table.is_some() {
            return Err(refuse(
                table,
                &format!(
                    "--rename {table}.{}={}: the table has no column {} that the models drop and {} that they add",
                    r.old, r.new, r.old, r.new
                ),
            ));
        }
    }
    for old in &extra {
        for new in &missing {
            let taken = renames.iter().any(|(o, n)| o == old || n == new);
            if taken || !same_type(old, new) {
                continue;
            }
            let question = format!(
                "Was {table}.{old} renamed to {table}.{new} (same type)? yes renames it and keeps its values; no drops it and adds {new}"
            );
            match answers.ask {
                Some(ask) if ask(&question) => renames.push((old.to_string(), new.to_string())),
                Some(_) => {}
                None => plan.notes.push(format!(
                    "{table}.{old} disappears while {table}.{new} of the same type appears: if it is a rename, run again with --rename {table}.{old}={new} (the revision as written drops {old} and adds {new})"
                )),
            }
        }
    }

    let mut adds = Vec::new();
    let mut alters: BTreeMap<usize, AlterDef> = BTreeMap::new();
    let mut drop_constraints = Vec::new();
    let mut create_constraints = Vec::new();
    let mut drop_columns = Vec::new();
    let mut last = Vec::new();
    let mut fks_added: Vec<Vec<String>> = Vec::new();
    let model_keys = foreign_key_constraints(declared.columns, declared.constraints);

    // A renamed column: one alter_column with its new name and whatever
    // else differs between the live column and the model's.
    for (old, new) in &renames {
        let a = alter_entry(&mut alters, live, table, old, dialect)?;
        let m = model(new).ok_or_else(|| refuse(table, &format!("no model column {new}")))?;
        let mc = model_col(table, m, dialect)?;
        a.rename = Some(new.clone());
        if a.existing_nullable != mc.nullable {
            a.nullable = Some((a.existing_nullable, mc.nullable));
        }
        let l = live_of(old).ok_or_else(|| refuse(table, &format!("no live column {old}")))?;
        let same_default = match (&m.server_default, &l.default) {
            (None, None) => true,
            _ => mc.server_default == live_default(l.default.as_deref(), dialect),
        };
        if !same_default {
            a.server_default = Some((a.existing_server_default.clone(), mc.server_default));
        }
    }
    let renamed_old = |c: &str| renames.iter().any(|(o, _)| o == c);
    let renamed_new = |c: &str| renames.iter().any(|(_, n)| n == c);

    for item in items {
        match item {
            DriftItem::MissingTable | DriftItem::ExtraTable => {}
            DriftItem::Constraint(ConstraintDrift::Missing(c)) => {
                create_constraints.push(missing_constraint(table, c)?);
            }
            DriftItem::Constraint(
                ConstraintDrift::ExtraIndex(_)
                | ConstraintDrift::ExtraForeignKey(_)
                | ConstraintDrift::ExtraCheck(_),
            ) => {}
            DriftItem::Constraint(c)
                if let Some((drop, create)) = changed_constraint(table, c, live)? =>
            {
                drop_constraints.push(drop);
                create_constraints.push(create);
            }
            DriftItem::Constraint(other) => {
                let (what, detail) = other.describe();
                return Err(refuse(
                    table,
                    &format!(
                        "{what} ({detail}): ormsh does not write this change into a revision; write it by hand (`ormsh db revision -m ..`), or see it with `ormsh db diff --sql`"
                    ),
                ));
            }
            DriftItem::MissingColumn(name) if renamed_new(name) => {}
            DriftItem::MissingColumn(name) => {
                let c =
                    model(name).ok_or_else(|| refuse(table, &format!("no model column {name}")))?;
                let mut col = model_col(table, c, dialect)?;
                if !col.nullable && col.server_default.is_none() {
                    let rows = count(engine, table, None)?;
                    let given = answers.defaults.iter().find(|d| {
                        d.column == *name && d.table.as_deref().is_none_or(|t| t == table)
                    });
                    match given {
                        Some(d) => {
                            let value = model_default(
                                &crate::sql::ServerDefault::Value(Value::Text(d.value.clone())),
                                dialect,
                            );
                            col.server_default = Some(value.clone());
                            adds.push(AutoOp::AddColumn(table.to_string(), col.clone()));
                            // The one-off default fills the rows, then goes.
                            last.push(AutoOp::AlterColumn(
                                table.to_string(),
                                AlterDef {
                                    column: name.clone(),
                                    server_default: Some((Some(value.clone()), None)),
                                    existing_type: col.ty.clone(),
                                    existing_nullable: false,
                                    existing_server_default: Some(value),
                                    own_block: true,
                                    ..AlterDef::default()
                                },
                            ));
                        }
                        None if rows > 0 || dialect.add_not_null_column_needs_default() => {
                            return Err(refuse(
                                table,
                                &format!(
                                    "{name} is added NOT NULL with no server_default, and {}: give the rows a value once with --default {table}.{name}=VALUE (the revision adds it with that default and then drops the default), or make the column nullable or give it a server_default",
                                    if rows > 0 {
                                        format!(
                                            "the table has {rows} row{}",
                                            if rows == 1 { "" } else { "s" }
                                        )
                                    } else {
                                        "this database cannot add such a column even to an empty table".to_string()
                                    }
                                ),
                            ));
                        }
                        None => adds.push(AutoOp::AddColumn(table.to_string(), col)),
                    }
                } else {
                    adds.push(AutoOp::AddColumn(table.to_string(), col));
                }
                if c.index {
                    create_constraints.push(AutoOp::CreateIndex(
                        table.to_string(),
                        IndexDef {
                            name: index_name(table, name),
                            columns: vec![name.clone()],
                            unique: c.unique,
                        },
                    ));
                } else if c.unique && !c.primary_key {
                    create_constraints.push(AutoOp::CreateUnique(
                        table.to_string(),
                        unique_name(table, name),
                        vec![name.clone()],
                    ));
                }
                if let Some(key) = model_keys.iter().find(|k| k.columns.contains(name))
                    && !fks_added.contains(&key.columns)
                {
                    fks_added.push(key.columns.clone());
                    create_constraints.push(AutoOp::CreateForeignKey(
                        table.to_string(),
                        model_fk(table, key, None),
                    ));
                }
            }
            DriftItem::ExtraColumn(name) if renamed_old(name) => {}
            DriftItem::ExtraColumn(name) => {
                let l = live_of(name)
                    .ok_or_else(|| refuse(table, &format!("no live column {name}")))?;
                let values = count(engine, table, Some(name))?;
                if values > 0 {
                    plan.losses.push(format!(
                        "column {table}.{name} is dropped with its {values} value{}",
                        if values == 1 { "" } else { "s" }
                    ));
                }
                // Its own indexes go first, and come back with it in the
                // downgrade (its foreign keys are `drops::extra_drops`'s,
                // which come before).
                for i in live.indexes.iter().filter(|i| i.columns == [name.clone()]) {
                    let Some(index) = usable_name(&i.name) else {
                        continue;
                    };
                    drop_columns.push(if i.constraint {
                        AutoOp::DropUnique(table.to_string(), index, i.columns.clone())
                    } else {
                        AutoOp::DropIndex(
                            table.to_string(),
                            IndexDef {
                                name: index,
                                columns: i.columns.clone(),
                                unique: i.unique,
                            },
                        )
                    });
                }
                drop_columns.push(AutoOp::DropColumn(
                    table.to_string(),
                    live_col(table, l, dialect)?,
                ));
            }
            DriftItem::TypeDiffers {
                column: _,
                model: ty,
                live: live_ty,
            } if let Some(change) =
                super::enums::changed_values(ty, &reflected_type(live_ty, dialect), dialect) =>
            {
                if !plan.enums.iter().any(|e| e.0 == change.0) {
                    plan.enums.push(change);
                }
            }
            DriftItem::TypeDiffers {
                column, model: ty, ..
            } => {
                let a = alter_entry(&mut alters, live, table, column, dialect)?;
                let to = model_type(ty).ok_or_else(|| {
                    refuse(
                        table,
                        &format!("{column}: ormsh cannot write type {ty} in a revision"),
                    )
                })?;
                a.ty = Some((a.existing_type.clone(), to));
            }
            DriftItem::NullableDiffers {
                column,
                model: m,
                live: l,
            } => {
                let a = alter_entry(&mut alters, live, table, column, dialect)?;
                a.nullable = Some((*l, *m));
            }
            DriftItem::DefaultDiffers { column, .. } => {
                let a = alter_entry(&mut alters, live, table, column, dialect)?;
                let to = model(column)
                    .and_then(|c| c.server_default.as_ref())
                    .map(|d| model_default(d, dialect));
                a.server_default = Some((a.existing_server_default.clone(), to));
            }
            DriftItem::MissingUnique(column) | DriftItem::MissingIndex(column) => {
                let unique = matches!(item, DriftItem::MissingUnique(_));
                let indexed = model(column).is_some_and(|c| c.index);
                let name = if indexed || !unique {
                    index_name(table, column)
                } else {
                    unique_name(table, column)
                };
                // An index of that name with the other uniqueness is made again.
                if let Some(old) = live.indexes.iter().find(|i| i.name == name) {
                    drop_constraints.push(AutoOp::DropIndex(
                        table.to_string(),
                        IndexDef {
                            name: old.name.clone(),
                            columns: old.columns.clone(),
                            unique: old.unique,
                        },
                    ));
                }
                create_constraints.push(if indexed || !unique {
                    AutoOp::CreateIndex(
                        table.to_string(),
                        IndexDef {
                            name,
                            columns: vec![column.clone()],
                            unique,
                        },
                    )
                } else {
                    AutoOp::CreateUnique(table.to_string(), name, vec![column.clone()])
                });
            }
            DriftItem::MissingForeignKey { column, .. } => {
                if let Some(key) = model_keys.iter().find(|k| k.columns.contains(column))
                    && !fks_added.contains(&key.columns)
                {
                    fks_added.push(key.columns.clone());
                    create_constraints.push(AutoOp::CreateForeignKey(
                        table.to_string(),
                        model_fk(table, key, None),
                    ));
                }
            }
            DriftItem::ForeignKeyActionsDiffer { column, name, .. } => {
                let Some(live_name) = usable_name(name) else {
                    return Err(refuse(
                        table,
                        &format!(
                            "the foreign key on {column} has other ON DELETE/ON UPDATE actions than the models', and the database gave it no name to drop it by; write this change by hand"
                        ),
                    ));
                };
                let Some(f) = live.foreign_keys.iter().find(|f| f.name == *name) else {
                    continue;
                };
                let Some(key) = model_keys.iter().find(|k| k.columns.contains(column)) else {
                    continue;
                };
                if fks_added.contains(&key.columns) {
                    continue;
                }
                fks_added.push(key.columns.clone());
                drop_constraints.push(AutoOp::DropForeignKey(
                    table.to_string(),
                    FkDef::live(f, Some(live_name.clone())),
                ));
                create_constraints.push(AutoOp::CreateForeignKey(
                    table.to_string(),
                    model_fk(table, key, Some(live_name)),
                ));
            }
        }
    }
    let extras = crate::orm::schema::drift::extra_constraints(items);
    let dropped: Vec<&str> = extra.iter().copied().filter(|c| !renamed_old(c)).collect();
    let drop_extras = super::drops::extra_drops(engine, table, &extras, &dropped)?;
    let create_constraints = super::drops::with_key_indexes(dialect, live, create_constraints);
    let alters = alters
        .into_values()
        .map(|a| AutoOp::AlterColumn(table.to_string(), a));
    Ok(adds
        .into_iter()
        .chain(alters)
        .chain(drop_extras)
        .chain(drop_constraints)
        .chain(create_constraints)
        .chain(drop_columns)
        .chain(last)
        .collect())
}
