//! Writing a revision file as Alembic writes it: a 12-hex id
//! (`uuid4().hex[-12:]`), the file name `<rev>_<slug>.py` (the message's
//! words, lower case, joined by `_`, cut at 40 characters on a word), and
//! the text of the project's own `script.py.mako` with Alembic's
//! substitutions rendered (`${message}`, `${repr(down_revision)}`,
//! `${down_revision | comma,n}`, `${upgrades if upgrades else "pass"}`, ..).
//! Flask-Migrate's multidb template (a `<% .. db_names = .. %>` block and
//! a `% for db_name in db_names:` loop over `upgrade_${db_name}()` /
//! `downgrade_${db_name}()`) is rendered with the app's databases. A
//! template that uses anything else of Mako is refused at its line.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// What Alembic hands the template.
#[derive(Debug, Clone, Default)]
pub struct Script {
    pub id: String,
    pub message: Option<String>,
    /// The revisions it revises (two or more for a merge).
    pub down: Vec<String>,
    pub branch_labels: Vec<String>,
    /// The body of `upgrade()` / `downgrade()`, indented after its first
    /// line as Alembic's autogenerate writes it; empty for `pass`.
    pub upgrades: String,
    pub downgrades: String,
    /// Extra import lines (`import sqlalchemy_utils`); none for most.
    pub imports: Vec<String>,
    /// `str(datetime.now())`.
    pub create_date: String,
    /// In a multi-database folder: each database the template's
    /// `% for db_name in db_names:` loop goes over (the default one first).
    pub databases: Vec<Database>,
}

/// One database of a multi-database revision: its name (`""` for the
/// default one) and the bodies autogenerate wrote for it (`None`: `pass`,
/// as the template's `context.get("%s_upgrades" % db_name, "pass")` gives
/// without autogenerate).
#[derive(Debug, Clone, Default)]
pub struct Database {
    pub name: String,
    pub upgrades: Option<String>,
    pub downgrades: Option<String>,
}

/// A new revision id: the last 12 hex digits of a random UUID.
pub fn new_id() -> String {
    let hex = uuid::Uuid::new_v4().simple().to_string();
    hex[hex.len() - 12..].to_string()
}

/// `str(datetime.datetime.now())`: microseconds unless they are zero.
pub fn now() -> String {
    let now = chrono::Local::now().naive_local();
    if now.and_utc().timestamp_subsec_micros() == 0 {
        now.format("%Y-%m-%d %H:%M:%S").to_string()
    } else {
        now.format("%Y-%m-%d %H:%M:%S%.6f").to_string()
    }
}

/// Alembic's slug: the message's `\w+` runs joined by `_`, lower case; past
/// 40 characters cut at the last `_` and ended with one.
pub fn slug(message: Option<&str>) -> String {
    let text = message.unwrap_or("");
    let words: Vec<String> = text
        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect();
    let slug = words.join("_").to_lowercase();
    if slug.chars().count() > 40 {
        let cut: String = slug.chars().take(40).collect();
        let head = cut.rsplit_once('_').map_or(cut.as_str(), |(h, _)| h);
        return format!("{head}_");
    }
    slug
}

/// Python's `repr` of a string.
pub fn py_str(s: &str) -> String {
    crate::python::str_repr(s)
}

/// Python's `repr` of None, one string, or a tuple of them.
fn py_names(names: &[String]) -> String {
    match names {
        [] => "None".into(),
        [one] => py_str(one),
        many => format!(
            "({})",
            many.iter()
                .map(|n| py_str(n))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

impl Script {
    /// The value of one template variable, as `str()` shows it, and as
    /// `repr()` does.
    fn var(&self, name: &str) -> Option<(String, String, bool)> {
        // (str, repr, truthy)
        Some(match name {
            "message" => {
                let m = self
                    .message
                    .clone()
                    .unwrap_or_else(|| "empty message".into());
                let truthy = !m.is_empty();
                (m.clone(), py_str(&m), truthy)
            }
            "up_revision" => (self.id.clone(), py_str(&self.id), true),
            "down_revision" => {
                let s = match self.down.as_slice() {
                    [] => "None".to_string(),
                    [one] => one.clone(),
                    many => format!(
                        "({})",
                        many.iter()
                            .map(|n| py_str(n))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                };
                (s, py_names(&self.down), !self.down.is_empty())
            }
            "branch_labels" => (
                py_names(&self.branch_labels),
                py_names(&self.branch_labels),
                !self.branch_labels.is_empty(),
            ),
            "depends_on" => ("None".into(), "None".into(), false),
            "create_date" => (self.create_date.clone(), py_str(&self.create_date), true),
            "upgrades" => (
                self.upgrades.clone(),
                py_str(&self.upgrades),
                !self.upgrades.is_empty(),
            ),
            "downgrades" => (
                self.downgrades.clone(),
                py_str(&self.downgrades),
                !self.downgrades.is_empty(),
            ),
            "imports" => {
                let s = self.imports.join("\n");
                let truthy = !s.is_empty();
                (s.clone(), py_str(&s), truthy)
            }
            _ => return None,
        })
    }

    /// `comma`: Alembic's `format_as_comma` (None → "", a tuple joined by ", ").
    fn comma(&self, name: &str) -> Option<String> {
        match name {
            "down_revision" => Some(self.down.join(", ")),
            "branch_labels" => Some(self.branch_labels.join(", ")),
            "depends_on" => Some(String::new()),
            other => self.var(other).map(|v| v.0),
        }
    }

    /// One `${...}` expression of the template; `db` is the loop
    /// variable's name and its database inside the multidb template's loop.
    fn eval(&self, expr: &str, db: Option<(&str, &Database)>) -> Option<String> {
        let expr = expr.trim();
        if let Some((var, database)) = db {
            if expr == var {
                return Some(database.name.clone());
            }
            // `context.get("%s_upgrades" % db_name, "pass")`.
            let flat: String = expr
                .chars()
                .filter(|c| !c.is_whitespace())
                .map(|c| if c == '\'' { '"' } else { c })
                .collect();
            for (token, body) in [
                ("upgrades", &database.upgrades),
                ("downgrades", &database.downgrades),
            ] {
                if flat == format!("context.get(\"%s_{token}\"%{var},\"pass\")") {
                    return Some(body.clone().unwrap_or_else(|| "pass".into()));
                }
            }
        }
        // `NAME | filter, filter`: `n` (no default filter) and `comma`.
        if let Some((name, filters)) = expr.split_once('|') {
            let name = name.trim();
            let filters: Vec<&str> = filters.split(',').map(str::trim).collect();
            if filters.iter().any(|f| !matches!(*f, "n" | "comma" | "str")) {
                return None;
            }
            return if filters.contains(&"comma") {
                self.comma(name)
            } else {
                self.var(name).map(|v| v.0)
            };
        }
        // `repr(NAME)`.
        if let Some(inner) = expr.strip_prefix("repr(").and_then(|e| e.strip_suffix(')')) {
            return self.var(inner.trim()).map(|v| v.1);
        }
        // `A if A else "LIT"`.
        if let Some((a, rest)) = expr.split_once(" if ")
            && let Some((cond, lit)) = rest.split_once(" else ")
        {
            let (a, cond, lit) = (a.trim(), cond.trim(), lit.trim());
            let literal = (lit.len() >= 2
                && ((lit.starts_with('"') && lit.ends_with('"'))
                    || (lit.starts_with('\'') && lit.ends_with('\''))))
            .then(|| lit[1..lit.len() - 1].to_string())?;
            let (_, _, truthy) = self.var(cond)?;
            return if truthy {
                self.var(a).map(|v| v.0)
            } else {
                Some(literal)
            };
        }
        self.var(expr).map(|v| v.0)
    }

    /// One line of text with its `${...}` substituted (a backslash at its
    /// end joins it to the next, as in Mako), or the expression that could
    /// not be.
    fn substitute(&self, line: &str, db: Option<(&str, &Database)>) -> Result<String, String> {
        let mut out = String::new();
        let mut rest = line;
        while let Some(start) = rest.find("${") {
            out.push_str(&rest[..start]);
            let after = &rest[start + 2..];
            let Some(end) = after.find('}') else {
                return Err("a `${` with no `}` on its line".into());
            };
            let expr = &after[..end];
            match self.eval(expr, db) {
                Some(v) => out.push_str(&v),
                None => return Err(format!("`${{{expr}}}`")),
            }
            rest = &after[end + 1..];
        }
        match rest.strip_suffix("\\\n") {
            Some(joined) => out.push_str(joined),
            None => out.push_str(rest),
        }
        Ok(out)
    }

    /// Whether a `<%! .. %>` or `<% .. %>` block's Python (`code`, after
    /// `<%`) is one ormsh knows what to do with: module-level imports, or
    /// Flask-Migrate's multidb block that sets `db_names` from the app's
    /// binds (which `self.databases` holds).
    fn accept_block(&self, code: &str) -> Result<(), String> {
        if let Some(module) = code.strip_prefix('!') {
            let imports = module
                .lines()
                .map(str::trim)
                .all(|l| l.is_empty() || l.starts_with("import ") || l.starts_with("from "));
            return if imports {
                Ok(())
            } else {
                Err("a `<%!` block with more than imports".into())
            };
        }
        if !code.contains("db_names =") {
            return Err("a Mako `<%` block".into());
        }
        if self.databases.is_empty() {
            return Err("the multi-database block, in a revision written for one database".into());
        }
        Ok(())
    }

    /// The template's text with every substitution made; `label` names the
    /// template in a refusal.
    pub fn render(&self, template: &str, label: &str) -> Result<String> {
        let refuse = |n: usize, what: &str| {
            Error::Config(format!(
                "{label}:{}: {what} (ormsh renders the substitutions Alembic's own templates use: ${{message}}, ${{repr(up_revision)}}, ${{down_revision | comma,n}}, ${{upgrades if upgrades else \"pass\"}}, .., and Flask-Migrate's multidb loop)",
                n + 1
            ))
        };
        let lines: Vec<&str> = template.split_inclusive('\n').collect();
        let mut out = String::new();
        let mut i = 0;
        while i < lines.len() {
            let line = lines[i];
            let trimmed = line.trim_start();
            if trimmed.starts_with("##") {
                i += 1; // a Mako comment
                continue;
            }
            if let Some(at) = line.find("<%") {
                // A Python block: what is outside it stays, joined.
                let mut text = line[at + 2..].to_string();
                let mut j = i;
                while !text.contains("%>") {
                    j += 1;
                    let Some(next) = lines.get(j) else {
                        return Err(refuse(i, "a `<%` block with no `%>`"));
                    };
                    text.push_str(next);
                }
                let (code, after) = text.split_once("%>").unwrap_or((&text, ""));
                self.accept_block(code).map_err(|w| refuse(i, &w))?;
                let joined = format!("{}{after}", &line[..at]);
                out.push_str(&self.substitute(&joined, None).map_err(|w| refuse(j, &w))?);
                i = j + 1;
                continue;
            }
            if let Some(control) = trimmed.strip_prefix('%') {
                let var = control
                    .trim()
                    .strip_prefix("for ")
                    .and_then(|c| c.strip_suffix(':'))
                    .and_then(|c| c.split_once(" in "))
                    .filter(|(_, list)| list.trim() == "db_names")
                    .map(|(v, _)| v.trim())
                    .ok_or_else(|| refuse(i, "a Mako control line"))?;
                if self.databases.is_empty() {
                    return Err(refuse(
                        i,
                        "the multi-database loop, in a revision written for one database",
                    ));
                }
                let mut body = Vec::new();
                let mut j = i + 1;
                loop {
                    let Some(next) = lines.get(j) else {
                        return Err(refuse(i, "a `% for` with no `% endfor`"));
                    };
                    let t = next.trim_start();
                    if t.trim_end() == "% endfor" {
                        break;
                    }
                    if t.starts_with('%') || next.contains("<%") {
                        return Err(refuse(j, "a Mako control line or tag inside the loop"));
                    }
                    if !t.starts_with("##") {
                        body.push((j, *next));
                    }
                    j += 1;
                }
                for database in &self.databases {
                    for (n, l) in &body {
                        out.push_str(
                            &self
                                .substitute(l, Some((var, database)))
                                .map_err(|w| refuse(*n, &w))?,
                        );
                    }
                }
                i = j + 1;
                continue;
            }
            out.push_str(&self.substitute(line, None).map_err(|w| refuse(i, &w))?);
            i += 1;
        }
        Ok(out)
    }

    /// Writes the revision into `dir/versions/<id>_<slug>.py` rendered with
    /// `dir/script.py.mako`; the file's path.
    pub fn write(&self, dir: &Path) -> Result<PathBuf> {
        let template_path = dir.join("script.py.mako");
        let template = std::fs::read_to_string(&template_path).map_err(|e| Error::Io {
            path: template_path.clone(),
            source: e,
        })?;
        let label = format!(
            "{}/script.py.mako",
            dir.file_name().unwrap_or_default().to_string_lossy()
        );
        let text = self.render(&template, &label)?;
        let path =
            dir.join("versions")
                .join(format!("{}_{}.py", self.id, slug(self.message.as_deref())));
        // The text must read back as a revision with this id and parents.
        let back = super::revision::Revision::from_source(&path, &label, &text)?;
        if back.id != self.id || back.down != self.down {
            return Err(Error::Config(format!(
                "{label}: the rendered revision does not read back as revision {} (its `revision =` / `down_revision =` lines are not Alembic's)",
                self.id
            )));
        }
        std::fs::write(&path, text).map_err(|e| Error::Io {
            path: path.clone(),
            source: e,
        })?;
        Ok(path)
    }
}
