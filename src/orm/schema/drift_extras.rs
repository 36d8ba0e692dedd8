//! Drift the other way: indexes, unique constraints, foreign keys and
//! named CHECK constraints the live table has and the models no longer
//! declare (what `db migrate` drops).
//!
//! What the models declare is read from every place that makes one: a
//! column's `index`/`unique`/`ForeignKey`, `__table_args__`, the index
//! ormsh gives a foreign key of a models-file column, and a naming
//! convention's names. What the database makes by itself is never extra:
//! the primary key's index, the index MariaDB makes for a foreign key
//! (named after the key or its first column), a JSON column's
//! `json_valid` check, and an unnamed CHECK (SQLite keeps no name to drop
//! it by; as in Alembic, it is not compared).

use crate::orm::mapping::constraints::{Constraint, ConstraintKind};
use crate::orm::mapping::model::Column;
use crate::sql::introspect::{CheckInfo, ForeignKeyInfo, IndexInfo, TableInfo};

/// What the models declare of one table, as the comparison needs it.
pub struct Declared<'a> {
    pub table: &'a str,
    pub columns: &'a [Column],
    pub constraints: &'a [Constraint],
    /// The indexes ormsh itself gives foreign keys (`index_foreign_key`).
    pub foreign_key_indexes: Vec<Vec<String>>,
}

fn same_set(a: &[String], b: &[String]) -> bool {
    a.len() == b.len() && a.iter().all(|x| b.contains(x))
}

impl Declared<'_> {
    /// (name, columns, unique) of every index the models make.
    fn indexes(&self) -> Vec<(Option<String>, Vec<String>, bool)> {
        let named_by_convention = |col: &str| {
            self.constraints.iter().any(|c| {
                c.from_column
                    && matches!(c.kind, ConstraintKind::Index { .. })
                    && c.columns() == [col.to_string()]
            })
        };
        let mut out: Vec<(Option<String>, Vec<String>, bool)> = self
            .columns
            .iter()
            .filter(|c| c.index && !named_by_convention(&c.db_name))
            .map(|c| {
                (
                    Some(format!("ix_{}_{}", self.table, c.db_name)),
                    vec![c.db_name.clone()],
                    c.unique,
                )
            })
            .collect();
        out.extend(self.foreign_key_indexes.iter().map(|cols| {
            (
                Some(format!("ix_{}_{}", self.table, cols.join("_"))),
                cols.clone(),
                false,
            )
        }));
        for c in self.constraints {
            if let ConstraintKind::Index { columns, unique } = &c.kind {
                out.push((c.name.clone(), columns.clone(), *unique));
            }
        }
        out
    }

    /// The column sets the models hold unique (constraints and the
    /// primary key).
    fn uniques(&self) -> Vec<Vec<String>> {
        let mut out: Vec<Vec<String>> = self
            .columns
            .iter()
            .filter(|c| c.unique && !c.primary_key)
            .map(|c| vec![c.db_name.clone()])
            .collect();
        for c in self.constraints {
            if let ConstraintKind::Unique(cols) | ConstraintKind::PrimaryKey(cols) = &c.kind {
                out.push(cols.clone());
            }
        }
        out
    }

    fn declares_index(&self, i: &IndexInfo) -> bool {
        // By name, or by its columns (a uniqueness that differs is the
        // declared index's own drift; a reflected column that has both a
        // unique and a plain index declares both).
        let indexes = self.indexes();
        if !i.constraint
            && indexes.iter().any(|(name, cols, _)| {
                name.as_deref() == Some(i.name.as_str()) || *cols == i.columns
            })
        {
            return true;
        }
        i.unique
            && (self.uniques().iter().any(|u| same_set(u, &i.columns))
                || indexes
                    .iter()
                    .any(|(_, cols, unique)| *unique && same_set(cols, &i.columns)))
    }

    /// A check SQLAlchemy makes for a column's type (`Boolean` or a
    /// non-native `Enum` with `create_constraint=True`: `flag IN (0, 1)`),
    /// which ormsh does not make and leaves to the database.
    fn made_by_type(&self, c: &CheckInfo) -> bool {
        let sql = crate::orm::schema::drift_constraints::normalized(&c.sql);
        self.columns.iter().any(|col| {
            matches!(
                col.ty,
                crate::sql::ColumnType::Boolean | crate::sql::ColumnType::Enum(_)
            ) && (sql.starts_with(&format!("{}in", col.db_name.to_lowercase()))
                || sql.starts_with(&format!("{}=any", col.db_name.to_lowercase())))
        })
    }

    fn declares_foreign_key(&self, f: &ForeignKeyInfo) -> bool {
        let keys = crate::orm::schema::ddl::all_foreign_keys(self.columns, self.constraints);
        // Each (column, referred column) pair is in a declared key to the
        // same table (ormsh may group a table's keys differently).
        f.columns.iter().zip(&f.ref_columns).all(|(col, rc)| {
            keys.iter().any(|k| {
                k.ref_table == f.ref_table
                    && k.columns
                        .iter()
                        .zip(&k.ref_columns)
                        .any(|(kc, kr)| kc == col && kr == rc)
            })
        })
    }
}

/// An index the database made for one of `keys` by itself (MariaDB's,
/// named after the key or its first column).
fn made_for_foreign_key(i: &IndexInfo, keys: &[&ForeignKeyInfo]) -> bool {
    !i.unique
        && keys.iter().any(|f| {
            f.columns == i.columns && (i.name == f.name || Some(&i.name) == f.columns.first())
        })
}

/// A check the database made by itself, or one it keeps no name for.
pub(crate) fn made_by_database(c: &CheckInfo, live: &TableInfo) -> bool {
    let Some(name) = &c.name else {
        return true;
    };
    c.sql.to_ascii_lowercase().contains("json_valid")
        || live.columns.iter().any(|col| col.name == *name)
}

/// What the live table has beyond the models: indexes and unique
/// constraints, foreign keys, and the named checks `claimed` leaves over
/// (one flag per live check: a declared check answers to it).
pub fn extras(
    declared: &Declared,
    live: &TableInfo,
    claimed: &[bool],
) -> (Vec<IndexInfo>, Vec<ForeignKeyInfo>, Vec<CheckInfo>) {
    let (keys, kept): (Vec<&ForeignKeyInfo>, Vec<&ForeignKeyInfo>) = live
        .foreign_keys
        .iter()
        // A key to another schema's table is one no model may declare
        // (reflection leaves it out): it is not compared.
        .partition(|f| !f.ref_table.contains('.') && !declared.declares_foreign_key(f));
    // The index MariaDB made for a key that goes is extra with it.
    let indexes = live
        .indexes
        .iter()
        .filter(|i| !declared.declares_index(i) && !made_for_foreign_key(i, &kept))
        .filter(|i| !same_set(&i.columns, &live.primary_key))
        .cloned()
        .collect();
    let keys = keys.into_iter().cloned().collect();
    let checks = live
        .checks
        .iter()
        .enumerate()
        .filter(|(i, c)| {
            !claimed.get(*i).copied().unwrap_or(false)
                && !made_by_database(c, live)
                && !declared.made_by_type(c)
        })
        .map(|(_, c)| c.clone())
        .collect();
    (indexes, keys, checks)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sql::ColumnType;

    #[test]
    fn a_types_own_check_is_not_extra() {
        let columns = vec![
            Column::new("flag", ColumnType::Boolean),
            Column::new("price", ColumnType::Integer),
        ];
        let d = Declared {
            table: "t",
            columns: &columns,
            constraints: &[],
            foreign_key_indexes: Vec::new(),
        };
        let check = |sql: &str| CheckInfo {
            name: Some("CONSTRAINT_1".into()),
            sql: sql.into(),
        };
        assert!(d.made_by_type(&check("`flag` in (0,1)")));
        assert!(d.made_by_type(&check(
            "((flag)::text = ANY ((ARRAY['a'::character varying])::text[]))"
        )));
        assert!(!d.made_by_type(&check("price > 0")));
    }
}
