//! The non-interactive runs (`-c`, `run`, a script on stdin): what a
//! script's commits keep, what its end rolls back and says, and the exit
//! code.

use std::io::IsTerminal;

use super::parts::Part;
use super::{App, show_notes};
use crate::error::{Error, Result};
use crate::render;

impl App {
    /// `ormsh -c EXPR`: what it commits is kept, as in a script.
    pub fn run_command(&mut self, expr: &str) -> Result<i32> {
        self.hold_if_atomic();
        let result = self.run_parts(expr, "-c", true);
        self.finish(result)
    }

    /// Code and dot-commands in turn (`parts.rs`): each piece of code
    /// evaluated (its result printed when `print`), each dot-command run as
    /// at the prompt, until an error or `.quit`.
    pub fn run_parts(&mut self, source: &str, origin: &str, print: bool) -> Result<()> {
        let commands = crate::repl::complete::DOT_COMMANDS;
        for part in super::parts::split(source, commands) {
            match part {
                Part::Code(code) if print => self.eval_and_print(&code, Some(origin))?,
                Part::Code(code) => {
                    let _ = self.host.eval(&code, Some(origin))?;
                }
                Part::Command(line, number) => match crate::repl::dot::run(self, &line) {
                    Ok(crate::repl::dot::Next::Quit) => break,
                    Ok(crate::repl::dot::Next::Continue) => {}
                    Err(Error::Interrupted) => return Err(Error::Interrupted),
                    Err(e) => {
                        return Err(Error::Script(format!("{origin}:{number}: {e}")));
                    }
                },
            }
        }
        Ok(())
    }

    /// With `--atomic`, a run's commits are held to the end (see `finish`).
    fn hold_if_atomic(&self) {
        if self.atomic {
            self.host.session().set_hold_commits(true);
        }
    }

    pub fn run_file(&mut self, file: &std::path::Path) -> Result<i32> {
        let source = std::fs::read_to_string(file).map_err(|e| Error::Io {
            path: file.to_path_buf(),
            source: e,
        })?;
        self.run_script(&source, &file.display().to_string())
    }

    /// A whole script, whose `commit()`s mean what they mean in
    /// Flask-SQLAlchemy: what a commit wrote is kept whatever comes after,
    /// and what no commit covers is rolled back at the end. A spinner shows
    /// while it runs long (on a terminal), and one line says what it kept.
    pub fn run_script(&mut self, source: &str, origin: &str) -> Result<i32> {
        crate::repl::install_interrupt_handler(&self.interrupt);
        self.hold_if_atomic();
        // A script's session holds one transaction from its first statement
        // to each commit, reads included, as SQLAlchemy's does.
        for (_, engine) in self.host.session().engines().all() {
            engine.set_reads_begin(true);
        }
        *self.progress.borrow_mut() = Some(crate::repl::progress::Progress::start(
            self.host.session().clone(),
            std::io::stderr().is_terminal(),
        ));
        let result = self.run_parts(source, origin, false);
        self.warn_nplusone(Some(origin));
        show_notes(&self.host);
        // The spinner goes before anything else is printed.
        let summary = self.progress.borrow_mut().take().map(|p| p.finish());
        let ok = result.is_ok();
        let code = self.finish(result);
        if let Some(line) = summary.filter(|_| ok && !self.sandbox) {
            eprintln!("{line}");
        }
        code
    }

    /// The one-line warning for work that no commit covers, rolled back at the end.
    fn warn_uncommitted(&self, pending: u64) {
        if pending > 0 {
            eprintln!(
                "{}",
                render::warning(
                    &format!(
                        "{pending} pending change{} not committed; rolled back",
                        if pending == 1 { "" } else { "s" }
                    ),
                    &self.style
                )
            );
        }
    }

    /// The end of a run: what its commits kept stays, the rest is rolled
    /// back (said in one line), and the exit code says how it went.
    fn finish(&mut self, result: Result<()>) -> Result<i32> {
        let session = self.host.session();
        match result {
            Ok(()) if self.sandbox => {
                let pending = session.uncommitted_changes();
                session.discard_all()?;
                self.warn_uncommitted(pending);
                println!("dry run (sandbox), rolled back:\n{}", self.write_report());
                Ok(0)
            }
            Ok(()) => {
                let pending = session.uncommitted_changes();
                if self.atomic {
                    session.commit_held()?;
                } else {
                    session.rollback()?;
                }
                self.warn_uncommitted(pending);
                Ok(if pending > 0 && self.strict { 1 } else { 0 })
            }
            Err(e) => {
                if self.atomic || self.sandbox {
                    let _ = session.discard_all();
                } else {
                    let _ = session.rollback();
                }
                eprintln!("error: {e}");
                let kept = if self.atomic || self.sandbox {
                    Vec::new()
                } else {
                    session.write_counts()
                };
                let ddl_stays = session
                    .engines()
                    .all()
                    .any(|(_, e)| e.dialect().ddl_commits());
                eprintln!("note: {}", kept_after_error(&kept, ddl_stays));
                Ok(match e {
                    Error::Interrupted => 130,
                    other => other.exit_code(),
                })
            }
        }
    }
}

/// What a failed run kept: its commits before the error, in one line.
fn kept_after_error(kept: &[(String, u64, u64, u64)], ddl_stays: bool) -> String {
    let ddl = if ddl_stays {
        " (on MySQL/MariaDB, DDL such as create_all commits by itself and stays)"
    } else {
        ""
    };
    if kept.is_empty() {
        return format!("nothing was committed{ddl}");
    }
    let parts: Vec<String> = kept
        .iter()
        .map(|(model, i, u, d)| format!("{model}: {i} inserted, {u} updated, {d} deleted"))
        .collect();
    format!(
        "what was committed before the error is kept ({}); the rest was rolled back{ddl}",
        parts.join(" · ")
    )
}
