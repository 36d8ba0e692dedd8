//! `primaryjoin` and `secondaryjoin` in SQLAlchemy's string forms: an
//! equality of two columns (`"followers.c.follower_id == User.id"`, either
//! way round), `and_(..)` of several, each column optionally marked
//! `foreign(..)` or `remote(..)`; read into the columns they name. A column
//! is `Model.attribute`, `table.c.column` or `Model.__table__.c.column`.
//! Anything else is refused with the forms that are taken, never guessed at.

use crate::error::did_you_mean;
use crate::orm::mapping::association::TableDecl;
use crate::orm::mapping::model::Mapper;
use crate::sql::ColumnType;

/// The forms a join condition is taken in, for error messages.
pub const FORMS: &str = "`table.c.column == Model.attribute`, either way round, or `and_(..)` of such equalities, each column optionally in foreign(..) or remote(..)";

/// Where one side of an equality is.
#[derive(Debug, Clone, PartialEq)]
pub enum Place {
    /// A column of the association table: its name and type.
    Association(String, ColumnType),
    /// A column of a mapper: (mapper index, column index).
    Model(usize, usize),
}

/// One side of an equality, resolved.
#[derive(Debug, Clone)]
pub struct Side {
    pub place: Place,
    /// Marked `foreign(..)`.
    pub foreign: bool,
    /// Marked `remote(..)`.
    pub remote: bool,
    /// As written, for messages.
    pub text: String,
}

/// A column reference as written.
#[derive(Debug, Clone, PartialEq)]
struct Operand {
    owner: String,
    /// `owner.c.column` (a table) rather than `owner.attribute` (a model).
    table: bool,
    /// `Model.__table__.c.column`.
    model_table: bool,
    column: String,
    foreign: bool,
    remote: bool,
    text: String,
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    Ident(String),
    Dot,
    Open,
    Close,
    Comma,
    Equals,
}

fn tokens(text: &str) -> Result<Vec<Token>, String> {
    let mut out = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            c if c.is_whitespace() => {}
            '.' => out.push(Token::Dot),
            '(' => out.push(Token::Open),
            ')' => out.push(Token::Close),
            ',' => out.push(Token::Comma),
            '=' if chars.peek().is_some_and(|(_, n)| *n == '=') => {
                chars.next();
                out.push(Token::Equals);
            }
            c if c.is_alphanumeric() || c == '_' => {
                let mut end = i + c.len_utf8();
                while let Some(&(j, n)) = chars.peek() {
                    if !(n.is_alphanumeric() || n == '_') {
                        break;
                    }
                    end = j + n.len_utf8();
                    chars.next();
                }
                out.push(Token::Ident(text[i..end].to_string()));
            }
            _ => {
                let rest: String = text[i..].chars().take(2).collect();
                let why = if matches!(rest.as_str(), "!=" | "<=" | ">=")
                    || matches!(c, '<' | '>' | '=')
                {
                    "ormsh joins on equalities (`==`) of columns only".to_string()
                } else {
                    format!("`{c}` is not part of a join condition")
                };
                return Err(why);
            }
        }
    }
    Ok(out)
}

struct Parser {
    tokens: Vec<Token>,
    at: usize,
}

impl Parser {
    fn peek(&self, ahead: usize) -> Option<&Token> {
        self.tokens.get(self.at + ahead)
    }

    fn next(&mut self) -> Option<Token> {
        let t = self.tokens.get(self.at).cloned();
        self.at += 1;
        t
    }

    fn expect(&mut self, want: Token, what: &str) -> Result<(), String> {
        match self.next() {
            Some(t) if t == want => Ok(()),
            _ => Err(format!("expected {what}")),
        }
    }

    /// A dotted name: `a`, `sa.and_`, `followers.c.follower_id`.
    fn dotted(&mut self) -> Result<Vec<String>, String> {
        let mut parts = Vec::new();
        loop {
            match self.next() {
                Some(Token::Ident(s)) => parts.push(s),
                _ => return Err("expected a name".into()),
            }
            if self.peek(0) != Some(&Token::Dot) {
                return Ok(parts);
            }
            self.next();
        }
    }

    /// `and_(c, ..)` or `a == b`, into `out`.
    fn condition(&mut self, out: &mut Vec<(Operand, Operand)>) -> Result<(), String> {
        let start = self.at;
        let name = self.dotted()?;
        if self.peek(0) == Some(&Token::Open) && name.last().is_some_and(|n| n == "and_") {
            self.next();
            loop {
                self.condition(out)?;
                match self.next() {
                    Some(Token::Comma) if self.peek(0) == Some(&Token::Close) => {
                        self.next();
                        return Ok(());
                    }
                    Some(Token::Comma) => {}
                    Some(Token::Close) => return Ok(()),
                    _ => return Err("expected `,` or `)` in and_(..)".into()),
                }
            }
        }
        self.at = start;
        let left = self.operand()?;
        match self.next() {
            Some(Token::Equals) => {}
            _ => {
                return Err(format!(
                    "`{}` is not compared with `==` to another column",
                    left.text
                ));
            }
        }
        let right = self.operand()?;
        out.push((left, right));
        Ok(())
    }

    /// `foreign(x)`, `remote(x)` or a column.
    fn operand(&mut self) -> Result<Operand, String> {
        let name = self.dotted()?;
        let last = name.last().map(String::as_str).unwrap_or("");
        if self.peek(0) == Some(&Token::Open) {
            if !matches!(last, "foreign" | "remote") {
                return Err(format!(
                    "`{}(..)` is not taken in a join condition; only and_, foreign and remote are",
                    name.join(".")
                ));
            }
            self.next();
            let mut inner = self.operand()?;
            self.expect(Token::Close, &format!("`)` to close {last}(.."))?;
            if last == "foreign" {
                inner.foreign = true;
            } else {
                inner.remote = true;
            }
            inner.text = format!("{last}({})", inner.text);
            return Ok(inner);
        }
        let text = name.join(".");
        let parts: Vec<&str> = name.iter().map(String::as_str).collect();
        let (owner, table, model_table, column) = match parts[..] {
            [owner, "__table__", "c", column] => (owner, false, true, column),
            [owner, "c", column] => (owner, true, false, column),
            [owner, column] => (owner, false, false, column),
            _ => return Err(format!("`{text}` is not a column")),
        };
        Ok(Operand {
            owner: owner.to_string(),
            table,
            model_table,
            column: column.to_string(),
            foreign: false,
            remote: false,
            text,
        })
    }
}

fn parse(text: &str) -> Result<Vec<(Operand, Operand)>, String> {
    let mut parser = Parser {
        tokens: tokens(text)?,
        at: 0,
    };
    if parser.tokens.is_empty() {
        return Err("it is empty".into());
    }
    let mut out = Vec::new();
    parser.condition(&mut out)?;
    if parser.at < parser.tokens.len() {
        return Err("there is more after the condition; join several with and_(..)".into());
    }
    Ok(out)
}

/// Read `text` into its equalities, each side placed on one of `mappers`
/// (by index into the registry's mappers) or on `association`. An error
/// says why, to follow "primaryjoin `text`: ".
pub fn resolve(
    text: &str,
    all: &[Mapper],
    mappers: &[usize],
    association: Option<&TableDecl>,
) -> Result<Vec<[Side; 2]>, String> {
    let parsed = parse(text).map_err(|why| format!("cannot be read: {why}; write {FORMS}"))?;
    let place = |o: &Operand| -> Result<Side, String> {
        let place = place(o, all, mappers, association)?;
        Ok(Side {
            place,
            foreign: o.foreign,
            remote: o.remote,
            text: o.text.clone(),
        })
    };
    parsed
        .iter()
        .map(|(l, r)| Ok([place(l)?, place(r)?]))
        .collect()
}

fn place(
    o: &Operand,
    all: &[Mapper],
    mappers: &[usize],
    association: Option<&TableDecl>,
) -> Result<Place, String> {
    let linked: Vec<&Mapper> = mappers.iter().map(|&i| &all[i]).collect();
    let names = || {
        let mut n: Vec<String> = linked.iter().map(|m| m.name.clone()).collect();
        n.dedup();
        n.join(" and ")
    };
    if o.table {
        if let Some(t) = association.filter(|t| t.name == o.owner) {
            let c = t
                .columns
                .iter()
                .find(|c| c.db_name == o.column)
                .ok_or_else(|| {
                    format!(
                        "the table `{}` has no column `{}`{}",
                        t.name,
                        o.column,
                        did_you_mean(&o.column, t.columns.iter().map(|c| c.db_name.as_str()))
                    )
                })?;
            return Ok(Place::Association(c.db_name.clone(), c.ty.clone()));
        }
        if let Some(m) = linked.iter().find(|m| m.table == o.owner) {
            return model_column(o, m, true);
        }
        let tables = association
            .map(|t| t.name.as_str())
            .into_iter()
            .chain(linked.iter().map(|m| m.table.as_str()));
        return Err(format!(
            "`{}` is not a table this relationship links{}",
            o.owner,
            did_you_mean(&o.owner, tables)
        ));
    }
    if let Some(m) = linked.iter().find(|m| m.name == o.owner) {
        return model_column(o, m, o.model_table);
    }
    if association.is_some_and(|t| t.name == o.owner) {
        return Err(format!(
            "a table's columns are under `.c`: write `{}.c.{}`",
            o.owner, o.column
        ));
    }
    Err(format!(
        "`{}` is not a model this relationship links (it links {}){}",
        o.owner,
        names(),
        did_you_mean(&o.owner, linked.iter().map(|m| m.name.as_str()))
    ))
}

/// The column of `m` an operand names: by attribute name, or by the
/// database's name under `__table__.c` / `table.c`.
fn model_column(o: &Operand, m: &Mapper, by_db_name: bool) -> Result<Place, String> {
    let found = m.columns.iter().position(|c| {
        if by_db_name {
            c.db_name == o.column
        } else {
            c.name == o.column
        }
    });
    match found {
        Some(i) => Ok(Place::Model(m.index, i)),
        None => {
            let known = m.columns.iter().map(|c| {
                if by_db_name {
                    c.db_name.as_str()
                } else {
                    c.name.as_str()
                }
            });
            Err(format!(
                "{} has no column `{}`{}",
                m.name,
                o.column,
                did_you_mean(&o.column, known)
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape(text: &str) -> Vec<(String, String)> {
        parse(text)
            .unwrap()
            .into_iter()
            .map(|(l, r)| (l.text, r.text))
            .collect()
    }

    #[test]
    fn reads_the_forms_sqlalchemy_writes() {
        assert_eq!(
            shape("followers.c.follower_id == User.id"),
            [("followers.c.follower_id".into(), "User.id".into())]
        );
        assert_eq!(
            shape("sa.and_(a.c.x == M.x, remote(M.y) == foreign(a.c.y),)"),
            [
                ("a.c.x".into(), "M.x".into()),
                ("remote(M.y)".into(), "foreign(a.c.y)".into())
            ]
        );
        let parsed = parse("so.foreign(Node.parent_id) == Node.__table__.c.id").unwrap();
        assert!(parsed[0].0.foreign && parsed[0].1.model_table);
    }

    #[test]
    fn refuses_what_it_cannot_read() {
        for bad in [
            "",
            "a.c.x = M.x",
            "a.c.x != M.x",
            "a.c.x == M.x and a.c.y == M.y",
            "or_(a.c.x == M.x, a.c.y == M.y)",
            "a.c.x == M.x == 1",
            "a.c.x == 'y'",
            "a.c.x",
            "a.c.x.y.z == M.x",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
    }
}
