//! Reflection of types real schemas use: MariaDB ENUM values keep their case,
//! a `VARCHAR(n) BINARY` column is text, a PostgreSQL domain is its base
//! type, and views are left out of the models and of `db diff` on every
//! database. Rows written by plain SQL, read back through ormsh.

mod common;

use common::{Kind, Project, TestDb};

fn no_models(db: &TestDb) -> Project {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("ormsh.toml"),
        format!("[database]\nurl = \"{}\"\n", db.url),
    )
    .unwrap();
    Project { dir }
}

fn ok(project: &Project, args: &[&str]) -> String {
    let out = project.ormsh().args(args).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        out.status.success(),
        "{args:?}: {stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

fn schema(kind: Kind) -> &'static [&'static str] {
    match kind {
        Kind::MySql => &[
            "CREATE TABLE film (film_id INT PRIMARY KEY AUTO_INCREMENT, title VARCHAR(40) BINARY NOT NULL, rating ENUM('G','PG','PG-13') DEFAULT 'G')",
            "INSERT INTO film (title, rating) VALUES ('Academy', 'PG'), ('Bee', 'PG-13')",
            "CREATE VIEW film_list AS SELECT film_id, title FROM film",
        ],
        Kind::Postgres => &[
            "CREATE DOMAIN year AS integer CHECK (VALUE >= 1901)",
            "CREATE TABLE film (film_id SERIAL PRIMARY KEY, title VARCHAR(40) NOT NULL, rating VARCHAR(5) DEFAULT 'G', release_year year)",
            "INSERT INTO film (title, rating, release_year) VALUES ('Academy', 'PG', 2006), ('Bee', 'PG-13', 2007)",
            "CREATE VIEW film_list AS SELECT film_id, title FROM film",
        ],
        Kind::Sqlite => &[
            "CREATE TABLE film (film_id INTEGER PRIMARY KEY, title VARCHAR(40) NOT NULL, rating VARCHAR(5) DEFAULT 'G')",
            "INSERT INTO film (title, rating) VALUES ('Academy', 'PG'), ('Bee', 'PG-13')",
            "CREATE VIEW film_list AS SELECT film_id, title FROM film",
        ],
    }
}

fn real_types_reflect(kind: Kind) {
    let db = TestDb::new(kind);
    for statement in schema(kind) {
        db.rows(statement);
    }
    let project = no_models(&db);
    let dump = ok(&project, &["models", "dump"]);
    assert!(
        !dump.contains("FilmList"),
        "{kind:?}: a view is no model\n{dump}"
    );
    assert!(
        dump.contains(r#"db.Column("title", db.String(40)"#),
        "{kind:?}: {dump}"
    );
    if kind == Kind::MySql {
        assert!(
            dump.contains(r#"db.Enum(["G", "PG", "PG-13"])"#),
            "{kind:?}: the values keep their case\n{dump}"
        );
    }
    if kind == Kind::Postgres {
        assert!(
            dump.contains(r#"db.Column("release_year", db.Integer"#),
            "{kind:?}: a domain is its base type\n{dump}"
        );
        let out = ok(
            &project,
            &["-c", "Film.query.filter(Film.release_year > 2006).count()"],
        );
        assert_eq!(out.trim(), "1");
    }
    let out = ok(
        &project,
        &[
            "--format",
            "csv",
            "-c",
            r#"Film.query.filter_by(#{ rating: "PG-13" }).with_entities(Film.title, Film.rating).all()"#,
        ],
    );
    assert_eq!(out, "title,rating\nBee,PG-13\n", "{kind:?}");
    // The untouched database has no drift: the view is not an extra table.
    ok(&project, &["db", "diff"]);
}

on_every_database!(real_types_reflect);
