//! The one Python reader: a Flask project's `models.py`, `config.py`, app
//! factory and Alembic revision files, read without running Python.
//!
//! [`parse`] turns a file into a small owned syntax tree ([`Module`], in
//! `ast.rs`): the statements and expressions ormsh reads, each with its line,
//! column and source text ([`Module::text`]), and everything else kept as
//! `Other` with its kind and line, for the caller to refuse. A file Python
//! would not accept is a [`PyError`] at the first bad line.
//!
//! [`Env`] evaluates the safe subset (literals, containers, names bound by the
//! file, operators, f-strings, `os.environ`, `os.path`, a few builtins and str
//! methods) to [`Value`]s, reading statements in order as Python runs them
//! ([`Env::exec`]). A name it does not know is a [`Value::Ref`] by its dotted
//! path (`db.Integer`); a call it does not run is a [`PyError`] naming
//! file:line and the expression. Nothing is guessed.
//!
//! The parser is tree-sitter's Python grammar (`parse.rs` for statements,
//! `parse_expr.rs` for expressions); `eval.rs`, `builtins.rs`, `ops.rs`, `paths.rs` and `refusal.rs`
//! are the evaluator, `value.rs` its values.

pub mod ast;
mod builtins;
pub mod error;
pub mod eval;
mod ops;
mod parse;
mod parse_expr;
mod paths;
mod refusal;
pub mod value;

#[cfg(test)]
mod tests;

pub use ast::*;
pub use error::PyError;
pub use eval::Env;
pub use refusal::CONFIG_ADVICE;
pub use value::{Binding, Class, Value, float_repr, str_repr};

/// Parses a Python file. `path_label` names it in every error (`models.py`),
/// `source` is its text. A syntax error is an error at its line; nesting
/// deeper than 100 levels is refused.
pub fn parse(path_label: &str, source: &str) -> Result<Module, PyError> {
    parse::parse_module(path_label, source)
}
