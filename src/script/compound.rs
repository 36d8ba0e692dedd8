//! `db.union(a, b)`, `union_all`, `intersect`, `except_` (also as
//! functions in scope and as methods of a select) in Rhai, their
//! `order_by/limit/offset`, run by `db.session.execute(..)` into rows of
//! values; the legacy `q1.union(q2)` (a query of the union read as a
//! table) and `q.subquery()`. Adapts `orm::query::compound`.

use std::rc::Rc;

use rhai::{Dynamic, Engine};

use super::Shared;
use super::aliases::SubqueryHandle;
use super::convert::{OrRhai, RhaiResult, err};
use super::db::{Db, SessionHandle};
use super::handles::{QueryHandle, SelectHandle, SqlText};
use super::query::exprs;
use super::result::ResultHandle;
use crate::orm::query::alias::{FromItem, Subquery};
use crate::orm::query::compound::{CompoundStatement, set_op_name};
use crate::orm::{Entity, Query, SelectStatement};
use crate::sql::SetOp;

/// `union(..)` and the like: a statement run by `db.session.execute`.
#[derive(Clone)]
pub struct CompoundHandle(pub CompoundStatement);

const OPS: [SetOp; 6] = [
    SetOp::Union,
    SetOp::UnionAll,
    SetOp::Intersect,
    SetOp::IntersectAll,
    SetOp::Except,
    SetOp::ExceptAll,
];

fn compound(op: SetOp, args: &[Dynamic]) -> RhaiResult<CompoundHandle> {
    let name = set_op_name(op);
    let mut members = Vec::with_capacity(args.len());
    for a in args {
        match a.read_lock::<SelectHandle>() {
            Some(s) => members.push(s.0.clone()),
            None => {
                return err(format!(
                    "{name}() takes selects, {name}(db.select(User.id), db.select(Post.user_id)), not {}",
                    super::errors::described(a)
                ));
            }
        }
    }
    CompoundStatement::new(op, members)
        .map(CompoundHandle)
        .rhai()
}

fn run(shared: &Shared, c: &CompoundHandle) -> RhaiResult<ResultHandle> {
    let rows = shared.session.execute_compound(&c.0).rhai()?;
    Ok(ResultHandle::of_rows(rows, None))
}

/// Register `f(args)` as `name(a, b, ..)`, `db.name(a, b, ..)` and
/// `a.name(b, ..)` for two to six selects.
fn register_op(engine: &mut Engine, op: SetOp) {
    let name = set_op_name(op);
    macro_rules! arities {
        ($($arg:ident),+) => {
            engine.register_fn(name, move |$($arg: Dynamic),+| compound(op, &[$($arg),+]));
            engine.register_fn(name, move |_: Db, $($arg: Dynamic),+| compound(op, &[$($arg),+]));
        };
    }
    arities!(a, b);
    arities!(a, b, c);
    arities!(a, b, c, d);
    arities!(a, b, c, d, e);
    arities!(a, b, c, d, e, f);
    // A select's own method: the first argument is the select.
    engine.register_fn(name, move |s: SelectHandle| -> RhaiResult<CompoundHandle> {
        compound(op, &[Dynamic::from(s)])
    });
}

pub fn register(engine: &mut Engine, shared: &Rc<Shared>) {
    engine.register_type_with_name::<CompoundHandle>("CompoundSelect");
    for op in OPS {
        register_op(engine, op);
    }
    let order_by = |c: CompoundHandle, args: Vec<Dynamic>| -> RhaiResult<CompoundHandle> {
        if args.is_empty() {
            return Ok(CompoundHandle(c.0.clear_order()));
        }
        // A name is a column of the result, by its name or label, as
        // SQLAlchemy resolves `order_by("name")` of a compound select.
        let mut list = Vec::with_capacity(args.len());
        for a in &args {
            match a.clone().into_string() {
                Ok(name) => list.push(crate::sql::Expr::untyped_column("", &name)),
                Err(_) => list.extend(exprs(std::slice::from_ref(a), "order_by()")?),
            }
        }
        let mut stmt = c.0;
        for e in list {
            stmt = stmt.order_by(e).rhai()?;
        }
        Ok(CompoundHandle(stmt))
    };
    engine.register_fn("order_by", move |c: CompoundHandle| order_by(c, vec![]));
    engine.register_fn("order_by", move |c: CompoundHandle, a: Dynamic| {
        order_by(c, vec![a])
    });
    engine.register_fn(
        "order_by",
        move |c: CompoundHandle, a: Dynamic, b: Dynamic| order_by(c, vec![a, b]),
    );
    engine.register_fn(
        "order_by",
        move |c: CompoundHandle, a: Dynamic, b: Dynamic, d: Dynamic| order_by(c, vec![a, b, d]),
    );
    for (name, is_limit) in [("limit", true), ("offset", false)] {
        engine.register_fn(
            name,
            move |c: CompoundHandle, n: rhai::INT| -> RhaiResult<CompoundHandle> {
                let Ok(n) = u64::try_from(n) else {
                    return err(format!("{name}({n}): it cannot be negative"));
                };
                Ok(CompoundHandle(if is_limit {
                    c.0.limit(n)
                } else {
                    c.0.offset(n)
                }))
            },
        );
    }
    for (name, cte) in [("subquery", false), ("cte", true)] {
        engine.register_fn(
            name,
            move |c: CompoundHandle| -> RhaiResult<SubqueryHandle> {
                Subquery::of_compound(&c.0, None, cte)
                    .map(SubqueryHandle)
                    .rhai()
            },
        );
        engine.register_fn(
            name,
            move |c: CompoundHandle, n: &str| -> RhaiResult<SubqueryHandle> {
                Subquery::of_compound(&c.0, Some(n), cte)
                    .map(SubqueryHandle)
                    .rhai()
            },
        );
    }
    // select(User).from_statement(union(..)): the union's rows as objects.
    let sh = shared.clone();
    engine.register_fn(
        "from_statement",
        move |s: SelectHandle, c: CompoundHandle| -> RhaiResult<SelectHandle> {
            let mapper = match s.0.entities() {
                [Entity::Model(m)] if s.0.query().is_unfiltered() => m.clone(),
                _ => {
                    return err(
                        "from_statement() goes on a select of one model alone: db.select(User).from_statement(db.union(..))",
                    );
                }
            };
            let sq = Subquery::of_compound(&c.0, None, false).rhai()?;
            let item = FromItem::subquery(sq, Some(mapper)).rhai()?;
            SelectStatement::new(&sh.session.registry(), vec![Entity::Alias(item)])
                .map(SelectHandle)
                .rhai()
        },
    );
    // The legacy q.union(q2, ..): a query of the union's rows read as a
    // table, objects where the queries are of a model.
    for op in OPS {
        let name = set_op_name(op);
        let legacy = move |q: QueryHandle, others: Vec<Dynamic>| -> RhaiResult<QueryHandle> {
            let mut members = vec![SelectStatement::of_query(q.0.clone())];
            for o in &others {
                match o.read_lock::<QueryHandle>() {
                    Some(other) => members.push(SelectStatement::of_query(other.0.clone())),
                    None => {
                        return err(format!(
                            "query.{name}() takes other queries, q1.{name}(q2), not {}",
                            super::errors::described(o)
                        ));
                    }
                }
            }
            let compound = CompoundStatement::new(op, members).rhai()?;
            let sq = Subquery::of_compound(&compound, None, false).rhai()?;
            let mapper = q.0.mapper().clone();
            let query = if q.0.returns_rows() {
                let item = FromItem::subquery(sq.clone(), None).rhai()?;
                let columns = sq.column_names().into_iter().zip(sq.columns()).collect();
                Query::new(sq.mapper().clone())
                    .reading_adapted(item)
                    .with_entities(columns)
            } else {
                let item = FromItem::subquery(sq, Some(mapper.clone())).rhai()?;
                Query::new(mapper).reading_adapted(item)
            };
            Ok(QueryHandle::of(query))
        };
        let f = legacy;
        engine.register_fn(name, move |q: QueryHandle, a: QueryHandle| {
            f(q, vec![Dynamic::from(a)])
        });
        let f = legacy;
        engine.register_fn(
            name,
            move |q: QueryHandle, a: QueryHandle, b: QueryHandle| {
                f(q, vec![Dynamic::from(a), Dynamic::from(b)])
            },
        );
    }
    // The legacy q.subquery() / q.cte().
    for (name, cte) in [("subquery", false), ("cte", true)] {
        engine.register_fn(name, move |q: QueryHandle| -> RhaiResult<SubqueryHandle> {
            Subquery::new(&SelectStatement::of_query(q.0), None, cte)
                .map(SubqueryHandle)
                .rhai()
        });
        engine.register_fn(
            name,
            move |q: QueryHandle, n: &str| -> RhaiResult<SubqueryHandle> {
                Subquery::new(&SelectStatement::of_query(q.0), Some(n), cte)
                    .map(SubqueryHandle)
                    .rhai()
            },
        );
    }
    for name in ["union", "union_all", "intersect", "except_"] {
        let refuse = move || -> RhaiResult<CompoundHandle> {
            err(format!(
                "a union's .{name}() is not supported by ormsh: run it with db.session.execute(..), or join the selects in one call, db.union(a, b, c), or read it as a table, db.union(a, b).subquery()"
            ))
        };
        engine.register_fn(name, move |_: CompoundHandle| refuse());
        engine.register_fn(name, move |_: CompoundHandle, _: Dynamic| refuse());
    }
    let sh = shared.clone();
    engine.register_fn("sql", move |c: CompoundHandle| -> RhaiResult<SqlText> {
        let compiled = sh.session.compile_compound(&c.0).rhai()?;
        Ok(SqlText {
            params: compiled.params(),
            sql: compiled.sql,
        })
    });
    let sh = shared.clone();
    engine.register_fn("to_string", move |c: CompoundHandle| {
        match sh.session.compile_compound(&c.0) {
            Ok(compiled) => compiled.sql,
            Err(e) => e.to_string(),
        }
    });
    engine.register_fn("to_debug", |c: CompoundHandle| {
        format!("<CompoundSelect of {}>", c.0.column_names().join(", "))
    });

    let sh = shared.clone();
    engine.register_fn("execute", move |_: SessionHandle, c: CompoundHandle| {
        run(&sh, &c)
    });
    let sh = shared.clone();
    engine.register_fn(
        "scalars",
        move |_: SessionHandle, c: CompoundHandle| -> RhaiResult<ResultHandle> {
            run(&sh, &c)?.scalars()
        },
    );
    let sh = shared.clone();
    engine.register_fn(
        "scalar",
        move |_: SessionHandle, c: CompoundHandle| -> RhaiResult<Dynamic> {
            Ok(run(&sh, &c)?
                .scalars()?
                .fetch(1)?
                .into_iter()
                .next()
                .unwrap_or(Dynamic::UNIT))
        },
    );
}
