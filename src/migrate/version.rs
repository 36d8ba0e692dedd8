//! The `alembic_version` table exactly as Alembic keeps it: `version_num
//! VARCHAR(32) NOT NULL` under the primary key `alembic_version_pkc`, one row
//! per head the database is at; read, created on the first upgrade, and
//! brought from one set of heads to the next with Alembic's UPDATE, INSERT
//! and DELETE.

use super::ddl::{Ddl, Planned};
use crate::engine::Engine;
use crate::error::Result;
use crate::sql::{Bind, Compiled, Value};

pub const TABLE: &str = "alembic_version";

pub fn exists(engine: &Engine) -> Result<bool> {
    Ok(engine.table_names()?.iter().any(|t| t == TABLE))
}

/// The revisions the database is at (none when it has no `alembic_version`).
pub fn current(engine: &Engine) -> Result<Vec<String>> {
    if !exists(engine)? {
        return Ok(Vec::new());
    }
    let ddl = Ddl {
        d: engine.dialect(),
    };
    let stmt = Compiled {
        sql: format!("SELECT version_num FROM {}", ddl.q(TABLE)),
        binds: Vec::new(),
    };
    let (_, rows) = engine.fetch_named(&stmt)?;
    Ok(rows
        .into_iter()
        .filter_map(|r| match r.into_iter().next() {
            Some(Value::Text(s)) => Some(s),
            _ => None,
        })
        .collect())
}

pub fn create(ddl: &Ddl) -> Planned {
    Planned::ddl(format!(
        "CREATE TABLE {} (\n\tversion_num VARCHAR(32) NOT NULL, \n\tCONSTRAINT alembic_version_pkc PRIMARY KEY (version_num)\n)",
        ddl.q(TABLE)
    ))
}

/// A statement whose `{}` markers are the values, bound (and written as
/// literals for `--sql`).
fn bound(ddl: &Ddl, parts: &[&str], values: &[&str]) -> Planned {
    let mut sql = String::new();
    let mut offline = String::new();
    for (i, p) in parts.iter().enumerate() {
        sql.push_str(p);
        offline.push_str(p);
        if let Some(v) = values.get(i) {
            ddl.d.write_placeholder(i + 1, &mut sql);
            offline.push_str(&ddl.d.string_literal(v));
        }
    }
    Planned {
        compiled: Compiled {
            sql,
            binds: values
                .iter()
                .map(|v| Bind {
                    value: Value::Text(v.to_string()),
                    ty: None,
                })
                .collect(),
        },
        offline,
    }
}

/// The statements that turn the rows `before` into `after`: an UPDATE for
/// each head replaced, then INSERTs and DELETEs.
pub fn changes(ddl: &Ddl, before: &[String], after: &[String]) -> Vec<Planned> {
    let t = ddl.q(TABLE);
    let removed: Vec<&String> = before.iter().filter(|b| !after.contains(b)).collect();
    let added: Vec<&String> = after.iter().filter(|a| !before.contains(a)).collect();
    let mut out = Vec::new();
    let pairs = removed.len().min(added.len());
    for i in 0..pairs {
        out.push(bound(
            ddl,
            &[
                &format!("UPDATE {t} SET version_num="),
                &format!(" WHERE {t}.version_num = "),
                "",
            ],
            &[added[i], removed[i]],
        ));
    }
    for a in &added[pairs..] {
        out.push(bound(
            ddl,
            &[&format!("INSERT INTO {t} (version_num) VALUES ("), ")"],
            &[a],
        ));
    }
    for r in &removed[pairs..] {
        out.push(bound(
            ddl,
            &[&format!("DELETE FROM {t} WHERE {t}.version_num = "), ""],
            &[r],
        ));
    }
    out
}
