//! The models file's code that runs on writes, as SQLAlchemy's: `validates`
//! (a closure per attribute, called on every set and in the constructor,
//! whose return value is stored and whose error refuses the set), the
//! mapper events `before_insert`, `after_insert`, `before_update` and
//! `after_update`, and `repr`; an option the models file does not have
//! stops the load at its line.

use crate::common::{Kind, Project, TestDb};

const MODELS: &str = r#"
db.Model("Account", [
    db.Column("id", db.Integer, #{ primary_key: true }),
    db.Column("email", db.String(80), #{ nullable: false }),
    db.Column("slug", db.String(80)),
    db.Column("edits", db.Integer, #{ default: 0 }),
    db.Column("note", db.String(80)),
], #{
    repr: |a| `<Account ${a.email}>`,
    validates: #{
        email: |key, value| {
            if !value.contains("@") { throw `${key} must hold an @, not ${value}`; }
            value.to_lower()
        },
    },
    before_insert: |a| { a.slug = a.email.split("@")[0]; },
    before_update: |a| { a.edits = a.edits + 1; },
    after_insert: |a| { Log.query.count(); db.session.execute("INSERT INTO log (line) VALUES (:l)", #{ l: `inserted ${a.id}` }); },
});
db.Model("Log", [
    db.Column("id", db.Integer, #{ primary_key: true }),
    db.Column("line", db.String(80)),
]);
"#;

fn hooks_run_on_writes(kind: Kind) {
    let db = TestDb::new(kind);
    let project = Project::new(&db.url, MODELS);
    let (out, err) = project.ok(&[
        "--no-echo",
        "-c",
        r#"db.create_all();
           let a = Account(#{ email: "Ann@Example.com" });
           print(a);
           db.session.add(a);
           db.session.commit();
           a.note = "hi";
           db.session.commit();
           a.note = "again";
           db.session.commit();
           print(`${a.slug} ${a.edits}`);"#,
    ]);
    assert!(
        out.contains("<Account ann@example.com>"),
        "{kind:?}: {out}\n{err}"
    );
    assert!(out.contains("ann 2"), "{kind:?}: {out}\n{err}");
    assert_eq!(
        db.rows("SELECT email, slug, edits, note FROM account"),
        vec![vec!["ann@example.com", "ann", "2", "again"]],
        "{kind:?}"
    );
    assert_eq!(
        db.rows("SELECT line FROM log"),
        vec![vec!["inserted 1"]],
        "{kind:?}"
    );
    // A validator's error refuses the set, in the constructor and after.
    let out = project
        .ormsh()
        .args([
            "--no-echo",
            "-c",
            r#"let a = Account.query.first(); a.email = "nobody";"#,
        ])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "{kind:?}");
    assert!(
        err.contains("Account.email was not set: its validator refused")
            && err.contains("email must hold an @, not nobody"),
        "{kind:?}: {err}"
    );
    assert_eq!(
        db.scalar("SELECT email FROM account"),
        "ann@example.com",
        "{kind:?}"
    );
}
on_every_database!(hooks_run_on_writes);

#[test]
fn hooks_are_dumped_and_unsupported_properties_refused() {
    let db = TestDb::new(Kind::Sqlite);
    let project = Project::new(&db.url, MODELS);
    let (dump, err) = project.ok(&["models", "dump"]);
    for expected in [
        "validates: #{ email: |key, value| {",
        "before_insert: |a| { a.slug = a.email.split(\"@\")[0]; }",
        "before_update: |a| { a.edits = a.edits + 1; }",
    ] {
        assert!(
            dump.contains(expected),
            "{expected}\nnot in:\n{dump}\n{err}"
        );
    }
    let reloaded = Project::new(&db.url, &dump);
    reloaded.ok(&["--no-echo", "-c", "1"]);

    for (option, message) in [
        ("properties: #{}", "has no option `properties`"),
        ("validates: #{ nope: |k, v| v }", "validates names `nope`"),
        ("before_delete: |a| a", "has no option `before_delete`"),
    ] {
        let models = format!(
            "db.Model(\"T\", [\n    db.Column(\"id\", db.Integer, #{{ primary_key: true }}),\n], #{{ {option} }});\n"
        );
        let project = Project::new(&db.url, &models);
        let out = project.ormsh().args(["-c", "1"]).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{option}: {err}");
        assert!(
            err.contains("models.rhai:1") && err.contains(message),
            "{option}: {err}"
        );
    }
}
