//! Reflection of types and defaults real schemas use: ENUM values keep
//! their case (MariaDB) and a native enum type filters and inserts
//! (PostgreSQL), a `VARCHAR(n) BINARY` column is text, a PostgreSQL domain
//! is its base type, a column of a type ormsh reads as text (`text[]`) takes
//! a NULL, a default that is an expression (`now()`,
//! `CURRENT_TIMESTAMP`) or a zero date is kept and left to the database on
//! INSERT, PostgreSQL partitions and INHERITing tables are read through
//! their parents, and views are left out of the models and of `db diff` on
//! every database. The dump of each reloads as a models file with no drift. Rows
//! written by plain SQL, read back through ormsh.

use crate::common::{Kind, Project, TestDb};

/// ormsh's standard output for `args`, which must succeed.
fn ok(project: &Project, args: &[&str]) -> String {
    project.ok(args).0
}

fn schema(kind: Kind) -> &'static [&'static str] {
    match kind {
        Kind::MySql => &[
            "CREATE TABLE film (film_id INT PRIMARY KEY AUTO_INCREMENT, title VARCHAR(40) BINARY NOT NULL, rating ENUM('G','PG','PG-13') DEFAULT 'G', last_update TIMESTAMP NOT NULL DEFAULT CURRENT_TIMESTAMP, created DATETIME NOT NULL DEFAULT '0000-00-00 00:00:00')",
            "INSERT INTO film (title, rating) VALUES ('Academy', 'PG'), ('Bee', 'PG-13')",
            "CREATE VIEW film_list AS SELECT film_id, title FROM film",
            "CREATE TABLE misc (id INT PRIMARY KEY, made YEAR, tags SET('a','b','c') DEFAULT 'a,b', flags BIT(3), spot GEOMETRY NULL)",
            "INSERT INTO misc VALUES (1, 2006, 'a,c', b'101', ST_GeomFromText('POINT(1 2)'))",
        ],
        Kind::Postgres => &[
            "CREATE DOMAIN year AS integer CHECK (VALUE >= 1901)",
            "CREATE TYPE mpaa_rating AS ENUM ('G', 'PG', 'PG-13')",
            "CREATE TABLE film (film_id SERIAL PRIMARY KEY, title VARCHAR(40) NOT NULL, rating mpaa_rating DEFAULT 'G', release_year year, special_features text[], fulltext tsvector, last_update TIMESTAMP NOT NULL DEFAULT now())",
            "INSERT INTO film (title, rating, release_year, special_features, fulltext) VALUES ('Academy', 'PG', 2006, '{Trailers,\"Deleted Scenes\"}', to_tsvector('english', 'academy dinosaur')), ('Bee', 'PG-13', 2007, NULL, NULL)",
            "CREATE VIEW film_list AS SELECT film_id, title FROM film",
            "CREATE SCHEMA person",
            "CREATE TABLE person.person (id INTEGER PRIMARY KEY)",
            "CREATE TABLE employee (id INTEGER PRIMARY KEY, person_id INTEGER REFERENCES person.person (id))",
            "CREATE TABLE payment (payment_id SERIAL, amount NUMERIC(5, 2), paid DATE NOT NULL, PRIMARY KEY (payment_id, paid)) PARTITION BY RANGE (paid)",
            "CREATE TABLE payment_2024 PARTITION OF payment FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')",
            "CREATE TABLE payment_2025 PARTITION OF payment FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')",
            "INSERT INTO payment (amount, paid) VALUES (1.50, '2024-05-01'), (2.25, '2025-03-01')",
            "CREATE TABLE city (id INTEGER PRIMARY KEY, name TEXT)",
            "CREATE TABLE capital (state TEXT) INHERITS (city)",
            "INSERT INTO capital VALUES (1, 'Paris', 'FR')",
            "CREATE TABLE misc (id INTEGER PRIMARY KEY, at timestamptz NOT NULL DEFAULT now(), span interval, ip inet, cash money, spot point, flags bit(3), doc xml, nums int[], grid int[][])",
            "INSERT INTO misc VALUES (1, '2024-05-01 12:00:00+02', '1 day 2 hours', '10.0.0.1/24', 12.5, '(1,2)', B'101', '<a>x</a>', '{1,NULL}', '{{1,2},{3,4}}')",
        ],
        Kind::Sqlite => &[
            "CREATE TABLE film (film_id INTEGER PRIMARY KEY, title VARCHAR(40) NOT NULL, rating VARCHAR(5) DEFAULT 'G', last_update DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP)",
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
    // Two tables that refer to each other.
    let manager_key = if kind == Kind::Sqlite {
        " REFERENCES worker (id)"
    } else {
        ""
    };
    db.rows(&format!(
        "CREATE TABLE division (id INTEGER PRIMARY KEY, name VARCHAR(20), manager_id INTEGER{manager_key})"
    ));
    db.rows("CREATE TABLE worker (id INTEGER PRIMARY KEY, name VARCHAR(20), division_id INTEGER REFERENCES division (id))");
    if kind != Kind::Sqlite {
        db.rows("ALTER TABLE division ADD FOREIGN KEY (manager_id) REFERENCES worker (id)");
    }
    db.rows("INSERT INTO division (id, name) VALUES (1, 'sales')");
    db.rows("INSERT INTO worker (id, name, division_id) VALUES (1, 'ann', 1)");
    db.rows("UPDATE division SET manager_id = 1");
    let project = Project::without_models(&db.url, "");
    let dump = ok(&project, &["models", "dump"]);
    assert!(
        !dump.contains("FilmList"),
        "{kind:?}: a view is no model\n{dump}"
    );
    assert!(
        dump.contains(r#"db.Column("title", db.String(40)"#),
        "{kind:?}: {dump}"
    );
    // The values keep their case; PostgreSQL's enum keeps its type's name.
    let rating = match kind {
        Kind::Postgres => r#"db.Enum(["G", "PG", "PG-13"], #{ name: "mpaa_rating" })"#,
        _ => r#"db.Enum(["G", "PG", "PG-13"])"#,
    };
    if kind != Kind::Sqlite {
        assert!(dump.contains(rating), "{kind:?}: {dump}");
    }
    if kind == Kind::Postgres {
        // A key into another schema: a plain column and one note, not a stop.
        let out = project
            .ormsh()
            .args(["-c", "Employee.query.count()"])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{stderr}");
        assert!(
            stderr.contains("refers to `person.person`, which no model maps"),
            "{stderr}"
        );
        assert!(
            dump.contains(r#"db.Column("release_year", db.Integer"#),
            "{kind:?}: a domain is its base type\n{dump}"
        );
        let out = ok(
            &project,
            &["-c", "Film.query.filter(Film.release_year > 2006).count()"],
        );
        assert_eq!(out.trim(), "1");
        // Types ormsh has no decoder for print as psql prints them, and
        // take their text on a write.
        let out = ok(
            &project,
            &[
                "--format",
                "json",
                "-c",
                "Film.query.filter_by(#{ title: \"Academy\" }).with_entities(Film.special_features, Film.fulltext).all()",
            ],
        );
        assert!(
            out.contains(
                r#""special_features": [
      "Trailers",
      "Deleted Scenes"
    ]"#
            ) && out.contains("'academi':1 'dinosaur':2"),
            "{out}"
        );
        assert!(
            dump.contains(r#"db.Column("special_features", db.ARRAY(db.Text))"#),
            "{dump}"
        );
        assert!(
            dump.contains(r#"db.Column("fulltext", db.Type("tsvector"))"#),
            "{dump}"
        );
        // Partitions and inheriting tables are read through their parents.
        assert!(
            !dump.contains("Payment2024") && !dump.contains("Capital"),
            "{dump}"
        );
        let out = ok(
            &project,
            &[
                "-c",
                "print(Payment.query.count()); print(City.query.count())",
            ],
        );
        assert_eq!(out, "2\n1\n");
        let out = ok(
            &project,
            &[
                "--sandbox",
                "-c",
                r#"db.session.add(Film(#{ title: "T", special_features: "{a,b}", fulltext: "cat dog" })); db.session.commit(); print(Film.query.filter_by(#{ title: "T" }).one().special_features)"#,
            ],
        );
        assert_eq!(out.lines().next(), Some(r#"["a", "b"]"#), "{out}");
        // A list goes in as an array, quotes and NULLs kept, and comes back
        // as the list; the database holds the array.
        let out = ok(
            &project,
            &[
                "-c",
                r#"let f = Film.query.get(2); f.special_features = ["x \"y\"", ()]; db.session.commit(); print(Film.query.get(2).special_features)"#,
            ],
        );
        assert_eq!(out, "[\"x \\\"y\\\"\", None]\n", "{out}");
        assert_eq!(
            db.scalar("SELECT special_features::text FROM film WHERE film_id = 2"),
            r#"{"x \"y\"",NULL}"#
        );
        // Types of PostgreSQL's own print as psql prints them; a time zone
        // is kept.
        let out = ok(&project, &["--format", "csv", "-c", "Misc.query.all()"]);
        assert_eq!(
            out,
            "id,at,span,ip,cash,spot,flags,doc,nums,grid\n1,2024-05-01T10:00:00+00:00,\"1 day, 2:00:00\",10.0.0.1/24,$12.50,\"(1,2)\",101,<a>x</a>,\"[1,null]\",\"[[1,2],[3,4]]\"\n",
        );
        assert!(
            dump.contains(r#"db.Column("at", db.DateTime(#{ timezone: true })"#),
            "{dump}"
        );
        // Hand-written SQL: arrays and intervals decode; a type with no
        // decoder is refused by name, never shown as wire bytes.
        let out = ok(
            &project,
            &[
                "-c",
                r#"print(db.session.execute(db.text("SELECT nums, span FROM misc"))[0])"#,
            ],
        );
        assert_eq!(out, "([1, None], '1 day, 2:00:00')\n");
        let out = project
            .ormsh()
            .args([
                "-c",
                r#"db.session.execute(db.text("SELECT doc FROM misc"))"#,
            ])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            !out.status.success()
                && stderr.contains("PostgreSQL type `xml`")
                && stderr.contains("doc::text"),
            "{stderr}"
        );
    }
    if kind == Kind::MySql {
        // YEAR, SET, BIT and spatial types: as MariaDB's client shows them,
        // and written back.
        assert!(
            dump.contains(r#"db.Column("made", db.YEAR)"#)
                && dump.contains(r#"db.SET(["a", "b", "c"])"#),
            "{dump}"
        );
        let out = ok(
            &project,
            &[
                "-c",
                r#"let m = Misc.query.get(1); print(m.made + 1); db.session.add(Misc(#{ id: 2, made: 2020, tags: ["b", "c"], flags: 3, spot: "POINT(3 4)" })); db.session.commit(); Misc.query.all()"#,
            ],
        );
        assert!(out.starts_with("2007\n"), "{out}");
        assert_eq!(
            db.rows("SELECT made + 0, tags, flags + 0, ST_AsText(spot) FROM misc ORDER BY id"),
            vec![
                vec!["2006", "a,c", "5", "POINT(1 2)"],
                vec!["2020", "b,c", "3", "POINT(3 4)"]
            ]
        );
        let out = ok(&project, &["--format", "csv", "-c", "Misc.query.all()"]);
        assert_eq!(
            out,
            "id,made,tags,flags,spot\n1,2006,\"a,c\",5,POINT(1 2)\n2,2020,\"b,c\",3,POINT(3 4)\n"
        );
        let out = project
            .ormsh()
            .args(["-c", r#"Misc(#{ tags: "a,z" })"#])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains("'z' is not one of the SET's members"),
            "{stderr}"
        );
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

    // A row that leaves the server-defaulted columns out goes in.
    let out = ok(
        &project,
        &[
            "--sandbox",
            "-c",
            r#"db.session.add(Film(#{ title: "New" })); db.session.commit(); print(Film.query.filter(Film.last_update.is_not(())).count())"#,
        ],
    );
    assert_eq!(out.lines().next(), Some("3"), "{kind:?}: {out}");

    // The dump reloads as a models file, with no drift.
    assert!(
        dump.contains("server_default: db.text("),
        "{kind:?}: {dump}"
    );
    let reloaded = Project::new(&db.url, &dump);
    ok(&reloaded, &["db", "diff"]);
    let out = ok(&reloaded, &["-c", "Film.query.count()"]);
    assert_eq!(out.trim(), "2");
    let both_ways =
        "print(Worker.query.get(1).division.name); print(Division.query.get(1).manager.name)";
    assert_eq!(ok(&project, &["-c", both_ways]), "sales\nann\n", "{kind:?}");
    assert_eq!(
        ok(&reloaded, &["-c", both_ways]),
        "sales\nann\n",
        "{kind:?}"
    );
}

on_every_database!(real_types_reflect);

/// `server_default: db.text(..)` in a models file: written into CREATE
/// TABLE as it stands, left out of an INSERT that gives no value, and the
/// same as the live default in `db diff`.
fn an_expression_default_from_a_models_file(kind: Kind) {
    let db = TestDb::new(kind);
    let project = Project::new(
        &db.url,
        r#"db.Model("Note", [
    db.Column("id", db.Integer, #{ primary_key: true }),
    db.Column("body", db.String(40), #{ nullable: false }),
    db.Column("created", db.DateTime, #{ nullable: false, server_default: db.text("CURRENT_TIMESTAMP") }),
]);"#,
    );
    project.run_ok(r#"db.create_all(); db.session.add(Note(#{ body: "hi" }));"#);
    assert_eq!(
        db.scalar("SELECT count(*) FROM note WHERE created > '2000-01-01'"),
        "1",
        "{kind:?}: the database filled it in"
    );
    ok(&project, &["db", "diff"]);
}

on_every_database!(an_expression_default_from_a_models_file);

/// A models file's database-specific types: made by `create_all` where the
/// database has them, written and read back through a separate connection,
/// and refused (before any SQL, naming the column) where it has not.
fn database_specific_types_from_a_models_file(kind: Kind) {
    let db = TestDb::new(kind);
    let (column, value, stored, sql) = match kind {
        Kind::Postgres => (
            "db.Column(\"tags\", db.ARRAY(db.String(10))), db.Column(\"mood\", db.Enum([\"happy\", \"sad\"], #{ name: \"mood\" }))",
            r#"["a", "b c"]"#,
            r#"{a,"b c"}"#,
            "SELECT tags::text FROM event",
        ),
        Kind::MySql => (
            "db.Column(\"tags\", db.SET([\"a\", \"b c\"]))",
            r#"["a", "b c"]"#,
            "a,b c",
            "SELECT tags FROM event",
        ),
        Kind::Sqlite => ("db.Column(\"tags\", db.ARRAY(db.Text))", "", "", ""),
    };
    let project = Project::new(
        &db.url,
        &format!(
            r#"db.Model("Event", [
    db.Column("id", db.Integer, #{{ primary_key: true }}),
    db.Column("at", db.DateTime(#{{ timezone: true }})),
    {column},
]);"#
        ),
    );
    if kind == Kind::Sqlite {
        let out = project.ormsh().args(["-c", "1"]).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            !out.status.success()
                && stderr.contains("Event.tags is ARRAY(Text), and only PostgreSQL has arrays"),
            "{stderr}"
        );
        return;
    }
    project.run_ok(&format!(
        r#"db.create_all(); db.session.add(Event(#{{ at: "2024-05-01 12:00:00+02:00", tags: {value} }}));"#
    ));
    assert_eq!(db.scalar(sql), stored, "{kind:?}");
    let out = ok(
        &project,
        &[
            "-c",
            "let e = Event.query.first(); print(e.at); print(e.tags)",
        ],
    );
    let tags = if kind == Kind::Postgres {
        r#"["a", "b c"]"#
    } else {
        "a,b c"
    };
    assert_eq!(
        out,
        format!("2024-05-01 10:00:00+00:00\n{tags}\n"),
        "{kind:?}"
    );
    ok(&project, &["db", "diff"]);
    if kind == Kind::Postgres {
        // A named enum is a type of its own: made before its table, filtered
        // as that type, refused for a value it does not hold, and dropped
        // with the tables.
        assert_eq!(
            db.scalar("SELECT udt_name::text FROM information_schema.columns WHERE table_name = 'event' AND column_name = 'mood'"),
            "mood"
        );
        project.run_ok(r#"let e = Event.query.first(); e.mood = "sad";"#);
        let out = ok(
            &project,
            &[
                "-c",
                r#"print(Event.query.filter_by(#{ mood: "sad" }).count())"#,
            ],
        );
        assert_eq!(out, "1\n");
        let out = project
            .ormsh()
            .args(["-c", r#"let e = Event.query.first(); e.mood = "angry";"#])
            .output()
            .unwrap();
        assert!(
            String::from_utf8_lossy(&out.stderr)
                .contains("'angry' is not one of the Enum's values"),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        project.run_ok("db.drop_all(#{ confirm: true });");
        assert_eq!(
            db.scalar("SELECT count(*) FROM pg_type WHERE typname = 'mood'"),
            "0"
        );
        project.run_ok("db.create_all();");
        assert_eq!(
            db.scalar("SELECT count(*) FROM pg_type WHERE typname = 'mood'"),
            "1"
        );
    }
}

on_every_database!(database_specific_types_from_a_models_file);
