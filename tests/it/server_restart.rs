//! The server restarts while ormsh waits at the prompt with a transaction
//! open: the next statement says the connection was lost and what was
//! discarded; the one after it connects to the new server and works.
//! Restarting a shared server is not for every run: set
//! ORMSH_TEST_RESTART=1 (PostgreSQL, through pg_ctlcluster, as root). The
//! other tests of the run keep off the server meanwhile (common/server_gate.rs).

use std::io::Write;
use std::process::Command;
use std::time::{Duration, Instant};

use crate::common::{self, BLOG_MODELS, Kind, Project, TestDb};

#[test]
fn postgres_restart_while_waiting() {
    if std::env::var_os("ORMSH_TEST_RESTART").is_none() {
        common::skipped("it restarts the PostgreSQL server; set ORMSH_TEST_RESTART=1");
        return;
    }
    if !common::available(Kind::Postgres) {
        return;
    }
    // Every other test that uses PostgreSQL finishes first; those that
    // start meanwhile wait for the restart to be over.
    let _alone = common::server_gate::server_alone();
    let db = TestDb::new(Kind::Postgres);
    let project = Project::new(&db.url, BLOG_MODELS);
    project.run_ok("db.create_all();");
    let mut child = project.spawn(&["--no-echo", "shell"]);
    let mut stdin = child.stdin.take().unwrap();
    writeln!(
        stdin,
        "db.session.add(User(#{{ username: \"a\", email: \"a@x\" }}))\ndb.session.flush()"
    )
    .unwrap();
    stdin.flush().unwrap();
    std::thread::sleep(Duration::from_millis(800));
    let version = std::fs::read_dir("/etc/postgresql")
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .file_name();
    let restarted = Command::new("pg_ctlcluster")
        .arg(&version)
        .args(["main", "restart", "-m", "fast"])
        .status()
        .unwrap();
    assert!(restarted.success());
    let ready = Instant::now();
    while !Command::new("pg_isready")
        .args(["-q", "-h", "127.0.0.1"])
        .status()
        .unwrap()
        .success()
    {
        assert!(
            ready.elapsed() < Duration::from_secs(30),
            "PostgreSQL came back"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    writeln!(
        stdin,
        "db.session.commit()\ndb.session.add(User(#{{ username: \"b\", email: \"b@x\" }}))\ndb.session.commit()\nprint(`users ${{User.query.count()}}`)"
    )
    .unwrap();
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("the connection to the database was lost") && stderr.contains("1 new User"),
        "{stderr}"
    );
    assert!(stdout.contains("users 1"), "{stdout}\n{stderr}");
}
