//! What the shell says about the values a user holds: no Rust type name in
//! any error or `type_of()`, each type by the name users know; a call that
//! exists with other arguments, or on another value, said so; and
//! "did you mean" never naming what was typed.

use crate::common::{BLOG_MODELS, Kind, Project, TestDb};

fn blog() -> (TestDb, Project) {
    let db = TestDb::new(Kind::Sqlite);
    let project = Project::new(&db.url, BLOG_MODELS);
    project.run_ok(
        r#"db.create_all();
        let u = User(#{ username: "amy", email: "amy@example.com" });
        db.session.add(u);
        db.session.add(Post(#{ title: "Hello", content: "World", author: u }));"#,
    );
    (db, project)
}

/// Each line at the prompt (from a pipe); its standard error.
fn errors_at_prompt(project: &Project, lines: &[&str]) -> Vec<String> {
    lines
        .iter()
        .map(|line| {
            let out = project
                .ormsh()
                .args(["--no-echo", "shell"])
                .write_stdin(format!("{line}\n"))
                .output()
                .unwrap();
            String::from_utf8_lossy(&out.stderr).to_string()
        })
        .collect()
}

#[test]
fn no_rust_type_name_reaches_the_user() {
    let (db, project) = blog();
    assert_eq!(db.scalar("SELECT count(*) FROM post"), "1");
    let lines = [
        "db.session.add(User.query.first().posts)",
        "User.query.filter(User.query.first().posts)",
        "User.query.filter(1)",
        "User.query.limit(\"5\")",
        "User.query.first().posts + 1",
        "User.id.foo",
        "User.query.all",
        "User.query.first().posts.foo()",
        "User.query.with_entities(User.id).first().foo",
        "db.session.add(User.query.with_entities(User.id).all())",
        "joinedload(User.query)",
        "User.query.options(User.id)",
        "db.execute(\"SELECT 1\", User.query)",
        "User(#{ username: User.query })",
    ];
    let errors = errors_at_prompt(&project, &lines);
    for (line, err) in lines.iter().zip(&errors) {
        assert!(err.contains("error:"), "{line}: an error: {err}");
        for leak in [
            "::",
            "Handle",
            "ImmutableString",
            "&str",
            "i64",
            "SqlExpr",
            "alloc",
        ] {
            assert!(!err.contains(leak), "{line}: `{leak}` in {err}");
        }
    }
    let said = |i: usize, text: &str| {
        assert!(errors[i].contains(text), "{}: {}", lines[i], errors[i]);
    };
    said(
        0,
        "takes a model object, like User(#{..}), not a collection (User.posts)",
    );
    said(1, "not a collection (User.posts)");
    said(2, "not an integer");
    said(
        3,
        "`limit` of a Query does not take (string): limit: at most n rows",
    );
    said(4, "no operator `+` between a Collection and an integer");
    said(5, "a ColumnElement has no property `foo`");
    said(6, "`all` of a Query is a method: call it as all(..)");
    said(7, "no function or method `foo (Collection)`");
    said(8, "this row has no column `foo`");
    said(9, "not a Rows");

    let (out, _) = project.run_ok(
        r#"
print([type_of(User), type_of(User.query), type_of(User.query.first()), type_of(User.query.first().posts),
       type_of(User.id), type_of(User.posts), type_of(db), type_of(db.session), type_of(func),
       type_of(User.query.with_entities(User.id).all()), type_of(User.query.with_entities(User.id).first()),
       type_of(joinedload(User.posts)), type_of(User.query.sql())]);
"#,
    );
    assert_eq!(
        out.trim(),
        r#"["Model", "Query", "Object", "Collection", "ColumnElement", "Relationship", "SQLAlchemy", "Session", "func", "Rows", "Row", "LoaderOption", "Sql"]"#
    );
}

#[test]
fn did_you_mean_never_suggests_what_was_typed() {
    let (_db, project) = blog();
    let lines = [
        "User.query.add(User.query.first())",
        "User.query.get(1).Username",
        "User.query.filter_by(1)",
        "db.session.limit(1)",
        ".schema user",
        "User.query.fliter(User.id == 1)",
        ".shema",
    ];
    // The name each line typed, which must not come back as its correction.
    let typed = [
        "add",
        "Username",
        "filter_by",
        "limit",
        "user",
        "fliter",
        ".shema",
    ];
    let errors = errors_at_prompt(&project, &lines);
    for ((line, err), typed) in lines.iter().zip(&errors).zip(typed) {
        assert!(err.contains("error:"), "{line}: an error: {err}");
        assert!(
            !err.contains(&format!("did you mean `{typed}`")),
            "{line} suggests itself: {err}"
        );
    }
    let said = |i: usize, text: &str| {
        assert!(errors[i].contains(text), "{}: {}", lines[i], errors[i]);
    };
    said(0, "`add` is a method of db.session, not of a Query");
    said(
        1,
        "User has no attribute `Username` (names are case-sensitive: did you mean `username`?)",
    );
    said(2, "`filter_by` of a Query does not take (integer)");
    said(
        3,
        "`limit` is a method of a query (User.query), not of a Session",
    );
    said(
        4,
        "there is no model named `user` (names are case-sensitive: did you mean `User`?)",
    );
    said(5, "(did you mean `filter`?)");
    said(6, "unknown command `.shema` (did you mean `.schema`?)");
}
