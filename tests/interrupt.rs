//! Ctrl-C (SIGINT) during a long statement stops it on the server and ends
//! a script with nothing committed, within about a second.

mod common;

use std::time::{Duration, Instant};

use common::{BLOG_MODELS, Kind, Project, TestDb};

fn interrupt(kind: Kind) {
    let db = TestDb::new(kind);
    let project = Project::new(&db.url, BLOG_MODELS);
    project.run_ok("db.create_all(); db.session.add(User(#{ username: \"a\", email: \"a@x\" }));");
    let sleep = match kind {
        Kind::Postgres => "User.query.with_entities(func.pg_sleep(30)).all()",
        Kind::MySql => "User.query.with_entities(func.sleep(30)).all()",
        // SQLite: a long script; the interrupt stops Rhai between steps.
        Kind::Sqlite => "let i = 0; loop { i += 1; }",
    };
    let script = project.file(
        "long.rhai",
        &format!("db.session.add(User(#{{ username: \"b\", email: \"b@x\" }}));\ndb.session.flush();\n{sleep};\n"),
    );
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("ormsh"))
        .current_dir(project.path())
        .env_remove("DATABASE_URL")
        .arg("run")
        .arg(&script)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    std::thread::sleep(Duration::from_millis(1500));
    let killed = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    // A guard against a hang, not a timing: the statement sleeps 30 s, so
    // only a real cancel ends the process before this.
    let guard = Instant::now() + Duration::from_secs(15);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > guard {
            let _ = child.kill();
            panic!("{kind:?}: Ctrl-C did not stop the statement");
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    assert_eq!(status.code(), Some(130), "{kind:?}");
    assert_eq!(
        db.scalar(&format!("SELECT count(*) FROM {}", db.quote("user"))),
        "1",
        "{kind:?}: nothing committed"
    );
    if kind == Kind::Postgres {
        let running = db.scalar("SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND query LIKE '%pg_sleep%' AND pid <> pg_backend_pid()");
        assert_eq!(running, "0", "the statement was cancelled on the server");
    }
}

on_every_database!(interrupt);
