//! Inputs that fuzzing (`scripts/fuzz.sh`) found crashing, kept as tests.

use crate::common::{Kind, TestDb};
use ormsh::sql::dialect::{MySql, Postgres, Sqlite};
use ormsh::sql::{Dialect, Expr, Select, Statement, TableRef, compile};

/// expr_compiler: `ORDER BY false` was written `ORDER BY 0`, which SQLite
/// (and the others) read as a column number: an error, or with `1` a sort
/// by the first column; SQLite folds `0 AND ?`, and even `a AND 0`, to that too.
#[test]
fn a_constant_in_order_by_is_not_a_column_number() {
    let select = |b: bool| Select {
        columns: vec![Expr::Star],
        from: Some(TableRef::new("t")),
        order_by: vec![Expr::Ordering {
            expr: Box::new(Expr::Bool(b)),
            descending: true,
        }],
        ..Select::default()
    };
    let dialects: [&dyn Dialect; 3] = [&Sqlite, &Postgres, &MySql::MYSQL];
    for d in dialects {
        let sql = compile(&Statement::Select(select(false)), d).sql;
        assert!(
            sql.ends_with("ORDER BY (SELECT false) DESC")
                || sql.ends_with("ORDER BY (SELECT 0) DESC"),
            "{sql}"
        );
    }
    let db = TestDb::new(Kind::Sqlite);
    db.rows("CREATE TABLE t (a INTEGER)");
    db.rows("INSERT INTO t VALUES (2), (1)");
    for b in [false, true] {
        let sql = compile(&Statement::Select(select(b)), &Sqlite).sql;
        assert_eq!(db.rows(&sql).len(), 2, "{sql}");
    }
    let folded = Select {
        order_by: vec![Expr::Ordering {
            expr: Box::new(Expr::binary(
                ormsh::sql::BinaryOp::And,
                Expr::Bool(false),
                Expr::Bool(true),
            )),
            descending: false,
        }],
        ..select(false)
    };
    let sql = compile(&Statement::Select(folded), &Sqlite).sql;
    assert_eq!(db.rows(&sql).len(), 2, "{sql}");
    // With a column in it, SQLite still folds `a AND 0` to 0.
    let with_column = Select {
        order_by: vec![Expr::Ordering {
            expr: Box::new(Expr::binary(
                ormsh::sql::BinaryOp::And,
                Expr::column("t", "a", ormsh::sql::ColumnType::Integer),
                Expr::Bool(false),
            )),
            descending: true,
        }],
        ..select(false)
    };
    let sql = compile(&Statement::Select(with_column), &Sqlite).sql;
    assert_eq!(db.rows(&sql).len(), 2, "{sql}");
}
