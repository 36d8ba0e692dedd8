//! Numeric columns answer as numbers on every database: filters, ordering
//! and min/max/sum on SQLite give what the same queries give on PostgreSQL
//! and MariaDB, as exact decimals at the column's scale; SQLite's table is
//! the one SQLAlchemy creates (`NUMERIC(10, 2)`), and a table an older ormsh
//! made with `DECIMAL_TEXT` is reported by `db diff` with its rebuild.

use crate::common::{Kind, Project, TestDb, kinds};

const MODELS: &str = r#"
db.Model("Order", [
    db.Column("id", db.Integer, #{ primary_key: true }),
    db.Column("total", db.Numeric(10, 2)),
    db.Column("placed", db.Date),
], #{ tablename: "orders" });
"#;

const SEED: &str = r#"
db.create_all();
for t in [["9.99", "2024-01-05"], ["25.50", "2024-03-01"], ["153.38", "2023-12-31"], ["-1.00", "2024-02-29"], ["20", "2024-01-01"]] {
    db.session.add(Order(#{ total: t[0], placed: t[1] }));
}
db.session.add(Order(#{}));
db.session.commit();
"#;

const QUERIES: &str = r#"
fn firsts(rows) { let out = []; for r in rows.to_array() { out.push(r[0].to_string()); } out }
print(firsts(Order.query.filter(Order.total > 20).order_by(Order.id).with_entities(Order.total).all()));
print(firsts(Order.query.filter(Order.total.is_not(())).order_by(Order.total).with_entities(Order.total).all()));
print(Order.query.filter(Order.total == 20).count());
let agg = Order.query.with_entities(func.min(Order.total), func.max(Order.total), func.sum(Order.total), func.min(Order.placed), func.max(Order.placed)).all().to_array()[0];
let typed = [];
for i in 0..5 { typed.push(agg[i].to_debug()); }
print(typed);
let groups = [];
for r in Order.query.with_entities(Order.total, func.count(Order.id)).filter(Order.total < 0).group_by(Order.total).all().to_array() { groups.push(`${r[0]}/${r[1]}`); }
print(groups);
print(Order.query.with_entities(Order.placed, func.sum(Order.total)).group_by(Order.placed).having(func.sum(Order.total) > 100).count());
"#;

fn answers(kind: Kind) -> String {
    let db = TestDb::new(kind);
    let project = Project::new(&db.url, MODELS);
    project.run_ok(SEED);
    let (out, _) = project.run_ok(QUERIES);
    out
}

#[test]
fn numeric_answers_the_same_on_every_database() {
    let sqlite = answers(Kind::Sqlite);
    let lines: Vec<&str> = sqlite.lines().collect();
    assert_eq!(lines[0], r#"["25.50", "153.38"]"#, "{sqlite}");
    assert_eq!(
        lines[1], r#"["-1.00", "9.99", "20.00", "25.50", "153.38"]"#,
        "{sqlite}"
    );
    assert_eq!(lines[2], "1", "{sqlite}");
    // Decimals at the column's scale and dates, as SQLAlchemy types them.
    assert_eq!(
        lines[3], r#"["-1.00", "153.38", "207.87", "2023-12-31", "2024-03-01"]"#,
        "{sqlite}"
    );
    assert_eq!(lines[4], r#"["-1.00/1"]"#, "{sqlite}");
    for kind in kinds().into_iter().filter(|k| *k != Kind::Sqlite) {
        assert_eq!(answers(kind), sqlite, "{kind:?} and SQLite answer alike");
    }
}

#[test]
fn sqlite_creates_numeric_as_sqlalchemy_does_and_diff_reports_decimal_text() {
    let db = TestDb::new(Kind::Sqlite);
    let project = Project::new(&db.url, MODELS);
    project.run_ok(SEED);
    let ddl = db.scalar("SELECT sql FROM sqlite_master WHERE name = 'orders'");
    assert!(ddl.contains("NUMERIC(10, 2)"), "{ddl}");
    assert_eq!(
        db.scalar("SELECT typeof(total) FROM orders WHERE id = 2"),
        "real"
    );
    let out = project.ormsh().args(["db", "diff"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "no drift on ormsh's own table");

    // A table made by an older ormsh: text affinity, values stored as text.
    let old = TestDb::new(Kind::Sqlite);
    old.rows("CREATE TABLE orders (id INTEGER NOT NULL PRIMARY KEY, total DECIMAL_TEXT(10, 2), placed DATE)");
    old.rows("INSERT INTO orders (total) VALUES ('9.99'), ('153.38'), ('25.50')");
    let project = Project::new(&old.url, MODELS);
    let out = project
        .ormsh()
        .args(["db", "diff", "--sql"])
        .output()
        .unwrap();
    let sql = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{sql}");
    assert!(
        sql.contains("NUMERIC(10, 2)") && sql.contains("RENAME TO"),
        "{sql}"
    );
    // The statements convert it: run them, and the values become numbers.
    let statements: String = sql
        .lines()
        .filter(|l| !l.starts_with("--"))
        .collect::<Vec<_>>()
        .join("\n");
    for statement in statements
        .split(";\n")
        .map(|s| s.trim().trim_end_matches(';'))
    {
        if !statement.is_empty() {
            old.rows(statement);
        }
    }
    assert_eq!(
        old.rows("SELECT typeof(total), total FROM orders ORDER BY total"),
        [["real", "9.99"], ["real", "25.5"], ["real", "153.38"]]
            .map(|r| r.map(String::from).to_vec())
            .to_vec()
    );
    let out = project.ormsh().args(["db", "diff"]).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "converted: no drift left");
}
