//! A follow graph: a many-to-many from a model to itself through one
//! association table, declared as the Flask mega-tutorial declares it
//! (`back_populates` on both sides, each with its `primaryjoin` and
//! `secondaryjoin`). Each side answers its own way round, before and after
//! a commit, and the rows land as (follower, followed); declared without
//! saying which key is which side, the models file is refused, not guessed.

use crate::common::{Kind, Project, TestDb};

const MODELS: &str = r#"
db.Table("followers", [
    db.Column("follower_id", db.Integer, db.ForeignKey("user.id"), #{ primary_key: true }),
    db.Column("followed_id", db.Integer, db.ForeignKey("user.id"), #{ primary_key: true }),
]);
db.Model("User", [
    db.Column("id", db.Integer, #{ primary_key: true }),
    db.Column("username", db.String(40), #{ nullable: false }),
    db.relationship("following", "User", #{ secondary: "followers",
        primaryjoin: "followers.c.follower_id == User.id",
        secondaryjoin: "followers.c.followed_id == User.id",
        back_populates: "followers" }),
    db.relationship("followers", "User", #{ secondary: "followers",
        primaryjoin: "followers.c.followed_id == User.id",
        secondaryjoin: "followers.c.follower_id == User.id",
        back_populates: "following" }),
]);
"#;

const QUESTIONS: &str = r#"
fn names(users) { let out = []; for u in users { out.push(u.username); } out.sort(); out }
let ann = User.query.filter_by(#{ username: "ann" }).one();
let bob = User.query.filter_by(#{ username: "bob" }).one();
print(names(ann.following)); print(names(ann.followers));
print(names(bob.following)); print(names(bob.followers));
"#;

fn follow_graph_answers_both_ways(kind: Kind) {
    let db = TestDb::new(kind);
    let project = Project::new(&db.url, MODELS);
    // Before the commit: the collections in memory.
    let (out, _) = project.run_ok(
        r#"db.create_all();
let ann = User(#{ username: "ann" }); let bob = User(#{ username: "bob" }); let cy = User(#{ username: "cy" });
db.session.add_all([ann, bob, cy]);
ann.following.append(bob);
cy.following.append(bob);
ann.following.append(cy);
db.session.flush();
fn names(users) { let out = []; for u in users { out.push(u.username); } out.sort(); out }
print(names(ann.following)); print(names(bob.followers));"#,
    );
    assert_eq!(out, "[\"bob\", \"cy\"]\n[\"ann\", \"cy\"]\n", "{kind:?}");
    // After it: read back from the rows.
    let (out, _) = project.run_ok(QUESTIONS);
    assert_eq!(
        out, "[\"bob\", \"cy\"]\n[]\n[]\n[\"ann\", \"cy\"]\n",
        "{kind:?}"
    );
    let rows =
        db.rows("SELECT follower_id, followed_id FROM followers ORDER BY follower_id, followed_id");
    assert_eq!(
        rows,
        [["1", "2"], ["1", "3"], ["3", "2"]]
            .map(|r| r.map(String::from).to_vec())
            .to_vec(),
        "{kind:?}: rows are (follower, followed)"
    );
    // The dump names the keys, and reloads to the same answers.
    let dump = project.ormsh().args(["models", "dump"]).output().unwrap();
    let dump = String::from_utf8_lossy(&dump.stdout).to_string();
    assert!(dump.contains("primaryjoin: \"followers.c."), "{dump}");
    let reloaded = Project::new(&db.url, &dump);
    let (again, _) = reloaded.run_ok(QUESTIONS);
    assert_eq!(
        again, "[\"bob\", \"cy\"]\n[]\n[]\n[\"ann\", \"cy\"]\n",
        "{kind:?}\n{dump}"
    );
}

on_every_database!(follow_graph_answers_both_ways);

#[test]
fn a_self_referential_table_without_its_joins_is_refused() {
    let db = TestDb::new(Kind::Sqlite);
    let models = MODELS
        .replace("primaryjoin: \"followers.c.follower_id == User.id\",", "")
        .replace("primaryjoin: \"followers.c.followed_id == User.id\",", "");
    let project = Project::new(&db.url, &models);
    let out = project.ormsh().args(["-c", "1"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("models.rhai")
            && stderr.contains("User.following: the table `followers` links User to itself")
            && stderr.contains("primaryjoin"),
        "{stderr}"
    );
}
