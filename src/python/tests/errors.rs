//! Syntax errors at their line, constructs kept as `Other` with theirs, and no
//! panic on any input: truncated files, garbage, deep nesting.

use proptest::prelude::*;

use crate::python::*;

#[test]
fn syntax_errors_name_their_line() {
    let cases: &[(&str, usize)] = &[
        ("x = 1\ny = (2,\nz = 3\n", 2),
        ("class User(db.Model):\n    id = db.Column(\n", 2),
        ("a = 1\nb = = 2\n", 2),
        ("def f(:\n    pass\n", 1),
        ("x = 'unterminated\n", 1),
        ("if x\n    y = 1\n", 1),
    ];
    for (src, line) in cases {
        let err = parse("models.py", src).expect_err(src);
        assert_eq!(err.file, "models.py");
        assert_eq!(err.line, *line, "{src:?}: {err}");
        assert!(err.message.starts_with("invalid Python syntax"), "{err}");
        assert!(
            err.message
                .ends_with("(fix the file so that Python accepts it)"),
            "{err}"
        );
        assert!(
            err.to_string().starts_with(&format!("models.py:{line}: ")),
            "{err}"
        );
    }
}

#[test]
fn bad_literals_are_syntax_errors() {
    let err = parse("config.py", "\n\nX = '\\x4'\n").unwrap_err();
    assert_eq!(err.line, 3);
    assert!(err.message.contains("truncated"), "{err}");
    let err = parse("config.py", "X = b'a' 'b'\n").unwrap_err();
    assert!(err.message.contains("bytes and str"), "{err}");
}

#[test]
fn unsupported_constructs_are_other_with_their_line() {
    let src = "\
import os
for i in range(3):
    pass
while False:
    pass
global X
del os
X = [i for i in range(3)]
Y = (yield)
async def f():
    await g()
match X:
    case 1:
        pass
Z = t'tmpl'
W = 1j
";
    let m = parse("models.py", src).unwrap();
    let kinds: Vec<(String, usize)> = m
        .body
        .iter()
        .filter_map(|s| match &s.kind {
            StmtKind::Other(k) => Some((k.clone(), s.span.line)),
            _ => None,
        })
        .collect();
    assert_eq!(
        kinds,
        [
            ("for_statement".to_string(), 2),
            ("while_statement".to_string(), 4),
            ("global_statement".to_string(), 6),
            ("delete_statement".to_string(), 7),
            ("match_statement".to_string(), 12),
        ]
    );
    let other = |name: &str| match &m.assigned(name).unwrap().kind {
        ExprKind::Other(k) => (k.clone(), m.assigned(name).unwrap().span.line),
        k => panic!("{name} is {k:?}"),
    };
    assert_eq!(other("X"), ("list_comprehension".into(), 8));
    assert_eq!(other("Y").1, 9);
    assert_eq!(other("Z"), ("template_string".into(), 15));
    assert_eq!(other("W"), ("complex_number".into(), 16));
    let f = m.function("f").unwrap();
    assert!(f.is_async);
    let StmtKind::Expr(awaited) = &f.body[0].kind else {
        panic!()
    };
    assert_eq!(awaited.kind, ExprKind::Other("await".into()));
    assert_eq!(awaited.describe(), "a await");
}

#[test]
fn deep_nesting_is_refused_not_a_crash() {
    let src = format!("x = {}1{}\n", "(".repeat(5000), ")".repeat(5000));
    // tree-sitter may call this an error itself; either way it is an error.
    assert!(parse("deep.py", &src).is_err());
    let src = format!("\nx = {}1{}\n", "[".repeat(500), "]".repeat(500));
    let err = parse("deep.py", &src).unwrap_err();
    assert_eq!(err.line, 2);
    let src = format!("x = 1{}\n", " + 1".repeat(5000));
    let err = parse("deep.py", &src).unwrap_err();
    assert!(err.message.contains("nested more than 100 levels"), "{err}");
    // Just under the limit, each kind of nesting parses and evaluates.
    for src in [
        format!("x = 1{}\n", " + 1".repeat(97)),
        format!("x = {}1{}\n", "[".repeat(97), "]".repeat(97)),
        format!("x = {}1{}\n", "-(".repeat(48), ")".repeat(48)),
        format!("x = {}1{}\n", "str(".repeat(97), ")".repeat(97)),
    ] {
        let m = parse("deep.py", &src).unwrap();
        let mut env = Env::default();
        env.exec(&m, &m.body);
        assert!(
            matches!(env.value("x"), Some(Ok(_))),
            "{:?}",
            env.value("x")
        );
    }
    // So does a chain of classes, up to the limit.
    let mut src = String::from("class C0: X = 1\n");
    for i in 1..150 {
        src.push_str(&format!("class C{i}(C{}): pass\n", i - 1));
    }
    let m = parse("deep.py", &src).unwrap();
    let mut env = Env::default();
    env.exec(&m, &m.body);
    let Some(Ok(Value::Class(c))) = env.value("C99") else {
        panic!()
    };
    assert_eq!(c.attr("X"), Some(&Ok(Value::Int(1))));
    let Some(Err(e)) = env.value("C149") else {
        panic!()
    };
    assert!(e.message.contains("inherits through more than 100"), "{e}");
}

#[test]
fn columns_count_characters() {
    let m = parse("m.py", "é = 'ü'; b = f(x)\n").unwrap();
    let StmtKind::Assign { value, .. } = &m.body[1].kind else {
        panic!("{:?}", m.body)
    };
    assert_eq!((value.span.line, value.span.col), (1, 14));
    assert_eq!(m.text(value.span), "f(x)");
}

#[test]
fn empty_and_comment_only_files() {
    assert!(parse("a.py", "").unwrap().body.is_empty());
    assert!(parse("a.py", "# nothing\n\n").unwrap().body.is_empty());
    let m = parse("a.py", "x = 1  # one\n").unwrap();
    assert_eq!(m.body.len(), 1);
}

const SAMPLE: &str = r#"import os
import sqlalchemy as sa
basedir = os.path.abspath(os.path.dirname(__file__))
class User(db.Model):
    __table_args__ = (sa.UniqueConstraint('a'), {'x': 1})
    id: so.Mapped[int | None] = so.mapped_column(primary_key=True, default=lambda: 1)
    @validates('x')
    def v(self, key, value, *a, k=1, **kw):
        return f"{value!r} {{}}" if value else None
with op.batch_alter_table('u') as b:
    b.drop_column('x')
"#;

/// Parses and, when that succeeds, evaluates every top-level statement: the
/// result does not matter, only that nothing panics.
fn exercise(src: &str) {
    if let Ok(m) = parse("fuzz.py", src) {
        let mut env = Env::default().with_file("/x/fuzz.py");
        env.exec(&m, &m.body);
        for s in &m.body {
            if let StmtKind::Expr(e) | StmtKind::Assign { value: e, .. } = &s.kind {
                let _ = env.eval(&m, e);
                let _ = m.text(e.span);
            }
        }
    }
}

#[test]
fn every_truncation_of_a_file_is_handled() {
    for (i, _) in SAMPLE.char_indices() {
        exercise(&SAMPLE[..i]);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn garbage_never_panics(src in "\\PC{0,200}") {
        exercise(&src);
    }

    #[test]
    fn python_like_garbage_never_panics(
        src in proptest::collection::vec(
            prop_oneof![
                Just("("), Just(")"), Just("["), Just("]"), Just("{"), Just("}"),
                Just("'"), Just("\""), Just("f'{"), Just("\\"), Just(":"), Just("\n"),
                Just("    "), Just("def "), Just("class "), Just("x"), Just("="),
                Just("1"), Just("."), Just(","), Just("*"), Just("**"), Just("lambda"),
                Just("if "), Just("else"), Just("with "), Just(" as "), Just("@"),
                Just("or "), Just("and "), Just("not "), Just("os.environ"), Just("+"),
                Just("%"), Just("//"), Just("'\\x"), Just("0x"), Just("1e999"),
            ],
            0..60,
        )
    ) {
        exercise(&src.concat());
    }

    #[test]
    fn mutated_sample_never_panics(at in 0usize..400, cut in 0usize..40, insert in "\\PC{0,5}") {
        let mut s: Vec<char> = SAMPLE.chars().collect();
        let at = at.min(s.len());
        let end = (at + cut).min(s.len());
        s.splice(at..end, insert.chars());
        exercise(&s.into_iter().collect::<String>());
    }
}
