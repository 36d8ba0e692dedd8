//! What the server drivers share in decoding a value.

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
