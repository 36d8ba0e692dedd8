//! Many-to-many through `db.Table` and `secondary`: association rows follow
//! collection changes from either side, load lazily, join, and go with a
//! deleted object; rows read back independently.

use crate::common::{Kind, Project, TestDb};

fn links(db: &TestDb) -> Vec<Vec<String>> {
    db.rows(&format!(
        "SELECT post_id, tag_id FROM {} ORDER BY post_id, tag_id",
        db.quote("post_tag")
    ))
}

fn many_to_many(kind: Kind) {
    let db = TestDb::new(kind);
    let project = Project::new(&db.url, include_str!("fixtures/tags.rhai"));
    project.run_ok(
        r#"db.create_all();
        let rust = Tag(#{ name: "rust" });
        let web = Tag(#{ name: "web" });
        db.session.add(Post(#{ title: "One", tags: [rust, web] }));
        let two = Post(#{ title: "Two" });
        db.session.add(two);
        two.tags.append(rust);"#,
    );
    assert_eq!(
        links(&db),
        [["1", "1"], ["1", "2"], ["2", "1"]]
            .map(|r| r.map(String::from).to_vec())
            .to_vec()
    );

    let (out, echo) = project.run_ok(
        r#"let one = Post.query.filter_by(#{ title: "One" }).one();
        print(one.tags);
        let rust = Tag.query.filter_by(#{ name: "rust" }).one();
        print(rust.posts);
        print(Post.query.join(Tag).filter(Tag.name == "web").all());
        // From the other side: a new tag on post Two, and rust off post One.
        let two = Post.query.filter_by(#{ title: "Two" }).one();
        let new_tag = Tag(#{ name: "new" });
        db.session.add(new_tag);
        new_tag.posts.append(two);
        one.tags.remove(rust);
        print(rust.posts);"#,
    );
    assert_eq!(
        out, "[<Tag rust>, <Tag web>]\n[<Post One>, <Post Two>]\n[<Post One>]\n[<Post Two>]\n",
        "{kind:?}"
    );
    assert!(echo.contains("JOIN") && echo.contains("post_tag"), "{echo}");
    assert_eq!(
        links(&db),
        [["1", "2"], ["2", "1"], ["2", "3"]]
            .map(|r| r.map(String::from).to_vec())
            .to_vec(),
        "{kind:?}"
    );

    // Deleting a post takes its association rows, not the tags.
    project.run_ok(r#"db.session.delete(Post.query.filter_by(#{ title: "Two" }).one());"#);
    assert_eq!(
        links(&db),
        [["1", "2"]].map(|r| r.map(String::from).to_vec()).to_vec(),
        "{kind:?}"
    );
    assert_eq!(
        db.scalar(&format!("SELECT count(*) FROM {}", db.quote("tag"))),
        "3"
    );

    // drop_all drops the association table first.
    project.run_ok("db.drop_all(#{ confirm: true });");
    assert!(!db.has_table("post_tag") && !db.has_table("post") && !db.has_table("tag"));
}

on_every_database!(many_to_many);
