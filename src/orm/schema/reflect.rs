//! Reflection (automap): models from a live database. Every table no model
//! declares becomes a model named from the table, every foreign key a
//! many-to-one with a one-to-many backref, and a table that is nothing but
//! two foreign keys a many-to-many association table. The names follow
//! `reflect_names`; a name that is taken never stops the load: another is
//! chosen and a note says so.

use std::collections::{HashMap, HashSet};

use crate::engine::Engine;
use crate::error::Result;
use crate::orm::mapping::association::TableDecl;
use crate::orm::mapping::constraints::{Constraint, ConstraintKind};
use crate::orm::mapping::model::{Column, ForeignKey, ModelDecl, RelationshipDecl};
use crate::orm::mapping::naming::camel_to_snake_case;
use crate::orm::schema::reflect_names::{
    Claims, collection, identifier, is_identifier, key_stem, model_name, model_name_as_is,
    numbered, role_collection,
};
use crate::sql::dialect::reflected_type;
use crate::sql::introspect::{ForeignKeyInfo, TableInfo};
use crate::sql::{Dialect, ServerDefault, Value};

/// What reflection found: models, association tables, and a note for every
/// name that differs from the one its rule prefers.
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
        .map(table_of)
        .chain(declared_tables.iter().map(|t| t.name.clone()))
        .collect();
    let infos: Vec<TableInfo> = engine
        .describe_all()?
        .into_iter()
        .filter(|t| !taken.contains(&t.name))
        .collect();
    Ok(from_tables(&infos, declared, engine.dialect()))
}

pub(super) fn table_of(decl: &ModelDecl) -> String {
    decl.tablename
        .clone()
        .unwrap_or_else(|| camel_to_snake_case(&decl.name))
}

/// An association table: two columns, each a single-column foreign key,
/// which are its whole primary key or which have none (as the follower
/// tables of Flask tutorials are made).
fn is_association(info: &TableInfo) -> bool {
    info.columns.len() == 2
        && info.foreign_keys.len() == 2
        && info.foreign_keys.iter().all(|fk| fk.columns.len() == 1)
        && info.foreign_keys[0].columns != info.foreign_keys[1].columns
        && (info.primary_key.len() == 2 || info.primary_key.is_empty())
}

/// A table's foreign keys in the order of their first columns, so names
/// and sides do not depend on the order a database lists them in.
fn keys_in_column_order(info: &TableInfo) -> Vec<&ForeignKeyInfo> {
    let position = |fk: &ForeignKeyInfo| {
        fk.columns
            .first()
            .and_then(|c| info.columns.iter().position(|i| i.name == *c))
            .unwrap_or(usize::MAX)
    };
    let mut keys: Vec<&ForeignKeyInfo> = info.foreign_keys.iter().collect();
    keys.sort_by_key(|fk| position(fk));
    keys
}

/// What the tables map to: model names by table, and attribute names by
/// (table, database column).
struct Mapping<'a> {
    models: HashMap<String, String>,
    attrs: HashMap<(String, String), String>,
    declared: &'a [ModelDecl],
}

impl Mapping<'_> {
    fn model(&self, table: &str) -> Option<&str> {
        self.models.get(table).map(String::as_str)
    }

    /// The attribute name of `table`.`column`.
    fn attr(&self, table: &str, column: &str) -> String {
        if let Some(a) = self.attrs.get(&(table.to_string(), column.to_string())) {
            return a.clone();
        }
        self.declared
            .iter()
            .find(|d| table_of(d) == table)
            .and_then(|d| d.columns.iter().find(|c| c.db_name == column))
            .map_or_else(|| column.to_string(), |c| c.name.clone())
    }
}

/// Name every mapped table's model: tables whose singular name maps back to
/// them (`user` → `User`) choose first, so `users` beside `user` gives way.
fn name_models(
    mappable: &[&TableInfo],
    declared: &[ModelDecl],
    notes: &mut Vec<String>,
) -> HashMap<String, String> {
    let mut used: HashSet<String> = declared.iter().map(|d| d.name.clone()).collect();
    let exact = |i: &&&TableInfo| camel_to_snake_case(&model_name(&i.name)) == i.name;
    let mut names = HashMap::new();
    for info in mappable
        .iter()
        .filter(exact)
        .chain(mappable.iter().filter(|i| !exact(i)))
    {
        let preferred = model_name(&info.name);
        let name = if used.insert(preferred.clone()) {
            preferred
        } else {
            let as_is = model_name_as_is(&info.name);
            let chosen = if used.contains(&as_is) {
                numbered(&preferred, |n| used.contains(n))
            } else {
                as_is
            };
            used.insert(chosen.clone());
            notes.push(format!(
                "the model name {preferred} is taken, so the table `{}` is the model {chosen}",
                info.name
            ));
            chosen
        };
        names.insert(info.name.clone(), name);
    }
    names
}

/// Attribute names for a table's columns, claimed on `owner`: the column's
/// name made an identifier (`first name` → `first_name`). Names that are
/// identifiers already choose first, so `first_name` beside `first name`
/// keeps its name.
fn name_columns(info: &TableInfo, owner: &str, claims: &mut Claims) -> Vec<String> {
    let mut names = vec![String::new(); info.columns.len()];
    for as_is in [true, false] {
        for (i, c) in info.columns.iter().enumerate() {
            if is_identifier(&c.name) == as_is {
                names[i] = claims.claim(
                    owner,
                    &identifier(&c.name, "col_"),
                    &[],
                    &format!("the column `{}`.`{}`", info.name, c.name),
                );
            }
        }
    }
    names
}

/// The table's indexes and unique constraints of several columns (a
/// column's own `unique`/`index` carries the others) and its named CHECK
/// constraints, as declared ones.
fn table_constraints(info: &TableInfo) -> Vec<Constraint> {
    let checks = info
        .checks
        .iter()
        .filter(|c| !crate::orm::schema::drift_extras::made_by_database(c, info))
        .map(|c| {
            let mut k = Constraint::new(ConstraintKind::Check(c.sql.clone()));
            k.name = c.name.clone();
            k
        });
    info.indexes
        .iter()
        .filter(|i| i.columns.len() > 1)
        .map(|i| {
            let named = (!i.name.starts_with("sqlite_autoindex_")).then(|| i.name.clone());
            let mut c = Constraint::new(if i.constraint {
                ConstraintKind::Unique(i.columns.clone())
            } else {
                ConstraintKind::Index {
                    columns: i.columns.clone(),
                    unique: i.unique,
                }
            });
            c.name = named;
            c
        })
        .chain(checks)
        .collect()
}

fn columns_of(
    info: &TableInfo,
    attrs: &[String],
    mapping: &Mapping<'_>,
    dialect: &dyn Dialect,
) -> Vec<Column> {
    info.columns
        .iter()
        .zip(attrs)
        .map(|(c, attr)| {
            let mut col = Column::new(attr, reflected_type(&c.type_name, dialect));
            col.db_name = c.name.clone();
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
            // A composite key gives each of its columns the column it refers
            // to; a key to a table no model maps is left out.
            col.foreign_key = info
                .foreign_keys
                .iter()
                .filter(|fk| mapping.model(&fk.ref_table).is_some())
                .find_map(|fk| {
                    let k = fk.columns.iter().position(|f| *f == c.name)?;
                    Some(ForeignKey {
                        table: fk.ref_table.clone(),
                        column: fk.ref_columns.get(k)?.clone(),
                        on_delete: fk.on_delete.clone(),
                        on_update: fk.on_update.clone(),
                        name: None,
                        merges: true,
                    })
                });
            col
        })
        .collect()
}

/// One many-to-one found from a foreign key, named in phases.
struct Link {
    model: String,
    target: String,
    table: String,
    ref_table: String,
    keys: Vec<String>,
    ref_columns: Vec<String>,
    name: String,
}

/// Models from described tables (pure: tests drive it without a database).
pub fn from_tables(
    infos: &[TableInfo],
    declared: &[ModelDecl],
    dialect: &dyn Dialect,
) -> Reflected {
    let mut notes = Vec::new();
    let mappable: Vec<&TableInfo> = infos
        .iter()
        .filter(|i| !i.primary_key.is_empty() && !is_association(i))
        .collect();
    let mut mapping = Mapping {
        models: declared
            .iter()
            .map(|d| (table_of(d), d.name.clone()))
            .collect(),
        attrs: HashMap::new(),
        declared,
    };
    mapping
        .models
        .extend(name_models(&mappable, declared, &mut notes));
    // What declared models already hold is taken.
    let mut claims = Claims::default();
    for d in declared {
        for c in &d.columns {
            claims.reserve(&d.name, &c.name);
        }
        for r in &d.relationships {
            claims.reserve(&d.name, &r.name);
            if let Some((back, _)) = &r.backref {
                claims.reserve(&r.target, back);
            }
        }
    }
    let associations: Vec<&TableInfo> = infos.iter().filter(|i| is_association(i)).collect();
    let mut attrs_of: HashMap<String, Vec<String>> = HashMap::new();
    for info in mappable.iter().chain(&associations) {
        // An association table's columns are claimed on the table itself.
        let owner = match mapping.model(&info.name) {
            Some(model) => model.to_string(),
            None => format!("`{}`", info.name),
        };
        let attrs = name_columns(info, &owner, &mut claims);
        for (c, a) in info.columns.iter().zip(&attrs) {
            mapping
                .attrs
                .insert((info.name.clone(), c.name.clone()), a.clone());
        }
        attrs_of.insert(info.name.clone(), attrs);
    }

    // Many-to-ones first: each is named from its own key columns.
    let mut links: Vec<Link> = Vec::new();
    for info in &mappable {
        let model = mapping.models[&info.name].clone();
        for fk in keys_in_column_order(info) {
            let Some(target) = mapping.model(&fk.ref_table).map(str::to_string) else {
                claims.notes.push(format!(
                    "the column `{}`.`{}` refers to `{}`, which no model maps, so {model} is reflected without that foreign key",
                    info.name,
                    fk.columns.join("`, `"),
                    fk.ref_table
                ));
                continue;
            };
            let keys: Vec<String> = fk
                .columns
                .iter()
                .map(|c| mapping.attr(&info.name, c))
                .collect();
            let by_model = camel_to_snake_case(&target);
            let preferred = match keys.as_slice() {
                [key] => key_stem(key).unwrap_or_else(|| by_model.clone()),
                _ => by_model.clone(),
            };
            let alternatives: Vec<String> = (preferred != by_model)
                .then_some(by_model)
                .into_iter()
                .collect();
            let name = claims.claim(
                &model,
                &preferred,
                &alternatives,
                &format!(
                    "the relationship through `{}`.`{}`",
                    info.name,
                    fk.columns.join("`, `")
                ),
            );
            links.push(Link {
                model: model.clone(),
                target,
                table: info.name.clone(),
                ref_table: fk.ref_table.clone(),
                keys,
                ref_columns: fk.ref_columns.clone(),
                name,
            });
        }
    }
    // Their backrefs: the referring table's collection, told apart by the
    // key's name when a table refers to the same table more than once.
    let mut backrefs = Vec::with_capacity(links.len());
    for link in &links {
        let base = collection(&link.table);
        let by_key = format!("{base}_by_{}", link.name);
        let referring = links
            .iter()
            .filter(|l| l.table == link.table && l.ref_table == link.ref_table)
            .count();
        let (preferred, alternatives) = if referring > 1 {
            (by_key, Vec::new())
        } else {
            (base, vec![by_key])
        };
        backrefs.push(claims.claim(
            &link.target,
            &preferred,
            &alternatives,
            &format!("the collection of {} through {}", link.model, link.name),
        ));
    }

    let mut relationships: HashMap<String, Vec<RelationshipDecl>> = HashMap::new();
    for (link, back) in links.iter().zip(backrefs) {
        let mut rel = RelationshipDecl::new(&link.name, &link.target);
        rel.foreign_keys = link.keys.clone();
        if link.ref_table == link.table {
            rel.remote_side = link
                .ref_columns
                .iter()
                .map(|c| format!("{}.{}", link.target, mapping.attr(&link.ref_table, c)))
                .collect();
        }
        let mut back_decl = RelationshipDecl::new(&back, "");
        back_decl.foreign_keys = link.keys.clone();
        rel.backref = Some((back, Box::new(back_decl)));
        relationships
            .entry(link.model.clone())
            .or_default()
            .push(rel);
    }

    let mut out = Reflected::default();
    for info in associations {
        let keys = keys_in_column_order(info);
        let (a, b) = (keys[0], keys[1]);
        let (Some(left), Some(right)) = (mapping.model(&a.ref_table), mapping.model(&b.ref_table))
        else {
            continue;
        };
        let (mut left, mut right) = (left.to_string(), right.to_string());
        // The forward side is declared on a reflected model: a declared one gains backrefs only.
        let reflected = |m: &str| mappable.iter().any(|i| mapping.model(&i.name) == Some(m));
        let (a, b) = if !reflected(&left) && reflected(&right) {
            std::mem::swap(&mut left, &mut right);
            (b, a)
        } else {
            (a, b)
        };
        let attrs = &attrs_of[&info.name];
        out.tables.push(TableDecl {
            name: info.name.clone(),
            columns: columns_of(info, attrs, &mapping, dialect),
            constraints: Vec::new(),
            bind_key: None,
        });
        // The forward side links through the first column (as `secondary`
        // resolves it), so it holds the rows the second column names.
        let (forward, back) = if left == right {
            let role = |fk: &ForeignKeyInfo| {
                role_collection(&mapping.attr(&info.name, &fk.columns[0]))
                    .unwrap_or_else(|| collection(&fk.ref_table))
            };
            (role(b), role(a))
        } else {
            (collection(&b.ref_table), collection(&a.ref_table))
        };
        let through = vec![collection(&info.name)];
        let what = format!("the collection through `{}`", info.name);
        let forward = claims.claim(&left, &forward, &through, &what);
        let back = claims.claim(&right, &back, &through, &what);
        let mut rel = RelationshipDecl::new(&forward, &right);
        rel.secondary = Some(info.name.clone());
        if left == right {
            // A table that links a model to itself says which key is which side.
            let join = |fk: &ForeignKeyInfo| {
                format!(
                    "{}.c.{} == {left}.{}",
                    info.name, fk.columns[0], fk.ref_columns[0]
                )
            };
            rel.primaryjoin = Some(join(a));
            rel.secondaryjoin = Some(join(b));
        }
        rel.backref = Some((back.clone(), Box::new(RelationshipDecl::new(&back, ""))));
        relationships.entry(left).or_default().push(rel);
    }
    for info in &mappable {
        let name = mapping.models[&info.name].clone();
        let columns = columns_of(info, &attrs_of[&info.name], &mapping, dialect);
        out.models.push(ModelDecl {
            name: name.clone(),
            tablename: (camel_to_snake_case(&name) != info.name).then(|| info.name.clone()),
            columns,
            relationships: relationships.remove(&name).unwrap_or_default(),
            bind_key: None,
            constraints: table_constraints(info),
            inheritance: Default::default(),
        });
    }
    notes.extend(claims.notes);
    out.notes = notes;
    out
}

#[cfg(test)]
mod tests {
    use super::from_tables;
    use crate::orm::mapping::model::{Column, ModelDecl};
    use crate::sql::ColumnType;
    use crate::sql::dialect::Sqlite;
    use crate::sql::introspect::{ColumnInfo, ForeignKeyInfo, TableInfo};

    fn table(name: &str, columns: &[&str], pk: &[&str], fks: &[(&str, &str)]) -> TableInfo {
        TableInfo {
            name: name.into(),
            columns: columns
                .iter()
                .map(|c| ColumnInfo {
                    name: (*c).into(),
                    type_name: "INTEGER".into(),
                    nullable: true,
                    default: None,
                })
                .collect(),
            primary_key: pk.iter().map(|c| (*c).into()).collect(),
            foreign_keys: fks
                .iter()
                .map(|(column, target)| ForeignKeyInfo {
                    on_delete: None,
                    on_update: None,
                    name: format!("fk_{column}"),
                    columns: vec![(*column).into()],
                    ref_table: (*target).into(),
                    ref_columns: vec!["id".into()],
                })
                .collect(),
            indexes: Vec::new(),
            checks: Vec::new(),
        }
    }

    /// The sides of a follow table come from its column order, not from the
    /// order the database lists its keys in.
    #[test]
    fn follow_sides_do_not_depend_on_key_order() {
        for fks in [
            [("follower_id", "user"), ("followed_id", "user")],
            [("followed_id", "user"), ("follower_id", "user")],
        ] {
            let infos = [
                table("user", &["id"], &["id"], &[]),
                table("followers", &["follower_id", "followed_id"], &[], &fks),
            ];
            let found = from_tables(&infos, &[], &Sqlite);
            let rel = &found.models[0].relationships[0];
            assert_eq!(rel.name, "followed");
            assert_eq!(
                rel.backref.as_ref().map(|b| b.0.as_str()),
                Some("followers")
            );
            assert_eq!(found.tables[0].columns[0].name, "follower_id");
            assert!(found.notes.is_empty(), "{:?}", found.notes);
        }
    }

    /// A many-to-many whose first table is declared lives on the reflected
    /// side, and names taken on the declared model are avoided.
    #[test]
    fn declared_models_keep_their_names() {
        let mut id = Column::new("id", ColumnType::Integer);
        id.primary_key = true;
        let declared = [ModelDecl {
            name: "Post".into(),
            tablename: None,
            columns: vec![id, Column::new("tags", ColumnType::Integer)],
            relationships: Vec::new(),
            bind_key: None,
            constraints: Vec::new(),
            inheritance: Default::default(),
        }];
        let infos = [
            table("tag", &["id"], &["id"], &[]),
            table(
                "post_tag",
                &["post_id", "tag_id"],
                &["post_id", "tag_id"],
                &[("post_id", "post"), ("tag_id", "tag")],
            ),
        ];
        let found = from_tables(&infos, &declared, &Sqlite);
        assert_eq!(found.models.len(), 1);
        let rel = &found.models[0].relationships[0];
        assert_eq!((rel.name.as_str(), rel.target.as_str()), ("posts", "Post"));
        assert_eq!(
            rel.backref.as_ref().map(|b| b.0.as_str()),
            Some("post_tags")
        );
        assert_eq!(
            found.notes,
            ["Post.tags is taken, so the collection through `post_tag` is Post.post_tags"]
        );
    }
}
