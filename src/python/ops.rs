//! Python's operators on the evaluator's values: binary ones (numbers with
//! Python's floor division and modulo, `+` and `*` on str, bytes, lists and
//! tuples, `|` on dicts, `%` formatting with `%s`, `%r`, `%d`), comparisons
//! (`==`, ordering, `in`, `is` against None/True/False), indexing, and
//! `str.format` with `{}`, `{0}`, `{name}` and `!r`/`!s`. Format specs and
//! anything past 64 bits are refused.

use super::ast::{BinOp, CmpOp};
use super::value::Value;

/// The most items or characters a `*` repetition may make.
const MAX_REPEAT: usize = 1 << 20;

fn symbol(op: BinOp) -> &'static str {
    match op {
        BinOp::Add => "+",
        BinOp::Sub => "-",
        BinOp::Mul => "*",
        BinOp::Div => "/",
        BinOp::FloorDiv => "//",
        BinOp::Mod => "%",
        BinOp::Pow => "**",
        BinOp::MatMul => "@",
        BinOp::BitOr => "|",
        BinOp::BitAnd => "&",
        BinOp::BitXor => "^",
        BinOp::LShift => "<<",
        BinOp::RShift => ">>",
    }
}

/// `l <op> r`, or why it is refused.
pub(super) fn binop(op: BinOp, l: Value, r: Value) -> Result<Value, String> {
    use Value::*;
    let mismatch = |l: &Value, r: &Value| {
        format!("`{}` between {} and {}", symbol(op), l.a_type(), r.a_type())
    };
    match (op, l, r) {
        // pathlib: `BASE_DIR / "app.db"`, `"a" / BASE_DIR` (its __rtruediv__).
        (BinOp::Div, Path(a), Str(b) | Path(b)) | (BinOp::Div, Str(a), Path(b)) => {
            Ok(Path(super::paths::join(&[&a, &b])))
        }
        (BinOp::Add, Str(a), Str(b)) => Ok(Str(a + b.as_str())),
        (BinOp::Add, Bytes(mut a), Bytes(b)) => {
            a.extend(b);
            Ok(Bytes(a))
        }
        (BinOp::Add, List(mut a), List(b)) => {
            a.extend(b);
            Ok(List(a))
        }
        (BinOp::Add, Tuple(mut a), Tuple(b)) => {
            a.extend(b);
            Ok(Tuple(a))
        }
        (BinOp::Mul, Str(s), Int(n)) | (BinOp::Mul, Int(n), Str(s)) => {
            Ok(Str(s.repeat(repeat_count(n, s.len())?)))
        }
        (BinOp::Mul, List(v), Int(n)) | (BinOp::Mul, Int(n), List(v)) => {
            Ok(List(repeat_items(&v, n)?))
        }
        (BinOp::Mul, Tuple(v), Int(n)) | (BinOp::Mul, Int(n), Tuple(v)) => {
            Ok(Tuple(repeat_items(&v, n)?))
        }
        (BinOp::Mod, Str(fmt), args) => percent_format(&fmt, &args).map(Str),
        (BinOp::BitOr, Dict(mut a), Dict(b)) => {
            for (k, v) in b {
                dict_insert(&mut a, k, v)?;
            }
            Ok(Dict(a))
        }
        (op, l, r) => match (as_int(&l), as_int(&r)) {
            (Some(a), Some(b)) => int_op(op, a, b).ok_or_else(|| int_refusal(op, b)),
            _ => match (l.as_number(), r.as_number()) {
                (Some(a), Some(b)) => float_op(op, a, b).ok_or_else(|| mismatch(&l, &r)),
                _ => Err(mismatch(&l, &r)),
            },
        },
    }
}

fn as_int(v: &Value) -> Option<i64> {
    match v {
        Value::Int(i) => Some(*i),
        Value::Bool(b) => Some(i64::from(*b)),
        _ => None,
    }
}

fn int_refusal(op: BinOp, b: i64) -> String {
    if b == 0 && matches!(op, BinOp::Div | BinOp::FloorDiv | BinOp::Mod) {
        "a division by zero".into()
    } else {
        format!(
            "`{}` on these ints (beyond 64 bits, or not defined on ints)",
            symbol(op)
        )
    }
}

fn int_op(op: BinOp, a: i64, b: i64) -> Option<Value> {
    Some(Value::Int(match op {
        BinOp::Add => a.checked_add(b)?,
        BinOp::Sub => a.checked_sub(b)?,
        BinOp::Mul => a.checked_mul(b)?,
        BinOp::Div => return (b != 0).then(|| Value::Float(a as f64 / b as f64)),
        BinOp::FloorDiv => {
            let q = a.checked_div(b)?;
            if (a % b != 0) && ((a < 0) != (b < 0)) {
                q - 1
            } else {
                q
            }
        }
        BinOp::Mod => {
            let r = a.checked_rem(b)?;
            if r != 0 && ((r < 0) != (b < 0)) {
                r + b
            } else {
                r
            }
        }
        BinOp::Pow if b < 0 => return Some(Value::Float((a as f64).powf(b as f64))),
        BinOp::Pow => a.checked_pow(u32::try_from(b).ok()?)?,
        BinOp::BitOr => a | b,
        BinOp::BitAnd => a & b,
        BinOp::BitXor => a ^ b,
        BinOp::LShift if (0..63).contains(&b) => a.checked_mul(1i64 << b)?,
        BinOp::RShift if b >= 0 => a >> b.min(63),
        BinOp::LShift | BinOp::RShift | BinOp::MatMul => return None,
    }))
}

fn float_op(op: BinOp, a: f64, b: f64) -> Option<Value> {
    let v = match op {
        BinOp::Add => a + b,
        BinOp::Sub => a - b,
        BinOp::Mul => a * b,
        BinOp::Div if b != 0.0 => a / b,
        BinOp::FloorDiv if b != 0.0 => (a / b).floor(),
        BinOp::Mod if b != 0.0 => a - b * (a / b).floor(),
        BinOp::Pow => a.powf(b),
        _ => return None,
    };
    (!v.is_nan() || a.is_nan() || b.is_nan()).then_some(Value::Float(v))
}

fn repeat_count(n: i64, unit: usize) -> Result<usize, String> {
    let n = usize::try_from(n.max(0)).unwrap_or(0);
    if n.saturating_mul(unit.max(1)) > MAX_REPEAT {
        return Err(format!("a repetition longer than {MAX_REPEAT}"));
    }
    Ok(n)
}

fn repeat_items(items: &[Value], n: i64) -> Result<Vec<Value>, String> {
    let n = repeat_count(n, items.len())?;
    let mut out = Vec::with_capacity(items.len() * n);
    for _ in 0..n {
        out.extend_from_slice(items);
    }
    Ok(out)
}

/// `'...%s...' % args`: `%s`, `%r`, `%d`/`%i` and `%%`, positional or
/// `%(name)s` from a dict; flags, widths and other conversions are refused.
fn percent_format(fmt: &str, args: &Value) -> Result<String, String> {
    let positional: Vec<Value> = match args {
        Value::Tuple(items) => items.clone(),
        Value::Dict(_) => Vec::new(),
        other => vec![other.clone()],
    };
    let mut next = positional.iter();
    let mut out = String::with_capacity(fmt.len());
    let mut chars = fmt.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        let value = if chars.peek() == Some(&'(') {
            chars.next();
            let key: String = chars.by_ref().take_while(|&c| c != ')').collect();
            Some(
                args.get(&key)
                    .ok_or_else(|| format!("`%({key})` with no such key"))?,
            )
        } else {
            None
        };
        let conv = chars.next().ok_or("a `%` at the end of the format")?;
        if conv == '%' && value.is_none() {
            out.push('%');
            continue;
        }
        let value = match value {
            Some(v) => v,
            None => next.next().ok_or("fewer arguments than `%` placeholders")?,
        };
        match conv {
            's' => out.push_str(&value.py_str()?),
            'r' => out.push_str(&value.repr()?),
            'd' | 'i' => match value {
                Value::Int(i) => out.push_str(&i.to_string()),
                Value::Bool(b) => out.push_str(&i64::from(*b).to_string()),
                Value::Float(f) if f.is_finite() => out.push_str(&format!("{}", f.trunc() as i64)),
                other => return Err(format!("`%d` of {}", other.a_type())),
            },
            other => {
                return Err(format!(
                    "the `%{other}` placeholder (only %s, %r and %d are read)"
                ));
            }
        }
    }
    if next.next().is_some() {
        return Err("more arguments than `%` placeholders".into());
    }
    Ok(out)
}

/// `'...{}...'.format(...)`: `{}`, `{0}`, `{name}`, with `!s`/`!r`; `{{`/`}}`.
pub(super) fn str_format(
    template: &str,
    args: &[Value],
    kwargs: &[(String, Value)],
) -> Result<String, String> {
    let mut out = String::with_capacity(template.len());
    let mut auto = 0usize;
    let mut chars = template.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' if chars.peek() == Some(&'{') => {
                chars.next();
                out.push('{');
            }
            '}' if chars.peek() == Some(&'}') => {
                chars.next();
                out.push('}');
            }
            '}' => return Err("a single `}` in the format string".into()),
            '{' => {
                let mut field = String::new();
                loop {
                    match chars.next() {
                        Some('}') => break,
                        Some(c) => field.push(c),
                        None => return Err("a `{` without its `}` in the format string".into()),
                    }
                }
                let (field, spec) = match field.split_once(':') {
                    Some((f, s)) => (f.to_string(), s.to_string()),
                    None => (field, String::new()),
                };
                if !spec.is_empty() {
                    return Err(format!("the format spec `:{spec}`"));
                }
                let (name, conversion) = match field.split_once('!') {
                    Some((n, c)) => (n.to_string(), Some(c.to_string())),
                    None => (field, None),
                };
                let value = if name.is_empty() {
                    auto += 1;
                    args.get(auto - 1)
                } else if let Ok(i) = name.parse::<usize>() {
                    args.get(i)
                } else if name.contains(['.', '[']) {
                    return Err(format!(
                        "the field `{{{name}}}` (only plain names are read)"
                    ));
                } else {
                    kwargs
                        .iter()
                        .rev()
                        .find(|(k, _)| *k == name)
                        .map(|(_, v)| v)
                }
                .ok_or_else(|| format!("`{{{name}}}` with no such argument"))?;
                out.push_str(&match conversion.as_deref() {
                    None | Some("s") => value.py_str()?,
                    Some("r") => value.repr()?,
                    Some(other) => return Err(format!("the conversion `!{other}`")),
                });
            }
            c => out.push(c),
        }
    }
    Ok(out)
}

/// Sets `key` in a dict's items, in place if it is there.
pub(super) fn dict_insert(
    out: &mut Vec<(Value, Value)>,
    key: Value,
    value: Value,
) -> Result<(), String> {
    for slot in out.iter_mut() {
        if slot.0.py_eq(&key)? {
            slot.1 = value;
            return Ok(());
        }
    }
    out.push((key, value));
    Ok(())
}

/// Python's index `i` (negative from the end) into a sequence of `len`.
pub(super) fn index_of(len: usize, i: i64) -> Option<usize> {
    let len = i64::try_from(len).ok()?;
    let at = if i < 0 { len + i } else { i };
    (0..len)
        .contains(&at)
        .then(|| usize::try_from(at).ok())
        .flatten()
}

/// `l <op> r` for one link of a comparison chain.
pub(super) fn compare(op: CmpOp, l: &Value, r: &Value) -> Result<bool, String> {
    use std::cmp::Ordering;
    let order = || -> Result<Ordering, String> {
        match (l, r) {
            (Value::Str(a), Value::Str(b)) => Ok(a.cmp(b)),
            _ => match (l.as_number(), r.as_number()) {
                (Some(a), Some(b)) => a
                    .partial_cmp(&b)
                    .ok_or_else(|| "a comparison with nan".to_string()),
                _ => Err(format!("`<` between {} and {}", l.a_type(), r.a_type())),
            },
        }
    };
    let contains = || -> Result<bool, String> {
        match r {
            Value::Str(hay) => match l {
                Value::Str(needle) => Ok(hay.contains(needle.as_str())),
                other => Err(format!("`in` a str of {}", other.a_type())),
            },
            Value::List(items) | Value::Tuple(items) => {
                for item in items {
                    if l.py_eq(item)? {
                        return Ok(true);
                    }
                }
                Ok(false)
            }
            Value::Dict(items) => {
                for (k, _) in items {
                    if l.py_eq(k)? {
                        return Ok(true);
                    }
                }
                Ok(false)
            }
            other => Err(format!("`in` {}", other.a_type())),
        }
    };
    let identical = || -> Result<bool, String> {
        match (l, r) {
            (Value::None, Value::None) => Ok(true),
            (Value::Bool(a), Value::Bool(b)) => Ok(a == b),
            (Value::Ref(p), _) | (_, Value::Ref(p)) => {
                Err(format!("the value of `{p}` is not known"))
            }
            (_, Value::None | Value::Bool(_)) | (Value::None | Value::Bool(_), _) => Ok(false),
            _ => Err("`is` between values other than None, True and False".into()),
        }
    };
    Ok(match op {
        CmpOp::Eq => l.py_eq(r)?,
        CmpOp::NotEq => !l.py_eq(r)?,
        CmpOp::Lt => order()? == Ordering::Less,
        CmpOp::LtE => order()? != Ordering::Greater,
        CmpOp::Gt => order()? == Ordering::Greater,
        CmpOp::GtE => order()? != Ordering::Less,
        CmpOp::In => contains()?,
        CmpOp::NotIn => !contains()?,
        CmpOp::Is => identical()?,
        CmpOp::IsNot => !identical()?,
    })
}
