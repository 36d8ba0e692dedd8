//! Running SQLAlchemy 2.0 statements on a session's state: a `select(..)`
//! into rows whose items are objects (through the identity map) or values,
//! and `insert/update/delete(..)` inside the session's transaction, the
//! objects already loaded kept in step with what an update or delete did.

use crate::error::{Error, Result};
use crate::orm::loading::Loader;
use crate::orm::mapping::model::Mapper;
use crate::orm::query::compound::CompoundStatement;
use crate::orm::query::dml::{WriteKind, WriteStatement};
use crate::orm::query::select::{Entity, SelectStatement};
use crate::orm::state::instance::{Instance, ObjectState};
use crate::orm::state::transaction_record::WriteKind as Counted;
use crate::sql::{ColumnType, Compiled, Delete, Expr, Insert, Statement, Update, Value, compile};

/// One item of a result row.
#[derive(Debug, Clone)]
pub enum Cell {
    Value(Value),
    /// An object; none where an outer join found no row for its model.
    Object(Option<Instance>),
}

/// The rows a statement gave, each item named.
#[derive(Debug, Clone)]
pub struct StatementRows {
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
    /// A joined eager load of a collection repeats an object once per
    /// child: as in SQLAlchemy, such rows are read only made unique
    /// (`.unique()`); `rows` then holds each object once.
    pub needs_unique: bool,
}

/// What a write statement did.
#[derive(Debug, Clone)]
pub struct WriteOutcome {
    /// The rows it inserted, changed or deleted.
    pub rowcount: u64,
    /// What `returning(..)` reads back, when asked.
    pub returned: Option<StatementRows>,
}

impl Loader<'_> {
    /// The SELECT a 2.0 select sends, as `stmt.sql()` shows it.
    pub fn compile_select_statement(&self, stmt: &SelectStatement) -> Result<Compiled> {
        stmt.check_from()?;
        if stmt.single_model().is_some() {
            return self.compile_query(stmt.query());
        }
        let engine = self.engine_for(stmt.query().mapper())?;
        let (select, _, _) = stmt.to_select();
        Ok(compile(&Statement::Select(select), engine.dialect()))
    }

    /// Run a 2.0 select: a row per row of the database, repeats kept.
    pub fn select_statement(&self, stmt: &SelectStatement) -> Result<StatementRows> {
        stmt.check_from()?;
        let query = stmt.query();
        let columns = stmt.column_names();
        if stmt.single_model().is_some() {
            let (_, _, joined) = query.to_select_with_eager(&self.registry());
            let needs_unique = joined.iter().any(|j| j.relationship().uselist);
            let loaded = self.load_objects_keeping(query, &[], !needs_unique)?;
            let rows = if needs_unique {
                loaded
                    .objects
                    .into_iter()
                    .map(|o| vec![Cell::Object(Some(o))])
                    .collect()
            } else {
                loaded
                    .rows
                    .into_iter()
                    .map(|(o, _)| vec![Cell::Object(Some(o))])
                    .collect()
            };
            return Ok(StatementRows {
                columns,
                rows,
                needs_unique,
            });
        }
        let has_model = stmt
            .entities()
            .iter()
            .any(|e| matches!(e, Entity::Model(_) | Entity::Alias(_)));
        if has_model && (!query.options.is_empty() || !query.deferred.is_empty()) {
            return Err(Error::invalid(
                "loader options (options(..)) on a select of several entities are not supported by ormsh: select the model alone, e.g. db.select(User).options(..)",
            ));
        }
        let engine = self.engine_for(query.mapper())?;
        let (select, types, offsets) = stmt.to_select();
        let compiled = compile(&Statement::Select(select), engine.dialect());
        let mut rows = Vec::new();
        let fetched = engine.fetch_rows(&compiled, &types, |row| {
            let mut cells = Vec::with_capacity(offsets.len());
            for (e, &offset) in stmt.entities().iter().zip(&offsets) {
                cells.push(match e {
                    Entity::Model(m) => Cell::Object(self.instance_for_joined_row(m, row, offset)?),
                    Entity::Alias(a) => {
                        Cell::Object(self.instance_for_joined_row(a.mapper()?, row, offset)?)
                    }
                    Entity::Column { .. } => Cell::Value(row.value(offset)?),
                });
            }
            rows.push(cells);
            Ok(())
        });
        self.failed_statement(fetched)?;
        Ok(StatementRows {
            columns,
            rows,
            needs_unique: false,
        })
    }

    /// The SQL of `union(..)` and the like, as `stmt.sql()` shows it.
    pub fn compile_compound(&self, stmt: &CompoundStatement) -> Result<Compiled> {
        let engine = self.engine_for(stmt.mapper())?;
        Ok(compile(
            &Statement::Compound(stmt.to_compound().0),
            engine.dialect(),
        ))
    }

    /// Run `union(..)` and the like: rows of values.
    pub fn compound_statement(&self, stmt: &CompoundStatement) -> Result<StatementRows> {
        let engine = self.engine_for(stmt.mapper())?;
        let (compound, types) = stmt.to_compound();
        let compiled = compile(&Statement::Compound(compound), engine.dialect());
        let width = types.len();
        let mut rows = Vec::new();
        let fetched = engine.fetch_rows(&compiled, &types, |row| {
            let cells = (0..width)
                .map(|i| row.value(i).map(Cell::Value))
                .collect::<Result<Vec<_>>>()?;
            rows.push(cells);
            Ok(())
        });
        self.failed_statement(fetched)?;
        Ok(StatementRows {
            columns: stmt.column_names(),
            rows,
            needs_unique: false,
        })
    }

    /// The SQL a write statement sends, as `stmt.sql()` shows it.
    pub fn compile_write(&self, stmt: &WriteStatement) -> Result<Compiled> {
        let engine = self.engine_for(stmt.mapper())?;
        Ok(compile(&self.write_sql(stmt)?, engine.dialect()))
    }

    /// The statement tree of a write, checked against what the database can do.
    fn write_sql(&self, stmt: &WriteStatement) -> Result<Statement> {
        let mapper = stmt.mapper().clone();
        let dialect = self.engine_for(&mapper)?.dialect();
        let (returning, _) = stmt.returning_columns();
        let query = stmt.query();
        let filter = query.where_clause();
        let refuse = |verb: &str| {
            Err(Error::invalid(format!(
                "{} has no {verb} .. RETURNING: run the statement without returning(), then select the rows",
                database_name(dialect.name())
            )))
        };
        match &stmt.kind {
            WriteKind::Insert(rows) => {
                if !returning.is_empty() && !dialect.supports_returning() {
                    return refuse("INSERT");
                }
                if mapper.is_joined() {
                    return Err(Error::invalid(format!(
                        "db.insert({}): its rows span tables (joined-table inheritance), which ormsh does not insert in one statement; add {}(#{{ .. }}) objects and commit",
                        mapper.name, mapper.name
                    )));
                }
                // A subclass's rows are told apart by the discriminator:
                // the statement must set it, as the objects would.
                if let Some(inh) = mapper.inheritance.as_ref().filter(|i| i.parent.is_some())
                    && let Some(on) = inh.polymorphic_on
                {
                    let name = &mapper.columns[on].name;
                    if rows.iter().any(|r| !r.iter().any(|(n, _)| n == name)) {
                        return Err(Error::invalid(format!(
                            "db.insert({}): set {name} in values(..) ({name}: {}), or add {}(#{{ .. }}) objects, which set it",
                            mapper.name,
                            inh.identity.as_ref().map_or("..".to_string(), |v| v.repr()),
                            mapper.name
                        )));
                    }
                }
                Ok(Statement::Insert(insert_rows(&mapper, rows, returning)?))
            }
            WriteKind::Update(values) => {
                Self::check_bulk(query, "update")?;
                if !returning.is_empty() && !dialect.supports_update_returning() {
                    return refuse("UPDATE");
                }
                if values.is_empty() {
                    return Err(Error::invalid(
                        "update() needs values(#{ column: value, .. }) to set",
                    ));
                }
                if let Some(col) = mapper
                    .columns
                    .iter()
                    .find(|c| c.onupdate.is_some() && !values.iter().any(|(n, _)| n == &c.name))
                {
                    return Err(Error::invalid(format!(
                        "{}.{} has an onupdate= default, which db.update() does not compute: set it in values(..), or change the objects and commit",
                        mapper.name, col.name
                    )));
                }
                let mut assignments = Vec::with_capacity(values.len());
                for (name, set) in values {
                    let col = mapper.column(name)?;
                    let set = match set {
                        Expr::Bind(value, _) => {
                            let value = col.ty.coerce(value.clone()).map_err(|e| {
                                Error::invalid(format!("update(): {}.{name}: {e}", mapper.name))
                            })?;
                            Expr::Bind(value, Some(col.ty.clone()))
                        }
                        other => other.clone(),
                    };
                    assignments.push((col.db_name.clone(), set));
                }
                Ok(Statement::Update(Update {
                    table: mapper.table.clone(),
                    assignments,
                    filter,
                    returning,
                }))
            }
            WriteKind::Delete => {
                Self::check_bulk(query, "delete")?;
                if !returning.is_empty() && !dialect.supports_delete_returning() {
                    return refuse("DELETE");
                }
                Ok(Statement::Delete(Delete {
                    table: mapper.table.clone(),
                    filter,
                    returning,
                }))
            }
        }
    }

    /// Run a write inside the session's transaction. An update expires
    /// the loaded objects it changed and a delete takes the ones it removed
    /// out of the session, so no object answers with a value the database
    /// does not hold (SQLAlchemy's synchronize_session, by fetching the keys
    /// first).
    pub fn write_statement(&self, stmt: &WriteStatement) -> Result<WriteOutcome> {
        let mapper = stmt.mapper().clone();
        let engine = self.engine_for(&mapper)?;
        // A write begins the transaction; connected, the dialect knows the
        // server's version (MariaDB's RETURNING).
        self.failed_statement(engine.ensure_transaction())?;
        let sql = self.write_sql(stmt)?;
        let compiled = compile(&sql, engine.dialect());
        let keys = match stmt.kind {
            WriteKind::Insert(_) => Vec::new(),
            _ => self.matching_keys(stmt.query())?,
        };
        // An object with changes not flushed (autoflush off) would lose
        // them when the update expires it: refused rather than dropped.
        if matches!(stmt.kind, WriteKind::Update(_)) {
            for key in &keys {
                if let Some(obj) = self.identity_lookup(&mapper, key)
                    && obj.has_changes()
                {
                    return Err(Error::invalid(format!(
                        "{} has changes not flushed yet (autoflush is off), which this update would leave unwritten: call db.session.flush() first",
                        self.describe(&obj)
                    )));
                }
            }
        }
        let (names, offsets) = stmt.returning_columns();
        let (rowcount, returned_values) = if names.is_empty() {
            let result = self.failed_statement(engine.execute(&compiled))?;
            (result.rows_affected, None)
        } else {
            let types: Vec<Option<ColumnType>> = names
                .iter()
                .map(|n| {
                    mapper
                        .columns
                        .iter()
                        .find(|c| &c.db_name == n)
                        .map(|c| c.ty.clone())
                })
                .collect();
            let rows = self.failed_statement(engine.execute_returning(&compiled, &types))?;
            (rows.len() as u64, Some(rows))
        };
        let counted = match stmt.kind {
            WriteKind::Insert(_) => Counted::Insert,
            WriteKind::Update(_) => Counted::Update,
            WriteKind::Delete => Counted::Delete,
        };
        for key in keys {
            if let Some(obj) = self.identity_lookup(&mapper, &key) {
                if matches!(stmt.kind, WriteKind::Delete) {
                    self.forget(&obj);
                    obj.set_state(ObjectState::Deleted);
                } else {
                    obj.expire();
                }
            }
        }
        self.count_write(mapper.index, counted, rowcount);
        let returned = match returned_values {
            None => None,
            Some(rows) => Some(self.returned_rows(stmt, &mapper, rows, &offsets)?),
        };
        Ok(WriteOutcome { rowcount, returned })
    }

    /// The rows `returning(..)` read, objects made for `returning(Model)`.
    fn returned_rows(
        &self,
        stmt: &WriteStatement,
        mapper: &std::rc::Rc<Mapper>,
        rows: Vec<Vec<Value>>,
        offsets: &[usize],
    ) -> Result<StatementRows> {
        let deleted = matches!(stmt.kind, WriteKind::Delete);
        let mut out = Vec::with_capacity(rows.len());
        for row in rows {
            let mut cells = Vec::with_capacity(offsets.len());
            for (e, &offset) in stmt.returning.iter().zip(offsets) {
                cells.push(match e {
                    Entity::Model(_) if deleted => Cell::Object(Some(Instance::from_row(
                        mapper.clone(),
                        row[offset..offset + mapper.columns.len()].to_vec(),
                    ))),
                    Entity::Model(_) => Cell::Object(Some(self.instance_for_row(
                        mapper,
                        row[offset..offset + mapper.columns.len()].to_vec(),
                    )?)),
                    Entity::Column { .. } | Entity::Alias(_) => Cell::Value(row[offset].clone()),
                });
            }
            out.push(cells);
        }
        if deleted {
            for cells in &out {
                for c in cells {
                    if let Cell::Object(Some(o)) = c {
                        o.set_state(ObjectState::Deleted);
                    }
                }
            }
        }
        Ok(StatementRows {
            columns: stmt.returning.iter().map(Entity::name).collect(),
            rows: out,
            needs_unique: false,
        })
    }
}

/// The database as its users name it in a message.
fn database_name(dialect: &str) -> &'static str {
    match dialect {
        "mysql" => "MySQL/MariaDB",
        "postgresql" => "PostgreSQL",
        _ => "SQLite",
    }
}

/// The INSERT of `rows` (each the same columns), with the model's Python
/// defaults for the columns they leave out, as SQLAlchemy's insert() fills them.
fn insert_rows(
    mapper: &Mapper,
    rows: &[Vec<(String, Value)>],
    returning: Vec<String>,
) -> Result<Insert> {
    let Some(first) = rows.first() else {
        return Err(Error::invalid(
            "insert() needs values: db.insert(Model).values(#{ column: value, .. })",
        ));
    };
    let mut given: Vec<&str> = first.iter().map(|(n, _)| n.as_str()).collect();
    given.sort_unstable();
    for row in rows {
        let mut names: Vec<&str> = row.iter().map(|(n, _)| n.as_str()).collect();
        names.sort_unstable();
        if names != given {
            return Err(Error::invalid(format!(
                "insert(): every row must name the same columns ({}), as one INSERT writes them all; this row names {}",
                given.join(", "),
                names.join(", ")
            )));
        }
    }
    let mut columns = Vec::new();
    let mut picks = Vec::new();
    for (i, col) in mapper.columns.iter().enumerate() {
        let is_given = given.contains(&col.name.as_str());
        if !is_given {
            if let Some(why) = &col.default_refusal {
                return Err(Error::invalid(format!(
                    "{}.{} cannot be inserted unset: {why}",
                    mapper.name, col.name
                )));
            }
            if col.default_call.is_some() {
                return Err(Error::invalid(format!(
                    "{}.{}: its default is computed by the models file's code, which db.insert() does not run; give it a value in values(..), or add an object with db.session.add(..)",
                    mapper.name, col.name
                )));
            }
            if col.default.is_none() && col.default_fn.is_none() {
                continue;
            }
            if col.default_fn == Some(crate::orm::mapping::column::DefaultFn::UtcNowAware)
                && col.ty != ColumnType::DateTimeTz
            {
                return Err(Error::invalid(format!(
                    "{}.{}: its default is a UTC moment for a column without a time zone; give it a value in values(..)",
                    mapper.name, col.name
                )));
            }
        }
        columns.push((col.db_name.clone(), col.ty.clone()));
        picks.push((i, is_given));
    }
    let mut out = Vec::with_capacity(rows.len());
    for row in rows {
        let mut values = Vec::with_capacity(picks.len());
        for &(i, is_given) in &picks {
            let col = &mapper.columns[i];
            let value = if is_given {
                let v = row
                    .iter()
                    .find(|(n, _)| n == &col.name)
                    .map(|(_, v)| v.clone())
                    .unwrap_or(Value::Null);
                col.ty.coerce(v).map_err(|e| {
                    Error::invalid(format!("insert(): {}.{}: {e}", mapper.name, col.name))
                })?
            } else if let Some(f) = col.default_fn {
                f.value(&col.ty)
            } else {
                col.default.clone().unwrap_or(Value::Null)
            };
            values.push(value);
        }
        out.push(values);
    }
    Ok(Insert {
        table: mapper.table.clone(),
        columns,
        rows: out,
        returning,
    })
}
