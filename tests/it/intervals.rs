//! `Interval` (Python's `timedelta`) against real Flask-SQLAlchemy on every
//! database: Flask makes the table from models.py (`db.Interval` and
//! `Mapped[timedelta]`) and writes rows; ormsh on the same models.py finds
//! no drift, reads each value as Python prints it, filters and orders as
//! SQLAlchemy does, and writes values Flask reads back as the timedeltas it
//! would have written. A Rhai models file's `db.Interval` makes the column
//! SQLAlchemy makes, and Flask reads what ormsh writes there.

use crate::common::python::{flask_url, ormsh_in, peer_python, run_python, write_flask_app};
use crate::common::{Kind, Project, TestDb};

const MODELS: &str = r#"
import datetime
from typing import Optional
from sqlalchemy.orm import Mapped, mapped_column

class Task(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(db.String(20))
    took: Mapped[Optional[datetime.timedelta]]
    cap = db.Column(db.Interval)
"#;

/// Flask's rows: (name, took, cap) as Python builds them.
const FLASK_ROWS: &str = r#"
rows = [
    ('a', timedelta(days=1, hours=2, minutes=3, seconds=4, microseconds=5), timedelta(hours=-1)),
    ('b', timedelta(seconds=30), None),
    ('c', timedelta(hours=30), timedelta(days=-800)),
    ('d', None, timedelta(0)),
    ('e', timedelta(minutes=-90), timedelta(weeks=2)),
]
"#;

fn python(head: &str, body: &str) -> String {
    format!(
        "from datetime import timedelta\nfrom app import app, db, Task\n{head}\nwith app.app_context():\n{body}"
    )
}

fn same_answers_as_flask(kind: Kind) {
    let Some(py) = peer_python() else { return };
    let db = TestDb::new(kind);
    let dir = tempfile::tempdir().unwrap();
    write_flask_app(dir.path(), &flask_url(&db), MODELS);
    run_python(
        &py,
        dir.path(),
        &python(
            FLASK_ROWS,
            "    db.create_all()\n    db.session.add_all([Task(name=n, took=t, cap=c) for n, t, c in rows])\n    db.session.commit()\n",
        ),
    );

    let (ok, out) = ormsh_in(dir.path(), &["db", "diff"]);
    assert!(ok && out.contains("no drift"), "{kind:?}: {out}");

    // Each value as Python's str() prints it.
    let (ok, out) = ormsh_in(
        dir.path(),
        &[
            "--no-echo",
            "-c",
            "for t in Task.query.order_by(Task.id).all() { print(`${t.name} ${t.took} ${t.cap}`) }",
        ],
    );
    let flask = run_python(
        &py,
        dir.path(),
        &python(
            "",
            "    for t in Task.query.order_by(Task.id):\n        print(t.name, t.took, t.cap)\n",
        ),
    );
    assert!(ok, "{kind:?}: {out}");
    assert_eq!(out, flask, "{kind:?}");
    assert!(flask.contains("a 1 day, 2:03:04"), "{flask}");

    // Filters and ordering, with a timedelta and with its text.
    let queries = [
        (
            "Task.query.filter(Task.took > timedelta(#{ minutes: 1 })).order_by(Task.took.desc())",
            "Task.query.filter(Task.took > timedelta(minutes=1)).order_by(Task.took.desc())",
        ),
        (
            "Task.query.filter(Task.cap <= \"0:00:00\").order_by(Task.cap)",
            "Task.query.filter(Task.cap <= timedelta(0)).order_by(Task.cap)",
        ),
        (
            "Task.query.filter(Task.took == timedelta(#{ hours: 30 }))",
            "Task.query.filter(Task.took == timedelta(hours=30))",
        ),
        (
            "Task.query.filter(Task.took.between(timedelta(#{ hours: -2 }), timedelta(#{ days: 1 }))).order_by(Task.took)",
            "Task.query.filter(Task.took.between(timedelta(hours=-2), timedelta(days=1))).order_by(Task.took)",
        ),
        (
            "Task.query.filter(Task.cap != ()).order_by(Task.cap.desc(), Task.id)",
            "Task.query.filter(Task.cap != None).order_by(Task.cap.desc(), Task.id)",
        ),
    ];
    for (ormsh_query, flask_query) in queries {
        let (ok, out) = ormsh_in(
            dir.path(),
            &[
                "--no-echo",
                "-c",
                &format!("for t in {ormsh_query}.all() {{ print(t.name) }}"),
            ],
        );
        let flask = run_python(
            &py,
            dir.path(),
            &python(
                "",
                &format!("    for t in {flask_query}:\n        print(t.name)\n"),
            ),
        );
        assert!(ok, "{kind:?} {ormsh_query}: {out}");
        assert_eq!(out, flask, "{kind:?}: {ormsh_query}");
    }

    // ormsh writes; Flask writes the same timedeltas; Flask reads both.
    let (ok, out) = ormsh_in(
        dir.path(),
        &[
            "--no-echo",
            "-c",
            r#"db.session.add_all([
                Task(#{ name: "w1", took: timedelta(#{ weeks: 1, milliseconds: 1.5 }), cap: "-1 day, 23:59:59" }),
                Task(#{ name: "w2", took: datetime.timedelta(#{ hours: -36 }), cap: timedelta() }),
                Task(#{ name: "w3", took: timedelta(#{ days: 1 }) + timedelta(#{ seconds: 1 }) }),
            ]);
            db.session.commit();
            let t = Task.query.filter_by(#{ name: "w2" }).one();
            print(`${t.took.days} ${t.took.seconds} ${t.took.total_seconds()}`);"#,
        ],
    );
    assert!(ok, "{kind:?}: {out}");
    assert_eq!(out, "-2 43200 -129600.0\n", "{kind:?}");
    let flask = run_python(
        &py,
        dir.path(),
        &python(
            "",
            r#"    db.session.add_all([
        Task(name='p1', took=timedelta(weeks=1, milliseconds=1.5), cap=timedelta(seconds=-1)),
        Task(name='p2', took=timedelta(hours=-36), cap=timedelta(0)),
        Task(name='p3', took=timedelta(days=1, seconds=1)),
    ])
    db.session.commit()
    for i in '123':
        w = Task.query.filter_by(name='w' + i).one()
        p = Task.query.filter_by(name='p' + i).one()
        print(repr(w.took), repr(w.cap), (w.took, w.cap) == (p.took, p.cap))
"#,
        ),
    );
    let expected_first = if kind == Kind::MySql {
        // A DATETIME with no fractional seconds, as SQLAlchemy makes it.
        "datetime.timedelta(days=7) datetime.timedelta(days=-1, seconds=86399) True\n"
    } else {
        "datetime.timedelta(days=7, microseconds=1500) datetime.timedelta(days=-1, seconds=86399) True\n"
    };
    assert_eq!(
        flask,
        format!(
            "{expected_first}datetime.timedelta(days=-2, seconds=43200) datetime.timedelta(0) True\ndatetime.timedelta(days=1, seconds=1) None True\n"
        ),
        "{kind:?}"
    );

    // A number is not an interval (seconds? days?): refused, as SQLAlchemy refuses it.
    let (ok, out) = ormsh_in(
        dir.path(),
        &["--no-echo", "-c", "Task.query.filter(Task.took > 5).all()"],
    );
    assert!(!ok && out.contains("is not a valid Interval"), "{out}");
}
on_every_database!(same_answers_as_flask);

const RHAI_MODELS: &str = r#"
db.Model("Job", [
    db.Column("id", db.Integer, #{ primary_key: true }),
    db.Column("took", db.Interval),
]);
"#;

/// The column a Rhai models file's `db.Interval` makes, as SQLAlchemy's
/// inspector reads it, beside Flask's; Flask reads what ormsh writes.
fn rhai_models_make_sqlalchemys_column(kind: Kind) {
    let Some(py) = peer_python() else { return };
    let db = TestDb::new(kind);
    let project = Project::new(&db.url, RHAI_MODELS);
    project.run_ok(
        "db.create_all(); db.session.add(Job(#{ took: timedelta(#{ days: 2, minutes: 5, seconds: 0.25 }) })); db.session.add(Job(#{}));",
    );
    let (out, _) = project.ok(&["--no-echo", "-c", "Job.query.order_by(Job.id).all()"]);
    assert!(out.contains("2 days, 0:05:00.250000"), "{kind:?}: {out}");
    let dir = tempfile::tempdir().unwrap();
    write_flask_app(
        dir.path(),
        &flask_url(&db),
        "import datetime\nclass Job(db.Model):\n    id = db.Column(db.Integer, primary_key=True)\n    took = db.Column(db.Interval)\nclass Task(db.Model):\n    id = db.Column(db.Integer, primary_key=True)\n    took = db.Column(db.Interval)\n",
    );
    let out = run_python(
        &py,
        dir.path(),
        "from app import app, db, Job\nwith app.app_context():\n    db.create_all()\n    print([j.took for j in Job.query.order_by(Job.id)])\n    insp = db.inspect(db.engine)\n    print([str(c['type']) for c in insp.get_columns('job')], [str(c['type']) for c in insp.get_columns('task')])\n",
    );
    let mut lines = out.lines();
    assert_eq!(
        lines.next(),
        Some("[datetime.timedelta(days=2, seconds=300, microseconds=250000), None]"),
        "{kind:?}"
    );
    let types = lines.next().unwrap();
    let expected = match kind {
        Kind::Postgres => "['INTEGER', 'INTERVAL'] ['INTEGER', 'INTERVAL']",
        // On MySQL ormsh's is DATETIME(6), as its DateTime is: microseconds kept.
        Kind::Sqlite | Kind::MySql => "['INTEGER', 'DATETIME'] ['INTEGER', 'DATETIME']",
    };
    assert_eq!(types, expected, "{kind:?}");

    // The models file a database reflects to: INTERVAL is an Interval
    // where the database has it.
    if kind == Kind::Postgres {
        let reflected = Project::without_models(&db.url, "");
        let (dump, _) = reflected.ok(&["models", "dump"]);
        assert!(dump.contains(r#"db.Column("took", db.Interval)"#), "{dump}");
        let (out, _) = reflected.ok(&[
            "--no-echo",
            "-c",
            "print(Job.query.filter(Job.took > timedelta(#{ days: 1 })).count())",
        ]);
        assert_eq!(out, "1\n");
    }
}
on_every_database!(rhai_models_make_sqlalchemys_column);

/// Migrations: `ormsh db migrate` writes `sa.Interval()`, which real
/// Flask-Migrate applies with no drift left (Alembic's own `db check`
/// agrees); a column added by Flask-Migrate's autogenerate is applied by
/// `ormsh db upgrade`, again with no drift.
fn migrations_carry_intervals(kind: Kind) {
    use crate::migrations_autogenerate::Project as Flask;
    let models = "from app import db\n\n\nclass Task(db.Model):\n    id = db.Column(db.Integer, primary_key=True)\n    took = db.Column(db.Interval)\n";
    let Some(p) = Flask::new(models) else { return };
    let db = TestDb::new(kind);
    p.ormsh_ok(&db, &["init"]);
    let first = p.migrate(&db, &["-m", "tasks"]);
    assert!(
        first.contains("sa.Column('took', sa.Interval(), nullable=True)"),
        "{first}"
    );
    p.flask(&db, &["upgrade"]);
    p.no_drift(&db, "after flask db upgrade");
    // Flask-Migrate's own revision, applied by ormsh.
    p.models(&format!(
        "{models}    limit = db.Column(db.Interval, nullable=False)\n"
    ));
    p.flask(&db, &["migrate", "-m", "limit"]);
    p.ormsh_ok(&db, &["upgrade"]);
    p.no_drift(&db, "after ormsh db upgrade");
}
on_every_database!(migrations_carry_intervals);

/// A models.py default and onupdate of `timedelta(..)` (keywords or
/// Python's positional order) write what Flask writes; an Interval's
/// arguments that would make another column are refused at their line.
#[test]
fn flask_timedelta_defaults() {
    let Some(py) = peer_python() else { return };
    let db = TestDb::new(Kind::Sqlite);
    let dir = tempfile::tempdir().unwrap();
    let models = "import datetime\nfrom datetime import timedelta\n\nclass Task(db.Model):\n    id = db.Column(db.Integer, primary_key=True)\n    name = db.Column(db.String(10))\n    took = db.Column(db.Interval, default=timedelta(hours=1, minutes=30))\n    cap = db.Column(db.Interval, default=datetime.timedelta(1, 5), onupdate=timedelta(milliseconds=-1))\n";
    write_flask_app(dir.path(), &flask_url(&db), models);
    run_python(
        &py,
        dir.path(),
        &python(
            "",
            "    db.create_all()\n    db.session.add(Task(name='flask'))\n    db.session.commit()\n    Task.query.first().name = 'flask2'\n    db.session.commit()\n",
        ),
    );
    let (ok, out) = ormsh_in(
        dir.path(),
        &[
            "--no-echo",
            "-c",
            r#"db.session.add(Task(#{ name: "ormsh" })); db.session.commit();
            let t = Task.query.filter_by(#{ name: "ormsh" }).one(); t.name = "ormsh2"; db.session.commit();"#,
        ],
    );
    assert!(ok, "{out}");
    let flask = run_python(
        &py,
        dir.path(),
        &python(
            "",
            "    for t in Task.query.order_by(Task.id):\n        print(t.name, repr(t.took), repr(t.cap))\n",
        ),
    );
    assert_eq!(
        flask,
        "flask2 datetime.timedelta(seconds=5400) datetime.timedelta(days=-1, seconds=86399, microseconds=999000)\normsh2 datetime.timedelta(seconds=5400) datetime.timedelta(days=-1, seconds=86399, microseconds=999000)\n"
    );
    write_flask_app(
        dir.path(),
        &flask_url(&db),
        &models.replace(
            "db.Column(db.Interval, default=timedelta",
            "db.Column(db.Interval(native=False), default=timedelta",
        ),
    );
    let (ok, out) = ormsh_in(dir.path(), &["--no-echo", "-c", "Task.query.count()"]);
    assert!(
        !ok && out.contains("app.py:12: `Interval(.., native=False)` is not mapped"),
        "{out}"
    );
}
