//! `op.bulk_insert(t, [{..}, ..])`: the lightweight `sa.table('t',
//! sa.column('c', type), ..)` it names (written in the call, or bound to a name
//! in the revision) and its rows, dicts of literals written out.

use std::collections::HashMap;

use super::items::{Read, column_type, literal, refuse, string};
use super::op::OpKind;
use crate::python::{Expr, ExprKind, Module};
use crate::sql::ColumnType;

/// `op.bulk_insert(t, [{'id': 1, ..}, ..])` with `t = sa.table('t',
/// sa.column('id', sa.Integer), ..)`.
pub fn bulk_insert(
    m: &Module,
    locals: &HashMap<String, Expr>,
    t: &Expr,
    rows: &Expr,
) -> Read<OpKind> {
    let table_expr = match &t.kind {
        ExprKind::Name(n) => match locals.get(n) {
            Some(v) => v,
            None => return refuse(m, t, "a name this revision does not bind"),
        },
        _ => t,
    };
    let Some(tc) = table_expr.as_call().filter(|c| {
        c.func
            .dotted()
            .is_some_and(|d| d == "sa.table" || d == "table" || d == "sa.sql.table")
    }) else {
        return refuse(
            m,
            table_expr,
            "bulk_insert's table must be sa.table('name', sa.column(..), ..)",
        );
    };
    let Some((first, cols)) = tc.args.split_first() else {
        return refuse(m, table_expr, "needs the table's name");
    };
    let table = string(m, first)?;
    let mut columns = Vec::new();
    for col in cols {
        let Some(cc) = col.as_call().filter(|c| {
            c.func
                .dotted()
                .is_some_and(|d| d == "sa.column" || d == "column")
        }) else {
            return refuse(m, col, "expected sa.column('name', type)");
        };
        let name = match cc.args.first() {
            Some(a) => string(m, a)?,
            None => return refuse(m, col, "needs the column's name"),
        };
        let ty = match cc.args.get(1) {
            Some(a) => column_type(m, a)?,
            None => ColumnType::Text,
        };
        columns.push((name, ty));
    }
    let ExprKind::List(items) = &rows.kind else {
        return refuse(m, rows, "the rows must be a list of dicts written out");
    };
    let mut out = Vec::new();
    for item in items {
        let ExprKind::Dict(pairs) = &item.kind else {
            return refuse(m, item, "each row must be a dict written out");
        };
        let mut row = Vec::new();
        for p in pairs {
            let Some(k) = &p.key else {
                return refuse(m, item, "`**` in a row cannot be read");
            };
            let key = string(m, k)?;
            if !columns.iter().any(|(n, _)| *n == key) {
                return refuse(m, k, "not a column of the sa.table(..)");
            }
            row.push((key, literal(m, &p.value)?));
        }
        out.push(row);
    }
    Ok(OpKind::BulkInsert {
        table,
        columns,
        rows: out,
    })
}
