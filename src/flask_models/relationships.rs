//! A relationship as SQLAlchemy declares it (`db.relationship(..)`,
//! `so.relationship(..)` under a `Mapped[..]` annotation), read into
//! ormsh's `RelationshipDecl`. Join conditions written as Python
//! expressions become the strings the registry parses, with the class's
//! own columns named as `Class.column`, as SQLAlchemy reads them.

use std::collections::HashMap;

use crate::orm::mapping::model::{Lazy, PassiveDeletes, RelationshipDecl};
use crate::python::{Call, Env, Expr, ExprKind, Module, PyError, Value};

use super::types::{Annotated, last};

/// What the class around a relationship gives it: its name, its columns so
/// far, and the association tables by the variable that holds them.
pub(super) struct Around<'a> {
    pub class: &'a str,
    pub columns: &'a [String],
    pub tables: &'a HashMap<String, String>,
}

pub(super) fn relationship(
    module: &Module,
    env: &Env,
    attr: &str,
    call: &Call,
    span: crate::python::Span,
    annotated: Option<&Annotated>,
    around: &Around<'_>,
) -> Result<RelationshipDecl, PyError> {
    if call.has_splat() {
        return Err(module.error(
            span,
            "a relationship built from `*args`/`**kwargs` cannot be read",
        ));
    }
    let target = match (call.args.first(), annotated) {
        (Some(arg), _) => class_name(module, env, arg)?,
        (None, Some(a)) => annotated_target(module, &a.inner)?,
        (None, None) => {
            return Err(module.error(
                span,
                format!("the relationship `{attr}` names no target class"),
            ));
        }
    };
    let mut r = RelationshipDecl::new(attr, &target);
    r.line = Some(span.line);
    if let Some(a) = annotated {
        match a.wrapper.as_str() {
            // Write-only collections are read with a query in SQLAlchemy:
            // ormsh's dynamic relationship is that query.
            "WriteOnlyMapped" | "DynamicMapped" => {
                r.lazy = Lazy::Dynamic;
                r.uselist = Some(true);
            }
            _ => r.uselist = Some(is_collection(&a.inner)),
        }
    }
    for kw in &call.keywords {
        let Some(key) = kw.name.as_deref() else {
            continue;
        };
        let v = &kw.value;
        match key {
            "backref" => r.backref = Some(backref(module, env, v)?),
            "back_populates" => r.back_populates = Some(string(module, env, v)?),
            "lazy" => r.lazy = lazy(module, env, v)?,
            "uselist" => {
                r.uselist = Some(
                    env.eval(module, v)?
                        .truthy()
                        .map_err(|m| module.error(v.span, m))?,
                )
            }
            "secondary" => r.secondary = Some(table_name(module, env, v, around)?),
            "order_by" => r.order_by = order_by(module, env, v)?,
            "cascade" => {
                let cascade = string(module, env, v)?;
                r.cascade_delete = cascade
                    .split(',')
                    .any(|p| matches!(p.trim(), "all" | "delete"));
                r.delete_orphan = cascade.split(',').any(|p| p.trim() == "delete-orphan");
            }
            "foreign_keys" => r.foreign_keys = names(module, env, v, around)?,
            "remote_side" => r.remote_side = names(module, env, v, around)?,
            "primaryjoin" => r.primaryjoin = Some(condition(module, env, v, around)?),
            "secondaryjoin" => r.secondaryjoin = Some(condition(module, env, v, around)?),
            "post_update" => {
                r.post_update = env
                    .eval(module, v)?
                    .truthy()
                    .map_err(|m| module.error(v.span, m))?
            }
            "viewonly" => {
                r.viewonly = env
                    .eval(module, v)?
                    .truthy()
                    .map_err(|m| module.error(v.span, m))?
            }
            "passive_deletes" => {
                r.passive_deletes = match env.eval(module, v)? {
                    Value::Str(s) if s == "all" => PassiveDeletes::All,
                    Value::Bool(true) => PassiveDeletes::Yes,
                    Value::Bool(false) => PassiveDeletes::No,
                    _ => {
                        return Err(
                            module.error(v.span, "`passive_deletes` is True, False or 'all'")
                        );
                    }
                }
            }
            // Which relationships overlap says only what SQLAlchemy need not warn about.
            "overlaps" => {}
            _ => {
                return Err(module.error(
                    kw.span,
                    format!(
                        "`{}` on the relationship `{attr}` is not honoured by ormsh yet",
                        module.text(kw.span)
                    ),
                ));
            }
        }
    }
    Ok(r)
}

/// `'Post'`, `Post`, `"app.models.Post"`: the class's name.
fn class_name(module: &Module, env: &Env, expr: &Expr) -> Result<String, PyError> {
    let name = match &expr.kind {
        ExprKind::Str(_) => expr.as_str(),
        _ => expr.dotted(),
    };
    let _ = env;
    name.map(|n| last(&n).to_string()).ok_or_else(|| {
        module.error(
            expr.span,
            format!("`{}` is not a class name", module.text(expr.span)),
        )
    })
}

/// The class inside `Mapped['User']`, `Mapped[List['Post']]`, `WriteOnlyMapped['Post']`.
fn annotated_target(module: &Module, inner: &Expr) -> Result<String, PyError> {
    match &inner.kind {
        ExprKind::Subscript { index, .. } => annotated_target(module, index),
        ExprKind::Str(_) => Ok(last(&inner.as_str().unwrap_or_default()).to_string()),
        _ => inner.dotted().map(|d| last(&d).to_string()).ok_or_else(|| {
            module.error(inner.span, "the relationship's annotation names no class")
        }),
    }
}

fn is_collection(inner: &Expr) -> bool {
    matches!(&inner.kind, ExprKind::Subscript { value, .. }
        if value.dotted().is_some_and(|d| matches!(last(&d), "List" | "list" | "Set" | "set")))
}

fn string(module: &Module, env: &Env, expr: &Expr) -> Result<String, PyError> {
    match env.eval(module, expr)? {
        Value::Str(s) => Ok(s),
        _ => Err(module.error(
            expr.span,
            format!("`{}` must be a string", module.text(expr.span)),
        )),
    }
}

fn lazy(module: &Module, env: &Env, expr: &Expr) -> Result<Lazy, PyError> {
    let text = match env.eval(module, expr)? {
        Value::Str(s) => s,
        Value::Bool(b) => b.to_string(),
        _ => return Err(module.error(expr.span, "`lazy` is a strategy's name")),
    };
    if text == "write_only" {
        return Ok(Lazy::Dynamic);
    }
    Lazy::parse(&text).map_err(|e| module.error(expr.span, e.to_string()))
}

/// `backref='author'` or `backref=db.backref('author', lazy='dynamic')`.
fn backref(
    module: &Module,
    env: &Env,
    expr: &Expr,
) -> Result<(String, Box<RelationshipDecl>), PyError> {
    if let Some(name) = expr.as_str() {
        let mut back = RelationshipDecl::new(&name, "");
        back.target.clear();
        return Ok((name, Box::new(back)));
    }
    let call = expr
        .as_call()
        .filter(|c| c.func.dotted().is_some_and(|d| last(&d) == "backref"))
        .ok_or_else(|| module.error(expr.span, "`backref` is a name or backref(name, ..)"))?;
    let name = call
        .args
        .first()
        .and_then(Expr::as_str)
        .ok_or_else(|| module.error(expr.span, "backref(..) names the attribute first"))?;
    let mut back = RelationshipDecl::new(&name, "");
    back.target.clear();
    for kw in &call.keywords {
        match kw.name.as_deref() {
            Some("lazy") => back.lazy = lazy(module, env, &kw.value)?,
            Some("uselist") => {
                back.uselist = Some(
                    env.eval(module, &kw.value)?
                        .truthy()
                        .map_err(|m| module.error(kw.span, m))?,
                )
            }
            Some("cascade") => {
                let cascade = string(module, env, &kw.value)?;
                back.cascade_delete = cascade
                    .split(',')
                    .any(|p| matches!(p.trim(), "all" | "delete"));
                back.delete_orphan = cascade.split(',').any(|p| p.trim() == "delete-orphan");
            }
            _ => {
                return Err(module.error(
                    kw.span,
                    format!(
                        "`{}` in a backref is not honoured by ormsh yet",
                        module.text(kw.span)
                    ),
                ));
            }
        }
    }
    Ok((name, Box::new(back)))
}

/// `secondary=followers` (the variable holding a `db.Table`) or `'followers'`.
fn table_name(
    module: &Module,
    env: &Env,
    expr: &Expr,
    around: &Around<'_>,
) -> Result<String, PyError> {
    if let Some(name) = expr.as_str() {
        return Ok(name);
    }
    if let ExprKind::Name(var) = &expr.kind
        && let Some(table) = around.tables.get(var)
    {
        return Ok(table.clone());
    }
    let _ = env;
    Err(module.error(
        expr.span,
        format!(
            "`{}` is not an association table of the models",
            module.text(expr.span)
        ),
    ))
}

/// `order_by='Post.timestamp'`, `Post.timestamp.desc()`, `desc(Post.timestamp)`, or a list.
fn order_by(module: &Module, env: &Env, expr: &Expr) -> Result<Vec<(String, bool)>, PyError> {
    let items: Vec<&Expr> = match &expr.kind {
        ExprKind::List(items) | ExprKind::Tuple(items) => items.iter().collect(),
        _ => vec![expr],
    };
    let mut out = Vec::new();
    for item in items {
        let text = match env.eval(module, item) {
            Ok(Value::Str(s)) => s,
            _ => module.text(item.span).to_string(),
        };
        let (column, desc) = if let Some(inner) = text.strip_suffix(".desc()") {
            (inner.to_string(), true)
        } else if let Some(inner) = text.strip_prefix("desc(").and_then(|t| t.strip_suffix(')')) {
            (inner.to_string(), true)
        } else {
            (text.trim_end_matches(".asc()").to_string(), false)
        };
        let column = last(column.trim()).to_string();
        if !column.chars().all(|c| c.is_alphanumeric() || c == '_') || column.is_empty() {
            return Err(module.error(
                item.span,
                format!(
                    "the ordering `{}` is not one ormsh reads (a column, or column.desc())",
                    module.text(item.span)
                ),
            ));
        }
        out.push((column, desc));
    }
    Ok(out)
}

/// `[sender_id]`, `'Message.sender_id'`, `[id]`: column names.
fn names(
    module: &Module,
    env: &Env,
    expr: &Expr,
    around: &Around<'_>,
) -> Result<Vec<String>, PyError> {
    let items: Vec<&Expr> = match &expr.kind {
        ExprKind::List(items) | ExprKind::Tuple(items) => items.iter().collect(),
        _ => vec![expr],
    };
    items
        .into_iter()
        .map(|e| match env.eval(module, e) {
            Ok(Value::Str(s)) => Ok(s),
            _ => match &e.kind {
                ExprKind::Name(n) if around.columns.contains(n) => {
                    Ok(format!("{}.{n}", around.class))
                }
                _ => e.dotted().ok_or_else(|| {
                    module.error(e.span, format!("`{}` is not a column", module.text(e.span)))
                }),
            },
        })
        .collect()
}

/// A join condition as the string the registry parses: a string as it is;
/// an expression printed with the class's own columns as `Class.column`.
fn condition(
    module: &Module,
    env: &Env,
    expr: &Expr,
    around: &Around<'_>,
) -> Result<String, PyError> {
    if let Ok(Value::Str(s)) = env.eval(module, expr) {
        return Ok(s);
    }
    print(module, expr, around)
}

fn print(module: &Module, expr: &Expr, around: &Around<'_>) -> Result<String, PyError> {
    Ok(match &expr.kind {
        ExprKind::Name(n) if around.columns.contains(n) => format!("{}.{n}", around.class),
        ExprKind::Name(n) => n.clone(),
        ExprKind::Attribute { value, attr } => format!("{}.{attr}", print(module, value, around)?),
        ExprKind::Compare { left, ops } if ops.len() == 1 => {
            let (op, right) = &ops[0];
            let op = match module.text(expr.span).contains("!=") {
                true if matches!(op, crate::python::CmpOp::NotEq) => "!=",
                _ if matches!(op, crate::python::CmpOp::Eq) => "==",
                _ => return Err(module.error(expr.span, "a join condition compares with == only")),
            };
            format!(
                "{} {op} {}",
                print(module, left, around)?,
                print(module, right, around)?
            )
        }
        ExprKind::Call(call) if call.keywords.is_empty() => {
            let func = call
                .func
                .dotted()
                .map(|d| last(&d).to_string())
                .unwrap_or_default();
            let args = call
                .args
                .iter()
                .map(|a| print(module, a, around))
                .collect::<Result<Vec<_>, _>>()?;
            format!("{func}({})", args.join(", "))
        }
        _ => {
            return Err(module.error(
                expr.span,
                format!(
                    "the join condition `{}` is not one ormsh reads",
                    module.text(expr.span)
                ),
            ));
        }
    })
}
