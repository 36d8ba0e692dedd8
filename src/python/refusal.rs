//! How the evaluator refuses an expression: the message that names it
//! (its first line, cut at 80 characters) and says what to do instead.

use super::ast::{Module, Span};
use super::error::PyError;

/// `what` for a refusal: "`<expr>` cannot be evaluated without running
/// Python: <why> (<what to do>)".
pub(super) fn cannot(module: &Module, span: Span, why: &str) -> String {
    format!(
        "`{}` cannot be evaluated without running Python: {why}{CONFIG_ADVICE}",
        short(module.text(span))
    )
}

/// What a refusal advises, for a value of a config file.
pub const CONFIG_ADVICE: &str = " (write the value as a literal, or read it from os.environ)";

/// The refusal of the expression at `span`.
pub(super) fn refuse(module: &Module, span: Span, why: &str) -> PyError {
    module.error(span, cannot(module, span, why))
}

/// An expression's text for a message: its first line, at most 80 characters.
pub(super) fn short(text: &str) -> String {
    let first = text.lines().next().unwrap_or("").trim_end();
    let mut out: String = first.chars().take(80).collect();
    if out.len() < text.trim_end().len() {
        out.push('…');
    }
    out
}
