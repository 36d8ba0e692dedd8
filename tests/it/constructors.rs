//! `Model(#{..})` as SQLAlchemy 2.0's constructor: an object related to one
//! in the session through its backref stays transient (2.0 cascades nothing
//! along a backref), a flush leaves it out and says so, as SQLAlchemy warns;
//! an unknown keyword names the model, the key and the nearest attribute.

use crate::common::{Kind, Project, TestDb};

const MODELS: &str = r#"
db.Model("User", [
    db.Column("id", db.Integer, #{ primary_key: true }),
    db.Column("name", db.String(40)),
    db.relationship("posts", "Post", #{ backref: "author" }),
]);
db.Model("Post", [
    db.Column("id", db.Integer, #{ primary_key: true }),
    db.Column("title", db.String(40)),
    db.Column("user_id", db.Integer, db.ForeignKey("user.id")),
    db.relationship("tags", "Tag", #{ secondary: "post_tag", backref: "posts" }),
]);
db.Table("post_tag", [
    db.Column("post_id", db.Integer, db.ForeignKey("post.id"), #{ primary_key: true }),
    db.Column("tag_id", db.Integer, db.ForeignKey("tag.id"), #{ primary_key: true }),
]);
db.Model("Tag", [
    db.Column("id", db.Integer, #{ primary_key: true }),
    db.Column("name", db.String(40)),
]);
"#;

fn backref_leaves_the_new_object_transient(kind: Kind) {
    let db = TestDb::new(kind);
    let project = Project::new(&db.url, MODELS);
    let (out, err) = project.ok(&[
        "--no-echo",
        "-c",
        r#"db.create_all();
           let u = User(#{ name: "ann" });
           db.session.add(u);
           let p = Post(#{ title: "left out", author: u });
           print(`${p.state().state} ${db.session.new.len()} ${u.posts.len()}`);
           db.session.commit();
           let q = Post(#{ title: "added" });
           u.posts.append(q);
           print(`${q.state().state}`);
           db.session.commit();
           let t = Tag(#{ name: "left out too" });
           t.posts.append(q);
           db.session.commit();"#,
    ]);
    assert!(out.contains("transient 1 1"), "{kind:?}: {out}\n{err}");
    // Along the relationship written (not a backref) the cascade holds.
    assert!(out.contains("pending"), "{kind:?}: {out}\n{err}");
    assert!(
        err.contains("is in User.posts but not in the session, so it was not inserted"),
        "{kind:?}: {err}"
    );
    // Many-to-many alike: no association row for a tag left out.
    assert!(
        err.contains("is in Post.tags but not in the session"),
        "{kind:?}: {err}"
    );
    assert_eq!(db.scalar("SELECT COUNT(*) FROM post_tag"), "0", "{kind:?}");
    assert_eq!(
        db.rows("SELECT title FROM post ORDER BY id"),
        vec![vec!["added"]],
        "{kind:?}"
    );
    // Added by hand, it is written with its author.
    project.ok(&[
        "--no-echo",
        "-c",
        r#"let u = User.query.first(); let p = Post(#{ title: "by hand", author: u }); db.session.add(p); db.session.commit();"#,
    ]);
    assert_eq!(
        db.scalar("SELECT user_id FROM post WHERE title = 'by hand'"),
        "1",
        "{kind:?}"
    );
}
on_every_database!(backref_leaves_the_new_object_transient);

#[test]
fn an_unknown_keyword_names_the_model_and_the_nearest_column() {
    let db = TestDb::new(Kind::Sqlite);
    let project = Project::new(&db.url, MODELS);
    let out = project
        .ormsh()
        .args(["-c", r#"Post(#{ titel: "x" })"#])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        err.contains("Post has no attribute `titel` (did you mean `title`?)"),
        "{err}"
    );
}
