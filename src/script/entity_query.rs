//! The legacy `db.session.query(Book, Author)`: a query of several
//! entities (or of an alias with others), whose rows hold objects and
//! values, with `Model.query`'s chain (`filter`, `join`, `order_by`, ..)
//! and its readers (`all`, `first`, `one`, `one_or_none`, `count`,
//! `scalar`). It is a 2.0 select underneath: each chain call is the
//! select's own, and the readers run it as `db.session.execute` does.

use std::rc::Rc;

use rhai::{Dynamic, Engine, NativeCallContext};

use super::Shared;
use super::convert::{OrRhai, RhaiResult};
use super::handles::{SelectHandle, SqlText};
use super::result::ResultHandle;
use crate::orm::query::alias::{FromItem, Subquery};
use crate::orm::{Entity, SelectStatement};
use crate::sql::Expr;

/// `db.session.query(A, B)`.
#[derive(Clone)]
pub struct EntityQuery(pub SelectStatement);

/// The chain, as the select has it.
const CHAIN: &[&str] = &[
    "filter",
    "where",
    "filter_by",
    "join",
    "outerjoin",
    "order_by",
    "group_by",
    "having",
    "limit",
    "offset",
    "distinct",
    "select_from",
];

fn run(shared: &Shared, q: &EntityQuery) -> RhaiResult<ResultHandle> {
    let rows = shared.session.execute_select(&q.0).rhai()?;
    Ok(ResultHandle::of_rows(rows, None))
}

/// `SELECT count(*) FROM (the query) AS anon_1`, as the legacy `count()`.
fn count(shared: &Shared, q: &EntityQuery) -> RhaiResult<Dynamic> {
    let sq = Subquery::new(&q.0, None, false).rhai()?;
    let star = Expr::Func {
        name: "count".into(),
        args: vec![Expr::Star],
    };
    let stmt = SelectStatement::new(&shared.session.registry(), vec![Entity::column(star)])
        .and_then(|s| s.select_from_item(FromItem::subquery(sq, None)?))
        .rhai()?;
    let result = run(shared, &EntityQuery(stmt))?;
    Ok(result
        .scalars()?
        .fetch(1)?
        .into_iter()
        .next()
        .unwrap_or(Dynamic::UNIT))
}

pub fn register(engine: &mut Engine, shared: &Rc<Shared>) {
    engine.register_type_with_name::<EntityQuery>("Query");
    macro_rules! chain {
        ($($arg:ident),*) => {
            for &name in CHAIN {
                engine.register_fn(
                    name,
                    move |ctx: NativeCallContext, q: EntityQuery $(, $arg: Dynamic)*| -> RhaiResult<EntityQuery> {
                        let args: Vec<Dynamic> = vec![Dynamic::from(SelectHandle(q.0)) $(, $arg)*];
                        let s: SelectHandle = ctx.call_native_fn(name, args)?;
                        Ok(EntityQuery(s.0))
                    },
                );
            }
        };
    }
    chain!();
    chain!(a);
    chain!(a, b);
    chain!(a, b, c);
    chain!(a, b, c, d);
    chain!(a, b, c, d, e);

    let sh = shared.clone();
    engine.register_fn("all", move |q: EntityQuery| run(&sh, &q)?.all());
    let sh = shared.clone();
    engine.register_fn("first", move |q: EntityQuery| run(&sh, &q)?.first());
    let sh = shared.clone();
    engine.register_fn("one", move |q: EntityQuery| {
        run(&sh, &q)?.only(true, "one()")
    });
    let sh = shared.clone();
    engine.register_fn("one_or_none", move |q: EntityQuery| {
        run(&sh, &q)?.only(false, "one_or_none()")
    });
    let sh = shared.clone();
    engine.register_fn("scalar", move |q: EntityQuery| -> RhaiResult<Dynamic> {
        Ok(run(&sh, &q)?
            .scalars()?
            .fetch(1)?
            .into_iter()
            .next()
            .unwrap_or(Dynamic::UNIT))
    });
    let sh = shared.clone();
    engine.register_fn("count", move |q: EntityQuery| count(&sh, &q));
    let sh = shared.clone();
    engine.register_fn("sql", move |q: EntityQuery| -> RhaiResult<SqlText> {
        let c = sh.session.compile_select(&q.0).rhai()?;
        Ok(SqlText {
            params: c.params(),
            sql: c.sql,
        })
    });
    for name in ["to_string", "to_debug"] {
        let sh = shared.clone();
        engine.register_fn(name, move |q: EntityQuery| {
            match sh.session.compile_select(&q.0) {
                Ok(c) => c.sql,
                Err(e) => e.to_string(),
            }
        });
    }
}
