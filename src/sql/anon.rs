//! Anonymous names: an alias, subquery or CTE the user did not name gets
//! its name when its statement is compiled (`book_1`, `anon_1`), numbered
//! in the order they appear, as SQLAlchemy numbers them. Until then the
//! name is a marker that no table or alias can spell.

use std::sync::atomic::{AtomicU64, Ordering};

const MARK: char = '\u{1}';

/// A new anonymous name, to be written `{base}_N`.
pub fn anonymous(base: &str) -> String {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    let id = NEXT.fetch_add(1, Ordering::Relaxed);
    format!("{MARK}{id}{MARK}{base}")
}

pub fn is_anonymous(name: &str) -> bool {
    name.starts_with(MARK)
}

/// The name as a message shows it: an anonymous one by its base (`book`).
pub fn shown(name: &str) -> &str {
    match name.strip_prefix(MARK) {
        Some(rest) => rest.split_once(MARK).map_or(rest, |(_, base)| base),
        None => name,
    }
}

/// The names one statement gives its anonymous names.
#[derive(Debug, Default)]
pub(crate) struct AnonNames {
    given: Vec<(String, String)>,
    /// Names written as they stand that a numbered name must not take.
    reserved: Vec<String>,
}

impl AnonNames {
    pub(crate) fn reserve(&mut self, name: &str) {
        if !is_anonymous(name) && !self.reserved.iter().any(|r| r == name) {
            self.reserved.push(name.to_string());
        }
    }

    /// The name `marker` is written as in this statement.
    pub(crate) fn name(&mut self, marker: &str) -> &str {
        let i = match self.given.iter().position(|(m, _)| m == marker) {
            Some(i) => i,
            None => {
                let base = shown(marker);
                let mut n = 1;
                let name = loop {
                    let candidate = format!("{base}_{n}");
                    let taken = self.reserved.contains(&candidate)
                        || self.given.iter().any(|(_, g)| *g == candidate);
                    if !taken {
                        break candidate;
                    }
                    n += 1;
                };
                self.given.push((marker.to_string(), name));
                self.given.len() - 1
            }
        };
        &self.given[i].1
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbered_per_base_in_order_and_around_reserved_names() {
        let (a, b, c) = (anonymous("book"), anonymous("book"), anonymous("anon"));
        let mut names = AnonNames::default();
        names.reserve("book_1");
        assert_eq!(names.name(&a), "book_2");
        assert_eq!(names.name(&c), "anon_1");
        assert_eq!(names.name(&b), "book_3");
        assert_eq!(names.name(&a), "book_2");
        assert_eq!(shown(&a), "book");
        assert_eq!(shown("author"), "author");
    }
}
