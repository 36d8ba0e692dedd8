//! What the host reports on what ran: recorded queries (`.record`), the
//! N+1 warnings with the session's own, and reflection's notes.

use super::{ScriptHost, recording};

impl ScriptHost {
    /// Reflection's notes to show next (names chosen because another was
    /// taken), handed over once.
    pub fn take_notes(&self) -> Vec<String> {
        std::mem::take(&mut *self.shared.notes.borrow_mut())
    }

    /// The N+1 warnings of the last evaluation (`origin` names a script).
    /// With them, the session's own warnings (an object a flush left out).
    pub fn nplusone_warnings(&self, origin: Option<&str>) -> Vec<String> {
        let mut warnings = self.shared.nplusone.warnings(origin);
        warnings.extend(self.shared.session.take_warnings());
        warnings
    }

    /// Turn recording of queries on or off (`.record on|off`).
    pub fn set_recording(&mut self, on: bool) {
        if on {
            let recorded = self.shared.recorded.clone();
            self.change_engine(|engine| recorded.hook(engine));
        }
        self.shared.recorded.set_on(on);
    }

    /// The queries recorded so far, with where each came from.
    pub fn recorded_queries(&self) -> Vec<recording::RecordedQuery> {
        self.shared.recorded.queries()
    }

    /// Warn past `threshold` lazy loads of one relationship; `None` turns it off.
    pub fn set_nplusone_threshold(&self, threshold: Option<u64>) {
        self.shared.nplusone.set_threshold(threshold);
    }

    pub fn nplusone_threshold(&self) -> Option<u64> {
        self.shared.nplusone.threshold()
    }
}
