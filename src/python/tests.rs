//! The reader's unit tests: a file per kind of Python file ormsh reads
//! (models, config, Alembic revisions), then the tree's shape and the errors.

mod alembic;
mod config;
mod errors;
mod models;
mod syntax;
