//! What a result looks like to the person at the prompt, decided once: a
//! table for rows and lists of objects, a card for one object, a plain
//! scalar otherwise. The renderer turns this into text.

use rhai::{Array, Dynamic, Engine, Map};

use super::Shared;
use super::convert::{SqlValue, to_value};
use super::handles::{CollectionHandle, ObjectHandle};
use super::handles::{QueryHandle, Rows, SqlText};
use super::objects::{Caller, repr};
use super::pagination::PaginationHandle;
use super::result::{EntityRow, ResultHandle};
use super::rows::Row;
use crate::error::Result;
use crate::orm::{Attr, Instance, Mapper, PageItems};
use crate::sql::Value;

#[derive(Debug, Clone)]
pub enum Output {
    Nothing,
    Table {
        columns: Vec<String>,
        rows: Vec<Vec<Value>>,
    },
    Card {
        title: String,
        fields: Vec<(String, Value)>,
    },
    Scalar(Value),
    Text(String),
    /// SQL to read (`q.sql()`), with its parameters.
    Sql {
        sql: String,
        params: Vec<Value>,
    },
    /// A query's rows, to be printed as they arrive (`RowStream`).
    Stream(Box<crate::orm::Query>),
    /// A page of results: the table of its items, then a line saying where it is.
    Page {
        table: Box<Output>,
        footer: String,
    },
}

/// A row of an object's columns, loading them if the object was expired.
fn object_row(shared: &Shared, mapper: &Mapper, obj: &Instance) -> Result<Vec<Value>> {
    mapper
        .columns
        .iter()
        .map(|c| match shared.session.attribute(obj, &c.name)? {
            Attr::Value(v) => Ok(v),
            _ => Ok(Value::Null),
        })
        .collect()
}

fn objects_table(shared: &Shared, mapper: &Mapper, objs: &[Instance]) -> Result<Output> {
    let rows = objs
        .iter()
        .map(|o| object_row(shared, mapper, o))
        .collect::<Result<Vec<_>>>()?;
    Ok(Output::Table {
        columns: mapper.columns.iter().map(|c| c.name.clone()).collect(),
        rows,
    })
}

pub(crate) fn classify(shared: &Shared, engine: &Engine, value: &Dynamic) -> Result<Output> {
    if value.is_unit() {
        return Ok(Output::Nothing);
    }
    if let Some(o) = value.clone().try_cast::<ObjectHandle>() {
        let mapper = o.0.mapper();
        let row = object_row(shared, &mapper, &o.0)?;
        return Ok(Output::Card {
            title: repr(shared, &o.0, Caller::Engine(engine)),
            fields: mapper
                .columns
                .iter()
                .map(|c| c.name.clone())
                .zip(row)
                .collect(),
        });
    }
    if let Some(c) = value.clone().try_cast::<CollectionHandle>() {
        let mapper = shared
            .session
            .registry()
            .mapper(c.owner.mapper().relationships[c.rel].target)
            .clone();
        return objects_table(shared, &mapper, &c.items.items());
    }
    if let Some(rows) = value.clone().try_cast::<Rows>() {
        return Ok(Output::Table {
            columns: rows.0.columns.clone(),
            rows: rows.0.rows.clone(),
        });
    }
    if let Some(r) = value.clone().try_cast::<ResultHandle>() {
        if let Some(n) = r.rowcount() {
            return Ok(Output::Text(format!(
                "{n} row{} affected",
                if n == 1 { "" } else { "s" }
            )));
        }
        let (columns, rows) = r.peek();
        let objs: Vec<Instance> = rows
            .iter()
            .filter_map(|row| match row.as_slice() {
                [d] => d.clone().try_cast::<ObjectHandle>().map(|o| o.0),
                _ => None,
            })
            .collect();
        if !objs.is_empty()
            && objs.len() == rows.len()
            && objs
                .iter()
                .all(|o| o.borrow().mapper.index == objs[0].mapper().index)
        {
            return objects_table(shared, &objs[0].mapper(), &objs);
        }
        return Ok(cells_table(shared, engine, columns, &rows));
    }
    if let Some(row) = value.clone().try_cast::<EntityRow>() {
        return Ok(cells_table(
            shared,
            engine,
            row.columns.to_vec(),
            &[row.items],
        ));
    }
    // A row prints as a table of one, its labels as headers.
    if let Some(row) = value.clone().try_cast::<Row>() {
        return Ok(Output::Table {
            columns: row.columns.to_vec(),
            rows: vec![row.values],
        });
    }
    if let Some(p) = value.clone().try_cast::<PaginationHandle>() {
        let table = match &p.0.items {
            PageItems::Objects(objs) => objects_table(shared, p.0.query().mapper(), objs)?,
            PageItems::Rows(rows) => Output::Table {
                columns: rows.columns.clone(),
                rows: rows.rows.clone(),
            },
        };
        return Ok(Output::Page {
            table: Box::new(table),
            footer: p.0.footer(),
        });
    }
    if let Some(sql) = value.clone().try_cast::<SqlText>() {
        return Ok(Output::Sql {
            sql: sql.sql,
            params: sql.params,
        });
    }
    if let Some(text) = value.clone().try_cast::<super::models::TextClause>() {
        return Ok(Output::Sql {
            sql: text.0,
            params: Vec::new(),
        });
    }
    // A query shows its rows, as the Rails console shows a relation;
    // `q.sql()` shows its SQL.
    if let Some(q) = value.clone().try_cast::<QueryHandle>() {
        return Ok(Output::Stream(Box::new(q.0)));
    }
    if let Some(v) = value.clone().try_cast::<SqlValue>() {
        return Ok(Output::Scalar(v.0));
    }
    if let Some(list) = value.clone().try_cast::<Array>() {
        let objs: Vec<Instance> = list
            .iter()
            .filter_map(|d| d.clone().try_cast::<ObjectHandle>().map(|o| o.0))
            .collect();
        if !objs.is_empty() && objs.len() == list.len() {
            let first = objs[0].mapper();
            if objs.iter().all(|o| o.borrow().mapper.index == first.index) {
                return objects_table(shared, &first, &objs);
            }
            let reprs: Vec<String> = objs
                .iter()
                .map(|o| repr(shared, o, Caller::Engine(engine)))
                .collect();
            return Ok(Output::Text(format!("[{}]", reprs.join(", "))));
        }
        let entity_rows: Vec<EntityRow> = list
            .iter()
            .filter_map(|d| d.clone().try_cast::<EntityRow>())
            .collect();
        if !entity_rows.is_empty()
            && entity_rows.len() == list.len()
            && entity_rows
                .iter()
                .all(|r| r.columns == entity_rows[0].columns)
        {
            let columns = entity_rows[0].columns.to_vec();
            let rows: Vec<Vec<Dynamic>> = entity_rows.into_iter().map(|r| r.items).collect();
            return Ok(cells_table(shared, engine, columns, &rows));
        }
        // Rows of one shape (a list of `first()`s): one table.
        let rows: Vec<Row> = list
            .iter()
            .filter_map(|d| d.clone().try_cast::<Row>())
            .collect();
        if !rows.is_empty()
            && rows.len() == list.len()
            && rows.iter().all(|r| r.columns == rows[0].columns)
        {
            return Ok(Output::Table {
                columns: rows[0].columns.to_vec(),
                rows: rows.into_iter().map(|r| r.values).collect(),
            });
        }
        return Ok(Output::Text(debug_text(shared, engine, value)));
    }
    if let Some(map) = value.clone().try_cast::<Map>() {
        let mut fields = Vec::new();
        for (k, v) in &map {
            match to_value(v) {
                Ok(value) => fields.push((k.to_string(), value)),
                Err(_) => fields.push((k.to_string(), Value::Text(debug_text(shared, engine, v)))),
            }
        }
        return Ok(Output::Card {
            title: String::new(),
            fields,
        });
    }
    if let Ok(v) = to_value(value)
        && !matches!(v, Value::Json(_))
    {
        return Ok(Output::Scalar(v));
    }
    Ok(Output::Text(debug_text(shared, engine, value)))
}

/// A table of rows whose items may be objects (shown by their repr).
fn cells_table(
    shared: &Shared,
    engine: &Engine,
    columns: Vec<String>,
    rows: &[Vec<Dynamic>],
) -> Output {
    let rows = rows
        .iter()
        .map(|row| {
            row.iter()
                .map(|d| {
                    if d.is::<ObjectHandle>() {
                        Value::Text(debug_text(shared, engine, d))
                    } else {
                        match to_value(d) {
                            Ok(v) => v,
                            Err(_) => Value::Text(debug_text(shared, engine, d)),
                        }
                    }
                })
                .collect()
        })
        .collect();
    Output::Table { columns, rows }
}

/// The text Rhai's `to_debug` gives, objects shown by their repr and NULL
/// as `None`.
fn debug_text(shared: &Shared, engine: &Engine, value: &Dynamic) -> String {
    if let Some(o) = value.clone().try_cast::<ObjectHandle>() {
        return repr(shared, &o.0, Caller::Engine(engine));
    }
    if let Some(list) = value.clone().try_cast::<Array>() {
        let parts: Vec<String> = list.iter().map(|d| debug_text(shared, engine, d)).collect();
        return format!("[{}]", parts.join(", "));
    }
    if value.is_string() {
        return format!("{:?}", value.to_string());
    }
    if value.is_unit() {
        return "None".into();
    }
    if value.is_variant() {
        // A type of ours: its own `to_debug`, never the Rust type's name.
        let mut scope = rhai::Scope::new();
        scope.push_dynamic("value", value.clone());
        if let Ok(text) = engine.eval_expression_with_scope::<String>(&mut scope, "to_debug(value)")
        {
            return text;
        }
    }
    value.to_string()
}

/// The calls whose `()` is a NULL or a missing row: at the prompt it
/// prints as `None`, where `()` of a statement (`db.session.add(u)`)
/// prints nothing.
const READS: &[&str] = &[
    "scalar",
    "first",
    "one",
    "one_or_none",
    "get",
    "scalar_one",
    "scalar_one_or_none",
    "get_one",
    "env",
];

/// Whether the last statement of `ast` reads a value (a variable, an
/// attribute, an index, or one of `READS`), so that its `()` is shown as
/// `None` rather than nothing.
pub(crate) fn reads_value(ast: &rhai::AST) -> bool {
    use rhai::{Expr, Stmt};
    fn reads(e: &Expr) -> bool {
        match e {
            Expr::Variable(..) | Expr::Property(..) | Expr::Index(..) => true,
            Expr::Dot(b, ..) => reads(&b.rhs),
            Expr::MethodCall(f, _) | Expr::FnCall(f, _) => READS.contains(&f.name.as_str()),
            _ => false,
        }
    }
    match ast.statements().last() {
        Some(Stmt::Expr(e)) => reads(e),
        Some(Stmt::FnCall(f, _)) => READS.contains(&f.name.as_str()),
        _ => false,
    }
}
