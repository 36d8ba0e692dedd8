//! A script's progress: after a second, a spinner on stderr (on a terminal
//! only) with the statements sent and the rows written per model so far;
//! and, when `ormsh run` ends, one line with what it committed and kept and
//! how long it took.

use std::time::{Duration, Instant};

use indicatif::{ProgressBar, ProgressStyle};

use crate::orm::Session;

const SHOW_AFTER: Duration = Duration::from_secs(1);
const REDRAW_EVERY: Duration = Duration::from_millis(100);

pub struct Progress {
    started: Instant,
    statements: u64,
    session: Session,
    /// Whether a spinner may be drawn (stderr is a terminal).
    spinner_allowed: bool,
    bar: Option<ProgressBar>,
    last_drawn: Instant,
}

impl Progress {
    pub fn start(session: Session, spinner_allowed: bool) -> Progress {
        let now = Instant::now();
        Progress {
            started: now,
            statements: 0,
            session,
            spinner_allowed,
            bar: None,
            last_drawn: now,
        }
    }

    /// A statement was sent.
    pub fn statement(&mut self) {
        self.statements += 1;
        if !self.spinner_allowed || self.started.elapsed() < SHOW_AFTER {
            return;
        }
        let bar = self.bar.get_or_insert_with(|| {
            let bar = ProgressBar::new_spinner();
            bar.set_style(
                ProgressStyle::with_template("{spinner} {elapsed} {msg}")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            );
            bar.enable_steady_tick(REDRAW_EVERY);
            bar
        });
        if self.last_drawn.elapsed() >= REDRAW_EVERY {
            self.last_drawn = Instant::now();
            bar.set_message(format!(
                "{} statements · {}",
                self.statements,
                written(&self.session.write_counts_so_far(), "nothing written yet")
            ));
        }
    }

    /// Clear the spinner; the summary line of the run: what its commits
    /// kept, never what a rollback took back.
    pub fn finish(self) -> String {
        if let Some(bar) = self.bar {
            bar.finish_and_clear();
        }
        let counts = self.session.write_counts();
        format!(
            "{}{} in {:.2} s ({} statement{})",
            if counts.is_empty() { "" } else { "committed " },
            written(&counts, "nothing committed"),
            self.started.elapsed().as_secs_f64(),
            self.statements,
            if self.statements == 1 { "" } else { "s" }
        )
    }
}

/// "User: 2 inserted · Post: 10 inserted, 1 deleted", or `none`.
fn written(counts: &[(String, u64, u64, u64)], none: &str) -> String {
    let parts: Vec<String> = counts
        .iter()
        .map(|(model, i, u, d)| {
            let kinds: Vec<String> = [(i, "inserted"), (u, "updated"), (d, "deleted")]
                .iter()
                .filter(|(n, _)| **n > 0)
                .map(|(n, what)| format!("{n} {what}"))
                .collect();
            format!("{model}: {}", kinds.join(", "))
        })
        .collect();
    if parts.is_empty() {
        none.to_string()
    } else {
        parts.join(" · ")
    }
}
