//! The exact statements a flush sends, read from the engine's query log:
//! a parent inserted with its children, one column updated, a parent
//! deleted with its children, a many-to-many append and remove, and a
//! self-referential tree. Each sequence's shape (statement kinds and
//! tables, in order) is pinned on every database; SQLite's full text and
//! parameters are pinned too.

use ormsh::orm::{Attr, Instance, Session};
use ormsh::sql::Value;

use crate::common::orm::{
    Recorder, Sent, append, blog_registry, create, items, open_session, remove, text,
};
use crate::common::{Kind, TestDb};

/// A server's statement text with its quotes dropped and its placeholders
/// made SQLite's (`"user"`, `\`order\`` and `$1` read `user`, `order` and
/// `?`): PostgreSQL and MariaDB, which reserve different words, then send
/// the same text, and one expected list serves both.
fn normalized(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '`' | '"' => {}
            '$' if chars.peek().is_some_and(char::is_ascii_digit) => {
                while chars.peek().is_some_and(char::is_ascii_digit) {
                    chars.next();
                }
                out.push('?');
            }
            c => out.push(c),
        }
    }
    out
}

/// What was sent equals `sqlite` on SQLite (exactly) and `servers`
/// (normalized) on PostgreSQL and MariaDB, statement by statement with its
/// parameters.
fn check(kind: Kind, sent: &[Sent], sqlite: &[(&str, Vec<Value>)], servers: &[(&str, Vec<Value>)]) {
    let got: Vec<(String, Vec<Value>)> = sent
        .iter()
        .map(|s| match kind {
            Kind::Sqlite => (s.sql.clone(), s.params.clone()),
            _ => (normalized(&s.sql), s.params.clone()),
        })
        .collect();
    let want: Vec<(String, Vec<Value>)> = if kind == Kind::Sqlite {
        sqlite
    } else {
        servers
    }
    .iter()
    .map(|(sql, params)| (sql.to_string(), params.clone()))
    .collect();
    assert_eq!(got, want, "{kind:?}");
}

fn int(i: i64) -> Value {
    Value::Int(i)
}

fn txt(s: &str) -> Value {
    Value::Text(s.into())
}

/// What `f` makes the engine send.
fn recorded(log: &Recorder, f: impl FnOnce()) -> Vec<Sent> {
    log.start();
    f();
    log.stop()
}

fn setup(db: &TestDb) -> (Session, Recorder) {
    let (session, log) = open_session(db, blog_registry());
    session.create_all(None).unwrap();
    (session, log)
}

fn user_with_posts(session: &Session, name: &str, titles: &[&str]) -> Instance {
    let user = create(session, "User", &[("username", text(name))]);
    for title in titles {
        let post = create(session, "Post", &[("title", text(title))]);
        append(session, &user, "posts", &post);
    }
    session.add(&user).unwrap();
    user
}

/// The statement SQLite sends first to number a table's new rows itself
/// (the transaction holds the write lock): the largest key so far, and
/// whether the table says AUTOINCREMENT.
fn sqlite_key_probe(table: &str) -> (String, Vec<Value>) {
    (
        format!(
            "SELECT max(id), (SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?) FROM {table}"
        ),
        vec![txt(table)],
    )
}

const BEGIN: (&str, Vec<Value>) = ("BEGIN (implicit)", Vec::new());
const COMMIT: (&str, Vec<Value>) = ("COMMIT", Vec::new());

fn owned(list: Vec<(&str, Vec<Value>)>) -> Vec<(String, Vec<Value>)> {
    list.into_iter().map(|(s, p)| (s.to_string(), p)).collect()
}

fn strs(list: &[(String, Vec<Value>)]) -> Vec<(&str, Vec<Value>)> {
    list.iter().map(|(s, p)| (s.as_str(), p.clone())).collect()
}

/// A user and two posts: the user's INSERT first, then one INSERT of both
/// posts with the user's new key. The servers read the keys back with
/// RETURNING; SQLite reads the user's so, then numbers the posts itself.
fn insert_parent_and_children(kind: Kind) {
    let db = TestDb::new(kind);
    let (session, log) = setup(&db);
    user_with_posts(&session, "amy", &["one", "two"]);
    let sent = recorded(&log, || session.commit().unwrap());
    let user = (
        "INSERT INTO user (username) VALUES (?) RETURNING id",
        vec![txt("amy")],
    );
    let mut sqlite = owned(vec![BEGIN, user.clone()]);
    sqlite.push(sqlite_key_probe("post"));
    sqlite.extend(owned(vec![
        (
            "INSERT INTO post (id, title, user_id) VALUES (?, ?, ?), (?, ?, ?)",
            vec![int(1), txt("one"), int(1), int(2), txt("two"), int(1)],
        ),
        COMMIT,
    ]));
    check(
        kind,
        &sent,
        &strs(&sqlite),
        &[
            BEGIN,
            user,
            (
                "INSERT INTO post (title, user_id) VALUES (?, ?), (?, ?) RETURNING id",
                vec![txt("one"), int(1), txt("two"), int(1)],
            ),
            COMMIT,
        ],
    );
    assert_eq!(
        db.rows("SELECT id, title, user_id FROM post ORDER BY id"),
        [["1", "one", "1"], ["2", "two", "1"]].map(|r| r.map(String::from).to_vec())
    );
}

on_every_database!(insert_parent_and_children);

/// One column changed: one UPDATE of that column alone, by the key.
fn update_one_column(kind: Kind) {
    let db = TestDb::new(kind);
    let (session, log) = setup(&db);
    let amy = user_with_posts(&session, "amy", &["one"]);
    session.commit().unwrap();
    // Reloaded before recording: the commit expired it.
    session.attribute(&amy, "username").unwrap();
    session
        .set_attribute(&amy, "username", text("amelia"))
        .unwrap();
    let sent = recorded(&log, || session.commit().unwrap());
    let all = [
        BEGIN,
        (
            "UPDATE user SET username = ? WHERE user.id = ?",
            vec![txt("amelia"), int(1)],
        ),
        COMMIT,
    ];
    check(kind, &sent, &all, &all);
    assert_eq!(
        db.rows(&format!("SELECT username FROM {}", db.quote("user"))),
        [["amelia"]].map(|r| r.map(String::from).to_vec())
    );
}

on_every_database!(update_one_column);

/// A user deleted with its posts (cascade delete): the flush begins the
/// transaction, loads the posts inside it, and deletes each post's
/// association rows, then the posts in one statement, then the user.
fn delete_with_children(kind: Kind) {
    let db = TestDb::new(kind);
    let (session, log) = setup(&db);
    let amy = user_with_posts(&session, "amy", &["one", "two"]);
    user_with_posts(&session, "ben", &["three"]);
    session.commit().unwrap();
    session.attribute(&amy, "username").unwrap();
    let sent = recorded(&log, || {
        session.delete(&amy).unwrap();
        session.commit().unwrap();
    });
    let all = [
        BEGIN,
        (
            "SELECT post.id, post.title, post.user_id FROM post WHERE post.user_id = ? ORDER BY post.id ASC",
            vec![int(1)],
        ),
        (
            "DELETE FROM post_tag WHERE post_tag.post_id = ?",
            vec![int(1)],
        ),
        (
            "DELETE FROM post_tag WHERE post_tag.post_id = ?",
            vec![int(2)],
        ),
        (
            "DELETE FROM post WHERE post.id IN (?, ?)",
            vec![int(1), int(2)],
        ),
        ("DELETE FROM user WHERE user.id = ?", vec![int(1)]),
        COMMIT,
    ];
    check(kind, &sent, &all, &all);
    assert_eq!(
        db.rows("SELECT id, user_id FROM post"),
        [["3", "2"]].map(|r| r.map(String::from).to_vec())
    );
}

on_every_database!(delete_with_children);

/// A post and its two new tags: the post, the tags, then one INSERT per
/// association row. Then a new tag appended and an old one removed.
fn many_to_many_append_remove(kind: Kind) {
    let db = TestDb::new(kind);
    let (session, log) = setup(&db);
    let rust = create(&session, "Tag", &[("name", text("rust"))]);
    let web = create(&session, "Tag", &[("name", text("web"))]);
    let post = create(&session, "Post", &[("title", text("p"))]);
    append(&session, &post, "tags", &rust);
    append(&session, &post, "tags", &web);
    session.add(&post).unwrap();
    let sent = recorded(&log, || session.commit().unwrap());
    let insert_post = (
        "INSERT INTO post (title, user_id) VALUES (?, ?) RETURNING id",
        vec![txt("p"), Value::Null],
    );
    let links = owned(vec![
        (
            "INSERT INTO post_tag (post_id, tag_id) VALUES (?, ?)",
            vec![int(1), int(1)],
        ),
        (
            "INSERT INTO post_tag (post_id, tag_id) VALUES (?, ?)",
            vec![int(1), int(2)],
        ),
        COMMIT,
    ]);
    let mut sqlite = owned(vec![BEGIN, insert_post.clone()]);
    sqlite.push(sqlite_key_probe("tag"));
    sqlite.push((
        "INSERT INTO tag (id, name) VALUES (?, ?), (?, ?)".into(),
        vec![int(1), txt("rust"), int(2), txt("web")],
    ));
    sqlite.extend(links.clone());
    let mut servers = owned(vec![
        BEGIN,
        insert_post,
        (
            "INSERT INTO tag (name) VALUES (?), (?) RETURNING id",
            vec![txt("rust"), txt("web")],
        ),
    ]);
    servers.extend(links);
    check(kind, &sent, &strs(&sqlite), &strs(&servers));

    // Loaded before recording: the commit expired the collection.
    assert_eq!(items(&session, &post, "tags").len(), 2);
    let go = create(&session, "Tag", &[("name", text("go"))]);
    append(&session, &post, "tags", &go);
    remove(&session, &post, "tags", &rust);
    let sent = recorded(&log, || session.commit().unwrap());
    // The same on every database: the tag is the transaction's first
    // INSERT, so SQLite reads its key back too.
    let all = [
        BEGIN,
        (
            "INSERT INTO tag (name) VALUES (?) RETURNING id",
            vec![txt("go")],
        ),
        (
            "DELETE FROM post_tag WHERE post_tag.post_id = ? AND post_tag.tag_id = ?",
            vec![int(1), int(1)],
        ),
        (
            "INSERT INTO post_tag (post_id, tag_id) VALUES (?, ?)",
            vec![int(1), int(3)],
        ),
        COMMIT,
    ];
    check(kind, &sent, &all, &all);
    assert_eq!(
        db.rows("SELECT post_id, tag_id FROM post_tag ORDER BY tag_id"),
        [["1", "2"], ["1", "3"]].map(|r| r.map(String::from).to_vec())
    );
}

on_every_database!(many_to_many_append_remove);

/// A tree of nodes in one table: each parent's INSERT before its
/// children's, one row at a time (a child needs its parent's key), though
/// the leaf was added first; a node moved to another parent is one UPDATE
/// of its foreign key.
fn self_referential(kind: Kind) {
    let db = TestDb::new(kind);
    let (session, log) = setup(&db);
    let node = |name: &str| create(&session, "Node", &[("name", text(name))]);
    let (root, a, b, leaf) = (node("root"), node("a"), node("b"), node("leaf"));
    session
        .set_attribute(&leaf, "parent", Attr::Object(Some(a.clone())))
        .unwrap();
    session.add(&leaf).unwrap();
    append(&session, &root, "children", &a);
    append(&session, &root, "children", &b);
    session.add(&root).unwrap();
    let sent = recorded(&log, || session.commit().unwrap());
    let rows = [
        ("root", None),
        ("a", Some(1)),
        ("leaf", Some(2)),
        ("b", Some(1)),
    ];
    let parent = |p: Option<i64>| p.map_or(Value::Null, int);
    let mut sqlite = owned(vec![BEGIN]);
    let mut servers = owned(vec![BEGIN]);
    for (i, (name, p)) in rows.into_iter().enumerate() {
        servers.push((
            "INSERT INTO node (name, parent_id) VALUES (?, ?) RETURNING id".into(),
            vec![txt(name), parent(p)],
        ));
        if i == 0 {
            sqlite.push(servers[1].clone());
            sqlite.push(sqlite_key_probe("node"));
        } else {
            sqlite.push((
                "INSERT INTO node (id, name, parent_id) VALUES (?, ?, ?)".into(),
                vec![int(i as i64 + 1), txt(name), parent(p)],
            ));
        }
    }
    sqlite.extend(owned(vec![COMMIT]));
    servers.extend(owned(vec![COMMIT]));
    check(kind, &sent, &strs(&sqlite), &strs(&servers));
    let tree = || db.rows("SELECT id, name, parent_id FROM node ORDER BY id");
    assert_eq!(
        tree(),
        [
            ["1", "root", "NULL"],
            ["2", "a", "1"],
            ["3", "leaf", "2"],
            ["4", "b", "1"]
        ]
        .map(|r| r.map(String::from).to_vec())
    );

    session.attribute(&leaf, "name").unwrap();
    session
        .set_attribute(&leaf, "parent", Attr::Object(Some(b.clone())))
        .unwrap();
    let sent = recorded(&log, || session.commit().unwrap());
    let all = [
        BEGIN,
        (
            "UPDATE node SET parent_id = ? WHERE node.id = ?",
            vec![int(4), int(3)],
        ),
        COMMIT,
    ];
    check(kind, &sent, &all, &all);
    assert_eq!(tree()[2], ["3", "leaf", "4"]);
}

on_every_database!(self_referential);
