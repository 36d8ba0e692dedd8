//! Drift between the models and the live database: each kind is reported,
//! `db diff` exits 1, and the `--sql` it prints, once applied, clears what
//! can be changed in place.

use crate::common::{BLOG_MODELS, Kind, Project, TestDb};

fn drift(kind: Kind) {
    let db = TestDb::new(kind);
    let project = Project::new(&db.url, BLOG_MODELS);
    project.run_ok("db.create_all();");
    let clean = project.ormsh().args(["db", "diff"]).output().unwrap();
    assert_eq!(
        clean.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&clean.stderr)
    );

    // The models move on: a new column, an index, a new model; the database gains a column.
    let changed = BLOG_MODELS.replace(
        r#"db.Column("title", db.String(100), #{ nullable: false }),"#,
        r#"db.Column("title", db.String(100), #{ nullable: false, index: true }),
    db.Column("views", db.Integer),"#,
    ) + r#"db.Model("Tag", [ db.Column("id", db.Integer, #{ primary_key: true }), db.Column("name", db.String(20)) ]);
db.Table("post_tag", [
    db.Column("post_id", db.Integer, db.ForeignKey("post.id"), #{ primary_key: true }),
    db.Column("tag_id", db.Integer, db.ForeignKey("tag.id"), #{ primary_key: true }),
]);"#;
    std::fs::write(project.path().join("models.rhai"), changed).unwrap();
    db.rows(&format!(
        "ALTER TABLE {} ADD COLUMN legacy INTEGER",
        db.quote("user")
    ));
    db.rows("CREATE TABLE audit_log (id INTEGER PRIMARY KEY, note TEXT)");

    let out = project.ormsh().args(["db", "diff"]).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let report = String::from_utf8_lossy(&out.stdout);
    for expected in [
        "missing column",
        "views",
        "missing index",
        "title",
        "missing table",
        "Tag",
        "extra column",
        "legacy",
        "table post_tag",
        "extra table",
        "audit_log",
    ] {
        assert!(
            report.contains(expected),
            "{kind:?}: {expected} in\n{report}"
        );
    }

    let sql = String::from_utf8(
        project
            .ormsh()
            .args(["db", "diff", "--sql"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert!(
        sql.contains("ADD COLUMN") && sql.contains("CREATE TABLE") && sql.contains("INDEX"),
        "{sql}"
    );
    apply(&db, &sql);
    let after = String::from_utf8(
        project
            .ormsh()
            .args(["db", "diff"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    assert!(
        !after.contains("missing"),
        "{kind:?}: fixed by the printed DDL:\n{after}"
    );
    assert!(
        after.contains("legacy") && after.contains("audit_log"),
        "an extra column or table stays for a person to decide:\n{after}"
    );
    assert!(
        db.has_table("post_tag"),
        "{kind:?}: the association table was created"
    );
}

on_every_database!(drift);

/// Run each statement the `--sql` output prints (comments left out).
fn apply(db: &TestDb, sql: &str) {
    let ddl: String = sql
        .lines()
        .filter(|l| !l.starts_with("--"))
        .collect::<Vec<_>>()
        .join("\n");
    for statement in ddl.split(";\n").map(str::trim).filter(|s| !s.is_empty()) {
        db.rows(statement.trim_end_matches(';'));
    }
}

fn diff(project: &Project, sql: bool) -> (Option<i32>, String) {
    let mut args = vec!["db", "diff"];
    if sql {
        args.push("--sql");
    }
    let out = project.ormsh().args(args).output().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

/// A column's type, nullability and default, and a foreign key: reported,
/// altered in place where the database can (PostgreSQL, MariaDB), and named
/// as needing a rebuild where it cannot (SQLite).
fn column_drift(kind: Kind) {
    let db = TestDb::new(kind);
    let project = Project::new(&db.url, BLOG_MODELS);
    project.run_ok("db.create_all();");
    db.rows(&format!(
        "ALTER TABLE {} ADD COLUMN editor_id INTEGER",
        db.quote("post")
    ));
    let changed = BLOG_MODELS
        .replace(
            r#"db.Column("username", db.String(80)"#,
            r#"db.Column("username", db.String(150)"#,
        )
        .replace(
            r#"db.Column("content", db.Text, #{ nullable: false }),"#,
            r#"db.Column("content", db.Text),
    db.Column("editor_id", db.Integer, db.ForeignKey("user.id")),"#,
        )
        .replace(
            r#"db.Column("title", db.String(100), #{ nullable: false }),"#,
            r#"db.Column("title", db.String(100), #{ nullable: false, server_default: "untitled" }),"#,
        )
        // Two foreign keys to user now: the relationship says which it uses.
        .replace(
            r#"#{ backref: "author", lazy: true }"#,
            r#"#{ backref: "author", lazy: true, foreign_keys: ["user_id"] }"#,
        );
    std::fs::write(project.path().join("models.rhai"), changed).unwrap();

    let (code, report) = diff(&project, false);
    assert_eq!(code, Some(1), "{report}");
    for expected in [
        "type differs",
        "username",
        "nullability differs",
        "content",
        "default differs",
        "'untitled'",
        "missing foreign key",
        "editor_id",
    ] {
        assert!(
            report.contains(expected),
            "{kind:?}: {expected} in\n{report}"
        );
    }
    assert!(
        !report.contains("extra column"),
        "{kind:?}: nothing else\n{report}"
    );

    let (_, sql) = diff(&project, true);
    if kind == Kind::Sqlite {
        assert_eq!(
            sql.matches("the table must be rebuilt").count(),
            3,
            "each change SQLite cannot make in place is named:\n{sql}"
        );
        // A type SQLite cannot change in place: the table is rebuilt.
        assert_eq!(
            sql.matches("RENAME TO").count(),
            1,
            "one rebuild for the type change:\n{sql}"
        );
        assert!(!sql.contains("ALTER COLUMN"), "{sql}");
        return;
    }
    assert!(sql.contains("FOREIGN KEY"), "{sql}");
    apply(&db, &sql);
    let (code, after) = diff(&project, false);
    assert_eq!(
        code,
        Some(0),
        "{kind:?}: the printed DDL clears the drift:\n{sql}\n{after}"
    );
    // The new default is the database's own now.
    db.rows(&format!(
        "INSERT INTO {} (username, email) VALUES ('a', 'a@x')",
        db.quote("user")
    ));
    db.rows(&format!(
        "INSERT INTO {} (content, user_id) VALUES (NULL, 1)",
        db.quote("post")
    ));
    assert_eq!(
        db.scalar(&format!("SELECT title FROM {}", db.quote("post"))),
        "untitled"
    );
}

on_every_database!(column_drift);
