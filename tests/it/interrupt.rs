//! Ctrl-C (SIGINT) during a long statement stops it on the server and ends
//! a script with nothing committed, within about a second.

use std::time::{Duration, Instant};

use crate::common::{BLOG_MODELS, Kind, Project, TestDb};

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
        let running = db.scalar("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND state = 'active' AND query LIKE '%pg_sleep%' AND pid <> pg_backend_pid()");
        assert_eq!(running, "0", "the statement was cancelled on the server");
    }
}

on_every_database!(interrupt);

/// At the prompt, Ctrl-C stops the running statement itself (PostgreSQL's
/// cancel request, MySQL's KILL QUERY, SQLite's interrupt): the next line
/// runs at once on the same session. An endless recursive query would hold
/// the connection for ever if it were only abandoned.
fn interrupt_at_the_prompt(kind: Kind) {
    use std::io::Write;
    let db = TestDb::new(kind);
    let project = Project::new(&db.url, BLOG_MODELS);
    project.run_ok("db.create_all(); db.session.add(User(#{ username: \"a\", email: \"a@x\" }));");
    let endless = match kind {
        Kind::Postgres => "db.execute(\"SELECT pg_sleep(60)\")",
        Kind::MySql => "db.execute(\"SELECT SLEEP(60)\")",
        Kind::Sqlite => {
            "db.execute(\"WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c\")"
        }
    };
    let mut child = project.spawn(&["--no-echo", "shell"]);
    let mut stdin = child.stdin.take().unwrap();
    writeln!(stdin, "{endless}").unwrap();
    stdin.flush().unwrap();
    std::thread::sleep(Duration::from_millis(1500));
    let started = Instant::now();
    std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    writeln!(stdin, "print(`next ${{User.query.count()}}`)").unwrap();
    drop(stdin);
    let guard = started + Duration::from_secs(20);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > guard {
            let _ = child.kill();
            panic!("{kind:?}: the statement was not stopped");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("interrupted"), "{kind:?}: {stderr}");
    assert!(stdout.contains("next 1"), "{kind:?}: {stdout}\n{stderr}");
}

on_every_database!(interrupt_at_the_prompt);
