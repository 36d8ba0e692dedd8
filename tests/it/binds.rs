//! `[binds]`: a model with `bind_key` lives on its own database; one session
//! spans a SQLite file and a server database, and `create_all`/`drop_all`
//! act on every bind or on the one named.

use crate::common::{self, Kind, TestDb};

const MODELS: &str = r#"
db.Model("User", [
    db.Column("id", db.Integer, #{ primary_key: true }),
    db.Column("username", db.String(80), #{ nullable: false }),
]);
db.Model("PageView", [
    db.Column("id", db.Integer, #{ primary_key: true }),
    db.Column("path", db.String(200), #{ nullable: false }),
    db.Column("user_id", db.Integer),
], #{ bind_key: "analytics" });
"#;

/// Also Flask-SQLAlchemy 3.1's tests/test_session.py::test_session_uses_bind_key
/// (a model with a bind key is read and written on that bind's engine).
fn spans(bind_kind: Kind) {
    let main = TestDb::new(Kind::Sqlite);
    let analytics = TestDb::new(bind_kind);
    let project = common::Project::new(&main.url, MODELS);
    std::fs::write(
        project.path().join("ormsh.toml"),
        format!(
            "[database]\nurl = \"{}\"\n\n[binds]\nanalytics = \"{}\"\n\n[models]\nfile = \"models.rhai\"\n",
            main.url, analytics.url
        ),
    )
    .unwrap();
    project.run_ok(
        r#"db.create_all();
        let u = User(#{ username: "amy" });
        db.session.add(u);
        db.session.flush();
        db.session.add(PageView(#{ path: "/home", user_id: u.id }));
        db.session.add(PageView(#{ path: "/about", user_id: u.id }));"#,
    );
    assert_eq!(main.scalar("SELECT username FROM user"), "amy");
    assert_eq!(
        analytics.scalar(&format!(
            "SELECT count(*) FROM {}",
            analytics.quote("page_view")
        )),
        "2"
    );
    // Each table exists only where its model lives.
    assert_eq!(
        main.scalar("SELECT count(*) FROM sqlite_master WHERE name = 'page_view'"),
        "0"
    );
    let (out, _) = project.run_ok("print(PageView.query.filter(PageView.path.startswith(\"/a\")).count()); print(User.query.count());");
    assert_eq!(out, "1\n1\n");

    let out = project
        .ormsh()
        .arg("shell")
        .write_stdin(".models\n")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("analytics") && text.contains("(default)"),
        "{text}"
    );

    // drop_all on one bind leaves the other alone.
    project.run_ok(r#"db.drop_all(#{ bind_key: "analytics", confirm: true });"#);
    assert_eq!(main.scalar("SELECT count(*) FROM user"), "1");
    assert!(!analytics.has_table("page_view"));
    assert!(main.has_table("user"));
    project.run_ok("db.create_all();");
    assert!(analytics.has_table("page_view"));
}

on_every_database!(spans);

/// `db.create_all(["a", "b"])` and `bind_key=[..]` (Flask-SQLAlchemy 3.1's
/// `test_create_drop_all` with a list of keys): only the binds named, `()`
/// for the default database.
#[test]
fn create_and_drop_a_list_of_binds() {
    let main = TestDb::new(Kind::Sqlite);
    let a = TestDb::new(Kind::Sqlite);
    let b = TestDb::new(Kind::Sqlite);
    let models = r#"
db.Model("User", [db.Column("id", db.Integer, #{ primary_key: true })]);
db.Model("Apple", [db.Column("id", db.Integer, #{ primary_key: true })], #{ bind_key: "a" });
db.Model("Banana", [db.Column("id", db.Integer, #{ primary_key: true })], #{ bind_key: "b" });
"#;
    let project = common::Project::new(&main.url, models);
    std::fs::write(
        project.path().join("ormsh.toml"),
        format!(
            "[database]\nurl = \"{}\"\n\n[binds]\na = \"{}\"\nb = \"{}\"\n\n[models]\nfile = \"models.rhai\"\n",
            main.url, a.url, b.url
        ),
    )
    .unwrap();
    project.run_ok(r#"db.create_all(["a"]);"#);
    assert!(a.has_table("apple") && !b.has_table("banana") && !main.has_table("user"));
    project.run_ok(r#"db.create_all(#{ bind_key: [(), "b"] });"#);
    assert!(b.has_table("banana") && main.has_table("user"));
    project.run_ok(r#"db.drop_all(#{ bind_key: ["a", "b"], confirm: true });"#);
    assert!(!a.has_table("apple") && !b.has_table("banana") && main.has_table("user"));
    // One key by position, as Python's `db.create_all("b")`.
    project.run_ok(r#"db.create_all("b");"#);
    assert!(b.has_table("banana") && !a.has_table("apple"));
    let out = project
        .ormsh()
        .args(["-c", r#"db.create_all(#{ bind_key: [1] })"#])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("bind_key must be a string, (), or a list"),
        "{err}"
    );
}

/// `[binds]` and no `url` under [database] (Flask-SQLAlchemy's
/// SQLALCHEMY_BINDS without SQLALCHEMY_DATABASE_URI): the models on a bind
/// work; a model with no bind key, `db.create_all()` and the commands that
/// need the default database are refused, saying why; `.models` and
/// `db diff` answer.
fn binds_only(kind: Kind) {
    let a = TestDb::new(kind);
    let models = r#"
db.Model("Apple", [
    db.Column("id", db.Integer, #{ primary_key: true }),
    db.Column("name", db.String(20)),
], #{ bind_key: "a" });
"#;
    let stray = "db.Model(\"Stray\", [db.Column(\"id\", db.Integer, #{ primary_key: true })]);\n";
    let project = common::Project::new(&a.url, models);
    std::fs::write(
        project.path().join("ormsh.toml"),
        format!(
            "[binds]\na = \"{}\"\n\n[models]\nfile = \"models.rhai\"\n",
            a.url
        ),
    )
    .unwrap();
    project.run_ok(r#"db.create_all("a"); db.session.add(Apple(#{ name: "x" }));"#);
    let (out, _) = project.ok(&[
        "--no-echo",
        "-c",
        "print(Apple.query.first().name); print(app.config.SQLALCHEMY_DATABASE_URI)",
    ]);
    assert_eq!(out, "x\nNone\n");
    let (out, _) = project.ok(&["db", "diff"]);
    assert!(out.contains("no drift"), "{kind:?}: {out}");
    let out = project
        .ormsh()
        .arg("shell")
        .write_stdin(".models\n.tables\n")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success() && text.contains("apple"), "{text}");

    // A model with no bind key loads; using it is refused.
    std::fs::write(
        project.path().join("models.rhai"),
        format!("{models}{stray}"),
    )
    .unwrap();
    let refused = |args: &[&str], says: &str| {
        let out = project.ormsh().args(args).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(
            !out.status.success() && err.contains(says) && !err.contains("panicked"),
            "{kind:?} {args:?}: {err}"
        );
    };
    refused(
        &["-c", "Stray.query.count()"],
        "Stray has no bind key, and there is no default database (SQLALCHEMY_DATABASE_URI, or `url` under [database], is not set), only the binds `a`",
    );
    refused(
        &["-c", "db.create_all()"],
        "name a bind (`db.create_all(\"a\")`)",
    );
    refused(&["db", "diff"], "Stray has no bind key");
    refused(&["db", "current"], "there is no default database");
    let (out, _) = project.ok(&["--no-echo", "-c", "Apple.query.count()"]);
    assert_eq!(out.trim(), "1");
}

on_every_database!(binds_only);
