//! Result rows in Rhai, as SQLAlchemy's `Row` and a list of them: a `Row`
//! is read by label or column name (`row.score`, `row["score"]`), by
//! position (`row[0]`, `row[-1]`), as a map (`row._mapping`) and by its
//! names (`row._fields`); `for v in row` walks its values. `Rows` (what
//! `all()` and `db.execute(..)` give) is indexed and walked as `Row`s and
//! prints as a table whose headers are the labels.

use std::rc::Rc;

use rhai::{Array, Dynamic, Engine, Map};

use super::convert::{RhaiResult, err, from_value_ref, to_value};
use super::handles::Rows;
use crate::orm::RowSet;
use crate::sql::Value;

/// One result row: its values, and the names its query gave them.
#[derive(Clone)]
pub struct Row {
    pub columns: Rc<Vec<String>>,
    pub values: Vec<Value>,
}

impl Row {
    /// Row `index` of `set` (which has it).
    pub fn of(set: &RowSet, columns: &Rc<Vec<String>>, index: usize) -> Row {
        Row {
            columns: columns.clone(),
            values: set.rows[index].clone(),
        }
    }

    /// As Python prints a row: `('amy', 2)`, `(None,)`, `([1, None],)`.
    pub fn repr(&self) -> String {
        let parts: Vec<String> = self.values.iter().map(py_repr).collect();
        match parts.as_slice() {
            [one] => format!("({one},)"),
            _ => format!("({})", parts.join(", ")),
        }
    }

    /// `row.name`: the value of the one column called `name`.
    fn by_name(&self, name: &str) -> RhaiResult<Dynamic> {
        let found: Vec<usize> = (0..self.columns.len())
            .filter(|&i| self.columns[i] == name)
            .collect();
        match found.as_slice() {
            [i] => Ok(from_value_ref(&self.values[*i])),
            [] => err(format!(
                "this row has no column `{name}`; its columns are {}{}",
                self.fields_text(),
                crate::error::did_you_mean(
                    name,
                    self.columns.iter().map(String::as_str).chain(
                        super::names::ROW_MEMBERS
                            .iter()
                            .map(|(n, _)| *n)
                            .filter(|n| n.starts_with('_'))
                    )
                )
            )),
            [first, ..] => err(format!(
                "`{name}` names {} columns of this row ({}): read one by position, row[{first}], or give each a name with .label(\"..\")",
                found.len(),
                found
                    .iter()
                    .map(|i| format!("row[{i}]"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        }
    }

    /// `row[i]`, counting from the end when `i` is negative.
    fn at(&self, i: rhai::INT) -> RhaiResult<Dynamic> {
        let len = self.values.len() as rhai::INT;
        let index = if i < 0 { len + i } else { i };
        match usize::try_from(index).ok().and_then(|i| self.values.get(i)) {
            Some(v) => Ok(from_value_ref(v)),
            None => err(format!(
                "index {i} is out of range for a row of {len} value{} ({})",
                if len == 1 { "" } else { "s" },
                self.fields_text()
            )),
        }
    }

    fn fields_text(&self) -> String {
        self.columns
            .iter()
            .map(|c| format!("`{c}`"))
            .collect::<Vec<_>>()
            .join(", ")
    }

    fn mapping(&self) -> Map {
        self.columns
            .iter()
            .zip(&self.values)
            .map(|(c, v)| (c.as_str().into(), from_value_ref(v)))
            .collect()
    }

    fn fields(&self) -> Array {
        self.columns
            .iter()
            .map(|c| Dynamic::from(c.clone()))
            .collect()
    }

    fn tuple(&self) -> Array {
        self.values.iter().map(from_value_ref).collect()
    }

    /// Whether the row holds these values (`row == [1, "amy"]`).
    fn equals(&self, other: &Array) -> bool {
        other.len() == self.values.len()
            && other
                .iter()
                .zip(&self.values)
                .all(|(d, v)| to_value(d).is_ok_and(|d| same(&d, v)))
    }
}

/// A value as Python's `repr` writes it; JSON as the list or dict it loads as.
fn py_repr(v: &Value) -> String {
    fn json(j: &serde_json::Value) -> String {
        match j {
            serde_json::Value::Null => "None".into(),
            serde_json::Value::Bool(true) => "True".into(),
            serde_json::Value::Bool(false) => "False".into(),
            serde_json::Value::Number(n) => n.to_string(),
            serde_json::Value::String(s) => Value::Text(s.clone()).repr(),
            serde_json::Value::Array(items) => {
                format!(
                    "[{}]",
                    items.iter().map(json).collect::<Vec<_>>().join(", ")
                )
            }
            serde_json::Value::Object(map) => format!(
                "{{{}}}",
                map.iter()
                    .map(|(k, v)| format!("{}: {}", Value::Text(k.clone()).repr(), json(v)))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }
    }
    match v {
        Value::Json(j) => json(j),
        other => other.repr(),
    }
}

/// Equal as Python compares a row's values: 1 == 1.0, a decimal with its number.
fn same(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Int(x), Value::Float(y)) | (Value::Float(y), Value::Int(x)) => *x as f64 == *y,
        (Value::Decimal(d), Value::Int(i)) | (Value::Int(i), Value::Decimal(d)) => {
            *d == rust_decimal::Decimal::from(*i)
        }
        (Value::Decimal(d), Value::Float(f)) | (Value::Float(f), Value::Decimal(d)) => {
            d.to_string().parse::<f64>().is_ok_and(|x| x == *f)
        }
        _ => a == b,
    }
}

impl IntoIterator for Row {
    type Item = Dynamic;
    type IntoIter = std::vec::IntoIter<Dynamic>;
    /// `for v in row`: its values, in order.
    fn into_iter(self) -> Self::IntoIter {
        self.tuple().into_iter()
    }
}

/// `for row in rows`: each a `Row`.
pub struct RowIter {
    set: Rc<RowSet>,
    columns: Rc<Vec<String>>,
    next: usize,
}

impl Iterator for RowIter {
    type Item = Row;
    fn next(&mut self) -> Option<Row> {
        if self.next >= self.set.rows.len() {
            return None;
        }
        self.next += 1;
        Some(Row::of(&self.set, &self.columns, self.next - 1))
    }
}

impl IntoIterator for Rows {
    type Item = Row;
    type IntoIter = RowIter;
    fn into_iter(self) -> RowIter {
        RowIter {
            columns: Rc::new(self.0.columns.clone()),
            set: self.0,
            next: 0,
        }
    }
}

impl Rows {
    /// Row `i` (negative: from the end) as a `Row`.
    fn row(&self, i: rhai::INT) -> RhaiResult<Row> {
        let len = self.0.rows.len() as rhai::INT;
        let index = if i < 0 { len + i } else { i };
        match usize::try_from(index)
            .ok()
            .filter(|&i| i < self.0.rows.len())
        {
            Some(index) => Ok(Row {
                columns: Rc::new(self.0.columns.clone()),
                values: self.0.rows[index].clone(),
            }),
            None => err(format!("row {i} is out of range for {len} rows")),
        }
    }

    /// As Python prints a list of rows: `[('amy', 2), ('bob', 1)]`.
    pub fn repr(&self) -> String {
        let columns = Rc::new(self.0.columns.clone());
        let rows: Vec<String> = (0..self.0.rows.len())
            .map(|i| Row::of(&self.0, &columns, i).repr())
            .collect();
        format!("[{}]", rows.join(", "))
    }
}

/// The first row of `set` as a `Row`, if there is one.
pub fn first_row(set: RowSet) -> Option<Row> {
    let RowSet { columns, rows } = set;
    rows.into_iter().next().map(|values| Row {
        columns: Rc::new(columns),
        values,
    })
}

pub fn register(engine: &mut Engine) {
    engine.register_type_with_name::<Row>("Row");
    engine.register_iterator::<Row>();
    for name in ["to_string", "to_debug"] {
        engine.register_fn(name, |r: &mut Row| r.repr());
    }
    engine.register_indexer_get(|r: &mut Row, i: rhai::INT| r.at(i));
    // Also `row.score`: a property with no getter falls back to this.
    engine.register_indexer_get(|r: &mut Row, name: &str| r.by_name(name));
    engine.register_get("_mapping", |r: &mut Row| r.mapping());
    engine.register_fn("_asdict", |r: &mut Row| r.mapping());
    engine.register_get("_fields", |r: &mut Row| r.fields());
    engine.register_fn("keys", |r: &mut Row| r.fields());
    engine.register_get("_t", |r: &mut Row| r.tuple());
    engine.register_fn("_tuple", |r: &mut Row| r.tuple());
    engine.register_fn("to_array", |r: &mut Row| r.tuple());
    engine.register_fn("len", |r: &mut Row| r.values.len() as rhai::INT);
    engine.register_fn("contains", |r: &mut Row, d: Dynamic| {
        to_value(&d).is_ok_and(|d| r.values.iter().any(|v| same(&d, v)))
    });
    engine.register_fn("==", |a: Row, b: Row| a.values == b.values);
    engine.register_fn("!=", |a: Row, b: Row| a.values != b.values);
    engine.register_fn("==", |a: Row, b: Array| a.equals(&b));
    engine.register_fn("!=", |a: Row, b: Array| !a.equals(&b));
    engine.register_fn("==", |a: Array, b: Row| b.equals(&a));
    engine.register_fn("!=", |a: Array, b: Row| !b.equals(&a));

    engine.register_type_with_name::<Rows>("Rows");
    engine.register_iterator::<Rows>();
    for name in ["to_string", "to_debug"] {
        engine.register_fn(name, |r: &mut Rows| r.repr());
    }
    engine.register_fn("len", |r: &mut Rows| r.0.rows.len() as rhai::INT);
    engine.register_fn("is_empty", |r: &mut Rows| r.0.rows.is_empty());
    engine.register_indexer_get(|r: &mut Rows, i: rhai::INT| r.row(i));
    engine.register_fn("keys", |r: &mut Rows| -> Array {
        r.0.columns
            .iter()
            .map(|c| Dynamic::from(c.clone()))
            .collect()
    });
    // Plain arrays of values, one per row.
    engine.register_fn("to_array", |r: &mut Rows| -> Array {
        r.0.rows
            .iter()
            .map(|row| Dynamic::from(row.iter().map(from_value_ref).collect::<Array>()))
            .collect()
    });
}
