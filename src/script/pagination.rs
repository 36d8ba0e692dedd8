//! Pagination in Rhai: `q.paginate(#{..})` and `db.paginate(q, #{..})`, and
//! the page they return, with Flask-SQLAlchemy's attributes and methods.
//! Adapts `orm::pagination`; the rules all live there.

use std::rc::Rc;

use rhai::{Array, Dynamic, Engine, Map};

use super::Shared;
use super::convert::{OrRhai, RhaiResult, err};
use super::db::Db;
use super::handles::{ModelClass, ObjectHandle};
use super::handles::{QueryHandle, Rows};
use crate::error::did_you_mean;
use crate::orm::{PageItems, PageRequest, Pagination, Query};

/// A page of results (the Rhai type `Pagination`).
#[derive(Clone)]
pub struct PaginationHandle(pub Rc<Pagination>);

impl IntoIterator for PaginationHandle {
    type Item = Dynamic;
    type IntoIter = std::vec::IntoIter<Dynamic>;
    /// `for item in page`: its items, as iterating a Flask-SQLAlchemy page does.
    fn into_iter(self) -> Self::IntoIter {
        let list: Vec<Dynamic> = match &self.0.items {
            PageItems::Objects(list) => list
                .iter()
                .cloned()
                .map(|o| Dynamic::from(ObjectHandle(o)))
                .collect(),
            PageItems::Rows(rows) => Rows(Rc::new(rows.clone()))
                .into_iter()
                .map(Dynamic::from)
                .collect(),
        };
        list.into_iter()
    }
}

const PAGINATE_OPTIONS: &[&str] = &["page", "per_page", "max_per_page", "error_out", "count"];
const ITER_PAGES_OPTIONS: &[&str] = &["left_edge", "left_current", "right_current", "right_edge"];
const NEIGHBOUR_OPTIONS: &[&str] = &["error_out"];

/// An error for a key `what` does not take, naming the ones it does.
fn check_keys(map: &Map, known: &[&str], what: &str) -> RhaiResult<()> {
    for key in map.keys() {
        if !known.contains(&key.as_str()) {
            return err(format!(
                "{what} has no option `{key}`{}; its options are {}",
                did_you_mean(key, known.iter().copied()),
                known.join(", ")
            ));
        }
    }
    Ok(())
}

/// A value's type as the person at the prompt knows it, with its article.
fn type_label(d: &Dynamic) -> String {
    if d.is_int() {
        "an integer".into()
    } else if d.is_float() {
        "a float".into()
    } else if d.is_string() || d.is_char() {
        "a string".into()
    } else if d.is_bool() {
        "a boolean".into()
    } else if d.is_array() {
        "an array".into()
    } else if d.is_map() {
        "a map".into()
    } else if d.is_unit() {
        "()".into()
    } else if d.is::<ObjectHandle>() {
        "a model object".into()
    } else if d.is::<PaginationHandle>() {
        "a Pagination".into()
    } else {
        super::errors::described(d)
    }
}

/// The options map a method was given.
fn options_map(d: Dynamic, what: &str, example: &str) -> RhaiResult<Map> {
    match d.clone().try_cast::<Map>() {
        Some(m) => Ok(m),
        None => err(format!(
            "{what} takes a map of options such as {example}, not {} ({d:?})",
            type_label(&d)
        )),
    }
}

const PAGINATE_EXAMPLE: &str = "#{ page: 2, per_page: 20 }";

/// An integer option; `()` counts as not given.
fn int_option(map: &Map, key: &str, what: &str) -> RhaiResult<Option<i64>> {
    match map.get(key) {
        None => Ok(None),
        Some(v) if v.is_unit() => Ok(None),
        Some(v) => match v.as_int() {
            Ok(n) => Ok(Some(n)),
            Err(_) => err(format!(
                "{what}: `{key}` must be an integer, not {} ({v:?})",
                type_label(v)
            )),
        },
    }
}

fn bool_option(map: &Map, key: &str, what: &str, default: bool) -> RhaiResult<bool> {
    match map.get(key) {
        None => Ok(default),
        Some(v) => match v.as_bool() {
            Ok(b) => Ok(b),
            Err(_) => err(format!(
                "{what}: `{key}` must be true or false, not {} ({v:?})",
                type_label(v)
            )),
        },
    }
}

/// `#{ page, per_page, max_per_page, error_out, count }` as a request.
fn page_request(map: &Map, what: &str) -> RhaiResult<PageRequest> {
    check_keys(map, PAGINATE_OPTIONS, what)?;
    let defaults = PageRequest::default();
    let max_per_page = match map.get("max_per_page") {
        None => None,
        // `max_per_page: ()` is Python's max_per_page=None: no cap.
        Some(v) if v.is_unit() => Some(None),
        Some(_) => Some(int_option(map, "max_per_page", what)?),
    };
    Ok(PageRequest {
        page: int_option(map, "page", what)?,
        per_page: int_option(map, "per_page", what)?,
        max_per_page,
        error_out: bool_option(map, "error_out", what, defaults.error_out)?,
        count: bool_option(map, "count", what, defaults.count)?,
    })
}

/// What `db.paginate(..)` was given, as a query: a query, or a model for all its rows.
fn query_of(d: &Dynamic) -> RhaiResult<Query> {
    if let Some(q) = d.clone().try_cast::<QueryHandle>() {
        return Ok(q.0);
    }
    if let Some(m) = d.clone().try_cast::<ModelClass>() {
        return Ok(Query::new(m.0));
    }
    if let Some(s) = d.clone().try_cast::<super::handles::SelectHandle>() {
        return super::statements::select_query(&s.0, "db.paginate()");
    }
    err(format!(
        "db.paginate() takes a select such as db.select(User).order_by(User.id), a query such as User.query.order_by(User.id), or a model, not {}",
        type_label(d)
    ))
}

fn optional(n: Option<i64>) -> Dynamic {
    n.map_or(Dynamic::UNIT, Dynamic::from_int)
}

/// `p.items`: the objects as an array, or the rows of a `with_entities` query.
fn items(p: &Pagination) -> Dynamic {
    match &p.items {
        PageItems::Objects(list) => list
            .iter()
            .cloned()
            .map(|o| Dynamic::from(ObjectHandle(o)))
            .collect::<Array>()
            .into(),
        PageItems::Rows(rows) => Dynamic::from(Rows(Rc::new(rows.clone()))),
    }
}

fn iter_pages(p: &Pagination, map: &Map) -> RhaiResult<Array> {
    const WHAT: &str = "iter_pages()";
    check_keys(map, ITER_PAGES_OPTIONS, WHAT)?;
    let get = |key: &str, default: i64| -> RhaiResult<i64> {
        Ok(int_option(map, key, WHAT)?.unwrap_or(default))
    };
    Ok(p.iter_pages(
        get("left_edge", 2)?,
        get("left_current", 2)?,
        get("right_current", 4)?,
        get("right_edge", 2)?,
    )
    .into_iter()
    .map(optional)
    .collect())
}

fn paginate(shared: &Shared, query: &Query, request: PageRequest) -> RhaiResult<PaginationHandle> {
    shared
        .session
        .paginate(query, request)
        .map(|p| PaginationHandle(Rc::new(p)))
        .rhai()
}

pub fn register(engine: &mut Engine, shared: &Rc<Shared>) {
    engine.register_type_with_name::<PaginationHandle>("Pagination");
    engine.register_iterator::<PaginationHandle>();
    engine.register_fn("to_string", |p: &mut PaginationHandle| p.0.to_string());
    engine.register_fn("to_debug", |p: &mut PaginationHandle| p.0.to_string());

    // Making one.
    let s = shared.clone();
    engine.register_fn(
        "paginate",
        move |q: QueryHandle| -> RhaiResult<PaginationHandle> {
            paginate(&s, &q.0, PageRequest::default())
        },
    );
    let s = shared.clone();
    engine.register_fn(
        "paginate",
        move |q: QueryHandle, m: Dynamic| -> RhaiResult<PaginationHandle> {
            let m = options_map(m, "paginate()", PAGINATE_EXAMPLE)?;
            paginate(&s, &q.0, page_request(&m, "paginate()")?)
        },
    );
    let s = shared.clone();
    engine.register_fn(
        "paginate",
        move |_: &mut Db, q: Dynamic| -> RhaiResult<PaginationHandle> {
            paginate(&s, &query_of(&q)?, PageRequest::default())
        },
    );
    let s = shared.clone();
    engine.register_fn(
        "paginate",
        move |_: &mut Db, q: Dynamic, m: Dynamic| -> RhaiResult<PaginationHandle> {
            let m = options_map(m, "db.paginate()", PAGINATE_EXAMPLE)?;
            paginate(&s, &query_of(&q)?, page_request(&m, "db.paginate()")?)
        },
    );

    // Its attributes.
    engine.register_get("page", |p: &mut PaginationHandle| p.0.page);
    engine.register_get("per_page", |p: &mut PaginationHandle| p.0.per_page);
    engine.register_get("max_per_page", |p: &mut PaginationHandle| {
        optional(p.0.max_per_page)
    });
    engine.register_get("total", |p: &mut PaginationHandle| optional(p.0.total));
    engine.register_get("items", |p: &mut PaginationHandle| items(&p.0));
    engine.register_get("pages", |p: &mut PaginationHandle| p.0.pages());
    engine.register_get("has_prev", |p: &mut PaginationHandle| p.0.has_prev());
    engine.register_get("has_next", |p: &mut PaginationHandle| p.0.has_next());
    engine.register_get("prev_num", |p: &mut PaginationHandle| {
        optional(p.0.prev_num())
    });
    engine.register_get("next_num", |p: &mut PaginationHandle| {
        optional(p.0.next_num())
    });
    engine.register_get("first", |p: &mut PaginationHandle| p.0.first());
    engine.register_get("last", |p: &mut PaginationHandle| p.0.last());
    engine.register_fn("len", |p: &mut PaginationHandle| {
        p.0.items.len() as rhai::INT
    });

    // Its methods.
    engine.register_fn(
        "iter_pages",
        |p: &mut PaginationHandle| -> RhaiResult<Array> { iter_pages(&p.0, &Map::new()) },
    );
    engine.register_fn(
        "iter_pages",
        |p: &mut PaginationHandle, m: Dynamic| -> RhaiResult<Array> {
            let m = options_map(m, "iter_pages()", "#{ left_edge: 1, right_edge: 1 }")?;
            iter_pages(&p.0, &m)
        },
    );
    for (name, forward) in [("prev", false), ("next", true)] {
        let step = move |s: &Shared, p: &Pagination, m: &Map| -> RhaiResult<PaginationHandle> {
            let what = format!("{name}()");
            check_keys(m, NEIGHBOUR_OPTIONS, &what)?;
            let error_out = bool_option(m, "error_out", &what, false)?;
            let page = if forward {
                p.next_with(&s.session, error_out)
            } else {
                p.prev_with(&s.session, error_out)
            };
            page.map(|p| PaginationHandle(Rc::new(p))).rhai()
        };
        let s = shared.clone();
        engine.register_fn(
            name,
            move |p: &mut PaginationHandle| -> RhaiResult<PaginationHandle> {
                step(&s, &p.0, &Map::new())
            },
        );
        let s = shared.clone();
        engine.register_fn(
            name,
            move |p: &mut PaginationHandle, m: Dynamic| -> RhaiResult<PaginationHandle> {
                let m = options_map(m, &format!("{name}()"), "#{ error_out: true }")?;
                step(&s, &p.0, &m)
            },
        );
    }
}
