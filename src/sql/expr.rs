//! Expression trees: what `filter(..)`, `order_by(..)` and `with_entities(..)`
//! hold. Built at run time (from Rhai or Rust), compiled by `compiler`.

use super::statement::Select;
use super::types::ColumnType;
use super::value::Value;

/// A column of a table (or of an alias of one), with its declared type so a
/// value compared to it can be bound with the right type.
#[derive(Debug, Clone, PartialEq)]
pub struct ColumnRef {
    pub table: String,
    pub column: String,
    pub ty: ColumnType,
    /// A subquery's column of no known type (`func.lower(..)` in it): no
    /// type to bind a value by, the driver's value read as it is.
    pub untyped: bool,
    /// The model it was named through (by index), where the table's name
    /// does not say it: a subclass in single-table inheritance, whose rows
    /// are some of its table's, or a model on a bind. A select of the
    /// column reads that model's rows.
    pub via: Option<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinaryOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Add,
    Sub,
    Mul,
    Div,
    Mod,
    And,
    Or,
    Like,
    NotLike,
    ILike,
    NotILike,
    /// `IS` / `IS NOT` with a value that is not NULL (`is_(true)`): NULL
    /// rows stay out of `IS` and in `IS NOT`, unlike `=` and `!=`.
    Is,
    IsNot,
}

impl BinaryOp {
    /// The SQL spelling of operators that every dialect writes the same way.
    pub fn sql(self) -> &'static str {
        match self {
            BinaryOp::Eq => " = ",
            BinaryOp::Ne => " != ",
            BinaryOp::Lt => " < ",
            BinaryOp::Le => " <= ",
            BinaryOp::Gt => " > ",
            BinaryOp::Ge => " >= ",
            BinaryOp::Add => " + ",
            BinaryOp::Sub => " - ",
            BinaryOp::Mul => " * ",
            BinaryOp::Div => " / ",
            BinaryOp::Mod => " % ",
            BinaryOp::And => " AND ",
            BinaryOp::Or => " OR ",
            BinaryOp::Like => " LIKE ",
            BinaryOp::NotLike => " NOT LIKE ",
            BinaryOp::ILike => " ILIKE ",
            BinaryOp::NotILike => " NOT ILIKE ",
            BinaryOp::Is => " IS ",
            BinaryOp::IsNot => " IS NOT ",
        }
    }

    pub fn is_arithmetic(self) -> bool {
        matches!(
            self,
            BinaryOp::Add | BinaryOp::Sub | BinaryOp::Mul | BinaryOp::Div | BinaryOp::Mod
        )
    }

    pub fn is_comparison(self) -> bool {
        matches!(
            self,
            BinaryOp::Eq
                | BinaryOp::Ne
                | BinaryOp::Lt
                | BinaryOp::Le
                | BinaryOp::Gt
                | BinaryOp::Ge
                | BinaryOp::Is
                | BinaryOp::IsNot
        )
    }

    /// Whether `a op (b op c)` is `a op b op c`.
    pub(crate) fn is_associative(self) -> bool {
        matches!(
            self,
            BinaryOp::Add | BinaryOp::Mul | BinaryOp::And | BinaryOp::Or
        )
    }

    /// How tightly the operator binds, to decide where parentheses go.
    pub(crate) fn precedence(self) -> u8 {
        match self {
            BinaryOp::Or => 1,
            BinaryOp::And => 2,
            BinaryOp::Eq
            | BinaryOp::Ne
            | BinaryOp::Lt
            | BinaryOp::Le
            | BinaryOp::Gt
            | BinaryOp::Ge
            | BinaryOp::Like
            | BinaryOp::NotLike
            | BinaryOp::ILike
            | BinaryOp::NotILike
            | BinaryOp::Is
            | BinaryOp::IsNot => 4,
            BinaryOp::Add | BinaryOp::Sub => 5,
            BinaryOp::Mul | BinaryOp::Div | BinaryOp::Mod => 6,
        }
    }
}

/// An SQL expression.
#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    Column(ColumnRef),
    /// A value, always sent as a bound parameter, typed by the column it
    /// meets when there is one.
    Bind(Value, Option<ColumnType>),
    /// `TRUE`/`FALSE` as the dialect spells them (for `and_()` of nothing).
    Bool(bool),
    Binary {
        op: BinaryOp,
        left: Box<Expr>,
        right: Box<Expr>,
    },
    Not(Box<Expr>),
    IsNull {
        expr: Box<Expr>,
        negated: bool,
    },
    InList {
        expr: Box<Expr>,
        list: Vec<Expr>,
        negated: bool,
    },
    Between {
        expr: Box<Expr>,
        low: Box<Expr>,
        high: Box<Expr>,
    },
    /// `LIKE` with the pattern escaped by `/`, as SQLAlchemy's `autoescape`.
    LikeEscaped {
        expr: Box<Expr>,
        pattern: String,
        case_insensitive: bool,
        negated: bool,
    },
    Func {
        name: String,
        args: Vec<Expr>,
    },
    /// `*`, as in `count(*)`.
    Star,
    /// `CASE [operand] WHEN a THEN b .. [ELSE c] END`: SQLAlchemy's
    /// `case(..)`, and one UPDATE for many rows.
    Case {
        operand: Option<Box<Expr>>,
        whens: Vec<(Expr, Expr)>,
        else_: Option<Box<Expr>>,
    },
    /// `expr OVER (PARTITION BY .. ORDER BY ..)`: a window function.
    Over {
        expr: Box<Expr>,
        partition_by: Vec<Expr>,
        order_by: Vec<Expr>,
    },
    /// `ordering NULLS FIRST` / `NULLS LAST`.
    NullsOrder {
        expr: Box<Expr>,
        first: bool,
    },
    Label {
        expr: Box<Expr>,
        name: String,
    },
    Ordering {
        expr: Box<Expr>,
        descending: bool,
    },
    /// `(SELECT ..)`, one value (`scalar_subquery()`); a table it reads
    /// that the inner FROM has not is the enclosing query's (correlated).
    Subquery(Box<Select>),
    /// `EXISTS (SELECT ..)`.
    Exists(Box<Select>),
    /// `expr [NOT] IN (SELECT ..)`, the SELECT of one column.
    InSelect {
        expr: Box<Expr>,
        select: Box<Select>,
        negated: bool,
    },
}

/// The type SQLAlchemy gives `a op b`: a float with a float, a decimal
/// with a decimal, and a decimal for integers divided (true division);
/// else the operands' type.
fn arithmetic_type<'a>(
    op: BinaryOp,
    left: Option<&'a ColumnType>,
    right: Option<&'a ColumnType>,
) -> Option<&'a ColumnType> {
    static FLOAT: ColumnType = ColumnType::Float;
    static NUMERIC: ColumnType = ColumnType::Numeric(None);
    let sides = [left, right];
    if sides.iter().any(|t| matches!(t, Some(ColumnType::Float))) {
        return Some(&FLOAT);
    }
    if let Some(decimal) = sides
        .iter()
        .flatten()
        .find(|t| matches!(t, ColumnType::Numeric(_)))
    {
        return Some(decimal);
    }
    if op == BinaryOp::Div && sides.iter().all(|t| t.is_none_or(ColumnType::is_integer)) {
        return Some(&NUMERIC);
    }
    left.or(right)
}

/// The scale an average of a decimal column gets, past the column's own:
/// MySQL's rule for `AVG` of a `DECIMAL(p, s)` (`DECIMAL(p + 4, s + 4)`).
const AVG_EXTRA_SCALE: u32 = 4;

/// `avg(..)` of a `Numeric(p, s)` column: a `Numeric(p + 4, s + 4)`, so a
/// database that averages in floating point (SQLite) answers with an exact
/// decimal at MySQL's scale, and one that answers with a decimal of its own
/// scale (PostgreSQL's `4.1000000000000000`) keeps it.
fn average_type(arg: Option<&ColumnType>) -> Option<&'static ColumnType> {
    static TYPES: std::sync::LazyLock<Vec<ColumnType>> = std::sync::LazyLock::new(|| {
        (0..=28 - AVG_EXTRA_SCALE)
            .map(|s| ColumnType::Numeric(Some((65, s + AVG_EXTRA_SCALE))))
            .collect()
    });
    static NUMERIC: ColumnType = ColumnType::Numeric(None);
    match arg? {
        ColumnType::Numeric(Some((_, s))) => Some(TYPES.get(*s as usize).unwrap_or(&NUMERIC)),
        ColumnType::Numeric(None) => Some(&NUMERIC),
        _ => None,
    }
}

/// The type SQLAlchemy gives a function's result: its argument's for
/// `sum`/`min`/`max`/`coalesce` (`ReturnTypeFromArgs`), a fixed one for the
/// functions it declares, none for the rest (the driver's value as it is).
/// `avg` of a decimal column is a decimal too (`average_type`), where
/// SQLAlchemy leaves SQLite's float.
fn function_type<'a>(name: &str, args: &'a [Expr]) -> Option<&'a ColumnType> {
    static INTEGER: ColumnType = ColumnType::Integer;
    static DATE_TIME: ColumnType = ColumnType::DateTime;
    static DATE: ColumnType = ColumnType::Date;
    static TIME: ColumnType = ColumnType::Time;
    match name.to_ascii_lowercase().as_str() {
        "sum" | "min" | "max" | "coalesce" => args.iter().find_map(Expr::type_hint),
        "avg" => average_type(args.first().and_then(Expr::type_hint)),
        "count" | "char_length" | "rank" | "dense_rank" | "row_number" => Some(&INTEGER),
        "now" | "current_timestamp" | "localtimestamp" | "localtime" | "sysdate" => {
            Some(&DATE_TIME)
        }
        "current_date" => Some(&DATE),
        "current_time" => Some(&TIME),
        _ => None,
    }
}

impl Expr {
    pub fn column(table: &str, column: &str, ty: ColumnType) -> Expr {
        Expr::Column(ColumnRef {
            table: table.to_string(),
            column: column.to_string(),
            ty,
            untyped: false,
            via: None,
        })
    }

    /// A column of `table` of no known type (see `ColumnRef::untyped`).
    pub fn untyped_column(table: &str, column: &str) -> Expr {
        Expr::Column(ColumnRef {
            table: table.to_string(),
            column: column.to_string(),
            ty: ColumnType::Text,
            untyped: true,
            via: None,
        })
    }

    pub fn binary(op: BinaryOp, left: Expr, right: Expr) -> Expr {
        Expr::Binary {
            op,
            left: Box::new(left),
            right: Box::new(right),
        }
    }

    /// AND of all `parts`; none at all is TRUE.
    pub fn and_all(parts: Vec<Expr>) -> Expr {
        Self::fold(parts, BinaryOp::And, true)
    }

    /// OR of all `parts`; none at all is FALSE.
    pub fn or_all(parts: Vec<Expr>) -> Expr {
        Self::fold(parts, BinaryOp::Or, false)
    }

    fn fold(parts: Vec<Expr>, op: BinaryOp, empty: bool) -> Expr {
        let mut iter = parts.into_iter();
        match iter.next() {
            None => Expr::Bool(empty),
            Some(first) => iter.fold(first, |acc, e| Expr::binary(op, acc, e)),
        }
    }

    /// Whether the expression is made of values alone (no column, no
    /// function): a database may fold it to a constant.
    pub fn is_constant(&self) -> bool {
        match self {
            Expr::Bind(..) | Expr::Bool(_) => true,
            Expr::Column(_)
            | Expr::Func { .. }
            | Expr::Star
            | Expr::Subquery(_)
            | Expr::Exists(_)
            | Expr::InSelect { .. } => false,
            Expr::Case {
                operand,
                whens,
                else_,
            } => {
                operand.as_deref().is_none_or(Expr::is_constant)
                    && else_.as_deref().is_none_or(Expr::is_constant)
                    && whens
                        .iter()
                        .all(|(w, t)| w.is_constant() && t.is_constant())
            }
            Expr::Over { .. } => false,
            Expr::NullsOrder { expr, .. } => expr.is_constant(),
            Expr::Binary { left, right, .. } => left.is_constant() && right.is_constant(),
            Expr::Not(e) | Expr::IsNull { expr: e, .. } => e.is_constant(),
            Expr::InList { expr, list, .. } => {
                expr.is_constant() && list.iter().all(Expr::is_constant)
            }
            Expr::Between { expr, low, high } => {
                expr.is_constant() && low.is_constant() && high.is_constant()
            }
            Expr::LikeEscaped { expr, .. }
            | Expr::Label { expr, .. }
            | Expr::Ordering { expr, .. } => expr.is_constant(),
        }
    }

    /// The declared type of the expression, when it has one to give a value
    /// compared with it.
    pub fn type_hint(&self) -> Option<&ColumnType> {
        match self {
            Expr::Column(c) if c.untyped => None,
            Expr::Column(c) => Some(&c.ty),
            Expr::Bind(_, ty) => ty.as_ref(),
            Expr::Label { expr, .. }
            | Expr::Ordering { expr, .. }
            | Expr::Over { expr, .. }
            | Expr::NullsOrder { expr, .. } => expr.type_hint(),
            // The type of its results, as SQLAlchemy's `case` takes it.
            Expr::Case { whens, else_, .. } => whens
                .iter()
                .map(|(_, then)| then)
                .chain(else_.as_deref())
                .find_map(Expr::type_hint),
            Expr::Binary { op, left, right } if op.is_arithmetic() => {
                arithmetic_type(*op, left.type_hint(), right.type_hint())
            }
            Expr::Binary { op, left, right } if !op.is_comparison() => {
                left.type_hint().or_else(|| right.type_hint())
            }
            Expr::Func { name, args } => function_type(name, args),
            Expr::Subquery(select) => select.columns.first().and_then(Expr::type_hint),
            Expr::Exists(_) => {
                static BOOLEAN: ColumnType = ColumnType::Boolean;
                Some(&BOOLEAN)
            }
            _ => None,
        }
    }

    /// The expression with each column `f` answers for replaced (a
    /// subquery's own columns kept: they belong to its FROM).
    pub fn map_columns(&self, f: &dyn Fn(&ColumnRef) -> Option<Expr>) -> Expr {
        let m = |e: &Expr| Box::new(e.map_columns(f));
        let all = |list: &[Expr]| list.iter().map(|e| e.map_columns(f)).collect();
        match self {
            Expr::Column(c) => f(c).unwrap_or_else(|| self.clone()),
            Expr::LikeEscaped {
                expr,
                pattern,
                case_insensitive,
                negated,
            } => Expr::LikeEscaped {
                expr: m(expr),
                pattern: pattern.clone(),
                case_insensitive: *case_insensitive,
                negated: *negated,
            },
            Expr::Binary { op, left, right } => Expr::Binary {
                op: *op,
                left: m(left),
                right: m(right),
            },
            Expr::Not(e) => Expr::Not(m(e)),
            Expr::IsNull { expr, negated } => Expr::IsNull {
                expr: m(expr),
                negated: *negated,
            },
            Expr::InList {
                expr,
                list,
                negated,
            } => Expr::InList {
                expr: m(expr),
                list: all(list),
                negated: *negated,
            },
            Expr::InSelect {
                expr,
                select,
                negated,
            } => Expr::InSelect {
                expr: m(expr),
                select: select.clone(),
                negated: *negated,
            },
            Expr::Between { expr, low, high } => Expr::Between {
                expr: m(expr),
                low: m(low),
                high: m(high),
            },
            Expr::Func { name, args } => Expr::Func {
                name: name.clone(),
                args: all(args),
            },
            Expr::Case {
                operand,
                whens,
                else_,
            } => Expr::Case {
                operand: operand.as_deref().map(m),
                whens: whens
                    .iter()
                    .map(|(w, t)| (w.map_columns(f), t.map_columns(f)))
                    .collect(),
                else_: else_.as_deref().map(m),
            },
            Expr::Over {
                expr,
                partition_by,
                order_by,
            } => Expr::Over {
                expr: m(expr),
                partition_by: all(partition_by),
                order_by: all(order_by),
            },
            Expr::NullsOrder { expr, first } => Expr::NullsOrder {
                expr: m(expr),
                first: *first,
            },
            Expr::Label { expr, name } => Expr::Label {
                expr: m(expr),
                name: name.clone(),
            },
            Expr::Ordering { expr, descending } => Expr::Ordering {
                expr: m(expr),
                descending: *descending,
            },
            Expr::Bind(..) | Expr::Bool(_) | Expr::Star | Expr::Subquery(_) | Expr::Exists(_) => {
                self.clone()
            }
        }
    }

    /// Whether a subquery is part of it (whose own columns `map_columns`
    /// leaves as they are).
    pub fn reads_a_subquery(&self) -> bool {
        let any = |list: &[Expr]| list.iter().any(Expr::reads_a_subquery);
        match self {
            Expr::Subquery(_) | Expr::Exists(_) | Expr::InSelect { .. } => true,
            Expr::Column(_) | Expr::Bind(..) | Expr::Bool(_) | Expr::Star => false,
            Expr::Binary { left, right, .. } => left.reads_a_subquery() || right.reads_a_subquery(),
            Expr::Not(e)
            | Expr::IsNull { expr: e, .. }
            | Expr::LikeEscaped { expr: e, .. }
            | Expr::NullsOrder { expr: e, .. }
            | Expr::Label { expr: e, .. }
            | Expr::Ordering { expr: e, .. } => e.reads_a_subquery(),
            Expr::InList { expr, list, .. } => expr.reads_a_subquery() || any(list),
            Expr::Between { expr, low, high } => {
                expr.reads_a_subquery() || low.reads_a_subquery() || high.reads_a_subquery()
            }
            Expr::Func { args, .. } => any(args),
            Expr::Case {
                operand,
                whens,
                else_,
            } => {
                operand.as_deref().is_some_and(Expr::reads_a_subquery)
                    || whens
                        .iter()
                        .any(|(w, t)| w.reads_a_subquery() || t.reads_a_subquery())
                    || else_.as_deref().is_some_and(Expr::reads_a_subquery)
            }
            Expr::Over {
                expr,
                partition_by,
                order_by,
            } => expr.reads_a_subquery() || any(partition_by) || any(order_by),
        }
    }

    /// Whether this expression needs parentheses when it is an operand of `parent`.
    pub(crate) fn needs_parens_under(&self, parent: BinaryOp) -> bool {
        match self {
            Expr::Binary { op, .. } => {
                op.precedence() < parent.precedence()
                    || (op.precedence() == parent.precedence() && op.is_comparison())
            }
            Expr::IsNull { .. }
            | Expr::InList { .. }
            | Expr::InSelect { .. }
            | Expr::Between { .. }
            | Expr::LikeEscaped { .. } => parent.precedence() > 2,
            _ => false,
        }
    }

    /// A short name for error messages: `user.username`, or the kind of expression.
    pub fn describe(&self) -> String {
        match self {
            Expr::Column(c) => format!("{}.{}", super::anon::shown(&c.table), c.column),
            Expr::Bind(v, _) => v.repr(),
            Expr::Func { name, .. } => format!("{name}(..)"),
            Expr::Label { name, .. } => name.clone(),
            Expr::Exists(_) => "EXISTS (SELECT ..)".to_string(),
            _ => "expression".to_string(),
        }
    }
}

/// Escape `%`, `_` and the escape character itself for a LIKE pattern that
/// uses `/` as its escape, so typed text matches literally.
pub fn escape_like(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        if matches!(ch, '%' | '_' | '/') {
            out.push('/');
        }
        out.push(ch);
    }
    out
}
