//! The table-level constraints of CREATE TABLE: `CONSTRAINT name` and the
//! UNIQUE, CHECK and FOREIGN KEY clauses the models declare.

use super::Writer;
use crate::sql::statement::TableConstraintDdl;

impl Writer<'_> {
    /// `CONSTRAINT name ` before a constraint that has a name.
    pub(super) fn constraint_name(&mut self, name: Option<&str>) {
        if let Some(name) = name {
            self.push("CONSTRAINT ");
            self.ident(name);
            self.push(" ");
        }
    }

    pub(super) fn table_constraint(&mut self, c: &TableConstraintDdl) {
        match c {
            TableConstraintDdl::Unique { name, columns } => {
                self.constraint_name(name.as_deref());
                self.push("UNIQUE (");
                self.ident_list(columns);
                self.push(")");
            }
            // The models' own SQL, as SQLAlchemy writes a CheckConstraint.
            TableConstraintDdl::Check { name, sql } => {
                self.constraint_name(name.as_deref());
                self.push("CHECK (");
                self.push(sql);
                self.push(")");
            }
            TableConstraintDdl::ForeignKey(fk) => self.foreign_key(fk),
        }
    }
}
