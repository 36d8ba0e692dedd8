//! Introspection of a live table on every database: columns in order with
//! nullability, the primary key, foreign keys and indexes.

use crate::common::{BLOG_MODELS, Kind, Project, TestDb};
use ormsh::app::DatabaseUrl;
use ormsh::engine::{Engine, EngineOptions, QueryLog, Runtime};

fn describe(kind: Kind) {
    let db = TestDb::new(kind);
    let models = BLOG_MODELS.replace(
        r#"db.Column("title", db.String(100), #{ nullable: false }),"#,
        r#"db.Column("title", db.String(100), #{ nullable: false, index: true }),"#,
    );
    let project = Project::new(&db.url, &models);
    project.run_ok("db.create_all();");
    let url = DatabaseUrl::parse(&db.url, std::path::Path::new("/")).unwrap();
    let engine = Engine::connect(
        &url,
        &EngineOptions::default(),
        &Runtime::new().unwrap(),
        QueryLog::default(),
    )
    .unwrap();

    let mut tables = engine.table_names().unwrap();
    tables.sort();
    assert_eq!(tables, ["post", "user"], "{kind:?}");
    assert!(engine.describe_table("nope").unwrap().is_none());

    let post = engine.describe_table("post").unwrap().unwrap();
    let columns: Vec<(&str, bool)> = post
        .columns
        .iter()
        .map(|c| (c.name.as_str(), c.nullable))
        .collect();
    assert_eq!(
        columns,
        [
            ("id", false),
            ("title", false),
            ("content", false),
            ("user_id", false)
        ],
        "{kind:?}"
    );
    assert_eq!(post.primary_key, ["id"], "{kind:?}");
    assert_eq!(post.foreign_keys.len(), 1, "{kind:?}");
    assert_eq!(post.foreign_keys[0].columns, ["user_id"]);
    assert_eq!(post.foreign_keys[0].ref_table, "user");
    assert_eq!(post.foreign_keys[0].ref_columns, ["id"]);
    let title_index = post
        .indexes
        .iter()
        .find(|i| i.name == "ix_post_title")
        .unwrap_or_else(|| panic!("{kind:?}: {:?}", post.indexes));
    assert_eq!(title_index.columns, ["title"]);
    assert!(!title_index.unique);
    assert!(
        post.columns[1].type_name.to_lowercase().contains("char"),
        "{kind:?}: {}",
        post.columns[1].type_name
    );

    let user = engine.describe_table("user").unwrap().unwrap();
    assert_eq!(user.primary_key, ["id"], "{kind:?}");
    let unique: Vec<&Vec<String>> = user
        .indexes
        .iter()
        .filter(|i| i.unique)
        .map(|i| &i.columns)
        .collect();
    assert!(
        unique.contains(&&vec!["username".to_string()]),
        "{kind:?}: {:?}",
        user.indexes
    );
    assert!(
        unique.contains(&&vec!["email".to_string()]),
        "{kind:?}: {:?}",
        user.indexes
    );
}

on_every_database!(describe);
