//! A Flask project's models, read from its Python files into the same
//! declarations a models file makes: every class deriving `db.Model` (or a
//! declarative base, through abstract bases and mixins of the project),
//! classic `db.Column(..)` and 2.0 `Mapped[..] = mapped_column(..)`
//! columns, relationships, `db.Table(..)` association tables, and
//! Flask-SQLAlchemy's table names. A model with anything ormsh cannot
//! honour is refused as a whole, with file:line, and the others load;
//! Python methods and properties are listed as such, to be named when used.

mod class_body;
mod column_property;
mod columns;
mod constraints;
pub mod extension;
pub mod hybrid;
mod mapper_args;
mod registry;
mod relationships;
pub mod repr;
mod types;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::app::flask::FlaskProject;
use crate::app::flask::modules::Modules;
use crate::orm::mapping::association::TableDecl;
use crate::orm::mapping::model::ModelDecl;
use crate::orm::mapping::naming::camel_to_snake_case;
use crate::python::{ClassDef, Env, Expr, ExprKind, Module, PyError, StmtKind};

use class_body::ModelReader;
use types::last;

/// A method or property a model defines in Python.
#[derive(Debug, Clone)]
pub struct PythonMember {
    pub name: String,
    /// `app/models.py:40`.
    pub at: String,
    /// `method`, `property`.
    pub kind: &'static str,
}

/// What the project's Python files declare.
#[derive(Debug, Default)]
pub struct PythonModels {
    pub models: Vec<ModelDecl>,
    pub tables: Vec<TableDecl>,
    /// By model name.
    pub members: HashMap<String, Vec<PythonMember>>,
    /// Each model that could not be read, with why (file:line first).
    pub refused: Vec<String>,
    /// The file that declares each model (`app/models.py`), for messages.
    pub files: HashMap<String, String>,
    /// Models read whole whose objects ormsh must not write (an event
    /// listener would run in Flask): by model, why.
    pub write_refusals: HashMap<String, String>,
    /// `MetaData(naming_convention=...)` (given to `SQLAlchemy(metadata=..)`
    /// or a declarative base's `metadata`): the templates, or why they
    /// cannot be read, which refuses every model (each would be named
    /// otherwise than in Flask).
    pub naming_convention: Option<Result<Vec<(String, String)>, String>>,
    /// Columns whose setting runs Python in Flask (`@validates`): by model,
    /// (attribute, why).
    pub attribute_refusals: HashMap<String, Vec<(String, String)>>,
    /// Each model's `__repr__`, where it is a template of its attributes.
    pub reprs: HashMap<String, repr::ReprTemplate>,
    /// What `SQLAlchemy(...)` asks of the session (`session_options`).
    pub session: extension::SessionOptions,
    /// Why the app cannot be opened as Flask would open it (an engine or
    /// session option ormsh does not honour), with where it is set.
    pub fatal: Option<String>,
    /// The models' `column_property(..)`s, for the registry to evaluate.
    properties: Vec<column_property::PendingProperty>,
    /// The models' `@hybrid_property`s as read, resolved into `hybrids`
    /// with the registry.
    pending_hybrids: Vec<hybrid::PendingHybrid>,
    /// Each model's own hybrid properties (a subclass also has its
    /// parents': look them up the hierarchy).
    pub hybrids: HashMap<String, Vec<hybrid::Hybrid>>,
}

/// Folders that hold no models of the app.
const SKIPPED: &[&str] = &[
    "migrations",
    "tests",
    "test",
    "venv",
    ".venv",
    "env",
    "node_modules",
    "__pycache__",
    "site-packages",
    "instance",
];

/// Read the models of a Flask project.
pub fn read(project: &FlaskProject) -> PythonModels {
    read_files(&project.modules())
}

fn read_files(modules: &Modules) -> PythonModels {
    let mut files = Vec::new();
    collect_files(&modules.root, 0, &mut files);
    files.sort();
    let mut out = PythonModels::default();
    let mut classes: Vec<(Arc<Module>, PathBuf, ClassDef)> = Vec::new();
    let mut tables: HashMap<String, String> = HashMap::new();
    // (model, file:line) of each event listener on a model.
    let mut listeners: Vec<(String, String)> = Vec::new();
    // Each `MetaData(naming_convention=..)`: (file:line, its templates).
    let mut conventions = Vec::new();
    // Module-level `Index("ix", Model.a)`: (model, index, file:line).
    let mut indexes: Vec<(String, crate::orm::Constraint, String)> = Vec::new();
    for file in &files {
        let module = match modules.parse(file) {
            Ok(m) => Arc::new((*m).clone()),
            Err(e) => {
                out.refused.push(e.to_string());
                continue;
            }
        };
        let env = match modules.env_of(file) {
            Ok(env) => env,
            Err(e) => {
                out.refused.push(e.to_string());
                continue;
            }
        };
        for stmt in &module.body {
            match &stmt.kind {
                StmtKind::Expr(e) | StmtKind::Assign { value: e, .. }
                    if e.as_call().is_some_and(constraints::is_constraint) =>
                {
                    let call = e.as_call().expect("matched a call");
                    let at = format!("{}:{}", module.file, stmt.span.line);
                    let read = constraints::constraint(&module, &env, call, e.span).and_then(|c| {
                        constraints::index_model(&module, &env, call)
                            .filter(|_| matches!(c.kind, crate::orm::ConstraintKind::Index { .. }))
                            .map(|m| (m, c))
                            .ok_or_else(|| {
                                module.error(
                                    e.span,
                                    "a constraint or index outside a model is read when it is an Index whose columns are named as Model.column",
                                )
                            })
                    });
                    match read {
                        Ok((model, c)) => indexes.push((model, c, at)),
                        Err(e) => out.refused.push(e.to_string()),
                    }
                }
                StmtKind::Assign { targets, value } => {
                    constraints::conventions_in(&module, &env, value, &mut conventions);
                    if let Some(call) = value.as_call()
                        && call.func.dotted().is_some_and(|d| last(&d) == "SQLAlchemy")
                        && let Err(why) = extension::read(&module, &env, call, &mut out.session)
                    {
                        out.fatal.get_or_insert(why);
                    }
                    if let Some(call) = value.as_call()
                        && call.func.dotted().is_some_and(|d| last(&d) == "Table")
                    {
                        match table(&module, &env, call, value) {
                            Ok(t) => {
                                for target in targets {
                                    if let ExprKind::Name(var) = &target.kind {
                                        tables.insert(var.clone(), t.name.clone());
                                    }
                                }
                                out.tables.push(t);
                            }
                            Err(e) => out.refused.push(e.to_string()),
                        }
                    }
                }
                StmtKind::ClassDef(c) => {
                    // A declarative base's `metadata = MetaData(naming_convention=..)`.
                    for s in &c.body {
                        if let StmtKind::Assign { value, .. } = &s.kind {
                            constraints::conventions_in(&module, &env, value, &mut conventions);
                        }
                    }
                    classes.push((module.clone(), file.clone(), c.clone()))
                }
                StmtKind::Expr(e) => {
                    if let Some(model) = listened_model(e) {
                        listeners.push((model, format!("{}:{}", module.file, stmt.span.line)));
                    }
                }
                StmtKind::FunctionDef(f) => {
                    for d in &f.decorators {
                        if let Some(model) = listened_model(d) {
                            listeners.push((model, format!("{}:{}", module.file, d.span.line)));
                        }
                    }
                }
                _ => {}
            }
        }
    }
    let kinds = classify(&classes);
    for (module, file, class) in &classes {
        if kinds.get(&class.name) != Some(&Kind::Model) {
            continue;
        }
        if let Some((_, at)) = listeners.iter().find(|(m, _)| *m == class.name) {
            out.write_refusals.insert(
                class.name.clone(),
                format!("an event listener at {at} runs Python when {} objects are written, which ormsh cannot run", class.name),
            );
        }
        let env = match modules.env_of(file) {
            Ok(env) => env,
            Err(e) => {
                out.refused.push(e.to_string());
                continue;
            }
        };
        let mixins: Vec<&(Arc<Module>, PathBuf, ClassDef)> = bases_of(class)
            .iter()
            .filter(|b| kinds.get(b.as_str()) == Some(&Kind::Mixin))
            .filter_map(|b| classes.iter().find(|(_, _, c)| &c.name == b))
            .collect();
        let mut reader = ModelReader::new(class, &tables);
        let mut result = Ok(());
        let parents: Vec<String> = bases_of(class)
            .into_iter()
            .filter(|b| kinds.get(b.as_str()) == Some(&Kind::Model))
            .collect();
        match parents.as_slice() {
            [] => {}
            [parent] => reader.inherits(parent),
            _ => {
                result = Err(module.error(
                    class.span,
                    format!(
                        "{} derives from several models ({}), which ormsh does not honour",
                        class.name,
                        parents.join(", ")
                    ),
                ))
            }
        }
        for (m, mixin_file, mixin) in &mixins {
            let mixin_env = modules.env_of(mixin_file).unwrap_or_else(|_| env.clone());
            result = result.and_then(|()| reader.body(m, &mixin_env, &mixin.body, false));
        }
        result = result.and_then(|()| reader.body(module, &env, &class.body, true));
        let validated = result.and_then(|()| reader.validated(module));
        match validated {
            Ok(validated) => {
                if !validated.is_empty() {
                    out.attribute_refusals.insert(class.name.clone(), validated);
                }
                if let Some((_, template)) = reader.repr.take() {
                    out.reprs.insert(class.name.clone(), template);
                }
                out.members
                    .insert(class.name.clone(), reader.members.clone());
                out.properties.append(&mut reader.properties);
                out.pending_hybrids.append(&mut reader.hybrids);
                out.files.insert(class.name.clone(), module.file.clone());
                let explicit = reader.mapped_table.take();
                let mut decl = reader.finish();
                // Flask-SQLAlchemy's `__table_cls__`: a model with no columns
                // of its own whose table name is a `db.Table` already in its
                // bind's metadata maps that table.
                let mapped = explicit.or_else(|| {
                    let name = decl
                        .tablename
                        .clone()
                        .unwrap_or_else(|| camel_to_snake_case(&decl.name));
                    (decl.columns.is_empty()
                        && decl.inheritance.inherits.is_none()
                        && out
                            .tables
                            .iter()
                            .any(|t| t.name == name && t.bind_key == decl.bind_key))
                    .then_some(name)
                });
                // A model on a `db.Table` has the table's columns,
                // constraints and bind; the table is the model's, not an
                // association table.
                if let Some(name) = mapped {
                    match out.tables.iter().position(|t| t.name == name) {
                        Some(i) if decl.columns.is_empty() => {
                            let table = out.tables.remove(i);
                            decl.tablename = Some(table.name);
                            decl.columns = table.columns;
                            decl.constraints.extend(table.constraints);
                            decl.bind_key = table.bind_key.or(decl.bind_key);
                        }
                        Some(_) => {
                            out.refused.push(format!(
                                "{}: {} maps the table `{name}` with __table__ and declares columns too, which ormsh does not honour (the model {} was not loaded)",
                                module.file, class.name, class.name
                            ));
                            continue;
                        }
                        None => {
                            out.refused.push(format!(
                                "{}: {}.__table__ names `{name}`, which was not read (the model {} was not loaded)",
                                module.file, class.name, class.name
                            ));
                            continue;
                        }
                    }
                }
                out.models.push(decl);
            }
            Err(e) => out
                .refused
                .push(format!("{e} (the model {} was not loaded)", class.name)),
        }
    }
    out.naming_convention = conventions.into_iter().fold(None, |seen, (at, found)| {
        let found = found.map_err(|e| e.to_string());
        match seen {
            None => Some(found),
            Some(Ok(pairs)) if found.as_ref().is_ok_and(|f| *f == pairs) => Some(Ok(pairs)),
            Some(Err(e)) => Some(Err(e)),
            Some(Ok(_)) => Some(Err(format!(
                "{at}: a second MetaData(naming_convention=..) that differs from the first; ormsh reads the models under one"
            ))),
        }
    });
    for (model, index, at) in indexes {
        match out.models.iter_mut().find(|m| m.name == model) {
            Some(m) => m.constraints.push(index),
            None => out.refused.push(format!(
                "{at}: the index {} is on {model}, which is not a model that was loaded",
                index.name.unwrap_or_default()
            )),
        }
    }
    resolve_model_keys(&mut out);
    registry::drop_dangling(&mut out);
    out
}

/// `ForeignKey(User.id)`: the table of the model named.
fn resolve_model_keys(out: &mut PythonModels) {
    let tables: HashMap<String, String> = out
        .models
        .iter()
        .map(|m| {
            (
                m.name.clone(),
                m.tablename
                    .clone()
                    .unwrap_or_else(|| camel_to_snake_case(&m.name)),
            )
        })
        .collect();
    let mut refused = Vec::new();
    for model in &mut out.models {
        for c in &mut model.constraints {
            if let crate::orm::ConstraintKind::ForeignKey { ref_table, .. } = &mut c.kind
                && let Some(name) = ref_table.strip_prefix(columns::MODEL_MARK)
            {
                match tables.get(name) {
                    Some(table) => *ref_table = table.clone(),
                    None => refused.push(model.name.clone()),
                }
            }
        }
        for column in &mut model.columns {
            if let Some(fk) = &mut column.foreign_key
                && let Some(name) = fk.table.strip_prefix(columns::MODEL_MARK)
            {
                match tables.get(name) {
                    Some(table) => fk.table = table.clone(),
                    None => refused.push(model.name.clone()),
                }
            }
        }
    }
    for name in refused {
        out.models.retain(|m| m.name != name);
        out.refused.push(format!("{name}: a foreign key names a model that was not loaded (the model {name} was not loaded)"));
    }
}

/// The model an event listener is put on: `db.event.listen(Post.body,
/// 'set', ..)`, `@event.listens_for(User, 'before_insert')`.
fn listened_model(expr: &Expr) -> Option<String> {
    let call = expr.as_call()?;
    let func = call.func.dotted()?;
    if !matches!(last(&func), "listen" | "listens_for")
        || !func.contains("event") && last(&func) == "listen"
    {
        return None;
    }
    let target = call.args.first()?.dotted()?;
    Some(target.split('.').next().unwrap_or(&target).to_string())
}

fn collect_files(dir: &Path, depth: usize, out: &mut Vec<PathBuf>) {
    if depth > 6 {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if path.is_dir() {
            if !name.starts_with('.')
                && !SKIPPED.contains(&name.as_str())
                && path.join("__init__.py").is_file()
                || depth == 0
                    && path.is_dir()
                    && !name.starts_with('.')
                    && !SKIPPED.contains(&name.as_str())
                    && has_python(&path)
            {
                collect_files(&path, depth + 1, out);
            }
        } else if name.ends_with(".py")
            && std::fs::read_to_string(&path).is_ok_and(|t| {
                t.contains("Model")
                    || t.contains("Table(")
                    || t.contains("DeclarativeBase")
                    || t.contains("naming_convention")
            })
        {
            out.push(path);
        }
    }
}

fn has_python(dir: &Path) -> bool {
    std::fs::read_dir(dir).is_ok_and(|mut it| {
        it.any(|e| e.is_ok_and(|e| e.path().extension().is_some_and(|x| x == "py")))
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Maps a table.
    Model,
    /// `__abstract__`, a declarative base, or a plain class of the project
    /// whose columns a model takes.
    Mixin,
    /// The declarative base itself (`class Base(DeclarativeBase)`).
    Base,
}

fn bases_of(class: &ClassDef) -> Vec<String> {
    class
        .bases
        .iter()
        .filter_map(|b| b.dotted())
        .map(|d| last(&d).to_string())
        .collect()
}

fn is_abstract(class: &ClassDef) -> bool {
    class.body.iter().any(|s| matches!(&s.kind, StmtKind::Assign { targets, value }
        if targets.iter().any(|t| t.is_name("__abstract__")) && matches!(value.kind, ExprKind::Bool(true))))
}

/// Which classes are models, which are bases and mixins.
fn classify(classes: &[(Arc<Module>, PathBuf, ClassDef)]) -> HashMap<String, Kind> {
    let mut kinds: HashMap<String, Kind> = HashMap::new();
    loop {
        let mut changed = false;
        for (_, _, class) in classes {
            if kinds.contains_key(&class.name) {
                continue;
            }
            let full: Vec<String> = class.bases.iter().filter_map(|b| b.dotted()).collect();
            let bases = bases_of(class);
            let kind = if full
                .iter()
                .any(|d| matches!(last(d), "DeclarativeBase" | "DeclarativeBaseNoMeta"))
            {
                Some(Kind::Base)
            } else if full
                .iter()
                .any(|d| d == "db.Model" || d.ends_with(".Model") || d == "Model")
                || bases
                    .iter()
                    .any(|b| matches!(kinds.get(b), Some(Kind::Base | Kind::Model)))
                || bases.iter().any(|b| {
                    kinds.get(b) == Some(&Kind::Mixin)
                        && classes
                            .iter()
                            .any(|(_, _, c)| &c.name == b && is_abstract(c))
                })
            {
                Some(if is_abstract(class) {
                    Kind::Mixin
                } else {
                    Kind::Model
                })
            } else {
                None
            };
            if let Some(kind) = kind {
                kinds.insert(class.name.clone(), kind);
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    // Plain classes of the project that a model derives from: mixins.
    for (_, _, class) in classes {
        if kinds.get(&class.name) == Some(&Kind::Model) {
            for b in bases_of(class) {
                if classes.iter().any(|(_, _, c)| c.name == b) {
                    kinds.entry(b).or_insert(Kind::Mixin);
                }
            }
        }
    }
    kinds
}

/// `db.Table('followers', db.metadata, db.Column(..), ..)`.
fn table(
    module: &Module,
    env: &Env,
    call: &crate::python::Call,
    expr: &Expr,
) -> Result<TableDecl, PyError> {
    let name = call
        .args
        .first()
        .and_then(Expr::as_str)
        .ok_or_else(|| module.error(expr.span, "a Table names itself first"))?;
    let mut columns = Vec::new();
    let mut table_constraints = Vec::new();
    for arg in &call.args[1..] {
        match arg.as_call() {
            Some(c) if c.func.dotted().is_some_and(|d| last(&d) == "Column") => {
                columns.push(columns::column(module, env, "", c, arg.span, None)?);
            }
            Some(c) if constraints::is_constraint(c) => {
                table_constraints.push(constraints::constraint(module, env, c, arg.span)?);
            }
            _ if arg.dotted().is_some_and(|d| last(&d) == "metadata") => {}
            _ => {
                return Err(module.error(
                    arg.span,
                    format!(
                        "`{}` in db.Table(..) is not honoured by ormsh yet",
                        module.text(arg.span)
                    ),
                ));
            }
        }
    }
    let mut bind_key = None;
    for kw in &call.keywords {
        match (kw.name.as_deref(), env.eval(module, &kw.value)?) {
            (Some("bind_key"), crate::python::Value::Str(key)) => bind_key = Some(key),
            (Some("bind_key"), crate::python::Value::None) => {}
            _ => {
                return Err(module.error(
                    kw.span,
                    format!(
                        "`{}` in db.Table(..) is not honoured by ormsh yet",
                        module.text(kw.span)
                    ),
                ));
            }
        }
    }
    Ok(TableDecl {
        name,
        columns,
        constraints: table_constraints,
        bind_key,
    })
}
