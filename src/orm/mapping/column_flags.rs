//! One yes/no per column of an object (loaded, set by the user), packed in
//! bits: a model of up to 64 columns keeps its flags inline, with no
//! allocation of their own for each of the many objects a query loads.

#[derive(Debug, Clone)]
pub enum ColumnFlags {
    Inline(u64),
    Wide(Box<[u64]>),
}

impl ColumnFlags {
    /// `width` flags, every one `on` (or off).
    pub fn new(width: usize, on: bool) -> ColumnFlags {
        let word = if on { u64::MAX } else { 0 };
        if width <= 64 {
            ColumnFlags::Inline(word)
        } else {
            ColumnFlags::Wide(vec![word; width.div_ceil(64)].into_boxed_slice())
        }
    }

    fn words(&self) -> &[u64] {
        match self {
            ColumnFlags::Inline(w) => std::slice::from_ref(w),
            ColumnFlags::Wide(ws) => ws,
        }
    }

    fn words_mut(&mut self) -> &mut [u64] {
        match self {
            ColumnFlags::Inline(w) => std::slice::from_mut(w),
            ColumnFlags::Wide(ws) => ws,
        }
    }

    pub fn get(&self, column: usize) -> bool {
        self.words()[column / 64] & (1 << (column % 64)) != 0
    }

    pub fn put(&mut self, column: usize, on: bool) {
        let word = &mut self.words_mut()[column / 64];
        if on {
            *word |= 1 << (column % 64);
        } else {
            *word &= !(1 << (column % 64));
        }
    }

    /// Every flag on (or off).
    pub fn fill(&mut self, on: bool) {
        let word = if on { u64::MAX } else { 0 };
        self.words_mut().iter_mut().for_each(|w| *w = word);
    }

    /// Whether all of the first `width` flags are on.
    pub fn all(&self, width: usize) -> bool {
        (0..width).all(|c| self.get(c))
    }
}

#[cfg(test)]
mod tests {
    use super::ColumnFlags;

    #[test]
    fn narrow_and_wide() {
        for width in [1, 4, 64, 65, 130] {
            let mut f = ColumnFlags::new(width, true);
            assert!(f.all(width));
            f.put(width - 1, false);
            assert!(!f.get(width - 1) && !f.all(width) && f.get(0) == (width > 1));
            f.fill(false);
            assert!((0..width).all(|c| !f.get(c)));
            f.put(width - 1, true);
            assert!(f.get(width - 1));
        }
        assert!(matches!(
            ColumnFlags::new(64, false),
            ColumnFlags::Inline(0)
        ));
        assert!(matches!(ColumnFlags::new(65, false), ColumnFlags::Wide(_)));
    }
}
