//! SQLAlchemy 2.0's statements in Rhai: `db.select(..)` and its chain,
//! `db.insert/update/delete(..)`, run by `db.session.execute(..)`,
//! `db.session.scalars(..)` and `db.session.scalar(..)`; `get_one`;
//! the legacy `db.session.query(..)`; and Flask-SQLAlchemy 3's
//! `db.first_or_404(..)` and `db.one_or_404(..)`. Adapts `orm::query::select`
//! and `orm::query::dml`.

use std::rc::Rc;

use rhai::{Array, Dynamic, Engine, Map, NativeCallContext};

use super::Shared;
use super::convert::{OrRhai, RhaiResult, err, rhai_error};
use super::db::{Db, SessionHandle};
use super::expr::SqlExpr;
use super::handles::{ModelClass, ObjectHandle, QueryHandle, SelectHandle, SqlText, WriteHandle};
use super::query::{exprs, pairs, pk_values};
use super::result::ResultHandle;
use crate::error::Error;
use crate::orm::{Entity, Query, SelectStatement, WriteStatement};
use crate::sql::Expr;

/// What `db.select(..)` and `returning(..)` were given, as entities.
fn entities(args: &[Dynamic], what: &str) -> RhaiResult<Vec<Entity>> {
    let mut out = Vec::with_capacity(args.len());
    for d in args {
        if let Some(m) = d.read_lock::<ModelClass>() {
            out.push(Entity::Model(m.0.clone()));
        } else if let Some(e) = d.read_lock::<SqlExpr>() {
            out.push(Entity::column(e.0.clone()));
        } else if let Some(list) = super::aliases::entities_of(d) {
            out.extend(list);
        } else {
            return err(format!(
                "{what} takes models and column expressions, such as {what}(User) or {what}(User.id, func.count(Post.id)), not {}",
                super::errors::described(d)
            ));
        }
    }
    Ok(out)
}

/// The rows of `values(..)`: one map, or an array of maps (several rows).
fn value_rows(d: &Dynamic) -> RhaiResult<Vec<Vec<(String, crate::sql::Value)>>> {
    if let Some(m) = d.clone().try_cast::<Map>() {
        return Ok(vec![pairs(m)?]);
    }
    if let Some(list) = d.clone().try_cast::<Array>() {
        return list
            .iter()
            .map(|row| match row.clone().try_cast::<Map>() {
                Some(m) => pairs(m),
                None => err(format!(
                    "values([..]) takes an array of maps, one per row, not one holding {}",
                    super::errors::described(row)
                )),
            })
            .collect();
    }
    err(format!(
        "values() takes a map of columns, #{{ username: \"x\" }}, or an array of them, not {}",
        super::errors::described(d)
    ))
}

/// Register `$name` on `$ty` for one to eight arguments (Rhai has no
/// variadic functions); each arity collects them and calls `$apply`.
macro_rules! variadic {
    ($engine:expr, $ty:ty, $out:ty, $name:literal, $apply:expr) => {
        variadic!(@one $engine, $ty, $out, $name, $apply, a);
        variadic!(@one $engine, $ty, $out, $name, $apply, a, b);
        variadic!(@one $engine, $ty, $out, $name, $apply, a, b, c);
        variadic!(@one $engine, $ty, $out, $name, $apply, a, b, c, d);
        variadic!(@one $engine, $ty, $out, $name, $apply, a, b, c, d, e);
        variadic!(@one $engine, $ty, $out, $name, $apply, a, b, c, d, e, f);
        variadic!(@one $engine, $ty, $out, $name, $apply, a, b, c, d, e, f, g);
        variadic!(@one $engine, $ty, $out, $name, $apply, a, b, c, d, e, f, g, h);
    };
    (@one $engine:expr, $ty:ty, $out:ty, $name:literal, $apply:expr, $($arg:ident),+) => {
        let apply = $apply.clone();
        $engine.register_fn($name, move |s: $ty, $($arg: Dynamic),+| -> RhaiResult<$out> {
            apply(s, vec![$($arg),+])
        });
    };
}

/// A select's query refined by `f`.
fn refine_select(
    s: SelectHandle,
    f: impl FnOnce(Query) -> crate::error::Result<Query>,
) -> RhaiResult<SelectHandle> {
    s.0.refine(f).map(SelectHandle).rhai()
}

fn refine_write(
    w: WriteHandle,
    f: impl FnOnce(Query) -> crate::error::Result<Query>,
) -> RhaiResult<WriteHandle> {
    w.0.refine(f).map(WriteHandle).rhai()
}

fn count_arg(n: rhai::INT, what: &str) -> RhaiResult<u64> {
    u64::try_from(n).or_else(|_| err(format!("{what}({n}): it cannot be negative")))
}

/// Run a select into a `Result`.
fn run_select(shared: &Shared, stmt: &SelectStatement) -> RhaiResult<ResultHandle> {
    let rows = shared.session.execute_select(stmt).rhai()?;
    Ok(ResultHandle::of_rows(rows, None))
}

/// Run a write into a `Result` (rows when it has `returning(..)`).
fn run_write(
    shared: &Shared,
    stmt: &WriteStatement,
    options: Option<&Map>,
) -> RhaiResult<ResultHandle> {
    if stmt.is_unfiltered() {
        let verb = if stmt.verb() == "delete" {
            "deletes"
        } else {
            "changes"
        };
        super::guard::confirm(
            shared,
            options,
            &format!(
                "this {} {verb} every row of `{}`.",
                stmt.verb(),
                stmt.mapper().table
            ),
        )?;
    }
    let outcome = shared.session.execute_write(stmt).rhai()?;
    Ok(match outcome.returned {
        Some(rows) => ResultHandle::of_rows(rows, Some(outcome.rowcount)),
        None => ResultHandle::of_write(outcome.rowcount),
    })
}

/// The `Model.query` that `db.paginate` and `db.*_or_404` run for a select.
pub(super) fn select_query(stmt: &SelectStatement, what: &str) -> RhaiResult<Query> {
    stmt.check_from().rhai()?;
    match stmt.single_model() {
        Some(_) => Ok(stmt.query().clone()),
        None => err(format!(
            "{what} takes a select of one model, such as db.select(User).order_by(User.id); for columns, use db.session.execute(..)"
        )),
    }
}

fn not_found(what: String) -> Box<rhai::EvalAltResult> {
    rhai_error(Error::NoResult(format!("404 Not Found: {what}")))
}

pub fn register(engine: &mut Engine, shared: &Rc<Shared>) {
    engine.register_type_with_name::<SelectHandle>("Select");
    engine.register_type_with_name::<WriteHandle>("Statement");

    // db.func, as Flask-SQLAlchemy's db.func is sqlalchemy.func.
    engine.register_get("func", |_: &mut Db| super::expr::FuncNamespace);

    // db.select(..)
    let s = shared.clone();
    let select = move |_: Db, args: Vec<Dynamic>| -> RhaiResult<SelectHandle> {
        let list = entities(&args, "select")?;
        SelectStatement::new(&s.session.registry(), list)
            .map(SelectHandle)
            .rhai()
    };
    variadic!(engine, Db, SelectHandle, "select", select);

    // Its chain.
    let filter = |s: SelectHandle, args: Vec<Dynamic>| -> RhaiResult<SelectHandle> {
        let list = exprs(&args, "where()")?;
        refine_select(s, |q| Ok(list.into_iter().fold(q, Query::filter)))
    };
    variadic!(engine, SelectHandle, SelectHandle, "where", filter);
    variadic!(engine, SelectHandle, SelectHandle, "filter", filter);
    let order_by = |s: SelectHandle, args: Vec<Dynamic>| -> RhaiResult<SelectHandle> {
        let list = exprs(&args, "order_by()")?;
        refine_select(s, |q| Ok(list.into_iter().fold(q, Query::order_by)))
    };
    variadic!(engine, SelectHandle, SelectHandle, "order_by", order_by);
    let group_by = |s: SelectHandle, args: Vec<Dynamic>| -> RhaiResult<SelectHandle> {
        let list = exprs(&args, "group_by()")?;
        refine_select(s, |q| Ok(list.into_iter().fold(q, Query::group_by)))
    };
    variadic!(engine, SelectHandle, SelectHandle, "group_by", group_by);
    let having = |s: SelectHandle, args: Vec<Dynamic>| -> RhaiResult<SelectHandle> {
        let list = exprs(&args, "having()")?;
        refine_select(s, |q| Ok(list.into_iter().fold(q, Query::having)))
    };
    variadic!(engine, SelectHandle, SelectHandle, "having", having);
    let options = |s: SelectHandle, args: Vec<Dynamic>| -> RhaiResult<SelectHandle> {
        let q = args
            .iter()
            .try_fold(s.0.query().clone(), super::loader::apply)?;
        refine_select(s, |_| Ok(q))
    };
    variadic!(engine, SelectHandle, SelectHandle, "options", options);
    let shared_ = shared.clone();
    engine.register_fn(
        "filter_by",
        move |ctx: NativeCallContext, s: SelectHandle, m: Map| -> RhaiResult<SelectHandle> {
            // A select with no FROM yet says so first.
            let s = refine_select(s, Ok)?;
            let q = super::hybrids::filter_by(&shared_, &ctx, s.0.query().clone(), m)?;
            refine_select(s, |_| Ok(q))
        },
    );
    engine.register_fn(
        "limit",
        |s: SelectHandle, n: rhai::INT| -> RhaiResult<SelectHandle> {
            let n = count_arg(n, "limit")?;
            refine_select(s, |q| Ok(q.limit(n)))
        },
    );
    engine.register_fn(
        "offset",
        |s: SelectHandle, n: rhai::INT| -> RhaiResult<SelectHandle> {
            let n = count_arg(n, "offset")?;
            refine_select(s, |q| Ok(q.offset(n)))
        },
    );
    engine.register_fn("distinct", |s: SelectHandle| -> RhaiResult<SelectHandle> {
        refine_select(s, |q| Ok(q.distinct()))
    });
    engine.register_fn(
        "select_from",
        |s: SelectHandle, m: ModelClass| -> RhaiResult<SelectHandle> {
            s.0.select_from(m.0).map(SelectHandle).rhai()
        },
    );
    for (name, outer) in [("join", false), ("outerjoin", true)] {
        let sh = shared.clone();
        engine.register_fn(
            name,
            move |s: SelectHandle, m: ModelClass| -> RhaiResult<SelectHandle> {
                refine_select(s, |q| q.join(&sh.session.registry(), &m.0, None, outer))
            },
        );
        let sh = shared.clone();
        engine.register_fn(
            name,
            move |s: SelectHandle, m: ModelClass, on: SqlExpr| -> RhaiResult<SelectHandle> {
                refine_select(s, |q| {
                    q.join(&sh.session.registry(), &m.0, Some(on.0), outer)
                })
            },
        );
    }
    engine.register_fn(
        "scalar_subquery",
        |s: SelectHandle| -> RhaiResult<SqlExpr> {
            Ok(SqlExpr(Expr::Subquery(Box::new(s.0.to_subquery().rhai()?))))
        },
    );
    engine.register_fn("exists", |s: SelectHandle| -> RhaiResult<SqlExpr> {
        Ok(SqlExpr(Expr::Exists(Box::new(s.0.to_subquery().rhai()?))))
    });
    // select.label(name), as SQLAlchemy's: scalar_subquery().label(name).
    engine.register_fn(
        "label",
        |s: SelectHandle, name: &str| -> RhaiResult<SqlExpr> {
            Ok(SqlExpr(Expr::Label {
                expr: Box::new(Expr::Subquery(Box::new(s.0.to_subquery().rhai()?))),
                name: name.to_string(),
            }))
        },
    );
    engine.register_fn("alias", |_: SelectHandle| -> RhaiResult<SelectHandle> {
        err("select().alias() is not supported by ormsh: use select().subquery(), whose columns are sq.c.name")
    });
    let sh = shared.clone();
    engine.register_fn("sql", move |s: SelectHandle| -> RhaiResult<SqlText> {
        let c = sh.session.compile_select(&s.0).rhai()?;
        Ok(SqlText {
            params: c.params(),
            sql: c.sql,
        })
    });
    let sh = shared.clone();
    engine.register_fn("to_string", move |s: SelectHandle| {
        match sh.session.compile_select(&s.0) {
            Ok(c) => c.sql,
            Err(e) => e.to_string(),
        }
    });
    engine.register_fn("to_debug", |s: SelectHandle| {
        format!("<Select of {}>", s.0.column_names().join(", "))
    });

    // db.insert / db.update / db.delete
    engine.register_fn("insert", |_: Db, m: ModelClass| {
        WriteHandle(WriteStatement::insert(m.0))
    });
    engine.register_fn("update", |_: Db, m: ModelClass| {
        WriteHandle(WriteStatement::update(m.0))
    });
    engine.register_fn("delete", |_: Db, m: ModelClass| {
        WriteHandle(WriteStatement::delete(m.0))
    });
    engine.register_fn(
        "values",
        |w: WriteHandle, rows: Dynamic| -> RhaiResult<WriteHandle> {
            // A map's expressions (`User.visits + 1`) set columns to an
            // expression of the row; its plain values are bound.
            let Some(mut map) = rows.clone().try_cast::<Map>() else {
                return w.0.values(value_rows(&rows)?).map(WriteHandle).rhai();
            };
            let mut stmt = w.0;
            let exprs: Vec<String> = map
                .iter()
                .filter(|(_, v)| v.is::<SqlExpr>())
                .map(|(k, _)| k.to_string())
                .collect();
            for name in exprs {
                let e = map
                    .remove(name.as_str())
                    .and_then(|v| v.try_cast::<SqlExpr>());
                if let Some(e) = e {
                    stmt = stmt.set_expr(name, e.0).rhai()?;
                }
            }
            if !map.is_empty() {
                stmt = stmt.values(vec![pairs(map)?]).rhai()?;
            }
            Ok(WriteHandle(stmt))
        },
    );
    let filter = |w: WriteHandle, args: Vec<Dynamic>| -> RhaiResult<WriteHandle> {
        let list = exprs(&args, "where()")?;
        refine_write(w, |q| Ok(list.into_iter().fold(q, Query::filter)))
    };
    variadic!(engine, WriteHandle, WriteHandle, "where", filter);
    variadic!(engine, WriteHandle, WriteHandle, "filter", filter);
    engine.register_fn(
        "filter_by",
        |w: WriteHandle, m: Map| -> RhaiResult<WriteHandle> {
            let p = pairs(m)?;
            refine_write(w, |q| q.filter_by(p))
        },
    );
    let returning = |w: WriteHandle, args: Vec<Dynamic>| -> RhaiResult<WriteHandle> {
        let list = entities(&args, "returning")?;
        w.0.returning(list).map(WriteHandle).rhai()
    };
    variadic!(engine, WriteHandle, WriteHandle, "returning", returning);
    let sh = shared.clone();
    engine.register_fn("sql", move |w: WriteHandle| -> RhaiResult<SqlText> {
        let c = sh.session.compile_write(&w.0).rhai()?;
        Ok(SqlText {
            params: c.params(),
            sql: c.sql,
        })
    });
    let sh = shared.clone();
    engine.register_fn("to_string", move |w: WriteHandle| {
        match sh.session.compile_write(&w.0) {
            Ok(c) => c.sql,
            Err(e) => e.to_string(),
        }
    });
    engine.register_fn("to_debug", |w: WriteHandle| {
        format!("<{} of {}>", w.0.verb(), w.0.mapper().name)
    });

    // db.session.execute / scalars / scalar
    let sh = shared.clone();
    engine.register_fn("execute", move |_: SessionHandle, s: SelectHandle| {
        run_select(&sh, &s.0)
    });
    let sh = shared.clone();
    engine.register_fn("execute", move |_: SessionHandle, w: WriteHandle| {
        run_write(&sh, &w.0, None)
    });
    let sh = shared.clone();
    engine.register_fn(
        "execute",
        move |_: SessionHandle, w: WriteHandle, rows: Dynamic| -> RhaiResult<ResultHandle> {
            // execute(insert(User), [#{..}, ..]): the rows as values; for
            // update and delete, a map of options (confirm).
            if w.0.verb() == "insert" {
                let stmt = w.0.clone().values(value_rows(&rows)?).rhai()?;
                return run_write(&sh, &stmt, None);
            }
            match rows.clone().try_cast::<Map>() {
                Some(o) => run_write(&sh, &w.0, Some(&o)),
                None => err(
                    "execute(update(..)/delete(..), ..) takes the rows to change in where(..); its second argument is a map of options such as #{ confirm: true }",
                ),
            }
        },
    );
    let sh = shared.clone();
    engine.register_fn(
        "scalars",
        move |_: SessionHandle, s: SelectHandle| -> RhaiResult<ResultHandle> {
            run_select(&sh, &s.0)?.scalars()
        },
    );
    let sh = shared.clone();
    engine.register_fn(
        "scalar",
        move |_: SessionHandle, s: SelectHandle| -> RhaiResult<Dynamic> {
            let r = run_select(&sh, &s.0)?;
            first_scalar(&r)
        },
    );
    let sh = shared.clone();
    engine.register_fn(
        "get_one",
        move |_: SessionHandle, m: ModelClass, pk: Dynamic| -> RhaiResult<ObjectHandle> {
            sh.session
                .get_one(&m.0, pk_values(pk)?)
                .map(ObjectHandle)
                .rhai()
        },
    );

    // db.session.query(..), the legacy Query
    let sh = shared.clone();
    // One model's objects, or columns alone: `Model.query`'s own chain;
    // several entities: rows (`entity_query`).
    let query = move |_: SessionHandle, args: Vec<Dynamic>| -> RhaiResult<Dynamic> {
        let list = entities(&args, "query")?;
        let stmt = SelectStatement::new(&sh.session.registry(), list).rhai()?;
        Ok(match stmt.as_query() {
            Some(q) => Dynamic::from(QueryHandle::of(q)),
            None => Dynamic::from(super::entity_query::EntityQuery(stmt)),
        })
    };
    variadic!(engine, SessionHandle, Dynamic, "query", query);

    // Flask-SQLAlchemy 3: db.first_or_404(stmt), db.one_or_404(stmt)
    let sh = shared.clone();
    engine.register_fn(
        "first_or_404",
        move |_: Db, s: SelectHandle| -> RhaiResult<Dynamic> {
            let r = run_select(&sh, &s.0)?;
            let found = first_scalar(&r)?;
            if found.is_unit() {
                return Err(not_found(format!(
                    "the select of {} found no row",
                    s.0.column_names().join(", ")
                )));
            }
            Ok(found)
        },
    );
    let sh = shared.clone();
    engine.register_fn(
        "one_or_404",
        move |_: Db, s: SelectHandle| -> RhaiResult<Dynamic> {
            match run_select(&sh, &s.0)?.scalars()?.fetch(2)?.as_slice() {
                [one] => Ok(one.clone()),
                [] => Err(not_found(format!(
                    "the select of {} found no row",
                    s.0.column_names().join(", ")
                ))),
                _ => Err(not_found(format!(
                    "the select of {} found more than one row, where it takes exactly one",
                    s.0.column_names().join(", ")
                ))),
            }
        },
    );
}

/// `result.scalar()`: the first column of the first row, or ().
fn first_scalar(r: &ResultHandle) -> RhaiResult<Dynamic> {
    Ok(r.scalars()?
        .fetch(1)?
        .into_iter()
        .next()
        .unwrap_or(Dynamic::UNIT))
}
