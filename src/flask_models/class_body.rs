//! One model class's body read into a declaration: its columns and
//! relationships, `__tablename__`, `__bind_key__`, `__table_args__`, and
//! what it defines in Python (listed, never run): methods and properties,
//! `column_property`/`synonym`/`association_proxy` attributes,
//! `@hybrid_property`s (read for ormsh to evaluate), and the
//! `@validates` hooks that make setting their columns Python's business.
//! Anything else in the body refuses the model with its line.

use std::collections::HashMap;

use crate::orm::mapping::model::{ModelDecl, RelationshipDecl};
use crate::orm::mapping::naming::camel_to_snake_case;
use crate::python::{
    ClassDef, Env, Expr, ExprKind, FunctionDef, Module, PyError, Stmt, StmtKind, Value,
};

use super::relationships::{self, Around};
use super::types::{self, last};
use super::{PythonMember, columns, constraints};

/// A model's declaration, read statement by statement.
pub(super) struct ModelReader<'a> {
    decl: ModelDecl,
    pub(super) members: Vec<PythonMember>,
    tables: &'a HashMap<String, String>,
    column_names: Vec<String>,
    /// `@validates('a', 'b')`: (the attributes, file:line).
    validators: Vec<(Vec<String>, String)>,
    /// `__repr__` (or else `__str__`) read as a template: (from `__repr__`, it).
    pub(super) repr: Option<(bool, super::repr::ReprTemplate)>,
    /// `column_property(<expression>)`s, evaluated once the registry is
    /// built (`column_property`); each is listed as Python's until then.
    pub(super) properties: Vec<super::column_property::PendingProperty>,
    /// `__table__ = t`: the name of the `db.Table` the model maps.
    pub(super) mapped_table: Option<String>,
    /// `@hybrid_property`s, resolved once the registry is built.
    pub(super) hybrids: Vec<super::hybrid::PendingHybrid>,
}

impl<'a> ModelReader<'a> {
    pub(super) fn new(class: &ClassDef, tables: &'a HashMap<String, String>) -> Self {
        ModelReader {
            decl: ModelDecl {
                name: class.name.clone(),
                tablename: None,
                columns: Vec::new(),
                relationships: Vec::new(),
                bind_key: None,
                constraints: Vec::new(),
                inheritance: Default::default(),
            },
            members: Vec::new(),
            tables,
            column_names: Vec::new(),
            validators: Vec::new(),
            repr: None,
            properties: Vec::new(),
            mapped_table: None,
            hybrids: Vec::new(),
        }
    }

    /// The model this class derives from (single-table inheritance).
    pub(super) fn inherits(&mut self, parent: &str) {
        self.decl.inheritance.inherits = Some(parent.to_string());
    }

    pub(super) fn finish(self) -> ModelDecl {
        self.decl
    }

    /// Each column a `@validates` hook guards, with why setting it is
    /// refused; an error when a hook guards a relationship (its appends
    /// would run Python too) or a name the model does not have.
    pub(super) fn validated(&self, module: &Module) -> Result<Vec<(String, String)>, PyError> {
        let mut out = Vec::new();
        for (names, at) in &self.validators {
            for name in names {
                if !self.decl.columns.iter().any(|c| &c.name == name) {
                    let line = at
                        .rsplit(':')
                        .next()
                        .and_then(|l| l.parse().ok())
                        .unwrap_or(0);
                    return Err(PyError::new(
                        &module.file,
                        line,
                        format!(
                            "`@validates('{name}')` guards something other than a column of {}, which ormsh cannot honour",
                            self.decl.name
                        ),
                    ));
                }
                out.push((
                    name.clone(),
                    format!("`@validates('{name}')` at {at} runs Python when {name} is set, which ormsh cannot run"),
                ));
            }
        }
        Ok(out)
    }

    pub(super) fn body(
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
                    if let Some(call) = f.decorators.iter().find_map(|d| {
                        d.as_call()
                            .filter(|c| c.func.dotted().is_some_and(|n| last(&n) == "validates"))
                    }) {
                        let names = call
                            .args
                            .iter()
                            .map(|a| a.as_str())
                            .collect::<Option<Vec<String>>>()
                            .ok_or_else(|| {
                                module.error(f.span, "`@validates` names its attributes as strings")
                            })?;
                        let at = format!("{}:{}", module.file, f.span.line);
                        self.validators.push((names, at.clone()));
                        self.members.push(PythonMember {
                            name: f.name.clone(),
                            at,
                            kind: "validator",
                        });
                        continue;
                    }
                    if matches!(f.name.as_str(), "__repr__" | "__str__")
                        && f.decorators.is_empty()
                        && let Some(template) = super::repr::read(f)
                    {
                        let from_repr = f.name == "__repr__";
                        if from_repr || !self.repr.as_ref().is_some_and(|(r, _)| *r) {
                            self.repr = Some((from_repr, template));
                        }
                        continue;
                    }
                    if let Some(role) = super::hybrid::role(f, &self.hybrids) {
                        self.hybrid(role, module, env, f);
                        continue;
                    }
                    if decorated.iter().any(|d| last(d) == "declared_attr") {
                        return Err(module.error(
                            f.span,
                            format!("`@{}` on `{}` runs Python that ormsh cannot run, and the model would behave differently without it", decorated.join(", @"), f.name),
                        ));
                    }
                    // `@reconstructor` runs on load and sets attributes that
                    // are not columns: the columns read the same without it.
                    let kind = if decorated.iter().any(|d| {
                        matches!(
                            last(d),
                            "property"
                                | "hybrid_property"
                                | "cached_property"
                                | "setter"
                                | "expression"
                        )
                    }) {
                        "property"
                    } else {
                        "method"
                    };
                    let kind = if f.name == "__init__" {
                        "constructor"
                    } else {
                        kind
                    };
                    if (!f.name.starts_with('_')
                        || matches!(f.name.as_str(), "__repr__" | "__str__" | "__init__"))
                        && !self.members.iter().any(|m| m.name == f.name)
                    {
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

    /// A function that is part of a hybrid property: its getter starts
    /// one (the name's last binding in the body wins, as in Python), the
    /// rest add to it.
    fn hybrid(&mut self, role: super::hybrid::Role, module: &Module, env: &Env, f: &FunctionDef) {
        use super::hybrid::{PendingHybrid, Role};
        match &role {
            Role::Getter => {
                self.members.retain(|m| m.name != f.name);
                self.hybrids.retain(|h| h.name != f.name);
                self.hybrids
                    .push(PendingHybrid::getter(&self.decl.name, module, env, f));
            }
            Role::Expression(owner)
            | Role::Setter(owner)
            | Role::Comparator(owner)
            | Role::Unused(owner) => {
                if let Some(h) = self.hybrids.iter_mut().find(|h| h.name == *owner) {
                    h.add(&role, module, env, f);
                }
            }
        }
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
                // `__tablename__ = None` on a subclass: single-table inheritance.
                if matches!(v, Some(Value::None)) {
                    self.decl.tablename = None;
                    return Ok(());
                }
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
            "__mapper_args__" if own => {
                let Some(value) = value else {
                    return Err(module.error(stmt.span, "`__mapper_args__` needs a value"));
                };
                return super::mapper_args::read(
                    module,
                    env,
                    value,
                    &self.column_names,
                    &mut self.decl.inheritance,
                );
            }
            "__table_args__" => return self.table_args(module, env, value, stmt),
            // `__table__ = user_table`: the model maps a `db.Table` declared
            // in the module; its columns are the table's.
            "__table__" if own => {
                let table = value
                    .and_then(|v| match &v.kind {
                        ExprKind::Name(var) => self.tables.get(var).cloned(),
                        _ => None,
                    })
                    .ok_or_else(|| {
                        module.error(
                            stmt.span,
                            "`__table__` is read when it names a db.Table(..) assigned in a module of the project",
                        )
                    })?;
                self.mapped_table = Some(table);
                return Ok(());
            }
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
        match (call, func.as_deref(), &annotated) {
            (Some(call), Some("Column" | "mapped_column"), _) => {
                let implied = match &annotated {
                    Some(a) => Some((types::python_type(module, env, &a.inner)?, a.optional)),
                    None => None,
                };
                let column = columns::column(module, env, name, call, stmt.span, implied)?;
                self.column_names.push(name.to_string());
                self.decl.columns.retain(|c| c.name != name);
                self.decl.columns.push(column);
            }
            (Some(call), Some("relationship"), _) => {
                let around = Around {
                    class: &self.decl.name,
                    columns: &self.column_names,
                    tables: self.tables,
                };
                let rel = relationships::relationship(
                    module,
                    env,
                    name,
                    call,
                    stmt.span,
                    annotated.as_ref(),
                    &around,
                )?;
                self.decl
                    .relationships
                    .retain(|r: &RelationshipDecl| r.name != name);
                self.decl.relationships.push(rel);
            }
            // `deferred(Column(..))`: a column loaded on first access; its
            // value is the same.
            (Some(call), Some("deferred"), _)
                if call.args.len() == 1
                    && call.args[0]
                        .as_call()
                        .and_then(|c| c.func.dotted())
                        .is_some_and(|d| matches!(last(&d), "Column" | "mapped_column")) =>
            {
                let inner = call.args[0].as_call().unwrap_or(call);
                let column = columns::column(module, env, name, inner, stmt.span, None)?;
                self.column_names.push(name.to_string());
                self.decl.columns.retain(|c| c.name != name);
                self.decl.columns.push(column);
            }
            // Attributes computed by SQLAlchemy from Python expressions:
            // listed, never guessed.
            (
                Some(_),
                Some(
                    kind @ ("column_property" | "synonym" | "association_proxy"
                    | "query_expression"),
                ),
                _,
            ) => {
                self.members.retain(|m| m.name != name);
                self.properties.retain(|p| p.name != name);
                if let (Some(call), "column_property") = (call, kind)
                    && call.args.len() == 1
                    && call.keywords.is_empty()
                {
                    self.properties
                        .push(super::column_property::PendingProperty {
                            model: self.decl.name.clone(),
                            name: name.to_string(),
                            expr: call.args[0].clone(),
                        });
                }
                self.members.push(PythonMember {
                    name: name.to_string(),
                    at: format!("{}:{}", module.file, stmt.span.line),
                    kind: match kind {
                        "column_property" | "query_expression" => "column property",
                        "synonym" => "synonym",
                        _ => "association proxy",
                    },
                });
            }
            (_, None, Some(a)) if value.is_none() => {
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

    /// `__table_args__`: `{'schema': 'sales'}`, or a tuple of constraints
    /// and indexes that may end with such a dict.
    fn table_args(
        &mut self,
        module: &Module,
        env: &Env,
        value: Option<&Expr>,
        stmt: &Stmt,
    ) -> Result<(), PyError> {
        let Some(value) = value else {
            return Err(module.error(stmt.span, "`__table_args__` needs a value"));
        };
        let items = match &value.kind {
            ExprKind::Tuple(items) | ExprKind::List(items) => items.as_slice(),
            _ => std::slice::from_ref(value),
        };
        for (i, item) in items.iter().enumerate() {
            match item.as_call() {
                Some(call) if constraints::is_constraint(call) => {
                    let c = constraints::constraint(module, env, call, item.span)?;
                    self.decl.constraints.push(c);
                }
                _ if matches!(item.kind, ExprKind::Dict(_)) && i + 1 == items.len() => {
                    self.table_options(module, env, item)?;
                }
                _ => {
                    return Err(module.error(
                        item.span,
                        format!(
                            "`{}` in `__table_args__` is not honoured by ormsh; it reads UniqueConstraint, CheckConstraint, PrimaryKeyConstraint, ForeignKeyConstraint, Index and a last dict of schema",
                            first_line(module.text(item.span))
                        ),
                    ));
                }
            }
        }
        Ok(())
    }

    /// The dict of `__table_args__`: `schema` (and `extend_existing`, which
    /// changes nothing here).
    fn table_options(&mut self, module: &Module, env: &Env, dict: &Expr) -> Result<(), PyError> {
        let Value::Dict(items) = env.eval(module, dict)? else {
            return Err(module.error(dict.span, "`__table_args__` options are a dict"));
        };
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
                (key, _) => {
                    return Err(module.error(
                        dict.span,
                        format!(
                            "`{}` in `__table_args__` is not honoured by ormsh",
                            key.unwrap_or("a key that is not a string")
                        ),
                    ));
                }
            }
        }
        Ok(())
    }
}

fn first_line(text: &str) -> &str {
    text.lines().next().unwrap_or(text)
}
