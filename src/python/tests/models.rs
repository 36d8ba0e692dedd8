//! Flask-SQLAlchemy models files in both styles: classic `db.Column` and 2.0
//! `Mapped[...] = mapped_column(...)` with `sa.`/`so.` aliases.

use crate::python::*;

const CLASSIC: &str = r#"
"""The blog's models."""
from datetime import datetime
import enum
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import validates
from . import db
from ..core.base import Base as CoreBase, Mixin


class Status(enum.Enum):
    DRAFT = 'draft'
    PUBLISHED = 'published'


post_tags = db.Table(
    'post_tags',
    db.Column('post_id', db.Integer, db.ForeignKey('post.id'), primary_key=True),
    db.Column('tag_id', db.Integer, db.ForeignKey('tag.id'), primary_key=True),
)


class User(db.Model):
    __tablename__ = 'users'
    __table_args__ = (
        db.UniqueConstraint('username', 'email', name='uq_user_name_email'),
        {'sqlite_autoincrement': True},
    )

    id = db.Column(db.Integer, primary_key=True)
    username = db.Column(db.String(80), unique=True, nullable=False)
    created = db.Column(db.DateTime, default=datetime.utcnow)
    posts = db.relationship('Post', backref='author', lazy='dynamic',
                            primaryjoin="User.id == Post.user_id")

    def __repr__(self):
        return f'<User {self.username!r}>'

    @property
    def display(self):
        return self.username.title()

    @hybrid_property
    def name_length(self):
        return len(self.username)

    @validates('username', include_removes=False)
    def validate_username(self, key, value):
        assert value, "empty"
        return value
"#;

const MODERN: &str = r#"
from datetime import datetime, timezone
from typing import Optional
import sqlalchemy as sa
import sqlalchemy.orm as so
from app import db


class Post(db.Model):
    id: so.Mapped[int] = so.mapped_column(primary_key=True)
    body: so.Mapped[str] = so.mapped_column(sa.String(140))
    about: so.Mapped[Optional[str]] = so.mapped_column(sa.String(140))
    seen: so.Mapped[datetime | None] = so.mapped_column(
        default=lambda: datetime.now(timezone.utc))
    user_id: so.Mapped[int] = so.mapped_column(sa.ForeignKey(User.id), index=True)
    author: so.Mapped['User'] = so.relationship(back_populates='posts')
    likes: so.WriteOnlyMapped['Like'] = so.relationship(cascade='all, delete-orphan', passive_deletes=True)
    score: so.Mapped[float]
"#;

fn class_stmts<'a>(m: &'a Module, name: &str) -> &'a ClassDef {
    m.class(name).unwrap_or_else(|| panic!("no class {name}"))
}

fn ann<'a>(c: &'a ClassDef, name: &str) -> (&'a Expr, Option<&'a Expr>) {
    c.body
        .iter()
        .find_map(|s| match &s.kind {
            StmtKind::AnnAssign {
                target,
                annotation,
                value,
            } if target.is_name(name) => Some((annotation, value.as_ref())),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no annotated {name}"))
}

fn method<'a>(c: &'a ClassDef, name: &str) -> &'a FunctionDef {
    c.body
        .iter()
        .find_map(|s| match &s.kind {
            StmtKind::FunctionDef(f) if f.name == name => Some(f),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no method {name}"))
}

#[test]
fn classic_imports_and_enum() {
    let m = parse("models.py", CLASSIC).unwrap();
    assert!(
        matches!(&m.body[0].kind, StmtKind::Expr(e) if e.as_str().as_deref() == Some("The blog's models."))
    );
    let imports: Vec<_> = m
        .body
        .iter()
        .filter_map(|s| match &s.kind {
            StmtKind::ImportFrom {
                module,
                level,
                names,
                ..
            } => Some((module.clone(), *level, names.clone())),
            _ => None,
        })
        .collect();
    assert_eq!(imports[0].0.as_deref(), Some("datetime"));
    assert_eq!(imports[3], (None, 1, imports[3].2.clone()));
    assert_eq!(imports[3].2[0].name, "db");
    let (module, level, names) = &imports[4];
    assert_eq!((module.as_deref(), *level), (Some("core.base"), 2));
    assert_eq!(names[0].name, "Base");
    assert_eq!(names[0].bound_name(), "CoreBase");
    assert_eq!(names[1].bound_name(), "Mixin");
    assert!(matches!(&m.body[2].kind, StmtKind::Import(a) if a[0].name == "enum"));

    let status = class_stmts(&m, "Status");
    assert_eq!(status.bases[0].dotted().as_deref(), Some("enum.Enum"));
    assert_eq!(
        assigned_in(&status.body, "DRAFT")
            .unwrap()
            .as_str()
            .as_deref(),
        Some("draft")
    );
}

#[test]
fn classic_association_table() {
    let m = parse("models.py", CLASSIC).unwrap();
    let table = m.assigned("post_tags").unwrap().as_call().unwrap();
    assert_eq!(table.func.dotted().as_deref(), Some("db.Table"));
    assert_eq!(table.args.len(), 3);
    assert_eq!(table.args[0].as_str().as_deref(), Some("post_tags"));
    let col = table.args[1].as_call().unwrap();
    assert_eq!(col.func.dotted().as_deref(), Some("db.Column"));
    assert_eq!(col.args[1].dotted().as_deref(), Some("db.Integer"));
    let fk = col.args[2].as_call().unwrap();
    assert_eq!(fk.args[0].as_str().as_deref(), Some("post.id"));
    assert!(matches!(
        col.keyword("primary_key").unwrap().kind,
        ExprKind::Bool(true)
    ));
    assert_eq!(
        m.text(table.args[1].span),
        "db.Column('post_id', db.Integer, db.ForeignKey('post.id'), primary_key=True)"
    );
    assert_eq!((table.args[1].span.line, table.args[1].span.col), (18, 5));
}

#[test]
fn classic_model_columns_and_table_args() {
    let m = parse("models.py", CLASSIC).unwrap();
    let user = class_stmts(&m, "User");
    assert_eq!(user.bases[0].dotted().as_deref(), Some("db.Model"));
    assert_eq!(user.span.line, 23);
    assert_eq!(
        assigned_in(&user.body, "__tablename__")
            .unwrap()
            .as_str()
            .as_deref(),
        Some("users")
    );

    let ExprKind::Tuple(args) = &assigned_in(&user.body, "__table_args__").unwrap().kind else {
        panic!("table args not a tuple");
    };
    let uc = args[0].as_call().unwrap();
    assert_eq!(uc.func.dotted().as_deref(), Some("db.UniqueConstraint"));
    assert_eq!(
        uc.keyword("name").unwrap().as_str().as_deref(),
        Some("uq_user_name_email")
    );
    let ExprKind::Dict(items) = &args[1].kind else {
        panic!("no dict");
    };
    assert_eq!(
        items[0].key.as_ref().unwrap().as_str().as_deref(),
        Some("sqlite_autoincrement")
    );

    let username = assigned_in(&user.body, "username")
        .unwrap()
        .as_call()
        .unwrap();
    let string = username.args[0].as_call().unwrap();
    assert_eq!(string.func.dotted().as_deref(), Some("db.String"));
    assert!(matches!(string.args[0].kind, ExprKind::Int(80)));
    assert!(matches!(
        username.keyword("nullable").unwrap().kind,
        ExprKind::Bool(false)
    ));

    let created = assigned_in(&user.body, "created")
        .unwrap()
        .as_call()
        .unwrap();
    assert_eq!(
        created.keyword("default").unwrap().dotted().as_deref(),
        Some("datetime.utcnow")
    );

    let posts = assigned_in(&user.body, "posts").unwrap().as_call().unwrap();
    assert_eq!(posts.func.dotted().as_deref(), Some("db.relationship"));
    assert_eq!(
        posts.keyword("primaryjoin").unwrap().as_str().as_deref(),
        Some("User.id == Post.user_id")
    );
    assert_eq!(posts.keyword("lazy").unwrap().span.line, 33);
}

#[test]
fn classic_methods_and_decorators() {
    let m = parse("models.py", CLASSIC).unwrap();
    let user = class_stmts(&m, "User");

    let repr = method(user, "__repr__");
    assert_eq!(repr.params.len(), 1);
    assert_eq!(repr.params[0].name, "self");
    let StmtKind::Return(Some(ret)) = &repr.body[0].kind else {
        panic!("no return");
    };
    let ExprKind::Str(s) = &ret.kind else {
        panic!("not a str")
    };
    assert!(s.fstring);
    assert_eq!(s.literal(), None);
    assert_eq!(s.parts[0], StrPart::Text("<User ".into()));
    let StrPart::Interp {
        expr, conversion, ..
    } = &s.parts[1]
    else {
        panic!("no placeholder")
    };
    assert_eq!(expr.dotted().as_deref(), Some("self.username"));
    assert_eq!(*conversion, Some('r'));

    assert!(method(user, "display").decorators[0].is_name("property"));
    assert!(method(user, "name_length").decorators[0].is_name("hybrid_property"));
    let validate = method(user, "validate_username");
    let deco = validate.decorators[0].as_call().unwrap();
    assert!(deco.func.is_name("validates"));
    assert_eq!(deco.args[0].as_str().as_deref(), Some("username"));
    assert!(deco.keyword("include_removes").is_some());
    let names: Vec<_> = validate.params.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["self", "key", "value"]);
    assert!(matches!(&validate.body[0].kind, StmtKind::Other(k) if k == "assert_statement"));
    assert_eq!(validate.body[0].span.line, 49);
}

#[test]
fn modern_mapped_annotations() {
    let m = parse("models.py", MODERN).unwrap();
    let post = class_stmts(&m, "Post");

    let (annotation, value) = ann(post, "id");
    let ExprKind::Subscript {
        value: generic,
        index,
    } = &annotation.kind
    else {
        panic!("not a subscript: {annotation:?}")
    };
    assert_eq!(generic.dotted().as_deref(), Some("so.Mapped"));
    assert!(index.is_name("int"));
    let call = value.unwrap().as_call().unwrap();
    assert_eq!(call.func.dotted().as_deref(), Some("so.mapped_column"));
    assert!(call.args.is_empty());

    let (annotation, _) = ann(post, "about");
    assert_eq!(m.text(annotation.span), "so.Mapped[Optional[str]]");
    let ExprKind::Subscript { index, .. } = &annotation.kind else {
        panic!()
    };
    let ExprKind::Subscript {
        value: optional,
        index: inner,
    } = &index.kind
    else {
        panic!("not Optional[...]: {index:?}")
    };
    assert!(optional.is_name("Optional") && inner.is_name("str"));

    let (annotation, value) = ann(post, "seen");
    let ExprKind::Subscript { index, .. } = &annotation.kind else {
        panic!()
    };
    let ExprKind::BinOp {
        op: BinOp::BitOr,
        left,
        right,
    } = &index.kind
    else {
        panic!("not X | None: {index:?}")
    };
    assert!(left.is_name("datetime"));
    assert!(matches!(right.kind, ExprKind::None));
    let default = value
        .unwrap()
        .as_call()
        .unwrap()
        .keyword("default")
        .unwrap();
    let ExprKind::Lambda { params, body } = &default.kind else {
        panic!("no lambda")
    };
    assert!(params.is_empty());
    assert_eq!(m.text(body.span), "datetime.now(timezone.utc)");

    let (_, value) = ann(post, "user_id");
    let fk = value.unwrap().as_call().unwrap().args[0].as_call().unwrap();
    assert_eq!(fk.args[0].dotted().as_deref(), Some("User.id"));

    let (annotation, _) = ann(post, "author");
    let ExprKind::Subscript { index, .. } = &annotation.kind else {
        panic!()
    };
    assert_eq!(index.as_str().as_deref(), Some("User"));

    let (annotation, value) = ann(post, "likes");
    let ExprKind::Subscript { value: generic, .. } = &annotation.kind else {
        panic!()
    };
    assert_eq!(generic.dotted().as_deref(), Some("so.WriteOnlyMapped"));
    let rel = value.unwrap().as_call().unwrap();
    assert_eq!(
        rel.keyword("cascade").unwrap().as_str().as_deref(),
        Some("all, delete-orphan")
    );

    let (_, value) = ann(post, "score");
    assert!(value.is_none());
}

#[test]
fn models_evaluate_to_refs_and_refuse_calls() {
    let m = parse("models.py", CLASSIC).unwrap();
    let mut env = Env::default();
    env.exec(&m, &m.body);
    // Imports bind the module paths.
    assert_eq!(
        env.value("CoreBase"),
        Some(Ok(Value::Ref("..core.base.Base".into())))
    );
    assert_eq!(env.value("db"), Some(Ok(Value::Ref(".db".into()))));
    assert_eq!(env.value("enum"), Some(Ok(Value::Ref("enum".into()))));

    let Some(Ok(Value::Class(status))) = env.value("Status") else {
        panic!("no Status")
    };
    assert_eq!(status.bases, [Value::Ref("enum.Enum".into())]);
    assert_eq!(
        status.attr("PUBLISHED"),
        Some(&Ok(Value::Str("published".into())))
    );

    // A model's class holds each column's refusal, given when it is used.
    let Some(Ok(Value::Class(user))) = env.value("User") else {
        panic!("no User")
    };
    assert_eq!(
        user.attr("__tablename__"),
        Some(&Ok(Value::Str("users".into())))
    );
    let Some(Err(e)) = user.attr("id") else {
        panic!("id evaluated")
    };
    assert_eq!(e.file, "models.py");
    assert_eq!(e.line, 30);
    assert!(
        e.message
            .contains("db.Column(db.Integer, primary_key=True)"),
        "{e}"
    );
    assert!(e.message.contains("calls `.db.Column`"), "{e}");
    assert!(user.has_unknown_base());
    // `db.Model` is unread, so an attribute it may hold is a Ref, not a refusal.
    let query = parse("x.py", "User.query").unwrap();
    let StmtKind::Expr(q) = &query.body[0].kind else {
        panic!()
    };
    assert_eq!(env.eval(&query, q), Ok(Value::Ref("User.query".into())));
}
