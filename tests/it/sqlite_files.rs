//! SQLite files under contention and in odd states: a second writer waits
//! for the busy timeout and then names the lock (nothing corrupted, nothing
//! half-written); a read-only URL refuses writes; a missing folder, a full
//! disk: one clear line, never a panic.

use std::time::Duration;

use crate::common::{BLOG_MODELS, Kind, Project, TestDb};

#[test]
fn a_second_writer_waits_then_names_the_lock() {
    let db = TestDb::new(Kind::Sqlite);
    let project = Project::new(&db.url, BLOG_MODELS);
    project.run_ok("db.create_all();");
    let toml = std::fs::read_to_string(project.path().join("ormsh.toml")).unwrap();
    project.file(
        "ormsh.toml",
        &toml.replace("[database]\n", "[database]\nbusy_timeout = 0.5\n"),
    );
    // The first writer holds its write transaction open for two seconds.
    let holder = project.file(
        "hold.rhai",
        "db.session.add(User(#{ username: \"first\", email: \"f@x\" }));\ndb.session.flush();\nlet t = timestamp();\nwhile t.elapsed < 2.0 {}\ndb.session.commit();\n",
    );
    let mut first = project
        .spawnable()
        .arg("run")
        .arg(&holder)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(700));
    let second = project
        .ormsh()
        .args([
            "-c",
            "db.session.add(User(#{ username: \"second\", email: \"s@x\" })); db.session.commit()",
        ])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&second.stderr);
    assert_eq!(second.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("database is locked: another connection holds the write lock")
            && stderr.contains("waited 0.5 s")
            && stderr.contains("busy_timeout"),
        "{stderr}"
    );
    assert!(first.wait().unwrap().success());
    // The first writer's row is whole, the second's absent; retried, it goes in.
    project
        .ormsh()
        .args([
            "-c",
            "db.session.add(User(#{ username: \"second\", email: \"s@x\" })); db.session.commit()",
        ])
        .assert()
        .success();
    assert_eq!(
        db.rows("SELECT username FROM user ORDER BY id"),
        [["first"], ["second"]]
            .map(|r| r.map(String::from).to_vec())
            .to_vec()
    );
    assert_eq!(db.scalar("PRAGMA integrity_check"), "ok");
}

#[test]
fn read_only_missing_folder_and_full_disk() {
    let db = TestDb::new(Kind::Sqlite);
    let project = Project::new(&db.url, BLOG_MODELS);
    project.run_ok("db.create_all();");
    let path = db.url.trim_start_matches("sqlite:///");
    let run = |url: &str, script: &str| {
        let out = project
            .ormsh()
            .args(["--database-url", url, "-c", script])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
        assert!(!stderr.contains("panicked"), "{stderr}");
        (out.status.code(), stderr)
    };
    let read_only = format!("sqlite:///{path}?mode=ro");
    let (code, stderr) = run(&read_only, "User.query.count()");
    assert_eq!(code, Some(0), "reads work read-only: {stderr}");
    let (code, stderr) = run(
        &read_only,
        "db.session.add(User(#{ username: \"a\", email: \"a@x\" })); db.session.commit()",
    );
    assert_eq!(code, Some(1));
    assert!(stderr.contains("readonly database"), "{stderr}");
    assert_eq!(db.scalar("SELECT count(*) FROM user"), "0");

    let (code, stderr) = run("sqlite:////no/such/folder/x.db", "User.query.count()");
    assert_eq!(code, Some(2));
    assert!(
        stderr.contains("the folder /no/such/folder of the SQLite database does not exist"),
        "{stderr}"
    );
    assert_eq!(stderr.trim().lines().count(), 1, "one line: {stderr}");

    // /dev/full takes no writes: SQLite says the disk is full.
    let (code, stderr) = run("sqlite:////dev/full", "db.create_all()");
    assert_eq!(code, Some(1));
    assert!(stderr.contains("full"), "{stderr}");
}
