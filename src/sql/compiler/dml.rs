//! INSERT, UPDATE and DELETE in the one walk: the rows of an INSERT
//! bound column by column, a row of nothing but defaults in each
//! database's words, and RETURNING where asked.

use super::Writer;
use crate::sql::statement::{Delete, Insert, Update};
use crate::sql::value::Value;

impl Writer<'_> {
    /// `rows` in order, a value per column: borrowed values are copied,
    /// an owned statement's are moved (`compile_insert`).
    pub(super) fn insert<R: IntoIterator<Item = Value>>(
        &mut self,
        s: &Insert,
        rows: impl ExactSizeIterator<Item = R>,
    ) {
        self.push("INSERT INTO ");
        self.table(&s.table);
        if s.columns.is_empty() {
            // A row of nothing but defaults: each database has its own words.
            let words = self.dialect.insert_default_values();
            self.push(words);
        } else {
            self.push(" (");
            for (i, (name, _)) in s.columns.iter().enumerate() {
                if i > 0 {
                    self.push(", ");
                }
                self.ident(name);
            }
            self.push(") VALUES ");
            // A batch carries thousands of parameters: room for them at once.
            let binds = rows.len() * s.columns.len();
            self.binds.reserve(binds);
            self.sql.reserve(binds * 6);
            for (r, row) in rows.enumerate() {
                if r > 0 {
                    self.push(", ");
                }
                self.push("(");
                for (i, value) in row.into_iter().enumerate() {
                    if i > 0 {
                        self.push(", ");
                    }
                    self.bind(value, Some(s.columns[i].1.clone()));
                }
                self.push(")");
            }
        }
        if !s.returning.is_empty() && self.dialect.supports_returning() {
            self.push(" RETURNING ");
            self.ident_list(&s.returning);
        }
    }

    pub(super) fn update(&mut self, s: &Update) {
        self.push("UPDATE ");
        self.table(&s.table);
        self.push(" SET ");
        for (i, (name, value)) in s.assignments.iter().enumerate() {
            if i > 0 {
                self.push(", ");
            }
            self.ident(name);
            self.push(" = ");
            self.expr(value);
        }
        if let Some(filter) = &s.filter {
            self.push(" WHERE ");
            self.expr(filter);
        }
        if !s.returning.is_empty() {
            self.push(" RETURNING ");
            self.ident_list(&s.returning);
        }
    }

    pub(super) fn delete(&mut self, s: &Delete) {
        self.push("DELETE FROM ");
        self.table(&s.table);
        if let Some(filter) = &s.filter {
            self.push(" WHERE ");
            self.expr(filter);
        }
        if !s.returning.is_empty() {
            self.push(" RETURNING ");
            self.ident_list(&s.returning);
        }
    }
}
