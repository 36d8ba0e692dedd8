//! `db.create_all()` and `db.drop_all()`: DDL from the mappers, per bind, in
//! foreign-key order, leaving tables that exist alone (as SQLAlchemy's
//! `checkfirst` does).

use std::collections::HashSet;

use super::model::{Column, Mapper};
use super::session::Session;
use crate::error::Result;
use crate::sql::dialect::AutoIncrement;
use crate::sql::{
    ColumnDdl, Compiled, CreateIndex, CreateTable, Dialect, DropTable, ForeignKeyDdl, Statement,
    compile,
};

/// What a schema operation did, for the message at the prompt.
#[derive(Debug, Default, Clone)]
pub struct SchemaReport {
    pub created: Vec<String>,
    pub existing: Vec<String>,
    pub dropped: Vec<String>,
}

impl Session {
    /// The tables that exist in the database behind `bind` (`None`: the default one).
    pub fn table_names(&self, bind: Option<&str>) -> Result<Vec<String>> {
        self.engines().get(bind)?.table_names()
    }

    /// Create every missing table of the models on `bind` (all binds when `None`).
    pub fn create_all(&self, bind: Option<Option<&str>>) -> Result<SchemaReport> {
        let registry = self.registry();
        let mut report = SchemaReport::default();
        for (key, engine) in self.engines().all() {
            if bind.is_some_and(|b| b != key) {
                continue;
            }
            let began = !engine.in_transaction() && !self.holds_commits();
            let existing: HashSet<String> = engine.table_names()?.into_iter().collect();
            for &m in &registry.dependency_order() {
                let mapper = registry.mapper(m);
                if mapper.bind_key.as_deref() != key {
                    continue;
                }
                if existing.contains(&mapper.table) {
                    report.existing.push(mapper.table.clone());
                    continue;
                }
                for stmt in create_statements(mapper, engine.dialect()) {
                    engine.execute(&stmt)?;
                }
                report.created.push(mapper.table.clone());
            }
            // Association tables after the tables they refer to.
            for table in registry
                .tables
                .iter()
                .filter(|t| registry.table_bind(t) == key)
            {
                if existing.contains(&table.name) {
                    report.existing.push(table.name.clone());
                } else {
                    engine.execute(&super::secondary::create_statement(table, engine.dialect()))?;
                    report.created.push(table.name.clone());
                }
            }
            if began {
                engine.commit()?;
            }
        }
        Ok(report)
    }

    /// Drop every table of the models on `bind` (all binds when `None`), children first.
    pub fn drop_all(&self, bind: Option<Option<&str>>) -> Result<SchemaReport> {
        let registry = self.registry();
        let mut report = SchemaReport::default();
        for (key, engine) in self.engines().all() {
            if bind.is_some_and(|b| b != key) {
                continue;
            }
            let began = !engine.in_transaction() && !self.holds_commits();
            let existing: HashSet<String> = engine.table_names()?.into_iter().collect();
            let association = registry
                .tables
                .iter()
                .filter(|t| registry.table_bind(t) == key);
            for name in association
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
            for &m in registry.dependency_order().iter().rev() {
                let mapper = registry.mapper(m);
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
            if began {
                engine.commit()?;
            }
        }
        // Objects of dropped tables have no rows to go back to.
        self.expunge_all();
        Ok(report)
    }
}

/// CREATE TABLE and its CREATE INDEX statements for one mapper.
pub fn create_statements(mapper: &Mapper, dialect: &dyn Dialect) -> Vec<Compiled> {
    let primary_key = mapper
        .primary_key
        .iter()
        .map(|&i| mapper.columns[i].db_name.clone())
        .collect();
    let mut out = vec![table_statement(
        &mapper.table,
        &mapper.columns,
        primary_key,
        mapper.autoincrement_column(),
        dialect,
    )];
    for c in mapper.columns.iter().filter(|c| c.index) {
        out.push(compile(
            &Statement::CreateIndex(CreateIndex {
                name: format!("ix_{}_{}", mapper.table, c.db_name),
                table: mapper.table.clone(),
                columns: vec![c.db_name.clone()],
                unique: c.unique,
            }),
            dialect,
        ));
    }
    out
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

/// The FOREIGN KEY constraints of declared columns. Columns that refer to
/// different columns of the same table form one composite key
/// (`(order_id, line_no)` → `order_line (order_id, line_no)`), which is the
/// only way a composite primary key can be referred to; columns that refer to
/// the same column (`sender_id`, `recipient_id` → `author.id`) stay apart.
pub(crate) fn foreign_key_constraints(columns: &[Column]) -> Vec<ForeignKeyDdl> {
    let mut out: Vec<ForeignKeyDdl> = Vec::new();
    for c in columns {
        let Some(fk) = &c.foreign_key else { continue };
        match out
            .iter_mut()
            .find(|k| k.ref_table == fk.table && !k.ref_columns.contains(&fk.column))
        {
            Some(k) => {
                k.columns.push(c.db_name.clone());
                k.ref_columns.push(fk.column.clone());
            }
            None => out.push(ForeignKeyDdl {
                columns: vec![c.db_name.clone()],
                ref_table: fk.table.clone(),
                ref_columns: vec![fk.column.clone()],
            }),
        }
    }
    out
}

/// CREATE TABLE for declared columns (a model's or an association table's).
pub(crate) fn table_statement(
    name: &str,
    columns: &[Column],
    primary_key: Vec<String>,
    auto: Option<usize>,
    dialect: &dyn Dialect,
) -> Compiled {
    let ddl = columns
        .iter()
        .enumerate()
        .map(|(i, c)| column_ddl(c, Some(i) == auto, dialect))
        .collect();
    let foreign_keys = foreign_key_constraints(columns);
    compile(
        &Statement::CreateTable(CreateTable {
            name: name.to_string(),
            columns: ddl,
            primary_key,
            foreign_keys,
            if_not_exists: false,
        }),
        dialect,
    )
}
