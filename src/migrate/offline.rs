//! `--sql`, Alembic's offline mode: the script an upgrade, a downgrade or a
//! stamp would run, written out instead of run. Like Alembic, it reads no
//! database: it starts at base, or at the `FROM` of `FROM:TO`, and it needs
//! only the database's kind.

use super::apply::{self, Direction, Planned1};
use super::ddl::{Ddl, Step};
use super::graph::Graph;
use super::version;
use crate::error::{Error, Result};

/// `upgrade --sql` / `downgrade --sql` to `rev` (`TO`, or `FROM:TO`; a
/// downgrade needs the range), with the functions of `database` in a
/// multi-database folder (`None`: `upgrade()`/`downgrade()`). A revision
/// that cannot be read stops it before anything is written.
pub fn migrate(
    g: &Graph,
    ddl: &Ddl,
    dir: Direction,
    rev: &str,
    database: Option<&str>,
) -> Result<String> {
    let (from, to) = match rev.split_once(':') {
        Some((f, t)) => (super::commands::named_heads(g, f)?, t.to_string()),
        None if dir == Direction::Down => {
            return Err(Error::Config(
                "downgrade with --sql needs a range: `db downgrade --sql FROM:TO`".into(),
            ));
        }
        None => (Vec::new(), rev.to_string()),
    };
    let revs = apply::path(g, dir, &from, &to)?;
    let (planned, refusal) = apply::plan_for(g, ddl, dir, &revs, database);
    if let Some(e) = refusal {
        return Err(Error::Invalid(e));
    }
    script(g, ddl, dir, &from, &planned)
}

/// `stamp --sql` to `rev` (`TO`, or `FROM:TO`): the `alembic_version`
/// statements alone.
pub fn stamp(g: &Graph, ddl: &Ddl, rev: &str) -> Result<String> {
    let (current, to) = match rev.split_once(':') {
        Some((f, t)) => (super::commands::named_heads(g, f)?, t),
        None => (Vec::new(), rev),
    };
    let targets = super::commands::named_heads(g, to)?;
    let mut out = String::new();
    if current.is_empty() {
        out.push_str(&format!("{};\n\n", version::create(ddl).offline));
    }
    for s in version::changes(ddl, &current, &targets) {
        out.push_str(&format!("{};\n\n", s.offline));
    }
    if targets.is_empty() && !current.is_empty() {
        out.push_str(&format!("DROP TABLE {};\n\n", ddl.q(version::TABLE)));
    }
    Ok(in_transaction(ddl, out))
}

/// The statements of the planned revisions as a script, from `current`.
fn script(
    graph: &Graph,
    ddl: &Ddl,
    dir: Direction,
    current: &[String],
    planned: &[Planned1],
) -> Result<String> {
    let mut out = String::new();
    if current.is_empty() && dir == Direction::Up {
        out.push_str(&format!("{};\n\n", version::create(ddl).offline));
    }
    let mut heads = current.to_vec();
    for p in planned {
        out.push_str(&format!("-- {}\n\n", p.message));
        for step in &p.steps {
            step_sql(graph, ddl, &p.id, step, &mut out)?;
        }
        let after = apply::next_heads(graph, dir, &heads, &p.id);
        for s in version::changes(ddl, &heads, &after) {
            out.push_str(&format!("{};\n\n", s.offline));
        }
        heads = after;
    }
    if dir == Direction::Down && heads.is_empty() {
        out.push_str(&format!("DROP TABLE {};\n\n", ddl.q(version::TABLE)));
    }
    Ok(in_transaction(ddl, out))
}

/// `body` between BEGIN and COMMIT where DDL is transactional.
fn in_transaction(ddl: &Ddl, body: String) -> String {
    if ddl.d.ddl_commits() {
        body
    } else {
        format!("BEGIN;\n\n{body}COMMIT;\n\n")
    }
}

/// One step of revision `id`: an autocommit block ends the script's
/// transaction before it and begins one after it, as Alembic prints it.
fn step_sql(graph: &Graph, ddl: &Ddl, id: &str, step: &Step, out: &mut String) -> Result<()> {
    match step {
        Step::Sql(s) => out.push_str(&format!("{};\n\n", s.offline)),
        Step::Autocommit(steps) => {
            let transactional = !ddl.d.ddl_commits();
            if transactional {
                out.push_str("COMMIT;\n\n");
            }
            for s in steps {
                step_sql(graph, ddl, id, s, out)?;
            }
            if transactional {
                out.push_str("BEGIN;\n\n");
            }
        }
        Step::Rebuild { table, .. } => {
            return Err(Error::Invalid(format!(
                "{}: batch_alter_table('{table}') rebuilds the table on SQLite from the live table, which --sql does not read (run the upgrade, or apply it with flask db upgrade --sql and a copy_from table)",
                graph.get(id).label
            )));
        }
    }
    Ok(())
}
