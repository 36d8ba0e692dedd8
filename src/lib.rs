//! ormsh: `flask shell` plus Flask-SQLAlchemy as one Rust binary.
//!
//! The library is layered as DESIGN.md describes; each layer only uses the ones
//! below it: `sql` (values, trees, compiler, dialects) ← `engine` (connections
//! through sqlx, the query log) ← `orm` (models, sessions, queries) ← `script`
//! (the Rhai language) ← `render`/`repl`/`cli`. `app` finds the project (an
//! `ormsh.toml`, or a Flask app and its config); `python` reads Python without
//! running it; `flask_models` reads a Flask project's models into the ORM's
//! declarations; `migrate` applies Alembic revisions.

pub mod error;
pub mod sql;

pub use error::{Error, Result};
pub mod app;
pub mod cli;
pub mod engine;
pub mod flask_models;
pub mod migrate;
pub mod orm;
pub mod python;
pub mod render;
pub mod repl;
pub mod script;
