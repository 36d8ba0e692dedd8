//! `Model.query` in Rhai: the refining methods build an ORM `Query`; the
//! running methods execute it through the session.

use std::rc::Rc;

use rhai::{Array, Dynamic, Engine, Map, NativeCallContext};

use super::Shared;
use super::convert::{OrRhai, RhaiResult, err, from_value, from_value_ref, rhai_error, to_value};
use super::expr::SqlExpr;
use super::handles::{ModelClass, ObjectHandle, QueryHandle, RelationshipAttr, Rows, SqlText};
use super::rows::{Row, first_row};
use crate::error::Error;
use crate::orm::Query;
use crate::sql::{Expr, Value};

pub(super) fn exprs(args: &[Dynamic], what: &str) -> RhaiResult<Vec<Expr>> {
    args.iter()
        .map(|d| {
            if let Some(e) = d.clone().try_cast::<SqlExpr>() {
                Ok(e.0)
            } else if d.is::<bool>() {
                err(format!(
                    "{what} was given a plain true/false: a comparison between a column and a value must use the column, e.g. User.id == 1 (is one side not a column?)"
                ))
            } else {
                err(format!("{what} takes column expressions such as User.id == 1, not {}", super::errors::described(d)))
            }
        })
        .collect()
}

pub(super) fn pairs(map: Map) -> RhaiResult<Vec<(String, Value)>> {
    map.into_iter()
        .map(|(k, v)| Ok((k.to_string(), to_value(&v).rhai()?)))
        .collect()
}

fn objects(list: Vec<crate::orm::Instance>) -> Array {
    list.into_iter()
        .map(|o| Dynamic::from(ObjectHandle(o)))
        .collect()
}

fn not_found(what: &str) -> Box<rhai::EvalAltResult> {
    rhai_error(Error::NoResult(format!("404 Not Found: {what}")))
}

/// A primary key as typed: one value, or an array for a composite key.
pub(super) fn pk_values(d: Dynamic) -> RhaiResult<Vec<Value>> {
    match d.clone().try_cast::<Array>() {
        Some(a) => a.iter().map(|v| to_value(v).rhai()).collect(),
        None => Ok(vec![to_value(&d).rhai()?]),
    }
}

/// Register `$name` on queries for one to eight arguments (Rhai has no
/// variadic functions); each arity collects its arguments and calls `$apply`.
macro_rules! variadic_exprs {
    ($engine:expr, $name:literal, $apply:expr) => {
        variadic_exprs!(@one $engine, $name, $apply, a);
        variadic_exprs!(@one $engine, $name, $apply, a, b);
        variadic_exprs!(@one $engine, $name, $apply, a, b, c);
        variadic_exprs!(@one $engine, $name, $apply, a, b, c, d);
        variadic_exprs!(@one $engine, $name, $apply, a, b, c, d, e);
        variadic_exprs!(@one $engine, $name, $apply, a, b, c, d, e, f);
        variadic_exprs!(@one $engine, $name, $apply, a, b, c, d, e, f, g);
        variadic_exprs!(@one $engine, $name, $apply, a, b, c, d, e, f, g, h);
    };
    (@one $engine:expr, $name:literal, $apply:expr, $($arg:ident),+) => {
        $engine.register_fn($name, move |q: QueryHandle, $($arg: Dynamic),+| -> RhaiResult<QueryHandle> {
            $apply(q, vec![$($arg),+])
        });
    };
}

fn filter(q: QueryHandle, args: Vec<Dynamic>) -> RhaiResult<QueryHandle> {
    Ok(QueryHandle::of(
        exprs(&args, "filter()")?
            .into_iter()
            .fold(q.0.clone(), Query::filter),
    ))
}

fn order_by(q: QueryHandle, args: Vec<Dynamic>) -> RhaiResult<QueryHandle> {
    Ok(QueryHandle::of(
        exprs(&args, "order_by()")?
            .into_iter()
            .fold(q.0.clone(), Query::order_by),
    ))
}

fn group_by(q: QueryHandle, args: Vec<Dynamic>) -> RhaiResult<QueryHandle> {
    Ok(QueryHandle::of(
        exprs(&args, "group_by()")?
            .into_iter()
            .fold(q.0.clone(), Query::group_by),
    ))
}

fn having(q: QueryHandle, args: Vec<Dynamic>) -> RhaiResult<QueryHandle> {
    Ok(QueryHandle::of(
        exprs(&args, "having()")?
            .into_iter()
            .fold(q.0.clone(), Query::having),
    ))
}

fn with_entities(q: QueryHandle, args: Vec<Dynamic>) -> RhaiResult<QueryHandle> {
    let mut entities = Vec::new();
    for (i, e) in exprs(&args, "with_entities()")?.into_iter().enumerate() {
        let name = match &e {
            Expr::Column(c) => c.column.clone(),
            Expr::Label { name, .. } => name.clone(),
            Expr::Func { name, .. } => name.clone(),
            _ => format!("column_{}", i + 1),
        };
        entities.push((name, e));
    }
    Ok(QueryHandle::of(q.0.clone().with_entities(entities)))
}

/// `one_or_none()` of a query of values: its one row, or none; more is an error.
fn one_row(shared: &Shared, query: &Query) -> RhaiResult<Option<Row>> {
    let q = if query.limit.is_none() {
        query.clone().limit(2)
    } else {
        query.clone()
    };
    let rows = shared.session.rows(&q).rhai()?;
    if rows.rows.len() > 1 {
        return Err(rhai_error(Error::NoResult(
            "one(): more than one row matched the query; add filters or use first()".into(),
        )));
    }
    Ok(first_row(rows))
}

fn options(q: QueryHandle, args: Vec<Dynamic>) -> RhaiResult<QueryHandle> {
    args.iter()
        .try_fold(q.0.clone(), super::loader::apply)
        .map(QueryHandle::of)
}

/// A bulk statement with no filter touches every row: ask first at a prompt.
fn confirm_every_row(
    shared: &Shared,
    query: &Query,
    verb: &str,
    options: Option<&Map>,
) -> RhaiResult<()> {
    if !query.is_unfiltered() {
        return Ok(());
    }
    let table = &query.mapper().table;
    super::guard::confirm(
        shared,
        options,
        &format!("this {verb} every row of `{table}`."),
    )
}

pub fn register(engine: &mut Engine, shared: &Rc<Shared>) {
    engine.register_type_with_name::<QueryHandle>("Query");
    let s = shared.clone();
    engine.register_fn("to_string", move |q: QueryHandle| {
        match s.session.compile_query(&q.0) {
            Ok(c) => c.sql,
            Err(e) => e.to_string(),
        }
    });
    engine.register_fn("to_debug", |q: QueryHandle| {
        format!("<Query of {}>", q.0.mapper().name)
    });
    variadic_exprs!(engine, "filter", filter);
    variadic_exprs!(engine, "where", filter);
    variadic_exprs!(engine, "order_by", order_by);
    variadic_exprs!(engine, "group_by", group_by);
    variadic_exprs!(engine, "having", having);
    variadic_exprs!(engine, "with_entities", with_entities);
    variadic_exprs!(engine, "options", options);
    let s = shared.clone();
    engine.register_fn(
        "filter_by",
        move |ctx: NativeCallContext, q: QueryHandle, m: Map| -> RhaiResult<QueryHandle> {
            super::hybrids::filter_by(&s, &ctx, q.0.clone(), m).map(QueryHandle::of)
        },
    );
    engine.register_fn(
        "limit",
        |q: QueryHandle, n: rhai::INT| -> RhaiResult<QueryHandle> {
            match u64::try_from(n) {
                Ok(n) => Ok(QueryHandle::of(q.0.clone().limit(n))),
                Err(_) => err(format!("limit({n}): the limit cannot be negative")),
            }
        },
    );
    engine.register_fn(
        "offset",
        |q: QueryHandle, n: rhai::INT| -> RhaiResult<QueryHandle> {
            match u64::try_from(n) {
                Ok(n) => Ok(QueryHandle::of(q.0.clone().offset(n))),
                Err(_) => err(format!("offset({n}): the offset cannot be negative")),
            }
        },
    );
    engine.register_fn("distinct", |q: QueryHandle| {
        QueryHandle::of(q.0.clone().distinct())
    });
    for (name, outer) in [("join", false), ("outerjoin", true)] {
        let s = shared.clone();
        engine.register_fn(
            name,
            move |q: QueryHandle, m: ModelClass| -> RhaiResult<QueryHandle> {
                q.0.clone()
                    .join(&s.session.registry(), &m.0, None, outer)
                    .map(QueryHandle::of)
                    .rhai()
            },
        );
        let s = shared.clone();
        engine.register_fn(
            name,
            move |q: QueryHandle, m: ModelClass, on: SqlExpr| -> RhaiResult<QueryHandle> {
                q.0.clone()
                    .join(&s.session.registry(), &m.0, Some(on.0), outer)
                    .map(QueryHandle::of)
                    .rhai()
            },
        );
        // `join(User.posts)`, and `join(Tag, Book.tags)` (the target named too).
        let s = shared.clone();
        engine.register_fn(
            name,
            move |q: QueryHandle, r: RelationshipAttr| -> RhaiResult<QueryHandle> {
                q.0.clone()
                    .join_along(&s.session.registry(), &r.mapper, r.index, outer)
                    .map(QueryHandle::of)
                    .rhai()
            },
        );
        let s = shared.clone();
        engine.register_fn(
            name,
            move |q: QueryHandle, m: ModelClass, r: RelationshipAttr| -> RhaiResult<QueryHandle> {
                let rel = &r.mapper.relationships[r.index];
                if rel.target != m.0.index {
                    return Err(rhai_error(Error::invalid(format!(
                        "join({}, {}.{}): {}.{} leads to another model",
                        m.0.name, r.mapper.name, rel.name, r.mapper.name, rel.name
                    ))));
                }
                q.0.clone()
                    .join_along(&s.session.registry(), &r.mapper, r.index, outer)
                    .map(QueryHandle::of)
                    .rhai()
            },
        );
    }

    let s = shared.clone();
    engine.register_fn("all", move |q: QueryHandle| -> RhaiResult<Dynamic> {
        if q.0.returns_rows() {
            return Ok(Dynamic::from(Rows(Rc::new(s.session.rows(&q.0).rhai()?))));
        }
        Ok(objects(s.session.all(&q.0).rhai()?).into())
    });
    let s = shared.clone();
    engine.register_fn("first", move |q: QueryHandle| -> RhaiResult<Dynamic> {
        if q.0.returns_rows() {
            let rows = s.session.rows(&q.0.clone().limit(1)).rhai()?;
            return Ok(first_row(rows).map_or(Dynamic::UNIT, Dynamic::from));
        }
        Ok(s.session
            .first(&q.0)
            .rhai()?
            .map_or(Dynamic::UNIT, |o| Dynamic::from(ObjectHandle(o))))
    });
    let s = shared.clone();
    // SQLAlchemy's `Query.scalar()`: the first column of the one row, None
    // for none, and an error for several (as `one_or_none()`).
    engine.register_fn("scalar", move |q: QueryHandle| -> RhaiResult<Dynamic> {
        let query = if q.0.limit.is_none() {
            q.0.limited(2)
        } else {
            q.0.clone()
        };
        let rows = s.session.rows(&query).rhai()?;
        if rows.rows.len() > 1 {
            return Err(rhai_error(Error::NoResult(
                "scalar(): several rows matched the query, where it takes one or none (as SQLAlchemy's MultipleResultsFound); add filters, or use first()".into(),
            )));
        }
        Ok(rows
            .rows
            .into_iter()
            .next()
            .and_then(|r| r.into_iter().next())
            .map_or(Dynamic::UNIT, from_value))
    });
    let s = shared.clone();
    engine.register_fn("one", move |q: QueryHandle| -> RhaiResult<Dynamic> {
        if q.0.returns_rows() {
            return match one_row(&s, &q.0)? {
                Some(row) => Ok(Dynamic::from(row)),
                None => Err(rhai_error(Error::NoResult(
                    "one(): no row matched the query".into(),
                ))),
            };
        }
        s.session
            .one(&q.0)
            .map(|o| Dynamic::from(ObjectHandle(o)))
            .rhai()
    });
    let s = shared.clone();
    engine.register_fn(
        "one_or_none",
        move |q: QueryHandle| -> RhaiResult<Dynamic> {
            if q.0.returns_rows() {
                return Ok(one_row(&s, &q.0)?.map_or(Dynamic::UNIT, Dynamic::from));
            }
            Ok(s.session
                .one_or_none(&q.0)
                .rhai()?
                .map_or(Dynamic::UNIT, |o| Dynamic::from(ObjectHandle(o))))
        },
    );
    let s = shared.clone();
    engine.register_fn(
        "get",
        move |q: QueryHandle, pk: Dynamic| -> RhaiResult<Dynamic> {
            plain_for_get(&q.0, "get")?;
            let found = s.session.get_with(&q.0.for_get(), pk_values(pk)?).rhai()?;
            Ok(found.map_or(Dynamic::UNIT, |o| Dynamic::from(ObjectHandle(o))))
        },
    );
    let s = shared.clone();
    engine.register_fn(
        "get_or_404",
        move |q: QueryHandle, pk: Dynamic| -> RhaiResult<ObjectHandle> {
            plain_for_get(&q.0, "get_or_404")?;
            let shown = pk.to_string();
            match s.session.get_with(&q.0.for_get(), pk_values(pk)?).rhai()? {
                Some(o) => Ok(ObjectHandle(o)),
                None => Err(not_found(&format!(
                    "no {} with primary key {shown}",
                    q.0.mapper().name
                ))),
            }
        },
    );
    let s = shared.clone();
    engine.register_fn(
        "first_or_404",
        move |q: QueryHandle| -> RhaiResult<ObjectHandle> {
            match s.session.first(&q.0).rhai()? {
                Some(o) => Ok(ObjectHandle(o)),
                None => Err(not_found(&format!(
                    "no {} matched the query",
                    q.0.mapper().name
                ))),
            }
        },
    );
    let s = shared.clone();
    engine.register_fn(
        "one_or_404",
        move |q: QueryHandle| -> RhaiResult<ObjectHandle> {
            // As Flask-SQLAlchemy: a 404 for no row and for several.
            match s.session.one_or_none(&q.0) {
                Ok(Some(o)) => Ok(ObjectHandle(o)),
                Ok(None) => Err(not_found(&format!(
                    "no {} matched the query",
                    q.0.mapper().name
                ))),
                Err(Error::NoResult(_)) => Err(not_found(&format!(
                    "more than one {} matched the query, where it takes exactly one",
                    q.0.mapper().name
                ))),
                Err(e) => Err(rhai_error(e)),
            }
        },
    );
    let s = shared.clone();
    engine.register_fn("count", move |q: QueryHandle| -> RhaiResult<rhai::INT> {
        s.session.count(&q.0).rhai()
    });
    // The EXISTS construct, as SQLAlchemy's legacy `Query.exists()` gives
    // it: run by db.session.query(q.exists()).scalar() or db.select(q.exists()).
    engine.register_fn("exists", |q: QueryHandle| -> SqlExpr {
        SqlExpr(Expr::Exists(Box::new(q.0.to_exists())))
    });
    // `q.update(#{..})`, `q.delete()`, and with `#{ confirm: true }` after.
    fn update(s: &Shared, q: &Query, m: Map, o: Option<&Map>) -> RhaiResult<rhai::INT> {
        confirm_every_row(s, q, "changes", o)?;
        Ok(s.session.bulk_update(q, pairs(m)?).rhai()? as rhai::INT)
    }
    fn delete(s: &Shared, q: &Query, o: Option<&Map>) -> RhaiResult<rhai::INT> {
        confirm_every_row(s, q, "deletes", o)?;
        Ok(s.session.bulk_delete(q).rhai()? as rhai::INT)
    }
    let s = shared.clone();
    engine.register_fn("update", move |q: QueryHandle, m: Map| {
        update(&s, &q.0, m, None)
    });
    let s = shared.clone();
    engine.register_fn("update", move |q: QueryHandle, m: Map, o: Map| {
        update(&s, &q.0, m, Some(&o))
    });
    let s = shared.clone();
    engine.register_fn("delete", move |q: QueryHandle| delete(&s, &q.0, None));
    let s = shared.clone();
    engine.register_fn("delete", move |q: QueryHandle, o: Map| {
        delete(&s, &q.0, Some(&o))
    });
    let s = shared.clone();
    engine.register_fn("sql", move |q: QueryHandle| -> RhaiResult<SqlText> {
        let c = s.session.compile_query(&q.0).rhai()?;
        Ok(SqlText {
            params: c.params(),
            sql: c.sql,
        })
    });
    let s = shared.clone();
    engine.register_fn("explain", move |q: QueryHandle| -> RhaiResult<Rows> {
        Ok(Rows(Rc::new(s.session.explain(&q.0, false).rhai()?)))
    });
    let s = shared.clone();
    engine.register_fn(
        "explain",
        move |q: QueryHandle, opts: Map| -> RhaiResult<Rows> {
            let mut analyze = false;
            for (key, value) in opts {
                match (key.as_str(), value.as_bool()) {
                    ("analyze", Ok(b)) => analyze = b,
                    ("analyze", Err(t)) => {
                        return err(format!(
                            "explain(): analyze must be true or false, not a {t}"
                        ));
                    }
                    (other, _) => {
                        return err(format!(
                            "explain() has no option `{other}`; its option is analyze"
                        ));
                    }
                }
            }
            Ok(Rows(Rc::new(s.session.explain(&q.0, analyze).rhai()?)))
        },
    );
    engine.register_type_with_name::<SqlText>("Sql");
    engine.register_fn("to_string", |t: &mut SqlText| t.sql.clone());
    engine.register_get("params", |t: &mut SqlText| -> Array {
        t.params.iter().map(from_value_ref).collect()
    });

    super::loader::register(engine);
}

/// `q.get(pk)` looks the key up in the model's whole table, as SQLAlchemy's
/// does: on a query that filters, joins, limits or groups, SQLAlchemy
/// refuses it rather than ignore what the query says, and so does ormsh.
fn plain_for_get(q: &Query, what: &str) -> RhaiResult<()> {
    // As SQLAlchemy's "get() can only be used against a single mapped class".
    if q.returns_rows() || q.from.is_some() {
        return err(format!(
            "{what}() loads a {} object by its key, and this query gives {}: use {}.query.{what}(..)",
            q.mapper().name,
            if q.returns_rows() {
                "rows of with_entities(..)"
            } else {
                "another name's rows (an alias or subquery)"
            },
            q.mapper().name
        ));
    }
    if !q.filters.is_empty()
        || !q.joins.is_empty()
        || !q.table_joins.is_empty()
        || q.limit.is_some()
        || q.offset.is_some()
        || !q.group_by.is_empty()
    {
        return err(format!(
            "{what}() looks a key up in the whole table, and this query has criteria (SQLAlchemy's \"Query.get() being called on a Query with existing criterion\"): use {}.query.{what}(..), or .filter(..).first()",
            q.mapper().name
        ));
    }
    Ok(())
}
