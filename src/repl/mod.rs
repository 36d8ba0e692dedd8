//! The interactive prompt: a rustyline editor whose helper knows names but
//! not the language (completion from a name list, a validator that asks
//! whether input is unfinished), history per project, Ctrl-C handling, and
//! the loop that prints each result or error and goes on.

mod app;
mod complete;
mod dot;
mod highlight;
mod history;
mod progress;
mod reader;

use std::borrow::Cow;
use std::io::{IsTerminal, Write};
use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use rustyline::completion::Completer;
use rustyline::error::ReadlineError;
use rustyline::highlight::{CmdKind, Highlighter};
use rustyline::hint::{Hinter, HistoryHinter};
use rustyline::validate::{ValidationContext, ValidationResult, Validator};
use rustyline::{Config, Editor, Helper};

use crate::app::AppContext;
use crate::error::{Error, Result};
pub use app::App;
pub use complete::Names;

/// The editor's helper: completion, hints, highlighting, and multi-line
/// input, each from its own piece.
struct ShellHelper {
    names: Names,
    /// Model names, and their columns and relationships, for highlighting.
    models: Vec<String>,
    attributes: Vec<String>,
    palette: highlight::Palette,
    hinter: HistoryHinter,
    color: bool,
}

impl Completer for ShellHelper {
    type Candidate = String;
    fn complete(
        &self,
        line: &str,
        pos: usize,
        _: &rustyline::Context<'_>,
    ) -> rustyline::Result<(usize, Vec<String>)> {
        Ok(complete::complete(line, pos, &self.names))
    }
}

impl Hinter for ShellHelper {
    type Hint = String;
    fn hint(&self, line: &str, pos: usize, ctx: &rustyline::Context<'_>) -> Option<String> {
        self.hinter.hint(line, pos, ctx)
    }
}

impl Highlighter for ShellHelper {
    fn highlight<'l>(&self, line: &'l str, pos: usize) -> Cow<'l, str> {
        if self.color {
            Cow::Owned(highlight::highlight(
                line,
                pos,
                &self.models,
                &self.attributes,
                &self.palette,
            ))
        } else {
            Cow::Borrowed(line)
        }
    }
    /// A production-looking host in the prompt (`ormsh@db.example.com>`) in
    /// red; read-only mode (`ormsh(ro)>`) in yellow.
    fn highlight_prompt<'b, 's: 'b, 'p: 'b>(
        &'s self,
        prompt: &'p str,
        _default: bool,
    ) -> Cow<'b, str> {
        if !self.color {
            return Cow::Borrowed(prompt);
        }
        let (head, rest) = match prompt.strip_prefix(READ_ONLY_PROMPT) {
            Some(rest) => ("ormsh\x1b[1;33m(ro)\x1b[0m", rest),
            None => ("", prompt),
        };
        match rest.find('@') {
            Some(at) => {
                let end = rest[at..]
                    .find(['[', '*', '>'])
                    .map_or(rest.len(), |e| at + e);
                Cow::Owned(format!(
                    "{head}{}\x1b[1;31m{}\x1b[0m{}",
                    &rest[..at],
                    &rest[at..end],
                    &rest[end..]
                ))
            }
            None if head.is_empty() => Cow::Borrowed(prompt),
            None => Cow::Owned(format!("{head}{rest}")),
        }
    }
    fn highlight_hint<'h>(&self, hint: &'h str) -> Cow<'h, str> {
        if self.color {
            Cow::Owned(format!("\x1b[2m{hint}\x1b[0m"))
        } else {
            Cow::Borrowed(hint)
        }
    }
    fn highlight_char(&self, _line: &str, _pos: usize, _kind: CmdKind) -> bool {
        // Colours depend on the whole line and the cursor: redraw on every change.
        self.color
    }
}

impl Validator for ShellHelper {
    fn validate(&self, ctx: &mut ValidationContext) -> rustyline::Result<ValidationResult> {
        let input = ctx.input();
        if input.trim_start().starts_with('.') || !crate::script::is_incomplete_input(input) {
            Ok(ValidationResult::Valid(None))
        } else {
            Ok(ValidationResult::Incomplete)
        }
    }
}

impl Helper for ShellHelper {}

/// Make Ctrl-C (SIGINT) while a statement or script runs raise `flag`
/// instead of ending the process; the engine and Rhai both watch it.
pub fn install_interrupt_handler(flag: &Arc<AtomicBool>) {
    let _ = signal_hook::flag::register(signal_hook::consts::SIGINT, flag.clone());
}

/// Ask a yes/no question at the prompt.
pub fn confirm(question: &str) -> bool {
    eprint!("{question} [y/N] ");
    let _ = std::io::stderr().flush();
    let mut answer = String::new();
    if std::io::stdin().read_line(&mut answer).is_err() {
        return false;
    }
    matches!(answer.trim().to_lowercase().as_str(), "y" | "yes")
}

fn names(app: &App) -> Names {
    let registry = app.host.registry();
    let models = registry
        .mappers
        .iter()
        .map(|m| {
            let attrs = m
                .columns
                .iter()
                .map(|c| c.name.clone())
                .chain(m.relationships.iter().map(|r| r.name.clone()))
                .collect();
            (m.name.clone(), attrs)
        })
        .collect();
    let globals = crate::script::names::GLOBALS
        .iter()
        .map(|s| s.to_string())
        .collect();
    Names {
        models,
        globals,
        methods: app.host.model_methods(),
        objects: app.host.object_variables(),
    }
}

/// The prompt's head in read-only mode.
const READ_ONLY_PROMPT: &str = "ormsh(ro)";

fn banner(app: &App, context: &AppContext) -> String {
    let registry = app.host.registry();
    let models: Vec<&str> = registry.mappers.iter().map(|m| m.name.as_str()).collect();
    let binds = if context.binds.is_empty() {
        String::new()
    } else {
        let b: Vec<String> = context
            .binds
            .iter()
            .map(|(n, u)| format!("{n}={}", u.masked()))
            .collect();
        format!("\nbinds: {}", b.join(", "))
    };
    // A Flask project: where the app, the URL and the models were read.
    let flask = match &context.flask {
        Some(f) => format!(
            "\nflask app: {} (found by {}){}; models read from its Python files",
            f.app_file
                .strip_prefix(&f.root)
                .unwrap_or(&f.app_file)
                .display(),
            f.how,
            f.database_uri
                .as_ref()
                .map_or_else(String::new, |(_, at)| format!("; database from {at}")),
        ),
        None => String::new(),
    };
    format!(
        "ormsh {} · app: {} ({}){flask}\ndatabase: {}{binds}\nmodels: {}\nType .help for help, Ctrl-D to leave.",
        env!("CARGO_PKG_VERSION"),
        context.name,
        context.root.display(),
        context.database_url.as_ref().map_or_else(
            || "(none: SQLALCHEMY_DATABASE_URI is not set; models without a bind key cannot be used)"
                .to_string(),
            |u| u.masked()
        ),
        if models.is_empty() {
            "(none)".to_string()
        } else {
            models.join(", ")
        },
    )
}

/// The banner's warning when the database is behind the migrations folder
/// (the read of `alembic_version` is not echoed: it is not the user's).
fn migrations_behind(app: &App) -> Option<String> {
    let echo = app.echo.replace(false);
    let status = app.migration_status();
    app.echo.set(echo);
    match status {
        Ok(status) => status.and_then(|s| s.behind()),
        Err(e) => Some(format!("migrations: {e}")),
    }
}

/// What the editor was last told: model names and object variables.
#[derive(PartialEq)]
struct Known {
    models: Vec<String>,
    objects: Vec<(String, String)>,
}

impl Known {
    fn of(app: &App) -> Known {
        Known {
            models: app
                .host
                .registry()
                .mappers
                .iter()
                .map(|m| m.name.clone())
                .collect(),
            objects: app.host.object_variables(),
        }
    }

    /// New models (`db.reflect()`, `.reload`) or object variables: the
    /// editor completes and colours them too.
    fn refresh(&mut self, app: &App, reader: &reader::Reader) {
        let now = Known::of(app);
        if now != *self {
            *self = now;
            reader.set_names(names(app));
        }
    }
}

/// `line` with every one of `secrets` replaced by `***`.
fn mask_secrets(line: &str, secrets: &[String]) -> String {
    secrets
        .iter()
        .fold(line.to_string(), |text, s| text.replace(s.as_str(), "***"))
}

/// After a line ran: its error, if any (an interrupt rolls back).
fn report(app: &mut App, result: Result<()>) {
    match result {
        Ok(()) => {}
        Err(Error::Interrupted) => {
            eprintln!("interrupted: the statement was cancelled and the transaction rolled back");
            let _ = app.host.session().rollback();
        }
        Err(e) => eprintln!("error: {e}"),
    }
}

/// The dot-commands that work on the editor rather than the session:
/// `.history [N]` prints the last inputs; `.edit` opens `$EDITOR` on the
/// last input that was not a dot-command and gives back what to run. None for any other command.
fn editor_commands(reader: &reader::Reader, line: &str) -> Option<Result<Option<String>>> {
    let mut words = line.split_whitespace();
    match words.next()? {
        ".history" => {
            let entries = reader.history();
            let count = match words.next().map(str::parse::<usize>) {
                None => 20,
                Some(Ok(n)) => n,
                Some(Err(_)) => {
                    return Some(Err(Error::invalid(".history takes a number: .history 50")));
                }
            };
            // The `.history` just typed is the last entry: leave it out.
            let shown = &entries[..entries.len().saturating_sub(1)];
            let first = shown.len().saturating_sub(count);
            for (i, entry) in shown.iter().enumerate().skip(first) {
                println!("{:>5}  {}", i + 1, entry.replace('\n', "\n       "));
            }
            Some(Ok(None))
        }
        ".edit" => {
            let entries = reader.history();
            let last = entries
                .iter()
                .rev()
                .find(|e| !e.trim_start().starts_with('.'))
                .cloned()
                .unwrap_or_default();
            Some(edit(&last))
        }
        _ => None,
    }
}

/// `text` in `$VISUAL`/`$EDITOR` (default vi); what was saved, unless empty.
fn edit(text: &str) -> Result<Option<String>> {
    let editor = std::env::var("VISUAL")
        .or_else(|_| std::env::var("EDITOR"))
        .unwrap_or_else(|_| "vi".to_string());
    let file = tempfile::Builder::new()
        .prefix("ormsh-")
        .suffix(".rhai")
        .tempfile()
        .map_err(|e| Error::Config(format!("cannot make a file to edit: {e}")))?;
    std::fs::write(file.path(), text).map_err(|e| Error::Io {
        path: file.path().to_path_buf(),
        source: e,
    })?;
    let mut parts = editor.split_whitespace();
    let program = parts.next().unwrap_or("vi");
    let status = std::process::Command::new(program)
        .args(parts)
        .arg(file.path())
        .status()
        .map_err(|e| Error::Config(format!("cannot start the editor `{editor}`: {e}")))?;
    if !status.success() {
        return Err(Error::invalid(format!(
            "the editor `{editor}` exited with {status}: nothing was run"
        )));
    }
    let edited = std::fs::read_to_string(file.path()).map_err(|e| Error::Io {
        path: file.path().to_path_buf(),
        source: e,
    })?;
    let edited = edited.trim().to_string();
    Ok((!edited.is_empty()).then_some(edited))
}

/// How often an open transaction is kept alive while the prompt waits
/// (`ORMSH_KEEPALIVE` seconds, default 60).
fn keep_alive_interval() -> std::time::Duration {
    let seconds = std::env::var("ORMSH_KEEPALIVE")
        .ok()
        .and_then(|s| s.parse::<f64>().ok())
        .filter(|s| *s > 0.0)
        .unwrap_or(60.0);
    std::time::Duration::from_secs_f64(seconds)
}

/// Run the prompt until Ctrl-D or `.quit`.
pub fn run(app: &mut App) -> Result<i32> {
    let settings = app.settings.clone();
    let context = &settings.project;
    install_interrupt_handler(&app.interrupt);
    let edit_mode = match app.settings.preferences.edit_mode {
        crate::app::preferences::EditMode::Vi => rustyline::EditMode::Vi,
        crate::app::preferences::EditMode::Emacs => rustyline::EditMode::Emacs,
    };
    let config = Config::builder()
        .edit_mode(edit_mode)
        .auto_add_history(false)
        .history_ignore_space(true)
        .max_history_size(5000)
        .map_err(|e| Error::Config(e.to_string()))?
        .build();
    let mut editor: Editor<ShellHelper, rustyline::history::DefaultHistory> =
        Editor::with_config(config)
            .map_err(|e| Error::Config(format!("cannot start the line editor: {e}")))?;
    let names = names(app);
    editor.set_helper(Some(ShellHelper {
        models: names.models.iter().map(|(m, _)| m.clone()).collect(),
        attributes: names.attributes(),
        palette: highlight::Palette::of(app.settings.preferences.theme),
        names,
        hinter: HistoryHinter::new(),
        color: app.style.color,
    }));
    let history = history::history_file(&context.root);
    if let Some(h) = &history {
        let _ = editor.load_history(h);
    }
    let mut known = Known::of(app);
    // The project's database passwords never reach the history file.
    let secrets: Vec<String> = context
        .urls()
        .filter_map(|u| u.password())
        .filter(|p| p.chars().count() >= 4)
        .map(str::to_string)
        .collect();
    let where_ = context
        .urls()
        .next()
        .and_then(|u| u.remote_host())
        .map_or(String::new(), |h| format!("@{h}"));
    let reader = reader::Reader::start(editor, history);
    let keep_alive = keep_alive_interval();
    let mut alive = true;
    println!("{}", banner(app, context));
    if let Some(line) = migrations_behind(app) {
        println!("{line}");
    }
    let read_only = context.config.database.read_only;
    if read_only {
        println!("READ-ONLY: the connection refuses every write.");
    }
    if app.sandbox {
        println!("SANDBOX: commits only flush, and everything is rolled back when you leave.");
        println!(
            "SANDBOX: on a server, the rows you change stay locked for other connections until you leave (on SQLite, the whole database once you write): keep it short."
        );
    }
    // Input read so far when it is unfinished; the validator does this on a
    // terminal, this does it when lines come from a pipe.
    let mut pending = String::new();
    loop {
        let session = app.host.session();
        let changed = session.has_pending_changes() || session.in_transaction();
        let prompt = if pending.is_empty() {
            format!(
                "{}{where_}{}{}> ",
                if read_only { READ_ONLY_PROMPT } else { "ormsh" },
                if app.sandbox { "[SANDBOX]" } else { "" },
                if changed { "*" } else { "" }
            )
        } else {
            "   ...> ".to_string()
        };
        let line = reader.read(&prompt, keep_alive, || {
            // Only an open transaction has anything to lose to an idle timeout.
            match app.host.session().keep_alive() {
                Ok(()) => alive = true,
                Err(e) if alive => {
                    alive = false;
                    eprintln!("\nwarning: could not keep the connection alive: {e}");
                }
                Err(_) => {}
            }
        });
        match line {
            Ok(line) => {
                if pending.is_empty() && line.trim().is_empty() {
                    continue;
                }
                pending.push_str(&line);
                pending.push('\n');
                let input = pending.trim_end().to_string();
                let is_dot =
                    input.trim_start().starts_with('.') && !input.trim_start().starts_with("..");
                if !is_dot && crate::script::is_incomplete_input(&input) {
                    continue;
                }
                pending.clear();
                reader.remember(&mask_secrets(&input, &secrets));
                if is_dot && let Some(edited) = editor_commands(&reader, input.trim()) {
                    match edited {
                        Ok(Some(source)) => {
                            println!("{source}");
                            reader.remember(&mask_secrets(&source, &secrets));
                            let result = app.eval_and_print(&source, None);
                            report(app, result);
                        }
                        Ok(None) => {}
                        Err(e) => eprintln!("error: {e}"),
                    }
                    continue;
                }
                if is_dot {
                    match dot::run(app, input.trim()) {
                        Ok(dot::Next::Quit) => break,
                        Ok(dot::Next::Continue) => {}
                        Err(e) => eprintln!("error: {e}"),
                    }
                    known.refresh(app, &reader);
                    continue;
                }
                let result = app.eval_and_print(&input, None);
                report(app, result);
                known.refresh(app, &reader);
            }
            Err(ReadlineError::Interrupted) => {
                pending.clear();
                continue;
            }
            Err(ReadlineError::Eof) => break,
            Err(e) => return Err(Error::Config(format!("the line editor failed: {e}"))),
        }
    }
    if app.sandbox {
        eprintln!(
            "SANDBOX: everything is rolled back:\n{}",
            app.write_report()
        );
    } else if app.host.session().has_pending_changes() && std::io::stdout().is_terminal() {
        eprintln!(
            "note: uncommitted changes were discarded (call db.session.commit() to keep them)"
        );
    }
    let _ = app.host.session().rollback();
    Ok(0)
}
