//! What `db.session.execute(stmt)` gives, as SQLAlchemy's `Result`: rows
//! read once (`all`, `first`, `one`, `scalar`, `for row in result`), seen
//! as rows, as their first items (`scalars()`) or as maps (`mappings()`),
//! made unique on request (`unique()`), and a write's `rowcount`. A row
//! holding objects is an `EntityRow` (`row.User`, `row[0]`); a row of
//! values alone is the `Row` of `rows`.

use std::cell::{Cell as Flag, RefCell};
use std::collections::{HashSet, VecDeque};
use std::rc::Rc;

use rhai::{Array, Dynamic, Engine, Map};

use super::Shared;
use super::convert::{RhaiResult, err, from_value_ref, rhai_error};
use super::handles::{ObjectHandle, Rows};
use super::rows::Row;
use crate::error::Error;
use crate::orm::{Cell, RowSet, StatementRows};

/// How a result hands out each row.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Rows,
    Scalars,
    Mappings,
}

struct State {
    columns: Rc<Vec<String>>,
    rows: RefCell<VecDeque<Vec<Cell>>>,
    closed: Flag<bool>,
    unique: Flag<bool>,
    needs_unique: bool,
    /// None for a write without returning(): it has no rows to read.
    returns_rows: bool,
    rowcount: Option<u64>,
}

/// `Result`, `ScalarResult` and `MappingResult` (one cursor, three views).
#[derive(Clone)]
pub struct ResultHandle {
    state: Rc<State>,
    mode: Mode,
}

impl ResultHandle {
    pub fn of_rows(rows: StatementRows, rowcount: Option<u64>) -> ResultHandle {
        ResultHandle {
            state: Rc::new(State {
                columns: Rc::new(rows.columns),
                rows: RefCell::new(rows.rows.into()),
                closed: Flag::new(false),
                unique: Flag::new(false),
                needs_unique: rows.needs_unique,
                returns_rows: true,
                rowcount,
            }),
            mode: Mode::Rows,
        }
    }

    /// A write that returned no rows: only its `rowcount`.
    pub fn of_write(rowcount: u64) -> ResultHandle {
        ResultHandle {
            state: Rc::new(State {
                columns: Rc::new(Vec::new()),
                rows: RefCell::new(VecDeque::new()),
                closed: Flag::new(true),
                unique: Flag::new(false),
                needs_unique: false,
                returns_rows: false,
                rowcount: Some(rowcount),
            }),
            mode: Mode::Rows,
        }
    }

    fn view(&self, mode: Mode) -> ResultHandle {
        ResultHandle {
            state: self.state.clone(),
            mode,
        }
    }

    /// The rows still to read, checked readable.
    fn readable(&self) -> RhaiResult<()> {
        if !self.state.returns_rows {
            return err(
                "this result does not return rows: it is a write (insert, update or delete); read result.rowcount, or add .returning(..) to the statement",
            );
        }
        if self.state.closed.get() {
            return err(
                "this result is closed: first(), one(), one_or_none() and scalar() read it to the end (as SQLAlchemy's ResourceClosedError); execute the statement again",
            );
        }
        if self.state.needs_unique && !self.state.unique.get() {
            return err(
                "the unique() method must be called on this result, as it holds joined eager loads of collections (as in SQLAlchemy): db.session.execute(stmt).unique() or db.session.scalars(stmt).unique()",
            );
        }
        Ok(())
    }

    /// Every row still to read, as this view hands them out, made unique
    /// when asked.
    fn take(&self, limit: Option<usize>) -> RhaiResult<Vec<Dynamic>> {
        self.readable()?;
        let mut out = Vec::new();
        let mut seen = HashSet::new();
        let mut rows = self.state.rows.borrow_mut();
        while limit.is_none_or(|n| out.len() < n) {
            let Some(row) = rows.pop_front() else { break };
            if self.state.unique.get() {
                let key = match self.mode {
                    Mode::Scalars => row.first().map(cell_key).unwrap_or_default(),
                    _ => row.iter().map(cell_key).collect::<Vec<_>>().join("\u{1f}"),
                };
                if !seen.insert(key) {
                    continue;
                }
            }
            out.push(self.item(row));
        }
        Ok(out)
    }

    fn item(&self, row: Vec<Cell>) -> Dynamic {
        match self.mode {
            Mode::Scalars => row.into_iter().next().map_or(Dynamic::UNIT, cell_dynamic),
            Mode::Mappings => Dynamic::from(
                self.state
                    .columns
                    .iter()
                    .zip(row)
                    .filter(|(c, _)| !c.is_empty())
                    .map(|(c, v)| (c.as_str().into(), cell_dynamic(v)))
                    .collect::<Map>(),
            ),
            Mode::Rows => make_row(&self.state.columns, row),
        }
    }

    /// `all()`: rows of values alone as `Rows` (a table, `to_array()`,
    /// as `with_entities(..).all()` gives); else an array.
    pub(super) fn all(&self) -> RhaiResult<Dynamic> {
        let items = self.take(None)?;
        if self.mode == Mode::Rows && items.iter().all(|d| d.is::<Row>()) {
            let rows = items
                .into_iter()
                .filter_map(|d| d.try_cast::<Row>().map(|r| r.values))
                .collect();
            return Ok(Dynamic::from(Rows(Rc::new(RowSet {
                columns: self.state.columns.to_vec(),
                rows,
            }))));
        }
        Ok(items.into())
    }

    fn close(&self) {
        self.state.rows.borrow_mut().clear();
        self.state.closed.set(true);
    }

    pub(super) fn first(&self) -> RhaiResult<Dynamic> {
        let found = self.take(Some(1))?;
        self.close();
        Ok(found.into_iter().next().unwrap_or(Dynamic::UNIT))
    }

    /// The one row (or none); an error for more, as SQLAlchemy's
    /// `MultipleResultsFound`, and with `required`, for none.
    pub(super) fn only(&self, required: bool, what: &str) -> RhaiResult<Dynamic> {
        let found = self.take(Some(2))?;
        self.close();
        match found.len() {
            0 if required => Err(rhai_error(Error::NoResult(format!(
                "{what}: no row was found when one was required (SQLAlchemy's NoResultFound)"
            )))),
            0 => Ok(Dynamic::UNIT),
            1 => Ok(found.into_iter().next().expect("one")),
            _ => Err(rhai_error(Error::NoResult(format!(
                "{what}: multiple rows were found when exactly one was required (SQLAlchemy's MultipleResultsFound); add filters, or use first()"
            )))),
        }
    }

    /// `result.scalars()`.
    pub(super) fn scalars(&self) -> RhaiResult<ResultHandle> {
        self.rows_only("scalars")?;
        Ok(self.view(Mode::Scalars))
    }

    /// At most `n` more of the rows, as this view hands them out.
    pub(super) fn fetch(&self, n: usize) -> RhaiResult<Vec<Dynamic>> {
        self.take(Some(n))
    }

    fn rows_only(&self, what: &str) -> RhaiResult<()> {
        if self.mode == Mode::Rows {
            Ok(())
        } else {
            err(format!(
                "{what}() is a method of the result of execute(), not of its scalars() or mappings()"
            ))
        }
    }

    /// The rows not read yet, as a table shows them (objects by their repr).
    pub(crate) fn peek(&self) -> (Vec<String>, Vec<Vec<Dynamic>>) {
        let rows = self.state.rows.borrow();
        let columns = match self.mode {
            Mode::Scalars => self.state.columns.iter().take(1).cloned().collect(),
            _ => self.state.columns.to_vec(),
        };
        let width = columns.len();
        let rows = rows
            .iter()
            .map(|r| r.iter().take(width).cloned().map(cell_dynamic).collect())
            .collect();
        (columns, rows)
    }

    pub(crate) fn rowcount(&self) -> Option<u64> {
        (!self.state.returns_rows)
            .then_some(self.state.rowcount)
            .flatten()
    }

    fn type_name(&self) -> &'static str {
        match self.mode {
            Mode::Rows => "Result",
            Mode::Scalars => "ScalarResult",
            Mode::Mappings => "MappingResult",
        }
    }
}

/// The same object twice is the same key; a value by its repr.
fn cell_key(c: &Cell) -> String {
    match c {
        Cell::Object(Some(o)) => format!("o{}", o.address()),
        Cell::Object(None) => "n".into(),
        Cell::Value(v) => format!("v{}", v.repr()),
    }
}

pub(crate) fn cell_dynamic(c: Cell) -> Dynamic {
    match c {
        Cell::Object(Some(o)) => Dynamic::from(ObjectHandle(o)),
        Cell::Object(None) => Dynamic::UNIT,
        Cell::Value(v) => from_value_ref(&v),
    }
}

/// A row's keys: its items' names, less those of aliases of no name,
/// which SQLAlchemy's row gives no key.
fn keys(columns: &[String]) -> Array {
    columns
        .iter()
        .filter(|c| !c.is_empty())
        .map(|c| Dynamic::from(c.clone()))
        .collect()
}

/// A row of values alone is a `Row`; one holding objects an `EntityRow`.
fn make_row(columns: &Rc<Vec<String>>, row: Vec<Cell>) -> Dynamic {
    if row.iter().all(|c| matches!(c, Cell::Value(_))) {
        let values = row
            .into_iter()
            .map(|c| match c {
                Cell::Value(v) => v,
                Cell::Object(_) => unreachable!("checked: values only"),
            })
            .collect();
        return Dynamic::from(Row {
            columns: columns.clone(),
            values,
        });
    }
    Dynamic::from(EntityRow {
        columns: columns.clone(),
        items: row.into_iter().map(cell_dynamic).collect(),
    })
}

/// A row with objects in it: `row.User`, `row[0]`, `row._mapping`, `for x in row`.
#[derive(Clone)]
pub struct EntityRow {
    pub columns: Rc<Vec<String>>,
    pub items: Vec<Dynamic>,
}

impl EntityRow {
    fn by_name(&self, name: &str) -> RhaiResult<Dynamic> {
        let found: Vec<usize> = (0..self.columns.len())
            .filter(|&i| !name.is_empty() && self.columns[i] == name)
            .collect();
        match found.as_slice() {
            [i] => Ok(self.items[*i].clone()),
            [] => err(format!(
                "this row has no item `{name}`; its items are {}{}",
                self.columns
                    .iter()
                    .enumerate()
                    .map(|(i, c)| if c.is_empty() {
                        format!("row[{i}]")
                    } else {
                        c.clone()
                    })
                    .collect::<Vec<_>>()
                    .join(", "),
                crate::error::did_you_mean(
                    name,
                    self.columns
                        .iter()
                        .map(String::as_str)
                        .filter(|c| !c.is_empty())
                )
            )),
            _ => err(format!(
                "`{name}` names {} items of this row: read one by position, row[0], ..",
                found.len()
            )),
        }
    }

    fn at(&self, i: rhai::INT) -> RhaiResult<Dynamic> {
        let len = self.items.len() as rhai::INT;
        let index = if i < 0 { len + i } else { i };
        match usize::try_from(index).ok().and_then(|i| self.items.get(i)) {
            Some(v) => Ok(v.clone()),
            None => err(format!(
                "index {i} is out of range for a row of {len} item{}",
                if len == 1 { "" } else { "s" }
            )),
        }
    }
}

impl IntoIterator for EntityRow {
    type Item = Dynamic;
    type IntoIter = std::vec::IntoIter<Dynamic>;
    fn into_iter(self) -> Self::IntoIter {
        self.items.into_iter()
    }
}

impl IntoIterator for ResultHandle {
    type Item = Dynamic;
    type IntoIter = std::vec::IntoIter<Dynamic>;
    /// `for row in result`: the rows not read yet (an unreadable result
    /// gives none; `all()` says why).
    fn into_iter(self) -> Self::IntoIter {
        self.take(None).unwrap_or_default().into_iter()
    }
}

/// An item as Python's `repr` writes it inside a row.
fn item_repr(shared: &Shared, ctx: &rhai::NativeCallContext, d: &Dynamic) -> String {
    if let Some(o) = d.read_lock::<ObjectHandle>() {
        return super::objects::repr(shared, &o.0, super::objects::Caller::Context(ctx));
    }
    match super::convert::to_value(d) {
        Ok(v) => Row {
            columns: Rc::new(vec![String::new()]),
            values: vec![v],
        }
        .repr()
        .trim_start_matches('(')
        .trim_end_matches(",)")
        .to_string(),
        Err(_) => d.to_string(),
    }
}

pub fn register(engine: &mut Engine, shared: &Rc<Shared>) {
    engine.register_type_with_name::<ResultHandle>("Result");
    engine.register_iterator::<ResultHandle>();
    for name in ["to_string", "to_debug"] {
        engine.register_fn(name, |r: &mut ResultHandle| format!("<{}>", r.type_name()));
    }
    for name in ["all", "fetchall"] {
        engine.register_fn(name, |r: &mut ResultHandle| r.all());
    }
    engine.register_fn(
        "fetchmany",
        |r: &mut ResultHandle, n: rhai::INT| -> RhaiResult<Array> {
            r.take(Some(usize::try_from(n).unwrap_or(0)))
        },
    );
    engine.register_fn("fetchone", |r: &mut ResultHandle| -> RhaiResult<Dynamic> {
        Ok(r.take(Some(1))?.into_iter().next().unwrap_or(Dynamic::UNIT))
    });
    engine.register_fn("first", |r: &mut ResultHandle| r.first());
    engine.register_fn("one", |r: &mut ResultHandle| r.only(true, "one()"));
    engine.register_fn("one_or_none", |r: &mut ResultHandle| {
        r.only(false, "one_or_none()")
    });
    engine.register_fn("scalar", |r: &mut ResultHandle| -> RhaiResult<Dynamic> {
        r.rows_only("scalar")?;
        r.view(Mode::Scalars).first()
    });
    engine.register_fn(
        "scalar_one",
        |r: &mut ResultHandle| -> RhaiResult<Dynamic> {
            r.rows_only("scalar_one")?;
            r.view(Mode::Scalars).only(true, "scalar_one()")
        },
    );
    engine.register_fn(
        "scalar_one_or_none",
        |r: &mut ResultHandle| -> RhaiResult<Dynamic> {
            r.rows_only("scalar_one_or_none")?;
            r.view(Mode::Scalars).only(false, "scalar_one_or_none()")
        },
    );
    engine.register_fn("scalars", |r: &mut ResultHandle| r.scalars());
    engine.register_fn(
        "mappings",
        |r: &mut ResultHandle| -> RhaiResult<ResultHandle> {
            r.rows_only("mappings")?;
            Ok(r.view(Mode::Mappings))
        },
    );
    engine.register_fn("unique", |r: &mut ResultHandle| {
        r.state.unique.set(true);
        r.clone()
    });
    engine.register_fn("keys", |r: &mut ResultHandle| -> Array {
        keys(&r.state.columns)
    });
    engine.register_get("rowcount", |r: &mut ResultHandle| -> rhai::INT {
        match r.state.rowcount {
            Some(n) => n as rhai::INT,
            None => -1,
        }
    });
    // partitions(n): the rows left, n at a time (the last one shorter);
    // partitions() with no size, all of them in one.
    engine.register_fn(
        "partitions",
        |r: &mut ResultHandle, n: rhai::INT| -> RhaiResult<Array> {
            let size = match usize::try_from(n) {
                Ok(size) if size > 0 => size,
                _ => return err(format!("partitions({n}): the size is a number above 0")),
            };
            let mut out = Array::new();
            loop {
                let part = r.take(Some(size))?;
                if part.is_empty() {
                    return Ok(out);
                }
                out.push(Dynamic::from_array(part));
            }
        },
    );
    engine.register_fn("partitions", |r: &mut ResultHandle| -> RhaiResult<Array> {
        let all = r.take(None)?;
        Ok(if all.is_empty() {
            Array::new()
        } else {
            vec![Dynamic::from_array(all)]
        })
    });
    for name in ["freeze", "columns", "yield_per", "tuples", "close"] {
        engine.register_fn(name, move |_: &mut ResultHandle| -> RhaiResult<()> {
            err(format!(
                "result.{name}() is not supported by ormsh; it has all(), first(), one(), one_or_none(), scalar(), scalar_one(), scalar_one_or_none(), scalars(), mappings(), unique(), partitions(n), fetchone(), fetchmany(n), keys() and rowcount"
            ))
        });
    }

    engine.register_type_with_name::<EntityRow>("Row");
    engine.register_iterator::<EntityRow>();
    for name in ["to_string", "to_debug"] {
        let s = shared.clone();
        engine.register_fn(
            name,
            move |ctx: rhai::NativeCallContext, r: &mut EntityRow| {
                let parts: Vec<String> = r.items.iter().map(|d| item_repr(&s, &ctx, d)).collect();
                match parts.as_slice() {
                    [one] => format!("({one},)"),
                    _ => format!("({})", parts.join(", ")),
                }
            },
        );
    }
    engine.register_indexer_get(|r: &mut EntityRow, i: rhai::INT| r.at(i));
    engine.register_indexer_get(|r: &mut EntityRow, name: &str| r.by_name(name));
    engine.register_get("_mapping", |r: &mut EntityRow| -> Map {
        r.columns
            .iter()
            .zip(&r.items)
            .filter(|(c, _)| !c.is_empty())
            .map(|(c, v)| (c.as_str().into(), v.clone()))
            .collect()
    });
    engine.register_get("_fields", |r: &mut EntityRow| -> Array { keys(&r.columns) });
    engine.register_get("_t", |r: &mut EntityRow| -> Array { r.items.clone() });
    engine.register_fn("_tuple", |r: &mut EntityRow| -> Array { r.items.clone() });
    engine.register_fn("to_array", |r: &mut EntityRow| -> Array { r.items.clone() });
    engine.register_fn("len", |r: &mut EntityRow| r.items.len() as rhai::INT);
}
