//! Reflection across schemas: PostgreSQL schemas and MySQL databases
//! besides the search path's (`--schema`, `schemas = [..]`, `*` for all),
//! tables outside the current schema named `schema.table` and mapped with
//! `schema: ".."`, foreign keys and relationships between schemas both
//! ways, a dump that reloads with no drift, a model name that another
//! schema's table already took, and SQLite (one schema per file) refusing
//! `--schema`. Rows written by plain SQL, read back through ormsh.

use crate::common::{Kind, Project, TestDb};

fn schemas(kind: Kind) {
    // PostgreSQL: schemas in the one database; MySQL: a second database,
    // made first so that it is dropped last (the first refers to it).
    let other_db = (kind == Kind::MySql).then(|| TestDb::new(kind));
    let db = TestDb::new(kind);
    if kind == Kind::Sqlite {
        db.rows("CREATE TABLE t (id INTEGER PRIMARY KEY)");
        let out = Project::without_models(&db.url, "")
            .ormsh()
            .args(["--schema", "other", "-c", "1"])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            !out.status.success() && stderr.contains("SQLite has one schema per database file"),
            "{stderr}"
        );
        return;
    }
    let other = match &other_db {
        Some(o) => o.url.rsplit('/').next().unwrap().to_string(),
        None => {
            db.rows("CREATE SCHEMA person");
            "person".to_string()
        }
    };
    db.rows(&format!(
        "CREATE TABLE {other}.person (id INTEGER PRIMARY KEY, first_name VARCHAR(20) NOT NULL)"
    ));
    db.rows("CREATE TABLE person (id INTEGER PRIMARY KEY, name VARCHAR(20))");
    db.rows(&format!(
        "CREATE TABLE address (id INTEGER PRIMARY KEY, person_id INTEGER REFERENCES {other}.person (id), city VARCHAR(20))"
    ));
    db.rows(&format!(
        "INSERT INTO {other}.person VALUES (1, 'Ken'), (2, 'Terri')"
    ));
    db.rows("INSERT INTO person VALUES (1, 'local')");
    db.rows("INSERT INTO address VALUES (1, 1, 'Bothell'), (2, 1, 'Seattle'), (3, 2, 'Redmond')");

    // The search path alone: the key into the other schema is a plain column.
    let plain = Project::without_models(&db.url, "");
    let (dump, stderr) = plain.ok(&["models", "dump"]);
    assert!(!dump.contains("schema:"), "{dump}");
    assert!(
        stderr.contains(&format!("refers to `{other}.person`, which no model maps")),
        "{stderr}"
    );

    // With the other schema: its table is `other.person`, its model named
    // around the current schema's `person`; the relationship holds both ways.
    let project = Project::without_models(&db.url, &format!("schemas = [\"{other}\"]\n"));
    let (dump, stderr) = project.ok(&["models", "dump"]);
    assert!(
        dump.contains(&format!(
            "], #{{ tablename: \"person\", schema: \"{other}\" }});"
        )),
        "{dump}"
    );
    assert!(
        dump.contains(&format!("db.ForeignKey(\"{other}.person.id\")")),
        "{dump}"
    );
    assert!(
        stderr.contains(&format!(
            "the model name Person is taken, so the table `{other}.person` is the model"
        )),
        "{stderr}"
    );
    let model = dump
        .lines()
        .filter_map(|l| l.strip_prefix("db.Model(\""))
        .map(|l| l.split('"').next().unwrap())
        .find(|m| *m != "Person" && *m != "Address")
        .unwrap()
        .to_string();
    let both_ways = format!(
        "print(Address.query.get(3).person.first_name); print({model}.query.get(1).addresses.len()); print(Person.query.get(1).name); print({model}.query.count())"
    );
    assert_eq!(project.ok(&["-c", &both_ways]).0, "Terri\n2\nlocal\n2\n");
    // `--schema` on the command line does the same, `*` reads every schema.
    for flag in [other.as_str(), "*"] {
        let (out, _) =
            Project::without_models(&db.url, "").ok(&["--schema", flag, "-c", &both_ways]);
        assert_eq!(out, "Terri\n2\nlocal\n2\n", "--schema {flag}");
    }
    project.ok(&["db", "diff"]);

    // The dump reloads with no drift, and writes into the other schema.
    let reloaded = Project::new(&db.url, &dump);
    reloaded.ok(&["db", "diff"]);
    assert_eq!(reloaded.ok(&["-c", &both_ways]).0, "Terri\n2\nlocal\n2\n");
    reloaded.run_ok(&format!(
        r#"let p = {model}(#{{ id: 3, first_name: "Ann" }}); db.session.add(Address(#{{ id: 4, city: "Oslo", person: p }}));"#
    ));
    assert_eq!(
        db.rows(&format!(
            "SELECT p.first_name, a.city FROM address a JOIN {other}.person p ON p.id = a.person_id WHERE a.id = 4"
        )),
        vec![vec!["Ann".to_string(), "Oslo".to_string()]]
    );
}

on_every_database!(schemas);
