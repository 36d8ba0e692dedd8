//! One revision file of `migrations/versions/`, read with the Python reader:
//! its identifiers (`revision`, `down_revision`, `branch_labels`,
//! `depends_on`), its docstring (the message), and its parsed module, whose
//! `upgrade()` and `downgrade()` `ops.rs` reads when the revision is applied.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::python::{self, Expr, ExprKind, Module, StmtKind};

/// A revision as Alembic's `Script` holds it.
#[derive(Debug, Clone)]
pub struct Revision {
    pub id: String,
    /// Empty for a base revision; two or more for a merge.
    pub down: Vec<String>,
    pub branch_labels: Vec<String>,
    pub depends_on: Vec<String>,
    /// The docstring, stripped (Alembic's `longdoc`).
    pub longdoc: String,
    /// `versions/<file>.py` as messages name it.
    pub label: String,
    pub path: PathBuf,
    pub module: Module,
}

impl Revision {
    /// The first paragraph of the docstring (Alembic's `doc`).
    pub fn doc(&self) -> &str {
        self.longdoc.split("\n\n").next().unwrap_or("")
    }

    /// Reads one revision file. `label` names it in every message.
    pub fn read(path: &Path, label: &str) -> Result<Revision> {
        let source = std::fs::read_to_string(path).map_err(|e| Error::Io {
            path: path.to_path_buf(),
            source: e,
        })?;
        Self::from_source(path, label, &source)
    }

    /// Reads a revision from its text (`path` is where it lives).
    pub fn from_source(path: &Path, label: &str, source: &str) -> Result<Revision> {
        let module = python::parse(label, source).map_err(|e| Error::Config(e.to_string()))?;
        let refuse = |expr: Option<&Expr>, line: usize, what: &str| {
            Error::Config(format!(
                "{label}:{}: {what}",
                expr.map_or(line, |e| e.span.line)
            ))
        };
        let id = match module.assigned("revision") {
            Some(e) => e.as_str().ok_or_else(|| {
                refuse(
                    Some(e),
                    1,
                    "`revision` must be a string (as Alembic writes it)",
                )
            })?,
            None => {
                return Err(refuse(
                    None,
                    1,
                    "no `revision = '...'`: not an Alembic revision file",
                ));
            }
        };
        let list = |name: &str| -> Result<Vec<String>> {
            match module.assigned(name) {
                None => Ok(Vec::new()),
                Some(e) => names(e).ok_or_else(|| {
                    refuse(
                        Some(e),
                        1,
                        &format!("`{name}` must be None, a string, or a tuple of strings"),
                    )
                }),
            }
        };
        let down = match module.assigned("down_revision") {
            Some(_) => list("down_revision")?,
            None => {
                return Err(refuse(
                    None,
                    1,
                    "no `down_revision = ...`: not an Alembic revision file",
                ));
            }
        };
        let longdoc = module
            .body
            .first()
            .and_then(|s| match &s.kind {
                StmtKind::Expr(e) => e.as_str(),
                _ => None,
            })
            .map(|d| d.trim().to_string())
            .unwrap_or_default();
        Ok(Revision {
            id,
            down,
            branch_labels: list("branch_labels")?,
            depends_on: list("depends_on")?,
            longdoc,
            label: label.to_string(),
            path: path.to_path_buf(),
            module,
        })
    }
}

/// `None`, `'a'`, `('a', 'b')` or `['a']` as a list of strings.
fn names(e: &Expr) -> Option<Vec<String>> {
    match &e.kind {
        ExprKind::None => Some(Vec::new()),
        ExprKind::Str(_) => e.as_str().map(|s| vec![s]),
        ExprKind::Tuple(items) | ExprKind::List(items) | ExprKind::Set(items) => {
            items.iter().map(Expr::as_str).collect()
        }
        _ => None,
    }
}

/// Every revision file of a versions folder (`*.py`, not `__init__.py`), in
/// file-name order.
pub fn read_folder(versions: &Path) -> Result<Vec<Revision>> {
    let entries = std::fs::read_dir(versions).map_err(|e| Error::Io {
        path: versions.to_path_buf(),
        source: e,
    })?;
    let mut paths: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.extension().is_some_and(|x| x == "py")
                && p.file_name().is_some_and(|n| n != "__init__.py")
                && p.is_file()
        })
        .collect();
    paths.sort();
    paths
        .iter()
        .map(|p| {
            let name = p.file_name().unwrap_or_default().to_string_lossy();
            Revision::read(p, &format!("migrations/versions/{name}"))
        })
        .collect()
}
