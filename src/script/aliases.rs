//! `aliased(Model)` (or `db.aliased`), `select(..).subquery()` and
//! `.cte()` in Rhai: their columns (`mgr.name`, `sq.c.n`), and joining,
//! selecting and reading FROM them in `db.select(..)` and the legacy
//! `Model.query` chain. Adapts `orm::query::alias`.

use std::rc::Rc;

use rhai::{Dynamic, Engine, Map, NativeCallContext};

use super::Shared;
use super::convert::{OrRhai, RhaiResult, err, rhai_error};
use super::db::Db;
use super::expr::SqlExpr;
use super::handles::{ModelClass, QueryHandle, RelationshipAttr, SelectHandle};
use crate::orm::query::alias::{FromItem, Subquery};
use crate::orm::{Entity, Query};

/// `aliased(User)`: the model's table again, under another name.
#[derive(Clone)]
pub struct AliasedClass(pub FromItem);

/// `Post.author.of_type(a)`: a relationship leading to an alias of its
/// target, for `join(..)` and `contains_eager(..)`.
#[derive(Clone)]
pub struct RelationshipOfType {
    pub attr: RelationshipAttr,
    pub alias: FromItem,
}

/// `a.books` for `a = aliased(Author)`: a relationship read from the
/// alias, for `join(..)` (as a loader path or in a condition it is refused:
/// no function takes it).
#[derive(Clone)]
pub struct AliasRelationship {
    pub source: FromItem,
    pub attr: RelationshipAttr,
}

/// `select(..).subquery()`, `.cte()`.
#[derive(Clone)]
pub struct SubqueryHandle(pub Rc<Subquery>);

/// `sq.c`: the subquery's columns by name.
#[derive(Clone)]
pub struct SubqueryColumns(pub Rc<Subquery>);

/// `aliased(..)`'s second argument: a name, `#{ name: .. }`, or a subquery.
fn aliased(m: ModelClass, how: Option<Dynamic>) -> RhaiResult<AliasedClass> {
    let Some(how) = how else {
        return FromItem::alias(m.0, None).map(AliasedClass).rhai();
    };
    if let Some(sq) = how.read_lock::<SubqueryHandle>() {
        return FromItem::subquery(sq.0.clone(), Some(m.0))
            .map(AliasedClass)
            .rhai();
    }
    let name = match how.clone().try_cast::<Map>() {
        Some(map) => match map.get("name") {
            Some(n) if map.len() == 1 => n.clone().into_string().ok(),
            _ => None,
        },
        None => how.clone().into_string().ok(),
    };
    match name {
        Some(name) if !name.is_empty() => {
            FromItem::alias(m.0, Some(&name)).map(AliasedClass).rhai()
        }
        _ => err(format!(
            "aliased({}, ..) takes a name (aliased({}, #{{ name: \"m\" }})) or a subquery (aliased({}, sq)), not {}",
            m.0.name,
            m.0.name,
            m.0.name,
            super::errors::described(&how)
        )),
    }
}

/// A select's `subquery(..)` / `cte(..)`: no argument, a name, or
/// `#{ name: .., recursive: true }`.
fn subquery(s: &SelectHandle, arg: Option<Dynamic>, cte: bool) -> RhaiResult<SubqueryHandle> {
    let what = if cte { "cte" } else { "subquery" };
    let mut recursive = false;
    let name = match arg {
        None => None,
        Some(d) => match d.clone().try_cast::<Map>() {
            Some(map) => {
                if let Some(r) = map.get("recursive") {
                    recursive = match r.as_bool() {
                        Ok(r) if cte || !r => r,
                        Ok(_) => {
                            return err(
                                "subquery() cannot be recursive: use cte(#{ recursive: true })",
                            );
                        }
                        Err(_) => return err("recursive: takes true or false"),
                    };
                }
                if let Some(k) = map
                    .keys()
                    .find(|k| !matches!(k.as_str(), "name" | "recursive"))
                {
                    return err(format!("{what}() takes name: and recursive:, not {k}:"));
                }
                map.get("name").and_then(|n| n.clone().into_string().ok())
            }
            None => match d.clone().into_string() {
                Ok(n) => Some(n),
                Err(_) => {
                    return err(format!(
                        "{what}() takes a name, {what}(\"counts\"), not {}",
                        super::errors::described(&d)
                    ));
                }
            },
        },
    };
    let made = if recursive {
        Subquery::recursive(&s.0, name.as_deref())
    } else {
        Subquery::new(&s.0, name.as_deref(), cte)
    };
    made.map(SubqueryHandle).rhai()
}

/// The entities an alias or subquery stands for in `select(..)`: an
/// alias's objects, or every column of a subquery.
pub(super) fn entities_of(d: &Dynamic) -> Option<Vec<Entity>> {
    if let Some(a) = d.read_lock::<AliasedClass>() {
        return Some(vec![Entity::Alias(a.0.clone())]);
    }
    d.read_lock::<SubqueryHandle>()
        .map(|sq| sq.0.columns().into_iter().map(Entity::column).collect())
}

/// `col.in_(select)`: the SELECT of one column it reads, from a select,
/// a `scalar_subquery()`, a subquery (its columns selected) or a query of
/// one column.
fn in_select(s: &Shared, d: &Dynamic) -> RhaiResult<crate::sql::Select> {
    let one = |stmt: &crate::orm::SelectStatement| -> RhaiResult<crate::sql::Select> {
        match stmt.entities() {
            [Entity::Column { .. }] => stmt.to_subquery().rhai(),
            _ => err(format!(
                "in_() takes a select of one column, e.g. in_(db.select(Post.user_id)), not one of {}",
                stmt.column_names().join(", ")
            )),
        }
    };
    if let Some(sel) = d.read_lock::<SelectHandle>() {
        return one(&sel.0);
    }
    if let Some(sq) = d.read_lock::<SubqueryHandle>() {
        let columns = sq.0.columns().into_iter().map(Entity::column).collect();
        let stmt = crate::orm::SelectStatement::new(&s.session.registry(), columns).rhai()?;
        return one(&stmt);
    }
    if let Some(q) = d.read_lock::<QueryHandle>() {
        return match &q.0.entities {
            Some(cols) if cols.len() == 1 => Ok(q.0.to_select()),
            _ => err(
                "in_() takes a query of one column, e.g. in_(Post.query.with_entities(Post.user_id))",
            ),
        };
    }
    match d.read_lock::<SqlExpr>().map(|e| e.0.clone()) {
        Some(crate::sql::Expr::Subquery(select)) => Ok(*select),
        _ => err(format!(
            "in_() takes a list of values or a select of one column, not {}",
            super::errors::described(d)
        )),
    }
}

fn join(
    s: &Shared,
    q: Query,
    target: FromItem,
    on: Option<crate::sql::Expr>,
    outer: bool,
) -> crate::error::Result<Query> {
    q.join_item(&s.session.registry(), target, on, outer)
}

pub fn register(engine: &mut Engine, shared: &Rc<Shared>) {
    engine.register_type_with_name::<AliasedClass>("AliasedClass");
    engine.register_type_with_name::<SubqueryHandle>("Subquery");
    engine.register_type_with_name::<SubqueryColumns>("ReadOnlyColumnCollection");

    engine.register_fn("aliased", |m: ModelClass| aliased(m, None));
    engine.register_fn("aliased", |m: ModelClass, how: Dynamic| {
        aliased(m, Some(how))
    });
    engine.register_fn("aliased", |_: Db, m: ModelClass| aliased(m, None));
    engine.register_fn("aliased", |_: Db, m: ModelClass, how: Dynamic| {
        aliased(m, Some(how))
    });
    for name in ["to_string", "to_debug"] {
        engine.register_fn(name, |a: &mut AliasedClass| {
            format!("<AliasedClass {}>", a.0.describe())
        });
    }
    let sh = shared.clone();
    engine.register_indexer_get(
        move |ctx: NativeCallContext, a: &mut AliasedClass, name: &str| -> RhaiResult<Dynamic> {
            let m = a.0.mapper().rhai()?.clone();
            if let Some(i) = m.column_index(name) {
                return Ok(Dynamic::from(SqlExpr(a.0.column(&m, i))));
            }
            if let Some(index) = m.relationship_index(name) {
                return Ok(Dynamic::from(AliasRelationship {
                    source: a.0.clone(),
                    attr: RelationshipAttr { mapper: m, index },
                }));
            }
            if let Some(found) = super::hybrids::on_alias(&sh, &ctx, a, &m, name) {
                return found;
            }
            Err(rhai_error(m.unknown_attribute(name)))
        },
    );

    for (name, negated) in [("in_", false), ("not_in", true)] {
        macro_rules! in_select {
            ($ty:ty) => {
                let sh = shared.clone();
                engine.register_fn(
                    name,
                    move |e: &mut SqlExpr, what: $ty| -> RhaiResult<SqlExpr> {
                        let select = in_select(&sh, &Dynamic::from(what))?;
                        Ok(SqlExpr(crate::sql::Expr::InSelect {
                            expr: Box::new(e.0.clone()),
                            select: Box::new(select),
                            negated,
                        }))
                    },
                );
            };
        }
        in_select!(SelectHandle);
        in_select!(SubqueryHandle);
        in_select!(QueryHandle);
        in_select!(SqlExpr);
    }
    engine.register_fn("subquery", |s: SelectHandle| subquery(&s, None, false));
    engine.register_fn("subquery", |s: SelectHandle, a: Dynamic| {
        subquery(&s, Some(a), false)
    });
    engine.register_fn("cte", |s: SelectHandle| subquery(&s, None, true));
    engine.register_fn("cte", |s: SelectHandle, a: Dynamic| {
        subquery(&s, Some(a), true)
    });
    for name in ["to_string", "to_debug"] {
        engine.register_fn(name, |s: &mut SubqueryHandle| {
            format!("<{} ({})>", s.0.describe(), s.0.column_names().join(", "))
        });
    }
    // A recursive CTE's recursive part: c.union_all(select reading c).
    for (name, op) in [
        ("union_all", crate::sql::SetOp::UnionAll),
        ("union", crate::sql::SetOp::Union),
    ] {
        engine.register_fn(
            name,
            move |c: SubqueryHandle, s: SelectHandle| -> RhaiResult<SubqueryHandle> {
                c.0.with_recursive_part(op, &s.0).map(SubqueryHandle).rhai()
            },
        );
    }
    for name in ["c", "columns"] {
        engine.register_get(name, |s: &mut SubqueryHandle| SubqueryColumns(s.0.clone()));
    }
    engine.register_indexer_get(
        |c: &mut SubqueryColumns, name: &str| -> RhaiResult<SqlExpr> {
            c.0.column(name).map(SqlExpr).rhai()
        },
    );
    engine.register_fn("keys", |c: &mut SubqueryColumns| -> rhai::Array {
        c.0.column_names().into_iter().map(Dynamic::from).collect()
    });
    for name in ["to_string", "to_debug"] {
        engine.register_fn(name, |c: &mut SubqueryColumns| {
            format!("<columns {}>", c.0.column_names().join(", "))
        });
    }

    // join / outerjoin / select_from, in both chains
    for (name, outer) in [("join", false), ("outerjoin", true)] {
        for with_on in [false, true] {
            let sh = shared.clone();
            let on_select = move |s: SelectHandle, t: FromItem, on: Option<SqlExpr>| {
                s.0.refine(|q| join(&sh, q, t, on.map(|e| e.0), outer))
                    .map(SelectHandle)
                    .rhai()
            };
            let sh = shared.clone();
            let on_query = move |q: QueryHandle, t: FromItem, on: Option<SqlExpr>| {
                join(&sh, q.0, t, on.map(|e| e.0), outer)
                    .map(QueryHandle::of)
                    .rhai()
            };
            macro_rules! targets {
                ($ty:ty, $conv:expr) => {
                    if with_on {
                        let f = on_select.clone();
                        engine.register_fn(name, move |s: SelectHandle, t: $ty, on: SqlExpr| {
                            f(s, $conv(t), Some(on))
                        });
                        let f = on_query.clone();
                        engine.register_fn(name, move |q: QueryHandle, t: $ty, on: SqlExpr| {
                            f(q, $conv(t), Some(on))
                        });
                    } else {
                        let f = on_select.clone();
                        engine
                            .register_fn(name, move |s: SelectHandle, t: $ty| f(s, $conv(t), None));
                        let f = on_query.clone();
                        engine
                            .register_fn(name, move |q: QueryHandle, t: $ty| f(q, $conv(t), None));
                    }
                };
            }
            targets!(AliasedClass, |a: AliasedClass| a.0);
            targets!(SubqueryHandle, |sq: SubqueryHandle| {
                FromItem::subquery(sq.0, None).expect("a subquery with no model")
            });
        }
    }
    engine.register_type_with_name::<RelationshipOfType>("Relationship");
    engine.register_fn(
        "of_type",
        |r: RelationshipAttr, a: AliasedClass| -> RhaiResult<RelationshipOfType> {
            let target = r.mapper.relationships[r.index].target;
            if a.0.model().is_none_or(|m| m.index != target) {
                return err(format!(
                    "{}.{}.of_type({}): the relationship leads to another model",
                    r.mapper.name,
                    r.mapper.relationships[r.index].name,
                    a.0.describe()
                ));
            }
            Ok(RelationshipOfType {
                attr: r,
                alias: a.0,
            })
        },
    );
    // join(User.posts), join(Post, User.posts), join(alias, User.posts),
    // join(User.posts.of_type(alias))
    for (name, outer) in [("join", false), ("outerjoin", true)] {
        let sh = shared.clone();
        let along = move |q: Query, r: &RelationshipAttr, alias: Option<FromItem>| {
            q.join_along_as(&sh.session.registry(), &r.mapper, r.index, alias, outer)
        };
        let f = along.clone();
        engine.register_fn(
            name,
            move |s: SelectHandle, r: RelationshipAttr| -> RhaiResult<SelectHandle> {
                s.0.refine(|q| f(q, &r, None)).map(SelectHandle).rhai()
            },
        );
        let f = along.clone();
        engine.register_fn(
            name,
            move |s: SelectHandle,
                  m: ModelClass,
                  r: RelationshipAttr|
                  -> RhaiResult<SelectHandle> {
                let target = FromItem::table(m.0);
                s.0.refine(|q| f(q, &r, Some(target)))
                    .map(SelectHandle)
                    .rhai()
            },
        );
        let f = along.clone();
        engine.register_fn(
            name,
            move |s: SelectHandle,
                  a: AliasedClass,
                  r: RelationshipAttr|
                  -> RhaiResult<SelectHandle> {
                s.0.refine(|q| f(q, &r, Some(a.0))).map(SelectHandle).rhai()
            },
        );
        let f = along.clone();
        engine.register_fn(
            name,
            move |q: QueryHandle,
                  a: AliasedClass,
                  r: RelationshipAttr|
                  -> RhaiResult<QueryHandle> {
                f(q.0, &r, Some(a.0)).map(QueryHandle::of).rhai()
            },
        );
        let f = along.clone();
        engine.register_fn(
            name,
            move |s: SelectHandle, r: RelationshipOfType| -> RhaiResult<SelectHandle> {
                s.0.refine(|q| f(q, &r.attr, Some(r.alias)))
                    .map(SelectHandle)
                    .rhai()
            },
        );
        let f = along.clone();
        engine.register_fn(
            name,
            move |q: QueryHandle, r: RelationshipOfType| -> RhaiResult<QueryHandle> {
                f(q.0, &r.attr, Some(r.alias)).map(QueryHandle::of).rhai()
            },
        );
    }
    register_alias_joins(engine, shared);
    engine.register_fn(
        "select_from",
        |s: SelectHandle, a: AliasedClass| -> RhaiResult<SelectHandle> {
            s.0.select_from_item(a.0).map(SelectHandle).rhai()
        },
    );
    engine.register_fn(
        "select_from",
        |s: SelectHandle, sq: SubqueryHandle| -> RhaiResult<SelectHandle> {
            let item = FromItem::subquery(sq.0, None).rhai()?;
            s.0.select_from_item(item).map(SelectHandle).rhai()
        },
    );
}

/// `join(a.books)`, `join(Book, a.books)`, `join(b, a.books)` (and
/// `outerjoin`) in both chains, for `a` an alias the query reads or has
/// joined: along the alias's relationship, its columns on the left.
fn register_alias_joins(engine: &mut Engine, shared: &Rc<Shared>) {
    engine.register_type_with_name::<AliasRelationship>("Relationship of an alias");
    for name in ["to_string", "to_debug"] {
        engine.register_fn(name, |r: &mut AliasRelationship| {
            let m = &r.attr.mapper;
            format!(
                "{}.{}",
                r.source.describe(),
                m.relationships[r.attr.index].name
            )
        });
    }
    let strategies = super::loader::STRATEGIES.map(|(name, _)| name);
    for option in strategies.into_iter().chain(["contains_eager"]) {
        engine.register_fn(option, move |r: AliasRelationship| -> RhaiResult<()> {
            let m = &r.attr.mapper;
            let rel = &m.relationships[r.attr.index].name;
            err(format!(
                "{option}({}.{rel}): a relationship of an alias is not a loader path in ormsh; load it on the model ({option}({}.{rel})), or join along it (join({}.{rel}))",
                r.source.describe(),
                m.name,
                r.source.describe()
            ))
        });
    }
    for (name, outer) in [("join", false), ("outerjoin", true)] {
        let sh = shared.clone();
        let along = move |q: Query, r: &AliasRelationship, to: Option<FromItem>| {
            let (m, index) = (&r.attr.mapper, r.attr.index);
            q.join_along_from(&sh.session.registry(), Some(&r.source), m, index, to, outer)
        };
        let f = along.clone();
        engine.register_fn(name, move |s: SelectHandle, r: AliasRelationship| {
            s.0.refine(|q| f(q, &r, None)).map(SelectHandle).rhai()
        });
        let f = along.clone();
        engine.register_fn(name, move |q: QueryHandle, r: AliasRelationship| {
            f(q.0, &r, None).map(QueryHandle::of).rhai()
        });
        for target in [true, false] {
            // The target named: as the model (`target`) or as an alias of it.
            let to = move |d: Dynamic| -> Option<FromItem> {
                match d.clone().try_cast::<ModelClass>() {
                    Some(m) => Some(FromItem::table(m.0)),
                    None => d.try_cast::<AliasedClass>().map(|a| a.0),
                }
            };
            macro_rules! named {
                ($ty:ty) => {{
                    let f = along.clone();
                    let to = to.clone();
                    engine.register_fn(
                        name,
                        move |s: SelectHandle, t: $ty, r: AliasRelationship| {
                            s.0.refine(|q| f(q, &r, to(Dynamic::from(t))))
                                .map(SelectHandle)
                                .rhai()
                        },
                    );
                    let f = along.clone();
                    let to = to.clone();
                    engine.register_fn(
                        name,
                        move |q: QueryHandle, t: $ty, r: AliasRelationship| {
                            f(q.0, &r, to(Dynamic::from(t))).map(QueryHandle::of).rhai()
                        },
                    );
                }};
            }
            if target {
                named!(ModelClass);
            } else {
                named!(AliasedClass);
            }
        }
    }
}
