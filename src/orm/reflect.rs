//! Reflection (automap): models from a live database. Every table no model
//! declares becomes a model named from the table, every foreign key a
//! many-to-one with a one-to-many backref, and a table that is nothing but
//! two foreign keys forming its key a many-to-many association table.

use std::collections::{HashMap, HashSet};

use super::model::{Column, ForeignKey, ModelDecl, RelationshipDecl};
use super::naming::camel_to_snake_case;
use super::secondary::TableDecl;
use crate::engine::Engine;
use crate::error::Result;
use crate::sql::introspect::TableInfo;
use crate::sql::{ColumnType, Dialect, ServerDefault, Value};

/// `users` → `User`, `post_tags` → `PostTag`, `user account` → `UserAccount`:
/// the last word made singular (as sqlacodegen names classes), every word
/// capitalised, anything but letters and digits dropped.
pub fn model_name(table: &str) -> String {
    let words: Vec<String> = identifier_words(table);
    let last = words.len().saturating_sub(1);
    let name: String = words
        .iter()
        .enumerate()
        .map(|(i, w)| {
            let w = if i == last {
                cruet::to_singular(w)
            } else {
                w.clone()
            };
            let mut chars = w.chars();
            chars
                .next()
                .map(|f| f.to_uppercase().chain(chars).collect::<String>())
                .unwrap_or_default()
        })
        .collect();
    match name.chars().next() {
        None => "Table".to_string(),
        Some(c) if c.is_ascii_digit() => format!("T{name}"),
        Some(_) => name,
    }
}

/// The words of a database name, lower-cased: `Author ID` → `author`, `id`.
fn identifier_words(name: &str) -> Vec<String> {
    name.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect()
}

/// A database name as an attribute name: `Author ID` → `author_id`.
pub fn attribute_name(name: &str) -> String {
    let joined = identifier_words(name).join("_");
    match joined.chars().next() {
        None => "column".to_string(),
        Some(c) if c.is_ascii_digit() => format!("_{joined}"),
        Some(_) => joined,
    }
}

/// The plural of a singular noun, for collections: `post` → `posts`,
/// `category` → `categories`, `person` → `people`.
pub fn plural(word: &str) -> String {
    cruet::to_plural(word)
}

/// A collection's name for the rows of `table`: its model's name, snake
/// case, made plural once (`comments` → `Comment` → `comments`).
fn collection_name(table: &str) -> String {
    let singular = model_name(table);
    let snake = camel_to_snake_case(&singular);
    plural(&snake)
}

/// A many-to-one's name from its foreign key column: `author_id` → `author`.
fn reference_name(column: &str) -> String {
    let name = attribute_name(column);
    match name.strip_suffix("_id") {
        Some(stem) if !stem.is_empty() => stem.to_string(),
        _ => name,
    }
}

/// What reflection found: models, association tables, and a line for
/// each name it had to choose because the obvious one was taken.
#[derive(Debug, Default)]
pub struct Reflected {
    pub models: Vec<ModelDecl>,
    pub tables: Vec<TableDecl>,
    pub notes: Vec<String>,
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
    // Each table's model name: declared, or made from the table, and
    // distinct from every other model's (`user` and `users` are both `User`).
    let mut names: HashMap<String, String> = declared
        .iter()
        .map(|d| {
            let table = d
                .tablename
                .clone()
                .unwrap_or_else(|| camel_to_snake_case(&d.name));
            (table, d.name.clone())
        })
        .collect();
    let mut taken: HashSet<String> = names.values().cloned().collect();
    // A table whose name is its model's own table name (`tag` for `Tag`)
    // has the first claim on the name; the rest keep the database's order.
    let mut models: Vec<&TableInfo> = infos
        .iter()
        .filter(|i| !i.primary_key.is_empty() && !is_association(i))
        .collect();
    models.sort_by_key(|i| camel_to_snake_case(&model_name(&i.name)) != i.name);
    for info in models {
        let wanted = model_name(&info.name);
        let name = distinct(&wanted, &taken);
        if name != wanted {
            out.notes.push(format!(
                "the table {} is reflected as the model {name}: {wanted} is taken",
                info.name
            ));
        }
        taken.insert(name.clone());
        names.insert(info.name.clone(), name);
    }
    for info in infos
        .iter()
        .filter(|i| !i.primary_key.is_empty() && !is_association(i))
    {
        let name = names[&info.name].clone();
        let columns = columns_of(info, dialect);
        let mut relationships: Vec<RelationshipDecl> = Vec::new();
        for fk in &info.foreign_keys {
            let Some(target) = names.get(&fk.ref_table).cloned() else {
                continue;
            };
            // Named from the column (`author_id` → `author`), or for a
            // composite key from the model it refers to.
            let rel_name = match fk.columns.as_slice() {
                [column] => reference_name(column),
                _ => camel_to_snake_case(&target),
            };
            let mut rel = RelationshipDecl::new(&rel_name, &target);
            rel.foreign_keys = fk.columns.clone();
            if fk.ref_table == info.name {
                rel.remote_side = fk
                    .ref_columns
                    .iter()
                    .map(|c| format!("{target}.{c}"))
                    .collect();
            }
            // The collection on the other side: this table's rows, named
            // after the key as well when two keys lead to the same table.
            let mut back = collection_name(&info.name);
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
        // The key on the table's first column links the owning side.
        let position = |fk: &crate::sql::introspect::ForeignKeyInfo| {
            info.columns.iter().position(|c| c.name == fk.columns[0])
        };
        let (mut a, mut b) = (&info.foreign_keys[0], &info.foreign_keys[1]);
        if position(b) < position(a) {
            std::mem::swap(&mut a, &mut b);
        }
        let (Some(left), Some(right)) = (names.get(&a.ref_table), names.get(&b.ref_table)) else {
            continue;
        };
        out.tables.push(TableDecl {
            name: info.name.clone(),
            columns: columns_of(info, dialect),
        });
        // Two keys to one table (a follow graph): each side is named from
        // its key (`follower_id`, `followed_id`); else from the models.
        let (forward, back) = if a.ref_table == b.ref_table {
            (reference_name(&b.columns[0]), reference_name(&a.columns[0]))
        } else {
            (collection_name(&b.ref_table), collection_name(&a.ref_table))
        };
        if let Some(model) = out.models.iter_mut().find(|m| m.name == *left) {
            let mut rel = RelationshipDecl::new(&forward, right);
            rel.secondary = Some(info.name.clone());
            rel.backref = Some((back.clone(), Box::new(RelationshipDecl::new(&back, ""))));
            model.relationships.push(rel);
        }
    }
    // A key into a table that is not reflected (another schema, a view)
    // leaves a plain column, said in one line, never a model that fails.
    let known: HashSet<String> = names
        .keys()
        .cloned()
        .chain(out.tables.iter().map(|t| t.name.clone()))
        .collect();
    for model in &mut out.models {
        for column in &mut model.columns {
            if let Some(fk) = column.foreign_key.take_if(|fk| !known.contains(&fk.table)) {
                out.notes.push(format!(
                    "{}.{} refers to {}.{}, which is not reflected: it is read as a plain column",
                    model.name, column.name, fk.table, fk.column
                ));
            }
        }
    }
    let notes = distinct_relationship_names(&mut out.models, declared);
    out.notes.extend(notes);
    out
}

/// `wanted`, or `wanted2`, `wanted3`, .. : the first that `taken` lacks.
fn distinct(wanted: &str, taken: &HashSet<String>) -> String {
    if !taken.contains(wanted) {
        return wanted.to_string();
    }
    (2..)
        .map(|n| format!("{wanted}{n}"))
        .find(|n| !taken.contains(n))
        .unwrap_or_default()
}

/// Every relationship and backref name distinct from the columns and
/// other relationships of the model it lands on: a name that is taken is
/// numbered, with a note saying so, never an error.
fn distinct_relationship_names(models: &mut [ModelDecl], declared: &[ModelDecl]) -> Vec<String> {
    let mut notes = Vec::new();
    let mut used: HashMap<String, HashSet<String>> = models
        .iter()
        .chain(declared)
        .map(|m| {
            let mut names: HashSet<String> = m.columns.iter().map(|c| c.name.clone()).collect();
            names.extend(m.relationships.iter().map(|r| r.name.clone()));
            if let Some(decl) = declared.iter().find(|d| d.name == m.name) {
                names.extend(
                    decl.relationships
                        .iter()
                        .filter_map(|r| r.backref.as_ref())
                        .map(|(b, _)| b.clone()),
                );
            }
            (m.name.clone(), names)
        })
        .collect();
    let mut choose = |model: &str, wanted: &str, what: &str, notes: &mut Vec<String>| {
        let names = used.entry(model.to_string()).or_default();
        let name = distinct(wanted, names);
        if name != wanted {
            notes.push(format!(
                "{model}.{name}: {what} is named so because {model}.{wanted} is taken"
            ));
        }
        names.insert(name.clone());
        name
    };
    for model in models.iter_mut() {
        // A relationship named like a column, or like another one.
        let mut seen: HashSet<String> = model.columns.iter().map(|c| c.name.clone()).collect();
        for rel in model.relationships.iter_mut() {
            if seen.contains(&rel.name) {
                rel.name = choose(&model.name, &rel.name, "a relationship", &mut notes);
            }
            seen.insert(rel.name.clone());
        }
    }
    for model in models.iter_mut() {
        for rel in model.relationships.iter_mut() {
            if let Some((back, decl)) = rel.backref.as_mut() {
                let name = choose(&rel.target, back, "a backref", &mut notes);
                *back = name.clone();
                decl.name = name;
            }
        }
    }
    notes
}

impl super::Session {
    /// Add a model for every table of the default database that no model
    /// maps yet (`db.reflect()`); the names of the models added, and the
    /// notes on names chosen. The registry is extended, never rebuilt:
    /// existing models keep their places, so loaded objects stay valid.
    pub fn reflect(&self) -> Result<(Vec<String>, Vec<String>)> {
        let registry = self.registry();
        let found = reflect(
            self.engines().default_engine(),
            &registry.decls,
            &registry.tables,
        )?;
        if found.models.is_empty() && found.tables.is_empty() {
            return Ok((Vec::new(), found.notes));
        }
        let names = found.models.iter().map(|m| m.name.clone()).collect();
        let mut decls = registry.decls.clone();
        decls.extend(found.models);
        let mut tables = registry.tables.clone();
        tables.extend(found.tables);
        let extended = super::Registry::build_with_tables(decls, tables)?;
        self.extend_registry(std::rc::Rc::new(extended));
        Ok((names, found.notes))
    }
}

#[cfg(test)]
mod tests {
    use super::{collection_name, model_name, plural, reference_name};

    #[test]
    fn names_from_tables() {
        for (table, model) in [
            ("user_account", "UserAccount"),
            ("post", "Post"),
            ("order_line_item", "OrderLineItem"),
            ("users", "User"),
            ("categories", "Category"),
            ("post_tags", "PostTag"),
            ("Order Details", "OrderDetail"),
            ("status", "Status"),
            ("2fa_codes", "T2faCode"),
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
        // A collection is pluralised once, from the singular model name.
        for (table, collection) in [
            ("comments", "comments"),
            ("comment", "comments"),
            ("user_account", "user_accounts"),
            ("categories", "categories"),
        ] {
            assert_eq!(collection_name(table), collection);
        }
        for (column, reference) in [
            ("author_id", "author"),
            ("follower_id", "follower"),
            ("Author ID", "author"),
            ("parent", "parent"),
        ] {
            assert_eq!(reference_name(column), reference);
        }
    }
}
