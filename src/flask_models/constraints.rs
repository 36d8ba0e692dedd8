//! SQLAlchemy's table-level constraints and indexes read from Python:
//! `UniqueConstraint`, `CheckConstraint`, `PrimaryKeyConstraint`,
//! `ForeignKeyConstraint` and `Index`, as `db.`, `sa.` or bare names, in a
//! model's `__table_args__`, among a `db.Table(..)`'s columns, or an
//! `Index(..)` beside the model at module level. Columns are named by
//! strings, by the class body's own names, or as `Model.column`; an
//! argument or keyword ormsh would not honour refuses at its line.

use crate::orm::{Constraint, ConstraintKind};
use crate::python::{Call, Env, Expr, ExprKind, Module, PyError, Span, Value};

use super::columns::MODEL_MARK;
use super::types::last;

/// The constructors read here, by their last name.
pub(super) fn is_constraint(call: &Call) -> bool {
    call.func.dotted().is_some_and(|d| {
        matches!(
            last(&d),
            "UniqueConstraint"
                | "CheckConstraint"
                | "PrimaryKeyConstraint"
                | "ForeignKeyConstraint"
                | "Index"
        )
    })
}

/// A column named in a constraint: `"a"`, `a` (a name of the class body),
/// `Model.a` or `table.c.a`; with the model it names, when it names one.
fn column_name(module: &Module, env: &Env, e: &Expr) -> Result<(Option<String>, String), PyError> {
    if let Some(s) = e.as_str() {
        return Ok((None, s));
    }
    match &e.kind {
        ExprKind::Name(n) => Ok((None, n.clone())),
        ExprKind::Attribute { value, attr } => Ok((
            value
                .dotted()
                .filter(|d| !d.contains('.'))
                .map(|d| d.to_string()),
            attr.clone(),
        )),
        _ => match env.eval(module, e) {
            Ok(Value::Str(s)) => Ok((None, s)),
            _ => Err(module.error(
                e.span,
                format!(
                    "`{}` does not name a column ormsh can read; name it by a string",
                    module.text(e.span)
                ),
            )),
        },
    }
}

/// A string keyword (`name=`, `ondelete=`); `None` for none or `None`.
fn string_keyword(
    module: &Module,
    env: &Env,
    call: &Call,
    key: &str,
) -> Result<Option<String>, PyError> {
    let Some(e) = call.keyword(key) else {
        return Ok(None);
    };
    match env.eval(module, e)? {
        Value::None => Ok(None),
        Value::Str(s) => Ok(Some(s)),
        _ => Err(module.error(e.span, format!("`{key}=` must be a string"))),
    }
}

/// Read one constraint or index call, the columns named as written.
pub(super) fn constraint(
    module: &Module,
    env: &Env,
    call: &Call,
    span: Span,
) -> Result<Constraint, PyError> {
    let func = call.func.dotted().unwrap_or_default();
    let kind = last(&func).to_string();
    let allowed: &[&str] = match kind.as_str() {
        "ForeignKeyConstraint" => &["name", "ondelete", "onupdate"],
        "Index" => &["unique"],
        _ => &["name"],
    };
    for kw in &call.keywords {
        match kw.name.as_deref() {
            Some(k) if allowed.contains(&k) => {}
            Some(k) => {
                return Err(module.error(
                    kw.span,
                    format!(
                        "`{k}=` of {kind} is not honoured by ormsh; its keywords are {}",
                        allowed.join(", ")
                    ),
                ));
            }
            None => return Err(module.error(kw.span, format!("`**` in {kind}(..) is not read"))),
        }
    }
    let columns = |args: &[Expr]| -> Result<Vec<String>, PyError> {
        args.iter()
            .map(|a| column_name(module, env, a).map(|(_, c)| c))
            .collect()
    };
    let shape = |hint: &str| module.error(span, format!("{kind}(..) {hint}"));
    let mut c = match kind.as_str() {
        "UniqueConstraint" => Constraint::new(ConstraintKind::Unique(columns(&call.args)?)),
        "PrimaryKeyConstraint" => Constraint::new(ConstraintKind::PrimaryKey(columns(&call.args)?)),
        "CheckConstraint" => {
            let [sql] = call.args.as_slice() else {
                return Err(shape("takes the SQL of the check, as one string"));
            };
            let text = match sql.as_call() {
                Some(t) if t.func.dotted().is_some_and(|d| last(&d) == "text") => {
                    t.args.first().and_then(Expr::as_str)
                }
                _ => match env.eval(module, sql) {
                    Ok(Value::Str(s)) => Some(s),
                    _ => None,
                },
            };
            let text = text.ok_or_else(|| {
                module.error(
                    sql.span,
                    "the check of a CheckConstraint is read when it is SQL in a string; an expression is not",
                )
            })?;
            Constraint::new(ConstraintKind::Check(text))
        }
        "ForeignKeyConstraint" => {
            let [local, remote] = call.args.as_slice() else {
                return Err(shape(
                    "takes the list of columns and the list of columns they refer to",
                ));
            };
            let list = |e| list_of(module, e);
            let local = list(local)?
                .into_iter()
                .map(|e| column_name(module, env, e).map(|(_, c)| c))
                .collect::<Result<Vec<_>, _>>()?;
            let mut targets = Vec::new();
            for e in list(remote)? {
                targets.push(match column_name(module, env, e)? {
                    (Some(model), column) if e.as_str().is_none() => {
                        format!("{MODEL_MARK}{model}.{column}")
                    }
                    (_, text) => text,
                });
            }
            Constraint::foreign_key(
                local,
                &targets,
                string_keyword(module, env, call, "ondelete")?.as_deref(),
                string_keyword(module, env, call, "onupdate")?.as_deref(),
            )
            .map_err(|e| module.error(span, e.to_string()))?
        }
        "Index" => {
            let Some((name, cols)) = call.args.split_first() else {
                return Err(shape("takes its name and then its columns"));
            };
            let name = match env.eval(module, name)? {
                Value::Str(s) => s,
                _ => {
                    return Err(module.error(
                        name.span,
                        "an Index is read when its name is a string (ormsh names no index by a convention here)",
                    ));
                }
            };
            let unique = match call.keyword("unique") {
                None => false,
                Some(e) => match env.eval(module, e)? {
                    Value::Bool(b) => b,
                    _ => return Err(module.error(e.span, "`unique=` must be True or False")),
                },
            };
            let mut c = Constraint::new(ConstraintKind::Index {
                columns: columns(cols)?,
                unique,
            });
            c.name = Some(name);
            c
        }
        _ => return Err(module.error(span, format!("{kind} is not a constraint ormsh reads"))),
    };
    if c.name.is_none() {
        c.name = string_keyword(module, env, call, "name")?;
    }
    c.line = Some(span.line);
    Ok(c)
}

/// The items of a list or tuple of columns.
fn list_of<'e>(module: &Module, e: &'e Expr) -> Result<Vec<&'e Expr>, PyError> {
    match &e.kind {
        ExprKind::List(items) | ExprKind::Tuple(items) => Ok(items.iter().collect()),
        _ => Err(module.error(e.span, "a list of columns, like ['a', 'b'], is read here")),
    }
}

/// The model a module-level `Index("ix", Model.a, Model.b)` belongs to.
pub(super) fn index_model(module: &Module, env: &Env, call: &Call) -> Option<String> {
    call.args
        .iter()
        .skip(1)
        .find_map(|a| column_name(module, env, a).ok().and_then(|(m, _)| m))
}

/// A naming convention's templates by kind, or why they cannot be read.
pub(super) type Templates = Result<Vec<(String, String)>, PyError>;

/// The `naming_convention=` of a `MetaData(..)` call, if this is one:
/// its templates by kind, or why they cannot be read.
fn convention_of(
    module: &Module,
    env: &Env,
    call: &Call,
) -> Option<Result<Vec<(String, String)>, PyError>> {
    if call.func.dotted().is_none_or(|d| last(&d) != "MetaData") {
        return None;
    }
    let e = call.keyword("naming_convention")?;
    let read = match env.eval(module, e) {
        Ok(Value::Dict(items)) => items
            .into_iter()
            .map(|(k, v)| match (k, v) {
                (Value::Str(k), Value::Str(v)) => Ok((k, v)),
                _ => Err(module.error(
                    e.span,
                    "a naming_convention is read when each kind (ix, uq, ck, fk, pk) maps to a template string; a class or a function as a key or a template is not",
                )),
            })
            .collect(),
        Ok(_) => Err(module.error(e.span, "naming_convention must be a dict")),
        Err(err) => Err(err),
    };
    Some(read)
}

/// Every `MetaData(naming_convention=...)` in the expression `e` (a
/// `SQLAlchemy(metadata=MetaData(..))` call holds one), with its line.
pub(super) fn conventions_in(
    module: &Module,
    env: &Env,
    e: &Expr,
    out: &mut Vec<(String, Templates)>,
) {
    let Some(call) = e.as_call() else { return };
    if let Some(found) = convention_of(module, env, call) {
        out.push((format!("{}:{}", module.file, e.span.line), found));
        return;
    }
    for arg in call
        .args
        .iter()
        .chain(call.keywords.iter().map(|k| &k.value))
    {
        conventions_in(module, env, arg, out);
    }
}
