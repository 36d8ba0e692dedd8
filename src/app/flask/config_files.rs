//! The files `app.config` loads by name: `from_pyfile` (a Python file,
//! evaluated by the reader), `from_envvar` (the file an environment variable
//! names) and `from_file` with `json.load` or `tomllib.load`. A name is
//! resolved as Flask resolves it: against the app's root path, or against
//! the instance folder under `instance_relative_config=True`. What Flask
//! would take from the file are its upper-case names; a missing file is
//! skipped under `silent=True` and an error otherwise, as in Flask.

use std::path::Path;

use crate::app::flask::modules::Modules;
use crate::python::{Module, PyError, Value, assigned_in};

/// What a config file gives: (key, value, where it is set).
pub(crate) type Settings = Vec<(String, Value, String)>;

/// How `from_file` parses its file (`load=`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Loader {
    Json,
    Toml,
}

impl Loader {
    /// The loader a `load=` argument names, by the dotted name it is bound
    /// to (`tomllib.load`, also for `load` imported from tomllib).
    pub fn named(dotted: &str) -> Option<Loader> {
        match dotted {
            "json.load" => Some(Loader::Json),
            "tomllib.load" | "toml.load" | "tomli.load" => Some(Loader::Toml),
            _ => None,
        }
    }
}

/// The upper-case names a Python config file binds (`from_pyfile`), each
/// with the line that binds it; `None` when the file does not exist.
pub(crate) fn python_file(
    modules: &Modules,
    path: &Path,
    keys: &[&str],
) -> Result<Option<Settings>, PyError> {
    if !path.is_file() {
        return Ok(None);
    }
    let module = modules.parse(path)?;
    let env = modules.env_of(path)?;
    let mut out = Vec::new();
    for key in keys {
        if let Some(binding) = env.value(key) {
            let at = format!("{}:{}", module.file, assigned_line(&module, key));
            out.push((key.to_string(), binding?, at));
        }
    }
    Ok(Some(out))
}

/// The line of the last module-level statement that binds `name`.
fn assigned_line(module: &Module, name: &str) -> usize {
    assigned_in(&module.body, name).map_or(1, |value| value.span.line)
}

/// The upper-case top-level keys of a JSON or TOML file (`from_file`);
/// `None` when the file does not exist.
pub(crate) fn data_file(
    path: &Path,
    label: &str,
    loader: Loader,
    keys: &[&str],
) -> Result<Option<Settings>, PyError> {
    if !path.is_file() {
        return Ok(None);
    }
    let text = std::fs::read_to_string(path)
        .map_err(|e| PyError::new(label, 0, format!("cannot be read: {e}")))?;
    let top: Vec<(String, Value)> = match loader {
        Loader::Json => {
            let json: serde_json::Value = serde_json::from_str(&text)
                .map_err(|e| PyError::new(label, e.line(), format!("is not valid JSON: {e}")))?;
            match json {
                serde_json::Value::Object(map) => {
                    map.into_iter().map(|(k, v)| (k, from_json(v))).collect()
                }
                _ => return Err(PyError::new(label, 1, "holds no JSON object at its top")),
            }
        }
        Loader::Toml => {
            let table: toml::Table = text
                .parse()
                .map_err(|e| PyError::new(label, 0, format!("is not valid TOML: {e}")))?;
            table.into_iter().map(|(k, v)| (k, from_toml(v))).collect()
        }
    };
    Ok(Some(
        top.into_iter()
            .filter(|(k, _)| keys.contains(&k.as_str()))
            .map(|(k, v)| (k, v, label.to_string()))
            .collect(),
    ))
}

fn from_json(v: serde_json::Value) -> Value {
    use serde_json::Value as J;
    match v {
        J::Null => Value::None,
        J::Bool(b) => Value::Bool(b),
        J::Number(n) => match n.as_i64() {
            Some(i) => Value::Int(i),
            None => Value::Float(n.as_f64().unwrap_or(f64::NAN)),
        },
        J::String(s) => Value::Str(s),
        J::Array(items) => Value::List(items.into_iter().map(from_json).collect()),
        J::Object(map) => Value::Dict(
            map.into_iter()
                .map(|(k, v)| (Value::Str(k), from_json(v)))
                .collect(),
        ),
    }
}

fn from_toml(v: toml::Value) -> Value {
    use toml::Value as T;
    match v {
        T::String(s) => Value::Str(s),
        T::Integer(i) => Value::Int(i),
        T::Float(f) => Value::Float(f),
        T::Boolean(b) => Value::Bool(b),
        T::Datetime(d) => Value::Str(d.to_string()),
        T::Array(items) => Value::List(items.into_iter().map(from_toml).collect()),
        T::Table(t) => Value::Dict(
            t.into_iter()
                .map(|(k, v)| (Value::Str(k), from_toml(v)))
                .collect(),
        ),
    }
}
