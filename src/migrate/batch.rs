//! SQLite's batch mode, as Alembic's `recreate="auto"` does it: when a
//! `batch_alter_table` block holds an operation SQLite cannot do in place,
//! the live table is read (columns, key, unique constraints, foreign keys
//! with their actions, indexes), the block's operations are applied to that
//! picture, and the table is rebuilt: `CREATE TABLE _alembic_tmp_t`, the
//! rows copied, the old table dropped, the new one renamed, its indexes made
//! again. As in Alembic, an unnamed CHECK constraint read from the live
//! table is not carried over; a named one is.

use super::ddl::{Ddl, Planned};
use super::items::Col;
use super::op::{Op, OpKind};
use crate::engine::Engine;
use crate::sql::introspect::{column_list, named_constraints};
use crate::sql::{Bind, Compiled, Value};

struct LiveCol {
    name: String,
    ty: String,
    notnull: bool,
    default: Option<String>,
    /// The column it is copied from; none for a column the block adds.
    from: Option<String>,
}

struct LiveFk {
    name: Option<String>,
    columns: Vec<String>,
    ref_table: String,
    ref_columns: Vec<String>,
    on_update: Option<String>,
    on_delete: Option<String>,
}

struct Live {
    columns: Vec<LiveCol>,
    pk: Vec<String>,
    uniques: Vec<(Option<String>, Vec<String>)>,
    fks: Vec<LiveFk>,
    checks: Vec<(Option<String>, String)>,
    indexes: Vec<(String, Vec<String>, bool)>,
}

fn text(v: &Value) -> String {
    match v {
        Value::Text(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    }
}

fn fetch(engine: &Engine, sql: &str, table: &str) -> crate::error::Result<Vec<Vec<Value>>> {
    let stmt = Compiled {
        sql: sql.to_string(),
        binds: vec![Bind {
            value: Value::Text(table.to_string()),
            ty: None,
        }],
    };
    Ok(engine.fetch_named(&stmt)?.1)
}

fn read(engine: &Engine, table: &str) -> Result<Live, String> {
    let q = engine
        .dialect()
        .rebuild_sql()
        .ok_or("this database alters tables in place")?;
    let err = |e: crate::error::Error| e.to_string();
    let sql_rows = fetch(engine, q.table_sql, table).map_err(err)?;
    let Some(create) = sql_rows.first().and_then(|r| r.first()).map(text) else {
        return Err(format!(
            "batch_alter_table('{table}'): there is no table {table}"
        ));
    };
    let names = named_constraints(&create);
    let mut live = Live {
        columns: Vec::new(),
        pk: Vec::new(),
        uniques: Vec::new(),
        fks: Vec::new(),
        checks: Vec::new(),
        indexes: Vec::new(),
    };
    let mut pk: Vec<(i64, String)> = Vec::new();
    for r in fetch(engine, q.columns, table).map_err(err)? {
        let name = text(&r[0]);
        if let Value::Int(n) = r[4]
            && n > 0
        {
            pk.push((n, name.clone()));
        }
        live.columns.push(LiveCol {
            ty: text(&r[1]),
            notnull: matches!(r[2], Value::Int(1)),
            default: (!r[3].is_null()).then(|| text(&r[3])),
            from: Some(name.clone()),
            name,
        });
    }
    pk.sort();
    live.pk = pk.into_iter().map(|(_, n)| n).collect();
    let mut last_id = None;
    for r in fetch(engine, q.foreign_keys, table).map_err(err)? {
        let id = text(&r[0]);
        let action = |v: &Value| Some(text(v)).filter(|a| a != "NO ACTION");
        if last_id.as_ref() != Some(&id) {
            live.fks.push(LiveFk {
                name: None,
                columns: Vec::new(),
                ref_table: text(&r[2]),
                ref_columns: Vec::new(),
                on_update: action(&r[4]),
                on_delete: action(&r[5]),
            });
            last_id = Some(id);
        }
        if let Some(fk) = live.fks.last_mut() {
            fk.columns.push(text(&r[1]));
            fk.ref_columns.push(text(&r[3]));
        }
    }
    // Named CHECK constraints are kept (Alembic drops only unnamed ones).
    for (name, kind, expr) in &names {
        if kind == "CHECK" {
            live.checks.push((Some(name.clone()), expr.clone()));
        }
    }
    for fk in &mut live.fks {
        fk.name = names
            .iter()
            .find(|(_, k, l)| k == "FOREIGN" && column_list(l) == fk.columns)
            .map(|(n, _, _)| n.clone());
    }
    let mut indexes: Vec<(String, Vec<String>, bool, String)> = Vec::new();
    for r in fetch(engine, q.indexes, table).map_err(err)? {
        let name = text(&r[0]);
        match indexes.iter_mut().find(|i| i.0 == name) {
            Some(i) => i.1.push(text(&r[1])),
            None => indexes.push((
                name,
                vec![text(&r[1])],
                matches!(r[2], Value::Int(1)),
                text(&r[3]),
            )),
        }
    }
    for (name, cols, unique, origin) in indexes {
        if origin == "u" {
            let cname = names
                .iter()
                .find(|(_, k, l)| k == "UNIQUE" && column_list(l) == cols)
                .map(|(n, _, _)| n.clone());
            live.uniques.push((cname, cols));
        } else {
            live.indexes.push((name, cols, unique));
        }
    }
    Ok(live)
}

/// Names for the live table's unnamed foreign keys and unique constraints
/// from a batch block's `naming_convention=`, as SQLAlchemy names them when
/// Alembic's batch reflects the table into a MetaData with that convention.
fn name_by_convention(t: &mut Live, table: &str, pairs: &[(String, String)]) -> Result<(), String> {
    if pairs.is_empty() {
        return Ok(());
    }
    for fk in t.fks.iter_mut().filter(|f| f.name.is_none()) {
        fk.name = convention_name(
            pairs,
            table,
            &fk.columns,
            Some((&fk.ref_table, &fk.ref_columns)),
        )?;
    }
    for (name, cols) in t.uniques.iter_mut().filter(|(n, _)| n.is_none()) {
        *name = convention_name(pairs, table, cols, None)?;
    }
    Ok(())
}

/// The name `pairs` (a batch block's `naming_convention=`) gives an unnamed
/// foreign key (`referred`: its table and columns) or, without `referred`,
/// an unnamed unique constraint of `columns` on `table`; none when the
/// convention has no template for it.
pub fn convention_name(
    pairs: &[(String, String)],
    table: &str,
    columns: &[String],
    referred: Option<(&str, &[String])>,
) -> Result<Option<String>, String> {
    use crate::orm::mapping::naming_convention::{NamingConvention, Subject};
    let convention = NamingConvention::new(pairs.to_vec()).map_err(|e| e.to_string())?;
    let subject = Subject {
        table,
        columns: columns.iter().map(|c| (c.as_str(), c.as_str())).collect(),
        referred_table: referred.map(|(t, _)| t),
        referred_columns: referred.map_or_else(Vec::new, |(_, cols)| {
            cols.iter().map(String::as_str).collect()
        }),
        name: None,
    };
    let kind = if referred.is_some() { "fk" } else { "uq" };
    convention.name(kind, &subject).map_err(|e| e.to_string())
}

/// The names a live SQLite table's UNIQUE constraints and foreign keys
/// carry in its CREATE TABLE text (`None` for unnamed ones): (columns,
/// name) of each unique constraint, (columns, referred table, name) of
/// each foreign key.
#[allow(clippy::type_complexity)]
pub fn constraint_names(
    engine: &Engine,
    table: &str,
) -> Result<
    (
        Vec<(Vec<String>, Option<String>)>,
        Vec<(Vec<String>, String, Option<String>)>,
    ),
    String,
> {
    let t = read(engine, table)?;
    Ok((
        t.uniques.into_iter().map(|(n, c)| (c, n)).collect(),
        t.fks
            .into_iter()
            .map(|f| (f.columns, f.ref_table, f.name))
            .collect(),
    ))
}

/// The statements that rebuild `table` with `ops` applied, reading it
/// through `engine` (inside the revision's transaction).
pub fn rebuild(
    engine: &Engine,
    ddl: &Ddl,
    table: &str,
    ops: &[Op],
    naming_convention: &[(String, String)],
) -> Result<Vec<Planned>, String> {
    let mut t = read(engine, table)?;
    name_by_convention(&mut t, table, naming_convention)?;
    let mut after: Vec<Planned> = Vec::new();
    for op in ops {
        apply(ddl, &mut t, op, &mut after, table)?;
    }
    let tmp = format!("_alembic_tmp_{table}");
    let mut parts: Vec<String> = t
        .columns
        .iter()
        .map(|c| {
            let mut s = format!("{} {}", ddl.q(&c.name), c.ty);
            if let Some(d) = &c.default {
                s.push_str(&format!(" DEFAULT {d}"));
            }
            if c.notnull {
                s.push_str(" NOT NULL");
            }
            s
        })
        .collect();
    let named = |n: &Option<String>| {
        n.as_ref()
            .map_or_else(String::new, |n| format!("CONSTRAINT {} ", ddl.q(n)))
    };
    let qlist = |l: &[String]| l.iter().map(|c| ddl.q(c)).collect::<Vec<_>>().join(", ");
    if !t.pk.is_empty() {
        parts.push(format!("PRIMARY KEY ({})", qlist(&t.pk)));
    }
    // Named constraints first, then the unnamed, as Alembic's batch does.
    let mut constraints: Vec<(bool, String)> = Vec::new();
    for (n, cols) in &t.uniques {
        constraints.push((n.is_some(), format!("{}UNIQUE ({})", named(n), qlist(cols))));
    }
    for (n, sql) in &t.checks {
        constraints.push((n.is_some(), format!("{}CHECK ({sql})", named(n))));
    }
    for fk in &t.fks {
        let mut s = format!(
            "{}FOREIGN KEY({}) REFERENCES {} ({})",
            named(&fk.name),
            qlist(&fk.columns),
            ddl.q(&fk.ref_table),
            qlist(&fk.ref_columns)
        );
        if let Some(a) = &fk.on_update {
            s.push_str(&format!(" ON UPDATE {a}"));
        }
        if let Some(a) = &fk.on_delete {
            s.push_str(&format!(" ON DELETE {a}"));
        }
        constraints.push((fk.name.is_some(), s));
    }
    constraints.sort_by_key(|(is_named, _)| !is_named);
    parts.extend(constraints.into_iter().map(|(_, s)| s));
    let mut out = vec![Planned::ddl(format!(
        "CREATE TABLE {} (\n\t{}\n)",
        ddl.q(&tmp),
        parts.join(",\n\t")
    ))];
    let copied: Vec<&LiveCol> = t.columns.iter().filter(|c| c.from.is_some()).collect();
    let to: Vec<String> = copied.iter().map(|c| ddl.q(&c.name)).collect();
    let from: Vec<String> = copied
        .iter()
        .map(|c| ddl.q(c.from.as_deref().unwrap_or_default()))
        .collect();
    out.push(Planned::ddl(format!(
        "INSERT INTO {} ({}) SELECT {} FROM {}",
        ddl.q(&tmp),
        to.join(", "),
        from.join(", "),
        ddl.q(table)
    )));
    out.push(Planned::ddl(format!("DROP TABLE {}", ddl.q(table))));
    out.push(Planned::ddl(format!(
        "ALTER TABLE {} RENAME TO {}",
        ddl.q(&tmp),
        ddl.q(table)
    )));
    for (name, cols, unique) in &t.indexes {
        out.push(ddl.create_index(name, table, cols, *unique));
    }
    out.extend(after);
    Ok(out)
}

fn apply(
    ddl: &Ddl,
    t: &mut Live,
    op: &Op,
    _after: &mut Vec<Planned>,
    table: &str,
) -> Result<(), String> {
    let at = |what: String| format!("line {}: {what}", op.line);
    let find = |t: &Live, name: &str| t.columns.iter().position(|c| c.name == name);
    match &op.kind {
        OpKind::AddColumn { column, .. } => add_column(ddl, t, column),
        OpKind::DropColumn { column, .. } => {
            let Some(i) = find(t, column) else {
                return Err(at(format!("table {table} has no column {column}")));
            };
            t.columns.remove(i);
            t.pk.retain(|c| c != column);
            t.uniques.retain(|(_, cols)| !cols.contains(column));
            t.fks.retain(|f| !f.columns.contains(column));
            t.indexes.retain(|(_, cols, _)| !cols.contains(column));
        }
        OpKind::AlterColumn(a) => {
            let Some(i) = find(t, &a.column) else {
                return Err(at(format!("table {table} has no column {}", a.column)));
            };
            let c = &mut t.columns[i];
            if let Some(n) = a.nullable {
                c.notnull = !n;
            }
            if let Some(ty) = &a.type_ {
                c.ty = ddl.d.sqlalchemy_type_name(ty);
            }
            if let Some(d) = &a.server_default {
                c.default = d.as_ref().map(|d| ddl.default_sql(d));
            }
            if let Some(new) = &a.new_name {
                let old = std::mem::replace(&mut c.name, new.clone());
                let rename = |cols: &mut Vec<String>| {
                    for col in cols.iter_mut().filter(|x| **x == old) {
                        col.clone_from(new);
                    }
                };
                rename(&mut t.pk);
                t.uniques.iter_mut().for_each(|(_, c)| rename(c));
                t.fks.iter_mut().for_each(|f| rename(&mut f.columns));
                t.indexes.iter_mut().for_each(|(_, c, _)| rename(c));
            }
        }
        OpKind::CreateIndex {
            name,
            columns,
            unique,
            ..
        } => t.indexes.push((name.clone(), columns.clone(), *unique)),
        OpKind::DropIndex { name, .. } => {
            let before = t.indexes.len();
            t.indexes.retain(|(n, _, _)| n != name);
            if t.indexes.len() == before {
                return Err(at(format!("table {table} has no index {name}")));
            }
        }
        OpKind::CreateUnique { name, columns, .. } => {
            t.uniques.push((name.clone(), columns.clone()))
        }
        OpKind::CreateCheck {
            name, condition, ..
        } => t.checks.push((name.clone(), condition.clone())),
        OpKind::CreateForeignKey { key, .. } => t.fks.push(LiveFk {
            name: key.name.clone(),
            columns: key.columns.clone(),
            ref_table: key.ref_table.clone(),
            ref_columns: key.ref_columns.clone(),
            on_update: key.onupdate.clone(),
            on_delete: key.ondelete.clone(),
        }),
        OpKind::DropConstraint { name, .. } => {
            let n = Some(name.clone());
            let before = t.uniques.len() + t.fks.len() + t.checks.len();
            t.uniques.retain(|(x, _)| *x != n);
            t.fks.retain(|f| f.name != n);
            t.checks.retain(|(x, _)| *x != n);
            if t.uniques.len() + t.fks.len() + t.checks.len() == before {
                return Err(at(format!(
                    "table {table} has no constraint named {name} that ormsh can see (SQLite keeps only the names written in CREATE TABLE)"
                )));
            }
        }
        _ => return Err(at("this operation cannot be part of a batch block".into())),
    }
    Ok(())
}

fn add_column(ddl: &Ddl, t: &mut Live, c: &Col) {
    t.columns.push(LiveCol {
        name: c.name.clone(),
        ty: ddl.d.sqlalchemy_type_name(&c.ty),
        notnull: !c.nullable,
        default: c.server_default.as_ref().map(|d| ddl.default_sql(d)),
        from: None,
    });
    if let Some(fk) = &c.foreign_key {
        t.fks.push(LiveFk {
            name: fk.name.clone(),
            columns: fk.columns.clone(),
            ref_table: fk.ref_table.clone(),
            ref_columns: fk.ref_columns.clone(),
            on_update: fk.onupdate.clone(),
            on_delete: fk.ondelete.clone(),
        });
    }
    if c.unique {
        t.uniques.push((None, vec![c.name.clone()]));
    }
}
