//! Hybrid properties at the prompt: `u.full_name` on an object and
//! `User.full_name` on the class, from the models file's
//! `hybrid_property` closures (run with `this` the object, or the class)
//! or from a Flask model's `@hybrid_property` (read by `flask_models`). A
//! subclass has its parents' hybrids, as in Python. Setting one runs the
//! models file's `set` closure; a Python setter is named, not run.

use rhai::{Dynamic, FnPtr, Map, NativeCallContext};

use super::Shared;
use super::aliases::AliasedClass;
use super::convert::{OrRhai, RhaiResult, from_value_ref, rhai_error, to_value};
use super::expr::SqlExpr;
use super::handles::{ModelClass, ObjectHandle};
use crate::error::Error;
use crate::flask_models::hybrid::Hybrid;
use crate::orm::Query;
use crate::orm::mapping::model::Mapper;
use crate::orm::query::model_query::compare;
use crate::sql::BinaryOp;

/// A models file's `hybrid_property`: `get` is both levels unless an
/// `expression` gives the class level.
#[derive(Clone)]
pub struct HybridDecl {
    pub name: String,
    pub get: FnPtr,
    pub expression: Option<FnPtr>,
    pub set: Option<FnPtr>,
}

impl HybridDecl {
    /// Its class level, `this` the model or an alias of it.
    fn class_level(&self, ctx: &NativeCallContext, mut this: Dynamic) -> RhaiResult<Dynamic> {
        self.expression
            .as_ref()
            .unwrap_or(&self.get)
            .call_raw(ctx, Some(&mut this), [])
    }
}

enum Found {
    File(HybridDecl),
    Python(Hybrid),
}

/// The hybrid `name` of `mapper` or of a model it derives from.
fn find(s: &Shared, mapper: &Mapper, name: &str) -> Option<Found> {
    let registry = s.session.registry();
    let mut model = Some(mapper.index);
    while let Some(m) = model {
        let mapper = registry.mapper(m);
        if let Some(h) = s
            .extras
            .borrow()
            .get(&mapper.name)
            .and_then(|e| e.hybrids.iter().find(|h| h.name == name))
        {
            return Some(Found::File(h.clone()));
        }
        if let Some(h) = s
            .python_hybrids
            .get(&mapper.name)
            .and_then(|list| list.iter().find(|h| h.name == name))
        {
            return Some(Found::Python(h.clone()));
        }
        model = mapper.inheritance.as_ref().and_then(|i| i.parent);
    }
    None
}

fn unavailable(model: &str, h: &Hybrid, level: &str, why: &str) -> Box<rhai::EvalAltResult> {
    rhai_error(Error::invalid(format!(
        "{model}.{} is a hybrid property defined in Python at {}; ormsh cannot evaluate it {level}: {why}",
        h.name, h.at
    )))
}

/// `o.name` for a hybrid property; `None` when `name` is not one.
pub(super) fn on_object(
    s: &Shared,
    ctx: &NativeCallContext,
    o: &ObjectHandle,
    name: &str,
) -> Option<RhaiResult<Dynamic>> {
    let mapper = o.0.mapper().clone();
    Some(match find(s, &mapper, name)? {
        Found::File(h) => {
            let mut this = Dynamic::from(o.clone());
            h.get.call_raw(ctx, Some(&mut this), [])
        }
        Found::Python(h) => python_on_object(s, o, &mapper, &h, 0).map(|v| from_value_ref(&v)),
    })
}

/// A Python hybrid's value on `o`: the columns it reads, and the other
/// Python hybrids it reads, each evaluated first (to a depth of 8: one
/// that reads itself is refused, where Python recurses until it fails).
fn python_on_object(
    s: &Shared,
    o: &ObjectHandle,
    mapper: &Mapper,
    h: &Hybrid,
    depth: usize,
) -> RhaiResult<crate::sql::Value> {
    let mut values = Vec::with_capacity(h.reads().len());
    for attr in h.reads() {
        values.push(match mapper.column_index(attr) {
            Some(col) => Some(s.session.read_column(&o.0, col, Clone::clone).rhai()?),
            None => match find(s, mapper, attr) {
                Some(Found::Python(inner)) if depth < 8 => {
                    Some(python_on_object(s, o, mapper, &inner, depth + 1)?)
                }
                _ => None,
            },
        });
    }
    h.on_object(&mapper.name, values)
        .map_err(|why| unavailable(&mapper.name, h, "on an object", &why))
}

/// `User.name` for a hybrid property: its SQL expression; `None` when
/// `name` is not one.
pub(super) fn on_class(
    s: &Shared,
    ctx: &NativeCallContext,
    m: &ModelClass,
    name: &str,
) -> Option<RhaiResult<Dynamic>> {
    Some(match find(s, &m.0, name)? {
        Found::File(h) => h.class_level(ctx, Dynamic::from(m.clone())),
        Found::Python(h) => match &h.class {
            Ok(expr) => Ok(Dynamic::from(SqlExpr(expr.clone()))),
            Err(why) => Err(unavailable(&m.0.name, &h, "on the class", why)),
        },
    })
}

/// `alias.name` for a hybrid property of the alias's model: the class
/// level read through the alias (the models file's closure runs with
/// `this` the alias, as SQLAlchemy calls it with the alias).
pub(super) fn on_alias(
    s: &Shared,
    ctx: &NativeCallContext,
    a: &AliasedClass,
    mapper: &Mapper,
    name: &str,
) -> Option<RhaiResult<Dynamic>> {
    Some(match find(s, mapper, name)? {
        Found::File(h) => h.class_level(ctx, Dynamic::from(a.clone())),
        Found::Python(h) => match &h.class {
            Ok(expr) => {
                a.0.read_through(mapper, expr)
                    .map(|e| Dynamic::from(SqlExpr(e)))
                    .map_err(rhai_error)
            }
            Err(why) => Err(unavailable(&mapper.name, &h, "on the class", why)),
        },
    })
}

/// `o.name = value` for a hybrid property; `None` when `name` is not one.
pub(super) fn set(
    s: &Shared,
    ctx: &NativeCallContext,
    o: &ObjectHandle,
    name: &str,
    value: Dynamic,
) -> Option<RhaiResult<()>> {
    let model = o.0.mapper().name.clone();
    Some(match find(s, &o.0.mapper(), name)? {
        Found::File(HybridDecl { set: Some(f), .. }) => {
            let mut this = Dynamic::from(o.clone());
            f.call_raw(ctx, Some(&mut this), [value]).map(|_| ())
        }
        Found::File(_) => Err(rhai_error(Error::invalid(format!(
            "{model}.{name} is a hybrid property without a setter (give it one: hybrid_property: #{{ {name}: #{{ get: || .., set: |value| .. }} }})"
        )))),
        Found::Python(h) => Err(rhai_error(Error::invalid(match &h.setter_at {
            Some(at) => {
                format!("{model}.{name} cannot be set in ormsh: its setter is Python, at {at}")
            }
            None => format!(
                "{model}.{name} is a hybrid property without a setter (defined in Python at {}), which SQLAlchemy does not set either",
                h.at
            ),
        }))),
    })
}

/// Whether any model has a hybrid property (most have none, and then
/// `filter_by` and constructors skip the question).
pub(super) fn any(s: &Shared) -> bool {
    !s.python_hybrids.is_empty() || s.extras.borrow().values().any(|e| !e.hybrids.is_empty())
}

/// Whether `name` is a hybrid property of `mapper` (or of its parents).
pub(super) fn is_hybrid(s: &Shared, mapper: &Mapper, name: &str) -> bool {
    find(s, mapper, name).is_some()
}

/// `filter_by(#{..})` on `q`: a key that names a hybrid property of the
/// entity it filters (the last joined, as SQLAlchemy's) compares the
/// hybrid's class level, read through an alias where the entity is one;
/// the other keys are columns.
pub(super) fn filter_by(
    s: &Shared,
    ctx: &NativeCallContext,
    q: Query,
    m: Map,
) -> RhaiResult<Query> {
    // Without hybrid properties (most models), the columns alone.
    if !any(s) {
        return q.filter_by(super::query::pairs(m)?).rhai();
    }
    let target = q.filter_by_target();
    let Some(model) = target.model().cloned() else {
        return q.filter_by(super::query::pairs(m)?).rhai();
    };
    let mut columns = Map::new();
    let mut filters = Vec::new();
    for (k, v) in m {
        let hybrid = model.column_index(&k).is_none()
            && model.relationship_index(&k).is_none()
            && is_hybrid(s, &model, &k);
        if !hybrid {
            columns.insert(k, v);
            continue;
        }
        let level = if target.is_plain() {
            on_class(s, ctx, &ModelClass(model.clone()), &k)
        } else {
            on_alias(s, ctx, &AliasedClass(target.clone()), &model, &k)
        };
        let value = level.unwrap_or_else(|| Ok(Dynamic::UNIT))?;
        let Some(SqlExpr(expr)) = value.clone().try_cast::<SqlExpr>() else {
            return Err(rhai_error(Error::invalid(format!(
                "filter_by(): the hybrid property {}.{k} gives a {} at the class level, not an SQL expression",
                model.name,
                value.type_name()
            ))));
        };
        filters.push(compare(BinaryOp::Eq, expr, to_value(&v).rhai()?).rhai()?);
    }
    let q = q.filter_by(super::query::pairs(columns)?).rhai()?;
    Ok(filters.into_iter().fold(q, Query::filter))
}

/// Every hybrid property name, for the attribute getters and completion.
pub(super) fn names(s: &Shared) -> Vec<String> {
    let mut out: Vec<String> = s
        .extras
        .borrow()
        .values()
        .flat_map(|e| e.hybrids.iter().map(|h| h.name.clone()))
        .chain(s.python_hybrids.values().flatten().map(|h| h.name.clone()))
        .collect();
    out.sort();
    out.dedup();
    out
}
