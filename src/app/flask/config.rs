//! The app's database configuration, read from its code: the statements
//! that build `app.config` (`from_object`, `from_mapping`, `update`,
//! `app.config[...] = ...`, `from_prefixed_env`, and the files that
//! `from_pyfile`/`from_envvar`/`from_file` load: `config_files`) in the app
//! module and in the factory it calls, in order, each evaluated by the
//! Python reader. A
//! config class picked by name (`config[config_name]`) is found through the
//! factory's call (`create_app(os.getenv('FLASK_CONFIG') or 'default')`) or
//! the `--config` name. What cannot be read is an error naming file:line.

use std::path::{Path, PathBuf};
use std::rc::Rc;

use crate::app::flask::config_files::{self, Loader, Settings};
use crate::app::flask::modules::Modules;
use crate::python::{
    Call, Env, Expr, ExprKind, FunctionDef, Module, PyError, Stmt, StmtKind, Value,
};

/// The keys ormsh reads from `app.config` (`SQLALCHEMY_ECHO` is not one:
/// ormsh shows every statement by its own `--no-echo` setting).
const KEYS: [&str; 3] = [
    "SQLALCHEMY_DATABASE_URI",
    "SQLALCHEMY_BINDS",
    "SQLALCHEMY_ENGINE_OPTIONS",
];

/// What the app's configuration says of its databases.
#[derive(Debug, Default)]
pub(crate) struct AppConfig {
    /// (value, the line that sets it).
    pub database_uri: Option<(Value, String)>,
    pub binds: Option<(Value, String)>,
    pub engine_options: Option<(Value, String)>,
    /// The folder of the module that calls `Flask(__name__)` (`app.root_path`).
    pub root_path: Option<PathBuf>,
    /// `Flask(__name__, instance_relative_config=True)`: config files are
    /// named from the instance folder.
    pub instance_relative: bool,
}

impl AppConfig {
    fn set(&mut self, key: &str, value: Value, at: String) {
        match key {
            "SQLALCHEMY_DATABASE_URI" => self.database_uri = Some((value, at)),
            "SQLALCHEMY_BINDS" => self.binds = Some((value, at)),
            "SQLALCHEMY_ENGINE_OPTIONS" => self.engine_options = Some((value, at)),
            _ => {}
        }
    }
}

/// Read the configuration of the app in `app_file`, built by `factory`
/// (`create_app()` from `FLASK_APP=pkg:create_app()`) when given.
pub(crate) fn read(
    modules: &Modules,
    app_file: &Path,
    factory: Option<&str>,
    config_name: Option<&str>,
    instance_dir: &Path,
) -> Result<AppConfig, PyError> {
    let mut out = AppConfig::default();
    let module = modules.parse(app_file)?;
    let env = modules.env_of(app_file)?;
    let reader = Reader {
        modules,
        config_name,
        instance_dir,
    };
    reader.statements(&module, app_file, &env, &module.body, &mut out)?;
    // `FLASK_APP=pkg:create_app('dev')`: that factory, with those arguments.
    if let Some(call) = factory {
        let name = call.split('(').next().unwrap_or(call).trim();
        if let Some(f) = module.function(name) {
            reader.factory(&module, app_file, &env, f, None, &mut out)?;
        }
    }
    Ok(out)
}

struct Reader<'a> {
    modules: &'a Modules,
    config_name: Option<&'a str>,
    /// The app's instance folder (`app.instance_path`).
    instance_dir: &'a Path,
}

impl Reader<'_> {
    /// Walk statements in order: config statements, calls of a factory
    /// (`app = create_app(...)`, the factory read where it is defined), and
    /// the branches of an `if` whose test can be decided.
    fn statements(
        &self,
        module: &Module,
        file: &Path,
        env: &Env,
        body: &[Stmt],
        out: &mut AppConfig,
    ) -> Result<(), PyError> {
        for stmt in body {
            match &stmt.kind {
                StmtKind::Expr(e) => self.config_call(module, env, e, out)?,
                StmtKind::Assign { targets, value } => {
                    for t in targets {
                        self.config_item(module, env, t, value, out)?;
                    }
                    self.factory_call(module, file, env, value, out)?;
                    self.flask_call(module, env, file, value, out);
                }
                StmtKind::If { test, body, orelse } => {
                    if let Ok(v) = env.eval(module, test)
                        && let Ok(truth) = v.truthy()
                    {
                        let branch = if truth { body } else { orelse };
                        self.statements(module, file, env, branch, out)?;
                    }
                }
                StmtKind::With { body, .. } => self.statements(module, file, env, body, out)?,
                _ => {}
            }
        }
        Ok(())
    }

    /// `app = Flask(__name__)`: the app's root path is this file's folder;
    /// `instance_relative_config=True` names config files from the
    /// instance folder.
    fn flask_call(
        &self,
        module: &Module,
        env: &Env,
        file: &Path,
        value: &Expr,
        out: &mut AppConfig,
    ) {
        if let Some(call) = value.as_call()
            && call
                .func
                .dotted()
                .is_some_and(|d| d == "Flask" || d.ends_with(".Flask"))
        {
            out.root_path = file.parent().map(Path::to_path_buf);
            out.instance_relative = call
                .keyword("instance_relative_config")
                .and_then(|v| env.eval(module, v).ok())
                .and_then(|v| v.truthy().ok())
                .unwrap_or(false);
        }
    }

    /// `app = create_app(args)` where `create_app` is a function of the
    /// project: read its body with its parameters bound to the arguments.
    fn factory_call(
        &self,
        module: &Module,
        file: &Path,
        env: &Env,
        value: &Expr,
        out: &mut AppConfig,
    ) -> Result<(), PyError> {
        let Some(call) = value.as_call() else {
            return Ok(());
        };
        let Some(name) = call.func.dotted() else {
            return Ok(());
        };
        if name.contains('.') {
            return Ok(());
        }
        // Defined here, or imported from a file of the project.
        if let Some(f) = module.function(&name) {
            return self.factory(module, file, env, f, Some((call, module, env)), out);
        }
        for (level, from, alias) in module.imports_from() {
            if alias.bound_name() != name {
                continue;
            }
            let Some(target) = self.modules.resolve(file, level, from.unwrap_or("")) else {
                continue;
            };
            let target_module = self.modules.parse(&target)?;
            if let Some(f) = target_module.function(&alias.name) {
                let target_env = self.modules.env_of(&target)?;
                let f = f.clone();
                return self.factory(
                    &target_module,
                    &target,
                    &target_env,
                    &f,
                    Some((call, module, env)),
                    out,
                );
            }
        }
        Ok(())
    }

    /// The body of an app factory, its parameters bound to the call's
    /// arguments (evaluated where the call is) or their defaults.
    fn factory(
        &self,
        module: &Module,
        file: &Path,
        env: &Env,
        f: &FunctionDef,
        call: Option<(&Call, &Module, &Env)>,
        out: &mut AppConfig,
    ) -> Result<(), PyError> {
        let mut inner = env.clone();
        for (i, param) in f.params.iter().enumerate() {
            let given = call.and_then(|(c, m, e)| {
                c.keyword(&param.name)
                    .or_else(|| c.args.get(i))
                    .map(|arg| e.eval(m, arg))
            });
            let value = match (given, &param.default) {
                (Some(v), _) => v,
                (None, Some(default)) => env.eval(module, default),
                (None, None) => continue,
            };
            // A config chosen by name: `--config NAME` wins, as FLASK_CONFIG would.
            let value = match (value, self.config_name) {
                (Ok(Value::Str(_)), Some(name)) => Ok(Value::Str(name.to_string())),
                (v, _) => v,
            };
            match value {
                Ok(v) => inner.set(param.name.clone(), v),
                Err(e) => return Err(e),
            }
        }
        let module: Rc<Module> = self.modules.parse(file)?;
        self.statements(&module, file, &inner, &f.body, out)
    }

    /// `app.config[KEY] = value`.
    fn config_item(
        &self,
        module: &Module,
        env: &Env,
        target: &Expr,
        value: &Expr,
        out: &mut AppConfig,
    ) -> Result<(), PyError> {
        let ExprKind::Subscript { value: obj, index } = &target.kind else {
            return Ok(());
        };
        if !is_config(obj) {
            return Ok(());
        }
        let Some(key) = index.as_str() else {
            return Ok(());
        };
        if KEYS.contains(&key.as_str()) {
            let v = env.eval(module, value)?;
            out.set(&key, v, format!("{}:{}", module.file, target.span.line));
        }
        Ok(())
    }

    /// `app.config.from_object(..)`, `.from_mapping(..)`, `.update(..)`,
    /// `.from_prefixed_env()`.
    fn config_call(
        &self,
        module: &Module,
        env: &Env,
        expr: &Expr,
        out: &mut AppConfig,
    ) -> Result<(), PyError> {
        let Some(call) = expr.as_call() else {
            return Ok(());
        };
        let ExprKind::Attribute { value: obj, attr } = &call.func.kind else {
            return Ok(());
        };
        if !is_config(obj) {
            return Ok(());
        }
        let at = format!("{}:{}", module.file, expr.span.line);
        match attr.as_str() {
            "from_object" => {
                let Some(arg) = call.args.first() else {
                    return Ok(());
                };
                let object = match env.eval(module, arg)? {
                    Value::Str(path) => {
                        // A module's upper-case names (`from_object('config')`).
                        if let Some(file) = self.modules.resolve(&self.modules.root, 0, &path)
                            && let Some(settings) =
                                config_files::python_file(self.modules, &file, &KEYS)?
                        {
                            apply(settings, out);
                            return Ok(());
                        }
                        self.import_string(module, expr, &path)?
                    }
                    other => other,
                };
                let Value::Class(class) = object else {
                    return Err(module.error(
                        arg.span,
                        format!(
                            "`app.config.from_object({})` names something the reader cannot read (make it a class defined in the project)",
                            module.text(arg.span)
                        ),
                    ));
                };
                for key in KEYS {
                    if let Some(binding) = class.attr(key) {
                        let v = binding.clone()?;
                        out.set(
                            key,
                            v,
                            format!("{}:{} ({}.{key})", class.file, class.line, class.name),
                        );
                    }
                }
            }
            "from_mapping" | "update" => {
                for kw in &call.keywords {
                    if let Some(name) = &kw.name
                        && KEYS.contains(&name.as_str())
                    {
                        out.set(name, env.eval(module, &kw.value)?, at.clone());
                    }
                }
            }
            "from_prefixed_env" => {
                let prefix = call
                    .args
                    .first()
                    .or_else(|| call.keyword("prefix"))
                    .map(|p| env.eval(module, p))
                    .transpose()?
                    .and_then(|v| v.as_str().map(str::to_string))
                    .unwrap_or_else(|| "FLASK".to_string());
                for key in KEYS {
                    if let Some(v) = self.modules.environ.get(&format!("{prefix}_{key}")) {
                        out.set(
                            key,
                            Value::Str(v.clone()),
                            format!("{prefix}_{key} in the environment"),
                        );
                    }
                }
            }
            "from_pyfile" => {
                let name = self.string_arg(module, env, call, 0, "filename")?;
                let silent = self.silent(module, env, call, 1)?;
                self.load_file(module, expr, out, &name, silent, None)?;
            }
            "from_envvar" => {
                let var = self.string_arg(module, env, call, 0, "variable_name")?;
                let silent = self.silent(module, env, call, 1)?;
                match self.modules.environ.get(&var).filter(|v| !v.is_empty()) {
                    Some(name) => self.load_file(module, expr, out, &name.clone(), silent, None)?,
                    None if silent => {}
                    None => {
                        return Err(module.error(
                            expr.span,
                            format!(
                                "`{}` needs the environment variable {var}, which is not set (Flask stops here too: set it, or pass --database-url)",
                                module.text(expr.span)
                            ),
                        ));
                    }
                }
            }
            "from_file" => {
                let name = self.string_arg(module, env, call, 0, "filename")?;
                let load = call.args.get(1).or_else(|| call.keyword("load"));
                // By what the name is bound to: `from tomllib import load`
                // makes `load` tomllib's.
                let loader = load
                    .and_then(|l| match env.eval(module, l) {
                        Ok(crate::python::Value::Ref(path)) => Some(path),
                        _ => l.dotted(),
                    })
                    .and_then(|d| Loader::named(&d))
                    .ok_or_else(|| {
                        module.error(
                            expr.span,
                            format!(
                                "`{}` loads its file with something other than json.load or tomllib.load, which the reader cannot run (pass --database-url)",
                                module.text(expr.span)
                            ),
                        )
                    })?;
                let silent = self.silent(module, env, call, usize::MAX)?;
                self.load_file(module, expr, out, &name, silent, Some(loader))?;
            }
            _ => {}
        }
        Ok(())
    }

    /// A config file named from the app's root path (or its instance folder
    /// under `instance_relative_config=True`): Python unless `loader` says
    /// JSON or TOML. A missing file is an error unless `silent`.
    fn load_file(
        &self,
        module: &Module,
        expr: &Expr,
        out: &mut AppConfig,
        name: &str,
        silent: bool,
        loader: Option<Loader>,
    ) -> Result<(), PyError> {
        let base = if out.instance_relative {
            self.instance_dir.to_path_buf()
        } else {
            out.root_path
                .clone()
                .unwrap_or_else(|| self.modules.root.clone())
        };
        // `os.path.join`: an absolute name stands as it is.
        let path = base.join(name);
        let label = self.modules.label(&path);
        let settings = match loader {
            None => config_files::python_file(self.modules, &path, &KEYS)?,
            Some(loader) => config_files::data_file(&path, &label, loader, &KEYS)?,
        };
        match settings {
            Some(settings) => apply(settings, out),
            None if silent => {}
            None => {
                return Err(module.error(
                    expr.span,
                    format!(
                        "`{}` loads {label}, which does not exist (Flask stops here too: create it, add silent=True, or pass --database-url)",
                        module.text(expr.span)
                    ),
                ));
            }
        }
        Ok(())
    }

    /// A string argument, by position or keyword.
    fn string_arg(
        &self,
        module: &Module,
        env: &Env,
        call: &Call,
        index: usize,
        keyword: &str,
    ) -> Result<String, PyError> {
        let arg = call
            .args
            .get(index)
            .or_else(|| call.keyword(keyword))
            .ok_or_else(|| module.error(call.func.span, format!("`{keyword}` is missing")))?;
        match env.eval(module, arg)? {
            Value::Str(s) | Value::Path(s) => Ok(s),
            other => Err(module.error(
                arg.span,
                format!("`{keyword}` is {}, not a file name", other.a_type()),
            )),
        }
    }

    /// `silent=` (by keyword, or at `index`): false when not given.
    fn silent(
        &self,
        module: &Module,
        env: &Env,
        call: &Call,
        index: usize,
    ) -> Result<bool, PyError> {
        match call.keyword("silent").or_else(|| call.args.get(index)) {
            None => Ok(false),
            Some(v) => env
                .eval(module, v)?
                .truthy()
                .map_err(|e| module.error(v.span, e)),
        }
    }

    /// `from_object("config.Config")`: the class at that import path.
    fn import_string(&self, module: &Module, expr: &Expr, path: &str) -> Result<Value, PyError> {
        let refuse = || {
            module.error(
                expr.span,
                format!("`{path}` is not a class of the project that the reader can find"),
            )
        };
        let (module_name, name) = path.rsplit_once('.').ok_or_else(refuse)?;
        let file = self
            .modules
            .resolve(&self.modules.root, 0, module_name)
            .ok_or_else(refuse)?;
        self.modules.env_of(&file)?.value(name).ok_or_else(refuse)?
    }
}

fn apply(settings: Settings, out: &mut AppConfig) {
    for (key, value, at) in settings {
        out.set(&key, value, at);
    }
}

/// `app.config` (or `self.config`, `current_app.config`).
fn is_config(obj: &Expr) -> bool {
    matches!(&obj.kind, ExprKind::Attribute { attr, .. } if attr == "config")
}
