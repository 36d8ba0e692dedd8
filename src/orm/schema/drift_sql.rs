//! The DDL that brings a live database in line with the models, item by
//! item of the drift (`drift.rs`), where it can be done in place; what
//! cannot is said as a `-- ` comment, and the drops of what a table has
//! beyond the models come from the layer that writes revisions
//! (`ExtraSql`), so that they are the statements a revision runs.

use crate::error::Result;
use crate::orm::mapping::model::{Column, Mapper};
use crate::orm::schema::Schema;
use crate::orm::schema::drift::{Drift, DriftItem};
use crate::orm::schema::drift_constraints::{self, ConstraintDrift};
use crate::sql::introspect::unqualified;
use crate::sql::{
    AddColumn, AddForeignKey, AlterColumn, ColumnChange, Compiled, CreateIndex, Dialect,
    DropForeignKey, Statement, compile,
};

/// The statements that drop what a table (in the database of the bind
/// key, none for the default one) has beyond the models (indexes, UNIQUE
/// constraints, foreign keys, checks), as the layer that writes revisions
/// makes them; an error is printed as a comment.
pub type ExtraSql<'a> = dyn Fn(Option<&str>, &str, &[&ConstraintDrift]) -> Result<Vec<String>> + 'a;

impl Schema<'_> {
    /// The DDL that brings the database in line, and what cannot be done in
    /// place (as `-- ` comments), for the connected dialects; `extras`
    /// makes the drops of what a table has beyond the models.
    pub fn diff_sql(&self, drift: &[Drift], extras: &ExtraSql) -> Result<Vec<String>> {
        let registry = self.registry();
        let mut out: Vec<String> = Vec::new();
        for d in drift {
            let beyond = crate::orm::schema::drift::extra_constraints(&d.items);
            if !beyond.is_empty() {
                match extras(d.bind.as_deref(), &d.table, &beyond) {
                    Ok(statements) => {
                        out.extend(statements.into_iter().map(|s| format!("{s};")));
                    }
                    Err(why) => out.push(format!("-- {}: {why}", d.table)),
                }
            }
            for item in &d.items {
                if let DriftItem::Constraint(c) = item
                    && beyond.contains(&c)
                {
                    continue;
                }
                let repaired = match &d.model {
                    Some(model) => {
                        let mapper = registry.lookup(model)?;
                        repair(mapper, item, self.engine_for(mapper)?.dialect())
                    }
                    None => match registry.tables.iter().find(|t| t.name == d.table) {
                        Some(table) if let DriftItem::Constraint(c) = item => {
                            let engine = self.engines().get(registry.table_bind(table))?;
                            drift_constraints::repair(&table.name, c, engine.dialect())
                        }
                        Some(table) if *item == DriftItem::MissingTable => {
                            let engine = self.engines().get(registry.table_bind(table))?;
                            Ok(crate::orm::schema::ddl::association_table_statements(
                                table,
                                engine.dialect(),
                            ))
                        }
                        Some(_) => Err(
                            "an association table's columns change by the revision `ormsh db migrate` writes (`ormsh db upgrade --sql` prints its SQL)"
                                .into(),
                        ),
                        None => Err(
                            "left for a person to decide: reflect it, or drop it by hand".into(),
                        ),
                    },
                };
                match repaired {
                    Ok(statements) => {
                        for s in statements {
                            let line = format!("{};", s.sql);
                            // MySQL restates a whole column for each change
                            // to it; a composite key is missing for each column.
                            if !out.contains(&line) {
                                out.push(line);
                            }
                        }
                    }
                    Err(why) => {
                        let (what, detail) = item.describe();
                        out.push(format!("-- {}: {what} ({detail}): {why}", d.table));
                    }
                }
            }
        }
        Ok(out)
    }
}

/// The statements that repair one drift item, or why there are none.
fn repair(
    mapper: &Mapper,
    item: &DriftItem,
    dialect: &dyn Dialect,
) -> Result<Vec<Compiled>, String> {
    const REBUILD: &str = "cannot be changed in place on this database: the table must be rebuilt (create it anew, copy the rows, drop the old one, rename)";
    let table = &mapper.table;
    let column_at = |name: &str| {
        mapper
            .columns
            .iter()
            .position(|c| c.db_name == name)
            .ok_or_else(|| format!("{name} is not a column of the model"))
    };
    let alter = |name: &str, change: ColumnChange| -> Result<Vec<Compiled>, String> {
        if dialect.alter_column_style().is_none() {
            return Err(REBUILD.into());
        }
        let i = column_at(name)?;
        let numbered = mapper.autoincrement_column() == Some(i);
        let ddl = crate::orm::schema::ddl::column_ddl(&mapper.columns[i], numbered, dialect);
        Ok(vec![compile(
            &Statement::AlterColumn(AlterColumn {
                table: table.clone(),
                column: crate::sql::ColumnDdl {
                    unique: false,
                    ..ddl
                },
                change,
            }),
            dialect,
        )])
    };
    match item {
        DriftItem::MissingTable => Ok(crate::orm::schema::ddl::create_statements(mapper, dialect)),
        DriftItem::ExtraTable => Err("a model's table is never extra".into()),
        DriftItem::MissingColumn(c) => {
            let column = &mapper.columns[column_at(c)?];
            let mut statements = vec![add_column(table, column, dialect)];
            if dialect.supports_add_constraint() {
                statements.extend(add_foreign_key(mapper, column, dialect));
            }
            Ok(statements)
        }
        DriftItem::MissingUnique(c) | DriftItem::MissingIndex(c) => {
            let unique = matches!(item, DriftItem::MissingUnique(_));
            Ok(vec![compile(
                &Statement::CreateIndex(CreateIndex {
                    name: format!(
                        "{}_{}_{c}",
                        if unique { "uq" } else { "ix" },
                        unqualified(table)
                    ),
                    table: table.clone(),
                    columns: vec![c.clone()],
                    unique,
                }),
                dialect,
            )])
        }
        DriftItem::TypeDiffers { column, .. } if dialect.alter_column_style().is_none() => {
            column_at(column)?;
            Ok(crate::orm::schema::ddl::rebuild_statements(mapper, dialect))
        }
        DriftItem::TypeDiffers { column, .. } => alter(column, ColumnChange::Type),
        DriftItem::NullableDiffers { column, .. } => alter(column, ColumnChange::Nullability),
        DriftItem::DefaultDiffers { column, .. } => alter(column, ColumnChange::Default),
        DriftItem::MissingForeignKey { column, .. } => {
            if !dialect.supports_add_constraint() {
                return Err(REBUILD.into());
            }
            Ok(
                add_foreign_key(mapper, &mapper.columns[column_at(column)?], dialect)
                    .into_iter()
                    .collect(),
            )
        }
        DriftItem::ForeignKeyActionsDiffer { column, name, .. } => {
            if !dialect.supports_add_constraint() {
                return Err(REBUILD.into());
            }
            let drop = compile(
                &Statement::DropForeignKey(DropForeignKey {
                    table: mapper.table.clone(),
                    name: name.clone(),
                }),
                dialect,
            );
            Ok(std::iter::once(drop)
                .chain(add_foreign_key(
                    mapper,
                    &mapper.columns[column_at(column)?],
                    dialect,
                ))
                .collect())
        }
        DriftItem::Constraint(c) => drift_constraints::repair(table, c, dialect),
        DriftItem::ExtraColumn(c) => Err(format!(
            "left for a person to decide; if it is no longer needed: ALTER TABLE {table} DROP COLUMN {c}"
        )),
    }
}

/// `ALTER TABLE .. ADD CONSTRAINT .. FOREIGN KEY` for the key a column is
/// part of (a composite key is added whole).
fn add_foreign_key(mapper: &Mapper, c: &Column, dialect: &dyn Dialect) -> Option<Compiled> {
    let key = crate::orm::schema::ddl::all_foreign_keys(&mapper.columns, &mapper.constraints)
        .into_iter()
        .find(|k| k.columns.contains(&c.db_name))?;
    Some(compile(
        &Statement::AddForeignKey(AddForeignKey {
            table: mapper.table.clone(),
            name: key
                .name
                .clone()
                .unwrap_or_else(|| crate::orm::schema::ddl::foreign_key_name(&mapper.table, &key)),
            key,
        }),
        dialect,
    ))
}

/// `ALTER TABLE .. ADD COLUMN` for a model column. A NOT NULL column without
/// a default cannot be added to a table with rows: it is added nullable.
fn add_column(table: &str, c: &Column, dialect: &dyn Dialect) -> Compiled {
    compile(
        &Statement::AddColumn(AddColumn {
            table: table.to_string(),
            column: crate::sql::ColumnDdl {
                nullable: c.nullable || c.server_default.is_none(),
                autoincrement: false,
                unique: false,
                ..crate::orm::schema::ddl::column_ddl(c, false, dialect)
            },
        }),
        dialect,
    )
}
