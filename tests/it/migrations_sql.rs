//! `--sql` where autogenerate is: `ormsh db migrate --sql` and `db revision
//! --autogenerate --sql` are refused as real Flask-Migrate (Alembic)
//! refuses them, and `db revision --sql` as well, with nothing written and
//! no database touched.

use crate::common::{TestDb, kinds};
use crate::migrations::schema;
use crate::migrations_autogenerate::Project;

const MODELS: &str = r#"from app import db


class Item(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    name = db.Column(db.String(40))
"#;

#[test]
fn sql_with_autogenerate_is_refused_as_alembic_refuses_it() {
    let Some(p) = Project::new(MODELS) else {
        return;
    };
    let db = TestDb::new(crate::common::Kind::Sqlite);
    p.flask(&db, &["init"]);
    let before = schema(&db);
    for (args, flask_args, said) in [
        (
            &["migrate", "--sql"][..],
            &["migrate", "--sql"][..],
            "Using --sql with --autogenerate does not make any sense",
        ),
        (
            &["revision", "--autogenerate", "--sql"],
            &["revision", "--autogenerate", "--sql"],
            "Using --sql with --autogenerate does not make any sense",
        ),
        (
            &["revision", "--sql", "-m", "x"],
            &["revision", "--sql", "-m", "x"],
            "Using --sql with the revision command when revision_environment is not configured does not make any sense",
        ),
    ] {
        let (ok, out, err) = p.flask_run(&db, flask_args);
        assert!(
            !ok && format!("{out}{err}").contains(said),
            "flask db {flask_args:?}:\n{out}\n{err}"
        );
        let (code, out, err) = p.ormsh(&db, args);
        assert_eq!(code, 2, "ormsh db {args:?}:\n{out}\n{err}");
        assert!(err.contains(said), "ormsh db {args:?}:\n{err}");
        assert!(p.files().is_empty(), "nothing written: {:?}", p.files());
    }
    assert_eq!(schema(&db), before, "no database touched");
    let _ = kinds;
}
