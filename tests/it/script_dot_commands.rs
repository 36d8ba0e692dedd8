//! Dot-commands outside the prompt: in `ormsh -c`, in a script on standard
//! input and in `ormsh run`, on a line of their own between code, as at the
//! prompt; and `.schema`'s echo never lands inside what it prints.

use std::process::Stdio;

use crate::common::{BLOG_MODELS, Kind, Project, TestDb};

fn blog(kind: Kind) -> (TestDb, Project) {
    let db = TestDb::new(kind);
    let project = Project::new(&db.url, BLOG_MODELS);
    project.run_ok(
        r#"db.create_all();
        db.session.add(User(#{ username: "amy", email: "amy@example.com" }));"#,
    );
    (db, project)
}

fn dot_commands_in_c_stdin_and_run(kind: Kind) {
    let (db, project) = blog(kind);
    // -c: a dot-command alone, and between code.
    let (out, _) = project.ok(&["--no-echo", "-c", ".models"]);
    assert!(out.contains("│ User  │ user  │"), "{kind:?}: {out}");
    let (out, _) = project.ok(&["--no-echo", "-c", ".tables"]);
    assert!(out.contains("│ user  │ User  │"), "{kind:?}: {out}");
    assert!(out.contains("│ post  │ Post  │"), "{kind:?}: {out}");

    // Standard input: code, dot-commands, and a function defined before one.
    let script = "fn shout(s) { s.to_upper() }\n\
                  .format csv\n\
                  db.session.add(User(#{ username: \"bob\", email: \"bob@example.com\" }));\n\
                  db.session.commit();\n\
                  .sql SELECT username FROM \"user\" ORDER BY id\n\
                  print(shout(User.query.get(2).username));\n";
    let script = if kind == Kind::MySql {
        script.replace("\"user\"", "`user`")
    } else {
        script.to_string()
    };
    let out = project
        .ormsh()
        .arg("--no-echo")
        .write_stdin(script)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{kind:?}: {stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(stdout, "username\namy\nbob\nBOB\n", "{kind:?}");
    let user = db.quote("user");
    assert_eq!(
        db.rows(&format!("SELECT username FROM {user} ORDER BY id")),
        [["amy"], ["bob"]]
    );

    // ormsh run: an unknown command stops the script at its line, and what
    // came after it never runs.
    let path = project.file(
        "steps.rhai",
        "db.session.add(User(#{ username: \"cy\", email: \"cy@x\" }));\ndb.session.commit();\n.tabels\ndb.session.add(User(#{ username: \"dee\", email: \"dee@x\" }));\ndb.session.commit();\n",
    );
    let out = project.ormsh().arg("run").arg(&path).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("steps.rhai:3: unknown command `.tabels` (did you mean `.tables`?)"),
        "{kind:?}: {stderr}"
    );
    assert_eq!(
        db.rows(&format!("SELECT username FROM {user} ORDER BY id")),
        [["amy"], ["bob"], ["cy"]]
    );

    // A code error after a dot-command keeps the script's own line number.
    let path = project.file("late.rhai", ".echo off\nlet a = 1;\nlet b = nope;\n");
    let out = project.ormsh().arg("run").arg(&path).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("late.rhai:3:"), "{kind:?}: {stderr}");
}

on_every_database!(dot_commands_in_c_stdin_and_run);

/// `ormsh --echo -c '.schema User'` with standard output and standard error
/// on one pipe (as a terminal shows them): the echo of the reads that
/// describe the live table comes first, then the schema in one piece.
fn schema_echo_does_not_interleave(kind: Kind) {
    let (_db, project) = blog(kind);
    let file = tempfile::NamedTempFile::new().unwrap();
    // One file description for both, as a terminal is: writes follow one another.
    let out = file.reopen().unwrap();
    let status = project
        .spawnable()
        .args(["--echo", "-c", ".schema User"])
        .stdout(Stdio::from(out.try_clone().unwrap()))
        .stderr(Stdio::from(out))
        .status()
        .unwrap();
    let both = std::fs::read_to_string(file.path()).unwrap();
    assert!(status.success(), "{both}");
    let start = both.find("-- User (model)").expect("the schema");
    let schema = &both[start..];
    assert!(schema.contains("CREATE TABLE"), "{kind:?}: {both}");
    assert!(schema.contains("-- user (live, in "), "{kind:?}: {both}");
    assert!(
        !schema.contains("[params") && !schema.contains("[no params"),
        "{kind:?}: an echo line inside the schema:\n{both}"
    );
    assert!(
        both[..start].contains("[params") || both[..start].contains("[no params"),
        "{kind:?}: the echo of the reads comes first:\n{both}"
    );
}

on_every_database!(schema_echo_does_not_interleave);
