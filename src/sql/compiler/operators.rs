//! The operators whose SQL differs from `left op right`: strings joined
//! with `+`, exact division, ILIKE where the database has none, and LIKE
//! with an escaped pattern. Part of the one walk in `compiler`.

use super::Writer;
use crate::sql::dialect::TrueDivision;
use crate::sql::expr::{BinaryOp, Expr};
use crate::sql::types::ColumnType;
use crate::sql::value::Value;

impl Writer<'_> {
    pub(super) fn binary(&mut self, op: BinaryOp, left: &Expr, right: &Expr) {
        if is_concat_of(op, left, right) {
            self.concat(left, right);
            return;
        }
        if op == BinaryOp::Div {
            self.divide(left, right);
            return;
        }
        if matches!(op, BinaryOp::ILike | BinaryOp::NotILike) && !self.dialect.supports_ilike() {
            self.push("lower(");
            self.expr(left);
            self.push(if op == BinaryOp::ILike {
                ") LIKE lower("
            } else {
                ") NOT LIKE lower("
            });
            self.expr(right);
            self.push(")");
            return;
        }
        self.operand(left, op);
        self.push(op.sql());
        // On the right, an operation that binds no tighter is parenthesised
        // (`a - (b + c)`), unless it is the same associative one.
        let right_needs = match right {
            Expr::Binary { op: rop, .. } => {
                rop.precedence() <= op.precedence() && !(*rop == op && op.is_associative())
            }
            _ => false,
        };
        if right_needs {
            self.push("(");
            self.expr(right);
            self.push(")");
        } else {
            self.operand(right, op);
        }
    }

    /// `a + b` of strings joins them, as SQLAlchemy's String type does:
    /// `a || b`, or `concat(a, b)`. An operand that is itself an operation
    /// is parenthesised (SQLite's `||` binds tighter than arithmetic).
    fn concat(&mut self, left: &Expr, right: &Expr) {
        let Some(operator) = self.dialect.concat_operator() else {
            self.push("concat(");
            self.expr(left);
            self.push(", ");
            self.expr(right);
            self.push(")");
            return;
        };
        for (i, side) in [left, right].into_iter().enumerate() {
            if i > 0 {
                self.push(operator);
            }
            let chained = i == 0 && is_concat(side);
            if matches!(side, Expr::Binary { .. }) && !chained {
                self.push("(");
                self.expr(side);
                self.push(")");
            } else {
                self.operand(side, BinaryOp::Add);
            }
        }
    }

    /// `a / b` divides exactly (SQLAlchemy 2's true division), the way the
    /// dialect says.
    fn divide(&mut self, left: &Expr, right: &Expr) {
        self.operand(left, BinaryOp::Div);
        self.push(" / ");
        // Integers only: a float or a decimal on either side divides exactly.
        let exact = [left, right].iter().any(|e| {
            e.type_hint()
                .is_some_and(|t| matches!(t, ColumnType::Float | ColumnType::Numeric(_)))
        });
        let nested = right.needs_parens_under(BinaryOp::Div)
            || matches!(
                right,
                Expr::Binary {
                    op: BinaryOp::Div | BinaryOp::Mul | BinaryOp::Mod,
                    ..
                }
            );
        match self.dialect.true_division() {
            TrueDivision::PlusZero if !exact => {
                self.push("(");
                self.expr(right);
                self.push(" + 0.0)");
            }
            TrueDivision::CastNumeric if !exact => {
                self.push("CAST(");
                self.expr(right);
                self.push(" AS NUMERIC)");
            }
            _ if nested => {
                self.push("(");
                self.expr(right);
                self.push(")");
            }
            _ => self.expr(right),
        }
    }

    pub(super) fn like(
        &mut self,
        expr: &Expr,
        pattern: &str,
        case_insensitive: bool,
        negated: bool,
    ) {
        let ty = expr.type_hint().cloned();
        let native = case_insensitive && self.dialect.supports_ilike();
        let lowered = case_insensitive && !native;
        if lowered {
            self.push("lower(");
            self.expr(expr);
            self.push(")");
        } else {
            self.operand(expr, BinaryOp::Like);
        }
        self.push(match (negated, native) {
            (false, false) => " LIKE ",
            (true, false) => " NOT LIKE ",
            (false, true) => " ILIKE ",
            (true, true) => " NOT ILIKE ",
        });
        if lowered {
            self.push("lower(");
            self.bind(Value::Text(pattern.to_string()), ty);
            self.push(")");
        } else {
            self.bind(Value::Text(pattern.to_string()), ty);
        }
        self.push(" ESCAPE '/'");
    }
}

/// Whether `left op right` joins strings: `+` with a string on either
/// side, or a string value beside an expression of no known type
/// (`func.upper(x) + "!"`), as SQLAlchemy types a Python string.
fn is_concat_of(op: BinaryOp, left: &Expr, right: &Expr) -> bool {
    let text = |e: &Expr| e.type_hint().is_some_and(ColumnType::is_textual);
    let text_value = |e: &Expr, beside: &Expr| {
        matches!(e, Expr::Bind(Value::Text(_), None)) && beside.type_hint().is_none()
    };
    op == BinaryOp::Add
        && (text(left) || text(right) || text_value(left, right) || text_value(right, left))
}

fn is_concat(e: &Expr) -> bool {
    matches!(e, Expr::Binary { op, left, right } if is_concat_of(*op, left, right))
}
