//! `db.create_all()` and `db.drop_all()`: DDL from the mappers, per bind, in
//! foreign-key order, leaving tables that exist alone (as SQLAlchemy's
//! `checkfirst` does).

use std::collections::HashSet;

use crate::error::Result;
use crate::orm::mapping::association::TableDecl;
use crate::orm::mapping::constraints::{Constraint, ConstraintKind};
use crate::orm::mapping::model::{Column, Mapper};
use crate::orm::schema::Schema;
use crate::orm::schema::ddl_foreign_keys::declared_foreign_key;
pub(crate) use crate::orm::schema::ddl_foreign_keys::{
    all_foreign_keys, foreign_key_constraints, foreign_key_indexes, foreign_key_name,
};
use crate::sql::dialect::AutoIncrement;
use crate::sql::{
    AddForeignKey, ColumnDdl, ColumnType, Compiled, CreateEnumType, CreateIndex, CreateTable,
    Dialect, DropEnumType, DropForeignKey, DropTable, ForeignKeyDdl, Statement, TableConstraintDdl,
    compile,
};

/// What a schema operation did, for the message at the prompt.
#[derive(Debug, Default, Clone)]
pub struct SchemaReport {
    pub created: Vec<String>,
    pub existing: Vec<String>,
    pub dropped: Vec<String>,
}

impl Schema<'_> {
    /// The tables that exist in the database behind `bind` (`None`: the default one).
    pub fn table_names(&self, bind: Option<&str>) -> Result<Vec<String>> {
        self.engines().get(bind)?.table_names()
    }

    /// Create every missing table of the models on `bind` (all binds when `None`).
    pub fn create_all(&self, bind: Option<Option<&str>>) -> Result<SchemaReport> {
        self.default_is_set(bind, "create_all")?;
        let registry = self.registry();
        let mut report = SchemaReport::default();
        for (key, engine) in self.engines().all() {
            let Some((began, existing)) = self.schema_target(bind, key, engine)? else {
                continue;
            };
            let dialect = engine.dialect();
            for stmt in self.missing_enum_types(engine, key)? {
                engine.execute(&stmt)?;
            }
            // A key to a table not made yet closes a cycle (post_update, or
            // tables that refer to each other): added once both exist, as
            // SQLAlchemy's use_alter. SQLite does not check it at CREATE.
            let mut made = existing.clone();
            let mut later: Vec<(String, ForeignKeyDdl)> = Vec::new();
            for mapper in registry.table_order() {
                if mapper.bind_key.as_deref() != key {
                    continue;
                }
                if existing.contains(&mapper.table) {
                    report.existing.push(mapper.table.clone());
                    continue;
                }
                let deferred: Vec<ForeignKeyDdl> =
                    all_foreign_keys(&mapper.columns, &mapper.constraints)
                        .into_iter()
                        .filter(|k| {
                            dialect.supports_add_constraint()
                                && k.ref_table != mapper.table
                                && !made.contains(&k.ref_table)
                        })
                        .collect();
                for stmt in table_and_indexes(mapper, dialect, &deferred) {
                    engine.execute(&stmt)?;
                }
                made.insert(mapper.table.clone());
                later.extend(deferred.into_iter().map(|k| (mapper.table.clone(), k)));
                report.created.push(mapper.table.clone());
            }
            // Association tables after the tables they refer to.
            for table in registry.tables_on(key) {
                if existing.contains(&table.name) {
                    report.existing.push(table.name.clone());
                } else {
                    for stmt in association_table_statements(table, engine.dialect()) {
                        engine.execute(&stmt)?;
                    }
                    report.created.push(table.name.clone());
                }
            }
            for (table, key) in later {
                let stmt = Statement::AddForeignKey(AddForeignKey {
                    name: key
                        .name
                        .clone()
                        .unwrap_or_else(|| foreign_key_name(&table, &key)),
                    table,
                    key,
                });
                engine.execute(&compile(&stmt, dialect))?;
            }
            if began {
                engine.commit()?;
            }
        }
        Ok(report)
    }

    /// Drop every table of the models on `bind` (all binds when `None`), children first.
    pub fn drop_all(&self, bind: Option<Option<&str>>) -> Result<SchemaReport> {
        self.default_is_set(bind, "drop_all")?;
        let registry = self.registry();
        let mut report = SchemaReport::default();
        for (key, engine) in self.engines().all() {
            let Some((began, existing)) = self.schema_target(bind, key, engine)? else {
                continue;
            };
            let drop_order: Vec<&str> = registry
                .tables_on(key)
                .map(|t| t.name.as_str())
                .chain(
                    registry
                        .table_order()
                        .into_iter()
                        .rev()
                        .filter(|m| m.bind_key.as_deref() == key)
                        .map(|m| m.table.as_str()),
                )
                .filter(|t| existing.contains(*t))
                .collect();
            self.drop_cycle_keys(engine, &drop_order)?;
            for name in registry
                .tables_on(key)
                .map(|t| &t.name)
                .filter(|n| existing.contains(*n))
            {
                let stmt = Statement::DropTable(DropTable {
                    name: name.clone(),
                    if_exists: true,
                });
                engine.execute(&compile(&stmt, engine.dialect()))?;
                report.dropped.push(name.clone());
            }
            for mapper in registry.table_order().into_iter().rev() {
                if mapper.bind_key.as_deref() != key || !existing.contains(&mapper.table) {
                    continue;
                }
                let stmt = Statement::DropTable(DropTable {
                    name: mapper.table.clone(),
                    if_exists: true,
                });
                engine.execute(&compile(&stmt, engine.dialect()))?;
                report.dropped.push(mapper.table.clone());
            }
            // Then the enum types they used, as SQLAlchemy's drop_all does.
            if engine.dialect().makes_enum_types() {
                for (name, _) in self.named_enums(key) {
                    let stmt = Statement::DropEnumType(DropEnumType { name });
                    engine.execute(&compile(&stmt, engine.dialect()))?;
                }
            }
            if began {
                engine.commit()?;
            }
        }
        // Objects of dropped tables have no rows to go back to.
        self.expunge_all();
        Ok(report)
    }
}

impl Schema<'_> {
    /// For `create_all`/`drop_all` on the engine of `key`: none when `bind`
    /// names another; else whether this call begins the transaction (and so
    /// commits it), and the tables that exist there.
    /// Every bind, or the default one, includes the default database: with
    /// none set, refused as Flask-SQLAlchemy refuses it (its metadata of
    /// no bind key always exists), naming the binds that can be given.
    pub(crate) fn default_is_set(&self, bind: Option<Option<&str>>, call: &str) -> Result<()> {
        if bind.is_some_and(|b| b.is_some()) || self.engines().has_default() {
            return Ok(());
        }
        let first = self.engines().all().find_map(|(k, _)| k).unwrap_or("name");
        Err(crate::error::Error::config(format!(
            "db.{call}() is for every database, the default one too, and {}: name a bind (`db.{call}(\"{first}\")`), or set the default database's URL",
            self.engines().no_default_clause()
        )))
    }

    fn schema_target(
        &self,
        bind: Option<Option<&str>>,
        key: Option<&str>,
        engine: &crate::engine::Engine,
    ) -> Result<Option<(bool, HashSet<String>)>> {
        if bind.is_some_and(|b| b != key) {
            return Ok(None);
        }
        let began = !engine.in_transaction() && !self.holds_commits();
        Ok(Some((began, engine.table_names()?.into_iter().collect())))
    }

    /// The named enums of the models on `key`, each once, in model order.
    fn named_enums(&self, key: Option<&str>) -> Vec<(String, Vec<String>)> {
        let registry = self.registry();
        let mut out: Vec<(String, Vec<String>)> = Vec::new();
        let columns = registry
            .mappers
            .iter()
            .filter(|m| m.bind_key.as_deref() == key)
            .flat_map(|m| m.columns.iter())
            .chain(registry.tables_on(key).flat_map(|t| t.columns.iter()));
        for c in columns {
            if let ColumnType::Enum(e) = &c.ty
                && let Some(name) = &e.name
                && !out.iter().any(|(n, _)| n == name)
            {
                out.push((name.clone(), e.values.clone()));
            }
        }
        out
    }

    /// `CREATE TYPE .. AS ENUM` for each named enum of the models on `key`
    /// that the database does not have yet (where it makes such types).
    fn missing_enum_types(
        &self,
        engine: &crate::engine::Engine,
        key: Option<&str>,
    ) -> Result<Vec<Compiled>> {
        let dialect = engine.dialect();
        if !dialect.makes_enum_types() {
            return Ok(Vec::new());
        }
        let named = self.named_enums(key);
        if named.is_empty() {
            return Ok(Vec::new());
        }
        let existing = engine.enum_type_names()?;
        Ok(named
            .into_iter()
            .filter(|(name, _)| !existing.contains(name))
            .map(|(name, values)| {
                compile(
                    &Statement::CreateEnumType(CreateEnumType { name, values }),
                    dialect,
                )
            })
            .collect())
    }

    /// Before tables are dropped in `order`: drop the live foreign keys that
    /// point at a table dropped before theirs (a cycle), read from the
    /// database so keys made by any tool are found by their names.
    fn drop_cycle_keys(&self, engine: &crate::engine::Engine, order: &[&str]) -> Result<()> {
        if !engine.dialect().supports_add_constraint() || order.is_empty() {
            return Ok(());
        }
        let position = |t: &str| order.iter().position(|o| *o == t);
        for info in engine.describe_all()? {
            let Some(mine) = position(&info.name) else {
                continue;
            };
            for fk in &info.foreign_keys {
                if position(&fk.ref_table).is_some_and(|theirs| theirs < mine) {
                    let stmt = Statement::DropForeignKey(DropForeignKey {
                        table: info.name.clone(),
                        name: fk.name.clone(),
                    });
                    engine.execute(&compile(&stmt, engine.dialect()))?;
                }
            }
        }
        Ok(())
    }
}

/// CREATE TABLE and its CREATE INDEX statements for one mapper.
pub fn create_statements(mapper: &Mapper, dialect: &dyn Dialect) -> Vec<Compiled> {
    table_and_indexes(mapper, dialect, &[])
}

/// A table rebuilt as the model declares it, for a change a database cannot
/// make in place (SQLite's column types): the new table under a passing
/// name, the rows copied (each value taking the new column's type), the
/// old table dropped, the new one renamed, and its indexes made again.
pub fn rebuild_statements(mapper: &Mapper, dialect: &dyn Dialect) -> Vec<Compiled> {
    let quote = |name: &str| dialect.identifier(name);
    let passing = format!("{}__ormsh_rebuild", mapper.table);
    let mut made = table_and_indexes(mapper, dialect, &[]);
    let indexes = made.split_off(1);
    let primary_key = mapper
        .primary_key
        .iter()
        .map(|&i| mapper.columns[i].db_name.clone())
        .collect();
    let columns: Vec<String> = mapper.columns.iter().map(|c| quote(&c.db_name)).collect();
    let columns = columns.join(", ");
    let ddl = |sql: String| Compiled {
        sql,
        binds: Vec::new(),
    };
    let mut out = vec![
        table_statement(
            &passing,
            &mapper.columns,
            &mapper.constraints,
            primary_key,
            mapper.autoincrement_column(),
            dialect,
            &[],
        ),
        ddl(format!(
            "INSERT INTO {} ({columns}) SELECT {columns} FROM {}",
            quote(&passing),
            quote(&mapper.table)
        )),
        ddl(format!("DROP TABLE {}", quote(&mapper.table))),
        ddl(format!(
            "ALTER TABLE {} RENAME TO {}",
            quote(&passing),
            quote(&mapper.table)
        )),
    ];
    out.extend(indexes);
    out
}

/// As `create_statements`, the foreign keys in `leave_out` left for later.
fn table_and_indexes(
    mapper: &Mapper,
    dialect: &dyn Dialect,
    leave_out: &[ForeignKeyDdl],
) -> Vec<Compiled> {
    let primary_key = mapper
        .primary_key
        .iter()
        .map(|&i| mapper.columns[i].db_name.clone())
        .collect();
    let mut out = vec![table_statement(
        &mapper.table,
        &mapper.columns,
        &mapper.constraints,
        primary_key,
        mapper.autoincrement_column(),
        dialect,
        leave_out,
    )];
    let declared = mapper
        .columns
        .iter()
        .filter(|c| c.index && !named_from_column(&mapper.constraints, &c.db_name, true))
        .map(|c| (vec![c.db_name.clone()], c.unique));
    let foreign = foreign_key_indexes(mapper)
        .into_iter()
        .map(|cols| (cols, false));
    for (columns, unique) in declared.chain(foreign) {
        out.push(compile(
            &Statement::CreateIndex(CreateIndex {
                name: format!("ix_{}_{}", mapper.table, columns.join("_")),
                table: mapper.table.clone(),
                columns,
                unique,
            }),
            dialect,
        ));
    }
    out.extend(declared_indexes(
        &mapper.table,
        &mapper.constraints,
        dialect,
    ));
    out
}

/// Whether a naming convention made a constraint (an index, or a unique
/// constraint) of the one column `column` itself: DDL writes that in the
/// column's place.
fn named_from_column(constraints: &[Constraint], column: &str, index: bool) -> bool {
    constraints.iter().any(|c| {
        c.from_column
            && c.columns().len() == 1
            && c.columns()[0] == column
            && match c.kind {
                ConstraintKind::Index { .. } => index,
                ConstraintKind::Unique(_) => !index,
                _ => false,
            }
    })
}

/// CREATE [UNIQUE] INDEX for each declared `db.Index`.
fn declared_indexes(
    table: &str,
    constraints: &[Constraint],
    dialect: &dyn Dialect,
) -> Vec<Compiled> {
    constraints
        .iter()
        .filter_map(|c| match &c.kind {
            ConstraintKind::Index { columns, unique } => Some(compile(
                &Statement::CreateIndex(CreateIndex {
                    name: c.name.clone().unwrap_or_default(),
                    table: table.to_string(),
                    columns: columns.clone(),
                    unique: *unique,
                }),
                dialect,
            )),
            _ => None,
        })
        .collect()
}

/// How a declared column is written in DDL; `numbered` when it is the key
/// the database numbers itself.
pub(crate) fn column_ddl(c: &Column, numbered: bool, dialect: &dyn Dialect) -> ColumnDdl {
    ColumnDdl {
        name: c.db_name.clone(),
        ty: c.ty.clone(),
        nullable: c.nullable && !c.primary_key,
        autoincrement: numbered && dialect.autoincrement() != AutoIncrement::Implicit,
        // A unique index replaces the constraint, as SQLAlchemy does.
        unique: c.unique && !c.index,
        server_default: c.server_default.clone(),
    }
}

/// CREATE TABLE for declared columns and constraints (a model's or an
/// association table's), the foreign keys in `leave_out` left for later.
pub(crate) fn table_statement(
    name: &str,
    columns: &[Column],
    constraints: &[Constraint],
    primary_key: Vec<String>,
    auto: Option<usize>,
    dialect: &dyn Dialect,
    leave_out: &[ForeignKeyDdl],
) -> Compiled {
    let ddl = columns
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let mut ddl = column_ddl(c, Some(i) == auto, dialect);
            // A convention's name for it: written with the constraints.
            ddl.unique &= !named_from_column(constraints, &c.db_name, false);
            ddl
        })
        .collect();
    let foreign_keys = foreign_key_constraints(columns, constraints)
        .into_iter()
        .filter(|k| !leave_out.contains(k))
        .collect();
    let primary_key_name = constraints
        .iter()
        .find(|c| matches!(c.kind, ConstraintKind::PrimaryKey(_)))
        .and_then(|c| c.name.clone());
    let declared = constraints
        .iter()
        .filter_map(|c| match &c.kind {
            ConstraintKind::Unique(columns) => Some(TableConstraintDdl::Unique {
                name: c.name.clone(),
                columns: columns.clone(),
            }),
            ConstraintKind::Check(sql) => Some(TableConstraintDdl::Check {
                name: c.name.clone(),
                sql: sql.clone(),
            }),
            ConstraintKind::ForeignKey { .. } => declared_foreign_key(c)
                .filter(|k| !leave_out.contains(k))
                .map(TableConstraintDdl::ForeignKey),
            ConstraintKind::PrimaryKey(_) | ConstraintKind::Index { .. } => None,
        })
        .collect();
    compile(
        &Statement::CreateTable(CreateTable {
            name: name.to_string(),
            columns: ddl,
            primary_key,
            primary_key_name,
            constraints: declared,
            foreign_keys,
            if_not_exists: false,
        }),
        dialect,
    )
}

/// The primary key of an association table: its `PrimaryKeyConstraint`'s
/// columns, or those marked `primary_key`.
pub(crate) fn association_primary_key(table: &TableDecl) -> Vec<String> {
    let declared_key = table.constraints.iter().find_map(|c| match &c.kind {
        ConstraintKind::PrimaryKey(columns) => Some(columns.clone()),
        _ => None,
    });
    declared_key.unwrap_or_else(|| {
        table
            .columns
            .iter()
            .filter(|c| c.primary_key)
            .map(|c| c.db_name.clone())
            .collect()
    })
}

/// CREATE TABLE for an association table, then its indexes.
pub fn association_table_statements(table: &TableDecl, dialect: &dyn Dialect) -> Vec<Compiled> {
    let primary_key = association_primary_key(table);
    let mut out = vec![table_statement(
        &table.name,
        &table.columns,
        &table.constraints,
        primary_key,
        None,
        dialect,
        &[],
    )];
    let indexed = table
        .columns
        .iter()
        .filter(|c| c.index && !named_from_column(&table.constraints, &c.db_name, true))
        .map(|c| (vec![c.db_name.clone()], c.unique));
    for (columns, unique) in indexed {
        out.push(compile(
            &Statement::CreateIndex(CreateIndex {
                name: format!("ix_{}_{}", table.name, columns.join("_")),
                table: table.name.clone(),
                columns,
                unique,
            }),
            dialect,
        ));
    }
    out.extend(declared_indexes(&table.name, &table.constraints, dialect));
    out
}
