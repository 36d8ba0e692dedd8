//! Autogenerate: `ormsh db migrate` / `db revision --autogenerate` write a
//! revision with what the models need against the database at the head:
//! the drift engine's findings (`plan.rs`) as `op.*` operations (`ops.rs`)
//! made of the models' and the live tables' parts (`defs.rs`, table-level
//! constraints in `constraints.rs`), written as Alembic writes them
//! (`render.rs`); `db check` says whether there is any. In a folder
//! `flask db init --multidb` made, each database's models (by
//! `__bind_key__`) against that database, each in its own
//! `upgrade_<name>()`/`downgrade_<name>()`. The drops of what a table has
//! beyond the models are also `db diff --sql`'s (`extra_drop_sql`).

mod constraints;
mod defs;
mod drops;
pub mod enums;
pub mod ops;
pub mod plan;
pub mod render;

use std::path::{Path, PathBuf};

use super::authoring::{self, NewRevision};
use super::script::Script;
use super::version;
use crate::error::{Error, Result};
use crate::orm::session::Session;

pub use drops::extra_drop_sql;
pub use plan::{Answers, OneOff, Rename};

/// The migrations folder's graph and what a new revision would hold.
struct AtHead {
    graph: super::graph::Graph,
    /// Each database's name (`""` for the default one) and its plan.
    plans: Vec<(String, plan::Plan)>,
    /// Whether the folder is a multi-database one.
    multidb: bool,
}

/// The plans for the databases a revision covers: the default one alone,
/// or in a folder `flask db init --multidb` made each database (`""` for
/// the default one, then each bind as the app names them), each against
/// its own models. Refused unless every such database is at the
/// migrations folder's heads (Alembic's "Target database is not up to
/// date.").
fn plan_at_head(dir: &Path, session: &Session, answers: &Answers) -> Result<AtHead> {
    let g = super::commands::open(dir)?;
    let multidb = super::multidb::databases(dir, &g);
    let engines: Vec<(Option<&str>, &crate::engine::Engine)> = match &multidb {
        Some(declared) => {
            let all: Vec<_> = session.engines().all().collect();
            for n in declared {
                let key = (!n.is_empty()).then_some(n.as_str());
                if !all.iter().any(|(k, _)| *k == key) {
                    return Err(Error::Config(format!(
                        "{}: the revisions have upgrade_{n}() for the database {n}, which the app's SQLALCHEMY_BINDS does not name; no revision was written",
                        dir.display()
                    )));
                }
            }
            all
        }
        None => vec![(None, session.engines().get(None)?)],
    };
    let mut heads = g.heads();
    heads.sort();
    let shown = |revs: &[String]| {
        if revs.is_empty() {
            "<base>".to_string()
        } else {
            revs.join(", ")
        }
    };
    for (key, engine) in &engines {
        let mut current = version::current(engine)?;
        current.sort();
        if current != heads {
            return Err(Error::Invalid(format!(
                "Target database is not up to date: {} is at {}, the migrations folder's head is {} (`ormsh db upgrade` first)",
                match (key, multidb.is_some()) {
                    (_, false) => "it".to_string(),
                    (None, true) => "the default database".to_string(),
                    (Some(k), true) => format!("database {k}"),
                },
                shown(&current),
                shown(&heads)
            )));
        }
    }
    let drift = session.diff()?;
    let mut plans = Vec::new();
    for (key, _) in &engines {
        let mut p = plan::plan(session, &drift, answers, *key)?;
        if multidb.is_none() {
            for d in drift.iter().filter(|d| d.bind.is_some()) {
                p.notes.push(format!(
                    "{} (bind {}) left out: a revision covers the default database only",
                    d.table,
                    d.bind.as_deref().unwrap_or_default()
                ));
            }
        }
        plans.push((key.unwrap_or_default().to_string(), p));
    }
    Ok(AtHead {
        graph: g,
        plans,
        multidb: multidb.is_some(),
    })
}

/// The upgrade's and downgrade's bodies for `ops`.
pub fn bodies(ops: &[ops::AutoOp]) -> (String, String) {
    let mut up = ops.to_vec();
    let mut down: Vec<ops::AutoOp> = ops.iter().rev().map(ops::AutoOp::reverse).collect();
    enums::mark_autocommit(&mut up);
    enums::mark_autocommit(&mut down);
    (render::body(&up), render::body(&down))
}

/// `db migrate`: the revision file written, or none when nothing changed.
/// In a multi-database folder the file holds an `upgrade_<name>()` and a
/// `downgrade_<name>()` for each database, as Flask-Migrate's multidb
/// template writes it.
pub fn migrate(
    dir: &Path,
    session: &Session,
    new: &NewRevision,
    answers: &Answers,
) -> Result<Option<PathBuf>> {
    let AtHead {
        graph: g,
        plans,
        multidb,
    } = plan_at_head(dir, session, answers)?;
    for (_, plan) in &plans {
        for note in &plan.notes {
            eprintln!("NOTE  {note}");
        }
    }
    if plans.iter().all(|(_, p)| p.ops.is_empty()) {
        eprintln!("INFO  [ormsh.migrate] No changes in schema detected.");
        return Ok(None);
    }
    for (_, plan) in &plans {
        for loss in &plan.losses {
            eprintln!("WARNING  data loss: {loss}");
        }
    }
    let down = authoring::parents(&g, new.head.as_deref())?;
    let mut script = Script {
        down,
        ..Script::default()
    };
    if multidb {
        // Flask-Migrate's multidb env.py holds every database's transaction
        // itself, where Alembic's autocommit_block() cannot end one.
        for (name, plan) in &plans {
            if let Some((ty, added)) = enums::needing_autocommit(&plan.ops) {
                return Err(Error::Invalid(format!(
                    "database {}: the enum type {ty} gets {} and the same revision makes {} a server default; PostgreSQL uses a new value only once it is committed, which needs an autocommit block, and Flask-Migrate's multidb env.py runs each database in one transaction that such a block cannot end. Write it as two revisions: first the new values with the old default (`ormsh db migrate`), then the new default. No revision was written",
                    if name.is_empty() { "<default>" } else { name },
                    added
                        .iter()
                        .map(|v| format!("'{v}'"))
                        .collect::<Vec<_>>()
                        .join(", "),
                    if added.len() == 1 { "it" } else { "one" },
                )));
            }
        }
        for (name, plan) in &plans {
            let (upgrades, downgrades) = bodies(&plan.ops);
            script.databases.push(super::script::Database {
                name: name.clone(),
                upgrades: Some(upgrades),
                downgrades: Some(downgrades),
            });
        }
    } else if let Some((_, plan)) = plans.first() {
        (script.upgrades, script.downgrades) = bodies(&plan.ops);
    }
    let path = authoring::generate(dir, &g, new, script)?;
    Ok(Some(path))
}

/// `db check`: 1 when the models need a migration, 0 when they do not.
pub fn check(dir: &Path, session: &Session) -> Result<i32> {
    let answers = Answers {
        renames: Vec::new(),
        defaults: Vec::new(),
        ask: None,
    };
    // A change `db migrate` would refuse (a NOT NULL column with no value
    // for its rows) is still a change the models need.
    let AtHead { plans, multidb, .. } = match plan_at_head(dir, session, &answers) {
        Err(Error::Invalid(why)) if !why.starts_with("Target database") => {
            println!("New upgrade operations detected: {why}");
            return Ok(1);
        }
        other => other?,
    };
    if plans.iter().all(|(_, p)| p.ops.is_empty()) {
        println!("No new upgrade operations detected.");
        return Ok(0);
    }
    let mut said = Vec::new();
    for (name, plan) in plans.iter().filter(|(_, p)| !p.ops.is_empty()) {
        let (upgrades, _) = bodies(&plan.ops);
        said.push(if multidb {
            format!(
                "database {}:\n    {upgrades}",
                if name.is_empty() { "<default>" } else { name }
            )
        } else {
            format!("    {upgrades}")
        });
    }
    println!("New upgrade operations detected:\n{}", said.join("\n"));
    Ok(1)
}
