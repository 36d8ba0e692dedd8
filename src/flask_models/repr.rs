//! A model's `__repr__` (else `__str__`) read as a template when it is one
//! `return` of a string built from literal text and the model's own
//! attributes: `f'<User {self.username}>'`, `'<User %r>' % self.username`,
//! `'<User {}>'.format(self.username)`, `'<User ' + self.username + '>'`.
//! Anything else is not read (the object then shows as ormsh's `<User 1>`);
//! what the template cannot show as Python would (a value of a type whose
//! text it does not know) falls back the same way, at display.

use crate::python::{BinOp, Expr, ExprKind, FunctionDef, StmtKind, StrPart};
use crate::sql::Value;

/// How an attribute's value is turned into text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Conversion {
    /// `str(value)` (`{x}`, `%s`, `{}`).
    Str,
    /// `repr(value)` (`{x!r}`, `%r`, `{!r}`).
    Repr,
    /// `'..' + self.x`: Python only concatenates strings.
    Concat,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReprPart {
    Text(String),
    Attribute(String, Conversion),
}

/// The parts of the string `__repr__` returns.
pub type ReprTemplate = Vec<ReprPart>;

/// The template of `f`'s one `return`, if it is one.
pub(super) fn read(f: &FunctionDef) -> Option<ReprTemplate> {
    let body: Vec<_> = f
        .body
        .iter()
        .filter(|s| !matches!(&s.kind, StmtKind::Expr(e) if matches!(e.kind, ExprKind::Str(_))))
        .collect();
    let [stmt] = body.as_slice() else {
        return None;
    };
    let StmtKind::Return(Some(value)) = &stmt.kind else {
        return None;
    };
    let mut out = Vec::new();
    expression(value, &mut out)?;
    Some(out)
}

fn expression(e: &Expr, out: &mut ReprTemplate) -> Option<()> {
    match &e.kind {
        ExprKind::Str(s) if !s.bytes => {
            for part in &s.parts {
                match part {
                    StrPart::Text(t) => out.push(ReprPart::Text(t.clone())),
                    StrPart::Interp {
                        expr,
                        conversion,
                        spec,
                    } if spec.as_deref().is_none_or(str::is_empty) => {
                        let conv = match conversion {
                            None | Some('s') => Conversion::Str,
                            Some('r') => Conversion::Repr,
                            Some(_) => return None,
                        };
                        out.push(ReprPart::Attribute(own_attribute(expr)?, conv));
                    }
                    StrPart::Interp { .. } => return None,
                }
            }
            Some(())
        }
        ExprKind::BinOp {
            op: BinOp::Add,
            left,
            right,
        } => {
            expression(left, out)?;
            match own_attribute(right) {
                Some(name) => out.push(ReprPart::Attribute(name, Conversion::Concat)),
                None => expression(right, out)?,
            }
            Some(())
        }
        ExprKind::BinOp {
            op: BinOp::Mod,
            left,
            right,
        } => {
            let format = literal(left)?;
            let args: Vec<String> = match &right.kind {
                ExprKind::Tuple(items) => items.iter().map(own_attribute).collect::<Option<_>>()?,
                _ => vec![own_attribute(right)?],
            };
            percent(&format, &args, out)
        }
        ExprKind::Call(call) if call.keywords.is_empty() => {
            let ExprKind::Attribute { value, attr } = &call.func.kind else {
                return None;
            };
            if attr != "format" {
                return None;
            }
            let format = literal(value)?;
            let args: Vec<String> = call.args.iter().map(own_attribute).collect::<Option<_>>()?;
            braces(&format, &args, out)
        }
        _ => None,
    }
}

/// `self.name`.
fn own_attribute(e: &Expr) -> Option<String> {
    match &e.kind {
        ExprKind::Attribute { value, attr } if value.is_name("self") => Some(attr.clone()),
        _ => None,
    }
}

fn literal(e: &Expr) -> Option<String> {
    match &e.kind {
        ExprKind::Str(s) if !s.bytes && !s.fstring => s.literal(),
        _ => None,
    }
}

/// `'<User %r %s>' % (self.a, self.b)`: `%s`, `%r`, `%d` and `%%` only.
fn percent(format: &str, args: &[String], out: &mut ReprTemplate) -> Option<()> {
    let mut args = args.iter();
    let mut text = String::new();
    let mut chars = format.chars();
    while let Some(c) = chars.next() {
        if c != '%' {
            text.push(c);
            continue;
        }
        let conv = match chars.next()? {
            '%' => {
                text.push('%');
                continue;
            }
            's' | 'd' => Conversion::Str,
            'r' => Conversion::Repr,
            _ => return None,
        };
        out.push(ReprPart::Text(std::mem::take(&mut text)));
        out.push(ReprPart::Attribute(args.next()?.clone(), conv));
    }
    out.push(ReprPart::Text(text));
    args.next().is_none().then_some(())
}

/// `'<User {} {!r} {0}>'.format(self.a, self.b)`.
fn braces(format: &str, args: &[String], out: &mut ReprTemplate) -> Option<()> {
    let mut next = 0;
    let mut text = String::new();
    let mut chars = format.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '{' if chars.peek() == Some(&'{') => {
                chars.next();
                text.push('{');
            }
            '}' if chars.peek() == Some(&'}') => {
                chars.next();
                text.push('}');
            }
            '{' => {
                let mut field = String::new();
                for c in chars.by_ref() {
                    if c == '}' {
                        break;
                    }
                    field.push(c);
                }
                let (index, conv) = match field.split_once('!') {
                    Some((i, "r")) => (i, Conversion::Repr),
                    Some((i, "s")) => (i, Conversion::Str),
                    Some(_) => return None,
                    None => (field.as_str(), Conversion::Str),
                };
                let at = if index.is_empty() {
                    next += 1;
                    next - 1
                } else {
                    index.parse().ok()?
                };
                out.push(ReprPart::Text(std::mem::take(&mut text)));
                out.push(ReprPart::Attribute(args.get(at)?.clone(), conv));
            }
            '}' => return None,
            c => text.push(c),
        }
    }
    out.push(ReprPart::Text(text));
    Some(())
}

/// The text `template` gives for an object whose attribute values
/// `value_of` reads; `None` when a value is one whose Python text this does
/// not know (or an attribute is not a column).
pub fn render(
    template: &ReprTemplate,
    mut value_of: impl FnMut(&str) -> Option<Value>,
) -> Option<String> {
    let mut out = String::new();
    for part in template {
        match part {
            ReprPart::Text(t) => out.push_str(t),
            ReprPart::Attribute(name, conv) => {
                let value = value_of(name)?;
                let text = match (conv, &value) {
                    (Conversion::Concat, Value::Text(t)) => t.clone(),
                    (Conversion::Concat, _) => return None,
                    (Conversion::Str, v) => python_str(v)?,
                    (Conversion::Repr, v) => python_repr(v)?,
                };
                out.push_str(&text);
            }
        }
    }
    Some(out)
}

/// Python's `str()` of a value as SQLAlchemy loads it.
fn python_str(v: &Value) -> Option<String> {
    Some(match v {
        Value::Text(t) => t.clone(),
        Value::Decimal(d) => d.to_string(),
        Value::Date(d) => d.format("%Y-%m-%d").to_string(),
        Value::DateTime(d) => {
            let micros = d.and_utc().timestamp_subsec_micros();
            if micros == 0 {
                d.format("%Y-%m-%d %H:%M:%S").to_string()
            } else {
                format!("{}.{micros:06}", d.format("%Y-%m-%d %H:%M:%S"))
            }
        }
        Value::Uuid(u) => u.to_string(),
        other => python_repr(other)?,
    })
}

/// Python's `repr()` of a value, for the types whose repr is their text.
fn python_repr(v: &Value) -> Option<String> {
    Some(match v {
        Value::Null => "None".into(),
        Value::Bool(true) => "True".into(),
        Value::Bool(false) => "False".into(),
        Value::Int(i) => i.to_string(),
        Value::Float(f) => crate::python::float_repr(*f),
        Value::Text(t) => crate::python::str_repr(t),
        Value::Decimal(d) => format!("Decimal('{d}')"),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn template(source: &str) -> Option<ReprTemplate> {
        let module = crate::python::parse("models.py", source).unwrap();
        let StmtKind::FunctionDef(f) = &module.body[0].kind else {
            panic!("not a function");
        };
        read(f).map(|t| {
            t.into_iter()
                .filter(|p| *p != ReprPart::Text(String::new()))
                .collect()
        })
    }

    fn attr(name: &str, c: Conversion) -> ReprPart {
        ReprPart::Attribute(name.into(), c)
    }

    fn text(t: &str) -> ReprPart {
        ReprPart::Text(t.into())
    }

    #[test]
    fn the_forms_real_models_use() {
        let user = vec![text("<User "), attr("username", Conversion::Str), text(">")];
        assert_eq!(
            template("def __repr__(self):\n    return f'<User {self.username}>'\n"),
            Some(user.clone())
        );
        assert_eq!(
            template("def __repr__(self):\n    return '<User {}>'.format(self.username)\n"),
            Some(user.clone())
        );
        assert_eq!(
            template(
                "def __repr__(self):\n    '''doc'''\n    return '<User %s>' % self.username\n"
            ),
            Some(user)
        );
        assert_eq!(
            template("def __repr__(self):\n    return '<User %r>' % self.username\n"),
            Some(vec![
                text("<User "),
                attr("username", Conversion::Repr),
                text(">")
            ])
        );
        assert_eq!(
            template("def __repr__(self):\n    return '<Post ' + self.title + '>'\n"),
            Some(vec![
                text("<Post "),
                attr("title", Conversion::Concat),
                text(">")
            ])
        );
        assert_eq!(
            template("def __repr__(self):\n    return f\"Post('{self.title}', {self.id!r})\"\n"),
            Some(vec![
                text("Post('"),
                attr("title", Conversion::Str),
                text("', "),
                attr("id", Conversion::Repr),
                text(")")
            ])
        );
    }

    #[test]
    fn values_show_as_python_shows_them() {
        let t = template("def __repr__(self):\n    return f'<{self.a} {self.a!r}>'\n").unwrap();
        let show = |v: Value| render(&t, |_| Some(v.clone()));
        assert_eq!(
            show(Value::Text("ann".into())).as_deref(),
            Some("<ann 'ann'>")
        );
        assert_eq!(
            show(Value::Text("o'neil".into())).as_deref(),
            Some("<o'neil \"o'neil\">")
        );
        assert_eq!(show(Value::Int(7)).as_deref(), Some("<7 7>"));
        assert_eq!(show(Value::Null).as_deref(), Some("<None None>"));
        assert_eq!(show(Value::Bool(true)).as_deref(), Some("<True True>"));
        assert_eq!(show(Value::Float(2.0)).as_deref(), Some("<2.0 2.0>"));
        assert_eq!(
            show(Value::Decimal("1.50".parse().unwrap())).as_deref(),
            Some("<1.50 Decimal('1.50')>")
        );
        assert_eq!(
            show(Value::Bytes(vec![1])),
            None,
            "a value whose text is not known"
        );
        let concat = template("def __repr__(self):\n    return '<' + self.a + '>'\n").unwrap();
        assert_eq!(
            render(&concat, |_| Some(Value::Int(1))),
            None,
            "Python raises there"
        );
    }

    #[test]
    fn anything_else_is_not_read() {
        for source in [
            "def __repr__(self):\n    return f'<Post {self.body[:20]}>'\n",
            "def __repr__(self):\n    return f'<Post {self.author.username}>'\n",
            "def __repr__(self):\n    return f'<Post {self.id:>5}>'\n",
            "def __repr__(self):\n    x = 1\n    return f'<Post {self.id}>'\n",
            "def __repr__(self):\n    return '<Post %s %s>' % (self.id,)\n",
            "def __repr__(self):\n    return self.describe()\n",
        ] {
            assert_eq!(template(source), None, "{source}");
        }
    }
}
