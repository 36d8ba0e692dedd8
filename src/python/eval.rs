//! The safe evaluator: [`Env`] binds a file's names by reading its statements
//! (imports, assignments, classes, an `if` whose test it can decide) and
//! evaluates expressions to [`Value`]s: literals, containers, names,
//! attributes, subscripts, operators, conditionals, f-strings, and the calls of
//! `builtins.rs`. Nothing is guessed: what it cannot evaluate is an error with
//! file:line and the expression's text.

use std::collections::HashMap;
use std::sync::Arc;

use super::ast::*;
use super::error::PyError;
use super::ops::{compare, dict_insert, index_of};
use super::parse::MAX_DEPTH;
use super::refusal::{cannot, refuse, short};
use super::value::{Binding, Class, Value};

/// The names a file binds, the environment `os.environ` reads, and the paths
/// `__file__` and `os.getcwd()` give.
#[derive(Debug, Clone, Default)]
pub struct Env {
    vars: HashMap<String, Binding>,
    environ: Arc<HashMap<String, String>>,
    file: Option<String>,
    cwd: Option<String>,
    /// Values for names the file imports from elsewhere in the project,
    /// read by the caller: an import binds these instead of a `Ref`.
    imported: HashMap<String, Value>,
}

impl Env {
    /// An empty namespace over this environment (what `os.environ` holds).
    pub fn new(environ: HashMap<String, String>) -> Env {
        Env {
            environ: Arc::new(environ),
            ..Env::default()
        }
    }

    /// The file's absolute path, as `__file__` gives it.
    pub fn with_file(mut self, path: impl Into<String>) -> Env {
        self.file = Some(path.into());
        self
    }

    /// The working folder, for `os.getcwd()` and `os.path.abspath` of a
    /// relative path.
    pub fn with_cwd(mut self, dir: impl Into<String>) -> Env {
        self.cwd = Some(dir.into());
        self
    }

    /// The value an import of `name` binds (a class or constant the caller
    /// read from another file of the project), instead of a `Ref`.
    pub fn preset_import(&mut self, name: impl Into<String>, value: Value) {
        self.imported.insert(name.into(), value);
    }

    /// What an import binds to `name`: a preset value, or a `Ref` to `path`.
    fn imported_value(&self, name: &str, path: String) -> Binding {
        Ok(self.imported.get(name).cloned().unwrap_or(Value::Ref(path)))
    }

    pub fn set(&mut self, name: impl Into<String>, value: Value) {
        self.vars.insert(name.into(), Ok(value));
    }

    /// What `name` is bound to: its value, or the refusal its assignment met.
    pub fn get(&self, name: &str) -> Option<&Binding> {
        self.vars.get(name)
    }

    /// The value of `name`, or the refusal its assignment met; `None` if unbound.
    pub fn value(&self, name: &str) -> Option<Result<Value, PyError>> {
        self.vars.get(name).cloned()
    }

    pub(super) fn environ(&self) -> &HashMap<String, String> {
        &self.environ
    }

    pub(super) fn cwd(&self) -> Option<&str> {
        self.cwd.as_deref()
    }

    /// Reads statements in order as Python would run them, binding names:
    /// `import` binds a `Ref` to the module, an assignment its value (or the
    /// refusal, kept until the name is used), a class its [`Class`], a `def` a
    /// `Ref`, and an `if` whose test evaluates runs its chosen branch (if the
    /// test cannot be evaluated, each name either branch binds holds that
    /// refusal). Everything else (calls, `try`, loops) is passed over.
    pub fn exec(&mut self, module: &Module, body: &[Stmt]) {
        let mut bound = Vec::new();
        self.exec_into(module, body, &mut bound);
    }

    /// Reads a class's body in a scope of its own over this namespace.
    pub fn class(&self, module: &Module, class: &ClassDef) -> Result<Class, PyError> {
        let bases = class
            .bases
            .iter()
            .map(|b| self.eval(module, b))
            .collect::<Result<Vec<_>, _>>()?;
        if bases.iter().map(inheritance_depth).max().unwrap_or(0) >= MAX_DEPTH {
            return Err(module.error(
                class.span,
                format!(
                    "class `{}` inherits through more than {MAX_DEPTH} classes (flatten the hierarchy)",
                    class.name
                ),
            ));
        }
        let mut inner = self.clone();
        let mut bound = Vec::new();
        inner.exec_into(module, &class.body, &mut bound);
        let mut attrs: Vec<(String, Binding)> = Vec::new();
        for name in bound {
            if attrs.iter().any(|(n, _)| *n == name) {
                continue;
            }
            if let Some(b) = inner.vars.get(&name) {
                attrs.push((name, b.clone()));
            }
        }
        Ok(Class {
            name: class.name.clone(),
            bases,
            attrs,
            file: module.file.clone(),
            line: class.span.line,
        })
    }

    fn bind(&mut self, bound: &mut Vec<String>, name: &str, value: Binding) {
        self.vars.insert(name.to_string(), value);
        bound.push(name.to_string());
    }

    fn exec_into(&mut self, module: &Module, body: &[Stmt], bound: &mut Vec<String>) {
        for stmt in body {
            match &stmt.kind {
                StmtKind::Import(aliases) => {
                    for a in aliases {
                        let target = match &a.asname {
                            Some(_) => a.name.clone(),
                            None => a.bound_name().to_string(),
                        };
                        let v = self.imported_value(a.bound_name(), target);
                        self.bind(bound, a.bound_name(), v);
                    }
                }
                StmtKind::ImportFrom {
                    module: from,
                    level,
                    names,
                    ..
                } => {
                    let base = format!("{}{}", ".".repeat(*level), from.as_deref().unwrap_or(""));
                    for a in names {
                        let path = if base.is_empty() || base.ends_with('.') {
                            format!("{base}{}", a.name)
                        } else {
                            format!("{base}.{}", a.name)
                        };
                        let v = self.imported_value(a.bound_name(), path);
                        self.bind(bound, a.bound_name(), v);
                    }
                }
                StmtKind::Assign { targets, value } => {
                    let v = self.eval(module, value);
                    for t in targets {
                        self.assign(module, bound, t, v.clone());
                    }
                }
                StmtKind::AnnAssign {
                    target,
                    value: Some(value),
                    ..
                } => {
                    let v = self.eval(module, value);
                    self.assign(module, bound, target, v);
                }
                StmtKind::AugAssign { target, op, value } => {
                    if let ExprKind::Name(name) = &target.kind {
                        let v = self.eval_binop(module, stmt.span, *op, target, value);
                        self.bind(bound, name, v);
                    }
                }
                StmtKind::ClassDef(c) => {
                    let v = self.class(module, c).map(|c| Value::Class(Arc::new(c)));
                    self.bind(bound, &c.name, v);
                }
                StmtKind::FunctionDef(f) => {
                    self.bind(bound, &f.name, Ok(Value::Ref(f.name.clone())));
                }
                StmtKind::If { test, body, orelse } => {
                    match self
                        .eval(module, test)
                        .and_then(|v| v.truthy().map_err(|why| refuse(module, test.span, &why)))
                    {
                        Ok(true) => self.exec_into(module, body, bound),
                        Ok(false) => self.exec_into(module, orelse, bound),
                        Err(e) => {
                            let mut names = Vec::new();
                            names_bound(body, &mut names);
                            names_bound(orelse, &mut names);
                            for n in names {
                                self.bind(bound, &n, Err(e.clone()));
                            }
                        }
                    }
                }
                _ => {}
            }
        }
    }

    /// Binds a target: a name, or names unpacked from a tuple or list of the
    /// same length. Attribute and subscript targets are passed over.
    fn assign(&mut self, module: &Module, bound: &mut Vec<String>, target: &Expr, v: Binding) {
        match &target.kind {
            ExprKind::Name(n) => self.bind(bound, n, v),
            ExprKind::Tuple(items) | ExprKind::List(items) => {
                let values = match v {
                    Ok(Value::Tuple(vs) | Value::List(vs)) if vs.len() == items.len() => {
                        vs.into_iter().map(Ok).collect::<Vec<_>>()
                    }
                    Ok(other) => {
                        let e = module.error(
                            target.span,
                            format!(
                                "`{}` unpacks {} that is not a sequence of {} items (assign each name on its own)",
                                short(module.text(target.span)),
                                other.a_type(),
                                items.len()
                            ),
                        );
                        vec![Err(e); items.len()]
                    }
                    Err(e) => vec![Err(e); items.len()],
                };
                for (t, v) in items.iter().zip(values) {
                    self.assign(module, bound, t, v);
                }
            }
            _ => {}
        }
    }

    /// Evaluates an expression of `module` in this namespace.
    pub fn eval(&self, module: &Module, expr: &Expr) -> Result<Value, PyError> {
        // Each kind's work is a function of its own, so that a level of
        // nesting costs a few small stack frames.
        match &expr.kind {
            ExprKind::None => Ok(Value::None),
            ExprKind::Bool(b) => Ok(Value::Bool(*b)),
            ExprKind::Int(i) => Ok(Value::Int(*i)),
            ExprKind::Float(f) => Ok(Value::Float(*f)),
            ExprKind::Str(s) => self.eval_str(module, expr, s),
            ExprKind::Name(n) => self.eval_name(module, expr, n),
            ExprKind::Attribute { value, attr } => self.eval_attribute(module, expr, value, attr),
            ExprKind::Call(call) => self.eval_call(module, expr, call),
            ExprKind::List(items) => Ok(Value::List(self.eval_items(module, items)?)),
            ExprKind::Tuple(items) => Ok(Value::Tuple(self.eval_items(module, items)?)),
            ExprKind::Dict(items) => self.eval_dict(module, expr, items),
            ExprKind::Subscript { value, index } => self.eval_subscript(module, expr, value, index),
            ExprKind::BinOp { op, left, right } => {
                self.eval_binop(module, expr.span, *op, left, right)
            }
            ExprKind::BoolOp { op, left, right } => {
                self.eval_boolop(module, expr, *op, left, right)
            }
            ExprKind::Compare { left, ops } => self.eval_compare(module, expr, left, ops),
            ExprKind::Unary { op, operand } => self.eval_unary(module, expr, *op, operand),
            ExprKind::IfExp { test, body, orelse } => {
                let t = self.eval(module, test)?;
                if t.truthy().map_err(|w| refuse(module, expr.span, &w))? {
                    self.eval(module, body)
                } else {
                    self.eval(module, orelse)
                }
            }
            _ => Err(refuse(
                module,
                expr.span,
                &format!("it is {}", expr.describe()),
            )),
        }
    }

    fn eval_name(&self, module: &Module, expr: &Expr, n: &str) -> Result<Value, PyError> {
        match (self.vars.get(n), n) {
            (Some(b), _) => b.clone(),
            (None, "__file__") => match &self.file {
                Some(f) => Ok(Value::Str(f.clone())),
                None => Err(refuse(
                    module,
                    expr.span,
                    "the file's path is not known here",
                )),
            },
            (None, _) => Ok(Value::Ref(n.to_string())),
        }
    }

    fn eval_attribute(
        &self,
        module: &Module,
        expr: &Expr,
        value: &Expr,
        attr: &str,
    ) -> Result<Value, PyError> {
        let receiver = self.eval(module, value)?;
        attribute(receiver, attr).map_err(|why| refuse(module, expr.span, &why))?
    }

    fn eval_dict(
        &self,
        module: &Module,
        expr: &Expr,
        items: &[DictItem],
    ) -> Result<Value, PyError> {
        let err = |why: &str| refuse(module, expr.span, why);
        let mut out: Vec<(Value, Value)> = Vec::new();
        for item in items {
            let value = self.eval(module, &item.value)?;
            match &item.key {
                Some(k) => {
                    let key = self.eval(module, k)?;
                    dict_insert(&mut out, key, value).map_err(|w| err(&w))?;
                }
                None => match value {
                    Value::Dict(more) => {
                        for (k, v) in more {
                            dict_insert(&mut out, k, v).map_err(|w| err(&w))?;
                        }
                    }
                    other => return Err(err(&format!("`**` of {}", other.a_type()))),
                },
            }
        }
        Ok(Value::Dict(out))
    }

    fn eval_boolop(
        &self,
        module: &Module,
        expr: &Expr,
        op: BoolOp,
        left: &Expr,
        right: &Expr,
    ) -> Result<Value, PyError> {
        let l = self.eval(module, left)?;
        let truth = l.truthy().map_err(|w| refuse(module, expr.span, &w))?;
        match (op, truth) {
            (BoolOp::And, false) | (BoolOp::Or, true) => Ok(l),
            _ => self.eval(module, right),
        }
    }

    fn eval_compare(
        &self,
        module: &Module,
        expr: &Expr,
        left: &Expr,
        ops: &[(CmpOp, Expr)],
    ) -> Result<Value, PyError> {
        let mut l = self.eval(module, left)?;
        for (op, right) in ops {
            let r = self.eval(module, right)?;
            if !compare(*op, &l, &r).map_err(|w| refuse(module, expr.span, &w))? {
                return Ok(Value::Bool(false));
            }
            l = r;
        }
        Ok(Value::Bool(true))
    }

    fn eval_unary(
        &self,
        module: &Module,
        expr: &Expr,
        op: UnaryOp,
        operand: &Expr,
    ) -> Result<Value, PyError> {
        let err = |why: &str| refuse(module, expr.span, why);
        match (op, self.eval(module, operand)?) {
            (UnaryOp::Not, v) => Ok(Value::Bool(!v.truthy().map_err(|w| err(&w))?)),
            (UnaryOp::Neg, Value::Int(i)) => i
                .checked_neg()
                .map(Value::Int)
                .ok_or_else(|| err("the result is beyond 64 bits")),
            (UnaryOp::Neg, Value::Float(f)) => Ok(Value::Float(-f)),
            (UnaryOp::Neg, Value::Bool(b)) => Ok(Value::Int(-i64::from(b))),
            (UnaryOp::Pos, v @ (Value::Int(_) | Value::Float(_))) => Ok(v),
            (UnaryOp::Pos, Value::Bool(b)) => Ok(Value::Int(i64::from(b))),
            (UnaryOp::Invert, Value::Int(i)) => Ok(Value::Int(!i)),
            (_, v) => Err(err(&format!("that operator on {}", v.a_type()))),
        }
    }

    /// The items of a list, tuple or call, with `*iterable` spread.
    pub(super) fn eval_items(
        &self,
        module: &Module,
        items: &[Expr],
    ) -> Result<Vec<Value>, PyError> {
        let mut out = Vec::with_capacity(items.len());
        for item in items {
            match &item.kind {
                ExprKind::Starred(inner) => match self.eval(module, inner)? {
                    Value::List(vs) | Value::Tuple(vs) => out.extend(vs),
                    other => {
                        return Err(module.error(
                            item.span,
                            cannot(module, item.span, &format!("`*` of {}", other.a_type())),
                        ));
                    }
                },
                _ => out.push(self.eval(module, item)?),
            }
        }
        Ok(out)
    }

    fn eval_str(&self, module: &Module, expr: &Expr, s: &Str) -> Result<Value, PyError> {
        let err = |why: &str| refuse(module, expr.span, why);
        let mut out = String::new();
        for part in &s.parts {
            match part {
                StrPart::Text(t) => out.push_str(t),
                StrPart::Interp {
                    expr: inner,
                    conversion,
                    spec,
                } => {
                    if spec.as_deref().is_some_and(|s| !s.is_empty()) {
                        return Err(err("an f-string placeholder with a format spec"));
                    }
                    let v = self.eval(module, inner)?;
                    let text = match conversion {
                        Some('r') | Some('a') => v.repr(),
                        _ => v.py_str(),
                    }
                    .map_err(|w| err(&w))?;
                    if *conversion == Some('a') && !text.is_ascii() {
                        return Err(err("`!a` of text that is not ASCII"));
                    }
                    out.push_str(&text);
                }
            }
        }
        if s.bytes {
            out.chars()
                .map(|c| u8::try_from(u32::from(c)))
                .collect::<Result<Vec<u8>, _>>()
                .map(Value::Bytes)
                .map_err(|_| refuse(module, expr.span, "a bytes literal with text beyond a byte"))
        } else {
            Ok(Value::Str(out))
        }
    }

    fn eval_subscript(
        &self,
        module: &Module,
        expr: &Expr,
        value: &Expr,
        index: &Expr,
    ) -> Result<Value, PyError> {
        let err = |why: &str| refuse(module, expr.span, why);
        let container = self.eval(module, value)?;
        let key = self.eval(module, index)?;
        match (&container, &key) {
            (Value::Ref(path), Value::Str(k)) if path == "os.environ" => {
                match self.environ.get(k) {
                    Some(v) => Ok(Value::Str(v.clone())),
                    None => Err(module.error(
                        expr.span,
                        format!(
                            "`{}`: `{k}` is not set in the environment (set it, or use os.environ.get('{k}', default))",
                            short(module.text(expr.span))
                        ),
                    )),
                }
            }
            (Value::Dict(items), key) => {
                for (k, v) in items.iter().rev() {
                    if k.py_eq(key).map_err(|w| err(&w))? {
                        return Ok(v.clone());
                    }
                }
                Err(err(&format!(
                    "the dict has no key {}",
                    key.repr().unwrap_or_else(|_| "like that".into())
                )))
            }
            (Value::List(items) | Value::Tuple(items), Value::Int(i)) => index_of(items.len(), *i)
                .map(|at| items[at].clone())
                .ok_or_else(|| err("the index is out of range")),
            (Value::Str(s), Value::Int(i)) => {
                let chars: Vec<char> = s.chars().collect();
                index_of(chars.len(), *i)
                    .map(|at| Value::Str(chars[at].to_string()))
                    .ok_or_else(|| err("the index is out of range"))
            }
            (c, k) => Err(err(&format!(
                "a subscript of {} by {}", c.a_type(),
                k.a_type()
            ))),
        }
    }

    fn eval_binop(
        &self,
        module: &Module,
        span: Span,
        op: BinOp,
        left: &Expr,
        right: &Expr,
    ) -> Result<Value, PyError> {
        let l = self.eval(module, left)?;
        let r = self.eval(module, right)?;
        super::ops::binop(op, l, r).map_err(|why| refuse(module, span, &why))
    }
}

/// How many classes read here a value inherits through (0 for a non-class).
fn inheritance_depth(v: &Value) -> usize {
    match v {
        Value::Class(c) => 1 + c.bases.iter().map(inheritance_depth).max().unwrap_or(0),
        _ => 0,
    }
}

/// `receiver.attr`: a longer path for a `Ref`, the attribute of a class
/// (itself a refusal when its assignment was refused); `Err` with the reason
/// when there is none.
pub(super) fn attribute(receiver: Value, attr: &str) -> Result<Binding, String> {
    match receiver {
        Value::Path(p) => super::paths::path_attribute(&p, attr).map(Ok),
        Value::Ref(path) => Ok(Ok(Value::Ref(format!("{path}.{attr}")))),
        Value::Class(c) => match c.attr(attr) {
            Some(b) => Ok(b.clone()),
            None if c.has_unknown_base() => Ok(Ok(Value::Ref(format!("{}.{attr}", c.name)))),
            None => Err(format!("class `{}` has no attribute `{attr}`", c.name)),
        },
        other => Err(format!(
            "`.{attr}` of {} is read only as a method call",
            other.a_type()
        )),
    }
}

/// The names statements bind directly or in nested `if`s (for an `if` whose
/// test cannot be evaluated).
fn names_bound(body: &[Stmt], out: &mut Vec<String>) {
    fn targets(e: &Expr, out: &mut Vec<String>) {
        match &e.kind {
            ExprKind::Name(n) => out.push(n.clone()),
            ExprKind::Tuple(items) | ExprKind::List(items) => {
                items.iter().for_each(|i| targets(i, out))
            }
            _ => {}
        }
    }
    for s in body {
        match &s.kind {
            StmtKind::Assign { targets: ts, .. } => ts.iter().for_each(|t| targets(t, out)),
            StmtKind::AnnAssign {
                target,
                value: Some(_),
                ..
            }
            | StmtKind::AugAssign { target, .. } => targets(target, out),
            StmtKind::ClassDef(c) => out.push(c.name.clone()),
            StmtKind::FunctionDef(f) => out.push(f.name.clone()),
            StmtKind::Import(aliases) | StmtKind::ImportFrom { names: aliases, .. } => {
                out.extend(aliases.iter().map(|a| a.bound_name().to_string()))
            }
            StmtKind::If { body, orelse, .. } => {
                names_bound(body, out);
                names_bound(orelse, out);
            }
            _ => {}
        }
    }
}
