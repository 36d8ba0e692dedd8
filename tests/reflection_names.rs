//! Names of reflected models and relationships on schemas as Flask apps
//! create them, on every database: singular model names from plural
//! tables (`users` → `User`), collections pluralised once (`User.posts`,
//! `Post.comments`), a follow graph through a self-referential association
//! table named from its keys (`followed`/`follower`) and answering the
//! right way round, two keys to one table named from the columns, and a
//! name collision settled with a note instead of an error. The dump of it
//! reloads with no drift.

mod common;

use common::{Kind, Project, TestDb};

fn schema(db: &TestDb) -> Vec<String> {
    let int_pk = match db.kind {
        Kind::Postgres => "SERIAL PRIMARY KEY",
        Kind::MySql => "INTEGER PRIMARY KEY AUTO_INCREMENT",
        Kind::Sqlite => "INTEGER PRIMARY KEY",
    };
    [
        format!("CREATE TABLE users (id {int_pk}, username VARCHAR(40) NOT NULL)"),
        "CREATE TABLE followers (follower_id INTEGER NOT NULL REFERENCES users (id), followed_id INTEGER NOT NULL REFERENCES users (id), PRIMARY KEY (follower_id, followed_id))".to_string(),
        format!("CREATE TABLE posts (id {int_pk}, title VARCHAR(40) NOT NULL, user_id INTEGER REFERENCES users (id))"),
        format!("CREATE TABLE comments (id {int_pk}, body VARCHAR(40), post_id INTEGER REFERENCES posts (id), author_id INTEGER REFERENCES users (id))"),
        format!("CREATE TABLE messages (id {int_pk}, body VARCHAR(40), sender_id INTEGER REFERENCES users (id), recipient_id INTEGER REFERENCES users (id))"),
        format!("CREATE TABLE tag (id {int_pk}, name VARCHAR(40))"),
        "CREATE TABLE post_tags (post_id INTEGER NOT NULL REFERENCES posts (id), tag_id INTEGER NOT NULL REFERENCES tag (id), PRIMARY KEY (post_id, tag_id))".to_string(),
        format!("CREATE TABLE tags (id {int_pk}, note VARCHAR(40))"),
        "INSERT INTO users (id, username) VALUES (1, 'ann'), (2, 'bob'), (3, 'cy')".to_string(),
        "INSERT INTO followers (follower_id, followed_id) VALUES (1, 2), (1, 3), (3, 2)".to_string(),
        "INSERT INTO posts (id, title, user_id) VALUES (1, 'p1', 1), (2, 'p2', 1), (3, 'p3', 2)".to_string(),
        "INSERT INTO comments (id, body, post_id, author_id) VALUES (1, 'c1', 1, 2), (2, 'c2', 1, 3), (3, 'c3', 3, 2)".to_string(),
        "INSERT INTO messages (id, body, sender_id, recipient_id) VALUES (1, 'hi', 1, 2), (2, 'yo', 2, 1), (3, 'ok', 1, 3)".to_string(),
        "INSERT INTO tag (id, name) VALUES (1, 'a'), (2, 'b')".to_string(),
        "INSERT INTO post_tags (post_id, tag_id) VALUES (1, 1), (1, 2), (3, 2)".to_string(),
    ]
    .to_vec()
}

const QUESTIONS: &str = r#"
let ann = User.query.get(1); let bob = User.query.get(2);
fn names(users) { let out = []; for u in users { out.push(u.username); } out.sort(); out }
print(names(ann.followed));
print(names(ann.follower));
print(names(bob.follower));
print(ann.posts.len());
print(Post.query.get(1).comments.len());
print(Comment.query.get(1).author.username);
print(bob.comments.len());
print(Message.query.get(1).sender.username + ">" + Message.query.get(1).recipient.username);
print(ann.messages_by_sender.len());
print(Post.query.get(1).tags.len());
print(Tag.query.get(2).posts.len());
print(Tag2.query.count());
"#;

fn flask_schemas_reflect_with_readable_names(kind: Kind) {
    let db = TestDb::new(kind);
    for statement in schema(&db) {
        db.rows(&statement);
    }
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("ormsh.toml"),
        format!("[database]\nurl = \"{}\"\n", db.url),
    )
    .unwrap();
    let project = Project { dir };
    let out = project.ormsh().args(["-c", QUESTIONS]).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{kind:?}: {stdout}\n{stderr}");
    assert_eq!(
        stdout.lines().collect::<Vec<_>>(),
        [
            r#"["bob", "cy"]"#,
            "[]",
            r#"["ann", "cy"]"#,
            "2",
            "2",
            "bob",
            "2",
            "ann>bob",
            "2",
            "2",
            "2",
            "0",
        ],
        "{kind:?}\n{stderr}"
    );
    assert!(
        stderr.contains("note: the table tags is reflected as the model Tag2: Tag is taken"),
        "{kind:?}: {stderr}"
    );
    assert_eq!(
        stderr.lines().filter(|l| l.starts_with("note:")).count(),
        1,
        "{kind:?}: one line for the one collision\n{stderr}"
    );

    // The dump reloads as a models file that answers the same, with no drift.
    let dump = project.ormsh().args(["models", "dump"]).output().unwrap();
    let dump = String::from_utf8_lossy(&dump.stdout).to_string();
    assert!(
        !dump.contains("userses") && !dump.contains("commentses"),
        "{dump}"
    );
    let reloaded = Project::new(&db.url, &dump);
    let out = reloaded.ormsh().args(["-c", QUESTIONS]).output().unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        stdout,
        "{kind:?}: {}\n{dump}",
        String::from_utf8_lossy(&out.stderr)
    );
    let diff = reloaded.ormsh().args(["db", "diff"]).output().unwrap();
    assert!(
        diff.status.success(),
        "{kind:?}: {}",
        String::from_utf8_lossy(&diff.stdout)
    );
}

on_every_database!(flask_schemas_reflect_with_readable_names);
