//! Random expression trees through the compiler: every literal becomes a
//! bound parameter (no value's text reaches the SQL), the binds match the
//! placeholders, and SQLite accepts the statement when it prepares it.
#![no_main]

use std::sync::{Mutex, OnceLock};

use arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;
use ormsh::sql::dialect::Sqlite;
use ormsh::sql::{BinaryOp, ColumnType, Expr, Select, Statement, TableRef, Value, compile};

const OPS: [BinaryOp; 17] = [
    BinaryOp::Eq,
    BinaryOp::Ne,
    BinaryOp::Lt,
    BinaryOp::Le,
    BinaryOp::Gt,
    BinaryOp::Ge,
    BinaryOp::Add,
    BinaryOp::Sub,
    BinaryOp::Mul,
    BinaryOp::Div,
    BinaryOp::Mod,
    BinaryOp::And,
    BinaryOp::Or,
    BinaryOp::Like,
    BinaryOp::NotLike,
    BinaryOp::ILike,
    BinaryOp::NotILike,
];

/// Scalar functions with how many arguments SQLite takes.
const FUNCTIONS: [(&str, usize); 6] = [
    ("lower", 1),
    ("upper", 1),
    ("abs", 1),
    ("length", 1),
    ("ifnull", 2),
    ("nullif", 2),
];

struct Gen {
    /// Each text literal carries a marker that must never be in the SQL.
    markers: Vec<String>,
}

impl Gen {
    fn value(&mut self, u: &mut Unstructured) -> Result<Value> {
        Ok(match u.int_in_range(0..=5)? {
            0 => Value::Int(u.arbitrary()?),
            1 => Value::Float(u.arbitrary::<f64>()?),
            2 => Value::Bool(u.arbitrary()?),
            3 => Value::Null,
            4 => Value::Bytes(u.arbitrary()?),
            _ => {
                let marker = format!("zq{}q", self.markers.len());
                let noise: String = u.arbitrary()?;
                self.markers.push(marker.clone());
                Value::Text(format!("{noise}{marker}'\"`;--"))
            }
        })
    }

    fn column(&self, u: &mut Unstructured) -> Result<Expr> {
        let (name, ty) = u.choose(&[
            ("a", ColumnType::Integer),
            ("b", ColumnType::Text),
            ("c", ColumnType::Float),
        ])?;
        Ok(Expr::column("t", name, ty.clone()))
    }

    fn expr(&mut self, u: &mut Unstructured, depth: u32) -> Result<Expr> {
        if depth == 0 || u.is_empty() {
            return if u.arbitrary()? {
                self.column(u)
            } else {
                let ty = u
                    .choose(&[None, Some(ColumnType::Integer), Some(ColumnType::Text)])?
                    .clone();
                Ok(Expr::Bind(self.value(u)?, ty))
            };
        }
        let d = depth - 1;
        Ok(match u.int_in_range(0..=9)? {
            0 => self.column(u)?,
            1 => Expr::Bind(self.value(u)?, None),
            2 => Expr::Bool(u.arbitrary()?),
            3 => Expr::binary(*u.choose(&OPS)?, self.expr(u, d)?, self.expr(u, d)?),
            4 => Expr::Not(Box::new(self.expr(u, d)?)),
            5 => Expr::IsNull {
                expr: Box::new(self.expr(u, d)?),
                negated: u.arbitrary()?,
            },
            6 => {
                let n = u.int_in_range(0..=4)?;
                let mut list = Vec::with_capacity(n);
                for _ in 0..n {
                    list.push(self.expr(u, d)?);
                }
                Expr::InList {
                    expr: Box::new(self.expr(u, d)?),
                    list,
                    negated: u.arbitrary()?,
                }
            }
            7 => Expr::Between {
                expr: Box::new(self.expr(u, d)?),
                low: Box::new(self.expr(u, d)?),
                high: Box::new(self.expr(u, d)?),
            },
            8 => {
                let marker = format!("zq{}q", self.markers.len());
                self.markers.push(marker.clone());
                let noise: String = u.arbitrary()?;
                Expr::LikeEscaped {
                    expr: Box::new(self.expr(u, d)?),
                    pattern: format!("%_/{noise}{marker}'"),
                    case_insensitive: u.arbitrary()?,
                    negated: u.arbitrary()?,
                }
            }
            _ => {
                let (name, arity) = *u.choose(&FUNCTIONS)?;
                let mut args = Vec::with_capacity(arity);
                for _ in 0..arity {
                    args.push(self.expr(u, d)?);
                }
                Expr::Func {
                    name: name.to_string(),
                    args,
                }
            }
        })
    }
}

/// One in-memory SQLite database with the table the trees refer to.
fn sqlite() -> &'static Mutex<(tokio::runtime::Runtime, sqlx::SqliteConnection)> {
    static DB: OnceLock<Mutex<(tokio::runtime::Runtime, sqlx::SqliteConnection)>> =
        OnceLock::new();
    DB.get_or_init(|| {
        let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
        let conn = rt.block_on(async {
            use sqlx::Connection;
            let mut conn = sqlx::SqliteConnection::connect("sqlite::memory:").await.unwrap();
            sqlx::query("CREATE TABLE t (a INTEGER, b TEXT, c REAL)")
                .execute(&mut conn)
                .await
                .unwrap();
            conn
        });
        Mutex::new((rt, conn))
    })
}

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let mut g = Gen { markers: Vec::new() };
    let (Ok(column), Ok(filter), Ok(order)) = (g.expr(&mut u, 5), g.expr(&mut u, 5), g.expr(&mut u, 3))
    else {
        return;
    };
    let select = Select {
        columns: vec![Expr::Label {
            expr: Box::new(column),
            name: "x\"y".into(),
        }],
        from: Some(TableRef::new("t")),
        filter: Some(filter),
        order_by: vec![Expr::Ordering {
            expr: Box::new(order),
            descending: true,
        }],
        ..Select::default()
    };
    let compiled = compile(&Statement::Select(select), &Sqlite);
    for marker in &g.markers {
        assert!(
            !compiled.sql.contains(marker.as_str()),
            "a literal reached the SQL: {}",
            compiled.sql
        );
    }
    assert_eq!(
        compiled.sql.matches('?').count(),
        compiled.binds.len(),
        "one placeholder per bind: {}",
        compiled.sql
    );
    let db = sqlite();
    let mut guard = db.lock().unwrap();
    let (rt, conn) = &mut *guard;
    let prepared = rt.block_on(async {
        use sqlx::{Executor, SqlSafeStr};
        let sql = sqlx::AssertSqlSafe(compiled.sql.clone()).into_sql_str();
        conn.prepare(sql).await.map(|_| ())
    });
    if let Err(e) = prepared {
        panic!("SQLite refused {}: {e}", compiled.sql);
    }
});
