//! The command line: clap arguments become a validated `Invocation`, which
//! opens the application (engines, models, session) and runs one mode: the
//! prompt, `-c EXPR`, `run FILE`, a script on stdin, or `completions`.
//! Exit codes: 0 success, 1 script or database error, 2 usage or set-up error.

use std::cell::Cell;
use std::io::{IsTerminal, Read};
use std::path::PathBuf;
use std::rc::Rc;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use clap::{CommandFactory, Parser, Subcommand};

use crate::app::{AppContext, DiscoverOptions};
use crate::engine::{Engine, EngineOptions, QueryLog, Runtime};
use crate::error::{Error, Result};
use crate::orm::Engines;
use crate::render::{self, Format, Style};
use crate::script::{HostOptions, Output, ScriptHost};

#[derive(Parser, Debug)]
#[command(
    name = "ormsh",
    version,
    about = "flask shell plus Flask-SQLAlchemy, as one fast binary",
    long_about = "Opens an application context on a project (ormsh.toml), connects to its database, loads its models and gives a prompt where Flask-SQLAlchemy's code works: User.query.filter_by(#{ username: \"john\" }).first()."
)]
pub struct Args {
    /// The project folder (or its ormsh.toml); default: the nearest ormsh.toml upwards.
    #[arg(long, global = true, env = "ORMSH_APP", value_name = "PATH")]
    pub app: Option<PathBuf>,
    /// Use this database instead of the project's (SQLAlchemy URL).
    #[arg(long, global = true, value_name = "URL")]
    pub database_url: Option<String>,
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
    #[arg(long, global = true, value_name = "FORMAT", value_parser = ["table", "vertical", "json", "csv"])]
    pub format: Option<String>,
    /// No colours, even on a terminal.
    #[arg(long, global = true)]
    pub no_color: bool,
    /// Roll everything back at the end, whatever was committed: a dry run for
    /// scripts, a sandbox at the prompt.
    #[arg(long, global = true)]
    pub sandbox: bool,
    #[command(subcommand)]
    pub mode: Option<Mode>,
}

#[derive(Subcommand, Debug)]
pub enum Mode {
    /// Run a script in one transaction: it commits only if it ends without error.
    Run {
        /// The .rhai file.
        file: PathBuf,
        /// Arguments the script reads as `app.args`.
        #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
        args: Vec<String>,
    },
    /// The interactive prompt (the default).
    Shell,
    /// Print shell completions.
    Completions {
        /// bash, zsh or fish.
        #[arg(value_parser = ["bash", "zsh", "fish"])]
        shell: String,
    },
}

/// Parse arguments, run, and return the exit code.
pub fn main() -> i32 {
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
    let stdin_script =
        args.command.is_none() && args.mode.is_none() && !std::io::stdin().is_terminal();
    // `ormsh shell` is the prompt even when lines come from a pipe.
    let interactive =
        args.command.is_none() && !stdin_script && matches!(args.mode, None | Some(Mode::Shell));
    let context = AppContext::discover(DiscoverOptions {
        app: args.app.clone(),
        database_url: args.database_url.clone(),
        cwd: std::env::current_dir()
            .map_err(|e| Error::Config(format!("cannot read the current folder: {e}")))?,
    })?;
    let format = match &args.format {
        Some(f) => f
            .parse::<Format>()
            .map_err(|e| Error::Config(e.to_string()))?,
        None => Format::Table,
    };
    let color = interactive
        && !args.no_color
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
    let mut app = App::open(
        &context,
        AppOptions {
            interactive,
            echo: echo_on,
            color,
            args: script_args,
        },
    )?;
    app.format = format;
    if args.sandbox {
        app.enter_sandbox();
    }
    match (&args.command, &args.mode) {
        (Some(expr), _) => app.run_command(expr),
        (None, Some(Mode::Run { file, .. })) => app.run_file(file),
        _ if stdin_script => {
            let mut source = String::new();
            std::io::stdin().read_to_string(&mut source).map_err(|e| {
                Error::Config(format!("cannot read the script on standard input: {e}"))
            })?;
            app.run_script(&source, "<stdin>")
        }
        _ => crate::repl::run(&mut app, &context),
    }
}

/// A SQLite file that exists must be a readable file: say so before the
/// first statement, with the path, rather than fail later.
fn check_sqlite_file(url: &crate::app::DatabaseUrl) -> Result<()> {
    if let Some(crate::app::SqliteTarget::File(path)) = url.sqlite_target()
        && path.exists()
    {
        if path.is_dir() {
            return Err(Error::Config(format!(
                "the database {} is a folder, not a SQLite file",
                path.display()
            )));
        }
        std::fs::File::open(path).map_err(|e| {
            Error::Config(format!("cannot open the database {}: {e}", path.display()))
        })?;
    }
    Ok(())
}

/// How the application is opened.
pub struct AppOptions {
    /// At a prompt: colour, confirmation of destructive calls, terminal width.
    pub interactive: bool,
    /// Print each SQL statement.
    pub echo: bool,
    pub color: bool,
    /// `app.args` for a script.
    pub args: Vec<String>,
}

/// An open application: the script host over the session, and how to print.
pub struct App {
    pub host: ScriptHost,
    pub format: Format,
    pub style: Style,
    pub echo: Rc<Cell<bool>>,
    pub interrupt: Arc<AtomicBool>,
    /// Everything is rolled back at the end (`--sandbox`, `.sandbox`).
    pub sandbox: bool,
    /// `.timing on`: each line's time, database time and statement count.
    pub timing: bool,
    /// Statements sent and time spent in the database since the last line.
    statements: Rc<Cell<(u64, std::time::Duration)>>,
}

impl App {
    /// Connect (lazily) to every database of the project and load its models.
    pub fn open(context: &AppContext, options: AppOptions) -> Result<App> {
        let AppOptions {
            interactive,
            echo: echo_on,
            color,
            args,
        } = options;
        context.ensure_instance_dir()?;
        for url in
            std::iter::once(&context.database_url).chain(context.binds.iter().map(|(_, u)| u))
        {
            check_sqlite_file(url)?;
        }
        let runtime = Runtime::new()
            .map_err(|e| Error::Config(format!("cannot start the async runtime: {e}")))?;
        let log = QueryLog::default();
        let interrupt = Arc::new(AtomicBool::new(false));
        let options = EngineOptions {
            busy_timeout: context.config.database.busy_timeout(),
            sqlite_foreign_keys: context.config.database.sqlite_foreign_keys,
            ..EngineOptions::default()
        };
        let mut default = Engine::connect(&context.database_url, &options, &runtime, log.clone())?;
        default.set_interrupt_flag(interrupt.clone());
        let mut named = Vec::new();
        for (name, url) in &context.binds {
            let mut engine = Engine::connect(url, &options, &runtime, log.clone())?;
            engine.set_interrupt_flag(interrupt.clone());
            named.push((name.clone(), engine));
        }
        let style = Style {
            color,
            width: if interactive {
                comfy_table::Table::new().width()
            } else {
                None
            },
        };
        let echo = Rc::new(Cell::new(echo_on));
        let statements = Rc::new(Cell::new((0, std::time::Duration::ZERO)));
        {
            let statements = statements.clone();
            log.subscribe(Box::new(move |q| {
                let (n, t) = statements.get();
                statements.set((n + 1, t + q.elapsed));
            }));
        }
        {
            let echo = echo.clone();
            let style = style.clone();
            log.subscribe(Box::new(move |q| {
                if echo.get() {
                    eprintln!(
                        "{}",
                        render::echo(&q.sql, &q.params, q.elapsed, q.rows, &style)
                    );
                }
            }));
        }
        let confirm: crate::script::Confirm = if interactive {
            Box::new(crate::repl::confirm)
        } else {
            Box::new(|_| true)
        };
        let config = vec![
            (
                "SQLALCHEMY_DATABASE_URI".to_string(),
                context.database_url.masked().into(),
            ),
            (
                "SQLALCHEMY_ECHO".to_string(),
                context.config.database.echo.into(),
            ),
            (
                "SQLALCHEMY_RECORD_QUERIES".to_string(),
                context.config.database.record_queries.into(),
            ),
            (
                "SQLALCHEMY_TRACK_MODIFICATIONS".to_string(),
                context.config.database.track_modifications.into(),
            ),
        ];
        let host = ScriptHost::open(
            context.models_file.as_deref(),
            Engines::new(default, named),
            HostOptions {
                record_queries: context.config.database.record_queries,
                confirm,
                config,
                args,
                interrupt: interrupt.clone(),
            },
        )?;
        Ok(App {
            host,
            format: Format::Table,
            style,
            echo,
            interrupt,
            sandbox: false,
            timing: false,
            statements,
        })
    }

    /// Print a result as the format says.
    pub fn print_output(&self, output: &Output) {
        let text = match output {
            Output::Nothing => return,
            Output::Table { columns, rows } => {
                render::rows(&render::Rows { columns, rows }, self.format, &self.style)
            }
            Output::Card { title, fields } => {
                render::card(&render::Card { title, fields }, self.format, &self.style)
            }
            Output::Scalar(v) => render::scalar(v, &self.style),
            Output::Text(t) => t.clone(),
            Output::Sql { sql, params } => render::sql(sql, params, &self.style),
            Output::Page { table, footer } => {
                self.print_output(table);
                // JSON and CSV stay machine-readable: the items alone.
                if matches!(self.format, Format::Json | Format::Csv) {
                    return;
                }
                footer.clone()
            }
        };
        use std::io::Write;
        let _ = writeln!(std::io::stdout(), "{text}");
    }

    /// Evaluate and print one piece of input at the prompt or from `-c`.
    pub fn eval_and_print(&mut self, source: &str, origin: Option<&str>) -> Result<()> {
        let started = std::time::Instant::now();
        self.statements.set((0, std::time::Duration::ZERO));
        let result = self
            .host
            .eval(source, origin)
            .and_then(|value| self.host.output(&value));
        if let Ok(output) = &result {
            self.print_output(output);
        }
        self.warn_nplusone(None);
        if self.timing {
            let (n, db) = self.statements.get();
            eprintln!(
                "time: {:.2} ms in all · {:.2} ms in the database · {n} statement{}",
                started.elapsed().as_secs_f64() * 1e3,
                db.as_secs_f64() * 1e3,
                if n == 1 { "" } else { "s" }
            );
        }
        result.map(|_| ())
    }

    /// The N+1 warnings of what just ran, after its result.
    fn warn_nplusone(&self, origin: Option<&str>) {
        for warning in self.host.nplusone_warnings(origin) {
            eprintln!("{}", render::warning(&warning, &self.style));
        }
    }

    /// `ormsh -c EXPR`: its changes are committed when it succeeds.
    fn run_command(&mut self, expr: &str) -> Result<i32> {
        self.host.session().set_hold_commits(true);
        let result = self.eval_and_print(expr, Some("-c"));
        self.finish(result)
    }

    fn run_file(&mut self, file: &std::path::Path) -> Result<i32> {
        let source = std::fs::read_to_string(file).map_err(|e| Error::Io {
            path: file.to_path_buf(),
            source: e,
        })?;
        self.run_script(&source, &file.display().to_string())
    }

    /// A whole script in one transaction: committed only if it ends without error.
    pub fn run_script(&mut self, source: &str, origin: &str) -> Result<i32> {
        crate::repl::install_interrupt_handler(&self.interrupt);
        self.host.session().set_hold_commits(true);
        let result = self.host.eval(source, Some(origin)).map(|_| ());
        self.warn_nplusone(Some(origin));
        self.finish(result)
    }

    /// From now on `commit()` only flushes, and leaving rolls everything back.
    pub fn enter_sandbox(&mut self) {
        self.sandbox = true;
        self.host.session().set_hold_commits(true);
        self.host.session().reset_write_counts();
    }

    /// What the session wrote, per model, as the sandbox reports it.
    pub fn write_report(&self) -> String {
        let counts = self.host.session().write_counts();
        if counts.is_empty() {
            return "nothing was written".to_string();
        }
        counts
            .iter()
            .map(|(model, i, u, d)| format!("{model}: {i} inserted, {u} updated, {d} deleted"))
            .collect::<Vec<_>>()
            .join("\n")
    }

    fn finish(&mut self, result: Result<()>) -> Result<i32> {
        let session = self.host.session();
        match result {
            Ok(()) if self.sandbox => {
                // A flush shows what the script would write; then it is undone.
                session.flush()?;
                println!("dry run (sandbox), rolled back:\n{}", self.write_report());
                session.rollback()?;
                Ok(0)
            }
            Ok(()) => {
                session.commit_held()?;
                Ok(0)
            }
            Err(e) => {
                let _ = session.rollback();
                eprintln!("error: {e}");
                if session
                    .engines()
                    .all()
                    .any(|(_, e)| e.dialect().ddl_commits())
                {
                    eprintln!(
                        "note: nothing was committed (on MySQL/MariaDB, DDL such as create_all commits by itself and stays)"
                    );
                } else {
                    eprintln!("note: nothing was committed");
                }
                Ok(match e {
                    Error::Interrupted => 130,
                    other => other.exit_code(),
                })
            }
        }
    }
}
