//! The tree's shape for each construct it keeps: parameters, class keywords,
//! statements, operators, and string and number literals.

use crate::python::*;

fn expr_of(src: &str) -> (Module, Expr) {
    let m = parse("t.py", src).unwrap_or_else(|e| panic!("{src}: {e}"));
    let e = match &m.body[0].kind {
        StmtKind::Expr(e) => e.clone(),
        StmtKind::Assign { value, .. } => value.clone(),
        other => panic!("{src}: {other:?}"),
    };
    (m, e)
}

fn string(src: &str) -> Str {
    match expr_of(src).1.kind {
        ExprKind::Str(s) => s,
        other => panic!("{src}: {other:?}"),
    }
}

#[test]
fn parameters_of_every_kind() {
    let m = parse(
        "t.py",
        "def f(a, b: int = 1, /, c=2, *args: str, d, e: str = 'x', **kw) -> None:\n    pass\n",
    )
    .unwrap();
    let f = m.function("f").unwrap();
    let shape: Vec<_> = f
        .params
        .iter()
        .map(|p| {
            (
                p.name.as_str(),
                p.kind,
                p.annotation.is_some(),
                p.default.is_some(),
            )
        })
        .collect();
    assert_eq!(
        shape,
        [
            ("a", ParamKind::Normal, false, false),
            ("b", ParamKind::Normal, true, true),
            ("c", ParamKind::Normal, false, true),
            ("args", ParamKind::VarArgs, true, false),
            ("d", ParamKind::KeywordOnly, false, false),
            ("e", ParamKind::KeywordOnly, true, true),
            ("kw", ParamKind::VarKeywords, false, false),
        ]
    );
    assert!(matches!(f.returns.as_ref().unwrap().kind, ExprKind::None));
    let m = parse(
        "t.py",
        "def g(*, key): pass\nh = lambda x, y=1, *r, **k: x\n",
    )
    .unwrap();
    assert_eq!(
        m.function("g").unwrap().params[0].kind,
        ParamKind::KeywordOnly
    );
    let ExprKind::Lambda { params, body } = &m.assigned("h").unwrap().kind else {
        panic!()
    };
    assert_eq!(params.len(), 4);
    assert_eq!(params[1].default.as_ref().unwrap().kind, ExprKind::Int(1));
    assert_eq!(params[3].kind, ParamKind::VarKeywords);
    assert!(body.is_name("x"));
}

#[test]
fn classes_with_keywords_and_decorators() {
    let src = "@dataclass\n@register(name='x')\nclass A(Base, Mixin, metaclass=Meta, **opts):\n    '''Doc.'''\n    x: int\n";
    let m = parse("t.py", src).unwrap();
    let a = m.class("A").unwrap();
    assert_eq!(a.span.line, 3);
    assert_eq!(a.decorators.len(), 2);
    assert!(a.decorators[0].is_name("dataclass"));
    assert_eq!(
        a.decorators[1]
            .as_call()
            .unwrap()
            .keyword("name")
            .unwrap()
            .as_str()
            .as_deref(),
        Some("x")
    );
    assert_eq!(a.bases.len(), 2);
    assert_eq!(a.keywords[0].name.as_deref(), Some("metaclass"));
    assert!(a.keywords[0].value.is_name("Meta"));
    assert_eq!(a.keywords[1].name, None);
    assert_eq!(a.body.len(), 2);
    let m = parse("t.py", "class B: pass\n").unwrap();
    let b = m.class("B").unwrap();
    assert!(b.bases.is_empty() && b.keywords.is_empty());
    assert_eq!(b.body[0].kind, StmtKind::Pass);
}

#[test]
fn statements() {
    let src = "\
import a.b as c, d.e
from __future__ import annotations
from x import *
a = b = 1
a, (b, *c) = t
x.y[0] = 2
n -= 1
if a:
    pass
elif b:
    pass
else:
    pass
with open(p) as f, lock:
    pass
def f():
    return 1, 2
";
    let m = parse("t.py", src).unwrap();
    let StmtKind::Import(names) = &m.body[0].kind else {
        panic!()
    };
    assert_eq!(
        (names[0].name.as_str(), names[0].bound_name()),
        ("a.b", "c")
    );
    assert_eq!(
        (names[1].name.as_str(), names[1].bound_name()),
        ("d.e", "d")
    );
    assert!(
        matches!(&m.body[1].kind, StmtKind::ImportFrom { module: Some(m), .. } if m == "__future__")
    );
    assert!(
        matches!(&m.body[2].kind, StmtKind::ImportFrom { star: true, names, .. } if names.is_empty())
    );
    let StmtKind::Assign { targets, value } = &m.body[3].kind else {
        panic!()
    };
    assert_eq!(targets.len(), 2);
    assert_eq!(value.kind, ExprKind::Int(1));
    let StmtKind::Assign { targets, .. } = &m.body[4].kind else {
        panic!()
    };
    let ExprKind::Tuple(parts) = &targets[0].kind else {
        panic!("{targets:?}")
    };
    let ExprKind::Tuple(inner) = &parts[1].kind else {
        panic!("{parts:?}")
    };
    assert!(matches!(&inner[1].kind, ExprKind::Starred(s) if s.is_name("c")));
    let StmtKind::Assign { targets, .. } = &m.body[5].kind else {
        panic!()
    };
    assert!(matches!(targets[0].kind, ExprKind::Subscript { .. }));
    assert!(matches!(
        m.body[6].kind,
        StmtKind::AugAssign { op: BinOp::Sub, .. }
    ));
    let StmtKind::If { orelse, .. } = &m.body[7].kind else {
        panic!()
    };
    assert_eq!(orelse[0].span.line, 10);
    let StmtKind::If { orelse, .. } = &orelse[0].kind else {
        panic!("elif")
    };
    assert_eq!(orelse[0].kind, StmtKind::Pass);
    let StmtKind::With { items, .. } = &m.body[8].kind else {
        panic!()
    };
    assert_eq!(items.len(), 2);
    assert!(items[0].target.as_ref().unwrap().is_name("f"));
    assert!(items[1].context.is_name("lock") && items[1].target.is_none());
    let StmtKind::Return(Some(r)) = &m.function("f").unwrap().body[0].kind else {
        panic!()
    };
    assert!(matches!(&r.kind, ExprKind::Tuple(v) if v.len() == 2));
}

#[test]
fn operators() {
    let (_, e) = expr_of("a not in b is not c");
    let ExprKind::Compare { left, ops } = &e.kind else {
        panic!()
    };
    assert!(left.is_name("a"));
    assert_eq!(
        ops.iter().map(|(op, _)| *op).collect::<Vec<_>>(),
        [CmpOp::NotIn, CmpOp::IsNot]
    );
    let (_, e) = expr_of("not -x ** 2");
    let ExprKind::Unary {
        op: UnaryOp::Not,
        operand,
    } = &e.kind
    else {
        panic!()
    };
    assert!(matches!(
        operand.kind,
        ExprKind::Unary {
            op: UnaryOp::Neg,
            ..
        }
    ));
    let (_, e) = expr_of("a or b and c");
    assert!(matches!(e.kind, ExprKind::BoolOp { op: BoolOp::Or, .. }));
    let (m, e) = expr_of("x if y else (z)");
    let ExprKind::IfExp { test, orelse, .. } = &e.kind else {
        panic!()
    };
    assert!(test.is_name("y") && orelse.is_name("z"));
    assert_eq!(m.text(orelse.span), "(z)");
    let (m, e) = expr_of("Dict[str, int]");
    let ExprKind::Subscript { index, .. } = &e.kind else {
        panic!()
    };
    assert_eq!(m.text(index.span), "str, int");
    assert!(matches!(&index.kind, ExprKind::Tuple(v) if v.len() == 2));
    let (_, e) = expr_of("x[1:2]");
    let ExprKind::Subscript { index, .. } = &e.kind else {
        panic!()
    };
    assert_eq!(index.kind, ExprKind::Other("slice".into()));
    let (_, e) = expr_of("f(*a, b, k=1, **kw)");
    let call = e.as_call().unwrap();
    assert!(call.has_splat());
    assert_eq!(call.args.len(), 2);
    assert_eq!(call.keywords[1].name, None);
    let (_, e) = expr_of("{**a, 'b': 1}");
    let ExprKind::Dict(items) = &e.kind else {
        panic!()
    };
    assert!(items[0].key.is_none());
    let (_, e) = expr_of("f(x for x in y)");
    assert_eq!(
        e.as_call().unwrap().args[0].kind,
        ExprKind::Other("generator_expression".into())
    );
}

#[test]
fn strings_and_numbers() {
    assert_eq!(
        string("'a' \"b\" '''c\nd'''").literal().as_deref(),
        Some("abc\nd")
    );
    assert_eq!(
        string(r"'tab\there\\ \q'").literal().as_deref(),
        Some("tab\there\\ \\q")
    );
    assert_eq!(string(r"R'\d+\n'").literal().as_deref(), Some(r"\d+\n"));
    assert_eq!(
        string("'line\\\ncontinued'").literal().as_deref(),
        Some("linecontinued")
    );
    let err = parse("t.py", "x = 1\ny = '\\N{BULLET}'\n").unwrap_err();
    assert_eq!(err.line, 2);
    assert!(err.message.contains("\\N{...}"), "{err}");
    let err = parse("t.py", "b'caf\u{e9}'").unwrap_err();
    assert!(err.message.contains("ASCII"), "{err}");
    let b = string(r"b'\x00\xff\u0041'");
    assert!(b.bytes);
    assert_eq!(b.literal().as_deref(), Some("\u{0}\u{ff}\\u0041"));
    assert_eq!(string(r"f'\x7b\x7b{{'").literal().as_deref(), Some("{{{"));
    let f = string("f'no placeholders {{x}}' 'plain'");
    assert!(f.fstring);
    assert_eq!(f.literal().as_deref(), Some("no placeholders {x}plain"));
    let f = string("f'{a=}' f\"{b!s:>{w}}\"");
    assert_eq!(f.parts[0], StrPart::Text("a=".into()));
    assert!(matches!(
        &f.parts[1],
        StrPart::Interp {
            conversion: Some('r'),
            spec: None,
            ..
        }
    ));
    assert!(
        matches!(&f.parts[2], StrPart::Interp { conversion: Some('s'), spec: Some(s), .. } if s == ">{w}")
    );
    assert_eq!(expr_of("1_000_000").1.kind, ExprKind::Int(1_000_000));
    assert_eq!(expr_of("0XfF").1.kind, ExprKind::Int(255));
    assert_eq!(expr_of("1.5e3").1.kind, ExprKind::Float(1500.0));
    assert_eq!(expr_of("...").1.kind, ExprKind::Ellipsis);
}
