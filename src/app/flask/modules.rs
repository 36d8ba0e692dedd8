//! The project's Python files as the reader sees them: a module name
//! resolved to its file (from the project's root, as `sys.path[0]`, or
//! relative to the importing file), each file parsed once, and a file's
//! names bound as Python would bind them, with names imported from other
//! files of the project given their values there.

use std::cell::RefCell;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::rc::Rc;

use crate::python::{self, Env, Module, PyError, Value};

/// How deep imports between the project's files are followed.
const MAX_IMPORT_DEPTH: usize = 8;

pub(crate) struct Modules {
    /// The folder Flask puts first on `sys.path` (the project).
    pub root: PathBuf,
    /// What `os.environ` holds for the app: the process environment over
    /// `.env` over `.flaskenv`.
    pub environ: HashMap<String, String>,
    parsed: RefCell<HashMap<PathBuf, Rc<Module>>>,
    /// Each file's names once bound (a file is read once however many of
    /// its classes and importers ask).
    bound: RefCell<HashMap<PathBuf, Env>>,
}

impl Modules {
    pub fn new(root: PathBuf, environ: HashMap<String, String>) -> Modules {
        Modules {
            root,
            environ,
            parsed: RefCell::new(HashMap::new()),
            bound: RefCell::new(HashMap::new()),
        }
    }

    /// The file's name as messages show it: relative to the project.
    pub fn label(&self, path: &Path) -> String {
        path.strip_prefix(&self.root)
            .unwrap_or(path)
            .display()
            .to_string()
    }

    /// The parsed file.
    pub fn parse(&self, path: &Path) -> Result<Rc<Module>, PyError> {
        if let Some(m) = self.parsed.borrow().get(path) {
            return Ok(m.clone());
        }
        let label = self.label(path);
        let source = std::fs::read_to_string(path)
            .map_err(|e| PyError::new(&label, 0, format!("cannot be read: {e}")))?;
        let module = Rc::new(python::parse(&label, &source)?);
        self.parsed
            .borrow_mut()
            .insert(path.to_path_buf(), module.clone());
        Ok(module)
    }

    /// The file of module `name` imported from `from` with `level` leading
    /// dots (`from .models import User`: level 1, name `models`); `None`
    /// when it is not a file of the project (a library).
    pub fn resolve(&self, from: &Path, level: usize, name: &str) -> Option<PathBuf> {
        let mut base = if level == 0 {
            self.root.clone()
        } else {
            let mut dir = from.parent()?.to_path_buf();
            for _ in 1..level {
                dir = dir.parent()?.to_path_buf();
            }
            dir
        };
        for part in name.split('.').filter(|p| !p.is_empty()) {
            base.push(part);
        }
        let file = base.with_extension("py");
        if file.is_file() {
            return Some(file);
        }
        let package = base.join("__init__.py");
        package.is_file().then_some(package)
    }

    /// The names `path` binds at module level, with the classes and values
    /// it imports from other files of the project read there.
    pub fn env_of(&self, path: &Path) -> Result<Env, PyError> {
        self.env_at_depth(path, 0)
    }

    fn env_at_depth(&self, path: &Path, depth: usize) -> Result<Env, PyError> {
        if let Some(env) = self.bound.borrow().get(path) {
            return Ok(env.clone());
        }
        let module = self.parse(path)?;
        let mut env = Env::new(self.environ.clone())
            .with_file(path.display().to_string())
            .with_cwd(self.root.display().to_string());
        if depth < MAX_IMPORT_DEPTH {
            for (level, from, alias) in module.imports_from() {
                if let Some(value) = self.imported(path, level, from, &alias.name, depth) {
                    env.preset_import(alias.bound_name(), value);
                }
            }
        }
        env.exec(&module, &module.body);
        self.bound
            .borrow_mut()
            .insert(path.to_path_buf(), env.clone());
        Ok(env)
    }

    /// The value `from <from> import <name>` binds, when `<from>` is a file
    /// of the project that binds `<name>` to something the reader could read.
    fn imported(
        &self,
        path: &Path,
        level: usize,
        from: Option<&str>,
        name: &str,
        depth: usize,
    ) -> Option<Value> {
        let file = self.resolve(path, level, from.unwrap_or(""))?;
        if file == path {
            return None;
        }
        let env = self.env_at_depth(&file, depth + 1).ok()?;
        match env.value(name)? {
            Ok(Value::Ref(_)) | Err(_) => None,
            Ok(value) => Some(value),
        }
    }
}
