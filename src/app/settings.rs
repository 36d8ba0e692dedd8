//! One validated configuration for a run, built once from the command line,
//! the environment, `ormsh.toml` and the user's preferences, and read by
//! reference from then on (the prompt, `.reload`, the script host).

use super::AppContext;
use super::preferences::Preferences;

pub struct Settings {
    /// The project: its database URLs, binds, models file and `ormsh.toml`,
    /// with the flags that override the file (`--read-only`, `--schema`)
    /// already applied.
    pub project: AppContext,
    /// The user's `config.toml` (format, colour, pager, edit mode, theme).
    pub preferences: Preferences,
    /// At a prompt: colour, confirmation of destructive calls, terminal width.
    pub interactive: bool,
    /// Print each SQL statement.
    pub echo: bool,
    pub color: bool,
    /// `app.args`: what follows a script's name on the command line.
    pub script_args: Vec<String>,
    /// `--reflect`: a model for every table no model declares.
    pub reflect: bool,
    /// `--yes`: destructive calls in scripts go on without `#{ confirm: true }`.
    pub assume_yes: bool,
    /// `--strict`: uncommitted work at the end of a run fails it.
    pub strict: bool,
    /// `run --atomic`: the run commits all that its commits kept, or nothing.
    pub atomic: bool,
    /// `--sandbox`: everything is rolled back at the end.
    pub sandbox: bool,
}
