//! The sandbox holds: whatever is committed inside it, the database after
//! exit is what it was before, compared by dumping every row.

use crate::common::{BLOG_MODELS, Kind, Project, TestDb};

fn dump(db: &TestDb) -> Vec<Vec<String>> {
    let mut rows = db.rows(&format!(
        "SELECT id, username, email FROM {} ORDER BY id",
        db.quote("user")
    ));
    rows.extend(db.rows(&format!(
        "SELECT id, title, content, user_id FROM {} ORDER BY id",
        db.quote("post")
    )));
    rows
}

fn sandbox(kind: Kind) {
    let db = TestDb::new(kind);
    let project = Project::new(&db.url, BLOG_MODELS);
    project.run_ok(
        r#"db.create_all();
        let u = User(#{ username: "amy", email: "amy@example.com" });
        db.session.add(Post(#{ title: "Hello", content: "World", author: u }));"#,
    );
    let before = dump(&db);
    assert_eq!(before.len(), 2);

    // A dry run reports what it would write, then rolls back.
    let script = project.file(
        "seed.rhai",
        r#"let bob = User(#{ username: "bob", email: "bob@example.com" });
        db.session.add(bob);
        db.session.commit();
        db.session.add(Post(#{ title: "More", content: "!", author: bob }));
        let amy = User.query.filter_by(#{ username: "amy" }).first();
        amy.email = "changed@example.com";
        db.session.commit();
        db.session.delete(Post.query.filter_by(#{ title: "Hello" }).one());
        db.session.commit();
        db.session.add(User(#{ username: "never", email: "never@example.com" }));"#,
    );
    let out = project
        .ormsh()
        .arg("run")
        .arg("--sandbox")
        .arg(&script)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report = String::from_utf8_lossy(&out.stdout);
    // What no commit covered would not be written: said, and not counted.
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("warning: 1 pending change not committed; rolled back"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        report.contains("User: 1 inserted, 1 updated, 0 deleted"),
        "{report}"
    );
    assert!(
        report.contains("Post: 1 inserted, 0 updated, 1 deleted"),
        "{report}"
    );
    assert_eq!(dump(&db), before, "{kind:?}: the dry run left no trace");

    // At the prompt: commits, a script run with .run, a bulk update: all undone.
    let input = format!(
        "db.session.add(User(#{{ username: \"cy\", email: \"cy@example.com\" }}))\ndb.session.commit()\n.run {}\nPost.query.filter(Post.id > 0).update(#{{ content: \"x\" }})\ndb.session.commit()\nprint(User.query.count())\n",
        script.display()
    );
    let out = project
        .ormsh()
        .arg("--sandbox")
        .arg("shell")
        .write_stdin(input)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("SANDBOX"), "{stdout}");
    // amy, bob, cy, and the script's uncommitted "never" (pending at the
    // prompt, as lines typed there would leave it).
    assert!(
        stdout.trim_end().ends_with('4'),
        "inside, the changes are visible: {stdout}"
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("everything is rolled back"));
    assert_eq!(dump(&db), before, "{kind:?}: the sandbox held");
}

on_every_database!(sandbox);

/// Left idle past the server's own idle timeout, the sandbox's transaction
/// survives: the prompt keeps its connection alive while it waits.
fn sandbox_keeps_alive(kind: Kind) {
    use std::io::Write;
    let db = TestDb::new(kind);
    let project = Project::new(&db.url, BLOG_MODELS);
    project.run_ok("db.create_all();");
    let idle_timeout = match kind {
        Kind::Postgres => "db.execute(\"SET idle_in_transaction_session_timeout = 1500\")\n",
        Kind::MySql => "db.execute(\"SET SESSION wait_timeout = 2\")\n",
        Kind::Sqlite => "",
    };
    let mut child = project
        .spawnable()
        .args(["--sandbox", "shell"])
        .env("ORMSH_KEEPALIVE", "0.3")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    write!(
        stdin,
        "db.session.add(User(#{{ username: \"idle\", email: \"i@x\" }}))\ndb.session.commit()\n{idle_timeout}"
    )
    .unwrap();
    stdin.flush().unwrap();
    std::thread::sleep(std::time::Duration::from_secs(4));
    writeln!(stdin, "print(`users: ${{User.query.count()}}`)").unwrap();
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stdout.contains("users: 1"),
        "{kind:?}: the sandbox survived idle time\n{stdout}\n{stderr}"
    );
    assert!(!stderr.contains("error"), "{kind:?}: {stderr}");
    assert_eq!(
        db.scalar(&format!("SELECT count(*) FROM {}", db.quote("user"))),
        "0",
        "{kind:?}: and still rolled back on exit"
    );
}

on_every_database!(sandbox_keeps_alive);
