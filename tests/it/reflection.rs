//! Reflection: a schema made by plain DDL (not ormsh) becomes models and
//! relationships at start-up when the project has no models file.

use crate::common::{self, Kind, TestDb};

fn ddl(kind: Kind) -> Vec<String> {
    let (serial, numeric) = match kind {
        Kind::Sqlite => ("INTEGER PRIMARY KEY", "NUMERIC(10, 2)"),
        Kind::Postgres => ("SERIAL PRIMARY KEY", "NUMERIC(10, 2)"),
        Kind::MySql => ("INTEGER AUTO_INCREMENT PRIMARY KEY", "DECIMAL(10, 2)"),
    };
    [
        format!("CREATE TABLE author (id {serial}, name VARCHAR(50) NOT NULL UNIQUE)"),
        format!("CREATE TABLE post (id {serial}, title VARCHAR(100) NOT NULL, published DATE, author_id INTEGER NOT NULL REFERENCES author(id))"),
        format!("CREATE TABLE tag (id {serial}, label VARCHAR(30) NOT NULL)"),
        "CREATE TABLE post_tag (post_id INTEGER NOT NULL REFERENCES post(id), tag_id INTEGER NOT NULL REFERENCES tag(id), PRIMARY KEY (post_id, tag_id))".to_string(),
        format!("CREATE TABLE employee (id {serial}, name VARCHAR(50) NOT NULL, manager_id INTEGER REFERENCES employee(id))"),
        format!("CREATE TABLE message (id {serial}, body TEXT, sender_id INTEGER NOT NULL REFERENCES author(id), recipient_id INTEGER NOT NULL REFERENCES author(id))"),
        "CREATE TABLE order_line (order_id INTEGER NOT NULL, line_no INTEGER NOT NULL, qty INTEGER NOT NULL DEFAULT 1, PRIMARY KEY (order_id, line_no))".to_string(),
        format!("CREATE TABLE product (id {serial}, price {numeric}, added DATE, note VARCHAR(200) DEFAULT 'n/a')"),
        "CREATE INDEX ix_product_added ON product (added)".to_string(),
    ]
    .to_vec()
}

fn reflection(kind: Kind) {
    let db = TestDb::new(kind);
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("ormsh.toml"),
        format!("[database]\nurl = \"{}\"\n", db.url),
    )
    .unwrap();
    let run = |script: &str| {
        let out = assert_cmd::Command::cargo_bin("ormsh")
            .unwrap()
            .current_dir(dir.path())
            .env_remove("DATABASE_URL")
            .env("NO_COLOR", "1")
            .args(["run", "/dev/stdin"])
            .write_stdin(script.to_string())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{kind:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    // The schema, written by plain DDL through a separate connection.
    for statement in ddl(kind) {
        db.rows(&statement);
    }
    let out = run(r#"let amy = Author(#{ name: "amy" });
        let bob = Author(#{ name: "bob" });
        let p = Post(#{ title: "Hello", author: amy, published: "2024-05-01" });
        p.tags.append(Tag(#{ label: "intro" }));
        db.session.add(p);
        db.session.add(Message(#{ body: "hi", sender: amy, recipient: bob }));
        let boss = Employee(#{ name: "boss" });
        db.session.add(Employee(#{ name: "ann", manager: boss }));
        db.session.add(OrderLine(#{ order_id: 1, line_no: 2, qty: 3 }));
        db.session.add(Product(#{ price: "9.99", added: "2024-01-02" }));
        db.session.commit();
        print(Author.query.filter_by(#{ name: "amy" }).one().posts);
        print(Post.query.join(Author).filter(Author.name == "amy").one().author.name);
        print(Tag.query.first().posts);
        print(Message.query.first().recipient.name);
        print(Author.query.filter_by(#{ name: "bob" }).one().messages_by_recipient.len());
        print(Employee.query.filter_by(#{ name: "ann" }).one().manager.name);
        print(Employee.query.filter_by(#{ name: "boss" }).one().employees);
        print(OrderLine.query.get([1, 2]).qty);
        print(Product.query.first().price);
        print(Post.query.first().published);"#);
    assert_eq!(
        out, "[<Post 1>]\namy\n[<Post 1>]\nbob\n1\nboss\n[<Employee 2>]\n3\n9.99\n2024-05-01\n",
        "{kind:?}"
    );

    // models dump round-trips: the dumped file, loaded as the models file,
    // dumps the same text (the same registry).
    let dump = |dir: &std::path::Path| {
        let out = assert_cmd::Command::cargo_bin("ormsh")
            .unwrap()
            .current_dir(dir)
            .env_remove("DATABASE_URL")
            .args(["models", "dump"])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let reflected = dump(dir.path());
    for expected in [
        "db.Table(\"post_tag\"",
        "secondary: \"post_tag\"",
        r#"db.Column("note", db.String(200), #{ server_default: "n/a" })"#,
        r#"db.Column("qty", db.Integer, #{ nullable: false, server_default: 1 })"#,
        r#"db.Column("added", db.Date, #{ index: true })"#,
    ] {
        assert!(
            reflected.contains(expected),
            "{kind:?}: {expected} in\n{reflected}"
        );
    }
    // Every model, column and relationship, as the dump writes them.
    insta::assert_snapshot!(format!("reflected_{kind:?}").to_lowercase(), reflected);
    // What reflection made matches the database it came from.
    let diff = assert_cmd::Command::cargo_bin("ormsh")
        .unwrap()
        .current_dir(dir.path())
        .env_remove("DATABASE_URL")
        .args(["db", "diff"])
        .output()
        .unwrap();
    assert_eq!(
        diff.status.code(),
        Some(0),
        "{kind:?}: {}",
        String::from_utf8_lossy(&diff.stdout)
    );
    let declared = tempfile::tempdir().unwrap();
    std::fs::write(declared.path().join("models.rhai"), &reflected).unwrap();
    std::fs::write(
        declared.path().join("ormsh.toml"),
        format!(
            "[database]\nurl = \"{}\"\n\n[models]\nfile = \"models.rhai\"\n",
            db.url
        ),
    )
    .unwrap();
    assert_eq!(dump(declared.path()), reflected, "{kind:?}");
}

on_every_database!(reflection);

/// `db.reflect()` in a running session: the tables no model declares become
/// models mid-script (constructors and queries work on the next statement),
/// the declared model gains the backrefs, and an object loaded before keeps working.
fn reflect_at_run_time(kind: Kind) {
    let db = TestDb::new(kind);
    for statement in ddl(kind) {
        db.rows(&statement);
    }
    let project = common::Project::new(
        &db.url,
        r#"db.Model("Author", [
            db.Column("id", db.Integer, #{ primary_key: true }),
            db.Column("name", db.String(50), #{ nullable: false, unique: true }),
        ]);"#,
    );
    let (out, _) = project.run_ok(
        r#"let amy = Author(#{ name: "amy" });
        db.session.add(amy);
        db.session.flush();
        let added = db.reflect();
        print(added.len());
        print("Author" in added);
        print("Post" in added);
        let p = Post(#{ title: "Hello", author: amy, published: "2024-05-01" });
        p.tags.append(Tag(#{ label: "intro" }));
        db.session.add(p);
        db.session.commit();
        print(Post.query.one().author.name);
        print(Tag.query.one().posts.len());
        print(amy.posts.len());
        print(db.reflect().len());"#,
    );
    assert_eq!(
        out, "6\nfalse\ntrue\namy\n1\n1\n0\n",
        "{kind:?}: post, tag, employee, message, order_line, product (post_tag is a table)"
    );
    // Committed through the reflected models: read back independently.
    assert_eq!(
        db.scalar("SELECT count(*) FROM post_tag JOIN tag ON tag.id = post_tag.tag_id WHERE tag.label = 'intro'"),
        "1"
    );
    assert_eq!(
        db.scalar("SELECT a.name FROM post p JOIN author a ON a.id = p.author_id"),
        "amy"
    );
}

on_every_database!(reflect_at_run_time);

/// `models dump` writes a model's closures (`repr`, `methods`) as the models
/// file wrote them, so the dumped file behaves the same.
#[test]
fn dump_keeps_closures() {
    let db = TestDb::new(Kind::Sqlite);
    let models = r#"db.Model("User", [
        db.Column("id", db.Integer, #{ primary_key: true }),
        db.Column("name", db.String(80), #{ nullable: false }),
    ], #{
        repr: |u| `<User ${u.name}, ${if u.id == () { "new" } else { `#${u.id}` }}>`,
        methods: #{
            greet: |who| `${this.name} greets ${who}`,   // a comment, with a comma
            "shout": || { let t = this.name; t.to_upper() },
        },
    });"#;
    let project = common::Project::new(&db.url, models);
    let dump = |project: &common::Project| {
        let out = project.ormsh().args(["models", "dump"]).output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    let first = dump(&project);
    for closure in [
        r#"repr: |u| `<User ${u.name}, ${if u.id == () { "new" } else { `#${u.id}` }}>`"#,
        r#"greet: |who| `${this.name} greets ${who}`"#,
        r#"shout: || { let t = this.name; t.to_upper() }"#,
    ] {
        assert!(first.contains(closure), "{closure} in\n{first}");
    }
    let again = common::Project::new(&db.url, &first);
    assert_eq!(dump(&again), first, "the dump loads as the same models");
    let script = r#"db.create_all();
        let u = User(#{ name: "amy" });
        print(u);
        db.session.add(u);
        db.session.commit();
        print(u);
        print(u.greet("bob"));
        print(u.shout());"#;
    let (out, _) = again.run_ok(script);
    assert_eq!(
        out,
        "<User amy, new>\n<User amy, #1>\namy greets bob\nAMY\n"
    );
}
