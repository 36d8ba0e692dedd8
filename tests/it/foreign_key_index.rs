//! `create_all` gives a foreign key column an index of its own (what makes
//! `user.posts` a lookup rather than a scan of every post), unless the
//! column says `index: false`; a drifted database missing it is not drift.

use crate::common::{BLOG_MODELS, Kind, Project, TestDb};

/// The indexes of `post` that cover `user_id` first, read from the catalog.
fn user_id_indexes(db: &TestDb, kind: Kind) -> Vec<String> {
    let sql = match kind {
        Kind::Sqlite => {
            "SELECT il.name FROM pragma_index_list('post') AS il, pragma_index_info(il.name) AS ii WHERE ii.name = 'user_id' AND ii.seqno = 0"
        }
        Kind::Postgres => {
            "SELECT i.relname::text FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid JOIN pg_class t ON t.oid = x.indrelid JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = x.indkey[0] WHERE t.relname = 'post' AND a.attname = 'user_id'"
        }
        Kind::MySql => {
            "SELECT index_name FROM information_schema.statistics WHERE table_schema = DATABASE() AND table_name = 'post' AND column_name = 'user_id' AND seq_in_index = 1"
        }
    };
    db.rows(sql).into_iter().map(|r| r[0].clone()).collect()
}

fn foreign_key_index(kind: Kind) {
    let db = TestDb::new(kind);
    let project = Project::new(&db.url, BLOG_MODELS);
    let (out, _) = project.run_ok("db.create_all(); print(User.query.count());");
    assert!(out.contains('0'), "{out}");
    assert_eq!(
        user_id_indexes(&db, kind),
        vec!["ix_post_user_id".to_string()]
    );
    // The lazy load the index serves still finds the rows.
    project.run_ok(
        r#"let u = User(#{ username: "a", email: "a@x" }); db.session.add(u);
        db.session.add(Post(#{ title: "t", content: "c", author: u })); db.session.commit();"#,
    );
    let (out, _) = project.run_ok("print(User.query.first().posts.len());");
    assert!(out.trim_end().ends_with('1'), "{out}");
    assert_no_drift(&project);
}
on_every_database!(foreign_key_index);

fn opted_out(kind: Kind) {
    let db = TestDb::new(kind);
    let models = BLOG_MODELS.replace(
        r#"db.ForeignKey("user.id"), #{ nullable: false }"#,
        r#"db.ForeignKey("user.id"), #{ nullable: false, index: false }"#,
    );
    assert_ne!(models, BLOG_MODELS);
    let project = Project::new(&db.url, &models);
    project.run_ok("db.create_all();");
    let indexes = user_id_indexes(&db, kind);
    match kind {
        // InnoDB makes one for every foreign key by itself, named after the key.
        Kind::MySql => assert!(
            !indexes.contains(&"ix_post_user_id".to_string()),
            "{indexes:?}"
        ),
        _ => assert!(indexes.is_empty(), "{indexes:?}"),
    }
    // A database made without the index (as Flask-SQLAlchemy makes it) is not drift.
    assert_no_drift(&Project::new(&db.url, BLOG_MODELS));
}

fn assert_no_drift(project: &Project) {
    let diff = project.ormsh().args(["db", "diff"]).output().unwrap();
    let report = String::from_utf8_lossy(&diff.stdout);
    assert_eq!(diff.status.code(), Some(0), "{report}");
}
on_every_database!(opted_out);
