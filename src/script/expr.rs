//! SQL expressions in Rhai: `User.username == "x"`, `&`, `|`, `!`,
//! `contains(..)` and friends, `func.*`, `and_`/`or_`/`not_`. Each operator
//! builds an ORM expression; a comparison that has no SQL meaning is an
//! error naming both sides, never Rhai's silent `false`.

use rhai::{Array, Dynamic, Engine};

use super::convert::{OrRhai, RhaiResult, err, to_value};
use crate::orm::query::model_query::compare;
use crate::sql::expr::escape_like;
use crate::sql::{BinaryOp, ColumnType, Expr, Value};

/// An SQL expression as Rhai holds it.
#[derive(Debug, Clone)]
pub struct SqlExpr(pub Expr);

/// The `func` namespace object.
#[derive(Debug, Clone, Copy)]
pub struct FuncNamespace;

/// The SQL functions `func.name(..)` knows by name (Rhai resolves methods at
/// compile time, so each name is registered).
const SQL_FUNCTIONS: &[&str] = &[
    "count",
    "sum",
    "avg",
    "min",
    "max",
    "lower",
    "upper",
    "length",
    "coalesce",
    "abs",
    "round",
    "trim",
    "ltrim",
    "rtrim",
    "substr",
    "substring",
    "replace",
    "now",
    "date",
    "time",
    "datetime",
    "strftime",
    "random",
    "concat",
    "nullif",
    "ifnull",
    "greatest",
    "least",
    "char_length",
    "extract",
    "date_trunc",
    "current_date",
    "current_timestamp",
    "group_concat",
    "string_agg",
    "floor",
    "ceil",
    "mod",
    "power",
    "sqrt",
    "cast",
    "json_extract",
];

/// A Rhai value as an expression operand: an expression, or a bound value
/// typed by the other side.
fn operand(d: &Dynamic) -> RhaiResult<Result<Expr, Value>> {
    if let Some(e) = d.clone().try_cast::<SqlExpr>() {
        return Ok(Ok(e.0));
    }
    to_value(d).map(Err).rhai()
}

fn binary(op: BinaryOp, left: Expr, right: &Dynamic) -> RhaiResult<SqlExpr> {
    match operand(right)? {
        Ok(r) => Ok(SqlExpr(Expr::binary(op, left, r))),
        Err(v) if op.is_comparison() => compare(op, left, v).map(SqlExpr).rhai(),
        Err(v) => {
            let mut ty = left.type_hint().cloned();
            // A float meets an integer column as a float (`pages * 1.5`).
            if matches!(v, Value::Float(_)) && ty.as_ref().is_some_and(ColumnType::is_integer) {
                ty = Some(ColumnType::Float);
            }
            let v = match &ty {
                Some(t) if !matches!(v, Value::Null) && t.is_numeric() => {
                    t.coerce(v.clone()).map_err(|e| {
                        super::convert::rhai_error(crate::Error::invalid(format!(
                            "cannot use {} with {} in {}: {e}",
                            left.describe(),
                            v.repr(),
                            op.sql().trim()
                        )))
                    })?
                }
                _ => v,
            };
            Ok(SqlExpr(Expr::binary(op, left, Expr::Bind(v, ty))))
        }
    }
}

/// `value op column`: the same with the sides swapped.
fn binary_rev(op: BinaryOp, left: &Dynamic, right: Expr) -> RhaiResult<SqlExpr> {
    let swapped = match op {
        BinaryOp::Lt => BinaryOp::Gt,
        BinaryOp::Le => BinaryOp::Ge,
        BinaryOp::Gt => BinaryOp::Lt,
        BinaryOp::Ge => BinaryOp::Le,
        other => other,
    };
    if op.is_comparison() {
        return binary(swapped, right, left);
    }
    match operand(left)? {
        Ok(l) => Ok(SqlExpr(Expr::binary(op, l, right))),
        Err(v) => {
            let ty = right.type_hint().cloned();
            Ok(SqlExpr(Expr::binary(op, Expr::Bind(v, ty), right)))
        }
    }
}

/// `is_(x)` / `is_not(x)` as SQLAlchemy compiles them: `IS NULL` for
/// `()`, `IS 1`/`IS true` (the dialect's literal) for a boolean, `IS` with
/// a bound value or an expression otherwise.
fn is(e: &SqlExpr, v: &Dynamic, negated: bool) -> RhaiResult<SqlExpr> {
    let op = if negated {
        BinaryOp::IsNot
    } else {
        BinaryOp::Is
    };
    let left = e.0.clone();
    Ok(SqlExpr(match operand(v)? {
        Ok(right) => Expr::binary(op, left, right),
        Err(Value::Null) => Expr::IsNull {
            expr: Box::new(left),
            negated,
        },
        Err(Value::Bool(b)) => Expr::binary(op, left, Expr::Bool(b)),
        Err(value) => {
            let ty = left.type_hint().cloned();
            Expr::binary(op, left, Expr::Bind(value, ty))
        }
    }))
}

fn like(e: &SqlExpr, pattern: String, case_insensitive: bool, negated: bool) -> SqlExpr {
    SqlExpr(Expr::LikeEscaped {
        expr: Box::new(e.0.clone()),
        pattern,
        case_insensitive,
        negated,
    })
}

fn raw_like(e: &SqlExpr, pattern: &Dynamic, op: BinaryOp) -> RhaiResult<SqlExpr> {
    binary(op, e.0.clone(), pattern)
}

fn list_exprs(left: &Expr, items: Array) -> RhaiResult<Vec<Expr>> {
    items
        .iter()
        .map(|d| match operand(d)? {
            Ok(e) => Ok(e),
            Err(v) => {
                let ty = left.type_hint().cloned();
                let v = match &ty {
                    Some(t) => t.coerce(v.clone()).map_err(|e| {
                        super::convert::rhai_error(crate::Error::invalid(format!(
                            "in_(): {} cannot hold {}: {e}",
                            left.describe(),
                            v.repr()
                        )))
                    })?,
                    None => v,
                };
                Ok(Expr::Bind(v, ty))
            }
        })
        .collect()
}

fn expr_list(args: &[Dynamic], what: &str) -> RhaiResult<Vec<Expr>> {
    args.iter()
        .map(|d| match d.clone().try_cast::<SqlExpr>() {
            Some(e) => Ok(e.0),
            None => err(format!(
                "{what} takes conditions such as User.id == 1, not {}",
                super::errors::described(d)
            )),
        })
        .collect()
}

fn func_call(name: &str, args: &[Dynamic]) -> RhaiResult<SqlExpr> {
    let args = args
        .iter()
        .map(|d| match operand(d)? {
            Ok(e) => Ok(e),
            Err(v) => Ok(Expr::Bind(v, None)),
        })
        .collect::<RhaiResult<Vec<Expr>>>()?;
    let args = if name == "count" && args.is_empty() {
        vec![Expr::Star]
    } else {
        args
    };
    Ok(SqlExpr(Expr::Func {
        name: name.to_string(),
        args,
    }))
}

pub fn register(engine: &mut Engine) {
    engine.register_type_with_name::<SqlExpr>("ColumnElement");
    engine.register_fn("to_string", |e: &mut SqlExpr| {
        format!("<expression {}>", e.0.describe())
    });
    engine.register_fn("to_debug", |e: &mut SqlExpr| {
        format!("<expression {}>", e.0.describe())
    });

    let ops = [
        ("==", BinaryOp::Eq),
        ("!=", BinaryOp::Ne),
        ("<", BinaryOp::Lt),
        ("<=", BinaryOp::Le),
        (">", BinaryOp::Gt),
        (">=", BinaryOp::Ge),
        ("+", BinaryOp::Add),
        ("-", BinaryOp::Sub),
        ("*", BinaryOp::Mul),
        ("/", BinaryOp::Div),
        ("%", BinaryOp::Mod),
    ];
    for (name, op) in ops {
        engine.register_fn(name, move |l: SqlExpr, r: Dynamic| binary(op, l.0, &r));
        engine.register_fn(name, move |l: Dynamic, r: SqlExpr| binary_rev(op, &l, r.0));
        engine.register_fn(name, move |l: SqlExpr, r: SqlExpr| {
            Ok::<_, Box<rhai::EvalAltResult>>(SqlExpr(Expr::binary(op, l.0, r.0)))
        });
    }
    engine.register_fn("&", |l: SqlExpr, r: SqlExpr| {
        SqlExpr(Expr::binary(BinaryOp::And, l.0, r.0))
    });
    engine.register_fn("|", |l: SqlExpr, r: SqlExpr| {
        SqlExpr(Expr::binary(BinaryOp::Or, l.0, r.0))
    });
    engine.register_fn("!", |e: SqlExpr| SqlExpr(Expr::Not(Box::new(e.0))));
    engine.register_fn("-", |e: SqlExpr| {
        SqlExpr(Expr::binary(
            BinaryOp::Sub,
            Expr::Bind(Value::Int(0), e.0.type_hint().cloned()),
            e.0,
        ))
    });

    engine.register_fn("contains", |e: &mut SqlExpr, s: &str| {
        like(e, format!("%{}%", escape_like(s)), false, false)
    });
    engine.register_fn("icontains", |e: &mut SqlExpr, s: &str| {
        like(e, format!("%{}%", escape_like(s)), true, false)
    });
    engine.register_fn("startswith", |e: &mut SqlExpr, s: &str| {
        like(e, format!("{}%", escape_like(s)), false, false)
    });
    engine.register_fn("istartswith", |e: &mut SqlExpr, s: &str| {
        like(e, format!("{}%", escape_like(s)), true, false)
    });
    engine.register_fn("endswith", |e: &mut SqlExpr, s: &str| {
        like(e, format!("%{}", escape_like(s)), false, false)
    });
    engine.register_fn("iendswith", |e: &mut SqlExpr, s: &str| {
        like(e, format!("%{}", escape_like(s)), true, false)
    });
    engine.register_fn("like", |e: &mut SqlExpr, p: Dynamic| {
        raw_like(e, &p, BinaryOp::Like)
    });
    engine.register_fn("ilike", |e: &mut SqlExpr, p: Dynamic| {
        raw_like(e, &p, BinaryOp::ILike)
    });
    engine.register_fn("not_like", |e: &mut SqlExpr, p: Dynamic| {
        raw_like(e, &p, BinaryOp::NotLike)
    });
    engine.register_fn("not_ilike", |e: &mut SqlExpr, p: Dynamic| {
        raw_like(e, &p, BinaryOp::NotILike)
    });
    engine.register_fn(
        "in_",
        |e: &mut SqlExpr, items: Array| -> RhaiResult<SqlExpr> {
            let list = list_exprs(&e.0, items)?;
            Ok(SqlExpr(Expr::InList {
                expr: Box::new(e.0.clone()),
                list,
                negated: false,
            }))
        },
    );
    engine.register_fn(
        "not_in",
        |e: &mut SqlExpr, items: Array| -> RhaiResult<SqlExpr> {
            let list = list_exprs(&e.0, items)?;
            Ok(SqlExpr(Expr::InList {
                expr: Box::new(e.0.clone()),
                list,
                negated: true,
            }))
        },
    );
    engine.register_fn("is_", |e: &mut SqlExpr, v: Dynamic| is(e, &v, false));
    engine.register_fn("is_not", |e: &mut SqlExpr, v: Dynamic| is(e, &v, true));
    engine.register_fn("isnot", |e: &mut SqlExpr, v: Dynamic| is(e, &v, true));
    engine.register_fn(
        "between",
        |e: &mut SqlExpr, a: Dynamic, b: Dynamic| -> RhaiResult<SqlExpr> {
            let bound = |d: &Dynamic| -> RhaiResult<Expr> {
                match operand(d)? {
                    Ok(x) => Ok(x),
                    Err(v) => {
                        let ty = e.0.type_hint().cloned();
                        let v = match &ty {
                            Some(t) => t.coerce(v).map_err(|er| {
                                super::convert::rhai_error(crate::Error::invalid(format!(
                                    "between(): {er}"
                                )))
                            })?,
                            None => v,
                        };
                        Ok(Expr::Bind(v, ty))
                    }
                }
            };
            Ok(SqlExpr(Expr::Between {
                expr: Box::new(e.0.clone()),
                low: Box::new(bound(&a)?),
                high: Box::new(bound(&b)?),
            }))
        },
    );
    engine.register_fn("asc", |e: &mut SqlExpr| {
        SqlExpr(Expr::Ordering {
            expr: Box::new(e.0.clone()),
            descending: false,
        })
    });
    engine.register_fn("desc", |e: &mut SqlExpr| {
        SqlExpr(Expr::Ordering {
            expr: Box::new(e.0.clone()),
            descending: true,
        })
    });
    engine.register_fn("label", |e: &mut SqlExpr, name: &str| {
        SqlExpr(Expr::Label {
            expr: Box::new(e.0.clone()),
            name: name.to_string(),
        })
    });

    // and_(a, b, ..), or_(..), not_(..): up to six conditions, or one array.
    engine.register_fn("and_", |a: Array| -> RhaiResult<SqlExpr> {
        Ok(SqlExpr(Expr::and_all(expr_list(&a, "and_()")?)))
    });
    engine.register_fn("or_", |a: Array| -> RhaiResult<SqlExpr> {
        Ok(SqlExpr(Expr::or_all(expr_list(&a, "or_()")?)))
    });
    macro_rules! variadic {
        ($name:literal, $join:path, $($arg:ident),+) => {
            engine.register_fn($name, |$($arg: SqlExpr),+| SqlExpr($join(vec![$($arg.0),+])));
        };
    }
    variadic!("and_", Expr::and_all, a);
    variadic!("and_", Expr::and_all, a, b);
    variadic!("and_", Expr::and_all, a, b, c);
    variadic!("and_", Expr::and_all, a, b, c, d);
    variadic!("and_", Expr::and_all, a, b, c, d, e);
    variadic!("and_", Expr::and_all, a, b, c, d, e, f);
    variadic!("or_", Expr::or_all, a);
    variadic!("or_", Expr::or_all, a, b);
    variadic!("or_", Expr::or_all, a, b, c);
    variadic!("or_", Expr::or_all, a, b, c, d);
    variadic!("or_", Expr::or_all, a, b, c, d, e);
    variadic!("or_", Expr::or_all, a, b, c, d, e, f);
    engine.register_fn("not_", |e: SqlExpr| SqlExpr(Expr::Not(Box::new(e.0))));

    engine.register_type_with_name::<FuncNamespace>("func");
    engine.register_fn("to_string", |_: &mut FuncNamespace| {
        "<func: SQL functions, e.g. func.count(User.id)>".to_string()
    });
    for &name in SQL_FUNCTIONS {
        engine.register_fn(name, move |_: &mut FuncNamespace| func_call(name, &[]));
        engine.register_fn(name, move |_: &mut FuncNamespace, a: Dynamic| {
            func_call(name, &[a])
        });
        engine.register_fn(
            name,
            move |_: &mut FuncNamespace, a: Dynamic, b: Dynamic| func_call(name, &[a, b]),
        );
        engine.register_fn(
            name,
            move |_: &mut FuncNamespace, a: Dynamic, b: Dynamic, c: Dynamic| {
                func_call(name, &[a, b, c])
            },
        );
    }
    // Any other function: func.call("name", [args]), or func.name(..) through
    // the missing-function hook, so every SQL function passes through by name.
    engine.register_fn("call", |_: &mut FuncNamespace, name: &str, args: Array| {
        func_call(name, &args)
    });
}

/// `func.name(..)` for a name no function is registered under: the
/// missing-function hook's first resort (set up with the other resorts in `mod.rs`).
pub(super) fn missing_sql_function(
    name: &str,
    args: &[&mut Dynamic],
    is_method_call: bool,
) -> Result<Option<Dynamic>, Box<rhai::EvalAltResult>> {
    if !is_method_call || args.first().is_none_or(|a| !a.is::<FuncNamespace>()) {
        return Ok(None);
    }
    let rest: Vec<Dynamic> = args[1..].iter().map(|a| (**a).clone()).collect();
    func_call(name, &rest).map(|e| Some(Dynamic::from(e)))
}
