//! A Python model's `column_property(<expression>)`, evaluated statically
//! into the SQL expression SQLAlchemy builds from it, where it is made of
//! the class's columns, other models' columns, literals, `+ - * & | ~`,
//! comparisons (`== None` as `IS NULL`), `func.<name>(..)` and
//! `select(..).where(..)[.correlate_except(..)].scalar_subquery()`. What
//! else it holds stays Python's: the attribute is listed as defined in
//! Python, never given a guessed value.

use crate::orm::mapping::model::{Mapper, Registry, column_of};
use crate::python::{BinOp, CmpOp, Env, Expr as Py, ExprKind, UnaryOp, Value as PyValue};
use crate::sql::statement::{Select, TableRef};
use crate::sql::{BinaryOp, Expr, Value};

/// A `column_property(..)` of a model, read but not yet evaluated (the
/// models it names exist once the registry is built).
#[derive(Debug, Clone)]
pub struct PendingProperty {
    pub model: String,
    pub name: String,
    pub expr: Py,
}

/// What a part of the expression stands for.
enum Part {
    Sql(Expr),
    Model(usize),
    /// `select(..)` and its chain so far.
    Select(Vec<Expr>, Vec<Expr>),
    /// `func.<name>`, before its call.
    Func(String),
}

/// The SQL expression of `property` over `registry`, or why it is not one.
pub fn evaluate(registry: &Registry, property: &PendingProperty) -> Result<Expr, String> {
    let model = registry
        .get(&property.model)
        .ok_or_else(|| format!("{} is not loaded", property.model))?;
    let cx = Cx {
        registry,
        model,
        this: None,
        env: None,
    };
    match part(&cx, &property.expr)? {
        Part::Sql(e) => Ok(e),
        _ => Err("it is not an SQL expression".into()),
    }
}

/// The SQL expression a method of `model` returns (`value`, a hybrid
/// property's), `this` naming its first parameter, or why it is not one.
pub(super) fn of_method(
    registry: &Registry,
    model: &Mapper,
    (this, env): (&str, &Env),
    value: &Py,
) -> Result<Expr, String> {
    let cx = Cx {
        registry,
        model,
        this: Some(this),
        env: Some(env),
    };
    sql(&cx, value)
}

/// What the expression is read against: the model, and in a method the
/// name of its first parameter.
struct Cx<'a> {
    registry: &'a Registry,
    model: &'a Mapper,
    this: Option<&'a str>,
    /// The method's module, whose constants it may use.
    env: Option<&'a Env>,
}

fn sql(cx: &Cx, e: &Py) -> Result<Expr, String> {
    match part(cx, e)? {
        Part::Sql(e) => Ok(e),
        _ => Err("a part of it is not an SQL expression".into()),
    }
}

fn column(mapper: &Mapper, name: &str) -> Result<Expr, String> {
    match mapper.column_index(name) {
        Some(i) if !mapper.columns[i].is_computed() => Ok(column_of(mapper, i)),
        _ => Err(format!("`{name}` is not a column of {}", mapper.name)),
    }
}

fn part(cx: &Cx, e: &Py) -> Result<Part, String> {
    let (registry, model) = (cx.registry, cx.model);
    Ok(match &e.kind {
        ExprKind::Name(n) if n == "func" => Part::Func(String::new()),
        // In a method, its first parameter is the class (`self`, `cls`),
        // and other bare names are the module's, not columns.
        ExprKind::Name(n) if cx.this == Some(n.as_str()) => Part::Model(model.index),
        ExprKind::Name(n) if cx.this.is_some() => match registry.get(n) {
            Some(m) => Part::Model(m.index),
            // A module-level constant is a bound value, as SQLAlchemy
            // binds a Python value.
            None => match cx.env.and_then(|env| env.value(n)) {
                Some(Ok(PyValue::Int(i))) => Part::Sql(Expr::Bind(Value::Int(i), None)),
                Some(Ok(PyValue::Float(f))) => Part::Sql(Expr::Bind(Value::Float(f), None)),
                Some(Ok(PyValue::Str(s))) => Part::Sql(Expr::Bind(Value::Text(s), None)),
                Some(Ok(PyValue::Bool(b))) => Part::Sql(Expr::Bind(Value::Bool(b), None)),
                _ => return Err(format!("`{n}` is Python's")),
            },
        },
        ExprKind::BoolOp { .. } => {
            return Err("`and`/`or` of SQL expressions raises TypeError in SQLAlchemy (use `&`/`|`, or give it an `.expression`)".into());
        }
        ExprKind::Name(n) => match registry.get(n) {
            Some(m) if model.column_index(n).is_none() => Part::Model(m.index),
            _ => Part::Sql(column(model, n)?),
        },
        ExprKind::Str(s) if !s.bytes => Part::Sql(Expr::Bind(
            Value::Text(s.literal().ok_or("an f-string is Python's")?),
            None,
        )),
        ExprKind::Int(i) => Part::Sql(Expr::Bind(Value::Int(*i), None)),
        ExprKind::Float(f) => Part::Sql(Expr::Bind(Value::Float(*f), None)),
        ExprKind::Unary {
            op: UnaryOp::Invert,
            operand,
        } => Part::Sql(Expr::Not(Box::new(sql(cx, operand)?))),
        ExprKind::Attribute { value, attr } => match &value.kind {
            // `db.func`, `sa.func`, `sqlalchemy.func`.
            _ if attr == "func" => Part::Func(String::new()),
            _ => match part(cx, value)? {
                Part::Func(_) => Part::Func(attr.clone()),
                Part::Model(m) => Part::Sql(column(registry.mapper(m), attr)?),
                _ => return Err(format!("`.{attr}` is Python's")),
            },
        },
        ExprKind::BinOp { op, left, right } => {
            let op = match op {
                BinOp::Add => BinaryOp::Add,
                BinOp::Sub => BinaryOp::Sub,
                BinOp::Mul => BinaryOp::Mul,
                // SQLAlchemy's `&` and `|` of SQL expressions: `and_`, `or_`.
                BinOp::BitAnd => BinaryOp::And,
                BinOp::BitOr => BinaryOp::Or,
                _ => return Err("only + - * & | are read".into()),
            };
            Part::Sql(Expr::Binary {
                op,
                left: Box::new(sql(cx, left)?),
                right: Box::new(sql(cx, right)?),
            })
        }
        // `x == None`: SQLAlchemy writes `IS NULL`.
        ExprKind::Compare { left, ops }
            if ops.len() == 1
                && matches!(ops[0].0, CmpOp::Eq | CmpOp::NotEq)
                && matches!(ops[0].1.kind, ExprKind::None) =>
        {
            Part::Sql(Expr::IsNull {
                expr: Box::new(sql(cx, left)?),
                negated: ops[0].0 == CmpOp::NotEq,
            })
        }
        ExprKind::Compare { left, ops } if ops.len() == 1 => {
            let op = match ops[0].0 {
                CmpOp::Eq => BinaryOp::Eq,
                CmpOp::NotEq => BinaryOp::Ne,
                CmpOp::Lt => BinaryOp::Lt,
                CmpOp::LtE => BinaryOp::Le,
                CmpOp::Gt => BinaryOp::Gt,
                CmpOp::GtE => BinaryOp::Ge,
                _ => return Err("only == != < <= > >= are read".into()),
            };
            Part::Sql(Expr::Binary {
                op,
                left: Box::new(sql(cx, left)?),
                right: Box::new(sql(cx, &ops[0].1)?),
            })
        }
        ExprKind::Call(call) if call.keywords.is_empty() => {
            let args =
                || -> Result<Vec<Expr>, String> { call.args.iter().map(|a| sql(cx, a)).collect() };
            let is_select = call
                .func
                .dotted()
                .is_some_and(|d| d == "select" || d.ends_with(".select"));
            if is_select {
                return Ok(Part::Select(args()?, Vec::new()));
            }
            // A method of a select: `.where(..)`, `.correlate_except(..)`,
            // `.scalar_subquery()`.
            if let ExprKind::Attribute { value, attr } = &call.func.kind
                && let Part::Select(columns, mut filters) = part(cx, value)?
            {
                return match attr.as_str() {
                    "where" | "filter" => {
                        filters.extend(args()?);
                        Ok(Part::Select(columns, filters))
                    }
                    // ormsh correlates the model's table and reads the
                    // other from the subquery's FROM, which is what this
                    // says unless it names the model itself.
                    "correlate_except" => {
                        for a in &call.args {
                            match part(cx, a)? {
                                Part::Model(m) if m != model.index => {}
                                _ => {
                                    return Err(
                                        "correlate_except(..) of the model itself is not read"
                                            .into(),
                                    );
                                }
                            }
                        }
                        Ok(Part::Select(columns, filters))
                    }
                    "scalar_subquery" if call.args.is_empty() => {
                        Ok(Part::Sql(subquery(model, columns, filters)?))
                    }
                    other => Err(format!("`.{other}(..)` of a select is not read")),
                };
            }
            match part(cx, &call.func)? {
                Part::Func(name) if !name.is_empty() => Part::Sql(Expr::Func {
                    name,
                    args: args()?,
                }),
                _ => return Err("a call that is Python's".into()),
            }
        }
        _ => return Err("a part of it is Python's".into()),
    })
}

/// `(SELECT columns FROM t WHERE ..)`: the one table it reads besides the
/// model's, which the enclosing query gives (correlation).
fn subquery(model: &Mapper, columns: Vec<Expr>, filters: Vec<Expr>) -> Result<Expr, String> {
    let mut tables = Vec::new();
    for e in columns.iter().chain(&filters) {
        tables_in(e, &mut tables);
    }
    tables.retain(|t| *t != model.table);
    let [table] = tables.as_slice() else {
        return Err("a subquery that reads one other table is read, not this one".into());
    };
    Ok(Expr::Subquery(Box::new(Select {
        columns,
        from: Some(TableRef::new(table)),
        filter: (!filters.is_empty()).then(|| Expr::and_all(filters)),
        ..Select::default()
    })))
}

fn tables_in(e: &Expr, out: &mut Vec<String>) {
    match e {
        Expr::Column(c) if !out.contains(&c.table) => out.push(c.table.clone()),
        Expr::Binary { left, right, .. } => {
            tables_in(left, out);
            tables_in(right, out);
        }
        Expr::Func { args, .. } => args.iter().for_each(|a| tables_in(a, out)),
        _ => {}
    }
}
