//! Asking a live database what it holds: the tables of the current
//! database or schema, and each table's columns, keys and indexes, through
//! the dialect's queries.

use super::Engine;
use crate::error::Result;
use crate::sql::introspect::{
    CheckInfo, ColumnInfo, ForeignKeyInfo, IndexInfo, Query, Slot, TableInfo,
    checks_in_create_table, column_list, named_constraints,
};
use crate::sql::{Bind, ColumnType, Compiled, Value};

fn text(v: &Value) -> Option<String> {
    match v {
        Value::Null => None,
        Value::Text(s) => Some(s.clone()),
        Value::Bytes(b) => Some(String::from_utf8_lossy(b).into_owned()),
        other => Some(other.to_string()),
    }
}

fn int(v: &Value) -> i64 {
    match v {
        Value::Int(i) => *i,
        Value::Bool(b) => *b as i64,
        Value::Decimal(d) => d.to_string().parse().unwrap_or(0),
        Value::Text(s) => s.parse().unwrap_or(0),
        _ => 0,
    }
}

impl Engine {
    /// The enum types on the search path, by name (none where the
    /// database makes no such types).
    pub fn enum_type_names(&self) -> Result<Vec<String>> {
        let Some(sql) = self.dialect().enum_type_names_sql() else {
            return Ok(Vec::new());
        };
        let stmt = Compiled {
            sql: sql.to_string(),
            binds: Vec::new(),
        };
        Ok(self
            .fetch(&stmt, &[])?
            .iter()
            .filter_map(|r| r.first().and_then(text))
            .collect())
    }

    /// Read `schema` too from now on: the schema a model's table names.
    pub fn include_schema(&self, schema: &str) {
        let mut schemas = self.schemas.borrow_mut();
        if !schemas.iter().any(|s| s == schema) {
            schemas.push(schema.to_string());
        }
    }

    /// The tables of the schemas reflection reads, by name (`schema.table`
    /// outside the current schema).
    pub fn table_names(&self) -> Result<Vec<String>> {
        Ok(self
            .rows_for(self.dialect().introspection().tables, None)?
            .iter()
            .filter_map(|r| r.first().and_then(text))
            .collect())
    }

    fn rows_for(&self, query: Query, table: Option<&str>) -> Result<Vec<Vec<Value>>> {
        let schemas = self.schemas.borrow().join(",");
        let schemas = (!schemas.is_empty()).then_some(schemas.as_str());
        let text = |v: Option<&str>| Bind {
            value: v.map_or(Value::Null, |t| Value::Text(t.to_string())),
            ty: Some(ColumnType::Text),
        };
        let stmt = Compiled {
            sql: query.sql.to_string(),
            binds: query
                .slots
                .iter()
                .map(|slot| match slot {
                    Slot::Table => text(table),
                    Slot::Schemas => text(schemas),
                })
                .collect(),
        };
        self.fetch(&stmt, &[])
    }

    /// The live table `name`, or `None` when it does not exist.
    pub fn describe_table(&self, name: &str) -> Result<Option<TableInfo>> {
        Ok(self.describe(Some(name))?.into_iter().next())
    }

    /// Every table of the current database (or schema): one query per kind
    /// of fact, however many tables there are.
    pub fn describe_all(&self) -> Result<Vec<TableInfo>> {
        self.describe(None)
    }

    fn describe(&self, table: Option<&str>) -> Result<Vec<TableInfo>> {
        let sql = self.dialect().introspection();
        let mut tables: Vec<TableInfo> = Vec::new();
        let mut pks: Vec<Vec<(i64, String)>> = Vec::new();
        for row in self.rows_for(sql.columns, table)? {
            let name = text(&row[0]).unwrap_or_default();
            if tables.last().is_none_or(|t| t.name != name) {
                tables.push(TableInfo {
                    name,
                    ..TableInfo::default()
                });
                pks.push(Vec::new());
            }
            let info = tables.last_mut().expect("just pushed");
            let column = text(&row[1]).unwrap_or_default();
            let position = int(&row[5]);
            if position > 0 {
                pks.last_mut()
                    .expect("one per table")
                    .push((position, column.clone()));
            }
            info.columns.push(ColumnInfo {
                name: column,
                type_name: text(&row[2]).unwrap_or_default(),
                nullable: int(&row[3]) != 0,
                default: text(&row[4]),
            });
        }
        for (info, mut pk) in tables.iter_mut().zip(pks) {
            pk.sort();
            info.primary_key = pk.into_iter().map(|(_, c)| c).collect();
        }
        let find =
            |tables: &mut Vec<TableInfo>, name: &str| tables.iter().position(|t| t.name == name);
        for row in self.rows_for(sql.foreign_keys, table)? {
            let Some(i) = find(&mut tables, &text(&row[0]).unwrap_or_default()) else {
                continue;
            };
            let constraint = text(&row[1]).unwrap_or_default();
            let (column, ref_table, ref_column) = (
                text(&row[2]).unwrap_or_default(),
                text(&row[3]).unwrap_or_default(),
                text(&row[4]).unwrap_or_default(),
            );
            let fks = &mut tables[i].foreign_keys;
            match fks.iter_mut().find(|f| f.name == constraint) {
                Some(fk) => {
                    fk.columns.push(column);
                    fk.ref_columns.push(ref_column);
                }
                None => fks.push(ForeignKeyInfo {
                    name: constraint,
                    columns: vec![column],
                    ref_table,
                    ref_columns: vec![ref_column],
                    on_delete: action(text(&row[5])),
                    on_update: action(text(&row[6])),
                }),
            }
        }
        for row in self.rows_for(sql.indexes, table)? {
            let Some(i) = find(&mut tables, &text(&row[0]).unwrap_or_default()) else {
                continue;
            };
            let index = text(&row[1]).unwrap_or_default();
            let column = text(&row[2]).unwrap_or_default();
            let indexes = &mut tables[i].indexes;
            match indexes.iter_mut().find(|x| x.name == index) {
                Some(x) => x.columns.push(column),
                None => indexes.push(IndexInfo {
                    name: index,
                    columns: vec![column],
                    unique: int(&row[3]) != 0,
                    constraint: int(&row[4]) != 0,
                }),
            }
        }
        for row in self.rows_for(sql.checks, table)? {
            let Some(i) = find(&mut tables, &text(&row[0]).unwrap_or_default()) else {
                continue;
            };
            let body = text(&row[2]).unwrap_or_default();
            match text(&row[1]) {
                Some(name) => tables[i].checks.push(CheckInfo {
                    name: Some(name),
                    sql: body,
                }),
                // A database with no catalog of checks (SQLite) gives the
                // CREATE TABLE, which names the checks and the foreign keys.
                None => {
                    tables[i].checks.extend(checks_in_create_table(&body));
                    let named = named_constraints(&body);
                    for fk in &mut tables[i].foreign_keys {
                        if let Some((name, ..)) = named.iter().find(|(_, kind, list)| {
                            kind == "FOREIGN" && column_list(list) == fk.columns
                        }) {
                            fk.name = name.clone();
                        }
                    }
                }
            }
        }
        Ok(tables)
    }
}

/// A referential action as read: `None` for none (`NO ACTION`, `RESTRICT`).
fn action(text: Option<String>) -> Option<String> {
    text.map(|t| t.trim().to_ascii_uppercase())
        .filter(|t| !t.is_empty() && t != "NO ACTION" && t != "RESTRICT")
}
