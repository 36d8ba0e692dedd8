//! Expressions from tree-sitter's nodes: names, attributes, calls and their
//! arguments, literals (strings with their escapes and f-string placeholders,
//! numbers), containers, operators, lambdas, and annotations (`Mapped[int]`,
//! `int | None`, which the grammar writes as type nodes), all as [`Expr`].

use tree_sitter::Node;

use super::ast::*;
use super::error::PyError;
use super::parse::{Conv, kids};

impl Conv<'_> {
    /// The expression (or assignment target, or annotation) at `n`.
    pub(super) fn expr(&mut self, n: Node) -> Result<Expr, PyError> {
        self.enter(n)?;
        let kind = self.expr_kind(n);
        self.leave();
        Ok(Expr {
            kind: kind?,
            span: self.span(n),
        })
    }

    fn boxed(&mut self, n: Node, field: &str) -> Result<Box<Expr>, PyError> {
        let child = self.field(n, field)?;
        Ok(Box::new(self.expr(child)?))
    }

    fn exprs(&mut self, nodes: Vec<Node>) -> Result<Vec<Expr>, PyError> {
        nodes.into_iter().map(|c| self.expr(c)).collect()
    }

    /// Dispatches on the node's kind. Each kind's work is a function of its
    /// own, so that a level of nesting costs a few small stack frames.
    fn expr_kind(&mut self, n: Node) -> Result<ExprKind, PyError> {
        match n.kind() {
            "identifier" => Ok(ExprKind::Name(self.text(n).to_string())),
            "attribute" => self.attribute(n),
            "call" => self.call(n),
            "string" | "concatenated_string" => self.string(n),
            "integer" => Ok(self.integer(n)),
            "float" => self.float(n),
            "true" => Ok(ExprKind::Bool(true)),
            "false" => Ok(ExprKind::Bool(false)),
            "none" => Ok(ExprKind::None),
            "ellipsis" => Ok(ExprKind::Ellipsis),
            "list" | "list_pattern" => Ok(ExprKind::List(self.exprs(kids(n))?)),
            "tuple" | "tuple_pattern" | "expression_list" | "pattern_list" => {
                Ok(ExprKind::Tuple(self.exprs(kids(n))?))
            }
            "set" => Ok(ExprKind::Set(self.exprs(kids(n))?)),
            "dictionary" => self.dictionary(n),
            "subscript" => self.subscript(n),
            "binary_operator" => self.binary(n),
            "boolean_operator" => self.boolean(n),
            "comparison_operator" => self.comparison(n),
            "not_operator" | "unary_operator" => self.unary(n),
            "lambda" => self.lambda(n),
            "conditional_expression" => self.conditional(n),
            "list_splat" | "list_splat_pattern" => {
                let inner = self.only_child(n)?;
                Ok(ExprKind::Starred(Box::new(self.expr(inner)?)))
            }
            "parenthesized_expression" | "parenthesized_list_splat" | "type" => {
                // The parentheses' span is kept; the depth still counts them.
                let inner = self.only_child(n)?;
                self.enter(n)?;
                let kind = self.expr_kind(inner);
                self.leave();
                kind
            }
            "generic_type" => self.generic_type(n),
            "member_type" | "union_type" => self.member_or_union_type(n),
            other => Ok(ExprKind::Other(other.to_string())),
        }
    }

    fn attribute(&mut self, n: Node) -> Result<ExprKind, PyError> {
        Ok(ExprKind::Attribute {
            value: self.boxed(n, "object")?,
            attr: self.text(self.field(n, "attribute")?).to_string(),
        })
    }

    fn call(&mut self, n: Node) -> Result<ExprKind, PyError> {
        let func = self.boxed(n, "function")?;
        let arguments = self.field(n, "arguments")?;
        let (args, keywords) = if arguments.kind() == "argument_list" {
            self.arguments(arguments)?
        } else {
            // `f(x for x in y)`
            (vec![self.expr(arguments)?], Vec::new())
        };
        Ok(ExprKind::Call(Call {
            func,
            args,
            keywords,
        }))
    }

    fn float(&self, n: Node) -> Result<ExprKind, PyError> {
        let text = self.text(n).replace('_', "");
        if text.ends_with(['j', 'J']) {
            return Ok(ExprKind::Other("complex_number".into()));
        }
        text.parse::<f64>()
            .map(ExprKind::Float)
            .map_err(|_| self.err(n, format!("`{text}` is not a number (fix the syntax)")))
    }

    fn dictionary(&mut self, n: Node) -> Result<ExprKind, PyError> {
        let mut items = Vec::new();
        for c in kids(n) {
            items.push(if c.kind() == "pair" {
                DictItem {
                    key: Some(*self.boxed(c, "key")?),
                    value: *self.boxed(c, "value")?,
                }
            } else {
                // `**other`
                let inner = self.only_child(c)?;
                DictItem {
                    key: None,
                    value: self.expr(inner)?,
                }
            });
        }
        Ok(ExprKind::Dict(items))
    }

    fn subscript(&mut self, n: Node) -> Result<ExprKind, PyError> {
        let value = self.boxed(n, "value")?;
        let mut cursor = n.walk();
        let subs: Vec<Node> = n.children_by_field_name("subscript", &mut cursor).collect();
        let index = match subs.as_slice() {
            [one] => self.expr(*one)?,
            _ => Expr {
                span: self.span_between(&subs, n),
                kind: ExprKind::Tuple(self.exprs(subs)?),
            },
        };
        Ok(ExprKind::Subscript {
            value,
            index: Box::new(index),
        })
    }

    fn binary(&mut self, n: Node) -> Result<ExprKind, PyError> {
        let token = self.text(self.field(n, "operator")?);
        let op = BinOp::from_token(token)
            .ok_or_else(|| self.err(n, format!("unknown operator `{token}` (fix the syntax)")))?;
        Ok(ExprKind::BinOp {
            op,
            left: self.boxed(n, "left")?,
            right: self.boxed(n, "right")?,
        })
    }

    fn boolean(&mut self, n: Node) -> Result<ExprKind, PyError> {
        let op = if self.text(self.field(n, "operator")?) == "and" {
            BoolOp::And
        } else {
            BoolOp::Or
        };
        Ok(ExprKind::BoolOp {
            op,
            left: self.boxed(n, "left")?,
            right: self.boxed(n, "right")?,
        })
    }

    fn unary(&mut self, n: Node) -> Result<ExprKind, PyError> {
        let op = if n.kind() == "not_operator" {
            UnaryOp::Not
        } else {
            match self.text(self.field(n, "operator")?) {
                "-" => UnaryOp::Neg,
                "+" => UnaryOp::Pos,
                _ => UnaryOp::Invert,
            }
        };
        Ok(ExprKind::Unary {
            op,
            operand: self.boxed(n, "argument")?,
        })
    }

    fn lambda(&mut self, n: Node) -> Result<ExprKind, PyError> {
        let params = match n.child_by_field_name("parameters") {
            Some(p) => self.params(p)?,
            None => Vec::new(),
        };
        Ok(ExprKind::Lambda {
            params,
            body: self.boxed(n, "body")?,
        })
    }

    fn conditional(&mut self, n: Node) -> Result<ExprKind, PyError> {
        match kids(n).as_slice() {
            [body, test, orelse] => Ok(ExprKind::IfExp {
                body: Box::new(self.expr(*body)?),
                test: Box::new(self.expr(*test)?),
                orelse: Box::new(self.expr(*orelse)?),
            }),
            _ => Err(self.err(
                n,
                "a conditional expression without its three parts (fix the syntax)",
            )),
        }
    }

    /// `Optional[int]` in an annotation.
    fn generic_type(&mut self, n: Node) -> Result<ExprKind, PyError> {
        let children = kids(n);
        let (Some(name), Some(params)) = (children.first(), children.get(1)) else {
            return Err(self.err(n, "a generic type without its parameters (fix the syntax)"));
        };
        let types = kids(*params);
        let index = match types.as_slice() {
            [one] => self.expr(*one)?,
            _ => Expr {
                kind: ExprKind::Tuple(self.exprs(types)?),
                span: self.span(*params),
            },
        };
        Ok(ExprKind::Subscript {
            value: Box::new(self.expr(*name)?),
            index: Box::new(index),
        })
    }

    /// `sa.Mapped` or `int | None` in an annotation.
    fn member_or_union_type(&mut self, n: Node) -> Result<ExprKind, PyError> {
        let children = kids(n);
        let [left, right] = children.as_slice() else {
            return Err(self.err(n, "an incomplete type (fix the syntax)"));
        };
        let left = Box::new(self.expr(*left)?);
        Ok(if n.kind() == "member_type" {
            ExprKind::Attribute {
                value: left,
                attr: self.text(*right).to_string(),
            }
        } else {
            ExprKind::BinOp {
                op: BinOp::BitOr,
                left,
                right: Box::new(self.expr(*right)?),
            }
        })
    }

    /// The one named child of a wrapper node (parentheses, `*x`, `**x`).
    fn only_child<'t>(&self, n: Node<'t>) -> Result<Node<'t>, PyError> {
        kids(n).first().copied().ok_or_else(|| {
            self.err(
                n,
                format!("an empty {} (fix the syntax)", n.kind().replace('_', " ")),
            )
        })
    }

    /// The span from the first to the last of `nodes` (`x, y` in `a[x, y]`).
    fn span_between(&self, nodes: &[Node], fallback: Node) -> Span {
        match (nodes.first(), nodes.last()) {
            (Some(first), Some(last)) => Span {
                end: last.end_byte(),
                ..self.span(*first)
            },
            _ => self.span(fallback),
        }
    }

    /// The arguments of a call, or the bases of a class.
    pub(super) fn arguments(&mut self, n: Node) -> Result<(Vec<Expr>, Vec<Keyword>), PyError> {
        let mut args = Vec::new();
        let mut keywords = Vec::new();
        for c in kids(n) {
            match c.kind() {
                "keyword_argument" => keywords.push(Keyword {
                    name: Some(self.text(self.field(c, "name")?).to_string()),
                    value: *self.boxed(c, "value")?,
                    span: self.span(c),
                }),
                "dictionary_splat" => {
                    let inner = self.only_child(c)?;
                    keywords.push(Keyword {
                        name: None,
                        value: self.expr(inner)?,
                        span: self.span(c),
                    });
                }
                _ => args.push(self.expr(c)?),
            }
        }
        Ok((args, keywords))
    }

    /// `a < b`, `x not in y`, `a is not None`: operands are the named children,
    /// and the tokens between two operands are one operator.
    fn comparison(&mut self, n: Node) -> Result<ExprKind, PyError> {
        let mut operands = Vec::new();
        let mut operators = Vec::new();
        let mut pending: Vec<&str> = Vec::new();
        let mut cursor = n.walk();
        let children: Vec<Node> = n.children(&mut cursor).filter(|c| !c.is_extra()).collect();
        for c in children {
            if c.is_named() {
                if !operands.is_empty() {
                    let token = pending.join(" ");
                    let token = token.split_whitespace().collect::<Vec<_>>().join(" ");
                    let op = CmpOp::from_token(&token).ok_or_else(|| {
                        self.err(n, format!("unknown comparison `{token}` (fix the syntax)"))
                    })?;
                    operators.push(op);
                }
                pending.clear();
                operands.push(self.expr(c)?);
            } else {
                pending.push(self.text(c));
            }
        }
        let mut operands = operands.into_iter();
        let left = operands
            .next()
            .ok_or_else(|| self.err(n, "a comparison without operands (fix the syntax)"))?;
        Ok(ExprKind::Compare {
            left: Box::new(left),
            ops: operators.into_iter().zip(operands).collect(),
        })
    }

    fn integer(&self, n: Node) -> ExprKind {
        let text = self.text(n).replace('_', "").to_ascii_lowercase();
        if text.ends_with('j') {
            return ExprKind::Other("complex_number".into());
        }
        let parsed = if let Some(hex) = text.strip_prefix("0x") {
            i64::from_str_radix(hex, 16)
        } else if let Some(oct) = text.strip_prefix("0o") {
            i64::from_str_radix(oct, 8)
        } else if let Some(bin) = text.strip_prefix("0b") {
            i64::from_str_radix(bin, 2)
        } else {
            text.parse::<i64>()
        };
        match parsed {
            Ok(i) => ExprKind::Int(i),
            Err(_) => ExprKind::Other("integer_beyond_64_bits".into()),
        }
    }

    /// A string literal, or adjacent ones joined (`'a' f'{b}'`).
    fn string(&mut self, n: Node) -> Result<ExprKind, PyError> {
        let pieces = if n.kind() == "concatenated_string" {
            kids(n)
        } else {
            vec![n]
        };
        let mut joined = Str {
            parts: Vec::new(),
            bytes: false,
            fstring: false,
        };
        for (i, piece) in pieces.into_iter().enumerate() {
            let Some(one) = self.one_string(piece)? else {
                return Ok(ExprKind::Other("template_string".into()));
            };
            if i > 0 && one.bytes != joined.bytes {
                return Err(self.err(piece, "bytes and str literals joined (fix the syntax)"));
            }
            joined.bytes = one.bytes;
            joined.fstring |= one.fstring;
            for part in one.parts {
                match (joined.parts.last_mut(), part) {
                    (Some(StrPart::Text(prev)), StrPart::Text(t)) => prev.push_str(&t),
                    (_, part) => joined.parts.push(part),
                }
            }
        }
        Ok(ExprKind::Str(joined))
    }

    /// One literal; `None` for a t-string (a template, not a `str`).
    fn one_string(&mut self, n: Node) -> Result<Option<Str>, PyError> {
        let children = {
            let mut cursor = n.walk();
            n.children(&mut cursor).collect::<Vec<_>>()
        };
        let (Some(start), Some(end)) = (
            children.iter().find(|c| c.kind() == "string_start"),
            children.iter().rfind(|c| c.kind() == "string_end"),
        ) else {
            return Err(self.err(n, "a string without its quotes (fix the syntax)"));
        };
        let prefix = self
            .text(*start)
            .trim_end_matches(['\'', '"'])
            .to_ascii_lowercase();
        if prefix.contains('t') {
            return Ok(None);
        }
        let kind = Prefix {
            raw: prefix.contains('r'),
            bytes: prefix.contains('b'),
            fstring: prefix.contains('f'),
        };
        let mut parts = Vec::new();
        // Literal text is what lies between the quotes and the placeholders.
        let mut at = start.end_byte();
        let interps: Vec<Node> = children
            .iter()
            .copied()
            .filter(|c| c.kind() == "interpolation")
            .collect();
        for interp in interps {
            self.push_text(&mut parts, n, at..interp.start_byte(), kind)?;
            self.interpolation(&mut parts, interp)?;
            at = interp.end_byte();
        }
        self.push_text(&mut parts, n, at..end.start_byte(), kind)?;
        Ok(Some(Str {
            parts,
            bytes: kind.bytes,
            fstring: kind.fstring,
        }))
    }

    /// Appends the literal text at `range` of string `n`, decoded.
    fn push_text(
        &self,
        parts: &mut Vec<StrPart>,
        n: Node,
        range: std::ops::Range<usize>,
        kind: Prefix,
    ) -> Result<(), PyError> {
        let text = self.src.get(range).unwrap_or("");
        if text.is_empty() {
            return Ok(());
        }
        if kind.bytes && !text.is_ascii() {
            return Err(self.err(
                n,
                "a bytes literal with a character that is not ASCII (write it as a \\x escape)",
            ));
        }
        // `{{` in an f-string is a brace as written, before any escape.
        let text = if kind.fstring {
            text.replace("{{", "{").replace("}}", "}")
        } else {
            text.to_string()
        };
        let decoded = if kind.raw {
            text
        } else {
            decode_escapes(&text, kind.bytes)
                .map_err(|m| self.err(n, format!("{m} (fix the string)")))?
        };
        match parts.last_mut() {
            Some(StrPart::Text(prev)) => prev.push_str(&decoded),
            _ => parts.push(StrPart::Text(decoded)),
        }
        Ok(())
    }

    /// `{expr!r:spec}`; `{expr=}` writes `expr=` before the value's repr.
    fn interpolation(&mut self, parts: &mut Vec<StrPart>, n: Node) -> Result<(), PyError> {
        let expr_node = self.field(n, "expression")?;
        let expr = self.expr(expr_node)?;
        let conversion = n
            .child_by_field_name("type_conversion")
            .and_then(|c| self.text(c).chars().nth(1));
        let spec = n
            .child_by_field_name("format_specifier")
            .map(|s| self.text(s).trim_start_matches(':').to_string());
        let mut cursor = n.walk();
        let self_documenting = n.children(&mut cursor).any(|c| c.kind() == "=");
        let conversion = if self_documenting {
            let label = self
                .src
                .get(expr_node.start_byte()..n.end_byte())
                .and_then(|t| t.split('=').next())
                .unwrap_or("");
            parts.push(StrPart::Text(format!("{label}=")));
            conversion.or(spec.is_none().then_some('r'))
        } else {
            conversion
        };
        parts.push(StrPart::Interp {
            expr,
            conversion,
            spec,
        });
        Ok(())
    }
}

/// What a string literal's prefix says: `r`, `b`, `f`.
#[derive(Clone, Copy)]
struct Prefix {
    raw: bool,
    bytes: bool,
    fstring: bool,
}

/// Python's backslash escapes in a non-raw literal. In bytes, `\u` stays as
/// written and each char stands for one byte.
fn decode_escapes(text: &str, bytes: bool) -> Result<String, String> {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let Some(e) = chars.next() else {
            out.push('\\');
            break;
        };
        match e {
            '\n' => {}
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
            }
            '\\' => out.push('\\'),
            '\'' => out.push('\''),
            '"' => out.push('"'),
            'a' => out.push('\x07'),
            'b' => out.push('\x08'),
            'f' => out.push('\x0c'),
            'n' => out.push('\n'),
            'r' => out.push('\r'),
            't' => out.push('\t'),
            'v' => out.push('\x0b'),
            '0'..='7' => {
                let mut value = e.to_digit(8).unwrap_or(0);
                for _ in 0..2 {
                    match chars.peek().and_then(|d| d.to_digit(8)) {
                        Some(d) => {
                            value = value * 8 + d;
                            chars.next();
                        }
                        None => break,
                    }
                }
                if bytes && value > 0xff {
                    return Err("an octal escape beyond a byte".into());
                }
                out.push(char::from_u32(value).ok_or("an octal escape out of range")?);
            }
            'x' => out.push(hex_escape(&mut chars, 2)?),
            'u' if !bytes => out.push(hex_escape(&mut chars, 4)?),
            'U' if !bytes => out.push(hex_escape(&mut chars, 8)?),
            'N' if !bytes => {
                return Err("a `\\N{...}` escape, which ormsh cannot decode".into());
            }
            other => {
                out.push('\\');
                out.push(other);
            }
        }
    }
    Ok(out)
}

fn hex_escape(
    chars: &mut std::iter::Peekable<std::str::Chars>,
    digits: usize,
) -> Result<char, String> {
    let mut value: u32 = 0;
    for _ in 0..digits {
        let d = chars.next().and_then(|c| c.to_digit(16)).ok_or_else(|| {
            format!("a truncated \\x, \\u or \\U escape (it needs {digits} hex digits)")
        })?;
        value = value * 16 + d;
    }
    char::from_u32(value).ok_or_else(|| format!("the escape of U+{value:X}, not a character"))
}
