//! The calls the evaluator runs, each the same as Python's for the values it
//! takes: `os.environ.get`, `os.getenv`, `os.getcwd`, `os.path.join`,
//! `abspath`, `dirname`, `basename`, `normpath`, `expanduser`; the builtins
//! `str`, `int`, `float`, `bool`, `len`, `list`, `tuple`, `dict`; and the
//! methods of str (`lower`, `upper`, `strip`s, `replace`, `startswith`,
//! `endswith`, `split`, `join`, `format`) and of dict (`get`). Any other call
//! is refused, naming what it calls.

use super::ast::*;
use super::error::PyError;
use super::eval::{Env, attribute};
use super::ops::str_format;
use super::paths::{dirname, join, normpath, normpath_keep_relative};
use super::refusal::refuse;
use super::value::Value;

type Kwargs = Vec<(String, Value)>;

impl Env {
    pub(super) fn eval_call(
        &self,
        module: &Module,
        expr: &Expr,
        call: &Call,
    ) -> Result<Value, PyError> {
        let err = |why: &str| refuse(module, expr.span, why);
        // What is called: a function by its dotted path, or a method of a value.
        let callee = match &call.func.kind {
            ExprKind::Attribute { value, attr } => match self.eval(module, value)? {
                receiver @ (Value::Ref(_) | Value::Class(_)) => {
                    attribute(receiver, attr).map_err(|w| err(&w))??
                }
                Value::Path(p) => {
                    let (args, kwargs) = self.eval_args(module, expr, call)?;
                    return self
                        .path_method(&p, attr, args, kwargs)
                        .map_err(|w| err(&w));
                }
                receiver => {
                    let (args, kwargs) = self.eval_args(module, expr, call)?;
                    return method(&receiver, attr, args, kwargs).map_err(|w| err(&w));
                }
            },
            _ => self.eval(module, &call.func)?,
        };
        let path = match callee {
            Value::Ref(path) => path,
            other => return Err(err(&format!("it calls {}", other.a_type()))),
        };
        if !KNOWN.contains(&path.as_str()) {
            return Err(err(&format!(
                "it calls `{path}`, which the reader does not run"
            )));
        }
        let (args, kwargs) = self.eval_args(module, expr, call)?;
        self.call_known(&path, args, kwargs).map_err(|w| err(&w))
    }

    fn eval_args(
        &self,
        module: &Module,
        expr: &Expr,
        call: &Call,
    ) -> Result<(Vec<Value>, Kwargs), PyError> {
        let args = self.eval_items(module, &call.args)?;
        let mut kwargs = Vec::new();
        for k in &call.keywords {
            let value = self.eval(module, &k.value)?;
            match (&k.name, value) {
                (Some(name), value) => kwargs.push((name.clone(), value)),
                (None, Value::Dict(items)) => {
                    for (key, v) in items {
                        match key {
                            Value::Str(name) => kwargs.push((name, v)),
                            other => {
                                return Err(refuse(
                                    module,
                                    expr.span,
                                    &format!("`**` of a dict with {} key", other.a_type()),
                                ));
                            }
                        }
                    }
                }
                (None, other) => {
                    return Err(refuse(
                        module,
                        expr.span,
                        &format!("`**` of {}", other.a_type()),
                    ));
                }
            }
        }
        Ok((args, kwargs))
    }

    fn call_known(&self, path: &str, args: Vec<Value>, kwargs: Kwargs) -> Result<Value, String> {
        if !kwargs.is_empty() && !matches!(path, "dict" | "os.environ.get" | "os.getenv") {
            return Err(format!("`{path}` with keyword arguments"));
        }
        match path {
            "os.environ.get" | "os.getenv" => {
                let mut args = args;
                for (name, v) in kwargs {
                    match name.as_str() {
                        "default" if args.len() == 1 => args.push(v),
                        "key" if args.is_empty() => args.push(v),
                        _ => return Err(format!("`{path}` with the argument `{name}`")),
                    }
                }
                let [key, default] = arity::<2>(path, args, 1)?;
                let key = want_str(path, &key)?;
                Ok(match self.environ().get(key) {
                    Some(v) => Value::Str(v.clone()),
                    None => default,
                })
            }
            "os.getcwd" => {
                arity::<0>(path, args, 0)?;
                self.cwd()
                    .map(|c| Value::Str(c.to_string()))
                    .ok_or_else(|| "the working folder is not known here".to_string())
            }
            "pathlib.Path" | "pathlib.PurePath" | "pathlib.PosixPath" => {
                let parts = args
                    .iter()
                    .map(|a| want_str(path, a))
                    .collect::<Result<Vec<_>, _>>()?;
                Ok(Value::Path(if parts.is_empty() {
                    ".".to_string()
                } else {
                    normpath_keep_relative(&join(&parts))
                }))
            }
            "os.path.join" => {
                let parts = args
                    .iter()
                    .map(|a| want_str(path, a))
                    .collect::<Result<Vec<_>, _>>()?;
                if parts.is_empty() {
                    return Err("`os.path.join` with no arguments".into());
                }
                Ok(Value::Str(join(&parts)))
            }
            "os.path.abspath" => {
                let [p] = arity::<1>(path, args, 1)?;
                let p = want_str(path, &p)?;
                if p.starts_with('/') {
                    Ok(Value::Str(normpath(p)))
                } else {
                    let cwd = self.cwd().ok_or_else(|| {
                        format!("`{p}` is relative and the working folder is not known here")
                    })?;
                    Ok(Value::Str(normpath(&join(&[cwd, p]))))
                }
            }
            "os.path.dirname" | "os.path.basename" | "os.path.normpath" => {
                let [p] = arity::<1>(path, args, 1)?;
                let p = want_str(path, &p)?;
                Ok(Value::Str(match path {
                    "os.path.dirname" => dirname(p),
                    "os.path.basename" => p[p.rfind('/').map_or(0, |i| i + 1)..].to_string(),
                    _ => normpath(p),
                }))
            }
            "os.path.expanduser" => {
                let [p] = arity::<1>(path, args, 1)?;
                let p = want_str(path, &p)?;
                if p == "~" || p.starts_with("~/") {
                    let home = self
                        .environ()
                        .get("HOME")
                        .ok_or("`~` with HOME not set in the environment")?;
                    Ok(Value::Str(format!("{home}{}", &p[1..])))
                } else if p.starts_with('~') {
                    Err("`~user`, whose home folder is not known here".into())
                } else {
                    Ok(Value::Str(p.to_string()))
                }
            }
            _ => builtin(path, args, kwargs),
        }
    }
}

/// The dotted paths of the functions the evaluator runs.
const KNOWN: &[&str] = &[
    "os.environ.get",
    "os.getenv",
    "os.getcwd",
    "os.path.join",
    "os.path.abspath",
    "os.path.dirname",
    "os.path.basename",
    "os.path.normpath",
    "os.path.expanduser",
    "pathlib.Path",
    "pathlib.PurePath",
    "pathlib.PosixPath",
    "str",
    "int",
    "float",
    "bool",
    "len",
    "list",
    "tuple",
    "dict",
];

/// Python's builtins among [`KNOWN`].
fn builtin(path: &str, args: Vec<Value>, kwargs: Kwargs) -> Result<Value, String> {
    match path {
        "dict" => {
            let mut out: Vec<(Value, Value)> = match arity::<1>(path, args, 0)? {
                [Value::None] => Vec::new(),
                [Value::Dict(items)] => items,
                [other] => return Err(format!("`dict` of {}", other.a_type())),
            };
            for (k, v) in kwargs {
                out.retain(|(key, _)| key.as_str() != Some(&k));
                out.push((Value::Str(k), v));
            }
            Ok(Value::Dict(out))
        }
        "list" | "tuple" => {
            let items = match arity::<1>(path, args, 0)? {
                [Value::None] => Vec::new(),
                [Value::List(v) | Value::Tuple(v)] => v,
                [Value::Str(s)] => s.chars().map(|c| Value::Str(c.to_string())).collect(),
                [Value::Dict(d)] => d.into_iter().map(|(k, _)| k).collect(),
                [other] => return Err(format!("`{path}` of {}", other.a_type())),
            };
            Ok(if path == "list" {
                Value::List(items)
            } else {
                Value::Tuple(items)
            })
        }
        _ => {
            let [v] = arity::<1>(path, args, 1)?;
            match path {
                "str" => v.py_str().map(Value::Str),
                "bool" => v.truthy().map(Value::Bool),
                "len" => match &v {
                    Value::Str(s) => Ok(s.chars().count()),
                    Value::Bytes(b) => Ok(b.len()),
                    Value::List(items) | Value::Tuple(items) => Ok(items.len()),
                    Value::Dict(items) => Ok(items.len()),
                    other => Err(format!("`len` of {}", other.a_type())),
                }
                .map(|n| Value::Int(i64::try_from(n).unwrap_or(i64::MAX))),
                "int" => match v {
                    Value::Int(i) => Ok(Value::Int(i)),
                    Value::Bool(b) => Ok(Value::Int(i64::from(b))),
                    Value::Float(f) if f.is_finite() && f.abs() < 9.2e18 => {
                        Ok(Value::Int(f.trunc() as i64))
                    }
                    Value::Str(s) => s
                        .trim()
                        .replace('_', "")
                        .parse::<i64>()
                        .map(Value::Int)
                        .map_err(|_| {
                            format!(
                                "`int` of {}, not a whole number",
                                Value::Str(s).repr().unwrap_or_default()
                            )
                        }),
                    other => Err(format!("`int` of {}", other.a_type())),
                },
                _ => match v {
                    Value::Float(f) => Ok(Value::Float(f)),
                    Value::Int(i) => Ok(Value::Float(i as f64)),
                    Value::Bool(b) => Ok(Value::Float(f64::from(u8::from(b)))),
                    Value::Str(s) => s.trim().parse::<f64>().map(Value::Float).map_err(|_| {
                        format!(
                            "`float` of {}, not a number",
                            Value::Str(s).repr().unwrap_or_default()
                        )
                    }),
                    other => Err(format!("`float` of {}", other.a_type())),
                },
            }
        }
    }
}

/// A method of a str or a dict.
fn method(receiver: &Value, name: &str, args: Vec<Value>, kwargs: Kwargs) -> Result<Value, String> {
    let what = format!("{}.{name}", receiver.type_name());
    if let Value::Dict(_) = receiver {
        if name != "get" || !kwargs.is_empty() {
            return Err(format!("`{what}`, which the reader does not run"));
        }
        let [key, default] = arity::<2>(&what, args, 1)?;
        let Value::Dict(items) = receiver else {
            return Err(format!("`{what}` of something else than a dict"));
        };
        for (k, v) in items.iter().rev() {
            if k.py_eq(&key)? {
                return Ok(v.clone());
            }
        }
        return Ok(default);
    }
    let Value::Str(s) = receiver else {
        return Err(format!("`{what}`, which the reader does not run"));
    };
    if name == "format" {
        return str_format(s, &args, &kwargs).map(Value::Str);
    }
    if !kwargs.is_empty() {
        return Err(format!("`{what}` with keyword arguments"));
    }
    match name {
        "lower" | "upper" | "title" | "capitalize" => {
            arity::<0>(&what, args, 0)?;
            Ok(Value::Str(match name {
                "lower" => s.to_lowercase(),
                "upper" => s.to_uppercase(),
                "title" => title(s),
                _ => {
                    let mut chars = s.chars();
                    match chars.next() {
                        Some(first) => first
                            .to_uppercase()
                            .chain(chars.flat_map(char::to_lowercase))
                            .collect(),
                        None => String::new(),
                    }
                }
            }))
        }
        "strip" | "lstrip" | "rstrip" => {
            let [chars] = arity::<1>(&what, args, 0)?;
            let set: Option<Vec<char>> = match &chars {
                Value::None => None,
                other => Some(want_str(&what, other)?.chars().collect()),
            };
            let pred = |c: char| {
                set.as_ref()
                    .map_or(c.is_whitespace(), |set| set.contains(&c))
            };
            Ok(Value::Str(
                match name {
                    "strip" => s.trim_matches(pred),
                    "lstrip" => s.trim_start_matches(pred),
                    _ => s.trim_end_matches(pred),
                }
                .to_string(),
            ))
        }
        "replace" => {
            let [old, new, count] = arity::<3>(&what, args, 2)?;
            let (old, new) = (want_str(&what, &old)?, want_str(&what, &new)?);
            Ok(Value::Str(match count {
                Value::None => s.replace(old, new),
                Value::Int(n) if n < 0 => s.replace(old, new),
                Value::Int(n) => s.replacen(old, new, usize::try_from(n).unwrap_or(usize::MAX)),
                other => return Err(format!("`{what}` with {} count", other.a_type())),
            }))
        }
        "startswith" | "endswith" => {
            let [affix] = arity::<1>(&what, args, 1)?;
            let affixes = match &affix {
                Value::Tuple(items) => items
                    .iter()
                    .map(|i| want_str(&what, i))
                    .collect::<Result<Vec<_>, _>>()?,
                other => vec![want_str(&what, other)?],
            };
            Ok(Value::Bool(affixes.iter().any(|a| {
                if name == "startswith" {
                    s.starts_with(a)
                } else {
                    s.ends_with(a)
                }
            })))
        }
        "split" => {
            let [sep, max] = arity::<2>(&what, args, 0)?;
            let max = match max {
                Value::None => None,
                Value::Int(n) if n < 0 => None,
                Value::Int(n) => Some(usize::try_from(n).unwrap_or(usize::MAX)),
                other => return Err(format!("`{what}` with {} maxsplit", other.a_type())),
            };
            let sep = match &sep {
                Value::None => None,
                other => Some(want_str(&what, other)?),
            };
            let parts: Vec<String> = match (sep, max) {
                (Some(""), _) => return Err("`str.split` with an empty separator".into()),
                (Some(sep), None) => s.split(sep).map(str::to_string).collect(),
                (Some(sep), Some(n)) => s
                    .splitn(n.saturating_add(1), sep)
                    .map(str::to_string)
                    .collect(),
                (None, None) => s.split_whitespace().map(str::to_string).collect(),
                (None, Some(_)) => return Err("`str.split` on whitespace with a maxsplit".into()),
            };
            Ok(Value::List(parts.into_iter().map(Value::Str).collect()))
        }
        "join" => {
            let [items] = arity::<1>(&what, args, 1)?;
            let items = match items {
                Value::List(v) | Value::Tuple(v) => v,
                other => return Err(format!("`{what}` of {}", other.a_type())),
            };
            let parts = items
                .iter()
                .map(|i| want_str(&what, i))
                .collect::<Result<Vec<_>, _>>()?;
            Ok(Value::Str(parts.join(s)))
        }
        _ => Err(format!("`{what}`, which the reader does not run")),
    }
}

fn title(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut prev_cased = false;
    for c in s.chars() {
        if prev_cased {
            out.extend(c.to_lowercase());
        } else {
            out.extend(c.to_uppercase());
        }
        prev_cased = c.is_alphabetic();
    }
    out
}

/// The arguments of a call that takes `N` at most and `min` at least, the
/// missing ones `None`.
fn arity<const N: usize>(what: &str, args: Vec<Value>, min: usize) -> Result<[Value; N], String> {
    if args.len() < min || args.len() > N {
        return Err(if min == N {
            format!("`{what}` takes {N} argument(s), not {}", args.len())
        } else {
            format!("`{what}` takes {min} to {N} arguments, not {}", args.len())
        });
    }
    let mut out: [Value; N] = std::array::from_fn(|_| Value::None);
    for (slot, a) in out.iter_mut().zip(args) {
        *slot = a;
    }
    Ok(out)
}

/// A str, or a path (`os.fspath`).
fn want_str<'v>(what: &str, v: &'v Value) -> Result<&'v str, String> {
    match v {
        Value::Str(s) | Value::Path(s) => Ok(s),
        _ => Err(format!("`{what}` of {}, not a str", v.a_type())),
    }
}

impl Env {
    /// A path's methods: `resolve()`, `absolute()`, `joinpath(..)`,
    /// `expanduser()`, `as_posix()`.
    fn path_method(
        &self,
        p: &str,
        name: &str,
        args: Vec<Value>,
        kwargs: Kwargs,
    ) -> Result<Value, String> {
        if !kwargs.is_empty() {
            return Err(format!("`PosixPath.{name}` with keyword arguments"));
        }
        match name {
            "resolve" | "absolute" => {
                arity::<0>(name, args, 0)?;
                let abs = self.call_known(
                    "os.path.abspath",
                    vec![Value::Str(p.to_string())],
                    Vec::new(),
                )?;
                Ok(Value::Path(abs.py_str()?))
            }
            "joinpath" => {
                let mut parts = vec![p];
                for a in &args {
                    parts.push(want_str(name, a)?);
                }
                Ok(Value::Path(join(&parts)))
            }
            "expanduser" => {
                arity::<0>(name, args, 0)?;
                let v = self.call_known(
                    "os.path.expanduser",
                    vec![Value::Str(p.to_string())],
                    Vec::new(),
                )?;
                Ok(Value::Path(v.py_str()?))
            }
            "as_posix" | "__str__" => {
                arity::<0>(name, args, 0)?;
                Ok(Value::Str(p.to_string()))
            }
            _ => Err(format!("`PosixPath.{name}`, which the reader does not run")),
        }
    }
}
