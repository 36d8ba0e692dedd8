//! The ORM through its Rust API alone (`ormsh::orm`), with no process and
//! no Rhai: models declared as `ModelDecl`s, a `Session` on an `Engine`,
//! and create_all, create/add/commit, queries and get, relationship
//! loading, updates, deletes, a rollback and savepoints, each checked
//! against the rows a separate connection reads back.

use ormsh::orm::query::model_query::compare;
use ormsh::orm::{Attr, Collection, ObjectState, Query};
use ormsh::sql::{BinaryOp, Value};

use crate::common::orm::{append, blog_registry, create, items, object, open_session, text, value};
use crate::common::{Kind, TestDb};

fn rows(db: &TestDb, table: &str, columns: &str) -> Vec<Vec<String>> {
    db.rows(&format!(
        "SELECT {columns} FROM {} ORDER BY id",
        db.quote(table)
    ))
}

fn strings(rows: &[&[&str]]) -> Vec<Vec<String>> {
    rows.iter()
        .map(|r| r.iter().map(|s| s.to_string()).collect())
        .collect()
}

fn text_of(v: Value) -> String {
    match v {
        Value::Text(s) => s,
        other => panic!("not text: {other:?}"),
    }
}

/// A user with two posts, committed: their rows, keys and links.
fn create_add_commit(kind: Kind) {
    let db = TestDb::new(kind);
    let (session, _) = open_session(&db, blog_registry());
    let report = session.create_all(None).unwrap();
    assert_eq!(report.created, ["user", "post", "tag", "node", "post_tag"]);
    for table in ["user", "post", "tag", "node", "post_tag"] {
        assert!(db.has_table(table), "{kind:?}: no table {table}");
    }

    let amy = create(&session, "User", &[("username", text("amy"))]);
    let first = create(&session, "Post", &[("title", text("first"))]);
    let second = create(
        &session,
        "Post",
        &[
            ("title", text("second")),
            ("author", Attr::Object(Some(amy.clone()))),
        ],
    );
    append(&session, &amy, "posts", &first);
    assert_eq!(amy.state(), ObjectState::Transient);
    // The posts come along with their author (save-update cascade).
    session.add(&amy).unwrap();
    for obj in [&amy, &first, &second] {
        assert_eq!(obj.state(), ObjectState::Pending, "{kind:?}");
    }
    assert_eq!(session.new_objects().len(), 3);
    session.commit().unwrap();
    assert_eq!(amy.state(), ObjectState::Persistent);
    assert_eq!(amy.primary_key(), Some(vec![Value::Int(1)]));

    assert_eq!(
        rows(&db, "user", "id, username"),
        strings(&[&["1", "amy"]]),
        "{kind:?}"
    );
    // `posts` held [second, first] in memory (second joined it by its
    // author first), so they went in that order.
    assert_eq!(
        rows(&db, "post", "id, title, user_id"),
        strings(&[&["1", "second", "1"], &["2", "first", "1"]]),
        "{kind:?}"
    );
}

on_every_database!(create_add_commit);

/// Queries, get() and both directions of a relationship, in a session that
/// did not make the rows (everything comes from the database).
fn query_get_and_load(kind: Kind) {
    let db = TestDb::new(kind);
    {
        let (session, _) = open_session(&db, blog_registry());
        session.create_all(None).unwrap();
        for (name, titles) in [("amy", &["a1", "a2", "a3"][..]), ("ben", &["b1"][..])] {
            let user = create(&session, "User", &[("username", text(name))]);
            session.add(&user).unwrap();
            for title in titles {
                let post = create(
                    &session,
                    "Post",
                    &[
                        ("title", text(title)),
                        ("author", Attr::Object(Some(user.clone()))),
                    ],
                );
                session.add(&post).unwrap();
            }
        }
        session.commit().unwrap();
    }
    assert_eq!(db.scalar("SELECT count(*) FROM post"), "4", "{kind:?}");

    let (session, log) = open_session(&db, blog_registry());
    let registry = session.registry();
    let user = registry.lookup("User").unwrap().clone();
    let post = registry.lookup("Post").unwrap().clone();

    let found = session
        .all(
            &Query::new(user.clone())
                .filter_by(vec![("username".into(), Value::Text("ben".into()))])
                .unwrap(),
        )
        .unwrap();
    assert_eq!(found.len(), 1);
    let ben = &found[0];
    assert_eq!(value(&session, ben, "id"), Value::Int(2));

    // get() answers from the identity map: the same object, and no SQL.
    log.start();
    let again = session.get(&user, vec![Value::Int(2)]).unwrap().unwrap();
    assert!(again.same(ben));
    assert_eq!(log.stop(), []);
    assert!(session.get(&user, vec![Value::Int(99)]).unwrap().is_none());
    assert!(session.get(&user, vec![]).is_err());

    let amy = session.get(&user, vec![Value::Int(1)]).unwrap().unwrap();
    let titles: Vec<String> = items(&session, &amy, "posts")
        .iter()
        .map(|p| text_of(value(&session, p, "title")))
        .collect();
    assert_eq!(titles, ["a1", "a2", "a3"], "{kind:?}");
    // The many-to-one side finds the identity map's amy.
    let b1 = &items(&session, ben, "posts")[0];
    assert_eq!(text_of(value(&session, b1, "title")), "b1");
    assert!(object(&session, b1, "author").unwrap().same(ben));

    // `Post.query.filter(Post.id > 1)`: a column's expression by its index.
    let all_posts = Query::new(post.clone());
    let id = all_posts.column_expr(post.column_index("id").unwrap());
    let query = all_posts.filter(compare(BinaryOp::Gt, id, Value::Int(1)).unwrap());
    assert_eq!(session.count(&query).unwrap(), 3);
    let first = session.first(&query).unwrap().unwrap();
    assert_eq!(text_of(value(&session, &first, "title")), "a2", "{kind:?}");
    assert!(session.exists(&query).unwrap());
}

on_every_database!(query_get_and_load);

/// set_attribute then commit writes the column; delete then commit
/// removes the row, and a user's posts with it (cascade delete).
fn update_and_delete(kind: Kind) {
    let db = TestDb::new(kind);
    let (session, _) = open_session(&db, blog_registry());
    session.create_all(None).unwrap();
    let amy = create(&session, "User", &[("username", text("amy"))]);
    let ben = create(&session, "User", &[("username", text("ben"))]);
    let post = create(
        &session,
        "Post",
        &[
            ("title", text("p")),
            ("author", Attr::Object(Some(amy.clone()))),
        ],
    );
    for obj in [&amy, &ben, &post] {
        session.add(obj).unwrap();
    }
    session.commit().unwrap();

    session
        .set_attribute(&amy, "username", text("amelia"))
        .unwrap();
    assert_eq!(session.dirty_objects().len(), 1);
    session.commit().unwrap();
    assert_eq!(
        rows(&db, "user", "id, username"),
        strings(&[&["1", "amelia"], &["2", "ben"]]),
        "{kind:?}"
    );

    // A post moved to another author by its many-to-one side.
    session
        .set_attribute(&post, "author", Attr::Object(Some(ben.clone())))
        .unwrap();
    session.commit().unwrap();
    assert_eq!(
        rows(&db, "post", "id, user_id"),
        strings(&[&["1", "2"]]),
        "{kind:?}"
    );

    session.delete(&ben).unwrap();
    session.commit().unwrap();
    assert_eq!(ben.state(), ObjectState::Detached, "{kind:?}");
    assert_eq!(post.state(), ObjectState::Detached, "{kind:?}");
    assert_eq!(
        rows(&db, "user", "id, username"),
        strings(&[&["1", "amelia"]]),
        "{kind:?}"
    );
    assert_eq!(rows(&db, "post", "id"), strings(&[]), "{kind:?}");
}

on_every_database!(update_and_delete);

/// A rollback takes back what was flushed: the row's old value, the
/// inserted row, the deleted row; the objects say so too.
fn rollback_restores(kind: Kind) {
    let db = TestDb::new(kind);
    let (session, _) = open_session(&db, blog_registry());
    session.create_all(None).unwrap();
    let amy = create(&session, "User", &[("username", text("amy"))]);
    let ben = create(&session, "User", &[("username", text("ben"))]);
    session.add(&amy).unwrap();
    session.add(&ben).unwrap();
    session.commit().unwrap();

    session
        .set_attribute(&amy, "username", text("changed"))
        .unwrap();
    session.delete(&ben).unwrap();
    let cid = create(&session, "User", &[("username", text("cid"))]);
    session.add(&cid).unwrap();
    session.flush().unwrap();
    assert!(session.in_transaction());
    assert_eq!(cid.state(), ObjectState::Persistent);
    assert_eq!(ben.state(), ObjectState::Deleted);

    session.rollback().unwrap();
    assert!(!session.in_transaction());
    assert_eq!(
        text_of(value(&session, &amy, "username")),
        "amy",
        "{kind:?}"
    );
    assert_eq!(ben.state(), ObjectState::Persistent);
    assert_eq!(text_of(value(&session, &ben, "username")), "ben");
    assert_eq!(cid.state(), ObjectState::Transient);
    assert_eq!(cid.primary_key(), None);
    assert_eq!(
        rows(&db, "user", "id, username"),
        strings(&[&["1", "amy"], &["2", "ben"]]),
        "{kind:?}"
    );

    // The transient cid can be added again and gets the next key.
    session.add(&cid).unwrap();
    session.commit().unwrap();
    assert_eq!(
        rows(&db, "user", "username"),
        strings(&[&["amy"], &["ben"], &["cid"]]),
        "{kind:?}"
    );
}

on_every_database!(rollback_restores);

/// A savepoint rolled back takes back only its own work; one kept commits
/// with the outer transaction.
fn savepoints(kind: Kind) {
    let db = TestDb::new(kind);
    let (session, log) = open_session(&db, blog_registry());
    session.create_all(None).unwrap();
    let amy = create(&session, "User", &[("username", text("amy"))]);
    session.add(&amy).unwrap();

    log.start();
    let inner = session.begin_nested().unwrap();
    let sent: Vec<String> = log.stop().into_iter().map(|s| s.sql).collect();
    // amy is flushed before the savepoint, so she is outside it.
    assert!(sent.first().unwrap().starts_with("BEGIN"), "{sent:?}");
    assert!(sent[1].starts_with("INSERT INTO"), "{sent:?}");
    assert_eq!(sent.last().unwrap(), &format!("SAVEPOINT {}", inner.name));

    let ben = create(&session, "User", &[("username", text("ben"))]);
    session.add(&ben).unwrap();
    session
        .set_attribute(&amy, "username", text("renamed"))
        .unwrap();
    session.flush().unwrap();
    session.rollback_nested(&inner).unwrap();
    assert_eq!(ben.state(), ObjectState::Transient, "{kind:?}");
    assert_eq!(
        text_of(value(&session, &amy, "username")),
        "amy",
        "{kind:?}"
    );

    let kept = session.begin_nested().unwrap();
    let cid = create(&session, "User", &[("username", text("cid"))]);
    session.add(&cid).unwrap();
    session.commit_nested(&kept).unwrap();
    // Both savepoints are closed: rolling one back again is refused.
    assert!(session.rollback_nested(&inner).is_err());
    session.commit().unwrap();

    assert_eq!(
        rows(&db, "user", "username"),
        strings(&[&["amy"], &["cid"]]),
        "{kind:?}"
    );
}

on_every_database!(savepoints);

/// A collection assigned whole (`post.tags = [..]`) writes its
/// association rows; the other side (`tag.posts`) loads them back.
fn many_to_many_assigned(kind: Kind) {
    let db = TestDb::new(kind);
    let (session, _) = open_session(&db, blog_registry());
    session.create_all(None).unwrap();
    let rust = create(&session, "Tag", &[("name", text("rust"))]);
    let web = create(&session, "Tag", &[("name", text("web"))]);
    let post = create(
        &session,
        "Post",
        &[
            ("title", text("p")),
            (
                "tags",
                Attr::Collection(Collection::new(vec![rust.clone(), web.clone()])),
            ),
        ],
    );
    session.add(&post).unwrap();
    session.commit().unwrap();
    assert_eq!(
        db.rows("SELECT post_id, tag_id FROM post_tag ORDER BY tag_id"),
        strings(&[&["1", "1"], &["1", "2"]]),
        "{kind:?}"
    );
    session
        .set_attribute(
            &post,
            "tags",
            Attr::Collection(Collection::new(vec![web.clone()])),
        )
        .unwrap();
    session.commit().unwrap();
    assert_eq!(
        db.rows("SELECT post_id, tag_id FROM post_tag"),
        strings(&[&["1", "2"]]),
        "{kind:?}"
    );
    let posts = items(&session, &web, "posts");
    assert_eq!(posts.len(), 1);
    assert!(posts[0].same(&post));
    assert!(items(&session, &rust, "posts").is_empty());
}

on_every_database!(many_to_many_assigned);
