//! The SQL constructs beside operators and functions: `case(..)` (both of
//! SQLAlchemy's forms), `literal(..)`, window functions (`.over(..)`) and
//! `nulls_first`/`nulls_last`. `case` is a word Rhai reserves; the engine
//! reads it as a plain name (`setup.rs`), so `case(..)` works as written.

use rhai::{Array, Dynamic, Engine, Map};

use super::convert::{OrRhai, RhaiResult, err, to_value};
use super::expr::SqlExpr;
use crate::sql::Expr;

/// A value or an expression as an operand: a value is bound.
fn operand(d: &Dynamic) -> RhaiResult<Expr> {
    if let Some(e) = d.clone().try_cast::<SqlExpr>() {
        return Ok(e.0);
    }
    to_value(d).map(|v| Expr::Bind(v, None)).rhai()
}

/// `case([cond, value], .., #{ else_: v })`, or SQLAlchemy's dict form
/// `case(#{ "a": 1, "b": 2 }, #{ value: User.kind, else_: 0 })`.
fn case(args: &[Dynamic]) -> RhaiResult<SqlExpr> {
    let (whens, options) = match args
        .last()
        .and_then(|a| a.read_lock::<Map>().map(|m| m.clone()))
    {
        Some(options) if args.len() > 1 || options.contains_key("else_") && args.len() == 1 => {
            (&args[..args.len() - 1], Some(options))
        }
        _ => (args, None),
    };
    let mut operand_expr = None;
    let mut else_ = None;
    if let Some(options) = &options {
        for (key, v) in options {
            match key.as_str() {
                "else_" => else_ = Some(Box::new(operand(v)?)),
                "value" => operand_expr = Some(Box::new(operand(v)?)),
                other => {
                    return err(format!("case() takes else_ and value, not `{other}`"));
                }
            }
        }
    }
    let mut pairs = Vec::new();
    for w in whens {
        if let Some(map) = w.read_lock::<Map>() {
            // The dict form: each key compared with `value`.
            if operand_expr.is_none() {
                return err("case() with a map of values needs #{ value: <expression> }");
            }
            for (k, v) in map.iter() {
                pairs.push((operand(&Dynamic::from(k.to_string()))?, operand(v)?));
            }
            continue;
        }
        let Some(pair) = w.read_lock::<Array>() else {
            return err(format!(
                "case() takes [condition, value] pairs, like case([User.id == 1, \"one\"], #{{ else_: \"other\" }}), not {}",
                super::errors::described(w)
            ));
        };
        let [when, then] = pair.as_slice() else {
            return err("case() takes [condition, value] pairs of two");
        };
        pairs.push((operand(when)?, operand(then)?));
    }
    if pairs.is_empty() {
        return err("case() needs at least one [condition, value] pair");
    }
    Ok(SqlExpr(Expr::Case {
        operand: operand_expr,
        whens: pairs,
        else_,
    }))
}

/// One expression or a list of them (`partition_by: [a, b]`).
fn expressions(d: &Dynamic, what: &str) -> RhaiResult<Vec<Expr>> {
    let items: Vec<Dynamic> = match d.read_lock::<Array>() {
        Some(a) => a.clone(),
        None => vec![d.clone()],
    };
    items
        .iter()
        .map(|i| match i.clone().try_cast::<SqlExpr>() {
            Some(e) => Ok(e.0),
            None => err(format!(
                "{what} takes columns or expressions, not {}",
                super::errors::described(i)
            )),
        })
        .collect()
}

fn over(e: &SqlExpr, options: &Map) -> RhaiResult<SqlExpr> {
    let mut partition_by = Vec::new();
    let mut order_by = Vec::new();
    for (key, v) in options {
        match key.as_str() {
            "partition_by" => partition_by = expressions(v, "over(#{ partition_by })")?,
            "order_by" => order_by = expressions(v, "over(#{ order_by })")?,
            other => {
                return err(format!(
                    "over() takes partition_by and order_by, not `{other}` (a frame, rows/range, is not supported)"
                ));
            }
        }
    }
    Ok(SqlExpr(Expr::Over {
        expr: Box::new(e.0.clone()),
        partition_by,
        order_by,
    }))
}

fn nulls(e: &SqlExpr, first: bool) -> SqlExpr {
    SqlExpr(Expr::NullsOrder {
        expr: Box::new(e.0.clone()),
        first,
    })
}

pub fn register(engine: &mut Engine) {
    engine.register_fn("case", |a: Dynamic| case(&[a]));
    engine.register_fn("case", |a: Dynamic, b: Dynamic| case(&[a, b]));
    engine.register_fn("case", |a: Dynamic, b: Dynamic, c: Dynamic| {
        case(&[a, b, c])
    });
    engine.register_fn("case", |a: Dynamic, b: Dynamic, c: Dynamic, d: Dynamic| {
        case(&[a, b, c, d])
    });
    engine.register_fn(
        "case",
        |a: Dynamic, b: Dynamic, c: Dynamic, d: Dynamic, e: Dynamic| case(&[a, b, c, d, e]),
    );
    engine.register_fn(
        "case",
        |a: Dynamic, b: Dynamic, c: Dynamic, d: Dynamic, e: Dynamic, f: Dynamic| {
            case(&[a, b, c, d, e, f])
        },
    );
    engine.register_fn("literal", |v: Dynamic| -> RhaiResult<SqlExpr> {
        Ok(SqlExpr(operand(&v)?))
    });
    engine.register_fn("over", |e: &mut SqlExpr| over(e, &Map::new()));
    engine.register_fn("over", |e: &mut SqlExpr, options: Map| over(e, &options));
    engine.register_fn("nulls_first", |e: &mut SqlExpr| nulls(e, true));
    engine.register_fn("nulls_last", |e: &mut SqlExpr| nulls(e, false));
}
