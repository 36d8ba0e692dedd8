//! `RowView`: one row as the driver holds it, each column decoded only when
//! asked for. An object query reads a joined row's key first and decodes
//! the rest only for an object it has not loaded yet (a post's author,
//! loaded with the author's first post, comes again with every other).

use crate::error::Result;
use crate::sql::Value;

pub trait RowView {
    fn width(&self) -> usize;
    /// Column `i`, read as its declared type where the query gave one.
    fn value(&self, i: usize) -> Result<Value>;

    /// Columns `from..to`, in a vector of exactly that length (an object
    /// keeps it as is, with no reallocation to fit).
    fn values(&self, from: usize, to: usize) -> Result<Vec<Value>> {
        let mut values = Vec::with_capacity(to.saturating_sub(from));
        for i in from..to {
            values.push(self.value(i)?);
        }
        Ok(values)
    }

    /// Every column.
    fn all(&self) -> Result<Vec<Value>> {
        self.values(0, self.width())
    }
}
