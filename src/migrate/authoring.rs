//! The commands that write into the migrations folder rather than the
//! database: `init` (the folder Flask-Migrate's `flask db init` makes),
//! `revision` (an empty revision on the head), `merge` (one revision on
//! several heads) and `edit` (a revision file in `$EDITOR`).

use std::path::{Path, PathBuf};

use super::graph::Graph;
use super::script::{self, Script};
use crate::error::{Error, Result};

/// What a new revision stands on and is called.
#[derive(Debug, Clone, Default)]
pub struct NewRevision {
    pub message: Option<String>,
    /// `--head`: the revision it revises (`head` by default).
    pub head: Option<String>,
    /// `--rev-id`: the id instead of a random one.
    pub rev_id: Option<String>,
    /// `--branch-label`.
    pub branch_label: Option<String>,
    /// In a multi-database folder: every database's name (`""` for the
    /// default one, then each bind), for the template's loop; empty in a
    /// single-database folder.
    pub databases: Vec<String>,
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> Error + '_ {
    move |e| Error::Io {
        path: path.to_path_buf(),
        source: e,
    }
}

/// The parents of a new revision: `head` (refused when there are several,
/// as Alembic refuses it), `base`, or a revision.
pub fn parents(g: &Graph, head: Option<&str>) -> Result<Vec<String>> {
    match head.unwrap_or("head") {
        "base" => Ok(Vec::new()),
        "head" => match g.heads().as_slice() {
            [] => Ok(Vec::new()),
            [one] => Ok(vec![one.clone()]),
            many => Err(Error::Config(format!(
                "Multiple heads are present ({}); give the revision to build on with --head, or merge them first: `ormsh db merge heads`",
                many.join(", ")
            ))),
        },
        other => {
            let id = g.resolve_one(other.strip_suffix("@head").unwrap_or(other))?;
            if !g.is_head(&id) {
                return Err(Error::Config(format!(
                    "Revision {id} is not a head revision; a new revision on it would start a branch (Alembic's --splice, which ormsh does not do)"
                )));
            }
            Ok(vec![id])
        }
    }
}

/// Writes `script` with its id, date and labels filled in from `new`;
/// prints Alembic's `Generating .. ...  done` line.
pub fn generate(dir: &Path, g: &Graph, new: &NewRevision, mut script: Script) -> Result<PathBuf> {
    script.id = match &new.rev_id {
        Some(id) => id.clone(),
        None => script::new_id(),
    };
    if g.revisions.iter().any(|r| r.id == script.id) {
        return Err(Error::Config(format!(
            "Revision {} is already present in the versions folder",
            script.id
        )));
    }
    if let Some(label) = &new.branch_label {
        if g.revisions
            .iter()
            .any(|r| r.branch_labels.iter().any(|l| l == label))
        {
            return Err(Error::Config(format!(
                "Branch name '{label}' is already used by another revision"
            )));
        }
        script.branch_labels = vec![label.clone()];
    }
    script.message.clone_from(&new.message);
    script.create_date = script::now();
    if script.databases.is_empty() {
        script.databases = new
            .databases
            .iter()
            .map(|name| script::Database {
                name: name.clone(),
                ..script::Database::default()
            })
            .collect();
    }
    let path = script.write(dir)?;
    let shown = std::fs::canonicalize(&path).unwrap_or_else(|_| path.clone());
    println!("Generating {} ...  done", shown.display());
    Ok(path)
}

/// `db revision` without autogenerate: an empty revision on the head.
pub fn revision(dir: &Path, g: &Graph, new: &NewRevision) -> Result<PathBuf> {
    let down = parents(g, new.head.as_deref())?;
    generate(
        dir,
        g,
        new,
        Script {
            down,
            ..Script::default()
        },
    )
}

/// `db merge [REVS|heads]`: one revision whose parents are the given
/// revisions (all heads by default).
pub fn merge(dir: &Path, g: &Graph, revs: &[String], new: &NewRevision) -> Result<PathBuf> {
    let mut down = Vec::new();
    let wanted: Vec<String> = if revs.is_empty() {
        vec!["heads".into()]
    } else {
        revs.to_vec()
    };
    for r in &wanted {
        let ids = if r == "heads" {
            g.heads()
        } else {
            vec![g.resolve_one(r)?]
        };
        for id in ids {
            if !down.contains(&id) {
                down.push(id);
            }
        }
    }
    if down.len() < 2 {
        return Err(Error::Config(format!(
            "nothing to merge: {} (a merge needs two or more revisions; `ormsh db heads` lists them)",
            if down.is_empty() {
                "no revisions".to_string()
            } else {
                format!("only {}", down.join(", "))
            }
        )));
    }
    // A merge of a revision with one of its own ancestors is refused by Alembic.
    for a in &down {
        for b in &down {
            if a != b && g.ancestors(std::slice::from_ref(a)).contains(b) {
                return Err(Error::Config(format!(
                    "Requested revision {a} overlaps with other requested revisions {b}"
                )));
            }
        }
    }
    generate(
        dir,
        g,
        new,
        Script {
            down,
            ..Script::default()
        },
    )
}

/// `db edit [REV]`: the revision file in `$EDITOR` (or `$VISUAL`).
pub fn edit(g: &Graph, rev: &str) -> Result<()> {
    let ids = match rev {
        "head" => vec![g.single_head("head")?],
        "heads" => g.heads(),
        other => vec![g.resolve_one(other)?],
    };
    let editor = std::env::var("EDITOR")
        .ok()
        .or_else(|| std::env::var("VISUAL").ok())
        .filter(|e| !e.trim().is_empty())
        .ok_or_else(|| {
            Error::Config(
                "No editor: set EDITOR (or VISUAL) to the program to open the revision with".into(),
            )
        })?;
    let mut parts = editor.split_whitespace();
    let program = parts.next().unwrap_or_default();
    let extra: Vec<&str> = parts.collect();
    for id in ids {
        let path = &g.get(&id).path;
        let status = std::process::Command::new(program)
            .args(&extra)
            .arg(path)
            .status()
            .map_err(|e| Error::Config(format!("cannot start the editor `{editor}`: {e}")))?;
        if !status.success() {
            return Err(Error::Invalid(format!(
                "the editor `{editor}` ended with {status} on {}",
                path.display()
            )));
        }
    }
    Ok(())
}

/// `db init`: the folder `flask db init` makes (alembic.ini, env.py,
/// script.py.mako, README, versions/); refused when it is there and not empty.
pub fn init(dir: &Path) -> Result<()> {
    if dir.exists() && std::fs::read_dir(dir).map_err(io(dir))?.next().is_some() {
        return Err(Error::Config(format!(
            "Directory {} already exists and is not empty",
            dir.display()
        )));
    }
    let shown = |p: &Path| {
        std::fs::canonicalize(p)
            .unwrap_or_else(|_| p.to_path_buf())
            .display()
            .to_string()
    };
    std::fs::create_dir_all(dir).map_err(io(dir))?;
    println!("Creating directory {} ...  done", shown(dir));
    let versions = dir.join("versions");
    std::fs::create_dir_all(&versions).map_err(io(&versions))?;
    println!("Creating directory {} ...  done", shown(&versions));
    for (name, text) in super::templates::FILES {
        let path = dir.join(name);
        std::fs::write(&path, text).map_err(io(&path))?;
        println!("Generating {} ...  done", shown(&path));
    }
    println!(
        "Please edit configuration/connection/logging settings in {} before proceeding.",
        shown(&dir.join("alembic.ini"))
    );
    Ok(())
}
