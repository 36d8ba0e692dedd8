//! A Flask project's models, read from its Python files into the same
//! declarations a models file makes: every class deriving `db.Model` (or a
//! declarative base, through abstract bases and mixins of the project),
//! classic `db.Column(..)` and 2.0 `Mapped[..] = mapped_column(..)`
//! columns, relationships, `db.Table(..)` association tables, and
//! Flask-SQLAlchemy's table names. A model with anything ormsh cannot
//! honour is refused as a whole, with file:line, and the others load;
//! Python methods and properties are listed as such, to be named when used.

mod columns;
mod relationships;
mod types;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::app::flask::modules::Modules;
use crate::orm::mapping::association::TableDecl;
use crate::orm::mapping::model::{ModelDecl, RelationshipDecl};
use crate::orm::mapping::naming::camel_to_snake_case;
use crate::python::{ClassDef, Env, Expr, ExprKind, Module, PyError, Stmt, StmtKind, Value};

use relationships::Around;
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

/// Read the models of the project under `root`.
pub(crate) fn read(modules: &Modules) -> PythonModels {
    let mut files = Vec::new();
    collect_files(&modules.root, 0, &mut files);
    files.sort();
    let mut out = PythonModels::default();
    let mut classes: Vec<(Arc<Module>, PathBuf, ClassDef)> = Vec::new();
    let mut tables: HashMap<String, String> = HashMap::new();
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
                StmtKind::Assign { targets, value } => {
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
                StmtKind::ClassDef(c) => classes.push((module.clone(), file.clone(), c.clone())),
                _ => {}
            }
        }
    }
    let kinds = classify(&classes);
    for (module, file, class) in &classes {
        if kinds.get(&class.name) != Some(&Kind::Model) {
            continue;
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
        for (m, mixin_file, mixin) in &mixins {
            let mixin_env = modules.env_of(mixin_file).unwrap_or_else(|_| env.clone());
            result = result.and_then(|()| reader.body(m, &mixin_env, &mixin.body, false));
        }
        result = result.and_then(|()| reader.body(module, &env, &class.body, true));
        match result {
            Ok(()) => {
                out.members
                    .insert(class.name.clone(), reader.members.clone());
                out.models.push(reader.finish());
            }
            Err(e) => out
                .refused
                .push(format!("{e} (the model {} was not loaded)", class.name)),
        }
    }
    resolve_model_keys(&mut out);
    drop_dangling(&mut out);
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
                t.contains("Model") || t.contains("Table(") || t.contains("DeclarativeBase")
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
    for arg in &call.args[1..] {
        match arg.as_call() {
            Some(c) if c.func.dotted().is_some_and(|d| last(&d) == "Column") => {
                columns.push(columns::column(module, env, "", c, arg.span, None)?);
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
    if let Some(kw) = call.keywords.first() {
        return Err(module.error(
            kw.span,
            format!(
                "`{}` in db.Table(..) is not honoured by ormsh yet",
                module.text(kw.span)
            ),
        ));
    }
    Ok(TableDecl { name, columns })
}

/// A model's declaration, read statement by statement.
struct ModelReader<'a> {
    decl: ModelDecl,
    members: Vec<PythonMember>,
    tables: &'a HashMap<String, String>,
    column_names: Vec<String>,
}

impl<'a> ModelReader<'a> {
    fn new(class: &ClassDef, tables: &'a HashMap<String, String>) -> Self {
        ModelReader {
            decl: ModelDecl {
                name: class.name.clone(),
                tablename: None,
                columns: Vec::new(),
                relationships: Vec::new(),
                bind_key: None,
            },
            members: Vec::new(),
            tables,
            column_names: Vec::new(),
        }
    }

    fn finish(self) -> ModelDecl {
        self.decl
    }

    fn body(
        &mut self,
        module: &Module,
        env: &Env,
        body: &[Stmt],
        own: bool,
    ) -> Result<(), PyError> {
        for stmt in body {
            match &stmt.kind {
                StmtKind::Expr(e) if matches!(e.kind, ExprKind::Str(_)) => {}
                StmtKind::Pass => {}
                StmtKind::Assign { targets, value } => {
                    let [target] = targets.as_slice() else {
                        return Err(
                            module.error(stmt.span, "a chained assignment in a model is not read")
                        );
                    };
                    let ExprKind::Name(name) = &target.kind else {
                        return Err(module.error(
                            stmt.span,
                            "an assignment in a model is read when it binds a name",
                        ));
                    };
                    self.attribute(module, env, name, None, Some(value), stmt, own)?;
                }
                StmtKind::AnnAssign {
                    target,
                    annotation,
                    value,
                } => {
                    let ExprKind::Name(name) = &target.kind else {
                        return Err(module.error(
                            stmt.span,
                            "an assignment in a model is read when it binds a name",
                        ));
                    };
                    self.attribute(
                        module,
                        env,
                        name,
                        Some(annotation),
                        value.as_ref(),
                        stmt,
                        own,
                    )?;
                }
                StmtKind::FunctionDef(f) => {
                    let decorated: Vec<String> = f
                        .decorators
                        .iter()
                        .filter_map(|d| d.as_call().map(|c| c.func.as_ref()).unwrap_or(d).dotted())
                        .collect();
                    if decorated
                        .iter()
                        .any(|d| matches!(last(d), "validates" | "reconstructor" | "declared_attr"))
                    {
                        return Err(module.error(
                            f.span,
                            format!("`@{}` on `{}` runs Python that ormsh cannot run, and the model would behave differently without it", decorated.join(", @"), f.name),
                        ));
                    }
                    let kind = if decorated.iter().any(|d| {
                        matches!(last(d), "property" | "hybrid_property" | "cached_property")
                    }) {
                        "property"
                    } else {
                        "method"
                    };
                    if !f.name.starts_with('_') || f.name == "__repr__" || f.name == "__str__" {
                        self.members.push(PythonMember {
                            name: f.name.clone(),
                            at: format!("{}:{}", module.file, f.span.line),
                            kind,
                        });
                    }
                }
                _ => {
                    return Err(module.error(
                        stmt.span,
                        format!(
                            "`{}` in a model is not something ormsh reads",
                            first_line(module.text(stmt.span))
                        ),
                    ));
                }
            }
        }
        Ok(())
    }

    #[allow(clippy::too_many_arguments)]
    fn attribute(
        &mut self,
        module: &Module,
        env: &Env,
        name: &str,
        annotation: Option<&Expr>,
        value: Option<&Expr>,
        stmt: &Stmt,
        own: bool,
    ) -> Result<(), PyError> {
        match name {
            "__tablename__" if own => {
                let v = value.map(|v| env.eval(module, v)).transpose()?;
                self.decl.tablename = Some(
                    v.and_then(|v| v.as_str().map(str::to_string))
                        .ok_or_else(|| module.error(stmt.span, "__tablename__ must be a string"))?,
                );
                return Ok(());
            }
            "__bind_key__" => {
                let v = value.map(|v| env.eval(module, v)).transpose()?;
                self.decl.bind_key = v.and_then(|v| v.as_str().map(str::to_string));
                return Ok(());
            }
            "__abstract__" | "__tablename__" => return Ok(()),
            "__table_args__" => return self.table_args(module, env, value, stmt),
            _ if name.starts_with("__") => {
                return Err(module.error(stmt.span, format!("`{name}` is not honoured by ormsh yet (inheritance and mapper options are not read)")));
            }
            _ => {}
        }
        let annotated = annotation.and_then(types::annotation);
        let call = value.and_then(Expr::as_call);
        let func = call
            .and_then(|c| c.func.dotted())
            .map(|d| last(&d).to_string());
        match (func.as_deref(), &annotated) {
            (Some("Column" | "mapped_column"), _) => {
                let implied = match &annotated {
                    Some(a) => Some((types::python_type(module, env, &a.inner)?, a.optional)),
                    None => None,
                };
                let column =
                    columns::column(module, env, name, call.expect("a call"), stmt.span, implied)?;
                self.column_names.push(name.to_string());
                self.decl.columns.retain(|c| c.name != name);
                self.decl.columns.push(column);
            }
            (Some("relationship"), _) => {
                let around = Around {
                    class: &self.decl.name,
                    columns: &self.column_names,
                    tables: self.tables,
                };
                let rel = relationships::relationship(
                    module,
                    env,
                    name,
                    call.expect("a call"),
                    stmt.span,
                    annotated.as_ref(),
                    &around,
                )?;
                self.decl
                    .relationships
                    .retain(|r: &RelationshipDecl| r.name != name);
                self.decl.relationships.push(rel);
            }
            (None, Some(a)) if value.is_none() => {
                // `name: Mapped[int]` alone is a column of that type.
                let ty = types::python_type(module, env, &a.inner)?.ok_or_else(|| {
                    module.error(
                        stmt.span,
                        format!("the annotation of `{name}` names no column type ormsh maps"),
                    )
                })?;
                let call = crate::python::Call {
                    func: Box::new(a.inner.clone()),
                    args: Vec::new(),
                    keywords: Vec::new(),
                };
                let column = columns::column(
                    module,
                    env,
                    name,
                    &call,
                    stmt.span,
                    Some((Some(ty), a.optional)),
                )?;
                self.column_names.push(name.to_string());
                self.decl.columns.push(column);
            }
            _ => {
                // A class constant (`ROLES = [..]`) is Python's, not a column.
                if let Some(v) = value
                    && env
                        .eval(module, v)
                        .is_ok_and(|v| !matches!(v, Value::Ref(_)))
                {
                    return Ok(());
                }
                return Err(module.error(
                    stmt.span,
                    format!(
                        "`{}` in a model is not something ormsh honours yet",
                        first_line(module.text(stmt.span))
                    ),
                ));
            }
        }
        Ok(())
    }

    /// `__table_args__ = {'schema': 'sales'}`; constraints are refused.
    fn table_args(
        &mut self,
        module: &Module,
        env: &Env,
        value: Option<&Expr>,
        stmt: &Stmt,
    ) -> Result<(), PyError> {
        let refuse = || {
            module.error(
                stmt.span,
                "`__table_args__` with constraints or indexes is not honoured by ormsh yet",
            )
        };
        match value.map(|v| env.eval(module, v)).transpose()? {
            Some(Value::Dict(items)) => {
                for (k, v) in items {
                    match (k.as_str(), v) {
                        (Some("schema"), Value::Str(s)) => {
                            let table = self
                                .decl
                                .tablename
                                .clone()
                                .unwrap_or_else(|| camel_to_snake_case(&self.decl.name));
                            self.decl.tablename = Some(format!("{s}.{table}"));
                        }
                        (Some("extend_existing"), _) => {}
                        _ => return Err(refuse()),
                    }
                }
                Ok(())
            }
            _ => Err(refuse()),
        }
    }
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or(text)
}

/// Relationships whose target model was refused go too, each named.
fn drop_dangling(out: &mut PythonModels) {
    let loaded: Vec<String> = out.models.iter().map(|m| m.name.clone()).collect();
    let mut notes = Vec::new();
    for model in &mut out.models {
        model.relationships.retain(|r| {
            let keep = loaded.contains(&r.target);
            if !keep {
                notes.push(format!(
                    "{}.{} was left out: its target {} was not loaded",
                    model.name, r.name, r.target
                ));
            }
            keep
        });
    }
    out.refused.extend(notes);
}
