//! The keys of new rows: what the objects hold after a flush is what the
//! tables hold, whether the database sent the keys back (RETURNING) or, on
//! SQLite once the transaction holds the write lock, the flush numbered
//! the rows itself as SQLite would.

use crate::common::{BLOG_MODELS, Kind, Project, TestDb};

fn keys_match_the_rows(kind: Kind) {
    let db = TestDb::new(kind);
    let project = Project::new(&db.url, BLOG_MODELS);
    project.run_ok(
        r#"db.create_all();
        db.session.add(User(#{ username: "first", email: "f@x" }));
        db.session.commit();
        db.session.delete(User.query.first());
        db.session.add(User(#{ username: "second", email: "s@x" }));
        db.session.commit();"#,
    );
    let (out, echo) = project.run_ok(
        r#"let a = User(#{ username: "a", email: "a@x" });
        db.session.add(a);
        db.session.flush();
        let b = User(#{ username: "b", email: "b@x" });
        let c = User(#{ username: "c", email: "c@x" });
        db.session.add(b);
        db.session.add(c);
        for i in 0..3 { db.session.add(Post(#{ title: `p${i}`, content: "x", author: c })); }
        db.session.commit();
        print(`${a.id} ${b.id} ${c.id}`);
        for p in c.posts { print(`${p.id} ${p.user_id}`); }"#,
    );
    let users = db.rows(&format!(
        "SELECT id, username FROM {} ORDER BY id",
        db.quote("user")
    ));
    let posts = db.rows(&format!(
        "SELECT id, user_id FROM {} ORDER BY id",
        db.quote("post")
    ));
    let id_of = |name: &str| {
        users
            .iter()
            .find(|r| r[1] == name)
            .map(|r| r[0].clone())
            .unwrap()
    };
    let mut expected = format!("{} {} {}\n", id_of("a"), id_of("b"), id_of("c"));
    for p in &posts {
        expected += &format!("{} {}\n", p[0], p[1]);
    }
    assert_eq!(out, expected, "{kind:?}: {users:?} {posts:?}\n{echo}");
    assert_eq!(posts.len(), 3, "{kind:?}");
    assert!(posts.iter().all(|p| p[1] == id_of("c")), "{kind:?}");
    if kind == Kind::Sqlite {
        // The first write takes the lock and asks for its key; the rest are numbered.
        let inserts: Vec<&str> = echo.lines().filter(|l| l.starts_with("INSERT")).collect();
        assert_eq!(inserts.len(), 3, "{echo}");
        assert!(inserts[0].contains("RETURNING"), "{echo}");
        assert!(
            inserts[1..].iter().all(|i| !i.contains("RETURNING")),
            "{echo}"
        );
        assert!(echo.contains("SELECT max(id)"), "{echo}");
        // SQLite itself would have reused the deleted key 1 no more than this:
        // one past the largest.
        assert_eq!(id_of("a"), "3", "{users:?}");
    }
}

on_every_database!(keys_match_the_rows);

/// A table declared AUTOINCREMENT never gives a deleted row's key again:
/// SQLite numbers its rows, not the flush.
#[test]
fn autoincrement_tables_number_their_own_rows() {
    let db = TestDb::new(Kind::Sqlite);
    let models = format!(
        "{BLOG_MODELS}\ndb.Model(\"Tag\", [db.Column(\"id\", db.Integer, #{{ primary_key: true }}), db.Column(\"name\", db.String(20))]);"
    );
    let project = Project::new(&db.url, &models);
    db.rows("CREATE TABLE tag (id INTEGER PRIMARY KEY AUTOINCREMENT, name VARCHAR(20))");
    db.rows("INSERT INTO tag (id, name) VALUES (9, 'gone')");
    db.rows("DELETE FROM tag");
    let (out, echo) = project.run_ok(
        r#"db.create_all();
        db.session.add(User(#{ username: "a", email: "a@x" }));
        db.session.flush();
        let t = Tag(#{ name: "new" });
        db.session.add(t);
        db.session.commit();
        print(t.id);"#,
    );
    assert_eq!(out, "10\n", "{echo}");
    assert_eq!(db.rows("SELECT id, name FROM tag"), [["10", "new"]]);
}

/// A numbered batch that fails gives its numbers back: the objects hold no
/// key, and the session goes on after the rollback.
fn failed_batch_keeps_no_keys(kind: Kind) {
    let db = TestDb::new(kind);
    let project = Project::new(&db.url, BLOG_MODELS);
    project.run_ok("db.create_all();");
    let (out, echo) = project.run_ok(
        r#"db.session.add(User(#{ username: "a", email: "a@x" }));
        db.session.flush();
        let b = User(#{ username: "a", email: "b@x" });
        db.session.add(b);
        let failed = false;
        try { db.session.flush(); } catch { failed = true; }
        print(failed);
        print(b.id == ());
        db.session.rollback();
        let z = User(#{ username: "z", email: "z@x" });
        db.session.add(z);
        db.session.commit();
        print(z.id != ());"#,
    );
    assert_eq!(out, "true\ntrue\ntrue\n", "{kind:?}\n{echo}");
    assert_eq!(
        db.rows(&format!("SELECT username FROM {}", db.quote("user"))),
        [["z"]],
        "{kind:?}"
    );
}

on_every_database!(failed_batch_keeps_no_keys);

/// Rows that name no column (`INSERT .. DEFAULT VALUES`) go in one at a
/// time, each with its own key, as SQLAlchemy inserts them.
fn rows_with_no_columns_each_get_a_key(kind: Kind) {
    let db = TestDb::new(kind);
    let project = Project::new(
        &db.url,
        r#"db.Model("Ticket", [db.Column("id", db.Integer, #{ primary_key: true })]);"#,
    );
    let (out, _) = project.run_ok(
        "db.create_all(); let t = [Ticket(), Ticket(), Ticket()]; db.session.add_all(t); db.session.flush(); print(t.map(|x| x.id));",
    );
    assert!(out.contains("[1, 2, 3]"), "{kind:?}: {out}");
    assert_eq!(db.scalar("SELECT count(*) FROM ticket"), "3");
}
on_every_database!(rows_with_no_columns_each_get_a_key);
