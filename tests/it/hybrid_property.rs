//! `hybrid_property`, at both of its levels as SQLAlchemy runs it: on an
//! object its value (Python's meaning of each operator, an error where
//! Python raises), on the class an SQL expression usable in `filter`,
//! `order_by`, `filter_by` and `select`, with an `.expression` of its own where the
//! model gives one. From a Flask project's models.py, real Flask-SQLAlchemy
//! gives the same answers on the same rows; what ormsh cannot evaluate
//! (a Python setter, `and` at the class level, a relationship on the
//! object) is named with its line. From a models file, the closures run
//! with `this` the object or the class, a `set` closure sets it (in the
//! constructor too), and `models dump` writes it back. Through an alias,
//! a hybrid's and a `column_property`'s expressions read the alias.

use crate::common::python::{flask_url, ormsh_in, peer_python, run_python, write_flask_app};
use crate::common::{Kind, Project, TestDb};

const MODELS_PY: &str = r#"
from sqlalchemy import func
from sqlalchemy.ext.hybrid import hybrid_property

RATE = 3


class Person(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    kind = db.Column(db.String(10))
    first = db.Column(db.String(40), nullable=False)
    last = db.Column(db.String(40))
    score = db.Column(db.Integer, nullable=False)
    nick = db.Column(db.String(40))
    posts = db.relationship('Post', backref='person')
    __mapper_args__ = {'polymorphic_on': kind, 'polymorphic_identity': 'person'}

    @hybrid_property
    def full(self):
        return self.first + ' ' + self.last

    @hybrid_property
    def weighted(self):
        """The score, weighted."""
        return self.score * RATE + 1

    @hybrid_property
    def high(self):
        return self.score > 10

    @hybrid_property
    def no_nick(self):
        return self.nick == None

    @hybrid_property
    def shout(self):
        return self.first.upper()

    @shout.inplace.expression
    @classmethod
    def _shout_expression(cls):
        return func.upper(cls.first)

    @hybrid_property
    def initial(self):
        return self.first[0]

    @initial.expression
    def initial(cls):
        return func.substr(cls.first, 1, 1)

    @hybrid_property
    def secret(self):
        return self.last

    @secret.setter
    def secret(self, value):
        self.last = value

    @hybrid_property
    def middling(self):
        return self.score > 1 and self.score < 50

    @hybrid_property
    def full_upper(self):
        return self.full.upper()

    @hybrid_property
    def post_total(self):
        return len(self.posts)


class Boss(Person):
    __mapper_args__ = {'polymorphic_identity': 'boss'}


class Post(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    person_id = db.Column(db.Integer, db.ForeignKey('person.id'))
    title = db.Column(db.String(20))

    @hybrid_property
    def loud(self):
        return self.title.upper() + '!'

    @loud.expression
    def loud(cls):
        return func.upper(cls.title) + '!'
"#;

const SEED_PY: &str = r#"from app import *
with app.app_context():
    db.create_all()
    db.session.add_all([
        Person(first='Ann', last='Lee', score=5, nick='a'),
        Person(first='Bob', last='Ray', score=20),
        Boss(first='Cy', last='Dee', score=12, nick='c'),
        Person(first='Dot', score=2),
        Post(person_id=1, title='one'),
        Post(person_id=2, title='two'),
    ])
    db.session.commit()
"#;

const QUERIES_PY: &str = r#"from app import *
def s(v):
    return 'true' if v is True else 'false' if v is False else str(v)
with app.app_context():
    for p in Person.query.filter(Person.score > 3).order_by(Person.id):
        print('|'.join(s(x) for x in [p.full, p.weighted, p.high, p.no_nick, p.shout, p.initial, p.secret, p.middling, p.full_upper]))
    print(Person.query.filter(Person.full == 'Bob Ray').one().id)
    print(Person.query.filter_by(full='Cy Dee', score=12).one().id, db.session.execute(db.select(Post.id).join(Person).filter_by(shout='BOB')).scalar())
    print([p.id for p in Person.query.filter(Person.high).order_by(Person.id)])
    print([p.id for p in Person.query.order_by(Person.weighted.desc())])
    print([p.id for p in Person.query.filter(Person.no_nick).order_by(Person.id)])
    print([tuple(r) for r in db.session.execute(db.select(Person.shout, Person.initial, Person.weighted).order_by(Person.id)).all()])
    print(db.session.execute(db.select(func.sum(Person.weighted))).scalar())
    print(Boss.query.filter(Boss.full.like('C%')).count(), Boss.query.one().shout)
    print([p.id for p in Person.query.filter(Person.full.is_(None)).all()])
    p2 = db.aliased(Post)
    print([tuple(r) for r in db.session.execute(db.select(Post.id, p2.loud).join(p2, Post.id == p2.id + 1).where(p2.loud == 'ONE!')).all()])
    for p in Post.query.order_by(Post.id):
        print(p.loud)
"#;

const QUERIES_RHAI: &str = r#"
for p in Person.query.filter(Person.score > 3).order_by(Person.id).all() {
    print(`${p.full}|${p.weighted}|${p.high}|${p.no_nick}|${p.shout}|${p.initial}|${p.secret}|${p.middling}|${p.full_upper}`);
}
print(Person.query.filter(Person.full == "Bob Ray").one().id);
print(`${Person.query.filter_by(#{ full: "Cy Dee", score: 12 }).one().id} ${db.session.execute(db.select(Post.id).join(Person).filter_by(#{ shout: "BOB" })).scalar()}`);
print(Person.query.filter(Person.high).order_by(Person.id).all().map(|p| p.id));
print(Person.query.order_by(Person.weighted.desc()).all().map(|p| p.id));
print(Person.query.filter(Person.no_nick).order_by(Person.id).all().map(|p| p.id));
print(db.session.execute(db.select(Person.shout, Person.initial, Person.weighted).order_by(Person.id)).all());
print(db.session.execute(db.select(db.func.sum(Person.weighted))).scalar());
print(`${Boss.query.filter(Boss.full.like("C%")).count()} ${Boss.query.one().shout}`);
print(Person.query.filter(Person.full.is_(())).all().map(|p| p.id));
let p2 = db.aliased(Post);
print(db.session.execute(db.select(Post.id, p2.loud).join(p2, Post.id == p2.id + 1).where(p2.loud == "ONE!")).all());
for p in Post.query.order_by(Post.id).all() { print(p.loud); }
"#;

fn line_of(text: &str) -> usize {
    // write_flask_app puts five lines before the models.
    MODELS_PY.lines().position(|l| l.contains(text)).unwrap() + 1 + 5
}

fn python_hybrids_answer_as_flask(kind: Kind) {
    let Some(python) = peer_python() else { return };
    let db = TestDb::new(kind);
    let dir = tempfile::tempdir().unwrap();
    write_flask_app(dir.path(), &flask_url(&db), MODELS_PY);
    run_python(&python, dir.path(), SEED_PY);
    let flask = run_python(&python, dir.path(), QUERIES_PY);
    let (ok, text) = ormsh_in(dir.path(), &["--no-echo", "-c", QUERIES_RHAI]);
    assert!(ok, "{kind:?}: {text}");
    assert_eq!(text.trim_end(), flask.trim_end(), "{kind:?}");

    // Named, with the line, where Python would have to run.
    for (code, wanted) in [
        (
            "print(Person.query.get(4).full)",
            format!(
                "Person.full is a hybrid property defined in Python at app.py:{}; ormsh cannot evaluate it on an object",
                line_of("def full")
            ),
        ),
        (
            "print(Person.middling)",
            format!(
                "app.py:{}: `and`/`or` of SQL expressions raises TypeError in SQLAlchemy",
                line_of("return self.score > 1 and")
            ),
        ),
        (
            "print(Person.query.get(1).post_total)",
            "`self.posts` is not a column".to_string(),
        ),
        (
            "let p = Person.query.get(1); p.secret = \"X\"; db.session.commit()",
            format!(
                "Person.secret cannot be set in ormsh: its setter is Python, at app.py:{}",
                line_of("def secret(self, value)")
            ),
        ),
        (
            "db.session.add(Person(#{ first: \"E\", score: 1, secret: \"X\" })); db.session.commit()",
            "Person.secret cannot be set in ormsh".to_string(),
        ),
    ] {
        let (ok, text) = ormsh_in(dir.path(), &["--no-echo", "-c", code]);
        assert!(!ok, "{kind:?}: {code}: {text}");
        assert!(text.contains(&wanted), "{kind:?}: {code}: {text}");
    }
    assert_eq!(
        db.rows("SELECT id, last FROM person ORDER BY id")
            .into_iter()
            .map(|r| r.join(" "))
            .collect::<Vec<_>>(),
        ["1 Lee", "2 Ray", "3 Dee", "4 NULL"],
        "{kind:?}"
    );

    // help() lists them; the schema has no column for them.
    let (ok, text) = ormsh_in(dir.path(), &["--no-echo", "-c", "help(Boss)"]);
    assert!(ok, "{text}");
    assert!(
        text.contains("hybrid property, read from Python at app.py:")
            && text.contains("(on objects only)"),
        "{text}"
    );
    let (ok, text) = ormsh_in(dir.path(), &["db", "diff"]);
    assert!(ok && text.contains("no drift"), "{kind:?}: {text}");
}
on_every_database!(python_hybrids_answer_as_flask);

const MODELS_RHAI: &str = r#"
db.Model("Person", [
    db.Column("id", db.Integer, #{ primary_key: true }),
    db.Column("first", db.String(40)),
    db.Column("last", db.String(40)),
    db.Column("score", db.Integer),
], #{ column_property: #{ tagged: || Person.last + "!" }, hybrid_property: #{
    full: || this.first + " " + this.last,
    high: || this.score > 10,
    shout: #{
        get: || this.first.to_upper(),
        expression: || db.func.upper(this.first),
        set: |value| { this.first = value.to_lower(); },
    },
} });
"#;

const SCRIPT_RHAI: &str = r#"
db.create_all();
db.session.add(Person(#{ shout: "ANN", last: "Lee", score: 5 }));
db.session.add(Person(#{ first: "bob", last: "Ray", score: 20 }));
db.session.commit();
let a = Person.query.get(1);
print(`${a.full}|${a.high}|${a.shout}`);
print(Person.query.filter(Person.full == "bob Ray").one().id);
print(Person.query.filter(Person.high).count());
print(db.session.execute(db.select(Person.shout, Person.full).order_by(Person.full.desc())).all());
let b = aliased(Person);
print(db.session.execute(db.select(Person.id, b.full, b.shout, b.tagged).join(b, Person.id == b.id + 1)).all());
print(db.session.execute(db.select(Person.id).join(b, Person.id == b.id + 1).filter_by(#{ shout: "ANN" })).all());
a.shout = "CY";
db.session.commit();
"#;

fn models_file_hybrids(kind: Kind) {
    let db = TestDb::new(kind);
    let project = Project::new(&db.url, MODELS_RHAI);
    let (out, err) = project.ok(&["--no-echo", "-c", SCRIPT_RHAI]);
    let expected = "ann Lee|false|ANN\n2\n1\n[('BOB', 'bob Ray'), ('ANN', 'ann Lee')]\n[(2, 'ann Lee', 'ANN', 'Lee!')]\n[(2,)]\n";
    assert_eq!(out, expected, "{kind:?}: {err}");
    assert_eq!(
        db.rows("SELECT first, last FROM person ORDER BY id"),
        vec![vec!["cy", "Lee"], vec!["bob", "Ray"]],
        "{kind:?}"
    );
    let (ok_err, text) = {
        let out = project
            .ormsh()
            .args([
                "--no-echo",
                "-c",
                "let p = Person.query.get(2); p.full = \"x\"",
            ])
            .output()
            .unwrap();
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stderr).to_string(),
        )
    };
    assert!(!ok_err && text.contains("Person.full is a hybrid property without a setter"));

    // Dumped with its closures, and the dump reloads to the same answers.
    let (dump, err) = project.ok(&["models", "dump"]);
    assert!(
        dump.contains("full: || this.first + \" \" + this.last")
            && dump.contains("expression: || db.func.upper(this.first)")
            && dump.contains("set: |value| { this.first = value.to_lower(); }"),
        "{dump}\n{err}"
    );
    let fresh = TestDb::new(kind);
    let reloaded = Project::new(&fresh.url, &dump);
    let (out, err) = reloaded.ok(&["--no-echo", "-c", SCRIPT_RHAI]);
    assert_eq!(out, expected, "{kind:?}: {err}");
}
on_every_database!(models_file_hybrids);

#[test]
fn models_file_hybrids_refuse_what_they_cannot_be() {
    let db = TestDb::new(Kind::Sqlite);
    for (option, message) in [
        (
            "full: 3",
            "hybrid_property `full` must be a closure or a map",
        ),
        ("full: #{ get: 1 }", "`get` must be a closure"),
        ("full: #{ expression: || 1 }", "needs `get`"),
        (
            "full: #{ get: || 1, gett: || 1 }",
            "takes get, expression and set, not `gett`",
        ),
        ("first: || 1", "has the name of another attribute"),
    ] {
        let models = format!(
            "db.Model(\"Person\", [\n    db.Column(\"id\", db.Integer, #{{ primary_key: true }}),\n    db.Column(\"first\", db.String(40)),\n], #{{ hybrid_property: #{{ {option} }} }});\n"
        );
        let project = Project::new(&db.url, &models);
        let out = project.ormsh().args(["-c", "1"]).output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{option}: {err}");
        assert!(
            err.contains("models.rhai") && err.contains(message),
            "{option}: {err}"
        );
    }
}
