//! Names written as SQLAlchemy writes them: a table `user` (reserved on
//! PostgreSQL only), a column `order` (reserved everywhere), `position`
//! (reserved on MariaDB, not MySQL), and mixed-case names (`InvoiceLine`,
//! `Name`, `UnitPrice`) that keep their quotes. ormsh's echo of each
//! statement equals what SQLAlchemy compiles for the same statement with the
//! dialect of the same connected database, and the tables work end to end:
//! ormsh makes and writes them, SQLAlchemy reads them back, and ormsh
//! reflects them and writes again.

use crate::common::python::{peer_python, run_python, sqlalchemy_url};
use crate::common::{Kind, Project, TestDb};

const MODELS: &str = r#"
db.Model("User", [
    db.Column("id", db.Integer, #{ primary_key: true }),
    db.Column("order", db.Integer),
    db.Column("Name", db.String(40)),
]);
db.Model("InvoiceLine", [
    db.Column("id", db.Integer, #{ primary_key: true }),
    db.Column("user_id", db.Integer, db.ForeignKey("user.id")),
    db.Column("position", db.Integer),
    db.Column("UnitPrice", db.Numeric(10, 2)),
], #{ tablename: "InvoiceLine" });
"#;

/// Each statement ormsh sends, in order, and what it prints.
const SCRIPT: &str = r#"
db.create_all();
db.session.add(User(#{ id: 1, order: 3, Name: "Ann" }));
db.session.add(InvoiceLine(#{ id: 7, user_id: 1, position: 2, UnitPrice: 2.5 }));
db.session.commit();
let users = db.session.execute(db.select(User).where(User.order > 1).order_by(User.order)).scalars().all();
print(users[0].Name);
print(db.session.execute(db.select(InvoiceLine.position, User.Name).join(User, InvoiceLine.user_id == User.id).where(InvoiceLine.UnitPrice > 1)).all());
users[0].order = 4;
db.session.commit();
let line = InvoiceLine(#{ id: 8, user_id: 1, position: 5, UnitPrice: 1.25 });
db.session.add(line);
db.session.commit();
db.session.delete(line);
db.session.commit();
"#;

/// The same statements as SQLAlchemy Core, compiled with the connected
/// engine's dialect (on a `mysql://` URL, MariaDB's once it has connected),
/// then the rows as SQLAlchemy reads them.
const PEER: &str = r#"
import re
import sqlalchemy as sa
from sqlalchemy.orm import DeclarativeBase

class Base(DeclarativeBase):
    pass

class User(Base):
    __tablename__ = "user"
    id = sa.Column(sa.Integer, primary_key=True)
    order = sa.Column(sa.Integer)
    Name = sa.Column(sa.String(40))

class InvoiceLine(Base):
    __tablename__ = "InvoiceLine"
    id = sa.Column(sa.Integer, primary_key=True)
    user_id = sa.Column(sa.Integer, sa.ForeignKey("user.id"))
    position = sa.Column(sa.Integer)
    UnitPrice = sa.Column(sa.Numeric(10, 2))

engine = sa.create_engine(DATABASE_URL)
with engine.connect() as conn:
    dialect = engine.dialect
    for stmt in [
        sa.insert(User).values(id=1, order=3, Name="Ann"),
        sa.insert(InvoiceLine).values(id=7, user_id=1, position=2, UnitPrice=2.5),
        sa.select(User).where(User.order > 1).order_by(User.order),
        sa.select(InvoiceLine.position, User.Name)
        .join(User, InvoiceLine.user_id == User.id)
        .where(InvoiceLine.UnitPrice > 1),
        sa.update(User).where(User.id == 1).values(order=4),
        sa.insert(InvoiceLine).values(id=8, user_id=1, position=5, UnitPrice=1.25),
        sa.delete(InvoiceLine).where(InvoiceLine.id == 8),
    ]:
        text = str(stmt.compile(dialect=dialect)).replace("\n", "")
        # Spellings that are not about names: psycopg's casts of the
        # parameters, and MySQL's INNER JOIN for a JOIN.
        text = re.sub(r"(%\(\w+\)s)::[A-Z]+", r"\1", text)
        print(text.replace(" INNER JOIN ", " JOIN "))
    print("-- rows")
    for row in conn.execute(sa.select(User.id, User.order, User.Name)):
        print(tuple(row))
    for row in conn.execute(sa.select(InvoiceLine.id, InvoiceLine.position)):
        print(tuple(row))
"#;

/// One statement's text with its placeholders as `?` (`$1`, `%(name)s`)
/// and `=` spaced, so that only the names and their quotes can differ.
fn comparable(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut rest = sql;
    while let Some(c) = rest.chars().next() {
        if let Some(after) = rest.strip_prefix('$') {
            let digits = after.len() - after.trim_start_matches(|d: char| d.is_ascii_digit()).len();
            if digits > 0 {
                out.push('?');
                rest = &after[digits..];
                continue;
            }
        }
        if let Some(after) = rest.strip_prefix("%(")
            && let Some(end) = after.find(")s")
        {
            out.push('?');
            rest = &after[end + 2..];
            continue;
        }
        if c == '=' && !out.ends_with([' ', '<', '>', '!']) {
            out.push_str(" = ");
            rest = rest[1..].trim_start();
            continue;
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// The statements of the script's echo, each on one line, that read or
/// write the two tables.
fn echoed(stderr: &str) -> Vec<String> {
    stderr
        .lines()
        .filter(|l| {
            ["INSERT", "SELECT", "UPDATE", "DELETE"]
                .iter()
                .any(|k| l.starts_with(k))
                && (l.contains("user") || l.contains("InvoiceLine"))
                && !l.contains("information_schema")
                && !l.contains("pg_catalog")
                && !l.contains("sqlite_master")
        })
        .map(comparable)
        .collect()
}

fn quoting_matches_sqlalchemy(kind: Kind) {
    let Some(python) = peer_python() else {
        return;
    };
    let db = TestDb::new(kind);
    let project = Project::new(&db.url, MODELS);
    let (out, err) = project.run_ok(SCRIPT);
    assert_eq!(out, "Ann\n[(2, 'Ann')]\n", "{kind:?}\n{err}");
    let peer = run_python(
        &python,
        project.path(),
        &format!("DATABASE_URL = {:?}\n{PEER}", sqlalchemy_url(&db.url)),
    );
    let (compiled, rows) = peer.split_once("-- rows\n").unwrap();
    let want: Vec<String> = compiled.lines().map(comparable).collect();
    assert_eq!(echoed(&err), want, "{kind:?}\n{err}");
    assert_eq!(rows, "(1, 4, 'Ann')\n(7, 2)\n", "{kind:?}");
    // Reflected, the same tables read and write as declared ones.
    let reflected = Project::without_models(&db.url, "");
    let (out, _) = reflected.ok(&[
        "--no-echo",
        "-c",
        "let u = User.query.filter(User.order == 4).one(); u.Name = \"Bea\"; db.session.commit(); \
         print(User.query.get(1).Name); print(InvoiceLine.query.filter(InvoiceLine.position == 2).count());",
    ]);
    assert_eq!(out, "Bea\n1\n", "{kind:?}");
}

on_every_database!(quoting_matches_sqlalchemy);

/// Placeholders and `=` made alike, names and quotes left as they are.
#[test]
fn comparable_text() {
    assert_eq!(
        comparable(r#"UPDATE "user" SET "order"=%(order)s WHERE "user".id = $12"#),
        r#"UPDATE "user" SET "order" = ? WHERE "user".id = ?"#
    );
    assert_eq!(comparable("a >= ? AND b != $1"), "a >= ? AND b != ?");
}

/// Before it connects, a `mariadb://` URL already quotes the words MariaDB
/// reserves (`position`) and a `mysql://` URL those MySQL reserves, as
/// SQLAlchemy's two dialects do.
#[test]
fn mariadb_url_quotes_mariadb_words_before_connecting() {
    for (url, want) in [
        (
            "mariadb://nobody@127.0.0.1:1/none",
            "SELECT `InvoiceLine`.`position` FROM `InvoiceLine`",
        ),
        (
            "mysql://nobody@127.0.0.1:1/none",
            "SELECT `InvoiceLine`.position FROM `InvoiceLine`",
        ),
    ] {
        let project = Project::new(url, MODELS);
        let (out, _) = project.ok(&[
            "--no-echo",
            "-c",
            "print(InvoiceLine.query.with_entities(InvoiceLine.position).sql())",
        ]);
        assert!(out.starts_with(want), "{url}: {out}");
    }
}
