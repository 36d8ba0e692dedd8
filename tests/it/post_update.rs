//! Two tables that refer to each other: `post_update` inserts both rows and
//! sets the closing key with an UPDATE, clears it before deleting, and
//! create_all/drop_all order the DDL; without it the flush is refused
//! before any SQL.

use crate::common::{Kind, Project, TestDb};

const MODELS: &str = r#"
db.Model("User", [
    db.Column("id", db.Integer, #{ primary_key: true }),
    db.Column("name", db.String(50), #{ nullable: false }),
    db.Column("favorite_post_id", db.Integer, db.ForeignKey("post.id")),
    db.relationship("favorite_post", "Post", #{ foreign_keys: ["favorite_post_id"], post_update: true }),
    db.relationship("posts", "Post", #{ foreign_keys: ["user_id"], backref: "author" }),
]);
db.Model("Post", [
    db.Column("id", db.Integer, #{ primary_key: true }),
    db.Column("title", db.String(50), #{ nullable: false }),
    db.Column("user_id", db.Integer, db.ForeignKey("user.id")),
]);
"#;

fn post_update(kind: Kind) {
    let db = TestDb::new(kind);
    let project = Project::new(&db.url, MODELS);
    let (_, echo) = project.run_ok(
        r#"db.create_all();
        let u = User(#{ name: "amy" });
        let p = Post(#{ title: "hello", author: u });
        u.favorite_post = p;
        db.session.add(u);
        db.session.commit();"#,
    );
    let writes: Vec<&str> = echo
        .lines()
        .filter(|l| l.starts_with("INSERT") || l.starts_with("UPDATE"))
        .map(|l| l.split(' ').take(3).collect::<Vec<_>>().join(" "))
        // How each database quotes `user` is quoting.rs's to check.
        .map(|l| Box::leak(l.replace(['"', '`'], "").into_boxed_str()) as &str)
        .collect();
    let q = |t: &str| db.quote(t);
    assert_eq!(
        writes,
        ["INSERT INTO user", "INSERT INTO post", "UPDATE user SET"],
        "{kind:?}:\n{echo}"
    );
    assert_eq!(
        db.rows(&format!(
            "SELECT u.name, p.title FROM {} u JOIN {} p ON p.id = u.favorite_post_id AND p.user_id = u.id",
            q("user"),
            q("post")
        )),
        [["amy", "hello"]].map(|r| r.map(String::from).to_vec()).to_vec(),
        "{kind:?}: both keys written"
    );
    // Both rows deleted together: the closing key is cleared first.
    let (_, echo) = project.run_ok(
        r#"let u = User.query.one();
        db.session.delete(u.favorite_post);
        db.session.delete(u);"#,
    );
    assert!(echo.contains("UPDATE"), "{echo}");
    assert_eq!(
        db.scalar(&format!("SELECT count(*) FROM {}", q("user"))),
        "0"
    );
    assert_eq!(
        db.scalar(&format!("SELECT count(*) FROM {}", q("post"))),
        "0"
    );
    project.run_ok("db.drop_all(#{ confirm: true });");
    assert!(!db.has_table("user") && !db.has_table("post"), "{kind:?}");

    // Without post_update: refused before any SQL, saying what to do.
    let refused = Project::new(&db.url, &MODELS.replace(", post_update: true", ""));
    refused.run_ok("db.create_all();");
    let out = refused
        .ormsh()
        .arg("--echo")
        .arg("-c")
        .arg(r#"let u = User(#{ name: "bob" }); let p = Post(#{ title: "x", author: u }); u.favorite_post = p; db.session.add(u); db.session.commit();"#)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        stderr.contains("refer to each other") && stderr.contains("post_update: true"),
        "{stderr}"
    );
    assert!(
        !stderr.lines().any(|l| l.starts_with("INSERT")),
        "nothing was sent:\n{stderr}"
    );
}

on_every_database!(post_update);
