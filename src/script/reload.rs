//! What survives `.reload`: the old host's plain variables, a stale marker
//! for its objects and queries, and its recording and N+1 settings.

use rhai::Engine;

use super::{ScriptHost, db, handles};

/// What a variable holding an object or a query becomes after `.reload`.
#[derive(Clone)]
pub struct Stale(String);

const STALE: &str = "stale object (loaded before .reload: load it again)";

/// The marker's type and how it shows.
pub(super) fn register(engine: &mut Engine) {
    engine.register_type_with_name::<Stale>(STALE);
    engine.register_fn("to_string", |s: &mut Stale| format!("<{}: {STALE}>", s.0));
    engine.register_fn("to_debug", |s: &mut Stale| format!("<{}: {STALE}>", s.0));
}

impl ScriptHost {
    /// After `.reload`: take the variables of the host this one replaces.
    /// Plain values come as they are; objects, collections and queries of
    /// the old models become a marker that says they are stale, so they can
    /// never show data under a model that changed.
    pub fn carry_over(&mut self, old: &ScriptHost) {
        for (name, constant, value) in old.scope.iter() {
            if constant || self.scope.contains(name) {
                continue;
            }
            let stale = value.is::<handles::ObjectHandle>()
                || value.is::<handles::CollectionHandle>()
                || value.is::<handles::RelationshipAttr>()
                || value.is::<handles::QueryHandle>()
                || value.is::<db::NestedHandle>();
            if stale {
                self.scope.push(name.to_string(), Stale(name.to_string()));
            } else {
                self.scope.push_dynamic(name.to_string(), value);
            }
        }
        self.shared.recorded.set_on(old.shared.recorded.is_on());
        if self.shared.recorded.is_on() {
            let recorded = self.shared.recorded.clone();
            self.change_engine(|engine| recorded.hook(engine));
        }
        self.shared
            .nplusone
            .set_threshold(old.shared.nplusone.threshold());
    }
}
