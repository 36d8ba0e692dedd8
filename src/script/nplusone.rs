//! N+1 detection: while one line or script runs, lazy loads are counted per
//! relationship; past a threshold, one warning names the relationship, what
//! it cost, and the eager-loading option that avoids it.

use std::cell::{Cell, RefCell};

/// Lazy loads of one relationship during one evaluation.
#[derive(Debug, Clone)]
struct Seen {
    model: String,
    relationship: String,
    count: u64,
    /// The script line of the first load.
    line: Option<usize>,
}

/// The tracker the host resets before each evaluation.
#[derive(Debug)]
pub struct Detector {
    /// Warn past this many lazy loads of one relationship; `None` is off.
    threshold: Cell<Option<u64>>,
    seen: RefCell<Vec<Seen>>,
}

impl Default for Detector {
    fn default() -> Self {
        Detector {
            threshold: Cell::new(Some(10)),
            seen: RefCell::new(Vec::new()),
        }
    }
}

impl Detector {
    pub fn set_threshold(&self, threshold: Option<u64>) {
        self.threshold.set(threshold);
    }

    pub fn threshold(&self) -> Option<u64> {
        self.threshold.get()
    }

    pub fn reset(&self) {
        self.seen.borrow_mut().clear();
    }

    /// One lazy load (one SQL statement) of `model.relationship`.
    pub fn record(&self, model: &str, relationship: &str, line: Option<usize>) {
        let mut seen = self.seen.borrow_mut();
        match seen
            .iter_mut()
            .find(|s| s.model == model && s.relationship == relationship)
        {
            Some(s) => s.count += 1,
            None => seen.push(Seen {
                model: model.to_string(),
                relationship: relationship.to_string(),
                count: 1,
                line,
            }),
        }
    }

    /// The warnings for what crossed the threshold; `origin` names a script.
    pub fn warnings(&self, origin: Option<&str>) -> Vec<String> {
        let Some(threshold) = self.threshold.get() else {
            return Vec::new();
        };
        self.seen
            .borrow()
            .iter()
            .filter(|s| s.count > threshold)
            .map(|s| {
                let place = match (origin, s.line) {
                    (Some(o), Some(l)) => format!("{o}:{l}: "),
                    _ => String::new(),
                };
                format!(
                    "{place}N+1: {}.{} was loaded lazily {} times ({} queries). Load it with the query instead: {}.query.options(joinedload({}.{})) or selectinload(..)",
                    s.model, s.relationship, s.count, s.count, s.model, s.model, s.relationship
                )
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::Detector;

    #[test]
    fn warns_past_the_threshold_only() {
        let d = Detector::default();
        for _ in 0..10 {
            d.record("Post", "author", Some(3));
        }
        assert!(d.warnings(None).is_empty());
        d.record("Post", "author", Some(3));
        let w = d.warnings(Some("seed.rhai"));
        assert_eq!(w.len(), 1);
        assert!(
            w[0].starts_with(
                "seed.rhai:3: N+1: Post.author was loaded lazily 11 times (11 queries)"
            ),
            "{}",
            w[0]
        );
        assert!(w[0].contains("Post.query.options(joinedload(Post.author))"));
        d.set_threshold(None);
        assert!(d.warnings(None).is_empty());
    }
}
