//! `ormsh db current|history|heads|branches|show|upgrade|downgrade|stamp`,
//! printed as Alembic (under Flask-Migrate) prints them: `ae1027a6acf
//! (head)`, `<base> -> ae1027a6acf (head), message`, Alembic's `log_entry`
//! for `show` and `-v`.

use std::path::Path;

use super::apply::{self, Direction};
use super::authoring::{self, NewRevision};
use super::ddl::Ddl;
use super::graph::Graph;
use super::offline;
use super::revision::{self, Revision};
use super::version;
use crate::engine::Engine;
use crate::error::{Error, Result};

/// One migrations command.
#[derive(Debug, Clone)]
pub enum Command {
    Current {
        verbose: bool,
    },
    /// `range`: Alembic's `-r A:B` (either end may be left out).
    History {
        verbose: bool,
        range: Option<String>,
    },
    Heads {
        verbose: bool,
    },
    Branches {
        verbose: bool,
    },
    Show {
        rev: String,
    },
    Upgrade {
        rev: String,
        sql: bool,
    },
    Downgrade {
        rev: String,
        sql: bool,
    },
    Stamp {
        rev: String,
        sql: bool,
    },
    /// An empty revision (`db revision` without `--autogenerate`).
    Revision(NewRevision),
    Merge {
        revs: Vec<String>,
        new: NewRevision,
    },
    Edit {
        rev: String,
    },
    /// The folder itself (`flask db init`).
    Init,
}

impl Command {
    /// Whether it reads or writes the database.
    pub fn needs_database(&self) -> bool {
        matches!(
            self,
            Command::Current { .. }
                | Command::Upgrade { sql: false, .. }
                | Command::Downgrade { sql: false, .. }
                | Command::Stamp { .. }
        )
    }
}

/// The migrations folder's revision graph (`dir/versions/*.py`).
pub fn open(dir: &Path) -> Result<Graph> {
    let versions = dir.join("versions");
    if !versions.is_dir() {
        return Err(Error::Config(format!(
            "no migrations folder at {} (`flask db init` makes one; --directory names another)",
            dir.display()
        )));
    }
    let prefix = dir.file_name().map_or_else(
        || "migrations".to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let mut revisions = revision::read_folder(&versions)?;
    for r in &mut revisions {
        let file = r
            .path
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        r.label = format!("{prefix}/versions/{file}");
        r.module.file.clone_from(&r.label);
    }
    Graph::new(revisions)
}

/// `db current`: the revision(s) the database behind `engine` is at.
pub(super) fn print_current(g: &Graph, engine: &Engine, verbose: bool) -> Result<()> {
    if verbose {
        println!("Current revision(s) for {}:", engine.url());
    }
    for id in version::current(engine)? {
        if !g.revisions.iter().any(|r| r.id == id) {
            return Err(Error::Config(format!(
                "Can't locate revision identified by '{id}' (the database is at a revision the migrations folder does not have)"
            )));
        }
        let r = g.get(&id);
        println!(
            "{}",
            if verbose {
                log_entry(g, r)
            } else {
                head_only(g, r, false, false, false, true)
            }
        );
    }
    Ok(())
}

/// Alembic's `_head_only`.
fn head_only(
    g: &Graph,
    r: &Revision,
    parents: bool,
    branches: bool,
    doc: bool,
    tree: bool,
) -> String {
    let mut text = r.id.clone();
    if parents {
        let down = if r.down.is_empty() {
            "<base>".to_string()
        } else {
            r.down.join(", ")
        };
        text = if r.depends_on.is_empty() {
            format!("{down} -> {text}")
        } else {
            format!("{down} ({}) -> {text}", r.depends_on.join(", "))
        };
    }
    if branches && !r.branch_labels.is_empty() {
        text.push_str(&format!(" ({})", r.branch_labels.join(", ")));
    }
    if g.is_head(&r.id) {
        text.push_str(" (head)");
    }
    if tree {
        if g.is_branch_point(&r.id) {
            text.push_str(" (branchpoint)");
        }
        if g.is_merge_point(&r.id) {
            text.push_str(" (mergepoint)");
        }
    }
    if doc {
        text.push_str(&format!(", {}", r.doc()));
    }
    text
}

/// Alembic's `log_entry` (`show`, and `-v`).
fn log_entry(g: &Graph, r: &Revision) -> String {
    let mut e = format!(
        "Rev: {}{}{}{}\n",
        r.id,
        if g.is_head(&r.id) { " (head)" } else { "" },
        if g.is_branch_point(&r.id) {
            " (branchpoint)"
        } else {
            ""
        },
        if g.is_merge_point(&r.id) {
            " (mergepoint)"
        } else {
            ""
        },
    );
    let down = if r.down.is_empty() {
        "<base>".to_string()
    } else {
        r.down.join(", ")
    };
    if g.is_merge_point(&r.id) {
        e.push_str(&format!("Merges: {down}\n"));
    } else {
        e.push_str(&format!("Parent: {down}\n"));
    }
    if !r.depends_on.is_empty() {
        e.push_str(&format!("Also depends on: {}\n", r.depends_on.join(", ")));
    }
    if g.is_branch_point(&r.id) {
        e.push_str(&format!(
            "Branches into: {}\n",
            g.children(&r.id).join(", ")
        ));
    }
    if !r.branch_labels.is_empty() {
        e.push_str(&format!("Branch names: {}\n", r.branch_labels.join(", ")));
    }
    let path = std::fs::canonicalize(&r.path).unwrap_or_else(|_| r.path.clone());
    e.push_str(&format!("Path: {}\n", path.display()));
    let doc: Vec<String> = r.longdoc.lines().map(|l| format!("    {l}")).collect();
    e.push_str(&format!("\n{}\n", doc.join("\n")));
    e
}

/// Run `cmd` on the migrations folder `dir`, with the database behind
/// `engine` where the command needs one; the exit code.
pub fn run(cmd: &Command, dir: &Path, engine: Option<&Engine>) -> Result<i32> {
    if let Command::Init = cmd {
        authoring::init(dir)?;
        return Ok(0);
    }
    let g = open(dir)?;
    let verb = match cmd {
        Command::Current { .. } => Some("current"),
        // A multi-database folder's current, upgrade and downgrade go to
        // `multidb::run`, with every database's engine.
        Command::Upgrade { .. } => Some("upgrade"),
        Command::Downgrade { .. } => Some("downgrade"),
        Command::Stamp { .. } => Some("stamp"),
        // A new revision for every database the app names is written.
        Command::Revision(new) | Command::Merge { new, .. } if !new.databases.is_empty() => None,
        Command::Revision(_) => Some("revision"),
        Command::Merge { .. } => Some("merge"),
        _ => None,
    };
    if let Some(verb) = verb {
        super::multidb::refuse(dir, &g, verb)?;
    }
    run_on(cmd, dir, &g, engine)
}

/// `run` on the folder's graph `g`, for one database.
pub(super) fn run_on(cmd: &Command, dir: &Path, g: &Graph, engine: Option<&Engine>) -> Result<i32> {
    let need_engine =
        || engine.ok_or_else(|| Error::Config("this command needs the database".into()));
    match cmd {
        Command::Revision(new) => {
            authoring::revision(dir, g, new)?;
        }
        Command::Merge { revs, new } => {
            authoring::merge(dir, g, revs, new)?;
        }
        Command::Edit { rev } => authoring::edit(g, rev)?,
        Command::Init => {}
        Command::History { verbose, range } => {
            let shown = match range {
                Some(r) => Some(history_range(g, r, engine)?),
                None => None,
            };
            for id in g.walk() {
                if shown.as_ref().is_some_and(|s| !s.contains(&id)) {
                    continue;
                }
                let r = g.get(&id);
                if *verbose {
                    println!("{}", log_entry(g, r));
                } else {
                    println!("{}", head_only(g, r, true, true, true, true));
                }
            }
        }
        Command::Heads { verbose } => {
            for id in g.heads() {
                let r = g.get(&id);
                if *verbose {
                    println!("{}", log_entry(g, r));
                } else {
                    println!("{}", head_only(g, r, false, true, false, false));
                }
            }
        }
        Command::Branches { verbose } => {
            for id in g.walk() {
                if !g.is_branch_point(&id) {
                    continue;
                }
                let r = g.get(&id);
                let pad = " ".repeat(r.id.len());
                let first = if *verbose {
                    log_entry(g, r)
                } else {
                    head_only(g, r, false, true, false, true)
                };
                let next: Vec<String> = g
                    .children(&id)
                    .iter()
                    .map(|c| {
                        format!(
                            "{pad} -> {}",
                            head_only(g, g.get(c), false, true, *verbose, true)
                        )
                    })
                    .collect();
                println!("{first}\n{}\n", next.join("\n"));
            }
        }
        Command::Show { rev } => {
            let ids = match rev.as_str() {
                "head" => vec![g.single_head("head")?],
                "heads" => g.heads(),
                "base" => g
                    .revisions
                    .iter()
                    .filter(|r| r.down.is_empty())
                    .map(|r| r.id.clone())
                    .collect(),
                other => vec![g.resolve_one(other)?],
            };
            for id in ids {
                println!("{}", log_entry(g, g.get(&id)));
            }
        }
        Command::Current { verbose } => print_current(g, need_engine()?, *verbose)?,
        Command::Upgrade { rev, sql } | Command::Downgrade { rev, sql } => {
            let dir_ = if matches!(cmd, Command::Upgrade { .. }) {
                Direction::Up
            } else {
                Direction::Down
            };
            return migrate(g, dir_, rev, *sql, engine);
        }
        Command::Stamp { rev, sql } => {
            let engine = need_engine()?;
            let ddl = Ddl {
                d: engine.dialect(),
            };
            if *sql {
                print!("{}", offline::stamp(g, &ddl, rev)?);
                return Ok(0);
            }
            if rev.contains(':') {
                return Err(Error::Config(
                    "a FROM:TO range is for `db stamp --sql`; without --sql the database says where it is".into(),
                ));
            }
            let targets = named_heads(g, rev)?;
            let current = version::current(engine)?;
            engine.ensure_transaction()?;
            if !version::exists(engine)? {
                engine.execute(&version::create(&ddl).compiled)?;
            }
            for s in version::changes(&ddl, &current, &targets) {
                engine.execute(&s.compiled)?;
            }
            engine.commit()?;
            eprintln!(
                "INFO  [ormsh.migrate] Stamped {} -> {}",
                if current.is_empty() {
                    "<base>".into()
                } else {
                    current.join(", ")
                },
                if targets.is_empty() {
                    "<base>".into()
                } else {
                    targets.join(", ")
                }
            );
        }
    }
    Ok(0)
}

/// The heads `rev` names: what `stamp` sets `alembic_version` to, and
/// where a `--sql` range starts.
pub(super) fn named_heads(g: &Graph, rev: &str) -> Result<Vec<String>> {
    Ok(match rev {
        "base" => Vec::new(),
        "heads" => g.heads(),
        "head" => vec![g.single_head("head")?],
        other => vec![g.resolve_one(other)?],
    })
}

/// The revisions `history -r A:B` lists: those from `A` (base when left
/// out) up to `B` (the heads), both ends included; `current` at either end
/// is the database's revision.
fn history_range(
    g: &Graph,
    range: &str,
    engine: Option<&Engine>,
) -> Result<std::collections::BTreeSet<String>> {
    let Some((lower, upper)) = range.trim().split_once(':') else {
        return Err(Error::Config(
            "History range requires [start]:[end], [start]:, or :[end]".into(),
        ));
    };
    let end = |text: &str, default: &str| -> Result<Vec<String>> {
        let text = if text.is_empty() { default } else { text };
        Ok(match text {
            "base" => Vec::new(),
            "heads" | "head" => g.heads(),
            "current" => {
                let engine = engine.ok_or_else(|| {
                    Error::Config("`current` in a history range needs the database".into())
                })?;
                version::current(engine)?
            }
            other => vec![g.resolve_one(other)?],
        })
    };
    let tops = end(upper, "heads")?;
    let bottoms = end(lower, "base")?;
    let below_top = g.ancestors(&tops);
    Ok(below_top
        .into_iter()
        .filter(|id| {
            bottoms.is_empty()
                || bottoms
                    .iter()
                    .any(|b| g.ancestors(std::slice::from_ref(id)).contains(b))
        })
        .collect())
}

fn migrate(
    g: &Graph,
    dir: Direction,
    rev: &str,
    sql: bool,
    engine: Option<&Engine>,
) -> Result<i32> {
    if sql {
        let d = engine
            .map(|e| e.dialect())
            .ok_or_else(|| Error::Config("the database's kind is needed for --sql".into()))?;
        print!("{}", offline::migrate(g, &Ddl { d }, dir, rev, None)?);
        return Ok(0);
    }
    let engine = engine.ok_or_else(|| Error::Config("this command needs the database".into()))?;
    let ddl = Ddl {
        d: engine.dialect(),
    };
    let current = version::current(engine)?;
    let revs = apply::path(g, dir, &current, rev)?;
    let (planned, refusal) = apply::plan(g, &ddl, dir, &revs);
    if ddl.d.ddl_commits() && !planned.is_empty() {
        eprintln!(
            "INFO  [ormsh.migrate] MySQL/MariaDB commit each DDL statement by itself: a revision that fails part-way keeps the DDL that ran before the failure"
        );
    }
    if let Some(why) = &refusal
        && planned.is_empty()
    {
        return Err(Error::Invalid(format!("{why}\nnothing was applied")));
    }
    let (applied, error) = apply::run(g, engine, dir, &current, &planned);
    let said = |applied: &[String]| {
        if applied.is_empty() {
            "nothing was applied".to_string()
        } else {
            format!("applied: {}", applied.join(", "))
        }
    };
    if let Some(e) = error {
        return Err(Error::Invalid(format!("{e}\n{}", said(&applied))));
    }
    if let Some(why) = refusal {
        let stopped = revs.get(applied.len()).cloned().unwrap_or_default();
        return Err(Error::Invalid(format!(
            "{why}\nstopped before {stopped}; {}",
            said(&applied)
        )));
    }
    Ok(0)
}
