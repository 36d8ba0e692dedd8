//! Relationship operators in Rhai: `Post.author == u`, `!=`, `== ()`,
//! `User.posts.contains(p)`, `User.posts.any(Post.title == "x")` (or a map
//! of values, as SQLAlchemy's keyword form), `Post.author.has(..)`, and
//! `q.with_parent(u, User.posts)` (or
//! `with_parent(u)` when one relationship leads to the query's model). The
//! expressions are `orm::query::relationship_filters`'; this reads the
//! objects' values for them.

use std::rc::Rc;

use rhai::{Engine, Map};

use super::Shared;
use super::convert::{OrRhai, RhaiResult, rhai_error, to_value};
use super::expr::SqlExpr;
use super::handles::{ObjectHandle, QueryHandle, RelationshipAttr};
use crate::error::Error;
use crate::orm::ObjectState;
use crate::orm::query::model_query::{compare, unknown_column};
use crate::orm::query::relationship_filters as filters;
use crate::sql::{BinaryOp, Expr, Value};

/// `obj`'s values of `columns`; a value the object does not have yet (a
/// pending object's key) is an error that says to flush first.
fn values(s: &Shared, obj: &ObjectHandle, columns: &[usize]) -> RhaiResult<Vec<Value>> {
    let mut out = Vec::with_capacity(columns.len());
    for &c in columns {
        let v = s.session.read_column(&obj.0, c, Clone::clone).rhai()?;
        if v.is_null() && obj.0.state() != ObjectState::Persistent {
            let mapper = obj.0.mapper();
            return Err(rhai_error(Error::invalid(format!(
                "{} has no {} yet ({}): db.session.flush() first",
                mapper.name,
                mapper.columns[c].name,
                obj.0.state().name()
            ))));
        }
        out.push(v);
    }
    Ok(out)
}

fn equals(
    s: &Shared,
    r: &RelationshipAttr,
    other: Option<&ObjectHandle>,
    negated: bool,
) -> RhaiResult<SqlExpr> {
    let registry = s.session.registry();
    let target = &registry.mappers[r.mapper.relationships[r.index].target];
    let values = match other {
        Some(o) => {
            if !target.includes(&o.0.mapper()) {
                return Err(rhai_error(Error::invalid(format!(
                    "{}.{} refers to {}, not to {}",
                    r.mapper.name,
                    r.mapper.relationships[r.index].name,
                    target.name,
                    o.0.mapper().name
                ))));
            }
            Some(values(s, o, &filters::target_columns(&r.mapper, r.index))?)
        }
        None => None,
    };
    filters::equals(&r.mapper, target, r.index, values.as_deref(), negated)
        .map(SqlExpr)
        .rhai()
}

/// `any(..)` / `has(..)`: `criterion` an expression, a map of values, or none.
fn exists(
    s: &Shared,
    r: &RelationshipAttr,
    criterion: Option<Criterion>,
    has: bool,
) -> RhaiResult<SqlExpr> {
    let registry = s.session.registry();
    let target = &registry.mappers[r.mapper.relationships[r.index].target];
    let criterion = match criterion {
        None => None,
        Some(Criterion::Expr(e)) => Some(e),
        Some(Criterion::Values(map)) => {
            let mut parts = Vec::with_capacity(map.len());
            for (key, v) in &map {
                let col = target
                    .column_index(key)
                    .ok_or_else(|| rhai_error(unknown_column(target, key)))?;
                let value = to_value(v).rhai()?;
                parts.push(
                    compare(
                        BinaryOp::Eq,
                        crate::orm::query::column_of(target, col),
                        value,
                    )
                    .rhai()?,
                );
            }
            Some(Expr::and_all(parts))
        }
    };
    filters::exists(&r.mapper, target, r.index, criterion, has)
        .map(SqlExpr)
        .rhai()
}

enum Criterion {
    Expr(Expr),
    Values(Map),
}

pub fn register(engine: &mut Engine, shared: &Rc<Shared>) {
    for (name, has) in [("any", false), ("has", true)] {
        let s = shared.clone();
        engine.register_fn(name, move |r: &mut RelationshipAttr| {
            exists(&s, r, None, has)
        });
        let s = shared.clone();
        engine.register_fn(name, move |r: &mut RelationshipAttr, c: SqlExpr| {
            exists(&s, r, Some(Criterion::Expr(c.0)), has)
        });
        let s = shared.clone();
        engine.register_fn(name, move |r: &mut RelationshipAttr, m: Map| {
            exists(&s, r, Some(Criterion::Values(m)), has)
        });
    }
    for (op, negated) in [("==", false), ("!=", true)] {
        let s = shared.clone();
        engine.register_fn(op, move |r: RelationshipAttr, o: ObjectHandle| {
            equals(&s, &r, Some(&o), negated)
        });
        let s = shared.clone();
        engine.register_fn(op, move |r: RelationshipAttr, _: ()| {
            equals(&s, &r, None, negated)
        });
    }
    let s = shared.clone();
    engine.register_fn(
        "contains",
        move |r: &mut RelationshipAttr, item: ObjectHandle| -> RhaiResult<SqlExpr> {
            let v = values(&s, &item, &filters::item_columns(&r.mapper, r.index))?;
            filters::contains(&r.mapper, r.index, &v)
                .map(SqlExpr)
                .rhai()
        },
    );
    let s = shared.clone();
    engine.register_fn(
        "with_parent",
        move |q: QueryHandle,
              parent: ObjectHandle,
              r: RelationshipAttr|
              -> RhaiResult<QueryHandle> { with_parent(&s, q, &parent, &r) },
    );
    let s = shared.clone();
    engine.register_fn(
        "with_parent",
        move |q: QueryHandle, parent: ObjectHandle| -> RhaiResult<QueryHandle> {
            let mapper = parent.0.mapper().clone();
            let leading: Vec<usize> = mapper
                .relationships
                .iter()
                .enumerate()
                .filter(|(_, r)| r.target == q.0.mapper().index)
                .map(|(i, _)| i)
                .collect();
            let [index] = leading.as_slice() else {
                return Err(rhai_error(Error::invalid(format!(
                    "with_parent({}): {} relationships of {} lead to {}; name one, as with_parent(obj, {}.<relationship>)",
                    mapper.name,
                    leading.len(),
                    mapper.name,
                    q.0.mapper().name,
                    mapper.name
                ))));
            };
            let r = RelationshipAttr {
                mapper,
                index: *index,
            };
            with_parent(&s, q, &parent, &r)
        },
    );
}

fn with_parent(
    s: &Shared,
    q: QueryHandle,
    parent: &ObjectHandle,
    r: &RelationshipAttr,
) -> RhaiResult<QueryHandle> {
    let rel = &r.mapper.relationships[r.index];
    let registry = s.session.registry();
    if !registry.mapper(rel.target).includes(q.0.mapper()) || !r.mapper.includes(&parent.0.mapper())
    {
        return Err(rhai_error(Error::invalid(format!(
            "with_parent(.., {}.{}): it leads from {} to {}, not from {} to {}",
            r.mapper.name,
            rel.name,
            r.mapper.name,
            s.session.registry().mappers[rel.target].name,
            parent.0.mapper().name,
            q.0.mapper().name
        ))));
    }
    let v = values(s, parent, &filters::parent_columns(&r.mapper, r.index))?;
    let cond = filters::with_parent(&r.mapper, r.index, q.0.mapper(), &v).rhai()?;
    Ok(QueryHandle::of(q.0.clone().filter(cond)))
}
