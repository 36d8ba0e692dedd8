//! `db = SQLAlchemy(app, ...)`: what the extension's own arguments change
//! that ormsh must honour. `session_options` with `autoflush` and
//! `expire_on_commit` are honoured; `engine_options` are judged as
//! `SQLALCHEMY_ENGINE_OPTIONS` are; any other session option, and
//! `disable_autonaming=True` (which changes every table name), refuses to
//! open the app, naming where it is set.

use crate::app::flask::engine_options;
use crate::python::{Call, Env, Module, Value};

/// The session switches an app's `SQLAlchemy(session_options=..)` sets.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct SessionOptions {
    pub autoflush: Option<bool>,
    pub expire_on_commit: Option<bool>,
}

/// Read `SQLAlchemy(...)`'s keywords into `out`; why the app cannot be
/// opened as Flask opens it, if it cannot.
pub(super) fn read(
    module: &Module,
    env: &Env,
    call: &Call,
    out: &mut SessionOptions,
) -> Result<(), String> {
    for kw in &call.keywords {
        let Some(name) = kw.name.as_deref() else {
            continue;
        };
        let at = format!("{}:{}", module.file, kw.value.span.line);
        let value = || env.eval(module, &kw.value).map_err(|e| e.to_string());
        match name {
            "session_options" => {
                let Value::Dict(items) = value()? else {
                    return Err(format!(
                        "{at}: `session_options` is not a dict the reader can read"
                    ));
                };
                for (key, v) in items {
                    match (key.as_str(), v) {
                        (Some("autoflush"), Value::Bool(b)) => out.autoflush = Some(b),
                        (Some("expire_on_commit"), Value::Bool(b)) => {
                            out.expire_on_commit = Some(b)
                        }
                        (key, _) => {
                            return Err(format!(
                                "{at}: session_options[{:?}] is not honoured by ormsh, and the session would behave differently without it",
                                key.unwrap_or("?")
                            ));
                        }
                    }
                }
            }
            "engine_options" => {
                if let Some(why) = engine_options::refusal(&value()?, &at) {
                    return Err(why.replace("SQLALCHEMY_ENGINE_OPTIONS", "engine_options"));
                }
            }
            "disable_autonaming" if value()?.truthy().unwrap_or(true) => {
                return Err(format!(
                    "{at}: disable_autonaming=True is not honoured by ormsh: it changes the table names ormsh reads (use an ormsh.toml with a models file for this app)"
                ));
            }
            _ => {}
        }
    }
    Ok(())
}
