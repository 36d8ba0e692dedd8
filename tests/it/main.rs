//! The integration tests, as one test binary: one module per subject (each
//! opens with what it covers), the shared support in `common` (a project
//! folder and a throwaway database per test, a session through the Rust
//! API, the Python peer), the models they load in `fixtures/`, insta's
//! snapshots in `snapshots/`. One binary links once and runs every test on
//! the harness's threads.

#[macro_use]
mod common;

mod bad_input;
mod binds;
mod cascades;
mod column_defaults;
mod column_property;
mod completions;
mod constructors;
mod deferred_inserts;
mod differential;
mod drift;
mod every_type;
mod flask_computed;
mod flask_config;
mod flask_foreign_keys;
mod flask_project;
mod flask_sqlalchemy_suite;
mod flush_sequence;
mod foreign_key_actions;
mod foreign_key_index;
mod fuzz_regressions;
mod guards;
mod hierarchy_aliases;
mod hybrid_property;
mod inheritance;
mod interrupt;
mod intervals;
mod introspect;
mod load;
mod loading;
mod lost_connection;
mod many_to_many;
mod migration_status;
mod migrations;
mod migrations_association;
mod migrations_autogenerate;
mod migrations_drops;
mod migrations_enums;
mod migrations_multidb;
mod migrations_sql;
mod model_hooks;
mod new_row_keys;
mod numeric;
mod orm_api;
mod pagination;
mod post_update;
mod prompt_commands;
mod query_answers;
mod query_language;
mod quoting;
mod random_models;
mod reflection;
mod reflection_corpus;
mod reflection_names;
mod reflection_real_schemas;
mod reflection_schemas;
mod reflection_types;
mod relationship_options;
mod relationship_refusals;
mod relationships;
mod relationships_selfref;
mod result_rows;
mod sandbox;
mod savepoints;
mod script_commits;
mod script_dot_commands;
mod secrets;
mod seed;
mod select_constructs;
mod select_statements;
mod self_referential;
mod server_restart;
mod session_api;
mod shapes;
mod sql_constructs;
mod sql_of_every_call;
mod sql_snapshots;
mod sqlite_files;
mod streaming;
mod table_constraints;
mod terminal;
mod types;
mod unit_of_work;
mod user_messages;
