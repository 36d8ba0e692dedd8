//! Guards on destructive calls: in a script or `-c` they need
//! `#{ confirm: true }` or `--yes`; at the prompt they ask, and "n" keeps
//! everything. Rows read back independently.

use crate::common::{BLOG_MODELS, Kind, Project, TestDb};

fn seeded() -> (TestDb, Project) {
    let db = TestDb::new(Kind::Sqlite);
    let project = Project::new(&db.url, BLOG_MODELS);
    project.run_ok(
        r#"db.create_all();
        let u = User(#{ username: "amy", email: "amy@x" });
        db.session.add(Post(#{ title: "t", content: "c", author: u }));"#,
    );
    (db, project)
}

#[test]
fn scripts_need_confirm_or_yes() {
    let (db, project) = seeded();
    for call in [
        "db.drop_all()",
        "Post.query.delete()",
        "User.query.update(#{ email: \"x@x\" })",
        "db.execute(\"DELETE FROM post\")",
        "db.session.execute(\"UPDATE user SET email = 'x'\")",
    ] {
        let out = project.ormsh().args(["-c", call]).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{call}: {stderr}");
        assert!(
            stderr.contains("not confirmed") && stderr.contains("--yes"),
            "{call}: {stderr}"
        );
    }
    assert_eq!(db.scalar("SELECT count(*) FROM post"), "1");
    assert_eq!(db.scalar("SELECT email FROM user"), "amy@x");

    project
        .ormsh()
        .args([
            "-c",
            "Post.query.delete(#{ confirm: true }); db.session.commit()",
        ])
        .assert()
        .success();
    assert_eq!(db.scalar("SELECT count(*) FROM post"), "0");
    project
        .ormsh()
        .args([
            "--yes",
            "-c",
            "db.execute(\"UPDATE user SET email = 'y@x'\"); db.session.commit()",
        ])
        .assert()
        .success();
    assert_eq!(db.scalar("SELECT email FROM user"), "y@x");
    project
        .ormsh()
        .args(["-y", "-c", "db.drop_all()"])
        .assert()
        .success();
    assert!(!db.has_table("user"));
}

#[test]
fn the_prompt_asks() {
    let (db, project) = seeded();
    let out = project
        .ormsh()
        .arg("shell")
        .write_stdin("db.execute(\"DELETE FROM post\")\nn\ndb.drop_all()\nn\nPost.query.delete()\ny\ndb.session.commit()\n")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("this DELETE has no WHERE"), "{stderr}");
    assert!(stderr.contains("drops every table"), "{stderr}");
    assert!(db.has_table("user"));
    assert_eq!(db.scalar("SELECT count(*) FROM post"), "0", "{stderr}");
}
