//! tests/test_legacy_query.py, tests/test_view_query.py,
//! tests/test_record_queries.py and tests/test_model.py (Flask-SQLAlchemy
//! 3.1), translated: the `*_or_404` answers (a 404 stops the line, as
//! `abort(404)` stops a view), recorded queries, a model's default repr.
//!
//! Not meaningful in a shell:
//! - test_legacy_query.py::test_default_query_class, test_custom_query_class:
//!   Python classes (`query_class`) that a shell user neither sees nor sets.
//! - test_model.py::test_default_model_class, test_custom_model_class,
//!   test_custom_model_sqlalchemy20_class, test_custom_declarative_class:
//!   `model_class=` and metaclasses, Python-only.

use crate::common::{Kind, Project, TestDb};

const TODO: &str = r#"
db.Model("Todo", [
    db.Column("id", db.Integer, #{ primary_key: true }),
    db.Column("title", db.String(50)),
]);
"#;

/// Run `script`, which must fail with a 404; returns stderr.
fn not_found(project: &Project, script: &str) -> String {
    let path = project.file("fail.rhai", script);
    let out = project.ormsh().arg("run").arg(&path).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(
        !out.status.success() && stderr.contains("404 Not Found: "),
        "{script}\n{stderr}"
    );
    stderr
}

/// test_legacy_query.py::test_get_or_404, test_first_or_404,
/// test_one_or_404 and test_view_query.py::test_view_get_or_404,
/// test_first_or_404, test_view_one_or_404, test_view_get_or_404_typed:
/// `get_or_404` gives the object of the identity map itself; no row, or
/// more than one for `one_or_404`, is a 404.
fn or_404_on(kind: Kind) {
    let db = TestDb::new(kind);
    let project = Project::new(&db.url, TODO);
    let (out, _) = project.run_ok(
        r#"
        db.create_all();
        let item = Todo();
        db.session.add(item);
        db.session.commit();
        print(item.id);
        print(Todo.query.get_or_404(1) == item);
        print(db.get_or_404(Todo, 1) == item);
        item.title = "changed";
        print(db.get_or_404(Todo, 1).title);
        db.session.add(Todo(#{ title: "a" }));
        db.session.add(Todo(#{ title: "b" }));
        db.session.add(Todo(#{ title: "b" }));
        db.session.commit();
        print(Todo.query.filter_by(#{ title: "a" }).first_or_404().title);
        print(db.first_or_404(db.select(Todo).filter_by(#{ title: "a" })).title);
        print(Todo.query.filter_by(#{ title: "a" }).one_or_404().title);
        print(db.one_or_404(db.select(Todo).filter_by(#{ title: "a" })).title);
        "#,
    );
    assert_eq!(out, "1\ntrue\ntrue\nchanged\na\na\na\na\n");
    assert_eq!(
        db.scalar("SELECT count(*) FROM todo WHERE title = 'b'"),
        "2"
    );
    for (script, why) in [
        ("Todo.query.get_or_404(5);", "no Todo with primary key 5"),
        ("db.get_or_404(Todo, 5);", "no Todo with primary key 5"),
        (
            r#"Todo.query.filter_by(#{ title: "c" }).first_or_404();"#,
            "no Todo matched the query",
        ),
        (
            r#"db.first_or_404(db.select(Todo).filter_by(#{ title: "c" }));"#,
            "found no row",
        ),
        (
            r#"Todo.query.filter_by(#{ title: "b" }).one_or_404();"#,
            "more than one Todo",
        ),
        (
            r#"Todo.query.filter_by(#{ title: "c" }).one_or_404();"#,
            "no Todo matched the query",
        ),
        (
            r#"db.one_or_404(db.select(Todo).filter_by(#{ title: "b" }));"#,
            "found more than one row",
        ),
        (
            r#"db.one_or_404(db.select(Todo).filter_by(#{ title: "c" }));"#,
            "found no row",
        ),
    ] {
        let stderr = not_found(&project, script);
        assert!(stderr.contains(why), "{script}\n{stderr}");
    }
}

on_every_database!(or_404_on);

/// test_record_queries.py::test_query_info: with `record_queries`, the last
/// statement (`FROM example`, the name bare as SQLAlchemy writes it), its
/// parameters as SQLAlchemy's list of parameter sets, a duration of exactly
/// `end_time - start_time`, and the script's file, line and function.
#[test]
fn record_queries_query_info() {
    let db = TestDb::new(Kind::Sqlite);
    let example = r#"db.Model("Example", [db.Column("id", db.Integer, #{ primary_key: true })]);"#;
    let project = Project::new(&db.url, example);
    project.run_ok("db.create_all();");
    let toml = std::fs::read_to_string(project.path().join("ormsh.toml")).unwrap();
    project.file(
        "ormsh.toml",
        &toml.replace("[database]\n", "[database]\nrecord_queries = true\n"),
    );
    let (out, _) = project.run_ok(
        r#"fn test_query_info() {
    Example.query.filter(Example.id < 5).all();
}
test_query_info();
let info = db.get_recorded_queries()[-1];
print(info.statement.contains("SELECT"));
print(info.statement.contains("FROM example"));
print(info.parameters[0][0] == 5);
print(info.duration == info.end_time - info.start_time);
print(info.location);"#,
    );
    let (checks, location) = out.split_at(out.rfind("true\n").unwrap() + 5);
    assert_eq!(checks, "true\ntrue\ntrue\ntrue\n", "{out}");
    // Upstream: the test file's path, line and function.
    assert!(
        location.ends_with("/step.rhai:2 (test_query_info)\n"),
        "{out}"
    );
}

/// test_model.py::test_model_repr: `<Todo (transient ID)>`, then `(pending
/// ID)` with the same object id, then `<Todo 1>` once flushed.
#[test]
fn model_repr() {
    let db = TestDb::new(Kind::Sqlite);
    let project = Project::new(&db.url, TODO);
    let (out, _) = project.run_ok(
        "db.create_all(); let t = Todo(); print(t); db.session.add(t); print(t); db.session.flush(); print(t);",
    );
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 3, "{out}");
    let id = lines[0]
        .strip_prefix("<Todo (transient ")
        .and_then(|s| s.strip_suffix(")>"))
        .unwrap_or_else(|| panic!("{out}"));
    assert!(id.parse::<u64>().is_ok(), "{out}");
    assert_eq!(lines[1], format!("<Todo (pending {id})>"));
    assert_eq!(lines[2], "<Todo 1>");
}

/// tests/test_cli.py::test_shell_context: the shell has `db` and every model.
#[test]
fn shell_context() {
    let db = TestDb::new(Kind::Sqlite);
    let project = Project::new(&db.url, TODO);
    let (out, _) =
        project.run_ok("print(type_of(db)); print(Todo.__name__); print(Todo.__tablename__);");
    assert_eq!(out, "SQLAlchemy\nTodo\ntodo\n");
}

/// tests/test_extension_object.py::test_get_or_404_kwargs:
/// `db.get_or_404(Todo, 1, #{ options: [joinedload(Todo.user)] })` loads
/// the user in the same statement: one recorded query, none when
/// `item.user` is read. (test_extension_object.py::test_get_or_404 is
/// test_view_get_or_404 above.)
fn get_or_404_options_on(kind: Kind) {
    let db = TestDb::new(kind);
    let project = Project::new(
        &db.url,
        r#"
db.Model("User", [db.Column("id", db.Integer, #{ primary_key: true })]);
db.Model("Todo", [
    db.Column("id", db.Integer, #{ primary_key: true }),
    db.Column("user_id", db.Integer, db.ForeignKey("user.id")),
    db.relationship("user", "User"),
]);
"#,
    );
    project.run_ok("db.create_all(); db.session.add(Todo(#{ user: User() }));");
    let toml = std::fs::read_to_string(project.path().join("ormsh.toml")).unwrap();
    project.file(
        "ormsh.toml",
        &toml.replace("[database]\n", "[database]\nrecord_queries = true\n"),
    );
    let (out, _) = project.run_ok(
        r#"let item = db.get_or_404(Todo, 1, #{ options: [joinedload(Todo.user)] });
        print(item.user.id);
        print(db.get_recorded_queries().len());
        print(db.get_or_404(Todo, 1, #{ options: [joinedload(Todo.user)] }) == item);
        print(db.get_recorded_queries().len());"#,
    );
    assert_eq!(out, "1\n1\ntrue\n1\n");
    // Without the option the user is loaded lazily: a second statement.
    let (out, _) = project.run_ok(
        "let item = db.get_or_404(Todo, 1); print(item.user.id); print(db.get_recorded_queries().len());",
    );
    assert_eq!(out, "1\n2\n");
    let stderr = not_found(
        &project,
        r#"db.get_or_404(Todo, 7, #{ options: [joinedload(Todo.user)], description: "no such todo" });"#,
    );
    assert!(stderr.contains("404 Not Found: no such todo"), "{stderr}");
    let path = project.file(
        "fail.rhai",
        "db.get_or_404(Todo, 1, #{ with_for_update: true });",
    );
    let out = project.ormsh().arg("run").arg(&path).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success() && stderr.contains("get_or_404() has no option `with_for_update`"),
        "{stderr}"
    );
}

on_every_database!(get_or_404_options_on);
