//! The command line: clap arguments are checked, the application is opened
//! (engines, models, session) and one mode runs: the prompt, `-c EXPR`,
//! `run FILE`, a script on stdin, or `completions`.
//! Exit codes: 0 success, 1 script or database error, 2 usage or set-up error.

use std::io::{IsTerminal, Read};
use std::path::PathBuf;

use clap::{CommandFactory, Parser, Subcommand};

use crate::app::{AppContext, DiscoverOptions, Settings};
use crate::error::{Error, Result};
use crate::render::Format;
use crate::repl::App;

mod db;
pub use db::{AutogenerateArgs, DbAction, MigrationsDir, NewRevisionArgs};
use db::{autogenerate, run_migrations};

#[derive(Parser, Debug)]
#[command(
    name = "ormsh",
    version,
    about = "flask shell plus Flask-SQLAlchemy, as one fast binary",
    long_about = "Opens an application context on a project (ormsh.toml), connects to its database, loads its models and gives a prompt where Flask-SQLAlchemy's code works: User.query.filter_by(#{ username: \"john\" }).first().",
    after_help = "Examples:
  ormsh                                         the prompt on the project here (or a parent folder)
  ormsh --app scripts/blog                      the prompt on another project
  ormsh -c 'User.query.count()'                 one expression, printed
  ormsh --format json -c 'User.query.all()'     as JSON
  ormsh run seed.rhai 100                       a script (app.args == [\"100\"]); its commits are kept
  ormsh run --atomic seed.rhai                  all of the script's commits, or nothing
  ormsh run --sandbox seed.rhai                 a dry run: what it would write, then rolled back
  ormsh --read-only                             a prompt whose connection refuses every write
  ormsh --database-url postgresql://me@localhost/shop   any database, its tables reflected as models
  ormsh models dump --out models.rhai           the models as a models file
  ormsh db diff --sql                           the DDL that brings the database in line
  ormsh db upgrade                              apply the migrations/ folder's revisions (Flask-Migrate's)

User preferences (edit_mode, format, pager, color, theme): config.toml in the user's config folder (ORMSH_CONFIG names another)."
)]
pub struct Args {
    /// The project folder (or its ormsh.toml); default: the nearest ormsh.toml upwards.
    #[arg(long, global = true, env = "ORMSH_APP", value_name = "PATH")]
    pub app: Option<PathBuf>,
    /// Use this database instead of the project's (SQLAlchemy URL).
    #[arg(long, global = true, value_name = "URL")]
    pub database_url: Option<String>,
    /// In a Flask project: the config a factory picks by name (`config['NAME']`), as FLASK_CONFIG would.
    #[arg(long = "config", global = true, value_name = "NAME")]
    pub config_name: Option<String>,
    /// Evaluate one expression, print its result and exit.
    #[arg(short = 'c', long = "command", value_name = "EXPR")]
    pub command: Option<String>,
    /// Print every SQL statement (on by default at the prompt).
    #[arg(long, global = true, overrides_with = "no_echo")]
    pub echo: bool,
    /// Print no SQL statements.
    #[arg(long, global = true)]
    pub no_echo: bool,
    /// How results print.
    #[arg(long, global = true, value_name = "FORMAT", value_parser = ["table", "vertical", "json", "csv", "markdown"])]
    pub format: Option<String>,
    /// No colours, even on a terminal.
    #[arg(long, global = true)]
    pub no_color: bool,
    /// Add a model for every table that no model declares (automatic when the
    /// project has no models file).
    #[arg(long, global = true)]
    pub reflect: bool,
    /// Roll everything back at the end, whatever was committed: a dry run for
    /// scripts, a sandbox at the prompt.
    #[arg(long, global = true)]
    pub sandbox: bool,
    /// Open the database read-only: the connection itself refuses every
    /// write, through the ORM or in hand-written SQL (`read_only = true` in
    /// ormsh.toml's [database] does the same).
    #[arg(long, global = true, env = "ORMSH_READ_ONLY", value_parser = clap::builder::FalseyValueParser::new())]
    pub read_only: bool,
    /// A schema (PostgreSQL) or database (MySQL) to reflect besides the
    /// search path's; repeat it or join names with commas, `*` for every
    /// schema (`schemas = [..]` in ormsh.toml's [database]).
    #[arg(
        long = "schema",
        global = true,
        value_name = "NAME",
        value_delimiter = ','
    )]
    pub schemas: Vec<String>,
    /// In `run` and -c: changes left uncommitted at the end (rolled back,
    /// with a warning) fail the run with exit code 1.
    #[arg(long, global = true)]
    pub strict: bool,
    /// Answer yes to the guards of destructive calls (db.drop_all(), a bulk
    /// update or delete with no filter, SQL with no WHERE) in scripts and -c.
    #[arg(long, short = 'y', global = true)]
    pub yes: bool,
    #[command(subcommand)]
    pub mode: Option<Mode>,
}

#[derive(Subcommand, Debug)]
pub enum Mode {
    /// Run a script: what its db.session.commit() calls commit is kept, and
    /// what no commit covers is rolled back at the end (with a warning).
    Run {
        /// All or nothing: the script's commits are held (each a savepoint,
        /// so a rollback goes back to the last one) and committed together
        /// only if the script ends without error; one transaction, one sync.
        #[arg(long)]
        atomic: bool,
        /// The .rhai file.
        file: PathBuf,
        /// Arguments the script reads as `app.args`.
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
    /// The interactive prompt (the default).
    Shell,
    /// Models: `ormsh models dump [--out FILE]` writes every model (declared or
    /// reflected) as a models file.
    Models {
        #[command(subcommand)]
        action: ModelsAction,
    },
    /// The database: `ormsh db diff [--sql]` shows where the models and the
    /// live database disagree (exit code 1 when they do); `db upgrade`,
    /// `downgrade`, `current`, `history`, `heads`, `branches`, `show` and
    /// `stamp` work on a Flask-Migrate (Alembic) migrations folder.
    Db {
        #[command(subcommand)]
        action: DbAction,
    },
    /// Print shell completions.
    Completions {
        /// bash, zsh or fish.
        #[arg(value_parser = ["bash", "zsh", "fish"])]
        shell: String,
    },
}

#[derive(Subcommand, Debug)]
pub enum ModelsAction {
    /// Write the models file.
    Dump {
        /// Write here instead of standard output.
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
}

/// Parse arguments, run, and return the exit code.
pub fn main() -> i32 {
    crate::engine::configure_process();
    let args = match Args::try_parse() {
        Ok(args) => args,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return code;
        }
    };
    match run(args) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e}");
            e.exit_code()
        }
    }
}

/// The completion script for `shell`, as `ormsh completions SHELL` prints it.
pub fn completions(shell: &str) -> String {
    use clap_complete::Shell;
    let shell = match shell {
        "zsh" => Shell::Zsh,
        "fish" => Shell::Fish,
        _ => Shell::Bash,
    };
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut Args::command(), "ormsh", &mut out);
    String::from_utf8(out).unwrap_or_default()
}

fn run(args: Args) -> Result<i32> {
    if let Some(Mode::Completions { shell }) = &args.mode {
        print!("{}", completions(shell));
        return Ok(0);
    }
    if let Some(Mode::Db { action }) = &args.mode {
        action.sql_refusal()?;
    }
    if let Some(Mode::Db { action }) = &args.mode
        && let Some((cmd, dir)) = action.migrations()
    {
        return run_migrations(&args, &cmd, dir);
    }
    let stdin_script =
        args.command.is_none() && args.mode.is_none() && !std::io::stdin().is_terminal();
    // `ormsh shell` is the prompt even when lines come from a pipe.
    let interactive =
        args.command.is_none() && !stdin_script && matches!(args.mode, None | Some(Mode::Shell));
    let mut context = AppContext::discover(DiscoverOptions {
        app: args.app.clone(),
        database_url: args.database_url.clone(),
        config_name: args.config_name.clone(),
        cwd: std::env::current_dir()
            .map_err(|e| Error::Config(format!("cannot read the current folder: {e}")))?,
    })?;
    if args.read_only {
        context.config.database.read_only = true;
    }
    if !args.schemas.is_empty() {
        context.config.database.schemas = args.schemas.clone();
    }
    let preferences = crate::app::preferences::Preferences::load()?;
    let format = match args.format.as_ref().or(preferences.format.as_ref()) {
        Some(f) => f
            .parse::<Format>()
            .map_err(|e| Error::Config(e.to_string()))?,
        None => Format::Table,
    };
    let color = interactive
        && !args.no_color
        && preferences.color != Some(false)
        && std::env::var_os("NO_COLOR").is_none()
        && std::io::stdout().is_terminal();
    let echo_on = if args.no_echo {
        false
    } else {
        args.echo || (interactive && context.config.database.echo)
    };
    let script_args = match &args.mode {
        Some(Mode::Run { args, .. }) => args.clone(),
        _ => Vec::new(),
    };
    let settings = std::rc::Rc::new(Settings {
        project: context,
        preferences,
        interactive,
        echo: echo_on,
        color,
        script_args,
        reflect: args.reflect,
        assume_yes: args.yes,
        strict: args.strict,
        atomic: matches!(args.mode, Some(Mode::Run { atomic: true, .. })),
        sandbox: args.sandbox,
    });
    let mut app = App::open(settings.clone())?;
    app.format = format;
    if settings.sandbox {
        app.enter_sandbox();
    }
    match (&args.command, &args.mode) {
        (Some(expr), _) => app.run_command(expr),
        (None, Some(Mode::Run { file, .. })) => app.run_file(file),
        (
            None,
            Some(Mode::Db {
                action: DbAction::Diff { sql },
            }),
        ) => Ok(if app.diff(*sql)? { 1 } else { 0 }),
        (None, Some(Mode::Db { action })) => {
            let cwd = std::env::current_dir()
                .map_err(|e| Error::Config(format!("cannot read the current folder: {e}")))?;
            autogenerate(&app, action, &settings.project.root, &cwd)
        }
        (
            None,
            Some(Mode::Models {
                action: ModelsAction::Dump { out },
            }),
        ) => {
            let text = app.host.models_file()?;
            match out {
                Some(path) => std::fs::write(path, text).map_err(|e| Error::Io {
                    path: path.clone(),
                    source: e,
                })?,
                None => print!("{text}"),
            }
            Ok(0)
        }
        _ if stdin_script => {
            let mut source = String::new();
            std::io::stdin().read_to_string(&mut source).map_err(|e| {
                Error::Config(format!("cannot read the script on standard input: {e}"))
            })?;
            app.run_script(&source, "<stdin>")
        }
        _ => crate::repl::run(&mut app),
    }
}
