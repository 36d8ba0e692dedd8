//! A script's commits mean what they mean in Flask-SQLAlchemy: what a
//! commit wrote is kept whatever comes after (a caught failure, a rollback,
//! an uncaught error); what no commit covers is rolled back at the end with
//! one warning; `--atomic` holds every commit to the end; `--read-only`
//! makes the connection refuse writes. Read back through a separate
//! connection.

use crate::common::{BLOG_MODELS, Kind, Project, TestDb};

fn blog(kind: Kind) -> (TestDb, Project) {
    let db = TestDb::new(kind);
    let project = Project::new(&db.url, BLOG_MODELS);
    project.run_ok("db.create_all();");
    (db, project)
}

fn usernames(db: &TestDb) -> Vec<String> {
    db.rows(&format!(
        "SELECT username FROM {} ORDER BY id",
        db.quote("user")
    ))
    .into_iter()
    .map(|r| r[0].clone())
    .collect()
}

/// (exit code, stdout, stderr) of `ormsh ARGS`.
fn ormsh(project: &Project, args: &[&str]) -> (i32, String, String) {
    let out = project.ormsh().args(args).output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).to_string(),
        String::from_utf8_lossy(&out.stderr).to_string(),
    )
}

/// Commit a row, fail a commit on a unique violation and catch it, roll
/// back, commit another, leave a third uncommitted.
const CATCHES_A_FAILED_COMMIT: &str = r#"
db.session.add(User(#{ username: "kept", email: "kept@x" }));
db.session.commit();
db.session.add(User(#{ username: "dup", email: "kept@x" }));
try { db.session.commit(); } catch (e) { print("caught"); db.session.rollback(); }
db.session.add(User(#{ username: "after", email: "after@x" }));
db.session.commit();
db.session.add(User(#{ username: "pending", email: "pending@x" }));
"#;

fn a_caught_failure_keeps_earlier_commits(kind: Kind) {
    for atomic in [false, true] {
        let (db, project) = blog(kind);
        let script = project.file("seed.rhai", CATCHES_A_FAILED_COMMIT);
        let path = script.to_str().unwrap();
        let args: &[&str] = if atomic {
            &["run", "--atomic", path]
        } else {
            &["run", path]
        };
        let (code, out, err) = ormsh(&project, args);
        assert_eq!(code, 0, "{kind:?} atomic={atomic}: {err}");
        assert_eq!(out.trim(), "caught");
        assert_eq!(
            usernames(&db),
            ["kept", "after"],
            "{kind:?} atomic={atomic}: both commits kept, the failed and the pending not"
        );
        assert!(
            err.contains("warning: 1 pending change not committed; rolled back"),
            "{kind:?}: {err}"
        );
        // The summary counts what was committed and kept, nothing else.
        assert!(
            err.contains("committed User: 2 inserted in"),
            "{kind:?} atomic={atomic}: {err}"
        );
    }
}
on_every_database!(a_caught_failure_keeps_earlier_commits);

fn uncommitted_work_is_rolled_back_and_said(kind: Kind) {
    let (db, project) = blog(kind);
    let add = r#"db.session.add(User(#{ username: "ghost", email: "g@x" }))"#;
    let script = project.file("ghost.rhai", &format!("{add};\n"));
    let (code, _, err) = ormsh(&project, &["run", script.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("warning: 1 pending change not committed; rolled back"),
        "{err}"
    );
    assert!(err.contains("nothing committed in"), "{err}");
    // The same with -c, and --strict makes it a failure.
    let (code, _, err) = ormsh(&project, &["-c", add]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("1 pending change not committed"), "{err}");
    let (code, _, err) = ormsh(&project, &["--strict", "-c", add]);
    assert_eq!(code, 1, "{err}");
    // Flushed but not committed is not kept either; raw SQL counts too.
    let (code, _, err) = ormsh(
        &project,
        &[
            "-c",
            &format!(r#"{add}; db.session.flush(); db.execute("DELETE FROM post WHERE id > 0")"#),
        ],
    );
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("2 pending changes not committed"), "{err}");
    assert!(usernames(&db).is_empty(), "{kind:?}: nothing was written");
    // What -c commits stays.
    let (code, _, err) = ormsh(&project, &["-c", &format!("{add}; db.session.commit()")]);
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains("warning"), "{err}");
    assert_eq!(usernames(&db), ["ghost"]);
}
on_every_database!(uncommitted_work_is_rolled_back_and_said);

fn an_uncaught_error_keeps_what_was_committed(kind: Kind) {
    let (db, project) = blog(kind);
    let script = project.file(
        "fails.rhai",
        r#"db.session.add(User(#{ username: "a", email: "a@x" }));
db.session.commit();
db.session.add(User(#{ username: "b", email: "b@x" }));
db.session.flush();
throw "stop here";
"#,
    );
    let (code, _, err) = ormsh(&project, &["run", script.to_str().unwrap()]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("fails.rhai:5:"), "{err}");
    assert!(
        err.contains(
            "what was committed before the error is kept (User: 1 inserted, 0 updated, 0 deleted); the rest was rolled back"
        ),
        "{err}"
    );
    assert_eq!(usernames(&db), ["a"]);

    // --atomic: all or nothing.
    let (code, _, err) = ormsh(&project, &["run", "--atomic", script.to_str().unwrap()]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("nothing was committed"), "{err}");
    assert_eq!(usernames(&db), ["a"]);
}
on_every_database!(an_uncaught_error_keeps_what_was_committed);

/// In a sandbox a rollback goes back to the last commit too, and the dry
/// run's report counts what the commits kept.
fn a_sandbox_rollback_goes_back_to_the_last_commit(kind: Kind) {
    let (db, project) = blog(kind);
    let script = project.file("seed.rhai", CATCHES_A_FAILED_COMMIT);
    let (code, out, err) = ormsh(&project, &["run", "--sandbox", script.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("User: 2 inserted, 0 updated, 0 deleted"),
        "{kind:?}: {out}"
    );
    assert!(usernames(&db).is_empty(), "{kind:?}: the sandbox held");
}
on_every_database!(a_sandbox_rollback_goes_back_to_the_last_commit);

fn read_only_refuses_writes_at_the_connection(kind: Kind) {
    let (db, project) = blog(kind);
    project.run_ok(r#"db.session.add(User(#{ username: "amy", email: "amy@x" }));"#);
    let refused = |args: &[&str], env: Option<(&str, &str)>| {
        let mut cmd = project.ormsh();
        if let Some((k, v)) = env {
            cmd.env(k, v);
        }
        let out = cmd.args(args).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr).to_string();
        assert_eq!(out.status.code(), Some(1), "{args:?}: {err}");
        let line = err.lines().find(|l| l.starts_with("error:")).unwrap_or("");
        assert!(line.contains("read-only mode"), "{kind:?} {args:?}: {err}");
    };
    // Through the ORM.
    refused(
        &[
            "--read-only",
            "-c",
            r#"db.session.add(User(#{ username: "x", email: "x@x" })); db.session.commit()"#,
        ],
        None,
    );
    // Raw SQL, past ormsh's own checks: the database itself refuses.
    refused(
        &[
            "--read-only",
            "-y",
            "-c",
            "db.session.execute(db.text(\"UPDATE post SET title = 'changed'\"))",
        ],
        None,
    );
    refused(
        &["-y", "-c", "db.execute(\"DELETE FROM post\")"],
        Some(("ORMSH_READ_ONLY", "1")),
    );
    // Reads work, and nothing changed.
    let (code, out, err) = ormsh(&project, &["--read-only", "-c", "User.query.count()"]);
    assert_eq!((code, out.trim()), (0, "1"), "{err}");
    assert_eq!(usernames(&db), ["amy"]);
    // read_only = true in ormsh.toml does the same.
    let toml = std::fs::read_to_string(project.path().join("ormsh.toml")).unwrap();
    project.file(
        "ormsh.toml",
        &toml.replace("[database]\n", "[database]\nread_only = true\n"),
    );
    refused(
        &[
            "-c",
            r#"db.session.add(User(#{ username: "y", email: "y@x" })); db.session.commit()"#,
        ],
        None,
    );
    assert_eq!(
        db.scalar(&format!(
            "SELECT email FROM {} WHERE username = 'amy'",
            db.quote("user")
        )),
        "amy@x"
    );
}
on_every_database!(read_only_refuses_writes_at_the_connection);

#[test]
fn the_read_only_prompt_says_so() {
    let (_db, project) = blog(Kind::Sqlite);
    let out = project
        .ormsh()
        .args(["--read-only", "shell"])
        .write_stdin("User.query.count()\n")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("READ-ONLY"), "{stdout}");
}
