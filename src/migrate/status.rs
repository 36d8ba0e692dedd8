//! Where the database stands against the migrations folder: the revisions
//! it is at (`alembic_version`), the folder's heads, and the revisions an
//! upgrade to the heads would apply, in order. For `.migrations` and the
//! banner's one-line warning.

use std::path::Path;

use super::apply::{self, Direction};
use super::commands;
use super::version;
use crate::engine::Engine;
use crate::error::Result;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Status {
    /// The revisions the database is at (empty: none applied).
    pub current: Vec<String>,
    pub heads: Vec<String>,
    /// (revision, its message) that `db upgrade heads` would apply, in order.
    pub pending: Vec<(String, String)>,
}

/// The status of the database behind `engine` against the folder `dir`;
/// `None` when there is no migrations folder.
pub fn status(dir: &Path, engine: &Engine) -> Result<Option<Status>> {
    if !dir.join("versions").is_dir() {
        return Ok(None);
    }
    let graph = commands::open(dir)?;
    let current = version::current(engine)?;
    let pending = apply::path(&graph, Direction::Up, &current, "heads")?
        .into_iter()
        .map(|id| {
            let message = graph.get(&id).doc().to_string();
            (id, message)
        })
        .collect();
    Ok(Some(Status {
        current,
        heads: graph.heads(),
        pending,
    }))
}

impl Status {
    /// One line for the banner when the database is behind the folder.
    pub fn behind(&self) -> Option<String> {
        if self.pending.is_empty() {
            return None;
        }
        let at = if self.current.is_empty() {
            "no revision".to_string()
        } else {
            self.current.join(", ")
        };
        Some(format!(
            "migrations: the database is at {at}, {} revision{} behind {} (`ormsh db upgrade`; .migrations lists them)",
            self.pending.len(),
            if self.pending.len() == 1 { "" } else { "s" },
            self.heads.join(", ")
        ))
    }

    /// The text of `.migrations`.
    pub fn describe(&self) -> String {
        let mark = |id: &String| {
            if self.heads.contains(id) {
                format!("{id} (head)")
            } else {
                id.clone()
            }
        };
        let current = if self.current.is_empty() {
            "(none: no revision applied)".to_string()
        } else {
            self.current.iter().map(mark).collect::<Vec<_>>().join(", ")
        };
        let mut text = format!("current: {current}\nhead:    {}", self.heads.join(", "));
        if self.pending.is_empty() {
            text.push_str("\nup to date");
        } else {
            text.push_str(&format!("\npending ({}):", self.pending.len()));
            for (id, message) in &self.pending {
                text.push_str(&format!("\n  {id}  {message}"));
            }
        }
        text
    }
}
