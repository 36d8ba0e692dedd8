//! Drift: where the models and the live database disagree (tables, columns,
//! types, nullability, unique constraints, indexes, foreign keys); the DDL
//! that brings the database in line is `drift_sql.rs`'s.

use std::collections::HashSet;

use crate::error::Result;
use crate::orm::mapping::model::Mapper;
use crate::orm::schema::Schema;
use crate::orm::schema::drift_constraints::{self, ConstraintDrift};
use crate::orm::schema::drift_extras::Declared;
use crate::sql::dialect::reflected_type;
use crate::sql::introspect::TableInfo;
use crate::sql::{ColumnType, Dialect, ServerDefault, Value};

/// What `items` find the table has beyond the models: indexes, foreign
/// keys and checks the models do not declare (dropped by a migration).
pub fn extra_constraints(items: &[DriftItem]) -> Vec<&ConstraintDrift> {
    items
        .iter()
        .filter_map(|i| match i {
            DriftItem::Constraint(
                c @ (ConstraintDrift::ExtraIndex(_)
                | ConstraintDrift::ExtraForeignKey(_)
                | ConstraintDrift::ExtraCheck(_)),
            ) => Some(c),
            _ => None,
        })
        .collect()
}

/// One disagreement about one table.
#[derive(Debug, Clone, PartialEq)]
pub enum DriftItem {
    /// The model's (or association) table is not in the database.
    MissingTable,
    /// The database has a table that no model or association table maps.
    ExtraTable,
    /// A column the model declares is not in the table.
    MissingColumn(String),
    /// The table has a column the model does not declare.
    ExtraColumn(String),
    TypeDiffers {
        column: String,
        model: ColumnType,
        live: String,
    },
    NullableDiffers {
        column: String,
        model: bool,
        live: bool,
    },
    DefaultDiffers {
        column: String,
        model: Option<ServerDefault>,
        live: Option<String>,
    },
    MissingUnique(String),
    MissingIndex(String),
    MissingForeignKey {
        column: String,
        target: String,
    },
    /// The key is there with other `ON DELETE`/`ON UPDATE` actions.
    ForeignKeyActionsDiffer {
        column: String,
        /// The live constraint's name (dropped and added again to fix it).
        name: String,
        model: String,
        live: String,
    },
    /// A declared constraint or index, or the primary key (`drift_constraints`).
    Constraint(ConstraintDrift),
}

/// `ON DELETE x ON UPDATE y` as a drift line shows it; no action is `-`.
fn actions(on_delete: Option<&str>, on_update: Option<&str>) -> String {
    format!(
        "ON DELETE {} ON UPDATE {}",
        on_delete.unwrap_or("-"),
        on_update.unwrap_or("-")
    )
}

/// An action as the comparison sees it: `NO ACTION` and `RESTRICT` are none.
fn said(action: Option<&String>) -> Option<&str> {
    action
        .map(String::as_str)
        .filter(|a| *a != "NO ACTION" && *a != "RESTRICT")
}

impl DriftItem {
    /// A line for the drift table: (what, detail).
    pub fn describe(&self) -> (String, String) {
        match self {
            DriftItem::MissingTable => {
                ("missing table".into(), "db.create_all() creates it".into())
            }
            DriftItem::ExtraTable => (
                "extra table".into(),
                "in the database, mapped by no model (`ormsh --reflect` maps it)".into(),
            ),
            DriftItem::MissingColumn(c) => ("missing column".into(), c.clone()),
            DriftItem::ExtraColumn(c) => (
                "extra column".into(),
                format!("{c} (in the database, not the model)"),
            ),
            DriftItem::TypeDiffers {
                column,
                model,
                live,
            } => (
                "type differs".into(),
                format!("{column}: model {model}, database {live}"),
            ),
            DriftItem::NullableDiffers {
                column,
                model,
                live,
            } => (
                "nullability differs".into(),
                format!(
                    "{column}: model {}, database {}",
                    nullness(*model),
                    nullness(*live)
                ),
            ),
            DriftItem::DefaultDiffers {
                column,
                model,
                live,
            } => (
                "default differs".into(),
                format!(
                    "{column}: model {}, database {}",
                    model.as_ref().map_or("none".into(), ServerDefault::repr),
                    live.as_deref().map_or("none".into(), |l| format!("'{l}'"))
                ),
            ),
            DriftItem::MissingUnique(c) => ("missing unique".into(), c.clone()),
            DriftItem::MissingIndex(c) => ("missing index".into(), c.clone()),
            DriftItem::MissingForeignKey { column, target } => {
                ("missing foreign key".into(), format!("{column} → {target}"))
            }
            DriftItem::ForeignKeyActionsDiffer {
                column,
                model,
                live,
                ..
            } => (
                "foreign key actions differ".into(),
                format!("{column}: models {model}, database {live}"),
            ),
            DriftItem::Constraint(c) => c.describe(),
        }
    }
}

fn nullness(nullable: bool) -> &'static str {
    if nullable { "NULL" } else { "NOT NULL" }
}

/// The drift of one table.
#[derive(Debug, Clone)]
pub struct Drift {
    /// The model that maps the table; none for an association table or a
    /// table nothing maps.
    pub model: Option<String>,
    pub table: String,
    /// The bind key of the database the table is in; none for the default one.
    pub bind: Option<String>,
    pub items: Vec<DriftItem>,
}

/// The type a column's DDL name reads back as, so both sides compare in the
/// database's own terms (MySQL's BOOL is `tinyint(1)`, and so on).
fn as_stored(ty: &ColumnType, dialect: &dyn Dialect) -> ColumnType {
    reflected_type(&dialect.type_name(ty), dialect)
}

/// Two types are the same as stored; a type ormsh has no decoder for is
/// named as the catalog names it, in either case.
fn same_type(a: &ColumnType, b: &ColumnType) -> bool {
    match (a, b) {
        (ColumnType::Other(a), ColumnType::Other(b)) => a.eq_ignore_ascii_case(b),
        _ => a == b,
    }
}

fn single(columns: &[String], name: &str) -> bool {
    columns.len() == 1 && columns[0] == name
}

/// Whether a model's `server_default` and a live default are the same:
/// databases respell booleans, numbers and expressions.
fn same_default(model: Option<&ServerDefault>, live: Option<&str>, dialect: &dyn Dialect) -> bool {
    if let (Some(ServerDefault::Sql(m)), Some(raw)) = (model, live) {
        return crate::sql::dialect::same_default_sql(m, raw);
    }
    let live_sql = live.and_then(|l| dialect.read_default_sql(l));
    let live = live.and_then(|l| dialect.read_default(l));
    let (model, live) = match (model, live, live_sql) {
        (None, None, None) => return true,
        (Some(ServerDefault::Value(m)), Some(l), _) => (m, l),
        _ => return false,
    };
    let live = live.as_str();
    let text = match model {
        Value::Text(t) => t.clone(),
        other => other.to_string(),
    };
    if text == live {
        return true;
    }
    if let Value::Bool(b) = model {
        let live = live.to_ascii_lowercase();
        return if *b {
            matches!(live.as_str(), "true" | "1" | "t")
        } else {
            matches!(live.as_str(), "false" | "0" | "f")
        };
    }
    matches!((text.parse::<f64>(), live.parse::<f64>()), (Ok(a), Ok(b)) if a == b)
}

/// A model's table as declared, for `compare`.
fn model_table(mapper: &Mapper) -> (Declared<'_>, Vec<String>) {
    let primary_key = mapper
        .primary_key
        .iter()
        .map(|&i| mapper.columns[i].db_name.clone())
        .collect();
    let declared = Declared {
        table: &mapper.table,
        columns: &mapper.columns,
        constraints: &mapper.constraints,
        foreign_key_indexes: crate::orm::schema::ddl::foreign_key_indexes(mapper),
    };
    (declared, primary_key)
}

/// A declared table (a model's or an association table's, with its
/// primary key's columns) against the live one.
fn compare(
    declared: &Declared,
    primary_key: &[String],
    live: &TableInfo,
    dialect: &dyn Dialect,
) -> Vec<DriftItem> {
    let mut items = Vec::new();
    // A column of a declared `ForeignKeyConstraint` has its key compared
    // with the constraint's (`drift_constraints`), not here again.
    let in_declared_key: Vec<&String> = declared
        .constraints
        .iter()
        .filter(|k| !k.from_column)
        .filter(|k| {
            matches!(
                k.kind,
                crate::orm::mapping::constraints::ConstraintKind::ForeignKey { .. }
            )
        })
        .flat_map(|k| k.columns())
        .collect();
    for c in declared.columns {
        // A `PrimaryKeyConstraint`'s columns are the key as much as `primary_key=True`'s.
        let in_key = c.primary_key || primary_key.contains(&c.db_name);
        let Some(lc) = live.columns.iter().find(|l| l.name == c.db_name) else {
            items.push(DriftItem::MissingColumn(c.db_name.clone()));
            continue;
        };
        let live_ty = reflected_type(&lc.type_name, dialect);
        // DECIMAL_TEXT (an older ormsh's Numeric on SQLite) reads back as
        // Numeric, but gives the column text affinity: values compare as text.
        let text_affinity = lc
            .type_name
            .to_ascii_lowercase()
            .starts_with("decimal_text");
        // The model's type itself (MariaDB's own UUID), or its DDL as it
        // reads back; an enum by its values, native or not.
        let same_enum = matches!(
            (&c.ty, &live_ty),
            (ColumnType::Enum(m), ColumnType::Enum(l)) if m.values == l.values
        );
        let same =
            (same_enum || c.ty == live_ty || same_type(&as_stored(&c.ty, dialect), &live_ty))
                && !text_affinity;
        let integer_key = in_key && live_ty.is_integer() && c.ty.is_integer();
        if !same && !integer_key {
            items.push(DriftItem::TypeDiffers {
                column: c.db_name.clone(),
                model: c.ty.clone(),
                live: lc.type_name.clone(),
            });
        }
        let model_nullable = c.nullable && !in_key;
        if model_nullable != lc.nullable && !in_key {
            items.push(DriftItem::NullableDiffers {
                column: c.db_name.clone(),
                model: model_nullable,
                live: lc.nullable,
            });
        }
        if !in_key && !same_default(c.server_default.as_ref(), lc.default.as_deref(), dialect) {
            let live = lc.default.as_deref();
            items.push(DriftItem::DefaultDiffers {
                column: c.db_name.clone(),
                model: c.server_default.clone(),
                live: live
                    .and_then(|d| dialect.read_default(d))
                    .or_else(|| live.and_then(|d| dialect.read_default_sql(d))),
            });
        }
        let uniquely_indexed = live
            .indexes
            .iter()
            .any(|i| i.unique && single(&i.columns, &c.db_name));
        if c.unique && !in_key && !uniquely_indexed {
            items.push(DriftItem::MissingUnique(c.db_name.clone()));
        }
        if c.index && !c.unique && !live.indexes.iter().any(|i| single(&i.columns, &c.db_name)) {
            items.push(DriftItem::MissingIndex(c.db_name.clone()));
        }
        if let Some(fk) = &c.foreign_key
            && !in_declared_key.contains(&&c.db_name)
        {
            match live
                .foreign_keys
                .iter()
                .find(|f| f.columns.contains(&c.db_name) && f.ref_table == fk.table)
            {
                None => items.push(DriftItem::MissingForeignKey {
                    column: c.db_name.clone(),
                    target: format!("{}.{}", fk.table, fk.column),
                }),
                Some(f)
                    if said(fk.on_delete.as_ref()) != said(f.on_delete.as_ref())
                        || said(fk.on_update.as_ref()) != said(f.on_update.as_ref()) =>
                {
                    items.push(DriftItem::ForeignKeyActionsDiffer {
                        column: c.db_name.clone(),
                        name: f.name.clone(),
                        model: actions(said(fk.on_delete.as_ref()), said(fk.on_update.as_ref())),
                        live: actions(said(f.on_delete.as_ref()), said(f.on_update.as_ref())),
                    })
                }
                Some(_) => {}
            }
        }
    }
    for lc in &live.columns {
        if !declared.columns.iter().any(|c| c.db_name == lc.name) {
            items.push(DriftItem::ExtraColumn(lc.name.clone()));
        }
    }
    items.extend(
        drift_constraints::compare(declared, primary_key, live)
            .into_iter()
            .map(DriftItem::Constraint),
    );
    items
}

impl Schema<'_> {
    /// Every table's drift: each model's table against the live one, the
    /// association tables, and the tables nothing maps (tables in agreement
    /// left out).
    pub fn diff(&self) -> Result<Vec<Drift>> {
        let registry = self.registry();
        let mut out = Vec::new();
        for mapper in registry.table_order() {
            let engine = self.engine_for(mapper)?;
            let items = match engine.describe_table(&mapper.table)? {
                None => vec![DriftItem::MissingTable],
                Some(live) => {
                    let (declared, primary_key) = model_table(mapper);
                    compare(&declared, &primary_key, &live, engine.dialect())
                }
            };
            if !items.is_empty() {
                out.push(Drift {
                    model: Some(mapper.name.clone()),
                    table: mapper.table.clone(),
                    bind: mapper.bind_key.clone(),
                    items,
                });
            }
        }
        for (key, engine) in self.engines().all() {
            let associations: Vec<&str> =
                registry.tables_on(key).map(|t| t.name.as_str()).collect();
            let mapped: HashSet<&str> = registry
                .mappers
                .iter()
                .filter(|m| m.bind_key.as_deref() == key)
                .map(|m| m.table.as_str())
                .chain(associations.iter().copied())
                .collect();
            let live = engine.table_names()?;
            for table in registry.tables_on(key) {
                if !live.contains(&table.name) {
                    continue;
                }
                let Some(info) = engine.describe_table(&table.name)? else {
                    continue;
                };
                let primary_key = crate::orm::schema::ddl::association_primary_key(table);
                let declared = Declared {
                    table: &table.name,
                    columns: &table.columns,
                    constraints: &table.constraints,
                    foreign_key_indexes: Vec::new(),
                };
                let items = compare(&declared, &primary_key, &info, engine.dialect());
                if !items.is_empty() {
                    out.push(Drift {
                        model: None,
                        table: table.name.clone(),
                        bind: key.map(str::to_string),
                        items,
                    });
                }
            }
            let missing = associations
                .iter()
                .filter(|t| !live.iter().any(|l| l == *t));
            // Alembic's own table belongs to the migrations, not the models.
            let extra = live
                .iter()
                .filter(|l| !mapped.contains(l.as_str()) && l.as_str() != "alembic_version");
            for (table, item) in missing
                .map(|t| (t.to_string(), DriftItem::MissingTable))
                .chain(extra.map(|t| (t.clone(), DriftItem::ExtraTable)))
            {
                out.push(Drift {
                    model: None,
                    table,
                    bind: key.map(str::to_string),
                    items: vec![item],
                });
            }
        }
        Ok(out)
    }
}
