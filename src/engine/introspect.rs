//! Asking a live database what it holds: the tables of the current
//! database or schema, and each table's columns, keys and indexes, through
//! the dialect's queries.

use super::Engine;
use crate::error::Result;
use crate::sql::introspect::{ColumnInfo, ForeignKeyInfo, IndexInfo, TableInfo};
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
    /// The tables of the current database (or schema), by name.
    pub fn table_names(&self) -> Result<Vec<String>> {
        let stmt = Compiled {
            sql: self.dialect().table_names_sql().to_string(),
            binds: Vec::new(),
        };
        Ok(self
            .fetch(&stmt, &[None])?
            .iter()
            .filter_map(|r| r.first().and_then(text))
            .collect())
    }

    fn rows_for(&self, sql: &str, table: &str) -> Result<Vec<Vec<Value>>> {
        let stmt = Compiled {
            sql: sql.to_string(),
            binds: vec![Bind {
                value: Value::Text(table.to_string()),
                ty: Some(ColumnType::Text),
            }],
        };
        self.fetch(&stmt, &[])
    }

    /// The live table `name`, or `None` when it does not exist.
    pub fn describe_table(&self, name: &str) -> Result<Option<TableInfo>> {
        let sql = self.dialect().introspection();
        let column_rows = self.rows_for(sql.columns, name)?;
        if column_rows.is_empty() {
            return Ok(None);
        }
        let mut info = TableInfo {
            name: name.to_string(),
            ..TableInfo::default()
        };
        let mut pk: Vec<(i64, String)> = Vec::new();
        for row in &column_rows {
            let column = text(&row[0]).unwrap_or_default();
            let position = int(&row[4]);
            if position > 0 {
                pk.push((position, column.clone()));
            }
            info.columns.push(ColumnInfo {
                name: column,
                type_name: text(&row[1]).unwrap_or_default(),
                nullable: int(&row[2]) != 0,
                default: text(&row[3]),
            });
        }
        pk.sort();
        info.primary_key = pk.into_iter().map(|(_, c)| c).collect();
        for row in self.rows_for(sql.foreign_keys, name)? {
            let constraint = text(&row[0]).unwrap_or_default();
            let (column, ref_table, ref_column) = (
                text(&row[1]).unwrap_or_default(),
                text(&row[2]).unwrap_or_default(),
                text(&row[3]).unwrap_or_default(),
            );
            match info.foreign_keys.iter_mut().find(|f| f.name == constraint) {
                Some(fk) => {
                    fk.columns.push(column);
                    fk.ref_columns.push(ref_column);
                }
                None => info.foreign_keys.push(ForeignKeyInfo {
                    name: constraint,
                    columns: vec![column],
                    ref_table,
                    ref_columns: vec![ref_column],
                }),
            }
        }
        for row in self.rows_for(sql.indexes, name)? {
            let index = text(&row[0]).unwrap_or_default();
            let column = text(&row[1]).unwrap_or_default();
            match info.indexes.iter_mut().find(|i| i.name == index) {
                Some(i) => i.columns.push(column),
                None => info.indexes.push(IndexInfo {
                    name: index,
                    columns: vec![column],
                    unique: int(&row[2]) != 0,
                }),
            }
        }
        Ok(Some(info))
    }
}
