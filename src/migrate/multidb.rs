//! A migrations folder made by `flask db init --multidb`: each revision
//! holds an `upgrade_<bind>()` and a `downgrade_<bind>()` for each database
//! (`upgrade_()` for the default one), each applied to its own database and
//! recorded in that database's `alembic_version`. `db upgrade` and `db
//! downgrade` apply them, each database with its own functions (with
//! `--sql`, each database's script in its own file), `db current` says
//! where each database is and `db stamp` sets each; `db
//! migrate` (`autogen/`), `db revision` and `db merge` write such
//! revisions, each database's functions in the template's loop (`script.rs`),
//! for the databases the app names. A command that reaches such a folder
//! without the app's databases is refused with the folder's databases
//! named (`refuse`), so that no revision reaches the wrong one.

use std::path::Path;

use super::apply::{self, Direction};
use super::ddl::Ddl;
use super::graph::Graph;
use super::offline;
use super::version;
use crate::engine::Engine;
use crate::error::{Error, Result};

/// The databases a multi-database folder's revisions name (`""` for the
/// default one), or `None` for a single-database folder.
pub(super) fn databases(dir: &Path, g: &Graph) -> Option<Vec<String>> {
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
        "{} was made by `flask db init --multidb`: each revision holds an upgrade and a downgrade per database{}, each applied to its own database with its own alembic_version. ormsh applies such revisions (`db upgrade`, `db downgrade`, `db stamp`) and writes them (`db migrate`, `db revision`, `db merge`), not this command; run `flask db {command}`",
        dir.display(),
        if named.is_empty() {
            String::new()
        } else {
            format!(" ({})", named.join(", "))
        }
    )))
}

/// Whether `dir` has Flask-Migrate's multi-database layout (the one
/// `flask db init --multidb` writes).
pub fn is_multidb(dir: &Path) -> bool {
    super::commands::open(dir).is_ok_and(|g| databases(dir, &g).is_some())
}

/// `db current`, `db stamp`, `db upgrade` and `db downgrade` of a multi-database
/// folder (`engines`: `""` for the default database, then each bind); any
/// other command is refused.
pub fn run(dir: &Path, cmd: &super::Command, engines: &[(String, &Engine)]) -> Result<i32> {
    use super::Command;
    match cmd {
        Command::Current { verbose } => {
            let g = super::commands::open(dir)?;
            for (name, engine) in engines {
                eprintln!("INFO  [ormsh.migrate] Migrating database {}", label(name));
                super::commands::print_current(&g, engine, *verbose)?;
            }
            Ok(0)
        }
        Command::Stamp { sql: false, .. } => {
            let g = super::commands::open(dir)?;
            for (name, engine) in engines {
                eprintln!("INFO  [ormsh.migrate] Migrating database {}", label(name));
                super::commands::run_on(cmd, dir, &g, Some(engine))?;
            }
            Ok(0)
        }
        Command::Upgrade { rev, sql: false } => migrate_all(dir, Direction::Up, rev, engines),
        Command::Downgrade { rev, sql: false } => migrate_all(dir, Direction::Down, rev, engines),
        Command::Upgrade { rev, sql: true } => offline_all(dir, engines, |g, ddl, name| {
            offline::migrate(g, ddl, Direction::Up, rev, Some(name))
        }),
        Command::Downgrade { rev, sql: true } => offline_all(dir, engines, |g, ddl, name| {
            offline::migrate(g, ddl, Direction::Down, rev, Some(name))
        }),
        Command::Stamp { rev, sql: true } => {
            offline_all(dir, engines, |g, ddl, _| offline::stamp(g, ddl, rev))
        }
        other => super::commands::run(other, dir, engines.first().map(|(_, e)| *e)),
    }
}

/// `--sql` of a multi-database folder, as Flask-Migrate's multidb env.py
/// writes it: each database's script (`script`, given the database's name)
/// in a file of its own in the working directory, `<bind>.sql`, and `.sql`
/// for the default database. Every script is made before any file is
/// written: a revision that cannot be read for one database writes none.
fn offline_all(
    dir: &Path,
    engines: &[(String, &Engine)],
    script: impl Fn(&Graph, &Ddl, &str) -> Result<String>,
) -> Result<i32> {
    let g = super::commands::open(dir)?;
    let mut scripts = Vec::new();
    for (name, engine) in engines {
        let ddl = Ddl {
            d: engine.dialect(),
        };
        let text = script(&g, &ddl, name).map_err(|e| {
            Error::Invalid(format!(
                "database {}: {e}\nno file was written",
                label(name)
            ))
        })?;
        scripts.push((name, text));
    }
    for (name, text) in scripts {
        let file = format!("{name}.sql");
        eprintln!("INFO  [ormsh.migrate] Migrating database {}", label(name));
        eprintln!("INFO  [ormsh.migrate] Writing output to {file}");
        std::fs::write(&file, text)
            .map_err(|e| Error::Config(format!("cannot write {file}: {e}")))?;
    }
    Ok(0)
}

/// A database as Flask-Migrate's log names it.
fn label(name: &str) -> String {
    if name.is_empty() {
        "<default>".to_string()
    } else {
        name.to_string()
    }
}

/// `db upgrade` / `db downgrade` of a multi-database folder: each database
/// (`engines`: `""` for the default one, then each bind) goes to `rev` with
/// its own functions and its own `alembic_version`, in Flask-Migrate's
/// order. Every revision on every database's way is read first: one that
/// cannot be stops the run before anything is applied.
fn migrate_all(
    dir: &Path,
    direction: Direction,
    rev: &str,
    engines: &[(String, &Engine)],
) -> Result<i32> {
    let g = super::commands::open(dir)?;
    let declared = databases(dir, &g).unwrap_or_default();
    let configured: Vec<&str> = engines.iter().map(|(n, _)| n.as_str()).collect();
    for n in &declared {
        if !configured.contains(&n.as_str()) {
            return Err(Error::Config(format!(
                "{}: the revisions have upgrade_{n}() for the database {}, which the app's SQLALCHEMY_BINDS does not name; nothing was applied",
                dir.display(),
                label(n)
            )));
        }
    }
    let mut plans = Vec::new();
    for (name, engine) in engines {
        let ddl = Ddl {
            d: engine.dialect(),
        };
        let current = version::current(engine)?;
        let revs = apply::path(&g, direction, &current, rev)?;
        let (planned, refusal) = apply::plan_for(&g, &ddl, direction, &revs, Some(name));
        if let Some(why) = refusal {
            return Err(Error::Invalid(format!(
                "database {}: {why}\nnothing was applied",
                label(name)
            )));
        }
        plans.push((name, *engine, current, planned));
    }
    for (name, engine, current, planned) in &plans {
        eprintln!("INFO  [ormsh.migrate] Migrating database {}", label(name));
        let (applied, error) = apply::run(&g, engine, direction, current, planned);
        if let Some(e) = error {
            return Err(Error::Invalid(format!(
                "database {}: {e}\n{}",
                label(name),
                if applied.is_empty() {
                    "nothing of it was applied".to_string()
                } else {
                    format!("applied to it: {}", applied.join(", "))
                }
            )));
        }
    }
    Ok(0)
}
