//! Savepoints: `begin_nested()` rolled back undoes only what came after it;
//! committed, it keeps it. Rows read back independently.

use crate::common::{BLOG_MODELS, Kind, Project, TestDb};

fn savepoints(kind: Kind) {
    let db = TestDb::new(kind);
    let project = Project::new(&db.url, BLOG_MODELS);
    project.run_ok("db.create_all();");
    let (out, _) = project.run_ok(
        r#"db.session.add(User(#{ username: "keep", email: "k@x" }));
        let sp = db.session.begin_nested();
        let gone = User(#{ username: "gone", email: "g@x" });
        db.session.add(gone);
        db.session.flush();
        sp.rollback();
        print(db.inspect(gone).state);
        let sp2 = db.session.begin_nested();
        db.session.add(User(#{ username: "kept", email: "kk@x" }));
        sp2.commit();
        let u = User.query.filter_by(#{ username: "keep" }).one();
        u.email = "changed@x";
        print(db.inspect(u).changes.email.old);"#,
    );
    assert_eq!(out, "transient\nk@x\n", "{kind:?}");
    assert_eq!(
        db.rows(&format!(
            "SELECT username, email FROM {} ORDER BY id",
            db.quote("user")
        )),
        [["keep", "changed@x"], ["kept", "kk@x"]]
            .map(|r| r.map(String::from).to_vec())
            .to_vec(),
        "{kind:?}"
    );
}

on_every_database!(savepoints);

/// A flush that fails inside a savepoint rolls back to the savepoint only:
/// what was flushed before it stays, and the session goes on.
fn failed_flush_in_savepoint(kind: Kind) {
    let db = TestDb::new(kind);
    let project = Project::new(&db.url, BLOG_MODELS);
    project.run_ok("db.create_all();");
    let (out, _) = project.run_ok(
        r#"db.session.add(User(#{ username: "outer", email: "o@x" }));
        let sp = db.session.begin_nested();
        db.session.add(User(#{ username: "inner", email: "i@x" }));
        db.session.add(User(#{ username: "outer", email: "dup@x" }));
        try { db.session.flush(); } catch (e) {
            print(`${e}`.contains("rolled back to the savepoint sp_1"));
        }
        print(db.session.new.len());
        try { sp.rollback(); } catch (e) { print(`${e}`.contains("no longer open")); }
        db.session.add(User(#{ username: "after", email: "a@x" }));
        db.session.commit();"#,
    );
    assert_eq!(out, "true\n0\ntrue\n", "{kind:?}");
    assert_eq!(
        db.rows(&format!(
            "SELECT username FROM {} ORDER BY id",
            db.quote("user")
        )),
        [["outer"], ["after"]]
            .map(|r| r.map(String::from).to_vec())
            .to_vec(),
        "{kind:?}"
    );
}

on_every_database!(failed_flush_in_savepoint);

/// `no_autoflush` and `db.session.autoflush = false`: a query sees the
/// database as it was, not the pending objects; with autoflush on it does.
fn no_autoflush(kind: Kind) {
    let db = TestDb::new(kind);
    let project = Project::new(&db.url, BLOG_MODELS);
    project.run_ok("db.create_all();");
    let (out, echo) = project.run_ok(
        r#"db.session.add(User(#{ username: "a", email: "a@x" }));
        print(db.session.no_autoflush(|| User.query.count()));
        print(db.session.autoflush);
        db.session.autoflush = false;
        print(User.query.count());
        db.session.autoflush = true;
        print(User.query.count());
        db.session.rollback();
        print(User.query.count());"#,
    );
    assert_eq!(out, "0\ntrue\n0\n1\n0\n", "{kind:?}:\n{echo}");
    assert_eq!(
        echo.lines().filter(|l| l.starts_with("INSERT")).count(),
        1,
        "one flush, by the count with autoflush on:\n{echo}"
    );
}

on_every_database!(no_autoflush);

#[test]
fn recorded_queries_and_timing_at_the_prompt() {
    let db = TestDb::new(Kind::Sqlite);
    let project = Project::new(&db.url, BLOG_MODELS);
    project.run_ok("db.create_all(); db.session.add(User(#{ username: \"a\", email: \"a@x\" }));");
    let out = project
        .ormsh()
        .args(["--no-echo", "shell"])
        .write_stdin(".timing on\n.record on\nUser.query.count()\nlet q = db.get_recorded_queries(); print(q[0].statement); print(q[0].end_time >= q[0].start_time); print(q[0].duration == q[0].end_time - q[0].start_time); print(q[0].location);\n.queries\n")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stdout.contains("SELECT count(*) FROM user\ntrue\ntrue\nprompt 1:1 (<module>)\n"),
        "{stdout}"
    );
    assert!(stdout.contains("◀ slowest"), "{stdout}");
    assert!(stderr.contains("in the database · 1 statement"), "{stderr}");

    // In a script, with record_queries in ormsh.toml: the file and line.
    let toml = std::fs::read_to_string(project.path().join("ormsh.toml")).unwrap();
    project.file(
        "ormsh.toml",
        &toml.replace("[database]\n", "[database]\nrecord_queries = true\n"),
    );
    let (out, _) = project.run_ok(
        "fn load_users() {\n    User.query.all()\n}\nlet n = 0;\nfor i in 0..2 {\n    n += User.query.count();\n}\nload_users();\nfor q in db.get_recorded_queries() { print(q.location); }",
    );
    let locations: Vec<&str> = out.lines().collect();
    assert_eq!(locations.len(), 3, "{out}");
    assert!(
        locations[..2]
            .iter()
            .all(|l| l.ends_with("step.rhai:6 (<module>)")),
        "{out}"
    );
    assert!(locations[2].ends_with("step.rhai:2 (load_users)"), "{out}");
}

/// Flask-SQLAlchemy 3.1's tests/test_track_modifications.py::test_track_modifications.
fn signals(kind: Kind) {
    let db = TestDb::new(kind);
    let project = Project::new(&db.url, BLOG_MODELS);
    std::fs::write(
        project.path().join("ormsh.toml"),
        format!("[database]\nurl = \"{}\"\ntrack_modifications = true\n\n[models]\nfile = \"models.rhai\"\n", db.url),
    )
    .unwrap();
    let (out, _) = project.run_ok(
        r#"db.create_all();
        db.on_before_models_committed(|changes| { for c in changes { print(`before ${c[1]} ${c[0].username}`); } });
        db.on_models_committed(|changes| { for c in changes { print(`after ${c[1]} ${c[0].username}`); } });
        db.session.add(User(#{ username: "amy", email: "a@x" }));
        db.session.commit();
        let u = User.query.first();
        u.email = "b@x";
        db.session.commit();
        db.session.delete(u);
        db.session.commit();"#,
    );
    assert_eq!(
        out,
        "before insert amy\nafter insert amy\nbefore update amy\nafter update amy\nbefore delete amy\nafter delete amy\n",
        "{kind:?}"
    );
    // Without track_modifications the signals are refused.
    let plain = Project::new(&db.url, BLOG_MODELS);
    let out = plain
        .ormsh()
        .arg("-c")
        .arg("db.on_models_committed(|c| ())")
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("track_modifications = true"));
}

on_every_database!(signals);
