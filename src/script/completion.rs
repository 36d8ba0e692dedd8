//! What the prompt's completion asks of the host: the variables in scope,
//! the objects among them, and the models' `methods`.

use super::{ScriptHost, handles};

impl ScriptHost {
    /// (model, its `methods`), for completion.
    pub fn model_methods(&self) -> Vec<(String, Vec<String>)> {
        self.shared
            .extras
            .borrow()
            .iter()
            .map(|(m, e)| {
                (
                    m.clone(),
                    e.methods.iter().map(|(n, _)| n.clone()).collect(),
                )
            })
            .collect()
    }

    /// (variable, model) for each variable holding an object, for completion.
    pub fn object_variables(&self) -> Vec<(String, String)> {
        self.scope
            .iter()
            .filter_map(|(name, _, value)| {
                value
                    .try_cast::<handles::ObjectHandle>()
                    .map(|o| (name.to_string(), o.0.mapper().name.clone()))
            })
            .collect()
    }

    /// The names of the variables in scope (for completion).
    pub fn variables(&self) -> Vec<String> {
        self.scope
            .iter()
            .map(|(name, _, _)| name.to_string())
            .collect()
    }
}
