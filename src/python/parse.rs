//! From tree-sitter's concrete tree to the owned [`Module`]: the syntax-error
//! check (the first `ERROR` or missing token, with its line) and the
//! statements. Expressions, strings and annotations are `parse_expr.rs`'s.

use tree_sitter::{Node, Parser};

use super::ast::*;
use super::error::PyError;

/// How deep statements and expressions may nest before the file is refused.
/// The walk and the evaluator are recursive: this bounds their stack (about
/// 1 MiB in a debug build), and no real models or config file comes near it.
pub(super) const MAX_DEPTH: usize = 100;

/// Parses `source` (labelled `file` in every error) into a [`Module`].
pub fn parse_module(file: &str, source: &str) -> Result<Module, PyError> {
    let mut parser = Parser::new();
    parser
        .set_language(&tree_sitter_python::LANGUAGE.into())
        .map_err(|e| PyError::new(file, 0, format!("the Python grammar cannot be loaded: {e}")))?;
    let tree = parser
        .parse(source, None)
        .ok_or_else(|| PyError::new(file, 0, "the file could not be parsed as Python"))?;
    let root = tree.root_node();
    let conv = Conv {
        src: source,
        file,
        depth: 0,
    };
    if root.has_error() {
        return Err(conv.syntax_error(root));
    }
    let mut conv = conv;
    let body = conv.block(root)?;
    Ok(Module {
        file: file.to_string(),
        source: source.to_string(),
        body,
    })
}

/// The walk's state: the source, the file's label, and the nesting depth.
pub(super) struct Conv<'s> {
    pub(super) src: &'s str,
    pub(super) file: &'s str,
    depth: usize,
}

/// A node's named children that are not comments or line continuations.
pub(super) fn kids<'t>(n: Node<'t>) -> Vec<Node<'t>> {
    let mut cursor = n.walk();
    n.named_children(&mut cursor)
        .filter(|c| !c.is_extra())
        .collect()
}

impl<'s> Conv<'s> {
    pub(super) fn span(&self, n: Node) -> Span {
        let start = n.start_byte();
        let pos = n.start_position();
        let line_start = start.saturating_sub(pos.column);
        let col = self
            .src
            .get(line_start..start)
            .map_or(pos.column, |s| s.chars().count());
        Span {
            line: pos.row + 1,
            col: col + 1,
            start,
            end: n.end_byte(),
        }
    }

    pub(super) fn text(&self, n: Node) -> &'s str {
        self.src.get(n.start_byte()..n.end_byte()).unwrap_or("")
    }

    pub(super) fn err(&self, n: Node, message: impl Into<String>) -> PyError {
        PyError::new(self.file, n.start_position().row + 1, message)
    }

    /// Enters one level of nesting, refusing past [`MAX_DEPTH`].
    pub(super) fn enter(&mut self, n: Node) -> Result<(), PyError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.err(
                n,
                format!("code nested more than {MAX_DEPTH} levels deep (split the expression up)"),
            ));
        }
        Ok(())
    }

    pub(super) fn leave(&mut self) {
        self.depth = self.depth.saturating_sub(1);
    }

    pub(super) fn field<'t>(&self, n: Node<'t>, name: &str) -> Result<Node<'t>, PyError> {
        n.child_by_field_name(name).ok_or_else(|| {
            self.err(
                n,
                format!(
                    "a {} without its {name} (fix the syntax)",
                    n.kind().replace('_', " ")
                ),
            )
        })
    }

    /// The error for the first `ERROR` node or missing token under `root`.
    fn syntax_error(&self, root: Node) -> PyError {
        let mut cursor = root.walk();
        loop {
            let node = cursor.node();
            if node.is_missing() {
                let what = node.kind();
                return self.err(
                    node,
                    format!(
                        "invalid Python syntax: expected `{what}` here (fix the file so that Python accepts it)"
                    ),
                );
            }
            if node.is_error() {
                let near: String = self.text(node).chars().take(40).collect();
                let near = near.lines().next().unwrap_or("").trim();
                let message = if near.is_empty() {
                    "invalid Python syntax (fix the file so that Python accepts it)".to_string()
                } else {
                    format!(
                        "invalid Python syntax near `{near}` (fix the file so that Python accepts it)"
                    )
                };
                return self.err(node, message);
            }
            // Down into a subtree that holds the error, else on to the next one.
            if node.has_error() && cursor.goto_first_child() {
                continue;
            }
            loop {
                if cursor.goto_next_sibling() {
                    break;
                }
                if !cursor.goto_parent() {
                    return self.err(
                        root,
                        "invalid Python syntax (fix the file so that Python accepts it)",
                    );
                }
            }
        }
    }

    /// The statements of a module or a block.
    fn block(&mut self, n: Node) -> Result<Vec<Stmt>, PyError> {
        self.enter(n)?;
        let stmts = kids(n)
            .into_iter()
            .map(|c| self.stmt(c))
            .collect::<Result<Vec<_>, _>>();
        self.leave();
        stmts
    }

    fn body(&mut self, n: Node, field: &str) -> Result<Vec<Stmt>, PyError> {
        let block = self.field(n, field)?;
        self.block(block)
    }

    fn stmt(&mut self, n: Node) -> Result<Stmt, PyError> {
        let span = self.span(n);
        let kind = match n.kind() {
            "import_statement" => StmtKind::Import(self.aliases(n)?),
            "import_from_statement" | "future_import_statement" => self.import_from(n)?,
            "expression_statement" => self.expression_statement(n)?,
            "class_definition" => StmtKind::ClassDef(self.class_def(n, Vec::new())?),
            "function_definition" => StmtKind::FunctionDef(self.function_def(n, Vec::new())?),
            "decorated_definition" => self.decorated(n)?,
            "if_statement" => self.if_statement(n)?,
            "with_statement" => self.with_statement(n)?,
            "return_statement" => StmtKind::Return(match kids(n).first() {
                Some(&value) => Some(self.expr(value)?),
                None => None,
            }),
            "pass_statement" => StmtKind::Pass,
            other => StmtKind::Other(other.to_string()),
        };
        Ok(Stmt { kind, span })
    }

    fn aliases(&self, n: Node) -> Result<Vec<Alias>, PyError> {
        let mut cursor = n.walk();
        let names: Vec<Node> = n.children_by_field_name("name", &mut cursor).collect();
        names.into_iter().map(|a| self.alias(a)).collect()
    }

    fn alias(&self, n: Node) -> Result<Alias, PyError> {
        let span = self.span(n);
        if n.kind() == "aliased_import" {
            let name = self.dotted_name(self.field(n, "name")?);
            let asname = self.text(self.field(n, "alias")?).to_string();
            Ok(Alias {
                name,
                asname: Some(asname),
                span,
            })
        } else {
            Ok(Alias {
                name: self.dotted_name(n),
                asname: None,
                span,
            })
        }
    }

    /// `a . b` written with spaces is still `a.b`.
    fn dotted_name(&self, n: Node) -> String {
        kids(n)
            .into_iter()
            .map(|c| self.text(c))
            .collect::<Vec<_>>()
            .join(".")
    }

    fn import_from(&self, n: Node) -> Result<StmtKind, PyError> {
        let (module, level) = if n.kind() == "future_import_statement" {
            (Some("__future__".to_string()), 0)
        } else {
            let m = self.field(n, "module_name")?;
            if m.kind() == "relative_import" {
                let mut level = 0;
                let mut module = None;
                for c in kids(m) {
                    match c.kind() {
                        "import_prefix" => level = self.text(c).matches('.').count(),
                        _ => module = Some(self.dotted_name(c)),
                    }
                }
                (module, level)
            } else {
                (Some(self.dotted_name(m)), 0)
            }
        };
        let star = kids(n).iter().any(|c| c.kind() == "wildcard_import");
        Ok(StmtKind::ImportFrom {
            module,
            level,
            names: self.aliases(n)?,
            star,
        })
    }

    fn expression_statement(&mut self, n: Node) -> Result<StmtKind, PyError> {
        let children = kids(n);
        match children.as_slice() {
            [one] if one.kind() == "assignment" => self.assignment(*one),
            [one] if one.kind() == "augmented_assignment" => {
                let token = self.text(self.field(*one, "operator")?);
                let op = BinOp::from_token(token.trim_end_matches('=')).ok_or_else(|| {
                    self.err(*one, format!("unknown operator `{token}` (fix the syntax)"))
                })?;
                Ok(StmtKind::AugAssign {
                    target: self.expr(self.field(*one, "left")?)?,
                    op,
                    value: self.expr(self.field(*one, "right")?)?,
                })
            }
            [one] => Ok(StmtKind::Expr(self.expr(*one)?)),
            // `a, b` alone on a line is a tuple.
            _ => {
                let items = children
                    .iter()
                    .map(|c| self.expr(*c))
                    .collect::<Result<Vec<_>, _>>()?;
                Ok(StmtKind::Expr(Expr {
                    kind: ExprKind::Tuple(items),
                    span: self.span(n),
                }))
            }
        }
    }

    fn assignment(&mut self, n: Node) -> Result<StmtKind, PyError> {
        let target = self.expr(self.field(n, "left")?)?;
        if let Some(annotation) = n.child_by_field_name("type") {
            let annotation = self.expr(annotation)?;
            let value = match n.child_by_field_name("right") {
                Some(v) => Some(self.expr(v)?),
                None => None,
            };
            return Ok(StmtKind::AnnAssign {
                target,
                annotation,
                value,
            });
        }
        // `a = b = value` nests assignments on the right.
        let mut targets = vec![target];
        let mut right = self.field(n, "right")?;
        while right.kind() == "assignment" {
            targets.push(self.expr(self.field(right, "left")?)?);
            right = self.field(right, "right")?;
        }
        if right.kind() == "augmented_assignment" {
            return Ok(StmtKind::Other("chained_augmented_assignment".into()));
        }
        Ok(StmtKind::Assign {
            targets,
            value: self.expr(right)?,
        })
    }

    fn decorated(&mut self, n: Node) -> Result<StmtKind, PyError> {
        let mut decorators = Vec::new();
        for c in kids(n) {
            if c.kind() == "decorator" {
                let inner = kids(c).first().copied().ok_or_else(|| {
                    self.err(c, "a decorator without an expression (fix the syntax)")
                })?;
                decorators.push(self.expr(inner)?);
            }
        }
        let def = self.field(n, "definition")?;
        Ok(match def.kind() {
            "class_definition" => StmtKind::ClassDef(self.class_def(def, decorators)?),
            "function_definition" => StmtKind::FunctionDef(self.function_def(def, decorators)?),
            other => StmtKind::Other(other.to_string()),
        })
    }

    fn class_def(&mut self, n: Node, decorators: Vec<Expr>) -> Result<ClassDef, PyError> {
        let name = self.text(self.field(n, "name")?).to_string();
        let (bases, keywords) = match n.child_by_field_name("superclasses") {
            Some(args) => self.arguments(args)?,
            None => (Vec::new(), Vec::new()),
        };
        Ok(ClassDef {
            name,
            bases,
            keywords,
            decorators,
            body: self.body(n, "body")?,
            span: self.span(n),
        })
    }

    fn function_def(&mut self, n: Node, decorators: Vec<Expr>) -> Result<FunctionDef, PyError> {
        let name = self.text(self.field(n, "name")?).to_string();
        let is_async = n.child(0).is_some_and(|c| c.kind() == "async");
        let params = self.params(self.field(n, "parameters")?)?;
        let returns = match n.child_by_field_name("return_type") {
            Some(r) => Some(self.expr(r)?),
            None => None,
        };
        Ok(FunctionDef {
            name,
            params,
            returns,
            decorators,
            body: self.body(n, "body")?,
            is_async,
            span: self.span(n),
        })
    }

    /// The parameters of a `def` or a lambda.
    pub(super) fn params(&mut self, n: Node) -> Result<Vec<Param>, PyError> {
        let mut params = Vec::new();
        let mut keyword_only = false;
        for p in kids(n) {
            let span = self.span(p);
            let normal = if keyword_only {
                ParamKind::KeywordOnly
            } else {
                ParamKind::Normal
            };
            let (name_node, kind, annotation, default) = match p.kind() {
                "identifier" => (p, normal, None, None),
                "default_parameter" => (
                    self.field(p, "name")?,
                    normal,
                    None,
                    Some(self.field(p, "value")?),
                ),
                "typed_default_parameter" => (
                    self.field(p, "name")?,
                    normal,
                    Some(self.field(p, "type")?),
                    Some(self.field(p, "value")?),
                ),
                "typed_parameter" => {
                    let annotation = self.field(p, "type")?;
                    let inner = kids(p)
                        .into_iter()
                        .find(|c| c.kind() != "type")
                        .ok_or_else(|| {
                            self.err(p, "a parameter without a name (fix the syntax)")
                        })?;
                    let (name, kind) = self.splat_param(inner, normal)?;
                    (name, kind, Some(annotation), None)
                }
                "list_splat_pattern" | "dictionary_splat_pattern" => {
                    let (name, kind) = self.splat_param(p, normal)?;
                    (name, kind, None, None)
                }
                "keyword_separator" => {
                    keyword_only = true;
                    continue;
                }
                "positional_separator" => continue,
                other => {
                    return Err(self.err(
                        p,
                        format!(
                            "a parameter written as a {} is not Python 3 (fix the syntax)",
                            other.replace('_', " ")
                        ),
                    ));
                }
            };
            if kind == ParamKind::VarArgs {
                keyword_only = true;
            }
            params.push(Param {
                name: self.text(name_node).to_string(),
                kind,
                annotation: annotation.map(|a| self.expr(a)).transpose()?,
                default: default.map(|d| self.expr(d)).transpose()?,
                span,
            });
        }
        Ok(params)
    }

    /// The name node and kind of `name`, `*args` or `**kw`.
    fn splat_param<'t>(
        &self,
        p: Node<'t>,
        normal: ParamKind,
    ) -> Result<(Node<'t>, ParamKind), PyError> {
        let kind = match p.kind() {
            "list_splat_pattern" => ParamKind::VarArgs,
            "dictionary_splat_pattern" => ParamKind::VarKeywords,
            _ => return Ok((p, normal)),
        };
        let name = kids(p)
            .first()
            .copied()
            .ok_or_else(|| self.err(p, "a starred parameter without a name (fix the syntax)"))?;
        Ok((name, kind))
    }

    fn if_statement(&mut self, n: Node) -> Result<StmtKind, PyError> {
        let test = self.expr(self.field(n, "condition")?)?;
        let body = self.body(n, "consequence")?;
        let mut cursor = n.walk();
        let alternatives: Vec<Node> = n
            .children_by_field_name("alternative", &mut cursor)
            .collect();
        let mut orelse = Vec::new();
        for alt in alternatives.into_iter().rev() {
            if alt.kind() == "else_clause" {
                orelse = self.body(alt, "body")?;
            } else {
                let kind = StmtKind::If {
                    test: self.expr(self.field(alt, "condition")?)?,
                    body: self.body(alt, "consequence")?,
                    orelse,
                };
                orelse = vec![Stmt {
                    kind,
                    span: self.span(alt),
                }];
            }
        }
        Ok(StmtKind::If { test, body, orelse })
    }

    fn with_statement(&mut self, n: Node) -> Result<StmtKind, PyError> {
        let mut items = Vec::new();
        for clause in kids(n).into_iter().filter(|c| c.kind() == "with_clause") {
            for item in kids(clause) {
                let value = self.field(item, "value")?;
                items.push(if value.kind() == "as_pattern" {
                    let context = kids(value)
                        .into_iter()
                        .find(|c| c.kind() != "as_pattern_target")
                        .ok_or_else(|| {
                            self.err(value, "`with ... as` without its context (fix the syntax)")
                        })?;
                    let alias = self.field(value, "alias")?;
                    let target = match kids(alias).first() {
                        Some(&t) => self.expr(t)?,
                        None => self.expr(alias)?,
                    };
                    WithItem {
                        context: self.expr(context)?,
                        target: Some(target),
                    }
                } else {
                    WithItem {
                        context: self.expr(value)?,
                        target: None,
                    }
                });
            }
        }
        Ok(StmtKind::With {
            items,
            body: self.body(n, "body")?,
        })
    }
}
