//! Reflection over every database of a project: the default one and each
//! bind, a model of a bind's table carrying its `bind_key`; and
//! `db.reflect()`, which extends the registry with what it finds.

use std::collections::{HashMap, HashSet};

use super::reflect::{Reflected, reflect, table_of};
use crate::error::Result;
use crate::orm::mapping::association::TableDecl;
use crate::orm::mapping::model::ModelDecl;

/// Reflect the tables no model maps on every database, the default and
/// each bind: a model of a bind's table gets its `bind_key`, and a name
/// another bind's model has already is prefixed with the bind's
/// (`OtherUser`), with a note.
pub fn reflect_binds(
    engines: &crate::orm::state::engines::Engines,
    declared: &[ModelDecl],
    declared_tables: &[TableDecl],
) -> Result<Reflected> {
    let mut out = Reflected::default();
    for (key, engine) in engines.all() {
        let on_bind = |b: &Option<String>| b.as_deref() == key;
        let here: Vec<ModelDecl> = declared
            .iter()
            .filter(|d| on_bind(&d.bind_key))
            .cloned()
            .collect();
        let here_tables: Vec<TableDecl> = declared_tables
            .iter()
            .filter(|t| t.bind_key.is_none() || on_bind(&t.bind_key))
            .cloned()
            .collect();
        let mut found = reflect(engine, &here, &here_tables)?;
        let Some(key) = key else {
            out.models.append(&mut found.models);
            out.tables.append(&mut found.tables);
            out.notes.append(&mut found.notes);
            continue;
        };
        let taken: HashSet<String> = declared
            .iter()
            .chain(&out.models)
            .map(|d| d.name.clone())
            .collect();
        let prefix = camel_case(key);
        let renamed: HashMap<String, String> = found
            .models
            .iter()
            .filter(|m| taken.contains(&m.name))
            .map(|m| (m.name.clone(), format!("{prefix}{}", m.name)))
            .collect();
        for m in &mut found.models {
            m.bind_key = Some(key.to_string());
            if let Some(new) = renamed.get(&m.name) {
                m.tablename = Some(table_of(m));
                out.notes.push(format!(
                    "the table `{}` on the bind `{key}` is the model {new} ({} is another bind's)",
                    table_of(m),
                    m.name
                ));
                m.name = new.clone();
            }
            for r in &mut m.relationships {
                if let Some(new) = renamed.get(&r.target) {
                    r.target = new.clone();
                }
            }
        }
        for t in &mut found.tables {
            t.bind_key = Some(key.to_string());
        }
        out.models.append(&mut found.models);
        out.tables.append(&mut found.tables);
        out.notes.append(&mut found.notes);
    }
    Ok(out)
}

/// `analytics_db` as a class name's prefix: `AnalyticsDb`.
fn camel_case(key: &str) -> String {
    key.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|p| !p.is_empty())
        .map(|p| {
            let mut chars = p.chars();
            chars.next().map_or_else(String::new, |f| {
                f.to_ascii_uppercase().to_string() + chars.as_str()
            })
        })
        .collect()
}

impl crate::orm::schema::Schema<'_> {
    /// Add a model for every table of every database (the default and each
    /// bind) that no model maps yet (`db.reflect()`): the names of the
    /// models added, and the notes on names that had to differ. The
    /// registry is extended, never rebuilt: existing models keep their
    /// places, so loaded objects stay valid.
    pub fn reflect(&self) -> Result<(Vec<String>, Vec<String>)> {
        let registry = self.registry();
        let found = reflect_binds(self.engines(), &registry.decls, &registry.tables)?;
        if found.models.is_empty() && found.tables.is_empty() {
            return Ok((Vec::new(), found.notes));
        }
        let names = found.models.iter().map(|m| m.name.clone()).collect();
        let mut decls = registry.decls.clone();
        decls.extend(found.models);
        let mut tables = registry.tables.clone();
        tables.extend(found.tables);
        let extended = crate::orm::mapping::model::Registry::build_with_convention(
            decls,
            tables,
            registry.naming_convention.clone(),
        )?;
        self.extend_registry(std::rc::Rc::new(extended));
        Ok((names, found.notes))
    }
}
