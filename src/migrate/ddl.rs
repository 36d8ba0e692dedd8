//! The SQL of each operation, as Alembic's DDL compiler writes it for the
//! database at hand: every difference between databases is asked of the
//! dialect (`type_name`, `autoincrement`, `alter_column_style`,
//! `drop_index_sql`, `drop_constraint_clause`, quoting, literals). A batch
//! block on a database that alters in place is its operations one by one;
//! SQLite's rebuild is `batch.rs`'s.

use super::items::{Col, Constraint, Fk};
use super::op::{AlterColumn, Op, OpKind};
use crate::sql::dialect::{AlterColumnStyle, AutoIncrement};
use crate::sql::{Bind, ColumnType, Compiled, Dialect, ServerDefault, Value};

/// One statement: its SQL and binds, and how `--sql` prints it (values
/// written as literals).
#[derive(Debug, Clone)]
pub struct Planned {
    pub compiled: Compiled,
    pub offline: String,
}

impl Planned {
    pub fn ddl(sql: String) -> Planned {
        Planned {
            offline: sql.clone(),
            compiled: Compiled {
                sql,
                binds: Vec::new(),
            },
        }
    }
}

/// What one operation becomes: statements, or a table rebuilt (SQLite's batch).
#[derive(Debug, Clone)]
pub enum Step {
    Sql(Planned),
    /// Steps run outside the revision's transaction
    /// (`op.get_context().autocommit_block()`).
    Autocommit(Vec<Step>),
    Rebuild {
        table: String,
        ops: Vec<Op>,
        naming_convention: Vec<(String, String)>,
    },
}

pub struct Ddl<'d> {
    pub d: &'d dyn Dialect,
}

impl Ddl<'_> {
    pub fn q(&self, name: &str) -> String {
        self.d.identifier(name)
    }

    fn qlist(&self, names: &[String]) -> String {
        names
            .iter()
            .map(|n| self.q(n))
            .collect::<Vec<_>>()
            .join(", ")
    }

    pub fn default_sql(&self, d: &ServerDefault) -> String {
        match d {
            ServerDefault::Sql(s) => s.clone(),
            ServerDefault::Value(Value::Text(t)) => self.d.string_literal(t),
            ServerDefault::Value(Value::Bool(b)) => self.d.bool_literal(*b).into(),
            ServerDefault::Value(v) => self.d.string_literal(&v.to_string()),
        }
    }

    /// `name TYPE [DEFAULT x] [NOT NULL]`, numbered by the database when
    /// `autoincrement`.
    pub fn column(&self, c: &Col, autoincrement: bool) -> String {
        let mut s = self.q(&c.name);
        s.push(' ');
        let serial = autoincrement && self.d.autoincrement() == AutoIncrement::SerialType;
        s.push_str(&if serial {
            self.d.serial_type_name(&c.ty)
        } else {
            self.d.sqlalchemy_type_name(&c.ty)
        });
        if let Some(d) = &c.server_default {
            s.push_str(" DEFAULT ");
            s.push_str(&self.default_sql(d));
        }
        if !c.nullable {
            s.push_str(" NOT NULL");
        }
        // Last, where SQLAlchemy writes it (`id INTEGER NOT NULL AUTO_INCREMENT`).
        if let (true, AutoIncrement::Keyword(word)) = (autoincrement, self.d.autoincrement()) {
            s.push(' ');
            s.push_str(word);
        }
        s
    }

    pub fn foreign_key(&self, fk: &Fk) -> String {
        let mut s = String::new();
        if let Some(n) = &fk.name {
            s.push_str(&format!("CONSTRAINT {} ", self.q(n)));
        }
        s.push_str(&format!(
            "FOREIGN KEY({}) REFERENCES {} ({})",
            self.qlist(&fk.columns),
            self.q(&fk.ref_table),
            self.qlist(&fk.ref_columns)
        ));
        if let Some(a) = &fk.ondelete {
            s.push_str(&format!(" ON DELETE {a}"));
        }
        if let Some(a) = &fk.onupdate {
            s.push_str(&format!(" ON UPDATE {a}"));
        }
        s
    }

    fn named(&self, name: &Option<String>) -> String {
        name.as_ref()
            .map_or_else(String::new, |n| format!("CONSTRAINT {} ", self.q(n)))
    }

    /// The enum types a table's columns need first (PostgreSQL's `CREATE TYPE`).
    fn enum_types(&self, columns: &[Col]) -> Vec<Planned> {
        if !self.d.makes_enum_types() {
            return Vec::new();
        }
        columns
            .iter()
            .filter_map(|c| match &c.ty {
                ColumnType::Enum(e) => e.name.as_ref().map(|n| {
                    let values: Vec<String> =
                        e.values.iter().map(|v| self.d.string_literal(v)).collect();
                    Planned::ddl(format!(
                        "CREATE TYPE {} AS ENUM ({})",
                        self.q(n),
                        values.join(", ")
                    ))
                }),
                _ => None,
            })
            .collect()
    }

    pub fn create_table(
        &self,
        table: &str,
        columns: &[Col],
        constraints: &[Constraint],
    ) -> Vec<Planned> {
        let mut pk: Vec<String> = columns
            .iter()
            .filter(|c| c.primary_key)
            .map(|c| c.name.clone())
            .collect();
        for c in constraints {
            if let Constraint::PrimaryKey(cols) = c {
                pk.clone_from(cols);
            }
        }
        let fk_cols: Vec<&String> = constraints
            .iter()
            .filter_map(|c| match c {
                Constraint::ForeignKey(f) => Some(&f.columns),
                _ => None,
            })
            .flatten()
            .chain(
                columns
                    .iter()
                    .filter(|c| c.foreign_key.is_some())
                    .map(|c| &c.name),
            )
            .collect();
        let mut out = self.enum_types(columns);
        let mut parts: Vec<String> = columns
            .iter()
            .map(|c| {
                // SQLAlchemy's rule: the one integer key, no foreign key.
                let auto = pk.len() == 1
                    && pk[0] == c.name
                    && c.ty.is_integer()
                    && c.autoincrement != Some(false)
                    && !fk_cols.contains(&&c.name);
                self.column(c, auto)
            })
            .collect();
        if !pk.is_empty() {
            parts.push(format!("PRIMARY KEY ({})", self.qlist(&pk)));
        }
        for c in columns {
            if c.unique && !c.index {
                parts.push(format!("UNIQUE ({})", self.q(&c.name)));
            }
            if let Some(fk) = &c.foreign_key {
                parts.push(self.foreign_key(fk));
            }
        }
        for c in constraints {
            match c {
                Constraint::PrimaryKey(_) => {}
                Constraint::ForeignKey(fk) => parts.push(self.foreign_key(fk)),
                Constraint::Unique(name, cols) => {
                    parts.push(format!("{}UNIQUE ({})", self.named(name), self.qlist(cols)))
                }
                Constraint::Check(name, sql) => {
                    parts.push(format!("{}CHECK ({sql})", self.named(name)))
                }
            }
        }
        out.push(Planned::ddl(format!(
            "CREATE TABLE {} (\n\t{}\n)",
            self.q(table),
            parts.join(",\n\t")
        )));
        for c in columns.iter().filter(|c| c.index) {
            out.push(self.create_index(
                &format!("ix_{table}_{}", c.name),
                table,
                std::slice::from_ref(&c.name),
                c.unique,
            ));
        }
        out
    }

    pub fn create_index(
        &self,
        name: &str,
        table: &str,
        columns: &[String],
        unique: bool,
    ) -> Planned {
        Planned::ddl(format!(
            "CREATE {}INDEX {} ON {} ({})",
            if unique { "UNIQUE " } else { "" },
            self.q(name),
            self.q(table),
            self.qlist(columns)
        ))
    }

    /// The steps of one operation.
    pub fn op(&self, op: &Op) -> Result<Vec<Step>, String> {
        let d = self.d;
        let sql = |s: String| vec![Step::Sql(Planned::ddl(s))];
        let rebuilds = d.rebuild_sql().is_some();
        let no_alter = |what: &str| {
            Err(format!(
                "SQLite cannot {what} in place (Alembic refuses it too): put it in `with op.batch_alter_table(..) as batch_op:`"
            ))
        };
        Ok(match &op.kind {
            OpKind::CreateTable {
                table,
                columns,
                constraints,
            } => self
                .create_table(table, columns, constraints)
                .into_iter()
                .map(Step::Sql)
                .collect(),
            OpKind::DropTable(t) => sql(format!("DROP TABLE {}", self.q(t))),
            OpKind::AddColumn { table, column } => {
                let mut out = sql(format!(
                    "ALTER TABLE {} ADD COLUMN {}",
                    self.q(table),
                    self.column(column, false)
                ));
                if let Some(fk) = &column.foreign_key {
                    if rebuilds {
                        return no_alter("add a foreign key");
                    }
                    out.extend(sql(format!(
                        "ALTER TABLE {} ADD {}",
                        self.q(table),
                        self.foreign_key(fk)
                    )));
                }
                if column.index {
                    out.push(Step::Sql(self.create_index(
                        &format!("ix_{table}_{}", column.name),
                        table,
                        std::slice::from_ref(&column.name),
                        column.unique,
                    )));
                }
                out
            }
            OpKind::DropColumn { table, column } => sql(format!(
                "ALTER TABLE {} DROP COLUMN {}",
                self.q(table),
                self.q(column)
            )),
            OpKind::AlterColumn(a) => {
                if rebuilds {
                    return no_alter("alter a column");
                }
                self.alter_column(a)?
                    .into_iter()
                    .map(|s| Step::Sql(Planned::ddl(s)))
                    .collect()
            }
            OpKind::CreateIndex {
                name,
                table,
                columns,
                unique,
            } => vec![Step::Sql(self.create_index(name, table, columns, *unique))],
            OpKind::DropIndex { name, table } => {
                let t = table.as_deref().map(|t| self.q(t)).unwrap_or_default();
                if t.is_empty() && d.drop_index_sql("i", "t") != d.drop_index_sql("i", "") {
                    return Err(format!(
                        "drop_index('{name}') needs table_name= on this database"
                    ));
                }
                sql(d.drop_index_sql(&self.q(name), &t))
            }
            OpKind::CreateForeignKey { table, key } => {
                if rebuilds {
                    return no_alter("add a foreign key");
                }
                sql(format!(
                    "ALTER TABLE {} ADD {}",
                    self.q(table),
                    self.foreign_key(key)
                ))
            }
            OpKind::CreateUnique {
                name,
                table,
                columns,
            } => {
                if rebuilds {
                    return no_alter("add a constraint");
                }
                sql(format!(
                    "ALTER TABLE {} ADD {}UNIQUE ({})",
                    self.q(table),
                    self.named(name),
                    self.qlist(columns)
                ))
            }
            OpKind::CreateCheck {
                name,
                table,
                condition,
            } => {
                if rebuilds {
                    return no_alter("add a constraint");
                }
                sql(format!(
                    "ALTER TABLE {} ADD {}CHECK ({condition})",
                    self.q(table),
                    self.named(name)
                ))
            }
            OpKind::DropConstraint { name, table, kind } => {
                if rebuilds {
                    return no_alter("drop a constraint");
                }
                sql(format!(
                    "ALTER TABLE {} {}",
                    self.q(table),
                    d.drop_constraint_clause(&self.q(name), kind.as_deref())
                ))
            }
            OpKind::RenameTable { old, new } => sql(format!(
                "ALTER TABLE {} RENAME TO {}",
                self.q(old),
                self.q(new)
            )),
            OpKind::Execute(s) => sql(s.clone()),
            OpKind::BulkInsert {
                table,
                columns,
                rows,
            } => rows
                .iter()
                .map(|row| Step::Sql(self.insert(table, columns, row)))
                .collect(),
            OpKind::Autocommit(ops) => {
                let mut steps = Vec::new();
                for o in ops {
                    steps.extend(self.op(o)?);
                }
                vec![Step::Autocommit(steps)]
            }
            OpKind::Batch {
                table,
                ops,
                naming_convention,
            } => {
                if rebuilds && needs_rebuild(ops) {
                    vec![Step::Rebuild {
                        table: table.clone(),
                        ops: ops.clone(),
                        naming_convention: naming_convention.clone(),
                    }]
                } else {
                    let mut out = Vec::new();
                    for o in ops {
                        out.extend(self.op(o)?);
                    }
                    out
                }
            }
        })
    }

    fn insert(
        &self,
        table: &str,
        columns: &[(String, ColumnType)],
        row: &[(String, Value)],
    ) -> Planned {
        let names: Vec<String> = row.iter().map(|(n, _)| n.clone()).collect();
        let mut sql = format!(
            "INSERT INTO {} ({}) VALUES (",
            self.q(table),
            self.qlist(&names)
        );
        let mut offline = sql.clone();
        let mut binds = Vec::new();
        for (i, (name, v)) in row.iter().enumerate() {
            if i > 0 {
                sql.push_str(", ");
                offline.push_str(", ");
            }
            let ty = columns
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, t)| t.clone());
            let value = match &ty {
                Some(t) => t.coerce(v.clone()).unwrap_or_else(|_| v.clone()),
                None => v.clone(),
            };
            self.d.write_placeholder(i + 1, &mut sql);
            offline.push_str(&match &value {
                Value::Null => "NULL".to_string(),
                Value::Int(n) => n.to_string(),
                Value::Float(f) => f.to_string(),
                Value::Bool(b) => self.d.bool_literal(*b).to_string(),
                other => self.d.string_literal(&other.to_string()),
            });
            binds.push(Bind { value, ty });
        }
        sql.push(')');
        offline.push(')');
        Planned {
            compiled: Compiled { sql, binds },
            offline,
        }
    }

    /// `op.alter_column` where the database alters in place.
    fn alter_column(&self, a: &AlterColumn) -> Result<Vec<String>, String> {
        let t = self.q(&a.table);
        let c = self.q(&a.column);
        let mut out = Vec::new();
        if self.d.alter_column_style() == Some(AlterColumnStyle::Restate) {
            // MySQL restates the whole column for anything but its default.
            let restate = a.nullable.is_some() || a.type_.is_some() || a.new_name.is_some();
            if restate {
                let Some(ty) = a.type_.clone().or_else(|| a.existing_type.clone()) else {
                    return Err(format!(
                        "alter_column('{}', '{}'): MySQL restates the column, so existing_type= is needed",
                        a.table, a.column
                    ));
                };
                let col = Col {
                    name: a.new_name.clone().unwrap_or_else(|| a.column.clone()),
                    ty,
                    nullable: a.nullable.or(a.existing_nullable).unwrap_or(true),
                    primary_key: false,
                    autoincrement: None,
                    unique: false,
                    index: false,
                    server_default: match &a.server_default {
                        Some(d) => d.clone(),
                        None => a.existing_server_default.clone(),
                    },
                    foreign_key: None,
                };
                let col_sql = self.column(&col, false);
                let col_sql = if col.nullable {
                    // MySQL's MODIFY says NULL outright, as Alembic writes it.
                    let (name_ty, rest) =
                        col_sql.split_at(col_sql.find(" DEFAULT").unwrap_or(col_sql.len()));
                    format!("{name_ty} NULL{rest}")
                } else {
                    col_sql
                };
                out.push(match &a.new_name {
                    Some(_) => format!("ALTER TABLE {t} CHANGE {c} {col_sql}"),
                    None => format!("ALTER TABLE {t} MODIFY {col_sql}"),
                });
                return Ok(out);
            }
            if let Some(d) = &a.server_default {
                out.push(match d {
                    Some(d) => format!(
                        "ALTER TABLE {t} ALTER COLUMN {c} SET DEFAULT {}",
                        self.default_sql(d)
                    ),
                    None => format!("ALTER TABLE {t} ALTER COLUMN {c} DROP DEFAULT"),
                });
            }
            return Ok(out);
        }
        if let Some(n) = a.nullable {
            out.push(format!(
                "ALTER TABLE {t} ALTER COLUMN {c} {}",
                if n { "DROP NOT NULL" } else { "SET NOT NULL" }
            ));
        }
        if let Some(d) = &a.server_default {
            out.push(match d {
                Some(d) => format!(
                    "ALTER TABLE {t} ALTER COLUMN {c} SET DEFAULT {}",
                    self.default_sql(d)
                ),
                None => format!("ALTER TABLE {t} ALTER COLUMN {c} DROP DEFAULT"),
            });
        }
        if let Some(ty) = &a.type_ {
            out.push(format!(
                "ALTER TABLE {t} ALTER COLUMN {c} TYPE {}",
                self.d.sqlalchemy_type_name(ty)
            ));
        }
        if let Some(n) = &a.new_name {
            out.push(format!(
                "ALTER TABLE {t} RENAME COLUMN {c} TO {}",
                self.q(n)
            ));
        }
        Ok(out)
    }
}

/// Whether SQLite must rebuild the table for these operations (anything
/// but indexes, and columns added without an expression default or a key).
pub fn needs_rebuild(ops: &[Op]) -> bool {
    ops.iter().any(|o| match &o.kind {
        OpKind::CreateIndex { .. } | OpKind::DropIndex { .. } => false,
        OpKind::AddColumn { column, .. } => {
            matches!(column.server_default, Some(ServerDefault::Sql(_)))
                || column.foreign_key.is_some()
        }
        _ => true,
    })
}
