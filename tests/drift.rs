//! Drift between the models and the live database: each kind is reported,
//! `db diff` exits 1, and the `--sql` it prints, once applied, clears what
//! can be changed in place.

mod common;

use common::{BLOG_MODELS, Kind, Project, TestDb};

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
    ) + r#"db.Model("Tag", [ db.Column("id", db.Integer, #{ primary_key: true }), db.Column("name", db.String(20)) ]);"#;
    std::fs::write(project.path().join("models.rhai"), changed).unwrap();
    db.rows(&format!(
        "ALTER TABLE {} ADD COLUMN legacy INTEGER",
        db.quote("user")
    ));

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
    let ddl: String = sql
        .lines()
        .filter(|l| !l.starts_with("--"))
        .collect::<Vec<_>>()
        .join("\n");
    for statement in ddl.split(";\n").map(str::trim).filter(|s| !s.is_empty()) {
        db.rows(statement.trim_end_matches(';'));
    }
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
        after.contains("legacy"),
        "an extra column stays for a person to decide:\n{after}"
    );
}

on_every_database!(drift);
