//! An association table as the models declare it (`db.Table`), and how one
//! links the two sides of a many-to-many relationship (`secondary:`).

use crate::orm::mapping::column::Column;
use crate::sql::{ColumnType, Expr};

/// `db.Table(name, [columns])`: a table no model maps.
#[derive(Debug, Clone)]
pub struct TableDecl {
    pub name: String,
    pub columns: Vec<Column>,
    /// Constraints and indexes beyond the columns' own.
    pub constraints: Vec<crate::orm::mapping::constraints::Constraint>,
    /// `bind_key=`: the bind it lives on; none said, that of the models it links.
    pub bind_key: Option<String>,
}

/// How an association table links the two sides of one relationship.
#[derive(Debug, Clone)]
pub struct Secondary {
    pub table: String,
    /// (column of this side, association column, its type).
    pub local: Vec<(usize, String, ColumnType)>,
    /// (association column, its type, column of the target).
    pub remote: Vec<(String, ColumnType, usize)>,
}

impl Secondary {
    /// The same link seen from the other side (for a backref).
    pub fn reversed(&self) -> Secondary {
        Secondary {
            table: self.table.clone(),
            local: self
                .remote
                .iter()
                .map(|(a, ty, t)| (*t, a.clone(), ty.clone()))
                .collect(),
            remote: self
                .local
                .iter()
                .map(|(s, a, ty)| (a.clone(), ty.clone(), *s))
                .collect(),
        }
    }

    pub(crate) fn column(&self, name: &str, ty: &ColumnType) -> Expr {
        Expr::column(&self.table, name, ty.clone())
    }
}
