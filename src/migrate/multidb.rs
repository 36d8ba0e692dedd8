//! A migrations folder made by `flask db init --multidb`: each revision
//! holds an `upgrade_<bind>()` and a `downgrade_<bind>()` for each database
//! (`upgrade_()` for the default one), each applied to its own database and
//! recorded in that database's `alembic_version`. ormsh neither applies
//! nor writes such revisions: commands that would are refused with the
//! databases named, so that no revision reaches the wrong database.

use std::path::Path;

use super::graph::Graph;
use crate::error::{Error, Result};

/// The databases a multi-database folder's revisions name (`""` for the
/// default one), or `None` for a single-database folder.
fn databases(dir: &Path, g: &Graph) -> Option<Vec<String>> {
    let read = |f: &str| std::fs::read_to_string(dir.join(f)).unwrap_or_default();
    let mut names: Vec<String> = Vec::new();
    for r in &g.revisions {
        for s in &r.module.body {
            if let crate::python::StmtKind::FunctionDef(f) = &s.kind
                && let Some(bind) = f.name.strip_prefix("upgrade_")
                && !names.iter().any(|n| n == bind)
            {
                names.push(bind.to_string());
            }
        }
    }
    let marked =
        read("script.py.mako").contains("engine_name") || read("env.py").contains("bind_names");
    (marked || !names.is_empty()).then_some(names)
}

/// Refused when `dir` is a multi-database folder; `command` is what
/// `flask db` runs instead.
pub fn refuse(dir: &Path, g: &Graph, command: &str) -> Result<()> {
    let Some(names) = databases(dir, g) else {
        return Ok(());
    };
    let named: Vec<String> = names
        .iter()
        .map(|n| {
            if n.is_empty() {
                "the default database (upgrade_())".to_string()
            } else {
                format!("bind {n} (upgrade_{n}())")
            }
        })
        .collect();
    Err(Error::Config(format!(
        "{} was made by `flask db init --multidb`: each revision holds an upgrade and a downgrade per database{}, each applied to its own database with its own alembic_version. ormsh does not apply or write multi-database revisions; run `flask db {command}`",
        dir.display(),
        if named.is_empty() {
            String::new()
        } else {
            format!(" ({})", named.join(", "))
        }
    )))
}
