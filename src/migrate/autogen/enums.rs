//! A named enum type whose values the models change (PostgreSQL's `CREATE
//! TYPE .. AS ENUM`), which Alembic's autogenerate does not see: written as
//! `op.execute(..)` statements real Alembic runs. Values only added (in
//! the models' order) are `ALTER TYPE .. ADD VALUE .. BEFORE/AFTER ..`;
//! anything else makes the type again: the old one renamed, the new one
//! created, every column that uses it cast to it through text (its default
//! dropped and set again around the cast), the old one dropped. The
//! downgrade makes the old values again the same way, and fails, as the
//! database refuses it, while rows hold a value the old type lacks. Rows
//! that hold a value the upgrade removes stop `db migrate` with their count.
//! A value added and used as a server default in the same revision is
//! added in `with op.get_context().autocommit_block():`, since PostgreSQL
//! refuses a value `ADD VALUE` made until it is committed ("unsafe use of
//! new value"), and before 12 refuses `ADD VALUE` in a transaction at all.

use super::defs::refuse;
use super::ops::AutoOp;
use crate::engine::Engine;
use crate::error::Result;
use crate::migrate::ddl::Ddl;
use crate::sql::introspect::unqualified;
use crate::sql::{Bind, ColumnType, Compiled, Dialect, Value};

/// One column that uses the type: (table, column, its default's value).
#[derive(Debug, Clone, PartialEq)]
pub struct EnumColumn {
    pub table: String,
    pub column: String,
    pub default: Option<String>,
}

/// The type `name` going from `old` values to `new`.
#[derive(Debug, Clone, PartialEq)]
pub struct EnumChange {
    pub name: String,
    pub old: Vec<String>,
    pub new: Vec<String>,
    pub columns: Vec<EnumColumn>,
    /// The statements from `old` to `new`, and back, made for the
    /// database at hand.
    pub up: Vec<String>,
    pub down: Vec<String>,
    /// `up` runs in an autocommit block (`mark_autocommit`).
    pub autocommit: bool,
}

impl EnumChange {
    /// The change back.
    pub fn reverse(self) -> EnumChange {
        EnumChange {
            old: self.new,
            new: self.old,
            up: self.down,
            down: self.up,
            autocommit: false,
            ..self
        }
    }
}

/// The named enum types of `model` and `live` when they are one type with
/// other values: (name, live values, model values).
pub(super) fn changed_values(
    model: &ColumnType,
    live: &ColumnType,
    dialect: &dyn Dialect,
) -> Option<(String, Vec<String>, Vec<String>)> {
    if !dialect.makes_enum_types() {
        return None;
    }
    match (model, live) {
        (ColumnType::Enum(m), ColumnType::Enum(l))
            if m.name.is_some() && m.name == l.name && m.values != l.values =>
        {
            Some((m.name.clone()?, l.values.clone(), m.values.clone()))
        }
        _ => None,
    }
}

/// Whether `new` is `old` with values added, `old`'s kept in order.
fn only_added(old: &[String], new: &[String]) -> bool {
    let kept: Vec<&String> = new.iter().filter(|v| old.contains(v)).collect();
    kept.len() == old.len() && kept.iter().zip(old).all(|(a, b)| *a == b)
}

/// The statements that take the type from `old` to `new`.
fn statements(
    ddl: &Ddl,
    name: &str,
    old: &[String],
    new: &[String],
    columns: &[EnumColumn],
) -> Vec<String> {
    let lit = |v: &str| ddl.d.string_literal(v);
    let ty = ddl.q(name);
    if only_added(old, new) {
        let mut out = Vec::new();
        for (k, v) in new.iter().enumerate() {
            if old.contains(v) {
                continue;
            }
            out.push(match k.checked_sub(1).map(|p| &new[p]) {
                Some(prev) => format!("ALTER TYPE {ty} ADD VALUE {} AFTER {}", lit(v), lit(prev)),
                None => format!(
                    "ALTER TYPE {ty} ADD VALUE {} BEFORE {}",
                    lit(v),
                    lit(&old[0])
                ),
            });
        }
        return out;
    }
    let was = ddl.q(&format!("{name}_old"));
    let values: Vec<String> = new.iter().map(|v| lit(v)).collect();
    let mut out = vec![
        format!("ALTER TYPE {ty} RENAME TO {was}"),
        format!("CREATE TYPE {ty} AS ENUM ({})", values.join(", ")),
    ];
    for c in columns {
        let (t, col) = (ddl.q(&c.table), ddl.q(&c.column));
        if c.default.is_some() {
            out.push(format!("ALTER TABLE {t} ALTER COLUMN {col} DROP DEFAULT"));
        }
        out.push(format!(
            "ALTER TABLE {t} ALTER COLUMN {col} TYPE {ty} USING {col}::text::{ty}"
        ));
        if let Some(d) = &c.default {
            out.push(format!(
                "ALTER TABLE {t} ALTER COLUMN {col} SET DEFAULT {}",
                lit(d)
            ));
        }
    }
    out.push(format!("DROP TYPE {was}"));
    out
}

/// The operation for the type `name` (`old` → `new`), with every live
/// column that uses it; refused while rows hold a value `new` drops, or a
/// column's default is one.
pub(super) fn enum_change(
    engine: &Engine,
    name: &str,
    old: Vec<String>,
    new: Vec<String>,
) -> Result<AutoOp> {
    let dialect = engine.dialect();
    let ddl = Ddl { d: dialect };
    let removed: Vec<&String> = old.iter().filter(|v| !new.contains(v)).collect();
    let mut columns = Vec::new();
    for t in engine.describe_all()? {
        for c in &t.columns {
            let ColumnType::Enum(e) = crate::sql::dialect::reflected_type(&c.type_name, dialect)
            else {
                continue;
            };
            if e.name.as_deref() != Some(name) {
                continue;
            }
            let default = c.default.as_deref().and_then(|d| dialect.read_default(d));
            let table = unqualified(&t.name).to_string();
            if let Some(d) = &default
                && removed.contains(&d)
            {
                return Err(refuse(
                    &table,
                    &format!(
                        "{}'s server_default '{d}' is a value the enum type {name} loses; give the column another default first (a revision of its own), then run db migrate again",
                        c.name
                    ),
                ));
            }
            if !removed.is_empty() {
                let mut sql = format!(
                    "SELECT count(*) FROM {} WHERE CAST({} AS TEXT) IN (",
                    ddl.q(&t.name),
                    ddl.q(&c.name)
                );
                let mut binds = Vec::new();
                for (i, v) in removed.iter().enumerate() {
                    if i > 0 {
                        sql.push_str(", ");
                    }
                    dialect.write_placeholder(i + 1, &mut sql);
                    binds.push(Bind {
                        value: Value::Text(v.to_string()),
                        ty: None,
                    });
                }
                sql.push(')');
                let (_, rows) = engine.fetch_named(&Compiled { sql, binds })?;
                let n = match rows.first().and_then(|r| r.first()) {
                    Some(Value::Int(n)) => *n,
                    Some(Value::Text(s)) => s.parse().unwrap_or(0),
                    _ => 0,
                };
                if n > 0 {
                    let quoted: Vec<String> = removed.iter().map(|v| format!("'{v}'")).collect();
                    return Err(refuse(
                        &table,
                        &format!(
                            "{n} row{} of {table}.{} hold{} {}, which the enum type {name} loses: the upgrade would fail on them; change those rows first, then run db migrate again",
                            if n == 1 { "" } else { "s" },
                            c.name,
                            if n == 1 { "s" } else { "" },
                            quoted.join(", ")
                        ),
                    ));
                }
            }
            columns.push(EnumColumn {
                table,
                column: c.name.clone(),
                default,
            });
        }
    }
    Ok(AutoOp::EnumValues(EnumChange {
        name: name.to_string(),
        up: statements(&ddl, name, &old, &new, &columns),
        down: statements(&ddl, name, &new, &old, &columns),
        old,
        new,
        columns,
        autocommit: false,
    }))
}

/// The first enum change of `ops` (or of their reverses, the downgrade)
/// that needs an autocommit block, as (type, values added).
pub(super) fn needing_autocommit(ops: &[AutoOp]) -> Option<(String, Vec<String>)> {
    let mut up = ops.to_vec();
    let mut down: Vec<AutoOp> = ops.iter().rev().map(AutoOp::reverse).collect();
    mark_autocommit(&mut up);
    mark_autocommit(&mut down);
    up.iter().chain(&down).find_map(|o| match o {
        AutoOp::EnumValues(e) if e.autocommit => Some((
            e.name.clone(),
            e.new
                .iter()
                .filter(|v| !e.old.contains(v))
                .cloned()
                .collect(),
        )),
        _ => None,
    })
}

/// Marks each enum change of `ops` whose added values another operation
/// of `ops` (in the same direction) gives a column as its server default:
/// those values are added in an autocommit block, committed before they
/// are used.
pub(super) fn mark_autocommit(ops: &mut [AutoOp]) {
    let defaults: Vec<String> = ops
        .iter()
        .flat_map(|o| match o {
            AutoOp::AddColumn(_, c) => c.server_default.clone().into_iter().collect(),
            AutoOp::CreateTable(t, _) => t
                .columns
                .iter()
                .filter_map(|c| c.server_default.clone())
                .collect(),
            AutoOp::AlterColumn(_, a) => a
                .server_default
                .as_ref()
                .and_then(|d| d.1.clone())
                .into_iter()
                .collect(),
            _ => Vec::new(),
        })
        .collect();
    let uses = |v: &str| {
        let literal = format!("'{}'", v.replace('\'', "''"));
        defaults
            .iter()
            .any(|d| *d == crate::migrate::script::py_str(v) || d.contains(&literal))
    };
    for op in ops.iter_mut() {
        if let AutoOp::EnumValues(e) = op {
            e.autocommit =
                only_added(&e.old, &e.new) && e.new.iter().any(|v| !e.old.contains(v) && uses(v));
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn values_only_added_keep_the_old_order() {
        let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert!(super::only_added(
            &s(&["a", "b"]),
            &s(&["x", "a", "y", "b", "z"])
        ));
        assert!(!super::only_added(&s(&["a", "b"]), &s(&["b", "a"])));
        assert!(!super::only_added(&s(&["a", "b"]), &s(&["a"])));
    }
}
