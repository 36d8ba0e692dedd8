//! Rows of values on every database: a `Row` read by label, by column name,
//! by position, as `_mapping` and `_fields`, walked in `for`, printed as a
//! table with the labels as headers; NULL as `None` wherever it prints;
//! sums and averages of a `Numeric` column as exact decimals, checked
//! against what a separate connection reads and what SQLAlchemy answers.

use crate::common::python::{peer_python, run_python, sqlalchemy_url};
use crate::common::{Kind, Project, TestDb};

const MODELS: &str = r#"
db.Model("User", [
    db.Column("id", db.Integer, #{ primary_key: true }),
    db.Column("username", db.String(80), #{ nullable: false }),
    db.Column("email", db.String(120)),
    db.relationship("items", "Item", #{ backref: "owner" }),
]);
db.Model("Item", [
    db.Column("id", db.Integer, #{ primary_key: true }),
    db.Column("name", db.String(80)),
    db.Column("price", db.Numeric(10, 2)),
    db.Column("user_id", db.Integer, db.ForeignKey("user.id")),
]);
"#;

const SEED: &str = r#"
db.create_all();
let amy = User(#{ username: "amy", email: "amy@example.com" });
let bob = User(#{ username: "bob" });
db.session.add_all([amy, bob]);
for p in ["1.10", "2.20", "9.00"] { db.session.add(Item(#{ name: `a${p}`, price: p, owner: amy })); }
db.session.add(Item(#{ name: "b", price: "0.35", owner: bob }));
db.session.add(Item(#{ name: "free" }));
"#;

fn project(kind: Kind) -> (TestDb, Project) {
    let db = TestDb::new(kind);
    let project = Project::new(&db.url, MODELS);
    project.run_ok(SEED);
    (db, project)
}

/// `ormsh -c CODE` (no echo); its standard output.
fn command(project: &Project, code: &str) -> String {
    project.ok(&["--no-echo", "-c", code]).0
}

fn rows_by_label_name_and_position(kind: Kind) {
    let (db, project) = project(kind);
    let (out, _) = project.run_ok(
        r#"
let rows = User.query.join(Item).with_entities(User.username, func.count(Item.id).label("n"), func.sum(Item.price).label("total")).group_by(User.username).order_by(User.username).all();
print(rows.len());
for row in rows {
    print(`${row.username} ${row.n} ${row.total} | ${row[0]} ${row[1]} ${row[-1]} | ${row._fields} | ${row._mapping["n"]} ${row["total"]} ${row.len()}`);
    let values = [];
    for v in row { values.push(`${v}`); }
    print(values);
}
let first = User.query.join(Item).with_entities(User.username, func.count(Item.id).label("n")).group_by(User.username).order_by(User.username).first();
print(type_of(first));
print(first);
print(first == ["amy", 3]);
print("amy" in first);
print(rows[1].n + rows[-2].n);
print(rows);
print(User.query.with_entities(User.email).filter(User.username == "bob").one());
print(User.query.with_entities(User.email).filter(User.username == "zed").one_or_none());
try { User.query.with_entities(User.id).one(); } catch (e) { print(e); }
try { print(first.score); } catch (e) { print(e); }
try { print(first[5]); } catch (e) { print(e); }
try { print(User.query.with_entities(User.id, Item.id).join(Item).first().id); } catch (e) { print(e); }
"#,
    );
    // What a separate connection counts, row for row.
    let user = db.quote("user");
    let counts = db.rows(&format!(
        "SELECT u.username, count(i.id) FROM {user} u JOIN item i ON i.user_id = u.id GROUP BY u.username ORDER BY u.username"
    ));
    assert_eq!(counts, [["amy", "3"], ["bob", "1"]]);
    let expected = [
        "2",
        "amy 3 12.30 | amy 3 12.30 | [\"username\", \"n\", \"total\"] | 3 12.30 3",
        "[\"amy\", \"3\", \"12.30\"]",
        "bob 1 0.35 | bob 1 0.35 | [\"username\", \"n\", \"total\"] | 1 0.35 3",
        "[\"bob\", \"1\", \"0.35\"]",
        "Row",
        "('amy', 3)",
        "true",
        "true",
        "4",
        "[('amy', 3, 12.30), ('bob', 1, 0.35)]",
        "(None,)",
        "None",
        "one(): more than one row matched the query; add filters or use first()",
        "this row has no column `score`; its columns are `username`, `n`",
        "index 5 is out of range for a row of 2 values (`username`, `n`)",
        "`id` names 2 columns of this row (row[0], row[1]): read one by position, row[0], or give each a name with .label(\"..\")",
    ];
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines, expected, "{kind:?}:\n{out}");

    // At the prompt a row and a list of rows are tables, headed by their labels.
    let table = command(
        &project,
        r#"User.query.join(Item).with_entities(User.username, func.count(Item.id).label("n")).group_by(User.username).order_by(User.username).all()"#,
    );
    assert!(table.contains("│ username │ n │"), "{kind:?}: {table}");
    assert!(table.contains("│ amy      │ 3 │"), "{kind:?}: {table}");
    assert!(table.contains("(2 rows)"), "{kind:?}: {table}");
    let one = command(
        &project,
        r#"User.query.with_entities(User.username.label("who"), User.email).filter(User.username == "bob").first()"#,
    );
    assert!(one.contains("│ who │ email │"), "{kind:?}: {one}");
    assert!(one.contains("│ bob │ None  │"), "{kind:?}: {one}");
    let help = command(&project, "help(User.query.with_entities(User.id).first())");
    assert!(help.contains("_mapping"), "{help}");
}

on_every_database!(rows_by_label_name_and_position);

fn null_prints_as_none(kind: Kind) {
    let (db, project) = project(kind);
    // The rows' NULLs, as the database holds them.
    assert_eq!(
        db.scalar("SELECT count(*) FROM item WHERE price IS NULL AND user_id IS NULL"),
        "1"
    );
    let none = |code: &str| {
        let out = command(&project, code);
        assert_eq!(out, "None\n", "{kind:?}: {code}");
    };
    none("Item.query.filter(Item.id < 0).with_entities(func.max(Item.id)).scalar()");
    none("User.query.filter_by(#{ username: \"bob\" }).first().email");
    none("let x = Item.query.filter(Item.price == ()).with_entities(Item.price).first(); x[0]");
    none("User.query.filter_by(#{ username: \"nobody\" }).first()");
    let (out, _) = project.run_ok(
        r#"
let r = Item.query.filter(Item.price == ()).with_entities(Item.name, Item.price, Item.user_id).first();
print(r);
print(r.to_array());
print(`${r.price}`);
print(Item.query.filter(Item.id < 0).with_entities(func.sum(Item.price)).scalar());
print(#{ a: () });
"#,
    );
    assert_eq!(
        out, "('free', None, None)\n[\"free\", None, None]\nNone\nNone\n#{\"a\": None}\n",
        "{kind:?}"
    );
    // Tables and cards of objects and of rows say None; JSON null; CSV empty.
    let table = command(
        &project,
        "Item.query.filter(Item.price == ()).with_entities(Item.name, func.max(Item.price)).group_by(Item.name).all()",
    );
    assert!(table.contains("│ free │ None │"), "{kind:?}: {table}");
    assert!(
        !table.contains("()") && !table.contains("<null>"),
        "{table}"
    );
    let card = command(
        &project,
        "User.query.filter_by(#{ username: \"bob\" }).first()",
    );
    assert!(card.contains("email     None"), "{kind:?}: {card}");
    let json = project
        .ok(&[
            "--no-echo",
            "--format",
            "json",
            "-c",
            "Item.query.filter(Item.price == ()).with_entities(Item.name, Item.price).all()",
        ])
        .0;
    assert!(json.contains("\"price\": null"), "{kind:?}: {json}");
    let csv = project
        .ok(&[
            "--no-echo",
            "--format",
            "csv",
            "-c",
            "Item.query.filter(Item.price == ()).with_entities(Item.name, Item.price).all()",
        ])
        .0;
    assert_eq!(csv, "name,price\nfree,\n", "{kind:?}");
}

on_every_database!(null_prints_as_none);

/// Sums and averages of a `Numeric(10, 2)` column: exact decimals on every
/// database, the sum at the column's scale, the average at the database's
/// (PostgreSQL's own, MySQL's `s + 4`, which SQLite's answer follows).
fn numeric_sums_and_averages_are_decimals(kind: Kind) {
    let (db, project) = project(kind);
    let (out, _) = project.run_ok(
        r#"
let r = Item.query.filter(Item.user_id != ()).with_entities(func.sum(Item.price).label("total"), func.avg(Item.price).label("mean"), func.min(Item.price), func.max(Item.price) + 1).first();
for v in r { print(`${v} ${type_of(v)}`); }
print(r.total.kind);
print(r.mean.kind);
print(r.total == "12.65");
"#,
    );
    let mean = match kind {
        Kind::Postgres => "3.1625000000000000",
        _ => "3.162500",
    };
    assert_eq!(
        out,
        format!("12.65 Value\n{mean} Value\n0.35 Value\n10.00 Value\ndecimal\ndecimal\ntrue\n"),
        "{kind:?}"
    );
    // The sum a separate connection computes.
    let total = db.scalar(match kind {
        Kind::Postgres => "SELECT CAST(sum(price) AS TEXT) FROM item",
        Kind::MySql => "SELECT CAST(sum(price) AS CHAR) FROM item",
        Kind::Sqlite => "SELECT sum(price) FROM item",
    });
    let total: f64 = total.parse().unwrap();
    assert!((total - 12.65).abs() < 1e-9, "{total}");

    // SQLAlchemy's answer on the same database.
    let Some(python) = peer_python() else {
        return;
    };
    let peer = format!(
        r#"
from sqlalchemy import create_engine, Column, Integer, String, Numeric, ForeignKey, func
from sqlalchemy.orm import declarative_base, Session
Base = declarative_base()
class User(Base):
    __tablename__ = "user"
    id = Column(Integer, primary_key=True)
    username = Column(String(80))
class Item(Base):
    __tablename__ = "item"
    id = Column(Integer, primary_key=True)
    price = Column(Numeric(10, 2))
    user_id = Column(Integer, ForeignKey("user.id"))
with Session(create_engine({url:?})) as s:
    r = s.query(func.sum(Item.price), func.avg(Item.price)).filter(Item.user_id != None).one()
    print(repr(r[0]))
    print(repr(r[1]))
    print(repr(s.query(func.max(Item.id)).filter(Item.id < 0).scalar()))
"#,
        url = sqlalchemy_url(&db.url)
    );
    let theirs = run_python(&python, project.path(), &peer);
    let theirs: Vec<&str> = theirs.lines().collect();
    assert_eq!(theirs[0], "Decimal('12.65')", "{kind:?}");
    assert_eq!(theirs[2], "None", "{kind:?}");
    match kind {
        // SQLAlchemy leaves SQLite's float; ormsh gives its decimal.
        Kind::Sqlite => assert_eq!(theirs[1], "3.1625", "{kind:?}"),
        _ => assert_eq!(theirs[1], format!("Decimal('{mean}')"), "{kind:?}"),
    }
}

on_every_database!(numeric_sums_and_averages_are_decimals);

/// `scalar()` as SQLAlchemy's `Query.scalar()`: the one row's first column,
/// None for no row, and an error for several (never the first of them).
fn scalar_takes_one_row_or_none(kind: Kind) {
    let (_db, project) = project(kind);
    let one = command(
        &project,
        r#"User.query.filter_by(#{ username: "amy" }).with_entities(User.email).scalar()"#,
    );
    assert_eq!(one.trim(), "amy@example.com", "{kind:?}");
    let none = command(
        &project,
        r#"User.query.filter_by(#{ username: "zed" }).with_entities(User.email).scalar()"#,
    );
    assert_eq!(none.trim(), "None", "{kind:?}");
    let out = project
        .ormsh()
        .args([
            "--no-echo",
            "-c",
            "User.query.with_entities(User.username).scalar()",
        ])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success() && err.contains("scalar(): several rows matched"),
        "{kind:?}: {err}"
    );
}

on_every_database!(scalar_takes_one_row_or_none);
