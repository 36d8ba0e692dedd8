//! Dot-commands that work on the prompt itself: `.reload`, `.history`,
//! `.edit`, `.help COMMAND`, and `help(..)` on the language's values.

use std::io::Write;

use crate::common::{BLOG_MODELS, Kind, Project, TestDb};

fn blog() -> (TestDb, Project) {
    let db = TestDb::new(Kind::Sqlite);
    let project = Project::new(&db.url, BLOG_MODELS);
    project.run_ok(
        r#"db.create_all();
        db.session.add(User(#{ username: "amy", email: "amy@x" }));"#,
    );
    (db, project)
}

#[test]
fn reload_reads_the_models_again_and_marks_old_objects_stale() {
    let (db, project) = blog();
    db.rows("CREATE TABLE tag (id INTEGER PRIMARY KEY, name VARCHAR(20))");
    db.rows("INSERT INTO tag (name) VALUES ('rust')");
    let mut child = project.spawn(&["shell"]);
    let mut stdin = child.stdin.take().unwrap();
    writeln!(stdin, "let u = User.query.first()\nlet n = 41").unwrap();
    stdin.flush().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(500));
    let more = BLOG_MODELS.to_string()
        + r#"db.Model("Tag", [ db.Column("id", db.Integer, #{ primary_key: true }), db.Column("name", db.String(20)) ]);"#;
    std::fs::write(project.path().join("models.rhai"), more).unwrap();
    writeln!(
        stdin,
        ".reload\nprint(n + 1)\nprint(u)\nu.username\nprint(Tag.query.one().name)\nprint(User.query.first().username)"
    )
    .unwrap();
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stdout.contains("models reloaded: User, Post, Tag"),
        "{stdout}"
    );
    assert!(
        stdout.contains("42\n<u: stale object (loaded before .reload: load it again)>\n"),
        "{stdout}"
    );
    assert!(
        stderr.contains("stale object (loaded before .reload: load it again)"),
        "reading a stale object says so: {stderr}"
    );
    assert!(stdout.contains("rust\namy\n"), "{stdout}\n{stderr}");
}

#[test]
fn reload_waits_for_uncommitted_changes() {
    let (_db, project) = blog();
    let out = project
        .ormsh()
        .arg("shell")
        .write_stdin("db.session.add(User(#{ username: \"b\", email: \"b@x\" }))\n.reload\n")
        .output()
        .unwrap();
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("commit or roll back before .reload"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn history_edit_and_help() {
    let (_db, project) = blog();
    let editor = project.file("editor.sh", "#!/bin/sh\nsed -i 's/count/first/' \"$1\"\n");
    std::fs::set_permissions(&editor, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    let out = project
        .ormsh()
        .arg("--no-echo")
        .arg("shell")
        .env("EDITOR", &editor)
        .env_remove("VISUAL")
        .write_stdin("User.query.count()\nprint(\"two\")\n.history 2\n.edit\n.help schema\n.help nope\nhelp(User.query)\nhelp(User)\n")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stdout.contains("    1  User.query.count()\n    2  print(\"two\")\n"),
        "{stdout}"
    );
    // .edit ran the last input as the editor left it.
    assert!(stdout.contains("print(\"two\")\ntwo\n"), "{stdout}");
    assert!(stdout.contains(".schema [Model]"), "{stdout}");
    assert!(stderr.contains("no command `.nope`"), "{stderr}");
    assert!(
        stdout.contains("filter_by") && stdout.contains("keep rows whose columns equal"),
        "{stdout}"
    );
    assert!(
        stdout.contains("relationship, one-to-many") && stdout.contains("column, String(80)"),
        "{stdout}"
    );
}
