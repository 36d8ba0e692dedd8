//! One walk over a statement tree that writes the SQL text and collects the
//! bound parameters together, so the two cannot drift apart. The dialect is
//! asked for the few things that differ.

mod constraints;
mod dml;
mod operators;
mod select;

use super::anon::{AnonNames, is_anonymous};
use super::dialect::{AlterColumnStyle, AutoIncrement, Dialect};
use super::expr::{BinaryOp, Expr};
use super::statement::*;
use super::types::ColumnType;
use super::value::Value;

/// A parameter with the type of the column it is bound for (PostgreSQL wants
/// typed NULLs and typed parameters).
#[derive(Debug, Clone, PartialEq)]
pub struct Bind {
    pub value: Value,
    pub ty: Option<ColumnType>,
}

/// SQL text ready for the engine, with its parameters in placeholder order.
#[derive(Debug, Clone, PartialEq)]
pub struct Compiled {
    pub sql: String,
    pub binds: Vec<Bind>,
}

impl Compiled {
    pub fn params(&self) -> Vec<Value> {
        self.binds.iter().map(|b| b.value.clone()).collect()
    }
}

/// `debug_query`-style text for snapshots: the SQL, then `-- binds: [..]`.
impl std::fmt::Display for Compiled {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let binds: Vec<String> = self.binds.iter().map(|b| b.value.repr()).collect();
        write!(f, "{} -- binds: [{}]", self.sql, binds.join(", "))
    }
}

/// An INSERT whose values move into the binds instead of being copied.
pub fn compile_insert(mut statement: Insert, dialect: &dyn Dialect) -> Compiled {
    let rows = std::mem::take(&mut statement.rows);
    let mut w = Writer::new(dialect);
    w.insert(&statement, rows.into_iter());
    w.finish()
}

/// Compile any statement for `dialect`.
pub fn compile(statement: &Statement, dialect: &dyn Dialect) -> Compiled {
    let mut w = Writer::new(dialect);
    match statement {
        Statement::Select(s) => {
            w.reserve_aliases(s);
            w.select(s)
        }
        Statement::Compound(c) => {
            c.members.iter().for_each(|s| w.reserve_aliases(s));
            w.compound(c)
        }
        Statement::Insert(s) => w.insert(s, s.rows.iter().map(|row| row.iter().cloned())),
        Statement::Update(s) => w.update(s),
        Statement::Delete(s) => w.delete(s),
        Statement::CreateTable(s) => w.create_table(s),
        Statement::CreateIndex(s) => w.create_index(s),
        Statement::DropTable(s) => w.drop_table(s),
        Statement::CreateEnumType(s) => {
            w.push("CREATE TYPE ");
            w.table(&s.name);
            w.push(" AS ENUM (");
            w.literal_list(&s.values);
            w.push(")");
        }
        Statement::DropEnumType(s) => {
            w.push("DROP TYPE IF EXISTS ");
            w.table(&s.name);
        }
        Statement::AddColumn(s) => {
            w.push("ALTER TABLE ");
            w.table(&s.table);
            w.push(" ADD COLUMN ");
            w.column_ddl(&s.column);
        }
        Statement::AlterColumn(s) => w.alter_column(s),
        Statement::DropForeignKey(s) => {
            w.push("ALTER TABLE ");
            w.table(&s.table);
            w.push(" DROP ");
            w.push(w.dialect.drop_foreign_key_keyword());
            w.push(" ");
            w.ident(&s.name);
        }
        Statement::AddForeignKey(s) => {
            w.push("ALTER TABLE ");
            w.table(&s.table);
            w.push(" ADD CONSTRAINT ");
            w.ident(&s.name);
            w.push(" ");
            // Named once, by the statement.
            w.foreign_key(&ForeignKeyDdl {
                name: None,
                ..s.key.clone()
            });
        }
    }
    w.finish()
}

/// The state of one walk.
struct Writer<'d> {
    sql: String,
    binds: Vec<Bind>,
    dialect: &'d dyn Dialect,
    anon: AnonNames,
}

impl<'d> Writer<'d> {
    fn new(dialect: &'d dyn Dialect) -> Self {
        Writer {
            sql: String::with_capacity(128),
            binds: Vec::new(),
            dialect,
            anon: AnonNames::default(),
        }
    }

    fn finish(self) -> Compiled {
        Compiled {
            sql: self.sql,
            binds: self.binds,
        }
    }

    fn push(&mut self, text: &str) {
        self.sql.push_str(text);
    }

    /// A name, quoted only where the dialect needs it (a reserved word,
    /// upper case, a space), as SQLAlchemy writes it.
    fn ident(&mut self, name: &str) {
        if is_anonymous(name) {
            self.dialect
                .push_identifier(&mut self.sql, self.anon.name(name));
        } else {
            self.dialect.push_identifier(&mut self.sql, name);
        }
    }

    /// Strings as the dialect's literals, joined by commas (an enum's labels:
    /// DDL, where no parameter can stand).
    fn literal_list(&mut self, values: &[String]) {
        for (i, v) in values.iter().enumerate() {
            if i > 0 {
                self.push(", ");
            }
            let literal = self.dialect.string_literal(v);
            self.push(&literal);
        }
    }

    /// A table's name, `schema.table` quoted part by part.
    fn table(&mut self, name: &str) {
        if is_anonymous(name) {
            return self.ident(name);
        }
        // A byte search: every column of every statement passes here.
        match name.bytes().position(|b| b == b'.') {
            Some(dot) => {
                self.ident(&name[..dot]);
                self.push(".");
                self.ident(&name[dot + 1..]);
            }
            None => self.ident(name),
        }
    }

    fn ident_list(&mut self, names: &[String]) {
        for (i, name) in names.iter().enumerate() {
            if i > 0 {
                self.push(", ");
            }
            self.ident(name);
        }
    }

    fn bind(&mut self, value: Value, ty: Option<ColumnType>) {
        let wrapped = ty.as_ref().and_then(|t| self.dialect.write_wrapped(t));
        self.binds.push(Bind { value, ty });
        if let Some((before, _)) = &wrapped {
            self.push(before);
        }
        self.dialect
            .write_placeholder(self.binds.len(), &mut self.sql);
        if let Some((_, after)) = &wrapped {
            self.push(after);
        }
    }

    fn create_table(&mut self, s: &CreateTable) {
        self.push("CREATE TABLE ");
        if s.if_not_exists {
            self.push("IF NOT EXISTS ");
        }
        self.table(&s.name);
        self.push(" (");
        for (i, c) in s.columns.iter().enumerate() {
            if i > 0 {
                self.push(",");
            }
            self.push("\n\t");
            self.column_ddl(c);
        }
        if !s.primary_key.is_empty() {
            self.push(",\n\t");
            self.constraint_name(s.primary_key_name.as_deref());
            self.push("PRIMARY KEY (");
            self.ident_list(&s.primary_key);
            self.push(")");
        }
        for c in &s.constraints {
            self.push(",\n\t");
            self.table_constraint(c);
        }
        for c in s.columns.iter().filter(|c| c.unique) {
            self.push(",\n\tUNIQUE (");
            self.ident(&c.name);
            self.push(")");
        }
        for fk in &s.foreign_keys {
            self.push(",\n\t");
            self.foreign_key(fk);
        }
        self.push("\n)");
    }

    fn foreign_key(&mut self, fk: &ForeignKeyDdl) {
        self.constraint_name(fk.name.as_deref());
        self.push("FOREIGN KEY(");
        self.ident_list(&fk.columns);
        self.push(") REFERENCES ");
        self.table(&fk.ref_table);
        self.push(" (");
        self.ident_list(&fk.ref_columns);
        self.push(")");
        // The action is one of a fixed list (`referential_action`), never user text.
        if let Some(action) = &fk.on_delete {
            self.push(" ON DELETE ");
            self.push(action);
        }
        if let Some(action) = &fk.on_update {
            self.push(" ON UPDATE ");
            self.push(action);
        }
    }

    /// Where the database has no way to alter a column (SQLite), the
    /// standard per-attribute form is written; callers ask the dialect first.
    fn alter_column(&mut self, s: &AlterColumn) {
        self.push("ALTER TABLE ");
        self.table(&s.table);
        let c = &s.column;
        if self.dialect.alter_column_style() == Some(AlterColumnStyle::Restate) {
            self.push(" MODIFY COLUMN ");
            self.column_ddl(c);
            return;
        }
        self.push(" ALTER COLUMN ");
        self.ident(&c.name);
        match s.change {
            ColumnChange::Type => {
                let type_name = self.dialect.type_name(&c.ty);
                self.push(" TYPE ");
                self.push(&type_name);
                self.push(" USING ");
                self.ident(&c.name);
                self.push("::");
                self.push(&type_name);
            }
            ColumnChange::Nullability => {
                self.push(if c.nullable {
                    " DROP NOT NULL"
                } else {
                    " SET NOT NULL"
                });
            }
            ColumnChange::Default => match &c.server_default {
                Some(default) => {
                    self.push(" SET DEFAULT ");
                    self.default_literal(default);
                }
                None => self.push(" DROP DEFAULT"),
            },
        }
    }

    fn default_literal(&mut self, default: &ServerDefault) {
        let literal = match default {
            ServerDefault::Sql(sql) => sql.clone(),
            ServerDefault::Value(Value::Text(s)) => self.dialect.string_literal(s),
            ServerDefault::Value(Value::Bool(b)) => self.dialect.bool_literal(*b).to_string(),
            ServerDefault::Value(other) => self.dialect.string_literal(&other.to_string()),
        };
        self.push(&literal);
    }

    fn column_ddl(&mut self, c: &ColumnDdl) {
        self.ident(&c.name);
        self.push(" ");
        let serial = c.autoincrement && self.dialect.autoincrement() == AutoIncrement::SerialType;
        let type_name = if serial {
            self.dialect.serial_type_name(&c.ty)
        } else {
            self.dialect.type_name(&c.ty)
        };
        self.push(&type_name);
        if let Some(default) = &c.server_default {
            self.push(" DEFAULT ");
            self.default_literal(default);
        }
        if !c.nullable {
            self.push(" NOT NULL");
        }
        // After NOT NULL, where SQLAlchemy writes it.
        if let (true, AutoIncrement::Keyword(word)) =
            (c.autoincrement, self.dialect.autoincrement())
        {
            self.push(" ");
            self.push(word);
        }
        // A named enum on PostgreSQL is a type of its own, which checks.
        if let ColumnType::Enum(e) = &c.ty
            && !self.dialect.native_enum()
            && !(e.name.is_some() && self.dialect.makes_enum_types())
        {
            self.push(" CHECK (");
            self.ident(&c.name);
            self.push(" IN (");
            self.literal_list(&e.values);
            self.push("))");
        }
    }

    fn create_index(&mut self, s: &CreateIndex) {
        self.push(if s.unique {
            "CREATE UNIQUE INDEX "
        } else {
            "CREATE INDEX "
        });
        if self.dialect.supports_index_if_not_exists() {
            self.push("IF NOT EXISTS ");
        }
        self.ident(&s.name);
        self.push(" ON ");
        self.table(&s.table);
        self.push(" (");
        self.ident_list(&s.columns);
        self.push(")");
    }

    fn drop_table(&mut self, s: &DropTable) {
        self.push("DROP TABLE ");
        if s.if_exists {
            self.push("IF EXISTS ");
        }
        self.table(&s.name);
    }

    fn expr_list(&mut self, exprs: &[Expr]) {
        for (i, e) in exprs.iter().enumerate() {
            if i > 0 {
                self.push(", ");
            }
            self.expr(e);
        }
    }

    fn operand(&mut self, e: &Expr, parent: BinaryOp) {
        if e.needs_parens_under(parent) {
            self.push("(");
            self.expr(e);
            self.push(")");
        } else {
            self.expr(e);
        }
    }

    fn expr(&mut self, e: &Expr) {
        match e {
            Expr::Column(c) => {
                if !c.table.is_empty() {
                    self.table(&c.table);
                    self.push(".");
                }
                self.ident(&c.column);
            }
            Expr::Bind(v, ty) => self.bind(v.clone(), ty.clone()),
            Expr::Bool(b) => {
                let literal = self.dialect.bool_literal(*b);
                self.push(literal);
            }
            Expr::Binary { op, left, right } => self.binary(*op, left, right),
            Expr::Not(inner) => {
                self.push("NOT (");
                self.expr(inner);
                self.push(")");
            }
            Expr::IsNull { expr, negated } => {
                self.operand(expr, BinaryOp::Eq);
                self.push(if *negated { " IS NOT NULL" } else { " IS NULL" });
            }
            Expr::InList {
                expr,
                list,
                negated,
            } => {
                if list.is_empty() {
                    // SQLAlchemy's "empty IN": matches nothing (NOT IN: everything).
                    self.push(if *negated { "1 = 1" } else { "1 != 1" });
                    return;
                }
                self.operand(expr, BinaryOp::Eq);
                self.push(if *negated { " NOT IN (" } else { " IN (" });
                self.expr_list(list);
                self.push(")");
            }
            Expr::Between { expr, low, high } => {
                self.operand(expr, BinaryOp::Eq);
                self.push(" BETWEEN ");
                self.operand(low, BinaryOp::Eq);
                self.push(" AND ");
                self.operand(high, BinaryOp::Eq);
            }
            Expr::LikeEscaped {
                expr,
                pattern,
                case_insensitive,
                negated,
            } => self.like(expr, pattern, *case_insensitive, *negated),
            Expr::Func { name, args } if args.is_empty() && name.eq_ignore_ascii_case("now") => {
                self.push(self.dialect.now_function());
            }
            Expr::Func { name, args } => {
                // Function names come from the user: quote anything that is not a plain word.
                if name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                    self.push(name);
                } else {
                    self.ident(name);
                }
                self.push("(");
                self.expr_list(args);
                self.push(")");
            }
            Expr::Star => self.push("*"),
            Expr::Subquery(select) => {
                self.push("(");
                self.select(select);
                self.push(")");
            }
            Expr::InSelect {
                expr,
                select,
                negated,
            } => {
                self.operand(expr, BinaryOp::Eq);
                self.push(if *negated { " NOT IN (" } else { " IN (" });
                self.select(select);
                self.push(")");
            }
            Expr::Exists(select) => {
                self.push("EXISTS (");
                self.select(select);
                self.push(")");
            }
            Expr::Case {
                operand,
                whens,
                else_,
            } => {
                self.push("CASE");
                if let Some(operand) = operand {
                    self.push(" ");
                    self.expr(operand);
                }
                for (when, then) in whens {
                    self.push(" WHEN ");
                    self.expr(when);
                    self.push(" THEN ");
                    self.expr(then);
                }
                if let Some(e) = else_ {
                    self.push(" ELSE ");
                    self.expr(e);
                }
                self.push(" END");
            }
            Expr::Over {
                expr,
                partition_by,
                order_by,
            } => {
                self.expr(expr);
                self.push(" OVER (");
                if !partition_by.is_empty() {
                    self.push("PARTITION BY ");
                    self.expr_list(partition_by);
                    if !order_by.is_empty() {
                        self.push(" ");
                    }
                }
                if !order_by.is_empty() {
                    self.push("ORDER BY ");
                    self.expr_list(order_by);
                }
                self.push(")");
            }
            Expr::NullsOrder { expr, first } => {
                self.expr(expr);
                self.push(if *first {
                    " NULLS FIRST"
                } else {
                    " NULLS LAST"
                });
            }
            Expr::Label { expr, name } => {
                self.expr(expr);
                self.push(" AS ");
                self.ident(name);
            }
            Expr::Ordering { expr, descending } => {
                let foldable = expr.is_constant()
                    || matches!(
                        **expr,
                        Expr::Not(_)
                            | Expr::IsNull { .. }
                            | Expr::Binary {
                                op: BinaryOp::And | BinaryOp::Or,
                                ..
                            }
                    );
                if foldable {
                    // A term that is, or folds to, a constant in ORDER BY is
                    // read as a column number (`ORDER BY 0` is an error,
                    // `ORDER BY 1` sorts by the first column, and SQLite folds
                    // `x AND 0` to 0 first): a subquery keeps it a value.
                    self.push("(SELECT ");
                    self.expr(expr);
                    self.push(")");
                } else {
                    self.expr(expr);
                }
                self.push(if *descending { " DESC" } else { " ASC" });
            }
        }
    }
}
