//! The loaded models (declared and reflected) written back as a models
//! file, refused when a model computes a value the file cannot say.

use super::{ScriptHost, models};
use crate::error::{Error, Result};

impl ScriptHost {
    /// The models (declared and reflected) as a models file; refused when
    /// a model computes a value in code a models file cannot say
    /// (the file would load as a model that behaves differently).
    pub fn models_file(&self) -> Result<String> {
        let registry = self.registry();
        // A `column_property` the models file did not write as a closure
        // (a Python model's) has no text to write back.
        let extras = self.shared.extras.borrow();
        let unwritten: Vec<String> = registry
            .mappers
            .iter()
            .flat_map(|m| {
                let own = m.inheritance.as_ref().map_or(0, |i| i.inherited_columns);
                let e = extras.get(&m.name);
                m.columns[own..]
                    .iter()
                    .filter(move |c| {
                        c.is_computed() && e.is_none_or(|e| e.source(&c.name).is_none())
                    })
                    .map(move |c| format!("{}.{}", m.name, c.name))
            })
            .collect();
        drop(extras);
        if !unwritten.is_empty() {
            return Err(Error::invalid(format!(
                "the column_property {} cannot be written as a models file (its expression was not written there as a closure): the models were not written",
                unwritten.join(", ")
            )));
        }
        let python_defaults: Vec<String> = registry
            .mappers
            .iter()
            .flat_map(|m| {
                m.columns
                    .iter()
                    .filter(|c| models::dump_generated::unsayable(c))
                    .map(move |c| format!("{}.{}", m.name, c.name))
            })
            .collect();
        if !python_defaults.is_empty() {
            return Err(Error::invalid(format!(
                "{} computed by code a models file cannot say (Python ormsh cannot run, or a closure not written as a column's option): the models were not written (a models file without them would insert NULL where a value is computed)",
                if python_defaults.len() == 1 {
                    format!("the default of {} is", python_defaults[0])
                } else {
                    format!("the defaults of {} are", python_defaults.join(", "))
                }
            )));
        }
        let mut out = models::dump::models_file(&registry, &self.shared.extras.borrow());
        // A Python hybrid property has no closure to write: named, so that
        // the file's reader knows it is not there.
        let mut python_hybrids: Vec<String> = self
            .shared
            .python_hybrids
            .iter()
            .flat_map(|(model, list)| {
                list.iter().map(move |h| {
                    format!(
                        "// {model}.{}: a hybrid property defined in Python at {}, not written\n",
                        h.name, h.at
                    )
                })
            })
            .collect();
        python_hybrids.sort();
        for line in python_hybrids {
            out.push_str(&line);
        }
        Ok(out)
    }
}
