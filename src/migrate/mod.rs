//! Alembic-compatible migrations without Python: a Flask-Migrate project's
//! `migrations/versions/*.py` read with the Python reader (`revision.rs`),
//! their graph and targets (`graph.rs`), `alembic_version` (`version.rs`),
//! the `op.*` calls of `upgrade()`/`downgrade()` (`ops.rs`, each an `Op` of `op.rs`; their arguments
//! in `items.rs`, `bulk_insert`'s in `bulk.rs`, the file's top level in
//! `module.rs`), their SQL per database (`ddl.rs`), SQLite's batch rebuild
//! (`batch.rs`), upgrade and downgrade runs (`apply.rs`) and their `--sql` scripts
//! (`offline.rs`), the commands
//! (`commands.rs`) and where the database stands (`status.rs`); new
//! revision files from the project's `script.py.mako` (`script.rs`),
//! `init`/`revision`/`merge`/`edit` (`authoring.rs`, the folder `init`
//! writes in `templates.rs`) and autogenerate (`autogen/`). A revision that
//! does anything but `op.*` calls is refused with its file and line, before
//! anything of it runs.

pub mod apply;
pub mod authoring;
pub mod autogen;
pub mod batch;
mod bulk;
pub mod commands;
pub mod ddl;
pub mod graph;
pub mod items;
mod module;
pub mod multidb;
mod offline;
pub mod op;
pub mod ops;
pub mod revision;
pub mod script;
pub mod status;
mod templates;
pub mod version;

#[cfg(test)]
mod tests;

pub use commands::{Command, run};
