//! An open application: the script host over the session, how results and
//! SQL print, and the non-interactive runs (`-c`, `run`, a script on stdin)
//! that share it with the prompt.

mod parts;
mod run;

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use crate::app::Settings;
use crate::engine::{Engine, EngineOptions, QueryLog, Runtime};
use crate::error::{Error, Result};
use crate::orm::Engines;
use crate::render::{self, Format, Style};
use crate::script::{HostOptions, Output, ScriptHost};

/// A SQLite file that exists must be a readable file: say so before the
/// first statement, with the path, rather than fail later.
fn check_sqlite_file(url: &crate::app::DatabaseUrl) -> Result<()> {
    if let Some(crate::app::SqliteTarget::File(path)) = url.sqlite_target()
        && !path.exists()
    {
        if let Some(folder) = path.parent().filter(|f| !f.exists()) {
            return Err(Error::Config(format!(
                "the folder {} of the SQLite database does not exist: create it, or fix the URL",
                folder.display()
            )));
        }
        if url.sqlite_read_only() {
            return Err(Error::Config(format!(
                "the database {} does not exist, and mode=ro opens it read-only: nothing to read",
                path.display()
            )));
        }
    }
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

/// Output longer than this many lines is paged.
const PAGER_LINES: usize = 40;

/// An open application: the script host over the session, and how to print.
pub struct App {
    pub host: ScriptHost,
    pub format: Format,
    pub style: Style,
    pub echo: Rc<Cell<bool>>,
    pub interrupt: Arc<AtomicBool>,
    /// Everything is rolled back at the end (`--sandbox`, `.sandbox`).
    pub sandbox: bool,
    /// `run --atomic`: the run commits all that its commits kept, or nothing.
    pub atomic: bool,
    /// `--strict`: uncommitted work at the end of a run fails it.
    pub strict: bool,
    /// `.timing on`: each line's time, database time and statement count.
    pub timing: bool,
    /// Long output goes through a pager (`.pager on|off`).
    pub pager: bool,
    /// `.output FILE`: results go there instead.
    output_file: Option<std::cell::RefCell<std::fs::File>>,
    /// Whether colour was chosen (restored when output comes back to the screen).
    color: bool,
    /// Statements sent and time spent in the database since the last line.
    statements: Rc<Cell<(u64, std::time::Duration)>>,
    /// Opens the script host again for `.reload`.
    opener: HostOpener,
    /// While a script runs: its spinner and counts.
    progress: Rc<RefCell<Option<super::progress::Progress>>>,
    /// The run's one configuration.
    pub settings: Rc<Settings>,
}

/// What it takes to open the script host (engines, models, session): kept
/// so `.reload` can open a fresh one on the same runtime, log and flags.
struct HostOpener {
    settings: Rc<Settings>,
    runtime: Runtime,
    log: QueryLog,
    interrupt: Arc<AtomicBool>,
}

impl HostOpener {
    fn open(&self) -> Result<ScriptHost> {
        let settings = &self.settings;
        let context = &settings.project;
        let options = EngineOptions {
            busy_timeout: context.config.database.busy_timeout(),
            sqlite_foreign_keys: context.config.database.sqlite_foreign_keys,
            read_only: context.config.database.read_only,
            schemas: context.config.database.schemas.clone(),
            ..EngineOptions::default()
        };
        let connect = |url| -> Result<Engine> {
            let mut engine = Engine::connect(url, &options, &self.runtime, self.log.clone())?;
            engine.set_interrupt_flag(self.interrupt.clone());
            Ok(engine)
        };
        let default = context.database_url.as_ref().map(connect).transpose()?;
        let mut named = Vec::new();
        for (name, url) in &context.binds {
            named.push((name.clone(), connect(url)?));
        }
        let confirm: crate::script::Confirm = if settings.interactive {
            Box::new(super::confirm)
        } else {
            let yes = settings.assume_yes;
            Box::new(move |_| yes)
        };
        let database = &context.config.database;
        let config = vec![
            (
                "SQLALCHEMY_DATABASE_URI".to_string(),
                context
                    .database_url
                    .as_ref()
                    .map_or(rhai::Dynamic::UNIT, |u| u.masked().into()),
            ),
            ("SQLALCHEMY_ECHO".to_string(), database.echo.into()),
            (
                "SQLALCHEMY_RECORD_QUERIES".to_string(),
                database.record_queries.into(),
            ),
            (
                "SQLALCHEMY_TRACK_MODIFICATIONS".to_string(),
                database.track_modifications.into(),
            ),
        ];
        let host = ScriptHost::open(
            context.models_file.as_deref(),
            match default {
                Some(default) => Engines::new(default, named),
                None => Engines::binds_only(named)?,
            },
            HostOptions {
                record_queries: database.record_queries,
                confirm,
                config,
                args: settings.script_args.clone(),
                track_modifications: database.track_modifications,
                reflect: settings.reflect,
                interrupt: self.interrupt.clone(),
                python_models: context.flask.as_deref().map(crate::flask_models::read),
            },
        )?;
        show_notes(&host);
        Ok(host)
    }
}

/// Print reflection's notes (a name chosen around a taken one), one line each.
fn show_notes(host: &ScriptHost) {
    for note in host.take_notes() {
        eprintln!("note: {note}");
    }
}

impl App {
    /// Connect (lazily) to every database of the project and load its models.
    pub fn open(settings: Rc<Settings>) -> Result<App> {
        let context = &settings.project;
        let (interactive, color) = (settings.interactive, settings.color);
        context.ensure_instance_dir()?;
        for url in context.urls() {
            check_sqlite_file(url)?;
        }
        let runtime = Runtime::new()
            .map_err(|e| Error::Config(format!("cannot start the async runtime: {e}")))?;
        let log = QueryLog::default();
        let interrupt = Arc::new(AtomicBool::new(false));
        let style = Style {
            color,
            width: if interactive {
                comfy_table::Table::new().width()
            } else {
                None
            },
        };
        let echo = Rc::new(Cell::new(settings.echo));
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
                        render::echo(q.sql, &q.params(), q.elapsed, q.rows, &style)
                    );
                }
            }));
        }
        let progress: Rc<RefCell<Option<super::progress::Progress>>> = Rc::default();
        {
            let progress = progress.clone();
            log.subscribe(Box::new(move |_| {
                if let Some(p) = progress.borrow_mut().as_mut() {
                    p.statement();
                }
            }));
        }
        let opener = HostOpener {
            settings: settings.clone(),
            runtime,
            log,
            interrupt: interrupt.clone(),
        };
        let host = opener.open()?;
        Ok(App {
            host,
            opener,
            progress,
            format: Format::Table,
            style,
            echo,
            interrupt,
            sandbox: false,
            atomic: settings.atomic,
            strict: settings.strict,
            timing: false,
            pager: interactive
                && std::io::IsTerminal::is_terminal(&std::io::stdout())
                && settings.preferences.pager_command().is_some(),
            settings: settings.clone(),
            output_file: None,
            color,
            statements,
        })
    }

    /// Print a result as the format says.
    pub fn print_output(&self, output: &Output) {
        if let Output::Stream(query) = output {
            if let Err(e) = self.print_stream(query) {
                eprintln!("error: {e}");
            }
            return;
        }
        let text = self.output_text(output);
        if text.is_empty() {
            return;
        }
        use std::io::Write;
        if let Some(file) = &self.output_file {
            let _ = writeln!(&*file.borrow(), "{text}");
            return;
        }
        if self.pager && text.lines().count() > PAGER_LINES && self.page(&text) {
            return;
        }
        let _ = writeln!(std::io::stdout(), "{text}");
    }

    /// A query's rows, printed as they arrive: to the `.output` file or
    /// standard output, never held whole.
    fn print_stream(&self, query: &crate::orm::Query) -> Result<()> {
        use std::io::Write;
        let stdout = std::io::stdout();
        let mut file;
        let mut screen;
        let target: &mut dyn Write = match &self.output_file {
            Some(f) => {
                file = f.borrow_mut();
                &mut *file
            }
            None => {
                screen = stdout.lock();
                &mut screen
            }
        };
        let mut out = std::io::BufWriter::with_capacity(64 * 1024, target);
        let io_error =
            |e: std::io::Error| Error::Session(format!("could not write the result: {e}"));
        let mut stream = render::RowStream::new(
            query.column_names(),
            self.format,
            self.style.clone(),
            &mut out,
        );
        // A reader that stops early (`| head`) ends the query, quietly.
        let mut closed = false;
        let streamed = self
            .host
            .session()
            .stream_rows(query, |row| match stream.push(row) {
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => {
                    closed = true;
                    Err(io_error(e))
                }
                other => other.map_err(io_error),
            });
        match streamed {
            Err(_) if closed => return Ok(()),
            other => other?,
        };
        match stream.finish().and_then(|_| out.flush()) {
            Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
            other => other.map_err(io_error),
        }
    }

    /// Print where the models and the database disagree, one table per
    /// model (or the DDL that fixes it); whether there was any drift.
    /// Where the database stands against the project's `migrations/`
    /// folder; `None` without one.
    pub fn migration_status(&self) -> Result<Option<crate::migrate::status::Status>> {
        let dir = self.settings.project.root.join("migrations");
        let session = self.host.session();
        if !dir.join("versions").is_dir() {
            return Ok(None);
        }
        crate::migrate::status::status(&dir, session.engines().default_engine()?)
    }

    pub fn diff(&self, sql: bool) -> Result<bool> {
        let session = self.host.session();
        let drift = session.diff()?;
        if drift.is_empty() {
            println!("no drift: the database matches the models");
            return Ok(false);
        }
        if sql {
            let extras = |bind: Option<&str>,
                          table: &str,
                          extras: &[&crate::orm::schema::drift_constraints::ConstraintDrift]| {
                crate::migrate::autogen::extra_drop_sql(session.engines().get(bind)?, table, extras)
            };
            for line in session.diff_sql(&drift, &extras)? {
                println!("{line}");
            }
            return Ok(true);
        }
        for d in &drift {
            match &d.model {
                Some(model) => println!("{model} (table {})", d.table),
                None => println!("table {}", d.table),
            }
            let rows = d
                .items
                .iter()
                .map(|item| {
                    let (what, detail) = item.describe();
                    vec![
                        crate::sql::Value::Text(what),
                        crate::sql::Value::Text(detail),
                    ]
                })
                .collect();
            self.print_output(&Output::Table {
                columns: vec!["drift".into(), "detail".into()],
                rows,
            });
        }
        Ok(true)
    }

    /// Show long output through `$PAGER` (default `less -SRXF`, which prints
    /// and exits when it fits the screen); false when no pager would start.
    fn page(&self, text: &str) -> bool {
        use std::io::Write;
        let Some(pager) = self.settings.preferences.pager_command() else {
            return false;
        };
        let mut parts = pager.split_whitespace();
        let Some(program) = parts.next() else {
            return false;
        };
        let child = std::process::Command::new(program)
            .args(parts)
            .stdin(std::process::Stdio::piped())
            .spawn();
        let Ok(mut child) = child else { return false };
        if let Some(mut stdin) = child.stdin.take() {
            let _ = writeln!(stdin, "{text}");
        }
        let _ = child.wait();
        true
    }

    /// Send results to a file (`.output FILE`), or back to the screen (`None`).
    pub fn set_output(&mut self, path: Option<&str>) -> Result<()> {
        self.output_file = match path {
            None => None,
            Some(p) => Some(std::cell::RefCell::new(std::fs::File::create(p).map_err(
                |e| Error::Io {
                    path: p.into(),
                    source: e,
                },
            )?)),
        };
        // A file gets no colour.
        self.style.color = self.output_file.is_none() && self.color;
        Ok(())
    }

    pub(crate) fn output_text(&self, output: &Output) -> String {
        match output {
            Output::Nothing => String::new(),
            Output::Table { columns, rows } => {
                render::rows(&render::Rows { columns, rows }, self.format, &self.style)
            }
            Output::Card { title, fields } => {
                render::card(&render::Card { title, fields }, self.format, &self.style)
            }
            Output::Scalar(v) => render::scalar(v, &self.style),
            Output::Text(t) => t.clone(),
            Output::Sql { sql, params } => render::sql(sql, params, &self.style),
            // Printed as it arrives, by `print_stream`.
            Output::Stream(_) => String::new(),
            Output::Page { table, footer } => {
                let items = self.output_text(table);
                // JSON and CSV stay machine-readable: the items alone.
                if matches!(self.format, Format::Json | Format::Csv | Format::Markdown) {
                    items
                } else {
                    format!("{items}\n{footer}")
                }
            }
        }
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
        show_notes(&self.host);
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

    /// `.sql STATEMENT`: hand-written SQL, printed as any result is.
    pub fn run_sql(&mut self, sql: &str) -> Result<()> {
        let output = self
            .host
            .execute_sql(sql)
            .and_then(|value| self.host.output(&value))?;
        self.print_output(&output);
        Ok(())
    }

    /// The N+1 warnings of what just ran, after its result.
    fn warn_nplusone(&self, origin: Option<&str>) {
        for warning in self.host.nplusone_warnings(origin) {
            eprintln!("{}", render::warning(&warning, &self.style));
        }
    }

    /// `.reload`: the models file read again into a fresh session. Refused
    /// while changes are uncommitted; the variables come along, except
    /// objects and queries of the old models, which become stale markers.
    pub fn reload(&mut self) -> Result<()> {
        let session = self.host.session();
        if session.has_pending_changes() || session.in_transaction() {
            return Err(Error::Session(
                "there are uncommitted changes: commit or roll back before .reload".into(),
            ));
        }
        let mut fresh = self.opener.open()?;
        fresh.carry_over(&self.host);
        self.host = fresh;
        if self.sandbox {
            self.enter_sandbox();
        }
        Ok(())
    }

    /// From now on `commit()` only flushes (and marks the point a rollback
    /// goes back to), and leaving rolls everything back.
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
}
