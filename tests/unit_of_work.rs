//! Session edge cases: a flushed delete rolled back comes back, a delete
//! undone by add() before the flush, a joined collection under one(), a
//! failed statement on MySQL/SQLite keeps the work, bulk statements refuse
//! what they cannot express.

mod common;

use common::{BLOG_MODELS, Kind, Project, TestDb};

fn edges(kind: Kind) {
    let db = TestDb::new(kind);
    let project = Project::new(&db.url, BLOG_MODELS);
    project.run_ok(
        r#"db.create_all();
        let u = User(#{ username: "amy", email: "amy@x" });
        for i in 0..3 { db.session.add(Post(#{ title: `p${i}`, content: "c", author: u })); }"#,
    );
    let (out, _) = project.run_ok(
        r#"let p = Post.query.first();
        db.session.delete(p);
        db.session.flush();
        print(Post.query.count());
        db.session.rollback();
        print(Post.query.count());
        print(db.inspect(p).state);
        print(p == Post.query.get(p.id));
        let q = Post.query.first();
        db.session.delete(q);
        db.session.add(q);
        db.session.flush();
        print(Post.query.count());
        print(User.query.options(joinedload(User.posts)).one().posts.len());"#,
    );
    assert_eq!(out, "2\n3\npersistent\ntrue\n3\n3\n", "{kind:?}");
    for (script, message) in [
        (
            "User.query.having(func.count(User.id) > 5).delete()",
            "a bulk delete takes filters only",
        ),
        (
            "User.query.filter(User.id > 0).update(#{})",
            "needs at least one column",
        ),
    ] {
        let out = project.ormsh().arg("-c").arg(script).output().unwrap();
        assert!(
            String::from_utf8_lossy(&out.stderr).contains(message),
            "{kind:?} {script}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert_eq!(
        db.scalar(&format!("SELECT count(*) FROM {}", db.quote("post"))),
        "3"
    );
}

on_every_database!(edges);
