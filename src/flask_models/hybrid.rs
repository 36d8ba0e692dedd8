//! A Python model's `@hybrid_property`, read statically at both of its
//! levels, as SQLAlchemy runs the one function at each:
//! - on an object, the getter's one `return` is evaluated by the Python
//!   reader over the object's column values (int, float, str, bool and
//!   None), with Python's meaning for every operator;
//! - on the class (`User.full_name` in a filter, an order or a select), the
//!   `@<name>.expression` (or `.inplace.expression`), else the getter, is
//!   the SQL expression SQLAlchemy builds, read as a `column_property` is.
//!
//! A level that cannot be read is named with its file and line when it is
//! used, never given a guessed value. A setter runs Python: setting the
//! attribute is refused with where the setter is.

use std::sync::Arc;

use crate::orm::mapping::model::Registry;
use crate::python::{
    Class, Env, Expr as Py, ExprKind, FunctionDef, Module, StmtKind, Value as PyValue,
};
use crate::sql::{Expr, Value};

/// The role of a decorated function in a hybrid property.
pub(super) enum Role {
    /// `@hybrid_property`: the getter.
    Getter,
    /// `@name.expression`, `@name.inplace.expression`.
    Expression(String),
    /// `@name.setter`, `@name.inplace.setter`.
    Setter(String),
    /// `@name.comparator`: a class level of its own that ormsh does not read.
    Comparator(String),
    /// `@name.deleter`, `@name.update_expression`: for `del obj.name` and a
    /// bulk UPDATE that sets it, neither of which ormsh runs (an UPDATE
    /// that names it is refused: it is no column).
    Unused(String),
}

/// What `f`'s decorators make of it within a hybrid property, given the
/// hybrids the class has declared so far (`known`).
pub(super) fn role(f: &FunctionDef, known: &[PendingHybrid]) -> Option<Role> {
    for d in &f.decorators {
        let Some(dotted) = d.dotted() else {
            continue;
        };
        let parts: Vec<&str> = dotted.split('.').collect();
        if parts.last() == Some(&"hybrid_property") {
            return Some(Role::Getter);
        }
        let [owner, rest @ ..] = parts.as_slice() else {
            continue;
        };
        if !known.iter().any(|h| h.name == *owner) {
            continue;
        }
        let rest = match rest {
            ["inplace", r] => *r,
            [r] => *r,
            _ => continue,
        };
        let owner = owner.to_string();
        return Some(match rest {
            "expression" => Role::Expression(owner),
            "setter" => Role::Setter(owner),
            "comparator" => Role::Comparator(owner),
            _ => Role::Unused(owner),
        });
    }
    None
}

/// A method's one `return` value, with what it is evaluated in.
#[derive(Debug, Clone)]
struct Returned {
    module: Arc<Module>,
    env: Arc<Env>,
    /// The name of its first parameter (`self`, `cls`).
    this: String,
    value: Py,
}

/// What a class body declares for one `@hybrid_property`, as read.
#[derive(Debug, Clone)]
pub struct PendingHybrid {
    pub model: String,
    pub name: String,
    /// `app/models.py:40`, the getter.
    pub at: String,
    getter: Result<Returned, String>,
    expression: Option<Result<Returned, String>>,
    setter_at: Option<String>,
}

impl PendingHybrid {
    pub(super) fn getter(model: &str, module: &Module, env: &Env, f: &FunctionDef) -> Self {
        PendingHybrid {
            model: model.to_string(),
            name: f.name.clone(),
            at: format!("{}:{}", module.file, f.span.line),
            getter: returned(module, env, f),
            expression: None,
            setter_at: None,
        }
    }

    /// Adds what `role` says `f` is to this hybrid.
    pub(super) fn add(&mut self, role: &Role, module: &Module, env: &Env, f: &FunctionDef) {
        let at = format!("{}:{}", module.file, f.span.line);
        match role {
            Role::Getter | Role::Unused(_) => {}
            Role::Expression(_) => self.expression = Some(returned(module, env, f)),
            Role::Setter(_) => self.setter_at = Some(at),
            Role::Comparator(_) => {
                self.expression = Some(Err(format!(
                    "its class level is a custom comparator ({at}), which ormsh does not read"
                )))
            }
        }
    }
}

/// `f`'s one `return` value (a docstring aside), or why it is not one.
fn returned(module: &Module, env: &Env, f: &FunctionDef) -> Result<Returned, String> {
    let at = format!("{}:{}", module.file, f.span.line);
    let body: Vec<_> = f
        .body
        .iter()
        .filter(|s| !matches!(&s.kind, StmtKind::Expr(e) if matches!(e.kind, ExprKind::Str(_))))
        .collect();
    let value = match body.as_slice() {
        [stmt] => match &stmt.kind {
            StmtKind::Return(Some(value)) => value,
            _ => return Err(format!("{at}: its body is not one `return`")),
        },
        _ => return Err(format!("{at}: its body is more than one `return`")),
    };
    let this = f
        .params
        .first()
        .map(|p| p.name.clone())
        .ok_or_else(|| format!("{at}: it takes no `self`"))?;
    Ok(Returned {
        module: Arc::new(module.clone()),
        env: Arc::new(env.clone()),
        this,
        value: value.clone(),
    })
}

/// A hybrid property of a model, ready for use at both levels.
#[derive(Debug, Clone)]
pub struct Hybrid {
    pub name: String,
    /// Where the getter is (`app/models.py:40`).
    pub at: String,
    /// The object level, with the attributes of `self` it reads, or why
    /// it cannot be evaluated.
    instance: Result<(Returned, Vec<String>), String>,
    /// The class level's SQL expression, or why there is none.
    pub class: Result<Expr, String>,
    /// Where the setter is, if there is one.
    pub setter_at: Option<String>,
}

impl Hybrid {
    /// Both levels of `pending`, now that its model is in `registry`.
    pub fn resolve(registry: &Registry, pending: PendingHybrid) -> Hybrid {
        let class_source = pending.expression.clone().unwrap_or(pending.getter.clone());
        let class = class_source.and_then(|r| {
            let model = registry
                .get(&pending.model)
                .ok_or_else(|| format!("{} is not loaded", pending.model))?;
            super::column_property::of_method(registry, model, (&r.this, &r.env), &r.value)
                .map_err(|why| format!("{}:{}: {why}", r.module.file, r.value.span.line))
        });
        let instance = pending.getter.map(|r| {
            let mut names = Vec::new();
            attributes_of(&r.value, &r.this, &mut names);
            (r, names)
        });
        Hybrid {
            name: pending.name,
            at: pending.at,
            instance,
            class,
            setter_at: pending.setter_at,
        }
    }

    /// The attributes of the object the getter reads.
    pub fn reads(&self) -> &[String] {
        self.instance.as_ref().map_or(&[], |(_, names)| names)
    }

    /// The getter's value on an object of `model`, `values` giving each
    /// attribute of [`Hybrid::reads`] in order (`None`: neither a column
    /// nor a hybrid property that could be evaluated).
    pub fn on_object(&self, model: &str, values: Vec<Option<Value>>) -> Result<Value, String> {
        let (r, names) = self.instance.as_ref().map_err(Clone::clone)?;
        let mut attrs = Vec::with_capacity(names.len());
        for (name, value) in names.iter().zip(values) {
            let refusal = |why: String| r.module.error(r.value.span, why);
            let binding = match value {
                None => Err(refusal(format!(
                    "`{}.{name}` is not a column or a hybrid property ormsh evaluates, which is all it reads into Python",
                    r.this
                ))),
                Some(v) => to_python(&v).ok_or_else(|| {
                    refusal(format!(
                        "`{}.{name}` is {}, a value ormsh does not evaluate in Python (it does int, float, str, bool and None)",
                        r.this,
                        v.kind()
                    ))
                }),
            };
            attrs.push((name.clone(), binding));
        }
        let object = Class {
            name: model.to_string(),
            bases: Vec::new(),
            attrs,
            file: r.module.file.clone(),
            line: r.value.span.line,
        };
        let mut env = (*r.env).clone();
        env.set(r.this.clone(), PyValue::Class(Arc::new(object)));
        let value = env
            .eval(&r.module, &r.value)
            .map_err(|e| e.to_string().replace(crate::python::CONFIG_ADVICE, ""))?;
        from_python(value).map_err(|kind| {
            format!(
                "{}:{}: it gives {kind}, which ormsh does not show as Python would",
                r.module.file, r.value.span.line
            )
        })
    }
}

/// The names `this.<name>` reads in `e`, each once, in order.
fn attributes_of(e: &Py, this: &str, out: &mut Vec<String>) {
    if let ExprKind::Attribute { value, attr } = &e.kind
        && value.is_name(this)
    {
        if !out.contains(attr) {
            out.push(attr.clone());
        }
        return;
    }
    e.each_child(&mut |child| attributes_of(child, this, out));
}

fn to_python(v: &Value) -> Option<PyValue> {
    Some(match v {
        Value::Null => PyValue::None,
        Value::Bool(b) => PyValue::Bool(*b),
        Value::Int(i) => PyValue::Int(*i),
        Value::Float(f) => PyValue::Float(*f),
        Value::Text(s) => PyValue::Str(s.clone()),
        _ => return None,
    })
}

fn from_python(v: PyValue) -> Result<Value, String> {
    Ok(match v {
        PyValue::None => Value::Null,
        PyValue::Bool(b) => Value::Bool(b),
        PyValue::Int(i) => Value::Int(i),
        PyValue::Float(f) => Value::Float(f),
        PyValue::Str(s) => Value::Text(s),
        other => return Err(other.a_type()),
    })
}
