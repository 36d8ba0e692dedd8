//! The owned syntax tree of a Python file: the statements and expressions that
//! ormsh reads (imports, assignments, classes, functions, `if`, `with`,
//! `return`, expression statements; names, attributes, calls, literals,
//! operators, subscripts, lambdas), each with its [`Span`]. Whatever else the
//! file holds is kept as `StmtKind::Other` / `ExprKind::Other` with its kind and
//! line, for the caller to refuse.

use super::error::PyError;

/// Where a node is: 1-based line and column (in characters), and its byte range
/// in the source, through which [`Module::text`] gives the node's own text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Span {
    pub line: usize,
    pub col: usize,
    pub start: usize,
    pub end: usize,
}

/// A parsed file: its label, its source, and its top-level statements.
#[derive(Debug, Clone, PartialEq)]
pub struct Module {
    pub file: String,
    pub source: String,
    pub body: Vec<Stmt>,
}

impl Module {
    /// The source text of a node, as written (`sa.Column(sa.Integer)`).
    pub fn text(&self, span: Span) -> &str {
        self.source.get(span.start..span.end).unwrap_or("")
    }

    /// An error at a node's line of this file: `message` says what is wrong and,
    /// in parentheses, what to do.
    pub fn error(&self, span: Span, message: impl Into<String>) -> PyError {
        PyError::new(self.file.clone(), span.line, message)
    }

    /// The top-level class of that name.
    pub fn class(&self, name: &str) -> Option<&ClassDef> {
        self.body.iter().find_map(|s| match &s.kind {
            StmtKind::ClassDef(c) if c.name == name => Some(c),
            _ => None,
        })
    }

    /// The top-level function of that name.
    pub fn function(&self, name: &str) -> Option<&FunctionDef> {
        self.body.iter().find_map(|s| match &s.kind {
            StmtKind::FunctionDef(f) if f.name == name => Some(f),
            _ => None,
        })
    }

    /// The value last assigned to a top-level name (`revision = '...'`).
    /// Each name a module-level `from X import a as b` binds: the import's
    /// level (leading dots), its module, and the name.
    pub fn imports_from(&self) -> impl Iterator<Item = (usize, Option<&str>, &Alias)> {
        self.body.iter().flat_map(|stmt| match &stmt.kind {
            StmtKind::ImportFrom {
                module,
                level,
                names,
                ..
            } => names
                .iter()
                .map(|a| (*level, module.as_deref(), a))
                .collect::<Vec<_>>(),
            _ => Vec::new(),
        })
    }

    pub fn assigned(&self, name: &str) -> Option<&Expr> {
        assigned_in(&self.body, name)
    }
}

/// The value last assigned to `name` among these statements (plain or annotated).
pub fn assigned_in<'a>(body: &'a [Stmt], name: &str) -> Option<&'a Expr> {
    body.iter().rev().find_map(|s| match &s.kind {
        StmtKind::Assign { targets, value } if targets.iter().any(|t| t.is_name(name)) => {
            Some(value)
        }
        StmtKind::AnnAssign {
            target,
            value: Some(value),
            ..
        } if target.is_name(name) => Some(value),
        _ => None,
    })
}

#[derive(Debug, Clone, PartialEq)]
pub struct Stmt {
    pub kind: StmtKind,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum StmtKind {
    /// `import a.b as c, d`
    Import(Vec<Alias>),
    /// `from ..x.y import a as b, c` (`level` 2, module `x.y`); `from . import m`
    /// (level 1, no module); `from x import *` (`star`, no names).
    ImportFrom {
        module: Option<String>,
        level: usize,
        names: Vec<Alias>,
        star: bool,
    },
    /// `a = b = value`; a target may be a tuple, an attribute or a subscript.
    Assign {
        targets: Vec<Expr>,
        value: Expr,
    },
    /// `name: Mapped[int] = value`, or a bare `name: int`.
    AnnAssign {
        target: Expr,
        annotation: Expr,
        value: Option<Expr>,
    },
    /// `x += value`; `op` as written without the `=` (`+`).
    AugAssign {
        target: Expr,
        op: BinOp,
        value: Expr,
    },
    ClassDef(ClassDef),
    FunctionDef(FunctionDef),
    /// `if test: body` with `elif`s nested as an `If` alone in `orelse`.
    If {
        test: Expr,
        body: Vec<Stmt>,
        orelse: Vec<Stmt>,
    },
    /// `with a as b, c: body`
    With {
        items: Vec<WithItem>,
        body: Vec<Stmt>,
    },
    Return(Option<Expr>),
    /// An expression alone on its line: a call, a docstring.
    Expr(Expr),
    Pass,
    /// Anything else (`for`, `try`, `raise`, `global`, ...): tree-sitter's name
    /// for it, such as `for_statement`.
    Other(String),
}

/// One name of an import: `a.b as c` is `{ name: "a.b", asname: Some("c") }`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alias {
    pub name: String,
    pub asname: Option<String>,
    pub span: Span,
}

impl Alias {
    /// The name the import binds: `c` for `a.b as c`, `a` for `import a.b`,
    /// `y` for `from x import y`.
    pub fn bound_name(&self) -> &str {
        match &self.asname {
            Some(a) => a,
            None => self.name.split('.').next().unwrap_or(&self.name),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ClassDef {
    pub name: String,
    /// Positional bases (`db.Model`, `enum.Enum`).
    pub bases: Vec<Expr>,
    /// Keyword bases (`metaclass=...`).
    pub keywords: Vec<Keyword>,
    pub decorators: Vec<Expr>,
    pub body: Vec<Stmt>,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct FunctionDef {
    pub name: String,
    pub params: Vec<Param>,
    pub returns: Option<Expr>,
    pub decorators: Vec<Expr>,
    pub body: Vec<Stmt>,
    pub is_async: bool,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Param {
    pub name: String,
    pub kind: ParamKind,
    pub annotation: Option<Expr>,
    pub default: Option<Expr>,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ParamKind {
    /// An ordinary parameter (before or after a bare `/`).
    Normal,
    /// After `*` or `*args`.
    KeywordOnly,
    /// `*args`
    VarArgs,
    /// `**kwargs`
    VarKeywords,
}

#[derive(Debug, Clone, PartialEq)]
pub struct WithItem {
    pub context: Expr,
    /// The target after `as` (usually a name).
    pub target: Option<Expr>,
}

/// `name=value` in a call or a class's bases; `name` is `None` for `**value`.
#[derive(Debug, Clone, PartialEq)]
pub struct Keyword {
    pub name: Option<String>,
    pub value: Expr,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ExprKind {
    Name(String),
    /// `value.attr`
    Attribute {
        value: Box<Expr>,
        attr: String,
    },
    Call(Call),
    Str(Str),
    Int(i64),
    Float(f64),
    Bool(bool),
    None,
    /// `...`
    Ellipsis,
    List(Vec<Expr>),
    Tuple(Vec<Expr>),
    Set(Vec<Expr>),
    Dict(Vec<DictItem>),
    /// `value[index]`; `a[x, y]` has a `Tuple` index.
    Subscript {
        value: Box<Expr>,
        index: Box<Expr>,
    },
    BinOp {
        op: BinOp,
        left: Box<Expr>,
        right: Box<Expr>,
    },
    /// `left and right`, `left or right`
    BoolOp {
        op: BoolOp,
        left: Box<Expr>,
        right: Box<Expr>,
    },
    /// `a < b <= c`: `left` then each operator with its right operand.
    Compare {
        left: Box<Expr>,
        ops: Vec<(CmpOp, Expr)>,
    },
    Unary {
        op: UnaryOp,
        operand: Box<Expr>,
    },
    Lambda {
        params: Vec<Param>,
        body: Box<Expr>,
    },
    /// `body if test else orelse`
    IfExp {
        test: Box<Expr>,
        body: Box<Expr>,
        orelse: Box<Expr>,
    },
    /// `*value` in a call's arguments or a list, tuple or set.
    Starred(Box<Expr>),
    /// Anything else (a comprehension, `await`, a slice, ...): tree-sitter's
    /// name for it, such as `list_comprehension`.
    Other(String),
}

/// A call: positional arguments in order (`*args` as `Starred`), then keywords
/// (`**kw` as a nameless keyword).
#[derive(Debug, Clone, PartialEq)]
pub struct Call {
    pub func: Box<Expr>,
    pub args: Vec<Expr>,
    pub keywords: Vec<Keyword>,
}

impl Call {
    /// The value of keyword argument `name`.
    pub fn keyword(&self, name: &str) -> Option<&Expr> {
        self.keywords
            .iter()
            .find(|k| k.name.as_deref() == Some(name))
            .map(|k| &k.value)
    }

    /// Whether the call spreads `*args` or `**kw`, whose contents cannot be read.
    pub fn has_splat(&self) -> bool {
        self.args
            .iter()
            .any(|a| matches!(a.kind, ExprKind::Starred(_)))
            || self.keywords.iter().any(|k| k.name.is_none())
    }
}

/// One entry of a dict display: `key: value`, or `**value` with no key.
#[derive(Debug, Clone, PartialEq)]
pub struct DictItem {
    pub key: Option<Expr>,
    pub value: Expr,
}

/// A string literal, with adjacent literals (`'a' 'b'`) joined into one.
#[derive(Debug, Clone, PartialEq)]
pub struct Str {
    /// Text with escapes decoded (raw strings as written), and the
    /// placeholders of f-strings.
    pub parts: Vec<StrPart>,
    /// A `b'...'` literal (its text holds one char per byte).
    pub bytes: bool,
    /// Some part was an f-string (even one without placeholders).
    pub fstring: bool,
}

impl Str {
    /// The string's value when it has no placeholders.
    pub fn literal(&self) -> Option<String> {
        let mut out = String::new();
        for part in &self.parts {
            match part {
                StrPart::Text(t) => out.push_str(t),
                StrPart::Interp { .. } => return None,
            }
        }
        Some(out)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum StrPart {
    Text(String),
    /// `{expr!r:>10}`: `conversion` is `r`, `spec` is `>10` (as written, and
    /// `None` when it holds nested placeholders).
    Interp {
        expr: Expr,
        conversion: Option<char>,
        spec: Option<String>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
    FloorDiv,
    Mod,
    Pow,
    MatMul,
    BitOr,
    BitAnd,
    BitXor,
    LShift,
    RShift,
}

impl BinOp {
    /// From the operator as written (`+`, `//`, `|`).
    pub fn from_token(token: &str) -> Option<BinOp> {
        Some(match token {
            "+" => BinOp::Add,
            "-" => BinOp::Sub,
            "*" => BinOp::Mul,
            "/" => BinOp::Div,
            "//" => BinOp::FloorDiv,
            "%" => BinOp::Mod,
            "**" => BinOp::Pow,
            "@" => BinOp::MatMul,
            "|" => BinOp::BitOr,
            "&" => BinOp::BitAnd,
            "^" => BinOp::BitXor,
            "<<" => BinOp::LShift,
            ">>" => BinOp::RShift,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BoolOp {
    And,
    Or,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CmpOp {
    Eq,
    NotEq,
    Lt,
    LtE,
    Gt,
    GtE,
    In,
    NotIn,
    Is,
    IsNot,
}

impl CmpOp {
    /// From the operator as written (`==`, `not in`, `is not`).
    pub fn from_token(token: &str) -> Option<CmpOp> {
        Some(match token {
            "==" => CmpOp::Eq,
            "!=" | "<>" => CmpOp::NotEq,
            "<" => CmpOp::Lt,
            "<=" => CmpOp::LtE,
            ">" => CmpOp::Gt,
            ">=" => CmpOp::GtE,
            "in" => CmpOp::In,
            "not in" => CmpOp::NotIn,
            "is" => CmpOp::Is,
            "is not" => CmpOp::IsNot,
            _ => return None,
        })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnaryOp {
    Not,
    Neg,
    Pos,
    Invert,
}

impl Expr {
    /// Calls `f` on each expression directly inside this one.
    pub fn each_child(&self, f: &mut dyn FnMut(&Expr)) {
        match &self.kind {
            ExprKind::Attribute { value, .. } => f(value),
            ExprKind::Call(call) => {
                f(&call.func);
                call.args.iter().for_each(&mut *f);
                call.keywords.iter().for_each(|k| f(&k.value));
            }
            ExprKind::Str(s) => {
                for part in &s.parts {
                    if let StrPart::Interp { expr, .. } = part {
                        f(expr);
                    }
                }
            }
            ExprKind::List(items) | ExprKind::Tuple(items) | ExprKind::Set(items) => {
                items.iter().for_each(f)
            }
            ExprKind::Dict(items) => {
                for item in items {
                    if let Some(k) = &item.key {
                        f(k);
                    }
                    f(&item.value);
                }
            }
            ExprKind::Subscript { value, index } => {
                f(value);
                f(index);
            }
            ExprKind::BinOp { left, right, .. } | ExprKind::BoolOp { left, right, .. } => {
                f(left);
                f(right);
            }
            ExprKind::Compare { left, ops } => {
                f(left);
                ops.iter().for_each(|(_, e)| f(e));
            }
            ExprKind::Unary { operand, .. } => f(operand),
            ExprKind::Lambda { body, .. } => f(body),
            ExprKind::IfExp { test, body, orelse } => {
                f(test);
                f(body);
                f(orelse);
            }
            ExprKind::Starred(inner) => f(inner),
            ExprKind::Name(_)
            | ExprKind::Int(_)
            | ExprKind::Float(_)
            | ExprKind::Bool(_)
            | ExprKind::None
            | ExprKind::Ellipsis
            | ExprKind::Other(_) => {}
        }
    }

    /// Whether this is the bare name `name`.
    pub fn is_name(&self, name: &str) -> bool {
        matches!(&self.kind, ExprKind::Name(n) if n == name)
    }

    /// `sa.orm.Mapped` for a chain of attributes on a name; `None` for anything
    /// else (a call, a subscript).
    pub fn dotted(&self) -> Option<String> {
        match &self.kind {
            ExprKind::Name(n) => Some(n.clone()),
            ExprKind::Attribute { value, attr } => {
                let mut path = value.dotted()?;
                path.push('.');
                path.push_str(attr);
                Some(path)
            }
            _ => None,
        }
    }

    /// The call this expression is, if it is one.
    pub fn as_call(&self) -> Option<&Call> {
        match &self.kind {
            ExprKind::Call(c) => Some(c),
            _ => None,
        }
    }

    /// The value of a string literal without placeholders.
    pub fn as_str(&self) -> Option<String> {
        match &self.kind {
            ExprKind::Str(s) if !s.bytes => s.literal(),
            _ => None,
        }
    }

    /// What this expression is, in words, for messages (`a call`, `a lambda`).
    pub fn describe(&self) -> String {
        match &self.kind {
            ExprKind::Name(_) => "a name".into(),
            ExprKind::Attribute { .. } => "an attribute".into(),
            ExprKind::Call(_) => "a call".into(),
            ExprKind::Str(s) if s.bytes => "a bytes literal".into(),
            ExprKind::Str(_) => "a string".into(),
            ExprKind::Int(_) | ExprKind::Float(_) => "a number".into(),
            ExprKind::Bool(_) | ExprKind::None | ExprKind::Ellipsis => "a constant".into(),
            ExprKind::List(_) => "a list".into(),
            ExprKind::Tuple(_) => "a tuple".into(),
            ExprKind::Set(_) => "a set".into(),
            ExprKind::Dict(_) => "a dict".into(),
            ExprKind::Subscript { .. } => "a subscript".into(),
            ExprKind::BinOp { .. } | ExprKind::BoolOp { .. } | ExprKind::Unary { .. } => {
                "an operation".into()
            }
            ExprKind::Compare { .. } => "a comparison".into(),
            ExprKind::Lambda { .. } => "a lambda".into(),
            ExprKind::IfExp { .. } => "a conditional expression".into(),
            ExprKind::Starred(_) => "a starred expression".into(),
            ExprKind::Other(kind) => format!("a {}", kind.replace('_', " ")),
        }
    }
}
