//! `ormsh db ..`: the subcommands' arguments, the migrations folder they
//! work on, and running them: the migrations commands on the folder and
//! the database alone (no models loaded), autogenerate (`migrate`,
//! `revision --autogenerate`, `check`) on the models the app loaded.

use std::io::IsTerminal;
use std::path::PathBuf;

use clap::Subcommand;

use super::Args;
use crate::app::{AppContext, DiscoverOptions};
use crate::error::{Error, Result};
use crate::repl::App;

#[derive(Subcommand, Debug)]
pub enum DbAction {
    /// Compare the models with the live tables.
    Diff {
        /// Print the DDL that brings the database in line, without running it.
        #[arg(long)]
        sql: bool,
    },
    /// The revision(s) the database is at (alembic_version).
    Current {
        #[command(flatten)]
        migrations: MigrationsDir,
        /// Alembic's long form.
        #[arg(short, long)]
        verbose: bool,
    },
    /// Every revision, newest first.
    History {
        #[command(flatten)]
        migrations: MigrationsDir,
        #[arg(short, long)]
        verbose: bool,
        /// Only the revisions from START to END, both included (base, heads,
        /// current, or a revision; either may be left out).
        #[arg(
            short = 'r',
            long = "rev-range",
            value_name = "START:END",
            allow_hyphen_values = true
        )]
        rev_range: Option<String>,
    },
    /// The revisions nothing revises yet.
    Heads {
        #[command(flatten)]
        migrations: MigrationsDir,
        #[arg(short, long)]
        verbose: bool,
    },
    /// The revisions that more than one revision revises.
    Branches {
        #[command(flatten)]
        migrations: MigrationsDir,
        #[arg(short, long)]
        verbose: bool,
    },
    /// One revision: its parent, path and message.
    Show {
        #[command(flatten)]
        migrations: MigrationsDir,
        /// A revision id (or a unique prefix), head, heads or base.
        #[arg(default_value = "head")]
        revision: String,
    },
    /// Apply the revisions up to REV (head), each in its own transaction.
    Upgrade {
        #[command(flatten)]
        migrations: MigrationsDir,
        /// head, heads, a revision id or prefix, +N, REV+N.
        #[arg(default_value = "head", allow_hyphen_values = true)]
        revision: String,
        /// Print the SQL instead of running it (from base, or FROM:TO); in a
        /// multidb folder, write .sql and <bind>.sql instead.
        #[arg(long)]
        sql: bool,
    },
    /// Revert the revisions down to REV (-1).
    Downgrade {
        #[command(flatten)]
        migrations: MigrationsDir,
        /// base, a revision id or prefix, -N, REV-N.
        #[arg(default_value = "-1", allow_hyphen_values = true)]
        revision: String,
        /// Print the SQL instead of running it (FROM:TO); in a multidb
        /// folder, write .sql and <bind>.sql instead.
        #[arg(long)]
        sql: bool,
    },
    /// Set alembic_version to REV without running any revision.
    Stamp {
        #[command(flatten)]
        migrations: MigrationsDir,
        /// head, heads, base, or a revision id or prefix (FROM:TO with --sql).
        revision: String,
        /// Print the SQL instead of running it (from base, or FROM:TO); in a
        /// multidb folder, write .sql and <bind>.sql instead.
        #[arg(long)]
        sql: bool,
    },
    /// Make the migrations folder (what `flask db init` makes).
    Init {
        #[command(flatten)]
        migrations: MigrationsDir,
    },
    /// A new revision file on the head: empty, or with --autogenerate what
    /// the models need.
    Revision {
        #[command(flatten)]
        migrations: MigrationsDir,
        #[command(flatten)]
        new: NewRevisionArgs,
        /// Write the changes the models need (as `db migrate`).
        #[arg(long)]
        autogenerate: bool,
        #[command(flatten)]
        safety: AutogenerateArgs,
        /// Refused, as Alembic refuses it: a new revision has no SQL to print.
        #[arg(long)]
        sql: bool,
    },
    /// A new revision with what the models need against the database at
    /// the head (`revision --autogenerate`).
    Migrate {
        #[command(flatten)]
        migrations: MigrationsDir,
        #[command(flatten)]
        new: NewRevisionArgs,
        #[command(flatten)]
        safety: AutogenerateArgs,
        /// Refused, as Alembic refuses it: autogenerate compares the models
        /// with the live database (`db upgrade --sql` prints a revision's SQL).
        #[arg(long)]
        sql: bool,
    },
    /// One revision on several heads (all of them by default).
    Merge {
        #[command(flatten)]
        migrations: MigrationsDir,
        /// The message.
        #[arg(short, long)]
        message: Option<String>,
        /// A branch label for the new revision.
        #[arg(long, value_name = "LABEL")]
        branch_label: Option<String>,
        /// The new revision's id instead of a random one.
        #[arg(long, value_name = "ID")]
        rev_id: Option<String>,
        /// The revisions to merge: ids, prefixes, or `heads`.
        revisions: Vec<String>,
    },
    /// Open a revision file in $EDITOR.
    Edit {
        #[command(flatten)]
        migrations: MigrationsDir,
        /// head, or a revision id or prefix.
        #[arg(default_value = "head")]
        revision: String,
    },
    /// Exit code 1 when the models need a migration (a `db migrate` would
    /// write one), 0 when they do not.
    Check {
        #[command(flatten)]
        migrations: MigrationsDir,
    },
}

/// A new revision's message, parent and names.
#[derive(clap::Args, Debug, Clone)]
pub struct NewRevisionArgs {
    /// The message.
    #[arg(short, long)]
    pub message: Option<String>,
    /// The revision it revises (head).
    #[arg(long, value_name = "REV")]
    pub head: Option<String>,
    /// A branch label for the new revision.
    #[arg(long, value_name = "LABEL")]
    pub branch_label: Option<String>,
    /// The new revision's id instead of a random one.
    #[arg(long, value_name = "ID")]
    pub rev_id: Option<String>,
}

impl NewRevisionArgs {
    fn to_new(&self) -> crate::migrate::authoring::NewRevision {
        crate::migrate::authoring::NewRevision {
            message: self.message.clone(),
            head: self.head.clone(),
            rev_id: self.rev_id.clone(),
            branch_label: self.branch_label.clone(),
            databases: Vec::new(),
        }
    }
}

/// The answers autogenerate asks for instead of losing data.
#[derive(clap::Args, Debug, Clone, Default)]
pub struct AutogenerateArgs {
    /// A column that disappears while another of its type appears is
    /// renamed: OLD=NEW or TABLE.OLD=NEW (repeatable).
    #[arg(long = "rename", value_name = "OLD=NEW")]
    pub renames: Vec<String>,
    /// The one-off value that fills a new NOT NULL column in a table with
    /// rows: COLUMN=VALUE or TABLE.COLUMN=VALUE (repeatable).
    #[arg(long = "default", value_name = "COLUMN=VALUE")]
    pub defaults: Vec<String>,
}

/// Where the migrations folder is (Flask-Migrate's `-d`).
#[derive(clap::Args, Debug, Clone)]
pub struct MigrationsDir {
    /// The migrations folder (default: migrations/ in the project).
    #[arg(short = 'd', long = "directory", value_name = "DIR")]
    pub directory: Option<PathBuf>,
}

impl DbAction {
    /// `--sql` where Alembic refuses it: with autogenerate (`db migrate`,
    /// `db revision --autogenerate`), and on `db revision` (Alembic prints
    /// SQL there only from a `revision_environment` env.py, which ormsh
    /// does not run).
    pub(super) fn sql_refusal(&self) -> Result<()> {
        match self {
            DbAction::Migrate { sql: true, .. }
            | DbAction::Revision {
                sql: true,
                autogenerate: true,
                ..
            } => Err(Error::Config(
                "Using --sql with --autogenerate does not make any sense: autogenerate compares the models with the live database and writes a revision file; write it without --sql, then `ormsh db upgrade --sql` prints its SQL".into(),
            )),
            DbAction::Revision { sql: true, .. } => Err(Error::Config(
                "Using --sql with the revision command when revision_environment is not configured does not make any sense: a new revision has no SQL to print; write it without --sql, then `ormsh db upgrade --sql` prints its SQL".into(),
            )),
            _ => Ok(()),
        }
    }

    /// The migrations command and its folder option; none for `diff`.
    pub(super) fn migrations(&self) -> Option<(crate::migrate::Command, &MigrationsDir)> {
        use crate::migrate::Command as C;
        Some(match self {
            DbAction::Diff { .. }
            | DbAction::Migrate { .. }
            | DbAction::Check { .. }
            | DbAction::Revision {
                autogenerate: true, ..
            } => return None,
            DbAction::Init { migrations } => (C::Init, migrations),
            DbAction::Revision {
                migrations, new, ..
            } => (C::Revision(new.to_new()), migrations),
            DbAction::Merge {
                migrations,
                message,
                branch_label,
                rev_id,
                revisions,
            } => (
                C::Merge {
                    revs: revisions.clone(),
                    new: crate::migrate::authoring::NewRevision {
                        message: message.clone(),
                        head: None,
                        rev_id: rev_id.clone(),
                        branch_label: branch_label.clone(),
                        databases: Vec::new(),
                    },
                },
                migrations,
            ),
            DbAction::Edit {
                migrations,
                revision,
            } => (
                C::Edit {
                    rev: revision.clone(),
                },
                migrations,
            ),
            DbAction::Current {
                migrations,
                verbose,
            } => (C::Current { verbose: *verbose }, migrations),
            DbAction::History {
                migrations,
                verbose,
                rev_range,
            } => (
                C::History {
                    verbose: *verbose,
                    range: rev_range.clone(),
                },
                migrations,
            ),
            DbAction::Heads {
                migrations,
                verbose,
            } => (C::Heads { verbose: *verbose }, migrations),
            DbAction::Branches {
                migrations,
                verbose,
            } => (C::Branches { verbose: *verbose }, migrations),
            DbAction::Show {
                migrations,
                revision,
            } => (
                C::Show {
                    rev: revision.clone(),
                },
                migrations,
            ),
            DbAction::Upgrade {
                migrations,
                revision,
                sql,
            } => (
                C::Upgrade {
                    rev: revision.clone(),
                    sql: *sql,
                },
                migrations,
            ),
            DbAction::Downgrade {
                migrations,
                revision,
                sql,
            } => (
                C::Downgrade {
                    rev: revision.clone(),
                    sql: *sql,
                },
                migrations,
            ),
            DbAction::Stamp {
                migrations,
                revision,
                sql,
            } => (
                C::Stamp {
                    rev: revision.clone(),
                    sql: *sql,
                },
                migrations,
            ),
        })
    }
}

/// The migrations folder: `-d DIR`, or `migrations/` in the project (or
/// the current folder when there is no project).
pub(super) fn migrations_folder(
    dir: &MigrationsDir,
    root: Option<&std::path::Path>,
    cwd: &std::path::Path,
) -> PathBuf {
    match (&dir.directory, root) {
        (Some(d), _) if d.is_absolute() => d.clone(),
        (Some(d), _) => cwd.join(d),
        (None, Some(root)) => root.join("migrations"),
        (None, None) => cwd.join("migrations"),
    }
}

/// `ormsh db current|history|..`: the project's migrations folder and,
/// where the command needs it, its database; no models are loaded.
pub(super) fn run_migrations(
    args: &Args,
    cmd: &crate::migrate::Command,
    dir: &MigrationsDir,
) -> Result<i32> {
    let cwd = std::env::current_dir()
        .map_err(|e| Error::Config(format!("cannot read the current folder: {e}")))?;
    let context = AppContext::discover(DiscoverOptions {
        app: args.app.clone(),
        database_url: args.database_url.clone(),
        config_name: args.config_name.clone(),
        cwd: cwd.clone(),
    });
    let folder = migrations_folder(dir, context.as_ref().ok().map(|c| c.root.as_path()), &cwd);
    let needs_db = cmd.needs_database()
        || matches!(
            cmd,
            crate::migrate::Command::Upgrade { .. } | crate::migrate::Command::Downgrade { .. }
        )
        || matches!(cmd, crate::migrate::Command::History { range: Some(r), .. } if r.contains("current"));
    // A new empty revision in a multi-database folder has an upgrade and
    // a downgrade for each database the app names.
    if matches!(
        cmd,
        crate::migrate::Command::Revision(_) | crate::migrate::Command::Merge { .. }
    ) && crate::migrate::multidb::is_multidb(&folder)
    {
        let context = context?;
        let databases: Vec<String> = std::iter::once(String::new())
            .chain(context.binds.iter().map(|(k, _)| k.clone()))
            .collect();
        let mut cmd = cmd.clone();
        if let crate::migrate::Command::Revision(n)
        | crate::migrate::Command::Merge { new: n, .. } = &mut cmd
        {
            n.databases = databases;
        }
        return crate::migrate::run(&cmd, &folder, None);
    }
    if !needs_db {
        return crate::migrate::run(cmd, &folder, None);
    }
    let context = context?;
    let runtime = crate::engine::Runtime::new()
        .map_err(|e| Error::Config(format!("cannot start the async runtime: {e}")))?;
    let options = crate::engine::EngineOptions {
        read_only: args.read_only || context.config.database.read_only,
        ..Default::default()
    };
    let connect = |url| {
        crate::engine::Engine::connect(url, &options, &runtime, crate::engine::QueryLog::default())
    };
    let engine = connect(context.default_url()?)?;
    // A multi-database folder: every database, each with its own functions.
    if crate::migrate::multidb::is_multidb(&folder) {
        let mut binds = Vec::new();
        for (key, url) in &context.binds {
            binds.push((key.clone(), connect(url)?));
        }
        let engines: Vec<(String, &crate::engine::Engine)> =
            std::iter::once((String::new(), &engine))
                .chain(binds.iter().map(|(k, e)| (k.clone(), e)))
                .collect();
        return crate::migrate::multidb::run(&folder, cmd, &engines);
    }
    crate::migrate::run(cmd, &folder, Some(&engine))
}

/// `db migrate`, `db revision --autogenerate` and `db check`, on the
/// models the app loaded and its database.
pub(super) fn autogenerate(
    app: &App,
    action: &DbAction,
    root: &std::path::Path,
    cwd: &std::path::Path,
) -> Result<i32> {
    use crate::migrate::autogen;
    let session = app.host.session();
    // A model left out would read as a table to drop.
    if let Some(first) = app.host.not_loaded().first() {
        return Err(Error::Invalid(format!(
            "not every model could be loaded ({first}); a revision without it would drop its table: fix the model first"
        )));
    }
    let (migrations, new, safety) = match action {
        DbAction::Check { migrations } => {
            return autogen::check(&migrations_folder(migrations, Some(root), cwd), session);
        }
        DbAction::Migrate {
            migrations,
            new,
            safety,
            ..
        }
        | DbAction::Revision {
            migrations,
            new,
            safety,
            ..
        } => (migrations, new, safety),
        _ => return Err(Error::Config("not an autogenerate command".into())),
    };
    let mut renames = Vec::new();
    for r in &safety.renames {
        let (table, old, new) = autogen::plan::parse_assignment(r, "rename")?;
        renames.push(autogen::Rename { table, old, new });
    }
    let mut defaults = Vec::new();
    for d in &safety.defaults {
        let (table, column, value) = autogen::plan::parse_assignment(d, "default")?;
        defaults.push(autogen::OneOff {
            table,
            column,
            value,
        });
    }
    let ask = |q: &str| crate::repl::confirm(q);
    let terminal = std::io::stdin().is_terminal() && std::io::stderr().is_terminal();
    let answers = autogen::Answers {
        renames,
        defaults,
        ask: if terminal { Some(&ask) } else { None },
    };
    autogen::migrate(
        &migrations_folder(migrations, Some(root), cwd),
        session,
        &new.to_new(),
        &answers,
    )?;
    Ok(0)
}
