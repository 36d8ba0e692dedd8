//! The application context: finding the project (`ormsh.toml` here or in a
//! parent, `--app`, `ORMSH_APP`), reading its config, `.env` and the
//! environment into one database URL, its binds and models file, and the
//! instance folder that relative SQLite files live in; and the user's own
//! preferences (`preferences`).

pub mod config;
pub mod flask;
pub mod preferences;
pub mod settings;
pub mod url;
mod url_parse;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

pub use config::Config;
pub use settings::Settings;
pub use url::{Backend, DatabaseUrl, SqliteTarget};

use crate::error::{Error, Result};

const CONFIG_FILE: &str = "ormsh.toml";
const DEFAULT_MODELS_FILE: &str = "models.rhai";
/// Later wins, as SQLAlchemy's own name is the more specific one.
const URL_KEYS: [&str; 2] = ["DATABASE_URL", "SQLALCHEMY_DATABASE_URI"];

/// What the command line knows before a project is opened.
#[derive(Debug, Clone, Default)]
pub struct DiscoverOptions {
    /// `--app`: a project folder or its `ormsh.toml`.
    pub app: Option<PathBuf>,
    /// `--database-url`: overrides every other source.
    pub database_url: Option<String>,
    /// Where the search for `ormsh.toml` starts.
    pub cwd: PathBuf,
    /// `--config NAME`: the config class a Flask app factory picks by name.
    pub config_name: Option<String>,
}

/// An opened project: everything the layers above need to connect and load models.
#[derive(Debug, Clone)]
pub struct AppContext {
    /// The project folder (holds ormsh.toml); canonicalized.
    pub root: PathBuf,
    /// The folder's name, for the banner.
    pub name: String,
    /// As written in ormsh.toml: `database.url` is NOT the URL in use when an
    /// override applied; `database_url` is.
    pub config: Config,
    /// root/instance.
    pub instance_dir: PathBuf,
    /// The default database; none where only binds are set (Flask-SQLAlchemy
    /// allows SQLALCHEMY_BINDS without SQLALCHEMY_DATABASE_URI: the models
    /// on binds work, and what needs the default is refused when used).
    pub database_url: Option<DatabaseUrl>,
    /// In bind-key order.
    pub binds: Vec<(String, DatabaseUrl)>,
    /// Absolute.
    pub models_file: Option<PathBuf>,
    /// The Flask project read in place of an `ormsh.toml` (its config and
    /// its Python models).
    pub flask: Option<std::sync::Arc<flask::FlaskProject>>,
}

impl AppContext {
    /// Finds and opens the project, reading the process environment for
    /// `ORMSH_APP`, `DATABASE_URL` and `SQLALCHEMY_DATABASE_URI`.
    pub fn discover(opts: DiscoverOptions) -> Result<AppContext> {
        Self::discover_with_env(opts, &|key| std::env::var(key).ok())
    }

    /// `discover` with the environment supplied by the caller, so tests never
    /// have to touch the process environment.
    pub fn discover_with_env(
        opts: DiscoverOptions,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<AppContext> {
        // An empty variable is how shells and CI files usually "unset" one.
        let env = |key: &str| env(key).filter(|v| !v.trim().is_empty());
        let cwd = std::fs::canonicalize(&opts.cwd).map_err(|e| {
            Error::config(format!(
                "cannot open the current folder {}: {e}",
                opts.cwd.display()
            ))
        })?;
        let config_file = find_config_file(&cwd, opts.app.as_deref(), &env)?;
        if config_file.is_none()
            && let Some(project) = flask::discover(&cwd, opts.config_name.as_deref())?
        {
            return Self::from_flask(project, opts.database_url.as_deref());
        }
        let (root, config) = match &config_file {
            Some(file) => {
                let root = file.parent().unwrap_or(Path::new("/")).to_path_buf();
                (root, Config::load(file)?)
            }
            None => (cwd.clone(), Config::default()),
        };
        let dotenv_path = root.join(".env");
        let dotenv = read_dotenv(&dotenv_path)?;

        // (where it came from, the URL), lowest precedence first.
        let mut chosen: Option<(String, String)> = None;
        let toml_url = config
            .database
            .url
            .as_ref()
            .filter(|v| !v.trim().is_empty());
        if let (Some(file), Some(url)) = (&config_file, toml_url) {
            chosen = Some((format!("[database] url in {}", file.display()), url.clone()));
        }
        for key in URL_KEYS {
            if let Some(url) = dotenv.get(key).filter(|v| !v.trim().is_empty()) {
                chosen = Some((format!("{key} in {}", dotenv_path.display()), url.clone()));
            }
        }
        for key in URL_KEYS {
            if let Some(url) = env(key) {
                chosen = Some((format!("{key} in the environment"), url));
            }
        }
        if let Some(url) = opts.database_url.filter(|v| !v.trim().is_empty()) {
            chosen = Some(("--database-url".to_string(), url));
        }

        let binds_only = config_file.is_some() && !config.binds.is_empty();
        if chosen.is_none() && !binds_only {
            return Err(Error::config(match &config_file {
                Some(file) => format!(
                    "no database URL: set `url` under [database] in {}, or set DATABASE_URL \
                     (in the environment or in {}), or pass --database-url",
                    file.display(),
                    dotenv_path.display()
                ),
                None => format!(
                    "no ormsh.toml found in {} or any parent folder; create one, or point at a \
                     project with --app PATH or ORMSH_APP",
                    cwd.display()
                ),
            }));
        }
        let instance_dir = root.join("instance");
        let database_url = chosen
            .map(|(source, url)| parse_from(&url, &instance_dir, &source))
            .transpose()?;
        let config_name = config_file
            .as_deref()
            .map_or_else(String::new, |f| f.display().to_string());
        let binds = config
            .binds
            .iter()
            .map(|(key, url)| {
                let source = format!("[binds] {key} in {config_name}");
                Ok((key.clone(), parse_from(url, &instance_dir, &source)?))
            })
            .collect::<Result<Vec<_>>>()?;

        let models_file = match (&config.models.file, &config_file) {
            (Some(file), _) => {
                let path = root.join(file);
                if !path.is_file() {
                    return Err(Error::config(format!(
                        "the models file {} (named by [models] file in {config_name}) does not \
                         exist; create it or correct the path",
                        path.display()
                    )));
                }
                Some(path)
            }
            (None, Some(_)) => Some(root.join(DEFAULT_MODELS_FILE)).filter(|p| p.is_file()),
            (None, None) => None,
        };

        let name = root.file_name().map_or_else(
            || root.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        Ok(AppContext {
            root,
            name,
            config,
            instance_dir,
            database_url,
            binds,
            models_file,
            flask: None,
        })
    }

    /// A Flask project without an `ormsh.toml`: its own configuration says
    /// where the database is (`--database-url` still wins), and its Python
    /// files say what the models are.
    fn from_flask(project: flask::FlaskProject, database_url: Option<&str>) -> Result<AppContext> {
        let database_url = database_url.filter(|v| !v.trim().is_empty());
        if database_url.is_none()
            && let Some(why) = &project.config_refusal
        {
            return Err(Error::config(why.clone()));
        }
        let chosen = match (database_url, &project.database_uri) {
            (Some(url), _) => Some(("--database-url".to_string(), url.to_string())),
            (None, Some((url, at))) => {
                Some((format!("SQLALCHEMY_DATABASE_URI ({at})"), url.clone()))
            }
            // Binds alone are a configuration Flask-SQLAlchemy accepts.
            (None, None) if !project.binds.is_empty() => None,
            (None, None) => {
                return Err(Error::config(format!(
                    "the Flask app {} (found by {}) sets no SQLALCHEMY_DATABASE_URI (nor SQLALCHEMY_BINDS) that ormsh can read; pass --database-url",
                    project.app_file.display(),
                    project.how
                )));
            }
        };
        let instance_dir = project.sqlite_base.clone();
        let database_url = chosen
            .map(|(source, url)| parse_from(&url, &instance_dir, &source))
            .transpose()?;
        let binds = project
            .binds
            .iter()
            .map(|(key, url)| {
                Ok((
                    key.clone(),
                    parse_from(url, &instance_dir, &format!("SQLALCHEMY_BINDS[{key:?}]"))?,
                ))
            })
            .collect::<Result<Vec<_>>>()?;
        let root = project.root.clone();
        let name = root.file_name().map_or_else(
            || root.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        Ok(AppContext {
            root,
            name,
            config: Config::default(),
            instance_dir,
            database_url,
            binds,
            models_file: None,
            flask: Some(std::sync::Arc::new(project)),
        })
    }

    /// Every database URL: the default one (where set), then the binds'.
    pub fn urls(&self) -> impl Iterator<Item = &DatabaseUrl> {
        self.database_url
            .iter()
            .chain(self.binds.iter().map(|(_, u)| u))
    }

    /// The default database's URL, or why there is none.
    pub fn default_url(&self) -> Result<&DatabaseUrl> {
        self.database_url.as_ref().ok_or_else(|| {
            Error::config(format!(
                "there is no default database (SQLALCHEMY_DATABASE_URI, or `url` under [database], is not set), only the binds {}: set it, or pass --database-url",
                self.binds
                    .iter()
                    .map(|(k, _)| format!("`{k}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ))
        })
    }

    /// Creates instance_dir if the primary URL or any bind is a relative
    /// sqlite file (Flask-SQLAlchemy 3 creates it on demand).
    pub fn ensure_instance_dir(&self) -> Result<()> {
        for url in self.urls().filter(|u| u.is_relative_sqlite_file()) {
            let mut dirs = vec![self.instance_dir.as_path()];
            // `sqlite:///data/app.db` needs instance/data too, or SQLite
            // fails with an unhelpful "unable to open database file".
            if let Some(SqliteTarget::File(path)) = url.sqlite_target() {
                dirs.extend(path.parent());
            }
            for dir in dirs {
                std::fs::create_dir_all(dir).map_err(|e| {
                    Error::config(format!(
                        "cannot create the folder {} for {url}: {e}; check its permissions, \
                         or use an absolute path (sqlite:////path/to/file.db)",
                        dir.display()
                    ))
                })?;
            }
        }
        Ok(())
    }
}

fn parse_from(url: &str, instance_dir: &Path, source: &str) -> Result<DatabaseUrl> {
    DatabaseUrl::parse(url, instance_dir).map_err(|e| match e {
        Error::Config(msg) => Error::config(format!("{source} is not usable: {msg}")),
        other => other,
    })
}

/// `--app` wins over `ORMSH_APP`, which wins over searching upwards.
fn find_config_file(
    cwd: &Path,
    app: Option<&Path>,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<Option<PathBuf>> {
    let named = match app {
        Some(p) => Some((p.to_path_buf(), "--app")),
        None => env("ORMSH_APP").map(|p| (PathBuf::from(p), "ORMSH_APP")),
    };
    let Some((path, source)) = named else {
        return Ok(cwd
            .ancestors()
            .map(|dir| dir.join(CONFIG_FILE))
            .find(|f| f.is_file()));
    };
    let path = cwd.join(path);
    let file = if path.is_dir() {
        path.join(CONFIG_FILE)
    } else {
        path.clone()
    };
    if !file.is_file() {
        let why = if path.is_dir() {
            format!("which has no {CONFIG_FILE}; create one there, or")
        } else {
            "which does not exist;".to_string()
        };
        return Err(Error::config(format!(
            "{source} names {}, {why} give {source} the project folder or its {CONFIG_FILE}",
            path.display()
        )));
    }
    let file = std::fs::canonicalize(&file)
        .map_err(|e| Error::config(format!("cannot open {}: {e}", file.display())))?;
    Ok(Some(file))
}

/// Read into a map, never into the process environment: opening a project
/// must not change what the rest of the process (or a test next door) sees.
fn read_dotenv(path: &Path) -> Result<HashMap<String, String>> {
    if !path.is_file() {
        return Ok(HashMap::new());
    }
    let fail = |e: dotenvy::Error| {
        let why = match e {
            // The line itself may hold a secret: show only its key.
            // dotenvy gives the failing text but not its line number.
            dotenvy::Error::LineParse(fragment, _) => {
                let text = std::fs::read_to_string(path).unwrap_or_default();
                let first = fragment.lines().next().unwrap_or("").trim();
                let found = text
                    .lines()
                    .enumerate()
                    .find(|(_, l)| !first.is_empty() && l.contains(first));
                match found {
                    Some((n, line)) => match line.split_once('=') {
                        Some((key, _)) => {
                            format!("line {} (`{}`) cannot be parsed", n + 1, key.trim())
                        }
                        None => format!("line {} cannot be parsed", n + 1),
                    },
                    None => "a line cannot be parsed".to_string(),
                }
            }
            other => other.to_string(),
        };
        Error::config(format!(
            "cannot read {}: {why}; each line should be KEY=value",
            path.display()
        ))
    };
    let mut map = HashMap::new();
    for item in dotenvy::from_path_iter(path).map_err(fail)? {
        let (key, value) = item.map_err(fail)?;
        map.insert(key, value);
    }
    Ok(map)
}

#[cfg(test)]
mod tests;
