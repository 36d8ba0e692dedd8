//! The ORM as a Rust API, without Rhai: the identity map, dirty tracking,
//! autoflush, expiry on commit, and isolation until commit, on every
//! database the environment names.

use std::cell::RefCell;
use std::rc::Rc;

use crate::common::{Kind, TestDb};
use ormsh::app::DatabaseUrl;
use ormsh::engine::{Engine, EngineOptions, QueryLog, Runtime};
use ormsh::orm::{
    Attr, Column, Engines, ForeignKey, ModelDecl, ObjectState, Query, Registry, RelationshipDecl,
    Session,
};
use ormsh::sql::{ColumnType, Value};

fn blog_registry() -> Registry {
    let mut id = Column::new("id", ColumnType::Integer);
    id.primary_key = true;
    let mut username = Column::new("username", ColumnType::String(Some(80)));
    username.unique = true;
    username.nullable = false;
    let mut user_id = Column::new("user_id", ColumnType::Integer);
    user_id.foreign_key = Some(ForeignKey::parse("user.id").unwrap());
    let mut posts = RelationshipDecl::new("posts", "Post");
    posts.backref = Some((
        "author".into(),
        Box::new(RelationshipDecl::new("author", "")),
    ));
    Registry::build(vec![
        ModelDecl {
            name: "User".into(),
            tablename: None,
            columns: vec![id.clone(), username],
            relationships: vec![posts],
            bind_key: None,
            constraints: Vec::new(),
            inheritance: Default::default(),
        },
        ModelDecl {
            name: "Post".into(),
            tablename: None,
            columns: vec![
                id,
                Column::new("title", ColumnType::String(Some(100))),
                user_id,
            ],
            relationships: vec![],
            bind_key: None,
            constraints: Vec::new(),
            inheritance: Default::default(),
        },
    ])
    .unwrap()
}

struct Fixture {
    session: Session,
    statements: Rc<RefCell<Vec<String>>>,
}

fn open(db: &TestDb) -> Fixture {
    let runtime = Runtime::new().unwrap();
    let log = QueryLog::default();
    let statements = Rc::new(RefCell::new(Vec::new()));
    let seen = statements.clone();
    log.subscribe(Box::new(move |q| seen.borrow_mut().push(q.sql.to_string())));
    let url = DatabaseUrl::parse(&db.url, std::path::Path::new("/nonexistent")).unwrap();
    let engine = Engine::connect(&url, &EngineOptions::default(), &runtime, log).unwrap();
    let session = Session::new(Rc::new(blog_registry()), Engines::new(engine, vec![]));
    session.create_all(None).unwrap();
    Fixture {
        session,
        statements,
    }
}

fn text(s: &str) -> Attr {
    Attr::Value(Value::Text(s.into()))
}

fn identity_and_unit_of_work(kind: Kind) {
    let db = TestDb::new(kind);
    let f = open(&db);
    let s = &f.session;
    let user_table = db.quote("user");

    let john = s
        .create("User", vec![("username".into(), text("john"))])
        .unwrap();
    assert_eq!(john.state(), ObjectState::Transient);
    s.add(&john).unwrap();
    assert_eq!(john.state(), ObjectState::Pending);
    let post = s
        .create(
            "Post",
            vec![
                ("title".into(), text("Hello")),
                ("author".into(), Attr::Object(Some(john.clone()))),
            ],
        )
        .unwrap();
    // SQLAlchemy 2.0 cascades nothing along a backref: the post stays out
    // until added.
    assert_eq!(
        post.state(),
        ObjectState::Transient,
        "not in the session through its author's backref"
    );
    s.add(&post).unwrap();

    // Autoflush: the query sees the pending rows; another connection does not.
    let user_mapper = s.registry().get("User").unwrap().clone();
    assert_eq!(s.count(&Query::new(user_mapper.clone())).unwrap(), 1);
    assert_eq!(john.state(), ObjectState::Persistent);
    assert_eq!(
        db.scalar(&format!("SELECT count(*) FROM {user_table}")),
        "0",
        "invisible until commit"
    );
    s.commit().unwrap();
    assert_eq!(
        db.scalar(&format!("SELECT count(*) FROM {user_table}")),
        "1"
    );

    // Identity map: one object per row.
    let pk = john.primary_key().unwrap();
    let got = s.get(&user_mapper, pk.clone()).unwrap().unwrap();
    assert!(got.same(&john));
    let all = s.all(&Query::new(user_mapper.clone())).unwrap();
    assert!(all[0].same(&john));

    // The backref is in step: post.author is john, john.posts holds post.
    let Attr::Collection(posts) = s.attribute(&john, "posts").unwrap() else {
        panic!()
    };
    assert_eq!(posts.len(), 1);
    assert!(posts.get(0).unwrap().same(&post));

    // Dirty tracking: the UPDATE sets only the changed column.
    f.statements.borrow_mut().clear();
    s.set_attribute(&john, "username", text("johnny")).unwrap();
    assert_eq!(s.dirty_objects().len(), 1);
    s.commit().unwrap();
    let updates: Vec<String> = f
        .statements
        .borrow()
        .iter()
        .filter(|q| q.starts_with("UPDATE"))
        .cloned()
        .collect();
    assert_eq!(updates.len(), 1);
    let set_part = updates[0].split(" WHERE ").next().unwrap();
    assert!(
        set_part.contains("username") && !set_part.contains("id"),
        "{}",
        updates[0]
    );
    assert_eq!(
        db.scalar(&format!("SELECT username FROM {user_table}")),
        "johnny"
    );

    // Expired on commit: the next read selects the row again.
    assert!(john.is_expired());
    f.statements.borrow_mut().clear();
    assert!(
        matches!(s.attribute(&john, "username").unwrap(), Attr::Value(Value::Text(t)) if t == "johnny")
    );
    assert_eq!(
        f.statements
            .borrow()
            .iter()
            .filter(|q| q.starts_with("SELECT"))
            .count(),
        1
    );

    // Rollback: pending objects leave, changes are undone.
    let amy = s
        .create("User", vec![("username".into(), text("amy"))])
        .unwrap();
    s.add(&amy).unwrap();
    s.set_attribute(&john, "username", text("changed")).unwrap();
    s.flush().unwrap();
    s.rollback().unwrap();
    assert_eq!(amy.state(), ObjectState::Transient);
    assert!(
        matches!(s.attribute(&john, "username").unwrap(), Attr::Value(Value::Text(t)) if t == "johnny")
    );
    assert_eq!(
        db.scalar(&format!("SELECT count(*) FROM {user_table}")),
        "1"
    );
}

on_every_database!(identity_and_unit_of_work);
