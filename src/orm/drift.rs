//! Drift: where the models and the live database disagree (tables, columns,
//! types, nullability, unique constraints, indexes, foreign keys), and the
//! DDL that brings the database in line where it can be done in place.

use super::model::{Column, Mapper};
use super::session::Session;
use crate::error::Result;
use crate::sql::introspect::TableInfo;
use crate::sql::{
    AddColumn, ColumnDdl, ColumnType, Compiled, CreateIndex, Dialect, Statement, compile,
};

/// One disagreement about one table.
#[derive(Debug, Clone, PartialEq)]
pub enum DriftItem {
    /// The model's table is not in the database.
    MissingTable,
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
    MissingUnique(String),
    MissingIndex(String),
    MissingForeignKey {
        column: String,
        target: String,
    },
}

impl DriftItem {
    /// A line for the drift table: (what, detail).
    pub fn describe(&self) -> (String, String) {
        match self {
            DriftItem::MissingTable => {
                ("missing table".into(), "db.create_all() creates it".into())
            }
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
            DriftItem::MissingUnique(c) => ("missing unique".into(), c.clone()),
            DriftItem::MissingIndex(c) => ("missing index".into(), c.clone()),
            DriftItem::MissingForeignKey { column, target } => {
                ("missing foreign key".into(), format!("{column} → {target}"))
            }
        }
    }
}

fn nullness(nullable: bool) -> &'static str {
    if nullable { "NULL" } else { "NOT NULL" }
}

/// The drift of one model's table.
#[derive(Debug, Clone)]
pub struct Drift {
    pub model: String,
    pub table: String,
    pub items: Vec<DriftItem>,
}

/// The type a column's DDL name reads back as, so both sides compare in the
/// database's own terms (MySQL's BOOL is `tinyint(1)`, and so on).
fn as_stored(ty: &ColumnType, dialect: &dyn Dialect) -> ColumnType {
    ColumnType::from_sql_name(&dialect.type_name(ty))
}

fn single(columns: &[String], name: &str) -> bool {
    columns.len() == 1 && columns[0] == name
}

fn compare(mapper: &Mapper, live: &TableInfo, dialect: &dyn Dialect) -> Vec<DriftItem> {
    let mut items = Vec::new();
    for c in &mapper.columns {
        let Some(lc) = live.columns.iter().find(|l| l.name == c.db_name) else {
            items.push(DriftItem::MissingColumn(c.db_name.clone()));
            continue;
        };
        let live_ty = ColumnType::from_sql_name(&lc.type_name);
        if as_stored(&c.ty, dialect) != live_ty
            && !(c.primary_key && live_ty.is_integer() && c.ty.is_integer())
        {
            items.push(DriftItem::TypeDiffers {
                column: c.db_name.clone(),
                model: c.ty.clone(),
                live: lc.type_name.clone(),
            });
        }
        let model_nullable = c.nullable && !c.primary_key;
        if model_nullable != lc.nullable && !c.primary_key {
            items.push(DriftItem::NullableDiffers {
                column: c.db_name.clone(),
                model: model_nullable,
                live: lc.nullable,
            });
        }
        let uniquely_indexed = live
            .indexes
            .iter()
            .any(|i| i.unique && single(&i.columns, &c.db_name));
        if c.unique && !c.primary_key && !uniquely_indexed {
            items.push(DriftItem::MissingUnique(c.db_name.clone()));
        }
        if c.index && !c.unique && !live.indexes.iter().any(|i| single(&i.columns, &c.db_name)) {
            items.push(DriftItem::MissingIndex(c.db_name.clone()));
        }
        if let Some(fk) = &c.foreign_key
            && !live
                .foreign_keys
                .iter()
                .any(|f| single(&f.columns, &c.db_name) && f.ref_table == fk.table)
        {
            items.push(DriftItem::MissingForeignKey {
                column: c.db_name.clone(),
                target: format!("{}.{}", fk.table, fk.column),
            });
        }
    }
    for lc in &live.columns {
        if !mapper.columns.iter().any(|c| c.db_name == lc.name) {
            items.push(DriftItem::ExtraColumn(lc.name.clone()));
        }
    }
    items
}

impl Session {
    /// Every model's drift against its live table (models in agreement left out).
    pub fn diff(&self) -> Result<Vec<Drift>> {
        let mut out = Vec::new();
        for &m in &self.registry().dependency_order() {
            let mapper = self.registry().mapper(m);
            let engine = self.engine_for(mapper)?;
            let items = match engine.describe_table(&mapper.table)? {
                None => vec![DriftItem::MissingTable],
                Some(live) => compare(mapper, &live, engine.dialect()),
            };
            if !items.is_empty() {
                out.push(Drift {
                    model: mapper.name.clone(),
                    table: mapper.table.clone(),
                    items,
                });
            }
        }
        Ok(out)
    }

    /// The DDL that brings the database in line, and what cannot be done in
    /// place (as `-- ` comments), for the connected dialects.
    pub fn diff_sql(&self, drift: &[Drift]) -> Result<Vec<String>> {
        let mut out = Vec::new();
        for d in drift {
            let mapper = self.registry().lookup(&d.model)?;
            let dialect = self.engine_for(mapper)?.dialect();
            let column = |name: &str| mapper.columns.iter().find(|c| c.db_name == name);
            for item in &d.items {
                let statements: Vec<Compiled> = match item {
                    DriftItem::MissingTable => super::schema::create_statements(mapper, dialect),
                    DriftItem::MissingColumn(c) => match column(c) {
                        Some(col) => vec![add_column(&d.table, col, dialect)],
                        None => Vec::new(),
                    },
                    DriftItem::MissingUnique(c) | DriftItem::MissingIndex(c) => vec![compile(
                        &Statement::CreateIndex(CreateIndex {
                            name: format!(
                                "{}_{}_{c}",
                                if matches!(item, DriftItem::MissingUnique(_)) {
                                    "uq"
                                } else {
                                    "ix"
                                },
                                d.table
                            ),
                            table: d.table.clone(),
                            columns: vec![c.clone()],
                            unique: matches!(item, DriftItem::MissingUnique(_)),
                        }),
                        dialect,
                    )],
                    other => {
                        let (what, detail) = other.describe();
                        out.push(format!("-- {}: {what} ({detail}) cannot be changed in place here: rebuild the table or alter it by hand", d.table));
                        Vec::new()
                    }
                };
                out.extend(statements.into_iter().map(|s| format!("{};", s.sql)));
            }
        }
        Ok(out)
    }
}

/// `ALTER TABLE .. ADD COLUMN` for a model column. A NOT NULL column without
/// a default cannot be added to a table with rows: it is added nullable.
fn add_column(table: &str, c: &Column, dialect: &dyn Dialect) -> Compiled {
    compile(
        &Statement::AddColumn(AddColumn {
            table: table.to_string(),
            column: ColumnDdl {
                name: c.db_name.clone(),
                ty: c.ty.clone(),
                nullable: c.nullable || c.server_default.is_none(),
                autoincrement: false,
                unique: false,
                server_default: c.server_default.clone(),
            },
        }),
        dialect,
    )
}
