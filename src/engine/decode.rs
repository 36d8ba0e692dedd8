//! What the server drivers share in decoding a value.

use sqlx::{ColumnIndex, Row, TypeInfo, ValueRef};

use super::database_error;
use crate::error::Result;
use crate::sql::Value;

/// Column `i` of `row`: NULL, or what `by_name` decodes by the name the
/// driver gives the column's type.
pub(crate) fn not_null<R: Row>(
    row: &R,
    i: usize,
    by_name: fn(&R, usize, &str) -> Result<Value>,
) -> Result<Value>
where
    usize: ColumnIndex<R>,
{
    let raw = row.try_get_raw(i).map_err(database_error)?;
    if raw.is_null() {
        return Ok(Value::Null);
    }
    // Named in place, not copied: this runs for every value read.
    let ty = raw.type_info();
    by_name(row, i, ty.name())
}

/// A single-precision float as the double that its shortest decimal is, as
/// the database's client prints it and SQLAlchemy reads it: `0.15`, not
/// `0.15000000596046448`.
pub(crate) fn widen_f32(x: f32) -> f64 {
    x.to_string().parse().unwrap_or(f64::from(x))
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_float4_widens_to_its_shortest_decimal() {
        assert_eq!(super::widen_f32(0.15), 0.15);
        assert_eq!(super::widen_f32(1.5), 1.5);
        assert_eq!(super::widen_f32(f32::MAX), 3.4028235e38);
    }
}
