//! The values the evaluator gives: Python's literals and containers, a class
//! read from its body ([`Class`]), and `Ref`, the dotted name of something the
//! reader does not know the value of (`db.Integer`, an imported module). Also
//! Python's meanings for them: truth, equality, `str()` and `repr()`.

use std::fmt::Write as _;
use std::sync::Arc;

use super::error::PyError;

/// What a name is bound to: its value, or the refusal met when its assignment
/// was evaluated (given back when, and only when, the name is used).
pub type Binding = Result<Value, PyError>;

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    None,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Bytes(Vec<u8>),
    List(Vec<Value>),
    Tuple(Vec<Value>),
    /// In insertion order, as Python keeps it.
    Dict(Vec<(Value, Value)>),
    /// A name the reader does not know the value of, by its dotted path
    /// (`db.Integer`, `os.environ`, `sqlalchemy.orm`): a caller that needs a
    /// concrete value refuses it.
    Ref(String),
    Class(Arc<Class>),
    /// A `pathlib.Path` (POSIX), by its text.
    Path(String),
}

/// A class read from its body: its bases as values, and every name its body
/// binds, in order, each with its value or its refusal.
#[derive(Debug, Clone, PartialEq)]
pub struct Class {
    pub name: String,
    pub bases: Vec<Value>,
    pub attrs: Vec<(String, Binding)>,
    pub file: String,
    pub line: usize,
}

impl Class {
    /// The attribute as Python finds it: in the class, then in its bases
    /// (depth first, left to right; the same as Python's order for single
    /// inheritance). `None` when no class read here has it.
    pub fn attr(&self, name: &str) -> Option<&Binding> {
        if let Some((_, b)) = self.attrs.iter().rev().find(|(n, _)| n == name) {
            return Some(b);
        }
        self.bases.iter().find_map(|base| match base {
            Value::Class(c) => c.attr(name),
            _ => None,
        })
    }

    /// Whether a base is something the reader could not read (other than
    /// `object`), which may hold attributes the reader cannot see.
    pub fn has_unknown_base(&self) -> bool {
        self.bases.iter().any(|base| match base {
            Value::Class(c) => c.has_unknown_base(),
            Value::Ref(path) => path != "object",
            _ => true,
        })
    }

    /// Every attribute the class has, inherited ones included, each once with
    /// the value it has on this class: bases' names first, then its own, as
    /// `dir()` would give them to `app.config.from_object`.
    pub fn all_attrs(&self) -> Vec<(String, Binding)> {
        let mut out: Vec<(String, Binding)> = Vec::new();
        for base in self.bases.iter().rev() {
            if let Value::Class(c) = base {
                for (name, b) in c.all_attrs() {
                    upsert(&mut out, name, b);
                }
            }
        }
        for (name, b) in &self.attrs {
            upsert(&mut out, name.clone(), b.clone());
        }
        out
    }
}

fn upsert(out: &mut Vec<(String, Binding)>, name: String, b: Binding) {
    match out.iter_mut().find(|(n, _)| *n == name) {
        Some(slot) => slot.1 = b,
        None => out.push((name, b)),
    }
}

impl Value {
    /// Python's name for the value's type, for messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::None => "None",
            Value::Bool(_) => "bool",
            Value::Int(_) => "int",
            Value::Float(_) => "float",
            Value::Str(_) => "str",
            Value::Bytes(_) => "bytes",
            Value::List(_) => "list",
            Value::Tuple(_) => "tuple",
            Value::Dict(_) => "dict",
            Value::Ref(_) => "name whose value is not known",
            Value::Class(_) => "class",
            Value::Path(_) => "PosixPath",
        }
    }

    /// The type with its article, for messages: `an int`, `a str`, `None`.
    pub fn a_type(&self) -> String {
        match self {
            Value::None => "None".into(),
            Value::Int(_) => "an int".into(),
            other => format!("a {}", other.type_name()),
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The value under `key` of a dict.
    pub fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Dict(items) => items
                .iter()
                .rev()
                .find(|(k, _)| k.as_str() == Some(key))
                .map(|(_, v)| v),
            _ => None,
        }
    }

    /// Python's truth; `Err` for a `Ref`, whose truth is not known.
    pub fn truthy(&self) -> Result<bool, String> {
        Ok(match self {
            Value::None => false,
            Value::Bool(b) => *b,
            Value::Int(i) => *i != 0,
            Value::Float(f) => *f != 0.0,
            Value::Str(s) => !s.is_empty(),
            Value::Bytes(b) => !b.is_empty(),
            Value::List(v) | Value::Tuple(v) => !v.is_empty(),
            Value::Dict(d) => !d.is_empty(),
            Value::Class(_) | Value::Path(_) => true,
            Value::Ref(path) => return Err(format!("whether `{path}` is true is not known")),
        })
    }

    /// Python's `==`; `Err` when a side is a `Ref`.
    pub fn py_eq(&self, other: &Value) -> Result<bool, String> {
        use Value::*;
        Ok(match (self, other) {
            (Ref(p), _) | (_, Ref(p)) => {
                return Err(format!("the value of `{p}` is not known"));
            }
            (None, None) => true,
            (Str(a), Str(b)) | (Path(a), Path(b)) => a == b,
            (Bytes(a), Bytes(b)) => a == b,
            (List(a), List(b)) | (Tuple(a), Tuple(b)) => {
                if a.len() != b.len() {
                    return Ok(false);
                }
                for (x, y) in a.iter().zip(b) {
                    if !x.py_eq(y)? {
                        return Ok(false);
                    }
                }
                true
            }
            (Dict(a), Dict(b)) => {
                if a.len() != b.len() {
                    return Ok(false);
                }
                for (k, v) in a {
                    let mut found = false;
                    for (k2, v2) in b {
                        if k.py_eq(k2)? {
                            found = v.py_eq(v2)?;
                            break;
                        }
                    }
                    if !found {
                        return Ok(false);
                    }
                }
                true
            }
            (Class(a), Class(b)) => Arc::ptr_eq(a, b) || a == b,
            (a, b) => match (a.as_number(), b.as_number()) {
                (Some(x), Some(y)) => x == y,
                _ => false,
            },
        })
    }

    /// An int, float or bool as a float, for comparisons.
    pub(super) fn as_number(&self) -> Option<f64> {
        match self {
            Value::Bool(b) => Some(f64::from(u8::from(*b))),
            Value::Int(i) => Some(*i as f64),
            Value::Float(f) => Some(*f),
            _ => None,
        }
    }

    /// Python's `str()`.
    pub fn py_str(&self) -> Result<String, String> {
        match self {
            Value::Str(s) | Value::Path(s) => Ok(s.clone()),
            _ => self.repr(),
        }
    }

    /// Python's `repr()`; `Err` for a `Ref` or a class, whose text would be a guess.
    pub fn repr(&self) -> Result<String, String> {
        Ok(match self {
            Value::None => "None".into(),
            Value::Bool(true) => "True".into(),
            Value::Bool(false) => "False".into(),
            Value::Int(i) => i.to_string(),
            Value::Float(f) => float_repr(*f),
            Value::Str(s) => str_repr(s),
            Value::Bytes(b) => bytes_repr(b),
            Value::List(items) => format!("[{}]", join_reprs(items)?),
            Value::Tuple(items) if items.len() == 1 => format!("({},)", join_reprs(items)?),
            Value::Tuple(items) => format!("({})", join_reprs(items)?),
            Value::Dict(items) => {
                let mut parts = Vec::with_capacity(items.len());
                for (k, v) in items {
                    parts.push(format!("{}: {}", k.repr()?, v.repr()?));
                }
                format!("{{{}}}", parts.join(", "))
            }
            Value::Ref(path) => return Err(format!("the value of `{path}` is not known")),
            Value::Class(c) => return Err(format!("class `{}` has no text of its own", c.name)),
            Value::Path(p) => format!("PosixPath({})", str_repr(p)),
        })
    }
}

fn join_reprs(items: &[Value]) -> Result<String, String> {
    let parts = items
        .iter()
        .map(Value::repr)
        .collect::<Result<Vec<_>, _>>()?;
    Ok(parts.join(", "))
}

/// Python's float repr: `1.0`, `0.1`, `1e+20`, `1.5e-05`, `inf`, `nan`.
pub fn float_repr(f: f64) -> String {
    if f.is_nan() {
        return "nan".into();
    }
    if f.is_infinite() {
        return if f > 0.0 { "inf" } else { "-inf" }.into();
    }
    let abs = f.abs();
    if abs != 0.0 && !(1e-4..1e16).contains(&abs) {
        // Rust writes `1e20` / `1.5e-5`; Python writes `1e+20` / `1.5e-05`.
        let s = format!("{f:e}");
        let (mantissa, exp) = s.split_once('e').unwrap_or((&s, "0"));
        let (sign, digits) = match exp.strip_prefix('-') {
            Some(d) => ('-', d),
            None => ('+', exp),
        };
        return format!("{mantissa}e{sign}{digits:0>2}");
    }
    if f.fract() == 0.0 {
        format!("{f:.1}")
    } else {
        format!("{f}")
    }
}

/// Python's repr of a str: single quotes unless the text holds one and no
/// double quote.
pub fn str_repr(s: &str) -> String {
    let quote = if s.contains('\'') && !s.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::with_capacity(s.len() + 2);
    out.push(quote);
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

fn bytes_repr(b: &[u8]) -> String {
    let quote = if b.contains(&b'\'') && !b.contains(&b'"') {
        b'"'
    } else {
        b'\''
    };
    let mut out = String::from("b");
    out.push(char::from(quote));
    for &c in b {
        match c {
            b'\\' => out.push_str("\\\\"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(char::from(c));
            }
            0x20..=0x7e => out.push(char::from(c)),
            c => {
                let _ = write!(out, "\\x{c:02x}");
            }
        }
    }
    out.push(char::from(quote));
    out
}
