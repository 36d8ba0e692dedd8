//! The models read from Python made into a registry: a model loads only
//! with its parent, and a relationship only with its target (what is left
//! out is named); parents come before the models that derive from them; a
//! model the registry refuses is left out with its file and line so that
//! the others load.

use super::PythonModels;
use crate::orm::mapping::association::TableDecl;
use crate::orm::mapping::model::ModelDecl;

/// Keep the models whose parent is among them and the relationships whose
/// target is, naming each left out; order parents first.
pub(super) fn drop_dangling(out: &mut PythonModels) {
    let mut notes = Vec::new();
    // A model without its parent is left out.
    loop {
        let loaded: Vec<String> = out.models.iter().map(|m| m.name.clone()).collect();
        let orphan = out.models.iter().find_map(|m| {
            let parent = m.inheritance.inherits.as_ref()?;
            (!loaded.contains(parent)).then(|| (m.name.clone(), parent.clone()))
        });
        let Some((name, parent)) = orphan else { break };
        let file = out.files.get(&name).cloned().unwrap_or_default();
        notes.push(format!(
            "{file}: {name} derives from {parent}, which was not loaded (the model {name} was not loaded)"
        ));
        out.models.retain(|m| m.name != name);
    }
    // Parents before the models that derive from them.
    let mut ordered: Vec<ModelDecl> = Vec::with_capacity(out.models.len());
    while !out.models.is_empty() {
        let ready = out
            .models
            .iter()
            .position(|m| {
                m.inheritance
                    .inherits
                    .as_ref()
                    .is_none_or(|p| ordered.iter().any(|o| &o.name == p))
            })
            .unwrap_or(0);
        ordered.push(out.models.remove(ready));
    }
    out.models = ordered;
    let loaded: Vec<String> = out.models.iter().map(|m| m.name.clone()).collect();
    for model in &mut out.models {
        model.relationships.retain(|r| {
            let keep = loaded.contains(&r.target);
            if !keep {
                notes.push(format!(
                    "{}.{} was left out: its target {} was not loaded",
                    model.name, r.name, r.target
                ));
            }
            keep
        });
    }
    out.refused.extend(notes);
}

impl PythonModels {
    /// The registry of these models (with `extra` declarations, reflected
    /// ones), leaving out each model the registry refuses, named in
    /// `refused` with its file and line, so that the others load.
    pub fn build_registry(
        self,
        extra: (Vec<ModelDecl>, Vec<TableDecl>),
    ) -> (
        crate::error::Result<crate::orm::mapping::model::Registry>,
        PythonModels,
    ) {
        let (registry, this) = self.build_with_properties(extra);
        let Ok(registry) = registry else {
            return (registry, this);
        };
        let mut this = this;
        for pending in std::mem::take(&mut this.pending_hybrids) {
            let model = pending.model.clone();
            let hybrid = super::hybrid::Hybrid::resolve(&registry, pending);
            this.hybrids.entry(model).or_default().push(hybrid);
        }
        (Ok(registry), this)
    }

    /// As `build_registry`, before the hybrid properties are resolved.
    fn build_with_properties(
        self,
        extra: (Vec<ModelDecl>, Vec<TableDecl>),
    ) -> (
        crate::error::Result<crate::orm::mapping::model::Registry>,
        PythonModels,
    ) {
        let (registry, mut this) = self.build_loaded(extra.clone());
        let Ok(registry) = registry else {
            return (registry, this);
        };
        // The `column_property`s that read as SQL become computed columns
        // (their models exist now); the rest stay listed as Python's.
        let mut added = false;
        for p in std::mem::take(&mut this.properties) {
            let Ok(expr) = super::column_property::evaluate(&registry, &p) else {
                continue;
            };
            let Some(ty) = expr.type_hint().cloned() else {
                continue;
            };
            let Some(decl) = this.models.iter_mut().find(|m| m.name == p.model) else {
                continue;
            };
            decl.columns
                .push(crate::orm::Column::computed(&p.name, expr, ty));
            if let Some(members) = this.members.get_mut(&p.model) {
                members.retain(|m| m.name != p.name);
            }
            added = true;
        }
        if !added {
            return (Ok(registry), this);
        }
        this.build_loaded(extra)
    }

    /// As `build_registry`, without evaluating the `column_property`s.
    fn build_loaded(
        mut self,
        extra: (Vec<ModelDecl>, Vec<TableDecl>),
    ) -> (
        crate::error::Result<crate::orm::mapping::model::Registry>,
        PythonModels,
    ) {
        let (extra_models, extra_tables) = extra;
        loop {
            let mut models = self.models.clone();
            models.extend(extra_models.iter().cloned());
            let mut tables = self.tables.clone();
            tables.extend(extra_tables.iter().cloned());
            let convention = match &self.naming_convention {
                None => crate::orm::mapping::naming_convention::NamingConvention::default(),
                Some(Ok(pairs)) => {
                    match crate::orm::mapping::naming_convention::NamingConvention::new(
                        pairs.clone(),
                    ) {
                        Ok(c) => c,
                        Err(e) => {
                            return (
                                Err(crate::error::Error::Config(format!(
                                    "the models' naming convention cannot be honoured: {e}"
                                ))),
                                self,
                            );
                        }
                    }
                }
                Some(Err(why)) => {
                    return (
                        Err(crate::error::Error::Config(format!(
                            "the models' naming convention cannot be read: {why}"
                        ))),
                        self,
                    );
                }
            };
            let err = match crate::orm::mapping::model::Registry::build_with_convention(
                models, tables, convention,
            ) {
                Ok(registry) => return (Ok(registry), self),
                Err(e) => e,
            };
            let (line, message) = match &err {
                crate::error::Error::Declaration { line, message } => {
                    (Some(*line), message.clone())
                }
                other => (None, other.to_string()),
            };
            let Some(name) = self.models.iter().map(|m| m.name.clone()).find(|n| {
                [".", " ", ":"]
                    .iter()
                    .any(|end| message.starts_with(&format!("{n}{end}")))
            }) else {
                return (Err(err), self);
            };
            let file = self.files.get(&name).cloned().unwrap_or_default();
            let at = match line {
                Some(line) => format!("{file}:{line}: "),
                None => format!("{file}: "),
            };
            self.refused
                .push(format!("{at}{message} (the model {name} was not loaded)"));
            self.models.retain(|m| m.name != name);
            drop_dangling(&mut self);
        }
    }
}
