//! The ORM through its Rust API, no binary and no Rhai: models declared as
//! `ModelDecl`s, a `Session` on a `TestDb`'s database, and a recorder of
//! what the engine sends (its query log), for `orm_api` and `flush_sequence`.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use ormsh::app::DatabaseUrl;
use ormsh::engine::{Engine, EngineOptions, QueryLog, Runtime};
use ormsh::orm::TableDecl;
use ormsh::orm::{Attr, Column, Engines, Instance, ModelDecl, Registry, RelationshipDecl, Session};
use ormsh::sql::{ColumnType, Value};

use super::TestDb;

/// `db.Column(name, ty)`.
pub fn column(name: &str, ty: ColumnType) -> Column {
    Column::new(name, ty)
}

/// An integer primary key that numbers itself.
pub fn id() -> Column {
    let mut c = Column::new("id", ColumnType::Integer);
    c.primary_key = true;
    c.nullable = false;
    c
}

/// A `String(n)` column, NOT NULL.
pub fn string(name: &str, n: u32) -> Column {
    let mut c = Column::new(name, ColumnType::String(Some(n)));
    c.nullable = false;
    c
}

/// An integer column with a foreign key to `target` (`table.column`).
pub fn foreign_key(name: &str, target: &str) -> Column {
    let mut c = Column::new(name, ColumnType::Integer);
    c.foreign_key = Some(ormsh::orm::ForeignKey::parse(target).unwrap());
    c
}

/// `db.Model(name, [..])` with the default table name.
pub fn model(name: &str, columns: Vec<Column>, relationships: Vec<RelationshipDecl>) -> ModelDecl {
    ModelDecl {
        name: name.to_string(),
        tablename: None,
        columns,
        relationships,
        bind_key: None,
        constraints: Vec::new(),
        inheritance: Default::default(),
    }
}

/// `db.relationship(name, target, #{ backref: back })`.
pub fn relationship(name: &str, target: &str, back: &str) -> RelationshipDecl {
    let mut r = RelationshipDecl::new(name, target);
    r.backref = Some((back.to_string(), Box::new(RelationshipDecl::new(back, ""))));
    r
}

/// The models both files use: a user's posts (deleted with the user), the
/// posts' tags through `post_tag`, and a tree of nodes (a node's children
/// and, by `remote_side`, its parent).
pub fn blog_registry() -> Registry {
    let mut posts = relationship("posts", "Post", "author");
    posts.cascade_delete = true;
    posts.order_by = vec![("Post.id".into(), false)];
    let mut tags = relationship("tags", "Tag", "posts");
    tags.secondary = Some("post_tag".into());
    let mut children = RelationshipDecl::new("children", "Node");
    let mut parent = RelationshipDecl::new("parent", "");
    parent.remote_side = vec!["Node.id".into()];
    children.backref = Some(("parent".into(), Box::new(parent)));
    children.order_by = vec![("Node.id".into(), false)];
    let mut tag_name = string("name", 50);
    tag_name.unique = true;
    let mut username = string("username", 80);
    username.unique = true;
    let post_tag = TableDecl {
        name: "post_tag".into(),
        columns: ["post_id", "tag_id"]
            .into_iter()
            .map(|name| {
                let table = name.trim_end_matches("_id");
                let mut c = foreign_key(name, &format!("{table}.id"));
                c.primary_key = true;
                c.nullable = false;
                c
            })
            .collect(),
        constraints: Vec::new(),
        bind_key: None,
    };
    Registry::build_with_tables(
        vec![
            model("User", vec![id(), username], vec![posts]),
            model(
                "Post",
                vec![
                    id(),
                    string("title", 100),
                    foreign_key("user_id", "user.id"),
                ],
                vec![tags],
            ),
            model("Tag", vec![id(), tag_name], vec![]),
            model(
                "Node",
                vec![
                    id(),
                    string("name", 40),
                    foreign_key("parent_id", "node.id"),
                ],
                vec![children],
            ),
        ],
        vec![post_tag],
    )
    .unwrap()
}

/// One statement as the engine sent it.
#[derive(Debug, Clone, PartialEq)]
pub struct Sent {
    pub sql: String,
    pub params: Vec<Value>,
}

/// What the engine sends while recording is on (the query log's listener).
#[derive(Clone, Default)]
pub struct Recorder {
    on: Rc<Cell<bool>>,
    sent: Rc<RefCell<Vec<Sent>>>,
}

impl Recorder {
    fn listen(&self, log: &QueryLog) {
        let on = self.on.clone();
        let sent = self.sent.clone();
        log.subscribe(Box::new(move |q| {
            if on.get() {
                sent.borrow_mut().push(Sent {
                    sql: q.sql.to_string(),
                    params: q.params(),
                });
            }
        }));
    }

    /// Start recording afresh.
    pub fn start(&self) {
        self.sent.borrow_mut().clear();
        self.on.set(true);
    }

    /// Stop, and what was sent since `start`.
    pub fn stop(&self) -> Vec<Sent> {
        self.on.set(false);
        std::mem::take(&mut *self.sent.borrow_mut())
    }
}

/// A session on `db` over `registry`, with a recorder on its engine's log.
pub fn open_session(db: &TestDb, registry: Registry) -> (Session, Recorder) {
    let url = DatabaseUrl::parse(&db.url, std::path::Path::new(".")).unwrap();
    let runtime = Runtime::new().unwrap();
    let log = QueryLog::default();
    let recorder = Recorder::default();
    recorder.listen(&log);
    let engine = Engine::connect(&url, &EngineOptions::default(), &runtime, log).unwrap();
    let session = Session::new(Rc::new(registry), Engines::new(engine, vec![]));
    (session, recorder)
}

/// A text value, as `Attr`.
pub fn text(s: &str) -> Attr {
    Attr::Value(Value::Text(s.to_string()))
}

/// `Model(#{ name: value, .. })`.
pub fn create(session: &Session, model: &str, attributes: &[(&str, Attr)]) -> Instance {
    session
        .create(
            model,
            attributes
                .iter()
                .map(|(name, value)| (name.to_string(), value.clone()))
                .collect(),
        )
        .unwrap()
}

/// `obj.name` as a column value.
pub fn value(session: &Session, obj: &Instance, name: &str) -> Value {
    match session.attribute(obj, name).unwrap() {
        Attr::Value(v) => v,
        other => panic!("{name} is not a column: {other:?}"),
    }
}

/// `obj.name` as a collection's objects.
pub fn items(session: &Session, obj: &Instance, name: &str) -> Vec<Instance> {
    match session.attribute(obj, name).unwrap() {
        Attr::Collection(c) => c.items(),
        other => panic!("{name} is not a collection: {other:?}"),
    }
}

/// `obj.name` as one related object.
pub fn object(session: &Session, obj: &Instance, name: &str) -> Option<Instance> {
    match session.attribute(obj, name).unwrap() {
        Attr::Object(o) => o,
        other => panic!("{name} is not one object: {other:?}"),
    }
}

/// `owner.name.append(item)`.
pub fn append(session: &Session, owner: &Instance, name: &str, item: &Instance) {
    let rel = owner.mapper().relationship_index(name).unwrap();
    session.collection_append(owner, rel, item).unwrap();
}

/// `owner.name.remove(item)`.
pub fn remove(session: &Session, owner: &Instance, name: &str, item: &Instance) {
    let rel = owner.mapper().relationship_index(name).unwrap();
    session.collection_remove(owner, rel, item).unwrap();
}
