//! Bad input gets a clear error that says what and where, and loses
//! nothing: every case the foundation issue lists.

use crate::common::{BLOG_MODELS, Kind, Project, TestDb};
use predicates::prelude::*;

fn blog() -> (TestDb, Project) {
    let db = TestDb::new(Kind::Sqlite);
    let project = Project::new(&db.url, BLOG_MODELS);
    project.run_ok(
        r#"db.create_all();
        let u = User(#{ username: "johndoe", email: "john@example.com" });
        db.session.add(u);
        db.session.add(Post(#{ title: "Hello", content: "World", author: u }));"#,
    );
    (db, project)
}

/// Lines typed at the prompt (from a pipe); returns (stdout, stderr).
fn at_prompt(project: &Project, input: &str) -> (String, String) {
    let out = project
        .ormsh()
        .arg("--no-echo")
        .arg("shell")
        .write_stdin(input.to_string())
        .output()
        .unwrap();
    assert!(out.status.success(), "the prompt exits 0 after errors");
    (
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

#[test]
fn syntax_error_at_the_prompt_shows_line_column_and_a_caret() {
    let (_db, project) = blog();
    let (_, err) = at_prompt(&project, "let x = 1 +* 2;\nUser.query.count()\n");
    assert!(err.contains("(line 1, column 12)"), "{err}");
    assert!(err.contains("  let x = 1 +* 2;\n             ^"), "{err}");
}

#[test]
fn syntax_error_in_a_script_shows_file_line_column() {
    let (_db, project) = blog();
    let script = project.file("bad.rhai", "let a = 1;\nlet b = (2;\n");
    project
        .ormsh()
        .arg("run")
        .arg(&script)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("bad.rhai:2:"));
}

#[test]
fn unknown_names_are_named_with_the_nearest_known_one() {
    let (_db, project) = blog();
    let (_, err) = at_prompt(
        &project,
        "Usr.query.all()\nUser.usrname\nUser.query.fliter_by(#{ username: \"x\" })\nUser.query.filter_by(#{ usrname: \"x\" }).first()\nlet u = User.query.first(); u.emial\n",
    );
    assert!(err.contains("`Usr` is not defined"), "{err}");
    assert!(
        err.contains("User has no attribute `usrname` (did you mean `username`?)"),
        "{err}"
    );
    assert!(
        err.contains("`fliter_by (Query, map)` (did you mean `filter_by`?)"),
        "{err}"
    );
    assert!(err.matches("did you mean `username`").count() >= 2, "{err}");
    assert!(
        err.contains("User has no attribute `emial` (did you mean `email`?)"),
        "{err}"
    );
}

#[test]
fn comparisons_without_sql_meaning_are_errors_not_false() {
    let (_db, project) = blog();
    let (out, err) = at_prompt(
        &project,
        "User.query.filter(User.id == \"abc\").all()\nUser.query.filter(User.id == [1, 2]).count()\n",
    );
    assert!(
        err.contains("cannot compare user.id (Integer) with 'abc' (string)"),
        "{err}"
    );
    assert!(
        err.contains("cannot compare user.id (Integer) with [1,2] (JSON)"),
        "{err}"
    );
    assert!(!out.contains("false"), "{out}");
}

#[test]
fn constraint_failure_rolls_back_and_the_prompt_goes_on() {
    let (db, project) = blog();
    let (out, err) = at_prompt(
        &project,
        "db.session.add(User(#{ username: \"amy\", email: \"amy@example.com\" }))\n\
         db.session.add(User(#{ username: \"johndoe\", email: \"other@example.com\" }))\n\
         db.session.commit()\n\
         db.session.add(User(#{ username: \"bob\" }))\n\
         db.session.commit()\n\
         db.session.add(User(#{ username: \"carl\", email: \"carl@example.com\" }))\n\
         db.session.commit()\n\
         User.query.count()\n",
    );
    assert!(
        err.contains("UNIQUE constraint failed: user.username"),
        "{err}"
    );
    assert!(err.contains("rolled back"), "{err}");
    assert!(
        err.contains("NOT NULL constraint failed: user.email"),
        "{err}"
    );
    assert!(out.trim_end().ends_with('2'), "{out}");
    // Nothing half-written: amy went with the failed commit, carl came after it.
    assert_eq!(
        db.rows("SELECT username FROM user ORDER BY id"),
        vec![vec!["johndoe".to_string()], vec!["carl".to_string()]]
    );
}

/// As in Flask: what a script committed before its error stays; the rest goes.
#[test]
fn a_failing_script_keeps_what_it_committed() {
    let (db, project) = blog();
    let script = project.file(
        "fails.rhai",
        "db.session.add(User(#{ username: \"amy\", email: \"amy@example.com\" }));\ndb.session.commit();\ndb.session.add(User(#{ username: \"bo\", email: \"bo@example.com\" }));\nlet x = User.query.get(1);\nx.nope = 1;\n",
    );
    project
        .ormsh()
        .arg("run")
        .arg(&script)
        .assert()
        .code(1)
        .stderr(
        predicate::str::contains("fails.rhai:5:").and(predicate::str::contains(
            "what was committed before the error is kept (User: 1 inserted, 0 updated, 0 deleted)",
        )),
    );
    assert_eq!(
        db.rows("SELECT username FROM user ORDER BY id"),
        vec![vec!["johndoe".to_string()], vec!["amy".to_string()]]
    );
}

#[test]
fn missing_or_unreadable_files_exit_2_with_one_line() {
    let empty = tempfile::tempdir().unwrap();
    let mut cmd = assert_cmd::Command::cargo_bin("ormsh").unwrap();
    cmd.current_dir(empty.path())
        .env_remove("DATABASE_URL")
        .env_remove("SQLALCHEMY_DATABASE_URI")
        .env_remove("ORMSH_APP")
        .arg("-c")
        .arg("1")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no ormsh.toml found"));

    let project = Project::new("sqlite:///x.db", "");
    std::fs::remove_file(project.path().join("models.rhai")).unwrap();
    project
        .ormsh()
        .arg("-c")
        .arg("1")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("models.rhai"));

    let project = Project::new("nosuchdb://x", "");
    project
        .ormsh()
        .arg("-c")
        .arg("1")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("nosuchdb"));

    let dir = tempfile::tempdir().unwrap();
    let project = Project::new(&format!("sqlite:////{}", dir.path().display()), "");
    project
        .ormsh()
        .arg("-c")
        .arg("1")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("is a folder"));

    let project = Project::new(
        "sqlite://",
        "db.Model(\"User\", [ db.Column(\"id\", db.Integr, #{ primary_key: true }) ]);",
    );
    project
        .ormsh()
        .arg("-c")
        .arg("1")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("models.rhai:1:"));
}

#[test]
fn usage_errors_exit_2_and_results_print() {
    let (_db, project) = blog();
    project.ormsh().arg("--no-such-flag").assert().code(2);
    project
        .ormsh()
        .arg("-c")
        .arg("User.query.count()")
        .assert()
        .code(0)
        .stdout("1\n");
    project
        .ormsh()
        .write_stdin("print(User.query.first().username);")
        .assert()
        .code(0)
        .stdout("johndoe\n");
    project
        .ormsh()
        .arg("-c")
        .arg("User.query.get(99).username")
        .assert()
        .code(1);
}

#[test]
fn output_to_a_file_and_markdown() {
    let (_db, project) = blog();
    let file = project.path().join("out.md");
    let (out, _) = at_prompt(
        &project,
        &format!(
            ".format markdown\n.output {}\nUser.query.all()\n.output\nUser.query.count()\n",
            file.display()
        ),
    );
    assert!(out.trim_end().ends_with('1'), "{out}");
    let written = std::fs::read_to_string(&file).unwrap();
    assert_eq!(
        written,
        "| id | username | email |\n|---|---|---|\n| 1 | johndoe | john@example.com |\n"
    );
}
