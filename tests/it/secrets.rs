//! A database password never shows: not in the banner, the SQL echo, an
//! error, `.queries`, `app.config`, or the history file; the history file is
//! the owner's alone; and a script reaches no file through `import`.

use crate::common::{self, BLOG_MODELS, Kind, Project, TestDb};

const SECRET: &str = "Sup3rS3cretPw";

#[test]
fn the_password_never_shows() {
    if !common::available(Kind::Postgres) {
        return;
    }
    let db = TestDb::new(Kind::Postgres);
    // Trust authentication takes any password, so the URL can carry one.
    let url = db
        .url
        .replacen("postgres@", &format!("postgres:{SECRET}@"), 1);
    let project = Project::new(&url, BLOG_MODELS);
    project.run_ok("db.create_all();");
    let out = project
        .ormsh()
        .args(["--echo", "shell"])
        .write_stdin(format!(
            ".record on\nUser.query.count()\nprint(app.config.SQLALCHEMY_DATABASE_URI)\ndb.execute(\"SELECT nope FROM nowhere\")\nprint(\"{SECRET}\")\n.queries\n"
        ))
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stdout.contains("postgres:***@"), "{stdout}");
    // The one place it may show is the line that printed it on purpose.
    let shown = format!("{stdout}{stderr}")
        .lines()
        .filter(|l| l.contains(SECRET) && *l != SECRET)
        .map(str::to_string)
        .collect::<Vec<_>>();
    assert!(shown.is_empty(), "{shown:?}");
    let folder = project.path().join("xdg/ormsh/history");
    let file = std::fs::read_dir(&folder)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let history = std::fs::read_to_string(&file).unwrap();
    assert!(!history.contains(SECRET), "{history}");
    assert!(history.contains("print(\"***\")"), "{history}");
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600, "the history file is the owner's alone");
}

#[test]
fn scripts_reach_no_files() {
    let db = TestDb::new(Kind::Sqlite);
    let project = Project::new(&db.url, BLOG_MODELS);
    let module = project.file("lib.rhai", "export const x = 1;\n");
    for script in [
        format!(
            "import \"{}\" as m; m::x",
            module.with_extension("").display()
        ),
        "import \"/etc/passwd\" as m;".to_string(),
        "open_file(\"/etc/passwd\")".to_string(),
        "system(\"ls\")".to_string(),
    ] {
        let out = project.ormsh().args(["-c", &script]).output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{script}: {stderr}");
        assert!(
            stderr.contains("Module not found") || stderr.contains("no function"),
            "{script}: {stderr}"
        );
    }
}
