//! The server ends the session's connection mid-transaction: the next
//! statement fails with one message (the connection was lost, the
//! transaction is gone, what was discarded per model), the one after it
//! connects again and works, and nothing of the lost transaction is in the
//! database.

use std::io::Write;
use std::time::Duration;

use crate::common::{BLOG_MODELS, Kind, Project, TestDb};

fn lost_connection(kind: Kind) {
    if kind == Kind::Sqlite {
        return; // a file has no server to end the connection
    }
    let db = TestDb::new(kind);
    let project = Project::new(&db.url, BLOG_MODELS);
    project.run_ok(
        r#"db.create_all();
        db.session.add(User(#{ username: "kept", email: "k@x" }));"#,
    );
    let mut child = project.spawn(&["--no-echo", "shell"]);
    let mut stdin = child.stdin.take().unwrap();
    writeln!(
        stdin,
        "let a = User(#{{ username: \"a\", email: \"a@x\" }})\ndb.session.add(Post(#{{ title: \"t\", content: \"c\", author: a }}))\ndb.session.flush()"
    )
    .unwrap();
    stdin.flush().unwrap();
    std::thread::sleep(Duration::from_millis(800));
    db.kill_other_connections();
    std::thread::sleep(Duration::from_millis(300));
    writeln!(
        stdin,
        "db.session.add(User(#{{ username: \"b\", email: \"b@x\" }}))\ndb.session.commit()\nprint(`after: ${{User.query.count()}}`)\ndb.session.add(User(#{{ username: \"c\", email: \"c@x\" }}))\ndb.session.commit()\nprint(`then: ${{User.query.count()}}`)"
    )
    .unwrap();
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("the connection to the database was lost"),
        "{kind:?}: {stderr}"
    );
    assert!(
        stderr.contains("nothing of it was written (discarded: 2 new User, 1 new Post)")
            && stderr.contains("The next statement connects again."),
        "{kind:?}: {stderr}"
    );
    assert_eq!(
        stderr.matches("error:").count(),
        1,
        "{kind:?}: one failure, then it works: {stderr}"
    );
    assert!(
        stdout.contains("after: 1\n") && stdout.contains("then: 2\n"),
        "{kind:?}: {stdout}\n{stderr}"
    );
    assert_eq!(
        db.rows(&format!(
            "SELECT username FROM {} ORDER BY id",
            db.quote("user")
        )),
        [["kept"], ["c"]]
            .map(|r| r.map(String::from).to_vec())
            .to_vec(),
        "{kind:?}: nothing of the lost transaction, everything committed before and after"
    );
    assert_eq!(
        db.scalar(&format!("SELECT count(*) FROM {}", db.quote("post"))),
        "0"
    );
}

on_every_database!(lost_connection);

/// A connection the server ended while the prompt waited, outside any
/// transaction, is noticed before the next statement (the pool pings one
/// that sat unused) and replaced: the statement runs as if nothing happened.
fn idle_connection_replaced(kind: Kind) {
    if kind == Kind::Sqlite {
        return;
    }
    let db = TestDb::new(kind);
    let project = Project::new(&db.url, BLOG_MODELS);
    project
        .run_ok(r#"db.create_all(); db.session.add(User(#{ username: "kept", email: "k@x" }));"#);
    let mut child = project.spawn(&["--no-echo", "shell"]);
    let mut stdin = child.stdin.take().unwrap();
    writeln!(stdin, "print(`before: ${{User.query.count()}}`)").unwrap();
    stdin.flush().unwrap();
    std::thread::sleep(Duration::from_millis(800));
    db.kill_other_connections();
    std::thread::sleep(Duration::from_millis(700));
    writeln!(stdin, "print(`after: ${{User.query.count()}}`)").unwrap();
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stdout.contains("before: 1") && stdout.contains("after: 1"),
        "{kind:?}: {stdout}\n{stderr}"
    );
    assert!(!stderr.contains("error"), "{kind:?}: {stderr}");
}
on_every_database!(idle_connection_replaced);
