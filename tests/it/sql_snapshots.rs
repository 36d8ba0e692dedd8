//! The SQL the seed's statements compile to, in all three dialects, as
//! Diesel's `debug_query` shows it: the text, then `-- binds: [..]`.

use std::rc::Rc;

use ormsh::orm::{
    Column, ForeignKey, Lazy, LoadOption, ModelDecl, Query, Registry, RelationshipDecl,
};
use ormsh::sql::dialect::{self, Dialect};
use ormsh::sql::{
    BinaryOp, ColumnType, Delete, DropTable, Expr, Insert, Statement, Update, Value, compile,
};

fn registry() -> Registry {
    let mut id = Column::new("id", ColumnType::Integer);
    id.primary_key = true;
    id.nullable = false;
    let mut username = Column::new("username", ColumnType::String(Some(80)));
    username.unique = true;
    username.nullable = false;
    let mut email = Column::new("email", ColumnType::String(Some(120)));
    email.unique = true;
    email.nullable = false;
    email.index = true;
    let mut posts = RelationshipDecl::new("posts", "Post");
    posts.backref = Some((
        "author".into(),
        Box::new(RelationshipDecl::new("author", "")),
    ));
    let mut title = Column::new("title", ColumnType::String(Some(100)));
    title.nullable = false;
    let mut user_id = Column::new("user_id", ColumnType::Integer);
    user_id.nullable = false;
    user_id.foreign_key = Some(ForeignKey::parse("user.id").unwrap());
    Registry::build(vec![
        ModelDecl {
            name: "User".into(),
            tablename: None,
            columns: vec![id.clone(), username, email],
            relationships: vec![posts],
            bind_key: None,
            constraints: Vec::new(),
            inheritance: Default::default(),
        },
        ModelDecl {
            name: "Post".into(),
            tablename: None,
            columns: vec![id, title, Column::new("content", ColumnType::Text), user_id],
            relationships: vec![],
            bind_key: None,
            constraints: Vec::new(),
            inheritance: Default::default(),
        },
    ])
    .unwrap()
}

fn dialects() -> [(&'static str, &'static dyn Dialect); 3] {
    [
        ("sqlite", &dialect::Sqlite),
        ("postgresql", &dialect::Postgres),
        ("mysql", &dialect::MySql::MYSQL),
    ]
}

/// Each statement in each dialect, one block per dialect.
fn all_dialects(statements: &[(&str, Statement)]) -> String {
    let mut out = String::new();
    for (name, d) in dialects() {
        out.push_str(&format!("== {name}\n"));
        for (label, stmt) in statements {
            out.push_str(&format!("-- {label}\n{}\n", compile(stmt, d)));
        }
    }
    out
}

#[test]
fn seed_queries() {
    let reg = registry();
    let user = reg.get("User").unwrap().clone();
    let post = reg.get("Post").unwrap().clone();
    let col = |m: &Rc<ormsh::orm::Mapper>, name: &str| {
        ormsh::orm::query::column_of(m, m.column_index(name).unwrap())
    };
    let filter_by = Query::new(user.clone())
        .filter_by(vec![("username".into(), Value::Text("johndoe".into()))])
        .unwrap()
        .limit(1);
    let contains_join = Query::new(post.clone())
        .filter(Expr::LikeEscaped {
            expr: Box::new(col(&post, "title")),
            pattern: "%50/%%".into(),
            case_insensitive: false,
            negated: false,
        })
        .join(&reg, &user, None, false)
        .unwrap();
    let icontains = Query::new(user.clone()).filter(Expr::LikeEscaped {
        expr: Box::new(col(&user, "email")),
        pattern: "%EXAMPLE%".into(),
        case_insensitive: true,
        negated: false,
    });
    let complex = Query::new(user.clone())
        .filter(Expr::binary(
            BinaryOp::Or,
            Expr::binary(
                BinaryOp::Gt,
                col(&user, "id"),
                Expr::Bind(Value::Int(1), Some(ColumnType::Integer)),
            ),
            Expr::IsNull {
                expr: Box::new(col(&user, "email")),
                negated: false,
            },
        ))
        .order_by(Expr::Ordering {
            expr: Box::new(col(&user, "id")),
            descending: true,
        })
        .offset(10);
    let joined = Query::new(post.clone())
        .options(LoadOption::new("author", Lazy::Joined))
        .unwrap();
    let statements = vec![
        (
            "filter_by(..).first()",
            Statement::Select(filter_by.to_select()),
        ),
        (
            "filter(title.contains('50%')).join(User)",
            Statement::Select(contains_join.to_select()),
        ),
        (
            "filter(email.icontains('EXAMPLE'))",
            Statement::Select(icontains.to_select()),
        ),
        (
            "filter((id > 1) | (email == ())).order_by(id.desc()).offset(10)",
            Statement::Select(complex.to_select()),
        ),
        ("count()", Statement::Select(contains_join.to_count())),
        (
            "count() of a limited query",
            Statement::Select(filter_by.to_count()),
        ),
        (
            "options(joinedload(Post.author)).all()",
            Statement::Select(joined.to_select_with_eager(&reg).0),
        ),
        (
            "flush: two new users",
            Statement::Insert(Insert {
                table: "user".into(),
                columns: vec![
                    ("username".into(), ColumnType::String(Some(80))),
                    ("email".into(), ColumnType::String(Some(120))),
                ],
                rows: vec![
                    vec![
                        Value::Text("johndoe".into()),
                        Value::Text("john@example.com".into()),
                    ],
                    vec![
                        Value::Text("jane".into()),
                        Value::Text("jane@example.com".into()),
                    ],
                ],
                returning: vec!["id".into()],
            }),
        ),
        (
            "flush: user.email changed",
            Statement::Update(Update {
                table: "user".into(),
                assignments: vec![(
                    "email".into(),
                    Expr::Bind(
                        Value::Text("new_email@example.com".into()),
                        Some(ColumnType::String(Some(120))),
                    ),
                )],
                filter: Some(Expr::binary(
                    BinaryOp::Eq,
                    col(&user, "id"),
                    Expr::Bind(Value::Int(1), Some(ColumnType::Integer)),
                )),
                returning: Vec::new(),
            }),
        ),
        (
            "flush: delete user 1",
            Statement::Delete(Delete {
                table: "user".into(),
                filter: Some(Expr::binary(
                    BinaryOp::Eq,
                    col(&user, "id"),
                    Expr::Bind(Value::Int(1), Some(ColumnType::Integer)),
                )),
                returning: Vec::new(),
            }),
        ),
        (
            "drop_all",
            Statement::DropTable(DropTable {
                name: "user".into(),
                if_exists: true,
            }),
        ),
    ];
    insta::assert_snapshot!(all_dialects(&statements));
}

#[test]
fn create_all_ddl() {
    let reg = registry();
    let mut out = String::new();
    for (name, d) in dialects() {
        out.push_str(&format!("== {name}\n"));
        for &m in &reg.dependency_order() {
            for stmt in ormsh::orm::schema::create_statements(reg.mapper(m), d) {
                out.push_str(&format!("{};\n", stmt.sql));
            }
        }
    }
    insta::assert_snapshot!(out);
}

#[test]
fn every_type_in_ddl() {
    let types = [
        ColumnType::Integer,
        ColumnType::BigInteger,
        ColumnType::SmallInteger,
        ColumnType::String(Some(20)),
        ColumnType::String(None),
        ColumnType::Text,
        ColumnType::Boolean,
        ColumnType::Float,
        ColumnType::Numeric(Some((10, 2))),
        ColumnType::Date,
        ColumnType::DateTime,
        ColumnType::Time,
        ColumnType::LargeBinary,
        ColumnType::Json,
        ColumnType::enumeration(vec!["draft".into(), "it's".into()], None),
        ColumnType::Uuid,
    ];
    let mut out = String::new();
    for (name, d) in dialects() {
        let names: Vec<String> = types
            .iter()
            .map(|t| format!("{t} → {}", d.type_name(t)))
            .collect();
        out.push_str(&format!("== {name}\n{}\n", names.join("\n")));
    }
    insta::assert_snapshot!(out);
}

#[test]
fn alter_statements() {
    use ormsh::sql::{AddForeignKey, AlterColumn, ColumnChange, ColumnDdl, ForeignKeyDdl};
    let column = |nullable, server_default| ColumnDdl {
        name: "title".into(),
        ty: ColumnType::String(Some(150)),
        nullable,
        autoincrement: false,
        unique: false,
        server_default,
    };
    let alter = |change, c| {
        Statement::AlterColumn(AlterColumn {
            table: "post".into(),
            column: c,
            change,
        })
    };
    let statements = [
        ("type", alter(ColumnChange::Type, column(false, None))),
        (
            "set not null",
            alter(ColumnChange::Nullability, column(false, None)),
        ),
        (
            "drop not null",
            alter(ColumnChange::Nullability, column(true, None)),
        ),
        (
            "set default",
            alter(
                ColumnChange::Default,
                column(
                    false,
                    Some(ormsh::sql::ServerDefault::Value(ormsh::sql::Value::Text(
                        "it's".into(),
                    ))),
                ),
            ),
        ),
        (
            "drop default",
            alter(ColumnChange::Default, column(false, None)),
        ),
        (
            "foreign key",
            Statement::AddForeignKey(AddForeignKey {
                table: "post".into(),
                name: "fk_post_user_id".into(),
                key: ForeignKeyDdl {
                    name: None,
                    columns: vec!["user_id".into()],
                    ref_table: "user".into(),
                    ref_columns: vec!["id".into()],
                    on_delete: None,
                    on_update: None,
                },
            }),
        ),
        (
            "foreign key with actions",
            Statement::AddForeignKey(AddForeignKey {
                table: "post".into(),
                name: "fk_post_user_id".into(),
                key: ForeignKeyDdl {
                    name: None,
                    columns: vec!["user_id".into()],
                    ref_table: "user".into(),
                    ref_columns: vec!["id".into()],
                    on_delete: Some("CASCADE".into()),
                    on_update: Some("SET NULL".into()),
                },
            }),
        ),
    ];
    insta::assert_snapshot!(all_dialects(&statements));
}
