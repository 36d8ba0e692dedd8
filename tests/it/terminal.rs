//! The prompt in a real terminal (tmux): completion in each context,
//! multi-line input, Ctrl-C during a running loop, Ctrl-D, output formats,
//! the switch to vertical on a narrow terminal, colour and NO_COLOR, a
//! guard's question, and the user's config.toml.

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use crate::common::{BLOG_MODELS, Kind, Project, TestDb};

/// One ormsh prompt in a detached tmux session on its own server.
struct Term {
    socket: String,
}

fn tmux_available() -> bool {
    let found = Command::new("tmux").arg("-V").output().is_ok();
    if !found {
        assert!(
            std::env::var_os("ORMSH_TEST_REQUIRE_ALL").is_none(),
            "tmux is needed for the terminal tests"
        );
        crate::common::skipped("tmux is not installed");
    }
    found
}

impl Term {
    fn start(dir: &Path, width: u16, env: &[(&str, &str)], args: &str) -> Term {
        static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let socket = format!(
            "ormsh-test-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
        );
        let bin = assert_cmd::cargo::cargo_bin("ormsh");
        let vars: Vec<String> = env.iter().map(|(k, v)| format!("{k}='{v}'")).collect();
        let command = format!(
            "cd '{}' && env -u DATABASE_URL -u NO_COLOR -u ORMSH_APP HOME='{}' XDG_DATA_HOME='{}/xdg' ORMSH_CONFIG='{}/none.toml' TERM=xterm-256color {} '{}' {args}; sleep 30",
            dir.display(),
            dir.display(),
            dir.display(),
            dir.display(),
            vars.join(" "),
            bin.display()
        );
        let status = Command::new("tmux")
            .args(["-L", &socket, "new-session", "-d", "-x"])
            .arg(width.to_string())
            .args(["-y", "40", &command])
            .status()
            .unwrap();
        assert!(status.success());
        let term = Term { socket };
        term.wait_for("Type .help");
        term
    }

    fn keys(&self, keys: &[&str]) {
        for k in keys {
            let status = Command::new("tmux")
                .args(["-L", &self.socket, "send-keys", "-t", "0"])
                .arg(k)
                .status()
                .unwrap();
            assert!(status.success());
            std::thread::sleep(Duration::from_millis(60));
        }
    }

    /// Type a line and press Enter.
    fn line(&self, text: &str) {
        self.keys(&["-l", text]);
        self.keys(&["Enter"]);
    }

    /// The screen, with colour codes when `escapes`.
    fn screen_with(&self, escapes: bool) -> String {
        let mut cmd = Command::new("tmux");
        cmd.args([
            "-L",
            &self.socket,
            "capture-pane",
            "-p",
            "-t",
            "0",
            "-S",
            "-200",
        ]);
        if escapes {
            cmd.arg("-e");
        }
        String::from_utf8_lossy(&cmd.output().unwrap().stdout).into_owned()
    }

    fn screen(&self) -> String {
        self.screen_with(false)
    }

    /// Wait until the screen shows `text`; the screen.
    fn wait_for(&self, text: &str) -> String {
        let started = Instant::now();
        loop {
            let screen = self.screen();
            if screen.contains(text) {
                return screen;
            }
            assert!(
                started.elapsed() < Duration::from_secs(15),
                "waited for {text:?}; the screen:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Term {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["-L", &self.socket, "kill-server"])
            .status();
    }
}

fn blog() -> (TestDb, Project) {
    let db = TestDb::new(Kind::Sqlite);
    let models = BLOG_MODELS.replace(
        r#"], #{ repr: |u| `<User ${u.username}>` });"#,
        r#"], #{ repr: |u| `<User ${u.username}>`, methods: #{ greet: || `hi ${this.username}` } });"#,
    );
    let project = Project::new(&db.url, &models);
    project.run_ok(
        r#"db.create_all();
        let u = User(#{ username: "amy", email: "amy@example.com" });
        db.session.add(Post(#{ title: "Hello", content: "World", author: u }));
        db.session.add(User(#{ username: "bob", email: "bob@example.com" }));"#,
    );
    (db, project)
}

#[test]
fn completion_in_every_context() {
    if !tmux_available() {
        return;
    }
    let (_db, project) = blog();
    let term = Term::start(project.path(), 120, &[], "--no-echo");
    // (typed, Tab, what the line then reads)
    for (typed, expected) in [
        ("Us", "ormsh> User"),
        ("User.usern", "ormsh> User.username"),
        ("User.query.filter_b", "ormsh> User.query.filter_by("),
        // (the key's trailing space is not on the captured screen)
        (
            "User.query.filter_by(#{ ema",
            "ormsh> User.query.filter_by(#{ email:",
        ),
        ("db.session.comm", "ormsh> db.session.commit("),
        ("db.create_a", "ormsh> db.create_all("),
        (".sche", "ormsh> .schema"),
        (".schema Po", "ormsh> .schema Post"),
        ("joinedl", "ormsh> joinedload"),
    ] {
        term.keys(&["-l", typed]);
        term.keys(&["Tab"]);
        let screen = term.wait_for(expected);
        assert!(screen.contains(expected), "{typed}: {screen}");
        term.keys(&["C-c"]);
    }
    // An object variable completes its own model's attributes and methods.
    term.line("let u = User.query.first(); print(`got ${u.username}`)");
    term.wait_for("got amy");
    term.keys(&["-l", "u.gr"]);
    term.keys(&["Tab"]);
    term.wait_for("ormsh> u.greet(");
    term.keys(&["C-c"]);
}

#[test]
fn multi_line_ctrl_c_and_ctrl_d() {
    if !tmux_available() {
        return;
    }
    let (_db, project) = blog();
    let term = Term::start(project.path(), 120, &[], "--no-echo");
    // An open bracket continues on the next line.
    term.line("let names = (User.query");
    term.line("  .order_by(User.id)");
    term.line("  .all());");
    term.line("names.len()");
    term.wait_for("\n2\n");
    term.line("for i in [1,");
    term.line("2] { print(`n${i}`) }");
    term.wait_for("n2");
    // Ctrl-C stops a running loop; the session still works.
    term.line("let x = 0; while true { x += 1; }");
    std::thread::sleep(Duration::from_millis(500));
    term.keys(&["C-c"]);
    term.wait_for("interrupted");
    term.line("print(`users ${User.query.count()}`)");
    term.wait_for("users 2");
    // Ctrl-D leaves.
    term.keys(&["C-d"]);
    let started = Instant::now();
    while !term.screen().ends_with("\n\n") && started.elapsed() < Duration::from_secs(2) {
        std::thread::sleep(Duration::from_millis(50));
    }
    term.line("print(`still here`)");
    std::thread::sleep(Duration::from_millis(500));
    assert!(
        !term.screen().contains("still here\n"),
        "Ctrl-D left the prompt:\n{}",
        term.screen()
    );
}

#[test]
fn formats_narrow_terminals_and_colour() {
    if !tmux_available() {
        return;
    }
    let (_db, project) = blog();
    let term = Term::start(project.path(), 200, &[], "--no-echo");
    term.line("User.query.order_by(User.id).all()");
    let screen = term.wait_for("(2 rows)");
    assert!(
        screen.contains("│ id │ username │ email           │")
            && screen.contains("│  1 │ amy      │ amy@example.com │"),
        "{screen}"
    );
    for (format, expected) in [
        ("vertical", "username | amy"),
        ("json", r#""email": "amy@example.com""#),
        ("csv", "1,amy,amy@example.com"),
        ("markdown", "| 1 | amy | amy@example.com |"),
    ] {
        term.line(&format!(".format {format}"));
        term.line("User.query.order_by(User.id).all()");
        let screen = term.wait_for(expected);
        assert!(screen.contains(expected), "{format}: {screen}");
    }
    // Colour on a terminal: the typed line and the table header.
    term.line(".format table");
    term.keys(&["-l", "User.query"]);
    std::thread::sleep(Duration::from_millis(300));
    assert!(
        term.screen_with(true).contains("\x1b["),
        "colours on a terminal"
    );
    term.keys(&["C-c"]);

    // A narrow terminal: a wide row goes vertical, as psql's \x auto.
    let narrow = Term::start(project.path(), 30, &[], "--no-echo");
    narrow.line("User.query.order_by(User.id).all()");
    let screen = narrow.wait_for("email");
    assert!(
        screen.contains("username") && !screen.contains("│ id │ username"),
        "{screen}"
    );

    // NO_COLOR: not one escape code.
    let plain = Term::start(project.path(), 200, &[("NO_COLOR", "1")], "");
    plain.line("User.query.count()");
    plain.wait_for("\n2\n");
    let raw = plain.screen_with(true);
    assert!(
        !raw.contains("\x1b[3") && !raw.contains("\x1b[1;"),
        "{raw:?}"
    );
}

#[test]
fn guards_ask_and_preferences_apply() {
    if !tmux_available() {
        return;
    }
    let (db, project) = blog();
    let term = Term::start(project.path(), 160, &[], "--no-echo");
    term.line("Post.query.delete()");
    term.wait_for("every row of `post`");
    term.line("n");
    term.wait_for("not confirmed");
    assert_eq!(db.scalar("SELECT count(*) FROM post"), "1");

    // config.toml: the default format and vi editing.
    project.file("prefs.toml", "format = \"csv\"\nedit_mode = \"vi\"\n");
    let prefs = project.path().join("prefs.toml");
    let vi = Term::start(
        project.path(),
        160,
        &[("ORMSH_CONFIG", prefs.to_str().unwrap())],
        "--no-echo",
    );
    vi.line("User.query.order_by(User.id).all()");
    vi.wait_for("2,bob,bob@example.com");
    // In vi mode, Escape then `0` `x` edits the line: "XUser" becomes "User".
    vi.keys(&["-l", "XUser.query.count()"]);
    vi.keys(&["Escape", "0", "x", "Enter"]);
    vi.wait_for("\n2\n");
}

/// `--read-only` shows in the prompt, in its own colour, and a write there
/// is refused in one line that names read-only mode.
#[test]
fn the_read_only_prompt() {
    if !tmux_available() {
        return;
    }
    let (_db, project) = blog();
    let term = Term::start(project.path(), 200, &[], "--read-only --no-echo");
    term.wait_for("ormsh(ro)>");
    assert!(
        term.screen_with(true).contains("33m(ro)"),
        "{:?}",
        term.screen_with(true)
    );
    term.line("User.query.count()");
    term.wait_for("\n2\n");
    term.line("db.session.add(User(#{ username: \"x\", email: \"x@x\" })); db.session.commit()");
    let screen = term.wait_for("read-only mode");
    assert!(screen.contains("ormsh(ro)"), "{screen}");
}

/// The banner says in one line when the database is behind the migrations
/// folder, and says nothing once it is at the head.
#[test]
fn the_banner_warns_of_pending_migrations() {
    if !tmux_available() {
        return;
    }
    let db = TestDb::new(Kind::Sqlite);
    let project = crate::migration_status::with_migrations(&db.url);
    project.ok(&["db", "upgrade", "aaa111"]);
    let term = Term::start(project.path(), 200, &[], "");
    let screen = term.wait_for("behind");
    assert!(
        screen.contains("migrations: the database is at aaa111, 2 revisions behind ccc333"),
        "{screen}"
    );
    assert!(!screen.contains("alembic_version"), "{screen}");
    project.ok(&["db", "upgrade"]);
    let term = Term::start(project.path(), 200, &[], "");
    let screen = term.wait_for("Type .help");
    assert!(!screen.contains("migrations:"), "{screen}");
}

/// A Flask app with SQLALCHEMY_BINDS and no SQLALCHEMY_DATABASE_URI: the
/// banner says there is no default database and names the bind; `.models`
/// lists the models; a model with no bind key is refused when used, and
/// the prompt goes on.
#[test]
fn the_banner_of_an_app_with_binds_only() {
    if !tmux_available() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("app.py"),
        format!(
            "from flask import Flask\nfrom flask_sqlalchemy import SQLAlchemy\napp = Flask(__name__)\napp.config['SQLALCHEMY_BINDS'] = {{'a': 'sqlite:///{}'}}\ndb = SQLAlchemy(app)\n\nclass Todo(db.Model):\n    __bind_key__ = 'a'\n    id = db.Column(db.Integer, primary_key=True)\n\nclass Plain(db.Model):\n    id = db.Column(db.Integer, primary_key=True)\n",
            dir.path().join("a.db").display()
        ),
    )
    .unwrap();
    let term = Term::start(dir.path(), 220, &[], "");
    let screen = term.screen();
    assert!(
        screen.contains("database: (none: SQLALCHEMY_DATABASE_URI is not set; models without a bind key cannot be used)")
            && screen.contains("binds: a=sqlite:///")
            && screen.contains("models: Todo, Plain"),
        "{screen}"
    );
    term.line(".models");
    term.wait_for("(default)");
    term.line("Plain.query.count()");
    term.wait_for("Plain has no bind key");
    term.line("db.create_all(\"a\"); Todo.query.count()");
    let screen = term.wait_for("SELECT count(*) FROM todo");
    assert!(
        screen.contains("CREATE TABLE todo (") && !screen.contains("panicked"),
        "{screen}"
    );
}
