//! Session edge cases: a flushed delete rolled back comes back, a delete
//! undone by add() before the flush, a joined collection under one(), a
//! failed statement on MySQL/SQLite keeps the work, bulk statements refuse
//! what they cannot express.

use crate::common::{BLOG_MODELS, Kind, Project, TestDb};

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
            "User.query.having(func.count(User.id) > 5).delete(#{ confirm: true })",
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

fn changed_keys(kind: Kind) {
    let db = TestDb::new(kind);
    let project = Project::new(&db.url, BLOG_MODELS);
    project.run_ok(
        r#"db.create_all();
        db.session.add(User(#{ username: "one", email: "1@x" }));
        db.session.add(User(#{ username: "two", email: "2@x" }));"#,
    );
    // A changed key is not the row's key: expire brings the row's own back,
    // and a delete removes the row the object came from.
    let (out, _) = project.run_ok(
        r#"let u = User.query.get(1);
        u.id = 2;
        db.session.expire(u);
        print(u.username);
        let v = User.query.get(1);
        v.id = 2;
        db.session.delete(v);"#,
    );
    assert_eq!(out, "one\n", "{kind:?}");
    assert_eq!(
        db.rows(&format!("SELECT id, username FROM {}", db.quote("user"))),
        vec![vec!["2".to_string(), "two".to_string()]],
        "{kind:?}"
    );
}

on_every_database!(changed_keys);

/// Every state transition, as `db.inspect(obj).state` reports it, and the
/// session's `new`, `dirty` and `deleted` lists along the way.
fn states(kind: Kind) {
    let db = TestDb::new(kind);
    let project = Project::new(&db.url, BLOG_MODELS);
    project.run_ok("db.create_all();");
    let (out, _) = project.run_ok(
        r#"let u = User(#{ username: "amy", email: "amy@x" });
        let log = [db.inspect(u).state];
        db.session.add(u);
        log.push(db.inspect(u).state);
        log.push(db.session.new.len());
        db.session.flush();
        log.push(db.inspect(u).state);
        u.email = "new@x";
        log.push(db.session.dirty.len());
        log.push(db.inspect(u).changes.email.old);
        db.session.commit();
        log.push(db.session.dirty.len());
        db.session.delete(u);
        log.push(db.session.deleted.len());
        db.session.flush();
        log.push(db.inspect(u).state);
        db.session.commit();
        log.push(db.inspect(u).state);
        let v = User(#{ username: "bob", email: "bob@x" });
        db.session.add(v);
        db.session.commit();
        db.session.expunge(v);
        log.push(db.inspect(v).state);
        print(log);"#,
    );
    assert_eq!(
        out,
        "[\"transient\", \"pending\", 1, \"persistent\", 1, \"amy@x\", 0, 1, \"deleted\", \"detached\", \"detached\"]\n",
        "{kind:?}"
    );
    let out = project
        .ormsh()
        .arg("-c")
        .arg(r#"db.session.add(User(#{ username: "cy", email: "cy@x" })); db.session.new"#)
        .output()
        .unwrap();
    let table = String::from_utf8_lossy(&out.stdout);
    assert!(
        table.contains("username") && table.contains("cy") && table.contains("(1 row)"),
        "{table}"
    );
}

on_every_database!(states);

/// `merge`: a detached object's values onto the session's own object for
/// its key; with no such row, a pending copy.
fn merge(kind: Kind) {
    let db = TestDb::new(kind);
    let project = Project::new(&db.url, BLOG_MODELS);
    project.run_ok(
        r#"db.create_all();
        db.session.add(User(#{ username: "amy", email: "amy@x" }));"#,
    );
    let (out, _) = project.run_ok(
        r#"let u = User.query.one();
        db.session.expunge(u);
        u.email = "merged@x";
        let m = db.session.merge(u);
        print(db.inspect(u).state);
        print(db.inspect(m).state);
        print(m.email);
        print(m == User.query.get(u.id));
        let fresh = db.session.merge(User(#{ username: "bob", email: "bob@x" }));
        print(db.inspect(fresh).state);"#,
    );
    assert_eq!(
        out, "detached\npersistent\nmerged@x\ntrue\npending\n",
        "{kind:?}"
    );
    assert_eq!(
        db.rows(&format!(
            "SELECT username, email FROM {} ORDER BY id",
            db.quote("user")
        )),
        [["amy", "merged@x"], ["bob", "bob@x"]]
            .map(|r| r.map(String::from).to_vec())
            .to_vec(),
        "{kind:?}"
    );
}

on_every_database!(merge);

/// A unique violation in the middle of a flush: the error names the
/// constraint and what was discarded, nothing of that flush is in the
/// database, what was committed before is, and the session goes on.
fn unique_violation_mid_flush(kind: Kind) {
    let db = TestDb::new(kind);
    let project = Project::new(&db.url, BLOG_MODELS);
    project.run_ok(
        r#"db.create_all();
        db.session.add(User(#{ username: "amy", email: "amy@x" }));"#,
    );
    let out = project
        .ormsh()
        .arg("shell")
        .write_stdin(
            "let a = User(#{ username: \"bob\", email: \"bob@x\" })\n\
             db.session.add(a)\n\
             db.session.add(Post(#{ title: \"t\", content: \"c\", author: a }))\n\
             db.session.add(User(#{ username: \"amy\", email: \"dup@x\" }))\n\
             db.session.commit()\n\
             db.session.add(User(#{ username: \"cy\", email: \"cy@x\" }))\n\
             db.session.commit()\n",
        )
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains(
            "The session was rolled back; nothing was written (discarded: 2 new User, 1 new Post)"
        ),
        "{kind:?}: {stderr}"
    );
    assert!(
        stderr.to_lowercase().contains("unique") || stderr.contains("Duplicate"),
        "{kind:?}: the constraint is named: {stderr}"
    );
    assert_eq!(
        db.rows(&format!(
            "SELECT username FROM {} ORDER BY id",
            db.quote("user")
        )),
        [["amy"], ["cy"]]
            .map(|r| r.map(String::from).to_vec())
            .to_vec(),
        "{kind:?}"
    );
    assert_eq!(
        db.scalar(&format!("SELECT count(*) FROM {}", db.quote("post"))),
        "0"
    );
}

on_every_database!(unique_violation_mid_flush);

/// A script that fails after a flush writes nothing of it, and its message
/// counts every row it discards: also those of objects nothing holds any
/// more, whose memory the session let go after the flush.
fn failing_script_counts_released_inserts(kind: Kind) {
    let db = TestDb::new(kind);
    let project = Project::new(&db.url, BLOG_MODELS);
    project.run_ok("db.create_all();");
    let script = project.file(
        "fails.rhai",
        r#"for i in 0..3 {
            let u = User(#{ username: `u${i}`, email: `u${i}@x` });
            db.session.add(u);
            db.session.add(Post(#{ title: "t", content: "c", author: u }));
        }
        db.session.flush();
        db.session.add(User(#{ username: "u1", email: "dup@x" }));
        db.session.commit();"#,
    );
    let out = project.ormsh().arg("run").arg(&script).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{kind:?}: {stderr}");
    assert!(
        stderr.contains("discarded: 4 new User, 3 new Post"),
        "{kind:?}: {stderr}"
    );
    assert!(stderr.contains("fails.rhai:8:"), "{kind:?}: {stderr}");
    for table in ["user", "post"] {
        assert_eq!(
            db.scalar(&format!("SELECT count(*) FROM {}", db.quote(table))),
            "0",
            "{kind:?}: {table}"
        );
    }
}

on_every_database!(failing_script_counts_released_inserts);

/// On a server, rows of one table that changed the same columns go in one
/// UPDATE (one round trip, as SQLAlchemy's executemany); SQLite, in-process,
/// takes one prepared UPDATE per row. Each row gets its own value.
fn batched_updates(kind: Kind) {
    let db = TestDb::new(kind);
    let project = Project::new(&db.url, BLOG_MODELS);
    project.run_ok(
        r#"db.create_all();
        for i in 0..12 { db.session.add(User(#{ username: `u${i}`, email: `u${i}@x` })); }"#,
    );
    let (_, echo) = project.run_ok(
        r#"for u in User.query.all() { u.email = `${u.username}@changed`; }
        let one = User.query.filter_by(#{ username: "u3" }).one();
        one.username = "renamed";
        db.session.commit();"#,
    );
    let updates: Vec<&str> = echo.lines().filter(|l| l.starts_with("UPDATE")).collect();
    // The query's autoflush writes the 12 emails; the rename goes alone.
    let expected = if kind == Kind::Sqlite { 13 } else { 2 };
    assert_eq!(
        updates.len(),
        expected,
        "{kind:?}: one batch and one row alone, or a row each:\n{echo}"
    );
    assert_eq!(
        db.rows(&format!(
            "SELECT username, email FROM {} WHERE id IN (1, 4, 12) ORDER BY id",
            db.quote("user")
        )),
        [
            ["u0", "u0@changed"],
            ["renamed", "u3@changed"],
            ["u11", "u11@changed"]
        ]
        .map(|r| r.map(String::from).to_vec())
        .to_vec(),
        "{kind:?}"
    );
}

on_every_database!(batched_updates);
