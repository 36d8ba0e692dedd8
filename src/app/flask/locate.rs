//! Finding a Flask project from the current folder upward, as `flask`
//! finds its app: `FLASK_APP` (from the environment, `.env` or
//! `.flaskenv`, the process environment winning), else `wsgi.py` or
//! `app.py`, else a package whose `__init__.py` defines `create_app`.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// Where the app is: the project folder (`sys.path[0]`), the module
/// `FLASK_APP` names (or the one found), and what follows its `:`.
pub(crate) struct Located {
    pub root: PathBuf,
    pub app_file: PathBuf,
    /// `create_app('dev')` in `FLASK_APP=app:create_app('dev')`.
    pub factory: Option<String>,
    /// The environment the app sees.
    pub environ: HashMap<String, String>,
    /// Where FLASK_APP came from, for messages.
    pub how: String,
}

/// The nearest folder, from `cwd` up, holding a Flask app; `None` when
/// there is none.
pub(crate) fn locate(cwd: &Path, process_env: &HashMap<String, String>) -> Result<Option<Located>> {
    for dir in cwd.ancestors() {
        let mut environ = read_env_file(&dir.join(".flaskenv"))?;
        environ.extend(read_env_file(&dir.join(".env"))?);
        let from_files = environ.get("FLASK_APP").cloned();
        environ.extend(process_env.iter().map(|(k, v)| (k.clone(), v.clone())));
        let flask_app = environ
            .get("FLASK_APP")
            .filter(|v| !v.trim().is_empty())
            .cloned();
        if let Some(value) = flask_app {
            let how = if process_env.contains_key("FLASK_APP") {
                "FLASK_APP in the environment".to_string()
            } else if from_files.is_some() {
                format!("FLASK_APP in {}", dir.display())
            } else {
                "FLASK_APP".to_string()
            };
            if let Some(found) = by_flask_app(dir, &value, environ.clone(), &how)? {
                return Ok(Some(found));
            }
            // Only the folder whose .flaskenv/.env names it; the
            // environment's FLASK_APP is relative to some folder up the path.
            if from_files.is_some() {
                return Err(Error::config(format!(
                    "{how} is {value:?}, but {} has no such module; correct FLASK_APP",
                    dir.display()
                )));
            }
            continue;
        }
        for name in ["wsgi.py", "app.py"] {
            let file = dir.join(name);
            if file.is_file() {
                return Ok(Some(Located {
                    root: dir.to_path_buf(),
                    app_file: file,
                    factory: None,
                    environ,
                    how: format!("{name} (no FLASK_APP set)"),
                }));
            }
        }
        if let Some(init) = package_with_factory(dir) {
            return Ok(Some(Located {
                root: dir.to_path_buf(),
                app_file: init,
                factory: None,
                environ,
                how: "the package that defines create_app (no FLASK_APP set)".into(),
            }));
        }
    }
    Ok(None)
}

/// `FLASK_APP=module[:name or call]`, the module a dotted name or a path
/// to a `.py` file, resolved in `dir`.
fn by_flask_app(
    dir: &Path,
    value: &str,
    environ: HashMap<String, String>,
    how: &str,
) -> Result<Option<Located>> {
    let (module, factory) = match value.split_once(':') {
        Some((m, f)) => (m.trim(), Some(f.trim().to_string())),
        None => (value.trim(), None),
    };
    let file = if module.ends_with(".py") {
        Some(dir.join(module)).filter(|f| f.is_file())
    } else {
        let base = module
            .split('.')
            .fold(dir.to_path_buf(), |p, part| p.join(part));
        let file = base.with_extension("py");
        let package = base.join("__init__.py");
        if file.is_file() {
            Some(file)
        } else {
            Some(package).filter(|p| p.is_file())
        }
    };
    Ok(file.map(|app_file| Located {
        root: dir.to_path_buf(),
        app_file,
        factory,
        environ,
        how: how.to_string(),
    }))
}

/// A package in `dir` whose `__init__.py` defines `create_app`.
fn package_with_factory(dir: &Path) -> Option<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
        .ok()?
        .filter_map(|e| e.ok())
        .map(|e| e.path().join("__init__.py"))
        .filter(|init| {
            std::fs::read_to_string(init).is_ok_and(|text| text.contains("def create_app"))
        })
        .collect();
    found.sort();
    found.into_iter().next()
}

/// A `.env`-style file as python-dotenv reads it (none: empty).
fn read_env_file(path: &Path) -> Result<HashMap<String, String>> {
    if !path.is_file() {
        return Ok(HashMap::new());
    }
    let iter = dotenvy::from_path_iter(path)
        .map_err(|e| Error::config(format!("cannot read {}: {e}", path.display())))?;
    let mut out = HashMap::new();
    for item in iter {
        let (k, v) = item.map_err(|e| {
            Error::config(format!(
                "cannot read {}: {e}; each line should be KEY=value",
                path.display()
            ))
        })?;
        out.insert(k, v);
    }
    Ok(out)
}
