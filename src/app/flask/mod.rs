//! A Flask project as it is: finding the app from the current folder
//! upward (`locate`) and reading its database configuration from its code
//! (`config`), with the Python reader (`crate::python`), never by running
//! Python. Its models are read by `crate::flask_models`.

mod config;
mod config_files;
pub(crate) mod engine_options;
mod locate;
pub(crate) mod modules;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::python::Value;

/// What ormsh read of a Flask project.
#[derive(Debug)]
pub struct FlaskProject {
    /// The folder the app is found from (`sys.path[0]`).
    pub root: PathBuf,
    pub app_file: PathBuf,
    /// What names the app (FLASK_APP, app.py ..), for messages.
    pub how: String,
    /// `SQLALCHEMY_DATABASE_URI` and the line that sets it; `None` when the
    /// app's code does not set it.
    pub database_uri: Option<(String, String)>,
    pub binds: Vec<(String, String)>,
    /// Where a relative `sqlite:///x.db` lives: the instance folder
    /// (Flask-SQLAlchemy 3), or the app's root path for 2.x.
    pub sqlite_base: PathBuf,
    /// The environment the app sees (the process over `.env` over `.flaskenv`).
    pub environ: HashMap<String, String>,
    /// Why the app's own database configuration cannot be used (a config
    /// file the reader cannot follow, an engine option ormsh does not
    /// honour): an error when ormsh opens the app's database, nothing when
    /// `--database-url` names another.
    pub config_refusal: Option<String>,
}

/// The Flask project around `cwd`, if there is one. `config_name` is
/// `--config NAME`: the config class a factory picks by name.
pub fn discover(cwd: &Path, config_name: Option<&str>) -> Result<Option<FlaskProject>> {
    let process: HashMap<String, String> = std::env::vars().collect();
    let Some(found) = locate::locate(cwd, &process)? else {
        return Ok(None);
    };
    let modules = modules::Modules::new(found.root.clone(), found.environ.clone());
    let factory = found.factory.as_deref();
    let instance_dir = found.root.join("instance");
    let (config, mut config_refusal) = match config::read(
        &modules,
        &found.app_file,
        factory,
        config_name,
        &instance_dir,
    ) {
        Ok(config) => (config, None),
        Err(e) => (
            config::AppConfig::default(),
            Some(format!("{e} (in the Flask app found by {})", found.how)),
        ),
    };
    if config_refusal.is_none()
        && let Some((options, at)) = &config.engine_options
    {
        config_refusal = engine_options::refusal(options, at);
    }
    let text = |v: Value, at: &str| -> Result<String> {
        match v {
            Value::Str(s) => Ok(s),
            Value::None => Err(Error::config(format!(
                "SQLALCHEMY_DATABASE_URI is None at {at}: set DATABASE_URL, or pass --database-url"
            ))),
            other => Err(Error::config(format!(
                "SQLALCHEMY_DATABASE_URI at {at} is {}, not a URL",
                other.a_type()
            ))),
        }
    };
    let database_uri = match config.database_uri {
        Some((v, at)) => Some((text(v, &at)?, at)),
        None => None,
    };
    let mut binds = Vec::new();
    if let Some((Value::Dict(items), at)) = config.binds {
        for (k, v) in items {
            let key = k.as_str().map(str::to_string).ok_or_else(|| {
                Error::config(format!(
                    "SQLALCHEMY_BINDS at {at} has a key that is not a string"
                ))
            })?;
            // A bind may be a dict of engine options with its "url", as
            // Flask-SQLAlchemy takes it; the other options are read as
            // SQLALCHEMY_ENGINE_OPTIONS are.
            let v = match v {
                Value::Dict(options) => {
                    let (url, rest): (Vec<_>, Vec<_>) = options
                        .into_iter()
                        .partition(|(k, _)| k.as_str() == Some("url"));
                    if config_refusal.is_none() {
                        config_refusal = engine_options::refusal(
                            &Value::Dict(rest),
                            &format!("{at} (SQLALCHEMY_BINDS[{key:?}])"),
                        );
                    }
                    url.into_iter().next().map(|(_, url)| url).ok_or_else(|| {
                        Error::config(format!(
                            "SQLALCHEMY_BINDS[{key:?}] at {at} is a dict with no \"url\": give the bind's database URL"
                        ))
                    })?
                }
                v => v,
            };
            let url = match v {
                Value::Str(url) => url,
                other => {
                    return Err(Error::config(format!(
                        "SQLALCHEMY_BINDS[{key:?}] at {at} is {}, not a URL",
                        other.a_type()
                    )));
                }
            };
            binds.push((key, url));
        }
    }
    let root_path = config.root_path.unwrap_or_else(|| found.root.clone());
    let sqlite_base = if flask_sqlalchemy_2(&found.root) {
        root_path
    } else {
        instance_dir
    };
    Ok(Some(FlaskProject {
        root: found.root,
        app_file: found.app_file,
        how: found.how,
        database_uri,
        binds,
        sqlite_base,
        environ: found.environ,
        config_refusal,
    }))
}

impl FlaskProject {
    /// The project's Python files as the reader sees them (for its models:
    /// `crate::flask_models`).
    pub(crate) fn modules(&self) -> modules::Modules {
        modules::Modules::new(self.root.clone(), self.environ.clone())
    }
}

/// Whether the project pins Flask-SQLAlchemy 2 (relative SQLite files then
/// live beside the app, not in the instance folder).
fn flask_sqlalchemy_2(root: &Path) -> bool {
    [
        "requirements.txt",
        "requirements/common.txt",
        "requirements/base.txt",
    ]
    .iter()
    .any(|f| {
        std::fs::read_to_string(root.join(f)).is_ok_and(|text| {
            text.lines().any(|l| {
                let l = l.trim().to_lowercase().replace('_', "-");
                l.starts_with("flask-sqlalchemy") && l.contains("==2.")
            })
        })
    })
}
