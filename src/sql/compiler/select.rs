//! The SELECT of the one walk: its WITH clauses, columns, FROM and JOINs
//! (tables, aliases, subqueries), the rest of its clauses, and the
//! set operations (`UNION` ..) that join SELECTs; anonymous names are
//! kept clear of the aliases written as they stand.

use super::Writer;
use crate::sql::expr::Expr;
use crate::sql::statement::{Compound, Join, Select, TableRef};
use crate::sql::types::ColumnType;
use crate::sql::value::Value;

impl Writer<'_> {
    /// Keep the aliases `s` writes as they stand (a joined load's
    /// `book_1`, a limited query's `anon_1`) from the numbered names.
    pub(super) fn reserve_aliases(&mut self, s: &Select) {
        let tables = s.from.iter().chain(s.joins.iter().map(|j| &j.table));
        let nested = tables
            .clone()
            .flat_map(|t| t.nested.iter().map(|j| &j.table));
        for t in tables.chain(nested) {
            if let Some(alias) = &t.alias {
                self.anon.reserve(alias);
            }
            if let Some(sub) = &t.subquery {
                self.reserve_aliases(sub);
            }
        }
        if let Some((sub, alias)) = &s.from_subquery {
            self.anon.reserve(alias);
            self.reserve_aliases(sub);
        }
    }

    /// A SELECT list: a column of a type ormsh has no decoder for is read
    /// as its text.
    fn select_list(&mut self, exprs: &[Expr]) {
        for (i, e) in exprs.iter().enumerate() {
            if i > 0 {
                self.push(", ");
            }
            let wrapped = match e {
                Expr::Column(c) => self.dialect.read_wrapped(&c.ty),
                _ => None,
            };
            match wrapped {
                Some((before, after)) => {
                    self.push(before);
                    self.expr(e);
                    self.push(after);
                }
                None => self.expr(e),
            }
        }
    }

    fn table_ref(&mut self, t: &TableRef) {
        if !t.nested.is_empty() {
            self.push("(");
            self.table_ref(&TableRef {
                nested: Vec::new(),
                ..t.clone()
            });
            for join in &t.nested {
                self.join(join);
            }
            self.push(")");
            return;
        }
        if let Some(sub) = &t.subquery {
            self.push("(");
            self.select(sub);
            self.push(") AS ");
            self.ident(t.alias.as_deref().unwrap_or(&t.name));
            return;
        }
        self.table(&t.name);
        if let Some(alias) = &t.alias {
            self.push(" AS ");
            self.ident(alias);
        }
    }

    fn join(&mut self, join: &Join) {
        self.push(if join.outer {
            " LEFT OUTER JOIN "
        } else {
            " JOIN "
        });
        self.table_ref(&join.table);
        self.push(" ON ");
        self.expr(&join.on);
    }

    pub(super) fn select(&mut self, s: &Select) {
        if let Some(c) = &s.compound {
            return self.compound(c);
        }
        let recursive = s.ctes.iter().any(|c| c.recursive);
        for (i, cte) in s.ctes.iter().enumerate() {
            self.push(match (i, recursive) {
                (0, true) => "WITH RECURSIVE ",
                (0, false) => "WITH ",
                _ => ", ",
            });
            self.ident(&cte.name);
            self.push(" AS (");
            self.select(&cte.select);
            self.push(")");
            if i + 1 == s.ctes.len() {
                self.push(" ");
            }
        }
        self.push("SELECT ");
        if s.distinct {
            self.push("DISTINCT ");
        }
        self.select_list(&s.columns);
        if let Some(from) = &s.from {
            self.push(" FROM ");
            self.table_ref(from);
        } else if let Some((sub, alias)) = &s.from_subquery {
            self.push(" FROM (");
            self.select(sub);
            self.push(") AS ");
            self.ident(alias);
        }
        for join in &s.joins {
            self.join(join);
        }
        if let Some(filter) = &s.filter {
            self.push(" WHERE ");
            self.expr(filter);
        }
        if !s.group_by.is_empty() {
            self.push(" GROUP BY ");
            self.expr_list(&s.group_by);
        }
        if let Some(having) = &s.having {
            self.push(" HAVING ");
            self.expr(having);
        }
        if !s.order_by.is_empty() {
            self.push(" ORDER BY ");
            self.expr_list(&s.order_by);
        }
        self.limit_offset(s.limit, s.offset);
    }

    /// `a UNION b ..`: a member with its own ORDER BY or LIMIT in
    /// parentheses, or, where the database takes none there (SQLite),
    /// read from as a subquery.
    pub(super) fn compound(&mut self, c: &Compound) {
        for (i, member) in c.members.iter().enumerate() {
            if i > 0 {
                self.push(c.op.sql());
            }
            let own_clauses = !member.order_by.is_empty()
                || member.limit.is_some()
                || member.offset.is_some()
                || !member.ctes.is_empty();
            if !own_clauses {
                self.select(member);
            } else if self.dialect.compound_member_parens() {
                self.push("(");
                self.select(member);
                self.push(")");
            } else {
                self.push("SELECT * FROM (");
                self.select(member);
                self.push(") AS ");
                self.ident(&crate::sql::anon::anonymous("anon"));
            }
        }
        if !c.order_by.is_empty() {
            self.push(" ORDER BY ");
            self.expr_list(&c.order_by);
        }
        self.limit_offset(c.limit, c.offset);
    }

    pub(super) fn limit_offset(&mut self, limit: Option<u64>, offset: Option<u64>) {
        let as_bind = |n: u64| Value::Int(n.min(i64::MAX as u64) as i64);
        match (limit, offset) {
            (Some(l), _) => {
                self.push(" LIMIT ");
                self.bind(as_bind(l), Some(ColumnType::BigInteger));
            }
            (None, Some(_)) => {
                if let Some(unbounded) = self.dialect.unbounded_limit() {
                    self.push(" LIMIT ");
                    self.push(unbounded);
                }
            }
            (None, None) => {}
        }
        if let Some(o) = offset {
            self.push(" OFFSET ");
            self.bind(as_bind(o), Some(ColumnType::BigInteger));
        }
    }
}
