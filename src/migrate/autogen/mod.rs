//! Autogenerate: `ormsh db migrate` / `db revision --autogenerate` write a
//! revision with what the models need against the database at the head:
//! the drift engine's findings (`plan.rs`) as `op.*` operations (`ops.rs`)
//! made of the models' and the live tables' parts (`defs.rs`, table-level
//! constraints in `constraints.rs`), written as Alembic writes them
//! (`render.rs`); `db check` says whether there is any.

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

pub use plan::{Answers, OneOff, Rename};

/// The plan for the database behind `session`, refused unless the database
/// is at the migrations folder's heads (Alembic's "Target database is not
/// up to date.").
fn plan_at_head(
    dir: &Path,
    session: &Session,
    answers: &Answers,
) -> Result<(super::graph::Graph, plan::Plan)> {
    let g = super::commands::open(dir)?;
    super::multidb::refuse(dir, &g, "migrate")?;
    let engine = session.engines().get(None)?;
    let mut current = version::current(engine)?;
    let mut heads = g.heads();
    current.sort();
    heads.sort();
    if current != heads {
        return Err(Error::Invalid(format!(
            "Target database is not up to date: it is at {}, the migrations folder's head is {} (`ormsh db upgrade` first)",
            if current.is_empty() {
                "<base>".to_string()
            } else {
                current.join(", ")
            },
            if heads.is_empty() {
                "<base>".to_string()
            } else {
                heads.join(", ")
            }
        )));
    }
    let drift = session.diff()?;
    let plan = plan::plan(session, &drift, answers)?;
    Ok((g, plan))
}

/// The upgrade's and downgrade's bodies for `ops`.
pub fn bodies(ops: &[ops::AutoOp]) -> (String, String) {
    let reversed: Vec<ops::AutoOp> = ops.iter().rev().map(ops::AutoOp::reverse).collect();
    (render::body(ops), render::body(&reversed))
}

/// `db migrate`: the revision file written, or none when nothing changed.
pub fn migrate(
    dir: &Path,
    session: &Session,
    new: &NewRevision,
    answers: &Answers,
) -> Result<Option<PathBuf>> {
    let (g, plan) = plan_at_head(dir, session, answers)?;
    for note in &plan.notes {
        eprintln!("NOTE  {note}");
    }
    if plan.ops.is_empty() {
        eprintln!("INFO  [ormsh.migrate] No changes in schema detected.");
        return Ok(None);
    }
    for loss in &plan.losses {
        eprintln!("WARNING  data loss: {loss}");
    }
    let down = authoring::parents(&g, new.head.as_deref())?;
    let (upgrades, downgrades) = bodies(&plan.ops);
    let path = authoring::generate(
        dir,
        &g,
        new,
        Script {
            down,
            upgrades,
            downgrades,
            ..Script::default()
        },
    )?;
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
    let (_, plan) = match plan_at_head(dir, session, &answers) {
        Err(Error::Invalid(why)) if !why.starts_with("Target database") => {
            println!("New upgrade operations detected: {why}");
            return Ok(1);
        }
        other => other?,
    };
    if plan.ops.is_empty() {
        println!("No new upgrade operations detected.");
        return Ok(0);
    }
    let (upgrades, _) = bodies(&plan.ops);
    println!("New upgrade operations detected:\n    {upgrades}");
    Ok(1)
}
