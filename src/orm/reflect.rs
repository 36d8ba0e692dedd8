//! Reflection (automap): models from a live database. Every table no model
//! declares becomes a model named from the table, every foreign key a
//! many-to-one with a one-to-many backref, and a table that is nothing but
//! two foreign keys forming its key a many-to-many association table.

use std::collections::HashSet;

use super::model::{Column, ForeignKey, ModelDecl, RelationshipDecl};
use super::naming::camel_to_snake_case;
use super::secondary::TableDecl;
use crate::engine::Engine;
use crate::error::Result;
use crate::sql::introspect::TableInfo;
use crate::sql::{ColumnType, Dialect, ServerDefault, Value};

/// `user_account` → `UserAccount`.
pub fn model_name(table: &str) -> String {
    table
        .split(['_', '-', ' '])
        .filter(|p| !p.is_empty())
        .map(|p| {
            let mut chars = p.chars();
            chars
                .next()
                .map(|f| f.to_uppercase().chain(chars).collect::<String>())
                .unwrap_or_default()
        })
        .collect()
}

/// A plain English plural, for backrefs: `post` → `posts`, `category` → `categories`.
pub fn plural(word: &str) -> String {
    let consonant_y = word.ends_with('y')
        && !word.ends_with("ay")
        && !word.ends_with("ey")
        && !word.ends_with("oy");
    if consonant_y {
        format!("{}ies", &word[..word.len() - 1])
    } else if ["s", "x", "z", "ch", "sh"]
        .iter()
        .any(|e| word.ends_with(e))
    {
        format!("{word}es")
    } else {
        format!("{word}s")
    }
}

/// What reflection found: models and association tables.
#[derive(Debug, Default)]
pub struct Reflected {
    pub models: Vec<ModelDecl>,
    pub tables: Vec<TableDecl>,
}

/// Reflect every table of `engine` that no model in `declared` maps.
pub fn reflect(
    engine: &Engine,
    declared: &[ModelDecl],
    declared_tables: &[TableDecl],
) -> Result<Reflected> {
    let taken: HashSet<String> = declared
        .iter()
        .map(|d| {
            d.tablename
                .clone()
                .unwrap_or_else(|| camel_to_snake_case(&d.name))
        })
        .chain(declared_tables.iter().map(|t| t.name.clone()))
        .collect();
    let infos: Vec<TableInfo> = engine
        .describe_all()?
        .into_iter()
        .filter(|t| !taken.contains(&t.name))
        .collect();
    Ok(from_tables(&infos, declared, engine.dialect()))
}

/// An association table: exactly two single-column foreign keys, which are its whole primary key.
fn is_association(info: &TableInfo) -> bool {
    info.columns.len() == 2
        && info.foreign_keys.len() == 2
        && info.foreign_keys.iter().all(|fk| fk.columns.len() == 1)
        && info.primary_key.len() == 2
}

fn columns_of(info: &TableInfo, dialect: &dyn Dialect) -> Vec<Column> {
    info.columns
        .iter()
        .map(|c| {
            let mut col = Column::new(&c.name, ColumnType::from_sql_name(&c.type_name));
            col.primary_key = info.primary_key.contains(&c.name);
            col.nullable = c.nullable && !col.primary_key;
            let single = |cols: &[String]| cols.len() == 1 && cols[0] == c.name;
            col.unique =
                info.indexes.iter().any(|i| i.unique && single(&i.columns)) && !col.primary_key;
            col.index = info.indexes.iter().any(|i| !i.unique && single(&i.columns));
            // A literal the column's type holds is a value; anything else
            // (an expression, a zero date) is kept as the database spells it.
            col.server_default = c
                .default
                .as_deref()
                .filter(|_| !col.primary_key)
                .and_then(|d| match dialect.read_default(d) {
                    Some(text) => Some(match col.ty.coerce(Value::Text(text)) {
                        Ok(value) => ServerDefault::Value(value),
                        Err(_) => ServerDefault::Sql(d.trim().to_string()),
                    }),
                    None => dialect.read_default_sql(d).map(ServerDefault::Sql),
                });
            // A composite key gives each of its columns the column it refers to.
            col.foreign_key = info.foreign_keys.iter().find_map(|fk| {
                let k = fk.columns.iter().position(|f| *f == c.name)?;
                Some(ForeignKey {
                    table: fk.ref_table.clone(),
                    column: fk.ref_columns.get(k)?.clone(),
                })
            });
            col
        })
        .collect()
}

/// Models from described tables (pure: tests drive it without a database).
pub fn from_tables(
    infos: &[TableInfo],
    declared: &[ModelDecl],
    dialect: &dyn Dialect,
) -> Reflected {
    let mut out = Reflected::default();
    let model_of = |table: &str| -> Option<String> {
        declared
            .iter()
            .find(|d| {
                d.tablename
                    .clone()
                    .unwrap_or_else(|| camel_to_snake_case(&d.name))
                    == table
            })
            .map(|d| d.name.clone())
            .or_else(|| {
                infos
                    .iter()
                    .find(|i| i.name == table && !is_association(i))
                    .map(|i| model_name(&i.name))
            })
    };
    for info in infos
        .iter()
        .filter(|i| !i.primary_key.is_empty() && !is_association(i))
    {
        let name = model_name(&info.name);
        let columns = columns_of(info, dialect);
        let mut relationships: Vec<RelationshipDecl> = Vec::new();
        let mut used: HashSet<String> = columns.iter().map(|c| c.name.clone()).collect();
        for fk in &info.foreign_keys {
            let Some(target) = model_of(&fk.ref_table) else {
                continue;
            };
            // Named from the column (`author_id` → `author`), or for a
            // composite key from the model it refers to.
            let mut rel_name = match fk.columns.as_slice() {
                [column] => column.strip_suffix("_id").unwrap_or(column).to_string(),
                _ => camel_to_snake_case(&target),
            };
            if used.contains(&rel_name) {
                rel_name = camel_to_snake_case(&target);
            }
            if used.contains(&rel_name) {
                continue;
            }
            used.insert(rel_name.clone());
            let mut rel = RelationshipDecl::new(&rel_name, &target);
            rel.foreign_keys = fk.columns.clone();
            if fk.ref_table == info.name {
                rel.remote_side = fk
                    .ref_columns
                    .iter()
                    .map(|c| format!("{target}.{c}"))
                    .collect();
            }
            // The backref: the plural of this table, numbered when a table is referred to twice.
            let mut back = plural(&info.name);
            let referring = info
                .foreign_keys
                .iter()
                .filter(|f| f.ref_table == fk.ref_table)
                .count();
            if referring > 1 {
                back = format!("{back}_by_{rel_name}");
            }
            let mut back_decl = RelationshipDecl::new(&back, "");
            back_decl.foreign_keys = fk.columns.clone();
            rel.backref = Some((back, Box::new(back_decl)));
            relationships.push(rel);
        }
        out.models.push(ModelDecl {
            name: name.clone(),
            tablename: (camel_to_snake_case(&name) != info.name).then(|| info.name.clone()),
            columns,
            relationships,
            bind_key: None,
        });
    }
    for info in infos.iter().filter(|i| is_association(i)) {
        let (a, b) = (&info.foreign_keys[0], &info.foreign_keys[1]);
        let (Some(left), Some(right)) = (model_of(&a.ref_table), model_of(&b.ref_table)) else {
            continue;
        };
        out.tables.push(TableDecl {
            name: info.name.clone(),
            columns: columns_of(info, dialect),
        });
        if let Some(model) = out.models.iter_mut().find(|m| m.name == left) {
            let mut rel = RelationshipDecl::new(&plural(&b.ref_table), &right);
            rel.secondary = Some(info.name.clone());
            let back = plural(&a.ref_table);
            rel.backref = Some((back.clone(), Box::new(RelationshipDecl::new(&back, ""))));
            model.relationships.push(rel);
        }
    }
    out
}

impl super::Session {
    /// Add a model for every table of the default database that no model
    /// maps yet (`db.reflect()`), and name the models added. The registry is
    /// extended, never rebuilt: existing models keep their places, so
    /// loaded objects stay valid.
    pub fn reflect(&self) -> Result<Vec<String>> {
        let registry = self.registry();
        let found = reflect(
            self.engines().default_engine(),
            &registry.decls,
            &registry.tables,
        )?;
        if found.models.is_empty() && found.tables.is_empty() {
            return Ok(Vec::new());
        }
        let names = found.models.iter().map(|m| m.name.clone()).collect();
        let mut decls = registry.decls.clone();
        decls.extend(found.models);
        let mut tables = registry.tables.clone();
        tables.extend(found.tables);
        let extended = super::Registry::build_with_tables(decls, tables)?;
        self.extend_registry(std::rc::Rc::new(extended));
        Ok(names)
    }
}

#[cfg(test)]
mod tests {
    use super::{model_name, plural};

    #[test]
    fn names_from_tables() {
        for (table, model) in [
            ("user_account", "UserAccount"),
            ("post", "Post"),
            ("order_line_item", "OrderLineItem"),
        ] {
            assert_eq!(model_name(table), model);
        }
        for (word, many) in [
            ("post", "posts"),
            ("category", "categories"),
            ("box", "boxes"),
            ("day", "days"),
            ("address", "addresses"),
        ] {
            assert_eq!(plural(word), many);
        }
    }
}
