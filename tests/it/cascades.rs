//! Cascades: `all, delete-orphan` deletes children with their parent and
//! when taken out of the collection; without it a NOT NULL child key makes
//! the delete refuse before any SQL; a nullable one is cleared.

use crate::common::{BLOG_MODELS, Kind, Project, TestDb};

fn cascades(kind: Kind) {
    let db = TestDb::new(kind);
    let cascading =
        BLOG_MODELS.replace("lazy: true", "lazy: true, cascade: \"all, delete-orphan\"");
    let project = Project::new(&db.url, &cascading);
    project.run_ok(
        r#"db.create_all();
        for n in ["a", "b"] {
            let u = User(#{ username: n, email: `${n}@x` });
            for i in 0..3 { db.session.add(Post(#{ title: `${n}${i}`, content: "c", author: u })); }
        }"#,
    );
    let post = db.quote("post");
    project
        .run_ok(r#"let a = User.query.filter_by(#{ username: "a" }).one(); db.session.delete(a);"#);
    assert_eq!(
        db.scalar(&format!("SELECT count(*) FROM {post}")),
        "3",
        "{kind:?}: a's posts went with a"
    );
    project.run_ok(
        r#"let b = User.query.filter_by(#{ username: "b" }).one(); b.posts.remove(b.posts[0]);"#,
    );
    assert_eq!(
        db.scalar(&format!("SELECT count(*) FROM {post}")),
        "2",
        "{kind:?}: the orphan was deleted"
    );

    // Without a cascade, a NOT NULL user_id refuses the delete, naming why.
    let plain = Project::new(&db.url, BLOG_MODELS);
    let script = plain.file(
        "del.rhai",
        r#"db.session.delete(User.query.filter_by(#{ username: "b" }).one()); db.session.commit();"#,
    );
    let out = plain
        .ormsh()
        .arg("--echo")
        .arg("run")
        .arg(&script)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        err.contains("would leave <Post")
            && err.contains("without its author (NOT NULL post.user_id)"),
        "{err}"
    );
    assert!(
        !err.contains("DELETE FROM"),
        "refused before any SQL: {err}"
    );
    assert_eq!(db.scalar(&format!("SELECT count(*) FROM {post}")), "2");
}

on_every_database!(cascades);
