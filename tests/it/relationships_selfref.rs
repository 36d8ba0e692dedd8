//! Relationships whose join the foreign keys alone do not settle, declared
//! as SQLAlchemy declares them, answered right on every database: the
//! Mega-Tutorial's follow graph (a many-to-many from User to itself through
//! `followers`) in both of its spellings (`back_populates` with
//! `primaryjoin`/`secondaryjoin`, and Flask-SQLAlchemy 2's `backref` with
//! `lazy: "dynamic"`), before and after commit, in a fresh process, eagerly
//! loaded, removed from, and read back through a separate connection; an
//! adjacency list (`parent`/`children`) and two foreign keys to one model
//! (`sender`/`recipient`); and the same graph built by Flask-SQLAlchemy.
//! The refusals are `relationship_refusals.rs`'s.

use crate::common::python::{peer_python, run_python, sqlalchemy_url};
use crate::common::{Kind, Project, TestDb};

const FOLLOWERS_TABLE: &str = r#"
db.Table("followers", [
    db.Column("follower_id", db.Integer, db.ForeignKey("user.id"), #{ primary_key: true }),
    db.Column("followed_id", db.Integer, db.ForeignKey("user.id"), #{ primary_key: true }),
]);
"#;

/// SQLAlchemy 2's spelling: two relationships, each other's back_populates.
const BACK_POPULATES: &str = r#"
db.Model("User", [
    db.Column("id", db.Integer, #{ primary_key: true }),
    db.Column("username", db.String(40), #{ nullable: false }),
    db.relationship("following", "User", #{ secondary: "followers",
        primaryjoin: "followers.c.follower_id == User.id",
        secondaryjoin: "followers.c.followed_id == User.id",
        back_populates: "followers" }),
    db.relationship("followers", "User", #{ secondary: "followers",
        primaryjoin: "User.id == followers.c.followed_id",
        secondaryjoin: "and_(followers.c.follower_id == User.id)",
        back_populates: "following" }),
]);
"#;

/// Flask-SQLAlchemy 2's: one relationship and a dynamic backref.
const DYNAMIC_BACKREF: &str = r#"
db.Model("User", [
    db.Column("id", db.Integer, #{ primary_key: true }),
    db.Column("username", db.String(40), #{ nullable: false }),
    db.relationship("followed", "User", #{ secondary: "followers",
        primaryjoin: "foreign(followers.c.follower_id) == User.id",
        secondaryjoin: "followers.c.followed_id == User.id",
        backref: db.backref("followers", #{ lazy: "dynamic" }), lazy: "dynamic" }),
]);
"#;

/// Each user's two directions, one line each, names sorted.
const GRAPH: &str = r#"
fn names(xs) { let out = []; for u in xs { out.push(u.username); } out.sort(); let s = ""; for n in out { if s != "" { s += ","; } s += n; } "[" + s + "]" }
fn graph(users) { for u in users { print(u.username + " following " + names(u.following) + " followers " + names(u.followers)); } }
fn users() { [User.query.filter_by(#{ username: "ann" }).one(), User.query.filter_by(#{ username: "bob" }).one(), User.query.filter_by(#{ username: "carol" }).one()] }
"#;

/// ann follows bob, bob follows carol.
const ANSWER: &str = "ann following [bob] followers []\nbob following [carol] followers [ann]\ncarol following [] followers [bob]\n";

fn follow_rows(db: &TestDb) -> Vec<Vec<String>> {
    let user = db.quote("user");
    db.rows(&format!(
        "SELECT a.username, b.username FROM followers f JOIN {user} a ON a.id = f.follower_id JOIN {user} b ON b.id = f.followed_id ORDER BY 1, 2"
    ))
}

fn pairs(rows: &[[&str; 2]]) -> Vec<Vec<String>> {
    rows.iter()
        .map(|r| r.iter().map(|s| s.to_string()).collect())
        .collect()
}

fn follow_graph_with_back_populates(kind: Kind) {
    let db = TestDb::new(kind);
    let project = Project::new(&db.url, &format!("{FOLLOWERS_TABLE}{BACK_POPULATES}"));
    // New objects: each side shows the follow before any flush, and after the commit.
    let (out, _) = project.run_ok(&format!(
        r#"{GRAPH}
db.create_all();
let ann = User(#{{ username: "ann" }}); let bob = User(#{{ username: "bob" }}); let carol = User(#{{ username: "carol" }});
db.session.add_all([ann, bob, carol]);
ann.following.append(bob);
bob.following.append(carol);
graph([ann, bob, carol]);
db.session.commit();
graph([ann, bob, carol]);"#
    ));
    assert_eq!(out, format!("{ANSWER}{ANSWER}"), "{kind:?}");
    assert_eq!(
        follow_rows(&db),
        pairs(&[["ann", "bob"], ["bob", "carol"]]),
        "{kind:?}"
    );
    // A fresh process: lazily, joined, select-in.
    let (out, _) = project.run_ok(&format!("{GRAPH}\ngraph(users());"));
    assert_eq!(out, ANSWER, "{kind:?}");
    let (out, echo) = project.run_ok(&format!(
        "{GRAPH}\ngraph(User.query.options(joinedload(User.following), joinedload(User.followers)).order_by(User.username).all());"
    ));
    assert_eq!(out, ANSWER, "{kind:?}");
    assert_eq!(
        echo.matches("SELECT").count(),
        1,
        "{kind:?}: one statement\n{echo}"
    );
    let (out, echo) = project.run_ok(&format!(
        "{GRAPH}\ngraph(User.query.options(selectinload(User.following), selectinload(User.followers)).order_by(User.username).all());"
    ));
    assert_eq!(out, ANSWER, "{kind:?}");
    assert_eq!(
        echo.matches("SELECT").count(),
        3,
        "{kind:?}: three statements\n{echo}"
    );
    // Persistent objects, their collections not yet loaded: a remove and an
    // append show on both sides before the flush, and write exactly their rows.
    let changed = "ann following [] followers [carol]\nbob following [carol] followers []\ncarol following [ann] followers [bob]\n";
    let (out, _) = project.run_ok(&format!(
        r#"{GRAPH}
let u = users(); let ann = u[0]; let bob = u[1]; let carol = u[2];
ann.following.remove(bob);
carol.following.append(ann);
graph(u);"#
    ));
    assert_eq!(out, changed, "{kind:?}");
    assert_eq!(
        follow_rows(&db),
        pairs(&[["bob", "carol"], ["carol", "ann"]]),
        "{kind:?}"
    );
    let (out, _) = project.run_ok(&format!("{GRAPH}\ngraph(users());"));
    assert_eq!(out, changed, "{kind:?}");
}

on_every_database!(follow_graph_with_back_populates);

fn follow_graph_with_dynamic_backref(kind: Kind) {
    let db = TestDb::new(kind);
    let project = Project::new(&db.url, &format!("{FOLLOWERS_TABLE}{DYNAMIC_BACKREF}"));
    let graph = GRAPH
        .replace("names(u.following)", "names(u.followed.all())")
        .replace("names(u.followers)", "names(u.followers.all())");
    let counts = r#"print(`${ann.followed.count()} ${ann.followers.count()} ${bob.followed.count()} ${bob.followers.count()} ${bob.followers.filter_by(#{ username: "ann" }).count()} ${ann.followed.filter(User.username == "bob").count()}`);"#;
    let (out, _) = project.run_ok(&format!(
        r#"{graph}
db.create_all();
let ann = User(#{{ username: "ann" }}); let bob = User(#{{ username: "bob" }}); let carol = User(#{{ username: "carol" }});
db.session.add_all([ann, bob, carol]);
ann.followed.append(bob);
bob.followed.append(carol);
{counts}
graph([ann, bob, carol]);"#
    ));
    assert_eq!(out, format!("1 0 1 1 1 1\n{ANSWER}"), "{kind:?}");
    assert_eq!(
        follow_rows(&db),
        pairs(&[["ann", "bob"], ["bob", "carol"]]),
        "{kind:?}"
    );
    let (out, _) = project.run_ok(&format!(
        "{graph}\nlet u = users(); let ann = u[0]; let bob = u[1];\n{counts}\ngraph(u);"
    ));
    assert_eq!(out, format!("1 0 1 1 1 1\n{ANSWER}"), "{kind:?}");
    // Remove: the one row goes; a user ann does not follow is refused.
    let (out, _) = project.run_ok(&format!(
        r#"{graph}
let u = users(); let ann = u[0]; let bob = u[1]; let carol = u[2];
ann.followed.remove(bob);
{counts}
try {{ ann.followed.remove(carol); }} catch (e) {{ print(e); }}"#
    ));
    assert_eq!(
        out, "0 0 1 0 0 0\n<User 3> is not in <User 1>.followed\n",
        "{kind:?}"
    );
    assert_eq!(follow_rows(&db), pairs(&[["bob", "carol"]]), "{kind:?}");
}

on_every_database!(follow_graph_with_dynamic_backref);

const TREE_AND_MESSAGES: &str = r#"
db.Model("Node", [
    db.Column("id", db.Integer, #{ primary_key: true }),
    db.Column("name", db.String(40), #{ nullable: false }),
    db.Column("parent_id", db.Integer, db.ForeignKey("node.id")),
    db.relationship("parent", "Node", #{ primaryjoin: "Node.parent_id == remote(Node.id)", back_populates: "children" }),
    db.relationship("children", "Node", #{ back_populates: "parent", order_by: "Node.name" }),
]);
db.Model("User", [
    db.Column("id", db.Integer, #{ primary_key: true }),
    db.Column("username", db.String(40), #{ nullable: false }),
    db.relationship("sent", "Message", #{ foreign_keys: "[Message.sender_id]", back_populates: "sender" }),
    db.relationship("received", "Message", #{ primaryjoin: "User.id == Message.recipient_id", back_populates: "recipient" }),
]);
db.Model("Message", [
    db.Column("id", db.Integer, #{ primary_key: true }),
    db.Column("body", db.String(40), #{ nullable: false }),
    db.Column("sender_id", db.Integer, db.ForeignKey("user.id")),
    db.Column("recipient_id", db.Integer, db.ForeignKey("user.id")),
    db.relationship("sender", "User", #{ foreign_keys: ["sender_id"], back_populates: "sent" }),
    db.relationship("recipient", "User", #{ primaryjoin: "foreign(Message.recipient_id) == User.id", back_populates: "received" }),
]);
"#;

const TREE_QUESTIONS: &str = r#"
fn bodies(ms) { let out = []; for m in ms { out.push(m.body); } out.sort(); out }
fn tree(nodes) { for n in nodes { let kids = []; for c in n.children { kids.push(c.name); } let p = if n.parent == () { "-" } else { n.parent.name }; print(`${n.name} < ${p} > ${kids}`); } }
fn mail(users) { for u in users { print(`${u.username} sent ${bodies(u.sent)} received ${bodies(u.received)}`); } }
"#;

const TREE_ANSWER: &str = "root < - > [\"a\", \"b\"]\na < root > []\nb < root > []\nann sent [\"hi\", \"re\"] received []\nbob sent [] received [\"hi\", \"re\"]\n";

fn adjacency_list_and_two_foreign_keys(kind: Kind) {
    let db = TestDb::new(kind);
    let project = Project::new(&db.url, TREE_AND_MESSAGES);
    let (out, _) = project.run_ok(&format!(
        r#"{TREE_QUESTIONS}
db.create_all();
let root = Node(#{{ name: "root" }}); let a = Node(#{{ name: "a", parent: root }}); let b = Node(#{{ name: "b" }});
root.children.append(b);
let ann = User(#{{ username: "ann" }}); let bob = User(#{{ username: "bob" }});
db.session.add_all([root, ann, bob, Message(#{{ body: "hi", sender: ann, recipient: bob }})]);
ann.sent.append(Message(#{{ body: "re", recipient: bob }}));
tree([root, a, b]); mail([ann, bob]);
db.session.commit();
tree([root, a, b]); mail([ann, bob]);"#
    ));
    assert_eq!(out, format!("{TREE_ANSWER}{TREE_ANSWER}"), "{kind:?}");
    let node = db.quote("node");
    let user = db.quote("user");
    assert_eq!(
        db.rows(&format!("SELECT n.name, p.name FROM {node} n LEFT JOIN {node} p ON p.id = n.parent_id ORDER BY n.name")),
        [["a", "root"], ["b", "root"], ["root", "NULL"]].map(|r| r.map(String::from).to_vec()).to_vec(),
        "{kind:?}"
    );
    assert_eq!(
        db.rows(&format!("SELECT m.body, s.username, r.username FROM message m JOIN {user} s ON s.id = m.sender_id JOIN {user} r ON r.id = m.recipient_id ORDER BY m.body")),
        [["hi", "ann", "bob"], ["re", "ann", "bob"]].map(|r| r.map(String::from).to_vec()).to_vec(),
        "{kind:?}"
    );
    let fresh = r#"
let nodes = Node.query.options(joinedload(Node.children), joinedload(Node.parent)).order_by(Node.id).all();
tree(nodes);
mail(User.query.options(selectinload(User.sent), joinedload(User.received)).order_by(User.id).all());"#;
    let (out, _) = project.run_ok(&format!("{TREE_QUESTIONS}{fresh}"));
    assert_eq!(out, TREE_ANSWER, "{kind:?}");
    // `models dump` says each join, and reloads to the same answers.
    let (dump, _) = project.ok(&["models", "dump"]);
    let reloaded = Project::new(&db.url, &dump);
    let (again, _) = reloaded.run_ok(&format!("{TREE_QUESTIONS}{fresh}"));
    assert_eq!(again, TREE_ANSWER, "{kind:?}\n{dump}");
}

on_every_database!(adjacency_list_and_two_foreign_keys);

/// Flask-SQLAlchemy's own follow graph, as the Mega-Tutorial declares it.
const PEER: &str = r#"
import sys
from flask import Flask
from flask_sqlalchemy import SQLAlchemy
import sqlalchemy as sa
import sqlalchemy.orm as so

app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = URL
db = SQLAlchemy(app)

followers = sa.Table("followers", db.metadata,
    sa.Column("follower_id", sa.Integer, sa.ForeignKey("user.id"), primary_key=True),
    sa.Column("followed_id", sa.Integer, sa.ForeignKey("user.id"), primary_key=True))

class User(db.Model):
    id = sa.Column(sa.Integer, primary_key=True)
    username = sa.Column(sa.String(40), nullable=False)
    following = so.relationship("User", secondary=followers,
        primaryjoin=(followers.c.follower_id == id),
        secondaryjoin=(followers.c.followed_id == id),
        back_populates="followers")
    followers = so.relationship("User", secondary=followers,
        primaryjoin=(followers.c.followed_id == id),
        secondaryjoin=(followers.c.follower_id == id),
        back_populates="following")

def names(xs): return "[" + ",".join(sorted(u.username for u in xs)) + "]"
def graph(users):
    for u in users:
        print(u.username + " following " + names(u.following) + " followers " + names(u.followers))
"#;

/// Flask-SQLAlchemy builds the graph in one database and ormsh in another:
/// the association rows are the same; each reads the other's graph and
/// gives the same answers in both directions.
fn same_follow_graph_as_flask_sqlalchemy(kind: Kind) {
    let Some(python) = peer_python() else {
        return;
    };
    let theirs = TestDb::new(kind);
    let ours = TestDb::new(kind);
    let models = format!("{FOLLOWERS_TABLE}{BACK_POPULATES}");
    let peer_project = Project::new(&theirs.url, &models);
    let peer = |url: &str, body: &str| {
        format!(
            "URL = {:?}\n{PEER}\nwith app.app_context():\n{body}",
            sqlalchemy_url(url)
        )
    };
    let built = run_python(
        &python,
        peer_project.path(),
        &peer(
            &theirs.url,
            r#"    db.create_all()
    ann, bob, carol = User(username="ann"), User(username="bob"), User(username="carol")
    db.session.add_all([ann, bob, carol])
    ann.following.append(bob)
    bob.following.append(carol)
    graph([ann, bob, carol])
    db.session.commit()
"#,
        ),
    );
    assert_eq!(
        built, ANSWER,
        "{kind:?}: Flask-SQLAlchemy before its commit"
    );
    let project = Project::new(&ours.url, &models);
    project.run_ok(
        r#"db.create_all();
let ann = User(#{ username: "ann" }); let bob = User(#{ username: "bob" }); let carol = User(#{ username: "carol" });
db.session.add_all([ann, bob, carol]);
ann.following.append(bob);
bob.following.append(carol);"#,
    );
    assert_eq!(follow_rows(&ours), follow_rows(&theirs), "{kind:?}");
    let read_back = r#"    graph([User.query.filter_by(username=n).one() for n in ["ann", "bob", "carol"]])
"#;
    assert_eq!(
        run_python(&python, project.path(), &peer(&ours.url, read_back)),
        ANSWER,
        "{kind:?}: Flask-SQLAlchemy reads ormsh's graph"
    );
    let (out, _) = peer_project.run_ok(&format!("{GRAPH}\ngraph(users());"));
    assert_eq!(
        out, ANSWER,
        "{kind:?}: ormsh reads Flask-SQLAlchemy's graph"
    );
}

on_every_database!(same_follow_graph_as_flask_sqlalchemy);
