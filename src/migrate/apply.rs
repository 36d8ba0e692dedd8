//! Upgrades and downgrades: the path of revisions from what the database is
//! at to the target, every revision on it read and planned before anything
//! runs (a revision ormsh cannot read stops the run before it, with those
//! before it applied), then each revision in its own transaction with its
//! `alembic_version` change (an autocommit block commits that transaction,
//! runs outside any, and begins a new one, as Alembic's does). `--sql`
//! prints the same plan (`offline.rs`).

use std::collections::BTreeSet;

use super::batch;
use super::ddl::{Ddl, Step};
use super::graph::Graph;
use super::ops;
use super::version;
use crate::engine::Engine;
use crate::error::{Error, Result};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Up,
    Down,
}

/// The revisions to run, in order, from `current` to `target`.
pub fn path(
    graph: &Graph,
    dir: Direction,
    current: &[String],
    target: &str,
) -> Result<Vec<String>> {
    for c in current {
        if !graph.revisions.iter().any(|r| r.id == *c) {
            return Err(Error::Config(format!(
                "Can't locate revision identified by '{c}': the database is at a revision the migrations folder does not have"
            )));
        }
    }
    let done = graph.ancestors(current);
    match dir {
        Direction::Up => {
            let targets = graph.upgrade_target(target, current)?;
            let want = graph.ancestors(&targets);
            Ok(graph
                .topological()
                .into_iter()
                .filter(|r| want.contains(r) && !done.contains(r))
                .collect())
        }
        Direction::Down => {
            let keep_heads = graph.downgrade_target(target, current)?;
            let keep = graph.ancestors(&keep_heads);
            if let Some(k) = keep_heads.iter().find(|k| !done.contains(*k)) {
                return Err(Error::Config(format!(
                    "Destination {k} is not a valid downgrade target from the current head(s)"
                )));
            }
            Ok(graph
                .walk()
                .into_iter()
                .filter(|r| done.contains(r) && !keep.contains(r))
                .collect())
        }
    }
}

/// The heads after applying (`Up`) or reverting (`Down`) `rev`.
pub(super) fn next_heads(
    graph: &Graph,
    dir: Direction,
    heads: &[String],
    rev: &str,
) -> Vec<String> {
    let r = graph.get(rev);
    let mut out: Vec<String> = heads.to_vec();
    match dir {
        Direction::Up => {
            out.retain(|h| !r.down.contains(h));
            out.push(rev.to_string());
        }
        Direction::Down => {
            out.retain(|h| h != rev);
            let applied: BTreeSet<String> = graph.ancestors(&out);
            for d in &r.down {
                if !applied.contains(d) {
                    out.push(d.clone());
                }
            }
        }
    }
    out
}

/// A revision read and planned for this database.
pub struct Planned1 {
    pub id: String,
    pub steps: Vec<Step>,
    pub message: String,
}

/// Read and plan each revision of `revs`; the planned ones up to the first
/// that cannot be, and its refusal.
pub fn plan(
    graph: &Graph,
    ddl: &Ddl,
    dir: Direction,
    revs: &[String],
) -> (Vec<Planned1>, Option<String>) {
    plan_for(graph, ddl, dir, revs, None)
}

/// `plan` of a multi-database folder's functions for one database
/// (`upgrade_<bind>()`, `upgrade_()` for the default one), or of
/// `upgrade()` for `None`.
pub fn plan_for(
    graph: &Graph,
    ddl: &Ddl,
    dir: Direction,
    revs: &[String],
    database: Option<&str>,
) -> (Vec<Planned1>, Option<String>) {
    let mut out = Vec::new();
    for id in revs {
        let r = graph.get(id);
        let verb = if dir == Direction::Up {
            "upgrade"
        } else {
            "downgrade"
        };
        let func = match database {
            Some(name) => format!("{verb}_{name}"),
            None => verb.to_string(),
        };
        let read = ops::read_function(&r.module, &func)
            .map_err(|(line, m)| format!("{}:{line}: {m}", r.label))
            .and_then(|ops| {
                let mut steps = Vec::new();
                for op in &ops {
                    steps.extend(
                        ddl.op(op)
                            .map_err(|m| format!("{}:{}: {m}", r.label, op.line))?,
                    );
                }
                Ok(steps)
            });
        match read {
            Ok(steps) => {
                let down = if r.down.is_empty() {
                    String::new()
                } else {
                    r.down.join(", ")
                };
                let message = match dir {
                    Direction::Up => format!("Running upgrade {down} -> {}, {}", r.id, r.doc()),
                    Direction::Down => format!("Running downgrade {} -> {down}, {}", r.id, r.doc()),
                };
                out.push(Planned1 {
                    id: id.clone(),
                    steps,
                    message,
                })
            }
            Err(e) => return (out, Some(e)),
        }
    }
    (out, None)
}

/// Run the planned revisions, each in its own transaction with its
/// `alembic_version` change; the ids applied, and the error that stopped it.
pub fn run(
    graph: &Graph,
    engine: &Engine,
    dir: Direction,
    current: &[String],
    planned: &[Planned1],
) -> (Vec<String>, Option<Error>) {
    let ddl = Ddl {
        d: engine.dialect(),
    };
    let mut heads = current.to_vec();
    let mut applied = Vec::new();
    for p in planned {
        eprintln!("INFO  [ormsh.migrate] {}", p.message);
        let after = next_heads(graph, dir, &heads, &p.id);
        let committed = std::cell::Cell::new(false);
        let result = (|| -> Result<()> {
            engine.ensure_transaction()?;
            if !version::exists(engine)? {
                engine.execute(&version::create(&ddl).compiled)?;
            }
            for step in &p.steps {
                if matches!(step, Step::Autocommit(_)) {
                    committed.set(true);
                }
                run_step(graph, engine, &ddl, &p.id, step, false)?;
            }
            for s in version::changes(&ddl, &heads, &after) {
                engine.execute(&s.compiled)?;
            }
            engine.commit()
        })();
        if let Err(e) = result {
            let _ = engine.rollback();
            return (
                applied,
                Some(Error::Config(format!(
                    "{} failed, and its transaction was rolled back{}: {e}",
                    graph.get(&p.id).label,
                    if committed.get() {
                        " (what ran up to and in its autocommit block stays committed, as under Alembic; alembic_version still names the revision before it)"
                    } else {
                        ""
                    }
                ))),
            );
        }
        heads = after;
        applied.push(p.id.clone());
    }
    (applied, None)
}

/// One step of revision `id`; `autocommit`: outside any transaction.
/// An autocommit block commits what the revision's transaction holds so
/// far, runs each of its statements on its own, and begins a new
/// transaction for what follows, as Alembic's `autocommit_block()` does.
fn run_step(
    graph: &Graph,
    engine: &Engine,
    ddl: &Ddl,
    id: &str,
    step: &Step,
    autocommit: bool,
) -> Result<()> {
    let execute = |c: &crate::sql::Compiled| -> Result<()> {
        if autocommit {
            engine.execute_autocommit(c)
        } else {
            engine.execute(c).map(|_| ())
        }
    };
    match step {
        Step::Sql(s) => execute(&s.compiled),
        Step::Autocommit(steps) => {
            engine.commit()?;
            for s in steps {
                run_step(graph, engine, ddl, id, s, true)?;
            }
            engine.ensure_transaction()
        }
        Step::Rebuild {
            table,
            ops,
            naming_convention,
        } => {
            let stmts = batch::rebuild(engine, ddl, table, ops, naming_convention)
                .map_err(|m| Error::Config(format!("{}:{m}", graph.get(id).label)))?;
            for s in stmts {
                execute(&s.compiled)?;
            }
            Ok(())
        }
    }
}
