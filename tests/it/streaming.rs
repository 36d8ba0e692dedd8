//! A query printed as the line's result shows its rows, and prints them as
//! they arrive: more rows than one chunk, in every format, equal to what a
//! separate connection reads, with no object made for them.

use crate::common::{BLOG_MODELS, Kind, Project, TestDb};

const ROWS: usize = 2_345;

fn printed(project: &Project, format: &str, expr: &str) -> String {
    let out = project
        .ormsh()
        .args(["--no-echo", "--format", format, "-c", expr])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{expr}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn streamed_query_rows(kind: Kind) {
    let db = TestDb::new(kind);
    let project = Project::new(&db.url, BLOG_MODELS);
    project.run_ok(&format!(
        r#"
        db.create_all();
        let u = User(#{{ username: "amy", email: "amy@example.com" }});
        db.session.add(u);
        for i in 0..{ROWS} {{ db.session.add(Post(#{{ title: `Post ${{i}}`, content: "a,b \"c\"", author: u }})); }}
        db.session.commit();
        "#
    ));
    let post = db.quote("post");
    let expected = db.rows(&format!(
        "SELECT id, title, content, user_id FROM {post} ORDER BY id"
    ));
    assert_eq!(expected.len(), ROWS);

    let query = "Post.query.order_by(Post.id)";
    let csv = printed(&project, "csv", query);
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    assert_eq!(
        reader.headers().unwrap().iter().collect::<Vec<_>>(),
        ["id", "title", "content", "user_id"]
    );
    let records: Vec<Vec<String>> = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect();
    assert_eq!(records, expected);

    let json: serde_json::Value = serde_json::from_str(&printed(&project, "json", query)).unwrap();
    let items = json.as_array().unwrap();
    assert_eq!(items.len(), ROWS);
    assert_eq!(items[ROWS - 1]["title"], format!("Post {}", ROWS - 1));
    assert_eq!(items[0]["content"], "a,b \"c\"");

    let table = printed(&project, "table", query);
    assert!(
        table.ends_with(&format!("({ROWS} rows)\n")),
        "{}",
        &table[table.len() - 200..]
    );
    assert_eq!(table.matches(" rows)").count(), 1);
    assert!(table.contains(&format!("Post {}", ROWS - 1)));

    let vertical = printed(&project, "vertical", query);
    assert!(vertical.contains(&format!("-[ RECORD {ROWS} ]")));
    let markdown = printed(&project, "markdown", query);
    assert_eq!(markdown.lines().count(), ROWS + 2);

    // A filtered query with chosen columns streams the same way.
    let few = printed(
        &project,
        "csv",
        "Post.query.filter(Post.id <= 3).order_by(Post.id.desc()).with_entities(Post.title)",
    );
    assert_eq!(few, "title\nPost 2\nPost 1\nPost 0\n");
    // `q.sql()` still shows the SQL rather than the rows.
    let sql = printed(&project, "table", "Post.query.filter(Post.id == 1).sql()");
    assert!(sql.contains("SELECT") && sql.contains("WHERE"), "{sql}");
}

on_every_database!(streamed_query_rows);
